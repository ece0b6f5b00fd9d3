#!/usr/bin/python3
"""Write scenarios/data/jp_exposures_5y_sex_2009_2018.csv, the population at risk by year, sex and
5-year group that weights the Poisson Lee-Carter fit ([mortality] history_exposures), from the
three census tables already in scenarios/data (jp_census_2005/2010/2015_5y_sex.csv).

Derived, not published: for each sex and age group the population of year Y (1 October, the
census date and the date of the vital-statistics denominators) is interpolated geometrically
between the two censuses around it,
    P(Y) = P(c0) * (P(c1) / P(c0)) ** ((Y - c0) / 5),   c0 <= Y <= c1 = c0 + 5,
(2009 between 2005 and 2010; 2011-2014 between 2010 and 2015) and extrapolated from the
2010-2015 growth for 2016-2018 (an assumption: the 2020 census is not in the data). The group
is interpolated as a group, not along cohorts: good enough for a weight (the fit uses the
exposures only as the Poisson weights of the published rates, deaths = rate x exposure).
Rounded to whole persons. Persons of unknown age are left out, as in the census tables.

Standard library only. Run: /usr/bin/python3 scripts/make-exposures-table.py [--out PATH]
(--check: compare with the existing file instead of writing it; exit 1 when they differ).
"""
import argparse
import csv
import io
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "scenarios", "data")
OUT = os.path.join(DATA, "jp_exposures_5y_sex_2009_2018.csv")
CENSUSES = (2005, 2010, 2015)
YEARS = range(2009, 2019)
SEXES = ("male", "female")


def census(year):
    with open(os.path.join(DATA, "jp_census_%d_5y_sex.csv" % year), encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["sex"] in SEXES]
    assert len(rows) == 42 and rows[-1]["age_hi"] == "", year
    return rows


def table():
    tables = {c: census(c) for c in CENSUSES}
    keys = [(r["sex"], r["age_lo"], r["age_hi"]) for r in tables[2010]]
    for c in CENSUSES:  # the same groups in the same order in each census
        assert [(r["sex"], r["age_lo"], r["age_hi"]) for r in tables[c]] == keys, c
    pop = {c: {k: float(r["population"]) for k, r in zip(keys, tables[c])} for c in CENSUSES}
    out = []
    for year in YEARS:
        c0 = 2005 if year < 2010 else 2010  # 2016-2018: the 2010-2015 growth carried on
        c1 = c0 + 5
        for sex in SEXES:
            for k in keys:
                if k[0] != sex:
                    continue
                p0, p1 = pop[c0][k], pop[c1][k]
                value = p0 * (p1 / p0) ** ((year - c0) / 5.0)
                out.append([year, sex, k[1], k[2], int(round(value))])
    return out


def text(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["year", "sex", "age_lo", "age_hi", "population"])
    w.writerows(rows)
    return buf.getvalue()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=OUT, help="file to write (default %(default)s)")
    parser.add_argument("--check", action="store_true", help="compare with the file at --out; do not write")
    args = parser.parse_args()
    new = text(table())
    if args.check:
        with open(args.out, encoding="utf-8", newline="") as f:
            same = f.read() == new
        print("%s: %s" % (args.out, "up to date" if same else "DIFFERS from what the script writes"))
        sys.exit(0 if same else 1)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write(new)
    print("wrote %s (%d rows)" % (args.out, new.count("\n") - 1))
