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
    fit->ngroups = ngroups;
    fit->nyears = nyears;
    if (nyears < 3 || ngroups < 1)
        return cc_error_set(err, CC_ERR_TABLE, NULL, 0, "year", "Lee-Carter needs at least 3 years of rates");
    gsl_matrix *z = gsl_matrix_alloc(ngroups, nyears);
    double *u = malloc(ngroups * sizeof *u), *v = malloc(nyears * sizeof *v), s0 = 0;
    fit->ax = calloc(ngroups, sizeof *fit->ax);
    fit->bx = calloc(ngroups, sizeof *fit->bx);
    fit->years = calloc(nyears, sizeof *fit->years);
    fit->kt = calloc(nyears, sizeof *fit->kt);
    if (!z || !u || !v || !fit->ax || !fit->bx || !fit->years || !fit->kt) {
        ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
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
    if ((ret = leading_component(z, u, v, &s0)) != 0) {
        ret = cc_error_set(err, ret, NULL, 0, "history", "SVD of the log death rates failed");
        goto out;
    }
    double total_ss = 0, sum_u = 0;
    for (int x = 0; x < ngroups; x++) {
        sum_u += u[x];
        for (int t = 0; t < nyears; t++)
            total_ss += gsl_matrix_get(z, x, t) * gsl_matrix_get(z, x, t);
    }
    for (int x = 0; x < ngroups; x++)
        fit->bx[x] = u[x] / sum_u;
    for (int t = 0; t < nyears; t++)
        fit->kt[t] = s0 * v[t] * sum_u;
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
    free(u);
    free(v);
    if (ret != 0)
        cc_lee_carter_free(fit);
    return ret;
}
