/* Reading a results file: the dataset list (every hard link to a dataset, in name order,
 * from H5Lvisit), datasets with their dimension scales (the first scale attached to each
 * dimension; a scale is its own axis, as a netCDF coordinate variable), attributes. Numbers
 * are read as doubles whatever their type in the file (integers of this layout convert
 * exactly); text as UTF-8 strings, variable- or fixed-length. HDF5's error printing is off. */
#include "carecast/reader.h"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdlib.h>
#include <string.h>

struct cc_reader {
    hid_t file;
    char *file_path;
    int count, capacity;
    char **paths;
};

/* ---- opening and listing ------------------------------------------------------------------ */

static herr_t list_link(hid_t group, const char *name, const H5L_info_t *info, void *data)
{
    cc_reader *r = data;
    if (info->type != H5L_TYPE_HARD)
        return 0;
    hid_t obj = H5Oopen(group, name, H5P_DEFAULT);
    if (obj < 0)
        return -1;
    int is_dataset = H5Iget_type(obj) == H5I_DATASET;
    H5Oclose(obj);
    if (!is_dataset)
        return 0;
    if (r->count == r->capacity) {
        int capacity = r->capacity ? 2 * r->capacity : 64;
        char **paths = realloc(r->paths, (size_t)capacity * sizeof *paths);
        if (!paths)
            return -1;
        r->paths = paths;
        r->capacity = capacity;
    }
    size_t size = strlen(name) + 2;
    if (!(r->paths[r->count] = malloc(size)))
        return -1;
    memcpy(r->paths[r->count], "/", 2);
    memcpy(r->paths[r->count] + 1, name, size - 1);
    r->count++;
    return 0;
}

int cc_reader_open(cc_reader **reader, const char *path, cc_error *err)
{
    *reader = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    cc_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->file_path = strdup(path))) {
        free(r);
        return cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory");
    }
    r->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (r->file < 0) {
        cc_reader_close(r);
        return cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot open the results file (missing, unreadable or "
                                                           "not HDF5)");
    }
    if (H5Lvisit(r->file, H5_INDEX_NAME, H5_ITER_INC, list_link, r) < 0) {
        cc_reader_close(r);
        return cc_error_set(err, CC_ERR_HDF5, path, 0, NULL, "cannot list the datasets of the file");
    }
    *reader = r;
    return 0;
}

void cc_reader_close(cc_reader *r)
{
    if (!r)
        return;
    if (r->file >= 0)
        H5Fclose(r->file);
    for (int i = 0; i < r->count; i++)
        free(r->paths[i]);
    free(r->paths);
    free(r->file_path);
    free(r);
}

int cc_reader_count(const cc_reader *r) { return r ? r->count : 0; }

const char *cc_reader_path(const cc_reader *r, int i)
{
    return r && i >= 0 && i < r->count ? r->paths[i] : NULL;
}

/* ---- values ------------------------------------------------------------------------------- */

static void free_strings(char **strings, size_t n)
{
    for (size_t i = 0; strings && i < n; i++)
        free(strings[i]);
    free(strings);
}

/* The kind of an HDF5 type; -1 when it is neither number nor text. */
static int kind_of(hid_t type)
{
    switch (H5Tget_class(type)) {
    case H5T_FLOAT: return CC_DATA_FLOAT;
    case H5T_INTEGER: return CC_DATA_INTEGER;
    case H5T_STRING: return CC_DATA_STRING;
    default: return -1;
    }
}

/* Read n values of an open dataset or attribute (is_attribute) of file type `type`: numbers into
 * *values, text into *strings (malloc'ed). Returns 0, CC_ERR_NOMEM or CC_ERR_HDF5. */
static int read_values(hid_t obj, int is_attribute, hid_t type, size_t n, double **values, char ***strings)
{
    *values = NULL;
    *strings = NULL;
    int kind = kind_of(type);
    if (kind < 0)
        return CC_ERR_HDF5;
    if (kind != CC_DATA_STRING) {
        if (!(*values = malloc((n ? n : 1) * sizeof **values)))
            return CC_ERR_NOMEM;
        herr_t status = n == 0 ? 0
                        : is_attribute ? H5Aread(obj, H5T_NATIVE_DOUBLE, *values)
                                       : H5Dread(obj, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, *values);
        return status < 0 ? CC_ERR_HDF5 : 0;
    }
    int ret = 0, variable = H5Tis_variable_str(type) > 0;
    size_t width = variable ? sizeof(char *) : H5Tget_size(type) + 1;
    hid_t mem = H5Tcopy(H5T_C_S1);
    char *buf = calloc(n ? n : 1, width);
    *strings = calloc(n ? n : 1, sizeof **strings);
    if (mem < 0 || !buf || !*strings)
        ret = CC_ERR_NOMEM;
    else if (H5Tset_size(mem, variable ? H5T_VARIABLE : width) < 0 || H5Tset_cset(mem, H5Tget_cset(type)) < 0 ||
             (n > 0 && (is_attribute ? H5Aread(obj, mem, buf)
                                     : H5Dread(obj, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf)) < 0))
        ret = CC_ERR_HDF5;
    for (size_t i = 0; ret == 0 && i < n; i++) {
        const char *s = variable ? ((char **)buf)[i] : buf + i * width;
        if (!((*strings)[i] = strdup(s ? s : "")))
            ret = CC_ERR_NOMEM;
    }
    if (variable && n > 0 && mem >= 0 && buf && ret != CC_ERR_HDF5) { /* the library's own strings */
        for (size_t i = 0; i < n; i++)
            H5free_memory(((char **)buf)[i]);
    }
    free(buf);
    if (mem >= 0)
        H5Tclose(mem);
    if (ret != 0) {
        free_strings(*strings, n);
        *strings = NULL;
    }
    return ret;
}

/* A string attribute of obj, or NULL when there is none (or it is not one text: an array of
 * strings would not fit the room read_values makes for one). */
static char *string_attribute(hid_t obj, const char *name)
{
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT), type = attr >= 0 ? H5Aget_type(attr) : -1;
    hid_t space = attr >= 0 ? H5Aget_space(attr) : -1;
    double *values = NULL;
    char **strings = NULL, *out = NULL;
    if (type >= 0 && space >= 0 && H5Sget_simple_extent_npoints(space) == 1 && kind_of(type) == CC_DATA_STRING &&
        read_values(attr, 1, type, 1, &values, &strings) == 0) {
        out = strings[0];
        strings[0] = NULL;
    }
    free_strings(strings, 1);
    free(values);
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    if (attr >= 0) H5Aclose(attr);
    return out;
}

/* ---- datasets ----------------------------------------------------------------------------- */

/* The values of an open 1-D scale into an axis. */
static int read_axis_values(hid_t scale, cc_read_axis *axis)
{
    hid_t type = H5Dget_type(scale), space = H5Dget_space(scale);
    hsize_t n = 0;
    int ret = type < 0 || space < 0 || H5Sget_simple_extent_ndims(space) != 1 ||
                      H5Sget_simple_extent_dims(space, &n, NULL) < 0 ? CC_ERR_HDF5 : 0;
    if (ret == 0) {
        axis->length = (size_t)n;
        axis->kind = kind_of(type) < 0 ? CC_DATA_FLOAT : (cc_data_kind)kind_of(type);
        ret = read_values(scale, 0, type, (size_t)n, &axis->values, &axis->strings);
    }
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    return ret;
}

/* Name, path and values of an open scale into an axis. */
static int describe_scale(hid_t scale, cc_read_axis *axis)
{
    char name[256] = "", path[1024] = "";
    if (H5DSget_scale_name(scale, name, sizeof name) < 0)
        name[0] = '\0';
    if (H5Iget_name(scale, path, sizeof path) < 0)
        path[0] = '\0';
    free(axis->name);
    free(axis->scale_path);
    axis->name = strdup(name);
    axis->scale_path = strdup(path);
    if (!axis->name || !axis->scale_path)
        return CC_ERR_NOMEM;
    return read_axis_values(scale, axis);
}

typedef struct {
    cc_read_axis *axis;
    int ret;
} scale_visit;

static herr_t first_scale(hid_t dset, unsigned dim, hid_t scale, void *data)
{
    (void)dset, (void)dim;
    scale_visit *v = data;
    v->ret = describe_scale(scale, v->axis);
    return 1; /* the first scale is the axis */
}

/* Dimension i of an open dataset: its scale, or its label without values. */
static int read_axis(hid_t dset, unsigned i, size_t length, cc_read_axis *axis)
{
    axis->length = length;
    axis->kind = CC_DATA_FLOAT;
    if (H5DSget_num_scales(dset, i) > 0) {
        scale_visit v = {axis, 0};
        if (H5DSiterate_scales(dset, i, NULL, first_scale, &v) < 0)
            return CC_ERR_HDF5;
        if (v.ret != 0)
            return v.ret;
        if (axis->length != length)
            return CC_ERR_HDF5;
        char label[256] = "";
        if ((!axis->name || !axis->name[0]) && H5DSget_label(dset, i, label, sizeof label) > 0) {
            free(axis->name);
            axis->name = strdup(label);
        }
        return axis->name ? 0 : CC_ERR_NOMEM;
    }
    char label[256] = "";
    if (H5DSget_label(dset, i, label, sizeof label) < 0)
        label[0] = '\0';
    return (axis->name = strdup(label)) ? 0 : CC_ERR_NOMEM;
}

static int read_dataset(hid_t dset, cc_read_dataset *out)
{
    hid_t type = H5Dget_type(dset), space = H5Dget_space(dset);
    hsize_t dims[CC_READ_MAX_RANK];
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    int ret = type < 0 || rank < 0 || rank > CC_READ_MAX_RANK || kind_of(type) < 0 ||
                      H5Sget_simple_extent_dims(space, dims, NULL) < 0 ? CC_ERR_HDF5 : 0;
    if (ret == 0) {
        out->rank = rank;
        out->size = 1;
        for (int i = 0; i < rank; i++)
            out->size *= (out->dims[i] = (size_t)dims[i]);
        out->kind = (cc_data_kind)kind_of(type);
        ret = read_values(dset, 0, type, out->size, &out->values, &out->strings);
    }
    out->units = string_attribute(dset, "units");
    out->long_name = string_attribute(dset, "long_name");
    out->description = string_attribute(dset, "description");
    out->is_scale = ret == 0 && H5DSis_scale(dset) > 0;
    if (ret == 0 && out->is_scale && rank == 1)
        ret = describe_scale(dset, &out->axes[0]);
    for (int i = 0; ret == 0 && !out->is_scale && i < rank; i++)
        ret = read_axis(dset, (unsigned)i, out->dims[i], &out->axes[i]);
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    return ret;
}

int cc_reader_read(cc_reader *r, const char *path, cc_read_dataset *out, cc_error *err)
{
    memset(out, 0, sizeof *out);
    hid_t dset = -1;
    if (H5Lexists(r->file, path, H5P_DEFAULT) <= 0 || (dset = H5Oopen(r->file, path, H5P_DEFAULT)) < 0 ||
        H5Iget_type(dset) != H5I_DATASET) {
        if (dset >= 0) H5Oclose(dset);
        return cc_error_set(err, CC_ERR_IO, r->file_path, 0, path, "no dataset %s in the file", path);
    }
    int ret = (out->path = strdup(path)) ? read_dataset(dset, out) : CC_ERR_NOMEM;
    H5Oclose(dset);
    if (ret != 0) {
        cc_read_dataset_free(out);
        return cc_error_set(err, ret, r->file_path, 0, path,
                            ret == CC_ERR_NOMEM ? "out of memory reading %s" : "cannot read %s (its type or shape "
                                                                               "is not one of the layout's)", path);
    }
    return 0;
}

void cc_read_dataset_free(cc_read_dataset *d)
{
    free(d->path);
    free(d->values);
    free_strings(d->strings, d->size);
    free(d->units);
    free(d->long_name);
    free(d->description);
    for (int i = 0; i < CC_READ_MAX_RANK; i++) {
        cc_read_axis *a = &d->axes[i];
        free(a->name);
        free(a->scale_path);
        free(a->values);
        free_strings(a->strings, a->length);
    }
    memset(d, 0, sizeof *d);
}

/* ---- attributes --------------------------------------------------------------------------- */

int cc_reader_attribute(cc_reader *r, const char *path, const char *name, cc_read_attribute *out, cc_error *err)
{
    memset(out, 0, sizeof *out);
    hid_t attr = -1, type = -1, space = -1;
    if (H5Aexists_by_name(r->file, path, name, H5P_DEFAULT) <= 0 ||
        (attr = H5Aopen_by_name(r->file, path, name, H5P_DEFAULT, H5P_DEFAULT)) < 0)
        return cc_error_set(err, CC_ERR_IO, r->file_path, 0, name, "no attribute %s of %s in the file", name, path);
    type = H5Aget_type(attr);
    space = H5Aget_space(attr);
    int ret = type < 0 || space < 0 || kind_of(type) < 0 || H5Sget_simple_extent_npoints(space) != 1 ? CC_ERR_HDF5
                                                                                                     : 0;
    double *values = NULL;
    char **strings = NULL;
    if (ret == 0) {
        out->kind = (cc_data_kind)kind_of(type);
        ret = read_values(attr, 1, type, 1, &values, &strings);
    }
    if (ret == 0 && values)
        out->value = values[0];
    if (ret == 0 && strings) {
        out->string = strings[0];
        strings[0] = NULL;
    }
    free(values);
    free_strings(strings, 1);
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    H5Aclose(attr);
    if (ret != 0)
        return cc_error_set(err, ret, r->file_path, 0, name, "cannot read attribute %s of %s", name, path);
    return 0;
}
