"""The coverage stage in a run (README, "The results file": /coverage): the driver runs the engine
for the first coverage replications, the store keeps every scheme's and doctor's figures, the
summaries add quantiles, means and paired differences between schemes, and `carecast run`
prints the per-scheme table.

- `-j 1` and `-j 2` give files identical outside /provenance (h5diff), coverage included, for two
  scenarios of different rosters;
- the /coverage groups have their shapes; the doctor axis is as long as the larger roster and the
  smaller scenario's doctors past its own are NaN (and "" / 0 in the doctor labels);
- each scheme's difference from the first scheme is, replication by replication, the scheme
  minus the first (quantiles and paired interval); a scheme that coincides with the first on a
  layout (rotation and cooperative with one backup doctor per block) differs by exactly 0;
- the printed table has every scheme of every target year, with the load limits in its heading,
  on stdout whatever --quiet says, and not with --no-table; layout warnings go to stderr.

Small runs: 6 replications, 4 coverage replications (a coverage replication of Kashiwa is about
0.2 s of engine time for its 3 target years and 4 schemes).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402

REPLICATIONS = "6"
COVERAGE_REPLICATIONS = 4
SMALL = ["-n", REPLICATIONS, "--set", "coverage.replications=%d" % COVERAGE_REPLICATIONS]
YEARS = [2025, 2030, 2040]
SCHEMES = ["pairing", "rotation", "solo", "cooperative"]
QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95]
KASHIWA_DOCTORS = 174


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def kashiwa_clinics():
    with open(T.scenario_path("data/kashiwa_clinics.csv"), encoding="utf-8-sig") as f:
        return f.read()


def fewer_doctors_scenario():
    """Kashiwa with block 3's 12 backup clinics out of the scheme (12 x 3 doctors fewer; block 3's
    primaries left without a backup: a warning) and a fourth block of a quarter of the population
    without any clinic (a warning: its patients are uncovered)."""
    lines = kashiwa_clinics().splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        fields = line.split(",")
        if fields[0].startswith("B3-"):
            fields[5] = "0"
        out.append(",".join(fields))
    T.scenario_file("fewer_clinics.csv", "\n".join(out) + "\n")
    return T.scenario_file("fewer.ini", "[scenario]\nbase = %s\nname = fewer\n[coverage]\nclinics = fewer_clinics.csv\n"
                           "blocks = 4\n" % T.scenario_path("kashiwa.ini"))


def coincide_scenario():
    """Two blocks, each with one one-doctor backup clinic: rotation over a block's doctors is its one
    backup doctor, as cooperative."""
    T.scenario_file("coincide_clinics.csv", "id,block,type,doctors,panel_capacity,participates,backup\n"
                                            "B1,1,backup,1,60,1,\nB2,2,backup,1,60,1,\n")
    return T.scenario_file("coincide.ini", "[scenario]\nbase = %s\nname = coincide\n[coverage]\n"
                           "clinics = coincide_clinics.csv\nblocks = 2\nschemes = rotation, cooperative\n"
                           % T.scenario_path("kashiwa.ini"))


def two_scenarios():
    return T.cached_results(T.scenario_path("kashiwa.ini"), fewer_doctors_scenario(), *SMALL)


@T.require_binary
class CoverageFileTest(unittest.TestCase):
    """Two scenarios of 174 and 138 doctors in one file."""

    @classmethod
    def setUpClass(cls):
        cls.run_ = two_scenarios()

    def setUp(self):
        self.run_.check(self)
        self.h5 = self.run_.open()

    def test_doctors(self):
        doctors = self.h5["coverage/doctors"]
        fewer = KASHIWA_DOCTORS - 12 * 3
        np.testing.assert_array_equal(doctors["n_doctors"][()], [KASHIWA_DOCTORS, fewer])
        self.assertEqual(self.h5["doctor"].shape, (KASHIWA_DOCTORS,))
        np.testing.assert_array_equal(self.h5["doctor"][()], np.arange(KASHIWA_DOCTORS))
        clinic = np.vectorize(text)(doctors["clinic"][()])
        role = np.vectorize(text)(doctors["role"][()])
        backup = np.vectorize(text)(doctors["backup_clinic"][()])
        block = doctors["block"][()]
        for name in ("clinic", "role", "backup_clinic", "block"):
            self.assertEqual(doctors[name].shape, (2, KASHIWA_DOCTORS), name)
            self.assertEqual([d.label for d in doctors[name].dims], ["scenario", "doctor"], name)
        self.assertTrue(all(c == "" for c in clinic[1, fewer:]), "padding past the smaller roster")
        self.assertTrue(all(r == "" for r in role[1, fewer:]))
        self.assertTrue((block[1, fewer:] == 0).all())
        self.assertNotIn("", list(clinic[0]))
        self.assertEqual(set(role[0]), {"primary", "backup"})
        self.assertEqual(sorted(set(block[0])), [1, 2, 3])
        self.assertEqual(list(role[0]).count("backup"), 38 * 3)
        # a backup's doctors are 3 in a row, under their clinic's id; each primary pairs with a backup of its block
        self.assertEqual(list(clinic[0, :3]), ["B1-01"] * 3)
        for d in range(KASHIWA_DOCTORS):
            if role[0, d] == "primary":
                self.assertTrue(backup[0, d].startswith("B%d-" % block[0, d]), (clinic[0, d], backup[0, d]))
            else:
                self.assertEqual(backup[0, d], "")
        # in the smaller scenario block 3's primaries have no backup
        unpaired = [clinic[1, d] for d in range(fewer) if role[1, d] == "primary" and backup[1, d] == ""]
        self.assertEqual(len(unpaired), 20)
        self.assertTrue(all(c.startswith("P3-") for c in unpaired))

    def test_axes_of_the_coverage_replications(self):
        np.testing.assert_array_equal(self.h5["coverage_replication"][()], np.arange(COVERAGE_REPLICATIONS))
        for axis in ("coverage_replication", "doctor"):
            self.assertEqual(text(self.h5[axis].attrs["CLASS"]), "DIMENSION_SCALE")
            self.assertEqual(self.h5["axes/" + axis].id, self.h5[axis].id)

    def test_groups_and_shapes(self):
        coverage = self.h5["coverage"]
        self.assertEqual(sorted(coverage), sorted([str(y) for y in YEARS] + ["doctors"]))
        for year in YEARS:
            group = coverage[str(year)]
            for metric in ("patients", "covered", "uncovered", "uncovered_patient_months", "covered_patient_months",
                           "urgent_calls", "home_deaths", "exits", "scheduled_visits",
                           "patients_with_monthly_urgent_visit"):
                with self.subTest(year=year, metric=metric):
                    self.assertEqual(group[metric + "/replications"].shape, (2, COVERAGE_REPLICATIONS))
                    self.assertEqual([d.label for d in group[metric + "/replications"].dims],
                                     ["scenario", "coverage_replication"])
                    self.assertEqual(group[metric + "/quantiles"].shape, (2, 5))
                    self.assertEqual(group[metric + "/mean"].shape, (2,))
                    self.assertNotIn("difference", group[metric])
            for k, scheme in enumerate(SCHEMES):
                with self.subTest(year=year, scheme=scheme):
                    g = group[scheme]
                    for metric in ("duty_nights_mean", "duty_nights_p95", "disturbed_nights_mean", "ooh_hours_mean",
                                   "continuity", "escalations_per_1000_patient_months", "response_p90",
                                   "within_limits"):
                        self.assertEqual(g[metric + "/replications"].shape, (2, COVERAGE_REPLICATIONS))
                        self.assertEqual(g[metric + "/quantiles"].shape, (2, 5))
                        self.assertEqual(g[metric + "/mean"].shape, (2,))
                        if k == 0:
                            self.assertNotIn("difference", g[metric], "the first scheme is the reference")
                        else:
                            self.assertEqual(sorted(g[metric + "/difference"]), ["mean_ci", "quantiles"])
                            self.assertEqual(g[metric + "/difference/mean_ci"].shape, (2, 3))
                            self.assertEqual([d.label for d in g[metric + "/difference/mean_ci"].dims],
                                             ["scenario", "bound"])
                    self.assertEqual(text(g["duty_nights_mean/quantiles"].attrs["units"]), "nights/month")
                    self.assertEqual(text(g["ooh_hours_mean/quantiles"].attrs["units"]), "hours/month")
                    self.assertEqual(text(g["continuity/quantiles"].attrs["units"]), "1")
                    self.assertEqual(text(g["response_p90/quantiles"].attrs["units"]), "minutes")
                    self.assertEqual(text(g["escalations_per_1000_patient_months/quantiles"].attrs["units"]),
                                     "per 1,000 patient-months")

    def test_per_doctor_values_padded_with_nan(self):
        fewer = int(self.h5["coverage/doctors/n_doctors"][1])
        for year in YEARS:
            for scheme in SCHEMES:
                for metric in ("duty_nights", "disturbed_nights", "ooh_hours", "patients"):
                    with self.subTest(year=year, scheme=scheme, metric=metric):
                        reps = self.h5["coverage/%d/%s/doctor/%s/replications" % (year, scheme, metric)]
                        mean = self.h5["coverage/%d/%s/doctor/%s/mean" % (year, scheme, metric)]
                        self.assertEqual(reps.shape, (2, COVERAGE_REPLICATIONS, KASHIWA_DOCTORS))
                        self.assertEqual([d.label for d in reps.dims], ["scenario", "coverage_replication", "doctor"])
                        self.assertEqual(mean.shape, (2, KASHIWA_DOCTORS))
                        self.assertTrue(np.isnan(reps.attrs["_FillValue"]))
                        values = reps[()]
                        self.assertTrue(np.isfinite(values[0]).all())
                        self.assertTrue(np.isfinite(values[1, :, :fewer]).all())
                        self.assertTrue(np.isnan(values[1, :, fewer:]).all())
                        np.testing.assert_allclose(mean[()][:, :fewer], values[:, :, :fewer].mean(axis=1), rtol=1e-12)
                        self.assertTrue(np.isnan(mean[1, fewer:]).all())
        # per year, not per month: a solo doctor holds every night of the year unless away
        nights = self.h5["coverage/2025/solo/doctor/duty_nights/replications"][0]
        self.assertTrue(((nights >= 365 - 15) & (nights <= 365)).all())
        self.assertEqual(text(self.h5["coverage/2025/solo/doctor/duty_nights/replications"].attrs["units"]),
                         "nights/year")

    def test_scheme_summaries_agree_with_their_replications(self):
        for year in YEARS:
            for metric in ("duty_nights_mean", "continuity", "response_p90", "ooh_hours_mean"):
                first = self.h5["coverage/%d/%s/%s/replications" % (year, SCHEMES[0], metric)][()]
                for scheme in SCHEMES:
                    with self.subTest(year=year, scheme=scheme, metric=metric):
                        g = self.h5["coverage/%d/%s/%s" % (year, scheme, metric)]
                        reps = g["replications"][()]
                        np.testing.assert_allclose(g["quantiles"][()], np.quantile(reps, QUANTILES, axis=1).T,
                                                   rtol=1e-12, atol=1e-12)
                        np.testing.assert_allclose(g["mean"][()], reps.mean(axis=1), rtol=1e-12, atol=1e-12)
                        if scheme == SCHEMES[0]:
                            continue
                        diff = reps - first  # replication by replication
                        np.testing.assert_allclose(g["difference/quantiles"][()],
                                                   np.quantile(diff, QUANTILES, axis=1).T, rtol=1e-9, atol=1e-9)
                        ci = g["difference/mean_ci"][()]
                        np.testing.assert_allclose(ci[:, 1], diff.mean(axis=1), rtol=1e-9, atol=1e-9)
                        self.assertTrue((ci[:, 0] <= ci[:, 1]).all() and (ci[:, 1] <= ci[:, 2]).all())

    def test_scenarios_share_the_events(self):
        """The smaller scenario places the same patients (the demand stage is the same) but leaves
        more uncovered: block 3's backups took patients in Kashiwa, and block 4 has no clinic."""
        patients = self.h5["coverage/2025/patients/replications"][()]
        np.testing.assert_array_equal(patients[0], patients[1])
        uncovered = self.h5["coverage/2040/uncovered/replications"][()]
        self.assertTrue((uncovered[1] >= uncovered[0]).all())
        uncovered = self.h5["coverage/2025/uncovered/replications"][1]
        self.assertTrue((uncovered >= np.floor(patients[1] / 4)).all(), "block 4's quarter of the patients at least")

    def test_warnings_on_stderr(self):
        stderr = self.run_.result.stderr
        self.assertRegex(stderr, r"(?m)^carecast: warning: fewer: 20 participating primary clinics left without a "
                                 r"backup .*: under pairing their patients have no cover out of hours$")
        self.assertRegex(stderr, r"(?m)^carecast: warning: fewer: 1 block with a population share has no "
                                 r"participating doctor: its patients are uncovered$")
        self.assertNotIn("warning: kashiwa", stderr)

    def test_table_per_scenario_year_and_scheme(self):
        out = self.run_.result.stdout
        for scenario in ("kashiwa", "fewer"):
            for year in YEARS:
                self.assertRegex(out, r"(?m)^Coverage %d, %s: [\d,]+ home-care patients, [\d,]+ uncovered "
                                      r"\(medians over %d coverage replications\)$" % (year, scenario,
                                                                                     COVERAGE_REPLICATIONS))
        self.assertEqual(out.count("at most 12 duty nights and 4 disturbed nights a month"), 6)
        for scheme in SCHEMES:
            self.assertEqual(len(re.findall(r"(?m)^%s +\d" % scheme, out)), 6, scheme)


@T.require_binary
class CoverageTableTest(unittest.TestCase):
    """The table of `carecast run scenarios/kashiwa.ini`: its numbers are the file's medians."""

    @classmethod
    def setUpClass(cls):
        cls.run_ = T.cached_results(T.scenario_path("kashiwa.ini"), *SMALL)

    def test_table_is_on_stdout_and_the_files_medians(self):
        self.run_.check(self)
        out = self.run_.result.stdout
        self.assertNotIn("carecast:", out, "messages go to stderr")
        h5 = self.run_.open()
        sections = out.strip().split("\n\n")
        self.assertEqual(len(sections), len(YEARS))
        columns = ["duty_nights_mean", "duty_nights_p95", "disturbed_nights_mean", "disturbed_nights_p95",
                   "ooh_hours_mean", "escalations_per_1000_patient_months", "continuity", "response_p90"]
        for year, section in zip(YEARS, sections):
            lines = section.splitlines()
            self.assertTrue(lines[0].startswith("Coverage %d, kashiwa: " % year), lines[0])
            self.assertIn("within limits: at most 12 duty nights and 4 disturbed nights a month", lines[1])
            rows = {line.split()[0]: line.split()[1:] for line in lines[4:]}
            self.assertEqual(list(rows), SCHEMES)
            for scheme, cells in rows.items():
                with self.subTest(year=year, scheme=scheme):
                    for column, cell in zip(columns, cells):
                        median = h5["coverage/%d/%s/%s/quantiles" % (year, scheme, column)][0, 2]
                        shown = float(cell.rstrip("%"))
                        want = 100 * median if column == "continuity" else median
                        self.assertAlmostEqual(shown, want, delta=0.051 + 1e-9 * abs(want), msg=column)
                    uncovered = h5["coverage/%d/uncovered/quantiles" % year][0, 2]
                    self.assertEqual(int(cells[8].replace(",", "")), round(uncovered))
                    within = h5["coverage/%d/%s/within_limits/quantiles" % (year, scheme)][0, 2]
                    self.assertAlmostEqual(float(cells[9].rstrip("%")), 100 * within, delta=0.5)

    def test_quiet_keeps_the_table_and_no_table_drops_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            args = ["run", T.scenario_path("kashiwa.ini"), "-n", "2", "--set", "coverage.replications=1",
                    "--set", "coverage.target_years=2030", "-o", os.path.join(tmp, "k.h5")]
            quiet = T.run(args + ["--quiet"])
            self.assertEqual(quiet.returncode, 0, quiet.stderr)
            self.assertEqual(quiet.stderr, "")
            self.assertIn("Coverage 2030, kashiwa:", quiet.stdout)
            for scheme in SCHEMES:
                self.assertRegex(quiet.stdout, r"(?m)^%s +\d" % scheme)
            none = T.run(args + ["--no-table"])
            self.assertEqual(none.returncode, 0, none.stderr)
            self.assertEqual(none.stdout, "")
            self.assertIn("--no-table", T.run(["run", "--help"]).stdout)

    def test_undefined_cells_print_a_dash(self):
        """A year without urgent calls or deaths has no continuity and no response time: the table
        says "-", not "nan"."""
        with tempfile.TemporaryDirectory() as tmp:
            result = T.run(["run", T.scenario_path("kashiwa.ini"), "-n", "2", "-q", "-o", os.path.join(tmp, "k.h5"),
                            "--set", "coverage.replications=1", "--set", "coverage.target_years=2025",
                            "--set", "demand.urgent_calls_per_patient_month=0", "--set", "coverage.home_death_share=0"])
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertNotIn("nan", result.stdout.lower())
            for scheme in SCHEMES:
                row = re.search(r"(?m)^%s +(.*)$" % scheme, result.stdout).group(1).split()
                self.assertEqual(row[6:8], ["-", "-"], "continuity and response p90 of " + scheme)


@T.require_binary
class SchemesThatCoincideTest(unittest.TestCase):
    """Rotation and cooperative on a layout where they are the same scheme (one backup doctor per
    block): the paired difference is exactly 0 in every replication."""

    @classmethod
    def setUpClass(cls):
        cls.run_ = T.cached_results(coincide_scenario(), "-n", REPLICATIONS, "--set", "coverage.replications=3")

    def test_difference_is_zero(self):
        self.run_.check(self)
        h5 = self.run_.open()
        checked = 0
        for year in YEARS:
            group = h5["coverage/%d/cooperative" % year]
            for metric in group:
                if metric == "doctor":
                    continue
                with self.subTest(year=year, metric=metric):
                    np.testing.assert_array_equal(group[metric + "/replications"][()],
                                                  h5["coverage/%d/rotation/%s/replications" % (year, metric)][()])
                    diff = group[metric + "/difference"]
                    values = np.concatenate([diff["quantiles"][()].ravel(), diff["mean_ci"][()].ravel()])
                    self.assertTrue(((values == 0) | np.isnan(values)).all(), values)
                    checked += 1
        self.assertGreater(checked, 20 * len(YEARS))

    def test_panels_full_and_the_rest_uncovered(self):
        self.run_.check(self)
        h5 = self.run_.open()
        patients = h5["coverage/2025/patients/replications"][0]
        covered = h5["coverage/2025/covered/replications"][0]
        self.assertTrue((covered == 120).all(), "two panels of 60")
        np.testing.assert_array_equal(h5["coverage/2025/uncovered/replications"][0], patients - covered)


@T.require_binary
@unittest.skipUnless(shutil.which("h5diff"), "h5diff not installed (Debian package hdf5-tools)")
class CoverageDeterminismTest(unittest.TestCase):
    def test_one_and_two_threads_identical_with_coverage(self):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for threads in ("1", "2"):
                path = os.path.join(tmp, "j%s.h5" % threads)
                result = T.run(["run", T.scenario_path("kashiwa.ini"), fewer_doctors_scenario(), "-q", "--no-table",
                                "-o", path, "-j", threads] + SMALL)
                self.assertEqual(result.returncode, 0, result.stderr)
                paths.append(path)
            diff = subprocess.run(["h5diff", "--exclude-path", "/provenance"] + paths, capture_output=True, text=True,
                                  timeout=120)
            self.assertEqual(diff.returncode, 0, "h5diff found differences:\n" + diff.stdout + diff.stderr)
            with h5py.File(paths[0], "r") as h5:
                self.assertIn("coverage/2040/cooperative/doctor/ooh_hours/replications", h5)
                values = h5["coverage/2040/pairing/ooh_hours_mean/replications"][()]
                self.assertGreater(np.ptp(values[0]), 0, "coverage replications differ from each other")


if __name__ == "__main__":
    unittest.main()
