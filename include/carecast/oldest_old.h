/* The oldest old: Kannisto's logistic hazard (Thatcher, Kannisto and Vaupel 1998),
 *   mu(x) = a e^{b (x - 80)} / (1 + a e^{b (x - 80)}),
 * fitted to the central death rates of single ages 85..99 and used for the ages where the data
 * thin out: the single ages 95..99 and the open group 100+.
 *  - Fit: consecutive ages with the same rate are one group (a 5-year table spread flat over
 *    its ages is fitted as its groups; a single-age table as its ages). The model's rate of a
 *    group is its own: deaths over person-years of its life table over the group's ages. The
 *    fit makes these match the data in least squares on the logit scale, each group weighted
 *    by its number of ages: logit mu at each group's middle = log a + b (middle - 80) by
 *    weighted least squares (GSL), then a fixed point that shifts the data by the model's gap
 *    between its group rate and its hazard at the middle and refits. Rates made by the model
 *    come back exactly. Fitting a flat-spread table age by age instead would read each 5-year
 *    step as a staircase and flatten the slope b by about a tenth.
 *  - Use: m(x) for x = 95..99 is the model's central rate of [x, x+1); the open group's rate is
 *    that of a stationary population above 100 under the model, l(100) / T(100), with
 *    l(x) / l(100) = ((1 + a e^{20 b}) / (1 + a e^{b (x - 80)}))^{1/b} in closed form and T(100)
 *    its integral (composite Simpson, step 1/64 year, to age 200: beyond it l is below 1e-30). */
#ifndef CARECAST_OLDEST_OLD_H
#define CARECAST_OLDEST_OLD_H

#include "carecast/ages.h"
#include "carecast/error.h"

#define CC_KANNISTO_FIT_FROM 85 /* first single age of the fit */
#define CC_KANNISTO_FIT_TO 99   /* last single age of the fit */
#define CC_KANNISTO_FROM 95     /* first single age replaced */

typedef struct {
    double a, b; /* hazard a e^{b(x-80)} / (1 + a e^{b(x-80)}) */
} cc_kannisto;

/* Hazard at exact age x. */
double cc_kannisto_hazard(const cc_kannisto *k, double x);
/* Survival from exact age x0 to x1 >= x0, l(x1) / l(x0). */
double cc_kannisto_survival(const cc_kannisto *k, double x0, double x1);
/* Central death rate of the year of age [x, x+1): (l(x) - l(x+1)) / integral of l over it. */
double cc_kannisto_central_rate(const cc_kannisto *k, int x);
/* Rate of the open group from age x: l(x) / T(x), T(x) = integral of l from x to 200. */
double cc_kannisto_open_rate(const cc_kannisto *k, int x);

/* Fit to rates[from..to] (central death rates, each in (0, 1); runs of equal rates are groups).
 * Returns 0, or CC_ERR_RANGE (a rate outside (0, 1), fewer than 2 groups, or a hazard not rising
 * with age: b <= 0) with err naming the age. */
int cc_kannisto_fit(const double rates[CC_AGES], int from, int to, cc_kannisto *fit, cc_error *err);

/* The oldest-old treatment of one single-age rate vector (a base table, an observed year):
 * input: central death rates by single age with at least 85..99 filled (each in (0, 1));
 * output: rates[95..99] and rates[CC_AGE_OPEN] replaced by those of the Kannisto model fitted to
 * rates[85..99]; every other age untouched. *fit (may be NULL) receives the parameters. On
 * failure (see cc_kannisto_fit) rates are left unchanged. */
int cc_oldest_old_apply(double rates[CC_AGES], cc_kannisto *fit, cc_error *err);

#endif
