/* The population stage's results as data: a replication's row from its path, and the fitted
 * record of a built model (Lee-Carter fit, migration level, calibration targets, median e0),
 * so the results store and writer never look into the model. Sums run in a fixed order
 * (sex, then age), so a row does not depend on the thread that filled it. */
#include "carecast/population_row.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cc_population_row_init(cc_population_row *row, int years)
{
    memset(row, 0, sizeof *row);
    row->years = years;
    row->series = calloc((size_t)CC_SERIES_COUNT * years * CC_SEX_AXIS, sizeof *row->series);
    row->by_age = calloc((size_t)years * CC_SEX_AXIS * CC_AGES, sizeof *row->by_age);
    if (!row->series || !row->by_age) {
        cc_population_row_free(row);
        return CC_ERR_NOMEM;
    }
    return 0;
}

void cc_population_row_free(cc_population_row *row)
{
    free(row->series);
    free(row->by_age);
    memset(row, 0, sizeof *row);
}

/* Stocks (all ages, 65+, 75+, 85+) and flows of one year and sex (CC_SEXES: both). */
static void fill_year_sex(cc_population_row *row, const cc_population_path *path, int y, int sex)
{
    static const int band_from[4] = {0, 65, 75, 85};
    double bands[4] = {0, 0, 0, 0}, flows[3] = {0, 0, 0};
    for (int s = 0; s < CC_SEXES; s++) {
        if (sex != s && sex != CC_SEXES)
            continue;
        const double *pop = &path->population[((size_t)y * CC_SEXES + s) * CC_AGES];
        for (int b = 0; b < 4; b++) /* each band's sum in age order, as one loop over ages adds them */
            for (int a = band_from[b]; a < CC_AGES; a++)
                bands[b] += pop[a];
        flows[0] += path->births[y * CC_SEXES + s];
        flows[1] += path->deaths[y * CC_SEXES + s];
        flows[2] += path->net_migration[y * CC_SEXES + s];
    }
    static const cc_series_id stock_id[4] = {CC_SERIES_TOTAL, CC_SERIES_AGE65PLUS, CC_SERIES_AGE75PLUS,
                                             CC_SERIES_AGE85PLUS};
    static const cc_series_id flow_id[3] = {CC_SERIES_BIRTHS, CC_SERIES_DEATHS, CC_SERIES_NET_MIGRATION};
    size_t cell = (size_t)y * CC_SEX_AXIS + sex, per_series = (size_t)row->years * CC_SEX_AXIS;
    for (int b = 0; b < 4; b++)
        row->series[stock_id[b] * per_series + cell] = bands[b];
    for (int f = 0; f < 3; f++)
        row->series[flow_id[f] * per_series + cell] = flows[f];
    row->series[CC_SERIES_LIFE_EXPECTANCY_0 * per_series + cell] = path->life_expectancy[cell * 2];
    row->series[CC_SERIES_LIFE_EXPECTANCY_65 * per_series + cell] = path->life_expectancy[cell * 2 + 1];
}

void cc_population_row_fill(cc_population_row *row, const cc_population_path *path)
{
    for (int y = 0; y < row->years; y++) {
        for (int sex = 0; sex < CC_SEX_AXIS; sex++)
            fill_year_sex(row, path, y, sex);
        const double *pop = &path->population[(size_t)y * CC_SEXES * CC_AGES];
        double *out = &row->by_age[(size_t)y * CC_SEX_AXIS * CC_AGES];
        for (int a = 0; a < CC_AGES; a++) {
            out[a] = pop[a];
            out[CC_AGES + a] = pop[CC_AGES + a];
            out[2 * CC_AGES + a] = pop[a] + pop[CC_AGES + a];
        }
    }
}

/* ---- fitted record ------------------------------------------------------------------------ */

static void *copy_of(const void *src, size_t n, size_t size, int *ok)
{
    if (!*ok || n == 0)
        return NULL;
    void *dst = malloc(n * size);
    if (!dst)
        *ok = 0;
    else
        memcpy(dst, src, n * size);
    return dst;
}

static char *string_copy(const char *src, int *ok)
{
    return copy_of(src, strlen(src) + 1, 1, ok);
}

int cc_population_fitted_fill(cc_population_fitted *f, const cc_population_params *p, const cc_population_model *m)
{
    memset(f, 0, sizeof *f);
    int ok = 1;
    f->years = cc_population_years(p);
    f->migration_level = calloc((size_t)f->years, sizeof *f->migration_level);
    ok = f->migration_level != NULL;
    for (int y = 0; ok && y < f->years; y++)
        f->migration_level[y] = m->has_schedule ? m->level[y] : 0.0;
    f->ntargets = p->ntargets;
    f->target_year = copy_of(p->target_year, (size_t)p->ntargets, sizeof(int), &ok);
    f->target_total = copy_of(p->target_total, (size_t)p->ntargets, sizeof(double), &ok);
    f->base_tfr = m->base_tfr;
    snprintf(f->base_date, sizeof f->base_date, "%04d-%02d-%02d", p->base_date[0], p->base_date[1], p->base_date[2]);
    snprintf(f->reference_date, sizeof f->reference_date, "%02d-%02d", p->reference_month, p->reference_day);
    f->first_step = p->first_step;
    for (int a = 0; a < CC_AGES; a++) {
        f->base_population[CC_MALE][a] = p->base_population[CC_MALE][a];
        f->base_population[CC_FEMALE][a] = p->base_population[CC_FEMALE][a];
        f->base_population[CC_SEXES][a] = p->base_population[CC_MALE][a] + p->base_population[CC_FEMALE][a];
    }
    for (int sex = 0; sex < CC_SEXES; sex++)
        f->median_e0_end_year[sex] = cc_population_model_median_e0(p, m, sex, p->end_year);
    f->has_kannisto = m->has_kannisto;
    for (int sex = 0; sex < CC_SEXES; sex++) {
        f->kannisto_a[sex] = m->has_kannisto ? m->kannisto[sex].a : NAN;
        f->kannisto_b[sex] = m->has_kannisto ? m->kannisto[sex].b : NAN;
        f->base_rate_open[sex] = m->base_rate[sex][CC_AGE_OPEN];
    }
    f->has_lee_carter = m->has_lee_carter;
    f->fit_method = m->has_lee_carter && m->fit[CC_MALE].method == CC_LEE_CARTER_POISSON ? "poisson" : "svd";
    if (ok && m->has_lee_carter) {
        f->ngroups = p->history_groups;
        f->nyears = p->history_years;
        f->group_lo = calloc((size_t)f->ngroups + 1, sizeof(int));
        f->group_hi = calloc((size_t)f->ngroups + 1, sizeof(int));
        f->group_label = calloc((size_t)f->ngroups + 1, sizeof(char *));
        ok = f->group_lo && f->group_hi && f->group_label;
        for (int g = 0; ok && g < f->ngroups; g++) {
            char label[32];
            f->group_lo[g] = p->history_group[g].lo;
            f->group_hi[g] = p->history_group[g].hi;
            if (f->group_hi[g] == CC_AGE_OPEN_END)
                snprintf(label, sizeof label, "%d+", f->group_lo[g]);
            else
                snprintf(label, sizeof label, "%d-%d", f->group_lo[g], f->group_hi[g]);
            f->group_label[g] = string_copy(label, &ok);
        }
        f->fit_year = copy_of(p->history_year, (size_t)f->nyears, sizeof(int), &ok);
        for (int sex = 0; ok && sex < CC_SEXES; sex++) {
            const cc_lee_carter *fit = &m->fit[sex];
            cc_population_fitted_sex *out = &f->sex[sex];
            if (fit->ngroups != f->ngroups || fit->nyears != f->nyears) {
                cc_population_fitted_free(f); /* a model not built from these parameters */
                return CC_ERR_USAGE;
            }
            out->ax = copy_of(fit->ax, (size_t)fit->ngroups, sizeof(double), &ok);
            out->bx = copy_of(fit->bx, (size_t)fit->ngroups, sizeof(double), &ok);
            out->bx_fitted = copy_of(fit->bx_fitted, (size_t)fit->ngroups, sizeof(double), &ok);
            out->bx_se = copy_of(fit->bx_se, (size_t)fit->ngroups, sizeof(double), &ok);
            out->bx_carried = copy_of(fit->carried, (size_t)fit->ngroups, sizeof(int), &ok);
            out->kt = copy_of(fit->kt, (size_t)fit->nyears, sizeof(double), &ok);
            out->drift_fitted = fit->drift;
            out->sigma_fitted = fit->sigma;
            out->drift_used = m->drift[sex];
            out->sigma_used = m->sigma[sex];
            out->explained_variance = fit->explained;
            out->max_abs_log_error = fit->max_abs_log_error;
        }
    }
    if (!ok) {
        cc_population_fitted_free(f);
        return CC_ERR_NOMEM;
    }
    return 0;
}

int cc_population_fitted_copy(cc_population_fitted *dst, const cc_population_fitted *src)
{
    int ok = 1;
    *dst = *src; /* the scalars; no pointer of src may stay in dst */
    dst->migration_level = dst->target_total = NULL;
    dst->target_year = dst->group_lo = dst->group_hi = dst->fit_year = NULL;
    dst->group_label = NULL;
    for (int sex = 0; sex < CC_SEXES; sex++)
    {
        dst->sex[sex].ax = dst->sex[sex].bx = dst->sex[sex].kt = dst->sex[sex].bx_fitted = dst->sex[sex].bx_se = NULL;
        dst->sex[sex].bx_carried = NULL;
    }
    dst->migration_level = copy_of(src->migration_level, (size_t)src->years, sizeof(double), &ok);
    dst->target_year = copy_of(src->target_year, (size_t)src->ntargets, sizeof(int), &ok);
    dst->target_total = copy_of(src->target_total, (size_t)src->ntargets, sizeof(double), &ok);
    dst->group_lo = copy_of(src->group_lo, (size_t)src->ngroups, sizeof(int), &ok);
    dst->group_hi = copy_of(src->group_hi, (size_t)src->ngroups, sizeof(int), &ok);
    dst->fit_year = copy_of(src->fit_year, (size_t)src->nyears, sizeof(int), &ok);
    dst->group_label = ok && src->ngroups > 0 ? calloc((size_t)src->ngroups, sizeof(char *)) : NULL;
    ok = ok && (src->ngroups == 0 || dst->group_label);
    for (int g = 0; ok && g < src->ngroups; g++)
        dst->group_label[g] = string_copy(src->group_label[g], &ok);
    for (int sex = 0; sex < CC_SEXES; sex++) {
        dst->sex[sex].ax = copy_of(src->sex[sex].ax, (size_t)src->ngroups, sizeof(double), &ok);
        dst->sex[sex].bx = copy_of(src->sex[sex].bx, (size_t)src->ngroups, sizeof(double), &ok);
        dst->sex[sex].bx_fitted = copy_of(src->sex[sex].bx_fitted, (size_t)src->ngroups, sizeof(double), &ok);
        dst->sex[sex].bx_se = copy_of(src->sex[sex].bx_se, (size_t)src->ngroups, sizeof(double), &ok);
        dst->sex[sex].bx_carried = copy_of(src->sex[sex].bx_carried, (size_t)src->ngroups, sizeof(int), &ok);
        dst->sex[sex].kt = copy_of(src->sex[sex].kt, (size_t)src->nyears, sizeof(double), &ok);
    }
    if (!ok) {
        cc_population_fitted_free(dst);
        return CC_ERR_NOMEM;
    }
    return 0;
}

void cc_population_fitted_free(cc_population_fitted *f)
{
    free(f->migration_level);
    free(f->target_year);
    free(f->target_total);
    free(f->group_lo);
    free(f->group_hi);
    for (int g = 0; f->group_label && g < f->ngroups; g++)
        free(f->group_label[g]);
    free(f->group_label);
    free(f->fit_year);
    for (int sex = 0; sex < CC_SEXES; sex++) {
        free(f->sex[sex].ax);
        free(f->sex[sex].bx);
        free(f->sex[sex].bx_fitted);
        free(f->sex[sex].bx_se);
        free(f->sex[sex].bx_carried);
        free(f->sex[sex].kt);
    }
    memset(f, 0, sizeof *f);
}
