"""Any municipality of Japan in one command (issue 14): `carecast run --region CODE|NAME`,
`carecast scenario --region CODE -o DIR`, `carecast regions RESULTS.h5` and `carecast batch`.

- Kashiwa built by the region builder (12217) gives the same /population results as
  scenarios/kashiwa.ini: their population inputs agree (the register rows, the national
  tables, the IPSS targets, every [population]/[mortality]/[fertility]/[migration] key); the
  scenario name, which names the /population/fitted group, is set equal with --set;
- a name shared by several municipalities lists them with codes and prefectures (exit 2); an
  unknown code or name, or a ward, is a clear error with close matches (exit 2);
- a municipality's base population is the sum of its register's both-sexes rows, also where
  the sex rows miss a person or two; the 13 浜通り municipalities' targets add up to IPSS's
  combined area;
- the written scenario folder runs as written, gives the same population as `run --region`,
  takes the user's edits (a bed count) and is never overwritten;
- the summary CSV holds what the results file's quantiles say.
"""
import csv
import io
import os
import shutil
import subprocess
import tempfile
import unittest

import carecast_testlib as T

REGISTER = os.path.join(T.source_root(), "scenarios", "data", "jp_municipal_register_2025_5y_sex.csv")
TOTALS = os.path.join(T.source_root(), "scenarios", "data", "jp_municipal_ipss2023_totals.csv")
REPS = "20"


def register_rows():
    with open(REGISTER, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def population_datasets(h5):
    """{path: array} of every dataset under /population."""
    import h5py
    out = {}
    h5["population"].visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset)
                                else None)
    return out


@T.require_binary
class RegionRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="carecast-region-test-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_ok(self, args, **kw):
        result = T.run(args, **kw)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def test_kashiwa_by_code_equals_kashiwa_ini(self):
        import h5py
        region = os.path.join(self.tmp, "region.h5")
        self.run_ok(["run", "--region", "12217", "-n", REPS, "--set", "scenario.name=kashiwa", "-o", region, "-q"])
        shipped = T.cached_results(T.without_coverage("kashiwa.ini"), "-n", REPS)
        shipped.check(self)
        with h5py.File(region, "r") as a:
            ours, theirs = population_datasets(a), population_datasets(shipped.open())
        self.assertEqual(sorted(ours), sorted(theirs))
        self.assertGreater(len(ours), 30)
        for name in ours:
            self.assertTrue((ours[name] == theirs[name]).all(), name)
        # h5diff, the tool the issue names, agrees
        diff = subprocess.run(["h5diff", "-r", region, shipped.path, "/population", "/population"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(diff.returncode, 0, diff.stdout[-2000:])

    def test_visits_per_clinic_need_the_municipality_s_own_clinic_count(self):
        """The municipal template gives no clinic count (the data have none): visits per clinic
        are NaN, not outpatient visits divided by Kashiwa's 251; with the user's count they are
        the outpatient visits divided by it."""
        import h5py
        import numpy as np
        plain, counted = os.path.join(self.tmp, "chiyoda.h5"), os.path.join(self.tmp, "chiyoda-120.h5")
        self.run_ok(["run", "--region", "13101", "-n", REPS, "-o", plain, "-q"])
        self.run_ok(["run", "--region", "13101", "-n", REPS, "--set", "demand.clinics=120", "-o", counted, "-q"])
        with h5py.File(plain, "r") as f:
            self.assertTrue(np.isnan(f["demand/outpatient/visits_per_clinic/replications"][()]).all())
            self.assertTrue(np.isnan(f["demand/outpatient/visits_per_clinic/mean"][()]).all())
        with h5py.File(counted, "r") as f:
            per_clinic = f["demand/outpatient/visits_per_clinic/replications"][()]  # [scenario, rep, year]
            visits = f["demand/outpatient/replications"][()]  # [scenario, rep, year, sex, band]
            np.testing.assert_allclose(per_clinic, visits[:, :, :, 2, 4] / 120, rtol=1e-12)

    def test_name_and_prefecture_name_find_the_same_municipality(self):
        import h5py
        for query in ("柏市", "千葉県柏市", "122173"):  # the 6-digit code carries the check digit 3
            path = os.path.join(self.tmp, "by-name-%s.h5" % query)
            self.run_ok(["run", "--region", query, "-n", "2", "-o", path, "-q"])
            with h5py.File(path, "r") as f:
                self.assertEqual([s.decode() for s in f["scenario"][()]], ["12217_柏市"])

    def test_shared_names_list_their_candidates(self):
        for name, candidates in (("府中市", [("13206", "東京都"), ("34208", "広島県")]),
                                 ("伊達市", [("01233", "北海道"), ("07213", "福島県")])):
            result = T.run(["run", "--region", name, "-n", "2", "-o", os.path.join(self.tmp, "x.h5")])
            self.assertEqual(result.returncode, T.EXIT_USAGE, result.stderr)
            for code, prefecture in candidates:
                self.assertIn("%s %s (%s)" % (code, name, prefecture), result.stderr)
            self.assertEqual(result.stderr.count("\n"), 1, "one error line")
            self.assertFalse(os.path.exists(os.path.join(self.tmp, "x.h5")))
        # the prefecture settles it
        result = T.run(["scenario", "--region", "広島県府中市", "-o", os.path.join(self.tmp, "fuchu")])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.isfile(os.path.join(self.tmp, "fuchu", "34208_府中市.ini")))

    def test_unknown_code_or_name_lists_close_matches(self):
        cases = (("12209", ["12208 野田市 (千葉県)"]),         # no such code: the nearest
                 ("122174", ["12217 柏市 (千葉県)"]),          # a wrong check digit
                 ("柏", ["12217 柏市", "15205 柏崎市", "27221 柏原市"]),  # shared characters
                 ("府中", ["13206 府中市", "34208 府中市"]),
                 ("01101", ["inside 01100 札幌市", "--region 01100"]))  # a ward: its city
        for query, expected in cases:
            result = T.run(["run", "--region", query, "-n", "2", "-o", os.path.join(self.tmp, "y.h5")])
            self.assertEqual(result.returncode, T.EXIT_USAGE, (query, result.stderr))
            for text in expected:
                self.assertIn(text, result.stderr, query)
        result = T.run(["scenario", "--region", "kashiwa", "-o", os.path.join(self.tmp, "none")])
        self.assertEqual(result.returncode, T.EXIT_USAGE)
        self.assertIn("names are in Japanese", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "none", "municipality.ini")))

    def test_base_population_is_the_both_sexes_rows(self):
        """17201 (金沢市): one group's both-sexes row is 2 above its male + female rows."""
        import h5py
        rows = [r for r in register_rows() if r["area_code"] == "17201"]
        total = sum(int(r["population"]) for r in rows if r["sex"] == "total")
        by_sex = sum(int(r["population"]) for r in rows if r["sex"] != "total")
        self.assertEqual(total - by_sex, 2)
        path = os.path.join(self.tmp, "kanazawa.h5")
        self.run_ok(["run", "--region", "17201", "-n", "2", "-o", path, "-q"])
        with h5py.File(path, "r") as f:
            base = f["population/base"][()]  # [scenario, sex (male, female, total), age]
            self.assertEqual(round(base[0, 0].sum() + base[0, 1].sum()), total)

    @T.skip_when_sanitized("13 loads of the 10 MB register (40 s); `scenario --region` runs sanitized in "
                           "test_written_scenario_runs_and_takes_edits")
    def test_hamadori_targets_add_up_to_the_combined_area(self):
        with open(TOTALS, encoding="utf-8") as f:
            area = {int(r["year"]): float(r["total_population"]) for r in csv.DictReader(f) if r["area_code"] == "07999"}
        codes = sorted({r["area_code"] for r in register_rows() if r["batch_unit"] == "municipality_hamadori"})
        self.assertEqual(len(codes), 13)
        sums = {}
        for code in codes:
            folder = os.path.join(self.tmp, "hamadori-" + code)
            self.run_ok(["scenario", "--region", code, "-o", folder])
            with open(os.path.join(folder, "data", code + "_ipss2023_totals.csv"), encoding="utf-8") as f:
                for r in csv.DictReader(f):
                    sums[int(r["year"])] = sums.get(int(r["year"]), 0) + float(r["total_population"])
        self.assertEqual(sorted(sums), sorted(area))
        for year in area:
            self.assertAlmostEqual(sums[year], area[year], delta=0.01)

    def test_written_scenario_runs_and_takes_edits(self):
        import h5py
        folder = os.path.join(self.tmp, "kashiwa-folder")
        result = self.run_ok(["scenario", "--region", "12217", "-o", folder])
        ini = os.path.join(folder, "12217_柏市.ini")
        self.assertIn(ini, result.stdout)
        self.assertTrue(os.path.isfile(os.path.join(folder, "municipality.ini")))
        for table in ("12217_register_2025_5y_sex.csv", "12217_ipss2023_totals.csv", "jp_lifetable_2023_scaled_1x1.csv",
                      "demand_inpatient_rates_2023_japan.csv"):
            self.assertTrue(os.path.isfile(os.path.join(folder, "data", table)), table)
        with open(os.path.join(folder, "data", "12217_register_2025_5y_sex.csv"), encoding="utf-8") as f:
            written = f.read()
        with open(os.path.join(T.source_root(), "scenarios", "data", "kashiwa_register_2025_5y_sex.csv"), encoding="utf-8") as f:
            self.assertEqual(written, f.read())
        # the folder is self-contained: moved elsewhere, it runs, and as `run --region` does
        moved = os.path.join(self.tmp, "moved")
        shutil.move(folder, moved)
        a, b = os.path.join(self.tmp, "written.h5"), os.path.join(self.tmp, "direct.h5")
        self.run_ok(["run", os.path.join(moved, "12217_柏市.ini"), "-n", "5", "-o", a, "-q"])
        self.run_ok(["run", "--region", "12217", "-n", "5", "-o", b, "-q"])
        with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
            pa, pb = population_datasets(fa), population_datasets(fb)
            self.assertEqual(sorted(pa), sorted(pb))
            for name in pa:
                self.assertTrue((pa[name] == pb[name]).all(), name)
            self.assertNotIn("exceedance_probability", fa["demand/beds_needed"])
        # the user's bed count: exceedance appears
        ini = os.path.join(moved, "12217_柏市.ini")
        with open(ini, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("; bed_capacity = 1000\n", text)
        with open(ini, "w", encoding="utf-8") as f:
            f.write(text.replace("; bed_capacity = 1000\n", "bed_capacity = 2500\n"))
        c = os.path.join(self.tmp, "beds.h5")
        self.run_ok(["run", ini, "-n", "5", "-o", c, "-q"])
        with h5py.File(c, "r") as f:
            self.assertIn("exceedance_probability", f["demand/beds_needed"])
        # never overwritten
        with open(os.path.join(moved, "municipality.ini"), "rb") as f:
            before = f.read()
        again = T.run(["scenario", "--region", "12217", "-o", moved])
        self.assertEqual(again.returncode, T.EXIT_USAGE, again.stderr)
        self.assertIn("not overwritten", again.stderr)
        with open(os.path.join(moved, "municipality.ini"), "rb") as f:
            self.assertEqual(f.read(), before)
        with open(ini, encoding="utf-8") as f:
            self.assertIn("bed_capacity = 2500", f.read())

    def test_scenarios_folder_option_and_missing_folder(self):
        empty = os.path.join(self.tmp, "empty")
        os.makedirs(empty, exist_ok=True)
        result = T.run(["run", "--region", "12217", "--scenarios", empty, "-n", "2", "-o", os.path.join(self.tmp, "z.h5")])
        self.assertEqual(result.returncode, T.EXIT_USAGE)
        self.assertIn("municipality.ini", result.stderr)
        result = T.run(["run", "--region", "12217", "-n", "2", "-q", "-o", os.path.join(self.tmp, "z.h5")],
                       env={"CARECAST_SCENARIOS": os.path.join(T.source_root(), "scenarios")}, cwd=self.tmp)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_no_temporary_files_left(self):
        tmp = os.path.join(self.tmp, "tmpdir")
        os.makedirs(tmp, exist_ok=True)
        self.run_ok(["run", "--region", "12217", "-n", "2", "-q", "-o", os.path.join(self.tmp, "t.h5")],
                    env={"TMPDIR": tmp})
        T.run(["run", "--region", "12217", "--set", "simulation.end_year=1800", "-n", "2",
               "-o", os.path.join(self.tmp, "t2.h5")], env={"TMPDIR": tmp})
        self.assertEqual(os.listdir(tmp), [])

    def test_regions_summary_csv(self):
        import h5py
        path = os.path.join(self.tmp, "two.h5")
        self.run_ok(["run", "--region", "12217", "--region", "13206", "-n", REPS, "-o", path, "-q"])
        out = os.path.join(self.tmp, "summary.csv")
        self.run_ok(["regions", path, "-o", out])
        with open(out, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([(r["scenario"], r["code"], r["year"]) for r in rows],
                         [(s, s[:5], y) for s in ("12217_柏市", "13206_府中市") for y in ("2030", "2040", "2050")])
        with h5py.File(path, "r") as f:
            years = list(f["year"][()])
            q = list(f["quantile"][()])
            old = f["population/age75plus/quantiles"][()]  # [scenario, quantile, year, sex]
            home = f["demand/home_care/quantiles"][()]     # [scenario, quantile, year, sex, age_band]
        for r in rows:
            sc, y = ["12217_柏市", "13206_府中市"].index(r["scenario"]), years.index(int(r["year"]))
            for column, qv in (("median", 0.5), ("p05", 0.05), ("p95", 0.95)):
                self.assertAlmostEqual(float(r["age75plus_" + column]), old[sc, q.index(qv), y, 2], delta=0.06)
                self.assertAlmostEqual(float(r["home_care_" + column]), home[sc, q.index(qv), y, 2, 4], delta=0.06)
            self.assertLess(float(r["age75plus_p05"]), float(r["age75plus_p95"]))
        # stdout without -o, and other years
        result = self.run_ok(["regions", path, "--years", "2025"])
        self.assertEqual(len(list(csv.DictReader(io.StringIO(result.stdout)))), 2)
        result = T.run(["regions", path, "--years", "2051"])
        self.assertEqual(result.returncode, T.EXIT_INPUT)
        self.assertIn("2051", result.stderr)
        # --excel: a byte-order mark, CRLF, the same rows; a formula-like name stays text there only
        excel = os.path.join(self.tmp, "summary-excel.csv")
        self.run_ok(["regions", path, "-o", excel, "--excel"])
        with open(excel, "rb") as f:
            raw = f.read()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"), "byte-order mark")
        self.assertEqual(raw.count(b"\r\n"), raw.count(b"\n"), "every line ends with CRLF")
        with open(excel, encoding="utf-8-sig", newline="") as f:
            self.assertEqual(list(csv.DictReader(f)), rows)
        crafted = os.path.join(self.tmp, "formula.h5")
        shutil.copyfile(path, crafted)
        with h5py.File(crafted, "r+") as f:
            f["scenario"][0] = "=1+1"
        plain = self.run_ok(["regions", crafted]).stdout
        self.assertEqual(next(csv.DictReader(io.StringIO(plain)))["scenario"], "=1+1")
        result = self.run_ok(["regions", crafted, "--excel"])
        text = result.stdout.lstrip("\ufeff")
        self.assertEqual(next(csv.DictReader(io.StringIO(text, newline="")))["scenario"], "'=1+1")
        # -o naming the results file itself is refused, the file untouched (it used to become the CSV)
        with open(path, "rb") as f:
            before = f.read()
        result = T.run(["regions", path, "-o", path])
        self.assertEqual(result.returncode, T.EXIT_USAGE, result.stderr)
        self.assertIn("inputs", result.stderr)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), before)
        self.assertEqual(sorted(n for n in os.listdir(self.tmp) if ".tmp-" in n), [], "no temporary file left")


@T.require_binary
class Batch(unittest.TestCase):
    """`carecast batch --limit 5`: the scenario axis holds the first five municipalities in code
    order, each once; each base is its register's both-sexes rows; each municipality's slice
    equals its own `run --region` (same seed, replications); threads do not change the file."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="carecast-batch-test-")
        cls.path = os.path.join(cls.tmp, "batch.h5")
        cls.result = T.run(["batch", "--limit", "5", "-n", "8", "-j", "2", "-o", cls.path, "-q"], timeout=600)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_scenario_axis_and_base_sums(self):
        import h5py
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        rows = register_rows()
        codes = sorted({r["area_code"] for r in rows if r["batch_unit"] in ("municipality", "municipality_hamadori")})[:5]
        names = {r["area_code"]: r["municipality"] for r in rows}
        totals = {c: sum(int(r["population"]) for r in rows if r["area_code"] == c and r["sex"] == "total") for c in codes}
        with h5py.File(self.path, "r") as f:
            self.assertEqual([s.decode() for s in f["scenario"][()]], ["%s_%s" % (c, names[c]) for c in codes])
            self.assertEqual(f["replication"].shape, (8,))
            base = f["population/base"][()]
            for i, code in enumerate(codes):
                self.assertEqual(round(base[i, 0].sum() + base[i, 1].sum()), totals[code], code)
        check = subprocess.run(["/usr/bin/python3", os.path.join(T.source_root(), "scripts", "check-batch.py"), self.path,
                                "--limit", "5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertIn("OK", check.stdout)

    def test_a_slice_equals_the_municipality_run_alone(self):
        import h5py
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        alone = os.path.join(self.tmp, "third.h5")
        with h5py.File(self.path, "r") as f:
            third = f["scenario"][2].decode()
        result = T.run(["run", "--region", third[:5], "-n", "8", "-o", alone, "-q"])
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(self.path, "r") as fb, h5py.File(alone, "r") as fa:
            for series in ("total", "age75plus", "deaths"):
                self.assertTrue((fb["population/%s/replications" % series][2] ==
                                 fa["population/%s/replications" % series][0]).all(), series)
            self.assertTrue((fb["demand/home_care/replications"][2] == fa["demand/home_care/replications"][0]).all())

    def test_threads_do_not_change_the_file(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        one = os.path.join(self.tmp, "one-thread.h5")
        result = T.run(["batch", "--limit", "5", "-n", "8", "-j", "1", "-o", one, "-q"], timeout=600)
        self.assertEqual(result.returncode, 0, result.stderr)
        diff = subprocess.run(["h5diff", "--exclude-path", "/provenance", self.path, one], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(diff.returncode, 0, diff.stdout[-2000:])

    def test_codes_and_errors(self):
        import h5py
        path = os.path.join(self.tmp, "codes.h5")
        result = T.run(["batch", "--codes", "13206,柏市", "-n", "4", "-o", path, "-q"], timeout=600)
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(path, "r") as f:
            self.assertEqual([s.decode() for s in f["scenario"][()]], ["13206_府中市", "12217_柏市"])
        summary = T.run(["regions", path])
        self.assertEqual(summary.returncode, 0, summary.stderr)
        self.assertEqual(len(summary.stdout.splitlines()), 1 + 2 * 3)
        for args in (["--codes", "府中市"], ["--limit", "0"], ["--limit", "3", "--codes", "12217"],
                     ["--set", "demand.occupancy=7"], ["--codes", "12217,12217"]):
            bad = os.path.join(self.tmp, "bad.h5")
            result = T.run(["batch"] + args + ["-n", "2", "-o", bad, "-q"])
            self.assertEqual(result.returncode, T.EXIT_USAGE, (args, result.stderr))
            self.assertFalse(os.path.exists(bad), args)


if __name__ == "__main__":
    unittest.main()
