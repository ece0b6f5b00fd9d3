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

/* A block of rows streamed into a dataset while the run goes on (README, "The results file":
 * per-replication datasets): the dataset, by its path, and the store buffer feeding it. */
typedef struct {
    char *path;
    const void *buffer;
    hid_t dset;
} stream;

/* The results file being written (cc_results_file): the HDF5 file under its temporary name,
 * the dimension scales' users, and where the store in hand goes along the scenario axis. */
typedef struct cc_results_file {
    hid_t file, fapl;
    const char *failed; /* path of the item that could not be written */
    char failed_path[512];
    scale_entry *scales;
    int nscales, scales_cap;
    char *path, *tmp; /* the target and the temporary file */
    int fd;
    int nscenarios;   /* the file's scenario axis (0: each item as it comes, cc_layout_write_file) */
    int offset;       /* the file's scenario of the store's scenario 0 */
    int sliced;       /* the store holds fewer scenarios than the file (a batch): chunks of one scenario */
    stream *streams;
    int nstreams, streams_cap;
    int block_scenario, block_first, block_rows, block_capacity; /* the block being streamed */
    int quantities_compressed; /* deflate the per-replication datasets */
    int committed;             /* moved into place */
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

enum { SMALL_DATASET_BYTES = 16384, CHUNK_ELEMENTS = 262144 };

/* Whether the object at path exists (a missing group on the way: no; H5Lexists fails there). */
static int exists(hid_t file, const char *path)
{
    char buf[1024];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return 0;
    for (char *slash = strchr(buf + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        int found = H5Lexists(file, buf, H5P_DEFAULT) > 0;
        *slash = '/';
        if (!found)
            return 0;
    }
    return H5Lexists(file, buf, H5P_DEFAULT) > 0;
}

/* Whether an item's first axis is the scenario axis (or the item is that axis's scale). */
static int over_scenarios(const cc_layout_item *it)
{
    if (it->kind == CC_ITEM_SCALE)
        return it->name && strcmp(it->name, "scenario") == 0;
    return it->rank > 0 && it->axis[0] && strcmp(it->axis[0], "scenario") == 0;
}

/* Whether the object at path may be in the file already, and so must be looked for (H5Lexists
 * on each level of the path costs more than writing a small dataset): in a batch after its
 * first scenario, anything; otherwise only a streamed dataset and the groups on its way. */
static int may_exist(const writer *w, const char *path)
{
    if (w->sliced && w->offset > 0)
        return 1;
    size_t n = strlen(path);
    for (int i = 0; i < w->nstreams; i++)
        if (strncmp(w->streams[i].path, path, n) == 0 && (w->streams[i].path[n] == '\0' || w->streams[i].path[n] == '/'))
            return 1;
    return 0;
}

/* The file dimensions of an item: its own, except that a first axis over scenarios spans the
 * file's scenarios (a batch writes one scenario's slice at a time). */
static void file_dims(const writer *w, const cc_layout_item *it, hsize_t *dims)
{
    for (int i = 0; i < it->rank; i++)
        dims[i] = it->dims[i];
    if (w->nscenarios > 0 && it->rank > 0 && over_scenarios(it))
        dims[0] = (hsize_t)w->nscenarios;
}

/* A new dataset for an item, with units, long_name and description: contiguous when small (a
 * chunk index costs more than compression saves), else chunked (whole rows, near 256k
 * elements; one scenario per chunk in a batch; a streamed per-replication dataset: one block
 * of replications of one scenario per chunk, what is written at once) and compressed
 * (shuffle + deflate 1; a streamed dataset only with w->quantities_compressed). Intermediate
 * groups are created. Returns the open dataset or -1. */
static hid_t create_dataset_of(writer *w, hid_t file, const cc_layout_item *it, int streamed)
{
    hsize_t dims[CC_LAYOUT_MAX_RANK], chunk[CC_LAYOUT_MAX_RANK], elements = 1, size = 1;
    file_dims(w, it, dims);
    for (int i = it->rank - 1; i >= 0; i--) { /* whole rows; cap a chunk near 256k elements */
        size *= dims[i];
        chunk[i] = dims[i] > 0 ? dims[i] : 1;
        if (elements * chunk[i] > CHUNK_ELEMENTS)
            chunk[i] = CHUNK_ELEMENTS / elements > 0 ? CHUNK_ELEMENTS / elements : 1;
        elements *= chunk[i];
    }
    int over = w->nscenarios > 0 && it->rank > 1 && over_scenarios(it);
    if (over && (w->sliced || streamed))
        chunk[0] = 1;
    if (streamed && it->rank > 1)
        chunk[1] = w->block_capacity < (int)dims[1] ? (hsize_t)w->block_capacity : (dims[1] > 0 ? dims[1] : 1);
    hid_t space = H5Screate_simple(it->rank, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE), dset = -1;
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    hid_t file_type = value_type(it->type, 1);
    const double fill = NAN; /* padding (a per-doctor axis): NaN, also as netCDF's _FillValue */
    int small = !streamed && size * 8 < SMALL_DATASET_BYTES, compress = streamed ? w->quantities_compressed : 1;
    if (space >= 0 && dcpl >= 0 && lcpl >= 0 && file_type >= 0 && H5Pset_create_intermediate_group(lcpl, 1) >= 0 &&
        (small || (H5Pset_chunk(dcpl, it->rank, chunk) >= 0 &&
                   (!compress || (H5Pset_shuffle(dcpl) >= 0 && H5Pset_deflate(dcpl, 1) >= 0)))) &&
        (!it->fill_nan || H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill) >= 0))
        dset = H5Dcreate2(file, it->path, file_type, space, lcpl, dcpl, H5P_DEFAULT);
    if (dset >= 0 && ((it->fill_nan && set_attr(dset, "_FillValue", CC_VALUE_DOUBLE, &fill) < 0) ||
                      set_string_attr(dset, "units", it->units) < 0 ||
                      set_string_attr(dset, "long_name", it->long_name) < 0 ||
                      set_string_attr(dset, "description", it->description) < 0)) {
        H5Dclose(dset);
        dset = -1;
    }
    if (file_type >= 0) H5Tclose(file_type);
    if (lcpl >= 0) H5Pclose(lcpl);
    if (dcpl >= 0) H5Pclose(dcpl);
    if (space >= 0) H5Sclose(space);
    return dset;
}

/* Write an item's values into the part of dset that starts at start and spans count (the
 * item's own dimensions but where the caller narrows them). */
static int write_part(hid_t dset, const cc_layout_item *it, const hsize_t *start, const hsize_t *count)
{
    hsize_t n = 1;
    for (int i = 0; i < it->rank; i++)
        n *= count[i];
    if (n == 0 || !it->data)
        return 0;
    hid_t mem_type = value_type(it->type, 0), file_space = H5Dget_space(dset);
    hid_t mem_space = it->rank > 0 ? H5Screate_simple(it->rank, count, NULL) : H5Screate(H5S_SCALAR);
    int ok = mem_type >= 0 && file_space >= 0 && mem_space >= 0 &&
             (it->rank == 0 || H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, NULL, count, NULL) >= 0) &&
             H5Dwrite(dset, mem_type, mem_space, file_space, H5P_DEFAULT, it->data) >= 0;
    if (mem_space >= 0) H5Sclose(mem_space);
    if (file_space >= 0) H5Sclose(file_space);
    if (mem_type >= 0) H5Tclose(mem_type);
    return ok ? 0 : -1;
}

/* The dataset of an item, opened when it exists (streamed during the run, or a batch's dataset
 * over scenarios made by an earlier scenario), else created (*created), with the item's values
 * written to its part: a first axis over scenarios at the file's scenario of the store's first
 * (values NULL: none, they were streamed). Returns the open dataset or -1. */
static hid_t item_dataset(writer *w, const cc_layout_item *it, int *created)
{
    hsize_t start[CC_LAYOUT_MAX_RANK] = {0}, count[CC_LAYOUT_MAX_RANK];
    *created = 0;
    hid_t dset = -1;
    if (may_exist(w, it->path) && exists(w->file, it->path))
        dset = H5Dopen2(w->file, it->path, H5P_DEFAULT);
    else if ((dset = create_dataset_of(w, w->file, it, 0)) >= 0)
        *created = 1;
    for (int i = 0; i < it->rank; i++)
        count[i] = it->dims[i];
    if (w->nscenarios > 0 && it->rank > 0 && over_scenarios(it))
        start[0] = (hsize_t)w->offset;
    else if (!*created) /* written once, by the first scenario of a batch: the same for all */
        return dset;
    if (dset >= 0 && write_part(dset, it, start, count) != 0) {
        H5Dclose(dset);
        dset = -1;
    }
    return dset;
}

/* A new dataset holding all of an item's values (provenance lists). */
static hid_t create_dataset(writer *w, const cc_layout_item *it)
{
    hsize_t start[CC_LAYOUT_MAX_RANK] = {0}, count[CC_LAYOUT_MAX_RANK];
    for (int i = 0; i < it->rank; i++)
        count[i] = it->dims[i];
    hid_t dset = create_dataset_of(w, w->file, it, 0);
    if (dset >= 0 && write_part(dset, it, start, count) != 0) {
        H5Dclose(dset);
        dset = -1;
    }
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

/* Every dimension's label (the axis name) as H5DSset_label writes them, one attribute
 * DIMENSION_LABELS of variable-length ASCII strings, in one write instead of one rewrite of the
 * attribute per dimension. */
static int set_labels(hid_t dset, const cc_layout_item *it)
{
    const char *labels[CC_LAYOUT_MAX_RANK];
    if (it->rank == 0) /* a scalar has no dimensions to label */
        return 0;
    for (int i = 0; i < it->rank; i++)
        labels[i] = it->axis[i];
    hsize_t rank = (hsize_t)it->rank;
    hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate_simple(1, &rank, NULL), attr = -1;
    int ok = type >= 0 && space >= 0 && H5Tset_size(type, H5T_VARIABLE) >= 0 &&
             (attr = H5Acreate2(dset, "DIMENSION_LABELS", type, space, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
             H5Awrite(attr, type, labels) >= 0;
    if (attr >= 0) H5Aclose(attr);
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    return ok ? 0 : -1;
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
    return ok ? set_labels(dset, it) : -1;
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
        ok = scale >= 0 && H5DSattach_scale(dset, scale, (unsigned)i) >= 0;
        if (scale >= 0) H5Dclose(scale);
    }
    return ok ? set_labels(dset, it) : -1;
}

/* A group (opened when it exists: made on the way to a streamed dataset, or by an earlier
 * scenario of a batch), with its description. */
static int write_group(writer *w, const cc_layout_item *it)
{
    hid_t file = w->file;
    int found = may_exist(w, it->path) && exists(file, it->path);
    hid_t g = found ? H5Gopen2(file, it->path, H5P_DEFAULT) : H5Gcreate2(file, it->path, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int ok = g >= 0 && (!it->description || (found && H5Aexists(g, "description") > 0) ||
                        set_string_attr(g, "description", it->description) >= 0);
    if (g >= 0) H5Gclose(g);
    return ok ? 0 : -1;
}

/* An attribute, unless an earlier scenario of a batch set it (the first scenario's stays). */
static int write_attribute(writer *w, const cc_layout_item *it)
{
    hid_t obj = H5Oopen(w->file, it->path, H5P_DEFAULT);
    int ok = obj >= 0 && ((may_exist(w, it->path) && H5Aexists(obj, it->name) > 0) ||
                          set_attr(obj, it->name, it->type, it->data) >= 0);
    if (obj >= 0) H5Oclose(obj);
    return ok ? 0 : -1;
}

/* One item of the layout as one HDF5 object (the layout visitor). An object that exists is
 * completed rather than made again: a streamed dataset gets its scales, a batch's dataset over
 * scenarios the slice of the scenario in hand. */
static int write_item(const cc_layout_item *it, void *user)
{
    writer *w = user;
    int ok = 1, created = 0;
    hid_t dset = -1;
    switch (it->kind) {
    case CC_ITEM_GROUP:
        ok = write_group(w, it) == 0;
        break;
    case CC_ITEM_SCALE:
        ok = (dset = item_dataset(w, it, &created)) >= 0 && (!created || H5DSset_scale(dset, it->name) >= 0);
        break;
    case CC_ITEM_DATASET:
        ok = (dset = item_dataset(w, it, &created)) >= 0 &&
             ((!created && H5Aexists(dset, DIMENSION_LIST) > 0) || attach_scales(w, dset, it) == 0);
        break;
    case CC_ITEM_ATTRIBUTE:
        ok = write_attribute(w, it) == 0;
        break;
    case CC_ITEM_LINK:
        ok = (may_exist(w, it->path) && exists(w->file, it->path)) ||
             H5Lcreate_hard(w->file, it->target, w->file, it->path, H5P_DEFAULT, H5P_DEFAULT) >= 0;
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
    int computed = cc_summaries_compute(&s, r, r->threads);
    if (computed != 0)
        return computed;
    int ret = cc_results_layout_walk(r, &s, visit, visit_user);
    cc_summaries_free(&s);
    return ret;
}

/* The items a walk visits. 0; CC_ERR_NOMEM when the walk cannot allocate (the summaries, say);
 * CC_ERR_HDF5 when an item cannot be written (w->failed names it) or, streamed rows, read back. */
static int write_walk(writer *w, cc_layout_walk_fn walk, void *user)
{
    int ret = walk(write_item, w, user);
    if (ret == CC_ERR_HDF5 && !w->failed) {
        snprintf(w->failed_path, sizeof w->failed_path, "reading back the replications");
        w->failed = w->failed_path;
    } else if (ret != 0 && !w->failed) /* nothing failed to be written: the walk itself could not allocate */
        ret = CC_ERR_NOMEM;
    else if (ret != 0)
        ret = CC_ERR_HDF5;
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
    return cc_error_set(err, CC_ERR_HDF5, path, 0, NULL, "the HDF5 library failed (%s); the target is left as it "
                        "was", what);
}

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
static int write_list(writer *w, const char *folder, const char *name, int n, const char *const *values,
                      const char *scale_of, const char *long_name, const char *description)
{
    char path[1024], scale_path[1024];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    snprintf(scale_path, sizeof scale_path, "%s/%s", folder, scale_of ? scale_of : name);
    cc_layout_item it = {scale_of ? CC_ITEM_DATASET : CC_ITEM_SCALE, path, name, NULL, 1, {(size_t)n},
                         {scale_of}, {scale_path}, CC_VALUE_STRING, values, "1", long_name, description, 0};
    hid_t dset = create_dataset(w, &it);
    int ok = dset >= 0 && (scale_of ? attach_scales_h5ds(w->file, dset, &it) == 0 : H5DSset_scale(dset, name) >= 0);
    if (dset >= 0) H5Dclose(dset);
    return ok ? 0 : -1;
}

/* One scenario's provenance. The lists are dimension scales (file_paths, table_paths,
 * effective_config), with the texts and checksums on the path scales. */
static int write_scenario_provenance(writer *w, const cc_scenario *s)
{
    char folder[600];
    snprintf(folder, sizeof folder, "provenance/scenarios/%s", s->name);
    hid_t g = H5Gcreate2(w->file, folder, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
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
         write_list(w, folder, "file_paths", s->nfiles, paths, NULL, "Scenario file",
                    "Scenario files read (the scenario, then its bases)") == 0 &&
         write_list(w, folder, "file_texts", s->nfiles, texts, "file_paths", "Text of a scenario file",
                    "Full text of each scenario file read") == 0 &&
         write_list(w, folder, "effective_config", s->nsettings, (const char *const *)lines, NULL,
                    "Effective configuration", "Every key with the value in effect and where it came from") == 0;
    for (int i = 0; ok && i < s->ntables; i++) {
        paths[i] = s->tables[i].path;
        texts[i] = s->tables[i].sha256;
    }
    ok = ok &&
         write_list(w, folder, "table_paths", s->ntables, paths, NULL, "Input table", "Input tables read") == 0 &&
         write_list(w, folder, "table_sha256", s->ntables, texts, "table_paths", "SHA-256 of an input table",
                    "SHA-256 of each input table") == 0;
    for (int i = 0; lines && i < s->nsettings; i++)
        free(lines[i]);
    free(lines);
    free(paths);
    free(texts);
    return ok ? 0 : -1;
}

/* The root of /provenance: what the run was (the first scenario's seed and replications, the
 * facts) and where it ran. */
static int write_provenance(writer *w, const cc_scenario *first, const cc_run_facts *facts)
{
    hid_t g = exists(w->file, "provenance") ? H5Gopen2(w->file, "provenance", H5P_DEFAULT)
                                            : H5Gcreate2(w->file, "provenance", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
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
             set_long_attr(g, "seed", (long long)first->run.seed) >= 0 &&
             set_long_attr(g, "replications", first->run.replications) >= 0 &&
             set_string_attr(g, "command_line", facts && facts->command_line ? facts->command_line : "") >= 0;
    H5Gclose(g);
    return ok ? 0 : -1;
}

/* /provenance/scenarios/<name> of one scenario (the groups above made on the way). */
static int scenario_provenance(writer *w, const cc_scenario *s)
{
    if (!exists(w->file, "provenance/scenarios")) {
        hid_t lcpl = H5Pcreate(H5P_LINK_CREATE), g = -1;
        if (lcpl >= 0 && H5Pset_create_intermediate_group(lcpl, 1) >= 0)
            g = H5Gcreate2(w->file, "provenance/scenarios", lcpl, H5P_DEFAULT, H5P_DEFAULT);
        if (lcpl >= 0) H5Pclose(lcpl);
        if (g < 0)
            return -1;
        H5Gclose(g);
    }
    return write_scenario_provenance(w, s);
}

/* ---- the file ------------------------------------------------------------------------------ */

/* Do expr; when it fails, say `what` (in the user's words, not the call's) and leave. */
#define TRY(expr, what)                                                                    \
    do {                                                                                   \
        errno = 0;                                                                         \
        if ((expr) < 0) {                                                                  \
            ret = write_failure(err, f->path, f->fd, what);                                \
            goto out;                                                                      \
        }                                                                                  \
    } while (0)

/* How the file is accessed: a metadata cache of at most 2 MB (HDF5's default lets it grow to
 * 32 MB as a batch adds each scenario's groups: memory that would grow with scenarios). */
static hid_t file_access(void)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5AC_cache_config_t mdc;
    mdc.version = H5AC__CURR_CACHE_CONFIG_VERSION;
    if (fapl < 0 || H5Pget_mdc_config(fapl, &mdc) < 0)
        return -1;
    mdc.max_size = 1 << 19;
    mdc.initial_size = mdc.initial_size < mdc.max_size ? mdc.initial_size : mdc.max_size;
    mdc.min_size = mdc.min_size < mdc.max_size ? mdc.min_size : mdc.max_size;
    mdc.set_initial_size = 1;
    if (H5Pset_mdc_config(fapl, &mdc) < 0) {
        H5Pclose(fapl);
        return -1;
    }
    return fapl;
}

int cc_results_file_open(cc_results_file **out, const char *path, int nscenarios, const char *title,
                         const char *layout, cc_error *err)
{
    int ret = 0;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    cc_results_file *f = *out = calloc(1, sizeof *f);
    if (!f || !(f->path = strdup(path)) || !(f->tmp = malloc(strlen(path) + 64))) {
        ret = cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory");
        goto out;
    }
    f->file = f->fapl = -1;
    f->fd = -1;
    f->nscenarios = nscenarios;
    f->block_capacity = 1;
    f->quantities_compressed = 0;
    if (cc_results_temp_name(path, f->tmp, strlen(path) + 64) != 0) {
        ret = cc_error_set(err, CC_ERR_USAGE, path, 0, "output", "the file name is too long");
        f->tmp[0] = '\0';
        goto out;
    }
    mode_t mask = umask(0);
    umask(mask);
    if ((f->fd = mkstemp(f->tmp)) < 0 || fchmod(f->fd, 0666 & ~mask) != 0) {
        ret = cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot create a file in the output folder: %s", strerror(errno));
        if (f->fd < 0) /* none was made; one whose mode could not be set is removed below */
            f->tmp[0] = '\0';
        goto out;
    }
    TRY(f->fapl = file_access(), "setting up the file access");
    TRY(f->file = H5Fcreate(f->tmp, H5F_ACC_TRUNC, H5P_DEFAULT, f->fapl), "creating the temporary results file");
    TRY(set_string_attr(f->file, "title", title), "writing the file's title");
    TRY(set_string_attr(f->file, "layout", layout), "writing the file's layout version");
out:
    if (ret != 0) {
        cc_results_file_close(f);
        *out = NULL;
    }
    return ret;
}

/* Close the streamed datasets (the store feeding them is done with). */
static void close_streams(writer *w)
{
    for (int i = 0; i < w->nstreams; i++) {
        if (w->streams[i].dset >= 0)
            H5Dclose(w->streams[i].dset);
        free(w->streams[i].path);
    }
    free(w->streams);
    w->streams = NULL;
    w->nstreams = w->streams_cap = 0;
}

void cc_results_file_close(cc_results_file *f)
{
    if (!f)
        return;
    close_streams(f);
    if (f->file >= 0) H5Fclose(f->file);
    if (f->fapl >= 0) H5Pclose(f->fapl);
    if (f->fd >= 0) close(f->fd);
    if (f->tmp && f->tmp[0]) unlink(f->tmp);
    for (int i = 0; i < f->nscales; i++) {
        free(f->scales[i].path);
        free(f->scales[i].users);
    }
    free(f->scales);
    free(f->tmp);
    free(f->path);
    free(f);
}

const char *cc_results_file_path(const cc_results_file *f)
{
    return f->path;
}

double cc_results_file_free_bytes(const cc_results_file *f)
{
    struct statvfs vfs;
    return fstatvfs(f->fd, &vfs) == 0 ? (double)vfs.f_bavail * vfs.f_frsize : -1;
}

int cc_results_file_walk(cc_results_file *f, cc_layout_walk_fn walk, void *user, int first_scenario, int count,
                         cc_error *err)
{
    f->offset = first_scenario;
    f->sliced = f->nscenarios > 0 && count != f->nscenarios;
    errno = 0;
    int written = write_walk(f, walk, user);
    if (written == CC_ERR_NOMEM)
        return cc_error_set(err, CC_ERR_NOMEM, f->path, 0, NULL, "out of memory while writing");
    if (written != 0) {
        char what[600];
        snprintf(what, sizeof what, "writing %s", f->failed ? f->failed : "the results");
        return write_failure(err, f->path, f->fd, what);
    }
    return 0;
}

int cc_results_file_scenario(cc_results_file *f, const cc_scenario *s, cc_error *err)
{
    errno = 0;
    return scenario_provenance(f, s) == 0 ? 0 : write_failure(err, f->path, f->fd, "writing the provenance");
}

int cc_results_file_commit(cc_results_file *f, const cc_scenario *first, const cc_run_facts *facts, cc_error *err)
{
    int ret = 0;
    close_streams(f);
    if (finish_scales(f) != 0) {
        ret = write_failure(err, f->path, f->fd, "writing the dimension scales' REFERENCE_LIST");
        goto out;
    }
    TRY(write_provenance(f, first, facts), "writing the provenance");
    hid_t file = f->file;
    f->file = -1; /* closed once, whatever H5Fclose says: a second close after a failed one crashes HDF5 */
    if (H5Fclose(file) < 0) {
        ret = write_failure(err, f->path, f->fd, "closing the file");
        goto out;
    }
    if (facts && facts->interrupted && *facts->interrupted) { /* the target is left as it was */
        ret = cc_error_set(err, CC_ERR_INTERRUPTED, f->path, 0, NULL, "interrupted while writing; %s left unchanged",
                           f->path);
        goto out;
    }
    if (fsync(f->fd) != 0) {
        ret = write_failure(err, f->path, f->fd, "flushing the file to disk");
        goto out;
    }
    if (rename(f->tmp, f->path) != 0) {
        ret = cc_error_set(err, CC_ERR_IO, f->path, 0, NULL, "cannot move the finished file into place: %s",
                           strerror(errno));
        goto out;
    }
    f->tmp[0] = '\0';
    f->committed = 1;
out:
    return ret;
}

int cc_layout_write_file(cc_layout_walk_fn walk, void *user, const char *title, const char *layout,
                         const cc_scenario *scenarios, int nscenarios, const cc_run_facts *facts, const char *path,
                         cc_error *err)
{
    cc_results_file *f;
    int ret = cc_results_file_open(&f, path, 0, title, layout, err);
    if (ret == 0)
        ret = cc_results_file_walk(f, walk, user, 0, 0, err);
    for (int i = 0; ret == 0 && i < nscenarios; i++)
        ret = cc_results_file_scenario(f, &scenarios[i], err);
    if (ret == 0)
        ret = cc_results_file_commit(f, &scenarios[0], facts, err);
    cc_results_file_close(f);
    return ret;
}

/* ---- rows streamed during the run --------------------------------------------------------- */

static stream *find_stream(writer *w, const char *path)
{
    for (int i = 0; i < w->nstreams; i++)
        if (strcmp(w->streams[i].path, path) == 0)
            return &w->streams[i];
    if (w->nstreams == w->streams_cap) {
        int cap = w->streams_cap ? 2 * w->streams_cap : 32;
        stream *grown = realloc(w->streams, (size_t)cap * sizeof *grown);
        if (!grown)
            return NULL;
        w->streams = grown;
        w->streams_cap = cap;
    }
    stream *st = &w->streams[w->nstreams];
    if (!(st->path = strdup(path)))
        return NULL;
    st->buffer = NULL;
    st->dset = -1;
    w->nstreams++;
    return st;
}

/* One per-replication dataset of the block in hand (the rows walk's visitor): created on the
 * first block (opened when a batch's earlier scenario made it), then the block's rows written
 * at [scenario, first replication...]. */
static int write_rows_item(const cc_layout_item *it, void *user)
{
    writer *w = user;
    if (it->kind != CC_ITEM_DATASET || it->rank < 2)
        return 0;
    stream *st = find_stream(w, it->path);
    int ok = st != NULL;
    if (ok && st->dset < 0)
        st->dset = exists(w->file, it->path) ? H5Dopen2(w->file, it->path, H5P_DEFAULT)
                                             : create_dataset_of(w, w->file, it, 1);
    ok = ok && st->dset >= 0;
    if (ok) {
        st->buffer = it->data;
        hsize_t start[CC_LAYOUT_MAX_RANK] = {0}, count[CC_LAYOUT_MAX_RANK];
        for (int i = 0; i < it->rank; i++)
            count[i] = it->dims[i];
        start[0] = (hsize_t)(w->offset + w->block_scenario);
        count[0] = 1;
        start[1] = (hsize_t)w->block_first;
        count[1] = (hsize_t)w->block_rows;
        ok = write_part(st->dset, it, start, count) == 0;
    }
    if (!ok) {
        snprintf(w->failed_path, sizeof w->failed_path, "/%s", it->path);
        w->failed = w->failed_path;
        return -1;
    }
    return 0;
}

int cc_results_file_rows(cc_results_file *f, const cc_results *r, int scenario, int first, int rows, cc_error *err)
{
    f->offset = r->file_scenario;
    f->block_scenario = scenario;
    f->block_first = first;
    f->block_rows = rows;
    f->block_capacity = r->row_capacity;
    f->failed = NULL;
    errno = 0;
    int ret = cc_results_layout_walk_rows(r, write_rows_item, f);
    if (ret == 0)
        return 0;
    if (!f->failed)
        return cc_error_set(err, CC_ERR_NOMEM, f->path, 0, NULL, "out of memory while writing");
    char what[600];
    snprintf(what, sizeof what, "writing %s", f->failed);
    return write_failure(err, f->path, f->fd, what);
}

int cc_results_file_read_rows(cc_results_file *f, const void *buffer, int scenario, size_t first, size_t count,
                              double *out)
{
    const stream *st = NULL;
    for (int i = 0; !st && i < f->nstreams; i++)
        if (f->streams[i].buffer == buffer)
            st = &f->streams[i];
    if (!st || st->dset < 0)
        return CC_ERR_USAGE;
    hid_t space = H5Dget_space(st->dset), mem = -1;
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    hsize_t dims[CC_LAYOUT_MAX_RANK], start[CC_LAYOUT_MAX_RANK] = {0}, n[CC_LAYOUT_MAX_RANK];
    int ok = rank >= 3 && rank <= CC_LAYOUT_MAX_RANK && H5Sget_simple_extent_dims(space, dims, NULL) == rank;
    for (int i = 0; ok && i < rank; i++)
        n[i] = dims[i];
    if (ok) { /* [scenario, every replication, first..first+count of the third axis, the rest whole] */
        start[0] = (hsize_t)(f->offset + scenario);
        n[0] = 1;
        start[2] = first;
        n[2] = count;
        ok = H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, n, NULL) >= 0 &&
             (mem = H5Screate_simple(rank, n, NULL)) >= 0 &&
             H5Dread(st->dset, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, out) >= 0;
    }
    if (mem >= 0) H5Sclose(mem);
    if (space >= 0) H5Sclose(space);
    return ok ? 0 : CC_ERR_HDF5;
}

void cc_results_file_release(cc_results_file *f)
{
    if (!f)
        return;
    close_streams(f);
    H5garbage_collect(); /* HDF5 keeps freed objects on free lists: a batch would grow with scenarios */
}

/* ---- the results store's file --------------------------------------------------------------- */

int cc_results_file_add(cc_results_file *f, const cc_results *r, int first_scenario, cc_error *err)
{
    return cc_results_file_walk(f, walk_results, (void *)r, first_scenario, r->nscenarios, err);
}

int cc_results_write(const cc_results *r, const cc_scenario *scenarios, int nscenarios, const cc_run_facts *facts,
                     const char *path, cc_error *err)
{
    if (!r->file)
        return cc_layout_write_file(walk_results, (void *)r, CC_RESULTS_TITLE, CC_RESULTS_LAYOUT, scenarios,
                                    nscenarios, facts, path, err);
    /* the file the rows were streamed into (cc_run_to_file): completed and moved into place */
    cc_results_file *f = r->file;
    if (strcmp(path, f->path) != 0 || f->committed || r->file_scenario != 0 || nscenarios != r->nscenarios)
        return cc_error_set(err, CC_ERR_USAGE, path, 0, NULL, "the results were streamed to %s", f->path);
    int ret = cc_results_file_walk(f, walk_results, (void *)r, 0, r->nscenarios, err);
    for (int i = 0; ret == 0 && i < nscenarios; i++)
        ret = cc_results_file_scenario(f, &scenarios[i], err);
    return ret == 0 ? cc_results_file_commit(f, &scenarios[0], facts, err) : ret;
}
