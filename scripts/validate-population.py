#!/usr/bin/python3
"""Population validation (make validate): carecast against the official projections.

Runs japan.ini (to 2025 and, extended, to 2065) and kashiwa.ini with 200 replications and
compares medians with IPSS 2017 (Japan) and IPSS 2023 (Kashiwa). Prints the tables the README
quotes and exits non-zero when a comparison is outside its tolerance.
Usage: scripts/validate-population.py [--bin build/carecast] [--out DIR]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(binary, scenario, out, *extra):
    subprocess.run([binary, "run", os.path.join(ROOT, "scenarios", scenario), "-n", "200", "-q", "-o", out, *extra],
                   check=True)
    return h5py.File(out, "r")


def median(f, series, year, sex=2):
    years = list(f["axes/year"][:])
    return float(f["population/%s/quantiles" % series][0, 2, years.index(year), sex])


def band(f, series, year, sex=2):
    years = list(f["axes/year"][:])
    q = f["population/%s/quantiles" % series][0, :, years.index(year), sex]
    return float(q[0]), float(q[4])


def check(rows, label, value, official, tolerance, relative=True):
    diff = (value - official) / official if relative else value - official
    ok = abs(diff) <= tolerance
    shown = "%+.2f%%" % (100 * diff) if relative else "%+.2f" % diff
    limit = "±%g%%" % (100 * tolerance) if relative else "±%g" % tolerance
    rows.append("| %s | %s | %s | %s | %s | %s |" % (label, fmt(value), fmt(official), shown, limit, "ok" if ok else "FAIL"))
    return ok


def fmt(x):
    return "{:,.0f}".format(x) if abs(x) > 1000 else "%.2f" % x


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "carecast"))
    args = parser.parse_args()
    ok = True
    rows = ["| quantity | carecast median | official | difference | tolerance | |", "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        japan = run(args.bin, "japan.ini", os.path.join(tmp, "japan.h5"))
        ok &= check(rows, "Japan 75+ in 2025 (IPSS 2017 medium)", median(japan, "age75plus", 2025), 21.80e6, 0.02)
        total = median(japan, "total", 2025)
        rows.append("| Japan total in 2025 (IPSS 2017 medium; no migration here) | %s | 122,540,000 | %+.2f%% | (shown) | |"
                    % (fmt(total), 100 * (total / 122.54e6 - 1)))
        japan65 = run(args.bin, "japan.ini", os.path.join(tmp, "japan65.h5"), "--set", "simulation.end_year=2065")
        ok &= check(rows, "Japan e0 male 2065 (IPSS 2017)", median(japan65, "life_expectancy_0", 2065, 0), 84.95, 0.5, False)
        ok &= check(rows, "Japan e0 female 2065 (IPSS 2017)", median(japan65, "life_expectancy_0", 2065, 1), 91.35, 0.5, False)
        kashiwa = run(args.bin, "kashiwa.ini", os.path.join(tmp, "kashiwa.h5"))
        for year, official in ((2030, 439526), (2040, 440804), (2050, 435479)):
            ok &= check(rows, "Kashiwa total %d (IPSS 2023)" % year, median(kashiwa, "total", year), official, 0.01)
        print("\n".join(rows))
        print("\n90% bands (5th-95th percentile over 200 replications):")
        for name, f, series, year in (("Japan total", japan, "total", 2050), ("Japan 75+", japan, "age75plus", 2050),
                                      ("Kashiwa total", kashiwa, "total", 2050), ("Kashiwa 75+", kashiwa, "age75plus", 2050)):
            lo, hi = band(f, series, year)
            print("- %s %d: median %s, 90%% band %s to %s" % (name, year, fmt(median(f, series, year)), fmt(lo), fmt(hi)))
    print("\npopulation validation: %s" % ("passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
