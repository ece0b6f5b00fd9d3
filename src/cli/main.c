/* carecast command-line program, built on the public API only (include/carecast/).
 * Exit codes: 0 success; 1 the run failed (writing results, out of memory); 2 usage error;
 * 3 invalid input (scenario or table); 130 interrupted.
 * Output: errors, warnings and progress on stderr; the result (the coverage table of a run
 * that simulates coverage) on stdout. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "carecast/carecast.h"

#include "cli.h"

static const char *usage_main =
    "usage: carecast COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO...   run scenarios and write the results file (HDF5)\n"
    "  check SCENARIO    validate a scenario and print what it says; runs nothing\n"
    "  keys [--markdown] list every scenario key with its meaning, unit, default and source\n"
    "  capacity SCENARIO doctors needed per scheme and target year (src/cli/capacity.c)\n"
    "  sensitivity SCENARIO  one-way sensitivity of key outputs to each ranged parameter\n"
    "  plot RESULTS.h5   draw the charts of a results file with gnuplot (src/cli/plot.c)\n"
    "  summary|export|report RESULTS.h5  headline numbers (text, --json), CSV files, an HTML report (src/cli/report.c)\n"
    "  run --region CODE|NAME  run a municipality of Japan from the shipped tables (src/cli/region.c)\n"
    "  scenario --region CODE -o DIR  write a municipality's scenario and tables to edit\n"
    "  batch             run every municipality of Japan into one results file\n"
    "  regions RESULTS   75+ and home-care patients per region in 2030/2040/2050, as CSV\n"
    "\n"
    "options: --help (also after a command), --version\n"
    "under mpirun (a program built with make MPI=1) run and batch share their replications over the\n"
    "  ranks; every other command (capacity, sensitivity, plot, ...) runs in one process only\n"
    "exit codes: 0 ok, 1 run failed (I/O, memory), 2 the command line is wrong (an option or its value,\n"
    "  -o, a --set value), 3 a scenario or table is wrong, 130 interrupted\n";

static const char *usage_run =
    "usage: carecast run SCENARIO [SCENARIO...] [-o FILE] [-n REPLICATIONS] [--seed N] [-j THREADS]\n"
    "                    [--set SECTION.KEY=VALUE]... [--quiet] [--no-table]\n"
    "\n"
    "Runs the scenarios (several: along the scenario axis, same random streams) and writes\n"
    "one HDF5 results file, atomically: on any failure an existing file is left untouched.\n"
    "\n"
    "  -o, --output FILE         results file (default: results/<first scenario name>.h5)\n"
    "  -n, --replications N      override [simulation] replications\n"
    "      --seed N              override [simulation] seed\n"
    "  -j, --threads N           OpenMP threads (default: all cores); results do not depend on it\n"
    "      --set SECTION.KEY=V   override any non-table key, e.g. --set simulation.end_year=2065\n"
    "      --region CODE|NAME    (repeatable) a municipality of Japan (12217, 柏市) from the shipped tables,\n"
    "                            in place of a scenario file; --scenarios DIR: where they are\n"
    "  -q, --quiet               no progress line (it is shown only on a terminal anyway)\n"
    "      --no-table            do not print the coverage table (printed on stdout after the file\n"
    "                            is written when the scenarios simulate coverage; --quiet keeps it)\n"
    "  -h, --help                this help\n"
    "exit codes: 0 ok, 1 run failed (I/O, memory), 2 the command line is wrong (an option or its value,\n"
    "  -o, a --set value), 3 a scenario or table is wrong, 130 interrupted\n";

static const char *usage_check =
    "usage: carecast check SCENARIO\n"
    "\n"
    "Loads and validates the scenario and its tables, prints every key with its value, unit,\n"
    "where the value came from and its source; runs nothing, writes nothing.\n"
    "exit codes: 0 valid, 2 usage error, 3 invalid input\n";

static const char *usage_keys =
    "usage: carecast keys [--markdown]\n\nLists every scenario key (Markdown tables with --markdown).\n";

/* The progress line (on a terminal only): replications done and the time elapsed; the time left
 * only once it means something (2 s elapsed and 5% done), not "0 s left" for a short run. */
typedef struct {
    struct timespec start;
    int shown;  /* a progress line is on the screen without its newline */
    int width;  /* columns of the longest line shown, to blank out what a shorter one leaves */
} progress_state;

enum { ETA_MIN_SECONDS = 2, ETA_MIN_PERCENT = 5 };

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + 1e-9 * (double)(now.tv_nsec - start->tv_nsec);
}

/* Replace the line on the screen by text (no newline). */
static void progress_line(progress_state *p, const char *text)
{
    int len = (int)strlen(text);
    fprintf(stderr, "\r%s%*s", text, p->width > len ? p->width - len : 0, "");
    if (len > p->width)
        p->width = len;
    p->shown = 1;
    fflush(stderr);
}

/* End the progress line (before anything else is printed). */
static void progress_end(progress_state *p)
{
    if (p->shown)
        fputc('\n', stderr);
    p->shown = 0;
    p->width = 0;
}

static void show_progress(long done, long total, void *user)
{
    progress_state *p = user;
    double elapsed = seconds_since(&p->start), percent = total > 0 ? 100.0 * done / total : 100.0;
    char line[256];
    int n = snprintf(line, sizeof line, "carecast: %ld/%ld replications (%3.0f%%), %.*f s elapsed", done, total,
                     percent, elapsed < 10 ? 1 : 0, elapsed);
    if (done > 0 && done < total && elapsed >= ETA_MIN_SECONDS && percent >= ETA_MIN_PERCENT)
        snprintf(line + n, sizeof line - n, ", about %.0f s left", elapsed * (double)(total - done) / (double)done);
    progress_line(p, line);
    if (done == total)
        progress_end(p);
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

/* results/<file name without its last extension>.h5 */
static char *default_output(const char *scenario_path)
{
    const char *base = strrchr(scenario_path, '/');
    base = base ? base + 1 : scenario_path;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *out = malloc(len + 16);
    if (out)
        snprintf(out, len + 16, "results/%.*s.h5", (int)len, base);
    return out;
}

/* The command as typed, before getopt reorders argv. */
static void command_line_text(int argc, char **argv, char *buf, size_t size)
{
    snprintf(buf, size, "carecast");
    for (int i = 0; i < argc; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, " %s", argv[i]);
    }
}

static int run_scenarios(char **paths, int nscenarios, const cc_override *ov, int noverrides, const char *output,
                         int threads, int quiet, int table, const char *command_line);

int cmd_run(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, 0, 'o'}, {"replications", required_argument, 0, 'n'},
        {"seed", required_argument, 0, 's'},   {"threads", required_argument, 0, 'j'},
        {"set", required_argument, 0, 'S'},    {"quiet", no_argument, 0, 'q'},
        {"no-table", no_argument, 0, 'T'},     {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    char command_line[2048];
    command_line_text(argc, argv, command_line, sizeof command_line);
    const char *output = NULL;
    long threads = 0, value;
    int quiet = 0, table = 1, c, noverrides = 0, rc = 0;
    cc_override *ov = calloc(argc + 1, sizeof *ov);
    if (!ov)
        return EXIT_RUN_FAILED;
    while ((c = getopt_long(argc, argv, "o:n:j:qh", options, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'n':
        case 's':
            if (parse_positive(optarg, c == 'n' ? "--replications" : "--seed", &value) != 0) { rc = EXIT_USAGE; goto done; }
            if (cli_override(&ov[noverrides++], "simulation", c == 'n' ? "replications" : "seed", optarg) != 0) {
                rc = EXIT_RUN_FAILED;
                goto done;
            }
            break;
        case 'j':
            if (parse_positive(optarg, "--threads", &threads) != 0) { rc = EXIT_USAGE; goto done; }
            if (threads < 1 || threads > 4096) { /* one error line, as every error */
                fprintf(stderr, "carecast: --threads must be between 1 and 4096, not '%s'\n", optarg);
                rc = EXIT_USAGE;
                goto done;
            }
            break;
        case 'S':
            if (cli_parse_set(optarg, &ov[noverrides++]) != 0) { rc = EXIT_USAGE; goto done; }
            break;
        case 'q': quiet = 1; break;
        case 'T': table = 0; break;
        case 'h': fputs(usage_run, stdout); goto done;
        default: fputs(usage_run, stderr); rc = EXIT_USAGE; goto done;
        }
    }
    if (argc - optind < 1) {
        fprintf(stderr, "carecast run: no scenario given\n\n");
        fputs(usage_run, stderr);
        rc = EXIT_USAGE;
        goto done;
    }
    rc = run_scenarios(argv + optind, argc - optind, ov, noverrides, output, (int)threads, quiet, table,
                       command_line);
done:
    cli_free_overrides(ov, noverrides);
    return rc;
}

/* ---- the coverage table ---------------------------------------------------------------------- */

/* The median over the coverage replications of one scenario's values (NaN values left out). */
static double coverage_median(const cc_results *res, const double *values)
{
    double q[CC_QUANTILES];
    if (cc_stats_quantiles(values, 1, res->coverage.replications, 1, q, 1) != 0)
        return NAN;
    return q[2];
}

static double scheme_median(const cc_results *res, cc_scheme_metric m, int y, int k, int sc)
{
    return coverage_median(res, res->coverage.scheme_values[m] + cc_results_coverage_index(res, y, k, sc, 0));
}

static double year_median(const cc_results *res, cc_coverage_metric m, int y, int sc)
{
    return coverage_median(res, res->coverage.year[m] + cc_results_coverage_year_index(res, y, sc, 0));
}

/* A table cell: x with `decimals` decimals and a suffix, or "-" when undefined (NaN: e.g.
 * continuity in a year without calls). */
static const char *cell_text(double x, int decimals, const char *suffix, char buf[32])
{
    if (isnan(x))
        snprintf(buf, 32, "-");
    else
        snprintf(buf, 32, "%.*f%s", decimals, x, suffix);
    return buf;
}

/* A number with thousands separators ("12,345"), rounded. */
static const char *thousands(double x, char *buf, size_t size)
{
    if (isnan(x)) {
        snprintf(buf, size, "-");
        return buf;
    }
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", fabs(x));
    size_t n = strlen(digits), at = 0;
    if (x < -0.5 && at + 1 < size)
        buf[at++] = '-';
    for (size_t i = 0; i < n && at + 2 < size; i++) {
        buf[at++] = digits[i];
        if ((n - i - 1) % 3 == 0 && i + 1 < n)
            buf[at++] = ',';
    }
    buf[at] = '\0';
    return buf;
}

/* Per scenario and target year, each scheme's medians over the coverage replications: duty
 * nights, disturbed nights and out-of-hours hours per doctor-month over the duty holders,
 * escalations, continuity, response time, uncovered patients and the share within limits. */
static void print_coverage_table(const cc_results *res, FILE *out)
{
    const cc_results_coverage *c = &res->coverage;
    char a[32], b[32];
    for (int sc = 0; sc < res->nscenarios; sc++)
        for (int y = 0; y < c->nyears; y++) {
            fprintf(out, "%sCoverage %d, %s: %s home-care patients, %s uncovered (medians over %d coverage "
                    "replication%s)\n", sc + y > 0 ? "\n" : "", c->target_year[y], res->scenarios[sc].name,
                    thousands(year_median(res, CC_COV_PATIENTS, y, sc), a, sizeof a),
                    thousands(year_median(res, CC_COV_UNCOVERED, y, sc), b, sizeof b), c->replications,
                    c->replications == 1 ? "" : "s");
            fprintf(out, "Per doctor-month over the doctors on duty; within limits: at most %g duty nights and %g "
                    "disturbed nights a month\n", c->max_duty_nights[sc], c->max_disturbed_nights[sc]);
            fprintf(out, "%-12s  %13s  %16s  %9s  %12s  %10s  %9s  %9s  %7s\n", "", "duty nights", "disturbed nights",
                    "OOH hours", "escalations", "continuity", "response", "uncovered", "within");
            fprintf(out, "%-12s  %6s %6s  %8s %7s  %9s  %12s  %10s  %9s  %9s  %7s\n", "scheme", "mean", "p95", "mean",
                    "p95", "mean", "/1,000 pt-mo", "", "p90 min", "patients", "limits");
            for (int k = 0; k < c->nschemes; k++) {
#define MED(m) scheme_median(res, m, y, k, sc)
                char cell[10][32];
                fprintf(out, "%-12s  %6s %6s  %8s %7s  %9s  %12s  %10s  %9s  %9s  %7s\n", cc_scheme_name(c->scheme[k]),
                        cell_text(MED(CC_SCH_DUTY_NIGHTS_MEAN), 1, "", cell[0]),
                        cell_text(MED(CC_SCH_DUTY_NIGHTS_P95), 1, "", cell[1]),
                        cell_text(MED(CC_SCH_DISTURBED_MEAN), 2, "", cell[2]),
                        cell_text(MED(CC_SCH_DISTURBED_P95), 2, "", cell[3]),
                        cell_text(MED(CC_SCH_OOH_HOURS_MEAN), 1, "", cell[4]),
                        cell_text(MED(CC_SCH_ESCALATIONS_PER_1000), 2, "", cell[5]),
                        cell_text(100 * MED(CC_SCH_CONTINUITY), 1, "%", cell[6]),
                        cell_text(MED(CC_SCH_RESPONSE_P90), 1, "", cell[7]),
                        thousands(year_median(res, CC_COV_UNCOVERED, y, sc), a, sizeof a),
                        cell_text(100 * MED(CC_SCH_WITHIN_LIMITS), 0, "%", cell[9]));
#undef MED
            }
        }
    fflush(out);
}

/* What the coverage layout warns about, per scenario (stderr). */
static void print_coverage_warnings(const cc_results *res)
{
    const cc_results_coverage *c = &res->coverage;
    for (int sc = 0; c->enabled && sc < res->nscenarios; sc++) {
        const char *name = res->scenarios[sc].name;
        int blocks = c->blocks_without_doctors[sc], primaries = c->unpaired_primaries[sc];
        if (blocks > 0)
            fprintf(stderr, "carecast: warning: %s: %d block%s with a population share %s no participating doctor: "
                    "%s patients are uncovered\n", name, blocks, blocks == 1 ? "" : "s", blocks == 1 ? "has" : "have",
                    blocks == 1 ? "its" : "their");
        if (primaries > 0)
            fprintf(stderr, "carecast: warning: %s: %d participating primary clinic%s left without a backup (none "
                    "in the table, and no backup of the block with room): under pairing %s patients have no cover "
                    "out of hours\n", name, primaries, primaries == 1 ? "" : "s", primaries == 1 ? "its" : "their");
    }
}

/* Load, run and write; every input is checked before the first replication runs. */
static int run_scenarios(char **paths, int nscenarios, const cc_override *ov, int noverrides, const char *output,
                         int threads, int quiet, int table, const char *command_line)
{
    char *output_owned = output ? NULL : default_output(paths[0]);
    int rc = 0;
    cc_error err;
    cc_results res;
    memset(&res, 0, sizeof res);
    cc_scenario *scenarios = calloc(nscenarios, sizeof *scenarios);
    if (!output)
        output = output_owned;
    if (!scenarios || !output) { rc = EXIT_RUN_FAILED; goto out; }
    int rank0 = cc_ranks_rank() == 0; /* under MPI the only rank that touches files or prints */
    if (rank0 && (rc = cli_check_target(output, NULL, 0)) != 0) goto out;
    for (int i = 0; i < nscenarios; i++)
        if (cc_scenario_load_overrides(&scenarios[i], paths[i], ov, noverrides, &err) != 0) {
            rc = cli_report(&err);
            goto out;
        }
    if (cc_scenarios_check_compatible(scenarios, nscenarios, &err) != 0) {
        rc = cli_report(&err);
        goto out;
    }
    if (rank0 && (rc = cli_check_target(output, scenarios, nscenarios)) != 0) goto out;
    cli_catch_signals();
    int on_terminal = !quiet && isatty(STDERR_FILENO);
    progress_state progress = {{0, 0}, 0, 0};
    clock_gettime(CLOCK_MONOTONIC, &progress.start);
    cc_run_options run_options = scenarios[0].run; /* seed, replications, expected_values */
    run_options.threads = threads;
    run_options.progress = on_terminal ? show_progress : NULL;
    run_options.progress_user = &progress;
    run_options.interrupted = &cli_interrupted;
    if (on_terminal) { /* what the run will take, before it starts */
        double memory, disk;
        cc_run_estimate(scenarios, nscenarios, &run_options, &memory, &disk);
        fprintf(stderr, "carecast: %ld replications of %d scenario%s on %d thread%s: their results take about "
                "%.0f MB of memory and %.0f MB on disk\n", run_options.replications, nscenarios, nscenarios > 1 ? "s" : "",
                cc_run_threads(threads), cc_run_threads(threads) > 1 ? "s" : "", ceil(memory / 1e6),
                ceil(disk / 1e6));
    }
    if (cc_run_to_file(scenarios, nscenarios, &run_options, output, &res, &err) != 0) { /* rows go to the file */
        progress_end(&progress);
        rc = cli_report(&err);
        goto out;
    }
    if (!rank0) /* rank 0 holds the results */
        goto out;
    print_coverage_warnings(&res);
    cc_run_facts facts = {cc_run_threads(threads), cc_ranks_size(), command_line, &cli_interrupted};
    if (on_terminal) { /* the write takes seconds for large runs: say so */
        char line[4200];
        snprintf(line, sizeof line, "carecast: writing %s...", output);
        progress_line(&progress, line);
    }
    if (cc_results_write(&res, scenarios, nscenarios, &facts, output, &err) != 0) {
        progress_end(&progress);
        rc = cli_report(&err);
        goto out;
    }
    if (progress.shown) /* the "writing" line is replaced by the "wrote" line */
        fputc('\r', stderr);
    if (!quiet)
        fprintf(stderr, "carecast: wrote %s (%d scenario%s, %ld replications, %d-%d)\n", output, nscenarios,
                nscenarios > 1 ? "s" : "", scenarios[0].run.replications, scenarios[0].population.base_year,
                scenarios[0].population.end_year);
    if (table && res.coverage.enabled) /* the result: on stdout, whatever --quiet says */
        print_coverage_table(&res, stdout);
out:
    cc_results_free(&res);
    for (int i = 0; scenarios && i < nscenarios; i++)
        cc_scenario_free(&scenarios[i]);
    free(scenarios);
    free(output_owned);
    return rc;
}

/* What the population model fits and calibrates before any replication runs. */
static void print_model(const cc_population_params *s, const cc_population_model *m)
{
    static const char *const sexes[CC_SEXES] = {"male", "female"};
    if (m->has_lee_carter)
        for (int sex = 0; sex < CC_SEXES; sex++) {
            const cc_lee_carter *f = &m->fit[sex];
            printf("mortality (%s): %s Lee-Carter on %d years (%d rounds), b k explains %.1f%% of the log rates' variance, "
                   "max |log error| %.3f; drift fitted %.4f, used %.4f; sigma %.4f; median e0 %.2f in %d",
                   sexes[sex], f->method == CC_LEE_CARTER_POISSON ? "Poisson" : "SVD", f->nyears, f->iterations,
                   100 * f->explained,
                   f->max_abs_log_error, f->drift, m->drift[sex], m->sigma[sex],
                   cc_population_model_median_e0(s, m, sex, s->end_year), s->end_year);
            for (int g = 0; g < f->ngroups; g++)
                if (f->carried[g] && s->history_group[g].hi == CC_AGE_OPEN_END)
                    printf("; b(%d+) carried", s->history_group[g].lo);
                else if (f->carried[g])
                    printf("; b(%d-%d) carried", s->history_group[g].lo, s->history_group[g].hi);
            printf("\n");
        }
    else
        printf("mortality: base rates held constant (no [mortality] history)\n");
    if (m->has_kannisto)
        for (int sex = 0; sex < CC_SEXES; sex++)
            printf("oldest old (%s): Kannisto a %.4f, b %.4f fitted to the base rates at 85-99; m(100+) %.4f\n", sexes[sex],
                   m->kannisto[sex].a, m->kannisto[sex].b, m->base_rate[sex][CC_AGE_OPEN]);
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
        return cli_report(&err);
    cc_scenario_print(&s, stdout);
    cc_population_model model;
    int rc = 0;
    if (cc_population_model_build(&s.population, &model, &err) != 0) {
        cc_scenario_locate(&s, &err);
        rc = cli_report(&err);
    }
    if (rc == 0) {
        print_model(&s.population, &model);
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
    for (int i = 0; i < n; i++) {
        /* an empty default is "(none)", as `check` and `keys --markdown` say */
        const char *def = !keys[i].default_value ? "REQUIRED" : keys[i].default_value[0] ? keys[i].default_value : "(none)";
        printf("[%s] %s = %s  (%s) %s Source: %s\n", keys[i].section, keys[i].name, def, keys[i].unit,
               keys[i].description, keys[i].source);
    }
    return 0;
}

/* Under mpirun (make MPI=1) every rank runs the command; run and batch share the replications. */
static int command(int argc, char **argv)
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
    if (cc_ranks_size() > 1 && strcmp(cmd, "run") != 0 && strcmp(cmd, "batch") != 0) { /* they share their work */
        fprintf(stderr, "carecast: %s runs in one process: start it without mpirun (only run and batch share "
                "their work over MPI ranks)\n", cmd);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "run") == 0 && cli_run_has_region(argc - 1, argv + 1)) return cli_run_region(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0) return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "scenario") == 0) return cmd_scenario(argc - 1, argv + 1); /* src/cli/region.c */
    if (strcmp(cmd, "batch") == 0) return cmd_batch(argc - 1, argv + 1);
    if (strcmp(cmd, "regions") == 0) return cmd_regions(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0) return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "keys") == 0) return cmd_keys(argc - 1, argv + 1);
    if (strcmp(cmd, "capacity") == 0) return cmd_capacity(argc - 1, argv + 1);
    if (strcmp(cmd, "sensitivity") == 0) return cc_cli_sensitivity(argc - 1, argv + 1); /* src/cli/sensitivity.c */
    if (strcmp(cmd, "plot") == 0) return cmd_plot(argc - 1, argv + 1); /* src/cli/plot.c */
    if (strcmp(cmd, "summary") == 0) return cmd_summary(argc - 1, argv + 1); /* src/cli/report.c, as export, report */
    if (strcmp(cmd, "export") == 0) return cmd_export(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0) return cmd_report(argc - 1, argv + 1);
    fprintf(stderr, "carecast: unknown command '%s'\n\n%s", cmd, usage_main);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    cc_results_library_prepare();
    int rc = cli_start(&argc, &argv);
    return cli_finish(rc != 0 ? rc : command(argc, argv));
}
