/* Philox4x32 streams for GSL (see include/carecast/rng.h). The gsl_rng_type comes from
 * Random123's adapter macro; seeding writes the Philox key and counter directly, because the
 * adapter's own gsl_rng_set takes only a 32-bit key. */
#include "carecast/rng.h"

#include <Random123/philox.h>
#include <Random123/conventional/gsl_cbrng.h>

GSL_CBRNG(cc_philox, philox4x32);

gsl_rng *cc_rng_alloc(void)
{
    return gsl_rng_alloc(gsl_rng_cc_philox);
}

void cc_rng_set_stream(gsl_rng *rng, uint64_t seed, uint32_t replication, uint32_t purpose,
                       uint32_t entity)
{
    cc_philox_state *state = rng->state;
    gsl_rng_set(rng, 0); /* resets the buffered block and zeroes key and counter */
    state->key.v[0] = (uint32_t)(seed & 0xffffffffu);
    state->key.v[1] = (uint32_t)(seed >> 32);
    state->ctr.v[0] = 0;
    state->ctr.v[1] = entity;
    state->ctr.v[2] = replication;
    state->ctr.v[3] = purpose;
}
