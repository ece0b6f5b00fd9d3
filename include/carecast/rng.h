/* Random streams: Random123's Philox4x32-10 counter-based generator behind GSL's gsl_rng
 * interface, one stream per (master seed, replication, purpose, entity). No stream depends
 * on the thread that draws from it, so results do not depend on the thread count, and the
 * streams of one purpose are the same whatever else a run simulates (common random numbers). */
#ifndef CARECAST_RNG_H
#define CARECAST_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* Purposes: never renumber (results would change); add new ones at the end. */
typedef enum {
    CC_STREAM_DEATHS = 1,
    CC_STREAM_BIRTHS = 2,
    CC_STREAM_MIGRATION = 3,
    CC_STREAM_MORTALITY_INDEX = 4,
    CC_STREAM_FERTILITY_LEVEL = 5,
    CC_STREAM_MIGRATION_LEVEL = 6,
    CC_STREAM_DEMAND_PARAMS = 7,
    CC_STREAM_DEMAND_COUNTS = 8,
    /* coverage: the entity word is (target-year index << 20) | patient slot or doctor, so each
     * target year, patient slot and doctor has its own stream whatever the scheme */
    CC_STREAM_COVERAGE_PATIENTS = 9,
    CC_STREAM_COVERAGE_ABSENCES = 10
} cc_stream_purpose;

/* A Philox generator for GSL's distributions; free with gsl_rng_free. NULL if out of memory. */
gsl_rng *cc_rng_alloc(void);

/* Point rng at the start of the stream (seed, replication, purpose, entity). The 64-bit seed
 * is Philox's key; the counter is {block, entity, replication, purpose}: block j of the stream
 * is philox4x32({j, entity, replication, purpose}, seed), its four 32-bit words used last to
 * first. A stream holds 2^32 blocks (2^34 numbers) before it would wrap. */
void cc_rng_set_stream(gsl_rng *rng, uint64_t seed, uint32_t replication, uint32_t purpose,
                       uint32_t entity);

#endif
