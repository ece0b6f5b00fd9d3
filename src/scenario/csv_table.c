/* CSV tables through libcsv (one record per line of input fed, so every row keeps its
 * source line number for error messages), typed cell access, and file checksums. */
#include "csv_table.h"

#include "input_file.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    cc_table *table;
    char **fields;  /* fields of the record being read */
    int nfields, cap;
    int line;       /* line being fed */
    int record_line;/* line where the current record started */
    int failed;
    int extra_line; /* line of a row with more cells than the header, or 0 */
    int row_cap;    /* rows the table's arrays hold: grown by doubling, so a table of many rows
                     * (the municipal register: 140,238) is not copied once per row */
} reader;

static char *dup_range(const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

static void on_field(void *data, size_t len, void *ctx)
{
    reader *rd = ctx;
    if (rd->failed)
        return;
    if (rd->nfields == rd->cap) {
        int cap = rd->cap ? 2 * rd->cap : 16;
        char **grown = realloc(rd->fields, cap * sizeof *grown);
        if (!grown) { rd->failed = 1; return; }
        rd->fields = grown;
        rd->cap = cap;
    }
    const char *text = data ? data : "";
    /* A UTF-8 byte-order mark may open the first field of the file. */
    if (rd->table->ncols == 0 && rd->nfields == 0 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    char *copy = dup_range(text, len);
    if (!copy) { rd->failed = 1; return; }
    rd->fields[rd->nfields++] = copy;
}

static int store_record(reader *rd)
{
    cc_table *t = rd->table;
    if (t->ncols == 0) {
        t->header = rd->fields;
        t->ncols = rd->nfields;
        rd->fields = NULL;
        rd->nfields = rd->cap = 0;
        return 0;
    }
    for (int c = t->ncols; c < rd->nfields; c++)
        if (rd->fields[c][0] != '\0') {
            rd->extra_line = rd->record_line;
            return -2;
        }
    char **row = calloc(t->ncols, sizeof *row);
    if (!row) return -1;
    if (t->nrows == rd->row_cap) {
        int cap = rd->row_cap ? 2 * rd->row_cap : 64;
        char ***cells = realloc(t->cells, (size_t)cap * sizeof *cells);
        if (cells) t->cells = cells;
        int *lines = cells ? realloc(t->row_line, (size_t)cap * sizeof *lines) : NULL;
        if (lines) t->row_line = lines;
        if (!cells || !lines) { free(row); return -1; }
        rd->row_cap = cap;
    }
    for (int c = 0; c < t->ncols; c++) {
        if (c < rd->nfields) { row[c] = rd->fields[c]; rd->fields[c] = NULL; }
        else if (!(row[c] = dup_range("", 0))) { rd->failed = 1; }
    }
    t->cells[t->nrows] = row;
    t->row_line[t->nrows] = rd->record_line;
    t->nrows++;
    return 0;
}

static void on_record(int terminator, void *ctx)
{
    (void)terminator;
    reader *rd = ctx;
    if (rd->failed)
        return;
    /* libcsv skips blank lines; a record of one empty field is a blank line too. */
    int blank = rd->nfields == 1 && rd->fields[0][0] == '\0';
    int stored = blank ? 0 : store_record(rd);
    if (stored == -2)
        rd->failed = 2;
    else if (stored != 0)
        rd->failed = 1;
    for (int i = 0; i < rd->nfields; i++)
        free(rd->fields[i]);
    rd->nfields = 0;
}

static void reader_cleanup(reader *rd)
{
    for (int i = 0; i < rd->nfields; i++)
        free(rd->fields[i]);
    free(rd->fields);
}

int cc_table_load(cc_table *table, const char *path, cc_error *err)
{
    memset(table, 0, sizeof *table);
    int ret = 0;
    struct csv_parser parser;
    int parser_ready = 0;
    reader rd = { .table = table };
    char buf[4096], *data = NULL;
    size_t size = 0;
    FILE *f = NULL;
    if ((ret = cc_input_file_read(path, "table", CC_MAX_TABLE_BYTES, &data, &size, err)) != 0)
        goto out;
    cc_sha256_hex(data, size, table->sha256);
    const char *nul = memchr(data, '\0', size);
    if (nul) {
        ret = cc_error_set(err, CC_ERR_SYNTAX, path, cc_input_line_of(data, nul), NULL,
                           "a NUL byte: not a text file (save it as CSV text, UTF-8)");
        goto out;
    }
    if (size == 0) {
        ret = cc_error_set(err, CC_ERR_TABLE, path, 1, NULL, "empty table: no header row");
        goto out;
    }
    if (!(f = fmemopen(data, size, "rb"))) {
        ret = cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory");
        goto out;
    }
    if (!(table->path = strdup(path)) || csv_init(&parser, CSV_APPEND_NULL) != 0) {
        ret = cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory");
        goto out;
    }
    parser_ready = 1;
    /* Feed one line at a time (LF, CRLF or a lone CR ends a line) so every record knows the
     * line it starts on, even when a quoted field runs over several lines. */
    rd.line = 1;
    size_t len = 0, cap = sizeof buf;
    char *line = buf;
    int c;
    while ((c = fgetc(f)) != EOF || len > 0) {
        int end = c == EOF || c == '\n' || c == '\r';
        if (c == '\r') {
            int next = fgetc(f);
            if (next != '\n' && next != EOF)
                ungetc(next, f);
        }
        if (!end) {
            if (len + 2 >= cap) {
                char *grown = realloc(line == buf ? NULL : line, cap * 2);
                if (!grown) { ret = cc_error_set(err, CC_ERR_NOMEM, path, rd.line, NULL, "out of memory"); goto out_line; }
                if (line == buf) memcpy(grown, buf, len);
                line = grown;
                cap *= 2;
            }
            line[len++] = (char)c;
            continue;
        }
        line[len++] = '\n';
        if (parser.pstate == 0 && rd.nfields == 0) /* no record under way: one starts here */
            rd.record_line = rd.line;
        if (csv_parse(&parser, line, len, on_field, on_record, &rd) != len) {
            ret = cc_error_set(err, CC_ERR_SYNTAX, path, rd.line, NULL, "malformed CSV: %s",
                               csv_strerror(csv_error(&parser)));
            goto out_line;
        }
        len = 0;
        rd.line++;
        if (c == EOF)
            break;
    }
    if (ferror(f)) {
        ret = cc_error_set(err, CC_ERR_IO, path, rd.line, NULL, "read error: %s", strerror(errno));
        goto out_line;
    }
out_line:
    if (line != buf)
        free(line);
    if (ret != 0)
        goto out;
    if (parser.pstate == 2 && parser.quoted) { /* libcsv's FIELD_BEGUN inside quotes: no closing quote */
        ret = cc_error_set(err, CC_ERR_SYNTAX, path, rd.record_line, NULL, "malformed CSV: a quoted field "
                           "in the row starting here is not closed before the end of the file");
        goto out;
    }
    if (csv_fini(&parser, on_field, on_record, &rd) != 0) {
        ret = cc_error_set(err, CC_ERR_SYNTAX, path, rd.line, NULL, "malformed CSV at end of file");
        goto out;
    }
    if (rd.failed == 2) {
        ret = cc_error_set(err, CC_ERR_TABLE, path, rd.extra_line, NULL,
                           "row has more cells than the header has columns (an unquoted comma, such as "
                           "a thousands separator?)");
        goto out;
    }
    if (rd.failed) {
        ret = cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory reading table");
        goto out;
    }
    if (table->ncols == 0)
        ret = cc_error_set(err, CC_ERR_TABLE, path, 1, NULL, "empty table: no header row");
out:
    if (parser_ready)
        csv_free(&parser);
    reader_cleanup(&rd);
    if (f)
        fclose(f);
    free(data);
    if (ret != 0)
        cc_table_free(table);
    return ret;
}

void cc_table_free(cc_table *table)
{
    for (int r = 0; r < table->nrows; r++) {
        for (int c = 0; c < table->ncols; c++)
            free(table->cells[r][c]);
        free(table->cells[r]);
    }
    for (int c = 0; c < table->ncols; c++)
        free(table->header[c]);
    free(table->header);
    free(table->cells);
    free(table->row_line);
    free(table->path);
    memset(table, 0, sizeof *table);
}

int cc_table_find_column(const cc_table *table, const char *name)
{
    for (int c = 0; c < table->ncols; c++)
        if (strcmp(table->header[c], name) == 0)
            return c;
    return -1;
}

int cc_table_column(const cc_table *table, const char *name, int *col, cc_error *err)
{
    *col = cc_table_find_column(table, name);
    if (*col < 0)
        return cc_error_set(err, CC_ERR_TABLE, table->path, 1, name,
                            "required column '%s' is missing from the header", name);
    return 0;
}

/* Decimal notation only: digits, sign, point and exponent (strtod alone would also take hex
 * such as 0x1A, and "inf"/"nan"). */
static int decimal_text(const char *text)
{
    for (const char *p = text; *p; p++)
        if (!strchr("0123456789+-.eE \t\r", *p))
            return 0;
    return 1;
}

int cc_parse_double(const char *text, double *value)
{
    char *end;
    while (*text == ' ' || *text == '\t')
        text++;
    if (*text == '\0' || !decimal_text(text))
        return -1;
    errno = 0;
    double v = strtod(text, &end);
    while (*end == ' ' || *end == '\t' || *end == '\r')
        end++;
    if (*end != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *value = v;
    return 0;
}

int cc_parse_long(const char *text, long *value)
{
    char *end;
    while (*text == ' ' || *text == '\t')
        text++;
    if (*text == '\0' || !decimal_text(text))
        return -1;
    errno = 0;
    long v = strtol(text, &end, 10);
    while (*end == ' ' || *end == '\t' || *end == '\r')
        end++;
    if (*end != '\0' || errno == ERANGE)
        return -1;
    *value = v;
    return 0;
}

static int is_empty_cell(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    return *s == '\0';
}

int cc_table_double(const cc_table *table, int row, int col, double *value, cc_error *err)
{
    const char *text = table->cells[row][col];
    if (cc_parse_double(text, value) != 0)
        return cc_error_set(err, CC_ERR_NUMBER, table->path, table->row_line[row],
                            table->header[col], "'%s' is not a finite decimal number", text);
    return 0;
}

int cc_table_int(const cc_table *table, int row, int col, long *value, int *is_empty,
                 cc_error *err)
{
    const char *text = table->cells[row][col];
    if (is_empty)
        *is_empty = 0;
    if (is_empty && is_empty_cell(text)) {
        *is_empty = 1;
        return 0;
    }
    if (cc_parse_long(text, value) != 0)
        return cc_error_set(err, CC_ERR_NUMBER, table->path, table->row_line[row],
                            table->header[col], "'%s' is not an integer", text);
    return 0;
}

