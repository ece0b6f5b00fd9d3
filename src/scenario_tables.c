/* Reading a scenario's CSV tables into single-year arrays: the base population (split from
 * age groups), base mortality (life table lx, probabilities qx, or grouped death rates, all
 * turned into central death rates m(x)), fertility and optional net migration. Each table's
 * path is relative to the scenario file that named it; each is checksummed for provenance. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"
#include "table.h"

static int sex_index(const cc_table *t, int row, int col, int *sex, cc_error *err)
{
    const char *v = t->cells[row][col];
    if (strcmp(v, "male") == 0) *sex = CC_MALE;
    else if (strcmp(v, "female") == 0) *sex = CC_FEMALE;
    else
        return cc_error_set(err, CC_ERR_TABLE, t->path, t->row_line[row], "sex",
                            "sex must be 'male' or 'female', not '%s'", v);
    return 0;
}

/* Open the table named by a path setting; record its checksum. */
static int open_table(cc_scenario *s, const char *name, cc_table *t, cc_error *err)
{
    const cc_setting *st = cc_scenario_setting(s, "population", name);
    char *path = cc_resolve_path(st->file, st->value);
    int ret;
    if (!path)
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, name, "out of memory");
    if ((ret = cc_table_load(t, path, err)) != 0) {
        /* say which scenario line named the table, and keep the reason */
        char reason[768];
        cc_error_format(err, reason, sizeof reason);
        cc_error_set(err, ret, st->file, st->line, name, "[population] %s: %s", name, reason);
        free(path);
        return ret;
    }
    cc_input_table *grown = realloc(s->tables, (s->ntables + 1) * sizeof *grown);
    if (!grown) { free(path); return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, name, "out of memory"); }
    s->tables = grown;
    cc_input_table *rec = &s->tables[s->ntables++];
    memset(rec, 0, sizeof *rec);
    rec->path = path;
    rec->key = malloc(strlen(name) + 12);
    if (rec->key)
        sprintf(rec->key, "population.%s", name);
    return cc_file_sha256(path, rec->sha256, err);
}

/* Rows of sex,age_lo,age_hi,<value_col> into age groups per sex, in file order. */
static int read_groups(const cc_table *t, const char *value_col, int allow_negative,
                       cc_age_group groups[CC_SEXES][CC_AGES], int ngroups[CC_SEXES], cc_error *err)
{
    int ret, csex, clo, chi, cval;
    if ((ret = cc_table_column(t, "sex", &csex, err)) || (ret = cc_table_column(t, "age_lo", &clo, err)) ||
        (ret = cc_table_column(t, "age_hi", &chi, err)) || (ret = cc_table_column(t, value_col, &cval, err)))
        return ret;
    ngroups[0] = ngroups[1] = 0;
    for (int r = 0; r < t->nrows; r++) {
        int sex, empty;
        long lo, hi;
        double value;
        if ((ret = sex_index(t, r, csex, &sex, err)) || (ret = cc_table_int(t, r, clo, &lo, NULL, err)) ||
            (ret = cc_table_int(t, r, chi, &hi, &empty, err)) || (ret = cc_table_double(t, r, cval, &value, err)))
            return ret;
        if (lo < 0 || lo > 150)
            return cc_error_set(err, CC_ERR_RANGE, t->path, t->row_line[r], "age_lo", "age %ld out of range 0-150", lo);
        if (!allow_negative && value < 0)
            return cc_error_set(err, CC_ERR_RANGE, t->path, t->row_line[r], value_col,
                                "negative count %g", value);
        if (ngroups[sex] == CC_AGES)
            return cc_error_set(err, CC_ERR_TABLE, t->path, t->row_line[r], "age_lo", "too many age groups");
        groups[sex][ngroups[sex]++] = (cc_age_group){(int)lo, empty ? CC_AGE_OPEN_END : (int)hi, value, t->row_line[r]};
    }
    for (int sex = 0; sex < CC_SEXES; sex++)
        if ((ret = cc_age_groups_check(groups[sex], ngroups[sex], t->path, err)) != 0) {
            if (ngroups[sex] == 0)
                cc_error_set(err, CC_ERR_TABLE, t->path, 0, "sex", "no rows for sex '%s'",
                             sex == CC_MALE ? "male" : "female");
            return ret;
        }
    return 0;
}

static int read_population(cc_scenario *s, cc_error *err)
{
    cc_table t;
    cc_age_group groups[CC_SEXES][CC_AGES];
    int n[CC_SEXES], ret;
    if ((ret = open_table(s, "base_population", &t, err)) == 0 &&
        (ret = read_groups(&t, "population", 0, groups, n, err)) == 0)
        for (int sex = 0; sex < CC_SEXES && ret == 0; sex++)
            ret = cc_age_groups_split(groups[sex], n[sex], s->age_split, 1, s->base_population[sex], err);
    cc_table_free(&t);
    return ret;
}

static int read_migration(cc_scenario *s, cc_error *err)
{
    const cc_setting *st = cc_scenario_setting(s, "population", "migration");
    if (!st->value[0])
        return 0;
    cc_table t;
    cc_age_group groups[CC_SEXES][CC_AGES];
    int n[CC_SEXES], ret;
    if ((ret = open_table(s, "migration", &t, err)) == 0 &&
        (ret = read_groups(&t, "net_migrants", 1, groups, n, err)) == 0)
        for (int sex = 0; sex < CC_SEXES && ret == 0; sex++) /* signed counts: uniform split */
            ret = cc_age_groups_split_signed(groups[sex], n[sex], s->net_migration[sex]);
    s->has_migration = ret == 0;
    cc_table_free(&t);
    return ret;
}

/* Single-year lx (or qx) columns into m(x) for 0..99 and the open group 100+. The open
 * group's rate is its deaths over its person-years, l(100) / T(100), with L(x) taken as the
 * mean of l(x) and l(x+1) and the last listed age's survivors all dying within a year. */
static int read_single_year_mortality(cc_scenario *s, const cc_table *t, int by_lx, cc_error *err)
{
    int ret, csex, cage, cval;
    const char *value_col = by_lx ? "lx" : "qx";
    if ((ret = cc_table_column(t, "sex", &csex, err)) || (ret = cc_table_column(t, "age", &cage, err)) ||
        (ret = cc_table_column(t, value_col, &cval, err)))
        return ret;
    enum { MAX_AGE = 131 };
    double lx[CC_SEXES][MAX_AGE + 1], qx_prev[CC_SEXES] = {0, 0};
    int next_age[CC_SEXES] = {0, 0};
    for (int r = 0; r < t->nrows; r++) {
        int sex;
        long age;
        double v;
        if ((ret = sex_index(t, r, csex, &sex, err)) || (ret = cc_table_int(t, r, cage, &age, NULL, err)) ||
            (ret = cc_table_double(t, r, cval, &v, err)))
            return ret;
        if (age < next_age[sex])
            return cc_error_set(err, CC_ERR_TABLE, t->path, t->row_line[r], "age",
                                "age %ld repeated or out of order (expected %d)", age, next_age[sex]);
        if (age > next_age[sex])
            return cc_error_set(err, CC_ERR_TABLE, t->path, t->row_line[r], "age",
                                "gap in ages: expected %d, found %ld", next_age[sex], age);
        if (age >= MAX_AGE)
            return cc_error_set(err, CC_ERR_RANGE, t->path, t->row_line[r], "age", "age above %d", MAX_AGE - 1);
        if (by_lx && (v <= 0 || (age > 0 && v > lx[sex][age - 1])))
            return cc_error_set(err, CC_ERR_RANGE, t->path, t->row_line[r], "lx",
                                "lx must be positive and never increase with age (%g)", v);
        if (!by_lx && (v < 0 || v > 1))
            return cc_error_set(err, CC_ERR_RANGE, t->path, t->row_line[r], "qx",
                                "probability %g outside [0, 1]", v);
        if (by_lx)
            lx[sex][age] = v;
        else
            lx[sex][age] = age == 0 ? 1.0 : lx[sex][age - 1] * (1 - qx_prev[sex]);
        if (lx[sex][age] <= 0)
            return cc_error_set(err, CC_ERR_RANGE, t->path, t->row_line[r], "qx",
                                "nobody survives to age %ld (q = 1 below the last age)", age);
        qx_prev[sex] = v;
        next_age[sex] = (int)age + 1;
    }
    for (int sex = 0; sex < CC_SEXES; sex++) {
        int last = next_age[sex] - 1; /* everyone alive at the last listed age dies within the year */
        if (last < CC_AGE_OPEN)
            return cc_error_set(err, CC_ERR_TABLE, t->path, 0, "age",
                                "the %s life table must reach age 100 (it ends at %d)",
                                sex == CC_MALE ? "male" : "female", last);
        double *m = s->mortality_rate[sex], open_deaths = lx[sex][CC_AGE_OPEN], open_years = 0;
        for (int a = 0; a < CC_AGE_OPEN; a++) {
            double l0 = lx[sex][a], l1 = lx[sex][a + 1];
            m[a] = (l0 - l1) / (0.5 * (l0 + l1));
        }
        for (int a = CC_AGE_OPEN; a <= last; a++)
            open_years += a < last ? 0.5 * (lx[sex][a] + lx[sex][a + 1]) : 0.5 * lx[sex][a];
        m[CC_AGE_OPEN] = open_deaths / open_years;
    }
    return 0;
}

static int read_mortality(cc_scenario *s, cc_error *err)
{
    cc_table t;
    int ret;
    if ((ret = open_table(s, "mortality", &t, err)) != 0)
        return ret;
    if (cc_table_find_column(&t, "lx") >= 0 || cc_table_find_column(&t, "qx") >= 0) {
        ret = read_single_year_mortality(s, &t, cc_table_find_column(&t, "lx") >= 0, err);
    } else if (cc_table_find_column(&t, "death_rate_per_100k") >= 0) {
        cc_age_group groups[CC_SEXES][CC_AGES];
        int n[CC_SEXES];
        if ((ret = read_groups(&t, "death_rate_per_100k", 0, groups, n, err)) == 0)
            for (int sex = 0; sex < CC_SEXES; sex++) {
                cc_age_groups_spread(groups[sex], n[sex], s->mortality_rate[sex]);
                for (int a = 0; a < CC_AGES; a++)
                    s->mortality_rate[sex][a] /= 1e5;
            }
    } else {
        ret = cc_error_set(err, CC_ERR_TABLE, t.path, 1, "lx",
                           "mortality table needs a column lx, qx or death_rate_per_100k");
    }
    cc_table_free(&t);
    return ret;
}

static int read_fertility(cc_scenario *s, cc_error *err)
{
    cc_table t;
    int ret, cage, crate;
    if ((ret = open_table(s, "fertility", &t, err)) != 0)
        return ret;
    if ((ret = cc_table_column(&t, "age", &cage, err)) == 0 && (ret = cc_table_column(&t, "asfr", &crate, err)) == 0) {
        int seen[CC_AGES] = {0};
        for (int r = 0; r < t.nrows && ret == 0; r++) {
            long age;
            double rate;
            if ((ret = cc_table_int(&t, r, cage, &age, NULL, err)) || (ret = cc_table_double(&t, r, crate, &rate, err)))
                break;
            if (age < 0 || age >= CC_AGE_OPEN)
                ret = cc_error_set(err, CC_ERR_RANGE, t.path, t.row_line[r], "age", "mother's age %ld outside 0-99", age);
            else if (seen[age])
                ret = cc_error_set(err, CC_ERR_DUPLICATE, t.path, t.row_line[r], "age",
                                   "age %ld given twice (first on line %d)", age, seen[age]);
            else if (rate < 0 || rate > 1)
                ret = cc_error_set(err, CC_ERR_RANGE, t.path, t.row_line[r], "asfr",
                                   "fertility rate %g outside [0, 1] births per woman-year", rate);
            else {
                seen[age] = t.row_line[r];
                s->fertility_rate[age] = rate;
            }
        }
    }
    cc_table_free(&t);
    return ret;
}

int cc_scenario_read_tables(cc_scenario *s, cc_error *err)
{
    int ret;
    if ((ret = read_population(s, err)) || (ret = read_mortality(s, err)) || (ret = read_fertility(s, err)) ||
        (ret = read_migration(s, err)))
        return ret;
    return 0;
}
