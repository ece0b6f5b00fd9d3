/* Shared by the carecast commands (cli.h). Public API only. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The last error reported, for cli_finish to pass to the other ranks. */
static cc_error last_reported;
static int have_reported;

int cli_report(const cc_error *err)
{
    last_reported = *err;
    have_reported = 1;
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

int cli_start(int *argc, char ***argv)
{
    if (cc_ranks_init(argc, argv) != 0) {
        fprintf(stderr, "carecast: MPI could not start\n");
        return EXIT_RUN_FAILED;
    }
    /* One voice: what every rank would print (usage errors, check's listing) comes from rank 0
     * alone; another rank's error reaches rank 0 through cli_finish or cc_run's agreements. */
    int null = cc_ranks_rank() != 0 ? open("/dev/null", O_WRONLY) : -1;
    if (null >= 0) {
        fflush(stdout);
        fflush(stderr);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        close(null);
    }
    return 0;
}

/* A library code whose category cli_report turns into the exit code rc. */
static int code_for_exit(int rc)
{
    switch (rc) {
    case EXIT_USAGE: return CC_ERR_USAGE;
    case EXIT_INPUT: return CC_ERR_RANGE;
    case EXIT_INTERRUPTED: return CC_ERR_INTERRUPTED;
    default: return CC_ERR_IO;
    }
}

int cli_finish(int rc)
{
    cc_error err;
    cc_error_clear(&err);
    if (rc != 0 && have_reported)
        err = last_reported;
    else if (rc != 0)
        cc_error_set(&err, code_for_exit(rc), NULL, 0, NULL, "rank %d of %d stopped with exit code %d",
                     cc_ranks_rank(), cc_ranks_size(), rc);
    if (cc_ranks_agree(rc, &err, NULL) != 0 && rc == 0)
        rc = cli_report(&err); /* another rank failed: rank 0 says why, once */
    cc_ranks_finalize();
    return rc;
}

int cli_whole_number(const char *text, const char *what, long lo, long hi, long *value)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || end == text || v < lo || v > hi) {
        fprintf(stderr, "carecast: %s must be a whole number from %ld to %ld, not '%s'\n", what, lo, hi, text);
        return -1;
    }
    *value = v;
    return 0;
}

int cli_override(cc_override *ov, const char *section, const char *key, const char *value)
{
    *ov = (cc_override){strdup(section), strdup(key), strdup(value)};
    return ov->section && ov->name && ov->value ? 0 : -1;
}

int cli_parse_set(const char *arg, cc_override *ov)
{
    const char *dot = strchr(arg, '.'), *eq = strchr(arg, '=');
    if (!dot || !eq || dot > eq || dot == arg || eq == dot + 1) {
        fprintf(stderr, "carecast: --set takes SECTION.KEY=VALUE, not '%s'\n", arg);
        *ov = (cc_override){NULL, NULL, NULL};
        return -1;
    }
    *ov = (cc_override){strndup(arg, dot - arg), strndup(dot + 1, eq - dot - 1), strdup(eq + 1)};
    return ov->section && ov->name && ov->value ? 0 : -1;
}

void cli_free_overrides(cc_override *ov, int n)
{
    for (int i = 0; ov && i < n; i++) {
        free((char *)ov[i].section);
        free((char *)ov[i].name);
        free((char *)ov[i].value);
    }
    free(ov);
}
