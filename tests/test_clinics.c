/* Unit tests of the coverage stage's inputs (src/scenario/clinics.c): the clinics table (happy
 * path, Kashiwa's default table, and every bad table with its exact error code, file, line and
 * column), and the [coverage] keys as a scenario gives them (lists, their checks against
 * [simulation] and [demand], the table's provenance, scenarios run together). */
#include <stdlib.h>

#include "testutil.h"

#include "carecast/scenario.h"
#include "scenario/clinics.h"

typedef struct {
    char dir[PATH_MAX];
    char csv[PATH_MAX];   /* clinics.csv */
    char ini[PATH_MAX];   /* s.ini */
    cc_coverage_params p;
    cc_scenario s;
    cc_error err;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    tu_mkdtemp(fx->dir);
    tu_path(fx->csv, fx->dir, "clinics.csv");
    tu_path(fx->ini, fx->dir, "s.ini");
    fx->p.nblocks = 3;
    fx->p.max_primaries_per_backup = 5;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    free(fx->p.clinics);
    cc_scenario_free(&fx->s);
    tu_rmtree(fx->dir);
    free(fx);
    return 0;
}

#define HEADER "id,block,type,doctors,panel_capacity,participates,backup\n" /* line 1 */

/* Write text as clinics.csv and read it with 3 blocks and at most 5 primaries per backup. */
static int read_table(fixture *fx, const char *text)
{
    tu_write_file(fx->csv, text);
    free(fx->p.clinics);
    fx->p.clinics = NULL;
    return cc_clinics_read(fx->csv, &fx->p, &fx->err);
}

/* A bad table: exact code, the table's file, line and column; nothing is kept. */
#define assert_bad_table(fx, text, code, line, field)                              \
    do {                                                                           \
        int ret_ = read_table((fx), (text));                                       \
        assert_cc_error(ret_, &(fx)->err, (code), (fx)->csv, (line), (field));     \
        assert_null((fx)->p.clinics);                                              \
        assert_int_equal((fx)->p.nclinics, 0);                                     \
    } while (0)

/* --- the table: happy path --- */

static void test_table_values(void **state)
{
    fixture *fx = *state;
    assert_cc_ok(read_table(fx, HEADER
                             "P1-01,1,primary,1,25,1,B1-01\n"   /* 2: backup listed further down */
                             "P1-02, 1 ,primary,2,40.5,yes,\n"  /* 3: the engine pairs it */
                             "B1-01,1,backup,3,60,1,\n"         /* 4 */
                             "B3-01,3,backup,1,0,no,\n"         /* 5 */
                             "\"P3 01\",3,Primary,1,25,0,B3-01\n" /* 6: not participating, paired */),
                 &fx->err);
    assert_int_equal(fx->p.nclinics, 5);
    const cc_clinic *c = fx->p.clinics;
    assert_string_equal(c[0].id, "P1-01");
    assert_int_equal(c[0].block, 0);
    assert_int_equal(c[0].type, CC_CLINIC_PRIMARY);
    assert_int_equal(c[0].doctors, 1);
    assert_double_equal(c[0].panel_capacity, 25, 0);
    assert_int_equal(c[0].participates, 1);
    assert_int_equal(c[0].backup, 2);
    assert_int_equal(c[0].line, 2);
    assert_int_equal(c[1].block, 0);
    assert_int_equal(c[1].doctors, 2);
    assert_double_equal(c[1].panel_capacity, 40.5, 0);
    assert_int_equal(c[1].participates, 1);
    assert_int_equal(c[1].backup, -1);
    assert_int_equal(c[2].type, CC_CLINIC_BACKUP);
    assert_int_equal(c[2].doctors, 3);
    assert_int_equal(c[2].backup, -1);
    assert_int_equal(c[2].line, 4);
    assert_int_equal(c[3].block, 2);
    assert_int_equal(c[3].participates, 0);
    assert_double_equal(c[3].panel_capacity, 0, 0);
    assert_string_equal(c[4].id, "P3 01");
    assert_int_equal(c[4].type, CC_CLINIC_PRIMARY);
    assert_int_equal(c[4].participates, 0);
    assert_int_equal(c[4].backup, 3);
    assert_int_equal(c[4].line, 6);
}

/* The backup column may be left out: the engine pairs every primary. */
static void test_backup_column_optional(void **state)
{
    fixture *fx = *state;
    assert_cc_ok(read_table(fx, "id,block,type,doctors,panel_capacity,participates\nB,1,backup,1,60,1\n"
                                "P,2,primary,1,25,true\n"),
                 &fx->err);
    assert_int_equal(fx->p.nclinics, 2);
    assert_int_equal(fx->p.clinics[1].backup, -1);
    assert_int_equal(fx->p.clinics[1].block, 1);
}

/* Exactly max_primaries_per_backup participating primaries on one backup is allowed; those not
 * participating do not count. */
static void test_max_primaries_allowed(void **state)
{
    fixture *fx = *state;
    fx->p.max_primaries_per_backup = 2;
    assert_cc_ok(read_table(fx, HEADER "B,1,backup,3,60,1,\nP1,1,primary,1,25,1,B\nP2,1,primary,1,25,1,B\n"
                                       "P3,1,primary,1,25,0,B\n"),
                 &fx->err);
    assert_int_equal(fx->p.nclinics, 4);
}

/* Kashiwa's default table (scripts/make-clinics-table.py): 38 backup clinics of 3 doctors,
 * 13/13/12 over the blocks, panels of 60; 60 participating one-doctor primaries, 20 a block,
 * panels of 25, then 30 candidate primaries a block that do not participate (for capacity). */
static void test_kashiwa_table(void **state)
{
    fixture *fx = *state;
    char path[PATH_MAX];
    tu_data_path(path, "kashiwa_clinics.csv");
    assert_cc_ok(cc_clinics_read(path, &fx->p, &fx->err), &fx->err);
    assert_int_equal(fx->p.nclinics, 188);
    int backups[3] = {0}, primaries[3] = {0}, candidates[3] = {0}, doctors = 0;
    double panels = 0;
    for (int i = 0; i < fx->p.nclinics; i++) {
        const cc_clinic *c = &fx->p.clinics[i];
        if (!c->participates) {
            assert_int_equal(c->type, CC_CLINIC_PRIMARY);
            assert_int_equal(c->doctors, 1);
            assert_true(atoi(c->id + 3) > 20);
            candidates[c->block]++;
            continue;
        }
        assert_int_equal(c->backup, -1);
        if (c->type == CC_CLINIC_BACKUP) {
            backups[c->block]++;
            assert_int_equal(c->doctors, 3);
            assert_double_equal(c->panel_capacity, 60, 0);
            assert_int_equal(c->id[0], 'B');
        } else {
            primaries[c->block]++;
            assert_int_equal(c->doctors, 1);
            assert_double_equal(c->panel_capacity, 25, 0);
            assert_int_equal(c->id[0], 'P');
        }
        assert_int_equal(c->id[1] - '0', c->block + 1);
        doctors += c->doctors;
        panels += c->panel_capacity;
    }
    assert_int_equal(backups[0], 13);
    assert_int_equal(backups[1], 13);
    assert_int_equal(backups[2], 12);
    for (int b = 0; b < 3; b++) {
        assert_int_equal(primaries[b], 20);
        assert_int_equal(candidates[b], 30);
    }
    assert_int_equal(doctors, 38 * 3 + 60);
    assert_double_equal(panels, 38 * 60 + 60 * 25, 0);
    assert_string_equal(fx->p.clinics[0].id, "B1-01");
    assert_string_equal(fx->p.clinics[13].id, "P1-01");
}

/* --- the table: errors, each naming file, line and column --- */

static void test_block_above_blocks(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,60,1,\nP,4,primary,1,25,1,\n", CC_ERR_RANGE, 3, "block");
    assert_contains(fx->err.message, "4");
}

static void test_block_zero(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,0,backup,3,60,1,\n", CC_ERR_RANGE, 2, "block");
    assert_contains(fx->err.message, "count from 1");
}

static void test_block_not_an_integer(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,north,backup,3,60,1,\n", CC_ERR_NUMBER, 2, "block");
}

static void test_duplicate_id(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,60,1,\nP,1,primary,1,25,1,\nB,2,backup,3,60,1,\n",
                     CC_ERR_DUPLICATE, 4, "id");
    assert_contains(fx->err.message, "line 2");
}

static void test_empty_id(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER " ,1,backup,3,60,1,\n", CC_ERR_TABLE, 2, "id");
}

static void test_id_too_long(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,60,1,\nabcdefghijklmnopqrstuvwxyz0123456789,1,primary,1,25,1,\n",
                     CC_ERR_RANGE, 3, "id");
}

static void test_primary_paired_to_a_primary(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,60,1,\nP1,1,primary,1,25,1,\nP2,1,primary,1,25,1,P1\n",
                     CC_ERR_TABLE, 4, "backup");
    assert_contains(fx->err.message, "'P1' (line 3) is a primary clinic");
}

static void test_primary_paired_to_a_missing_clinic(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,60,1,\nP,1,primary,1,25,1,B9\n", CC_ERR_TABLE, 3, "backup");
    assert_contains(fx->err.message, "'B9'");
}

static void test_backup_names_a_backup(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B1,1,backup,3,60,1,\nB2,1,backup,3,60,1,B1\n", CC_ERR_TABLE, 3, "backup");
    assert_contains(fx->err.message, "only a primary clinic names a backup");
}

static void test_pair_across_blocks(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,60,1,\nP,2,primary,1,25,1,B\n", CC_ERR_TABLE, 3, "backup");
    assert_contains(fx->err.message, "within a block");
}

static void test_participating_primary_on_a_non_participating_backup(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,60,0,\nP,1,primary,1,25,1,B\n", CC_ERR_TABLE, 3, "backup");
    assert_contains(fx->err.message, "does not participate");
}

static void test_negative_capacity(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,60,1,\nP,1,primary,1,-5,1,\n", CC_ERR_RANGE, 3, "panel_capacity");
}

/* Every panel place has its own random stream (20 bits of the entity word beside the target
 * year): more places than that are refused, at the row where the sum passes the limit. */
static void test_too_many_places(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,600000,1,\nP,1,primary,1,500000,1,\n", CC_ERR_RANGE, 3, "panel_capacity");
    assert_cc_ok(read_table(fx, HEADER "B,1,backup,3,600000,1,\nP,1,primary,1,500000,0,\n"), &fx->err);
    assert_int_equal(fx->p.nclinics, 2); /* a clinic that does not take part adds no places */
}

static void test_capacity_not_a_number(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,,1,\n", CC_ERR_NUMBER, 2, "panel_capacity");
}

/* The primary that takes a backup over the limit is named (the 6th of 5 allowed), even when
 * the backup is listed after it. */
static void test_too_many_primaries_on_a_backup(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER
                     "P1,1,primary,1,25,1,B\n" /* 2 */
                     "P2,1,primary,1,25,1,B\n" /* 3 */
                     "P3,1,primary,1,25,0,B\n" /* 4: not participating, not counted */
                     "P4,1,primary,1,25,1,B\n" /* 5 */
                     "P5,1,primary,1,25,1,B\n" /* 6 */
                     "P6,1,primary,1,25,1,B\n" /* 7: the 5th */
                     "P7,1,primary,1,25,1,B\n" /* 8: the 6th */
                     "B,1,backup,3,60,1,\n",
                     CC_ERR_RANGE, 8, "backup");
    assert_contains(fx->err.message, "at most 5");
}

static void test_zero_doctors(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,60,1,\nP,1,primary,0,25,1,\n", CC_ERR_RANGE, 3, "doctors");
}

static void test_fractional_doctors(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,2.5,60,1,\n", CC_ERR_NUMBER, 2, "doctors");
}

static void test_missing_doctors(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,,60,1,\n", CC_ERR_NUMBER, 2, "doctors");
}

static void test_bad_type(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,60,1,\nP,1,secondary,1,25,1,\n", CC_ERR_TABLE, 3, "type");
    assert_contains(fx->err.message, "'secondary'");
}

static void test_bad_participates(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER "B,1,backup,3,60,maybe,\n", CC_ERR_TABLE, 2, "participates");
}

static void test_missing_column(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, "id,block,type,panel_capacity,participates,backup\nB,1,backup,60,1,\n", CC_ERR_TABLE, 1,
                     "doctors");
}

static void test_no_rows(void **state)
{
    fixture *fx = *state;
    assert_bad_table(fx, HEADER, CC_ERR_TABLE, 0, "id");
}

/* --- the [coverage] keys in a scenario --- */

/* A scenario on the real tables, 2025-2035, with demand on; `coverage` is appended as
 * [coverage] lines from line 17 on. */
#define COVERAGE_FIRST_LINE 17
static int load_coverage(fixture *fx, const char *coverage)
{
    char in[PATH_MAX], out[PATH_MAX], home[PATH_MAX], extra[4 * PATH_MAX + 1024];
    tu_data_path(in, "demand_inpatient_rates_2023.csv");
    tu_data_path(out, "demand_outpatient_rates_2023.csv");
    tu_data_path(home, "demand_home_care_rates_2023.csv");
    snprintf(extra, sizeof extra,
             "[demand]\n"                /* 12 */
             "inpatient_rates = %s\n"    /* 13 */
             "outpatient_rates = %s\n"   /* 14 */
             "home_care_rates = %s\n"    /* 15 */
             "[coverage]\n"              /* 16 */
             "%s",                       /* 17 ... */
             in, out, home, coverage);
    tu_write_data_scenario(fx->ini, extra);
    cc_scenario_free(&fx->s);
    return cc_scenario_load(&fx->s, fx->ini, &fx->err);
}

#define SMALL_TABLE HEADER "B1,1,backup,3,60,1,\nP1,1,primary,1,25,1,B1\nB2,2,backup,3,60,1,\n"

static void test_scenario_coverage_values(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->csv, SMALL_TABLE);
    assert_cc_ok(load_coverage(fx, "clinics = clinics.csv\n"
                                   "blocks = 2\n"
                                   "block_shares = 0.6, 0.4000004\n"
                                   "target_years = 2025, 2035\n"
                                   "schemes = solo,pairing\n"
                                   "replications = 500\n"
                                   "closures = 2025-05-07, 2035-12-28\n"
                                   "max_wait_minutes = 90\n"),
                 &fx->err);
    const cc_coverage_params *p = &fx->s.coverage;
    assert_int_equal(p->enabled, 1);
    assert_int_equal(p->nclinics, 3);
    assert_int_equal(p->clinics[1].backup, 0);
    assert_int_equal(p->clinics[2].block, 1);
    assert_int_equal(p->nblocks, 2);
    assert_double_equal(p->block_share[0] + p->block_share[1], 1, 1e-15);
    assert_double_equal(p->block_share[0], 0.6 / 1.0000004, 1e-15);
    assert_int_equal(p->nyears, 2);
    assert_int_equal(p->target_year[0], 2025);
    assert_int_equal(p->target_year[1], 2035);
    assert_int_equal(p->nschemes, 2);
    assert_int_equal(p->scheme[0], CC_SCHEME_SOLO);
    assert_int_equal(p->scheme[1], CC_SCHEME_PAIRING);
    assert_int_equal(p->replications, 10); /* lowered to [simulation] replications */
    assert_int_equal(p->nclosures, 2);
    assert_int_equal(p->closure[0].year, 2025);
    assert_int_equal(p->closure[0].month, 5);
    assert_int_equal(p->closure[0].day, 7);
    assert_int_equal(p->closure[1].day, 28);
    assert_double_equal(p->max_wait_minutes, 90, 0);
    /* the table is recorded with its checksum */
    int found = 0;
    for (int i = 0; i < fx->s.ntables; i++)
        if (strcmp(fx->s.tables[i].key, "coverage.clinics") == 0) {
            found = 1;
            assert_string_equal(fx->s.tables[i].path, fx->csv);
            assert_int_equal(strlen(fx->s.tables[i].sha256), 64);
        }
    assert_true(found);
}

/* The defaults of the registry, as the model spec gives them. */
static void test_scenario_coverage_defaults(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->csv, SMALL_TABLE);
    assert_cc_ok(load_coverage(fx, "clinics = clinics.csv\ntarget_years = 2030\n"), &fx->err);
    const cc_coverage_params *p = &fx->s.coverage;
    assert_int_equal(p->nblocks, 3);
    for (int b = 0; b < 3; b++)
        assert_double_equal(p->block_share[b], 1.0 / 3, 1e-15);
    assert_double_equal(p->area_km2, 114.74, 0);
    assert_int_equal(p->nschemes, 4);
    assert_int_equal(p->scheme[0], CC_SCHEME_PAIRING);
    assert_int_equal(p->scheme[1], CC_SCHEME_ROTATION);
    assert_int_equal(p->scheme[2], CC_SCHEME_SOLO);
    assert_int_equal(p->scheme[3], CC_SCHEME_COOPERATIVE);
    assert_int_equal(p->replications, 10); /* default 50, lowered to the run's 10 */
    assert_int_equal(p->max_primaries_per_backup, 5);
    assert_double_equal(p->scheduled_visits_per_patient_month, 2.4, 0);
    assert_double_equal(p->scheduled_visit_minutes, 20, 0);
    assert_double_equal(p->urgent_visit_share, 0.6, 0);
    assert_double_equal(p->urgent_visit_minutes, 30, 0);
    assert_double_equal(p->phone_minutes, 10, 0);
    assert_double_equal(p->call_rate_shape, 1, 0);
    assert_double_equal(p->in_hours_call_share, 0.65, 0);
    assert_double_equal(p->night_share_of_ooh, 1.0 / 3, 1e-6);
    assert_double_equal(p->exit_short_share, 0.215, 0);
    assert_double_equal(p->exit_short_mean_months, 2.8, 0);
    assert_double_equal(p->exit_long_mean_months, 59, 0);
    assert_double_equal(p->home_death_share, 0.5, 0);
    assert_double_equal(p->death_visit_minutes, 45, 0);
    assert_double_equal(p->absence_days, 15, 0);
    assert_int_equal(p->absence_max_spell_days, 5);
    assert_double_equal(p->max_wait_minutes, 120, 0);
    assert_double_equal(p->speed_kmh, 25, 0);
    assert_double_equal(p->distance_factor, 0.52, 0);
    assert_double_equal(p->max_duty_nights_per_month, 12, 0);
    assert_double_equal(p->max_disturbed_nights_per_month, 4, 0);
    assert_int_equal(p->nclosures, 0);
}

/* No clinics table: no coverage stage, and the target years are not held to the projection. */
static void test_scenario_without_clinics(void **state)
{
    fixture *fx = *state;
    assert_cc_ok(load_coverage(fx, "target_years = 2025, 2060\n"), &fx->err);
    assert_int_equal(fx->s.coverage.enabled, 0);
    assert_int_equal(fx->s.coverage.nclinics, 0);
    assert_null(fx->s.coverage.clinics);
}

/* A bad [coverage] value: exact code, the scenario's file and line, the key. */
static void assert_bad_key(fixture *fx, const char *coverage, int code, int line, const char *key)
{
    tu_write_file(fx->csv, SMALL_TABLE);
    int ret = load_coverage(fx, coverage);
    assert_cc_error(ret, &fx->err, code, fx->ini, line, key);
    assert_string_equal(fx->err.section, "coverage");
    assert_null(fx->s.settings); /* freed */
}

#define L(k) (COVERAGE_FIRST_LINE + (k)) /* line of the k-th [coverage] line (0-based) */
#define CLINICS "clinics = clinics.csv\ntarget_years = 2030\n" /* L(0), L(1) */

static void test_block_shares_count(void **state)
{
    assert_bad_key(*state, CLINICS "block_shares = 0.5, 0.5\n", CC_ERR_RANGE, L(2), "block_shares");
}

static void test_block_shares_sum(void **state)
{
    fixture *fx = *state;
    assert_bad_key(fx, CLINICS "blocks = 2\nblock_shares = 0.5, 0.49\n", CC_ERR_RANGE, L(3), "block_shares");
    assert_contains(fx->err.message, "0.99");
}

static void test_block_share_not_positive(void **state)
{
    assert_bad_key(*state, CLINICS "blocks = 2\nblock_shares = 1, 0\n", CC_ERR_RANGE, L(3), "block_shares");
}

static void test_block_share_not_a_number(void **state)
{
    assert_bad_key(*state, CLINICS "blocks = 2\nblock_shares = 0.5, half\n", CC_ERR_NUMBER, L(3), "block_shares");
}

static void test_block_shares_empty_item(void **state)
{
    assert_bad_key(*state, CLINICS "blocks = 2\nblock_shares = 0.5,,0.5\n", CC_ERR_SYNTAX, L(3), "block_shares");
}

/* Years after the projection's end are left out (a shorter horizon still runs the years it
 * reaches); none left, or a year before the projection, is an error. */
static void test_target_years_after_the_projection_left_out(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->csv, SMALL_TABLE);
    assert_cc_ok(load_coverage(fx, "clinics = clinics.csv\ntarget_years = 2025, 2035, 2040, 2050\n"), &fx->err);
    assert_int_equal(fx->s.coverage.nyears, 2);
    assert_int_equal(fx->s.coverage.target_year[0], 2025);
    assert_int_equal(fx->s.coverage.target_year[1], 2035);
    assert_int_equal(fx->s.coverage.target_year[2], 0);
}

static void test_no_target_year_within_the_projection(void **state)
{
    fixture *fx = *state;
    assert_bad_key(fx, "clinics = clinics.csv\ntarget_years = 2040, 2050\n", CC_ERR_RANGE, L(1), "target_years");
    assert_contains(fx->err.message, "2025-2035");
}

static void test_target_year_before_the_projection(void **state)
{
    fixture *fx = *state;
    assert_bad_key(fx, "clinics = clinics.csv\ntarget_years = 2020, 2030\n", CC_ERR_RANGE, L(1), "target_years");
    assert_contains(fx->err.message, "2020");
}

static void test_target_years_must_increase(void **state)
{
    assert_bad_key(*state, "clinics = clinics.csv\ntarget_years = 2030, 2025\n", CC_ERR_RANGE, L(1), "target_years");
}

static void test_target_year_not_a_year(void **state)
{
    assert_bad_key(*state, "clinics = clinics.csv\ntarget_years = 2030.5\n", CC_ERR_NUMBER, L(1), "target_years");
}

static void test_target_years_empty(void **state)
{
    assert_bad_key(*state, "clinics = clinics.csv\ntarget_years =\n", CC_ERR_RANGE, L(1), "target_years");
}

static void test_unknown_scheme(void **state)
{
    fixture *fx = *state;
    assert_bad_key(fx, CLINICS "schemes = pairing, rota\n", CC_ERR_RANGE, L(2), "schemes");
    assert_contains(fx->err.message, "rotation");
}

static void test_scheme_twice(void **state)
{
    assert_bad_key(*state, CLINICS "schemes = solo, pairing, solo\n", CC_ERR_DUPLICATE, L(2), "schemes");
}

static void test_bad_closure_date(void **state)
{
    assert_bad_key(*state, CLINICS "closures = 2030-02-29\n", CC_ERR_RANGE, L(2), "closures");
}

static void test_closure_not_a_date(void **state)
{
    assert_bad_key(*state, CLINICS "closures = 2030/05/07\n", CC_ERR_SYNTAX, L(2), "closures");
}

/* A year the calendar cannot hold was accepted here and failed only when the run began, as
 * "out of memory for the coverage simulation" (exit 1, not 3). */
static void test_closure_year_zero_or_signed(void **state)
{
    assert_bad_key(*state, CLINICS "closures = 0000-05-01\n", CC_ERR_RANGE, L(2), "closures");
    assert_bad_key(*state, CLINICS "closures = -001-05-01\n", CC_ERR_SYNTAX, L(2), "closures");
    assert_bad_key(*state, CLINICS "closures = +202-05-01\n", CC_ERR_SYNTAX, L(2), "closures");
    assert_bad_key(*state, CLINICS "closures = 2030-+5-01\n", CC_ERR_SYNTAX, L(2), "closures");
}

static void test_clinics_without_demand(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->csv, SMALL_TABLE);
    tu_write_data_scenario(fx->ini, "[coverage]\n"               /* 12 */
                                    "clinics = clinics.csv\n"    /* 13 */
                                    "target_years = 2030\n");
    int ret = cc_scenario_load(&fx->s, fx->ini, &fx->err);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->ini, 13, "clinics");
    assert_contains(fx->err.message, "[demand]");
}

static void test_missing_clinics_table_names_scenario_line(void **state)
{
    fixture *fx = *state;
    int ret = load_coverage(fx, "target_years = 2030\nclinics = nope.csv\n");
    assert_cc_error(ret, &fx->err, CC_ERR_IO, fx->ini, L(1), "clinics");
    assert_contains(fx->err.message, "nope.csv");
}

/* An error inside the table names the table's file, line and column, also through the loader;
 * the limit is the scenario's max_primaries_per_backup. */
static void test_bad_table_through_the_scenario(void **state)
{
    fixture *fx = *state;
    tu_write_file(fx->csv, HEADER "B,1,backup,3,60,1,\nP1,1,primary,1,25,1,B\nP2,1,primary,1,25,1,B\n");
    int ret = load_coverage(fx, CLINICS "max_primaries_per_backup = 1\n");
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->csv, 4, "backup");
    tu_write_file(fx->csv, HEADER "B,1,backup,3,60,1,\nP1,3,primary,1,25,1,\n");
    ret = load_coverage(fx, CLINICS "blocks = 2\n");
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, fx->csv, 3, "block");
}

/* Scenarios run together share the coverage stage's axes. */
static void test_scenarios_together(void **state)
{
    fixture *fx = *state;
    char ini2[PATH_MAX];
    cc_scenario s[2];
    memset(s, 0, sizeof s);
    tu_write_file(fx->csv, SMALL_TABLE);
    assert_cc_ok(load_coverage(fx, CLINICS), &fx->err);
    s[0] = fx->s;
    memset(&fx->s, 0, sizeof fx->s);
    tu_path(ini2, fx->dir, "t.ini");
    tu_write_filef(ini2, "[scenario]\nbase = s.ini\nname = other\n[coverage]\ntarget_years = 2025\n");
    assert_cc_ok(cc_scenario_load(&s[1], ini2, &fx->err), &fx->err);
    int ret = cc_scenarios_check_compatible(s, 2, &fx->err);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, ini2, 5, "target_years");
    cc_scenario_free(&s[1]);
    tu_write_filef(ini2, "[scenario]\nbase = s.ini\nname = other\n[coverage]\nclinics =\n");
    assert_cc_ok(cc_scenario_load(&s[1], ini2, &fx->err), &fx->err);
    ret = cc_scenarios_check_compatible(s, 2, &fx->err);
    assert_cc_error(ret, &fx->err, CC_ERR_RANGE, ini2, 5, "clinics");
    cc_scenario_free(&s[1]);
    tu_write_filef(ini2, "[scenario]\nbase = s.ini\nname = other\n[coverage]\nspeed_kmh = 30\n");
    assert_cc_ok(cc_scenario_load(&s[1], ini2, &fx->err), &fx->err);
    assert_cc_ok(cc_scenarios_check_compatible(s, 2, &fx->err), &fx->err);
    cc_scenario_free(&s[1]);
    cc_scenario_free(&s[0]);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        T(test_table_values),
        T(test_backup_column_optional),
        T(test_max_primaries_allowed),
        T(test_kashiwa_table),
        T(test_block_above_blocks),
        T(test_block_zero),
        T(test_block_not_an_integer),
        T(test_duplicate_id),
        T(test_empty_id),
        T(test_id_too_long),
        T(test_primary_paired_to_a_primary),
        T(test_primary_paired_to_a_missing_clinic),
        T(test_backup_names_a_backup),
        T(test_pair_across_blocks),
        T(test_participating_primary_on_a_non_participating_backup),
        T(test_negative_capacity),
        T(test_capacity_not_a_number),
        T(test_too_many_places),
        T(test_too_many_primaries_on_a_backup),
        T(test_zero_doctors),
        T(test_fractional_doctors),
        T(test_missing_doctors),
        T(test_bad_type),
        T(test_bad_participates),
        T(test_missing_column),
        T(test_no_rows),
        T(test_scenario_coverage_values),
        T(test_scenario_coverage_defaults),
        T(test_scenario_without_clinics),
        T(test_block_shares_count),
        T(test_block_shares_sum),
        T(test_block_share_not_positive),
        T(test_block_share_not_a_number),
        T(test_block_shares_empty_item),
        T(test_target_years_after_the_projection_left_out),
        T(test_no_target_year_within_the_projection),
        T(test_target_year_before_the_projection),
        T(test_target_years_must_increase),
        T(test_target_year_not_a_year),
        T(test_target_years_empty),
        T(test_unknown_scheme),
        T(test_scheme_twice),
        T(test_bad_closure_date),
        T(test_closure_not_a_date),
        T(test_closure_year_zero_or_signed),
        T(test_clinics_without_demand),
        T(test_missing_clinics_table_names_scenario_line),
        T(test_bad_table_through_the_scenario),
        T(test_scenarios_together),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
