/* Batch runs (batch.h): scenarios built one at a time by the caller's source, each run into a
 * streamed store of its own that writes, at the file's scenario index, its rows as blocks
 * complete and then its summaries and its slice of every dataset over scenarios; the store and
 * the scenario are freed before the next one is built, so memory stays flat in the number of
 * scenarios. Scenario 0 is kept to the end: the others are checked against it and the file's
 * provenance names it.
 *
 * Under MPI with several ranks every rank builds the same scenarios in the same order and each
 * scenario's replications are shared over the ranks as in cc_run (rank 0 gathers the rows and
 * alone opens and writes the file); the ranks agree after opening the file, after building each
 * scenario and after running it, so an error on any rank ends the batch on all of them, and they
 * check that they hold as many scenarios and the same names (ranks reading different tables
 * would otherwise wait for each other forever). */
#include "carecast/batch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "carecast/ranks.h"
#include "carecast/run.h"
#include "run_internal.h"

/* Whether scenario s (the i-th) may join the batch whose first scenario is first and whose
 * names so far are names[0..i). */
static int check_scenario(const cc_scenario *first, const cc_scenario *s, int i, char **names, cc_error *err)
{
    if (i > 0) {
        cc_scenario pair[2] = {*first, *s}; /* shallow copies, read only */
        int ret = cc_scenarios_check_compatible(pair, 2, err);
        if (ret != 0)
            return ret;
    }
    for (int j = 0; j < i; j++)
        if (strcmp(names[j], s->name) == 0)
            return cc_error_set(err, CC_ERR_USAGE, s->path, 0, "name",
                                "scenario %d of the batch is named '%s' as scenario %d: give each its own name", i,
                                s->name, j);
    if (s->coverage.enabled && s->demand.enabled)
        return cc_error_set(err, CC_ERR_USAGE, s->path, 0, "enabled",
                            "scenario '%s' simulates coverage, which a batch does not run (its doctor axis would "
                            "differ between scenarios): run it alone, or set coverage.enabled = false", s->name);
    return 0;
}

/* Every rank's outcome (several ranks); with one rank its own: agreement is sticky (once a rank
 * failed every later call fails), which one process running several batches must not inherit. */
static int agree(int ret, cc_error *err)
{
    return cc_ranks_size() > 1 ? cc_ranks_agree(ret, err, NULL) : ret;
}

/* Whether every rank holds the same value (several ranks; called where all of them are). */
static int same(long value, const char *what, cc_error *err)
{
    return cc_ranks_size() > 1 ? cc_ranks_same(value, what, err) : 0;
}

/* FNV-1a of a name: ranks compare their scenarios by it. */
static uint64_t name_hash(const char *name)
{
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

int cc_run_batch(cc_scenario_source source, void *user, int n, const cc_run_options *options,
                 const cc_run_facts *facts, const char *path, cc_error *err)
{
    if (n < 1 || !source || !options || options->replications < 1)
        return cc_error_set(err, CC_ERR_USAGE, NULL, 0, NULL, "a batch needs at least one scenario and replication");
    cc_results_file *file = NULL;
    cc_scenario first, current;
    memset(&first, 0, sizeof first);
    memset(&current, 0, sizeof current);
    char **names = calloc((size_t)n, sizeof *names);
    long done = 0, total = options->replications * (long)n;
    int rank0 = cc_ranks_rank() == 0; /* the only rank that opens and writes the file */
    int ret = !names ? cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory")
                     : rank0 ? cc_results_file_open(&file, path, n, CC_RESULTS_TITLE, CC_RESULTS_LAYOUT, err) : 0;
    ret = agree(ret, err);
    if (ret == 0) /* every rank runs the same scenarios: as many ... */
        ret = same(n, "the number of scenarios", err);
    for (int i = 0; ret == 0 && i < n; i++) {
        cc_scenario *s = i == 0 ? &first : &current;
        memset(s, 0, sizeof *s);
        int built = 0, years = 0;
        if (options->interrupted && *options->interrupted)
            ret = cc_error_set(err, CC_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
        else if ((ret = source(user, i, s, err)) == 0) {
            built = 1;
            s->run.seed = options->seed; /* what runs (and the provenance says) is the batch's */
            s->run.replications = options->replications;
            years = cc_scenario_years(s);
            if ((ret = check_scenario(&first, s, i, names, err)) == 0 &&
                (i > 0 || (ret = cc_run_check_memory(s, 1, options->replications, years, 1,
                                                     cc_run_threads(options->threads), err)) == 0) &&
                !(names[i] = strdup(s->name)))
                ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        }
        ret = agree(ret, err); /* every rank has built scenario i ... */
        if (ret == 0)          /* ... the same one */
            ret = same((long)name_hash(s->name), "the scenarios' names", err);
        if (ret == 0) {
            cc_results res;
            memset(&res, 0, sizeof res);
            if ((ret = cc_results_init_streamed(&res, 1, (int)options->replications, years, s->population.base_year,
                                                s->demand.enabled, file, i, 0, CC_RUN_BLOCK)) != 0)
                ret = cc_error_set(err, ret, NULL, 0, NULL, "out of memory for results");
            else if ((ret = cc_run_into(s, 1, options, &res, &done, total, err)) == 0 && rank0 &&
                     (ret = cc_results_file_add(file, &res, i, err)) == 0)
                ret = cc_results_file_scenario(file, s, err);
            cc_results_free(&res); /* its datasets released: the next scenario's store opens them again */
            ret = agree(ret, err); /* scenario i is written (rank 0) */
        }
        if (i > 0 && built)
            cc_scenario_free(&current);
#ifdef __GLIBC__
        malloc_trim(0); /* freed memory back to the system: a scenario's leftovers must not add up */
#endif
    }
    if (ret == 0 && rank0)
        ret = cc_results_file_commit(file, &first, facts, err);
    cc_results_file_close(file); /* the temporary file is removed unless committed */
    cc_scenario_free(&first);
    for (int i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    return ret;
}
