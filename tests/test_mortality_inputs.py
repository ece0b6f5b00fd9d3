"""Bad input of the mortality keys added for the Poisson Lee-Carter fit and the oldest old
([mortality] history_exposures, carry_b_from_age, oldest_old): each case derives a scenario from
scenarios/japan.ini, breaks one thing, runs `carecast run` and checks the error contract of
tests/test_bad_input.py: exit code 3, one line on stderr naming the file, the line (where a
line applies) and the field, and no results file. Then the good case: the fitted b, its
carried flags and the Kannisto parameters reach the results file, and the exposures table is
what scripts/make-exposures-table.py writes."""
import os
import subprocess
import sys
import tempfile
import unittest

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402

EXPOSURES = os.path.join(T.REPO_ROOT, "scenarios", "data", "jp_exposures_5y_sex_2009_2018.csv")


def exposures_text():
    with open(EXPOSURES, encoding="utf-8") as f:
        return f.read()


@T.require_binary
class MortalityInputTest(unittest.TestCase):
    def run_broken(self, mortality_keys, table=None, file=None, line=None, field=None, contains=()):
        """Run a scenario based on japan.ini with [mortality] mortality_keys (and e.csv = table);
        check the contract. file: 'ini', 'table' or a path; line None: no line is named."""
        with tempfile.TemporaryDirectory() as tmp:
            ini = os.path.join(tmp, "s.ini")
            text = "[scenario]\nbase = %s\nname = s\n\n[mortality]\n%s" % (T.scenario_path("japan.ini"), mortality_keys)
            with open(ini, "w") as f:
                f.write(text)
            if table is not None:
                with open(os.path.join(tmp, "e.csv"), "w") as f:
                    f.write(table)
            out = os.path.join(tmp, "out.h5")
            result = T.run(["run", ini, "-n", "1", "-o", out])
            self.assertEqual(result.returncode, T.EXIT_INPUT, result.stderr)
            lines = result.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1, result.stderr)
            message = lines[0]
            where = {"ini": "s.ini", "table": "e.csv"}.get(file, file)
            self.assertIn(where + (":%d:" % line if line else ":"), message)
            self.assertIn("field '%s'" % field, message)
            for text in contains:
                self.assertIn(text, message)
            self.assertEqual(result.stdout, "")
            self.assertFalse(os.path.exists(out))
            return message

    def table_case(self, edit, line, field, contains=()):
        rows = exposures_text().splitlines()
        new_rows, reported = edit(rows)
        self.run_broken("history_exposures = e.csv\n", "\n".join(new_rows) + "\n", "table",
                        reported if line is None else line, field, contains)

    def test_missing_row_names_the_cell(self):
        def drop(rows):
            return [r for r in rows if not r.startswith("2012,female,95,")], None
        self.table_case(drop, 0, "year", contains=["2012", "female", "95"])

    def test_population_not_positive(self):
        for bad in ("0", "-5"):
            with self.subTest(value=bad):
                def edit(rows):
                    i = next(k for k, r in enumerate(rows) if r.startswith("2013,male,40,44,"))
                    return rows[:i] + ["2013,male,40,44," + bad] + rows[i + 1:], i + 1
                self.table_case(edit, None, "population", contains=["positive"])

    def test_duplicate_row(self):
        def edit(rows):
            i = next(k for k, r in enumerate(rows) if r.startswith("2010,male,85,89,"))
            return rows[:i + 1] + [rows[i]] + rows[i + 1:], i + 2
        self.table_case(edit, None, "year", contains=["twice", "first on line"])

    def test_group_not_in_the_history(self):
        def edit(rows):
            i = next(k for k, r in enumerate(rows) if r.startswith("2014,female,95,99,"))
            return rows[:i] + ["2014,female,95,100,300000"] + rows[i + 1:], i + 1
        self.table_case(edit, None, "age_lo")

    def test_malformed_number(self):
        def edit(rows):
            i = next(k for k, r in enumerate(rows) if r.startswith("2016,male,0,4,"))
            return rows[:i] + ["2016,male,0,4,2.5e"] + rows[i + 1:], i + 1
        self.table_case(edit, None, "population", contains=["'2.5e'"])

    def test_missing_column(self):
        text = exposures_text().replace("year,sex,age_lo,age_hi,population", "year,sex,age_lo,age_hi,persons", 1)
        self.run_broken("history_exposures = e.csv\n", text, "table", 1, "population")

    def test_missing_file(self):
        message = self.run_broken("history_exposures = nowhere.csv\n", None, "ini", 6, "history_exposures")
        self.assertIn("nowhere.csv", message)

    def test_exposures_without_history(self):
        self.run_broken("history =\ntarget_year = 0\nhistory_exposures = %s\n" % EXPOSURES, None, "ini", 8,
                        "history_exposures", contains=["history"])

    def test_bad_key_values(self):
        for keys, line, field in (("oldest_old = gompertz\n", 6, "oldest_old"),
                                  ("carry_b_from_age = -5\n", 6, "carry_b_from_age"),
                                  ("carry_b_from_age = 95.5\n", 6, "carry_b_from_age"),
                                  ("carry_b_from_age = 151\n", 6, "carry_b_from_age")):
            with self.subTest(keys=keys):
                self.run_broken(keys, None, "ini", line, field)


@T.require_binary
class MortalityResultsTest(unittest.TestCase):
    def test_fit_and_oldest_old_reach_the_results_file(self):
        run = T.cached_results(T.scenario_path("japan.ini"), "-n", "1", "-q", "--set", "simulation.end_year=2020",
                               "--set", "simulation.expected_values=true")
        run.check(self)
        f = run.open()
        lc = f["population/fitted/japan/lee_carter"]
        self.assertEqual(lc.attrs["fit_method"], "poisson")
        groups = [g.decode() if isinstance(g, bytes) else g for g in lc["age_group"][()]]
        self.assertEqual(groups[-3:], ["90-94", "95-99", "100+"])
        fitted = f["population/fitted/japan"]
        for sex in ("male", "female"):
            bx, fit, carried = lc[sex + "/bx"][()], lc[sex + "/bx_fitted"][()], lc[sex + "/bx_carried"][()]
            self.assertEqual(list(carried[-3:]), [0, 1, 1])
            self.assertTrue((fit[-2:] < 0).all(), "the data's own b at 95+ is negative")
            self.assertTrue((bx[-2:] == bx[-3]).all(), "carried from 90-94")
            self.assertAlmostEqual(float(fit.sum()), 1.0, places=12)
            self.assertTrue((lc[sex + "/bx_se"][()] > 0).all())
            self.assertGreater(fitted.attrs["kannisto_b_" + sex], 0.08)
            self.assertLess(fitted.attrs["kannisto_b_" + sex], 0.2)
            self.assertGreater(fitted.attrs["base_rate_open_" + sex], 0.3)
        e65 = f["population/life_expectancy_65/mean"][0]
        self.assertTrue(19 < e65[0, 0] < 21 and 23 < e65[0, 1] < 26, e65[0])

    def test_exposures_table_is_what_the_script_writes(self):
        script = os.path.join(T.source_root(), "scripts", "make-exposures-table.py")
        result = subprocess.run([sys.executable, script, "--check", "--out", EXPOSURES], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
