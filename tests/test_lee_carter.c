/* Unit tests of the Lee-Carter fit (src/lee_carter.c) and of the mortality, fertility and
 * migration parameters built from it (src/population_model.c): an exact rank-1 surface is
 * recovered exactly; the real 2009-2018 rates (2011 left out) are reproduced within a stated
 * error; with volatility 0 the period index follows its drift exactly in every replication;
 * the drift meets the e0 target; the migration calibration meets the official totals; the
 * Rogers-Castro profile peaks where it is told to. */
#include "testutil.h"

#include <math.h>

#include "carecast/lee_carter.h"
#include "carecast/lifetable.h"
#include "carecast/population.h"
#include "carecast/scenario.h"

/* Stated error of the rank-1 fit on Japan 2009-2018 (2011 out): every fitted rate within 22%
 * of the input (|log error| < 0.20), and the root-mean-square log error below 5% (measured: 3.4% male, 3.3% female). */
#define LC_MAX_ABS_LOG_ERROR 0.20
#define LC_RMS_LOG_ERROR 0.05

static void test_exact_rank_one_surface_is_recovered(void **state)
{
    (void)state;
    enum { YEARS = 5, GROUPS = 7 };
    const int years[YEARS] = {2000, 2001, 2003, 2004, 2005}; /* a gap, like 2011 left out */
    const double a[GROUPS] = {-7, -8, -7.5, -6, -5, -3.5, -2}, b[GROUPS] = {0.3, 0.2, 0.15, 0.15, 0.1, 0.06, 0.04};
    const double k[YEARS] = {3, 1.5, -0.5, -1.5, -2.5}; /* sums to 0 */
    double rates[YEARS * GROUPS];
    for (int t = 0; t < YEARS; t++)
        for (int x = 0; x < GROUPS; x++)
            rates[t * GROUPS + x] = exp(a[x] + b[x] * k[t]);
    cc_lee_carter fit;
    cc_error err;
    assert_cc_ok(cc_lee_carter_fit(rates, years, YEARS, GROUPS, &fit, &err), &err);
    for (int x = 0; x < GROUPS; x++) {
        assert_double_equal(fit.ax[x], a[x], 1e-10);
        assert_double_equal(fit.bx[x], b[x], 1e-10);
    }
    for (int t = 0; t < YEARS; t++)
        assert_double_equal(fit.kt[t], k[t], 1e-9);
    assert_true(fit.max_abs_log_error < 1e-10);
    assert_double_equal(fit.explained, 1.0, 1e-12);
    assert_double_equal(fit.drift, (k[YEARS - 1] - k[0]) / 5.0, 1e-12); /* -1.1 per year */
    cc_lee_carter_free(&fit);
}

/* More years than age groups: the SVD is taken of the other orientation. */
static void test_more_years_than_groups(void **state)
{
    (void)state;
    enum { YEARS = 8, GROUPS = 3 };
    int years[YEARS];
    const double a[GROUPS] = {-6, -4, -2}, b[GROUPS] = {0.5, 0.3, 0.2};
    double k[YEARS], rates[YEARS * GROUPS];
    for (int t = 0; t < YEARS; t++) {
        years[t] = 1990 + t;
        k[t] = 3.5 - t; /* 3.5 .. -3.5, sums to 0 */
        for (int x = 0; x < GROUPS; x++)
            rates[t * GROUPS + x] = exp(a[x] + b[x] * k[t]);
    }
    cc_lee_carter fit;
    cc_error err;
    assert_cc_ok(cc_lee_carter_fit(rates, years, YEARS, GROUPS, &fit, &err), &err);
    for (int x = 0; x < GROUPS; x++)
        assert_double_equal(fit.bx[x], b[x], 1e-10);
    for (int t = 0; t < YEARS; t++)
        assert_double_equal(fit.kt[t], k[t], 1e-9);
    assert_double_equal(fit.drift, -1.0, 1e-12);
    assert_double_equal(fit.sigma, 0.0, 1e-9);
    cc_lee_carter_free(&fit);
}

static void test_nonpositive_rate_is_an_error(void **state)
{
    (void)state;
    const int years[3] = {1, 2, 3};
    double rates[3 * 3] = {0.1, 0.2, 0.3, 0.1, 0.0, 0.3, 0.1, 0.2, 0.3};
    cc_lee_carter fit;
    cc_error err;
    assert_int_equal(cc_lee_carter_fit(rates, years, 3, 3, &fit, &err), CC_ERR_RANGE);
    cc_lee_carter_free(&fit); /* safe after failure */
}

/* Load the real history through a scenario (as carecast does). */
static void load_history_scenario(char *dir, cc_scenario *s, const char *extra)
{
    char ini[PATH_MAX], hist[PATH_MAX], text[4 * PATH_MAX];
    cc_error err;
    tu_mkdtemp(dir);
    tu_data_path(hist, "jp_death_rates_5y_sex_2009_2018.csv");
    snprintf(text, sizeof text, "[mortality]\nhistory = %s\nexclude_years = 2011\n%s", hist, extra);
    tu_write_data_scenario(tu_path(ini, dir, "lc.ini"), text);
    assert_cc_ok(cc_scenario_load(s, ini, &err), &err);
}

static void test_fit_reproduces_japan_2009_2018(void **state)
{
    (void)state;
    char dir[PATH_MAX];
    cc_scenario s;
    load_history_scenario(dir, &s, "");
    assert_int_equal(s.population.history_years, 9); /* 2009-2018 without 2011 */
    for (int y = 0; y < s.population.history_years; y++)
        assert_int_not_equal(s.population.history_year[y], 2011);
    for (int sex = 0; sex < CC_SEXES; sex++) {
        cc_lee_carter fit;
        cc_error err;
        const double *rates = &s.population.history_rate[(size_t)sex * s.population.history_years * s.population.history_groups];
        assert_cc_ok(cc_lee_carter_fit(rates, s.population.history_year, s.population.history_years, s.population.history_groups, &fit, &err), &err);
        double sum_b = 0, sum_k = 0, ss = 0, worst = 0;
        for (int x = 0; x < fit.ngroups; x++)
            sum_b += fit.bx[x];
        for (int t = 0; t < fit.nyears; t++)
            sum_k += fit.kt[t];
        for (int t = 0; t < fit.nyears; t++)
            for (int x = 0; x < fit.ngroups; x++) {
                double e = fit.ax[x] + fit.bx[x] * fit.kt[t] - log(rates[t * fit.ngroups + x]);
                ss += e * e;
                worst = fmax(worst, fabs(e));
            }
        double rms = sqrt(ss / (fit.nyears * fit.ngroups));
        printf("  %s: max |log error| %.4f, rms %.4f, explained %.3f, drift %.4f, sigma %.4f\n",
               sex ? "female" : "male", worst, rms, fit.explained, fit.drift, fit.sigma);
        assert_double_equal(sum_b, 1.0, 1e-12);
        assert_double_equal(sum_k, 0.0, 1e-9);
        assert_double_equal(worst, fit.max_abs_log_error, 1e-12);
        assert_true(worst < LC_MAX_ABS_LOG_ERROR);
        assert_true(rms < LC_RMS_LOG_ERROR);
        assert_true(fit.drift < 0); /* mortality fell over 2009-2018 */
        assert_true(fit.sigma > 0);
        cc_lee_carter_free(&fit);
    }
    cc_scenario_free(&s);
    tu_rmtree(dir);
}

/* m(x, y) / m_base(x) = exp(b(x) k(y)): recover k(y) from an age with b > 0. The index tests
 * put the year points on 1 January (INDEX_DATES), so that step y is calendar year base + y - 1
 * whole and its rates are that year's alone: k = drift (y - 1) on the median path. */
#define INDEX_DATES "[simulation]\nreference_date = 01-01\n[mortality]\n"
static double index_of(const cc_scenario *s, const cc_population_model *m, const cc_population_rates *r, int y, int sex)
{
    int age = 60;
    assert_true(m->b_single[sex][age] > 0);
    double ratio = r->mortality[((size_t)y * CC_SEXES + sex) * CC_AGES + age] / s->population.mortality_rate[sex][age];
    return log(ratio) / m->b_single[sex][age];
}

static void test_zero_volatility_follows_the_drift_exactly(void **state)
{
    (void)state;
    char dir[PATH_MAX];
    cc_scenario s;
    cc_population_model m;
    cc_population_workspace ws;
    cc_population_rates r;
    cc_error err;
    load_history_scenario(dir, &s, "volatility_scale = 0\n" INDEX_DATES);
    assert_int_equal(s.run.expected_values, 0); /* noise is on: only the volatility is 0 */
    assert_cc_ok(cc_population_model_build(&s.population, &m, &err), &err);
    assert_cc_ok(cc_population_workspace_init(&ws), &err);
    assert_cc_ok(cc_population_rates_init(&r, m.years), &err);
    for (uint32_t rep = 0; rep < 5; rep++) {
        assert_cc_ok(cc_population_rates_draw(&s.population, &m, &s.run, rep, &ws, &r), &err);
        for (int y = 0; y < m.years; y++)
            for (int sex = 0; sex < CC_SEXES; sex++)
                assert_double_equal(index_of(&s, &m, &r, y, sex), m.drift[sex] * (y > 0 ? y - 1 : 0), 1e-9);
    }
    cc_population_rates_free(&r);
    cc_population_workspace_free(&ws);
    cc_population_model_free(&m);
    cc_scenario_free(&s);
    tu_rmtree(dir);
}

static void test_volatility_spreads_the_index(void **state)
{
    (void)state;
    char dir[PATH_MAX];
    cc_scenario s;
    cc_population_model m;
    cc_population_workspace ws;
    cc_population_rates r;
    cc_error err;
    load_history_scenario(dir, &s, INDEX_DATES);
    assert_cc_ok(cc_population_model_build(&s.population, &m, &err), &err);
    assert_cc_ok(cc_population_workspace_init(&ws), &err);
    assert_cc_ok(cc_population_rates_init(&r, m.years), &err);
    /* step 10 is calendar year base + 9: k ~ N(9 drift, 9 sigma^2); mean and variance over 2000 reps */
    int n = 2000, y = 10, elapsed = y - 1;
    double sum = 0, sum2 = 0;
    for (int rep = 0; rep < n; rep++) {
        assert_cc_ok(cc_population_rates_draw(&s.population, &m, &s.run, (uint32_t)rep, &ws, &r), &err);
        double k = index_of(&s, &m, &r, y, CC_MALE);
        sum += k;
        sum2 += k * k;
    }
    double mean = sum / n, var = sum2 / n - mean * mean, expected_var = elapsed * m.sigma[CC_MALE] * m.sigma[CC_MALE];
    assert_double_equal(mean, elapsed * m.drift[CC_MALE], 4 * sqrt(expected_var / n));
    assert_double_relative(var, expected_var, 0.15); /* sd of a sample variance at n=2000: 3.2% */
    cc_population_rates_free(&r);
    cc_population_workspace_free(&ws);
    cc_population_model_free(&m);
    cc_scenario_free(&s);
    tu_rmtree(dir);
}

static void test_drift_meets_the_e0_target(void **state)
{
    (void)state;
    char dir[PATH_MAX];
    cc_scenario s;
    cc_population_model m;
    cc_error err;
    load_history_scenario(dir, &s, "target_year = 2065\ntarget_e0_male = 84.95\ntarget_e0_female = 91.35\n");
    assert_cc_ok(cc_population_model_build(&s.population, &m, &err), &err);
    assert_double_equal(cc_population_model_median_e0(&s.population, &m, CC_MALE, 2065), 84.95, 1e-6);
    assert_double_equal(cc_population_model_median_e0(&s.population, &m, CC_FEMALE, 2065), 91.35, 1e-6);
    assert_true(m.drift[CC_MALE] != m.fit[CC_MALE].drift); /* calibrated, not the fitted drift */
    for (int sex = 0; sex < CC_SEXES; sex++)
        for (int a = 0; a < CC_AGES; a++)
            assert_true(m.b_single[sex][a] >= 0); /* improvement never reverses */
    cc_population_model_free(&m);
    cc_scenario_free(&s);
    tu_rmtree(dir);
}

static void test_unreachable_e0_target_is_an_error(void **state)
{
    (void)state;
    char dir[PATH_MAX];
    cc_scenario s;
    cc_population_model m;
    cc_error err;
    load_history_scenario(dir, &s, "target_year = 2065\ntarget_e0_male = 119\ntarget_e0_female = 91.35\n");
    assert_int_equal(cc_population_model_build(&s.population, &m, &err), CC_ERR_RANGE);
    assert_string_equal(err.field, "target_e0_male");
    cc_scenario_free(&s);
    tu_rmtree(dir);
}

static void test_migration_calibration_meets_the_totals(void **state)
{
    (void)state;
    char dir[PATH_MAX], ini[PATH_MAX], targets[PATH_MAX], text[2 * PATH_MAX];
    cc_scenario s, median;
    cc_population_model m;
    cc_population_workspace ws;
    cc_population_rates r;
    cc_population_path p;
    cc_error err;
    tu_mkdtemp(dir);
    tu_write_file(tu_path(targets, dir, "targets.csv"), "year,total_population\n2020,1\n2030,445000\n2035,449000\n");
    snprintf(text, sizeof text, "[migration]\nschedule = rogers_castro\ncalibrate_to = %s\n", targets);
    tu_write_data_scenario(tu_path(ini, dir, "mig.ini"), text);
    assert_cc_ok(cc_scenario_load(&s, ini, &err), &err);
    assert_int_equal(s.population.ntargets, 2); /* 2020 is before the base year and ignored */
    assert_cc_ok(cc_population_model_build(&s.population, &m, &err), &err);
    /* one level for the steps to 2030 (points 0-5), another for those to 2035 (6-10) */
    assert_true(m.level[0] > 0 && m.level[6] > 0 && m.level[5] == m.level[0] && m.level[6] == m.level[10] &&
                m.level[6] != m.level[5]);
    median = s;
    median.run.expected_values = 1;
    assert_cc_ok(cc_population_workspace_init(&ws), &err);
    assert_cc_ok(cc_population_rates_init(&r, m.years), &err);
    assert_cc_ok(cc_population_path_init(&p, m.years), &err);
    assert_cc_ok(cc_population_rates_draw(&median.population, &m, &median.run, 0, &ws, &r), &err);
    assert_cc_ok(cc_population_simulate(&median.population, &r, &median.run, 0, &ws, &p), &err);
    double totals[2] = {0, 0};
    for (int i = 0; i < CC_SEXES * CC_AGES; i++) {
        totals[0] += p.population[(size_t)5 * CC_SEXES * CC_AGES + i];
        totals[1] += p.population[(size_t)10 * CC_SEXES * CC_AGES + i];
    }
    assert_double_equal(totals[0], 445000, 1.0);
    assert_double_equal(totals[1], 449000, 1.0);
    cc_population_path_free(&p);
    cc_population_rates_free(&r);
    cc_population_workspace_free(&ws);
    cc_population_model_free(&m);
    cc_scenario_free(&s);
    tu_rmtree(dir);
}

static void test_rogers_castro_profile(void **state)
{
    (void)state;
    for (double peak = 20; peak <= 28; peak += 4) {
        double profile[CC_AGES], sum = 0;
        cc_migration_profile(peak, profile);
        int best = 15;
        for (int a = 0; a < CC_AGES; a++) {
            sum += profile[a];
            assert_true(profile[a] > 0);
            if (a >= 15 && profile[a] > profile[best])
                best = a;
        }
        assert_double_equal(sum, 1.0, 1e-12);
        assert_true(abs(best - (int)peak) <= 1); /* ages are evaluated at a + 0.5 */
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_rank_one_surface_is_recovered),
        cmocka_unit_test(test_more_years_than_groups),
        cmocka_unit_test(test_nonpositive_rate_is_an_error),
        cmocka_unit_test(test_fit_reproduces_japan_2009_2018),
        cmocka_unit_test(test_zero_volatility_follows_the_drift_exactly),
        cmocka_unit_test(test_volatility_spreads_the_index),
        cmocka_unit_test(test_drift_meets_the_e0_target),
        cmocka_unit_test(test_unreachable_e0_target_is_an_error),
        cmocka_unit_test(test_migration_calibration_meets_the_totals),
        cmocka_unit_test(test_rogers_castro_profile),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
