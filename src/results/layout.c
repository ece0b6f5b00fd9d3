/* The layout of the results file: one table of groups, datasets and attributes (path, axes,
 * type, units, long_name, description, where the values come from), and the walk that turns it
 * into items over a store and its summaries.
 * - The shared axes are dimension scales in the root group (netCDF-4 sees a dimension only in
 *   the group that defines it and its subgroups), with /axes/<name> hard links to them.
 * - A "replicated" entry is a quantity with a value per scenario and replication: it becomes a
 *   group with replications, quantiles and mean, and with several scenarios
 *   difference/{quantiles, mean_ci, mean_ci_unpaired}; long names are the quantity's plus
 *   what each dataset holds.
 * - An entry can be repeated (each scenario; each coverage target year; each target year and
 *   scheme): its path's "%s" takes the instance's name ("kashiwa", "2025", "2025/pairing") and
 *   its sources get the instance's index. Per-scenario axes (calibration years, Lee-Carter age
 *   groups and fit years) are scales beside the data, since their lengths may differ between
 *   scenarios.
 * - An entry can also stand for every metric of a coverage family (cc_coverage_metric_info):
 *   its path gets "/<metric name>", and units, long_name and description come from that table.
 * - Coverage axes (coverage_replication, doctor) are root scales like the shared ones, written
 *   when the run simulates coverage; per-doctor values are NaN past a scenario's roster.
 * Adding a stage: its row type and store columns, source functions below, and table entries. */
#include "carecast/results_layout.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- axes --------------------------------------------------------------------------------- */

enum {
    AX_SCENARIO, AX_REPLICATION, AX_QUANTILE, AX_YEAR, AX_SEX, AX_AGE, AX_AGE_BAND, AX_BOUND, AX_SETTING,
    AX_SHARED, /* the shared axes above; per-scenario axes below */
    AX_TARGET_YEAR = AX_SHARED, AX_AGE_GROUP, AX_FIT_YEAR,
    AX_COVERAGE_REPLICATION, AX_DOCTOR, /* root scales written with coverage only */
    AX_COUNT
};

/* name, path of the scale ("%s": the scenario), units, long_name, description */
static const struct {
    const char *name, *path, *units, *long_name, *description;
} axis_info[AX_COUNT] = {
    {"scenario", "scenario", "1", "Scenario", "Scenario (or region of a batch)"},
    {"replication", "replication", "1", "Replication", "Replication number (random streams are keyed by it)"},
    {"quantile", "quantile", "1", "Quantile level", "Quantile level over replications"},
    {"year", "year", "year", "Year",
     "Year point: the reference date (attribute reference_date, MM-DD) of the year; stocks on that date, "
     "flows over the step that ends on it (the first from the base date, population/base)"},
    {"sex", "sex", "1", "Sex", "Sex; total is both sexes"},
    {"age", "age", "years", "Age", "Age in completed years; 100 is the open group 100+"},
    {"age_band", "age_band", "1", "Age band", "Age bands of demand results"},
    {"bound", "bound", "1", "Bound of a 95% interval", "Lower end, mean and upper end of a 95% interval"},
    {"setting", "setting", "1", "Care setting", "Care settings with their own rate table and drawn parameters"},
    {"calibration_target_year", "population/fitted/%s/calibration_target_year", "year",
     "Year of an official population total", "Years of the official totals the migration level was calibrated to"},
    {"age_group", "population/fitted/%s/lee_carter/age_group", "1", "Age group of the mortality history",
     "Age groups of the fit"},
    {"fit_years", "population/fitted/%s/lee_carter/fit_years", "year", "Year of the mortality history",
     "Years in the fit"},
    {"coverage_replication", "coverage_replication", "1", "Coverage replication",
     "Replications simulated by the coverage stage: the first [coverage] replications of the run (the same "
     "replication numbers as the replication axis)"},
    {"doctor", "doctor", "1", "Doctor",
     "Participating doctor, numbered clinic by clinic in the clinics table's order; as long as the largest "
     "scenario's roster (coverage/doctors/n_doctors): values past a scenario's doctors are padding (NaN)"},
};

static const char *const sex_labels[CC_SEX_AXIS] = {"male", "female", "total"};
static const char *const band_labels[CC_AGE_BANDS] = {"0-64", "65-74", "75-84", "85+", "total"};
static const char *const bound_labels[3] = {"lower", "mean", "upper"};
static const char *const setting_labels[CC_RATE_SETTINGS] = {"inpatient", "outpatient", "home_care"};

/* Length of an axis (per-scenario axes: of scenario sc). */
static size_t axis_length(const cc_results *r, int axis, int sc)
{
    const cc_population_fitted *f = sc >= 0 ? &r->scenarios[sc].fitted : NULL;
    switch (axis) {
    case AX_SCENARIO: return (size_t)r->nscenarios;
    case AX_REPLICATION: return (size_t)r->replications;
    case AX_QUANTILE: return CC_QUANTILES;
    case AX_YEAR: return (size_t)r->years;
    case AX_SEX: return CC_SEX_AXIS;
    case AX_AGE: return CC_AGES;
    case AX_AGE_BAND: return CC_AGE_BANDS;
    case AX_BOUND: return 3;
    case AX_SETTING: return CC_RATE_SETTINGS;
    case AX_TARGET_YEAR: return f ? (size_t)f->ntargets : 0;
    case AX_AGE_GROUP: return f ? (size_t)f->ngroups : 0;
    case AX_FIT_YEAR: return f ? (size_t)f->nyears : 0;
    case AX_COVERAGE_REPLICATION: return (size_t)r->coverage.replications;
    case AX_DOCTOR: return (size_t)r->coverage.max_doctors;
    default: return 0;
    }
}

/* ---- where values come from -------------------------------------------------------------- */

/* The values of an entry for its instance (the scenario, or the coverage year / year x scheme;
 * -1 for an entry written once) and its index (the series, setting or metric). */
typedef const void *(*source_fn)(const cc_results *r, const cc_summaries *s, int instance, int index);
typedef const cc_replicated_summary *(*summary_fn)(const cc_summaries *s, int instance, int index);

#define FIT (&r->scenarios[sc].fitted)
/* each source has the same signature; most use only some of its arguments */
#define SOURCE(fn, expr)                                                                   \
    static const void *fn(const cc_results *r, const cc_summaries *s, int sc, int i)       \
    {                                                                                      \
        (void)r, (void)s, (void)sc, (void)i;                                               \
        return (expr);                                                                     \
    }
SOURCE(series_rows, r->series[i])
SOURCE(demand_rows, r->demand[i])
SOURCE(expected_rows, r->demand_expected[i])
SOURCE(visits_rows, r->visits_per_clinic)
SOURCE(age_mean, r->age_mean)
SOURCE(age_sd, s->age_sd)
SOURCE(rate_multiplier, r->rate_multiplier)
SOURCE(rate_trend, r->rate_trend)
SOURCE(visits_per_patient_month, r->visits_per_patient_month)
SOURCE(dental_share, r->dental_share)
SOURCE(peak_year, s->peak_year[i])
SOURCE(peak_year_share, s->peak_year_share[i])
SOURCE(capacity, s->capacity)
SOURCE(exceedance_probability, s->exceedance_probability)
SOURCE(first_exceedance_year, s->first_exceedance_year)
SOURCE(first_exceedance_share, s->first_exceedance_share)
SOURCE(never_exceeded_share, s->never_exceeded_share)
SOURCE(migration_level, FIT->migration_level)
SOURCE(base_population, r->base_population)
SOURCE(base_date, &r->scenarios[sc < 0 ? 0 : sc].base_date) /* scenarios run together share it */
SOURCE(reference_date, &r->scenarios[0].reference_date)
SOURCE(first_step, &FIT->first_step)
SOURCE(target_year, FIT->target_year)
SOURCE(target_total, FIT->target_total)
SOURCE(base_tfr, &FIT->base_tfr)
SOURCE(median_e0, &FIT->median_e0_end_year[i])
SOURCE(group_label, FIT->group_label)
SOURCE(group_lo, FIT->group_lo)
SOURCE(group_hi, FIT->group_hi)
SOURCE(fit_year, FIT->fit_year)
SOURCE(lc_ax, FIT->sex[i].ax)
SOURCE(lc_bx, FIT->sex[i].bx)
SOURCE(lc_kt, FIT->sex[i].kt)
SOURCE(lc_bx_fitted, FIT->sex[i].bx_fitted)
SOURCE(lc_bx_se, FIT->sex[i].bx_se)
SOURCE(lc_bx_carried, FIT->sex[i].bx_carried)
SOURCE(lc_method, &FIT->fit_method)
SOURCE(kannisto_a, &FIT->kannisto_a[i])
SOURCE(kannisto_b, &FIT->kannisto_b[i])
SOURCE(base_rate_open, &FIT->base_rate_open[i])
SOURCE(lc_drift_fitted, &FIT->sex[i].drift_fitted)
SOURCE(lc_sigma_fitted, &FIT->sex[i].sigma_fitted)
SOURCE(lc_drift_used, &FIT->sex[i].drift_used)
SOURCE(lc_sigma_used, &FIT->sex[i].sigma_used)
SOURCE(lc_explained, &FIT->sex[i].explained_variance)
SOURCE(lc_max_error, &FIT->sex[i].max_abs_log_error)
#define COV (&r->coverage)
#define PER_YEAR ((size_t)r->nscenarios * COV->replications)
/* coverage: sc is the instance (year, or year x scheme), i the metric */
SOURCE(cov_year_rows, COV->year[i] + sc * PER_YEAR)
SOURCE(cov_scheme_rows, COV->scheme_values[i] + sc * PER_YEAR)
SOURCE(cov_doctor_rows, COV->doctor[i] + sc * PER_YEAR * COV->max_doctors)
SOURCE(cov_doctor_mean, s->coverage_doctor_mean + ((size_t)i * COV->nyears * COV->nschemes + sc) * r->nscenarios *
                                                      COV->max_doctors)
SOURCE(cov_n_doctors, COV->n_doctors)
SOURCE(cov_doctor_clinic, COV->doctor_clinic)
SOURCE(cov_doctor_block, COV->doctor_block)
SOURCE(cov_doctor_role, COV->doctor_role)
SOURCE(cov_doctor_backup, COV->doctor_backup)

#define SUMMARY(fn, expr)                                                                  \
    static const cc_replicated_summary *fn(const cc_summaries *s, int k, int i)            \
    {                                                                                      \
        (void)k, (void)i;                                                                  \
        return (expr);                                                                     \
    }
SUMMARY(series_summary, &s->series[i])
SUMMARY(demand_summary, &s->demand[i])
SUMMARY(expected_summary, &s->demand_expected[i])
SUMMARY(visits_summary, &s->visits_per_clinic_summary)
SUMMARY(cov_year_summary, cc_summaries_coverage_year(s, i, k))
SUMMARY(cov_scheme_summary, &s->coverage_scheme[(size_t)i * s->coverage_years * s->coverage_schemes + k])

/* ---- the table ---------------------------------------------------------------------------- */

/* E_PER_DOCTOR: a per-doctor quantity: a group with replications [scenario, coverage
 * replication, doctor] and their mean [scenario, doctor], NaN past each scenario's roster. */
typedef enum { E_GROUP, E_REPLICATED, E_DATASET, E_SCALE, E_ATTRIBUTE, E_PER_DOCTOR } entry_kind;
typedef enum { ALWAYS, WITH_DEMAND, WITH_CAPACITY, WITH_LEE_CARTER, WITH_COVERAGE } condition;

/* What an entry is repeated over: its path's "%s" takes each instance's name, and its sources
 * get the instance's index: each scenario; each coverage target year ("2025"); each target
 * year and scheme ("2025/pairing", index year * schemes + scheme). */
typedef enum { ONCE, EACH_SCENARIO, EACH_YEAR, EACH_YEAR_SCHEME } repetition;

static int instances(const cc_results *r, repetition each)
{
    switch (each) {
    case EACH_SCENARIO: return r->nscenarios;
    case EACH_YEAR: return r->coverage.enabled ? r->coverage.nyears : 0;
    case EACH_YEAR_SCHEME: return r->coverage.enabled ? r->coverage.nyears * r->coverage.nschemes : 0;
    default: return 1;
    }
}

/* The name of instance k of `each` into buf. */
static const char *instance_name(const cc_results *r, repetition each, int k, char *buf, size_t size)
{
    const cc_results_coverage *c = &r->coverage;
    switch (each) {
    case EACH_SCENARIO: return r->scenarios[k].name;
    case EACH_YEAR: snprintf(buf, size, "%d", c->target_year[k]); return buf;
    case EACH_YEAR_SCHEME:
        snprintf(buf, size, "%d/%s", c->target_year[k / c->nschemes], cc_scheme_name(c->scheme[k % c->nschemes]));
        return buf;
    default: return "";
    }
}

typedef struct {
    entry_kind kind;
    const char *path;  /* "%s": the instance's name (see each) */
    repetition each;
    const char *name;  /* E_ATTRIBUTE: the attribute */
    condition when;
    int rank;
    int axes[CC_LAYOUT_MAX_RANK]; /* E_REPLICATED: the axes after [scenario, replication]; E_SCALE: its own */
    cc_value_type type;           /* E_DATASET, E_SCALE, E_ATTRIBUTE (E_REPLICATED: doubles) */
    const char *units, *long_name, *description;
    source_fn values;             /* E_REPLICATED: the rows [scenario][replication][cells] */
    summary_fn summary;           /* E_REPLICATED */
    int index;                    /* passed to values and summary */
    int metrics;                  /* 1 + a cc_metric_family: the entry stands for each metric of it */
    int replication_axis;         /* E_REPLICATED: AX_COVERAGE_REPLICATION (0: AX_REPLICATION) */
    source_fn mean;               /* E_PER_DOCTOR: the means [scenario][doctor] */
} entry;

#define GROUP(p, w, d) {.kind = E_GROUP, .path = p, .when = w, .description = d}
#define POPULATION(p, id, u, ln, d)                                                                 \
    {.kind = E_REPLICATED, .path = "population/" p, .rank = 2, .axes = {AX_YEAR, AX_SEX}, .units = u, \
     .long_name = ln, .description = d, .values = series_rows, .summary = series_summary, .index = id}
#define DEMAND(p, id, u, ln, d)                                                                     \
    {.kind = E_REPLICATED, .path = "demand/" p, .when = WITH_DEMAND, .rank = 3,                    \
     .axes = {AX_YEAR, AX_SEX, AX_AGE_BAND}, .units = u, .long_name = ln, .description = d,          \
     .values = demand_rows, .summary = demand_summary, .index = id},                                \
    {.kind = E_REPLICATED, .path = "demand/" p "/expected_total", .when = WITH_DEMAND, .rank = 1,  \
     .axes = {AX_YEAR}, .units = u, .long_name = ln ", expected (both sexes, all ages)",              \
     .description = "Expected demand of each replication, both sexes, all ages: its parameters and " \
                    "population, without the Poisson noise of one day (peak years and bed "          \
                    "exceedance use it)",                                                            \
     .values = expected_rows, .summary = expected_summary, .index = id}
#define PEAK(p, id, ln)                                                                             \
    {.kind = E_DATASET, .path = "demand/" p "/peak_year", .when = WITH_DEMAND, .rank = 2,           \
     .axes = {AX_SCENARIO, AX_REPLICATION}, .type = CC_VALUE_INT, .units = "year",                   \
     .long_name = ln ", year of the expected peak",                                                  \
     .description = "Year of the highest expected total (both sexes, all ages) within the run, per " \
                    "replication",                                                                   \
     .values = peak_year, .index = id},                                                             \
    {.kind = E_DATASET, .path = "demand/" p "/peak_year_share", .when = WITH_DEMAND, .rank = 2,     \
     .axes = {AX_SCENARIO, AX_YEAR}, .units = "1", .long_name = ln ", share of replications peaking in the year", \
     .description = "Share of replications whose total peaks in each year (a peak in the last year may " \
                    "lie beyond the run)",                                                           \
     .values = peak_year_share, .index = id}
#define ARRAY(p, w, r, ax, t, u, ln, d, src)                                                        \
    {.kind = E_DATASET, .path = p, .when = w, .rank = r, .axes = ax, .type = t, .units = u,          \
     .long_name = ln, .description = d, .values = src}
#define AXES(...) {__VA_ARGS__}
/* per scenario, under population/fitted/<scenario> */
#define FITTED "population/fitted/%s"
#define LC FITTED "/lee_carter"
#define FITTED_VECTOR(p, w, axis, t, u, ln, d, src, i)                                              \
    {.kind = E_DATASET, .path = p, .each = EACH_SCENARIO, .when = w, .rank = 1, .axes = {axis},      \
     .type = t, .units = u, .long_name = ln, .description = d, .values = src, .index = i}
#define FITTED_SCALE(p, w, axis, t, src)                                                            \
    {.kind = E_SCALE, .path = p, .each = EACH_SCENARIO, .when = w, .rank = 1, .axes = {axis}, .type = t, \
     .values = src}
#define FITTED_ATTR(p, w, n, src, i)                                                                \
    {.kind = E_ATTRIBUTE, .path = p, .each = EACH_SCENARIO, .name = n, .when = w, .values = src, .index = i}
#define FITTED_ATTR_T(p, w, n, t, src, i)                                                          \
    {.kind = E_ATTRIBUTE, .path = p, .each = EACH_SCENARIO, .name = n, .when = w, .type = t, .values = src, .index = i}
#define LEE_CARTER_SEX(sex, i)                                                                      \
    {.kind = E_GROUP, .path = LC "/" sex, .each = EACH_SCENARIO, .when = WITH_LEE_CARTER},          \
    FITTED_VECTOR(LC "/" sex "/ax", WITH_LEE_CARTER, AX_AGE_GROUP, CC_VALUE_DOUBLE,                   \
                  "log(deaths per person-year)", "Lee-Carter a(x)", "Mean log death rate by group", lc_ax, i), \
    FITTED_VECTOR(LC "/" sex "/bx", WITH_LEE_CARTER, AX_AGE_GROUP, CC_VALUE_DOUBLE, "1", "Lee-Carter b(x)", \
                  "Age response to the period index as projected: bx_fitted, with the carried groups' b "    \
                  "taken from the group below (see bx_carried)", lc_bx, i),                          \
    FITTED_VECTOR(LC "/" sex "/bx_fitted", WITH_LEE_CARTER, AX_AGE_GROUP, CC_VALUE_DOUBLE, "1",         \
                  "Lee-Carter b(x) as fitted", "Age response to the period index as fitted (sums to 1)", \
                  lc_bx_fitted, i),                                                                   \
    FITTED_VECTOR(LC "/" sex "/bx_se", WITH_LEE_CARTER, AX_AGE_GROUP, CC_VALUE_DOUBLE, "1",             \
                  "Standard error of the fitted b(x)",                                                 \
                  "Poisson fit: from the Fisher information of b(x) given k; SVD fit: from the residuals " \
                  "of each group's log rates", lc_bx_se, i),                                          \
    FITTED_VECTOR(LC "/" sex "/bx_carried", WITH_LEE_CARTER, AX_AGE_GROUP, CC_VALUE_INT, "1",           \
                  "Lee-Carter b(x) carried from the group below",                                      \
                  "1: the fitted b(x) was below zero by more than 2 standard errors in a group from "   \
                  "[mortality] carry_b_from_age, and the group takes the b(x) of the group below; 0: as " \
                  "fitted", lc_bx_carried, i),                                                        \
    FITTED_VECTOR(LC "/" sex "/kt", WITH_LEE_CARTER, AX_FIT_YEAR, CC_VALUE_DOUBLE, "1", "Lee-Carter k(t)", \
                  "Fitted period index by fit year (sums to 0)", lc_kt, i),                          \
    FITTED_ATTR(LC "/" sex, WITH_LEE_CARTER, "drift_fitted", lc_drift_fitted, i),                    \
    FITTED_ATTR(LC "/" sex, WITH_LEE_CARTER, "sigma_fitted", lc_sigma_fitted, i),                    \
    FITTED_ATTR(LC "/" sex, WITH_LEE_CARTER, "drift_used", lc_drift_used, i),                        \
    FITTED_ATTR(LC "/" sex, WITH_LEE_CARTER, "sigma_used", lc_sigma_used, i),                        \
    FITTED_ATTR(LC "/" sex, WITH_LEE_CARTER, "explained_variance", lc_explained, i),                 \
    FITTED_ATTR(LC "/" sex, WITH_LEE_CARTER, "max_abs_log_error", lc_max_error, i)

static const entry layout[] = {
    GROUP("population", ALWAYS, "Population projection: headline series and age structure"),
    POPULATION("total", CC_SERIES_TOTAL, "persons", "Population, all ages",
               "Population of all ages on each year point (the reference date)"),
    POPULATION("age65plus", CC_SERIES_AGE65PLUS, "persons", "Population aged 65 and over",
               "Population aged 65 and over"),
    POPULATION("age75plus", CC_SERIES_AGE75PLUS, "persons", "Population aged 75 and over",
               "Population aged 75 and over"),
    POPULATION("age85plus", CC_SERIES_AGE85PLUS, "persons", "Population aged 85 and over",
               "Population aged 85 and over"),
    POPULATION("births", CC_SERIES_BIRTHS, "births/year", "Live births",
               "Live births during the step that ends on the year point (the first step: from the base date, "
               "population/fitted/<scenario>@first_step_years long, none when that is 0)"),
    POPULATION("deaths", CC_SERIES_DEATHS, "deaths/year", "Deaths",
               "Deaths during the step that ends on the year point (including births of the step who die before its end)"),
    POPULATION("net_migration", CC_SERIES_NET_MIGRATION, "persons/year", "Net migration",
               "Net migrants added during the step that ends on the year point (in minus out)"),
    POPULATION("life_expectancy_0", CC_SERIES_LIFE_EXPECTANCY_0, "years", "Period life expectancy at birth",
               "Period life expectancy at birth of the year's mortality rates (total: a birth cohort of both sexes "
               "at the sex ratio at birth)"),
    POPULATION("life_expectancy_65", CC_SERIES_LIFE_EXPECTANCY_65, "years", "Period life expectancy at 65",
               "Period life expectancy at 65 of the year's mortality rates (total: weighted by survivors to 65)"),
    ARRAY("population/base", ALWAYS, 3, AXES(AX_SCENARIO, AX_SEX, AX_AGE), CC_VALUE_DOUBLE, "persons",
          "Base population by single year of age",
          "Persons on the base date (attribute date), before the first step; the base table split into single ages",
          base_population),
    {.kind = E_ATTRIBUTE, .path = "population/base", .name = "date", .type = CC_VALUE_STRING, .values = base_date},
    {.kind = E_ATTRIBUTE, .path = "year", .name = "reference_date", .type = CC_VALUE_STRING, .values = reference_date},
    GROUP("population/by_age", ALWAYS, "Population by single year of age (100 = 100+)"),
    ARRAY("population/by_age/mean", ALWAYS, 4, AXES(AX_SCENARIO, AX_YEAR, AX_SEX, AX_AGE), CC_VALUE_DOUBLE,
          "persons", "Population by single year of age, mean over replications", "Mean over replications", age_mean),
    ARRAY("population/by_age/sd", ALWAYS, 4, AXES(AX_SCENARIO, AX_YEAR, AX_SEX, AX_AGE), CC_VALUE_DOUBLE, "persons",
          "Population by single year of age, standard deviation over replications",
          "Standard deviation over replications (n - 1 denominator)", age_sd),
    GROUP("population/fitted", ALWAYS, "Parameters the model fitted or calibrated, per scenario"),
    {.kind = E_GROUP, .path = FITTED, .each = EACH_SCENARIO},
    FITTED_VECTOR(FITTED "/migration_level", ALWAYS, AX_YEAR, CC_VALUE_DOUBLE, "persons/year",
                  "Expected net migration of the migration schedule",
                  "Expected net migrants per year (both sexes) of the migration schedule; calibrated per period "
                  "when the scenario gives official totals", migration_level, 0),
    FITTED_SCALE(FITTED "/calibration_target_year", ALWAYS, AX_TARGET_YEAR, CC_VALUE_INT, target_year),
    FITTED_VECTOR(FITTED "/calibration_target_total", ALWAYS, AX_TARGET_YEAR, CC_VALUE_DOUBLE, "persons",
                  "Official population total", "Official totals the median projection meets", target_total, 0),
    FITTED_ATTR(FITTED, ALWAYS, "base_tfr", base_tfr, 0),
    {.kind = E_ATTRIBUTE, .path = FITTED, .each = EACH_SCENARIO, .name = "base_date", .type = CC_VALUE_STRING,
     .values = base_date},
    FITTED_ATTR(FITTED, ALWAYS, "first_step_years", first_step, 0),
    FITTED_ATTR(FITTED, ALWAYS, "median_e0_male_end_year", median_e0, CC_MALE),
    FITTED_ATTR(FITTED, ALWAYS, "median_e0_female_end_year", median_e0, CC_FEMALE),
    FITTED_ATTR(FITTED, ALWAYS, "base_rate_open_male", base_rate_open, CC_MALE),
    FITTED_ATTR(FITTED, ALWAYS, "base_rate_open_female", base_rate_open, CC_FEMALE),
    FITTED_ATTR(FITTED, ALWAYS, "kannisto_a_male", kannisto_a, CC_MALE),
    FITTED_ATTR(FITTED, ALWAYS, "kannisto_b_male", kannisto_b, CC_MALE),
    FITTED_ATTR(FITTED, ALWAYS, "kannisto_a_female", kannisto_a, CC_FEMALE),
    FITTED_ATTR(FITTED, ALWAYS, "kannisto_b_female", kannisto_b, CC_FEMALE),
    {.kind = E_GROUP, .path = LC, .each = EACH_SCENARIO, .when = WITH_LEE_CARTER,
     .description = "Lee-Carter fit log m(x,t) = a(x) + b(x) k(t) to the mortality history (fit_method: poisson, "
                    "the deaths-weighted fit, or svd; sum b = 1 over the fitted b, sum k = 0); projection: "
                    "m(x,y) = m_base(x) exp(b(x) k(y)), k(base year) = 0, k a random walk with drift_used and "
                    "sigma_used"},
    FITTED_ATTR_T(LC, WITH_LEE_CARTER, "fit_method", CC_VALUE_STRING, lc_method, 0),
    FITTED_SCALE(LC "/age_group", WITH_LEE_CARTER, AX_AGE_GROUP, CC_VALUE_STRING, group_label),
    FITTED_SCALE(LC "/fit_years", WITH_LEE_CARTER, AX_FIT_YEAR, CC_VALUE_INT, fit_year),
    FITTED_VECTOR(LC "/group_age_lo", WITH_LEE_CARTER, AX_AGE_GROUP, CC_VALUE_INT, "years",
                  "First age of the age group", "First age of each group", group_lo, 0),
    FITTED_VECTOR(LC "/group_age_hi", WITH_LEE_CARTER, AX_AGE_GROUP, CC_VALUE_INT, "years",
                  "Last age of the age group", "Last age of each group (-1: open)", group_hi, 0),
    LEE_CARTER_SEX("male", CC_MALE),
    LEE_CARTER_SEX("female", CC_FEMALE),
    GROUP("demand", WITH_DEMAND, "Demand for hospital, outpatient and home medical care by sex and age band"),
    DEMAND("inpatient", CC_DEMAND_INPATIENT, "patients", "Inpatients on a day",
           "Inpatients on a day (occupied beds), after any shift into home care"),
    DEMAND("outpatient", CC_DEMAND_OUTPATIENT, "visits/weekday", "Outpatient visits per weekday",
           "Outpatient visits on a weekday"),
    DEMAND("home_care", CC_DEMAND_HOME_CARE, "patients", "Enrolled home-care patients",
           "Enrolled home-care (regular home-visit) patients"),
    DEMAND("urgent_calls", CC_DEMAND_URGENT_CALLS, "calls/month", "Urgent house calls (requests) per month",
           "Urgent house-call requests per month from enrolled home-care patients (calls, not visits: "
           "urgent_visits counts the ones answered by a visit)"),
    DEMAND("urgent_visits", CC_DEMAND_URGENT_VISITS, "visits/month", "Urgent house-call visits per month",
           "Urgent calls answered by a visit per month: the calls x [coverage] urgent_visit_share (the rest "
           "get phone advice)"),
    DEMAND("beds_needed", CC_DEMAND_BEDS_NEEDED, "beds", "Hospital beds needed",
           "Beds needed to hold the day's inpatients at the target occupancy"),
    {.kind = E_REPLICATED, .path = "demand/outpatient/visits_per_clinic", .when = WITH_DEMAND, .rank = 1,
     .axes = {AX_YEAR}, .units = "visits/clinic/weekday", .long_name = "Outpatient visits per clinic per weekday",
     .description = "All outpatient visits per weekday (hospital outpatient departments included, as in the "
                    "Patient Survey rates) divided by [demand] clinics: an upper bound of a clinic's share (NaN "
                    "when the scenario gives no clinic count)",
     .values = visits_rows, .summary = visits_summary},
    GROUP("demand/parameters", WITH_DEMAND, NULL),
    ARRAY("demand/parameters/rate_multiplier", WITH_DEMAND, 3, AXES(AX_SCENARIO, AX_REPLICATION, AX_SETTING),
          CC_VALUE_DOUBLE, "1", "Rate-level multiplier drawn per replication",
          "Rate-level multiplier drawn per replication (index 2: inpatient, outpatient, home care)", rate_multiplier),
    ARRAY("demand/parameters/rate_trend", WITH_DEMAND, 3, AXES(AX_SCENARIO, AX_REPLICATION, AX_SETTING),
          CC_VALUE_DOUBLE, "per year", "Annual relative change of the rates drawn per replication",
          "Annual relative change of the rates drawn per replication (index 2: inpatient, outpatient, home care)",
          rate_trend),
    ARRAY("demand/parameters/visits_per_patient_month", WITH_DEMAND, 2, AXES(AX_SCENARIO, AX_REPLICATION),
          CC_VALUE_DOUBLE, "visits/patient-month", "Scheduled visits per home-care patient-month drawn per replication",
          "Scheduled visits per enrolled home-care patient-month drawn per replication (triangular): the "
          "enrolled patients scale by 2.4 / it", visits_per_patient_month),
    ARRAY("demand/parameters/dental_share", WITH_DEMAND, 2, AXES(AX_SCENARIO, AX_REPLICATION),
          CC_VALUE_DOUBLE, "1", "Dental share of scheduled-visit patients drawn per replication",
          "Dental share of the daily scheduled-visit patients drawn per replication (triangular): the "
          "enrolled patients scale by (1 - it) / 0.6", dental_share),
    ARRAY("demand/beds_needed/capacity", WITH_CAPACITY, 1, AXES(AX_SCENARIO), CC_VALUE_DOUBLE, "beds",
          "Hospital bed capacity", "Bed capacity given by each scenario (0: none given; its rows below are "
          "meaningless)", capacity),
    ARRAY("demand/beds_needed/exceedance_probability", WITH_CAPACITY, 2, AXES(AX_SCENARIO, AX_YEAR),
          CC_VALUE_DOUBLE, "1", "Probability that expected beds needed exceed the capacity",
          "Probability that expected beds needed exceed the capacity, per year", exceedance_probability),
    ARRAY("demand/beds_needed/first_exceedance_year", WITH_CAPACITY, 2, AXES(AX_SCENARIO, AX_REPLICATION),
          CC_VALUE_INT, "year", "First year expected beds needed exceed the capacity",
          "First year expected beds needed exceed the capacity, per replication (0: not within the run)",
          first_exceedance_year),
    ARRAY("demand/beds_needed/first_exceedance_share", WITH_CAPACITY, 2, AXES(AX_SCENARIO, AX_YEAR),
          CC_VALUE_DOUBLE, "1", "Share of replications first exceeding the bed capacity in the year",
          "Distribution of the first exceedance year over replications", first_exceedance_share),
    ARRAY("demand/beds_needed/never_exceeded_share", WITH_CAPACITY, 1, AXES(AX_SCENARIO), CC_VALUE_DOUBLE, "1",
          "Share of replications never exceeding the bed capacity",
          "Share of replications whose expected beds needed never exceed the capacity within the run",
          never_exceeded_share),
    PEAK("outpatient", CC_DEMAND_OUTPATIENT, "Outpatient visits per weekday"),
    PEAK("inpatient", CC_DEMAND_INPATIENT, "Inpatients on a day"),
    GROUP("coverage", WITH_COVERAGE,
          "On-call coverage of home-care patients (README, \"Coverage\"): for each target year, the year's patients "
          "and events (the same under every scheme), each scheme's figures over its doctors, and each doctor's; over "
          "the coverage replications (the first [coverage] replications of the run)"),
    GROUP("coverage/doctors", WITH_COVERAGE,
          "The participating doctors of each scenario along the doctor axis (padded past n_doctors)"),
    ARRAY("coverage/doctors/n_doctors", WITH_COVERAGE, 1, AXES(AX_SCENARIO), CC_VALUE_INT, "doctors",
          "Participating doctors", "Participating doctors of each scenario: the doctor axis's entries past it are padding",
          cov_n_doctors),
    ARRAY("coverage/doctors/clinic", WITH_COVERAGE, 2, AXES(AX_SCENARIO, AX_DOCTOR), CC_VALUE_STRING, "1",
          "Clinic of the doctor", "Id of the doctor's clinic in the clinics table (\"\": padding)", cov_doctor_clinic),
    ARRAY("coverage/doctors/block", WITH_COVERAGE, 2, AXES(AX_SCENARIO, AX_DOCTOR), CC_VALUE_INT, "1",
          "Block of the doctor", "Block of the doctor's clinic, counted from 1 as in the clinics table (0: padding)",
          cov_doctor_block),
    ARRAY("coverage/doctors/role", WITH_COVERAGE, 2, AXES(AX_SCENARIO, AX_DOCTOR), CC_VALUE_STRING, "1",
          "Role of the doctor", "Type of the doctor's clinic: primary (daytime) or backup (24-hour capable); \"\": padding",
          cov_doctor_role),
    ARRAY("coverage/doctors/backup_clinic", WITH_COVERAGE, 2, AXES(AX_SCENARIO, AX_DOCTOR), CC_VALUE_STRING, "1",
          "Backup clinic paired with the doctor's primary clinic",
          "For a doctor of a primary clinic: the id of the backup clinic it pairs with (given in the clinics table "
          "or chosen by the engine; \"\": none, so no cover out of hours under pairing); \"\" for backup doctors "
          "and padding", cov_doctor_backup),
    {.kind = E_GROUP, .path = "coverage/%s", .each = EACH_YEAR, .when = WITH_COVERAGE,
     .description = "One target year: its patients and events (the same under every scheme) and, per scheme, the "
                    "figures of its doctors"},
    {.kind = E_REPLICATED, .path = "coverage/%s", .each = EACH_YEAR, .when = WITH_COVERAGE,
     .metrics = 1 + CC_METRICS_YEAR, .replication_axis = AX_COVERAGE_REPLICATION, .values = cov_year_rows,
     .summary = cov_year_summary},
    {.kind = E_GROUP, .path = "coverage/%s", .each = EACH_YEAR_SCHEME, .when = WITH_COVERAGE,
     .description = "One scheme in one target year: figures over the scheme's doctors (duty nights, disturbed "
                    "nights and out-of-hours hours per doctor-month), continuity, escalations and response times; "
                    "from the second scheme on, difference/ holds the paired differences from the first scheme"},
    {.kind = E_REPLICATED, .path = "coverage/%s", .each = EACH_YEAR_SCHEME, .when = WITH_COVERAGE,
     .metrics = 1 + CC_METRICS_SCHEME, .replication_axis = AX_COVERAGE_REPLICATION, .values = cov_scheme_rows,
     .summary = cov_scheme_summary},
    {.kind = E_GROUP, .path = "coverage/%s/doctor", .each = EACH_YEAR_SCHEME, .when = WITH_COVERAGE,
     .description = "Per-doctor figures of the year (per year, not per month), every coverage replication and the "
                    "mean over them, along the doctor axis (NaN past a scenario's n_doctors)"},
    {.kind = E_PER_DOCTOR, .path = "coverage/%s/doctor", .each = EACH_YEAR_SCHEME, .when = WITH_COVERAGE,
     .metrics = 1 + CC_METRICS_DOCTOR, .values = cov_doctor_rows, .mean = cov_doctor_mean},
};

/* ---- the walk ----------------------------------------------------------------------------- */

/* Whether an entry is written as rows arrive by a streamed store (its per-replication values:
 * not the coverage stage's, which the store keeps for its [coverage] replications). */
static int streamed(const entry *e)
{
    if (e->kind == E_REPLICATED)
        return e->replication_axis != AX_COVERAGE_REPLICATION;
    return e->kind == E_DATASET && (e->values == rate_multiplier || e->values == rate_trend ||
                                    e->values == visits_per_patient_month || e->values == dental_share);
}

typedef struct {
    const cc_results *r;
    const cc_summaries *s;
    cc_layout_visitor visit;
    void *user;
    char path[512], axis_path[CC_LAYOUT_MAX_RANK][512], long_name[512], description[1024], instance[64];
} walker;

static int holds(const walker *w, condition when, int sc)
{
    switch (when) {
    case WITH_DEMAND: return w->r->has_demand;
    case WITH_CAPACITY: return w->r->has_demand && w->s->has_capacity;
    case WITH_LEE_CARTER: return sc >= 0 && w->r->scenarios[sc].fitted.has_lee_carter;
    case WITH_COVERAGE: return w->r->coverage.enabled;
    default: return 1;
    }
}

/* A path pattern with the name of instance k of `each` (-1: none). */
static void format_path(char *out, size_t size, const char *pattern, walker *w, repetition each, int k)
{
    snprintf(out, size, pattern, k >= 0 ? instance_name(w->r, each, k, w->instance, sizeof w->instance) : "");
}

/* A dataset over the given axes (shared, or per-scenario ones of scenario sc, -1: none). */
static int dataset(walker *w, const char *path, int rank, const int *axes, int sc, cc_value_type type,
                   const void *data, const char *units, const char *long_name, const char *description)
{
    cc_layout_item item = {CC_ITEM_DATASET, path, NULL, NULL, rank, {0}, {0}, {0}, type, data, units, long_name,
                           description, 0};
    for (int i = 0; i < rank; i++) {
        item.dims[i] = axis_length(w->r, axes[i], sc);
        item.axis[i] = axis_info[axes[i]].name;
        format_path(w->axis_path[i], sizeof w->axis_path[i], axis_info[axes[i]].path, w, EACH_SCENARIO, sc);
        item.axis_path[i] = w->axis_path[i];
        item.fill_nan |= axes[i] == AX_DOCTOR && type == CC_VALUE_DOUBLE;
    }
    return w->visit(&item, w->user);
}

static int group(walker *w, const char *path, const char *description)
{
    cc_layout_item item = {CC_ITEM_GROUP, path, NULL, NULL, 0, {0}, {0}, {0}, CC_VALUE_DOUBLE, NULL, NULL, NULL,
                           description, 0};
    return w->visit(&item, w->user);
}

static const char *with_suffix(walker *w, const char *quantity, const char *what)
{
    snprintf(w->long_name, sizeof w->long_name, "%s, %s", quantity, what);
    return w->long_name;
}

/* What an entry stands for: its path (base), units, long name and description, those of
 * metric m of its family for a coverage entry. */
typedef struct {
    char base[600];
    const char *units, *long_name, *description;
} quantity;

static void quantity_of(walker *w, const entry *e, int m, quantity *q)
{
    const cc_coverage_metric_desc *info = e->metrics ? cc_coverage_metric_info(e->metrics - 1, m) : NULL;
    if (info) {
        snprintf(q->base, sizeof q->base, "%.511s/%.80s", w->path, info->name);
        q->units = info->units, q->long_name = info->long_name, q->description = info->description;
    } else {
        snprintf(q->base, sizeof q->base, "%s", w->path);
        q->units = e->units, q->long_name = e->long_name, q->description = e->description;
    }
}

/* The paired differences of a replicated quantity (when its summary has them): from the first
 * scenario, or, for a coverage scheme, from the first scheme of the list. */
static int differences(walker *w, const entry *e, const quantity *q, const cc_replicated_summary *sum, int *axes)
{
    char path[700];
    int by_scheme = e->replication_axis == AX_COVERAGE_REPLICATION, rank = 2 + e->rank;
    const char *from = "the first scenario";
    if (by_scheme)
        snprintf(w->description, sizeof w->description, "Each scheme minus the first scheme of the list (%s), "
                 "replication by replication (common random numbers: every scheme answers the same events)",
                 cc_scheme_name(w->r->coverage.scheme[0]));
    const char *group_description = by_scheme ? w->description
                                              : "Each scenario minus the first, replication by replication (common "
                                                "random numbers: the same streams for the same purposes)";
    if (by_scheme)
        from = "the first scheme";
#define PART(name) (snprintf(path, sizeof path, "%s/%s", q->base, name), path)
    char what[256], about[512];
    int ret = group(w, PART("difference"), group_description);
    snprintf(what, sizeof what, "difference from %s, quantiles over %s", from,
             by_scheme ? "coverage replications" : "replications");
    snprintf(about, sizeof about, "Quantiles of the per-replication differences from %s", from);
    if (ret == 0)
        ret = dataset(w, PART("difference/quantiles"), rank, axes, -1, CC_VALUE_DOUBLE, sum->diff_quantiles, q->units,
                      with_suffix(w, q->long_name, what), about);
    axes[1] = AX_BOUND;
    snprintf(what, sizeof what, "mean difference from %s with its paired 95%% interval", from);
    snprintf(about, sizeof about, "Mean difference from %s with its paired 95%% interval (index 1: lower, mean, "
             "upper; t on the per-replication differences)", from);
    if (ret == 0)
        ret = dataset(w, PART("difference/mean_ci"), rank, axes, -1, CC_VALUE_DOUBLE, sum->diff_ci, q->units,
                      with_suffix(w, q->long_name, what), about);
    if (ret == 0 && sum->diff_ci_unpaired)
        ret = dataset(w, PART("difference/mean_ci_unpaired"), rank, axes, -1, CC_VALUE_DOUBLE, sum->diff_ci_unpaired,
                      q->units,
                      with_suffix(w, q->long_name,
                                  "mean difference from the first scenario with its unpaired (Welch) 95% interval"),
                      "The same interval as if the runs were independent (Welch), for comparison");
#undef PART
    return ret;
}

/* The dataset of every replication of a replicated quantity q of entry e (rows: its values). */
static int replications(walker *w, const entry *e, const quantity *q, const double *rows)
{
    const int coverage = e->replication_axis == AX_COVERAGE_REPLICATION, rank = 2 + e->rank;
    int axes[CC_LAYOUT_MAX_RANK] = {AX_SCENARIO, coverage ? AX_COVERAGE_REPLICATION : AX_REPLICATION};
    memcpy(axes + 2, e->axes, (size_t)e->rank * sizeof *axes);
    char path[700];
    snprintf(path, sizeof path, "%s/replications", q->base);
    return dataset(w, path, rank, axes, -1, CC_VALUE_DOUBLE, rows, q->units,
                   with_suffix(w, q->long_name, coverage ? "every coverage replication" : "every replication"),
                   coverage ? "Value in every coverage replication" : "Value in every replication");
}

/* A replicated quantity (metric m of a coverage family, else the entry's own) of instance k:
 * replications (a streamed store's are in the file already), quantiles, mean and, when its
 * summary has them, the paired differences. */
static int replicated(walker *w, const entry *e, int k, int m)
{
    const int index = e->metrics ? m : e->index;
    const double *rows = w->r->file && streamed(e) ? NULL : e->values(w->r, w->s, k, index);
    const cc_replicated_summary *sum = e->summary(w->s, k, index);
    const int coverage = e->replication_axis == AX_COVERAGE_REPLICATION, rank = 2 + e->rank;
    const char *over = coverage ? "coverage replications" : "replications";
    quantity q;
    quantity_of(w, e, m, &q);
    char path[700], what[128];
    int axes[CC_LAYOUT_MAX_RANK] = {AX_SCENARIO, coverage ? AX_COVERAGE_REPLICATION : AX_REPLICATION};
    memcpy(axes + 2, e->axes, (size_t)e->rank * sizeof *axes);
    int ret = group(w, q.base, q.description);
#define PART(name) (snprintf(path, sizeof path, "%s/%s", q.base, name), path)
    if (ret == 0)
        ret = replications(w, e, &q, rows);
    axes[1] = AX_QUANTILE;
    snprintf(what, sizeof what, "quantiles over %s", over);
    if (ret == 0)
        ret = dataset(w, PART("quantiles"), rank, axes, -1, CC_VALUE_DOUBLE, sum->quantiles, q.units,
                      with_suffix(w, q.long_name, what),
                      coverage ? "Quantiles over coverage replications (linear interpolation between order statistics; "
                                 "replications where the figure is undefined, NaN, left out)"
                               : "Quantiles over replications (linear interpolation between order statistics)");
    snprintf(what, sizeof what, "mean over %s", over);
    if (ret == 0)
        ret = dataset(w, PART("mean"), 1 + e->rank, (int[CC_LAYOUT_MAX_RANK]){AX_SCENARIO, e->axes[0], e->axes[1],
                                                                              e->axes[2]},
                      -1, CC_VALUE_DOUBLE, sum->mean, q.units, with_suffix(w, q.long_name, what),
                      coverage ? "Mean over coverage replications (NaN values left out)" : "Mean over replications");
#undef PART
    if (ret != 0 || !sum->diff_quantiles)
        return ret;
    axes[1] = AX_QUANTILE;
    return differences(w, e, &q, sum, axes);
}

/* A per-doctor quantity (doctor metric m) of instance k: every coverage replication and the mean. */
static int per_doctor(walker *w, const entry *e, int k, int m)
{
    quantity q;
    quantity_of(w, e, m, &q);
    char path[700];
    int ret = group(w, q.base, q.description);
    if (ret == 0)
        ret = dataset(w, (snprintf(path, sizeof path, "%s/replications", q.base), path), 3,
                      (int[CC_LAYOUT_MAX_RANK]){AX_SCENARIO, AX_COVERAGE_REPLICATION, AX_DOCTOR}, -1, CC_VALUE_DOUBLE,
                      e->values(w->r, w->s, k, m), q.units, with_suffix(w, q.long_name, "every coverage replication"),
                      "Value of each doctor in every coverage replication (NaN past the scenario's n_doctors)");
    if (ret == 0)
        ret = dataset(w, (snprintf(path, sizeof path, "%s/mean", q.base), path), 2,
                      (int[CC_LAYOUT_MAX_RANK]){AX_SCENARIO, AX_DOCTOR}, -1, CC_VALUE_DOUBLE, e->mean(w->r, w->s, k, m),
                      q.units, with_suffix(w, q.long_name, "mean over coverage replications"),
                      "Mean of each doctor over the coverage replications (NaN past the scenario's n_doctors)");
    return ret;
}

/* One entry for its instance k (-1 for an entry written once). */
static int entry_item(walker *w, const entry *e, int k)
{
    int sc = e->each == EACH_SCENARIO ? k : -1; /* the scenario of per-scenario axes */
    if (!holds(w, e->when, sc))
        return 0;
    format_path(w->path, sizeof w->path, e->path, w, e->each, k);
    int nmetrics = e->metrics ? cc_coverage_metric_count(e->metrics - 1) : 1, ret = 0;
    switch (e->kind) {
    case E_GROUP:
        return group(w, w->path, e->description);
    case E_REPLICATED:
        for (int m = 0; ret == 0 && m < nmetrics; m++)
            ret = replicated(w, e, k, m);
        return ret;
    case E_PER_DOCTOR:
        for (int m = 0; ret == 0 && m < nmetrics; m++)
            ret = per_doctor(w, e, k, m);
        return ret;
    case E_DATASET:
        return dataset(w, w->path, e->rank, e->axes, sc, e->type,
                       e->values && !(w->r->file && streamed(e)) ? e->values(w->r, w->s, k, e->index) : NULL,
                       e->units, e->long_name, e->description);
    case E_SCALE: {
        int axis = e->axes[0];
        cc_layout_item item = {CC_ITEM_SCALE, w->path, axis_info[axis].name, NULL, 1, {axis_length(w->r, axis, sc)},
                               {0}, {0}, e->type, e->values(w->r, w->s, k, e->index), axis_info[axis].units,
                               axis_info[axis].long_name, axis_info[axis].description, 0};
        return w->visit(&item, w->user);
    }
    case E_ATTRIBUTE: {
        cc_layout_item item = {CC_ITEM_ATTRIBUTE, w->path, e->name, NULL, 0, {0}, {0}, {0}, e->type,
                               e->values(w->r, w->s, k, e->index), NULL, NULL, NULL, 0};
        return w->visit(&item, w->user);
    }
    }
    return 0;
}

/* The shared axes (and, with coverage, the coverage axes): scales in the root group, then
 * /axes/<name> links to them. */
static int shared_axes(walker *w)
{
    const cc_results *r = w->r;
    const cc_results_coverage *c = &r->coverage;
    int *replication = malloc((size_t)r->replications * sizeof(int) + 1);
    int *year = malloc((size_t)r->years * sizeof(int) + 1), *age = malloc(CC_AGES * sizeof(int));
    int *doctor = malloc((size_t)c->max_doctors * sizeof(int) + 1);
    const char **names = malloc((size_t)r->nscenarios * sizeof(char *) + 1);
    int ret = replication && year && age && doctor && names ? 0 : CC_ERR_NOMEM;
    for (int i = 0; ret == 0 && i < r->replications; i++) replication[i] = i;
    for (int i = 0; ret == 0 && i < r->years; i++) year[i] = r->base_year + i;
    for (int i = 0; ret == 0 && i < CC_AGES; i++) age[i] = i;
    for (int i = 0; ret == 0 && i < c->max_doctors; i++) doctor[i] = i;
    for (int i = 0; ret == 0 && i < r->nscenarios; i++) names[i] = r->scenarios[i].name;
    const struct {
        int axis;
        cc_value_type type;
        const void *data;
    } values[] = {
        {AX_SCENARIO, CC_VALUE_STRING, names}, {AX_REPLICATION, CC_VALUE_INT, replication},
        {AX_QUANTILE, CC_VALUE_DOUBLE, cc_quantile_levels}, {AX_YEAR, CC_VALUE_INT, year},
        {AX_SEX, CC_VALUE_STRING, sex_labels}, {AX_AGE, CC_VALUE_INT, age},
        {AX_AGE_BAND, CC_VALUE_STRING, band_labels}, {AX_BOUND, CC_VALUE_STRING, bound_labels},
        {AX_SETTING, CC_VALUE_STRING, setting_labels},
        /* the coverage replications are the first replications: the same numbers */
        {AX_COVERAGE_REPLICATION, CC_VALUE_INT, replication}, {AX_DOCTOR, CC_VALUE_INT, doctor},
    };
    int n = c->enabled ? (int)(sizeof values / sizeof values[0]) : AX_SHARED;
    for (int i = 0; ret == 0 && i < n; i++) {
        int a = values[i].axis;
        cc_layout_item item = {CC_ITEM_SCALE, axis_info[a].path, axis_info[a].name, NULL, 1,
                               {axis_length(r, a, -1)}, {0}, {0}, values[i].type, values[i].data,
                               axis_info[a].units, axis_info[a].long_name, axis_info[a].description, 0};
        ret = w->visit(&item, w->user);
    }
    if (ret == 0)
        ret = group(w, "axes", "The dimension scales of the root group, hard-linked here (the same datasets "
                               "under a second name)");
    for (int i = 0; ret == 0 && i < n; i++) {
        char path[64];
        int a = values[i].axis;
        snprintf(path, sizeof path, "axes/%s", axis_info[a].name);
        cc_layout_item item = {CC_ITEM_LINK, path, NULL, axis_info[a].path, 0, {0}, {0}, {0}, CC_VALUE_DOUBLE,
                               NULL, NULL, NULL, NULL, 0};
        ret = w->visit(&item, w->user);
    }
    free(replication);
    free(year);
    free(age);
    free(doctor);
    free(names);
    return ret;
}

int cc_layout_visit_dataset(cc_layout_visitor visit, void *user, const char *path, int rank, const int *axes,
                            const size_t *lengths, const char *const *names, cc_value_type type, const void *data,
                            const char *units, const char *long_name, const char *description)
{
    cc_layout_item it = {CC_ITEM_DATASET, path, NULL, NULL, rank, {0}, {0}, {0}, type, data, units, long_name,
                         description, 0};
    for (int i = 0; i < rank; i++) {
        it.dims[i] = lengths[axes[i]];
        it.axis[i] = it.axis_path[i] = names[axes[i]];
    }
    return visit(&it, user);
}

/* A walker over r and s (NULL: the rows alone) for visit(item, user); NULL when out of memory. */
static walker *walker_new(const cc_results *r, const cc_summaries *s, cc_layout_visitor visit, void *user)
{
    walker *w = calloc(1, sizeof *w);
    if (w)
        *w = (walker){.r = r, .s = s, .visit = visit, .user = user};
    return w;
}

int cc_results_layout_walk(const cc_results *r, const cc_summaries *s, cc_layout_visitor visit, void *user)
{
    walker *w = walker_new(r, s, visit, user);
    if (!w)
        return CC_ERR_NOMEM;
    int ret = shared_axes(w);
    for (size_t i = 0; ret == 0 && i < sizeof layout / sizeof layout[0]; i++) {
        const entry *e = &layout[i];
        for (int k = 0; ret == 0 && k < instances(r, e->each); k++)
            ret = entry_item(w, e, e->each == ONCE ? -1 : k);
    }
    free(w);
    return ret;
}

int cc_results_layout_walk_rows(const cc_results *r, cc_layout_visitor visit, void *user)
{
    walker *w = walker_new(r, NULL, visit, user);
    if (!w)
        return CC_ERR_NOMEM;
    int ret = 0;
    for (size_t i = 0; ret == 0 && i < sizeof layout / sizeof layout[0]; i++) {
        const entry *e = &layout[i];
        if (!streamed(e) || e->each != ONCE || !holds(w, e->when, -1))
            continue;
        format_path(w->path, sizeof w->path, e->path, w, e->each, -1);
        const void *rows = e->values(r, NULL, -1, e->index);
        if (e->kind == E_REPLICATED) {
            quantity q;
            quantity_of(w, e, 0, &q);
            ret = replications(w, e, &q, rows);
        } else
            ret = dataset(w, w->path, e->rank, e->axes, -1, e->type, rows, e->units, e->long_name, e->description);
    }
    free(w);
    return ret;
}
