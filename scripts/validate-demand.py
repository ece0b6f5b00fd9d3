#!/usr/bin/python3
"""Demand back-test (make validate): how much drift in the treatment rates the surveys imply.

1. Consistency: the engine's expected 2005 national demand from the 2005 rates by sex and age
   and the 2005 census must be within 1% of the 2005 survey's all-age rates (1,145 inpatients
   and 5,551 outpatients per 100,000; those totals include patients of unknown age, so the
   engine is expected slightly below).
2. Trend: Japan's population of 2014 (interpolated between the 2010 and 2015 censuses, group by
   group) and of 2017, 2020 and 2023 (japan.ini's all-median projection), at 2005 rates, against
   each later survey's all-age rate: the annual trend that carries the 2005 rates there (the
   2023 one is the default forward trend: scripts/make-demand-trends.py).
The runs and the arithmetic are scripts/demand_backtest.py's, shared with make-demand-trends.py.
Prints the table; exits 1 if the 2005 consistency is off by more than 1%.
Usage: scripts/validate-demand.py [--bin build/carecast]
"""
import argparse
import os
import sys

from demand_backtest import SETTINGS, engine_rates, implied_trend, official_rates

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "carecast"))
    args = parser.parse_args()
    official_all = official_rates()  # all-age rates per 100,000 (scenarios/data/SOURCES.md)
    engine = engine_rates(args.bin, official_all)
    print("| year | setting | official per 100k | engine at 2005 rates | implied annual trend since 2005 |")
    print("|---|---|---|---|---|")
    ok = True
    for year in sorted(official_all):
        for k, setting in enumerate(SETTINGS):
            official, mine = official_all[year][k], engine[year][k]
            if year == 2005:
                gap = mine / official - 1
                ok &= abs(gap) <= 0.01
                note = "consistency %+.2f%% (limit ±1%%)" % (100 * gap)
            else:
                note = "%+.2f%%/year" % (100 * implied_trend(official, mine, year))
            print("| %d | %s | %s | %.1f | %s |" % (year, setting, "{:,.0f}".format(official), mine, note))
    print("\ndemand back-test: %s" % ("passed" if ok else "FAILED: 2005 consistency off by more than 1%"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
