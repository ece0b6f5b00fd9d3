/* Small helpers shared by the cmocka unit tests (tests/test_*.c): temporary folders and
 * files, the repository's data tables, and assertions on a cc_error record that say what
 * was expected and what came back. Every test program runs from inside tests/.
 * A test program runs one test when given its name: build/tests/test_table test_sha256_abc */
#ifndef CC_TESTUTIL_H
#define CC_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carecast/error.h"

/* Folder of the scenario data tables, relative to tests/. */
#define TU_DATA_DIR "../scenarios/data"

/* Run a program's tests; argv[1], when given, selects tests by name (a cmocka pattern). */
#define TU_RUN_TESTS(tests, argc, argv) TU_RUN_GROUP_TESTS(tests, NULL, NULL, argc, argv)
/* The same with a setup and teardown run once around the whole group. */
#define TU_RUN_GROUP_TESTS(tests, setup, teardown, argc, argv) \
    (cmocka_set_test_filter((argc) > 1 ? (argv)[1] : NULL), cmocka_run_group_tests(tests, setup, teardown))

/* Write len bytes to path (replacing it); fails the test if that is impossible. */
static inline void tu_write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        print_error("cannot create %s\n", path);
        fail();
    }
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static inline void tu_write_file(const char *path, const char *text)
{
    tu_write_bytes(path, text, strlen(text));
}

/* Write printf-formatted text to path. */
static inline void tu_write_filef(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline void tu_write_filef(const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    char *text = malloc((size_t)n + 1);
    assert_non_null(text);
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    tu_write_bytes(path, text, (size_t)n);
    free(text);
}

/* dir/name into buf (PATH_MAX bytes). */
static inline const char *tu_path(char *buf, const char *dir, const char *name)
{
    int n = snprintf(buf, PATH_MAX, "%s/%s", dir, name);
    assert_true(n > 0 && n < PATH_MAX);
    return buf;
}

/* A new empty folder under /tmp; buf gets its path (PATH_MAX bytes). */
static inline const char *tu_mkdtemp(char *buf)
{
    snprintf(buf, PATH_MAX, "/tmp/carecast-test-XXXXXX");
    assert_non_null(mkdtemp(buf));
    return buf;
}

/* Remove path and everything under it (no symlinks followed). */
static inline void tu_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        struct dirent *ent;
        while (dir && (ent = readdir(dir)) != NULL) {
            if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
                continue;
            char child[PATH_MAX];
            int n = snprintf(child, sizeof child, "%s/%s", path, ent->d_name);
            if (n > 0 && (size_t)n < sizeof child)
                tu_rmtree(child);
        }
        if (dir)
            closedir(dir);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Absolute path of a table in scenarios/data (for scenarios written into a temp folder). */
static inline const char *tu_data_path(char *buf, const char *name)
{
    char rel[PATH_MAX];
    tu_path(rel, TU_DATA_DIR, name);
    if (!realpath(rel, buf)) {
        print_error("data table %s not found (tests run from tests/)\n", rel);
        fail();
    }
    return buf;
}

/* Assert that a call returned `code` and filled err with that code, file, line and field.
 * file and field may be NULL (not checked); line < 0 is not checked. */
static inline void tu_check_error(int ret, const cc_error *err, int code, const char *file, int line,
                                  const char *field, const char *src, int src_line)
{
    int ok = ret == code && err->code == code && (!file || strcmp(err->file, file) == 0) &&
             (line < 0 || err->line == line) && (!field || strcmp(err->field, field) == 0);
    if (ok)
        return;
    if (ret == 0) { /* err was not filled: do not print it */
        print_error("expected %d (%s) at %s:%d field '%s', got success\n", code, cc_strerror(code),
                    file ? file : "*", line, field ? field : "*");
        _fail(src, src_line);
    }
    print_error("expected %d (%s) at %s:%d field '%s'\n"
                "     got %d (returned %d, %s) at %s:%d field '%s': %s\n",
                code, cc_strerror(code), file ? file : "*", line, field ? field : "*",
                err->code, ret, cc_strerror(ret), err->file, err->line, err->field, err->message);
    _fail(src, src_line);
}
#define assert_cc_error(ret, err, code, file, line, field) \
    tu_check_error((ret), (err), (code), (file), (line), (field), __FILE__, __LINE__)

/* Assert that a call succeeded; on failure show the error record. */
static inline void tu_check_ok(int ret, const cc_error *err, const char *src, int src_line)
{
    if (ret == 0)
        return;
    char line[2048];
    cc_error_format(err, line, sizeof line);
    print_error("expected success, got %d (%s): %s\n", ret, cc_strerror(ret), line);
    _fail(src, src_line);
}
#define assert_cc_ok(ret, err) tu_check_ok((ret), (err), __FILE__, __LINE__)

/* Assert that text contains needle. */
static inline void tu_check_contains(const char *text, const char *needle, const char *src, int src_line)
{
    if (text && strstr(text, needle))
        return;
    print_error("'%s' does not contain '%s'\n", text ? text : "(null)", needle);
    _fail(src, src_line);
}
#define assert_contains(text, needle) tu_check_contains((text), (needle), __FILE__, __LINE__)

/* Write a scenario at path that uses the real tables of scenarios/data (Kashiwa's register
 * 2025, Japan's life table 2020, Japan's fertility 2020), projecting 2025-2035. `extra` is
 * appended after the [population] keys (more [population] keys, or further sections). */
static inline void tu_write_data_scenario(const char *path, const char *extra)
{
    char pop[PATH_MAX], mort[PATH_MAX], fert[PATH_MAX];
    tu_data_path(pop, "kashiwa_register_2025_5y_sex.csv");
    tu_data_path(mort, "jp_lifetable_2020_1x1.csv");
    tu_data_path(fert, "jp_asfr_2020_1x1.csv");
    tu_write_filef(path,
                   "[scenario]\nname = data\n"
                   "[simulation]\nseed = 12345\nreplications = 10\nbase_year = 2025\nend_year = 2035\n"
                   "[population]\nbase_population = %s\nmortality = %s\nfertility = %s\n%s",
                   pop, mort, fert, extra ? extra : "");
}

/* Assert |a - b| <= tolerance (doubles; cmocka 1.1 only compares floats). */
static inline void tu_check_close(double a, double b, double tolerance, const char *src, int src_line)
{
    if (fabs(a - b) <= tolerance)
        return;
    print_error("%.17g != %.17g (difference %.3g, tolerance %.3g)\n", a, b, a - b, tolerance);
    _fail(src, src_line);
}
#define assert_double_equal(a, b, tolerance) tu_check_close((a), (b), (tolerance), __FILE__, __LINE__)

/* Assert |a - b| <= tolerance * |b|. */
static inline void tu_check_relative(double a, double b, double tolerance, const char *src, int src_line)
{
    if (fabs(a - b) <= tolerance * fabs(b))
        return;
    print_error("%.17g != %.17g (relative difference %.3g, tolerance %.3g)\n", a, b,
                b != 0 ? (a - b) / b : a, tolerance);
    _fail(src, src_line);
}
#define assert_double_relative(a, b, tolerance) tu_check_relative((a), (b), (tolerance), __FILE__, __LINE__)

#endif
