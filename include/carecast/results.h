/* Results of a run held in memory, in the layout of the results file: per-replication rows
 * of the headline series, and mean / standard deviation of the full age x sex x year arrays
 * accumulated in replication order (so they do not depend on the thread count). */
#ifndef CARECAST_RESULTS_H
#define CARECAST_RESULTS_H

#include "carecast/error.h"
#include <signal.h>

#include "carecast/demand.h"
#include "carecast/population.h"
#include "carecast/scenario.h"

#define CC_SEX_AXIS 3       /* male, female, total */
#define CC_QUANTILES 5
extern const double cc_quantile_levels[CC_QUANTILES]; /* 0.05 0.25 0.5 0.75 0.95 */

/* Headline series: one value per scenario, replication, year and sex. */
typedef enum {
    CC_SERIES_TOTAL, CC_SERIES_AGE65PLUS, CC_SERIES_AGE75PLUS, CC_SERIES_AGE85PLUS,
    CC_SERIES_BIRTHS, CC_SERIES_DEATHS, CC_SERIES_NET_MIGRATION,
    CC_SERIES_LIFE_EXPECTANCY_0, CC_SERIES_LIFE_EXPECTANCY_65,
    CC_SERIES_COUNT
} cc_series_id;

typedef struct {
    const char *name, *units, *description;
    const char *long_name; /* the quantity, as a reader labels it ("Population aged 75 and over") */
} cc_series_info;
const cc_series_info *cc_series(cc_series_id id);

typedef struct {
    int nscenarios, replications, years, base_year;
    int threads; /* threads for the summaries (quantiles); results do not depend on it */
    char **scenario_names;
    /* [series][scenario][replication][year][CC_SEX_AXIS] */
    double *series[CC_SERIES_COUNT];
    /* [scenario][year][CC_SEX_AXIS][CC_AGES] */
    double *age_mean, *age_sd;
    /* demand (when has_demand): [series][scenario][replication][year][CC_SEX_AXIS][CC_AGE_BANDS] */
    int has_demand;
    double *demand[CC_DEMAND_SERIES];
    double *demand_expected[CC_DEMAND_SERIES]; /* [scenario][replication][year]: expectation, both sexes, all ages */
    double *demand_draws; /* [scenario][replication][CC_RATE_SETTINGS][2]: multiplier, trend */
    /* [scenario]: what each scenario's model fitted and calibrated */
    cc_population_model *models;
    /* internal: Welford sums of squares, replications accumulated */
    double *age_m2;
    long accumulated;
} cc_results;

int cc_results_init(cc_results *res, int nscenarios, int replications, int years, int base_year, int has_demand);
void cc_results_free(cc_results *res);

static inline size_t cc_results_demand_index(const cc_results *r, int scenario, int rep, int year, int sex, int band)
{
    return ((((size_t)scenario * r->replications + rep) * r->years + year) * CC_SEX_AXIS + sex) * CC_AGE_BANDS + band;
}

static inline size_t cc_results_series_index(const cc_results *r, int scenario, int rep, int year, int sex)
{
    return (((size_t)scenario * r->replications + rep) * r->years + year) * CC_SEX_AXIS + sex;
}

/* Generic forms over data[scenario][replication][cells]: quantiles out[scenario][q][cells],
 * means out[scenario][cells] (accumulated in replication order). */
int cc_stats_quantiles(const double *data, int nscenarios, int replications, size_t cells, double *out,
                       int threads);
void cc_stats_means(const double *data, int nscenarios, int replications, size_t cells, double *out);

/* Paired comparison with scenario 0 (common random numbers): for every scenario s and cell,
 * the quantiles of the per-replication differences x[s] - x[0] (quantiles[s][q][cells]), and
 * 95% intervals for the mean difference, paired (t on the differences) and, for reference,
 * unpaired (Welch, as if the runs were independent): ci[s][3][cells] = lower, mean, upper. */
int cc_stats_differences(const double *data, int nscenarios, int replications, size_t cells, double *quantiles,
                         double *ci_paired, double *ci_unpaired, int threads);

/* Per replication, the year in which a demand series' expectation (both sexes, all ages; the
 * replication's parameters and population, without one survey day's Poisson noise) is highest:
 * years[scenario][replication]; share[scenario][year] of replications peaking in each year. */
void cc_results_peak_years(const cc_results *res, cc_demand_series id, int *years, double *share);

/* Expected beds needed (as for peak years) against a capacity: probability[scenario][year] that
 * they exceed it;
 * first[scenario][replication] the first year they do (0: never within the run);
 * first_share[scenario][year] the distribution of that year; never[scenario] the rest. */
void cc_results_exceedance(const cc_results *res, const double *capacity, double *probability, int *first,
                           double *first_share, double *never);

/* Quantiles over replications of one series: out[scenario][quantile][year][sex] (caller
 * allocates nscenarios * CC_QUANTILES * years * CC_SEX_AXIS doubles). Exact: linear
 * interpolation between order statistics (gsl_stats_quantile_from_sorted_data). */
int cc_results_quantiles(const cc_results *res, cc_series_id id, double *out);
/* Mean over replications of one series: out[scenario][year][sex]. */
void cc_results_mean(const cc_results *res, cc_series_id id, double *out);

/* Write the results file atomically (temp file in the same folder, then rename): either the
 * complete file appears at path or nothing changes there. Provenance from the scenarios and
 * run facts. */
typedef struct {
    int threads, ranks;
    const char *command_line;
    volatile sig_atomic_t *interrupted; /* checked while writing; may be NULL */
} cc_run_facts;
int cc_results_write(const cc_results *res, const cc_scenario *scenarios, int nscenarios,
                     const cc_run_facts *facts, const char *path, cc_error *err);

#endif
