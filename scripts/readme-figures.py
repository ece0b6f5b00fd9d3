#!/usr/bin/python3
"""Print the README's tables of Kashiwa results from results files, so they can be redone:
  build/carecast run scenarios/kashiwa.ini                       (results/kashiwa.h5)
  build/carecast run scenarios/kashiwa.ini scenarios/kashiwa-shift.ini -o results/shift.h5
  /usr/bin/python3 scripts/readme-figures.py [results/kashiwa.h5 [results/shift.h5]]
"""
import sys

import h5py
import numpy as np

YEARS = (2025, 2030, 2035, 2040, 2045, 2050)


def band(q, fmt="{:,.0f}"):
    return (fmt + " (" + fmt + "–" + fmt + ")").format(q[2], q[0], q[4])


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "results/kashiwa.h5"
    f = h5py.File(path, "r")
    years = list(f["axes/year"][:])
    print("| year | total | 65+ | 75+ | 85+ | births | deaths | net migration | e0 male | e0 female |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for y in YEARS:
        i = years.index(y)
        pop = [band(f["population/%s/quantiles" % s][0, :, i, 2]) for s in ("total", "age65plus", "age75plus", "age85plus")]
        flows = ["{:,.0f}".format(f["population/%s/quantiles" % s][0, 2, i, 2]) for s in ("births", "deaths", "net_migration")]
        e0 = ["%.2f" % f["population/life_expectancy_0/quantiles"][0, 2, i, sex] for sex in (0, 1)]
        print("| %d | %s |" % (y, " | ".join(pop + flows + e0)))
    if "demand" in f:
        print("\n| year | enrolled home-care patients | beds needed (occupancy 0.80) | inpatients on a day | "
              "outpatient visits per weekday | urgent house calls per month |")
        print("|---|---|---|---|---|---|")
        for y in YEARS:
            i = years.index(y)
            cells = [band(f["demand/%s/quantiles" % s][0, :, i, 2, 4])
                     for s in ("home_care", "beds_needed", "inpatient", "outpatient", "urgent_calls")]
            print("| %d | %s |" % (y, " | ".join(cells)))
        for s in ("inpatient", "outpatient"):
            peak = f["demand/%s/peak_year" % s][0]
            lo, hi = np.percentile(peak, [5, 95], method="linear")
            print("%s peak year: median %g, 90%% of replications %g to %g; %.0f%% peak in %d (last year), %.0f%% in %d"
                  % (s, np.median(peak), lo, hi, 100 * np.mean(peak == years[-1]), years[-1],
                     100 * np.mean(peak == years[0]), years[0]))
    if len(sys.argv) > 2:
        g = h5py.File(sys.argv[2], "r")
        i = list(g["axes/year"][:]).index(2040)
        for s in ("home_care", "inpatient"):
            ci, cu = g["demand/%s/difference/mean_ci" % s][1, :, i, 2, 4], g["demand/%s/difference/mean_ci_unpaired" % s][1, :, i, 2, 4]
            print("%s 2040, %s minus %s: %+.0f (paired 95%% %.0f to %.0f; unpaired %.0f to %.0f)"
                  % (s, g["axes/scenario"].asstr()[1], g["axes/scenario"].asstr()[0], ci[1], ci[0], ci[2], cu[0], cu[2]))


if __name__ == "__main__":
    main()
