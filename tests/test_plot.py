"""`carecast plot`: every chart kind is drawn from small results files and is a valid image of
the format asked for (PNG: signature and IHDR size; SVG: XML with an <svg> root; PDF: %PDF ...
%%EOF); English and Japanese labels; a file lacking a stage is drawn for what it has and the
skipped charts are named; a hostile scenario name (backquotes, system(), quotes, a newline,
<script>, an @ macro) is drawn as text and runs nothing; a missing or failing gnuplot is a clear
error with an exit code, not a signal.

The results files are made once for the module with few replications (run: -n 4, 2 coverage
replications, to 2032; capacity: 2 replications of one year and two schemes; sensitivity: 2
replications of two parameters), so the whole module takes well under a minute."""
import os
import re
import shutil
import stat
import struct
import tempfile
import unittest
import xml.etree.ElementTree as ET

import carecast_testlib as lib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The charts of a run file with coverage and two scenarios, by kind.
RUN_KINDS = ["population_pyramid", "population_fan", "beds_fan", "outpatient_fan", "home_care_fan",
             "duty_nights", "ooh_hours", "escalations_continuity", "scheme_differences",
             "scenario_comparison"]
# within the 64 bytes of a name the footnote shows
HOSTILE_NAME = "<script>&`touch pwned1`system(\"touch pwned2\")'q''\"d\"@m\\x"


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == PNG_SIGNATURE, "%s is not a PNG" % path
    assert head[12:16] == b"IHDR", "%s has no IHDR first" % path
    return struct.unpack(">II", head[16:24])


def parse_listing(stdout):
    """The lines `FILE<TAB>TITLE` of carecast plot, as {file name: title}."""
    out = {}
    for line in stdout.splitlines():
        path, _, title = line.partition("\t")
        out[os.path.basename(path)] = title
    return out


@lib.require_binary
class PlotTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="carecast-plot-")
        cls.files = {}
        small = ["-n", "4", "--set", "coverage.replications=2", "--set", "simulation.end_year=2032", "-q",
                 "--no-table"]
        jobs = {
            "run": ["run", lib.scenario_path("kashiwa.ini"), lib.scenario_path("kashiwa-shift.ini"),
                    "--set", "demand.bed_capacity=3600"] + small,
            "nocov": ["run", lib.without_coverage("kashiwa.ini")] + small,
            "capacity": ["capacity", lib.scenario_path("kashiwa.ini"), "-n", "2", "--years", "2025",
                         "--schemes", "pairing,rotation", "--no-max-patients", "-q"],
            "sensitivity": ["sensitivity", lib.scenario_path("kashiwa.ini"), "-n", "2", "--capacity-replications",
                            "0", "--params", "demand.occupancy,demand.trend_sd", "--outputs", "beds_needed,age75plus",
                            "--set", "coverage.replications=1", "-q"],
        }
        hostile_ini = os.path.join(cls.dir, "hostile.ini")
        with open(hostile_ini, "w") as f:
            f.write("[scenario]\nbase = %s\nname = %s\n" % (lib.scenario_path("kashiwa.ini"), HOSTILE_NAME))
        jobs["hostile"] = ["run", hostile_ini] + small
        for name, args in jobs.items():
            path = os.path.join(cls.dir, name + ".h5")
            r = lib.run(args + ["-o", path], timeout=600)
            assert r.returncode == 0, "%s: %s" % (" ".join(args), r.stderr)
            cls.files[name] = path

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def plot(self, name, *args, cwd=None, env=None):
        out = tempfile.mkdtemp(prefix="charts-", dir=self.dir)
        r = lib.run(["plot", self.files.get(name, name), "-o", out] + list(args), cwd=cwd, env=env)
        return r, out

    def check_png_listing(self, r, out, kinds, height_of=None):
        self.assertEqual(r.returncode, 0, r.stderr)
        listing = parse_listing(r.stdout)
        for kind in kinds:
            self.assertIn(kind + ".png", listing, r.stdout)
            w, h = png_size(os.path.join(out, kind + ".png"))
            self.assertEqual(w, 1280)
            self.assertIn(h, (800, 1000))
            self.assertTrue(listing[kind + ".png"].strip(), "chart %s has no title" % kind)
        self.assertEqual(sorted(os.listdir(out)), sorted(listing), "files written = files listed")
        return listing

    def test_every_run_chart_is_a_png(self):
        r, out = self.plot("run")
        listing = self.check_png_listing(r, out, RUN_KINDS)
        self.assertEqual(len(listing), len(RUN_KINDS))
        self.assertIn("Hospital beds needed against a capacity of 3600 beds", listing["beds_fan.png"])
        # a run file has no capacity or sensitivity results: both named as skipped
        self.assertIn("no /capacity in this file", r.stderr)
        self.assertIn("no /sensitivity in this file", r.stderr)

    def test_svg_parses_as_xml_with_svg_root(self):
        r, out = self.plot("run", "--format", "svg")
        self.assertEqual(r.returncode, 0, r.stderr)
        files = sorted(os.listdir(out))
        self.assertEqual(files, sorted(k + ".svg" for k in RUN_KINDS))
        for name in files:
            root = ET.parse(os.path.join(out, name)).getroot()
            self.assertEqual(root.tag, "{http://www.w3.org/2000/svg}svg", name)

    def test_pdf_has_header_and_trailer(self):
        r, out = self.plot("run", "--format", "pdf")
        self.assertEqual(r.returncode, 0, r.stderr)
        files = sorted(os.listdir(out))
        self.assertEqual(files, sorted(k + ".pdf" for k in RUN_KINDS))
        for name in files:
            with open(os.path.join(out, name), "rb") as f:
                data = f.read()
            self.assertTrue(data.startswith(b"%PDF-"), name)
            self.assertTrue(data.rstrip().endswith(b"%%EOF"), name)

    def test_capacity_file_gives_doctors_needed(self):
        r, out = self.plot("capacity")
        self.check_png_listing(r, out, ["doctors_needed"])
        for stage in ("/population", "/demand", "/coverage", "/sensitivity"):
            self.assertIn("no %s in this file" % stage, r.stderr)

    def test_sensitivity_file_gives_one_tornado_per_output(self):
        r, out = self.plot("sensitivity")
        listing = self.check_png_listing(r, out, ["tornado_beds_needed_2040"])
        self.assertEqual(len(listing), 1)
        # neither parameter moves the 75+ population: no empty chart, a reason instead
        self.assertIn("output age75plus_2040: no parameter moves it: its tornado chart skipped", r.stderr)
        self.assertIn("no /capacity in this file", r.stderr)

    def test_file_without_coverage_draws_the_rest_and_names_what_it_skipped(self):
        r, out = self.plot("nocov")
        listing = self.check_png_listing(r, out, RUN_KINDS[:5])
        self.assertEqual(len(listing), 5)
        self.assertRegex(r.stderr, r"skipped: no /coverage in this file: per-scheme charts .* skipped")
        self.assertIn("one scenario in this file: scenario comparison skipped", r.stderr)

    def test_japanese_labels(self):
        r, out = self.plot("run", "--lang", "ja", "--format", "svg")
        self.assertEqual(r.returncode, 0, r.stderr)
        listing = parse_listing(r.stdout)
        self.assertIn("人口ピラミッド", listing["population_pyramid.svg"])
        self.assertIn("必要病床数", listing["beds_fan.svg"])
        with open(os.path.join(out, "duty_nights.svg"), encoding="utf-8") as f:
            svg = f.read()
        for text in ("当直回数（医師1人・1か月あたり）", "主治医・副主治医制", "輪番制", "Noto Sans CJK JP"):
            self.assertIn(text, svg)
        r, out = self.plot("run", "--lang", "ja")
        self.check_png_listing(r, out, RUN_KINDS)

    def no_pwned_files(self, *folders):
        for folder in folders:
            found = [n for n in os.listdir(folder) if n.startswith("pwned")]
            self.assertEqual(found, [], "a command in a scenario name ran in %s" % folder)

    def test_hostile_scenario_name_runs_nothing(self):
        cwd = tempfile.mkdtemp(prefix="cwd-", dir=self.dir)
        for fmt in ("png", "svg"):
            r, out = self.plot("hostile", "--format", fmt, cwd=cwd)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(len(parse_listing(r.stdout)), 9)  # every chart of a one-scenario run
            self.no_pwned_files(cwd, out, "/tmp")
        # the name is in the footnote as text (quotes as U+2019, the rest as it is) and the SVG
        # is still well-formed XML (gnuplot escapes < and &)
        for name in os.listdir(out):
            ET.parse(os.path.join(out, name))
        with open(os.path.join(out, "beds_fan.svg"), encoding="utf-8") as f:
            svg = f.read()
        text = "&lt;script>&amp;`touch pwned1`system(\"touch pwned2\")\u2019q\u2019\u2019\"d\"@m\\x"
        self.assertTrue(text in svg, "the name is not in the footnote as text")

    def test_newline_in_a_crafted_name_runs_nothing(self):
        """A scenario name cannot hold a newline (the loader refuses it), but a crafted file can:
        the name is rewritten in a copy with h5py."""
        import h5py
        crafted = os.path.join(self.dir, "crafted.h5")
        shutil.copy(self.files["hostile"], crafted)
        with h5py.File(crafted, "r+") as f:
            f["scenario"][0] = "x\nsystem('touch pwned3')\n`touch pwned4`\nprint 'y"
        cwd = tempfile.mkdtemp(prefix="cwd-", dir=self.dir)
        r, out = self.plot(crafted, "--format", "svg", cwd=cwd)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.no_pwned_files(cwd, out, "/tmp")
        with open(os.path.join(out, "population_fan.svg"), encoding="utf-8") as f:
            svg = f.read()
        self.assertTrue("x system(\u2019touch pwned3\u2019) `touch pwned4` print \u2019y" in svg,
                        "the name is not in the footnote on one line")

    def test_missing_gnuplot_is_a_clear_error(self):
        empty = tempfile.mkdtemp(prefix="path-", dir=self.dir)
        r, out = self.plot("nocov", env={"PATH": empty})
        self.assertEqual(r.returncode, lib.EXIT_RUN_FAILED, r.stderr)  # an exit code, not a signal
        self.assertIn("gnuplot not found", r.stderr)
        self.assertEqual(os.listdir(out), [])

    def test_gnuplot_error_is_reported_with_its_message(self):
        fake = os.path.join(self.dir, "fake-gnuplot")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\necho 'line 7: something gnuplot did not like' >&2\nexit 1\n")
        os.chmod(fake, stat.S_IRWXU)
        r, out = self.plot("nocov", env={"CARECAST_GNUPLOT": fake})
        self.assertEqual(r.returncode, lib.EXIT_RUN_FAILED, r.stderr)
        self.assertIn("gnuplot failed (exit status 1): line 7: something gnuplot did not like", r.stderr)
        self.assertEqual(os.listdir(out), [])  # no half-written chart

    def test_usage_and_input_errors(self):
        r, _ = self.plot("nocov", "--format", "gif")
        self.assertEqual(r.returncode, lib.EXIT_USAGE)
        self.assertIn("--format takes png, svg or pdf", r.stderr)
        r, _ = self.plot("nocov", "--lang", "fr")
        self.assertEqual(r.returncode, lib.EXIT_USAGE)
        r, _ = self.plot(os.path.join(self.dir, "no-such-file.h5"))
        self.assertEqual(r.returncode, lib.EXIT_INPUT, r.stderr)
        r = lib.run(["plot"])
        self.assertEqual(r.returncode, lib.EXIT_USAGE)


if __name__ == "__main__":
    unittest.main()
