/* Reading scenario files into settings (ini_reader.c), private to the scenario module. */
#ifndef CC_SCENARIO_INI_READER_H
#define CC_SCENARIO_INI_READER_H

#include "carecast/scenario.h"

/* Read the scenario file at path and, first, its bases (depth: how deep in the chain of bases
 * this file is), applying their settings in order and keeping each file's text. */
int cc_ini_read(cc_scenario *s, const char *path, int depth, cc_error *err);

/* path as written in file `from`, resolved relative to that file's folder (malloc'd; NULL if
 * out of memory). */
char *cc_resolve_path(const char *from, const char *path);

#endif
