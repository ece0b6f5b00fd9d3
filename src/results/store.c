/* In-memory results: allocation, the series catalogue (names, units, descriptions as written
 * to the file), means and exact quantiles over replications. */
#include "carecast/results.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>
#include <string.h>

const double cc_quantile_levels[CC_QUANTILES] = {0.05, 0.25, 0.5, 0.75, 0.95};

static const cc_series_info series_info[CC_SERIES_COUNT] = {
    {"total", "persons", "Population of all ages at the base date's day of each year", "Population, all ages"},
    {"age65plus", "persons", "Population aged 65 and over", "Population aged 65 and over"},
    {"age75plus", "persons", "Population aged 75 and over", "Population aged 75 and over"},
    {"age85plus", "persons", "Population aged 85 and over", "Population aged 85 and over"},
    {"births", "births/year", "Live births during the year that starts at the year's base date", "Live births"},
    {"deaths", "deaths/year", "Deaths during the year (including births of the year who die before its end)",
     "Deaths"},
    {"net_migration", "persons/year", "Net migrants added during the year (in minus out)", "Net migration"},
    {"life_expectancy_0", "years", "Period life expectancy at birth of the year's mortality rates "
     "(total: a birth cohort of both sexes at the sex ratio at birth)", "Period life expectancy at birth"},
    {"life_expectancy_65", "years", "Period life expectancy at 65 of the year's mortality rates "
     "(total: weighted by survivors to 65)", "Period life expectancy at 65"},
};

const cc_series_info *cc_series(cc_series_id id) { return &series_info[id]; }

int cc_results_init(cc_results *r, int nscenarios, int replications, int years, int base_year, int has_demand)
{
    memset(r, 0, sizeof *r);
    r->nscenarios = nscenarios;
    r->replications = replications;
    r->years = years;
    r->base_year = base_year;
    size_t rows = (size_t)nscenarios * replications * years * CC_SEX_AXIS;
    size_t cells = (size_t)nscenarios * years * CC_SEX_AXIS * CC_AGES;
    int ok = (r->scenario_names = calloc(nscenarios, sizeof(char *))) != NULL &&
             (r->models = calloc(nscenarios, sizeof *r->models)) != NULL;
    for (int i = 0; i < CC_SERIES_COUNT; i++)
        ok = ok && (r->series[i] = calloc(rows, sizeof(double))) != NULL;
    ok = ok && (r->age_mean = calloc(cells, sizeof(double))) && (r->age_sd = calloc(cells, sizeof(double))) &&
         (r->age_m2 = calloc(cells, sizeof(double)));
    r->has_demand = has_demand;
    for (int i = 0; ok && has_demand && i < CC_DEMAND_SERIES; i++)
        ok = (r->demand[i] = calloc(rows * CC_AGE_BANDS, sizeof(double))) != NULL &&
             (r->demand_expected[i] = calloc((size_t)nscenarios * replications * years, sizeof(double))) != NULL;
    ok = ok && (!has_demand || (r->demand_draws = calloc((size_t)nscenarios * replications * CC_RATE_SETTINGS * 2,
                                                         sizeof(double))) != NULL);
    if (!ok) {
        cc_results_free(r);
        return CC_ERR_NOMEM;
    }
    return 0;
}

void cc_results_free(cc_results *r)
{
    for (int i = 0; r->scenario_names && i < r->nscenarios; i++)
        free(r->scenario_names[i]);
    free(r->scenario_names);
    for (int i = 0; r->models && i < r->nscenarios; i++)
        cc_population_model_free(&r->models[i]);
    free(r->models);
    for (int i = 0; i < CC_SERIES_COUNT; i++)
        free(r->series[i]);
    for (int i = 0; i < CC_DEMAND_SERIES; i++) {
        free(r->demand[i]);
        free(r->demand_expected[i]);
    }
    free(r->demand_draws);
    free(r->age_mean);
    free(r->age_sd);
    free(r->age_m2);
    memset(r, 0, sizeof *r);
}

int cc_stats_quantiles(const double *data, int nscenarios, int replications, size_t cells, double *out,
                       int threads)
{
    int failed = 0;
    long total = (long)nscenarios * (long)cells;
    /* cells are independent: sorted in parallel, each by one thread, so results do not depend
     * on the thread count */
#pragma omp parallel num_threads(threads > 0 ? threads : 1) reduction(| : failed)
    {
        double *column = malloc((size_t)replications * sizeof *column);
        failed |= column == NULL;
#pragma omp for schedule(static)
        for (long i = 0; i < total; i++) {
            if (!column)
                continue;
            size_t sc = (size_t)(i / (long)cells), c = (size_t)(i % (long)cells);
            for (int rep = 0; rep < replications; rep++)
                column[rep] = data[(sc * replications + rep) * cells + c];
            gsl_sort(column, 1, replications);
            for (int q = 0; q < CC_QUANTILES; q++)
                out[(sc * CC_QUANTILES + q) * cells + c] =
                    gsl_stats_quantile_from_sorted_data(column, 1, replications, cc_quantile_levels[q]);
        }
        free(column);
    }
    return failed ? CC_ERR_NOMEM : 0;
}

void cc_stats_means(const double *data, int nscenarios, int replications, size_t cells, double *out)
{
    for (int sc = 0; sc < nscenarios; sc++)
        for (size_t c = 0; c < cells; c++) {
            double mean = 0; /* running mean in replication order */
            for (int rep = 0; rep < replications; rep++)
                mean += (data[((size_t)sc * replications + rep) * cells + c] - mean) / (rep + 1);
            out[(size_t)sc * cells + c] = mean;
        }
}

static void interval(double mean, double variance_of_mean, double df, double *out3, size_t stride)
{
    /* one replication has no spread to estimate: the interval is unknown (NaN), not zero */
    double half = df <= 0 ? NAN : variance_of_mean > 0 ? gsl_cdf_tdist_Pinv(0.975, df) * sqrt(variance_of_mean) : 0.0;
    out3[0] = mean - half;
    out3[stride] = mean;
    out3[2 * stride] = mean + half;
}

int cc_stats_differences(const double *data, int nscenarios, int replications, size_t cells, double *quantiles,
                         double *ci_paired, double *ci_unpaired, int threads)
{
    size_t per_scenario = (size_t)replications * cells;
    double *diff = malloc(per_scenario * sizeof *diff);
    if (!diff)
        return CC_ERR_NOMEM;
    memset(quantiles, 0, (size_t)CC_QUANTILES * cells * sizeof *quantiles); /* scenario 0 vs itself */
    memset(ci_paired, 0, 3 * cells * sizeof *ci_paired);
    memset(ci_unpaired, 0, 3 * cells * sizeof *ci_unpaired);
    double n = replications;
    for (int sc = 1; sc < nscenarios; sc++) {
        const double *a = data, *b = data + sc * per_scenario;
        for (size_t i = 0; i < per_scenario; i++)
            diff[i] = b[i] - a[i];
        int ret = cc_stats_quantiles(diff, 1, replications, cells, quantiles + (size_t)sc * CC_QUANTILES * cells,
                                     threads);
        if (ret != 0) { free(diff); return ret; }
        for (size_t c = 0; c < cells; c++) {
            double md = 0, vd = 0, ma = 0, va = 0, mb = 0, vb = 0;
            for (int rep = 0; rep < replications; rep++) { /* Welford, in replication order */
                double k = rep + 1, x = diff[(size_t)rep * cells + c], y = a[(size_t)rep * cells + c],
                       z = b[(size_t)rep * cells + c], d;
                d = x - md; md += d / k; vd += d * (x - md);
                d = y - ma; ma += d / k; va += d * (y - ma);
                d = z - mb; mb += d / k; vb += d * (z - mb);
            }
            double sd2 = n > 1 ? vd / (n - 1) : 0, sa2 = n > 1 ? va / (n - 1) : 0, sb2 = n > 1 ? vb / (n - 1) : 0;
            double welch_var = (sa2 + sb2) / n;
            double welch_df = welch_var > 0 ? welch_var * welch_var /
                                                  ((sa2 / n) * (sa2 / n) / (n - 1) + (sb2 / n) * (sb2 / n) / (n - 1))
                                            : 0;
            interval(md, sd2 / n, n - 1, ci_paired + (size_t)sc * 3 * cells + c, cells);
            interval(mb - ma, welch_var, welch_df, ci_unpaired + (size_t)sc * 3 * cells + c, cells);
        }
    }
    free(diff);
    return 0;
}

int cc_results_quantiles(const cc_results *r, cc_series_id id, double *out)
{
    return cc_stats_quantiles(r->series[id], r->nscenarios, r->replications, (size_t)r->years * CC_SEX_AXIS, out,
                              r->threads);
}

void cc_results_mean(const cc_results *r, cc_series_id id, double *out)
{
    cc_stats_means(r->series[id], r->nscenarios, r->replications, (size_t)r->years * CC_SEX_AXIS, out);
}

static double demand_total(const cc_results *r, cc_demand_series id, int sc, int rep, int y)
{
    return r->demand_expected[id][((size_t)sc * r->replications + rep) * r->years + y];
}

void cc_results_peak_years(const cc_results *r, cc_demand_series id, int *years, double *share)
{
    memset(share, 0, (size_t)r->nscenarios * r->years * sizeof *share);
    for (int sc = 0; sc < r->nscenarios; sc++)
        for (int rep = 0; rep < r->replications; rep++) {
            int best = 0;
            for (int y = 1; y < r->years; y++)
                if (demand_total(r, id, sc, rep, y) > demand_total(r, id, sc, rep, best))
                    best = y;
            years[(size_t)sc * r->replications + rep] = r->base_year + best;
            share[(size_t)sc * r->years + best] += 1.0 / r->replications;
        }
}

void cc_results_exceedance(const cc_results *r, const double *capacity, double *probability, int *first,
                           double *first_share, double *never)
{
    size_t cells = (size_t)r->nscenarios * r->years;
    memset(probability, 0, cells * sizeof *probability);
    memset(first_share, 0, cells * sizeof *first_share);
    for (int sc = 0; sc < r->nscenarios; sc++) {
        never[sc] = 0;
        for (int rep = 0; rep < r->replications; rep++) {
            int found = 0;
            for (int y = 0; y < r->years; y++)
                if (demand_total(r, CC_DEMAND_BEDS_NEEDED, sc, rep, y) > capacity[sc]) {
                    probability[(size_t)sc * r->years + y] += 1.0 / r->replications;
                    if (!found) {
                        found = r->base_year + y;
                        first_share[(size_t)sc * r->years + y] += 1.0 / r->replications;
                    }
                }
            first[(size_t)sc * r->replications + rep] = found;
            if (!found)
                never[sc] += 1.0 / r->replications;
        }
    }
}
