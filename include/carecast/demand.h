/* Demand: a population path turned into inpatients on a day (occupied beds), outpatient
 * visits per weekday, enrolled home-care patients and urgent house calls per month, by sex and
 * age band. Expected demand = sum over ages of persons x rate x trend(year) x multiplier;
 * the day's count is Poisson around it. Pure: no I/O, no globals. */
#ifndef CARECAST_DEMAND_H
#define CARECAST_DEMAND_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "carecast/options.h"
#include "carecast/population.h"

#define CC_AGE_BANDS 5 /* 0-64, 65-74, 75-84, 85+, total */

/* Demand settings with a rate table. */
typedef enum { CC_SETTING_INPATIENT, CC_SETTING_OUTPATIENT, CC_SETTING_HOME_CARE, CC_RATE_SETTINGS } cc_rate_setting;

/* The demand model's parameters: [demand] keys and its rate tables. Read-only once loaded. */
typedef struct {
    int enabled;                               /* 1 when the rate tables are given */
    double rate[CC_RATE_SETTINGS][CC_SEXES][CC_AGES]; /* per 100,000 at rates_year */
    int rates_year;
    double trend[CC_RATE_SETTINGS];            /* mean annual relative change; home care: uptake */
    double trend_sd, rate_cv, occupancy;
    double bed_capacity;                       /* 0: none given */
    double shift_share;
    int shift_year;
    double urgent_calls_per_patient_month;
    double clinics;
} cc_demand_params;


/* Demand series, written under /demand/<name> (names, units and descriptions: the results
 * layout table, src/results/layout.c). */
typedef enum {
    CC_DEMAND_INPATIENT, CC_DEMAND_OUTPATIENT, CC_DEMAND_HOME_CARE, CC_DEMAND_URGENT_CALLS,
    CC_DEMAND_BEDS_NEEDED, CC_DEMAND_SERIES
} cc_demand_series;

/* What one replication drew for demand (parameter uncertainty). */
typedef struct {
    double multiplier[CC_RATE_SETTINGS]; /* rate-level multiplier, lognormal with mean 1 */
    double trend[CC_RATE_SETTINGS];      /* annual relative change of the rates */
} cc_demand_draw;

/* Draw replication `replication`'s parameters (all at their expectation with expected_values). */
void cc_demand_draw_parameters(const cc_demand_params *params, const cc_run_options *run, uint32_t replication,
                               gsl_rng *rng, cc_demand_draw *draw);

/* Demand of one replication: out[series][year][sex 0..2][band 0..4] (sex 2 = total, band 4 =
 * total), from path's population, the day's counts drawn around their expectation; and, when
 * expected is not NULL, expected[series][year]: the expectation itself (both sexes, all ages),
 * which carries the replication's parameter and population uncertainty but not the noise of
 * one survey day. rng is reset to the replication's demand-count streams. */
void cc_demand_compute(const cc_demand_params *params, const cc_run_options *run, const cc_population_path *path,
                       const cc_demand_draw *draw, uint32_t replication, gsl_rng *rng, double *out,
                       double *expected);

/* Band of a single age (0..3). */
int cc_age_band(int age);

#endif
