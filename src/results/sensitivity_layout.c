/* The layout of a sensitivity file (README, "Sensitivity"), as items for the HDF5 writer:
 * the dimension scales parameter, end (low, high), output, bound (lower, mean, upper) and
 * replication in the root group (hard-linked under /axes), then /sensitivity with the
 * parameters' ends, the medians at each end and of the baseline, the paired differences with
 * their 95% intervals, the bar widths and ranks, and every replication's value. Axis order:
 * parameter, end, output, then bound or replication. */
#include <stdlib.h>
#include <string.h>

#include "carecast/error.h"
#include "carecast/results_layout.h"

enum { AX_PARAMETER, AX_END, AX_OUTPUT, AX_BOUND, AX_REPLICATION, AXES };

static const char *const axis_name[AXES] = {"parameter", "end", "output", "bound", "replication"};
static const char *const end_labels[2] = {"low", "high"};
static const char *const bound_labels[3] = {"lower", "mean", "upper"};

typedef struct {
    cc_layout_visitor visit;
    void *user;
    const cc_sensitivity_result *r;
} walker;

static int dataset(walker *w, const char *path, int rank, const int *axes, cc_value_type type, const void *data,
                   const char *units, const char *long_name, const char *description)
{
    const cc_sensitivity_result *r = w->r;
    size_t length[AXES] = {(size_t)r->nparams, 2, (size_t)r->noutputs, 3, (size_t)r->replications};
    return cc_layout_visit_dataset(w->visit, w->user, path, rank, axes, length, axis_name, type, data, units,
                                   long_name, description);
}

static int axes_items(walker *w, const char **params, const char **outputs, const int *replication)
{
    const cc_sensitivity_result *r = w->r;
    const struct {
        size_t n;
        cc_value_type type;
        const void *data;
        const char *units, *long_name, *description;
    } scale[AXES] = {
        {(size_t)r->nparams, CC_VALUE_STRING, params, "1", "Parameter",
         "Ranged parameter, named as its [ranges] key: section.key"},
        {2, CC_VALUE_STRING, end_labels, "1", "End of the range", "low or high end of the parameter's range"},
        {(size_t)r->noutputs, CC_VALUE_STRING, outputs, "1", "Output",
         "Output: kind_year (coverage outputs: kind_year_scheme)"},
        {3, CC_VALUE_STRING, bound_labels, "1", "Bound", "lower end of the 95% interval, mean, upper end"},
        {(size_t)r->replications, CC_VALUE_INT, replication, "1", "Replication",
         "Replication number (the same random streams in every run)"},
    };
    int ret = 0;
    for (int a = 0; ret == 0 && a < AXES; a++) {
        cc_layout_item it = {CC_ITEM_SCALE, axis_name[a], axis_name[a], NULL, 1, {scale[a].n}, {0}, {0},
                             scale[a].type, scale[a].data, scale[a].units, scale[a].long_name, scale[a].description, 0};
        ret = w->visit(&it, w->user);
    }
    if (ret == 0) {
        cc_layout_item g = {CC_ITEM_GROUP, "axes", NULL, NULL, 0, {0}, {0}, {0}, CC_VALUE_DOUBLE, NULL, NULL, NULL,
                            "The dimension scales of the root group, hard-linked here", 0};
        ret = w->visit(&g, w->user);
    }
    for (int a = 0; ret == 0 && a < AXES; a++) {
        char path[64];
        snprintf(path, sizeof path, "axes/%s", axis_name[a]);
        cc_layout_item it = {CC_ITEM_LINK, path, NULL, axis_name[a], 0, {0}, {0}, {0}, CC_VALUE_DOUBLE, NULL, NULL,
                             NULL, NULL, 0};
        ret = w->visit(&it, w->user);
    }
    return ret;
}

static int attribute(walker *w, const char *path, const char *name, cc_value_type type, const void *value)
{
    cc_layout_item it = {CC_ITEM_ATTRIBUTE, path, name, NULL, 0, {0}, {0}, {0}, type, value, NULL, NULL, NULL, 0};
    return w->visit(&it, w->user);
}

int cc_sensitivity_layout_walk(const cc_sensitivity_result *r, cc_layout_visitor visit, void *user)
{
    walker w = {visit, user, r};
    size_t P = r->nparams, O = r->noutputs, R = r->replications;
    const char **params = calloc(P + 1, sizeof *params), **outputs = calloc(O + 1, sizeof *outputs);
    const char **param_units = calloc(P + 1, sizeof *param_units), **output_units = calloc(O + 1, sizeof *output_units);
    const char **output_long = calloc(O + 1, sizeof *output_long);
    int *replication = calloc(R + 1, sizeof *replication);
    double *difference = calloc(P * 2 * O * 3 + 1, sizeof *difference), *span = calloc(P * O * 3 + 1, sizeof *span);
    double *values = calloc(P * 2 * O * R + 1, sizeof *values), *baseline = calloc(O * R + 1, sizeof *baseline);
    int ret = params && outputs && param_units && output_units && output_long && replication && difference && span &&
                      values && baseline
                  ? 0
                  : CC_ERR_NOMEM;
    for (size_t p = 0; ret == 0 && p < P; p++) {
        params[p] = r->param_name[p];
        param_units[p] = r->param_units[p];
    }
    for (size_t o = 0; ret == 0 && o < O; o++) {
        outputs[o] = r->outputs[o].name;
        output_units[o] = r->outputs[o].units;
        output_long[o] = r->outputs[o].long_name;
    }
    for (size_t i = 0; ret == 0 && i < R; i++)
        replication[i] = (int)i;
    /* the store's [..][bound or replication][output] as [..][output][bound or replication] */
    for (size_t pe = 0; ret == 0 && pe < P * 2; pe++)
        for (size_t o = 0; o < O; o++) {
            for (int b = 0; b < 3; b++)
                difference[(pe * O + o) * 3 + b] = r->difference[(pe * 3 + b) * O + o];
            for (size_t k = 0; k < R; k++)
                values[(pe * O + o) * R + k] = r->values[(pe * R + k) * O + o];
        }
    for (size_t p = 0; ret == 0 && p < P; p++)
        for (size_t o = 0; o < O; o++)
            for (int b = 0; b < 3; b++)
                span[(p * O + o) * 3 + b] = r->high_minus_low[(p * 3 + b) * O + o];
    for (size_t o = 0; ret == 0 && o < O; o++)
        for (size_t k = 0; k < R; k++)
            baseline[o * R + k] = r->baseline[k * O + o];
    if (ret == 0)
        ret = axes_items(&w, params, outputs, replication);
    const char *per_output = "see /sensitivity/output_units (one unit per output)";
    const int a_p[] = {AX_PARAMETER}, a_o[] = {AX_OUTPUT}, a_pe[] = {AX_PARAMETER, AX_END},
              a_peo[] = {AX_PARAMETER, AX_END, AX_OUTPUT}, a_peob[] = {AX_PARAMETER, AX_END, AX_OUTPUT, AX_BOUND},
              a_po[] = {AX_PARAMETER, AX_OUTPUT}, a_pob[] = {AX_PARAMETER, AX_OUTPUT, AX_BOUND},
              a_peor[] = {AX_PARAMETER, AX_END, AX_OUTPUT, AX_REPLICATION}, a_or[] = {AX_OUTPUT, AX_REPLICATION};
    int replications = (int)R, coverage_year = CC_SENSITIVITY_COVERAGE_YEAR, demand_year = CC_SENSITIVITY_DEMAND_YEAR;
    if (ret == 0) {
        cc_layout_item g = {CC_ITEM_GROUP, "sensitivity", NULL, NULL, 0, {0}, {0}, {0}, CC_VALUE_DOUBLE, NULL, NULL,
                            NULL,
                            "One-way sensitivity: each parameter at the low and the high end of its [ranges] range, "
                            "everything else at the scenario's value, with the baseline's seed and replications "
                            "(common random numbers: differences are paired)", 0};
        ret = visit(&g, user);
    }
    if (ret == 0) ret = attribute(&w, "sensitivity", "replications", CC_VALUE_INT, &replications);
    if (ret == 0) ret = attribute(&w, "sensitivity", "coverage_year", CC_VALUE_INT, &coverage_year);
    if (ret == 0) ret = attribute(&w, "sensitivity", "demand_year", CC_VALUE_INT, &demand_year);
    if (ret == 0)
        ret = dataset(&w, "sensitivity/parameter_units", 1, a_p, CC_VALUE_STRING, param_units, "1", "Unit of a parameter",
                      "Unit of each parameter's values (its scenario key's unit)");
    if (ret == 0)
        ret = dataset(&w, "sensitivity/parameter_value", 2, a_pe, CC_VALUE_DOUBLE, r->param_value,
                      "see /sensitivity/parameter_units (one unit per parameter)", "Parameter value at each end",
                      "The low and the high end of each parameter's range ([ranges] section.key)");
    if (ret == 0)
        ret = dataset(&w, "sensitivity/output_units", 1, a_o, CC_VALUE_STRING, output_units, "1", "Unit of an output",
                      "Unit of each output's values");
    if (ret == 0)
        ret = dataset(&w, "sensitivity/output_long_name", 1, a_o, CC_VALUE_STRING, output_long, "1",
                      "What an output measures", "The quantity of each output, in words");
    if (ret == 0)
        ret = dataset(&w, "sensitivity/baseline", 1, a_o, CC_VALUE_DOUBLE, r->baseline_median, per_output,
                      "Baseline median", "Median over replications of each output, every parameter at its value");
    if (ret == 0)
        ret = dataset(&w, "sensitivity/median", 3, a_peo, CC_VALUE_DOUBLE, r->median, per_output,
                      "Median at each end", "Median over replications of each output with the parameter at the end");
    if (ret == 0)
        ret = dataset(&w, "sensitivity/difference", 4, a_peob, CC_VALUE_DOUBLE, difference, per_output,
                      "Paired difference from the baseline",
                      "Mean over replications of (output at the end - baseline output), replication by replication, "
                      "with its 95% interval (t on the paired differences)");
    if (ret == 0)
        ret = dataset(&w, "sensitivity/high_minus_low", 3, a_pob, CC_VALUE_DOUBLE, span, per_output,
                      "Paired difference high end - low end",
                      "Mean over replications of (output at the high end - output at the low end), with its 95% "
                      "interval (t on the paired differences)");
    if (ret == 0)
        ret = dataset(&w, "sensitivity/width", 2, a_po, CC_VALUE_DOUBLE, r->width, per_output, "Width of the bar",
                      "|median at the high end - median at the low end|: the length of the parameter's tornado bar");
    if (ret == 0)
        ret = dataset(&w, "sensitivity/rank", 2, a_po, CC_VALUE_INT, r->rank, "1", "Rank of the bar",
                      "1 for the widest bar of the output, then down (ties in registry order)");
    if (ret == 0)
        ret = dataset(&w, "sensitivity/baseline_replications", 2, a_or, CC_VALUE_DOUBLE, baseline, per_output,
                      "Baseline output per replication", "Each replication's output, every parameter at its value");
    if (ret == 0)
        ret = dataset(&w, "sensitivity/replications", 4, a_peor, CC_VALUE_DOUBLE, values, per_output,
                      "Output per replication at each end", "Each replication's output with the parameter at the end");
    free(params);
    free(outputs);
    free(param_units);
    free(output_units);
    free(output_long);
    free(replication);
    free(difference);
    free(span);
    free(values);
    free(baseline);
    return ret;
}

static int walk_sensitivity(cc_layout_visitor visit, void *visit_user, void *user)
{
    return cc_sensitivity_layout_walk(user, visit, visit_user);
}

int cc_sensitivity_write(const cc_sensitivity_result *r, const cc_scenario *baseline, const cc_run_facts *facts,
                         const char *path, cc_error *err)
{
    return cc_layout_write_file(walk_sensitivity, (void *)r, "carecast sensitivity",
                                "carecast sensitivity layout 1 (README: Sensitivity)", baseline, 1, facts, path, err);
}
