/* Settings in effect and their conversion. Every key starts at its registry default; files
 * and the command line replace values (keeping where each came from, for errors and
 * provenance); cc_settings_store then writes each bound key into its field of cc_scenario
 * through the registry's offset and size, so a new key is one registry line. */
#include "settings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_table.h"
#include "keys.h"

static char *xstrdup(const char *s) { return s ? strdup(s) : NULL; }

int cc_settings_set(cc_scenario *s, const cc_key_info *key, const char *value, const char *file, int line)
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

int cc_settings_init(cc_scenario *s)
{
    int n;
    const cc_key_info *keys = cc_scenario_keys(&n);
    s->settings = calloc(n, sizeof *s->settings);
    if (!s->settings)
        return CC_ERR_NOMEM;
    s->nsettings = n;
    for (int i = 0; i < n; i++) {
        s->settings[i].key = &keys[i];
        if (keys[i].default_value && cc_settings_set(s, &keys[i], keys[i].default_value, NULL, 0) != 0)
            return CC_ERR_NOMEM;
    }
    return 0;
}

void cc_settings_free(cc_scenario *s)
{
    for (int i = 0; i < s->nsettings; i++) {
        free(s->settings[i].value);
        free(s->settings[i].origin);
        free(s->settings[i].file);
    }
    free(s->settings);
    s->settings = NULL;
    s->nsettings = 0;
}

const cc_setting *cc_scenario_setting(const cc_scenario *s, const char *section, const char *name)
{
    for (int i = 0; i < s->nsettings; i++)
        if (strcmp(s->settings[i].key->section, section) == 0 && strcmp(s->settings[i].key->name, name) == 0)
            return &s->settings[i];
    return NULL;
}

int cc_setting_error(const cc_setting *st, cc_error *err, int code, const char *fmt, ...)
{
    char message[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    cc_error_set_key(err, code, st->key->section, st->key->name, "%s", message);
    snprintf(err->file, sizeof err->file, "%s", st->file ? st->file : (st->line < 0 ? "command line" : "default"));
    err->line = st->line > 0 ? st->line : 0;
    return code;
}

int cc_setting_number(const cc_setting *st, double *value, cc_error *err)
{
    const cc_key_info *key = st->key;
    if (!st->value)
        return cc_setting_error(st, err, CC_ERR_RANGE, "required, but not given");
    if (key->type == CC_KEY_INT) {
        long v;
        if (cc_parse_long(st->value, &v) != 0)
            return cc_setting_error(st, err, CC_ERR_NUMBER, "'%s' is not an integer", st->value);
        *value = (double)v;
    } else if (cc_parse_double(st->value, value) != 0) {
        return cc_setting_error(st, err, CC_ERR_NUMBER, "'%s' is not a finite number", st->value);
    }
    if (!cc_key_in_range(key, *value)) {
        char range[120];
        cc_key_range_text(key, range, sizeof range);
        return cc_setting_error(st, err, CC_ERR_RANGE, "%s is out of range (allowed: %s)", st->value, range);
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
    return cc_setting_error(st, err, CC_ERR_RANGE, "'%s' is not one of %s", st->value, choices);
}

static int is_number_key(const cc_key_info *key) { return key->type == CC_KEY_INT || key->type == CC_KEY_DOUBLE; }

/* An optional number (default "") left empty: not given. */
static int is_unset_optional(const cc_setting *st)
{
    return st->value && !st->value[0] && st->key->default_value && !st->key->default_value[0];
}
static int is_choice_key(const cc_key_info *key) { return key->type == CC_KEY_BOOL || key->type == CC_KEY_ENUM; }

int cc_settings_check(const cc_scenario *s, cc_error *err)
{
    for (int i = 0; i < s->nsettings; i++) {
        const cc_setting *st = &s->settings[i];
        double number;
        int choice, ret = 0;
        if (!st->value || is_unset_optional(st))
            continue; /* missing (checked later) or an optional value not given */
        if (is_number_key(st->key))
            ret = cc_setting_number(st, &number, err);
        else if (is_choice_key(st->key))
            ret = cc_setting_choice(st, &choice, err);
        if (ret != 0)
            return ret;
    }
    return 0;
}

/* Write value into the field at base + key->offset, of the size the registry gives. */
static int store_number(void *base, const cc_key_info *key, double value)
{
    char *field = (char *)base + key->offset;
    if (key->type == CC_KEY_DOUBLE && key->size == sizeof(double)) {
        memcpy(field, &value, sizeof value);
    } else if (key->size == sizeof(int)) {
        int v = (int)value;
        memcpy(field, &v, sizeof v);
    } else if (key->size == sizeof(long long)) {
        long long v = (long long)value; /* long and uint64_t alike: values are below 2^53 */
        memcpy(field, &v, sizeof v);
    } else {
        return CC_ERR_USAGE;
    }
    return 0;
}

int cc_settings_store(cc_scenario *s, cc_error *err)
{
    for (int i = 0; i < s->nsettings; i++) {
        const cc_setting *st = &s->settings[i];
        const cc_key_info *key = st->key;
        double value = 0;
        int choice = 0, ret = 0;
        if (key->offset == CC_KEY_UNBOUND)
            continue;
        if (is_number_key(key)) {
            if (is_unset_optional(st))
                continue; /* the field stays 0 */
            ret = cc_setting_number(st, &value, err);
        } else if (is_choice_key(key)) {
            ret = cc_setting_choice(st, &choice, err);
            value = choice;
        }
        if (ret != 0)
            return ret;
        if (store_number(s, key, value) != 0)
            return cc_setting_error(st, err, CC_ERR_USAGE, "the registry binds this key to a field of unknown size");
    }
    return 0;
}
