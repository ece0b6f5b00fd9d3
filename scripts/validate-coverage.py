#!/usr/bin/python3
"""Coverage validation (make validate): the simulated on-call model beside the observed figures
it was built from or can be compared with (sources: scenarios/data/SOURCES.md).

1. Urgent visits: the share of patients averaging one or more urgent house calls a month
   (13.0% in the Kashiwa/Tsukuba claims cohort, n = 4,888). The model's call rate (0.8 a
   patient-month, 60% visits) and its gamma heterogeneity (shape 1) were chosen to give about
   12.5% analytically; the simulated share is over the patients on the panel at the year's start.
   Checked: within 3 percentage points.
2. Time on home care: the entrants' survival at 6 months, 1, 2 and 4 years (73.4, 64.2, 52.6
   and 34.6%, n = 825) against the two-exponential stay of the scenario (its keys, from the
   results file's provenance); and the simulated exits per patient-month against the steady
   state 1 / mean stay. Checked: survival within 2 points; exits within 5% of the steady state.
3. Home deaths: deaths at home among exits against home_death_share (checked within 3 points).
4. Urgent calls per 1,000 patients a year beside the UK GP cooperatives' 159 (a different
   system, with a different definition of a call: shown, not checked).
Exits 1 if a check fails.
Usage: scripts/validate-coverage.py [--bin build/carecast] [-n REPLICATIONS]
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OBSERVED_MONTHLY_VISIT_SHARE = 0.130
OBSERVED_SURVIVAL = {6: 0.734, 12: 0.642, 24: 0.526, 48: 0.346}
UK_CALLS_PER_1000_A_YEAR = 159


def config(f, scenario):
    """{key: value} of the scenario's effective configuration (provenance)."""
    lines = f["provenance/scenarios/%s/effective_config" % scenario][()]
    out = {}
    for line in lines:
        text = line.decode() if isinstance(line, bytes) else line
        key, _, rest = text.partition(" = ")
        out[key.strip()] = rest.split(" ; ")[0].strip()
    return out


def survival(months, cfg):
    share = float(cfg["[coverage] exit_short_share"])
    short, long_ = float(cfg["[coverage] exit_short_mean_months"]), float(cfg["[coverage] exit_long_mean_months"])
    return share * math.exp(-months / short) + (1 - share) * math.exp(-months / long_), share * short + (1 - share) * long_


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "carecast"))
    parser.add_argument("-n", type=int, default=100, help="coverage replications")
    args = parser.parse_args()
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "kashiwa.h5")
        subprocess.run([args.bin, "run", os.path.join(ROOT, "scenarios", "kashiwa.ini"), "-n", str(args.n),
                        "--set", "coverage.replications=%d" % args.n, "-o", out, "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        with h5py.File(out, "r") as f:
            scenario = f["scenario"][0]
            scenario = scenario.decode() if isinstance(scenario, bytes) else scenario
            cfg = config(f, scenario)
            years = sorted(k for k in f["coverage"].keys() if k.isdigit())
            print("Coverage validation: scenarios/kashiwa.ini, %d coverage replications, target years %s\n"
                  % (args.n, ", ".join(years)))
            print("| year | patients with >= 1 urgent visit a month (observed 13.0%) | exits per patient-month "
                  "(steady state) | deaths at home among exits | urgent calls per 1,000 patients a year (UK 159) |")
            print("|---|---|---|---|---|")
            _, mean_stay = survival(0, cfg)
            death_share = float(cfg["[coverage] home_death_share"])
            for year in years:
                g = f["coverage/" + year]
                share = float(np.median(g["patients_with_monthly_urgent_visit/replications"][0]))
                months = g["covered_patient_months/replications"][0]
                exits = g["exits/replications"][0]
                deaths = g["home_deaths/replications"][0]
                calls = g["urgent_calls/replications"][0]
                exit_rate = float(np.sum(exits) / np.sum(months))
                death_ratio = float(np.sum(deaths) / np.sum(exits))
                calls_per_1000 = float(np.sum(calls) / (np.sum(months) / 12) * 1000)
                print("| %s | %.1f%% | %.2f%% (%.2f%%) | %.1f%% (%.0f%%) | %.0f |" % (
                    year, 100 * share, 100 * exit_rate, 100 / mean_stay, 100 * death_ratio, 100 * death_share,
                    calls_per_1000))
                if abs(share - OBSERVED_MONTHLY_VISIT_SHARE) > 0.03:
                    failed.append("%s monthly-visit share %.3f" % (year, share))
                if abs(exit_rate * mean_stay - 1) > 0.05:
                    failed.append("%s exit rate %.4f" % (year, exit_rate))
                if abs(death_ratio - death_share) > 0.03:
                    failed.append("%s home-death share %.3f" % (year, death_ratio))
            print("\n| months on home care | observed survival of entrants | model (two exponentials) | difference |")
            print("|---|---|---|---|")
            for months, observed in OBSERVED_SURVIVAL.items():
                model, _ = survival(months, cfg)
                print("| %d | %.1f%% | %.1f%% | %+.1f |" % (months, 100 * observed, 100 * model, 100 * (model - observed)))
                if abs(model - observed) > 0.02:
                    failed.append("survival at %d months %.3f" % (months, model))
            print("\nMean stay %.1f months: %.2f%% of patients leave a month in the steady state." % (mean_stay,
                                                                                                     100 / mean_stay))
    if failed:
        print("FAILED: " + "; ".join(failed))
        return 1
    print("All coverage checks hold.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
