"""The key reference in scenarios/README.md is the registry's own text (carecast keys --markdown),
so no key can be added, renamed or given a new default without the documentation following."""
import os
import re
import subprocess
import tempfile
import unittest

import carecast_testlib as T

# What a key's source must not be: the registry's old placeholders and printf's NULL.
PLACEHOLDER_SOURCES = ("", "-", "(null)", "(none)", "none", "?", "TODO")


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
        with open(os.path.join(T.REPO_ROOT, "README.md"), encoding="utf-8") as f:
            code = re.search(r"```python\n(.*?)```", f.read(), re.S).group(1)
        results = T.cached_results(T.scenario_path("kashiwa.ini"), "-n", "3", "-q")
        results.check(self)
        with tempfile.TemporaryDirectory() as tmp:
            os.mkdir(os.path.join(tmp, "results"))
            os.symlink(results.path, os.path.join(tmp, "results", "kashiwa.h5"))
            run = subprocess.run(["/usr/bin/python3", "-c", code], cwd=tmp, capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("['scenario', 'quantile', 'year', 'sex']", run.stdout)

    def test_every_key_has_a_source_or_assumption(self):
        """Every key of the registry is listed once by `carecast keys` with a real source text:
        not empty, not a placeholder ("-", "(null)", "(none)", "?"), so a key added without
        one fails here (and would otherwise print a source nobody can check)."""
        out = subprocess.run([T.carecast_bin(), "keys"], check=True, capture_output=True, text=True).stdout
        keys = T.registry_keys()
        self.assertGreater(len(keys), 20, "the registry was read")
        for section, name in keys:
            with self.subTest(key="[%s] %s" % (section, name)):
                lines = [line for line in out.splitlines()
                         if re.match(r"\[%s\]\s+%s\s*=" % (re.escape(section), re.escape(name)), line)]
                self.assertEqual(len(lines), 1, "`carecast keys` lists [%s] %s once" % (section, name))
                self.assertIn("Source:", lines[0])
                source = lines[0].rsplit("Source:", 1)[1].strip()
                self.assertNotIn(source, PLACEHOLDER_SOURCES, lines[0])
                self.assertRegex(source, r"\w{2}", "the source says something: " + lines[0])

    def test_every_key_has_a_source_in_the_markdown_reference(self):
        """The same rule for the key tables of scenarios/README.md (`carecast keys --markdown`):
        the last column of every key row is a real source."""
        out = subprocess.run([T.carecast_bin(), "keys", "--markdown"], check=True, capture_output=True,
                             text=True).stdout
        rows = {}
        section = None
        for line in out.splitlines():
            heading = re.match(r"#+\s*\[(\w+)\]", line)
            if heading:
                section = heading.group(1)
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if line.startswith("|") and re.fullmatch(r"`[\w.]+`", cells[0]):
                rows[(section, cells[0].strip("`"))] = cells
        self.assertEqual(sorted(rows), sorted(T.registry_keys()), "one row per registry key")
        for key, cells in rows.items():
            with self.subTest(key="[%s] %s" % key):
                self.assertNotIn(cells[-1], PLACEHOLDER_SOURCES, " | ".join(cells))
                self.assertRegex(cells[-1], r"\w{2}", " | ".join(cells))


if __name__ == "__main__":
    unittest.main()
