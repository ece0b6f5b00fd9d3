/* The settings in effect (every key with its value and origin), their conversion into the
 * fields the registry binds them to, and errors that name a setting. Private to the scenario
 * module. */
#ifndef CC_SCENARIO_SETTINGS_H
#define CC_SCENARIO_SETTINGS_H

#include "carecast/scenario.h"

/* One setting per registry key, defaults applied. Returns 0 or CC_ERR_NOMEM. */
int cc_settings_init(cc_scenario *s);
void cc_settings_free(cc_scenario *s);

/* Set key's value; file NULL with line 0: a default, line < 0: the command line. */
int cc_settings_set(cc_scenario *s, const cc_key_info *key, const char *value, const char *file, int line);

/* err for a setting: file and line where it was set, its section and key, and the message. */
int cc_setting_error(const cc_setting *st, cc_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Parse and range-check a number key (int or double) / a boolean or choice key (its index). */
int cc_setting_number(const cc_setting *st, double *value, cc_error *err);
int cc_setting_choice(const cc_setting *st, int *index, cc_error *err);

/* Every number, boolean and choice set so far is well formed and in range (empty optional
 * values and missing required ones are skipped). */
int cc_settings_check(const cc_scenario *s, cc_error *err);

/* Store every bound key's value into its field of s. */
int cc_settings_store(cc_scenario *s, cc_error *err);

#endif
