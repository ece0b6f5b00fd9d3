/* A scenario: every parameter and table of a run, loaded from an INI file (and the base
 * scenarios it names) and CSV tables, validated, and then immutable.
 * Every key the loader accepts is listed in one registry (cc_scenario_keys), which also
 * drives defaults, validation ranges, `carecast check` and scenarios/README.md. */
#ifndef CARECAST_SCENARIO_H
#define CARECAST_SCENARIO_H

#include <stdint.h>
#include <stdio.h>

#include "carecast/ages.h"
#include "carecast/error.h"

enum { CC_MALE = 0, CC_FEMALE = 1, CC_SEXES = 2 };

/* Demand settings with a rate table. */
typedef enum { CC_SETTING_INPATIENT, CC_SETTING_OUTPATIENT, CC_SETTING_HOME_CARE, CC_RATE_SETTINGS } cc_rate_setting;

typedef enum { CC_KEY_STRING, CC_KEY_PATH, CC_KEY_INT, CC_KEY_DOUBLE, CC_KEY_BOOL, CC_KEY_ENUM } cc_key_type;

/* One documented scenario key. */
typedef struct {
    const char *section, *name;
    cc_key_type type;
    const char *default_value; /* NULL: required; "" for an optional path: none */
    double min, max;           /* allowed range for numbers (inclusive) */
    const char *choices;       /* CC_KEY_ENUM: "a|b|c" */
    const char *unit;
    const char *description;
    const char *source;        /* source of the default, or "assumption (range ...)" */
} cc_key_info;

/* The registry: n keys, in documentation order. */
const cc_key_info *cc_scenario_keys(int *n);

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

typedef struct {
    /* [scenario] */
    char *name;
    char *path; /* the scenario file given to cc_scenario_load */
    /* [simulation] */
    uint64_t seed;
    long replications;
    int base_year, end_year;
    int expected_values; /* 1: every random draw replaced by its expectation */
    /* [population] */
    cc_split_method age_split;
    double base_population[CC_SEXES][CC_AGES]; /* persons at the base date */
    double mortality_rate[CC_SEXES][CC_AGES];  /* central death rates m(x) of the base table */
    double fertility_rate[CC_AGES];            /* births per woman-year by age of mother */
    double sex_ratio_at_birth;                 /* male births per female birth */
    int has_migration_table;
    double net_migration[CC_SEXES][CC_AGES];   /* table: expected net migrants per year, age at year end */
    /* [mortality]: history of grouped death rates for the Lee-Carter fit */
    int history_years, history_groups;         /* 0 when no history is given */
    int *history_year;                         /* [history_years] */
    cc_age_group history_group[CC_AGES];       /* group bounds (value unused) */
    double *history_rate;                      /* [CC_SEXES][history_years][history_groups] m(x) */
    int mortality_target_year;                 /* 0: fitted drift */
    double target_e0[CC_SEXES];
    double volatility_scale;
    /* [fertility] */
    double long_run_tfr;                       /* 0: base TFR throughout */
    int long_run_year;
    double tfr_sd;
    /* [migration] */
    int migration_schedule;                    /* 0 none, 1 Rogers-Castro */
    double migration_peak_age, migration_male_share, migration_level, migration_noise_sd;
    int ntargets;                              /* calibration targets after the base year */
    int target_year[64];
    double target_total[64];
    /* [demand] */
    int has_demand;                            /* 1 when the rate tables are given */
    double demand_rate[CC_RATE_SETTINGS][CC_SEXES][CC_AGES]; /* per 100,000 at rates_year */
    int rates_year;
    double demand_trend[CC_RATE_SETTINGS];     /* mean annual relative change; home care: uptake */
    double trend_sd, rate_cv, occupancy;
    double bed_capacity;                       /* 0: none given */
    double shift_share;
    int shift_year;
    double urgent_calls_per_patient_month;
    double clinics;
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

/* Print every key with its value, unit, origin and source, then a summary of the tables. */
void cc_scenario_print(const cc_scenario *scenario, FILE *out);

/* Print the key registry as Markdown tables (for scenarios/README.md). */
void cc_scenario_keys_markdown(FILE *out);

#endif
