/* Charts of the analysis files: doctors needed per scheme and target year with their 5-95%
 * interval over replications (a `carecast capacity -o` file, /capacity), and tornado charts,
 * one per output (a `carecast sensitivity -o` file, /sensitivity). Parameter and output names
 * come from the file and reach gnuplot only through gp_quote. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

enum { TORNADO_MAX_BARS = 12 };

int plot_capacity(plot_ctx *c)
{
    cc_read_dataset q = {0}, pp = {0}, pb = {0};
    cc_read_attribute part = {0};
    gp_script s = {0};
    int ret = plot_read(c, "/capacity/doctors_needed_quantiles", &q);
    if (ret == 0 && plot_has(c, "/capacity/pool_primary_doctors") && plot_has(c, "/capacity/pool_backup_doctors")) {
        if ((ret = plot_read(c, "/capacity/pool_primary_doctors", &pp)) == 0)
            ret = plot_read(c, "/capacity/pool_backup_doctors", &pb);
    }
    if (ret != 0)
        goto out;
    int q05 = plot_axis_find(&q, 3, 0.05), q50 = plot_axis_find(&q, 3, 0.5), q95 = plot_axis_find(&q, 3, 0.95);
    if (q.rank != 4 || q05 < 0 || q50 < 0 || q95 < 0 || q.axes[1].kind != CC_DATA_STRING || !q.axes[2].values) {
        ret = plot_skip(c, "/capacity/doctors_needed_quantiles is not [scenario, scheme, year, quantile 5/50/95%%]: "
                           "doctors-needed chart skipped");
        goto out;
    }
    size_t nschemes = q.dims[1], nyears = q.dims[2];
    int have_pool = pp.rank == 3 && pb.rank == 3 && pp.dims[1] == nschemes && pp.dims[2] == nyears &&
                    pb.dims[1] == nschemes && pb.dims[2] == nyears;
    const char *title = plot_label(c, L_CAP_TITLE);
    plot_begin(c, &s, title, 0, plot_label(c, L_CAP_NOTE), 0);
    double ymax = 0;
    for (size_t k = 0; k < nschemes; k++) {
        gp_printf(&s, "$C%zu << EOD\n", k);
        for (size_t y = 0; y < nyears; y++) {
            double v[3], pool = have_pool ? plot_at(&pp, (size_t[]){0, k, y}) + plot_at(&pb, (size_t[]){0, k, y}) : NAN;
            int qi[3] = {q05, q50, q95};
            for (int j = 0; j < 3; j++) {
                v[j] = plot_at(&q, (size_t[]){0, k, y, (size_t)qi[j]});
                if (isfinite(v[j]) && v[j] > ymax)
                    ymax = v[j];
            }
            if (isfinite(pool) && pool > ymax)
                ymax = pool;
            double x = (double)y + 1 + ((double)k - (nschemes - 1) / 2.0) * (0.8 / nschemes);
            /* columns: x, median, low, high (the pool when beyond it), and the pool where the median is beyond it */
            plot_num(&s, x);
            plot_num(&s, v[1]);
            plot_num(&s, v[0]);
            plot_num(&s, isfinite(v[2]) ? v[2] : pool);
            plot_num(&s, isfinite(v[1]) ? NAN : pool);
            gp_printf(&s, "\n");
        }
        plot_block_end(&s);
    }
    cc_reader_attribute(c->rd, "/capacity", "participating_doctors", &part, c->err);
    cc_error_clear(c->err);
    double today = part.kind != CC_DATA_STRING ? part.value : NAN;
    if (isfinite(today) && today > ymax)
        ymax = today;
    gp_printf(&s, "set xrange [0.5:%zu.5]\nset xtics (", nyears);
    for (size_t y = 0; y < nyears; y++)
        gp_printf(&s, "%s'%.0f' %zu", y ? ", " : "", q.axes[2].values[y], y + 1);
    gp_printf(&s, ")\nset grid noxtics ytics\nset yrange [0:%g]\nset xlabel ", ymax * 1.1 + 1);
    gp_quote(&s, plot_label(c, L_TARGET_YEAR), 0);
    gp_printf(&s, "\nset ylabel ");
    gp_quote(&s, plot_label(c, L_CAP_Y), 0);
    gp_printf(&s, "\nset bmargin at screen 0.24\nunset key\n");
    plot_legend_entry e[16];
    int n = 0;
    for (size_t k = 0; k < nschemes && n < 12; k++)
        e[n++] = (plot_legend_entry){plot_scheme_label(c, q.axes[1].strings[k] ? q.axes[1].strings[k] : ""),
                                     plot_colour((int)k), 2};
    char today_text[128];
    if (isfinite(today)) {
        snprintf(today_text, sizeof today_text, plot_label(c, L_PARTICIPATING), today);
        e[n++] = (plot_legend_entry){today_text, "#b2182b", 1};
    }
    plot_legend(&s, e, n, 3);
    gp_printf(&s, "plot ");
    for (size_t k = 0; k < nschemes; k++)
        gp_printf(&s, "%s$C%zu using 1:2:3:4 with yerrorbars pointtype 7 pointsize 1.4 linewidth 2 linecolor rgb '%s' "
                      "notitle, $C%zu using 1:5 with points pointtype 9 pointsize 2.2 linecolor rgb '%s' notitle",
                  k ? ", " : "", k, plot_colour((int)k), k, plot_colour((int)k));
    if (isfinite(today))
        gp_printf(&s, ", %.10g with lines dashtype 2 linewidth 2 linecolor rgb '#b2182b' notitle", today);
    gp_printf(&s, "\n");
    ret = plot_finish(c, &s, "doctors_needed", "doctors_needed", title);
out:
    gp_script_free(&s);
    free(part.string);
    cc_read_dataset_free(&q);
    cc_read_dataset_free(&pp);
    cc_read_dataset_free(&pb);
    return ret;
}

/* ---- tornado ---- */

typedef struct {
    cc_read_dataset width, median, rank, values, units, long_name, baseline;
} sens_data;

static void sens_free(sens_data *d)
{
    cc_read_dataset *all[] = {&d->width, &d->median, &d->rank, &d->values, &d->units, &d->long_name, &d->baseline};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        cc_read_dataset_free(all[i]);
}

static int sens_read(plot_ctx *c, sens_data *d)
{
    static const char *const paths[] = {"/sensitivity/width", "/sensitivity/median", "/sensitivity/rank",
                                        "/sensitivity/parameter_value", "/sensitivity/output_units",
                                        "/sensitivity/output_long_name", "/sensitivity/baseline"};
    cc_read_dataset *all[] = {&d->width, &d->median, &d->rank, &d->values, &d->units, &d->long_name, &d->baseline};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (!plot_has(c, paths[i]))
            return plot_skip(c, "no %s in this file: tornado chart skipped", paths[i]);
        int ret = plot_read(c, paths[i], all[i]);
        if (ret != 0)
            return ret;
    }
    size_t np = d->width.dims[0], no = d->width.dims[1];
    if (d->width.rank != 2 || d->median.rank != 3 || d->median.dims[0] != np || d->median.dims[1] != 2 ||
        d->median.dims[2] != no || d->rank.rank != 2 || d->values.rank != 2 || d->units.size != no ||
        d->long_name.size != no || d->baseline.size != no || d->units.kind != CC_DATA_STRING ||
        d->long_name.kind != CC_DATA_STRING || d->width.axes[0].kind != CC_DATA_STRING ||
        d->width.axes[1].kind != CC_DATA_STRING)
        return plot_skip(c, "/sensitivity datasets are not laid out [parameter, end, output]: tornado chart skipped");
    return 0;
}

/* A file-name stem from an output id: letters, digits and '_' kept, anything else '_'. */
static void safe_stem(char *stem, size_t size, const char *prefix, const char *id)
{
    int n = snprintf(stem, size, "%s", prefix);
    for (const char *p = id ? id : ""; *p && n + 1 < (int)size && n < 64; p++)
        stem[n++] = isalnum((unsigned char)*p) && (unsigned char)*p < 128 ? (char)tolower((unsigned char)*p) : '_';
    stem[n] = '\0';
}

static int tornado_one(plot_ctx *c, const sens_data *d, size_t o)
{
    size_t np = d->width.dims[0];
    int order[TORNADO_MAX_BARS], nbars = 0, zero = 0;
    for (int r = 1; r <= (int)np; r++) /* ranks 1.. in order, the widest first */
        for (size_t p = 0; p < np; p++)
            if ((int)plot_at(&d->rank, (size_t[]){p, o}) == r) {
                double w = plot_at(&d->width, (size_t[]){p, o});
                if (!(isfinite(w) && w > 0))
                    zero++;
                else if (nbars < TORNADO_MAX_BARS)
                    order[nbars++] = (int)p;
            }
    if (nbars == 0)
        return plot_skip(c, "output %s: no parameter moves it: its tornado chart skipped", d->width.axes[1].strings[o]);
    const char *name = d->long_name.strings[o] ? d->long_name.strings[o] : "";
    const char *units = d->units.strings[o] ? d->units.strings[o] : "";
    double base = d->baseline.values[o];
    char title[512], xlabel[256], note[128], stem[96];
    snprintf(title, sizeof title, plot_label(c, L_TORNADO_TITLE), name);
    if (strlen(title) > 110) /* one line at the default size; the cut at a UTF-8 boundary */
        for (size_t n = 107; n > 0; n--)
            if (((unsigned char)title[n] & 0xC0) != 0x80) {
                snprintf(title + n, sizeof title - n, "...");
                break;
            }
    snprintf(xlabel, sizeof xlabel, plot_label(c, L_TORNADO_X), units);
    snprintf(note, sizeof note, plot_label(c, L_TORNADO_NOTE), zero);
    safe_stem(stem, sizeof stem, "tornado_", d->width.axes[1].strings[o]);
    gp_script s = {0};
    plot_begin(c, &s, title, -1, zero ? note : NULL, 0);
    gp_printf(&s, "$T << EOD\n"); /* row (1 = widest, at the top), low-end median, high-end median */
    double lo = base, hi = base;
    for (int i = 0; i < nbars; i++) {
        plot_num(&s, nbars - i);
        for (size_t end = 0; end < 2; end++) {
            double v = plot_at(&d->median, (size_t[]){(size_t)order[i], end, o});
            plot_num(&s, v);
            lo = isfinite(v) && v < lo ? v : lo;
            hi = isfinite(v) && v > hi ? v : hi;
        }
        gp_printf(&s, "\n");
    }
    plot_block_end(&s);
    gp_printf(&s, "set ytics (");
    for (int i = 0; i < nbars; i++) {
        char text[256];
        const char *pname = d->width.axes[0].strings[order[i]] ? d->width.axes[0].strings[order[i]] : "";
        snprintf(text, sizeof text, "%.60s (%g to %g)", pname, plot_at(&d->values, (size_t[]){(size_t)order[i], 0}),
                 plot_at(&d->values, (size_t[]){(size_t)order[i], 1}));
        gp_printf(&s, "%s", i ? ", " : "");
        gp_quote(&s, text, 0);
        gp_printf(&s, " %d", nbars - i);
    }
    gp_printf(&s, ")\nset ytics nomirror font ',12'\nset yrange [0.3:%d.7]\nset grid xtics noytics\nset xlabel ",
              nbars);
    gp_quote(&s, xlabel, 0);
    double pad = (hi - lo) * 0.05 + (hi == lo ? 1 : 0);
    gp_printf(&s, "\nset xrange [%.10g:%.10g]\nset lmargin at screen 0.36\nset bmargin at screen 0.27\nunset key\n",
              lo - pad, hi + pad);
    plot_legend_entry e[3] = {{plot_label(c, L_LOW_END), "#4575b4", 0},
                              {plot_label(c, L_HIGH_END), "#d73027", 0},
                              {plot_label(c, L_BASELINE), "#202020", 2}};
    plot_legend(&s, e, 3, 3);
    gp_printf(&s, "set style fill solid 0.7 noborder\nbase = %.10g\n"
                  "plot $T using (($2+base)/2):1:(base<$2?base:$2):(base<$2?$2:base):($1-0.35):($1+0.35) "
                  "with boxxyerror fillcolor rgb '#4575b4' notitle, "
                  "$T using (($3+base)/2):1:(base<$3?base:$3):(base<$3?$3:base):($1-0.35):($1+0.35) "
                  "with boxxyerror fillcolor rgb '#d73027' notitle, "
                  "$T using (base):1:(0):(0.45) with vectors nohead linewidth 2 linecolor rgb '#202020' notitle, "
                  "$T using (base):($1-0.45):(0):(0.9) with vectors nohead linewidth 2 linecolor rgb '#202020' notitle\n",
              base);
    int ret = plot_finish(c, &s, "tornado", stem, title);
    gp_script_free(&s);
    return ret;
}

int plot_tornado(plot_ctx *c)
{
    sens_data d = {0};
    int ret = sens_read(c, &d);
    for (size_t o = 0; ret == 0 && o < d.width.dims[1]; o++) {
        ret = tornado_one(c, &d, o);
        ret = ret == PLOT_SKIPPED ? 0 : ret;
    }
    sens_free(&d);
    return ret;
}
