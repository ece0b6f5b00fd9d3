/* The coverage calendar of one target year: national holidays of Japan (2000-2100), the
 * clinics' year-end closure and a scenario's extra closure dates, in-hours and out-of-hours
 * (OOH) time, night, and the duty periods (duty nights and duty days) that every OOH stretch
 * belongs to. Built once per target year into a caller-owned struct (no allocation), then
 * only read, so threads may share it.
 *
 * Time: minutes since 08:30 on 1 January of the target year; the year is [0, n_days * 1440)
 * and ends at 08:30 on 1 January of the next year. Day d (0 = 1 January) is the 1440 minutes
 * from 08:30 on date d to 08:30 on date d + 1: [d * 1440, (d + 1) * 1440). Within it, at
 * minute m after 08:30:
 *   in hours       [0, e)       e = 540 (08:30-17:30) Mon-Fri, 240 (08:30-12:30) Sat, and 0
 *                                 on Sundays, holidays and closure days;
 *   OOH, not night [e, 810) and [1290, 1440)   (to 22:00; 06:00-08:30 of the next date);
 *   night          [810, 1290)  22:00-06:00, every day.
 * Duty periods, in time order: a date that is a Sunday, holiday or closure day has a duty day
 * [0, 540) (08:30-17:30) and then a duty night [540, 1440); any other date has one duty night
 * [e, 1440). So every date has exactly one duty night, and every minute of the year is either
 * in hours or inside exactly one duty period. */
#ifndef CARECAST_CALENDAR_H
#define CARECAST_CALENDAR_H

#include <stddef.h>

#include "carecast/error.h"

#define CC_CALENDAR_YEAR_MIN 2000
#define CC_CALENDAR_YEAR_MAX 2100
#define CC_CALENDAR_MAX_DAYS 366
#define CC_CALENDAR_MAX_PERIODS (2 * CC_CALENDAR_MAX_DAYS)
#define CC_CALENDAR_DAY_MINUTES 1440
#define CC_CALENDAR_GUIDE 1024 /* buckets of the class-time guide table (class_guide) */

/* Minutes after 08:30 at which a day's parts begin or end. */
#define CC_CALENDAR_WEEKDAY_CLOSE 540  /* 17:30 on Mon-Fri; also the end of a duty day */
#define CC_CALENDAR_SATURDAY_CLOSE 240 /* 12:30 on Saturdays */
#define CC_CALENDAR_NIGHT_START 810    /* 22:00 */
#define CC_CALENDAR_NIGHT_END 1290     /* 06:00 of the next date */

/* cc_calendar_period_find's outcome when the time is in hours (no duty period holds it). */
#define CC_CALENDAR_IN_HOURS_OUTCOME 1

/* A calendar date. */
typedef struct {
    int year, month, day; /* month 1-12, day 1-31 */
} cc_calendar_date;

/* Bits of cc_calendar.day_flags[d], describing date d. */
enum {
    CC_CALENDAR_HOLIDAY = 1,     /* a holiday of any kind (the three below included) */
    CC_CALENDAR_SUBSTITUTE = 2,  /* substitute holiday (振替休日) for a holiday on a Sunday */
    CC_CALENDAR_CITIZENS = 4,    /* citizens' holiday (国民の休日) between two holidays */
    CC_CALENDAR_CLOSURE = 8,     /* clinics closed: 29 Dec - 3 Jan, or an extra closure date */
    CC_CALENDAR_DAY_OFF = 16     /* Sunday, holiday or closure day: no in-hours, a duty day */
};

/* The three classes of the hour-of-week call profile. */
typedef enum {
    CC_CALENDAR_IN_HOURS = 0, /* clinics open */
    CC_CALENDAR_OOH_DAY = 1,  /* out of hours outside the night: evenings, Saturday afternoons,
                                 Sunday, holiday and closure daytime, 06:00-08:30 */
    CC_CALENDAR_NIGHT = 2,    /* 22:00-06:00, every day */
    CC_CALENDAR_CLASSES = 3
} cc_calendar_class;

/* Kinds of duty period. */
typedef enum { CC_CALENDAR_DUTY_NIGHT = 0, CC_CALENDAR_DUTY_DAY = 1 } cc_calendar_duty;

/* One duty period: [start, end) in minutes since the year's start (exact integers). */
typedef struct {
    double start, end;
    int day;               /* the date it belongs to, 0 = 1 January */
    cc_calendar_duty kind;
} cc_calendar_period;

/* A target year's calendar. Read-only after cc_calendar_init; the fields may be read directly. */
typedef struct {
    int year;
    int n_days;                                 /* 365 or 366 */
    int first_weekday;                          /* of 1 January; 0 = Sunday ... 6 = Saturday */
    unsigned char day_flags[CC_CALENDAR_MAX_DAYS];   /* CC_CALENDAR_HOLIDAY | ... per date */
    int in_hours_end[CC_CALENDAR_MAX_DAYS];     /* e above: 540, 240 or 0 */
    int first_period[CC_CALENDAR_MAX_DAYS];     /* index of date d's first duty period */
    int n_periods, n_duty_nights, n_duty_days;
    cc_calendar_period periods[CC_CALENDAR_MAX_PERIODS]; /* in time order */
    /* class_cumulative[c][d]: minutes of class c in days before d; [c][n_days] is the total */
    double class_cumulative[CC_CALENDAR_CLASSES][CC_CALENDAR_MAX_DAYS + 1];
    unsigned char month[CC_CALENDAR_MAX_DAYS];  /* month of date d, 0 = January */
    /* class_guide[c][k]: the last day d with class_cumulative[c][d] <= k x total / GUIDE, where
     * cc_calendar_class_time starts looking (a step or two from the answer, not a search) */
    short class_guide[CC_CALENDAR_CLASSES][CC_CALENDAR_GUIDE];
} cc_calendar;

/* Build the calendar of `year` (2000-2100) with the national holidays, the year-end closure
 * (29-31 December and 1-3 January of the year) and the extra closure dates `extra` (n_extra of
 * them, NULL when 0; dates of other years are ignored, so one list may serve several target
 * years). Zeroes cal first. Returns 0; CC_ERR_RANGE (year outside 2000-2100, or an extra
 * date that does not exist, in any year) or CC_ERR_USAGE (n_extra > 0 with extra NULL), with
 * err filled (err may be NULL) and cal zeroed. */
int cc_calendar_init(cc_calendar *cal, int year, const cc_calendar_date *extra, size_t n_extra,
                     cc_error *err);

/* Index of a date of the calendar's year (0 = 1 January) in *index, or CC_ERR_RANGE when the
 * month/day does not exist in that year. */
int cc_calendar_date_index(const cc_calendar *cal, int month, int day, int *index);

/* The month (1-12) and day of month of day index `day`; CC_ERR_RANGE outside the year. */
int cc_calendar_day_date(const cc_calendar *cal, int day, int *month, int *mday);

/* 1 if the date is a holiday (national, substitute or citizens'), 0 if not, CC_ERR_RANGE if
 * the date does not exist. */
int cc_calendar_date_is_holiday(const cc_calendar *cal, int month, int day);

/* 1 if clinics are closed that date (year-end or extra closure), 0 if not, CC_ERR_RANGE. */
int cc_calendar_date_is_closure(const cc_calendar *cal, int month, int day);

/* Day of the week, 0 = Sunday ... 6 = Saturday, or CC_ERR_RANGE. */
int cc_calendar_date_weekday(const cc_calendar *cal, int month, int day);

/* 1 if the date is a Sunday, holiday or closure day (a duty day, no in-hours), 0 if clinics
 * open that date, CC_ERR_RANGE. */
int cc_calendar_date_is_duty_day(const cc_calendar *cal, int month, int day);

/* Total minutes of the year: n_days * 1440. */
double cc_calendar_year_minutes(const cc_calendar *cal);

/* The class of time t (in hours, OOH outside the night, night) in *cls; CC_ERR_RANGE when t
 * is not in [0, year minutes) (NaN included). */
int cc_calendar_time_classify(const cc_calendar *cal, double t, cc_calendar_class *cls);

/* The index (into cal->periods) of the duty period containing t in *index: returns 0, or
 * CC_CALENDAR_IN_HOURS_OUTCOME when t is in hours (*index = -1), or CC_ERR_RANGE when t is
 * outside the year. */
int cc_calendar_period_find(const cc_calendar *cal, double t, int *index);

/* Copy duty period `index` (0 .. n_periods - 1, in time order) into *period; CC_ERR_RANGE
 * for another index. */
int cc_calendar_period_get(const cc_calendar *cal, int index, cc_calendar_period *period);

/* Number of duty periods of a kind: n_days duty nights; duty days = Sundays, holidays and
 * closure days. */
int cc_calendar_duty_count(const cc_calendar *cal, cc_calendar_duty kind);

/* Total minutes of class cls in the year (in-hours minutes for CC_CALENDAR_IN_HOURS);
 * 0 for an invalid class. */
double cc_calendar_class_minutes(const cc_calendar *cal, cc_calendar_class cls);

/* Map u in [0, class minutes) to the time at which class cls has accumulated u minutes since
 * the year's start, in *t: with u uniform on [0, total), t is uniform over the class's hours.
 * The map is increasing, and cc_calendar_time_classify(t) gives cls. CC_ERR_RANGE for u
 * outside [0, total) or an invalid class. Binary search over days: O(log n_days). */
int cc_calendar_class_time(const cc_calendar *cal, cc_calendar_class cls, double u, double *t);

#endif
