/* The registry of scenario keys: name, type, default, allowed range, unit, meaning and the
 * source of the default. The single place a key is declared; the loader, `carecast check`,
 * the provenance record and scenarios/README.md (carecast keys --markdown) all read it. */
#include "carecast/scenario.h"

#include <float.h>

#define ANY (-DBL_MAX), DBL_MAX

static const cc_key_info keys[] = {
    {"scenario", "name", CC_KEY_STRING, "", ANY, NULL, "-",
     "Name of the scenario in results and charts (default: the file name without .ini).", "-"},
    {"scenario", "base", CC_KEY_PATH, "", ANY, NULL, "-",
     "Base scenario file whose keys this file inherits and may override.", "-"},
    {"simulation", "seed", CC_KEY_INT, "20250101", 0, 9007199254740991.0, NULL, "-",
     "Master seed of all random streams.", "-"},
    {"simulation", "replications", CC_KEY_INT, "100", 1, 100000000, NULL, "replications",
     "Monte Carlo replications.", "-"},
    {"simulation", "base_year", CC_KEY_INT, NULL, 1900, 2200, NULL, "year",
     "Year of the base population; the projection starts here.", "the base population table"},
    {"simulation", "end_year", CC_KEY_INT, "2050", 1900, 2300, NULL, "year",
     "Last projected year (population on the base date's day of that year).", "DOMAIN.md (to 2050)"},
    {"simulation", "expected_values", CC_KEY_BOOL, "false", ANY, NULL, "-",
     "Replace every random draw by its expectation (deaths = persons x probability, ...): "
     "a deterministic projection, for checks.", "-"},
    {"population", "base_population", CC_KEY_PATH, NULL, ANY, NULL, "persons",
     "CSV of persons by sex and age group at the base date: sex,age_lo,age_hi,population "
     "(age_hi empty for the open group, which must start at 100 or above).", "scenario table"},
    {"population", "age_split", CC_KEY_ENUM, "spline", ANY, "spline|uniform", "-",
     "How age groups are split into single years: monotone spline of the cumulative count "
     "(keeps group totals) or uniform within each group.", "method choice (README, Model)"},
    {"population", "mortality", CC_KEY_PATH, NULL, ANY, NULL, "-",
     "CSV of base mortality by sex: a life table sex,age,lx; single-year probabilities "
     "sex,age,qx; or death rates sex,age_lo,age_hi,death_rate_per_100k.", "scenario table"},
    {"population", "fertility", CC_KEY_PATH, NULL, ANY, NULL, "births per woman-year",
     "CSV of age-specific fertility rates age,asfr (single ages of the mother; missing ages 0).",
     "scenario table"},
    {"population", "sex_ratio_at_birth", CC_KEY_DOUBLE, "1.05", 0.8, 1.3, NULL, "males per female",
     "Male births per female birth.", "standard (105:100)"},
    {"population", "migration", CC_KEY_PATH, "", ANY, NULL, "persons/year",
     "Optional CSV of expected net migrants per year by sex and age group "
     "(sex,age_lo,age_hi,net_migrants; may be negative; age at the end of the year). "
     "Used as given instead of [migration] schedule.", "assumption: none"},
    {"mortality", "history", CC_KEY_PATH, "", ANY, NULL, "deaths per 100,000",
     "Optional CSV of past death rates year,sex,age_lo,age_hi,death_rate_per_100k for the "
     "Lee-Carter fit of mortality improvement and its uncertainty. None: base rates held constant.",
     "vital statistics 2009-2018 (scenarios/data/SOURCES.md)"},
    {"mortality", "exclude_years", CC_KEY_STRING, "", ANY, NULL, "years",
     "Years of the history left out of the fit (comma-separated).", "2011: the Tohoku earthquake"},
    {"mortality", "target_year", CC_KEY_INT, "0", 0, 2300, NULL, "year",
     "Year whose median life expectancy at birth is set to target_e0_male/female by choosing the "
     "drift of the period index; 0: use the drift of the fit.", "IPSS assumed path"},
    {"mortality", "target_e0_male", CC_KEY_DOUBLE, "0", 0, 120, NULL, "years",
     "Median male life expectancy at birth in target_year.", "IPSS 2017: 84.95 (2065); IPSS 2023: 85.89 (2070)"},
    {"mortality", "target_e0_female", CC_KEY_DOUBLE, "0", 0, 130, NULL, "years",
     "Median female life expectancy at birth in target_year.", "IPSS 2017: 91.35 (2065); IPSS 2023: 91.94 (2070)"},
    {"mortality", "volatility_scale", CC_KEY_DOUBLE, "1", 0, 10, NULL, "-",
     "Multiplier on the fitted volatility of the period index (0: no mortality uncertainty).",
     "assumption (1 = as fitted; range 0.5-2)"},
    {"fertility", "long_run_tfr", CC_KEY_DOUBLE, "0", 0, 5, NULL, "births per woman",
     "Total fertility rate reached in long_run_year, moving linearly from the base table's; "
     "0: the base table's TFR throughout.", "IPSS 2023 medium: 1.36"},
    {"fertility", "long_run_year", CC_KEY_INT, "2070", 1900, 2300, NULL, "year",
     "Year the long-run TFR is reached; constant after.", "IPSS 2023 horizon (assumption: linear path)"},
    {"fertility", "tfr_sd", CC_KEY_DOUBLE, "0.10", 0, 1, NULL, "births per woman",
     "Standard deviation of the long-run TFR between replications (normal).",
     "assumption (range 0.05-0.20)"},
    {"migration", "schedule", CC_KEY_ENUM, "none", ANY, "none|rogers_castro", "-",
     "Age profile of net migration: none, or a Rogers-Castro model schedule.", "assumption"},
    {"migration", "peak_age", CC_KEY_DOUBLE, "22", 10, 40, NULL, "years",
     "Age at the peak of the schedule's labour-force component.", "assumption (range 20-28)"},
    {"migration", "male_share", CC_KEY_DOUBLE, "0.5", 0, 1, NULL, "-",
     "Share of net migrants who are male.", "assumption (range 0.45-0.55)"},
    {"migration", "level", CC_KEY_DOUBLE, "0", -1e8, 1e8, NULL, "persons/year",
     "Net migrants per year (both sexes) when not calibrated.", "assumption"},
    {"migration", "calibrate_to", CC_KEY_PATH, "", ANY, NULL, "persons",
     "Optional CSV year,total_population of official totals: the level is set per period between "
     "the listed years (after the base year) so that the median total meets each.",
     "IPSS 2023 municipal projection (Kashiwa)"},
    {"migration", "noise_sd", CC_KEY_DOUBLE, "0.25", 0, 5, NULL, "fraction of level",
     "Standard deviation of the yearly factor (normal, mean 1) on net migration.",
     "assumption (range 0.10-0.50)"},
    {"demand", "inpatient_rates", CC_KEY_PATH, "", ANY, NULL, "patients per 100,000",
     "CSV sex,age_lo,age_hi,rate_per_100k of inpatients on a day at rates_year. With the two "
     "other rate tables it turns demand on.", "Patient Survey 2023 x Chiba factor (scripts/make-demand-tables.py)"},
    {"demand", "outpatient_rates", CC_KEY_PATH, "", ANY, NULL, "visits per 100,000",
     "CSV of outpatient visits on a weekday per 100,000 (same columns).",
     "Patient Survey 2005 by sex, levelled to 2023 x Chiba factor (scripts/make-demand-tables.py)"},
    {"demand", "home_care_rates", CC_KEY_PATH, "", ANY, NULL, "patients per 100,000",
     "CSV of enrolled home-care patients per 100,000 (same columns).",
     "derived: Patient Survey 2023, JMA surveys (scripts/make-demand-tables.py)"},
    {"demand", "rates_year", CC_KEY_INT, "2023", 1900, 2300, NULL, "year",
     "Year the rate tables describe; trends run from it.", "Patient Survey 2023"},
    {"demand", "inpatient_trend", CC_KEY_DOUBLE, "-0.01", -0.5, 0.5, NULL, "per year",
     "Mean annual relative change of inpatient rates.", "assumption: past declines slow (range -0.03 to 0)"},
    {"demand", "outpatient_trend", CC_KEY_DOUBLE, "0", -0.5, 0.5, NULL, "per year",
     "Mean annual relative change of outpatient rates.", "assumption (range -0.01 to +0.01)"},
    {"demand", "home_care_uptake_growth", CC_KEY_DOUBLE, "0.01", -0.5, 0.5, NULL, "per year",
     "Mean annual relative growth of home-care uptake (a policy lever).", "assumption (range 0 to 0.03)"},
    {"demand", "trend_sd", CC_KEY_DOUBLE, "0.005", 0, 0.2, NULL, "per year",
     "Standard deviation of each setting's trend between replications.", "assumption (range 0.0025-0.01)"},
    {"demand", "rate_cv", CC_KEY_DOUBLE, "0.05", 0, 1, NULL, "-",
     "Coefficient of variation of each setting's rate-level multiplier (lognormal, mean 1).",
     "assumption (range 0-0.15)"},
    {"demand", "occupancy", CC_KEY_DOUBLE, "0.80", 1e-9, 1, NULL, "-",
     "Target bed occupancy: beds needed = inpatients / occupancy. Must be in (0, 1].",
     "assumption (range 0.75-0.92: MHLW regional-plan rates by function)"},
    {"demand", "bed_capacity", CC_KEY_DOUBLE, "", 1, 1e9, NULL, "beds",
     "Beds available; when given, the probability per year that beds needed exceed it and the "
     "first year they do. Empty: none.", "not in the data for Kashiwa"},
    {"demand", "inpatient_shift_share", CC_KEY_DOUBLE, "0", 0, 1, NULL, "-",
     "Share of inpatients shifted into home care from inpatient_shift_year (a policy lever).",
     "assumption (range 0-0.10)"},
    {"demand", "inpatient_shift_year", CC_KEY_INT, "2030", 1900, 2300, NULL, "year",
     "First year of the shift.", "assumption"},
    {"demand", "urgent_calls_per_patient_month", CC_KEY_DOUBLE, "0.8", 0, 10, NULL, "calls/patient-month",
     "Urgent house-call requests per enrolled patient-month.",
     "derived: Patient Survey 2023 (range 0.4-1.2)"},
    {"demand", "clinics", CC_KEY_DOUBLE, "251", 1, 1e6, NULL, "clinics",
     "Clinics the outpatient visits are divided by (visits_per_clinic). The rates count hospital "
     "outpatient departments too, so the result is an upper bound of a clinic's load.",
     "Kashiwa: 251 general clinics (ZAITAKU_PORTAL, low-medium)"},
};

const cc_key_info *cc_scenario_keys(int *n)
{
    *n = (int)(sizeof keys / sizeof keys[0]);
    return keys;
}
