/* Kannisto's model of the oldest old (method in oldest_old.h). */
#include "carecast/oldest_old.h"

#include <gsl/gsl_fit.h>
#include <math.h>
#include <string.h>

#define TOP_AGE 200.0
#define STEPS_PER_YEAR 64

/* log(1 + e^u) without overflow */
static double softplus(double u)
{
    return u > 30 ? u + log1p(exp(-u)) : log1p(exp(u));
}

double cc_kannisto_hazard(const cc_kannisto *k, double x)
{
    double u = log(k->a) + k->b * (x - 80);
    return u > 0 ? 1.0 / (1.0 + exp(-u)) : exp(u) / (1.0 + exp(u));
}

/* H(x) = (1/b) log(1 + a e^{b(x-80)}) is the cumulative hazard up to a constant. */
double cc_kannisto_survival(const cc_kannisto *k, double x0, double x1)
{
    double la = log(k->a);
    return exp(-(softplus(la + k->b * (x1 - 80)) - softplus(la + k->b * (x0 - 80))) / k->b);
}

/* Integral of l(x)/l(x0) from x0 to x1 (composite Simpson). */
static double person_years(const cc_kannisto *k, double x0, double x1)
{
    int n = (int)ceil((x1 - x0) * STEPS_PER_YEAR);
    n += n % 2;
    double h = (x1 - x0) / n, sum = 1.0 + cc_kannisto_survival(k, x0, x1);
    for (int i = 1; i < n; i++)
        sum += (i % 2 ? 4.0 : 2.0) * cc_kannisto_survival(k, x0, x0 + i * h);
    return sum * h / 3.0;
}

double cc_kannisto_central_rate(const cc_kannisto *k, int x)
{
    return (1.0 - cc_kannisto_survival(k, x, x + 1.0)) / person_years(k, x, x + 1.0);
}

double cc_kannisto_open_rate(const cc_kannisto *k, int x)
{
    return 1.0 / person_years(k, x, TOP_AGE);
}

static double logit(double p)
{
    return log(p / (1.0 - p));
}

/* Model rate of the ages [x0, x1): deaths over person-years of its own life table. */
static double group_rate(const cc_kannisto *k, int x0, int x1)
{
    return (1.0 - cc_kannisto_survival(k, x0, x1)) / person_years(k, x0, x1);
}

int cc_kannisto_fit(const double rates[CC_AGES], int from, int to, cc_kannisto *fit, cc_error *err)
{
    enum { MAXN = CC_AGES };
    double x[MAXN], y[MAXN], w[MAXN], target[MAXN];
    int lo[MAXN], hi[MAXN], n = 0;
    if (from < 0 || to >= CC_AGE_OPEN || to - from < 2)
        return cc_error_set(err, CC_ERR_RANGE, NULL, 0, "age", "Kannisto fit needs 3 or more single ages below 100");
    for (int a = from; a <= to; a++) {
        double m = rates[a];
        if (!(m > 0 && m < 1))
            return cc_error_set(err, CC_ERR_RANGE, NULL, 0, "age",
                                "death rate %g at age %d is outside (0, 1): no Kannisto fit", m, a);
        if (n > 0 && m == rates[a - 1]) { /* a run of equal rates: one group spread flat */
            hi[n - 1] = a + 1;
            continue;
        }
        lo[n] = a;
        hi[n] = a + 1;
        target[n++] = logit(m);
    }
    if (n < 2)
        return cc_error_set(err, CC_ERR_RANGE, NULL, 0, "age",
                            "death rates at %d-%d do not rise with age: no Kannisto fit", from, to);
    for (int g = 0; g < n; g++) {
        x[g] = 0.5 * (lo[g] + hi[g]) - 80; /* the middle of the group */
        w[g] = hi[g] - lo[g];              /* each age counts once */
        y[g] = target[g];
    }
    double c0, c1, cov00, cov01, cov11, ss;
    cc_kannisto k = {0, 0};
    /* fixed point: fit logit mu at the groups' middles; shift the data by the model's own gap
     * between its group rate and its hazard at the middle; refit (the gap changes little) */
    for (int round = 0; round < 100; round++) {
        gsl_fit_wlinear(x, 1, w, 1, y, 1, (size_t)n, &c0, &c1, &cov00, &cov01, &cov11, &ss);
        if (!(c1 > 0) || !isfinite(c0))
            return cc_error_set(err, CC_ERR_RANGE, NULL, 0, "age",
                                "death rates at %d-%d do not rise with age: no Kannisto fit", from, to);
        cc_kannisto next = {exp(c0), c1};
        double change = fabs(next.a - k.a) / next.a + fabs(next.b - k.b) / next.b;
        k = next;
        if (change < 1e-13)
            break;
        for (int g = 0; g < n; g++)
            y[g] = target[g] + logit(cc_kannisto_hazard(&k, x[g] + 80)) - logit(group_rate(&k, lo[g], hi[g]));
    }
    *fit = k;
    return 0;
}

int cc_oldest_old_apply(double rates[CC_AGES], cc_kannisto *fit, cc_error *err)
{
    cc_kannisto k;
    int ret = cc_kannisto_fit(rates, CC_KANNISTO_FIT_FROM, CC_KANNISTO_FIT_TO, &k, err);
    if (ret != 0)
        return ret;
    for (int x = CC_KANNISTO_FROM; x < CC_AGE_OPEN; x++)
        rates[x] = cc_kannisto_central_rate(&k, x);
    rates[CC_AGE_OPEN] = cc_kannisto_open_rate(&k, CC_AGE_OPEN);
    if (fit)
        *fit = k;
    return 0;
}
