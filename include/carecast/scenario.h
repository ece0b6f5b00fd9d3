/* A scenario: every parameter and table of a run, loaded from an INI file (and the base
 * scenarios it names) and CSV tables, validated, and then immutable.
 * Every key the loader accepts is listed in one registry (cc_scenario_keys), which also
 * drives defaults, validation ranges, `carecast check` and scenarios/README.md. */
#ifndef CARECAST_SCENARIO_H
#define CARECAST_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "carecast/ages.h"
#include "carecast/coverage.h"
#include "carecast/demand.h"
#include "carecast/error.h"
#include "carecast/options.h"
#include "carecast/population.h"

typedef enum { CC_KEY_STRING, CC_KEY_PATH, CC_KEY_INT, CC_KEY_DOUBLE, CC_KEY_BOOL, CC_KEY_ENUM } cc_key_type;

#define CC_KEY_UNBOUND ((size_t)-1) /* read by the loader itself: names, bases, tables */
#define CC_KEY_MIN_EXCLUSIVE 1u      /* the value must be above min, not equal to it */

/* One documented scenario key, bound to the field of cc_scenario that holds its value
 * (offset and size of an int, long, uint64_t or double; BOOL and ENUM: an int holding the
 * index of the choice). An empty value of an optional number leaves the field at 0. */
typedef struct {
    const char *section, *name;
    cc_key_type type;
    size_t offset, size;
    const char *default_value; /* NULL: required; "" for an optional value: none */
    double min, max;           /* allowed range for numbers (inclusive unless flags say so) */
    unsigned flags;
    const char *choices;       /* CC_KEY_ENUM: "a|b|c" */
    const char *unit;
    const char *description;
    const char *source;        /* source of the default, or "assumption (range ...)" */
} cc_key_info;

/* The registry: n keys, in documentation order. */
const cc_key_info *cc_scenario_keys(int *n);

/* The allowed range of a number key in words ("more than 0 and at most 1"); "" for others. */
void cc_key_range_text(const cc_key_info *key, char *buf, size_t size);

/* A value in effect for a key, and where it came from. */
typedef struct {
    const cc_key_info *key;
    char *value;   /* text as written (paths as written) */
    char *origin;  /* "FILE:LINE", "default" or "command line" */
    char *file;    /* the file that set it (NULL for default / command line) */
    int line;
} cc_setting;

/* Text of one scenario file that was read (the scenario and its bases). */
typedef struct {
    char *path;
    char *text;
} cc_scenario_file;

/* An input table that was read, with its checksum. */
typedef struct {
    char *key;     /* "population.mortality" */
    char *path;    /* resolved path */
    char sha256[65];
} cc_input_table;

/* What the loader produces: each stage's parameters, the run options of [simulation], and
 * the provenance (every setting with its origin, the files and tables read). */
typedef struct {
    char *name;
    char *path; /* the scenario file given to cc_scenario_load */
    cc_run_options run;               /* [simulation] seed, replications, expected_values */
    cc_population_params population;  /* [simulation] base/end year, [population] ... [migration] */
    cc_demand_params demand;          /* [demand] */
    cc_coverage_params coverage;      /* [coverage] and the clinics table */
    /* provenance */
    int nsettings;
    cc_setting *settings;
    int nfiles;
    cc_scenario_file *files;
    int ntables;
    cc_input_table *tables;
} cc_scenario;

/* Load and validate a scenario. On failure returns a negative code, fills err (file, line,
 * field) and leaves *scenario freed; cc_scenario_free is always safe afterwards. */
int cc_scenario_load(cc_scenario *scenario, const char *path, cc_error *err);

/* A key set from outside the files (the command line): applied after every scenario file and
 * before any value is converted or any table read, so it is validated like a file's key. */
typedef struct {
    const char *section, *name, *value;
} cc_override;

/* cc_scenario_load with overrides (origin "command line"). Tables cannot be overridden. */
int cc_scenario_load_overrides(cc_scenario *scenario, const char *path, const cc_override *overrides,
                               int noverrides, cc_error *err);

/* Check that scenarios can run together in one file (common random numbers): the same seed,
 * replications, base and end year, and all with demand tables or none. On a mismatch the error
 * names the key where the later scenario sets it. */
int cc_scenarios_check_compatible(const cc_scenario *scenarios, int n, cc_error *err);

void cc_scenario_free(cc_scenario *scenario);

int cc_scenario_years(const cc_scenario *scenario);

/* The setting in effect for section.name, or NULL for a key the registry does not have. */
const cc_setting *cc_scenario_setting(const cc_scenario *scenario, const char *section, const char *name);

/* Add where a key was set to an error that names it (err->section and err->field, as models
 * report them): the scenario file and line, "command line", or the scenario file with line 0
 * for a key left at its default. Errors that already name a file, or name no key, are left as
 * they are. Returns err->code. */
int cc_scenario_locate(const cc_scenario *scenario, cc_error *err);

/* A parameter's sensitivity range: the [ranges] key "section.key = low, high" (README,
 * "Sensitivity"). Every ranged parameter has a [ranges] key in the registry; an empty value
 * leaves the parameter out. Values are validated when the scenario loads: two numbers, low at
 * most high, both within the parameter key's own allowed range. */
typedef struct {
    const cc_key_info *key;     /* the parameter's own key ([demand] trend_damping) */
    const cc_setting *setting;  /* the [ranges] setting ("demand.trend_damping"), for errors */
    double low, high;
} cc_param_range;

/* The ranged parameters of a loaded scenario, in registry order, into out (at most max);
 * returns how many the scenario has (which may exceed max). */
int cc_scenario_ranges(const cc_scenario *scenario, cc_param_range *out, int max);

/* Parse and check the value of a [ranges] setting into *range; errors name the setting's file,
 * line and field ([ranges] section.key). */
int cc_param_range_parse(const cc_setting *setting, cc_param_range *range, cc_error *err);

/* The overrides that put a ranged parameter at `value`: its key, and for a parameter drawn per
 * replication from a triangular distribution ([demand] visits_per_patient_month, dental_share)
 * also its _min and _max (the draw fixed at value). Fills out (names point into names, values
 * into text) and returns how many (1 or 3). */
int cc_param_range_overrides(const cc_param_range *range, double value, cc_override out[3], char names[3][64],
                             char text[3][40]);

/* Print every key with its value, unit, origin and source, then a summary of the tables. */
void cc_scenario_print(const cc_scenario *scenario, FILE *out);

/* Print the key registry as Markdown tables (for scenarios/README.md). */
void cc_scenario_keys_markdown(FILE *out);

#endif
