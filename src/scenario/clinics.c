/* The coverage stage's inputs: the [coverage] keys that hold lists (block population shares,
 * target years, schemes, extra closure dates), parsed here because the registry binds only
 * single numbers; the checks that tie [coverage] to the rest of the scenario; and the clinics
 * table (one row per clinic: its block, type, doctors, panel capacity, participation and the
 * backup clinic a primary pairs with). Every error names the key's line or the table's file,
 * line and column. */
#include "clinics.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "settings.h"
#include "tables.h"

/* --- lists of the [coverage] keys --- */

/* The comma-separated items of a key's value, each trimmed of spaces: calls item(i, text, ctx)
 * for each; an empty item (",," or a trailing comma) is an error naming the key. */
typedef int (*item_fn)(const cc_setting *st, int index, const char *text, void *ctx, cc_error *err);

static int for_each_item(const cc_setting *st, item_fn item, void *ctx, cc_error *err)
{
    const char *p = st->value ? st->value : "";
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return 0; /* an empty list */
    for (int index = 0;; index++) {
        size_t len = strcspn(p, ",");
        char text[64];
        size_t a = 0, b = len;
        while (a < b && isspace((unsigned char)p[a])) a++;
        while (b > a && isspace((unsigned char)p[b - 1])) b--;
        if (a == b)
            return cc_setting_error(st, err, CC_ERR_SYNTAX, "'%s': item %d of the comma-separated list is empty",
                                    st->value, index + 1);
        if (b - a >= sizeof text)
            return cc_setting_error(st, err, CC_ERR_RANGE, "'%.*s' is too long for an item of this list",
                                    (int)(b - a), p + a);
        memcpy(text, p + a, b - a);
        text[b - a] = '\0';
        int ret = item(st, index, text, ctx, err);
        if (ret != 0)
            return ret;
        if (!p[len])
            return 0;
        p += len + 1;
    }
}

typedef struct {
    int n;
    double v[CC_COVERAGE_MAX_BLOCKS];
} share_list;

static int share_item(const cc_setting *st, int index, const char *text, void *ctx, cc_error *err)
{
    share_list *list = ctx;
    double v;
    if (index >= CC_COVERAGE_MAX_BLOCKS)
        return cc_setting_error(st, err, CC_ERR_RANGE, "more than %d shares", CC_COVERAGE_MAX_BLOCKS);
    if (cc_parse_double(text, &v) != 0)
        return cc_setting_error(st, err, CC_ERR_NUMBER, "share %d, '%s', is not a finite number", index + 1, text);
    if (v <= 0)
        return cc_setting_error(st, err, CC_ERR_RANGE, "share %d, %s, must be above 0", index + 1, text);
    list->v[list->n++] = v;
    return 0;
}

/* [coverage] block_shares: one per block, each above 0, summing to 1 within 1e-6 (then rescaled
 * to sum exactly); empty: equal shares. */
static int parse_block_shares(const cc_scenario *s, cc_coverage_params *p, cc_error *err)
{
    const cc_setting *st = cc_scenario_setting(s, "coverage", "block_shares");
    share_list list = {0};
    int ret;
    if ((ret = for_each_item(st, share_item, &list, err)) != 0)
        return ret;
    memset(p->block_share, 0, sizeof p->block_share);
    if (list.n == 0) {
        for (int b = 0; b < p->nblocks; b++)
            p->block_share[b] = 1.0 / p->nblocks;
        return 0;
    }
    if (list.n != p->nblocks)
        return cc_setting_error(st, err, CC_ERR_RANGE, "%d shares for %d blocks ([coverage] blocks): give one "
                                "share per block", list.n, p->nblocks);
    double sum = 0;
    for (int b = 0; b < list.n; b++)
        sum += list.v[b];
    if (fabs(sum - 1) > 1e-6)
        return cc_setting_error(st, err, CC_ERR_RANGE, "the shares sum to %.10g, not 1", sum);
    for (int b = 0; b < list.n; b++)
        p->block_share[b] = list.v[b] / sum;
    return 0;
}

static int year_item(const cc_setting *st, int index, const char *text, void *ctx, cc_error *err)
{
    cc_coverage_params *p = ctx;
    long year;
    if (cc_parse_long(text, &year) != 0)
        return cc_setting_error(st, err, CC_ERR_NUMBER, "'%s' is not a year", text);
    if (index >= CC_COVERAGE_MAX_YEARS)
        return cc_setting_error(st, err, CC_ERR_RANGE, "more than %d target years", CC_COVERAGE_MAX_YEARS);
    if (year < CC_CALENDAR_YEAR_MIN || year > CC_CALENDAR_YEAR_MAX)
        return cc_setting_error(st, err, CC_ERR_RANGE, "%ld is outside the calendar's years %d-%d", year,
                                CC_CALENDAR_YEAR_MIN, CC_CALENDAR_YEAR_MAX);
    if (index > 0 && year <= p->target_year[index - 1])
        return cc_setting_error(st, err, CC_ERR_RANGE, "%ld after %d: the years must increase", year,
                                p->target_year[index - 1]);
    p->target_year[index] = (int)year;
    p->nyears = index + 1;
    return 0;
}

static int scheme_item(const cc_setting *st, int index, const char *text, void *ctx, cc_error *err)
{
    cc_coverage_params *p = ctx;
    int id = cc_scheme_find(text);
    if (id < 0) {
        char names[200] = "";
        for (int i = 0; i < CC_SCHEMES; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                     cc_scheme_name((cc_scheme_id)i));
        return cc_setting_error(st, err, CC_ERR_RANGE, "'%s' is not a scheme (one of %s)", text, names);
    }
    for (int i = 0; i < index; i++)
        if ((int)p->scheme[i] == id)
            return cc_setting_error(st, err, CC_ERR_DUPLICATE, "scheme '%s' is listed twice", text);
    p->scheme[index] = (cc_scheme_id)id; /* index < CC_SCHEMES: every earlier item differs */
    p->nschemes = index + 1;
    return 0;
}

static int is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

static int date_item(const cc_setting *st, int index, const char *text, void *ctx, cc_error *err)
{
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    cc_coverage_params *p = ctx;
    int year, month, day, used = 0, digits = strlen(text) == 10;
    for (int i = 0; digits && i < 10; i++) /* sscanf's %d alone takes signs and spaces ("-001-05-01") */
        digits = i == 4 || i == 7 ? text[i] == '-' : isdigit((unsigned char)text[i]) != 0;
    if (!digits || sscanf(text, "%4d-%2d-%2d%n", &year, &month, &day, &used) != 3 || used != 10)
        return cc_setting_error(st, err, CC_ERR_SYNTAX, "'%s' is not a date YYYY-MM-DD", text);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > month_days[month - 1] + (month == 2 && is_leap(year)))
        return cc_setting_error(st, err, CC_ERR_RANGE, "%s is not a date of the calendar", text);
    if (index >= CC_COVERAGE_MAX_CLOSURES)
        return cc_setting_error(st, err, CC_ERR_RANGE, "more than %d closure dates", CC_COVERAGE_MAX_CLOSURES);
    for (int i = 0; i < index; i++)
        if (p->closure[i].year == year && p->closure[i].month == month && p->closure[i].day == day)
            return cc_setting_error(st, err, CC_ERR_DUPLICATE, "%s is listed twice", text);
    p->closure[index] = (cc_calendar_date){year, month, day};
    p->nclosures = index + 1;
    return 0;
}

static int parse_lists(cc_scenario *s, cc_error *err)
{
    cc_coverage_params *p = &s->coverage;
    const cc_setting *years = cc_scenario_setting(s, "coverage", "target_years");
    const cc_setting *schemes = cc_scenario_setting(s, "coverage", "schemes");
    int ret;
    p->nyears = p->nschemes = p->nclosures = 0;
    if ((ret = parse_block_shares(s, p, err)) || (ret = for_each_item(years, year_item, p, err)) ||
        (ret = for_each_item(schemes, scheme_item, p, err)) ||
        (ret = for_each_item(cc_scenario_setting(s, "coverage", "closures"), date_item, p, err)))
        return ret;
    if (p->nyears == 0)
        return cc_setting_error(years, err, CC_ERR_RANGE, "%s", "needs at least one year");
    if (p->nschemes == 0)
        return cc_setting_error(schemes, err, CC_ERR_RANGE, "%s", "needs at least one scheme");
    return 0;
}

/* --- the clinics table --- */

static void trimmed(const char *text, char *buf, size_t size)
{
    while (isspace((unsigned char)*text))
        text++;
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    if (len >= size)
        len = size - 1;
    memcpy(buf, text, len);
    buf[len] = '\0';
}

/* participates: 1/0, yes/no, true/false (any case). */
static int participation(const char *text, int *value)
{
    static const char *const yes[] = {"1", "yes", "true"}, *const no[] = {"0", "no", "false"};
    for (int i = 0; i < 3; i++) {
        if (strcasecmp(text, yes[i]) == 0) { *value = 1; return 0; }
        if (strcasecmp(text, no[i]) == 0) { *value = 0; return 0; }
    }
    return -1;
}

static int find_id(const cc_clinic *clinics, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (strcmp(clinics[i].id, id) == 0)
            return i;
    return -1;
}

/* One row into c (its backup cell into backup_id). */
static int read_row(const cc_table *t, int r, const int col[7], const cc_coverage_params *p, cc_clinic *c,
                    char *backup_id, size_t backup_size, cc_error *err)
{
    enum { ID, BLOCK, TYPE, DOCTORS, CAPACITY, PARTICIPATES, BACKUP };
    int line = t->row_line[r], ret;
    char text[64];
    long block, doctors;
    memset(c, 0, sizeof *c);
    c->line = line;
    c->backup = -1;
    char id[256];
    trimmed(t->cells[r][col[ID]], id, sizeof id);
    if (!id[0])
        return cc_error_set(err, CC_ERR_TABLE, t->path, line, "id", "%s", "every clinic needs an id");
    if (strlen(id) >= sizeof c->id)
        return cc_error_set(err, CC_ERR_RANGE, t->path, line, "id", "id '%.40s...' is longer than %d characters",
                            id, (int)sizeof c->id - 1);
    memcpy(c->id, id, strlen(id) + 1);
    if ((ret = cc_table_int(t, r, col[BLOCK], &block, NULL, err)) != 0)
        return ret;
    if (block < 1 || block > p->nblocks)
        return cc_error_set(err, CC_ERR_RANGE, t->path, line, "block",
                            "block %ld does not exist: blocks count from 1 to %d ([coverage] blocks)", block,
                            p->nblocks);
    c->block = (int)block - 1;
    trimmed(t->cells[r][col[TYPE]], text, sizeof text);
    if (strcasecmp(text, "primary") == 0)
        c->type = CC_CLINIC_PRIMARY;
    else if (strcasecmp(text, "backup") == 0)
        c->type = CC_CLINIC_BACKUP;
    else
        return cc_error_set(err, CC_ERR_TABLE, t->path, line, "type", "type must be 'primary' or 'backup', not '%s'",
                            t->cells[r][col[TYPE]]);
    if ((ret = cc_table_int(t, r, col[DOCTORS], &doctors, NULL, err)) != 0)
        return ret;
    if (doctors < 1 || doctors > 1000)
        return cc_error_set(err, CC_ERR_RANGE, t->path, line, "doctors",
                            "a clinic has 1 to 1000 doctors, not %ld", doctors);
    c->doctors = (int)doctors;
    if ((ret = cc_table_double(t, r, col[CAPACITY], &c->panel_capacity, err)) != 0)
        return ret;
    if (c->panel_capacity < 0)
        return cc_error_set(err, CC_ERR_RANGE, t->path, line, "panel_capacity",
                            "negative panel capacity %g", c->panel_capacity);
    trimmed(t->cells[r][col[PARTICIPATES]], text, sizeof text);
    if (participation(text, &c->participates) != 0)
        return cc_error_set(err, CC_ERR_TABLE, t->path, line, "participates",
                            "participates must be 1 or 0 (yes or no), not '%s'", t->cells[r][col[PARTICIPATES]]);
    backup_id[0] = '\0';
    if (col[BACKUP] >= 0)
        trimmed(t->cells[r][col[BACKUP]], backup_id, backup_size); /* an id too long for it matches none */
    return 0;
}

/* A primary's backup: an existing backup clinic of the same block, taking part when the
 * primary does, with room for one more primary. */
static int pair(const cc_table *t, cc_clinic *clinics, int n, int i, const char *backup_id, int *paired,
                const cc_coverage_params *p, cc_error *err)
{
    cc_clinic *c = &clinics[i];
    if (c->type == CC_CLINIC_BACKUP)
        return cc_error_set(err, CC_ERR_TABLE, t->path, c->line, "backup",
                            "'%s' is a backup clinic: only a primary clinic names a backup (leave it empty)",
                            c->id);
    int b = find_id(clinics, n, backup_id);
    if (b < 0)
        return cc_error_set(err, CC_ERR_TABLE, t->path, c->line, "backup", "no clinic has the id '%s'", backup_id);
    const cc_clinic *bk = &clinics[b];
    if (bk->type != CC_CLINIC_BACKUP)
        return cc_error_set(err, CC_ERR_TABLE, t->path, c->line, "backup",
                            "'%s' (line %d) is a primary clinic, not a backup", bk->id, bk->line);
    if (bk->block != c->block)
        return cc_error_set(err, CC_ERR_TABLE, t->path, c->line, "backup",
                            "'%s' (line %d) is in block %d and this clinic in block %d: pairs are formed "
                            "within a block", bk->id, bk->line, bk->block + 1, c->block + 1);
    if (c->participates && !bk->participates)
        return cc_error_set(err, CC_ERR_TABLE, t->path, c->line, "backup",
                            "'%s' (line %d) does not participate, so it cannot back up a clinic that does",
                            bk->id, bk->line);
    if (c->participates && ++paired[b] > p->max_primaries_per_backup)
        return cc_error_set(err, CC_ERR_RANGE, t->path, c->line, "backup",
                            "'%s' would back up %d primary clinics; at most %d ([coverage] "
                            "max_primaries_per_backup)", bk->id, paired[b], p->max_primaries_per_backup);
    c->backup = b;
    return 0;
}

int cc_clinics_from_table(const cc_table *t, cc_coverage_params *p, cc_error *err)
{
    static const char *const names[7] = {"id", "block", "type", "doctors", "panel_capacity", "participates", "backup"};
    int col[7], ret = 0;
    p->clinics = NULL;
    p->nclinics = 0;
    for (int k = 0; k < 6; k++)
        if ((ret = cc_table_column(t, names[k], &col[k], err)) != 0)
            return ret;
    col[6] = cc_table_find_column(t, "backup"); /* optional: the engine pairs every primary */
    if (t->nrows == 0)
        return cc_error_set(err, CC_ERR_TABLE, t->path, 0, "id", "%s", "the clinics table has no rows");
    cc_clinic *clinics = calloc((size_t)t->nrows, sizeof *clinics);
    char (*backup_id)[64] = calloc((size_t)t->nrows, sizeof *backup_id);
    int *paired = calloc((size_t)t->nrows, sizeof *paired);
    if (!clinics || !backup_id || !paired) {
        ret = cc_error_set(err, CC_ERR_NOMEM, t->path, 0, NULL, "out of memory");
        goto out;
    }
    double places = 0;
    for (int r = 0; r < t->nrows; r++) {
        if ((ret = read_row(t, r, col, p, &clinics[r], backup_id[r], sizeof backup_id[r], err)) != 0)
            goto out;
        places += clinics[r].participates ? floor(clinics[r].panel_capacity) : 0;
        if (places > CC_COVERAGE_MAX_PLACES) { /* each place has its own random stream */
            ret = cc_error_set(err, CC_ERR_RANGE, t->path, clinics[r].line, "panel_capacity",
                               "the participating clinics' panel places add up to more than %d", CC_COVERAGE_MAX_PLACES);
            goto out;
        }
        int first = find_id(clinics, r, clinics[r].id);
        if (first >= 0) {
            ret = cc_error_set(err, CC_ERR_DUPLICATE, t->path, clinics[r].line, "id",
                               "id '%s' given twice (first on line %d)", clinics[r].id, clinics[first].line);
            goto out;
        }
    }
    for (int r = 0; r < t->nrows; r++) /* backups may be listed after the primaries naming them */
        if (backup_id[r][0] && (ret = pair(t, clinics, t->nrows, r, backup_id[r], paired, p, err)) != 0)
            goto out;
    p->clinics = clinics;
    p->nclinics = t->nrows;
    clinics = NULL;
out:
    free(clinics);
    free(backup_id);
    free(paired);
    return ret;
}

int cc_clinics_read(const char *path, cc_coverage_params *p, cc_error *err)
{
    cc_table t;
    int ret = cc_table_load(&t, path, err);
    if (ret == 0)
        ret = cc_clinics_from_table(&t, p, err);
    cc_table_free(&t);
    return ret;
}

/* --- the stage as a whole --- */

int cc_scenario_read_coverage(cc_scenario *s, cc_error *err)
{
    cc_coverage_params *p = &s->coverage;
    const cc_setting *clinics = cc_scenario_setting(s, "coverage", "clinics");
    int ret;
    p->enabled = 0;
    if ((ret = parse_lists(s, err)) != 0)
        return ret;
    if (!clinics->value || !clinics->value[0])
        return 0; /* no coverage stage */
    if (!s->demand.enabled)
        return cc_setting_error(clinics, err, CC_ERR_RANGE, "%s",
                                "the coverage stage simulates the demand stage's home-care patients: give the "
                                "[demand] rate tables too");
    /* Years before the projection are a mistake; years after its end are left out, so that a
     * shorter horizon (--set simulation.end_year=...) still runs the years it reaches. */
    const cc_setting *years = cc_scenario_setting(s, "coverage", "target_years");
    int kept = 0;
    for (int i = 0; i < p->nyears; i++) {
        if (p->target_year[i] < s->population.base_year)
            return cc_setting_error(years, err, CC_ERR_RANGE, "%d is before the projection's first year %d "
                                    "([simulation] base_year)", p->target_year[i], s->population.base_year);
        if (p->target_year[i] <= s->population.end_year)
            p->target_year[kept++] = p->target_year[i];
    }
    if (kept == 0)
        return cc_setting_error(years, err, CC_ERR_RANGE, "no target year within the projection %d-%d "
                                "([simulation] base_year, end_year)", s->population.base_year,
                                s->population.end_year);
    for (int i = kept; i < p->nyears; i++)
        p->target_year[i] = 0;
    p->nyears = kept;
    if (p->replications > s->run.replications)
        p->replications = s->run.replications; /* documented: lowered to the run's replications */
    cc_table t;
    if ((ret = cc_scenario_open_table(s, "coverage", "clinics", &t, err)) == 0)
        ret = cc_clinics_from_table(&t, p, err);
    cc_table_free(&t);
    if (ret == 0)
        p->enabled = 1;
    return ret;
}
