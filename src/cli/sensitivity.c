/* carecast sensitivity: one-way sensitivity of a scenario's outputs to each ranged parameter
 * (library: src/sensitivity/). Prints, per output, the parameters ranked by the width of their
 * bar (a tornado chart's order) on stdout; -o writes the HDF5 file. Exit codes as `run`. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "carecast/carecast.h"

#include "cli.h"
#include "carecast/sensitivity.h"

static const char *usage =
    "usage: carecast sensitivity SCENARIO [-o FILE] [-n REPLICATIONS] [-j THREADS] [--params A,B,...]\n"
    "                            [--outputs A,B,...] [--seed N] [--set SECTION.KEY=VALUE]... [--quiet]\n"
    "\n"
    "One-way sensitivity: runs the scenario, then each ranged parameter ([ranges] section.key =\n"
    "low, high) at its low and at its high end with the same seed and replications (common random\n"
    "numbers), and prints per output the parameters ranked by |median at high - median at low|.\n"
    "\n"
    "  -o, --output FILE     also write the HDF5 file (/sensitivity; atomic)\n"
    "  -n, --replications N  replications of every run (default: [sensitivity] replications)\n"
    "  -j, --threads N       OpenMP threads (default: all cores); results do not depend on it\n"
    "      --params LIST     only these parameters (names of [ranges] keys, e.g. demand.occupancy)\n"
    "      --outputs LIST    only these outputs: doctors_needed, disturbed_nights_p95, beds_needed,\n"
    "                        age75plus (default: all)\n"
    "      --capacity-replications N  doctors needed on the first N replications of each run\n"
    "                        (default: [sensitivity] capacity_replications; 0: not computed)\n"
    "      --seed N          override [simulation] seed\n"
    "      --set S.K=V       override any non-table key (also [ranges] ones: --set ranges.demand.occupancy=0.7,0.9)\n"
    "  -q, --quiet           no progress line (shown only on a terminal anyway)\n"
    "  -h, --help            this help\n"
    "exit codes: 0 ok, 1 run failed, 2 usage error, 3 invalid input, 130 interrupted\n";

typedef struct {
    struct timespec start;
    int shown;
} progress_state;

static void show_progress(long done, long total, void *user)
{
    progress_state *p = user;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double elapsed = (double)(now.tv_sec - p->start.tv_sec) + 1e-9 * (double)(now.tv_nsec - p->start.tv_nsec);
    char line[200];
    int n = snprintf(line, sizeof line, "carecast: sensitivity %ld/%ld replications (%3.0f%%), %.0f s elapsed", done,
                     total, total > 0 ? 100.0 * done / total : 100.0, elapsed);
    if (done > 0 && done < total && elapsed >= 2)
        snprintf(line + n, sizeof line - n, ", about %.0f s left", elapsed * (double)(total - done) / (double)done);
    fprintf(stderr, "\r%-100s", line);
    p->shown = 1;
    if (done == total) {
        fputc('\n', stderr);
        p->shown = 0;
    }
    fflush(stderr);
}

/* A comma-separated list split in place: items (trimmed) into list[], returns the count. */
static int split_list(char *text, char **list, int max)
{
    int n = 0;
    for (char *item = strtok(text, ","); item && n < max; item = strtok(NULL, ",")) {
        while (*item == ' ') item++;
        char *end = item + strlen(item);
        while (end > item && end[-1] == ' ') *--end = '\0';
        if (*item)
            list[n++] = item;
    }
    return n;
}

static int parse_count(const char *text, const char *what, long min, long *value)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || end == text || v < min) {
        fprintf(stderr, "carecast: %s must be a whole number of at least %ld, not '%s'\n", what, min, text);
        return -1;
    }
    *value = v;
    return 0;
}

static void format_value(double x, char *buf, size_t size)
{
    if (isnan(x))
        snprintf(buf, size, "-");
    else if (fabs(x) >= 1000)
        snprintf(buf, size, "%.0f", x);
    else
        snprintf(buf, size, "%.4g", x);
}

/* Per output: the baseline median and the parameters ranked by their bar's width (zero bars
 * listed together at the end). */
static void print_tables(const cc_sensitivity_result *r, const char *name, FILE *out)
{
    int P = r->nparams, O = r->noutputs;
    fprintf(out, "Sensitivity of %s: %d parameters, each at the low and the high end of its range; %d replications "
            "per run, seed %llu (common random numbers)\nMedians over replications (doctors needed: over the first %d, "
            "leaving out those where no number of doctors meets the limits; '-': none does)\nbar = median at high - "
            "median at low ('n/a at low': the limits cannot be met at the low end: ranked first); paired = mean of (high - low) per replication, 95%% interval\n", name, P, r->replications,
            (unsigned long long)r->seed, r->capacity_replications);
    for (int o = 0; o < O; o++) {
        char base[32];
        format_value(r->baseline_median[o], base, sizeof base);
        fprintf(out, "\n%s (%s): baseline %s\n", r->outputs[o].long_name, r->outputs[o].units, base);
        fprintf(out, "%4s  %-44s %9s %9s  %10s %10s %10s  %s\n", "rank", "parameter", "low", "high", "at low",
                "at high", "bar", "paired high - low (95%)");
        int zero = 0, undefined = 0;
        for (int k = 0; k < P; k++)
            undefined += isnan(r->width[r->order[(size_t)o * P + k] * O + o]);
        if (undefined == P) {
            fprintf(out, "      no bar: no run has a median (doctors needed: the limits cannot be met)\n");
            continue;
        }
        for (int k = 0; k < P; k++) {
            int p = r->order[(size_t)o * P + k];
            double w = r->width[p * O + o];
            if (w == 0) {
                zero++;
                continue;
            }
            char lo[32], hi[32], mlo[32], mhi[32], bar[32], d[3][32];
            format_value(r->param_value[2 * p], lo, sizeof lo);
            format_value(r->param_value[2 * p + 1], hi, sizeof hi);
            format_value(r->median[((size_t)p * 2) * O + o], mlo, sizeof mlo);
            format_value(r->median[((size_t)p * 2 + 1) * O + o], mhi, sizeof mhi);
            format_value(r->median[((size_t)p * 2 + 1) * O + o] - r->median[((size_t)p * 2) * O + o], bar, sizeof bar);
            if (isinf(w))
                snprintf(bar, sizeof bar, "n/a at %s", isnan(r->median[((size_t)p * 2) * O + o]) ? "low" : "high");
            for (int b = 0; b < 3; b++)
                format_value(r->high_minus_low[((size_t)p * 3 + b) * O + o], d[b], sizeof d[b]);
            fprintf(out, "%4d  %-44s %9s %9s  %10s %10s %10s  %s (%s to %s)\n", k + 1, r->param_name[p], lo, hi, mlo,
                    mhi, bar, d[1], d[0], d[2]);
        }
        if (zero) {
            fprintf(out, "      zero bar (the output is exactly the same at both ends):");
            for (int k = 0, first = 1; k < P; k++) {
                int p = r->order[(size_t)o * P + k];
                if (r->width[p * O + o] == 0) {
                    fprintf(out, "%s %s", first ? "" : ",", r->param_name[p]);
                    first = 0;
                }
            }
            fputc('\n', out);
        }
    }
    fflush(out);
}

int cc_cli_sensitivity(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, 0, 'o'},  {"replications", required_argument, 0, 'n'},
        {"threads", required_argument, 0, 'j'}, {"params", required_argument, 0, 'P'},
        {"outputs", required_argument, 0, 'O'}, {"seed", required_argument, 0, 's'},
        {"set", required_argument, 0, 'S'},     {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},          {"capacity-replications", required_argument, 0, 'C'},
        {0, 0, 0, 0}};
    char command_line[2048] = "carecast";
    for (int i = 0; i < argc; i++) {
        size_t used = strlen(command_line);
        snprintf(command_line + used, sizeof command_line - used, " %s", argv[i]);
    }
    const char *output = NULL;
    long replications = 0, threads = 0, value, capacity_replications = -1;
    int quiet = 0, c, rc = 0, noverrides = 0, nparams = 0, noutputs = 0;
    char *params_text = NULL, *outputs_text = NULL, **params = NULL, **outputs = NULL;
    cc_override *ov = calloc(argc + 1, sizeof *ov);
    if (!ov)
        return EXIT_RUN_FAILED;
    while ((c = getopt_long(argc, argv, "o:n:j:qh", options, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'n':
            if (parse_count(optarg, "--replications", 1, &replications) != 0) { rc = EXIT_USAGE; goto done; }
            break;
        case 'j':
            if (parse_count(optarg, "--threads", 1, &threads) != 0 || threads > 4096) {
                if (threads > 4096) fprintf(stderr, "carecast: --threads must be at most 4096\n");
                rc = EXIT_USAGE;
                goto done;
            }
            break;
        case 's':
            if (parse_count(optarg, "--seed", 0, &value) != 0) { rc = EXIT_USAGE; goto done; }
            if (cli_override(&ov[noverrides++], "simulation", "seed", optarg) != 0) { rc = EXIT_RUN_FAILED; goto done; }
            break;
        case 'S':
            if (cli_parse_set(optarg, &ov[noverrides++]) != 0) { rc = EXIT_USAGE; goto done; }
            break;
        case 'C':
            if (parse_count(optarg, "--capacity-replications", 0, &capacity_replications) != 0) { rc = EXIT_USAGE; goto done; }
            break;
        case 'P': free(params_text); params_text = strdup(optarg); break;
        case 'O': free(outputs_text); outputs_text = strdup(optarg); break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage, stdout); goto done;
        default: fputs(usage, stderr); rc = EXIT_USAGE; goto done;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "carecast sensitivity: give one scenario\n\n%s", usage);
        rc = EXIT_USAGE;
        goto done;
    }
    if (params_text) {
        params = calloc(strlen(params_text) + 1, sizeof *params);
        nparams = params ? split_list(params_text, params, (int)strlen(params_text) + 1) : 0;
        if (nparams == 0) {
            fprintf(stderr, "carecast: --params takes a comma-separated list of [ranges] keys, not '%s'\n", optarg ? optarg : "");
            rc = EXIT_USAGE;
            goto done;
        }
    }
    if (outputs_text) {
        outputs = calloc(strlen(outputs_text) + 1, sizeof *outputs);
        noutputs = outputs ? split_list(outputs_text, outputs, (int)strlen(outputs_text) + 1) : 0;
        if (noutputs == 0) {
            fprintf(stderr, "carecast: --outputs takes a comma-separated list of outputs\n");
            rc = EXIT_USAGE;
            goto done;
        }
    }
    if (output) { /* the target, before a run of many minutes: its folder, and none of the inputs */
        cc_scenario probe;
        cc_error probe_err;
        if ((rc = cli_check_target(output, NULL, 0)) != 0)
            goto done;
        if (cc_scenario_load_overrides(&probe, argv[optind], ov, noverrides, &probe_err) == 0) {
            rc = cli_check_target(output, &probe, 1);
            cc_scenario_free(&probe);
            if (rc != 0)
                goto done;
        } /* a scenario that does not load is reported by the run itself */
    }
    cli_catch_signals();
    progress_state progress = {{0, 0}, 0};
    clock_gettime(CLOCK_MONOTONIC, &progress.start);
    cc_sensitivity_options opt = {(const char *const *)params, nparams, (const char *const *)outputs, noutputs,
                                  replications, capacity_replications, (int)threads,
                                  !quiet && isatty(STDERR_FILENO) ? show_progress : NULL, &progress, &cli_interrupted};
    cc_scenario baseline;
    cc_sensitivity_result res;
    cc_error err;
    if (cc_sensitivity_run(argv[optind], ov, noverrides, &opt, &baseline, &res, &err) != 0) {
        if (progress.shown)
            fputc('\n', stderr);
        rc = cli_report(&err);
        goto done;
    }
    if (output) {
        cc_run_facts facts = {cc_run_threads((int)threads), 1, command_line, &cli_interrupted};
        if (cc_sensitivity_write(&res, &baseline, &facts, output, &err) != 0)
            rc = cli_report(&err);
        else if (!quiet)
            fprintf(stderr, "carecast: wrote %s (%d parameters, %d outputs, %d replications per run)\n", output,
                    res.nparams, res.noutputs, res.replications);
    }
    if (rc == 0)
        print_tables(&res, baseline.name, stdout);
    cc_sensitivity_free(&res);
    cc_scenario_free(&baseline);
done:
    cli_free_overrides(ov, noverrides);
    free(params_text);
    free(outputs_text);
    free(params);
    free(outputs);
    return rc;
}
