"""Shared helpers of the carecast command-line tests (tests/test_*.py).

Runs the real program (build/carecast under the repository root, or $CARECAST_BIN) in
temporary folders, builds small scenarios whose line numbers are known, and reads the key
registry straight from src/scenario/keys.c so the tests do not trust the program's own
listing of it. Standard library only (plus numpy / h5py in the tests that need them).
"""
import os
import re
import shutil
import subprocess
import unittest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Exit codes of src/cli/main.c
EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

NOBODY = 65534


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
    keys = re.findall(r'\{\s*"(\w+)"\s*,\s*"(\w+)"\s*,\s*CC_KEY_(\w+)', text)
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
