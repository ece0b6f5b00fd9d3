#!/usr/bin/python3
"""Print the README's tables of Kashiwa results (population, demand, coverage) from results
files, so they can be redone:
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
    ref = f["year"].attrs["reference_date"]
    ref = ref.decode() if isinstance(ref, bytes) else str(ref)
    base = f["population/base"][0, 2]
    date = f["population/base"].attrs["date"]
    date = date.decode() if isinstance(date, bytes) else str(date)
    print("| date | total | 65+ | 75+ | 85+ | births | deaths | net migration | e0 male / female | e65 male / female |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("| %s (base) | %s |" % (date, " | ".join("{:,.0f}".format(base[lo:].sum()) for lo in (0, 65, 75, 85))
                                  + " | | | | | |"))
    for y in YEARS:
        i = years.index(y)
        pop = [band(f["population/%s/quantiles" % s][0, :, i, 2]) for s in ("total", "age65plus", "age75plus", "age85plus")]
        flows = ["{:,.0f}".format(f["population/%s/quantiles" % s][0, 2, i, 2]) for s in ("births", "deaths", "net_migration")]
        e = ["%.2f / %.2f" % tuple(f["population/life_expectancy_%d/quantiles" % x][0, 2, i, sex] for sex in (0, 1))
             for x in (0, 65)]
        print("| %d-%s | %s |" % (y, ref, " | ".join(pop + flows + e)))
    print("first step: %.3f years" % f["population/fitted/%s" % f["axes/scenario"].asstr()[0]].attrs["first_step_years"])
    if "demand" in f:
        # urgent calls are requests; the urgent visits are the calls answered by a visit
        series = ["home_care", "beds_needed", "inpatient", "outpatient", "urgent_calls"]
        header = ("| year | enrolled home-care patients | beds needed (occupancy 0.80) | inpatients on a day | "
                  "outpatient visits per weekday | urgent house calls (requests) per month |")
        if "urgent_visits" in f["demand"]:
            series.append("urgent_visits")
            header += " urgent house-call visits per month |"
        print("\n" + header)
        print("|---" * (len(series) + 1) + "|")
        for y in YEARS:
            i = years.index(y)
            cells = [band(f["demand/%s/quantiles" % s][0, :, i, 2, 4]) for s in series]
            print("| %d | %s |" % (y, " | ".join(cells)))
        for s in ("inpatient", "outpatient"):
            peak = f["demand/%s/peak_year" % s][0]
            lo, hi = np.percentile(peak, [5, 95], method="linear")
            print("%s peak year: median %g, 90%% of replications %g to %g; %.0f%% peak in %d (last year), %.0f%% in %d"
                  % (s, np.median(peak), lo, hi, 100 * np.mean(peak == years[-1]), years[-1],
                     100 * np.mean(peak == years[0]), years[0]))
    if "coverage" in f:
        coverage_tables(f)
    if len(sys.argv) > 2:
        g = h5py.File(sys.argv[2], "r")
        i = list(g["axes/year"][:]).index(2040)
        for s in ("home_care", "inpatient"):
            ci, cu = g["demand/%s/difference/mean_ci" % s][1, :, i, 2, 4], g["demand/%s/difference/mean_ci_unpaired" % s][1, :, i, 2, 4]
            print("%s 2040, %s minus %s: %+.0f (paired 95%% %.0f to %.0f; unpaired %.0f to %.0f)"
                  % (s, g["axes/scenario"].asstr()[1], g["axes/scenario"].asstr()[0], ci[1], ci[0], ci[2], cu[0], cu[2]))


def scheme_order(f, schemes):
    """The schemes in the scenario's [coverage] schemes order (the first is the reference)."""
    scenario = f["axes/scenario"].asstr()[0]
    for line in f["provenance/scenarios/%s/effective_config" % scenario].asstr()[:]:
        if line.startswith("[coverage] schemes = "):
            listed = [x.strip() for x in line.split(" = ", 1)[1].split(" ; ")[0].split(",")]
            return [x for x in listed if x in schemes]
    return sorted(schemes)


def coverage_tables(f):
    """The README's per-scheme coverage tables (medians over the coverage replications) and the
    paired continuity difference of each scheme against the first."""
    years = sorted(k for k in f["coverage"].keys() if k.isdigit())
    for year in (years[0], years[-1]):
        g = f["coverage/" + year]
        median = lambda path: float(np.nanmedian(g[path + "/replications"][0]))
        schemes = scheme_order(f, [k for k in g.keys() if "duty_nights_mean" in g[k]])
        first = schemes[0]
        print("\n| %s (%s patients, %s uncovered) | duty nights mean / p95 | disturbed nights mean / p95 | OOH hours "
              "| escalations per 1,000 patient-months | continuity | response p90 (min) | within limits |"
              % (year, "{:,.0f}".format(median("patients")), "{:,.0f}".format(median("uncovered"))))
        print("|---|---|---|---|---|---|---|---|")
        for k in schemes:
            m = lambda name: median(k + "/" + name)
            print("| %s | %.1f / %.1f | %.1f / %.1f | %.1f | %.2f | %.1f%% | %.1f | %.0f%% |" % (
                k, m("duty_nights_mean"), m("duty_nights_p95"), m("disturbed_nights_mean"), m("disturbed_nights_p95"),
                m("ooh_hours_mean"), m("escalations_per_1000_patient_months"), 100 * m("continuity"),
                m("response_p90"), 100 * m("within_limits")))
        for k in schemes[1:]:
            ci = g[k + "/continuity/difference/mean_ci"][0]
            print("continuity %s, %s minus %s: %+.2f points (paired 95%% %+.2f to %+.2f)"
                  % (year, k, first, 100 * ci[1], 100 * ci[0], 100 * ci[2]))


if __name__ == "__main__":
    main()
