/* `carecast summary`: the headline of a results file (headline.c reads it) written as text
 * tables for a terminal or as JSON for other tools. The JSON carries, beside each number,
 * the dataset and positions it came from, so a reader can check it or fetch more; numbers
 * are in their shortest exact form and NaN or infinities are null (RFC 8259 has neither). */
#include "carecast/summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "textout.h"

/* v with thousands separators and `decimals` decimals (-1: four significant digits). */
static void format_number(char *buf, size_t size, double v, int decimals)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "%s", isnan(v) ? "-" : v > 0 ? "inf" : "-inf");
        return;
    }
    if (decimals < 0) {
        snprintf(buf, size, "%.6g", v);
        return;
    }
    char plain[64];
    snprintf(plain, sizeof plain, "%.*f", decimals, fabs(v));
    if (strcmp(plain, "0") != 0 && v < 0 && size > 1)
        *buf++ = '-', size--;
    size_t digits = strcspn(plain, "."), out = 0;
    for (size_t i = 0; plain[i] && out + 2 < size; i++) {
        if (i > 0 && i < digits && (digits - i) % 3 == 0)
            buf[out++] = ',';
        buf[out++] = plain[i];
    }
    buf[out] = '\0';
}

void cc_summary_cell_format(const cc_summary_cell *cell, char *buf, size_t size)
{
    if (cell->text) {
        snprintf(buf, size, "%s", cell->text);
        return;
    }
    double scale = cell->percent ? 100 : 1;
    const char *unit = cell->percent ? "%" : "";
    char v[64], lo[64], hi[64];
    format_number(v, sizeof v, cell->value * scale, cell->decimals);
    if (isnan(cell->value)) {
        snprintf(buf, size, "-");
        return;
    }
    if (cell->at_lo.rank == 0 || isnan(cell->lo) || isnan(cell->hi)) {
        snprintf(buf, size, "%s%s", v, unit);
        return;
    }
    format_number(lo, sizeof lo, cell->lo * scale, cell->decimals);
    format_number(hi, sizeof hi, cell->hi * scale, cell->decimals);
    snprintf(buf, size, "%s%s (%s-%s%s)", v, unit, lo, hi, unit);
}

/* ---- text --------------------------------------------------------------------------------- */

/* s padded with spaces to `width` columns (wide characters count two). */
static int pad(FILE *f, const char *s, int width, int right)
{
    int gap = width - cc_text_width(s);
    if (right && gap > 0 && fprintf(f, "%*s", gap, "") < 0)
        return -1;
    if (fputs(s, f) == EOF)
        return -1;
    return !right && gap > 0 && fprintf(f, "%*s", gap, "") < 0 ? -1 : 0;
}

/* Control characters of a name would move the cursor or break the table: shown as '?'. */
static char *printable(const char *s)
{
    char *out = strdup(s ? s : "");
    for (char *p = out; p && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            *p = '?';
    return out;
}

static int write_table(const cc_summary_table *t, FILE *f)
{
    enum { CELL = 96 };
    int bad = 0, ncol = t->ncolumns + 1;
    int *width = calloc((size_t)ncol, sizeof *width);
    char *title = printable(t->title), *note = printable(t->note);
    if (!width || !title || !note) {
        free(width);
        free(title);
        free(note);
        return -1;
    }
    width[0] = cc_text_width(t->corner);
    for (int r = 0; r < t->nrows; r++) {
        char *label = printable(t->rows[r].label);
        if (label && cc_text_width(label) > width[0])
            width[0] = cc_text_width(label);
        free(label);
    }
    for (int k = 0; k < t->ncolumns; k++) {
        width[k + 1] = cc_text_width(t->columns[k]);
        for (int r = 0; r < t->nrows; r++) {
            char cell[CELL];
            cc_summary_cell_format(&t->rows[r].cells[k], cell, sizeof cell);
            if (cc_text_width(cell) > width[k + 1])
                width[k + 1] = cc_text_width(cell);
        }
    }
    bad |= fprintf(f, "%s\n", title) < 0;
    if (t->note && t->note[0])
        bad |= fprintf(f, "%s\n", note) < 0;
    bad |= pad(f, t->corner, width[0], 0);
    for (int k = 0; k < t->ncolumns; k++)
        bad |= fputs("  ", f) == EOF || pad(f, t->columns[k], width[k + 1], 1);
    bad |= fputc('\n', f) == EOF;
    for (int r = 0; r < t->nrows; r++) {
        char *label = printable(t->rows[r].label);
        bad |= !label || pad(f, label, width[0], 0);
        free(label);
        for (int k = 0; k < t->ncolumns; k++) {
            char cell[CELL];
            cc_summary_cell_format(&t->rows[r].cells[k], cell, sizeof cell);
            bad |= fputs("  ", f) == EOF || pad(f, cell, width[k + 1], 1);
        }
        bad |= fputc('\n', f) == EOF;
    }
    if (t->nrows == 0)
        bad |= fputs("(none)\n", f) == EOF; /* e.g. no parameter moves this output */
    bad |= fputc('\n', f) == EOF;
    free(width);
    free(title);
    free(note);
    return bad ? -1 : 0;
}

int cc_summary_write_text(const cc_summary *s, FILE *f)
{
    int bad = 0;
    bad |= fprintf(f, "carecast %s file", s->kind) < 0;
    for (int i = 0; i < s->nscenarios; i++) {
        char *name = printable(s->scenarios[i]);
        bad |= !name || fprintf(f, "%s%s", i ? ", " : "; scenario ", name) < 0;
        free(name);
    }
    if (!isnan(s->seed))
        bad |= fprintf(f, "; seed %.0f", s->seed) < 0;
    if (!isnan(s->replications))
        bad |= fprintf(f, "; %.0f replications", s->replications) < 0;
    if (s->engine_version) {
        char *version = printable(s->engine_version);
        bad |= !version || fprintf(f, "; engine %s", version) < 0;
        free(version);
    }
    bad |= fputs("\n\n", f) == EOF;
    for (int t = 0; t < s->ntables; t++)
        bad |= write_table(&s->tables[t], f);
    for (int i = 0; i < s->nabsent; i++)
        bad |= fprintf(f, "%s%s\n", i ? "" : "Not in this file:\n", s->absent[i]) < 0;
    return bad || ferror(f) ? CC_ERR_IO : 0;
}

/* ---- JSON --------------------------------------------------------------------------------- */

static int json_key(FILE *f, const char *key, const char *value, int comma)
{
    int bad = (comma && fputs(", ", f) == EOF) || cc_json_string(f, key) || fputs(": ", f) == EOF;
    return bad || (value ? cc_json_string(f, value) : fputs("null", f) == EOF) ? -1 : 0;
}

static int json_at(FILE *f, const cc_summary_at *at)
{
    int bad = fputc('[', f) == EOF;
    for (int i = 0; i < at->rank; i++) {
        if (i)
            bad |= fputs(", ", f) == EOF;
        if (at->from[i] == at->to[i])
            bad |= fprintf(f, "%zu", at->from[i]) < 0;
        else
            bad |= fprintf(f, "[%zu, %zu]", at->from[i], at->to[i]) < 0;
    }
    return bad || fputc(']', f) == EOF ? -1 : 0;
}

static int json_cell(FILE *f, const cc_summary_cell *c)
{
    if (c->text)
        return fputs("{\"text\": ", f) == EOF || cc_json_string(f, c->text) || fputc('}', f) == EOF ? -1 : 0;
    int bad = fputs("{\"value\": ", f) == EOF || cc_json_number(f, c->value);
    if (c->at_lo.rank)
        bad |= fputs(", \"lo\": ", f) == EOF || cc_json_number(f, c->lo) || fputs(", \"hi\": ", f) == EOF ||
               cc_json_number(f, c->hi);
    bad |= fprintf(f, ", \"percent\": %s", c->percent ? "true" : "false") < 0;
    if (c->dataset) {
        bad |= json_key(f, "dataset", c->dataset, 1) || fputs(", \"at\": {\"value\": ", f) == EOF ||
               json_at(f, &c->at_value);
        if (c->at_lo.rank)
            bad |= fputs(", \"lo\": ", f) == EOF || json_at(f, &c->at_lo) || fputs(", \"hi\": ", f) == EOF ||
                   json_at(f, &c->at_hi);
        bad |= fputc('}', f) == EOF;
    }
    return bad || fputc('}', f) == EOF ? -1 : 0;
}

static int json_table(FILE *f, const cc_summary_table *t)
{
    int bad = fputs("    {", f) == EOF || json_key(f, "id", t->id, 0) || json_key(f, "title", t->title, 1) ||
              json_key(f, "scenario", t->scenario, 1) || json_key(f, "note", t->note, 1) ||
              json_key(f, "corner", t->corner, 1) || fputs(",\n     \"columns\": [", f) == EOF;
    for (int k = 0; k < t->ncolumns; k++)
        bad |= (k && fputs(", ", f) == EOF) || cc_json_string(f, t->columns[k]);
    bad |= fputs("],\n     \"rows\": [", f) == EOF;
    for (int r = 0; r < t->nrows; r++) {
        bad |= fputs(r ? ",\n       {" : "\n       {", f) == EOF || json_key(f, "label", t->rows[r].label, 0) ||
               fputs(", \"cells\": [", f) == EOF;
        for (int k = 0; k < t->ncolumns; k++)
            bad |= (k && fputs(", ", f) == EOF) || json_cell(f, &t->rows[r].cells[k]);
        bad |= fputs("]}", f) == EOF;
    }
    return bad || fputs("]}", f) == EOF ? -1 : 0;
}

static int json_strings(FILE *f, const char *key, char *const *list, int n)
{
    int bad = fprintf(f, ",\n  ") < 0 || cc_json_string(f, key) || fputs(": [", f) == EOF;
    for (int i = 0; i < n; i++)
        bad |= (i && fputs(", ", f) == EOF) || cc_json_string(f, list[i]);
    return bad || fputc(']', f) == EOF ? -1 : 0;
}

int cc_summary_write_json(const cc_summary *s, FILE *f)
{
    int bad = fputs("{\n  ", f) == EOF || json_key(f, "kind", s->kind, 0) || json_key(f, "layout", s->layout, 1) ||
              json_key(f, "engine_version", s->engine_version, 1) || json_key(f, "created", s->created, 1) ||
              json_key(f, "command_line", s->command_line, 1) || fputs(", \"seed\": ", f) == EOF ||
              cc_json_number(f, s->seed) || fputs(", \"replications\": ", f) == EOF ||
              cc_json_number(f, s->replications);
    bad |= json_strings(f, "scenarios", s->scenarios, s->nscenarios);
    bad |= json_strings(f, "absent", s->absent, s->nabsent);
    bad |= fputs(",\n  \"tables\": [\n", f) == EOF;
    for (int t = 0; t < s->ntables; t++)
        bad |= (t && fputs(",\n", f) == EOF) || json_table(f, &s->tables[t]);
    bad |= fputs("\n  ],\n  \"assumptions\": [", f) == EOF;
    for (int i = 0; i < s->nkeys; i++) {
        const cc_summary_key *k = &s->keys[i];
        bad |= fputs(i ? ",\n    {" : "\n    {", f) == EOF || json_key(f, "scenario", k->scenario, 0) ||
               json_key(f, "section", k->section, 1) || json_key(f, "key", k->key, 1) ||
               json_key(f, "value", k->value, 1) || json_key(f, "origin", k->origin, 1) ||
               json_key(f, "basis", k->basis, 1) || json_key(f, "comment", k->comment, 1) || fputc('}', f) == EOF;
    }
    bad |= fputs("\n  ]\n}\n", f) == EOF;
    return bad || ferror(f) ? CC_ERR_IO : 0;
}
