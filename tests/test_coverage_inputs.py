"""The coverage stage's inputs from the command line: `carecast check scenarios/kashiwa.ini` lists
every [coverage] key of the registry with its value and source, records the clinics table and
describes it; Kashiwa's clinics table is what scripts/make-clinics-table.py writes; a bad clinics
table stops `check` with one line naming the table's file, line and column."""
import os
import re
import subprocess
import tempfile
import unittest

import carecast_testlib as T


@T.require_binary
class CoverageInputsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.kashiwa = T.scenario_path("kashiwa.ini")
        cls.result = T.run(["check", cls.kashiwa])

    def test_check_exits_0(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)

    def test_check_lists_every_coverage_key(self):
        keys = [name for section, name in T.registry_keys() if section == "coverage"]
        for name in ("clinics", "blocks", "block_shares", "area_km2", "target_years", "schemes", "replications",
                     "max_primaries_per_backup", "max_wait_minutes", "closures"):
            self.assertIn(name, keys)
        out = self.result.stdout
        section = out[out.index("[coverage]\n"):]
        section = section[:section.find("\n[", 1)] if "\n[" in section[1:] else section  # up to the next section
        ini = T.read_ini(self.kashiwa)["coverage"]
        for name in keys:
            with self.subTest(key=name):
                lines = [line for line in section.splitlines() if re.match(r"\s+%s\s+=" % re.escape(name), line)]
                self.assertEqual(len(lines), 1, "[coverage] %s is listed once" % name)
                self.assertIn("source:", lines[0])
                if ini.get(name):
                    self.assertIn(ini[name], lines[0], "the value of kashiwa.ini")
                    self.assertIn("kashiwa.ini:", lines[0], "set in kashiwa.ini")

    def test_check_records_and_describes_the_clinics_table(self):
        out = self.result.stdout
        self.assertRegex(out, r"coverage\.clinics\s+\S*kashiwa_clinics\.csv\s+sha256 [0-9a-f]{16}")
        self.assertIn("coverage: 188 clinics (150 primary, 38 backup), 98 participating with 174 doctors, in 3 blocks",
                      out)
        self.assertIn("target years 2025, 2030, 2040; schemes pairing, rotation, solo, cooperative", out)

    def test_kashiwa_clinics_table_is_the_scripts_output(self):
        script = os.path.join(T.source_root(), "scripts", "make-clinics-table.py")
        table = os.path.join(T.source_root(), "scenarios", "data", "kashiwa_clinics.csv")
        result = subprocess.run(["/usr/bin/python3", script, "--check", "--out", table], capture_output=True,
                                text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        rows = T.read_csv_rows(table)
        self.assertEqual(len(rows), 188)  # 98 participating, then 90 candidate primaries (for capacity)
        self.assertEqual(sum(r["type"] == "backup" for r in rows), 38)
        participating = [r for r in rows if r["participates"] == "1"]
        self.assertEqual(len(participating), 98)
        self.assertEqual(sum(int(r["doctors"]) for r in participating), 38 * 3 + 60)
        self.assertTrue(all(r["type"] == "primary" for r in rows if r["participates"] == "0"))

    def test_bad_clinics_table_names_file_line_and_field(self):
        with tempfile.TemporaryDirectory() as tmp:
            table = os.path.join(tmp, "clinics.csv")
            with open(table, "w") as f:
                f.write("id,block,type,doctors,panel_capacity,participates,backup\n"
                        "B1,1,backup,3,60,1,\n"
                        "P1,1,primary,1,25,1,P9\n")
            scenario = os.path.join(tmp, "s.ini")
            with open(scenario, "w") as f:
                f.write("[scenario]\nbase = %s\nname = bad\n[coverage]\nclinics = clinics.csv\n" % self.kashiwa)
            result = T.run(["check", scenario])
            self.assertEqual(result.returncode, T.EXIT_INPUT, result.stderr)
            lines = result.stderr.splitlines()
            self.assertEqual(len(lines), 1, result.stderr)
            self.assertIn(table + ":3", lines[0])
            self.assertIn("backup", lines[0])
            self.assertIn("P9", lines[0])


if __name__ == "__main__":
    unittest.main()
