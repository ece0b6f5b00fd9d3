/* The distributed run's private parts (src/run/mpi.c): replication rows packed into flat
 * buffers of doubles (what one rank sends rank 0), and the loop that spreads a scenario's
 * replications over the ranks. The packing is plain C and built in every configuration (its
 * unit test runs in the serial build); the loop needs MPI (CC_HAVE_MPI). */
#ifndef CARECAST_RUN_DISTRIBUTED_H
#define CARECAST_RUN_DISTRIBUTED_H

#include <stddef.h>

#include "carecast/coverage_row.h"
#include "carecast/demand_row.h"
#include "carecast/options.h"
#include "carecast/population_row.h"
#include "carecast/results.h"

/* Doubles one replication's rows take packed: the population row, the demand row (NULL: none)
 * and the coverage row (NULL: not a coverage replication). */
size_t cc_rows_packed_size(const cc_population_row *population, const cc_demand_row *demand,
                           const cc_coverage_row *coverage);

/* Pack one replication's rows at out; returns the end of what was written (out + size). */
double *cc_rows_pack(double *out, const cc_population_row *population, const cc_demand_row *demand,
                     const cc_coverage_row *coverage);

/* Unpack rows packed by cc_rows_pack into rows allocated with the same shape (years, target
 * years, schemes, doctors); demand/coverage NULL exactly when they were NULL when packed.
 * Returns the end of what was read. */
const double *cc_rows_unpack(const double *in, cc_population_row *population, cc_demand_row *demand,
                             cc_coverage_row *coverage);

/* Run the rows of replications [first, first + n) of the scenario in hand into the block's rows
 * [0, n); fills err and returns its code on failure. */
typedef int (*cc_block_fn)(void *job, int first, int n, cc_error *err);

/* The rows of one block: `capacity` of each; demand NULL without demand, coverage NULL without
 * coverage; replications below coverage_replications have a coverage row. */
typedef struct {
    cc_population_row *population;
    cc_demand_row *demand;
    cc_coverage_row *coverage;
    int capacity;
    long coverage_replications;
} cc_block_rows;

/* Add rows [0, n) of the block, replications first..first + n - 1, to scenario sc of res in
 * replication order (a streamed store writes a completed block to its file). Returns 0, or the
 * store's code with err filled (the file's error for a block that could not be written). */
int cc_block_rows_add(cc_results *res, int sc, const cc_block_rows *rows, long first, long n, cc_error *err);

/* Every replication of scenario sc over the ranks (cc_ranks_size() > 1): in rounds of up to
 * size x capacity replications, each rank runs a contiguous share of the round through
 * run_block (rank k the k-th share), all agree on the outcome, then every rank sends its rows
 * to rank 0, which adds them to res in replication order (so the store is the one a single
 * process fills) and reports progress. Returns 0 or the agreed error (the same on every rank). */
int cc_ranks_run_replications(cc_block_fn run_block, void *job, const cc_block_rows *rows,
                              const cc_run_options *options, cc_results *res, int sc, long *done, long total,
                              cc_error *err);

#endif
