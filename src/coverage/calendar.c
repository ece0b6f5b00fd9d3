/* The coverage calendar of a target year (see include/carecast/calendar.h for the time axis,
 * the day parts and the duty periods).
 *
 * Holidays follow the national-holidays act (国民の祝日に関する法律) as it stood in each year:
 *   - fixed dates: 1/1, 2/11, 2/23 (from 2020), 4/29, 5/3, 5/4 (from 2007; before, a citizens'
 *     holiday), 5/5, 8/11 (from 2016), 11/3, 11/23, 12/23 (1989-2018);
 *   - Monday holidays: 2nd Monday of January and October; 3rd Monday of July and September
 *     (from 2003; 7/20 and 9/15 before);
 *   - equinox days by the standard approximation, floor(c + 0.242194 (y - 1980)
 *     - floor((y - 1980) / 4)) with c = 20.8431 (March) and 23.2488 (September) for 1980-2099,
 *     21.8510 and 24.2488 for 2100-2150;
 *   - substitute holiday: a holiday on a Sunday moves to the next day that is not a holiday
 *     (from 2007; before, to the Monday only, and not if that Monday was a holiday itself);
 *   - citizens' holiday: a day that is not a holiday and lies between two holidays (before
 *     2007 only if it was not a Sunday).
 * Ignored (the act's one-off special laws): 2019's enthronement days (4/30, 5/1, 5/2, 10/22)
 * and the Olympic moves of 2020-2021 (Marine, Sports and Mountain Days); in those years the
 * ordinary rules apply. Holidays decreed after 2025 for later years cannot be known.
 *
 * Invariants after cc_calendar_init: periods are in time order, contiguous except for the
 * in-hours gaps, and cover every minute that is not in hours exactly once. */
#include "carecast/calendar.h"

#include "calendar_time.h"

#include <math.h>
#include <string.h>

enum { PROPER = 1 }; /* a holiday named by the act itself (国民の祝日) */

static int is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

/* 0-based day of the year, or -1 when the date does not exist. */
static int day_of_year(int year, int month, int day)
{
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return -1;
    int index = day - 1;
    for (int m = 1; m < month; m++)
        index += days_in_month(year, m);
    return index;
}

/* Day of the week (0 = Sunday), Sakamoto's method for the Gregorian calendar. */
static int weekday_of(int year, int month, int day)
{
    static const int offset[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (month < 3)
        year--;
    return (year + year / 4 - year / 100 + year / 400 + offset[month - 1] + day) % 7;
}

/* Day of the month of the n-th Monday. */
static int nth_monday(int year, int month, int n)
{
    int first = weekday_of(year, month, 1);
    return 1 + (8 - first) % 7 + 7 * (n - 1);
}

static int equinox_day(int year, double c_1980, double c_2100)
{
    double c = year < 2100 ? c_1980 : c_2100;
    return (int)floor(c + 0.242194 * (year - 1980) - floor((year - 1980) / 4.0));
}

static void mark(unsigned char *flags, int year, int month, int day, unsigned char bits)
{
    flags[day_of_year(year, month, day)] |= bits;
}

/* The act's named holidays of the year, as PROPER bits in proper[]. */
static void mark_proper_holidays(unsigned char *proper, int year)
{
    static const int fixed[][2] = {{1, 1}, {2, 11}, {4, 29}, {5, 3}, {5, 5}, {11, 3}, {11, 23}};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        mark(proper, year, fixed[i][0], fixed[i][1], PROPER);
    if (year >= 2020)
        mark(proper, year, 2, 23, PROPER);
    if (year <= 2018)
        mark(proper, year, 12, 23, PROPER);
    if (year >= 2007)
        mark(proper, year, 5, 4, PROPER);
    if (year >= 2016)
        mark(proper, year, 8, 11, PROPER);
    mark(proper, year, 1, nth_monday(year, 1, 2), PROPER);
    mark(proper, year, 10, nth_monday(year, 10, 2), PROPER);
    mark(proper, year, 7, year >= 2003 ? nth_monday(year, 7, 3) : 20, PROPER);
    mark(proper, year, 9, year >= 2003 ? nth_monday(year, 9, 3) : 15, PROPER);
    mark(proper, year, 3, equinox_day(year, 20.8431, 21.8510), PROPER);
    mark(proper, year, 9, equinox_day(year, 23.2488, 24.2488), PROPER);
}

static int is_sunday(const cc_calendar *cal, int day)
{
    return (cal->first_weekday + day) % 7 == 0;
}

/* Substitute holidays for the proper holidays that fall on a Sunday. */
static void mark_substitutes(cc_calendar *cal, const unsigned char *proper)
{
    for (int d = 0; d < cal->n_days; d++) {
        if (!proper[d] || !is_sunday(cal, d))
            continue;
        int next = d + 1;
        while (cal->year >= 2007 && next < cal->n_days && proper[next])
            next++;
        if (next < cal->n_days && !proper[next])
            cal->day_flags[next] |= CC_CALENDAR_HOLIDAY | CC_CALENDAR_SUBSTITUTE;
    }
}

/* Citizens' holidays: days between two proper holidays. */
static void mark_citizens(cc_calendar *cal, const unsigned char *proper)
{
    for (int d = 1; d + 1 < cal->n_days; d++) {
        if (proper[d] || !proper[d - 1] || !proper[d + 1])
            continue;
        if (cal->year < 2007 && is_sunday(cal, d))
            continue;
        cal->day_flags[d] |= CC_CALENDAR_HOLIDAY | CC_CALENDAR_CITIZENS;
    }
}

static void mark_holidays(cc_calendar *cal)
{
    unsigned char proper[CC_CALENDAR_MAX_DAYS] = {0};
    mark_proper_holidays(proper, cal->year);
    for (int d = 0; d < cal->n_days; d++)
        if (proper[d])
            cal->day_flags[d] |= CC_CALENDAR_HOLIDAY;
    mark_substitutes(cal, proper);
    mark_citizens(cal, proper);
}

/* The year-end closure (1-3 January, 29-31 December) and the extra dates of this year. */
static int mark_closures(cc_calendar *cal, const cc_calendar_date *extra, size_t n_extra, cc_error *err)
{
    for (int d = 0; d < 3; d++) {
        cal->day_flags[d] |= CC_CALENDAR_CLOSURE;
        cal->day_flags[cal->n_days - 1 - d] |= CC_CALENDAR_CLOSURE;
    }
    for (size_t i = 0; i < n_extra; i++) {
        const cc_calendar_date *date = &extra[i];
        int exists = date->year >= 1 && day_of_year(date->year, date->month, date->day) >= 0;
        if (!exists)
            return cc_error_set(err, CC_ERR_RANGE, NULL, 0, NULL,
                                "extra closure date %04d-%02d-%02d does not exist", date->year,
                                date->month, date->day);
        if (date->year == cal->year)
            mark(cal->day_flags, cal->year, date->month, date->day, CC_CALENDAR_CLOSURE);
    }
    return 0;
}

/* Day off (no in-hours) and the minute at which in-hours end, for every date. */
static void set_opening_hours(cc_calendar *cal)
{
    for (int d = 0; d < cal->n_days; d++) {
        int weekday = (cal->first_weekday + d) % 7;
        if (weekday == 0 || (cal->day_flags[d] & (CC_CALENDAR_HOLIDAY | CC_CALENDAR_CLOSURE)))
            cal->day_flags[d] |= CC_CALENDAR_DAY_OFF;
        if (cal->day_flags[d] & CC_CALENDAR_DAY_OFF)
            cal->in_hours_end[d] = 0;
        else
            cal->in_hours_end[d] = weekday == 6 ? CC_CALENDAR_SATURDAY_CLOSE : CC_CALENDAR_WEEKDAY_CLOSE;
    }
}

static void add_period(cc_calendar *cal, int day, cc_calendar_duty kind, int from, int to)
{
    double base = (double)day * CC_CALENDAR_DAY_MINUTES;
    cal->periods[cal->n_periods++] = (cc_calendar_period){base + from, base + to, day, kind};
    if (kind == CC_CALENDAR_DUTY_DAY)
        cal->n_duty_days++;
    else
        cal->n_duty_nights++;
}

static void build_periods(cc_calendar *cal)
{
    for (int d = 0; d < cal->n_days; d++) {
        cal->first_period[d] = cal->n_periods;
        int night_from = cal->in_hours_end[d];
        if (cal->day_flags[d] & CC_CALENDAR_DAY_OFF) {
            add_period(cal, d, CC_CALENDAR_DUTY_DAY, 0, CC_CALENDAR_WEEKDAY_CLOSE);
            night_from = CC_CALENDAR_WEEKDAY_CLOSE;
        }
        add_period(cal, d, CC_CALENDAR_DUTY_NIGHT, night_from, CC_CALENDAR_DAY_MINUTES);
    }
}

/* A day's parts in time order: [start, end) minutes after 08:30 and their class. */
typedef struct {
    int start, end;
    cc_calendar_class cls;
} day_part;

enum { DAY_PARTS = 4 };

static void day_parts_get(const cc_calendar *cal, int day, day_part parts[DAY_PARTS])
{
    int close = cal->in_hours_end[day];
    parts[0] = (day_part){0, close, CC_CALENDAR_IN_HOURS};
    parts[1] = (day_part){close, CC_CALENDAR_NIGHT_START, CC_CALENDAR_OOH_DAY};
    parts[2] = (day_part){CC_CALENDAR_NIGHT_START, CC_CALENDAR_NIGHT_END, CC_CALENDAR_NIGHT};
    parts[3] = (day_part){CC_CALENDAR_NIGHT_END, CC_CALENDAR_DAY_MINUTES, CC_CALENDAR_OOH_DAY};
}

/* The last day d with cumulative[d] <= u (so the class has minutes on day d when u < total). */
static int class_day_search(const double *cumulative, int n_days, double u)
{
    int lo = 0, hi = n_days - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (cumulative[mid] <= u)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static void build_class_totals(cc_calendar *cal)
{
    for (int d = 0; d < cal->n_days; d++) {
        day_part parts[DAY_PARTS];
        day_parts_get(cal, d, parts);
        for (int c = 0; c < CC_CALENDAR_CLASSES; c++)
            cal->class_cumulative[c][d + 1] = cal->class_cumulative[c][d];
        for (int p = 0; p < DAY_PARTS; p++)
            cal->class_cumulative[parts[p].cls][d + 1] += parts[p].end - parts[p].start;
    }
    for (int c = 0; c < CC_CALENDAR_CLASSES; c++) {
        double total = cal->class_cumulative[c][cal->n_days];
        for (int k = 0; k < CC_CALENDAR_GUIDE; k++)
            cal->class_guide[c][k] = (short)class_day_search(cal->class_cumulative[c], cal->n_days,
                                                             k * (total / CC_CALENDAR_GUIDE));
    }
}

static void build_months(cc_calendar *cal)
{
    for (int m = 1, d = 0; m <= 12; m++)
        for (int i = 0; i < days_in_month(cal->year, m); i++)
            cal->month[d++] = (unsigned char)(m - 1);
}

int cc_calendar_init(cc_calendar *cal, int year, const cc_calendar_date *extra, size_t n_extra,
                     cc_error *err)
{
    memset(cal, 0, sizeof *cal);
    if (year < CC_CALENDAR_YEAR_MIN || year > CC_CALENDAR_YEAR_MAX)
        return cc_error_set(err, CC_ERR_RANGE, NULL, 0, NULL, "calendar year %d is outside %d-%d",
                            year, CC_CALENDAR_YEAR_MIN, CC_CALENDAR_YEAR_MAX);
    if (n_extra > 0 && !extra)
        return cc_error_set(err, CC_ERR_USAGE, NULL, 0, NULL, "extra closure dates missing");
    cal->year = year;
    cal->n_days = is_leap_year(year) ? 366 : 365;
    cal->first_weekday = weekday_of(year, 1, 1);
    mark_holidays(cal);
    int ret = mark_closures(cal, extra, n_extra, err);
    if (ret != 0) {
        memset(cal, 0, sizeof *cal);
        return ret;
    }
    set_opening_hours(cal);
    build_periods(cal);
    build_class_totals(cal);
    build_months(cal);
    return 0;
}

int cc_calendar_date_index(const cc_calendar *cal, int month, int day, int *index)
{
    int d = cal->n_days > 0 ? day_of_year(cal->year, month, day) : -1;
    if (d < 0)
        return CC_ERR_RANGE;
    *index = d;
    return 0;
}

int cc_calendar_day_date(const cc_calendar *cal, int day, int *month, int *mday)
{
    if (day < 0 || day >= cal->n_days)
        return CC_ERR_RANGE;
    int m = cal->month[day] + 1;
    for (int k = 1; k < m; k++)
        day -= days_in_month(cal->year, k);
    *month = m;
    *mday = day + 1;
    return 0;
}

/* 1 if the date's flags have any of `bits`, 0 if not, CC_ERR_RANGE. */
static int date_has(const cc_calendar *cal, int month, int day, unsigned char bits)
{
    int d;
    int ret = cc_calendar_date_index(cal, month, day, &d);
    return ret != 0 ? ret : (cal->day_flags[d] & bits) != 0;
}

int cc_calendar_date_is_holiday(const cc_calendar *cal, int month, int day)
{
    return date_has(cal, month, day, CC_CALENDAR_HOLIDAY);
}

int cc_calendar_date_is_closure(const cc_calendar *cal, int month, int day)
{
    return date_has(cal, month, day, CC_CALENDAR_CLOSURE);
}

int cc_calendar_date_is_duty_day(const cc_calendar *cal, int month, int day)
{
    return date_has(cal, month, day, CC_CALENDAR_DAY_OFF);
}

int cc_calendar_date_weekday(const cc_calendar *cal, int month, int day)
{
    int d;
    int ret = cc_calendar_date_index(cal, month, day, &d);
    return ret != 0 ? ret : (cal->first_weekday + d) % 7;
}

double cc_calendar_year_minutes(const cc_calendar *cal)
{
    return (double)cal->n_days * CC_CALENDAR_DAY_MINUTES;
}

int cc_calendar_time_classify(const cc_calendar *cal, double t, cc_calendar_class *cls)
{
    return cc_calendar_classify_at(cal, t, cls);
}

int cc_calendar_period_find(const cc_calendar *cal, double t, int *index)
{
    return cc_calendar_period_at(cal, t, index);
}

int cc_calendar_period_get(const cc_calendar *cal, int index, cc_calendar_period *period)
{
    if (index < 0 || index >= cal->n_periods)
        return CC_ERR_RANGE;
    *period = cal->periods[index];
    return 0;
}

int cc_calendar_duty_count(const cc_calendar *cal, cc_calendar_duty kind)
{
    return kind == CC_CALENDAR_DUTY_DAY ? cal->n_duty_days : cal->n_duty_nights;
}

static int class_valid(cc_calendar_class cls)
{
    return cls >= CC_CALENDAR_IN_HOURS && cls < CC_CALENDAR_CLASSES;
}

double cc_calendar_class_minutes(const cc_calendar *cal, cc_calendar_class cls)
{
    return class_valid(cls) ? cal->class_cumulative[cls][cal->n_days] : 0;
}

/* The time in day d at which class cls has accumulated `rest` of the day's minutes of it. */
static double class_time_in_day(const cc_calendar *cal, int d, cc_calendar_class cls, double rest)
{
    day_part parts[DAY_PARTS];
    day_parts_get(cal, d, parts);
    double base = (double)d * CC_CALENDAR_DAY_MINUTES;
    double last_end = base;
    for (int p = 0; p < DAY_PARTS; p++) {
        int length = parts[p].end - parts[p].start;
        if (parts[p].cls != cls || length <= 0)
            continue;
        double when = base + parts[p].start + rest;
        last_end = base + parts[p].end;
        if (rest < length) /* rounding must not carry `when` out of the part */
            return when < last_end ? when : nextafter(last_end, 0);
        rest -= length;
    }
    return nextafter(last_end, 0); /* rounding carried rest past the day's last part */
}

int cc_calendar_class_time(const cc_calendar *cal, cc_calendar_class cls, double u, double *t)
{
    if (!class_valid(cls) || !(u >= 0 && u < cc_calendar_class_minutes(cal, cls)))
        return CC_ERR_RANGE;
    /* the last day d with cumulative[d] <= u, as a binary search would find it: from the guide
     * table's day for u, back while past u (rounding of the bucket), on while the next is not */
    const double *cumulative = cal->class_cumulative[cls];
    double total = cumulative[cal->n_days];
    int k = (int)(u * (CC_CALENDAR_GUIDE / total)), d;
    d = cal->class_guide[cls][k < CC_CALENDAR_GUIDE ? k : CC_CALENDAR_GUIDE - 1];
    while (d > 0 && cumulative[d] > u)
        d--;
    while (d + 1 < cal->n_days && cumulative[d + 1] <= u)
        d++;
    *t = class_time_in_day(cal, d, cls, u - cumulative[d]);
    return 0;
}
