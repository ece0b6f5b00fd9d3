/* In-memory results: allocation, the series catalogue (names, units, descriptions as written
 * to the file), means and exact quantiles over replications. */
#include "carecast/results.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>
#include <string.h>

const double cc_quantile_levels[CC_QUANTILES] = {0.05, 0.25, 0.5, 0.75, 0.95};

static const cc_series_info series_info[CC_SERIES_COUNT] = {
    {"total", "persons", "Population of all ages at the base date's day of each year"},
    {"age65plus", "persons", "Population aged 65 and over"},
    {"age75plus", "persons", "Population aged 75 and over"},
    {"age85plus", "persons", "Population aged 85 and over"},
    {"births", "births/year", "Live births during the year that starts at the year's base date"},
    {"deaths", "deaths/year", "Deaths during the year (including births of the year who die before its end)"},
    {"net_migration", "persons/year", "Net migrants added during the year (in minus out)"},
    {"life_expectancy_0", "years", "Period life expectancy at birth of the year's mortality rates "
     "(total: a birth cohort of both sexes at the sex ratio at birth)"},
    {"life_expectancy_65", "years", "Period life expectancy at 65 of the year's mortality rates "
     "(total: weighted by survivors to 65)"},
};

const cc_series_info *cc_series(cc_series_id id) { return &series_info[id]; }

int cc_results_init(cc_results *r, int nscenarios, int replications, int years, int base_year)
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
    free(r->age_mean);
    free(r->age_sd);
    free(r->age_m2);
    memset(r, 0, sizeof *r);
}

int cc_results_quantiles(const cc_results *r, cc_series_id id, double *out)
{
    double *column = malloc((size_t)r->replications * sizeof *column);
    if (!column)
        return CC_ERR_NOMEM;
    for (int sc = 0; sc < r->nscenarios; sc++)
        for (int y = 0; y < r->years; y++)
            for (int sex = 0; sex < CC_SEX_AXIS; sex++) {
                for (int rep = 0; rep < r->replications; rep++)
                    column[rep] = r->series[id][cc_results_series_index(r, sc, rep, y, sex)];
                gsl_sort(column, 1, r->replications);
                for (int q = 0; q < CC_QUANTILES; q++)
                    out[(((size_t)sc * CC_QUANTILES + q) * r->years + y) * CC_SEX_AXIS + sex] =
                        gsl_stats_quantile_from_sorted_data(column, 1, r->replications, cc_quantile_levels[q]);
            }
    free(column);
    return 0;
}

void cc_results_mean(const cc_results *r, cc_series_id id, double *out)
{
    for (int sc = 0; sc < r->nscenarios; sc++)
        for (int y = 0; y < r->years; y++)
            for (int sex = 0; sex < CC_SEX_AXIS; sex++) {
                double mean = 0; /* running mean in replication order */
                for (int rep = 0; rep < r->replications; rep++)
                    mean += (r->series[id][cc_results_series_index(r, sc, rep, y, sex)] - mean) / (rep + 1);
                out[((size_t)sc * r->years + y) * CC_SEX_AXIS + sex] = mean;
            }
}
