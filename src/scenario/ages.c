/* Splitting 5-year (or any) age groups into single years of age.
 * Invariants: group totals are kept exactly; values are never negative; the open group
 * (100+) is carried as one value. Method: see include/carecast/ages.h. */
#include "carecast/ages.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_interp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *cc_split_method_name(cc_split_method method)
{
    return method == CC_SPLIT_UNIFORM ? "uniform" : "spline";
}

static int group_end(const cc_age_group *g) /* one past the last single age it covers */
{
    if (g->hi == CC_AGE_OPEN_END || g->hi >= CC_AGE_OPEN)
        return CC_AGES;
    return g->hi + 1;
}

int cc_age_groups_check(const cc_age_group *groups, int n, const char *file, cc_error *err)
{
    return cc_age_groups_check_open(groups, n, CC_AGE_OPEN, file, err);
}

int cc_age_groups_check_open(const cc_age_group *groups, int n, int min_open_age, const char *file, cc_error *err)
{
    if (n == 0)
        return cc_error_set(err, CC_ERR_TABLE, file, 0, "age_lo", "no age groups");
    int expect = 0;
    for (int i = 0; i < n; i++) {
        const cc_age_group *g = &groups[i];
        if (g->lo < expect)
            return cc_error_set(err, CC_ERR_TABLE, file, g->line, "age_lo",
                                "age group %d-%d overlaps the previous group (which ends at %d)",
                                g->lo, g->hi, expect - 1);
        if (g->lo > expect)
            return cc_error_set(err, CC_ERR_TABLE, file, g->line, "age_lo",
                                "gap in age groups: ages %d-%d are missing", expect, g->lo - 1);
        if (g->hi != CC_AGE_OPEN_END && g->hi < g->lo)
            return cc_error_set(err, CC_ERR_TABLE, file, g->line, "age_hi",
                                "age_hi %d is below age_lo %d", g->hi, g->lo);
        if (min_open_age >= CC_AGE_OPEN && g->hi != CC_AGE_OPEN_END && g->lo < CC_AGE_OPEN && g->hi >= CC_AGE_OPEN)
            return cc_error_set(err, CC_ERR_TABLE, file, g->line, "age_hi",
                                "age group %d-%d runs across 100; groups must end at 99 or start at 100 or above",
                                g->lo, g->hi);
        if (g->hi == CC_AGE_OPEN_END) {
            if (i != n - 1)
                return cc_error_set(err, CC_ERR_TABLE, file, groups[i + 1].line, "age_lo",
                                    "age group after the open group %d+", g->lo);
            if (g->lo < min_open_age)
                return cc_error_set(err, CC_ERR_TABLE, file, g->line, "age_hi",
                                    "the open age group starts at %d; this table needs an open group "
                                    "starting at %d or above", g->lo, min_open_age);
            return 0;
        }
        expect = g->hi + 1;
    }
    return cc_error_set(err, CC_ERR_TABLE, file, groups[n - 1].line, "age_hi",
                        "no open age group (the last group must have an empty age_hi, e.g. 100+)");
}

void cc_age_groups_spread(const cc_age_group *groups, int n, double out[CC_AGES])
{
    for (int i = 0; i < n; i++)
        for (int a = groups[i].lo < CC_AGES ? groups[i].lo : CC_AGE_OPEN; a < group_end(&groups[i]); a++)
            out[a] = groups[i].value;
}

/* Largest-remainder rounding of out[lo..end) so the whole numbers sum to round(total). */
static void round_group(double *out, int lo, int end, double total)
{
    double remainder[CC_AGES];
    long target = lround(total), sum = 0;
    for (int a = lo; a < end; a++) {
        double whole = floor(out[a]);
        remainder[a] = out[a] - whole;
        out[a] = whole;
        sum += (long)whole;
    }
    for (; sum < target; sum++) { /* give one to the largest remainder, earliest age on ties */
        int best = lo;
        for (int a = lo + 1; a < end; a++)
            if (remainder[a] > remainder[best])
                best = a;
        out[best] += 1.0;
        remainder[best] = -1.0;
    }
}

static int split_spline(const cc_age_group *groups, int n, double out[CC_AGES], cc_error *err)
{
    /* Knots at the boundaries 0, hi+1, ... of all closed groups; the open group is one value. */
    double x[CC_AGES + 2], cum[CC_AGES + 2];
    int k = 0;
    x[0] = 0; cum[0] = 0;
    for (int i = 0; i < n && groups[i].hi != CC_AGE_OPEN_END && groups[i].hi < CC_AGE_OPEN; i++) {
        k++;
        x[k] = groups[i].hi + 1;
        cum[k] = cum[k - 1] + groups[i].value;
    }
    int closed_end = (int)x[k], knots = k + 1;
    double open_total = 0;
    for (int i = 0; i < n; i++)
        if (groups[i].lo >= closed_end)
            open_total += groups[i].value;
    /* The open group as if it spanned the next OPEN_SPAN years: a knot beyond the last closed
     * group, so the spline's slope there follows the falling density into the open group
     * instead of the end point's one-sided estimate, which bent the last closed group upward
     * at its top age (more people at 99 than at 98). The knots inside are unchanged, so every
     * closed group keeps its total. */
    enum { OPEN_SPAN = 5 };
    if (open_total > 0 && k >= 2) {
        x[knots] = closed_end + OPEN_SPAN;
        cum[knots] = cum[k] + open_total;
        knots++;
    }
    if (k < 2) { /* one closed group: nothing to interpolate */
        for (int a = 0; a < closed_end; a++)
            out[a] = cum[k] / closed_end;
    } else {
        gsl_interp *interp = gsl_interp_alloc(gsl_interp_steffen, knots);
        gsl_interp_accel *acc = gsl_interp_accel_alloc();
        if (!interp || !acc || gsl_interp_init(interp, x, cum, knots) != GSL_SUCCESS) {
            gsl_interp_free(interp);
            gsl_interp_accel_free(acc);
            return cc_error_set(err, CC_ERR_NUMERIC, NULL, 0, NULL, "spline interpolation failed");
        }
        double prev = 0;
        for (int a = 0; a < closed_end; a++) {
            double next = a + 1 == closed_end ? cum[k] : gsl_interp_eval(interp, x, cum, a + 1, acc);
            out[a] = fmax(0.0, next - prev);
            prev = next;
        }
        gsl_interp_free(interp);
        gsl_interp_accel_free(acc);
    }
    out[CC_AGE_OPEN] = open_total;
    return 0;
}

int cc_age_groups_split_signed(const cc_age_group *groups, int n, double out[CC_AGES])
{
    memset(out, 0, CC_AGES * sizeof *out);
    for (int i = 0; i < n; i++) {
        int lo = groups[i].lo < CC_AGES ? groups[i].lo : CC_AGE_OPEN, end = group_end(&groups[i]);
        for (int a = lo; a < end; a++)
            out[a] += groups[i].value / (end - lo);
    }
    return 0;
}

int cc_age_groups_split(const cc_age_group *groups, int n, cc_split_method method,
                        int integer_counts, double out[CC_AGES], cc_error *err)
{
    int ret;
    memset(out, 0, CC_AGES * sizeof *out);
    if ((ret = cc_age_groups_check(groups, n, NULL, err)) != 0)
        return ret;
    for (int i = 0; i < n; i++)
        if (groups[i].value < 0)
            return cc_error_set(err, CC_ERR_RANGE, NULL, groups[i].line, NULL, "negative value");
    if (method == CC_SPLIT_SPLINE) {
        if ((ret = split_spline(groups, n, out, err)) != 0)
            return ret;
    } else {
        cc_age_groups_split_signed(groups, n, out);
    }
    if (integer_counts)
        for (int i = 0; i < n; i++)
            if (groups[i].lo < CC_AGE_OPEN && group_end(&groups[i]) <= CC_AGE_OPEN)
                round_group(out, groups[i].lo, group_end(&groups[i]), groups[i].value);
    if (integer_counts)
        out[CC_AGE_OPEN] = round(out[CC_AGE_OPEN]);
    return 0;
}

static double group_middle(const cc_age_group *g) { return 0.5 * (g->lo + g->hi); }

void cc_age_groups_spread_death_rates(const cc_age_group *groups, int n, double out[CC_AGES])
{
    cc_age_groups_spread(groups, n, out);
    for (int i = 0; i < n; i++) {
        const cc_age_group *g = &groups[i];
        if (g->hi == CC_AGE_OPEN_END || g->lo < CC_GOMPERTZ_FROM_AGE || g->hi <= g->lo || g->hi >= CC_AGE_OPEN ||
            !(g->value > 0))
            continue;
        /* neighbours: closed groups with positive rates */
        const cc_age_group *below = i > 0 && groups[i - 1].value > 0 ? &groups[i - 1] : NULL;
        const cc_age_group *above = i + 1 < n && groups[i + 1].hi != CC_AGE_OPEN_END && groups[i + 1].value > 0
                                        ? &groups[i + 1] : NULL;
        const cc_age_group *from = below ? below : g, *to = above ? above : g;
        if (from == to)
            continue;
        double slope = (log(to->value) - log(from->value)) / (group_middle(to) - group_middle(from));
        double shape[CC_AGES], scale = 1.0;
        for (int a = g->lo; a <= g->hi; a++)
            shape[a] = exp(slope * (a - group_middle(g)));
        for (int iter = 0; iter < 20; iter++) { /* deaths / person-years of the group = its rate */
            double l = 1.0, deaths = 0, years = 0;
            for (int a = g->lo; a <= g->hi; a++) {
                double m = scale * shape[a], q = fmin(1.0, 2.0 * m / (2.0 + m));
                deaths += l * q;
                years += l * (1.0 - 0.5 * q);
                l *= 1.0 - q;
            }
            double ratio = g->value / (deaths / years);
            scale *= ratio;
            if (fabs(ratio - 1.0) < 1e-12)
                break;
        }
        for (int a = g->lo; a <= g->hi; a++)
            out[a] = scale * shape[a];
    }
}
