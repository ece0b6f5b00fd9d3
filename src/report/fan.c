/* Fan charts: a series over years drawn as its median with the bands holding the middle 50%
 * and 90% of replications, read from a /.../quantiles dataset of the results layout. */
#include <stdlib.h>
#include <string.h>

#include "plot.h"

static const double levels[5] = {0.05, 0.25, 0.5, 0.75, 0.95};

void fan_free(fan_series *f)
{
    free(f->year);
    free(f->q);
    *f = (fan_series){0};
}

int fan_read(plot_ctx *c, const char *path, int scenario, const char *const *tail, int ntail, fan_series *out)
{
    *out = (fan_series){0};
    cc_read_dataset d = {0};
    int ret = plot_read(c, path, &d), qi[5];
    if (ret != 0)
        goto out;
    if (d.rank != 3 + ntail || d.kind == CC_DATA_STRING || d.axes[2].kind == CC_DATA_STRING || !d.axes[2].values) {
        ret = plot_skip(c, "%s does not have the layout [scenario, quantile, year, ...]: its chart skipped", path);
        goto out;
    }
    size_t idx[CC_READ_MAX_RANK] = {(size_t)scenario};
    for (int k = 0; k < 5; k++)
        if ((qi[k] = plot_axis_find(&d, 1, levels[k])) < 0) {
            ret = plot_skip(c, "%s lacks the quantile %g: its chart skipped", path, levels[k]);
            goto out;
        }
    for (int k = 0; k < ntail; k++) {
        int i = plot_axis_find_name(&d, 3 + k, tail[k]);
        if (i < 0) {
            ret = plot_skip(c, "%s has no entry '%s' on axis %d: its chart skipped", path, tail[k], 3 + k);
            goto out;
        }
        idx[3 + k] = (size_t)i;
    }
    out->n = (int)d.dims[2];
    out->year = malloc(d.dims[2] * sizeof *out->year);
    out->q = malloc(d.dims[2] * 5 * sizeof *out->q);
    if (!out->year || !out->q) {
        ret = cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    for (size_t y = 0; y < d.dims[2]; y++) {
        out->year[y] = d.axes[2].values[y];
        idx[2] = y;
        for (int k = 0; k < 5; k++) {
            idx[1] = (size_t)qi[k];
            out->q[y * 5 + k] = plot_at(&d, idx);
        }
    }
out:
    if (ret != 0)
        fan_free(out);
    cc_read_dataset_free(&d);
    return ret;
}

void fan_block(gp_script *s, const char *name, const fan_series *f, double scale)
{
    plot_block_begin(s, name);
    for (int y = 0; y < f->n; y++) {
        plot_num(s, f->year[y]);
        for (int k = 0; k < 5; k++)
            plot_num(s, f->q[y * 5 + k] / scale);
        gp_printf(s, "\n");
    }
    plot_block_end(s);
}

/* " title '...'" or " notitle" */
static void title(plot_ctx *c, gp_script *s, const char *text)
{
    (void)c;
    if (!text) {
        gp_printf(s, " notitle");
        return;
    }
    gp_printf(s, " title ");
    gp_quote(s, text, 0);
}

void fan_clauses(plot_ctx *c, gp_script *s, const char *name, const char *colour, const char *label)
{
    gp_printf(s, "%s using 1:2:6 with filledcurves fillcolor rgb '%s' fillstyle transparent solid 0.18 noborder",
              name, colour);
    title(c, s, label ? NULL : plot_label(c, L_BAND90));
    gp_printf(s, ", %s using 1:3:5 with filledcurves fillcolor rgb '%s' fillstyle transparent solid 0.35 noborder",
              name, colour);
    title(c, s, label ? NULL : plot_label(c, L_BAND50));
    gp_printf(s, ", %s using 1:4 with lines linewidth 2.5 linecolor rgb '%s'", name, colour);
    title(c, s, label ? label : plot_label(c, L_MEDIAN));
}
