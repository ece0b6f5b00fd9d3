/* cc_plot_results: open the results file, learn its scenarios and seed, draw the charts of
 * each stage the file holds (the catalogue below, in reading order) and list what it skipped.
 * Also the frame every chart shares (terminal, title, footnote with source and seed), the
 * reading helpers and the atomic writing of each image (temporary file in the output folder,
 * then rename: a failed chart never leaves a half-written file under its name). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot.h"

/* Image size: readable when shown at its own size on a screen or slide (pixels for PNG and
 * SVG, inches for PDF), the font scaled to match. */
#define PNG_TERMINAL "pngcairo size 1280,%d noenhanced font '%s,15' linewidth 1.5"
#define SVG_TERMINAL "svg size 1280,%d noenhanced font '%s,15' linewidth 1.5 background '#ffffff'"
#define PDF_TERMINAL "pdfcairo size 10in,%.2fin noenhanced font '%s,11' linewidth 1.5"
#define FONT_EN "Noto Sans CJK JP"  /* also has Latin letters; the same look in both languages */
#define FONT_JA "Noto Sans CJK JP"
enum { NAME_MAX_BYTES = 64 }; /* a scenario name in a footnote */

static const char *const extensions[] = {"png", "svg", "pdf"};

/* ---- list ---------------------------------------------------------------------------------- */

void cc_plot_list_free(cc_plot_list *list)
{
    if (!list)
        return;
    for (int i = 0; i < list->ncharts; i++) {
        free(list->charts[i].file);
        free(list->charts[i].title);
        free(list->charts[i].kind);
    }
    for (int i = 0; i < list->nskipped; i++)
        free(list->skipped[i]);
    free(list->charts);
    free(list->skipped);
    *list = (cc_plot_list){0};
}

static int list_add_chart(cc_plot_list *l, const char *file, const char *title, const char *kind)
{
    cc_plot_chart *charts = realloc(l->charts, (size_t)(l->ncharts + 1) * sizeof *charts);
    if (!charts)
        return CC_ERR_NOMEM;
    l->charts = charts;
    cc_plot_chart ch = {strdup(file), strdup(title), strdup(kind)};
    if (!ch.file || !ch.title || !ch.kind) {
        free(ch.file);
        free(ch.title);
        free(ch.kind);
        return CC_ERR_NOMEM;
    }
    l->charts[l->ncharts++] = ch;
    return 0;
}

/* printf into a new string (NULL when out of memory). */
static char *format_alloc(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *text = n < 0 ? NULL : malloc((size_t)n + 1);
    if (text)
        vsnprintf(text, (size_t)n + 1, fmt, again);
    va_end(again);
    return text;
}

static char *format_new(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format_new(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = format_alloc(fmt, ap);
    va_end(ap);
    return text;
}

int plot_skip(plot_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = format_alloc(fmt, ap);
    va_end(ap);
    char **skipped = text ? realloc(c->list->skipped, (size_t)(c->list->nskipped + 1) * sizeof *skipped) : NULL;
    if (!skipped) {
        free(text);
        return cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    c->list->skipped = skipped;
    c->list->skipped[c->list->nskipped++] = text;
    return PLOT_SKIPPED;
}

/* ---- reading ------------------------------------------------------------------------------- */

int plot_has(const plot_ctx *c, const char *path)
{
    for (int i = 0, n = cc_reader_count(c->rd); i < n; i++)
        if (strcmp(cc_reader_path(c->rd, i), path) == 0)
            return 1;
    return 0;
}

int plot_read(plot_ctx *c, const char *path, cc_read_dataset *d)
{
    return cc_reader_read(c->rd, path, d, c->err);
}

int plot_axis_find(const cc_read_dataset *d, int axis, double value)
{
    const cc_read_axis *a = &d->axes[axis];
    for (size_t i = 0; a->kind != CC_DATA_STRING && a->values && i < a->length; i++)
        if (fabs(a->values[i] - value) < 1e-9)
            return (int)i;
    return -1;
}

int plot_axis_find_name(const cc_read_dataset *d, int axis, const char *name)
{
    const cc_read_axis *a = &d->axes[axis];
    for (size_t i = 0; a->kind == CC_DATA_STRING && a->strings && i < a->length; i++)
        if (a->strings[i] && strcmp(a->strings[i], name) == 0)
            return (int)i;
    return -1;
}

double plot_at(const cc_read_dataset *d, const size_t *idx)
{
    size_t off = 0;
    for (int k = 0; k < d->rank; k++)
        off = off * d->dims[k] + idx[k];
    return d->values[off];
}

void plot_block_begin(gp_script *s, const char *name)
{
    gp_printf(s, "%s << EOD\n", name);
}

void plot_block_end(gp_script *s)
{
    gp_printf(s, "EOD\n");
}

void plot_num(gp_script *s, double v)
{
    if (isfinite(v))
        gp_printf(s, " %.10g", v);
    else
        gp_printf(s, " NaN");
}

const char *plot_colour(int i)
{
    static const char *const colours[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"};
    return colours[i % 6];
}

/* ---- the frame ----------------------------------------------------------------------------- */

/* Append name to buf (size bytes), cut at a UTF-8 boundary to NAME_MAX_BYTES. */
static void append_name(char *buf, size_t size, const char *name)
{
    size_t len = strlen(buf), n = strlen(name);
    if (n > NAME_MAX_BYTES) {
        n = NAME_MAX_BYTES;
        while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
            n--;
    }
    snprintf(buf + len, size - len, "%s%.*s%s", len ? ", " : "", (int)n, name, n < strlen(name) ? "..." : "");
}

void plot_begin(plot_ctx *c, gp_script *s, const char *title, int scenario, const char *extra_note, int tall)
{
    const char *font = c->lang == CC_LANG_JA ? FONT_JA : FONT_EN;
    const char *terminal = c->format == CC_PLOT_PNG ? PNG_TERMINAL : c->format == CC_PLOT_SVG ? SVG_TERMINAL
                                                                                              : PDF_TERMINAL;
    gp_printf(s, "set encoding utf8\nset terminal ");
    if (c->format == CC_PLOT_PDF)
        gp_printf(s, terminal, tall ? 7.8 : 6.25, font);
    else
        gp_printf(s, terminal, tall ? 1000 : 800, font);
    /* The title and footnote are labels placed on the canvas, centred on it whatever the margins,
     * and drawn once by the first panel of a multiplot (plot_frame_clear). */
    gp_printf(s, "\nset label 100 ");
    gp_quote(s, title, 0);
    gp_printf(s, " at screen 0.5, screen 0.965 center font ',17'\nset tmargin at screen 0.9\n"
                 "set key top left opaque box lc rgb '#cccccc' reverse Left\nset grid lc rgb '#dddddd'\n"
                 "set border 3\nset tics nomirror\nset bmargin 5.5\n");
    char names[512] = "", seed[32], reps[32], note[1024];
    for (int i = 0; i < c->nscenarios; i++)
        if (scenario < 0 || i == scenario)
            append_name(names, sizeof names, c->scenarios[i]);
    snprintf(seed, sizeof seed, "%ld", c->seed);
    snprintf(reps, sizeof reps, "%ld", c->replications);
    snprintf(note, sizeof note, plot_label(c, L_SOURCE),
             plot_label(c, scenario < 0 && c->nscenarios > 1 ? L_SCENARIO_MANY : L_SCENARIO_ONE),
             *names ? names : plot_label(c, L_UNKNOWN), c->seed >= 0 ? seed : plot_label(c, L_UNKNOWN),
             c->replications >= 0 ? reps : plot_label(c, L_UNKNOWN));
    gp_printf(s, "set label 101 ");
    gp_quote(s, note, 0);
    gp_printf(s, " at screen 0.01, screen %s left font ',11' textcolor rgb '#505050'\n", extra_note ? "0.05" : "0.02");
    if (extra_note) { /* a line of its own: it explains the chart, the line above names its source */
        gp_printf(s, "set label 102 ");
        gp_quote(s, extra_note, 0);
        gp_printf(s, " at screen 0.01, screen 0.02 left font ',11' textcolor rgb '#505050'\n");
    }
}

void plot_frame_clear(gp_script *s)
{
    gp_printf(s, "unset label 100\nunset label 101\nunset label 102\n");
}

void plot_legend(gp_script *s, const plot_legend_entry *e, int n, int per_row)
{
    int rows = (n + per_row - 1) / per_row;
    for (int i = 0; i < n; i++) {
        int row = i / per_row, col = i % per_row, in_row = row == rows - 1 ? n - row * per_row : per_row;
        double slot = 0.96 / per_row, x = 0.5 + (col - in_row / 2.0) * slot + 0.01;
        double y = 0.105 + 0.04 * (rows - 1 - row);
        if (e[i].line)
            gp_printf(s, "set arrow %d from screen %.4f, screen %.4f to screen %.4f, screen %.4f nohead "
                         "linewidth 2 dashtype %d linecolor rgb '%s' front\n",
                      200 + i, x, y, x + 0.03, y, e[i].line == 1 ? 2 : 1, e[i].colour);
        else
            gp_printf(s, "set object %d rectangle from screen %.4f, screen %.4f to screen %.4f, screen %.4f "
                         "fillcolor rgb '%s' fillstyle solid 0.55 border linecolor rgb '%s' front\n",
                      200 + i, x, y - 0.011, x + 0.03, y + 0.011, e[i].colour, e[i].colour);
        gp_printf(s, "set label %d ", 200 + i);
        gp_quote(s, e[i].text, 0);
        gp_printf(s, " at screen %.4f, screen %.4f left front\n", x + 0.038, y);
    }
}

void plot_legend_clear(gp_script *s, int n)
{
    for (int i = 0; i < n; i++)
        gp_printf(s, "unset arrow %d\nunset object %d\nunset label %d\n", 200 + i, 200 + i, 200 + i);
}

/* mkdir -p: the folder and any missing parents. */
static int make_dirs(const char *dir, cc_error *err)
{
    char *path = strdup(dir);
    if (!path)
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    int ret = 0;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char end = *p;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            ret = cc_error_set(err, CC_ERR_IO, dir, 0, NULL, "cannot create the folder %s: %s", path, strerror(errno));
        *p = end;
        if (ret || end == '\0')
            break;
    }
    struct stat st;
    if (!ret && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        ret = cc_error_set(err, CC_ERR_IO, dir, 0, NULL, "%s is not a folder", dir);
    free(path);
    return ret;
}

/* An image's bytes (a cc_output_fill). */
typedef struct {
    const char *data;
    size_t len;
} image_bytes;

static int fill_image(FILE *f, void *user, cc_error *err)
{
    const image_bytes *b = user;
    (void)err; /* a short write shows in the stream: cc_output_write reports it */
    fwrite(b->data, 1, b->len, f);
    return 0;
}

/* Write data to dir/name whole or not at all. */
static int write_atomic(const char *dir, const char *name, const char *data, size_t len, cc_error *err)
{
    char *final = format_new("%s/%s", dir, name);
    int ret = final ? cc_output_write(final, 0, fill_image, &(image_bytes){data, len}, err)
                    : cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    free(final);
    return ret;
}

int plot_finish(plot_ctx *c, gp_script *s, const char *kind, const char *stem, const char *title)
{
    char *image = NULL, file[256];
    size_t len = 0;
    snprintf(file, sizeof file, "%s.%s", stem, extensions[c->format]);
    int ret = gp_run(c->gnuplot, s, &image, &len, c->err);
    if (ret == 0)
        ret = write_atomic(c->out_dir, file, image, len, c->err);
    if (ret == 0 && list_add_chart(c->list, file, title, kind) != 0)
        ret = cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    if (ret != 0 && c->err->file[0] == '\0') /* the message names the chart: "DIR/beds_fan.png: gnuplot ..." */
        snprintf(c->err->file, sizeof c->err->file, "%.400s/%.100s", c->out_dir, file);
    free(image);
    return ret;
}

/* ---- the catalogue ------------------------------------------------------------------------- */

/* The stages in reading order: the dataset whose presence says the file holds the stage, what is
 * skipped without it, and its charts. */
typedef int (*chart_fn)(plot_ctx *);
static const struct {
    const char *probe, *what;
    chart_fn charts[5];
} stages[] = {
    {"/population/by_age/mean", "population charts (pyramid, 75+ and 85+ fan) skipped",
     {plot_population_pyramid, plot_population_fan}},
    {"/demand/beds_needed/quantiles", "demand charts (beds needed, outpatient visits, home-care patients) skipped",
     {plot_beds_fan, plot_outpatient_fan, plot_home_care}},
    {"/coverage/doctors/n_doctors",
     "per-scheme charts (duty and disturbed nights, out-of-hours hours, escalations and continuity, paired "
     "differences) skipped",
     {plot_coverage_nights, plot_coverage_ooh, plot_coverage_outcomes, plot_coverage_differences}},
    {"/capacity/doctors_needed_quantiles",
     "doctors-needed chart skipped (it needs a `carecast capacity -o FILE` results file)", {plot_capacity}},
    {"/sensitivity/width", "tornado chart skipped (it needs a `carecast sensitivity -o FILE` results file)",
     {plot_tornado}},
};

/* The scenario names: the /scenario axis, else the groups of /provenance/scenarios. */
static int read_scenarios(plot_ctx *c)
{
    cc_read_dataset d = {0};
    if (plot_has(c, "/scenario") && cc_reader_read(c->rd, "/scenario", &d, c->err) == 0 && d.kind == CC_DATA_STRING) {
        c->scenarios = d.strings;
        c->nscenarios = (int)d.size;
        d.strings = NULL;
        d.size = 0;
        cc_read_dataset_free(&d);
        return 0;
    }
    cc_read_dataset_free(&d);
    cc_error_clear(c->err);
    const char *prefix = "/provenance/scenarios/", *suffix = "/effective_config";
    for (int i = 0, n = cc_reader_count(c->rd); i < n; i++) {
        const char *p = cc_reader_path(c->rd, i);
        size_t lp = strlen(p), lpre = strlen(prefix), lsuf = strlen(suffix);
        if (lp <= lpre + lsuf || strncmp(p, prefix, lpre) != 0 || strcmp(p + lp - lsuf, suffix) != 0)
            continue;
        char **names = realloc(c->scenarios, (size_t)(c->nscenarios + 1) * sizeof *names);
        if (!names)
            return cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        c->scenarios = names;
        if (!(names[c->nscenarios] = strndup(p + lpre, lp - lpre - lsuf)))
            return cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        c->nscenarios++;
    }
    return 0;
}

static long provenance_number(plot_ctx *c, const char *name)
{
    cc_read_attribute a = {0};
    long v = -1;
    if (cc_reader_attribute(c->rd, "/provenance", name, &a, c->err) == 0 && a.kind != CC_DATA_STRING)
        v = (long)a.value;
    free(a.string);
    cc_error_clear(c->err);
    return v;
}

/* CC_ERR_INTERRUPTED once the caller's flag is set (a signal): no further chart is started. */
static int check_interrupted(plot_ctx *c)
{
    if (c->interrupted && *c->interrupted)
        return cc_error_set(c->err, CC_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
    return 0;
}

int cc_plot_results(const char *results_path, const char *out_dir, cc_plot_format format, cc_lang lang,
                    volatile sig_atomic_t *interrupted, cc_plot_list *out, cc_error *err)
{
    *out = (cc_plot_list){0};
    cc_error_clear(err);
    if ((int)format < CC_PLOT_PNG || (int)format > CC_PLOT_PDF || (lang != CC_LANG_EN && lang != CC_LANG_JA) ||
        !results_path || !out_dir)
        return cc_error_set(err, CC_ERR_USAGE, NULL, 0, NULL, "cc_plot_results: invalid arguments");
    const char *gnuplot = getenv("CARECAST_GNUPLOT"); /* another gnuplot; for tests and odd installs */
    plot_ctx c = {.format = format, .lang = lang, .out_dir = out_dir, .gnuplot = gnuplot && *gnuplot ? gnuplot : NULL,
                  .interrupted = interrupted, .list = out, .err = err};
    int ret = cc_reader_open(&c.rd, results_path, err);
    if (ret != 0 && ret != CC_ERR_NOMEM)
        err->category = CC_CATEGORY_INPUT; /* the results file is this function's input */
    if (ret == 0)
        ret = read_scenarios(&c);
    if (ret == 0 && (ret = make_dirs(out_dir, err)) != 0 && ret != CC_ERR_NOMEM)
        err->category = CC_CATEGORY_USAGE; /* the output folder is the caller's choice */
    if (ret == 0) {
        c.seed = provenance_number(&c, "seed");
        c.replications = provenance_number(&c, "replications");
    }
    for (size_t i = 0; ret == 0 && i < sizeof stages / sizeof stages[0]; i++) {
        if (!plot_has(&c, stages[i].probe)) {
            const char *slash = strchr(stages[i].probe + 1, '/');
            ret = plot_skip(&c, "no %.*s in this file: %s", (int)(slash - stages[i].probe), stages[i].probe,
                            stages[i].what);
            ret = ret == PLOT_SKIPPED ? 0 : ret;
            continue;
        }
        for (int k = 0; ret == 0 && k < 5 && stages[i].charts[k]; k++) {
            if ((ret = check_interrupted(&c)) != 0)
                break;
            ret = stages[i].charts[k](&c);
            ret = ret == PLOT_SKIPPED ? 0 : ret;
        }
    }
    if (ret == 0 && plot_has(&c, "/population/by_age/mean") && (ret = check_interrupted(&c)) == 0) {
        ret = plot_scenarios(&c);
        ret = ret == PLOT_SKIPPED ? 0 : ret;
    }
    if (ret != 0 && ret != CC_ERR_NOMEM && ret != CC_ERR_INTERRUPTED)
        ret = check_interrupted(&c) ? CC_ERR_INTERRUPTED : ret; /* a Ctrl-C also kills the gnuplot of the moment */
    for (int i = 0; i < c.nscenarios; i++)
        free(c.scenarios[i]);
    free(c.scenarios);
    cc_reader_close(c.rd);
    if (ret != 0)
        cc_plot_list_free(out);
    return ret;
}
