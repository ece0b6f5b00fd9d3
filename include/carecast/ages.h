/* Age groups and their split into single years of age 0..99 plus the open group 100+.
 * Two methods: uniform (each year of a group gets the same share), and the default,
 * a monotone cubic spline (Steffen 1990, through GSL) through the cumulative count at the
 * group boundaries, differenced at single ages: it keeps every group total exactly, never
 * goes negative, and follows the slope between neighbouring groups. */
#ifndef CARECAST_AGES_H
#define CARECAST_AGES_H

#include "carecast/error.h"

enum { CC_MALE = 0, CC_FEMALE = 1, CC_SEXES = 2 };

#define CC_AGES 101      /* single ages 0..99 and the open group 100+ */
#define CC_AGE_OPEN 100  /* index of the open group */
#define CC_AGE_OPEN_END (-1) /* age_hi of an open group */

/* In the order of [population] age_split's choices (the key stores the index). */
typedef enum { CC_SPLIT_SPLINE = 0, CC_SPLIT_UNIFORM = 1 } cc_split_method;

typedef struct {
    int lo;       /* first age of the group */
    int hi;       /* last age, or CC_AGE_OPEN_END for the open group */
    double value; /* count (or rate) of the group */
    int line;     /* source line, for error messages (0 if none) */
} cc_age_group;

/* Check that groups (sorted by lo as given) start at 0, have no gaps or overlaps, and end
 * in exactly one open group starting at 100 or above (groups from 100 on are merged into
 * 100+). Errors name file, the group's line and field. */
int cc_age_groups_check(const cc_age_group *groups, int n, const char *file, cc_error *err);

/* The same with the open group allowed to start at min_open_age or above (rate tables: 90+). */
int cc_age_groups_check_open(const cc_age_group *groups, int n, int min_open_age, const char *file, cc_error *err);

/* Split checked groups into single ages 0..100 (100 = 100+). With integer_counts, the
 * single-year values are whole numbers that still add up to each (whole) group total
 * (largest-remainder rounding within the group). */
int cc_age_groups_split(const cc_age_group *groups, int n, cc_split_method method,
                        int integer_counts, double out[CC_AGES], cc_error *err);

/* Split signed counts (such as net migrants) evenly within each group; no rounding. */
int cc_age_groups_split_signed(const cc_age_group *groups, int n, double out[CC_AGES]);

/* The value of a grouped table at single ages: each age takes its group's value
 * (for rates, which do not add up). */
void cc_age_groups_spread(const cc_age_group *groups, int n, double out[CC_AGES]);

/* First age at which cc_age_groups_spread_death_rates follows Gompertz's law within groups. */
#define CC_GOMPERTZ_FROM_AGE 30

/* Death rates of a grouped table at single ages. Below CC_GOMPERTZ_FROM_AGE, and in the open
 * group, each age takes its group's rate. From it, within each closed group of two or more
 * ages, the rate rises log-linearly (Gompertz) with the slope between the neighbouring groups'
 * log rates (per year of age, centre to centre; one-sided at the ends), scaled so the group's
 * deaths over its person-years (a life table through the group, starting from 1) equal the
 * group's rate. A flat rate would let too many of a group's oldest ages survive into the next
 * group where mortality rises about 10% a year of age. */
void cc_age_groups_spread_death_rates(const cc_age_group *groups, int n, double out[CC_AGES]);

const char *cc_split_method_name(cc_split_method method);

#endif
