/* The scheme-independent events of one replication's target year: patients placed on panels,
 * their scheduled visits, urgent calls and exits (deaths at home among them) with replacement
 * patients, and each doctor's absences. Every draw comes from a stream keyed by (seed,
 * replication, purpose, target-year index and patient slot or doctor), so what happens does
 * not depend on the scheme, the thread, or the other slots.
 *
 * Method.
 *  - Patients: N = round(expected enrolled patients), split over blocks by population share
 *    (largest remainder), and within a block over participating clinics in proportion to
 *    panel capacity (largest remainder, never above a panel); a clinic's patients are dealt
 *    over its doctors in turn. Patients that fit nowhere are uncovered and not simulated.
 *  - Each panel place (slot) is always occupied: an exit is replaced at once. Time on home care
 *    is a mixture of two exponentials (share p of short stays of mean m1, the rest of mean m2).
 *    Panels start in steady state: the first occupant's remaining time is drawn from the
 *    mixture reweighted by p_i m_i (the residual life of a mixture of exponentials), so no
 *    warm-up is needed.
 *  - An occupant's urgent-call rate is the mean rate times a gamma(shape k, mean 1) factor,
 *    drawn once. Calls of each hour-of-week class (in hours, out of hours outside the night,
 *    night) form a Poisson process uniform over that class's hours carrying the class's share
 *    of calls; a call is a visit with probability urgent_visit_share, else phone advice.
 *    Scheduled visits are a Poisson process uniform over in-hours. Each process is drawn over
 *    the whole year and kept where the occupant is present (a Poisson process restricted to
 *    an interval is again one).
 *  - Absences: absence_days days a year per doctor in non-overlapping spells of 1 to
 *    absence_max_spell_days days (uniform length, uniform start), each day 08:30-08:30. */
#include "events.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "carecast/rng.h"

static int push_event(cc_event_list *list, double time, int slot, cc_event_kind kind)
{
    if (list->n == list->cap) { /* both buffers grow together: the sort needs a second one */
        size_t cap = list->cap ? 2 * list->cap : 1024;
        cc_event *grown = realloc(list->events, cap * sizeof *grown);
        if (!grown)
            return CC_ERR_NOMEM;
        list->events = grown;
        grown = realloc(list->spare, cap * sizeof *grown);
        if (!grown)
            return CC_ERR_NOMEM;
        list->spare = grown;
        list->cap = cap;
    }
    list->events[list->n] = (cc_event){time, slot, (int)kind, (int)list->n};
    list->n++;
    return 0;
}

/* Sort the events into time order, ties in drawing order (seq, which is each event's index
 * as drawn): a bucket sort on time (buckets of equal width over [0, year), counted, then
 * filled in drawing order, so each bucket keeps seq order), then an insertion sort of each
 * bucket moving an event only past a strictly later time. t -> floor(t * scale) never
 * decreases as t grows, so buckets are in time order. About one event per bucket: O(n)
 * against a comparison sort's n log n. */
static int sort_events(cc_event_list *list, double year)
{
    size_t n = list->n, nb = n / 2 + 1;
    if (nb > list->bucket_cap) {
        unsigned *grown = realloc(list->bucket, (nb + 1) * sizeof *grown);
        if (!grown)
            return CC_ERR_NOMEM;
        list->bucket = grown;
        list->bucket_cap = nb;
    }
    unsigned *start = list->bucket;
    memset(start, 0, (nb + 1) * sizeof *start);
    const double scale = (double)nb / year;
    const cc_event *in = list->events;
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)(in[i].time * scale);
        start[(b < nb ? b : nb - 1) + 1]++;
    }
    for (size_t b = 0; b < nb; b++)
        start[b + 1] += start[b];
    cc_event *out = list->spare;
    for (size_t i = 0; i < n; i++) { /* start[b] becomes the end of bucket b */
        size_t b = (size_t)(in[i].time * scale);
        out[start[b < nb ? b : nb - 1]++] = in[i];
    }
    for (size_t b = 0, from = 0; b < nb; from = start[b++])
        for (size_t i = from + 1; i < start[b]; i++) {
            cc_event e = out[i];
            size_t j = i;
            for (; j > from && out[j - 1].time > e.time; j--)
                out[j] = out[j - 1];
            out[j] = e;
        }
    list->spare = list->events;
    list->events = out;
    return 0;
}

/* Largest-remainder split of total over n weights into out (sums to total), each capped. */
static void split_largest_remainder(long total, const double *weight, const double *cap, int n, long *out)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += weight[i];
    long given = 0;
    for (int i = 0; i < n; i++) {
        out[i] = sum > 0 ? (long)floor(total * weight[i] / sum) : 0;
        if (cap && out[i] > (long)cap[i])
            out[i] = (long)cap[i];
        given += out[i];
    }
    while (given < total) { /* one more to the largest remainder with room */
        int best = -1;
        double best_rem = -1;
        for (int i = 0; i < n; i++) {
            if (cap && out[i] >= (long)cap[i])
                continue;
            double rem = sum > 0 ? total * weight[i] / sum - out[i] : 0;
            if (rem > best_rem) {
                best_rem = rem;
                best = i;
            }
        }
        if (best < 0)
            break;
        out[best]++;
        given++;
    }
}

int cc_events_place_patients(const cc_coverage_params *p, const cc_coverage_layout *l, long patients,
                             cc_event_list *list, double *uncovered)
{
    long by_block[CC_COVERAGE_MAX_BLOCKS];
    split_largest_remainder(patients, p->block_share, NULL, p->nblocks, by_block);
    list->nslots = 0;
    *uncovered = 0;
    int nclinics = p->nclinics > 0 ? p->nclinics : 1;
    double *capacity = calloc(nclinics, sizeof *capacity);
    long *placed = calloc(nclinics, sizeof *placed);
    if (!capacity || !placed) {
        free(capacity);
        free(placed);
        return CC_ERR_NOMEM;
    }
    int ret = 0;
    for (int b = 0; b < p->nblocks && ret == 0; b++) {
        double room = 0;
        for (int c = 0; c < p->nclinics; c++) {
            int in_block = p->clinics[c].block == b && l->clinic_first_doctor[c] >= 0;
            capacity[c] = in_block ? floor(p->clinics[c].panel_capacity) : 0;
            room += capacity[c];
        }
        long fit = by_block[b] < (long)room ? by_block[b] : (long)room;
        *uncovered += (double)(by_block[b] - fit);
        split_largest_remainder(fit, capacity, capacity, p->nclinics, placed);
        for (int c = 0; c < p->nclinics && ret == 0; c++)
            for (long i = 0; i < placed[c] && ret == 0; i++) {
                if (list->nslots == list->slot_cap) {
                    int cap = list->slot_cap ? 2 * list->slot_cap : 1024;
                    int *grown = realloc(list->slot_doctor, cap * sizeof *grown);
                    if (!grown) { ret = CC_ERR_NOMEM; break; }
                    list->slot_doctor = grown;
                    list->slot_cap = cap;
                }
                list->slot_doctor[list->nslots++] = l->clinic_first_doctor[c] + (int)(i % p->clinics[c].doctors);
            }
    }
    free(capacity);
    free(placed);
    return ret;
}

/* Months on home care of a new patient (residual: of one on the panel at the year's start). */
static double draw_stay(const cc_coverage_params *p, gsl_rng *rng, int residual)
{
    double w_short = p->exit_short_share, w_long = 1 - p->exit_short_share;
    if (residual) {
        w_short *= p->exit_short_mean_months;
        w_long *= p->exit_long_mean_months;
    }
    int is_short = gsl_rng_uniform(rng) * (w_short + w_long) < w_short;
    return gsl_ran_exponential(rng, is_short ? p->exit_short_mean_months : p->exit_long_mean_months);
}

/* A Poisson number of times uniform over class cls (expected `mean` in the year); those in
 * [from, to) become events of `kind` (urgent calls: visit or phone, drawn for every time). */
static int draw_class_times(const cc_calendar *cal, gsl_rng *rng, cc_calendar_class cls, double mean, double from,
                            double to, int slot, int urgent, double visit_share, cc_event_list *list, long *visits)
{
    double minutes = cc_calendar_class_minutes(cal, cls);
    unsigned n = mean > 0 && minutes > 0 ? gsl_ran_poisson(rng, mean) : 0;
    for (unsigned i = 0; i < n; i++) {
        double t, u = gsl_rng_uniform(rng) * minutes;
        int is_visit = urgent ? gsl_rng_uniform(rng) < visit_share : 0;
        if (cc_calendar_class_time(cal, cls, u, &t) != 0 || t < from || t >= to)
            continue;
        cc_event_kind kind = !urgent ? CC_EVENT_SCHEDULED : is_visit ? CC_EVENT_URGENT_VISIT : CC_EVENT_PHONE;
        if (push_event(list, t, slot, kind) != 0)
            return CC_ERR_NOMEM;
        *visits += is_visit;
    }
    return 0;
}

/* One slot's occupants over the year. */
static int draw_slot(const cc_coverage_params *p, const cc_calendar *cal, const cc_coverage_input *in, gsl_rng *rng,
                     int slot, cc_event_list *list)
{
    const double year = cc_calendar_year_minutes(cal), month = year / 12;
    const double ooh = 1 - p->in_hours_call_share;
    const double share[CC_CALENDAR_CLASSES] = {p->in_hours_call_share, ooh * (1 - p->night_share_of_ooh),
                                               ooh * p->night_share_of_ooh};
    double from = 0, to = draw_stay(p, rng, 1) * month;
    for (int first = 1;; first = 0) {
        double factor = p->call_rate_shape > 0 ? gsl_ran_gamma(rng, p->call_rate_shape, 1 / p->call_rate_shape) : 1;
        double calls_year = in->calls_per_patient_month * factor * 12;
        long visits = 0;
        for (int c = 0; c < CC_CALENDAR_CLASSES; c++)
            if (draw_class_times(cal, rng, c, calls_year * share[c], from, to, slot, 1, p->urgent_visit_share, list,
                                 &visits) != 0)
                return CC_ERR_NOMEM;
        if (draw_class_times(cal, rng, CC_CALENDAR_IN_HOURS, p->scheduled_visits_per_patient_month * 12, from, to, slot,
                             0, 0, list, &visits) != 0)
            return CC_ERR_NOMEM;
        if (first) { /* the cohort measure: the year's patients on the panel at its start */
            double months = (fmin(to, year) - from) / month;
            list->start_patients++;
            list->start_patients_monthly_visit += months > 0 && visits / months >= 1.0;
        }
        int dies = gsl_rng_uniform(rng) < p->home_death_share;
        if (to >= year)
            return 0;
        list->exits++;
        if (dies && push_event(list, to, slot, CC_EVENT_DEATH) != 0)
            return CC_ERR_NOMEM;
        from = to;
        to = from + draw_stay(p, rng, 0) * month;
    }
}

/* Absence days of one doctor into absent[0 .. n_days); returns the number of spells. */
static long draw_absences(const cc_coverage_params *p, gsl_rng *rng, int n_days, unsigned char *absent)
{
    long spells = 0;
    memset(absent, 0, n_days);
    int left = (int)lround(p->absence_days), max_spell = p->absence_max_spell_days > 0 ? p->absence_max_spell_days : 1;
    for (int tries = 0; left > 0 && tries < 10000; tries++) {
        int len = 1 + (int)gsl_rng_uniform_int(rng, (unsigned long)max_spell);
        if (len > left)
            len = left;
        int start = (int)gsl_rng_uniform_int(rng, (unsigned long)(n_days - len + 1)), free_days = 1;
        for (int d = start; d < start + len; d++)
            free_days &= !absent[d];
        if (!free_days)
            continue;
        memset(absent + start, 1, len);
        left -= len;
        spells++;
    }
    return spells;
}

int cc_events_draw(const cc_coverage_params *p, const cc_coverage_layout *l, const cc_calendar *cal,
                   const cc_coverage_input *in, uint64_t seed, uint32_t replication, int year_index, gsl_rng *rng,
                   cc_event_list *list, unsigned char *absent)
{
    list->n = 0;
    list->exits = list->start_patients = list->start_patients_monthly_visit = list->absence_spells = 0;
    uint32_t year_bits = (uint32_t)year_index << 20;
    for (int slot = 0; slot < list->nslots; slot++) {
        cc_rng_set_stream(rng, seed, replication, CC_STREAM_COVERAGE_PATIENTS, year_bits | (uint32_t)slot);
        if (draw_slot(p, cal, in, rng, slot, list) != 0)
            return CC_ERR_NOMEM;
    }
    for (int d = 0; d < l->ndoctors; d++) {
        cc_rng_set_stream(rng, seed, replication, CC_STREAM_COVERAGE_ABSENCES, year_bits | (uint32_t)d);
        list->absence_spells += draw_absences(p, rng, cal->n_days, absent + (size_t)d * CC_CALENDAR_MAX_DAYS);
    }
    if (list->n > 1) /* a year without events (no participating doctor) has no array to sort */
        return sort_events(list, cc_calendar_year_minutes(cal));
    return 0;
}

void cc_event_list_free(cc_event_list *list)
{
    free(list->events);
    free(list->spare);
    free(list->bucket);
    free(list->slot_doctor);
    memset(list, 0, sizeof *list);
}
