/* Run options: how a run draws and is driven, apart from any model's parameters.
 * The [simulation] keys of a scenario (seed, replications, expected_values) are loaded into
 * one of these; the caller adds threads, a progress callback and an interrupt flag. Models take
 * it (for the seed of their streams and expected_values) beside their own parameter struct. */
#ifndef CARECAST_OPTIONS_H
#define CARECAST_OPTIONS_H

#include <signal.h>
#include <stdint.h>

typedef void (*cc_progress_fn)(long done, long total, void *user);

typedef struct {
    uint64_t seed;        /* master seed of every random stream */
    long replications;    /* Monte Carlo replications */
    int expected_values;  /* 1: every random draw replaced by its expectation (a check) */
    int threads;          /* OpenMP threads; 0: OpenMP's default. Results do not depend on it */
    cc_progress_fn progress;            /* called from the calling thread; may be NULL */
    void *progress_user;
    volatile sig_atomic_t *interrupted; /* checked between blocks and while writing; may be NULL */
} cc_run_options;

#endif
