/* Period life table from central death rates m(x) at single ages 0..99 and the open group
 * 100+. Below 100: q = 2m / (2 + m) (deaths spread evenly over the year of age), so a life
 * table read as lx and turned into m(x) comes back exactly; L(x) = (l(x) + l(x+1)) / 2.
 * Open group: constant hazard m(100+), T(100) = l(100) / m(100+). */
#ifndef CARECAST_LIFETABLE_H
#define CARECAST_LIFETABLE_H

#include "carecast/ages.h"

typedef struct {
    double lx[CC_AGES];  /* survivors to exact age x of 1 born */
    double Lx[CC_AGES];  /* person-years lived in [x, x+1); Lx[100] = T(100) */
} cc_lifetable;

void cc_lifetable_from_rates(const double rates[CC_AGES], cc_lifetable *table);

/* Life expectancy at exact age `age` (0..100). */
double cc_lifetable_expectancy(const cc_lifetable *table, int age);

/* Projection survival ratios over one year: survival[x] takes persons aged x (x < 100) to
 * x+1, L(x+1)/L(x); survival[100] keeps the open group, exp(-m(100+)); *birth_survival takes
 * the year's births to age 0 at the year's end, L(0)/l(0). */
void cc_lifetable_survival(const cc_lifetable *table, const double rates[CC_AGES],
                           double survival[CC_AGES], double *birth_survival);

#endif
