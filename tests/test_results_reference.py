"""The values of the results file do not change when its layout grows: every dataset that the
program wrote before the file became netCDF-4 readable (root-group scales, long names) reads
back equal, exactly (NaN equal to NaN), from a run of today's program with the same arguments.

The references (tests/data/reference-*.npz, written by tests/data/make_reference.py with the
program of commit 0a81210) hold every dataset outside /provenance of runs of
scenarios/kashiwa.ini; of kashiwa.ini with kashiwa-shift.ini (with and without a bed capacity);
and of japan.ini (population only), 3 replications, 2025-2030.
tests/results_compare.py compares two whole results files the same way (for larger runs).
"""
import os
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402
import results_compare  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def load_reference(name):
    with np.load(os.path.join(DATA, "reference-%s.npz" % name)) as z:
        return {key: z[key] for key in z.files}


@T.require_binary
class ReferenceValuesTest(unittest.TestCase):
    def run_like(self, reference, folder):
        args = [str(a) for a in reference["__args__"]]
        scenarios = [a for a in args if a.endswith(".ini")]
        options = [a for a in args if not a.endswith(".ini")]
        path = os.path.join(folder, "new.h5")
        result = T.run(["run"] + [T.scenario_path(s) for s in scenarios] + options + ["-o", path])
        self.assertEqual(result.returncode, 0, result.stderr)
        return path

    def check(self, name):
        reference = load_reference(name)
        self.assertGreater(len(reference), 40, "the reference holds the file's datasets")
        with tempfile.TemporaryDirectory() as tmp:
            path = self.run_like(reference, tmp)
            problems = []
            with h5py.File(path, "r") as h5:
                for key, want in sorted(reference.items()):
                    if key == "__args__":
                        continue
                    if key not in h5 or not isinstance(h5[key], h5py.Dataset):
                        problems.append("missing: /" + key)
                        continue
                    got = h5[key][()]
                    if want.dtype.kind == "U":
                        got = np.array([v.decode() if isinstance(v, bytes) else str(v) for v in got], dtype=str)
                    if not results_compare.values_equal(np.asarray(want), np.asarray(got)):
                        problems.append("/%s: values differ" % key)
            self.assertEqual(problems, [], "datasets of the reference that changed")

    def test_one_scenario_values_unchanged(self):
        self.check("one")

    def test_two_scenarios_values_unchanged(self):
        self.check("two")

    def test_bed_capacity_values_unchanged(self):
        """With a bed capacity: exceedance probability, first exceedance year and shares."""
        self.check("capacity")

    def test_population_only_values_unchanged(self):
        """japan.ini: no demand tables, no calibration targets (empty vectors)."""
        self.check("japan")


@T.require_binary
class CompareScriptTest(unittest.TestCase):
    """tests/results_compare.py finds equal files equal and a changed value, a changed type or a
    missing dataset as a difference (so a comparison that passes means something)."""

    def test_finds_differences(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "a.h5")
            result = T.run(["run", T.scenario_path("kashiwa.ini"), "-n", "2", "-q", "-o", path,
                            "--set", "simulation.end_year=2030"])
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(results_compare.compare(path, path), [])
            changed = os.path.join(tmp, "b.h5")
            with open(path, "rb") as src, open(changed, "wb") as dst:
                dst.write(src.read())
            with h5py.File(changed, "r+") as h5:
                h5["population/total/quantiles"][0, 2, 1, 2] += 1.0
                del h5["population/deaths/mean"]
                h5["population/births/mean"][0, 0, 0] = np.nan
            problems = results_compare.compare(path, changed)
            self.assertIn("/population/total/quantiles: values differ", problems)
            self.assertIn("missing in new file: /population/deaths/mean", problems)
            self.assertIn("/population/births/mean: values differ", problems)
            self.assertTrue(results_compare.values_equal(np.array([np.nan, 1.0]), np.array([np.nan, 1.0])))


if __name__ == "__main__":
    unittest.main()
