/* Japan's municipalities as scenarios (region.h): the register and IPSS tables read once into
 * one record per area, the lookup of a municipality by code or name (with the candidates of a
 * shared name and the close matches of an unknown one), and the scenario file of a
 * municipality: a few lines naming the shared template as base, and two small tables. Written
 * as files and loaded by the ordinary loader, a municipality's scenario is validated, recorded
 * in the provenance and editable like any other. */
#include "carecast/region.h"

#include "carecast/population.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv_table.h"

#define HAMADORI_CODE "07999" /* IPSS's combined 浜通り area */

static int nomem(cc_error *err) { return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory"); }

static int area_kind(const char *unit, cc_area_kind *kind)
{
    static const char *const units[] = {"municipality", "municipality_hamadori", "ward", "aggregate",
                                        "zero_population"};
    for (int k = 0; k < (int)(sizeof units / sizeof units[0]); k++)
        if (strcmp(unit, units[k]) == 0) {
            *kind = (cc_area_kind)k;
            return 0;
        }
    return -1;
}

static int find_area(const cc_regions *r, const char *code)
{
    int lo = 0, hi = r->nareas - 1; /* areas are in code order */
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(r->areas[mid].code, code);
        if (c == 0) return mid;
        if (c < 0) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

/* One group's both-sexes count split by the sex rows' shares (largest remainder): the sexes
 * keep their rows where the rows add up, and the few persons of no sex go to the sexes in
 * proportion. */
static void split_total(long total, long male, long female, long out[CC_SEXES])
{
    if (male + female == total || total < 0) {
        out[CC_MALE] = male;
        out[CC_FEMALE] = female;
        return;
    }
    double share = male + female > 0 ? (double)male / (double)(male + female) : 0.5;
    double exact = share * (double)total;
    out[CC_MALE] = (long)floor(exact);
    out[CC_FEMALE] = total - out[CC_MALE];
    if (exact - floor(exact) > 0.5 || (exact - floor(exact) == 0.5 && male > female)) {
        out[CC_MALE]++;
        out[CC_FEMALE]--;
    }
}

/* An area's 63 rows read: every sex and group present; the sexes split each group's count. */
static int finish_area(cc_region *a, long by_sex[3][CC_REGION_GROUPS], int seen[3][CC_REGION_GROUPS], const char *path,
                       cc_error *err)
{
    static const char *const sexes[3] = {"male", "female", "total"};
    a->total = 0;
    for (int s = 0; s < 3; s++)
        for (int g = 0; g < CC_REGION_GROUPS; g++)
            if (!seen[s][g])
                return cc_error_set(err, CC_ERR_TABLE, path, 0, "age_lo", "area %s has no row for sex %s, ages %d-%d",
                                    a->code, sexes[s], 5 * g, 5 * g + 4);
    for (int g = 0; g < CC_REGION_GROUPS; g++) {
        long split[CC_SEXES];
        split_total(by_sex[2][g], by_sex[0][g], by_sex[1][g], split);
        a->population[CC_MALE][g] = split[CC_MALE];
        a->population[CC_FEMALE][g] = split[CC_FEMALE];
        a->total += by_sex[2][g];
    }
    return 0;
}

static int read_register(cc_regions *r, const char *path, cc_error *err)
{
    cc_table t;
    int ret, ccode, cpref, cname, csex, clo, cpop, cunit, capacity = 0;
    long by_sex[3][CC_REGION_GROUPS];
    int seen[3][CC_REGION_GROUPS];
    if ((ret = cc_table_load(&t, path, err)) != 0)
        return ret;
    if ((ret = cc_table_column(&t, "area_code", &ccode, err)) || (ret = cc_table_column(&t, "prefecture", &cpref, err)) ||
        (ret = cc_table_column(&t, "municipality", &cname, err)) || (ret = cc_table_column(&t, "sex", &csex, err)) ||
        (ret = cc_table_column(&t, "age_lo", &clo, err)) || (ret = cc_table_column(&t, "population", &cpop, err)) ||
        (ret = cc_table_column(&t, "batch_unit", &cunit, err)))
        goto out;
    /* each area's rows together, areas in code order (the source's layout) */
    for (int row = 0; row < t.nrows; row++) {
        const char *code = t.cells[row][ccode];
        cc_region *a = r->nareas ? &r->areas[r->nareas - 1] : NULL;
        int line = t.row_line[row];
        if (!a || strcmp(a->code, code) != 0) {
            if (strlen(code) != 5 || strspn(code, "0123456789") != 5) {
                ret = cc_error_set(err, CC_ERR_TABLE, path, line, "area_code", "'%s' is not a 5-digit code", code);
                goto out;
            }
            if (a && strcmp(a->code, code) > 0) {
                ret = cc_error_set(err, CC_ERR_TABLE, path, line, "area_code",
                                   "areas must be in code order, each area's rows together (%s after %s)", code, a->code);
                goto out;
            }
            if (a && (ret = finish_area(a, by_sex, seen, path, err)) != 0)
                goto out;
            if (r->nareas == capacity) {
                cc_region *grown = realloc(r->areas, (size_t)(capacity = 2 * capacity + 64) * sizeof *grown);
                if (!grown) { ret = nomem(err); goto out; }
                r->areas = grown;
            }
            a = &r->areas[r->nareas++];
            memset(a, 0, sizeof *a);
            memcpy(a->code, code, 6);
            a->prefecture = strdup(t.cells[row][cpref]);
            a->name = strdup(t.cells[row][cname]);
            if (!a->prefecture || !a->name) { ret = nomem(err); goto out; }
            if (area_kind(t.cells[row][cunit], &a->kind) != 0) {
                ret = cc_error_set(err, CC_ERR_TABLE, path, line, "batch_unit", "unknown batch_unit '%s'", t.cells[row][cunit]);
                goto out;
            }
            memset(seen, 0, sizeof seen);
        }
        const char *sex = t.cells[row][csex];
        int s = strcmp(sex, "male") == 0 ? 0 : strcmp(sex, "female") == 0 ? 1 : strcmp(sex, "total") == 0 ? 2 : -1;
        long lo, pop;
        if (s < 0) { ret = cc_error_set(err, CC_ERR_TABLE, path, line, "sex", "sex must be total, male or female, not '%s'", sex); goto out; }
        if ((ret = cc_table_int(&t, row, clo, &lo, NULL, err)) || (ret = cc_table_int(&t, row, cpop, &pop, NULL, err)))
            goto out;
        if (lo % 5 != 0 || lo < 0 || lo / 5 >= CC_REGION_GROUPS || seen[s][lo / 5]) {
            ret = cc_error_set(err, CC_ERR_TABLE, path, line, "age_lo", "expected the groups 0, 5, ..., 100 once per sex");
            goto out;
        }
        if (pop < 0 || pop > CC_MAX_PERSONS_PER_GROUP) {
            ret = cc_error_set(err, CC_ERR_RANGE, path, line, "population", "%ld persons is out of range", pop);
            goto out;
        }
        seen[s][lo / 5] = 1;
        by_sex[s][lo / 5] = pop;
    }
    if (r->nareas == 0)
        ret = cc_error_set(err, CC_ERR_TABLE, path, 0, NULL, "no areas");
    else
        ret = finish_area(&r->areas[r->nareas - 1], by_sex, seen, path, err);
out:
    cc_table_free(&t);
    return ret;
}

static int read_totals(cc_regions *r, const char *path, cc_error *err)
{
    cc_table t;
    int ret, ccode, cname, cyear, ctotal;
    cc_region hamadori = {.ntargets = 0};
    if ((ret = cc_table_load(&t, path, err)) != 0)
        return ret;
    if ((ret = cc_table_column(&t, "area_code", &ccode, err)) || (ret = cc_table_column(&t, "municipality", &cname, err)) ||
        (ret = cc_table_column(&t, "year", &cyear, err)) || (ret = cc_table_column(&t, "total_population", &ctotal, err)))
        goto out;
    for (int row = 0; row < t.nrows; row++) {
        const char *code = t.cells[row][ccode];
        int i = find_area(r, code);
        cc_region *a = i >= 0 ? &r->areas[i] : strcmp(code, HAMADORI_CODE) == 0 ? &hamadori : NULL;
        if (!a)
            continue; /* prefectures, and IPSS's old wards of Hamamatsu */
        long year;
        double total;
        if ((ret = cc_table_int(&t, row, cyear, &year, NULL, err)) || (ret = cc_table_double(&t, row, ctotal, &total, err)))
            goto out;
        if (a->ntargets == CC_REGION_TARGETS || (a->ntargets && year <= a->target_year[a->ntargets - 1]) || total <= 0) {
            ret = cc_error_set(err, CC_ERR_TABLE, path, t.row_line[row], "year",
                               "area %s: at most %d years, increasing, with positive totals", code, CC_REGION_TARGETS);
            goto out;
        }
        a->target_year[a->ntargets] = (int)year;
        a->target_total[a->ntargets++] = total;
        if (a != &hamadori && !a->short_name && t.cells[row][cname][0] && !(a->short_name = strdup(t.cells[row][cname]))) {
            ret = nomem(err);
            goto out;
        }
    }
    /* the 13 浜通り municipalities: the area's totals by their shares of its register */
    long area_total = 0;
    for (int i = 0; i < r->nareas; i++)
        if (r->areas[i].kind == CC_AREA_HAMADORI)
            area_total += r->areas[i].total;
    for (int i = 0; i < r->nareas; i++) {
        cc_region *a = &r->areas[i];
        if (a->kind != CC_AREA_HAMADORI)
            continue;
        if (hamadori.ntargets == 0 || area_total <= 0) {
            ret = cc_error_set(err, CC_ERR_TABLE, path, 0, "area_code", "no totals for the 浜通り area (%s), which %s "
                               "needs", HAMADORI_CODE, a->code);
            goto out;
        }
        a->ntargets = hamadori.ntargets;
        for (int k = 0; k < hamadori.ntargets; k++) {
            a->target_year[k] = hamadori.target_year[k];
            a->target_total[k] = hamadori.target_total[k] * (double)a->total / (double)area_total;
        }
    }
    for (int i = 0; i < r->nareas; i++) {
        cc_region *a = &r->areas[i];
        if (a->kind == CC_AREA_MUNICIPALITY && a->ntargets == 0) {
            ret = cc_error_set(err, CC_ERR_TABLE, path, 0, "area_code", "no IPSS totals for municipality %s %s", a->code,
                               a->name);
            goto out;
        }
        if (!a->short_name) { /* no IPSS name (浜通り, wards): the name after its district */
            const char *gun = strstr(a->name, "郡");
            a->short_name = strdup(gun && gun != a->name && gun[strlen("郡")] ? gun + strlen("郡") : a->name);
            if (!a->short_name) { ret = nomem(err); goto out; }
        }
    }
out:
    cc_table_free(&t);
    return ret;
}

int cc_regions_load(cc_regions *r, const char *register_path, const char *totals_path, cc_error *err)
{
    memset(r, 0, sizeof *r);
    cc_error_clear(err);
    int ret = read_register(r, register_path, err);
    if (ret == 0)
        ret = read_totals(r, totals_path, err);
    if (ret == 0 && !(r->municipality = calloc((size_t)r->nareas + 1, sizeof *r->municipality)))
        ret = nomem(err);
    for (int i = 0; ret == 0 && i < r->nareas; i++)
        if (r->areas[i].kind == CC_AREA_MUNICIPALITY || r->areas[i].kind == CC_AREA_HAMADORI)
            r->municipality[r->nmunicipalities++] = i;
    if (ret != 0)
        cc_regions_free(r);
    return ret;
}

void cc_regions_free(cc_regions *r)
{
    for (int i = 0; r->areas && i < r->nareas; i++) {
        free(r->areas[i].prefecture);
        free(r->areas[i].name);
        free(r->areas[i].short_name);
    }
    free(r->areas);
    free(r->municipality);
    memset(r, 0, sizeof *r);
}

/* ---- finding a municipality -------------------------------------------------------------- */

static int is_municipality(const cc_region *a) { return a->kind == CC_AREA_MUNICIPALITY || a->kind == CC_AREA_HAMADORI; }

static int names_match(const cc_region *a, const char *q)
{
    size_t np = strlen(a->prefecture);
    if (strcmp(q, a->name) == 0 || strcmp(q, a->short_name) == 0)
        return 1;
    return strncmp(q, a->prefecture, np) == 0 && (strcmp(q + np, a->name) == 0 || strcmp(q + np, a->short_name) == 0);
}

/* Unicode code points of UTF-8 text (at most max). */
static int code_points(const char *s, unsigned *out, int max)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n < max;) {
        int len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
        unsigned cp = len == 1 ? *p : (unsigned)(*p & (0x3F >> (len - 1)));
        for (int i = 1; i < len && p[i]; i++)
            cp = (cp << 6) | (p[i] & 0x3F);
        out[n++] = cp;
        for (int i = 0; i < len && *p; i++)
            p++;
    }
    return n;
}

/* Characters the query and a name share (each of the name's counted once), minus a small
 * penalty for the name's other characters: 伊達 finds 伊達市 before 伊達郡川俣町. */
static double name_score(const char *query, const cc_region *a)
{
    unsigned q[64], n[64];
    int nq = code_points(query, q, 64), nn = code_points(a->short_name, n, 64), used[64] = {0}, shared = 0;
    for (int i = 0; i < nq; i++)
        for (int j = 0; j < nn; j++)
            if (!used[j] && q[i] == n[j]) {
                used[j] = 1;
                shared++;
                break;
            }
    return shared - 0.1 * (nn - shared);
}

/* Levenshtein distance of two short ASCII strings (codes). */
static int edit_distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b), d[16][16];
    if (la > 15 || lb > 15)
        return 99;
    for (int i = 0; i <= la; i++) d[i][0] = i;
    for (int j = 0; j <= lb; j++) d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

static void append(char *buf, size_t size, const char *fmt, const char *a, const char *b, const char *c)
{
    size_t used = strlen(buf);
    if (used < size)
        snprintf(buf + used, size - used, fmt, a, b, c);
}

enum { CLOSE_MATCHES = 5 };

/* The municipalities closest to an unknown query, best first, as "CODE NAME (PREF), ...". */
static void close_matches(const cc_regions *r, const char *query, int digits, char *buf, size_t size)
{
    int best[CLOSE_MATCHES], nbest = 0;
    double best_score[CLOSE_MATCHES];
    for (int m = 0; m < r->nmunicipalities; m++) {
        const cc_region *a = &r->areas[r->municipality[m]];
        double score;
        if (digits) {
            size_t prefix = 0;
            while (prefix < 5 && query[prefix] == a->code[prefix]) prefix++;
            /* a longer shared prefix first, then fewer edits, then the numerically nearest */
            score = 10.0 * (double)prefix - edit_distance(query, a->code) -
                    1e-6 * fabs(strtod(query, NULL) - strtod(a->code, NULL));
        } else {
            score = name_score(query, a);
            if (score <= 0) continue; /* no character in common */
        }
        int at = nbest < CLOSE_MATCHES ? nbest++ : CLOSE_MATCHES;
        if (at == CLOSE_MATCHES && score <= best_score[CLOSE_MATCHES - 1]) continue;
        if (at == CLOSE_MATCHES) at = CLOSE_MATCHES - 1;
        while (at > 0 && best_score[at - 1] < score) { /* stable: earlier codes first on ties */
            best[at] = best[at - 1];
            best_score[at] = best_score[at - 1];
            at--;
        }
        best[at] = r->municipality[m];
        best_score[at] = score;
    }
    buf[0] = '\0';
    for (int i = 0; i < nbest; i++)
        append(buf, size, i ? ", %s %s (%s)" : "%s %s (%s)", r->areas[best[i]].code, r->areas[best[i]].name,
               r->areas[best[i]].prefecture);
}

/* The municipality an area lies in (a ward's city: the same first four digits, kind 1 in IPSS,
 * code ending in 0), or NULL. */
static const cc_region *city_of(const cc_regions *r, const cc_region *ward)
{
    for (int i = 0; i < r->nareas; i++)
        if (is_municipality(&r->areas[i]) && strncmp(r->areas[i].code, ward->code, 3) == 0 &&
            r->areas[i].code[4] == '0' && ward->name && strncmp(ward->name, r->areas[i].name, strlen(r->areas[i].name)) == 0)
            return &r->areas[i];
    return NULL;
}

static int not_a_municipality(const cc_regions *r, const cc_region *a, const char *query, cc_error *err)
{
    static const char *const what[] = {"", "", "a ward", "a district or island total", "an area without residents"};
    const cc_region *city = a->kind == CC_AREA_WARD ? city_of(r, a) : NULL;
    if (city)
        return cc_error_set(err, CC_ERR_USAGE, "command line", 0, "region",
                            "'%s' is %s, %s %s (%s), inside %s %s: runs take whole municipalities (--region %s)", query,
                            what[a->kind], a->code, a->name, a->prefecture, city->code, city->name, city->code);
    return cc_error_set(err, CC_ERR_USAGE, "command line", 0, "region",
                        "'%s' is %s, %s %s (%s), not a municipality: give one of the municipalities it holds", query,
                        what[a->kind], a->code, a->name, a->prefecture);
}

/* The check digit of the 6-digit local government code. */
static char check_digit(const char *code)
{
    int sum = 0;
    for (int i = 0; i < 5; i++)
        sum += (code[i] - '0') * (6 - i);
    return (char)('0' + (11 - sum % 11) % 10);
}

int cc_regions_find(const cc_regions *r, const char *query, int *index, cc_error *err)
{
    char near[600];
    size_t len = strlen(query);
    *index = -1;
    if (len == 0)
        return cc_error_set(err, CC_ERR_USAGE, "command line", 0, "region", "give a municipality's code or name");
    if (strspn(query, "0123456789") == len) {
        char code[6];
        if (len == 6 && check_digit(query) == query[5]) {
            memcpy(code, query, 5);
            code[5] = '\0';
        } else {
            snprintf(code, sizeof code, "%s", len == 5 ? query : "");
        }
        int i = code[0] ? find_area(r, code) : -1;
        if (i >= 0 && is_municipality(&r->areas[i])) {
            *index = i;
            return 0;
        }
        if (i >= 0)
            return not_a_municipality(r, &r->areas[i], query, err);
        close_matches(r, query, 1, near, sizeof near);
        return cc_error_set(err, CC_ERR_USAGE, "command line", 0, "region",
                            "no municipality has the code '%s' (5 digits, or 6 with the check digit); closest: %s",
                            query, near);
    }
    int found[8], nfound = 0, other = -1;
    for (int i = 0; i < r->nareas; i++)
        if (names_match(&r->areas[i], query)) {
            if (!is_municipality(&r->areas[i])) {
                if (other < 0) other = i;
            } else if (nfound < 8) {
                found[nfound++] = i;
            }
        }
    if (nfound == 1) {
        *index = found[0];
        return 0;
    }
    if (nfound > 1) {
        char list[600] = "";
        for (int k = 0; k < nfound; k++)
            append(list, sizeof list, k ? ", %s %s (%s)" : "%s %s (%s)", r->areas[found[k]].code,
                   r->areas[found[k]].name, r->areas[found[k]].prefecture);
        return cc_error_set(err, CC_ERR_USAGE, "command line", 0, "region",
                            "'%s' names %d municipalities: %s; give the code or the prefecture and name "
                            "(e.g. --region %s or --region %s%s)", query, nfound, list, r->areas[found[0]].code,
                            r->areas[found[0]].prefecture, r->areas[found[0]].short_name);
    }
    if (other >= 0)
        return not_a_municipality(r, &r->areas[other], query, err);
    close_matches(r, query, 0, near, sizeof near);
    return cc_error_set(err, CC_ERR_USAGE, "command line", 0, "region",
                        "no municipality is called '%s' (names are in Japanese, as in the register: 柏市); %s%s", query,
                        near[0] ? "closest: " : "no name shares a character with it", near);
}

/* ---- writing a municipality's scenario ------------------------------------------------- */

void cc_region_scenario_name(const cc_region *a, char *buf, size_t size) { snprintf(buf, size, "%s_%s", a->code, a->name); }

static int table_path(const char *dir, const cc_region *a, const char *what, char *buf, size_t size)
{
    return snprintf(buf, size, "%s/data/%s_%s.csv", dir, a->code, what) >= (int)size ? -1 : 0;
}

static int write_file(const char *path, const char *text, cc_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(errno));
    int bad = fputs(text, f) < 0;
    bad |= fclose(f) != 0;
    return bad ? cc_error_set(err, CC_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(errno)) : 0;
}

int cc_region_write_scenario(const cc_regions *r, int index, const char *dir, const char *base_ini, char *path,
                             size_t size, cc_error *err)
{
    if (index < 0 || index >= r->nareas || !is_municipality(&r->areas[index]))
        return cc_error_set(err, CC_ERR_USAGE, NULL, 0, "region", "area %d is not a municipality", index);
    const cc_region *a = &r->areas[index];
    char name[256], data[4096], base_csv[4096], totals_csv[4096];
    cc_region_scenario_name(a, name, sizeof name);
    if (snprintf(data, sizeof data, "%s/data", dir) >= (int)sizeof data ||
        snprintf(path, size, "%s/%s.ini", dir, name) >= (int)size ||
        table_path(dir, a, "register_2025_5y_sex", base_csv, sizeof base_csv) != 0 ||
        table_path(dir, a, "ipss2023_totals", totals_csv, sizeof totals_csv) != 0)
        return cc_error_set(err, CC_ERR_IO, dir, 0, NULL, "folder name too long");
    if (mkdir(data, 0777) != 0 && errno != EEXIST)
        return cc_error_set(err, CC_ERR_IO, data, 0, NULL, "cannot create the folder: %s", strerror(errno));

    char text[4096];
    size_t used = (size_t)snprintf(text, sizeof text, "sex,age_lo,age_hi,population\n");
    for (int sex = 0; sex < CC_SEXES; sex++)
        for (int g = 0; g < CC_REGION_GROUPS; g++) {
            char hi[8] = "";
            if (g < CC_REGION_GROUPS - 1)
                snprintf(hi, sizeof hi, "%d", 5 * g + 4);
            used += (size_t)snprintf(text + used, sizeof text - used, "%s,%d,%s,%ld\n", sex == CC_MALE ? "male" : "female",
                                     5 * g, hi, a->population[sex][g]);
        }
    int ret = write_file(base_csv, text, err);
    if (ret != 0) return ret;
    used = (size_t)snprintf(text, sizeof text, "year,total_population\n");
    for (int k = 0; k < a->ntargets; k++) /* whole persons as published; the 浜通り shares to 0.001 */
        used += (size_t)snprintf(text + used, sizeof text - used, a->kind == CC_AREA_HAMADORI ? "%d,%.3f\n" : "%d,%.0f\n",
                                 a->target_year[k], a->target_total[k]);
    if ((ret = write_file(totals_csv, text, err)) != 0) return ret;

    char ini[8192];
    int n = snprintf(ini, sizeof ini,
        "; %s (%s, code %s): a municipality's scenario, written by carecast from the shipped tables.\n"
        "; The base file holds every other key (national mortality, fertility and demand rates; see its\n"
        "; comments); a key set here overrides it. Run: carecast run %s.ini\n\n"
        "[scenario]\nname = %s\nbase = %s\n\n"
        "[population]\n"
        "; source: resident register (住民基本台帳) 2025-01-01, its rows of jp_municipal_register_2025_5y_sex.csv\n"
        "; (5-year groups by sex; the both-sexes row of each group is its count: data/SOURCES.md)\n"
        "base_population = data/%s_register_2025_5y_sex.csv\n\n"
        "[migration]\n"
        "; source: IPSS 2023 municipal projection: %s;\n; the level per period is calibrated to it\n"
        "calibrate_to = data/%s_ipss2023_totals.csv\n\n"
        "[demand]\n"
        "; your figures, not in the data: the clinics outpatient visits are divided by (without them\n"
        "; visits_per_clinic is NaN), and your beds (with them, the probability each year that beds\n"
        "; needed exceed them)\n"
        "; clinics = 251\n; bed_capacity = 1000\n\n"
        "[coverage]\n"
        "; the on-call simulation of home-care patients: your clinics table (scenarios/README.md,\n"
        "; \"The clinics table\"), your blocks and your area in km2\n"
        "; clinics = data/clinics.csv\n; blocks = 3\n; area_km2 = 100\n",
        a->name, a->prefecture, a->code, name, name, base_ini, a->code,
        a->kind == CC_AREA_HAMADORI ? "the 浜通り area's totals (07999) times its share of the\n; "
                                      "area's 2025 register (IPSS gives only the 13 municipalities' sum)"
                                    : "its own totals in jp_municipal_ipss2023_totals.csv",
        a->code);
    if (n >= (int)sizeof ini)
        return cc_error_set(err, CC_ERR_IO, path, 0, NULL, "base path too long");
    return write_file(path, ini, err);
}

void cc_region_remove_scenario(const cc_regions *r, int index, const char *dir)
{
    if (index < 0 || index >= r->nareas)
        return;
    const cc_region *a = &r->areas[index];
    char name[256], path[4096];
    cc_region_scenario_name(a, name, sizeof name);
    if (snprintf(path, sizeof path, "%s/%s.ini", dir, name) < (int)sizeof path)
        unlink(path);
    if (table_path(dir, a, "register_2025_5y_sex", path, sizeof path) == 0)
        unlink(path);
    if (table_path(dir, a, "ipss2023_totals", path, sizeof path) == 0)
        unlink(path);
}
