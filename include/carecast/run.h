/* The Monte Carlo driver: replications in parallel (OpenMP), each with its own random
 * streams keyed by replication, collected in replication order into cc_results. */
#ifndef CARECAST_RUN_H
#define CARECAST_RUN_H

#include <signal.h>

#include "carecast/results.h"
#include "carecast/scenario.h"

typedef void (*cc_progress_fn)(long done, long total, void *user);

typedef struct {
    int threads;                        /* 0: OpenMP's default */
    cc_progress_fn progress;            /* called from the calling thread; may be NULL */
    void *progress_user;
    volatile sig_atomic_t *interrupted; /* checked between blocks; may be NULL */
} cc_run_options;

/* The number of threads a run with options.threads = requested uses (0: all cores). */
int cc_run_threads(int requested);

/* Run every scenario for scenarios[0].replications replications into res (initialised
 * here; free with cc_results_free). Returns 0, CC_ERR_INTERRUPTED, or another error. */
int cc_run(const cc_scenario *scenarios, int nscenarios, const cc_run_options *options,
           cc_results *res, cc_error *err);

#endif
