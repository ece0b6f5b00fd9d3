/* Unit tests of the cohort-component projection (src/population.c) on Kashiwa's 2025 register
 * with Japan's 2020 life table and fertility and a small migration table, twice: with the base
 * on the first year point, and with the base three quarters of a year before it (2025-01-01,
 * points on 1 October: a first step of 0.748 years). Persons are conserved every step (the
 * first, fractional one included); net migration is the table's times the step's length; with
 * noise, the mean of many replications is the expected-values projection; replications are
 * reproducible and differ from each other; the processes draw from separate streams; a part
 * of a year moves that part of each age up. */
#include "testutil.h"

#include <math.h>

#include "carecast/lifetable.h"
#include "carecast/population.h"
#include "carecast/scenario.h"

/* net migrants per year by sex: male 300 - 60 = 240, female 250 - 50 - 1 = 199 */
#define STOCK0(path, sex) (&(path)->population[(size_t)(sex) * CC_AGES])

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

static int setup_with(void **state, const char *dates)
{
    fixture *fx = calloc(1, sizeof *fx);
    char ini[PATH_MAX], mig[PATH_MAX], extra[PATH_MAX + 64], line[2048];
    cc_error err;
    if (!fx)
        return -1;
    *state = fx;
    tu_mkdtemp(fx->dir);
    tu_write_file(tu_path(mig, fx->dir, "mig.csv"), MIGRATION_CSV);
    snprintf(extra, sizeof extra, "migration = %s\n[migration]\nnoise_sd = 0.25\npersistent_sd = 0\n%s", mig, dates);
    tu_write_data_scenario(tu_path(ini, fx->dir, "population.ini"), extra);
    if (cc_scenario_load(&fx->s, ini, &err) != 0 || cc_population_model_build(&fx->s.population, &fx->model, &err) != 0) {
        cc_error_format(&err, line, sizeof line);
        print_error("cannot set up the test scenario: %s\n", line);
        return -1;
    }
    fx->years = cc_scenario_years(&fx->s);
    return cc_population_workspace_init(&fx->ws);
}

static int setup_whole_years(void **state) { return setup_with(state, ""); }

/* base_year 2025 stays consistent: the first 1 October on or after 2025-01-01 is in 2025 */
static int setup_first_step(void **state) { return setup_with(state, "[simulation]\nbase_date = 2025-01-01\n"); }

static double step_length(const fixture *fx, int y)
{
    double start, h;
    cc_population_step_span(&fx->s.population, y, &start, &h);
    return h;
}

static double base_total(const fixture *fx, int sex)
{
    double sum = 0;
    for (int a = 0; a < CC_AGES; a++)
        sum += fx->s.population.base_population[sex][a];
    return sum;
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
    for (int y = 0; y < fx->years; y++) /* flows of step y end on point y */
        for (int sex = 0; sex < CC_SEXES; sex++) {
            size_t i = (size_t)y * CC_SEXES + sex;
            double before = y == 0 ? base_total(fx, sex) : stock(&p, y - 1, sex);
            double balance = before + p.births[i] - p.deaths[i] + p.net_migration[i];
            assert_double_equal(stock(&p, y, sex), balance, 1e-6);
            if (step_length(fx, y) > 0)
                assert_true(p.births[i] > 0 && p.deaths[i] > 0);
            else
                assert_true(p.births[i] == 0 && p.deaths[i] == 0 && p.net_migration[i] == 0);
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
    if (fx->s.population.first_step == 0)
        assert_memory_equal(p.population, fx->s.population.base_population, sizeof fx->s.population.base_population);
    else
        assert_memory_not_equal(p.population, fx->s.population.base_population, sizeof fx->s.population.base_population);
    cc_population_path_free(&p);
}

static void test_net_migration_equals_table_total(void **state)
{
    fixture *fx = *state;
    cc_population_path p;
    simulate(fx, 1, 0, &p);
    for (int y = 0; y < fx->years; y++)
        for (int sex = 0; sex < CC_SEXES; sex++)
            assert_double_equal(p.net_migration[y * CC_SEXES + sex], migration_total[sex] * step_length(fx, y), 1e-9);
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
    double target = grand_total(&expected, year), births_target = expected.births[2] + expected.births[3];
    double sum = 0, sumsq = 0, births_sum = 0, births_sumsq = 0;
    for (uint32_t rep = 0; rep < REPS; rep++) {
        cc_population_path p;
        simulate(fx, 0, rep, &p);
        double t = grand_total(&p, year), b = p.births[2] + p.births[3];
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
                  "births of step 1: mean %.1f (se %.2f) vs %.1f\n",
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
    assert_true(a.deaths[2] != b.deaths[2] || a.births[2] != b.births[2]);
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
    /* step 1's deaths and births come before migration and from their own streams */
    for (int sex = 0; sex < CC_SEXES; sex++) {
        assert_true(with.deaths[CC_SEXES + sex] == without.deaths[CC_SEXES + sex]);
        assert_true(with.births[CC_SEXES + sex] == without.births[CC_SEXES + sex]);
        assert_true(with.net_migration[CC_SEXES + sex] != 0 && without.net_migration[CC_SEXES + sex] == 0);
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

/* Without deaths, births or migration a step of h years moves a share h of each age up one
 * year (the open group keeps its own), and nobody is lost. */
static void test_a_part_of_a_year_moves_that_part_up(void **state)
{
    fixture *fx = *state;
    cc_population_rates rates;
    cc_population_path p;
    draw_rates(fx, 1, 0, &rates);
    memset(rates.mortality, 0, (size_t)fx->years * CC_SEXES * CC_AGES * sizeof(double));
    memset(rates.fertility, 0, (size_t)fx->years * CC_AGES * sizeof(double));
    memset(rates.migration, 0, (size_t)fx->years * CC_SEXES * CC_AGES * sizeof(double));
    assert_int_equal(cc_population_path_init(&p, fx->years), 0);
    assert_int_equal(cc_population_simulate(&fx->s.population, &rates, &fx->s.run, 0, &fx->ws, &p), 0);
    double h = fx->s.population.first_step;
    for (int sex = 0; sex < CC_SEXES; sex++) {
        const double *base = fx->s.population.base_population[sex], *first = STOCK0(&p, sex);
        for (int a = 1; a < CC_AGE_OPEN; a++)
            assert_double_equal(first[a], (1 - h) * base[a] + h * base[a - 1], 1e-9);
        assert_double_equal(first[0], (1 - h) * base[0], 1e-9);
        assert_double_equal(first[CC_AGE_OPEN], base[CC_AGE_OPEN] + h * base[CC_AGE_OPEN - 1], 1e-9);
        assert_double_equal(stock(&p, 0, sex), base_total(fx, sex), 1e-6);
    }
    cc_population_path_free(&p);
    cc_population_rates_free(&rates);
}

/* The persistent component: a random walk of the migration rate, none with expected values;
 * with it, replications' net migration departs from the table's and stays departed. */
static void test_persistent_migration_walks(void **state)
{
    fixture *fx = *state;
    cc_population_rates rates;
    fx->s.population.migration_persistent_sd = 0.001;
    draw_rates(fx, 1, 2, &rates);
    for (int y = 0; y < fx->years; y++)
        assert_true(rates.migration_rate[y] == 0);
    cc_population_rates_free(&rates);
    double sum_last = 0, sumsq_last = 0;
    enum { REPS = 400 };
    for (uint32_t rep = 0; rep < REPS; rep++) {
        draw_rates(fx, 0, rep, &rates);
        double last = rates.migration_rate[fx->years - 1];
        sum_last += last;
        sumsq_last += last * last;
        assert_true(rates.migration_rate[1] != rates.migration_rate[2]);
        cc_population_rates_free(&rates);
    }
    /* variance of the walk after the steps: sd^2 times the years elapsed */
    double elapsed = fx->s.population.first_step + fx->years - 1, sd = sqrt(sumsq_last / REPS);
    print_message("      persistent walk after %.2f years: sd %.5f (expected %.5f)\n", elapsed, sd, 0.001 * sqrt(elapsed));
    assert_double_relative(sd, 0.001 * sqrt(elapsed), 0.15); /* 400 draws: sd of the sd estimate 3.5% */
    assert_double_equal(sum_last / REPS, 0, 4 * 0.001 * sqrt(elapsed) / sqrt(REPS));
    fx->s.population.migration_persistent_sd = 0;
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
        cmocka_unit_test(test_persistent_migration_walks),
    };
    const struct CMUnitTest first_step_tests[] = {
        cmocka_unit_test(test_conservation_expected_values),
        cmocka_unit_test(test_conservation_with_noise),
        cmocka_unit_test(test_base_year_is_base_population),
        cmocka_unit_test(test_net_migration_equals_table_total),
        cmocka_unit_test(test_whole_persons_never_negative_with_noise),
        cmocka_unit_test(test_mean_of_replications_is_expected_projection),
        cmocka_unit_test(test_a_part_of_a_year_moves_that_part_up),
        cmocka_unit_test(test_life_expectancy_of_base_year),
        cmocka_unit_test(test_persistent_migration_walks),
    };
    cmocka_set_test_filter(argc > 1 ? argv[1] : NULL);
    int failed = cmocka_run_group_tests_name("base on the first point", tests, setup_whole_years, group_teardown);
    failed += cmocka_run_group_tests_name("base 0.75 years before the first point", first_step_tests, setup_first_step,
                                          group_teardown);
    return failed;
}
