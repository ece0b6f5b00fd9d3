#!/usr/bin/python3
"""The default demand trends: the measured 2005->2023 annual change of each setting's rate.

Measures, with the demand back-test (scripts/demand_backtest.py, the same runs and arithmetic
as scripts/validate-demand.py), the constant annual change g that carries the 2005 national
rates by sex and age, on Japan's 2023 population, to the 2023 Patient Survey's all-age rate
(inpatient 945, outpatient 5,850 per 100,000: scenarios/data/patient_survey_all_ages.csv).
Forward, the change is damped toward zero year by year: the annual change in year 2023 + t is
g x d^t, with d = [demand] trend_damping (0.9, an assumption, range 0.8-1; d = 1: a constant
trend). Prints g, the forward path and where it leaves the rates.

The defaults live in two places that must agree with the measurement to 1e-4 (g rounded to
four decimals): [demand] inpatient_trend / outpatient_trend in scenarios/kashiwa.ini and the
key registry's defaults (src/scenario/keys.c).
  --check   exit 1 if either differs from the measurement (tests/test_demand_trends.py runs it)
  --write   rewrite both to the measured values (then rebuild and regenerate scenarios/README.md)
Home-care uptake growth is not measured here: it stays an assumption.
Usage: /usr/bin/python3 scripts/make-demand-trends.py [--bin build/carecast] [--check | --write]
"""
import argparse
import configparser
import os
import re
import sys

from demand_backtest import BASE_YEAR, SETTINGS, engine_rates, implied_trend, official_rates

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INI = os.path.join(ROOT, "scenarios", "kashiwa.ini")
KEYS = os.path.join(ROOT, "src", "scenario", "keys.c")
ANCHOR_YEAR = 2023          # the rates year of the tables and the last survey
DECIMALS = 4
TOLERANCE = 1e-4
KEY = {"inpatient": "inpatient_trend", "outpatient": "outpatient_trend"}
KEY_FIELD = {"inpatient": "CC_SETTING_INPATIENT", "outpatient": "CC_SETTING_OUTPATIENT"}


def measure(binary):
    """{setting: g} the 2005->2023 annual change, unrounded."""
    official = official_rates()
    engine = engine_rates(binary, [ANCHOR_YEAR])
    return {s: implied_trend(official[ANCHOR_YEAR][k], engine[ANCHOR_YEAR][k], ANCHOR_YEAR)
            for k, s in enumerate(SETTINGS)}


def read_ini():
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",), comment_prefixes=(";", "#"),
                                       interpolation=None)
    with open(INI, encoding="utf-8") as f:
        parser.read_string(f.read())
    return parser["demand"]


def key_pattern(setting):
    return re.compile(r'(AT\(demand\.trend\[%s\]\), ")([^"]*)(")' % KEY_FIELD[setting])


def read_keys():
    with open(KEYS, encoding="utf-8") as f:
        text = f.read()
    return {s: float(key_pattern(s).search(text).group(2)) for s in SETTINGS}


def damping():
    """trend_damping of kashiwa.ini, else the registry's default."""
    ini = read_ini()
    if "trend_damping" in ini:
        return float(ini["trend_damping"])
    with open(KEYS, encoding="utf-8") as f:
        return float(re.search(r'AT\(demand\.trend_damping\), "([^"]*)"', f.read()).group(1))


def forward(g, d, year):
    """Factor of the rate in `year` against 2023: prod_{t=0}^{T-1} (1 + g d^t)."""
    factor = 1.0
    for t in range(year - ANCHOR_YEAR):
        factor *= 1 + g * d ** t
    return factor


def write(measured):
    with open(INI, encoding="utf-8") as f:
        ini = f.read()
    with open(KEYS, encoding="utf-8") as f:
        keys = f.read()
    for s in SETTINGS:
        value = "%.*f" % (DECIMALS, measured[s])
        ini, n = re.subn(r"(?m)^(%s\s*=\s*)\S+" % KEY[s], lambda m: m.group(1) + value, ini)
        assert n == 1, "kashiwa.ini: one %s line expected" % KEY[s]
        keys, n = key_pattern(s).subn(lambda m: m.group(1) + value + m.group(3), keys)
        assert n == 1, "keys.c: one %s default expected" % KEY[s]
    with open(INI, "w", encoding="utf-8") as f:
        f.write(ini)
    with open(KEYS, "w", encoding="utf-8") as f:
        f.write(keys)
    print("wrote inpatient_trend / outpatient_trend into scenarios/kashiwa.ini and src/scenario/keys.c "
          "(rebuild, then regenerate scenarios/README.md: build/carecast keys --markdown)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "carecast"))
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="exit 1 if kashiwa.ini or keys.c disagree")
    group.add_argument("--write", action="store_true", help="write the measured trends into both")
    args = parser.parse_args()
    measured = measure(args.bin)
    d = damping()
    print("measured %d->%d annual change (back-test): %s" % (
        BASE_YEAR, ANCHOR_YEAR, ", ".join("%s %+.5f" % (s, g) for s, g in measured.items())))
    print("default forward trend, damped by %g a year (annual change in year %d + t = g x %g^t):" % (d, ANCHOR_YEAR, d))
    print("| setting | g (%d) | change in 2030 | change in 2040 | change in 2050 | rate 2040 / 2023 | rate 2050 / 2023 | limit / 2023 |"
          % ANCHOR_YEAR)
    print("|---|---|---|---|---|---|---|---|")
    for s, g in measured.items():
        changes = ["%+.2f%%" % (100 * g * d ** (y - ANCHOR_YEAR)) for y in (2030, 2040, 2050)]
        limit = forward(g, d, ANCHOR_YEAR + 400) if d < 1 else 0.0
        print("| %s | %+.4f | %s | %.3f | %.3f | %.3f |" % (s, round(g, DECIMALS), " | ".join(changes),
                                                            forward(g, d, 2040), forward(g, d, 2050), limit))
    if args.write:
        write(measured)
        return 0
    stored = {"scenarios/kashiwa.ini": {s: float(read_ini()[KEY[s]]) for s in SETTINGS},
              "src/scenario/keys.c": read_keys()}
    ok = True
    for where, values in stored.items():
        for s in SETTINGS:
            if abs(values[s] - measured[s]) > TOLERANCE:
                ok = False
                print("%s: %s = %g, measured %+.*f (rerun with --write)" % (where, KEY[s], values[s], DECIMALS,
                                                                            measured[s]))
    print("defaults %s the measurement" % ("agree with" if ok else "DISAGREE with"))
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
