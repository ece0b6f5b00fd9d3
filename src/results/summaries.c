/* Summaries computed from the rows of a results store (see summaries.h): quantiles, means and
 * paired differences of every replicated quantity, the standard deviation by age, visits per
 * clinic, peak years and bed exceedance. Nothing here depends on the thread count: each cell is
 * sorted by one thread, and every sum runs in replication order. */
#include "carecast/summaries.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Put the values of ranks[0..nranks) (increasing) of a[lo..hi) in their sorted places, as a
 * full sort would: quickselect with a three-way partition around a median-of-three pivot,
 * descending only into the parts that hold a wanted rank. The values are the order statistics
 * themselves, so quantiles from them equal those from a sorted copy, bit for bit. */
static void select_ranks(double *a, size_t lo, size_t hi, const size_t *ranks, int nranks)
{
    while (nranks > 0 && hi - lo > 16) {
        size_t mid = lo + (hi - lo) / 2;
        double x = a[lo], y = a[mid], z = a[hi - 1];
        double pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t lt = lo, i = lo, gt = hi; /* [lo, lt) < pivot, [lt, i) == pivot, [gt, hi) > pivot */
        while (i < gt) {
            double v = a[i];
            if (v < pivot) {
                a[i++] = a[lt];
                a[lt++] = v;
            } else if (v > pivot) {
                a[i] = a[--gt];
                a[gt] = v;
            } else
                i++;
        }
        int below = 0, equal = 0; /* ranks left of lt, then ranks inside [lt, gt) */
        while (below < nranks && ranks[below] < lt)
            below++;
        while (below + equal < nranks && ranks[below + equal] < gt)
            equal++;
        const size_t *above = ranks + below + equal;
        int nabove = nranks - below - equal;
        /* the smaller side by recursion, the larger by the loop: bounded stack */
        if (lt - lo < hi - gt) {
            select_ranks(a, lo, lt, ranks, below);
            lo = gt, ranks = above, nranks = nabove;
        } else {
            select_ranks(a, gt, hi, above, nabove);
            hi = lt, nranks = below;
        }
    }
    if (nranks > 0) /* a few values: sorted in place */
        gsl_sort(a + lo, 1, hi - lo);
}

/* The quantiles at cc_quantile_levels of column[0..n) (reordered), as
 * gsl_stats_quantile_from_sorted_data computes them from sorted data: linear interpolation
 * between the order statistics at floor(f (n - 1)) and the next, selected without a full sort. */
static void quantiles_by_selection(double *column, size_t n, double *out, size_t stride)
{
    size_t ranks[2 * CC_QUANTILES];
    int nranks = 0;
    for (int q = 0; q < CC_QUANTILES; q++) {
        const size_t lhs = (int)(cc_quantile_levels[q] * (n - 1));
        for (size_t r = lhs; r <= lhs + 1 && r < n; r++)
            if (nranks == 0 || ranks[nranks - 1] < r) /* levels increase: so do their ranks */
                ranks[nranks++] = r;
    }
    select_ranks(column, 0, n, ranks, nranks);
    for (int q = 0; q < CC_QUANTILES; q++) /* gsl_stats_quantile_from_sorted_data on the ranks it reads */
        out[(size_t)q * stride] = gsl_stats_quantile_from_sorted_data(column, 1, n, cc_quantile_levels[q]);
}

int cc_stats_quantiles(const double *data, int nscenarios, int replications, size_t cells, double *out,
                       int threads)
{
    int failed = 0;
    long total = (long)nscenarios * (long)cells;
    /* cells are independent: selected in parallel, each by one thread, so results do not depend
     * on the thread count */
#pragma omp parallel num_threads(threads > 0 ? threads : 1) reduction(| : failed)
    {
        double *column = malloc((size_t)replications * sizeof *column + 1);
        failed |= column == NULL;
#pragma omp for schedule(static)
        for (long i = 0; i < total; i++) {
            if (!column)
                continue;
            size_t sc = (size_t)(i / (long)cells), c = (size_t)(i % (long)cells), n = 0;
            for (int rep = 0; rep < replications; rep++) {
                double x = data[(sc * replications + rep) * cells + c];
                if (!isnan(x)) /* undefined in that replication: left out */
                    column[n++] = x;
            }
            double *at = out + sc * CC_QUANTILES * cells + c;
            if (n > 0)
                quantiles_by_selection(column, n, at, cells);
            for (int q = 0; n == 0 && q < CC_QUANTILES; q++)
                at[(size_t)q * cells] = NAN;
        }
        free(column);
    }
    return failed ? CC_ERR_NOMEM : 0;
}

void cc_stats_means(const double *data, int nscenarios, int replications, size_t cells, double *out)
{
    for (int sc = 0; sc < nscenarios; sc++)
        for (size_t c = 0; c < cells; c++) {
            double mean = 0; /* running mean in replication order, NaN left out */
            long n = 0;
            for (int rep = 0; rep < replications; rep++) {
                double x = data[((size_t)sc * replications + rep) * cells + c];
                if (!isnan(x))
                    mean += (x - mean) / ++n;
            }
            out[(size_t)sc * cells + c] = n > 0 ? mean : NAN;
        }
}

static void interval(double mean, double variance_of_mean, double df, double *out3, size_t stride)
{
    /* one replication has no spread to estimate: the interval is unknown (NaN), not zero */
    double half = df <= 0 ? NAN : variance_of_mean > 0 ? gsl_cdf_tdist_Pinv(0.975, df) * sqrt(variance_of_mean) : 0.0;
    out3[0] = mean - half;
    out3[stride] = mean;
    out3[2 * stride] = mean + half;
}

/* b - a of one scenario's rows (a, b: [replication][cells]) into diff (the same shape); the
 * quantiles of the differences (quantiles[q][cells]), their paired 95% interval (ci[3][cells])
 * and, when ci_unpaired is not NULL, the Welch interval of mean(b) - mean(a). Replications
 * where either value is NaN are left out. */
static int paired(const double *a, const double *b, int replications, size_t cells, double *diff, double *quantiles,
                  double *ci, double *ci_unpaired, int threads)
{
    size_t size = (size_t)replications * cells;
    for (size_t i = 0; i < size; i++)
        diff[i] = b[i] - a[i];
    int ret = cc_stats_quantiles(diff, 1, replications, cells, quantiles, threads);
    if (ret != 0)
        return ret;
    for (size_t c = 0; c < cells; c++) {
        double md = 0, vd = 0, ma = 0, va = 0, mb = 0, vb = 0, n = 0;
        for (int rep = 0; rep < replications; rep++) { /* Welford, in replication order */
            double x = diff[(size_t)rep * cells + c], y = a[(size_t)rep * cells + c], z = b[(size_t)rep * cells + c], d;
            if (isnan(x))
                continue;
            double k = ++n;
            d = x - md; md += d / k; vd += d * (x - md);
            d = y - ma; ma += d / k; va += d * (y - ma);
            d = z - mb; mb += d / k; vb += d * (z - mb);
        }
        if (n == 0)
            md = ma = mb = NAN;
        double sd2 = n > 1 ? vd / (n - 1) : 0;
        interval(md, n > 0 ? sd2 / n : 0, n - 1, ci + c, cells);
        if (!ci_unpaired)
            continue;
        double sa2 = n > 1 ? va / (n - 1) : 0, sb2 = n > 1 ? vb / (n - 1) : 0;
        double welch_var = n > 0 ? (sa2 + sb2) / n : 0;
        double welch_df = welch_var > 0 ? welch_var * welch_var /
                                              ((sa2 / n) * (sa2 / n) / (n - 1) + (sb2 / n) * (sb2 / n) / (n - 1))
                                        : 0;
        interval(mb - ma, welch_var, welch_df, ci_unpaired + c, cells);
    }
    return 0;
}

int cc_stats_differences(const double *data, int nscenarios, int replications, size_t cells, double *quantiles,
                         double *ci_paired, double *ci_unpaired, int threads)
{
    size_t per_scenario = (size_t)replications * cells;
    double *diff = malloc(per_scenario * sizeof *diff + 1);
    if (!diff)
        return CC_ERR_NOMEM;
    memset(quantiles, 0, (size_t)CC_QUANTILES * cells * sizeof *quantiles); /* scenario 0 vs itself */
    memset(ci_paired, 0, 3 * cells * sizeof *ci_paired);
    memset(ci_unpaired, 0, 3 * cells * sizeof *ci_unpaired);
    int ret = 0;
    for (int sc = 1; ret == 0 && sc < nscenarios; sc++)
        ret = paired(data, data + sc * per_scenario, replications, cells, diff,
                     quantiles + (size_t)sc * CC_QUANTILES * cells, ci_paired + (size_t)sc * 3 * cells,
                     ci_unpaired + (size_t)sc * 3 * cells, threads);
    free(diff);
    return ret;
}

int cc_stats_paired_differences(const double *reference, const double *data, int nscenarios, int replications,
                                size_t cells, double *quantiles, double *ci, int threads)
{
    size_t per_scenario = (size_t)replications * cells;
    double *diff = malloc(per_scenario * sizeof *diff + 1);
    if (!diff)
        return CC_ERR_NOMEM;
    int ret = 0;
    for (int sc = 0; ret == 0 && sc < nscenarios; sc++)
        ret = paired(reference + sc * per_scenario, data + sc * per_scenario, replications, cells, diff,
                     quantiles + (size_t)sc * CC_QUANTILES * cells, ci + (size_t)sc * 3 * cells, NULL, threads);
    free(diff);
    return ret;
}

int cc_replicated_summary_compute(cc_replicated_summary *out, const double *data, int nscenarios, int replications,
                                  size_t cells, int threads)
{
    memset(out, 0, sizeof *out);
    size_t n = (size_t)nscenarios * cells;
    int ok = (out->quantiles = malloc(n * CC_QUANTILES * sizeof(double))) &&
             (out->mean = malloc(n * sizeof(double))) &&
             cc_stats_quantiles(data, nscenarios, replications, cells, out->quantiles, threads) == 0;
    if (ok)
        cc_stats_means(data, nscenarios, replications, cells, out->mean);
    if (ok && nscenarios > 1)
        ok = (out->diff_quantiles = malloc(n * CC_QUANTILES * sizeof(double))) &&
             (out->diff_ci = malloc(n * 3 * sizeof(double))) &&
             (out->diff_ci_unpaired = malloc(n * 3 * sizeof(double))) &&
             cc_stats_differences(data, nscenarios, replications, cells, out->diff_quantiles, out->diff_ci,
                                  out->diff_ci_unpaired, threads) == 0;
    if (!ok) {
        cc_replicated_summary_free(out);
        return CC_ERR_NOMEM;
    }
    return 0;
}

void cc_replicated_summary_free(cc_replicated_summary *s)
{
    free(s->quantiles);
    free(s->mean);
    free(s->diff_quantiles);
    free(s->diff_ci);
    free(s->diff_ci_unpaired);
    memset(s, 0, sizeof *s);
}

/* Bytes of one scenario's rows read back at a time (a slice of years) from a streamed store's
 * file: what bounds the summaries' memory whatever the replications. */
enum { SLICE_BYTES = 16 << 20 };

/* Spread a slice's figures ([k][n] for cells [first, first + n)) into out[k][cells]. */
static void scatter(double *out, const double *slice, int k, size_t cells, size_t first, size_t n)
{
    for (int i = 0; i < k; i++)
        memcpy(out + (size_t)i * cells + first, slice + (size_t)i * n, n * sizeof *slice);
}

/* cc_replicated_summary_compute over a streamed store's rows (cells = years x unit), read back
 * from its file one slice of years at a time: each cell's figures come from the same values in
 * the same order as in memory, so they are the same. */
static int summary_from_file(cc_replicated_summary *out, const cc_results *r, const double *rows, size_t cells,
                             int threads)
{
    memset(out, 0, sizeof *out);
    int nsc = r->nscenarios, reps = r->replications;
    size_t unit = cells / (size_t)r->years, n = (size_t)nsc * cells;
    size_t years = SLICE_BYTES / ((size_t)reps * unit * sizeof(double));
    years = years < 1 ? 1 : years > (size_t)r->years ? (size_t)r->years : years;
    size_t slice = years * unit, values = (size_t)reps * slice;
    double *first = NULL, *other = NULL, *diff = NULL, *figures = malloc(slice * (2 * CC_QUANTILES + 7) * sizeof(double));
    int ok = figures && (out->quantiles = malloc(n * CC_QUANTILES * sizeof(double))) &&
             (out->mean = malloc(n * sizeof(double))) && (first = malloc(values * sizeof(double)));
    if (ok && nsc > 1)
        ok = (out->diff_quantiles = calloc(n * CC_QUANTILES, sizeof(double))) && /* scenario 0 vs itself: 0 */
             (out->diff_ci = calloc(n * 3, sizeof(double))) && (out->diff_ci_unpaired = calloc(n * 3, sizeof(double))) &&
             (other = malloc(values * sizeof(double))) && (diff = malloc(values * sizeof(double)));
    int ret = ok ? 0 : CC_ERR_NOMEM;
    double *q = figures, *dq = q + CC_QUANTILES * slice, *mean = dq + CC_QUANTILES * slice, *ci = mean + slice,
           *ciu = ci + 3 * slice;
    for (size_t y = 0; ret == 0 && y < (size_t)r->years; y += years) {
        size_t ny = (size_t)r->years - y < years ? (size_t)r->years - y : years, count = ny * unit, at = y * unit;
        for (int sc = 0; ret == 0 && sc < nsc; sc++) {
            double *data = sc == 0 ? first : other;
            if ((ret = cc_results_file_read_rows(r->file, rows, sc, y, ny, data)) != 0 ||
                (ret = cc_stats_quantiles(data, 1, reps, count, q, threads)) != 0)
                break;
            cc_stats_means(data, 1, reps, count, mean);
            scatter(out->quantiles + (size_t)sc * CC_QUANTILES * cells, q, CC_QUANTILES, cells, at, count);
            scatter(out->mean + (size_t)sc * cells, mean, 1, cells, at, count);
            if (sc == 0 || (ret = paired(first, other, reps, count, diff, dq, ci, ciu, threads)) != 0)
                continue;
            scatter(out->diff_quantiles + (size_t)sc * CC_QUANTILES * cells, dq, CC_QUANTILES, cells, at, count);
            scatter(out->diff_ci + (size_t)sc * 3 * cells, ci, 3, cells, at, count);
            scatter(out->diff_ci_unpaired + (size_t)sc * 3 * cells, ciu, 3, cells, at, count);
        }
    }
    free(figures);
    free(first);
    free(other);
    free(diff);
    if (ret != 0)
        cc_replicated_summary_free(out);
    return ret == CC_ERR_HDF5 || ret == CC_ERR_USAGE ? CC_ERR_HDF5 : ret;
}

/* The summary of one replicated quantity of the store: from memory, or read back from the file
 * its rows were streamed to. */
static int summary_of(cc_replicated_summary *out, const cc_results *r, const double *rows, size_t cells, int threads)
{
    if (r->file)
        return summary_from_file(out, r, rows, cells, threads);
    return cc_replicated_summary_compute(out, rows, r->nscenarios, r->replications, cells, threads);
}

static void *copy_of(const void *data, size_t bytes)
{
    void *copy = malloc(bytes + 1);
    if (copy)
        memcpy(copy, data, bytes);
    return copy;
}

/* Peak years and bed exceedance, accumulated by the store as rows arrived. */
static int peaks_and_exceedance(cc_summaries *s, const cc_results *r)
{
    size_t reps = (size_t)r->nscenarios * r->replications, per_year = (size_t)r->nscenarios * r->years;
    static const cc_demand_series peaks[] = {CC_DEMAND_OUTPATIENT, CC_DEMAND_INPATIENT};
    for (int i = 0; i < 2; i++)
        if (!(s->peak_year[peaks[i]] = copy_of(r->peak_year[peaks[i]], reps * sizeof(int))) ||
            !(s->peak_year_share[peaks[i]] = copy_of(r->peak_year_share[peaks[i]], per_year * sizeof(double))))
            return CC_ERR_NOMEM;
    s->capacity = calloc(r->nscenarios, sizeof(double));
    s->never_exceeded_share = copy_of(r->never_exceeded_share, (size_t)r->nscenarios * sizeof(double));
    s->exceedance_probability = copy_of(r->exceedance_probability, per_year * sizeof(double));
    s->first_exceedance_share = copy_of(r->first_exceedance_share, per_year * sizeof(double));
    s->first_exceedance_year = copy_of(r->first_exceedance_year, reps * sizeof(int));
    if (!s->capacity || !s->never_exceeded_share || !s->exceedance_probability || !s->first_exceedance_share ||
        !s->first_exceedance_year)
        return CC_ERR_NOMEM;
    for (int sc = 0; sc < r->nscenarios; sc++) {
        s->capacity[sc] = r->scenarios[sc].bed_capacity > 0 ? r->scenarios[sc].bed_capacity : 0;
        s->has_capacity |= s->capacity[sc] > 0;
    }
    return 0;
}

static int demand_summaries(cc_summaries *s, const cc_results *r, int threads)
{
    size_t cells = (size_t)r->years * CC_SEX_AXIS * CC_AGE_BANDS;
    int ret = 0;
    for (int d = 0; ret == 0 && d < CC_DEMAND_SERIES; d++)
        if ((ret = summary_of(&s->demand[d], r, r->demand[d], cells, threads)) == 0)
            ret = summary_of(&s->demand_expected[d], r, r->demand_expected[d], (size_t)r->years, threads);
    if (ret == 0)
        ret = summary_of(&s->visits_per_clinic_summary, r, r->visits_per_clinic, (size_t)r->years, threads);
    return ret == 0 ? peaks_and_exceedance(s, r) : ret;
}

/* Quantiles and mean of one coverage quantity data[scenario][replication] (cells 1); with a
 * reference (another scheme's values of the same replications), the paired differences from it. */
static int coverage_summary(cc_replicated_summary *out, const double *data, const double *reference, int nscenarios,
                            int replications, int threads)
{
    memset(out, 0, sizeof *out);
    size_t n = (size_t)nscenarios;
    int ok = (out->quantiles = malloc(n * CC_QUANTILES * sizeof(double))) && (out->mean = malloc(n * sizeof(double))) &&
             cc_stats_quantiles(data, nscenarios, replications, 1, out->quantiles, threads) == 0;
    if (ok)
        cc_stats_means(data, nscenarios, replications, 1, out->mean);
    if (ok && reference)
        ok = (out->diff_quantiles = malloc(n * CC_QUANTILES * sizeof(double))) &&
             (out->diff_ci = malloc(n * 3 * sizeof(double))) &&
             cc_stats_paired_differences(reference, data, nscenarios, replications, 1, out->diff_quantiles,
                                         out->diff_ci, threads) == 0;
    return ok ? 0 : CC_ERR_NOMEM;
}

/* Coverage: per year metric, per scheme metric (with differences from the first scheme) and
 * the per-doctor means over the coverage replications. */
static int coverage_summaries(cc_summaries *s, const cc_results *r, int threads)
{
    const cc_results_coverage *c = &r->coverage;
    int reps = c->replications, nsc = r->nscenarios;
    size_t per_year = (size_t)nsc * reps, per_metric = (size_t)c->nyears * c->nschemes;
    s->coverage_years = c->nyears;
    s->coverage_schemes = c->nschemes;
    s->max_doctors = c->max_doctors;
    s->coverage_year = calloc((size_t)CC_COV_METRICS * c->nyears, sizeof *s->coverage_year);
    s->coverage_scheme = calloc(CC_SCH_METRICS * per_metric, sizeof *s->coverage_scheme);
    s->coverage_doctor_mean = malloc(CC_DOC_METRICS * per_metric * nsc * c->max_doctors * sizeof(double) + 1);
    if (!s->coverage_year || !s->coverage_scheme || !s->coverage_doctor_mean)
        return CC_ERR_NOMEM;
    for (int m = 0; m < CC_COV_METRICS; m++)
        for (int y = 0; y < c->nyears; y++)
            if (coverage_summary(&s->coverage_year[(size_t)m * c->nyears + y], c->year[m] + y * per_year, NULL, nsc,
                                 reps, threads) != 0)
                return CC_ERR_NOMEM;
    for (int m = 0; m < CC_SCH_METRICS; m++)
        for (size_t i = 0; i < per_metric; i++) { /* i: year * nschemes + scheme */
            const double *values = c->scheme_values[m] + i * per_year;
            const double *first = c->scheme_values[m] + (i - i % c->nschemes) * per_year;
            if (coverage_summary(&s->coverage_scheme[m * per_metric + i], values, i % c->nschemes ? first : NULL, nsc,
                                 reps, threads) != 0)
                return CC_ERR_NOMEM;
        }
    size_t doctors = per_year * c->max_doctors;
    for (int m = 0; m < CC_DOC_METRICS; m++)
        for (size_t i = 0; i < per_metric; i++)
            cc_stats_means(c->doctor[m] + i * doctors, nsc, reps, (size_t)c->max_doctors,
                           s->coverage_doctor_mean + (m * per_metric + i) * nsc * c->max_doctors);
    return 0;
}

static void coverage_summaries_free(cc_summaries *s)
{
    for (size_t i = 0; s->coverage_year && i < (size_t)CC_COV_METRICS * s->coverage_years; i++)
        cc_replicated_summary_free(&s->coverage_year[i]);
    for (size_t i = 0; s->coverage_scheme && i < (size_t)CC_SCH_METRICS * s->coverage_years * s->coverage_schemes; i++)
        cc_replicated_summary_free(&s->coverage_scheme[i]);
    free(s->coverage_year);
    free(s->coverage_scheme);
    free(s->coverage_doctor_mean);
}

int cc_summaries_compute(cc_summaries *s, const cc_results *r, int threads)
{
    memset(s, 0, sizeof *s);
    s->nscenarios = r->nscenarios;
    s->replications = r->replications;
    s->years = r->years;
    int ret = 0;
    for (int id = 0; ret == 0 && id < CC_SERIES_COUNT; id++)
        ret = summary_of(&s->series[id], r, r->series[id], (size_t)r->years * CC_SEX_AXIS, threads);
    size_t cells = (size_t)r->nscenarios * r->years * CC_SEX_AXIS * CC_AGES;
    if (ret == 0 && !(s->age_sd = malloc(cells * sizeof *s->age_sd)))
        ret = CC_ERR_NOMEM;
    for (size_t i = 0; ret == 0 && i < cells; i++)
        s->age_sd[i] = r->replications > 1 ? sqrt(r->age_m2[i] / (r->replications - 1)) : 0.0;
    if (ret == 0 && r->has_demand)
        ret = demand_summaries(s, r, threads);
    if (ret == 0 && r->coverage.enabled)
        ret = coverage_summaries(s, r, threads);
    if (ret != 0)
        cc_summaries_free(s);
    return ret;
}

void cc_summaries_free(cc_summaries *s)
{
    coverage_summaries_free(s);
    for (int id = 0; id < CC_SERIES_COUNT; id++)
        cc_replicated_summary_free(&s->series[id]);
    for (int d = 0; d < CC_DEMAND_SERIES; d++) {
        cc_replicated_summary_free(&s->demand[d]);
        cc_replicated_summary_free(&s->demand_expected[d]);
        free(s->peak_year[d]);
        free(s->peak_year_share[d]);
    }
    cc_replicated_summary_free(&s->visits_per_clinic_summary);
    free(s->age_sd);
    free(s->capacity);
    free(s->exceedance_probability);
    free(s->first_exceedance_year);
    free(s->first_exceedance_share);
    free(s->never_exceeded_share);
    memset(s, 0, sizeof *s);
}
