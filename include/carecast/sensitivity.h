/* One-way sensitivity (README, "Sensitivity"): each ranged parameter of a scenario ([ranges]
 * section.key = low, high) is put at its low and at its high end, everything else at its
 * value, and the scenario is run with the baseline's seed and replications: replication r of
 * every run draws from the same streams (common random numbers), so the differences between
 * runs are paired and a parameter that does not reach an output leaves it exactly unchanged.
 * Outputs: disturbed nights p95 per scheme in the coverage year (2030), beds needed and the 75+
 * population in the demand year (2040), and doctors needed per scheme in the coverage year
 * (the capacity stage, on the first capacity_replications replications). Parameters are
 * ranked per output by the width of
 * their bar, |median at high - median at low|, for a tornado chart. */
#ifndef CARECAST_SENSITIVITY_H
#define CARECAST_SENSITIVITY_H

#include "carecast/error.h"
#include "carecast/options.h"
#include "carecast/scenario.h"

#define CC_SENSITIVITY_COVERAGE_YEAR 2030 /* disturbed nights, doctors needed */
#define CC_SENSITIVITY_DEMAND_YEAR 2040   /* beds needed, 75+ */
#define CC_SENSITIVITY_MAX_OUTPUTS 32

typedef enum {
    CC_SENS_DOCTORS_NEEDED,   /* per scheme, coverage year: the capacity stage (cc_capacity_compute) */
    CC_SENS_DISTURBED_P95,    /* per scheme, coverage year: p95 over duty holders, per doctor-month */
    CC_SENS_BEDS_NEEDED,      /* demand year: beds needed at the target occupancy */
    CC_SENS_AGE75PLUS,        /* demand year: persons aged 75+ */
    CC_SENS_KINDS
} cc_sensitivity_output_kind;

/* The name of a kind as --outputs takes it ("disturbed_nights_p95"), or NULL. */
const char *cc_sensitivity_kind_name(cc_sensitivity_output_kind kind);

typedef struct {
    cc_sensitivity_output_kind kind;
    int year;
    int scheme;        /* index in the scenario's scheme list; -1 for outputs without a scheme */
    char name[64];     /* "disturbed_nights_p95_2030_pairing" */
    char units[40];
    char long_name[160];
} cc_sensitivity_output;

typedef struct {
    int nparams, noutputs, replications;
    int capacity_replications; /* doctors needed: computed on the first ones (NaN after) */
    uint64_t seed;
    char (*param_name)[80];    /* [param] "demand.trend_damping" */
    char (*param_units)[40];   /* [param] the parameter key's unit */
    double *param_value;       /* [param][2] the low and the high end */
    cc_sensitivity_output *outputs; /* [noutputs] */
    double *baseline;          /* [replication][output] the baseline run */
    double *values;            /* [param][end][replication][output] */
    double *baseline_median;   /* [output] */
    double *median;            /* [param][end][output] */
    double *difference;        /* [param][end][3][output] paired end - baseline: lower, mean, upper (95%) */
    double *high_minus_low;    /* [param][3][output] paired high - low: lower, mean, upper (95%) */
    double *width;             /* [param][output] |median at high - median at low|; infinite when only
                                  one end has a median (doctors needed: not attainable at the other) */
    int *rank;                 /* [param][output] 1: widest bar (ties: registry order) */
    int *order;                /* [output][rank - 1] the parameter of each rank */
} cc_sensitivity_result;

typedef struct {
    const char *const *params;  /* parameter names "section.key" (NULL: every ranged parameter) */
    int nparams;
    const char *const *outputs; /* kinds by name (NULL: every kind available) */
    int noutputs;
    long replications;          /* 0: [sensitivity] replications of the scenario */
    long capacity_replications; /* negative: [sensitivity] capacity_replications; 0: no doctors needed */
    int threads;
    cc_progress_fn progress;    /* called with replications done over all runs */
    void *progress_user;
    volatile sig_atomic_t *interrupted;
} cc_sensitivity_options;

/* Load the scenario at path (with overrides), then run the baseline and every chosen parameter
 * at both ends into res (free with cc_sensitivity_free). *baseline receives the loaded baseline
 * scenario (for the file's provenance; free with cc_scenario_free). Errors: bad --params or
 * --outputs (usage, field "--params"/"--outputs"), a scenario error (file, line, field), a
 * failed run. */
int cc_sensitivity_run(const char *path, const cc_override *overrides, int noverrides,
                       const cc_sensitivity_options *options, cc_scenario *baseline, cc_sensitivity_result *res,
                       cc_error *err);
void cc_sensitivity_free(cc_sensitivity_result *res);

#endif
