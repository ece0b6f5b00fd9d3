/* Writing text from a results file into JSON, HTML and CSV (textout.h). A results file is
 * input we do not control (a crafted file can hold any bytes in a name), so every writer
 * decodes UTF-8 itself and writes U+FFFD for a byte that is not part of a valid sequence:
 * Python's json and html.parser, and spreadsheets, then always read what we wrote. */
#include "textout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

long cc_utf8_decode(const unsigned char *s, size_t n, int *len)
{
    *len = 1;
    if (s[0] < 0x80)
        return s[0];
    int need = s[0] >= 0xF0 && s[0] <= 0xF4 ? 3 : s[0] >= 0xE0 ? 2 : s[0] >= 0xC2 && s[0] < 0xE0 ? 1 : -1;
    if (need < 0 || s[0] > 0xF4 || (size_t)need >= n)
        return -1;
    long cp = s[0] & (0x3F >> need);
    for (int i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    /* overlong forms, surrogates and code points past U+10FFFF are invalid */
    static const long least[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < least[need] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return -1;
    *len = need + 1;
    return cp;
}

int cc_text_width(const char *s)
{
    int width = 0, len;
    size_t n = strlen(s);
    for (const unsigned char *p = (const unsigned char *)s; n > 0; p += len, n -= (size_t)len) {
        long cp = cc_utf8_decode(p, n, &len);
        /* Hangul Jamo, CJK, Hangul syllables, compatibility ideographs, fullwidth forms */
        int wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                   (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                   (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

int cc_json_string(FILE *f, const char *s)
{
    int len, bad = fputc('"', f) == EOF;
    size_t n = s ? strlen(s) : 0;
    for (const unsigned char *p = (const unsigned char *)s; n > 0 && !bad; p += len, n -= (size_t)len) {
        long cp = cc_utf8_decode(p, n, &len);
        if (cp < 0)
            bad = fputs(replacement, f) == EOF;
        else if (cp == '"' || cp == '\\')
            bad = fprintf(f, "\\%c", (int)cp) < 0;
        else if (cp == '\n')
            bad = fputs("\\n", f) == EOF;
        else if (cp == '\r')
            bad = fputs("\\r", f) == EOF;
        else if (cp == '\t')
            bad = fputs("\\t", f) == EOF;
        else if (cp < 0x20 || cp == 0x7F)
            bad = fprintf(f, "\\u%04lx", cp) < 0;
        else
            bad = fwrite(p, 1, (size_t)len, f) != (size_t)len;
    }
    return bad || fputc('"', f) == EOF ? -1 : 0;
}

void cc_number_exact(char *buf, size_t size, double v)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

int cc_json_number(FILE *f, double v)
{
    if (!isfinite(v))
        return fputs("null", f) == EOF ? -1 : 0;
    char buf[40];
    cc_number_exact(buf, sizeof buf, v);
    return fputs(buf, f) == EOF ? -1 : 0;
}

int cc_html_text(FILE *f, const char *s)
{
    int len, bad = 0;
    size_t n = s ? strlen(s) : 0;
    for (const unsigned char *p = (const unsigned char *)s; n > 0 && !bad; p += len, n -= (size_t)len) {
        long cp = cc_utf8_decode(p, n, &len);
        switch (cp) {
        case '&': bad = fputs("&amp;", f) == EOF; break;
        case '<': bad = fputs("&lt;", f) == EOF; break;
        case '>': bad = fputs("&gt;", f) == EOF; break;
        case '"': bad = fputs("&quot;", f) == EOF; break;
        case '\'': bad = fputs("&#39;", f) == EOF; break;
        case '\n': case '\t': bad = fputc((int)cp, f) == EOF; break;
        case '\r': bad = fputc('\n', f) == EOF; break;
        default:
            /* control characters are not allowed in HTML text: shown as U+FFFD, not hidden */
            if (cp < 0 || cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
                bad = fputs(replacement, f) == EOF;
            else
                bad = fwrite(p, 1, (size_t)len, f) != (size_t)len;
        }
    }
    return bad ? -1 : 0;
}

int cc_csv_field(FILE *f, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL || (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
    int len, bad = quote && fputc('"', f) == EOF;
    for (const unsigned char *p = (const unsigned char *)s; n > 0 && !bad; p += len, n -= (size_t)len) {
        long cp = cc_utf8_decode(p, n, &len);
        if (cp < 0)
            bad = fputs(replacement, f) == EOF;
        else if (cp == '"')
            bad = fputs("\"\"", f) == EOF;
        else
            bad = fwrite(p, 1, (size_t)len, f) != (size_t)len;
    }
    return bad || (quote && fputc('"', f) == EOF) ? -1 : 0;
}
