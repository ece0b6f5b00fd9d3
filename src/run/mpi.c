/* Distributed runs (README "Running on a cluster"): the ranks of an MPI job share each
 * scenario's replications; rank 0 gathers the rows in replication order and alone writes the
 * file, with serial HDF5, so the file is the one a single process writes (the random streams
 * are keyed by replication, never by rank or thread).
 *
 * How ranks stay in step: every rank calls cc_ranks_agree at the same points, and a rank that
 * fails goes straight to its next call with its error; that call tells every rank (the lowest
 * failing rank's error wins), and all of them unwind. So an error on any rank ends the run on
 * every rank with one message (rank 0 prints it) and no rank waits for one that has stopped;
 * MPI_Abort is left for what cannot be agreed (MPI itself failing).
 *
 * The row packing below is plain C, built without MPI too (its unit test runs in every build). */
#include "distributed.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carecast/ranks.h"

#ifdef CC_HAVE_MPI
#include <mpi.h>
#endif

/* ---- rows packed into flat buffers of doubles ------------------------------------------------ */

/* Doubles that hold an object of `bytes` bytes (the demand draw is copied as bytes). */
static size_t doubles_for(size_t bytes)
{
    return (bytes + sizeof(double) - 1) / sizeof(double);
}

static size_t population_size(const cc_population_row *p)
{
    return (size_t)p->years * CC_SEX_AXIS * (CC_SERIES_COUNT + CC_AGES);
}

static size_t demand_size(const cc_demand_row *d)
{
    return (size_t)d->years * CC_DEMAND_SERIES * (CC_SEX_AXIS * CC_AGE_BANDS + 1) + doubles_for(sizeof d->draw);
}

static size_t coverage_result_size(const cc_coverage_result *r)
{
    return CC_COV_METRICS + (size_t)r->nschemes * (CC_SCH_METRICS + (size_t)r->ndoctors * CC_DOC_METRICS);
}

size_t cc_rows_packed_size(const cc_population_row *population, const cc_demand_row *demand,
                           const cc_coverage_row *coverage)
{
    size_t n = population_size(population) + (demand ? demand_size(demand) : 0);
    for (int y = 0; coverage && y < coverage->nyears; y++)
        n += coverage_result_size(&coverage->year[y]);
    return n;
}

/* Copy count doubles from src to dst; returns dst + count. */
static double *put(double *dst, const double *src, size_t count)
{
    memcpy(dst, src, count * sizeof *dst);
    return dst + count;
}

static const double *get(double *dst, const double *src, size_t count)
{
    memcpy(dst, src, count * sizeof *dst);
    return src + count;
}

double *cc_rows_pack(double *out, const cc_population_row *population, const cc_demand_row *demand,
                     const cc_coverage_row *coverage)
{
    size_t years = (size_t)population->years;
    out = put(out, population->series, (size_t)CC_SERIES_COUNT * years * CC_SEX_AXIS);
    out = put(out, population->by_age, years * CC_SEX_AXIS * CC_AGES);
    if (demand) {
        size_t draw = doubles_for(sizeof demand->draw);
        out = put(out, demand->counts, (size_t)CC_DEMAND_SERIES * demand->years * CC_SEX_AXIS * CC_AGE_BANDS);
        out = put(out, demand->expected, (size_t)CC_DEMAND_SERIES * demand->years);
        memset(out, 0, draw * sizeof *out); /* the padding of the last double is defined */
        memcpy(out, &demand->draw, sizeof demand->draw);
        out += draw;
    }
    for (int y = 0; coverage && y < coverage->nyears; y++) {
        const cc_coverage_result *r = &coverage->year[y];
        out = put(out, r->year, CC_COV_METRICS);
        out = put(out, r->scheme, (size_t)r->nschemes * CC_SCH_METRICS);
        out = put(out, r->doctor, (size_t)r->nschemes * r->ndoctors * CC_DOC_METRICS);
    }
    return out;
}

const double *cc_rows_unpack(const double *in, cc_population_row *population, cc_demand_row *demand,
                             cc_coverage_row *coverage)
{
    size_t years = (size_t)population->years;
    in = get(population->series, in, (size_t)CC_SERIES_COUNT * years * CC_SEX_AXIS);
    in = get(population->by_age, in, years * CC_SEX_AXIS * CC_AGES);
    if (demand) {
        in = get(demand->counts, in, (size_t)CC_DEMAND_SERIES * demand->years * CC_SEX_AXIS * CC_AGE_BANDS);
        in = get(demand->expected, in, (size_t)CC_DEMAND_SERIES * demand->years);
        memcpy(&demand->draw, in, sizeof demand->draw);
        in += doubles_for(sizeof demand->draw);
    }
    for (int y = 0; coverage && y < coverage->nyears; y++) {
        cc_coverage_result *r = &coverage->year[y];
        in = get(r->year, in, CC_COV_METRICS);
        in = get(r->scheme, in, (size_t)r->nschemes * CC_SCH_METRICS);
        in = get(r->doctor, in, (size_t)r->nschemes * r->ndoctors * CC_DOC_METRICS);
    }
    return in;
}

/* ---- ranks ------------------------------------------------------------------------------------ */

/* What a rank tells the others at an agreement point. */
typedef struct {
    int status, rank;
    cc_error err;
} outcome;

/* (distributed.h) Also the serial driver's: one place for adding in order and file errors. */
int cc_block_rows_add(cc_results *res, int sc, const cc_block_rows *rows, long first, long n, cc_error *err)
{
    for (long k = 0; k < n; k++) {
        long rep = first + k;
        cc_row row = {&rows->population[k], rows->demand ? &rows->demand[k] : NULL,
                      rows->coverage && rep < rows->coverage_replications ? &rows->coverage[k] : NULL};
        int ret = cc_results_add_row(res, sc, (int)rep, &row);
        if (ret != 0 && ret != CC_ERR_USAGE) { /* a streamed block could not be written to the file */
            *err = res->file_error;
            return ret;
        }
        if (ret != 0)
            return cc_error_set(err, ret, NULL, 0, NULL, "a row of replication %ld does not fit the results", rep);
    }
    return 0;
}

static int my_rank = 0, nranks = 1;
static outcome agreed = {0, -1, {0}}; /* the failure agreed on, once there is one */

int cc_ranks_rank(void)
{
    return my_rank;
}

int cc_ranks_size(void)
{
    return nranks;
}

#ifdef CC_HAVE_MPI

static outcome *gathered; /* rank 0: one outcome per rank (allocated once, at the start) */

int cc_ranks_init(int *argc, char ***argv)
{
    int provided = 0;
    /* Only the main thread calls MPI (OpenMP threads run replications, never MPI). */
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return CC_ERR_USAGE;
    MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    if (my_rank == 0 && !(gathered = calloc((size_t)nranks, sizeof *gathered)))
        MPI_Abort(MPI_COMM_WORLD, 1); /* no way to tell the others otherwise */
    return 0;
}

void cc_ranks_finalize(void)
{
    free(gathered);
    gathered = NULL;
    MPI_Finalize();
}

/* Wait until every rank has arrived, asleep: MPI's blocking calls spin, and a rank that waits
 * (for rank 0 writing the file, for a slower rank's block) should leave its core to the ranks
 * and threads still working, which matters most when ranks share cores. */
static void wait_for_every_rank(void)
{
    MPI_Request request;
    int arrived = 0;
    MPI_Ibarrier(MPI_COMM_WORLD, &request);
    for (MPI_Test(&request, &arrived, MPI_STATUS_IGNORE); !arrived;
         MPI_Test(&request, &arrived, MPI_STATUS_IGNORE))
        nanosleep(&(struct timespec){0, 1000000}, NULL); /* 1 ms: rounds take far longer */
}

int cc_ranks_agree(int status, cc_error *err, int *failed_rank)
{
    if (agreed.status == 0 && nranks > 1) {
        wait_for_every_rank();
        outcome mine = {status, my_rank, {0}};
        if (status != 0)
            mine.err = *err;
        MPI_Gather(&mine, (int)sizeof mine, MPI_BYTE, gathered, (int)sizeof mine, MPI_BYTE, 0, MPI_COMM_WORLD);
        outcome first = {0, -1, {0}};
        for (int k = 0; my_rank == 0 && k < nranks; k++)
            if (gathered[k].status != 0) {
                first = gathered[k];
                break;
            }
        MPI_Bcast(&first, (int)sizeof first, MPI_BYTE, 0, MPI_COMM_WORLD);
        agreed = first;
    } else if (agreed.status == 0 && status != 0) { /* one rank: nothing to tell */
        agreed = (outcome){status, 0, *err};
    }
    if (agreed.status != 0) {
        *err = agreed.err;
        if (failed_rank)
            *failed_rank = agreed.rank;
    }
    return agreed.status;
}

enum { ROWS_TAG = 1 };

int cc_ranks_same(long value, const char *what, cc_error *err)
{
    long lo = value, hi = value;
    MPI_Allreduce(&value, &lo, 1, MPI_LONG, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(&value, &hi, 1, MPI_LONG, MPI_MAX, MPI_COMM_WORLD);
    if (lo == hi)
        return 0;
    char range[64] = ""; /* a count is worth showing; a hash is not */
    if (lo >= 0 && hi <= 1000000000L)
        snprintf(range, sizeof range, " (from %ld to %ld)", lo, hi);
    return cc_error_set(err, CC_ERR_USAGE, NULL, 0, NULL, "the %d ranks do not agree on %s%s: do they all read the "
                        "same tables and options?", nranks, what, range);
}

/* Replications [*first, *first + *n) of rank k in the round [start, start + round). */
static void share(long start, long round, int k, long *first, long *n)
{
    *first = start + round * k / nranks;
    *n = start + round * (k + 1) / nranks - *first;
}

/* Doubles of rows [0, n) holding replications first... packed. */
static size_t block_size(const cc_block_rows *rows, long first, long n)
{
    size_t size = 0;
    for (long k = 0; k < n; k++)
        size += cc_rows_packed_size(&rows->population[k], rows->demand ? &rows->demand[k] : NULL,
                                    rows->coverage && first + k < rows->coverage_replications ? &rows->coverage[k]
                                                                                             : NULL);
    return size;
}

/* Rank k > 0: its rows of the round to rank 0. */
static void send_rows(const cc_block_rows *rows, long first, long n, double *buffer)
{
    double *end = buffer;
    for (long k = 0; k < n; k++)
        end = cc_rows_pack(end, &rows->population[k], rows->demand ? &rows->demand[k] : NULL,
                           rows->coverage && first + k < rows->coverage_replications ? &rows->coverage[k] : NULL);
    MPI_Send(buffer, (int)(end - buffer), MPI_DOUBLE, 0, ROWS_TAG, MPI_COMM_WORLD);
}

/* Rank 0: its own rows of the round, then every other rank's, in rank (= replication) order.
 * Receives every message even after a failure, so that no sender is left waiting. */
static int gather_rows(cc_results *res, int sc, const cc_block_rows *rows, long start, long round,
                       double *buffer, int capacity_doubles, cc_error *err)
{
    long first, n;
    share(start, round, 0, &first, &n);
    int status = cc_block_rows_add(res, sc, rows, first, n, err);
    for (int k = 1; k < nranks; k++) {
        share(start, round, k, &first, &n);
        if (n == 0)
            continue;
        MPI_Status st;
        int count = 0;
        MPI_Recv(buffer, capacity_doubles, MPI_DOUBLE, k, ROWS_TAG, MPI_COMM_WORLD, &st);
        MPI_Get_count(&st, MPI_DOUBLE, &count);
        if (status != 0)
            continue;
        if ((size_t)count != block_size(rows, first, n)) {
            status = cc_error_set(err, CC_ERR_USAGE, NULL, 0, NULL, "rank %d sent %d values for replications "
                                  "%ld-%ld, not %zu: are all ranks running the same carecast?", k, count, first,
                                  first + n - 1, block_size(rows, first, n));
            continue;
        }
        const double *in = buffer;
        for (long j = 0; j < n; j++)
            in = cc_rows_unpack(in, &rows->population[j], rows->demand ? &rows->demand[j] : NULL,
                                rows->coverage && first + j < rows->coverage_replications ? &rows->coverage[j]
                                                                                         : NULL);
        status = cc_block_rows_add(res, sc, rows, first, n, err);
    }
    return status;
}

int cc_ranks_run_replications(cc_block_fn run_block, void *job, const cc_block_rows *rows,
                              const cc_run_options *options, cc_results *res, int sc, long *done, long total,
                              cc_error *err)
{
    long reps = options->replications, step = (long)nranks * rows->capacity;
    /* the largest message: a whole block of rows, each with a coverage row if any has one */
    size_t per_rep = cc_rows_packed_size(&rows->population[0], rows->demand ? &rows->demand[0] : NULL,
                                         rows->coverage && rows->coverage_replications > 0 ? &rows->coverage[0]
                                                                                           : NULL);
    size_t capacity = per_rep * (size_t)rows->capacity;
    double *buffer = capacity <= INT_MAX ? malloc(capacity * sizeof *buffer) : NULL;
    int status = buffer ? 0 : cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "no memory for a block's "
                                           "message on rank %d", my_rank);
    for (long start = 0; start < reps || (start == 0 && reps == 0); start += step) {
        long round = reps - start < step ? reps - start : step, first, n;
        share(start, round, my_rank, &first, &n);
        if (status == 0 && options->interrupted && *options->interrupted)
            status = cc_error_set(err, CC_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
        if (status == 0 && n > 0)
            status = run_block(job, (int)first, (int)n, err);
        if ((status = cc_ranks_agree(status, err, NULL)) != 0)
            break;
        if (my_rank != 0 && n > 0)
            send_rows(rows, first, n, buffer);
        else if (my_rank == 0)
            status = gather_rows(res, sc, rows, start, round, buffer, (int)capacity, err);
        if ((status = cc_ranks_agree(status, err, NULL)) != 0 || round == 0)
            break;
        *done += round;
        if (my_rank == 0 && options->progress)
            options->progress(*done, total, options->progress_user);
    }
    free(buffer);
    return status;
}

#else /* one process */

int cc_ranks_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

void cc_ranks_finalize(void)
{
}

int cc_ranks_agree(int status, cc_error *err, int *failed_rank)
{
    if (agreed.status == 0 && status != 0)
        agreed = (outcome){status, 0, *err};
    if (agreed.status != 0) {
        *err = agreed.err;
        if (failed_rank)
            *failed_rank = 0;
    }
    return agreed.status;
}

int cc_ranks_same(long value, const char *what, cc_error *err)
{
    (void)value, (void)what, (void)err;
    return 0;
}

int cc_ranks_run_replications(cc_block_fn run_block, void *job, const cc_block_rows *rows,
                              const cc_run_options *options, cc_results *res, int sc, long *done, long total,
                              cc_error *err)
{
    (void)run_block, (void)job, (void)rows, (void)options, (void)res, (void)sc, (void)done, (void)total;
    return cc_error_set(err, CC_ERR_USAGE, NULL, 0, NULL, "this carecast was built without MPI (make MPI=1)");
}

#endif
