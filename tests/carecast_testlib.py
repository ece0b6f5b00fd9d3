"""Shared helpers of the carecast command-line tests (tests/test_*.py).

Runs the real program (build/carecast under the repository root, or $CARECAST_BIN) in
temporary folders, builds small scenarios whose line numbers are known, and reads the key
registry straight from src/scenario/keys.c so the tests do not trust the program's own
listing of it. Standard library only (plus numpy / h5py in the tests that need them).

Shared scaffolding:
  cached_results(*args)   `carecast run ARGS` once per distinct ARGS in the test process (every
                          test module shares the run), its file opened read-only on demand;
  scenario_file(name, text)  a derived scenario written once into the session's folder;
  without_coverage(name)  a shipped scenario with the on-call stage off (same [scenario] name),
                          for tests of the population and demand stages;
  InputErrorCase          the bad-input contract (one error line naming file, line and field,
                          exit code, no results file, an existing one untouched);
  bad_table(...)          one row of a bad-table catalogue: {table, csv text, code, line, field}.
"""
import atexit
import os
import re
import shutil
import subprocess
import tempfile
import unittest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Exit codes of src/cli/main.c
EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

NOBODY = 65534

# The second pass of `make check` (AddressSanitizer + UBSan build) sets CARECAST_SANITIZED: a
# test whose program under test is not the sanitized carecast (the MPI program, netCDF clients)
# or that repeats one path many times skips there, saying so; the normal pass runs it.
SANITIZED = bool(os.environ.get("CARECAST_SANITIZED"))


def skip_when_sanitized(reason):
    """Decorator: skip in the sanitized pass of make check (reason: why it adds nothing there)."""
    return unittest.skipIf(SANITIZED, "sanitized pass: " + reason)


def carecast_bin():
    return os.environ.get("CARECAST_BIN") or os.path.join(REPO_ROOT, "build", "carecast")


def require_binary(testcase_cls):
    """Class decorator: skip the whole class (with a reason) when the binary is missing."""
    path = carecast_bin()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        return unittest.skip("carecast binary not found at %s (run `make` first)" % path)(testcase_cls)
    return testcase_cls


def run(args, cwd=None, as_nobody=False, timeout=120, env=None):
    """Run carecast with args; returns subprocess.CompletedProcess (text mode)."""
    cmd = [carecast_bin()] + [str(a) for a in args]
    if as_nobody:
        cmd = [shutil.which("setpriv"), "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY,
               "--clear-groups"] + cmd
    full_env = dict(os.environ)
    full_env.setdefault("OMP_NUM_THREADS", "2")
    if env:
        full_env.update(env)
    return subprocess.run(cmd, cwd=cwd or REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout, env=full_env)


def can_drop_privileges():
    """True when we are root and setpriv exists (so an unreadable-file test means something)."""
    return os.geteuid() == 0 and shutil.which("setpriv") is not None


def source_root():
    """The source tree the binary was built from: the folder above build/ when $CARECAST_BIN
    points into another checkout that has src/scenario/keys.c, else this repository."""
    candidate = os.path.dirname(os.path.dirname(os.path.abspath(carecast_bin())))
    if os.path.isfile(os.path.join(candidate, "src", "scenario", "keys.c")):
        return candidate
    return REPO_ROOT


def scenario_path(name):
    """Absolute path of a shipped scenario (scenarios/NAME) of the binary's source tree."""
    return os.path.join(source_root(), "scenarios", name)


def version():
    """CC_VERSION from include/carecast/carecast.h."""
    with open(os.path.join(source_root(), "include", "carecast", "carecast.h")) as f:
        return re.search(r'#define\s+CC_VERSION\s+"([^"]+)"', f.read()).group(1)


def registry(with_types=False):
    """[(section, name), ...] (or (section, name, type) with types: "PATH", "INT", ...) of
    every key declared in src/scenario/keys.c, in registry order."""
    with open(os.path.join(source_root(), "src", "scenario", "keys.c")) as f:
        text = f.read()
    keys = re.findall(r'\{\s*"(\w+)"\s*,\s*"([\w.]+)"\s*,\s*CC_KEY_(\w+)', text)
    assert keys, "no keys found in src/scenario/keys.c"
    return keys if with_types else [(section, name) for section, name, _ in keys]


def registry_keys():
    return registry()


def parse_ini(text):
    """{section: {key: value}} of scenario text, as carecast reads it (';' comments)."""
    import configparser
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",), comment_prefixes=(";", "#"),
                                       interpolation=None, strict=True)
    parser.optionxform = str
    parser.read_string(text.lstrip("\ufeff"))
    return {section: dict(parser[section]) for section in parser.sections()}


def read_ini(path):
    with open(path, encoding="utf-8-sig") as f:
        return parse_ini(f.read())


def read_csv_rows(path):
    """Rows of a CSV file as dicts (header from the first row); BOM and CRLF tolerated."""
    import csv
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------------------------------------
# A small valid scenario with hand-written tables, so every line number is known.

MINI_INI = """\
; mini scenario for the carecast CLI tests
[scenario]
name = mini

[simulation]
seed = 7
replications = 3
base_year = 2025
end_year = 2030

[population]
base_population = population.csv
age_split = spline
mortality = mortality.csv
fertility = fertility.csv
sex_ratio_at_birth = 1.05
"""

# (age_lo, age_hi or "", male, female)
MINI_GROUPS = [
    (0, 19, 2000, 1900),
    (20, 39, 2500, 2400),
    (40, 64, 3100, 3200),
    (65, 74, 1200, 1400),
    (75, 84, 800, 1100),
    (85, 99, 300, 600),
    (100, "", 2, 9),
]


def mini_population_csv():
    lines = ["sex,age_lo,age_hi,population"]
    for sex_index, sex in enumerate(("male", "female")):
        for lo, hi, male, female in MINI_GROUPS:
            lines.append("%s,%s,%s,%s" % (sex, lo, hi, male if sex_index == 0 else female))
    return "\n".join(lines) + "\n"


def mini_qx(age, sex):
    """A Gompertz-like probability of dying, 0 < q < 1, a little higher for men."""
    q = 0.0004 * (1.6 if sex == "male" else 1.0) * 1.095 ** max(0, age - 25)
    if age == 0:
        q = 0.002
    return min(q, 0.6)


def mini_mortality_csv():
    lines = ["sex,age,qx"]
    for sex in ("male", "female"):
        for age in range(0, 101):
            lines.append("%s,%d,%.6f" % (sex, age, mini_qx(age, sex)))
    return "\n".join(lines) + "\n"


def mini_fertility_csv():
    lines = ["age,asfr"]
    for age in range(15, 50):
        lines.append("%d,%.4f" % (age, 0.045 if 25 <= age <= 39 else 0.01))
    return "\n".join(lines) + "\n"


def mini_files():
    """{file name: text} of the mini scenario."""
    return {
        "scenario.ini": MINI_INI,
        "population.csv": mini_population_csv(),
        "mortality.csv": mini_mortality_csv(),
        "fertility.csv": mini_fertility_csv(),
    }


def write_files(folder, files):
    for name, text in files.items():
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", newline="") as f:
            f.write(text)


def line_of(text, pattern):
    """1-based number of the first line of text that starts with pattern (after spaces)."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(pattern):
            return number
    raise AssertionError("no line starting with %r in:\n%s" % (pattern, text))


def replace_line(text, pattern, new_line):
    """text with the first line starting with pattern replaced by new_line (None: deleted)."""
    lines = text.splitlines()
    number = line_of(text, pattern)
    if new_line is None:
        del lines[number - 1]
    else:
        lines[number - 1] = new_line
    return "\n".join(lines) + "\n"


def insert_after(text, pattern, new_line):
    lines = text.splitlines()
    number = line_of(text, pattern)
    lines.insert(number, new_line)
    return "\n".join(lines) + "\n"


def temp_leftovers(folder):
    """Temporary results files (.NAME.tmp-XXXXXX) left in folder."""
    return [name for name in os.listdir(folder) if ".tmp-" in name]


# ---------------------------------------------------------------------------------------------
# Run once, open the file: runs shared by every test of the process.

_SESSION = {"folder": None, "runs": {}, "files": []}


def session_folder():
    """A temporary folder for the whole test process, removed when it ends."""
    if _SESSION["folder"] is None:
        _SESSION["folder"] = tempfile.mkdtemp(prefix="carecast-tests-")
        atexit.register(_cleanup_session)
    return _SESSION["folder"]


def _cleanup_session():
    for handle in _SESSION["files"]:
        try:
            handle.close()
        except Exception:  # noqa: BLE001 - closing at exit, nothing to report
            pass
    shutil.rmtree(_SESSION["folder"], ignore_errors=True)


class Results:
    """One finished `carecast run`: result (subprocess.CompletedProcess) and path of its file.
    The file is shared between tests: read it, never change it."""

    def __init__(self, result, path):
        self.result, self.path = result, path
        self._h5 = None

    @property
    def ok(self):
        return self.result.returncode == 0

    def check(self, testcase):
        """Fail testcase (with carecast's stderr) unless the run succeeded and wrote its file."""
        testcase.assertEqual(self.result.returncode, 0, self.result.stderr)
        testcase.assertTrue(os.path.isfile(self.path), "no results file " + self.path)

    def open(self):
        """The results file, opened read-only once and kept open for the process (h5py.File)."""
        if self._h5 is None:
            import h5py
            self._h5 = h5py.File(self.path, "r")
            _SESSION["files"].append(self._h5)
        return self._h5


def cached_results(*args):
    """`carecast run ARGS -o FILE` once per distinct ARGS (scenario paths and options, without
    -o) in this process; later calls with the same ARGS return the same Results."""
    key = tuple(str(a) for a in args)
    if key not in _SESSION["runs"]:
        path = os.path.join(session_folder(), "run-%d.h5" % len(_SESSION["runs"]))
        _SESSION["runs"][key] = Results(run(["run"] + list(key) + ["-o", path]), path)
    return _SESSION["runs"][key]


def scenario_file(name, text):
    """Write a (derived) scenario into the session folder once; returns its path. A second call
    with the same name must give the same text."""
    path = os.path.join(session_folder(), name)
    if os.path.exists(path):
        with open(path) as f:
            assert f.read() == text, "scenario_file(%r) called with two different texts" % name
    else:
        with open(path, "w") as f:
            f.write(text)
    return path


def without_coverage(name):
    """Path of a scenario derived from the shipped scenarios/NAME with the on-call stage off
    ([coverage] clinics empty), under the same [scenario] name. The coverage stage reads the
    demand stage's results and changes nothing in /population or /demand, so tests of those
    stages run it to save the on-call simulation's time."""
    shipped = scenario_path(name)
    scenario_name = read_ini(shipped)["scenario"]["name"]
    return scenario_file("%s-no-coverage.ini" % scenario_name,
                         "[scenario]\nbase = %s\nname = %s\n\n[coverage]\nclinics =\n" % (shipped, scenario_name))


# ---------------------------------------------------------------------------------------------
# The bad-input contract, and bad-table catalogues.

EXISTING_BYTES = b"not an HDF5 file: carecast must leave these bytes alone\n" + bytes(range(256))


def bad_table(label, table, csv, line, field, code=EXIT_INPUT, contains=()):
    """One row of a bad-table catalogue: the table's name in the scenario folder, its whole
    (broken) CSV text, the exit code, the line and the field the one-line message must name
    (line or field may be a tuple of acceptable values), and further text it must hold."""
    return {"label": label, "table": table, "csv": csv, "code": code, "line": line, "field": field,
            "contains": tuple(contains)}


def edit_row(text, prefix, new_line, report_at=None):
    """(changed text, reported line): the row of text starting with prefix replaced by new_line
    (None: deleted); the line an error should name is that row's line in text, or with
    report_at the line of the row starting with report_at in the changed text."""
    changed = replace_line(text, prefix, new_line)
    return changed, line_of(changed, report_at) if report_at else line_of(text, prefix)


class InputErrorCase:
    """Mixin of unittest.TestCase for the bad-input contract. A subclass gives files() -> {name:
    text} of a valid scenario (scenario.ini and its tables)."""

    def files(self):
        return mini_files()

    def build(self, folder, ini=None, tables=None, drop=()):
        """Write files() into folder, with ini(text) -> text and tables {name: fn(text) -> text}
        applied, and the files in drop left out."""
        files = self.files()
        if ini:
            files["scenario.ini"] = ini(files["scenario.ini"])
        for name, change in (tables or {}).items():
            files[name] = change(files[name])
        for name in drop:
            del files[name]
        write_files(folder, files)
        return files

    def expect_input_error(self, ini=None, tables=None, drop=(), extra_args=(), file=None, line=None,
                           field=None, contains=(), exit_code=EXIT_INPUT, prepare=None, as_nobody=False,
                           output=None, replications_arg=True, existing_variant=True):
        """Run the broken scenario twice (no output file yet / an existing one) and check the
        error contract. file is a name inside the temp folder (or a callable of the folder);
        line the expected line number (None: no line applies; a tuple: any of them); field the
        field named (a tuple: any of them); contains further substrings the message must hold
        (callables of the folder allowed). Returns the stderr line of the first variant."""
        if as_nobody and os.geteuid() == 0 and not can_drop_privileges():
            self.skipTest("running as root and setpriv is missing: cannot make a file unreadable")
        first_message = None
        for existing in (False, True) if existing_variant else (False,):
            with self.subTest(existing_output=existing), tempfile.TemporaryDirectory() as tmp:
                files = self.build(tmp, ini, tables, drop)
                out = os.path.join(tmp, "out.h5") if output is None else output(tmp)
                if existing:
                    with open(out, "wb") as f:
                        f.write(EXISTING_BYTES)
                if prepare:
                    prepare(tmp, files)
                if as_nobody and os.geteuid() == 0:
                    os.chmod(tmp, 0o777)  # nobody may enter, read the rest, and write the output
                args = ["run", os.path.join(tmp, "scenario.ini"), "-o", out]
                args += (["-n", "2"] if replications_arg else []) + list(extra_args)
                result = run(args, as_nobody=as_nobody and os.geteuid() == 0)
                where = "stderr was:\n" + result.stderr
                if exit_code is None:  # any failure
                    self.assertNotEqual(result.returncode, 0, where)
                else:
                    self.assertEqual(result.returncode, exit_code, where)
                self.assertEqual(result.stdout, "", "nothing on stdout for an error")
                lines = result.stderr.splitlines()
                self.assertEqual(len(lines), 1, "exactly one line on stderr; " + where)
                message = lines[0]
                self.assertTrue(message.startswith("carecast: "), message)
                if file is not None:
                    path = file(tmp) if callable(file) else os.path.join(tmp, file)
                    self.assertIn(path, message, "the message names the file")
                    if line is not None:
                        numbers = "|".join(str(n) for n in (line if isinstance(line, tuple) else (line,)))
                        self.assertRegex(message, re.escape(path) + ":(%s)(?!\\d)" % numbers,
                                         "the message names the line")
                if field is not None:
                    fields = field if isinstance(field, tuple) else (field,)
                    self.assertRegex(message, "|".join("'%s'" % re.escape(f) for f in fields),
                                     "the message names the field")
                for text in contains:
                    self.assertIn(text(tmp) if callable(text) else text, message)
                if existing:
                    with open(out, "rb") as f:
                        self.assertEqual(f.read(), EXISTING_BYTES, "an existing results file is untouched")
                else:
                    self.assertFalse(os.path.exists(out), "no results file after an input error")
                out_dir = os.path.dirname(out)
                if os.path.isdir(out_dir):
                    self.assertEqual(temp_leftovers(out_dir), [], "no temporary file left behind")
                self.assertEqual(temp_leftovers(tmp), [], "no temporary file left behind")
                first_message = first_message or message
        return first_message

    def check_bad_tables(self, cases):
        """Every row of a bad-table catalogue (bad_table) against the contract; returns
        {label: message}."""
        self.assertEqual(len({case["label"] for case in cases}), len(cases), "labels are unique")
        messages = {}
        for case in cases:
            with self.subTest(case=case["label"]):
                messages[case["label"]] = self.expect_input_error(
                    tables={case["table"]: lambda text, csv=case["csv"]: csv}, file=case["table"],
                    line=case["line"], field=case["field"], exit_code=case["code"], contains=case["contains"])
        return messages
