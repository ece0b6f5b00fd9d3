/* A program written as a user of the installed library would write it (tests/test_install.py
 * compiles it with `pkg-config --cflags --libs carecast` against a `make install DESTDIR=...`
 * copy): load a scenario, run one replication, print the total population of a year.
 * Usage: install_smoke SCENARIO YEAR  ->  prints "total YEAR: N" (exit 0), or an error (exit 1).
 * Only the highest-level calls of the public API, so it follows the API with few edits. */
#include <stdio.h>
#include <stdlib.h>

#include <carecast/carecast.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: install_smoke SCENARIO YEAR\n");
        return 2;
    }
    int year = atoi(argv[2]);
    cc_scenario s;
    cc_results res = {0};
    cc_error err;
    char message[2048];
    const cc_override one_replication = {"simulation", "replications", "1"};
    if (cc_scenario_load_overrides(&s, argv[1], &one_replication, 1, &err) != 0) {
        cc_error_format(&err, message, sizeof message);
        fprintf(stderr, "install_smoke: %s\n", message);
        return 1;
    }
    cc_run_options options = s.run; /* seed, replications (1 here), expected_values */
    options.threads = 1;
    if (cc_run(&s, 1, &options, &res, &err) != 0) {
        cc_error_format(&err, message, sizeof message);
        fprintf(stderr, "install_smoke: %s\n", message);
        cc_scenario_free(&s);
        return 1;
    }
    int rc = 1;
    if (year >= res.base_year && year < res.base_year + res.years) {
        /* scenario 0, replication 0, both sexes (the sex axis: male, female, total) */
        double total = res.series[CC_SERIES_TOTAL][cc_results_series_index(&res, 0, 0, year - res.base_year, 2)];
        printf("carecast %s: total %d: %.0f\n", CC_VERSION, year, total);
        rc = 0;
    } else {
        fprintf(stderr, "install_smoke: %d is outside the run (%d-%d)\n", year, res.base_year,
                res.base_year + res.years - 1);
    }
    cc_results_free(&res);
    cc_scenario_free(&s);
    return rc;
}
