/* The layout of the results file, as one table of groups, datasets and attributes (README,
 * "The results file"), walked over a results store and its summaries. Each item the walk
 * visits carries its path, axes, values and metadata; the HDF5 writer creates one object per
 * item, and anything else that needs what the file holds (tests, other formats) walks the same
 * table. A new stage adds its row type, its store columns and its entries to the table. */
#ifndef CARECAST_RESULTS_LAYOUT_H
#define CARECAST_RESULTS_LAYOUT_H

#include <stddef.h>

#include "carecast/results.h"
#include "carecast/sensitivity.h"
#include "carecast/summaries.h"

#define CC_LAYOUT_MAX_RANK 6

typedef enum {
    CC_ITEM_GROUP,     /* a group; description may be NULL */
    CC_ITEM_SCALE,     /* a 1-D dataset that is a dimension scale named `name` */
    CC_ITEM_DATASET,   /* a dataset; every dimension has a scale (axis_path) */
    CC_ITEM_ATTRIBUTE, /* attribute `name` of the object at path; one value (data) */
    CC_ITEM_LINK       /* a second name (path) of the object at target: a hard link */
} cc_item_kind;

typedef enum { CC_VALUE_DOUBLE, CC_VALUE_INT, CC_VALUE_STRING } cc_value_type;

typedef struct {
    cc_item_kind kind;
    const char *path;   /* without a leading '/': "population/total/quantiles" */
    const char *name;   /* SCALE: the dimension's name; ATTRIBUTE: the attribute's name */
    const char *target; /* LINK: path of the object linked to */
    int rank;
    size_t dims[CC_LAYOUT_MAX_RANK];
    const char *axis[CC_LAYOUT_MAX_RANK];      /* DATASET: name of each dimension */
    const char *axis_path[CC_LAYOUT_MAX_RANK]; /* DATASET: path of each dimension's scale */
    cc_value_type type;
    const void *data; /* row-major values: double, int, or const char * for strings */
    const char *units, *long_name, *description;
    int fill_nan;     /* DATASET of doubles padded with NaN (a per-doctor axis): _FillValue NaN */
} cc_layout_item;

/* Called for each item in order (a group before its members, a scale before its users).
 * A nonzero return stops the walk and is returned by it. */
typedef int (*cc_layout_visitor)(const cc_layout_item *item, void *user);

/* Visit one dataset over root-group axes (a file of its own, as capacity's and sensitivity's):
 * dimension i is axis axes[i], of length lengths[axes[i]], whose scale is the root-group dataset
 * named names[axes[i]]. Returns the visitor's return. */
int cc_layout_visit_dataset(cc_layout_visitor visit, void *user, const char *path, int rank, const int *axes,
                            const size_t *lengths, const char *const *names, cc_value_type type, const void *data,
                            const char *units, const char *long_name, const char *description);

/* Walk the layout over res and its summaries s (from cc_summaries_compute). Returns 0, the
 * visitor's nonzero return, or CC_ERR_NOMEM. */
int cc_results_layout_walk(const cc_results *res, const cc_summaries *s, cc_layout_visitor visit, void *user);

/* Walk only the per-replication datasets a streamed store writes as blocks complete (its rows:
 * headline series, demand counts and expectations, visits per clinic, drawn parameters), with
 * the dimensions of the whole dataset and the values of the block in hand. In the full walk of
 * a streamed store these datasets come without values (data NULL: already in the file). */
int cc_results_layout_walk_rows(const cc_results *res, cc_layout_visitor visit, void *user);

/* Any walk of items: calls visit(item, visit_user) for each; returns 0, the visitor's nonzero
 * return or CC_ERR_NOMEM. */
typedef int (*cc_layout_walk_fn)(cc_layout_visitor visit, void *visit_user, void *user);

/* Write the items of walk(user) as an HDF5 file with root attributes title and layout and a
 * /provenance group (the scenarios' texts, seed, replications, engine version, facts),
 * atomically as cc_results_write (which is this over the results layout). */
int cc_layout_write_file(cc_layout_walk_fn walk, void *user, const char *title, const char *layout,
                         const cc_scenario *scenarios, int nscenarios, const cc_run_facts *facts, const char *path,
                         cc_error *err);

/* Write the items of walk(user) into a results file being written; the store behind them holds
 * the file's scenarios [first_scenario, first_scenario + count) (items over the scenario axis
 * are written to that slice). Returns 0 or a cc_error code (err filled). */
int cc_results_file_walk(cc_results_file *file, cc_layout_walk_fn walk, void *user, int first_scenario, int count,
                         cc_error *err);

/* Walk the layout of a sensitivity file (README, "Sensitivity": /sensitivity [parameter, end,
 * output, ...] with its scales in the root group). Returns 0 or the visitor's nonzero return. */
int cc_sensitivity_layout_walk(const cc_sensitivity_result *res, cc_layout_visitor visit, void *user);

#endif
