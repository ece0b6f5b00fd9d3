/* Writing a results store to HDF5 (README, "The results file"): the summaries are computed
 * (summaries.c), then every item of the layout table (layout.c) becomes one HDF5 object, then
 * /provenance is added from the scenarios and run facts. This file only writes: it neither
 * computes a value nor decides what the file holds. Every dataset is chunked and compressed
 * and carries units, long_name and description; every dimension gets its scale, labelled
 * with the axis name. The file does not claim CF conventions.
 * Atomic: the file is written under a temporary name in the target folder, flushed, and
 * renamed over the target only when complete; on any failure the temporary file is removed
 * and the target is untouched. All HDF5 calls happen on the calling thread. */
#include <errno.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "carecast/carecast.h"
#include "carecast/results_layout.h"
#include "carecast/results.h"
#include "carecast/summaries.h"

/* A dimension scale of the layout and the dimensions it is attached to: the entries of its
 * REFERENCE_LIST attribute, written once when every dataset is written (HDF5's
 * H5DSattach_scale rewrites the whole list at each attachment: quadratic in the datasets). */
typedef struct {
    hobj_ref_t dataset;
    int dimension;
} scale_user; /* as the HDF5 dimension-scale library's ds_list_t */

typedef struct {
    char *path;
    hobj_ref_t ref;
    scale_user *users;
    size_t nusers, cap;
} scale_entry;

typedef struct {
    hid_t file;
    const char *failed; /* path of the item that could not be written */
    char failed_path[512];
    scale_entry *scales;
    int nscales, scales_cap;
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

/* A scalar attribute of one of the layout's value types. */
static int set_attr(hid_t obj, const char *name, cc_value_type type, const void *value)
{
    if (type == CC_VALUE_STRING)
        return set_string_attr(obj, name, *(const char *const *)value);
    hid_t file_type = type == CC_VALUE_INT ? H5T_STD_I32LE : H5T_IEEE_F64LE;
    hid_t mem_type = type == CC_VALUE_INT ? H5T_NATIVE_INT : H5T_NATIVE_DOUBLE;
    hid_t space = H5Screate(H5S_SCALAR), attr = -1;
    int ok = space >= 0 && (attr = H5Acreate2(obj, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
             H5Awrite(attr, mem_type, value) >= 0;
    if (attr >= 0) H5Aclose(attr);
    if (space >= 0) H5Sclose(space);
    return ok ? 0 : -1;
}

/* The memory (and, for numbers, file) type of values; strings: UTF-8, variable length. */
static hid_t value_type(cc_value_type type, int in_file)
{
    if (type == CC_VALUE_STRING) {
        hid_t t = H5Tcopy(H5T_C_S1);
        if (t >= 0 && (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0)) {
            H5Tclose(t);
            t = -1;
        }
        return t;
    }
    if (type == CC_VALUE_INT)
        return H5Tcopy(in_file ? H5T_STD_I32LE : H5T_NATIVE_INT);
    return H5Tcopy(in_file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE);
}

enum { SMALL_DATASET_BYTES = 16384 };

/* A chunked, compressed dataset holding the item's values, with units, long_name and
 * description. Returns the open dataset or -1. */
static hid_t create_dataset(hid_t file, const cc_layout_item *it)
{
    hsize_t dims[CC_LAYOUT_MAX_RANK], chunk[CC_LAYOUT_MAX_RANK], elements = 1, size = 1;
    for (int i = it->rank - 1; i >= 0; i--) { /* whole rows; cap a chunk near 256k elements */
        dims[i] = it->dims[i];
        size *= dims[i];
        chunk[i] = dims[i] > 0 ? dims[i] : 1;
        if (elements * chunk[i] > 262144)
            chunk[i] = 262144 / elements > 0 ? 262144 / elements : 1;
        elements *= chunk[i];
    }
    hid_t space = H5Screate_simple(it->rank, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE), dset = -1;
    hid_t file_type = value_type(it->type, 1), mem_type = value_type(it->type, 0);
    const double fill = NAN; /* padding (a per-doctor axis): NaN, also as netCDF's _FillValue */
    /* a small dataset is contiguous: a chunk index costs more than compression saves */
    int small = size * 8 < SMALL_DATASET_BYTES;
    if (space >= 0 && dcpl >= 0 && file_type >= 0 && mem_type >= 0 &&
        (small || (H5Pset_chunk(dcpl, it->rank, chunk) >= 0 && H5Pset_shuffle(dcpl) >= 0 &&
                   H5Pset_deflate(dcpl, 1) >= 0)) &&
        (!it->fill_nan || H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill) >= 0))
        dset = H5Dcreate2(file, it->path, file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (dset >= 0 && ((it->fill_nan && set_attr(dset, "_FillValue", CC_VALUE_DOUBLE, &fill) < 0) ||
                      set_string_attr(dset, "units", it->units) < 0 ||
                      set_string_attr(dset, "long_name", it->long_name) < 0 ||
                      set_string_attr(dset, "description", it->description) < 0 ||
                      (size > 0 && H5Dwrite(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, it->data) < 0))) {
        H5Dclose(dset);
        dset = -1;
    }
    if (mem_type >= 0) H5Tclose(mem_type);
    if (file_type >= 0) H5Tclose(file_type);
    if (dcpl >= 0) H5Pclose(dcpl);
    if (space >= 0) H5Sclose(space);
    return dset;
}

/* The scale at path (created on first use: its object reference), or -1. */
static int scale_index(writer *w, const char *path)
{
    for (int i = 0; i < w->nscales; i++)
        if (strcmp(w->scales[i].path, path) == 0)
            return i;
    if (w->nscales == w->scales_cap) {
        int cap = w->scales_cap ? 2 * w->scales_cap : 32;
        scale_entry *grown = realloc(w->scales, (size_t)cap * sizeof *grown);
        if (!grown)
            return -1;
        w->scales = grown;
        w->scales_cap = cap;
    }
    scale_entry *e = &w->scales[w->nscales];
    memset(e, 0, sizeof *e);
    if (!(e->path = strdup(path)) || H5Rcreate(&e->ref, w->file, path, H5R_OBJECT, -1) < 0) {
        free(e->path);
        return -1;
    }
    return w->nscales++;
}

static int add_user(scale_entry *e, hobj_ref_t dataset, int dimension)
{
    if (e->nusers == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 64;
        scale_user *grown = realloc(e->users, cap * sizeof *grown);
        if (!grown)
            return -1;
        e->users = grown;
        e->cap = cap;
    }
    e->users[e->nusers++] = (scale_user){dataset, dimension};
    return 0;
}

/* Attach each dimension's scale, labelled with the axis name, as H5DSattach_scale and
 * H5DSset_label do: the dataset's DIMENSION_LIST (a reference to each dimension's scale) and
 * DIMENSION_LABELS now, the scales' REFERENCE_LIST entries kept for finish_scales. */
static int attach_scales(writer *w, hid_t dset, const cc_layout_item *it)
{
    hobj_ref_t self;
    hvl_t list[CC_LAYOUT_MAX_RANK];
    int index[CC_LAYOUT_MAX_RANK];
    if (H5Rcreate(&self, dset, ".", H5R_OBJECT, -1) < 0)
        return -1;
    for (int i = 0; i < it->rank; i++)
        if ((index[i] = scale_index(w, it->axis_path[i])) < 0 || add_user(&w->scales[index[i]], self, i) != 0)
            return -1;
    for (int i = 0; i < it->rank; i++) /* after every lookup: w->scales may have moved */
        list[i] = (hvl_t){1, &w->scales[index[i]].ref};
    hsize_t rank = (hsize_t)it->rank;
    hid_t type = H5Tvlen_create(H5T_STD_REF_OBJ), space = H5Screate_simple(1, &rank, NULL), attr = -1;
    int ok = type >= 0 && space >= 0 &&
             (attr = H5Acreate2(dset, DIMENSION_LIST, type, space, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
             H5Awrite(attr, type, list) >= 0;
    if (attr >= 0) H5Aclose(attr);
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    for (int i = 0; ok && i < it->rank; i++)
        ok = H5DSset_label(dset, (unsigned)i, it->axis[i]) >= 0;
    return ok ? 0 : -1;
}

/* Every scale's REFERENCE_LIST: the datasets and dimensions it is attached to, in the order of
 * attachment. Frees the list. */
static int finish_scales(writer *w)
{
    int ok = 1;
    hid_t type = H5Tcreate(H5T_COMPOUND, sizeof(scale_user));
    ok = type >= 0 && H5Tinsert(type, "dataset", HOFFSET(scale_user, dataset), H5T_STD_REF_OBJ) >= 0 &&
         H5Tinsert(type, "dimension", HOFFSET(scale_user, dimension), H5T_NATIVE_INT) >= 0;
    for (int i = 0; ok && i < w->nscales; i++) {
        scale_entry *e = &w->scales[i];
        hsize_t n = e->nusers;
        hid_t scale = H5Dopen2(w->file, e->path, H5P_DEFAULT), space = H5Screate_simple(1, &n, NULL), attr = -1;
        ok = scale >= 0 && space >= 0 && (H5Aexists(scale, REFERENCE_LIST) <= 0 || H5Adelete(scale, REFERENCE_LIST) >= 0) &&
             (attr = H5Acreate2(scale, REFERENCE_LIST, type, space, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
             H5Awrite(attr, type, e->users) >= 0;
        if (attr >= 0) H5Aclose(attr);
        if (space >= 0) H5Sclose(space);
        if (scale >= 0) H5Dclose(scale);
    }
    if (type >= 0) H5Tclose(type);
    for (int i = 0; i < w->nscales; i++) {
        free(w->scales[i].path);
        free(w->scales[i].users);
    }
    free(w->scales);
    w->scales = NULL;
    w->nscales = w->scales_cap = 0;
    return ok ? 0 : -1;
}

/* Attach each dimension's scale (opened by its path), labelled with the axis name, with the
 * HDF5 library (for the few datasets of /provenance). */
static int attach_scales_h5ds(hid_t file, hid_t dset, const cc_layout_item *it)
{
    int ok = 1;
    for (int i = 0; ok && i < it->rank; i++) {
        hid_t scale = H5Dopen2(file, it->axis_path[i], H5P_DEFAULT);
        ok = scale >= 0 && H5DSattach_scale(dset, scale, (unsigned)i) >= 0 &&
             H5DSset_label(dset, (unsigned)i, it->axis[i]) >= 0;
        if (scale >= 0) H5Dclose(scale);
    }
    return ok ? 0 : -1;
}

static int write_group(hid_t file, const cc_layout_item *it)
{
    hid_t g = H5Gcreate2(file, it->path, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int ok = g >= 0 && (!it->description || set_string_attr(g, "description", it->description) >= 0);
    if (g >= 0) H5Gclose(g);
    return ok ? 0 : -1;
}

static int write_attribute(hid_t file, const cc_layout_item *it)
{
    hid_t obj = H5Oopen(file, it->path, H5P_DEFAULT);
    int ok = obj >= 0 && set_attr(obj, it->name, it->type, it->data) >= 0;
    if (obj >= 0) H5Oclose(obj);
    return ok ? 0 : -1;
}

/* One item of the layout as one HDF5 object (the layout visitor). */
static int write_item(const cc_layout_item *it, void *user)
{
    writer *w = user;
    int ok = 1;
    hid_t dset = -1;
    switch (it->kind) {
    case CC_ITEM_GROUP:
        ok = write_group(w->file, it) == 0;
        break;
    case CC_ITEM_SCALE:
        ok = (dset = create_dataset(w->file, it)) >= 0 && H5DSset_scale(dset, it->name) >= 0;
        break;
    case CC_ITEM_DATASET:
        ok = (dset = create_dataset(w->file, it)) >= 0 && attach_scales(w, dset, it) == 0;
        break;
    case CC_ITEM_ATTRIBUTE:
        ok = write_attribute(w->file, it) == 0;
        break;
    case CC_ITEM_LINK:
        ok = H5Lcreate_hard(w->file, it->target, w->file, it->path, H5P_DEFAULT, H5P_DEFAULT) >= 0;
        break;
    }
    if (dset >= 0) H5Dclose(dset);
    if (!ok) {
        snprintf(w->failed_path, sizeof w->failed_path, "/%s%s%s", it->path, it->name ? "@" : "",
                 it->name ? it->name : "");
        w->failed = w->failed_path;
        return -1;
    }
    return 0;
}

/* The layout's items over the store and its summaries (a cc_layout_walk_fn). */
static int walk_results(cc_layout_visitor visit, void *visit_user, void *user)
{
    const cc_results *r = user;
    cc_summaries s;
    if (cc_summaries_compute(&s, r, r->threads) != 0)
        return CC_ERR_NOMEM;
    int ret = cc_results_layout_walk(r, &s, visit, visit_user);
    cc_summaries_free(&s);
    return ret;
}

/* The items a walk visits, then the scales' reference lists. 0; CC_ERR_NOMEM when the walk
 * cannot allocate (the summaries, say); CC_ERR_HDF5 when an item cannot be written (w->failed
 * names it). */
static int write_walk(writer *w, cc_layout_walk_fn walk, void *user)
{
    int ret = walk(write_item, w, user);
    if (ret != 0 && !w->failed) /* nothing failed to be written: the walk itself could not allocate */
        ret = CC_ERR_NOMEM;
    else if (ret != 0)
        ret = CC_ERR_HDF5;
    if (finish_scales(w) != 0 && ret == 0) {
        snprintf(w->failed_path, sizeof w->failed_path, "the dimension scales' REFERENCE_LIST");
        w->failed = w->failed_path;
        ret = CC_ERR_HDF5;
    }
    return ret;
}

/* ---- provenance ----------------------------------------------------------------------------- */

/* Why a write failed: a full disk (or quota) named as such, whatever HDF5 reports; else the
 * HDF5 call. errno is read first, before any other call can change it. */
static int write_failure(cc_error *err, const char *path, int fd, const char *what)
{
    int saved = errno;
    struct statvfs vfs;
    if (saved == ENOSPC || saved == EDQUOT || (fd >= 0 && fstatvfs(fd, &vfs) == 0 && vfs.f_bavail == 0))
        return cc_error_set(err, CC_ERR_IO, path, 0, NULL, "no space left on device (%s); the target is left "
                            "as it was", what);
    if (saved == EIO)
        return cc_error_set(err, CC_ERR_IO, path, 0, NULL, "input/output error (%s); the target is left as it was",
                            what);
    return cc_error_set(err, CC_ERR_HDF5, path, 0, NULL, "HDF5 call failed: %s", what);
}

#define TRY(expr)                                                                          \
    do {                                                                                   \
        errno = 0;                                                                         \
        if ((expr) < 0) {                                                                  \
            ret = write_failure(err, path, fd, #expr);                                     \
            goto out;                                                                      \
        }                                                                                  \
    } while (0)

/* Lines "[section] key = value ; origin" of one scenario's effective configuration. */
static char **config_lines(const cc_scenario *s)
{
    char **lines = calloc(s->nsettings + 1, sizeof *lines);
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

/* A list of strings at folder/name; a dimension scale of its own (scale_of NULL) or on the
 * scale at folder/scale_of. */
static int write_list(hid_t file, const char *folder, const char *name, int n, const char *const *values,
                      const char *scale_of, const char *long_name, const char *description)
{
    char path[1024], scale_path[1024];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    snprintf(scale_path, sizeof scale_path, "%s/%s", folder, scale_of ? scale_of : name);
    cc_layout_item it = {scale_of ? CC_ITEM_DATASET : CC_ITEM_SCALE, path, name, NULL, 1, {(size_t)n},
                         {scale_of}, {scale_path}, CC_VALUE_STRING, values, "1", long_name, description, 0};
    hid_t dset = create_dataset(file, &it);
    int ok = dset >= 0 && (scale_of ? attach_scales_h5ds(file, dset, &it) == 0 : H5DSset_scale(dset, name) >= 0);
    if (dset >= 0) H5Dclose(dset);
    return ok ? 0 : -1;
}

/* One scenario's provenance. The lists are dimension scales (file_paths, table_paths,
 * effective_config), with the texts and checksums on the path scales. */
static int write_scenario_provenance(hid_t file, const cc_scenario *s)
{
    char folder[600];
    snprintf(folder, sizeof folder, "provenance/scenarios/%s", s->name);
    hid_t g = H5Gcreate2(file, folder, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return -1;
    int ok = set_string_attr(g, "scenario_file", s->path) >= 0 && set_long_attr(g, "seed", (long long)s->run.seed) >= 0 &&
             set_long_attr(g, "replications", s->run.replications) >= 0;
    H5Gclose(g);
    const char **paths = calloc(s->nfiles + s->ntables + 1, sizeof *paths);
    const char **texts = calloc(s->nfiles + s->ntables + 1, sizeof *texts);
    char **lines = config_lines(s);
    ok = ok && paths && texts && lines;
    for (int i = 0; ok && i < s->nfiles; i++) {
        paths[i] = s->files[i].path;
        texts[i] = s->files[i].text;
    }
    ok = ok &&
         write_list(file, folder, "file_paths", s->nfiles, paths, NULL, "Scenario file",
                    "Scenario files read (the scenario, then its bases)") == 0 &&
         write_list(file, folder, "file_texts", s->nfiles, texts, "file_paths", "Text of a scenario file",
                    "Full text of each scenario file read") == 0 &&
         write_list(file, folder, "effective_config", s->nsettings, (const char *const *)lines, NULL,
                    "Effective configuration", "Every key with the value in effect and where it came from") == 0;
    for (int i = 0; ok && i < s->ntables; i++) {
        paths[i] = s->tables[i].path;
        texts[i] = s->tables[i].sha256;
    }
    ok = ok &&
         write_list(file, folder, "table_paths", s->ntables, paths, NULL, "Input table", "Input tables read") == 0 &&
         write_list(file, folder, "table_sha256", s->ntables, texts, "table_paths", "SHA-256 of an input table",
                    "SHA-256 of each input table") == 0;
    for (int i = 0; lines && i < s->nsettings; i++)
        free(lines[i]);
    free(lines);
    free(paths);
    free(texts);
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
    if (sg >= 0) H5Gclose(sg);
    H5Gclose(g);
    for (int i = 0; ok && i < n; i++)
        ok = write_scenario_provenance(w->file, &scenarios[i]) == 0;
    return ok ? 0 : -1;
}

int cc_results_write(const cc_results *r, const cc_scenario *scenarios, int nscenarios, const cc_run_facts *facts,
                     const char *path, cc_error *err)
{
    return cc_layout_write_file(walk_results, (void *)r, "carecast results",
                                "carecast results layout 1 (README: The results file)", scenarios, nscenarios, facts,
                                path, err);
}

int cc_layout_write_file(cc_layout_walk_fn walk, void *user, const char *title, const char *layout,
                         const cc_scenario *scenarios, int nscenarios, const cc_run_facts *facts, const char *path,
                         cc_error *err)
{
    int ret = 0, fd = -1;
    writer w = {.file = -1};
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    size_t size = strlen(path) + 64;
    char *tmp = malloc(size);
    if (!tmp) {
        ret = cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory");
        goto out;
    }
    if (cc_results_temp_name(path, tmp, size) != 0) {
        ret = cc_error_set(err, CC_ERR_USAGE, path, 0, "output", "the file name is too long");
        tmp[0] = '\0';
        goto out;
    }
    mode_t mask = umask(0);
    umask(mask);
    if ((fd = mkstemp(tmp)) < 0 || fchmod(fd, 0666 & ~mask) != 0) {
        ret = cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot create a file in the output folder: %s", strerror(errno));
        if (fd < 0) /* none was made; one whose mode could not be set is removed below */
            tmp[0] = '\0';
        goto out;
    }
    TRY(w.file = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    TRY(set_string_attr(w.file, "title", title));
    TRY(set_string_attr(w.file, "layout", layout));
    errno = 0;
    int written = write_walk(&w, walk, user);
    if (written == CC_ERR_NOMEM) {
        ret = cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory while writing");
        goto out;
    } else if (written != 0) {
        char what[600];
        snprintf(what, sizeof what, "writing %s", w.failed ? w.failed : "the results");
        ret = write_failure(err, path, fd, what);
        goto out;
    }
    TRY(write_provenance(&w, scenarios, nscenarios, facts));
    hid_t file = w.file;
    w.file = -1; /* closed once, whatever H5Fclose says: a second close after a failed one crashes HDF5 */
    if (H5Fclose(file) < 0) {
        ret = write_failure(err, path, fd, "closing the file");
        goto out;
    }
    if (facts && facts->interrupted && *facts->interrupted) { /* the target is left as it was */
        ret = cc_error_set(err, CC_ERR_INTERRUPTED, path, 0, NULL, "interrupted while writing; %s left unchanged", path);
        goto out;
    }
    if (fsync(fd) != 0) {
        ret = write_failure(err, path, fd, "flushing the file to disk");
        goto out;
    }
    if (rename(tmp, path) != 0) {
        ret = cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot move the finished file into place: %s", strerror(errno));
        goto out;
    }
    tmp[0] = '\0';
out:
    if (w.file >= 0) H5Fclose(w.file);
    if (fd >= 0) close(fd);
    if (tmp && tmp[0]) unlink(tmp);
    free(tmp);
    return ret;
}
