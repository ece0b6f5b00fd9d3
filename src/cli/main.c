/* carecast command-line program, built on the public API only (include/carecast/).
 * Exit codes: 0 success; 1 the run failed (writing results, out of memory); 2 usage error;
 * 3 invalid input (scenario or table); 130 interrupted. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "carecast/carecast.h"

enum { EXIT_RUN_FAILED = 1, EXIT_USAGE = 2, EXIT_INPUT = 3, EXIT_INTERRUPTED = 130 };

static volatile sig_atomic_t interrupted = 0;
static void on_signal(int sig) { (void)sig; interrupted = 1; }

static int report(const cc_error *err)
{
    char line[2048];
    cc_error_format(err, line, sizeof line);
    fprintf(stderr, "carecast: %s\n", line);
    switch (err->code) {
    case CC_ERR_INTERRUPTED: return EXIT_INTERRUPTED;
    case CC_ERR_USAGE: return EXIT_USAGE;
    case CC_ERR_NOMEM: case CC_ERR_HDF5: case CC_ERR_NUMERIC: return EXIT_RUN_FAILED;
    case CC_ERR_IO: return err->line > 0 || strstr(err->message, "scenario") || strstr(err->message, "table")
                               ? EXIT_INPUT : EXIT_RUN_FAILED;
    default: return EXIT_INPUT;
    }
}

static const char *usage_main =
    "usage: carecast COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO...   run scenarios and write the results file (HDF5)\n"
    "  check SCENARIO    validate a scenario and print what it says; runs nothing\n"
    "  keys [--markdown] list every scenario key with its meaning, unit, default and source\n"
    "\n"
    "options: --help (also after a command), --version\n"
    "exit codes: 0 ok, 1 run failed, 2 usage error, 3 invalid input, 130 interrupted\n";

static const char *usage_run =
    "usage: carecast run SCENARIO [SCENARIO...] [-o FILE] [-n REPLICATIONS] [--seed N] [-j THREADS]\n"
    "                    [--set SECTION.KEY=VALUE]... [--quiet]\n"
    "\n"
    "Runs the scenarios (several: along the scenario axis, same random streams) and writes\n"
    "one HDF5 results file, atomically: on any failure an existing file is left untouched.\n"
    "\n"
    "  -o, --output FILE         results file (default: results/<first scenario name>.h5)\n"
    "  -n, --replications N      override [simulation] replications\n"
    "      --seed N              override [simulation] seed\n"
    "  -j, --threads N           OpenMP threads (default: all cores); results do not depend on it\n"
    "      --set SECTION.KEY=V   override any non-table key, e.g. --set simulation.end_year=2065\n"
    "  -q, --quiet               no progress line (it is shown only on a terminal anyway)\n"
    "  -h, --help                this help\n"
    "exit codes: 0 ok, 1 run failed, 2 usage error, 3 invalid input, 130 interrupted\n";

static const char *usage_check =
    "usage: carecast check SCENARIO\n"
    "\n"
    "Loads and validates the scenario and its tables, prints every key with its value, unit,\n"
    "where the value came from and its source; runs nothing, writes nothing.\n"
    "exit codes: 0 valid, 2 usage error, 3 invalid input\n";

static const char *usage_keys =
    "usage: carecast keys [--markdown]\n\nLists every scenario key (Markdown tables with --markdown).\n";

typedef struct {
    time_t start;
    int shown;
} progress_state;

static void show_progress(long done, long total, void *user)
{
    progress_state *p = user;
    double elapsed = difftime(time(NULL), p->start);
    double left = done > 0 ? elapsed * (double)(total - done) / (double)done : 0;
    fprintf(stderr, "\rcarecast: %ld/%ld replications (%3.0f%%), %.0f s elapsed, about %.0f s left   ", done, total,
            100.0 * done / total, elapsed, left);
    if (done == total)
        fputc('\n', stderr);
    p->shown = 1;
}

static int parse_positive(const char *text, const char *what, long *value)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || end == text || v < 0) {
        fprintf(stderr, "carecast: %s must be a whole number, not '%s'\n", what, text);
        return -1;
    }
    *value = v;
    return 0;
}

static int check_output_folder(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    char *slash = strrchr(copy, '/');
    const char *dir = slash ? (slash == copy ? "/" : (*slash = '\0', copy)) : ".";
    struct stat st;
    int ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    if (!ok)
        fprintf(stderr, "carecast: %s: output folder '%s' does not exist\n", path, dir);
    else if (access(dir, W_OK) != 0) {
        fprintf(stderr, "carecast: %s: output folder '%s' is not writable\n", path, dir);
        ok = 0;
    }
    free(copy);
    return ok ? 0 : -1;
}

typedef struct {
    char *section, *key, *value;
} override;

static int apply_overrides(cc_scenario *s, const override *ov, int n, cc_error *err)
{
    for (int i = 0; i < n; i++)
        if (cc_scenario_override(s, ov[i].section, ov[i].key, ov[i].value, err) != 0)
            return -1;
    return 0;
}

static int split_set(char *arg, override *ov)
{
    char *dot = strchr(arg, '.'), *eq = strchr(arg, '=');
    if (!dot || !eq || dot > eq) {
        fprintf(stderr, "carecast: --set takes SECTION.KEY=VALUE, not '%s'\n", arg);
        return -1;
    }
    *dot = *eq = '\0';
    *ov = (override){arg, dot + 1, eq + 1};
    return 0;
}

/* Where the scenario's [scenario] name came from (NULL if unknown). */
static const cc_setting *name_setting(const cc_scenario *s)
{
    for (int i = 0; i < s->nsettings; i++)
        if (strcmp(s->settings[i].key->section, "scenario") == 0 && strcmp(s->settings[i].key->name, "name") == 0)
            return &s->settings[i];
    return NULL;
}

static char *default_output(const char *scenario_path)
{
    const char *base = strrchr(scenario_path, '/');
    base = base ? base + 1 : scenario_path;
    size_t len = strcspn(base, ".");
    char *out = malloc(len + 16);
    if (out)
        snprintf(out, len + 16, "results/%.*s.h5", (int)len, base);
    return out;
}

static int cmd_run(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, 0, 'o'}, {"replications", required_argument, 0, 'n'},
        {"seed", required_argument, 0, 's'},   {"threads", required_argument, 0, 'j'},
        {"set", required_argument, 0, 'S'},    {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    const char *output = NULL;
    long threads = 0, value;
    int quiet = 0, c, noverrides = 0;
    override *ov = calloc(argc + 2, sizeof *ov);
    if (!ov)
        return EXIT_RUN_FAILED;
    while ((c = getopt_long(argc, argv, "o:n:j:qh", options, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'n':
        case 's':
            if (parse_positive(optarg, c == 'n' ? "--replications" : "--seed", &value) != 0) { free(ov); return EXIT_USAGE; }
            ov[noverrides++] = (override){"simulation", c == 'n' ? "replications" : "seed", strdup(optarg)};
            break;
        case 'j':
            if (parse_positive(optarg, "--threads", &threads) != 0 || threads < 1) {
                fprintf(stderr, "carecast: --threads must be at least 1\n");
                free(ov);
                return EXIT_USAGE;
            }
            break;
        case 'S':
            if (split_set(optarg, &ov[noverrides]) != 0) { free(ov); return EXIT_USAGE; }
            noverrides++;
            break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage_run, stdout); free(ov); return 0;
        default: fputs(usage_run, stderr); free(ov); return EXIT_USAGE;
        }
    }
    int nscenarios = argc - optind;
    if (nscenarios < 1) {
        fputs(usage_run, stderr);
        free(ov);
        return EXIT_USAGE;
    }
    char *output_owned = output ? NULL : default_output(argv[optind]);
    if (!output)
        output = output_owned;
    int rc = 0;
    cc_error err;
    cc_results res;
    memset(&res, 0, sizeof res);
    cc_scenario *scenarios = calloc(nscenarios, sizeof *scenarios);
    if (!scenarios || !output) { rc = EXIT_RUN_FAILED; goto out; }
    if (check_output_folder(output) != 0) { rc = EXIT_INPUT; goto out; }
    for (int i = 0; i < nscenarios; i++)
        if (cc_scenario_load(&scenarios[i], argv[optind + i], &err) != 0 ||
            apply_overrides(&scenarios[i], ov, noverrides, &err) != 0) {
            rc = report(&err);
            goto out;
        }
    for (int i = 1; i < nscenarios; i++)
        for (int j = 0; j < i; j++)
            if (strcmp(scenarios[i].name, scenarios[j].name) == 0) {
                const cc_setting *st = name_setting(&scenarios[i]);
                cc_error_set(&err, CC_ERR_DUPLICATE, st && st->file ? st->file : scenarios[i].path,
                             st && st->file ? st->line : 0, "name",
                             "scenario name '%s' is also the name of %s; give each scenario its own "
                             "[scenario] name", scenarios[i].name, scenarios[j].path);
                rc = report(&err);
                goto out;
            }
    for (int i = 1; i < nscenarios; i++)
        if (scenarios[i].replications != scenarios[0].replications || scenarios[i].seed != scenarios[0].seed) {
            fprintf(stderr, "carecast: %s: scenarios run together must share seed and replications "
                            "(use -n and --seed)\n", scenarios[i].path);
            rc = EXIT_INPUT;
            goto out;
        }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    progress_state progress = {time(NULL), 0};
    cc_run_options run_options = {(int)threads, quiet || !isatty(STDERR_FILENO) ? NULL : show_progress,
                                  &progress, &interrupted};
    if (cc_run(scenarios, nscenarios, &run_options, &res, &err) != 0) {
        if (progress.shown) fputc('\n', stderr);
        rc = report(&err);
        goto out;
    }
    char command_line[1024] = "carecast ";
    for (int i = 0; i < argc; i++) {
        strncat(command_line, argv[i], sizeof command_line - strlen(command_line) - 2);
        strncat(command_line, " ", sizeof command_line - strlen(command_line) - 1);
    }
    cc_run_facts facts = {cc_run_threads((int)threads), 1, command_line};
    if (cc_results_write(&res, scenarios, nscenarios, &facts, output, &err) != 0) {
        rc = report(&err);
        goto out;
    }
    if (!quiet)
        fprintf(stderr, "carecast: wrote %s (%d scenario%s, %ld replications, %d-%d)\n", output, nscenarios,
                nscenarios > 1 ? "s" : "", scenarios[0].replications, scenarios[0].base_year, scenarios[0].end_year);
out:
    cc_results_free(&res);
    for (int i = 0; scenarios && i < nscenarios; i++)
        cc_scenario_free(&scenarios[i]);
    free(scenarios);
    for (int i = 0; i < noverrides; i++)
        if (strcmp(ov[i].section, "simulation") == 0 && (strcmp(ov[i].key, "replications") == 0 || strcmp(ov[i].key, "seed") == 0))
            free(ov[i].value);
    free(ov);
    free(output_owned);
    return rc;
}

/* What the population model fits and calibrates before any replication runs. */
static void print_model(const cc_scenario *s, const cc_population_model *m)
{
    static const char *const sexes[CC_SEXES] = {"male", "female"};
    if (m->has_lee_carter)
        for (int sex = 0; sex < CC_SEXES; sex++)
            printf("mortality (%s): Lee-Carter on %d years, first component %.1f%% of variance, max |log error| %.3f; "
                   "drift fitted %.4f, used %.4f; sigma %.4f; median e0 %.2f in %d\n",
                   sexes[sex], m->fit[sex].nyears, 100 * m->fit[sex].explained, m->fit[sex].max_abs_log_error,
                   m->fit[sex].drift, m->drift[sex], m->sigma[sex], cc_population_model_median_e0(s, m, sex, s->end_year),
                   s->end_year);
    else
        printf("mortality: base rates held constant (no [mortality] history)\n");
    printf("fertility: base TFR %.4f", m->base_tfr);
    if (s->long_run_tfr > 0)
        printf(" -> %.2f (sd %.2f) by %d", s->long_run_tfr, s->tfr_sd, s->long_run_year);
    printf("\n");
    if (m->has_schedule) {
        printf("migration: Rogers-Castro, peak %.0f, noise sd %.0f%%; level (persons/year) by period:", s->migration_peak_age,
               100 * s->migration_noise_sd);
        for (int y = 0; y < m->years; y++)
            if (y == 0 || m->level[y] != m->level[y - 1])
                printf(" %d: %.0f", s->base_year + y, m->level[y]);
        printf("%s\n", s->ntargets ? " (calibrated to the official totals)" : "");
    } else {
        printf("migration: %s\n", s->has_migration_table ? "table" : "none");
    }
}

static int cmd_check(int argc, char **argv)
{
    static const struct option options[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') { fputs(usage_check, stdout); return 0; }
        fputs(usage_check, stderr);
        return EXIT_USAGE;
    }
    if (argc - optind != 1) {
        fputs(usage_check, stderr);
        return EXIT_USAGE;
    }
    cc_scenario s;
    cc_error err;
    if (cc_scenario_load(&s, argv[optind], &err) != 0)
        return report(&err);
    cc_scenario_print(&s, stdout);
    cc_population_model model;
    int rc = cc_population_model_build(&s, &model, &err) == 0 ? 0 : report(&err);
    if (rc == 0) {
        print_model(&s, &model);
        cc_population_model_free(&model);
    }
    cc_scenario_free(&s);
    return rc;
}

static int cmd_keys(int argc, char **argv)
{
    static const struct option options[] = {{"markdown", no_argument, 0, 'm'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c, markdown = 0;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'm') markdown = 1;
        else if (c == 'h') { fputs(usage_keys, stdout); return 0; }
        else { fputs(usage_keys, stderr); return EXIT_USAGE; }
    }
    if (markdown) {
        cc_scenario_keys_markdown(stdout);
        return 0;
    }
    int n;
    const cc_key_info *keys = cc_scenario_keys(&n);
    for (int i = 0; i < n; i++)
        printf("[%s] %s = %s  (%s) %s Source: %s\n", keys[i].section, keys[i].name,
               keys[i].default_value ? keys[i].default_value : "REQUIRED", keys[i].unit, keys[i].description, keys[i].source);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("carecast %s\n", CC_VERSION);
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(cmd, "run") == 0) return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0) return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "keys") == 0) return cmd_keys(argc - 1, argv + 1);
    fprintf(stderr, "carecast: unknown command '%s'\n\n%s", cmd, usage_main);
    return EXIT_USAGE;
}
