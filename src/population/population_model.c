/* The population model's parameters: built once per scenario (Lee-Carter fit and drift
 * calibration, fertility shape, migration profile and level calibration), then drawn per
 * replication (parameter uncertainty) as step-by-step rate paths for population.c.
 *   Rates belong to calendar years c; a step's rates are its calendar years' weighted by their
 *   overlap with the step (a step from 1 October to 1 October: a quarter of c-1, three of c).
 *   Mortality: m(x, c) = m_base(x) exp(b(x) k(c)), k(c) = drift (c - c0) + sigma W(c), c0 the
 *     base table's year (mortality_year), W a random walk with W(c0) = 0 and one standard
 *     normal step a year (shared by both sexes); years of the observed table replace m(x, c).
 *     m_base is the scenario's base table with, by default, its rates at 95-99 and 100+ from
 *     Kannisto's model fitted to its rates at 85-99 (oldest_old.h): the model keeps its own copy.
 *     b(x) comes from the Poisson Lee-Carter fit when the history has exposures (the SVD fit
 *     otherwise). In the 2009-2018 series the 95-99 and 100+ rates step up in the census years
 *     2010 and 2015 (a change of denominators, scenarios/data/SOURCES.md) and are flat between,
 *     which gives those groups a clearly negative b: mortality rising as it falls everywhere
 *     else. Such a b is not believed: from [mortality] carry_b_from_age (95) a group whose b is
 *     below zero by more than 2 standard errors takes the b of the group below
 *     (cc_lee_carter_carry_oldest); a b of about zero would be kept (README, Mortality).
 *     The drift is chosen (bisection) so that the period life expectancy at birth of the
 *     median path, k(c) = drift (c - c0), equals the target in the target year; e0 rises
 *     monotonically as k falls, so the median e0 of the replications is that of the median k.
 *   Fertility: TFR(c) moves linearly from the base TFR in base_year to a long-run TFR ~
 *     N(mean, sd), reached in long_run_year; the age shape of the base rates is kept.
 *   Migration: level(step) x profile; levels per period between calibration targets are found
 *     by the secant method on the expected-values projection (which is affine in the level).
 *     Persistent component: a random walk R of the net migration rate (migrants per person per
 *     year), 0 at the base date, with a normal step of sd persistent_sd sqrt(h) per step of h
 *     years; a step uses the walk's value at its end (its own step included), so a replication
 *     that starts above the official path tends to stay there. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carecast/lifetable.h"
#include "carecast/population.h"
#include "carecast/rng.h"

void cc_migration_profile(double peak_age, double profile[CC_AGES])
{
    const double alpha1 = 0.1, alpha2 = 0.1, lambda2 = 0.4, child_ratio = 1.0 / 3.0, constant_ratio = 1.0 / 20.0;
    double mu2 = peak_age - log(lambda2 / alpha2) / lambda2, peak = exp(-alpha2 * (peak_age - mu2) - exp(-lambda2 * (peak_age - mu2)));
    double sum = 0;
    for (int a = 0; a < CC_AGES; a++) {
        double x = a + 0.5;
        double labour = exp(-alpha2 * (x - mu2) - exp(-lambda2 * (x - mu2))) / peak;
        profile[a] = child_ratio * exp(-alpha1 * x) + labour + constant_ratio;
        sum += profile[a];
    }
    for (int a = 0; a < CC_AGES; a++)
        profile[a] /= sum;
}

/* m_base(x) exp(b(x) k). b is constant within each history age group, so exp is taken once per
 * group (the same argument gives the same value: no result changes). */
static void rates_at_index(const cc_population_params *p, const cc_population_model *m, int sex, double k, double out[CC_AGES])
{
    (void)p; /* the model holds its base rates */
    if (!m->has_lee_carter) {
        for (int a = 0; a < CC_AGES; a++)
            out[a] = m->base_rate[sex][a] * 1.0;
        return;
    }
    const double *b = m->b_single[sex];
    double factor = exp(b[0] * k);
    for (int a = 0; a < CC_AGES; a++) {
        if (a > 0 && b[a] != b[a - 1])
            factor = exp(b[a] * k);
        out[a] = m->base_rate[sex][a] * factor;
    }
}

static double e0_at_index(const cc_population_params *p, const cc_population_model *m, int sex, double k)
{
    double rates[CC_AGES];
    cc_lifetable table;
    rates_at_index(p, m, sex, k, rates);
    cc_lifetable_from_rates(rates, &table);
    return cc_lifetable_expectancy(&table, 0);
}

double cc_population_model_median_e0(const cc_population_params *p, const cc_population_model *m, int sex, int year)
{
    return e0_at_index(p, m, sex, m->drift[sex] * (year - p->mortality_year));
}

/* Drift such that e0 at the target year meets the target (bisection; e0 falls as k rises). */
static int calibrate_drift(const cc_population_params *p, cc_population_model *m, int sex, cc_error *err)
{
    double span = p->mortality_target_year - p->mortality_year, lo = -100.0 / span, hi = 100.0 / span;
    double target = p->target_e0[sex];
    if (span <= 0)
        return cc_error_set_key(err, CC_ERR_RANGE, "mortality", "target_year",
                                "must be after the base mortality table's year (%d)", p->mortality_year);
    if (e0_at_index(p, m, sex, lo * span) < target || e0_at_index(p, m, sex, hi * span) > target)
        return cc_error_set_key(err, CC_ERR_RANGE, "mortality", sex ? "target_e0_female" : "target_e0_male",
                                "this life expectancy cannot be reached with the Lee-Carter fit");
    for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
        double mid = 0.5 * (lo + hi);
        if (e0_at_index(p, m, sex, mid * span) > target)
            lo = mid;
        else
            hi = mid;
    }
    m->drift[sex] = 0.5 * (lo + hi);
    return 0;
}

/* 2 standard errors: a b this far below zero is not Poisson noise (carry_b_from_age) */
#define CARRY_Z 2.0

static int build_mortality(const cc_population_params *p, cc_population_model *m, cc_error *err)
{
    memcpy(m->base_rate, p->mortality_rate, sizeof m->base_rate);
    if (p->oldest_old == CC_OLDEST_OLD_KANNISTO) {
        for (int sex = 0; sex < CC_SEXES; sex++) {
            int ret = cc_oldest_old_apply(m->base_rate[sex], &m->kannisto[sex], err);
            if (ret != 0) {
                char reason[768];
                snprintf(reason, sizeof reason, "%s", err->message);
                return cc_error_set_key(err, ret, "mortality", "oldest_old", "%s base rates: %s (oldest_old = none "
                                        "keeps them as read)", sex ? "female" : "male", reason);
            }
        }
        m->has_kannisto = 1;
    }
    if (p->history_years == 0)
        return 0;
    int group_lo[CC_AGES];
    for (int g = 0; g < p->history_groups; g++)
        group_lo[g] = p->history_group[g].lo;
    for (int sex = 0; sex < CC_SEXES; sex++) {
        size_t cells = (size_t)p->history_years * p->history_groups;
        const double *rates = &p->history_rate[(size_t)sex * cells];
        int ret;
        if (p->history_exposure) { /* deaths = rate x exposure */
            const double *exposure = &p->history_exposure[(size_t)sex * cells];
            double *deaths = malloc(cells * sizeof *deaths);
            if (!deaths)
                return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
            for (size_t i = 0; i < cells; i++)
                deaths[i] = rates[i] * exposure[i];
            ret = cc_lee_carter_fit_poisson(deaths, exposure, p->history_year, p->history_years, p->history_groups,
                                            &m->fit[sex], err);
            free(deaths);
        } else {
            ret = cc_lee_carter_fit(rates, p->history_year, p->history_years, p->history_groups, &m->fit[sex], err);
        }
        if (ret != 0) { /* name the key of the table (cc_scenario_locate adds its line) */
            char reason[768];
            snprintf(reason, sizeof reason, "%s", err->message);
            return cc_error_set_key(err, ret, "mortality", p->history_exposure ? "history_exposures" : "history",
                                    "%s fit: %s", sex ? "female" : "male", reason);
        }
        cc_lee_carter_carry_oldest(&m->fit[sex], group_lo, p->carry_b_from_age, CARRY_Z);
        cc_age_group groups[CC_AGES];
        for (int g = 0; g < p->history_groups; g++) {
            groups[g] = p->history_group[g];
            groups[g].value = m->fit[sex].bx[g];
        }
        cc_age_groups_spread(groups, p->history_groups, m->b_single[sex]);
        m->drift[sex] = m->fit[sex].drift;
        m->sigma[sex] = m->fit[sex].sigma * p->volatility_scale;
    }
    m->has_lee_carter = 1;
    for (int sex = 0; sex < CC_SEXES && p->mortality_target_year; sex++) {
        int ret = calibrate_drift(p, m, sex, err);
        if (ret != 0)
            return ret;
    }
    return 0;
}

/* Total population in `year` of the all-median projection with the model's current levels. */
static int median_total(const cc_population_params *p, const cc_population_model *m, int year, double *total)
{
    cc_run_options median = {.expected_values = 1}; /* every draw at its median */
    cc_population_rates rates = {0}; /* freed below whichever init failed */
    cc_population_path path = {0};
    cc_population_workspace ws = {0};
    int ret = cc_population_rates_init(&rates, m->years);
    if (ret == 0) ret = cc_population_path_init(&path, m->years);
    if (ret == 0) ret = cc_population_workspace_init(&ws);
    if (ret == 0) ret = cc_population_rates_draw(p, m, &median, 0, &ws, &rates);
    if (ret == 0) ret = cc_population_simulate(p, &rates, &median, 0, &ws, &path);
    if (ret == 0) {
        int y = year - p->base_year;
        *total = 0;
        for (int i = 0; i < CC_SEXES * CC_AGES; i++)
            *total += path.population[(size_t)y * CC_SEXES * CC_AGES + i];
    }
    cc_population_workspace_free(&ws);
    cc_population_path_free(&path);
    cc_population_rates_free(&rates);
    return ret;
}

static void set_level(cc_population_model *m, int from, double level)
{
    for (int y = from; y < m->years; y++)
        m->level[y] = level;
}

/* Secant on the level of each period [previous target, target) in turn. */
static int calibrate_migration(const cc_population_params *p, cc_population_model *m, cc_error *err)
{
    int from = 0;
    for (int k = 0; k < p->ntargets; k++) {
        int year = p->target_year[k];
        double l0 = m->level[from], l1 = l0 + 1000.0, f0, f1;
        /* the level of the steps from `from` to the target's point, those after it provisionally */
        int ret;
        set_level(m, from, l0);
        if ((ret = median_total(p, m, year, &f0)) != 0)
            return cc_error_set(err, ret, NULL, 0, NULL, "out of memory");
        f0 -= p->target_total[k];
        for (int iter = 0; iter < 20 && fabs(f0) > 0.01; iter++) {
            set_level(m, from, l1);
            if ((ret = median_total(p, m, year, &f1)) != 0)
                return cc_error_set(err, ret, NULL, 0, NULL, "out of memory");
            f1 -= p->target_total[k];
            if (f1 == f0)
                break;
            double next = l1 - f1 * (l1 - l0) / (f1 - f0);
            l0 = l1; f0 = f1; l1 = next;
        }
        set_level(m, from, l0);
        if (fabs(f0) > 1.0) {
            return cc_error_set_key(err, CC_ERR_RANGE, "migration", "calibrate_to",
                                    "no migration level meets the total of %d (off by %.1f persons)", year, f0);
        }
        from = year - p->base_year + 1;
    }
    return 0;
}

int cc_population_model_build(const cc_population_params *p, cc_population_model *m, cc_error *err)
{
    int ret;
    memset(m, 0, sizeof *m);
    m->years = cc_population_years(p);
    if (!(m->level = calloc(m->years, sizeof *m->level)))
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    for (int a = 0; a < CC_AGES; a++)
        m->base_tfr += p->fertility_rate[a];
    for (int a = 0; a < CC_AGES; a++)
        m->shape[a] = m->base_tfr > 0 ? p->fertility_rate[a] / m->base_tfr : 0.0;
    if (p->migration_schedule == 1) {
        m->has_schedule = 1;
        double age_profile[CC_AGES];
        cc_migration_profile(p->migration_peak_age, age_profile);
        for (int a = 0; a < CC_AGES; a++) {
            m->profile[CC_MALE][a] = p->migration_male_share * age_profile[a];
            m->profile[CC_FEMALE][a] = (1 - p->migration_male_share) * age_profile[a];
        }
        set_level(m, 0, p->migration_level);
    }
    if ((ret = build_mortality(p, m, err)) != 0 || (p->ntargets > 0 && (ret = calibrate_migration(p, m, err)) != 0)) {
        cc_population_model_free(m);
        return ret;
    }
    return 0;
}

void cc_population_model_free(cc_population_model *m)
{
    for (int sex = 0; sex < CC_SEXES; sex++)
        cc_lee_carter_free(&m->fit[sex]);
    free(m->level);
    memset(m, 0, sizeof *m);
}

/* The calendar years a projection's steps touch, each one's index k noise (a random walk from
 * the base mortality table's year, one normal innovation a year shared by both sexes) and each
 * one's death rates: a step spanning two calendar years blends both, and the next step reuses
 * the later one, so a year's rates are computed once per replication. The arrays live in the
 * workspace (grown when a longer projection needs more), so nothing is allocated per replication. */
typedef struct {
    int first, n;
    double *noise; /* [n] */
    double *rates; /* [n][CC_SEXES][CC_AGES] */
} calendar_path;

static int calendar_years(const cc_population_params *p, int steps, cc_population_workspace *ws, calendar_path *cal)
{
    double start, h;
    cc_population_step_span(p, steps - 1, &start, &h);
    cal->first = (int)floor(p->base_time);
    int last = (int)ceil(start + h) - 1;
    if (last < cal->first)
        last = cal->first;
    cal->n = last - cal->first + 1;
    size_t need = (size_t)cal->n * (1 + CC_SEXES * CC_AGES);
    if (need > ws->scratch_size) {
        double *grown = realloc(ws->scratch, need * sizeof *grown);
        if (!grown)
            return CC_ERR_NOMEM;
        ws->scratch = grown;
        ws->scratch_size = need;
    }
    cal->noise = ws->scratch;
    cal->rates = ws->scratch + cal->n;
    memset(cal->noise, 0, (size_t)cal->n * sizeof *cal->noise); /* years up to the base table's: no noise */
    return 0;
}

/* Year c's mortality: observed when the history covers it, else the model's index. */
static void calendar_mortality(const cc_population_params *p, const cc_population_model *m, const calendar_path *cal,
                               int c, int sex, double out[CC_AGES])
{
    if (c >= p->observed_first && c < p->observed_first + p->observed_years) {
        memcpy(out, &p->observed_rate[((size_t)(c - p->observed_first) * CC_SEXES + sex) * CC_AGES],
               CC_AGES * sizeof *out);
        return;
    }
    rates_at_index(p, m, sex, m->drift[sex] * (c - p->mortality_year) + m->sigma[sex] * cal->noise[c - cal->first], out);
}

static double calendar_tfr(const cc_population_params *p, const cc_population_model *m, double long_run, int c)
{
    if (!(long_run > 0))
        return m->base_tfr;
    double progress = p->long_run_year > p->base_year ? (double)(c - p->base_year) / (p->long_run_year - p->base_year) : 1.0;
    return m->base_tfr + (long_run - m->base_tfr) * fmin(1.0, fmax(0.0, progress));
}

int cc_population_rates_draw(const cc_population_params *p, const cc_population_model *m, const cc_run_options *run,
                             uint32_t replication, cc_population_workspace *ws, cc_population_rates *r)
{
    const int expected = run->expected_values;
    double long_run = p->long_run_tfr;
    calendar_path cal;
    if (calendar_years(p, r->years, ws, &cal) != 0)
        return CC_ERR_NOMEM;
    cc_rng_set_stream(ws->parameters, run->seed, replication, CC_STREAM_FERTILITY_LEVEL, 0);
    if (long_run > 0 && !expected)
        long_run = fmax(0.0, long_run + gsl_ran_gaussian(ws->parameters, p->tfr_sd));
    cc_rng_set_stream(ws->parameters, run->seed, replication, CC_STREAM_MORTALITY_INDEX, 0);
    double walk = 0;
    for (int c = p->mortality_year + 1; c < cal.first + cal.n; c++) {
        walk += expected || !m->has_lee_carter ? 0.0 : gsl_ran_gaussian(ws->parameters, 1.0);
        if (c >= cal.first)
            cal.noise[c - cal.first] = walk;
    }
    for (int i = 0; i < cal.n; i++)
        for (int sex = 0; sex < CC_SEXES; sex++)
            calendar_mortality(p, m, &cal, cal.first + i, sex, &cal.rates[((size_t)i * CC_SEXES + sex) * CC_AGES]);
    cc_rng_set_stream(ws->parameters, run->seed, replication, CC_STREAM_MIGRATION_LEVEL, 0);
    double persistent = 0;
    for (int y = 0; y < r->years; y++) {
        double start, h, weight_sum = 0;
        cc_population_step_span(p, y, &start, &h);
        double *mort = &r->mortality[(size_t)y * CC_SEXES * CC_AGES], *fert = &r->fertility[(size_t)y * CC_AGES];
        memset(mort, 0, CC_SEXES * CC_AGES * sizeof *mort);
        double tfr = 0;
        for (int c = (int)floor(start); c < start + h || (h == 0 && c == (int)floor(start)); c++) {
            /* the share of the step in calendar year c (an empty step: all of its year) */
            double w = h > 0 ? (fmin(start + h, c + 1.0) - fmax(start, (double)c)) / h : 1.0;
            if (w <= 0)
                continue;
            weight_sum += w;
            const double *year_rates = &cal.rates[(size_t)(c - cal.first) * CC_SEXES * CC_AGES];
            for (int i = 0; i < CC_SEXES * CC_AGES; i++)
                mort[i] += w * year_rates[i];
            tfr += w * calendar_tfr(p, m, long_run, c);
        }
        for (int i = 0; i < CC_SEXES * CC_AGES; i++) /* the weights sum to 1 up to rounding */
            mort[i] /= weight_sum;
        tfr /= weight_sum;
        for (int a = 0; a < CC_AGES; a++)
            fert[a] = m->shape[a] * tfr;
        for (int sex = 0; sex < CC_SEXES; sex++)
            for (int a = 0; a < CC_AGES; a++)
                r->migration[((size_t)y * CC_SEXES + sex) * CC_AGES + a] =
                    m->has_schedule ? m->level[y] * m->profile[sex][a] : p->net_migration[sex][a];
        if (!expected && p->migration_persistent_sd > 0 && h > 0)
            persistent += p->migration_persistent_sd * sqrt(h) * gsl_ran_gaussian(ws->parameters, 1.0);
        r->migration_rate[y] = persistent;
    }
    return 0;
}
