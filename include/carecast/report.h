/* Charts of a results file: cc_plot_results reads a results file (only it, never a scenario)
 * and draws every chart the file supports with gnuplot, each titled, with labelled axes and
 * units and a footnote naming the source scenario(s) and seed. gnuplot is started without a
 * shell and fed its script through a pipe; text from the file reaches it only as escaped
 * single-quoted strings, and it writes each image to its standard output, which is written
 * to the destination through a temporary file and a rename. */
#ifndef CARECAST_REPORT_H
#define CARECAST_REPORT_H

#include <signal.h>
#include <stdio.h>

#include "carecast/error.h"

typedef enum { CC_PLOT_PNG, CC_PLOT_SVG, CC_PLOT_PDF } cc_plot_format;
typedef enum { CC_LANG_EN, CC_LANG_JA } cc_lang;

typedef struct {
    char *file;   /* file name inside out_dir, e.g. "population_fan.svg" */
    char *title;  /* the chart's title in the language asked for (UTF-8) */
    char *kind;   /* stable id of the chart kind, e.g. "population_pyramid", "beds_fan" */
} cc_plot_chart;

typedef struct {
    cc_plot_chart *charts; int ncharts;  /* what was drawn, in a fixed reading order */
    char **skipped; int nskipped;        /* one sentence each: what was not drawn and why
                                            ("no /coverage in this file: per-scheme charts skipped") */
} cc_plot_list;

/* Draw every chart the results file supports into out_dir (created if missing), reading only
 * the results file (never a scenario). Returns 0 or a cc_error code with err filled (no
 * gnuplot: a clear message; a gnuplot error: its message). interrupted (may be NULL) is read
 * before each chart: once set, CC_ERR_INTERRUPTED, the charts drawn so far kept whole. */
int cc_plot_results(const char *results_path, const char *out_dir, cc_plot_format format,
                    cc_lang lang, volatile sig_atomic_t *interrupted, cc_plot_list *out, cc_error *err);
void cc_plot_list_free(cc_plot_list *list);

/* Every output file of plot, export, report and regions is written whole or not at all: fill
 * writes the content to f, a new temporary file beside path (".NAME.tmp-XXXXXX", mode 0644),
 * which is flushed (with sync, also fsync'ed) and renamed over path only when fill returned 0
 * and every byte reached it; otherwise it is removed and a file already at path is left as it
 * was. fill returns 0 or a cc_error code (err filled). Returns 0 or a cc_error code, err naming
 * path. */
typedef int (*cc_output_fill)(FILE *f, void *user, cc_error *err);
int cc_output_write(const char *path, int sync, cc_output_fill fill, void *user, cc_error *err);

#endif
