/* Cohort-component projection by sex and single year of age (see population.h).
 * One step, persons aged x at the start of year t:
 *   survivors to x+1 ~ Binomial(P(x), s(x)), s(x) = L(x+1)/L(x) of year t's life table;
 *   births ~ Poisson(sum_x f(x) (W(x, t) + W(x, t+1)) / 2), W(x, t+1) the surviving women
 *   before migration; male births ~ Binomial(B, r/(1+r)); each sex's births survive to age 0
 *   with probability L(0)/l(0);
 *   net migrants at x = M(x) * (1 + sd * z), z ~ N(0,1) once a year, rounded to whole persons
 *   by floor plus a Bernoulli draw on the fraction (unbiased); a negative net flow never takes
 *   an age below zero persons.
 * Streams: deaths, births and migration each have their own (rng.h), so a change in one
 * process does not shift the draws of another. */
#include "carecast/population.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "carecast/lifetable.h"
#include "carecast/rng.h"

#define STOCK(path, y, sex) (&(path)->population[((size_t)(y) * CC_SEXES + (sex)) * CC_AGES])

int cc_population_rates_init(cc_population_rates *r, int years)
{
    memset(r, 0, sizeof *r);
    r->years = years;
    r->mortality = calloc((size_t)years * CC_SEXES * CC_AGES, sizeof(double));
    r->fertility = calloc((size_t)years * CC_AGES, sizeof(double));
    r->migration = calloc((size_t)years * CC_SEXES * CC_AGES, sizeof(double));
    if (!r->mortality || !r->fertility || !r->migration) {
        cc_population_rates_free(r);
        return CC_ERR_NOMEM;
    }
    return 0;
}

void cc_population_rates_free(cc_population_rates *r)
{
    free(r->mortality);
    free(r->fertility);
    free(r->migration);
    memset(r, 0, sizeof *r);
}

int cc_population_path_init(cc_population_path *p, int years)
{
    memset(p, 0, sizeof *p);
    p->years = years;
    p->population = calloc((size_t)years * CC_SEXES * CC_AGES, sizeof(double));
    p->births = calloc((size_t)years * CC_SEXES, sizeof(double));
    p->deaths = calloc((size_t)years * CC_SEXES, sizeof(double));
    p->net_migration = calloc((size_t)years * CC_SEXES, sizeof(double));
    p->life_expectancy = calloc((size_t)years * (CC_SEXES + 1) * 2, sizeof(double));
    if (!p->population || !p->births || !p->deaths || !p->net_migration || !p->life_expectancy) {
        cc_population_path_free(p);
        return CC_ERR_NOMEM;
    }
    return 0;
}

void cc_population_path_free(cc_population_path *p)
{
    free(p->population);
    free(p->births);
    free(p->deaths);
    free(p->net_migration);
    free(p->life_expectancy);
    memset(p, 0, sizeof *p);
}

int cc_population_workspace_init(cc_population_workspace *ws)
{
    ws->deaths = cc_rng_alloc();
    ws->births = cc_rng_alloc();
    ws->migration = cc_rng_alloc();
    ws->parameters = cc_rng_alloc();
    if (!ws->deaths || !ws->births || !ws->migration || !ws->parameters) {
        cc_population_workspace_free(ws);
        return CC_ERR_NOMEM;
    }
    return 0;
}

void cc_population_workspace_free(cc_population_workspace *ws)
{
    gsl_rng_free(ws->deaths);
    gsl_rng_free(ws->births);
    gsl_rng_free(ws->migration);
    gsl_rng_free(ws->parameters);
    memset(ws, 0, sizeof *ws);
}

static double draw_binomial(gsl_rng *rng, int expected, double p, double n)
{
    if (expected)
        return n * p;
    return n > 0 ? (double)gsl_ran_binomial(rng, p, (unsigned int)n) : 0.0;
}

/* Whole persons with expectation x: floor(x) plus one with probability frac(x). */
static double round_unbiased(gsl_rng *rng, int expected, double x)
{
    if (expected)
        return x;
    double whole = floor(x);
    return whole + (gsl_rng_uniform(rng) < x - whole ? 1.0 : 0.0);
}

/* Age everyone one year; returns deaths. next[] receives the survivors by age at year end. */
static double survive(const double *now, const double survival[CC_AGES], double *next,
                      gsl_rng *rng, int expected)
{
    double deaths = 0;
    memset(next, 0, CC_AGES * sizeof *next);
    for (int a = 0; a < CC_AGES; a++) {
        double alive = draw_binomial(rng, expected, survival[a], now[a]);
        deaths += now[a] - alive;
        next[a < CC_AGE_OPEN ? a + 1 : CC_AGE_OPEN] += alive;
    }
    return deaths;
}

/* e0 and e65 by sex, and of a birth cohort of both sexes at the sex ratio at birth. */
static void record_life_expectancy(const cc_lifetable table[CC_SEXES], double sex_ratio, double *out)
{
    double weight0[CC_SEXES] = {sex_ratio, 1.0}, weight65[CC_SEXES], sum0 = 0, sum65 = 0;
    out[2 * CC_SEXES] = out[2 * CC_SEXES + 1] = 0;
    for (int sex = 0; sex < CC_SEXES; sex++) {
        out[2 * sex] = cc_lifetable_expectancy(&table[sex], 0);
        out[2 * sex + 1] = cc_lifetable_expectancy(&table[sex], 65);
        weight65[sex] = weight0[sex] * table[sex].lx[65];
        out[2 * CC_SEXES] += weight0[sex] * out[2 * sex];
        out[2 * CC_SEXES + 1] += weight65[sex] * out[2 * sex + 1];
        sum0 += weight0[sex];
        sum65 += weight65[sex];
    }
    out[2 * CC_SEXES] /= sum0;
    out[2 * CC_SEXES + 1] /= sum65;
}

static void step_year(const cc_population_params *p, const cc_population_rates *r, int expected, int y,
                      cc_population_workspace *ws, const double *now[CC_SEXES],
                      double *next[CC_SEXES], cc_population_path *path)
{
    double survival[CC_SEXES][CC_AGES], birth_survival[CC_SEXES];
    cc_lifetable table[CC_SEXES];
    for (int sex = 0; sex < CC_SEXES; sex++) {
        const double *m = &r->mortality[((size_t)y * CC_SEXES + sex) * CC_AGES];
        cc_lifetable_from_rates(m, &table[sex]);
        cc_lifetable_survival(&table[sex], m, survival[sex], &birth_survival[sex]);
        path->deaths[y * CC_SEXES + sex] = survive(now[sex], survival[sex], next[sex], ws->deaths, expected);
    }
    record_life_expectancy(table, p->sex_ratio_at_birth, &path->life_expectancy[(size_t)y * (CC_SEXES + 1) * 2]);
    const double *f = &r->fertility[(size_t)y * CC_AGES];
    double exposure = 0;
    for (int a = 0; a < CC_AGE_OPEN; a++)
        exposure += f[a] * 0.5 * (now[CC_FEMALE][a] + next[CC_FEMALE][a]);
    double births = expected ? exposure : (double)gsl_ran_poisson(ws->births, exposure);
    double p_male = p->sex_ratio_at_birth / (1.0 + p->sex_ratio_at_birth);
    double male = draw_binomial(ws->births, expected, p_male, births);
    double by_sex[CC_SEXES] = {male, births - male};
    for (int sex = 0; sex < CC_SEXES; sex++) {
        path->births[y * CC_SEXES + sex] = by_sex[sex];
        double alive = draw_binomial(ws->births, expected, birth_survival[sex], by_sex[sex]);
        next[sex][0] = alive;
        path->deaths[y * CC_SEXES + sex] += by_sex[sex] - alive;
    }
    double factor = 1.0;
    if (!expected && p->migration_noise_sd > 0)
        factor += gsl_ran_gaussian(ws->migration, p->migration_noise_sd);
    for (int sex = 0; sex < CC_SEXES; sex++) {
        const double *mig = &r->migration[((size_t)y * CC_SEXES + sex) * CC_AGES];
        double net = 0;
        for (int a = 0; a < CC_AGES; a++) {
            if (mig[a] == 0)
                continue;
            double moved = round_unbiased(ws->migration, expected, mig[a] * factor);
            if (next[sex][a] + moved < 0)
                moved = -next[sex][a];
            next[sex][a] += moved;
            net += moved;
        }
        path->net_migration[y * CC_SEXES + sex] = net;
    }
}

int cc_population_simulate(const cc_population_params *p, const cc_population_rates *r, const cc_run_options *run,
                           uint32_t replication, cc_population_workspace *ws, cc_population_path *path)
{
    path->base_year = p->base_year;
    cc_rng_set_stream(ws->deaths, run->seed, replication, CC_STREAM_DEATHS, 0);
    cc_rng_set_stream(ws->births, run->seed, replication, CC_STREAM_BIRTHS, 0);
    cc_rng_set_stream(ws->migration, run->seed, replication, CC_STREAM_MIGRATION, 0);
    for (int sex = 0; sex < CC_SEXES; sex++)
        memcpy(STOCK(path, 0, sex), p->base_population[sex], sizeof p->base_population[sex]);
    double scratch[CC_SEXES][CC_AGES];
    for (int y = 0; y < path->years; y++) {
        const double *now[CC_SEXES] = {STOCK(path, y, CC_MALE), STOCK(path, y, CC_FEMALE)};
        int last = y + 1 == path->years; /* the last year's flows still count; its end is dropped */
        double *next[CC_SEXES] = {last ? scratch[CC_MALE] : STOCK(path, y + 1, CC_MALE),
                                  last ? scratch[CC_FEMALE] : STOCK(path, y + 1, CC_FEMALE)};
        step_year(p, r, run->expected_values, y, ws, now, next, path);
    }
    return 0;
}
