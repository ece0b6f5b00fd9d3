/* The results store: allocation, the per-scenario record, and rows added in replication
 * order. Adding a row copies its values into the per-replication columns (in memory: every
 * replication's; streamed: the block in hand, written to the results file when it is full),
 * folds its by-age populations into running means and sums of squared deviations (Welford) and
 * its expected totals into peak years and bed exceedance, all in replication order, so the
 * store does not depend on which thread or process produced a row. The coverage part keeps
 * every coverage replication's year, scheme and doctor figures (at most [coverage]
 * replications, whatever the run's), the doctor axis padded with NaN to the largest
 * scenario's roster. */
#include "carecast/results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double cc_quantile_levels[CC_QUANTILES] = {0.05, 0.25, 0.5, 0.75, 0.95};

/* A store whose row columns hold row_scenarios x row_capacity rows. */
static int init(cc_results *r, int nscenarios, int replications, int years, int base_year, int has_demand,
                int row_scenarios, int row_capacity)
{
    memset(r, 0, sizeof *r);
    r->nscenarios = nscenarios;
    r->replications = replications;
    r->years = years;
    r->base_year = base_year;
    r->has_demand = has_demand;
    r->threads = 1;
    r->row_capacity = row_capacity;
    size_t rows = (size_t)row_scenarios * row_capacity * years * CC_SEX_AXIS;
    size_t cells = (size_t)nscenarios * years * CC_SEX_AXIS * CC_AGES;
    size_t draws = (size_t)row_scenarios * row_capacity * CC_RATE_SETTINGS;
    size_t reps = (size_t)nscenarios * replications, per_year = (size_t)nscenarios * years;
    int ok = (r->scenarios = calloc(nscenarios, sizeof *r->scenarios)) != NULL &&
             (r->rows_added = calloc(nscenarios, sizeof *r->rows_added)) != NULL;
    for (int i = 0; i < CC_SERIES_COUNT; i++)
        ok = ok && (r->series[i] = calloc(rows, sizeof(double))) != NULL;
    ok = ok && (r->age_mean = calloc(cells, sizeof(double))) && (r->age_m2 = calloc(cells, sizeof(double)));
    ok = ok && (r->base_population = calloc((size_t)nscenarios * CC_SEX_AXIS * CC_AGES, sizeof(double)));
    for (int i = 0; ok && has_demand && i < CC_DEMAND_SERIES; i++)
        ok = (r->demand[i] = calloc(rows * CC_AGE_BANDS, sizeof(double))) != NULL &&
             (r->demand_expected[i] = calloc((size_t)row_scenarios * row_capacity * years, sizeof(double))) != NULL;
    ok = ok && (!has_demand || ((r->rate_multiplier = calloc(draws, sizeof(double))) &&
                                (r->rate_trend = calloc(draws, sizeof(double))) &&
                                (r->visits_per_patient_month = calloc(draws, sizeof(double))) &&
                                (r->dental_share = calloc(draws, sizeof(double))) &&
                                (r->visits_per_clinic = calloc((size_t)row_scenarios * row_capacity * years + 1,
                                                               sizeof(double)))));
    static const int peaks[] = {CC_DEMAND_OUTPATIENT, CC_DEMAND_INPATIENT};
    for (int i = 0; ok && has_demand && i < 2; i++)
        ok = (r->peak_year[peaks[i]] = calloc(reps + 1, sizeof(int))) &&
             (r->peak_year_share[peaks[i]] = calloc(per_year + 1, sizeof(double)));
    ok = ok && (!has_demand || ((r->first_exceedance_year = calloc(reps + 1, sizeof(int))) &&
                                (r->exceedance_probability = calloc(per_year + 1, sizeof(double))) &&
                                (r->first_exceedance_share = calloc(per_year + 1, sizeof(double))) &&
                                (r->never_exceeded_share = calloc((size_t)nscenarios + 1, sizeof(double)))));
    if (!ok) {
        cc_results_free(r);
        return CC_ERR_NOMEM;
    }
    return 0;
}

int cc_results_init(cc_results *r, int nscenarios, int replications, int years, int base_year, int has_demand)
{
    return init(r, nscenarios, replications, years, base_year, has_demand, nscenarios, replications);
}

int cc_results_init_streamed(cc_results *r, int nscenarios, int replications, int years, int base_year,
                             int has_demand, cc_results_file *file, int file_scenario, int owns_file, int block_rows)
{
    if (block_rows < 1) {
        memset(r, 0, sizeof *r);
        if (owns_file)
            cc_results_file_close(file);
        return CC_ERR_USAGE;
    }
    int capacity = block_rows < replications ? block_rows : (replications > 0 ? replications : 1);
    int ret = init(r, nscenarios, replications, years, base_year, has_demand, 1, capacity);
    if (ret != 0) {
        if (owns_file)
            cc_results_file_close(file);
        return ret;
    }
    r->file = file;
    r->file_scenario = file_scenario;
    r->owns_file = owns_file;
    return 0;
}

static void coverage_free(cc_results_coverage *c)
{
    free(c->n_doctors);
    free(c->doctor_clinic);
    free(c->doctor_block);
    free(c->doctor_role);
    free(c->doctor_backup);
    free(c->labels);
    free(c->blocks_without_doctors);
    free(c->unpaired_primaries);
    free(c->max_duty_nights);
    free(c->max_disturbed_nights);
    for (int m = 0; m < CC_COV_METRICS; m++)
        free(c->year[m]);
    for (int m = 0; m < CC_SCH_METRICS; m++)
        free(c->scheme_values[m]);
    for (int m = 0; m < CC_DOC_METRICS; m++)
        free(c->doctor[m]);
    memset(c, 0, sizeof *c);
}

void cc_results_free(cc_results *r)
{
    if (r->file && r->owns_file)
        cc_results_file_close(r->file); /* removes the temporary file unless it was committed */
    else if (r->file)
        cc_results_file_release(r->file);
    for (int i = 0; i < CC_DEMAND_SERIES; i++) {
        free(r->peak_year[i]);
        free(r->peak_year_share[i]);
    }
    free(r->first_exceedance_year);
    free(r->exceedance_probability);
    free(r->first_exceedance_share);
    free(r->never_exceeded_share);
    free(r->visits_per_clinic);
    coverage_free(&r->coverage);
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
    free(r->visits_per_patient_month);
    free(r->dental_share);
    free(r->age_mean);
    free(r->base_population);
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
    s->base_date = s->fitted.base_date;
    s->reference_date = s->fitted.reference_date;
    memcpy(&r->base_population[(size_t)sc * CC_SEX_AXIS * CC_AGES], f.base_population, sizeof f.base_population);
    s->bed_capacity = bed_capacity;
    s->clinics = clinics;
    return 0;
}

enum { LABEL_SIZE = sizeof(((cc_clinic *)0)->id) };

static int coverage_alloc(cc_results_coverage *c, int nscenarios)
{
    size_t per_year = (size_t)nscenarios * c->replications, doctors = (size_t)nscenarios * c->max_doctors;
    size_t per_scheme = per_year * c->nyears * c->nschemes, labels = doctors > 0 ? doctors : 1;
    int ok = (c->n_doctors = malloc(nscenarios * sizeof(int))) && (c->doctor_clinic = calloc(labels, sizeof(char *))) &&
             (c->doctor_block = calloc(labels, sizeof(int))) && (c->doctor_role = calloc(labels, sizeof(char *))) &&
             (c->doctor_backup = calloc(labels, sizeof(char *))) &&
             (c->labels = calloc(2 * labels, LABEL_SIZE)) &&
             (c->blocks_without_doctors = calloc(nscenarios, sizeof(int))) &&
             (c->unpaired_primaries = calloc(nscenarios, sizeof(int))) &&
             (c->max_duty_nights = calloc(nscenarios, sizeof(double))) &&
             (c->max_disturbed_nights = calloc(nscenarios, sizeof(double)));
    for (int m = 0; ok && m < CC_COV_METRICS; m++)
        ok = (c->year[m] = calloc(per_year * c->nyears + 1, sizeof(double))) != NULL;
    for (int m = 0; ok && m < CC_SCH_METRICS; m++)
        ok = (c->scheme_values[m] = calloc(per_scheme + 1, sizeof(double))) != NULL;
    for (int m = 0; ok && m < CC_DOC_METRICS; m++) {
        size_t n = per_scheme * c->max_doctors;
        ok = (c->doctor[m] = malloc((n + 1) * sizeof(double))) != NULL;
        for (size_t i = 0; ok && i < n; i++)
            c->doctor[m][i] = NAN; /* the padding past each scenario's roster */
    }
    for (int sc = 0; ok && sc < nscenarios; sc++)
        c->n_doctors[sc] = -1;
    for (size_t i = 0; ok && i < doctors; i++)
        c->doctor_clinic[i] = c->doctor_role[i] = c->doctor_backup[i] = "";
    return ok ? 0 : CC_ERR_NOMEM;
}

int cc_results_init_coverage(cc_results *r, const cc_coverage_params *p, int replications, int max_doctors)
{
    if (r->coverage.enabled || replications < 0 || replications > r->replications || max_doctors < 0 ||
        p->nyears < 1 || p->nyears > CC_COVERAGE_MAX_YEARS || p->nschemes < 1 || p->nschemes > CC_SCHEMES)
        return CC_ERR_USAGE;
    cc_results_coverage *c = &r->coverage;
    c->replications = replications;
    c->nyears = p->nyears;
    c->nschemes = p->nschemes;
    c->max_doctors = max_doctors;
    memcpy(c->target_year, p->target_year, sizeof c->target_year);
    memcpy(c->scheme, p->scheme, sizeof c->scheme);
    if (coverage_alloc(c, r->nscenarios) != 0) {
        coverage_free(c);
        return CC_ERR_NOMEM;
    }
    c->enabled = 1;
    return 0;
}

int cc_results_set_coverage_scenario(cc_results *r, int sc, const cc_coverage_params *p, const cc_coverage_layout *l)
{
    cc_results_coverage *c = &r->coverage;
    if (!c->enabled || sc < 0 || sc >= r->nscenarios || l->ndoctors > c->max_doctors)
        return CC_ERR_USAGE;
    size_t at = (size_t)sc * c->max_doctors;
    char *labels = c->labels + 2 * at * LABEL_SIZE;
    for (int d = 0; d < l->ndoctors; d++) {
        const cc_clinic *k = &p->clinics[l->doctor_clinic[d]];
        int backup = l->pair[l->doctor_clinic[d]];
        char *id = labels + 2 * (size_t)d * LABEL_SIZE, *pair = id + LABEL_SIZE;
        snprintf(id, LABEL_SIZE, "%s", k->id);
        snprintf(pair, LABEL_SIZE, "%s", backup >= 0 ? p->clinics[backup].id : "");
        c->doctor_clinic[at + d] = id;
        c->doctor_backup[at + d] = pair;
        c->doctor_block[at + d] = k->block + 1;
        c->doctor_role[at + d] = k->type == CC_CLINIC_BACKUP ? "backup" : "primary";
    }
    c->n_doctors[sc] = l->ndoctors;
    c->blocks_without_doctors[sc] = l->blocks_without_doctors;
    c->unpaired_primaries[sc] = l->unpaired_primaries;
    c->max_duty_nights[sc] = p->max_duty_nights_per_month;
    c->max_disturbed_nights[sc] = p->max_disturbed_nights_per_month;
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

/* Per replication, the year in which a demand series' expectation (both sexes, all ages; the
 * replication's parameters and population, without one day's Poisson noise) is highest, and
 * the share of replications peaking in each year. */
static void add_peak_year(cc_results *r, cc_demand_series id, int sc, int rep, const double *expected)
{
    int best = 0;
    for (int y = 1; y < r->years; y++)
        if (expected[y] > expected[best])
            best = y;
    r->peak_year[id][(size_t)sc * r->replications + rep] = r->base_year + best;
    r->peak_year_share[id][(size_t)sc * r->years + best] += 1.0 / r->replications;
}

/* Expected beds needed against the scenario's capacity (0: none given): the probability per
 * year that they exceed it, the first year they do (0: never within the run), the
 * distribution of that year and the share that never exceed it. */
static void add_exceedance(cc_results *r, int sc, int rep, const double *beds)
{
    double capacity = r->scenarios[sc].bed_capacity > 0 ? r->scenarios[sc].bed_capacity : 0;
    int found = 0;
    for (int y = 0; y < r->years; y++)
        if (beds[y] > capacity) {
            r->exceedance_probability[(size_t)sc * r->years + y] += 1.0 / r->replications;
            if (!found) {
                found = r->base_year + y;
                r->first_exceedance_share[(size_t)sc * r->years + y] += 1.0 / r->replications;
            }
        }
    r->first_exceedance_year[(size_t)sc * r->replications + rep] = found;
    if (!found)
        r->never_exceeded_share[sc] += 1.0 / r->replications;
}

static void add_demand(cc_results *r, int sc, int rep, const cc_demand_row *row)
{
    size_t per_series = (size_t)r->years * CC_SEX_AXIS * CC_AGE_BANDS, at = cc_results_row(r, sc, rep);
    for (int d = 0; d < CC_DEMAND_SERIES; d++) {
        memcpy(&r->demand[d][cc_results_demand_index(r, sc, rep, 0, 0, 0)], cc_demand_row_counts(row, d),
               per_series * sizeof(double));
        memcpy(&r->demand_expected[d][at * r->years], cc_demand_row_expected(row, d), r->years * sizeof(double));
    }
    for (int k = 0; k < CC_RATE_SETTINGS; k++) {
        r->rate_multiplier[at * CC_RATE_SETTINGS + k] = row->draw.multiplier[k];
        r->rate_trend[at * CC_RATE_SETTINGS + k] = row->draw.trend[k];
    }
    r->visits_per_patient_month[at] = row->draw.visits_per_patient_month;
    r->dental_share[at] = row->draw.dental_share;
    /* all outpatient visits per weekday divided by the scenario's clinics (not given: NaN, undefined) */
    for (int y = 0; y < r->years; y++)
        r->visits_per_clinic[at * r->years + y] =
            r->scenarios[sc].clinics > 0
                ? r->demand[CC_DEMAND_OUTPATIENT][cc_results_demand_index(r, sc, rep, y, 2, 4)] / r->scenarios[sc].clinics
                : NAN;
    add_peak_year(r, CC_DEMAND_OUTPATIENT, sc, rep, cc_demand_row_expected(row, CC_DEMAND_OUTPATIENT));
    add_peak_year(r, CC_DEMAND_INPATIENT, sc, rep, cc_demand_row_expected(row, CC_DEMAND_INPATIENT));
    add_exceedance(r, sc, rep, cc_demand_row_expected(row, CC_DEMAND_BEDS_NEEDED));
}

static void add_coverage(cc_results *r, int sc, int rep, const cc_coverage_row *row)
{
    const cc_results_coverage *c = &r->coverage;
    for (int y = 0; y < c->nyears; y++) {
        const cc_coverage_result *res = &row->year[y];
        for (int m = 0; m < CC_COV_METRICS; m++)
            c->year[m][cc_results_coverage_year_index(r, y, sc, rep)] = res->year[m];
        for (int k = 0; k < c->nschemes; k++) {
            size_t at = cc_results_coverage_index(r, y, k, sc, rep);
            for (int m = 0; m < CC_SCH_METRICS; m++)
                c->scheme_values[m][at] = res->scheme[(size_t)k * CC_SCH_METRICS + m];
            for (int d = 0; d < row->ndoctors; d++)
                for (int m = 0; m < CC_DOC_METRICS; m++)
                    c->doctor[m][at * c->max_doctors + d] =
                        res->doctor[((size_t)k * row->ndoctors + d) * CC_DOC_METRICS + m];
        }
    }
}

/* Whether a row's coverage part is what the store expects of replication rep of scenario sc. */
static int coverage_fits(const cc_results *r, int sc, int rep, const cc_coverage_row *row)
{
    const cc_results_coverage *c = &r->coverage;
    int wanted = c->enabled && rep < c->replications;
    if (!wanted || !row)
        return !wanted && !row;
    if (row->nyears != c->nyears || row->nschemes != c->nschemes || row->ndoctors != c->n_doctors[sc])
        return 0;
    for (int y = 0; y < c->nyears; y++)
        if (row->year[y].nschemes != c->nschemes || row->year[y].ndoctors != row->ndoctors)
            return 0;
    return 1;
}

int cc_results_add_row(cc_results *r, int sc, int rep, const cc_row *row)
{
    if (sc < 0 || sc >= r->nscenarios || rep != r->rows_added[sc] || rep >= r->replications || !row ||
        !row->population || row->population->years != r->years || !row->demand != !r->has_demand ||
        (row->demand && row->demand->years != r->years) || !coverage_fits(r, sc, rep, row->coverage) ||
        (r->file && sc > 0 && r->rows_added[sc - 1] != r->replications) || /* streamed: scenario by scenario */
        (!r->file && r->row_capacity < r->replications)) /* a store that keeps no rows */
        return CC_ERR_USAGE;
    add_population(r, sc, rep, row->population);
    if (r->has_demand)
        add_demand(r, sc, rep, row->demand);
    if (row->coverage)
        add_coverage(r, sc, rep, row->coverage);
    r->rows_added[sc]++;
    int slot = rep % r->row_capacity;
    if (r->file && (slot == r->row_capacity - 1 || rep == r->replications - 1)) /* a full block, or the last */
        return cc_results_file_rows(r->file, r, sc, rep - slot, slot + 1, &r->file_error);
    return 0;
}
