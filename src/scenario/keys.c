/* The registry of scenario keys: name, the field of cc_scenario it fills, type, default,
 * allowed range, unit, meaning and the source of the default. The single place a key is declared; the loader, `carecast check`,
 * the provenance record and scenarios/README.md (carecast keys --markdown) all read it. */
#include "keys.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <float.h>
#include <stddef.h>

#define ANY (-DBL_MAX), DBL_MAX, 0 /* min, max, flags: any number */
#define AT(field) offsetof(cc_scenario, field), sizeof(((cc_scenario *)0)->field)
#define UNBOUND CC_KEY_UNBOUND, 0

static const cc_key_info keys[] = {
    {"scenario", "name", CC_KEY_STRING, UNBOUND, "", ANY, NULL, "-",
     "Name of the scenario in results and charts (default: the file name without .ini).", "user's choice (not a model parameter)"},
    {"scenario", "base", CC_KEY_PATH, UNBOUND, "", ANY, NULL, "-",
     "Base scenario file whose keys this file inherits and may override.", "user's choice (not a model parameter)"},
    {"simulation", "seed", CC_KEY_INT, AT(run.seed), "20250101", 0, 9007199254740991.0, 0, NULL, "-",
     "Master seed of all random streams.", "run setting (not a model parameter)"},
    {"simulation", "replications", CC_KEY_INT, AT(run.replications), "100", 1, 100000000, 0, NULL, "replications",
     "Monte Carlo replications.", "run setting (not a model parameter)"},
    {"simulation", "base_year", CC_KEY_INT, AT(population.base_year), "0", 0, 2200, 0, NULL, "year",
     "First year point of the projection (the base population on the reference date of that year). "
     "0: the year of the first reference date on or after base_date.", "the base population table"},
    {"simulation", "base_date", CC_KEY_STRING, UNBOUND, "", ANY, NULL, "date",
     "Date the base population was counted, YYYY-MM-DD; the first step runs from it to the first "
     "reference date (a part of a year). Empty: the reference date of base_year.", "the base population table"},
    {"simulation", "reference_date", CC_KEY_STRING, UNBOUND, "10-01", ANY, NULL, "date",
     "Month and day (MM-DD) of every year point: year Y is this date in Y.",
     "IPSS projections and the census count people on 1 October"},
    {"simulation", "end_year", CC_KEY_INT, AT(population.end_year), "2050", 1900, 2300, 0, NULL, "year",
     "Last year point (the reference date of that year).", "planning horizon (regional plans look to 2050)"},
    {"simulation", "expected_values", CC_KEY_BOOL, AT(run.expected_values), "false", ANY, NULL, "-",
     "Replace every random draw by its expectation (deaths = persons x probability, ...): "
     "a deterministic projection, for checks.", "run setting (not a model parameter)"},
    {"population", "base_population", CC_KEY_PATH, UNBOUND, NULL, ANY, NULL, "persons",
     "CSV of persons by sex and age group at the base date: sex,age_lo,age_hi,population "
     "(age_hi empty for the open group, which must start at 100 or above).", "scenario table"},
    {"population", "age_split", CC_KEY_ENUM, AT(population.age_split), "spline", ANY, "spline|uniform", "-",
     "How age groups are split into single years: monotone spline of the cumulative count "
     "(keeps group totals) or uniform within each group.", "method choice (README, Model)"},
    {"population", "mortality", CC_KEY_PATH, UNBOUND, NULL, ANY, NULL, "-",
     "CSV of base mortality by sex: a life table sex,age,lx; single-year probabilities "
     "sex,age,qx; or death rates sex,age_lo,age_hi,death_rate_per_100k.", "scenario table"},
    {"population", "mortality_year", CC_KEY_INT, AT(population.mortality_year), "0", 0, 2300, 0, NULL, "year",
     "Calendar year the base mortality table describes; improvement runs from it. 0: the base date's year.",
     "the mortality table"},
    {"population", "fertility", CC_KEY_PATH, UNBOUND, NULL, ANY, NULL, "births per woman-year",
     "CSV of age-specific fertility rates age,asfr (single ages of the mother; missing ages 0).",
     "scenario table"},
    {"population", "sex_ratio_at_birth", CC_KEY_DOUBLE, AT(population.sex_ratio_at_birth), "1.05", 0.8, 1.3, 0, NULL, "males per female",
     "Male births per female birth.", "standard (105:100)"},
    {"population", "migration", CC_KEY_PATH, UNBOUND, "", ANY, NULL, "persons/year",
     "Optional CSV of expected net migrants per year by sex and age group "
     "(sex,age_lo,age_hi,net_migrants; may be negative; age at the end of the year). "
     "Used as given instead of [migration] schedule.", "assumption: none"},
    {"mortality", "history", CC_KEY_PATH, UNBOUND, "", ANY, NULL, "deaths per 100,000",
     "Optional CSV of past death rates year,sex,age_lo,age_hi,death_rate_per_100k for the "
     "Lee-Carter fit of mortality improvement and its uncertainty. None: base rates held constant.",
     "vital statistics 2009-2018 (scenarios/data/SOURCES.md)"},
    {"mortality", "observed", CC_KEY_PATH, UNBOUND, "", ANY, NULL, "deaths per 100,000",
     "Optional CSV of observed death rates year,sex,age_lo,age_hi,death_rate_per_100k (each year its own "
     "age groups, the last open): the calendar years it lists use these rates instead of the model's.",
     "vital statistics, life tables (hindcasts)"},
    {"mortality", "history_exposures", CC_KEY_PATH, UNBOUND, "", ANY, NULL, "persons",
     "Optional CSV of the population at risk of the history's rates, year,sex,age_lo,age_hi,population "
     "(every kept year, sex and age group of the history; other rows ignored). Given: the Lee-Carter fit is "
     "the Poisson log-bilinear fit, deaths = rate x population weighting each cell (Brouhns et al. 2002). "
     "None: the unweighted SVD fit of the log rates, where the noisy rates of small groups weigh as much "
     "as the rest.", "derived: censuses 2005/2010/2015 interpolated (scripts/make-exposures-table.py)"},
    {"mortality", "carry_b_from_age", CC_KEY_INT, AT(population.carry_b_from_age), "95", 0, 150, 0, NULL, "years",
     "History groups starting at or above this age whose fitted b(x) is below zero by more than 2 standard "
     "errors (mortality rising as it falls everywhere else) take the b(x) of the group below, and are "
     "marked carried in the results; a b(x) of about zero or above is kept. 0: b(x) as fitted everywhere.",
     "method choice: the 95-99 and 100+ series break in 2010 and 2015 (README, Mortality)"},
    {"mortality", "oldest_old", CC_KEY_ENUM, AT(population.oldest_old), "kannisto", ANY, "kannisto|none", "-",
     "Base death rates at 95-99 and 100+: kannisto, a logistic hazard fitted to the base rates of ages "
     "85-99, gives each single age 95-99 its rate and the open group the rate of a stationary population "
     "above 100; none: the base table's rates as read (a 5-year table: flat over each group).",
     "Thatcher, Kannisto and Vaupel 1998 (README, Mortality)"},
    {"mortality", "exclude_years", CC_KEY_STRING, UNBOUND, "", ANY, NULL, "years",
     "Years of the history left out of the fit (comma-separated).", "2011: the Tohoku earthquake"},
    {"mortality", "target_year", CC_KEY_INT, AT(population.mortality_target_year), "0", 0, 2300, 0, NULL, "year",
     "Year whose median life expectancy at birth is set to target_e0_male/female by choosing the "
     "drift of the period index; 0: use the drift of the fit.", "IPSS assumed path"},
    {"mortality", "target_e0_male", CC_KEY_DOUBLE, AT(population.target_e0[CC_MALE]), "0", 0, 120, 0, NULL, "years",
     "Median male life expectancy at birth in target_year.", "IPSS 2017: 84.95 (2065); IPSS 2023: 85.89 (2070)"},
    {"mortality", "target_e0_female", CC_KEY_DOUBLE, AT(population.target_e0[CC_FEMALE]), "0", 0, 130, 0, NULL, "years",
     "Median female life expectancy at birth in target_year.", "IPSS 2017: 91.35 (2065); IPSS 2023: 91.94 (2070)"},
    {"mortality", "volatility_scale", CC_KEY_DOUBLE, AT(population.volatility_scale), "1", 0, 10, 0, NULL, "-",
     "Multiplier on the fitted volatility of the period index (0: no mortality uncertainty).",
     "assumption (1 = as fitted; range 0.5-2)"},
    {"fertility", "long_run_tfr", CC_KEY_DOUBLE, AT(population.long_run_tfr), "0", 0, 5, 0, NULL, "births per woman",
     "Total fertility rate reached in long_run_year, moving linearly from the base table's; "
     "0: the base table's TFR throughout.", "IPSS 2023 medium: 1.36"},
    {"fertility", "long_run_year", CC_KEY_INT, AT(population.long_run_year), "2070", 1900, 2300, 0, NULL, "year",
     "Year the long-run TFR is reached; constant after.", "IPSS 2023 horizon (assumption: linear path)"},
    {"fertility", "tfr_sd", CC_KEY_DOUBLE, AT(population.tfr_sd), "0.10", 0, 1, 0, NULL, "births per woman",
     "Standard deviation of the long-run TFR between replications (normal).",
     "assumption (range 0.05-0.20)"},
    {"migration", "schedule", CC_KEY_ENUM, AT(population.migration_schedule), "none", ANY, "none|rogers_castro", "-",
     "Age profile of net migration: none, or a Rogers-Castro model schedule.", "assumption"},
    {"migration", "peak_age", CC_KEY_DOUBLE, AT(population.migration_peak_age), "22", 10, 40, 0, NULL, "years",
     "Age at the peak of the schedule's labour-force component.", "assumption (range 20-28)"},
    {"migration", "male_share", CC_KEY_DOUBLE, AT(population.migration_male_share), "0.5", 0, 1, 0, NULL, "-",
     "Share of net migrants who are male.", "assumption (range 0.45-0.55)"},
    {"migration", "level", CC_KEY_DOUBLE, AT(population.migration_level), "0", -1e8, 1e8, 0, NULL, "persons/year",
     "Net migrants per year (both sexes) when not calibrated.", "assumption"},
    {"migration", "calibrate_to", CC_KEY_PATH, UNBOUND, "", ANY, NULL, "persons",
     "Optional CSV year,total_population of official totals: the level is set per period between "
     "the listed years (after the base year) so that the median total meets each.",
     "IPSS 2023 municipal projection (Kashiwa)"},
    {"migration", "noise_sd", CC_KEY_DOUBLE, AT(population.migration_noise_sd), "0.25", 0, 1, 0, NULL, "fraction of level",
     "Standard deviation of the yearly factor on net migration: 1 + sd z, z standard normal, never below 0 "
     "(a year's flow is scaled, never reversed; at sd 0.5 a factor of 0 has probability 2.3%).",
     "assumption (range 0.10-0.50)"},
    {"migration", "persistent_sd", CC_KEY_DOUBLE, AT(population.migration_persistent_sd), "0.00089", 0, 0.1, 0, NULL,
     "per person per sqrt(year)",
     "Standard deviation of the yearly step of a random walk in the net migration rate (extra net "
     "migrants per person per year, spread by the migration profile): a departure from the official "
     "path that persists. 0: none.",
     "derived: the 90% band covers IPSS 2013's misses for Kashiwa, -2.3% at 10 years and -5.2% at 15 (scripts/derive-persistent-migration.py)"},
    {"demand", "inpatient_rates", CC_KEY_PATH, UNBOUND, "", ANY, NULL, "patients per 100,000",
     "CSV sex,age_lo,age_hi,rate_per_100k of inpatients on a day at rates_year. With the two "
     "other rate tables it turns demand on.", "Patient Survey 2023 x Chiba factor (scripts/make-demand-tables.py)"},
    {"demand", "outpatient_rates", CC_KEY_PATH, UNBOUND, "", ANY, NULL, "visits per 100,000",
     "CSV of outpatient visits on a weekday per 100,000 (same columns).",
     "Patient Survey 2005 by sex, levelled to 2023 x Chiba factor (scripts/make-demand-tables.py)"},
    {"demand", "home_care_rates", CC_KEY_PATH, UNBOUND, "", ANY, NULL, "patients per 100,000",
     "CSV of enrolled home-care patients per 100,000 (same columns).",
     "derived: Patient Survey 2023, JMA surveys (scripts/make-demand-tables.py)"},
    {"demand", "rates_year", CC_KEY_INT, AT(demand.rates_year), "2023", 1900, 2300, 0, NULL, "year",
     "Year the rate tables describe; trends run from it.", "Patient Survey 2023"},
    {"demand", "inpatient_trend", CC_KEY_DOUBLE, AT(demand.trend[CC_SETTING_INPATIENT]), "-0.0303", -0.5, 0.5, 0, NULL, "per year",
     "Mean annual relative change of inpatient rates in rates_year, damped by trend_damping a year after.",
     "derived: the 2005-2023 trend of the Patient Survey back-test (scripts/make-demand-trends.py)"},
    {"demand", "outpatient_trend", CC_KEY_DOUBLE, AT(demand.trend[CC_SETTING_OUTPATIENT]), "-0.0047", -0.5, 0.5, 0, NULL, "per year",
     "Mean annual relative change of outpatient rates in rates_year, damped by trend_damping a year after.",
     "derived: the 2005-2023 trend of the Patient Survey back-test (scripts/make-demand-trends.py)"},
    {"demand", "trend_damping", CC_KEY_DOUBLE, AT(demand.trend_damping), "0.9", 0, 1, 0, NULL, "per year",
     "Damping of the inpatient and outpatient trends: the annual change in year rates_year + t is the "
     "trend x trend_damping^t (1: a constant trend; 0: no change after rates_year). Home-care uptake "
     "growth is not damped.", "assumption (range 0.8-1)"},
    {"demand", "home_care_uptake_growth", CC_KEY_DOUBLE, AT(demand.trend[CC_SETTING_HOME_CARE]), "0.01", -0.5, 0.5, 0, NULL, "per year",
     "Mean annual relative growth of home-care uptake (a policy lever).", "assumption (range 0 to 0.03)"},
    {"demand", "trend_sd", CC_KEY_DOUBLE, AT(demand.trend_sd), "0.005", 0, 0.2, 0, NULL, "per year",
     "Standard deviation of each setting's trend between replications.", "assumption (range 0.0025-0.01)"},
    {"demand", "rate_cv", CC_KEY_DOUBLE, AT(demand.rate_cv), "0.05", 0, 1, 0, NULL, "-",
     "Coefficient of variation of each setting's rate-level multiplier (lognormal, mean 1).",
     "assumption (range 0-0.15)"},
    {"demand", "occupancy", CC_KEY_DOUBLE, AT(demand.occupancy), "0.80", 0, 1, CC_KEY_MIN_EXCLUSIVE, NULL, "-",
     "Target bed occupancy: beds needed = inpatients / occupancy.",
     "assumption (range 0.75-0.92: MHLW regional-plan rates by function)"},
    {"demand", "bed_capacity", CC_KEY_DOUBLE, AT(demand.bed_capacity), "", 1, 1e9, 0, NULL, "beds",
     "Beds available; when given, the probability per year that beds needed exceed it and the "
     "first year they do. Empty: none.", "not in the data for Kashiwa"},
    {"demand", "inpatient_shift_share", CC_KEY_DOUBLE, AT(demand.shift_share), "0", 0, 1, 0, NULL, "-",
     "Share of inpatients shifted into home care from inpatient_shift_year (a policy lever).",
     "assumption (range 0-0.10)"},
    {"demand", "inpatient_shift_year", CC_KEY_INT, AT(demand.shift_year), "2030", 1900, 2300, 0, NULL, "year",
     "First year of the shift.", "assumption"},
    {"demand", "visits_per_patient_month", CC_KEY_DOUBLE, AT(demand.visits_per_patient_month[CC_TRI_MODE]), "2.4", 0, 31, CC_KEY_MIN_EXCLUSIVE, NULL, "visits/patient-month",
     "Scheduled visits per enrolled home-care patient-month, turning the daily scheduled-visit patients "
     "into enrolled patients (enrolled = patients a day x 21.7 / visits x (1 - dental_share)); the mode "
     "of its triangular draw per replication (the home-care table is built with 2.4).",
     "derived: JMA 58.3 visits / 23.6 patients a clinic-month = 2.47 (range 1.9-2.5)"},
    {"demand", "visits_per_patient_month_min", CC_KEY_DOUBLE, AT(demand.visits_per_patient_month[CC_TRI_MIN]), "1.9", 0, 31, CC_KEY_MIN_EXCLUSIVE, NULL, "visits/patient-month",
     "Lowest visits per patient-month drawn (triangular; at most visits_per_patient_month; equal to the "
     "maximum: no uncertainty).", "derived: the range of visits_per_patient_month"},
    {"demand", "visits_per_patient_month_max", CC_KEY_DOUBLE, AT(demand.visits_per_patient_month[CC_TRI_MAX]), "2.5", 0, 31, CC_KEY_MIN_EXCLUSIVE, NULL, "visits/patient-month",
     "Highest visits per patient-month drawn (triangular; at least visits_per_patient_month).",
     "derived: the range of visits_per_patient_month"},
    {"demand", "dental_share", CC_KEY_DOUBLE, AT(demand.dental_share[CC_TRI_MODE]), "0.40", 0, 1, 0, NULL, "-",
     "Dental share of the daily scheduled-visit patients, left out of the enrolled medical patients; the "
     "mode of its triangular draw per replication (the home-care table is built with 0.40).",
     "derived: dental was 30% of all home-care patients in 2017 and 40% in 2023, a floor for its share "
     "of scheduled visits (range 0.30-0.55)"},
    {"demand", "dental_share_min", CC_KEY_DOUBLE, AT(demand.dental_share[CC_TRI_MIN]), "0.30", 0, 1, 0, NULL, "-",
     "Lowest dental share drawn (triangular; at most dental_share; equal to the maximum: no uncertainty).",
     "derived: the range of dental_share"},
    {"demand", "dental_share_max", CC_KEY_DOUBLE, AT(demand.dental_share[CC_TRI_MAX]), "0.55", 0, 1, 0, NULL, "-",
     "Highest dental share drawn (triangular; at least dental_share).", "derived: the range of dental_share"},
    {"demand", "urgent_calls_per_patient_month", CC_KEY_DOUBLE, AT(demand.urgent_calls_per_patient_month), "0.8", 0, 10, 0, NULL, "calls/patient-month",
     "Urgent house-call requests (calls) per enrolled patient-month; [coverage] urgent_visit_share of "
     "them need a visit (the urgent_visits series).",
     "derived: Patient Survey 2023 (range 0.4-1.2)"},
    {"demand", "clinics", CC_KEY_DOUBLE, AT(demand.clinics), "", 1, 1e6, 0, NULL, "clinics",
     "Clinics the outpatient visits are divided by (visits_per_clinic). The rates count hospital "
     "outpatient departments too, so the result is an upper bound of a clinic's load. Empty: not "
     "known, and visits_per_clinic is NaN (undefined).",
     "the region's own count (kashiwa.ini: 251 general clinics in 2024, a regional medical-care portal; moderately reliable, see scenarios/data/SOURCES.md)"},
    {"coverage", "clinics", CC_KEY_PATH, UNBOUND, "", ANY, NULL, "-",
     "CSV of the clinics of the on-call simulation: id,block,type,doctors,panel_capacity,participates,backup "
     "(see Tables). Empty: no coverage stage. Needs the [demand] rate tables (its patients are the "
     "demand stage's home-care patients).", "scenario table (scripts/make-clinics-table.py for Kashiwa)"},
    {"coverage", "blocks", CC_KEY_INT, AT(coverage.nblocks), "3", 1, CC_COVERAGE_MAX_BLOCKS, 0, NULL, "blocks",
     "Blocks of the region; the clinics table's block column counts from 1.",
     "Kashiwa City Medical Association: 3 blocks (JKRI 2015, scenarios/data/SOURCES.md)"},
    {"coverage", "block_shares", CC_KEY_STRING, UNBOUND, "", ANY, NULL, "-",
     "Population share of each block, comma-separated, one per block, each above 0, summing to 1 "
     "(within 1e-6; rescaled to sum exactly). Empty: equal shares.", "assumption: blocks of equal population"},
    {"coverage", "area_km2", CC_KEY_DOUBLE, AT(coverage.area_km2), "114.74", 0, 1e6, CC_KEY_MIN_EXCLUSIVE, NULL, "km2",
     "Area of the region, split equally over the blocks (travel distances).",
     "Kashiwa city area (scenarios/data/SOURCES.md)"},
    {"coverage", "target_years", CC_KEY_STRING, UNBOUND, "2025,2030,2040", ANY, NULL, "years",
     "Years simulated, comma-separated, increasing, none before [simulation] base_year, within 2000-2100 "
     "(the calendar's range); years after end_year are left out (at least one must remain).", "user's choice: the first year, 2030 and 2040"},
    {"coverage", "schemes", CC_KEY_STRING, UNBOUND, "pairing,rotation,solo,cooperative", ANY, NULL, "-",
     "Coverage schemes compared, comma-separated, each at most once, from pairing, rotation, solo and "
     "cooperative; the first is the reference of the paired differences.",
     "the schemes of the comparison (pairing first: Kashiwa's own)"},
    {"coverage", "replications", CC_KEY_INT, AT(coverage.replications), "50", 0, 100000000, 0, NULL, "replications",
     "Replications simulated by the coverage stage (the first ones); 0: all. A value above [simulation] "
     "replications is lowered to it.", "run setting (not a model parameter): keeps a run near a minute"},
    {"coverage", "max_primaries_per_backup", CC_KEY_INT, AT(coverage.max_primaries_per_backup), "5", 1, 100, 0, NULL, "clinics",
     "Most primary clinics one backup clinic pairs with (given in the table or chosen by the engine).",
     "the 2011-13 Kashiwa pilot: 5 primaries, 1 backup (SEIHUKAI, scenarios/data/SOURCES.md)"},
    {"coverage", "scheduled_visits_per_patient_month", CC_KEY_DOUBLE, AT(coverage.scheduled_visits_per_patient_month), "2.4", 0, 31, CC_KEY_MIN_EXCLUSIVE, NULL, "visits/patient-month",
     "Scheduled visits per patient-month, uniform over in-hours time (Saturday mornings included).",
     "derived: JMA 58.3 visits / 23.6 patients a clinic-month = 2.47 (range 1.9-2.5)"},
    {"coverage", "scheduled_visit_minutes", CC_KEY_DOUBLE, AT(coverage.scheduled_visit_minutes), "20", 0, 240, CC_KEY_MIN_EXCLUSIVE, NULL, "minutes",
     "Length of a scheduled visit (travel apart).",
     "derived: mean visit times 17.5-25.8 min (Chuikyo 2022 survey; range 15-30)"},
    {"coverage", "urgent_visit_share", CC_KEY_DOUBLE, AT(coverage.urgent_visit_share), "0.6", 0, 1, 0, NULL, "-",
     "Share of urgent calls answered by a visit; the rest by phone advice.", "assumption (range 0.4-0.8)"},
    {"coverage", "urgent_visit_minutes", CC_KEY_DOUBLE, AT(coverage.urgent_visit_minutes), "30", 0, 480, CC_KEY_MIN_EXCLUSIVE, NULL, "minutes",
     "Length of an urgent visit (travel apart).", "assumption (range 20-60)"},
    {"coverage", "phone_minutes", CC_KEY_DOUBLE, AT(coverage.phone_minutes), "10", 0, 240, CC_KEY_MIN_EXCLUSIVE, NULL, "minutes",
     "Length of phone advice.", "assumption (no range set)"},
    {"coverage", "call_rate_shape", CC_KEY_DOUBLE, AT(coverage.call_rate_shape), "1", 0, 1000, CC_KEY_MIN_EXCLUSIVE, NULL, "-",
     "Gamma shape of the patients' urgent-call rates (mean 1, drawn once per patient; "
     "the rate itself is [demand] urgent_calls_per_patient_month).",
     "derived: with 0.8 x 0.6 visits a patient-month it puts 12.5% of patients at 1+ a month, "
     "13.0% observed (Kashiwa/Tsukuba cohort; range 0.5-2)"},
    {"coverage", "in_hours_call_share", CC_KEY_DOUBLE, AT(coverage.in_hours_call_share), "0.65", 0, 1, 0, NULL, "-",
     "Share of urgent calls arriving in hours (uniform over in-hours time).",
     "assumption: 35% out of hours (range 0.5-0.8)"},
    {"coverage", "night_share_of_ooh", CC_KEY_DOUBLE, AT(coverage.night_share_of_ooh), "0.3333333", 0, 1, 0, NULL, "-",
     "Share of the out-of-hours calls arriving at night (22:00-06:00); the rest are uniform over the "
     "other out-of-hours time.", "assumption: a third (range 0.2-0.5)"},
    {"coverage", "exit_short_share", CC_KEY_DOUBLE, AT(coverage.exit_short_share), "0.215", 0, 1, 0, NULL, "-",
     "Time on home care, a mixture of two exponentials: share of entrants with a short stay.",
     "derived: least-squares fit to the entrants' survival 73.4/64.2/52.6/34.6% at 6/12/24/48 months "
     "(Kaneko 2021); mean 46.9 months, 2.13% exits a month (range 1.5-3.6%)"},
    {"coverage", "exit_short_mean_months", CC_KEY_DOUBLE, AT(coverage.exit_short_mean_months), "2.8", 0, 600, CC_KEY_MIN_EXCLUSIVE, NULL, "months",
     "Mean of the short stays.", "derived: the same fit (see exit_short_share)"},
    {"coverage", "exit_long_mean_months", CC_KEY_DOUBLE, AT(coverage.exit_long_mean_months), "59", 0, 1200, CC_KEY_MIN_EXCLUSIVE, NULL, "months",
     "Mean of the long stays.", "derived: the same fit (see exit_short_share)"},
    {"coverage", "home_death_share", CC_KEY_DOUBLE, AT(coverage.home_death_share), "0.5", 0, 1, 0, NULL, "-",
     "Share of exits that are deaths at home (needing a doctor at any hour), independent of the length "
     "of stay; every exit is replaced by a new patient.", "assumption (range 0.3-0.7)"},
    {"coverage", "death_visit_minutes", CC_KEY_DOUBLE, AT(coverage.death_visit_minutes), "45", 0, 480, CC_KEY_MIN_EXCLUSIVE, NULL, "minutes",
     "Length of the visit for a death at home (travel apart).", "assumption (range 30-60)"},
    {"coverage", "absence_days", CC_KEY_DOUBLE, AT(coverage.absence_days), "15", 0, 180, 0, NULL, "days/year",
     "Days each doctor is away a year, in non-overlapping spells of 1 to absence_max_spell_days days, "
     "each day 08:30-08:30.", "assumption (range 5-30)"},
    {"coverage", "absence_max_spell_days", CC_KEY_INT, AT(coverage.absence_max_spell_days), "5", 1, 60, 0, NULL, "days",
     "Longest spell of absence.", "assumption: spells of 1-5 days"},
    {"coverage", "max_wait_minutes", CC_KEY_DOUBLE, AT(coverage.max_wait_minutes), "120", 0, 1440, CC_KEY_MIN_EXCLUSIVE, NULL, "minutes",
     "Longest wait from a call to the doctor's arrival (visit) or answer (phone); a call that cannot "
     "be met within it escalates to ambulance and hospital.", "assumption: 2 h (range 60-240 min)"},
    {"coverage", "speed_kmh", CC_KEY_DOUBLE, AT(coverage.speed_kmh), "25", 0, 200, CC_KEY_MIN_EXCLUSIVE, NULL, "km/h",
     "Travel speed; a visit's travel is the round trip.", "assumption (range 15-40)"},
    {"coverage", "distance_factor", CC_KEY_DOUBLE, AT(coverage.distance_factor), "0.52", 0, 2, CC_KEY_MIN_EXCLUSIVE, NULL, "-",
     "One-way distance = distance_factor x sqrt(block area).",
     "geometry: mean distance between two random points of a square is 0.5214 x its side"},
    {"coverage", "max_duty_nights_per_month", CC_KEY_DOUBLE, AT(coverage.max_duty_nights_per_month), "12", 0, 31, 0, NULL, "nights/doctor-month",
     "Load limit: duty nights per doctor-month (the year's total / 12).",
     "assumption for the medical association to set (range 6-15)"},
    {"coverage", "max_disturbed_nights_per_month", CC_KEY_DOUBLE, AT(coverage.max_disturbed_nights_per_month), "4", 0, 31, 0, NULL, "nights/doctor-month",
     "Load limit: disturbed nights (an answer started 22:00-06:00) per doctor-month.",
     "assumption for the medical association to set (range 2-8)"},
    {"coverage", "closures", CC_KEY_STRING, UNBOUND, "", ANY, NULL, "dates",
     "Extra closure dates YYYY-MM-DD, comma-separated (clinics closed: duty day and night), beside the "
     "national holidays and the year-end closure 29 December-3 January.",
     "none (the year-end closure is built in: assumption, the customary closure)"},
    {"sensitivity", "replications", CC_KEY_INT, UNBOUND, "60", 1, 100000000, 0, NULL, "replications",
     "Replications of each run of `carecast sensitivity` (the baseline and every parameter at each end; -n "
     "overrides it); every replication simulates the coverage year.",
     "run setting (not a model parameter): keeps the default Kashiwa sensitivity run within 15 minutes on 2 cores"},
    {"sensitivity", "capacity_replications", CC_KEY_INT, UNBOUND, "8", 0, 100000000, 0, NULL, "replications",
     "Replications (the first ones, at most [sensitivity] replications) on which `carecast sensitivity` computes "
     "doctors needed per scheme (the capacity search: several coverage simulations a replication); 0: not computed.",
     "run setting (not a model parameter): the capacity search costs about 8 times the rest of a replication"},
    {"ranges", "mortality.volatility_scale", CC_KEY_STRING, UNBOUND, "0.5, 2", ANY, NULL, "-",
     "Low and high end of [mortality] volatility_scale for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 0.5-2)"},
    {"ranges", "fertility.tfr_sd", CC_KEY_STRING, UNBOUND, "0.05, 0.20", ANY, NULL, "births per woman",
     "Low and high end of [fertility] tfr_sd for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 0.05-0.20)"},
    {"ranges", "migration.peak_age", CC_KEY_STRING, UNBOUND, "20, 28", ANY, NULL, "years",
     "Low and high end of [migration] peak_age for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 20-28)"},
    {"ranges", "migration.male_share", CC_KEY_STRING, UNBOUND, "0.45, 0.55", ANY, NULL, "-",
     "Low and high end of [migration] male_share for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 0.45-0.55)"},
    {"ranges", "migration.noise_sd", CC_KEY_STRING, UNBOUND, "0.10, 0.50", ANY, NULL, "fraction of level",
     "Low and high end of [migration] noise_sd for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 0.10-0.50)"},
    {"ranges", "demand.trend_damping", CC_KEY_STRING, UNBOUND, "0.8, 1", ANY, NULL, "per year",
     "Low and high end of [demand] trend_damping for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 0.8-1)"},
    {"ranges", "demand.home_care_uptake_growth", CC_KEY_STRING, UNBOUND, "0, 0.03", ANY, NULL, "per year",
     "Low and high end of [demand] home_care_uptake_growth for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 0 to 0.03)"},
    {"ranges", "demand.trend_sd", CC_KEY_STRING, UNBOUND, "0.0025, 0.01", ANY, NULL, "per year",
     "Low and high end of [demand] trend_sd for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 0.0025-0.01)"},
    {"ranges", "demand.rate_cv", CC_KEY_STRING, UNBOUND, "0, 0.15", ANY, NULL, "-",
     "Low and high end of [demand] rate_cv for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 0-0.15)"},
    {"ranges", "demand.occupancy", CC_KEY_STRING, UNBOUND, "0.75, 0.92", ANY, NULL, "-",
     "Low and high end of [demand] occupancy for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 0.75-0.92: MHLW regional-plan rates by function)"},
    {"ranges", "demand.inpatient_shift_share", CC_KEY_STRING, UNBOUND, "0, 0.10", ANY, NULL, "-",
     "Low and high end of [demand] inpatient_shift_share for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption: a policy lever (range 0-0.10)"},
    {"ranges", "demand.visits_per_patient_month", CC_KEY_STRING, UNBOUND, "1.9, 2.5", ANY, NULL, "visits/patient-month",
     "Low and high end of [demand] visits_per_patient_month for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "derived: JMA 58.3 visits / 23.6 patients a clinic-month = 2.47 (range 1.9-2.5); each end fixes the triangular draw (mode = min = max = the end)"},
    {"ranges", "demand.dental_share", CC_KEY_STRING, UNBOUND, "0.30, 0.55", ANY, NULL, "-",
     "Low and high end of [demand] dental_share for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "derived: dental 30% of home-care patients in 2017, 40% in 2023 (range 0.30-0.55); each end fixes the triangular draw (mode = min = max = the end)"},
    {"ranges", "demand.urgent_calls_per_patient_month", CC_KEY_STRING, UNBOUND, "0.4, 1.2", ANY, NULL, "calls/patient-month",
     "Low and high end of [demand] urgent_calls_per_patient_month for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "derived: Kashiwa/Tsukuba cohort's 13.0% with 1+ urgent visits a month (range 0.4-1.2)"},
    {"ranges", "coverage.scheduled_visits_per_patient_month", CC_KEY_STRING, UNBOUND, "1.9, 2.5", ANY, NULL, "visits/patient-month",
     "Low and high end of [coverage] scheduled_visits_per_patient_month for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "derived: JMA 58.3 visits / 23.6 patients a clinic-month = 2.47 (range 1.9-2.5)"},
    {"ranges", "coverage.scheduled_visit_minutes", CC_KEY_STRING, UNBOUND, "15, 30", ANY, NULL, "minutes",
     "Low and high end of [coverage] scheduled_visit_minutes for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "derived: mean visit times 17.5-25.8 min (Chuikyo 2022 survey; range 15-30)"},
    {"ranges", "coverage.urgent_visit_share", CC_KEY_STRING, UNBOUND, "0.4, 0.8", ANY, NULL, "-",
     "Low and high end of [coverage] urgent_visit_share for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 0.4-0.8)"},
    {"ranges", "coverage.urgent_visit_minutes", CC_KEY_STRING, UNBOUND, "20, 60", ANY, NULL, "minutes",
     "Low and high end of [coverage] urgent_visit_minutes for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 20-60)"},
    {"ranges", "coverage.call_rate_shape", CC_KEY_STRING, UNBOUND, "0.5, 2", ANY, NULL, "-",
     "Low and high end of [coverage] call_rate_shape for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "derived: gamma shape 1 fits the cohort's 13.0% at 1+ urgent visits a month (range 0.5-2)"},
    {"ranges", "coverage.in_hours_call_share", CC_KEY_STRING, UNBOUND, "0.5, 0.8", ANY, NULL, "-",
     "Low and high end of [coverage] in_hours_call_share for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption: 35% of calls out of hours (range 0.5-0.8 in hours)"},
    {"ranges", "coverage.night_share_of_ooh", CC_KEY_STRING, UNBOUND, "0.2, 0.5", ANY, NULL, "-",
     "Low and high end of [coverage] night_share_of_ooh for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption: a third of out-of-hours calls at night (range 0.2-0.5)"},
    {"ranges", "coverage.exit_long_mean_months", CC_KEY_STRING, UNBOUND, "34.6, 84.2", ANY, NULL, "months",
     "Low and high end of [coverage] exit_long_mean_months for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "derived: the long stays' mean that puts a steady panel's exits at 3.6% and 1.5% a month (the range of the fitted 2.13%), short stays as fitted: exits = 1 / (0.215 x 2.8 + 0.785 x L)"},
    {"ranges", "coverage.home_death_share", CC_KEY_STRING, UNBOUND, "0.3, 0.7", ANY, NULL, "-",
     "Low and high end of [coverage] home_death_share for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 0.3-0.7)"},
    {"ranges", "coverage.death_visit_minutes", CC_KEY_STRING, UNBOUND, "30, 60", ANY, NULL, "minutes",
     "Low and high end of [coverage] death_visit_minutes for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 30-60)"},
    {"ranges", "coverage.absence_days", CC_KEY_STRING, UNBOUND, "5, 30", ANY, NULL, "days/year",
     "Low and high end of [coverage] absence_days for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 5-30)"},
    {"ranges", "coverage.max_wait_minutes", CC_KEY_STRING, UNBOUND, "60, 240", ANY, NULL, "minutes",
     "Low and high end of [coverage] max_wait_minutes for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption: 2 h (range 60-240 min)"},
    {"ranges", "coverage.speed_kmh", CC_KEY_STRING, UNBOUND, "15, 40", ANY, NULL, "km/h",
     "Low and high end of [coverage] speed_kmh for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption (range 15-40)"},
    {"ranges", "coverage.max_duty_nights_per_month", CC_KEY_STRING, UNBOUND, "6, 15", ANY, NULL, "nights/doctor-month",
     "Low and high end of [coverage] max_duty_nights_per_month for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption for the medical association to set (range 6-15)"},
    {"ranges", "coverage.max_disturbed_nights_per_month", CC_KEY_STRING, UNBOUND, "2, 8", ANY, NULL, "nights/doctor-month",
     "Low and high end of [coverage] max_disturbed_nights_per_month for `carecast sensitivity`: two numbers, low, high (low at most high, both within the key's own allowed range); empty: not varied.",
     "assumption for the medical association to set (range 2-8)"},
};

const cc_key_info *cc_scenario_keys(int *n)
{
    *n = (int)(sizeof keys / sizeof keys[0]);
    return keys;
}

static void format_number(double x, char *buf, size_t size)
{
    snprintf(buf, size, "%.15g", x);
}

void cc_key_range_text(const cc_key_info *key, char *buf, size_t size)
{
    char lo[32], hi[32];
    buf[0] = '\0';
    if (key->type != CC_KEY_INT && key->type != CC_KEY_DOUBLE)
        return;
    format_number(key->min, lo, sizeof lo);
    format_number(key->max, hi, sizeof hi);
    int has_min = key->min > -DBL_MAX, has_max = key->max < DBL_MAX;
    const char *above = key->flags & CC_KEY_MIN_EXCLUSIVE ? "more than" : "at least";
    if (has_min && has_max)
        snprintf(buf, size, "%s %s and at most %s", above, lo, hi);
    else if (has_min)
        snprintf(buf, size, "%s %s", above, lo);
    else if (has_max)
        snprintf(buf, size, "at most %s", hi);
}

int cc_key_in_range(const cc_key_info *key, double value)
{
    int above = key->flags & CC_KEY_MIN_EXCLUSIVE ? value > key->min : value >= key->min;
    return above && value <= key->max;
}

const cc_key_info *cc_key_find(const char *section, const char *name)
{
    int n;
    const cc_key_info *all = cc_scenario_keys(&n);
    for (int i = 0; i < n; i++)
        if (strcmp(all[i].section, section) == 0 && strcmp(all[i].name, name) == 0)
            return &all[i];
    return NULL;
}

int cc_key_section_known(const char *section)
{
    int n;
    const cc_key_info *all = cc_scenario_keys(&n);
    for (int i = 0; i < n; i++)
        if (strcmp(all[i].section, section) == 0)
            return 1;
    return 0;
}

static int edit_distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    int d[64][64];
    for (int i = 0; i <= la; i++) d[i][0] = i;
    for (int j = 0; j <= lb; j++) d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    return d[la][lb];
}

void cc_key_nearest(const char *section, const char *name, char *buf, size_t size)
{
    int n, best = INT_MAX;
    const cc_key_info *all = cc_scenario_keys(&n);
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        int d = name ? edit_distance(name, all[i].name) + (strcmp(section, all[i].section) ? 2 : 0)
                     : edit_distance(section, all[i].section);
        if (d < best) {
            best = d;
            if (name)
                snprintf(buf, size, "[%s] %s", all[i].section, all[i].name);
            else
                snprintf(buf, size, "[%s]", all[i].section);
        }
    }
}
