/* Demand from a population path (method in demand.h; parameters in scenarios/README.md).
 *   expected(setting, y, sex, band) = sum_{age in band} P(y, sex, age) x rate(setting, sex, age)
 *       x trend factor(year) x multiplier
 *   trend factor: inpatient and outpatient, prod_{t=0}^{T-1} (1 + trend x damping^t) with
 *   T = year - rates_year (the measured trend, damped toward 0); home care (1 + uptake)^T.
 *   Home care is also scaled by the replication's visits per patient-month and dental share
 *   (the enrolment factor) and receives the inpatients shifted into it from the shift year:
 *   inpatients x (1 - share), home care + inpatients x share.
 *   The day's counts are Poisson around their expectation; urgent calls (requests) per month
 *   are Poisson around enrolled patients x calls per patient-month, the urgent visits among
 *   them Binomial(calls, urgent_visit_share); beds needed = inpatients / occupancy.
 * Streams: CC_STREAM_DEMAND_PARAMS (multipliers, trends, then visits per patient-month and
 * dental share, drawn after the others so adding them moved no earlier draw) and
 * CC_STREAM_DEMAND_COUNTS (entity: the cell; the urgent visits' thinning the calls' cell with
 * bit 31 set), so scenarios compared in one run see the same draws (common random numbers). */
#include "carecast/demand.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "carecast/rng.h"

int cc_age_band(int age) { return age < 65 ? 0 : age < 75 ? 1 : age < 85 ? 2 : 3; }

double cc_demand_trend_factor(double trend, double damping, int years_after)
{
    if (years_after < 0)
        return pow(1 + trend, years_after);
    double factor = 1, change = trend;
    for (int t = 0; t < years_after; t++, change *= damping)
        factor *= 1 + change;
    return factor;
}

/* Triangular {mode, min, max} by inversion of the uniform u (min = max: that value). */
static double triangular(const double tri[3], double u)
{
    double a = tri[CC_TRI_MIN], b = tri[CC_TRI_MAX], c = tri[CC_TRI_MODE];
    if (b <= a)
        return c;
    double split = (c - a) / (b - a);
    return u < split ? a + sqrt(u * (b - a) * (c - a)) : b - sqrt((1 - u) * (b - a) * (b - c));
}

void cc_demand_draw_parameters(const cc_demand_params *p, const cc_run_options *run, uint32_t replication,
                               gsl_rng *rng, cc_demand_draw *draw)
{
    cc_rng_set_stream(rng, run->seed, replication, CC_STREAM_DEMAND_PARAMS, 0);
    double sigma = sqrt(log(1 + p->rate_cv * p->rate_cv)); /* lognormal with mean 1 and CV rate_cv */
    for (int k = 0; k < CC_RATE_SETTINGS; k++) {
        double z_level = gsl_ran_gaussian(rng, 1.0), z_trend = gsl_ran_gaussian(rng, 1.0);
        draw->multiplier[k] = run->expected_values ? 1.0 : exp(sigma * z_level - 0.5 * sigma * sigma);
        draw->trend[k] = p->trend[k] + (run->expected_values ? 0.0 : p->trend_sd * z_trend);
    }
    double u_visits = gsl_rng_uniform(rng), u_dental = gsl_rng_uniform(rng);
    draw->visits_per_patient_month = run->expected_values ? p->visits_per_patient_month[CC_TRI_MODE]
                                                          : triangular(p->visits_per_patient_month, u_visits);
    draw->dental_share = run->expected_values ? p->dental_share[CC_TRI_MODE] : triangular(p->dental_share, u_dental);
    draw->enrolment_factor = CC_HOME_CARE_TABLE_VISITS / draw->visits_per_patient_month * (1 - draw->dental_share) /
                             (1 - CC_HOME_CARE_TABLE_DENTAL_SHARE);
}

/* The urgent visits among `calls` urgent calls: Binomial(calls, share) from its own stream. */
static double urgent_visits(const cc_run_options *run, uint32_t replication, gsl_rng *rng, uint32_t entity,
                            double calls, double share)
{
    if (run->expected_values || calls <= 0)
        return calls * share;
    cc_rng_set_stream(rng, run->seed, replication, CC_STREAM_DEMAND_COUNTS, entity | (1u << 31));
    return (double)gsl_ran_binomial(rng, share, (unsigned int)calls);
}

/* The day's count: Poisson around mean, from its own stream per cell (entity), so scenarios
 * compared in one run draw each cell from the same numbers however the others differ. */
static double count(const cc_run_options *run, uint32_t replication, gsl_rng *rng, uint32_t entity, double mean)
{
    if (run->expected_values || mean <= 0)
        return mean;
    cc_rng_set_stream(rng, run->seed, replication, CC_STREAM_DEMAND_COUNTS, entity);
    return (double)gsl_ran_poisson(rng, mean);
}

#define CELL(out, series, years, y, sex, band) \
    (out)[((((size_t)(series) * (years) + (y)) * 3 + (sex)) * CC_AGE_BANDS) + (band)]

void cc_demand_compute(const cc_demand_params *p, const cc_run_options *run, const cc_population_path *path,
                       const cc_demand_draw *draw, uint32_t replication, gsl_rng *rng, double *out,
                       double *expected)
{
    const int years = path->years;
    memset(out, 0, (size_t)CC_DEMAND_SERIES * years * 3 * CC_AGE_BANDS * sizeof *out);
    if (expected)
        memset(expected, 0, (size_t)CC_DEMAND_SERIES * years * sizeof *expected);
    for (int y = 0; y < years; y++) {
        int year = path->base_year + y;
        double factor[CC_RATE_SETTINGS];
        for (int k = 0; k < CC_RATE_SETTINGS; k++)
            factor[k] = cc_demand_trend_factor(draw->trend[k], k == CC_SETTING_HOME_CARE ? 1.0 : p->trend_damping,
                                               year - p->rates_year) * draw->multiplier[k];
        factor[CC_SETTING_HOME_CARE] *= draw->enrolment_factor;
        double shift = year >= p->shift_year ? p->shift_share : 0.0;
        for (int sex = 0; sex < CC_SEXES; sex++) {
            static const int band_end[4] = {65, 75, 85, CC_AGES}; /* the bands of cc_age_band */
            double mean[CC_RATE_SETTINGS][4];
            const double *pop = &path->population[((size_t)y * CC_SEXES + sex) * CC_AGES];
            const double *in = p->rate[CC_SETTING_INPATIENT][sex], *outp = p->rate[CC_SETTING_OUTPATIENT][sex],
                         *care = p->rate[CC_SETTING_HOME_CARE][sex];
            for (int b = 0, a = 0; b < 4; b++) { /* the settings side by side: one pass over the ages */
                double sum_in = 0, sum_out = 0, sum_care = 0;
                for (; a < band_end[b]; a++) {
                    sum_in += pop[a] * in[a] / 1e5 * factor[CC_SETTING_INPATIENT];
                    sum_out += pop[a] * outp[a] / 1e5 * factor[CC_SETTING_OUTPATIENT];
                    sum_care += pop[a] * care[a] / 1e5 * factor[CC_SETTING_HOME_CARE];
                }
                mean[CC_SETTING_INPATIENT][b] = sum_in;
                mean[CC_SETTING_OUTPATIENT][b] = sum_out;
                mean[CC_SETTING_HOME_CARE][b] = sum_care;
            }
            for (int b = 0; b < 4; b++) {
                double moved = mean[CC_SETTING_INPATIENT][b] * shift;
                uint32_t cell = (uint32_t)(((y * CC_SEXES + sex) * 4 + b) * 4);
                double inpatients = count(run, replication, rng, cell, mean[CC_SETTING_INPATIENT][b] - moved);
                double visits = count(run, replication, rng, cell + 1, mean[CC_SETTING_OUTPATIENT][b]);
                double enrolled = count(run, replication, rng, cell + 2, mean[CC_SETTING_HOME_CARE][b] + moved);
                double calls = count(run, replication, rng, cell + 3, enrolled * p->urgent_calls_per_patient_month);
                double urgent = urgent_visits(run, replication, rng, cell + 3, calls, p->urgent_visit_share);
                double values[CC_DEMAND_SERIES] = {inpatients, visits, enrolled, calls, inpatients / p->occupancy, urgent};
                double in_mean = mean[CC_SETTING_INPATIENT][b] - moved, care_mean = mean[CC_SETTING_HOME_CARE][b] + moved;
                double calls_mean = care_mean * p->urgent_calls_per_patient_month;
                double means[CC_DEMAND_SERIES] = {in_mean, mean[CC_SETTING_OUTPATIENT][b], care_mean, calls_mean,
                                                  in_mean / p->occupancy, calls_mean * p->urgent_visit_share};
                for (int d = 0; expected && d < CC_DEMAND_SERIES; d++)
                    expected[(size_t)d * years + y] += means[d];
                for (int d = 0; d < CC_DEMAND_SERIES; d++) {
                    CELL(out, d, years, y, sex, b) = values[d];
                    CELL(out, d, years, y, sex, 4) += values[d];
                    CELL(out, d, years, y, 2, b) += values[d];
                    CELL(out, d, years, y, 2, 4) += values[d];
                }
            }
        }
    }
}
