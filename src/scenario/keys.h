/* Lookups in the key registry (keys.c), private to the scenario module. */
#ifndef CC_SCENARIO_KEYS_H
#define CC_SCENARIO_KEYS_H

#include "carecast/scenario.h"

/* The key section.name, or NULL. */
const cc_key_info *cc_key_find(const char *section, const char *name);
int cc_key_section_known(const char *section);
/* "[section] name" of the registry key nearest to section.name ("[section]" with name NULL). */
void cc_key_nearest(const char *section, const char *name, char *buf, size_t size);
/* 1 when value is within the key's allowed range. */
int cc_key_in_range(const cc_key_info *key, double value);

#endif
