"""carecast sensitivity (README, "Sensitivity"): one-way sensitivity with common random numbers.

- A parameter that cannot reach an output leaves it exactly unchanged: a coverage parameter on
  the 75+ population and on beds needed, a demand parameter on the 75+ population: a bar of
  exactly zero, every replication equal to the baseline's (the same random streams).
- Ranking on a case with a known effect: beds needed = inpatients / occupancy, so the bar of
  [demand] occupancy is the baseline median x 0.80 x (1/low - 1/high), and it ranks first.
- Bad --params / --outputs (usage, exit 2) and bad [ranges] values (input, exit 3, file, line,
  field), one line on stderr, nothing written.
- Determinism: -j1 and -j2 give files identical outside /provenance.
Runs use Kashiwa with 3 replications and a few parameters (seconds).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402

PARAMS = "coverage.speed_kmh,demand.occupancy,migration.male_share"


def sensitivity(args, out=None, threads="2"):
    command = ["sensitivity", T.scenario_path("kashiwa.ini"), "-n", "3", "-j", threads, "-q"] + list(args)
    if out:
        command += ["-o", out]
    return T.run(command, timeout=600)


def strings(dataset):
    return [v.decode() if isinstance(v, bytes) else v for v in dataset[()]]


@T.require_binary
class SensitivityRunTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.path = os.path.join(cls.tmp.name, "sens.h5")
        cls.result = sensitivity(["--params", PARAMS], cls.path)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)

    def data(self):
        f = h5py.File(self.path, "r")
        self.addCleanup(f.close)
        params, outputs = strings(f["parameter"]), strings(f["output"])
        return f, params, outputs

    def test_layout(self):
        f, params, outputs = self.data()
        self.assertEqual(params, PARAMS.split(","))
        self.assertEqual(strings(f["end"]), ["low", "high"])
        self.assertIn("age75plus_2040", outputs)
        self.assertIn("beds_needed_2040", outputs)
        self.assertIn("disturbed_nights_p95_2030_pairing", outputs)
        g = f["sensitivity"]
        self.assertEqual(g["median"].shape, (3, 2, len(outputs)))
        self.assertEqual(g["difference"].shape, (3, 2, len(outputs), 3))
        self.assertEqual(g["replications"].shape, (3, 2, len(outputs), 3))
        for name, ds in g.items():
            for attr in ("units", "long_name", "description"):
                self.assertIn(attr, ds.attrs, "%s has %s" % (name, attr))
        self.assertIn("provenance", f)
        np.testing.assert_array_equal(g["parameter_value"][params.index("demand.occupancy")], [0.75, 0.92])

    def test_unreachable_parameters_give_exactly_zero_bars(self):
        f, params, outputs = self.data()
        g = f["sensitivity"]
        width, values, baseline = g["width"][()], g["replications"][()], g["baseline_replications"][()]
        cases = [("coverage.speed_kmh", "age75plus_2040"), ("coverage.speed_kmh", "beds_needed_2040"),
                 ("demand.occupancy", "age75plus_2040")]
        for param, output in cases:
            with self.subTest(param=param, output=output):
                p, o = params.index(param), outputs.index(output)
                self.assertEqual(width[p, o], 0.0)
                for end in range(2):  # every replication equal to the baseline's: the same streams
                    np.testing.assert_array_equal(values[p, end, o], baseline[o])
                np.testing.assert_array_equal(g["high_minus_low"][p, o], [0.0, 0.0, 0.0])
        self.assertIn("zero bar", self.result.stdout)

    def test_known_effect_ranks_first(self):
        f, params, outputs = self.data()
        g = f["sensitivity"]
        p, o = params.index("demand.occupancy"), outputs.index("beds_needed_2040")
        base = g["baseline"][o]
        expected = base * 0.80 * (1 / 0.75 - 1 / 0.92)  # beds = inpatients / occupancy
        self.assertAlmostEqual(g["width"][p, o] / expected, 1.0, places=9)
        self.assertEqual(g["rank"][p, o], 1)
        # ranks follow the widths, widest first, ties in the order given
        for oo in range(len(outputs)):
            widths = g["width"][:, oo]
            # NaN (no median at either end) last; infinite (a median at one end only) first
            order = sorted(range(len(params)),
                           key=lambda k: (bool(np.isnan(widths[k])), 0 if np.isnan(widths[k]) else -widths[k], k))
            self.assertEqual([int(g["rank"][k, oo]) for k in order], list(range(1, len(params) + 1)))
        table = self.result.stdout.split("Beds needed", 1)[1]
        self.assertRegex(table, r"\n\s+1\s+demand\.occupancy\s")


@T.require_binary
class SensitivityBadInputTest(unittest.TestCase, T.InputErrorCase):

    def expect_usage(self, args, field, contains):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.h5")
            result = sensitivity(args, out)
            self.assertEqual(result.returncode, T.EXIT_USAGE, result.stderr)
            lines = result.stderr.splitlines()
            self.assertEqual(len(lines), 1, result.stderr)
            self.assertIn("'%s'" % field, lines[0])
            self.assertIn(contains, lines[0])
            self.assertEqual(result.stdout, "")
            self.assertFalse(os.path.exists(out))

    def test_unknown_parameter(self):
        self.expect_usage(["--params", "demand.occupancy,demand.occupency"], "--params", "demand.occupency")

    def test_parameter_without_range(self):
        self.expect_usage(["--params", "demand.occupancy", "--set", "ranges.demand.occupancy="], "--params",
                          "has no range")

    def test_unknown_output(self):
        self.expect_usage(["--outputs", "beds"], "--outputs", "unknown output 'beds'")

    def test_bad_ranges_in_the_scenario(self):
        cases = [("0.9, 1.2", "outside the range"), ("1, 0.8", "above high"), ("0.8", "two numbers"),
                 ("a, b", "two numbers"), ("0.8, 0.9, 1", "two numbers")]
        for value, contains in cases:
            with self.subTest(value=value):
                ini = lambda text, v=value: text + "\n[ranges]\ndemand.trend_damping = %s\n" % v
                files = T.mini_files()
                line = len((files["scenario.ini"] + "\n[ranges]\n").splitlines()) + 1
                self.expect_input_error(ini=ini, file="scenario.ini", line=line, field="demand.trend_damping",
                                        contains=(contains,))

    def test_bad_range_on_the_command_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = sensitivity(["--set", "ranges.coverage.speed_kmh=0,40"], os.path.join(tmp, "out.h5"))
            self.assertEqual(result.returncode, T.EXIT_USAGE, result.stderr)  # the command line is wrong
            self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
            self.assertIn("command line", result.stderr)
            self.assertIn("'coverage.speed_kmh'", result.stderr)

    def test_bad_range_in_a_file_given_to_sensitivity(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "k.ini")
            with open(path, "w") as f:
                f.write("[scenario]\nbase = %s\n\n[ranges]\ndemand.occupancy = 0.5, 1.2\n" % T.scenario_path("kashiwa.ini"))
            result = T.run(["sensitivity", path, "-n", "2", "-q"])
            self.assertEqual(result.returncode, T.EXIT_INPUT, result.stderr)
            self.assertIn(path + ":5", result.stderr)
            self.assertIn("'demand.occupancy'", result.stderr)


@T.require_binary
@unittest.skipUnless(shutil.which("h5diff"), "h5diff not installed (Debian package hdf5-tools)")
class SensitivityDeterminismTest(unittest.TestCase):

    def test_threads_do_not_change_the_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for threads in ("1", "2"):
                path = os.path.join(tmp, "j%s.h5" % threads)
                result = sensitivity(["--params", "demand.occupancy,coverage.absence_days", "--capacity-replications", "2"],
                                     path, threads)
                self.assertEqual(result.returncode, 0, result.stderr)
                paths.append(path)
            diff = subprocess.run(["h5diff", "--exclude-path", "/provenance"] + paths, capture_output=True, text=True)
            self.assertEqual(diff.returncode, 0, diff.stdout + diff.stderr)


if __name__ == "__main__":
    unittest.main()
