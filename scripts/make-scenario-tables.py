#!/usr/bin/python3
"""Build the input tables in scenarios/data/ from the published source files.

Reads the raw published tables (CSV) from DIR, selects and reorders rows/columns with
values copied unchanged, checks them, and writes LF-terminated CSVs into scenarios/data/.
The raw tables come from the sources listed in scenarios/data/SOURCES.md (which names, for
each table written here, the raw file it is taken from, its publisher and what was kept);
they are not part of the project, so DIR is required.

The validation tables (the Japan register of 2025, IPSS 2017's 2020/2025 projection, the 2020
life table scaled to the 2023 life expectancy, and the observed death rates 2015-2024) are
built here too; the scaling follows the engine's own life-table arithmetic (see
engine_rates and engine_e0 below, which mirror src/scenario/tables.c and
src/population/lifetable.c).

Usage: /usr/bin/python3 scripts/make-scenario-tables.py --data DIR
"""
import argparse
import csv
import os
import shutil
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


def japan_register():
    """Raw table 14, Japan rows (2025-01-01 resident register), male and female 5-year groups."""
    rows = [r for r in read("kashiwa_chiba_jp_juki_2025_5y_sex.csv")
            if r["area_code"] == "00000" and r["sex"] in SEXES]
    groups = [r for r in rows if r["age_label"] != "all ages"]
    for sex in SEXES:
        total = [int(r["population"]) for r in rows if r["sex"] == sex and r["age_label"] == "all ages"]
        parts = [int(r["population"]) for r in groups if r["sex"] == sex]
        assert len(total) == 1 and len(parts) == 21, sex
        # the source's groups fall short of its all-ages totals by 12 (male) and 21 (female)
        # persons (people with no age recorded, as published): kept as they are
        assert 0 <= total[0] - sum(parts) <= 21, (sex, sum(parts), total[0])
        print("register Japan %s: groups %d, published all ages %d" % (sex, sum(parts), total[0]))
    write("jp_register_2025_5y_sex.csv", ["sex", "age_lo", "age_hi", "population"],
          [[r["sex"], r["age_lo"], r["age_hi"], r["population"]] for r in groups])


def ipss2017_projection():
    """Raw table 21 copied byte for byte (CRLF line ends kept)."""
    name = "jp_ipss2017_projection_2020_2025_5y_sex.csv"
    shutil.copyfile(os.path.join(DATA, name), os.path.join(OUT, name))
    rows = read(name)
    assert len(rows) == 2 * 2 * 21, len(rows)
    print("copied %-41s %4d rows" % (name, len(rows)))


# ---- life-table arithmetic, as in the engine ----------------------------------------------
OPEN = 100  # the engine's open age group 100+


def engine_rates(lx):
    """Central death rates m(0..99) and the open group's m(100+) from single-year lx, as
    src/scenario/tables.c reads a life table: m(x) = (l(x) - l(x+1)) / ((l(x) + l(x+1)) / 2);
    m(100+) = l(100) / T(100), with L(x) the mean of l(x) and l(x+1) and the last listed age's
    survivors living half a year."""
    m = [(lx[a] - lx[a + 1]) / (0.5 * (lx[a] + lx[a + 1])) for a in range(OPEN)]
    last = len(lx) - 1
    t_open = sum(0.5 * (lx[a] + lx[a + 1]) for a in range(OPEN, last)) + 0.5 * lx[last]
    return m + [lx[OPEN] / t_open]


def engine_e0(m):
    """Life expectancy at birth from m(0..100+) as src/population/lifetable.c computes it:
    q = 2m / (2 + m) (at most 1), L = (l + l') / 2, the open group's L = l / m."""
    l, e0 = 1.0, 0.0
    for a in range(OPEN):
        q = min(1.0, 2 * m[a] / (2 + m[a]))
        e0 += 0.5 * l * (2 - q)
        l *= 1 - q
    return e0 + (l / m[OPEN] if m[OPEN] > 0 else 0.0)


def scaled_lx(lx, factor):
    """The life table whose single-year central death rates are factor x those of lx (every
    listed age but the last, whose survivors all die as in the original). Returned rounded
    as written (4 decimals); the table ends early if a scaled q reaches 1."""
    out = [float(lx[0])]
    for a in range(len(lx) - 1):
        m = factor * (lx[a] - lx[a + 1]) / (0.5 * (lx[a] + lx[a + 1]))
        q = 2 * m / (2 + m)
        nxt = round(out[-1] * (1 - q), 4) if q < 1 else 0.0
        if nxt <= 0:
            break
        out.append(nxt)
    return out


def factor_for_e0(lx, target):
    """The factor on the rates whose scaled table has the engine's e0 equal to target."""
    lo, hi = 0.5, 2.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if engine_e0(engine_rates(scaled_lx(lx, mid))) > target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def lifetable_2020():
    rows = [r for r in read("jp_mhlw_lifetable_2020_23rd_1x1.csv") if r["sex"] in SEXES]
    return {sex: [float(r["lx_radix100000"]) for r in rows if r["sex"] == sex] for sex in SEXES}


def e0_published():
    """Raw table 22: {(year, table, sex): e0}."""
    return {(int(r["year"]), r["table"], r["sex"]): float(r["e0"])
            for r in read("jp_life_expectancy_2015_2023.csv")}


def e0_targets():
    """Each year's e0 for the observed table: 2019 midway between 2018 (abridged) and 2020 (the
    complete table), 2020 the complete table itself, 2021-2023 the abridged tables, 2024 held
    at 2023 (no 2024 value in the data)."""
    e0 = e0_published()
    complete, abridged = "complete life table (23rd)", "abridged life table"
    out = {}
    for sex in SEXES:
        out[2019, sex] = 0.5 * (e0[2018, abridged, sex] + e0[2020, complete, sex])
        out[2020, sex] = None  # the table as it is
        for y in (2021, 2022, 2023):
            out[y, sex] = e0[y, abridged, sex]
        out[2024, sex] = e0[2023, abridged, sex]
    return out


def lifetable_2023():
    lx20, e0 = lifetable_2020(), e0_published()
    rows = []
    for sex in SEXES:
        target = e0[2023, "abridged life table", sex]
        k = factor_for_e0(lx20[sex], target)
        lx = scaled_lx(lx20[sex], k)
        got = engine_e0(engine_rates(lx))
        assert abs(got - target) < 0.005, (sex, got, target)
        print("2023 %s: rates x %.5f, e0 %.4f (2020 table %.4f; published 2023 %.2f)"
              % (sex, k, got, engine_e0(engine_rates(lx20[sex])), target))
        rows += [[sex, a, "%.4f" % v] for a, v in enumerate(lx)]
    write("jp_lifetable_2023_scaled_1x1.csv", ["sex", "age", "lx"], rows)


def observed_death_rates():
    """2015-2018: raw table 7's 5-year rates by sex; 2019-2024: single ages 0..99 and 100+ of the
    2020 table scaled to each year's e0 (e0_targets)."""
    rows = [[r["year"], r["sex"], r["age_lo"], r["age_hi"], r["death_rate_per_100k"]]
            for r in read("jp_death_rates_5y_sex_2009_2018.csv")
            if r["sex"] in SEXES and 2015 <= int(r["year"]) <= 2018]
    assert len(rows) == 4 * 2 * 21
    lx20, targets = lifetable_2020(), e0_targets()
    for year in range(2019, 2025):
        for sex in SEXES:
            target = targets[year, sex]
            k = 1.0 if target is None else factor_for_e0(lx20[sex], target)
            m = engine_rates(scaled_lx(lx20[sex], k) if target is not None else lx20[sex])
            text = ["%.4f" % (1e5 * v) for v in m]
            got = engine_e0([float(t) / 1e5 for t in text])
            assert target is None or abs(got - target) < 0.005, (year, sex, got, target)
            print("observed %d %-6s: rates x %.5f, e0 %.4f" % (year, sex, k, got))
            rows += [[year, sex, a, a if a < OPEN else "", text[a]] for a in range(OPEN + 1)]
    write("jp_death_rates_observed_2015_2024.csv",
          ["year", "sex", "age_lo", "age_hi", "death_rate_per_100k"], rows)


def japan_census_2020():
    """Raw table 15, Japan rows of 2020 (the 2020 census, IPSS 2023's base): total, 65+ and 75+."""
    rows = [r for r in read("kashiwa_chiba_ipss2023_projection.csv")
            if r["area_code"] == "00000" and r["year"] == "2020"
            and r["indicator"] in ("total_population", "pop_65plus", "pop_75plus")]
    assert [r["indicator"] for r in rows] == ["total_population", "pop_65plus", "pop_75plus"], rows
    write("jp_census_2020_totals.csv", ["year", "indicator", "population"],
          [[r["year"], r["indicator"], r["value"]] for r in rows])


def municipal_register():
    """Raw table 19, every row and column unchanged (LF line ends): the register of every area.
    Asserted: 63 rows (3 sexes x 21 groups) an area, the 1,741 municipalities of batch_unit
    municipality or municipality_hamadori, their both-sexes rows summing to 124,323,978, and
    Kashiwa's rows equal to kashiwa_register_2025_5y_sex.csv."""
    rows = read("jp_municipal_register_2025_5y_sex.csv")
    header = list(rows[0].keys())
    areas = {}
    for r in rows:
        areas.setdefault(r["area_code"], []).append(r)
    assert all(len(v) == 63 for v in areas.values())
    municipal = [r for r in rows if r["batch_unit"] in ("municipality", "municipality_hamadori")]
    assert len({r["area_code"] for r in municipal}) == 1741
    assert sum(int(r["population"]) for r in municipal if r["sex"] == "total") == 124323978
    kashiwa = [[r["sex"], r["age_lo"], r["age_hi"], r["population"]] for r in areas["12217"] if r["sex"] in SEXES]
    with open(os.path.join(OUT, "kashiwa_register_2025_5y_sex.csv"), encoding="utf-8") as f:
        assert kashiwa == [line.rstrip("\n").split(",") for line in f][1:]
    write("jp_municipal_register_2025_5y_sex.csv", header, [[r[c] for c in header] for r in rows])


def municipal_totals():
    """Raw table 20, unchanged (LF line ends): IPSS 2023 totals 2020-2050 by area. Asserted: 7
    years an area and Kashiwa's equal to kashiwa_ipss2023_totals.csv."""
    rows = read("jp_municipal_ipss2023_totals.csv")
    header = list(rows[0].keys())
    years = {}
    for r in rows:
        years.setdefault(r["area_code"], []).append((r["year"], r["total_population"]))
    assert all([y for y, _ in v] == [str(y) for y in range(2020, 2051, 5)] for v in years.values())
    with open(os.path.join(OUT, "kashiwa_ipss2023_totals.csv"), encoding="utf-8") as f:
        assert [list(t) for t in years["12217"]] == [line.rstrip("\n").split(",") for line in f][1:]
    write("jp_municipal_ipss2023_totals.csv", header, [[r[c] for c in header] for r in rows])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, metavar="DIR",
                        help="folder of the raw published tables (see scenarios/data/SOURCES.md)")
    DATA = parser.parse_args().data
    if not os.path.isdir(DATA):
        parser.error("--data %s: no such folder" % DATA)
    os.makedirs(OUT, exist_ok=True)
    for step in (kashiwa_register, ipss2017_base, lifetable, death_rates, asfr,
                 kashiwa_totals, anchors, japan_register, ipss2017_projection, lifetable_2023,
                 observed_death_rates, japan_census_2020, municipal_register, municipal_totals):
        step()
