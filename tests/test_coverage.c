/* Unit tests of the coverage engine (src/coverage/): analytic checks of the simulation,
 * common random numbers, a hand-written year of events with every metric counted by hand,
 * and determinism. Parameters are built by hand (no scenario files); the defaults follow
 * Kashiwa's (1 block of 3 in area, 2.4 scheduled visits and 0.8 urgent calls per
 * patient-month, 15 absence days a year, 2 h maximum wait, 25 km/h).
 *
 * Time: minutes since 08:30 on 1 January 2025; date index d (0 = 1 January) covers
 * [d * 1440, (d + 1) * 1440), so 03:00 on 4 May belongs to date 3 May (its night). */
#include "testutil.h"

#include <omp.h>

#include "carecast/calendar.h"
#include "carecast/coverage.h"
#include "carecast/rng.h"
#include "coverage/engine.h"
#include "coverage/events.h"
#include "coverage/scheme.h"

enum { DAY = CC_CALENDAR_DAY_MINUTES, MAX_CLINICS = 128 };

/* ---------------------------------------------------------------- helpers */

/* Kashiwa-like parameters without clinics (set p->clinics, p->nclinics, p->nblocks after). */
static void base_params(cc_coverage_params *p)
{
    memset(p, 0, sizeof *p);
    p->enabled = 1;
    p->nblocks = 1;
    p->block_share[0] = 1;
    p->area_km2 = 114.74 / 3;
    p->nyears = 1;
    p->target_year[0] = 2025;
    p->nschemes = CC_SCHEMES;
    for (int i = 0; i < CC_SCHEMES; i++)
        p->scheme[i] = (cc_scheme_id)i;
    p->max_primaries_per_backup = 5;
    p->scheduled_visits_per_patient_month = 2.4;
    p->scheduled_visit_minutes = 20;
    p->urgent_visit_share = 0.6;
    p->urgent_visit_minutes = 30;
    p->phone_minutes = 10;
    p->call_rate_shape = 1;
    p->in_hours_call_share = 0.65;
    p->night_share_of_ooh = 1.0 / 3;
    p->exit_short_share = 0.215;
    p->exit_short_mean_months = 2.8;
    p->exit_long_mean_months = 59;
    p->home_death_share = 0.5;
    p->death_visit_minutes = 45;
    p->absence_days = 15;
    p->absence_max_spell_days = 5;
    p->max_wait_minutes = 120;
    p->speed_kmh = 25;
    p->distance_factor = 0.52;
    p->max_duty_nights_per_month = 12;
    p->max_disturbed_nights_per_month = 4;
}

static cc_clinic clinic(int block, cc_clinic_type type, int doctors, double capacity, int participates, int backup)
{
    cc_clinic c;
    memset(&c, 0, sizeof c);
    snprintf(c.id, sizeof c.id, "%c", type == CC_CLINIC_BACKUP ? 'B' : 'P');
    c.block = block;
    c.type = type;
    c.doctors = doctors;
    c.panel_capacity = capacity;
    c.participates = participates;
    c.backup = backup;
    return c;
}

/* Kashiwa's default table: 3 blocks of equal population, 13/13/12 backups of 3 doctors
 * (panel 60) and 20 primaries of 1 doctor (panel 25) per block, paired by the engine. */
static void kashiwa_params(cc_coverage_params *p, cc_clinic *clinics)
{
    base_params(p);
    int k = 0, backups[3] = {13, 13, 12};
    for (int b = 0; b < 3; b++) {
        for (int i = 0; i < backups[b]; i++)
            clinics[k++] = clinic(b, CC_CLINIC_BACKUP, 3, 60, 1, -1);
        for (int i = 0; i < 20; i++)
            clinics[k++] = clinic(b, CC_CLINIC_PRIMARY, 1, 25, 1, -1);
    }
    p->nclinics = k;
    p->clinics = clinics;
    p->nblocks = 3;
    for (int b = 0; b < 3; b++)
        p->block_share[b] = 1.0 / 3;
    p->area_km2 = 114.74;
}

static void layout_build(const cc_coverage_params *p, cc_coverage_layout *l)
{
    cc_error err;
    assert_cc_ok(cc_coverage_layout_build(p, l, &err), &err);
}

static void calendar_2025(cc_calendar *cal)
{
    assert_int_equal(cc_calendar_init(cal, 2025, NULL, 0, NULL), 0);
}

/* Minutes since the year's start at hh:mm on a 2025 date (before 08:30: that date's clock,
 * i.e. the night that belongs to the previous date). */
static double at(const cc_calendar *cal, int month, int day, int hh, int mm)
{
    int d;
    assert_int_equal(cc_calendar_date_index(cal, month, day, &d), 0);
    return (double)d * DAY + (hh * 60 + mm) - (8 * 60 + 30);
}

/* Everything one replication's year needs for cc_coverage_simulate. */
typedef struct {
    cc_coverage_layout layout;
    cc_coverage_workspace *ws;
    cc_coverage_result r;
} sim;

static void sim_init(sim *s, const cc_coverage_params *p)
{
    layout_build(p, &s->layout);
    assert_int_equal(cc_coverage_workspace_alloc(&s->ws, p, &s->layout), 0);
    assert_int_equal(cc_coverage_result_init(&s->r, p, &s->layout), 0);
}

static void sim_free(sim *s)
{
    cc_coverage_result_free(&s->r);
    cc_coverage_workspace_free(s->ws);
    cc_coverage_layout_free(&s->layout);
}

static void sim_run(sim *s, const cc_coverage_params *p, uint64_t seed, uint32_t rep, double patients, double calls)
{
    cc_run_options run;
    memset(&run, 0, sizeof run);
    run.seed = seed;
    cc_coverage_input in = {patients, calls};
    assert_int_equal(cc_coverage_simulate(p, &s->layout, &run, rep, 0, &in, s->ws, &s->r), 0);
}

static const double *scheme_row(const sim *s, int i) { return s->r.scheme + (size_t)i * CC_SCH_METRICS; }

static const double *doctor_row(const sim *s, int i, int d)
{
    return s->r.doctor + ((size_t)i * s->r.ndoctors + (size_t)d) * CC_DOC_METRICS;
}

/* The scheme-independent events of a replication, drawn as cc_coverage_simulate draws them. */
typedef struct {
    cc_event_list list;
    unsigned char *absent;
    gsl_rng *rng;
} drawn;

static void draw_year(drawn *d, const cc_coverage_params *p, const cc_coverage_layout *l, const cc_calendar *cal,
                      uint64_t seed, uint32_t rep, double patients, double calls)
{
    if (!d->rng) {
        d->rng = cc_rng_alloc();
        d->absent = calloc((size_t)(l->ndoctors > 0 ? l->ndoctors : 1), CC_CALENDAR_MAX_DAYS);
        assert_non_null(d->rng);
        assert_non_null(d->absent);
    }
    double uncovered;
    cc_coverage_input in = {patients, calls};
    assert_int_equal(cc_events_place_patients(p, l, lround(patients), &d->list, &uncovered), 0);
    assert_int_equal(cc_events_draw(p, l, cal, &in, seed, rep, 0, d->rng, &d->list, d->absent), 0);
}

static void drawn_free(drawn *d)
{
    cc_event_list_free(&d->list);
    free(d->absent);
    if (d->rng)
        gsl_rng_free(d->rng);
    memset(d, 0, sizeof *d);
}

static int is_call(const cc_event *e) { return e->kind != CC_EVENT_SCHEDULED; }

static int away(const drawn *d, int doctor, double t)
{
    return d->absent[(size_t)doctor * CC_CALENDAR_MAX_DAYS + (int)(t / DAY)];
}

/* The index of a scheme in p->scheme. */
static int scheme_index(const cc_coverage_params *p, cc_scheme_id id)
{
    for (int i = 0; i < p->nschemes; i++)
        if (p->scheme[i] == id)
            return i;
    fail_msg("scheme %d not listed", (int)id);
    return -1;
}

/* ---------------------------------------------------------------- 1. analytic checks */

/* One doctor, no absences, no scheduled visits, no exits (stays of 1e12 months), Poisson
 * calls without heterogeneity (call_rate_shape 0: every patient's factor is 1), answered in
 * no time (no travel, 0-minute jobs) so that every call starts when it arrives. Then the
 * doctor's night visits (all calls are visits) count the calls of the night class, a Poisson
 * number with mean P * lambda * 12 * (1 - in_hours_share) * night_share_of_ooh a year, and
 * its disturbed nights (nights with one call or more) have mean 365 (1 - exp(-mu)), mu the
 * mean per night (every night is 480 minutes long). Tolerance: 4 standard errors of the mean
 * over the replications; the variance over replications must be the mean's (Poisson), within
 * 4 standard errors of a sample variance (sqrt(2 / (R - 1)) relative). With gamma shape k = 1
 * the count is overdispersed: variance = mean (1 + lambda_night / k), lambda_night the
 * per-patient mean. */
static void poisson_one_doctor(double shape, double expected_dispersion)
{
    cc_coverage_params p;
    base_params(&p);
    cc_clinic c[1] = {clinic(0, CC_CLINIC_PRIMARY, 1, 100, 1, -1)};
    p.clinics = c;
    p.nclinics = 1;
    p.nschemes = 1;
    p.scheme[0] = CC_SCHEME_SOLO;
    p.absence_days = 0;
    p.scheduled_visits_per_patient_month = 0;
    p.call_rate_shape = shape;
    p.exit_short_mean_months = p.exit_long_mean_months = 1e12;
    p.urgent_visit_share = 1;
    p.urgent_visit_minutes = p.phone_minutes = p.death_visit_minutes = 0;
    p.distance_factor = 0;
    p.max_wait_minutes = 1e9;
    sim s;
    sim_init(&s, &p);
    const int R = 400, P = 100;
    const double lambda = 0.8;
    const double per_patient_night = lambda * 12 * (1 - 0.65) / 3; /* 1.12 a year */
    const double mean_night = P * per_patient_night;                /* 112 */
    const double mu = mean_night / 365, mean_disturbed = 365 * (1 - exp(-mu));
    double sum = 0, sum2 = 0, sum_dist = 0, sum_calls = 0;
    for (int rep = 0; rep < R; rep++) {
        sim_run(&s, &p, 7, (uint32_t)rep, P, lambda);
        const double *d = doctor_row(&s, 0, 0);
        assert_double_equal(s.r.year[CC_COV_COVERED], P, 0);
        assert_double_equal(s.r.year[CC_COV_EXITS], 0, 0);
        assert_double_equal(s.r.year[CC_COV_SCHEDULED_VISITS], 0, 0);
        assert_double_equal(scheme_row(&s, 0)[CC_SCH_ESCALATIONS], 0, 0);
        /* every call answered by the one doctor, every visit answered on arrival */
        assert_double_equal(d[CC_DOC_URGENT_ANSWERED], s.r.year[CC_COV_URGENT_CALLS], 0);
        assert_double_equal(scheme_row(&s, 0)[CC_SCH_RESPONSE_P90], 0, 0);
        assert_double_equal(d[CC_DOC_DUTY_NIGHTS], 365, 0);
        assert_double_equal(d[CC_DOC_DUTY_DAYS], 73, 0);
        sum += d[CC_DOC_NIGHT_VISITS];
        sum2 += d[CC_DOC_NIGHT_VISITS] * d[CC_DOC_NIGHT_VISITS];
        sum_dist += d[CC_DOC_DISTURBED_NIGHTS];
        sum_calls += s.r.year[CC_COV_URGENT_CALLS];
    }
    double mean = sum / R, var = (sum2 - R * mean * mean) / (R - 1);
    double dispersion = var / mean, sd_var = expected_dispersion * sqrt(2.0 / (R - 1));
    double var_mean = mean_night * expected_dispersion;
    print_message("night calls per replication %.3f (expected %.3f), per night %.4f (expected %.4f), "
                  "variance/mean %.3f (expected %.3f)\n",
                  mean, mean_night, mean / 365, mu, dispersion, expected_dispersion);
    assert_double_equal(mean, mean_night, 4 * sqrt(var_mean / R));
    assert_double_equal(mean / 365, mu, 4 * sqrt(var_mean / R) / 365);
    assert_double_equal(dispersion, expected_dispersion, 4 * sd_var);
    /* all classes: P lambda 12 = 960 calls a year */
    assert_double_equal(sum_calls / R, P * lambda * 12, 4 * sqrt(P * lambda * 12 * expected_dispersion / R));
    if (shape == 0) { /* independent Poisson nights: Bernoulli(1 - e^-mu) each */
        double q = 1 - exp(-mu);
        assert_double_equal(sum_dist / R, mean_disturbed, 4 * sqrt(365 * q * (1 - q) / R));
    }
    sim_free(&s);
}

static void test_poisson_night_calls_one_doctor(void **state)
{
    (void)state;
    poisson_one_doctor(0, 1);
}

static void test_gamma_heterogeneity_overdispersion(void **state)
{
    (void)state;
    poisson_one_doctor(1, 1 + 0.8 * 12 * 0.35 / 3); /* 1 + 1.12 */
}

/* Rotation over N doctors of a block, no absences: the block's roster deals its 438 duty
 * periods of 2025 (365 nights, 73 duty days) in turn, so doctor i of the block (in table
 * order) holds exactly the periods k with k mod N = i: 438/N rounded down or up, i.e. each
 * holds N^-1 of the periods to within 1. Two blocks (N = 9 and N = 4) are independent
 * rosters. With absences every period still has exactly one holder, never one who is away. */
static void test_rotation_equal_shares(void **state)
{
    (void)state;
    cc_coverage_params p;
    base_params(&p);
    cc_clinic c[] = {clinic(0, CC_CLINIC_BACKUP, 3, 60, 1, -1), clinic(0, CC_CLINIC_BACKUP, 2, 60, 1, -1),
                     clinic(0, CC_CLINIC_PRIMARY, 1, 25, 1, -1), clinic(0, CC_CLINIC_PRIMARY, 1, 25, 1, -1),
                     clinic(0, CC_CLINIC_PRIMARY, 1, 25, 1, -1), clinic(0, CC_CLINIC_PRIMARY, 1, 25, 1, -1),
                     clinic(1, CC_CLINIC_BACKUP, 2, 60, 1, -1), clinic(1, CC_CLINIC_PRIMARY, 1, 25, 1, -1),
                     clinic(1, CC_CLINIC_PRIMARY, 1, 25, 1, -1)};
    p.clinics = c;
    p.nclinics = (int)(sizeof c / sizeof c[0]);
    p.nblocks = 2;
    p.block_share[0] = p.block_share[1] = 0.5;
    p.nschemes = 1;
    p.scheme[0] = CC_SCHEME_ROTATION;
    p.absence_days = 0;
    sim s;
    sim_init(&s, &p);
    assert_int_equal(s.layout.ndoctors, 13);
    cc_calendar cal;
    calendar_2025(&cal);
    assert_int_equal(cal.n_periods, 438);
    sim_run(&s, &p, 11, 0, 200, 0.8);
    const int first[2] = {0, 9}, n[2] = {9, 4};
    for (int b = 0; b < 2; b++) {
        double nights_total = 0, days_total = 0;
        for (int i = 0; i < n[b]; i++) {
            int nights = 0, days = 0;
            for (int k = i; k < cal.n_periods; k += n[b])
                *(cal.periods[k].kind == CC_CALENDAR_DUTY_NIGHT ? &nights : &days) += 1;
            const double *d = doctor_row(&s, 0, first[b] + i);
            assert_double_equal(d[CC_DOC_DUTY_NIGHTS], nights, 0);
            assert_double_equal(d[CC_DOC_DUTY_DAYS], days, 0);
            double held = d[CC_DOC_DUTY_NIGHTS] + d[CC_DOC_DUTY_DAYS];
            assert_true(held == floor(438.0 / n[b]) || held == ceil(438.0 / n[b]));
            /* N >= 2 and the roster in turn: never two duty nights in a row */
            assert_double_equal(d[CC_DOC_MAX_CONSECUTIVE_NIGHTS], 1, 0);
            nights_total += d[CC_DOC_DUTY_NIGHTS];
            days_total += d[CC_DOC_DUTY_DAYS];
        }
        assert_double_equal(nights_total, 365, 0);
        assert_double_equal(days_total, 73, 0);
    }
    sim_free(&s);

    /* with absences: one holder per period and group, present that day */
    p.absence_days = 15;
    cc_coverage_layout l;
    layout_build(&p, &l);
    drawn dr = {0};
    draw_year(&dr, &p, &l, &cal, 11, 3, 200, 0.8);
    cc_scheme_groups g;
    assert_int_equal(cc_scheme_groups_build(CC_SCHEME_ROTATION, &p, &l, &g), 0);
    assert_int_equal(g.ngroups, 2);
    cc_engine_scratch scratch;
    assert_int_equal(cc_engine_scratch_init(&scratch, l.ndoctors, g.ngroups), 0);
    double scheme[CC_SCH_METRICS], doctor[13 * CC_DOC_METRICS];
    assert_int_equal(cc_engine_answer(&p, &l, &cal, &g, &dr.list, dr.absent, 12.0 * dr.list.nslots, &scratch,
                                      scheme, doctor),
                     0);
    double nights = 0, days = 0;
    for (int grp = 0; grp < 2; grp++)
        for (int k = 0; k < cal.n_periods; k++) {
            int h = scratch.holder[(size_t)grp * CC_CALENDAR_MAX_PERIODS + k];
            assert_true(h >= first[grp] && h < first[grp] + n[grp]);
            assert_int_equal(dr.absent[(size_t)h * CC_CALENDAR_MAX_DAYS + cal.periods[k].day], 0);
        }
    for (int d = 0; d < 13; d++) {
        nights += doctor[d * CC_DOC_METRICS + CC_DOC_DUTY_NIGHTS];
        days += doctor[d * CC_DOC_METRICS + CC_DOC_DUTY_DAYS];
        int absent_days = 0;
        for (int day = 0; day < cal.n_days; day++)
            absent_days += dr.absent[(size_t)d * CC_CALENDAR_MAX_DAYS + day];
        assert_int_equal(absent_days, 15); /* exactly absence_days days a year */
    }
    assert_double_equal(nights, 2 * 365, 0);
    assert_double_equal(days, 2 * 73, 0);
    cc_engine_scratch_free(&scratch);
    cc_scheme_groups_free(&g);
    drawn_free(&dr);
    cc_coverage_layout_free(&l);
}

/* Pairing with a backup clinic whose two doctors have no patients (panel 0) and four
 * primaries paired with it: a call (urgent or death) is answered by the patient's own doctor
 * exactly when it arrives in hours and that doctor is not away that day (out of hours, and in
 * hours when away, the backup's rostered doctor answers; with an unlimited wait nothing
 * escalates in hours). So pairing's continuity equals that share, counted here from the
 * event list, the absences and the calendar. */
static void test_pairing_continuity_backup_without_patients(void **state)
{
    (void)state;
    cc_coverage_params p;
    base_params(&p);
    cc_clinic c[] = {clinic(0, CC_CLINIC_BACKUP, 2, 0, 1, -1), clinic(0, CC_CLINIC_PRIMARY, 1, 30, 1, 0),
                     clinic(0, CC_CLINIC_PRIMARY, 1, 30, 1, 0), clinic(0, CC_CLINIC_PRIMARY, 1, 30, 1, 0),
                     clinic(0, CC_CLINIC_PRIMARY, 1, 30, 1, 0)};
    p.clinics = c;
    p.nclinics = 5;
    p.nschemes = 1;
    p.scheme[0] = CC_SCHEME_PAIRING;
    p.max_wait_minutes = 1e9;
    sim s;
    sim_init(&s, &p);
    cc_calendar cal;
    calendar_2025(&cal);
    drawn dr = {0};
    for (uint32_t rep = 0; rep < 5; rep++) {
        sim_run(&s, &p, 2025, rep, 120, 0.8);
        draw_year(&dr, &p, &s.layout, &cal, 2025, rep, 120, 0.8);
        long calls = 0, own = 0;
        for (size_t i = 0; i < dr.list.n; i++) {
            const cc_event *e = &dr.list.events[i];
            if (!is_call(e))
                continue;
            int doctor = dr.list.slot_doctor[e->slot];
            assert_true(doctor >= 2); /* the backup's doctors 0 and 1 have no patients */
            cc_calendar_class cls;
            assert_int_equal(cc_calendar_time_classify(&cal, e->time, &cls), 0);
            calls++;
            own += cls == CC_CALENDAR_IN_HOURS && !away(&dr, doctor, e->time);
        }
        const double *row = scheme_row(&s, 0);
        print_message("rep %u: %ld calls, %ld in hours with the own doctor present: %.4f, continuity %.4f\n", rep,
                      calls, own, (double)own / calls, row[CC_SCH_CONTINUITY]);
        assert_true(calls > 500);
        assert_double_equal(row[CC_SCH_CALLS], calls, 0);
        assert_double_equal(row[CC_SCH_CONTINUITY], (double)own / calls, 1e-12);
        assert_double_equal(doctor_row(&s, 0, 0)[CC_DOC_PATIENTS], 0, 0);
        assert_double_equal(doctor_row(&s, 0, 1)[CC_DOC_PATIENTS], 0, 0);
        assert_double_equal(s.r.year[CC_COV_COVERED], 120, 0);
        assert_double_equal(row[CC_SCH_DUTY_HOLDERS], 2, 0);
    }
    drawn_free(&dr);
    sim_free(&s);
}

/* Solo with an unlimited wait: a call escalates exactly when it falls on a day the patient's
 * own doctor is away (08:30-08:30 days), whatever the hour; every other call is answered by
 * the own doctor (so continuity = 1 - escalations / calls, and each doctor answers the calls
 * of their own patients on the days they are present). */
static void test_solo_escalates_exactly_absences(void **state)
{
    (void)state;
    cc_coverage_params p;
    base_params(&p);
    cc_clinic c[] = {clinic(0, CC_CLINIC_BACKUP, 3, 60, 1, -1), clinic(0, CC_CLINIC_PRIMARY, 1, 25, 1, -1),
                     clinic(0, CC_CLINIC_PRIMARY, 1, 25, 1, -1), clinic(0, CC_CLINIC_PRIMARY, 1, 25, 1, -1),
                     clinic(0, CC_CLINIC_PRIMARY, 1, 25, 1, -1), clinic(0, CC_CLINIC_PRIMARY, 1, 25, 1, -1)};
    p.clinics = c;
    p.nclinics = 6;
    p.nschemes = 1;
    p.scheme[0] = CC_SCHEME_SOLO;
    p.max_wait_minutes = 1e9;
    sim s;
    sim_init(&s, &p);
    assert_int_equal(s.layout.ndoctors, 8);
    cc_calendar cal;
    calendar_2025(&cal);
    drawn dr = {0};
    for (uint32_t rep = 0; rep < 5; rep++) {
        sim_run(&s, &p, 99, rep, 185, 0.8);
        draw_year(&dr, &p, &s.layout, &cal, 99, rep, 185, 0.8);
        long calls = 0, escalations = 0, answered[8] = {0};
        for (size_t i = 0; i < dr.list.n; i++) {
            const cc_event *e = &dr.list.events[i];
            if (!is_call(e))
                continue;
            int doctor = dr.list.slot_doctor[e->slot];
            calls++;
            if (away(&dr, doctor, e->time))
                escalations++;
            else
                answered[doctor]++;
        }
        const double *row = scheme_row(&s, 0);
        print_message("rep %u: %ld calls, %ld on an absence day, escalations %.0f\n", rep, calls, escalations,
                      row[CC_SCH_ESCALATIONS]);
        assert_true(escalations > 0);
        assert_double_equal(row[CC_SCH_CALLS], calls, 0);
        assert_double_equal(row[CC_SCH_ESCALATIONS], escalations, 0);
        assert_double_equal(row[CC_SCH_ESCALATIONS_PER_1000], 1000.0 * escalations / (12.0 * 185), 1e-9);
        assert_double_equal(row[CC_SCH_CONTINUITY], 1 - (double)escalations / calls, 1e-12);
        for (int d = 0; d < 8; d++)
            assert_double_equal(doctor_row(&s, 0, d)[CC_DOC_URGENT_ANSWERED], answered[d], 0);
    }
    drawn_free(&dr);
    sim_free(&s);
}

/* Cooperative with one backup doctor per block. Its cover group per block is that doctor
 * alone, covering all the block's participating doctors' patients. The equivalence tested:
 *  (a) on a layout where each block's only participating clinic is that backup (the
 *      primaries do not take part), cooperative and rotation are the same scheme (a roster of
 *      one doctor covering the block's patients), so every per-doctor and per-scheme figure
 *      is identical, bit for bit, on the same events;
 *  (b) with the primaries taking part as well, cooperative's backup doctors hold exactly the
 *      duty periods that rotation over that doctor alone (layout (a)) gives them: every duty
 *      night and day of the year except those on their absence days (absences are keyed by
 *      doctor index, and the backups come first in the table, so both layouts share them). */
static void test_cooperative_one_backup_equals_rotation(void **state)
{
    (void)state;
    cc_coverage_params p;
    base_params(&p);
    cc_clinic c[3 + 3 * 4];
    for (int b = 0; b < 3; b++)
        c[b] = clinic(b, CC_CLINIC_BACKUP, 1, 60, 1, -1);
    for (int b = 0; b < 3; b++)
        for (int i = 0; i < 4; i++)
            c[3 + 4 * b + i] = clinic(b, CC_CLINIC_PRIMARY, 1, 25, 0, -1);
    p.clinics = c;
    p.nclinics = 15;
    p.nblocks = 3;
    for (int b = 0; b < 3; b++)
        p.block_share[b] = 1.0 / 3;
    p.area_km2 = 114.74;
    p.nschemes = 2;
    p.scheme[0] = CC_SCHEME_ROTATION;
    p.scheme[1] = CC_SCHEME_COOPERATIVE;
    cc_calendar cal;
    calendar_2025(&cal);

    /* (a) backups alone */
    sim a;
    sim_init(&a, &p);
    assert_int_equal(a.layout.ndoctors, 3);
    double held_a[3][4];
    for (uint32_t rep = 0; rep < 3; rep++) {
        sim_run(&a, &p, 5, rep, 150, 0.8);
        assert_double_equal(a.r.year[CC_COV_COVERED], 150, 0);
        assert_memory_equal(scheme_row(&a, 0), scheme_row(&a, 1), CC_SCH_METRICS * sizeof(double));
        assert_memory_equal(doctor_row(&a, 0, 0), doctor_row(&a, 1, 0), 3 * CC_DOC_METRICS * sizeof(double));
        assert_true(scheme_row(&a, 0)[CC_SCH_CALLS] > 0);
        assert_true(scheme_row(&a, 0)[CC_SCH_ESCALATIONS] > 0); /* the lone doctor's absences */
    }
    for (int d = 0; d < 3; d++) {
        const double *row = doctor_row(&a, 0, d);
        held_a[d][0] = row[CC_DOC_DUTY_NIGHTS];
        held_a[d][1] = row[CC_DOC_DUTY_DAYS];
        held_a[d][2] = row[CC_DOC_MAX_CONSECUTIVE_NIGHTS];
        held_a[d][3] = row[CC_DOC_BUSIEST_MONTH_NIGHTS];
    }

    /* (b) with the primaries taking part; the same replication (2) as a's last */
    for (int i = 3; i < 15; i++)
        c[i].participates = 1;
    p.nschemes = 1;
    p.scheme[0] = CC_SCHEME_COOPERATIVE;
    sim b;
    sim_init(&b, &p);
    assert_int_equal(b.layout.ndoctors, 15);
    sim_run(&b, &p, 5, 2, 450, 0.8);
    drawn dr = {0};
    draw_year(&dr, &p, &b.layout, &cal, 5, 2, 450, 0.8);
    for (int d = 0; d < 3; d++) {
        const double *row = doctor_row(&b, 0, d);
        int nights = 0, days = 0;
        for (int day = 0; day < cal.n_days; day++) {
            if (dr.absent[(size_t)d * CC_CALENDAR_MAX_DAYS + day])
                continue;
            nights++;
            days += (cal.day_flags[day] & CC_CALENDAR_DAY_OFF) != 0;
        }
        assert_double_equal(row[CC_DOC_DUTY_NIGHTS], nights, 0);
        assert_double_equal(row[CC_DOC_DUTY_DAYS], days, 0);
        assert_double_equal(row[CC_DOC_DUTY_NIGHTS], held_a[d][0], 0);
        assert_double_equal(row[CC_DOC_DUTY_DAYS], held_a[d][1], 0);
        assert_double_equal(row[CC_DOC_MAX_CONSECUTIVE_NIGHTS], held_a[d][2], 0);
        assert_double_equal(row[CC_DOC_BUSIEST_MONTH_NIGHTS], held_a[d][3], 0);
    }
    for (int d = 3; d < 15; d++) { /* the primaries hold nothing */
        assert_double_equal(doctor_row(&b, 0, d)[CC_DOC_DUTY_NIGHTS], 0, 0);
        assert_double_equal(doctor_row(&b, 0, d)[CC_DOC_DUTY_DAYS], 0, 0);
    }
    assert_double_equal(scheme_row(&b, 0)[CC_SCH_DUTY_HOLDERS], 3, 0);
    drawn_free(&dr);
    sim_free(&b);
    sim_free(&a);
}

/* Run cc_engine_answer for scheme id on hand-made events. */
static void answer(const cc_coverage_params *p, const cc_coverage_layout *l, const cc_calendar *cal,
                   cc_scheme_id id, const cc_event_list *list, const unsigned char *absent, double covered_months,
                   double *scheme, double *doctor)
{
    cc_scheme_groups g;
    assert_int_equal(cc_scheme_groups_build(id, p, l, &g), 0);
    cc_engine_scratch s;
    assert_int_equal(cc_engine_scratch_init(&s, l->ndoctors, g.ngroups), 0);
    assert_int_equal(cc_engine_answer(p, l, cal, &g, list, absent, covered_months, &s, scheme, doctor), 0);
    cc_engine_scratch_free(&s);
    cc_scheme_groups_free(&g);
}

static void list_add(cc_event_list *list, double time, int slot, cc_event_kind kind)
{
    assert_true(list->n < list->cap);
    list->events[list->n] = (cc_event){time, slot, (int)kind, (int)list->n};
    list->n++;
}

/* A single call at a known time and distance. Kashiwa: block area 114.74 / 3 km2, one-way
 * distance 0.52 sqrt(area) = 3.21588 km, at 25 km/h: 0.52 * sqrt(38.24667) / 25 * 60
 * = 7.718117 minutes one way. A visit at 23:00 on Wednesday 15 January 2025 to a free doctor
 * (solo) arrives after the travel: response 7.718117. A second visit 5 minutes later waits
 * for the first job (round trip 2T plus 30 minutes on site): it starts at 23:00 + 2T + 30,
 * arrives T later, response 3T + 25 = 48.154352. Phone advice in between is not a visit (no
 * response time) but waits too and delays the second visit by its 10 minutes. */
static void test_single_call_response_time(void **state)
{
    (void)state;
    cc_coverage_params p;
    base_params(&p);
    cc_clinic c[1] = {clinic(0, CC_CLINIC_PRIMARY, 1, 25, 1, -1)};
    p.clinics = c;
    p.nclinics = 1;
    p.nblocks = 3; /* blocks 1 and 2 without clinics: only the block area matters */
    p.area_km2 = 114.74;
    p.absence_days = 0;
    const double T = 7.718117407762077;
    assert_double_equal(cc_engine_travel_minutes(&p), T, 1e-9);
    cc_coverage_layout l;
    layout_build(&p, &l);
    cc_calendar cal;
    calendar_2025(&cal);
    cc_event events[4];
    int slot_doctor[1] = {0};
    cc_event_list list = {events, 0, 4, slot_doctor, 1, 1, 0, 0, 0, 0, NULL, NULL, 0};
    unsigned char absent[CC_CALENDAR_MAX_DAYS] = {0};
    double scheme[CC_SCH_METRICS], doctor[CC_DOC_METRICS];
    double t0 = at(&cal, 1, 15, 23, 0);

    list_add(&list, t0, 0, CC_EVENT_URGENT_VISIT);
    answer(&p, &l, &cal, CC_SCHEME_SOLO, &list, absent, 12, scheme, doctor);
    assert_double_equal(scheme[CC_SCH_RESPONSE_MEAN], T, 1e-9);
    assert_double_equal(scheme[CC_SCH_RESPONSE_P90], T, 1e-9);
    assert_double_equal(doctor[CC_DOC_OOH_HOURS], (2 * T + 30) / 60, 1e-12);

    /* a second visit 5 minutes later waits for the first: 3T + 25 */
    list_add(&list, t0 + 5, 0, CC_EVENT_URGENT_VISIT);
    answer(&p, &l, &cal, CC_SCHEME_SOLO, &list, absent, 12, scheme, doctor);
    double second = 3 * T + 25;
    assert_double_equal(second, 48.154352223286231, 1e-9);
    assert_double_equal(scheme[CC_SCH_RESPONSE_MEAN], (T + second) / 2, 1e-9);
    /* p90 of two values (GSL's interpolation): T + 0.9 (second - T) */
    assert_double_equal(scheme[CC_SCH_RESPONSE_P90], T + 0.9 * (second - T), 1e-9);
    assert_double_equal(scheme[CC_SCH_ESCALATIONS], 0, 0);

    /* phone advice at 23:02 takes 10 minutes first (jobs in order of arrival): the second
     * visit now starts at 23:00 + 2T + 40 and its response is 3T + 35; the phone call
     * itself waits 2T + 28 to start, within the 2 h */
    list.n = 0;
    list_add(&list, t0, 0, CC_EVENT_URGENT_VISIT);
    list_add(&list, t0 + 2, 0, CC_EVENT_PHONE);
    list_add(&list, t0 + 5, 0, CC_EVENT_URGENT_VISIT);
    answer(&p, &l, &cal, CC_SCHEME_SOLO, &list, absent, 12, scheme, doctor);
    assert_double_equal(scheme[CC_SCH_RESPONSE_MEAN], (T + 3 * T + 35) / 2, 1e-9);
    assert_double_equal(doctor[CC_DOC_URGENT_ANSWERED], 3, 0);
    assert_double_equal(doctor[CC_DOC_NIGHT_VISITS], 2, 0);
    assert_double_equal(doctor[CC_DOC_OOH_HOURS], (2 * (2 * T + 30) + 10) / 60, 1e-12);

    /* a maximum wait equal to the phone call's wait: "within the maximum wait", so answered */
    double travel = cc_engine_travel_minutes(&p), phone_wait = (t0 + (30 + 2 * travel)) - (t0 + 2);
    p.max_wait_minutes = phone_wait;
    answer(&p, &l, &cal, CC_SCHEME_SOLO, &list, absent, 12, scheme, doctor);
    assert_double_equal(doctor[CC_DOC_URGENT_ANSWERED], 2, 0); /* the first visit and the phone call */
    assert_double_equal(scheme[CC_SCH_ESCALATIONS], 1, 0);

    /* a maximum wait of 45 minutes: the phone advice starts after 2T + 28 = 43.4 minutes,
     * within it; the second visit would arrive after 3T + 35 = 58.2 > 45: it escalates
     * (and costs the doctor nothing) */
    p.max_wait_minutes = 45;
    answer(&p, &l, &cal, CC_SCHEME_SOLO, &list, absent, 12, scheme, doctor);
    assert_double_equal(scheme[CC_SCH_ESCALATIONS], 1, 0);
    assert_double_equal(scheme[CC_SCH_RESPONSE_MEAN], T, 1e-9);
    assert_double_equal(doctor[CC_DOC_URGENT_ANSWERED], 2, 0);

    /* a night belongs to the date it starts on: calls at 23:00 on 15 Jan and 05:00 on 16 Jan
     * disturb one night (15 Jan); 03:00 on 1 Feb is the night of 31 Jan: January has two
     * disturbed nights, February none */
    p.max_wait_minutes = 120;
    list.n = 0;
    list_add(&list, t0, 0, CC_EVENT_PHONE);
    list_add(&list, at(&cal, 1, 16, 5, 0), 0, CC_EVENT_URGENT_VISIT);
    list_add(&list, at(&cal, 2, 1, 3, 0), 0, CC_EVENT_DEATH);
    answer(&p, &l, &cal, CC_SCHEME_SOLO, &list, absent, 12, scheme, doctor);
    assert_double_equal(doctor[CC_DOC_DISTURBED_NIGHTS], 2, 0);
    assert_double_equal(doctor[CC_DOC_BUSIEST_MONTH_DISTURBED], 2, 0);
    assert_double_equal(doctor[CC_DOC_NIGHT_VISITS], 2, 0);
    assert_double_equal(doctor[CC_DOC_OOH_HOURS], (10 + 2 * T + 30 + 2 * T + 45) / 60, 1e-12);
    cc_coverage_layout_free(&l);
}

/* ---------------------------------------------------------------- 2. common random numbers */

/* The two lists hold the same events, field by field (times bit for bit; cc_event has
 * padding, whose bytes are not part of the value). */
static int same_events(const cc_event_list *a, const cc_event_list *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const cc_event *x = &a->events[i], *y = &b->events[i];
        if (memcmp(&x->time, &y->time, sizeof x->time) != 0 || x->slot != y->slot || x->kind != y->kind ||
            x->seq != y->seq)
            return 0;
    }
    return 1;
}

/* The scheme-independent events of a replication (patients, events, absences) do not
 * depend on the schemes listed, their order, or the thread that draws them; and the year's
 * figures (r.year) and each scheme's figures do not depend on the other schemes listed. */
static void test_event_stream_independent_of_schemes(void **state)
{
    (void)state;
    static cc_clinic clinics[MAX_CLINICS];
    cc_coverage_params all, solo_only, reversed;
    kashiwa_params(&all, clinics);
    solo_only = reversed = all;
    solo_only.nschemes = 1;
    solo_only.scheme[0] = CC_SCHEME_SOLO;
    for (int i = 0; i < CC_SCHEMES; i++)
        reversed.scheme[i] = (cc_scheme_id)(CC_SCHEMES - 1 - i);
    cc_coverage_layout l;
    layout_build(&all, &l);
    cc_calendar cal;
    calendar_2025(&cal);
    const double patients = 2755, calls = 0.8;
    const uint32_t rep = 17;
    drawn ref = {0};
    draw_year(&ref, &all, &l, &cal, 42, rep, patients, calls);
    assert_true(ref.list.n > 50000);
    const cc_coverage_params *variants[2] = {&solo_only, &reversed};
    int mismatches = 0;
#pragma omp parallel for num_threads(2) schedule(static, 1) reduction(+ : mismatches)
    for (int v = 0; v < 4; v++) {
        /* v = 0, 1 on one thread, 2, 3 on the other (when two threads run) */
        drawn other = {0};
        draw_year(&other, variants[v % 2], &l, &cal, 42, rep, patients, calls);
        int bad = (other.list.n != ref.list.n) | (other.list.nslots != ref.list.nslots) << 1 |
                  !same_events(&other.list, &ref.list) << 2 |
                  (memcmp(other.list.slot_doctor, ref.list.slot_doctor, ref.list.nslots * sizeof(int)) != 0) << 3 |
                  (memcmp(other.absent, ref.absent, (size_t)l.ndoctors * CC_CALENDAR_MAX_DAYS) != 0) << 4 |
                  (other.list.exits != ref.list.exits) << 5;
        if (bad)
            fprintf(stderr, "variant %d on thread %d differs: %#x\n", v, omp_get_thread_num(), bad);
        mismatches += bad != 0;
        drawn_free(&other);
    }
    assert_int_equal(mismatches, 0);
    /* another replication draws other events */
    drawn other = {0};
    draw_year(&other, &all, &l, &cal, 42, rep + 1, patients, calls);
    assert_false(same_events(&other.list, &ref.list));
    drawn_free(&other);
    drawn_free(&ref);
    cc_coverage_layout_free(&l);

    /* the simulation: r.year the same whatever the schemes; each scheme's rows the same
     * whatever else is listed, wherever it stands */
    sim s_all, s_solo, s_rev;
    sim_init(&s_all, &all);
    sim_init(&s_solo, &solo_only);
    sim_init(&s_rev, &reversed);
    sim_run(&s_all, &all, 42, rep, patients, calls);
    sim_run(&s_solo, &solo_only, 42, rep, patients, calls);
    sim_run(&s_rev, &reversed, 42, rep, patients, calls);
    assert_memory_equal(s_all.r.year, s_solo.r.year, sizeof s_all.r.year);
    assert_memory_equal(s_all.r.year, s_rev.r.year, sizeof s_all.r.year);
    int nd = s_all.r.ndoctors;
    for (int i = 0; i < CC_SCHEMES; i++) {
        int j = scheme_index(&reversed, all.scheme[i]);
        assert_memory_equal(scheme_row(&s_all, i), scheme_row(&s_rev, j), CC_SCH_METRICS * sizeof(double));
        assert_memory_equal(doctor_row(&s_all, i, 0), doctor_row(&s_rev, j, 0),
                            (size_t)nd * CC_DOC_METRICS * sizeof(double));
    }
    int k = scheme_index(&all, CC_SCHEME_SOLO);
    assert_memory_equal(scheme_row(&s_all, k), scheme_row(&s_solo, 0), CC_SCH_METRICS * sizeof(double));
    assert_memory_equal(doctor_row(&s_all, k, 0), doctor_row(&s_solo, 0, 0),
                        (size_t)nd * CC_DOC_METRICS * sizeof(double));
    /* every scheme saw the same calls */
    for (int i = 0; i < CC_SCHEMES; i++)
        assert_double_equal(scheme_row(&s_all, i)[CC_SCH_CALLS],
                            s_all.r.year[CC_COV_URGENT_CALLS] + s_all.r.year[CC_COV_HOME_DEATHS], 0);
    sim_free(&s_rev);
    sim_free(&s_solo);
    sim_free(&s_all);
}

/* ---------------------------------------------------------------- 3. a hand-written year */

/* Layout (1 block): clinic 0 backup "B" with doctors 0 and 1 (panel 2); clinic 1 primary
 * "P1", doctor 2, paired with B in the table; clinic 2 primary "P2", doctor 3, left unpaired
 * (at most 1 primary per backup, and B has P1): under pairing nobody covers P2's patients out
 * of hours. One patient per doctor: slot s belongs to doctor s. Travel 10 minutes one way
 * (area 100 km2, 1 block, distance 0.5 x 10 km, 30 km/h), so a visit is a 50-minute job
 * (2 x 10 + 30), a death 65 (2 x 10 + 45), phone advice 10, a scheduled visit 40 (2 x 10
 * + 20). Maximum wait 45 minutes. Doctor 2 (P1) is away on Thursday 1 and Friday 2 May.
 *
 * Events (2025):
 *  E1 Wed 15 Jan 23:00  urgent visit, slot 2 (doctor 2)           night
 *  E2 Wed 15 Jan 23:10  phone advice, slot 3 (doctor 3)           night
 *  E3 Wed 15 Jan 23:20  urgent visit, slot 0 (doctor 0)           night
 *  E4 Thu  1 May 10:00  urgent visit, slot 2 (doctor 2, away)     in hours
 *  E5 Thu  1 May 17:00 and 17:20  scheduled visits, slot 2 (doctor 2, away): both skipped
 *                       (were they made, the second would wait for the first till 17:40,
 *                       past closing, and count 40/60 queued hours)
 *  E6 Sat  3 May 10:00  urgent visit, slot 1 (doctor 1)           holiday Saturday: a duty day
 *  E7 Sun  4 May 03:00  death at home, slot 3 (doctor 3)          night of date 3 May
 *  E8 Tue 13 May 17:00  urgent visit, slot 3 (doctor 3, present)  in hours: own doctor
 *  E9 Tue 13 May 17:05  scheduled visit, slot 3: waits for E8's job (till 17:50), so it runs
 *                       17:50-18:30, past closing: 40/60 queued hours for doctor 3
 *  E10 Wed 14 May 17:20 scheduled visit, slot 2 (doctor 2, present and free): it starts in
 *                       hours and runs over closing (17:20-18:00), but it was not queued past
 *                       closing: in-hours work, neither queued nor OOH hours
 * Calls (urgent and deaths): E1 E2 E3 E4 E6 E7 E8 = 7 in every scheme.
 *
 * Rosters of 2025 (438 periods: 365 nights, 73 duty days, in time order). Duty days before
 * 15 Jan: 1, 2, 3 Jan (closure), 5 Jan (Sun), 12 Jan (Sun), 13 Jan (Coming-of-Age Day): so
 * the night of 15 Jan is period 14 + 6 = 20; the night of 1 May is period 145, the duty day
 * of 3 May period 147 and its night 148: 120 nights and 25 duty days come before May (the
 * closure 1-3 Jan; 17 Sundays: 5, 12, 19, 26 Jan, 2, 9, 16, 23 Feb, 2, 9, 16, 23, 30 Mar,
 * 6, 13, 20, 27 Apr; 5 weekday holidays: 13 Jan, 11 Feb, 24 Feb, 20 Mar, 29 Apr).
 *  - Two doctors {0, 1} in turn (pairing's group B; cooperative's block team): doctor 0
 *    holds the even periods, 1 the odd: night 15 Jan (20) -> 0, night 1 May (145) -> 1,
 *    duty day 3 May (147) -> 1, night 3 May (148) -> 0. Over the year doctor 0 holds 191
 *    nights and 28 days, doctor 1 174 nights and 45 days (a duty day shifts the parity, so
 *    the nights are uneven: a run of duty days gives one doctor every day and the other
 *    every night); longest run of nights 5 each (doctor 0 the nights of 2-6 May, Golden
 *    Week's duty days 3-6 May; doctor 1 27-31 Dec, the Sunday and closure days 28-31 Dec);
 *    busiest month 19 nights each (doctor 0 in May, doctor 1 in December).
 *  - Rotation over {0, 1, 2, 3}: period k -> k mod 4 until doctor 2's absence: night 15 Jan
 *    (20) -> 0; night 1 May (145, 145 mod 4 = 1) -> 1; night 2 May (146) would be doctor
 *    2's, who is away: doctor 3 takes it and the roster goes on from 0: duty day 3 May (147)
 *    -> 0, night 3 May (148) -> 1. Year: doctors 0, 1, 2, 3 hold 86+24, 99+11, 91+18, 89+20
 *    nights+days (110, 110, 109, 109 periods: doctor 2 lost one turn); never two nights in a
 *    row; busiest months 9, 10, 10, 10 nights.
 *  - Solo: each doctor holds every period of the year except on their absence days: 365
 *    nights and 73 days; doctor 2 363 nights (1-2 May are working days), longest run 243
 *    (3 May to 31 Dec); busiest month 31 nights (January).
 * These roster totals were counted from the 2025 calendar of DOMAIN's definitions (the 19
 * holidays of the calendar test, 29 Dec - 3 Jan closed), independently of the engine. */
typedef struct {
    double v[4][CC_DOC_METRICS];
} doctors_expected;

static void check_doctors(const char *scheme, const double *doctor, const doctors_expected *x)
{
    static const char *names[CC_DOC_METRICS] = {"duty nights",      "duty days",     "disturbed nights",
                                                "night visits",     "OOH hours",     "queued hours",
                                                "max consecutive",  "busiest nights", "busiest disturbed",
                                                "urgent answered", "patients"};
    for (int d = 0; d < 4; d++)
        for (int m = 0; m < CC_DOC_METRICS; m++) {
            double got = doctor[d * CC_DOC_METRICS + m], want = x->v[d][m];
            if (fabs(got - want) > 1e-9) {
                print_error("%s: doctor %d %s = %.17g, counted by hand %.17g\n", scheme, d, names[m], got, want);
                fail();
            }
        }
}

static void check_scheme(const char *scheme, const double *got, const double *want)
{
    for (int m = 0; m < CC_SCH_METRICS; m++)
        if (!(fabs(got[m] - want[m]) <= 1e-9)) {
            print_error("%s: scheme metric %d = %.17g, counted by hand %.17g\n", scheme, m, got[m], want[m]);
            fail();
        }
}

/* Every per-doctor and per-scheme figure of the four schemes on the year above. The Gini
 * coefficients below are counted as the sum of |xi - xj| over ordered pairs / (2 n^2 mean);
 * p95 and p90 interpolate between order statistics (position q (n - 1)). */
static void test_hand_events_all_metrics(void **state)
{
    (void)state;
    cc_coverage_params p;
    base_params(&p);
    cc_clinic c[] = {clinic(0, CC_CLINIC_BACKUP, 2, 2, 1, -1), clinic(0, CC_CLINIC_PRIMARY, 1, 1, 1, 0),
                     clinic(0, CC_CLINIC_PRIMARY, 1, 1, 1, -1)};
    p.clinics = c;
    p.nclinics = 3;
    p.max_primaries_per_backup = 1;
    p.area_km2 = 100;
    p.distance_factor = 0.5;
    p.speed_kmh = 30;
    p.max_wait_minutes = 45;
    cc_coverage_layout l;
    layout_build(&p, &l);
    assert_int_equal(l.ndoctors, 4);
    assert_int_equal(l.pair[1], 0);
    assert_int_equal(l.pair[2], -1);
    assert_int_equal(l.unpaired_primaries, 1);
    assert_double_equal(cc_engine_travel_minutes(&p), 10, 1e-12);
    cc_calendar cal;
    calendar_2025(&cal);
    assert_int_equal(cal.periods[20].day, 14);
    assert_int_equal(cal.periods[145].day, 120);
    assert_int_equal(cal.periods[147].day, 122);
    assert_int_equal(cal.periods[147].kind, CC_CALENDAR_DUTY_DAY);

    cc_event events[16];
    int slot_doctor[4] = {0, 1, 2, 3};
    cc_event_list list = {events, 0, 16, slot_doctor, 4, 4, 0, 0, 0, 0, NULL, NULL, 0};
    list_add(&list, at(&cal, 1, 15, 23, 0), 2, CC_EVENT_URGENT_VISIT); /* E1 */
    list_add(&list, at(&cal, 1, 15, 23, 10), 3, CC_EVENT_PHONE);       /* E2 */
    list_add(&list, at(&cal, 1, 15, 23, 20), 0, CC_EVENT_URGENT_VISIT); /* E3 */
    list_add(&list, at(&cal, 5, 1, 10, 0), 2, CC_EVENT_URGENT_VISIT);   /* E4 */
    list_add(&list, at(&cal, 5, 1, 17, 0), 2, CC_EVENT_SCHEDULED);      /* E5 */
    list_add(&list, at(&cal, 5, 1, 17, 20), 2, CC_EVENT_SCHEDULED);     /* E5' */
    list_add(&list, at(&cal, 5, 3, 10, 0), 1, CC_EVENT_URGENT_VISIT);   /* E6 */
    list_add(&list, at(&cal, 5, 4, 3, 0), 3, CC_EVENT_DEATH);           /* E7 (night of 3 May) */
    list_add(&list, at(&cal, 5, 13, 17, 0), 3, CC_EVENT_URGENT_VISIT);  /* E8 */
    list_add(&list, at(&cal, 5, 13, 17, 5), 3, CC_EVENT_SCHEDULED);     /* E9 */
    list_add(&list, at(&cal, 5, 14, 17, 20), 2, CC_EVENT_SCHEDULED);    /* E10 */
    assert_double_equal(events[7].time, 122 * DAY + 1110, 0); /* E7 */
    static unsigned char absent[4 * CC_CALENDAR_MAX_DAYS];
    memset(absent, 0, sizeof absent);
    absent[2 * CC_CALENDAR_MAX_DAYS + 120] = absent[2 * CC_CALENDAR_MAX_DAYS + 121] = 1;
    const double months = 48; /* 4 patients x 12 */
    double scheme[CC_SCH_METRICS], doctor[4 * CC_DOC_METRICS];

    /* SOLO: every doctor answers their own patients, except doctor 2 on 1-2 May.
     *  E1 -> 2 (23:00, arrives 23:10: response 10; night visit; OOH 50 min; disturbed 15 Jan)
     *  E2 -> 3 (phone 23:10, 10 min OOH; disturbed 15 Jan; not a visit)
     *  E3 -> 0 (23:20, response 10, night visit, OOH 50, disturbed 15 Jan)
     *  E4 escalates (doctor 2 away, nobody covers)
     *  E6 -> 1 (duty day, not night: OOH 50, response 10)
     *  E7 -> 3 (death 03:00: night visit, OOH 65, disturbed 3 May, response 10)
     *  E8 -> 3 (in hours: response 10, no OOH); E9 queued 40 min for doctor 3.
     * Own answers 6 of 7; 1 escalation; responses 10 x 5. */
    {
        const doctors_expected x = {{
            /* nights days dist nvis OOH      queued  maxrun busiest bdist answered patients */
            {365, 73, 1, 1, 50.0 / 60, 0, 365, 31, 1, 1, 1},
            {365, 73, 0, 0, 50.0 / 60, 0, 365, 31, 0, 1, 1},
            {363, 73, 1, 1, 50.0 / 60, 0, 243, 31, 1, 1, 1},
            {365, 73, 2, 1, 75.0 / 60, 40.0 / 60, 365, 31, 1, 3, 1},
        }};
        /* over the 4 holders, per month (/12): nights 363 365 365 365; disturbed 0 1 1 2;
         * OOH hours 50 50 50 75 (/60). p95 of 4 sorted values: x2 + 0.85 (x3 - x2).
         * Gini of 50 50 50 75: ordered pairs differing by 25: 6 -> 150 / (2 x 16 x 56.25) = 1/12. */
        const double want[CC_SCH_METRICS] = {
            [CC_SCH_DUTY_NIGHTS_MEAN] = 1458.0 / 4 / 12, [CC_SCH_DUTY_NIGHTS_P95] = 365.0 / 12,
            [CC_SCH_DUTY_NIGHTS_MAX] = 365.0 / 12,
            [CC_SCH_DISTURBED_MEAN] = 1.0 / 12, [CC_SCH_DISTURBED_P95] = 1.85 / 12, [CC_SCH_DISTURBED_MAX] = 2.0 / 12,
            [CC_SCH_OOH_HOURS_MEAN] = 225.0 / 60 / 4 / 12, [CC_SCH_OOH_HOURS_P95] = 71.25 / 60 / 12,
            [CC_SCH_OOH_HOURS_MAX] = 75.0 / 60 / 12, [CC_SCH_OOH_HOURS_GINI] = 1.0 / 12,
            [CC_SCH_DUTY_NIGHTS_MEAN_ALL] = 1458.0 / 4 / 12, [CC_SCH_DISTURBED_MEAN_ALL] = 1.0 / 12,
            [CC_SCH_OOH_HOURS_MEAN_ALL] = 225.0 / 60 / 4 / 12, [CC_SCH_MAX_CONSECUTIVE_NIGHTS] = 365,
            [CC_SCH_CONTINUITY] = 6.0 / 7, [CC_SCH_ESCALATIONS_PER_1000] = 1000.0 / 48,
            [CC_SCH_RESPONSE_MEAN] = 10, [CC_SCH_RESPONSE_P90] = 10,
            [CC_SCH_WITHIN_LIMITS] = 0, /* 30.4 nights a month > 12 */
            [CC_SCH_DUTY_HOLDERS] = 4, [CC_SCH_CALLS] = 7, [CC_SCH_ESCALATIONS] = 1};
        answer(&p, &l, &cal, CC_SCHEME_SOLO, &list, absent, months, scheme, doctor);
        check_doctors("solo", doctor, &x);
        check_scheme("solo", scheme, want);
    }

    /* PAIRING: group B {0, 1} covers doctors 0, 1, 2; doctor 3 (P2) has no cover.
     *  E1 -> 0 (night 15 Jan holder): 23:00, response 10, busy till 23:50
     *  E2 escalates (P2's patient, out of hours, no group)
     *  E3 -> 0: waits till 23:50, arrives 00:00: response 40 <= 45; own doctor; busy till 00:40
     *  E4 -> 1 (in hours, doctor 2 away: holder of the coming night, 1 May: doctor 1);
     *        response 10, in hours (no OOH)
     *  E6 -> 1 (duty day 3 May holder): own doctor; OOH 50, response 10
     *  E7 escalates (P2 again)
     *  E8 -> 3 own, response 10; E9 queued 40 min for doctor 3.
     * Own answers E3 E6 E8 = 3 of 7; escalations 2; responses 10 40 10 10 10: mean 16, p90
     * (5 values, position 0.9 x 4 = 3.6) 10 + 0.6 x 30 = 28. Doctor 0: 2 night visits, one
     * disturbed night, OOH 100 min; doctor 1: OOH 50 min. */
    {
        const doctors_expected x = {{
            {191, 28, 1, 2, 100.0 / 60, 0, 5, 19, 1, 2, 1},
            {174, 45, 0, 0, 50.0 / 60, 0, 5, 19, 0, 2, 1},
            {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
            {0, 0, 0, 0, 0, 40.0 / 60, 0, 0, 0, 1, 1},
        }};
        /* holders 0 and 1: nights 174 191 (p95 174 + 0.95 x 17 = 190.15); disturbed 0 1;
         * OOH 50 100 min (p95 50 + 0.95 x 50 = 97.5; Gini 100 / (2 x 4 x 75) = 1/6);
         * all four doctors: nights 365 / 4, disturbed 1/4, OOH 150/60 / 4 */
        const double want[CC_SCH_METRICS] = {
            [CC_SCH_DUTY_NIGHTS_MEAN] = 182.5 / 12, [CC_SCH_DUTY_NIGHTS_P95] = 190.15 / 12,
            [CC_SCH_DUTY_NIGHTS_MAX] = 191.0 / 12,
            [CC_SCH_DISTURBED_MEAN] = 0.5 / 12, [CC_SCH_DISTURBED_P95] = 0.95 / 12, [CC_SCH_DISTURBED_MAX] = 1.0 / 12,
            [CC_SCH_OOH_HOURS_MEAN] = 75.0 / 60 / 12, [CC_SCH_OOH_HOURS_P95] = 97.5 / 60 / 12,
            [CC_SCH_OOH_HOURS_MAX] = 100.0 / 60 / 12, [CC_SCH_OOH_HOURS_GINI] = 1.0 / 6,
            [CC_SCH_DUTY_NIGHTS_MEAN_ALL] = 365.0 / 48, [CC_SCH_DISTURBED_MEAN_ALL] = 1.0 / 48,
            [CC_SCH_OOH_HOURS_MEAN_ALL] = 150.0 / 60 / 48, [CC_SCH_MAX_CONSECUTIVE_NIGHTS] = 5,
            [CC_SCH_CONTINUITY] = 3.0 / 7, [CC_SCH_ESCALATIONS_PER_1000] = 2000.0 / 48,
            [CC_SCH_RESPONSE_MEAN] = 16, [CC_SCH_RESPONSE_P90] = 28,
            [CC_SCH_WITHIN_LIMITS] = 0, /* 15.9 and 14.5 nights a month > 12 */
            [CC_SCH_DUTY_HOLDERS] = 2, [CC_SCH_CALLS] = 7, [CC_SCH_ESCALATIONS] = 2};
        answer(&p, &l, &cal, CC_SCHEME_PAIRING, &list, absent, months, scheme, doctor);
        check_doctors("pairing", doctor, &x);
        check_scheme("pairing", scheme, want);
    }

    /* ROTATION: one group {0, 1, 2, 3} covers everyone.
     *  E1 -> 0 (night 15 Jan): response 10, busy till 23:50
     *  E2 -> 0: phone waits 40 <= 45, 23:50-00:00 (OOH 10 min)
     *  E3 -> 0: would start 00:00 and arrive 00:10, a 50-minute wait > 45: escalates
     *  E4 -> 1 (coming night of 1 May, period 145), in hours, response 10
     *  E6 -> 0 (duty day 3 May, period 147), OOH 50, response 10
     *  E7 -> 1 (night 3 May, period 148), death at 03:00: night visit, OOH 65, disturbed
     *        3 May, response 10
     *  E8 -> 3 own, response 10; E9 queued for doctor 3.
     * Own answers: E8 only, 1 of 7; escalations 1; responses all 10. */
    {
        const doctors_expected x = {{
            {86, 24, 1, 1, 110.0 / 60, 0, 1, 9, 1, 3, 1},
            {99, 11, 1, 1, 65.0 / 60, 0, 1, 10, 1, 2, 1},
            {91, 18, 0, 0, 0, 0, 1, 10, 0, 0, 1},
            {89, 20, 0, 0, 0, 40.0 / 60, 1, 10, 0, 1, 1},
        }};
        /* holders all four: nights 86 89 91 99 (p95 91 + 0.85 x 8 = 97.8); disturbed 0 0 1 1
         * (p95 1); OOH 0 0 65 110 min (p95 65 + 0.85 x 45 = 103.25; Gini: ordered pairs
         * 2 x (65 + 65 + 110 + 110 + 45) = 790 over 2 x 16 x 43.75 = 1400: 79/140) */
        const double want[CC_SCH_METRICS] = {
            [CC_SCH_DUTY_NIGHTS_MEAN] = 365.0 / 48, [CC_SCH_DUTY_NIGHTS_P95] = 97.8 / 12,
            [CC_SCH_DUTY_NIGHTS_MAX] = 99.0 / 12,
            [CC_SCH_DISTURBED_MEAN] = 2.0 / 48, [CC_SCH_DISTURBED_P95] = 1.0 / 12, [CC_SCH_DISTURBED_MAX] = 1.0 / 12,
            [CC_SCH_OOH_HOURS_MEAN] = 175.0 / 60 / 48, [CC_SCH_OOH_HOURS_P95] = 103.25 / 60 / 12,
            [CC_SCH_OOH_HOURS_MAX] = 110.0 / 60 / 12, [CC_SCH_OOH_HOURS_GINI] = 79.0 / 140,
            [CC_SCH_DUTY_NIGHTS_MEAN_ALL] = 365.0 / 48, [CC_SCH_DISTURBED_MEAN_ALL] = 2.0 / 48,
            [CC_SCH_OOH_HOURS_MEAN_ALL] = 175.0 / 60 / 48, [CC_SCH_MAX_CONSECUTIVE_NIGHTS] = 1,
            [CC_SCH_CONTINUITY] = 1.0 / 7, [CC_SCH_ESCALATIONS_PER_1000] = 1000.0 / 48,
            [CC_SCH_RESPONSE_MEAN] = 10, [CC_SCH_RESPONSE_P90] = 10,
            [CC_SCH_WITHIN_LIMITS] = 1, /* at most 8.25 nights and 1/12 disturbed a month */
            [CC_SCH_DUTY_HOLDERS] = 4, [CC_SCH_CALLS] = 7, [CC_SCH_ESCALATIONS] = 1};
        answer(&p, &l, &cal, CC_SCHEME_ROTATION, &list, absent, months, scheme, doctor);
        check_doctors("rotation", doctor, &x);
        check_scheme("rotation", scheme, want);
    }

    /* COOPERATIVE: the block's backup doctors {0, 1} cover all four doctors' patients.
     *  E1 -> 0, E2 -> 0 (phone waits 40), E3 escalates (as under rotation: same holder)
     *  E4 -> 1 (night 1 May), in hours, response 10
     *  E6 -> 1 (duty day 3 May): own doctor; OOH 50
     *  E7 -> 0 (night 3 May): night visit, OOH 65, disturbed 3 May
     *  E8 -> 3 own; E9 queued.
     * Own answers E6 E8 = 2 of 7; escalations 1; responses all 10. */
    {
        const doctors_expected x = {{
            {191, 28, 2, 2, 125.0 / 60, 0, 5, 19, 1, 3, 1},
            {174, 45, 0, 0, 50.0 / 60, 0, 5, 19, 0, 2, 1},
            {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
            {0, 0, 0, 0, 0, 40.0 / 60, 0, 0, 0, 1, 1},
        }};
        /* holders 0, 1: disturbed 0 2 (p95 1.9); OOH 50 125 min (p95 50 + 0.95 x 75 = 121.25;
         * Gini 150 / (2 x 4 x 87.5) = 3/14) */
        const double want[CC_SCH_METRICS] = {
            [CC_SCH_DUTY_NIGHTS_MEAN] = 182.5 / 12, [CC_SCH_DUTY_NIGHTS_P95] = 190.15 / 12,
            [CC_SCH_DUTY_NIGHTS_MAX] = 191.0 / 12,
            [CC_SCH_DISTURBED_MEAN] = 1.0 / 12, [CC_SCH_DISTURBED_P95] = 1.9 / 12, [CC_SCH_DISTURBED_MAX] = 2.0 / 12,
            [CC_SCH_OOH_HOURS_MEAN] = 87.5 / 60 / 12, [CC_SCH_OOH_HOURS_P95] = 121.25 / 60 / 12,
            [CC_SCH_OOH_HOURS_MAX] = 125.0 / 60 / 12, [CC_SCH_OOH_HOURS_GINI] = 3.0 / 14,
            [CC_SCH_DUTY_NIGHTS_MEAN_ALL] = 365.0 / 48, [CC_SCH_DISTURBED_MEAN_ALL] = 2.0 / 48,
            [CC_SCH_OOH_HOURS_MEAN_ALL] = 175.0 / 60 / 48, [CC_SCH_MAX_CONSECUTIVE_NIGHTS] = 5,
            [CC_SCH_CONTINUITY] = 2.0 / 7, [CC_SCH_ESCALATIONS_PER_1000] = 1000.0 / 48,
            [CC_SCH_RESPONSE_MEAN] = 10, [CC_SCH_RESPONSE_P90] = 10,
            [CC_SCH_WITHIN_LIMITS] = 0,
            [CC_SCH_DUTY_HOLDERS] = 2, [CC_SCH_CALLS] = 7, [CC_SCH_ESCALATIONS] = 1};
        answer(&p, &l, &cal, CC_SCHEME_COOPERATIVE, &list, absent, months, scheme, doctor);
        check_doctors("cooperative", doctor, &x);
        check_scheme("cooperative", scheme, want);
    }
    cc_coverage_layout_free(&l);
}

/* ---------------------------------------------------------------- 4. determinism */

/* The same (seed, replication, year) gives the same figures, bit for bit, whether the
 * workspace is fresh or reused after other replications; other replications and other seeds
 * give other figures. */
static void test_determinism(void **state)
{
    (void)state;
    static cc_clinic clinics[MAX_CLINICS];
    cc_coverage_params p;
    kashiwa_params(&p, clinics);
    sim a, b;
    sim_init(&a, &p);
    sim_init(&b, &p);
    size_t nsch = (size_t)p.nschemes * CC_SCH_METRICS * sizeof(double);
    size_t ndoc = (size_t)p.nschemes * a.r.ndoctors * CC_DOC_METRICS * sizeof(double);
    sim_run(&a, &p, 1234, 3, 2755, 0.8);
    sim_run(&b, &p, 1234, 8, 2755, 0.8); /* b's workspace used for another replication first */
    assert_true(memcmp(a.r.year, b.r.year, sizeof a.r.year) != 0);
    assert_true(memcmp(a.r.scheme, b.r.scheme, nsch) != 0);
    assert_true(memcmp(a.r.doctor, b.r.doctor, ndoc) != 0);
    sim_run(&b, &p, 1234, 3, 2755, 0.8);
    assert_memory_equal(a.r.year, b.r.year, sizeof a.r.year);
    assert_memory_equal(a.r.scheme, b.r.scheme, nsch);
    assert_memory_equal(a.r.doctor, b.r.doctor, ndoc);
    sim_run(&b, &p, 1235, 3, 2755, 0.8); /* another seed */
    assert_true(memcmp(a.r.year, b.r.year, sizeof a.r.year) != 0);
    sim_free(&b);
    sim_free(&a);
}

/* The year's events come out in time order, ties in drawing order (seq), each drawn event once
 * (seq a permutation of 0 .. n-1): what the bucket sort must give. And the benchmark's event
 * count: every event of the list plus the absence spells, at least one spell per run of
 * absent days and at most one per day away. */
static void test_events_sorted_and_counted(void **state)
{
    (void)state;
    static cc_clinic clinics[MAX_CLINICS];
    cc_coverage_params p;
    kashiwa_params(&p, clinics);
    cc_coverage_layout l;
    layout_build(&p, &l);
    cc_calendar cal;
    calendar_2025(&cal);
    drawn d;
    memset(&d, 0, sizeof d);
    for (uint32_t rep = 0; rep < 3; rep++) {
        draw_year(&d, &p, &l, &cal, 99, rep, 3000 + 500 * rep, 0.8);
        assert_true(d.list.n > 100000);
        unsigned char *seen = calloc(d.list.n, 1);
        assert_non_null(seen);
        for (size_t i = 0; i < d.list.n; i++) {
            const cc_event *e = &d.list.events[i];
            assert_true(e->seq >= 0 && (size_t)e->seq < d.list.n && !seen[e->seq]);
            seen[e->seq] = 1;
            if (i > 0) {
                const cc_event *prev = &d.list.events[i - 1];
                assert_true(prev->time < e->time || (prev->time == e->time && prev->seq < e->seq));
            }
        }
        free(seen);
        long runs = 0, days = 0;
        for (int doc = 0; doc < l.ndoctors; doc++)
            for (int day = 0; day < cal.n_days; day++) {
                int a = d.absent[(size_t)doc * CC_CALENDAR_MAX_DAYS + day];
                days += a;
                runs += a && (day == 0 || !d.absent[(size_t)doc * CC_CALENDAR_MAX_DAYS + day - 1]);
            }
        assert_true(d.list.absence_spells >= runs && d.list.absence_spells <= days);
        assert_int_equal(days, 15L * l.ndoctors);
    }
    drawn_free(&d);
    sim s; /* cc_coverage_simulate's count: the same year (2025), drawn apart */
    sim_init(&s, &p);
    sim_run(&s, &p, 99, 0, 3000, 0.8);
    draw_year(&d, &p, &s.layout, &cal, 99, 0, 3000, 0.8);
    assert_int_equal(s.r.events_per_scheme, (long)d.list.n + d.list.absence_spells);
    assert_int_equal(s.r.events_per_scheme - d.list.absence_spells,
                     (long)(s.r.year[CC_COV_SCHEDULED_VISITS] + s.r.year[CC_COV_URGENT_CALLS] +
                            s.r.year[CC_COV_HOME_DEATHS]));
    drawn_free(&d);
    sim_free(&s);
    cc_coverage_layout_free(&l);
}

/* A disturbed night is a duty night: a primary doctor under pairing (who holds no nights)
 * answering an in-hours call that waited until after 22:00 (possible with a long maximum wait)
 * makes a night visit but no disturbed night; the backup doctor holding that night, woken at
 * 23:00, does get one. */
static void test_disturbed_night_needs_the_duty_night(void **state)
{
    (void)state;
    cc_coverage_params p;
    base_params(&p);
    cc_clinic c[] = {clinic(0, CC_CLINIC_BACKUP, 1, 2, 1, -1), clinic(0, CC_CLINIC_PRIMARY, 1, 2, 1, 0)};
    p.clinics = c;
    p.nclinics = 2;
    p.area_km2 = 100;
    p.distance_factor = 0.5;
    p.speed_kmh = 30; /* 10 minutes one way */
    p.max_wait_minutes = 1440;
    p.urgent_visit_minutes = 600;
    cc_coverage_layout l;
    layout_build(&p, &l);
    cc_calendar cal;
    calendar_2025(&cal);
    cc_event events[4];
    int slot_doctor[2] = {0, 1};
    cc_event_list list = {events, 0, 4, slot_doctor, 2, 2, 0, 0, 0, 0, NULL, NULL, 0};
    /* Wednesday 15 January: A at 12:00 keeps the primary busy until 22:20 (10 + 600 + 10);
     * B at 12:05, in hours, waits for them and sets out at 22:20 */
    list_add(&list, at(&cal, 1, 15, 12, 0), 1, CC_EVENT_URGENT_VISIT);
    list_add(&list, at(&cal, 1, 15, 12, 5), 1, CC_EVENT_URGENT_VISIT);
    list_add(&list, at(&cal, 1, 15, 23, 0), 0, CC_EVENT_PHONE); /* the backup's own patient */
    static unsigned char absent[2 * CC_CALENDAR_MAX_DAYS];
    memset(absent, 0, sizeof absent);
    double scheme[CC_SCH_METRICS], doctor[2 * CC_DOC_METRICS];
    answer(&p, &l, &cal, CC_SCHEME_PAIRING, &list, absent, 24, scheme, doctor);
    assert_double_equal(doctor[1 * CC_DOC_METRICS + CC_DOC_NIGHT_VISITS], 1, 0);
    assert_double_equal(doctor[1 * CC_DOC_METRICS + CC_DOC_DISTURBED_NIGHTS], 0, 0);
    assert_double_equal(doctor[1 * CC_DOC_METRICS + CC_DOC_DUTY_NIGHTS], 0, 0);
    assert_double_equal(doctor[0 * CC_DOC_METRICS + CC_DOC_DISTURBED_NIGHTS], 1, 0);
    assert_double_equal(scheme[CC_SCH_ESCALATIONS], 0, 0);
    cc_coverage_layout_free(&l);
}

/* Fewer participating doctors than blocks (rotation and cooperative make one group per block,
 * some of them empty): the engine sizes its groups for that, the patients of a block without
 * doctors are uncovered, and an empty group holds no period (found by AddressSanitizer: the
 * groups were once sized by the doctor count alone). */
static void test_more_blocks_than_doctors(void **state)
{
    (void)state;
    static cc_clinic clinics[MAX_CLINICS];
    cc_coverage_params p;
    base_params(&p);
    p.nblocks = 3;
    for (int b = 0; b < 3; b++)
        p.block_share[b] = 1.0 / 3;
    clinics[0] = clinic(0, CC_CLINIC_BACKUP, 1, 100, 1, -1);
    clinics[1] = clinic(1, CC_CLINIC_PRIMARY, 1, 100, 1, -1);
    p.clinics = clinics;
    p.nclinics = 2;
    sim a;
    sim_init(&a, &p);
    assert_int_equal(a.layout.blocks_without_doctors, 1);
    assert_int_equal(a.layout.unpaired_primaries, 1); /* block 1 has no backup */
    sim_run(&a, &p, 7, 0, 90, 0.8);
    assert_double_equal(a.r.year[CC_COV_UNCOVERED], 30, 0); /* block 2's third of 90 */
    assert_double_equal(a.r.year[CC_COV_COVERED], 60, 0);
    for (int i = 0; i < p.nschemes; i++) /* every call has an answer or escalates */
        assert_true(a.r.scheme[(size_t)i * CC_SCH_METRICS + CC_SCH_CALLS] > 0);
    sim_free(&a);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poisson_night_calls_one_doctor),
        cmocka_unit_test(test_gamma_heterogeneity_overdispersion),
        cmocka_unit_test(test_rotation_equal_shares),
        cmocka_unit_test(test_pairing_continuity_backup_without_patients),
        cmocka_unit_test(test_solo_escalates_exactly_absences),
        cmocka_unit_test(test_cooperative_one_backup_equals_rotation),
        cmocka_unit_test(test_single_call_response_time),
        cmocka_unit_test(test_event_stream_independent_of_schemes),
        cmocka_unit_test(test_hand_events_all_metrics),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_events_sorted_and_counted),
        cmocka_unit_test(test_more_blocks_than_doctors),
        cmocka_unit_test(test_disturbed_night_needs_the_duty_night),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
