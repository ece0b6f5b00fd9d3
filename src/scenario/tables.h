/* Reading a scenario's tables (tables.c), private to the scenario module. */
#ifndef CC_SCENARIO_TABLES_H
#define CC_SCENARIO_TABLES_H

#include "carecast/scenario.h"

#include "csv_table.h"

/* Read every table the settings name into s->population, s->demand and s->coverage, recording each
 * table's path and checksum in s->tables. Errors name the table's file, line and column, or
 * the scenario line that named it. */
int cc_scenario_read_tables(cc_scenario *s, cc_error *err);

/* Load the table named by the path key [section] name (relative to the file that set it) and
 * record its path and checksum in s->tables. An empty value is an error naming the key. */
int cc_scenario_open_table(cc_scenario *s, const char *section, const char *name, cc_table *t, cc_error *err);

#endif
