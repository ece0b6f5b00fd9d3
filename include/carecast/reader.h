/* Reading a results file back: open it, list the datasets it holds, read any dataset with
 * its axes (each dimension's name and the values of its scale, as numbers or strings) and
 * its units, long_name and description, read an attribute, close. For programs that work
 * on results (summaries, plots, exports) and for the tests. Plain HDF5 underneath: any file
 * of the results layout, whichever version of carecast wrote it. */
#ifndef CARECAST_READER_H
#define CARECAST_READER_H

#include <stddef.h>

#include "carecast/error.h"

#define CC_READ_MAX_RANK 8

typedef struct cc_reader cc_reader;

/* What the values of a dataset or attribute are. */
typedef enum {
    CC_DATA_FLOAT,   /* floating point: in `values` */
    CC_DATA_INTEGER, /* integers: in `values` too, converted exactly (32-bit in this layout) */
    CC_DATA_STRING   /* text: in `strings` */
} cc_data_kind;

/* One dimension of a dataset. */
typedef struct {
    char *name;       /* the dimension's name: its scale's name ("year"), else its label, else "" */
    char *scale_path; /* one path of the scale ("/year"), NULL when the dimension has none */
    size_t length;
    cc_data_kind kind;
    double *values;   /* [length] the scale's values, when numbers */
    char **strings;   /* [length] the scale's values, when text */
} cc_read_axis;

/* A dataset read in full (row-major, the file's axis order). */
typedef struct {
    char *path;
    int rank;
    size_t dims[CC_READ_MAX_RANK];
    size_t size;                  /* number of values */
    cc_data_kind kind;
    double *values;               /* [size] when numbers */
    char **strings;               /* [size] when text */
    char *units, *long_name, *description; /* NULL when the dataset has none */
    int is_scale;                 /* a dimension scale: its one axis is itself */
    cc_read_axis axes[CC_READ_MAX_RANK];
} cc_read_dataset;

/* An attribute holding one value. */
typedef struct {
    cc_data_kind kind;
    double value;  /* numbers */
    char *string;  /* text (free with free()) */
} cc_read_attribute;

/* Open a results file read-only. Returns 0, or CC_ERR_IO (not an HDF5 file, unreadable) or
 * CC_ERR_NOMEM with err filled and *reader NULL. */
int cc_reader_open(cc_reader **reader, const char *path, cc_error *err);
void cc_reader_close(cc_reader *reader);

/* The datasets the file holds, by path ("/population/total/quantiles"), in name order; a
 * dataset with several names (the hard links of /axes) is listed under each. */
int cc_reader_count(const cc_reader *reader);
const char *cc_reader_path(const cc_reader *reader, int i); /* NULL outside 0..count-1 */

/* Read the dataset at path (with or without its leading '/') with its axes. Returns 0, or
 * CC_ERR_IO (no such dataset), CC_ERR_HDF5 (unreadable: more than CC_READ_MAX_RANK axes, a
 * type that is neither number nor text) or CC_ERR_NOMEM; out is then empty.
 * cc_read_dataset_free is always safe on out. */
int cc_reader_read(cc_reader *reader, const char *path, cc_read_dataset *out, cc_error *err);
void cc_read_dataset_free(cc_read_dataset *dataset);

/* Read attribute `name` of the object (group or dataset) at path. Returns 0, CC_ERR_IO (no
 * such object or attribute), CC_ERR_HDF5 (not a single number or text) or CC_ERR_NOMEM. */
int cc_reader_attribute(cc_reader *reader, const char *path, const char *name, cc_read_attribute *out,
                        cc_error *err);

#endif
