/* Lee-Carter model of mortality by age group: log m(x, t) = a(x) + b(x) k(t).
 * Fitted by the singular value decomposition (GSL) of the centred log rates, normalised so
 * that sum b(x) = 1 and sum k(t) = 0 (Lee and Carter 1992). The period index is then a random
 * walk with drift: k(t+1) = k(t) + drift + sigma * e, e ~ N(0, 1); drift and sigma are
 * estimated from the fitted k over the (possibly uneven) years kept. */
#ifndef CARECAST_LEE_CARTER_H
#define CARECAST_LEE_CARTER_H

#include "carecast/error.h"

typedef struct {
    int ngroups, nyears;
    double *ax, *bx; /* [ngroups] */
    int *years;      /* [nyears] */
    double *kt;      /* [nyears] */
    double drift;    /* per year */
    double sigma;    /* sd of the yearly innovation */
    double explained;         /* share of the centred variance the first component explains */
    double max_abs_log_error; /* max |log fitted - log input| over the input cells */
} cc_lee_carter;

/* Fit to rates[year][group] (positive central death rates) observed in `years` (increasing,
 * gaps allowed). Returns 0, CC_ERR_NOMEM, CC_ERR_RANGE (a rate <= 0), or CC_ERR_NUMERIC. */
int cc_lee_carter_fit(const double *rates, const int *years, int nyears, int ngroups, cc_lee_carter *fit,
                      cc_error *err);
void cc_lee_carter_free(cc_lee_carter *fit);

#endif
