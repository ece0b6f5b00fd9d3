/* The results store: what a run produced. Each stage hands over one row per replication
 * (cc_population_row, cc_demand_row, together a cc_row); cc_results_add_row stores it, in
 * replication order within each scenario, so a distributed run needs only to send rows to one
 * process. Per replication the store keeps every headline series, demand count, expectation
 * and drawn parameter; of the full age x sex x year arrays it keeps running means and sums of
 * squared deviations (Welford, in replication order, so they do not depend on the thread count
 * or on how rows were produced); peak years and bed exceedance are accumulated as rows arrive.
 * What each scenario's model fitted is stored once per scenario, as data
 * (cc_results_set_scenario).
 * Two modes. In memory (cc_results_init): every replication's row is held until the file is
 * written (what library users that read the store need: capacity, sensitivity). Streamed
 * (cc_results_init_streamed, used by cc_run_to_file and cc_run_batch): the store holds one block
 * of rows of the scenario in hand; each full block is written to the per-replication datasets
 * of a results file being written (cc_results_file), so memory does not grow with
 * replications; the summaries read each dataset back a slice at a time.
 * Summaries (quantiles, differences, peak years, ...) are computed from the store by the
 * summaries module; cc_results_write writes both. */
#ifndef CARECAST_RESULTS_H
#define CARECAST_RESULTS_H

#include <signal.h>

#include "carecast/coverage_row.h"
#include "carecast/demand_row.h"
#include "carecast/error.h"
#include "carecast/population_row.h"
#include "carecast/scenario.h"
#include "carecast/sensitivity.h"

#define CC_QUANTILES 5
extern const double cc_quantile_levels[CC_QUANTILES]; /* 0.05 0.25 0.5 0.75 0.95 */

/* One replication of one scenario: the row of each stage. */
typedef struct {
    const cc_population_row *population;
    const cc_demand_row *demand;     /* NULL when the run has no demand */
    const cc_coverage_row *coverage; /* NULL without coverage, and for replications from the
                                        coverage replications on */
} cc_row;

/* What the store keeps of a scenario besides its rows. */
typedef struct {
    char *name;
    double bed_capacity;          /* [demand] bed_capacity (0: none given) */
    double clinics;               /* [demand] clinics */
    cc_population_fitted fitted;  /* what the population model fitted or calibrated */
    const char *base_date, *reference_date; /* fitted's dates, as string attributes */
} cc_results_scenario;

/* The coverage stage's part of the store (README, "The results file": /coverage). Values of
 * the first `replications` replications ("coverage replications") of every scenario; the
 * doctor axis is as long as the largest scenario's roster, padded with NaN (numbers) or ""
 * (labels) past a scenario's n_doctors. */
typedef struct {
    int enabled;
    int replications;                   /* coverage replications: the first ones */
    int nyears, nschemes, max_doctors;
    int target_year[CC_COVERAGE_MAX_YEARS];
    cc_scheme_id scheme[CC_SCHEMES];    /* the first is the reference of the differences */
    /* per scenario, set by cc_results_set_coverage_scenario */
    int *n_doctors;                     /* [scenario] participating doctors (-1: not set yet) */
    const char **doctor_clinic;         /* [scenario][max_doctors] clinic id ("" past n_doctors) */
    int *doctor_block;                  /* [scenario][max_doctors] 1-based block (0 past n_doctors) */
    const char **doctor_role;           /* [scenario][max_doctors] "primary", "backup" ("") */
    const char **doctor_backup;         /* [scenario][max_doctors] a primary's backup clinic id ("" none) */
    char *labels;                       /* storage of the clinic ids above */
    int *blocks_without_doctors;        /* [scenario] blocks with patients and no participating doctor */
    int *unpaired_primaries;            /* [scenario] participating primaries without a backup */
    double *max_duty_nights, *max_disturbed_nights; /* [scenario] the load limits, per doctor-month */
    /* values; index with cc_results_coverage_index */
    double *year[CC_COV_METRICS];       /* [year][scenario][replication] */
    double *scheme_values[CC_SCH_METRICS]; /* [year][scheme][scenario][replication] */
    double *doctor[CC_DOC_METRICS];     /* [year][scheme][scenario][replication][max_doctors] */
} cc_results_coverage;

typedef struct cc_results_file cc_results_file; /* a results file being written (below) */

typedef struct {
    int nscenarios, replications, years, base_year;
    int has_demand;
    /* streamed (file not NULL): the rows of the scenario in hand, row_capacity at a time, go to
     * file's datasets at the file's scenario file_scenario + sc; in memory: row_capacity is
     * replications and rows are held for every scenario */
    int row_capacity;
    cc_results_file *file;
    int file_scenario, owns_file;
    cc_error file_error;            /* why a block could not be written (cc_results_add_row) */
    int threads;                    /* threads for the summaries; results do not depend on it */
    cc_results_scenario *scenarios; /* [nscenarios] */
    /* rows: index with cc_results_series_index and cc_results_demand_index */
    /* [series][scenario][replication][year][CC_SEX_AXIS] */
    double *series[CC_SERIES_COUNT];
    /* [scenario][year][CC_SEX_AXIS][CC_AGES]: running mean and sum of squared deviations */
    double *age_mean, *age_m2;
    double *base_population; /* [scenario][CC_SEX_AXIS][CC_AGES] persons at the base date */
    /* demand (when has_demand): [series][scenario][replication][year][CC_SEX_AXIS][CC_AGE_BANDS] */
    double *demand[CC_DEMAND_SERIES];
    double *demand_expected[CC_DEMAND_SERIES]; /* [scenario][replication][year] */
    double *rate_multiplier, *rate_trend;      /* [scenario][replication][CC_RATE_SETTINGS] as drawn */
    double *visits_per_patient_month, *dental_share; /* [scenario][replication] as drawn */
    double *visits_per_clinic;                 /* [scenario][replication][year]: outpatient total / clinics */
    /* accumulated as rows arrive, in replication order (from the expected totals) */
    int *peak_year[CC_DEMAND_SERIES];          /* outpatient, inpatient: [scenario][replication] year */
    double *peak_year_share[CC_DEMAND_SERIES]; /* outpatient, inpatient: [scenario][year] */
    int *first_exceedance_year;                /* [scenario][replication] (0: never within the run) */
    double *exceedance_probability, *first_exceedance_share; /* [scenario][year] */
    double *never_exceeded_share;              /* [scenario] */
    long *rows_added;                          /* [scenario] */
    cc_results_coverage coverage;              /* coverage.enabled: see cc_results_init_coverage */
} cc_results;

/* An empty store for nscenarios x replications rows of `years` years from base_year. Returns
 * 0 or CC_ERR_NOMEM (res freed); cc_results_free is always safe afterwards. */
int cc_results_init(cc_results *res, int nscenarios, int replications, int years, int base_year, int has_demand);
/* The same, streamed: rows go, block_rows at a time, to the per-replication datasets of file
 * (not owned unless owns_file: then cc_results_free closes it, removing its temporary file
 * unless committed), the store's scenario sc at the file's scenario file_scenario + sc.
 * file NULL: a store that keeps no rows (an MPI rank other than 0, which sends its rows to rank
 * 0): it takes the scenarios' records but refuses every row. */
int cc_results_init_streamed(cc_results *res, int nscenarios, int replications, int years, int base_year,
                             int has_demand, cc_results_file *file, int file_scenario, int owns_file, int block_rows);
void cc_results_free(cc_results *res);

/* Name a scenario and keep what its summaries and file need: the demand parameters the
 * summaries use and a copy of its fitted record. Returns 0, CC_ERR_NOMEM or CC_ERR_USAGE. */
int cc_results_set_scenario(cc_results *res, int scenario, const char *name, double bed_capacity, double clinics,
                            const cc_population_fitted *fitted);

/* Give the store a coverage part for the scenarios' target years and schemes (those of params,
 * which every scenario of the run shares), `replications` coverage replications (at most the
 * store's) and a doctor axis of max_doctors (the largest scenario's roster). Call after
 * cc_results_init, before any row. Returns 0, CC_ERR_NOMEM or CC_ERR_USAGE (store unchanged). */
int cc_results_init_coverage(cc_results *res, const cc_coverage_params *params, int replications, int max_doctors);

/* Record a scenario's doctors (clinic, block, role, and a primary's backup clinic, from params
 * and the layout built from it) and what the command line warns about. Returns 0,
 * CC_ERR_NOMEM or CC_ERR_USAGE (no coverage part, or more doctors than the axis). */
int cc_results_set_coverage_scenario(cc_results *res, int scenario, const cc_coverage_params *params,
                                     const cc_coverage_layout *layout);

/* Store the row of one replication. Rows of a scenario must come in replication order
 * (0, 1, 2, ...), after cc_results_set_scenario (its bed capacity and clinics); row->demand is
 * required exactly when the store has demand, row->coverage exactly when it has coverage and
 * replication < res->coverage.replications (with the scenario's doctors, set first). Streamed,
 * a block is written when its last row arrives (and a scenario's last). Returns 0,
 * CC_ERR_USAGE (out of order, wrong size or missing stage; nothing stored), or the code of a
 * block that could not be written (res->file_error says why). */
int cc_results_add_row(cc_results *res, int scenario, int replication, const cc_row *row);

/* The row slot of a replication: [scenario][replication] in memory; streamed, its place in
 * the block in hand (the store holds no other). */
static inline size_t cc_results_row(const cc_results *r, int scenario, int rep)
{
    return r->file ? (size_t)(rep % r->row_capacity) : (size_t)scenario * r->replications + rep;
}

/* Index of a headline value in res->series[id]. */
static inline size_t cc_results_series_index(const cc_results *r, int scenario, int rep, int year, int sex)
{
    return (cc_results_row(r, scenario, rep) * r->years + year) * CC_SEX_AXIS + sex;
}

/* Index of a demand count in res->demand[id]. */
static inline size_t cc_results_demand_index(const cc_results *r, int scenario, int rep, int year, int sex, int band)
{
    return cc_results_series_index(r, scenario, rep, year, sex) * CC_AGE_BANDS + band;
}

/* Indexes of coverage values: year metric (y, sc, rep); scheme metric (y, scheme k, sc, rep);
 * doctor metric: cc_results_coverage_index(...) * max_doctors + doctor. */
static inline size_t cc_results_coverage_year_index(const cc_results *r, int y, int scenario, int rep)
{
    return ((size_t)y * r->nscenarios + scenario) * r->coverage.replications + rep;
}
static inline size_t cc_results_coverage_index(const cc_results *r, int y, int scheme, int scenario, int rep)
{
    return (((size_t)y * r->coverage.nschemes + scheme) * r->nscenarios + scenario) * r->coverage.replications + rep;
}

/* Write the results file atomically (temp file in the same folder, then rename): either the
 * complete file appears at path or nothing changes there. The summaries are computed here
 * (cc_summaries_compute); provenance comes from the scenarios and run facts. */
typedef struct {
    int threads, ranks;
    const char *command_line;
    volatile sig_atomic_t *interrupted; /* checked while writing; may be NULL */
} cc_run_facts;
/* Call once at the start of a program, before anything uses HDF5: HDF5 1.10 crashes at exit
 * when it tries again to close a file whose close failed (a full disk); this keeps its exit
 * handler from running (every file carecast opens is closed explicitly). */
void cc_results_library_prepare(void);

/* Whether a results file may be written at path, checked before a run (README, "Reliability"):
 * a non-empty file name whose temporary name fits the system's limits, in an existing, writable
 * folder; if it exists, a regular file that is none of inputs[0..ninputs) (same device and
 * inode). Removes this target's stale temporary files (of processes that are gone). Returns 0,
 * CC_ERR_USAGE (the path itself is wrong) or CC_ERR_IO (the folder). */
int cc_results_check_target(const char *path, const char *const *inputs, int ninputs, cc_error *err);

/* The mkstemp template of path's temporary file: "FOLDER/.NAME.tmp-PID-XXXXXX". 0, or -1 if it
 * does not fit in size bytes. */
int cc_results_temp_name(const char *path, char *out, size_t size);

/* Written in memory, or, for a store streamed into a file of its own (cc_run_to_file), that
 * file completed (path must be its path) and moved into place. */
int cc_results_write(const cc_results *res, const cc_scenario *scenarios, int nscenarios,
                     const cc_run_facts *facts, const char *path, cc_error *err);

/* ---- a results file being written ----------------------------------------------------------
 * A temporary file beside path (cc_results_temp_name), created at once: a streamed store writes
 * its per-replication datasets there as blocks complete; then the layout's other items are
 * written over the store (a batch: one scenario's store at a time, each writing its slice of
 * the datasets over scenarios), the provenance added, and the file moved into place by
 * cc_results_file_commit. cc_results_file_close frees it, removing the temporary file unless
 * committed: nothing appears at path on any failure. */
#define CC_RESULTS_TITLE "carecast results"
#define CC_RESULTS_LAYOUT "carecast results layout 1 (README: The results file)"
/* A file whose scenario axis will hold nscenarios (0: each dataset as its items say). */
int cc_results_file_open(cc_results_file **file, const char *path, int nscenarios, const char *title,
                         const char *layout, cc_error *err);
void cc_results_file_close(cc_results_file *file);
const char *cc_results_file_path(const cc_results_file *file);
/* Bytes free to this user where the file is written (0: none, the disk is full; -1: unknown). */
double cc_results_file_free_bytes(const cc_results_file *file);
/* Write a store's summaries and the layout's items over it; its scenarios are the file's
 * [first_scenario, first_scenario + res->nscenarios). */
int cc_results_file_add(cc_results_file *file, const cc_results *res, int first_scenario, cc_error *err);
/* A scenario's /provenance/scenarios/<name> group. */
int cc_results_file_scenario(cc_results_file *file, const cc_scenario *s, cc_error *err);
/* The /provenance group (first's seed and replications, the facts), the dimension scales'
 * reference lists; close, flush and rename. */
int cc_results_file_commit(cc_results_file *file, const cc_scenario *first, const cc_run_facts *facts,
                           cc_error *err);
/* What a streamed store uses: write rows [first, first + rows) of its scenario sc from its
 * buffers; read back every replication of scenario sc of the quantity streamed from buffer,
 * for [first, first + count) of its third axis (the year), into out[replication][count][rest];
 * release the datasets when the store is done with them. */
int cc_results_file_rows(cc_results_file *file, const cc_results *res, int sc, int first, int rows, cc_error *err);
int cc_results_file_read_rows(cc_results_file *file, const void *buffer, int sc, size_t first, size_t count,
                              double *out);
void cc_results_file_release(cc_results_file *file);

/* Write a sensitivity result (cc_sensitivity_run) with the baseline scenario's provenance,
 * atomically as cc_results_write. */
int cc_sensitivity_write(const cc_sensitivity_result *res, const cc_scenario *baseline, const cc_run_facts *facts,
                         const char *path, cc_error *err);

#endif
