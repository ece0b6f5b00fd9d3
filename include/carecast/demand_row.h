/* What the demand stage hands to the results store: one row per replication with the day's
 * counts by setting, year, sex and age band, each setting's expectation (both sexes, all ages)
 * and the parameters the replication drew. Filled on any thread (cc_demand_row_compute) and
 * added to the store in replication order (cc_results_add_row). */
#ifndef CARECAST_DEMAND_ROW_H
#define CARECAST_DEMAND_ROW_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "carecast/demand.h"
#include "carecast/population_row.h"

/* One replication of the demand stage. */
typedef struct {
    int years;
    double *counts;      /* [CC_DEMAND_SERIES][years][CC_SEX_AXIS][CC_AGE_BANDS] the day's counts */
    double *expected;    /* [CC_DEMAND_SERIES][years] expectation, both sexes, all ages */
    cc_demand_draw draw; /* rate-level multiplier and trend per setting */
} cc_demand_row;

/* Allocate a row for `years` years (zeroed). Returns 0 or CC_ERR_NOMEM; free is always safe. */
int cc_demand_row_init(cc_demand_row *row, int years);
void cc_demand_row_free(cc_demand_row *row);

/* Draw replication `replication`'s demand parameters and compute its demand from its
 * population path (cc_demand_draw_parameters, then cc_demand_compute) into row. rng: the
 * calling thread's generator, reset to the replication's streams. */
void cc_demand_row_compute(cc_demand_row *row, const cc_demand_params *params, const cc_run_options *run,
                           const cc_population_path *path, uint32_t replication, gsl_rng *rng);

/* The day's counts of one series in a row: [years][CC_SEX_AXIS][CC_AGE_BANDS]. */
static inline const double *cc_demand_row_counts(const cc_demand_row *row, cc_demand_series id)
{
    return row->counts + (size_t)id * row->years * CC_SEX_AXIS * CC_AGE_BANDS;
}

/* The expectation of one series in a row: [years]. */
static inline const double *cc_demand_row_expected(const cc_demand_row *row, cc_demand_series id)
{
    return row->expected + (size_t)id * row->years;
}

#endif
