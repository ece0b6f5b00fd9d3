/* Lee-Carter fit through GSL's SVD (method in lee_carter.h).
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

int cc_lee_carter_fit(const double *rates, const int *years, int nyears, int ngroups, cc_lee_carter *fit,
                      cc_error *err)
{
    int ret = 0;
    memset(fit, 0, sizeof *fit);
    fit->ngroups = ngroups;
    fit->nyears = nyears;
    gsl_matrix *z = gsl_matrix_alloc(ngroups, nyears), *v = gsl_matrix_alloc(nyears, nyears);
    gsl_vector *s = gsl_vector_alloc(nyears), *work = gsl_vector_alloc(nyears);
    fit->ax = calloc(ngroups, sizeof *fit->ax);
    fit->bx = calloc(ngroups, sizeof *fit->bx);
    fit->years = calloc(nyears, sizeof *fit->years);
    fit->kt = calloc(nyears, sizeof *fit->kt);
    if (!z || !v || !s || !work || !fit->ax || !fit->bx || !fit->years || !fit->kt) {
        ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    if (nyears < 3 || ngroups < nyears) {
        ret = cc_error_set(err, CC_ERR_USAGE, NULL, 0, "history", "Lee-Carter needs 3+ years and no more years than age groups");
        goto out;
    }
    memcpy(fit->years, years, nyears * sizeof *years);
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
    double total_ss = 0;
    for (int x = 0; x < ngroups; x++)
        for (int t = 0; t < nyears; t++)
            total_ss += gsl_matrix_get(z, x, t) * gsl_matrix_get(z, x, t);
    gsl_matrix *u = gsl_matrix_alloc(ngroups, nyears);
    if (!u) { ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory"); goto out; }
    gsl_matrix_memcpy(u, z);
    if (gsl_linalg_SV_decomp(u, v, s, work) != 0) {
        gsl_matrix_free(u);
        ret = cc_error_set(err, CC_ERR_NUMERIC, NULL, 0, "history", "SVD of the log death rates failed");
        goto out;
    }
    double sum_u = 0, s0 = gsl_vector_get(s, 0);
    for (int x = 0; x < ngroups; x++)
        sum_u += gsl_matrix_get(u, x, 0);
    for (int x = 0; x < ngroups; x++)
        fit->bx[x] = gsl_matrix_get(u, x, 0) / sum_u;
    for (int t = 0; t < nyears; t++)
        fit->kt[t] = s0 * gsl_matrix_get(v, t, 0) * sum_u;
    gsl_matrix_free(u);
    fit->explained = total_ss > 0 ? s0 * s0 / total_ss : 1.0;
    for (int x = 0; x < ngroups; x++)
        for (int t = 0; t < nyears; t++) {
            double e = fabs(fit->bx[x] * fit->kt[t] - gsl_matrix_get(z, x, t));
            if (e > fit->max_abs_log_error)
                fit->max_abs_log_error = e;
        }
    random_walk(fit);
out:
    gsl_matrix_free(z);
    gsl_matrix_free(v);
    gsl_vector_free(s);
    gsl_vector_free(work);
    if (ret != 0)
        cc_lee_carter_free(fit);
    return ret;
}
