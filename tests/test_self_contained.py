"""A clone of the project is self-contained: no file refers to material outside it.

The project was started beside a folder of notes, data and peer programs that a user's clone
does not have. Everything the project needs (data with their sources, the model's
description, the benchmark's peers) lives in the project itself, so no file may point into that
folder or name its notes. The walk covers every file of the tree except .git, build folders
(build*) and results/ (files the programs write).
"""
import os
import re
import unittest

import carecast_testlib as T

# Built from parts, so this file does not contain the strings it looks for.
_NOTES = "shared"
FORBIDDEN = [
    re.escape(".." + "/" + _NOTES),                 # the sibling folder, relatively
    re.escape("/work/" + _NOTES),                   # ... or absolutely
    re.escape(_NOTES + "/") + r"(data|peers|seed|tools|hooks)\b",  # its sub-folders
    re.escape(_NOTES + "/") + r"(DOMAIN|DESIGN|STYLE)\b",
    r"\b(DOMAIN|DESIGN)" + re.escape(".md"),       # its notes by name
    r"--" + _NOTES + r"\b",                          # the old option of the table scripts
    _NOTES + r" section \d",                         # sections of its SOURCES.md
]
PATTERN = re.compile("|".join("(?:%s)" % p for p in FORBIDDEN))

SKIP_DIRS = {".git", "results", "__pycache__"}


def project_files(root):
    """Every file under root, skipping .git, build*, results/ and caches."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("build"))
        for name in sorted(files):
            yield os.path.join(folder, name)


def offending_lines(path):
    """[(line number, line)] of path that match a forbidden reference (binary files skipped)."""
    with open(path, "rb") as f:
        data = f.read()
    if b"\0" in data:
        return []
    text = data.decode("utf-8", errors="replace")
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1) if PATTERN.search(line)]


class SelfContainedTest(unittest.TestCase):
    def test_patterns_catch_what_they_should(self):
        """The scan itself works: each kind of reference is caught, ordinary text is not."""
        caught = [".." + "/" + _NOTES + "/data", "see /work/" + _NOTES + "/peers/x.py", "DOMAIN" + ".md",
                  "(DESIGN" + ".md)", _NOTES + "/DOMAIN", "--" + _NOTES + " DIR", _NOTES + " section 14"]
        for text in caught:
            self.assertRegex(text, PATTERN)
        for text in ("read-only tables shared", "shared by both sexes", "Helpers shared with the loader",
                     "scenarios/data/SOURCES.md"):
            self.assertNotRegex(text, PATTERN)

    def test_no_file_refers_outside_the_project(self):
        found = []
        count = 0
        for path in project_files(T.REPO_ROOT):
            count += 1
            for number, line in offending_lines(path):
                found.append("%s:%d: %s" % (os.path.relpath(path, T.REPO_ROOT), number, line[:160]))
        self.assertGreater(count, 50, "the walk found the project's files")
        self.assertEqual(found, [], "files refer to material outside the project (a clone does not have it):\n"
                         + "\n".join(found))


if __name__ == "__main__":
    unittest.main()
