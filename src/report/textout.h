/* Writing text taken from a results file safely (private to src/report): as a JSON string
 * (RFC 8259), as HTML text or attribute value, as a CSV field (RFC 4180); numbers in their
 * shortest exact form. Bytes that are not valid UTF-8 become U+FFFD, so what is written is
 * always valid UTF-8 whatever the file held. Each writer returns 0, or -1 when f fails. */
#ifndef CARECAST_REPORT_TEXTOUT_H
#define CARECAST_REPORT_TEXTOUT_H

#include <stddef.h>
#include <stdio.h>

/* Decode the UTF-8 sequence at s (n bytes left): the code point, or -1 for an invalid or
 * truncated sequence (then *len is 1: skip one byte). */
long cc_utf8_decode(const unsigned char *s, size_t n, int *len);

/* Columns a string takes on a terminal (East Asian wide characters 2, others 1). */
int cc_text_width(const char *s);

int cc_json_string(FILE *f, const char *s);   /* "..." with every control character escaped */
int cc_json_number(FILE *f, double v);        /* shortest exact; NaN and infinities as null */
int cc_html_text(FILE *f, const char *s);     /* & < > " ' as entities, control chars dropped but \n \t */
int cc_csv_field(FILE *f, const char *s);     /* quoted when it holds , " CR LF or starts/ends with space */

/* The shortest of %.15g, %.16g, %.17g that reads back to exactly v (buf at least 32 bytes). */
void cc_number_exact(char *buf, size_t size, double v);

#endif
