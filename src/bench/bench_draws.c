/* bench_draws: the floor of a carecast run, for `make bench`. Makes the random draws one run of
 * the scenario makes (same distributions, same generator, same streams and stream resets, the
 * same number of draws, parameters taken from the all-median path) and nothing else: no model
 * arithmetic, no results, no file. Each draw below names the model's draw it stands for.
 * Usage: bench_draws SCENARIO REPLICATIONS   (one thread; prints the draw count) */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "carecast/carecast.h"

/* What the draws take from the all-median path: per step, its length, survival by sex and age
 * (to the power h in a part-year step), the persons they apply to, births and their survival;
 * per demand cell, its expected count. */
typedef struct {
    int years;
    double *h;                     /* [years] step length */
    double *survival;              /* [years][CC_SEXES][CC_AGES] */
    double *birth_survival;        /* [years][CC_SEXES] */
    double *demand;                /* [CC_DEMAND_SERIES][years][3][CC_AGE_BANDS] */
    cc_population_rates rates;
    cc_population_path path;
} median_path;

static int median_path_build(const cc_scenario *s, const cc_population_model *m, cc_population_workspace *ws,
                             median_path *mp)
{
    cc_run_options median = s->run; /* every draw at its expectation */
    median.expected_values = 1;
    int years = mp->years = cc_scenario_years(s);
    mp->h = malloc(years * sizeof *mp->h);
    mp->survival = malloc((size_t)years * CC_SEXES * CC_AGES * sizeof *mp->survival);
    mp->birth_survival = malloc((size_t)years * CC_SEXES * sizeof *mp->birth_survival);
    mp->demand = calloc((size_t)CC_DEMAND_SERIES * years * 3 * CC_AGE_BANDS, sizeof *mp->demand);
    if (!mp->h || !mp->survival || !mp->birth_survival || !mp->demand ||
        cc_population_rates_init(&mp->rates, years) || cc_population_path_init(&mp->path, years))
        return CC_ERR_NOMEM;
    cc_population_rates_draw(&s->population, m, &median, 0, ws, &mp->rates);
    cc_population_simulate(&s->population, &mp->rates, &median, 0, ws, &mp->path);
    if (s->demand.enabled) {
        cc_demand_draw d;
        cc_demand_draw_parameters(&s->demand, &median, 0, ws->parameters, &d);
        cc_demand_compute(&s->demand, &median, &mp->path, &d, 0, ws->parameters, mp->demand, NULL);
    }
    for (int y = 0; y < years; y++) {
        double start;
        cc_population_step_span(&s->population, y, &start, &mp->h[y]);
        for (int sex = 0; sex < CC_SEXES; sex++) {
            cc_lifetable t;
            const double *rates = &mp->rates.mortality[((size_t)y * CC_SEXES + sex) * CC_AGES];
            double *survival = &mp->survival[((size_t)y * CC_SEXES + sex) * CC_AGES];
            cc_lifetable_from_rates(rates, &t);
            cc_lifetable_survival(&t, rates, survival, &mp->birth_survival[y * CC_SEXES + sex]);
            for (int a = 0; mp->h[y] < 1 && a < CC_AGES; a++)
                survival[a] = pow(survival[a], mp->h[y]);
        }
    }
    return 0;
}

static void median_path_free(median_path *mp)
{
    free(mp->h);
    free(mp->survival);
    free(mp->birth_survival);
    free(mp->demand);
    cc_population_rates_free(&mp->rates);
    cc_population_path_free(&mp->path);
}

/* One replication's draws; returns their number, adds them to *sink. */
static long draw_replication(const cc_scenario *s, const cc_population_model *m, const median_path *mp, uint32_t rep,
                             cc_population_workspace *ws, double *sink)
{
    const cc_population_params *p = &s->population;
    uint64_t seed = s->run.seed;
    long draws = 0;
    /* rates: long-run TFR, the mortality index's walk (a step a year from the base table's
     * year to the last calendar year), the persistent migration walk (a step per step) */
    cc_rng_set_stream(ws->parameters, seed, rep, CC_STREAM_FERTILITY_LEVEL, 0);
    if (p->long_run_tfr > 0)
        *sink += gsl_ran_gaussian(ws->parameters, p->tfr_sd), draws++;
    cc_rng_set_stream(ws->parameters, seed, rep, CC_STREAM_MORTALITY_INDEX, 0);
    double start, h;
    cc_population_step_span(p, mp->years - 1, &start, &h);
    for (int c = p->mortality_year + 1; m->has_lee_carter && c < (int)ceil(start + h); c++, draws++)
        *sink += gsl_ran_gaussian(ws->parameters, 1.0);
    cc_rng_set_stream(ws->parameters, seed, rep, CC_STREAM_MIGRATION_LEVEL, 0);
    for (int y = 0; p->migration_persistent_sd > 0 && y < mp->years; y++)
        if (mp->h[y] > 0)
            *sink += gsl_ran_gaussian(ws->parameters, 1.0), draws++;
    /* the projection: survivors (and, in a part-year step, those who move up an age), births
     * (total, boys, survivors of each sex), the migration noise and the rounding of each cell */
    cc_rng_set_stream(ws->deaths, seed, rep, CC_STREAM_DEATHS, 0);
    cc_rng_set_stream(ws->births, seed, rep, CC_STREAM_BIRTHS, 0);
    cc_rng_set_stream(ws->migration, seed, rep, CC_STREAM_MIGRATION, 0);
    double p_male = p->sex_ratio_at_birth / (1.0 + p->sex_ratio_at_birth);
    for (int y = 0; y < mp->years; y++) {
        double hy = mp->h[y];
        if (hy <= 0)
            continue;
        const double *before = y == 0 ? &p->base_population[0][0] : &mp->path.population[(size_t)(y - 1) * CC_SEXES * CC_AGES];
        for (int sex = 0; sex < CC_SEXES; sex++)
            for (int a = 0; a < CC_AGES; a++) {
                double s_a = mp->survival[((size_t)y * CC_SEXES + sex) * CC_AGES + a];
                unsigned n = (unsigned)before[sex * CC_AGES + a], alive = gsl_ran_binomial(ws->deaths, s_a, n);
                *sink += alive, draws++;
                if (hy < 1 && a < CC_AGE_OPEN)
                    *sink += gsl_ran_binomial(ws->deaths, hy, alive), draws++;
            }
        unsigned b = gsl_ran_poisson(ws->births, mp->path.births[y * CC_SEXES] + mp->path.births[y * CC_SEXES + 1]);
        unsigned male = gsl_ran_binomial(ws->births, p_male, b);
        *sink += gsl_ran_binomial(ws->births, mp->birth_survival[y * CC_SEXES], male) +
                 gsl_ran_binomial(ws->births, mp->birth_survival[y * CC_SEXES + 1], b - male);
        draws += 4;
        if (p->migration_noise_sd > 0)
            *sink += gsl_ran_gaussian(ws->migration, p->migration_noise_sd), draws++;
        for (int i = 0; i < CC_SEXES * CC_AGES; i++, draws++)
            *sink += gsl_rng_uniform(ws->migration);
    }
    if (!s->demand.enabled)
        return draws;
    cc_demand_draw d; /* 6 normals and 2 uniforms */
    cc_demand_draw_parameters(&s->demand, &s->run, rep, ws->parameters, &d);
    draws += 2 * CC_RATE_SETTINGS + 2;
    /* the day's counts: a stream and a Poisson draw per cell, and the urgent visits among the
     * urgent calls from a stream of their own */
    for (int y = 0; y < mp->years; y++)
        for (int sex = 0; sex < CC_SEXES; sex++)
            for (int b = 0; b < 4; b++) {
                uint32_t cell = (uint32_t)(((y * CC_SEXES + sex) * 4 + b) * 4);
                unsigned calls = 0;
                for (int k = 0; k < 4; k++) {
                    double mean = mp->demand[((((size_t)k * mp->years + y) * 3 + sex) * CC_AGE_BANDS) + b];
                    if (!(mean > 0))
                        continue;
                    cc_rng_set_stream(ws->parameters, seed, rep, CC_STREAM_DEMAND_COUNTS, cell + k);
                    unsigned count = gsl_ran_poisson(ws->parameters, mean);
                    *sink += count, draws++;
                    calls = k == CC_DEMAND_URGENT_CALLS ? count : calls;
                }
                if (calls > 0) {
                    cc_rng_set_stream(ws->parameters, seed, rep, CC_STREAM_DEMAND_COUNTS, (cell + 3) | (1u << 31));
                    *sink += gsl_ran_binomial(ws->parameters, s->demand.urgent_visit_share, calls), draws++;
                }
            }
    return draws;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_draws SCENARIO REPLICATIONS\n");
        return 2;
    }
    cc_scenario s;
    cc_population_model m;
    cc_population_workspace ws;
    median_path mp = {0};
    cc_error err;
    if (cc_scenario_load(&s, argv[1], &err) != 0 || cc_population_model_build(&s.population, &m, &err) != 0) {
        fprintf(stderr, "bench_draws: %s\n", err.message);
        return 3;
    }
    long reps = atol(argv[2]), draws = 0;
    double sink = 0;
    if (cc_population_workspace_init(&ws) != 0 || median_path_build(&s, &m, &ws, &mp) != 0) {
        fprintf(stderr, "bench_draws: out of memory\n");
        return 1;
    }
    for (long rep = 0; rep < reps; rep++)
        draws += draw_replication(&s, &m, &mp, (uint32_t)rep, &ws, &sink);
    printf("bench_draws: %ld replications, %ld draws (checksum %g)\n", reps, draws, sink);
    median_path_free(&mp);
    cc_population_workspace_free(&ws);
    cc_population_model_free(&m);
    cc_scenario_free(&s);
    return 0;
}
