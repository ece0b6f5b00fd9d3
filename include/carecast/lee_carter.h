/* Lee-Carter model of mortality by age group: log m(x, t) = a(x) + b(x) k(t), normalised so that
 * sum b(x) = 1 and sum k(t) = 0. Two fits:
 *   - cc_lee_carter_fit: the singular value decomposition (GSL) of the centred log rates
 *     (Lee and Carter 1992). Every cell counts the same, so the noisy rates of small groups
 *     (children, centenarians) weigh as much as the rates of the groups where people die.
 *   - cc_lee_carter_fit_poisson: the Poisson log-bilinear fit (Brouhns, Denuit and Vermunt 2002),
 *     D(x, t) ~ Poisson(E(x, t) exp(a(x) + b(x) k(t))), maximum likelihood by their uni-dimensional
 *     Newton steps on a, k and b in turn, started from the SVD fit. A cell weighs by its deaths.
 * In both the period index is then a random walk with drift: k(t+1) = k(t) + drift + sigma e,
 * e ~ N(0, 1); drift and sigma are estimated from the fitted k over the (possibly uneven) years
 * kept. The projection uses only differences of k, so the centring of k is immaterial there. */
#ifndef CARECAST_LEE_CARTER_H
#define CARECAST_LEE_CARTER_H

#include "carecast/error.h"

enum { CC_LEE_CARTER_SVD = 0, CC_LEE_CARTER_POISSON = 1 };

typedef struct {
    int ngroups, nyears;
    int method;               /* CC_LEE_CARTER_SVD or CC_LEE_CARTER_POISSON */
    double *ax, *bx;          /* [ngroups]; bx after cc_lee_carter_carry_oldest (sum over the fitted b is 1) */
    double *bx_fitted;        /* [ngroups] b as fitted */
    double *bx_se;            /* [ngroups] standard error of b (Poisson: Fisher information, given k;
                                 SVD: from the residuals of each group's regression on k) */
    int *carried;             /* [ngroups] 1: b taken from the group below (cc_lee_carter_carry_oldest) */
    int *years;               /* [nyears] */
    double *kt;               /* [nyears] */
    double drift;             /* per year */
    double sigma;             /* sd of the yearly innovation */
    double explained;         /* share of the variance of the centred log rates that b k explains */
    double max_abs_log_error; /* max |log fitted - log input| over the input cells */
    int iterations;           /* Newton rounds of the Poisson fit (0: SVD) */
} cc_lee_carter;

/* Fit to rates[year][group] (positive central death rates) observed in `years` (increasing,
 * gaps allowed). Returns 0, CC_ERR_NOMEM, CC_ERR_RANGE (a rate <= 0), or CC_ERR_NUMERIC. */
int cc_lee_carter_fit(const double *rates, const int *years, int nyears, int ngroups, cc_lee_carter *fit,
                      cc_error *err);

/* Poisson fit to deaths[year][group] (>= 0, at least one positive in each group) and
 * exposures[year][group] (person-years, > 0). Converges when a round changes the deviance by
 * less than 1e-10 of itself plus 1e-9 (at most 10,000 rounds). Returns 0, CC_ERR_NOMEM, CC_ERR_RANGE (a bad
 * count) or CC_ERR_NUMERIC (no convergence). */
int cc_lee_carter_fit_poisson(const double *deaths, const double *exposures, const int *years, int nyears,
                              int ngroups, cc_lee_carter *fit, cc_error *err);

/* The oldest groups' b when the data cannot be believed there: each group whose first age
 * (group_lo[x]) is at least from_age and whose fitted b is below zero by more than
 * z standard errors (bx_se) takes the b used for the group below it, and is marked carried.
 * A fitted b of about zero, or positive, is kept: the data said so. from_age <= 0: nothing is
 * carried. Returns the number of groups carried. */
int cc_lee_carter_carry_oldest(cc_lee_carter *fit, const int *group_lo, int from_age, double z);

void cc_lee_carter_free(cc_lee_carter *fit);

#endif
