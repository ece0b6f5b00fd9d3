"""Small results files for the tests of `carecast summary`, `export` and `report`
(tests/test_summary_export.py, tests/test_report.py), each made once per test process:

  run_file()          `carecast run` of Kashiwa, 4 replications, coverage for 2030 only (2 replications)
  no_coverage_file()  the same without the on-call stage (a file lacking /coverage)
  capacity_file()     `carecast capacity`, 2 replications, 2030, no most-patients search
  sensitivity_file()  `carecast sensitivity`, 3 replications, three parameters, no doctors needed
  hostile_file()      a run whose scenario is named with backquotes, $(...), system("touch pwned"),
                      quotes, a comma and <script>; then, as a crafted file could be, its /scenario
                      axis rewritten (h5py) to hold newlines, a CR and a tab as well (the loader
                      refuses control characters, a results file need not come from it)
HOSTILE is the final name; PWNED the file name that must never appear.
"""
import os

import carecast_testlib as T

PWNED = "pwned"
LOADER_NAME = '`touch pwned` $(touch pwned) system("touch pwned") <script>alert(1)<script> \'q\' "dq" a,b & c'
HOSTILE = LOADER_NAME + '\nsecond line\r\n\tsystem("touch pwned")\n</script><script>alert(2)</script>'

_FILES = {}


def _make(name, args):
    if name not in _FILES:
        path = os.path.join(T.session_folder(), "summary-%s.h5" % name)
        result = T.run(args + ["-o", path], timeout=600)
        assert result.returncode == 0, "%s failed: %s" % (args, result.stderr)
        _FILES[name] = path
    return _FILES[name]


def run_file():
    return _make("run", ["run", T.scenario_path("kashiwa.ini"), "-n", "4", "--set", "coverage.replications=2",
                         "--set", "coverage.target_years=2030", "-q", "--no-table"])


def no_coverage_file():
    return _make("nocov", ["run", T.without_coverage("kashiwa.ini"), "-n", "3", "-q"])


def capacity_file():
    return _make("capacity", ["capacity", T.scenario_path("kashiwa.ini"), "-n", "2", "--years", "2030",
                              "--no-max-patients", "-q"])


def sensitivity_file():
    return _make("sensitivity", ["sensitivity", T.scenario_path("kashiwa.ini"), "-n", "3", "--params",
                                 "demand.occupancy,demand.dental_share,coverage.absence_days",
                                 "--capacity-replications", "0", "-q"])


def hostile_file():
    if "hostile" not in _FILES:
        import h5py
        ini = T.scenario_file("hostile.ini", "[scenario]\nbase = %s\nname = %s\n\n[coverage]\ntarget_years = 2030\n"
                              % (T.scenario_path("kashiwa.ini"), LOADER_NAME))
        path = _make("hostile-loader", ["run", ini, "-n", "3", "--set", "coverage.replications=2", "-q",
                                        "--no-table"])
        with h5py.File(path, "r+") as f:
            assert f["scenario"][0].decode() == LOADER_NAME
            f["scenario"][0] = HOSTILE
        _FILES["hostile"] = path
    return _FILES["hostile"]


def pwned_anywhere(*folders):
    """The folders (and the usual places a shell would run in) that hold a file named PWNED."""
    places = set(folders) | {os.getcwd(), T.REPO_ROOT, "/tmp", T.session_folder()}
    return [p for p in places if os.path.exists(os.path.join(p, PWNED))]
