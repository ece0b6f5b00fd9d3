#!/usr/bin/python3
"""Demand back-test (make validate): how much drift in the treatment rates the surveys imply.

1. Consistency: the engine's expected 2005 national demand from the 2005 rates by sex and age
   and the 2005 census must be within 1% of the 2005 survey's all-age rates (1,145 inpatients
   and 5,551 outpatients per 100,000; those totals include patients of unknown age, so the
   engine is expected slightly below).
2. Trend: Japan's population of 2014 (interpolated between the 2010 and 2015 censuses, group by
   group) and of 2017, 2020 and 2023 (japan.ini's all-median projection), at 2005 rates, against
   each later survey's all-age rate: the annual trend that carries the 2005 rates there.
Prints the table; exits 1 if the 2005 consistency is off by more than 1%.
Usage: scripts/validate-demand.py [--bin build/carecast]
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "scenarios", "data")
# all-age rates per 100,000 (Patient Survey; scenarios/data/SOURCES.md)
OFFICIAL = {2005: (1145, 5551), 2014: (1038, 5696), 2017: (1036, 5675), 2020: (960, 5658), 2023: (945, 5850)}

DEMAND_2005 = """
[demand]
inpatient_rates = {data}/jp_inpatient_rates_2005.csv
outpatient_rates = {data}/jp_outpatient_rates_2005.csv
home_care_rates = {data}/demand_home_care_rates_2023.csv
rates_year = 2005
inpatient_trend = 0
outpatient_trend = 0
"""


def census_scenario(path, population, year):
    with open(path, "w") as f:
        f.write("[simulation]\nbase_year = {y}\nend_year = {y}\nexpected_values = true\nreplications = 1\n"
                "[population]\nbase_population = {pop}\nmortality = {data}/jp_death_rates_2015_5y_sex.csv\n"
                "fertility = {data}/jp_asfr_2015_1x1.csv\n".format(y=year, pop=population, data=DATA))
        f.write(DEMAND_2005.format(data=DATA))


def japan_scenario(path):
    with open(path, "w") as f:
        f.write("[scenario]\nbase = {root}/scenarios/japan.ini\n[simulation]\nend_year = 2023\n"
                "expected_values = true\nreplications = 1\n".format(root=ROOT))
        f.write(DEMAND_2005.format(data=DATA))


def interpolate_2014(path):
    rows = {}
    for year, weight in (("2010", 0.2), ("2015", 0.8)):
        with open(os.path.join(DATA, "jp_census_%s_5y_sex.csv" % year), newline="") as f:
            for r in csv.DictReader(f):
                key = (r["sex"], r["age_lo"], r["age_hi"])
                rows[key] = rows.get(key, 0.0) + weight * float(r["population"])
    with open(path, "w") as f:
        f.write("sex,age_lo,age_hi,population\n")
        for (sex, lo, hi), value in rows.items():
            f.write("%s,%s,%s,%.0f\n" % (sex, lo, hi, value))


def rates(binary, scenario, out, years):
    subprocess.run([binary, "run", scenario, "-q", "-o", out], check=True)
    with h5py.File(out, "r") as f:
        axis = list(f["axes/year"][:])
        result = {}
        for year in years:
            y = axis.index(year)
            people = f["population/total/mean"][0, y, 2]
            result[year] = tuple(f["demand/%s/mean" % s][0, y, 2, 4] / people * 1e5 for s in ("inpatient", "outpatient"))
        return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "carecast"))
    args = parser.parse_args()
    engine = {}
    with tempfile.TemporaryDirectory() as tmp:
        census_scenario(os.path.join(tmp, "c2005.ini"), os.path.join(DATA, "jp_census_2005_5y_sex.csv"), 2005)
        engine.update(rates(args.bin, os.path.join(tmp, "c2005.ini"), os.path.join(tmp, "c2005.h5"), [2005]))
        interpolate_2014(os.path.join(tmp, "p2014.csv"))
        census_scenario(os.path.join(tmp, "c2014.ini"), os.path.join(tmp, "p2014.csv"), 2014)
        engine.update(rates(args.bin, os.path.join(tmp, "c2014.ini"), os.path.join(tmp, "c2014.h5"), [2014]))
        japan_scenario(os.path.join(tmp, "japan.ini"))
        engine.update(rates(args.bin, os.path.join(tmp, "japan.ini"), os.path.join(tmp, "japan.h5"), [2017, 2020, 2023]))
    print("| year | setting | official per 100k | engine at 2005 rates | implied annual trend since 2005 |")
    print("|---|---|---|---|---|")
    ok = True
    for year in sorted(OFFICIAL):
        for k, setting in enumerate(("inpatient", "outpatient")):
            official, mine = OFFICIAL[year][k], engine[year][k]
            if year == 2005:
                gap = mine / official - 1
                ok &= abs(gap) <= 0.01
                note = "consistency %+.2f%% (limit ±1%%)" % (100 * gap)
            else:
                note = "%+.2f%%/year" % (100 * ((official / mine) ** (1.0 / (year - 2005)) - 1))
            print("| %d | %s | %s | %.1f | %s |" % (year, setting, "{:,}".format(official), mine, note))
    print("\ndemand back-test: %s" % ("passed" if ok else "FAILED: 2005 consistency off by more than 1%"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
