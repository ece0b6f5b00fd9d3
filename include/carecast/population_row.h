/* What the population stage hands to the results store: one row per replication (the headline
 * series by year and sex, and persons by single year of age), and, once per scenario, what
 * the model fitted or calibrated, as plain data. A row is filled from a replication's path on
 * any thread (cc_population_row_fill) and added to the store in replication order
 * (cc_results_add_row); a distributed run would send rows to rank 0 the same way. */
#ifndef CARECAST_POPULATION_ROW_H
#define CARECAST_POPULATION_ROW_H

#include "carecast/lee_carter.h"
#include "carecast/population.h"

#define CC_SEX_AXIS 3 /* male, female, total (both sexes) */

/* Headline series: one value per year and sex in each row. */
typedef enum {
    CC_SERIES_TOTAL, CC_SERIES_AGE65PLUS, CC_SERIES_AGE75PLUS, CC_SERIES_AGE85PLUS,
    CC_SERIES_BIRTHS, CC_SERIES_DEATHS, CC_SERIES_NET_MIGRATION,
    CC_SERIES_LIFE_EXPECTANCY_0, CC_SERIES_LIFE_EXPECTANCY_65,
    CC_SERIES_COUNT
} cc_series_id;

/* One replication of the population stage. */
typedef struct {
    int years;
    double *series; /* [CC_SERIES_COUNT][years][CC_SEX_AXIS] */
    double *by_age; /* [years][CC_SEX_AXIS][CC_AGES] persons at each year's base date */
} cc_population_row;

/* Allocate a row for `years` years (zeroed). Returns 0 or CC_ERR_NOMEM; free is always safe. */
int cc_population_row_init(cc_population_row *row, int years);
void cc_population_row_free(cc_population_row *row);

/* The row of one replication's path (path->years == row->years): stocks of all ages, 65+, 75+
 * and 85+; births, deaths and net migration; life expectancy at birth and at 65; by age. */
void cc_population_row_fill(cc_population_row *row, const cc_population_path *path);

/* The values of one series in a row: [years][CC_SEX_AXIS]. */
static inline const double *cc_population_row_series(const cc_population_row *row, cc_series_id id)
{
    return row->series + (size_t)id * row->years * CC_SEX_AXIS;
}

/* The Lee-Carter fit of one sex, as data. */
typedef struct {
    double *ax, *bx; /* [ngroups] */
    double *kt;      /* [nyears] */
    double drift_fitted, sigma_fitted, drift_used, sigma_used, explained_variance, max_abs_log_error;
} cc_population_fitted_sex;

/* What a scenario's population model fitted or calibrated before any replication ran. */
typedef struct {
    int years;
    double *migration_level;            /* [years] expected net migrants, both sexes (0: no schedule) */
    int ntargets;                       /* official totals the migration level was calibrated to */
    int *target_year;                   /* [ntargets] */
    double *target_total;               /* [ntargets] */
    double base_tfr;
    char base_date[16];                 /* YYYY-MM-DD of the base population */
    char reference_date[8];             /* MM-DD of every year point */
    double first_step;                  /* years from the base date to the first point */
    double base_population[CC_SEX_AXIS][CC_AGES]; /* persons at the base date (total: both sexes) */
    double median_e0_end_year[CC_SEXES]; /* period e0 of the all-median path in the end year */
    int has_lee_carter;
    int ngroups, nyears;                /* of the mortality history (0 without Lee-Carter) */
    int *group_lo, *group_hi;           /* [ngroups] ages; group_hi CC_AGE_OPEN_END for the open group */
    char **group_label;                 /* [ngroups] "0-4", ..., "100+" */
    int *fit_year;                      /* [nyears] */
    cc_population_fitted_sex sex[CC_SEXES];
} cc_population_fitted;

/* The fitted record of a model built from params. Returns 0, CC_ERR_NOMEM, or CC_ERR_USAGE (a
 * model built from other parameters); on failure the record is freed. */
int cc_population_fitted_fill(cc_population_fitted *fitted, const cc_population_params *params,
                              const cc_population_model *model);
/* A deep copy. Returns 0 or CC_ERR_NOMEM (dst freed). */
int cc_population_fitted_copy(cc_population_fitted *dst, const cc_population_fitted *src);
void cc_population_fitted_free(cc_population_fitted *fitted);

#endif
