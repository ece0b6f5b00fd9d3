/* What the run module's files share (run.c, batch.c): the block size, the memory check and the
 * driver over a store the caller has set up. */
#ifndef CARECAST_RUN_INTERNAL_H
#define CARECAST_RUN_INTERNAL_H

#include "carecast/results.h"
#include "carecast/scenario.h"

#define CC_RUN_BLOCK 64 /* replications per block (and rows per block of a streamed store); does not affect results */

/* Refuse (CC_ERR_NOMEM, err filled) a run whose peak memory will not fit what is available:
 * in memory, or streamed (rows written as blocks complete), on `threads` threads (each holds a
 * column of values while the summaries sort). */
int cc_run_check_memory(const cc_scenario *scenarios, int nscenarios, long reps, int years, int streamed,
                        int threads, cc_error *err);

/* Every scenario's replications into res (initialised for them by the caller: in memory or
 * streamed), counting replications done from *done of total for options->progress. The caller
 * frees res on failure. */
int cc_run_into(const cc_scenario *scenarios, int nscenarios, const cc_run_options *options, cc_results *res,
                long *done, long total, cc_error *err);

#endif
