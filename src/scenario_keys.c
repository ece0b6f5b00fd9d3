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
     "(keeps group totals) or uniform within each group.", "method choice (docs/model.md)"},
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
     "None by default.", "assumption: none"},
    {"population", "migration_noise_sd", CC_KEY_DOUBLE, "0", 0, 5, NULL, "fraction of level",
     "Standard deviation of the yearly factor (normal, mean 1) on the migration table.",
     "assumption (DOMAIN.md: 0.25, range 0.10-0.50, once a migration level is set)"},
};

const cc_key_info *cc_scenario_keys(int *n)
{
    *n = (int)(sizeof keys / sizeof keys[0]);
    return keys;
}
