/* The scheme-independent events of a replication's target year (events.c), private to the
 * coverage module. */
#ifndef CC_COVERAGE_EVENTS_H
#define CC_COVERAGE_EVENTS_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

#include "carecast/calendar.h"
#include "carecast/coverage.h"

typedef enum { CC_EVENT_SCHEDULED, CC_EVENT_URGENT_VISIT, CC_EVENT_PHONE, CC_EVENT_DEATH } cc_event_kind;

typedef struct {
    double time;  /* minutes since 08:30 on 1 January */
    int slot;     /* the panel place (patient) it concerns */
    int kind;     /* cc_event_kind */
    int seq;      /* order of drawing: breaks ties in time, so the order never depends on the sort */
} cc_event;

/* The year's events in time order, and the panel places (slots) with their own doctor. */
typedef struct {
    cc_event *events;
    size_t n, cap;
    int *slot_doctor;  /* [nslots] */
    int nslots, slot_cap;
    long exits, start_patients, start_patients_monthly_visit;
    long absence_spells;  /* spells drawn over every doctor (events of the benchmark's unit) */
    cc_event *spare;      /* [cap]: the sort's second buffer (swapped with events) */
    unsigned *bucket;     /* [bucket_cap + 1]: the sort's bucket bounds */
    size_t bucket_cap;
} cc_event_list;

/* Place `patients` on the panels (list->slot_doctor); *uncovered = those that fit nowhere. */
int cc_events_place_patients(const cc_coverage_params *params, const cc_coverage_layout *layout, long patients,
                             cc_event_list *list, double *uncovered);

/* Draw the year's events for the placed slots and every doctor's absences
 * (absent[doctor * CC_CALENDAR_MAX_DAYS + day] = 1 when away that day). */
int cc_events_draw(const cc_coverage_params *params, const cc_coverage_layout *layout, const cc_calendar *calendar,
                   const cc_coverage_input *input, uint64_t seed, uint32_t replication, int year_index, gsl_rng *rng,
                   cc_event_list *list, unsigned char *absent);

void cc_event_list_free(cc_event_list *list);

#endif
