/* The cohort-component population projection: persons by sex and single year of age
 * (0..99, 100+), stepped one year at a time from the base date.
 * One replication: draw its rate paths (cc_population_rates_draw: parameter uncertainty),
 * then simulate (cc_population_simulate: process noise). Pure: no I/O, no globals. */
#ifndef CARECAST_POPULATION_H
#define CARECAST_POPULATION_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "carecast/ages.h"
#include "carecast/error.h"
#include "carecast/lee_carter.h"
#include "carecast/oldest_old.h"
#include "carecast/options.h"

#define CC_MAX_TARGETS 64
/* The most persons (or net migrants a year) one input age group may hold: the whole of Japan is
 * 1.2e8; beyond this a table is a mistake (a misplaced decimal point, a total in a group). */
#define CC_MAX_PERSONS_PER_GROUP 1e9

/* [mortality] oldest_old: the base rates at 95..99 and 100+ (oldest_old.h) */
enum { CC_OLDEST_OLD_KANNISTO = 0, CC_OLDEST_OLD_NONE = 1 };

/* The population model's parameters: what the scenario loader fills from [simulation]
 * base_date/reference_date/base_year/end_year, [population], [mortality], [fertility] and
 * [migration] and their tables. Read-only once loaded.
 * Time: year points ("year Y") are on the reference date (month, day) of Y; the base
 * population is counted on the base date, at most one year before the first point (year
 * base_year), which is reached by a first step of first_step years (0 when the base date is
 * the reference date). Every later step is one year. Times in years are decimal calendar
 * years (cc_decimal_year). */
typedef struct {
    int base_year, end_year;
    int base_date[3];                          /* year, month, day of the base population */
    int reference_month, reference_day;        /* the date of every year point */
    double base_time, first_step;              /* decimal year of the base date; years to the first point */
    cc_split_method age_split;
    double base_population[CC_SEXES][CC_AGES]; /* persons at the base date */
    double mortality_rate[CC_SEXES][CC_AGES];  /* central death rates m(x) of the base table */
    int mortality_year;                        /* calendar year the base table describes */
    /* observed death rates replacing the model's in the calendar years they cover */
    int observed_first, observed_years;        /* 0 years: none */
    double *observed_rate;                     /* [observed_years][CC_SEXES][CC_AGES] m(x) */
    double fertility_rate[CC_AGES];            /* births per woman-year by age of mother */
    double sex_ratio_at_birth;                 /* male births per female birth */
    int has_migration_table;
    double net_migration[CC_SEXES][CC_AGES];   /* table: expected net migrants per year, age at year end */
    /* mortality history for the Lee-Carter fit */
    int history_years, history_groups;         /* 0 when no history is given */
    int *history_year;                         /* [history_years] */
    cc_age_group history_group[CC_AGES];       /* group bounds (value unused) */
    double *history_rate;                      /* [CC_SEXES][history_years][history_groups] m(x) */
    double *history_exposure;                  /* same shape: person-years at risk; NULL: none (SVD fit) */
    int carry_b_from_age;                      /* oldest groups' b: carried from this age (0: never) */
    int oldest_old;                            /* CC_OLDEST_OLD_KANNISTO or CC_OLDEST_OLD_NONE */
    int mortality_target_year;                 /* 0: fitted drift */
    double target_e0[CC_SEXES];
    double volatility_scale;
    /* fertility */
    double long_run_tfr;                       /* 0: base TFR throughout */
    int long_run_year;
    double tfr_sd;
    /* migration */
    int migration_schedule;                    /* 0 none, 1 Rogers-Castro */
    double migration_peak_age, migration_male_share, migration_level, migration_noise_sd;
    double migration_persistent_sd;            /* random walk of the net migration rate, per sqrt(year) */
    int ntargets;                              /* calibration targets after the base year */
    int target_year[CC_MAX_TARGETS];
    double target_total[CC_MAX_TARGETS];
} cc_population_params;

/* Year points of the projection, the first (base_year) included. */
int cc_population_years(const cc_population_params *params);

/* The decimal calendar year of a date: year + (day of year - 1) / days in the year. */
double cc_decimal_year(int year, int month, int day);

/* Start and length (years) of step `step`, the step that ends on year point `step`
 * (step 0 runs from the base date to the first point and may be shorter than a year or empty). */
void cc_population_step_span(const cc_population_params *params, int step, double *start, double *length);

/* What a scenario's population model fitted and calibrated before any replication runs
 * (a result: written under /population). */
typedef struct {
    int years;
    /* mortality: m(x, y) = m_base(x) exp(b(x) k(y)), k(0) = 0, k a random walk */
    double base_rate[CC_SEXES][CC_AGES]; /* m_base: params' base rates after the oldest-old model */
    int has_kannisto;                   /* 1: base_rate[95..100] from the Kannisto fit below */
    cc_kannisto kannisto[CC_SEXES];
    int has_lee_carter;
    cc_lee_carter fit[CC_SEXES];
    double b_single[CC_SEXES][CC_AGES]; /* b of each single age's group (after carrying) */
    double drift[CC_SEXES];             /* drift used: calibrated to the e0 target, or fitted */
    double sigma[CC_SEXES];             /* fitted sigma x volatility_scale */
    /* fertility */
    double base_tfr;
    double shape[CC_AGES];              /* base rates / base TFR */
    /* migration: expected net migrants by year = level[y] * profile */
    int has_schedule;
    double profile[CC_SEXES][CC_AGES];  /* sums to 1 */
    double *level;                      /* [years] both sexes, persons/year */
} cc_population_model;

/* Rates a replication follows, per step (index s: the step that ends on year point s, see
 * cc_population_step_span). Each step's rates are the calendar years' rates weighted by the
 * years' overlap with the step (for an empty first step: the rates of its calendar year). */
typedef struct {
    int years;
    double *mortality;      /* [years][CC_SEXES][CC_AGES] central death rates m(x) */
    double *fertility;      /* [years][CC_AGES] births per woman-year by age */
    double *migration;      /* [years][CC_SEXES][CC_AGES] expected net migrants per year (age at step end) */
    double *migration_rate; /* [years] persistent component: extra net migrants per person per year
                             * over the step (the random walk's value at the step's end) */
} cc_population_rates;

/* What one replication produced. Stocks on each year point; flows (births, deaths, net
 * migration) during the step that ends there (the first: from the base date, first_step years,
 * none when the base date is the first point). Life expectancy of each year's
 * period life table, at birth and at 65; for both sexes, that of a cohort born at the sex
 * ratio at birth (the mean of the sexes weighted by births, and at 65 by survivors to 65). */
typedef struct {
    int years, base_year;
    double *population;       /* [years][CC_SEXES][CC_AGES] */
    double *births;           /* [years][CC_SEXES] */
    double *deaths;           /* [years][CC_SEXES] */
    double *net_migration;    /* [years][CC_SEXES] */
    double *life_expectancy;  /* [years][CC_SEXES + 1][2]: at birth, at 65; [2] = both sexes */
} cc_population_path;

/* Per-thread workspace: the random streams, allocated once, and the rate draw's scratch arrays
 * (grown by cc_population_rates_draw to the longest projection seen, then reused). */
typedef struct {
    gsl_rng *deaths, *births, *migration, *parameters;
    double *scratch;
    size_t scratch_size; /* doubles */
} cc_population_workspace;

/* Fit mortality improvement (Lee-Carter on the history, drift set to the e0 target), set the
 * fertility path's shape and calibrate the migration level to the official totals (levels
 * per period, with every draw at its median). Returns 0 or a negative code with err filled:
 * err names the section and key at fault, not the file (cc_scenario_locate adds file and line). */
int cc_population_model_build(const cc_population_params *params, cc_population_model *model, cc_error *err);
void cc_population_model_free(cc_population_model *model);

/* Median period life expectancy at birth of `sex` in `year` (the index k at its median). */
double cc_population_model_median_e0(const cc_population_params *params, const cc_population_model *model,
                                     int sex, int year);

/* The Rogers-Castro profile over single ages (sums to 1): childhood exp(-0.1 x) at 1/3 of the
 * labour-force peak height, labour force exp(-0.1 (x - u) - exp(-0.4 (x - u))) with u placing
 * the peak at peak_age, and a constant 1/20 of the peak height [shape: assumption]. */
void cc_migration_profile(double peak_age, double profile[CC_AGES]);

int cc_population_rates_init(cc_population_rates *rates, int years);
void cc_population_rates_free(cc_population_rates *rates);
int cc_population_path_init(cc_population_path *path, int years);
void cc_population_path_free(cc_population_path *path);
int cc_population_workspace_init(cc_population_workspace *ws);
void cc_population_workspace_free(cc_population_workspace *ws);

/* The rates replication `replication` follows: its own mortality index path (one normal
 * innovation a year, shared by both sexes), long-run TFR, and migration levels. With
 * run->expected_values every draw is at its median. */
int cc_population_rates_draw(const cc_population_params *params, const cc_population_model *model,
                             const cc_run_options *run, uint32_t replication, cc_population_workspace *ws,
                             cc_population_rates *rates);

/* Project the base population along `rates`. Binomial survival, Poisson births (split by the
 * sex ratio at birth, then binomial survival to the year's end), net migration scaled by a
 * yearly normal factor and rounded without bias; with run->expected_values every draw
 * is replaced by its expectation. Returns 0. */
int cc_population_simulate(const cc_population_params *params, const cc_population_rates *rates,
                           const cc_run_options *run, uint32_t replication, cc_population_workspace *ws,
                           cc_population_path *path);

#endif
