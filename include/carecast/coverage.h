/* Coverage: the on-call simulation of a region's home-care patients over one target year,
 * per replication, under several coverage schemes (solo, pairing, rotation, cooperative).
 *
 * A replication first draws the scheme-independent event stream of the year (each patient's
 * scheduled visits, urgent calls with their kind and duration, exits and deaths at home with
 * replacement patients, each doctor's absences), from streams keyed by (seed, replication,
 * target year, purpose, entity) that never see the scheme: common random numbers. Each scheme
 * then answers the same events: who holds each duty period (its roster), who answers each
 * call (one responder per call: the own doctor in hours if present, else the period's holder),
 * and when (a busy doctor finishes the job in hand first; a call that cannot be reached within
 * the maximum wait escalates to ambulance and hospital). What is kept per replication: per
 * doctor and per scheme summaries, never the events. Pure: no I/O, no globals. */
#ifndef CARECAST_COVERAGE_H
#define CARECAST_COVERAGE_H

#include <stdint.h>

#include "carecast/calendar.h"
#include "carecast/error.h"
#include "carecast/options.h"

#define CC_COVERAGE_MAX_BLOCKS 32
#define CC_COVERAGE_MAX_YEARS 16
#define CC_COVERAGE_MAX_CLOSURES 32
#define CC_COVERAGE_MAX_PLACES (1 << 20) /* panel places: each has its own stream (entity word) */

typedef enum { CC_CLINIC_PRIMARY = 0, CC_CLINIC_BACKUP = 1 } cc_clinic_type;

/* One clinic of the clinics table. */
typedef struct {
    char id[32];
    int block;              /* 0-based block index */
    cc_clinic_type type;    /* primary (daytime) or backup (24-hour capable) */
    int doctors;            /* at least 1 */
    double panel_capacity;  /* home-care patients the clinic can carry */
    int participates;       /* 0: not part of any scheme (its patients are elsewhere) */
    int backup;             /* primary: index of the backup clinic it pairs with, -1: the engine pairs */
    int line;               /* line of the table, for messages */
} cc_clinic;

/* The coverage schemes, in registry order; each is one file under src/coverage/. */
typedef enum {
    CC_SCHEME_PAIRING = 0, CC_SCHEME_ROTATION, CC_SCHEME_SOLO, CC_SCHEME_COOPERATIVE, CC_SCHEMES
} cc_scheme_id;

const char *cc_scheme_name(cc_scheme_id id);
/* The scheme called name, or -1. */
int cc_scheme_find(const char *name);

/* The coverage model's parameters: [coverage] keys and the clinics table. */
typedef struct {
    int enabled;                           /* 1 when a clinics table is given */
    int nclinics;
    cc_clinic *clinics;                    /* [nclinics], owned by the scenario */
    int nblocks;
    double block_share[CC_COVERAGE_MAX_BLOCKS]; /* population share of each block (sums to 1) */
    double area_km2;                       /* the region's area, split equally over blocks */
    int nyears;
    int target_year[CC_COVERAGE_MAX_YEARS];
    int nschemes;
    cc_scheme_id scheme[CC_SCHEMES];       /* in order; the first is the reference of differences */
    long replications;                     /* coverage replications (the first ones); 0: all */
    int max_primaries_per_backup;
    double scheduled_visits_per_patient_month, scheduled_visit_minutes;
    double urgent_visit_share, urgent_visit_minutes, phone_minutes;
    double call_rate_shape;                /* gamma shape of patients' call rates (mean 1) */
    double in_hours_call_share, night_share_of_ooh;
    double exit_short_share, exit_short_mean_months, exit_long_mean_months;
    double home_death_share, death_visit_minutes;
    double absence_days;                   /* per doctor and year, in spells of 1..max days */
    int absence_max_spell_days;
    double max_wait_minutes, speed_kmh, distance_factor;
    double max_duty_nights_per_month, max_disturbed_nights_per_month;
    int nclosures;
    cc_calendar_date closure[CC_COVERAGE_MAX_CLOSURES];
} cc_coverage_params;

/* Who works where: the participating doctors, their clinics and blocks, and the pairs of
 * primaries with backups (given in the table or chosen by the engine). Built once per scenario. */
typedef struct {
    int ndoctors;
    int *doctor_clinic;     /* [ndoctors] clinic index */
    int *clinic_first_doctor; /* [nclinics] index of the clinic's first doctor, -1 if not participating */
    int *pair;              /* [nclinics] primary: its backup clinic; backup and others: -1 */
    int paired_by_engine;   /* 1 when some pairs were chosen by the engine */
    int unpaired_primaries; /* participating primaries left without a backup */
    int blocks_without_doctors; /* blocks with a population share and no participating doctor:
                                   their patients are uncovered (a warning, not an error) */
} cc_coverage_layout;

/* Check the clinics (blocks in range, pairs to backups, at most max_primaries_per_backup per
 * backup) and pair unpaired participating primaries with a backup of their block (the one with
 * the fewest paired panel places per doctor). Errors name the clinic's line (field "backup",
 * ...) through err->line; the caller adds the file. */
int cc_coverage_layout_build(const cc_coverage_params *params, cc_coverage_layout *layout, cc_error *err);
void cc_coverage_layout_free(cc_coverage_layout *layout);

/* Per-doctor figures of one scheme in one replication (NaN where a figure does not apply). */
typedef enum {
    CC_DOC_DUTY_NIGHTS,        /* duty nights held in the year */
    CC_DOC_DUTY_DAYS,          /* duty days held */
    CC_DOC_DISTURBED_NIGHTS,   /* duty nights with an answer started 22:00-06:00 */
    CC_DOC_NIGHT_VISITS,       /* visits set out 22:00-06:00 */
    CC_DOC_OOH_HOURS,          /* hours of jobs started out of hours */
    CC_DOC_QUEUED_HOURS,       /* hours of scheduled visits pushed past closing */
    CC_DOC_MAX_CONSECUTIVE_NIGHTS,
    CC_DOC_BUSIEST_MONTH_NIGHTS,   /* duty nights in the busiest calendar month */
    CC_DOC_BUSIEST_MONTH_DISTURBED,/* disturbed nights in the busiest calendar month */
    CC_DOC_URGENT_ANSWERED,    /* urgent calls and deaths answered */
    CC_DOC_PATIENTS,           /* own patients at the year's start */
    CC_DOC_METRICS
} cc_doctor_metric;

/* Per-scheme figures of one replication. */
typedef enum {
    CC_SCH_DUTY_NIGHTS_MEAN, CC_SCH_DUTY_NIGHTS_P95, CC_SCH_DUTY_NIGHTS_MAX,   /* per doctor-month */
    CC_SCH_DISTURBED_MEAN, CC_SCH_DISTURBED_P95, CC_SCH_DISTURBED_MAX,        /* per doctor-month */
    CC_SCH_OOH_HOURS_MEAN, CC_SCH_OOH_HOURS_P95, CC_SCH_OOH_HOURS_MAX,        /* per doctor-month */
    CC_SCH_OOH_HOURS_GINI,
    CC_SCH_DUTY_NIGHTS_MEAN_ALL, CC_SCH_DISTURBED_MEAN_ALL, CC_SCH_OOH_HOURS_MEAN_ALL, /* all participants */
    CC_SCH_MAX_CONSECUTIVE_NIGHTS,      /* max over duty holders */
    CC_SCH_CONTINUITY,                  /* share of urgent calls and deaths answered by the own doctor */
    CC_SCH_ESCALATIONS_PER_1000,        /* per 1,000 covered patient-months */
    CC_SCH_RESPONSE_MEAN, CC_SCH_RESPONSE_P90, /* minutes from call to arrival, visits */
    CC_SCH_WITHIN_LIMITS,               /* share of duty holders within both load limits */
    CC_SCH_DUTY_HOLDERS,                /* doctors holding out-of-hours duty */
    CC_SCH_CALLS,                       /* urgent calls and deaths in the year */
    CC_SCH_ESCALATIONS,
    CC_SCH_METRICS
} cc_scheme_metric;

/* What a replication's year looks like before any scheme: the same for every scheme. */
typedef enum {
    CC_COV_PATIENTS,            /* patients to place (the demand stage's expectation, rounded) */
    CC_COV_COVERED,             /* placed on a panel */
    CC_COV_UNCOVERED,           /* the coverage gap */
    CC_COV_UNCOVERED_MONTHS,    /* patient-months of the gap */
    CC_COV_COVERED_MONTHS,      /* patient-months simulated */
    CC_COV_URGENT_CALLS,        /* urgent calls in the year */
    CC_COV_HOME_DEATHS,
    CC_COV_EXITS,
    CC_COV_SCHEDULED_VISITS,
    CC_COV_PATIENTS_WITH_MONTHLY_URGENT_VISIT, /* share of patient-years averaging >= 1 urgent visit a month */
    CC_COV_METRICS
} cc_coverage_metric;

/* One replication's result for one target year: [scheme][...] in the order of params->scheme. */
typedef struct {
    int ndoctors, nschemes;
    double year[CC_COV_METRICS];
    /* Events each scheme processed (scheduled visits, skipped ones included, urgent calls,
     * deaths at home and absence spells): the unit of the benchmark's events/s. Not written
     * to the results file. */
    long events_per_scheme;
    double *scheme;   /* [nschemes][CC_SCH_METRICS] */
    double *doctor;   /* [nschemes][ndoctors][CC_DOC_METRICS] */
} cc_coverage_result;

int cc_coverage_result_init(cc_coverage_result *result, const cc_coverage_params *params,
                            const cc_coverage_layout *layout);
void cc_coverage_result_free(cc_coverage_result *result);

/* Per-thread workspace: random streams, the event list, rosters and per-doctor counters;
 * allocated once and reused across replications (grown only when a year has more events). */
typedef struct cc_coverage_workspace cc_coverage_workspace;
int cc_coverage_workspace_alloc(cc_coverage_workspace **ws, const cc_coverage_params *params,
                                const cc_coverage_layout *layout);
void cc_coverage_workspace_free(cc_coverage_workspace *ws);
/* Make ws, allocated for other params or another layout (e.g. another set of participating
 * clinics), serve these: the schemes' groups rebuilt, the scratch grown only when the layout
 * has more doctors or groups than it had room for, the calendars kept when the target years
 * and closures are the same. Results are those of a fresh workspace. Returns 0 or a negative
 * code (ws is then only fit for cc_coverage_workspace_free). */
int cc_coverage_workspace_reuse(cc_coverage_workspace *ws, const cc_coverage_params *params,
                                const cc_coverage_layout *layout);

/* What the upstream stages give a replication's target year. */
typedef struct {
    double expected_patients;         /* enrolled home-care patients (demand stage's expectation) */
    double calls_per_patient_month;   /* urgent calls per enrolled patient-month */
} cc_coverage_input;

/* Simulate target year params->target_year[year_index] of replication `replication` under
 * every scheme of params, into result. Returns 0 or a negative code. */
int cc_coverage_simulate(const cc_coverage_params *params, const cc_coverage_layout *layout,
                         const cc_run_options *run, uint32_t replication, int year_index,
                         const cc_coverage_input *input, cc_coverage_workspace *ws,
                         cc_coverage_result *result);

#endif
