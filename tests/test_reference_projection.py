"""The deterministic projection (simulation.expected_values = true) against an independent
cohort-component projection computed here with numpy from the scenario's own CSV tables,
following the method documented in the headers of src/population.c, src/lifetable.c and
src/scenario_tables.c:

  life table from lx (a table sex,age,lx):  L(x) = (l(x) + l(x+1)) / 2 for x < 100; the open
      group's rate m(100+) = l(100) / T(100), T(100) = sum of L(x) from 100 up to the last
      listed age, whose survivors all die within the year (L(last) = l(last) / 2);
  life table from grouped death rates (sex,age_lo,age_hi,death_rate_per_100k): each age takes
      its group's rate / 1e5 as m(x); q = 2m / (2 + m); l(0) = 1, l(x+1) = l(x)(1 - q);
  survival: x < 99: L(x+1) / L(x); 99 -> 100+: l(100)(1 - e^-m) / m / L(99), m = m(100+);
      100+ stays: e^-m; births to age 0 at the year's end: L(0) / l(0);
  births = sum_x f(x) (W(x, t) + W(x, t+1)) / 2, W(x, t+1) the surviving women (before
      births), split male : female = 1.05 : 1 (the scenario's sex ratio);
  life expectancy e(x) = (sum of L from x, with T(100) for the open group) / l(x); both sexes:
      at birth weighted r : 1, at 65 weighted by r l_m(65) : l_f(65).

The base population by single age is taken from the results file (year 0 of
/population/by_age/mean): the age split is tested in test_results_file.py.

The reference models the base-table projection (constant rates, no migration). The shipped
scenarios may add sections this reference does not model (mortality improvement, a fertility
path, migration), so the test runs a scenario derived from each shipped one: the same
[simulation] years and [population] tables and sex ratio, nothing else.
"""
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
    "simulation": ("seed", "base_year", "end_year"),
    "population": ("base_population", "age_split", "mortality", "fertility", "sex_ratio_at_birth"),
}

# Official period life expectancy at birth of the 2020 complete life table (MHLW, 23rd), the
# source of jp_lifetable_2020_1x1.csv: scenarios/data/life_expectancy_anchors.csv.
ANCHOR_SOURCE = "MHLW_LT23"


class LifeTable:
    """Single-year life table l(0..100), L(0..99), the open group's m and T(100)."""

    def __init__(self, lx, Lx, m_open):
        self.lx = np.asarray(lx, dtype=float)  # ages 0..100
        self.Lx = np.asarray(Lx, dtype=float)  # ages 0..99
        self.m_open = float(m_open)
        self.T_open = self.lx[OPEN] / self.m_open

    @classmethod
    def from_lx_column(cls, lx_by_age):
        """From a life table's lx column (ages 0..last >= 100), directly (no m round trip)."""
        l = np.asarray(lx_by_age, dtype=float)
        last = len(l) - 1
        assert last >= OPEN, "the life table must reach 100"
        L = (l[:-1] + l[1:]) / 2  # L(0..last-1)
        T_open = L[OPEN:last].sum() + l[last] / 2
        return cls(l[:OPEN + 1], L[:OPEN], l[OPEN] / T_open)

    @classmethod
    def from_rates(cls, m):
        m = np.asarray(m, dtype=float)
        q = np.minimum(1.0, 2 * m[:OPEN] / (2 + m[:OPEN]))
        l = np.concatenate([[1.0], np.cumprod(1 - q)])
        return cls(l, (l[:-1] + l[1:]) / 2, m[OPEN])

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


def read_mortality(path):
    """{sex: LifeTable} from an lx table or a grouped death-rate table."""
    rows = T.read_csv_rows(path)
    tables = {}
    if "lx" in rows[0]:
        for sex in SEXES:
            pairs = sorted((int(r["age"]), float(r["lx"])) for r in rows if r["sex"] == sex)
            assert [a for a, _ in pairs] == list(range(len(pairs))), "single ages from 0"
            tables[sex] = LifeTable.from_lx_column([v for _, v in pairs])
    elif "death_rate_per_100k" in rows[0]:
        for sex in SEXES:
            m = np.full(AGES, np.nan)
            for r in rows:
                if r["sex"] != sex:
                    continue
                lo = int(r["age_lo"])
                hi = int(r["age_hi"]) if r["age_hi"].strip() else OPEN
                m[min(lo, OPEN):min(hi, OPEN) + 1] = float(r["death_rate_per_100k"]) / 1e5
            assert not np.isnan(m).any(), "the death-rate table covers every age"
            tables[sex] = LifeTable.from_rates(m)
    else:
        raise AssertionError("reference: unsupported mortality table %s" % path)
    return tables


def read_fertility(path):
    f = np.zeros(AGES)
    for r in T.read_csv_rows(path):
        f[int(r["age"])] = float(r["asfr"])
    return f


def project(base, tables, fertility, sex_ratio, years):
    """Deterministic cohort-component projection. base: {sex: array(101)}.
    Returns population [years][2][101], births [years][2], deaths [years][2]."""
    survival = {sex: tables[sex].survival() for sex in SEXES}
    newborn = {sex: tables[sex].birth_survival() for sex in SEXES}
    pop = np.zeros((years, 2, AGES))
    births = np.zeros((years, 2))
    deaths = np.zeros((years, 2))
    pop[0] = [base["male"], base["female"]]
    for y in range(years):
        now = pop[y]
        nxt = np.zeros((2, AGES))
        for s, sex in enumerate(SEXES):
            alive = now[s] * survival[sex]
            nxt[s, 1:] += alive[:OPEN]
            nxt[s, OPEN] += alive[OPEN]
            deaths[y, s] = now[s].sum() - alive.sum()
        total_births = np.sum(fertility[:OPEN] * (now[1, :OPEN] + nxt[1, :OPEN]) / 2)
        by_sex = (total_births * sex_ratio / (1 + sex_ratio), total_births / (1 + sex_ratio))
        for s, sex in enumerate(SEXES):
            births[y, s] = by_sex[s]
            nxt[s, 0] = by_sex[s] * newborn[sex]
            deaths[y, s] += by_sex[s] - nxt[s, 0]
        if y + 1 < years:
            pop[y + 1] = nxt
    return pop, births, deaths


@T.require_binary
class ReferenceProjectionTest(unittest.TestCase):
    maxDiff = None

    def derived_scenario(self, shipped):
        """A scenario with only the keys the reference models, tables by absolute path."""
        ini = T.read_ini(shipped)
        base = os.path.dirname(shipped)
        lines = ["; derived from %s for the reference projection test" % shipped,
                 "[scenario]", "name = %s_reference" % os.path.splitext(os.path.basename(shipped))[0]]
        settings = {}
        for section, keys in REFERENCE_KEYS.items():
            lines.append("[%s]" % section)
            for key in keys:
                if key in ini.get(section, {}):
                    value = ini[section][key]
                    if key in ("base_population", "mortality", "fertility"):
                        value = os.path.join(base, value)
                    lines.append("%s = %s" % (key, value))
                    settings[key] = value
        name = "%s_reference.ini" % os.path.splitext(os.path.basename(shipped))[0]
        return T.scenario_file(name, "\n".join(lines) + "\n"), settings

    def check_against_reference(self, name, replications=1):
        shipped = T.scenario_path(name)
        scenario, settings = self.derived_scenario(shipped)
        run = T.cached_results(scenario, "-n", str(replications), "--set", "simulation.expected_values=true")
        run.check(self)
        h5 = run.open()
        by_age = h5["population/by_age/mean"][0]
        sd = h5["population/by_age/sd"][0]
        years = h5["axes/year"][()]
        series = {key: h5["population"][key]["mean"][0] for key in
                  ("total", "births", "deaths", "life_expectancy_0", "life_expectancy_65")}
        tables = read_mortality(settings["mortality"])
        fertility = read_fertility(settings["fertility"])
        sex_ratio = float(settings.get("sex_ratio_at_birth", 1.05))
        base = {"male": by_age[0, 0], "female": by_age[0, 1]}
        pop, births, deaths = project(base, tables, fertility, sex_ratio, len(years))

        self.assertEqual(years[0], int(settings["base_year"]))
        self.assertEqual(years[-1], int(settings["end_year"]))
        diff = np.abs(by_age[:, :2, :] - pop)
        worst = np.unravel_index(np.argmax(diff), diff.shape)
        print("\n%s: max |carecast - reference| = %.3g persons (year %d, %s, age %d); "
              "total %d: carecast %.1f, reference %.1f"
              % (name, diff.max(), years[worst[0]], SEXES[worst[1]], worst[2], years[-1],
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
        settings, series = self.check_against_reference("kashiwa.ini")
        # the life table read as lx gives back the official life expectancy at birth
        anchors = {r["sex"]: float(r["value"]) for r in
                   T.read_csv_rows(os.path.join(os.path.dirname(settings["mortality"]), "life_expectancy_anchors.csv"))
                   if r["source_id"] == ANCHOR_SOURCE and r["indicator"] == "life_expectancy_at_birth"}
        if "jp_lifetable_2020" in settings["mortality"] and anchors:
            for s, sex in enumerate(SEXES):
                self.assertAlmostEqual(series["life_expectancy_0"][0, s], anchors[sex], delta=0.01)

    def test_japan(self):
        self.check_against_reference("japan.ini")

    def test_expected_values_make_replications_identical(self):
        self.check_against_reference("kashiwa.ini", replications=3)


if __name__ == "__main__":
    unittest.main()
