/* Unit tests of the life table (src/lifetable.c): Japan's complete life table 2020, read by
 * the scenario loader and turned into death rates m(x), comes back as the same lx at every
 * age, with the published life expectancy at birth; survival ratios are probabilities; and
 * a constant hazard gives the closed-form table. */
#include "testutil.h"

#include <math.h>

#include "carecast/lifetable.h"
#include "carecast/scenario.h"
#include "scenario/csv_table.h"

static const char *const sex_names[CC_SEXES] = {"male", "female"};

typedef struct {
    char dir[PATH_MAX];
    cc_scenario scenario;
    double lx[CC_SEXES][CC_AGES]; /* the csv's lx / 100000, ages 0..100 */
} fixture;

static void read_lx(fixture *fx)
{
    cc_table t;
    cc_error err;
    char path[PATH_MAX];
    tu_path(path, TU_DATA_DIR, "jp_lifetable_2020_1x1.csv");
    assert_cc_ok(cc_table_load(&t, path, &err), &err);
    int csex = cc_table_find_column(&t, "sex"), cage = cc_table_find_column(&t, "age"), clx = cc_table_find_column(&t, "lx");
    assert_true(csex >= 0 && cage >= 0 && clx >= 0);
    int found[CC_SEXES] = {0};
    for (int r = 0; r < t.nrows; r++) {
        long age;
        double lx;
        int sex = strcmp(t.cells[r][csex], "male") == 0 ? CC_MALE : CC_FEMALE;
        assert_cc_ok(cc_table_int(&t, r, cage, &age, NULL, &err), &err);
        assert_cc_ok(cc_table_double(&t, r, clx, &lx, &err), &err);
        if (age <= CC_AGE_OPEN) {
            fx->lx[sex][age] = lx / 100000.0;
            found[sex]++;
        }
    }
    cc_table_free(&t);
    assert_int_equal(found[CC_MALE], CC_AGES);
    assert_int_equal(found[CC_FEMALE], CC_AGES);
}

static int group_setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    char path[PATH_MAX];
    cc_error err;
    if (!fx)
        return -1;
    tu_mkdtemp(fx->dir);
    tu_write_data_scenario(tu_path(path, fx->dir, "lifetable.ini"), NULL);
    if (cc_scenario_load(&fx->scenario, path, &err) != 0) {
        char line[2048];
        cc_error_format(&err, line, sizeof line);
        print_error("cannot load the test scenario: %s\n", line);
        return -1;
    }
    read_lx(fx);
    *state = fx;
    return 0;
}

static int group_teardown(void **state)
{
    fixture *fx = *state;
    if (fx) {
        cc_scenario_free(&fx->scenario);
        tu_rmtree(fx->dir);
        free(fx);
    }
    return 0;
}

static void test_rates_reproduce_lx(void **state)
{
    fixture *fx = *state;
    for (int sex = 0; sex < CC_SEXES; sex++) {
        cc_lifetable table;
        cc_lifetable_from_rates(fx->scenario.population.mortality_rate[sex], &table);
        for (int a = 0; a < CC_AGES; a++)
            assert_double_relative(table.lx[a], fx->lx[sex][a], 1e-12);
    }
}

static void test_published_life_expectancy_2020(void **state)
{
    fixture *fx = *state;
    const double published[CC_SEXES] = {81.56, 87.71}; /* 第23回生命表 */
    for (int sex = 0; sex < CC_SEXES; sex++) {
        cc_lifetable table;
        cc_lifetable_from_rates(fx->scenario.population.mortality_rate[sex], &table);
        double e0 = cc_lifetable_expectancy(&table, 0);
        print_message("      %s e0 = %.4f (published %.2f)\n", sex_names[sex], e0, published[sex]);
        assert_double_equal(e0, published[sex], 0.01);
    }
}

static void test_person_years(void **state)
{
    fixture *fx = *state;
    for (int sex = 0; sex < CC_SEXES; sex++) {
        const double *m = fx->scenario.population.mortality_rate[sex];
        cc_lifetable table;
        cc_lifetable_from_rates(m, &table);
        for (int a = 0; a < CC_AGE_OPEN; a++)
            assert_double_relative(table.Lx[a], 0.5 * (table.lx[a] + table.lx[a + 1]), 1e-15);
        assert_double_relative(table.Lx[CC_AGE_OPEN], table.lx[CC_AGE_OPEN] / m[CC_AGE_OPEN], 1e-15);
        assert_double_relative(cc_lifetable_expectancy(&table, CC_AGE_OPEN), 1.0 / m[CC_AGE_OPEN], 1e-12);
    }
}

static void test_survival_ratios_are_probabilities(void **state)
{
    fixture *fx = *state;
    for (int sex = 0; sex < CC_SEXES; sex++) {
        const double *m = fx->scenario.population.mortality_rate[sex];
        cc_lifetable table;
        double survival[CC_AGES], birth_survival = -1;
        cc_lifetable_from_rates(m, &table);
        cc_lifetable_survival(&table, m, survival, &birth_survival);
        for (int a = 0; a < CC_AGES; a++)
            assert_true(survival[a] > 0 && survival[a] <= 1);
        assert_true(birth_survival > 0 && birth_survival <= 1);
        for (int a = 0; a < CC_AGE_OPEN - 1; a++)
            assert_double_relative(survival[a], table.Lx[a + 1] / table.Lx[a], 1e-15);
        assert_double_relative(survival[CC_AGE_OPEN], exp(-m[CC_AGE_OPEN]), 1e-15);
        assert_double_relative(birth_survival, table.Lx[0], 1e-15);
    }
}

static void test_constant_hazard_closed_form(void **state)
{
    (void)state;
    const double m = 0.02, q = 2 * m / (2 + m), p = 1 - q;
    double rates[CC_AGES], survival[CC_AGES], birth_survival;
    cc_lifetable table;
    for (int a = 0; a < CC_AGES; a++)
        rates[a] = m;
    cc_lifetable_from_rates(rates, &table);
    for (int a = 0; a < CC_AGES; a++)
        assert_double_relative(table.lx[a], pow(p, a), 1e-12);
    /* e0 = sum_{a<100} (p^a + p^(a+1)) / 2 + p^100 / m */
    double e0 = 0.5 * (1 + p) * (1 - pow(p, 100)) / (1 - p) + pow(p, 100) / m;
    assert_double_relative(cc_lifetable_expectancy(&table, 0), e0, 1e-12);
    assert_double_relative(cc_lifetable_expectancy(&table, CC_AGE_OPEN), 1 / m, 1e-12);
    cc_lifetable_survival(&table, rates, survival, &birth_survival);
    for (int a = 0; a < CC_AGE_OPEN - 1; a++)
        assert_double_relative(survival[a], p, 1e-12);
    /* into the open group: its first year, l(100)(1 - e^-m)/m, over L(99) */
    assert_double_relative(survival[CC_AGE_OPEN - 1], pow(p, 100) * (1 - exp(-m)) / m / (0.5 * (pow(p, 99) + pow(p, 100))),
                           1e-12);
    assert_double_relative(survival[CC_AGE_OPEN], exp(-m), 1e-15);
    assert_double_relative(birth_survival, 0.5 * (1 + p), 1e-15);
}

static void test_extreme_rate_gives_no_nan(void **state)
{
    (void)state;
    double rates[CC_AGES], survival[CC_AGES], birth_survival;
    cc_lifetable table;
    for (int a = 0; a < CC_AGES; a++)
        rates[a] = 0.01;
    rates[50] = 10; /* q would be 1.67: capped at 1, nobody reaches 51 */
    cc_lifetable_from_rates(rates, &table);
    cc_lifetable_survival(&table, rates, survival, &birth_survival);
    for (int a = 0; a < CC_AGES; a++) {
        assert_true(table.lx[a] >= 0 && isfinite(table.lx[a]));
        assert_true(table.Lx[a] >= 0 && isfinite(table.Lx[a]));
        assert_true(survival[a] >= 0 && survival[a] <= 1);
    }
    assert_true(table.lx[51] == 0);
    assert_true(survival[50] == 0);
    assert_true(cc_lifetable_expectancy(&table, 60) == 0);
    assert_true(cc_lifetable_expectancy(&table, 0) > 0 && cc_lifetable_expectancy(&table, 0) < 51);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rates_reproduce_lx),
        cmocka_unit_test(test_published_life_expectancy_2020),
        cmocka_unit_test(test_person_years),
        cmocka_unit_test(test_survival_ratios_are_probabilities),
        cmocka_unit_test(test_constant_hazard_closed_form),
        cmocka_unit_test(test_extreme_rate_gives_no_nan),
    };
    return TU_RUN_GROUP_TESTS(tests, group_setup, group_teardown, argc, argv);
}
