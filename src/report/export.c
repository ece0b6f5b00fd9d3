/* `carecast export`: one CSV file per summary dataset of a results file, for spreadsheets and
 * other tools. Long format (one row per value, a column per axis and `value`), RFC 4180
 * quoting, numbers in their shortest exact form (they read back to the same double), NaN as
 * an empty field. What a "summary dataset" is: see cc_export_is_summary in summary.h.
 * File names come from the dataset path (cc_export_file_name), never from anything else, and
 * are made safe even for a crafted file whose group names hold '..', spaces or any bytes.
 * Each file goes to a temporary name in the folder and is renamed over the target when
 * complete: a failure leaves an existing file as it was. */
#include "carecast/summary.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "textout.h"

int cc_export_is_summary(const cc_read_dataset *d)
{
    if (strcmp(d->path, "/provenance") == 0 || strncmp(d->path, "/provenance/", 12) == 0 || d->is_scale)
        return 0;
    for (int i = 0; i < d->rank; i++)
        if (d->axes[i].name &&
            (strcmp(d->axes[i].name, "replication") == 0 || strcmp(d->axes[i].name, "coverage_replication") == 0))
            return 0;
    return 1;
}

static int safe_byte(unsigned char b) { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' || b == '-'; }

enum { NAME_MAX_STEM = 180 }; /* well under the 255 bytes of a file name, with room for the hash */

int cc_export_file_name(const char *path, char *name, size_t size)
{
    while (*path == '/')
        path++;
    if (!*path || size < NAME_MAX_STEM + 24)
        return CC_ERR_USAGE;
    uint64_t hash = 14695981039346656037ULL; /* FNV-1a of the whole path */
    size_t n = 0;
    int changed = 0;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        hash = (hash ^ *p) * 1099511628211ULL;
        if (n == NAME_MAX_STEM) {
            changed = 1;
            continue;
        }
        if (*p == '/')
            name[n++] = '.';
        else if (safe_byte(*p))
            name[n++] = (char)*p;
        else {
            name[n++] = '_';
            changed = 1;
        }
    }
    if (n == 5 && memcmp(name, "index", 5) == 0)
        changed = 1; /* index.csv is the export's own table of contents */
    if (changed)
        n += (size_t)snprintf(name + n, size - n, "-%016llx", (unsigned long long)hash);
    snprintf(name + n, size - n, ".csv");
    return 0;
}

/* ---- one file ----------------------------------------------------------------------------- */

typedef struct {
    FILE *f;
    const char *eol;
    int bad;
    int excel; /* text that a spreadsheet would run as a formula is written with a leading ' */
} csv_out;

static void put(csv_out *o, const char *s) { o->bad |= fputs(s, o->f) == EOF; }

/* A text field. For a spreadsheet (--excel), text starting with = + - @ TAB or CR (a scenario
 * name like =HYPERLINK(...) would be run as a formula when the file is opened) gets a leading
 * apostrophe, which spreadsheets show as text and do not display; the plain export keeps the
 * text exactly, for programs. */
static void put_text(csv_out *o, const char *s)
{
    if (!s)
        s = "";
    if (!o->excel || !s[0] || !strchr("=+-@\t\r", s[0])) {
        o->bad |= cc_csv_field(o->f, s);
        return;
    }
    size_t n = strlen(s);
    char *quoted = malloc(n + 2);
    if (!quoted) {
        o->bad = 1;
        return;
    }
    quoted[0] = '\'';
    memcpy(quoted + 1, s, n + 1);
    o->bad |= cc_csv_field(o->f, quoted);
    free(quoted);
}

static void put_number(csv_out *o, double v)
{
    char buf[40];
    if (isnan(v))
        return; /* an empty field: undefined (spreadsheets show an empty cell) */
    if (isinf(v))
        snprintf(buf, sizeof buf, "%s", v > 0 ? "inf" : "-inf");
    else
        cc_number_exact(buf, sizeof buf, v);
    put(o, buf);
}

/* The column names: each axis's name (unique, never "value"), then "value". */
static int header(csv_out *o, const cc_read_dataset *d)
{
    for (int i = 0; i < d->rank; i++) {
        char fallback[32];
        const char *name = d->axes[i].name && d->axes[i].name[0] ? d->axes[i].name : NULL;
        for (int j = 0; name && j < i; j++)
            if (d->axes[j].name && strcmp(d->axes[j].name, name) == 0)
                name = NULL;
        if (name && strcmp(name, "value") == 0)
            name = NULL;
        if (!name) {
            snprintf(fallback, sizeof fallback, "axis%d", i);
            name = fallback;
        }
        put_text(o, name);
        put(o, ",");
    }
    put(o, "value");
    put(o, o->eol);
    return o->bad;
}

static void rows(csv_out *o, const cc_read_dataset *d)
{
    size_t at[CC_READ_MAX_RANK] = {0};
    for (size_t k = 0; k < d->size && !o->bad; k++) {
        for (int i = 0; i < d->rank; i++) {
            const cc_read_axis *a = &d->axes[i];
            if (a->strings && a->length == d->dims[i])
                put_text(o, a->strings[at[i]]);
            else if (a->values && a->length == d->dims[i])
                put_number(o, a->values[at[i]]);
            else
                o->bad |= fprintf(o->f, "%zu", at[i]) < 0;
            put(o, ",");
        }
        if (d->kind == CC_DATA_STRING)
            put_text(o, d->strings[k]);
        else
            put_number(o, d->values[k]);
        put(o, o->eol);
        for (int i = d->rank - 1; i >= 0; i--) { /* next position, last axis fastest */
            if (++at[i] < d->dims[i])
                break;
            at[i] = 0;
        }
    }
}

/* One CSV file (a cc_output_fill): the byte-order mark for a spreadsheet, then fill's rows. */
typedef struct {
    const cc_export_options *opt;
    void (*fill)(csv_out *, const void *);
    const void *data;
} csv_job;

static int fill_csv(FILE *f, void *user, cc_error *err)
{
    const csv_job *j = user;
    int excel = j->opt && j->opt->excel;
    csv_out o = {f, excel ? "\r\n" : "\n", 0, excel};
    if (excel)
        put(&o, "\xEF\xBB\xBF"); /* the byte-order mark: Excel then reads UTF-8, not the local code page */
    j->fill(&o, j->data);
    /* a failed write shows in the stream (cc_output_write reports it with its errno); else out of memory */
    return o.bad && !ferror(f) ? cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory") : 0;
}

/* Write `fill` into dir/name whole or not at all (no fsync: the rename guards against a failed
 * export, not against power loss). */
static int write_atomic(const char *dir, const char *name, const cc_export_options *opt,
                        void (*fill)(csv_out *, const void *), const void *data, cc_error *err)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *target = malloc(n);
    if (!target)
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    snprintf(target, n, "%s/%s", dir, name);
    int rc = cc_output_write(target, 0, fill_csv, &(csv_job){opt, fill, data}, err);
    free(target);
    return rc;
}

static void fill_dataset(csv_out *o, const void *data)
{
    const cc_read_dataset *d = data;
    if (header(o, d) == 0)
        rows(o, d);
}

/* index.csv: what each file holds. */
typedef struct {
    char **files;
    cc_read_dataset *meta; /* path, units, long_name, description only */
    int n;
} export_index;

static void fill_index(csv_out *o, const void *data)
{
    const export_index *ix = data;
    put(o, "file,dataset,units,long_name,description");
    put(o, o->eol);
    for (int i = 0; i < ix->n && !o->bad; i++) {
        const char *fields[5] = {ix->files[i], ix->meta[i].path, ix->meta[i].units, ix->meta[i].long_name,
                                 ix->meta[i].description};
        for (int k = 0; k < 5; k++) {
            if (k)
                put(o, ",");
            put_text(o, fields[k]);
        }
        put(o, o->eol);
    }
}

static int make_dir(const char *dir, cc_error *err)
{
    struct stat st;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return cc_error_set(err, CC_ERR_IO, dir, 0, NULL, "cannot create the output folder: %s", strerror(errno));
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cc_error_set(err, CC_ERR_IO, dir, 0, NULL, "the output is not a folder");
    return 0;
}

static void index_free(export_index *ix)
{
    for (int i = 0; i < ix->n; i++) {
        free(ix->files[i]);
        free(ix->meta[i].path);
        free(ix->meta[i].units);
        free(ix->meta[i].long_name);
        free(ix->meta[i].description);
    }
    free(ix->files);
    free(ix->meta);
}

int cc_export_csv(cc_reader *reader, const char *out_dir, const cc_export_options *options, int *nwritten,
                  cc_error *err)
{
    int rc = make_dir(out_dir, err), count = cc_reader_count(reader);
    export_index ix = {calloc((size_t)count + 1, sizeof(char *)), calloc((size_t)count + 1, sizeof(cc_read_dataset)), 0};
    if (!rc && (!ix.files || !ix.meta))
        rc = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    for (int i = 0; !rc && i < count; i++) {
        if (options && options->interrupted && *options->interrupted) {
            rc = cc_error_set(err, CC_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
            break;
        }
        cc_read_dataset d;
        char name[256];
        if ((rc = cc_reader_read(reader, cc_reader_path(reader, i), &d, err)) != 0)
            break;
        if (cc_export_is_summary(&d) && cc_export_file_name(d.path, name, sizeof name) == 0) {
            for (int j = 0; j < ix.n && !rc; j++)
                if (strcmp(ix.files[j], name) == 0)
                    rc = cc_error_set(err, CC_ERR_IO, name, 0, NULL, "two datasets (%s, %s) give this file name",
                                      ix.meta[j].path, d.path);
            if (!rc)
                rc = write_atomic(out_dir, name, options, fill_dataset, &d, err);
            if (!rc) {
                /* keep what index.csv needs; the values are freed below */
                ix.files[ix.n] = strdup(name);
                ix.meta[ix.n] = (cc_read_dataset){.path = d.path, .units = d.units, .long_name = d.long_name,
                                                  .description = d.description};
                d.path = d.units = d.long_name = d.description = NULL;
                if (!ix.files[ix.n++])
                    rc = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
            }
        }
        cc_read_dataset_free(&d);
    }
    if (!rc)
        rc = write_atomic(out_dir, "index.csv", options, fill_index, &ix, err);
    if (nwritten)
        *nwritten = ix.n;
    index_free(&ix);
    return rc;
}
