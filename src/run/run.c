/* Monte Carlo driver. Per scenario: build the population model and hand what it fitted to the
 * results store as data (and, with coverage, the scenario's doctors: the coverage layout is
 * built once per scenario); then run the replications in blocks. Inside a block OpenMP spreads
 * the replications over threads (each thread owns its workspaces, rates and path): each
 * replication's stages produce their rows (population, demand, and coverage for the first
 * coverage replications: every target year under every scheme). After the block the calling
 * thread adds the rows to the store in replication order, so results are bit-identical
 * whatever the thread count (the coverage engine's streams are keyed by replication, year and
 * entity, never by thread), and a distributed run can do the same with rows gathered from its
 * ranks. */
#include "carecast/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "carecast/coverage_row.h"
#include "carecast/demand_row.h"
#include "carecast/population.h"
#include "carecast/population_row.h"
#include "carecast/ranks.h"

#include "distributed.h"
#include "run_internal.h"

#define BLOCK CC_RUN_BLOCK

/* The rows of one block of replications. */
typedef struct {
    cc_population_row population[BLOCK];
    cc_demand_row demand[BLOCK];
    cc_coverage_row coverage[BLOCK]; /* of the scenario in hand (its doctors) */
} block_rows;

static void block_rows_free(block_rows *b)
{
    for (int k = 0; k < BLOCK; k++) {
        cc_population_row_free(&b->population[k]);
        cc_demand_row_free(&b->demand[k]);
        cc_coverage_row_free(&b->coverage[k]);
    }
}

static int block_rows_init(block_rows *b, int years, int has_demand)
{
    memset(b, 0, sizeof *b);
    for (int k = 0; k < BLOCK; k++)
        if (cc_population_row_init(&b->population[k], years) != 0 ||
            (has_demand && cc_demand_row_init(&b->demand[k], years) != 0)) {
            block_rows_free(b);
            return CC_ERR_NOMEM;
        }
    return 0;
}

/* What the coverage stage of one scenario needs: its layout (built once), the number of
 * coverage replications, and one workspace per thread, reused across replications. */
typedef struct {
    const cc_coverage_layout *layout; /* NULL: no coverage */
    long replications;
    int nworkspaces;
    cc_coverage_workspace **workspaces; /* [threads] */
} coverage_state;

static void coverage_state_free(coverage_state *cs)
{
    for (int t = 0; cs->workspaces && t < cs->nworkspaces; t++)
        cc_coverage_workspace_free(cs->workspaces[t]);
    free(cs->workspaces);
    memset(cs, 0, sizeof *cs);
}

/* Workspaces of every thread and the rows of a block for scenario s. */
static int coverage_state_init(coverage_state *cs, const cc_scenario *s, const cc_coverage_layout *layout,
                               long replications, int threads, block_rows *rows)
{
    memset(cs, 0, sizeof *cs);
    cs->layout = layout;
    cs->replications = replications;
    if (!(cs->workspaces = calloc(threads, sizeof *cs->workspaces)))
        return CC_ERR_NOMEM;
    cs->nworkspaces = threads;
    for (int t = 0; t < threads; t++) {
        int ret = cc_coverage_workspace_alloc(&cs->workspaces[t], &s->coverage, layout);
        if (ret != 0)
            return ret; /* out of memory, or a target year or closure the calendar refuses */
    }
    for (int k = 0; k < BLOCK; k++) {
        cc_coverage_row_free(&rows->coverage[k]);
        if (cc_coverage_row_init(&rows->coverage[k], &s->coverage, layout) != 0)
            return CC_ERR_NOMEM;
    }
    return 0;
}

/* What each thread owns: its random streams, the rates and the path of its replication. */
typedef struct {
    cc_population_workspace ws;
    cc_population_rates rates;
    cc_population_path path;
} thread_state;

static int thread_number(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

/* One replication's rows: population, then (with demand) demand from its path, then (for a
 * coverage replication) coverage from its demand. Returns 0 or a negative code. */
static int run_replication(const cc_scenario *s, const cc_population_model *model, const cc_run_options *run,
                           uint32_t rep, thread_state *ts, const coverage_state *cs, cc_population_row *population,
                           cc_demand_row *demand, cc_coverage_row *coverage)
{
    int ret;
    if (run->interrupted && *run->interrupted) /* the rest of the block is skipped at once */
        return CC_ERR_INTERRUPTED;
    if ((ret = cc_population_rates_draw(&s->population, model, run, rep, &ts->ws, &ts->rates)) != 0 ||
        (ret = cc_population_simulate(&s->population, &ts->rates, run, rep, &ts->ws, &ts->path)) != 0)
        return ret;
    cc_population_row_fill(population, &ts->path);
    if (demand)
        cc_demand_row_compute(demand, &s->demand, run, &ts->path, rep, ts->ws.parameters);
    if (demand && coverage)
        ret = cc_coverage_row_compute(coverage, &s->coverage, cs->layout, run, rep, demand, s->population.base_year,
                                      s->demand.urgent_calls_per_patient_month, cs->workspaces[thread_number()]);
    return ret;
}

/* Rows of replications [first, first + n) of one scenario into rows[0..n). Returns 0 or the
 * first failing replication's code. */
static int run_block(const cc_scenario *s, const cc_population_model *model, const cc_run_options *run,
                     int has_demand, const coverage_state *cs, int first, int n, block_rows *rows, int threads)
{
    int codes[BLOCK] = {0}, failed = 0;
#pragma omp parallel num_threads(threads) reduction(| : failed)
    {
        thread_state ts;
        memset(&ts, 0, sizeof ts);
        int years = cc_scenario_years(s);
        int ok = cc_population_workspace_init(&ts.ws) == 0 && cc_population_rates_init(&ts.rates, years) == 0 &&
                 cc_population_path_init(&ts.path, years) == 0;
#pragma omp for schedule(dynamic, 1)
        for (int k = 0; k < n; k++) {
            int coverage = cs->layout && first + k < cs->replications;
            codes[k] = !ok ? CC_ERR_NOMEM
                           : run_replication(s, model, run, (uint32_t)(first + k), &ts, cs, &rows->population[k],
                                             has_demand ? &rows->demand[k] : NULL,
                                             coverage ? &rows->coverage[k] : NULL);
        }
        failed |= !ok;
        cc_population_path_free(&ts.path);
        cc_population_rates_free(&ts.rates);
        cc_population_workspace_free(&ts.ws);
    }
    for (int k = 0; k < n; k++) /* the first in replication order, whatever the threads did */
        if (codes[k] != 0)
            return codes[k];
    return failed ? CC_ERR_NOMEM : 0;
}

int cc_run_threads(int requested)
{
#ifdef _OPENMP
    return requested > 0 ? requested : omp_get_max_threads();
#else
    (void)requested;
    return 1;
#endif
}

/* Build a scenario's model and give the store what it fitted (as data) with the scenario's
 * name and the demand parameters the summaries use. */
static int prepare_scenario(const cc_scenario *s, cc_results *res, int sc, cc_population_model *model,
                            cc_error *err)
{
    int ret = cc_population_model_build(&s->population, model, err);
    if (ret != 0)
        return cc_scenario_locate(s, err);
    cc_population_fitted fitted;
    if ((ret = cc_population_fitted_fill(&fitted, &s->population, model)) != 0)
        return cc_error_set(err, ret, NULL, 0, NULL, "cannot record what the model of %s fitted", s->name);
    ret = cc_results_set_scenario(res, sc, s->name, s->demand.bed_capacity, s->demand.clinics, &fitted);
    cc_population_fitted_free(&fitted);
    return ret == 0 ? 0 : cc_error_set(err, ret, NULL, 0, NULL, "out of memory for results");
}

/* The error of a block's code ret (0: none). */
static int block_error(int ret, const cc_scenario *s, const cc_run_options *options, cc_error *err)
{
    if (ret == CC_ERR_INTERRUPTED || (options->interrupted && *options->interrupted))
        return cc_error_set(err, CC_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
    if (ret == CC_ERR_NOMEM)
        return cc_error_set(err, ret, NULL, 0, NULL, "out of memory in a replication");
    if (ret != 0)
        return cc_error_set(err, ret, NULL, 0, NULL, "a replication of %s failed", s->name);
    return 0;
}

/* A block of a distributed run (src/run/mpi.c calls it for this rank's share of each round). */
typedef struct {
    const cc_scenario *s;
    const cc_population_model *model;
    const cc_run_options *options;
    int has_demand, threads;
    const coverage_state *cs;
    block_rows *rows;
} block_job;

static int run_job_block(void *job, int first, int n, cc_error *err)
{
    const block_job *b = job;
    return block_error(run_block(b->s, b->model, b->options, b->has_demand, b->cs, first, n, b->rows, b->threads),
                       b->s, b->options, err);
}

/* Every replication of one scenario, block by block, rows added in replication order (under
 * MPI with several ranks: spread over the ranks, gathered on rank 0 in the same order). */
static int run_scenario(const cc_scenario *s, const cc_population_model *model, const cc_run_options *options,
                        cc_results *res, int sc, block_rows *rows, const coverage_state *cs, int threads, long *done,
                        long total, cc_error *err)
{
    long reps = options->replications;
    cc_block_rows shares = {rows->population, res->has_demand ? rows->demand : NULL, cs->layout ? rows->coverage : NULL,
                            BLOCK, cs->layout ? cs->replications : 0};
    if (cc_ranks_size() > 1) {
        block_job job = {s, model, options, res->has_demand, threads, cs, rows};
        return cc_ranks_run_replications(run_job_block, &job, &shares, options, res, sc, done, total, err);
    }
    for (int start = 0; start < reps; start += BLOCK) {
        if (options->interrupted && *options->interrupted)
            return cc_error_set(err, CC_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
        int n = reps - start < BLOCK ? (int)(reps - start) : BLOCK;
        int ret = block_error(run_block(s, model, options, res->has_demand, cs, start, n, rows, threads), s,
                              options, err);
        if (ret != 0)
            return ret;
        if ((ret = cc_block_rows_add(res, sc, &shares, start, n, err)) != 0) /* in replication order */
            return ret;
        *done += n;
        if (options->progress)
            options->progress(*done, total, options->progress_user);
    }
    return 0;
}

/* An error of a scenario's coverage layout: at a clinic's line (err->line) it is in the
 * clinics table; otherwise where the key it names was set. */
static int locate_layout_error(const cc_scenario *s, cc_error *err)
{
    for (int i = 0; err->line > 0 && !err->file[0] && i < s->ntables; i++)
        if (strcmp(s->tables[i].key, "coverage.clinics") == 0)
            snprintf(err->file, sizeof err->file, "%s", s->tables[i].path);
    return cc_scenario_locate(s, err);
}

/* The coverage layouts of every scenario (built once: who works where, the pairs), and the
 * store's coverage part: the coverage replications (the first [coverage] replications; 0 or
 * more than the run: all) and a doctor axis as long as the largest roster. */
static int prepare_coverage(const cc_scenario *scenarios, int nscenarios, long reps, cc_results *res,
                            cc_coverage_layout *layouts, long *coverage_reps, cc_error *err)
{
    const cc_coverage_params *first = &scenarios[0].coverage;
    int max_doctors = 0, ret;
    for (int sc = 0; sc < nscenarios; sc++) {
        if ((ret = cc_coverage_layout_build(&scenarios[sc].coverage, &layouts[sc], err)) != 0)
            return locate_layout_error(&scenarios[sc], err);
        if (layouts[sc].ndoctors > max_doctors)
            max_doctors = layouts[sc].ndoctors;
    }
    *coverage_reps = first->replications > 0 && first->replications < reps ? first->replications : reps;
    if ((ret = cc_results_init_coverage(res, first, (int)*coverage_reps, max_doctors)) != 0)
        return cc_error_set(err, ret, NULL, 0, NULL, "cannot hold the coverage results");
    for (int sc = 0; sc < nscenarios; sc++)
        if ((ret = cc_results_set_coverage_scenario(res, sc, &scenarios[sc].coverage, &layouts[sc])) != 0)
            return cc_error_set(err, ret, NULL, 0, NULL, "cannot hold the coverage results of %s", scenarios[sc].name);
    return 0;
}

/* Bytes of memory available to this process: MemAvailable of /proc/meminfo (Linux), else the
 * free physical pages; 0 when neither can be read (then nothing is refused). */
static double available_memory(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    double kib = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %lf kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    if (kib > 0)
        return kib * 1024.0;
    long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (double)pages * size : 0;
}

/* bytes as "12.3 GB", or "45.6 MB" below a gigabyte (a small disk's figures are not "0.0 GB") */
static const char *size_text(double bytes, char buf[32])
{
    if (bytes >= 1e9)
        snprintf(buf, 32, "%.1f GB", bytes / 1e9);
    else
        snprintf(buf, 32, "%.1f MB", bytes / 1e6);
    return buf;
}

/* Bytes of one scenario's rows the summaries of a streamed store read back at once (a slice of
 * years of one quantity; summaries.c reads at most 16 MiB, two scenarios and their differences
 * at a time). */
#define SUMMARY_SLICE_BYTES (16.0 * 1024 * 1024)

/* What a run holds at its peak, refused before anything runs when it does not fit the memory
 * available. In memory: every replication's headline and demand series, and on top the
 * summaries' sorted copies when the file is written. Streamed: one block of rows, and the
 * summaries' slices read back (bounded whatever the replications). Both: the by-age moments,
 * per-replication peak and exceedance years, and the coverage stage's per-doctor values of its
 * [coverage] replications. */
static double memory_needed(const cc_scenario *scenarios, int nscenarios, long reps, int years, int streamed,
                            int threads)
{
    const cc_scenario *first = &scenarios[0];
    /* per replication: the rows, and of the largest quantity the values of one year */
    double per_rep = 8.0 * CC_SERIES_COUNT * years * CC_SEX_AXIS, year = 8.0 * CC_SEX_AXIS;
    if (first->demand.enabled) {
        per_rep += 8.0 * CC_DEMAND_SERIES * ((double)years * CC_SEX_AXIS * CC_AGE_BANDS + years) + 8.0 * (years + 8);
        year = 8.0 * CC_SEX_AXIS * CC_AGE_BANDS;
    }
    double rows = (double)nscenarios * reps * per_rep, needed = 1.5 * rows;
    if (streamed) { /* a slice is at most SUMMARY_SLICE_BYTES, but at least one year of every replication */
        double slice = reps * year * years < SUMMARY_SLICE_BYTES ? reps * year * years : SUMMARY_SLICE_BYTES;
        slice = slice > reps * year ? slice : reps * year;
        needed = BLOCK * per_rep + (nscenarios > 1 ? 3 : 1) * slice;
    }
    /* the by-age moments; per replication: peak and exceedance years (and the summaries' copies),
     * each thread's column of one cell's values for its quantiles */
    needed += 2.0 * 8 * nscenarios * years * CC_SEX_AXIS * CC_AGES + 2.0 * 12 * nscenarios * reps +
              8.0 * reps * threads;
    if (first->coverage.enabled && first->demand.enabled) {
        long cov = first->coverage.replications > 0 && first->coverage.replications < reps
                       ? first->coverage.replications : reps;
        double doctors = 0;
        for (int sc = 0; sc < nscenarios; sc++) {
            double d = 0;
            for (int c = 0; c < scenarios[sc].coverage.nclinics; c++)
                if (scenarios[sc].coverage.clinics[c].participates)
                    d += scenarios[sc].coverage.clinics[c].doctors;
            doctors = d > doctors ? d : doctors;
        }
        needed += 1.5 * 8.0 * nscenarios * cov * first->coverage.nyears * first->coverage.nschemes *
                  (doctors * CC_DOC_METRICS + CC_SCH_METRICS + CC_COV_METRICS);
    }
    return needed;
}

int cc_run_check_memory(const cc_scenario *scenarios, int nscenarios, long reps, int years, int streamed,
                        int threads, cc_error *err)
{
    double needed = memory_needed(scenarios, nscenarios, reps, years, streamed, threads);
    double available = available_memory();
    char need_text[32], have_text[32];
    if (available > 0 && needed > 0.9 * available)
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, "replications",
                            "%ld replications need about %s of memory and %s are available: use fewer (-n)", reps,
                            size_text(needed, need_text), size_text(available, have_text));
    return 0;
}

/* Every scenario's replications into res (initialised for them by the caller: in memory or
 * streamed), counting replications done from *done of total for the progress callback. The
 * caller frees res on failure. */
int cc_run_into(const cc_scenario *scenarios, int nscenarios, const cc_run_options *options, cc_results *res,
                    long *done, long total, cc_error *err)
{
    const cc_scenario *first = &scenarios[0];
    int years = cc_scenario_years(first), threads = cc_run_threads(options->threads), ret = 0;
    long reps = options->replications, coverage_reps = 0;
    res->threads = threads;
    int with_coverage = first->coverage.enabled && first->demand.enabled;
    cc_coverage_layout *layouts = calloc(nscenarios, sizeof *layouts);
    block_rows *rows = malloc(sizeof *rows);
    if (!layouts || !rows || block_rows_init(rows, years, res->has_demand) != 0) {
        free(rows);
        rows = NULL;
        ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    if (with_coverage)
        ret = prepare_coverage(scenarios, nscenarios, reps, res, layouts, &coverage_reps, err);
    for (int sc = 0; ret == 0 && sc < nscenarios; sc++) {
        cc_population_model model;
        coverage_state cs;
        memset(&model, 0, sizeof model);
        memset(&cs, 0, sizeof cs);
        ret = prepare_scenario(&scenarios[sc], res, sc, &model, err);
        int cov = ret == 0 && with_coverage
                      ? coverage_state_init(&cs, &scenarios[sc], &layouts[sc], coverage_reps, threads, rows) : 0;
        if (cov != 0)
            ret = cc_error_set(err, cov, scenarios[sc].path, 0, NULL, "%s",
                               cov == CC_ERR_NOMEM ? "out of memory for the coverage simulation"
                                                   : "the coverage calendar refuses a target year or closure date");
        if (ret == 0)
            ret = run_scenario(&scenarios[sc], &model, options, res, sc, rows, &cs, threads, done, total, err);
        coverage_state_free(&cs);
        cc_population_model_free(&model);
    }
out:
    if (rows) {
        block_rows_free(rows);
        free(rows);
    }
    for (int sc = 0; layouts && sc < nscenarios; sc++)
        cc_coverage_layout_free(&layouts[sc]);
    free(layouts);
    return ret;
}

/* cc_run, with the rows streamed into file (owned by the store from here on) when streamed;
 * streamed without a file: an MPI rank other than 0, whose rows go to rank 0 (it keeps none). */
static int run(const cc_scenario *scenarios, int nscenarios, const cc_run_options *options, int streamed,
               cc_results_file *file, cc_results *res, cc_error *err)
{
    const cc_scenario *first = &scenarios[0];
    int years = cc_scenario_years(first);
    long reps = options->replications, done = 0, total = reps * nscenarios;
    memset(res, 0, sizeof *res);
    int ret = cc_scenarios_check_compatible(scenarios, nscenarios, err);
    if (ret != 0 || (ret = cc_run_check_memory(scenarios, nscenarios, reps, years, streamed,
                                                                 cc_run_threads(options->threads), err)) != 0) {
        cc_results_file_close(file);
        return ret;
    }
    ret = streamed ? cc_results_init_streamed(res, nscenarios, (int)reps, years, first->population.base_year,
                                          first->demand.enabled, file, 0, 1, BLOCK)
               : cc_results_init(res, nscenarios, (int)reps, years, first->population.base_year, first->demand.enabled);
    if (ret != 0)
        return cc_error_set(err, ret, NULL, 0, NULL, "out of memory for results");
    if ((ret = cc_run_into(scenarios, nscenarios, options, res, &done, total, err)) != 0)
        cc_results_free(res); /* a streamed store's temporary file goes with it */
    return ret;
}

int cc_run(const cc_scenario *scenarios, int nscenarios, const cc_run_options *options, cc_results *res,
           cc_error *err)
{
    return run(scenarios, nscenarios, options, 0, NULL, res, err);
}

/* Refuse a streamed run whose per-replication datasets (written uncompressed) will not fit the
 * space free where its results file is written. */
static double disk_needed(const cc_scenario *scenarios, int nscenarios, long reps)
{
    const cc_scenario *first = &scenarios[0];
    int years = cc_scenario_years(first);
    double per_rep = 8.0 * CC_SERIES_COUNT * years * CC_SEX_AXIS;
    if (first->demand.enabled)
        per_rep += 8.0 * CC_DEMAND_SERIES * ((double)years * CC_SEX_AXIS * CC_AGE_BANDS + years) + 8.0 * (years + 8);
    return per_rep * reps * nscenarios;
}

void cc_run_estimate(const cc_scenario *scenarios, int nscenarios, const cc_run_options *options, double *memory,
                     double *disk)
{
    long reps = options->replications;
    *memory = memory_needed(scenarios, nscenarios, reps, cc_scenario_years(&scenarios[0]), 1,
                            cc_run_threads(options->threads));
    *disk = disk_needed(scenarios, nscenarios, reps);
}

static int check_disk(const cc_scenario *scenarios, int nscenarios, long reps, const cc_results_file *file,
                      cc_error *err)
{
    double needed = disk_needed(scenarios, nscenarios, reps), free_bytes = cc_results_file_free_bytes(file);
    char need_text[32], free_text[32];
    if (free_bytes >= 0 && needed > 0.95 * free_bytes) /* a full disk (0 free) too: it fails at once */
        return cc_error_set(err, CC_ERR_IO, cc_results_file_path(file), 0, "replications",
                            "%ld replications need about %s of disk space for the results file and %s are free "
                            "there: use fewer (-n)", reps, size_text(needed, need_text), size_text(free_bytes, free_text));
    return 0;
}

int cc_run_to_file(const cc_scenario *scenarios, int nscenarios, const cc_run_options *options, const char *path,
                   cc_results *res, cc_error *err)
{
    cc_results_file *file;
    memset(res, 0, sizeof *res);
    if (cc_ranks_rank() != 0) /* only rank 0 writes, and the folder may be on its node only */
        return run(scenarios, nscenarios, options, 1, NULL, res, err);
    int ret = cc_results_file_open(&file, path, nscenarios, CC_RESULTS_TITLE, CC_RESULTS_LAYOUT, err);
    if (ret == 0 && (ret = check_disk(scenarios, nscenarios, options->replications, file, err)) != 0)
        cc_results_file_close(file);
    return ret != 0 ? ret : run(scenarios, nscenarios, options, 1, file, res, err);
}
