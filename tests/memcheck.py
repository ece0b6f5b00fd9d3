"""valgrind memcheck on carecast end to end: `make memcheck` (part of `make check`).

Runs under `valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
--suppressions=tests/valgrind.supp`:
  - an end-to-end run of scenarios/kashiwa.ini (2 replications, 1 coverage replication, to 2030,
    1 thread): every stage, the results file written;
  - `carecast check` of the same scenario;
  - failing inputs, so the error paths free what they took: a bad key, an unclosed quoted
    field, a cycle of bases, a cell over the limit (cases of tests/bad-inputs/), and a run whose
    output folder is missing;
  - `carecast plot` of the run's file (gnuplot spawned for every chart; its failure paths run
    under ASan in tests/test_plot.py).
Each must give its own exit code (0, 3 or 1) and no memcheck report at all: no invalid read or
write, no use of uninitialised memory, no definite leak (valgrind's exit code 99 and its "ERROR
SUMMARY" line are both checked). Not a test_*.py file: it runs once, on the build without
sanitizers (valgrind cannot run AddressSanitizer binaries). Skips, saying so, when valgrind is
missing (scripts/install-deps.sh installs it). About 40 s.

    /usr/bin/python3 tests/memcheck.py [--bin build/carecast]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SUPPRESSIONS = os.path.join(HERE, "valgrind.supp")
CATALOGUE = os.path.join(HERE, "bad-inputs")
VALGRIND_ERROR = 99
BIN = os.environ.get("CARECAST_BIN") or os.path.join(REPO, "build", "carecast")


def valgrind(args, timeout=300):
    cmd = ["valgrind", "--error-exitcode=%d" % VALGRIND_ERROR, "--leak-check=full",
           "--errors-for-leak-kinds=definite", "--suppressions=" + SUPPRESSIONS, BIN] + list(args)
    env = dict(os.environ, OMP_NUM_THREADS="1")
    return subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout, env=env)


@unittest.skipUnless(shutil.which("valgrind"), "valgrind not installed (Debian package valgrind; "
                     "scripts/install-deps.sh installs it): memcheck SKIPPED")
class Memcheck(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="carecast-memcheck-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def clean(self, args, exit_code):
        start = time.time()
        result = valgrind(args)
        print("  %5.1f s  carecast %s" % (time.time() - start, " ".join(args)), file=sys.stderr)
        summary = re.findall(r"ERROR SUMMARY: (\d+) errors", result.stderr)
        report = "\n".join(line for line in result.stderr.splitlines() if line.startswith("=="))
        self.assertNotEqual(result.returncode, VALGRIND_ERROR, "memcheck reported errors:\n" + report)
        self.assertEqual(summary, ["0"], "memcheck's summary:\n" + report)
        self.assertEqual(result.returncode, exit_code, result.stderr)
        return result

    def test_end_to_end_run(self):
        out = os.path.join(self.tmp, "kashiwa.h5")
        self.clean(["run", "scenarios/kashiwa.ini", "-n", "2", "--set", "coverage.replications=1",
                    "--set", "simulation.end_year=2030", "-j", "1", "-q", "-o", out], 0)
        self.assertTrue(os.path.isfile(out))
        charts = os.path.join(self.tmp, "charts")
        self.clean(["plot", out, "-o", charts, "-q"], 0)
        self.assertIn("duty_nights.png", os.listdir(charts))

    def test_check(self):
        self.clean(["check", "scenarios/kashiwa.ini"], 0)

    def test_failing_inputs(self):
        for case, scenario in (("ini-hex-number", "scenario.ini"), ("csv-quoted-field-to-eof", "scenario.ini"),
                               ("base-cycle", "a.ini"), ("csv-huge-cell", "scenario.ini")):
            with self.subTest(case=case):
                out = os.path.join(self.tmp, "out.h5")
                self.clean(["run", os.path.join(CATALOGUE, case, scenario), "-n", "2", "-q", "-o", out], 3)
                self.assertFalse(os.path.exists(out))

    def test_missing_output_folder(self):
        out = os.path.join(self.tmp, "no-such-folder", "out.h5")
        self.clean(["run", os.path.join(CATALOGUE, "_base", "scenario.ini"), "-n", "2", "-q", "-o", out], 1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=BIN, help="the carecast program (default: build/carecast)")
    options, rest = parser.parse_known_args()
    BIN = os.path.abspath(options.bin)
    if not shutil.which("valgrind"):
        print("memcheck SKIPPED: valgrind not installed (Debian package valgrind; scripts/install-deps.sh "
              "installs it)", file=sys.stderr)
        sys.exit(0)
    unittest.main(argv=[sys.argv[0], "-v"] + rest)
