/* Philox4x32-10 streams for GSL (see include/carecast/rng.h). The gsl_rng_type is our own:
 * Random123's GSL adapter (conventional/gsl_cbrng.h) carries into the next counter word
 * whenever that word is zero, not only when the word below wraps, which would mix the
 * replication and purpose words into the draw counter. Here only word 0 counts draws; words
 * 1-3 hold (entity, replication, purpose) and never change within a stream. */
#include "carecast/rng.h"

#include <Random123/philox.h>
#include <string.h>

typedef struct {
    philox4x32_ctr_t ctr;   /* v[0]: block counter; v[1..3]: entity, replication, purpose */
    philox4x32_key_t key;   /* the 64-bit master seed */
    philox4x32_ctr_t block; /* the current block of four 32-bit outputs */
    int left;               /* outputs of `block` not yet used */
} philox_state;

/* A new block of four outputs (every fourth output: kept out of line so philox_next inlines). */
static void philox_refill(philox_state *st)
{
    st->block = philox4x32(st->ctr, st->key);
    st->ctr.v[0]++;
    st->left = 4;
}

/* The next 32-bit output; inlined into both of GSL's entry points (a uniform is one call). */
static inline uint32_t philox_next(philox_state *st)
{
    if (st->left == 0)
        philox_refill(st);
    return st->block.v[--st->left];
}

static unsigned long int philox_get(void *vstate)
{
    return philox_next(vstate);
}

static double philox_get_double(void *vstate)
{
    return philox_next(vstate) / 4294967296.0;
}

static void philox_set(void *vstate, unsigned long int seed)
{
    philox_state *st = vstate;
    memset(st, 0, sizeof *st);
    st->key.v[0] = (uint32_t)seed;
}

static const gsl_rng_type philox_type = {"cc_philox4x32", 0xffffffffUL, 0, sizeof(philox_state),
                                         &philox_set, &philox_get, &philox_get_double};

gsl_rng *cc_rng_alloc(void)
{
    return gsl_rng_alloc(&philox_type);
}

void cc_rng_set_stream(gsl_rng *rng, uint64_t seed, uint32_t replication, uint32_t purpose,
                       uint32_t entity)
{
    philox_state *st = rng->state;
    memset(st, 0, sizeof *st);
    st->key.v[0] = (uint32_t)(seed & 0xffffffffu);
    st->key.v[1] = (uint32_t)(seed >> 32);
    st->ctr.v[1] = entity;
    st->ctr.v[2] = replication;
    st->ctr.v[3] = purpose;
}
