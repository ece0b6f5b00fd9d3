/* Monte Carlo driver. Replications run in blocks: inside a block OpenMP spreads them over
 * threads (each thread owns its workspace and buffers); after the block the calling thread
 * folds the full age arrays into running means and variances in replication order (Welford),
 * so results are bit-identical whatever the thread count. Headline rows are stored per
 * replication directly. */
#include "carecast/run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "carecast/population.h"

#define BLOCK 64 /* replications per block; does not affect results */

/* The headline rows of one replication from its path. */
static void store_series(cc_results *res, int sc, int rep, const cc_population_path *path)
{
    static const int band_from[4] = {0, 65, 75, 85};
    for (int y = 0; y < path->years; y++) {
        for (int sex = 0; sex < CC_SEX_AXIS; sex++) {
            double bands[4] = {0, 0, 0, 0}, flows[3] = {0, 0, 0};
            for (int s = 0; s < CC_SEXES; s++) {
                if (sex != s && sex != CC_SEXES)
                    continue;
                const double *pop = &path->population[((size_t)y * CC_SEXES + s) * CC_AGES];
                for (int a = 0; a < CC_AGES; a++)
                    for (int b = 0; b < 4; b++)
                        if (a >= band_from[b])
                            bands[b] += pop[a];
                flows[0] += path->births[y * CC_SEXES + s];
                flows[1] += path->deaths[y * CC_SEXES + s];
                flows[2] += path->net_migration[y * CC_SEXES + s];
            }
            size_t i = cc_results_series_index(res, sc, rep, y, sex);
            for (int b = 0; b < 4; b++)
                res->series[CC_SERIES_TOTAL + b][i] = bands[b];
            for (int f = 0; f < 3; f++)
                res->series[CC_SERIES_BIRTHS + f][i] = flows[f];
            res->series[CC_SERIES_LIFE_EXPECTANCY_0][i] = path->life_expectancy[((size_t)y * CC_SEX_AXIS + sex) * 2];
            res->series[CC_SERIES_LIFE_EXPECTANCY_65][i] = path->life_expectancy[((size_t)y * CC_SEX_AXIS + sex) * 2 + 1];
        }
    }
}

/* Welford update of the age arrays with one replication (called in replication order). */
static void accumulate_ages(cc_results *res, int sc, const cc_population_path *path, long count)
{
    size_t per_scenario = (size_t)res->years * CC_SEX_AXIS * CC_AGES;
    double *mean = res->age_mean + sc * per_scenario, *m2 = res->age_m2 + sc * per_scenario;
    for (int y = 0; y < res->years; y++)
        for (int a = 0; a < CC_AGES; a++) {
            const double *pop = &path->population[(size_t)y * CC_SEXES * CC_AGES];
            double values[CC_SEX_AXIS] = {pop[a], pop[CC_AGES + a], pop[a] + pop[CC_AGES + a]};
            for (int sex = 0; sex < CC_SEX_AXIS; sex++) {
                size_t i = ((size_t)y * CC_SEX_AXIS + sex) * CC_AGES + a;
                double delta = values[sex] - mean[i];
                mean[i] += delta / count;
                m2[i] += delta * (values[sex] - mean[i]);
            }
        }
}

typedef struct {
    cc_population_workspace ws;
    cc_population_rates rates;
    double *demand;   /* one replication: [series][year][sex][band] */
    double *expected; /* one replication: [series][year] */
} thread_state;

/* Demand of replication rep into the results rows (disjoint per replication: thread-safe). */
static void run_demand(const cc_scenario *s, const cc_run_options *run, cc_results *res, int sc, uint32_t rep,
                       const cc_population_path *path, thread_state *ts)
{
    cc_demand_draw draw;
    cc_demand_draw_parameters(&s->demand, run, rep, ts->ws.parameters, &draw);
    cc_demand_compute(&s->demand, run, path, &draw, rep, ts->ws.parameters, ts->demand, ts->expected);
    size_t per_series = (size_t)res->years * CC_SEX_AXIS * CC_AGE_BANDS;
    for (int d = 0; d < CC_DEMAND_SERIES; d++) {
        memcpy(&res->demand[d][cc_results_demand_index(res, sc, rep, 0, 0, 0)], ts->demand + d * per_series,
               per_series * sizeof(double));
        memcpy(&res->demand_expected[d][((size_t)sc * res->replications + rep) * res->years],
               ts->expected + (size_t)d * res->years, res->years * sizeof(double));
    }
    double *row = &res->demand_draws[((size_t)sc * res->replications + rep) * CC_RATE_SETTINGS * 2];
    for (int k = 0; k < CC_RATE_SETTINGS; k++) {
        row[2 * k] = draw.multiplier[k];
        row[2 * k + 1] = draw.trend[k];
    }
}

/* One block of replications [first, first + n) of scenario sc into paths[0..n). */
static int run_block(const cc_scenario *s, const cc_population_model *model, const cc_run_options *run,
                     cc_results *res, int sc, int first, int n, cc_population_path *paths, int threads)
{
    int failed = 0;
#pragma omp parallel num_threads(threads) reduction(| : failed)
    {
        thread_state ts;
        memset(&ts, 0, sizeof ts);
        int years = cc_scenario_years(s);
        int ok = cc_population_workspace_init(&ts.ws) == 0 && cc_population_rates_init(&ts.rates, years) == 0 &&
                 (!res->has_demand ||
                  ((ts.demand = malloc((size_t)CC_DEMAND_SERIES * years * CC_SEX_AXIS * CC_AGE_BANDS * sizeof(double))) &&
                   (ts.expected = malloc((size_t)CC_DEMAND_SERIES * years * sizeof(double)))));
#pragma omp for schedule(dynamic, 1)
        for (int k = 0; k < n; k++) {
            uint32_t rep = (uint32_t)(first + k);
            if (!ok || cc_population_rates_draw(&s->population, model, run, rep, &ts.ws, &ts.rates) != 0 ||
                cc_population_simulate(&s->population, &ts.rates, run, rep, &ts.ws, &paths[k]) != 0)
                failed = 1;
            else {
                store_series(res, sc, (int)rep, &paths[k]); /* rows are disjoint per replication */
                if (res->has_demand)
                    run_demand(s, run, res, sc, rep, &paths[k], &ts);
            }
        }
        failed |= !ok;
        free(ts.demand);
        free(ts.expected);
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
    if (ret == 0)
        res->threads = threads;
    cc_population_path paths[BLOCK];
    int npaths = 0;
    if (ret != 0)
        return cc_error_set(err, ret, NULL, 0, NULL, "out of memory for results");
    for (; npaths < BLOCK; npaths++)
        if (cc_population_path_init(&paths[npaths], years) != 0) {
            ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
            goto out;
        }
    for (int sc = 0; sc < nscenarios; sc++) {
        res->scenario_names[sc] = strdup(scenarios[sc].name);
        if ((ret = cc_population_model_build(&scenarios[sc].population, &res->models[sc], err)) != 0) {
            cc_scenario_locate(&scenarios[sc], err);
            goto out;
        }
        for (int start = 0; start < reps; start += BLOCK) {
            if (options->interrupted && *options->interrupted) {
                ret = cc_error_set(err, CC_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
                goto out;
            }
            int n = reps - start < BLOCK ? (int)(reps - start) : BLOCK;
            if ((ret = run_block(&scenarios[sc], &res->models[sc], options, res, sc, start, n, paths, threads)) != 0) {
                cc_error_set(err, ret, NULL, 0, NULL, "out of memory in a replication");
                goto out;
            }
            for (int k = 0; k < n; k++) /* in replication order: results independent of threads */
                accumulate_ages(res, sc, &paths[k], start + k + 1);
            done += n;
            if (options->progress)
                options->progress(done, total, options->progress_user);
        }
    }
    size_t cells = (size_t)nscenarios * years * CC_SEX_AXIS * CC_AGES;
    for (size_t i = 0; i < cells; i++)
        res->age_sd[i] = reps > 1 ? sqrt(res->age_m2[i] / (reps - 1)) : 0.0;
out:
    for (int k = 0; k < npaths; k++)
        cc_population_path_free(&paths[k]);
    if (ret != 0)
        cc_results_free(res);
    return ret;
}
