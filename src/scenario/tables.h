/* Reading a scenario's tables (tables.c), private to the scenario module. */
#ifndef CC_SCENARIO_TABLES_H
#define CC_SCENARIO_TABLES_H

#include "carecast/scenario.h"

/* Read every table the settings name into s->population and s->demand, recording each
 * table's path and checksum in s->tables. Errors name the table's file, line and column, or
 * the scenario line that named it. */
int cc_scenario_read_tables(cc_scenario *s, cc_error *err);

#endif
