#!/usr/bin/python3
"""Build carecast's demand rate tables from the raw published tables and write them into
scenarios/data/, by the construction described in the README ("Model", Demand).

The raw tables (Patient Survey rates, census and resident-register populations) are read from
DIR; they come from the sources listed in scenarios/data/SOURCES.md and are not part of the
project, so DIR is required. Every output is rates per 100,000 by sex and age group
(sex,age_lo,age_hi,rate_per_100k; age_hi empty for the open group). Run:
/usr/bin/python3 scripts/make-demand-tables.py --data DIR. Prints each derived factor so a
reader can check the arithmetic.

1. Inpatient (2023 anchor): the 2023 national rates by age (both sexes), split by sex with the
   2005 male/female ratio in each age group (population weights: Japan's 2025-01-01 register),
   times 741/945 (Chiba / Japan, 2023, patient-address basis).
2. Outpatient (2023 anchor): the 2005 national rates by sex and age, times the factor that makes
   them give the 2023 national all-age rate (5,850) on Japan's 2025-register population, times
   5,632/5,850 (Chiba / Japan).
3. Enrolled home-care patients: 166.3k scheduled-visit patients a day (2023) x 21.7 weekdays a
   month / 2.4 visits per patient-month x (1 - 0.40 dental share) = national enrolled total.
   Age shape: 15% below 75 (2023 survey: 85% are 75+), shaped by the 2002 scheduled-visit
   counts by age (0-14, 15-34, 35-64, 65-74 = 65+ minus 75+) over the 2005 census (nearest
   census; the 2002 population is not in the data); 20% at 75-84 and 65% at 85+ (JMA clinic
   survey 2025: about 65% of patients are 85+); one rate for both sexes (the sources give no
   split by sex).
Also written for the back-test (make validate): the 2005 rates by sex and age as published,
and the 2005, 2010 and 2015 census populations by sex and 5-year group.
"""
import argparse
import csv
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "scenarios", "data")

# The demand defaults (each a cited or derived figure; sources in scenarios/data/SOURCES.md)
CHIBA_INPATIENT, JAPAN_INPATIENT_2023 = 741.0, 945.0
CHIBA_OUTPATIENT, JAPAN_OUTPATIENT_2023 = 5632.0, 5850.0
SCHEDULED_PER_DAY_2023 = 166.3e3
WEEKDAYS_PER_MONTH, VISITS_PER_PATIENT_MONTH, DENTAL_SHARE = 21.7, 2.4, 0.40
SHARE_UNDER_75, SHARE_75_84, SHARE_85_PLUS = 0.15, 0.20, 0.65


def read(data, name):
    with open(os.path.join(data, name), newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def write(name, rows, header=("sex", "age_lo", "age_hi", "rate_per_100k")):
    with open(os.path.join(OUT, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print("wrote scenarios/data/%s (%d rows)" % (name, len(rows)))


def register_2025(data):
    """Japan's 2025-01-01 register: {sex: {(lo, hi): persons}} with hi None for 100+."""
    pop = {"male": {}, "female": {}}
    for r in read(data, "kashiwa_chiba_jp_juki_2025_5y_sex.csv"):
        if r["area_code"] == "00000" and r["sex"] in pop and r["age_lo"] != "":
            pop[r["sex"]][(int(r["age_lo"]), int(r["age_hi"]) if r["age_hi"] else None)] = float(r["population"])
    return pop


def persons(pop, sex, lo, hi):
    """Persons aged lo..hi (hi None: open) from 5-year groups, splitting 0-4 as 1/5 : 4/5."""
    total = 0.0
    for (glo, ghi), n in pop[sex].items():
        gend = 200 if ghi is None else ghi
        end = 200 if hi is None else hi
        overlap = min(gend, end) - max(glo, lo) + 1
        if overlap > 0:
            total += n * overlap / (gend - glo + 1 if ghi is not None else 1) if ghi is not None else n
    return total


def rate_groups(rows, year, setting, sex):
    out = {}
    for r in rows:
        if r["survey_year"] == str(year) and r["setting"] == setting and r["sex"] == sex and r["is_subtotal"] == "0":
            out[(int(r["age_lo"]), int(r["age_hi"]) if r["age_hi"] else None)] = float(r["rate_per_100k"])
    return out


def fmt_rows(rates):
    return [(sex, lo, "" if hi is None else hi, "%.4f" % rate) for sex in ("male", "female")
            for (lo, hi), rate in sorted(rates[sex].items())]


def inpatient(data, pop):
    r2023 = rate_groups(read(data, "jp_patient_survey_2014_2023_supplement.csv"), 2023, "inpatient", "total")
    r2005 = read(data, "jp_patient_survey_treatment_rates_by_sex_age.csv")
    male05, female05 = rate_groups(r2005, 2005, "inpatient", "male"), rate_groups(r2005, 2005, "inpatient", "female")
    factor = CHIBA_INPATIENT / JAPAN_INPATIENT_2023
    rates = {"male": {}, "female": {}}
    for group, total in r2023.items():
        ratio = male05[group] / female05[group]
        pm, pf = persons(pop, "male", *group), persons(pop, "female", *group)
        female = total * (pm + pf) / (pm * ratio + pf)
        rates["male"][group], rates["female"][group] = ratio * female * factor, female * factor
    print("inpatient: Chiba factor 741/945 = %.4f" % factor)
    return rates


def outpatient(data, pop):
    rows = read(data, "jp_patient_survey_treatment_rates_by_sex_age.csv")
    rates = {sex: rate_groups(rows, 2005, "outpatient", sex) for sex in ("male", "female")}
    visits = sum(persons(pop, sex, *g) * r for sex in rates for g, r in rates[sex].items())
    people = sum(persons(pop, sex, 0, None) for sex in rates)
    level = JAPAN_OUTPATIENT_2023 / (visits / people)
    factor = level * CHIBA_OUTPATIENT / JAPAN_OUTPATIENT_2023
    print("outpatient: 2005 rates give %.1f per 100k on the 2025 register; x %.4f -> 5,850; x 5,632/5,850 -> factor %.4f"
          % (visits / people, level, factor))
    return {sex: {g: r * factor for g, r in rates[sex].items()} for sex in rates}


def home_care(data, pop):
    enrolled = SCHEDULED_PER_DAY_2023 * WEEKDAYS_PER_MONTH / VISITS_PER_PATIENT_MONTH * (1 - DENTAL_SHARE)
    counts = {}
    for r in read(data, "jp_patient_survey_home_care.csv"):
        if r["survey_year"] == "2002" and r["facility"] == "all" and r["care_type"] == "houmon_shinryo":
            counts[r["age_group"]] = float(r["value"]) * 1e3
    shape_groups = {(0, 14): counts["0-14"], (15, 34): counts["15-34"], (35, 64): counts["35-64"],
                    (65, 74): counts["65+"] - counts["75+ (subtotal)"]}
    census = {"male": {}, "female": {}}
    for r in read(data, "jp_census_population_5y_sex.csv"):
        if r["census_year"] == "2005":
            census[r["sex"]][(int(r["age_lo"]), int(r["age_hi"]) if r["age_hi"] else None)] = float(r["population"])
    shape = {g: n / (persons(census, "male", *g) + persons(census, "female", *g)) for g, n in shape_groups.items()}
    under75 = sum(shape[g] * (persons(pop, "male", *g) + persons(pop, "female", *g)) for g in shape)
    scale = SHARE_UNDER_75 * enrolled / under75
    p75 = persons(pop, "male", 75, 84) + persons(pop, "female", 75, 84)
    p85 = persons(pop, "male", 85, None) + persons(pop, "female", 85, None)
    rate = {g: s * scale * 1e5 for g, s in shape.items()}
    rate[(75, 84)] = SHARE_75_84 * enrolled / p75 * 1e5
    rate[(85, None)] = SHARE_85_PLUS * enrolled / p85 * 1e5
    print("home care: enrolled nationally %.0f (166.3k x 21.7 / 2.4 x 0.6); rates per 100k %s"
          % (enrolled, {"%s-%s" % (lo, "" if hi is None else hi): round(v, 1) for (lo, hi), v in sorted(rate.items())}))
    return {"male": dict(rate), "female": dict(rate)}


def backtest_tables(data):
    rows = read(data, "jp_patient_survey_treatment_rates_by_sex_age.csv")
    for setting in ("inpatient", "outpatient"):
        rates = {sex: rate_groups(rows, 2005, setting, sex) for sex in ("male", "female")}
        write("jp_%s_rates_2005.csv" % setting, fmt_rows(rates))
    for year in ("2005", "2010", "2015"):
        out = [(r["sex"], r["age_lo"], r["age_hi"], r["population"])
               for r in read(data, "jp_census_population_5y_sex.csv") if r["census_year"] == year]
        write("jp_census_%s_5y_sex.csv" % year, out, ("sex", "age_lo", "age_hi", "population"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, metavar="DIR",
                        help="folder of the raw published tables (see scenarios/data/SOURCES.md)")
    args = parser.parse_args()
    if not os.path.isdir(args.data):
        parser.error("--data %s: no such folder" % args.data)
    pop = register_2025(args.data)
    write("demand_inpatient_rates_2023.csv", fmt_rows(inpatient(args.data, pop)))
    write("demand_outpatient_rates_2023.csv", fmt_rows(outpatient(args.data, pop)))
    write("demand_home_care_rates_2023.csv", fmt_rows(home_care(args.data, pop)))
    backtest_tables(args.data)


if __name__ == "__main__":
    main()
