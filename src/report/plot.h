/* What the chart files of src/report share (private): the drawing context, the frame every
 * chart gets (terminal, title, footnote), reading datasets by path, and the labels of both
 * languages. A chart function returns 0 when it drew, PLOT_SKIPPED when the file lacks what
 * it needs (after noting why with plot_skip), or a negative cc_error code. */
#ifndef CARECAST_REPORT_PLOT_H
#define CARECAST_REPORT_PLOT_H

#include "carecast/reader.h"
#include "carecast/report.h"

#include "gnuplot.h"

enum { PLOT_SKIPPED = 1 };

typedef struct {
    cc_reader *rd;
    cc_plot_format format;
    cc_lang lang;
    const char *out_dir;
    const char *gnuplot;   /* program to run */
    volatile sig_atomic_t *interrupted; /* read before each chart; may be NULL */
    char **scenarios;      /* scenario names (from /scenario, else /provenance/scenarios/<name>) */
    int nscenarios;
    long seed;             /* /provenance attribute seed; -1 unknown */
    long replications;     /* /provenance attribute replications; -1 unknown */
    cc_plot_list *list;
    cc_error *err;
} plot_ctx;

/* ---- labels (labels.c) ---- */
typedef enum {
#define LABEL(id, en, ja) id,
#include "label_texts.h"
#undef LABEL
    L_COUNT
} label_id;

const char *plot_label(const plot_ctx *c, label_id id);
/* The scheme's name in the context's language (the file's own id when it is not a known scheme). */
const char *plot_scheme_label(const plot_ctx *c, const char *scheme);

/* ---- the frame (plot.c) ---- */
/* Start a chart: terminal, font, title and the footnote naming the source (scenario index
 * `scenario`, or every scenario when -1) and seed; `extra_note` (may be NULL) is added to the
 * footnote; `tall`: a canvas taller by a quarter (charts of 2 x 2 panels). */
void plot_begin(plot_ctx *c, gp_script *s, const char *title, int scenario, const char *extra_note, int tall);
/* Remove the title and footnote labels, after the first panel of a multiplot has drawn them. */
void plot_frame_clear(gp_script *s);
/* Run the script and write the image to out_dir/<stem>.<ext> (temporary file + rename);
 * record the chart in the list. 0 or a cc_error code. */
int plot_finish(plot_ctx *c, gp_script *s, const char *kind, const char *stem, const char *title);
/* Note a chart not drawn and why (printf format of the program's own text; %s arguments may
 * be file text: the list is for people, never for gnuplot). Returns PLOT_SKIPPED or
 * CC_ERR_NOMEM. */
int plot_skip(plot_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- reading (plot.c) ---- */
int plot_has(const plot_ctx *c, const char *path);
/* Read a dataset that plot_has found; a failure is an error (filled in c->err). */
int plot_read(plot_ctx *c, const char *path, cc_read_dataset *d);
/* Index along axis `axis` of the entry equal to value / named name; -1 when absent. */
int plot_axis_find(const cc_read_dataset *d, int axis, double value);
int plot_axis_find_name(const cc_read_dataset *d, int axis, const char *name);
/* Value at the indices (rank of them). */
double plot_at(const cc_read_dataset *d, const size_t *idx);

/* A datablock: "$NAME << EOD" ... "EOD" (numbers only go between them). */
void plot_block_begin(gp_script *s, const char *name);
void plot_block_end(gp_script *s);
/* One number for a datablock or a command: NaN as the word NaN (gnuplot's undefined value). */
void plot_num(gp_script *s, double v);

/* Colours for series i (schemes, scenarios) and the usual fan colours. */
const char *plot_colour(int i);

/* The chart catalogue, one file per stage (charts_*.c). */
int plot_population_pyramid(plot_ctx *c);
int plot_population_fan(plot_ctx *c);
int plot_beds_fan(plot_ctx *c);
int plot_outpatient_fan(plot_ctx *c);
int plot_home_care(plot_ctx *c);
int plot_coverage_nights(plot_ctx *c);
int plot_coverage_ooh(plot_ctx *c);
int plot_coverage_outcomes(plot_ctx *c);
int plot_coverage_differences(plot_ctx *c);
int plot_capacity(plot_ctx *c);
int plot_tornado(plot_ctx *c);
int plot_scenarios(plot_ctx *c);

/* ---- fan charts (fan.c) ---- */
/* A series over years with its five quantiles over replications (5%, 25%, 50%, 75%, 95%). */
typedef struct {
    int n;
    double *year;
    double *q; /* [n][5] */
} fan_series;

/* Read a quantiles dataset laid out [scenario, quantile, year, ...]: the scenario's series,
 * the axes after year fixed at the entries named in tail (e.g. {"total", "total"} for sex
 * and age band). 0, PLOT_SKIPPED (the quantile levels or an entry are not there: noted), or
 * an error. */
int fan_read(plot_ctx *c, const char *path, int scenario, const char *const *tail, int ntail, fan_series *out);
void fan_free(fan_series *f);
/* The datablock $name: year q05 q25 q50 q75 q95 (scale divides every value). */
void fan_block(gp_script *s, const char *name, const fan_series *f, double scale);
/* The plot clauses of one fan from $name: 90% band, 50% band, median line; labelled with
 * `label` (NULL: the bands named "90% band" and "50% band"). No leading "plot", no newline. */
void fan_clauses(plot_ctx *c, gp_script *s, const char *name, const char *colour, const char *label);


/* A legend drawn with screen-placed objects, in rows of up to `per_row` entries centred at
 * the bottom of the canvas (above the footnote), shared by every panel of a multiplot: gnuplot's
 * own key cannot span panels. Tags 200 and up; plot_legend_clear removes them before a later
 * panel would draw them again. */
typedef struct {
    const char *text;
    const char *colour;
    int line; /* 0: a filled box; 1: a dashed line; 2: a solid line */
} plot_legend_entry;
void plot_legend(gp_script *s, const plot_legend_entry *e, int n, int per_row);
void plot_legend_clear(gp_script *s, int n);

#endif
