/* bench_draws: the floor of a carecast run, for `make bench`. Makes the random draws one run of
 * the scenario makes (same distributions, same parameters taken from the all-median path, same
 * generator and stream resets) and nothing else: no model arithmetic, no results, no file.
 * Usage: bench_draws SCENARIO REPLICATIONS   (one thread; prints the draw count) */
#include <gsl/gsl_randist.h>
#include <stdio.h>
#include <stdlib.h>

#include "carecast/carecast.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_draws SCENARIO REPLICATIONS\n");
        return 2;
    }
    cc_scenario s;
    cc_population_model m;
    cc_population_workspace ws;
    cc_population_rates r;
    cc_population_path p;
    cc_error err;
    if (cc_scenario_load(&s, argv[1], &err) != 0 || cc_population_model_build(&s.population, &m, &err) != 0) {
        fprintf(stderr, "bench_draws: %s\n", err.message);
        return 3;
    }
    int years = cc_scenario_years(&s);
    long reps = atol(argv[2]), draws = 0;
    cc_run_options median = s.run; /* the all-median path: every draw at its expectation */
    median.expected_values = 1;
    if (cc_population_workspace_init(&ws) || cc_population_rates_init(&r, years) || cc_population_path_init(&p, years))
        return 1;
    cc_population_rates_draw(&s.population, &m, &median, 0, &ws, &r);
    cc_population_simulate(&s.population, &r, &median, 0, &ws, &p);
    double (*survival)[CC_SEXES][CC_AGES] = malloc(sizeof *survival * years), birth_survival = 0, sink = 0;
    double *demand = malloc((size_t)CC_DEMAND_SERIES * years * 3 * CC_AGE_BANDS * sizeof *demand);
    if (s.demand.enabled) { /* the expected counts of every cell, from the all-median path */
        cc_demand_draw d;
        cc_demand_draw_parameters(&s.demand, &median, 0, ws.parameters, &d);
        cc_demand_compute(&s.demand, &median, &p, &d, 0, ws.parameters, demand, NULL);
    }
    for (int y = 0; y < years; y++)
        for (int sex = 0; sex < CC_SEXES; sex++) {
            cc_lifetable t;
            const double *rates = &r.mortality[((size_t)y * CC_SEXES + sex) * CC_AGES];
            cc_lifetable_from_rates(rates, &t);
            cc_lifetable_survival(&t, rates, survival[y][sex], &birth_survival);
        }
    for (long rep = 0; rep < reps; rep++) {
        cc_rng_set_stream(ws.parameters, s.run.seed, (uint32_t)rep, CC_STREAM_MORTALITY_INDEX, 0);
        for (int y = 0; y < years; y++, draws++)
            sink += gsl_ran_gaussian(ws.parameters, 1.0);
        cc_rng_set_stream(ws.deaths, s.run.seed, (uint32_t)rep, CC_STREAM_DEATHS, 0);
        cc_rng_set_stream(ws.births, s.run.seed, (uint32_t)rep, CC_STREAM_BIRTHS, 0);
        cc_rng_set_stream(ws.migration, s.run.seed, (uint32_t)rep, CC_STREAM_MIGRATION, 0);
        for (int y = 0; y < years; y++) {
            for (int sex = 0; sex < CC_SEXES; sex++)
                for (int a = 0; a < CC_AGES; a++, draws++)
                    sink += gsl_ran_binomial(ws.deaths, survival[y][sex][a],
                                             (unsigned)p.population[((size_t)y * CC_SEXES + sex) * CC_AGES + a]);
            double births = p.births[y * CC_SEXES] + p.births[y * CC_SEXES + 1];
            unsigned b = gsl_ran_poisson(ws.births, births), male = gsl_ran_binomial(ws.births, 0.512, b);
            sink += gsl_ran_binomial(ws.births, birth_survival, male) + gsl_ran_binomial(ws.births, birth_survival, b - male);
            sink += gsl_ran_gaussian(ws.migration, 1.0);
            for (int i = 0; i < CC_SEXES * CC_AGES; i++)
                sink += gsl_rng_uniform(ws.migration);
            draws += 5 + CC_SEXES * CC_AGES;
        }
        if (s.demand.enabled) {
            cc_demand_draw d;
            cc_demand_draw_parameters(&s.demand, &s.run, (uint32_t)rep, ws.parameters, &d); /* 6 normals */
            draws += 6;
            for (int y = 0; y < years; y++) /* the day's counts: a stream reset and a draw per cell */
                for (int sex = 0; sex < CC_SEXES; sex++)
                    for (int b = 0; b < 4; b++)
                        for (int k = 0; k < 4; k++, draws++) {
                            double mean = demand[((((size_t)k * years + y) * 3 + sex) * CC_AGE_BANDS) + b];
                            uint32_t cell = (uint32_t)(((y * CC_SEXES + sex) * 4 + b) * 4 + k);
                            cc_rng_set_stream(ws.parameters, s.run.seed, (uint32_t)rep, CC_STREAM_DEMAND_COUNTS, cell);
                            sink += mean > 0 ? gsl_ran_poisson(ws.parameters, mean) : 0;
                        }
        }
    }
    printf("bench_draws: %ld replications, %ld draws (checksum %g)\n", reps, draws, sink);
    free(survival);
    free(demand);
    cc_population_path_free(&p);
    cc_population_rates_free(&r);
    cc_population_workspace_free(&ws);
    cc_population_model_free(&m);
    cc_scenario_free(&s);
    return 0;
}
