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
