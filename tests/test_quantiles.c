/* Quantiles by selection (summaries.c, issue 13): cc_stats_quantiles must give, bit for bit,
 * what sorting each cell and interpolating between order statistics gives
 * (gsl_sort + gsl_stats_quantile_from_sorted_data), with ties, NaN left out, every size from
 * 1 to a few hundred, and cells laid out as [scenario][replication][cell]. */
#include "testutil.h"

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "carecast/summaries.h"

/* Expected quantiles of one cell by a full sort. */
static void sorted_quantiles(const double *data, int reps, size_t cells, size_t c, double *out)
{
    double *column = malloc((size_t)reps * sizeof *column + 1);
    size_t n = 0;
    for (int r = 0; r < reps; r++)
        if (!isnan(data[(size_t)r * cells + c]))
            column[n++] = data[(size_t)r * cells + c];
    gsl_sort(column, 1, n);
    for (int q = 0; q < CC_QUANTILES; q++)
        out[q] = n > 0 ? gsl_stats_quantile_from_sorted_data(column, 1, n, cc_quantile_levels[q]) : NAN;
    free(column);
}

static void test_selection_equals_sort(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    enum { CELLS = 4 };
    for (int reps = 1; reps <= 400; reps += reps < 40 ? 1 : 37) {
        double *data = malloc((size_t)reps * CELLS * sizeof *data), out[CC_QUANTILES * CELLS];
        for (int r = 0; r < reps; r++) {
            data[r * CELLS + 0] = gsl_rng_uniform(rng);                 /* distinct */
            data[r * CELLS + 1] = (double)gsl_rng_uniform_int(rng, 5);  /* many ties */
            data[r * CELLS + 2] = reps - r;                             /* decreasing */
            data[r * CELLS + 3] = gsl_rng_uniform(rng) < 0.3 ? NAN : gsl_rng_uniform_int(rng, 50) * 0.5;
        }
        assert_int_equal(cc_stats_quantiles(data, 1, reps, CELLS, out, 2), 0);
        for (size_t c = 0; c < CELLS; c++) {
            double expected[CC_QUANTILES];
            sorted_quantiles(data, reps, CELLS, c, expected);
            for (int q = 0; q < CC_QUANTILES; q++) {
                double got = out[q * CELLS + c];
                if (!(isnan(got) && isnan(expected[q])) && memcmp(&got, &expected[q], sizeof got) != 0) {
                    print_error("%d replications, cell %zu, quantile %d: %.17g, sorted %.17g\n", reps, c, q, got,
                                expected[q]);
                    fail();
                }
            }
        }
        free(data);
    }
    gsl_rng_free(rng);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_selection_equals_sort)};
    return TU_RUN_TESTS(tests, argc, argv);
}
