/* Demand charts, for the first scenario of the file: beds needed (with the bed capacity and the
 * probability of exceeding it, when the scenario gave one), outpatient visits per weekday (with
 * the distribution of the year they peak) and enrolled home-care patients, each a fan chart of
 * the total over sexes and age bands. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

static const char *const total_total[] = {"total", "total"};

/* A per-year share [scenario, year] of the first scenario as $S (year, percent); 0, PLOT_SKIPPED
 * (absent or not [scenario, year]) or an error. */
static int share_block(plot_ctx *c, gp_script *s, const char *path)
{
    if (!plot_has(c, path))
        return PLOT_SKIPPED;
    cc_read_dataset d = {0};
    int ret = plot_read(c, path, &d);
    if (ret == 0 && (d.rank != 2 || d.kind == CC_DATA_STRING || !d.axes[1].values))
        ret = PLOT_SKIPPED;
    if (ret == 0) {
        plot_block_begin(s, "$S");
        for (size_t y = 0; y < d.dims[1]; y++) {
            plot_num(s, d.axes[1].values[y]);
            plot_num(s, 100 * plot_at(&d, (size_t[]){0, y}));
            gp_printf(s, "\n");
        }
        plot_block_end(s);
    }
    cc_read_dataset_free(&d);
    return ret;
}

/* The first scenario's bed capacity (0: none given or not in the file). */
static double bed_capacity(plot_ctx *c)
{
    cc_read_dataset d = {0};
    double v = 0;
    if (plot_has(c, "/demand/beds_needed/capacity") && plot_read(c, "/demand/beds_needed/capacity", &d) == 0 &&
        d.kind != CC_DATA_STRING && d.size > 0 && isfinite(d.values[0]))
        v = d.values[0];
    cc_error_clear(c->err);
    cc_read_dataset_free(&d);
    return v;
}

static void axis_labels(plot_ctx *c, gp_script *s, const fan_series *f, double pad, label_id y, label_id y2)
{
    gp_printf(s, "set xrange [%g:%g]\nset xlabel ", f->year[0] - pad, f->year[f->n - 1] + pad);
    gp_quote(s, plot_label(c, L_YEAR), 0);
    gp_printf(s, "\nset ylabel ");
    gp_quote(s, plot_label(c, y), 0);
    gp_printf(s, "\nset xtics 5\nset mxtics 5\nset format y '%%.0f'\n");
    if (y2 != L_COUNT) {
        gp_printf(s, "set y2label ");
        gp_quote(s, plot_label(c, y2), 0);
        gp_printf(s, "\nset y2range [0:100]\nset y2tics 20 nomirror\nset ytics nomirror\nset border 11\n");
    }
}

int plot_beds_fan(plot_ctx *c)
{
    const char *path = "/demand/beds_needed/quantiles";
    fan_series f = {0};
    gp_script s = {0};
    int ret = fan_read(c, path, 0, total_total, 2, &f);
    if (ret != 0)
        goto out;
    double cap = bed_capacity(c);
    char title[256];
    int y0 = (int)f.year[0], y1 = (int)f.year[f.n - 1];
    if (cap > 0)
        snprintf(title, sizeof title, plot_label(c, L_BEDS_CAP_TITLE), cap, y0, y1);
    else
        snprintf(title, sizeof title, plot_label(c, L_BEDS_TITLE), y0, y1);
    plot_begin(c, &s, title, 0, NULL, 0);
    fan_block(&s, "$F", &f, 1);
    int shares = cap > 0 ? share_block(c, &s, "/demand/beds_needed/exceedance_probability") : PLOT_SKIPPED;
    if (shares < 0) {
        ret = shares;
        goto out;
    }
    axis_labels(c, &s, &f, 0, L_BEDS_Y, shares == 0 ? L_EXCEED_Y : L_COUNT);
    gp_printf(&s, "set yrange [0:*]\nset key bottom left\nplot ");
    fan_clauses(c, &s, "$F", plot_colour(0), NULL);
    if (cap > 0) {
        gp_printf(&s, ", %.10g with lines linewidth 2.5 dashtype 2 linecolor rgb '#b2182b' title ", cap);
        gp_quote(&s, plot_label(c, L_CAPACITY), 0);
    }
    if (shares == 0) {
        gp_printf(&s, ", $S using 1:2 axes x1y2 with linespoints pointtype 7 pointsize 0.8 linewidth 1.5 "
                      "linecolor rgb '#b2182b' title ");
        gp_quote(&s, plot_label(c, L_EXCEED), 0);
    }
    gp_printf(&s, "\n");
    ret = plot_finish(c, &s, "beds_fan", "beds_fan", title);
out:
    gp_script_free(&s);
    fan_free(&f);
    return ret;
}

int plot_outpatient_fan(plot_ctx *c)
{
    const char *path = "/demand/outpatient/quantiles";
    fan_series f = {0};
    gp_script s = {0};
    int ret = plot_has(c, path) ? fan_read(c, path, 0, total_total, 2, &f)
                                : plot_skip(c, "no %s in this file: outpatient chart skipped", path);
    if (ret != 0)
        goto out;
    char title[256];
    snprintf(title, sizeof title, plot_label(c, L_OUT_TITLE), (int)f.year[0], (int)f.year[f.n - 1]);
    plot_begin(c, &s, title, 0, plot_label(c, L_PEAK_NOTE), 0);
    fan_block(&s, "$F", &f, 1);
    int shares = share_block(c, &s, "/demand/outpatient/peak_year_share");
    if (shares < 0) {
        ret = shares;
        goto out;
    }
    axis_labels(c, &s, &f, 0.5, L_OUT_Y, shares == 0 ? L_PEAK_Y : L_COUNT);
    /* the key between the bars (low, mostly at the ends) and the fan (high) */
    gp_printf(&s, "set yrange [0:*]\nset key at graph 0.45, graph 0.45 center center\n"
                  "set style fill solid 0.45 noborder\nset boxwidth 0.6\nplot ");
    if (shares == 0) { /* the boxes first, under the fan */
        gp_printf(&s, "$S using 1:2 axes x1y2 with boxes linecolor rgb '#999999' title ");
        gp_quote(&s, plot_label(c, L_PEAK), 0);
        gp_printf(&s, ", ");
    }
    fan_clauses(c, &s, "$F", plot_colour(0), NULL);
    gp_printf(&s, "\n");
    ret = plot_finish(c, &s, "outpatient_fan", "outpatient_fan", title);
out:
    gp_script_free(&s);
    fan_free(&f);
    return ret;
}

int plot_home_care(plot_ctx *c)
{
    const char *path = "/demand/home_care/quantiles";
    fan_series f = {0};
    gp_script s = {0};
    int ret = plot_has(c, path) ? fan_read(c, path, 0, total_total, 2, &f)
                                : plot_skip(c, "no %s in this file: home-care chart skipped", path);
    if (ret != 0)
        goto out;
    char title[256];
    snprintf(title, sizeof title, plot_label(c, L_HOME_TITLE), (int)f.year[0], (int)f.year[f.n - 1]);
    plot_begin(c, &s, title, 0, NULL, 0);
    fan_block(&s, "$F", &f, 1);
    axis_labels(c, &s, &f, 0, L_HOME_Y, L_COUNT);
    gp_printf(&s, "set yrange [0:*]\nset key bottom right\nplot ");
    fan_clauses(c, &s, "$F", plot_colour(0), NULL);
    gp_printf(&s, "\n");
    ret = plot_finish(c, &s, "home_care_fan", "home_care_fan", title);
out:
    gp_script_free(&s);
    fan_free(&f);
    return ret;
}
