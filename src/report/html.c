/* `carecast report`: one self-contained HTML page for a council or a medical association
 * meeting (summary.h: cc_report_html). It holds the charts inline as SVG (drawn by
 * cc_plot_results into a private mkdtemp folder that is removed afterwards), the headline
 * tables (headline.c: the same reading as `carecast summary`), the keys the answer leans on
 * with whether each is an assumption, and the seed, scenarios and engine version.
 *
 * Safety: every text from the results file goes through cc_html_text (& < > " ' become
 * entities), so a scenario named <script>... stays text. The SVG files are our own gnuplot
 * output, but they carry the file's names too, so they are not trusted either: each is
 * re-emitted tag by tag, and one with active or external content (script, foreignObject,
 * event attributes, a link that is not to the chart itself) is refused, not embedded. Ids are
 * prefixed per chart, because gnuplot gives every chart the same ids (gpPt0, gpClip_1...) and
 * one page must not have two elements with one id (the second chart would be clipped by the
 * first chart's rectangle). Nothing is referenced outside the page: no http:, no <link>, no
 * external script or font (the system's fonts; print: black on white, a page per section,
 * figures and tables not cut). */
#include "carecast/summary.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "textout.h"

typedef struct {
    FILE *f;
    int bad;
    cc_lang lang;
} page;

static void raw(page *p, const char *markup) { p->bad |= fputs(markup, p->f) == EOF; }
static void text(page *p, const char *s) { p->bad |= cc_html_text(p->f, s) != 0; }
static const char *tr(const page *p, const char *en, const char *ja) { return p->lang == CC_LANG_JA ? ja : en; }

/* ---- SVG ---------------------------------------------------------------------------------- */

/* Elements that run code, reach outside the page or pull in other documents. */
static int forbidden_element(const char *name, size_t n)
{
    static const char *const names[] = {"script", "foreignobject", "iframe", "object", "embed", "style", "image",
                                        "a", "link", "meta", "base", "audio", "video", "animate", "set",
                                        "animatemotion", "animatetransform", "handler", "feimage", "use-external"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && strncasecmp(names[i], name, n) == 0)
            return 1;
    return 0;
}

/* Copy n bytes of text, valid UTF-8 only (an invalid byte becomes U+FFFD). */
static void copy_utf8(page *p, const char *s, size_t n)
{
    int len;
    for (const unsigned char *u = (const unsigned char *)s; n > 0; u += len, n -= (size_t)len) {
        if (cc_utf8_decode(u, n, &len) < 0)
            raw(p, "\xEF\xBF\xBD");
        else
            p->bad |= fwrite(u, 1, (size_t)len, p->f) != (size_t)len;
    }
}

/* The ids of one chart and how often each was defined so far: gnuplot repeats ids inside one
 * chart too (each panel of a multiplot defines gpPt0..., gnuplot_plot_1 again), so the n-th
 * definition of an id becomes "<id>-<n>" and a reference means the latest definition. */
typedef struct {
    char **names;
    int *count;
    int n, cap;
} id_table;

static int *id_slot(id_table *t, const char *name, size_t len)
{
    for (int i = 0; i < t->n; i++)
        if (strlen(t->names[i]) == len && memcmp(t->names[i], name, len) == 0)
            return &t->count[i];
    if (t->n == t->cap) {
        int cap = t->cap ? 2 * t->cap : 64;
        char **names = realloc(t->names, (size_t)cap * sizeof *names);
        if (names)
            t->names = names;
        int *count = names ? realloc(t->count, (size_t)cap * sizeof *count) : NULL;
        if (!count)
            return NULL;
        t->count = count;
        t->cap = cap;
    }
    if (!(t->names[t->n] = strndup(name, len)))
        return NULL;
    t->count[t->n] = 0;
    return &t->count[t->n++];
}

static void id_table_free(id_table *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->names[i]);
    free(t->names);
    free(t->count);
}

/* Write the id (or a reference to it) as this chart's: prefix, name, and "-n" from its second
 * definition on. -1 when out of memory. */
static int write_id(page *p, id_table *ids, const char *prefix, const char *name, size_t len, int define)
{
    int *count = id_slot(ids, name, len);
    if (!count)
        return -1;
    if (define)
        ++*count;
    raw(p, prefix);
    copy_utf8(p, name, len);
    if (*count > 1)
        p->bad |= fprintf(p->f, "-%d", *count) < 0;
    return 0;
}

/* An attribute value, with this chart's prefix on local references. 0, or -1 when it points
 * outside the chart. */
static int attribute_value(page *p, id_table *ids, const char *name, size_t nn, const char *v, size_t vn,
                           const char *prefix)
{
    if (nn >= 4 && strncasecmp(name + nn - 4, "href", 4) == 0) {
        if (vn == 0 || v[0] != '#')
            return -1;
        raw(p, "#");
        return write_id(p, ids, prefix, v + 1, vn - 1, 0);
    }
    if (nn == 2 && strncasecmp(name, "id", 2) == 0)
        return write_id(p, ids, prefix, v, vn, 1);
    for (size_t i = 0; i < vn;) {
        if (vn - i >= 4 && strncasecmp(v + i, "url(", 4) == 0) {
            size_t j = i + 4;
            while (j < vn && (v[j] == ' ' || v[j] == '\'' || v[j] == '"'))
                j++;
            if (j >= vn || v[j] != '#')
                return -1;
            copy_utf8(p, v + i, j + 1 - i);
            size_t k = j + 1;
            while (k < vn && v[k] != ')' && v[k] != '\'' && v[k] != '"' && v[k] != ' ')
                k++;
            if (write_id(p, ids, prefix, v + j + 1, k - j - 1, 0) != 0)
                return -1;
            i = k;
        } else if (vn - i >= 11 && strncasecmp(v + i, "javascript:", 11) == 0) {
            return -1;
        } else {
            copy_utf8(p, v + i, 1);
            i++;
        }
    }
    return 0;
}

/* Re-emit one tag (from '<' to '>' inclusive, n bytes). 0, or -1 when it is not allowed. */
static int svg_tag(page *p, id_table *ids, const char *t, size_t n, const char *prefix)
{
    size_t i = 1;
    int closing = t[i] == '/';
    i += (size_t)closing;
    size_t name0 = i;
    while (i < n && t[i] != '>' && t[i] != '/' && t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r')
        i++;
    if (i == name0 || forbidden_element(t + name0, i - name0))
        return -1;
    raw(p, closing ? "</" : "<");
    copy_utf8(p, t + name0, i - name0);
    while (i < n) {
        while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
            i++;
        if (i >= n || t[i] == '>' || t[i] == '/')
            break;
        size_t a0 = i;
        while (i < n && t[i] != '=' && t[i] != ' ' && t[i] != '>' && t[i] != '/' && t[i] != '\n' && t[i] != '\t')
            i++;
        size_t an = i - a0;
        if (an == 0)
            return -1;
        if (an >= 2 && strncasecmp(t + a0, "on", 2) == 0)
            return -1; /* an event handler */
        const char *v = "";
        size_t vn = 0;
        char quote = '"';
        while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
            i++; /* gnuplot writes "fill = 'x'" in places */
        if (i < n && t[i] == '=') {
            i++;
            while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
                i++;
            if (i >= n || (t[i] != '"' && t[i] != '\''))
                return -1; /* gnuplot quotes every value */
            quote = t[i++];
            v = t + i;
            while (i < n && t[i] != quote)
                i++;
            if (i >= n)
                return -1;
            vn = (size_t)(t + i - v);
            i++;
        }
        /* namespace declarations are implied inside HTML (and would put http: in the page) */
        if ((an == 5 && strncasecmp(t + a0, "xmlns", 5) == 0) || (an > 6 && strncasecmp(t + a0, "xmlns:", 6) == 0))
            continue;
        raw(p, " ");
        copy_utf8(p, t + a0, an);
        raw(p, quote == '"' ? "=\"" : "='");
        if (attribute_value(p, ids, t + a0, an, v, vn, prefix) != 0)
            return -1;
        raw(p, quote == '"' ? "\"" : "'");
    }
    raw(p, i < n && t[i] == '/' ? "/>" : ">");
    return 0;
}

/* Embed the SVG document text: from its <svg> element to the matching end, comments and
 * declarations dropped. 0, or -1 when it holds something not allowed. */
static int svg_embed(page *p, const char *svg, const char *prefix)
{
    const char *s = strstr(svg, "<svg");
    if (!s)
        return -1;
    int depth = 0, rc = 0;
    id_table ids = {0};
    while (*s) {
        if (*s != '<') {
            size_t n = strcspn(s, "<");
            copy_utf8(p, s, n);
            s += n;
            continue;
        }
        if (strncmp(s, "<!--", 4) == 0 || strncmp(s, "<?", 2) == 0 || strncmp(s, "<!", 2) == 0) {
            const char *end = strncmp(s, "<!--", 4) == 0 ? strstr(s, "-->") : strchr(s, '>');
            if (!end) {
                rc = -1;
                break;
            }
            s = end + (strncmp(s, "<!--", 4) == 0 ? 3 : 1);
            continue;
        }
        const char *e = s + 1;
        for (char q = 0; *e && (q || *e != '>'); e++)
            if (*e == '"' || *e == '\'')
                q = q == *e ? 0 : q ? q : *e;
        size_t n = (size_t)(e - s) + 1;
        if (!*e || svg_tag(p, &ids, s, n, prefix) != 0) {
            rc = -1;
            break;
        }
        if (s[1] == '/')
            depth--;
        else if (e[-1] != '/')
            depth++;
        s = e + 1;
        if (depth == 0)
            break;
    }
    id_table_free(&ids);
    return rc == 0 && depth == 0 ? 0 : -1;
}

static char *read_file(const char *path, size_t limit)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t size = 0, cap = 65536;
    char *buf = malloc(cap);
    for (size_t n; buf && (n = fread(buf + size, 1, cap - size - 1, f)) > 0;) {
        size += n;
        if (size + 1 == cap) {
            char *bigger = cap < limit ? realloc(buf, cap * 2) : NULL;
            if (!bigger) {
                free(buf);
                buf = NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        buf[size] = '\0';
    return buf;
}

/* ---- the charts seam ---------------------------------------------------------------------- */

/* The charts to embed: drawn by cc_plot_results as SVG into dir. */
static int draw_charts(const char *results, const char *dir, cc_lang lang, volatile sig_atomic_t *interrupted,
                       cc_plot_list *list, cc_error *err)
{
    return cc_plot_results(results, dir, CC_PLOT_SVG, lang, interrupted, list, err);
}

/* Remove the private chart folder and what is in it (only plain names, never a path). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        for (struct dirent *e; (e = readdir(d));) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            size_t n = strlen(dir) + strlen(e->d_name) + 2;
            char *path = malloc(n);
            if (path) {
                snprintf(path, n, "%s/%s", dir, e->d_name);
                unlink(path);
                free(path);
            }
        }
        closedir(d);
    }
    rmdir(dir);
}

/* ---- sections ----------------------------------------------------------------------------- */

static const char style[] =
    "<style>\n"
    ":root{color-scheme:light}\n"
    "body{font-family:system-ui,\"Noto Sans CJK JP\",\"Hiragino Sans\",\"Yu Gothic\",\"Meiryo\",sans-serif;"
    "max-width:60rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#111;background:#fff}\n"
    "h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.3rem;border-bottom:2px solid #333;margin-top:2.5rem}\n"
    "h3{font-size:1.05rem;margin:1.5rem 0 .3rem}\n"
    ".meta{color:#333}.note{font-size:.9rem;color:#333;margin:.2rem 0 1rem}\n"
    "table{border-collapse:collapse;margin:.4rem 0 1rem;font-variant-numeric:tabular-nums;font-size:.92rem}\n"
    "th,td{border:1px solid #999;padding:.2rem .45rem;vertical-align:top}\n"
    "thead th{background:#eee}td.num{text-align:right;white-space:nowrap}tbody th{text-align:left;font-weight:normal}\n"
    "figure{margin:1rem 0 2rem}figure svg{display:block;max-width:100%;height:auto}\n"
    "figcaption{font-size:.9rem;color:#333}\n"
    ".basis-assumption{font-weight:bold}\n"
    "dl.terms dt{font-weight:bold;margin-top:.5rem}dl.terms dd{margin-left:1.2rem}\n"
    "@page{size:A4;margin:14mm}\n"
    "@media print{\n"
    "  body{max-width:none;margin:0;padding:0;color:#000;background:#fff;font-size:10.5pt}\n"
    "  *{color:#000 !important;background:transparent !important;box-shadow:none !important}\n"
    "  thead th{background:#fff !important}\n"
    "  section{break-before:page;page-break-before:always}\n"
    "  section.first{break-before:auto;page-break-before:auto}\n"
    "  h2,h3{break-after:avoid;page-break-after:avoid}\n"
    "  figure,table,tr{break-inside:avoid;page-break-inside:avoid}\n"
    "  figure svg{max-width:100%;max-height:240mm;height:auto}\n"
    "}\n"
    "</style>\n";

static void head(page *p, const cc_summary *s, const char *results_name)
{
    raw(p, "<!DOCTYPE html>\n<html lang=\"");
    raw(p, tr(p, "en", "ja"));
    raw(p, "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    text(p, tr(p, "carecast report: ", "carecast 報告: "));
    for (int i = 0; i < s->nscenarios; i++) {
        text(p, i ? ", " : "");
        text(p, s->scenarios[i]);
    }
    if (s->nscenarios == 0)
        text(p, results_name);
    raw(p, "</title>\n");
    raw(p, style);
    raw(p, "</head>\n<body>\n");
}

static void meta_line(page *p, const cc_summary *s, const char *results_name)
{
    char buf[64];
    raw(p, "<p class=\"meta\">");
    text(p, tr(p, "Scenario: ", "シナリオ: "));
    for (int i = 0; i < s->nscenarios; i++) {
        text(p, i ? ", " : "");
        raw(p, "<strong>");
        text(p, s->scenarios[i]);
        raw(p, "</strong>");
    }
    if (!isnan(s->seed)) {
        snprintf(buf, sizeof buf, "%.0f", s->seed);
        text(p, tr(p, " · seed ", " ・ 乱数の種 "));
        text(p, buf);
    }
    if (!isnan(s->replications)) {
        snprintf(buf, sizeof buf, "%.0f", s->replications);
        text(p, tr(p, " · replications ", " ・ 反復回数 "));
        text(p, buf);
    }
    text(p, tr(p, " · engine carecast ", " ・ carecast "));
    text(p, s->engine_version ? s->engine_version : "?");
    text(p, tr(p, " · file ", " ・ ファイル "));
    text(p, results_name);
    if (s->created) {
        text(p, tr(p, " · computed ", " ・ 計算日時 "));
        text(p, s->created);
    }
    raw(p, "</p>\n");
}

static void reading_guide(page *p)
{
    raw(p, "<section class=\"first\" id=\"reading\">\n<h2>");
    text(p, tr(p, "How to read this report", "この報告の読み方"));
    raw(p, "</h2>\n<dl class=\"terms\">\n");
    static const char *const en[][2] = {
        {"Replications and bands", "The model is run many times (replications), each with other random draws of births, "
                                   "deaths, migration, illness and calls. A figure is the median over the replications (half "
                                   "lie above, half below); the 90% band in brackets holds 9 replications in 10 (from the 5th "
                                   "to the 95th percentile). A wide band means the figure is uncertain, not wrong."},
        {"Assumptions", "Some inputs are not measured but assumed (for example how fast the trends of hospital use fade, "
                        "or how many urgent calls need a visit). They are listed at the end with their value; each can be "
                        "changed in the scenario and the run repeated. The answer holds only as far as they do."},
        {"Pairing and rotation", "Pairing: each home-care doctor (primary) has a backup clinic whose doctors answer his or "
                                 "her patients at night in turn. Rotation: all participating doctors take turns on night "
                                 "duty for all patients of a block. Solo: each doctor answers his or her own patients every "
                                 "night. Cooperative: the backup clinics' doctors take turns for everyone."},
        {"Load limits", "A doctor-month is within the limits with at most the set number of duty nights and of disturbed "
                        "nights (nights with a call); the limits are for the medical association to set."},
    };
    static const char *const ja[][2] = {
        {"反復計算と幅", "このモデルは、出生・死亡・転入転出・受療・急な呼び出しを乱数で変えながら何度も計算します（反復計算）。"
                         "表の数字はその中央値（半分がこれより上、半分が下）で、括弧内の90%の幅には10回のうち9回の結果が入ります"
                         "（5パーセンタイルから95パーセンタイル）。幅が広いのは見通しが不確かだということで、誤りではありません。"},
        {"仮定", "入力の一部は測られた値ではなく、仮に置いた値（仮定）です（例: 入院率の低下がどのくらいの速さで弱まるか、"
                 "急な呼び出しのうち往診が必要な割合）。最後に一覧があります。どれもシナリオで変えて計算し直せます。"
                 "結論は、これらの仮定が成り立つ範囲でのみ成り立ちます。"},
        {"主治医・副主治医制と輪番制", "主治医・副主治医制: 在宅医療を担う主治医ごとに支援診療所（副主治医）が組になり、"
                                       "夜間はその診療所の医師が交代で患者に対応します。輪番制: 参加するすべての医師が、"
                                       "地区のすべての患者について交代で夜間の当番をします。単独: 各医師が毎晩自分の患者に対応します。"
                                       "協同当番: 支援診療所の医師が全員分を交代で受け持ちます。"},
        {"負担の上限", "医師1人・1か月あたりの当直の夜と、呼び出された夜の数が、定めた上限以下なら「上限内」です。"
                       "上限は医師会が決めるものです。"},
    };
    for (int i = 0; i < 4; i++) {
        raw(p, "<dt>");
        text(p, p->lang == CC_LANG_JA ? ja[i][0] : en[i][0]);
        raw(p, "</dt><dd>");
        text(p, p->lang == CC_LANG_JA ? ja[i][1] : en[i][1]);
        raw(p, "</dd>\n");
    }
    raw(p, "</dl>\n</section>\n");
}

static void table_html(page *p, const cc_summary_table *t)
{
    raw(p, "<h3>");
    text(p, t->title);
    raw(p, "</h3>\n");
    if (t->note) {
        raw(p, "<p class=\"note\">");
        text(p, t->note);
        raw(p, "</p>\n");
    }
    raw(p, "<table><thead><tr><th scope=\"col\">");
    text(p, t->corner);
    raw(p, "</th>");
    for (int k = 0; k < t->ncolumns; k++) {
        raw(p, "<th scope=\"col\">");
        text(p, t->columns[k]);
        raw(p, "</th>");
    }
    raw(p, "</tr></thead>\n<tbody>\n");
    for (int r = 0; r < t->nrows; r++) {
        raw(p, "<tr><th scope=\"row\">");
        text(p, t->rows[r].label);
        raw(p, "</th>");
        for (int k = 0; k < t->ncolumns; k++) {
            char cell[128];
            cc_summary_cell_format(&t->rows[r].cells[k], cell, sizeof cell);
            raw(p, t->rows[r].cells[k].text ? "<td>" : "<td class=\"num\">");
            text(p, cell);
            raw(p, "</td>");
        }
        raw(p, "</tr>\n");
    }
    raw(p, "</tbody></table>\n");
}

static void headline_section(page *p, const cc_summary *s)
{
    raw(p, "<section id=\"headline\">\n<h2>");
    text(p, tr(p, "Headline numbers", "主な数字"));
    raw(p, "</h2>\n");
    for (int t = 0; t < s->ntables; t++)
        table_html(p, &s->tables[t]);
    if (s->ntables == 0) {
        raw(p, "<p>");
        text(p, tr(p, "This file holds none of the headline series.", "このファイルには主な数字の系列がありません。"));
        raw(p, "</p>\n");
    }
    raw(p, "</section>\n");
}

/* The charts, each inline; returns -1 (err filled) when one cannot be read or is refused. */
static int charts_section(page *p, const cc_plot_list *list, const char *dir, cc_error *err)
{
    raw(p, "<section id=\"charts\">\n<h2>");
    text(p, tr(p, "Charts", "図"));
    raw(p, "</h2>\n");
    for (int i = 0; i < list->ncharts; i++) {
        const cc_plot_chart *c = &list->charts[i];
        if (!c->file || strchr(c->file, '/') || strcmp(c->file, "..") == 0)
            return cc_error_set(err, CC_ERR_IO, dir, 0, NULL, "chart %d has no plain file name", i);
        size_t n = strlen(dir) + strlen(c->file) + 2;
        char *path = malloc(n), prefix[32];
        if (!path)
            return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        snprintf(path, n, "%s/%s", dir, c->file);
        char *svg = read_file(path, (size_t)256 << 20);
        free(path);
        if (!svg)
            return cc_error_set(err, CC_ERR_IO, c->file, 0, NULL, "cannot read the chart drawn for the report");
        snprintf(prefix, sizeof prefix, "c%d-", i + 1);
        raw(p, "<figure class=\"chart\" data-kind=\"");
        text(p, c->kind ? c->kind : "");
        raw(p, "\" data-file=\"");
        text(p, c->file);
        raw(p, "\">\n");
        int rc = svg_embed(p, svg, prefix);
        free(svg);
        if (rc)
            return cc_error_set(err, CC_ERR_IO, c->file, 0, NULL,
                                "the chart holds content that is not allowed in the report (a script, an event "
                                "attribute or an outside reference); it was not embedded");
        raw(p, "\n<figcaption>");
        text(p, c->title ? c->title : "");
        raw(p, "</figcaption>\n</figure>\n");
    }
    if (list->nskipped > 0) {
        raw(p, "<p class=\"note\">");
        text(p, tr(p, "Not drawn:", "描かなかった図:"));
        raw(p, "</p>\n<ul class=\"note\">\n");
        for (int i = 0; i < list->nskipped; i++) {
            raw(p, "<li>");
            text(p, list->skipped[i]);
            raw(p, "</li>\n");
        }
        raw(p, "</ul>\n");
    }
    raw(p, "</section>\n");
    return 0;
}

static const char *basis_label(const page *p, const char *basis)
{
    static const char *const names[][3] = {
        {"assumption", "assumption", "仮定"},      {"source", "source data", "出典データ"},
        {"derived", "derived from data", "データから算出"}, {"choice", "user's choice", "利用者の選択"},
        {"default", "default", "既定値"},          {"command line", "set on the command line", "コマンドラインで指定"},
        {"note", "see note", "注記を参照"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(basis, names[i][0]) == 0)
            return names[i][p->lang == CC_LANG_JA ? 2 : 1];
    return basis;
}

static void assumptions_section(page *p, const cc_summary *s)
{
    static const char *const order[] = {"assumption", "command line", "derived", "source", "choice", "note", "default"};
    raw(p, "<section id=\"assumptions\">\n<h2>");
    text(p, tr(p, "What the answer leans on", "結論が依りどころとする前提"));
    raw(p, "</h2>\n<p class=\"note\">");
    text(p, tr(p, "The model's inputs in effect for this run (from the file's provenance), assumptions first. "
                  "\"Assumption\": the scenario says the value is assumed, not measured; the note is the scenario's own "
                  "comment on the key. Input tables (rates, registers, clinics) are listed with their checksums in the file.",
               "この計算で使われた入力（ファイルの来歴情報から）。仮定を先に並べます。「仮定」はシナリオが測定値ではなく"
               "仮に置いた値だと明記しているものです。注記はシナリオに書かれたその項目のコメントです。"
               "入力の表（率、住民基本台帳、診療所）はチェックサムとともにファイルに記録されています。"));
    raw(p, "</p>\n");
    if (s->nkeys == 0) {
        raw(p, "<p>");
        text(p, tr(p, "This file records no configuration.", "このファイルには設定の記録がありません。"));
        raw(p, "</p>\n</section>\n");
        return;
    }
    raw(p, "<table><thead><tr>");
    if (s->nscenarios > 1) {
        raw(p, "<th scope=\"col\">");
        text(p, tr(p, "scenario", "シナリオ"));
        raw(p, "</th>");
    }
    static const char *const en[] = {"key", "value", "basis", "note"}, *const ja[] = {"項目", "値", "根拠", "注記"};
    for (int k = 0; k < 4; k++) {
        raw(p, "<th scope=\"col\">");
        text(p, p->lang == CC_LANG_JA ? ja[k] : en[k]);
        raw(p, "</th>");
    }
    raw(p, "</tr></thead>\n<tbody>\n");
    size_t norder = sizeof order / sizeof order[0];
    for (size_t o = 0; o <= norder; o++) /* the last round: any basis not in the list */
        for (int i = 0; i < s->nkeys; i++) {
            const cc_summary_key *k = &s->keys[i];
            size_t rank = 0;
            while (rank < norder && strcmp(k->basis, order[rank]) != 0)
                rank++;
            if (rank != o)
                continue;
            raw(p, "<tr>");
            if (s->nscenarios > 1) {
                raw(p, "<td>");
                text(p, k->scenario);
                raw(p, "</td>");
            }
            raw(p, "<td>[");
            text(p, k->section);
            raw(p, "] ");
            text(p, k->key);
            raw(p, "</td><td>");
            text(p, k->value);
            raw(p, strcmp(k->basis, "assumption") == 0 ? "</td><td class=\"basis-assumption\">" : "</td><td>");
            text(p, basis_label(p, k->basis));
            raw(p, "</td><td>");
            text(p, k->comment);
            raw(p, "</td></tr>\n");
        }
    raw(p, "</tbody></table>\n</section>\n");
}

static void provenance_section(page *p, const cc_summary *s, const char *results_name)
{
    raw(p, "<section id=\"provenance\">\n<h2>");
    text(p, tr(p, "Where these figures come from", "この数字の出どころ"));
    raw(p, "</h2>\n<table><tbody>\n");
    char seed[64] = "-", reps[64] = "-";
    if (!isnan(s->seed))
        snprintf(seed, sizeof seed, "%.0f", s->seed);
    if (!isnan(s->replications))
        snprintf(reps, sizeof reps, "%.0f", s->replications);
    const char *rows[][2] = {
        {tr(p, "results file", "結果ファイル"), results_name},
        {tr(p, "kind", "種類"), s->kind},
        {tr(p, "seed", "乱数の種"), seed},
        {tr(p, "replications", "反復回数"), reps},
        {tr(p, "engine version", "carecast のバージョン"), s->engine_version ? s->engine_version : "-"},
        {tr(p, "computed", "計算日時"), s->created ? s->created : "-"},
        {tr(p, "command", "コマンド"), s->command_line ? s->command_line : "-"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        raw(p, "<tr><th scope=\"row\">");
        text(p, rows[i][0]);
        raw(p, "</th><td>");
        text(p, rows[i][1]);
        raw(p, "</td></tr>\n");
    }
    raw(p, "<tr><th scope=\"row\">");
    text(p, tr(p, "scenarios", "シナリオ"));
    raw(p, "</th><td>");
    for (int i = 0; i < s->nscenarios; i++) {
        text(p, i ? ", " : "");
        text(p, s->scenarios[i]);
    }
    raw(p, "</td></tr>\n</tbody></table>\n");
    if (s->nabsent) {
        raw(p, "<p class=\"note\">");
        text(p, tr(p, "Not in this file:", "このファイルにないもの:"));
        raw(p, "</p>\n<ul class=\"note\">\n");
        for (int i = 0; i < s->nabsent; i++) {
            raw(p, "<li>");
            text(p, s->absent[i]);
            raw(p, "</li>\n");
        }
        raw(p, "</ul>\n");
    }
    raw(p, "</section>\n");
}

/* ---- the page ----------------------------------------------------------------------------- */

static int write_page(FILE *f, const cc_summary *s, const cc_plot_list *charts, const char *dir, const char *results,
                      cc_lang lang, cc_error *err)
{
    page p = {f, 0, lang};
    const char *name = strrchr(results, '/') ? strrchr(results, '/') + 1 : results;
    head(&p, s, name);
    raw(&p, "<header>\n<h1>");
    text(&p, tr(&p, "Population, health-care demand and on-call cover: ",
                "人口・医療需要・在宅医療の夜間対応の見通し: "));
    for (int i = 0; i < s->nscenarios; i++) {
        text(&p, i ? ", " : "");
        text(&p, s->scenarios[i]);
    }
    raw(&p, "</h1>\n");
    meta_line(&p, s, name);
    raw(&p, "</header>\n");
    reading_guide(&p);
    headline_section(&p, s);
    if (charts_section(&p, charts, dir, err) != 0)
        return err->code;
    assumptions_section(&p, s);
    provenance_section(&p, s, name);
    raw(&p, "</body>\n</html>\n");
    return p.bad ? cc_error_set(err, CC_ERR_IO, NULL, 0, NULL, "cannot write the report: %s", strerror(errno)) : 0;
}

/* What the page is written from (a cc_output_fill). */
typedef struct {
    const cc_summary *s;
    const cc_plot_list *charts;
    const char *dir, *results;
    cc_lang lang;
} page_job;

static int fill_page(FILE *f, void *user, cc_error *err)
{
    const page_job *j = user;
    return write_page(f, j->s, j->charts, j->dir, j->results, j->lang, err);
}

int cc_report_html(const char *results_path, const char *out_path, cc_lang lang, volatile sig_atomic_t *interrupted,
                   cc_error *err)
{
    cc_reader *reader = NULL;
    cc_summary s;
    cc_plot_list charts;
    memset(&s, 0, sizeof s);
    memset(&charts, 0, sizeof charts);
    const char *tmpdir = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/carecast-report-XXXXXX", tmpdir && tmpdir[0] == '/' ? tmpdir : "/tmp");
    int have_dir = mkdtemp(dir) != NULL, rc = 0;
    if (!have_dir)
        rc = cc_error_set(err, CC_ERR_IO, dir, 0, NULL, "cannot create a private folder for the charts: %s",
                          strerror(errno));
    if (!rc && (rc = cc_reader_open(&reader, results_path, err)) == 0)
        rc = cc_summary_read(reader, lang, &s, err);
    cc_reader_close(reader);
    if (!rc)
        rc = draw_charts(results_path, dir, lang, interrupted, &charts, err);
    if (!rc && interrupted && *interrupted) /* after the last chart: the page is not written */
        rc = cc_error_set(err, CC_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
    if (!rc)
        rc = cc_output_write(out_path, 1, fill_page, &(page_job){&s, &charts, dir, results_path, lang}, err);
    cc_plot_list_free(&charts);
    cc_summary_free(&s);
    if (have_dir)
        remove_dir(dir);
    return rc;
}
