/* Reading a scenario's CSV tables into single-year arrays: the base population (split from
 * age groups), base mortality (life table lx, probabilities qx, or grouped death rates, all
 * turned into central death rates m(x)), fertility and optional net migration. Each table's
 * path is relative to the scenario file that named it; each is checksummed for provenance.
 * The coverage stage's clinics table is read in clinics.c. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tables.h"

#include "clinics.h"
#include "csv_table.h"
#include "ini_reader.h"
#include "settings.h"

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
int cc_scenario_open_table(cc_scenario *s, const char *section, const char *name, cc_table *t, cc_error *err)
{
    const cc_setting *st = cc_scenario_setting(s, section, name);
    int ret;
    memset(t, 0, sizeof *t);
    if (!st->value || !st->value[0])
        return cc_setting_error(st, err, CC_ERR_RANGE, "%s", "needs the name of a CSV file");
    char *path = cc_resolve_path(st->file, st->value);
    if (!path)
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, name, "out of memory");
    if ((ret = cc_table_load(t, path, err)) != 0) {
        /* say which scenario line named the table, and keep the reason */
        char reason[768];
        cc_error_format(err, reason, sizeof reason);
        cc_setting_error(st, err, ret, "%s", reason);
        free(path);
        return ret;
    }
    cc_input_table *grown = realloc(s->tables, (s->ntables + 1) * sizeof *grown);
    if (!grown) { free(path); return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, name, "out of memory"); }
    s->tables = grown;
    cc_input_table *rec = &s->tables[s->ntables++];
    memset(rec, 0, sizeof *rec);
    rec->path = path;
    rec->key = malloc(strlen(section) + strlen(name) + 2);
    if (rec->key)
        sprintf(rec->key, "%s.%s", section, name);
    memcpy(rec->sha256, t->sha256, sizeof rec->sha256); /* of the very bytes parsed */
    return 0;
}

/* Rows of sex,age_lo,age_hi,<value_col> into age groups per sex, in file order. */
static int read_groups(const cc_table *t, const char *value_col, int allow_negative, int min_open_age,
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
                                "negative %s %g", value_col, value);
        if (ngroups[sex] == CC_AGES)
            return cc_error_set(err, CC_ERR_TABLE, t->path, t->row_line[r], "age_lo", "too many age groups");
        if (!empty && (hi < 0 || hi > 150))
            return cc_error_set(err, CC_ERR_RANGE, t->path, t->row_line[r], "age_hi", "age %ld out of range 0-150", hi);
        groups[sex][ngroups[sex]++] = (cc_age_group){(int)lo, empty ? CC_AGE_OPEN_END : (int)hi, value, t->row_line[r]};
    }
    for (int sex = 0; sex < CC_SEXES; sex++)
        if ((ret = cc_age_groups_check_open(groups[sex], ngroups[sex], min_open_age, t->path, err)) != 0) {
            if (ngroups[sex] == 0)
                cc_error_set(err, CC_ERR_TABLE, t->path, 0, "sex", "no rows for sex '%s'",
                             sex == CC_MALE ? "male" : "female");
            return ret;
        }
    return 0;
}

/* Counts of persons beyond CC_MAX_PERSONS_PER_GROUP are refused at their line. */
static int check_counts(const cc_table *t, const char *column, cc_age_group groups[CC_SEXES][CC_AGES],
                        const int n[CC_SEXES], cc_error *err)
{
    for (int sex = 0; sex < CC_SEXES; sex++)
        for (int g = 0; g < n[sex]; g++)
            if (fabs(groups[sex][g].value) > CC_MAX_PERSONS_PER_GROUP)
                return cc_error_set(err, CC_ERR_RANGE, t->path, groups[sex][g].line, column,
                                    "%g persons in one age group: at most %.0f are allowed (Japan's whole "
                                    "population is about 1.2e8)", groups[sex][g].value, CC_MAX_PERSONS_PER_GROUP);
    return 0;
}

static int read_population(cc_scenario *s, cc_error *err)
{
    cc_table t;
    cc_age_group groups[CC_SEXES][CC_AGES];
    int n[CC_SEXES], ret;
    if ((ret = cc_scenario_open_table(s, "population", "base_population", &t, err)) == 0 &&
        (ret = read_groups(&t, "population", 0, CC_AGE_OPEN, groups, n, err)) == 0 &&
        (ret = check_counts(&t, "population", groups, n, err)) == 0)
        for (int sex = 0; sex < CC_SEXES && ret == 0; sex++)
            ret = cc_age_groups_split(groups[sex], n[sex], s->population.age_split, 1, s->population.base_population[sex], err);
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
    if ((ret = cc_scenario_open_table(s, "population", "migration", &t, err)) == 0 &&
        (ret = read_groups(&t, "net_migrants", 1, CC_AGE_OPEN, groups, n, err)) == 0 &&
        (ret = check_counts(&t, "net_migrants", groups, n, err)) == 0)
        for (int sex = 0; sex < CC_SEXES && ret == 0; sex++) /* signed counts: uniform split */
            ret = cc_age_groups_split_signed(groups[sex], n[sex], s->population.net_migration[sex]);
    s->population.has_migration_table = ret == 0;
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
        if (last < 0)
            return cc_error_set(err, CC_ERR_TABLE, t->path, 0, "sex", "no rows for sex '%s'",
                                sex == CC_MALE ? "male" : "female");
        if (last < CC_AGE_OPEN)
            return cc_error_set(err, CC_ERR_TABLE, t->path, 0, "age",
                                "the %s life table must reach age 100 (it ends at %d)",
                                sex == CC_MALE ? "male" : "female", last);
        double *m = s->population.mortality_rate[sex], open_deaths = lx[sex][CC_AGE_OPEN], open_years = 0;
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
    if ((ret = cc_scenario_open_table(s, "population", "mortality", &t, err)) != 0)
        return ret;
    if (cc_table_find_column(&t, "lx") >= 0 || cc_table_find_column(&t, "qx") >= 0) {
        ret = read_single_year_mortality(s, &t, cc_table_find_column(&t, "lx") >= 0, err);
    } else if (cc_table_find_column(&t, "death_rate_per_100k") >= 0) {
        cc_age_group groups[CC_SEXES][CC_AGES];
        int n[CC_SEXES];
        if ((ret = read_groups(&t, "death_rate_per_100k", 0, CC_AGE_OPEN, groups, n, err)) == 0)
            for (int sex = 0; sex < CC_SEXES; sex++) {
                for (int g = 0; g < n[sex]; g++)
                    groups[sex][g].value /= 1e5;
                cc_age_groups_spread_death_rates(groups[sex], n[sex], s->population.mortality_rate[sex]);
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
    if ((ret = cc_scenario_open_table(s, "population", "fertility", &t, err)) != 0)
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
                s->population.fertility_rate[age] = rate;
            }
        }
    }
    cc_table_free(&t);
    return ret;
}

/* Tables by year, sex and age group with one value column (the mortality history, its
 * exposures, observed rates): the columns found once, then one row at a time. */
typedef struct {
    int year, sex, lo, hi, value;
} year_group_columns;

typedef struct {
    long year, lo, hi; /* hi: CC_AGE_OPEN_END for the open group */
    int sex;
    double value;
} year_group_row;

static int year_group_columns_find(const cc_table *t, const char *value_col, year_group_columns *c, cc_error *err)
{
    int ret;
    if ((ret = cc_table_column(t, "year", &c->year, err)) || (ret = cc_table_column(t, "sex", &c->sex, err)) ||
        (ret = cc_table_column(t, "age_lo", &c->lo, err)) || (ret = cc_table_column(t, "age_hi", &c->hi, err)))
        return ret;
    return cc_table_column(t, value_col, &c->value, err);
}

static int year_group_row_read(const cc_table *t, int r, const year_group_columns *c, year_group_row *row, cc_error *err)
{
    int ret, empty;
    if ((ret = cc_table_int(t, r, c->year, &row->year, NULL, err)) || (ret = sex_index(t, r, c->sex, &row->sex, err)) ||
        (ret = cc_table_int(t, r, c->lo, &row->lo, NULL, err)) || (ret = cc_table_int(t, r, c->hi, &row->hi, &empty, err)) ||
        (ret = cc_table_double(t, r, c->value, &row->value, err)))
        return ret;
    if (row->lo < 0 || row->lo > 150)
        return cc_error_set(err, CC_ERR_RANGE, t->path, t->row_line[r], "age_lo", "age %ld out of range 0-150", row->lo);
    if (!empty && (row->hi < 0 || row->hi > 150))
        return cc_error_set(err, CC_ERR_RANGE, t->path, t->row_line[r], "age_hi", "age %ld out of range 0-150", row->hi);
    if (empty)
        row->hi = CC_AGE_OPEN_END;
    return 0;
}

/* [mortality] exclude_years, a comma-separated list of years, parsed once. */
typedef struct {
    int n;
    long year[64];
} year_list;

static int parse_year_list(const cc_scenario *s, year_list *list, cc_error *err)
{
    const cc_setting *st = cc_scenario_setting(s, "mortality", "exclude_years");
    list->n = 0;
    for (const char *p = st->value; *p;) {
        char *end;
        while (*p == ' ') p++;
        long year = strtol(p, &end, 10);
        while (*end == ' ') end++;
        if (end == p || (*end && *end != ','))
            return cc_setting_error(st, err, CC_ERR_NUMBER, "'%s' is not a comma-separated list of years",
                                    st->value);
        if (list->n == 64)
            return cc_setting_error(st, err, CC_ERR_RANGE, "%s", "more than 64 years");
        list->year[list->n++] = year;
        p = *end ? end + 1 : end;
    }
    return 0;
}

static int listed(const year_list *list, long year)
{
    for (int i = 0; i < list->n; i++)
        if (list->year[i] == year)
            return 1;
    return 0;
}

/* Past death rates: every kept year must have the same age groups for both sexes. */
static int read_history(cc_scenario *s, cc_error *err)
{
    const cc_setting *st = cc_scenario_setting(s, "mortality", "history");
    if (!st->value[0])
        return 0;
    cc_table t;
    int ret;
    year_list excluded;
    year_group_columns cols;
    if ((ret = parse_year_list(s, &excluded, err)) || (ret = cc_scenario_open_table(s, "mortality", "history", &t, err)))
        return ret;
    if ((ret = year_group_columns_find(&t, "death_rate_per_100k", &cols, err)))
        goto out;
    s->population.history_year = calloc(t.nrows, sizeof *s->population.history_year);
    s->population.history_rate = calloc((size_t)CC_SEXES * t.nrows * CC_AGES, sizeof *s->population.history_rate);
    if (!s->population.history_year || !s->population.history_rate) { ret = cc_error_set(err, CC_ERR_NOMEM, t.path, 0, NULL, "out of memory"); goto out; }
    int ngroups[CC_SEXES][512] = {{0}}, year_index = -1;
    long current_year = -1;
    for (int r = 0; r < t.nrows; r++) {
        year_group_row row;
        if ((ret = year_group_row_read(&t, r, &cols, &row, err)))
            goto out;
        long year = row.year, lo = row.lo, hi = row.hi;
        int sex = row.sex;
        double rate = row.value;
        if (listed(&excluded, year))
            continue;
        if (rate <= 0) { ret = cc_error_set(err, CC_ERR_RANGE, t.path, t.row_line[r], "death_rate_per_100k", "rate must be positive for the log fit (%g)", rate); goto out; }
        if (year != current_year) {
            for (int i = 0; i <= year_index; i++)
                if (s->population.history_year[i] == year) { ret = cc_error_set(err, CC_ERR_TABLE, t.path, t.row_line[r], "year", "rows of year %ld are not together", year); goto out; }
            if (year_index + 1 >= 512) { ret = cc_error_set(err, CC_ERR_TABLE, t.path, t.row_line[r], "year", "too many years"); goto out; }
            s->population.history_year[++year_index] = (int)year;
            current_year = year;
        }
        int g = ngroups[sex][year_index]++;
        cc_age_group group = {(int)lo, (int)hi, 0, t.row_line[r]};
        if (year_index == 0 && sex == CC_MALE) {
            if (g >= CC_AGES) { ret = cc_error_set(err, CC_ERR_TABLE, t.path, t.row_line[r], "age_lo", "too many groups"); goto out; }
            s->population.history_group[g] = group;
            s->population.history_groups = g + 1;
        } else if (g >= s->population.history_groups || s->population.history_group[g].lo != group.lo || s->population.history_group[g].hi != group.hi) {
            ret = cc_error_set(err, CC_ERR_TABLE, t.path, t.row_line[r], "age_lo",
                               "age groups differ from the first year's male rows (group %d)", g + 1);
            goto out;
        }
        s->population.history_rate[((size_t)sex * t.nrows + year_index) * CC_AGES + g] = rate / 1e5;
    }
    s->population.history_years = year_index + 1;
    if ((ret = cc_age_groups_check(s->population.history_group, s->population.history_groups, t.path, err)) != 0)
        goto out;
    for (int y = 0; y < s->population.history_years; y++)
        for (int sex = 0; sex < CC_SEXES; sex++)
            if (ngroups[sex][y] != s->population.history_groups) {
                ret = cc_error_set(err, CC_ERR_TABLE, t.path, 0, "age_lo", "year %d has %d %s groups, not %d",
                                   s->population.history_year[y], ngroups[sex][y], sex ? "female" : "male", s->population.history_groups);
                goto out;
            }
    if (s->population.history_years < 3) {
        ret = cc_error_set(err, CC_ERR_TABLE, t.path, 0, "year", "the fit needs at least 3 years (found %d)", s->population.history_years);
        goto out;
    }
    /* pack [sex][year][group] densely (read with strides of nrows years and CC_AGES groups) */
    for (int sex = 0; sex < CC_SEXES; sex++)
        for (int y = 0; y < s->population.history_years; y++)
            memmove(&s->population.history_rate[((size_t)sex * s->population.history_years + y) * s->population.history_groups],
                    &s->population.history_rate[((size_t)sex * t.nrows + y) * CC_AGES],
                    (size_t)s->population.history_groups * sizeof *s->population.history_rate);
out:
    cc_table_free(&t);
    return ret;
}

/* [mortality] observed: year,sex,age_lo,age_hi,death_rate_per_100k, each year and sex its own
 * complete set of groups (rows of a year together), the years consecutive; spread over single
 * ages like the base rates, and given the same oldest-old treatment ([mortality] oldest_old). */
static int read_observed(cc_scenario *s, cc_error *err)
{
    const cc_setting *st = cc_scenario_setting(s, "mortality", "observed");
    if (!st->value[0])
        return 0;
    cc_population_params *p = &s->population;
    cc_table t;
    cc_age_group (*groups)[CC_SEXES][CC_AGES] = NULL;
    int ret, (*ngroups)[CC_SEXES] = NULL;
    long first = LONG_MAX, last = LONG_MIN;
    year_group_columns cols;
    if ((ret = cc_scenario_open_table(s, "mortality", "observed", &t, err)))
        return ret;
    if ((ret = year_group_columns_find(&t, "death_rate_per_100k", &cols, err)))
        goto out;
    for (int r = 0; r < t.nrows; r++) {
        long year;
        if ((ret = cc_table_int(&t, r, cols.year, &year, NULL, err)))
            goto out;
        if (year < 1800 || year > 2300) { ret = cc_error_set(err, CC_ERR_RANGE, t.path, t.row_line[r], "year", "year %ld out of range 1800-2300", year); goto out; }
        first = year < first ? year : first;
        last = year > last ? year : last;
    }
    if (t.nrows == 0) { ret = cc_error_set(err, CC_ERR_TABLE, t.path, 0, "year", "no rows"); goto out; }
    int n = (int)(last - first + 1);
    groups = calloc(n, sizeof *groups);
    ngroups = calloc(n, sizeof *ngroups);
    p->observed_rate = calloc((size_t)n * CC_SEXES * CC_AGES, sizeof *p->observed_rate);
    if (!groups || !ngroups || !p->observed_rate) { ret = cc_error_set(err, CC_ERR_NOMEM, t.path, 0, NULL, "out of memory"); goto out; }
    long previous = first;
    for (int r = 0; r < t.nrows; r++) {
        year_group_row row;
        if ((ret = year_group_row_read(&t, r, &cols, &row, err)))
            goto out;
        long year = row.year, lo = row.lo, hi = row.hi;
        int sex = row.sex;
        double rate = row.value;
        int y = (int)(year - first);
        if (year != previous && ngroups[y][0] + ngroups[y][1] > 0) { ret = cc_error_set(err, CC_ERR_TABLE, t.path, t.row_line[r], "year", "rows of year %ld are not together", year); goto out; }
        previous = year;
        if (rate < 0) { ret = cc_error_set(err, CC_ERR_RANGE, t.path, t.row_line[r], "death_rate_per_100k", "negative rate %g", rate); goto out; }
        if (lo < 0 || lo > 150) { ret = cc_error_set(err, CC_ERR_RANGE, t.path, t.row_line[r], "age_lo", "age %ld out of range 0-150", lo); goto out; }
        if (ngroups[y][sex] == CC_AGES) { ret = cc_error_set(err, CC_ERR_TABLE, t.path, t.row_line[r], "age_lo", "too many age groups"); goto out; }
        groups[y][sex][ngroups[y][sex]++] = (cc_age_group){(int)lo, (int)hi, rate / 1e5, t.row_line[r]};
    }
    for (int y = 0; y < n; y++)
        for (int sex = 0; sex < CC_SEXES; sex++) {
            if (ngroups[y][sex] == 0) {
                int line = 0; /* the first row after the gap: of the other sex that year, or of a later year */
                for (int later = y; later < n && !line; later++)
                    for (int other = 0; other < CC_SEXES; other++)
                        if (ngroups[later][other] > 0 && (!line || groups[later][other][0].line < line))
                            line = groups[later][other][0].line;
                ret = cc_error_set(err, CC_ERR_TABLE, t.path, line, "year", "no %s rows for %ld (the years must be consecutive, %ld-%ld)",
                                   sex == CC_MALE ? "male" : "female", first + y, first, last);
                goto out;
            }
            if ((ret = cc_age_groups_check_open(groups[y][sex], ngroups[y][sex], CC_AGE_OPEN, t.path, err)) != 0)
                goto out;
            double *rates = &p->observed_rate[((size_t)y * CC_SEXES + sex) * CC_AGES];
            cc_age_groups_spread_death_rates(groups[y][sex], ngroups[y][sex], rates);
            /* the oldest ages as the base table's: Kannisto fitted to the year's 85-99 */
            if (p->oldest_old == CC_OLDEST_OLD_KANNISTO && (ret = cc_oldest_old_apply(rates, NULL, err)) != 0) {
                char reason[sizeof err->message];
                snprintf(reason, sizeof reason, "%s", err->message);
                ret = cc_error_set(err, ret, t.path, 0, "death_rate_per_100k", "%ld %s: %s (oldest_old = none keeps "
                                   "the rates as given)", first + y, sex ? "female" : "male", reason);
                goto out;
            }
        }
    p->observed_first = (int)first;
    p->observed_years = n;
out:
    free(groups);
    free(ngroups);
    cc_table_free(&t);
    return ret;
}

/* Person-years at risk of the history's cells, year,sex,age_lo,age_hi,population: every kept
 * year, sex and group of the history needs exactly one row; rows of other years (or of years
 * left out) are ignored. Read after the history, into the same [sex][year][group] layout. */
static int read_exposures(cc_scenario *s, cc_error *err)
{
    const cc_setting *st = cc_scenario_setting(s, "mortality", "history_exposures");
    if (!st->value[0])
        return 0;
    cc_population_params *p = &s->population;
    if (p->history_years == 0)
        return 0; /* an error, reported after the checks of the keys that need a history */
    cc_table t;
    int ret;
    size_t cells = (size_t)CC_SEXES * p->history_years * p->history_groups;
    int *line = NULL;
    year_group_columns cols;
    if ((ret = cc_scenario_open_table(s, "mortality", "history_exposures", &t, err)))
        return ret;
    if ((ret = year_group_columns_find(&t, "population", &cols, err)))
        goto out;
    p->history_exposure = calloc(cells, sizeof *p->history_exposure);
    line = calloc(cells, sizeof *line);
    if (!p->history_exposure || !line) { ret = cc_error_set(err, CC_ERR_NOMEM, t.path, 0, NULL, "out of memory"); goto out; }
    for (int r = 0; r < t.nrows; r++) {
        year_group_row row;
        int y = -1, g = -1;
        if ((ret = year_group_row_read(&t, r, &cols, &row, err)))
            goto out;
        long year = row.year, lo = row.lo, hi = row.hi;
        int sex = row.sex;
        double persons = row.value;
        for (int i = 0; i < p->history_years && y < 0; i++)
            if (p->history_year[i] == year)
                y = i;
        if (y < 0)
            continue; /* a year the history does not have, or leaves out */
        for (int i = 0; i < p->history_groups && g < 0; i++)
            if (p->history_group[i].lo == lo && p->history_group[i].hi == hi)
                g = i;
        if (g < 0) { ret = cc_error_set(err, CC_ERR_TABLE, t.path, t.row_line[r], "age_lo", "age group %ld-%s is not a group of the history", lo, hi == CC_AGE_OPEN_END ? "" : t.cells[r][cols.hi]); goto out; }
        if (!(persons > 0)) { ret = cc_error_set(err, CC_ERR_RANGE, t.path, t.row_line[r], "population", "population must be positive (%g)", persons); goto out; }
        size_t i = ((size_t)sex * p->history_years + y) * p->history_groups + g;
        if (line[i]) { ret = cc_error_set(err, CC_ERR_DUPLICATE, t.path, t.row_line[r], "year", "year %ld, %s, age %ld given twice (first on line %d)", year, sex ? "female" : "male", lo, line[i]); goto out; }
        line[i] = t.row_line[r];
        p->history_exposure[i] = persons;
    }
    for (int sex = 0; sex < CC_SEXES; sex++)
        for (int y = 0; y < p->history_years; y++)
            for (int g = 0; g < p->history_groups; g++)
                if (!line[((size_t)sex * p->history_years + y) * p->history_groups + g]) {
                    ret = cc_error_set(err, CC_ERR_TABLE, t.path, 0, "year", "no row for year %d, %s, age %d of the history",
                                       p->history_year[y], sex ? "female" : "male", p->history_group[g].lo);
                    goto out;
                }
out:
    if (ret != 0) {
        free(p->history_exposure);
        p->history_exposure = NULL;
    }
    free(line);
    cc_table_free(&t);
    return ret;
}

/* Official totals year,total_population: the years after the base year are calibration targets. */
static int read_targets(cc_scenario *s, cc_error *err)
{
    const cc_setting *st = cc_scenario_setting(s, "migration", "calibrate_to");
    if (!st->value[0])
        return 0;
    cc_table t;
    int ret, cyear, ctotal;
    if ((ret = cc_scenario_open_table(s, "migration", "calibrate_to", &t, err)))
        return ret;
    if ((ret = cc_table_column(&t, "year", &cyear, err)) || (ret = cc_table_column(&t, "total_population", &ctotal, err)))
        goto out;
    s->population.ntargets = 0;
    for (int r = 0; r < t.nrows; r++) {
        long year;
        double total;
        if ((ret = cc_table_int(&t, r, cyear, &year, NULL, err)) || (ret = cc_table_double(&t, r, ctotal, &total, err)))
            goto out;
        if (total <= 0) { ret = cc_error_set(err, CC_ERR_RANGE, t.path, t.row_line[r], "total_population", "total must be positive"); goto out; }
        /* the first point is never a target: the base is a count, and a part-year step
         * calibrated to a projection from another base would only trade one for the other */
        if (year <= s->population.base_year || year > s->population.end_year)
            continue;
        if (s->population.ntargets > 0 && year <= s->population.target_year[s->population.ntargets - 1]) {
            ret = cc_error_set(err, CC_ERR_TABLE, t.path, t.row_line[r], "year", "years must increase");
            goto out;
        }
        if (s->population.ntargets == CC_MAX_TARGETS) { ret = cc_error_set(err, CC_ERR_TABLE, t.path, t.row_line[r], "year", "more than %d targets", CC_MAX_TARGETS); goto out; }
        s->population.target_year[s->population.ntargets] = (int)year;
        s->population.target_total[s->population.ntargets++] = total;
    }
    if (s->population.ntargets == 0 && s->population.end_year > s->population.base_year)
        ret = cc_error_set(err, CC_ERR_TABLE, t.path, 0, "year", "no target year between %d and %d", s->population.base_year + 1, s->population.end_year);
    else if (s->population.migration_schedule == 0)
        ret = cc_setting_error(st, err, CC_ERR_RANGE, "%s", "calibration needs [migration] schedule = rogers_castro");
out:
    cc_table_free(&t);
    return ret;
}

/* The three demand rate tables: all or none; rates spread over the single ages of each group. */
static int read_demand(cc_scenario *s, cc_error *err)
{
    static const char *const keys[CC_RATE_SETTINGS] = {"inpatient_rates", "outpatient_rates", "home_care_rates"};
    int given = 0;
    for (int k = 0; k < CC_RATE_SETTINGS; k++)
        given += cc_scenario_setting(s, "demand", keys[k])->value[0] != '\0';
    if (given == 0)
        return 0;
    const cc_setting *named = NULL; /* a table that is given: the error points at its line */
    for (int k = 0; k < CC_RATE_SETTINGS && !named; k++)
        if (cc_scenario_setting(s, "demand", keys[k])->value[0])
            named = cc_scenario_setting(s, "demand", keys[k]);
    for (int k = 0; k < CC_RATE_SETTINGS; k++)
        if (!cc_scenario_setting(s, "demand", keys[k])->value[0]) {
            char detail[200];
            snprintf(detail, sizeof detail, "demand needs all three rate tables; [demand] %s is missing", keys[k]);
            return cc_setting_error(named, err, CC_ERR_RANGE, "%s", detail);
        }
    for (int k = 0; k < CC_RATE_SETTINGS; k++) {
        cc_table t;
        cc_age_group groups[CC_SEXES][CC_AGES];
        int n[CC_SEXES], ret;
        if ((ret = cc_scenario_open_table(s, "demand", keys[k], &t, err)) == 0 &&
            (ret = read_groups(&t, "rate_per_100k", 0, 1, groups, n, err)) == 0)
            for (int sex = 0; sex < CC_SEXES; sex++)
                cc_age_groups_spread(groups[sex], n[sex], s->demand.rate[k][sex]);
        cc_table_free(&t);
        if (ret != 0)
            return ret;
    }
    s->demand.enabled = 1;
    return 0;
}

int cc_scenario_read_tables(cc_scenario *s, cc_error *err)
{
    int ret;
    if ((ret = read_demand(s, err)) != 0)
        return ret;
    if ((ret = read_population(s, err)) || (ret = read_mortality(s, err)) || (ret = read_fertility(s, err)) ||
        (ret = read_migration(s, err)) || (ret = read_history(s, err)) || (ret = read_exposures(s, err)) ||
        (ret = read_observed(s, err)) ||
        (ret = read_targets(s, err)))
        return ret;
    if (s->population.mortality_target_year && s->population.history_years == 0)
        return cc_setting_error(cc_scenario_setting(s, "mortality", "target_year"), err, CC_ERR_RANGE, "%s",
                                "an e0 target needs a [mortality] history to fit the improvement to");
    if (s->population.history_years == 0 && cc_scenario_setting(s, "mortality", "history_exposures")->value[0])
        return cc_setting_error(cc_scenario_setting(s, "mortality", "history_exposures"), err, CC_ERR_RANGE, "%s",
                                "exposures need a [mortality] history (the death rates they weight)");
    if (s->population.has_migration_table && s->population.migration_schedule != 0)
        return cc_setting_error(cc_scenario_setting(s, "migration", "schedule"), err, CC_ERR_RANGE, "%s",
                                "give either a [population] migration table or a [migration] schedule, not both");
    return cc_scenario_read_coverage(s, err);
}
