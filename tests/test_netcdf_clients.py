"""The results file opens in the tools researchers use, not only h5py (README, "The results file"):
`ncdump -h` (netcdf-bin), xarray with the h5netcdf engine (axes by name), netCDF4-python, and
R (ncdf4; rhdf5 with the axis names restored by the README's own snippet). Every dimension of
every dataset has a dimension scale, and every dataset says what it holds (units, long_name,
description).

One file of one scenario (scenarios/kashiwa.ini) and one of two (kashiwa.ini and
kashiwa-shift.ini), written once for the whole module with a few replications; coverage is in
both, trimmed to one target year, two schemes and two coverage replications (every reader opens
every group: /coverage holds about 30 groups per scheme and year).
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
COVERAGE = ["--set", "coverage.replications=2", "--set", "coverage.target_years=2030",
            "--set", "coverage.schemes=pairing,rotation"]
ROOT_AXES = ["scenario", "replication", "quantile", "year", "sex", "age", "age_band", "bound", "setting",
             "coverage_replication", "doctor"]
FILES = {}  # "one" / "two" -> path
_TMP = None


def setUpModule():
    global _TMP
    if T.SANITIZED:
        raise unittest.SkipTest("sanitized pass: the clients are other programs; the sanitized writer runs in "
                                "test_results_file and test_determinism")
    if not os.access(T.carecast_bin(), os.X_OK):
        return
    _TMP = tempfile.TemporaryDirectory()
    runs = {"one": ["kashiwa.ini"], "two": ["kashiwa.ini", "kashiwa-shift.ini"]}
    for name, scenarios in runs.items():
        path = os.path.join(_TMP.name, name + ".h5")
        result = T.run(["run"] + [T.scenario_path(s) for s in scenarios] + ["-n", REPLICATIONS, "-q", "-o", path]
                       + COVERAGE)
        if result.returncode != 0:
            raise AssertionError("carecast run %s failed:\n%s" % (" ".join(scenarios), result.stderr))
        FILES[name] = path


def tearDownModule():
    if _TMP is not None:
        _TMP.cleanup()


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def is_scale(dset):
    return text(dset.attrs.get("CLASS", b"")) == "DIMENSION_SCALE"


def all_datasets(h5):
    found = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            found[name] = obj
    h5.visititems(visit)
    return found


def readme_blocks(language):
    with open(os.path.join(T.REPO_ROOT, "README.md"), encoding="utf-8") as f:
        return re.findall(r"```%s\n(.*?)```" % language, f.read(), re.S)


def run_in(folder, cmd, timeout=120):
    return subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=timeout)


def with_results_folder(path):
    """A temporary folder holding results/kashiwa.h5 (a copy of path), as the README assumes."""
    tmp = tempfile.TemporaryDirectory()
    os.mkdir(os.path.join(tmp.name, "results"))
    shutil.copy(path, os.path.join(tmp.name, "results", "kashiwa.h5"))
    return tmp


def have_python_module(name):
    return run_in(T.REPO_ROOT, ["/usr/bin/python3", "-c", "import " + name]).returncode == 0


def have_r_package(name):
    return shutil.which("Rscript") is not None and \
        run_in(T.REPO_ROOT, ["Rscript", "-e", "library(%s)" % name]).returncode == 0


@T.require_binary
class ScalesAndAttributesTest(unittest.TestCase):
    """What every netCDF-4 reader needs: a scale on every dimension, the shared ones in the
    root group; and what every reader needs: units, long_name and description."""

    def test_every_dimension_of_every_dataset_has_a_scale(self):
        for which, path in FILES.items():
            with h5py.File(path, "r") as h5:
                missing = []
                for name, dset in all_datasets(h5).items():
                    if is_scale(dset):
                        continue  # a coordinate variable: its own dimension
                    for i in range(dset.ndim):
                        if len(dset.dims[i]) == 0:
                            missing.append("%s dim %d" % (name, i))
                        else:
                            self.assertEqual(dset.dims[i][0].shape, (dset.shape[i],), "%s dim %d" % (name, i))
                            self.assertEqual(dset.dims[i].label, os.path.basename(dset.dims[i][0].name),
                                             "%s dim %d: labelled with its scale's name" % (name, i))
                self.assertEqual(missing, [], which)

    def test_shared_axes_are_root_scales_hard_linked_under_axes(self):
        for which, path in FILES.items():
            with h5py.File(path, "r") as h5:
                for axis in ROOT_AXES:
                    with self.subTest(file=which, axis=axis):
                        self.assertIn(axis, h5, "/%s" % axis)
                        self.assertTrue(is_scale(h5[axis]))
                        link = h5.get("axes/" + axis, getlink=True)
                        self.assertIsInstance(link, h5py.HardLink, "/axes/%s is a hard link" % axis)
                        self.assertEqual(h5["axes/" + axis].id, h5[axis].id, "/axes/%s is /%s" % (axis, axis))
                self.assertEqual([text(v) for v in h5["bound"][()]], ["lower", "mean", "upper"])
                self.assertEqual([text(v) for v in h5["setting"][()]], ["inpatient", "outpatient", "home_care"])

    def test_intervals_and_drawn_parameters_have_their_axes(self):
        with h5py.File(FILES["two"], "r") as h5:
            for name in ("population/total/difference/mean_ci", "demand/home_care/difference/mean_ci_unpaired",
                         "demand/outpatient/expected_total/difference/mean_ci"):
                self.assertEqual(h5[name].dims[1].label, "bound", name)
            for name in ("demand/parameters/rate_multiplier", "demand/parameters/rate_trend"):
                self.assertEqual([d.label for d in h5[name].dims], ["scenario", "replication", "setting"], name)

    def test_every_dataset_has_units_long_name_and_description(self):
        for which, path in FILES.items():
            with h5py.File(path, "r") as h5:
                problems = []
                for name, dset in all_datasets(h5).items():
                    for attr in ("units", "long_name", "description"):
                        value = text(dset.attrs.get(attr, "")).strip()
                        if not value:
                            problems.append("%s@%s missing" % (name, attr))
                    if text(dset.attrs.get("units", "")).strip() in ("-", "none", ""):
                        problems.append("%s@units is %r (dimensionless is \"1\")" % (name, dset.attrs.get("units")))
                self.assertEqual(problems, [], which)
                self.assertEqual(text(h5["population/total/quantiles"].attrs["long_name"]),
                                 "Population, all ages, quantiles over replications")
                self.assertEqual(text(h5["demand/home_care/quantiles"].attrs["long_name"]),
                                 "Enrolled home-care patients, quantiles over replications")

    def test_no_conventions_claimed(self):
        """The file does not follow CF (no time axis with CF units, no standard names): it must not say so."""
        for path in FILES.values():
            with h5py.File(path, "r") as h5:
                self.assertNotIn("Conventions", h5.attrs)


@T.require_binary
@unittest.skipUnless(shutil.which("ncdump"), "ncdump not installed (Debian package netcdf-bin)")
class NcdumpTest(unittest.TestCase):
    def test_ncdump_header(self):
        for which, path in FILES.items():
            with self.subTest(file=which):
                result = run_in(T.REPO_ROOT, ["ncdump", "-h", path])
                self.assertEqual(result.returncode, 0, result.stderr)
                header = result.stdout
                root = header.split("group:", 1)[0]  # the root group's dimensions
                for axis in ROOT_AXES:
                    self.assertRegex(root, r"\b%s = \d+ ;" % axis)
                self.assertIn("year = 26 ;", root)
                self.assertIn("scenario = %d ;" % (1 if which == "one" else 2), root)
                self.assertIn("double quantiles(scenario, quantile, year, sex) ;", header)
                self.assertIn("double rate_trend(scenario, replication, setting) ;", header)
                if which == "two":
                    self.assertIn("double mean_ci(scenario, bound, year, sex) ;", header)
                self.assertIn("coverage_replication = 2 ;", root)
                self.assertIn("doctor = 174 ;", root)
                self.assertIn("group: coverage {", header)
                self.assertIn("double replications(scenario, coverage_replication, doctor) ;", header)
                self.assertIn("replications:_FillValue = NaN ;", header)
                self.assertIn("double mean_ci(scenario, bound) ;", header)  # rotation minus pairing


@T.require_binary
@unittest.skipUnless(have_python_module("xarray") and have_python_module("h5netcdf"),
                     "xarray / h5netcdf not installed (Debian python3-xarray, python3-h5netcdf)")
class XarrayTest(unittest.TestCase):
    """xarray's h5netcdf engine opens a group; the axes (coordinates of the root group) are
    assigned to it, and values are selected by axis name and label."""

    SELECT = """
import sys, json
import xarray as xr
path, group = sys.argv[1], sys.argv[2]
axes = xr.open_dataset(path, engine="h5netcdf").coords
ds = xr.open_dataset(path, engine="h5netcdf", group=group).assign_coords(axes)
q = ds["quantiles"].sel(year=2040, sex="total", quantile=0.5)
print(json.dumps({"dims": list(q.dims), "values": q.values.tolist(),
                  "scenarios": [str(s) for s in q["scenario"].values]}))
"""

    def test_select_by_name(self):
        import json
        for which, path in FILES.items():
            with h5py.File(path, "r") as h5:
                year = list(h5["year"][()]).index(2040)
                sex = [text(s) for s in h5["sex"][()]].index("total")
                quantile = list(h5["quantile"][()]).index(0.5)
                scenarios = [text(s) for s in h5["scenario"][()]]
                expected = {
                    "population/total": h5["population/total/quantiles"][:, quantile, year, sex],
                    "demand/home_care": h5["demand/home_care/quantiles"][:, quantile, year, sex, :],
                }
            for group, want in expected.items():
                with self.subTest(file=which, group=group):
                    result = run_in(T.REPO_ROOT, ["/usr/bin/python3", "-c", self.SELECT, path, group])
                    self.assertEqual(result.returncode, 0, result.stderr)
                    got = json.loads(result.stdout)
                    self.assertEqual(got["dims"], ["scenario"] + (["age_band"] if group.startswith("demand") else []))
                    self.assertEqual(got["scenarios"], scenarios)
                    np.testing.assert_array_equal(np.array(got["values"]), want)

    EVERY_GROUP = """
import sys
import h5py
import xarray as xr
path = sys.argv[1]
groups = [""]
with h5py.File(path, "r") as f:
    f.visititems(lambda name, obj: groups.append(name) if isinstance(obj, h5py.Group) else None)
for group in groups:
    with xr.open_dataset(path, engine="h5netcdf", group=group or None) as ds:
        ds.load()
print(len(groups))
"""

    def test_every_group_opens(self):
        for which, path in FILES.items():
            with self.subTest(file=which):
                result = run_in(T.REPO_ROOT, ["/usr/bin/python3", "-c", self.EVERY_GROUP, path])
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertGreater(int(result.stdout), 20)

    def test_readme_xarray_snippet_runs(self):
        blocks = [b for b in readme_blocks("python") if "xarray" in b]
        self.assertEqual(len(blocks), 1, "the README shows one xarray snippet")
        with with_results_folder(FILES["one"]) as tmp:
            result = run_in(tmp, ["/usr/bin/python3", "-c", blocks[0]])
            self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(FILES["one"], "r") as h5:
            want = h5["demand/home_care/quantiles"][0, 2, list(h5["year"][()]).index(2040), 2, 4]
        self.assertEqual(float(result.stdout.splitlines()[0]), want, "first line: the median, total, 2040")


@T.require_binary
@unittest.skipUnless(have_python_module("netCDF4"), "netCDF4-python not installed (Debian python3-netcdf4)")
class NetCDF4PythonTest(unittest.TestCase):
    CODE = """
import sys, netCDF4
with netCDF4.Dataset(sys.argv[1]) as nc:
    total = nc["population/total"]
    v = total.variables["quantiles"]
    print(",".join(v.dimensions), v.shape, v.getncattr("long_name"))
    print(len(nc.dimensions["scenario"]), list(nc["year"][:])[:2])
    print(nc["demand/home_care"].variables["replications"].dimensions)
"""

    EVERY_VARIABLE = """
import sys, netCDF4
count = 0
def walk(group):
    global count
    for variable in group.variables.values():
        variable.set_auto_mask(False)
        variable[...]
        count += 1
    for child in group.groups.values():
        walk(child)
with netCDF4.Dataset(sys.argv[1]) as nc:
    walk(nc)
print(count)
"""

    def test_reads_every_variable(self):
        for which, path in FILES.items():
            with self.subTest(file=which):
                result = run_in(T.REPO_ROOT, ["/usr/bin/python3", "-c", self.EVERY_VARIABLE, path])
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertGreater(int(result.stdout), 80)

    def test_opens_file_and_group(self):
        for which, path in FILES.items():
            with self.subTest(file=which):
                result = run_in(T.REPO_ROOT, ["/usr/bin/python3", "-c", self.CODE, path])
                self.assertEqual(result.returncode, 0, result.stderr)
                lines = result.stdout.splitlines()
                self.assertTrue(lines[0].startswith("scenario,quantile,year,sex"), lines[0])
                self.assertIn("quantiles over replications", lines[0])
                self.assertEqual(lines[1], "%d [2025, 2026]" % (1 if which == "one" else 2))
                self.assertIn("'scenario', 'replication', 'year', 'sex', 'age_band'", lines[2])


@T.require_binary
@unittest.skipUnless(have_r_package("ncdf4"), "R ncdf4 not installed (Debian r-cran-ncdf4)")
class RNcdf4Test(unittest.TestCase):
    CODE = """
library(ncdf4)
nc <- nc_open(commandArgs(trailingOnly = TRUE)[1])
v <- nc$var[["population/total/quantiles"]]
cat(sapply(v$dim, function(d) d$name), "\\n")
x <- ncvar_get(nc, "population/total/quantiles", collapse_degen = FALSE)
cat(dim(x), "\\n")
cat(v$dim[[2]]$vals[1], "\\n")
nc_close(nc)
"""

    def test_ncdf4_opens(self):
        for which, path in FILES.items():
            with self.subTest(file=which):
                result = run_in(T.REPO_ROOT, ["Rscript", "-e", self.CODE, path])
                self.assertEqual(result.returncode, 0, result.stderr)
                lines = [line.strip() for line in result.stdout.splitlines()]
                self.assertEqual(lines[0], "sex year quantile scenario")  # R's order: HDF5's reversed
                self.assertEqual(lines[1], "3 26 5 %d" % (1 if which == "one" else 2))
                self.assertEqual(lines[2], "2025")


@T.require_binary
@unittest.skipUnless(have_r_package("rhdf5"), "R rhdf5 not installed (Debian r-bioc-rhdf5)")
class RRhdf5ReadmeTest(unittest.TestCase):
    def test_readme_r_snippet_restores_axis_names(self):
        blocks = readme_blocks("r")
        self.assertEqual(len(blocks), 1, "the README shows one R snippet")
        check = blocks[0] + """
stopifnot(identical(names(dimnames(q)), c("sex", "year", "quantile", "scenario")))
stopifnot(identical(dimnames(q)$sex, c("male", "female", "total")))
cat(sprintf("%.17g", q["total", "2040", "0.5", "kashiwa"]), "\\n")
"""
        for which, path in FILES.items():
            with self.subTest(file=which), with_results_folder(path) as tmp:
                result = run_in(tmp, ["Rscript", "-e", check])
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                with h5py.File(path, "r") as h5:
                    want = h5["population/total/quantiles"][0, 2, list(h5["year"][()]).index(2040), 2]
                self.assertEqual(float(result.stdout.split()[-1]), want)


if __name__ == "__main__":
    unittest.main()
