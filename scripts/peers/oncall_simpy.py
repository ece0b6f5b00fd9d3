#!/usr/bin/python3
"""On-call cover of home-care patients in SimPy: carecast's coverage model as a researcher would
write it without carecast, for `make bench` (scripts/bench.py) to run beside
build/bench_coverage on the same workload.

The model is carecast's (README, "Coverage"; src/coverage/): Kashiwa's participating clinics
in 3 blocks, one target year (08:30 on 1 January to 08:30 on 1 January of the next year, time
in minutes), the same constants (below). Each replication draws the year's scheduled visits,
urgent calls, deaths at home and doctors' absence spells once (NumPy, vectorised) and replays
them under every scheme (common random numbers). A dispatcher process hands each event to its
doctor (the own doctor, or the holder of the cover group's duty period); each doctor is a
process serving a simpy.Store of jobs one at a time in order of arrival (the classic server
pattern: no process per job); a call whose doctor cannot arrive (visit) or start (phone
advice) within the maximum wait escalates and costs the doctor nothing.
Rosters (one per cover group, nights and days in turn, skipping members away that day) are
built before the year runs, as a medical association would publish them.

Event unit (the same as carecast's bench_coverage): scheduled visits (skipped ones included),
urgent calls, deaths at home and absence spells processed, counted once per scheme.
Different random numbers from carecast's: the per-replication counts printed agree with
carecast's within Monte Carlo noise, which is how `make bench` checks both do the same work.

Usage: oncall_simpy.py [--reps 1] [--seed 1] [--schemes pairing,rotation,solo,cooperative]
Prints the counts and per-scheme metrics on stdout and, last, one line
`peer-oncall replications=R events=E seconds=S events_per_s=X cpu_seconds=C`.
"""

import argparse
import datetime
import math
import sys
import time

import numpy as np
import simpy

# ---- the workload: carecast's scenarios/kashiwa.ini and its clinics table -------------------
TARGET_YEAR = 2030
PATIENTS = 3600                    # home-care patients to place (about Kashiwa's 2030 expectation)
BLOCKS = 3                         # equal population shares
AREA_KM2 = 114.74
BACKUPS_PER_BLOCK = (13, 13, 12)   # 24-hour backup clinics (▲) of 3 doctors, panels of 60
BACKUP_DOCTORS, BACKUP_PANEL = 3, 60
PRIMARIES_PER_BLOCK = 20           # one-doctor primary clinics (△), panels of 25
PRIMARY_PANEL = 25
MAX_PRIMARIES_PER_BACKUP = 5
SCHEDULED_PER_MONTH, SCHEDULED_MINUTES = 2.4, 20.0
CALLS_PER_MONTH = 0.8              # urgent calls per patient-month ([demand])
URGENT_VISIT_SHARE, URGENT_VISIT_MINUTES, PHONE_MINUTES = 0.6, 30.0, 10.0
CALL_RATE_SHAPE = 1.0              # gamma heterogeneity of patients' call rates (mean 1)
IN_HOURS_SHARE, NIGHT_SHARE_OF_OOH = 0.65, 0.3333333
EXIT_SHORT_SHARE, EXIT_SHORT_MONTHS, EXIT_LONG_MONTHS = 0.215, 2.8, 59.0
HOME_DEATH_SHARE, DEATH_MINUTES = 0.5, 45.0
ABSENCE_DAYS, MAX_SPELL_DAYS = 15, 5
MAX_WAIT, SPEED_KMH, DISTANCE_FACTOR = 120.0, 25.0, 0.52
MAX_DUTY_NIGHTS, MAX_DISTURBED_NIGHTS = 12, 4   # per doctor-month
SCHEMES = ("pairing", "rotation", "solo", "cooperative")

DAY = 1440
WEEKDAY_CLOSE, SATURDAY_CLOSE, NIGHT_START, NIGHT_END = 540, 240, 810, 1290   # minutes after 08:30
SCHEDULED, URGENT_VISIT, PHONE, DEATH, ABSENCE = range(5)
TRAVEL = DISTANCE_FACTOR * math.sqrt(AREA_KM2 / BLOCKS) / SPEED_KMH * 60   # one way, minutes
SCHEDULED_JOB = 2 * TRAVEL + SCHEDULED_MINUTES                               # round trip and visit


# ---- the calendar ---------------------------------------------------------------------------
def holidays(year):
    """Japan's national holidays of `year` (the act as it stands since 2020), as dates."""
    date = datetime.date

    def monday(month, n):
        first = date(year, month, 1)
        return first + datetime.timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))

    equinox = lambda c: int(c + 0.242194 * (year - 1980) - (year - 1980) // 4)   # noqa: E731
    proper = {date(year, m, d) for m, d in ((1, 1), (2, 11), (2, 23), (4, 29), (5, 3), (5, 4), (5, 5),
                                            (8, 11), (11, 3), (11, 23))}
    proper |= {monday(1, 2), monday(10, 2), monday(7, 3), monday(9, 3),
               date(year, 3, equinox(20.8431)), date(year, 9, equinox(23.2488))}
    result = set(proper)
    for h in sorted(proper):
        if h.weekday() == 6:          # a holiday on a Sunday moves to the next day that is not one
            d = h + datetime.timedelta(days=1)
            while d in proper:
                d += datetime.timedelta(days=1)
            result.add(d)
    for h in sorted(proper):          # a day between two holidays
        d = h + datetime.timedelta(days=1)
        if d not in proper and d + datetime.timedelta(days=1) in proper:
            result.add(d)
    return result


class Calendar:
    """In hours, out of hours, night, and the duty periods of the target year."""

    def __init__(self, year):
        first = datetime.date(year, 1, 1)
        self.n_days = (datetime.date(year + 1, 1, 1) - first).days
        dates = [first + datetime.timedelta(days=d) for d in range(self.n_days)]
        off = holidays(year)
        closure = lambda d: (d.month == 1 and d.day <= 3) or (d.month == 12 and d.day >= 29)   # noqa: E731
        self.day_off = np.array([d.weekday() == 6 or d in off or closure(d) for d in dates])
        self.close = np.where(self.day_off, 0, [SATURDAY_CLOSE if d.weekday() == 5 else WEEKDAY_CLOSE
                                                for d in dates])
        self.month = np.array([d.month - 1 for d in dates])
        # duty periods in time order: (day, is_night); a day off has a duty day, then the night
        self.periods, self.first_period = [], []
        for d in range(self.n_days):
            self.first_period.append(len(self.periods))
            if self.day_off[d]:
                self.periods.append((d, False))
            self.periods.append((d, True))
        self.close_l, self.off_l = self.close.tolist(), self.day_off.tolist()
        # minutes of each class per day: in hours, out of hours outside the night, night
        self.class_minutes = np.stack([self.close, NIGHT_START - self.close + DAY - NIGHT_END,
                                       np.full(self.n_days, NIGHT_END - NIGHT_START)])
        self.cumulative = np.concatenate([np.zeros((3, 1)), np.cumsum(self.class_minutes, axis=1)], axis=1)

    def uniform_times(self, rng, cls, n):
        """n times uniform over the hours of class cls."""
        u = rng.uniform(0, self.cumulative[cls, -1], n)
        day = np.searchsorted(self.cumulative[cls], u, side="right") - 1
        rest = u - self.cumulative[cls, day]
        if cls == 0:
            minute = rest
        elif cls == 2:
            minute = NIGHT_START + rest
        else:    # the evening part [close, 22:00), then 06:00-08:30
            evening = NIGHT_START - self.close[day]
            minute = np.where(rest < evening, self.close[day] + rest, NIGHT_END + rest - evening)
        return day * DAY + minute

    def period(self, t):
        """(in hours, the index of the duty period holding t or of the date's duty night)."""
        day = int(t // DAY)
        m = t - day * DAY
        night = self.first_period[day] + self.off_l[day]
        if m < self.close_l[day]:
            return True, night
        return False, night if m >= WEEKDAY_CLOSE or not self.off_l[day] else night - 1

    def klass(self, t):
        m = t % DAY
        return 0 if m < self.close_l[int(t // DAY)] else 2 if NIGHT_START <= m < NIGHT_END else 1


# ---- clinics, doctors and cover groups ------------------------------------------------------
class Region:
    def __init__(self):
        self.clinics = []        # (block, is_backup, doctors, panel)
        for b in range(BLOCKS):
            self.clinics += [(b, True, BACKUP_DOCTORS, BACKUP_PANEL)] * BACKUPS_PER_BLOCK[b]
            self.clinics += [(b, False, 1, PRIMARY_PANEL)] * PRIMARIES_PER_BLOCK
        self.first_doctor, self.doctor_clinic = [], []
        for c, (_, _, n, _) in enumerate(self.clinics):
            self.first_doctor.append(len(self.doctor_clinic))
            self.doctor_clinic += [c] * n
        self.n_doctors = len(self.doctor_clinic)
        self.block = [self.clinics[c][0] for c in self.doctor_clinic]
        self.is_backup = [self.clinics[c][1] for c in self.doctor_clinic]
        # each primary with the backup of its block with the fewest paired places per doctor
        self.pair = [-1] * len(self.clinics)
        for c, (b, backup, _, _) in enumerate(self.clinics):
            if backup:
                continue
            best, best_load = -1, 0
            for k, (kb, kbackup, kn, _) in enumerate(self.clinics):
                if not kbackup or kb != b or self.pair.count(k) >= MAX_PRIMARIES_PER_BACKUP:
                    continue
                load = sum(self.clinics[q][3] for q in range(len(self.clinics)) if self.pair[q] == k) / kn
                if best < 0 or load < best_load:
                    best, best_load = k, load
            self.pair[c] = best

    def groups(self, scheme):
        """(members of each cover group in roster order, the group covering each doctor's patients)."""
        members, group_of = [], [-1] * self.n_doctors
        if scheme == "solo":
            members = [[d] for d in range(self.n_doctors)]
            group_of = list(range(self.n_doctors))
        elif scheme == "pairing":
            of_clinic = {}
            for c, (_, backup, n, _) in enumerate(self.clinics):
                if backup:
                    of_clinic[c] = len(members)
                    members.append(list(range(self.first_doctor[c], self.first_doctor[c] + n)))
            for d, c in enumerate(self.doctor_clinic):
                backup = c if self.clinics[c][1] else self.pair[c]
                group_of[d] = of_clinic.get(backup, -1)
        else:    # rotation: every doctor of the block; cooperative: its backup doctors
            for b in range(BLOCKS):
                team = [d for d in range(self.n_doctors) if self.block[d] == b
                        and (scheme == "rotation" or self.is_backup[d])]
                for d in range(self.n_doctors):
                    if self.block[d] == b:
                        group_of[d] = len(members) if team else -1
                members.append(team)
        return members, group_of

    def place(self, patients):
        """The own doctor of every panel place: blocks by equal shares, clinics in proportion to
        their panels (largest remainder, never above a panel), a clinic's patients dealt over
        its doctors in turn."""
        slot_doctor = []
        for b, n in enumerate(largest_remainder(patients, [1.0] * BLOCKS)):
            cap = [p if cb == b else 0 for cb, _, _, p in self.clinics]
            for c, k in enumerate(largest_remainder(min(n, sum(cap)), cap, cap)):
                slot_doctor += [self.first_doctor[c] + i % self.clinics[c][2] for i in range(k)]
        return np.array(slot_doctor)


def largest_remainder(total, weight, cap=None):
    quota = [total * w / sum(weight) for w in weight]
    out = [min(math.floor(q), cap[i]) if cap else math.floor(q) for i, q in enumerate(quota)]
    while sum(out) < total:
        room = [i for i in range(len(out)) if not cap or out[i] < cap[i]]
        out[max(room, key=lambda i: quota[i] - out[i])] += 1
    return out


# ---- one replication's events ---------------------------------------------------------------
def draw_year(rng, cal, slot_doctor, n_doctors):
    """The year's events (time, kind, own doctor), in time order, and each doctor's away days."""
    year = cal.n_days * DAY
    month = year / 12
    n = slot_doctor.size

    def stays(size, residual):
        w = np.array([EXIT_SHORT_SHARE, 1 - EXIT_SHORT_SHARE])
        means = np.array([EXIT_SHORT_MONTHS, EXIT_LONG_MONTHS])
        if residual:                    # the remaining stay of a patient already on the panel
            w = w * means
        short = rng.random(size) < w[0] / w.sum()
        return rng.exponential(np.where(short, means[0], means[1])) * month

    # occupants of every slot over the year: [start, end) each, exits replaced at once
    slot, start, end = np.arange(n), np.zeros(n), stays(n, True)
    occ_slot, occ_from, occ_to = [slot], [start], [end]
    while True:
        going = end < year
        slot, start = slot[going], end[going]
        if slot.size == 0:
            break
        end = start + stays(slot.size, False)
        occ_slot.append(slot), occ_from.append(start), occ_to.append(end)
    occ_slot, occ_from, occ_to = map(np.concatenate, (occ_slot, occ_from, occ_to))
    exits = occ_to < year
    dies = exits & (rng.random(occ_slot.size) < HOME_DEATH_SHARE)

    times, kinds, slots = [occ_to[dies]], [np.full(dies.sum(), DEATH)], [occ_slot[dies]]

    def process(cls, per_year, kind):
        """Poisson numbers of times uniform over class cls, kept within each occupant's stay."""
        count = rng.poisson(per_year)
        who = np.repeat(np.arange(occ_slot.size), count)
        t = cal.uniform_times(rng, cls, who.size)
        keep = (t >= occ_from[who]) & (t < occ_to[who])
        t, who = t[keep], who[keep]
        if kind == URGENT_VISIT:
            kind = np.where(rng.random(t.size) < URGENT_VISIT_SHARE, URGENT_VISIT, PHONE)
        times.append(t), kinds.append(np.broadcast_to(kind, t.shape)), slots.append(occ_slot[who])

    calls_year = CALLS_PER_MONTH * 12 * rng.gamma(CALL_RATE_SHAPE, 1 / CALL_RATE_SHAPE, occ_slot.size)
    ooh = 1 - IN_HOURS_SHARE
    for cls, share in enumerate((IN_HOURS_SHARE, ooh * (1 - NIGHT_SHARE_OF_OOH), ooh * NIGHT_SHARE_OF_OOH)):
        process(cls, calls_year * share, URGENT_VISIT)
    process(0, np.full(occ_slot.size, SCHEDULED_PER_MONTH * 12), SCHEDULED)

    # absences: ABSENCE_DAYS a year per doctor, non-overlapping spells of 1..MAX_SPELL_DAYS days
    absent = np.zeros((n_doctors, cal.n_days), dtype=bool)
    spell_doctor, spell_first, spell_length = [], [], []
    for d in range(n_doctors):
        left = ABSENCE_DAYS
        while left > 0:
            length = min(int(rng.integers(1, MAX_SPELL_DAYS + 1)), left)
            first = int(rng.integers(0, cal.n_days - length + 1))
            if absent[d, first:first + length].any():
                continue
            absent[d, first:first + length] = True
            spell_doctor.append(d), spell_first.append(first), spell_length.append(length)
            left -= length

    t, kind, slot = map(np.concatenate, (times, kinds, slots))
    counts = {"scheduled_visits": int((kind == SCHEDULED).sum()),
              "urgent_calls": int(((kind == URGENT_VISIT) | (kind == PHONE)).sum()),
              "home_deaths": int(dies.sum()), "absence_spells": len(spell_doctor)}
    # one list in time order: (time, kind, own doctor or the absent doctor, spell minutes)
    t = np.concatenate((t, DAY * np.array(spell_first, dtype=float)))
    kind = np.concatenate((kind, np.full(len(spell_doctor), ABSENCE)))
    who = np.concatenate((slot_doctor[slot], spell_doctor))
    length = np.concatenate((np.zeros(slot.size), DAY * np.array(spell_length, dtype=float)))
    order = np.argsort(t, kind="stable")
    events = list(zip(t[order].tolist(), kind[order].tolist(), who[order].tolist(), length[order].tolist()))
    return events, absent, counts


# ---- one scheme's pass over the year --------------------------------------------------------
class SchemeRun:
    def __init__(self, scheme, region, cal, absent):
        self.env = simpy.Environment()
        self.cal = cal
        m = region.n_doctors
        self.away = [False] * m
        self.absent = absent.tolist()           # plain lists: looked up once per event
        members, self.group_of = region.groups(scheme)
        self.is_holder = np.zeros(m, dtype=bool)
        for team in members:
            self.is_holder[team] = True
        # rosters: each group's members hold its periods in turn, skipping those away that day
        self.holder = [[-1] * len(cal.periods) for _ in members]
        self.night_held = [set() for _ in range(m)]     # days of each doctor's duty nights
        self.duty_days = [0] * m
        for g, team in enumerate(members):
            pos, row = 0, self.holder[g]
            for k, (day, night) in enumerate(cal.periods):
                for i in range(len(team)):
                    d = team[(pos + i) % len(team)]
                    if not self.absent[d][day]:
                        row[k], pos = d, (pos + i + 1) % len(team)
                        if night:
                            self.night_held[d].add(day)
                        else:
                            self.duty_days[d] += 1
                        break
        self.disturbed = [set() for _ in range(m)]      # days of each doctor's disturbed nights
        self.night_visits, self.ooh_hours, self.queued_hours, self.answered = ([0.0] * m for _ in range(4))
        self.calls = self.own = self.escalations = self.events = 0
        self.response = []

    def absence(self, d, minutes):
        self.away[d] = True
        yield self.env.timeout(minutes)
        self.away[d] = False

    def doctor(self, d):
        """A doctor's day and night: jobs one at a time in order of arrival (a simpy.Store
        queue). A call whose doctor cannot arrive (visit) or start (phone advice) within the
        maximum wait escalates, costing the doctor nothing."""
        env, jobs, cal = self.env, self.jobs[d], self.cal
        while True:
            t, kind, own, closing = yield jobs.get()
            start = env.now
            if kind == SCHEDULED:
                if start >= closing:                # queued past closing
                    self.queued_hours[d] += SCHEDULED_JOB / 60
                yield env.timeout(SCHEDULED_JOB)
                continue
            visit = kind != PHONE
            travel = TRAVEL if visit else 0.0
            if start - t + travel > MAX_WAIT:
                self.escalations += 1
                continue
            minutes = (DEATH_MINUTES if kind == DEATH else URGENT_VISIT_MINUTES if visit else PHONE_MINUTES) \
                + 2 * travel
            self.own += d == own
            self.answered[d] += 1
            if visit:
                self.response.append(start - t + travel)
            cls = cal.klass(start) if start < cal.n_days * DAY else 0
            if cls:
                self.ooh_hours[d] += minutes / 60
            if cls == 2:
                day = int(start // DAY)
                self.night_visits[d] += visit
                if day in self.night_held[d]:
                    self.disturbed[d].add(day)
            yield env.timeout(minutes)

    def responder(self, t, own):
        """Who answers a call at t from a patient of `own`: a doctor, or -1 (escalation)."""
        in_hours, period = self.cal.period(t)
        if in_hours and not self.away[own]:
            return own
        g = self.group_of[own]
        return self.holder[g][period] if g >= 0 else -1

    def dispatcher(self, events):
        env, absent, close, jobs = self.env, self.absent, self.cal.close_l, self.jobs
        timeout, responder = env.timeout, self.responder
        for t, kind, who, length in events:
            yield timeout(t - env.now)
            if kind == SCHEDULED:
                day = int(t // DAY)
                if not absent[who][day]:        # skipped, not made up, when the doctor is away
                    jobs[who].put((t, kind, who, day * DAY + close[day]))
            elif kind == ABSENCE:
                env.process(self.absence(who, length))
            else:
                self.calls += 1
                d = responder(t, who)
                if d < 0:
                    self.escalations += 1
                else:
                    jobs[d].put((t, kind, who, 0))
        self.events = len(events)

    def run(self, events, covered_months):
        self.jobs = [simpy.Store(self.env) for _ in self.away]
        for d in range(len(self.away)):
            self.env.process(self.doctor(d))
        self.env.process(self.dispatcher(events))
        self.env.run()
        h = self.is_holder
        months = lambda x: np.asarray(x, dtype=float)[h] / 12     # noqa: E731
        nights = months([len(x) for x in self.night_held])
        disturbed = months([len(x) for x in self.disturbed])
        ooh = np.sort(np.asarray(self.ooh_hours)[h])
        n = ooh.size
        gini = 2 * np.sum(np.arange(1, n + 1) * ooh) / (n * ooh.sum()) - (n + 1) / n if ooh.sum() > 0 else 0.0
        response = np.array(self.response)
        summary = lambda x: (x.mean(), np.percentile(x, 95), x.max())   # noqa: E731
        return {
            "duty_nights": summary(nights), "disturbed_nights": summary(disturbed),
            "ooh_hours": summary(months(self.ooh_hours)), "ooh_hours_gini": gini,
            "within_limits": np.mean((nights <= MAX_DUTY_NIGHTS) & (disturbed <= MAX_DISTURBED_NIGHTS)),
            "continuity": self.own / self.calls,
            "escalations_per_1000_patient_months": 1000 * self.escalations / covered_months,
            "response_mean": response.mean(), "response_p90": np.percentile(response, 90),
            "events": self.events,
        }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--schemes", default=",".join(SCHEMES))
    args = ap.parse_args(argv)
    schemes = args.schemes.split(",")
    if args.reps < 1 or any(s not in SCHEMES for s in schemes):
        ap.error("--reps >= 1; --schemes from " + ",".join(SCHEMES))
    t0, cpu0 = time.perf_counter(), time.process_time()
    cal, region = Calendar(TARGET_YEAR), Region()
    slot_doctor = region.place(PATIENTS)
    covered_months = 12.0 * slot_doctor.size
    totals, results, n_events = {}, {s: [] for s in schemes}, 0
    for stream in np.random.SeedSequence(args.seed).spawn(args.reps):
        events, absent, counts = draw_year(np.random.default_rng(stream), cal, slot_doctor, region.n_doctors)
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
        for s in schemes:
            results[s].append(SchemeRun(s, region, cal, absent).run(events, covered_months))
            n_events += results[s][-1]["events"]
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print("oncall_simpy: year %d, %d patients (%d covered), %d doctors, %d schemes, %d replications"
          % (TARGET_YEAR, PATIENTS, slot_doctor.size, region.n_doctors, len(schemes), args.reps))
    print("per replication: " + " ".join("%s=%.1f" % (k, v / args.reps) for k, v in totals.items()))
    for s in schemes:
        mean = {k: np.mean([r[k] for r in results[s]], axis=0) for k in results[s][0]}
        print("scheme %s: continuity=%.4f escalations_per_1000_patient_months=%.3f response_mean=%.2f "
              "duty_nights_mean=%.2f disturbed_nights_mean=%.2f ooh_hours_mean=%.2f"
              % (s, mean["continuity"], mean["escalations_per_1000_patient_months"], mean["response_mean"],
                 mean["duty_nights"][0], mean["disturbed_nights"][0], mean["ooh_hours"][0]))
    print("peer-oncall replications=%d events=%d seconds=%.4f events_per_s=%.0f cpu_seconds=%.4f"
          % (args.reps, n_events, seconds, n_events / seconds, cpu))
    return 0


if __name__ == "__main__":
    sys.exit(main())
