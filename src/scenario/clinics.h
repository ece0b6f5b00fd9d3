/* The coverage stage's inputs (clinics.c), private to the scenario module: the [coverage]
 * list keys (block_shares, target_years, schemes, closures), the checks that tie [coverage]
 * to [simulation] and [demand], and the clinics table. */
#ifndef CC_SCENARIO_CLINICS_H
#define CC_SCENARIO_CLINICS_H

#include "carecast/scenario.h"

#include "csv_table.h"

/* Clinics of a loaded table into p->clinics / p->nclinics (malloc'd; the caller frees
 * p->clinics), checked against p->nblocks and p->max_primaries_per_backup. Columns:
 * id,block,type,doctors,panel_capacity,participates[,backup]. Errors name the table's file,
 * line and column; on failure p->clinics is NULL and p->nclinics 0. */
int cc_clinics_from_table(const cc_table *t, cc_coverage_params *p, cc_error *err);

/* cc_clinics_from_table on the CSV file at path. */
int cc_clinics_read(const char *path, cc_coverage_params *p, cc_error *err);

/* Parse the [coverage] list keys into s->coverage, and when [coverage] clinics names a table,
 * check the keys against [simulation] and [demand] and read the table (recorded in s->tables
 * as coverage.clinics); s->coverage.enabled is 1 when it did. Called after the demand tables. */
int cc_scenario_read_coverage(cc_scenario *s, cc_error *err);

#endif
