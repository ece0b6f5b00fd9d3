/* Per-scheme coverage charts, for the first scenario of the file, every target year side by
 * side: the on-call load of the doctors who hold out-of-hours duty (duty nights and disturbed
 * nights per doctor-month, pooled over doctors and replications, with the load limits of the
 * scenario), their out-of-hours hours, escalations and continuity over replications, and the
 * paired differences from the first scheme. The per-doctor datasets count per year (units
 * nights/year, hours/year): they are divided by 12 into per doctor-month, as the scheme-level
 * figures (nights/month) are; a unit neither per year nor per month is not guessed at. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "plot.h"

enum { MAX_YEARS = 16, MAX_SCHEMES = 8, NAME_LEN = 32 };

/* The target years and schemes the file holds, schemes in the usual order (pairing, rotation,
 * solo, cooperative; others after them). */
typedef struct {
    int nyears, nschemes;
    int years[MAX_YEARS];
    char schemes[MAX_SCHEMES][NAME_LEN];
} cov_index;

static const char *const scheme_order[] = {"pairing", "rotation", "solo", "cooperative"};

static int scheme_rank(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, scheme_order[i]) == 0)
            return i;
    return 4;
}

static void cov_index_add(cov_index *x, int year, const char *scheme)
{
    int have = 0;
    for (int i = 0; i < x->nyears; i++)
        have |= x->years[i] == year;
    if (!have && x->nyears < MAX_YEARS) {
        int i = x->nyears++;
        for (; i > 0 && x->years[i - 1] > year; i--)
            x->years[i] = x->years[i - 1];
        x->years[i] = year;
    }
    have = 0;
    for (int i = 0; i < x->nschemes; i++)
        have |= strcmp(x->schemes[i], scheme) == 0;
    if (!have && x->nschemes < MAX_SCHEMES) {
        int i = x->nschemes++;
        for (; i > 0 && scheme_rank(x->schemes[i - 1]) > scheme_rank(scheme); i--)
            memcpy(x->schemes[i], x->schemes[i - 1], NAME_LEN);
        snprintf(x->schemes[i], NAME_LEN, "%s", scheme);
    }
}

static void cov_index_read(const plot_ctx *c, cov_index *x)
{
    *x = (cov_index){0};
    for (int i = 0, n = cc_reader_count(c->rd); i < n; i++) {
        const char *p = cc_reader_path(c->rd, i);
        int year, end = 0;
        char scheme[NAME_LEN];
        if (sscanf(p, "/coverage/%d/%31[^/]/calls/mean%n", &year, scheme, &end) == 2 && end > 0 && p[end] == '\0')
            cov_index_add(x, year, scheme);
    }
}

/* Per doctor-month factor of a per-doctor unit: 1/12 for a per-year count, 1 per month; 0 else. */
static double per_month(const char *units)
{
    if (!units)
        return 0;
    const char *slash = strrchr(units, '/');
    if (slash && strcmp(slash, "/year") == 0)
        return 1.0 / 12;
    if (slash && strcmp(slash, "/month") == 0)
        return 1;
    return 0;
}

/* The five quantiles (5, 25, 50, 75, 95%) of n values (sorted in place); NaN when n is 0. */
static void quantiles5(double *v, size_t n, double q[5])
{
    static const double levels[5] = {0.05, 0.25, 0.5, 0.75, 0.95};
    gsl_sort(v, 1, n);
    for (int k = 0; k < 5; k++)
        q[k] = n ? gsl_stats_quantile_from_sorted_data(v, 1, n, levels[k]) : NAN;
}

/* Quantiles, per doctor-month, of a per-doctor metric over the doctors who held duty nights
 * (mean over replications above 0) pooled over the coverage replications. 0, PLOT_SKIPPED
 * (absent, or a unit not per year or month: q is NaN) or an error. */
static int doctor_quantiles(plot_ctx *c, int year, const char *scheme, const char *metric, double q[5])
{
    char path[256], holders[256];
    snprintf(path, sizeof path, "/coverage/%d/%s/doctor/%s/replications", year, scheme, metric);
    snprintf(holders, sizeof holders, "/coverage/%d/%s/doctor/duty_nights/mean", year, scheme);
    for (int k = 0; k < 5; k++)
        q[k] = NAN;
    if (!plot_has(c, path) || !plot_has(c, holders))
        return PLOT_SKIPPED;
    cc_read_dataset d = {0}, h = {0};
    double *v = NULL;
    int ret = plot_read(c, path, &d);
    if (ret == 0)
        ret = plot_read(c, holders, &h);
    if (ret != 0)
        goto out;
    double f = per_month(d.units);
    if (d.rank != 3 || h.rank != 2 || h.dims[1] != d.dims[2] || f == 0 || d.kind == CC_DATA_STRING) {
        ret = PLOT_SKIPPED;
        goto out;
    }
    size_t n = 0, nrep = d.dims[1], ndoc = d.dims[2];
    if (!(v = malloc((nrep * ndoc + 1) * sizeof *v))) {
        ret = cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    for (size_t doc = 0; doc < ndoc; doc++) {
        double held = plot_at(&h, (size_t[]){0, doc});
        for (size_t r = 0; isfinite(held) && held > 0 && r < nrep; r++) {
            double x = plot_at(&d, (size_t[]){0, r, doc});
            if (isfinite(x))
                v[n++] = x * f;
        }
    }
    quantiles5(v, n, q);
out:
    free(v);
    cc_read_dataset_free(&d);
    cc_read_dataset_free(&h);
    return ret;
}

/* Quantiles over the coverage replications of a scheme-level metric (times scale). */
static int replication_quantiles(plot_ctx *c, int year, const char *scheme, const char *metric, double scale,
                                 double q[5])
{
    char path[256];
    snprintf(path, sizeof path, "/coverage/%d/%s/%s/replications", year, scheme, metric);
    for (int k = 0; k < 5; k++)
        q[k] = NAN;
    if (!plot_has(c, path))
        return PLOT_SKIPPED;
    cc_read_dataset d = {0};
    double *v = NULL;
    int ret = plot_read(c, path, &d);
    if (ret == 0 && (d.rank != 2 || d.kind == CC_DATA_STRING))
        ret = PLOT_SKIPPED;
    if (ret == 0 && !(v = malloc((d.dims[1] + 1) * sizeof *v)))
        ret = cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    if (ret == 0) {
        size_t n = 0;
        for (size_t r = 0; r < d.dims[1]; r++) {
            double x = plot_at(&d, (size_t[]){0, r});
            if (isfinite(x))
                v[n++] = x * scale;
        }
        quantiles5(v, n, q);
    }
    free(v);
    cc_read_dataset_free(&d);
    return ret;
}

/* A number from the first scenario's effective configuration ("[section] key = value ; from"). */
static double config_number(plot_ctx *c, const char *section, const char *key)
{
    if (c->nscenarios < 1)
        return NAN;
    char path[512], want[160];
    snprintf(path, sizeof path, "/provenance/scenarios/%s/effective_config", c->scenarios[0]);
    snprintf(want, sizeof want, "[%s] %s = ", section, key);
    cc_read_dataset d = {0};
    double v = NAN;
    if (plot_has(c, path) && plot_read(c, path, &d) == 0 && d.kind == CC_DATA_STRING)
        for (size_t i = 0; i < d.size; i++)
            if (d.strings[i] && strncmp(d.strings[i], want, strlen(want)) == 0) {
                char *end;
                double x = strtod(d.strings[i] + strlen(want), &end);
                if (end != d.strings[i] + strlen(want) && isfinite(x))
                    v = x;
            }
    cc_error_clear(c->err);
    cc_read_dataset_free(&d);
    return v;
}

/* ---- drawing: one panel of boxes, target years along x, one colour per scheme ---- */

/* Box statistics [year][scheme][5]; `lo` the smallest x used. */
typedef double box_stats[MAX_YEARS][MAX_SCHEMES][5];

static double box_x(const cov_index *x, int y, int k)
{
    return y + 1 + (k - (x->nschemes - 1) / 2.0) * (0.8 / x->nschemes);
}

static void box_blocks(gp_script *s, const cov_index *x, box_stats st, const char *prefix)
{
    for (int k = 0; k < x->nschemes; k++) {
        gp_printf(s, "%s%d << EOD\n", prefix, k);
        for (int y = 0; y < x->nyears; y++) {
            plot_num(s, box_x(x, y, k));
            for (int j = 0; j < 5; j++)
                plot_num(s, st[y][k][j]);
            gp_printf(s, "\n");
        }
        plot_block_end(s);
    }
}

/* Year ticks, labels, and the plot command of the boxes (and a limit line when finite). The
 * key (when asked) sits at the bottom of the canvas, for every panel of the chart at once. */
static void box_panel(plot_ctx *c, gp_script *s, const cov_index *x, const char *prefix, const char *panel_title,
                      const char *ylabel, double limit, int key)
{
    if (panel_title) { /* a panel of a multiplot; else the chart's own title stays */
        gp_printf(s, "set title ");
        gp_quote(s, panel_title, 0);
        gp_printf(s, " font ',14'\n");
    }
    gp_printf(s, "set xrange [0.5:%d.5]\nset xtics (", x->nyears);
    for (int y = 0; y < x->nyears; y++)
        gp_printf(s, "%s'%d' %d", y ? ", " : "", x->years[y], y + 1);
    gp_printf(s, ")\nset grid noxtics ytics\nset xlabel ");
    gp_quote(s, plot_label(c, L_TARGET_YEAR), 0);
    gp_printf(s, "\nset ylabel ");
    gp_quote(s, ylabel, 0);
    gp_printf(s, "\nset yrange [0:*]\nset boxwidth %g absolute\n", 0.8 / x->nschemes * 0.8);
    plot_legend_entry e[MAX_SCHEMES + 1];
    int n = 0;
    for (int k = 0; k < x->nschemes; k++)
        e[n++] = (plot_legend_entry){plot_scheme_label(c, x->schemes[k]), plot_colour(k), 0};
    if (isfinite(limit))
        e[n++] = (plot_legend_entry){plot_label(c, L_LIMIT), "#b2182b", 1};
    if (key)
        plot_legend(s, e, n, 3);
    gp_printf(s, "unset key\nplot ");
    for (int k = 0; k < x->nschemes; k++) {
        gp_printf(s, "%s%s%d using 1:3:2:6:5 with candlesticks whiskerbars 0.5 fillcolor rgb '%s' "
                     "fillstyle solid 0.55 border linecolor rgb '%s' linewidth 1.2 title ",
                  k ? ", " : "", prefix, k, plot_colour(k), plot_colour(k));
        gp_quote(s, plot_scheme_label(c, x->schemes[k]), 0);
        gp_printf(s, ", %s%d using 1:4:4:4:4 with candlesticks linecolor rgb '#202020' linewidth 2 notitle", prefix,
                  k);
    }
    if (isfinite(limit)) {
        gp_printf(s, ", %.10g with lines dashtype 2 linewidth 2 linecolor rgb '#b2182b' title ", limit);
        gp_quote(s, plot_label(c, L_LIMIT), 0);
    }
    gp_printf(s, "\n");
}

/* Fill st with doctor_quantiles of metric; PLOT_SKIPPED when no year and scheme has it. */
static int fill_doctor(plot_ctx *c, const cov_index *x, const char *metric, box_stats st)
{
    int any = 0;
    for (int y = 0; y < x->nyears; y++)
        for (int k = 0; k < x->nschemes; k++) {
            int rc = doctor_quantiles(c, x->years[y], x->schemes[k], metric, st[y][k]);
            if (rc < 0)
                return rc;
            any |= rc == 0;
        }
    return any ? 0 : PLOT_SKIPPED;
}

static int fill_replications(plot_ctx *c, const cov_index *x, const char *metric, double scale, box_stats st)
{
    int any = 0;
    for (int y = 0; y < x->nyears; y++)
        for (int k = 0; k < x->nschemes; k++) {
            int rc = replication_quantiles(c, x->years[y], x->schemes[k], metric, scale, st[y][k]);
            if (rc < 0)
                return rc;
            any |= rc == 0;
        }
    return any ? 0 : PLOT_SKIPPED;
}

/* The footnote's note of a box chart: how many coverage replications (the length of the
 * coverage_replication axis) the boxes are over. */
static void box_note(plot_ctx *c, label_id id, char *note, size_t size)
{
    cc_read_dataset d = {0};
    int n = 0;
    if (plot_has(c, "/coverage_replication") && plot_read(c, "/coverage_replication", &d) == 0)
        n = (int)d.size;
    cc_error_clear(c->err);
    cc_read_dataset_free(&d);
    snprintf(note, size, plot_label(c, id), n);
}

static int need_index(plot_ctx *c, cov_index *x, const char *what)
{
    cov_index_read(c, x);
    if (x->nyears == 0 || x->nschemes == 0)
        return plot_skip(c, "no target year with schemes under /coverage: %s skipped", what);
    return 0;
}

int plot_coverage_nights(plot_ctx *c)
{
    cov_index x;
    box_stats *duty = calloc(2, sizeof *duty);
    gp_script s = {0};
    int ret = duty ? need_index(c, &x, "duty-night chart")
                   : cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    if (ret == 0 && (ret = fill_doctor(c, &x, "duty_nights", duty[0])) == PLOT_SKIPPED)
        ret = plot_skip(c, "no per-doctor duty nights (per year or per month) under /coverage: duty-night chart skipped");
    if (ret == 0 && (ret = fill_doctor(c, &x, "disturbed_nights", duty[1])) == PLOT_SKIPPED)
        ret = plot_skip(c, "no per-doctor disturbed nights under /coverage: duty-night chart skipped");
    if (ret != 0)
        goto out;
    const char *title = plot_label(c, L_NIGHTS_TITLE);
    char note[256];
    box_note(c, L_BOX_NOTE, note, sizeof note);
    plot_begin(c, &s, title, 0, note, 0);
    box_blocks(&s, &x, duty[0], "$D");
    box_blocks(&s, &x, duty[1], "$N");
    gp_printf(&s, "set multiplot layout 1,2 margins 0.07,0.98,0.27,0.86 spacing 0.08\n");
    box_panel(c, &s, &x, "$D", plot_label(c, L_DUTY_PANEL), plot_label(c, L_NIGHTS_Y),
              config_number(c, "coverage", "max_duty_nights_per_month"), 1);
    plot_frame_clear(&s);
    plot_legend_clear(&s, MAX_SCHEMES + 1);
    box_panel(c, &s, &x, "$N", plot_label(c, L_DISTURBED_PANEL), plot_label(c, L_NIGHTS_Y),
              config_number(c, "coverage", "max_disturbed_nights_per_month"), 0);
    gp_printf(&s, "unset multiplot\n");
    ret = plot_finish(c, &s, "duty_nights", "duty_nights", title);
out:
    gp_script_free(&s);
    free(duty);
    return ret;
}

int plot_coverage_ooh(plot_ctx *c)
{
    cov_index x;
    box_stats *st = calloc(1, sizeof *st);
    gp_script s = {0};
    int ret = st ? need_index(c, &x, "out-of-hours chart")
                 : cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    if (ret == 0 && (ret = fill_doctor(c, &x, "ooh_hours", st[0])) == PLOT_SKIPPED)
        ret = plot_skip(c, "no per-doctor out-of-hours hours under /coverage: out-of-hours chart skipped");
    if (ret != 0)
        goto out;
    const char *title = plot_label(c, L_OOH_TITLE);
    char note[256];
    box_note(c, L_BOX_NOTE, note, sizeof note);
    plot_begin(c, &s, title, 0, note, 0);
    box_blocks(&s, &x, st[0], "$D");
    gp_printf(&s, "set bmargin at screen 0.27\n");
    box_panel(c, &s, &x, "$D", NULL, plot_label(c, L_OOH_Y), NAN, 1);
    ret = plot_finish(c, &s, "ooh_hours", "ooh_hours", title);
out:
    gp_script_free(&s);
    free(st);
    return ret;
}

int plot_coverage_outcomes(plot_ctx *c)
{
    cov_index x;
    box_stats *st = calloc(2, sizeof *st);
    gp_script s = {0};
    int ret = st ? need_index(c, &x, "escalation and continuity chart")
                 : cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    if (ret == 0 && (ret = fill_replications(c, &x, "escalations_per_1000_patient_months", 1, st[0])) == PLOT_SKIPPED)
        ret = plot_skip(c, "no escalations per 1,000 patient-months under /coverage: escalation and continuity chart skipped");
    if (ret == 0 && (ret = fill_replications(c, &x, "continuity", 100, st[1])) == PLOT_SKIPPED)
        ret = plot_skip(c, "no continuity under /coverage: escalation and continuity chart skipped");
    if (ret != 0)
        goto out;
    const char *title = plot_label(c, L_OUTCOMES_TITLE);
    char note[256];
    box_note(c, L_BOXREP_NOTE, note, sizeof note);
    plot_begin(c, &s, title, 0, note, 0);
    box_blocks(&s, &x, st[0], "$E");
    box_blocks(&s, &x, st[1], "$C");
    gp_printf(&s, "set multiplot layout 1,2 margins 0.07,0.98,0.27,0.86 spacing 0.08\n");
    box_panel(c, &s, &x, "$E", plot_label(c, L_ESC_PANEL), plot_label(c, L_ESC_Y), NAN, 1);
    plot_frame_clear(&s);
    plot_legend_clear(&s, MAX_SCHEMES + 1);
    box_panel(c, &s, &x, "$C", plot_label(c, L_CONT_PANEL), plot_label(c, L_CONT_Y), NAN, 0);
    gp_printf(&s, "unset multiplot\n");
    ret = plot_finish(c, &s, "escalations_continuity", "escalations_continuity", title);
out:
    gp_script_free(&s);
    free(st);
    return ret;
}

/* ---- paired differences ---- */

/* mean_ci [scenario, bound] of metric's difference for every year and scheme but the first:
 * rows x lower mean upper per scheme in $<prefix><k>. Returns how many values were found. */
static int difference_blocks(plot_ctx *c, gp_script *s, const cov_index *x, const char *metric, double scale,
                             const char *prefix, int *found)
{
    *found = 0;
    for (int k = 1; k < x->nschemes; k++) {
        gp_printf(s, "%s%d << EOD\n", prefix, k);
        for (int y = 0; y < x->nyears; y++) {
            char path[256];
            snprintf(path, sizeof path, "/coverage/%d/%s/%s/difference/mean_ci", x->years[y], x->schemes[k], metric);
            if (!plot_has(c, path))
                continue;
            cc_read_dataset d = {0};
            int ret = plot_read(c, path, &d);
            if (ret != 0)
                return ret;
            if (d.rank == 2 && d.dims[1] == 3 && d.kind != CC_DATA_STRING) {
                plot_num(s, box_x(x, y, k));
                for (size_t b = 0; b < 3; b++)
                    plot_num(s, scale * plot_at(&d, (size_t[]){0, b}));
                gp_printf(s, "\n");
                (*found)++;
            }
            cc_read_dataset_free(&d);
        }
        plot_block_end(s);
    }
    return 0;
}

static void difference_panel(plot_ctx *c, gp_script *s, const cov_index *x, const char *prefix, label_id title,
                             label_id ylabel, int key)
{
    gp_printf(s, "set title ");
    gp_quote(s, plot_label(c, title), 0);
    gp_printf(s, " font ',13'\nset xrange [0.5:%d.5]\nset xtics (", x->nyears);
    for (int y = 0; y < x->nyears; y++)
        gp_printf(s, "%s'%d' %d", y ? ", " : "", x->years[y], y + 1);
    gp_printf(s, ")\nset grid noxtics ytics\nset ylabel ");
    gp_quote(s, plot_label(c, ylabel), 0);
    /* a margin above and below the data, so no interval sits on the frame */
    gp_printf(s, "\nset yrange [*:*]\nset offsets 0, 0, graph 0.08, graph 0.08\nset ytics auto\nunset key\n");
    plot_legend_entry e[MAX_SCHEMES];
    for (int k = 1; k < x->nschemes; k++)
        e[k - 1] = (plot_legend_entry){plot_scheme_label(c, x->schemes[k]), plot_colour(k), 2};
    if (key)
        plot_legend(s, e, x->nschemes - 1, 3);
    gp_printf(s, "plot 0 with lines linecolor rgb '#707070' notitle");
    for (int k = 1; k < x->nschemes; k++) {
        gp_printf(s, ", %s%d using 1:3:2:4 with yerrorbars pointtype 7 pointsize 1.2 linewidth 2 linecolor rgb '%s' "
                     "title ",
                  prefix, k, plot_colour(k));
        gp_quote(s, plot_scheme_label(c, x->schemes[k]), 0);
    }
    gp_printf(s, "\n");
}

int plot_coverage_differences(plot_ctx *c)
{
    static const struct {
        const char *metric;
        double scale;
        label_id title, ylabel;
    } panels[4] = {
        {"duty_nights_p95", 1, L_DIFF_DUTY, L_DIFF_NIGHTS_Y},
        {"disturbed_nights_p95", 1, L_DIFF_DISTURBED, L_DIFF_NIGHTS_Y},
        {"escalations_per_1000_patient_months", 1, L_ESC_PANEL, L_DIFF_ESC_Y},
        {"continuity", 100, L_CONT_PANEL, L_DIFF_CONT_Y},
    };
    cov_index x;
    gp_script s = {0};
    int ret = need_index(c, &x, "paired-difference chart"), total = 0;
    if (ret != 0)
        goto out;
    if (x.nschemes < 2) {
        ret = plot_skip(c, "one scheme only: paired-difference chart skipped");
        goto out;
    }
    char title[512];
    snprintf(title, sizeof title, plot_label(c, L_DIFF_TITLE), plot_scheme_label(c, x.schemes[0]));
    plot_begin(c, &s, title, 0, NULL, 1);
    for (int p = 0; p < 4; p++) {
        char prefix[16];
        int found;
        snprintf(prefix, sizeof prefix, "$P%d_", p);
        if ((ret = difference_blocks(c, &s, &x, panels[p].metric, panels[p].scale, prefix, &found)) != 0)
            goto out;
        total += found;
    }
    if (total == 0) {
        ret = plot_skip(c, "no paired differences (difference/mean_ci) under /coverage: paired-difference chart skipped");
        goto out;
    }
    gp_printf(&s, "set multiplot layout 2,2 margins 0.08,0.98,0.17,0.86 spacing 0.1,0.11\n");
    for (int p = 0; p < 4; p++) {
        char prefix[16];
        snprintf(prefix, sizeof prefix, "$P%d_", p);
        difference_panel(c, &s, &x, prefix, panels[p].title, panels[p].ylabel, p == 0);
        plot_frame_clear(&s);
        plot_legend_clear(&s, MAX_SCHEMES);
    }
    gp_printf(&s, "unset multiplot\n");
    ret = plot_finish(c, &s, "scheme_differences", "scheme_differences", title);
out:
    gp_script_free(&s);
    return ret;
}
