/* The Monte Carlo driver: replications in parallel (OpenMP), each with its own random
 * streams keyed by replication, collected in replication order into cc_results (in memory, or
 * streamed into the results file being written). */
#ifndef CARECAST_RUN_H
#define CARECAST_RUN_H

#include "carecast/options.h"
#include "carecast/results.h"
#include "carecast/scenario.h"

/* The number of threads a run with options.threads = requested uses (0: all cores). */
int cc_run_threads(int requested);

/* Run every scenario for options->replications replications with options->seed (take them
 * from the first scenario's [simulation] keys: scenarios[0].run) into res (initialised here;
 * free with cc_results_free). Returns 0, CC_ERR_INTERRUPTED, or another error; an error that
 * names a scenario key is located in that scenario's files (cc_scenario_locate). */
int cc_run(const cc_scenario *scenarios, int nscenarios, const cc_run_options *options,
           cc_results *res, cc_error *err);

/* cc_run for a results file at path: its temporary file is created first and every block of
 * rows is written to its per-replication datasets as it completes (res streamed: memory does
 * not grow with replications); cc_results_write(res, ..., path, ...) then completes the file
 * and moves it into place. On failure, and when res is freed unwritten, the temporary file is
 * removed. Check the target first (cc_results_check_target). */
int cc_run_to_file(const cc_scenario *scenarios, int nscenarios, const cc_run_options *options, const char *path,
                   cc_results *res, cc_error *err);

/* What cc_run_to_file will need, in bytes, estimated before it starts (the same estimate that
 * refuses a run that would not fit): the peak memory of its results on options->threads threads
 * (rows, summaries, coverage values; not the program, its tables and libraries), and the disk
 * space of its per-replication datasets (the bulk of the file). */
void cc_run_estimate(const cc_scenario *scenarios, int nscenarios, const cc_run_options *options, double *memory,
                     double *disk);

#endif
