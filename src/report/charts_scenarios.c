/* Scenario comparison, for a file with more than one scenario on its scenario axis: four
 * panels (75+ population, beds needed, home-care patients, outpatient visits), each scenario
 * a median line with its 90% band in its own colour. Scenario names come from the file and
 * reach gnuplot only through gp_quote. */
#include <stdio.h>
#include <stdlib.h>

#include "plot.h"

enum { MAX_COMPARED = 6 };

static const struct {
    const char *path;
    int ntail;
    label_id label;
} panels[4] = {
    {"/population/age75plus/quantiles", 1, L_COMPARE_75},
    {"/demand/beds_needed/quantiles", 2, L_COMPARE_BEDS},
    {"/demand/home_care/quantiles", 2, L_COMPARE_HOME},
    {"/demand/outpatient/quantiles", 2, L_COMPARE_OUT},
};

int plot_scenarios(plot_ctx *c)
{
    static const char *const total[] = {"total", "total"};
    if (c->nscenarios < 2)
        return plot_skip(c, "one scenario in this file: scenario comparison skipped");
    int n = c->nscenarios < MAX_COMPARED ? c->nscenarios : MAX_COMPARED, ret = 0, drawn = 0;
    gp_script s = {0};
    const char *title = plot_label(c, L_COMPARE_TITLE);
    plot_begin(c, &s, title, -1, NULL, 1);
    int have[4] = {0};
    for (int p = 0; p < 4; p++) {
        if (!plot_has(c, panels[p].path))
            continue;
        for (int i = 0; i < n; i++) {
            fan_series f = {0};
            if ((ret = fan_read(c, panels[p].path, i, total, panels[p].ntail, &f)) != 0)
                goto out;
            char name[16];
            snprintf(name, sizeof name, "$S%d_%d", p, i);
            fan_block(&s, name, &f, 1);
            gp_printf(&s, "x%d_%d = %g\nx%d_%d = %g\n", p, 0, f.year[0], p, 1, f.year[f.n - 1]);
            fan_free(&f);
        }
        have[p] = 1;
        drawn++;
    }
    if (drawn == 0) {
        ret = plot_skip(c, "no population or demand quantiles in this file: scenario comparison skipped");
        goto out;
    }
    plot_legend_entry e[MAX_COMPARED];
    for (int i = 0; i < n; i++)
        e[i] = (plot_legend_entry){c->scenarios[i], plot_colour(i), 2};
    gp_printf(&s, "set multiplot layout 2,2 margins 0.08,0.98,0.17,0.88 spacing 0.1,0.1\nunset key\n"
                  "set format y '%%.0f'\nset grid xtics ytics\n");
    plot_legend(&s, e, n, 3);
    for (int p = 0; p < 4; p++) {
        if (!have[p])
            continue;
        gp_printf(&s, "set title ");
        gp_quote(&s, plot_label(c, panels[p].label), 0);
        gp_printf(&s, " font ',14'\nset xrange [x%d_0:x%d_1]\nset yrange [0:*]\nset xtics 5\nplot ", p, p);
        for (int i = 0; i < n; i++)
            gp_printf(&s, "%s$S%d_%d using 1:2:6 with filledcurves fillcolor rgb '%s' fillstyle transparent solid 0.2 "
                          "noborder notitle, $S%d_%d using 1:4 with lines linewidth 2.5 linecolor rgb '%s' notitle",
                      i ? ", " : "", p, i, plot_colour(i), p, i, plot_colour(i));
        gp_printf(&s, "\n");
        plot_frame_clear(&s);
        plot_legend_clear(&s, n);
    }
    gp_printf(&s, "unset multiplot\n");
    ret = plot_finish(c, &s, "scenario_comparison", "scenario_comparison", title);
out:
    gp_script_free(&s);
    return ret;
}
