/* The coverage engine: one replication's target year under every scheme.
 * The scheme-independent events are drawn once (events.c); each scheme then answers them:
 *  - Rosters: each cover group's members hold its duty periods (nights and days, one roster)
 *    in turn, skipping members away that day.
 *  - One responder per call: the own doctor when the call comes in hours and they are not
 *    away; otherwise the holder of the group's current period (in hours: the holder of the
 *    coming duty night). No responder (solo away, no group): the call escalates.
 *  - A responder busy with a job finishes it first (jobs are answered in order of arrival);
 *    a visit that cannot arrive, or phone advice that cannot start, within the maximum wait
 *    escalates to ambulance and hospital and costs the doctor nothing. Deaths at home are
 *    visits of death_visit_minutes. Scheduled visits are made by the own doctor (skipped when
 *    away) and delay later calls like any job; the hours of those pushed past closing are
 *    counted apart (queued hours), not in out-of-hours hours.
 *  - Metrics as the README's "Coverage" section defines them (duty nights, disturbed nights,
 *    night visits, out-of-hours hours, continuity, escalations, response times), per doctor
 *    and summarised per scheme over the doctors who hold out-of-hours duty. */
#include "engine.h"
#include "calendar_time.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "carecast/rng.h"

int cc_engine_scratch_init(cc_engine_scratch *s, int ndoctors, int max_groups)
{
    memset(s, 0, sizeof *s);
    size_t n = ndoctors > 0 ? (size_t)ndoctors : 1, g = max_groups > 0 ? (size_t)max_groups : 1;
    s->ndoctors = ndoctors;
    s->holder = malloc(g * CC_CALENDAR_MAX_PERIODS * sizeof *s->holder);
    s->roster_position = malloc(g * sizeof *s->roster_position);
    s->free_at = malloc(n * sizeof *s->free_at);
    s->night_held = malloc(n * CC_CALENDAR_MAX_DAYS);
    s->night_disturbed = malloc(n * CC_CALENDAR_MAX_DAYS);
    s->month_nights = malloc(n * 12 * sizeof(double));
    s->month_disturbed = malloc(n * 12 * sizeof(double));
    s->sorted = malloc(n * sizeof *s->sorted);
    s->is_holder = malloc(n * sizeof *s->is_holder);
    if (!s->holder || !s->roster_position || !s->free_at || !s->night_held || !s->night_disturbed ||
        !s->month_nights || !s->month_disturbed || !s->sorted || !s->is_holder) {
        cc_engine_scratch_free(s);
        return CC_ERR_NOMEM;
    }
    return 0;
}

void cc_engine_scratch_free(cc_engine_scratch *s)
{
    free(s->holder);
    free(s->roster_position);
    free(s->free_at);
    free(s->night_held);
    free(s->night_disturbed);
    free(s->month_nights);
    free(s->month_disturbed);
    free(s->response);
    free(s->sorted);
    free(s->is_holder);
    memset(s, 0, sizeof *s);
}

double cc_engine_travel_minutes(const cc_coverage_params *p)
{
    double block_area = p->area_km2 / (p->nblocks > 0 ? p->nblocks : 1);
    return p->distance_factor * sqrt(block_area) / p->speed_kmh * 60.0;
}

static int month_of_day(const cc_calendar *cal, int day)
{
    return cal->month[day];
}

/* Holders of every group's periods, and each holder's duty nights and days. */
static void build_rosters(const cc_calendar *cal, const cc_scheme_groups *g, const unsigned char *absent,
                          cc_engine_scratch *s, double *doctor)
{
    memset(s->is_holder, 0, s->ndoctors * sizeof *s->is_holder);
    for (int k = 0; k < g->first_member[g->ngroups]; k++)
        s->is_holder[g->member[k]] = 1;
    for (int grp = 0; grp < g->ngroups; grp++)
        s->roster_position[grp] = 0;
    for (int k = 0; k < cal->n_periods; k++) {
        const cc_calendar_period *period = &cal->periods[k];
        for (int grp = 0; grp < g->ngroups; grp++) {
            int first = g->first_member[grp], size = g->first_member[grp + 1] - first, holder = -1;
            for (int i = 0; i < size; i++) {
                int pos = (s->roster_position[grp] + i) % size, d = g->member[first + pos];
                if (!absent[(size_t)d * CC_CALENDAR_MAX_DAYS + period->day]) {
                    holder = d;
                    s->roster_position[grp] = (pos + 1) % size;
                    break;
                }
            }
            s->holder[(size_t)grp * CC_CALENDAR_MAX_PERIODS + k] = holder;
            if (holder < 0)
                continue;
            double *row = doctor + (size_t)holder * CC_DOC_METRICS;
            if (period->kind == CC_CALENDAR_DUTY_NIGHT) {
                row[CC_DOC_DUTY_NIGHTS]++;
                s->night_held[(size_t)holder * CC_CALENDAR_MAX_DAYS + period->day] = 1;
                s->month_nights[(size_t)holder * 12 + month_of_day(cal, period->day)]++;
            } else {
                row[CC_DOC_DUTY_DAYS]++;
            }
        }
    }
}

/* The duty night of date `day` (every date has one; it follows the duty day if there is one). */
static int night_period_of_day(const cc_calendar *cal, int day)
{
    int k = cal->first_period[day];
    return cal->periods[k].kind == CC_CALENDAR_DUTY_NIGHT ? k : k + 1;
}

/* Who answers a call at time t from a patient of doctor `own`: a doctor, or -1. */
static int responder(const cc_calendar *cal, const cc_scheme_groups *g, const unsigned char *absent,
                     const cc_engine_scratch *s, int own, double t)
{
    int day = (int)(t / CC_CALENDAR_DAY_MINUTES), period = 0; /* every event lies in the year */
    int away = absent[(size_t)own * CC_CALENDAR_MAX_DAYS + day];
    int in_hours = cc_calendar_period_at(cal, t, &period) == CC_CALENDAR_IN_HOURS_OUTCOME;
    if (in_hours && !away)
        return own;
    int grp = g->patient_group[own];
    if (grp < 0)
        return -1;
    if (in_hours)
        period = night_period_of_day(cal, day);
    return s->holder[(size_t)grp * CC_CALENDAR_MAX_PERIODS + period];
}

typedef struct {
    double calls, own_answers, escalations, responses;
} tally;

static int add_response(cc_engine_scratch *s, size_t *n, double minutes)
{
    if (*n == s->response_cap) {
        size_t cap = s->response_cap ? 2 * s->response_cap : 4096;
        double *grown = realloc(s->response, cap * sizeof *grown);
        if (!grown)
            return CC_ERR_NOMEM;
        s->response = grown;
        s->response_cap = cap;
    }
    s->response[(*n)++] = minutes;
    return 0;
}

/* Record the start of an answer at time `start` by doctor d: disturbed nights, OOH hours. */
static void record_answer(const cc_calendar *cal, cc_engine_scratch *s, double *doctor, int d, double start,
                          double minutes, int is_visit)
{
    double *row = doctor + (size_t)d * CC_DOC_METRICS;
    cc_calendar_class cls;
    if (cc_calendar_classify_at(cal, start, &cls) != 0)
        return; /* starts after the year's end: not this year's work */
    if (cls != CC_CALENDAR_IN_HOURS)
        row[CC_DOC_OOH_HOURS] += minutes / 60.0;
    if (cls != CC_CALENDAR_NIGHT)
        return;
    row[CC_DOC_NIGHT_VISITS] += is_visit;
    int day = (int)(start / CC_CALENDAR_DAY_MINUTES);
    unsigned char *mark = &s->night_disturbed[(size_t)d * CC_CALENDAR_MAX_DAYS + day];
    /* a disturbed night is a duty night: an answer after 22:00 by a doctor who does not hold
     * that night (an in-hours call that waited past 22:00, possible with a maximum wait over
     * 4.5 hours) is night work, not a disturbed duty night */
    if (!*mark && s->night_held[(size_t)d * CC_CALENDAR_MAX_DAYS + day]) {
        *mark = 1;
        row[CC_DOC_DISTURBED_NIGHTS]++;
        s->month_disturbed[(size_t)d * 12 + month_of_day(cal, day)]++;
    }
}

/* max of two times (never NaN) without fmax's library call: the event loop's hottest line */
static inline double later(double a, double b)
{
    return a > b ? a : b;
}

static int answer_events(const cc_coverage_params *p, const cc_calendar *cal, const cc_scheme_groups *g,
                         const cc_event_list *list, const unsigned char *absent, cc_engine_scratch *s, double *doctor,
                         tally *t, size_t *nresponses)
{
    const double travel = cc_engine_travel_minutes(p);
    for (size_t i = 0; i < list->n; i++) {
        const cc_event *e = &list->events[i];
        int own = list->slot_doctor[e->slot];
        if (e->kind == CC_EVENT_SCHEDULED) {
            int day = (int)(e->time / CC_CALENDAR_DAY_MINUTES);
            if (absent[(size_t)own * CC_CALENDAR_MAX_DAYS + day])
                continue; /* skipped, not made up */
            double start = later(e->time, s->free_at[own]), minutes = 2 * travel + p->scheduled_visit_minutes;
            s->free_at[own] = start + minutes;
            /* queued past closing: pushed by earlier jobs to start after in-hours (one that
             * starts in hours and runs over is in-hours work) */
            if (start >= day * (double)CC_CALENDAR_DAY_MINUTES + cal->in_hours_end[day])
                doctor[(size_t)own * CC_DOC_METRICS + CC_DOC_QUEUED_HOURS] += minutes / 60.0;
            continue;
        }
        int is_visit = e->kind != CC_EVENT_PHONE, d = responder(cal, g, absent, s, own, e->time);
        t->calls++;
        double start = d >= 0 ? later(e->time, s->free_at[d]) : 0;
        double wait = d >= 0 ? start - e->time + (is_visit ? travel : 0) : INFINITY;
        if (wait > p->max_wait_minutes) {
            t->escalations++;
            continue;
        }
        double on_site = e->kind == CC_EVENT_DEATH ? p->death_visit_minutes
                         : is_visit              ? p->urgent_visit_minutes
                                                 : p->phone_minutes;
        double minutes = on_site + (is_visit ? 2 * travel : 0);
        s->free_at[d] = start + minutes;
        t->own_answers += d == own;
        doctor[(size_t)d * CC_DOC_METRICS + CC_DOC_URGENT_ANSWERED]++;
        record_answer(cal, s, doctor, d, start, minutes, is_visit);
        if (is_visit && add_response(s, nresponses, wait) != 0)
            return CC_ERR_NOMEM;
    }
    return 0;
}

static int longest_run(const unsigned char *days, int n)
{
    int best = 0, run = 0;
    for (int d = 0; d < n; d++) {
        run = days[d] ? run + 1 : 0;
        best = run > best ? run : best;
    }
    return best;
}

static double max_of(const double *x, int n)
{
    double m = 0;
    for (int i = 0; i < n; i++)
        m = fmax(m, x[i]);
    return m;
}

/* Gini coefficient of n values (0 when all are 0). */
static double gini(double *sorted, int n)
{
    double sum = 0, weighted = 0;
    for (int i = 0; i < n; i++) {
        sum += sorted[i];
        weighted += (i + 1) * sorted[i];
    }
    return sum > 0 ? 2 * weighted / (n * sum) - (n + 1.0) / n : 0;
}

/* Mean, p95 and max over the duty holders (or all doctors) of doctor metric m, per month. */
static void summarise(const cc_engine_scratch *s, const double *doctor, int m, int holders_only, double per,
                      double out[3])
{
    int n = 0;
    for (int d = 0; d < s->ndoctors; d++)
        if (!holders_only || s->is_holder[d])
            s->sorted[n++] = doctor[(size_t)d * CC_DOC_METRICS + m] / per;
    if (n == 0) {
        out[0] = out[1] = out[2] = NAN;
        return;
    }
    gsl_sort(s->sorted, 1, n);
    out[0] = gsl_stats_mean(s->sorted, 1, n);
    out[1] = gsl_stats_quantile_from_sorted_data(s->sorted, 1, n, 0.95);
    out[2] = s->sorted[n - 1];
}

/* Sort x[0 .. n) ascending, as gsl_sort would. Most values are the least one (a visit by a
 * free doctor waits exactly the travel time), so only the others are sorted: the least value is
 * found, the others are moved to the front and sorted, then shifted behind copies of it. */
static void sort_responses(double *x, size_t n)
{
    if (n < 2)
        return;
    double least = x[0];
    for (size_t i = 1; i < n; i++)
        least = x[i] < least ? x[i] : least;
    size_t others = 0;
    for (size_t i = 0; i < n; i++)
        if (x[i] != least)
            x[others++] = x[i];
    gsl_sort(x, 1, others);
    memmove(x + (n - others), x, others * sizeof *x);
    for (size_t i = 0; i < n - others; i++)
        x[i] = least;
}

static void scheme_metrics(const cc_coverage_params *p, const cc_engine_scratch *s, const double *doctor,
                           const tally *t, size_t nresponses, double covered_months, double *out)
{
    double three[3];
    summarise(s, doctor, CC_DOC_DUTY_NIGHTS, 1, 12, three);
    memcpy(out + CC_SCH_DUTY_NIGHTS_MEAN, three, sizeof three);
    summarise(s, doctor, CC_DOC_DISTURBED_NIGHTS, 1, 12, three);
    memcpy(out + CC_SCH_DISTURBED_MEAN, three, sizeof three);
    summarise(s, doctor, CC_DOC_OOH_HOURS, 1, 12, three);
    memcpy(out + CC_SCH_OOH_HOURS_MEAN, three, sizeof three);
    int holders = 0, within = 0;
    double longest = 0;
    for (int d = 0; d < s->ndoctors; d++) {
        if (!s->is_holder[d])
            continue;
        const double *row = doctor + (size_t)d * CC_DOC_METRICS;
        s->sorted[holders++] = row[CC_DOC_OOH_HOURS];
        within += row[CC_DOC_DUTY_NIGHTS] / 12 <= p->max_duty_nights_per_month &&
                  row[CC_DOC_DISTURBED_NIGHTS] / 12 <= p->max_disturbed_nights_per_month;
        longest = fmax(longest, row[CC_DOC_MAX_CONSECUTIVE_NIGHTS]);
    }
    gsl_sort(s->sorted, 1, holders);
    out[CC_SCH_OOH_HOURS_GINI] = holders > 0 ? gini(s->sorted, holders) : NAN;
    summarise(s, doctor, CC_DOC_DUTY_NIGHTS, 0, 12, three);
    out[CC_SCH_DUTY_NIGHTS_MEAN_ALL] = three[0];
    summarise(s, doctor, CC_DOC_DISTURBED_NIGHTS, 0, 12, three);
    out[CC_SCH_DISTURBED_MEAN_ALL] = three[0];
    summarise(s, doctor, CC_DOC_OOH_HOURS, 0, 12, three);
    out[CC_SCH_OOH_HOURS_MEAN_ALL] = three[0];
    out[CC_SCH_MAX_CONSECUTIVE_NIGHTS] = longest;
    out[CC_SCH_CONTINUITY] = t->calls > 0 ? t->own_answers / t->calls : NAN;
    out[CC_SCH_ESCALATIONS_PER_1000] = covered_months > 0 ? 1000 * t->escalations / covered_months : NAN;
    sort_responses(s->response, nresponses);
    out[CC_SCH_RESPONSE_MEAN] = nresponses ? gsl_stats_mean(s->response, 1, nresponses) : NAN;
    out[CC_SCH_RESPONSE_P90] = nresponses ? gsl_stats_quantile_from_sorted_data(s->response, 1, nresponses, 0.90) : NAN;
    out[CC_SCH_WITHIN_LIMITS] = holders > 0 ? (double)within / holders : NAN;
    out[CC_SCH_DUTY_HOLDERS] = holders;
    out[CC_SCH_CALLS] = t->calls;
    out[CC_SCH_ESCALATIONS] = t->escalations;
}

int cc_engine_answer(const cc_coverage_params *p, const cc_coverage_layout *l, const cc_calendar *cal,
                     const cc_scheme_groups *g, const cc_event_list *list, const unsigned char *absent,
                     double covered_months, cc_engine_scratch *s, double *scheme, double *doctor)
{
    int n = l->ndoctors;
    memset(doctor, 0, (size_t)n * CC_DOC_METRICS * sizeof *doctor);
    memset(s->night_held, 0, (size_t)n * CC_CALENDAR_MAX_DAYS);
    memset(s->night_disturbed, 0, (size_t)n * CC_CALENDAR_MAX_DAYS);
    memset(s->month_nights, 0, (size_t)n * 12 * sizeof(double));
    memset(s->month_disturbed, 0, (size_t)n * 12 * sizeof(double));
    for (int d = 0; d < n; d++)
        s->free_at[d] = -INFINITY;
    build_rosters(cal, g, absent, s, doctor);
    tally t = {0, 0, 0, 0};
    size_t nresponses = 0;
    int ret = answer_events(p, cal, g, list, absent, s, doctor, &t, &nresponses);
    if (ret != 0)
        return ret;
    for (int d = 0; d < n; d++) {
        double *row = doctor + (size_t)d * CC_DOC_METRICS;
        row[CC_DOC_MAX_CONSECUTIVE_NIGHTS] = longest_run(s->night_held + (size_t)d * CC_CALENDAR_MAX_DAYS, cal->n_days);
        row[CC_DOC_BUSIEST_MONTH_NIGHTS] = max_of(s->month_nights + (size_t)d * 12, 12);
        row[CC_DOC_BUSIEST_MONTH_DISTURBED] = max_of(s->month_disturbed + (size_t)d * 12, 12);
    }
    for (int slot = 0; slot < list->nslots; slot++)
        doctor[(size_t)list->slot_doctor[slot] * CC_DOC_METRICS + CC_DOC_PATIENTS]++;
    scheme_metrics(p, s, doctor, &t, nresponses, covered_months, scheme);
    return 0;
}

/* ---- the workspace and the public entry point ---- */

struct cc_coverage_workspace {
    gsl_rng *rng;
    cc_calendar *calendars;             /* [nyears] */
    cc_scheme_groups groups[CC_SCHEMES]; /* of params->scheme[i] */
    cc_event_list list;
    unsigned char *absent;              /* [ndoctors][CC_CALENDAR_MAX_DAYS] */
    cc_engine_scratch scratch;
    int doctors_cap, groups_cap;        /* what absent and scratch have room for */
    /* what the calendars were built from (cc_coverage_workspace_reuse keeps them when equal) */
    int nyears, target_year[CC_COVERAGE_MAX_YEARS], nclosures;
    cc_calendar_date closure[CC_COVERAGE_MAX_CLOSURES];
};

/* The groups of every scheme, and room for the layout's doctors and the most groups in the
 * scratch and the absence days (grown, never shrunk). */
static int build_groups(const cc_coverage_params *p, const cc_coverage_layout *l, cc_coverage_workspace *ws)
{
    int max_groups = 1;
    for (int i = 0; i < CC_SCHEMES; i++)
        cc_scheme_groups_free(&ws->groups[i]);
    for (int i = 0; i < p->nschemes; i++) {
        int ret = cc_scheme_groups_build(p->scheme[i], p, l, &ws->groups[i]);
        if (ret != 0)
            return ret;
        max_groups = ws->groups[i].ngroups > max_groups ? ws->groups[i].ngroups : max_groups;
    }
    int doctors = l->ndoctors > 0 ? l->ndoctors : 1;
    if (doctors > ws->doctors_cap) {
        unsigned char *absent = realloc(ws->absent, (size_t)doctors * CC_CALENDAR_MAX_DAYS);
        if (!absent)
            return CC_ERR_NOMEM;
        ws->absent = absent;
    }
    if (doctors > ws->doctors_cap || max_groups > ws->groups_cap) {
        cc_engine_scratch_free(&ws->scratch);
        ws->doctors_cap = ws->groups_cap = 0;
        int ret = cc_engine_scratch_init(&ws->scratch, doctors, max_groups);
        if (ret != 0)
            return ret;
        ws->doctors_cap = doctors;
        ws->groups_cap = max_groups;
    }
    ws->scratch.ndoctors = l->ndoctors;
    return 0;
}

/* The calendars of params' target years with its closures, unless already built from them. */
static int build_calendars(const cc_coverage_params *p, cc_coverage_workspace *ws)
{
    if (ws->calendars && ws->nyears == p->nyears && ws->nclosures == p->nclosures &&
        memcmp(ws->target_year, p->target_year, (size_t)p->nyears * sizeof *p->target_year) == 0 &&
        memcmp(ws->closure, p->closure, (size_t)p->nclosures * sizeof *p->closure) == 0)
        return 0;
    free(ws->calendars);
    ws->nyears = -1;
    ws->calendars = calloc(p->nyears > 0 ? p->nyears : 1, sizeof *ws->calendars);
    if (!ws->calendars)
        return CC_ERR_NOMEM;
    for (int y = 0; y < p->nyears; y++) {
        int ret = cc_calendar_init(&ws->calendars[y], p->target_year[y], p->closure, (size_t)p->nclosures, NULL);
        if (ret != 0)
            return ret;
    }
    ws->nyears = p->nyears;
    ws->nclosures = p->nclosures;
    memcpy(ws->target_year, p->target_year, sizeof ws->target_year);
    memcpy(ws->closure, p->closure, sizeof ws->closure);
    return 0;
}

int cc_coverage_workspace_reuse(cc_coverage_workspace *ws, const cc_coverage_params *p, const cc_coverage_layout *l)
{
    int ret = build_groups(p, l, ws);
    return ret != 0 ? ret : build_calendars(p, ws);
}

int cc_coverage_workspace_alloc(cc_coverage_workspace **out, const cc_coverage_params *p,
                                const cc_coverage_layout *l)
{
    cc_coverage_workspace *ws = calloc(1, sizeof *ws);
    *out = ws;
    if (!ws)
        return CC_ERR_NOMEM;
    ws->rng = cc_rng_alloc();
    int ret = ws->rng ? cc_coverage_workspace_reuse(ws, p, l) : CC_ERR_NOMEM;
    if (ret != 0) {
        cc_coverage_workspace_free(ws);
        *out = NULL;
    }
    return ret;
}

void cc_coverage_workspace_free(cc_coverage_workspace *ws)
{
    if (!ws)
        return;
    if (ws->rng)
        gsl_rng_free(ws->rng);
    free(ws->calendars);
    for (int i = 0; i < CC_SCHEMES; i++)
        cc_scheme_groups_free(&ws->groups[i]);
    free(ws->absent);
    cc_event_list_free(&ws->list);
    cc_engine_scratch_free(&ws->scratch);
    free(ws);
}

int cc_coverage_result_init(cc_coverage_result *r, const cc_coverage_params *p, const cc_coverage_layout *l)
{
    memset(r, 0, sizeof *r);
    r->ndoctors = l->ndoctors;
    r->nschemes = p->nschemes;
    r->scheme = calloc((size_t)p->nschemes * CC_SCH_METRICS, sizeof *r->scheme);
    r->doctor = calloc((size_t)p->nschemes * (l->ndoctors > 0 ? l->ndoctors : 1) * CC_DOC_METRICS,
                       sizeof *r->doctor);
    if (!r->scheme || !r->doctor) {
        cc_coverage_result_free(r);
        return CC_ERR_NOMEM;
    }
    return 0;
}

void cc_coverage_result_free(cc_coverage_result *r)
{
    free(r->scheme);
    free(r->doctor);
    memset(r, 0, sizeof *r);
}

int cc_coverage_simulate(const cc_coverage_params *p, const cc_coverage_layout *l, const cc_run_options *run,
                         uint32_t replication, int year_index, const cc_coverage_input *in,
                         cc_coverage_workspace *ws, cc_coverage_result *r)
{
    const cc_calendar *cal = &ws->calendars[year_index];
    long patients = in->expected_patients > 0 ? lround(in->expected_patients) : 0;
    double uncovered;
    int ret = cc_events_place_patients(p, l, patients, &ws->list, &uncovered);
    if (ret == 0)
        ret = cc_events_draw(p, l, cal, in, run->seed, replication, year_index, ws->rng, &ws->list, ws->absent);
    if (ret != 0)
        return ret;
    double covered_months = 12.0 * ws->list.nslots;
    memset(r->year, 0, sizeof r->year);
    r->year[CC_COV_PATIENTS] = (double)patients;
    r->year[CC_COV_COVERED] = ws->list.nslots;
    r->year[CC_COV_UNCOVERED] = uncovered;
    r->year[CC_COV_UNCOVERED_MONTHS] = 12.0 * uncovered;
    r->year[CC_COV_COVERED_MONTHS] = covered_months;
    for (size_t i = 0; i < ws->list.n; i++) {
        int kind = ws->list.events[i].kind;
        r->year[CC_COV_URGENT_CALLS] += kind == CC_EVENT_URGENT_VISIT || kind == CC_EVENT_PHONE;
        r->year[CC_COV_HOME_DEATHS] += kind == CC_EVENT_DEATH;
        r->year[CC_COV_SCHEDULED_VISITS] += kind == CC_EVENT_SCHEDULED;
    }
    r->year[CC_COV_EXITS] = (double)ws->list.exits;
    r->events_per_scheme = (long)ws->list.n + ws->list.absence_spells;
    r->year[CC_COV_PATIENTS_WITH_MONTHLY_URGENT_VISIT] =
        ws->list.start_patients ? (double)ws->list.start_patients_monthly_visit / ws->list.start_patients : NAN;
    for (int i = 0; i < p->nschemes; i++) {
        if (run->interrupted && *run->interrupted) /* Ctrl-C is honoured within one scheme's year */
            return CC_ERR_INTERRUPTED;
        ret = cc_engine_answer(p, l, cal, &ws->groups[i], &ws->list, ws->absent, covered_months, &ws->scratch,
                               r->scheme + (size_t)i * CC_SCH_METRICS,
                               r->doctor + (size_t)i * l->ndoctors * CC_DOC_METRICS);
        if (ret != 0)
            return ret;
    }
    return 0;
}
