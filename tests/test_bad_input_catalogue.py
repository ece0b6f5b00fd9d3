"""The bad-input catalogue on disk: tests/bad-inputs/ (its README.md describes the layout).

Every case is a folder with a scenario (usually one that names ../_base/scenario.ini as its
base and breaks one thing) and an `expect` file: the exit code, and for an error the file, line,
field and text the one-line message must name. Special inputs (symbolic-link loops, FIFOs,
folders, files over the size limits, deep base chains) are made at test time by the case's
`generate:` line, never committed. Each case is copied with _base into a temporary folder and
run with `carecast check` (and `carecast run -n 2 -o ...` unless `command:` says otherwise);
an error must be exactly one line on stderr starting with "carecast: ", nothing on stdout, the
exit code expected, and nothing written (no results file, no temporary file).
"""
import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402

CATALOGUE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bad-inputs")
KEYS = {"what", "exit", "command", "scenario", "file", "line", "field", "contains", "generate"}


def alternatives(value):
    """'(a, b)' -> ('a', 'b'); 'a' -> ('a',)."""
    value = value.strip()
    if value.startswith("(") and value.endswith(")"):
        return tuple(v.strip() for v in value[1:-1].split(","))
    return (value,)


def read_expect(path):
    """{key: value} of an expect file (`key: value` lines; `contains` may repeat)."""
    expect = {"contains": []}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            key, sep, value = line.partition(":")
            key = key.strip()
            if not sep or key not in KEYS:
                raise ValueError("%s:%d: expected 'key: value' with key one of %s" % (path, number, sorted(KEYS)))
            if key == "contains":
                expect["contains"].append(value.strip())
            else:
                expect[key] = value.strip()
    for required in ("what", "exit"):
        if required not in expect:
            raise ValueError("%s: no '%s:' line" % (path, required))
    return expect


def cases():
    return sorted(name for name in os.listdir(CATALOGUE)
                  if not name.startswith(("_", ".")) and os.path.isdir(os.path.join(CATALOGUE, name)))


def generate(folder, spec):
    """Make the special input of a `generate:` line inside folder."""
    kind, *args = spec.split()
    if kind == "symlink-loop":  # a link to itself: open() fails with ELOOP
        os.symlink(args[0], os.path.join(folder, args[0]))
    elif kind == "directory":
        os.mkdir(os.path.join(folder, args[0]))
    elif kind == "fifo":
        os.mkfifo(os.path.join(folder, args[0]))
    elif kind == "sparse":  # a file of the given size without writing it
        with open(os.path.join(folder, args[0]), "wb") as f:
            f.truncate(int(args[1]))
    elif kind == "base-chain":  # chain0.ini -> chain1.ini -> ... -> chain{n-1}.ini -> _base
        depth = int(args[0])
        for i in range(depth):
            base = "chain%d.ini" % (i + 1) if i + 1 < depth else "../_base/scenario.ini"
            with open(os.path.join(folder, "chain%d.ini" % i), "w") as f:
                f.write("[scenario]\nbase = %s\nname = chain%d\n" % (base, i))
    else:
        raise ValueError("unknown generate kind %r" % kind)


@T.require_binary
class BadInputCatalogueTest(unittest.TestCase):
    maxDiff = None

    def test_catalogue_is_large_enough(self):
        self.assertGreaterEqual(len(cases()), 40)

    def test_base_is_the_mini_scenario(self):
        """_base is mini_files() of the testlib (its first comment line apart): line numbers agree."""
        for name, text in T.mini_files().items():
            with open(os.path.join(CATALOGUE, "_base", name), newline="") as f:
                committed = f.read()
            if name == "scenario.ini":
                committed, text = committed.split("\n", 1)[1], text.split("\n", 1)[1]
            self.assertEqual(committed, text, "tests/bad-inputs/_base/" + name)

    def test_cases(self):
        for name in cases():
            with self.subTest(case=name):
                self.check_case(name)

    def check_case(self, name):
        expect = read_expect(os.path.join(CATALOGUE, name, "expect"))
        code = int(expect["exit"])
        commands = expect.get("command", "check" if code == 0 else "check run").split()
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(os.path.join(CATALOGUE, "_base"), os.path.join(tmp, "_base"))
            folder = os.path.join(tmp, name)
            shutil.copytree(os.path.join(CATALOGUE, name), folder, symlinks=True)
            os.remove(os.path.join(folder, "expect"))
            if "generate" in expect:
                generate(folder, expect["generate"])
            scenario = os.path.join(folder, expect.get("scenario", "scenario.ini"))
            out_dir = os.path.join(tmp, "out")
            os.mkdir(out_dir)
            before = sorted(os.listdir(folder))
            messages = {}
            for command in commands:
                out = os.path.join(out_dir, "out.h5")
                args = [command, scenario] + (["-n", "2", "-q", "-o", out] if command == "run" else [])
                result = T.run(args, timeout=60)
                where = "%s %s; stderr:\n%s" % (command, name, result.stderr)
                self.assertEqual(result.returncode, code, where)
                self.assertEqual(sorted(os.listdir(folder)), before, "nothing written beside the inputs")
                if code == 0:
                    if command == "run":
                        self.assertTrue(os.path.isfile(out), where)
                        os.remove(out)
                    continue
                self.assertEqual(result.stdout, "", "nothing on stdout for an error: " + where)
                lines = result.stderr.splitlines()
                self.assertEqual(len(lines), 1, "exactly one line on stderr: " + where)
                message = messages[command] = lines[0]
                self.assertTrue(message.startswith("carecast: "), message)
                self.check_message(message, folder, expect)
                self.assertEqual(os.listdir(out_dir), [], "no results or temporary file: " + where)
            if len(messages) == 2:
                self.assertEqual(messages["check"], messages["run"], "check and run give the same message")

    def check_message(self, message, folder, expect):
        if "file" in expect:
            paths = [os.path.join(folder, f) for f in alternatives(expect["file"])]
            self.assertTrue(any(p in message for p in paths), "the message names %s: %s" % (paths, message))
            if "line" in expect:
                pattern = "(%s):(%s)(?!\\d)" % ("|".join(re.escape(p) for p in paths),
                                                "|".join(alternatives(expect["line"])))
                self.assertRegex(message, pattern, "the message names the line")
        if "field" in expect:
            self.assertRegex(message, "|".join("'%s'" % re.escape(f) for f in alternatives(expect["field"])),
                             "the message names the field")
        for text in expect["contains"]:
            self.assertIn(text, message)


if __name__ == "__main__":
    unittest.main()
