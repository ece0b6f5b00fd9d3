/* carecast capacity SCENARIO: doctors needed per scheme and target year, and the most patients
 * per doctor each scheme sustains within the load limits (README, "Capacity"). Built on the
 * public API only; exit codes as src/cli/main.c: 0 ok, 1 run failed (I/O, memory), 2 usage,
 * 3 invalid input, 130 interrupted. The table goes to stdout, errors to stderr. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carecast/carecast.h"

#include "cli.h"

static const char *usage_capacity =
    "usage: carecast capacity SCENARIO [-o FILE] [-n REPLICATIONS] [--years Y,...] [--schemes S,...]\n"
    "                         [-j THREADS] [--no-max-patients] [--quiet]\n"
    "\n"
    "For each scheme and coverage target year: the fewest participating doctors with whom every\n"
    "projected home-care patient has a panel place and the p95 doctor on duty stays within\n"
    "[coverage] max_duty_nights_per_month and max_disturbed_nights_per_month (per replication,\n"
    "by a checked bisection over the candidate clinics), and the most patients per doctor each\n"
    "scheme sustains within those limits with the scenario's participants. Prints a table.\n"
    "\n"
    "  -o, --output FILE     also write an HDF5 file with /capacity (atomically)\n"
    "  -n, --replications N  replications (default: [coverage] replications)\n"
    "      --years LIST      target years, among [coverage] target_years (default: all)\n"
    "      --schemes LIST    schemes (default: [coverage] schemes)\n"
    "  -j, --threads N       OpenMP threads (default: all cores); results do not depend on it\n"
    "      --no-max-patients skip the most patients per doctor (the slower part)\n"
    "  -q, --quiet           no progress or 'wrote' line on stderr\n"
    "  -h, --help            this help\n"
    "exit codes: 0 ok, 1 run failed, 2 usage error, 3 invalid input, 130 interrupted\n";

/* Comma-separated years or scheme names into the options. */
static int parse_list(const char *text, int years, cc_capacity_options *o)
{
    char *copy = strdup(text), *save = NULL;
    int n = 0, ok = copy != NULL;
    for (char *item = copy ? strtok_r(copy, ",", &save) : NULL; ok && item; item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ') item++;
        if (years) {
            long y;
            ok = n < CC_COVERAGE_MAX_YEARS && cli_whole_number(item, "--years", 1, 9999, &y) == 0;
            if (ok) o->years[n++] = (int)y;
        } else {
            int id = cc_scheme_find(item);
            if (id < 0 || n >= CC_SCHEMES) {
                fprintf(stderr, "carecast: --schemes: unknown scheme '%s' (pairing, rotation, solo, cooperative)\n", item);
                ok = 0;
            } else {
                o->schemes[n++] = (cc_scheme_id)id;
            }
        }
    }
    if (ok && n == 0) {
        fprintf(stderr, "carecast: %s takes a comma-separated list, not '%s'\n", years ? "--years" : "--schemes", text);
        ok = 0;
    }
    if (years) o->nyears = n; else o->nschemes = n;
    free(copy);
    return ok ? 0 : -1;
}

static const char *number(double x, char *buf)
{
    if (isnan(x))
        snprintf(buf, 32, "-");
    else
        snprintf(buf, 32, "%.0f", x);
    return buf;
}

/* One table per target year: a row per scheme. */
static void print_table(const cc_capacity_result *r, const char *name, FILE *out)
{
    for (int y = 0; y < r->nyears; y++) {
        const double *pv = r->patients + (size_t)y * r->replications;
        double sum = 0;
        for (long i = 0; i < r->replications; i++)
            sum += pv[i];
        fprintf(out, "%sCapacity %d, %s: %.0f projected home-care patients (mean over %ld replication%s)\n",
                y ? "\n" : "", r->years[y], name, r->replications ? sum / r->replications : NAN, r->replications,
                r->replications == 1 ? "" : "s");
        fprintf(out, "Criterion: every patient on a panel, p95 doctor on duty within %g duty nights and %g disturbed "
                "nights a month\n", r->max_duty_nights, r->max_disturbed_nights);
        fprintf(out, "%-12s  %7s %15s  %5s %5s  %10s  %5s  %-38s  %s\n", "", "doctors", "", "", "", "", "", "",
                "patients/doctor");
        fprintf(out, "%-12s  %7s %15s  %5s %5s  %10s  %5s  %-38s  %s\n", "scheme", "needed", "90% interval", "prim.", "back.",
                "attainable", "evals", "limit that binds", "within limits");
        for (int k = 0; k < r->nschemes; k++) {
            const cc_capacity_cell *c = cc_capacity_at(r, k, y);
            char a[32], b[32], cc[32], d[32], e[32], interval[64], bind[96], mp[64];
            if (isnan(c->doctors_q[2])) /* above every size tried: more than the whole pool */
                snprintf(b, sizeof b, ">%d", c->pool_primary_doctors + c->pool_backup_doctors);
            else
                number(c->doctors_q[2], b);
            snprintf(interval, sizeof interval, "%s-%s", number(c->doctors_q[0], a), b);
            cc_capacity_limit_name(c->binding_mode, bind, sizeof bind);
            const char *needed = isnan(c->doctors_q[1]) ? "not attainable" : number(c->doctors_q[1], cc);
            if (isnan(c->max_patients_q[1]))
                snprintf(mp, sizeof mp, "-");
            else if (c->max_patients_q[1] >= r->max_patients_hi)
                snprintf(mp, sizeof mp, ">=%d", r->max_patients_hi);
            else
                snprintf(mp, sizeof mp, "%.0f (%.0f-%.0f)", c->max_patients_q[1], c->max_patients_q[0],
                         c->max_patients_q[2]);
            char binds[128];
            snprintf(binds, sizeof binds, "%s%s", bind, c->not_monotone ? " (some not monotone)" : "");
            fprintf(out, "%-12s  %7s %15s  %5s %5s  %9.0f%%  %5.1f  %-38s  %s\n", cc_scheme_name(r->schemes[k]),
                    isnan(c->doctors_q[1]) ? "-" : needed, isnan(c->doctors_q[1]) ? "not attainable" : interval,
                    number(isnan(c->doctors_q[1]) ? NAN : c->primary_median, d),
                    number(isnan(c->doctors_q[1]) ? NAN : c->backup_median, e), 100 * c->attainable, c->evaluations_mean,
                    binds, mp);
        }
    }
    fprintf(out, "\nneeded: median over replications of the fewest participating doctors, primary (△) and backup (▲)\n"
            "  (their medians beside, over the replications that found a size); 90%% interval: 5th-95th percentile,\n"
            "  a replication without a size counting as above every size ('>N': more than all N candidates);\n"
            "attainable: share of replications with a size; evals: mean criterion evaluations of the search;\n"
            "limit that binds: the most frequent limit failing one primary clinic below the answer (or, not\n"
            "  attainable, with every candidate);\n"
            "patients/doctor: most patients per participating doctor within the limits with the scenario's %d\n"
            "  doctors, median (90%% interval).\n", r->participants);
}

int cmd_capacity(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, 0, 'o'}, {"replications", required_argument, 0, 'n'},
        {"years", required_argument, 0, 'Y'},  {"schemes", required_argument, 0, 'S'},
        {"threads", required_argument, 0, 'j'}, {"quiet", no_argument, 0, 'q'},
        {"no-max-patients", no_argument, 0, 'M'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    char command_line[2048];
    snprintf(command_line, sizeof command_line, "carecast");
    for (int i = 0; i < argc; i++) {
        size_t used = strlen(command_line);
        snprintf(command_line + used, sizeof command_line - used, " %s", argv[i]);
    }
    cc_capacity_options opt;
    memset(&opt, 0, sizeof opt);
    opt.max_patients = 1;
    const char *output = NULL;
    int quiet = 0, c;
    long value;
    while ((c = getopt_long(argc, argv, "o:n:j:qh", options, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'n':
            if (cli_whole_number(optarg, "--replications", 1, 100000000, &value) != 0) return EXIT_USAGE;
            opt.replications = value;
            break;
        case 'j':
            if (cli_whole_number(optarg, "--threads", 1, 4096, &value) != 0) return EXIT_USAGE;
            opt.threads = (int)value;
            break;
        case 'Y': if (parse_list(optarg, 1, &opt) != 0) return EXIT_USAGE; break;
        case 'S': if (parse_list(optarg, 0, &opt) != 0) return EXIT_USAGE; break;
        case 'M': opt.max_patients = 0; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage_capacity, stdout); return 0;
        default: fputs(usage_capacity, stderr); return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "carecast capacity: %s\n\n", argc - optind < 1 ? "no scenario given" : "one scenario only");
        fputs(usage_capacity, stderr);
        return EXIT_USAGE;
    }
    int checked;
    if (output && (checked = cli_check_target(output, NULL, 0)) != 0)
        return checked;
    cc_scenario s;
    cc_error err;
    if (cc_scenario_load(&s, argv[optind], &err) != 0)
        return cli_report(&err);
    if (output && (checked = cli_check_target(output, &s, 1)) != 0) {
        cc_scenario_free(&s);
        return checked;
    }
    cli_catch_signals();
    opt.interrupted = &cli_interrupted;
    cc_capacity_result r;
    int rc = 0;
    if (!quiet && isatty(STDERR_FILENO))
        fprintf(stderr, "carecast: capacity of %s...\n", s.name);
    if (cc_capacity_compute(&s, &opt, &r, &err) != 0) {
        rc = cli_report(&err);
        goto out;
    }
    if (output) {
        if (cc_capacity_write(&r, &s, command_line, cc_run_threads(opt.threads), output, &err) != 0) {
            rc = cli_report(&err);
            goto out;
        }
        if (!quiet)
            fprintf(stderr, "carecast: wrote %s (%ld replications)\n", output, r.replications);
    }
    print_table(&r, s.name, stdout);
out:
    cc_capacity_result_free(&r);
    cc_scenario_free(&s);
    return rc;
}
