/* Error codes, their messages, and the error record (see include/carecast/error.h). */
#include "carecast/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const messages[CC_ERR_COUNT] = {
    "success",
    "out of memory",
    "input/output error",
    "syntax error",
    "unknown key",
    "duplicate entry",
    "not a valid number",
    "value out of range",
    "invalid table",
    "HDF5 error",
    "numerical error",
    "invalid usage",
    "interrupted",
};

const char *cc_strerror(int code)
{
    if (code > 0 || code <= -CC_ERR_COUNT)
        return "unknown error code";
    return messages[-code];
}

void cc_error_clear(cc_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

cc_error_category cc_error_default_category(int code)
{
    switch (code) {
    case CC_OK: return CC_CATEGORY_NONE;
    case CC_ERR_NOMEM: return CC_CATEGORY_RESOURCES;
    case CC_ERR_IO: case CC_ERR_HDF5: return CC_CATEGORY_IO;
    case CC_ERR_INTERRUPTED: return CC_CATEGORY_INTERRUPTED;
    case CC_ERR_USAGE: return CC_CATEGORY_USAGE;
    default: return CC_CATEGORY_INPUT;
    }
}

/* Length of the well-formed UTF-8 sequence at p (1 to 4), or 0 if it is not one. */
static size_t utf8_length(const unsigned char *p)
{
    size_t n = p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 && p[0] < 0xE0 ? 2 : 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* Make s one printable line of UTF-8: a control byte (a newline of a quoted field, a tab) or a
 * byte that is not UTF-8 (Shift-JIS text, say) is written \xNN, so that an error message is
 * always one line that a terminal and a UTF-8 reader can show. */
static void printable(char *s, size_t size)
{
    char out[1024];
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && o + 5 < sizeof out) {
        size_t n = *p >= 0x80 ? utf8_length(p) : (*p < 0x20 || *p == 0x7F) ? 0 : 1;
        if (n == 0) {
            o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02X", *p);
            p++;
        } else {
            memcpy(out + o, p, n);
            o += n;
            p += n;
        }
    }
    size_t n = o < size - 1 ? o : size - 1;
    while (n > 0 && n < o && ((unsigned char)out[n] & 0xC0) == 0x80) /* never cut a character in two */
        n--;
    memcpy(s, out, n);
    s[n] = '\0';
}

static void set_fields(cc_error *err, int code, const char *file, int line, const char *section, const char *field,
                       const char *fmt, va_list ap)
{
    cc_error_clear(err);
    err->code = code;
    err->category = cc_error_default_category(code);
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    snprintf(err->section, sizeof err->section, "%s", section ? section : "");
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    printable(err->file, sizeof err->file);
    printable(err->section, sizeof err->section);
    printable(err->field, sizeof err->field);
    printable(err->message, sizeof err->message);
}

int cc_error_set(cc_error *err, int code, const char *file, int line, const char *field,
                 const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    set_fields(err, code, file, line, NULL, field, fmt, ap);
    va_end(ap);
    return code;
}

int cc_error_set_key(cc_error *err, int code, const char *section, const char *key, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    set_fields(err, code, NULL, 0, section, key, fmt, ap);
    va_end(ap);
    return code;
}

void cc_error_format(const cc_error *err, char *buf, size_t size)
{
    int n = 0;
    if (err->file[0] && err->line > 0)
        n = snprintf(buf, size, "%s:%d: ", err->file, err->line);
    else if (err->file[0])
        n = snprintf(buf, size, "%s: ", err->file);
    if (n < 0 || (size_t)n >= size)
        return;
    int m = 0;
    if (err->field[0] && err->section[0])
        m = snprintf(buf + n, size - n, "field '%s' in [%s]: ", err->field, err->section);
    else if (err->field[0])
        m = snprintf(buf + n, size - n, "field '%s': ", err->field);
    if (m < 0 || (size_t)(n + m) >= size)
        return;
    snprintf(buf + n + m, size - n - m, "%s", err->message[0] ? err->message : cc_strerror(err->code));
}
