/* Unit tests of the coverage calendar: Japan's national holidays (2025's 19 dates exactly,
 * 2026 with a substitute and a citizens' holiday, the Emperor's Birthday moving in 2019,
 * the pre-2007 rules), weekdays against the C library, the year-end and extra closures, the
 * duty periods (365 duty nights and 73 duty days in 2025; every minute of every year either in
 * hours or in exactly one period), classification at the boundaries, and the map that draws a
 * time uniformly within a class. */
#include "testutil.h"

#include <time.h>

#include "carecast/calendar.h"

enum { DAY = CC_CALENDAR_DAY_MINUTES };

/* Minutes since 08:30 on 1 January of the calendar's year at hh:mm on a date. */
static double at(const cc_calendar *cal, int month, int day, int hh, int mm)
{
    int d;
    assert_int_equal(cc_calendar_date_index(cal, month, day, &d), 0);
    return (double)d * DAY + (hh * 60 + mm) - (8 * 60 + 30);
}

static void calendar_init(cc_calendar *cal, int year)
{
    cc_error err;
    int ret = cc_calendar_init(cal, year, NULL, 0, &err);
    if (ret != 0)
        print_error("%s\n", err.message);
    assert_int_equal(ret, 0);
}

/* Every date of the year is a holiday exactly when it is in dates[] (month, day pairs). */
static void assert_holidays_exactly(const cc_calendar *cal, const int (*dates)[2], int n)
{
    int count = 0;
    for (int d = 0; d < cal->n_days; d++) {
        int month, mday, listed = 0;
        assert_int_equal(cc_calendar_day_date(cal, d, &month, &mday), 0);
        for (int i = 0; i < n; i++)
            listed |= dates[i][0] == month && dates[i][1] == mday;
        int holiday = cc_calendar_date_is_holiday(cal, month, mday);
        if (holiday != listed)
            print_error("%d-%02d-%02d: holiday %d, expected %d\n", cal->year, month, mday, holiday, listed);
        assert_int_equal(holiday, listed);
        count += holiday;
    }
    assert_int_equal(count, n);
}

static void test_2025_holidays_exactly(void **state)
{
    (void)state;
    static const int dates[][2] = {{1, 1},  {1, 13}, {2, 11}, {2, 23},  {2, 24},  {3, 20}, {4, 29},
                                   {5, 3},  {5, 4},  {5, 5},  {5, 6},   {7, 21},  {8, 11}, {9, 15},
                                   {9, 23}, {10, 13}, {11, 3}, {11, 23}, {11, 24}};
    cc_calendar cal;
    calendar_init(&cal, 2025);
    assert_holidays_exactly(&cal, dates, 19);
    /* the three substitutes: 2/23, 5/4 and 11/23 fall on Sundays */
    int d;
    static const int substitutes[][2] = {{2, 24}, {5, 6}, {11, 24}};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(cc_calendar_date_index(&cal, substitutes[i][0], substitutes[i][1], &d), 0);
        assert_true(cal.day_flags[d] & CC_CALENDAR_SUBSTITUTE);
    }
}

/* 2026: 5/3 is a Sunday, 5/4 and 5/5 are holidays, so the substitute is Wednesday 5/6; 9/22
 * lies between Respect-for-the-Aged Day (3rd Monday, 9/21) and the autumnal equinox (9/23). */
static void test_2026_substitute_and_citizens_holiday(void **state)
{
    (void)state;
    static const int dates[][2] = {{1, 1},  {1, 12}, {2, 11}, {2, 23}, {3, 20},  {4, 29},
                                   {5, 3},  {5, 4},  {5, 5},  {5, 6},  {7, 20},  {8, 11},
                                   {9, 21}, {9, 22}, {9, 23}, {10, 12}, {11, 3}, {11, 23}};
    cc_calendar cal;
    calendar_init(&cal, 2026);
    assert_holidays_exactly(&cal, dates, 18);
    int d;
    assert_int_equal(cc_calendar_date_index(&cal, 5, 6, &d), 0);
    assert_int_equal(cal.day_flags[d] & (CC_CALENDAR_SUBSTITUTE | CC_CALENDAR_CITIZENS), CC_CALENDAR_SUBSTITUTE);
    assert_int_equal(cc_calendar_date_weekday(&cal, 5, 6), 3);
    assert_int_equal(cc_calendar_date_index(&cal, 9, 22, &d), 0);
    assert_int_equal(cal.day_flags[d] & (CC_CALENDAR_SUBSTITUTE | CC_CALENDAR_CITIZENS), CC_CALENDAR_CITIZENS);
    assert_int_equal(cc_calendar_date_weekday(&cal, 9, 22), 2);
}

/* The Emperor's Birthday: 12/23 to 2018 (a Sunday in 2018, so 12/24 is a substitute), none in
 * 2019, 2/23 from 2020. */
static void test_emperors_birthday_moves(void **state)
{
    (void)state;
    cc_calendar cal;
    calendar_init(&cal, 2018);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 12, 23), 1);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 12, 24), 1);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 2, 23), 0);
    calendar_init(&cal, 2019);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 12, 23), 0);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 2, 23), 0);
    calendar_init(&cal, 2020);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 2, 23), 1);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 2, 24), 1); /* 2/23/2020 was a Sunday */
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 12, 23), 0);
}

/* Before 2007: 5/4 was a citizens' holiday only when not a Sunday, and a Sunday holiday moved
 * to the Monday only. 2003: 5/3 Sat, 5/4 Sun (no holiday), 5/5 Mon; no 5/6. 2008 (new rules):
 * 5/4 Greenery Day on a Sunday gives a substitute on Tuesday 5/6. Marine Day and
 * Respect-for-the-Aged Day were fixed (7/20, 9/15) until 2002. */
static void test_rules_before_2007(void **state)
{
    (void)state;
    cc_calendar cal;
    calendar_init(&cal, 2003);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 5, 4), 0);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 5, 6), 0);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 7, 21), 1); /* 3rd Monday */
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 9, 15), 1); /* 3rd Monday, too */
    calendar_init(&cal, 2008);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 5, 4), 1);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 5, 6), 1);
    calendar_init(&cal, 2006);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 5, 4), 1); /* Thursday, citizens' */
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 1, 2), 1);  /* 1/1 a Sunday */
    calendar_init(&cal, 2001);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 7, 20), 1);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 9, 15), 1);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 9, 17), 0);
}

/* One-off laws are ignored: 2020's Olympic moves (Marine Day 7/23, Sports Day 7/24, Mountain
 * Day 8/10) are not applied; the ordinary rules give 7/20, 10/12 and 8/11. */
static void test_olympic_moves_ignored(void **state)
{
    (void)state;
    cc_calendar cal;
    calendar_init(&cal, 2020);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 7, 20), 1);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 7, 23), 0);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 10, 12), 1);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 8, 11), 1);
}

/* 1 if the date is a holiday named by the act (not a substitute or citizens' holiday). */
static int named_holiday(const cc_calendar *cal, int month, int day)
{
    int d;
    assert_int_equal(cc_calendar_date_index(cal, month, day, &d), 0);
    unsigned char flags = cal->day_flags[d];
    return (flags & CC_CALENDAR_HOLIDAY) && !(flags & (CC_CALENDAR_SUBSTITUTE | CC_CALENDAR_CITIZENS));
}

/* Named holidays among the days first..last of a month. */
static int named_holidays_between(const cc_calendar *cal, int month, int first, int last)
{
    int count = 0;
    for (int day = first; day <= last; day++)
        count += named_holiday(cal, month, day);
    return count;
}

/* Equinoxes: known dates (2023: 3/21, 9/23; 2024: 3/20, 9/22; 2025: 3/20, 9/23) and, in every
 * year 2000-2100, March's only named holiday is in 19-21 March and September's equinox in
 * 22-24 September (nothing named on 25-30 September). */
static void test_equinox_days(void **state)
{
    (void)state;
    cc_calendar cal;
    calendar_init(&cal, 2023);
    assert_int_equal(named_holiday(&cal, 3, 21), 1);
    assert_int_equal(named_holiday(&cal, 9, 23), 1);
    calendar_init(&cal, 2024);
    assert_int_equal(named_holiday(&cal, 3, 20), 1);
    assert_int_equal(named_holiday(&cal, 9, 22), 1);
    for (int year = CC_CALENDAR_YEAR_MIN; year <= CC_CALENDAR_YEAR_MAX; year++) {
        calendar_init(&cal, year);
        assert_int_equal(named_holidays_between(&cal, 3, 1, 31), 1);
        assert_int_equal(named_holidays_between(&cal, 3, 19, 21), 1);
        assert_int_equal(named_holidays_between(&cal, 9, 22, 24), 1);
        assert_int_equal(named_holidays_between(&cal, 9, 25, 30), 0);
    }
}

/* Weekdays of every date 2000-2100 agree with the C library (timegm/gmtime). */
static void test_weekdays_match_c_library(void **state)
{
    (void)state;
    cc_calendar cal;
    for (int year = CC_CALENDAR_YEAR_MIN; year <= CC_CALENDAR_YEAR_MAX; year++) {
        calendar_init(&cal, year);
        assert_int_equal(cal.n_days, (year % 4 == 0 && year != 2100) ? 366 : 365);
        for (int d = 0; d < cal.n_days; d++) {
            int month, mday;
            assert_int_equal(cc_calendar_day_date(&cal, d, &month, &mday), 0);
            struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = mday, .tm_hour = 12};
            time_t when = timegm(&tm);
            struct tm back;
            assert_non_null(gmtime_r(&when, &back));
            assert_int_equal(back.tm_yday, d);
            assert_int_equal(cc_calendar_date_weekday(&cal, month, mday), back.tm_wday);
        }
    }
}

static void test_dates_and_range_errors(void **state)
{
    (void)state;
    cc_calendar cal;
    cc_error err;
    assert_cc_error(cc_calendar_init(&cal, 1999, NULL, 0, &err), &err, CC_ERR_RANGE, NULL, -1, NULL);
    assert_int_equal(cal.n_days, 0);
    assert_cc_error(cc_calendar_init(&cal, 2101, NULL, 0, &err), &err, CC_ERR_RANGE, NULL, -1, NULL);
    calendar_init(&cal, 2025);
    int d = -7;
    assert_int_equal(cc_calendar_date_index(&cal, 2, 29, &d), CC_ERR_RANGE);
    assert_int_equal(d, -7);
    assert_int_equal(cc_calendar_date_index(&cal, 13, 1, &d), CC_ERR_RANGE);
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 4, 31), CC_ERR_RANGE);
    assert_int_equal(cc_calendar_date_weekday(&cal, 0, 1), CC_ERR_RANGE);
    assert_int_equal(cc_calendar_date_index(&cal, 12, 31, &d), 0);
    assert_int_equal(d, 364);
    assert_int_equal(cc_calendar_date_weekday(&cal, 1, 1), 3); /* Wednesday */
    int month, mday;
    assert_int_equal(cc_calendar_day_date(&cal, 59, &month, &mday), 0);
    assert_int_equal(month, 3);
    assert_int_equal(mday, 1);
    assert_int_equal(cc_calendar_day_date(&cal, 365, &month, &mday), CC_ERR_RANGE);
    calendar_init(&cal, 2024);
    assert_int_equal(cc_calendar_date_index(&cal, 2, 29, &d), 0);
    assert_int_equal(d, 59);
    assert_double_equal(cc_calendar_year_minutes(&cal), 366.0 * DAY, 0);
}

/* 29 December - 3 January are closure days and duty days, whatever the weekday. */
static void test_year_end_closure(void **state)
{
    (void)state;
    cc_calendar cal;
    calendar_init(&cal, 2025);
    static const int closed[][2] = {{1, 1}, {1, 2}, {1, 3}, {12, 29}, {12, 30}, {12, 31}};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(cc_calendar_date_is_closure(&cal, closed[i][0], closed[i][1]), 1);
        assert_int_equal(cc_calendar_date_is_duty_day(&cal, closed[i][0], closed[i][1]), 1);
    }
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 1, 2), 0);
    assert_int_equal(cc_calendar_date_is_closure(&cal, 1, 4), 0);
    assert_int_equal(cc_calendar_date_is_closure(&cal, 12, 28), 0);
    assert_int_equal(cc_calendar_date_is_duty_day(&cal, 1, 4), 0);  /* an open Saturday */
    assert_int_equal(cc_calendar_date_is_duty_day(&cal, 12, 28), 1); /* a Sunday */
    assert_int_equal(cc_calendar_date_is_duty_day(&cal, 12, 26), 0); /* a Friday */
    cc_calendar_class cls;
    assert_int_equal(cc_calendar_time_classify(&cal, at(&cal, 1, 2, 10, 0), &cls), 0);
    assert_int_equal(cls, CC_CALENDAR_OOH_DAY);
}

/* Extra closure dates of the calendar's year close the clinics; other years' are ignored;
 * a date that does not exist is an error. */
static void test_extra_closures(void **state)
{
    (void)state;
    cc_calendar cal;
    cc_error err;
    const cc_calendar_date extra[] = {{2025, 8, 13}, {2026, 8, 13}, {2025, 5, 5}};
    assert_int_equal(cc_calendar_init(&cal, 2025, extra, 3, &err), 0);
    assert_int_equal(cc_calendar_date_is_closure(&cal, 8, 13), 1);
    assert_int_equal(cc_calendar_date_is_duty_day(&cal, 8, 13), 1); /* a Wednesday */
    assert_int_equal(cc_calendar_date_is_holiday(&cal, 8, 13), 0);
    assert_int_equal(cc_calendar_duty_count(&cal, CC_CALENDAR_DUTY_DAY), 74); /* 5/5 was one */
    assert_int_equal(cc_calendar_init(&cal, 2026, extra, 3, &err), 0);
    assert_int_equal(cc_calendar_date_is_duty_day(&cal, 8, 13), 1); /* a Thursday */
    assert_int_equal(cc_calendar_date_is_closure(&cal, 5, 5), 0);
    const cc_calendar_date bad[] = {{2025, 2, 29}};
    assert_cc_error(cc_calendar_init(&cal, 2025, bad, 1, &err), &err, CC_ERR_RANGE, NULL, -1, NULL);
    assert_non_null(strstr(err.message, "2025-02-29"));
    assert_int_equal(cal.n_days, 0);
    const cc_calendar_date bad_other_year[] = {{2027, 13, 1}};
    assert_cc_error(cc_calendar_init(&cal, 2025, bad_other_year, 1, &err), &err, CC_ERR_RANGE, NULL, -1, NULL);
    assert_int_equal(cc_calendar_init(&cal, 2025, NULL, 1, &err), CC_ERR_USAGE);
}

/* 2025 has 365 duty nights (one per date) and 73 duty days: 52 Sundays (1 January is a
 * Wednesday, so Wednesday is the weekday that occurs 53 times), plus the 16 holidays not on a
 * Sunday (19 less 2/23, 5/4 and 11/23), plus the 5 closure days that are neither (1/2, 1/3,
 * 12/29, 12/30, 12/31; 1/1 is a holiday): 52 + 16 + 5 = 73. The test also counts them from
 * the flags, independently of the period list. */
static void test_2025_duty_counts(void **state)
{
    (void)state;
    cc_calendar cal;
    calendar_init(&cal, 2025);
    assert_int_equal(cc_calendar_duty_count(&cal, CC_CALENDAR_DUTY_NIGHT), 365);
    assert_int_equal(cc_calendar_duty_count(&cal, CC_CALENDAR_DUTY_DAY), 73);
    int sundays = 0, holidays = 0, closures = 0, nights = 0, days = 0;
    for (int d = 0; d < cal.n_days; d++) {
        int sunday = (cal.first_weekday + d) % 7 == 0;
        int holiday = (cal.day_flags[d] & CC_CALENDAR_HOLIDAY) != 0;
        sundays += sunday;
        holidays += !sunday && holiday;
        closures += !sunday && !holiday && (cal.day_flags[d] & CC_CALENDAR_CLOSURE);
    }
    assert_int_equal(sundays, 52);
    assert_int_equal(holidays, 16);
    assert_int_equal(closures, 5);
    for (int i = 0; i < cal.n_periods; i++) {
        nights += cal.periods[i].kind == CC_CALENDAR_DUTY_NIGHT;
        days += cal.periods[i].kind == CC_CALENDAR_DUTY_DAY;
    }
    assert_int_equal(nights, 365);
    assert_int_equal(days, 73);
    assert_int_equal(cal.n_periods, 365 + 73);
}

/* In-hours minutes of 2025: of 261 Mon-Fri dates, 20 are holidays or closure days (15
 * holidays, 5 closure days), leaving 241 x 540 min; of 52 Saturdays one (5/3) is a holiday,
 * leaving 51 x 240 min: 130,140 + 12,240 = 142,380. Night is 480 min on each of 365 days. */
static void test_2025_class_totals(void **state)
{
    (void)state;
    cc_calendar cal;
    calendar_init(&cal, 2025);
    assert_double_equal(cc_calendar_class_minutes(&cal, CC_CALENDAR_IN_HOURS), 142380, 0);
    assert_double_equal(cc_calendar_class_minutes(&cal, CC_CALENDAR_NIGHT), 365 * 480, 0);
    assert_double_equal(cc_calendar_class_minutes(&cal, CC_CALENDAR_OOH_DAY), 525600 - 142380 - 175200, 0);
    assert_double_equal(cc_calendar_class_minutes(&cal, (cc_calendar_class)7), 0, 0);
}

/* Periods are in time order, a night after every day, a day only on a day off, and the gaps
 * between periods are exactly the in-hours. */
static void assert_period_list_consistent(const cc_calendar *cal)
{
    double covered = 0;
    for (int i = 0; i < cal->n_periods; i++) {
        const cc_calendar_period *p = &cal->periods[i];
        assert_true(p->start < p->end);
        covered += p->end - p->start;
        if (i > 0)
            assert_true(cal->periods[i - 1].end <= p->start);
        if (p->kind == CC_CALENDAR_DUTY_DAY) {
            assert_true(cal->day_flags[p->day] & CC_CALENDAR_DAY_OFF);
            assert_int_equal(cal->periods[i + 1].kind, CC_CALENDAR_DUTY_NIGHT);
            assert_true(cal->periods[i + 1].start == p->end);
        }
    }
    assert_int_equal(cal->n_duty_nights, cal->n_days);
    assert_double_equal(covered + cc_calendar_class_minutes(cal, CC_CALENDAR_IN_HOURS),
                        cc_calendar_year_minutes(cal), 0);
}

/* Every minute of the year (tested at its start and its middle) is in hours, or inside
 * exactly one duty period, and period_find names that period. */
static void assert_every_minute_covered_once(const cc_calendar *cal)
{
    int minutes = (int)cc_calendar_year_minutes(cal);
    unsigned char *holders = calloc((size_t)minutes, 1);
    assert_non_null(holders);
    for (int i = 0; i < cal->n_periods; i++)
        for (int m = (int)cal->periods[i].start; m < (int)cal->periods[i].end; m++)
            holders[m]++;
    for (int m = 0; m < minutes; m++) {
        for (int half = 0; half < 2; half++) {
            double t = m + 0.5 * half;
            cc_calendar_class cls;
            int index;
            assert_int_equal(cc_calendar_time_classify(cal, t, &cls), 0);
            int found = cc_calendar_period_find(cal, t, &index);
            assert_int_equal(holders[m], cls == CC_CALENDAR_IN_HOURS ? 0 : 1);
            if (cls == CC_CALENDAR_IN_HOURS) {
                assert_int_equal(found, CC_CALENDAR_IN_HOURS_OUTCOME);
                continue;
            }
            assert_int_equal(found, 0);
            assert_true(cal->periods[index].start <= t && t < cal->periods[index].end);
        }
    }
    free(holders);
}

static void test_every_minute_in_hours_or_one_period_2025(void **state)
{
    (void)state;
    cc_calendar cal;
    calendar_init(&cal, 2025);
    assert_period_list_consistent(&cal);
    assert_every_minute_covered_once(&cal);
}

/* The same for every year 2000-2100 (the list's invariants), and minute by minute for a leap
 * year starting on a Saturday and for 2100 (not a leap year). */
static void test_periods_consistent_every_year(void **state)
{
    (void)state;
    cc_calendar cal;
    for (int year = CC_CALENDAR_YEAR_MIN; year <= CC_CALENDAR_YEAR_MAX; year++) {
        calendar_init(&cal, year);
        assert_period_list_consistent(&cal);
    }
    calendar_init(&cal, 2028);
    assert_int_equal(cal.n_days, 366);
    assert_int_equal(cal.first_weekday, 6);
    assert_every_minute_covered_once(&cal);
    calendar_init(&cal, 2100);
    assert_int_equal(cal.n_days, 365);
    assert_every_minute_covered_once(&cal);
}

static void assert_time_is(const cc_calendar *cal, double t, cc_calendar_class want_cls,
                           int want_period_day, cc_calendar_duty want_kind)
{
    cc_calendar_class cls;
    int index;
    assert_int_equal(cc_calendar_time_classify(cal, t, &cls), 0);
    assert_int_equal(cls, want_cls);
    int found = cc_calendar_period_find(cal, t, &index);
    if (want_period_day < 0) {
        assert_int_equal(found, CC_CALENDAR_IN_HOURS_OUTCOME);
        assert_int_equal(index, -1);
        return;
    }
    assert_int_equal(found, 0);
    cc_calendar_period period;
    assert_int_equal(cc_calendar_period_get(cal, index, &period), 0);
    assert_int_equal(period.day, want_period_day);
    assert_int_equal(period.kind, want_kind);
}

/* Boundaries on an ordinary week of 2025: Monday 6 January (day 5) to Monday 13 January
 * (Coming of Age Day, day 12). */
static void test_boundaries(void **state)
{
    (void)state;
    cc_calendar cal;
    calendar_init(&cal, 2025);
    const cc_calendar_class IN = CC_CALENDAR_IN_HOURS, OOH = CC_CALENDAR_OOH_DAY, NIGHT = CC_CALENDAR_NIGHT;
    const cc_calendar_duty N = CC_CALENDAR_DUTY_NIGHT, D = CC_CALENDAR_DUTY_DAY;
    assert_true(at(&cal, 1, 6, 8, 30) == 5 * DAY);
    assert_time_is(&cal, at(&cal, 1, 6, 8, 30), IN, -1, N);
    assert_time_is(&cal, at(&cal, 1, 6, 17, 30) - 1e-6, IN, -1, N);
    assert_time_is(&cal, at(&cal, 1, 6, 17, 30), OOH, 5, N);
    assert_time_is(&cal, at(&cal, 1, 6, 22, 0) - 1e-6, OOH, 5, N);
    assert_time_is(&cal, at(&cal, 1, 6, 22, 0), NIGHT, 5, N);
    assert_time_is(&cal, at(&cal, 1, 7, 6, 0) - 1e-6, NIGHT, 5, N);
    assert_time_is(&cal, at(&cal, 1, 7, 6, 0), OOH, 5, N);
    assert_time_is(&cal, at(&cal, 1, 7, 8, 30) - 1e-6, OOH, 5, N);
    assert_time_is(&cal, at(&cal, 1, 7, 8, 30), IN, -1, N);
    /* Saturday 11 January (day 10): in hours to 12:30, then the duty night */
    assert_time_is(&cal, at(&cal, 1, 11, 12, 30) - 1e-6, IN, -1, N);
    assert_time_is(&cal, at(&cal, 1, 11, 12, 30), OOH, 10, N);
    assert_time_is(&cal, at(&cal, 1, 11, 17, 30), OOH, 10, N);
    assert_time_is(&cal, at(&cal, 1, 11, 23, 0), NIGHT, 10, N);
    /* Sunday 12 January (day 11) and the holiday Monday 13 January (day 12): duty days */
    assert_time_is(&cal, at(&cal, 1, 12, 8, 30), OOH, 11, D);
    assert_time_is(&cal, at(&cal, 1, 12, 17, 30) - 1e-6, OOH, 11, D);
    assert_time_is(&cal, at(&cal, 1, 12, 17, 30), OOH, 11, N);
    assert_time_is(&cal, at(&cal, 1, 13, 12, 0), OOH, 12, D);
    assert_time_is(&cal, at(&cal, 1, 13, 22, 0), NIGHT, 12, N);
    /* the holiday Saturday 3 May (day 122): a duty day, not a morning surgery */
    assert_time_is(&cal, at(&cal, 5, 3, 10, 0), OOH, 122, D);
    /* the year's first and last instants; outside the year */
    assert_time_is(&cal, 0, OOH, 0, D);
    assert_time_is(&cal, nextafter(365.0 * DAY, 0), OOH, 364, N);
    cc_calendar_class cls;
    int index;
    assert_int_equal(cc_calendar_time_classify(&cal, 365.0 * DAY, &cls), CC_ERR_RANGE);
    assert_int_equal(cc_calendar_time_classify(&cal, -1e-9, &cls), CC_ERR_RANGE);
    assert_int_equal(cc_calendar_time_classify(&cal, NAN, &cls), CC_ERR_RANGE);
    assert_int_equal(cc_calendar_period_find(&cal, INFINITY, &index), CC_ERR_RANGE);
    cc_calendar_period period;
    assert_int_equal(cc_calendar_period_get(&cal, cal.n_periods, &period), CC_ERR_RANGE);
    assert_int_equal(cc_calendar_period_get(&cal, -1, &period), CC_ERR_RANGE);
}

/* Minutes of class cls in [0, t) for integer t, counted minute by minute. */
static void class_prefix_counts(const cc_calendar *cal, cc_calendar_class cls, int *prefix)
{
    int minutes = (int)cc_calendar_year_minutes(cal);
    prefix[0] = 0;
    for (int m = 0; m < minutes; m++) {
        cc_calendar_class c;
        assert_int_equal(cc_calendar_time_classify(cal, m, &c), 0);
        prefix[m + 1] = prefix[m] + (c == cls);
    }
}

/* class_time(u) is the instant by which the class has accumulated u minutes: for integer u,
 * the counted minutes of the class before t equal u, and t is in the class; fractional u stay
 * in the class and the map increases. */
static void assert_class_map(const cc_calendar *cal, cc_calendar_class cls, int *prefix)
{
    class_prefix_counts(cal, cls, prefix);
    int total = (int)cc_calendar_class_minutes(cal, cls);
    assert_int_equal(prefix[(int)cc_calendar_year_minutes(cal)], total);
    double previous = -1;
    for (int u = 0; u < total; u++) {
        double t, t_half;
        cc_calendar_class c;
        assert_int_equal(cc_calendar_class_time(cal, cls, u, &t), 0);
        assert_true(t == floor(t));
        assert_int_equal(prefix[(int)t], u);
        assert_int_equal(cc_calendar_time_classify(cal, t, &c), 0);
        assert_int_equal(c, cls);
        assert_int_equal(cc_calendar_class_time(cal, cls, u + 0.5, &t_half), 0);
        assert_true(t > previous && t_half == t + 0.5);
        previous = t_half;
    }
    double t;
    assert_int_equal(cc_calendar_class_time(cal, cls, nextafter(total, 0), &t), 0);
    cc_calendar_class c;
    assert_int_equal(cc_calendar_time_classify(cal, t, &c), 0);
    assert_int_equal(c, cls);
    assert_int_equal(cc_calendar_class_time(cal, cls, total, &t), CC_ERR_RANGE);
    assert_int_equal(cc_calendar_class_time(cal, cls, -0.5, &t), CC_ERR_RANGE);
    assert_int_equal(cc_calendar_class_time(cal, cls, NAN, &t), CC_ERR_RANGE);
}

static void test_class_time_maps_uniformly(void **state)
{
    (void)state;
    cc_calendar cal;
    calendar_init(&cal, 2025);
    int *prefix = malloc((366 * DAY + 1) * sizeof *prefix);
    assert_non_null(prefix);
    for (int c = 0; c < CC_CALENDAR_CLASSES; c++)
        assert_class_map(&cal, (cc_calendar_class)c, prefix);
    free(prefix);
    double t;
    /* the first in-hours minute is Saturday 4 January, 08:30 (1-3 January are closed) */
    assert_int_equal(cc_calendar_class_time(&cal, CC_CALENDAR_IN_HOURS, 0, &t), 0);
    assert_true(t == at(&cal, 1, 4, 8, 30));
    /* 240 minutes later: Monday 6 January, 08:30 */
    assert_int_equal(cc_calendar_class_time(&cal, CC_CALENDAR_IN_HOURS, 240, &t), 0);
    assert_true(t == at(&cal, 1, 6, 8, 30));
    /* night k * 480 starts at 22:00 of date k */
    assert_int_equal(cc_calendar_class_time(&cal, CC_CALENDAR_NIGHT, 100 * 480, &t), 0);
    assert_true(t == 100.0 * DAY + CC_CALENDAR_NIGHT_START);
    assert_int_equal(cc_calendar_class_time(&cal, (cc_calendar_class)3, 0, &t), CC_ERR_RANGE);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2025_holidays_exactly),
        cmocka_unit_test(test_2026_substitute_and_citizens_holiday),
        cmocka_unit_test(test_emperors_birthday_moves),
        cmocka_unit_test(test_rules_before_2007),
        cmocka_unit_test(test_olympic_moves_ignored),
        cmocka_unit_test(test_equinox_days),
        cmocka_unit_test(test_weekdays_match_c_library),
        cmocka_unit_test(test_dates_and_range_errors),
        cmocka_unit_test(test_year_end_closure),
        cmocka_unit_test(test_extra_closures),
        cmocka_unit_test(test_2025_duty_counts),
        cmocka_unit_test(test_2025_class_totals),
        cmocka_unit_test(test_every_minute_in_hours_or_one_period_2025),
        cmocka_unit_test(test_periods_consistent_every_year),
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_class_time_maps_uniformly),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
