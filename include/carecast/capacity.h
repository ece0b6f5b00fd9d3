/* Capacity: how many participating doctors each coverage scheme needs to cover a target
 * year's projected home-care patients within the load limits, and the most patients per
 * doctor each scheme sustains within them (README, "Capacity").
 *
 * Doctors needed. Candidate clinics are taken in a fixed order (the clinics table's primary
 * clinics, round-robin over blocks, in table order within a block); "size" k is the number of
 * primary (△) clinics taking part. Pairing adds a backup (▲) clinic of the primary's block, in
 * table order, whenever the block's last one carries max_primaries_per_backup primaries (a
 * primary whose block has no backup left is left out); the other schemes have every backup
 * clinic of the table take part, with the first k primaries. The criterion at size k, for one
 * replication and target year: every projected patient has a panel place, and the p95 over
 * the doctors holding out-of-hours duty of duty nights and of disturbed nights per month is
 * within [coverage] max_duty_nights_per_month and max_disturbed_nights_per_month.
 * Per replication the smallest such k is found by bisection (cc_capacity_search), with common
 * random numbers over the sizes tried (README: what holds).
 *
 * Most patients per doctor: with the scenario's participants, patients per participating
 * doctor p = 1, 2, ... (panels widened so all fit); the largest p at which the p95 limits
 * still hold. */
#ifndef CARECAST_CAPACITY_H
#define CARECAST_CAPACITY_H

#include <signal.h>

#include "carecast/coverage.h"
#include "carecast/error.h"
#include "carecast/scenario.h"

/* ---- the search: the smallest size meeting a criterion ---- */

/* The criterion at `size`: 1 holds, 0 fails, negative: an error code (the search stops). */
typedef int (*cc_capacity_criterion)(int size, void *user);

typedef enum {
    CC_SEARCH_FOUND = 0,       /* size: the smallest size in [lo, hi] where the criterion holds */
    CC_SEARCH_NONE = 1,        /* the criterion fails at hi: no size in the range meets it */
    CC_SEARCH_NOT_MONOTONE = 2,/* what was visited contradicts monotonicity: no size is claimed */
    CC_SEARCH_ERROR = 3        /* the criterion returned an error (error) */
} cc_search_status;

#define CC_SEARCH_MAX_VISITS 80

typedef struct {
    cc_search_status status;
    int size;         /* FOUND: the answer; otherwise -1 */
    int evaluations;  /* criterion calls */
    int error;        /* ERROR: the criterion's code */
    int nvisited;
    int visited[CC_SEARCH_MAX_VISITS], outcome[CC_SEARCH_MAX_VISITS]; /* in order of evaluation */
} cc_search_result;

/* Find the smallest size in [lo, hi] (lo <= hi) where the criterion holds, expecting it to fail
 * below some size and hold from there on. Evaluates hi (fails: NONE), lo (holds: FOUND lo),
 * then bisects keeping a failing and a holding end; then checks: the criterion holds at the
 * answer and fails at one fewer, and holds at one more when that is in range (evaluated if not
 * visited); every visited holding size lies above every visited failing one. A check that
 * fails gives NOT_MONOTONE. Returns 0, or the criterion's error code (status ERROR). */
int cc_capacity_search(int lo, int hi, cc_capacity_criterion criterion, void *user, cc_search_result *out);

/* ---- doctors needed per scheme and target year ---- */

/* The limits that fail (bits): coverage (a patient without a panel place), duty nights,
 * disturbed nights. */
enum { CC_LIMIT_COVERAGE = 1, CC_LIMIT_DUTY_NIGHTS = 2, CC_LIMIT_DISTURBED_NIGHTS = 4 };
/* "coverage", "duty nights", "disturbed nights", joined by '+'; "none" for 0. */
const char *cc_capacity_limit_name(int limits, char *buf, size_t size);

typedef struct {
    long replications;  /* 0: the scenario's [coverage] replications (0 there: [simulation] replications) */
    int nyears;         /* 0: every target year of the scenario; else years[] (each one of them) */
    int years[CC_COVERAGE_MAX_YEARS];
    int nschemes;       /* 0: the scenario's schemes; else schemes[] */
    cc_scheme_id schemes[CC_SCHEMES];
    int threads;        /* OpenMP threads over replications (0: default); results do not depend on it */
    int max_patients;   /* 1: also the most patients per doctor (the slower part); 0: skip it */
    int max_patients_hi;/* the largest patients per doctor tried (0: CC_CAPACITY_MAX_PATIENTS_HI) */
    volatile sig_atomic_t *interrupted; /* checked between replications; may be NULL */
} cc_capacity_options;

#define CC_CAPACITY_MAX_PATIENTS_HI 60

/* One scheme in one target year. Per replication arrays are [replications]. */
typedef struct {
    /* per replication */
    int *status;              /* cc_search_status of the doctors-needed search */
    double *doctors;          /* doctors needed, △ and ▲ (NaN unless FOUND) */
    double *primary_doctors, *backup_doctors;
    int *evaluations;         /* criterion evaluations of the search */
    int *binding;             /* CC_LIMIT_* bits failing one size below the answer (FOUND) or with the
                                 whole pool (NONE) */
    int *patients_status;     /* cc_search_status of the most-patients search (NONE: the limits hold at
                                 max_patients_hi; FOUND at 1: they fail at one patient per doctor) */
    double *max_patients;     /* most patients per participating doctor within the limits (NaN: skipped
                                 or not monotone; max_patients_hi when the limits hold there) */
    /* over replications: not attainable (or not monotone) counts as above every size */
    double doctors_q[3];      /* 5th, 50th, 95th percentiles (NaN: beyond the pool) */
    double primary_median, backup_median; /* of the replications that found a size */
    double attainable;        /* share of replications that found a size */
    int not_monotone;         /* replications whose search said not monotone */
    int binding_mode;         /* the most frequent binding among the replications (ties: fewer bits) */
    double evaluations_mean;
    double max_patients_q[3]; /* 5th, 50th, 95th of max_patients */
    /* the pool */
    int pool_size;            /* primary clinics that can take part (the search's hi) */
    int pool_primary_doctors, pool_backup_doctors;
} cc_capacity_cell;

typedef struct {
    long replications;
    int nyears, nschemes;
    int years[CC_COVERAGE_MAX_YEARS];
    int year_index[CC_COVERAGE_MAX_YEARS]; /* index among the scenario's target years (stream key) */
    cc_scheme_id schemes[CC_SCHEMES];
    double *patients;          /* [nyears][replications] projected home-care patients (rounded) */
    int participants;          /* the scenario's participating doctors (the most-patients roster) */
    int max_patients_hi;
    double max_duty_nights, max_disturbed_nights;
    cc_capacity_cell *cell;    /* [nschemes][nyears] */
} cc_capacity_result;

static inline cc_capacity_cell *cc_capacity_at(const cc_capacity_result *r, int scheme, int year)
{
    return &r->cell[(size_t)scheme * r->nyears + year];
}

/* Doctors needed (and, with opt->max_patients, the most patients per doctor) for every scheme
 * and target year of opt over the scenario's first replications. The scenario needs [demand]
 * and [coverage]. Errors: CC_ERR_USAGE (a year not among the target years, no coverage),
 * CC_ERR_NOMEM, CC_ERR_INTERRUPTED, the model's errors (located in the scenario's files).
 * out is initialised here; free it with cc_capacity_result_free (safe after any return). */
int cc_capacity_compute(const cc_scenario *s, const cc_capacity_options *opt, cc_capacity_result *out,
                        cc_error *err);
void cc_capacity_result_free(cc_capacity_result *r);

/* Write the result as an HDF5 file (README, "Capacity"), atomically, with /provenance. */
int cc_capacity_write(const cc_capacity_result *r, const cc_scenario *s, const char *command_line,
                      int threads, const char *path, cc_error *err);

#endif
