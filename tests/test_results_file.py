"""The results file, read back with a real client (h5py): the layout of the README's "The results
file", attributes, dimension scales, provenance, and the consistency of the statistics it stores.

Runs `carecast run scenarios/kashiwa.ini -n 20 --set coverage.replications=2 -o TMP/k.h5` (once per
test, in the test's own temporary folder: a run takes a fraction of a second; the coverage stage,
the costly one, simulates only 2 replications here: tests/test_coverage_run.py covers /coverage).
"""
import datetime
import hashlib
import os
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402

REPLICATIONS = 20
COVERAGE_REPLICATIONS = 2
YEARS = list(range(2025, 2051))
SEXES = ["male", "female", "total"]
QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95]
AGE_BANDS = ["0-64", "65-74", "75-84", "85+", "total"]
STOCKS = ["total", "age65plus", "age75plus", "age85plus"]
FLOWS = ["births", "deaths", "net_migration"]
LIFE_EXPECTANCY = ["life_expectancy_0", "life_expectancy_65"]
SERIES = STOCKS + FLOWS + LIFE_EXPECTANCY
BAND_FROM = {"total": 0, "age65plus": 65, "age75plus": 75, "age85plus": 85}

# The resident register of 2025-01-01 (scenarios/data/SOURCES.md): total and 75+.
REGISTER_TOTAL_2025 = 437634
REGISTER_75PLUS_2025 = 66912


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def strings(dataset):
    return [text(v) for v in dataset[()]]


@T.require_binary
class ResultsFileTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.scenario = T.scenario_path("kashiwa.ini")
        self.path = os.path.join(self.tmp.name, "k.h5")
        with open(self.scenario, encoding="utf-8") as f:
            self.scenario_text = f.read()  # as carecast is about to read it
        result = T.run(["run", self.scenario, "-n", str(REPLICATIONS), "--set",
                        "coverage.replications=%d" % COVERAGE_REPLICATIONS, "-o", self.path])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(T.temp_leftovers(self.tmp.name), [])
        self.h5 = h5py.File(self.path, "r")
        self.addCleanup(self.h5.close)

    # -- layout ----------------------------------------------------------------------------------

    def test_axes(self):
        axes = self.h5["axes"]
        for name in ("scenario", "replication", "quantile", "year", "sex", "age", "age_band"):
            self.assertIn(name, axes, "/axes/%s" % name)
        self.assertEqual(strings(axes["scenario"]), ["kashiwa"])
        np.testing.assert_array_equal(axes["replication"][()], np.arange(REPLICATIONS))
        np.testing.assert_array_equal(axes["year"][()], YEARS)
        self.assertEqual(strings(axes["sex"]), SEXES)
        np.testing.assert_array_equal(axes["quantile"][()], QUANTILES)
        np.testing.assert_array_equal(axes["age"][()], np.arange(101))
        self.assertEqual(strings(axes["age_band"]), AGE_BANDS)
        for name, dset in axes.items():
            self.assertEqual(text(dset.attrs.get("CLASS", b"")), "DIMENSION_SCALE", "/axes/%s is a scale" % name)

    def test_series_shapes(self):
        population = self.h5["population"]
        for name in SERIES:
            with self.subTest(series=name):
                group = population[name]
                self.assertEqual(group["replications"].shape, (1, REPLICATIONS, len(YEARS), 3))
                self.assertEqual(group["quantiles"].shape, (1, len(QUANTILES), len(YEARS), 3))
                self.assertEqual(group["mean"].shape, (1, len(YEARS), 3))
                for dset in group.values():
                    self.assertEqual(dset.dtype, np.float64)
        self.assertEqual(population["by_age/mean"].shape, (1, len(YEARS), 3, 101))
        self.assertEqual(population["by_age/sd"].shape, (1, len(YEARS), 3, 101))

    def test_every_dataset_has_units_and_description(self):
        missing = []

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                for attr in ("units", "description"):
                    value = obj.attrs.get(attr)
                    if value is None or not text(value).strip():
                        missing.append("%s@%s" % (name, attr))
        self.h5.visititems(visit)
        self.assertEqual(missing, [])

    def test_datasets_are_chunked_and_compressed(self):
        """Datasets of 16 KiB or more are chunked and compressed; smaller ones are contiguous (a chunk
        index would cost more than compression saves); the per-replication datasets written as
        blocks complete are chunked one block of one scenario per chunk, uncompressed (README,
        "Memory")."""
        seen = {"chunked": 0, "contiguous": 0, "streamed": 0}
        streamed = ("population/", "demand/")

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and name.split("/")[0] in ("population", "demand", "coverage"):
                if name.startswith(streamed) and (name.endswith("/replications") or "/parameters/" in name):
                    self.assertEqual(obj.chunks[:2], (1, min(64, obj.shape[1])), name)
                    self.assertIsNone(obj.compression, name)
                    seen["streamed"] += 1
                elif obj.size * 8 >= 16384:
                    self.assertIsNotNone(obj.chunks, name)
                    self.assertIsNotNone(obj.compression, name)
                    seen["chunked"] += 1
                else:
                    self.assertIsNone(obj.chunks, name)
                    seen["contiguous"] += 1
        self.h5.visititems(visit)
        self.assertGreater(seen["chunked"], 1)
        self.assertGreater(seen["contiguous"], 10)
        self.assertEqual(seen["streamed"], 9 + 6 * 2 + 1 + 4)

    def test_dimension_scales(self):
        expected = {
            "replications": ["scenario", "replication", "year", "sex"],
            "quantiles": ["scenario", "quantile", "year", "sex"],
            "mean": ["scenario", "year", "sex"],
        }
        for name in SERIES:
            for kind, axes in expected.items():
                with self.subTest(dataset="%s/%s" % (name, kind)):
                    self.check_scales(self.h5["population"][name][kind], axes)
        for kind in ("mean", "sd"):
            with self.subTest(dataset="by_age/" + kind):
                self.check_scales(self.h5["population/by_age"][kind], ["scenario", "year", "sex", "age"])

    def check_scales(self, dset, axes):
        self.assertEqual(len(dset.dims), len(axes))
        for i, axis in enumerate(axes):
            self.assertEqual(len(dset.dims[i]), 1, "one scale on dimension %d of %s" % (i, dset.name))
            scale = dset.dims[i][0]
            self.assertEqual(scale.id, self.h5[axis].id, "the root group's /%s" % axis)
            self.assertEqual(scale.id, self.h5["axes"][axis].id, "/axes/%s: the same dataset" % axis)
            self.assertEqual(dset.dims[i].label, axis)
            self.assertEqual(dset.dims[i][0].shape[0], dset.shape[i])

    # -- provenance ------------------------------------------------------------------------------

    def test_provenance_run_facts(self):
        prov = self.h5["provenance"]
        for attr in ("engine_version", "created", "threads", "host", "seed", "replications"):
            self.assertIn(attr, prov.attrs, "/provenance@%s" % attr)
        self.assertEqual(text(prov.attrs["engine_version"]), T.version())
        created = text(prov.attrs["created"])
        stamp = datetime.datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ")
        age = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - stamp
        self.assertLess(abs(age.total_seconds()), 3600, "created is the time of the run (UTC): %s" % created)
        self.assertGreaterEqual(int(prov.attrs["threads"]), 1)
        self.assertTrue(text(prov.attrs["host"]).strip())
        ini = T.parse_ini(self.scenario_text)
        self.assertEqual(int(prov.attrs["seed"]), int(ini["simulation"]["seed"]))
        self.assertEqual(int(prov.attrs["replications"]), REPLICATIONS)

    def scenario_provenance(self):
        prov = self.h5["provenance"]
        # per scenario: a group named after it (under /provenance/scenarios/)
        group = prov["scenarios"]["kashiwa"] if "scenarios" in prov else prov["kashiwa"]
        return group

    def test_provenance_scenario_file_text(self):
        group = self.scenario_provenance()
        paths, texts = strings(group["file_paths"]), strings(group["file_texts"])
        self.assertEqual(len(paths), len(texts))
        self.assertEqual(os.path.realpath(paths[0]), os.path.realpath(self.scenario))
        self.assertEqual(texts[0], self.scenario_text, "the text of the scenario file")
        for path, body in zip(paths[1:], texts[1:]):
            with open(path, encoding="utf-8") as f:
                self.assertEqual(body, f.read(), "the text of %s" % path)

    def test_provenance_effective_configuration(self):
        lines = strings(self.scenario_provenance()["effective_config"])
        ini = T.parse_ini(self.scenario_text)
        for section, name in T.registry_keys():
            prefix = "[%s] %s = " % (section, name)
            matching = [line for line in lines if line.startswith(prefix)]
            self.assertEqual(len(matching), 1, "effective configuration holds %s exactly once" % prefix)
            value = matching[0][len(prefix):].split(" ; ", 1)[0]
            if section == "simulation" and name == "replications":
                self.assertEqual(value, str(REPLICATIONS))
                self.assertIn("command line", matching[0])
            elif section == "coverage" and name == "replications":
                self.assertEqual(value, str(COVERAGE_REPLICATIONS))
                self.assertIn("command line", matching[0])
            elif name in ini.get(section, {}):
                self.assertEqual(value, ini[section][name], prefix)
        self.assertEqual(len(lines), len(T.registry_keys()), "one line per registry key")

    def test_provenance_table_checksums(self):
        group = self.scenario_provenance()
        paths, sums = strings(group["table_paths"]), strings(group["table_sha256"])
        self.assertEqual(len(paths), len(sums))
        self.assertGreaterEqual(len(paths), 3)
        for path, digest in zip(paths, sums):
            with open(path, "rb") as f:
                self.assertEqual(digest, hashlib.sha256(f.read()).hexdigest(), path)
        # every table the scenario names is listed
        ini = T.parse_ini(self.scenario_text)
        folder = os.path.dirname(self.scenario)
        listed = {os.path.realpath(p) for p in paths}
        for section, name, kind in T.registry(with_types=True):
            if kind == "PATH" and name != "base" and ini.get(section, {}).get(name):
                table = os.path.realpath(os.path.join(folder, ini[section][name]))
                self.assertIn(table, listed, "[%s] %s = %s has a checksum" % (section, name, ini[section][name]))

    # -- values ----------------------------------------------------------------------------------

    def register_groups(self):
        ini = T.parse_ini(self.scenario_text)
        path = os.path.join(os.path.dirname(self.scenario), ini["population"]["base_population"])
        return T.read_csv_rows(path)

    def scenario_dates(self):
        """([simulation] base_date, reference_date) as the scenario gives them."""
        ini = T.parse_ini(self.scenario_text)["simulation"]
        return ini["base_date"], ini.get("reference_date", "10-01")

    def test_base_population_equals_the_register(self):
        rows = self.register_groups()
        base = self.h5["population/base"]
        self.assertEqual(base.shape, (1, 3, 101))
        self.check_scales(base, ["scenario", "sex", "age"])
        base_date, reference_date = self.scenario_dates()
        self.assertEqual(text(base.attrs["date"]), base_date, "/population/base@date: the base date")
        self.assertEqual(text(self.h5["year"].attrs["reference_date"]), reference_date, "/year@reference_date")
        fitted = self.h5["population/fitted/kashiwa"]
        self.assertEqual(text(fitted.attrs["base_date"]), base_date)
        base = base[0]
        self.assertEqual(base[2].sum(), REGISTER_TOTAL_2025)
        self.assertEqual(base[2, 75:].sum(), REGISTER_75PLUS_2025)
        np.testing.assert_array_equal(base[2], base[0] + base[1])
        for name in STOCKS:
            for s, sex in enumerate(SEXES):
                want = sum(float(r["population"]) for r in rows
                           if (sex == "total" or r["sex"] == sex) and int(r["age_lo"]) >= BAND_FROM[name])
                with self.subTest(series=name, sex=sex):
                    self.assertEqual(base[s, BAND_FROM[name]:].sum(), want)

    def test_first_point_follows_the_base_date(self):
        """Year points are on the reference date; the first (2025-10-01) is reached from the base
        date (2025-01-01) by a step of 273/365 years, so year index 0 is not the base population."""
        fitted = self.h5["population/fitted/kashiwa"]
        self.assertAlmostEqual(fitted.attrs["first_step_years"], 273 / 365, delta=1e-12)
        births = self.h5["population/births/replications"][0, :, 0, 2]
        self.assertTrue(np.all(births > 0), "births during the first step")
        # about three quarters of a year's births (the next step is a whole year)
        ratio = births.mean() / self.h5["population/births/replications"][0, :, 1, 2].mean()
        self.assertAlmostEqual(ratio, 273 / 365, delta=0.05)

    def test_base_age_split_keeps_group_totals(self):
        by_age = self.h5["population/base"][0]
        for r in self.register_groups():
            s = SEXES.index(r["sex"])
            lo = int(r["age_lo"])
            hi = int(r["age_hi"]) if r["age_hi"].strip() else 100
            group = by_age[s, lo:min(hi, 100) + 1]
            self.assertEqual(group.sum(), float(r["population"]), "%s %s-%s" % (r["sex"], lo, r["age_hi"]))
            self.assertTrue(np.all(group >= 0))
            np.testing.assert_array_equal(group, np.round(group), "whole persons")

    def test_quantiles_agree_with_numpy(self):
        for name in SERIES:
            with self.subTest(series=name):
                reps = self.h5["population"][name]["replications"][()]
                stored = self.h5["population"][name]["quantiles"][()]
                want = np.moveaxis(np.quantile(reps, QUANTILES, axis=1, method="linear"), 0, 1)
                np.testing.assert_allclose(stored, want, rtol=1e-12, atol=1e-9)

    def test_mean_matches_the_replications(self):
        for name in SERIES:
            with self.subTest(series=name):
                reps = self.h5["population"][name]["replications"][()]
                np.testing.assert_allclose(self.h5["population"][name]["mean"][()], reps.mean(axis=1),
                                           rtol=1e-12, atol=1e-9)

    def test_total_is_male_plus_female(self):
        for name in STOCKS + FLOWS:
            with self.subTest(series=name):
                reps = self.h5["population"][name]["replications"][()]
                np.testing.assert_array_equal(reps[..., 2], reps[..., 0] + reps[..., 1])
        by_age = self.h5["population/by_age/mean"][()]
        np.testing.assert_allclose(by_age[:, :, 2], by_age[:, :, 0] + by_age[:, :, 1], rtol=1e-12, atol=1e-9)
        for name in LIFE_EXPECTANCY:  # not a sum: the total lies between the sexes
            with self.subTest(series=name):
                reps = self.h5["population"][name]["replications"][()]
                low, high = np.minimum(reps[..., 0], reps[..., 1]), np.maximum(reps[..., 0], reps[..., 1])
                self.assertTrue(np.all((reps[..., 2] >= low - 1e-9) & (reps[..., 2] <= high + 1e-9)))

    def test_stocks_are_whole_persons_and_ordered(self):
        reps = {name: self.h5["population"][name]["replications"][()] for name in STOCKS}
        for name in STOCKS:
            np.testing.assert_array_equal(reps[name], np.round(reps[name]), name)
        self.assertTrue(np.all(reps["total"] >= reps["age65plus"]))
        self.assertTrue(np.all(reps["age65plus"] >= reps["age75plus"]))
        self.assertTrue(np.all(reps["age75plus"] >= reps["age85plus"]))
        self.assertTrue(np.all(reps["age85plus"] >= 0))

    def test_by_age_agrees_with_the_headline_series(self):
        by_age = self.h5["population/by_age/mean"][0]
        for name in STOCKS:
            with self.subTest(series=name):
                np.testing.assert_allclose(by_age[:, :, BAND_FROM[name]:].sum(axis=2),
                                           self.h5["population"][name]["mean"][0], rtol=1e-12, atol=1e-6)
        sd = self.h5["population/by_age/sd"][0]
        self.assertTrue(np.all(sd >= 0))
        self.assertTrue(np.any(sd[0] > 0), "replications differ from the first point (a part-year step after "
                        "the base date)")
        self.assertTrue(np.all(np.any(sd > 0, axis=(1, 2))), "and at every later point")

    def test_population_balance(self):
        """P(y) = P(y-1) + births(y) - deaths(y) + net migration(y), in every replication: the
        flows at index y are those of the step that ends on point y; P(-1) is the base
        population (/population/base)."""
        pop = {name: self.h5["population"][name]["replications"][()] for name in ["total"] + FLOWS}
        change = pop["births"] - pop["deaths"] + pop["net_migration"]
        base = self.h5["population/base"][()].sum(axis=2)                  # [scenario, sex]
        before = np.concatenate((np.broadcast_to(base[:, None, None, :], pop["total"][:, :, :1].shape),
                                 pop["total"][:, :, :-1]), axis=2)
        np.testing.assert_allclose(pop["total"], before + change, rtol=0, atol=1e-6)

    def test_first_step_conserves_persons(self):
        """Expected values (no rounding to whole persons): the base population plus the first
        step's births, less its deaths, plus its net migration is the first point's, to 1e-6."""
        run = T.cached_results(T.without_coverage("kashiwa.ini"), "-n", "1", "-q",
                               "--set", "simulation.expected_values=true")
        run.check(self)
        h5 = run.open()
        self.assertGreater(h5["population/fitted/kashiwa"].attrs["first_step_years"], 0)
        base = h5["population/base"][0].sum(axis=1)                         # [sex]
        flows = {name: h5["population"][name]["mean"][0, 0] for name in FLOWS}
        first = h5["population/total/mean"][0, 0]
        self.assertGreater(flows["births"][2], 0)
        self.assertGreater(flows["deaths"][2], 0)
        self.assertNotEqual(flows["net_migration"][2], 0)
        for s, sex in enumerate(SEXES):
            with self.subTest(sex=sex):
                self.assertAlmostEqual(base[s] + flows["births"][s] - flows["deaths"][s] + flows["net_migration"][s],
                                       first[s], delta=1e-6 * first[s])
        # and so does every later step
        totals = h5["population/total/mean"][0]
        change = sum(sign * h5["population"][name]["mean"][0] for sign, name in zip((1, -1, 1), FLOWS))
        np.testing.assert_allclose(totals[1:], totals[:-1] + change[1:], rtol=1e-6)


if __name__ == "__main__":
    unittest.main()
