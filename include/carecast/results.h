/* The results store: what a run produced, held in memory until it is written. Each stage
 * hands over one row per replication (cc_population_row, cc_demand_row, together a cc_row);
 * cc_results_add_row stores it, in replication order within each scenario, so a distributed
 * run needs only to send rows to one process. Per replication the store keeps every headline
 * series, demand count, expectation and drawn parameter; of the full age x sex x year arrays
 * it keeps running means and sums of squared deviations (Welford, in replication order, so
 * they do not depend on the thread count or on how rows were produced). What each scenario's
 * model fitted is stored once per scenario, as data (cc_results_set_scenario).
 * Summaries (quantiles, differences, peak years, ...) are computed from the store by the
 * summaries module; cc_results_write writes both. */
#ifndef CARECAST_RESULTS_H
#define CARECAST_RESULTS_H

#include <signal.h>

#include "carecast/demand_row.h"
#include "carecast/error.h"
#include "carecast/population_row.h"
#include "carecast/scenario.h"

#define CC_QUANTILES 5
extern const double cc_quantile_levels[CC_QUANTILES]; /* 0.05 0.25 0.5 0.75 0.95 */

/* One replication of one scenario: the row of each stage. */
typedef struct {
    const cc_population_row *population;
    const cc_demand_row *demand; /* NULL when the run has no demand */
} cc_row;

/* What the store keeps of a scenario besides its rows. */
typedef struct {
    char *name;
    double bed_capacity;          /* [demand] bed_capacity (0: none given) */
    double clinics;               /* [demand] clinics */
    cc_population_fitted fitted;  /* what the population model fitted or calibrated */
} cc_results_scenario;

typedef struct {
    int nscenarios, replications, years, base_year;
    int has_demand;
    int threads;                    /* threads for the summaries; results do not depend on it */
    cc_results_scenario *scenarios; /* [nscenarios] */
    /* [series][scenario][replication][year][CC_SEX_AXIS] */
    double *series[CC_SERIES_COUNT];
    /* [scenario][year][CC_SEX_AXIS][CC_AGES]: running mean and sum of squared deviations */
    double *age_mean, *age_m2;
    /* demand (when has_demand): [series][scenario][replication][year][CC_SEX_AXIS][CC_AGE_BANDS] */
    double *demand[CC_DEMAND_SERIES];
    double *demand_expected[CC_DEMAND_SERIES]; /* [scenario][replication][year] */
    double *rate_multiplier, *rate_trend;      /* [scenario][replication][CC_RATE_SETTINGS] as drawn */
    long *rows_added;                          /* [scenario] */
} cc_results;

/* An empty store for nscenarios x replications rows of `years` years from base_year. Returns
 * 0 or CC_ERR_NOMEM (res freed); cc_results_free is always safe afterwards. */
int cc_results_init(cc_results *res, int nscenarios, int replications, int years, int base_year, int has_demand);
void cc_results_free(cc_results *res);

/* Name a scenario and keep what its summaries and file need: the demand parameters the
 * summaries use and a copy of its fitted record. Returns 0, CC_ERR_NOMEM or CC_ERR_USAGE. */
int cc_results_set_scenario(cc_results *res, int scenario, const char *name, double bed_capacity, double clinics,
                            const cc_population_fitted *fitted);

/* Store the row of one replication. Rows of a scenario must come in replication order
 * (0, 1, 2, ...); row->demand is required exactly when the store has demand. Returns 0, or
 * CC_ERR_USAGE (out of order, wrong size or missing stage; nothing stored). */
int cc_results_add_row(cc_results *res, int scenario, int replication, const cc_row *row);

/* Index of a headline value in res->series[id]. */
static inline size_t cc_results_series_index(const cc_results *r, int scenario, int rep, int year, int sex)
{
    return (((size_t)scenario * r->replications + rep) * r->years + year) * CC_SEX_AXIS + sex;
}

/* Index of a demand count in res->demand[id]. */
static inline size_t cc_results_demand_index(const cc_results *r, int scenario, int rep, int year, int sex, int band)
{
    return cc_results_series_index(r, scenario, rep, year, sex) * CC_AGE_BANDS + band;
}

/* Write the results file atomically (temp file in the same folder, then rename): either the
 * complete file appears at path or nothing changes there. The summaries are computed here
 * (cc_summaries_compute); provenance comes from the scenarios and run facts. */
typedef struct {
    int threads, ranks;
    const char *command_line;
    volatile sig_atomic_t *interrupted; /* checked while writing; may be NULL */
} cc_run_facts;
int cc_results_write(const cc_results *res, const cc_scenario *scenarios, int nscenarios,
                     const cc_run_facts *facts, const char *path, cc_error *err);

#endif
