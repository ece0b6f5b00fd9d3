/* Scenario loader: INI files through inih (read with a line-counting reader so every error
 * names its line), base scenarios, the key registry (scenario_keys.c), and conversion of the
 * effective settings into a validated cc_scenario. Tables are read by scenario_tables.c.
 * Invariant: after a failed load the scenario is freed and err names file, line and field. */
#include "carecast/scenario.h"

#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_errno.h>

#include "scenario_internal.h"
#include "csv_table.h"

#define MAX_BASE_DEPTH 8

/* One key = value read from a file. */
typedef struct {
    const cc_key_info *key;
    char *value;
    int line;
} entry;

typedef struct {
    const char *path;
    FILE *file;
    int line;          /* line number of the text last returned by the reader */
    int completed;     /* lines fully read */
    char section[128]; /* section named on the last header line seen by the reader */
    entry *entries;
    int nentries;
    cc_error *err;
    int failed;
} parse_ctx;

static char *xstrdup(const char *s) { return s ? strdup(s) : NULL; }

static const cc_key_info *find_key(const char *section, const char *name)
{
    int n;
    const cc_key_info *keys = cc_scenario_keys(&n);
    for (int i = 0; i < n; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

static int known_section(const char *section)
{
    int n;
    const cc_key_info *keys = cc_scenario_keys(&n);
    for (int i = 0; i < n; i++)
        if (strcmp(keys[i].section, section) == 0)
            return 1;
    return 0;
}

static int edit_distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    int d[64][64];
    for (int i = 0; i <= la; i++) d[i][0] = i;
    for (int j = 0; j <= lb; j++) d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    return d[la][lb];
}

/* The registry name nearest to section.name (or to the section alone when name is NULL). */
static void nearest_name(const char *section, const char *name, char *buf, size_t size)
{
    int n, best = INT_MAX;
    const cc_key_info *keys = cc_scenario_keys(&n);
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        int d = name ? edit_distance(name, keys[i].name) + (strcmp(section, keys[i].section) ? 2 : 0)
                     : edit_distance(section, keys[i].section);
        if (d < best) {
            best = d;
            if (name)
                snprintf(buf, size, "[%s] %s", keys[i].section, keys[i].name);
            else
                snprintf(buf, size, "[%s]", keys[i].section);
        }
    }
}

static int unknown_section_error(parse_ctx *ctx, const char *section)
{
    char near[160];
    nearest_name(section, NULL, near, sizeof near);
    ctx->failed = 1;
    return cc_error_set(ctx->err, CC_ERR_UNKNOWN_KEY, ctx->path, ctx->line, section,
                        "unknown section [%s]; did you mean %s?", section, near);
}

/* inih reader: fgets that counts lines and checks section headers as they pass. */
static char *read_line(char *str, int num, void *stream)
{
    parse_ctx *ctx = stream;
    if (ctx->failed || !fgets(str, num, ctx->file))
        return NULL;
    ctx->line = ctx->completed + 1;
    size_t len = strlen(str);
    if (len > 0 && str[len - 1] == '\n')
        ctx->completed++;
    else if (!feof(ctx->file)) {
        ctx->failed = 1;
        cc_error_set(ctx->err, CC_ERR_SYNTAX, ctx->path, ctx->line, NULL,
                     "line longer than %d characters (put long notes on several comment lines)",
                     num - 2);
        return NULL;
    }
    const char *p = str;
    if (ctx->line == 1 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '[') {
        const char *close = strchr(p, ']');
        if (close && (size_t)(close - p - 1) < sizeof ctx->section) {
            char section[128];
            memcpy(section, p + 1, close - p - 1);
            section[close - p - 1] = '\0';
            char *s = section, *e = section + strlen(section);
            while (*s == ' ') s++;
            while (e > s && e[-1] == ' ') *--e = '\0';
            if (!known_section(s)) {
                unknown_section_error(ctx, s);
                return NULL;
            }
        }
    }
    return str;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    parse_ctx *ctx = user;
    if (ctx->failed)
        return 0;
    if (!section[0]) {
        ctx->failed = 1;
        cc_error_set(ctx->err, CC_ERR_SYNTAX, ctx->path, ctx->line, name,
                     "key '%s' before any [section]", name);
        return 0;
    }
    if (!known_section(section)) {
        unknown_section_error(ctx, section);
        return 0;
    }
    const cc_key_info *key = find_key(section, name);
    if (!key) {
        char near[160];
        nearest_name(section, name, near, sizeof near);
        ctx->failed = 1;
        cc_error_set(ctx->err, CC_ERR_UNKNOWN_KEY, ctx->path, ctx->line, name,
                     "unknown key '%s' in [%s]; did you mean %s?", name, section, near);
        return 0;
    }
    for (int i = 0; i < ctx->nentries; i++)
        if (ctx->entries[i].key == key) {
            ctx->failed = 1;
            cc_error_set(ctx->err, CC_ERR_DUPLICATE, ctx->path, ctx->line, name,
                         "[%s] %s is given twice (first on line %d)", section, name,
                         ctx->entries[i].line);
            return 0;
        }
    entry *grown = realloc(ctx->entries, (ctx->nentries + 1) * sizeof *grown);
    if (!grown || !(value = strdup(value))) {
        if (grown) ctx->entries = grown;
        ctx->failed = 1;
        cc_error_set(ctx->err, CC_ERR_NOMEM, ctx->path, ctx->line, name, "out of memory");
        return 0;
    }
    ctx->entries = grown;
    ctx->entries[ctx->nentries++] = (entry){key, (char *)value, ctx->line};
    return 1;
}

static int read_text(const char *path, char **text, cc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot open scenario: %s", strerror(errno));
    size_t cap = 4096, len = 0, n;
    char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) { free(buf); buf = NULL; }
            buf = grown;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf)
        return cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory");
    if (bad) {
        free(buf);
        return cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot read scenario: %s", strerror(errno));
    }
    buf[len] = '\0';
    *text = buf;
    return 0;
}

/* Resolve a path written in file `from` relative to that file's folder. */
char *cc_resolve_path(const char *from, const char *path)
{
    if (path[0] == '/' || !from)
        return strdup(path);
    char *copy = strdup(from);
    if (!copy)
        return NULL;
    const char *dir = dirname(copy);
    size_t size = strlen(dir) + strlen(path) + 2;
    char *out = malloc(size);
    if (out)
        snprintf(out, size, "%s/%s", dir, path);
    free(copy);
    return out;
}

static int set_setting(cc_scenario *s, const cc_key_info *key, const char *value, const char *file,
                       int line)
{
    for (int i = 0; i < s->nsettings; i++) {
        cc_setting *st = &s->settings[i];
        if (st->key != key)
            continue;
        char origin[600];
        if (file)
            snprintf(origin, sizeof origin, "%s:%d", file, line);
        else
            snprintf(origin, sizeof origin, "%s", line < 0 ? "command line" : "default");
        free(st->value); free(st->origin); free(st->file);
        st->value = xstrdup(value);
        st->origin = xstrdup(origin);
        st->file = xstrdup(file);
        st->line = line;
        return st->value && st->origin && (!file || st->file) ? 0 : CC_ERR_NOMEM;
    }
    return CC_ERR_USAGE;
}

static int add_file(cc_scenario *s, const char *path, char *text)
{
    cc_scenario_file *grown = realloc(s->files, (s->nfiles + 1) * sizeof *grown);
    if (!grown)
        return CC_ERR_NOMEM;
    s->files = grown;
    s->files[s->nfiles].path = strdup(path);
    s->files[s->nfiles].text = text;
    s->nfiles++;
    return s->files[s->nfiles - 1].path ? 0 : CC_ERR_NOMEM;
}

/* Read one scenario file and (first) its bases, applying their settings in order. */
static int load_file(cc_scenario *s, const char *path, int depth, cc_error *err)
{
    int ret = 0;
    char *text = NULL;
    parse_ctx ctx = { .path = path, .err = err };
    if (depth > MAX_BASE_DEPTH)
        return cc_error_set(err, CC_ERR_RANGE, path, 0, "base",
                            "base scenarios nested more than %d deep (a cycle?)", MAX_BASE_DEPTH);
    if ((ret = read_text(path, &text, err)) != 0)
        return ret;
    if ((ret = add_file(s, path, text)) != 0) {
        free(text);
        return cc_error_set(err, ret, path, 0, NULL, "out of memory");
    }
    if (!(ctx.file = fopen(path, "rb")))
        return cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot open scenario: %s", strerror(errno));
    int rc = ini_parse_stream(read_line, &ctx, on_key, &ctx);
    fclose(ctx.file);
    if (ctx.failed) {
        ret = err->code ? err->code : CC_ERR_SYNTAX;
        goto out;
    }
    if (rc != 0) {
        ret = cc_error_set(err, CC_ERR_SYNTAX, path, rc, NULL,
                           "expected '[section]' or 'key = value' (a key with no '=', or an "
                           "indented continuation line)");
        goto out;
    }
    for (int i = 0; i < ctx.nentries; i++)
        if (strcmp(ctx.entries[i].key->name, "base") == 0 && ctx.entries[i].value[0]) {
            char *base = cc_resolve_path(path, ctx.entries[i].value);
            if (!base) { ret = cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory"); goto out; }
            ret = load_file(s, base, depth + 1, err);
            if (ret == CC_ERR_IO && err->line == 0 && strcmp(err->file, base) == 0) { /* say who named it */
                char reason[768];
                snprintf(reason, sizeof reason, "%s", err->message);
                cc_error_set(err, CC_ERR_IO, path, ctx.entries[i].line, "base", "base scenario '%s': %s", base,
                             reason);
            }
            free(base);
            if (ret != 0)
                goto out;
        }
    for (int i = 0; i < ctx.nentries; i++)
        if ((ret = set_setting(s, ctx.entries[i].key, ctx.entries[i].value, path, ctx.entries[i].line)) != 0) {
            ret = cc_error_set(err, ret, path, ctx.entries[i].line, NULL, "out of memory");
            goto out;
        }
out:
    for (int i = 0; i < ctx.nentries; i++)
        free(ctx.entries[i].value);
    free(ctx.entries);
    return ret;
}

static int init_settings(cc_scenario *s)
{
    int n;
    const cc_key_info *keys = cc_scenario_keys(&n);
    s->settings = calloc(n, sizeof *s->settings);
    if (!s->settings)
        return CC_ERR_NOMEM;
    s->nsettings = n;
    for (int i = 0; i < n; i++) {
        s->settings[i].key = &keys[i];
        if (keys[i].default_value && set_setting(s, &keys[i], keys[i].default_value, NULL, 0) != 0)
            return CC_ERR_NOMEM;
    }
    return 0;
}

const cc_setting *cc_scenario_setting(const cc_scenario *s, const char *section, const char *name)
{
    for (int i = 0; i < s->nsettings; i++)
        if (strcmp(s->settings[i].key->section, section) == 0 && strcmp(s->settings[i].key->name, name) == 0)
            return &s->settings[i];
    return NULL;
}

int cc_setting_error(const cc_setting *st, cc_error *err, int code, const char *fmt, const char *detail)
{
    char field[128];
    snprintf(field, sizeof field, "%s", st->key->name);
    return cc_error_set(err, code, st->file ? st->file : (st->line < 0 ? "command line" : "default"),
                        st->line > 0 ? st->line : 0, field, fmt, st->key->section, st->key->name,
                        detail);
}

/* Parse and range-check one setting into a double (numbers), long (int) or int (bool/enum). */
int cc_setting_number(const cc_setting *st, double *value, cc_error *err)
{
    const cc_key_info *key = st->key;
    if (!st->value)
        return cc_setting_error(st, err, CC_ERR_RANGE, "[%s] %s is required%s", "");
    if (key->type == CC_KEY_INT) {
        long v;
        if (cc_parse_long(st->value, &v) != 0)
            return cc_setting_error(st, err, CC_ERR_NUMBER, "[%s] %s: '%s' is not an integer", st->value);
        *value = (double)v;
    } else if (cc_parse_double(st->value, value) != 0) {
        return cc_setting_error(st, err, CC_ERR_NUMBER, "[%s] %s: '%s' is not a finite number", st->value);
    }
    if (*value < key->min || *value > key->max) {
        char detail[200];
        snprintf(detail, sizeof detail, "%s is outside the allowed range [%g, %g]", st->value, key->min, key->max);
        return cc_setting_error(st, err, CC_ERR_RANGE, "[%s] %s: %s", detail);
    }
    return 0;
}

int cc_setting_choice(const cc_setting *st, int *index, cc_error *err)
{
    const char *choices = st->key->type == CC_KEY_BOOL ? "false|true" : st->key->choices;
    const char *p = choices;
    for (int i = 0; *p; i++) {
        size_t len = strcspn(p, "|");
        if (strlen(st->value) == len && strncasecmp(st->value, p, len) == 0) {
            *index = i;
            return 0;
        }
        p += len + (p[len] == '|');
    }
    char detail[300];
    snprintf(detail, sizeof detail, "'%s' is not one of %s", st->value, choices);
    return cc_setting_error(st, err, CC_ERR_RANGE, "[%s] %s: %s", detail);
}

static int get_number(const cc_scenario *s, const char *section, const char *name, double *v, cc_error *err)
{
    return cc_setting_number(cc_scenario_setting(s, section, name), v, err);
}

static int convert_demand_settings(cc_scenario *s, cc_error *err)
{
    int ret;
    double v;
    if ((ret = get_number(s, "demand", "rates_year", &v, err)) != 0) return ret;
    s->rates_year = (int)v;
    if ((ret = get_number(s, "demand", "inpatient_shift_year", &v, err)) != 0) return ret;
    s->shift_year = (int)v;
    if ((ret = get_number(s, "demand", "inpatient_trend", &s->demand_trend[CC_SETTING_INPATIENT], err)) ||
        (ret = get_number(s, "demand", "outpatient_trend", &s->demand_trend[CC_SETTING_OUTPATIENT], err)) ||
        (ret = get_number(s, "demand", "home_care_uptake_growth", &s->demand_trend[CC_SETTING_HOME_CARE], err)) ||
        (ret = get_number(s, "demand", "trend_sd", &s->trend_sd, err)) ||
        (ret = get_number(s, "demand", "rate_cv", &s->rate_cv, err)) ||
        (ret = get_number(s, "demand", "occupancy", &s->occupancy, err)) ||
        (ret = get_number(s, "demand", "inpatient_shift_share", &s->shift_share, err)) ||
        (ret = get_number(s, "demand", "urgent_calls_per_patient_month", &s->urgent_calls_per_patient_month, err)) ||
        (ret = get_number(s, "demand", "clinics", &s->clinics, err)))
        return ret;
    const cc_setting *capacity = cc_scenario_setting(s, "demand", "bed_capacity");
    s->bed_capacity = 0;
    if (capacity->value[0] && (ret = cc_setting_number(capacity, &s->bed_capacity, err)) != 0)
        return ret;
    return 0;
}

/* [mortality], [fertility] and [migration] numbers (their tables: scenario_tables.c). */
static int convert_model_settings(cc_scenario *s, cc_error *err)
{
    int ret, choice;
    double v;
    if ((ret = get_number(s, "mortality", "target_year", &v, err)) != 0) return ret;
    s->mortality_target_year = (int)v;
    if ((ret = get_number(s, "mortality", "target_e0_male", &s->target_e0[CC_MALE], err)) ||
        (ret = get_number(s, "mortality", "target_e0_female", &s->target_e0[CC_FEMALE], err)) ||
        (ret = get_number(s, "mortality", "volatility_scale", &s->volatility_scale, err)) ||
        (ret = get_number(s, "fertility", "long_run_tfr", &s->long_run_tfr, err)) ||
        (ret = get_number(s, "fertility", "tfr_sd", &s->tfr_sd, err)) ||
        (ret = get_number(s, "migration", "peak_age", &s->migration_peak_age, err)) ||
        (ret = get_number(s, "migration", "male_share", &s->migration_male_share, err)) ||
        (ret = get_number(s, "migration", "level", &s->migration_level, err)) ||
        (ret = get_number(s, "migration", "noise_sd", &s->migration_noise_sd, err)))
        return ret;
    if ((ret = get_number(s, "fertility", "long_run_year", &v, err)) != 0) return ret;
    s->long_run_year = (int)v;
    if ((ret = cc_setting_choice(cc_scenario_setting(s, "migration", "schedule"), &choice, err)) != 0)
        return ret;
    s->migration_schedule = choice;
    if ((ret = convert_demand_settings(s, err)) != 0)
        return ret;
    if (s->mortality_target_year && (s->target_e0[CC_MALE] <= 0 || s->target_e0[CC_FEMALE] <= 0))
        return cc_setting_error(cc_scenario_setting(s, "mortality", "target_year"), err, CC_ERR_RANGE,
                                "[%s] %s: %s", "a target year needs target_e0_male and target_e0_female");
    return 0;
}

/* Convert the simulation settings; tables are read by cc_scenario_read_tables. */
static int convert_settings(cc_scenario *s, cc_error *err)
{
    int ret;
    double v;
    const cc_setting *name = cc_scenario_setting(s, "scenario", "name");
    free(s->name);
    if (name->value && name->value[0]) {
        s->name = strdup(name->value);
    } else {
        char *copy = strdup(s->path), *base = basename(copy), *dot = strrchr(base, '.');
        if (dot) *dot = '\0';
        s->name = strdup(base);
        free(copy);
    }
    if (!s->name)
        return cc_error_set(err, CC_ERR_NOMEM, s->path, 0, NULL, "out of memory");
    if (!s->name[0] || strchr(s->name, '/') || strcmp(s->name, ".") == 0 || strcmp(s->name, "..") == 0)
        return cc_setting_error(name, err, CC_ERR_RANGE, "[%s] %s: %s",
                                "a scenario name must be non-empty, not '.' or '..', and contain no '/' "
                                "(it names groups in the results file)");
    if ((ret = get_number(s, "simulation", "seed", &v, err)) != 0) return ret;
    s->seed = (uint64_t)v;
    if ((ret = get_number(s, "simulation", "replications", &v, err)) != 0) return ret;
    s->replications = (long)v;
    if ((ret = get_number(s, "simulation", "base_year", &v, err)) != 0) return ret;
    s->base_year = (int)v;
    if ((ret = get_number(s, "simulation", "end_year", &v, err)) != 0) return ret;
    s->end_year = (int)v;
    if (s->end_year < s->base_year) {
        const cc_setting *st = cc_scenario_setting(s, "simulation", "end_year");
        char detail[100];
        snprintf(detail, sizeof detail, "%d is before base_year %d", s->end_year, s->base_year);
        return cc_setting_error(st, err, CC_ERR_RANGE, "[%s] %s: %s", detail);
    }
    int choice;
    if ((ret = cc_setting_choice(cc_scenario_setting(s, "simulation", "expected_values"), &choice, err)) != 0)
        return ret;
    s->expected_values = choice;
    if ((ret = cc_setting_choice(cc_scenario_setting(s, "population", "age_split"), &choice, err)) != 0)
        return ret;
    s->age_split = choice == 0 ? CC_SPLIT_SPLINE : CC_SPLIT_UNIFORM;
    if ((ret = get_number(s, "population", "sex_ratio_at_birth", &s->sex_ratio_at_birth, err)) != 0)
        return ret;
    return convert_model_settings(s, err);
}

static int check_required(const cc_scenario *s, cc_error *err)
{
    for (int i = 0; i < s->nsettings; i++)
        if (!s->settings[i].value)
            return cc_error_set(err, CC_ERR_RANGE, s->path, 0, s->settings[i].key->name,
                                "required key [%s] %s is missing", s->settings[i].key->section,
                                s->settings[i].key->name);
    return 0;
}

/* Every number, boolean and choice set so far is well formed and in range. */
static int check_values(const cc_scenario *s, cc_error *err)
{
    for (int i = 0; i < s->nsettings; i++) {
        const cc_setting *st = &s->settings[i];
        double number;
        int choice, ret = 0;
        if (!st->value || (!st->value[0] && st->key->type != CC_KEY_INT && st->key->type != CC_KEY_BOOL &&
                           st->key->type != CC_KEY_ENUM))
            continue; /* missing (checked later) or an empty optional value */
        if (st->key->type == CC_KEY_INT || st->key->type == CC_KEY_DOUBLE)
            ret = cc_setting_number(st, &number, err);
        else if (st->key->type == CC_KEY_BOOL || st->key->type == CC_KEY_ENUM)
            ret = cc_setting_choice(st, &choice, err);
        if (ret != 0)
            return ret;
    }
    return 0;
}

static int apply_overrides(cc_scenario *s, const cc_override *ov, int n, cc_error *err)
{
    for (int i = 0; i < n; i++) {
        const cc_key_info *key = find_key(ov[i].section, ov[i].name);
        if (!key) {
            char near[160];
            nearest_name(ov[i].section, ov[i].name, near, sizeof near);
            return cc_error_set(err, CC_ERR_UNKNOWN_KEY, "command line", 0, ov[i].name,
                                "unknown key [%s] %s; did you mean %s?", ov[i].section, ov[i].name, near);
        }
        if (key->type == CC_KEY_PATH)
            return cc_error_set(err, CC_ERR_USAGE, "command line", 0, ov[i].name,
                                "[%s] %s names a table: change it in a scenario file (tables cannot be "
                                "overridden)", ov[i].section, ov[i].name);
        if (set_setting(s, key, ov[i].value, NULL, -1) != 0)
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
    gsl_set_error_handler_off(); /* GSL reports errors by return code, never aborts (DESIGN.md) */
    if (!(s->path = strdup(path)) || init_settings(s) != 0) {
        ret = cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory");
        goto out;
    }
    if ((ret = load_file(s, path, 0, err)) != 0) goto out;
    if ((ret = check_values(s, err)) != 0) goto out; /* the files' own values, even if overridden */
    if ((ret = apply_overrides(s, overrides, noverrides, err)) != 0) goto out;
    if ((ret = check_required(s, err)) != 0) goto out;
    if ((ret = convert_settings(s, err)) != 0) goto out;
    ret = cc_scenario_read_tables(s, err);
out:
    if (ret != 0)
        cc_scenario_free(s);
    return ret;
}

int cc_scenario_load(cc_scenario *s, const char *path, cc_error *err)
{
    return cc_scenario_load_overrides(s, path, NULL, 0, err);
}

static int incompatible(const cc_scenario *later, const char *section, const char *name, const char *detail,
                        cc_error *err)
{
    return cc_setting_error(cc_scenario_setting(later, section, name), err, CC_ERR_RANGE, "[%s] %s: %s", detail);
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
        if (s->seed != first->seed) return incompatible(s, "simulation", "seed", detail, err);
        if (s->replications != first->replications) return incompatible(s, "simulation", "replications", detail, err);
        if (s->base_year != first->base_year) return incompatible(s, "simulation", "base_year", detail, err);
        if (s->end_year != first->end_year) return incompatible(s, "simulation", "end_year", detail, err);
        if (s->has_demand != first->has_demand) {
            snprintf(detail, sizeof detail, "%s demand tables and %s %s; scenarios run together must all have "
                     "them or none", s->has_demand ? "gives" : "gives no", first->path,
                     first->has_demand ? "does" : "does not");
            int ret = incompatible(s, "demand", "inpatient_rates", detail, err);
            if (!err->file[0] || strcmp(err->file, "default") == 0)
                snprintf(err->file, sizeof err->file, "%s", s->path);
            return ret;
        }
    }
    return 0;
}

int cc_scenario_years(const cc_scenario *s) { return s->end_year - s->base_year + 1; }

void cc_scenario_free(cc_scenario *s)
{
    for (int i = 0; i < s->nsettings; i++) {
        free(s->settings[i].value);
        free(s->settings[i].origin);
        free(s->settings[i].file);
    }
    for (int i = 0; i < s->nfiles; i++) {
        free(s->files[i].path);
        free(s->files[i].text);
    }
    free(s->history_year);
    free(s->history_rate);
    for (int i = 0; i < s->ntables; i++) {
        free(s->tables[i].key);
        free(s->tables[i].path);
    }
    free(s->settings);
    free(s->files);
    free(s->tables);
    free(s->name);
    free(s->path);
    memset(s, 0, sizeof *s);
}

void cc_scenario_print(const cc_scenario *s, FILE *out)
{
    fprintf(out, "scenario %s (%s)\n", s->name, s->path);
    const char *section = "";
    for (int i = 0; i < s->nsettings; i++) {
        const cc_setting *st = &s->settings[i];
        if (strcmp(section, st->key->section) != 0)
            fprintf(out, "[%s]\n", section = st->key->section);
        fprintf(out, "  %-20s = %-28s %s; %s; source: %s\n", st->key->name,
                st->value && st->value[0] ? st->value : "(none)", st->key->unit, st->origin ? st->origin : "-",
                st->key->source);
    }
    fprintf(out, "tables:\n");
    for (int i = 0; i < s->ntables; i++)
        fprintf(out, "  %-28s %s  sha256 %.16s...\n", s->tables[i].key, s->tables[i].path, s->tables[i].sha256);
    double total[CC_SEXES] = {0};
    for (int sex = 0; sex < CC_SEXES; sex++)
        for (int a = 0; a < CC_AGES; a++)
            total[sex] += s->base_population[sex][a];
    double tfr = 0;
    for (int a = 0; a < CC_AGES; a++)
        tfr += s->fertility_rate[a];
    fprintf(out, "base population %d: %.0f (male %.0f, female %.0f)\n", s->base_year,
            total[0] + total[1], total[0], total[1]);
    fprintf(out, "base TFR %.4f; projection %d-%d (%d years), %ld replications, seed %llu%s\n", tfr,
            s->base_year, s->end_year, cc_scenario_years(s), s->replications,
            (unsigned long long)s->seed, s->expected_values ? ", expected values (no noise)" : "");
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
        if ((keys[i].type == CC_KEY_INT || keys[i].type == CC_KEY_DOUBLE) && keys[i].max < 1e300)
            fprintf(out, " Allowed: %g to %g.", keys[i].min, keys[i].max);
        fprintf(out, " | %s | %s | %s |\n", keys[i].unit, def, keys[i].source);
    }
}
