/* The headline numbers of a results file (summary.h: cc_summary_read), read once here and
 * shown by `carecast summary` (text or JSON) and by the HTML report, so the three cannot
 * disagree. What counts as headline:
 * - population total, 65+, 75+, 85+ (both sexes) on the base date and in 2030, 2040, 2050;
 * - beds needed, outpatient visits per weekday and enrolled home-care patients (both sexes,
 *   all ages) on the first year point and in 2030, 2040, 2050;
 * - per coverage target year and scheme: duty and disturbed nights per doctor-month (mean and
 *   max over the duty holders), escalations per 1,000 patient-months, continuity, the share
 *   within the load limits;
 * - a capacity file's doctors needed per scheme and year, and the share attainable;
 * - a sensitivity file's three parameters with the widest bar per output.
 * Every number is the median over replications with the 90% band (5th and 95th
 * percentiles), taken from the file's quantiles datasets: each cell records the dataset and
 * the positions it came from (a test reads them back with h5py). Years absent from the file
 * are left out; stages absent from the file are named in `absent`. The keys the answer leans
 * on come from /provenance: the effective configuration, and the scenario's own comment above
 * each key tells whether its value is an assumption, a source or derived. */
#include "carecast/summary.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "carecast/scenario.h"

typedef struct {
    cc_reader *reader;
    cc_lang lang;
    cc_summary *s;
    cc_error *err;
    int rc; /* the first failure; later steps do nothing once it is set */
} ctx;

static const char *tr(const ctx *c, const char *en, const char *ja) { return c->lang == CC_LANG_JA ? ja : en; }

static char *vformat(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (text)
        vsnprintf(text, (size_t)n + 1, fmt, ap);
    return text;
}

/* A malloc'ed formatted string; NULL (and c->rc NOMEM) when out of memory. */
static char *format(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *format(ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = vformat(fmt, ap);
    va_end(ap);
    if (!text && !c->rc)
        c->rc = cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    return text;
}

static char *copy(ctx *c, const char *text) { return text ? format(c, "%s", text) : NULL; }

static void *grow(ctx *c, void *array, int count, size_t item)
{
    void *bigger = c->rc ? NULL : realloc(array, (size_t)(count + 1) * item);
    if (!bigger && !c->rc)
        c->rc = cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    return bigger;
}

static void add_absent(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_absent(ctx *c, const char *fmt, ...)
{
    char **list = grow(c, c->s->absent, c->s->nabsent, sizeof *list);
    if (!list)
        return;
    c->s->absent = list;
    va_list ap;
    va_start(ap, fmt);
    if (!(list[c->s->nabsent] = vformat(fmt, ap)))
        c->rc = cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    else
        c->s->nabsent++;
    va_end(ap);
}

/* ---- datasets ----------------------------------------------------------------------------- */

static int has_prefix(const cc_reader *r, const char *prefix)
{
    size_t n = strlen(prefix);
    for (int i = 0; i < cc_reader_count(r); i++)
        if (strncmp(cc_reader_path(r, i), prefix, n) == 0)
            return 1;
    return 0;
}

static int has_path(const cc_reader *r, const char *path)
{
    for (int i = 0; i < cc_reader_count(r); i++)
        if (strcmp(cc_reader_path(r, i), path) == 0)
            return 1;
    return 0;
}

/* Read a dataset the layout promises; 0, or -1 with c->rc set. */
static int read_dataset(ctx *c, const char *path, cc_read_dataset *d)
{
    memset(d, 0, sizeof *d);
    if (c->rc)
        return -1;
    int rc = cc_reader_read(c->reader, path, d, c->err);
    if (rc) {
        c->rc = rc;
        return -1;
    }
    return 0;
}

static int axis_named(const cc_read_dataset *d, const char *name)
{
    for (int i = 0; i < d->rank; i++)
        if (d->axes[i].name && strcmp(d->axes[i].name, name) == 0)
            return i;
    return -1;
}

static long find_number(const cc_read_axis *a, double v)
{
    for (size_t i = 0; a->values && i < a->length; i++)
        if (fabs(a->values[i] - v) < 1e-9)
            return (long)i;
    return -1;
}

static long find_text(const cc_read_axis *a, const char *text)
{
    for (size_t i = 0; a->strings && i < a->length; i++)
        if (a->strings[i] && strcmp(a->strings[i], text) == 0)
            return (long)i;
    return -1;
}

static size_t flat_index(const cc_read_dataset *d, const size_t *at)
{
    size_t k = 0;
    for (int i = 0; i < d->rank; i++)
        k = k * d->dims[i] + at[i];
    return k;
}

static void set_at(cc_summary_at *out, const cc_read_dataset *d, const size_t *at)
{
    out->rank = d->rank;
    for (int i = 0; i < d->rank; i++)
        out->from[i] = out->to[i] = at[i];
}

/* The 5th, 50th and 95th percentile positions of a quantile axis; -1 when one is missing. */
static int quantile_positions(const cc_read_dataset *d, int axis, long q[3])
{
    if (axis < 0)
        return -1;
    q[0] = find_number(&d->axes[axis], 0.05);
    q[1] = find_number(&d->axes[axis], 0.5);
    q[2] = find_number(&d->axes[axis], 0.95);
    return q[0] < 0 || q[1] < 0 || q[2] < 0 ? -1 : 0;
}

/* ---- tables ------------------------------------------------------------------------------- */

static cc_summary_table *add_table(ctx *c, const char *id, char *title, const char *scenario, char *note,
                                   const char *corner, int ncolumns)
{
    cc_summary_table *tables = grow(c, c->s->tables, c->s->ntables, sizeof *tables), *t = NULL;
    if (tables) {
        c->s->tables = tables;
        t = &tables[c->s->ntables++];
        memset(t, 0, sizeof *t);
        t->id = copy(c, id);
        t->scenario = copy(c, scenario);
        t->corner = copy(c, corner);
        t->columns = calloc(ncolumns > 0 ? (size_t)ncolumns : 1, sizeof *t->columns);
        if (t->columns)
            t->ncolumns = ncolumns;
        else if (!c->rc)
            c->rc = cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    if (t) {
        t->title = title;
        t->note = note;
    } else {
        free(title);
        free(note);
    }
    return c->rc ? NULL : t;
}

/* A new row of t (label taken over); its cells are empty numbers (NaN). */
static cc_summary_row *add_row(ctx *c, cc_summary_table *t, char *label)
{
    cc_summary_row *rows = grow(c, t->rows, t->nrows, sizeof *rows);
    if (!rows) {
        free(label);
        return NULL;
    }
    t->rows = rows;
    cc_summary_row *row = &rows[t->nrows++];
    row->label = label;
    row->cells = calloc((size_t)t->ncolumns ? (size_t)t->ncolumns : 1, sizeof *row->cells);
    if (!row->cells) {
        c->rc = cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    for (int i = 0; i < t->ncolumns; i++)
        row->cells[i].value = row->cells[i].lo = row->cells[i].hi = NAN;
    return c->rc ? NULL : row;
}

/* Fill a cell from a quantiles dataset at `at` (every axis but the quantile axis set). */
static void cell_from_quantiles(ctx *c, cc_summary_cell *cell, const cc_read_dataset *d, size_t *at, int qaxis,
                                const long q[3], int decimals, int percent)
{
    size_t pos[3];
    cc_summary_at *where[3] = {&cell->at_lo, &cell->at_value, &cell->at_hi};
    for (int k = 0; k < 3; k++) {
        at[qaxis] = (size_t)q[k];
        pos[k] = flat_index(d, at);
        set_at(where[k], d, at);
    }
    cell->lo = d->values[pos[0]];
    cell->value = d->values[pos[1]];
    cell->hi = d->values[pos[2]];
    cell->decimals = decimals;
    cell->percent = percent;
    cell->dataset = copy(c, d->path);
}

/* The years of a year axis to show: the first point when first_point, then 2030, 2040, 2050. */
static int headline_years(const cc_read_axis *years, int first_point, long pos[4], double value[4])
{
    static const double wanted[] = {2030, 2040, 2050};
    int n = 0;
    if (first_point && years->length > 0 && years->values) {
        pos[n] = 0;
        value[n++] = years->values[0];
    }
    for (int i = 0; i < 3; i++) {
        long p = find_number(years, wanted[i]);
        if (p >= 0 && (n == 0 || p != pos[0])) {
            pos[n] = p;
            value[n++] = wanted[i];
        }
    }
    return n;
}

/* ---- population --------------------------------------------------------------------------- */

static const char *const pop_series[] = {"total", "age65plus", "age75plus", "age85plus"};

static char *pop_label(ctx *c, int i, const char *units)
{
    static const char *const en[] = {"population", "aged 65+", "aged 75+", "aged 85+"};
    static const char *const ja[] = {"総人口", "65歳以上", "75歳以上", "85歳以上"};
    return format(c, "%s (%s)", tr(c, en[i], ja[i]), c->lang == CC_LANG_JA ? "人" : units);
}

/* Base column: /population/base summed over the ages from the series' lower bound. */
static void pop_base_cell(ctx *c, cc_summary_cell *cell, const cc_read_dataset *base, size_t s, int series)
{
    static const double from_age[] = {0, 65, 75, 85};
    int sax = axis_named(base, "sex"), aax = axis_named(base, "age"), scax = axis_named(base, "scenario");
    long total = sax >= 0 ? find_text(&base->axes[sax], "total") : -1;
    long first = aax >= 0 ? find_number(&base->axes[aax], from_age[series]) : -1;
    if (base->rank != 3 || scax < 0 || total < 0 || first < 0)
        return;
    size_t at[3] = {0};
    at[scax] = s;
    at[sax] = (size_t)total;
    double sum = 0;
    for (size_t a = (size_t)first; a < base->dims[aax]; a++) {
        at[aax] = a;
        sum += base->values[flat_index(base, at)];
    }
    at[aax] = (size_t)first;
    set_at(&cell->at_value, base, at);
    cell->at_value.to[aax] = base->dims[aax] - 1;
    cell->value = sum;
    cell->dataset = copy(c, base->path);
}

static void population_tables(ctx *c)
{
    cc_read_dataset q[4], base;
    memset(&base, 0, sizeof base);
    int nread = 0;
    for (int i = 0; i < 4; i++) {
        char path[64];
        snprintf(path, sizeof path, "/population/%s/quantiles", pop_series[i]);
        if (!has_path(c->reader, path)) {
            add_absent(c, tr(c, "no %s: the population table is left out", "%s がないため、人口の表を省きました"), path);
            return;
        }
    }
    for (; nread < 4; nread++) {
        char path[64];
        snprintf(path, sizeof path, "/population/%s/quantiles", pop_series[nread]);
        if (read_dataset(c, path, &q[nread]))
            break;
    }
    int have_base = has_path(c->reader, "/population/base") && read_dataset(c, "/population/base", &base) == 0;
    int sc = nread == 4 ? axis_named(&q[0], "scenario") : -1, qa = sc >= 0 ? axis_named(&q[0], "quantile") : -1;
    int ya = sc >= 0 ? axis_named(&q[0], "year") : -1, xa = sc >= 0 ? axis_named(&q[0], "sex") : -1;
    long qp[3], ypos[4], total = xa >= 0 ? find_text(&q[0].axes[xa], "total") : -1;
    double years[4];
    int ny = ya >= 0 ? headline_years(&q[0].axes[ya], 0, ypos, years) : 0;
    if (!c->rc && (sc < 0 || ya < 0 || total < 0 || quantile_positions(&q[0], qa, qp) || q[0].rank != 4)) {
        add_absent(c, "%s", tr(c, "/population has an unexpected shape: its table is left out",
                               "/population の形が想定と異なるため、人口の表を省きました"));
        ny = -1;
    }
    for (size_t s = 0; !c->rc && ny >= 0 && s < q[0].dims[sc]; s++) {
        const char *name = c->s->scenarios && s < (size_t)c->s->nscenarios ? c->s->scenarios[s] : "";
        char *date = NULL;
        if (have_base) {
            cc_read_attribute a = {0};
            cc_error ignored;
            if (cc_reader_attribute(c->reader, "/population/base", "date", &a, &ignored) == 0 && a.string)
                date = copy(c, a.string);
            free(a.string);
        }
        cc_summary_table *t = add_table(
            c, "population",
            format(c, "%s: %s", tr(c, "Population", "人口の見通し"), name),
            name,
            copy(c, tr(c, "Both sexes. Median over replications, 90% band (5th-95th percentile) in brackets; the base "
                          "date is the starting register, without a band.",
                       "男女計。反復計算の中央値と、括弧内は90%の幅（5〜95パーセンタイル）。基準日は出発点の住民基本台帳で、幅はありません。")),
            tr(c, "series", "項目"), ny + (have_base ? 1 : 0));
        if (!t)
            break;
        int col = 0;
        if (have_base)
            t->columns[col++] = format(c, "%s %s", tr(c, "base", "基準日"), date ? date : "");
        for (int y = 0; y < ny; y++)
            t->columns[col++] = format(c, "%.0f", years[y]);
        free(date);
        for (int i = 0; i < 4 && !c->rc; i++) {
            cc_summary_row *row = add_row(c, t, pop_label(c, i, q[i].units ? q[i].units : ""));
            if (!row)
                break;
            col = 0;
            if (have_base)
                pop_base_cell(c, &row->cells[col++], &base, s, i);
            for (int y = 0; y < ny; y++) {
                size_t at[4] = {0};
                at[sc] = s;
                at[ya] = (size_t)ypos[y];
                at[xa] = (size_t)total;
                cell_from_quantiles(c, &row->cells[col++], &q[i], at, qa, qp, 0, 0);
            }
        }
    }
    for (int i = 0; i < nread; i++)
        cc_read_dataset_free(&q[i]);
    cc_read_dataset_free(&base);
}

/* ---- demand ------------------------------------------------------------------------------- */

static void demand_tables(ctx *c)
{
    static const char *const series[] = {"beds_needed", "outpatient", "home_care"};
    static const char *const en[] = {"beds needed", "outpatient visits per weekday", "enrolled home-care patients"};
    static const char *const ja[] = {"必要病床数", "外来患者数（平日1日あたり）", "在宅医療の患者数"};
    static const char *const ja_units[] = {"床", "人", "人"};
    cc_read_dataset q[3];
    int nread = 0;
    for (int i = 0; i < 3; i++) {
        char path[64];
        snprintf(path, sizeof path, "/demand/%s/quantiles", series[i]);
        if (!has_path(c->reader, path)) {
            add_absent(c, tr(c, "no %s: the demand table is left out", "%s がないため、医療需要の表を省きました"), path);
            return;
        }
    }
    for (; nread < 3; nread++) {
        char path[64];
        snprintf(path, sizeof path, "/demand/%s/quantiles", series[nread]);
        if (read_dataset(c, path, &q[nread]))
            break;
    }
    int sc = nread == 3 ? axis_named(&q[0], "scenario") : -1, qa = sc >= 0 ? axis_named(&q[0], "quantile") : -1;
    int ya = sc >= 0 ? axis_named(&q[0], "year") : -1, xa = sc >= 0 ? axis_named(&q[0], "sex") : -1;
    int ba = sc >= 0 ? axis_named(&q[0], "age_band") : -1;
    long qp[3], ypos[4], total = xa >= 0 ? find_text(&q[0].axes[xa], "total") : -1;
    long all = ba >= 0 ? find_text(&q[0].axes[ba], "total") : -1;
    double years[4];
    int ny = ya >= 0 ? headline_years(&q[0].axes[ya], 1, ypos, years) : 0;
    if (!c->rc && (sc < 0 || ya < 0 || total < 0 || all < 0 || quantile_positions(&q[0], qa, qp) || q[0].rank != 5)) {
        add_absent(c, "%s", tr(c, "/demand has an unexpected shape: its table is left out",
                               "/demand の形が想定と異なるため、医療需要の表を省きました"));
        ny = -1;
    }
    for (size_t s = 0; !c->rc && ny >= 0 && s < q[0].dims[sc]; s++) {
        const char *name = s < (size_t)c->s->nscenarios ? c->s->scenarios[s] : "";
        cc_summary_table *t = add_table(
            c, "demand", format(c, "%s: %s", tr(c, "Health-care demand", "医療需要の見通し"), name), name,
            copy(c, tr(c, "Both sexes, all ages. Median over replications, 90% band in brackets.",
                       "男女計・全年齢。反復計算の中央値と、括弧内は90%の幅。")),
            tr(c, "series", "項目"), ny);
        if (!t)
            break;
        for (int y = 0; y < ny; y++)
            t->columns[y] = format(c, "%.0f", years[y]);
        for (int i = 0; i < 3 && !c->rc; i++) {
            cc_summary_row *row = add_row(c, t, format(c, "%s (%s)", tr(c, en[i], ja[i]),
                                                       c->lang == CC_LANG_JA ? ja_units[i] : q[i].units ? q[i].units : ""));
            for (int y = 0; row && y < ny; y++) {
                size_t at[5] = {0};
                at[sc] = s;
                at[ya] = (size_t)ypos[y];
                at[xa] = (size_t)total;
                at[ba] = (size_t)all;
                cell_from_quantiles(c, &row->cells[y], &q[i], at, qa, qp, 0, 0);
            }
        }
    }
    for (int i = 0; i < nread; i++)
        cc_read_dataset_free(&q[i]);
}

/* ---- coverage ----------------------------------------------------------------------------- */

typedef struct {
    const char *metric, *en, *ja;
    int decimals, percent;
} metric_column;

static const metric_column coverage_columns[] = {
    {"duty_nights_mean", "duty nights, mean", "当直の夜（平均）", 1, 0},
    {"duty_nights_max", "duty nights, max", "当直の夜（最大）", 1, 0},
    {"disturbed_nights_mean", "disturbed nights, mean", "呼び出された夜（平均）", 2, 0},
    {"disturbed_nights_max", "disturbed nights, max", "呼び出された夜（最大）", 2, 0},
    {"escalations_per_1000_patient_months", "escalations /1,000 pt-months", "救急搬送への移行（1,000患者月あたり）", 2, 0},
    {"continuity", "continuity", "主治医が対応した割合", 1, 1},
    {"within_limits", "within limits", "上限内の医師の割合", 0, 1},
};
enum { NCOVERAGE_COLUMNS = sizeof coverage_columns / sizeof coverage_columns[0] };

const char *cc_summary_scheme_name(const char *scheme, cc_lang lang)
{
    static const char *const names[][3] = {
        {"pairing", "pairing (primary and backup doctor)", "主治医・副主治医制"},
        {"rotation", "rotation (night-duty rota)", "輪番制"},
        {"solo", "solo (own patients every night)", "単独（主治医が毎晩対応）"},
        {"cooperative", "cooperative of backup clinics", "支援診療所の協同当番"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(scheme, names[i][0]) == 0)
            return names[i][lang == CC_LANG_JA ? 2 : 1];
    return scheme;
}

/* The value of "[coverage] schemes" in the effective configuration, or NULL. */
static const char *configured_schemes(const cc_summary *s)
{
    for (int i = 0; i < s->nkeys; i++)
        if (strcmp(s->keys[i].section, "coverage") == 0 && strcmp(s->keys[i].key, "schemes") == 0)
            return s->keys[i].value;
    return NULL;
}

/* Position of scheme in the configured list (the first is the reference), else after it. */
static int scheme_order(const char *list, const char *scheme)
{
    int k = 0;
    size_t n = strlen(scheme);
    for (const char *p = list; p && *p; k++) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ", ");
        if (len == n && strncmp(p, scheme, n) == 0)
            return k;
        p += len;
    }
    return 1000;
}

/* Years and schemes of /coverage/<year>/<scheme>/duty_nights_mean/quantiles. */
static int coverage_index(ctx *c, int *years, int maxyears, char schemes[][64], int maxschemes, int *nschemes)
{
    int nyears = 0;
    *nschemes = 0;
    for (int i = 0; i < cc_reader_count(c->reader); i++) {
        const char *p = cc_reader_path(c->reader, i);
        int year, used = 0;
        char scheme[64];
        if (sscanf(p, "/coverage/%d/%63[^/]/duty_nights_mean/quantile%n", &year, scheme, &used) != 2 || !used ||
            strcmp(p + used, "s") != 0)
            continue;
        int y = 0, k = 0;
        while (y < nyears && years[y] != year)
            y++;
        if (y == nyears && nyears < maxyears)
            years[nyears++] = year;
        while (k < *nschemes && strcmp(schemes[k], scheme) != 0)
            k++;
        if (k == *nschemes && *nschemes < maxschemes)
            snprintf(schemes[(*nschemes)++], 64, "%s", scheme);
    }
    /* the configured order (the reference scheme first), not the file's name order */
    const char *list = configured_schemes(c->s);
    for (int a = 1; a < *nschemes; a++)
        for (int b = a; b > 0 && scheme_order(list, schemes[b]) < scheme_order(list, schemes[b - 1]); b--) {
            char tmp[64];
            memcpy(tmp, schemes[b], 64);
            memcpy(schemes[b], schemes[b - 1], 64);
            memcpy(schemes[b - 1], tmp, 64);
        }
    return nyears;
}

/* "3,164 patients, 0 uncovered" for a year: medians of /coverage/<year>/{patients,uncovered}. */
static char *coverage_note(ctx *c, int year, size_t s)
{
    double v[2] = {NAN, NAN};
    static const char *const what[] = {"patients", "uncovered"};
    for (int i = 0; i < 2; i++) {
        char path[96];
        snprintf(path, sizeof path, "/coverage/%d/%s/quantiles", year, what[i]);
        cc_read_dataset d;
        long q[3];
        if (!has_path(c->reader, path) || read_dataset(c, path, &d))
            continue;
        int sc = axis_named(&d, "scenario"), qa = axis_named(&d, "quantile");
        if (d.rank == 2 && sc >= 0 && quantile_positions(&d, qa, q) == 0) {
            size_t at[2];
            at[sc] = s;
            at[qa] = (size_t)q[1];
            v[i] = d.values[flat_index(&d, at)];
        }
        cc_read_dataset_free(&d);
    }
    char patients[32], uncovered[32];
    cc_summary_cell cells[2] = {{.value = v[0]}, {.value = v[1]}};
    cc_summary_cell_format(&cells[0], patients, sizeof patients);
    cc_summary_cell_format(&cells[1], uncovered, sizeof uncovered);
    return format(c, tr(c, "Home-care patients %s, of whom %s without a participating doctor (medians). Nights per "
                           "doctor-month over the doctors holding out-of-hours duty; median over coverage replications, "
                           "90%% band in brackets.",
                        "在宅医療の患者 %s 人、うち参加医師のいない患者 %s 人（中央値）。夜の数は時間外の当番を持つ医師1人・1か月あたり。"
                        "反復計算の中央値と、括弧内は90%%の幅。"),
                  patients, uncovered);
}

static void coverage_tables(ctx *c)
{
    int years[32], nschemes;
    char schemes[16][64];
    int nyears = coverage_index(c, years, 32, schemes, 16, &nschemes);
    for (int a = 1; a < nyears; a++) /* years in order */
        for (int b = a; b > 0 && years[b] < years[b - 1]; b--) {
            int tmp = years[b];
            years[b] = years[b - 1];
            years[b - 1] = tmp;
        }
    for (int s = 0; !c->rc && s < c->s->nscenarios; s++)
        for (int y = 0; !c->rc && y < nyears; y++) {
            char id[32];
            snprintf(id, sizeof id, "coverage_%d", years[y]);
            cc_summary_table *t = add_table(
                c, id, format(c, "%s %d: %s", tr(c, "On-call coverage of home-care patients", "在宅医療の夜間・休日対応"),
                              years[y], c->s->scenarios[s]),
                c->s->scenarios[s], coverage_note(c, years[y], (size_t)s), tr(c, "scheme", "体制"), NCOVERAGE_COLUMNS);
            for (int k = 0; t && k < NCOVERAGE_COLUMNS; k++)
                t->columns[k] = copy(c, tr(c, coverage_columns[k].en, coverage_columns[k].ja));
            for (int k = 0; t && !c->rc && k < nschemes; k++) {
                cc_summary_row *row = add_row(c, t, copy(c, cc_summary_scheme_name(schemes[k], c->lang)));
                for (int m = 0; row && m < NCOVERAGE_COLUMNS; m++) {
                    char path[160];
                    snprintf(path, sizeof path, "/coverage/%d/%s/%s/quantiles", years[y], schemes[k],
                             coverage_columns[m].metric);
                    cc_read_dataset d;
                    long q[3];
                    if (!has_path(c->reader, path) || read_dataset(c, path, &d))
                        continue;
                    int sc = axis_named(&d, "scenario"), qa = axis_named(&d, "quantile");
                    if (d.rank == 2 && sc >= 0 && quantile_positions(&d, qa, q) == 0 && (size_t)s < d.dims[sc]) {
                        size_t at[2];
                        at[sc] = (size_t)s;
                        cell_from_quantiles(c, &row->cells[m], &d, at, qa, q, coverage_columns[m].decimals,
                                            coverage_columns[m].percent);
                    }
                    cc_read_dataset_free(&d);
                }
            }
        }
}

/* ---- capacity ----------------------------------------------------------------------------- */

static void capacity_tables(ctx *c)
{
    cc_read_dataset q, share;
    if (read_dataset(c, "/capacity/doctors_needed_quantiles", &q))
        return;
    int have_share = has_path(c->reader, "/capacity/attainable_share") &&
                     read_dataset(c, "/capacity/attainable_share", &share) == 0;
    int sc = axis_named(&q, "scenario"), ka = axis_named(&q, "scheme"), ya = axis_named(&q, "year");
    int qa = axis_named(&q, "quantile");
    long qp[3];
    if (!c->rc && (q.rank != 4 || sc < 0 || ka < 0 || ya < 0 || quantile_positions(&q, qa, qp) ||
                   !q.axes[ka].strings || !q.axes[ya].values)) {
        add_absent(c, "%s", tr(c, "/capacity has an unexpected shape: its table is left out",
                               "/capacity の形が想定と異なるため、必要医師数の表を省きました"));
        sc = -1;
    }
    if (have_share && (share.rank != 3 || share.size != q.size / q.dims[qa]))
        have_share = 0;
    for (size_t s = 0; !c->rc && sc >= 0 && s < q.dims[sc]; s++)
        for (size_t y = 0; !c->rc && y < q.dims[ya]; y++) {
            const char *name = s < (size_t)c->s->nscenarios ? c->s->scenarios[s] : "";
            char id[32];
            snprintf(id, sizeof id, "capacity_%.0f", q.axes[ya].values[y]);
            cc_summary_table *t = add_table(
                c, id, format(c, "%s %.0f: %s", tr(c, "Participating doctors needed", "必要な参加医師数"),
                              q.axes[ya].values[y], name),
                name,
                copy(c, tr(c, "Fewest participating doctors with whom every projected home-care patient has a doctor and "
                              "the doctors on duty stay within the load limits: median over replications, 90% band in "
                              "brackets; '-' where no number of doctors meets the limits.",
                           "見込まれる在宅医療の患者すべてに医師がつき、当番の医師が負担の上限内に収まる最少の参加医師数。"
                           "反復計算の中央値と、括弧内は90%の幅。どの人数でも上限を満たせない場合は「-」。")),
                tr(c, "scheme", "体制"), have_share ? 2 : 1);
            if (!t)
                break;
            t->columns[0] = copy(c, tr(c, "doctors needed", "必要医師数（人）"));
            if (have_share)
                t->columns[1] = copy(c, tr(c, "replications where attainable", "達成できた反復の割合"));
            for (size_t k = 0; !c->rc && k < q.dims[ka]; k++) {
                cc_summary_row *row = add_row(c, t, copy(c, cc_summary_scheme_name(q.axes[ka].strings[k], c->lang)));
                if (!row)
                    break;
                size_t at[4] = {0};
                at[sc] = s;
                at[ka] = k;
                at[ya] = y;
                cell_from_quantiles(c, &row->cells[0], &q, at, qa, qp, 0, 0);
                if (have_share) {
                    size_t at3[3] = {s, k, y};
                    row->cells[1].value = share.values[flat_index(&share, at3)];
                    row->cells[1].percent = 1;
                    row->cells[1].dataset = copy(c, share.path);
                    set_at(&row->cells[1].at_value, &share, at3);
                }
            }
        }
    cc_read_dataset_free(&q);
    if (have_share)
        cc_read_dataset_free(&share);
}

/* ---- sensitivity -------------------------------------------------------------------------- */

enum { SENSITIVITY_TOP = 3 };

static void sensitivity_tables(ctx *c)
{
    static const char *const names[] = {"/sensitivity/rank", "/sensitivity/median", "/sensitivity/width",
                                        "/sensitivity/baseline", "/sensitivity/parameter_value"};
    cc_read_dataset d[5];
    int n = 0;
    for (; n < 5; n++)
        if (read_dataset(c, names[n], &d[n]))
            break;
    const cc_read_dataset *rank = &d[0], *median = &d[1], *width = &d[2], *baseline = &d[3], *pvalue = &d[4];
    int ok = n == 5 && rank->rank == 2 && median->rank == 3 && width->rank == 2 && baseline->rank == 1 &&
             pvalue->rank == 2 && rank->axes[0].strings && rank->axes[1].strings && median->dims[1] == 2;
    if (!c->rc && !ok)
        add_absent(c, "%s", tr(c, "/sensitivity has an unexpected shape: its tables are left out",
                               "/sensitivity の形が想定と異なるため、感度分析の表を省きました"));
    size_t np = ok ? rank->dims[0] : 0, no = ok ? rank->dims[1] : 0;
    cc_read_dataset labels;
    int have_labels = ok && has_path(c->reader, "/sensitivity/output_long_name") &&
                      read_dataset(c, "/sensitivity/output_long_name", &labels) == 0 && labels.strings &&
                      labels.size == no;
    for (size_t o = 0; !c->rc && o < no; o++) {
        const char *output = rank->axes[1].strings[o];
        char id[160];
        snprintf(id, sizeof id, "sensitivity_%s", output);
        cc_summary_table *t = add_table(
            c, id,
            format(c, "%s: %s", tr(c, "Which assumptions move it most", "結果を最も動かす仮定"),
                   have_labels ? labels.strings[o] : output),
            c->s->nscenarios > 0 ? c->s->scenarios[0] : NULL,
            format(c, tr(c, "Baseline (median) %.6g. Each parameter at the low and the high end of its range, everything "
                            "else as in the scenario; medians over replications; width = |median at high - median at low|.",
                         "基準の中央値 %.6g。各パラメータを範囲の下端と上端に置き、ほかはシナリオのまま。値は反復計算の中央値。"
                         "幅 = |上端での中央値 − 下端での中央値|。"),
                   baseline->values[o]),
            tr(c, "parameter", "パラメータ"), 5);
        if (!t)
            break;
        static const char *const en[] = {"low end", "high end", "median at low", "median at high", "width"};
        static const char *const ja[] = {"下端", "上端", "下端での中央値", "上端での中央値", "幅"};
        for (int k = 0; k < 5; k++)
            t->columns[k] = copy(c, tr(c, en[k], ja[k]));
        for (int r = 1; r <= SENSITIVITY_TOP && !c->rc; r++)
            for (size_t p = 0; p < np; p++) {
                size_t at2[2] = {p, o};
                /* a zero bar moves nothing: not a top parameter whatever its rank */
                if (rank->values[flat_index(rank, at2)] != r || width->values[flat_index(width, at2)] == 0)
                    continue;
                cc_summary_row *row = add_row(c, t, copy(c, rank->axes[0].strings[p]));
                if (!row)
                    break;
                for (size_t e = 0; e < 2; e++) {
                    size_t pv[2] = {p, e}, m[3] = {p, e, o};
                    row->cells[e].value = pvalue->values[flat_index(pvalue, pv)];
                    row->cells[e].dataset = copy(c, pvalue->path);
                    set_at(&row->cells[e].at_value, pvalue, pv);
                    row->cells[e].decimals = -1; /* as exact as it is */
                    row->cells[2 + e].value = median->values[flat_index(median, m)];
                    row->cells[2 + e].dataset = copy(c, median->path);
                    set_at(&row->cells[2 + e].at_value, median, m);
                    row->cells[2 + e].decimals = -1;
                }
                row->cells[4].value = width->values[flat_index(width, at2)];
                row->cells[4].dataset = copy(c, width->path);
                set_at(&row->cells[4].at_value, width, at2);
                row->cells[4].decimals = -1;
            }
    }
    if (have_labels)
        cc_read_dataset_free(&labels);
    for (int i = 0; i < n; i++)
        cc_read_dataset_free(&d[i]);
}

/* ---- provenance --------------------------------------------------------------------------- */

static char *attribute_text(ctx *c, const char *path, const char *name)
{
    cc_read_attribute a = {0};
    cc_error ignored;
    if (cc_reader_attribute(c->reader, path, name, &a, &ignored) != 0)
        return NULL;
    char *text = a.kind == CC_DATA_STRING ? a.string : NULL;
    if (!text)
        free(a.string);
    return text;
}

static double attribute_number(ctx *c, const char *path, const char *name)
{
    cc_read_attribute a = {0};
    cc_error ignored;
    double v = NAN;
    if (cc_reader_attribute(c->reader, path, name, &a, &ignored) == 0 && a.kind != CC_DATA_STRING)
        v = a.value;
    free(a.string);
    return v;
}

/* The basis a comment line states by its first word ("; assumption: ...", "; source: ..."),
 * or NULL when it starts otherwise. */
static const char *basis_of_line(const char *line)
{
    static const char *const labels[][2] = {{"assumption", "assumption"}, {"source", "source"},
                                            {"derived", "derived"},       {"user's choice", "choice"},
                                            {"run setting", "choice"},    {"method choice", "choice"}};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strncmp(line, labels[i][0], strlen(labels[i][0])) == 0)
            return labels[i][1];
    return NULL;
}

/* The comment block right above line `line` of text (over the keys that share it), without
 * the leading ';'; "" when there is none. *basis: what the line nearest the key that starts with
 * a label says (a "source: IPSS ... assumption" line is a source), else "assumption" when the
 * block names one, else "note". */
static char *comment_above(ctx *c, const char *text, int line, const char **basis)
{
    *basis = "note";
    const char *starts[4096];
    int n = 0;
    for (const char *p = text; p && *p && n < 4096; n++) {
        starts[n] = p;
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : NULL;
    }
    int last = line - 2, first = -1; /* 0-based index of the line above the key */
    for (int i = last; i >= 0 && i < n; i--) {
        const char *p = starts[i];
        while (*p == ' ' || *p == '\t')
            p++;
        int comment = *p == ';' || *p == '#', blank = *p == '\n' || *p == '\r' || !*p;
        if (blank || *p == '[' || (!comment && first >= 0))
            break;
        if (comment)
            first = i;
        else
            last = i - 1; /* a key sharing the comment above */
    }
    if (first < 0)
        return copy(c, "");
    for (int i = last; i >= first && strcmp(*basis, "note") == 0; i--) {
        const char *p = starts[i];
        while (*p == ' ' || *p == '\t' || *p == ';' || *p == '#')
            p++;
        const char *b = basis_of_line(p);
        if (b)
            *basis = b;
    }
    size_t size = 1;
    for (int i = first; i <= last; i++)
        size += (size_t)(strchr(starts[i], '\n') ? strchr(starts[i], '\n') - starts[i] : (long)strlen(starts[i])) + 1;
    char *out = malloc(size);
    if (!out) {
        c->rc = cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    out[0] = '\0';
    for (int i = first; i <= last; i++) {
        const char *p = starts[i];
        while (*p == ' ' || *p == '\t' || *p == ';' || *p == '#')
            p++;
        size_t len = strcspn(p, "\r\n");
        if (out[0])
            strcat(out, " ");
        strncat(out, p, len);
    }
    if (strcmp(*basis, "note") == 0 && strstr(out, "assumption"))
        *basis = "assumption";
    return out;
}

/* The sections whose keys the answer leans on; table paths are sources, not shown. */
static int key_matters(const char *section, const char *key, const char *value)
{
    static const char *const sections[] = {"mortality", "fertility", "migration", "demand", "coverage"};
    int n, in = 0;
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        in |= strcmp(section, sections[i]) == 0;
    if (!in || !value[0])
        return 0;
    const cc_key_info *keys = cc_scenario_keys(&n);
    for (int i = 0; i < n; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, key) == 0)
            return keys[i].type != CC_KEY_PATH;
    return 1;
}

static const char *registry_source(const char *section, const char *key)
{
    int n;
    const cc_key_info *keys = cc_scenario_keys(&n);
    for (int i = 0; i < n; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, key) == 0)
            return keys[i].source;
    return "";
}

/* One line "[section] key = value ; origin" of a scenario's effective configuration. */
static void add_key(ctx *c, const char *scenario, const char *line, const cc_read_dataset *paths,
                    const cc_read_dataset *texts)
{
    char section[64], key[128];
    int used = 0;
    if (sscanf(line, "[%63[^]]] %127s =%n", section, key, &used) != 2 || !used)
        return;
    const char *value = line + used, *semi = strstr(value, " ; ");
    for (const char *p = semi; p; p = strstr(p + 1, " ; "))
        semi = p; /* the origin follows the last " ; " */
    if (!semi)
        return;
    while (*value == ' ')
        value++;
    char *val = format(c, "%.*s", (int)(semi > value ? semi - value : 0), value);
    if (!val || !key_matters(section, key, val)) {
        free(val);
        return;
    }
    cc_summary_key *keys = grow(c, c->s->keys, c->s->nkeys, sizeof *keys);
    if (!keys) {
        free(val);
        return;
    }
    c->s->keys = keys;
    cc_summary_key *k = &keys[c->s->nkeys++];
    memset(k, 0, sizeof *k);
    k->value = val;
    k->scenario = copy(c, scenario);
    k->section = copy(c, section);
    k->key = copy(c, key);
    k->origin = copy(c, semi + 3);
    const char *origin = semi + 3, *colon = strrchr(origin, ':');
    if (strcmp(origin, "default") == 0 || strcmp(origin, "command line") == 0 || !colon) {
        const char *source = registry_source(section, key);
        k->comment = copy(c, strcmp(origin, "default") == 0 ? source : "");
        k->basis = copy(c, strcmp(origin, "command line") == 0 ? "command line"
                          : strncmp(source, "assumption", 10) == 0 ? "assumption" : "default");
        return;
    }
    const char *basis = "note";
    for (size_t f = 0; paths->strings && texts->strings && f < paths->size && f < texts->size; f++)
        if (strlen(paths->strings[f]) == (size_t)(colon - origin) &&
            strncmp(paths->strings[f], origin, (size_t)(colon - origin)) == 0) {
            k->comment = comment_above(c, texts->strings[f], atoi(colon + 1), &basis);
            break;
        }
    if (!k->comment)
        k->comment = copy(c, "");
    k->basis = copy(c, basis);
}

static void provenance(ctx *c, int names_from_groups)
{
    static const char prefix[] = "/provenance/scenarios/", suffix[] = "/effective_config";
    c->s->engine_version = attribute_text(c, "/provenance", "engine_version");
    c->s->created = attribute_text(c, "/provenance", "created");
    c->s->command_line = attribute_text(c, "/provenance", "command_line");
    c->s->seed = attribute_number(c, "/provenance", "seed");
    c->s->replications = attribute_number(c, "/provenance", "replications");
    for (int i = 0; !c->rc && i < cc_reader_count(c->reader); i++) {
        const char *p = cc_reader_path(c->reader, i);
        size_t n = strlen(p);
        if (strncmp(p, prefix, sizeof prefix - 1) != 0 || n < sizeof prefix + sizeof suffix ||
            strcmp(p + n - (sizeof suffix - 1), suffix) != 0)
            continue;
        char *group = format(c, "%.*s", (int)(n - (sizeof suffix - 1)), p);
        char *scenario = format(c, "%s", p + sizeof prefix - 1);
        char *fp = format(c, "%s/file_paths", group ? group : ""), *ft = format(c, "%s/file_texts", group ? group : "");
        cc_read_dataset config, paths = {0}, texts = {0};
        if (scenario)
            scenario[n - (sizeof prefix - 1) - (sizeof suffix - 1)] = '\0';
        char **names = scenario && names_from_groups ? grow(c, c->s->scenarios, c->s->nscenarios, sizeof *names) : NULL;
        if (names) { /* a file without a /scenario axis (sensitivity): the scenarios of its provenance */
            c->s->scenarios = names;
            if ((names[c->s->nscenarios] = copy(c, scenario)))
                c->s->nscenarios++;
        }
        if (scenario && fp && ft && read_dataset(c, p, &config) == 0) {
            if (has_path(c->reader, fp) && has_path(c->reader, ft)) {
                read_dataset(c, fp, &paths);
                read_dataset(c, ft, &texts);
            }
            for (size_t l = 0; !c->rc && config.strings && l < config.size; l++)
                add_key(c, scenario, config.strings[l], &paths, &texts);
            cc_read_dataset_free(&config);
        }
        cc_read_dataset_free(&paths);
        cc_read_dataset_free(&texts);
        free(group);
        free(scenario);
        free(fp);
        free(ft);
    }
}

/* ---- the whole ---------------------------------------------------------------------------- */

static void read_scenarios(ctx *c)
{
    if (!has_path(c->reader, "/scenario"))
        return;
    cc_read_dataset d;
    if (read_dataset(c, "/scenario", &d))
        return;
    if (d.strings && d.rank == 1) {
        c->s->scenarios = calloc(d.size ? d.size : 1, sizeof *c->s->scenarios);
        for (size_t i = 0; c->s->scenarios && i < d.size; i++)
            c->s->scenarios[c->s->nscenarios++] = copy(c, d.strings[i] ? d.strings[i] : "");
        if (!c->s->scenarios && !c->rc)
            c->rc = cc_error_set(c->err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    cc_read_dataset_free(&d);
}

int cc_summary_read(cc_reader *reader, cc_lang lang, cc_summary *out, cc_error *err)
{
    memset(out, 0, sizeof *out);
    out->seed = out->replications = NAN;
    ctx c = {reader, lang, out, err, 0};
    out->layout = attribute_text(&c, "/", "layout");
    const char *layout = out->layout ? out->layout : "";
    out->kind = copy(&c, strstr(layout, "capacity") ? "capacity"
                         : strstr(layout, "sensitivity") ? "sensitivity"
                         : strstr(layout, "results") ? "results" : "unknown");
    read_scenarios(&c);
    provenance(&c, out->nscenarios == 0);
    static const struct { const char *prefix, *en, *ja; void (*tables)(ctx *); } stages[] = {
        {"/population/", "no /population: the population table is left out", "/population がないため、人口の表を省きました",
         population_tables},
        {"/demand/", "no /demand: the health-care demand table is left out",
         "/demand がないため、医療需要の表を省きました", demand_tables},
        {"/coverage/", "no /coverage: the on-call tables are left out (the scenario has no [coverage] clinics table)",
         "/coverage がないため、夜間・休日対応の表を省きました（シナリオに [coverage] の診療所表がありません）", coverage_tables},
        {"/capacity/", "no /capacity: doctors needed are left out (carecast capacity -o writes them)",
         "/capacity がないため、必要医師数を省きました（carecast capacity -o で作れます）", capacity_tables},
        {"/sensitivity/", "no /sensitivity: the sensitivity tables are left out (carecast sensitivity -o writes them)",
         "/sensitivity がないため、感度分析の表を省きました（carecast sensitivity -o で作れます）", sensitivity_tables},
    };
    for (size_t i = 0; !c.rc && i < sizeof stages / sizeof stages[0]; i++) {
        if (has_prefix(reader, stages[i].prefix))
            stages[i].tables(&c);
        else
            add_absent(&c, "%s", tr(&c, stages[i].en, stages[i].ja));
    }
    if (c.rc)
        cc_summary_free(out);
    return c.rc;
}

void cc_summary_free(cc_summary *s)
{
    if (!s)
        return;
    for (int t = 0; t < s->ntables; t++) {
        cc_summary_table *tb = &s->tables[t];
        for (int r = 0; r < tb->nrows; r++) {
            for (int k = 0; tb->rows[r].cells && k < tb->ncolumns; k++) {
                free(tb->rows[r].cells[k].text);
                free(tb->rows[r].cells[k].dataset);
            }
            free(tb->rows[r].cells);
            free(tb->rows[r].label);
        }
        for (int k = 0; k < tb->ncolumns; k++)
            free(tb->columns[k]);
        free(tb->columns);
        free(tb->rows);
        free(tb->id);
        free(tb->title);
        free(tb->scenario);
        free(tb->note);
        free(tb->corner);
    }
    free(s->tables);
    for (int i = 0; i < s->nscenarios; i++)
        free(s->scenarios[i]);
    free(s->scenarios);
    for (int i = 0; i < s->nabsent; i++)
        free(s->absent[i]);
    free(s->absent);
    for (int i = 0; i < s->nkeys; i++) {
        cc_summary_key *k = &s->keys[i];
        free(k->scenario);
        free(k->section);
        free(k->key);
        free(k->value);
        free(k->origin);
        free(k->basis);
        free(k->comment);
    }
    free(s->keys);
    free(s->kind);
    free(s->layout);
    free(s->engine_version);
    free(s->created);
    free(s->command_line);
    memset(s, 0, sizeof *s);
    s->seed = s->replications = NAN;
}
