"""Exit codes come from an error's category, not from its text: bad input 3 (the message names
file, line and field), a results file that cannot be written 1, usage 2. A model's error (found
while fitting, after loading) names the scenario line that set the key at fault."""
import os
import shutil
import tempfile
import unittest

import carecast_testlib as T


@T.require_binary
class ErrorCategoryTest(unittest.TestCase):

    def test_missing_output_folder_is_an_io_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "nope", "out.h5")
            result = T.run(["run", T.scenario_path("kashiwa.ini"), "-n", "1", "-o", out])
            self.assertEqual(result.returncode, T.EXIT_RUN_FAILED, result.stderr)
            self.assertIn("output folder", result.stderr)
            self.assertFalse(os.path.exists(out))

    def test_missing_table_is_bad_input(self):
        with tempfile.TemporaryDirectory() as tmp:
            T.write_files(tmp, T.mini_files())
            os.remove(os.path.join(tmp, "fertility.csv"))
            result = T.run(["run", os.path.join(tmp, "scenario.ini"), "-n", "1", "-o", os.path.join(tmp, "o.h5")])
            self.assertEqual(result.returncode, T.EXIT_INPUT, result.stderr)

    def test_range_error_says_the_range_once(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = T.run(["run", T.scenario_path("kashiwa.ini"), "-n", "1", "--set", "demand.occupancy=0", "-o",
                            os.path.join(tmp, "out.h5")])
            self.assertFalse(os.path.exists(os.path.join(tmp, "out.h5")))
        self.assertEqual(result.returncode, T.EXIT_USAGE, result.stderr)  # the command line is wrong
        line = result.stderr.strip()
        self.assertEqual(line, "carecast: command line: field 'occupancy' in [demand]: 0 is out of range "
                               "(allowed: more than 0 and at most 1)")

    def test_model_error_names_the_scenario_line(self):
        """An e0 target no Lee-Carter drift can reach is found by the model, which names only the
        key; the message still points at the line of the scenario file that set it."""
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(tmp, "data")
            shutil.copytree(os.path.join(T.source_root(), "scenarios", "data"), data)
            with open(T.scenario_path("japan.ini"), encoding="utf-8") as f:
                text = f.read()
            text = T.replace_line(text, "target_e0_male", "target_e0_male = 119")
            ini = os.path.join(tmp, "japan.ini")
            with open(ini, "w", encoding="utf-8") as f:
                f.write(text)
            result = T.run(["check", ini])
            self.assertEqual(result.returncode, T.EXIT_INPUT, result.stderr + result.stdout)
            last = result.stderr.strip().splitlines()[-1]
            self.assertIn("%s:%d:" % (ini, T.line_of(text, "target_e0_male")), last)
            self.assertIn("field 'target_e0_male' in [mortality]", last)
            self.assertIn("cannot be reached", last)


if __name__ == "__main__":
    unittest.main()
