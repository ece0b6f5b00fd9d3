/* Unit tests of the oldest-old model (src/population/oldest_old.c): Kannisto's parameters come
 * back from single-age rates made by the model, and from 5-year group rates made by it and
 * spread flat over each group's ages; the open group's rate is l(100) / T(100) of the model's
 * stationary population (checked against GSL's integration to infinity); cc_oldest_old_apply
 * replaces 95..99 and 100+ only, and leaves bad input untouched; the base rates of a scenario
 * pass through it unless [mortality] oldest_old = none. */
#include "testutil.h"

#include <gsl/gsl_integration.h>
#include <math.h>

#include "carecast/oldest_old.h"
#include "carecast/population.h"
#include "carecast/scenario.h"

static const cc_kannisto KNOWN = {0.03, 0.14};

static void test_single_age_rates_give_back_the_parameters(void **state)
{
    (void)state;
    double rates[CC_AGES] = {0};
    for (int x = 80; x < CC_AGE_OPEN; x++)
        rates[x] = cc_kannisto_central_rate(&KNOWN, x);
    cc_kannisto fit;
    cc_error err;
    assert_cc_ok(cc_kannisto_fit(rates, 85, 99, &fit, &err), &err);
    assert_double_relative(fit.a, KNOWN.a, 1e-9);
    assert_double_relative(fit.b, KNOWN.b, 1e-9);
    /* the central rate of a year of age lies near the hazard at its middle */
    for (int x = 85; x < CC_AGE_OPEN; x++)
        assert_double_relative(rates[x], cc_kannisto_hazard(&KNOWN, x + 0.5), 0.01);
}

/* integral of l(x)/l(x0) over [x0, x1) by GSL (independent of the module's Simpson rule) */
typedef struct {
    const cc_kannisto *k;
    double x0;
} survival_args;

static double survival_fn(double x, void *p)
{
    const survival_args *s = p;
    return cc_kannisto_survival(s->k, s->x0, x);
}

static double gsl_person_years(const cc_kannisto *k, double x0, double x1)
{
    survival_args args = {k, x0};
    gsl_function f = {survival_fn, &args};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    double result, abserr;
    if (isinf(x1))
        gsl_integration_qagiu(&f, x0, 1e-13, 1e-12, 1000, w, &result, &abserr);
    else
        gsl_integration_qags(&f, x0, x1, 1e-13, 1e-12, 1000, w, &result, &abserr);
    gsl_integration_workspace_free(w);
    return result;
}

/* A 5-year table spread flat (the group's rate at each age, as japan.ini reads it): the fit
 * takes each run of equal rates as a group and matches the model's group rate to it. */
static void test_grouped_rates_give_back_the_parameters(void **state)
{
    (void)state;
    double rates[CC_AGES] = {0};
    for (int lo = 80; lo < CC_AGE_OPEN; lo += 5) {
        double group = (1 - cc_kannisto_survival(&KNOWN, lo, lo + 5)) / gsl_person_years(&KNOWN, lo, lo + 5);
        for (int x = lo; x < lo + 5; x++)
            rates[x] = group;
    }
    cc_kannisto fit;
    cc_error err;
    assert_cc_ok(cc_kannisto_fit(rates, 85, 99, &fit, &err), &err);
    assert_double_relative(fit.a, KNOWN.a, 1e-7);
    assert_double_relative(fit.b, KNOWN.b, 1e-7);
}

static void test_open_rate_is_the_stationary_population_rate(void **state)
{
    (void)state;
    const cc_kannisto cases[3] = {{0.03, 0.14}, {0.06, 0.11}, {0.015, 0.17}};
    for (int i = 0; i < 3; i++) {
        double expected = 1.0 / gsl_person_years(&cases[i], 100, INFINITY); /* l(100) = 1 */
        assert_double_relative(cc_kannisto_open_rate(&cases[i], 100), expected, 1e-9);
        /* deaths over person-years: the rate lies between the hazards at 100 and above */
        assert_true(expected > cc_kannisto_hazard(&cases[i], 100) && expected < 1.0);
    }
}

static void test_apply_replaces_95_and_over_only(void **state)
{
    (void)state;
    double rates[CC_AGES], before[CC_AGES];
    for (int x = 0; x < CC_AGES; x++)
        rates[x] = before[x] = x < 85 ? 0.001 * (x + 1) : cc_kannisto_central_rate(&KNOWN, x < 100 ? x : 99) * 1.01;
    cc_kannisto fit;
    cc_error err;
    assert_cc_ok(cc_oldest_old_apply(rates, &fit, &err), &err);
    for (int x = 0; x < 95; x++)
        assert_true(rates[x] == before[x]);
    for (int x = 95; x < CC_AGE_OPEN; x++)
        assert_double_relative(rates[x], cc_kannisto_central_rate(&fit, x), 1e-12);
    assert_double_relative(rates[CC_AGE_OPEN], cc_kannisto_open_rate(&fit, CC_AGE_OPEN), 1e-12);
    assert_double_relative(fit.b, KNOWN.b, 0.01); /* rates 1% above the model: b moves little */
}

static void test_bad_rates_are_errors_and_change_nothing(void **state)
{
    (void)state;
    double rates[CC_AGES], before[CC_AGES];
    cc_error err;
    for (int x = 0; x < CC_AGES; x++)
        rates[x] = before[x] = 0.1;
    assert_int_equal(cc_oldest_old_apply(rates, NULL, &err), CC_ERR_RANGE); /* flat: no rise with age */
    assert_memory_equal(rates, before, sizeof rates);
    for (int x = 85; x < CC_AGE_OPEN; x++)
        rates[x] = before[x] = 0.5 - 0.01 * (x - 85); /* falling */
    assert_int_equal(cc_oldest_old_apply(rates, NULL, &err), CC_ERR_RANGE);
    assert_memory_equal(rates, before, sizeof rates);
    for (int x = 85; x < CC_AGE_OPEN; x++)
        rates[x] = before[x] = cc_kannisto_central_rate(&KNOWN, x);
    rates[92] = before[92] = 1.2; /* not a rate below 1 */
    assert_int_equal(cc_oldest_old_apply(rates, NULL, &err), CC_ERR_RANGE);
    assert_memory_equal(rates, before, sizeof rates);
    assert_non_null(strstr(err.message, "age 92"));
}

/* A scenario's base rates: the model holds them after the oldest-old treatment (default), or
 * as read (oldest_old = none); the parameters' own copy is never changed. */
static void test_model_holds_the_treated_base_rates(void **state)
{
    (void)state;
    char dir[PATH_MAX], ini[PATH_MAX];
    cc_scenario s;
    cc_population_model m;
    cc_error err;
    for (int none = 0; none < 2; none++) {
        tu_mkdtemp(dir);
        tu_write_data_scenario(tu_path(ini, dir, "old.ini"), none ? "[mortality]\noldest_old = none\n" : "");
        assert_cc_ok(cc_scenario_load(&s, ini, &err), &err);
        double read[CC_SEXES][CC_AGES];
        memcpy(read, s.population.mortality_rate, sizeof read);
        assert_cc_ok(cc_population_model_build(&s.population, &m, &err), &err);
        assert_memory_equal(read, s.population.mortality_rate, sizeof read);
        assert_int_equal(m.has_kannisto, !none);
        for (int sex = 0; sex < CC_SEXES; sex++) {
            double expect[CC_AGES];
            memcpy(expect, read[sex], sizeof expect);
            if (!none)
                assert_cc_ok(cc_oldest_old_apply(expect, NULL, &err), &err);
            assert_memory_equal(m.base_rate[sex], expect, sizeof expect);
            if (!none) /* the 2020 life table's own 100+ rate is within 15% of the model's */
                assert_double_relative(m.base_rate[sex][CC_AGE_OPEN], read[sex][CC_AGE_OPEN], 0.15);
        }
        cc_population_model_free(&m);
        cc_scenario_free(&s);
        tu_rmtree(dir);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_age_rates_give_back_the_parameters),
        cmocka_unit_test(test_grouped_rates_give_back_the_parameters),
        cmocka_unit_test(test_open_rate_is_the_stationary_population_rate),
        cmocka_unit_test(test_apply_replaces_95_and_over_only),
        cmocka_unit_test(test_bad_rates_are_errors_and_change_nothing),
        cmocka_unit_test(test_model_holds_the_treated_base_rates),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
