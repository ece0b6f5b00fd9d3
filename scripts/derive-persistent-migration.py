#!/usr/bin/python3
"""Derive [migration] persistent_sd from how far IPSS 2013's projection for Kashiwa missed.

IPSS 2013 projected Kashiwa from the 2010 census (scenarios/data/kashiwa_population_series.csv,
rows CHIIKI). It missed the 2020 census (10 years on) and the 2025-01-01 register moved to
1 October 2025 by Kashiwa's recent growth (15 years on). A random walk of sd s a year in the net
migration rate moves the total after T years by about s * sqrt(sum_{j=1..T} j^2) of itself; the
scale is the s that puts the 15-year miss on the edge of the 90% band (z = 1.645). Prints the
misses, the s each would need, and the value used.
Usage: scripts/derive-persistent-migration.py
"""
import csv
import math
import os

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios", "data")
Z90 = 1.645


def rows(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    series = rows("kashiwa_population_series.csv")
    ipss = {int(r["year"]): float(r["value"]) for r in series
            if r["basis"] == "IPSS2013_projection" and r["indicator"] == "total" and r["sex"] == "total"}
    census2020 = 426468.0  # final 2020 census count (IPSS 2023's base, kashiwa_ipss2023_totals.csv)
    for r in rows("kashiwa_ipss2023_totals.csv"):
        if r["year"] == "2020":
            census2020 = float(r["total_population"])
    register = sum(float(r["population"]) for r in rows("kashiwa_register_2025_5y_sex.csv"))
    # moved from 1 January to 1 October 2025 at the 2020-2025 growth rate (census 2020 to register)
    growth = (register / census2020) ** (1 / 4.25) - 1
    oct2025 = register * (1 + growth) ** 0.75
    misses = ((10, 2020, census2020, "2020 census"), (15, 2025, oct2025, "2025 register moved to 1 October"))
    print("| years after 2010 | IPSS 2013 | counted | miss | s for a 90% band edge |")
    print("|---|---|---|---|---|")
    needed = []
    for years, year, counted, label in misses:
        miss = ipss[year] / counted - 1
        s = abs(miss) / (Z90 * math.sqrt(sum(j * j for j in range(1, years + 1))))
        needed.append(s)
        print("| %d | %s | %s (%s) | %+.2f%% | %.5f |" % (years, "{:,.0f}".format(ipss[year]), "{:,.0f}".format(counted),
                                                       label, 100 * miss, s))
    print("growth used to move the register: %+.2f%% a year" % (100 * growth))
    print("persistent_sd: the larger, %.5f (the registry default of [migration] persistent_sd)" % max(needed))


if __name__ == "__main__":
    main()
