"""Bad input of the time keys and the observed-rates table added with year points on a reference
date: [simulation] base_date / reference_date / base_year, and [mortality] observed. Each case
derives a scenario from scenarios/japan.ini, breaks one thing and checks the error contract of
tests/test_bad_input.py (exit code 3, one line on stderr naming the file, the line where one
applies and the field, no results file). Then the good cases: an observed year replaces the
model's rates (the period life expectancy of a step in that year is the observed table's), and a
base date off the reference date gives a first step of the right length."""
import os
import subprocess
import sys
import tempfile
import unittest

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402

OBSERVED = os.path.join(T.REPO_ROOT, "scenarios", "data", "jp_death_rates_observed_2015_2024.csv")


def observed_rows():
    with open(OBSERVED, encoding="utf-8") as f:
        return f.read().splitlines()


@T.require_binary
class TimeAndObservedInputTest(unittest.TestCase):
    def run_scenario(self, extra, table=None, args=()):
        tmp = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", tmp]))
        ini = os.path.join(tmp, "s.ini")
        with open(ini, "w") as f:
            f.write("[scenario]\nbase = %s\nname = s\n\n%s" % (T.scenario_path("japan.ini"), extra))
        if table is not None:
            with open(os.path.join(tmp, "o.csv"), "w") as f:
                f.write("\n".join(table) + "\n")
        out = os.path.join(tmp, "out.h5")
        return T.run(["run", ini, "-n", "1", "-q", "--no-table", "-o", out, *args]), out

    def check_error(self, extra, where, line, field, contains=(), table=None):
        result, out = self.run_scenario(extra, table)
        self.assertEqual(result.returncode, T.EXIT_INPUT, result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn(where + (":%d:" % line if line else ":"), lines[0])
        self.assertIn("field '%s'" % field, lines[0])
        for text in contains:
            self.assertIn(text, lines[0])
        self.assertFalse(os.path.exists(out))

    def test_bad_dates(self):
        for extra, field, contains in (
                ("[simulation]\nbase_date = 2025-02-30\n", "base_date", ["YYYY-MM-DD"]),
                ("[simulation]\nbase_date = 2025-1-1x\n", "base_date", ["YYYY-MM-DD"]),
                ("[simulation]\nreference_date = 13-01\n", "reference_date", ["MM-DD"]),
                ("[simulation]\nreference_date = 02-29\n", "reference_date", ["29 February"]),
                ("[simulation]\nbase_date = 2015-10-02\nbase_year = 2015\n", "base_year", ["2016"])):
            with self.subTest(extra=extra):
                self.check_error(extra, "s.ini", extra.count("\n") + 4, field, contains)

    def test_observed_table_errors(self):
        rows = observed_rows()
        gap = [r for r in rows if not r.startswith("2017,")]  # 2016 then 2018: not consecutive
        apart = rows[:1] + rows[2:] + rows[1:2]  # a 2015 row after the other years
        negative = rows[:1] + [rows[1].rsplit(",", 1)[0] + ",-1"] + rows[2:]
        no_open = [r for r in rows if not (r.startswith("2016,male,") and r.endswith(",,") is False and ",100," in r)]
        for table, line, field, contains in (
                (gap, 0, "year", ["2017", "consecutive"]),
                (apart, len(apart), "year", ["together"]),
                (negative, 2, "death_rate_per_100k", ["negative"]),
                (no_open, 0, "age_hi", ["open"])):
            with self.subTest(field=field, contains=contains):
                self.check_error("[mortality]\nobserved = o.csv\n", "o.csv", line, field, contains, table)

    def test_an_observed_year_replaces_the_model(self):
        """japan.ini from 2015 with 2016 observed (the 2015 rates scaled by 1.5): the step that ends
        on 1 October 2016 takes a quarter of 2015 (the model) and three quarters of 2016
        (observed), so its life expectancy falls well below the model-only run's; the next step
        a quarter of 2016, so less."""
        rows = observed_rows()
        scaled = [rows[0]] + [r.rsplit(",", 1)[0] + ",%.6f" % (1.5 * float(r.rsplit(",", 1)[1]))
                              for r in rows[1:] if r.startswith("2015,")]
        scaled = [r.replace("2015,", "2016,", 1) if i else r for i, r in enumerate(scaled)]
        with_observed, out1 = self.run_scenario("[mortality]\nobserved = o.csv\n[simulation]\nend_year = 2017\n",
                                                scaled, ["--set", "simulation.expected_values=true"])
        self.assertEqual(with_observed.returncode, 0, with_observed.stderr)
        model, out2 = self.run_scenario("[simulation]\nend_year = 2017\n", None,
                                        ["--set", "simulation.expected_values=true"])
        self.assertEqual(model.returncode, 0, model.stderr)
        with h5py.File(out1) as a, h5py.File(out2) as b:
            e_obs = a["population/life_expectancy_0/quantiles"][0, 2, :, 0]
            e_mod = b["population/life_expectancy_0/quantiles"][0, 2, :, 0]
            self.assertEqual(e_obs[0], e_mod[0])   # 2015: the model in both
            self.assertLess(e_obs[1], e_mod[1] - 2)  # 2016: mostly observed, 1.5 times the deaths
            # 2017's step (1 October 2016 to 1 October 2017) holds a quarter of 2016: still below the model, less so
            self.assertTrue(e_obs[1] < e_obs[2] < e_mod[2] - 0.5, (e_obs, e_mod))

    def test_a_day_off_the_reference_date_changes_almost_nothing(self):
        """A base one day after the reference date (a first step of 364 days) gives almost what a
        whole-year step gives: the step's survival tends to the year's (with the completed age's
        rate, exp(-m h), its deaths were 6% low and 71,000 more people remained)."""
        totals = {}
        for date in ("2015-10-01", "2015-10-02"):
            result, out = self.run_scenario("[simulation]\nbase_date = %s\nend_year = 2018\n" % date, None,
                                            ["--set", "simulation.expected_values=true"])
            self.assertEqual(result.returncode, 0, result.stderr)
            with h5py.File(out) as f:
                years = list(f["axes/year"][:])
                totals[date] = (f["population/total/replications"][0, 0, years.index(2018), 2],
                                f["population/deaths/replications"][0, 0, years.index(2016), 2])
        (whole, whole_deaths), (part, part_deaths) = totals["2015-10-01"], totals["2015-10-02"]
        self.assertLess(abs(part / whole - 1), 2e-4)  # the day's births and deaths, no more
        self.assertLess(abs(part_deaths / whole_deaths - 1), 0.01)

    def test_first_step_length(self):
        result, out = self.run_scenario("[simulation]\nbase_date = 2015-01-01\nend_year = 2017\n", None,
                                        ["--set", "simulation.expected_values=true"])
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(out) as f:
            self.assertAlmostEqual(f["population/fitted/s"].attrs["first_step_years"], 273 / 365, places=12)
            self.assertEqual(int(f["axes/year"][0]), 2015)
            self.assertEqual(f["population/base"].attrs["date"], "2015-01-01")


if __name__ == "__main__":
    unittest.main()
