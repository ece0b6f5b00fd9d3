/* Unit tests of the text writers of src/report (textout.h: JSON, HTML, CSV, exact numbers,
 * UTF-8 checking), the export's file names and the headline cell format (summary.h). Known
 * inputs, exact expected bytes. */
#include "testutil.h"

#include "carecast/summary.h"
#include "report/textout.h"

/* What writer(f, s) writes, as a malloc'ed string. */
static char *written(int (*writer)(FILE *, const char *), const char *s)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    assert_int_equal(writer(f, s), 0);
    fclose(f);
    return buf;
}

static void expect(int (*writer)(FILE *, const char *), const char *in, const char *out)
{
    char *got = written(writer, in);
    assert_string_equal(got, out);
    free(got);
}

static void test_json_strings_escape_quotes_backslashes_and_control_characters(void **state)
{
    (void)state;
    expect(cc_json_string, "plain", "\"plain\"");
    expect(cc_json_string, "a\"b\\c", "\"a\\\"b\\\\c\"");
    expect(cc_json_string, "l1\nl2\r\t\x01\x1f\x7f", "\"l1\\nl2\\r\\t\\u0001\\u001f\\u007f\"");
    expect(cc_json_string, "柏市 </script>", "\"柏市 </script>\"");
    expect(cc_json_string, "bad \xff\xc3 end", "\"bad \xEF\xBF\xBD\xEF\xBF\xBD end\""); /* U+FFFD each */
    expect(cc_json_string, "\xed\xa0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""); /* a surrogate is invalid */
    expect(cc_json_string, NULL, "\"\"");
}

static void test_json_numbers_are_exact_and_nan_is_null(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    double values[] = {0.1, 1.0 / 3, 20250101, -2.5e-300, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        assert_int_equal(cc_json_number(f, values[i]), 0);
        fputc(' ', f);
    }
    fclose(f);
    assert_string_equal(buf, "0.1 0.3333333333333333 20250101 -2.5e-300 null null null ");
    free(buf);
    char exact[40];
    cc_number_exact(exact, sizeof exact, 0.05);
    assert_string_equal(exact, "0.05");
    assert_true(strtod(exact, NULL) == 0.05);
}

static void test_html_text_escapes_the_five_characters(void **state)
{
    (void)state;
    expect(cc_html_text, "<script>alert('x') & \"y\"</script>",
           "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    expect(cc_html_text, "a\r\nb\x01", "a\n\nb\xEF\xBF\xBD");
    expect(cc_html_text, "在宅医療", "在宅医療");
}

static void test_csv_fields_are_quoted_per_rfc_4180(void **state)
{
    (void)state;
    expect(cc_csv_field, "plain", "plain");
    expect(cc_csv_field, "a,b", "\"a,b\"");
    expect(cc_csv_field, "say \"hi\"", "\"say \"\"hi\"\"\"");
    expect(cc_csv_field, "two\nlines", "\"two\nlines\"");
    expect(cc_csv_field, "cr\r", "\"cr\r\"");
    expect(cc_csv_field, " padded", "\" padded\"");
    expect(cc_csv_field, "", "");
}

static void test_text_width_counts_wide_characters_twice(void **state)
{
    (void)state;
    assert_int_equal(cc_text_width("abc"), 3);
    assert_int_equal(cc_text_width("柏市"), 4);
    assert_int_equal(cc_text_width("輪番制 a"), 8);
}

static void test_export_file_names_are_safe(void **state)
{
    (void)state;
    char name[256];
    assert_int_equal(cc_export_file_name("/population/total/quantiles", name, sizeof name), 0);
    assert_string_equal(name, "population.total.quantiles.csv");
    assert_int_equal(cc_export_file_name("/", name, sizeof name), CC_ERR_USAGE);
    const char *hostile[] = {"/population/fitted/../x", "/a b/c", "/x\ny/z", "/柏市/data", "/.hidden", "/index",
                             "/-rf"};
    char seen[8][256];
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        assert_int_equal(cc_export_file_name(hostile[i], name, sizeof name), 0);
        for (const char *p = name; *p; p++)
            assert_non_null(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", *p));
        assert_null(strstr(name, ".."));
        assert_true(name[0] != '.');
        assert_string_not_equal(name, "index.csv");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(name, seen[j]);
        snprintf(seen[i], sizeof seen[i], "%s", name);
    }
    char longpath[1200] = "/";
    memset(longpath + 1, 'z', 1000);
    assert_int_equal(cc_export_file_name(longpath, name, sizeof name), 0);
    assert_true(strlen(name) < 255);
}

static void test_cells_show_median_and_band(void **state)
{
    (void)state;
    char buf[128];
    cc_summary_cell cell = {.value = 439227.4, .lo = 433076, .hi = 445672.6, .at_lo = {.rank = 1}};
    cc_summary_cell_format(&cell, buf, sizeof buf);
    assert_string_equal(buf, "439,227 (433,076-445,673)");
    cc_summary_cell share = {.value = 0.6892, .lo = 0.685, .hi = 0.693, .decimals = 1, .percent = 1, .at_lo = {.rank = 1}};
    cc_summary_cell_format(&share, buf, sizeof buf);
    assert_string_equal(buf, "68.9% (68.5-69.3%)");
    cc_summary_cell none = {.value = NAN, .lo = NAN, .hi = NAN};
    cc_summary_cell_format(&none, buf, sizeof buf);
    assert_string_equal(buf, "-");
    cc_summary_cell negative = {.value = -1234.5, .decimals = 1};
    cc_summary_cell_format(&negative, buf, sizeof buf);
    assert_string_equal(buf, "-1,234.5");
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_strings_escape_quotes_backslashes_and_control_characters),
        cmocka_unit_test(test_json_numbers_are_exact_and_nan_is_null),
        cmocka_unit_test(test_html_text_escapes_the_five_characters),
        cmocka_unit_test(test_csv_fields_are_quoted_per_rfc_4180),
        cmocka_unit_test(test_text_width_counts_wide_characters_twice),
        cmocka_unit_test(test_export_file_names_are_safe),
        cmocka_unit_test(test_cells_show_median_and_band),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
