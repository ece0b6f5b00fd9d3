#!/usr/bin/python3
"""Check a `carecast batch` results file against the register it was built from.

Usage: /usr/bin/python3 scripts/check-batch.py RESULTS.h5 [--limit N]

Checks, and prints: the scenario axis holds the first N (default: all 1,741) municipalities
of scenarios/data/jp_municipal_register_2025_5y_sex.csv (batch_unit `municipality` or
`municipality_hamadori`), each once, in code order, named <code>_<name>; each one's base
population (/population/base, male + female) equals the sum of its register's both-sexes
(`total`) rows; and the sum over all of them (124,323,978 for the whole batch). Exits 1 on
any mismatch.
"""
import argparse
import collections
import csv
import os
import sys

import h5py
import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGISTER = os.path.join(REPO, "scenarios", "data", "jp_municipal_register_2025_5y_sex.csv")


def municipalities():
    """[(scenario name, sum of the total rows)] in code order."""
    totals, names = collections.OrderedDict(), {}
    with open(REGISTER, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["batch_unit"] not in ("municipality", "municipality_hamadori"):
                continue
            names[r["area_code"]] = r["municipality"]
            if r["sex"] == "total":
                totals[r["area_code"]] = totals.get(r["area_code"], 0) + int(r["population"])
    return [("%s_%s" % (code, names[code]), totals[code]) for code in sorted(totals)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--limit", type=int, default=None, help="the batch ran the first N municipalities")
    args = parser.parse_args()
    expected = municipalities()
    if args.limit is not None:
        expected = expected[:args.limit]
    failures = []
    with h5py.File(args.results, "r") as f:
        names = [s.decode() if isinstance(s, bytes) else s for s in f["scenario"][()]]
        sexes = [s.decode() if isinstance(s, bytes) else s for s in f["sex"][()]]
        base = f["population/base"][()]  # [scenario, sex, age]
        replications = f["replication"].shape[0]
        years = f["year"][()]
    print("%s: %d scenarios, %d replications, years %d-%d" % (args.results, len(names), replications, years[0], years[-1]))
    if len(set(names)) != len(names):
        failures.append("%d scenario names repeated" % (len(names) - len(set(names))))
    if names != [n for n, _ in expected]:
        missing = sorted(set(n for n, _ in expected) - set(names))[:5]
        extra = sorted(set(names) - set(n for n, _ in expected))[:5]
        failures.append("scenario axis differs from the register's municipalities in code order "
                        "(missing %s, unexpected %s)" % (missing, extra))
    by_sex = base[:, sexes.index("male"), :].sum(axis=1) + base[:, sexes.index("female"), :].sum(axis=1)
    register = np.array([t for _, t in expected], dtype=float)
    if len(by_sex) == len(register):
        wrong = np.nonzero(np.abs(by_sex - register) > 0.5)[0]
        for i in wrong[:5]:
            failures.append("%s: base %.0f, register total rows %d" % (names[i], by_sex[i], register[i]))
        if len(wrong) > 5:
            failures.append("... %d municipalities in all" % len(wrong))
    print("base populations (male + female) summed: %.0f" % by_sex.sum())
    print("register's both-sexes rows of the same municipalities: %d" % register.sum())
    print("municipalities each once, in code order: %s" % ("yes" if names == [n for n, _ in expected] else "NO"))
    for line in failures:
        print("FAIL: " + line)
    if failures:
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
