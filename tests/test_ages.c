/* Unit tests of age groups (src/ages.c): the checks (gaps, overlaps, the open group), and the
 * uniform and spline splits into single years: group totals kept (exactly with whole
 * counts), never negative, and the spline closer than uniform on a real single-year table. */
#include "testutil.h"

#include <math.h>

#include "carecast/ages.h"
#include "scenario/csv_table.h"

#define GROUPS_5Y 21 /* 0-4 ... 95-99, 100+ */

/* The standard 5-year groups with values v[0..20]; group i on source line i + 2. */
static void make_5y(cc_age_group g[GROUPS_5Y], const double v[GROUPS_5Y])
{
    for (int i = 0; i < GROUPS_5Y; i++)
        g[i] = (cc_age_group){5 * i, i == GROUPS_5Y - 1 ? CC_AGE_OPEN_END : 5 * i + 4, v ? v[i] : 1.0, i + 2};
}

/* Group totals of single-year values, in the 5-year layout. */
static void sum_5y(const double single[CC_AGES], double totals[GROUPS_5Y])
{
    for (int i = 0; i < GROUPS_5Y; i++)
        totals[i] = 0;
    for (int a = 0; a < CC_AGE_OPEN; a++)
        totals[a / 5] += single[a];
    totals[GROUPS_5Y - 1] = single[CC_AGE_OPEN];
}

static void assert_check_fails(const cc_age_group *g, int n, int line, const char *field)
{
    cc_error err;
    int ret = cc_age_groups_check(g, n, "pop.csv", &err);
    assert_cc_error(ret, &err, CC_ERR_TABLE, "pop.csv", line, field);
}

static void test_check_accepts_standard_groups(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    cc_error err;
    make_5y(g, NULL);
    assert_cc_ok(cc_age_groups_check(g, GROUPS_5Y, "pop.csv", &err), &err);
}

static void test_check_accepts_groups_above_100_merged(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y + 1];
    cc_error err;
    make_5y(g, NULL);
    g[20] = (cc_age_group){100, 104, 1, 22};
    g[21] = (cc_age_group){105, CC_AGE_OPEN_END, 1, 23};
    assert_cc_ok(cc_age_groups_check(g, GROUPS_5Y + 1, "pop.csv", &err), &err);
}

static void test_check_gap(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    make_5y(g, NULL);
    g[3].lo = 16; /* 15 missing; group 3 is on line 5 */
    assert_check_fails(g, GROUPS_5Y, 5, "age_lo");
}

static void test_check_gap_at_start(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    make_5y(g, NULL);
    g[0].lo = 1;
    assert_check_fails(g, GROUPS_5Y, 2, "age_lo");
}

static void test_check_overlap(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    make_5y(g, NULL);
    g[7].lo = 33; /* 33-39 after 30-34; line 9 */
    assert_check_fails(g, GROUPS_5Y, 9, "age_lo");
}

static void test_check_hi_below_lo(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    make_5y(g, NULL);
    g[4].hi = 18; /* 20-18; line 6 */
    assert_check_fails(g, GROUPS_5Y, 6, "age_hi");
}

static void test_check_no_open_group(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    make_5y(g, NULL);
    g[20].hi = 104; /* 100-104 closed: no open group; reported on the last line, 22 */
    assert_check_fails(g, GROUPS_5Y, 22, "age_hi");
    assert_check_fails(g, GROUPS_5Y - 1, 21, "age_hi"); /* table ending at 95-99 */
}

static void test_check_open_group_below_100(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    make_5y(g, NULL);
    g[18].hi = CC_AGE_OPEN_END; /* 90+ on line 20 */
    assert_check_fails(g, 19, 20, NULL);
}

static void test_check_group_after_open_group(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y + 1];
    make_5y(g, NULL);
    g[21] = (cc_age_group){105, 109, 1, 23};
    assert_check_fails(g, GROUPS_5Y + 1, 23, NULL);
}

static void test_check_empty(void **state)
{
    (void)state;
    assert_check_fails(NULL, 0, -1, NULL);
}

/* A closed group running across 100 (95-104) cannot be split consistently (ages 95-99 and
 * the open group share it in an unknown way): rejected on its line. */
static void test_check_rejects_group_straddling_100(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    make_5y(g, NULL);
    g[19] = (cc_age_group){95, 104, 1000, 21};
    g[20] = (cc_age_group){105, CC_AGE_OPEN_END, 10, 22};
    assert_check_fails(g, GROUPS_5Y, 21, "age_hi");
}

static void test_split_rejects_invalid_groups_and_negative(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    double out[CC_AGES];
    cc_error err;
    make_5y(g, NULL);
    g[3].lo = 16;
    assert_cc_error(cc_age_groups_split(g, GROUPS_5Y, CC_SPLIT_SPLINE, 0, out, &err), &err, CC_ERR_TABLE,
                    NULL, 5, "age_lo");
    make_5y(g, NULL);
    g[6].value = -1;
    assert_cc_error(cc_age_groups_split(g, GROUPS_5Y, CC_SPLIT_UNIFORM, 0, out, &err), &err, CC_ERR_RANGE,
                    NULL, 8, NULL);
}

/* Kashiwa's resident register 2025 (whole persons), one sex, as 5-year groups. */
static void load_register(int sex_wanted, cc_age_group g[GROUPS_5Y])
{
    cc_table t;
    cc_error err;
    char path[PATH_MAX];
    tu_path(path, TU_DATA_DIR, "kashiwa_register_2025_5y_sex.csv");
    assert_cc_ok(cc_table_load(&t, path, &err), &err);
    int csex = cc_table_find_column(&t, "sex"), cpop = cc_table_find_column(&t, "population");
    assert_true(csex >= 0 && cpop >= 0);
    int n = 0;
    for (int r = 0; r < t.nrows; r++) {
        if (strcmp(t.cells[r][csex], sex_wanted ? "female" : "male") != 0)
            continue;
        assert_true(n < GROUPS_5Y);
        double v;
        assert_cc_ok(cc_table_double(&t, r, cpop, &v, &err), &err);
        g[n] = (cc_age_group){5 * n, n == GROUPS_5Y - 1 ? CC_AGE_OPEN_END : 5 * n + 4, v, t.row_line[r]};
        n++;
    }
    assert_int_equal(n, GROUPS_5Y);
    cc_table_free(&t);
}

static void check_split_keeps_totals(cc_split_method method, int integer_counts)
{
    for (int sex = 0; sex < 2; sex++) {
        cc_age_group g[GROUPS_5Y];
        double out[CC_AGES], totals[GROUPS_5Y];
        cc_error err;
        load_register(sex, g);
        assert_cc_ok(cc_age_groups_split(g, GROUPS_5Y, method, integer_counts, out, &err), &err);
        sum_5y(out, totals);
        for (int i = 0; i < GROUPS_5Y; i++) {
            if (integer_counts)
                assert_true(totals[i] == g[i].value); /* exactly */
            else
                assert_double_equal(totals[i], g[i].value, 1e-9);
        }
        for (int a = 0; a < CC_AGES; a++) {
            assert_true(out[a] >= 0);
            if (integer_counts)
                assert_true(out[a] == floor(out[a]));
        }
    }
}

static void test_spline_split_keeps_totals_exactly_whole(void **state)
{
    (void)state;
    check_split_keeps_totals(CC_SPLIT_SPLINE, 1);
}

static void test_spline_split_keeps_totals(void **state)
{
    (void)state;
    check_split_keeps_totals(CC_SPLIT_SPLINE, 0);
}

static void test_uniform_split_keeps_totals_exactly_whole(void **state)
{
    (void)state;
    check_split_keeps_totals(CC_SPLIT_UNIFORM, 1);
}

static void test_uniform_split_keeps_totals(void **state)
{
    (void)state;
    check_split_keeps_totals(CC_SPLIT_UNIFORM, 0);
}

static void test_uniform_split_values(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    double v[GROUPS_5Y] = {0}, out[CC_AGES];
    cc_error err;
    v[0] = 10;
    v[1] = 7;
    v[20] = 3;
    make_5y(g, v);
    assert_cc_ok(cc_age_groups_split(g, GROUPS_5Y, CC_SPLIT_UNIFORM, 0, out, &err), &err);
    for (int a = 0; a < 5; a++)
        assert_double_equal(out[a], 2.0, 1e-15);
    for (int a = 5; a < 10; a++)
        assert_double_equal(out[a], 1.4, 1e-15);
    assert_double_equal(out[CC_AGE_OPEN], 3.0, 0);
    /* whole counts: largest remainder, earliest age on ties: 7 -> 2,2,1,1,1 */
    assert_cc_ok(cc_age_groups_split(g, GROUPS_5Y, CC_SPLIT_UNIFORM, 1, out, &err), &err);
    const double expect[5] = {2, 2, 1, 1, 1};
    for (int a = 5; a < 10; a++)
        assert_true(out[a] == expect[a - 5]);
}

static void test_split_never_negative_on_spikes(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    double v[GROUPS_5Y] = {0}, out[CC_AGES], totals[GROUPS_5Y];
    cc_error err;
    v[3] = 5000;  /* isolated spike between empty groups */
    v[10] = 1;
    v[11] = 90000;/* cliff */
    v[12] = 2;
    v[20] = 7;
    make_5y(g, v);
    for (int integer = 0; integer < 2; integer++) {
        assert_cc_ok(cc_age_groups_split(g, GROUPS_5Y, CC_SPLIT_SPLINE, integer, out, &err), &err);
        sum_5y(out, totals);
        for (int a = 0; a < CC_AGES; a++)
            assert_true(out[a] >= 0);
        for (int i = 0; i < GROUPS_5Y; i++)
            assert_double_equal(totals[i], v[i], integer ? 0 : 1e-9);
        for (int a = 0; a < 15; a++) /* empty groups stay empty */
            assert_true(out[a] == 0);
    }
}

static void test_split_merges_groups_above_100(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y + 1];
    double out[CC_AGES];
    cc_error err;
    make_5y(g, NULL);
    g[20] = (cc_age_group){100, 104, 40, 22};
    g[21] = (cc_age_group){105, CC_AGE_OPEN_END, 2, 23};
    for (int method = 0; method < 2; method++) {
        assert_cc_ok(cc_age_groups_split(g, GROUPS_5Y + 1, (cc_split_method)method, 1, out, &err), &err);
        assert_true(out[CC_AGE_OPEN] == 42);
    }
}

/* Person-years L(x) of the 2020 life table for one sex: 0..99 and the open group 100+. */
static void lifetable_person_years(const char *sex, double L[CC_AGES])
{
    cc_table t;
    cc_error err;
    char path[PATH_MAX];
    double lx[200];
    int n = 0;
    tu_path(path, TU_DATA_DIR, "jp_lifetable_2020_1x1.csv");
    assert_cc_ok(cc_table_load(&t, path, &err), &err);
    int csex = cc_table_find_column(&t, "sex"), clx = cc_table_find_column(&t, "lx");
    assert_true(csex >= 0 && clx >= 0);
    for (int r = 0; r < t.nrows; r++)
        if (strcmp(t.cells[r][csex], sex) == 0) {
            assert_true(n < 200);
            assert_cc_ok(cc_table_double(&t, r, clx, &lx[n++], &err), &err);
        }
    cc_table_free(&t);
    assert_true(n > CC_AGES);
    for (int a = 0; a < CC_AGE_OPEN; a++)
        L[a] = 0.5 * (lx[a] + lx[a + 1]);
    L[CC_AGE_OPEN] = 0;
    for (int a = CC_AGE_OPEN; a < n; a++)
        L[CC_AGE_OPEN] += a + 1 < n ? 0.5 * (lx[a] + lx[a + 1]) : 0.5 * lx[a];
}

static double split_error(const double L[CC_AGES], cc_split_method method)
{
    cc_age_group g[GROUPS_5Y];
    double totals[GROUPS_5Y], out[CC_AGES], error = 0;
    cc_error err;
    sum_5y(L, totals);
    make_5y(g, totals);
    assert_cc_ok(cc_age_groups_split(g, GROUPS_5Y, method, 0, out, &err), &err);
    for (int a = 0; a < CC_AGE_OPEN; a++)
        error += fabs(out[a] - L[a]);
    assert_double_equal(out[CC_AGE_OPEN], L[CC_AGE_OPEN], 1e-9);
    return error;
}

static void test_spline_beats_uniform_on_real_lifetable(void **state)
{
    (void)state;
    const char *sexes[2] = {"male", "female"};
    for (int s = 0; s < 2; s++) {
        double L[CC_AGES];
        lifetable_person_years(sexes[s], L);
        double spline = split_error(L, CC_SPLIT_SPLINE), uniform = split_error(L, CC_SPLIT_UNIFORM);
        print_message("      %s L(x), ages 0-99, total |error| (person-years of 100,000 born): "
                      "spline %.1f, uniform %.1f\n", sexes[s], spline, uniform);
        assert_true(spline < uniform);
    }
}

static void test_split_signed_handles_negative_values(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    double v[GROUPS_5Y] = {0}, out[CC_AGES], totals[GROUPS_5Y];
    v[0] = -10;
    v[4] = 7.5;
    v[5] = -3;
    v[20] = -4;
    make_5y(g, v);
    assert_int_equal(cc_age_groups_split_signed(g, GROUPS_5Y, out), 0);
    for (int a = 0; a < 5; a++)
        assert_double_equal(out[a], -2.0, 1e-15);
    for (int a = 20; a < 25; a++)
        assert_double_equal(out[a], 1.5, 1e-15);
    for (int a = 25; a < 30; a++)
        assert_double_equal(out[a], -0.6, 1e-15);
    assert_double_equal(out[CC_AGE_OPEN], -4.0, 0);
    sum_5y(out, totals);
    for (int i = 0; i < GROUPS_5Y; i++)
        assert_double_equal(totals[i], v[i], 1e-12);
}

static void test_spread_gives_each_age_its_group_value(void **state)
{
    (void)state;
    cc_age_group g[GROUPS_5Y];
    double v[GROUPS_5Y], out[CC_AGES];
    for (int i = 0; i < GROUPS_5Y; i++)
        v[i] = 0.001 * (i + 1);
    make_5y(g, v);
    cc_age_groups_spread(g, GROUPS_5Y, out);
    for (int a = 0; a < CC_AGE_OPEN; a++)
        assert_true(out[a] == v[a / 5]);
    assert_true(out[CC_AGE_OPEN] == v[20]);
}

/* Death rates at single ages: flat below 30 and in the open group; from 30 Gompertz within each
 * group, rising, with the group's deaths over person-years equal to its rate; on rates that
 * are exactly Gompertz the single ages come back (the slope between neighbours is the law's). */
static void test_death_rates_follow_gompertz_within_groups(void **state)
{
    (void)state;
    const double a = 5e-5, b = 0.095; /* m(x) = a e^{b x}: about 10% a year of age */
    cc_age_group g[GROUPS_5Y];
    double v[GROUPS_5Y], out[CC_AGES];
    for (int i = 0; i < GROUPS_5Y; i++) /* each group's rate from the law's own single ages */
        v[i] = a * exp(b * (5 * i + 2));
    make_5y(g, v);
    cc_age_groups_spread_death_rates(g, GROUPS_5Y, out);
    for (int x = 0; x < CC_GOMPERTZ_FROM_AGE; x++)
        assert_true(out[x] == v[x / 5]);
    assert_true(out[CC_AGE_OPEN] == v[GROUPS_5Y - 1]);
    for (int i = CC_GOMPERTZ_FROM_AGE / 5; i < GROUPS_5Y - 1; i++) {
        double l = 1, deaths = 0, years = 0;
        for (int x = 5 * i; x <= 5 * i + 4; x++) {
            double q = 2 * out[x] / (2 + out[x]);
            deaths += l * q;
            years += l * (1 - q / 2);
            l *= 1 - q;
            if (x > 5 * i)
                assert_true(out[x] > out[x - 1]);
        }
        assert_double_relative(deaths / years, v[i], 1e-10);
        /* the slope is the law's; the level differs from a e^{bx} only by the weighting */
        assert_double_relative(out[5 * i + 4] / out[5 * i], exp(4 * b), 1e-9);
        /* survivors weigh the group towards its first ages, the more the higher its rates */
        if (v[i] < 0.1)
            assert_double_relative(out[5 * i + 2], a * exp(b * (5 * i + 2)), 0.02);
    }
}

static void test_split_method_names(void **state)
{
    (void)state;
    assert_string_equal(cc_split_method_name(CC_SPLIT_SPLINE), "spline");
    assert_string_equal(cc_split_method_name(CC_SPLIT_UNIFORM), "uniform");
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_death_rates_follow_gompertz_within_groups),
        cmocka_unit_test(test_check_accepts_standard_groups),
        cmocka_unit_test(test_check_accepts_groups_above_100_merged),
        cmocka_unit_test(test_check_gap),
        cmocka_unit_test(test_check_gap_at_start),
        cmocka_unit_test(test_check_overlap),
        cmocka_unit_test(test_check_hi_below_lo),
        cmocka_unit_test(test_check_no_open_group),
        cmocka_unit_test(test_check_open_group_below_100),
        cmocka_unit_test(test_check_group_after_open_group),
        cmocka_unit_test(test_check_empty),
        cmocka_unit_test(test_check_rejects_group_straddling_100),
        cmocka_unit_test(test_split_rejects_invalid_groups_and_negative),
        cmocka_unit_test(test_spline_split_keeps_totals_exactly_whole),
        cmocka_unit_test(test_spline_split_keeps_totals),
        cmocka_unit_test(test_uniform_split_keeps_totals_exactly_whole),
        cmocka_unit_test(test_uniform_split_keeps_totals),
        cmocka_unit_test(test_uniform_split_values),
        cmocka_unit_test(test_split_never_negative_on_spikes),
        cmocka_unit_test(test_split_merges_groups_above_100),
        cmocka_unit_test(test_spline_beats_uniform_on_real_lifetable),
        cmocka_unit_test(test_split_signed_handles_negative_values),
        cmocka_unit_test(test_spread_gives_each_age_its_group_value),
        cmocka_unit_test(test_split_method_names),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
