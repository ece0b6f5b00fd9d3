#!/usr/bin/python3
"""Build the input tables in scenarios/data/ from the published source files.

Reads the raw published tables (CSV) from DIR, selects and reorders rows/columns with
values copied unchanged, checks them, and writes LF-terminated CSVs into scenarios/data/.
The raw tables come from the sources listed in scenarios/data/SOURCES.md (which names, for
each table written here, the raw file it is taken from, its publisher and what was kept);
they are not part of the project, so DIR is required.

Usage: /usr/bin/python3 scripts/make-scenario-tables.py --data DIR
"""
import argparse
import csv
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "scenarios", "data")
SEXES = ("male", "female")


def read(name):
    with open(os.path.join(DATA, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))  # csv copes with the CRLF line ends


def write(name, header, rows):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print("wrote %-42s %4d rows" % (name, len(rows)))


def kashiwa_register():
    rows = [r for r in read("kashiwa_chiba_jp_juki_2025_5y_sex.csv")
            if r["area_code"] == "12217" and r["sex"] in SEXES]
    groups = [r for r in rows if r["age_label"] != "all ages"]
    for sex in SEXES:
        total = [int(r["population"]) for r in rows
                 if r["sex"] == sex and r["age_label"] == "all ages"]
        parts = [int(r["population"]) for r in groups if r["sex"] == sex]
        assert len(total) == 1 and len(parts) == 21, sex
        assert sum(parts) == total[0], (sex, sum(parts), total[0])
    write("kashiwa_register_2025_5y_sex.csv", ["sex", "age_lo", "age_hi", "population"],
          [[r["sex"], r["age_lo"], r["age_hi"], r["population"]] for r in groups])


def jp_register():
    rows = [r for r in read("kashiwa_chiba_jp_juki_2025_5y_sex.csv")
            if r["area_code"] == "00000" and r["sex"] in SEXES]
    groups = [r for r in rows if r["age_label"] != "all ages"]
    for sex in SEXES:
        total = [int(r["population"]) for r in rows
                 if r["sex"] == sex and r["age_label"] == "all ages"]
        parts = [int(r["population"]) for r in groups if r["sex"] == sex]
        assert len(total) == 1 and len(parts) == 21, sex
        # Japan's groups fall short of its all-ages total by a handful (12 male, 21 female in
        # the source): kept as published; the check allows 100
        assert 0 <= total[0] - sum(parts) <= 100, (sex, sum(parts), total[0])
        print("Japan register %s: groups sum to %d, all ages %d" % (sex, sum(parts), total[0]))
    write("jp_register_2025_5y_sex.csv", ["sex", "age_lo", "age_hi", "population"],
          [[r["sex"], r["age_lo"], r["age_hi"], r["population"]] for r in groups])


def ipss2017_projection():
    rows = [r for r in read("jp_ipss2017_projection_2020_2025_5y_sex.csv") if r["sex"] in SEXES]
    assert [r["year"] for r in rows] == ["2020"] * 42 + ["2025"] * 42
    over85 = sum(int(r["population"]) for r in rows if r["year"] == "2025" and int(r["age_lo"]) >= 85)
    assert over85 == 7202606, over85
    write("jp_ipss2017_projection_2020_2025_5y_sex.csv", ["year", "sex", "age_lo", "age_hi", "population"],
          [[r["year"], r["sex"], r["age_lo"], r["age_hi"], r["population"]] for r in rows])


def ipss2017_base():
    rows = [r for r in read("jp_ipss2017_base_2015_5y_sex.csv") if r["sex"] in SEXES]
    assert len(rows) == 42 and rows[-1]["age_hi"] == ""
    write("jp_ipss2017_base_2015_5y_sex.csv", ["sex", "age_lo", "age_hi", "population"],
          [[r["sex"], r["age_lo"], r["age_hi"], r["population"]] for r in rows])


def lifetable():
    rows = [r for r in read("jp_mhlw_lifetable_2020_23rd_1x1.csv") if r["sex"] in SEXES]
    for sex in SEXES:  # single years from 0, none missing
        ages = [int(r["age"]) for r in rows if r["sex"] == sex]
        assert ages == list(range(len(ages))), sex
    write("jp_lifetable_2020_1x1.csv", ["sex", "age", "lx"],
          [[r["sex"], r["age"], r["lx_radix100000"]] for r in rows])


def death_rates():
    rows = [r for r in read("jp_death_rates_5y_sex_2009_2018.csv") if r["sex"] in SEXES]
    assert len(rows) == 10 * 2 * 21
    # Flag a rate that differs by more than a factor 3 from every neighbouring year
    # of the same sex and age group (a count typed into a rate column would).
    rate = {(r["year"], r["sex"], r["age_lo"]): float(r["death_rate_per_100k"]) for r in rows}
    odd, worst = [], (0.0, ("", "", ""))
    for (year, sex, lo), v in sorted(rate.items()):
        nbrs = [rate[k] for k in ((str(int(year) + d), sex, lo) for d in (-1, 1)) if k in rate]
        ratios = [max(v / n, n / v) if v > 0 and n > 0 else float("inf") for n in nbrs]
        worst = max(worst, (max(ratios), (year, sex, lo)))
        if min(ratios) > 3:
            odd.append((year, sex, lo, v))
    for o in odd:
        print("WARNING: suspicious death rate: year %s, %s, age_lo %s: %g" % o, file=sys.stderr)
    print("death rates: %d suspicious rows; largest year-to-year ratio %.2f at %s"
          % (len(odd), worst[0], "/".join(worst[1])))
    cols = ["sex", "age_lo", "age_hi", "death_rate_per_100k"]
    write("jp_death_rates_5y_sex_2009_2018.csv", ["year"] + cols,
          [[r["year"]] + [r[c] for c in cols] for r in rows])
    write("jp_death_rates_2015_5y_sex.csv", cols,
          [[r[c] for c in cols] for r in rows if r["year"] == "2015"])


def asfr():
    rows = read("jp_hfd_asfr_1x1.csv")
    for year in ("2020", "2015"):
        sel = [r for r in rows if r["year"] == year]
        assert [int(r["age"]) for r in sel] == list(range(12, 56)), year
        write("jp_asfr_%s_1x1.csv" % year, ["age", "asfr"], [[r["age"], r["asfr"]] for r in sel])
        print("TFR %s = %.4f" % (year, sum(float(r["asfr"]) for r in sel)))


def kashiwa_totals():
    rows = [r for r in read("kashiwa_chiba_ipss2023_projection.csv")
            if r["area_code"] == "12217" and r["indicator"] == "total_population"]
    assert [r["year"] for r in rows] == [str(y) for y in range(2020, 2051, 5)]
    write("kashiwa_ipss2023_totals.csv", ["year", "total_population"],
          [[r["year"], r["value"]] for r in rows])


def anchors():
    with open(os.path.join(DATA, "jp_life_expectancy_fertility_anchors.csv"),
              encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    write("life_expectancy_anchors.csv", rows[0], rows[1:])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, metavar="DIR",
                        help="folder of the raw published tables (see scenarios/data/SOURCES.md)")
    DATA = parser.parse_args().data
    if not os.path.isdir(DATA):
        parser.error("--data %s: no such folder" % DATA)
    os.makedirs(OUT, exist_ok=True)
    for step in (kashiwa_register, jp_register, ipss2017_base, ipss2017_projection, lifetable, death_rates, asfr,
                 kashiwa_totals, anchors):
        step()
