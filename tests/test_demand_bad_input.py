"""Bad demand inputs of `carecast run`: rate tables and [demand] keys.

Same contract and machinery as tests/test_bad_input.py (T.InputErrorCase of
tests/carecast_testlib.py): every case starts from the small valid mini scenario of tests/carecast_testlib.py, given
a [demand] section naming copies of the three shipped rate tables (scenarios/data/demand_*.csv)
in the temporary folder, breaks one thing, runs
    carecast run TMP/scenario.ini -o TMP/out.h5 -n 2
and checks: exit code 3, exactly one line on stderr naming the file, the line and the field,
nothing on stdout, no results file, no temporary file; and, in a second variant, that an
existing out.h5 is left byte-for-byte untouched. The broken rate tables are one catalogue,
bad_rate_tables(): each row a whole CSV text with the exit code, line and field.
"""
import os
import sys
import tempfile
import unittest

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402

# name in the temporary folder -> shipped table it copies
RATE_FILES = {
    "inpatient.csv": "demand_inpatient_rates_2023.csv",
    "outpatient.csv": "demand_outpatient_rates_2023.csv",
    "home_care.csv": "demand_home_care_rates_2023.csv",
}
RATE_KEYS = {"inpatient_rates": "inpatient.csv", "outpatient_rates": "outpatient.csv",
             "home_care_rates": "home_care.csv"}

DEMAND_SECTION = """\

[demand]
inpatient_rates = inpatient.csv
outpatient_rates = outpatient.csv
home_care_rates = home_care.csv
rates_year = 2023
occupancy = 0.80
"""

DEMAND_INI = T.MINI_INI + DEMAND_SECTION


def shipped_rate_table(name):
    with open(os.path.join(T.source_root(), "scenarios", "data", RATE_FILES[name]), encoding="utf-8") as f:
        return f.read()


def demand_mini_files():
    files = T.mini_files()
    files["scenario.ini"] = DEMAND_INI
    for name in RATE_FILES:
        files[name] = shipped_rate_table(name)
    return files


@T.require_binary
class DemandBadInputTest(T.InputErrorCase, unittest.TestCase):
    maxDiff = None

    def files(self):
        """The mini scenario with demand (rate tables included)."""
        return demand_mini_files()

    # -- control ---------------------------------------------------------------------------------

    def test_demand_mini_scenario_is_valid(self):
        """The unbroken scenario runs and writes demand (so the failures below are the breakage)."""
        with tempfile.TemporaryDirectory() as tmp:
            self.build(tmp)
            out = os.path.join(tmp, "out.h5")
            result = T.run(["run", os.path.join(tmp, "scenario.ini"), "-o", out, "-n", "2"])
            self.assertEqual(result.returncode, 0, result.stderr)
            with h5py.File(out, "r") as h5:
                self.assertEqual(h5["demand/inpatient/replications"].shape, (1, 2, 6, 3, 5))
                self.assertGreater(h5["demand/home_care/mean"][0, -1, 2, 4], 0)

    # -- rate tables: one catalogue -----------------------------------------------------------

    def test_bad_rate_tables(self):
        """Every row of bad_rate_tables(): exit code, one line naming the table, line and field."""
        self.check_bad_tables(bad_rate_tables())

    # -- [demand] keys ---------------------------------------------------------------------------

    def ini_case(self, pattern, new_line, field, **kwargs):
        ini = T.replace_line(DEMAND_INI, pattern, new_line)
        return self.expect_input_error(ini=lambda s: ini, file="scenario.ini", line=T.line_of(ini, new_line),
                                       field=field, **kwargs)

    def test_occupancy_zero(self):
        self.ini_case("occupancy =", "occupancy = 0", "occupancy", contains=["'occupancy'"])

    def test_occupancy_above_one(self):
        self.ini_case("occupancy =", "occupancy = 1.5", "occupancy", contains=["1.5"])

    def test_bed_capacity_zero_or_negative(self):
        for value in ("0", "-5"):
            with self.subTest(bed_capacity=value):
                ini = T.insert_after(DEMAND_INI, "occupancy =", "bed_capacity = " + value)
                self.expect_input_error(ini=lambda s: ini, file="scenario.ini",
                                        line=T.line_of(ini, "bed_capacity ="), field="bed_capacity",
                                        contains=[value])

    def key_case(self, new_line, field, contains=(), after="occupancy ="):
        """One added [demand] line, refused at that line, naming the field."""
        ini = T.insert_after(DEMAND_INI, after, new_line)
        return self.expect_input_error(ini=lambda s: ini, file="scenario.ini", line=T.line_of(ini, new_line),
                                       field=field, contains=list(contains))

    def test_trend_damping_out_of_range(self):
        for value in ("1.5", "-0.1", "nan"):
            with self.subTest(trend_damping=value):
                self.key_case("trend_damping = " + value, "trend_damping", [value] if value != "nan" else [])

    def test_home_care_draw_keys_out_of_range(self):
        """visits per patient-month must be above 0 (and at most 31); dental shares in [0, 1]."""
        for line, field in (("visits_per_patient_month = 0", "visits_per_patient_month"),
                            ("visits_per_patient_month_min = -1", "visits_per_patient_month_min"),
                            ("visits_per_patient_month_max = 40", "visits_per_patient_month_max"),
                            ("dental_share = 1.2", "dental_share"),
                            ("dental_share_min = -0.1", "dental_share_min"),
                            ("dental_share_max = 2", "dental_share_max")):
            with self.subTest(line=line):
                self.key_case(line, field, [line.split("= ")[1]])

    def test_triangular_range_must_hold_the_mode(self):
        """min <= mode <= max for both draws: a minimum above the mode is refused at the minimum's
        line, a maximum below it at the maximum's; min = max = mode is allowed (no uncertainty)."""
        for lines, field, contains in (
                (["visits_per_patient_month_min = 2.45"], "visits_per_patient_month_min", ["2.45", "above"]),
                (["visits_per_patient_month = 2.2", "visits_per_patient_month_max = 2.1"],
                 "visits_per_patient_month_max", ["2.1", "below"]),
                (["dental_share_min = 0.5"], "dental_share_min", ["0.5", "above"]),
                (["dental_share_max = 0.35"], "dental_share_max", ["0.35", "below"])):
            ini = DEMAND_INI
            for line in lines:
                ini = T.insert_after(ini, "occupancy =", line)
            bad = [line for line in lines if line.startswith(field + " ")][0]
            with self.subTest(lines=lines):
                self.expect_input_error(ini=lambda s, ini=ini: ini, file="scenario.ini", line=T.line_of(ini, bad),
                                        field=field, contains=contains)
        with tempfile.TemporaryDirectory() as tmp:
            files = demand_mini_files()
            for line in ("visits_per_patient_month_min = 2.4", "visits_per_patient_month_max = 2.4",
                         "dental_share_min = 0.4", "dental_share_max = 0.4"):
                files["scenario.ini"] = T.insert_after(files["scenario.ini"], "occupancy =", line)
            T.write_files(tmp, files)
            result = T.run(["run", os.path.join(tmp, "scenario.ini"), "-o", os.path.join(tmp, "out.h5"), "-n", "2"])
            self.assertEqual(result.returncode, 0, result.stderr)

    def test_only_some_rate_tables_given(self):
        """One or two of the three rate tables: refused, at the line of a table that is given
        (the missing key has no line of its own), saying which table is missing."""
        for given in [("inpatient_rates",), ("outpatient_rates", "home_care_rates"), ("home_care_rates",)]:
            missing = [key for key in RATE_KEYS if key not in given]
            ini = DEMAND_INI
            for key in missing:
                ini = T.replace_line(ini, key + " =", None)
            lines = [T.line_of(ini, key + " =") for key in given]
            with self.subTest(given=given):
                message = self.expect_input_error(ini=lambda s, ini=ini: ini, file="scenario.ini",
                                                  contains=["all three rate tables"])
                if message is None:  # the contract already failed above (recorded per subtest)
                    continue
                self.assertRegex(message, r"scenario\.ini:(%s)(?!\d)" % "|".join(str(n) for n in lines),
                                 "names the line of a rate table that is given")
                self.assertRegex(message, "field '(%s)'" % "|".join(given), "names a given rate-table field")
                self.assertRegex(message, "(%s) is missing" % "|".join(missing), "says which table is missing")


def bad_rate_tables():
    """The bad-rate-table catalogue: [T.bad_table(label, table, csv, line, field, code,
    contains)], each a whole broken copy of a shipped rate table."""
    def case(label, name, prefix, new_line, field, report_at=None, contains=()):
        csv, line = T.edit_row(shipped_rate_table(name), prefix, new_line, report_at)
        return T.bad_table(label, name, csv, line, field, contains=contains)

    header_renamed = shipped_rate_table("home_care.csv").replace("rate_per_100k", "rate", 1)
    return [
        case("negative rate", "inpatient.csv", "male,65,69,", "male,65,69,-1032.8283", "rate_per_100k",
             contains=["-1032.83"]),
        case("negative rate in the open group", "home_care.csv", "female,85,,", "female,85,,-0.5",
             "rate_per_100k"),
        # female 15-19 then 25-29: ages 20-24 have no rate; the row after the gap is reported
        case("gap in age groups", "outpatient.csv", "female,20,24,", None, "age_lo", report_at="female,25,29,",
             contains=["20"]),
        # male 0-14 then 35-64
        case("gap in home-care age groups", "home_care.csv", "male,15,34,", None, "age_lo",
             report_at="male,35,64,"),
        # the last group closed at 99 (or at 100): ages above it have no rate
        case("no open group (90-99)", "inpatient.csv", "female,90,,", "female,90,99,5138.2486", "age_hi"),
        case("no open group (90-100)", "inpatient.csv", "female,90,,", "female,90,100,5138.2486", "age_hi"),
        # male now ends with the closed 75-84
        case("open group removed", "home_care.csv", "male,85,,", None, "age_hi", report_at="male,75,84,"),
        T.bad_table("no rate_per_100k column", "home_care.csv", header_renamed, 1, "rate_per_100k"),
    ]


if __name__ == "__main__":
    unittest.main()
