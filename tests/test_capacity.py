"""`carecast capacity` (README, "Capacity"): a small region where the command's per-replication
doctors needed equal a brute-force search over every size made of `carecast run`s (the same
clinics in the same order, so the same doctor numbers and streams); the HDF5 file's layout;
determinism over thread counts; bad input and usage errors with their exit codes.
The checked search itself is tested in tests/test_capacity.c.
"""
import os
import unittest

import h5py
import numpy as np

import carecast_testlib as T

HEADER = "id,block,type,doctors,panel_capacity,participates,backup\n"
BACKUPS = ["B1", "B2", "B3"]
PRIMARIES = ["P%d" % i for i in range(1, 16)]
REPS = 3


def backup_row(name, participates=1):
    return "%s,1,backup,3,300,%d,\n" % (name, participates)


def primary_row(name, participates=1, backup=""):
    return "%s,1,primary,1,300,%d,%s\n" % (name, participates, backup)


def scenario(name, table_text):
    """Kashiwa in one block with a tiny clinics table of big panels, 2025 only, REPS coverage
    replications and a disturbed-nights limit of 2 a month (so the limit binds, not only coverage)."""
    table = T.scenario_file(name + "_clinics.csv", table_text)
    return T.scenario_file(name + ".ini", "[scenario]\nbase = %s\nname = %s\n[simulation]\nreplications = %d\n"
                           "[coverage]\nclinics = %s\nblocks = 1\narea_km2 = 38.25\ntarget_years = 2025\n"
                           "schemes = pairing, rotation\nreplications = %d\nmax_disturbed_nights_per_month = 2\n"
                           % (T.scenario_path("kashiwa.ini"), name, REPS, table, REPS))


def candidates_table():
    """The capacity command's table: 3 backups, then 15 candidate primaries (none participating)."""
    return HEADER + "".join(backup_row(b) for b in BACKUPS) + "".join(primary_row(p, 0) for p in PRIMARIES)


def rotation_table(k):
    """The other schemes' plan at size k: every backup, then the first k primaries."""
    return HEADER + "".join(backup_row(b) for b in BACKUPS) + "".join(
        primary_row(p, int(i < k)) for i, p in enumerate(PRIMARIES))


def pairing_table(k):
    """Pairing's plan at size k: a backup before each 5 primaries (max_primaries_per_backup = 5)."""
    rows = []
    for i, p in enumerate(PRIMARIES):
        b = BACKUPS[i // 5]
        if i % 5 == 0:
            rows.append(backup_row(b, int(i < k)))
        rows.append(primary_row(p, int(i < k), b))
    rows += [backup_row(b, 0) for b in BACKUPS[(len(PRIMARIES) + 4) // 5:]]
    return HEADER + "".join(rows)


def passes(path, scheme):
    """Per replication: every patient covered and both p95s within the limits (2025, one scenario)."""
    with h5py.File(path, "r") as f:
        uncovered = f["coverage/2025/uncovered/replications"][0]
        duty = f["coverage/2025/%s/duty_nights_p95/replications" % scheme][0]
        disturbed = f["coverage/2025/%s/disturbed_nights_p95/replications" % scheme][0]
    duty = np.where(np.isnan(duty), 0, duty)
    disturbed = np.where(np.isnan(disturbed), 0, disturbed)
    return (uncovered == 0) & (duty <= 12) & (disturbed <= 2)


@T.require_binary
class CapacityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = T.session_folder()
        cls.ini = scenario("capacity_small", candidates_table())
        cls.out = os.path.join(cls.folder, "capacity_small.h5")
        cls.result = T.run(["capacity", cls.ini, "-o", cls.out, "-j", "1", "--no-max-patients"], timeout=600)

    def test_command_succeeds_and_prints_a_table(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertIn("Capacity 2025, capacity_small", self.result.stdout)
        self.assertRegex(self.result.stdout, r"\npairing ")
        self.assertRegex(self.result.stdout, r"\nrotation ")

    def brute_force(self, scheme, table_of, doctors_of):
        """Smallest size passing per replication by running every size; NaN where none does."""
        passing = []
        for k in range(len(PRIMARIES) + 1):
            ini = scenario("capacity_%s_%d" % (scheme, k), table_of(k))
            res = T.cached_results(ini, "--quiet", "--no-table")
            res.check(self)
            passing.append(passes(res.path, scheme))
        passing = np.array(passing)  # [size, replication]
        answer = []
        for r in range(REPS):
            sizes = [k for k in range(len(passing)) if passing[k, r]]
            answer.append(doctors_of(sizes[0]) if sizes else np.nan)
            if sizes:  # the toy region is monotone: everything above the answer passes
                self.assertTrue(passing[sizes[0]:, r].all(), "replication %d not monotone" % r)
        return np.array(answer)

    def capacity(self, name):
        with h5py.File(self.out, "r") as f:
            schemes = [s.decode() if isinstance(s, bytes) else s for s in f["scheme"][:]]
            k = schemes.index(name)
            return (f["capacity/doctors_needed"][0, k, 0, :], f["capacity/search_status"][0, k, 0, :],
                    f["capacity/evaluations"][0, k, 0, :])

    def test_rotation_matches_brute_force(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        expected = self.brute_force("rotation", rotation_table, lambda k: 9 + k)
        doctors, status, evaluations = self.capacity("rotation")
        np.testing.assert_array_equal(doctors, expected)
        self.assertTrue((status == np.where(np.isnan(expected), 1, 0)).all())
        self.assertTrue((evaluations < len(PRIMARIES) + 1).all(), evaluations)

    def test_pairing_matches_brute_force(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        expected = self.brute_force("pairing", pairing_table, lambda k: k + 3 * ((k + 4) // 5))
        doctors, status, _ = self.capacity("pairing")
        np.testing.assert_array_equal(doctors, expected)
        self.assertTrue((status == np.where(np.isnan(expected), 1, 0)).all())

    def test_file_layout(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        with h5py.File(self.out, "r") as f:
            for name in ("scenario", "scheme", "year", "replication", "quantile"):
                self.assertIn(name, f)
            self.assertEqual(list(f["year"][:]), [2025])
            for name, obj in f["capacity"].items():
                for attr in ("units", "long_name", "description"):
                    self.assertIn(attr, obj.attrs, "%s has no %s" % (name, attr))
            self.assertEqual(f["capacity/doctors_needed"].shape, (1, 2, 1, REPS))
            self.assertEqual(f["capacity/doctors_needed_quantiles"].shape, (1, 2, 1, 3))
            prov = f["provenance"]
            self.assertEqual(int(prov.attrs["replications"]), REPS)
            self.assertIn("seed", prov.attrs)
            self.assertIn("engine_version", prov.attrs)
            self.assertIn("file_texts", prov["scenarios/capacity_small"])

    def test_threads_do_not_change_results(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        out2 = os.path.join(self.folder, "capacity_small_j2.h5")
        res = T.run(["capacity", self.ini, "-o", out2, "-j", "2", "--no-max-patients", "--quiet"], timeout=600)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(res.stdout, self.result.stdout)
        with h5py.File(self.out, "r") as a, h5py.File(out2, "r") as b:
            for name in a["capacity"]:
                np.testing.assert_array_equal(a["capacity"][name][()], b["capacity"][name][()], name)


@T.require_binary
class CapacityErrorsTest(unittest.TestCase):
    def test_no_scenario_is_a_usage_error(self):
        res = T.run(["capacity"])
        self.assertEqual(res.returncode, T.EXIT_USAGE)
        self.assertIn("no scenario given", res.stderr)

    def test_bad_options_are_usage_errors(self):
        ini = T.scenario_path("kashiwa.ini")
        for args, text in ((["-n", "0"], "--replications"), (["-j", "x"], "--threads"),
                           (["--schemes", "nightly"], "unknown scheme 'nightly'"), (["--years", "20x5"], "--years"),
                           (["--bogus"], "usage: carecast capacity")):
            res = T.run(["capacity", ini] + args)
            self.assertEqual(res.returncode, T.EXIT_USAGE, args)
            self.assertIn(text, res.stderr, args)

    def test_year_not_a_target_year(self):
        res = T.run(["capacity", T.scenario_path("kashiwa.ini"), "--years", "2035", "-n", "1"])
        self.assertEqual(res.returncode, T.EXIT_USAGE, res.stderr)
        self.assertIn("2035 is not one of the scenario's coverage target years", res.stderr)
        self.assertEqual(len(res.stderr.strip().splitlines()), 1, res.stderr)

    def test_bad_clinics_table_names_file_line_and_field(self):
        bad = candidates_table().replace("P3,1,primary,1,300,0,", "P3,1,primary,x,300,0,")
        ini = scenario("capacity_bad", bad)
        res = T.run(["capacity", ini, "-n", "1"])
        self.assertEqual(res.returncode, T.EXIT_INPUT, res.stderr)
        self.assertRegex(res.stderr, r"capacity_bad_clinics\.csv:\d+.*doctors")
        self.assertEqual(len(res.stderr.strip().splitlines()), 1, res.stderr)

    def test_unwritable_output_leaves_nothing_and_fails_as_io(self):
        res = T.run(["capacity", T.scenario_path("kashiwa.ini"), "-n", "1", "-o", "/nonexistent/x.h5"])
        self.assertEqual(res.returncode, T.EXIT_RUN_FAILED, res.stderr)

    def test_failed_run_leaves_an_existing_file_untouched(self):
        folder = T.session_folder()
        target = os.path.join(folder, "capacity_existing.h5")
        with open(target, "wb") as f:
            f.write(T.EXISTING_BYTES)
        res = T.run(["capacity", T.scenario_path("kashiwa.ini"), "--years", "2035", "-o", target])
        self.assertNotEqual(res.returncode, 0)
        with open(target, "rb") as f:
            self.assertEqual(f.read(), T.EXISTING_BYTES)
        self.assertEqual(T.temp_leftovers(folder), [])


if __name__ == "__main__":
    unittest.main()
