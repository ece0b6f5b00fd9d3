#!/usr/bin/python3
"""Build carecast's demand rate tables from the raw published tables and write them into
scenarios/data/, by the construction described in the README ("Model", Demand).

The raw tables (Patient Survey rates, census and resident-register populations) are read from
DIR; they come from the sources listed in scenarios/data/SOURCES.md and are not part of the
project, so DIR is required. The rows the Chiba factors need are first copied unchanged into
scenarios/data (patient_survey_all_ages.csv, jp_inpatient_rates_2023_total.csv,
chiba_japan_register_2025_5y_sex.csv) and read from there, so --chiba-factors recomputes the
factors from the project's own files. Every output is rates per 100,000 by sex and age group
(sex,age_lo,age_hi,rate_per_100k; age_hi empty for the open group). Run:
/usr/bin/python3 scripts/make-demand-tables.py --data DIR (or --chiba-factors, no DIR needed).
Prints each derived factor so a reader can check the arithmetic.

Chiba factors, by indirect standardisation: Chiba's observed all-age rate (2023, patient-address
basis: inpatient 741, outpatient 5,632 per 100,000) over the rate expected if Japan's
age-specific rates applied to Chiba's population (its 2025-01-01 register, the age groups
summed; 0 split from 0-4 as 1/5, 90+ = 90-94 + 95-99 + 100+). Japan's age-specific rates: for
inpatients the 2023 rates by age (both sexes); for outpatients the national rates of step 2
below by sex and age (no 2023 outpatient rates by age were found). Unlike the crude ratio
(741/945 = 0.784) this leaves out the effect of Chiba's younger age structure.

1. Inpatient (2023 anchor): the 2023 national rates by age (both sexes), split by sex with the
   2005 male/female ratio in each age group (population weights: Japan's 2025-01-01 register),
   times Chiba's inpatient factor.
2. Outpatient (2023 anchor): the 2005 national rates by sex and age, times the factor that makes
   them give the 2023 national all-age rate (5,850) on Japan's 2025-register population, times
   Chiba's outpatient factor.
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

# The demand defaults (each a cited or derived figure; sources in scenarios/data/SOURCES.md);
# the observed all-age rates are read from scenarios/data/patient_survey_all_ages.csv.
SCHEDULED_PER_DAY_2023 = 166.3e3
# the engine scales the home-care table by 2.4 / visits x (1 - dental) / 0.6 per replication:
# these two must stay CC_HOME_CARE_TABLE_VISITS and CC_HOME_CARE_TABLE_DENTAL_SHARE (demand.h)
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


def copy_inputs(data):
    """Copy, unchanged, the raw rows the Chiba factors need into scenarios/data."""
    rows = [(r["survey_year"], "Japan", r["setting"], r["rate_per_100k"])
            for r in read(data, "jp_patient_survey_treatment_rates_by_sex_age.csv")
            if r["age_label"] == "all ages" and r["sex"] == "total" and r["survey_year"] in ("2005", "2017", "2020")]
    area = {"Japan": "Japan", "Japan (patient-address basis)": "Japan", "Chiba prefecture (patient-address basis)": "Chiba"}
    supplement = read(data, "jp_patient_survey_2014_2023_supplement.csv")
    rows += [(r["survey_year"], area[r["geography"]], r["setting"], r["rate_per_100k"]) for r in supplement
             if r["age_label"] == "all ages" and r["sex"] == "total"
             and (r["survey_year"] == "2014" or r["source_id"] == "MHLW_PS2023_T39")]
    rows.sort(key=lambda x: (x[1] != "Japan", int(x[0]), x[2]))
    write("patient_survey_all_ages.csv", rows, ("survey_year", "area", "setting", "rate_per_100k"))
    write("jp_inpatient_rates_2023_total.csv",
          [("total", r["age_lo"], r["age_hi"], r["rate_per_100k"]) for r in supplement
           if r["survey_year"] == "2023" and r["geography"] == "Japan" and r["is_subtotal"] == "0"
           and r["setting"] == "inpatient" and r["sex"] == "total"])
    names = {"12000": "Chiba", "00000": "Japan"}
    write("chiba_japan_register_2025_5y_sex.csv",
          [(names[r["area_code"]], r["sex"], r["age_lo"], r["age_hi"], r["population"])
           for r in read(data, "kashiwa_chiba_jp_juki_2025_5y_sex.csv") if r["area_code"] in names and r["age_lo"] != ""],
          ("area", "sex", "age_lo", "age_hi", "population"))


def register_2025(area="Japan"):
    """The 2025-01-01 register of Japan or Chiba (scenarios/data copy): {sex: {(lo, hi): persons}}
    with hi None for 100+, sexes male, female and total."""
    pop = {"male": {}, "female": {}, "total": {}}
    for r in read(OUT, "chiba_japan_register_2025_5y_sex.csv"):
        if r["area"] == area:
            pop[r["sex"]][(int(r["age_lo"]), int(r["age_hi"]) if r["age_hi"] else None)] = float(r["population"])
    return pop


def observed(area, setting, year=2023):
    """All-age rate per 100,000 of the Patient Survey (scenarios/data copy)."""
    for r in read(OUT, "patient_survey_all_ages.csv"):
        if r["area"] == area and r["setting"] == setting and r["survey_year"] == str(year):
            return float(r["rate_per_100k"])
    raise KeyError((area, setting, year))


def indirect_factor(setting, rates, sexes):
    """Chiba's observed 2023 all-age rate over the rate expected from the age-specific `rates`
    ({sex: {group: rate}}) applied to Chiba's 2025 register (sexes: the register's sexes the
    rates are given for). Returns (factor, expected rate)."""
    chiba = register_2025("Chiba")
    cases = sum(persons(chiba, sex, *g) * r for sex in sexes for g, r in rates[sex].items())
    people = sum(persons(chiba, sex, 0, None) for sex in sexes)
    expected = cases / people
    return observed("Chiba", setting) / expected, expected


def national_inpatient_2023():
    """{"total": {group: rate}} Japan's 2023 inpatient rates by age, both sexes (scenarios/data copy)."""
    return {"total": {(int(r["age_lo"]), int(r["age_hi"]) if r["age_hi"] else None): float(r["rate_per_100k"])
                      for r in read(OUT, "jp_inpatient_rates_2023_total.csv")}}


def national_outpatient_2023(pop):
    """({sex: {group: rate}}, level): the 2005 rates by sex x the level giving 5,850 on `pop`."""
    rates = {}
    for r in read(OUT, "jp_outpatient_rates_2005.csv"):
        rates.setdefault(r["sex"], {})[(int(r["age_lo"]), int(r["age_hi"]) if r["age_hi"] else None)] = \
            float(r["rate_per_100k"])
    visits = sum(persons(pop, sex, *g) * r for sex in rates for g, r in rates[sex].items())
    people = sum(persons(pop, sex, 0, None) for sex in rates)
    level = observed("Japan", "outpatient") / (visits / people)
    return {sex: {g: r * level for g, r in rates[sex].items()} for sex in rates}, level, visits / people


def chiba_factors():
    """{setting: (factor, expected rate)} by indirect standardisation, from scenarios/data alone."""
    national, _, _ = national_outpatient_2023(register_2025("Japan"))
    return {"inpatient": indirect_factor("inpatient", national_inpatient_2023(), ("total",)),
            "outpatient": indirect_factor("outpatient", national, ("male", "female"))}


def print_chiba_factors(factors):
    for setting, (factor, expected) in factors.items():
        crude = observed("Chiba", setting) / observed("Japan", setting)
        print("%s: Chiba factor %.0f / %.1f expected = %.4f (indirect standardisation; crude %.0f/%.0f = %.4f)"
              % (setting, observed("Chiba", setting), expected, factor, observed("Chiba", setting),
                 observed("Japan", setting), crude))


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


def inpatient(data, pop, factor):
    r2023 = national_inpatient_2023()["total"]
    r2005 = read(data, "jp_patient_survey_treatment_rates_by_sex_age.csv")
    male05, female05 = rate_groups(r2005, 2005, "inpatient", "male"), rate_groups(r2005, 2005, "inpatient", "female")
    rates = {"male": {}, "female": {}}
    for group, total in r2023.items():
        ratio = male05[group] / female05[group]
        pm, pf = persons(pop, "male", *group), persons(pop, "female", *group)
        female = total * (pm + pf) / (pm * ratio + pf)
        rates["male"][group], rates["female"][group] = ratio * female * factor, female * factor
    print("inpatient: 2023 rates by age split by sex, x Chiba factor %.4f" % factor)
    return rates


def outpatient(pop, factor):
    national, level, rate2005 = national_outpatient_2023(pop)
    print("outpatient: 2005 rates give %.1f per 100k on the 2025 register; x %.4f -> 5,850; x Chiba factor %.4f "
          "-> one factor %.4f" % (rate2005, level, factor, level * factor))
    return {sex: {g: r * factor for g, r in national[sex].items()} for sex in national}


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
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--data", metavar="DIR",
                       help="folder of the raw published tables (see scenarios/data/SOURCES.md)")
    group.add_argument("--chiba-factors", action="store_true",
                       help="print the Chiba factors from the copies in scenarios/data only; write nothing")
    args = parser.parse_args()
    if args.chiba_factors:
        print_chiba_factors(chiba_factors())
        return
    if not os.path.isdir(args.data):
        parser.error("--data %s: no such folder" % args.data)
    copy_inputs(args.data)
    backtest_tables(args.data)  # the 2005 rates: also the outpatient tables' national base
    pop = register_2025("Japan")
    factors = chiba_factors()
    print_chiba_factors(factors)
    write("demand_inpatient_rates_2023.csv", fmt_rows(inpatient(args.data, pop, factors["inpatient"][0])))
    write("demand_outpatient_rates_2023.csv", fmt_rows(outpatient(pop, factors["outpatient"][0])))
    write("demand_home_care_rates_2023.csv", fmt_rows(home_care(args.data, pop)))
    # the same national rates without the Chiba factors, for municipalities elsewhere (the
    # region scenarios of `carecast run --region`, scenarios/municipality.ini)
    write("demand_inpatient_rates_2023_japan.csv", fmt_rows(inpatient(args.data, pop, 1.0)))
    write("demand_outpatient_rates_2023_japan.csv", fmt_rows(outpatient(pop, 1.0)))


if __name__ == "__main__":
    main()
