/* Unit tests of the capacity search (src/capacity/search.c): on monotone criteria it returns
 * what brute force finds with fewer evaluations; on a criterion that is not monotone among the
 * sizes it visits it says so instead of returning a size; edge cases (none in range, the
 * lowest size, an error from the criterion, the limit names). */
#include "testutil.h"

#include "carecast/capacity.h"

typedef struct {
    int threshold;   /* monotone: holds from here on */
    int calls;
    int hole_lo, hole_hi; /* not monotone: fails again in [hole_lo, hole_hi] */
    int error_at;    /* returns CC_ERR_NUMERIC here (-1: never) */
} toy;

static int toy_criterion(int size, void *user)
{
    toy *t = user;
    t->calls++;
    if (size == t->error_at)
        return CC_ERR_NUMERIC;
    if (size >= t->hole_lo && size <= t->hole_hi)
        return 0;
    return size >= t->threshold;
}

static int brute_force(int lo, int hi, toy *t)
{
    for (int k = lo; k <= hi; k++)
        if (toy_criterion(k, t) > 0)
            return k;
    return -1;
}

static void test_monotone_matches_brute_force_with_fewer_evaluations(void **state)
{
    (void)state;
    for (int hi = 1; hi <= 200; hi += 7)
        for (int threshold = 0; threshold <= hi + 1; threshold++) {
            toy t = {threshold, 0, -1, -2, -1}, b = t;
            cc_search_result r;
            assert_int_equal(cc_capacity_search(0, hi, toy_criterion, &t, &r), 0);
            int expected = brute_force(0, hi, &b);
            if (expected < 0) {
                assert_int_equal(r.status, CC_SEARCH_NONE);
                assert_int_equal(r.size, -1);
                assert_int_equal(r.evaluations, 1);
            } else {
                assert_int_equal(r.status, CC_SEARCH_FOUND);
                assert_int_equal(r.size, expected);
            }
            assert_int_equal(r.evaluations, t.calls);
            assert_int_equal(r.nvisited, r.evaluations); /* no size evaluated twice */
            if (hi >= 30) /* bisection and its checks: at most log2(hi) + 5, against hi + 1 sizes */
                assert_true(r.evaluations <= 13 && r.evaluations < hi + 1);
        }
}

/* 0..40 holds from 10, except 11..19 fail again: bisection lands on 10 (20 holds, 10 holds,
 * 5 fails, ...) and its check one above the answer (11) contradicts monotonicity. */
static void test_not_monotone_is_reported_not_a_wrong_size(void **state)
{
    (void)state;
    toy t = {10, 0, 11, 19, -1};
    cc_search_result r;
    assert_int_equal(cc_capacity_search(0, 40, toy_criterion, &t, &r), 0);
    assert_int_equal(r.status, CC_SEARCH_NOT_MONOTONE);
    assert_int_equal(r.size, -1);
    int passes_below_fail = 0;
    for (int i = 0; i < r.nvisited; i++)
        for (int j = 0; j < r.nvisited; j++)
            passes_below_fail |= r.outcome[i] && !r.outcome[j] && r.visited[i] < r.visited[j];
    assert_true(passes_below_fail);
}

/* A hole that the bisection never visits cannot be seen: the answer is the one above it, as
 * documented (the checks cover the answer's neighbours only). */
static void test_unvisited_hole_is_not_seen(void **state)
{
    (void)state;
    toy t = {3, 0, 30, 31, -1};
    cc_search_result r;
    cc_capacity_search(0, 64, toy_criterion, &t, &r);
    assert_int_equal(r.status, CC_SEARCH_FOUND);
    assert_int_equal(r.size, 3);
}

static void test_lowest_size_holds(void **state)
{
    (void)state;
    toy t = {0, 0, -1, -2, -1};
    cc_search_result r;
    cc_capacity_search(5, 9, toy_criterion, &t, &r);
    assert_int_equal(r.status, CC_SEARCH_FOUND);
    assert_int_equal(r.size, 5);
    assert_int_equal(r.evaluations, 3); /* hi, lo, lo + 1 */
}

static void test_single_size_range(void **state)
{
    (void)state;
    toy t = {4, 0, -1, -2, -1};
    cc_search_result r;
    cc_capacity_search(4, 4, toy_criterion, &t, &r);
    assert_int_equal(r.status, CC_SEARCH_FOUND);
    assert_int_equal(r.size, 4);
    cc_capacity_search(3, 3, toy_criterion, &t, &r);
    assert_int_equal(r.status, CC_SEARCH_NONE);
}

static void test_error_stops_the_search(void **state)
{
    (void)state;
    toy t = {7, 0, -1, -2, 0};
    cc_search_result r;
    assert_int_equal(cc_capacity_search(0, 20, toy_criterion, &t, &r), CC_ERR_NUMERIC);
    assert_int_equal(r.status, CC_SEARCH_ERROR);
    assert_int_equal(r.error, CC_ERR_NUMERIC);
    assert_int_equal(cc_capacity_search(5, 4, toy_criterion, &t, &r), CC_ERR_USAGE);
}

static void test_limit_names(void **state)
{
    (void)state;
    char buf[96];
    assert_string_equal(cc_capacity_limit_name(0, buf, sizeof buf), "none");
    assert_string_equal(cc_capacity_limit_name(CC_LIMIT_COVERAGE, buf, sizeof buf), "coverage");
    assert_string_equal(cc_capacity_limit_name(CC_LIMIT_DUTY_NIGHTS | CC_LIMIT_DISTURBED_NIGHTS, buf, sizeof buf),
                        "duty nights+disturbed nights");
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_monotone_matches_brute_force_with_fewer_evaluations),
        cmocka_unit_test(test_not_monotone_is_reported_not_a_wrong_size),
        cmocka_unit_test(test_unvisited_hole_is_not_seen),
        cmocka_unit_test(test_lowest_size_holds),
        cmocka_unit_test(test_single_size_range),
        cmocka_unit_test(test_error_stops_the_search),
        cmocka_unit_test(test_limit_names),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
