/* Summaries of a results store, computed from its rows: quantiles and means over
 * replications, paired differences from the first scenario, the standard deviation by age,
 * outpatient visits per clinic, peak years of expected demand and the bed-capacity exceedance;
 * for coverage, quantiles and means over the coverage replications, paired differences of
 * each scheme from the first scheme, and per-doctor means.
 * Exact and independent of the thread count: quantiles by linear interpolation between order
 * statistics (gsl_stats_quantile_from_sorted_data), each cell sorted by one thread; means and
 * variances accumulated in replication order. A NaN value (a figure undefined in a
 * replication, e.g. continuity in a year without calls) is left out of a cell's statistics;
 * a cell without any value is NaN. */
#ifndef CARECAST_SUMMARIES_H
#define CARECAST_SUMMARIES_H

#include "carecast/results.h"

/* A replicated quantity data[scenario][replication][cells] summarised over replications. */
typedef struct {
    double *quantiles;        /* [scenario][CC_QUANTILES][cells] */
    double *mean;             /* [scenario][cells] */
    /* with several scenarios (else NULL): each scenario minus the first, replication by
     * replication (common random numbers); scenario 0's rows are zero */
    double *diff_quantiles;   /* [scenario][CC_QUANTILES][cells] */
    double *diff_ci;          /* [scenario][3][cells] lower, mean, upper: paired 95% interval */
    double *diff_ci_unpaired; /* [scenario][3][cells] the same as if the runs were independent (Welch) */
} cc_replicated_summary;

/* Summarise data[scenario][replication][cells]. Returns 0 or CC_ERR_NOMEM (out freed). */
int cc_replicated_summary_compute(cc_replicated_summary *out, const double *data, int nscenarios, int replications,
                                  size_t cells, int threads);
void cc_replicated_summary_free(cc_replicated_summary *s);

typedef struct {
    int nscenarios, replications, years;
    cc_replicated_summary series[CC_SERIES_COUNT]; /* cells [year][CC_SEX_AXIS] */
    double *age_sd;                                 /* [scenario][year][CC_SEX_AXIS][CC_AGES] (n - 1) */
    /* demand (when the store has it) */
    cc_replicated_summary demand[CC_DEMAND_SERIES];          /* cells [year][CC_SEX_AXIS][CC_AGE_BANDS] */
    cc_replicated_summary demand_expected[CC_DEMAND_SERIES]; /* cells [year] */
    cc_replicated_summary visits_per_clinic_summary;
    /* peak year of the expectation, for inpatient and outpatient demand (else NULL) */
    int *peak_year[CC_DEMAND_SERIES];             /* [scenario][replication] calendar year */
    double *peak_year_share[CC_DEMAND_SERIES];    /* [scenario][year] share of replications */
    /* expected beds needed against each scenario's capacity (when any scenario gives one) */
    int has_capacity;
    double *capacity;                             /* [scenario] (0: none given) */
    double *exceedance_probability;               /* [scenario][year] */
    int *first_exceedance_year;                   /* [scenario][replication] (0: never within the run) */
    double *first_exceedance_share;               /* [scenario][year] */
    double *never_exceeded_share;                 /* [scenario] */
    /* coverage (when the store has it), over [scenario][coverage replication] (cells 1) */
    int coverage_years, coverage_schemes, max_doctors;
    cc_replicated_summary *coverage_year;   /* [CC_COV_METRICS][year] (no differences) */
    /* [CC_SCH_METRICS][year][scheme]: quantiles and mean; from the second scheme on, diff_quantiles
     * and diff_ci: the scheme minus the first scheme, replication by replication (else NULL) */
    cc_replicated_summary *coverage_scheme;
    double *coverage_doctor_mean;           /* [CC_DOC_METRICS][year][scheme][scenario][max_doctors] */
} cc_summaries;

static inline const cc_replicated_summary *cc_summaries_coverage_year(const cc_summaries *s, int metric, int y)
{
    return &s->coverage_year[(size_t)metric * s->coverage_years + y];
}
static inline const cc_replicated_summary *cc_summaries_coverage_scheme(const cc_summaries *s, int metric, int y,
                                                                        int scheme)
{
    return &s->coverage_scheme[((size_t)metric * s->coverage_years + y) * s->coverage_schemes + scheme];
}
static inline const double *cc_summaries_coverage_doctor_mean(const cc_summaries *s, int metric, int y, int scheme)
{
    return s->coverage_doctor_mean +
           (((size_t)metric * s->coverage_years + y) * s->coverage_schemes + scheme) * s->nscenarios * s->max_doctors;
}

/* Every summary of res, sorting with `threads` threads (results do not depend on it); a
 * streamed store's rows are read back from its file a slice of years at a time. Returns 0,
 * CC_ERR_NOMEM or CC_ERR_HDF5 (rows that cannot be read back) (s freed); cc_summaries_free is
 * always safe afterwards. */
int cc_summaries_compute(cc_summaries *s, const cc_results *res, int threads);
void cc_summaries_free(cc_summaries *s);

/* The building blocks, over data[scenario][replication][cells]: quantiles
 * out[scenario][q][cells]; means out[scenario][cells] (accumulated in replication order). */
int cc_stats_quantiles(const double *data, int nscenarios, int replications, size_t cells, double *out,
                       int threads);
void cc_stats_means(const double *data, int nscenarios, int replications, size_t cells, double *out);

/* Paired comparison with scenario 0 (common random numbers): for every scenario s and cell,
 * the quantiles of the per-replication differences x[s] - x[0] (quantiles[s][q][cells]), and
 * 95% intervals for the mean difference, paired (t on the differences) and, for reference,
 * unpaired (Welch, as if the runs were independent): ci[s][3][cells] = lower, mean, upper.
 * One replication has no spread to estimate: its intervals are NaN. */
int cc_stats_differences(const double *data, int nscenarios, int replications, size_t cells, double *quantiles,
                         double *ci_paired, double *ci_unpaired, int threads);

/* Paired comparison within each scenario of two quantities measured in the same replications
 * (e.g. two coverage schemes on the same events): for every scenario s and cell, the quantiles
 * of data[s] - reference[s] replication by replication (quantiles[s][q][cells]) and the paired
 * 95% interval of the mean difference (ci[s][3][cells]). Returns 0 or CC_ERR_NOMEM. */
int cc_stats_paired_differences(const double *reference, const double *data, int nscenarios, int replications,
                                size_t cells, double *quantiles, double *ci, int threads);

#endif
