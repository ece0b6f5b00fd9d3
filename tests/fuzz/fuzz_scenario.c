/* libFuzzer target: a scenario file (INI) through the whole loader, cc_scenario_load: keys,
 * ranges, dates, bases, and the tables it names (relative paths resolve to the project's
 * scenarios/data through the fuzz folder's `data` link). Seeds: the shipped scenarios. */
#include "fuzz_common.h"

#include "carecast/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("s.ini", data, size);
    cc_scenario s;
    cc_error err;
    if (cc_scenario_load(&s, path, &err) == 0)
        cc_scenario_free(&s);
    return 0;
}
