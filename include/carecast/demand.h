/* Demand: a population path turned into inpatients on a day (occupied beds), outpatient
 * visits per weekday, enrolled home-care patients, urgent house calls (requests) per month and
 * the urgent visits among them, by sex and age band. Expected demand = sum over ages of persons
 * x rate x trend(year) x multiplier; the day's count is Poisson around it. Pure: no I/O, no
 * globals. */
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
    double trend_damping;                      /* inpatient and outpatient: the change in year
                                                  rates_year + t is trend x damping^t */
    double trend_sd, rate_cv, occupancy;
    /* enrolled home care = scheduled-visit patients a day x 21.7 / visits x (1 - dental share):
     * each drawn per replication, triangular {mode, min, max}; the home-care table is built
     * with CC_HOME_CARE_TABLE_VISITS and CC_HOME_CARE_TABLE_DENTAL_SHARE */
    double visits_per_patient_month[3];
    double dental_share[3];
    double bed_capacity;                       /* 0: none given */
    double shift_share;
    int shift_year;
    double urgent_calls_per_patient_month;
    double urgent_visit_share;                 /* [coverage] urgent_visit_share: calls needing a visit */
    double clinics;
} cc_demand_params;

/* The visits per patient-month and dental share the home-care rate table is built with
 * (scripts/make-demand-tables.py): drawn values scale the table by
 * (CC_HOME_CARE_TABLE_VISITS / visits) x (1 - dental share) / (1 - CC_HOME_CARE_TABLE_DENTAL_SHARE). */
#define CC_HOME_CARE_TABLE_VISITS 2.4
#define CC_HOME_CARE_TABLE_DENTAL_SHARE 0.40

/* Parameters of a triangular distribution, as {mode, min, max}. */
enum { CC_TRI_MODE, CC_TRI_MIN, CC_TRI_MAX };


/* Demand series, written under /demand/<name> (names, units and descriptions: the results
 * layout table, src/results/layout.c). */
typedef enum {
    CC_DEMAND_INPATIENT, CC_DEMAND_OUTPATIENT, CC_DEMAND_HOME_CARE, CC_DEMAND_URGENT_CALLS,
    CC_DEMAND_BEDS_NEEDED, CC_DEMAND_URGENT_VISITS, CC_DEMAND_SERIES
} cc_demand_series;

/* What one replication drew for demand (parameter uncertainty). */
typedef struct {
    double multiplier[CC_RATE_SETTINGS]; /* rate-level multiplier, lognormal with mean 1 */
    double trend[CC_RATE_SETTINGS];      /* annual relative change of the rates (in rates_year) */
    double visits_per_patient_month;     /* scheduled visits per enrolled patient-month */
    double dental_share;                 /* dental share of scheduled-visit patients */
    double enrolment_factor;             /* their scaling of the home-care table (1 at the table's) */
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

/* Factor of the rates in `year` against rates_year for an annual change `trend` damped by
 * `damping` a year: prod_{t=0}^{T-1} (1 + trend x damping^t), T = year - rates_year; before
 * rates_year the undamped (1 + trend)^T (the trend was measured on past years). */
double cc_demand_trend_factor(double trend, double damping, int years_after);

/* Band of a single age (0..3). */
int cc_age_band(int age);

#endif
