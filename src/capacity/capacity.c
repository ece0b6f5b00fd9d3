/* Doctors needed per scheme and target year, and the most patients per doctor each scheme
 * sustains within the load limits (include/carecast/capacity.h; README, "Capacity").
 *
 * Candidates. A "plan" lists clinics in the order they take part; size k (primary clinics
 * taking part) is a prefix of it, so a doctor's number (its place in the roster, which keys
 * its absence stream) is the same at every size. Primary clinics (△) come round-robin over
 * the blocks (block 1's first, block 2's first, ..., block 1's second, ...), in table order
 * within a block, participating or not: the pool is every primary of the table. Pairing's
 * plan puts a backup clinic (▲) of the block, in table order, just before the primary that
 * first needs it (the block's last backup carries max_primaries_per_backup primaries), and
 * pairs each primary with its block's last backup; a primary whose block has no backup left
 * is left out. The other schemes' plan starts with every backup clinic of the table, then the
 * primaries. Backups therefore take part under the other schemes from size 0, and the sizes
 * tried run from 0 to the pool (every primary).
 *
 * Per replication: its demand (population and demand stages, as a run draws them) gives each
 * target year's projected patients N. For each plan and size the coverage engine simulates
 * the year (one engine call answers every scheme that shares the plan; its outcome is kept, so
 * a size is simulated once per plan); a size whose panel places cannot hold N in some block
 * fails on coverage without a simulation. Common random numbers: every patient's events come
 * from the stream of its panel place (slot) and every doctor's absences from that of its
 * number, keyed by replication and target year: at every size where all N are covered the
 * same N slots exist with the same events (which doctor holds a slot can change, since
 * patients fill panels in proportion to their capacity), and doctors keep their number.
 *
 * Most patients per doctor: the scenario's participants as they are, p patients per
 * participating doctor (N = p x doctors), every panel widened by one factor so all fit; the
 * criterion "a p95 limit is broken" is searched over p = 1..max_patients_hi. */
#include "carecast/capacity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "carecast/coverage_row.h"
#include "carecast/demand_row.h"
#include "carecast/population.h"
#include "carecast/run.h"

const char *cc_capacity_limit_name(int limits, char *buf, size_t size)
{
    static const char *const names[3] = {"coverage", "duty nights", "disturbed nights"};
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < 3; i++)
        if (limits & (1 << i))
            used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s", used ? "+" : "", names[i]);
    if (!limits)
        snprintf(buf, size, "none");
    return buf;
}

/* ---- plans: the clinics in the order they take part ---- */

typedef struct {
    int n, pool;         /* clinics; primaries (sizes 0..pool) */
    cc_clinic *clinics;  /* [n] participates = 1, backup = index in this plan or -1 */
    int *prefix;         /* [pool + 1] clinics taking part at size k */
    int *primary_doctors, *backup_doctors; /* [pool + 1] at size k */
    int nschemes;        /* the requested schemes this plan serves */
    cc_scheme_id scheme[CC_SCHEMES];
    int slot[CC_SCHEMES];/* their index among the requested schemes */
} plan;

static void plan_free(plan *pl)
{
    free(pl->clinics);
    free(pl->prefix);
    free(pl->primary_doctors);
    free(pl->backup_doctors);
    memset(pl, 0, sizeof *pl);
}

/* The primaries of the table, round-robin over blocks, table order within a block. */
static int primary_order(const cc_coverage_params *p, int *order)
{
    int n = 0;
    for (int round = 0;; round++) {
        int added = 0;
        for (int b = 0; b < p->nblocks; b++) {
            int seen = 0;
            for (int c = 0; c < p->nclinics; c++) {
                if (p->clinics[c].type != CC_CLINIC_PRIMARY || p->clinics[c].block != b)
                    continue;
                if (seen++ == round) {
                    order[n++] = c;
                    added = 1;
                    break;
                }
            }
        }
        if (!added)
            return n;
    }
}

static int plan_build(const cc_coverage_params *p, int pairing, plan *pl)
{
    memset(pl, 0, sizeof *pl);
    int nc = p->nclinics > 0 ? p->nclinics : 1;
    int *order = malloc(nc * sizeof *order);
    pl->clinics = malloc(nc * sizeof *pl->clinics);
    pl->prefix = malloc((nc + 1) * sizeof *pl->prefix);
    pl->primary_doctors = malloc((nc + 1) * sizeof *pl->primary_doctors);
    pl->backup_doctors = malloc((nc + 1) * sizeof *pl->backup_doctors);
    if (!order || !pl->clinics || !pl->prefix || !pl->primary_doctors || !pl->backup_doctors) {
        free(order);
        return CC_ERR_NOMEM;
    }
    int nprimaries = primary_order(p, order), primaries = 0, backups = 0;
#define APPEND(c, backup_index)                                               \
    do {                                                                      \
        pl->clinics[pl->n] = p->clinics[c];                                   \
        pl->clinics[pl->n].participates = 1;                                  \
        pl->clinics[pl->n].backup = (backup_index);                           \
        if (p->clinics[c].type == CC_CLINIC_PRIMARY) primaries += p->clinics[c].doctors; \
        else backups += p->clinics[c].doctors;                                \
        pl->n++;                                                              \
    } while (0)
    if (!pairing)
        for (int c = 0; c < p->nclinics; c++)
            if (p->clinics[c].type == CC_CLINIC_BACKUP)
                APPEND(c, -1);
    int last_backup[CC_COVERAGE_MAX_BLOCKS], carried[CC_COVERAGE_MAX_BLOCKS], next_backup[CC_COVERAGE_MAX_BLOCKS];
    for (int b = 0; b < CC_COVERAGE_MAX_BLOCKS; b++)
        last_backup[b] = -1, carried[b] = 0, next_backup[b] = 0;
    pl->prefix[0] = pl->n;
    pl->primary_doctors[0] = primaries;
    pl->backup_doctors[0] = backups;
    for (int i = 0; i < nprimaries; i++) {
        int c = order[i], b = p->clinics[c].block, backup = -1;
        if (pairing) {
            if (last_backup[b] < 0 || carried[b] >= p->max_primaries_per_backup) {
                int found = -1; /* the block's next backup in table order */
                for (int q = next_backup[b]; q < p->nclinics && found < 0; q++)
                    if (p->clinics[q].type == CC_CLINIC_BACKUP && p->clinics[q].block == b)
                        found = q;
                if (found < 0 || p->max_primaries_per_backup < 1)
                    continue; /* no backup left for this block: the primary is left out */
                next_backup[b] = found + 1;
                last_backup[b] = pl->n;
                carried[b] = 0;
                APPEND(found, -1);
            }
            backup = last_backup[b];
            carried[b]++;
        }
        APPEND(c, backup);
        pl->pool++;
        pl->prefix[pl->pool] = pl->n;
        pl->primary_doctors[pl->pool] = primaries;
        pl->backup_doctors[pl->pool] = backups;
    }
#undef APPEND
    free(order);
    return 0;
}

/* ---- one replication ---- */

typedef struct {
    const cc_scenario *s;
    const cc_capacity_options *opt;
    cc_capacity_result *out;
    plan plans[2];               /* 0: pairing, 1: the others */
    int with_plan[2];
} context;

/* What a thread owns. */
typedef struct {
    cc_population_workspace ws;
    cc_population_rates rates;
    cc_population_path path;
    cc_demand_row demand;
    cc_clinic *clinics;          /* a plan's clinics with this size's participation */
    int nclinics_cap;
    int *flags;                  /* [size][CC_SCHEMES] limit bits, -1: not simulated */
    int flags_cap;
    cc_coverage_workspace *coverage; /* reused by every evaluation (NULL until the first) */
} thread_state;

/* Largest-remainder split of total over the block shares (as the engine splits patients). */
static void split_blocks(long total, const cc_coverage_params *p, long *out)
{
    double sum = 0;
    for (int b = 0; b < p->nblocks; b++)
        sum += p->block_share[b];
    long given = 0;
    for (int b = 0; b < p->nblocks; b++)
        given += out[b] = sum > 0 ? (long)floor(total * p->block_share[b] / sum) : 0;
    while (given < total) {
        int best = -1;
        double best_rem = -1;
        for (int b = 0; b < p->nblocks; b++) {
            double rem = sum > 0 ? total * p->block_share[b] / sum - out[b] : 0;
            if (rem > best_rem)
                best_rem = rem, best = b;
        }
        if (best < 0)
            break;
        out[best]++;
        given++;
    }
}

/* 1 when every block's participating panels hold its patients. */
static int all_covered(const cc_coverage_params *p, long patients)
{
    long by_block[CC_COVERAGE_MAX_BLOCKS];
    double room[CC_COVERAGE_MAX_BLOCKS] = {0};
    split_blocks(patients, p, by_block);
    for (int c = 0; c < p->nclinics; c++)
        if (p->clinics[c].participates)
            room[p->clinics[c].block] += floor(p->clinics[c].panel_capacity);
    for (int b = 0; b < p->nblocks; b++)
        if ((double)by_block[b] > room[b])
            return 0;
    return 1;
}

/* Simulate params (its clinics and schemes) for one replication's target year with `patients`
 * patients; the limit bits of each scheme into flags[0..nschemes). */
static int simulate_flags(const cc_coverage_params *p, const cc_scenario *s, uint32_t rep, int year_index,
                          long patients, int *flags, cc_coverage_workspace **wsp)
{
    if (!all_covered(p, patients)) {
        for (int i = 0; i < p->nschemes; i++)
            flags[i] = CC_LIMIT_COVERAGE;
        return 0;
    }
    cc_coverage_layout layout;
    cc_coverage_result result;
    memset(&result, 0, sizeof result);
    cc_error err;
    int ret = cc_coverage_layout_build(p, &layout, &err);
    if (ret == 0 && *wsp && (ret = cc_coverage_workspace_reuse(*wsp, p, &layout)) != 0) {
        cc_coverage_workspace_free(*wsp); /* unfit after a failure */
        *wsp = NULL;
    } else if (ret == 0 && !*wsp)
        ret = cc_coverage_workspace_alloc(wsp, p, &layout);
    cc_coverage_workspace *ws = *wsp;
    if (ret == 0)
        ret = cc_coverage_result_init(&result, p, &layout);
    if (ret == 0) {
        cc_coverage_input input = {(double)patients, s->demand.urgent_calls_per_patient_month};
        ret = cc_coverage_simulate(p, &layout, &s->run, rep, year_index, &input, ws, &result);
    }
    for (int i = 0; ret == 0 && i < p->nschemes; i++) {
        const double *m = result.scheme + (size_t)i * CC_SCH_METRICS;
        int bits = result.year[CC_COV_UNCOVERED] > 0 ? CC_LIMIT_COVERAGE : 0;
        /* NaN (nobody holds duty) is no load */
        if (m[CC_SCH_DUTY_NIGHTS_P95] > p->max_duty_nights_per_month)
            bits |= CC_LIMIT_DUTY_NIGHTS;
        if (m[CC_SCH_DISTURBED_P95] > p->max_disturbed_nights_per_month)
            bits |= CC_LIMIT_DISTURBED_NIGHTS;
        flags[i] = bits;
    }
    cc_coverage_result_free(&result);
    cc_coverage_layout_free(&layout);
    return ret;
}

/* The criterion of one scheme's search, over the outcomes kept for its plan. */
typedef struct {
    const context *ctx;
    thread_state *ts;
    const plan *pl;          /* doctors needed: the plan; NULL: most patients (the scenario's own) */
    int scheme_in_plan;      /* the scheme's index among those simulated together */
    uint32_t rep;
    int year_index;          /* among the scenario's target years */
    long patients;           /* doctors needed: N */
    int participants;        /* most patients: the scenario's participating doctors */
    double place_factor;     /* most patients: total panel places of the scenario */
} criterion_state;

static int outcome(criterion_state *cs, int size)
{
    thread_state *ts = cs->ts;
    int *row = ts->flags + (size_t)size * CC_SCHEMES;
    if (row[0] >= 0)
        return row[cs->scheme_in_plan];
    const cc_scenario *s = cs->ctx->s;
    cc_coverage_params p = s->coverage;
    long patients = cs->patients;
    if (cs->pl) {
        const plan *pl = cs->pl;
        memcpy(ts->clinics, pl->clinics, pl->n * sizeof *ts->clinics);
        for (int c = 0; c < pl->n; c++)
            ts->clinics[c].participates = c < pl->prefix[size];
        p.clinics = ts->clinics;
        p.nclinics = pl->n;
        p.nschemes = pl->nschemes;
        memcpy(p.scheme, pl->scheme, sizeof p.scheme);
    } else {
        /* p patients per doctor; every panel widened by one factor so each block holds its own */
        patients = (long)size * cs->participants;
        long by_block[CC_COVERAGE_MAX_BLOCKS];
        double room[CC_COVERAGE_MAX_BLOCKS] = {0};
        split_blocks(patients, &p, by_block);
        for (int c = 0; c < p.nclinics; c++)
            if (p.clinics[c].participates)
                room[p.clinics[c].block] += p.clinics[c].panel_capacity;
        double factor = 1;
        for (int b = 0; b < p.nblocks; b++)
            if (room[b] > 0 && (by_block[b] + 1.0) / room[b] + 1 > factor)
                factor = (by_block[b] + 1.0) / room[b] + 1;
        memcpy(ts->clinics, p.clinics, p.nclinics * sizeof *ts->clinics);
        for (int c = 0; c < p.nclinics; c++)
            ts->clinics[c].panel_capacity = ceil(p.clinics[c].panel_capacity * factor);
        p.clinics = ts->clinics;
        p.nschemes = cs->ctx->out->nschemes;
        memcpy(p.scheme, cs->ctx->out->schemes, sizeof p.scheme);
    }
    int ret = simulate_flags(&p, s, cs->rep, cs->year_index, patients, row, &ts->coverage);
    return ret != 0 ? ret : row[cs->scheme_in_plan];
}

static int needed_criterion(int size, void *user)
{
    int bits = outcome(user, size);
    return bits < 0 ? bits : bits == 0;
}

static int broken_criterion(int size, void *user)
{
    int bits = outcome(user, size);
    return bits < 0 ? bits : (bits & (CC_LIMIT_DUTY_NIGHTS | CC_LIMIT_DISTURBED_NIGHTS)) != 0;
}

static void reset_flags(thread_state *ts)
{
    for (int i = 0; i < ts->flags_cap * CC_SCHEMES; i++)
        ts->flags[i] = -1;
}

static int run_replication(const context *ctx, thread_state *ts, uint32_t rep, const cc_population_model *model)
{
    const cc_scenario *s = ctx->s;
    cc_capacity_result *out = ctx->out;
    int ret;
    if ((ret = cc_population_rates_draw(&s->population, model, &s->run, rep, &ts->ws, &ts->rates)) != 0 ||
        (ret = cc_population_simulate(&s->population, &ts->rates, &s->run, rep, &ts->ws, &ts->path)) != 0)
        return ret;
    cc_demand_row_compute(&ts->demand, &s->demand, &s->run, &ts->path, rep, ts->ws.parameters);
    const double *home_care = cc_demand_row_expected(&ts->demand, CC_DEMAND_HOME_CARE);
    for (int y = 0; y < out->nyears; y++) {
        int index = out->years[y] - s->population.base_year;
        if (index < 0 || index >= ts->demand.years)
            return CC_ERR_USAGE;
        long patients = home_care[index] > 0 ? lround(home_care[index]) : 0;
        out->patients[(size_t)y * out->replications + rep] = (double)patients;
        for (int k = 0; k < 2; k++) {
            if (!ctx->with_plan[k])
                continue;
            const plan *pl = &ctx->plans[k];
            reset_flags(ts);
            for (int i = 0; i < pl->nschemes; i++) {
                criterion_state cs = {ctx, ts, pl, i, rep, out->year_index[y], patients, 0, 0};
                cc_search_result sr;
                cc_capacity_search(0, pl->pool, needed_criterion, &cs, &sr);
                if (sr.status == CC_SEARCH_ERROR)
                    return sr.error;
                cc_capacity_cell *cell = cc_capacity_at(out, pl->slot[i], y);
                cell->status[rep] = sr.status;
                cell->evaluations[rep] = sr.evaluations;
                cell->doctors[rep] = cell->primary_doctors[rep] = cell->backup_doctors[rep] = NAN;
                cell->binding[rep] = 0;
                if (sr.status == CC_SEARCH_FOUND) {
                    cell->primary_doctors[rep] = pl->primary_doctors[sr.size];
                    cell->backup_doctors[rep] = pl->backup_doctors[sr.size];
                    cell->doctors[rep] = cell->primary_doctors[rep] + cell->backup_doctors[rep];
                    if (sr.size > 0)
                        cell->binding[rep] = ts->flags[(size_t)(sr.size - 1) * CC_SCHEMES + i];
                } else if (sr.status == CC_SEARCH_NONE) {
                    cell->binding[rep] = ts->flags[(size_t)pl->pool * CC_SCHEMES + i];
                }
            }
        }
        if (!ctx->opt->max_patients)
            continue;
        reset_flags(ts);
        for (int i = 0; i < out->nschemes; i++) {
            criterion_state cs = {ctx, ts, NULL, i, rep, out->year_index[y], 0, out->participants, 0};
            cc_search_result sr;
            cc_capacity_search(1, out->max_patients_hi, broken_criterion, &cs, &sr);
            if (sr.status == CC_SEARCH_ERROR)
                return sr.error;
            cc_capacity_cell *cell = cc_capacity_at(out, i, y);
            cell->patients_status[rep] = sr.status;
            cell->max_patients[rep] = sr.status == CC_SEARCH_FOUND  ? sr.size - 1
                                      : sr.status == CC_SEARCH_NONE ? out->max_patients_hi
                                                                    : NAN;
        }
    }
    return 0;
}

/* ---- summaries over replications ---- */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile of sorted data (as gsl_stats_quantile_from_sorted_data); infinite ends stay infinite. */
static double quantile(const double *sorted, int n, double level)
{
    double h = (n - 1) * level;
    int lo = (int)floor(h);
    double d = h - lo;
    if (d == 0 || lo + 1 >= n)
        return sorted[lo];
    if (isinf(sorted[lo + 1]))
        return sorted[lo + 1];
    return (1 - d) * sorted[lo] + d * sorted[lo + 1];
}

static void three_quantiles(const double *values, int n, int missing_high, double *q, double *scratch)
{
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(values[i]))
            scratch[m++] = values[i];
        else if (missing_high)
            scratch[m++] = INFINITY;
    if (m == 0) {
        q[0] = q[1] = q[2] = NAN;
        return;
    }
    qsort(scratch, m, sizeof *scratch, compare_doubles);
    static const double levels[3] = {0.05, 0.5, 0.95};
    for (int j = 0; j < 3; j++) {
        q[j] = quantile(scratch, m, levels[j]);
        if (isinf(q[j]))
            q[j] = NAN;
    }
}

static double median_of(const double *values, int n, double *scratch)
{
    double q[3];
    three_quantiles(values, n, 0, q, scratch);
    return q[1];
}

static void summarise(cc_capacity_result *r, double *scratch)
{
    int n = (int)r->replications;
    for (int k = 0; k < r->nschemes; k++)
        for (int y = 0; y < r->nyears; y++) {
            cc_capacity_cell *c = cc_capacity_at(r, k, y);
            three_quantiles(c->doctors, n, 1, c->doctors_q, scratch);
            c->primary_median = median_of(c->primary_doctors, n, scratch);
            c->backup_median = median_of(c->backup_doctors, n, scratch);
            int found = 0, count[8] = {0};
            double evaluations = 0;
            for (int i = 0; i < n; i++) {
                found += c->status[i] == CC_SEARCH_FOUND;
                c->not_monotone += c->status[i] == CC_SEARCH_NOT_MONOTONE;
                count[c->binding[i] & 7]++;
                evaluations += c->evaluations[i];
            }
            c->attainable = n > 0 ? (double)found / n : NAN;
            c->evaluations_mean = n > 0 ? evaluations / n : NAN;
            c->binding_mode = 0;
            for (int b = 1; b < 8; b++)
                if (count[b] > count[c->binding_mode])
                    c->binding_mode = b;
            three_quantiles(c->max_patients, n, 0, c->max_patients_q, scratch);
        }
}

/* ---- the entry point ---- */

static int cell_alloc(cc_capacity_cell *c, long n)
{
    memset(c, 0, sizeof *c);
    size_t m = n > 0 ? (size_t)n : 1;
    c->status = calloc(m, sizeof *c->status);
    c->evaluations = calloc(m, sizeof *c->evaluations);
    c->binding = calloc(m, sizeof *c->binding);
    c->patients_status = calloc(m, sizeof *c->patients_status);
    c->doctors = malloc(m * sizeof *c->doctors);
    c->primary_doctors = malloc(m * sizeof *c->primary_doctors);
    c->backup_doctors = malloc(m * sizeof *c->backup_doctors);
    c->max_patients = malloc(m * sizeof *c->max_patients);
    if (!c->status || !c->evaluations || !c->binding || !c->patients_status || !c->doctors || !c->primary_doctors ||
        !c->backup_doctors || !c->max_patients)
        return CC_ERR_NOMEM;
    for (size_t i = 0; i < m; i++)
        c->doctors[i] = c->primary_doctors[i] = c->backup_doctors[i] = c->max_patients[i] = NAN;
    return 0;
}

void cc_capacity_result_free(cc_capacity_result *r)
{
    for (int i = 0; r->cell && i < r->nschemes * r->nyears; i++) {
        cc_capacity_cell *c = &r->cell[i];
        free(c->status);
        free(c->evaluations);
        free(c->binding);
        free(c->patients_status);
        free(c->doctors);
        free(c->primary_doctors);
        free(c->backup_doctors);
        free(c->max_patients);
    }
    free(r->cell);
    free(r->patients);
    memset(r, 0, sizeof *r);
}

static int thread_state_init(thread_state *ts, const cc_scenario *s, int nclinics, int sizes)
{
    memset(ts, 0, sizeof *ts);
    int years = cc_scenario_years(s);
    ts->nclinics_cap = nclinics > 0 ? nclinics : 1;
    ts->flags_cap = sizes;
    ts->clinics = malloc(ts->nclinics_cap * sizeof *ts->clinics);
    ts->flags = malloc((size_t)sizes * CC_SCHEMES * sizeof *ts->flags);
    if (!ts->clinics || !ts->flags || cc_population_workspace_init(&ts->ws) != 0 ||
        cc_population_rates_init(&ts->rates, years) != 0 || cc_population_path_init(&ts->path, years) != 0 ||
        cc_demand_row_init(&ts->demand, years) != 0)
        return CC_ERR_NOMEM;
    return 0;
}

static void thread_state_free(thread_state *ts)
{
    free(ts->clinics);
    free(ts->flags);
    cc_coverage_workspace_free(ts->coverage);
    cc_demand_row_free(&ts->demand);
    cc_population_path_free(&ts->path);
    cc_population_rates_free(&ts->rates);
    cc_population_workspace_free(&ts->ws);
}

/* Which years and schemes, checked against the scenario. */
static int choose(const cc_scenario *s, const cc_capacity_options *opt, cc_capacity_result *out, cc_error *err)
{
    const cc_coverage_params *p = &s->coverage;
    out->nyears = opt->nyears > 0 ? opt->nyears : p->nyears;
    for (int y = 0; y < out->nyears; y++) {
        out->years[y] = opt->nyears > 0 ? opt->years[y] : p->target_year[y];
        out->year_index[y] = -1;
        for (int i = 0; i < p->nyears; i++)
            if (p->target_year[i] == out->years[y])
                out->year_index[y] = i;
        if (out->year_index[y] < 0)
            return cc_error_set(err, CC_ERR_USAGE, s->path, 0, "coverage.target_years",
                                "%d is not one of the scenario's coverage target years", out->years[y]);
        for (int i = 0; i < y; i++)
            if (out->years[i] == out->years[y])
                return cc_error_set(err, CC_ERR_USAGE, NULL, 0, NULL, "year %d is asked for twice", out->years[y]);
    }
    out->nschemes = opt->nschemes > 0 ? opt->nschemes : p->nschemes;
    for (int k = 0; k < out->nschemes; k++) {
        out->schemes[k] = opt->nschemes > 0 ? opt->schemes[k] : p->scheme[k];
        if (out->schemes[k] < 0 || out->schemes[k] >= CC_SCHEMES)
            return cc_error_set(err, CC_ERR_USAGE, NULL, 0, NULL, "no such scheme");
        for (int i = 0; i < k; i++)
            if (out->schemes[i] == out->schemes[k])
                return cc_error_set(err, CC_ERR_USAGE, NULL, 0, NULL, "scheme %s is asked for twice",
                                    cc_scheme_name(out->schemes[k]));
    }
    if (out->nyears < 1 || out->nschemes < 1)
        return cc_error_set(err, CC_ERR_USAGE, s->path, 0, NULL, "no target year or no scheme to compute");
    return 0;
}

int cc_capacity_compute(const cc_scenario *s, const cc_capacity_options *opt, cc_capacity_result *out, cc_error *err)
{
    memset(out, 0, sizeof *out);
    if (!s->coverage.enabled || !s->demand.enabled)
        return cc_error_set(err, CC_ERR_USAGE, s->path, 0, NULL,
                            "the scenario simulates no coverage (it needs [demand] and a [coverage] clinics table)");
    int ret = choose(s, opt, out, err);
    if (ret != 0)
        return ret;
    const cc_coverage_params *p = &s->coverage;
    long reps = opt->replications > 0 ? opt->replications
                : p->replications > 0 && p->replications < s->run.replications ? p->replications
                                                                                : s->run.replications;
    out->replications = reps;
    out->max_patients_hi = opt->max_patients_hi > 0 ? opt->max_patients_hi : CC_CAPACITY_MAX_PATIENTS_HI;
    out->max_duty_nights = p->max_duty_nights_per_month;
    out->max_disturbed_nights = p->max_disturbed_nights_per_month;
    context ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.s = s;
    ctx.opt = opt;
    ctx.out = out;
    cc_population_model model;
    memset(&model, 0, sizeof model);
    cc_coverage_layout own;
    memset(&own, 0, sizeof own);
    double *scratch = NULL;
    out->patients = calloc((size_t)out->nyears * (reps > 0 ? reps : 1), sizeof *out->patients);
    out->cell = calloc((size_t)out->nschemes * out->nyears, sizeof *out->cell);
    if (!out->patients || !out->cell) {
        ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto done;
    }
    for (int i = 0; i < out->nschemes * out->nyears; i++)
        if (cell_alloc(&out->cell[i], reps) != 0) {
            ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
            goto done;
        }
    for (int k = 0; k < 2; k++) {
        if ((ret = plan_build(p, k == 0, &ctx.plans[k])) != 0) {
            ret = cc_error_set(err, ret, NULL, 0, NULL, "out of memory");
            goto done;
        }
        for (int i = 0; i < out->nschemes; i++)
            if ((out->schemes[i] == CC_SCHEME_PAIRING) == (k == 0)) {
                plan *pl = &ctx.plans[k];
                pl->scheme[pl->nschemes] = out->schemes[i];
                pl->slot[pl->nschemes++] = i;
                for (int y = 0; y < out->nyears; y++) {
                    cc_capacity_cell *c = cc_capacity_at(out, i, y);
                    c->pool_size = pl->pool;
                    c->pool_primary_doctors = pl->primary_doctors[pl->pool];
                    c->pool_backup_doctors = pl->backup_doctors[pl->pool];
                }
            }
        ctx.with_plan[k] = ctx.plans[k].nschemes > 0;
    }
    if ((ret = cc_coverage_layout_build(p, &own, err)) != 0) {
        for (int i = 0; err->line > 0 && !err->file[0] && i < s->ntables; i++)
            if (strcmp(s->tables[i].key, "coverage.clinics") == 0)
                snprintf(err->file, sizeof err->file, "%s", s->tables[i].path);
        cc_scenario_locate(s, err);
        goto done;
    }
    out->participants = own.ndoctors;
    if ((ret = cc_population_model_build(&s->population, &model, err)) != 0) {
        cc_scenario_locate(s, err);
        goto done;
    }
    int sizes = ctx.plans[0].pool > ctx.plans[1].pool ? ctx.plans[0].pool : ctx.plans[1].pool;
    if (out->max_patients_hi > sizes)
        sizes = out->max_patients_hi;
    sizes++;
    int threads = cc_run_threads(opt->threads), failed = 0;
    int *codes = calloc(reps > 0 ? (size_t)reps : 1, sizeof *codes);
    if (!codes) {
        ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto done;
    }
#pragma omp parallel num_threads(threads) reduction(| : failed)
    {
        thread_state ts;
        int ok = thread_state_init(&ts, s, p->nclinics, sizes) == 0;
#pragma omp for schedule(dynamic, 1)
        for (long r = 0; r < reps; r++) {
            if (opt->interrupted && *opt->interrupted)
                codes[r] = CC_ERR_INTERRUPTED;
            else
                codes[r] = ok ? run_replication(&ctx, &ts, (uint32_t)r, &model) : CC_ERR_NOMEM;
        }
        failed |= !ok;
        thread_state_free(&ts);
    }
    for (long r = 0; r < reps && ret == 0; r++) /* the first failure in replication order */
        if (codes[r] != 0)
            ret = codes[r];
    free(codes);
    if (ret == 0 && failed)
        ret = CC_ERR_NOMEM;
    if (ret != 0) {
        ret = cc_error_set(err, ret, s->path, 0, NULL, "%s",
                           ret == CC_ERR_INTERRUPTED ? "interrupted"
                           : ret == CC_ERR_NOMEM     ? "out of memory in a capacity replication"
                                                     : "a capacity replication failed (the coverage calendar refuses a "
                                                       "target year or closure date?)");
        goto done;
    }
    if (!(scratch = malloc((reps > 0 ? (size_t)reps : 1) * sizeof *scratch))) {
        ret = cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto done;
    }
    summarise(out, scratch);
done:
    free(scratch);
    cc_population_model_free(&model);
    cc_coverage_layout_free(&own);
    plan_free(&ctx.plans[0]);
    plan_free(&ctx.plans[1]);
    if (ret != 0)
        cc_capacity_result_free(out);
    return ret;
}
