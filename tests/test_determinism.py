"""Results do not depend on the thread count (a fixed rule: README, "Reproducibility"): the
same seed with -j 1 and -j 2 gives files that are bit-identical outside /provenance, checked with
`h5diff --exclude-path /provenance A B`; a different seed gives a different file.

150 replications: more than two of the driver's blocks of 64, so blocks and the threads
inside them both matter. The coverage stage runs too, on its first 3 replications (it is the
costly stage; tests/test_coverage_run.py checks it at more coverage replications).
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

REPLICATIONS = "70"  # more than one block of 64: blocks and threads interleave
COVERAGE = ["--set", "coverage.replications=3"]


def h5diff(a, b, *options):
    return subprocess.run(["h5diff"] + list(options) + ["--exclude-path", "/provenance", a, b],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=120)


@T.require_binary
@unittest.skipUnless(shutil.which("h5diff"), "h5diff not installed (Debian package hdf5-tools)")
class DeterminismTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        """Each distinct run once for the whole class (they take most of its time)."""
        cls.tmp = tempfile.TemporaryDirectory()
        cls.runs = {}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_kashiwa(self, folder, name, *args):
        """The results file of kashiwa.ini with args (run once per distinct name and args)."""
        del folder  # every run lives in the class's folder, shared by the tests
        key = (name,) + args
        if key not in self.runs:
            path = os.path.join(self.tmp.name, name)
            result = T.run(["run", T.scenario_path("kashiwa.ini"), "-n", REPLICATIONS, "-q", "--no-table", "-o", path]
                           + COVERAGE + list(args))
            self.assertEqual(result.returncode, 0, result.stderr)
            self.runs[key] = path
        return self.runs[key]

    def test_same_seed_one_and_two_threads_are_identical(self):
        with tempfile.TemporaryDirectory() as tmp:
            one = self.run_kashiwa(tmp, "j1.h5", "--seed", "12345", "-j", "1")
            two = self.run_kashiwa(tmp, "j2.h5", "--seed", "12345", "-j", "2")
            diff = h5diff(one, two)
            self.assertEqual(diff.returncode, 0, "h5diff found differences:\n" + diff.stdout + diff.stderr)
            self.assertEqual(diff.stdout.strip(), "", "h5diff prints no differences")
            # the comparison is not empty: the files do differ in /provenance (threads)
            with h5py.File(one, "r") as a, h5py.File(two, "r") as b:
                self.assertEqual(int(a["provenance"].attrs["threads"]), 1)
                self.assertEqual(int(b["provenance"].attrs["threads"]), 2)
                self.assertGreater(len(a["population"]), 0)
                reps = a["population/total/replications"][()]
                self.assertEqual(reps.shape[1], int(REPLICATIONS))
                self.assertGreater(np.ptp(reps[0, :, -1, 2]), 0, "replications differ from each other")
                self.assertEqual(a["coverage/2040/pairing/duty_nights_mean/replications"].shape, (1, 3))
            whole = subprocess.run(["h5diff", "-q", one, two], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            self.assertEqual(whole.returncode, 1, "without the exclusion, /provenance differs (threads)")

    def test_two_scenarios_with_a_bed_capacity_one_and_two_threads(self):
        """Every summary (differences, peak years, exceedance) as well as the rows."""
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for threads in ("1", "2"):
                path = os.path.join(tmp, "j%s.h5" % threads)
                result = T.run(["run", T.scenario_path("kashiwa.ini"), T.scenario_path("kashiwa-shift.ini"), "-n",
                                "70", "-q", "--no-table", "-o", path, "-j", threads, "--set", "demand.bed_capacity=3500"]
                               + COVERAGE)
                self.assertEqual(result.returncode, 0, result.stderr)
                paths.append(path)
            diff = h5diff(*paths)
            self.assertEqual(diff.returncode, 0, diff.stdout + diff.stderr)
            with h5py.File(paths[0], "r") as h5:
                self.assertIn("demand/beds_needed/first_exceedance_year", h5)
                self.assertIn("population/total/difference/mean_ci", h5)

    def test_more_threads_than_cores(self):
        with tempfile.TemporaryDirectory() as tmp:
            one = self.run_kashiwa(tmp, "j1.h5", "--seed", "12345", "-j", "1")
            three = self.run_kashiwa(tmp, "j3.h5", "--seed", "12345", "-j", "3")
            diff = h5diff(one, three)
            self.assertEqual(diff.returncode, 0, diff.stdout + diff.stderr)

    def test_same_seed_same_threads_repeats(self):
        with tempfile.TemporaryDirectory() as tmp:
            first = self.run_kashiwa(tmp, "j2.h5", "--seed", "12345", "-j", "2")
            second = self.run_kashiwa(tmp, "j2-again.h5", "--seed", "12345", "-j", "2")
            diff = h5diff(first, second)
            self.assertEqual(diff.returncode, 0, diff.stdout + diff.stderr)

    def test_different_seed_gives_a_different_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            first = self.run_kashiwa(tmp, "j2.h5", "--seed", "12345", "-j", "2")
            second = self.run_kashiwa(tmp, "seed2.h5", "--seed", "2", "-j", "2")
            diff = h5diff(first, second, "-q")
            self.assertEqual(diff.returncode, 1, "different seeds must give different results:\n"
                             + diff.stdout + diff.stderr)


if __name__ == "__main__":
    unittest.main()
