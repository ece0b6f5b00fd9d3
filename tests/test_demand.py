"""End-to-end tests of the demand stage (/demand in the results file), against expectations
computed here, independently of the engine, from the scenario's own tables and keys.

Method under test (README "Model", src/demand.c): per replication and setting (inpatient,
outpatient, home care)
    expected(year, sex, band) = sum over single ages in the band of
        persons(year, sex, age) x rate(setting, sex, age) / 1e5 x growth(year) x multiplier
with rate(age) the rate of the CSV group holding the age (the open group to 100), growth the
product over t = 0 .. year - rates_year - 1 of (1 + trend x trend_damping^t) for inpatients and
outpatients and (1 + trend)^(year - rates_year) for home care, the trend drawn per replication
~ Normal(trend, trend_sd) and the multiplier ~ lognormal with mean 1 and CV rate_cv; home care
also times 2.4 / visits x (1 - dental share) / 0.6, both triangular per replication; the
day's count is Poisson around it; urgent calls = Poisson(enrolled x calls per patient-month),
urgent visits = Binomial(calls, urgent_visit_share); beds needed = inpatients / occupancy;
from inpatient_shift_year a share of the expected inpatients moves into home care.

Runs (each once per test process, shared through T.cached_results; all together a few seconds):
    kashiwa.ini with expected values, n = 1 (and a copy shifting 10% of inpatients from 2030);
    kashiwa.ini, n = 400; kashiwa.ini + kashiwa-shift.ini, n = 100;
    kashiwa.ini, n = 101, then again with [demand] bed_capacity set; carecast check kashiwa.ini.
"""
import os
import re
import sys
import unittest

import h5py
import numpy as np
from numpy.polynomial.hermite_e import hermegauss

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402

# These tests are about demand: they run the shipped scenarios with the on-call stage off
# (T.without_coverage: same population and demand, same scenario names), so the coverage
# simulation does not dominate their time.

SEXES = ["male", "female", "total"]
BANDS = ["0-64", "65-74", "75-84", "85+", "total"]
BAND_AGES = [(0, 64), (65, 74), (75, 84), (85, 100)]  # inclusive; 100 = 100+
QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95]
SETTINGS = ["inpatient", "outpatient", "home_care"]  # the rate settings, in the engine's order
DEMAND_SERIES = SETTINGS + ["urgent_calls", "beds_needed", "urgent_visits"]
RATE_KEYS = {"inpatient": "inpatient_rates", "outpatient": "outpatient_rates", "home_care": "home_care_rates"}
TREND_KEYS = {"inpatient": "inpatient_trend", "outpatient": "outpatient_trend",
              "home_care": "home_care_uptake_growth"}
POPULATION_SERIES = ["total", "age65plus", "age75plus", "age85plus", "births", "deaths", "net_migration",
                     "life_expectancy_0", "life_expectancy_65"]
# t_{0.975} with 99 degrees of freedom (scipy.stats.t.ppf(0.975, 99); scipy is not available here)
T_975_DF99 = 1.9842169515086827


# -- the scenario, read here (not through the engine) ---------------------------------------------

def kashiwa_demand():
    """[demand] of scenarios/kashiwa.ini with every number as a float."""
    ini = T.read_ini(T.scenario_path("kashiwa.ini"))
    return ini["demand"], ini


def rate_table(path):
    """rate[sex 0/1, age 0..100] per 100,000 from a sex,age_lo,age_hi,rate_per_100k CSV: each
    single age takes its group's rate; the open group (empty age_hi) runs to 100."""
    rate = np.full((2, 101), np.nan)
    for row in T.read_csv_rows(path):
        sex = ["male", "female"].index(row["sex"])
        lo = int(row["age_lo"])
        hi = int(row["age_hi"]) if row["age_hi"].strip() else 100
        rate[sex, lo:min(hi, 100) + 1] = float(row["rate_per_100k"])
    assert not np.isnan(rate).any(), "the table covers every age of both sexes: " + path
    return rate


def kashiwa_rates():
    """{setting: rate[sex, age]} of kashiwa.ini's three rate tables."""
    demand, _ = kashiwa_demand()
    folder = os.path.dirname(T.scenario_path("kashiwa.ini"))
    return {s: rate_table(os.path.join(folder, demand[RATE_KEYS[s]])) for s in SETTINGS}


def by_band(per_age):
    """[..., sex 0/1, age] -> [..., sex (male, female, total), band (4 bands, total)]."""
    out = np.zeros(per_age.shape[:-2] + (3, 5))
    for b, (lo, hi) in enumerate(BAND_AGES):
        out[..., :2, b] = per_age[..., lo:hi + 1].sum(axis=-1)
    out[..., 2, :] = out[..., 0, :] + out[..., 1, :]
    out[..., 4] = out[..., :4].sum(axis=-1)
    return out


def expected_demand(by_age, rate, factor):
    """by_age [year, sex 0/1, age] x rate [sex, age] / 1e5 x factor [year] -> [year, sex, band]."""
    return by_band(by_age * rate[None] / 1e5 * np.asarray(factor)[:, None, None])


def growth(trend, damping, t):
    """prod_{i < t} (1 + trend x damping^i) (t >= 0); trend may be an array."""
    trend = np.asarray(trend, dtype=float)
    return np.prod([1 + trend * damping ** i for i in range(t)], axis=0) if t > 0 else np.ones_like(trend)


def damping_of(setting, demand):
    """The damping of a setting's trend: [demand] trend_damping, but none for home care."""
    return 1.0 if setting == "home_care" else float(demand.get("trend_damping", 0.9))


def growth_moment(trend, sd, t, power=1, damping=1.0):
    """E[growth^power] for g ~ Normal(trend, sd), by Gauss-Hermite (probabilists') quadrature."""
    nodes, weights = hermegauss(64)
    return float(np.sum(weights * growth(trend + sd * nodes, damping, t) ** power) / np.sqrt(2 * np.pi))


def triangular_moment(f, mode, lo, hi):
    """E[f(X)] for X triangular (lo, mode, hi), by the midpoint rule on 20,000 points."""
    if hi <= lo:
        return float(f(mode))
    x = lo + (hi - lo) * (np.arange(20000) + 0.5) / 20000
    pdf = np.where(x < mode, 2 * (x - lo) / ((hi - lo) * (mode - lo) if mode > lo else 1),
                   2 * (hi - x) / ((hi - lo) * (hi - mode) if hi > mode else 1))
    return float(np.sum(f(x) * pdf) * (hi - lo) / 20000)


def enrolment_moment(demand, power=1):
    """E[(2.4 / v x (1 - d) / 0.6)^power], v and d independent triangular (the keys' mode, min, max)."""
    def tri(name, defaults):
        return [float(demand.get(name + suffix, default)) for suffix, default in zip(("", "_min", "_max"), defaults)]
    v, d = tri("visits_per_patient_month", (2.4, 1.9, 2.5)), tri("dental_share", (0.40, 0.30, 0.55))
    return (triangular_moment(lambda x: (2.4 / x) ** power, *v) *
            triangular_moment(lambda x: ((1 - x) / 0.6) ** power, *d))


# -- 1. expected values ------------------------------------------------------------------------------

@T.require_binary
class ExpectedValuesTest(unittest.TestCase):
    """With expected_values = true nothing is drawn: every demand cell must equal the formula
    above with trend = its central value and multiplier 1, to 1e-9 relative."""

    @classmethod
    def setUpClass(cls):
        cls.demand, cls.ini = kashiwa_demand()
        cls.rates = kashiwa_rates()
        cls.shift_ini = T.scenario_file("shift10.ini", "[scenario]\nbase = %s\nname = shift10\n\n[demand]\n"
                                        "inpatient_shift_share = 0.1\ninpatient_shift_year = 2030\n"
                                        % T.without_coverage("kashiwa.ini"))
        ev = ["--set", "simulation.expected_values=true", "-n", "1", "-q"]
        cls.runs = [T.cached_results(T.without_coverage("kashiwa.ini"), *ev), T.cached_results(cls.shift_ini, *ev)]
        cls.base, cls.shifted = cls.runs[0].path, cls.runs[1].path

    def setUp(self):
        for run in self.runs:
            run.check(self)

    def read(self, path):
        with h5py.File(path, "r") as h5:
            data = {name: h5["demand"][name]["mean"][0] for name in DEMAND_SERIES}
            data["replications"] = {name: h5["demand"][name]["replications"][0, 0] for name in DEMAND_SERIES}
            data["by_age"] = h5["population/by_age/mean"][0]
            data["years"] = h5["axes/year"][()]
        return data

    def test_demand_is_persons_times_rate_times_trend(self):
        d = self.read(self.base)
        rates_year = int(self.demand["rates_year"])
        self.assertEqual(rates_year, 2023)
        for setting in SETTINGS:
            factor = [growth(float(self.demand[TREND_KEYS[setting]]), damping_of(setting, self.demand),
                             int(year) - rates_year) for year in d["years"]]
            want = expected_demand(d["by_age"][:, :2], self.rates[setting], factor)
            with self.subTest(setting=setting):
                self.assertTrue(np.all(want[:, :, :4] > 0))
                # every year, male and female, the four bands; then the totals
                np.testing.assert_allclose(d[setting][:, :2, :4], want[:, :2, :4], rtol=1e-9, atol=0)
                np.testing.assert_allclose(d[setting], want, rtol=1e-9, atol=0)
                np.testing.assert_array_equal(d["replications"][setting], d[setting], "n = 1: mean = the replication")

    def test_parameters_are_at_their_expectation(self):
        with h5py.File(self.base, "r") as h5:
            np.testing.assert_array_equal(h5["demand/parameters/rate_multiplier"][0, 0], [1.0, 1.0, 1.0])
            np.testing.assert_array_equal(h5["demand/parameters/rate_trend"][0, 0],
                                          [float(self.demand[TREND_KEYS[s]]) for s in SETTINGS])
            self.assertEqual(h5["demand/parameters/visits_per_patient_month"][0, 0],
                             float(self.demand["visits_per_patient_month"]))
            self.assertEqual(h5["demand/parameters/dental_share"][0, 0], float(self.demand["dental_share"]))

    def test_totals_are_sums(self):
        d = self.read(self.base)
        for name in DEMAND_SERIES:
            with self.subTest(series=name):
                x = d[name]
                np.testing.assert_allclose(x[:, 2, :], x[:, 0, :] + x[:, 1, :], rtol=1e-12, atol=0)
                np.testing.assert_allclose(x[:, :, 4], x[:, :, :4].sum(axis=2), rtol=1e-12, atol=0)

    def test_urgent_calls_and_beds(self):
        d = self.read(self.base)
        calls = float(self.demand["urgent_calls_per_patient_month"])
        occupancy = float(self.demand["occupancy"])
        self.assertEqual((calls, occupancy), (0.8, 0.8))
        np.testing.assert_allclose(d["urgent_calls"], d["home_care"] * calls, rtol=1e-12, atol=0)
        share = float(self.ini["coverage"]["urgent_visit_share"])
        self.assertEqual(share, 0.6)
        np.testing.assert_allclose(d["urgent_visits"], d["urgent_calls"] * share, rtol=1e-12, atol=0)
        np.testing.assert_allclose(d["beds_needed"], d["inpatient"] / occupancy, rtol=1e-12, atol=0)

    def test_shift_of_inpatients_into_home_care(self):
        """From 2030 on, inpatients are 0.9 x the unshifted value and home care gains exactly the
        inpatients removed, in every cell; before 2030 nothing changes; outpatient never changes."""
        base, shifted = self.read(self.base), self.read(self.shifted)
        np.testing.assert_array_equal(shifted["by_age"], base["by_age"], "the shift does not touch population")
        after = base["years"] >= 2030
        self.assertTrue(after.any() and (~after).any())
        inp, hc = base["inpatient"], base["home_care"]
        np.testing.assert_array_equal(shifted["inpatient"][~after], inp[~after])
        np.testing.assert_array_equal(shifted["home_care"][~after], hc[~after])
        np.testing.assert_allclose(shifted["inpatient"][after], 0.9 * inp[after], rtol=1e-12, atol=0)
        np.testing.assert_allclose(shifted["home_care"][after], hc[after] + 0.1 * inp[after], rtol=1e-12, atol=0)
        np.testing.assert_allclose(shifted["inpatient"] + shifted["home_care"], inp + hc, rtol=1e-12, atol=0)
        np.testing.assert_array_equal(shifted["outpatient"], base["outpatient"])
        np.testing.assert_allclose(shifted["beds_needed"], shifted["inpatient"] / 0.8, rtol=1e-12, atol=0)
        np.testing.assert_allclose(shifted["urgent_calls"], shifted["home_care"] * 0.8, rtol=1e-12, atol=0)


# -- 2. noise on: means and spread --------------------------------------------------------------------

NOISE_REPLICATIONS = 400


@T.require_binary
class NoiseTest(unittest.TestCase):
    """kashiwa.ini with its noise, fixed seed, 400 replications."""

    @classmethod
    def setUpClass(cls):
        cls.noisy = T.cached_results(T.without_coverage("kashiwa.ini"), "-n", str(NOISE_REPLICATIONS), "-q")
        cls.demand, cls.ini = kashiwa_demand()
        cls.rates = kashiwa_rates()

    def setUp(self):
        self.noisy.check(self)
        self.h5 = self.noisy.open()
        self.years = list(self.h5["axes/year"][()])
        self.rates_year = int(self.demand["rates_year"])
        self.trend_sd = float(self.demand["trend_sd"])
        self.rate_cv = float(self.demand["rate_cv"])

    def expected_sum(self, setting, year):
        """sum over sexes and ages of mean persons x rate / 1e5 (the multiplier's mean is 1)."""
        by_age = self.h5["population/by_age/mean"][0, self.years.index(year), :2]
        return float((by_age * self.rates[setting] / 1e5).sum())

    def test_replication_means_match_their_expectation(self):
        """Tolerance: |mean over replications - E| < 4 standard errors (sd over replications /
        sqrt(400)), for inpatients, outpatient visits and home care, both sexes, all ages, in
        2025 and 2040. E = sum_age mean persons x rate / 1e5 x E[(1+g)^(year-2023)] x E[multiplier],
        g ~ Normal(trend, trend_sd) (Gauss-Hermite; damped growth for inpatients and outpatients),
        E[multiplier] = 1, home care also x E[enrolment factor] (triangular draws). Population and demand
        parameters come from independent streams, so the expectation of the product factorises;
        the persons are the same 400 replications' mean, so the comparison is conditional on
        them and 4 SE of the demand itself is conservative."""
        for setting in SETTINGS:
            reps = self.h5["demand"][setting]["replications"][0, :, :, 2, 4]
            trend = float(self.demand[TREND_KEYS[setting]])
            for year in (2025, 2040):
                with self.subTest(setting=setting, year=year):
                    x = reps[:, self.years.index(year)]
                    se = x.std(ddof=1) / np.sqrt(len(x))
                    self.assertGreater(se, 0, "replications differ")
                    want = self.expected_sum(setting, year) * growth_moment(
                        trend, self.trend_sd, year - self.rates_year, damping=damping_of(setting, self.demand))
                    if setting == "home_care":
                        want *= enrolment_moment(self.demand)
                    self.assertLess(abs(x.mean() - want), 4 * se,
                                    "mean %.2f, expected %.2f, SE %.2f" % (x.mean(), want, se))

    def test_drawn_parameters(self):
        """The per-replication draws (/demand/parameters): multipliers with mean 1 and CV
        rate_cv, trends with mean trend and sd trend_sd (4 SE on the means; sd within 15%)."""
        mult = self.h5["demand/parameters/rate_multiplier"][0]
        trend = self.h5["demand/parameters/rate_trend"][0]
        n = mult.shape[0]
        self.assertEqual(mult.shape, (NOISE_REPLICATIONS, 3))
        for k, setting in enumerate(SETTINGS):
            with self.subTest(setting=setting):
                self.assertTrue(np.all(mult[:, k] > 0))
                self.assertLess(abs(mult[:, k].mean() - 1), 4 * self.rate_cv / np.sqrt(n))
                self.assertLess(abs(mult[:, k].std(ddof=1) / self.rate_cv - 1), 0.15)
                central = float(self.demand[TREND_KEYS[setting]])
                self.assertLess(abs(trend[:, k].mean() - central), 4 * self.trend_sd / np.sqrt(n))
                self.assertLess(abs(trend[:, k].std(ddof=1) / self.trend_sd - 1), 0.15)

    def test_multiplier_has_mean_one_at_a_large_cv(self):
        """At rate_cv = 0.05 a multiplier whose mean is not 1 (a lognormal missing its -sigma^2/2)
        is off by 0.1%, too little to see in 400 replications; at rate_cv = 0.8 it would be off
        by 28%. Same run with --set demand.rate_cv=0.8: log multiplier ~ Normal(-sigma^2/2,
        sigma^2), sigma^2 = ln(1 + cv^2) (4 SE on its mean, sd within 15%); and the mean of
        home care (both sexes, all ages) in 2040 within 4 SE of its expectation as above."""
        cv = 0.8
        run = T.cached_results(T.without_coverage("kashiwa.ini"), "-n", str(NOISE_REPLICATIONS), "-q",
                               "--set", "demand.rate_cv=%g" % cv)
        run.check(self)
        sigma = np.sqrt(np.log(1 + cv * cv))
        with h5py.File(run.path, "r") as h5:
            logs = np.log(h5["demand/parameters/rate_multiplier"][0])
            reps = h5["demand/home_care/replications"][0, :, self.years.index(2040), 2, 4]
            by_age = h5["population/by_age/mean"][0, self.years.index(2040), :2]
        n = logs.shape[0]
        for k, setting in enumerate(SETTINGS):
            with self.subTest(setting=setting):
                self.assertLess(abs(logs[:, k].mean() + sigma ** 2 / 2), 4 * sigma / np.sqrt(n))
                self.assertLess(abs(logs[:, k].std(ddof=1) / sigma - 1), 0.15)
        want = float((by_age * self.rates["home_care"] / 1e5).sum()) * growth_moment(
            float(self.demand["home_care_uptake_growth"]), self.trend_sd, 2040 - self.rates_year) * \
            enrolment_moment(self.demand)
        se = reps.std(ddof=1) / np.sqrt(n)
        self.assertLess(abs(reps.mean() - want), 4 * se, "mean %.1f, expected %.1f, SE %.1f" % (reps.mean(), want, se))

    def test_home_care_spread_is_plausible(self):
        """The sd of home care (both sexes, all ages) in 2040 over replications lies between 0.5x
        and 2x the sd implied by the model: X = sum persons x rate / 1e5, F = (1+g)^t x m x e
        (e the enrolment factor), Var = X^2 Var(F) + X E[F] (Poisson), Var(F) = E[(1+g)^2t]
        (1 + cv^2) E[e^2] - E[(1+g)^t]^2 E[e]^2 (the population's own variance is left out: small
        beside these)."""
        year, setting = 2040, "home_care"
        t = year - self.rates_year
        trend = float(self.demand[TREND_KEYS[setting]])
        x = self.expected_sum(setting, year)
        a = growth_moment(trend, self.trend_sd, t)
        b = growth_moment(trend, self.trend_sd, t, power=2)
        e1, e2 = enrolment_moment(self.demand), enrolment_moment(self.demand, power=2)
        implied = np.sqrt(x * x * (b * (1 + self.rate_cv ** 2) * e2 - a * a * e1 * e1) + x * a * e1)
        reps = self.h5["demand/home_care/replications"][0, :, self.years.index(year), 2, 4]
        sd = reps.std(ddof=1)
        self.assertGreater(sd, 0.5 * implied, "sd %.1f, implied %.1f" % (sd, implied))
        self.assertLess(sd, 2 * implied, "sd %.1f, implied %.1f" % (sd, implied))

    def test_counts_are_whole_and_consistent(self):
        """Noise on: the day's counts are whole numbers (Poisson), totals are sums of the cells,
        beds needed = inpatients / occupancy in every replication."""
        reps = {name: self.h5["demand"][name]["replications"][0] for name in DEMAND_SERIES}
        for name in ("inpatient", "outpatient", "home_care", "urgent_calls", "urgent_visits"):
            with self.subTest(series=name):
                np.testing.assert_array_equal(reps[name], np.round(reps[name]))
                self.assertTrue(np.all(reps[name] >= 0))
                np.testing.assert_array_equal(reps[name][..., 2, :], reps[name][..., 0, :] + reps[name][..., 1, :])
                np.testing.assert_array_equal(reps[name][..., 4], reps[name][..., :4].sum(axis=-1))
        np.testing.assert_allclose(reps["beds_needed"], reps["inpatient"] / float(self.demand["occupancy"]),
                                   rtol=1e-12, atol=0)

    def test_peak_years(self):
        check_peak_years(self, self.h5)

    def test_no_exceedance_without_bed_capacity(self):
        """kashiwa.ini gives no bed_capacity: no exceedance datasets."""
        self.assertNotIn("bed_capacity", self.demand)
        beds = self.h5["demand/beds_needed"]
        for name in ("capacity", "exceedance_probability", "first_exceedance_year", "first_exceedance_share",
                     "never_exceeded_share"):
            self.assertNotIn(name, beds, "/demand/beds_needed/%s without a bed capacity" % name)
        self.assertIn("replications", beds)


# -- 4. peak years (used by the noise and comparison runs) -------------------------------------------

def check_peak_years(testcase, h5):
    """/demand/{outpatient,inpatient}/peak_year = base year + argmax over years of each
    replication's expected total (expected_total: its parameters and population, without one
    day's Poisson noise; the first maximum on ties); peak_year_share is their histogram, sums
    to 1. The expected total itself is the mean the day's counts are drawn around: with noise
    its replications differ from the drawn totals, but by no more than Poisson noise allows."""
    years = h5["axes/year"][()]
    for name in ("outpatient", "inpatient"):
        group = h5["demand"][name]
        totals = group["expected_total/replications"][()]  # [scenario, replication, year]
        drawn = group["replications"][:, :, :, 2, 4]
        z = (drawn - totals) / np.sqrt(totals)
        testcase.assertLess(np.abs(z).max(), 6.0, "drawn totals within 6 Poisson sd of their expectation")
        testcase.assertGreater(np.abs(z).max(), 0.0, "the day's counts are drawn, not the expectation")
        peak = group["peak_year"][()]
        share = group["peak_year_share"][()]
        with testcase.subTest(series=name):
            testcase.assertEqual(peak.shape, totals.shape[:2])
            testcase.assertEqual(share.shape, (totals.shape[0], len(years)))
            np.testing.assert_array_equal(peak, years[0] + np.argmax(totals, axis=2))
            n = totals.shape[1]
            for sc in range(totals.shape[0]):
                histogram = np.array([(peak[sc] == y).sum() for y in years]) / n
                np.testing.assert_allclose(share[sc], histogram, rtol=0, atol=1e-12)
                testcase.assertAlmostEqual(share[sc].sum(), 1.0, places=12)
            testcase.assertGreater(len(np.unique(peak)), 1, "peak years vary between replications")


# -- 3. paired comparison ---------------------------------------------------------------------------

COMPARE_REPLICATIONS = 100


@T.require_binary
class ComparisonTest(unittest.TestCase):
    """carecast run kashiwa.ini kashiwa-shift.ini -n 100: differences against the first scenario
    with common random numbers."""

    @classmethod
    def setUpClass(cls):
        cls.compared = T.cached_results(T.without_coverage("kashiwa.ini"), T.without_coverage("kashiwa-shift.ini"),
                                        "-n", str(COMPARE_REPLICATIONS), "-q")

    def setUp(self):
        self.compared.check(self)
        self.h5 = self.compared.open()
        self.years = list(self.h5["axes/year"][()])
        names = [v.decode() if isinstance(v, bytes) else v for v in self.h5["axes/scenario"][()]]
        self.assertEqual(names, ["kashiwa", "kashiwa-shift"])
        shift = T.read_ini(T.scenario_path("kashiwa-shift.ini"))["demand"]
        self.shift_year = int(shift["inpatient_shift_year"])
        self.assertGreater(float(shift["inpatient_shift_share"]), 0)

    def demand_groups(self):
        return {name: self.h5["demand"][name] for name in DEMAND_SERIES}

    def test_paired_interval_is_narrower(self):
        for name in ("inpatient", "home_care"):
            for year in (2035, 2045):
                with self.subTest(series=name, year=year):
                    y = self.years.index(year)
                    paired = self.h5["demand"][name]["difference/mean_ci"][1, :, y, 2, 4]
                    unpaired = self.h5["demand"][name]["difference/mean_ci_unpaired"][1, :, y, 2, 4]
                    self.assertNotEqual(paired[1], 0, "the shift changes %s in %d" % (name, year))
                    self.assertAlmostEqual(unpaired[1], paired[1], delta=1e-9 * abs(paired[1]) + 1e-9,
                                           msg="both intervals are around the mean difference")
                    self.assertGreater(paired[2] - paired[0], 0)
                    self.assertLess(paired[2] - paired[0], unpaired[2] - unpaired[0])

    def test_paired_interval_and_quantiles_recomputed(self):
        """mean_ci[1] = mean difference +- t(0.975, 99) sd / sqrt(100); difference quantiles =
        np.quantile(method='linear') of the per-replication differences; to 1e-9 of the series'
        scale."""
        for name, group in self.demand_groups().items():
            with self.subTest(series=name):
                reps = group["replications"][()]
                diff = reps[1] - reps[0]  # [replication, year, sex, band]
                scale = max(1.0, float(np.abs(reps).max()))
                n = diff.shape[0]
                mean = diff.mean(axis=0)
                half = T_975_DF99 * diff.std(axis=0, ddof=1) / np.sqrt(n)
                want = np.stack([mean - half, mean, mean + half])
                np.testing.assert_allclose(group["difference/mean_ci"][1], want, rtol=1e-9, atol=1e-9 * scale)
                quantiles = np.quantile(diff, QUANTILES, axis=0, method="linear")
                np.testing.assert_allclose(group["difference/quantiles"][1], quantiles, rtol=1e-9,
                                           atol=1e-9 * scale)
                unpaired = group["difference/mean_ci_unpaired"][1, 1]
                np.testing.assert_allclose(unpaired, reps[1].mean(axis=0) - reps[0].mean(axis=0), rtol=1e-9,
                                           atol=1e-9 * scale)

    def test_first_scenario_differences_are_zero(self):
        groups = dict(self.demand_groups())
        groups.update({"population/" + name: self.h5["population"][name] for name in POPULATION_SERIES})
        for name, group in groups.items():
            with self.subTest(series=name):
                for kind in ("quantiles", "mean_ci", "mean_ci_unpaired"):
                    data = group["difference"][kind][0]
                    np.testing.assert_array_equal(data, np.zeros_like(data), "%s: scenario 0 vs itself" % kind)

    def test_population_is_identical_in_every_replication(self):
        """The shift does not touch population, and the streams are common: every population
        series is the same in both scenarios, replication by replication; so its differences are 0."""
        for name in POPULATION_SERIES:
            with self.subTest(series=name):
                group = self.h5["population"][name]
                reps = group["replications"][()]
                np.testing.assert_array_equal(reps[1] - reps[0], 0)
                for kind in ("quantiles", "mean_ci"):
                    data = group["difference"][kind][()]
                    np.testing.assert_array_equal(data, np.zeros_like(data), kind)
                # as if the runs were independent, the interval is around 0 but not empty
                unpaired = group["difference/mean_ci_unpaired"][1]
                np.testing.assert_array_equal(unpaired[1], 0)
                np.testing.assert_allclose(unpaired[0], -unpaired[2], rtol=1e-12, atol=0)
                varies = np.ptp(reps[0], axis=0) > 0
                self.assertTrue(np.all(unpaired[2][varies] > 0))
        by_age = self.h5["population/by_age/mean"][()]
        np.testing.assert_array_equal(by_age[1], by_age[0])

    def test_common_random_numbers_in_demand(self):
        """Before the shift year both scenarios' demand is identical in every replication and
        cell; outpatient visits are identical in every year; so are the drawn parameters."""
        before = np.array(self.years) < self.shift_year
        for name, group in self.demand_groups().items():
            with self.subTest(series=name):
                reps = group["replications"][()]
                np.testing.assert_array_equal(reps[1][:, before], reps[0][:, before])
        outpatient = self.h5["demand/outpatient/replications"][()]
        np.testing.assert_array_equal(outpatient[1], outpatient[0])
        for name in ("rate_multiplier", "rate_trend"):
            data = self.h5["demand/parameters"][name][()]
            np.testing.assert_array_equal(data[1], data[0])

    def test_peak_years(self):
        check_peak_years(self, self.h5)


# -- 5. bed capacity ------------------------------------------------------------------------------

BED_REPLICATIONS = 101  # odd: the median is an attained value, so ">" and ">=" differ
BED_YEAR = 2030


@T.require_binary
class BedCapacityTest(unittest.TestCase):
    """A capacity C = the median of beds needed (total) in 2030 of a first run (101
    replications: C is one of the values), so exceedance in 2030 is neither certain nor
    impossible, and "exceed" must mean strictly above; the same seed again with [demand]
    bed_capacity = C."""

    @classmethod
    def setUpClass(cls):
        cls.runs = [T.cached_results(T.without_coverage("kashiwa.ini"), "-n", str(BED_REPLICATIONS), "-q")]
        cls.first = cls.runs[0].path
        cls.capacity = None
        if cls.runs[0].ok:
            h5 = cls.runs[0].open()
            y = list(h5["axes/year"][()]).index(BED_YEAR)
            cls.capacity = float(np.median(h5["demand/beds_needed/expected_total/replications"][0, :, y]))
            cls.scenario = T.scenario_file("beds-%r.ini" % cls.capacity,
                                           "[scenario]\nbase = %s\nname = beds\n\n[demand]\nbed_capacity = %r\n"
                                           % (T.without_coverage("kashiwa.ini"), cls.capacity))
            cls.runs.append(T.cached_results(cls.scenario, "-n", str(BED_REPLICATIONS), "-q"))
            cls.second = cls.runs[1].path

    def setUp(self):
        for run in self.runs:
            run.check(self)
        self.assertEqual(len(self.runs), 2)
        self.h5 = self.runs[1].open()
        self.years = self.h5["axes/year"][()]
        # exceedance is judged on expected beds needed (no one-day Poisson noise)
        self.beds = self.h5["demand/beds_needed/expected_total/replications"][0]  # [replication, year]

    def test_capacity_does_not_change_the_draws(self):
        with h5py.File(self.first, "r") as first:
            np.testing.assert_array_equal(first["demand/beds_needed/replications"][()],
                                          self.h5["demand/beds_needed/replications"][()])
        np.testing.assert_array_equal(self.h5["demand/beds_needed/capacity"][()], [self.capacity])

    def test_exceedance_probability(self):
        prob = self.h5["demand/beds_needed/exceedance_probability"][()]
        self.assertEqual(prob.shape, (1, len(self.years)))
        want = (self.beds > self.capacity).mean(axis=0)
        np.testing.assert_allclose(prob[0], want, rtol=0, atol=1e-12)
        p = prob[0, list(self.years).index(BED_YEAR)]
        self.assertTrue(0 < p < 1, "exceedance in %d is neither 0 nor 1: %r" % (BED_YEAR, p))

    def test_first_exceedance(self):
        first = self.h5["demand/beds_needed/first_exceedance_year"][()]
        share = self.h5["demand/beds_needed/first_exceedance_share"][()]
        never = self.h5["demand/beds_needed/never_exceeded_share"][()]
        self.assertEqual(first.shape, (1, BED_REPLICATIONS))
        over = self.beds > self.capacity
        want = np.where(over.any(axis=1), self.years[np.argmax(over, axis=1)], 0)
        np.testing.assert_array_equal(first[0], want)
        self.assertTrue(np.any(want > 0))
        histogram = np.array([(want == y).sum() for y in self.years]) / BED_REPLICATIONS
        np.testing.assert_allclose(share[0], histogram, rtol=0, atol=1e-12)
        self.assertAlmostEqual(float(never[0]), float((want == 0).mean()), places=12)
        self.assertAlmostEqual(float(share[0].sum() + never[0]), 1.0, places=12)


# -- 7. carecast check lists the [demand] keys with their sources ------------------------------------

ASSUMPTION_KEYS = ["trend_damping", "home_care_uptake_growth", "trend_sd", "rate_cv",
                   "occupancy", "inpatient_shift_share"]


def registry_sources(section):
    """{key: source string} of one section, read from src/scenario/keys.c: the last string of
    each registry entry (adjacent literals joined)."""
    with open(os.path.join(T.source_root(), "src", "scenario", "keys.c")) as f:
        text = f.read()
    sources = {}
    pattern = r'\{\s*"%s"\s*,\s*"(\w+)"\s*,\s*CC_KEY_\w+(.*?)\}\s*,\s*(?=\{|\};)' % re.escape(section)
    for match in re.finditer(pattern, text, re.S):
        strings = re.findall(r'"((?:[^"\\]|\\.)*)"((?:\s*"(?:[^"\\]|\\.)*")*)', match.group(2))
        last = strings[-1]
        sources[match.group(1)] = last[0] + "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', last[1]))
    return sources


@T.require_binary
class CheckDemandKeysTest(unittest.TestCase):

    def test_check_lists_every_demand_key_with_its_source(self):
        result = T.run(["check", T.scenario_path("kashiwa.ini")])
        self.assertEqual(result.returncode, 0, result.stderr)
        keys = [name for section, name in T.registry_keys() if section == "demand"]
        sources = registry_sources("demand")
        self.assertEqual(sorted(sources), sorted(keys), "parsed a source for every [demand] key")
        self.assertGreaterEqual(len(keys), 15)
        self.assertIn("[demand]", result.stdout)
        demand_part = result.stdout.split("[demand]", 1)[1].split("\n[", 1)[0]
        for name in keys:
            with self.subTest(key=name):
                lines = re.findall(r"(?m)^\s+%s\s+= .*$" % re.escape(name), demand_part)
                self.assertEqual(len(lines), 1, "check prints [demand] %s once" % name)
                self.assertTrue(sources[name].strip() and sources[name] != "-", "registry source of " + name)
                self.assertTrue(lines[0].endswith("source: " + sources[name]), lines[0])
                if name in ASSUMPTION_KEYS:
                    self.assertIn("assumption", lines[0].split("source:", 1)[1])


if __name__ == "__main__":
    unittest.main()
