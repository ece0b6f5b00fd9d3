/* One-way sensitivity: the baseline run and, per ranged parameter, a run at its low and one at
 * its high end (the scenario loaded again with the end's overrides after the caller's), each
 * with the baseline's seed and replications, so replication r of every run uses the same
 * random streams. Each run goes through cc_run, whose results do not depend on the thread
 * count; the outputs are read from its store per replication, then the store is freed, so
 * memory holds one run at a time. Medians, paired differences and ranks are computed at the
 * end, in a fixed order. */
#include "carecast/sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carecast/capacity.h"
#include "carecast/results.h"
#include "carecast/run.h"
#include "carecast/summaries.h"

static const char *const kind_names[CC_SENS_KINDS] = {"doctors_needed", "disturbed_nights_p95", "beds_needed",
                                                      "age75plus"};

const char *cc_sensitivity_kind_name(cc_sensitivity_output_kind kind)
{
    return kind >= 0 && kind < CC_SENS_KINDS ? kind_names[kind] : NULL;
}

void cc_sensitivity_free(cc_sensitivity_result *r)
{
    free(r->param_name);
    free(r->param_units);
    free(r->param_value);
    free(r->outputs);
    free(r->baseline);
    free(r->values);
    free(r->baseline_median);
    free(r->median);
    free(r->difference);
    free(r->high_minus_low);
    free(r->width);
    free(r->rank);
    free(r->order);
    memset(r, 0, sizeof *r);
}

/* ---- doctors needed: the capacity stage ------------------------------------------------------------
 * Doctors needed per scheme in the coverage year come from cc_capacity_compute (a bisection
 * over the candidate clinics per replication, each step a coverage simulation: several times
 * the cost of a run), on the first capacity_replications replications of each run; later
 * replications, and replications where no number of doctors meets the limits (not
 * attainable), are NaN and left out of medians and differences. */
#define CAPACITY_AVAILABLE 1

static int capacity_values(const cc_scenario *s, const cc_sensitivity_options *opt, const cc_sensitivity_result *r,
                           double *values, cc_error *err)
{
    int first = -1;
    for (int o = 0; o < r->noutputs; o++)
        if (r->outputs[o].kind == CC_SENS_DOCTORS_NEEDED) {
            if (first < 0)
                first = o;
            for (int rep = 0; rep < r->replications; rep++)
                values[(size_t)rep * r->noutputs + o] = NAN;
        }
    if (first < 0 || r->capacity_replications <= 0)
        return 0;
    cc_capacity_options copt;
    memset(&copt, 0, sizeof copt);
    copt.replications = r->capacity_replications;
    copt.nyears = 1;
    copt.years[0] = r->outputs[first].year;
    copt.threads = opt->threads;
    copt.interrupted = opt->interrupted;
    cc_capacity_result cres;
    int ret = cc_capacity_compute(s, &copt, &cres, err);
    for (int o = 0; ret == 0 && o < r->noutputs; o++) {
        const cc_sensitivity_output *out = &r->outputs[o];
        if (out->kind != CC_SENS_DOCTORS_NEEDED)
            continue;
        int k = -1;
        for (int j = 0; j < cres.nschemes; j++)
            if (cres.schemes[j] == s->coverage.scheme[out->scheme])
                k = j;
        if (k < 0) {
            ret = cc_error_set(err, CC_ERR_USAGE, s->path, 0, NULL, "the capacity stage gave no %s", out->name);
            break;
        }
        const cc_capacity_cell *cell = cc_capacity_at(&cres, k, 0);
        for (long rep = 0; rep < cres.replications && rep < r->replications; rep++)
            values[(size_t)rep * r->noutputs + o] = cell->status[rep] == CC_SEARCH_FOUND ? cell->doctors[rep] : NAN;
    }
    cc_capacity_result_free(&cres);
    return ret;
}

/* ---- outputs ------------------------------------------------------------------------------------- */

static int add_output(cc_sensitivity_result *r, cc_sensitivity_output_kind kind, int year, int scheme,
                      const char *scheme_name)
{
    if (r->noutputs >= CC_SENSITIVITY_MAX_OUTPUTS)
        return CC_ERR_USAGE;
    cc_sensitivity_output *o = &r->outputs[r->noutputs++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->year = year;
    o->scheme = scheme;
    if (scheme_name)
        snprintf(o->name, sizeof o->name, "%s_%d_%s", kind_names[kind], year, scheme_name);
    else
        snprintf(o->name, sizeof o->name, "%s_%d", kind_names[kind], year);
    switch (kind) {
    case CC_SENS_DOCTORS_NEEDED:
        snprintf(o->units, sizeof o->units, "doctors");
        snprintf(o->long_name, sizeof o->long_name, "Participating doctors needed in %d, %s", year, scheme_name);
        break;
    case CC_SENS_DISTURBED_P95:
        snprintf(o->units, sizeof o->units, "nights/doctor-month");
        snprintf(o->long_name, sizeof o->long_name, "Disturbed nights per doctor-month, p95 over duty holders, %d, %s",
                 year, scheme_name);
        break;
    case CC_SENS_BEDS_NEEDED:
        snprintf(o->units, sizeof o->units, "beds");
        snprintf(o->long_name, sizeof o->long_name, "Beds needed at the target occupancy, %d", year);
        break;
    default:
        snprintf(o->units, sizeof o->units, "persons");
        snprintf(o->long_name, sizeof o->long_name, "Population aged 75+, %d", year);
        break;
    }
    return 0;
}

static int kind_wanted(const cc_sensitivity_options *opt, cc_sensitivity_output_kind kind)
{
    if (!opt->outputs)
        return kind != CC_SENS_DOCTORS_NEEDED || CAPACITY_AVAILABLE;
    for (int i = 0; i < opt->noutputs; i++)
        if (strcmp(opt->outputs[i], kind_names[kind]) == 0)
            return 1;
    return 0;
}

/* The outputs chosen and available for scenario s. */
static int choose_outputs(const cc_scenario *s, const cc_sensitivity_options *opt, cc_sensitivity_result *r,
                          cc_error *err)
{
    for (int i = 0; opt->outputs && i < opt->noutputs; i++) {
        int known = 0;
        for (int k = 0; k < CC_SENS_KINDS; k++)
            known |= strcmp(opt->outputs[i], kind_names[k]) == 0;
        if (!known)
            return cc_error_set(err, CC_ERR_USAGE, "command line", 0, "--outputs",
                                "unknown output '%s'; outputs: doctors_needed, disturbed_nights_p95, beds_needed, "
                                "age75plus", opt->outputs[i]);
    }
    const cc_coverage_params *c = &s->coverage;
    int coverage = c->enabled && s->demand.enabled;
    for (int k = 0; k < CC_SENS_KINDS; k++) {
        if (!kind_wanted(opt, (cc_sensitivity_output_kind)k))
            continue;
        int per_scheme = k == CC_SENS_DOCTORS_NEEDED || k == CC_SENS_DISTURBED_P95;
        if (k == CC_SENS_DOCTORS_NEEDED && r->capacity_replications == 0) {
            if (opt->outputs)
                return cc_error_set(err, CC_ERR_USAGE, "command line", 0, "--outputs",
                                    "doctors_needed needs capacity replications above 0");
            continue;
        }
        if (per_scheme && !coverage) {
            if (opt->outputs)
                return cc_error_set(err, CC_ERR_USAGE, "command line", 0, "--outputs",
                                    "%s needs the coverage stage; %s has no [coverage] clinics table", kind_names[k],
                                    s->path);
            continue;
        }
        if (k == CC_SENS_BEDS_NEEDED && !s->demand.enabled) {
            if (opt->outputs)
                return cc_error_set(err, CC_ERR_USAGE, "command line", 0, "--outputs",
                                    "beds_needed needs the [demand] rate tables, which %s does not give", s->path);
            continue;
        }
        int year = per_scheme ? CC_SENSITIVITY_COVERAGE_YEAR : CC_SENSITIVITY_DEMAND_YEAR;
        if (per_scheme)
            for (int j = 0; j < c->nschemes; j++)
                add_output(r, (cc_sensitivity_output_kind)k, year, j, cc_scheme_name(c->scheme[j]));
        else
            add_output(r, (cc_sensitivity_output_kind)k, year, -1, NULL);
    }
    if (r->noutputs == 0)
        return cc_error_set(err, CC_ERR_USAGE, "command line", 0, "--outputs", "no output to compute");
    return 0;
}

/* A year point's index, or a located error at [simulation] end_year / base_year. */
static int year_index(const cc_scenario *s, int year, int *index, cc_error *err)
{
    const cc_population_params *p = &s->population;
    if (year < p->base_year || year > p->end_year) {
        const cc_setting *st = cc_scenario_setting(s, "simulation", year > p->end_year ? "end_year" : "base_year");
        cc_error_set_key(err, CC_ERR_RANGE, "simulation", st->key->name,
                         "sensitivity outputs need the year %d, outside the projection %d-%d", year, p->base_year,
                         p->end_year);
        return cc_scenario_locate(s, err);
    }
    *index = year - p->base_year;
    return 0;
}

/* The outputs of every replication of one run into values[replication][output]. */
static int read_outputs(const cc_scenario *s, const cc_results *res, const cc_sensitivity_options *opt,
                        const cc_sensitivity_result *r, double *values, cc_error *err)
{
    int ret = capacity_values(s, opt, r, values, err);
    if (ret != 0)
        return ret;
    for (int o = 0; o < r->noutputs; o++) {
        const cc_sensitivity_output *out = &r->outputs[o];
        int y = 0;
        if (out->kind == CC_SENS_DOCTORS_NEEDED)
            continue;
        if ((ret = year_index(s, out->year, &y, err)) != 0)
            return ret;
        int cy = -1;
        for (int i = 0; out->scheme >= 0 && i < res->coverage.nyears; i++)
            if (res->coverage.target_year[i] == out->year)
                cy = i;
        for (int rep = 0; rep < r->replications; rep++) {
            double *v = &values[(size_t)rep * r->noutputs + o];
            switch (out->kind) {
            case CC_SENS_AGE75PLUS:
                *v = res->series[CC_SERIES_AGE75PLUS][cc_results_series_index(res, 0, rep, y, CC_SEX_AXIS - 1)];
                break;
            case CC_SENS_BEDS_NEEDED:
                *v = res->demand[CC_DEMAND_BEDS_NEEDED][cc_results_demand_index(res, 0, rep, y, CC_SEX_AXIS - 1,
                                                                                 CC_AGE_BANDS - 1)];
                break;
            case CC_SENS_DISTURBED_P95:
                if (cy < 0 || rep >= res->coverage.replications)
                    return cc_error_set(err, CC_ERR_USAGE, s->path, 0, NULL, "no coverage result for %d", out->year);
                *v = res->coverage.scheme_values[CC_SCH_DISTURBED_P95][cc_results_coverage_index(res, cy, out->scheme,
                                                                                               0, rep)];
                break;
            default: /* doctors needed: capacity_values */
                break;
            }
        }
    }
    return 0;
}

/* ---- the runs ------------------------------------------------------------------------------------- */

typedef struct {
    const cc_sensitivity_options *opt;
    long offset, total;
} progress_relay;

static void relay_progress(long done, long total, void *user)
{
    (void)total;
    progress_relay *p = user;
    p->opt->progress(p->offset + done, p->total, p->opt->progress_user);
}

/* The caller's overrides, then what every run of the sensitivity sets: the replications, every
 * replication simulating coverage, only the coverage year simulated. */
typedef struct {
    cc_override *list;
    int n, base;
    char replications[32];
} override_list;

static int override_list_init(override_list *l, const cc_override *ov, int n, long replications, int coverage)
{
    if (!(l->list = calloc(n + 8, sizeof *l->list)))
        return CC_ERR_NOMEM;
    memcpy(l->list, ov, n * sizeof *ov);
    l->n = n;
    if (replications > 0) {
        snprintf(l->replications, sizeof l->replications, "%ld", replications);
        l->list[l->n++] = (cc_override){"simulation", "replications", l->replications};
    }
    if (coverage) {
        l->list[l->n++] = (cc_override){"coverage", "replications", "0"};
        l->list[l->n++] = (cc_override){"coverage", "target_years", CC_SENSITIVITY_COVERAGE_YEAR == 2030 ? "2030" : ""};
    }
    l->base = l->n;
    return 0;
}

/* Run the scenario at path with the overrides into values[replication][output]. */
static int one_run(const char *path, const override_list *l, int n, const cc_sensitivity_options *opt,
                   cc_sensitivity_result *r, double *values, progress_relay *relay, cc_error *err)
{
    cc_scenario s;
    cc_results res;
    memset(&res, 0, sizeof res);
    int ret = cc_scenario_load_overrides(&s, path, l->list, n, err);
    if (ret != 0)
        return ret;
    cc_run_options run = s.run;
    run.threads = opt->threads;
    run.progress = opt->progress ? relay_progress : NULL;
    run.progress_user = relay;
    run.interrupted = opt->interrupted;
    if (run.replications != r->replications || run.seed != r->seed)
        ret = cc_error_set(err, CC_ERR_USAGE, path, 0, NULL, "a sensitivity run changed the seed or replications");
    if (ret == 0)
        ret = cc_run(&s, 1, &run, &res, err);
    if (ret == 0)
        ret = read_outputs(&s, &res, opt, r, values, err);
    cc_results_free(&res);
    cc_scenario_free(&s);
    relay->offset += r->replications;
    return ret;
}

/* The ranged parameters chosen: every one, or those --params names (each once). */
static int choose_params(const cc_scenario *s, const cc_sensitivity_options *opt, cc_param_range **chosen, int *n,
                         cc_error *err)
{
    int all = cc_scenario_ranges(s, NULL, 0);
    cc_param_range *ranges = calloc(all + 1, sizeof *ranges);
    if (!ranges)
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    cc_scenario_ranges(s, ranges, all);
    if (!opt->params) {
        *chosen = ranges;
        *n = all;
        return 0;
    }
    cc_param_range *picked = calloc(opt->nparams + 1, sizeof *picked);
    if (!picked) {
        free(ranges);
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    int ret = 0;
    for (int i = 0; ret == 0 && i < opt->nparams; i++) {
        const char *name = opt->params[i];
        int found = -1;
        for (int j = 0; j < all; j++)
            if (strcmp(ranges[j].setting->key->name, name) == 0)
                found = j;
        for (int j = 0; j < i && found >= 0; j++)
            if (strcmp(opt->params[j], name) == 0)
                ret = cc_error_set(err, CC_ERR_USAGE, "command line", 0, "--params", "parameter '%s' named twice", name);
        if (ret == 0 && found < 0) {
            const cc_setting *st = NULL;
            for (int j = 0; j < s->nsettings; j++)
                if (strcmp(s->settings[j].key->section, "ranges") == 0 && strcmp(s->settings[j].key->name, name) == 0)
                    st = &s->settings[j];
            if (st)
                ret = cc_error_set(err, CC_ERR_USAGE, "command line", 0, "--params",
                                   "parameter '%s' has no range: [ranges] %s is empty in %s", name, name, s->path);
            else
                ret = cc_error_set(err, CC_ERR_USAGE, "command line", 0, "--params",
                                   "unknown parameter '%s'; ranged parameters are [ranges] keys, e.g. "
                                   "demand.trend_damping (carecast keys)", name);
        }
        if (ret == 0)
            picked[i] = ranges[found];
    }
    free(ranges);
    if (ret != 0) {
        free(picked);
        return ret;
    }
    *chosen = picked;
    *n = opt->nparams;
    return 0;
}

static int result_alloc(cc_sensitivity_result *r)
{
    size_t P = r->nparams, O = r->noutputs, R = r->replications;
    r->param_name = calloc(P + 1, sizeof *r->param_name);
    r->param_units = calloc(P + 1, sizeof *r->param_units);
    r->param_value = calloc(2 * P + 1, sizeof *r->param_value);
    r->baseline = calloc(R * O, sizeof *r->baseline);
    r->values = calloc(P * 2 * R * O + 1, sizeof *r->values);
    r->baseline_median = calloc(O, sizeof *r->baseline_median);
    r->median = calloc(P * 2 * O + 1, sizeof *r->median);
    r->difference = calloc(P * 2 * 3 * O + 1, sizeof *r->difference);
    r->high_minus_low = calloc(P * 3 * O + 1, sizeof *r->high_minus_low);
    r->width = calloc(P * O + 1, sizeof *r->width);
    r->rank = calloc(P * O + 1, sizeof *r->rank);
    r->order = calloc(P * O + 1, sizeof *r->order);
    return r->param_name && r->param_units && r->param_value && r->baseline && r->values && r->baseline_median &&
                   r->median && r->difference && r->high_minus_low && r->width && r->rank && r->order
               ? 0
               : CC_ERR_NOMEM;
}

/* Medians, paired differences (each end against the baseline, high against low), widths and
 * ranks. */
static int summarise(cc_sensitivity_result *r)
{
    int P = r->nparams, O = r->noutputs, R = r->replications;
    double q[CC_QUANTILES * CC_SENSITIVITY_MAX_OUTPUTS], dq[CC_QUANTILES * CC_SENSITIVITY_MAX_OUTPUTS];
    if (cc_stats_quantiles(r->baseline, 1, R, O, q, 1) != 0)
        return CC_ERR_NOMEM;
    memcpy(r->baseline_median, q + 2 * O, O * sizeof *q);
    for (int p = 0; p < P; p++) {
        const double *end[2];
        for (int e = 0; e < 2; e++) {
            end[e] = r->values + ((size_t)p * 2 + e) * R * O;
            if (cc_stats_quantiles(end[e], 1, R, O, q, 1) != 0 ||
                cc_stats_paired_differences(r->baseline, end[e], 1, R, O, dq,
                                            r->difference + ((size_t)p * 2 + e) * 3 * O, 1) != 0)
                return CC_ERR_NOMEM;
            memcpy(r->median + ((size_t)p * 2 + e) * O, q + 2 * O, O * sizeof *q);
        }
        if (cc_stats_paired_differences(end[0], end[1], 1, R, O, dq, r->high_minus_low + (size_t)p * 3 * O, 1) != 0)
            return CC_ERR_NOMEM;
        for (int o = 0; o < O; o++) { /* a median at one end only (doctors needed attainable there): infinite */
            double lo = r->median[(size_t)p * 2 * O + o], hi = r->median[((size_t)p * 2 + 1) * O + o];
            r->width[p * O + o] = isnan(lo) != isnan(hi) ? INFINITY : fabs(hi - lo);
        }
    }
    for (int o = 0; o < O; o++) { /* insertion sort by width, widest first; NaN last; ties in registry order */
        int *order = r->order + (size_t)o * P;
        for (int p = 0; p < P; p++) {
            double w = r->width[p * O + o];
            int at = p;
            while (at > 0) {
                double prev = r->width[order[at - 1] * O + o];
                if (isnan(w) || !(isnan(prev) || w > prev)) /* stable: ties and NaN keep registry order */
                    break;
                order[at] = order[at - 1];
                at--;
            }
            order[at] = p;
        }
        for (int k = 0; k < P; k++)
            r->rank[order[k] * O + o] = k + 1;
    }
    return 0;
}

int cc_sensitivity_run(const char *path, const cc_override *overrides, int noverrides,
                       const cc_sensitivity_options *opt, cc_scenario *baseline, cc_sensitivity_result *r,
                       cc_error *err)
{
    memset(r, 0, sizeof *r);
    memset(baseline, 0, sizeof *baseline);
    cc_error_clear(err);
    cc_param_range *params = NULL;
    override_list l = {0};
    int ret, nparams = 0;
    /* the scenario as given: its [sensitivity] replications, whether it simulates coverage */
    if ((ret = cc_scenario_load_overrides(baseline, path, overrides, noverrides, err)) != 0)
        return ret;
    long replications = opt->replications;
    if (replications <= 0) {
        const cc_setting *st = cc_scenario_setting(baseline, "sensitivity", "replications");
        replications = strtol(st->value, NULL, 10);
    }
    int coverage = baseline->coverage.enabled && baseline->demand.enabled;
    if ((ret = override_list_init(&l, overrides, noverrides, replications, coverage)) != 0) {
        ret = cc_error_set(err, ret, NULL, 0, NULL, "out of memory");
        goto out;
    }
    cc_scenario_free(baseline); /* again, as every run loads it: with the sensitivity's settings */
    if ((ret = cc_scenario_load_overrides(baseline, path, l.list, l.n, err)) != 0)
        goto out;
    r->replications = (int)baseline->run.replications;
    {
        const cc_setting *st = cc_scenario_setting(baseline, "sensitivity", "capacity_replications");
        long m = opt->capacity_replications >= 0 ? opt->capacity_replications : strtol(st->value, NULL, 10);
        r->capacity_replications = (int)(m < r->replications ? m : r->replications);
    }
    r->seed = baseline->run.seed;
    if (!(r->outputs = calloc(CC_SENSITIVITY_MAX_OUTPUTS, sizeof *r->outputs))) {
        ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto out;
    }
    if ((ret = choose_outputs(baseline, opt, r, err)) != 0 || (ret = choose_params(baseline, opt, &params, &nparams, err)) != 0)
        goto out;
    for (int o = 0; o < r->noutputs; o++) { /* the years the outputs need, before any run */
        int y;
        if ((ret = year_index(baseline, r->outputs[o].year, &y, err)) != 0)
            goto out;
    }
    r->nparams = nparams;
    if (result_alloc(r) != 0) {
        ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory for %d parameters", nparams);
        goto out;
    }
    for (int p = 0; p < nparams; p++) {
        snprintf(r->param_name[p], sizeof r->param_name[p], "%s", params[p].setting->key->name);
        snprintf(r->param_units[p], sizeof r->param_units[p], "%s", params[p].key->unit);
        r->param_value[2 * p] = params[p].low;
        r->param_value[2 * p + 1] = params[p].high;
    }
    progress_relay relay = {opt, 0, (long)r->replications * (1 + 2 * nparams)};
    if ((ret = one_run(path, &l, l.n, opt, r, r->baseline, &relay, err)) != 0)
        goto out;
    for (int p = 0; p < nparams; p++)
        for (int e = 0; e < 2; e++) {
            char names[3][64], text[3][40];
            int n = cc_param_range_overrides(&params[p], e ? params[p].high : params[p].low, l.list + l.base, names,
                                             text);
            ret = one_run(path, &l, l.base + n, opt, r, r->values + ((size_t)p * 2 + e) * r->replications * r->noutputs,
                          &relay, err);
            if (ret != 0)
                goto out;
        }
    if (summarise(r) != 0)
        ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory for the summaries");
out:
    free(params);
    free(l.list);
    if (ret != 0) {
        cc_sensitivity_free(r);
        cc_scenario_free(baseline);
    }
    return ret;
}
