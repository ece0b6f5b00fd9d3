"""The demand back-test, shared by scripts/validate-demand.py (make validate) and
scripts/make-demand-trends.py (the default trends): the engine's national all-age rates at the
2005 rates by sex and age, against each later Patient Survey's all-age rate.

Engine populations: the 2005 census; 2014 interpolated between the 2010 and 2015 censuses
(group by group, 0.2/0.8); 2017, 2020 and 2023 from japan.ini's all-median projection (expected
values). Official all-age rates: scenarios/data/patient_survey_all_ages.csv (Japan rows).
The implied annual trend of year Y: (official / engine)^(1 / (Y - 2005)) - 1, the constant
annual change that carries the 2005 rates to the survey of Y.
"""
import csv
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "scenarios", "data")
SETTINGS = ("inpatient", "outpatient")
BASE_YEAR = 2005

DEMAND_2005 = """
[demand]
inpatient_rates = {data}/jp_inpatient_rates_2005.csv
outpatient_rates = {data}/jp_outpatient_rates_2005.csv
home_care_rates = {data}/demand_home_care_rates_2023.csv
rates_year = 2005
inpatient_trend = 0
outpatient_trend = 0
"""


def official_rates(area="Japan"):
    """{year: (inpatient, outpatient)} all-age rates per 100,000 of the Patient Survey."""
    out = {}
    with open(os.path.join(DATA, "patient_survey_all_ages.csv"), newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["area"] == area:
                out.setdefault(int(r["survey_year"]), {})[r["setting"]] = float(r["rate_per_100k"])
    return {year: tuple(v[s] for s in SETTINGS) for year, v in out.items()}


def _census_scenario(path, population, year):
    with open(path, "w") as f:
        f.write("[simulation]\nbase_year = {y}\nend_year = {y}\nexpected_values = true\nreplications = 1\n"
                "[population]\nbase_population = {pop}\nmortality = {data}/jp_death_rates_2015_5y_sex.csv\n"
                "fertility = {data}/jp_asfr_2015_1x1.csv\n".format(y=year, pop=population, data=DATA))
        f.write(DEMAND_2005.format(data=DATA))


def _japan_scenario(path, end_year):
    with open(path, "w") as f:
        f.write("[scenario]\nbase = {root}/scenarios/japan.ini\n[simulation]\nend_year = {end}\n"
                "expected_values = true\nreplications = 1\n".format(root=ROOT, end=end_year))
        f.write(DEMAND_2005.format(data=DATA))


def _interpolate_2014(path):
    rows = {}
    for year, weight in (("2010", 0.2), ("2015", 0.8)):
        with open(os.path.join(DATA, "jp_census_%s_5y_sex.csv" % year), newline="") as f:
            for r in csv.DictReader(f):
                key = (r["sex"], r["age_lo"], r["age_hi"])
                rows[key] = rows.get(key, 0.0) + weight * float(r["population"])
    with open(path, "w") as f:
        f.write("sex,age_lo,age_hi,population\n")
        for (sex, lo, hi), value in rows.items():
            f.write("%s,%s,%s,%.0f\n" % (sex, lo, hi, value))


def _rates(binary, scenario, out, years):
    import h5py
    subprocess.run([binary, "run", scenario, "-q", "-o", out], check=True)
    with h5py.File(out, "r") as f:
        axis = list(f["axes/year"][:])
        result = {}
        for year in years:
            y = axis.index(year)
            people = f["population/total/mean"][0, y, 2]
            result[year] = tuple(f["demand/%s/mean" % s][0, y, 2, 4] / people * 1e5 for s in SETTINGS)
        return result


def engine_rates(binary, years=None):
    """{year: (inpatient, outpatient)} the engine's national all-age rates at the 2005 rates,
    for the survey years (default: every Japan year of the official table)."""
    years = sorted(official_rates()) if years is None else sorted(years)
    engine = {}
    with tempfile.TemporaryDirectory() as tmp:
        if BASE_YEAR in years:
            _census_scenario(os.path.join(tmp, "c2005.ini"), os.path.join(DATA, "jp_census_2005_5y_sex.csv"), 2005)
            engine.update(_rates(binary, os.path.join(tmp, "c2005.ini"), os.path.join(tmp, "c2005.h5"), [2005]))
        if 2014 in years:
            _interpolate_2014(os.path.join(tmp, "p2014.csv"))
            _census_scenario(os.path.join(tmp, "c2014.ini"), os.path.join(tmp, "p2014.csv"), 2014)
            engine.update(_rates(binary, os.path.join(tmp, "c2014.ini"), os.path.join(tmp, "c2014.h5"), [2014]))
        projected = [y for y in years if y not in (BASE_YEAR, 2014)]
        if projected:
            _japan_scenario(os.path.join(tmp, "japan.ini"), max(projected))
            engine.update(_rates(binary, os.path.join(tmp, "japan.ini"), os.path.join(tmp, "japan.h5"), projected))
    return engine


def implied_trend(official, engine, year):
    """The constant annual change carrying the engine's 2005-rate figure to the official one."""
    return (official / engine) ** (1.0 / (year - BASE_YEAR)) - 1
