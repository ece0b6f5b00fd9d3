/* Reading scenario files: INI text through inih, with a reader that counts lines (Debian's
 * inih passes no line number to the handler) and checks section headers as they pass, so
 * every error names its file and line. A key given twice is refused (it cannot be told apart
 * from a continuation line). Base scenarios are read first, then the file's own keys applied. */
#include "ini_reader.h"

#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input_file.h"
#include "keys.h"
#include "settings.h"

#define MAX_BASE_DEPTH 8

/* One key = value read from a file. */
typedef struct {
    const cc_key_info *key;
    char *value;
    int line;
} entry;

typedef struct {
    const char *path;
    FILE *file;
    int line;          /* line number of the text last returned by the reader */
    int completed;     /* lines fully read */
    char section[128]; /* section named on the last header line seen by the reader */
    entry *entries;
    int nentries;
    cc_error *err;
    int failed;
} parse_ctx;

static int unknown_section_error(parse_ctx *ctx, const char *section)
{
    char near[160];
    cc_key_nearest(section, NULL, near, sizeof near);
    ctx->failed = 1;
    return cc_error_set(ctx->err, CC_ERR_UNKNOWN_KEY, ctx->path, ctx->line, section,
                        "unknown section [%s]; did you mean %s?", section, near);
}

/* fgets that also ends a line at CRLF or a lone CR, each returned as '\n' (so a CRLF line has
 * the same length limit as a LF one, and a file with lone-CR line ends is not one long line).
 * Returns the length read (0 at the end of the file); *complete: the line end was read. */
static size_t get_line(char *str, int num, FILE *file, int *complete)
{
    size_t len = 0;
    int c;
    *complete = 0;
    while (len + 1 < (size_t)num && (c = fgetc(file)) != EOF) {
        if (c == '\r') {
            int next = fgetc(file);
            if (next != '\n' && next != EOF)
                ungetc(next, file);
            c = '\n';
        }
        str[len++] = (char)c;
        if (c == '\n') {
            *complete = 1;
            break;
        }
    }
    str[len] = '\0';
    return len;
}

/* inih reader: reads a line (get_line), counts lines and checks section headers as they pass. */
static char *read_line(char *str, int num, void *stream)
{
    parse_ctx *ctx = stream;
    int complete;
    size_t len;
    if (ctx->failed || (len = get_line(str, num, ctx->file, &complete)) == 0)
        return NULL;
    ctx->line = ctx->completed + 1;
    if (complete)
        ctx->completed++;
    else if (len + 1 == (size_t)num) { /* the buffer is full and the line goes on */
        ctx->failed = 1;
        cc_error_set(ctx->err, CC_ERR_SYNTAX, ctx->path, ctx->line, NULL,
                     "line longer than %d characters (put long notes on several comment lines)",
                     num - 2);
        return NULL;
    }
    const char *p = str;
    if (ctx->line == 1 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '[') {
        const char *close = strchr(p, ']');
        if (!close) { /* inih would blame the next line */
            ctx->failed = 1;
            cc_error_set(ctx->err, CC_ERR_SYNTAX, ctx->path, ctx->line, NULL,
                         "section header without its closing ']'");
            return NULL;
        }
        if ((size_t)(close - p - 1) < sizeof ctx->section) {
            char section[128];
            memcpy(section, p + 1, close - p - 1);
            section[close - p - 1] = '\0';
            char *s = section, *e = section + strlen(section);
            while (*s == ' ') s++;
            while (e > s && e[-1] == ' ') *--e = '\0';
            if (!cc_key_section_known(s)) {
                unknown_section_error(ctx, s);
                return NULL;
            }
        }
    }
    return str;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    parse_ctx *ctx = user;
    if (ctx->failed)
        return 0;
    if (!section[0]) {
        ctx->failed = 1;
        cc_error_set(ctx->err, CC_ERR_SYNTAX, ctx->path, ctx->line, name,
                     "key '%s' before any [section]", name);
        return 0;
    }
    if (!cc_key_section_known(section)) {
        unknown_section_error(ctx, section);
        return 0;
    }
    const cc_key_info *key = cc_key_find(section, name);
    if (!key) {
        char near[160];
        cc_key_nearest(section, name, near, sizeof near);
        ctx->failed = 1;
        cc_error_set(ctx->err, CC_ERR_UNKNOWN_KEY, ctx->path, ctx->line, name,
                     "unknown key '%s' in [%s]; did you mean %s?", name, section, near);
        return 0;
    }
    for (int i = 0; i < ctx->nentries; i++)
        if (ctx->entries[i].key == key) {
            ctx->failed = 1;
            cc_error_set(ctx->err, CC_ERR_DUPLICATE, ctx->path, ctx->line, name,
                         "[%s] %s is given twice (first on line %d)", section, name,
                         ctx->entries[i].line);
            return 0;
        }
    entry *grown = realloc(ctx->entries, (ctx->nentries + 1) * sizeof *grown);
    if (!grown || !(value = strdup(value))) {
        if (grown) ctx->entries = grown;
        ctx->failed = 1;
        cc_error_set(ctx->err, CC_ERR_NOMEM, ctx->path, ctx->line, name, "out of memory");
        return 0;
    }
    ctx->entries = grown;
    ctx->entries[ctx->nentries++] = (entry){key, (char *)value, ctx->line};
    return 1;
}

/* The whole scenario file, read once (input_file.h): parsed from these bytes and kept, the same
 * bytes, for the provenance. NUL bytes are refused with their line (the text would be cut there). */
static int read_text(const char *path, char **text, size_t *len, cc_error *err)
{
    int ret = cc_input_file_read(path, "scenario", CC_MAX_SCENARIO_BYTES, text, len, err);
    if (ret != 0)
        return ret;
    const char *nul = memchr(*text, '\0', *len);
    if (nul) {
        ret = cc_error_set(err, CC_ERR_SYNTAX, path, cc_input_line_of(*text, nul), NULL,
                           "a NUL byte: not a text file (save the scenario as UTF-8 text)");
        free(*text);
        *text = NULL;
    }
    return ret;
}

/* Resolve a path written in file `from` relative to that file's folder. */
char *cc_resolve_path(const char *from, const char *path)
{
    if (path[0] == '/' || !from)
        return strdup(path);
    char *copy = strdup(from);
    if (!copy)
        return NULL;
    const char *dir = dirname(copy);
    size_t size = strlen(dir) + strlen(path) + 2;
    char *out = malloc(size);
    if (out)
        snprintf(out, size, "%s/%s", dir, path);
    free(copy);
    return out;
}

static int add_file(cc_scenario *s, const char *path, char *text)
{
    cc_scenario_file *grown = realloc(s->files, (s->nfiles + 1) * sizeof *grown);
    if (!grown)
        return CC_ERR_NOMEM;
    s->files = grown;
    char *copy = strdup(path);
    if (!copy) /* nothing stored: the caller still owns text */
        return CC_ERR_NOMEM;
    s->files[s->nfiles].path = copy;
    s->files[s->nfiles].text = text;
    s->nfiles++;
    return 0;
}

/* Refuse, at the line that names it, a base that is already being read (the file itself, or
 * one that has it as a base: a cycle) or one nested too deep. Every file read so far for this
 * scenario is on the chain of bases (a file has at most one base), so s->files is the chain. */
static int check_base(const cc_scenario *s, const char *path, const char *base, int line, int depth,
                      cc_error *err)
{
    struct stat b, f;
    if (stat(base, &b) == 0)
        for (int i = 0; i < s->nfiles; i++)
            if (stat(s->files[i].path, &f) == 0 && f.st_dev == b.st_dev && f.st_ino == b.st_ino)
                return cc_error_set(err, CC_ERR_RANGE, path, line, "base", i == s->nfiles - 1
                                    ? "base scenario '%s' is this file itself" : "base scenario '%s' is "
                                    "already being read (%s names it as a base, directly or not): a cycle",
                                    base, s->files[i].path);
    if (depth + 1 > MAX_BASE_DEPTH)
        return cc_error_set(err, CC_ERR_RANGE, path, line, "base",
                            "base scenario '%s' nested more than %d deep", base, MAX_BASE_DEPTH);
    return 0;
}

/* Read one scenario file and (first) its bases, applying their settings in order. */
int cc_ini_read(cc_scenario *s, const char *path, int depth, cc_error *err)
{
    int ret = 0;
    char *text = NULL;
    parse_ctx ctx = { .path = path, .err = err };
    size_t len = 0;
    if ((ret = read_text(path, &text, &len, err)) != 0)
        return ret;
    if ((ret = add_file(s, path, text)) != 0) {
        free(text);
        return cc_error_set(err, ret, path, 0, NULL, "out of memory");
    }
    int rc = 0;
    if (len > 0) { /* parse the bytes read, not the file again (it may have changed, or be a FIFO) */
        if (!(ctx.file = fmemopen(text, len, "rb")))
            return cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory");
        rc = ini_parse_stream(read_line, &ctx, on_key, &ctx);
        fclose(ctx.file);
    }
    if (ctx.failed) {
        ret = err->code ? err->code : CC_ERR_SYNTAX;
        goto out;
    }
    if (rc != 0) {
        ret = cc_error_set(err, CC_ERR_SYNTAX, path, rc, NULL,
                           "expected '[section]' or 'key = value' (a key with no '=', or an "
                           "indented continuation line)");
        goto out;
    }
    for (int i = 0; i < ctx.nentries; i++)
        if (strcmp(ctx.entries[i].key->name, "base") == 0 && ctx.entries[i].value[0]) {
            char *base = cc_resolve_path(path, ctx.entries[i].value);
            if (!base) { ret = cc_error_set(err, CC_ERR_NOMEM, path, 0, NULL, "out of memory"); goto out; }
            if ((ret = check_base(s, path, base, ctx.entries[i].line, depth, err)) != 0) {
                free(base);
                goto out;
            }
            ret = cc_ini_read(s, base, depth + 1, err);
            if (ret == CC_ERR_IO && err->line == 0 && strcmp(err->file, base) == 0) { /* say who named it */
                char reason[768];
                snprintf(reason, sizeof reason, "%s", err->message);
                cc_error_set(err, CC_ERR_IO, path, ctx.entries[i].line, "base", "base scenario '%s': %s", base,
                             reason);
            }
            free(base);
            if (ret != 0)
                goto out;
        }
    for (int i = 0; i < ctx.nentries; i++)
        if ((ret = cc_settings_set(s, ctx.entries[i].key, ctx.entries[i].value, path, ctx.entries[i].line)) != 0) {
            ret = cc_error_set(err, ret, path, ctx.entries[i].line, NULL, "out of memory");
            goto out;
        }
out:
    for (int i = 0; i < ctx.nentries; i++)
        free(ctx.entries[i].value);
    free(ctx.entries);
    return ret;
}

