/* The commands of Japan's municipalities (region.h): `carecast run --region CODE|NAME` (the
 * municipality's scenario written to a temporary folder, then an ordinary run),
 * `carecast scenario --region CODE -o DIR` (the scenario, its base and every table copied into
 * DIR, to edit and run), `carecast batch` (every municipality, one results file) and
 * `carecast regions RESULTS.h5` (75+ and home-care patients per region in 2030, 2040 and 2050
 * as CSV). The shipped tables are found in the scenarios folder: --scenarios DIR, else
 * $CARECAST_SCENARIOS, else the scenarios folder beside the program's build folder, else
 * ./scenarios. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "carecast/carecast.h"

#include "cli.h"

#define TEMPLATE "municipality.ini"
#define REGISTER_TABLE "data/jp_municipal_register_2025_5y_sex.csv"
#define TOTALS_TABLE "data/jp_municipal_ipss2023_totals.csv"

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The scenarios folder holding municipality.ini and data/ (absolute), into buf. */
static int scenarios_folder(const char *given, char *buf, size_t size)
{
    char candidate[PATH_MAX], exe[PATH_MAX], probe[PATH_MAX + 32];
    const char *env = getenv("CARECAST_SCENARIOS");
    const char *from = given ? given : env && env[0] ? env : NULL;
    if (!from) {
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
        if (slash) {
            *slash = '\0';
            snprintf(candidate, sizeof candidate, "%.*s/../scenarios", (int)(sizeof candidate - 20), exe);
            snprintf(probe, sizeof probe, "%s/" TEMPLATE, candidate);
            if (file_exists(probe))
                from = candidate;
        }
        if (!from)
            from = "scenarios";
    }
    snprintf(probe, sizeof probe, "%s/" TEMPLATE, from);
    if (!file_exists(probe) || !realpath(from, buf) || strlen(buf) + 64 > size) {
        cc_error err; /* through cli_report: under MPI, rank 0 says it for a rank that lacks the folder */
        cc_error_set(&err, CC_ERR_USAGE, NULL, 0, NULL, "no %s in the scenarios folder '%s': give the folder of the "
                     "shipped tables with --scenarios DIR or CARECAST_SCENARIOS", TEMPLATE, from);
        return cli_report(&err);
    }
    return 0;
}

static int load_regions(const char *folder, cc_regions *regions)
{
    char reg[PATH_MAX + 64], tot[PATH_MAX + 64];
    cc_error err;
    snprintf(reg, sizeof reg, "%s/" REGISTER_TABLE, folder);
    snprintf(tot, sizeof tot, "%s/" TOTALS_TABLE, folder);
    return cc_regions_load(regions, reg, tot, &err) != 0 ? cli_report(&err) : 0;
}

/* A fresh temporary folder for the written scenarios. */
static int temp_folder(char *buf, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, size, "%s/carecast-region-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(buf)) { /* through cli_report: under MPI, rank 0 says it for another rank */
        cc_error err;
        cc_error_set(&err, CC_ERR_IO, buf, 0, NULL, "cannot create a temporary folder: %s", strerror(errno));
        return cli_report(&err);
    }
    return 0;
}

static void remove_temp_folder(const char *dir)
{
    char data[PATH_MAX + 8];
    snprintf(data, sizeof data, "%s/data", dir);
    rmdir(data);
    rmdir(dir);
}

/* ---- carecast run --region ---------------------------------------------------------------- */

int cli_run_has_region(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--region") == 0 || strncmp(argv[i], "--region=", 9) == 0)
            return 1;
    return 0;
}

/* `run` with --region CODE|NAME (repeatable) and --scenarios DIR: each region's scenario is
 * written to a temporary folder and its path takes the place of the option, so every other
 * option, the default output (results/<code>_<name>.h5) and the checks are run's own. */
int cli_run_region(int argc, char **argv)
{
    char **args = calloc((size_t)argc + 1, sizeof *args), folder[PATH_MAX], dir[PATH_MAX], base[PATH_MAX + 32];
    char (*paths)[PATH_MAX + 300] = calloc((size_t)argc, sizeof *paths);
    int *written = calloc((size_t)argc, sizeof *written), nargs = 0, nwritten = 0, rc = 0, have_dir = 0;
    const char *given = NULL;
    cc_regions regions = {0};
    if (!args || !paths || !written) { rc = EXIT_RUN_FAILED; goto out; }
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) /* --scenarios first: it says where to look */
        if (strcmp(argv[i], "--scenarios") == 0 && i + 1 < argc) given = argv[i + 1];
        else if (strncmp(argv[i], "--scenarios=", 12) == 0) given = argv[i] + 12;
    if ((rc = scenarios_folder(given, folder, sizeof folder)) != 0 || (rc = load_regions(folder, &regions)) != 0)
        goto out;
    snprintf(base, sizeof base, "%s/" TEMPLATE, folder);
    args[nargs++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *query = NULL;
        if (strcmp(argv[i], "--scenarios") == 0) { i++; continue; }
        if (strncmp(argv[i], "--scenarios=", 12) == 0) continue;
        if (strcmp(argv[i], "--region") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "carecast run: --region needs a municipality's code or name\n");
                rc = EXIT_USAGE;
                goto out;
            }
            query = argv[++i];
        } else if (strncmp(argv[i], "--region=", 9) == 0) {
            query = argv[i] + 9;
        }
        if (!query) {
            args[nargs++] = argv[i];
            continue;
        }
        int index;
        cc_error err;
        if (cc_regions_find(&regions, query, &index, &err) != 0) { rc = cli_report(&err); goto out; }
        if (!have_dir && (rc = temp_folder(dir, sizeof dir)) != 0) goto out;
        have_dir = 1;
        if (cc_region_write_scenario(&regions, index, dir, base, paths[nwritten], sizeof paths[0], &err) != 0) {
            rc = cli_report(&err);
            goto out;
        }
        written[nwritten] = index;
        args[nargs++] = paths[nwritten++];
    }
    rc = cmd_run(nargs, args);
out:
    for (int k = 0; k < nwritten; k++)
        cc_region_remove_scenario(&regions, written[k], dir);
    if (have_dir)
        remove_temp_folder(dir);
    cc_regions_free(&regions);
    free(args);
    free(paths);
    free(written);
    return rc;
}

/* ---- carecast scenario --region CODE -o DIR ----------------------------------------------- */

static const char *usage_scenario =
    "usage: carecast scenario --region CODE|NAME -o DIR [--scenarios DIR]\n"
    "\n"
    "Writes a municipality's scenario into DIR to edit and run: DIR/<code>_<name>.ini (its name,\n"
    "base population and calibration targets, and commented places for your clinics and beds),\n"
    "its base DIR/municipality.ini (every other key), and every table they name in DIR/data.\n"
    "Then: carecast run DIR/<code>_<name>.ini. Existing files in DIR are not overwritten.\n"
    "\n"
    "  -r, --region CODE|NAME    the municipality: 5-digit code (12217), or name (柏市, 千葉県柏市)\n"
    "  -o, --output DIR          the folder to write (created if missing)\n"
    "      --scenarios DIR       the folder of the shipped tables (default: see README, Every municipality)\n"
    "  -h, --help                this help\n"
    "exit codes: 0 ok, 1 cannot write, 2 the command line is wrong (an unknown or ambiguous region), 3 a\n"
    "  shipped table is wrong\n";

/* Copy a file byte for byte; refuse to overwrite a different file. */
static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = NULL;
    int rc = 0;
    if (!in) {
        fprintf(stderr, "carecast: cannot read %s: %s\n", from, strerror(errno));
        return EXIT_RUN_FAILED;
    }
    if (file_exists(to)) {
        fprintf(stderr, "carecast: %s exists: not overwritten (write into an empty folder)\n", to);
        fclose(in);
        return EXIT_USAGE;
    }
    if (!(out = fopen(to, "wb"))) {
        fprintf(stderr, "carecast: cannot write %s: %s\n", to, strerror(errno));
        fclose(in);
        return EXIT_RUN_FAILED;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) { rc = EXIT_RUN_FAILED; break; }
    if (ferror(in)) rc = EXIT_RUN_FAILED;
    if (fclose(out) != 0) rc = EXIT_RUN_FAILED;
    fclose(in);
    if (rc != 0)
        fprintf(stderr, "carecast: cannot copy %s to %s\n", from, to);
    return rc;
}

/* Copy every table the template names (relative paths under its folder) into dir, at the
 * same relative path. */
static int copy_template_tables(const cc_scenario *s, const char *template_path, const char *dir)
{
    for (int t = 0; t < s->ntables; t++) {
        const char *dot = strchr(s->tables[t].key, '.');
        char section[64];
        snprintf(section, sizeof section, "%.*s", dot ? (int)(dot - s->tables[t].key) : 0, s->tables[t].key);
        const cc_setting *st = dot ? cc_scenario_setting(s, section, dot + 1) : NULL;
        if (!st || !st->file || strcmp(st->file, template_path) != 0)
            continue; /* the municipality's own tables: written already */
        if (st->value[0] == '/' || strstr(st->value, "..")) {
            fprintf(stderr, "carecast: %s names %s outside its folder: cannot copy it\n", template_path, st->value);
            return EXIT_INPUT;
        }
        char to[PATH_MAX + 300];
        snprintf(to, sizeof to, "%s/%s", dir, st->value);
        int rc = copy_file(s->tables[t].path, to);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int cmd_scenario(int argc, char **argv)
{
    static const struct option options[] = {{"region", required_argument, 0, 'r'}, {"output", required_argument, 0, 'o'},
                                            {"scenarios", required_argument, 0, 'S'}, {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    const char *query = NULL, *dir = NULL, *given = NULL;
    int c, index, rc;
    while ((c = getopt_long(argc, argv, "r:o:h", options, NULL)) != -1) {
        switch (c) {
        case 'r': query = optarg; break;
        case 'o': dir = optarg; break;
        case 'S': given = optarg; break;
        case 'h': fputs(usage_scenario, stdout); return 0;
        default: fputs(usage_scenario, stderr); return EXIT_USAGE;
        }
    }
    if (!query || !dir || optind != argc) {
        fprintf(stderr, "carecast scenario: %s\n\n", !query ? "--region is required" : !dir ? "-o DIR is required"
                                                                                     : "unexpected argument");
        fputs(usage_scenario, stderr);
        return EXIT_USAGE;
    }
    char folder[PATH_MAX], template_path[PATH_MAX + 32], path[PATH_MAX + 300], copy[PATH_MAX + 32];
    cc_regions regions;
    cc_error err;
    cc_scenario s;
    memset(&s, 0, sizeof s);
    if ((rc = scenarios_folder(given, folder, sizeof folder)) != 0 || (rc = load_regions(folder, &regions)) != 0)
        return rc;
    if (cc_regions_find(&regions, query, &index, &err) != 0) {
        rc = cli_report(&err);
        goto out;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "carecast: cannot create the folder %s: %s\n", dir, strerror(errno));
        rc = EXIT_USAGE;
        goto out;
    }
    char name[256], data[PATH_MAX + 8];
    cc_region_scenario_name(&regions.areas[index], name, sizeof name);
    snprintf(path, sizeof path, "%s/%s.ini", dir, name);
    snprintf(copy, sizeof copy, "%s/" TEMPLATE, dir);
    snprintf(template_path, sizeof template_path, "%s/" TEMPLATE, folder);
    snprintf(data, sizeof data, "%s/data/%s_register_2025_5y_sex.csv", dir, regions.areas[index].code);
    if (file_exists(path) || file_exists(copy) || file_exists(data)) {
        fprintf(stderr, "carecast: %s exists: not overwritten (write into an empty folder)\n",
                file_exists(path) ? path : file_exists(copy) ? copy : data);
        rc = EXIT_USAGE;
        goto out;
    }
    /* first against the shipped template, to learn (and check) the tables it reads */
    if (cc_region_write_scenario(&regions, index, dir, template_path, path, sizeof path, &err) != 0 ||
        cc_scenario_load(&s, path, &err) != 0) {
        rc = cli_report(&err);
        goto out;
    }
    if ((rc = copy_template_tables(&s, template_path, dir)) != 0 || (rc = copy_file(template_path, copy)) != 0)
        goto out;
    cc_scenario_free(&s);
    /* then naming the copy, and loaded again: what was written runs */
    if (cc_region_write_scenario(&regions, index, dir, TEMPLATE, path, sizeof path, &err) != 0 ||
        cc_scenario_load(&s, path, &err) != 0) {
        rc = cli_report(&err);
        goto out;
    }
    printf("wrote %s (base %s, %d tables in %s/data); run it with: carecast run %s\n", path, TEMPLATE, s.ntables, dir,
           path);
out:
    cc_scenario_free(&s);
    cc_regions_free(&regions);
    return rc;
}

/* ---- carecast regions RESULTS.h5 -------------------------------------------------------------- */

static const char *usage_regions =
    "usage: carecast regions RESULTS.h5 [-o FILE.csv] [--years Y,Y,...] [--excel]\n"
    "\n"
    "A summary over the scenarios (regions) of a results file, as CSV (stdout without -o): per\n"
    "scenario and year, the population aged 75+ and the enrolled home-care patients (both sexes,\n"
    "all ages), each as the median and the 90% band (5% and 95% quantiles) over the replications.\n"
    "\n"
    "  -o, --output FILE         the CSV file (default: stdout)\n"
    "  -y, --years LIST          the years (default 2030,2040,2050)\n"
    "      --excel               UTF-8 with a byte-order mark and CRLF line ends (Excel shows 柏市);\n"
    "                            a name starting with = + - @ TAB or CR gets a leading ' (no formula runs)\n"
    "  -h, --help                this help\n"
    "exit codes: 0 ok, 1 cannot write, 2 the command line is wrong, 3 the results file lacks a dataset or year\n";

/* Index of the value v on a numeric axis, or of the text s on a text axis; -1 if absent. */
static int axis_index(const cc_read_axis *axis, double v, const char *s)
{
    for (size_t i = 0; i < axis->length; i++)
        if (s ? axis->kind == CC_DATA_STRING && strcmp(axis->strings[i], s) == 0
              : axis->kind != CC_DATA_STRING && fabs(axis->values[i] - v) < 1e-9)
            return (int)i;
    return -1;
}

static int axis_named(const cc_read_dataset *d, const char *name)
{
    for (int k = 0; k < d->rank; k++)
        if (strcmp(d->axes[k].name, name) == 0)
            return k;
    return -1;
}

/* The value at [scenario sc, quantile q, year y, sex total(, age_band total)] of a quantiles
 * dataset. */
static double quantile_at(const cc_read_dataset *d, int sc, int q, int y)
{
    size_t at[CC_READ_MAX_RANK] = {0};
    at[axis_named(d, "scenario")] = (size_t)sc;
    at[axis_named(d, "quantile")] = (size_t)q;
    at[axis_named(d, "year")] = (size_t)y;
    at[axis_named(d, "sex")] = (size_t)axis_index(&d->axes[axis_named(d, "sex")], 0, "total");
    int band = axis_named(d, "age_band");
    if (band >= 0)
        at[band] = (size_t)axis_index(&d->axes[band], 0, "total");
    size_t offset = 0;
    for (int k = 0; k < d->rank; k++)
        offset = offset * d->dims[k] + at[k];
    return d->values[offset];
}

static int check_quantiles(const cc_read_dataset *d, const char *path)
{
    static const char *const needed[] = {"scenario", "quantile", "year", "sex"};
    for (int k = 0; k < 4; k++)
        if (axis_named(d, needed[k]) < 0) {
            fprintf(stderr, "carecast: %s has no %s axis\n", path, needed[k]);
            return EXIT_INPUT;
        }
    if (axis_index(&d->axes[axis_named(d, "sex")], 0, "total") < 0 ||
        (axis_named(d, "age_band") >= 0 && axis_index(&d->axes[axis_named(d, "age_band")], 0, "total") < 0)) {
        fprintf(stderr, "carecast: %s has no 'total' sex or age band\n", path);
        return EXIT_INPUT;
    }
    return 0;
}

/* The regions table (a cc_output_fill): per scenario and year, 75+ and home-care patients'
 * median and 90% band. */
typedef struct {
    const cc_read_axis *scen;
    const cc_read_dataset *d; /* [2]: age75plus, home_care quantiles */
    const int *qi, *yi, *years;
    int nyears;
    int excel; /* for a spreadsheet: byte-order mark, CRLF, formula-like names as text */
} regions_table;

static int write_regions(FILE *out, void *user, cc_error *err)
{
    const regions_table *t = user;
    const char *eol = t->excel ? "\r\n" : "\n";
    (void)err; /* a failed write shows in the stream */
    if (t->excel)
        fputs("\xEF\xBB\xBF", out); /* the byte-order mark: Excel then reads UTF-8 (柏市), not the local code page */
    fprintf(out, "scenario,code,year,age75plus_median,age75plus_p05,age75plus_p95,"
                 "home_care_median,home_care_p05,home_care_p95%s", eol);
    for (size_t sc = 0; sc < t->scen->length; sc++) {
        const char *name = t->scen->strings[sc];
        /* a region's scenario is "<code>_<name>": the code gets a column of its own */
        int coded = strlen(name) > 6 && strspn(name, "0123456789") == 5 && name[5] == '_';
        for (int y = 0; y < t->nyears; y++) {
            int formula = t->excel && name[0] && strchr("=+-@\t\r", name[0]); /* shown as text, never run */
            if (strpbrk(name, ",\"\r\n") || formula) { /* quoted, its quotes doubled (RFC 4180) */
                fputc('"', out);
                if (formula)
                    fputc('\'', out);
                for (const char *p = name; *p; p++)
                    fprintf(out, *p == '"' ? "\"\"" : "%c", *p);
                fputc('"', out);
            } else {
                fputs(name, out);
            }
            fprintf(out, ",%.*s,%d", coded ? 5 : 0, name, t->years[y]);
            for (int k = 0; k < 2; k++)
                for (int q = 0; q < 3; q++)
                    fprintf(out, ",%.1f", quantile_at(&t->d[k], (int)sc, t->qi[q], t->yi[y]));
            fputs(eol, out);
        }
    }
    return 0;
}

int cmd_regions(int argc, char **argv)
{
    static const struct option options[] = {{"output", required_argument, 0, 'o'}, {"years", required_argument, 0, 'y'},
                                            {"excel", no_argument, 0, 'X'},
                                            {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *output = NULL, *years_text = "2030,2040,2050";
    int c, rc = 0, years[64], nyears = 0, excel = 0;
    while ((c = getopt_long(argc, argv, "o:y:h", options, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'y': years_text = optarg; break;
        case 'X': excel = 1; break;
        case 'h': fputs(usage_regions, stdout); return 0;
        default: fputs(usage_regions, stderr); return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fputs(usage_regions, stderr);
        return EXIT_USAGE;
    }
    for (const char *p = years_text; *p;) {
        char *end;
        long y = strtol(p, &end, 10);
        if (end == p || (*end && *end != ',') || y < 1900 || y > 2300 || nyears == 64) {
            fprintf(stderr, "carecast regions: --years takes years separated by commas, not '%s'\n", years_text);
            return EXIT_USAGE;
        }
        years[nyears++] = (int)y;
        p = *end ? end + 1 : end;
    }
    if (nyears == 0) {
        fprintf(stderr, "carecast regions: --years is empty\n");
        return EXIT_USAGE;
    }
    static const char *const series[2] = {"/population/age75plus/quantiles", "/demand/home_care/quantiles"};
    cc_reader *reader = NULL;
    cc_read_dataset d[2];
    cc_error err;
    memset(d, 0, sizeof d);
    const char *inputs[] = {argv[optind]}; /* never the results file itself, a link or a folder */
    if (output && cc_results_check_target(output, inputs, 1, &err) != 0)
        return cli_report(&err);
    if (cc_reader_open(&reader, argv[optind], &err) != 0) { /* not a results file: bad input */
        cli_report(&err);
        return EXIT_INPUT;
    }
    for (int k = 0; k < 2 && rc == 0; k++)
        if (cc_reader_read(reader, series[k], &d[k], &err) != 0) {
            fprintf(stderr, "carecast: %s: %s%s\n", argv[optind], err.message,
                    k == 1 ? " (the demand stage: run the scenarios with their [demand] rate tables)" : "");
            rc = EXIT_INPUT;
        } else {
            rc = check_quantiles(&d[k], series[k]);
        }
    int qi[3] = {-1, -1, -1}, yi[64];
    static const double quantiles[3] = {0.5, 0.05, 0.95};
    for (int q = 0; q < 3 && rc == 0; q++)
        if ((qi[q] = axis_index(&d[0].axes[axis_named(&d[0], "quantile")], quantiles[q], NULL)) < 0 ||
            axis_index(&d[1].axes[axis_named(&d[1], "quantile")], quantiles[q], NULL) != qi[q]) {
            fprintf(stderr, "carecast: %s has no %g quantile\n", argv[optind], quantiles[q]);
            rc = EXIT_INPUT;
        }
    for (int y = 0; y < nyears && rc == 0; y++)
        if ((yi[y] = axis_index(&d[0].axes[axis_named(&d[0], "year")], years[y], NULL)) < 0 ||
            axis_index(&d[1].axes[axis_named(&d[1], "year")], years[y], NULL) != yi[y]) {
            fprintf(stderr, "carecast: %s has no year %d\n", argv[optind], years[y]);
            rc = EXIT_INPUT;
        }
    const cc_read_axis *scen = rc == 0 ? &d[0].axes[axis_named(&d[0], "scenario")] : NULL;
    if (rc == 0 && scen->kind != CC_DATA_STRING) {
        fprintf(stderr, "carecast: %s: the scenario axis holds no names\n", argv[optind]);
        rc = EXIT_INPUT;
    }
    regions_table table = {scen, d, qi, yi, years, nyears, excel};
    if (rc == 0 && !output && (write_regions(stdout, &table, &err), fflush(stdout) != 0)) {
        fprintf(stderr, "carecast: cannot write to stdout\n");
        rc = EXIT_RUN_FAILED;
    } else if (rc == 0 && output && cc_output_write(output, 0, write_regions, &table, &err) != 0) {
        rc = cli_report(&err);
    }
    for (int k = 0; k < 2; k++)
        cc_read_dataset_free(&d[k]);
    cc_reader_close(reader);
    return rc;
}

/* ---- carecast batch ------------------------------------------------------------------------ */

static const char *usage_batch =
    "usage: carecast batch [-n REPLICATIONS] [-j THREADS] [-o FILE] [--limit N | --codes LIST]\n"
    "                      [--seed N] [--set SECTION.KEY=VALUE]... [--scenarios DIR] [--quiet]\n"
    "\n"
    "Runs every municipality of Japan (the 1,741 of the shipped register, in code order), each its\n"
    "own scenario as `carecast run --region` builds it (population and demand), into ONE results\n"
    "file whose scenario axis holds them (<code>_<name>). Each is written when it completes, so\n"
    "memory does not grow with their number; the file does not depend on threads.\n"
    "Then `carecast regions FILE -o summary.csv` tabulates 75+ and home-care patients per region.\n"
    "\n"
    "  -n, --replications N      replications of each municipality (default 50)\n"
    "  -j, --threads N           OpenMP threads (default: all cores)\n"
    "  -o, --output FILE         results file (default: results/municipalities.h5)\n"
    "      --limit N             only the first N municipalities in code order\n"
    "      --codes LIST          only these municipalities (codes or names, comma-separated), in that order\n"
    "      --seed N              override [simulation] seed\n"
    "      --set SECTION.KEY=V   override a key of every municipality's scenario\n"
    "      --scenarios DIR       the folder of the shipped tables (default: see README, Every municipality)\n"
    "  -q, --quiet               no progress line (shown only on a terminal anyway)\n"
    "  -h, --help                this help\n"
    "exit codes: 0 ok, 1 run failed (I/O, memory), 2 the command line is wrong, 3 a table or scenario is\n"
    "  wrong, 130 interrupted\n";

enum { BATCH_DEFAULT_REPLICATIONS = 50 };

typedef struct {
    const cc_regions *regions;
    const int *areas;          /* indices into regions->areas, in run order */
    const char *dir, *base;    /* the temporary folder; the shipped template */
    const cc_override *overrides;
    int noverrides;
} batch_source;

/* cc_scenario_source: municipality i written, loaded like any scenario file, its files removed. */
static int batch_scenario(void *user, int i, cc_scenario *out, cc_error *err)
{
    const batch_source *b = user;
    char path[PATH_MAX + 300];
    int ret = cc_region_write_scenario(b->regions, b->areas[i], b->dir, b->base, path, sizeof path, err);
    if (ret == 0)
        ret = cc_scenario_load_overrides(out, path, b->overrides, b->noverrides, err);
    cc_region_remove_scenario(b->regions, b->areas[i], b->dir);
    return ret;
}

typedef struct {
    long replications;
    int on_terminal;
    time_t start;
} batch_progress;

static void show_batch_progress(long done, long total, void *user)
{
    batch_progress *p = user;
    if (!p->on_terminal)
        return;
    long elapsed = (long)(time(NULL) - p->start);
    fprintf(stderr, "\rcarecast: %ld/%ld municipalities, %ld s elapsed", done / p->replications,
            total / p->replications, elapsed);
    if (done > 0 && done < total && elapsed >= 2)
        fprintf(stderr, ", about %.0f s left  ", (double)elapsed * (double)(total - done) / (double)done);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

int cmd_batch(int argc, char **argv)
{
    static const struct option options[] = {
        {"replications", required_argument, 0, 'n'}, {"threads", required_argument, 0, 'j'},
        {"output", required_argument, 0, 'o'},       {"limit", required_argument, 0, 'L'},
        {"codes", required_argument, 0, 'C'},        {"seed", required_argument, 0, 's'},
        {"set", required_argument, 0, 'S'},          {"scenarios", required_argument, 0, 'D'},
        {"quiet", no_argument, 0, 'q'},              {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    char command_line[2048], folder[PATH_MAX], dir[PATH_MAX] = "", base[PATH_MAX + 32], reps_text[32];
    const char *output = "results/municipalities.h5", *codes = NULL, *given = NULL;
    long replications = BATCH_DEFAULT_REPLICATIONS, threads = 0, limit = -1, value;
    int c, rc = 0, quiet = 0, noverrides = 0, n = 0, have_dir = 0;
    cc_override *ov = calloc((size_t)argc + 2, sizeof *ov);
    int *areas = NULL;
    cc_regions regions = {0};
    cc_error err;
    snprintf(command_line, sizeof command_line, "carecast");
    for (int i = 0; i < argc; i++) {
        size_t used = strlen(command_line);
        snprintf(command_line + used, sizeof command_line - used, " %s", argv[i]);
    }
    if (!ov)
        return EXIT_RUN_FAILED;
    while ((c = getopt_long(argc, argv, "n:j:o:qh", options, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (cli_whole_number(optarg, "--replications", 1, 100000000, &replications)) { rc = EXIT_USAGE; goto out; }
            break;
        case 'j': if (cli_whole_number(optarg, "--threads", 1, 4096, &threads)) { rc = EXIT_USAGE; goto out; } break;
        case 'o': output = optarg; break;
        case 'L': if (cli_whole_number(optarg, "--limit", 1, 100000, &limit)) { rc = EXIT_USAGE; goto out; } break;
        case 'C': codes = optarg; break;
        case 's':
            if (cli_whole_number(optarg, "--seed", 0, 9007199254740991L, &value)) { rc = EXIT_USAGE; goto out; }
            if (cli_override(&ov[noverrides++], "simulation", "seed", optarg)) { rc = EXIT_RUN_FAILED; goto out; }
            break;
        case 'S': if (cli_parse_set(optarg, &ov[noverrides++])) { rc = EXIT_USAGE; goto out; } break;
        case 'D': given = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage_batch, stdout); goto out;
        default: fputs(usage_batch, stderr); rc = EXIT_USAGE; goto out;
        }
    }
    if (optind != argc || (codes && limit > 0)) {
        fprintf(stderr, "carecast batch: %s\n\n", optind != argc ? "unexpected argument" : "give --limit or --codes, not both");
        fputs(usage_batch, stderr);
        rc = EXIT_USAGE;
        goto out;
    }
    snprintf(reps_text, sizeof reps_text, "%ld", replications);
    if (cli_override(&ov[noverrides++], "simulation", "replications", reps_text)) { rc = EXIT_RUN_FAILED; goto out; }
    if (cc_ranks_rank() == 0 && (rc = cli_check_target(output, NULL, 0)) != 0) goto out; /* rank 0 writes */
    if ((rc = scenarios_folder(given, folder, sizeof folder)) != 0 || (rc = load_regions(folder, &regions)) != 0)
        goto out;
    snprintf(base, sizeof base, "%s/" TEMPLATE, folder);
    if (!(areas = calloc((size_t)regions.nareas + 1, sizeof *areas))) { rc = EXIT_RUN_FAILED; goto out; }
    if (codes) {
        char *list = strdup(codes), *save = NULL;
        for (char *q = list ? strtok_r(list, ",", &save) : NULL; q; q = strtok_r(NULL, ",", &save)) {
            int index;
            if (cc_regions_find(&regions, q, &index, &err) != 0) { rc = cli_report(&err); break; }
            for (int k = 0; k < n; k++)
                if (areas[k] == index) {
                    fprintf(stderr, "carecast batch: --codes names %s twice\n", regions.areas[index].code);
                    rc = EXIT_USAGE;
                }
            if (rc) break;
            areas[n++] = index;
        }
        free(list);
        if (rc) goto out;
        if (n == 0) { fprintf(stderr, "carecast batch: --codes is empty\n"); rc = EXIT_USAGE; goto out; }
    } else {
        n = limit > 0 && limit < regions.nmunicipalities ? (int)limit : regions.nmunicipalities;
        memcpy(areas, regions.municipality, (size_t)n * sizeof *areas);
    }
    if ((rc = temp_folder(dir, sizeof dir)) != 0) goto out;
    have_dir = 1;
    /* the first scenario, loaded now: a wrong --set is reported before anything runs */
    batch_source source = {&regions, areas, dir, base, ov, noverrides};
    cc_scenario first;
    if (batch_scenario(&source, 0, &first, &err) != 0) { rc = cli_report(&err); goto out; }
    cc_run_options run_options = first.run;
    cc_scenario_free(&first);
    batch_progress progress = {replications, !quiet && isatty(STDERR_FILENO), time(NULL)};
    run_options.threads = (int)threads;
    run_options.progress = show_batch_progress;
    run_options.progress_user = &progress;
    run_options.interrupted = &cli_interrupted;
    cli_catch_signals();
    cc_run_facts facts = {cc_run_threads((int)threads), cc_ranks_size(), command_line, &cli_interrupted};
    if (cc_run_batch(batch_scenario, &source, n, &run_options, &facts, output, &err) != 0) {
        if (progress.on_terminal) fputc('\n', stderr);
        rc = cli_report(&err);
        goto out;
    }
    if (!quiet)
        fprintf(stderr, "carecast: wrote %s (%d municipalities, %ld replications each, %ld s)\n", output, n, replications,
                (long)(time(NULL) - progress.start));
out:
    if (have_dir)
        remove_temp_folder(dir);
    cc_regions_free(&regions);
    free(areas);
    cli_free_overrides(ov, noverrides);
    return rc;
}
