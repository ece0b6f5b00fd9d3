/* Cohort-component projection by sex and single year of age (see population.h).
 * A whole-year step, persons aged x at its start:
 *   survivors to x+1 ~ Binomial(P(x), s(x)), s(x) = L(x+1)/L(x) of year t's life table;
 *   births ~ Poisson(sum_x f(x) (W(x, t) + W(x, t+1)) / 2), W(x, t+1) the surviving women
 *   before migration; male births ~ Binomial(B, r/(1+r)); each sex's births survive to age 0
 *   with probability L(0)/l(0);
 *   net migrants at x = M(x) * max(0, 1 + sd * z), z ~ N(0,1) once a year, rounded to whole persons
 *   by floor plus a Bernoulli draw on the fraction (unbiased); a negative net flow never takes
 *   an age below zero persons.
 * A step of h < 1 years (the first, from a base date off the reference date): survivors at x ~
 * Binomial(P(x), s(x)^h) (the whole year's survival, constant hazard within it); of them Binomial(S(x), h)
 * reach x+1 (ages spread evenly within the year of age), the rest stay at x; births
 * ~ Poisson(h sum_x f(x) (W(x) + S_W(x)) / 2) all stay at age 0, surviving with probability
 * exp(-m(0) h / 2); net migration h times the yearly flow. An empty first step (h = 0) copies
 * the base population to the first point.
 * Every step adds the persistent migration component: the rate drawn for the step (rates->
 * migration_rate, net migrants per person per year) times the population at the step's start
 * and its length, spread over ages by the migration profile of the year's flow (or, without
 * one, the population's own age-sex structure).
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

static int leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

double cc_decimal_year(int year, int month, int day)
{
    static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int day_of_year = before[month - 1] + day + (month > 2 && leap(year));
    return year + (day_of_year - 1) / (leap(year) ? 366.0 : 365.0);
}

void cc_population_step_span(const cc_population_params *p, int step, double *start, double *length)
{
    double first = p->base_time + p->first_step; /* the first point; later steps are whole years */
    *start = step == 0 ? p->base_time : first + step - 1;
    *length = step == 0 ? p->first_step : 1.0;
}

int cc_population_rates_init(cc_population_rates *r, int years)
{
    memset(r, 0, sizeof *r);
    r->years = years;
    r->mortality = calloc((size_t)years * CC_SEXES * CC_AGES, sizeof(double));
    r->fertility = calloc((size_t)years * CC_AGES, sizeof(double));
    r->migration = calloc((size_t)years * CC_SEXES * CC_AGES, sizeof(double));
    r->migration_rate = calloc((size_t)years, sizeof(double));
    if (!r->mortality || !r->fertility || !r->migration || !r->migration_rate) {
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
    free(r->migration_rate);
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
    memset(ws, 0, sizeof *ws);
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
    free(ws->scratch);
    memset(ws, 0, sizeof *ws);
}

/* GSL's binomial and Poisson take and give unsigned int: larger counts are drawn in parts
 * (a sum of independent binomials of the parts is the binomial of the whole; likewise Poisson).
 * The loader bounds every input cell (CC_MAX_PERSONS_PER_GROUP), so there are few parts. */
#define DRAW_PART 1000000000.0

static double draw_binomial_parts(gsl_rng *rng, double p, double n)
{
    double drawn = 0;
    for (double left = n; left > 0; left -= DRAW_PART)
        drawn += (double)gsl_ran_binomial(rng, p, (unsigned int)fmin(left, DRAW_PART));
    return drawn;
}

/* Inlined where it is called per age; one part (the usual case) is one draw, as the loop of
 * draw_binomial_parts would add it to 0. */
static inline double draw_binomial(gsl_rng *rng, int expected, double p, double n)
{
    if (expected)
        return n * p;
    if (n <= DRAW_PART)
        return n > 0 ? (double)gsl_ran_binomial(rng, p, (unsigned int)n) : 0.0;
    return draw_binomial_parts(rng, p, n);
}

static double draw_poisson(gsl_rng *rng, double mean)
{
    double drawn = 0;
    for (double left = mean; left > 0; left -= DRAW_PART)
        drawn += (double)gsl_ran_poisson(rng, fmin(left, DRAW_PART));
    return drawn;
}

/* Whole persons with expectation x: floor(x) plus one with probability frac(x). */
static double round_unbiased(gsl_rng *rng, int expected, double x)
{
    if (expected)
        return x;
    double whole = floor(x);
    return whole + (gsl_rng_uniform(rng) < x - whole ? 1.0 : 0.0);
}

/* Age everyone over a step of h years; returns deaths. next[] receives the survivors by age at
 * the step's end: a whole year moves everyone up one age (survival L(x+1)/L(x)); a part h of a
 * year survives with that year's survival to the power h (a constant hazard along the same
 * path, so the step tends to the whole year's as h tends to 1: with exp(-m(x) h), the rate of
 * the completed age, a base date one day off the reference date gave 6% fewer deaths) and
 * moves a share h of the survivors up. */
static double survive(const double *now, const double survival[CC_AGES], double h,
                      double *next, gsl_rng *rng, int expected)
{
    double deaths = 0;
    memset(next, 0, CC_AGES * sizeof *next);
    for (int a = 0; a < CC_AGES; a++) {
        double alive = draw_binomial(rng, expected, h < 1 ? pow(survival[a], h) : survival[a], now[a]);
        deaths += now[a] - alive;
        double up = a == CC_AGE_OPEN ? 0.0 : h < 1 ? draw_binomial(rng, expected, h, alive) : alive;
        next[a < CC_AGE_OPEN ? a + 1 : CC_AGE_OPEN] += up;
        next[a] += alive - up;
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

/* Net migrants added at each age: the year's flow and the persistent component, both for h
 * years, scaled by the yearly noise factor, rounded to whole persons without bias. */
static void migrate(const cc_population_params *p, const cc_population_rates *r, int expected, int y, double h,
                    double population_now, const double *now[CC_SEXES], double *next[CC_SEXES],
                    gsl_rng *rng, cc_population_path *path)
{
    const double *flow = &r->migration[(size_t)y * CC_SEXES * CC_AGES];
    double flow_total = 0, extra = r->migration_rate[y] * population_now * h;
    for (int i = 0; i < CC_SEXES * CC_AGES; i++)
        flow_total += fabs(flow[i]);
    double factor = 1.0;
    if (!expected && p->migration_noise_sd > 0 && h > 0) /* scales the year's flow, never reverses it */
        factor = fmax(0.0, 1.0 + gsl_ran_gaussian(rng, p->migration_noise_sd));
    for (int sex = 0; sex < CC_SEXES; sex++) {
        double net = 0, expected_moves[CC_AGES];
        for (int a = 0; a < CC_AGES; a++) { /* first without draws, so the loop below keeps little across them */
            double share = flow_total > 0 ? fabs(flow[sex * CC_AGES + a]) / flow_total
                                          : (population_now > 0 ? now[sex][a] / population_now : 0.0);
            expected_moves[a] = flow[sex * CC_AGES + a] * h * factor + extra * share;
        }
        for (int a = 0; a < CC_AGES; a++) {
            if (expected_moves[a] == 0)
                continue;
            double moved = round_unbiased(rng, expected, expected_moves[a]);
            if (next[sex][a] + moved < 0)
                moved = -next[sex][a];
            next[sex][a] += moved;
            net += moved;
        }
        path->net_migration[y * CC_SEXES + sex] = net;
    }
}

/* The step that ends on year point y, h years long (0 < h <= 1). */
static void step(const cc_population_params *p, const cc_population_rates *r, int expected, int y, double h,
                 const cc_lifetable table[CC_SEXES], cc_population_workspace *ws, const double *now[CC_SEXES],
                 double *next[CC_SEXES], cc_population_path *path)
{
    double survival[CC_SEXES][CC_AGES], birth_survival[CC_SEXES], population_now = 0;
    for (int sex = 0; sex < CC_SEXES; sex++)
        for (int a = 0; a < CC_AGES; a++)
            population_now += now[sex][a];
    for (int sex = 0; sex < CC_SEXES; sex++) {
        const double *m = &r->mortality[((size_t)y * CC_SEXES + sex) * CC_AGES];
        cc_lifetable_survival(&table[sex], m, survival[sex], &birth_survival[sex]);
        if (h < 1)
            birth_survival[sex] = exp(-m[0] * h / 2);
        path->deaths[y * CC_SEXES + sex] = survive(now[sex], survival[sex], h, next[sex], ws->deaths, expected);
    }
    const double *f = &r->fertility[(size_t)y * CC_AGES];
    double exposure = 0;
    for (int a = 0; a < CC_AGE_OPEN; a++) /* women aged x: the mean of the step's start and end */
        exposure += f[a] * 0.5 * (now[CC_FEMALE][a] + next[CC_FEMALE][a]);
    exposure *= h;
    double births = expected ? exposure : draw_poisson(ws->births, exposure);
    double p_male = p->sex_ratio_at_birth / (1.0 + p->sex_ratio_at_birth);
    double male = draw_binomial(ws->births, expected, p_male, births);
    double by_sex[CC_SEXES] = {male, births - male};
    for (int sex = 0; sex < CC_SEXES; sex++) {
        path->births[y * CC_SEXES + sex] = by_sex[sex];
        double alive = draw_binomial(ws->births, expected, birth_survival[sex], by_sex[sex]);
        next[sex][0] += alive;
        path->deaths[y * CC_SEXES + sex] += by_sex[sex] - alive;
    }
    migrate(p, r, expected, y, h, population_now, now, next, ws->migration, path);
}


int cc_population_simulate(const cc_population_params *p, const cc_population_rates *r, const cc_run_options *run,
                           uint32_t replication, cc_population_workspace *ws, cc_population_path *path)
{
    path->base_year = p->base_year;
    cc_rng_set_stream(ws->deaths, run->seed, replication, CC_STREAM_DEATHS, 0);
    cc_rng_set_stream(ws->births, run->seed, replication, CC_STREAM_BIRTHS, 0);
    cc_rng_set_stream(ws->migration, run->seed, replication, CC_STREAM_MIGRATION, 0);
    for (int y = 0; y < path->years; y++) {
        double start, h;
        cc_population_step_span(p, y, &start, &h);
        cc_lifetable table[CC_SEXES]; /* step y's period life tables: its life expectancies and survival */
        for (int sex = 0; sex < CC_SEXES; sex++)
            cc_lifetable_from_rates(&r->mortality[((size_t)y * CC_SEXES + sex) * CC_AGES], &table[sex]);
        record_life_expectancy(table, p->sex_ratio_at_birth, &path->life_expectancy[(size_t)y * (CC_SEXES + 1) * 2]);
        double *next[CC_SEXES] = {STOCK(path, y, CC_MALE), STOCK(path, y, CC_FEMALE)};
        if (h <= 0) { /* the base date is the first point: no flows */
            for (int sex = 0; sex < CC_SEXES; sex++) {
                memcpy(next[sex], p->base_population[sex], sizeof p->base_population[sex]);
                path->births[y * CC_SEXES + sex] = path->deaths[y * CC_SEXES + sex] = 0;
                path->net_migration[y * CC_SEXES + sex] = 0;
            }
            continue;
        }
        const double *now[CC_SEXES] = {y == 0 ? p->base_population[CC_MALE] : STOCK(path, y - 1, CC_MALE),
                                       y == 0 ? p->base_population[CC_FEMALE] : STOCK(path, y - 1, CC_FEMALE)};
        step(p, r, run->expected_values, y, h, table, ws, now, next, path);
    }
    return 0;
}
