/* Distributed runs over MPI ranks (Open MPI; a program built with `make MPI=1`, which defines
 * CC_HAVE_MPI). cc_run splits each scenario's replications over the ranks; rank 0 gathers the
 * rows in replication order and is the only one that holds results to write. Without MPI
 * (the serial build) there is one rank and none of these calls communicates.
 *
 * Every rank must call cc_ranks_agree at the same points (cc_run calls it after each round of
 * blocks; a program calls it once more before it exits): a rank that fails skips straight to
 * its next call, which then tells every other rank, so no rank waits for one that has stopped. */
#ifndef CARECAST_RANKS_H
#define CARECAST_RANKS_H

#include "carecast/error.h"

/* Start MPI (from the main thread, before anything else; threads never call MPI). Returns 0, or
 * CC_ERR_USAGE when MPI cannot start. Without MPI: nothing, 0. */
int cc_ranks_init(int *argc, char ***argv);

/* This process's rank (0 ... size - 1) and the number of ranks; 0 and 1 without MPI or before
 * cc_ranks_init. */
int cc_ranks_rank(void);
int cc_ranks_size(void);

/* Agree on an outcome: status is this rank's (0: fine; anything else: failed, with err filled).
 * Returns 0 when every rank passed 0; otherwise the status of the lowest failing rank, whose
 * error is copied into *err on every rank and whose number goes to *failed_rank (may be NULL).
 * Once a failure has been agreed, later calls return it again without communicating (every
 * rank is then on its way out). */
int cc_ranks_agree(int status, cc_error *err, int *failed_rank);

/* Whether every rank holds the same value (e.g. how many scenarios it will run): called by every
 * rank at the same point, right after an agreement they all passed. Returns 0, or CC_ERR_USAGE on
 * every rank with err naming `what` and the range of values. One rank: 0. */
int cc_ranks_same(long value, const char *what, cc_error *err);

/* End MPI (every rank, once, at the end of the program). */
void cc_ranks_finalize(void);

#endif
