"""The validation tables in scenarios/data/ (built by scripts/make-scenario-tables.py) are what
scenarios/data/SOURCES.md says they are.

- jp_lifetable_2023_scaled_1x1.csv: e0 equals MHLW's 2023 abridged values 81.09 / 87.14 (to 0.01),
  computed as the engine does (rates from lx as src/scenario/tables.c reads a life table, e0 as
  src/population/lifetable.c computes it), re-implemented here; its rates are one multiple of the
  2020 table's at every age.
- jp_death_rates_observed_2015_2024.csv: every year 2015-2024, both sexes, every age 0..100+ once;
  2015-2018 are the vital-statistics rows unchanged; 2019-2024 give the e0 of their year.
- jp_register_2025_5y_sex.csv: Japan's 2025-01-01 register groups, summing to the published
  all-ages totals less the persons of unknown age the source leaves out of the groups.
- jp_ipss2017_projection_2020_2025_5y_sex.csv: 85+ in 2025 = 7,202,606 and 75+ = 21,799,725.
- scenarios/validation/*.ini pass `carecast check` (skipped without the binary), so the scenarios
  of make validate do not rot between its runs.
Standard library only.
"""
import csv
import glob
import os
import unittest

import carecast_testlib as T

DATA = os.path.join(T.REPO_ROOT, "scenarios", "data")
SEXES = ("male", "female")
OPEN = 100


def rows(name):
    with open(os.path.join(DATA, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def lx_of(name):
    r = rows(name)
    out = {}
    for sex in SEXES:
        sel = [x for x in r if x["sex"] == sex]
        assert [int(x["age"]) for x in sel] == list(range(len(sel)))
        out[sex] = [float(x["lx"]) for x in sel]
    return out


def rates_from_lx(lx):
    """As src/scenario/tables.c: m(x) = d(x) / mean(l(x), l(x+1)); open m = l(100) / T(100)."""
    m = [(lx[a] - lx[a + 1]) / (0.5 * (lx[a] + lx[a + 1])) for a in range(OPEN)]
    last = len(lx) - 1
    t = sum(0.5 * (lx[a] + lx[a + 1]) for a in range(OPEN, last)) + 0.5 * lx[last]
    return m + [lx[OPEN] / t]


def e0(m):
    """As src/population/lifetable.c: q = 2m/(2+m) capped at 1, L = (l+l')/2, open L = l/m."""
    l, years = 1.0, 0.0
    for a in range(OPEN):
        q = min(1.0, 2 * m[a] / (2 + m[a]))
        nxt = l * (1 - q)
        years += 0.5 * (l + nxt)
        l = nxt
    return years + l / m[OPEN]


class ScaledLifeTable(unittest.TestCase):
    def test_e0_is_the_2023_abridged_value(self):
        table = lx_of("jp_lifetable_2023_scaled_1x1.csv")
        for sex, published in (("male", 81.09), ("female", 87.14)):
            self.assertAlmostEqual(e0(rates_from_lx(table[sex])), published, delta=0.01, msg=sex)

    def test_2020_table_gives_its_published_e0(self):
        table = lx_of("jp_lifetable_2020_1x1.csv")
        for sex, published in (("male", 81.56), ("female", 87.71)):
            self.assertAlmostEqual(e0(rates_from_lx(table[sex])), published, delta=0.01, msg=sex)

    def test_one_factor_per_sex(self):
        """Below the oldest ages (where the 4-decimal lx rounds), every rate is one multiple of 2020's."""
        old, new = lx_of("jp_lifetable_2020_1x1.csv"), lx_of("jp_lifetable_2023_scaled_1x1.csv")
        for sex in SEXES:
            m0, m1 = rates_from_lx(old[sex]), rates_from_lx(new[sex])
            ratios = [m1[a] / m0[a] for a in range(95) if m0[a] > 0]
            self.assertGreater(min(ratios), 1.0, sex)  # 2023 mortality above 2020's
            self.assertLess(max(ratios) - min(ratios), 0.002, sex)


class ObservedDeathRates(unittest.TestCase):
    def setUp(self):
        self.rows = rows("jp_death_rates_observed_2015_2024.csv")

    def test_every_year_sex_and_age_once(self):
        years = sorted({int(r["year"]) for r in self.rows})
        self.assertEqual(years, list(range(2015, 2025)))
        for year in years:
            for sex in SEXES:
                sel = [r for r in self.rows if int(r["year"]) == year and r["sex"] == sex]
                covered = []
                for r in sel:
                    hi = OPEN if r["age_hi"] == "" else int(r["age_hi"])
                    covered += range(int(r["age_lo"]), hi + 1)
                    self.assertGreater(float(r["death_rate_per_100k"]), 0)
                self.assertEqual(covered, list(range(OPEN + 1)), (year, sex))
                self.assertEqual(sel[-1]["age_hi"], "", (year, sex))  # the open group last

    def test_2015_2018_are_the_vital_statistics(self):
        source = {(r["year"], r["sex"], r["age_lo"]): r["death_rate_per_100k"]
                  for r in rows("jp_death_rates_5y_sex_2009_2018.csv")}
        early = [r for r in self.rows if int(r["year"]) <= 2018]
        self.assertEqual(len(early), 4 * 2 * 21)
        for r in early:
            self.assertEqual(r["death_rate_per_100k"], source[r["year"], r["sex"], r["age_lo"]])

    def test_single_age_years_give_their_e0(self):
        expected = {2019: (81.405, 87.515), 2020: (81.56, 87.71), 2021: (81.47, 87.57),
                    2022: (81.05, 87.09), 2023: (81.09, 87.14), 2024: (81.09, 87.14)}
        for year, values in expected.items():
            for sex, published in zip(SEXES, values):
                m = [float(r["death_rate_per_100k"]) / 1e5 for r in self.rows
                     if int(r["year"]) == year and r["sex"] == sex]
                self.assertEqual(len(m), OPEN + 1)
                self.assertAlmostEqual(e0(m), published, delta=0.01, msg=(year, sex))


class Register(unittest.TestCase):
    def test_sums_to_the_published_totals(self):
        r = rows("jp_register_2025_5y_sex.csv")
        # published all-ages totals 60,663,248 / 63,667,433 (124,330,690 with the 9 persons of
        # neither sex); the source's groups leave out 12 / 21 persons of unknown age
        for sex, published, unknown in (("male", 60663248, 12), ("female", 63667433, 21)):
            sel = [x for x in r if x["sex"] == sex]
            self.assertEqual(len(sel), 21)
            self.assertEqual(sum(int(x["population"]) for x in sel), published - unknown, sex)
        self.assertEqual(sum(int(x["population"]) for x in r) + 12 + 21 + 9, 124330690)

    def test_groups(self):
        r = rows("jp_register_2025_5y_sex.csv")
        for sex in SEXES:
            sel = [x for x in r if x["sex"] == sex]
            self.assertEqual([int(x["age_lo"]) for x in sel], list(range(0, 101, 5)))
            self.assertEqual(sel[-1]["age_hi"], "")


class IpssProjection(unittest.TestCase):
    def test_sums(self):
        r = rows("jp_ipss2017_projection_2020_2025_5y_sex.csv")
        total = lambda year, lo: sum(int(x["population"]) for x in r
                                     if int(x["year"]) == year and int(x["age_lo"]) >= lo)
        self.assertEqual(total(2025, 85), 7202606)
        self.assertEqual(total(2025, 75), 21799725)
        self.assertEqual(total(2020, 75), 18719899)
        self.assertEqual(total(2025, 0), 122544103)



@T.require_binary
class ValidationScenarios(unittest.TestCase):
    def test_they_check(self):
        paths = sorted(glob.glob(os.path.join(T.REPO_ROOT, "scenarios", "validation", "*.ini")))
        self.assertGreaterEqual(len(paths), 2)
        for path in paths:
            result = T.run(["check", path])
            self.assertEqual(result.returncode, T.EXIT_OK, "%s: %s" % (path, result.stderr))


if __name__ == "__main__":
    unittest.main()
