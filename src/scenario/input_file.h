/* Reading an input file (a scenario or a table) once, whole, from a regular file of bounded
 * size: the bytes parsed are the bytes hashed for the provenance, a FIFO or device is refused
 * instead of hanging or filling memory, and a file larger than the limit is refused. */
#ifndef CARECAST_SCENARIO_INPUT_FILE_H
#define CARECAST_SCENARIO_INPUT_FILE_H

#include <stddef.h>

#include "carecast/error.h"

#define CC_MAX_SCENARIO_BYTES (1L << 20)  /* 1 MiB: a scenario is a page of keys */
#define CC_MAX_TABLE_BYTES (256L << 20)   /* 256 MiB: far above any table by age, year and sex */

/* Read path into *data (NUL-terminated; *len bytes before the NUL; free with free()). `what`
 * names the file in messages ("scenario", "table"). Returns 0, CC_ERR_IO (cannot open or read,
 * or not a regular file), CC_ERR_RANGE (larger than max_bytes) or CC_ERR_NOMEM. */
int cc_input_file_read(const char *path, const char *what, long max_bytes, char **data, size_t *len, cc_error *err);

/* The 1-based line of position at in data (LF, CRLF or a lone CR end a line). */
int cc_input_line_of(const char *data, const char *at);

/* SHA-256 of len bytes as 64 hex digits plus NUL. */
void cc_sha256_hex(const char *data, size_t len, char hex[65]);

#endif
