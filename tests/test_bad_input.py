"""The bad-input catalogue of `carecast run` (and the basic CLI contract).

Every case starts from a small valid scenario (tests/carecast_testlib.py: hand-written tables,
so every line number is known), breaks one thing, runs
    carecast run SCENARIO -o TMP/out.h5 -n 2
and checks: exit code 3 (invalid input), exactly one line on stderr naming the file, the line
and the field, nothing on stdout, no results file, no temporary file left in the folder; and,
in a second variant, that an existing out.h5 is left byte-for-byte untouched (the contract:
T.InputErrorCase.expect_input_error). The broken tables are one catalogue, bad_tables(): each
row a whole CSV text with the exit code, line and field its error must name.
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402


@T.require_binary
class BadInputTest(T.InputErrorCase, unittest.TestCase):
    """The mini scenario (files() of T.InputErrorCase), broken one way per test."""
    maxDiff = None

    # -- a control: the unbroken scenario runs --------------------------------------------------

    def test_mini_scenario_is_valid(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.build(tmp)
            out = os.path.join(tmp, "out.h5")
            result = T.run(["run", os.path.join(tmp, "scenario.ini"), "-o", out, "-n", "2"])
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertTrue(os.path.isfile(out))
            self.assertEqual(T.temp_leftovers(tmp), [])

    def test_crlf_and_byte_order_mark_are_valid_input(self):
        """CRLF line ends and a UTF-8 BOM are valid input, in tables and INI."""
        with tempfile.TemporaryDirectory() as tmp:
            plain, dos = os.path.join(tmp, "plain"), os.path.join(tmp, "dos")
            os.mkdir(plain)
            os.mkdir(dos)
            T.write_files(plain, T.mini_files())
            for name, text in T.mini_files().items():
                with open(os.path.join(dos, name), "wb") as f:
                    f.write(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
            for folder in (plain, dos):
                result = T.run(["run", os.path.join(folder, "scenario.ini"), "-o", os.path.join(folder, "out.h5"),
                                "-n", "2"])
                self.assertEqual(result.returncode, 0, result.stderr)
            with h5py.File(os.path.join(plain, "out.h5"), "r") as a, h5py.File(os.path.join(dos, "out.h5"), "r") as b:
                for name in ("population/by_age/mean", "population/total/replications", "population/births/replications"):
                    self.assertTrue((a[name][()] == b[name][()]).all(), "same results from CRLF/BOM input: " + name)

    # -- files -----------------------------------------------------------------------------------

    def test_missing_scenario_file(self):
        self.expect_input_error(drop=["scenario.ini"], file="scenario.ini",
                                contains=["No such file"])

    def test_unreadable_scenario_file(self):
        def lock(tmp, files):
            os.chmod(os.path.join(tmp, "scenario.ini"), 0)
        self.expect_input_error(prepare=lock, as_nobody=True, file="scenario.ini",
                                contains=["Permission denied"])

    def test_missing_table_file(self):
        ini = T.mini_files()["scenario.ini"]
        self.expect_input_error(drop=["mortality.csv"], file="scenario.ini", line=T.line_of(ini, "mortality ="),
                                field="mortality",
                                contains=[lambda tmp: os.path.join(tmp, "mortality.csv"), "No such file"])

    def test_unreadable_table_file(self):
        ini = T.mini_files()["scenario.ini"]

        def lock(tmp, files):
            os.chmod(os.path.join(tmp, "fertility.csv"), 0)
        self.expect_input_error(prepare=lock, as_nobody=True, file="scenario.ini",
                                line=T.line_of(ini, "fertility ="), field="fertility",
                                contains=[lambda tmp: os.path.join(tmp, "fertility.csv"), "Permission denied"])

    def test_output_folder_missing(self):
        # (no variant with an existing results file: its folder does not exist)
        message = self.expect_input_error(output=lambda tmp: os.path.join(tmp, "nope", "out.h5"),
                                          file="nope/out.h5", existing_variant=False, exit_code=None)
        self.assertRegex(message, r"folder '[^']*/nope'")

    def test_output_folder_not_writable(self):
        def folder(tmp):
            os.mkdir(os.path.join(tmp, "ro"))
            return os.path.join(tmp, "ro", "out.h5")

        def lock(tmp, files):
            os.chmod(os.path.join(tmp, "ro"), 0o555)
        message = self.expect_input_error(output=folder, prepare=lock, as_nobody=True, file="ro/out.h5",
                                          exit_code=None)
        self.assertRegex(message, r"folder '[^']*/ro'")

    def test_missing_base_scenario(self):
        child = "[scenario]\nname = child\nbase = nobase.ini\n"
        self.expect_input_error(ini=lambda s: child, file="scenario.ini", line=3, field="base",
                                contains=["nobase.ini", "No such file"])

    def test_unreadable_base_scenario(self):
        # Regression (fixed in src/scenario.c, load_file): the error for a base scenario that cannot be read
        # always says strerror(ENOENT), "No such file or directory", whatever the reason
        # (here: permission denied).
        child = "[scenario]\nname = child\nbase = base.ini\n"

        def add_locked_base(tmp, files):
            path = os.path.join(tmp, "base.ini")
            with open(path, "w") as f:
                f.write(T.MINI_INI)
            os.chmod(path, 0)
        self.expect_input_error(ini=lambda s: child, prepare=add_locked_base, as_nobody=True, file="scenario.ini",
                                line=3, field="base", contains=["base.ini", "Permission denied"])

    # -- the INI file ----------------------------------------------------------------------------

    def test_unknown_key(self):
        ini = T.replace_line(T.MINI_INI, "mortality =", "mortalty = mortality.csv")
        message = self.expect_input_error(ini=lambda s: ini, file="scenario.ini",
                                          line=T.line_of(ini, "mortalty"), field="mortalty")
        self.assertIn("did you mean [population] mortality", message, "suggests the nearest valid key")

    def test_unknown_key_suggestion_in_another_section(self):
        ini = T.replace_line(T.MINI_INI, "seed =", "replicatons = 3")
        message = self.expect_input_error(ini=lambda s: ini, file="scenario.ini",
                                          line=T.line_of(ini, "replicatons"), field="replicatons")
        self.assertIn("replications", message.split("did you mean", 1)[-1])

    def test_unknown_section(self):
        ini = T.replace_line(T.MINI_INI, "[simulation]", "[simulaton]")
        message = self.expect_input_error(ini=lambda s: ini, file="scenario.ini",
                                          line=T.line_of(ini, "[simulaton]"), field="simulaton")
        self.assertIn("[simulation]", message, "suggests the nearest section")

    def test_repeated_key(self):
        ini = T.insert_after(T.MINI_INI, "seed =", "seed = 8")
        first = T.line_of(ini, "seed =")
        message = self.expect_input_error(ini=lambda s: ini, file="scenario.ini", line=first + 1, field="seed")
        self.assertIn("line %d" % first, message, "names the first occurrence")

    def test_missing_required_key(self):
        ini = T.replace_line(T.MINI_INI, "base_year =", None)
        self.expect_input_error(ini=lambda s: ini, file="scenario.ini", field="base_year")

    def test_malformed_integer(self):
        ini = T.replace_line(T.MINI_INI, "replications =", "replications = 3x")
        self.expect_input_error(ini=lambda s: ini, file="scenario.ini", line=T.line_of(ini, "replications"),
                                field="replications", contains=["'3x'"])

    def test_malformed_number(self):
        ini = T.replace_line(T.MINI_INI, "sex_ratio_at_birth =", "sex_ratio_at_birth = 1,05")
        self.expect_input_error(ini=lambda s: ini, file="scenario.ini",
                                line=T.line_of(ini, "sex_ratio_at_birth"), field="sex_ratio_at_birth",
                                contains=["'1,05'"])

    def test_non_finite_number_in_ini(self):
        for text in ("inf", "nan", "-inf", "infinity", "NAN"):
            with self.subTest(value=text):
                ini = T.replace_line(T.MINI_INI, "sex_ratio_at_birth =", "sex_ratio_at_birth = " + text)
                self.expect_input_error(ini=lambda s: ini, file="scenario.ini",
                                        line=T.line_of(ini, "sex_ratio_at_birth"), field="sex_ratio_at_birth",
                                        contains=["'%s'" % text])

    def test_non_finite_integer_in_ini(self):
        ini = T.replace_line(T.MINI_INI, "end_year =", "end_year = inf")
        self.expect_input_error(ini=lambda s: ini, file="scenario.ini", line=T.line_of(ini, "end_year"),
                                field="end_year")

    def test_end_year_before_base_year(self):
        ini = T.replace_line(T.MINI_INI, "end_year =", "end_year = 2020")
        message = self.expect_input_error(ini=lambda s: ini, file="scenario.ini",
                                          line=T.line_of(ini, "end_year"), field="end_year")
        self.assertIn("2025", message, "says which base year it is before")

    def test_zero_replications_in_file(self):
        ini = T.replace_line(T.MINI_INI, "replications =", "replications = 0")
        # without -n, which would replace the file's value
        self.expect_input_error(ini=lambda s: ini, file="scenario.ini", line=T.line_of(ini, "replications"),
                                field="replications", replications_arg=False)

    def test_zero_replications_on_command_line(self):
        # -n 0 is refused as the value of [simulation] replications, named as coming from the
        # command line: a usage error (2), as every wrong command line (-n -1, -j 0, --set ...).
        with tempfile.TemporaryDirectory() as tmp:
            T.write_files(tmp, T.mini_files())
            out = os.path.join(tmp, "out.h5")
            for args in (["-n", "0"], ["-n", "-1"], ["-j", "0"], ["-n", "2", "--set", "simulation.replications=0"]):
                with self.subTest(args=args):
                    result = T.run(["run", os.path.join(tmp, "scenario.ini"), "-o", out, *args])
                    self.assertEqual(result.returncode, T.EXIT_USAGE, result.stderr)
                    self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
                    self.assertFalse(os.path.exists(out))

    def test_bad_boolean(self):
        ini = T.insert_after(T.MINI_INI, "end_year =", "expected_values = yes")
        self.expect_input_error(ini=lambda s: ini, file="scenario.ini", line=T.line_of(ini, "expected_values"),
                                field="expected_values", contains=["'yes'"])

    def test_value_outside_its_range(self):
        ini = T.replace_line(T.MINI_INI, "sex_ratio_at_birth =", "sex_ratio_at_birth = 2.5")
        self.expect_input_error(ini=lambda s: ini, file="scenario.ini", line=T.line_of(ini, "sex_ratio_at_birth"),
                                field="sex_ratio_at_birth")

    def test_key_before_any_section(self):
        ini = "seed = 3\n" + T.MINI_INI
        self.expect_input_error(ini=lambda s: ini, file="scenario.ini", line=1, field="seed")

    def test_line_too_long(self):
        ini = T.insert_after(T.MINI_INI, "[population]", "; " + "x" * 300)
        self.expect_input_error(ini=lambda s: ini, file="scenario.ini", line=T.line_of(ini, "; xxx"))

    def check_run_or_clear_name_error(self, tmp, args, line, out):
        """A run that either succeeds with a readable file, or is refused before running with
        an input error naming the scenario file, the line and field 'name'."""
        result = T.run(args)
        if result.returncode == 0:
            with h5py.File(out, "r") as h5:
                self.assertIn("population", h5)
            return
        self.assertEqual(result.returncode, T.EXIT_INPUT,
                         "an unusable scenario name is an input error found before the run, "
                         "not a failed write after it:\n" + result.stderr)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertRegex(result.stderr, re.escape(os.path.join(tmp, "scenario.ini")) + ":%d(?!\\d)" % line)
        self.assertIn("'name'", result.stderr)
        self.assertFalse(os.path.exists(out))
        self.assertEqual(T.temp_leftovers(tmp), [])

    def test_scenario_name_that_is_not_a_group_name(self):
        # Regression (fixed): [scenario] name is used as an HDF5 group name under /provenance/scenarios, so a
        # name with '/' (or ".") passes `check`, the whole run is simulated, and then the write
        # fails: exit 1, "out.h5: HDF5 call failed: write_provenance(...)", no file, line or
        # field. (validate the name at load, or do not use it
        # as a link name).
        for name in ("mini/2025", "."):
            with self.subTest(name=name), tempfile.TemporaryDirectory() as tmp:
                ini = T.replace_line(T.MINI_INI, "name =", "name = " + name)
                self.build(tmp, ini=lambda s: ini)
                out = os.path.join(tmp, "out.h5")
                self.check_run_or_clear_name_error(tmp, ["run", os.path.join(tmp, "scenario.ini"), "-o", out, "-n", "2"],
                                                   T.line_of(ini, "name ="), out)

    def test_two_scenarios_with_the_same_name(self):
        # Regression (fixed): `carecast run A.ini A.ini` (or two files with the same [scenario] name) runs
        # every replication of both and then fails to write: exit 1, "HDF5 call failed:
        # write_provenance(...)". (refuse duplicate names
        # before the run, naming the file, line and field, or make the names unique).
        with tempfile.TemporaryDirectory() as tmp:
            self.build(tmp)
            out = os.path.join(tmp, "out.h5")
            scenario = os.path.join(tmp, "scenario.ini")
            self.check_run_or_clear_name_error(tmp, ["run", scenario, scenario, "-o", out, "-n", "2"],
                                               T.line_of(T.MINI_INI, "name ="), out)

    # -- tables: one catalogue ----------------------------------------------------------------

    def test_bad_tables(self):
        """Every row of bad_tables(): exit code, one line naming the table, the line and the field."""
        self.check_bad_tables(bad_tables())


def bad_tables():
    """The bad-table catalogue of the mini scenario: [T.bad_table(label, table, csv, line, field,
    code, contains)], each a whole broken CSV text."""
    population, mortality = T.mini_population_csv(), T.mini_mortality_csv()
    fertility = T.mini_fertility_csv()

    def case(label, table, text, prefix, new_line, field, report_at=None, contains=()):
        csv, line = T.edit_row(text, prefix, new_line, report_at)
        return T.bad_table(label, table, csv, line, field, contains=contains)

    cases = [
        case("malformed number", "population.csv", population, "female,40,64,", "female,40,64,32OO",
             "population", contains=["'32OO'"]),
        case("malformed integer", "population.csv", population, "male,20,39,", "male,20,3x,2500", "age_hi",
             contains=["'3x'"]),
        case("negative count", "population.csv", population, "female,40,64,", "female,40,64,-3200",
             "population", contains=["-3200"]),
        case("age groups with a gap", "population.csv", population, "female,20,39,", None, "age_lo",
             # female 0-19 then 40-64: the row after the gap is reported (where 20-39 was)
             report_at="female,40,64,", contains=["20"]),
        case("age groups that overlap", "population.csv", population, "female,40,64,", "female,35,64,3200",
             "age_lo"),
        case("no open age group (open row removed)", "population.csv", population, "female,100,", None,
             "age_hi", report_at="female,85,99,"),
        case("no open age group (open row closed)", "population.csv", population, "female,100,",
             "female,100,104,9", "age_hi"),
        case("probability above 1", "mortality.csv", mortality, "female,30,", "female,30,1.5", "qx"),
        case("probability below 0", "mortality.csv", mortality, "male,70,", "male,70,-0.01", "qx"),
        case("non-finite fertility rate nan", "fertility.csv", fertility, "30,", "30,nan", "asfr"),
    ]
    for text in ("inf", "nan", "-inf"):
        cases.append(case("non-finite count " + text, "population.csv", population, "female,40,64,",
                          "female,40,64," + text, "population", contains=["'%s'" % text]))
    for text in ("nan", "inf"):
        cases.append(case("non-finite probability " + text, "mortality.csv", mortality, "male,50,",
                          "male,50," + text, "qx"))
    # Regression (fixed in src/ages.c): a closed group that reaches 100 or beyond and overlaps
    # or straddles the open group (85-100 then 100+; 85-104 then 105+) was accepted, and the
    # split then moved the whole group into 100+ (ages 85-99 got nobody): silent corruption of
    # the base population. Either row may be the one reported, as age_lo or age_hi.
    for closed, open_row in (("female,85,100,600", "female,100,,9"), ("female,85,104,600", "female,105,,9")):
        changed = T.replace_line(T.replace_line(population, "female,85,99,", closed), "female,100,", open_row)
        cases.append(T.bad_table("closed group running into the open group: %s / %s" % (closed, open_row),
                                 "population.csv", changed,
                                 (T.line_of(changed, closed), T.line_of(changed, open_row)), ("age_lo", "age_hi")))
    return cases


@T.require_binary
class CommandLineTest(unittest.TestCase):

    def test_check_prints_every_key_and_exits_0(self):
        with tempfile.TemporaryDirectory() as tmp:
            T.write_files(tmp, T.mini_files())
            result = T.run(["check", os.path.join(tmp, "scenario.ini")])
            self.assertEqual(result.returncode, 0, result.stderr)
            for section, name in T.registry_keys():
                self.assertRegex(result.stdout, r"(?m)^\s+%s\s+= " % re.escape(name),
                                 "check prints [%s] %s" % (section, name))
            self.assertEqual(T.temp_leftovers(tmp), [])
            self.assertEqual(sorted(os.listdir(tmp)), sorted(T.mini_files()), "check writes nothing")

    def test_check_on_the_shipped_scenarios(self):
        for path in (T.scenario_path("kashiwa.ini"), T.scenario_path("japan.ini")):
            with self.subTest(scenario=os.path.basename(path)):
                result = T.run(["check", path])
                self.assertEqual(result.returncode, 0, result.stderr)
                for section, name in T.registry_keys():
                    self.assertRegex(result.stdout, r"(?m)^\s+%s\s+= " % re.escape(name))

    def test_check_bad_input_exits_3(self):
        with tempfile.TemporaryDirectory() as tmp:
            files = T.mini_files()
            files["scenario.ini"] = T.replace_line(files["scenario.ini"], "seed =", "seed = x")
            T.write_files(tmp, files)
            result = T.run(["check", os.path.join(tmp, "scenario.ini")])
            self.assertEqual(result.returncode, T.EXIT_INPUT)
            self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)

    def test_help(self):
        for args, expect in ((["--help"], "usage: carecast"), (["run", "--help"], "usage: carecast run"),
                             (["check", "--help"], "usage: carecast check"), (["run", "-h"], "usage: carecast run")):
            with self.subTest(args=args):
                result = T.run(args)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn(expect, result.stdout)

    def test_version(self):
        result = T.run(["--version"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "carecast " + T.version())

    def test_usage_errors_exit_2(self):
        with tempfile.TemporaryDirectory() as tmp:
            T.write_files(tmp, T.mini_files())
            scenario = os.path.join(tmp, "scenario.ini")
            out = os.path.join(tmp, "out.h5")
            cases = [
                ["run", scenario, "-o", out, "--no-such-option"],
                ["run", scenario, "-o", out, "-Z"],
                ["check", scenario, "--no-such-option"],
                ["frobnicate"],
                [],
                ["run"],
                ["run", scenario, "-o", out, "-n", "abc"],
                ["run", scenario, "-o", out, "-j", "0"],
                ["run", scenario, "-o", out, "--seed", "-1"],
                ["run", scenario, "-o", out, "--set", "no-dot-or-equals"],
            ]
            for args in cases:
                with self.subTest(args=args):
                    result = T.run(args)
                    self.assertEqual(result.returncode, T.EXIT_USAGE, result.stderr)
                    self.assertNotEqual(result.stderr, "", "a usage error says something")
                    self.assertFalse(os.path.exists(out))
            self.assertEqual(T.temp_leftovers(tmp), [])

    def test_base_scenario_is_inherited(self):
        with tempfile.TemporaryDirectory() as tmp:
            T.write_files(tmp, T.mini_files())
            child = os.path.join(tmp, "child.ini")
            with open(child, "w") as f:
                f.write("[scenario]\nname = child\nbase = scenario.ini\n[simulation]\nend_year = 2027\n")
            result = T.run(["check", child])
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertRegex(result.stdout, r"(?m)^\s+end_year\s+= 2027 .*child\.ini:5")
            self.assertRegex(result.stdout, r"(?m)^\s+seed\s+= 7 .*scenario\.ini:%d" % T.line_of(T.MINI_INI, "seed"))

    def test_interrupted_run_leaves_nothing(self):
        """SIGINT / SIGTERM during a run: exit 130, an existing results file untouched, no
        temporary file left (a long mini run: 276 years, interrupted after half a second)."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            with self.subTest(signal=sig.name), tempfile.TemporaryDirectory() as tmp:
                T.write_files(tmp, T.mini_files())
                out = os.path.join(tmp, "out.h5")
                with open(out, "wb") as f:
                    f.write(T.EXISTING_BYTES)
                cmd = [T.carecast_bin(), "run", os.path.join(tmp, "scenario.ini"), "-o", out, "-n", "1000", "-j", "1",
                       "--set", "simulation.end_year=2300"]
                proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
                time.sleep(0.5)
                proc.send_signal(sig)
                stdout, stderr = proc.communicate(timeout=60)
                self.assertEqual(proc.returncode, T.EXIT_INTERRUPTED, stderr)
                self.assertEqual(len(stderr.splitlines()), 1, stderr)
                with open(out, "rb") as f:
                    self.assertEqual(f.read(), T.EXISTING_BYTES)
                self.assertEqual(T.temp_leftovers(tmp), [])

    def test_output_path_is_a_folder(self):
        with tempfile.TemporaryDirectory() as tmp:
            T.write_files(tmp, T.mini_files())
            folder = os.path.join(tmp, "results")
            os.mkdir(folder)
            result = T.run(["run", os.path.join(tmp, "scenario.ini"), "-o", folder, "-n", "2"])
            self.assertNotEqual(result.returncode, 0)
            self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
            self.assertIn(folder, result.stderr)
            self.assertEqual(os.listdir(folder), [])
            self.assertEqual(T.temp_leftovers(tmp), [])

    def test_set_unknown_key_is_invalid_input(self):
        with tempfile.TemporaryDirectory() as tmp:
            T.write_files(tmp, T.mini_files())
            out = os.path.join(tmp, "out.h5")
            result = T.run(["run", os.path.join(tmp, "scenario.ini"), "-o", out, "-n", "2",
                            "--set", "simulation.sead=3"])
            self.assertEqual(result.returncode, T.EXIT_USAGE, result.stderr)
            self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
            self.assertIn("'sead'", result.stderr)
            self.assertIn("command line", result.stderr)
            self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
