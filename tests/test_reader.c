/* Unit tests of the results store, its summaries, the writer and the reader
 * (src/results/{store,summaries,layout,writer,reader}.c):
 * - the round trip: a small in-memory results set (two scenarios of hand-made rows, with
 *   demand, a bed capacity, a Lee-Carter fit for one scenario and none for the other, and
 *   coverage: 2 of 3 replications, 2 target years, 2 schemes, 3 doctors and 2, one figure
 *   undefined (NaN)) is
 *   written with cc_results_write, and every dataset, scale, link and attribute of the layout
 *   reads back equal with the reader, with its axes (names and scale values), units, long_name
 *   and description; the reader lists exactly the layout's datasets plus /provenance;
 * - known values read back by path, without the layout: rows, axes, per-scenario scales;
 * - a real run (cc_run on a data scenario) round-trips the same way;
 * - the store takes rows only in replication order and with the stages it was made for
 *   (coverage exactly for the coverage replications, with the scenario's doctors);
 *   its by-age moments are the mean and sd of the rows;
 * - coverage by path: the doctors' clinics, blocks, roles and pairs, NaN padding past a
 *   scenario's roster, quantiles leaving a NaN out, scheme differences replication by
 *   replication;
 * - the reader's errors: a missing file, a missing dataset or attribute. */
#include "testutil.h"

#include <hdf5.h>
#include <math.h>

#include "carecast/results_layout.h"
#include "carecast/reader.h"
#include "carecast/results.h"
#include "carecast/run.h"
#include "carecast/summaries.h"

#define NSC 2
#define REPS 3
#define YEARS 4
#define BASE 2030
#define COV_REPS 2   /* coverage replications */
#define COV_YEARS 2  /* target years 2031, 2033 */
#define COV_SCHEMES 2 /* rotation, solo */

/* ---- a hand-made results set -------------------------------------------------------------- */

static double pop_value(int id, int sc, int rep, int y, int sex)
{
    return 1000.0 * (id + 1) + 100.0 * sc + 10.0 * rep + y + 0.25 * sex + (rep == 1 ? 0.5 : 0);
}

static double demand_value(int d, int sc, int rep, int y, int sex, int band)
{
    return 50.0 * (d + 1) + 7.0 * sc + 3.0 * rep * (y + 1) + sex + 0.125 * band;
}

static void fill_fitted(cc_population_fitted *f, int sc)
{
    memset(f, 0, sizeof *f);
    f->years = YEARS;
    f->migration_level = calloc(YEARS, sizeof(double));
    for (int y = 0; y < YEARS; y++)
        f->migration_level[y] = 100.0 * sc + y;
    f->base_tfr = 1.3 + 0.1 * sc;
    f->median_e0_end_year[CC_MALE] = 82.5;
    f->median_e0_end_year[CC_FEMALE] = 88.25 + sc;
    if (sc == 0) { /* two calibration targets and a Lee-Carter fit of 3 groups, 2 years */
        f->ntargets = 2;
        f->target_year = malloc(2 * sizeof(int));
        f->target_total = malloc(2 * sizeof(double));
        f->target_year[0] = 2031, f->target_year[1] = 2033;
        f->target_total[0] = 4000, f->target_total[1] = 4100.5;
        f->has_lee_carter = 1;
        f->ngroups = 3;
        f->nyears = 2;
        f->group_lo = malloc(3 * sizeof(int));
        f->group_hi = malloc(3 * sizeof(int));
        f->group_label = malloc(3 * sizeof(char *));
        f->fit_year = malloc(2 * sizeof(int));
        static const int lo[3] = {0, 50, 100}, hi[3] = {49, 99, CC_AGE_OPEN_END};
        static const char *const labels[3] = {"0-49", "50-99", "100+"};
        for (int g = 0; g < 3; g++) {
            f->group_lo[g] = lo[g];
            f->group_hi[g] = hi[g];
            f->group_label[g] = strdup(labels[g]);
        }
        f->fit_year[0] = 2009, f->fit_year[1] = 2018;
        for (int sex = 0; sex < CC_SEXES; sex++) {
            cc_population_fitted_sex *s = &f->sex[sex];
            s->ax = malloc(3 * sizeof(double));
            s->bx = malloc(3 * sizeof(double));
            s->kt = malloc(2 * sizeof(double));
            for (int g = 0; g < 3; g++) {
                s->ax[g] = -5.0 + g + 0.1 * sex;
                s->bx[g] = (g + 1) / 6.0;
            }
            s->kt[0] = 1.5 + sex, s->kt[1] = -1.5 - sex;
            s->drift_fitted = -0.4 - 0.01 * sex, s->sigma_fitted = 0.1;
            s->drift_used = -0.42, s->sigma_used = 0.13 + sex;
            s->explained_variance = 0.8, s->max_abs_log_error = 0.19;
        }
    }
}

/* ---- coverage: two clinics, a backup (2 doctors) and a primary paired with it (1 doctor);
 * scenario 0 has both (3 doctors), scenario 1 the backup only (2 doctors) ---- */

static cc_clinic cov_clinics[2] = {
    {"B-01", 0, CC_CLINIC_BACKUP, 2, 60, 1, -1, 2},
    {"P-01", 1, CC_CLINIC_PRIMARY, 1, 25, 1, 0, 3},
};

static void cov_params(cc_coverage_params *p)
{
    memset(p, 0, sizeof *p);
    p->enabled = 1;
    p->nclinics = 2;
    p->clinics = cov_clinics;
    p->nblocks = 2;
    p->nyears = COV_YEARS;
    p->target_year[0] = 2031, p->target_year[1] = 2033;
    p->nschemes = COV_SCHEMES;
    p->scheme[0] = CC_SCHEME_ROTATION, p->scheme[1] = CC_SCHEME_SOLO;
    p->replications = COV_REPS;
    p->max_duty_nights_per_month = 12;
    p->max_disturbed_nights_per_month = 4;
}

static int cov_doctor_clinic[3] = {0, 0, 1}, cov_first_doctor[2][2] = {{0, 2}, {0, -1}}, cov_pair[2][2] = {{-1, 0}, {-1, -1}};

static void cov_layout(cc_coverage_layout *l, int sc)
{
    memset(l, 0, sizeof *l);
    l->ndoctors = sc == 0 ? 3 : 2;
    l->doctor_clinic = cov_doctor_clinic;
    l->clinic_first_doctor = cov_first_doctor[sc];
    l->pair = cov_pair[sc];
}

static double cov_year_value(int m, int y, int sc, int rep) { return 100.0 * m + 10.0 * y + sc + 0.25 * rep; }
static double cov_scheme_value(int m, int y, int k, int sc, int rep)
{
    if (m == CC_SCH_CONTINUITY && sc == 1 && rep == 0)
        return NAN; /* undefined in that replication: left out of the statistics */
    return 1000.0 * m + 100.0 * y + 10.0 * k + sc + 0.5 * rep * (k + 1);
}
static double cov_doctor_value(int m, int y, int k, int d, int sc, int rep)
{
    return 10000.0 * m + 1000.0 * y + 100.0 * k + 10.0 * d + sc + 0.125 * rep;
}

static void fill_coverage_row(cc_coverage_row *row, int sc, int rep)
{
    for (int y = 0; y < COV_YEARS; y++) {
        cc_coverage_result *r = &row->year[y];
        for (int m = 0; m < CC_COV_METRICS; m++)
            r->year[m] = cov_year_value(m, y, sc, rep);
        for (int k = 0; k < COV_SCHEMES; k++) {
            for (int m = 0; m < CC_SCH_METRICS; m++)
                r->scheme[k * CC_SCH_METRICS + m] = cov_scheme_value(m, y, k, sc, rep);
            for (int d = 0; d < row->ndoctors; d++)
                for (int m = 0; m < CC_DOC_METRICS; m++)
                    r->doctor[((size_t)k * row->ndoctors + d) * CC_DOC_METRICS + m] = cov_doctor_value(m, y, k, d, sc, rep);
        }
    }
}

/* A store of NSC scenarios x REPS replications with demand and coverage. */
static void make_results(cc_results *res)
{
    cc_coverage_params params;
    cov_params(&params);
    assert_int_equal(cc_results_init(res, NSC, REPS, YEARS, BASE, 1), 0);
    assert_int_equal(cc_results_init_coverage(res, &params, COV_REPS, 3), 0);
    for (int sc = 0; sc < NSC; sc++) {
        cc_population_fitted f;
        fill_fitted(&f, sc);
        char name[16];
        snprintf(name, sizeof name, "s%d", sc);
        assert_int_equal(cc_results_set_scenario(res, sc, name, sc == 0 ? 6000.0 : 0.0, 250.0 + sc, &f), 0);
        cc_population_fitted_free(&f);
        cc_population_row pop;
        cc_demand_row dem;
        cc_coverage_layout layout;
        cc_coverage_row cov;
        cov_layout(&layout, sc);
        assert_int_equal(cc_results_set_coverage_scenario(res, sc, &params, &layout), 0);
        assert_int_equal(cc_coverage_row_init(&cov, &params, &layout), 0);
        assert_int_equal(cc_population_row_init(&pop, YEARS), 0);
        assert_int_equal(cc_demand_row_init(&dem, YEARS), 0);
        for (int rep = 0; rep < REPS; rep++) {
            for (int id = 0; id < CC_SERIES_COUNT; id++)
                for (int y = 0; y < YEARS; y++)
                    for (int sex = 0; sex < CC_SEX_AXIS; sex++)
                        pop.series[((size_t)id * YEARS + y) * CC_SEX_AXIS + sex] = pop_value(id, sc, rep, y, sex);
            for (size_t i = 0; i < (size_t)YEARS * CC_SEX_AXIS * CC_AGES; i++)
                pop.by_age[i] = (double)(i % 97) + rep * (1 + sc);
            for (int d = 0; d < CC_DEMAND_SERIES; d++)
                for (int y = 0; y < YEARS; y++) {
                    for (int sex = 0; sex < CC_SEX_AXIS; sex++)
                        for (int b = 0; b < CC_AGE_BANDS; b++)
                            dem.counts[(((size_t)d * YEARS + y) * CC_SEX_AXIS + sex) * CC_AGE_BANDS + b] =
                                demand_value(d, sc, rep, y, sex, b);
                    /* beds: rep 0 never exceeds 6000, rep 1 from 2032, rep 2 from 2031; inpatients: rep 2 peaks in 2031 */
                    dem.expected[d * YEARS + y] =
                        d == CC_DEMAND_BEDS_NEEDED ? 5000.0 + 600.0 * rep * y : (rep == 2 && y == 1 ? 900 : 100 + y);
                }
            for (int k = 0; k < CC_RATE_SETTINGS; k++) {
                dem.draw.multiplier[k] = 1 + 0.01 * (k + rep);
                dem.draw.trend[k] = -0.01 * k + 0.001 * rep;
            }
            fill_coverage_row(&cov, sc, rep);
            cc_row row = {&pop, &dem, rep < COV_REPS ? &cov : NULL};
            assert_int_equal(cc_results_add_row(res, sc, rep, &row), 0);
        }
        cc_coverage_row_free(&cov);
        cc_population_row_free(&pop);
        cc_demand_row_free(&dem);
    }
}

static cc_scenario *make_scenarios(void)
{
    cc_scenario *s = calloc(NSC, sizeof *s);
    for (int sc = 0; sc < NSC; sc++) {
        char name[16];
        snprintf(name, sizeof name, "s%d", sc);
        s[sc].name = strdup(name);
        s[sc].path = strdup("/nowhere/scenario.ini");
        s[sc].run.seed = 7;
        s[sc].run.replications = REPS;
        s[sc].nfiles = 1;
        s[sc].files = calloc(1, sizeof *s[sc].files);
        s[sc].files[0].path = strdup("/nowhere/scenario.ini");
        s[sc].files[0].text = strdup("[scenario]\nname = s\n");
    }
    return s;
}

static void free_scenarios(cc_scenario *s)
{
    for (int sc = 0; sc < NSC; sc++) {
        free(s[sc].name);
        free(s[sc].path);
        free(s[sc].files[0].path);
        free(s[sc].files[0].text);
        free(s[sc].files);
    }
    free(s);
}

/* ---- comparing what the layout holds with what the reader reads --------------------------- */

typedef struct {
    cc_reader *reader;
    int matched;        /* datasets and links of the layout found */
    char **seen;        /* their paths */
    int nseen;
} check_state;

static int values_equal(const cc_layout_item *it, const cc_read_dataset *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (it->type == CC_VALUE_STRING) {
            if (strcmp(((const char *const *)it->data)[i], d->strings[i]) != 0)
                return 0;
        } else {
            double want = it->type == CC_VALUE_INT ? ((const int *)it->data)[i] : ((const double *)it->data)[i];
            if (!(want == d->values[i] || (isnan(want) && isnan(d->values[i]))))
                return 0;
        }
    }
    return 1;
}

static void check_dataset(check_state *st, const cc_layout_item *it)
{
    char path[600];
    snprintf(path, sizeof path, "/%s", it->path);
    cc_read_dataset d;
    cc_error err;
    assert_cc_ok(cc_reader_read(st->reader, path, &d, &err), &err);
    assert_int_equal(d.rank, it->rank);
    size_t n = 1;
    for (int i = 0; i < it->rank; i++) {
        assert_int_equal(d.dims[i], it->dims[i]);
        n *= it->dims[i];
    }
    assert_int_equal(d.size, n);
    assert_int_equal(d.kind, it->type == CC_VALUE_STRING ? CC_DATA_STRING
                             : it->type == CC_VALUE_INT  ? CC_DATA_INTEGER
                                                         : CC_DATA_FLOAT);
    if (!values_equal(it, &d, n)) {
        print_error("%s: values differ\n", path);
        fail();
    }
    assert_string_equal(d.units, it->units);
    assert_string_equal(d.long_name, it->long_name);
    assert_string_equal(d.description, it->description);
    assert_int_equal(d.is_scale, it->kind == CC_ITEM_SCALE);
    if (it->kind == CC_ITEM_SCALE) {
        assert_string_equal(d.axes[0].name, it->name);
    } else {
        for (int i = 0; i < it->rank; i++) { /* each axis: its name, and its scale's values */
            assert_string_equal(d.axes[i].name, it->axis[i]);
            assert_non_null(d.axes[i].scale_path);
            cc_read_dataset scale;
            char scale_path[600];
            snprintf(scale_path, sizeof scale_path, "/%s", it->axis_path[i]);
            assert_cc_ok(cc_reader_read(st->reader, scale_path, &scale, &err), &err);
            assert_int_equal(scale.size, d.axes[i].length);
            assert_int_equal(scale.kind, d.axes[i].kind);
            for (size_t k = 0; k < scale.size; k++)
                if (scale.kind == CC_DATA_STRING)
                    assert_string_equal(scale.strings[k], d.axes[i].strings[k]);
                else
                    assert_true(scale.values[k] == d.axes[i].values[k]);
            cc_read_dataset_free(&scale);
        }
    }
    cc_read_dataset_free(&d);
}

static void check_attribute(check_state *st, const cc_layout_item *it)
{
    cc_read_attribute a;
    cc_error err;
    char path[600];
    snprintf(path, sizeof path, "/%s", it->path);
    assert_cc_ok(cc_reader_attribute(st->reader, path, it->name, &a, &err), &err);
    if (it->type == CC_VALUE_STRING) { /* dates */
        assert_int_equal(a.kind, CC_DATA_STRING);
        assert_string_equal(a.string, *(const char *const *)it->data);
    } else {
        assert_int_equal(it->type, CC_VALUE_DOUBLE);
        assert_int_equal(a.kind, CC_DATA_FLOAT);
        assert_true(a.value == *(const double *)it->data);
    }
    free(a.string);
}

static void check_link(check_state *st, const cc_layout_item *it)
{
    char path[600], target[600];
    snprintf(path, sizeof path, "/%s", it->path);
    snprintf(target, sizeof target, "/%s", it->target);
    cc_read_dataset a, b;
    cc_error err;
    assert_cc_ok(cc_reader_read(st->reader, path, &a, &err), &err);
    assert_cc_ok(cc_reader_read(st->reader, target, &b, &err), &err);
    assert_int_equal(a.size, b.size);
    assert_int_equal(a.kind, b.kind);
    assert_true(a.is_scale && b.is_scale);
    for (size_t k = 0; k < a.size; k++)
        if (a.kind == CC_DATA_STRING)
            assert_string_equal(a.strings[k], b.strings[k]);
        else
            assert_true(a.values[k] == b.values[k]);
    cc_read_dataset_free(&a);
    cc_read_dataset_free(&b);
}

static int check_item(const cc_layout_item *it, void *user)
{
    check_state *st = user;
    switch (it->kind) {
    case CC_ITEM_GROUP:
        return 0;
    case CC_ITEM_ATTRIBUTE:
        check_attribute(st, it);
        return 0;
    case CC_ITEM_LINK:
        check_link(st, it);
        break;
    case CC_ITEM_SCALE:
    case CC_ITEM_DATASET:
        check_dataset(st, it);
        break;
    }
    st->seen = realloc(st->seen, (size_t)(st->nseen + 1) * sizeof *st->seen);
    st->seen[st->nseen] = malloc(strlen(it->path) + 2);
    sprintf(st->seen[st->nseen++], "/%s", it->path);
    st->matched++;
    return 0;
}

/* Every item of the layout reads back equal; the reader lists nothing else but /provenance. */
static void check_round_trip(const cc_results *res, const char *file)
{
    cc_summaries s;
    cc_error err;
    assert_int_equal(cc_summaries_compute(&s, res, 2), 0);
    check_state st = {0};
    assert_cc_ok(cc_reader_open(&st.reader, file, &err), &err);
    assert_int_equal(cc_results_layout_walk(res, &s, check_item, &st), 0);
    assert_true(st.matched >= 40);
    int outside = 0;
    for (int i = 0; i < cc_reader_count(st.reader); i++) {
        const char *p = cc_reader_path(st.reader, i);
        int found = strncmp(p, "/provenance/", 12) == 0;
        for (int k = 0; !found && k < st.nseen; k++)
            found = strcmp(st.seen[k], p) == 0;
        if (!found) {
            print_error("the file holds %s, which the layout does not list\n", p);
            outside++;
        }
    }
    assert_int_equal(outside, 0);
    assert_int_equal(cc_reader_count(st.reader) - st.nseen, 5 * res->nscenarios); /* provenance lists */
    for (int k = 0; k < st.nseen; k++)
        free(st.seen[k]);
    free(st.seen);
    cc_reader_close(st.reader);
    cc_summaries_free(&s);
}

/* ---- tests -------------------------------------------------------------------------------- */

typedef struct {
    char dir[PATH_MAX], file[PATH_MAX];
    cc_results res;
    cc_scenario *scenarios;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    cc_error err;
    *state = fx;
    tu_mkdtemp(fx->dir);
    tu_path(fx->file, fx->dir, "r.h5");
    make_results(&fx->res);
    fx->scenarios = make_scenarios();
    cc_run_facts facts = {1, 1, "test_reader", NULL};
    assert_cc_ok(cc_results_write(&fx->res, fx->scenarios, NSC, &facts, fx->file, &err), &err);
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    cc_results_free(&fx->res);
    free_scenarios(fx->scenarios);
    tu_rmtree(fx->dir);
    free(fx);
    return 0;
}

static void test_every_item_of_the_layout_reads_back_equal(void **state)
{
    fixture *fx = *state;
    check_round_trip(&fx->res, fx->file);
}

static void test_known_values_by_path(void **state)
{
    fixture *fx = *state;
    cc_reader *r;
    cc_read_dataset d;
    cc_error err;
    assert_cc_ok(cc_reader_open(&r, fx->file, &err), &err);
    /* a row value at [scenario 1, replication 2, year 3, sex total] */
    assert_cc_ok(cc_reader_read(r, "population/deaths/replications", &d, &err), &err);
    assert_int_equal(d.rank, 4);
    assert_true(d.values[((1 * REPS + 2) * YEARS + 3) * 3 + 2] == pop_value(CC_SERIES_DEATHS, 1, 2, 3, 2));
    assert_string_equal(d.axes[0].name, "scenario");
    assert_string_equal(d.axes[0].strings[1], "s1");
    assert_string_equal(d.axes[2].name, "year");
    assert_true(d.axes[2].values[0] == BASE && d.axes[2].values[YEARS - 1] == BASE + YEARS - 1);
    assert_string_equal(d.axes[3].strings[2], "total");
    assert_string_equal(d.units, "deaths/year");
    assert_string_equal(d.long_name, "Deaths, every replication");
    cc_read_dataset_free(&d);
    /* the median of 3 replications is the middle one */
    assert_cc_ok(cc_reader_read(r, "/population/total/quantiles", &d, &err), &err);
    assert_string_equal(d.axes[1].name, "quantile");
    assert_true(d.axes[1].values[2] == 0.5);
    assert_true(d.values[((0 * CC_QUANTILES + 2) * YEARS + 1) * 3 + 0] == pop_value(CC_SERIES_TOTAL, 0, 1, 1, 0));
    cc_read_dataset_free(&d);
    /* drawn parameters on the setting axis; intervals on the bound axis */
    assert_cc_ok(cc_reader_read(r, "/demand/parameters/rate_trend", &d, &err), &err);
    assert_string_equal(d.axes[2].name, "setting");
    assert_string_equal(d.axes[2].strings[2], "home_care");
    assert_true(d.values[(1 * REPS + 2) * 3 + 1] == -0.01 + 0.002);
    cc_read_dataset_free(&d);
    assert_cc_ok(cc_reader_read(r, "/demand/home_care/difference/mean_ci", &d, &err), &err);
    assert_string_equal(d.axes[1].name, "bound");
    assert_string_equal(d.axes[1].strings[0], "lower");
    cc_read_dataset_free(&d);
    /* peak years and exceedance from the expectations */
    assert_cc_ok(cc_reader_read(r, "/demand/inpatient/peak_year", &d, &err), &err);
    assert_int_equal(d.kind, CC_DATA_INTEGER);
    assert_true(d.values[0] == BASE + YEARS - 1 && d.values[2] == BASE + 1);
    cc_read_dataset_free(&d);
    assert_cc_ok(cc_reader_read(r, "/demand/beds_needed/first_exceedance_year", &d, &err), &err);
    assert_true(d.values[0] == 0 && d.values[1] == BASE + 2 && d.values[2] == BASE + 1);
    cc_read_dataset_free(&d);
    /* per-scenario scales beside their data, of each scenario's own length */
    assert_cc_ok(cc_reader_read(r, "/population/fitted/s0/lee_carter/female/kt", &d, &err), &err);
    assert_string_equal(d.axes[0].name, "fit_years");
    assert_int_equal(d.axes[0].length, 2);
    assert_true(d.axes[0].values[1] == 2018 && d.values[0] == 2.5);
    cc_read_dataset_free(&d);
    assert_cc_ok(cc_reader_read(r, "/population/fitted/s0/lee_carter/male/bx", &d, &err), &err);
    assert_string_equal(d.axes[0].name, "age_group");
    assert_string_equal(d.axes[0].strings[2], "100+");
    cc_read_dataset_free(&d);
    assert_cc_ok(cc_reader_read(r, "/population/fitted/s1/calibration_target_total", &d, &err), &err);
    assert_int_equal(d.size, 0);
    assert_string_equal(d.axes[0].name, "calibration_target_year");
    cc_read_dataset_free(&d);
    assert_int_equal(cc_reader_read(r, "/population/fitted/s1/lee_carter/male/ax", &d, &err), CC_ERR_IO);
    /* provenance lists are their own scales */
    assert_cc_ok(cc_reader_read(r, "/provenance/scenarios/s1/file_texts", &d, &err), &err);
    assert_string_equal(d.strings[0], "[scenario]\nname = s\n");
    assert_string_equal(d.axes[0].name, "file_paths");
    assert_string_equal(d.axes[0].strings[0], "/nowhere/scenario.ini");
    cc_read_dataset_free(&d);
    cc_read_attribute a;
    assert_cc_ok(cc_reader_attribute(r, "/population/fitted/s1", "median_e0_female_end_year", &a, &err), &err);
    assert_true(a.value == 89.25);
    assert_cc_ok(cc_reader_attribute(r, "/", "title", &a, &err), &err);
    assert_int_equal(a.kind, CC_DATA_STRING);
    assert_string_equal(a.string, "carecast results");
    free(a.string);
    cc_reader_close(r);
}

static void test_list_holds_both_names_of_an_axis(void **state)
{
    fixture *fx = *state;
    cc_reader *r;
    cc_error err;
    assert_cc_ok(cc_reader_open(&r, fx->file, &err), &err);
    int year = 0, axes_year = 0, sorted = 1;
    for (int i = 0; i < cc_reader_count(r); i++) {
        year += strcmp(cc_reader_path(r, i), "/year") == 0;
        axes_year += strcmp(cc_reader_path(r, i), "/axes/year") == 0;
    }
    (void)sorted;
    assert_int_equal(year, 1);
    assert_int_equal(axes_year, 1);
    assert_null(cc_reader_path(r, -1));
    assert_null(cc_reader_path(r, cc_reader_count(r)));
    cc_reader_close(r);
}

static void test_reader_errors(void **state)
{
    fixture *fx = *state;
    cc_reader *r = (cc_reader *)1;
    cc_read_dataset d;
    cc_read_attribute a;
    cc_error err;
    char missing[PATH_MAX];
    assert_cc_error(cc_reader_open(&r, tu_path(missing, fx->dir, "none.h5"), &err), &err, CC_ERR_IO, missing, -1,
                    NULL);
    assert_null(r);
    tu_write_file(missing, "not HDF5\n");
    assert_cc_error(cc_reader_open(&r, missing, &err), &err, CC_ERR_IO, missing, -1, NULL);
    assert_cc_ok(cc_reader_open(&r, fx->file, &err), &err);
    assert_cc_error(cc_reader_read(r, "/population/nothing/mean", &d, &err), &err, CC_ERR_IO, fx->file, -1, NULL);
    assert_null(d.values);
    assert_cc_error(cc_reader_read(r, "/population", &d, &err), &err, CC_ERR_IO, fx->file, -1, NULL);
    assert_cc_error(cc_reader_attribute(r, "/population", "nothing", &a, &err), &err, CC_ERR_IO, fx->file, -1,
                    "nothing");
    cc_read_dataset_free(&d);
    cc_reader_close(r);
    cc_reader_close(NULL);
}

static void test_rows_in_replication_order_only(void **state)
{
    (void)state;
    cc_results res;
    cc_population_row pop;
    cc_demand_row dem;
    assert_int_equal(cc_results_init(&res, 1, 2, YEARS, BASE, 1), 0);
    assert_int_equal(cc_population_row_init(&pop, YEARS), 0);
    assert_int_equal(cc_demand_row_init(&dem, YEARS), 0);
    cc_row row = {&pop, &dem, NULL}, no_demand = {&pop, NULL, NULL};
    assert_int_equal(cc_results_add_row(&res, 0, 1, &row), CC_ERR_USAGE);     /* 0 first */
    assert_int_equal(cc_results_add_row(&res, 0, 0, &no_demand), CC_ERR_USAGE); /* demand missing */
    assert_int_equal(cc_results_add_row(&res, 1, 0, &row), CC_ERR_USAGE);     /* no scenario 1 */
    assert_int_equal(cc_results_add_row(&res, 0, 0, &row), 0);
    assert_int_equal(cc_results_add_row(&res, 0, 0, &row), CC_ERR_USAGE);     /* twice */
    assert_int_equal(cc_results_add_row(&res, 0, 1, &row), 0);
    assert_int_equal(cc_results_add_row(&res, 0, 2, &row), CC_ERR_USAGE);     /* beyond replications */
    cc_population_row short_row;
    assert_int_equal(cc_population_row_init(&short_row, YEARS - 1), 0);
    cc_results_free(&res);
    assert_int_equal(cc_results_init(&res, 1, 2, YEARS, BASE, 0), 0);
    cc_row wrong = {&short_row, NULL, NULL};
    assert_int_equal(cc_results_add_row(&res, 0, 0, &wrong), CC_ERR_USAGE);   /* other years */
    assert_int_equal(cc_results_add_row(&res, 0, 0, &row), CC_ERR_USAGE);     /* demand the store has not */
    cc_population_row_free(&short_row);
    cc_population_row_free(&pop);
    cc_demand_row_free(&dem);
    cc_results_free(&res);
}

/* Read one dataset by path into d (asserting success). */
static void read_path(cc_reader *r, const char *path, cc_read_dataset *d)
{
    cc_error err;
    assert_cc_ok(cc_reader_read(r, path, d, &err), &err);
}

static void test_coverage_by_path(void **state)
{
    fixture *fx = *state;
    cc_reader *r;
    cc_read_dataset d;
    cc_error err;
    assert_cc_ok(cc_reader_open(&r, fx->file, &err), &err);
    /* the doctors: 3 and 2, padded */
    read_path(r, "/coverage/doctors/n_doctors", &d);
    assert_true(d.values[0] == 3 && d.values[1] == 2);
    cc_read_dataset_free(&d);
    read_path(r, "/coverage/doctors/clinic", &d);
    assert_string_equal(d.axes[1].name, "doctor");
    assert_int_equal(d.dims[1], 3);
    assert_string_equal(d.strings[2], "P-01");
    assert_string_equal(d.strings[3 + 1], "B-01");
    assert_string_equal(d.strings[3 + 2], "");
    cc_read_dataset_free(&d);
    read_path(r, "/coverage/doctors/role", &d);
    assert_string_equal(d.strings[0], "backup");
    assert_string_equal(d.strings[2], "primary");
    cc_read_dataset_free(&d);
    read_path(r, "/coverage/doctors/backup_clinic", &d);
    assert_string_equal(d.strings[0], "");
    assert_string_equal(d.strings[2], "B-01");
    cc_read_dataset_free(&d);
    read_path(r, "/coverage/doctors/block", &d);
    assert_true(d.values[0] == 1 && d.values[2] == 2 && d.values[3 + 2] == 0);
    cc_read_dataset_free(&d);
    /* a year metric over the coverage replications */
    read_path(r, "/coverage/2033/uncovered/replications", &d);
    assert_int_equal(d.rank, 2);
    assert_string_equal(d.axes[1].name, "coverage_replication");
    assert_int_equal(d.dims[1], COV_REPS);
    assert_true(d.values[1 * COV_REPS + 1] == cov_year_value(CC_COV_UNCOVERED, 1, 1, 1));
    cc_read_dataset_free(&d);
    /* a scheme metric: the NaN of scenario 1's first replication is left out of its statistics */
    read_path(r, "/coverage/2031/solo/continuity/quantiles", &d);
    assert_true(d.values[0 * CC_QUANTILES + 2] ==
                (cov_scheme_value(CC_SCH_CONTINUITY, 0, 1, 0, 0) + cov_scheme_value(CC_SCH_CONTINUITY, 0, 1, 0, 1)) / 2);
    for (int q = 0; q < CC_QUANTILES; q++)
        assert_true(d.values[1 * CC_QUANTILES + q] == cov_scheme_value(CC_SCH_CONTINUITY, 0, 1, 1, 1));
    cc_read_dataset_free(&d);
    read_path(r, "/coverage/2031/solo/continuity/mean", &d);
    assert_true(d.values[1] == cov_scheme_value(CC_SCH_CONTINUITY, 0, 1, 1, 1));
    cc_read_dataset_free(&d);
    /* the second scheme minus the first, replication by replication: 10 + 0.5 rep */
    read_path(r, "/coverage/2033/solo/duty_nights_mean/difference/mean_ci", &d);
    assert_string_equal(d.axes[1].name, "bound");
    assert_true(fabs(d.values[1] - 10.25) < 1e-9 && d.values[0] < 10.25 && d.values[2] > 10.25);
    cc_read_dataset_free(&d);
    read_path(r, "/coverage/2033/solo/duty_nights_mean/difference/quantiles", &d);
    assert_true(fabs(d.values[0] - (10 + 0.5 * 0.05)) < 1e-9 && fabs(d.values[4] - (10 + 0.5 * 0.95)) < 1e-9);
    cc_read_dataset_free(&d);
    assert_int_equal(cc_reader_read(r, "/coverage/2033/rotation/duty_nights_mean/difference/quantiles", &d, &err),
                     CC_ERR_IO); /* the first scheme has no difference from itself */
    /* per doctor: NaN past scenario 1's 2 doctors, per year values, their mean */
    read_path(r, "/coverage/2033/rotation/doctor/ooh_hours/replications", &d);
    assert_int_equal(d.rank, 3);
    assert_string_equal(d.axes[2].name, "doctor");
    assert_true(d.values[(0 * COV_REPS + 1) * 3 + 2] == cov_doctor_value(CC_DOC_OOH_HOURS, 1, 0, 2, 0, 1));
    assert_true(isnan(d.values[(1 * COV_REPS + 0) * 3 + 2]) && isnan(d.values[(1 * COV_REPS + 1) * 3 + 2]));
    assert_true(d.values[(1 * COV_REPS + 1) * 3 + 1] == cov_doctor_value(CC_DOC_OOH_HOURS, 1, 0, 1, 1, 1));
    cc_read_dataset_free(&d);
    read_path(r, "/coverage/2033/rotation/doctor/ooh_hours/mean", &d);
    assert_true(d.values[0 * 3 + 2] == cov_doctor_value(CC_DOC_OOH_HOURS, 1, 0, 2, 0, 0) + 0.0625);
    assert_true(isnan(d.values[1 * 3 + 2]));
    cc_read_dataset_free(&d);
    cc_read_attribute a;
    assert_cc_ok(cc_reader_attribute(r, "/coverage/2033/rotation/doctor/ooh_hours/mean", "_FillValue", &a, &err), &err);
    assert_true(isnan(a.value));
    assert_cc_ok(cc_reader_attribute(r, "/coverage/2033/rotation/doctor/ooh_hours/mean", "units", &a, &err), &err);
    assert_string_equal(a.string, "hours/year");
    free(a.string);
    assert_cc_ok(cc_reader_attribute(r, "/coverage/2031/solo", "description", &a, &err), &err);
    assert_non_null(strstr(a.string, "One scheme"));
    free(a.string);
    assert_int_not_equal(cc_reader_attribute(r, "/coverage/2031/pairing", "description", &a, &err), 0); /* not run */
    cc_reader_close(r);
}

/* Coverage rows: exactly for the coverage replications, with the scenario's doctors. */
static void test_coverage_rows_only_where_expected(void **state)
{
    (void)state;
    cc_results res;
    cc_population_row pop;
    cc_demand_row dem;
    cc_coverage_params params;
    cc_coverage_layout layout;
    cc_coverage_row cov, other;
    cov_params(&params);
    cov_layout(&layout, 0);
    assert_int_equal(cc_results_init(&res, 1, 2, YEARS, BASE, 1), 0);
    assert_int_equal(cc_results_init_coverage(&res, &params, 3, 3), CC_ERR_USAGE); /* more than the run */
    assert_int_equal(cc_results_init_coverage(&res, &params, 1, 3), 0);
    assert_int_equal(cc_results_init_coverage(&res, &params, 1, 3), CC_ERR_USAGE); /* twice */
    assert_int_equal(cc_population_row_init(&pop, YEARS), 0);
    assert_int_equal(cc_demand_row_init(&dem, YEARS), 0);
    assert_int_equal(cc_coverage_row_init(&cov, &params, &layout), 0);
    cov_layout(&layout, 1);
    assert_int_equal(cc_coverage_row_init(&other, &params, &layout), 0); /* 2 doctors */
    cov_layout(&layout, 0);
    cc_row with = {&pop, &dem, &cov}, without = {&pop, &dem, NULL}, wrong = {&pop, &dem, &other};
    assert_int_equal(cc_results_add_row(&res, 0, 0, &with), CC_ERR_USAGE); /* doctors not set yet */
    assert_int_equal(cc_results_set_coverage_scenario(&res, 0, &params, &layout), 0);
    assert_int_equal(cc_results_add_row(&res, 0, 0, &without), CC_ERR_USAGE); /* a coverage replication */
    assert_int_equal(cc_results_add_row(&res, 0, 0, &wrong), CC_ERR_USAGE);   /* other doctors */
    assert_int_equal(cc_results_add_row(&res, 0, 0, &with), 0);
    assert_int_equal(cc_results_add_row(&res, 0, 1, &with), CC_ERR_USAGE);    /* past the coverage replications */
    assert_int_equal(cc_results_add_row(&res, 0, 1, &without), 0);
    cc_coverage_row_free(&cov);
    cc_coverage_row_free(&other);
    cc_population_row_free(&pop);
    cc_demand_row_free(&dem);
    cc_results_free(&res);
}

static void test_age_moments_are_mean_and_sd_of_the_rows(void **state)
{
    fixture *fx = *state;
    cc_summaries s;
    assert_int_equal(cc_summaries_compute(&s, &fx->res, 1), 0);
    size_t n = (size_t)YEARS * CC_SEX_AXIS * CC_AGES;
    for (int sc = 0; sc < NSC; sc++)
        for (size_t i = 0; i < n; i += 37) {
            double x[REPS], mean = 0, ss = 0;
            for (int rep = 0; rep < REPS; rep++)
                mean += (x[rep] = (double)(i % 97) + rep * (1 + sc)) / REPS;
            for (int rep = 0; rep < REPS; rep++)
                ss += (x[rep] - mean) * (x[rep] - mean);
            assert_double_equal(fx->res.age_mean[sc * n + i], mean, 1e-12);
            assert_double_equal(s.age_sd[sc * n + i], sqrt(ss / (REPS - 1)), 1e-12);
        }
    cc_summaries_free(&s);
}

/* A real run: load a data scenario, run 3 replications, write, read everything back. */
static void test_a_run_round_trips(void **state)
{
    fixture *fx = *state;
    char ini[PATH_MAX], out[PATH_MAX];
    cc_scenario s;
    cc_results res;
    cc_error err;
    tu_write_data_scenario(tu_path(ini, fx->dir, "data.ini"), NULL);
    assert_cc_ok(cc_scenario_load(&s, ini, &err), &err);
    cc_run_options options = s.run;
    options.replications = 3;
    options.threads = 2;
    assert_cc_ok(cc_run(&s, 1, &options, &res, &err), &err);
    cc_run_facts facts = {2, 1, "test_reader", NULL};
    assert_cc_ok(cc_results_write(&res, &s, 1, &facts, tu_path(out, fx->dir, "run.h5"), &err), &err);
    check_round_trip(&res, out);
    cc_results_free(&res);
    cc_scenario_free(&s);
}

/* A real run with coverage (Kashiwa, 3 replications to 2030, 2 coverage replications, and a
 * second scenario of fewer doctors): every item round-trips, doctors padded. */
static void test_a_coverage_run_round_trips(void **state)
{
    fixture *fx = *state;
    char kashiwa[PATH_MAX], fewer[PATH_MAX], clinics[PATH_MAX], out[PATH_MAX];
    cc_scenario s[2];
    cc_results res;
    cc_error err;
    tu_data_path(kashiwa, "../kashiwa.ini");
    tu_write_file(tu_path(clinics, fx->dir, "clinics.csv"),
                  "id,block,type,doctors,panel_capacity,participates,backup\n"
                  "B1,1,backup,2,60,1,\nP1,1,primary,1,25,1,B1\nB2,2,backup,1,60,1,\nB3,3,backup,1,60,0,\n");
    tu_write_filef(tu_path(fewer, fx->dir, "fewer.ini"),
                   "[scenario]\nbase = %s\nname = fewer\n[coverage]\nclinics = clinics.csv\n", kashiwa);
    const cc_override ov[] = {{"simulation", "end_year", "2030"}, {"simulation", "replications", "3"},
                              {"coverage", "replications", "2"}, {"coverage", "target_years", "2025,2030"}};
    assert_cc_ok(cc_scenario_load_overrides(&s[0], kashiwa, ov, 4, &err), &err);
    assert_cc_ok(cc_scenario_load_overrides(&s[1], fewer, ov, 4, &err), &err);
    cc_run_options options = s[0].run;
    options.threads = 2;
    assert_cc_ok(cc_run(s, 2, &options, &res, &err), &err);
    assert_int_equal(res.coverage.replications, 2);
    assert_int_equal(res.coverage.n_doctors[0], 174);
    assert_int_equal(res.coverage.n_doctors[1], 4);
    assert_int_equal(res.coverage.blocks_without_doctors[1], 1); /* block 3: its backup does not take part */
    assert_true(res.coverage.year[CC_COV_UNCOVERED][cc_results_coverage_year_index(&res, 1, 1, 0)] > 0);
    cc_run_facts facts = {2, 1, "test_reader", NULL};
    assert_cc_ok(cc_results_write(&res, s, 2, &facts, tu_path(out, fx->dir, "coverage.h5"), &err), &err);
    check_round_trip(&res, out);
    cc_results_free(&res);
    cc_scenario_free(&s[0]);
    cc_scenario_free(&s[1]);
}

/* Regression: a `units`/`long_name`/`description` attribute that is an array of strings (a
 * file of another writer) was read into room for one string: a heap overflow. Only a single
 * string is taken as the dataset's units; an array leaves it NULL, and the values still read. */
static void test_string_array_attribute_is_not_a_units_string(void **state)
{
    fixture *fx = *state;
    char path[PATH_MAX];
    tu_path(path, fx->dir, "foreign.h5");
    hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t two = 2, three = 3;
    const double values[2] = {1.5, 2.5};
    const char *units[3] = {"a", "bb", "ccc"};
    hid_t space = H5Screate_simple(1, &two, NULL), aspace = H5Screate_simple(1, &three, NULL);
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    hid_t dset = H5Dcreate2(file, "x", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(dset >= 0 && H5Dwrite(dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0);
    hid_t attr = H5Acreate2(dset, "units", type, aspace, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(attr >= 0 && H5Awrite(attr, type, units) >= 0);
    H5Aclose(attr);
    H5Dclose(dset);
    H5Tclose(type);
    H5Sclose(aspace);
    H5Sclose(space);
    H5Fclose(file);
    cc_reader *r;
    cc_read_dataset d;
    cc_error err;
    assert_cc_ok(cc_reader_open(&r, path, &err), &err);
    assert_cc_ok(cc_reader_read(r, "/x", &d, &err), &err);
    assert_null(d.units);
    assert_int_equal(d.size, 2);
    assert_true(d.values[0] == 1.5 && d.values[1] == 2.5);
    cc_read_dataset_free(&d);
    cc_reader_close(r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_item_of_the_layout_reads_back_equal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_known_values_by_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_holds_both_names_of_an_axis, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string_array_attribute_is_not_a_units_string, setup, teardown),
        cmocka_unit_test(test_rows_in_replication_order_only),
        cmocka_unit_test_setup_teardown(test_coverage_by_path, setup, teardown),
        cmocka_unit_test(test_coverage_rows_only_where_expected),
        cmocka_unit_test_setup_teardown(test_age_moments_are_mean_and_sd_of_the_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_run_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_coverage_run_round_trips, setup, teardown),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
