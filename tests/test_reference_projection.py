"""The deterministic projection (simulation.expected_values = true) against an independent
cohort-component projection computed here with numpy from the scenario's own CSV tables,
following the method documented in the headers of src/population/population.c,
src/population/lifetable.c, src/scenario/tables.c, include/carecast/ages.h (grouped death rates
at single ages) and include/carecast/oldest_old.h (Kannisto's model):

  base death rates from lx (a table sex,age,lx): L(x) = (l(x) + l(x+1)) / 2 for x < 100,
      m(x) = (l(x) - l(x+1)) / L(x); the open group's rate m(100+) = l(100) / T(100), T(100) =
      sum of L(x) from 100 up to the last listed age, whose survivors all die within the year
      (L(last) = l(last) / 2);
  base death rates from grouped rates (sex,age_lo,age_hi,death_rate_per_100k, rate / 1e5): below
      age 30, in groups of one age and in the open group each age takes its group's rate; from 30,
      in each closed group of two or more ages m(x) = c e^(s (x - centre)), s the slope of the log
      rates between the neighbouring groups (centre (lo + hi) / 2 to centre; one-sided, from the
      group itself, when there is only one neighbour; the open group is no neighbour), c such that
      the group's deaths over its person-years in a life table through the group from l = 1 (q =
      2m / (2 + m), person-years l (1 - q / 2)) equal the group's rate;
  the oldest old (the default [mortality] oldest_old = kannisto): the rates at 95..99 and 100+
      are replaced by Kannisto's logistic hazard mu(x) = a e^(b (x-80)) / (1 + a e^(b (x-80))),
      fitted to the rates at 85..99 (after the spreading above). Runs of equal rates there are
      groups; a group's model rate is its deaths over person-years under the model (1 -
      l(hi+1)/l(lo)) / integral of l(x)/l(lo) over [lo, hi+1). The fit: weighted least squares
      (weights = the group's number of ages) of logit(rate) + logit mu(middle) - logit(model group
      rate) on middle - 80, iterated to a fixed point (model group rates = data on the logit
      scale, in least squares). Then m(x), x = 95..99 = the model's central rate of [x, x+1) and
      m(100+) = 1 / integral of l(x)/l(100) from 100 to 200 (l in closed form; the integrals by
      Gauss-Legendre quadrature, 16 nodes a year of age);
  life table from the rates: q = 2m / (2 + m); l(0) = 1, l(x+1) = l(x)(1 - q); L(x) = (l(x) +
      l(x+1)) / 2; T(100) = l(100) / m(100+) (for an lx table without the oldest-old treatment
      this gives back the table's own l / l(0) and L / l(0));
  time: year points ("year Y") are on the reference date ([simulation] reference_date, MM-DD,
      default 10-01) of Y; the base population is counted on the base date ([simulation]
      base_date, default the reference date of base_year); the first point is the first
      reference date on or after the base date, reached by a first step of h0 years (decimal
      years: year + (day of year - 1) / days in the year; h0 = 0 when the base date is the
      first point, which then is the base population, with no flows); every later step is one
      year. Stocks at index y are those of point y; flows at index y those of the step ending
      there;
  a whole-year step: survival x < 99: L(x+1) / L(x); 99 -> 100+: l(100)(1 - e^-m) / m / L(99),
      m = m(100+); 100+ stays: e^-m; births to age 0 at the step's end: L(0) / l(0);
  a step of h < 1 years: survivors at x: P(x) s(x)^h, s the whole-year survival above; a share h of them reach x+1 (100+
      stays), the rest stay at x; births h sum_x f(x) (W(x) + S_W(x)) / 2 all stay at age 0,
      surviving with e^(-m(0) h / 2);
  births (either step) = sum_x f(x) (W(x, start) + W(x, end)) / 2 per year of the step, W(x, end)
      the surviving women (before births), split male : female = 1.05 : 1 (the scenario's sex
      ratio);
  life expectancy (every step's, here of the one constant table) e(x) = (sum of L from x, with
      T(100) for the open group) / l(x); both sexes: at birth weighted r : 1, at 65 weighted by
      r l_m(65) : l_f(65).

The base population by single age is taken from the results file (/population/base, the
population on the base date): the age split is tested in test_results_file.py.

The reference models the base-table projection (constant rates, no migration). The shipped
scenarios may add sections this reference does not model (mortality improvement, a fertility
path, migration), so the test runs a scenario derived from each shipped one: the same
[simulation] dates and years, [population] tables and sex ratio and [mortality] oldest_old,
nothing else. With constant rates, the blending of calendar years' rates over a step that
overlaps two of them changes nothing, so the reference need not model it.
"""
import datetime
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402

AGES = 101
OPEN = 100
SEXES = ("male", "female")

# Keys of the base-table model the reference implements (everything else is left at its
# default, which the registry documents as "none" / "held constant").
REFERENCE_KEYS = {
    "simulation": ("seed", "base_year", "base_date", "reference_date", "end_year"),
    "population": ("base_population", "age_split", "mortality", "mortality_year", "fertility",
                   "sex_ratio_at_birth"),
    "mortality": ("oldest_old",),
}

GOMPERTZ_FROM_AGE = 30           # grouped death rates rise log-linearly within groups from here
KANNISTO_FIT = (85, 99)          # single ages of the Kannisto fit
KANNISTO_FROM = 95               # first single age given the model's rate
KANNISTO_TOP = 200               # the open group's person-years are integrated up to this age
GAUSS_NODES = 16                 # Gauss-Legendre nodes per year of age

# Official period life expectancy at birth of the 2020 complete life table (MHLW, 23rd), the
# source of jp_lifetable_2020_1x1.csv: scenarios/data/life_expectancy_anchors.csv.
ANCHOR_SOURCE = "MHLW_LT23"


class LifeTable:
    """Single-year life table l(0..100), L(0..99), the central death rates m(0..100) (the open
    group's m(100+) last) and T(100)."""

    def __init__(self, lx, Lx, m):
        self.lx = np.asarray(lx, dtype=float)  # ages 0..100
        self.Lx = np.asarray(Lx, dtype=float)  # ages 0..99
        self.m = np.asarray(m, dtype=float)    # ages 0..100
        self.m_open = float(self.m[OPEN])
        self.T_open = self.lx[OPEN] / self.m_open

    @classmethod
    def from_rates(cls, m):
        m = np.asarray(m, dtype=float)
        q = np.minimum(1.0, 2 * m[:OPEN] / (2 + m[:OPEN]))
        l = np.concatenate([[1.0], np.cumprod(1 - q)])
        return cls(l, (l[:-1] + l[1:]) / 2, m)

    def survival(self):
        s = np.empty(AGES)
        s[:OPEN - 1] = self.Lx[1:OPEN] / self.Lx[:OPEN - 1]
        m = self.m_open
        s[OPEN - 1] = self.lx[OPEN] * (1 - np.exp(-m)) / m / self.Lx[OPEN - 1]
        s[OPEN] = np.exp(-m)
        return s

    def birth_survival(self):
        return self.Lx[0] / self.lx[0]

    def expectancy(self, age):
        return (self.Lx[age:].sum() + self.T_open) / self.lx[age]


def rates_from_lx(lx_by_age):
    """Central death rates m(0..100) of a life table's lx column (ages 0..last >= 100)."""
    l = np.asarray(lx_by_age, dtype=float)
    last = len(l) - 1
    assert last >= OPEN, "the life table must reach 100"
    L = (l[:-1] + l[1:]) / 2  # L(0..last-1)
    T_open = L[OPEN:last].sum() + l[last] / 2
    return np.append((l[:OPEN] - l[1:OPEN + 1]) / L[:OPEN], l[OPEN] / T_open)


def group_death_rate(m):
    """Deaths over person-years of a life table through ages with rates m, from l = 1."""
    q = np.minimum(1.0, 2 * m / (2 + m))
    l = np.concatenate([[1.0], np.cumprod(1 - q)[:-1]])
    return np.sum(l * q) / np.sum(l * (1 - q / 2))


def rates_from_groups(groups):
    """Single-age rates m(0..100) from [(lo, hi or None for the open group, rate)] sorted by lo:
    flat below GOMPERTZ_FROM_AGE, in groups of one age and in the open group; log-linear within
    the other closed groups, at the level that keeps the group's rate (see the module doc)."""
    m = np.full(AGES, np.nan)
    for lo, hi, rate in groups:
        m[min(lo, OPEN):(OPEN if hi is None else min(hi, OPEN)) + 1] = rate
    assert not np.isnan(m).any(), "the death-rate table covers every age"
    closed = [(lo, hi, rate) for lo, hi, rate in groups if hi is not None and hi < OPEN]
    for i, (lo, hi, rate) in enumerate(closed):
        if lo < GOMPERTZ_FROM_AGE or hi == lo or rate <= 0:
            continue
        below = closed[i - 1] if i > 0 and closed[i - 1][2] > 0 else None
        above = closed[i + 1] if i + 1 < len(closed) and closed[i + 1][2] > 0 else None
        first, second = below or closed[i], above or closed[i]  # one-sided at the ends
        if first == second:
            continue
        centre = lambda g: (g[0] + g[1]) / 2  # noqa: E731
        slope = (np.log(second[2]) - np.log(first[2])) / (centre(second) - centre(first))
        shape = np.exp(slope * (np.arange(lo, hi + 1) - centre(closed[i])))
        # the level c: secant iterations on log c for group_death_rate(c shape) = rate
        x0, x1 = np.log(rate), np.log(rate) + 0.01
        f0, f1 = (np.log(group_death_rate(np.exp(x) * shape)) - np.log(rate) for x in (x0, x1))
        for _ in range(100):
            if f1 == f0:
                break
            x0, x1, f0 = x1, x1 - f1 * (x1 - x0) / (f1 - f0), f1
            f1 = np.log(group_death_rate(np.exp(x1) * shape)) - np.log(rate)
        assert abs(f1) < 1e-13, "the level of group %d-%d" % (lo, hi)
        m[lo:hi + 1] = np.exp(x1) * shape
    return m


class Kannisto:
    """mu(x) = a e^(b (x-80)) / (1 + a e^(b (x-80))): closed-form survival, person-years by
    Gauss-Legendre quadrature a year of age at a time."""
    nodes, weights = np.polynomial.legendre.leggauss(GAUSS_NODES)

    def __init__(self, a, b):
        self.a, self.b = a, b

    def hazard(self, x):
        return 1 / (1 + np.exp(-(np.log(self.a) + self.b * (np.asarray(x, dtype=float) - 80))))

    def log_l(self, x):  # log l(x) up to a constant: -(1/b) log(1 + a e^(b (x-80)))
        return -np.logaddexp(0, np.log(self.a) + self.b * (np.asarray(x, dtype=float) - 80)) / self.b

    def person_years(self, x0, x1):
        """Integral of l(x) / l(x0) over [x0, x1] (whole years)."""
        starts = np.arange(x0, x1)[:, None]
        x = starts + (self.nodes[None, :] + 1) / 2
        return np.sum(self.weights[None, :] / 2 * np.exp(self.log_l(x) - self.log_l(x0)))

    def group_rate(self, x0, x1):
        """Deaths over person-years of the ages [x0, x1) under the model."""
        return -np.expm1(self.log_l(x1) - self.log_l(x0)) / self.person_years(x0, x1)


def logit(p):
    return np.log(p / (1 - p))


def fit_kannisto(m):
    """Kannisto's model fitted to m[85..99] (see the module doc)."""
    fit_from, fit_to = KANNISTO_FIT
    groups = []  # [lo, hi + 1, rate]: runs of equal rates
    for x in range(fit_from, fit_to + 1):
        assert 0 < m[x] < 1, "rate at %d outside (0, 1)" % x
        if groups and m[x] == groups[-1][2]:
            groups[-1][1] = x + 1
        else:
            groups.append([x, x + 1, m[x]])
    assert len(groups) >= 2
    lo, end, rate = (np.array(v, dtype=float) for v in zip(*groups))
    middle, weight, target = (lo + end) / 2 - 80, end - lo, logit(rate)
    design = np.stack([np.ones_like(middle), middle], axis=1) * np.sqrt(weight)[:, None]
    y, model = target, None
    for _ in range(200):
        (log_a, b), *_ = np.linalg.lstsq(design, y * np.sqrt(weight), rcond=None)
        assert b > 0, "the hazard rises with age"
        new = Kannisto(np.exp(log_a), b)
        done = model is not None and abs(new.a - model.a) / new.a + abs(new.b - model.b) / new.b < 1e-14
        model = new
        if done:
            break
        gap = [logit(model.hazard(mid + 80)) - logit(model.group_rate(int(g[0]), int(g[1])))
               for mid, g in zip(middle, groups)]
        y = target + np.array(gap)
    return model


def oldest_old(m):
    """m with 95..99 and 100+ from Kannisto's model fitted to 85..99."""
    m = np.array(m, dtype=float)
    model = fit_kannisto(m)
    for x in range(KANNISTO_FROM, OPEN):
        m[x] = model.group_rate(x, x + 1)
    m[OPEN] = 1 / model.person_years(OPEN, KANNISTO_TOP)
    return m


def read_mortality(path, oldest_old_model="kannisto"):
    """{sex: LifeTable} from an lx table or a grouped death-rate table."""
    rows = T.read_csv_rows(path)
    tables = {}
    for sex in SEXES:
        if "lx" in rows[0]:
            pairs = sorted((int(r["age"]), float(r["lx"])) for r in rows if r["sex"] == sex)
            assert [a for a, _ in pairs] == list(range(len(pairs))), "single ages from 0"
            m = rates_from_lx([v for _, v in pairs])
        elif "death_rate_per_100k" in rows[0]:
            groups = sorted((int(r["age_lo"]), int(r["age_hi"]) if r["age_hi"].strip() else None,
                             float(r["death_rate_per_100k"]) / 1e5) for r in rows if r["sex"] == sex)
            m = rates_from_groups(groups)
        else:
            raise AssertionError("reference: unsupported mortality table %s" % path)
        if oldest_old_model == "kannisto":
            m = oldest_old(m)
        else:
            assert oldest_old_model == "none", oldest_old_model
        tables[sex] = LifeTable.from_rates(m)
    return tables


def read_fertility(path):
    f = np.zeros(AGES)
    for r in T.read_csv_rows(path):
        f[int(r["age"])] = float(r["asfr"])
    return f


def decimal_year(date):
    """year + (day of year - 1) / days in the year (a datetime.date)."""
    days = (datetime.date(date.year + 1, 1, 1) - datetime.date(date.year, 1, 1)).days
    return date.year + (date.timetuple().tm_yday - 1) / days


def time_axis(settings):
    """(base date, base_year, first step in years) of [simulation] base_date / reference_date /
    base_year: the first point is the first reference date on or after the base date."""
    month, day = (int(v) for v in settings.get("reference_date", "10-01").split("-"))
    if settings.get("base_date"):
        base = datetime.date(*(int(v) for v in settings["base_date"].split("-")))
        first_year = base.year + ((base.month, base.day) > (month, day))
        if settings.get("base_year"):
            assert int(settings["base_year"]) == first_year, "base_year agrees with base_date"
    else:
        first_year = int(settings["base_year"])
        base = datetime.date(first_year, month, day)
    first_step = decimal_year(datetime.date(first_year, month, day)) - decimal_year(base)
    return base, first_year, first_step if first_step > 1e-9 else 0.0


def project(base, tables, fertility, sex_ratio, years, first_step):
    """Deterministic cohort-component projection. base: {sex: array(101)} on the base date;
    point y is reached by step y (first_step years for y = 0, else 1). Returns population
    [years][2][101] on the points, births [years][2] and deaths [years][2] of the steps."""
    survival = {sex: tables[sex].survival() for sex in SEXES}
    newborn = {sex: tables[sex].birth_survival() for sex in SEXES}
    pop = np.zeros((years, 2, AGES))
    births = np.zeros((years, 2))
    deaths = np.zeros((years, 2))
    now = np.array([base["male"], base["female"]], dtype=float)
    for y in range(years):
        h = first_step if y == 0 else 1.0
        if h == 0:  # the base date is the first point: no flows
            pop[y] = now
            continue
        nxt = np.zeros((2, AGES))
        born_alive = {}
        for s, sex in enumerate(SEXES):
            if h < 1:  # the year's survival to the power h; a share h of the survivors age
                alive = now[s] * survival[sex] ** h
                up = alive[:OPEN] * h
                nxt[s, 1:] += up
                nxt[s, :OPEN] += alive[:OPEN] - up
                nxt[s, OPEN] += alive[OPEN]
                born_alive[sex] = np.exp(-tables[sex].m[0] * h / 2)
            else:
                alive = now[s] * survival[sex]
                nxt[s, 1:] += alive[:OPEN]
                nxt[s, OPEN] += alive[OPEN]
                born_alive[sex] = newborn[sex]
            deaths[y, s] = now[s].sum() - alive.sum()
        total_births = h * np.sum(fertility[:OPEN] * (now[1, :OPEN] + nxt[1, :OPEN]) / 2)
        by_sex = (total_births * sex_ratio / (1 + sex_ratio), total_births / (1 + sex_ratio))
        for s, sex in enumerate(SEXES):
            births[y, s] = by_sex[s]
            survivors = by_sex[s] * born_alive[sex]
            nxt[s, 0] += survivors
            deaths[y, s] += by_sex[s] - survivors
        pop[y] = nxt
        now = nxt
    return pop, births, deaths


@T.require_binary
class ReferenceProjectionTest(unittest.TestCase):
    maxDiff = None

    def derived_scenario(self, shipped, variant="", overrides=None):
        """A scenario with only the keys the reference models, tables by absolute path;
        overrides: {section: {key: value}} to set (a value None: leave the key out)."""
        ini = T.read_ini(shipped)
        base = os.path.dirname(shipped)
        stem = os.path.splitext(os.path.basename(shipped))[0] + variant
        lines = ["; derived from %s for the reference projection test" % shipped,
                 "[scenario]", "name = %s_reference" % stem]
        settings = {}
        for section, keys in REFERENCE_KEYS.items():
            lines.append("[%s]" % section)
            given = dict(ini.get(section, {}))
            given.update((overrides or {}).get(section, {}))
            for key in keys:
                if given.get(key) is not None:
                    value = given[key]
                    if key in ("base_population", "mortality", "fertility"):
                        value = os.path.join(base, value)
                    lines.append("%s = %s" % (key, value))
                    settings[key] = value
        self.assertTrue(settings.get("base_date") or settings.get("base_year"),
                        "%s gives base_date or base_year" % shipped)
        return T.scenario_file("%s_reference.ini" % stem, "\n".join(lines) + "\n"), settings

    def check_against_reference(self, name, replications=1, variant="", overrides=None):
        shipped = T.scenario_path(name)
        scenario, settings = self.derived_scenario(shipped, variant, overrides)
        run = T.cached_results(scenario, "-n", str(replications), "--set", "simulation.expected_values=true")
        run.check(self)
        h5 = run.open()
        by_age = h5["population/by_age/mean"][0]
        sd = h5["population/by_age/sd"][0]
        years = h5["axes/year"][()]
        series = {key: h5["population"][key]["mean"][0] for key in
                  ("total", "births", "deaths", "life_expectancy_0", "life_expectancy_65")}
        tables = read_mortality(settings["mortality"], settings.get("oldest_old", "kannisto"))
        fertility = read_fertility(settings["fertility"])
        sex_ratio = float(settings.get("sex_ratio_at_birth", 1.05))
        base_date, base_year, first_step = time_axis(settings)
        scenario_name = T.read_ini(scenario)["scenario"]["name"]
        fitted = h5["population/fitted"][scenario_name]
        self.assertEqual(h5["population/base"].attrs["date"], base_date.isoformat())
        self.assertEqual(fitted.attrs["base_date"], base_date.isoformat())
        self.assertAlmostEqual(fitted.attrs["first_step_years"], first_step, delta=1e-12)
        base_by_age = h5["population/base"][0]
        base = {"male": base_by_age[0], "female": base_by_age[1]}
        pop, births, deaths = project(base, tables, fertility, sex_ratio, len(years), first_step)

        self.assertEqual(years[0], base_year)
        self.assertEqual(years[-1], int(settings["end_year"]))
        diff = np.abs(by_age[:, :2, :] - pop)
        worst = np.unravel_index(np.argmax(diff), diff.shape)
        print("\n%s: first step %.4f years; max |carecast - reference| = %.3g persons (year %d, %s, age %d); "
              "total %d: carecast %.1f, reference %.1f"
              % (scenario_name, first_step, diff.max(), years[worst[0]], SEXES[worst[1]], worst[2], years[-1],
                 by_age[-1, 2].sum(), pop[-1].sum()), file=sys.stderr)
        self.assertLess(diff.max(), 1.0, "every age, sex and year within 1 person of the reference")
        np.testing.assert_allclose(by_age[:, 2, :], pop.sum(axis=1), rtol=0, atol=1.0)
        np.testing.assert_allclose(series["births"][:, :2], births, rtol=1e-9, atol=1e-6)
        np.testing.assert_allclose(series["deaths"][:, :2], deaths, rtol=1e-9, atol=1e-6)
        np.testing.assert_allclose(series["total"][:, 2], pop.sum(axis=(1, 2)), rtol=0, atol=1.0)
        if replications > 1:
            np.testing.assert_array_equal(sd, 0, "expected values: every replication is the same")

        # life expectancy of each year's (here constant) table
        e0 = [tables[sex].expectancy(0) for sex in SEXES]
        e65 = [tables[sex].expectancy(65) for sex in SEXES]
        l65 = [tables[sex].lx[65] / tables[sex].lx[0] for sex in SEXES]
        e0_total = (sex_ratio * e0[0] + e0[1]) / (sex_ratio + 1)
        w65 = (sex_ratio * l65[0], l65[1])
        e65_total = (w65[0] * e65[0] + w65[1] * e65[1]) / (w65[0] + w65[1])
        for y in range(len(years)):
            np.testing.assert_allclose(series["life_expectancy_0"][y], e0 + [e0_total], rtol=1e-10)
            np.testing.assert_allclose(series["life_expectancy_65"][y], e65 + [e65_total], rtol=1e-10)
        return settings, series

    def test_kashiwa(self):
        self.check_against_reference("kashiwa.ini")

    def test_life_table_as_read(self):
        """oldest_old = none keeps an lx table's rates as read: the 2020 complete life table gives
        back its official life expectancy at birth."""
        settings, series = self.check_against_reference("kashiwa.ini", variant="_lt2020_as_read", overrides={
            "population": {"mortality": "data/jp_lifetable_2020_1x1.csv", "mortality_year": "2020"},
            "mortality": {"oldest_old": "none"}})
        anchors = {r["sex"]: float(r["value"]) for r in
                   T.read_csv_rows(os.path.join(os.path.dirname(settings["mortality"]), "life_expectancy_anchors.csv"))
                   if r["source_id"] == ANCHOR_SOURCE and r["indicator"] == "life_expectancy_at_birth"}
        self.assertEqual(set(anchors), set(SEXES))
        for s, sex in enumerate(SEXES):
            self.assertAlmostEqual(series["life_expectancy_0"][0, s], anchors[sex], delta=0.01)

    def test_japan(self):
        self.check_against_reference("japan.ini")

    def test_grouped_rates_without_oldest_old(self):
        """The grouped rates spread to single ages on their own (oldest_old = none)."""
        self.check_against_reference("japan.ini", variant="_as_read", overrides={"mortality": {"oldest_old": "none"}})

    def test_base_year_only(self):
        """No base_date: the base population is on base_year's reference date, the first point
        (an empty first step, no flows at index 0)."""
        settings, series = self.check_against_reference("kashiwa.ini", variant="_base_year", overrides={"simulation": {
            "base_date": None, "reference_date": None, "base_year": "2025"}})
        np.testing.assert_array_equal(series["births"][0], 0)
        np.testing.assert_array_equal(series["deaths"][0], 0)

    def test_base_date_in_a_leap_year(self):
        """A base date off the reference date in a leap year: a first step of (275 - 61) / 366
        years (1 March to 1 October 2024), then whole years."""
        self.check_against_reference("kashiwa.ini", variant="_leap", overrides={"simulation": {
            "base_date": "2024-03-01", "reference_date": "10-01", "base_year": None, "end_year": "2030"}})

    def test_expected_values_make_replications_identical(self):
        self.check_against_reference("kashiwa.ini", replications=3)


if __name__ == "__main__":
    unittest.main()
