/* Period life tables from single-year central death rates (method in lifetable.h). */
#include "carecast/lifetable.h"

#include <math.h>

void cc_lifetable_from_rates(const double rates[CC_AGES], cc_lifetable *t)
{
    t->lx[0] = 1.0;
    for (int a = 0; a < CC_AGE_OPEN; a++) {
        double q = 2.0 * rates[a] / (2.0 + rates[a]);
        q = q < 1.0 ? q : 1.0; /* fmin(1, q), NaN included, without a library call per age */
        t->lx[a + 1] = t->lx[a] * (1.0 - q);
        t->Lx[a] = 0.5 * (t->lx[a] + t->lx[a + 1]);
    }
    t->Lx[CC_AGE_OPEN] = rates[CC_AGE_OPEN] > 0 ? t->lx[CC_AGE_OPEN] / rates[CC_AGE_OPEN] : 0.0;
}

double cc_lifetable_expectancy(const cc_lifetable *t, int age)
{
    double years = 0;
    for (int a = CC_AGE_OPEN; a >= age; a--)
        years += t->Lx[a];
    return t->lx[age] > 0 ? years / t->lx[age] : 0.0;
}

void cc_lifetable_survival(const cc_lifetable *t, const double rates[CC_AGES],
                           double survival[CC_AGES], double *birth_survival)
{
    for (int a = 0; a < CC_AGE_OPEN - 1; a++)
        survival[a] = t->Lx[a] > 0 ? t->Lx[a + 1] / t->Lx[a] : 0.0;
    /* into the open group: its first year of life, l(100)(1 - e^-m)/m */
    double m = rates[CC_AGE_OPEN];
    double first_year = m > 0 ? t->lx[CC_AGE_OPEN] * (1 - exp(-m)) / m : t->lx[CC_AGE_OPEN];
    survival[CC_AGE_OPEN - 1] = t->Lx[CC_AGE_OPEN - 1] > 0 ? first_year / t->Lx[CC_AGE_OPEN - 1] : 0.0;
    survival[CC_AGE_OPEN] = exp(-m);
    *birth_survival = t->Lx[0] / t->lx[0];
}
