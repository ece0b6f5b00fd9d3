/* Monte Carlo driver. Per scenario: build the population model and hand what it fitted to the
 * results store as data; then run the replications in blocks. Inside a block OpenMP spreads
 * the replications over threads (each thread owns its workspace, rates and path): each
 * replication's stages produce their rows (population, demand). After the block the calling
 * thread adds the rows to the store in replication order, so results are bit-identical
 * whatever the thread count, and a distributed run can do the same with rows gathered from
 * its ranks. */
#include "carecast/run.h"

#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "carecast/demand_row.h"
#include "carecast/population.h"
#include "carecast/population_row.h"

#define BLOCK 64 /* replications per block; does not affect results */

/* The rows of one block of replications. */
typedef struct {
    cc_population_row population[BLOCK];
    cc_demand_row demand[BLOCK];
} block_rows;

static void block_rows_free(block_rows *b)
{
    for (int k = 0; k < BLOCK; k++) {
        cc_population_row_free(&b->population[k]);
        cc_demand_row_free(&b->demand[k]);
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

/* What each thread owns: its random streams, the rates and the path of its replication. */
typedef struct {
    cc_population_workspace ws;
    cc_population_rates rates;
    cc_population_path path;
} thread_state;

/* One replication's rows: population, then (with demand) demand from its path. */
static int run_replication(const cc_scenario *s, const cc_population_model *model, const cc_run_options *run,
                           uint32_t rep, thread_state *ts, cc_population_row *population, cc_demand_row *demand)
{
    if (cc_population_rates_draw(&s->population, model, run, rep, &ts->ws, &ts->rates) != 0 ||
        cc_population_simulate(&s->population, &ts->rates, run, rep, &ts->ws, &ts->path) != 0)
        return -1;
    cc_population_row_fill(population, &ts->path);
    if (demand)
        cc_demand_row_compute(demand, &s->demand, run, &ts->path, rep, ts->ws.parameters);
    return 0;
}

/* Rows of replications [first, first + n) of one scenario into rows[0..n). */
static int run_block(const cc_scenario *s, const cc_population_model *model, const cc_run_options *run,
                     int has_demand, int first, int n, block_rows *rows, int threads)
{
    int failed = 0;
#pragma omp parallel num_threads(threads) reduction(| : failed)
    {
        thread_state ts;
        memset(&ts, 0, sizeof ts);
        int years = cc_scenario_years(s);
        int ok = cc_population_workspace_init(&ts.ws) == 0 && cc_population_rates_init(&ts.rates, years) == 0 &&
                 cc_population_path_init(&ts.path, years) == 0;
#pragma omp for schedule(dynamic, 1)
        for (int k = 0; k < n; k++)
            if (!ok || run_replication(s, model, run, (uint32_t)(first + k), &ts, &rows->population[k],
                                       has_demand ? &rows->demand[k] : NULL) != 0)
                failed = 1;
        failed |= !ok;
        cc_population_path_free(&ts.path);
        cc_population_rates_free(&ts.rates);
        cc_population_workspace_free(&ts.ws);
    }
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

/* Every replication of one scenario, block by block, rows added in replication order. */
static int run_scenario(const cc_scenario *s, const cc_population_model *model, const cc_run_options *options,
                        cc_results *res, int sc, block_rows *rows, int threads, long *done, long total,
                        cc_error *err)
{
    long reps = options->replications;
    for (int start = 0; start < reps; start += BLOCK) {
        if (options->interrupted && *options->interrupted)
            return cc_error_set(err, CC_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
        int n = reps - start < BLOCK ? (int)(reps - start) : BLOCK;
        int ret = run_block(s, model, options, res->has_demand, start, n, rows, threads);
        if (ret != 0)
            return cc_error_set(err, ret, NULL, 0, NULL, "out of memory in a replication");
        for (int k = 0; k < n; k++) { /* in replication order: results independent of threads */
            cc_row row = {&rows->population[k], res->has_demand ? &rows->demand[k] : NULL};
            if ((ret = cc_results_add_row(res, sc, start + k, &row)) != 0)
                return cc_error_set(err, ret, NULL, 0, NULL, "a row of replication %d does not fit the results",
                                    start + k);
        }
        *done += n;
        if (options->progress)
            options->progress(*done, total, options->progress_user);
    }
    return 0;
}

int cc_run(const cc_scenario *scenarios, int nscenarios, const cc_run_options *options,
           cc_results *res, cc_error *err)
{
    const cc_scenario *first = &scenarios[0];
    int years = cc_scenario_years(first), threads = cc_run_threads(options->threads);
    long reps = options->replications, done = 0, total = reps * nscenarios;
    int ret = cc_scenarios_check_compatible(scenarios, nscenarios, err);
    if (ret != 0)
        return ret;
    ret = cc_results_init(res, nscenarios, (int)reps, years, first->population.base_year, first->demand.enabled);
    if (ret != 0)
        return cc_error_set(err, ret, NULL, 0, NULL, "out of memory for results");
    res->threads = threads;
    block_rows *rows = malloc(sizeof *rows);
    if (!rows || block_rows_init(rows, years, res->has_demand) != 0) {
        free(rows);
        rows = NULL;
        ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    for (int sc = 0; ret == 0 && sc < nscenarios; sc++) {
        cc_population_model model;
        memset(&model, 0, sizeof model);
        ret = prepare_scenario(&scenarios[sc], res, sc, &model, err);
        if (ret == 0)
            ret = run_scenario(&scenarios[sc], &model, options, res, sc, rows, threads, &done, total, err);
        cc_population_model_free(&model);
    }
out:
    if (rows) {
        block_rows_free(rows);
        free(rows);
    }
    if (ret != 0)
        cc_results_free(res);
    return ret;
}
