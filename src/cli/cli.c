/* Shared by the carecast commands (cli.h). Public API only. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile sig_atomic_t cli_interrupted = 0;

static void on_signal(int sig)
{
    (void)sig;
    cli_interrupted = 1;
}

void cli_catch_signals(void)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
}

int cli_report(const cc_error *err)
{
    char line[2048];
    cc_error_format(err, line, sizeof line);
    fprintf(stderr, "carecast: %s\n", line);
    if (err->category == CC_CATEGORY_INPUT && strcmp(err->file, "command line") == 0)
        return EXIT_USAGE;
    switch (err->category) {
    case CC_CATEGORY_INTERRUPTED: return EXIT_INTERRUPTED;
    case CC_CATEGORY_USAGE: return EXIT_USAGE;
    case CC_CATEGORY_INPUT: return EXIT_INPUT;
    case CC_CATEGORY_IO: case CC_CATEGORY_RESOURCES: case CC_CATEGORY_NONE: break;
    }
    return EXIT_RUN_FAILED;
}

int cli_check_target(const char *path, const cc_scenario *scenarios, int nscenarios)
{
    cc_error err;
    int n = 0;
    for (int i = 0; scenarios && i < nscenarios; i++)
        n += scenarios[i].nfiles + scenarios[i].ntables;
    const char **inputs = calloc((size_t)n + 1, sizeof *inputs);
    if (!inputs)
        return EXIT_RUN_FAILED;
    n = 0;
    for (int i = 0; scenarios && i < nscenarios; i++) {
        for (int f = 0; f < scenarios[i].nfiles; f++)
            inputs[n++] = scenarios[i].files[f].path;
        for (int t = 0; t < scenarios[i].ntables; t++)
            inputs[n++] = scenarios[i].tables[t].path;
    }
    int rc = cc_results_check_target(path, inputs, n, &err) != 0 ? cli_report(&err) : 0;
    free(inputs);
    return rc;
}
