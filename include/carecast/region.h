/* Japan's municipalities as scenarios: the shipped tables of every area (the 2025-01-01
 * resident register by sex and 5-year group, and IPSS 2023 municipal totals), finding a
 * municipality by code or name, and writing its scenario file (a few lines naming
 * scenarios/municipality.ini as its base, plus its base population and calibration targets
 * as two small tables). `carecast run --region`, `carecast scenario --region` and
 * `carecast batch` use it; a written scenario is an ordinary scenario file. */
#ifndef CARECAST_REGION_H
#define CARECAST_REGION_H

#include <stddef.h>

#include "carecast/ages.h"
#include "carecast/error.h"

#define CC_REGION_GROUPS 21 /* 0-4, ..., 95-99, 100+ */
#define CC_REGION_TARGETS 7 /* IPSS totals 2020, 2025, ..., 2050 */

/* What an area of the register is (its batch_unit): the 1,741 municipalities are the first
 * two kinds; wards and district totals are inside them. */
typedef enum {
    CC_AREA_MUNICIPALITY,
    CC_AREA_HAMADORI,  /* one of Fukushima's 13 浜通り municipalities: IPSS gives their sum only */
    CC_AREA_WARD,
    CC_AREA_AGGREGATE,
    CC_AREA_ZERO_POPULATION
} cc_area_kind;

typedef struct {
    char code[6];               /* "12217": the local government code without its check digit */
    char *prefecture, *name;    /* as the register publishes them ("千葉県", "柏市", "石狩郡当別町") */
    char *short_name;           /* without the district ("当別町"); the name when it has none */
    cc_area_kind kind;
    /* base population by sex and group: each group's both-sexes row, split by the sex rows'
     * shares where they differ from it by a few persons (scenarios/data/SOURCES.md) */
    long population[CC_SEXES][CC_REGION_GROUPS];
    long total;                 /* the both-sexes rows summed (= the population above summed) */
    int ntargets;               /* IPSS totals (0: none, a ward without IPSS figures) */
    int target_year[CC_REGION_TARGETS];
    double target_total[CC_REGION_TARGETS];
} cc_region;

typedef struct {
    int nareas;
    cc_region *areas;     /* every area of the register, in code order */
    int nmunicipalities;
    int *municipality;    /* indices into areas of the 1,741 municipalities, in code order */
} cc_regions;

/* Read the register (jp_municipal_register_2025_5y_sex.csv) and the IPSS totals
 * (jp_municipal_ipss2023_totals.csv). The 浜通り municipalities' targets are the combined
 * area's (07999) totals times each one's share of the area's register. Returns 0 or an error
 * naming the file, line and column (CC_ERR_TABLE, CC_ERR_IO, ...); *regions is then empty. */
int cc_regions_load(cc_regions *regions, const char *register_path, const char *totals_path, cc_error *err);
void cc_regions_free(cc_regions *regions);

/* The municipality a query names: a 5-digit code ("12217"), the 6-digit code with its check
 * digit ("122173"), or a name: as published, without the district, or prefixed by the
 * prefecture ("千葉県柏市"). *index is into regions->areas. A query naming several
 * municipalities (府中市) lists them with their codes and prefectures; a ward, district total or
 * unknown query is an error listing what it is or the closest matches (codes by shared prefix,
 * names by shared characters). Errors are CC_ERR_USAGE with file "command line", field
 * "region". */
int cc_regions_find(const cc_regions *regions, const char *query, int *index, cc_error *err);

/* The scenario's name for area i: "<code>_<name>" ("12217_柏市"). */
void cc_region_scenario_name(const cc_region *area, char *buf, size_t size);

/* Write the scenario of municipality `index` into folder dir (which must exist): dir/<name>.ini,
 * whose [scenario] base is base_ini as given (a path relative to dir, or absolute), and its two
 * tables dir/data/<code>_register_2025_5y_sex.csv and dir/data/<code>_ipss2023_totals.csv
 * (dir/data is created). The scenario file's path goes into path (size bytes). Returns 0 or
 * CC_ERR_IO / CC_ERR_USAGE (not a municipality) / CC_ERR_NOMEM with err filled. */
int cc_region_write_scenario(const cc_regions *regions, int index, const char *dir, const char *base_ini,
                             char *path, size_t size, cc_error *err);

/* Remove what cc_region_write_scenario wrote for index in dir (the folders stay). */
void cc_region_remove_scenario(const cc_regions *regions, int index, const char *dir);

#endif
