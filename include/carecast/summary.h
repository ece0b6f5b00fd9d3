/* Summaries of a results file for people and other tools: the headline numbers (one reading,
 * shared by `carecast summary`, its JSON and the HTML report), the CSV export of every summary
 * dataset, and the self-contained HTML report. Everything here reads a results file through
 * reader.h only; nothing runs a model. */
#ifndef CARECAST_SUMMARY_H
#define CARECAST_SUMMARY_H

#include <stdio.h>

#include "carecast/error.h"
#include "carecast/reader.h"
#include "carecast/report.h"

/* Where a number of the headline came from: per axis of `dataset` the positions from..to
 * (inclusive; from == to for a single position; a range is summed, e.g. ages 65..100). */
typedef struct {
    int rank;
    size_t from[CC_READ_MAX_RANK], to[CC_READ_MAX_RANK];
} cc_summary_at;

/* One cell of a headline table: a number (value, with its 90% band lo..hi when it has one,
 * else NaN) or a text (text != NULL). */
typedef struct {
    char *text;            /* a text cell (a parameter's name); NULL for a number */
    double value, lo, hi;  /* NaN when undefined (an unreachable size, a metric without calls) */
    int decimals;          /* decimals in the text and HTML tables */
    int percent;           /* a share, shown as a percentage */
    char *dataset;         /* the dataset the number came from (NULL for text) */
    cc_summary_at at_value, at_lo, at_hi; /* at_lo/at_hi: rank 0 when there is no band */
} cc_summary_cell;

typedef struct {
    char *label;
    cc_summary_cell *cells; /* [ncolumns] */
} cc_summary_row;

/* A table of the headline: rows of labelled cells under named columns. */
typedef struct {
    char *id;       /* stable id: "population", "demand", "coverage_2030", "capacity", "sensitivity_<output>" */
    char *title;    /* what it shows, in the language asked for */
    char *scenario; /* the scenario it belongs to, NULL for none */
    char *note;     /* how to read it (medians, bands), NULL for none */
    char *corner;   /* header of the label column */
    char **columns;
    int ncolumns;
    cc_summary_row *rows;
    int nrows;
} cc_summary_table;

/* One scenario key in effect and why it has its value (from /provenance). */
typedef struct {
    char *scenario, *section, *key, *value;
    char *origin;  /* "FILE:LINE", "default" or "command line" */
    char *basis;   /* "assumption", "source", "derived", "default", "command line", "choice" or "note" */
    char *comment; /* the scenario's comment above the key, or the registry's source; may be "" */
} cc_summary_key;

/* The headline of a results file. */
typedef struct {
    char *kind;      /* "results" (carecast run), "capacity", "sensitivity" or "unknown" */
    char *layout;    /* the root attribute `layout`, NULL when absent */
    char *engine_version, *created, *command_line; /* from /provenance; NULL when absent */
    double seed;     /* NaN when absent */
    double replications;
    char **scenarios;
    int nscenarios;
    cc_summary_table *tables;
    int ntables;
    char **absent;   /* one sentence each: what the file lacks and so what is left out */
    int nabsent;
    cc_summary_key *keys; /* the keys the answer leans on (model sections, no table paths) */
    int nkeys;
} cc_summary;

/* Read the headline numbers of an open results file (any of run, capacity, sensitivity),
 * labelled in lang. Returns 0, CC_ERR_NOMEM, or CC_ERR_IO / CC_ERR_HDF5 when a dataset the
 * layout promises cannot be read (err filled). A stage the file lacks is not an error: it is
 * named in out->absent. cc_summary_free is always safe on out. */
int cc_summary_read(cc_reader *reader, cc_lang lang, cc_summary *out, cc_error *err);
void cc_summary_free(cc_summary *summary);

/* The headline as readable text tables, or as JSON (RFC 8259: NaN and infinities as null,
 * every string escaped). Return 0, or CC_ERR_IO when writing to f fails. */
int cc_summary_write_text(const cc_summary *summary, FILE *f);
int cc_summary_write_json(const cc_summary *summary, FILE *f);

/* A cell as the tables show it: "439,227 (433,076-445,672)", "68.9% (68.5-69.3%)", "-" for an
 * undefined number, the text of a text cell. Always NUL-terminated (cut to size). */
void cc_summary_cell_format(const cc_summary_cell *cell, char *buf, size_t size);

/* A scheme's name for people ("pairing" -> "主治医・副主治医制" in Japanese); the scheme's own
 * name when it is not one of the four. */
const char *cc_summary_scheme_name(const char *scheme, cc_lang lang);

/* Which datasets `export` writes: everything but /provenance, dimension scales (they are the
 * axis columns of the others) and per-replication arrays (a dataset with an axis named
 * replication or coverage_replication). */
int cc_export_is_summary(const cc_read_dataset *dataset);

/* The CSV file name of a dataset path: the path's parts joined by '.', bytes other than
 * [A-Za-z0-9_-] replaced by '_' (so no '/', no "..", no leading '.'), with a hash of the path
 * when anything was replaced or the name cut to fit; ".csv" at the end. Fills name (size at
 * least 256) and returns 0, or CC_ERR_USAGE for an empty path or a smaller buffer. */
int cc_export_file_name(const char *path, char *name, size_t size);

/* Options of the CSV export. */
typedef struct {
    int excel; /* UTF-8 with a byte-order mark and CRLF line ends */
    volatile sig_atomic_t *interrupted; /* read before each file (CC_ERR_INTERRUPTED); may be NULL */
} cc_export_options;

/* Write one CSV per summary dataset of the open file into out_dir (created if missing; one
 * level), long format: a header row naming each axis and `value`, one row per value; and
 * index.csv (file, dataset, units, long_name, description). Each file is written under a
 * temporary name and renamed, so an existing file is replaced whole or not at all. *nwritten
 * (may be NULL) counts the dataset files. Returns 0, CC_ERR_IO (err names the file) or
 * CC_ERR_NOMEM. */
int cc_export_csv(cc_reader *reader, const char *out_dir, const cc_export_options *options, int *nwritten,
                  cc_error *err);

/* Write one self-contained HTML page (charts inline as SVG, the headline tables, the keys the
 * answer leans on, seed, scenarios and engine version; no external reference; a print
 * stylesheet) for the results file at results_path into out_path (temporary file + rename).
 * The charts come from cc_plot_results into a private temporary folder, removed afterwards;
 * a file that yields no chart still gets its tables, with what was skipped named. Returns 0
 * or a cc_error code (err filled). interrupted (may be NULL): as cc_plot_results; the private
 * folder is removed and out_path left as it was. */
int cc_report_html(const char *results_path, const char *out_path, cc_lang lang, volatile sig_atomic_t *interrupted,
                   cc_error *err);

#endif
