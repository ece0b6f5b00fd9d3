/* The results store: allocation, the per-scenario record, and rows added in replication
 * order. Adding a row copies its values into the per-replication columns and folds its by-age
 * populations into running means and sums of squared deviations (Welford) in replication
 * order, so the store does not depend on which thread or process produced a row. */
#include "carecast/results.h"

#include <stdlib.h>
#include <string.h>

const double cc_quantile_levels[CC_QUANTILES] = {0.05, 0.25, 0.5, 0.75, 0.95};

int cc_results_init(cc_results *r, int nscenarios, int replications, int years, int base_year, int has_demand)
{
    memset(r, 0, sizeof *r);
    r->nscenarios = nscenarios;
    r->replications = replications;
    r->years = years;
    r->base_year = base_year;
    r->has_demand = has_demand;
    r->threads = 1;
    size_t rows = (size_t)nscenarios * replications * years * CC_SEX_AXIS;
    size_t cells = (size_t)nscenarios * years * CC_SEX_AXIS * CC_AGES;
    size_t draws = (size_t)nscenarios * replications * CC_RATE_SETTINGS;
    int ok = (r->scenarios = calloc(nscenarios, sizeof *r->scenarios)) != NULL &&
             (r->rows_added = calloc(nscenarios, sizeof *r->rows_added)) != NULL;
    for (int i = 0; i < CC_SERIES_COUNT; i++)
        ok = ok && (r->series[i] = calloc(rows, sizeof(double))) != NULL;
    ok = ok && (r->age_mean = calloc(cells, sizeof(double))) && (r->age_m2 = calloc(cells, sizeof(double)));
    for (int i = 0; ok && has_demand && i < CC_DEMAND_SERIES; i++)
        ok = (r->demand[i] = calloc(rows * CC_AGE_BANDS, sizeof(double))) != NULL &&
             (r->demand_expected[i] = calloc((size_t)nscenarios * replications * years, sizeof(double))) != NULL;
    ok = ok && (!has_demand || ((r->rate_multiplier = calloc(draws, sizeof(double))) &&
                                (r->rate_trend = calloc(draws, sizeof(double)))));
    if (!ok) {
        cc_results_free(r);
        return CC_ERR_NOMEM;
    }
    return 0;
}

void cc_results_free(cc_results *r)
{
    for (int i = 0; r->scenarios && i < r->nscenarios; i++) {
        free(r->scenarios[i].name);
        cc_population_fitted_free(&r->scenarios[i].fitted);
    }
    free(r->scenarios);
    free(r->rows_added);
    for (int i = 0; i < CC_SERIES_COUNT; i++)
        free(r->series[i]);
    for (int i = 0; i < CC_DEMAND_SERIES; i++) {
        free(r->demand[i]);
        free(r->demand_expected[i]);
    }
    free(r->rate_multiplier);
    free(r->rate_trend);
    free(r->age_mean);
    free(r->age_m2);
    memset(r, 0, sizeof *r);
}

int cc_results_set_scenario(cc_results *r, int sc, const char *name, double bed_capacity, double clinics,
                            const cc_population_fitted *fitted)
{
    if (sc < 0 || sc >= r->nscenarios || !name || !fitted || fitted->years != r->years)
        return CC_ERR_USAGE;
    cc_results_scenario *s = &r->scenarios[sc];
    char *copy = strdup(name);
    cc_population_fitted f;
    if (!copy || cc_population_fitted_copy(&f, fitted) != 0) {
        free(copy);
        return CC_ERR_NOMEM;
    }
    free(s->name);
    cc_population_fitted_free(&s->fitted);
    s->name = copy;
    s->fitted = f;
    s->bed_capacity = bed_capacity;
    s->clinics = clinics;
    return 0;
}

/* Welford update of the by-age moments with the row of the count-th replication. */
static void accumulate_ages(cc_results *r, int sc, const cc_population_row *row, long count)
{
    size_t n = (size_t)r->years * CC_SEX_AXIS * CC_AGES;
    double *mean = r->age_mean + sc * n, *m2 = r->age_m2 + sc * n;
    for (size_t i = 0; i < n; i++) {
        double delta = row->by_age[i] - mean[i];
        mean[i] += delta / count;
        m2[i] += delta * (row->by_age[i] - mean[i]);
    }
}

static void add_population(cc_results *r, int sc, int rep, const cc_population_row *row)
{
    size_t per_series = (size_t)r->years * CC_SEX_AXIS;
    for (int id = 0; id < CC_SERIES_COUNT; id++)
        memcpy(&r->series[id][cc_results_series_index(r, sc, rep, 0, 0)], cc_population_row_series(row, id),
               per_series * sizeof(double));
    accumulate_ages(r, sc, row, rep + 1);
}

static void add_demand(cc_results *r, int sc, int rep, const cc_demand_row *row)
{
    size_t per_series = (size_t)r->years * CC_SEX_AXIS * CC_AGE_BANDS, at = (size_t)sc * r->replications + rep;
    for (int d = 0; d < CC_DEMAND_SERIES; d++) {
        memcpy(&r->demand[d][cc_results_demand_index(r, sc, rep, 0, 0, 0)], cc_demand_row_counts(row, d),
               per_series * sizeof(double));
        memcpy(&r->demand_expected[d][at * r->years], cc_demand_row_expected(row, d), r->years * sizeof(double));
    }
    for (int k = 0; k < CC_RATE_SETTINGS; k++) {
        r->rate_multiplier[at * CC_RATE_SETTINGS + k] = row->draw.multiplier[k];
        r->rate_trend[at * CC_RATE_SETTINGS + k] = row->draw.trend[k];
    }
}

int cc_results_add_row(cc_results *r, int sc, int rep, const cc_row *row)
{
    if (sc < 0 || sc >= r->nscenarios || rep != r->rows_added[sc] || rep >= r->replications || !row ||
        !row->population || row->population->years != r->years || !row->demand != !r->has_demand ||
        (row->demand && row->demand->years != r->years))
        return CC_ERR_USAGE;
    add_population(r, sc, rep, row->population);
    if (r->has_demand)
        add_demand(r, sc, rep, row->demand);
    r->rows_added[sc]++;
    return 0;
}
