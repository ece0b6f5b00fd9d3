/* Unit tests of the scenario loader (src/scenario*.c): small scenarios and tables written into
 * a temporary folder; values, defaults and their origins; base scenarios; and every bad input
 * gets its own error code naming the file, line and field. A failed load leaves the scenario
 * freed (the ASan build checks that freeing it again is safe and nothing leaks). */
#include "testutil.h"

#include "scenario/input_file.h"
#include "carecast/scenario.h"
#include "scenario/csv_table.h"

typedef struct {
    char dir[PATH_MAX];
    char ini[PATH_MAX];   /* the scenario written by write_scenario */
    char pop[PATH_MAX];   /* the tables' paths */
    char mort[PATH_MAX];
    char fert[PATH_MAX];
    cc_scenario s;
    cc_error err;
} fixture;

#define POP_CSV "sex,age_lo,age_hi,population\n" /* line 1 */ \
                "male,0,49,5000\n"               /* line 2 */ \
                "male,50,99,3000\n"              /* line 3 */ \
                "male,100,,10\n"                 /* line 4 */ \
                "female,0,49,5200\n"             /* line 5 */ \
                "female,50,99,3500\n"            /* line 6 */ \
                "female,100,,30\n"               /* line 7 */
#define MORT_CSV "sex,age_lo,age_hi,death_rate_per_100k\n" \
                 "male,0,99,1000\nmale,100,,50000\nfemale,0,99,800\nfemale,100,,40000\n"
#define FERT_CSV "age,asfr\n25,0.05\n30,0.1\n"

/* A valid scenario; its lines are numbered for the tests that edit one of them. */
#define SCENARIO_HEAD "; tiny test scenario\n" /* 1 */ \
                      "[scenario]\n"           /* 2 */ \
                      "name = tiny\n"          /* 3 */
#define SIMULATION "[simulation]\n"      /* 4 */ \
                   "seed = 42\n"         /* 5 */ \
                   "replications = 20\n" /* 6 */ \
                   "base_year = 2020\n"  /* 7 */ \
                   "end_year = 2030\n"   /* 8 */
#define POPULATION "[population]\n"              /* 9 */ \
                   "base_population = pop.csv\n" /* 10 */ \
                   "mortality = mort.csv\n"      /* 11 */ \
                   "fertility = fert.csv\n"      /* 12 */
#define VALID SCENARIO_HEAD SIMULATION POPULATION

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    tu_mkdtemp(fx->dir);
    tu_write_file(tu_path(fx->pop, fx->dir, "pop.csv"), POP_CSV);
    tu_write_file(tu_path(fx->mort, fx->dir, "mort.csv"), MORT_CSV);
    tu_write_file(tu_path(fx->fert, fx->dir, "fert.csv"), FERT_CSV);
    tu_path(fx->ini, fx->dir, "s.ini");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    cc_scenario_free(&fx->s); /* also after a failed load: must be safe */
    tu_rmtree(fx->dir);
    free(fx);
    return 0;
}

/* Write text as the scenario s.ini and load it; returns the loader's code. */
static int load(fixture *fx, const char *text)
{
    tu_write_file(fx->ini, text);
    return cc_scenario_load(&fx->s, fx->ini, &fx->err);
}

static void load_ok(fixture *fx, const char *text)
{
    assert_cc_ok(load(fx, text), &fx->err);
}

/* After a failed load the scenario is already freed (zeroed), and freeing again is safe. */
static void assert_freed(cc_scenario *s)
{
    assert_null(s->settings);
    assert_int_equal(s->nsettings, 0);
    assert_null(s->name);
    assert_null(s->path);
    assert_int_equal(s->nfiles, 0);
    assert_int_equal(s->ntables, 0);
    cc_scenario_free(s);
}

static const cc_setting *setting(const fixture *fx, const char *section, const char *name)
{
    const cc_setting *st = cc_scenario_setting(&fx->s, section, name);
    assert_non_null(st);
    return st;
}

/* origin "FILE:LINE" */
static void assert_origin(const fixture *fx, const char *section, const char *name, const char *file, int line)
{
    char expect[PATH_MAX + 20];
    snprintf(expect, sizeof expect, "%s:%d", file, line);
    const cc_setting *st = setting(fx, section, name);
    assert_string_equal(st->origin, expect);
    assert_string_equal(st->file, file);
    assert_int_equal(st->line, line);
}

static double total(const double v[CC_AGES])
{
    double sum = 0;
    for (int a = 0; a < CC_AGES; a++)
        sum += v[a];
    return sum;
}

/* --- valid scenarios --- */

static void test_valid_scenario_values(void **state)
{
    fixture *fx = *state;
    load_ok(fx, VALID);
    assert_string_equal(fx->s.name, "tiny");
    assert_string_equal(fx->s.path, fx->ini);
    assert_int_equal(fx->s.run.seed, 42);
    assert_int_equal(fx->s.run.replications, 20);
    assert_int_equal(fx->s.population.base_year, 2020);
    assert_int_equal(fx->s.population.end_year, 2030);
    assert_int_equal(cc_scenario_years(&fx->s), 11);
    /* tables: whole persons split from the groups, keeping every group total */
    assert_double_equal(total(fx->s.population.base_population[CC_MALE]), 8010, 0);
    assert_double_equal(total(fx->s.population.base_population[CC_FEMALE]), 8730, 0);
    double male_50_99 = 0;
    for (int a = 50; a < 100; a++)
        male_50_99 += fx->s.population.base_population[CC_MALE][a];
    assert_double_equal(male_50_99, 3000, 0);
    assert_double_equal(fx->s.population.base_population[CC_FEMALE][CC_AGE_OPEN], 30, 0);
    assert_double_equal(fx->s.population.mortality_rate[CC_MALE][0], 0.01, 1e-15);
    assert_double_equal(fx->s.population.mortality_rate[CC_FEMALE][99], 0.008, 1e-15);
    assert_double_equal(fx->s.population.mortality_rate[CC_FEMALE][CC_AGE_OPEN], 0.4, 1e-15);
    assert_double_equal(fx->s.population.fertility_rate[30], 0.1, 0);
    assert_double_equal(fx->s.population.fertility_rate[29], 0, 0);
    assert_int_equal(fx->s.population.has_migration_table, 0);
}

static void test_defaults(void **state)
{
    fixture *fx = *state;
    load_ok(fx, SCENARIO_HEAD "[simulation]\nbase_year = 2020\n" POPULATION);
    assert_int_equal(fx->s.run.seed, 20250101);
    assert_int_equal(fx->s.run.replications, 100);
    assert_int_equal(fx->s.population.end_year, 2050);
    assert_int_equal(fx->s.run.expected_values, 0);
    assert_int_equal(fx->s.population.age_split, CC_SPLIT_SPLINE);
    assert_double_equal(fx->s.population.sex_ratio_at_birth, 1.05, 0);
}

static void test_origins(void **state)
{
    fixture *fx = *state;
    load_ok(fx, VALID);
    assert_origin(fx, "simulation", "seed", fx->ini, 5);
    assert_origin(fx, "population", "fertility", fx->ini, 12);
    const cc_setting *st = setting(fx, "population", "sex_ratio_at_birth");
    assert_string_equal(st->origin, "default");
    assert_null(st->file);
    assert_string_equal(st->value, "1.05");
}

static void test_name_defaults_to_file_name(void **state)
{
    fixture *fx = *state;
    load_ok(fx, SIMULATION POPULATION);
    assert_string_equal(fx->s.name, "s");
}

static void test_files_and_tables_recorded(void **state)
{
    fixture *fx = *state;
    char hex[65];
    cc_error err;
    load_ok(fx, VALID);
    assert_int_equal(fx->s.nfiles, 1);
    assert_string_equal(fx->s.files[0].path, fx->ini);
    assert_string_equal(fx->s.files[0].text, VALID);
    assert_int_equal(fx->s.ntables, 3);
    int found = 0;
    for (int i = 0; i < fx->s.ntables; i++)
        if (strcmp(fx->s.tables[i].key, "population.base_population") == 0) {
            found = 1;
            assert_string_equal(fx->s.tables[i].path, fx->pop);
            char *bytes;
            size_t len;
            assert_cc_ok(cc_input_file_read(fx->pop, "table", CC_MAX_TABLE_BYTES, &bytes, &len, &err), &err);
            cc_sha256_hex(bytes, len, hex);
            free(bytes);
            assert_string_equal(fx->s.tables[i].sha256, hex);
            cc_sha256_hex("abc", 3, hex); /* FIPS 180-2's example */
            assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        }
    assert_true(found);
}

static void test_inline_comment_and_spaces(void **state)
{
    fixture *fx = *state;
    load_ok(fx, SCENARIO_HEAD "[simulation]\n  seed   =   42   ; the answer\nreplications=20 ;twenty\n"
                "base_year = 2020\n" POPULATION);
    assert_int_equal(fx->s.run.seed, 42);
    assert_int_equal(fx->s.run.replications, 20);
}

static void test_long_comment_under_limit_loads(void **state)
{
    fixture *fx = *state;
    char text[4096], comment[200];
    memset(comment, 'x', 180);
    comment[0] = ';';
    comment[180] = '\0';
    snprintf(text, sizeof text, "%s\n%s", comment, VALID);
    load_ok(fx, text);
}

static void test_crlf_bom_scenario_loads(void **state)
{
    fixture *fx = *state;
    load_ok(fx, "\xEF\xBB\xBF[scenario]\r\nname = crlf\r\n[simulation]\r\nseed = 42\r\n"
                "base_year = 2020\r\nend_year = 2030\r\n[population]\r\nbase_population = pop.csv\r\n"
                "mortality = mort.csv\r\nfertility = fert.csv\r\n");
    assert_string_equal(fx->s.name, "crlf");
    assert_int_equal(fx->s.run.seed, 42);
    assert_string_equal(setting(fx, "population", "fertility")->value, "fert.csv");
    assert_origin(fx, "population", "fertility", fx->ini, 10);
}

static void test_choice_is_case_insensitive(void **state)
{
    fixture *fx = *state;
    load_ok(fx, VALID "age_split = Uniform\n[simulation]\nexpected_values = TRUE\n");
    assert_int_equal(fx->s.population.age_split, CC_SPLIT_UNIFORM);
    assert_int_equal(fx->s.run.expected_values, 1);
    /* uniform split: 5000 persons over ages 0-49 is 100 each */
    assert_double_equal(fx->s.population.base_population[CC_MALE][7], 100, 0);
}

static void test_migration_table(void **state)
{
    fixture *fx = *state;
    char mig[PATH_MAX];
    tu_write_file(tu_path(mig, fx->dir, "mig.csv"),
                  "sex,age_lo,age_hi,net_migrants\nmale,0,49,100\nmale,50,99,-50\nmale,100,,0\n"
                  "female,0,49,120\nfemale,50,99,-20\nfemale,100,,-3\n");
    load_ok(fx, VALID "migration = mig.csv\n");
    assert_int_equal(fx->s.population.has_migration_table, 1);
    assert_double_equal(fx->s.population.net_migration[CC_MALE][10], 2.0, 1e-12);
    assert_double_equal(fx->s.population.net_migration[CC_MALE][60], -1.0, 1e-12);
    assert_double_equal(fx->s.population.net_migration[CC_FEMALE][CC_AGE_OPEN], -3.0, 0);
    assert_double_equal(total(fx->s.population.net_migration[CC_MALE]), 50, 1e-9);
    assert_double_equal(total(fx->s.population.net_migration[CC_FEMALE]), 97, 1e-9);
}

/* --- base scenarios --- */

static void write_base(fixture *fx, char *base_path)
{
    char common[PATH_MAX];
    tu_path(common, fx->dir, "common");
    assert_int_equal(mkdir(common, 0700), 0);
    tu_write_file(tu_path(base_path, common, "base.ini"),
                  "[scenario]\n"                    /* 1 */
                  "name = base\n"                   /* 2 */
                  "[simulation]\n"                  /* 3 */
                  "seed = 7\n"                      /* 4 */
                  "replications = 50\n"             /* 5 */
                  "base_year = 2020\n"              /* 6 */
                  "[population]\n"                  /* 7 */
                  "base_population = ../pop.csv\n"  /* 8: relative to common/ */
                  "mortality = ../mort.csv\n"       /* 9 */
                  "fertility = ../fert.csv\n");     /* 10 */
}

static void test_base_inherited_and_overridden(void **state)
{
    fixture *fx = *state;
    char base[PATH_MAX];
    write_base(fx, base);
    load_ok(fx, "[scenario]\n"              /* 1 */
                "base = common/base.ini\n"  /* 2 */
                "name = child\n"            /* 3 */
                "[simulation]\n"            /* 4 */
                "replications = 7\n");      /* 5 */
    assert_string_equal(fx->s.name, "child");
    assert_int_equal(fx->s.run.replications, 7);
    assert_origin(fx, "simulation", "replications", fx->ini, 5);
    assert_int_equal(fx->s.run.seed, 7);
    assert_origin(fx, "simulation", "seed", base, 4);
    assert_origin(fx, "population", "mortality", base, 9);
    assert_string_equal(setting(fx, "simulation", "end_year")->origin, "default");
    assert_int_equal(fx->s.nfiles, 2);
    int seen_child = 0, seen_base = 0;
    for (int i = 0; i < fx->s.nfiles; i++) {
        seen_child |= strcmp(fx->s.files[i].path, fx->ini) == 0;
        seen_base |= strcmp(fx->s.files[i].path, base) == 0;
    }
    assert_true(seen_child && seen_base);
}

static void test_table_paths_relative_to_the_file_naming_them(void **state)
{
    fixture *fx = *state;
    char base[PATH_MAX], fert2[PATH_MAX];
    write_base(fx, base);
    tu_write_file(tu_path(fert2, fx->dir, "fert2.csv"), "age,asfr\n28,0.2\n");
    load_ok(fx, "[scenario]\nbase = common/base.ini\n[population]\nfertility = fert2.csv\n");
    assert_double_equal(fx->s.population.fertility_rate[28], 0.2, 0);
    assert_double_equal(fx->s.population.fertility_rate[30], 0, 0);
    for (int i = 0; i < fx->s.ntables; i++)
        if (strcmp(fx->s.tables[i].key, "population.fertility") == 0)
            assert_string_equal(fx->s.tables[i].path, fert2);
}

static void test_error_in_base_names_base_file(void **state)
{
    fixture *fx = *state;
    char base[PATH_MAX];
    tu_write_file(tu_path(base, fx->dir, "base.ini"), "[simulation]\nreplications = lots\n");
    int ret = load(fx, "[scenario]\nbase = base.ini\n" SIMULATION POPULATION);
    /* the child sets replications too; its value wins, so the base's bad value is never used */
    assert_cc_ok(ret, &fx->err);
    cc_scenario_free(&fx->s);
    ret = load(fx, "[scenario]\nbase = base.ini\n[simulation]\nbase_year = 2020\n" POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_NUMBER, base, 2, "replications");
    assert_freed(&fx->s);
}

static void test_missing_base_names_child_line(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, "[scenario]\nname = x\nbase = nowhere.ini\n" SIMULATION POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_IO, fx->ini, 3, "base");
    assert_contains(fx->err.message, "nowhere.ini");
    assert_freed(&fx->s);
}

/* Regression (fixed): when a base scenario exists but its own base is missing, the error is
 * rewritten twice: load_file (scenario.c) sees CC_ERR_IO with err->file equal to the base it
 * just loaded (already rewritten to name the base's line) and rewrites it again to the
 * child's line. The message keeps the chain ("base scenario 'base.ini': base scenario
 * 'grand.ini': cannot open ..."), but the record points at s.ini:2 instead of base.ini:2,
 * the line that named the missing file.
 * Fix: rewrite only the error of the file that could not be opened, e.g. only when
 * err->line == 0 (read_text always reports line 0; the inner rewrite sets the base's line),
 * or pass the naming file and line down to load_file so it reports them itself. */
static void test_missing_grandbase_names_base_line(void **state)
{
    fixture *fx = *state;
    char base[PATH_MAX];
    tu_write_file(tu_path(base, fx->dir, "base.ini"), "[scenario]\n"          /* 1 */
                                                      "base = grand.ini\n");  /* 2 */
    int ret = load(fx, "[scenario]\nbase = base.ini\n" SIMULATION POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_IO, base, 2, "base");
    assert_contains(fx->err.message, "grand.ini");
    assert_freed(&fx->s);
}

static void test_base_cycle(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, "[scenario]\nbase = s.ini\n" SIMULATION POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, NULL, -1, "base");
    assert_freed(&fx->s);
}

/* --- errors in the scenario file --- */

static void test_missing_scenario_file(void **state)
{
    fixture *fx = *state;
    char missing[PATH_MAX];
    tu_path(missing, fx->dir, "absent.ini");
    int ret = cc_scenario_load(&fx->s, missing, &fx->err);
    assert_cc_error(ret, &fx->err, CC_ERR_IO, missing, 0, NULL);
    assert_freed(&fx->s);
}

static void test_unknown_key_suggests_nearest(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, SCENARIO_HEAD "[simulation]\nseed = 42\nreplicatons = 5\n" POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_UNKNOWN_KEY, fx->ini, 6, "replicatons");
    assert_contains(fx->err.message, "replications");
    assert_freed(&fx->s);
}

static void test_key_in_wrong_section_suggests_its_section(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, VALID "seed = 5\n");
    assert_cc_error(ret, &fx->err, CC_ERR_UNKNOWN_KEY, fx->ini, 13, "seed");
    assert_contains(fx->err.message, "[simulation] seed");
}

static void test_unknown_section_names_line(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, SCENARIO_HEAD "[simulaton]\nseed = 42\n" POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_UNKNOWN_KEY, fx->ini, 4, "simulaton");
    assert_contains(fx->err.message, "[simulation]");
    assert_freed(&fx->s);
}

static void test_unknown_empty_section(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, VALID "[output]\n");
    assert_cc_error(ret, &fx->err, CC_ERR_UNKNOWN_KEY, fx->ini, 13, "output");
}

static void test_duplicate_key_names_both_lines(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, VALID "[simulation]\nseed = 43\n");
    assert_cc_error(ret, &fx->err, CC_ERR_DUPLICATE, fx->ini, 14, "seed");
    assert_contains(fx->err.message, "line 5");
    assert_freed(&fx->s);
}

static void test_continuation_line_is_rejected(void **state)
{
    fixture *fx = *state;
    /* inih would join an indented line to the key above: a repeated key, so rejected */
    int ret = load(fx, SCENARIO_HEAD SIMULATION "  43\n" POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_DUPLICATE, fx->ini, 9, "end_year");
}

static void test_key_without_equals(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, SCENARIO_HEAD "[simulation]\nseed 42\nbase_year = 2020\n" POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_SYNTAX, fx->ini, 5, NULL);
    assert_freed(&fx->s);
}

static void test_key_before_any_section(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, "seed = 42\n" VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_SYNTAX, fx->ini, 1, "seed");
}

static void test_line_longer_than_200_characters(void **state)
{
    fixture *fx = *state;
    char text[4096], comment[251];
    memset(comment, 'x', 250);
    comment[0] = ';';
    comment[250] = '\0';
    snprintf(text, sizeof text, "%s%s\n%s", SCENARIO_HEAD, comment, SIMULATION POPULATION);
    int ret = load(fx, text);
    assert_cc_error(ret, &fx->err, CC_ERR_SYNTAX, fx->ini, 4, NULL);
    assert_freed(&fx->s);
}

static void test_malformed_integer(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, SCENARIO_HEAD "[simulation]\nseed = 12x\nbase_year = 2020\n" POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_NUMBER, fx->ini, 5, "seed");
    assert_contains(fx->err.message, "12x");
    assert_freed(&fx->s);
}

static void test_fraction_for_integer(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, SCENARIO_HEAD "[simulation]\nbase_year = 2020.5\n" POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_NUMBER, fx->ini, 5, "base_year");
}

static void test_empty_number(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, VALID "sex_ratio_at_birth =\n");
    assert_cc_error(ret, &fx->err, CC_ERR_NUMBER, fx->ini, 13, "sex_ratio_at_birth");
}

static void test_inf_rejected(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, VALID "sex_ratio_at_birth = inf\n");
    assert_cc_error(ret, &fx->err, CC_ERR_NUMBER, fx->ini, 13, "sex_ratio_at_birth");
    assert_freed(&fx->s);
}

static void test_nan_rejected(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, VALID "sex_ratio_at_birth = nan\n");
    assert_cc_error(ret, &fx->err, CC_ERR_NUMBER, fx->ini, 13, "sex_ratio_at_birth");
}

static void test_replications_zero(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, SCENARIO_HEAD "[simulation]\nreplications = 0\nbase_year = 2020\n" POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->ini, 5, "replications");
    assert_freed(&fx->s);
}

static void test_negative_seed(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, SCENARIO_HEAD "[simulation]\nseed = -1\nbase_year = 2020\n" POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->ini, 5, "seed");
}

static void test_end_year_before_base_year(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, SCENARIO_HEAD "[simulation]\n"
                                     "end_year = 2019\n"   /* 5 */
                                     "base_year = 2020\n"  /* 6 */
                       POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->ini, 5, "end_year");
    assert_freed(&fx->s);
}

/* Regression: an error at a key left at its default (end_year 2050 before base_year 2060)
 * named the file "default"; it names the scenario file, as every load error does. */
static void test_error_at_default_names_the_scenario_file(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, SCENARIO_HEAD "[simulation]\nbase_year = 2060\n" POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->ini, 0, "end_year");
    assert_contains(fx->err.message, "before base_year 2060");
    assert_freed(&fx->s);
}

/* Regression: scenarios run together whose replications differ, the later one at its default:
 * the error named the file "default" instead of the later scenario. */
static void test_incompatible_default_names_the_scenario_file(void **state)
{
    fixture *fx = *state;
    cc_scenario s[2];
    char other[PATH_MAX];
    load_ok(fx, VALID);
    s[0] = fx->s;
    memset(&fx->s, 0, sizeof fx->s);
    tu_write_file(tu_path(other, fx->dir, "other.ini"),
                  "[scenario]\nname = other\n[simulation]\nseed = 42\nbase_year = 2020\nend_year = 2030\n" POPULATION);
    assert_cc_ok(cc_scenario_load(&s[1], other, &fx->err), &fx->err);
    int ret = cc_scenarios_check_compatible(s, 2, &fx->err);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, other, 0, "replications");
    cc_scenario_free(&s[0]);
    cc_scenario_free(&s[1]);
}

static void test_bad_choice(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, VALID "age_split = cubic\n");
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->ini, 13, "age_split");
    assert_contains(fx->err.message, "spline");
}

static void test_missing_required_key(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, SCENARIO_HEAD "[simulation]\nseed = 1\n" POPULATION);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->ini, 0, "base_year");
    assert_freed(&fx->s);
}

/* --- errors in the tables --- */

static void test_missing_table_names_scenario_line(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, SCENARIO_HEAD SIMULATION "[population]\nbase_population = pop.csv\n"
                                                "mortality = nope.csv\n" /* 11 */
                                                "fertility = fert.csv\n");
    assert_cc_error(ret, &fx->err, CC_ERR_IO, fx->ini, 11, "mortality");
    assert_contains(fx->err.message, "nope.csv");
    assert_freed(&fx->s);
}

/* A required table key given an empty value fails like a missing key, on its line (not by
 * opening the scenario's folder as a table). */
static void test_empty_required_table_path(void **state)
{
    fixture *fx = *state;
    int ret = load(fx, SCENARIO_HEAD SIMULATION "[population]\nbase_population = pop.csv\n"
                                                "mortality =\n" /* 11 */
                                                "fertility = fert.csv\n");
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->ini, 11, "mortality");
    assert_freed(&fx->s);
}

static void test_negative_population_count(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->pop, "sex,age_lo,age_hi,population\nmale,0,49,5000\nmale,50,99,3000\nmale,100,,10\n"
                           "female,0,49,5200\nfemale,50,99,-35\nfemale,100,,30\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->pop, 6, "population");
    assert_freed(&fx->s);
}

static void test_population_not_a_number(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->pop, "sex,age_lo,age_hi,population\nmale,0,49,5000\nmale,50,99,3k\nmale,100,,10\n"
                           "female,0,49,5200\nfemale,50,99,35\nfemale,100,,30\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_NUMBER, fx->pop, 3, "population");
}

static void test_population_age_gap(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->pop, "sex,age_lo,age_hi,population\nmale,0,49,5000\nmale,51,99,3000\nmale,100,,10\n"
                           "female,0,49,5200\nfemale,50,99,3500\nfemale,100,,30\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_TABLE, fx->pop, 3, "age_lo");
    assert_freed(&fx->s);
}

static void test_population_age_overlap(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->pop, "sex,age_lo,age_hi,population\nmale,0,49,5000\nmale,50,99,3000\nmale,100,,10\n"
                           "female,0,49,5200\nfemale,45,99,3500\nfemale,100,,30\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_TABLE, fx->pop, 6, "age_lo");
}

static void test_population_no_open_group(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->pop, "sex,age_lo,age_hi,population\nmale,0,49,5000\nmale,50,99,3000\nmale,100,104,10\n"
                           "female,0,49,5200\nfemale,50,99,3500\nfemale,100,,30\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_TABLE, fx->pop, 4, "age_hi");
}

static void test_population_missing_sex(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->pop, "sex,age_lo,age_hi,population\nmale,0,49,5000\nmale,50,99,3000\nmale,100,,10\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_TABLE, fx->pop, 0, "sex");
}

static void test_population_bad_sex(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->pop, "sex,age_lo,age_hi,population\nmale,0,49,5000\nmale,50,99,3000\nmale,100,,10\n"
                           "Female,0,49,5200\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_TABLE, fx->pop, 5, "sex");
}

static void test_population_missing_column(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->pop, "sex,age_lo,age_hi,persons\nmale,0,49,5000\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_TABLE, fx->pop, 1, "population");
}

/* A single-year qx table for both sexes, ages 0..100; male age a is on line a + 2. */
static void write_qx(const char *path, int bad_age, double bad_q)
{
    char text[16384];
    size_t n = (size_t)snprintf(text, sizeof text, "sex,age,qx\n");
    for (int sex = 0; sex < 2; sex++)
        for (int a = 0; a <= 100; a++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s,%d,%g\n", sex ? "female" : "male", a,
                                  sex == 0 && a == bad_age ? bad_q : (a == 100 ? 1.0 : 0.01));
    assert_true(n < sizeof text);
    tu_write_file(path, text);
}

static void test_qx_table_loads(void **state)
{
    fixture *fx = *state;
    write_qx(fx->mort, -1, 0);
    load_ok(fx, VALID);
    /* m = 2q / (2 - q) turns back into q = 2m / (2 + m) */
    assert_double_relative(fx->s.population.mortality_rate[CC_MALE][40], 2 * 0.01 / (2 - 0.01), 1e-12);
}

static void test_qx_above_one(void **state)
{
    fixture *fx = *state;
    write_qx(fx->mort, 50, 1.5);
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->mort, 52, "qx");
    assert_freed(&fx->s);
}

static void test_qx_negative(void **state)
{
    fixture *fx = *state;
    write_qx(fx->mort, 3, -0.01);
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->mort, 5, "qx");
}

static void test_lx_table_must_reach_100(void **state)
{
    fixture *fx = *state;
    char text[8192];
    size_t n = (size_t)snprintf(text, sizeof text, "sex,age,lx\n");
    for (int sex = 0; sex < 2; sex++)
        for (int a = 0; a <= 90; a++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s,%d,%d\n", sex ? "female" : "male", a, 100000 - 1000 * a);
    tu_write_file(fx->mort, text);
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_TABLE, fx->mort, -1, "age");
}

static void test_lx_increasing(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->mort, "sex,age,lx\nmale,0,100000\nmale,1,99000\nmale,2,99500\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->mort, 4, "lx");
}

static void test_mortality_without_known_column(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->mort, "sex,age,rate\nmale,0,0.01\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_TABLE, fx->mort, 1, NULL);
}

static void test_fertility_age_twice(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->fert, "age,asfr\n25,0.05\n30,0.1\n25,0.02\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_DUPLICATE, fx->fert, 4, "age");
    assert_contains(fx->err.message, "line 2");
}

static void test_fertility_rate_above_one(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->fert, "age,asfr\n25,1.5\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->fert, 2, "asfr");
}

static void test_fertility_nan(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->fert, "age,asfr\n25,nan\n");
    int ret = load(fx, VALID);
    assert_cc_error(ret, &fx->err, CC_ERR_NUMBER, fx->fert, 2, "asfr");
}

/* --- command-line overrides --- */

static int load_with(fixture *fx, const char *text, const char *section, const char *name, const char *value)
{
    cc_override ov = {section, name, value};
    tu_write_file(fx->ini, text);
    return cc_scenario_load_overrides(&fx->s, fx->ini, &ov, 1, &fx->err);
}

static void test_override(void **state)
{
    fixture *fx = *state;
    assert_cc_ok(load_with(fx, VALID, "simulation", "replications", "9"), &fx->err);
    assert_int_equal(fx->s.run.replications, 9);
    const cc_setting *st = setting(fx, "simulation", "replications");
    assert_string_equal(st->origin, "command line");
    assert_string_equal(st->value, "9");
}

/* An override is applied before the tables are read, so what depends on it follows. */
static void test_override_reaches_the_tables(void **state)
{
    fixture *fx = *state;
    load_ok(fx, VALID);
    double spline_ages[CC_AGES];
    memcpy(spline_ages, fx->s.population.base_population[CC_MALE], sizeof spline_ages);
    cc_scenario_free(&fx->s);
    assert_cc_ok(load_with(fx, VALID, "population", "age_split", "uniform"), &fx->err);
    assert_int_equal(fx->s.population.age_split, CC_SPLIT_UNIFORM);
    assert_memory_not_equal(spline_ages, fx->s.population.base_population[CC_MALE], sizeof spline_ages);
}

static void test_override_errors(void **state)
{
    fixture *fx = *state;
    int ret = load_with(fx, VALID, "simulation", "replicatons", "9");
    assert_cc_error(ret, &fx->err, CC_ERR_UNKNOWN_KEY, "command line", 0, "replicatons");
    assert_contains(fx->err.message, "replications");
    ret = load_with(fx, VALID, "population", "mortality", "x.csv");
    assert_cc_error(ret, &fx->err, CC_ERR_USAGE, "command line", 0, "mortality");
    ret = load_with(fx, VALID, "simulation", "replications", "0");
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, "command line", 0, "replications");
}


/* --- the registry binds each key to its field --- */

/* A value inside key's range, distinct per key (index i), as text and number. */
static double probe_value(const cc_key_info *key, int i)
{
    double lo = key->min > -1e300 ? key->min : 0, hi = key->max < 1e300 ? key->max : lo + 1000;
    if (key->type == CC_KEY_INT) {
        double v = lo + 1 + i;
        return v <= hi ? v : hi;
    }
    return lo + (hi - lo) * (0.1 + 0.8 * ((i * 37) % 100) / 100.0);
}

static double field_value(const cc_scenario *s, const cc_key_info *key)
{
    const char *field = (const char *)s + key->offset;
    if (key->type == CC_KEY_DOUBLE) {
        double v;
        memcpy(&v, field, sizeof v);
        return v;
    }
    if (key->size == sizeof(int)) {
        int v;
        memcpy(&v, field, sizeof v);
        return v;
    }
    long long v;
    memcpy(&v, field, sizeof v);
    return (double)v;
}

/* Every bound number key, set from the command line, lands in its own field and only there:
 * a registry line with the wrong field would put the value elsewhere. */
static void test_every_bound_key_fills_its_field(void **state)
{
    fixture *fx = *state;
    int n;
    const cc_key_info *keys = cc_scenario_keys(&n);
    for (int i = 0; i < n; i++) {
        const cc_key_info *key = &keys[i];
        if (key->offset == CC_KEY_UNBOUND || (key->type != CC_KEY_INT && key->type != CC_KEY_DOUBLE))
            continue;
        if (strcmp(key->name, "base_year") == 0 || strcmp(key->name, "end_year") == 0 ||
            strcmp(key->name, "target_year") == 0)
            continue; /* constrained by the other keys; covered by test_valid_scenario_values */
        if (strncmp(key->name, "visits_per_patient_month", 24) == 0 || strncmp(key->name, "dental_share", 12) == 0)
            continue; /* [demand] min <= mode <= max: covered by tests/test_demand_trends.py and
                         tests/test_demand_bad_input.py */
        char text[64];
        double value = probe_value(key, i);
        snprintf(text, sizeof text, key->type == CC_KEY_INT ? "%.0f" : "%.17g", value);
        load_ok(fx, VALID);
        cc_scenario before = fx->s; /* shallow: compared field by field below */
        char *before_bytes = malloc(sizeof before);
        memcpy(before_bytes, &before, sizeof before);
        fx->s.population.history_year = NULL; /* keep the copy's pointers from being freed twice */
        fx->s.population.history_rate = NULL;
        cc_scenario_free(&fx->s);
        if (load_with(fx, VALID, key->section, key->name, text) != 0) {
            print_error("[%s] %s = %s: %s\n", key->section, key->name, text, fx->err.message);
            free(before_bytes);
            fail();
        }
        assert_double_equal(field_value(&fx->s, key), value, 1e-9 * fabs(value) + 1e-12);
        /* the other bound fields are unchanged */
        for (int j = 0; j < n; j++)
            if (j != i && keys[j].offset != CC_KEY_UNBOUND && keys[j].offset != key->offset &&
                (keys[j].type == CC_KEY_INT || keys[j].type == CC_KEY_DOUBLE))
                assert_double_equal(field_value(&fx->s, &keys[j]), field_value((cc_scenario *)before_bytes, &keys[j]),
                                    0);
        free(before_bytes);
        cc_scenario_free(&fx->s);
    }
}

static void test_choice_keys_store_the_index(void **state)
{
    fixture *fx = *state;
    assert_cc_ok(load_with(fx, VALID, "migration", "schedule", "rogers_castro"), &fx->err);
    assert_int_equal(fx->s.population.migration_schedule, 1);
    cc_scenario_free(&fx->s);
    assert_cc_ok(load_with(fx, VALID, "simulation", "expected_values", "true"), &fx->err);
    assert_int_equal(fx->s.run.expected_values, 1);
}

/* A range error says the range in words and does not repeat the key's name in its text. */
static void test_range_error_in_words(void **state)
{
    fixture *fx = *state;
    int ret = load_with(fx, VALID, "demand", "occupancy", "0");
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, "command line", 0, "occupancy");
    assert_string_equal(fx->err.section, "demand");
    assert_string_equal(fx->err.message, "0 is out of range (allowed: more than 0 and at most 1)");
    assert_int_equal(fx->err.category, CC_CATEGORY_INPUT);
}

/* A model's error names section and key; cc_scenario_locate adds the line that set the key. */
static void test_locate_adds_file_and_line(void **state)
{
    fixture *fx = *state;
    load_ok(fx, VALID);
    cc_error err;
    cc_error_set_key(&err, CC_ERR_RANGE, "simulation", "seed", "cannot be met");
    assert_string_equal(err.file, "");
    cc_scenario_locate(&fx->s, &err);
    assert_string_equal(err.file, fx->ini);
    assert_int_equal(err.line, 5);
    cc_error_set_key(&err, CC_ERR_RANGE, "demand", "occupancy", "a default"); /* not in the file */
    cc_scenario_locate(&fx->s, &err);
    assert_string_equal(err.file, fx->ini);
    assert_int_equal(err.line, 0);
    cc_error_set(&err, CC_ERR_TABLE, "t.csv", 4, "rate", "already placed");
    cc_scenario_locate(&fx->s, &err);
    assert_string_equal(err.file, "t.csv");
    assert_int_equal(err.line, 4);
}

/* A scenario or table that cannot be read is bad input (exit 3), not an I/O failure. */
static void test_unreadable_input_is_an_input_error(void **state)
{
    fixture *fx = *state;
    char missing[PATH_MAX + 16];
    snprintf(missing, sizeof missing, "%s.nope", fx->ini);
    assert_int_equal(cc_scenario_load(&fx->s, missing, &fx->err), CC_ERR_IO);
    assert_int_equal(fx->err.category, CC_CATEGORY_INPUT);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        T(test_valid_scenario_values),
        T(test_every_bound_key_fills_its_field),
        T(test_choice_keys_store_the_index),
        T(test_range_error_in_words),
        T(test_locate_adds_file_and_line),
        T(test_error_at_default_names_the_scenario_file),
        T(test_incompatible_default_names_the_scenario_file),
        T(test_unreadable_input_is_an_input_error),
        T(test_defaults),
        T(test_origins),
        T(test_name_defaults_to_file_name),
        T(test_files_and_tables_recorded),
        T(test_inline_comment_and_spaces),
        T(test_long_comment_under_limit_loads),
        T(test_crlf_bom_scenario_loads),
        T(test_choice_is_case_insensitive),
        T(test_migration_table),
        T(test_base_inherited_and_overridden),
        T(test_table_paths_relative_to_the_file_naming_them),
        T(test_error_in_base_names_base_file),
        T(test_missing_base_names_child_line),
        T(test_missing_grandbase_names_base_line),
        T(test_base_cycle),
        T(test_missing_scenario_file),
        T(test_unknown_key_suggests_nearest),
        T(test_key_in_wrong_section_suggests_its_section),
        T(test_unknown_section_names_line),
        T(test_unknown_empty_section),
        T(test_duplicate_key_names_both_lines),
        T(test_continuation_line_is_rejected),
        T(test_key_without_equals),
        T(test_key_before_any_section),
        T(test_line_longer_than_200_characters),
        T(test_malformed_integer),
        T(test_fraction_for_integer),
        T(test_empty_number),
        T(test_inf_rejected),
        T(test_nan_rejected),
        T(test_replications_zero),
        T(test_negative_seed),
        T(test_end_year_before_base_year),
        T(test_bad_choice),
        T(test_missing_required_key),
        T(test_missing_table_names_scenario_line),
        T(test_empty_required_table_path),
        T(test_negative_population_count),
        T(test_population_not_a_number),
        T(test_population_age_gap),
        T(test_population_age_overlap),
        T(test_population_no_open_group),
        T(test_population_missing_sex),
        T(test_population_bad_sex),
        T(test_population_missing_column),
        T(test_qx_table_loads),
        T(test_qx_above_one),
        T(test_qx_negative),
        T(test_lx_table_must_reach_100),
        T(test_lx_increasing),
        T(test_mortality_without_known_column),
        T(test_fertility_age_twice),
        T(test_fertility_rate_above_one),
        T(test_fertility_nan),
        T(test_override),
        T(test_override_reaches_the_tables),
        T(test_override_errors),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
