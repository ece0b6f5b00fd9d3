#!/usr/bin/python3
"""Kashiwa's population and health-care demand, N Monte Carlo replications, in plain NumPy.

The benchmark's peer for `carecast run scenarios/kashiwa.ini`: the program a health-services
researcher fluent in NumPy would write instead of using carecast, doing the same work on the
same inputs. It reads the scenario file (INI) and the project's own tables in
scenarios/data/, and writes its results (every replication, quantiles, means, by-age moments)
to an HDF5 file (h5py, deflate level 1 like carecast's) when --out is given.

Model (the same as carecast's, written independently; see README.md, "Model"):
  time
    * year points ("year Y") on the reference date ([simulation] reference_date, MM-DD) of Y; the
      base population is counted on [simulation] base_date, and the first point (base_year) is
      reached by a first step of first_step years (decimal years: year + (day of year - 1) / days
      in the year; 0 when the base date is the first point, which then is the base population);
      every later step is a year. Stocks at index y: point y; flows: the step that ends there;
    * a step's rates are those of the calendar years it overlaps, weighted by the overlap;
  set-up, once
    * base population: 5-year groups split into single years by a monotone cubic (Steffen's
      slopes, as carecast's spline) through the cumulative counts, rounded to whole persons
      within each group (largest remainder);
    * base mortality m(x) from the life table's l(x), the rates of [population] mortality_year
      (default the base date's year), its rates at 95-99 and 100+ replaced by Kannisto's
      logistic hazard fitted to 85-99 ([mortality] oldest_old = kannisto): 95-99 its central
      rates, 100+ l(100)/T(100); Lee-Carter fit of the death rates by 5-year group and year,
      excluded years left out: Poisson maximum likelihood (deaths = rate x exposure) when
      [mortality] history_exposures is given, else the SVD of the log rates; from
      carry_b_from_age, a b more than 2 standard errors below 0 takes the b of the group below;
      b(x) spread to single ages; the drift chosen by bisection so that life expectancy at
      birth meets the target in the target year on the median path (k = drift (target year -
      mortality_year)); the volatility is the fit's;
    * a Rogers-Castro net-migration age schedule with its peak at [migration] peak_age; its
      level, per period between the calibration years (each period's steps ending on its target
      point), found by the secant method so that the deterministic projection meets the official
      totals;
  per replication (all replications at once, as arrays [replication, sex, age])
    * parameters: the period index of calendar year c, k(c) = drift (c - mortality_year) + sigma
      W(c), W a random walk from mortality_year (one normal shock a year for both sexes), the
      long-run TFR ~ N(long_run_tfr, tfr_sd) (TFR(c) linear from the base TFR in base_year to it
      in long_run_year), a random walk R of the net migration rate (a normal step of
      persistent_sd sqrt(h) per step of h years), a lognormal rate multiplier (mean 1, CV
      rate_cv) and a trend ~ N(trend, trend_sd) for each demand setting; the visits per
      home-care patient-month and the dental share, each triangular (mode, min, max);
    * each whole-year step: survivors ~ Binomial(persons, L(x+1)/L(x)) of the step's life table;
      births ~ Poisson(ASFR x mean of women at start and end of the step), boys ~ Binomial(births,
      r/(1+r)), survival to age 0 ~ Binomial(births, L(0));
    * a step of h < 1 years: survivors ~ Binomial(persons, s(x)^h), s the whole-year survival, of them Binomial(S, h)
      one age up, the rest stay; births ~ Poisson(h x ASFR x mean of women), all at age 0,
      surviving with exp(-m(0) h / 2);
    * net migrants (every step) = h x (schedule x level x max(0, 1 + noise_sd z) + R x persons at the
      step's start x schedule share (without a level: the population's own shares)), rounded to
      whole persons without bias, never more out than present;
    * demand on each point: expected = sum over ages of persons x rate x trend factor x
      multiplier, by sex and age band (0-64, 65-74, 75-84, 85+); the trend factor prod_{t<T}
      (1 + trend x damping^t), T = year - rates_year, for inpatients and outpatients,
      (1 + uptake)^T for home care, which is also scaled by 2.4 / visits x (1 - dental share) /
      0.6; a share of
      inpatients moved into home care from the shift year; the day's count ~ Poisson(expected);
      urgent calls ~ Poisson(enrolled x calls per patient-month), urgent visits ~ Binomial(calls,
      urgent_visit_share); beds needed = inpatients / occupancy.
  summaries: quantiles (5, 25, 50, 75, 95%) and means over replications of every series,
  by-age means and standard deviations, peak years of expected inpatients and outpatients.

Unlike carecast, replications share one random generator (vectorised over replications), so a
replication cannot be re-run alone; results agree with carecast's in distribution, not draw
for draw.

Usage: /usr/bin/python3 scripts/peers/population_demand_numpy.py [SCENARIO] [--reps N]
       [--seed S] [--out FILE.h5] [--quiet]
Prints medians on stdout and one figures line on stderr:
  peer-population-demand reps=... seconds=... reps_per_s=...
"""
import argparse
import configparser
import csv
import datetime
import os
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
N_AGES = 101                      # single years 0..99 and the open group 100+
OPEN = N_AGES - 1
SEXES = ("male", "female")
SETTINGS = ("inpatient", "outpatient", "home_care")
TREND_KEYS = ("inpatient_trend", "outpatient_trend", "home_care_uptake_growth")
BANDS = ((0, 65), (65, 75), (75, 85), (85, N_AGES))       # [lo, hi) single ages
BAND_NAMES = ("0-64", "65-74", "75-84", "85+", "total")
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
DEMAND_SERIES = ("inpatient", "outpatient", "home_care", "urgent_calls", "beds_needed", "urgent_visits")
TABLE_VISITS, TABLE_DENTAL_SHARE = 2.4, 0.40   # what the home-care table is built with


# -- inputs ---------------------------------------------------------------------------------------

def read_scenario(path):
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",), comment_prefixes=(";", "#"),
                                       interpolation=None)
    with open(path, encoding="utf-8-sig") as f:
        parser.read_string(f.read())
    folder = os.path.dirname(os.path.abspath(path))

    def get(section, key, default=None, kind=float):
        value = parser.get(section, key, fallback=None)
        if value is None or value.strip() == "":
            if default is None:
                sys.exit("%s: [%s] %s is required by this program" % (path, section, key))
            return default
        return kind(value)

    def table(section, key):
        return os.path.join(folder, get(section, key, kind=str))

    month, day = (int(v) for v in get("simulation", "reference_date", "10-01", str).split("-"))
    base_year = get("simulation", "base_year", 0, int)
    base_date = get("simulation", "base_date", "", str)
    if base_date:
        base = datetime.date(*(int(v) for v in base_date.split("-")))
        first_year = base.year + ((base.month, base.day) > (month, day))
        if base_year and base_year != first_year:
            sys.exit("%s: [simulation] base_year %d disagrees with base_date %s" % (path, base_year, base_date))
        base_year = first_year
    elif base_year:
        base = datetime.date(base_year, month, day)
    else:
        sys.exit("%s: [simulation] base_date or base_year is required by this program" % path)
    base_time = decimal_year(base)
    first_step = decimal_year(datetime.date(base_year, month, day)) - base_time
    return {
        "base_year": base_year,
        "base_date": base.isoformat(),
        "base_time": base_time,
        "first_step": first_step if first_step > 1e-9 else 0.0,
        "end_year": get("simulation", "end_year", kind=int),
        "mortality_year": get("population", "mortality_year", 0, int) or base.year,
        "population": table("population", "base_population"),
        "mortality": table("population", "mortality"),
        "fertility": table("population", "fertility"),
        "sex_ratio": get("population", "sex_ratio_at_birth", 1.05),
        "history": table("mortality", "history"),
        "exposures": table("mortality", "history_exposures") if get("mortality", "history_exposures", "", str) else None,
        "carry_b_from_age": get("mortality", "carry_b_from_age", 95, int),
        "oldest_old": get("mortality", "oldest_old", "kannisto", str),
        "exclude_years": [int(y) for y in get("mortality", "exclude_years", "", str).split(",") if y.strip()],
        "target_year": get("mortality", "target_year", kind=int),
        "target_e0": (get("mortality", "target_e0_male"), get("mortality", "target_e0_female")),
        "long_run_tfr": get("fertility", "long_run_tfr"),
        "long_run_year": get("fertility", "long_run_year", kind=int),
        "tfr_sd": get("fertility", "tfr_sd"),
        "peak_age": get("migration", "peak_age"),
        "male_share": get("migration", "male_share", 0.5),
        "totals": table("migration", "calibrate_to"),
        "migration_sd": get("migration", "noise_sd"),
        "persistent_sd": get("migration", "persistent_sd", 0.00089),
        "rate_tables": [table("demand", key) for key in ("inpatient_rates", "outpatient_rates", "home_care_rates")],
        "rates_year": get("demand", "rates_year", kind=int),
        "trend": np.array([get("demand", key) for key in TREND_KEYS]),
        "trend_sd": get("demand", "trend_sd"),
        "rate_cv": get("demand", "rate_cv"),
        "occupancy": get("demand", "occupancy"),
        "shift_share": get("demand", "inpatient_shift_share", 0.0),
        "shift_year": get("demand", "inpatient_shift_year", 9999, int),
        "calls_per_month": get("demand", "urgent_calls_per_patient_month"),
        "damping": get("demand", "trend_damping", 0.9),
        "visits": [get("demand", "visits_per_patient_month" + suffix, default)
                   for suffix, default in (("", 2.4), ("_min", 1.9), ("_max", 2.5))],
        "dental": [get("demand", "dental_share" + suffix, default)
                   for suffix, default in (("", 0.40), ("_min", 0.30), ("_max", 0.55))],
        "visit_share": get("coverage", "urgent_visit_share", 0.6),
    }


def decimal_year(date):
    """year + (day of year - 1) / days in the year."""
    days = (datetime.date(date.year + 1, 1, 1) - datetime.date(date.year, 1, 1)).days
    return date.year + (date.timetuple().tm_yday - 1) / days


def steps(sc):
    """Start (decimal year) and length (years) of each step, the step y ending on point y."""
    n = sc["end_year"] - sc["base_year"] + 1
    first_point = sc["base_time"] + sc["first_step"]
    start = np.concatenate(([sc["base_time"]], first_point + np.arange(n - 1)))
    length = np.concatenate(([sc["first_step"]], np.ones(n - 1)))
    return start, length


def calendar_weights(start, length):
    """The calendar years the steps overlap and each step's share in each: (years, [step, year])
    (an empty step: all of its own year)."""
    first = int(np.floor(start[0]))
    last = max(first, int(np.ceil(start[-1] + length[-1])) - 1)
    years = np.arange(first, last + 1)
    lo, hi = np.maximum(start[:, None], years[None, :]), np.minimum((start + length)[:, None], years[None, :] + 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(length[:, None] > 0, np.maximum(hi - lo, 0.0) / length[:, None], 0.0)
    empty = length <= 0
    w[empty, np.floor(start[empty]).astype(int) - first] = 1.0
    return years, w / w.sum(axis=1, keepdims=True)


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def groups(path, value):
    """{sex: [(lo, hi_exclusive, value)]} of a sex,age_lo,age_hi,<value> table (open group: hi 101)."""
    out = {sex: [] for sex in SEXES}
    for r in rows(path):
        hi = int(r["age_hi"]) + 1 if r["age_hi"].strip() else N_AGES
        out[r["sex"]].append((int(r["age_lo"]), min(hi, N_AGES), float(r[value])))
    return out


def steffen(x, y, at):
    """Monotone cubic Hermite interpolation of y(x) at the points at, with Steffen's (1990)
    slopes: interior min(|left|, |right|, |p|/2) of the parabola's slope p through three knots
    (0 at a local extremum), each end the slope of its interval."""
    h, delta = np.diff(x), np.diff(y) / np.diff(x)
    d = np.empty_like(y)
    d[0], d[-1] = delta[0], delta[-1]
    p = (delta[:-1] * h[1:] + delta[1:] * h[:-1]) / (h[:-1] + h[1:])
    d[1:-1] = (np.sign(delta[:-1]) + np.sign(delta[1:])) * np.minimum(
        np.minimum(np.abs(delta[:-1]), np.abs(delta[1:])), 0.5 * np.abs(p))
    k = np.clip(np.searchsorted(x, at, side="right") - 1, 0, len(h) - 1)
    t = (at - x[k]) / h[k]
    return ((2 * t ** 3 - 3 * t ** 2 + 1) * y[k] + (t ** 3 - 2 * t ** 2 + t) * h[k] * d[k]
            + (-2 * t ** 3 + 3 * t ** 2) * y[k + 1] + (t ** 3 - t ** 2) * h[k] * d[k + 1])


def base_population(path):
    """Persons [sex, age]: closed groups split by a Steffen spline through the cumulative count, whole persons
    by largest remainder within each group (the spline also passes a knot 5 years past 100 that holds the
    open group, so its slope at 100 follows the density into it); the open group (100+) as given."""
    pop = np.zeros((2, N_AGES))
    for s, sex in enumerate(SEXES):
        closed = sorted(g for g in groups(path, "population")[sex] if g[1] <= OPEN)
        pop[s, OPEN] = sum(v for lo, hi, v in groups(path, "population")[sex] if hi > OPEN)
        edges = np.array([closed[0][0]] + [hi for lo, hi, v in closed], float)
        cumulative = np.concatenate(([0.0], np.cumsum([v for lo, hi, v in closed])))
        if pop[s, OPEN] > 0:  # the open group as if it spanned 5 more years: a knot beyond the last
            edges = np.append(edges, edges[-1] + 5)
            cumulative = np.append(cumulative, cumulative[-1] + pop[s, OPEN])
        ages = np.arange(int(edges[0]), OPEN + 1, dtype=float)
        single = np.maximum(np.diff(steffen(edges, cumulative, ages)), 0.0)
        for lo, hi, v in closed:
            share = single[lo:hi] * v / single[lo:hi].sum()
            whole = np.floor(share)
            short = int(round(v - whole.sum()))
            whole[np.argsort(-(share - whole), kind="stable")[:short]] += 1
            pop[s, lo:hi] = whole
    return pop


def base_mortality(path):
    """Central death rates m[sex, age] from single-year l(x); 100+: l(100) / T(100)."""
    m = np.zeros((2, N_AGES))
    for s, sex in enumerate(SEXES):
        lx = np.array([float(r["lx"]) for r in rows(path) if r["sex"] == sex])
        m[s, :OPEN] = (lx[:OPEN] - lx[1:OPEN + 1]) / (0.5 * (lx[:OPEN] + lx[1:OPEN + 1]))
        person_years = 0.5 * (lx[OPEN:] + np.append(lx[OPEN + 1:], 0.0))
        m[s, OPEN] = lx[OPEN] / person_years.sum()
    return m


def life_table(m):
    """Period life table of rates m[..., age]: (l, L), both [..., age]."""
    q = np.minimum(1.0, 2 * m[..., :OPEN] / (2 + m[..., :OPEN]))
    l = np.concatenate((np.ones(m.shape[:-1] + (1,)), np.cumprod(1 - q, axis=-1)), axis=-1)
    L = np.empty_like(l)
    L[..., :OPEN] = 0.5 * (l[..., :OPEN] + l[..., 1:])
    L[..., OPEN] = l[..., OPEN] / m[..., OPEN]
    return l, L


def e0(m):
    l, L = life_table(m)
    return L.sum(axis=-1)


def kannisto(m):
    """m[85..99] (single ages) -> (a, b) of mu(x) = a e^{b(x-80)} / (1 + a e^{b(x-80)}): least
    squares on the logit of the model's own central rates of each year of age (a fixed point
    around the straight-line fit of logit m at x + 1/2)."""
    ages = np.arange(85, 100)
    target = np.log(m[ages] / (1 - m[ages]))
    y, (a, b) = target.copy(), (0.0, 0.0)
    for _ in range(100):
        slope, intercept = np.polyfit(ages + 0.5 - 80, y, 1)
        new = (np.exp(intercept), slope)
        if abs(new[0] - a) / new[0] + abs(new[1] - b) / new[1] < 1e-13:
            break
        a, b = new
        central = np.array([kannisto_central(a, b, x, x + 1) for x in ages])
        hazard = kannisto_hazard(a, b, ages + 0.5)
        y = target + np.log(hazard / (1 - hazard)) - np.log(central / (1 - central))
    return new


def kannisto_hazard(a, b, x):
    return 1 / (1 + np.exp(-(np.log(a) + b * (np.asarray(x) - 80))))


def kannisto_survival(a, b, x0, x):
    return np.exp(-(np.logaddexp(0, np.log(a) + b * (np.asarray(x) - 80)) - np.logaddexp(0, np.log(a) + b * (x0 - 80))) / b)


def kannisto_person_years(a, b, x0, x1):
    x = np.linspace(x0, x1, int(round((x1 - x0) * 64)) + 1)
    return np.trapz(kannisto_survival(a, b, x0, x), x)


def kannisto_central(a, b, x0, x1):
    return (1 - kannisto_survival(a, b, x0, x1)) / kannisto_person_years(a, b, x0, x1)


def oldest_old(m):
    """m[sex, age] with 95-99 and 100+ from the Kannisto fit to 85-99."""
    m = m.copy()
    for s in range(2):
        a, b = kannisto(m[s])
        for x in range(95, OPEN):
            m[s, x] = kannisto_central(a, b, x, x + 1)
        m[s, OPEN] = 1 / kannisto_person_years(a, b, OPEN, 200)
    return m


def lee_carter(path, exclude, exposures_path=None, carry_from=95):
    """Per sex: b(x) for single ages, drift and volatility of k(t)."""
    table = [r for r in rows(path) if int(r["year"]) not in exclude]
    years = sorted({int(r["year"]) for r in table})
    exposure_rows = rows(exposures_path) if exposures_path else []
    fits = []
    for sex in SEXES:
        grouped = sorted({(int(r["age_lo"]), r["age_hi"]) for r in table if r["sex"] == sex})
        index = {g: i for i, g in enumerate(grouped)}
        log_m = np.empty((len(grouped), len(years)))
        for r in table:
            if r["sex"] == sex:
                log_m[index[(int(r["age_lo"]), r["age_hi"])], years.index(int(r["year"]))] = \
                    np.log(float(r["death_rate_per_100k"]) / 1e5)
        a = log_m.mean(axis=1)
        u, s, vt = np.linalg.svd(log_m - a[:, None], full_matrices=False)
        b, k = u[:, 0] / u[:, 0].sum(), s[0] * vt[0] * u[:, 0].sum()
        se = None
        if exposures_path:                   # Poisson: one Newton step on a, k, b in turn
            E = np.empty_like(log_m)
            for r in exposure_rows:
                if r["sex"] == sex and int(r["year"]) in years:
                    E[index[(int(r["age_lo"]), r["age_hi"])], years.index(int(r["year"]))] = float(r["population"])
            D = np.exp(log_m) * E
            previous = np.inf
            for _ in range(10000):
                hat = lambda: E * np.exp(a[:, None] + b[:, None] * k[None, :])  # noqa: E731
                h = hat()
                a = a + (D - h).sum(1) / h.sum(1)
                h = hat()
                k = k + ((D - h) * b[:, None]).sum(0) / (h * b[:, None] ** 2).sum(0)
                h = hat()
                b = b + ((D - h) * k[None, :]).sum(1) / (h * k[None, :] ** 2).sum(1)
                kbar = k.mean()
                a, k = a + b * kbar, k - kbar
                k, b = k * b.sum(), b / b.sum()
                h = hat()
                dev = 2 * np.sum(D * np.log(D / h) - (D - h))
                if abs(previous - dev) <= 1e-10 * dev + 1e-9:
                    break
                previous = dev
            se = 1 / np.sqrt((hat() * k[None, :] ** 2).sum(1))
        else:                                # SVD: residual standard error of each group's b
            resid = log_m - a[:, None] - b[:, None] * k[None, :]
            se = np.sqrt((resid ** 2).sum(1) / (len(years) - 2) / (k ** 2).sum())
        used = b.copy()
        for g, (lo, hi) in enumerate(grouped):
            if carry_from > 0 and g > 0 and lo >= carry_from and b[g] < -2 * se[g]:
                used[g] = used[g - 1]
        gaps = np.diff(years)
        drift = (k[-1] - k[0]) / (years[-1] - years[0])
        sigma = np.sqrt(np.sum((np.diff(k) - drift * gaps) ** 2 / gaps) / (len(years) - 2))
        b_single = np.zeros(N_AGES)
        for (lo, hi), value in zip(grouped, used):
            b_single[lo:(int(hi) + 1 if hi.strip() else N_AGES)] = value
        fits.append((b_single, drift, sigma))
    return fits


def migration_profile(peak_age, male_share):
    """Rogers-Castro schedule (childhood, labour peak at peak_age, constant), summing to 1 per
    unit level, split by sex: [sex, age]."""
    x = np.arange(N_AGES) + 0.5
    alpha1, alpha2, lambda2 = 0.1, 0.1, 0.4
    mu2 = peak_age - np.log(lambda2 / alpha2) / lambda2
    labour = np.exp(-alpha2 * (x - mu2) - np.exp(-lambda2 * (x - mu2)))
    labour /= np.exp(-alpha2 * (peak_age - mu2) - np.exp(-lambda2 * (peak_age - mu2)))
    profile = np.exp(-alpha1 * x) / 3 + labour + 1 / 20
    profile /= profile.sum()
    return np.stack((male_share * profile, (1 - male_share) * profile))


def rate_table(path):
    """Rates per person [sex, age] from a table per 100,000 by age group."""
    rate = np.zeros((2, N_AGES))
    for s, sex in enumerate(SEXES):
        for lo, hi, v in groups(path, "rate_per_100k")[sex]:
            rate[s, lo:hi] = v / 1e5
    return rate


def setup(sc):
    """Everything fixed for the run: the fitted and calibrated model."""
    model = {"pop": base_population(sc["population"]), "m": base_mortality(sc["mortality"])}
    if sc["oldest_old"] == "kannisto":
        model["m"] = oldest_old(model["m"])
    fert = rows(sc["fertility"])
    model["fert_ages"] = np.array([int(r["age"]) for r in fert])
    asfr = np.array([float(r["asfr"]) for r in fert])
    model["base_tfr"], model["fert_shape"] = asfr.sum(), asfr / asfr.sum()
    model["lc"] = lee_carter(sc["history"], sc["exclude_years"], sc["exposures"], sc["carry_b_from_age"])
    span = sc["target_year"] - sc["mortality_year"]
    model["drift"] = np.empty(2)
    for s in range(2):                       # bisection: e0 falls as k rises
        b, lo, hi = model["lc"][s][0], -100.0 / span, 100.0 / span
        while hi - lo > 1e-12:
            mid = 0.5 * (lo + hi)
            if e0(model["m"][s] * np.exp(b * mid * span)) > sc["target_e0"][s]:
                lo = mid
            else:
                hi = mid
        model["drift"][s] = 0.5 * (lo + hi)
    model["b"] = np.stack([fit[0] for fit in model["lc"]])
    model["sigma"] = np.array([fit[2] for fit in model["lc"]])
    model["profile"] = migration_profile(sc["peak_age"], sc["male_share"])
    model["rates"] = np.stack([rate_table(path) for path in sc["rate_tables"]])   # [setting, sex, age]
    n_years = sc["end_year"] - sc["base_year"] + 1
    model["level"] = np.zeros(n_years)
    targets = [(int(r["year"]), float(r["total_population"])) for r in rows(sc["totals"])]
    start = 0
    for year, total in targets:
        if not sc["base_year"] < year <= sc["end_year"]:
            continue

        def miss(level):
            model["level"][start:] = level
            return project(sc, model, None, 1)["stock_total"][0, year - sc["base_year"]] - total
        l0, l1 = model["level"][start], model["level"][start] + 1000.0
        f0 = miss(l0)
        for _ in range(20):
            if abs(f0) < 0.01:
                break
            f1 = miss(l1)
            l0, f0, l1 = l1, f1, l1 - f1 * (l1 - l0) / (f1 - f0)
        model["level"][start:] = l0
        start = year - sc["base_year"] + 1   # the next period's steps start after the target's point
    return model


# -- the projection -------------------------------------------------------------------------------

def project(sc, model, rng, reps):
    """reps replications at once; rng None gives the deterministic (expected-value) path."""
    expected = rng is None
    years = np.arange(sc["base_year"], sc["end_year"] + 1)
    n = len(years)
    start, length = steps(sc)
    calendar, weights = calendar_weights(start, length)                               # [step, calendar year]
    normal = (lambda *shape: np.zeros(shape)) if expected else (lambda *shape: rng.standard_normal(shape))

    # parameters of each replication
    walk_years = np.arange(sc["mortality_year"] + 1, calendar[-1] + 1)                # the walk's shocks
    walk = np.cumsum(normal(reps, len(walk_years)), axis=1)
    noise = np.zeros((reps, len(calendar)))
    after = calendar > sc["mortality_year"]
    noise[:, after] = walk[:, calendar[after] - sc["mortality_year"] - 1]
    k = (model["drift"] * (calendar - sc["mortality_year"])[:, None])[None] + noise[..., None] * model["sigma"]
    k = np.ascontiguousarray(k.transpose(1, 0, 2))                                     # [year, rep, sex]
    m_calendar = model["m"] * np.exp(model["b"] * k[..., None])                       # [year, rep, sex, age]
    long_run = np.maximum(0.0, sc["long_run_tfr"] + sc["tfr_sd"] * normal(reps))
    progress = np.clip((calendar - sc["base_year"]) / (sc["long_run_year"] - sc["base_year"]), 0.0, 1.0)
    tfr_calendar = model["base_tfr"] + (long_run[:, None] - model["base_tfr"]) * progress
    tfr_calendar[long_run <= 0] = model["base_tfr"]
    tfr = tfr_calendar @ weights.T                                                    # [rep, step]
    sigma_log = np.sqrt(np.log(1 + sc["rate_cv"] ** 2))
    multiplier = np.ones((reps, 3)) if expected else np.exp(sigma_log * normal(reps, 3) - 0.5 * sigma_log ** 2)
    trend = sc["trend"] + sc["trend_sd"] * normal(reps, 3)

    def triangular(mode_lo_hi):
        mode, lo, hi = mode_lo_hi
        return np.full(reps, mode) if expected or hi <= lo else rng.triangular(lo, mode, hi, reps)
    visits, dental = triangular(sc["visits"]), triangular(sc["dental"])
    enrolment = TABLE_VISITS / visits * (1 - dental) / (1 - TABLE_DENTAL_SHARE)
    damping = np.array([sc["damping"], sc["damping"], 1.0])
    migration_factor = np.maximum(0.0, 1 + sc["migration_sd"] * normal(reps, n))  # scales, never reverses
    persistent = np.cumsum(sc["persistent_sd"] * np.sqrt(length) * normal(reps, n), axis=1)   # [rep, step]
    p_boy = sc["sex_ratio"] / (1 + sc["sex_ratio"])
    band_rates = np.zeros((2, N_AGES, len(BANDS), 3))    # rates [sex, age, band, setting], 0 outside the band
    for b, (lo, hi) in enumerate(BANDS):
        band_rates[:, lo:hi, b] = model["rates"].transpose(1, 2, 0)[:, lo:hi]
    band_rates = band_rates.reshape(2, N_AGES, -1)

    def binomial(count, p):
        return count * p if expected else rng.binomial(count.astype(np.int64), p).astype(float)

    def poisson(mean):
        return mean if expected else rng.poisson(mean).astype(float)

    pop = np.broadcast_to(model["pop"], (reps, 2, N_AGES)).copy()
    out = {"stock": np.empty((reps, n, 2, N_AGES)) if expected else None,
           "stock_total": np.empty((reps, n)),
           "by_age_mean": np.empty((n, 3, N_AGES)), "by_age_sd": np.empty((n, 3, N_AGES))}
    for name in ("total", "age65plus", "age75plus", "age85plus", "births", "deaths", "net_migration",
                 "life_expectancy_0", "life_expectancy_65"):
        out[name] = np.empty((reps, n, 3))
    for name in DEMAND_SERIES:
        out[name] = np.empty((reps, n, 3, 5))
    out["expected_inpatient"], out["expected_outpatient"] = np.empty((reps, n)), np.empty((reps, n))
    women_ages = model["fert_ages"]
    for y, year in enumerate(years):
        # the step's rates (its calendar years' by overlap) and their life table
        overlap = np.flatnonzero(weights[y])                                             # one or two years
        m = np.tensordot(weights[y, overlap], m_calendar[overlap], axes=1)                 # [rep, sex, age]
        l, L = life_table(m)
        e_0 = L.sum(axis=-1)
        e_65 = L[..., 65:].sum(axis=-1) / l[..., 65]
        weight65 = np.array([sc["sex_ratio"], 1.0]) * l[..., 65]
        out["life_expectancy_0"][:, y, :2] = e_0
        out["life_expectancy_0"][:, y, 2] = (sc["sex_ratio"] * e_0[:, 0] + e_0[:, 1]) / (sc["sex_ratio"] + 1)
        out["life_expectancy_65"][:, y, :2] = e_65
        out["life_expectancy_65"][:, y, 2] = (weight65 * e_65).sum(axis=1) / weight65.sum(axis=1)

        # the step that ends on point y: deaths, births, migration
        h = length[y]
        if h <= 0:   # the base date is the first point: no flows
            nxt = pop.copy()
            newborn = deaths = np.zeros((reps, 2))
            flow = np.zeros_like(pop)
        else:
            survival = np.empty_like(m)
            survival[..., :OPEN - 1] = L[..., 1:OPEN] / L[..., :OPEN - 1]
            m_open = m[..., OPEN]
            survival[..., OPEN - 1] = l[..., OPEN] * (1 - np.exp(-m_open)) / m_open / L[..., OPEN - 1]
            survival[..., OPEN] = np.exp(-m_open)
            if h < 1:   # the year's survival to the power h; a share h of the survivors age a year
                alive = binomial(pop, survival ** h)
                up = binomial(alive[..., :OPEN], h)
                nxt = alive.copy()
                nxt[..., :OPEN] -= up
                nxt[..., 1:] += up
                born_alive = np.exp(-m[..., 0] * h / 2)
            else:
                alive = binomial(pop, survival)
                nxt = np.zeros_like(pop)
                nxt[..., 1:] = alive[..., :OPEN]
                nxt[..., OPEN] += alive[..., OPEN]
                born_alive = L[..., 0]
            deaths = (pop - alive).sum(axis=2)
            women = 0.5 * (pop[:, 1, women_ages] + nxt[:, 1, women_ages])
            births = poisson(h * (women * model["fert_shape"]).sum(axis=1) * tfr[:, y])
            boys = binomial(births, p_boy)
            newborn = np.stack((boys, births - boys), axis=1)
            survivors = binomial(newborn, born_alive)
            nxt[..., 0] += survivors
            deaths = deaths + newborn - survivors
            # the level's flow and the persistent component (rate x persons at the step's start),
            # spread by the schedule (without a level: by the population's own structure)
            schedule = model["level"][y] * model["profile"]
            persons = pop.sum(axis=(1, 2))
            if np.abs(schedule).sum() > 0:
                share = np.abs(schedule) / np.abs(schedule).sum()
            else:
                share = pop / np.where(persons > 0, persons, 1.0)[:, None, None]
            flow = h * (schedule * migration_factor[:, y, None, None]
                        + (persistent[:, y] * persons)[:, None, None] * share)
            if not expected:
                flow = np.floor(flow) + (rng.random(flow.shape) < flow - np.floor(flow))
            flow = np.maximum(flow, -nxt)
            nxt += flow
        for name, value in (("births", newborn), ("deaths", deaths), ("net_migration", flow.sum(axis=2))):
            out[name][:, y, :2] = value
            out[name][:, y, 2] = value.sum(axis=1)
        pop = nxt

        # the stock on point y and its demand
        both = np.concatenate((pop, pop.sum(axis=1, keepdims=True)), axis=1)
        if expected:
            out["stock"][:, y] = pop
        out["stock_total"][:, y] = pop.sum(axis=(1, 2))
        out["by_age_mean"][y], out["by_age_sd"][y] = both.mean(axis=0), both.std(axis=0, ddof=1) if reps > 1 else 0
        for name, lo in (("total", 0), ("age65plus", 65), ("age75plus", 75), ("age85plus", 85)):
            out[name][:, y] = both[:, :, lo:].sum(axis=2)
        t = year - sc["rates_year"]
        if t >= 0:
            growth = np.prod([1 + trend * damping ** i for i in range(t)], axis=0) if t else np.ones_like(trend)
        else:
            growth = (1 + trend) ** t
        growth = growth * multiplier                                                    # [rep, setting]
        growth[:, 2] *= enrolment
        mean = np.stack([pop[:, s] @ band_rates[s] for s in range(2)], axis=1)          # [rep, sex, band x setting]
        mean = mean.reshape(reps, 2, len(BANDS), 3) * growth[:, None, None, :]          # [rep, sex, band, setting]
        moved = mean[..., 0] * (sc["shift_share"] if year >= sc["shift_year"] else 0.0)
        inpatients, home_mean = mean[..., 0] - moved, mean[..., 2] + moved
        enrolled = poisson(home_mean)
        calls = poisson(enrolled * sc["calls_per_month"])
        inpatient_count = poisson(inpatients)
        counts = (inpatient_count, poisson(mean[..., 1]), enrolled, calls, inpatient_count / sc["occupancy"],
                  binomial(calls, sc["visit_share"]))
        for name, c in zip(DEMAND_SERIES, counts):
            cell = out[name][:, y]
            cell[:, :2, :4] = c
            cell[:, 2, :4] = c.sum(axis=1)
            cell[:, :, 4] = cell[:, :, :4].sum(axis=2)
        out["expected_inpatient"][:, y] = inpatients.sum(axis=(1, 2))
        out["expected_outpatient"][:, y] = mean[..., 1].sum(axis=(1, 2))
    out["years"] = years
    out["base"] = np.concatenate((model["pop"], model["pop"].sum(axis=0, keepdims=True)))
    out["rate_multiplier"], out["rate_trend"] = multiplier, trend
    return out


def summarise(out):
    """Quantiles and means over replications; peak years of expected inpatients/outpatients."""
    summary = {}
    series = ["total", "age65plus", "age75plus", "age85plus", "births", "deaths", "net_migration",
              "life_expectancy_0", "life_expectancy_65"] + list(DEMAND_SERIES)
    for name in series:
        summary[name + "/replications"] = out[name]
        summary[name + "/quantiles"] = np.quantile(out[name], QUANTILES, axis=0)
        summary[name + "/mean"] = out[name].mean(axis=0)
    for name in ("inpatient", "outpatient"):
        totals = out["expected_" + name]
        peak = out["years"][np.argmax(totals, axis=1)]
        summary[name + "/expected_total"] = totals
        summary[name + "/peak_year"] = peak
        summary[name + "/peak_year_share"] = (peak[:, None] == out["years"][None, :]).mean(axis=0)
    summary["by_age/mean"], summary["by_age/sd"] = out["by_age_mean"], out["by_age_sd"]
    summary["parameters/rate_multiplier"] = out["rate_multiplier"]
    summary["parameters/rate_trend"] = out["rate_trend"]
    summary["year"] = out["years"]
    summary["base"] = out["base"]    # [sex (male, female, total), age] on the base date
    return summary


def write(path, summary):
    """Every array as a dataset (name = its key), chunked and deflated at level 1."""
    import h5py
    with h5py.File(path, "w") as f:
        for name, data in summary.items():
            data = np.asarray(data)
            if data.ndim == 0 or data.size < 64:
                f.create_dataset(name, data=data)
            else:
                f.create_dataset(name, data=data, chunks=True, compression="gzip", compression_opts=1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default=os.path.join(ROOT, "scenarios", "kashiwa.ini"))
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20250101)
    ap.add_argument("--out", help="write every series to this HDF5 file")
    ap.add_argument("--quiet", action="store_true", help="no table on stdout")
    args = ap.parse_args(argv)
    if args.reps < 2:
        ap.error("--reps must be at least 2")

    t0 = time.perf_counter()
    sc = read_scenario(args.scenario)
    model = setup(sc)
    out = project(sc, model, np.random.default_rng(args.seed), args.reps)
    summary = summarise(out)
    if args.out:
        write(args.out, summary)
    seconds = time.perf_counter() - t0

    if not args.quiet:
        years = list(out["years"])
        print("# %s, %d replications, seed %d: medians over replications (both sexes, all ages)"
              % (os.path.basename(args.scenario), args.reps, args.seed))
        names = ("total", "age75plus", "age85plus", "inpatient", "outpatient", "home_care", "urgent_calls")
        print("year " + "".join("%12s" % n[:11] for n in names))
        for year in range(sc["base_year"], sc["end_year"] + 1, 5):
            y = years.index(year)
            cells = [summary[n + "/quantiles"][2, y, 2] if n.startswith(("total", "age"))
                     else summary[n + "/quantiles"][2, y, 2, 4] for n in names]
            print("%d " % year + "".join("%12.0f" % v for v in cells))
        print("drift (male, female): %.4f %.4f; migration levels: %s"
              % (model["drift"][0], model["drift"][1], sorted({round(v) for v in model["level"]})))
    print("peer-population-demand reps=%d seconds=%.4f reps_per_s=%.1f"
          % (args.reps, seconds, args.reps / seconds), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
