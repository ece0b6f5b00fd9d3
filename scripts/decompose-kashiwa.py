#!/usr/bin/python3
"""Where Kashiwa's older population comes from: carecast's 75+ and 85+ (expected values, 1 October)
under kashiwa.ini and with one ingredient changed at a time, so the README can say how much
each choice moves them:
  - mortality: the 2020 complete life table with five years of trend to 2025 (mortality_year 2020)
    instead of the 2023 level (the table scaled to MHLW's 2023 e0, mortality_year 2023);
  - migration: none instead of the level calibrated to IPSS 2023's totals;
  - base: the register split into single ages uniformly instead of by the spline.
IPSS 2023's own Kashiwa figures by age are not in the data (only its totals), so the official
side of the comparison is the totals alone.
Usage: scripts/decompose-kashiwa.py [--bin build/carecast]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
YEARS = (2030, 2035, 2040, 2045, 2050)


def run(binary, out, ini_text=None, *overrides):
    scenario = os.path.join(ROOT, "scenarios", "kashiwa.ini")
    if ini_text:
        path = os.path.join(os.path.dirname(out), "variant.ini")
        with open(path, "w") as f:
            f.write("[scenario]\nbase = %s\nname = kashiwa\n%s" % (scenario, ini_text))
        scenario = path
    subprocess.run([binary, "run", scenario, "-q", "--no-table", "-n", "1", "-o", out,
                    "--set", "simulation.expected_values=true", "--set", "coverage.replications=1", *overrides],
                   check=True)
    with h5py.File(out, "r") as f:
        years = list(f["axes/year"][:])
        by_age = f["population/by_age/mean"][0, :, 2, :]
        return {y: (by_age[years.index(y), 75:].sum(), by_age[years.index(y), 85:].sum(), by_age[years.index(y)].sum())
                for y in YEARS}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "carecast"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = run(args.bin, os.path.join(tmp, "a.h5"))
        variants = [
            ("mortality: 2020 table + trend from 2020", run(args.bin, os.path.join(tmp, "b.h5"),
             "[population]\nmortality = %s\nmortality_year = 2020\n" % os.path.join(ROOT, "scenarios", "data", "jp_lifetable_2020_1x1.csv"))),
            ("migration: none", run(args.bin, os.path.join(tmp, "c.h5"),
             "[migration]\nschedule = none\ncalibrate_to =\n")),
            ("base: uniform split of the register", run(args.bin, os.path.join(tmp, "d.h5"), None,
             "--set", "population.age_split=uniform")),
        ]
    print("| year | 75+ | 85+ | total | " + " | ".join("%s: 75+ / 85+" % name for name, _ in variants) + " |")
    print("|---" * (4 + len(variants)) + "|")
    for y in YEARS:
        a75, a85, tot = base[y]
        cells = ["%+.1f%% / %+.1f%%" % (100 * (v[y][0] / a75 - 1), 100 * (v[y][1] / a85 - 1)) for _, v in variants]
        print("| %d-10-01 | {:,.0f} | {:,.0f} | {:,.0f} | %s |".format(a75, a85, tot) % (y, " | ".join(cells)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
