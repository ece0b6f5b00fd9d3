#!/usr/bin/python3
"""Compare two carecast results files by value: every dataset of OLD (outside /provenance,
unless --provenance) must exist in NEW with the same shape, type class and values, exactly
(NaN equal to NaN). Datasets only in NEW (added scales and the like) are allowed.

    /usr/bin/python3 tests/results_compare.py OLD.h5 NEW.h5     # exit 0: equal, 1: differences

Used by tests/test_results_reference.py against the committed reference files."""
import sys

import h5py
import numpy as np


def datasets(f, skip_provenance=True):
    """{path: dataset} of every dataset reachable in f (hard links: each path once)."""
    found = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and not (skip_provenance and name.split("/")[0] == "provenance"):
            found[name] = obj
    f.visititems(visit)
    # visititems visits each object once: add every other name of the root scales' hard links
    for group in ("axes",):
        if group in f:
            for name, obj in f[group].items():
                if isinstance(obj, h5py.Dataset):
                    found["%s/%s" % (group, name)] = obj
    return found


def values_equal(a, b):
    if a.dtype.kind in "OSU" or b.dtype.kind in "OSU":
        decode = np.vectorize(lambda v: v.decode() if isinstance(v, bytes) else str(v), otypes=[object])
        return a.shape == b.shape and (a.size == 0 or bool(np.all(decode(a) == decode(b))))
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")


def compare(old_path, new_path, skip_provenance=True):
    """A list of differences (empty: every dataset of old reads back equal from new)."""
    problems = []
    with h5py.File(old_path, "r") as old, h5py.File(new_path, "r") as new:
        old_sets = datasets(old, skip_provenance)
        if not old_sets:
            problems.append("%s holds no datasets" % old_path)
        for name, dset in sorted(old_sets.items()):
            if name not in new or not isinstance(new[name], h5py.Dataset):
                problems.append("missing in new file: /%s" % name)
                continue
            a, b = dset[()], new[name][()]
            if dset.dtype.kind != new[name].dtype.kind:
                problems.append("/%s: type %s became %s" % (name, dset.dtype, new[name].dtype))
            elif not values_equal(np.asarray(a), np.asarray(b)):
                problems.append("/%s: values differ" % name)
    return problems


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    problems = compare(argv[1], argv[2])
    for p in problems:
        print(p)
    print("%s: %s" % (argv[2], "differs" if problems else "every dataset of %s is equal" % argv[1]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
