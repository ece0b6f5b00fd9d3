/* Lee-Carter fits: GSL's SVD and the Poisson log-bilinear fit (methods in lee_carter.h).
 * Random-walk estimates with uneven gaps g_i = year_{i+1} - year_i (2011 left out makes one
 * gap of 2): drift = (k_last - k_first) / (year_last - year_first); each increment has
 * variance g_i sigma^2, so sigma^2 = sum (dk_i - drift g_i)^2 / g_i / (n - 2)
 * (n - 1 increments, one degree of freedom spent on the drift). */
#include "carecast/lee_carter.h"

#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void cc_lee_carter_free(cc_lee_carter *fit)
{
    free(fit->ax);
    free(fit->bx);
    free(fit->bx_fitted);
    free(fit->bx_se);
    free(fit->carried);
    free(fit->years);
    free(fit->kt);
    memset(fit, 0, sizeof *fit);
}

static void random_walk(cc_lee_carter *fit)
{
    int n = fit->nyears;
    fit->drift = (fit->kt[n - 1] - fit->kt[0]) / (fit->years[n - 1] - fit->years[0]);
    double ss = 0;
    for (int i = 0; i + 1 < n; i++) {
        double gap = fit->years[i + 1] - fit->years[i];
        double dev = fit->kt[i + 1] - fit->kt[i] - fit->drift * gap;
        ss += dev * dev / gap;
    }
    fit->sigma = n > 2 ? sqrt(ss / (n - 2)) : 0.0;
}

/* Allocate the arrays of a fit of ngroups x nyears; 0 or CC_ERR_NOMEM (fit freed). */
static int fit_alloc(cc_lee_carter *fit, const int *years, int nyears, int ngroups, int method)
{
    memset(fit, 0, sizeof *fit);
    fit->ngroups = ngroups;
    fit->nyears = nyears;
    fit->method = method;
    fit->ax = calloc(ngroups, sizeof *fit->ax);
    fit->bx = calloc(ngroups, sizeof *fit->bx);
    fit->bx_fitted = calloc(ngroups, sizeof *fit->bx_fitted);
    fit->bx_se = calloc(ngroups, sizeof *fit->bx_se);
    fit->carried = calloc(ngroups, sizeof *fit->carried);
    fit->years = calloc(nyears, sizeof *fit->years);
    fit->kt = calloc(nyears, sizeof *fit->kt);
    if (!fit->ax || !fit->bx || !fit->bx_fitted || !fit->bx_se || !fit->carried || !fit->years || !fit->kt) {
        cc_lee_carter_free(fit);
        return CC_ERR_NOMEM;
    }
    memcpy(fit->years, years, nyears * sizeof *years);
    return 0;
}

/* What both fits report from log rates[year][group]: the share of the centred log rates'
 * variance that b k explains, the largest log error, and the random walk of k. The SVD fit
 * also takes each group's standard error of b from the residuals of its log rates about
 * a + b k (nyears - 2 degrees of freedom: a and b). */
static void fit_finish(cc_lee_carter *fit, const double *rates)
{
    int n = fit->nyears, g = fit->ngroups;
    double total_ss = 0, resid_ss = 0, kk = 0;
    for (int t = 0; t < n; t++)
        kk += fit->kt[t] * fit->kt[t];
    fit->max_abs_log_error = 0;
    for (int x = 0; x < g; x++) {
        double mean = 0, group_ss = 0;
        for (int t = 0; t < n; t++)
            mean += log(rates[(size_t)t * g + x]) / n;
        for (int t = 0; t < n; t++) {
            double z = log(rates[(size_t)t * g + x]);
            double e = fit->ax[x] + fit->bx[x] * fit->kt[t] - z;
            total_ss += (z - mean) * (z - mean);
            resid_ss += e * e;
            group_ss += e * e;
            if (fabs(e) > fit->max_abs_log_error)
                fit->max_abs_log_error = fabs(e);
        }
        if (fit->method == CC_LEE_CARTER_SVD)
            fit->bx_se[x] = n > 2 && kk > 0 ? sqrt(group_ss / (n - 2) / kk) : 0.0;
        fit->bx_fitted[x] = fit->bx[x];
    }
    fit->explained = total_ss > 0 ? 1.0 - resid_ss / total_ss : 1.0;
    random_walk(fit);
}

int cc_lee_carter_carry_oldest(cc_lee_carter *fit, const int *group_lo, int from_age, double z)
{
    int carried = 0;
    for (int x = 0; x < fit->ngroups; x++) {
        fit->bx[x] = fit->bx_fitted[x];
        fit->carried[x] = 0;
        if (from_age > 0 && x > 0 && group_lo[x] >= from_age && fit->bx_fitted[x] < -z * fit->bx_se[x]) {
            fit->bx[x] = fit->bx[x - 1];
            fit->carried[x] = 1;
            carried++;
        }
    }
    return carried;
}

/* Leading singular triple of the centred log rates z[group][year]: GSL's one-sided Jacobi
 * SVD needs rows >= columns, so the taller orientation is decomposed. */
static int leading_component(const gsl_matrix *z, double *age_vector, double *year_vector, double *value)
{
    int transposed = z->size1 < z->size2, ret = CC_ERR_NOMEM;
    size_t rows = transposed ? z->size2 : z->size1, cols = transposed ? z->size1 : z->size2;
    gsl_matrix *u = gsl_matrix_alloc(rows, cols), *v = gsl_matrix_alloc(cols, cols);
    gsl_vector *s = gsl_vector_alloc(cols), *work = gsl_vector_alloc(cols);
    if (u && v && s && work) {
        if (transposed)
            gsl_matrix_transpose_memcpy(u, z);
        else
            gsl_matrix_memcpy(u, z);
        ret = gsl_linalg_SV_decomp(u, v, s, work) == 0 ? 0 : CC_ERR_NUMERIC;
    }
    if (ret == 0) {
        const gsl_matrix *ages = transposed ? v : u, *years = transposed ? u : v;
        for (size_t x = 0; x < z->size1; x++)
            age_vector[x] = gsl_matrix_get(ages, x, 0);
        for (size_t t = 0; t < z->size2; t++)
            year_vector[t] = gsl_matrix_get(years, t, 0);
        *value = gsl_vector_get(s, 0);
    }
    gsl_matrix_free(u);
    gsl_matrix_free(v);
    gsl_vector_free(s);
    gsl_vector_free(work);
    return ret;
}

int cc_lee_carter_fit(const double *rates, const int *years, int nyears, int ngroups, cc_lee_carter *fit,
                      cc_error *err)
{
    int ret = 0;
    memset(fit, 0, sizeof *fit);
    if (nyears < 3 || ngroups < 1)
        return cc_error_set(err, CC_ERR_TABLE, NULL, 0, "year", "Lee-Carter needs at least 3 years of rates");
    if (fit_alloc(fit, years, nyears, ngroups, CC_LEE_CARTER_SVD) != 0)
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    gsl_matrix *z = gsl_matrix_alloc(ngroups, nyears);
    double *u = malloc(ngroups * sizeof *u), *v = malloc(nyears * sizeof *v), s0 = 0;
    if (!z || !u || !v) {
        ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    for (int x = 0; x < ngroups; x++) { /* a(x): mean log rate; z: centred log rates */
        for (int t = 0; t < nyears; t++) {
            double m = rates[(size_t)t * ngroups + x];
            if (!(m > 0)) {
                ret = cc_error_set(err, CC_ERR_RANGE, NULL, 0, "death_rate_per_100k", "rate %g is not positive", m);
                goto out;
            }
            fit->ax[x] += log(m) / nyears;
        }
        for (int t = 0; t < nyears; t++)
            gsl_matrix_set(z, x, t, log(rates[(size_t)t * ngroups + x]) - fit->ax[x]);
    }
    if ((ret = leading_component(z, u, v, &s0)) != 0) {
        ret = cc_error_set(err, ret, NULL, 0, "history", "SVD of the log death rates failed");
        goto out;
    }
    double sum_u = 0;
    for (int x = 0; x < ngroups; x++)
        sum_u += u[x];
    for (int x = 0; x < ngroups; x++)
        fit->bx[x] = u[x] / sum_u;
    for (int t = 0; t < nyears; t++)
        fit->kt[t] = s0 * v[t] * sum_u;
    fit_finish(fit, rates);
out:
    gsl_matrix_free(z);
    free(u);
    free(v);
    if (ret != 0)
        cc_lee_carter_free(fit);
    return ret;
}

/* Poisson deviance 2 sum [D log(D / Dhat) - (D - Dhat)] of the fit. */
static double deviance(const cc_lee_carter *fit, const double *deaths, const double *exposures)
{
    double dev = 0;
    for (int t = 0; t < fit->nyears; t++)
        for (int x = 0; x < fit->ngroups; x++) {
            size_t i = (size_t)t * fit->ngroups + x;
            double hat = exposures[i] * exp(fit->ax[x] + fit->bx[x] * fit->kt[t]);
            dev += 2 * ((deaths[i] > 0 ? deaths[i] * log(deaths[i] / hat) : 0.0) - (deaths[i] - hat));
        }
    return dev;
}

/* sum k = 0 (a absorbs the mean), then sum b = 1 (k absorbs the scale). */
static void normalise(cc_lee_carter *fit)
{
    double kbar = 0, sum_b = 0;
    for (int t = 0; t < fit->nyears; t++)
        kbar += fit->kt[t] / fit->nyears;
    for (int x = 0; x < fit->ngroups; x++) {
        fit->ax[x] += fit->bx[x] * kbar;
        sum_b += fit->bx[x];
    }
    for (int t = 0; t < fit->nyears; t++)
        fit->kt[t] = (fit->kt[t] - kbar) * sum_b;
    for (int x = 0; x < fit->ngroups; x++)
        fit->bx[x] /= sum_b;
}

/* Brouhns, Denuit and Vermunt (2002), section 3: each round moves every a(x), then every k(t),
 * then every b(x) by one Newton step of the log-likelihood in that parameter alone,
 *   theta <- theta + sum (D - Dhat) dtheta / sum Dhat dtheta^2,
 * with Dhat = E exp(a + b k) recomputed after each of the three. The standard error of b(x)
 * is that of its Newton step at the optimum, 1 / sqrt(sum_t Dhat k(t)^2) (k held fixed). */
int cc_lee_carter_fit_poisson(const double *deaths, const double *exposures, const int *years, int nyears,
                              int ngroups, cc_lee_carter *fit, cc_error *err)
{
    int ret = 0;
    memset(fit, 0, sizeof *fit);
    if (nyears < 3 || ngroups < 1)
        return cc_error_set(err, CC_ERR_TABLE, NULL, 0, "year", "Lee-Carter needs at least 3 years of rates");
    size_t cells = (size_t)nyears * ngroups;
    double *rates = malloc(cells * sizeof *rates), *hat = malloc(cells * sizeof *hat);
    if (!rates || !hat) {
        free(rates);
        free(hat);
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    for (int x = 0; x < ngroups && ret == 0; x++) { /* start: the SVD fit of the observed rates */
        double group_deaths = 0;
        for (int t = 0; t < nyears && ret == 0; t++) {
            size_t i = (size_t)t * ngroups + x;
            if (!(exposures[i] > 0) || !isfinite(exposures[i]))
                ret = cc_error_set(err, CC_ERR_RANGE, NULL, 0, "population", "exposure %g is not positive", exposures[i]);
            else if (!(deaths[i] >= 0) || !isfinite(deaths[i]))
                ret = cc_error_set(err, CC_ERR_RANGE, NULL, 0, "death_rate_per_100k", "deaths %g are negative", deaths[i]);
            group_deaths += deaths[i];
        }
        if (ret == 0 && !(group_deaths > 0))
            ret = cc_error_set(err, CC_ERR_RANGE, NULL, 0, "death_rate_per_100k", "age group %d has no deaths", x + 1);
        for (int t = 0; t < nyears && ret == 0; t++) { /* a zero cell starts from half a death */
            size_t i = (size_t)t * ngroups + x;
            rates[i] = fmax(deaths[i], 0.5) / exposures[i];
        }
    }
    if (ret == 0)
        ret = cc_lee_carter_fit(rates, years, nyears, ngroups, fit, err);
    if (ret != 0)
        goto out;
    fit->method = CC_LEE_CARTER_POISSON;
    double dev = deviance(fit, deaths, exposures), previous = HUGE_VAL;
    for (int round = 0; round < 10000 && !(fabs(previous - dev) <= 1e-10 * dev + 1e-9); round++) {
#define HAT()                                                                                          for (int t = 0; t < nyears; t++)                                                                       for (int x = 0; x < ngroups; x++)                                                                      hat[(size_t)t * ngroups + x] = exposures[(size_t)t * ngroups + x] * exp(fit->ax[x] + fit->bx[x] * fit->kt[t])
        HAT();
        for (int x = 0; x < ngroups; x++) {
            double num = 0, den = 0;
            for (int t = 0; t < nyears; t++) {
                num += deaths[(size_t)t * ngroups + x] - hat[(size_t)t * ngroups + x];
                den += hat[(size_t)t * ngroups + x];
            }
            fit->ax[x] += num / den;
        }
        HAT();
        for (int t = 0; t < nyears; t++) {
            double num = 0, den = 0;
            for (int x = 0; x < ngroups; x++) {
                size_t i = (size_t)t * ngroups + x;
                num += (deaths[i] - hat[i]) * fit->bx[x];
                den += hat[i] * fit->bx[x] * fit->bx[x];
            }
            if (den > 0)
                fit->kt[t] += num / den;
        }
        HAT();
        for (int x = 0; x < ngroups; x++) {
            double num = 0, den = 0;
            for (int t = 0; t < nyears; t++) {
                size_t i = (size_t)t * ngroups + x;
                num += (deaths[i] - hat[i]) * fit->kt[t];
                den += hat[i] * fit->kt[t] * fit->kt[t];
            }
            if (den > 0)
                fit->bx[x] += num / den;
        }
        normalise(fit);
        previous = dev;
        dev = deviance(fit, deaths, exposures);
        fit->iterations = round + 1;
        if (!isfinite(dev))
            break;
    }
    if (!isfinite(dev) || !(fabs(previous - dev) <= 1e-10 * dev + 1e-9)) {
        ret = cc_error_set(err, CC_ERR_NUMERIC, NULL, 0, "history", "the Poisson Lee-Carter fit did not converge");
        goto out;
    }
    HAT();
#undef HAT
    for (int x = 0; x < ngroups; x++) {
        double info = 0;
        for (int t = 0; t < nyears; t++)
            info += hat[(size_t)t * ngroups + x] * fit->kt[t] * fit->kt[t];
        fit->bx_se[x] = info > 0 ? 1.0 / sqrt(info) : HUGE_VAL;
    }
    fit_finish(fit, rates);
out:
    free(rates);
    free(hat);
    if (ret != 0)
        cc_lee_carter_free(fit);
    return ret;
}
