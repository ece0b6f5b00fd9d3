/* The calendar's lookups of a time (its day, class and duty period) as inline functions, private
 * to the coverage module: calendar.c's public functions and the engine's event loop
 * (simulate.c) share this one implementation, and the loop makes no call per event. */
#ifndef CC_COVERAGE_CALENDAR_TIME_H
#define CC_COVERAGE_CALENDAR_TIME_H

#include "carecast/calendar.h"

/* The day holding t and the minutes since that day's 08:30; CC_ERR_RANGE outside the year. */
static inline int cc_calendar_split(const cc_calendar *cal, double t, int *day, double *minute)
{
    if (!(t >= 0 && t < (double)cal->n_days * CC_CALENDAR_DAY_MINUTES))
        return CC_ERR_RANGE;
    int d = (int)(t / CC_CALENDAR_DAY_MINUTES); /* t >= 0: truncation is floor */
    double m = t - (double)d * CC_CALENDAR_DAY_MINUTES;
    if (m < 0) { /* t / 1440 rounded up to the next whole day */
        d--;
        m += CC_CALENDAR_DAY_MINUTES;
    } else if (m >= CC_CALENDAR_DAY_MINUTES) {
        d++;
        m -= CC_CALENDAR_DAY_MINUTES;
    }
    *day = d;
    *minute = m;
    return 0;
}

/* cc_calendar_time_classify. */
static inline int cc_calendar_classify_at(const cc_calendar *cal, double t, cc_calendar_class *cls)
{
    int d;
    double m;
    int ret = cc_calendar_split(cal, t, &d, &m);
    if (ret != 0)
        return ret;
    if (m < cal->in_hours_end[d])
        *cls = CC_CALENDAR_IN_HOURS;
    else if (m >= CC_CALENDAR_NIGHT_START && m < CC_CALENDAR_NIGHT_END)
        *cls = CC_CALENDAR_NIGHT;
    else
        *cls = CC_CALENDAR_OOH_DAY;
    return 0;
}

/* cc_calendar_period_find. */
static inline int cc_calendar_period_at(const cc_calendar *cal, double t, int *index)
{
    int d;
    double m;
    int ret = cc_calendar_split(cal, t, &d, &m);
    if (ret != 0)
        return ret;
    if (m < cal->in_hours_end[d]) {
        *index = -1;
        return CC_CALENDAR_IN_HOURS_OUTCOME;
    }
    int off = (cal->day_flags[d] & CC_CALENDAR_DAY_OFF) != 0;
    *index = cal->first_period[d] + (off && m >= CC_CALENDAR_WEEKDAY_CLOSE);
    return 0;
}

#endif
