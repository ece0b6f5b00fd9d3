/* Batch runs: many scenarios (regions) one after another into one results file whose scenario
 * axis holds them, in order, with memory flat in their number. */
#ifndef CARECAST_BATCH_H
#define CARECAST_BATCH_H

#include "carecast/error.h"
#include "carecast/options.h"
#include "carecast/results.h"
#include "carecast/scenario.h"

/* Build scenario i (0..n-1) into *out. Called in increasing i, from the calling thread only.
 * Returns 0 or a cc_error code (err filled). The batch frees *out with cc_scenario_free when
 * done with it (scenario 0 at the end: the file's provenance and the checks of the others
 * refer to it). */
typedef int (*cc_scenario_source)(void *user, int i, cc_scenario *out, cc_error *err);

/* Run n scenarios one after another (population and demand; a scenario with coverage enabled
 * is refused for now: the doctor axis would differ between regions) for options->replications
 * replications with options->seed (set in each scenario's run options, so its provenance says
 * so), and write ONE results file at path whose scenario axis
 * holds the n scenarios, in order. Each scenario is checked against the first as cc_run checks
 * scenarios run together (seed, replications, years, base date, demand) and must have a name of
 * its own. Memory does not grow with n nor with replications: each scenario's rows are written
 * to the per-replication datasets as blocks complete, then its summaries and its slice of every
 * other dataset when it completes, and it is freed. Differences against the first scenario are
 * NOT computed. The file is written to a temporary file and renamed at the end (nothing at path
 * on failure or interrupt; an existing file is untouched). options->progress reports
 * scenarios x replications done; facts go to /provenance. The file is bit-identical whatever
 * the thread count, and each scenario's values are those of running it alone (cc_run_to_file).
 * Check the target first (cc_results_check_target). Returns 0 or a cc_error code. */
int cc_run_batch(cc_scenario_source source, void *user, int n, const cc_run_options *options,
                 const cc_run_facts *facts, const char *path, cc_error *err);

#endif
