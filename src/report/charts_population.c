/* Population charts: the pyramid (mean persons by single year of age and sex: the base
 * population against two later year points) and the fan chart of the 75+ and 85+ counts.
 * Both show the first scenario of the file (named in the footnote); scenario comparisons are
 * in charts_scenarios.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

/* A tick step of 1, 2, 2.5 or 5 times a power of ten giving about `want` ticks up to max. */
static double nice_step(double max, int want)
{
    double raw = max / want, p = pow(10, floor(log10(raw))), m[] = {1, 2, 2.5, 5, 10};
    for (int i = 0; i < 5; i++)
        if (m[i] * p >= raw)
            return m[i] * p;
    return 10 * p;
}

/* Two year points to set against the base: 2030 and 2050 when the run has them, else the
 * middle and the last. */
static void pick_years(const cc_read_dataset *d, int *a, int *b)
{
    int n = (int)d->dims[1];
    *a = plot_axis_find(d, 1, 2030);
    *b = plot_axis_find(d, 1, 2050);
    if (*b < 0)
        *b = n - 1;
    if (*a < 0 || *a >= *b)
        *a = *b / 2;
}

int plot_population_pyramid(plot_ctx *c)
{
    cc_read_dataset base = {0}, mean = {0};
    cc_read_attribute date = {0};
    gp_script s = {0};
    int ret = plot_read(c, "/population/by_age/mean", &mean);
    if (ret == 0 && plot_has(c, "/population/base"))
        ret = plot_read(c, "/population/base", &base);
    else if (ret == 0)
        ret = plot_skip(c, "no /population/base in this file: population pyramid skipped");
    if (ret != 0)
        goto out;
    int male = plot_axis_find_name(&mean, 2, "male"), female = plot_axis_find_name(&mean, 2, "female");
    int bmale = plot_axis_find_name(&base, 1, "male"), bfemale = plot_axis_find_name(&base, 1, "female");
    if (mean.rank != 4 || base.rank != 3 || male < 0 || female < 0 || bmale < 0 || bfemale < 0 ||
        base.dims[2] != mean.dims[3] || !mean.axes[1].values || !mean.axes[3].values) {
        ret = plot_skip(c, "/population/by_age/mean or /population/base is not laid out by sex and age: "
                           "population pyramid skipped");
        goto out;
    }
    int ya, yb;
    pick_years(&mean, &ya, &yb);
    int year_a = (int)mean.axes[1].values[ya], year_b = (int)mean.axes[1].values[yb];
    cc_reader_attribute(c->rd, "/population/base", "date", &date, c->err);
    cc_error_clear(c->err);
    const char *base_date = date.kind == CC_DATA_STRING && date.string ? date.string : "";
    char title[512], base_label[128], la[32], lb[32];
    snprintf(title, sizeof title, plot_label(c, L_PYRAMID_TITLE), base_date, year_a, year_b);
    snprintf(base_label, sizeof base_label, plot_label(c, L_BASE), base_date);
    snprintf(la, sizeof la, plot_label(c, L_YEAR_N), year_a);
    snprintf(lb, sizeof lb, plot_label(c, L_YEAR_N), year_b);

    plot_begin(c, &s, title, 0, plot_label(c, L_PYRAMID_NOTE), 0);
    plot_block_begin(&s, "$P");
    double max = 0;
    for (size_t a = 0; a < mean.dims[3]; a++) {
        double v[6] = {plot_at(&base, (size_t[]){0, (size_t)bmale, a}), plot_at(&base, (size_t[]){0, (size_t)bfemale, a}),
                       plot_at(&mean, (size_t[]){0, (size_t)ya, (size_t)male, a}),
                       plot_at(&mean, (size_t[]){0, (size_t)ya, (size_t)female, a}),
                       plot_at(&mean, (size_t[]){0, (size_t)yb, (size_t)male, a}),
                       plot_at(&mean, (size_t[]){0, (size_t)yb, (size_t)female, a})};
        plot_num(&s, mean.axes[3].values[a]);
        for (int k = 0; k < 6; k++) {
            plot_num(&s, k % 2 == 0 ? -v[k] : v[k]); /* men to the left */
            if (isfinite(v[k]) && v[k] > max)
                max = v[k];
        }
        gp_printf(&s, "\n");
    }
    plot_block_end(&s);
    double step = nice_step(max, 4), lim = ceil(max * 1.04 / step) * step;
    gp_printf(&s, "set xrange [%g:%g]\nset yrange [-0.5:%g]\nset xtics (", -lim, lim, mean.axes[3].values[mean.dims[3] - 1] + 0.5);
    for (double t = -lim; t <= lim + step / 2; t += step)
        gp_printf(&s, "%s'%.0f' %g", t > -lim ? ", " : "", fabs(t), t);
    double top = mean.axes[3].values[mean.dims[3] - 1];
    gp_printf(&s, ")\nset ytics 10\nset ytics add ('%.0f+' %g)\nset grid xtics ytics\nset xlabel ", top, top); /* the open age group */
    gp_quote(&s, plot_label(c, L_PYRAMID_X), 0);
    gp_printf(&s, "\nset ylabel ");
    gp_quote(&s, plot_label(c, L_AGE), 0);
    gp_printf(&s, "\nset label 1 ");
    gp_quote(&s, plot_label(c, L_MEN), 0);
    gp_printf(&s, " at graph 0.25, graph 0.95 center font ',16'\nset label 2 ");
    gp_quote(&s, plot_label(c, L_WOMEN), 0);
    gp_printf(&s, " at graph 0.75, graph 0.95 center font ',16'\nset key bottom right\n"
                  "plot $P using ($2/2):1:2:(0):($1-0.5):($1+0.5) with boxxyerror fillstyle solid 0.5 noborder "
                  "linecolor rgb '#9ecae1' title ");
    gp_quote(&s, base_label, 0);
    gp_printf(&s, ", $P using ($3/2):1:(0):3:($1-0.5):($1+0.5) with boxxyerror fillstyle solid 0.5 noborder "
                  "linecolor rgb '#9ecae1' notitle"
                  ", $P using 4:1 with lines linewidth 2 linecolor rgb '%s' title ", plot_colour(1));
    gp_quote(&s, la, 0);
    gp_printf(&s, ", $P using 5:1 with lines linewidth 2 linecolor rgb '%s' notitle"
                  ", $P using 6:1 with lines linewidth 2 linecolor rgb '%s' title ", plot_colour(1), plot_colour(2));
    gp_quote(&s, lb, 0);
    gp_printf(&s, ", $P using 7:1 with lines linewidth 2 linecolor rgb '%s' notitle\n", plot_colour(2));
    ret = plot_finish(c, &s, "population_pyramid", "population_pyramid", title);
out:
    gp_script_free(&s);
    free(date.string);
    cc_read_dataset_free(&base);
    cc_read_dataset_free(&mean);
    return ret;
}

int plot_population_fan(plot_ctx *c)
{
    static const char *const total[] = {"total"};
    fan_series f75 = {0}, f85 = {0};
    gp_script s = {0};
    int ret = 0;
    if (!plot_has(c, "/population/age75plus/quantiles") || !plot_has(c, "/population/age85plus/quantiles")) {
        ret = plot_skip(c, "no /population/age75plus or age85plus quantiles in this file: 75+ and 85+ fan chart skipped");
        goto out;
    }
    if ((ret = fan_read(c, "/population/age75plus/quantiles", 0, total, 1, &f75)) != 0 ||
        (ret = fan_read(c, "/population/age85plus/quantiles", 0, total, 1, &f85)) != 0)
        goto out;
    char title[256];
    snprintf(title, sizeof title, plot_label(c, L_POPFAN_TITLE), (int)f75.year[0], (int)f75.year[f75.n - 1]);
    plot_begin(c, &s, title, 0, plot_label(c, L_FAN_NOTE), 0);
    fan_block(&s, "$A", &f75, 1);
    fan_block(&s, "$B", &f85, 1);
    gp_printf(&s, "set xlabel ");
    gp_quote(&s, plot_label(c, L_YEAR), 0);
    gp_printf(&s, "\nset ylabel ");
    gp_quote(&s, plot_label(c, L_PERSONS), 0);
    gp_printf(&s, "\nset yrange [0:*]\nset xtics 5\nset mxtics 5\nset format y '%%.0f'\nset key bottom right\nplot ");
    fan_clauses(c, &s, "$A", plot_colour(0), plot_label(c, L_AGE75));
    gp_printf(&s, ", ");
    fan_clauses(c, &s, "$B", plot_colour(1), plot_label(c, L_AGE85));
    gp_printf(&s, "\n");
    ret = plot_finish(c, &s, "population_fan", "population_fan", title);
out:
    gp_script_free(&s);
    fan_free(&f75);
    fan_free(&f85);
    return ret;
}
