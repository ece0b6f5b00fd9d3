/* carecast summary, export and report: what a results file says, for people (text tables,
 * an HTML page) and for other tools (JSON, CSV). They read the results file only (through
 * the library's reader), never a scenario, and run no model. Public API only. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carecast/carecast.h"
#include "carecast/summary.h"

#include "cli.h"

static const char *usage_summary =
    "usage: carecast summary RESULTS.h5 [--json]\n"
    "\n"
    "The headline numbers of a results file (of run, capacity or sensitivity): population total,\n"
    "65+, 75+, 85+; beds, outpatient visits and home-care patients; per scheme and target year\n"
    "the on-call figures; doctors needed; the parameters that move each output most. Medians\n"
    "over replications with the 90% band. Stages the file lacks are named.\n"
    "\n"
    "      --json   JSON instead of tables (each number with the dataset and positions it came from)\n"
    "  -h, --help   this help\n"
    "exit codes: 0 ok, 1 output failed, 2 usage error, 3 the results file cannot be read\n";

static const char *usage_export =
    "usage: carecast export RESULTS.h5 -o DIR [--excel]\n"
    "\n"
    "One CSV file per summary dataset (everything but /provenance, the axes and per-replication\n"
    "arrays), long format: a column per axis and `value`; and DIR/index.csv listing each file's\n"
    "dataset, units and meaning. Each file is replaced whole or not at all.\n"
    "\n"
    "  -o, --output DIR   the folder (created if missing)\n"
    "      --excel        UTF-8 with a byte-order mark and CRLF line ends (Excel shows Japanese names);\n"
    "                     text starting with = + - @ TAB or CR gets a leading ' (opening runs no formula)\n"
    "  -h, --help         this help\n"
    "exit codes: 0 ok, 1 writing failed, 2 usage error, 3 the results file cannot be read\n";

static const char *usage_report =
    "usage: carecast report RESULTS.h5 -o report.html [--lang en|ja]\n"
    "\n"
    "One self-contained HTML page for a council or an association meeting: the charts (SVG,\n"
    "inline), the headline tables, the assumptions the answer leans on, seed, scenarios and\n"
    "engine version. No external reference; prints on A4 (a print stylesheet).\n"
    "\n"
    "  -o, --output FILE  the HTML file (written atomically)\n"
    "      --lang L       en (default) or ja\n"
    "  -h, --help         this help\n"
    "exit codes: 0 ok, 1 writing failed (or gnuplot failed), 2 usage error, 3 the results file cannot be read\n";

/* Open the results file; a file that cannot be opened is wrong input (exit 3). */
static int open_results(const char *path, cc_reader **reader)
{
    cc_error err;
    if (cc_reader_open(reader, path, &err) == 0)
        return 0;
    err.category = CC_CATEGORY_INPUT;
    return cli_report(&err);
}

int cmd_summary(int argc, char **argv)
{
    static const struct option options[] = {{"json", no_argument, 0, 'J'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c, json = 0;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'J') json = 1;
        else if (c == 'h') { fputs(usage_summary, stdout); return 0; }
        else { fputs(usage_summary, stderr); return EXIT_USAGE; }
    }
    if (argc - optind != 1) {
        fputs(usage_summary, stderr);
        return EXIT_USAGE;
    }
    cc_reader *reader;
    int rc = open_results(argv[optind], &reader);
    if (rc)
        return rc;
    cc_summary s;
    cc_error err;
    if (cc_summary_read(reader, CC_LANG_EN, &s, &err) != 0) {
        err.category = err.code == CC_ERR_NOMEM ? CC_CATEGORY_RESOURCES : CC_CATEGORY_INPUT;
        rc = cli_report(&err);
    } else if ((json ? cc_summary_write_json(&s, stdout) : cc_summary_write_text(&s, stdout)) != 0 || fflush(stdout)) {
        fprintf(stderr, "carecast: cannot write the summary to standard output\n");
        rc = EXIT_RUN_FAILED;
    }
    cc_summary_free(&s);
    cc_reader_close(reader);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    static const struct option options[] = {{"output", required_argument, 0, 'o'}, {"excel", no_argument, 0, 'X'},
                                            {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    const char *out = NULL;
    cc_export_options opt = {0};
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        if (c == 'o') out = optarg;
        else if (c == 'X') opt.excel = 1;
        else if (c == 'h') { fputs(usage_export, stdout); return 0; }
        else { fputs(usage_export, stderr); return EXIT_USAGE; }
    }
    if (argc - optind != 1 || !out || !out[0]) {
        fputs(usage_export, stderr);
        return EXIT_USAGE;
    }
    cc_reader *reader;
    int rc = open_results(argv[optind], &reader), n = 0;
    if (rc)
        return rc;
    cc_error err;
    cli_catch_signals(); /* Ctrl-C stops between files; no temporary file is left */
    opt.interrupted = &cli_interrupted;
    if (cc_export_csv(reader, out, &opt, &n, &err) != 0)
        rc = cli_report(&err);
    else
        fprintf(stderr, "carecast: wrote %d CSV files and index.csv into %s\n", n, out);
    cc_reader_close(reader);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    static const struct option options[] = {{"output", required_argument, 0, 'o'}, {"lang", required_argument, 0, 'L'},
                                            {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    const char *out = NULL;
    cc_lang lang = CC_LANG_EN;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        if (c == 'o') out = optarg;
        else if (c == 'L' && (strcmp(optarg, "en") == 0 || strcmp(optarg, "ja") == 0))
            lang = strcmp(optarg, "ja") == 0 ? CC_LANG_JA : CC_LANG_EN;
        else if (c == 'h') { fputs(usage_report, stdout); return 0; }
        else {
            if (c == 'L')
                fprintf(stderr, "carecast: --lang takes en or ja, not '%s'\n", optarg);
            fputs(usage_report, stderr);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 1 || !out || !out[0]) {
        fputs(usage_report, stderr);
        return EXIT_USAGE;
    }
    cc_reader *reader;
    int rc = open_results(argv[optind], &reader);
    if (rc)
        return rc;
    cc_reader_close(reader);
    cc_error err;
    const char *inputs[] = {argv[optind]}; /* never the results file itself, a link or a folder */
    if (cc_results_check_target(out, inputs, 1, &err) != 0)
        return cli_report(&err);
    cli_catch_signals(); /* Ctrl-C stops between charts and removes the private chart folder */
    if (cc_report_html(argv[optind], out, lang, &cli_interrupted, &err) != 0)
        return cli_report(&err);
    fprintf(stderr, "carecast: wrote %s\n", out);
    return 0;
}
