#!/usr/bin/python3
"""Print the figures of the README's mortality subsection ("Mortality: the fit and the oldest
old") from expected-value runs of scenarios/japan.ini and of variants of it that switch the new
methods off one at a time:
  svd        [mortality] history_exposures empty (unweighted SVD fit), carry_b_from_age = 0,
             oldest_old = none: the fitted b as it comes out;
  poisson    the exposures given (Poisson fit), carry_b_from_age = 0, oldest_old = none;
  carried    poisson + carry_b_from_age = 95;
  japan.ini  carried + oldest_old = kannisto (the scenario as it stands).
For each: b(x) per group and sex, the yearly improvement exp(b(x) drift_used) - 1 at 85+, and
the projected 85+, 90+, 95+, 100+ by sex against IPSS 2017 (1 October 2025) and against the
resident register of 1 January 2025 (the model at 0.75 P(2024) + 0.25 P(2025), its years being
1 October), both from scenarios/data. Then e0 and e65 by year for the scenarios given.

Run (after make): /usr/bin/python3 scripts/mortality-figures.py [--bin build/carecast]
"""
import argparse
import csv
import os
import subprocess
import tempfile

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "scenarios", "data")
JAPAN = os.path.join(ROOT, "scenarios", "japan.ini")
KASHIWA = os.path.join(ROOT, "scenarios", "kashiwa.ini")
EXPOSURES = os.path.join(DATA, "jp_exposures_5y_sex_2009_2018.csv")
SEXES = ("male", "female")
BANDS = (85, 90, 95, 100)
VARIANTS = (
    ("svd", {"history_exposures": "", "carry_b_from_age": "0", "oldest_old": "none"}),
    ("poisson", {"history_exposures": EXPOSURES, "carry_b_from_age": "0", "oldest_old": "none"}),
    ("carried", {"history_exposures": EXPOSURES, "carry_b_from_age": "95", "oldest_old": "none"}),
    ("japan.ini", {}),
)


def read_groups(name, year=None):
    """{(sex, age_lo): persons} of a table sex,age_lo,age_hi,population (with year: its rows)."""
    out = {}
    with open(os.path.join(DATA, name), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if year is None or r["year"] == str(year):
                out[(r["sex"], int(r["age_lo"]))] = float(r["population"])
    return out


def above(groups, sex, age):
    return sum(v for (s, lo), v in groups.items() if s == sex and lo >= age)


def run(binary, ini, out):
    subprocess.run([binary, "run", ini, "-n", "1", "-o", out, "-q", "--no-table",
                    "--set", "simulation.expected_values=true"], check=True, capture_output=True)


def variant_ini(folder, label, keys):
    path = os.path.join(folder, label.replace(".", "_") + ".ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write("[scenario]\nbase = %s\nname = %s\n\n[mortality]\n" % (JAPAN, label.replace(".", "_")))
        for k, v in keys.items():
            f.write("%s = %s\n" % (k, v))
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "carecast"))
    args = parser.parse_args()
    ipss = read_groups("jp_ipss2017_projection_2020_2025_5y_sex.csv", 2025)
    register = read_groups("jp_register_2025_5y_sex.csv")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, keys in VARIANTS:
            ini = JAPAN if not keys else variant_ini(tmp, label, keys)
            out = os.path.join(tmp, label + ".h5")
            run(args.bin, ini, out)
            with h5py.File(out, "r") as f:
                name = list(f["scenario"][:])[0]
                name = name.decode() if isinstance(name, bytes) else name
                lc = f["population/fitted/%s/lee_carter" % name]
                years = list(f["axes/year"][:])
                results[label] = {
                    "groups": [g.decode() if isinstance(g, bytes) else g for g in lc["age_group"][:]],
                    "bx": {s: lc[s + "/bx"][:] for s in SEXES},
                    "bx_fitted": {s: lc[s + "/bx_fitted"][:] for s in SEXES},
                    "carried": {s: lc[s + "/bx_carried"][:] for s in SEXES},
                    "drift": {s: lc[s].attrs["drift_used"] for s in SEXES},
                    "by_age": f["population/by_age/mean"][0],
                    "years": years,
                    "e": f["population/life_expectancy_0/mean"][0], "e65": f["population/life_expectancy_65/mean"][0],
                }
    groups = results["svd"]["groups"]
    print("## b(x) by group (fitted; * carried from the group below)\n")
    print("| group | " + " | ".join("%s %s" % (l, s) for l in ("svd", "poisson", "japan.ini") for s in SEXES) + " |")
    print("|---" * 7 + "|")
    for g, label in enumerate(groups):
        cells = []
        for l in ("svd", "poisson", "japan.ini"):
            for s in SEXES:
                r = results[l]
                cells.append("%.4f%s" % (r["bx"][s][g], "*" if r["carried"][s][g] else ""))
        print("| %s | %s |" % (label, " | ".join(cells)))
    print("\n## mortality decline per year at the oldest groups, 1 - exp(b drift_used) (percent)\n")
    print("| variant | drift_used m/f | " + " | ".join("%s %s" % (groups[g], s[0]) for g in range(17, 21) for s in SEXES) + " |")
    print("|---" * 10 + "|")
    for label, _ in VARIANTS:
        r = results[label]
        cells = ["%.2f" % (100 * (1 - np.exp(r["bx"][s][g] * r["drift"][s]))) for g in range(17, 21) for s in SEXES]
        print("| %s | %.3f / %.3f | %s |" % (label, r["drift"]["male"], r["drift"]["female"], " | ".join(cells)))
    print("\n## 2025: the model against IPSS 2017 (1 Oct 2025) and the register (1 Jan 2025)\n")
    print("| variant | " + " | ".join("%d+ %s" % (a, s[0]) for a in BANDS for s in SEXES) + " | 85+ both |")
    print("|---" * 10 + "|")
    rows = [("IPSS 2017, 1 Oct", lambda s, a: above(ipss, s, a)), ("register, 1 Jan", lambda s, a: above(register, s, a))]
    for label, fn in rows:
        print("| %s | %s | %s |" % (label, " | ".join("{:,.0f}".format(fn(s, a)) for a in BANDS for s in SEXES),
                                     "{:,.0f}".format(fn("male", 85) + fn("female", 85))))
    for label, _ in VARIANTS:
        r = results[label]
        i24, i25 = r["years"].index(2024), r["years"].index(2025)
        for when, what, ref in (("1 Oct", lambda s, a: r["by_age"][i25, SEXES.index(s), a:].sum(), ipss),
                                ("1 Jan", lambda s, a: 0.75 * r["by_age"][i24, SEXES.index(s), a:].sum()
                                 + 0.25 * r["by_age"][i25, SEXES.index(s), a:].sum(), register)):
            cells = ["{:,.0f} ({:+.1f}%)".format(what(s, a), 100 * (what(s, a) / above(ref, s, a) - 1))
                     for a in BANDS for s in SEXES]
            both = what("male", 85) + what("female", 85)
            ref_both = above(ref, "male", 85) + above(ref, "female", 85)
            total = "{:,.0f} ({:+.1f}%)".format(both, 100 * (both / ref_both - 1))
            print("| %s, %s | %s | %s |" % (label, when, " | ".join(cells), total))
    print("\n## period life expectancy of the median path, japan.ini (e0 / e65)\n")
    r = results["japan.ini"]
    print("| year | e0 male | e0 female | e65 male | e65 female |")
    print("|---|---|---|---|---|")
    for y in (2015, 2020, 2025, 2030, 2040, 2050):
        i = r["years"].index(y)
        print("| %d | %.2f | %.2f | %.2f | %.2f |" % (y, r["e"][i, 0], r["e"][i, 1], r["e65"][i, 0], r["e65"][i, 1]))


if __name__ == "__main__":
    main()
