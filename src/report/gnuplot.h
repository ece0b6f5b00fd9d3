/* Talking to gnuplot (private to src/report): a script built in memory, where text that is
 * not the program's own reaches the script only through gp_quote, and gp_run, which starts
 * gnuplot without a shell, feeds it the script through a pipe and collects the image it
 * writes to its standard output and the messages it writes to its standard error. */
#ifndef CARECAST_REPORT_GNUPLOT_H
#define CARECAST_REPORT_GNUPLOT_H

#include <stddef.h>

#include "carecast/error.h"

/* A growing text buffer; `failed` is set by the first allocation failure, after which every
 * append does nothing (one check at the end instead of one per append). */
typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} gp_script;

void gp_script_free(gp_script *s);

/* Append formatted text. The format and its %s arguments must be the program's own text
 * (commands, numbers); anything read from a file goes through gp_quote. */
void gp_printf(gp_script *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append text as one gnuplot single-quoted string: gnuplot does no backquote substitution
 * and no @ macro expansion inside single quotes. A quote of the text becomes U+2019 (the
 * typographic apostrophe), so the string cannot end early: gnuplot's own escape, '' for a
 * quote, fails where quotes follow each other or open the text (gnuplot 5.4 reads '''x' and
 * 'a''''b' as two strings: found by feeding it random texts). Control characters (newline,
 * tab, escape, ...) become spaces, so the string cannot end its line either. Text longer
 * than max_bytes bytes (0: no limit) is cut at a UTF-8 character boundary and ends with "...". */
void gp_quote(gp_script *s, const char *text, size_t max_bytes);

/* Run gnuplot on the script. On success *image holds what gnuplot wrote to its standard
 * output (malloc'd, *image_len bytes) and 0 is returned. Otherwise CC_ERR_IO with err
 * saying why: gnuplot not found on PATH, it failed (its exit status and first lines of its
 * standard error), or it wrote no image; CC_ERR_NOMEM. `program` names the gnuplot
 * executable (NULL: "gnuplot", found on PATH). SIGPIPE is ignored while the script is
 * written, so a gnuplot that dies early is an error, not the death of the caller. */
int gp_run(const char *program, const gp_script *script, char **image, size_t *image_len, cc_error *err);

#endif
