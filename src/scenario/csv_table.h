/* A CSV table held as strings, with the source line of every row, read through libcsv.
 * Internal to libcarecast. Accepts CRLF line ends and a UTF-8 byte-order mark. */
#ifndef CC_TABLE_H
#define CC_TABLE_H

#include "carecast/error.h"

typedef struct {
    char *path;      /* as given to cc_table_load */
    int ncols;
    char **header;   /* ncols names */
    int nrows;
    char ***cells;   /* nrows x ncols strings ("" when missing) */
    int *row_line;   /* source line of each row (1-based; header is line 1) */
    char sha256[65]; /* of the bytes parsed (the file is read once: input_file.h) */
} cc_table;

/* Read a CSV file. On failure returns a negative code, fills err, and leaves *table empty.
 * cc_table_free is safe on a zeroed or failed table. */
int cc_table_load(cc_table *table, const char *path, cc_error *err);
void cc_table_free(cc_table *table);

/* Index of a named column; a missing column is an error naming the file and column. */
int cc_table_column(const cc_table *table, const char *name, int *col, cc_error *err);
/* Index of a named column, or -1 without error. */
int cc_table_find_column(const cc_table *table, const char *name);

/* Cell as a finite double; empty, malformed or non-finite cells are errors naming
 * file, line and column. */
int cc_table_double(const cc_table *table, int row, int col, double *value, cc_error *err);
/* Cell as an integer; *is_empty set (and *value untouched) when the cell is empty and
 * is_empty is non-NULL, otherwise empty is an error. */
int cc_table_int(const cc_table *table, int row, int col, long *value, int *is_empty,
                 cc_error *err);

/* Parse helpers shared with the scenario loader. Return 0 or -1. */
int cc_parse_double(const char *text, double *value);
int cc_parse_long(const char *text, long *value);


#endif
