/* Unit tests of the cohort-component projection (src/population.c) on Kashiwa's 2025 register
 * with Japan's 2020 life table and fertility and a small migration table: persons are
 * conserved every year; net migration is the table's; with noise, the mean of many
 * replications is the expected-values projection; replications are reproducible and differ
 * from each other; the processes draw from separate streams. */
#include "testutil.h"

#include <math.h>

#include "carecast/lifetable.h"
#include "carecast/population.h"
#include "carecast/scenario.h"

/* net migrants per year by sex: male 300 - 60 = 240, female 250 - 50 - 1 = 199 */
#define MIGRATION_CSV "sex,age_lo,age_hi,net_migrants\n" \
                      "male,0,19,0\nmale,20,39,300\nmale,40,99,-60\nmale,100,,0\n" \
                      "female,0,19,0\nfemale,20,39,250\nfemale,40,99,-50\nfemale,100,,-1\n"
static const double migration_total[CC_SEXES] = {240, 199};

typedef struct {
    char dir[PATH_MAX];
    cc_scenario s;
    cc_population_model model;
    cc_population_workspace ws;
    int years;
} fixture;

static int group_setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    char ini[PATH_MAX], mig[PATH_MAX], extra[PATH_MAX + 128], line[2048];
    cc_error err;
    if (!fx)
        return -1;
    *state = fx;
    tu_mkdtemp(fx->dir);
    tu_write_file(tu_path(mig, fx->dir, "mig.csv"), MIGRATION_CSV);
    /* the life table's own rates at 95+ (its e0 is checked against the published value) */
    snprintf(extra, sizeof extra, "migration = %s\n[migration]\nnoise_sd = 0.25\n[mortality]\noldest_old = none\n", mig);
    tu_write_data_scenario(tu_path(ini, fx->dir, "population.ini"), extra);
    if (cc_scenario_load(&fx->s, ini, &err) != 0 || cc_population_model_build(&fx->s.population, &fx->model, &err) != 0) {
        cc_error_format(&err, line, sizeof line);
        print_error("cannot set up the test scenario: %s\n", line);
        return -1;
    }
    fx->years = cc_scenario_years(&fx->s);
    return cc_population_workspace_init(&fx->ws);
}

static int group_teardown(void **state)
{
    fixture *fx = *state;
    if (fx) {
        cc_population_workspace_free(&fx->ws);
        cc_population_model_free(&fx->model);
        cc_scenario_free(&fx->s);
        tu_rmtree(fx->dir);
        free(fx);
    }
    return 0;
}

static void draw_rates(fixture *fx, int expected, uint32_t rep, cc_population_rates *rates)
{
    fx->s.run.expected_values = expected;
    assert_int_equal(cc_population_rates_init(rates, fx->years), 0);
    assert_int_equal(cc_population_rates_draw(&fx->s.population, &fx->model, &fx->s.run, rep, &fx->ws, rates), 0);
}

/* One replication's path (path initialised here; free with cc_population_path_free). */
static void simulate(fixture *fx, int expected, uint32_t rep, cc_population_path *path)
{
    cc_population_rates rates;
    draw_rates(fx, expected, rep, &rates);
    assert_int_equal(cc_population_path_init(path, fx->years), 0);
    assert_int_equal(cc_population_simulate(&fx->s.population, &rates, &fx->s.run, rep, &fx->ws, path), 0);
    cc_population_rates_free(&rates);
}

static double stock(const cc_population_path *p, int year, int sex)
{
    double sum = 0;
    for (int a = 0; a < CC_AGES; a++)
        sum += p->population[((size_t)year * CC_SEXES + sex) * CC_AGES + a];
    return sum;
}

static double grand_total(const cc_population_path *p, int year)
{
    return stock(p, year, CC_MALE) + stock(p, year, CC_FEMALE);
}

static void check_conservation(fixture *fx, int expected, uint32_t rep)
{
    cc_population_path p;
    simulate(fx, expected, rep, &p);
    for (int y = 0; y + 1 < fx->years; y++)
        for (int sex = 0; sex < CC_SEXES; sex++) {
            size_t i = (size_t)y * CC_SEXES + sex;
            double balance = stock(&p, y, sex) + p.births[i] - p.deaths[i] + p.net_migration[i];
            assert_double_equal(stock(&p, y + 1, sex), balance, 1e-6);
            assert_true(p.births[i] > 0 && p.deaths[i] > 0);
        }
    cc_population_path_free(&p);
}

static void test_conservation_expected_values(void **state)
{
    check_conservation(*state, 1, 0);
}

static void test_conservation_with_noise(void **state)
{
    check_conservation(*state, 0, 3);
}

static void test_base_year_is_base_population(void **state)
{
    fixture *fx = *state;
    cc_population_path p;
    simulate(fx, 0, 1, &p);
    assert_memory_equal(p.population, fx->s.population.base_population, sizeof fx->s.population.base_population);
    cc_population_path_free(&p);
}

static void test_net_migration_equals_table_total(void **state)
{
    fixture *fx = *state;
    cc_population_path p;
    simulate(fx, 1, 0, &p);
    for (int y = 0; y < fx->years; y++)
        for (int sex = 0; sex < CC_SEXES; sex++)
            assert_double_equal(p.net_migration[y * CC_SEXES + sex], migration_total[sex], 1e-9);
    cc_population_path_free(&p);
}

static void test_whole_persons_never_negative_with_noise(void **state)
{
    fixture *fx = *state;
    cc_population_path p;
    simulate(fx, 0, 11, &p);
    for (size_t i = 0; i < (size_t)fx->years * CC_SEXES * CC_AGES; i++) {
        assert_true(p.population[i] >= 0);
        assert_true(p.population[i] == floor(p.population[i]));
    }
    for (size_t i = 0; i < (size_t)fx->years * CC_SEXES; i++)
        assert_true(p.births[i] == floor(p.births[i]) && p.deaths[i] == floor(p.deaths[i]) &&
                    p.net_migration[i] == floor(p.net_migration[i]));
    cc_population_path_free(&p);
}

static void test_emigration_never_takes_an_age_below_zero(void **state)
{
    fixture *fx = *state;
    for (int expected = 0; expected < 2; expected++) {
        cc_population_rates rates;
        cc_population_path p;
        draw_rates(fx, expected, 4, &rates);
        for (int y = 0; y < fx->years; y++) /* far more leave at 90 than live there */
            rates.migration[((size_t)y * CC_SEXES + CC_FEMALE) * CC_AGES + 90] = -1e6;
        assert_int_equal(cc_population_path_init(&p, fx->years), 0);
        assert_int_equal(cc_population_simulate(&fx->s.population, &rates, &fx->s.run, 4, &fx->ws, &p), 0);
        for (int y = 1; y < fx->years; y++) {
            assert_true(p.population[((size_t)y * CC_SEXES + CC_FEMALE) * CC_AGES + 90] == 0);
            assert_true(p.net_migration[y * CC_SEXES + CC_FEMALE] > -1e6);
        }
        for (size_t i = 0; i < (size_t)fx->years * CC_SEXES * CC_AGES; i++)
            assert_true(p.population[i] >= 0);
        cc_population_path_free(&p);
        cc_population_rates_free(&rates);
    }
}

static void test_mean_of_replications_is_expected_projection(void **state)
{
    fixture *fx = *state;
    enum { REPS = 2000 };
    const int year = 10;
    cc_population_path expected;
    simulate(fx, 1, 0, &expected);
    double target = grand_total(&expected, year), births_target = expected.births[0] + expected.births[1];
    double sum = 0, sumsq = 0, births_sum = 0, births_sumsq = 0;
    for (uint32_t rep = 0; rep < REPS; rep++) {
        cc_population_path p;
        simulate(fx, 0, rep, &p);
        double t = grand_total(&p, year), b = p.births[0] + p.births[1];
        sum += t;
        sumsq += t * t;
        births_sum += b;
        births_sumsq += b * b;
        cc_population_path_free(&p);
    }
    double mean = sum / REPS, se = sqrt((sumsq / REPS - mean * mean) / (REPS - 1));
    double births_mean = births_sum / REPS;
    double births_se = sqrt((births_sumsq / REPS - births_mean * births_mean) / (REPS - 1));
    print_message("      total %d: mean %.1f (se %.1f) vs expected values %.1f; "
                  "births year 0: mean %.1f (se %.2f) vs %.1f\n",
                  fx->s.population.base_year + year, mean, se, target, births_mean, births_se, births_target);
    assert_true(se > 0);
    assert_true(fabs(mean - target) < 4 * se);
    assert_true(fabs(births_mean - births_target) < 4 * births_se);
    cc_population_path_free(&expected);
}

static void assert_paths_equal(const cc_population_path *a, const cc_population_path *b, int years)
{
    assert_memory_equal(a->population, b->population, (size_t)years * CC_SEXES * CC_AGES * sizeof(double));
    assert_memory_equal(a->births, b->births, (size_t)years * CC_SEXES * sizeof(double));
    assert_memory_equal(a->deaths, b->deaths, (size_t)years * CC_SEXES * sizeof(double));
    assert_memory_equal(a->net_migration, b->net_migration, (size_t)years * CC_SEXES * sizeof(double));
    assert_memory_equal(a->life_expectancy, b->life_expectancy, (size_t)years * (CC_SEXES + 1) * 2 * sizeof(double));
}

static void test_same_replication_identical(void **state)
{
    fixture *fx = *state;
    cc_population_path first, other, again;
    simulate(fx, 0, 5, &first);
    simulate(fx, 0, 6, &other); /* the workspace's streams move on in between */
    simulate(fx, 0, 5, &again);
    assert_paths_equal(&first, &again, fx->years);
    cc_population_path_free(&first);
    cc_population_path_free(&other);
    cc_population_path_free(&again);
}

static void test_replications_differ(void **state)
{
    fixture *fx = *state;
    cc_population_path a, b;
    simulate(fx, 0, 0, &a);
    simulate(fx, 0, 1, &b);
    size_t stocks = (size_t)fx->years * CC_SEXES * CC_AGES * sizeof(double);
    assert_memory_not_equal(a.population + CC_SEXES * CC_AGES, b.population + CC_SEXES * CC_AGES,
                            stocks - CC_SEXES * CC_AGES * sizeof(double));
    assert_true(a.deaths[0] != b.deaths[0] || a.births[0] != b.births[0]);
    cc_population_path_free(&a);
    cc_population_path_free(&b);
}

static void test_expected_values_do_not_depend_on_replication(void **state)
{
    fixture *fx = *state;
    cc_population_path a, b;
    simulate(fx, 1, 0, &a);
    simulate(fx, 1, 99, &b);
    assert_paths_equal(&a, &b, fx->years);
    cc_population_path_free(&a);
    cc_population_path_free(&b);
}

static void test_migration_does_not_shift_death_or_birth_draws(void **state)
{
    fixture *fx = *state;
    cc_population_rates rates;
    cc_population_path with, without;
    draw_rates(fx, 0, 8, &rates);
    assert_int_equal(cc_population_path_init(&with, fx->years), 0);
    assert_int_equal(cc_population_simulate(&fx->s.population, &rates, &fx->s.run, 8, &fx->ws, &with), 0);
    memset(rates.migration, 0, (size_t)fx->years * CC_SEXES * CC_AGES * sizeof(double));
    assert_int_equal(cc_population_path_init(&without, fx->years), 0);
    assert_int_equal(cc_population_simulate(&fx->s.population, &rates, &fx->s.run, 8, &fx->ws, &without), 0);
    /* year 0 deaths and births come before migration and from their own streams */
    for (int sex = 0; sex < CC_SEXES; sex++) {
        assert_true(with.deaths[sex] == without.deaths[sex]);
        assert_true(with.births[sex] == without.births[sex]);
        assert_true(with.net_migration[sex] != 0 && without.net_migration[sex] == 0);
    }
    cc_population_path_free(&with);
    cc_population_path_free(&without);
    cc_population_rates_free(&rates);
}

static void test_life_expectancy_of_base_year(void **state)
{
    fixture *fx = *state;
    cc_population_path p;
    simulate(fx, 1, 0, &p);
    const double *e = p.life_expectancy; /* year 0: [sex][0 = at birth, 1 = at 65] */
    assert_double_equal(e[2 * CC_MALE], 81.56, 0.01);
    assert_double_equal(e[2 * CC_FEMALE], 87.71, 0.01);
    double r = fx->s.population.sex_ratio_at_birth;
    assert_double_relative(e[2 * CC_SEXES], (r * e[2 * CC_MALE] + e[2 * CC_FEMALE]) / (r + 1), 1e-12);
    for (int sex = 0; sex < CC_SEXES; sex++) {
        cc_lifetable t;
        cc_lifetable_from_rates(fx->s.population.mortality_rate[sex], &t);
        assert_double_relative(e[2 * sex + 1], cc_lifetable_expectancy(&t, 65), 1e-12);
    }
    assert_true(e[2 * CC_SEXES + 1] > e[2 * CC_MALE + 1] && e[2 * CC_SEXES + 1] < e[2 * CC_FEMALE + 1]);
    cc_population_path_free(&p);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conservation_expected_values),
        cmocka_unit_test(test_conservation_with_noise),
        cmocka_unit_test(test_base_year_is_base_population),
        cmocka_unit_test(test_net_migration_equals_table_total),
        cmocka_unit_test(test_whole_persons_never_negative_with_noise),
        cmocka_unit_test(test_emigration_never_takes_an_age_below_zero),
        cmocka_unit_test(test_mean_of_replications_is_expected_projection),
        cmocka_unit_test(test_same_replication_identical),
        cmocka_unit_test(test_replications_differ),
        cmocka_unit_test(test_expected_values_do_not_depend_on_replication),
        cmocka_unit_test(test_migration_does_not_shift_death_or_birth_draws),
        cmocka_unit_test(test_life_expectancy_of_base_year),
    };
    return TU_RUN_GROUP_TESTS(tests, group_setup, group_teardown, argc, argv);
}
