"""The key reference in scenarios/README.md is the registry's own text (carecast keys --markdown),
so no key can be added, renamed or given a new default without the documentation following."""
import os
import subprocess
import unittest

import carecast_testlib as T


class KeyDocumentationTest(unittest.TestCase):
    def test_scenarios_readme_holds_the_generated_key_tables(self):
        generated = subprocess.run([T.carecast_bin(), "keys", "--markdown"], check=True, capture_output=True,
                                   text=True).stdout
        with open(os.path.join(T.REPO_ROOT, "scenarios", "README.md"), encoding="utf-8") as f:
            readme = f.read()
        self.assertIn(generated, readme, "scenarios/README.md is out of date: regenerate its key section with "
                                         "`build/carecast keys --markdown`")

    def test_readme_python_snippet_runs(self):
        """The README's "Open it from Python" code runs against a fresh results file."""
        import re
        import tempfile
        with open(os.path.join(T.REPO_ROOT, "README.md"), encoding="utf-8") as f:
            code = re.search(r"```python\n(.*?)```", f.read(), re.S).group(1)
        with tempfile.TemporaryDirectory() as tmp:
            os.mkdir(os.path.join(tmp, "results"))
            result = T.run(["run", T.scenario_path("kashiwa.ini"), "-n", "3", "-q", "-o",
                            os.path.join(tmp, "results", "kashiwa.h5")])
            self.assertEqual(result.returncode, 0, result.stderr)
            run = subprocess.run(["/usr/bin/python3", "-c", code], cwd=tmp, capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("['scenario', 'quantile', 'year', 'sex']", run.stdout)

    def test_every_key_has_a_source_or_assumption(self):
        out = subprocess.run([T.carecast_bin(), "keys"], check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            self.assertRegex(line, r"Source: \S", line)


if __name__ == "__main__":
    unittest.main()
