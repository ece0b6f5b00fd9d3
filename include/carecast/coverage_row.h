/* What the coverage stage hands to the results store: one row per replication (for each target
 * year, the engine's cc_coverage_result: the year's figures, each scheme's and each doctor's),
 * and the one table that names, describes and gives the units of every coverage metric (the
 * results file, the command line's table and the README take them from it).
 * A row is computed on any thread from the replication's demand row (cc_coverage_row_compute)
 * and added to the store in replication order (cc_results_add_row), like the other stages'. */
#ifndef CARECAST_COVERAGE_ROW_H
#define CARECAST_COVERAGE_ROW_H

#include <stdint.h>

#include "carecast/coverage.h"
#include "carecast/demand_row.h"
#include "carecast/options.h"

/* One replication of the coverage stage: year[i] is target year params->target_year[i]. */
typedef struct {
    int nyears, nschemes, ndoctors;
    cc_coverage_result *year; /* [nyears] */
} cc_coverage_row;

/* Allocate a row for the scenario's target years, schemes and doctors. Returns 0 or
 * CC_ERR_NOMEM; cc_coverage_row_free is always safe afterwards. */
int cc_coverage_row_init(cc_coverage_row *row, const cc_coverage_params *params, const cc_coverage_layout *layout);
void cc_coverage_row_free(cc_coverage_row *row);

/* Simulate every target year of replication `replication` into row. Each year's patients are
 * the replication's expected enrolled home-care patients of that calendar year (the demand
 * stage's expectation, both sexes, all ages: demand->expected; base_year is the demand row's
 * first year), each with calls_per_patient_month urgent calls a month. ws: the calling
 * thread's workspace. Returns 0, CC_ERR_USAGE (a target year outside the demand row) or the
 * engine's error. */
int cc_coverage_row_compute(cc_coverage_row *row, const cc_coverage_params *params, const cc_coverage_layout *layout,
                            const cc_run_options *run, uint32_t replication, const cc_demand_row *demand,
                            int base_year, double calls_per_patient_month, cc_coverage_workspace *ws);

/* ---- the metrics: one table (src/coverage/metrics.c) ---- */

/* The three families of metrics of a result: cc_coverage_metric (a year's figures, before any
 * scheme), cc_scheme_metric (per scheme, over its doctors) and cc_doctor_metric (per doctor). */
typedef enum { CC_METRICS_YEAR, CC_METRICS_SCHEME, CC_METRICS_DOCTOR, CC_METRIC_FAMILIES } cc_metric_family;

typedef struct {
    const char *name;        /* the name in the results file: "duty_nights_mean" */
    const char *units;       /* "nights/month", "1" when dimensionless, ... */
    const char *long_name;   /* the quantity in a few words */
    const char *description; /* what it counts, as the metric definitions say */
} cc_coverage_metric_desc;

/* The number of metrics of a family (CC_COV_METRICS, CC_SCH_METRICS, CC_DOC_METRICS). */
int cc_coverage_metric_count(cc_metric_family family);

/* The description of metric `metric` of a family, or NULL when there is no such metric. */
const cc_coverage_metric_desc *cc_coverage_metric_info(cc_metric_family family, int metric);

#endif
