/* Unit tests of the CSV table reader (src/table.c): CRLF and byte-order marks, source line
 * numbers of rows, quoting, typed cells and their errors, and file checksums. */
#include "testutil.h"

#include "scenario/input_file.h"
#include "scenario/csv_table.h"

typedef struct {
    char dir[PATH_MAX];
    char path[PATH_MAX];
    cc_table t; /* freed by teardown, also when an assertion fails */
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    tu_mkdtemp(fx->dir);
    tu_path(fx->path, fx->dir, "t.csv");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    cc_table_free(&fx->t);
    tu_rmtree(fx->dir);
    free(fx);
    return 0;
}

/* Load text as the fixture's table; the table must load. */
static void load_text(fixture *fx, const char *text, cc_table *t)
{
    cc_error err;
    tu_write_file(fx->path, text);
    assert_cc_ok(cc_table_load(t, fx->path, &err), &err);
}

static void test_crlf_bom_header_and_row_lines(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    /* line 3 blank, line 5 blank with CRLF: skipped but counted */
    load_text(fx, "\xEF\xBB\xBFsex,age,lx\r\nmale,0,100000\r\n\r\nmale,1,99816\r\n\r\nfemale,0,100000\r\n", t);
    assert_int_equal(t->ncols, 3);
    assert_string_equal(t->header[0], "sex"); /* no BOM left in the first name */
    assert_string_equal(t->header[1], "age");
    assert_string_equal(t->header[2], "lx");   /* no CR left in the last name */
    assert_int_equal(t->nrows, 3);
    assert_int_equal(t->row_line[0], 2);
    assert_int_equal(t->row_line[1], 4);
    assert_int_equal(t->row_line[2], 6);
    assert_string_equal(t->cells[1][2], "99816");
    assert_string_equal(t->cells[2][0], "female");
}

/* Lone CR line ends (old spreadsheet exports) count as lines too. */
static void test_cr_only_line_ends(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    cc_error err;
    load_text(fx, "a,b\r1,2\r\r3,x\r", t);
    assert_int_equal(t->nrows, 2);
    assert_int_equal(t->row_line[0], 2);
    assert_int_equal(t->row_line[1], 4);
    double v;
    assert_cc_error(cc_table_double(t, 1, 1, &v, &err), &err, CC_ERR_NUMBER, fx->path, 4, "b");
}

/* A record whose quoted field runs over lines is named by the line it starts on. */
static void test_multiline_record_names_its_first_line(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    load_text(fx, "a,b\n1,2\n\"two\nlines\",3\n4,5\n", t);
    assert_int_equal(t->nrows, 3);
    assert_int_equal(t->row_line[1], 3);
    assert_string_equal(t->cells[1][0], "two\nlines");
    assert_int_equal(t->row_line[2], 5);
}

static void test_bom_only_stripped_at_start_of_file(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    load_text(fx, "name,value\n\xEF\xBB\xBFx,1\n", t);
    assert_string_equal(t->cells[0][0], "\xEF\xBB\xBFx");
}

static void test_last_line_without_newline(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    load_text(fx, "age,asfr\n20,0.01\n21,0.02", t);
    assert_int_equal(t->nrows, 2);
    assert_int_equal(t->row_line[1], 3);
    assert_string_equal(t->cells[1][1], "0.02");
}

static void test_quoted_field_with_comma(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    load_text(fx, "area,population\n\"Kashiwa, Chiba\",437634\n", t);
    assert_int_equal(t->nrows, 1);
    assert_string_equal(t->cells[0][0], "Kashiwa, Chiba");
    assert_string_equal(t->cells[0][1], "437634");
}

static void test_short_row_gets_empty_cells(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    load_text(fx, "sex,age_lo,age_hi,population\nmale,100\n", t);
    assert_int_equal(t->nrows, 1);
    assert_string_equal(t->cells[0][1], "100");
    assert_string_equal(t->cells[0][2], "");
    assert_string_equal(t->cells[0][3], "");
}

/* Regression (fixed): a row with more cells than the header is cut to the header's width without
 * a word, so an unquoted thousands separator ("male,0,4,8,223" for 8,223 persons) loads as 8
 * persons. Fix (table.c, store_record): when rd->nfields > t->ncols and any extra cell is not
 * empty, fail with CC_ERR_TABLE naming the file and rd->record_line ("row has N cells, the
 * header has M"); cc_table_load then returns it. */
static void test_row_with_extra_cells_is_error(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    cc_error err;
    tu_write_file(fx->path, "sex,age_lo,age_hi,population\nmale,0,4,8223\nmale,5,9,9,581\n");
    int ret = cc_table_load(t, fx->path, &err);
    assert_cc_error(ret, &err, CC_ERR_TABLE, fx->path, 3, NULL);
}

static void test_find_column(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    cc_error err;
    int col = -7;
    load_text(fx, "sex,age,lx\nmale,0,1\n", t);
    assert_int_equal(cc_table_find_column(t, "lx"), 2);
    assert_int_equal(cc_table_find_column(t, "qx"), -1);
    assert_cc_ok(cc_table_column(t, "age", &col, &err), &err);
    assert_int_equal(col, 1);
}

static void test_missing_column_is_table_error(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    cc_error err;
    int col;
    load_text(fx, "sex,age,lx\nmale,0,1\n", t);
    int ret = cc_table_column(t, "qx", &col, &err);
    assert_cc_error(ret, &err, CC_ERR_TABLE, fx->path, 1, "qx");
    assert_int_equal(col, -1);
}

static void test_double_cell(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    cc_error err;
    double v = 0;
    load_text(fx, "age,value\n0, 2.5e-3 \r\n", t);
    assert_cc_ok(cc_table_double(t, 0, 1, &v, &err), &err);
    assert_true(v == 2.5e-3);
}

static void test_non_number_names_file_line_column(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    cc_error err;
    double v = 42;
    load_text(fx, "age,value\n0,1\n\n1,12abc\n", t);
    int ret = cc_table_double(t, 1, 1, &v, &err);
    assert_cc_error(ret, &err, CC_ERR_NUMBER, fx->path, 4, "value");
    assert_contains(err.message, "12abc");
    assert_true(v == 42); /* untouched */
}

static void test_empty_cell_is_number_error(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    cc_error err;
    double v;
    load_text(fx, "age,value\n0,\n", t);
    assert_cc_error(cc_table_double(t, 0, 1, &v, &err), &err, CC_ERR_NUMBER, fx->path, 2, "value");
}

static void test_nan_inf_and_overflow_rejected(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    cc_error err;
    double v;
    load_text(fx, "age,value\n0,nan\n1,inf\n2,-Infinity\n3,1e999\n4,NAN(0x1)\n", t);
    for (int r = 0; r < t->nrows; r++)
        assert_cc_error(cc_table_double(t, r, 1, &v, &err), &err, CC_ERR_NUMBER, fx->path, r + 2, "value");
}

static void test_int_cell_and_empty_flag(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    cc_error err;
    long v = -1;
    int empty = -1;
    load_text(fx, "age_lo,age_hi\n95,99\n100,\n", t);
    assert_cc_ok(cc_table_int(t, 0, 1, &v, &empty, &err), &err);
    assert_int_equal(v, 99);
    assert_int_equal(empty, 0);
    v = 1234;
    assert_cc_ok(cc_table_int(t, 1, 1, &v, &empty, &err), &err);
    assert_int_equal(empty, 1);
    assert_int_equal(v, 1234); /* untouched when empty */
    /* without an is_empty flag an empty cell is an error */
    assert_cc_error(cc_table_int(t, 1, 1, &v, NULL, &err), &err, CC_ERR_NUMBER, fx->path, 3, "age_hi");
}

static void test_int_cell_rejects_fraction(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    cc_error err;
    long v;
    load_text(fx, "age\n2.5\n", t);
    assert_cc_error(cc_table_int(t, 0, 0, &v, NULL, &err), &err, CC_ERR_NUMBER, fx->path, 2, "age");
}

static void test_parse_helpers(void **state)
{
    (void)state;
    double d;
    long l;
    assert_int_equal(cc_parse_double(" 1.5\r", &d), 0);
    assert_true(d == 1.5);
    assert_int_equal(cc_parse_double("", &d), -1);
    assert_int_equal(cc_parse_double("1.5 x", &d), -1);
    assert_int_equal(cc_parse_double("inf", &d), -1);
    assert_int_equal(cc_parse_long("-12", &l), 0);
    assert_int_equal(l, -12);
    assert_int_equal(cc_parse_long("12.0", &l), -1);
    assert_int_equal(cc_parse_long("99999999999999999999999", &l), -1);
}

static void test_missing_file_is_io_error(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    cc_error err;
    char missing[PATH_MAX];
    tu_path(missing, fx->dir, "nope.csv");
    int ret = cc_table_load(t, missing, &err);
    assert_cc_error(ret, &err, CC_ERR_IO, missing, -1, NULL);
    assert_int_equal(t->nrows, 0);
    assert_null(t->header);
    cc_table_free(t); /* safe after failure */
}

static void test_empty_file_is_table_error(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t;
    cc_error err;
    tu_write_file(fx->path, "");
    assert_cc_error(cc_table_load(t, fx->path, &err), &err, CC_ERR_TABLE, fx->path, 1, NULL);
}

/* cc_table_free releases a loaded table and leaves it empty (every count 0, every pointer
 * NULL), so freeing it again, or freeing a table that was only zeroed, is safe. The table is
 * loaded first: the checks after the free would fail if it kept any count or pointer. */
static void test_free_leaves_an_empty_table(void **state)
{
    fixture *fx = *state;
    cc_table *t = &fx->t; /* the fixture's: teardown frees it if an assertion fails */
    load_text(fx, "sex,age,lx\nmale,0,100000\nfemale,0,100000\n", t);
    assert_int_equal(t->nrows, 2); /* not empty before the free */
    assert_int_equal(t->ncols, 3);
    assert_non_null(t->path);
    cc_table_free(t);
    assert_int_equal(t->nrows, 0);
    assert_int_equal(t->ncols, 0);
    assert_null(t->path);
    assert_null(t->header);
    assert_null(t->cells);
    assert_null(t->row_line);
    cc_table_free(t); /* a second free of the emptied table: no double free (ASan) */
    assert_int_equal(t->nrows, 0);

    cc_table zeroed;
    memset(&zeroed, 0, sizeof zeroed); /* never loaded: nothing to release */
    cc_table_free(&zeroed);
    assert_int_equal(zeroed.nrows, 0);
    assert_null(zeroed.header);
}

/* A file's SHA-256 as the loader takes it: the bytes read once (input_file.h), hashed. */
static int file_sha256(const char *path, char hex[65], cc_error *err)
{
    char *bytes;
    size_t len;
    int ret = cc_input_file_read(path, "table", CC_MAX_TABLE_BYTES, &bytes, &len, err);
    if (ret == 0) {
        cc_sha256_hex(bytes, len, hex);
        free(bytes);
    }
    return ret;
}

static void test_sha256_abc(void **state)
{
    fixture *fx = *state;
    cc_error err;
    char hex[65];
    tu_write_file(fx->path, "abc");
    assert_cc_ok(file_sha256(fx->path, hex, &err), &err);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_sha256_empty_and_large(void **state)
{
    fixture *fx = *state;
    cc_error err;
    char hex[65];
    tu_write_file(fx->path, "");
    assert_cc_ok(file_sha256(fx->path, hex, &err), &err);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* one million 'a' (FIPS 180-2 test vector): more than one read buffer */
    char *million = malloc(1000000);
    assert_non_null(million);
    memset(million, 'a', 1000000);
    tu_write_bytes(fx->path, million, 1000000);
    free(million);
    assert_cc_ok(file_sha256(fx->path, hex, &err), &err);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_sha256_missing_file(void **state)
{
    fixture *fx = *state;
    cc_error err;
    char hex[65], missing[PATH_MAX];
    tu_path(missing, fx->dir, "nope.csv");
    assert_cc_error(file_sha256(missing, hex, &err), &err, CC_ERR_IO, missing, -1, NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        T(test_crlf_bom_header_and_row_lines),
        T(test_cr_only_line_ends),
        T(test_multiline_record_names_its_first_line),
        T(test_bom_only_stripped_at_start_of_file),
        T(test_last_line_without_newline),
        T(test_quoted_field_with_comma),
        T(test_short_row_gets_empty_cells),
        T(test_row_with_extra_cells_is_error),
        T(test_find_column),
        T(test_missing_column_is_table_error),
        T(test_double_cell),
        T(test_non_number_names_file_line_column),
        T(test_empty_cell_is_number_error),
        T(test_nan_inf_and_overflow_rejected),
        T(test_int_cell_and_empty_flag),
        T(test_int_cell_rejects_fraction),
        T(test_parse_helpers),
        T(test_missing_file_is_io_error),
        T(test_empty_file_is_table_error),
        T(test_free_leaves_an_empty_table),
        T(test_sha256_abc),
        T(test_sha256_empty_and_large),
        T(test_sha256_missing_file),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
