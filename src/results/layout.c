/* The layout of the results file: one table of groups, datasets and attributes (path, axes,
 * type, units, long_name, description, where the values come from), and the walk that turns it
 * into items over a store and its summaries.
 * - The shared axes are dimension scales in the root group (netCDF-4 sees a dimension only in
 *   the group that defines it and its subgroups), with /axes/<name> hard links to them.
 * - A "replicated" entry is a quantity with a value per scenario and replication: it becomes a
 *   group with replications, quantiles and mean, and with several scenarios
 *   difference/{quantiles, mean_ci, mean_ci_unpaired}; long names are the quantity's plus
 *   what each dataset holds.
 * - An entry can be repeated (each scenario; a later stage: each target year and scheme): its
 *   path's "%s" takes the instance's name. Per-scenario axes (calibration years, Lee-Carter age
 *   groups and fit years) are scales beside the data, since their lengths may differ between
 *   scenarios.
 * Adding a stage: its row type and store columns, source functions below, and table entries
 * (and, for /coverage/<year>/<scheme>/..., a repetition over target years and schemes). */
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
    AX_COUNT
};

/* name, path of the scale ("%s": the scenario), units, long_name, description */
static const struct {
    const char *name, *path, *units, *long_name, *description;
} axis_info[AX_COUNT] = {
    {"scenario", "scenario", "1", "Scenario", "Scenario (or region of a batch)"},
    {"replication", "replication", "1", "Replication", "Replication number (random streams are keyed by it)"},
    {"quantile", "quantile", "1", "Quantile level", "Quantile level over replications"},
    {"year", "year", "year", "Calendar year",
     "Calendar year (stocks at the base date's day; flows over the year from it)"},
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
    default: return 0;
    }
}

/* ---- where values come from -------------------------------------------------------------- */

typedef const void *(*source_fn)(const cc_results *r, const cc_summaries *s, int scenario, int index);
typedef const cc_replicated_summary *(*summary_fn)(const cc_summaries *s, int index);

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
SOURCE(visits_rows, s->visits_per_clinic)
SOURCE(age_mean, r->age_mean)
SOURCE(age_sd, s->age_sd)
SOURCE(rate_multiplier, r->rate_multiplier)
SOURCE(rate_trend, r->rate_trend)
SOURCE(peak_year, s->peak_year[i])
SOURCE(peak_year_share, s->peak_year_share[i])
SOURCE(capacity, s->capacity)
SOURCE(exceedance_probability, s->exceedance_probability)
SOURCE(first_exceedance_year, s->first_exceedance_year)
SOURCE(first_exceedance_share, s->first_exceedance_share)
SOURCE(never_exceeded_share, s->never_exceeded_share)
SOURCE(migration_level, FIT->migration_level)
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
SOURCE(lc_drift_fitted, &FIT->sex[i].drift_fitted)
SOURCE(lc_sigma_fitted, &FIT->sex[i].sigma_fitted)
SOURCE(lc_drift_used, &FIT->sex[i].drift_used)
SOURCE(lc_sigma_used, &FIT->sex[i].sigma_used)
SOURCE(lc_explained, &FIT->sex[i].explained_variance)
SOURCE(lc_max_error, &FIT->sex[i].max_abs_log_error)

static const cc_replicated_summary *series_summary(const cc_summaries *s, int i) { return &s->series[i]; }
static const cc_replicated_summary *demand_summary(const cc_summaries *s, int i) { return &s->demand[i]; }
static const cc_replicated_summary *expected_summary(const cc_summaries *s, int i) { return &s->demand_expected[i]; }
static const cc_replicated_summary *visits_summary(const cc_summaries *s, int i)
{
    (void)i;
    return &s->visits_per_clinic_summary;
}

/* ---- the table ---------------------------------------------------------------------------- */

typedef enum { E_GROUP, E_REPLICATED, E_DATASET, E_SCALE, E_ATTRIBUTE } entry_kind;
typedef enum { ALWAYS, WITH_DEMAND, WITH_CAPACITY, WITH_LEE_CARTER } condition;

/* What an entry is repeated over: its path's "%s" takes each instance's name, and its sources
 * get the instance's index. (A later stage adds its own, e.g. target year x scheme.) */
typedef enum { ONCE, EACH_SCENARIO } repetition;

static int instances(const cc_results *r, repetition each)
{
    return each == EACH_SCENARIO ? r->nscenarios : 1;
}

static const char *instance_name(const cc_results *r, repetition each, int k)
{
    return each == EACH_SCENARIO ? r->scenarios[k].name : "";
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
#define LEE_CARTER_SEX(sex, i)                                                                      \
    {.kind = E_GROUP, .path = LC "/" sex, .each = EACH_SCENARIO, .when = WITH_LEE_CARTER},          \
    FITTED_VECTOR(LC "/" sex "/ax", WITH_LEE_CARTER, AX_AGE_GROUP, CC_VALUE_DOUBLE,                   \
                  "log(deaths per person-year)", "Lee-Carter a(x)", "Mean log death rate by group", lc_ax, i), \
    FITTED_VECTOR(LC "/" sex "/bx", WITH_LEE_CARTER, AX_AGE_GROUP, CC_VALUE_DOUBLE, "1", "Lee-Carter b(x)", \
                  "Age response to the period index (sums to 1)", lc_bx, i),                         \
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
               "Population of all ages at the base date's day of each year"),
    POPULATION("age65plus", CC_SERIES_AGE65PLUS, "persons", "Population aged 65 and over",
               "Population aged 65 and over"),
    POPULATION("age75plus", CC_SERIES_AGE75PLUS, "persons", "Population aged 75 and over",
               "Population aged 75 and over"),
    POPULATION("age85plus", CC_SERIES_AGE85PLUS, "persons", "Population aged 85 and over",
               "Population aged 85 and over"),
    POPULATION("births", CC_SERIES_BIRTHS, "births/year", "Live births",
               "Live births during the year that starts at the year's base date"),
    POPULATION("deaths", CC_SERIES_DEATHS, "deaths/year", "Deaths",
               "Deaths during the year (including births of the year who die before its end)"),
    POPULATION("net_migration", CC_SERIES_NET_MIGRATION, "persons/year", "Net migration",
               "Net migrants added during the year (in minus out)"),
    POPULATION("life_expectancy_0", CC_SERIES_LIFE_EXPECTANCY_0, "years", "Period life expectancy at birth",
               "Period life expectancy at birth of the year's mortality rates (total: a birth cohort of both sexes "
               "at the sex ratio at birth)"),
    POPULATION("life_expectancy_65", CC_SERIES_LIFE_EXPECTANCY_65, "years", "Period life expectancy at 65",
               "Period life expectancy at 65 of the year's mortality rates (total: weighted by survivors to 65)"),
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
    FITTED_ATTR(FITTED, ALWAYS, "median_e0_male_end_year", median_e0, CC_MALE),
    FITTED_ATTR(FITTED, ALWAYS, "median_e0_female_end_year", median_e0, CC_FEMALE),
    {.kind = E_GROUP, .path = LC, .each = EACH_SCENARIO, .when = WITH_LEE_CARTER,
     .description = "Lee-Carter fit log m(x,t) = a(x) + b(x) k(t) to the mortality history (SVD; sum b = 1, "
                    "sum k = 0); projection: m(x,y) = m_base(x) exp(b(x) k(y)), k(base year) = 0, k a random walk "
                    "with drift_used and sigma_used"},
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
    DEMAND("urgent_calls", CC_DEMAND_URGENT_CALLS, "calls/month", "Urgent house calls per month",
           "Urgent house-call requests per month from enrolled home-care patients"),
    DEMAND("beds_needed", CC_DEMAND_BEDS_NEEDED, "beds", "Hospital beds needed",
           "Beds needed to hold the day's inpatients at the target occupancy"),
    {.kind = E_REPLICATED, .path = "demand/outpatient/visits_per_clinic", .when = WITH_DEMAND, .rank = 1,
     .axes = {AX_YEAR}, .units = "visits/clinic/weekday", .long_name = "Outpatient visits per clinic per weekday",
     .description = "All outpatient visits per weekday (hospital outpatient departments included, as in the "
                    "Patient Survey rates) divided by [demand] clinics: an upper bound of a clinic's share",
     .values = visits_rows, .summary = visits_summary},
    GROUP("demand/parameters", WITH_DEMAND, NULL),
    ARRAY("demand/parameters/rate_multiplier", WITH_DEMAND, 3, AXES(AX_SCENARIO, AX_REPLICATION, AX_SETTING),
          CC_VALUE_DOUBLE, "1", "Rate-level multiplier drawn per replication",
          "Rate-level multiplier drawn per replication (index 2: inpatient, outpatient, home care)", rate_multiplier),
    ARRAY("demand/parameters/rate_trend", WITH_DEMAND, 3, AXES(AX_SCENARIO, AX_REPLICATION, AX_SETTING),
          CC_VALUE_DOUBLE, "per year", "Annual relative change of the rates drawn per replication",
          "Annual relative change of the rates drawn per replication (index 2: inpatient, outpatient, home care)",
          rate_trend),
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
};

/* ---- the walk ----------------------------------------------------------------------------- */

typedef struct {
    const cc_results *r;
    const cc_summaries *s;
    cc_layout_visitor visit;
    void *user;
    char path[512], axis_path[CC_LAYOUT_MAX_RANK][512], long_name[512];
} walker;

static int holds(const walker *w, condition when, int sc)
{
    switch (when) {
    case WITH_DEMAND: return w->r->has_demand;
    case WITH_CAPACITY: return w->r->has_demand && w->s->has_capacity;
    case WITH_LEE_CARTER: return sc >= 0 && w->r->scenarios[sc].fitted.has_lee_carter;
    default: return 1;
    }
}

/* A path pattern with the name of instance k of `each` (scenario k for per-scenario axes). */
static void format_path(char *out, size_t size, const char *pattern, const walker *w, repetition each, int k)
{
    snprintf(out, size, pattern, k >= 0 ? instance_name(w->r, each, k) : "");
}

/* A dataset over the given axes (shared, or per-scenario ones of scenario sc). */
static int dataset(walker *w, const char *path, int rank, const int *axes, int sc, cc_value_type type,
                   const void *data, const char *units, const char *long_name, const char *description)
{
    cc_layout_item item = {CC_ITEM_DATASET, path, NULL, NULL, rank, {0}, {0}, {0}, type, data, units, long_name,
                           description};
    for (int i = 0; i < rank; i++) {
        item.dims[i] = axis_length(w->r, axes[i], sc);
        item.axis[i] = axis_info[axes[i]].name;
        format_path(w->axis_path[i], sizeof w->axis_path[i], axis_info[axes[i]].path, w, EACH_SCENARIO, sc);
        item.axis_path[i] = w->axis_path[i];
    }
    return w->visit(&item, w->user);
}

static int group(walker *w, const char *path, const char *description)
{
    cc_layout_item item = {CC_ITEM_GROUP, path, NULL, NULL, 0, {0}, {0}, {0}, CC_VALUE_DOUBLE, NULL, NULL, NULL,
                           description};
    return w->visit(&item, w->user);
}

static const char *with_suffix(walker *w, const char *quantity, const char *what)
{
    snprintf(w->long_name, sizeof w->long_name, "%s, %s", quantity, what);
    return w->long_name;
}

/* A replicated quantity: replications, quantiles, mean and, with several scenarios, the
 * differences from the first scenario. */
static int replicated(walker *w, const entry *e)
{
    const double *rows = e->values(w->r, w->s, -1, e->index);
    const cc_replicated_summary *sum = e->summary(w->s, e->index);
    char base[512], path[600];
    snprintf(base, sizeof base, "%s", e->path);
    int axes[CC_LAYOUT_MAX_RANK] = {AX_SCENARIO, AX_REPLICATION};
    memcpy(axes + 2, e->axes, (size_t)e->rank * sizeof *axes);
    int ret = group(w, base, e->description);
#define PART(name) (snprintf(path, sizeof path, "%s/%s", base, name), path)
    if (ret == 0)
        ret = dataset(w, PART("replications"), 2 + e->rank, axes, -1, CC_VALUE_DOUBLE, rows, e->units,
                      with_suffix(w, e->long_name, "every replication"), "Value in every replication");
    axes[1] = AX_QUANTILE;
    if (ret == 0)
        ret = dataset(w, PART("quantiles"), 2 + e->rank, axes, -1, CC_VALUE_DOUBLE, sum->quantiles, e->units,
                      with_suffix(w, e->long_name, "quantiles over replications"),
                      "Quantiles over replications (linear interpolation between order statistics)");
    if (ret == 0)
        ret = dataset(w, PART("mean"), 1 + e->rank, (int[CC_LAYOUT_MAX_RANK]){AX_SCENARIO, e->axes[0], e->axes[1],
                                                                              e->axes[2]},
                      -1, CC_VALUE_DOUBLE, sum->mean, e->units, with_suffix(w, e->long_name, "mean over replications"),
                      "Mean over replications");
    if (ret != 0 || w->r->nscenarios < 2)
        return ret;
    ret = group(w, PART("difference"), "Each scenario minus the first, replication by replication (common random "
                                       "numbers: the same streams for the same purposes)");
    if (ret == 0)
        ret = dataset(w, PART("difference/quantiles"), 2 + e->rank, axes, -1, CC_VALUE_DOUBLE, sum->diff_quantiles,
                      e->units,
                      with_suffix(w, e->long_name, "difference from the first scenario, quantiles over replications"),
                      "Quantiles of the per-replication differences from the first scenario");
    axes[1] = AX_BOUND;
    if (ret == 0)
        ret = dataset(w, PART("difference/mean_ci"), 2 + e->rank, axes, -1, CC_VALUE_DOUBLE, sum->diff_ci, e->units,
                      with_suffix(w, e->long_name,
                                  "mean difference from the first scenario with its paired 95% interval"),
                      "Mean difference from the first scenario with its paired 95% interval (index 1: lower, mean, "
                      "upper; t on the per-replication differences)");
    if (ret == 0)
        ret = dataset(w, PART("difference/mean_ci_unpaired"), 2 + e->rank, axes, -1, CC_VALUE_DOUBLE,
                      sum->diff_ci_unpaired, e->units,
                      with_suffix(w, e->long_name,
                                  "mean difference from the first scenario with its unpaired (Welch) 95% interval"),
                      "The same interval as if the runs were independent (Welch), for comparison");
#undef PART
    return ret;
}

/* One entry for its instance sc (-1 for an entry written once). */
static int entry_item(walker *w, const entry *e, int sc)
{
    if (!holds(w, e->when, sc))
        return 0;
    format_path(w->path, sizeof w->path, e->path, w, e->each, sc);
    const void *data = e->values ? e->values(w->r, w->s, sc, e->index) : NULL;
    switch (e->kind) {
    case E_GROUP:
        return group(w, w->path, e->description);
    case E_REPLICATED:
        return replicated(w, e);
    case E_DATASET:
        return dataset(w, w->path, e->rank, e->axes, sc, e->type, data, e->units, e->long_name, e->description);
    case E_SCALE: {
        int axis = e->axes[0];
        cc_layout_item item = {CC_ITEM_SCALE, w->path, axis_info[axis].name, NULL, 1, {axis_length(w->r, axis, sc)},
                               {0}, {0}, e->type, data, axis_info[axis].units, axis_info[axis].long_name,
                               axis_info[axis].description};
        return w->visit(&item, w->user);
    }
    case E_ATTRIBUTE: {
        cc_layout_item item = {CC_ITEM_ATTRIBUTE, w->path, e->name, NULL, 0, {0}, {0}, {0}, e->type, data, NULL,
                               NULL, NULL};
        return w->visit(&item, w->user);
    }
    }
    return 0;
}

/* The shared axes: scales in the root group, then /axes/<name> links to them. */
static int shared_axes(walker *w)
{
    const cc_results *r = w->r;
    int *replication = malloc((size_t)r->replications * sizeof(int) + 1);
    int *year = malloc((size_t)r->years * sizeof(int) + 1), *age = malloc(CC_AGES * sizeof(int));
    const char **names = malloc((size_t)r->nscenarios * sizeof(char *) + 1);
    int ret = replication && year && age && names ? 0 : CC_ERR_NOMEM;
    for (int i = 0; ret == 0 && i < r->replications; i++) replication[i] = i;
    for (int i = 0; ret == 0 && i < r->years; i++) year[i] = r->base_year + i;
    for (int i = 0; ret == 0 && i < CC_AGES; i++) age[i] = i;
    for (int i = 0; ret == 0 && i < r->nscenarios; i++) names[i] = r->scenarios[i].name;
    const struct {
        cc_value_type type;
        const void *data;
    } values[AX_SHARED] = {
        {CC_VALUE_STRING, names}, {CC_VALUE_INT, replication}, {CC_VALUE_DOUBLE, cc_quantile_levels},
        {CC_VALUE_INT, year}, {CC_VALUE_STRING, sex_labels}, {CC_VALUE_INT, age},
        {CC_VALUE_STRING, band_labels}, {CC_VALUE_STRING, bound_labels}, {CC_VALUE_STRING, setting_labels},
    };
    for (int a = 0; ret == 0 && a < AX_SHARED; a++) {
        cc_layout_item item = {CC_ITEM_SCALE, axis_info[a].path, axis_info[a].name, NULL, 1,
                               {axis_length(r, a, -1)}, {0}, {0}, values[a].type, values[a].data,
                               axis_info[a].units, axis_info[a].long_name, axis_info[a].description};
        ret = w->visit(&item, w->user);
    }
    if (ret == 0)
        ret = group(w, "axes", "The dimension scales of the root group, hard-linked here (the same datasets "
                               "under a second name)");
    for (int a = 0; ret == 0 && a < AX_SHARED; a++) {
        char path[64];
        snprintf(path, sizeof path, "axes/%s", axis_info[a].name);
        cc_layout_item item = {CC_ITEM_LINK, path, NULL, axis_info[a].path, 0, {0}, {0}, {0}, CC_VALUE_DOUBLE,
                               NULL, NULL, NULL, NULL};
        ret = w->visit(&item, w->user);
    }
    free(replication);
    free(year);
    free(age);
    free(names);
    return ret;
}

int cc_results_layout_walk(const cc_results *r, const cc_summaries *s, cc_layout_visitor visit, void *user)
{
    walker *w = calloc(1, sizeof *w);
    if (!w)
        return CC_ERR_NOMEM;
    w->r = r;
    w->s = s;
    w->visit = visit;
    w->user = user;
    int ret = shared_axes(w);
    for (size_t i = 0; ret == 0 && i < sizeof layout / sizeof layout[0]; i++) {
        const entry *e = &layout[i];
        for (int k = 0; ret == 0 && k < instances(r, e->each); k++)
            ret = entry_item(w, e, e->each == ONCE ? -1 : k);
    }
    free(w);
    return ret;
}
