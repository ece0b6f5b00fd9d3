/* Scenario loading: the settings in effect (registry defaults, then the INI files and their
 * bases, then command-line overrides), their conversion into each stage's parameters
 * (cc_population_params, cc_demand_params, cc_coverage_params) and the run options, the checks that span several
 * keys, and the tables (tables.c). Also: locating a model's error at the line that set the
 * key, `carecast check` output and the Markdown key reference.
 * Invariant: after a failed load the scenario is freed and err names file, line and field. */
#include "carecast/scenario.h"

#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "csv_table.h"
#include "ini_reader.h"
#include "keys.h"
#include "settings.h"
#include "tables.h"

int cc_population_years(const cc_population_params *p) { return p->end_year - p->base_year + 1; }

/* 1 if s is well-formed UTF-8 with no control characters (a Shift-JIS name is not). */
static int printable_utf8(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = *p < 0x80 ? 1 : *p >= 0xC2 && *p < 0xE0 ? 2 : *p >= 0xE0 && *p < 0xF0 ? 3
                 : *p >= 0xF0 && *p <= 0xF4 ? 4 : 0;
        if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7F)))
            return 0;
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        p += n;
    }
    return 1;
}

/* The scenario's name: [scenario] name, or the file name without its extension. */
static int set_name(cc_scenario *s, cc_error *err)
{
    const cc_setting *name = cc_scenario_setting(s, "scenario", "name");
    free(s->name);
    if (name->value && name->value[0]) {
        s->name = strdup(name->value);
    } else {
        char *copy = strdup(s->path), *base = copy ? basename(copy) : NULL, *dot = base ? strrchr(base, '.') : NULL;
        if (dot) *dot = '\0';
        s->name = base ? strdup(base) : NULL;
        free(copy);
    }
    if (!s->name)
        return cc_error_set(err, CC_ERR_NOMEM, s->path, 0, NULL, "out of memory");
    if (!s->name[0] || strchr(s->name, '/') || strcmp(s->name, ".") == 0 || strcmp(s->name, "..") == 0 ||
        !printable_utf8(s->name))
        return cc_setting_error(name, err, CC_ERR_RANGE,
                                "a scenario name must be non-empty, not '.' or '..', contain no '/', and be "
                                "UTF-8 text without control characters (it names groups in the results file, "
                                "which netCDF and HDF5 readers decode as UTF-8)");
    return 0;
}

static int valid_date(int year, int month, int day)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month >= 1 && month <= 12 && day >= 1 && day <= days[month - 1] && (month != 2 || day < 29 || leap);
}

/* [simulation] reference_date (MM-DD) and base_date (YYYY-MM-DD): the year points, the base
 * date, the first step's length and, when base_year is 0, base_year itself. */
static int set_dates(cc_scenario *s, cc_error *err)
{
    cc_population_params *p = &s->population;
    const cc_setting *ref = cc_scenario_setting(s, "simulation", "reference_date");
    const cc_setting *base = cc_scenario_setting(s, "simulation", "base_date");
    const cc_setting *year = cc_scenario_setting(s, "simulation", "base_year");
    int n = 0;
    if (sscanf(ref->value, "%2d-%2d%n", &p->reference_month, &p->reference_day, &n) != 2 || ref->value[n] ||
        !valid_date(2000, p->reference_month, p->reference_day) || (p->reference_month == 2 && p->reference_day == 29))
        return cc_setting_error(ref, err, CC_ERR_RANGE, "'%s' is not a month and day MM-DD (29 February excluded)",
                                ref->value);
    if (!base->value[0]) {
        if (p->base_year == 0)
            return cc_setting_error(year, err, CC_ERR_RANGE, "%s",
                                    "give base_year or base_date (the date the base population was counted)");
        p->base_date[0] = p->base_year;
        p->base_date[1] = p->reference_month;
        p->base_date[2] = p->reference_day;
    } else {
        int *d = p->base_date;
        n = 0;
        if (sscanf(base->value, "%4d-%2d-%2d%n", &d[0], &d[1], &d[2], &n) != 3 || base->value[n] || d[0] < 1900 ||
            d[0] > 2200 || !valid_date(d[0], d[1], d[2]))
            return cc_setting_error(base, err, CC_ERR_RANGE, "'%s' is not a date YYYY-MM-DD (years 1900-2200)",
                                    base->value);
        int after = d[1] > p->reference_month || (d[1] == p->reference_month && d[2] > p->reference_day);
        int first = d[0] + after;
        if (p->base_year != 0 && p->base_year != first)
            return cc_setting_error(year, err, CC_ERR_RANGE,
                                    "%d disagrees with base_date %s: its first reference date (%02d-%02d) is in %d; "
                                    "leave base_year out or set it to %d",
                                    p->base_year, base->value, p->reference_month, p->reference_day, first, first);
        p->base_year = first;
    }
    p->base_time = cc_decimal_year(p->base_date[0], p->base_date[1], p->base_date[2]);
    p->first_step = cc_decimal_year(p->base_year, p->reference_month, p->reference_day) - p->base_time;
    if (p->first_step < 1e-9)
        p->first_step = 0;
    if (p->mortality_year == 0)
        p->mortality_year = p->base_date[0];
    return 0;
}

/* Checks that span several keys (each key's own range is the registry's). */
static int check_combinations(const cc_scenario *s, cc_error *err)
{
    const cc_population_params *p = &s->population;
    if (p->end_year < p->base_year)
        return cc_setting_error(cc_scenario_setting(s, "simulation", "end_year"), err, CC_ERR_RANGE,
                                "%d is before base_year %d", p->end_year, p->base_year);
    if (p->mortality_target_year && (p->target_e0[CC_MALE] <= 0 || p->target_e0[CC_FEMALE] <= 0))
        return cc_setting_error(cc_scenario_setting(s, "mortality", "target_year"), err, CC_ERR_RANGE,
                                "a target year needs target_e0_male and target_e0_female");
    /* the triangular draws of [demand]: min <= mode <= max */
    static const char *const triangular[2] = {"visits_per_patient_month", "dental_share"};
    const double *tri[2] = {s->demand.visits_per_patient_month, s->demand.dental_share};
    for (int i = 0; i < 2; i++) {
        char name[64];
        if (tri[i][CC_TRI_MIN] > tri[i][CC_TRI_MODE]) {
            snprintf(name, sizeof name, "%s_min", triangular[i]);
            return cc_setting_error(cc_scenario_setting(s, "demand", name), err, CC_ERR_RANGE,
                                    "%g is above %s %g", tri[i][CC_TRI_MIN], triangular[i], tri[i][CC_TRI_MODE]);
        }
        if (tri[i][CC_TRI_MAX] < tri[i][CC_TRI_MODE]) {
            snprintf(name, sizeof name, "%s_max", triangular[i]);
            return cc_setting_error(cc_scenario_setting(s, "demand", name), err, CC_ERR_RANGE,
                                    "%g is below %s %g", tri[i][CC_TRI_MAX], triangular[i], tri[i][CC_TRI_MODE]);
        }
    }
    return 0;
}

/* ---- [ranges]: the low and high ends of parameters for sensitivity runs ------------------------ */

static int is_range_setting(const cc_setting *st) { return strcmp(st->key->section, "ranges") == 0; }

/* The parameter key a [ranges] key names ("demand.trend_damping": [demand] trend_damping). */
static const cc_key_info *range_target(const cc_key_info *range_key)
{
    const char *dot = strchr(range_key->name, '.');
    char section[64];
    if (!dot || (size_t)(dot - range_key->name) >= sizeof section)
        return NULL;
    snprintf(section, sizeof section, "%.*s", (int)(dot - range_key->name), range_key->name);
    const cc_key_info *key = cc_key_find(section, dot + 1);
    return key && (key->type == CC_KEY_DOUBLE || key->type == CC_KEY_INT) ? key : NULL;
}

int cc_param_range_parse(const cc_setting *st, cc_param_range *r, cc_error *err)
{
    memset(r, 0, sizeof *r);
    r->setting = st;
    if (!(r->key = range_target(st->key)))
        return cc_setting_error(st, err, CC_ERR_USAGE, "the registry names no number key %s", st->key->name);
    const char *value = st->value ? st->value : "", *comma = strchr(value, ',');
    char low[64], high[64];
    if (!comma || strchr(comma + 1, ',') || (size_t)(comma - value) >= sizeof low || strlen(comma + 1) >= sizeof high)
        return cc_setting_error(st, err, CC_ERR_NUMBER, "'%s' is not two numbers 'low, high'", value);
    snprintf(low, sizeof low, "%.*s", (int)(comma - value), value);
    snprintf(high, sizeof high, "%s", comma + 1);
    if (cc_parse_double(low, &r->low) != 0 || cc_parse_double(high, &r->high) != 0)
        return cc_setting_error(st, err, CC_ERR_NUMBER, "'%s' is not two numbers 'low, high'", value);
    if (r->low > r->high)
        return cc_setting_error(st, err, CC_ERR_RANGE, "low %g is above high %g", r->low, r->high);
    double ends[2] = {r->low, r->high};
    for (int i = 0; i < 2; i++) {
        if (!cc_key_in_range(r->key, ends[i]) || (r->key->type == CC_KEY_INT && ends[i] != floor(ends[i]))) {
            char range[120];
            cc_key_range_text(r->key, range, sizeof range);
            return cc_setting_error(st, err, CC_ERR_RANGE, "%s %g is outside the range of [%s] %s (allowed: %s%s)",
                                    i ? "high" : "low", ends[i], r->key->section, r->key->name, range,
                                    r->key->type == CC_KEY_INT ? ", whole numbers" : "");
        }
    }
    return 0;
}

static int check_ranges(const cc_scenario *s, cc_error *err)
{
    for (int i = 0; i < s->nsettings; i++) {
        const cc_setting *st = &s->settings[i];
        cc_param_range r;
        if (is_range_setting(st) && st->value && st->value[0] && cc_param_range_parse(st, &r, err) != 0)
            return err->code;
    }
    return 0;
}

int cc_scenario_ranges(const cc_scenario *s, cc_param_range *out, int max)
{
    int n = 0;
    cc_error err;
    for (int i = 0; i < s->nsettings; i++) {
        const cc_setting *st = &s->settings[i];
        cc_param_range r;
        if (!is_range_setting(st) || !st->value || !st->value[0] || cc_param_range_parse(st, &r, &err) != 0)
            continue; /* checked when the scenario loaded */
        if (n < max)
            out[n] = r;
        n++;
    }
    return n;
}

int cc_param_range_overrides(const cc_param_range *r, double value, cc_override out[3], char names[3][64],
                             char text[3][40])
{
    static const char *const triangular[] = {"visits_per_patient_month", "dental_share"};
    int n = 1;
    snprintf(names[0], 64, "%s", r->key->name);
    if (strcmp(r->key->section, "demand") == 0)
        for (size_t t = 0; t < sizeof triangular / sizeof triangular[0]; t++)
            if (strcmp(r->key->name, triangular[t]) == 0) {
                snprintf(names[1], 64, "%s_min", triangular[t]);
                snprintf(names[2], 64, "%s_max", triangular[t]);
                n = 3;
            }
    for (int i = 0; i < n; i++) {
        snprintf(text[i], 40, "%.17g", value);
        out[i] = (cc_override){r->key->section, names[i], text[i]};
    }
    return n;
}

static int check_required(const cc_scenario *s, cc_error *err)
{
    for (int i = 0; i < s->nsettings; i++) {
        const cc_key_info *key = s->settings[i].key;
        if (!s->settings[i].value) {
            cc_error_set_key(err, CC_ERR_RANGE, key->section, key->name, "required, but not given");
            snprintf(err->file, sizeof err->file, "%s", s->path);
            return err->code;
        }
    }
    return 0;
}

/* An error at a key left at its registry default (cc_setting_error names the file "default")
 * names the scenario file instead, as cc_scenario_locate does: every error names a file. */
static void name_default_file(const cc_scenario *s, cc_error *err)
{
    if (s->path && strcmp(err->file, "default") == 0)
        snprintf(err->file, sizeof err->file, "%s", s->path);
}

static int apply_overrides(cc_scenario *s, const cc_override *ov, int n, cc_error *err)
{
    for (int i = 0; i < n; i++) {
        const cc_key_info *key = cc_key_find(ov[i].section, ov[i].name);
        if (!key) {
            char near[160];
            cc_key_nearest(ov[i].section, ov[i].name, near, sizeof near);
            return cc_error_set(err, CC_ERR_UNKNOWN_KEY, "command line", 0, ov[i].name,
                                "unknown key [%s] %s; did you mean %s?", ov[i].section, ov[i].name, near);
        }
        if (key->type == CC_KEY_PATH)
            return cc_error_set(err, CC_ERR_USAGE, "command line", 0, ov[i].name,
                                "[%s] %s names a table: change it in a scenario file (tables cannot be "
                                "overridden)", ov[i].section, ov[i].name);
        if (cc_settings_set(s, key, ov[i].value, NULL, -1) != 0)
            return cc_error_set(err, CC_ERR_NOMEM, "command line", 0, ov[i].name, "out of memory");
    }
    return 0;
}

int cc_scenario_load_overrides(cc_scenario *s, const char *path, const cc_override *overrides, int noverrides,
                               cc_error *err)
{
    int ret;
    memset(s, 0, sizeof *s);
    cc_error_clear(err);
    gsl_set_error_handler_off(); /* GSL reports errors by return code and never aborts */
    if (!(s->path = strdup(path)) || cc_settings_init(s) != 0) {
        ret = cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory");
        goto out;
    }
    if ((ret = cc_ini_read(s, path, 0, err)) != 0) goto out;
    if ((ret = cc_settings_check(s, err)) != 0) goto out; /* the files' own values, even if overridden */
    if ((ret = apply_overrides(s, overrides, noverrides, err)) != 0) goto out;
    if ((ret = check_required(s, err)) != 0) goto out;
    if ((ret = set_name(s, err)) != 0) goto out;
    if ((ret = cc_settings_store(s, err)) != 0) goto out;
    if ((ret = set_dates(s, err)) != 0) goto out;
    s->demand.urgent_visit_share = s->coverage.urgent_visit_share; /* one key, read by both stages */
    if ((ret = check_combinations(s, err)) != 0) goto out;
    if ((ret = check_ranges(s, err)) != 0) goto out;
    ret = cc_scenario_read_tables(s, err);
out:
    if (ret != 0) {
        name_default_file(s, err);
        if (err->category == CC_CATEGORY_IO) /* a scenario or table that cannot be read is bad input */
            err->category = CC_CATEGORY_INPUT;
        cc_scenario_free(s);
    }
    return ret;
}

int cc_scenario_load(cc_scenario *s, const char *path, cc_error *err)
{
    return cc_scenario_load_overrides(s, path, NULL, 0, err);
}

int cc_scenario_locate(const cc_scenario *s, cc_error *err)
{
    if (err->file[0] || !err->section[0] || !err->field[0])
        return err->code;
    const cc_setting *st = cc_scenario_setting(s, err->section, err->field);
    if (!st)
        return err->code;
    snprintf(err->file, sizeof err->file, "%s", st->file ? st->file : (st->line < 0 ? "command line" : s->path));
    err->line = st->line > 0 ? st->line : 0;
    return err->code;
}

static int incompatible(const cc_scenario *later, const char *section, const char *name, const char *detail,
                        cc_error *err)
{
    int ret = cc_setting_error(cc_scenario_setting(later, section, name), err, CC_ERR_RANGE, "%s", detail);
    name_default_file(later, err);
    return ret;
}

/* Scenarios run together share the coverage datasets' axes: all simulate coverage or none, and
 * then the same target years, schemes (in order) and coverage replications. */
static int check_coverage_compatible(const cc_scenario *first, const cc_scenario *s, cc_error *err)
{
    const cc_coverage_params *a = &first->coverage, *b = &s->coverage;
    char detail[600];
    const char *key = NULL;
    if (a->enabled != b->enabled)
        key = "clinics";
    else if (!a->enabled)
        return 0;
    else if (a->nyears != b->nyears || memcmp(a->target_year, b->target_year, a->nyears * sizeof a->target_year[0]))
        key = "target_years";
    else if (a->nschemes != b->nschemes || memcmp(a->scheme, b->scheme, a->nschemes * sizeof a->scheme[0]))
        key = "schemes";
    else if (a->replications != b->replications)
        key = "replications";
    if (!key)
        return 0;
    if (strcmp(key, "clinics") == 0)
        snprintf(detail, sizeof detail, "%s clinics table and %s %s; scenarios run together must all simulate "
                 "coverage or none", b->enabled ? "gives a" : "gives no", first->path, a->enabled ? "does" : "does not");
    else
        snprintf(detail, sizeof detail, "differs from %s; scenarios run together share the coverage stage's "
                 "target_years, schemes and replications", first->path);
    int ret = incompatible(s, "coverage", key, detail, err);
    if (!err->file[0] || strcmp(err->file, "default") == 0)
        snprintf(err->file, sizeof err->file, "%s", s->path);
    return ret;
}

int cc_scenarios_check_compatible(const cc_scenario *scenarios, int n, cc_error *err)
{
    const cc_scenario *first = &scenarios[0];
    char detail[600];
    for (int i = 1; i < n; i++) {
        const cc_scenario *s = &scenarios[i];
        for (int j = 0; j < i; j++)
            if (strcmp(s->name, scenarios[j].name) == 0) {
                snprintf(detail, sizeof detail, "'%s' is also the name of %s; give each scenario its own name",
                         s->name, scenarios[j].path);
                int ret = incompatible(s, "scenario", "name", detail, err);
                if (!cc_scenario_setting(s, "scenario", "name")->file)
                    snprintf(err->file, sizeof err->file, "%s", s->path);
                return ret;
            }
        snprintf(detail, sizeof detail, "differs from %s; scenarios run together share seed, replications, "
                 "base_year and end_year (set them with --seed, -n or --set)", first->path);
        if (s->run.seed != first->run.seed) return incompatible(s, "simulation", "seed", detail, err);
        if (s->run.replications != first->run.replications) return incompatible(s, "simulation", "replications", detail, err);
        if (s->population.base_year != first->population.base_year) return incompatible(s, "simulation", "base_year", detail, err);
        if (s->population.end_year != first->population.end_year) return incompatible(s, "simulation", "end_year", detail, err);
        if (memcmp(s->population.base_date, first->population.base_date, sizeof s->population.base_date) ||
            s->population.reference_month != first->population.reference_month ||
            s->population.reference_day != first->population.reference_day) {
            snprintf(detail, sizeof detail, "differs from %s; scenarios run together share the base date and the "
                     "reference date (one year axis)", first->path);
            return incompatible(s, "simulation", "base_date", detail, err);
        }
        if (s->demand.enabled != first->demand.enabled) {
            snprintf(detail, sizeof detail, "%s demand tables and %s %s; scenarios run together must all have "
                     "them or none", s->demand.enabled ? "gives" : "gives no", first->path,
                     first->demand.enabled ? "does" : "does not");
            int ret = incompatible(s, "demand", "inpatient_rates", detail, err);
            if (!err->file[0] || strcmp(err->file, "default") == 0)
                snprintf(err->file, sizeof err->file, "%s", s->path);
            return ret;
        }
        int coverage = check_coverage_compatible(first, s, err);
        if (coverage != 0)
            return coverage;
    }
    return 0;
}

int cc_scenario_years(const cc_scenario *s) { return cc_population_years(&s->population); }

void cc_scenario_free(cc_scenario *s)
{
    cc_settings_free(s);
    for (int i = 0; i < s->nfiles; i++) {
        free(s->files[i].path);
        free(s->files[i].text);
    }
    free(s->population.history_year);
    free(s->population.history_rate);
    free(s->population.observed_rate);
    free(s->population.history_exposure);
    free(s->coverage.clinics);
    for (int i = 0; i < s->ntables; i++) {
        free(s->tables[i].key);
        free(s->tables[i].path);
    }
    free(s->files);
    free(s->tables);
    free(s->name);
    free(s->path);
    memset(s, 0, sizeof *s);
}

static const char *shown_value(const cc_setting *st) { return st->value && st->value[0] ? st->value : "(none)"; }

/* The coverage stage in one paragraph: clinics, doctors, blocks, years, schemes. */
static void print_coverage(const cc_coverage_params *c, long run_replications, FILE *out)
{
    if (!c->enabled) {
        fprintf(out, "coverage: not simulated (no [coverage] clinics table)\n");
        return;
    }
    int primaries = 0, backups = 0, participating = 0, doctors = 0, paired = 0;
    for (int i = 0; i < c->nclinics; i++) {
        const cc_clinic *k = &c->clinics[i];
        if (k->type == CC_CLINIC_BACKUP) backups++; else primaries++;
        if (k->participates) { participating++; doctors += k->doctors; }
        paired += k->backup >= 0;
    }
    fprintf(out, "coverage: %d clinics (%d primary, %d backup), %d participating with %d doctors, in %d blocks "
            "(shares", c->nclinics, primaries, backups, participating, doctors, c->nblocks);
    for (int b = 0; b < c->nblocks; b++)
        fprintf(out, " %.4g", c->block_share[b]);
    fprintf(out, "); %d primaries paired in the table, the rest by the engine\n", paired);
    fprintf(out, "  target years");
    for (int i = 0; i < c->nyears; i++)
        fprintf(out, "%s%d", i ? ", " : " ", c->target_year[i]);
    fprintf(out, "; schemes");
    for (int i = 0; i < c->nschemes; i++)
        fprintf(out, "%s%s", i ? ", " : " ", cc_scheme_name(c->scheme[i]));
    fprintf(out, "; %ld replications\n", c->replications > 0 ? c->replications : run_replications);
}

void cc_scenario_print(const cc_scenario *s, FILE *out)
{
    fprintf(out, "scenario %s (%s)\n", s->name, s->path);
    int name_width = 0, value_width = 0, unit_width = 0;
    for (int i = 0; i < s->nsettings; i++) { /* columns as wide as their longest entry */
        const cc_setting *st = &s->settings[i];
        name_width = (int)fmax(name_width, strlen(st->key->name));
        value_width = (int)fmax(value_width, strlen(shown_value(st)));
        unit_width = (int)fmax(unit_width, strlen(st->key->unit));
    }
    const char *section = "";
    for (int i = 0; i < s->nsettings; i++) {
        const cc_setting *st = &s->settings[i];
        if (strcmp(section, st->key->section) != 0)
            fprintf(out, "[%s]\n", section = st->key->section);
        fprintf(out, "  %-*s = %-*s  %-*s  %s; source: %s\n", name_width, st->key->name, value_width, shown_value(st),
                unit_width, st->key->unit, st->origin ? st->origin : "-", st->key->source);
    }
    fprintf(out, "tables:\n");
    for (int i = 0; i < s->ntables; i++)
        fprintf(out, "  %-28s %s  sha256 %.16s...\n", s->tables[i].key, s->tables[i].path, s->tables[i].sha256);
    const cc_population_params *p = &s->population;
    double total[CC_SEXES] = {0};
    for (int sex = 0; sex < CC_SEXES; sex++)
        for (int a = 0; a < CC_AGES; a++)
            total[sex] += p->base_population[sex][a];
    double tfr = 0;
    for (int a = 0; a < CC_AGES; a++)
        tfr += p->fertility_rate[a];
    fprintf(out, "base population %d: %.0f (male %.0f, female %.0f)\n", p->base_year,
            total[0] + total[1], total[0], total[1]);
    fprintf(out, "base TFR %.4f; projection %d-%d (%d years), %ld replications, seed %llu%s\n", tfr,
            p->base_year, p->end_year, cc_scenario_years(s), s->run.replications,
            (unsigned long long)s->run.seed, s->run.expected_values ? ", expected values (no noise)" : "");
    print_coverage(&s->coverage, s->run.replications, out);
}

void cc_scenario_keys_markdown(FILE *out)
{
    int n;
    const cc_key_info *keys = cc_scenario_keys(&n);
    const char *section = "";
    for (int i = 0; i < n; i++) {
        if (strcmp(section, keys[i].section) != 0) {
            fprintf(out, "\n### [%s]\n\n| key | meaning | unit | default | source |\n|---|---|---|---|---|\n",
                    section = keys[i].section);
        }
        const char *def = keys[i].default_value ? (keys[i].default_value[0] ? keys[i].default_value : "(none)")
                                                : "**required**";
        fprintf(out, "| `%s` | %s", keys[i].name, keys[i].description);
        if (keys[i].type == CC_KEY_ENUM)
            fprintf(out, " One of `%s`.", keys[i].choices);
        char range[120];
        cc_key_range_text(&keys[i], range, sizeof range);
        if (range[0] && keys[i].max < 1e300)
            fprintf(out, " Allowed: %s.", range);
        fprintf(out, " | %s | %s | %s |\n", keys[i].unit, def, keys[i].source);
    }
}
