/* The engine's inner steps (simulate.c), private to the coverage module; unit tests call
 * them on hand-written events. */
#ifndef CC_COVERAGE_ENGINE_H
#define CC_COVERAGE_ENGINE_H

#include "events.h"
#include "scheme.h"

/* Per-thread scratch of the engine for one scheme's pass over a year. */
typedef struct {
    int ndoctors;
    int *holder;              /* [ngroups][n_periods]: doctor holding each group's period, -1 none */
    int *roster_position;     /* [ngroups] */
    double *free_at;          /* [ndoctors]: when the doctor is done with the job in hand */
    unsigned char *night_held;      /* [ndoctors][CC_CALENDAR_MAX_DAYS] */
    unsigned char *night_disturbed; /* [ndoctors][CC_CALENDAR_MAX_DAYS] */
    double *month_nights;     /* [ndoctors][12] */
    double *month_disturbed;  /* [ndoctors][12] */
    double *response;         /* response times of one pass (capacity: response_cap) */
    size_t response_cap;
    double *sorted;           /* [ndoctors] */
    int *is_holder;           /* [ndoctors] */
} cc_engine_scratch;

int cc_engine_scratch_init(cc_engine_scratch *scratch, int ndoctors, int max_groups);
void cc_engine_scratch_free(cc_engine_scratch *scratch);

/* One scheme's pass over a year's events: rosters from the groups and absences, then every
 * event answered in time order. Fills scheme[CC_SCH_METRICS] and doctor[ndoctors][CC_DOC_METRICS].
 * covered_months: patient-months simulated (for escalations per 1,000 patient-months). */
int cc_engine_answer(const cc_coverage_params *params, const cc_coverage_layout *layout, const cc_calendar *calendar,
                     const cc_scheme_groups *groups, const cc_event_list *list, const unsigned char *absent,
                     double covered_months, cc_engine_scratch *scratch, double *scheme, double *doctor);

/* One-way travel time within a block, minutes: distance_factor x sqrt(block area) / speed. */
double cc_engine_travel_minutes(const cc_coverage_params *params);

#endif
