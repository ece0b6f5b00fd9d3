/* Unit tests of the gnuplot pipe (src/report/gnuplot.c):
 * - gp_quote: a single quote becomes U+2019 (gnuplot's '' escape fails on runs of quotes), control characters (newline, tab, escape) turned into
 *   spaces, a long text cut at a UTF-8 character boundary;
 * - hostile text quoted by gp_quote and printed by a real gnuplot comes back as the same text
 *   (control characters as spaces) and runs nothing: backquotes, system(), an @ macro, a
 *   quote that tries to end the string, a newline that tries to end the line; no file appears
 *   in the working folder;
 * - failures: gnuplot not on PATH (a clear error, no crash), a gnuplot error (its message), a
 *   program that exits without reading a long script (no SIGPIPE death; SIGPIPE's disposition
 *   is restored), a script that draws nothing (no image);
 * - gnuplot inherits no descriptor of ours but its three pipes (the results file stays ours). */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>

#include "report/gnuplot.h"

static char *quoted(const char *text, size_t max)
{
    gp_script s = {0};
    gp_quote(&s, text, max);
    assert_false(s.failed);
    return s.data;
}

static void test_quote_replaces_single_quotes(void **state)
{
    (void)state;
    char *q = quoted("it's ''x'", 0);
    assert_string_equal(q, "'it\u2019s \u2019\u2019x\u2019'");
    free(q);
}

static void test_quote_control_characters_become_spaces(void **state)
{
    (void)state;
    char *q = quoted("a\nb\tc\x1b" "d\re\x7f", 0);
    assert_string_equal(q, "'a b c d e '");
    free(q);
}

static void test_quote_cuts_at_utf8_boundary(void **state)
{
    (void)state;
    char *q = quoted("日本語", 4); /* 3 bytes a character: the cut keeps one */
    assert_string_equal(q, "'日...'");
    free(q);
    q = quoted("abc", 3);
    assert_string_equal(q, "'abc'");
    free(q);
}

/* Run script; returns gp_run's code, *out what gnuplot printed on stdout (or NULL). */
static int run(const char *program, const char *script, char **out, cc_error *err)
{
    gp_script s = {0};
    gp_printf(&s, "%s", script);
    size_t len = 0;
    int ret = gp_run(program, &s, out, &len, err);
    gp_script_free(&s);
    return ret;
}

static int folder_is_empty(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return d && n == 0;
}

static void test_hostile_text_runs_nothing(void **state)
{
    (void)state;
    static const char *const hostile[][2] = { /* text, what gnuplot must print */
        {"`touch pwned1`", "`touch pwned1`"},
        {"system(\"touch pwned2\")", "system(\"touch pwned2\")"},
        {"@m", "@m"},
        {"'.system('touch pwned3').'", "\u2019.system(\u2019touch pwned3\u2019).\u2019"},
        {"a''''b'", "a\u2019\u2019\u2019\u2019b\u2019"},
        {"x\nsystem('touch pwned4')\nprint 'y", "x system(\u2019touch pwned4\u2019) print \u2019y"},
        {"back\\slash \\' <script>alert(1)</script>", "back\\slash \\\u2019 <script>alert(1)</script>"},
    };
    char dir[PATH_MAX], cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    tu_mkdtemp(dir);
    assert_int_equal(chdir(dir), 0);
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        gp_script s = {0};
        gp_printf(&s, "m = \"system('touch pwned5')\"\nset print '-'\nprint ");
        gp_quote(&s, hostile[i][0], 0);
        gp_printf(&s, "\n");
        char *out = NULL, expect[256];
        size_t len = 0;
        cc_error err;
        assert_cc_ok(gp_run(NULL, &s, &out, &len, &err), &err);
        snprintf(expect, sizeof expect, "%s\n", hostile[i][1]);
        assert_int_equal(len, strlen(expect));
        assert_memory_equal(out, expect, len);
        free(out);
        gp_script_free(&s);
    }
    int empty = folder_is_empty(".");
    assert_int_equal(chdir(cwd), 0);
    tu_rmtree(dir);
    assert_true(empty);
}

static void test_missing_gnuplot_is_a_clear_error(void **state)
{
    (void)state;
    char *out = (char *)"x";
    cc_error err;
    assert_cc_error(run("carecast-no-such-gnuplot", "plot x\n", &out, &err), &err, CC_ERR_IO, NULL, -1, NULL);
    assert_null(out);
    assert_contains(err.message, "gnuplot not found");
    assert_contains(err.message, "carecast-no-such-gnuplot");
}

static void test_gnuplot_error_reports_its_message(void **state)
{
    (void)state;
    char *out = NULL;
    cc_error err;
    assert_cc_error(run(NULL, "set terminal svg\nplot no_such_variable_q\n", &out, &err), &err, CC_ERR_IO, NULL, -1,
                    NULL);
    assert_null(out);
    assert_contains(err.message, "gnuplot failed");
    assert_contains(err.message, "undefined variable: no_such_variable_q");
}

static void test_program_that_reads_nothing_is_no_sigpipe_death(void **state)
{
    (void)state;
    size_t n = 4u << 20; /* far more than a pipe holds */
    char *script = malloc(n + 1);
    assert_non_null(script);
    memset(script, '#', n);
    script[n] = '\0';
    char *out = NULL;
    cc_error err;
    assert_cc_error(run("true", script, &out, &err), &err, CC_ERR_IO, NULL, -1, NULL);
    assert_contains(err.message, "no image");
    free(script);
    struct sigaction now;
    sigaction(SIGPIPE, NULL, &now);
    assert_true(now.sa_handler == SIG_DFL); /* as it was before */
}

static void test_script_without_image(void **state)
{
    (void)state;
    char *out = NULL;
    cc_error err;
    assert_cc_error(run(NULL, "print 1\n", &out, &err), &err, CC_ERR_IO, NULL, -1, NULL);
    assert_contains(err.message, "gnuplot wrote no image");
}

static void test_image_comes_from_stdout(void **state)
{
    (void)state;
    char *out = NULL;
    cc_error err;
    assert_cc_ok(run(NULL, "set terminal pngcairo size 200,100\nplot x\n", &out, &err), &err);
    assert_memory_equal(out, "\x89PNG\r\n\x1a\n", 8);
    free(out);
}

/* A descriptor carecast holds open without close-on-exec (HDF5 opens the results file so) is
 * not gnuplot's: a program that lists its own descriptors does not see it. */
static void test_gnuplot_inherits_no_other_descriptor(void **state)
{
    (void)state;
    char dir[] = "/tmp/carecast-test-plot-XXXXXX", prog[64];
    assert_non_null(mkdtemp(dir));
    snprintf(prog, sizeof prog, "%s/lsfd", dir);
    FILE *f = fopen(prog, "w");
    assert_non_null(f);
    fputs("#!/bin/sh\nexec ls /proc/self/fd\n", f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(prog, 0700), 0);
    int fd = open("/dev/null", O_RDONLY); /* no O_CLOEXEC */
    assert_true(fd >= 0);
    assert_int_equal(dup2(fd, 77), 77);
    char *out = NULL;
    cc_error err;
    assert_cc_ok(run(prog, "", &out, &err), &err);
    close(77);
    close(fd);
    unlink(prog);
    rmdir(dir);
    assert_contains(out, "\n2\n");
    assert_null(strstr(out, "\n77\n"));
    free(out);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote_replaces_single_quotes),
        cmocka_unit_test(test_quote_control_characters_become_spaces),
        cmocka_unit_test(test_quote_cuts_at_utf8_boundary),
        cmocka_unit_test(test_hostile_text_runs_nothing),
        cmocka_unit_test(test_missing_gnuplot_is_a_clear_error),
        cmocka_unit_test(test_gnuplot_error_reports_its_message),
        cmocka_unit_test(test_program_that_reads_nothing_is_no_sigpipe_death),
        cmocka_unit_test(test_script_without_image),
        cmocka_unit_test(test_image_comes_from_stdout),
        cmocka_unit_test(test_gnuplot_inherits_no_other_descriptor),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
