/* Shared between the scenario loader (scenario.c) and its table readers (scenario_tables.c). */
#ifndef CC_SCENARIO_INTERNAL_H
#define CC_SCENARIO_INTERNAL_H

#include "carecast/scenario.h"

const cc_setting *cc_scenario_setting(const cc_scenario *s, const char *section, const char *name);
/* err for a setting: fmt gets section, name and detail as its three %s. */
int cc_setting_error(const cc_setting *st, cc_error *err, int code, const char *fmt, const char *detail);
int cc_setting_number(const cc_setting *st, double *value, cc_error *err);
int cc_setting_choice(const cc_setting *st, int *index, cc_error *err);
char *cc_resolve_path(const char *from, const char *path);
int cc_scenario_read_tables(cc_scenario *s, cc_error *err);

#endif
