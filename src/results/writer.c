/* Writing cc_results to HDF5 in the fixed layout (README, "The results file"), readable by
 * HDF5 and netCDF-4 clients alike:
 * - the shared axes (scenario, replication, quantile, year, sex, age, age_band, bound,
 *   setting) are dimension scales in the ROOT group, because netCDF-4 sees a dimension only
 *   in the group that defines it and in that group's subgroups; /axes/<name> are hard links to
 *   the same objects, for readers of the first layout;
 * - every dimension of every dataset has a scale: a shared axis, or a scale beside the data
 *   for per-scenario vectors (Lee-Carter age groups and fit years, calibration years, the
 *   provenance lists), whose lengths may differ between scenarios;
 * - every dataset carries `units` ("1" when dimensionless), `long_name` (the quantity) and
 *   `description`, and is chunked and compressed. The file does not claim CF conventions.
 * Atomic: the file is written under a temporary name in the target folder, flushed, and
 * renamed over the target only when complete; on any failure the temporary file is removed
 * and the target is untouched. All HDF5 calls happen on the calling thread. */
#include <errno.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carecast/carecast.h"
#include "carecast/results.h"

#define TRY(expr)                                                                          \
    do {                                                                                   \
        if ((expr) < 0) {                                                                  \
            ret = cc_error_set(err, CC_ERR_HDF5, path, 0, NULL, "HDF5 call failed: %s", #expr); \
            goto out;                                                                      \
        }                                                                                  \
    } while (0)

enum { AX_SCENARIO, AX_REPLICATION, AX_QUANTILE, AX_YEAR, AX_SEX, AX_AGE, AX_AGE_BAND, AX_BOUND, AX_SETTING,
       AX_COUNT };

/* The shared axes: name (of the root dataset, the /axes link and the dimension label), units,
 * long_name, description. */
static const struct {
    const char *name, *units, *long_name, *description;
} axis_info[AX_COUNT] = {
    {"scenario", "1", "Scenario", "Scenario (or region of a batch)"},
    {"replication", "1", "Replication", "Replication number (random streams are keyed by it)"},
    {"quantile", "1", "Quantile level", "Quantile level over replications"},
    {"year", "year", "Calendar year", "Calendar year (stocks at the base date's day; flows over the year from it)"},
    {"sex", "1", "Sex", "Sex; total is both sexes"},
    {"age", "years", "Age", "Age in completed years; 100 is the open group 100+"},
    {"age_band", "1", "Age band", "Age bands of demand results"},
    {"bound", "1", "Bound of a 95% interval", "Lower end, mean and upper end of a 95% interval"},
    {"setting", "1", "Care setting", "Care settings with their own rate table and drawn parameters"},
};

/* Long names of the demand series (the quantity, as a reader would label an axis). */
static const char *const demand_long_name[CC_DEMAND_SERIES] = {
    "Inpatients on a day", "Outpatient visits per weekday", "Enrolled home-care patients",
    "Urgent house calls per month", "Hospital beds needed",
};

typedef struct {
    hid_t file;
    hid_t axes[AX_COUNT];
    const char *path; /* for messages */
} writer;

static int set_string_attr(hid_t obj, const char *name, const char *value)
{
    hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate(H5S_SCALAR), attr = -1;
    int ok = type >= 0 && space >= 0 && H5Tset_size(type, H5T_VARIABLE) >= 0 &&
             H5Tset_cset(type, H5T_CSET_UTF8) >= 0 &&
             (attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
             H5Awrite(attr, type, &value) >= 0;
    if (attr >= 0) H5Aclose(attr);
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    return ok ? 0 : -1;
}

static int set_long_attr(hid_t obj, const char *name, long long value)
{
    hid_t space = H5Screate(H5S_SCALAR), attr = -1;
    int ok = space >= 0 && (attr = H5Acreate2(obj, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
             H5Awrite(attr, H5T_NATIVE_LLONG, &value) >= 0;
    if (attr >= 0) H5Aclose(attr);
    if (space >= 0) H5Sclose(space);
    return ok ? 0 : -1;
}

static int set_double_attr(hid_t obj, const char *name, double value)
{
    hid_t space = H5Screate(H5S_SCALAR), attr = -1;
    int ok = space >= 0 && (attr = H5Acreate2(obj, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
             H5Awrite(attr, H5T_NATIVE_DOUBLE, &value) >= 0;
    if (attr >= 0) H5Aclose(attr);
    if (space >= 0) H5Sclose(space);
    return ok ? 0 : -1;
}

/* What a dataset holds, as written to its attributes. */
typedef struct {
    const char *units, *long_name, *description;
} meta;

/* A chunked, compressed dataset with units, long_name and description. Returns it or -1. */
static hid_t create_dataset(hid_t loc, const char *name, hid_t file_type, int rank, const hsize_t *dims,
                            const meta *m)
{
    hsize_t chunk[8];
    hsize_t elements = 1;
    for (int i = rank - 1; i >= 0; i--) { /* whole rows; cap a chunk near 256k elements */
        chunk[i] = dims[i] > 0 ? dims[i] : 1;
        if (elements * chunk[i] > 262144)
            chunk[i] = 262144 / elements > 0 ? 262144 / elements : 1;
        elements *= chunk[i];
    }
    hid_t space = H5Screate_simple(rank, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE), dset = -1;
    if (space >= 0 && dcpl >= 0 && H5Pset_chunk(dcpl, rank, chunk) >= 0 && H5Pset_shuffle(dcpl) >= 0 &&
        H5Pset_deflate(dcpl, 1) >= 0)
        dset = H5Dcreate2(loc, name, file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (dset >= 0 && (set_string_attr(dset, "units", m->units) < 0 ||
                      set_string_attr(dset, "long_name", m->long_name) < 0 ||
                      set_string_attr(dset, "description", m->description) < 0)) {
        H5Dclose(dset);
        dset = -1;
    }
    if (dcpl >= 0) H5Pclose(dcpl);
    if (space >= 0) H5Sclose(space);
    return dset;
}

/* Attach scale to dimension dim of dset, labelled with the dimension's name. */
static int attach(hid_t dset, unsigned dim, hid_t scale, const char *label)
{
    return H5DSattach_scale(dset, scale, dim) < 0 || H5DSset_label(dset, dim, label) < 0 ? -1 : 0;
}

/* Attach the shared axes as dimension scales. */
static int attach_scales(writer *w, hid_t dset, int rank, const int *axes)
{
    for (int i = 0; i < rank; i++)
        if (attach(dset, (unsigned)i, w->axes[axes[i]], axis_info[axes[i]].name) < 0)
            return -1;
    return 0;
}

/* A dataset over the given shared axes, with their dimension scales attached. */
static int write_array(writer *w, hid_t loc, const char *name, int rank, const int *axes, const hsize_t *dims,
                       hid_t file_type, hid_t mem_type, const void *data, const meta *m)
{
    hid_t dset = create_dataset(loc, name, file_type, rank, dims, m);
    int ok = dset >= 0 && H5Dwrite(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0 &&
             attach_scales(w, dset, rank, axes) == 0;
    if (dset >= 0) H5Dclose(dset);
    return ok ? 0 : -1;
}

static int write_doubles(writer *w, hid_t loc, const char *name, int rank, const int *axes, const hsize_t *dims,
                         const double *data, const meta *m)
{
    return write_array(w, loc, name, rank, axes, dims, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, data, m);
}

static int write_int_rows(writer *w, hid_t loc, const char *name, int rank, const int *axes, const hsize_t *dims,
                          const int *data, const meta *m)
{
    return write_array(w, loc, name, rank, axes, dims, H5T_STD_I32LE, H5T_NATIVE_INT, data, m);
}

/* A 1-D dataset of UTF-8 variable-length strings. Returns the open dataset or -1. */
static hid_t write_strings(hid_t loc, const char *name, int n, const char *const *values, const meta *m)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    hsize_t dims[1] = {(hsize_t)n};
    hid_t dset = -1;
    if (type >= 0 && H5Tset_size(type, H5T_VARIABLE) >= 0 && H5Tset_cset(type, H5T_CSET_UTF8) >= 0)
        dset = create_dataset(loc, name, type, 1, dims, m);
    if (dset >= 0 && n > 0 && H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0) {
        H5Dclose(dset);
        dset = -1;
    }
    if (type >= 0) H5Tclose(type);
    return dset;
}

/* A 1-D dataset of doubles or (ints != NULL) ints. Returns the open dataset or -1. */
static hid_t write_vector(hid_t loc, const char *name, int n, const double *values, const int *ints, const meta *m)
{
    hsize_t dims[1] = {(hsize_t)(n > 0 ? n : 0)};
    hid_t dset = create_dataset(loc, name, ints ? H5T_STD_I32LE : H5T_IEEE_F64LE, 1, dims, m);
    if (dset >= 0 && n > 0 &&
        H5Dwrite(dset, ints ? H5T_NATIVE_INT : H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                 ints ? (const void *)ints : (const void *)values) < 0) {
        H5Dclose(dset);
        dset = -1;
    }
    return dset;
}

/* Close a dataset written by one of the helpers above; -1 if it failed or does not close. */
static int done(hid_t dset)
{
    return dset >= 0 && H5Dclose(dset) >= 0 ? 0 : -1;
}

/* A 1-D dataset attached to a scale that sits beside it. */
static int write_on_scale(hid_t dset, hid_t scale, const char *label)
{
    int ok = dset >= 0 && attach(dset, 0, scale, label) == 0;
    return done(dset) == 0 && ok ? 0 : -1;
}

/* The shared axes in the root group, hard-linked as /axes/<name>. */
static int write_axes(writer *w, const cc_results *r)
{
    int n = r->replications > r->years ? r->replications : r->years;
    int *ints = malloc((size_t)(n > CC_AGES ? n : CC_AGES) * sizeof *ints);
    static const char *const sexes[CC_SEX_AXIS] = {"male", "female", "total"};
    static const char *const bands[CC_AGE_BANDS] = {"0-64", "65-74", "75-84", "85+", "total"};
    static const char *const bounds[3] = {"lower", "mean", "upper"};
    const char *settings[CC_RATE_SETTINGS];
    meta m[AX_COUNT];
    for (int a = 0; a < AX_COUNT; a++)
        m[a] = (meta){axis_info[a].units, axis_info[a].long_name, axis_info[a].description};
    for (int k = 0; k < CC_RATE_SETTINGS; k++) /* inpatient, outpatient, home_care */
        settings[k] = cc_demand_series_info((cc_demand_series)k)->name;
    hid_t file = w->file;
    int ok = ints != NULL;
    if (ok) {
        w->axes[AX_SCENARIO] =
            write_strings(file, "scenario", r->nscenarios, (const char *const *)r->scenario_names, &m[AX_SCENARIO]);
        for (int i = 0; i < r->replications; i++) ints[i] = i;
        w->axes[AX_REPLICATION] = write_vector(file, "replication", r->replications, NULL, ints, &m[AX_REPLICATION]);
        w->axes[AX_QUANTILE] = write_vector(file, "quantile", CC_QUANTILES, cc_quantile_levels, NULL, &m[AX_QUANTILE]);
        for (int i = 0; i < r->years; i++) ints[i] = r->base_year + i;
        w->axes[AX_YEAR] = write_vector(file, "year", r->years, NULL, ints, &m[AX_YEAR]);
        w->axes[AX_SEX] = write_strings(file, "sex", CC_SEX_AXIS, sexes, &m[AX_SEX]);
        for (int i = 0; i < CC_AGES; i++) ints[i] = i;
        w->axes[AX_AGE] = write_vector(file, "age", CC_AGES, NULL, ints, &m[AX_AGE]);
        w->axes[AX_AGE_BAND] = write_strings(file, "age_band", CC_AGE_BANDS, bands, &m[AX_AGE_BAND]);
        w->axes[AX_BOUND] = write_strings(file, "bound", 3, bounds, &m[AX_BOUND]);
        w->axes[AX_SETTING] = write_strings(file, "setting", CC_RATE_SETTINGS, settings, &m[AX_SETTING]);
    }
    free(ints);
    hid_t group = ok ? H5Gcreate2(file, "axes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
    ok = ok && group >= 0 &&
         set_string_attr(group, "description", "The dimension scales of the root group, hard-linked here "
                                               "(the same datasets under a second name)") >= 0;
    for (int a = 0; ok && a < AX_COUNT; a++)
        ok = w->axes[a] >= 0 && H5DSset_scale(w->axes[a], axis_info[a].name) >= 0 &&
             H5Lcreate_hard(file, axis_info[a].name, group, axis_info[a].name, H5P_DEFAULT, H5P_DEFAULT) >= 0;
    if (group >= 0) H5Gclose(group);
    return ok ? 0 : -1;
}

static int write_fitted(writer *w, hid_t pop, const cc_results *r, const cc_scenario *scenarios);

/* "<quantity>, <what>" into buf. */
static const char *long_name(char *buf, size_t size, const char *quantity, const char *what)
{
    snprintf(buf, size, "%s, %s", quantity, what);
    return buf;
}

/* A group `name` holding a replicated quantity data[scenario][replication][cells], the cells
 * spanning `ntrail` trailing axes: replications, quantiles, mean and, with several scenarios,
 * difference/{quantiles, mean_ci, mean_ci_unpaired} against the first scenario. The quantity
 * (m->long_name) is what each dataset's long_name starts with. */
static int write_replicated(writer *w, hid_t loc, const cc_results *r, const char *name, const double *data,
                            int ntrail, const int *trail_axes, const hsize_t *trail_dims, const meta *m)
{
    size_t cells = 1;
    int axes[6];
    hsize_t dims[6];
    for (int i = 0; i < ntrail; i++) {
        cells *= trail_dims[i];
        axes[2 + i] = trail_axes[i];
        dims[2 + i] = trail_dims[i];
    }
    char ln[256];
    const char *q = m->long_name, *units = m->units;
    size_t per_scenario = CC_QUANTILES * cells;
    double *buf = malloc((size_t)r->nscenarios * per_scenario * sizeof *buf);
    double *ci = malloc((size_t)r->nscenarios * 3 * cells * sizeof *ci);
    double *ci_unpaired = malloc((size_t)r->nscenarios * 3 * cells * sizeof *ci_unpaired);
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int ok = buf && ci && ci_unpaired && g >= 0 && set_string_attr(g, "description", m->description) >= 0;
    axes[0] = AX_SCENARIO; dims[0] = r->nscenarios;
    axes[1] = AX_REPLICATION; dims[1] = r->replications;
    ok = ok && write_doubles(w, g, "replications", 2 + ntrail, axes, dims, data,
                             &(meta){units, long_name(ln, sizeof ln, q, "every replication"),
                                     "Value in every replication"}) >= 0;
    axes[1] = AX_QUANTILE; dims[1] = CC_QUANTILES;
    ok = ok && cc_stats_quantiles(data, r->nscenarios, r->replications, cells, buf, r->threads) == 0 &&
         write_doubles(w, g, "quantiles", 2 + ntrail, axes, dims, buf,
                       &(meta){units, long_name(ln, sizeof ln, q, "quantiles over replications"),
                               "Quantiles over replications (linear interpolation between order statistics)"}) >= 0;
    if (ok)
        cc_stats_means(data, r->nscenarios, r->replications, cells, buf);
    int mean_axes[6] = {AX_SCENARIO};
    hsize_t mean_dims[6] = {(hsize_t)r->nscenarios};
    memcpy(mean_axes + 1, axes + 2, ntrail * sizeof *axes);
    memcpy(mean_dims + 1, dims + 2, ntrail * sizeof *dims);
    ok = ok && write_doubles(w, g, "mean", 1 + ntrail, mean_axes, mean_dims, buf,
                             &(meta){units, long_name(ln, sizeof ln, q, "mean over replications"),
                                     "Mean over replications"}) >= 0;
    if (ok && r->nscenarios > 1) {
        hid_t d = H5Gcreate2(g, "difference", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        ok = d >= 0 && set_string_attr(d, "description",
                                       "Each scenario minus the first, replication by replication (common random "
                                       "numbers: the same streams for the same purposes)") >= 0 &&
             cc_stats_differences(data, r->nscenarios, r->replications, cells, buf, ci, ci_unpaired, r->threads) == 0 &&
             write_doubles(w, d, "quantiles", 2 + ntrail, axes, dims, buf,
                           &(meta){units,
                                   long_name(ln, sizeof ln, q,
                                             "difference from the first scenario, quantiles over replications"),
                                   "Quantiles of the per-replication differences from the first scenario"}) >= 0;
        axes[1] = AX_BOUND; dims[1] = 3;
        ok = ok && write_doubles(w, d, "mean_ci", 2 + ntrail, axes, dims, ci,
                                 &(meta){units,
                                         long_name(ln, sizeof ln, q,
                                                   "mean difference from the first scenario with its paired 95% interval"),
                                         "Mean difference from the first scenario with its paired 95% interval "
                                         "(index 1: lower, mean, upper; t on the per-replication differences)"}) >= 0 &&
             write_doubles(w, d, "mean_ci_unpaired", 2 + ntrail, axes, dims, ci_unpaired,
                           &(meta){units,
                                   long_name(ln, sizeof ln, q,
                                             "mean difference from the first scenario with its unpaired (Welch) 95% "
                                             "interval"),
                                   "The same interval as if the runs were independent (Welch), for comparison"}) >= 0;
        if (d >= 0) H5Gclose(d);
    }
    if (g >= 0) H5Gclose(g);
    free(buf);
    free(ci);
    free(ci_unpaired);
    return ok ? 0 : -1;
}

static int write_population(writer *w, const cc_results *r, const cc_scenario *scenarios)
{
    hid_t pop = H5Gcreate2(w->file, "population", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (pop < 0)
        return -1;
    int ok = set_string_attr(pop, "description", "Population projection: headline series and age structure") >= 0;
    int trail_axes[2] = {AX_YEAR, AX_SEX};
    hsize_t trail_dims[2] = {(hsize_t)r->years, CC_SEX_AXIS};
    for (int id = 0; ok && id < CC_SERIES_COUNT; id++) {
        const cc_series_info *info = cc_series(id);
        ok = write_replicated(w, pop, r, info->name, r->series[id], 2, trail_axes, trail_dims,
                              &(meta){info->units, info->long_name, info->description}) == 0;
    }
    hid_t g = ok ? H5Gcreate2(pop, "by_age", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
    int a_axes[4] = {AX_SCENARIO, AX_YEAR, AX_SEX, AX_AGE};
    hsize_t a_dims[4] = {r->nscenarios, r->years, CC_SEX_AXIS, CC_AGES};
    ok = ok && g >= 0 && set_string_attr(g, "description", "Population by single year of age (100 = 100+)") >= 0 &&
         write_doubles(w, g, "mean", 4, a_axes, a_dims, r->age_mean,
                       &(meta){"persons", "Population by single year of age, mean over replications",
                               "Mean over replications"}) >= 0 &&
         write_doubles(w, g, "sd", 4, a_axes, a_dims, r->age_sd,
                       &(meta){"persons", "Population by single year of age, standard deviation over replications",
                               "Standard deviation over replications (n - 1 denominator)"}) >= 0;
    if (g >= 0) H5Gclose(g);
    ok = ok && write_fitted(w, pop, r, scenarios) == 0;
    H5Gclose(pop);
    return ok ? 0 : -1;
}

/* The Lee-Carter fit of one scenario. Its age groups and fit years are scales beside it
 * (age_group: labels "0-4" ... "100+"; fit_years), so their lengths may differ by scenario. */
static int write_lee_carter(hid_t loc, const cc_scenario *s, const cc_population_model *m)
{
    static const char *const sexes[CC_SEXES] = {"male", "female"};
    hid_t lc = H5Gcreate2(loc, "lee_carter", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (lc < 0)
        return -1;
    int lo[CC_AGES], hi[CC_AGES];
    char labels[CC_AGES][16];
    const char *label[CC_AGES];
    for (int g = 0; g < s->population.history_groups; g++) {
        lo[g] = s->population.history_group[g].lo;
        hi[g] = s->population.history_group[g].hi;
        if (hi[g] == CC_AGE_OPEN_END)
            snprintf(labels[g], sizeof labels[g], "%d+", lo[g]);
        else
            snprintf(labels[g], sizeof labels[g], "%d-%d", lo[g], hi[g]);
        label[g] = labels[g];
    }
    hid_t groups = write_strings(lc, "age_group", s->population.history_groups, label,
                                 &(meta){"1", "Age group of the mortality history", "Age groups of the fit"});
    hid_t years = write_vector(lc, "fit_years", s->population.history_years, NULL, s->population.history_year,
                               &(meta){"year", "Year of the mortality history", "Years in the fit"});
    int ok = groups >= 0 && years >= 0 && H5DSset_scale(groups, "age_group") >= 0 &&
             H5DSset_scale(years, "fit_years") >= 0 &&
             set_string_attr(lc, "description",
                             "Lee-Carter fit log m(x,t) = a(x) + b(x) k(t) to the mortality history (SVD; sum b = 1, "
                             "sum k = 0); projection: m(x,y) = m_base(x) exp(b(x) k(y)), k(base year) = 0, "
                             "k a random walk with drift_used and sigma_used") >= 0 &&
             write_on_scale(write_vector(lc, "group_age_lo", s->population.history_groups, NULL, lo,
                                         &(meta){"years", "First age of the age group", "First age of each group"}),
                            groups, "age_group") == 0 &&
             write_on_scale(write_vector(lc, "group_age_hi", s->population.history_groups, NULL, hi,
                                         &(meta){"years", "Last age of the age group",
                                                 "Last age of each group (-1: open)"}),
                            groups, "age_group") == 0;
    for (int sex = 0; ok && sex < CC_SEXES; sex++) {
        const cc_lee_carter *f = &m->fit[sex];
        hid_t g = H5Gcreate2(lc, sexes[sex], H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        ok = g >= 0 &&
             write_on_scale(write_vector(g, "ax", f->ngroups, f->ax, NULL,
                                         &(meta){"log(deaths per person-year)", "Lee-Carter a(x)",
                                                 "Mean log death rate by group"}),
                            groups, "age_group") == 0 &&
             write_on_scale(write_vector(g, "bx", f->ngroups, f->bx, NULL,
                                         &(meta){"1", "Lee-Carter b(x)", "Age response to the period index (sums to 1)"}),
                            groups, "age_group") == 0 &&
             write_on_scale(write_vector(g, "kt", f->nyears, f->kt, NULL,
                                         &(meta){"1", "Lee-Carter k(t)", "Fitted period index by fit year (sums to 0)"}),
                            years, "fit_years") == 0 &&
             set_double_attr(g, "drift_fitted", f->drift) >= 0 && set_double_attr(g, "sigma_fitted", f->sigma) >= 0 &&
             set_double_attr(g, "drift_used", m->drift[sex]) >= 0 && set_double_attr(g, "sigma_used", m->sigma[sex]) >= 0 &&
             set_double_attr(g, "explained_variance", f->explained) >= 0 &&
             set_double_attr(g, "max_abs_log_error", f->max_abs_log_error) >= 0;
        if (g >= 0) H5Gclose(g);
    }
    ok = done(groups) == 0 && ok;
    ok = done(years) == 0 && ok;
    H5Gclose(lc);
    return ok ? 0 : -1;
}

/* What each scenario's model fitted or calibrated: /population/fitted/<scenario>/... */
static int write_fitted(writer *w, hid_t pop, const cc_results *r, const cc_scenario *scenarios)
{
    hid_t fitted = H5Gcreate2(pop, "fitted", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int ok = fitted >= 0 && set_string_attr(fitted, "description",
                                             "Parameters the model fitted or calibrated, per scenario") >= 0;
    for (int sc = 0; ok && sc < r->nscenarios; sc++) {
        const cc_scenario *s = &scenarios[sc];
        const cc_population_model *m = &r->models[sc];
        hid_t g = H5Gcreate2(fitted, s->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        int year_axis[1] = {AX_YEAR};
        hsize_t dims[1] = {(hsize_t)r->years};
        double *level = malloc((size_t)r->years * sizeof *level);
        ok = g >= 0 && level;
        for (int y = 0; ok && y < r->years; y++)
            level[y] = m->has_schedule ? m->level[y] : 0.0;
        hid_t target_year = -1;
        ok = ok && write_doubles(w, g, "migration_level", 1, year_axis, dims, level,
                                 &(meta){"persons/year", "Expected net migration of the migration schedule",
                                         "Expected net migrants per year (both sexes) of the migration schedule; "
                                         "calibrated per period when the scenario gives official totals"}) >= 0 &&
             (target_year = write_vector(g, "calibration_target_year", s->population.ntargets, NULL, s->population.target_year,
                                         &(meta){"year", "Year of an official population total",
                                                 "Years of the official totals the migration level was calibrated "
                                                 "to"})) >= 0 &&
             H5DSset_scale(target_year, "calibration_target_year") >= 0 &&
             write_on_scale(write_vector(g, "calibration_target_total", s->population.ntargets, s->population.target_total, NULL,
                                         &(meta){"persons", "Official population total",
                                                 "Official totals the median projection meets"}),
                            target_year, "calibration_target_year") == 0 &&
             set_double_attr(g, "base_tfr", m->base_tfr) >= 0;
        if (target_year >= 0) H5Dclose(target_year);
        for (int sex = 0; ok && sex < CC_SEXES; sex++)
            ok = set_double_attr(g, sex ? "median_e0_female_end_year" : "median_e0_male_end_year",
                                 cc_population_model_median_e0(&s->population, m, sex, s->population.end_year)) >= 0;
        if (ok && m->has_lee_carter)
            ok = write_lee_carter(g, s, m) == 0;
        free(level);
        if (g >= 0) H5Gclose(g);
    }
    if (fitted >= 0) H5Gclose(fitted);
    return ok ? 0 : -1;
}

/* Peak year of a demand series per replication, and its distribution. */
static int write_peak_years(writer *w, const cc_results *r, cc_demand_series id)
{
    int *years = malloc((size_t)r->nscenarios * r->replications * sizeof *years);
    double *share = malloc((size_t)r->nscenarios * r->years * sizeof *share);
    hid_t g = H5Gopen2(w->file, "demand", H5P_DEFAULT), sg = -1;
    int ok = years && share && g >= 0 && (sg = H5Gopen2(g, cc_demand_series_info(id)->name, H5P_DEFAULT)) >= 0;
    if (ok)
        cc_results_peak_years(r, id, years, share);
    char ln[256];
    int rep_axes[2] = {AX_SCENARIO, AX_REPLICATION}, year_axes[2] = {AX_SCENARIO, AX_YEAR};
    hsize_t rep_dims[2] = {r->nscenarios, r->replications}, year_dims[2] = {r->nscenarios, r->years};
    ok = ok &&
         write_int_rows(w, sg, "peak_year", 2, rep_axes, rep_dims, years,
                        &(meta){"year", long_name(ln, sizeof ln, demand_long_name[id], "year of the expected peak"),
                                "Year of the highest expected total (both sexes, all ages) within the run, per "
                                "replication"}) >= 0 &&
         write_doubles(w, sg, "peak_year_share", 2, year_axes, year_dims, share,
                       &(meta){"1", long_name(ln, sizeof ln, demand_long_name[id], "share of replications peaking in the year"),
                               "Share of replications whose total peaks in each year (a peak in the last year may "
                               "lie beyond the run)"}) >= 0;
    if (sg >= 0) H5Gclose(sg);
    if (g >= 0) H5Gclose(g);
    free(years);
    free(share);
    return ok ? 0 : -1;
}

static int write_beds(writer *w, hid_t demand, const cc_results *r, const cc_scenario *scenarios)
{
    double *capacity = malloc(r->nscenarios * sizeof *capacity), *never = malloc(r->nscenarios * sizeof *never);
    double *probability = malloc((size_t)r->nscenarios * r->years * sizeof(double));
    double *first_share = malloc((size_t)r->nscenarios * r->years * sizeof(double));
    int *first = malloc((size_t)r->nscenarios * r->replications * sizeof *first);
    hid_t g = H5Gopen2(demand, "beds_needed", H5P_DEFAULT);
    int ok = capacity && never && probability && first_share && first && g >= 0, any = 0;
    for (int sc = 0; ok && sc < r->nscenarios; sc++) {
        capacity[sc] = scenarios[sc].demand.bed_capacity > 0 ? scenarios[sc].demand.bed_capacity : 0;
        any |= capacity[sc] > 0;
    }
    int sc_axis[1] = {AX_SCENARIO}, rep_axes[2] = {AX_SCENARIO, AX_REPLICATION}, year_axes[2] = {AX_SCENARIO, AX_YEAR};
    hsize_t sc_dims[1] = {r->nscenarios}, rep_dims[2] = {r->nscenarios, r->replications},
            year_dims[2] = {r->nscenarios, r->years};
    if (ok && any) {
        cc_results_exceedance(r, capacity, probability, first, first_share, never);
        ok = write_doubles(w, g, "capacity", 1, sc_axis, sc_dims, capacity,
                           &(meta){"beds", "Hospital bed capacity",
                                   "Bed capacity given by each scenario (0: none given; its rows below are "
                                   "meaningless)"}) >= 0 &&
             write_doubles(w, g, "exceedance_probability", 2, year_axes, year_dims, probability,
                           &(meta){"1", "Probability that expected beds needed exceed the capacity",
                                   "Probability that expected beds needed exceed the capacity, per year"}) >= 0 &&
             write_int_rows(w, g, "first_exceedance_year", 2, rep_axes, rep_dims, first,
                            &(meta){"year", "First year expected beds needed exceed the capacity",
                                    "First year expected beds needed exceed the capacity, per replication (0: not "
                                    "within the run)"}) >= 0 &&
             write_doubles(w, g, "first_exceedance_share", 2, year_axes, year_dims, first_share,
                           &(meta){"1", "Share of replications first exceeding the bed capacity in the year",
                                   "Distribution of the first exceedance year over replications"}) >= 0 &&
             write_doubles(w, g, "never_exceeded_share", 1, sc_axis, sc_dims, never,
                           &(meta){"1", "Share of replications never exceeding the bed capacity",
                                   "Share of replications whose expected beds needed never exceed the capacity within "
                                   "the run"}) >= 0;
    }
    if (g >= 0) H5Gclose(g);
    free(capacity); free(never); free(probability); free(first_share); free(first);
    return ok ? 0 : -1;
}

static int write_demand(writer *w, const cc_results *r, const cc_scenario *scenarios)
{
    hid_t g = H5Gcreate2(w->file, "demand", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int ok = g >= 0 && set_string_attr(g, "description",
                                        "Demand for hospital, outpatient and home medical care by sex and age band") >= 0;
    int trail_axes[3] = {AX_YEAR, AX_SEX, AX_AGE_BAND};
    hsize_t trail_dims[3] = {(hsize_t)r->years, CC_SEX_AXIS, CC_AGE_BANDS};
    char ln[256];
    for (int d = 0; ok && d < CC_DEMAND_SERIES; d++) {
        const cc_demand_info *info = cc_demand_series_info(d);
        ok = write_replicated(w, g, r, info->name, r->demand[d], 3, trail_axes, trail_dims,
                              &(meta){info->units, demand_long_name[d], info->description}) == 0;
        hid_t sg = ok ? H5Gopen2(g, info->name, H5P_DEFAULT) : -1;
        ok = ok && sg >= 0 &&
             write_replicated(w, sg, r, "expected_total", r->demand_expected[d], 1, trail_axes, trail_dims,
                              &(meta){info->units,
                                      long_name(ln, sizeof ln, demand_long_name[d],
                                                "expected (both sexes, all ages)"),
                                      "Expected demand of each replication, both sexes, all ages: its parameters and "
                                      "population, without the Poisson noise of one day (peak years and bed "
                                      "exceedance use it)"}) == 0;
        if (sg >= 0) H5Gclose(sg);
    }
    /* outpatient visits per clinic per weekday (totals) */
    size_t rows = (size_t)r->nscenarios * r->replications;
    double *per_clinic = malloc(rows * r->years * sizeof *per_clinic);
    ok = ok && per_clinic;
    for (size_t i = 0; ok && i < rows; i++)
        for (int y = 0; y < r->years; y++)
            per_clinic[i * r->years + y] =
                r->demand[CC_DEMAND_OUTPATIENT][cc_results_demand_index(r, (int)(i / r->replications),
                                                                        (int)(i % r->replications), y, 2, 4)] /
                scenarios[i / r->replications].demand.clinics;
    hid_t out = ok ? H5Gopen2(g, "outpatient", H5P_DEFAULT) : -1;
    int year_axis[1] = {AX_YEAR};
    hsize_t year_dim[1] = {(hsize_t)r->years};
    ok = ok && out >= 0 &&
         write_replicated(w, out, r, "visits_per_clinic", per_clinic, 1, year_axis, year_dim,
                          &(meta){"visits/clinic/weekday", "Outpatient visits per clinic per weekday",
                                  "All outpatient visits per weekday (hospital outpatient departments included, as "
                                  "in the Patient Survey rates) divided by [demand] clinics: an upper bound of a "
                                  "clinic's share"}) == 0;
    if (out >= 0) H5Gclose(out);
    free(per_clinic);
    /* what each replication drew */
    hid_t p = ok ? H5Gcreate2(g, "parameters", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
    double *values = malloc(rows * CC_RATE_SETTINGS * sizeof *values);
    ok = ok && p >= 0 && values;
    int axes[3] = {AX_SCENARIO, AX_REPLICATION, AX_SETTING};
    hsize_t dims[3] = {r->nscenarios, r->replications, CC_RATE_SETTINGS};
    static const meta drawn[2] = {
        {"1", "Rate-level multiplier drawn per replication",
         "Rate-level multiplier drawn per replication (index 2: inpatient, outpatient, home care)"},
        {"per year", "Annual relative change of the rates drawn per replication",
         "Annual relative change of the rates drawn per replication (index 2: inpatient, outpatient, home care)"},
    };
    for (int which = 0; ok && which < 2; which++) {
        for (size_t i = 0; i < rows * CC_RATE_SETTINGS; i++)
            values[i] = r->demand_draws[2 * i + which];
        ok = write_doubles(w, p, which ? "rate_trend" : "rate_multiplier", 3, axes, dims, values, &drawn[which]) >= 0;
    }
    free(values);
    if (p >= 0) H5Gclose(p);
    ok = ok && write_beds(w, g, r, scenarios) == 0;
    if (g >= 0) H5Gclose(g);
    ok = ok && write_peak_years(w, r, CC_DEMAND_OUTPATIENT) == 0 && write_peak_years(w, r, CC_DEMAND_INPATIENT) == 0;
    return ok ? 0 : -1;
}

/* Lines "section.key = value  ; origin" of one scenario's effective configuration. */
static char **config_lines(const cc_scenario *s)
{
    char **lines = calloc(s->nsettings, sizeof *lines);
    for (int i = 0; lines && i < s->nsettings; i++) {
        const cc_setting *st = &s->settings[i];
        size_t size = strlen(st->key->section) + strlen(st->key->name) + (st->value ? strlen(st->value) : 0) +
                      (st->origin ? strlen(st->origin) : 0) + 32;
        if ((lines[i] = malloc(size)))
            snprintf(lines[i], size, "[%s] %s = %s ; %s", st->key->section, st->key->name,
                     st->value ? st->value : "", st->origin ? st->origin : "");
    }
    return lines;
}

/* One scenario's provenance. The lists are their own dimension scales (file_paths,
 * table_paths, effective_config), with the texts and checksums on the path scales. */
static int write_scenario_provenance(hid_t group, const cc_scenario *s)
{
    hid_t g = H5Gcreate2(group, s->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return -1;
    int ok = set_string_attr(g, "scenario_file", s->path) >= 0 && set_long_attr(g, "seed", (long long)s->run.seed) >= 0 &&
             set_long_attr(g, "replications", s->run.replications) >= 0;
    const char **paths = calloc(s->nfiles + s->ntables + 1, sizeof *paths);
    const char **texts = calloc(s->nfiles + s->ntables + 1, sizeof *texts);
    char **lines = config_lines(s);
    ok = ok && paths && texts && lines;
    hid_t scale = -1;
    for (int i = 0; ok && i < s->nfiles; i++) {
        paths[i] = s->files[i].path;
        texts[i] = s->files[i].text;
    }
    ok = ok &&
         (scale = write_strings(g, "file_paths", s->nfiles, paths,
                                &(meta){"1", "Scenario file", "Scenario files read (the scenario, then its bases)"})) >= 0 &&
         H5DSset_scale(scale, "file_paths") >= 0 &&
         write_on_scale(write_strings(g, "file_texts", s->nfiles, texts,
                                      &(meta){"1", "Text of a scenario file", "Full text of each scenario file read"}),
                        scale, "file_paths") == 0;
    if (scale >= 0) H5Dclose(scale);
    scale = -1;
    ok = ok &&
         (scale = write_strings(g, "effective_config", s->nsettings, (const char *const *)lines,
                                &(meta){"1", "Effective configuration",
                                        "Every key with the value in effect and where it came from"})) >= 0 &&
         H5DSset_scale(scale, "effective_config") >= 0;
    if (scale >= 0) H5Dclose(scale);
    scale = -1;
    for (int i = 0; ok && i < s->ntables; i++) {
        paths[i] = s->tables[i].path;
        texts[i] = s->tables[i].sha256;
    }
    ok = ok &&
         (scale = write_strings(g, "table_paths", s->ntables, paths,
                                &(meta){"1", "Input table", "Input tables read"})) >= 0 &&
         H5DSset_scale(scale, "table_paths") >= 0 &&
         write_on_scale(write_strings(g, "table_sha256", s->ntables, texts,
                                      &(meta){"1", "SHA-256 of an input table", "SHA-256 of each input table"}),
                        scale, "table_paths") == 0;
    if (scale >= 0) H5Dclose(scale);
    for (int i = 0; lines && i < s->nsettings; i++)
        free(lines[i]);
    free(lines);
    free(paths);
    free(texts);
    H5Gclose(g);
    return ok ? 0 : -1;
}
static int write_provenance(writer *w, const cc_scenario *scenarios, int n, const cc_run_facts *facts)
{
    hid_t g = H5Gcreate2(w->file, "provenance", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return -1;
    char created[64], host[256] = "";
    time_t now = time(NULL);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    gethostname(host, sizeof host - 1);
    unsigned major, minor, release;
    H5get_libversion(&major, &minor, &release);
    char libs[128];
    snprintf(libs, sizeof libs, "HDF5 %u.%u.%u", major, minor, release);
    int ok = set_string_attr(g, "engine_version", CC_VERSION) >= 0 && set_string_attr(g, "libraries", libs) >= 0 &&
             set_string_attr(g, "created", created) >= 0 && set_string_attr(g, "host", host) >= 0 &&
             set_long_attr(g, "threads", facts ? facts->threads : 1) >= 0 &&
             set_long_attr(g, "ranks", facts ? facts->ranks : 1) >= 0 &&
             set_long_attr(g, "seed", (long long)scenarios[0].run.seed) >= 0 &&
             set_long_attr(g, "replications", scenarios[0].run.replications) >= 0 &&
             set_string_attr(g, "command_line", facts && facts->command_line ? facts->command_line : "") >= 0;
    hid_t sg = ok ? H5Gcreate2(g, "scenarios", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
    ok = ok && sg >= 0;
    for (int i = 0; ok && i < n; i++)
        ok = write_scenario_provenance(sg, &scenarios[i]) == 0;
    if (sg >= 0) H5Gclose(sg);
    H5Gclose(g);
    return ok ? 0 : -1;
}

int cc_results_write(const cc_results *r, const cc_scenario *scenarios, int nscenarios, const cc_run_facts *facts,
                     const char *path, cc_error *err)
{
    int ret = 0, fd = -1;
    writer w = {.file = -1, .path = path};
    for (int a = 0; a < AX_COUNT; a++)
        w.axes[a] = -1;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    size_t size = strlen(path) + 32;
    char *tmp = malloc(size), *dir_copy = strdup(path);
    if (!tmp || !dir_copy) {
        ret = cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory");
        goto out;
    }
    snprintf(tmp, size, "%s/.%s.tmp-XXXXXX", dirname(dir_copy), strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
    mode_t mask = umask(0);
    umask(mask);
    if ((fd = mkstemp(tmp)) < 0 || fchmod(fd, 0666 & ~mask) != 0) {
        ret = cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot create a file in the output folder: %s", strerror(errno));
        tmp[0] = '\0';
        goto out;
    }
    TRY(w.file = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    TRY(set_string_attr(w.file, "title", "carecast results"));
    TRY(set_string_attr(w.file, "layout", "carecast results layout 1 (README: The results file)"));
    TRY(write_axes(&w, r));
    TRY(write_population(&w, r, scenarios));
    if (r->has_demand)
        TRY(write_demand(&w, r, scenarios));
    TRY(write_provenance(&w, scenarios, nscenarios, facts));
    for (int a = 0; a < AX_COUNT; a++) {
        if (w.axes[a] >= 0) H5Dclose(w.axes[a]);
        w.axes[a] = -1;
    }
    TRY(H5Fclose(w.file));
    w.file = -1;
    if (facts && facts->interrupted && *facts->interrupted) { /* the target is left as it was */
        ret = cc_error_set(err, CC_ERR_INTERRUPTED, path, 0, NULL, "interrupted while writing; %s left unchanged", path);
        goto out;
    }
    if (fsync(fd) != 0 || rename(tmp, path) != 0) {
        ret = cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot move the finished file into place: %s", strerror(errno));
        goto out;
    }
    tmp[0] = '\0';
out:
    for (int a = 0; a < AX_COUNT; a++)
        if (w.axes[a] >= 0) H5Dclose(w.axes[a]);
    if (w.file >= 0) H5Fclose(w.file);
    if (fd >= 0) close(fd);
    if (tmp && tmp[0]) unlink(tmp);
    free(tmp);
    free(dir_copy);
    return ret;
}
