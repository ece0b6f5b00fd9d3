/* libFuzzer target: a CSV table through the loader, as the base population of a fixed scenario
 * (the input's first byte picks which table key it stands for: base population, mortality,
 * fertility, migration, the mortality history or the clinics table), so the CSV reader, the
 * age-group checks, the splits and the table-specific checks all see mutated bytes. Seeds: the
 * shipped tables. */
#include "fuzz_common.h"

#include "carecast/scenario.h"

static const char *const keys[] = {
    "[population]\nbase_population = t.csv\n", "[population]\nmortality = t.csv\n",
    "[population]\nfertility = t.csv\n",       "[population]\nmigration = t.csv\n",
    "[mortality]\nhistory = t.csv\n",          "[coverage]\nclinics = t.csv\n",
    "[mortality]\nobserved = t.csv\n",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *base = getenv("CARECAST_BASE"); /* scenarios/kashiwa.ini, set by make fuzz */
    char ini[1024];
    int which = data[0] % (int)(sizeof keys / sizeof keys[0]);
    snprintf(ini, sizeof ini, "[scenario]\nbase = %s\nname = f\n%s", base ? base : "kashiwa.ini", keys[which]);
    fuzz_file("t.csv", data + 1, size - 1);
    const char *path = fuzz_file("f.ini", (const uint8_t *)ini, strlen(ini));
    cc_scenario s;
    cc_error err;
    if (cc_scenario_load(&s, path, &err) == 0)
        cc_scenario_free(&s);
    return 0;
}
