"""Regression tests of command-line behaviour found in review: overrides are applied before
the tables are read (so calibration, age split and the fit follow them), --set values are not
freed twice, the command line is recorded as typed, the default output name keeps all but the
last extension, incompatible scenarios are refused before any replication runs, and an e0
target without a mortality history is an input error."""
import os
import tempfile
import time
import unittest

import numpy as np

import carecast_testlib as T


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


@T.require_binary
class OverrideTest(unittest.TestCase):
    def test_end_year_override_recalibrates_migration(self):
        """--set simulation.end_year=2030: only the 2030 target applies, and it is met."""
        run = T.cached_results(T.scenario_path("kashiwa.ini"), "-n", "1", "-q", "--set", "simulation.end_year=2030",
                               "--set", "simulation.expected_values=true")
        run.check(self)
        f = run.open()
        self.assertEqual(list(f["axes/year"][()]), list(range(2025, 2031)))
        self.assertEqual(list(f["population/fitted/kashiwa/calibration_target_year"][()]), [2030])
        total_2030 = f["population/total/mean"][0, -1, 2]
        self.assertAlmostEqual(total_2030, 439526, delta=1.0)
        level = f["population/fitted/kashiwa/migration_level"][()]
        self.assertTrue(np.all(level == level[0]) and 0 < level[0] < 10000, level)

    def test_age_split_override_changes_the_base_population(self):
        outs = []
        for split in ("spline", "uniform"):
            run = T.cached_results(T.scenario_path("kashiwa.ini"), "-n", "1", "-q",
                                   "--set", "population.age_split=" + split, "--set", "simulation.end_year=2025")
            run.check(self)
            outs.append(run.open()["population/base"][0, 0, :])  # males on the base date
        uniform, spline = np.ptp(outs[1][20:25]), np.ptp(outs[0][20:25])
        self.assertLessEqual(uniform, 1, "uniform: equal persons within a group, to rounding")
        self.assertGreater(spline, 1, "spline: a slope within the group")
        self.assertEqual(outs[0][20:25].sum(), outs[1][20:25].sum(), "both keep the group total")

    def test_set_replications_and_seed(self):
        """--set simulation.replications / seed (not -n / --seed) run and exit cleanly."""
        run = T.cached_results(T.scenario_path("kashiwa.ini"), "-q", "--set", "simulation.replications=3",
                               "--set", "simulation.seed=7")
        run.check(self)
        f = run.open()
        self.assertEqual(len(f["axes/replication"]), 3)
        self.assertEqual(f["provenance"].attrs["seed"], 7)

    def test_command_line_recorded_as_typed(self):
        args = ["-n", "2", "-q", T.scenario_path("kashiwa.ini"), "--set", "demand.occupancy=0.85"]
        run = T.cached_results(*args)  # carecast run ARGS -o FILE
        run.check(self)
        self.assertEqual(run.open()["provenance"].attrs["command_line"],
                         "carecast run " + " ".join(args) + " -o " + run.path)


@T.require_binary
class DefaultOutputTest(unittest.TestCase):
    def test_only_the_last_extension_is_dropped(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.mkdir(os.path.join(tmp, "results"))
            scenario = write(os.path.join(tmp, "kashiwa.v2.ini"),
                             "[scenario]\nbase = %s\nname = kashiwa-v2\n" % T.scenario_path("kashiwa.ini"))
            result = T.run(["run", scenario, "-n", "1", "-q"], cwd=tmp)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertTrue(os.path.exists(os.path.join(tmp, "results", "kashiwa.v2.h5")))
            self.assertFalse(os.path.exists(os.path.join(tmp, "results", "kashiwa.h5")))


@T.require_binary
class CompatibilityTest(unittest.TestCase):
    def test_different_end_year_is_refused_before_running(self):
        with tempfile.TemporaryDirectory() as tmp:
            other = write(os.path.join(tmp, "other.ini"), "[scenario]\nbase = %s\nname = other\n\n"
                          "[simulation]\nend_year = 2040\n" % T.scenario_path("kashiwa.ini"))
            out = os.path.join(tmp, "out.h5")
            start = time.monotonic()
            result = T.run(["run", T.scenario_path("kashiwa.ini"), other, "-n", "20000", "-o", out])
            elapsed = time.monotonic() - start
            self.assertEqual(result.returncode, T.EXIT_INPUT, result.stderr)
            lines = result.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1, result.stderr)
            self.assertIn(other + ":6:", lines[0])
            self.assertIn("field 'end_year'", lines[0])
            self.assertLess(elapsed, 5.0, "refused before 20,000 replications of the first scenario ran")
            self.assertFalse(os.path.exists(out))


@T.require_binary
class MortalityTargetTest(unittest.TestCase):
    def test_e0_target_without_history_is_an_input_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            scenario = write(os.path.join(tmp, "s.ini"), "[scenario]\nbase = %s\nname = s\n\n[mortality]\n"
                             "history =\n" % T.scenario_path("japan.ini"))
            out = os.path.join(tmp, "out.h5")
            result = T.run(["run", scenario, "-n", "1", "-o", out])
            self.assertEqual(result.returncode, T.EXIT_INPUT, result.stderr)
            self.assertIn(T.scenario_path("japan.ini") + ":", result.stderr)
            self.assertIn("field 'target_year'", result.stderr)
            self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
