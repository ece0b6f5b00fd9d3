/* carecast error codes and the caller-owned error record.
 * Every fallible library function returns int: 0 on success, a negative CC_ERR_* code on
 * failure, and fills the cc_error the caller passed (file, line, field, message).
 * The library never prints and never exits. */
#ifndef CARECAST_ERROR_H
#define CARECAST_ERROR_H

#include <stddef.h>

enum cc_status {
    CC_OK = 0,
    CC_ERR_NOMEM = -1,       /* out of memory */
    CC_ERR_IO = -2,          /* a file could not be opened, read or written */
    CC_ERR_SYNTAX = -3,      /* malformed INI or CSV text */
    CC_ERR_UNKNOWN_KEY = -4, /* unknown section or key in a scenario */
    CC_ERR_DUPLICATE = -5,   /* a key or table row given twice */
    CC_ERR_NUMBER = -6,      /* a value that is not a finite number (or integer) */
    CC_ERR_RANGE = -7,       /* a value outside its allowed range */
    CC_ERR_TABLE = -8,       /* a table with missing columns, gaps, overlaps or no open group */
    CC_ERR_HDF5 = -9,        /* the HDF5 library reported an error */
    CC_ERR_NUMERIC = -10,    /* a numerical method failed (GSL) */
    CC_ERR_USAGE = -11,      /* a function was called with invalid arguments */
    CC_ERR_INTERRUPTED = -12 /* the run was interrupted */
};
#define CC_ERR_COUNT 13 /* number of codes above, CC_OK included */

/* What kind of failure an error is: a program turns it into its exit code. */
typedef enum {
    CC_CATEGORY_NONE = 0,
    CC_CATEGORY_INPUT,       /* a scenario, table or value is invalid or cannot be read */
    CC_CATEGORY_IO,          /* results could not be written (output folder, disk, HDF5) */
    CC_CATEGORY_RESOURCES,   /* out of memory or another resource */
    CC_CATEGORY_INTERRUPTED, /* stopped by a signal; nothing written */
    CC_CATEGORY_USAGE        /* a function or command called with invalid arguments */
} cc_error_category;

/* Where and why something failed. file/line/section/field are empty/0 when they do not apply. */
typedef struct {
    int code;
    cc_error_category category;
    char file[512];
    int line;
    char section[64];  /* scenario section of the key at fault, e.g. "mortality" */
    char field[128];   /* key or table column at fault */
    char message[768];
} cc_error;

/* The fixed text of a status code ("unknown key", ...); never NULL. */
const char *cc_strerror(int code);

/* Reset an error record to "no error". */
void cc_error_clear(cc_error *err);

/* The category a code has unless the error site says otherwise: NOMEM resources; IO and HDF5
 * I/O; INTERRUPTED interrupted; USAGE usage; every other code invalid input. */
cc_error_category cc_error_default_category(int code);

/* Fill err and return code; the category is the code's default. file may be NULL, line 0,
 * field NULL. */
int cc_error_set(cc_error *err, int code, const char *file, int line, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Fill err for a scenario key (section, key), as a model reports it: no file or line yet
 * (cc_scenario_locate adds them). Returns code. */
int cc_error_set_key(cc_error *err, int code, const char *section, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Format an error as one line: "FILE:LINE: field 'F' in [SECTION]: MESSAGE" (the parts that
 * apply). */
void cc_error_format(const cc_error *err, char *buf, size_t size);

#endif
