/* The capacity results file (README, "Capacity"): the items of /capacity over a
 * cc_capacity_result, written by the results writer (cc_layout_write_file: atomic, with
 * /provenance). Axes are dimension scales in the root group, as in the main results file:
 * scenario (one), scheme, year (target years), replication, quantile (0.05, 0.5, 0.95). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "carecast/capacity.h"
#include "carecast/results_layout.h"

typedef struct {
    const cc_capacity_result *r;
    const char *scenario;
} capacity_file;

enum { AX_SCENARIO, AX_SCHEME, AX_YEAR, AX_REPLICATION, AX_QUANTILE, AXES };
static const char *const axis_name[AXES] = {"scenario", "scheme", "year", "replication", "quantile"};

typedef struct {
    cc_layout_visitor visit;
    void *user;
    const cc_capacity_result *r;
} walker;

/* A dataset over (scenario, scheme, year, last) or (scenario, year, last) or (scenario, scheme, year). */
static int dataset(walker *w, const char *path, int rank, const int *axes, cc_value_type type, const void *data,
                   const char *units, const char *long_name, const char *description)
{
    const cc_capacity_result *r = w->r;
    size_t length[AXES] = {1, (size_t)r->nschemes, (size_t)r->nyears, (size_t)r->replications, 3};
    return cc_layout_visit_dataset(w->visit, w->user, path, rank, axes, length, axis_name, type, data, units,
                                   long_name, description);
}

/* Per (scheme, year) cell: n values of type at offset `field` (a pointer member) or the
 * `count` values starting at a member, gathered scheme-major. */
static void *gather_doubles(const cc_capacity_result *r, size_t per_cell, const double *(*get)(const cc_capacity_cell *))
{
    double *out = malloc((size_t)r->nschemes * r->nyears * per_cell * sizeof *out + 1);
    for (int k = 0; out && k < r->nschemes; k++)
        for (int y = 0; y < r->nyears; y++)
            memcpy(out + ((size_t)k * r->nyears + y) * per_cell, get(cc_capacity_at(r, k, y)), per_cell * sizeof *out);
    return out;
}

static void *gather_ints(const cc_capacity_result *r, size_t per_cell, const int *(*get)(const cc_capacity_cell *))
{
    int *out = malloc((size_t)r->nschemes * r->nyears * per_cell * sizeof *out + 1);
    for (int k = 0; out && k < r->nschemes; k++)
        for (int y = 0; y < r->nyears; y++)
            memcpy(out + ((size_t)k * r->nyears + y) * per_cell, get(cc_capacity_at(r, k, y)), per_cell * sizeof *out);
    return out;
}

#define GETTER(kind, name, expr) \
    static const kind *get_##name(const cc_capacity_cell *c) { return expr; }
GETTER(double, doctors, c->doctors)
GETTER(double, primary, c->primary_doctors)
GETTER(double, backup, c->backup_doctors)
GETTER(double, max_patients, c->max_patients)
GETTER(double, doctors_q, c->doctors_q)
GETTER(double, max_patients_q, c->max_patients_q)
GETTER(double, attainable, &c->attainable)
GETTER(int, status, c->status)
GETTER(int, patients_status, c->patients_status)
GETTER(int, evaluations, c->evaluations)
GETTER(int, binding, c->binding)
GETTER(int, binding_mode, &c->binding_mode)
GETTER(int, pool_primary, &c->pool_primary_doctors)
GETTER(int, pool_backup, &c->pool_backup_doctors)
GETTER(int, not_monotone, &c->not_monotone)

typedef struct {
    const char *path;
    int per; /* AX_REPLICATION, AX_QUANTILE, or -1 (one value per cell) */
    int is_int;
    const double *(*dget)(const cc_capacity_cell *);
    const int *(*iget)(const cc_capacity_cell *);
    const char *units, *long_name, *description;
} cell_entry;

static const cell_entry entries[] = {
    {"capacity/doctors_needed", AX_REPLICATION, 0, get_doctors, NULL, "doctors", "Doctors needed",
     "Participating doctors (primary and backup) at the smallest size where every projected patient has a panel "
     "place and the p95 duty holder is within both load limits; NaN: not attainable within the pool or the search "
     "found the criterion not monotone (search_status)"},
    {"capacity/primary_doctors_needed", AX_REPLICATION, 0, get_primary, NULL, "doctors", "Primary doctors needed",
     "Primary-clinic doctors among doctors_needed; NaN as doctors_needed"},
    {"capacity/backup_doctors_needed", AX_REPLICATION, 0, get_backup, NULL, "doctors", "Backup doctors needed",
     "Backup-clinic doctors among doctors_needed; NaN as doctors_needed"},
    {"capacity/search_status", AX_REPLICATION, 1, NULL, get_status, "1", "Status of the search",
     "0: found; 1: not attainable (the criterion fails with the whole pool); 2: not monotone (what the search "
     "visited contradicts monotonicity: no size is claimed)"},
    {"capacity/evaluations", AX_REPLICATION, 1, NULL, get_evaluations, "1", "Criterion evaluations",
     "Sizes the search evaluated (bisection and its checks)"},
    {"capacity/binding_limits", AX_REPLICATION, 1, NULL, get_binding, "1", "Limits that bind",
     "Bits of the limits failing one size below the answer (found) or with the whole pool (not attainable): "
     "1 coverage (a patient without a panel place), 2 duty nights p95, 4 disturbed nights p95"},
    {"capacity/doctors_needed_quantiles", AX_QUANTILE, 0, get_doctors_q, NULL, "doctors",
     "Doctors needed, quantiles over replications",
     "Quantiles of doctors_needed over replications, a replication without a size counting as above the pool; "
     "NaN: beyond the pool"},
    {"capacity/attainable_share", -1, 0, get_attainable, NULL, "1", "Share of replications with a size",
     "Share of replications whose search found a size"},
    {"capacity/binding_limits_mode", -1, 1, NULL, get_binding_mode, "1", "Most frequent binding limits",
     "The most frequent value of binding_limits over replications (bits as there)"},
    {"capacity/not_monotone", -1, 1, NULL, get_not_monotone, "1", "Replications found not monotone",
     "Replications whose search reported the criterion not monotone"},
    {"capacity/pool_primary_doctors", -1, 1, NULL, get_pool_primary, "doctors", "Primary doctors in the pool",
     "Primary-clinic doctors at the largest size tried (every candidate primary the scheme can take)"},
    {"capacity/pool_backup_doctors", -1, 1, NULL, get_pool_backup, "doctors", "Backup doctors in the pool",
     "Backup-clinic doctors at the largest size tried"},
    {"capacity/max_patients_per_doctor", AX_REPLICATION, 0, get_max_patients, NULL, "patients/doctor",
     "Most patients per doctor within the limits",
     "With the scenario's participating doctors: the most patients per doctor (whole numbers up to the attribute "
     "max_patients_hi of /capacity; that value when the limits still hold there) at which the p95 duty holder is "
     "within both load limits; 0: not even one; NaN: not computed or not monotone"},
    {"capacity/max_patients_per_doctor_status", AX_REPLICATION, 1, NULL, get_patients_status, "1",
     "Status of the most-patients search",
     "0: found; 1: the limits hold at max_patients_hi (a lower bound); 2: not monotone"},
    {"capacity/max_patients_per_doctor_quantiles", AX_QUANTILE, 0, get_max_patients_q, NULL, "patients/doctor",
     "Most patients per doctor, quantiles over replications", "Quantiles of max_patients_per_doctor"},
};


static int walk(cc_layout_visitor visit, void *visit_user, void *user)
{
    const capacity_file *f = user;
    const cc_capacity_result *r = f->r;
    walker w = {visit, visit_user, r};
    static const double levels[3] = {0.05, 0.5, 0.95};
    const char *scheme_names[CC_SCHEMES];
    for (int k = 0; k < r->nschemes; k++)
        scheme_names[k] = cc_scheme_name(r->schemes[k]);
    int *reps = malloc((r->replications > 0 ? (size_t)r->replications : 1) * sizeof *reps);
    if (!reps)
        return CC_ERR_NOMEM;
    for (long i = 0; i < r->replications; i++)
        reps[i] = (int)i;
    const char *scenario = f->scenario;
    cc_layout_item scales[AXES] = {
        {CC_ITEM_SCALE, "scenario", "scenario", NULL, 1, {1}, {0}, {0}, CC_VALUE_STRING, &scenario, "1", "Scenario",
         "Scenario", 0},
        {CC_ITEM_SCALE, "scheme", "scheme", NULL, 1, {(size_t)r->nschemes}, {0}, {0}, CC_VALUE_STRING, scheme_names,
         "1", "Coverage scheme", "Coverage scheme", 0},
        {CC_ITEM_SCALE, "year", "year", NULL, 1, {(size_t)r->nyears}, {0}, {0}, CC_VALUE_INT, r->years, "year",
         "Target year", "Coverage target year", 0},
        {CC_ITEM_SCALE, "replication", "replication", NULL, 1, {(size_t)r->replications}, {0}, {0}, CC_VALUE_INT,
         reps, "1", "Replication", "Replication number (random streams are keyed by it)", 0},
        {CC_ITEM_SCALE, "quantile", "quantile", NULL, 1, {3}, {0}, {0}, CC_VALUE_DOUBLE, levels, "1",
         "Quantile level", "Quantile level over replications", 0},
    };
    int ret = 0;
    for (int a = 0; ret == 0 && a < AXES; a++)
        ret = visit(&scales[a], visit_user);
    cc_layout_item group = {CC_ITEM_GROUP, "capacity", NULL, NULL, 0, {0}, {0}, {0}, CC_VALUE_DOUBLE, NULL, NULL, NULL,
                            "Doctors needed per scheme and target year, and the most patients per doctor each scheme "
                            "sustains within the load limits (README, Capacity)", 0};
    if (ret == 0)
        ret = visit(&group, visit_user);
    const double limits[2] = {r->max_duty_nights, r->max_disturbed_nights};
    const int participants = r->participants, hi = r->max_patients_hi;
    cc_layout_item attrs[4] = {
        {CC_ITEM_ATTRIBUTE, "capacity", "max_duty_nights_per_month", NULL, 0, {0}, {0}, {0}, CC_VALUE_DOUBLE,
         &limits[0], NULL, NULL, NULL, 0},
        {CC_ITEM_ATTRIBUTE, "capacity", "max_disturbed_nights_per_month", NULL, 0, {0}, {0}, {0}, CC_VALUE_DOUBLE,
         &limits[1], NULL, NULL, NULL, 0},
        {CC_ITEM_ATTRIBUTE, "capacity", "participating_doctors", NULL, 0, {0}, {0}, {0}, CC_VALUE_INT, &participants,
         NULL, NULL, NULL, 0},
        {CC_ITEM_ATTRIBUTE, "capacity", "max_patients_hi", NULL, 0, {0}, {0}, {0}, CC_VALUE_INT, &hi, NULL, NULL,
         NULL, 0},
    };
    for (int i = 0; ret == 0 && i < 4; i++)
        ret = visit(&attrs[i], visit_user);
    if (ret == 0) {
        static const int axes[3] = {AX_SCENARIO, AX_YEAR, AX_REPLICATION};
        ret = dataset(&w, "capacity/patients", 3, axes, CC_VALUE_DOUBLE, r->patients, "patients",
                      "Projected home-care patients",
                      "The replication's expected enrolled home-care patients of the target year, rounded (the "
                      "demand stage's expectation): the patients to cover");
    }
    for (size_t e = 0; ret == 0 && e < sizeof entries / sizeof *entries; e++) {
        const cell_entry *en = &entries[e];
        size_t per = en->per == AX_REPLICATION ? (size_t)r->replications : en->per == AX_QUANTILE ? 3 : 1;
        void *data = en->is_int ? gather_ints(r, per, en->iget) : gather_doubles(r, per, en->dget);
        if (!data) {
            ret = CC_ERR_NOMEM;
            break;
        }
        int axes[4] = {AX_SCENARIO, AX_SCHEME, AX_YEAR, en->per};
        ret = dataset(&w, en->path, en->per >= 0 ? 4 : 3, axes, en->is_int ? CC_VALUE_INT : CC_VALUE_DOUBLE, data,
                      en->units, en->long_name, en->description);
        free(data);
    }
    free(reps);
    return ret;
}

int cc_capacity_write(const cc_capacity_result *r, const cc_scenario *s, const char *command_line, int threads,
                      const char *path, cc_error *err)
{
    capacity_file f = {r, s->name};
    cc_scenario copy = *s; /* provenance: the replications this file holds */
    copy.run.replications = r->replications;
    cc_run_facts facts = {threads, 1, command_line, NULL};
    return cc_layout_write_file(walk, &f, "carecast capacity", "carecast capacity layout 1 (README: Capacity)", &copy,
                                1, &facts, path, err);
}
