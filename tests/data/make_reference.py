#!/usr/bin/python3
"""Write tests/data/reference-{one,two,capacity,japan}.npz: every dataset (outside /provenance) of a results
file written by a carecast binary, as NumPy arrays keyed by dataset path, with the command that
wrote it under the key "__args__". tests/test_results_reference.py runs the current binary with
the same arguments and requires every one of these datasets to read back equal.

The committed files hold the values of the model as issue 9 left it (year points on 1 October
reached by a part-year first step, the deaths-weighted Lee-Carter fit, the oldest-old model,
grouped rates spread by Gompertz, the 2023 mortality start, persistent migration, the damped
demand trends and drawn enrolment factors); they were first written by the program as it was
before the results file became netCDF-4 readable (commit 0a81210). Rewrite them only when the
model is meant to change, from the commit that changes it:

    /usr/bin/python3 tests/data/make_reference.py OLD/build/carecast OLD/scenarios

Small on purpose (3 replications, 2025-2030): an .npz of the values, not the HDF5 file itself,
whose metadata would be ten times larger than its data.
"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = {  # name: scenarios and options beyond OPTIONS
    "one": ["kashiwa.ini"],
    "two": ["kashiwa.ini", "kashiwa-shift.ini"],
    "capacity": ["kashiwa.ini", "kashiwa-shift.ini", "--set", "demand.bed_capacity=3500"],
    "japan": ["japan.ini"],
}
OPTIONS = ["-n", "3", "--set", "simulation.end_year=2030", "-q", "-j", "1"]


def arrays_of(path):
    """{dataset path: array} of every dataset outside /provenance; strings as str arrays."""
    found = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and name.split("/")[0] != "provenance":
            value = obj[()]
            if value.dtype.kind in "OS":
                value = np.array([v.decode() if isinstance(v, bytes) else str(v) for v in value], dtype=str)
            found[name] = value
    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return found


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    binary, scenarios = argv[1], argv[2]
    for name, args in RUNS.items():
        args = args + OPTIONS
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, name + ".h5")
            subprocess.run([binary, "run"] + [os.path.join(scenarios, a) if a.endswith(".ini") else a for a in args]
                           + ["-o", out], check=True)
            arrays = arrays_of(out)
        arrays["__args__"] = np.array(args, dtype=str)
        target = os.path.join(HERE, "reference-%s.npz" % name)
        np.savez_compressed(target, **arrays)
        print("%s: %d datasets, %d bytes" % (target, len(arrays) - 1, os.path.getsize(target)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
