/* Demand from a population path (method in demand.h; parameters in scenarios/README.md).
 *   expected(setting, y, sex, band) = sum_{age in band} P(y, sex, age) x rate(setting, sex, age)
 *       x (1 + trend)^(year - rates_year) x multiplier
 *   home care also grows with uptake (its trend) and receives the inpatients shifted into it
 *   from the shift year: inpatients x (1 - share), home care + inpatients x share.
 *   The day's counts are Poisson around their expectation; urgent calls per month are Poisson
 *   around enrolled patients x calls per patient-month; beds needed = inpatients / occupancy.
 * Streams: CC_STREAM_DEMAND_PARAMS (multipliers, trends) and CC_STREAM_DEMAND_COUNTS, so
 * scenarios compared in one run see the same draws (common random numbers). */
#include "carecast/demand.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "carecast/rng.h"

int cc_age_band(int age) { return age < 65 ? 0 : age < 75 ? 1 : age < 85 ? 2 : 3; }

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
            factor[k] = pow(1 + draw->trend[k], year - p->rates_year) * draw->multiplier[k];
        double shift = year >= p->shift_year ? p->shift_share : 0.0;
        for (int sex = 0; sex < CC_SEXES; sex++) {
            double mean[CC_RATE_SETTINGS][4] = {{0}};
            const double *pop = &path->population[((size_t)y * CC_SEXES + sex) * CC_AGES];
            for (int a = 0; a < CC_AGES; a++)
                for (int k = 0; k < CC_RATE_SETTINGS; k++)
                    mean[k][cc_age_band(a)] += pop[a] * p->rate[k][sex][a] / 1e5 * factor[k];
            for (int b = 0; b < 4; b++) {
                double moved = mean[CC_SETTING_INPATIENT][b] * shift;
                uint32_t cell = (uint32_t)(((y * CC_SEXES + sex) * 4 + b) * 4);
                double inpatients = count(run, replication, rng, cell, mean[CC_SETTING_INPATIENT][b] - moved);
                double visits = count(run, replication, rng, cell + 1, mean[CC_SETTING_OUTPATIENT][b]);
                double enrolled = count(run, replication, rng, cell + 2, mean[CC_SETTING_HOME_CARE][b] + moved);
                double calls = count(run, replication, rng, cell + 3, enrolled * p->urgent_calls_per_patient_month);
                double values[CC_DEMAND_SERIES] = {inpatients, visits, enrolled, calls, inpatients / p->occupancy};
                double in_mean = mean[CC_SETTING_INPATIENT][b] - moved, care_mean = mean[CC_SETTING_HOME_CARE][b] + moved;
                double means[CC_DEMAND_SERIES] = {in_mean, mean[CC_SETTING_OUTPATIENT][b], care_mean,
                                                  care_mean * p->urgent_calls_per_patient_month, in_mean / p->occupancy};
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
