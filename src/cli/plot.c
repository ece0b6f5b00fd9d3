/* carecast plot RESULTS.h5: draw the charts of a results file with gnuplot (src/report).
 * Reads only the results file. Prints each chart written (file and title) on stdout and each
 * chart skipped, with the reason, on stderr. Exit codes as src/cli/main.c: 0 ok, 1 gnuplot or
 * writing failed, 2 usage, 3 the results file cannot be read. */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carecast/carecast.h"

#include "cli.h"

static const char *usage_plot =
    "usage: carecast plot RESULTS.h5 [-o DIR] [--format png|svg|pdf] [--lang en|ja]\n"
    "\n"
    "Draws every chart the results file supports with gnuplot: population pyramid, 75+ and 85+\n"
    "fan chart, beds needed, outpatient visits and home-care patients, per-scheme on-call load,\n"
    "outcomes and paired differences, doctors needed (capacity files), tornado (sensitivity\n"
    "files) and scenario comparisons (several scenarios). Names what it skipped and why.\n"
    "\n"
    "  -o, --output DIR      folder for the charts (created if missing; default: the results\n"
    "                        file's folder)\n"
    "  -f, --format FMT      png (default), svg or pdf\n"
    "  -l, --lang LANG       en (default) or ja: Japanese titles and labels (font Noto Sans CJK JP)\n"
    "  -q, --quiet           print nothing but errors\n"
    "  -h, --help            this help\n"
    "environment: CARECAST_GNUPLOT names the gnuplot program (default: gnuplot on PATH)\n"
    "exit codes: 0 ok, 1 gnuplot missing or failed, or a chart could not be written, 2 usage error,\n"
    "  3 the results file cannot be read\n";

int cmd_plot(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'l'},   {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *out_dir = NULL;
    cc_plot_format format = CC_PLOT_PNG;
    cc_lang lang = CC_LANG_EN;
    int quiet = 0, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:f:l:qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': out_dir = optarg; break;
        case 'f':
            if (strcmp(optarg, "png") == 0) format = CC_PLOT_PNG;
            else if (strcmp(optarg, "svg") == 0) format = CC_PLOT_SVG;
            else if (strcmp(optarg, "pdf") == 0) format = CC_PLOT_PDF;
            else {
                fprintf(stderr, "carecast: --format takes png, svg or pdf, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'l':
            if (strcmp(optarg, "en") == 0) lang = CC_LANG_EN;
            else if (strcmp(optarg, "ja") == 0) lang = CC_LANG_JA;
            else {
                fprintf(stderr, "carecast: --lang takes en or ja, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage_plot, stdout); return 0;
        default: fputs(usage_plot, stderr); return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "carecast: plot takes one results file\n%s", usage_plot);
        return EXIT_USAGE;
    }
    const char *results = argv[optind];
    char *copy = strdup(results);
    if (!copy)
        return EXIT_RUN_FAILED;
    if (!out_dir || !*out_dir)
        out_dir = dirname(copy); /* next to the results file */
    cc_plot_list list;
    cc_error err;
    cli_catch_signals(); /* Ctrl-C stops between charts; no temporary file is left */
    int rc = cc_plot_results(results, out_dir, format, lang, &cli_interrupted, &list, &err) != 0 ? cli_report(&err) : 0;
    for (int i = 0; rc == 0 && !quiet && i < list.ncharts; i++)
        printf("%s/%s\t%s\n", out_dir, list.charts[i].file, list.charts[i].title);
    for (int i = 0; rc == 0 && !quiet && i < list.nskipped; i++)
        fprintf(stderr, "carecast: skipped: %s\n", list.skipped[i]);
    cc_plot_list_free(&list);
    free(copy);
    return rc;
}
