/* Unit tests of the distributed run's row packing (src/run/mpi.c): what a rank sends rank 0
 * must come back bit for bit. Rows of every stage (population, demand with its draw, coverage
 * with several target years, schemes and doctors) are filled with distinct values, NaN and
 * infinities among them, packed one replication after another and unpacked into fresh rows of
 * the same shape. Plain C: runs in the serial build (no MPI needed). */
#include <stdlib.h>

#include "testutil.h"

#include "carecast/coverage_row.h"
#include "carecast/demand_row.h"
#include "carecast/population_row.h"
#include "carecast/ranks.h"
#include "run/distributed.h"

enum { YEARS = 4, TARGET_YEARS = 2, SCHEMES = 3, DOCTORS = 5 };

typedef struct {
    cc_population_row population;
    cc_demand_row demand;
    cc_coverage_row coverage;
} rows;

static double next_value(double *counter)
{
    *counter += 1.0;
    double k = *counter;
    /* special values go through too: the coverage stage writes NaN for undefined metrics */
    if ((long)k % 97 == 0)
        return NAN;
    if ((long)k % 89 == 0)
        return -INFINITY;
    return k * 0.37 - 1000.0;
}

static void fill(double *values, size_t n, double *counter)
{
    for (size_t i = 0; i < n; i++)
        values[i] = next_value(counter);
}

/* Rows of every stage; filled with values following *counter when counter is not NULL. */
static void rows_init(rows *r, double *counter)
{
    cc_coverage_params params;
    cc_coverage_layout layout;
    memset(&params, 0, sizeof params);
    memset(&layout, 0, sizeof layout);
    params.nyears = TARGET_YEARS;
    params.nschemes = SCHEMES;
    layout.ndoctors = DOCTORS;
    assert_int_equal(cc_population_row_init(&r->population, YEARS), 0);
    assert_int_equal(cc_demand_row_init(&r->demand, YEARS), 0);
    assert_int_equal(cc_coverage_row_init(&r->coverage, &params, &layout), 0);
    if (!counter)
        return;
    fill(r->population.series, (size_t)CC_SERIES_COUNT * YEARS * CC_SEX_AXIS, counter);
    fill(r->population.by_age, (size_t)YEARS * CC_SEX_AXIS * CC_AGES, counter);
    fill(r->demand.counts, (size_t)CC_DEMAND_SERIES * YEARS * CC_SEX_AXIS * CC_AGE_BANDS, counter);
    fill(r->demand.expected, (size_t)CC_DEMAND_SERIES * YEARS, counter);
    fill(r->demand.draw.multiplier, CC_RATE_SETTINGS, counter);
    fill(r->demand.draw.trend, CC_RATE_SETTINGS, counter);
    r->demand.draw.visits_per_patient_month = next_value(counter);
    r->demand.draw.dental_share = next_value(counter);
    r->demand.draw.enrolment_factor = next_value(counter);
    for (int y = 0; y < TARGET_YEARS; y++) {
        fill(r->coverage.year[y].year, CC_COV_METRICS, counter);
        fill(r->coverage.year[y].scheme, (size_t)SCHEMES * CC_SCH_METRICS, counter);
        fill(r->coverage.year[y].doctor, (size_t)SCHEMES * DOCTORS * CC_DOC_METRICS, counter);
    }
}

static void rows_free(rows *r)
{
    cc_population_row_free(&r->population);
    cc_demand_row_free(&r->demand);
    cc_coverage_row_free(&r->coverage);
}

/* Bit-identical (NaN included, which == would not see). */
static void assert_same_bits(const void *a, const void *b, size_t bytes)
{
    assert_memory_equal(a, b, bytes);
}

static void assert_rows_equal(const rows *a, const rows *b, int demand, int coverage)
{
    assert_same_bits(a->population.series, b->population.series,
                     sizeof(double) * CC_SERIES_COUNT * YEARS * CC_SEX_AXIS);
    assert_same_bits(a->population.by_age, b->population.by_age, sizeof(double) * YEARS * CC_SEX_AXIS * CC_AGES);
    if (demand) {
        assert_same_bits(a->demand.counts, b->demand.counts,
                         sizeof(double) * CC_DEMAND_SERIES * YEARS * CC_SEX_AXIS * CC_AGE_BANDS);
        assert_same_bits(a->demand.expected, b->demand.expected, sizeof(double) * CC_DEMAND_SERIES * YEARS);
        assert_same_bits(&a->demand.draw, &b->demand.draw, sizeof a->demand.draw);
    }
    for (int y = 0; coverage && y < TARGET_YEARS; y++) {
        assert_same_bits(a->coverage.year[y].year, b->coverage.year[y].year, sizeof(double) * CC_COV_METRICS);
        assert_same_bits(a->coverage.year[y].scheme, b->coverage.year[y].scheme,
                         sizeof(double) * SCHEMES * CC_SCH_METRICS);
        assert_same_bits(a->coverage.year[y].doctor, b->coverage.year[y].doctor,
                         sizeof(double) * SCHEMES * DOCTORS * CC_DOC_METRICS);
    }
}

/* Three replications one after another, as a block goes to rank 0: the first two with a
 * coverage row (coverage replications), the third without. */
static void test_block_round_trip(void **state)
{
    (void)state;
    rows sent[3], received[3];
    double counter = 0;
    size_t total = 0;
    for (int k = 0; k < 3; k++) {
        rows_init(&sent[k], &counter);
        rows_init(&received[k], NULL);
        total += cc_rows_packed_size(&sent[k].population, &sent[k].demand, k < 2 ? &sent[k].coverage : NULL);
    }
    double *buffer = malloc(total * sizeof *buffer), *end = buffer;
    assert_non_null(buffer);
    for (int k = 0; k < 3; k++)
        end = cc_rows_pack(end, &sent[k].population, &sent[k].demand, k < 2 ? &sent[k].coverage : NULL);
    assert_ptr_equal(end, buffer + total); /* the size said is the size written */
    const double *in = buffer;
    for (int k = 0; k < 3; k++)
        in = cc_rows_unpack(in, &received[k].population, &received[k].demand, k < 2 ? &received[k].coverage : NULL);
    assert_ptr_equal(in, buffer + total);
    for (int k = 0; k < 3; k++)
        assert_rows_equal(&sent[k], &received[k], 1, k < 2);
    /* the third replication's coverage row was not sent: it stays as allocated (zeros) */
    assert_double_equal(received[2].coverage.year[0].scheme[0], 0.0, 0.0);
    for (int k = 0; k < 3; k++) {
        rows_free(&sent[k]);
        rows_free(&received[k]);
    }
    free(buffer);
}

/* Without demand (a population-only run) only the population row travels. */
static void test_population_only(void **state)
{
    (void)state;
    rows sent, received;
    double counter = 1000;
    rows_init(&sent, &counter);
    rows_init(&received, NULL);
    size_t size = cc_rows_packed_size(&sent.population, NULL, NULL);
    assert_int_equal(size, (size_t)YEARS * CC_SEX_AXIS * (CC_SERIES_COUNT + CC_AGES));
    double *buffer = malloc(size * sizeof *buffer);
    assert_non_null(buffer);
    assert_ptr_equal(cc_rows_pack(buffer, &sent.population, NULL, NULL), buffer + size);
    assert_ptr_equal(cc_rows_unpack(buffer, &received.population, NULL, NULL), buffer + size);
    assert_rows_equal(&sent, &received, 0, 0);
    assert_double_equal(received.demand.expected[0], 0.0, 0.0); /* untouched */
    rows_free(&sent);
    rows_free(&received);
    free(buffer);
}

/* The sizes grow by exactly what each stage adds: a missing array would shrink them. */
static void test_sizes(void **state)
{
    (void)state;
    rows r;
    rows_init(&r, NULL);
    size_t population = cc_rows_packed_size(&r.population, NULL, NULL);
    size_t demand = cc_rows_packed_size(&r.population, &r.demand, NULL) - population;
    size_t coverage = cc_rows_packed_size(&r.population, &r.demand, &r.coverage) - population - demand;
    size_t draw_doubles = (sizeof r.demand.draw + sizeof(double) - 1) / sizeof(double);
    assert_int_equal(demand, (size_t)CC_DEMAND_SERIES * YEARS * (CC_SEX_AXIS * CC_AGE_BANDS + 1) + draw_doubles);
    assert_int_equal(coverage, (size_t)TARGET_YEARS *
                                   (CC_COV_METRICS + SCHEMES * (CC_SCH_METRICS + (size_t)DOCTORS * CC_DOC_METRICS)));
    rows_free(&r);
}

/* Without MPI there is one rank, and a failure agreed once stays agreed. */
static void test_one_rank(void **state)
{
    (void)state;
    cc_error err, other;
    int rank = -1;
    assert_int_equal(cc_ranks_size(), 1);
    assert_int_equal(cc_ranks_rank(), 0);
    cc_error_clear(&err);
    assert_int_equal(cc_ranks_agree(0, &err, &rank), 0);
    cc_error_set(&err, CC_ERR_IO, "x.h5", 0, NULL, "disk full");
    assert_int_equal(cc_ranks_agree(CC_ERR_IO, &err, &rank), CC_ERR_IO);
    assert_int_equal(rank, 0);
    cc_error_clear(&other);
    assert_int_equal(cc_ranks_agree(0, &other, NULL), CC_ERR_IO);
    assert_string_equal(other.message, "disk full");
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_round_trip),
        cmocka_unit_test(test_population_only),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_one_rank),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
