#!/usr/bin/python3
"""make bench: carecast's speed and memory on this machine, beside what a researcher would
write instead (the peers in scripts/peers/), on the same workloads.

Measurements (each a fresh process; the programs of a group take turns, round after round, so
a burst of load on a shared machine slows all of them alike; medians of --runs rounds):
1. population + demand: `carecast run` of scenarios/kashiwa.ini without the on-call stage
   (a derived scenario with an empty [coverage] clinics), --reps replications, the results
   file written, with -j 1 and -j 2; the floor: BUILD/bench_draws (carecast's random draws
   alone); the NumPy peer scripts/peers/population_demand_numpy.py (the same model and
   tables, its results written). Unit: replications/s.
2. on-call: BUILD/bench_coverage (the coverage engine alone, one thread: Kashiwa's clinics,
   ONCALL_YEAR, ONCALL_PATIENTS patients, every scheme, --oncall-reps replications) and the
   SimPy peer scripts/peers/oncall_simpy.py (the same constants, --peer-reps replications).
   Unit: events/s, an event being a scheduled visit, urgent call, death at home or absence
   spell processed by one scheme. CPU seconds are kept beside the wall time.
3. 2 threads over 1: the whole `carecast run scenarios/kashiwa.ini` (every stage, its own
   replications) with -j 1 and -j 2.
4. peak memory (max RSS of the process) of `carecast run scenarios/kashiwa.ini -j 2` at
   1,000 and 10,000 replications, once each.
Both pairs of programs are checked to do the same work (medians of four series; the on-call
events per replication of each kind and each scheme's continuity), or the benchmark fails.
The table is printed and written with the machine, the date, the commit and the exact
commands to results/bench.json (--json).
Usage: scripts/bench.py [--bin build/carecast] [--runs 5] [--reps 2000] [--oncall-reps 50]
                        [--peer-reps 1] [--memory-reps 1000,10000] [--json results/bench.json]
       scripts/bench.py --quick   (every step on tiny workloads, one round: checks the plumbing)
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "scripts", "peers")
PYTHON = "/usr/bin/python3"   # Debian's, which sees python3-numpy, python3-h5py and python3-simpy3
KASHIWA = os.path.join(ROOT, "scenarios", "kashiwa.ini")
# The on-call workload; scripts/peers/oncall_simpy.py states the same at its top.
ONCALL_YEAR, ONCALL_PATIENTS = 2030, 3600
ONCALL_KINDS = ("scheduled_visits", "urgent_calls", "home_deaths", "absence_spells")


class BenchError(Exception):
    pass


def run_once(cmd, what):
    """Run cmd: (wall seconds, stdout). A failure is a BenchError naming what failed and why."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as e:
        raise BenchError("%s cannot run: %s: %s" % (what, cmd[0], e.strerror))
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise BenchError("%s failed (exit %d): %s\n%s" % (what, proc.returncode, " ".join(cmd), tail))
    return seconds, proc.stdout


def peak_memory(cmd, what):
    """Max RSS (MB) of one run of cmd, from wait4's resource usage of that process alone (not
    getrusage(RUSAGE_CHILDREN), the largest of every child so far)."""
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as e:
        raise BenchError("%s cannot run: %s: %s" % (what, cmd[0], e.strerror))
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0:
        raise BenchError("%s failed (exit %d): %s\n%s" % (what, proc.returncode, " ".join(cmd), err[-500:]))
    return usage.ru_maxrss / 1024.0   # Linux: KB


FIGURES = re.compile(r"^(?:carecast|peer)-oncall (.*)$", re.M)


def parse_oncall(out):
    """The figures line and the same-work lines of bench_coverage or oncall_simpy.py."""
    m = FIGURES.search(out)
    if not m:
        raise BenchError("no figures line in the output:\n" + out[-500:])
    fig = {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
    counts = re.search(r"^per replication: (.*)$", out, re.M)
    fig["per_replication"] = {k: float(v) for k, v in (kv.split("=") for kv in counts.group(1).split())}
    fig["continuity"] = {s: float(c) for s, c in re.findall(r"^scheme (\w+): continuity=([0-9.]+)", out, re.M)}
    return fig


def rounds(jobs, runs):
    """Run every job once per round, `runs` rounds; {label: [results]}."""
    results = {label: [] for label, _ in jobs}
    for _ in range(runs):
        for label, cmd in jobs:
            results[label].append(run_once(cmd, label))
    return results


def population_medians(carecast_file, peer_file):
    """[(label, carecast median, peer median)] of a few series, both sexes, all ages."""
    import h5py
    rows = []
    with h5py.File(carecast_file, "r") as c, h5py.File(peer_file, "r") as p:
        years = list(c["axes/year"][()])
        for label, year, ours, theirs in (
                ("total population 2050", 2050, "population/total/quantiles", "total/quantiles"),
                ("75+ 2040", 2040, "population/age75plus/quantiles", "age75plus/quantiles"),
                ("inpatients 2040", 2040, "demand/inpatient/quantiles", "inpatient/quantiles"),
                ("home-care patients 2040", 2040, "demand/home_care/quantiles", "home_care/quantiles")):
            if year not in years:
                continue
            y = years.index(year)
            a, b = c[ours][0, 2, y, 2], p[theirs][2, y, 2]
            if a.ndim:  # demand: the all-ages band
                a, b = a[-1], b[-1]
            rows.append((label, float(a), float(b)))
    return rows


def check_population(same, reps):
    # Different random numbers: medians differ by Monte Carlo noise (well under 1% at 2,000
    # replications); a peer with another model differs by far more.
    tolerance = max(0.05, 1.0 / reps ** 0.5)
    bad = [label for label, ours, theirs in same if abs(theirs / ours - 1) > tolerance]
    if len(same) < 4 or bad:
        raise BenchError("the NumPy peer's results differ from carecast's by more than %.0f%% (%s): it does "
                         "not do the same work" % (100 * tolerance, ", ".join(bad or ["series missing"])))


def check_oncall(ours, theirs, peer_reps):
    """Same work: the peer's events of each kind per replication within 4 Poisson standard
    errors of its replications plus 1% of carecast's mean, and each scheme's continuity
    within 0.03. (A peer with another model misses by far more: halving a rate, a class
    share or a spell length does.)"""
    bad = []
    for kind in ONCALL_KINDS:
        a, b = ours["per_replication"].get(kind), theirs["per_replication"].get(kind)
        if a is None or b is None or abs(b - a) > 4 * (a / peer_reps) ** 0.5 + 0.01 * a:
            bad.append("%s %s vs %s" % (kind, a, b))
    for scheme, c in ours["continuity"].items():
        if abs(theirs["continuity"].get(scheme, -1) - c) > 0.03:
            bad.append("%s continuity %.3f vs %s" % (scheme, c, theirs["continuity"].get(scheme)))
    if bad:
        raise BenchError("the SimPy peer does not do carecast's on-call work: " + "; ".join(bad))


def ratio_text(r):
    return "%.2fx" % r


def build_table(res):
    """The markdown table of a result dict (see measure())."""
    pd, oc = res["population_demand"], res["oncall"]
    lines = ["| workload | program | median s (of %d) | replications/s | events/s | ratio |" % res["runs"],
             "|---|---|---|---|---|---|"]
    for key, label in (("carecast_j1", "carecast -j 1"), ("carecast_j2", "carecast -j 2"),
                       ("draws", "carecast's random draws alone (`bench_draws`)"),
                       ("peer", "NumPy peer (`population_demand_numpy.py`)")):
        row = pd[key]
        ratio = {"carecast_j1": "%s the NumPy peer" % ratio_text(pd["peer"]["seconds"] / row["seconds"]),
                 "carecast_j2": "%s the NumPy peer" % ratio_text(pd["peer"]["seconds"] / row["seconds"]),
                 "draws": "model / draws: %s" % ratio_text(pd["carecast_j1"]["seconds"] / row["seconds"]),
                 "peer": ""}[key]
        lines.append("| population + demand, %d reps | %s | %.3f | %.0f | | %s |"
                     % (pd["replications"], label, row["seconds"], pd["replications"] / row["seconds"], ratio))
    for key, label in (("carecast", "carecast `bench_coverage` (1 thread)"),
                       ("peer", "SimPy peer (`oncall_simpy.py`)")):
        row = oc[key]
        ratio = "%s the SimPy peer" % ratio_text(row["events_per_s"] / oc["peer"]["events_per_s"]) \
            if key == "carecast" else ""
        lines.append("| on-call %d, %d patients, 4 schemes, %d reps | %s | %.3f | %.3g | %.0f | %s |"
                     % (oc["year"], oc["patients"], row["replications"], label, row["seconds"],
                        row["replications"] / row["seconds"], row["events_per_s"], ratio))
    th = res["threads"]
    for key, label in (("j1", "carecast -j 1"), ("j2", "carecast -j 2")):
        ratio = "2 threads / 1: %s" % ratio_text(th["j1"]["seconds"] / th["j2"]["seconds"]) if key == "j2" else ""
        lines.append("| whole Kashiwa run (%d reps) | %s | %.3f | %.3g | | %s |"
                     % (th["replications"], label, th[key]["seconds"], th["replications"] / th[key]["seconds"], ratio))
    for reps, mb in sorted(res["memory"]["peak_mb"].items(), key=lambda kv: int(kv[0])):
        lines.append("| peak memory, Kashiwa run -j 2, %s reps | carecast | | | | %.0f MB max RSS |" % (reps, mb))
    return "\n".join(lines)


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
            model = m.group(1).strip() if m else model
    except OSError:
        pass
    try:
        with open("/proc/loadavg") as f:
            load = f.read().split()[:3]
    except OSError:
        load = []
    return {"cpu_model": model, "cores": os.cpu_count(), "kernel": platform.release(),
            "machine": platform.machine(), "load_average_at_start": load}


def git_commit():
    try:
        out = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return out.stdout.strip() + ("-dirty" if dirty else "") if out.returncode == 0 else "unknown"
    except OSError:
        return "unknown"


def median_of(results, index=0):
    return statistics.median(r[index] for r in results)


def measure(args):
    build = os.path.dirname(os.path.abspath(args.bin))
    draws_bin, coverage_bin = os.path.join(build, "bench_draws"), os.path.join(build, "bench_coverage")
    res = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "commit": git_commit(), "machine": machine(), "runs": args.runs, "commands": {}}
    with tempfile.TemporaryDirectory() as tmp:
        # 1. population + demand
        out, peer_out = os.path.join(tmp, "bench.h5"), os.path.join(tmp, "peer.h5")
        scenario = os.path.join(tmp, "kashiwa-population-demand.ini")
        with open(scenario, "w") as f:  # kashiwa.ini without the on-call stage
            f.write("[scenario]\nbase = %s\nname = kashiwa\n\n[coverage]\nclinics =\n" % KASHIWA)
        run = [args.bin, "run", scenario, "-n", str(args.reps), "-q", "-o", out]
        jobs = [("carecast_j1", run + ["-j", "1"]), ("carecast_j2", run + ["-j", "2"]),
                ("draws", [draws_bin, scenario, str(args.reps)]),
                ("peer", [PYTHON, os.path.join(PEERS, "population_demand_numpy.py"), KASHIWA, "--reps",
                          str(args.reps), "--seed", "1", "--out", peer_out, "--quiet"])]
        print("bench: population + demand, %d replications, %d rounds ..." % (args.reps, args.runs), flush=True)
        got = rounds(jobs, args.runs)
        res["population_demand"] = {"replications": args.reps}
        for label, cmd in jobs:
            res["population_demand"][label] = {"seconds": median_of(got[label]),
                                               "all_seconds": [r[0] for r in got[label]]}
            res["commands"]["population_demand." + label] = " ".join(cmd)
        with open(scenario) as f:
            res["commands"]["population_demand.scenario"] = f.read()
        same = population_medians(out, peer_out)
        res["population_demand"]["same_work_medians"] = same
        check_population(same, args.reps)

        # 2. on-call
        jobs = [("carecast", [coverage_bin, KASHIWA, str(args.oncall_reps), str(ONCALL_PATIENTS), str(ONCALL_YEAR)]),
                ("peer", [PYTHON, os.path.join(PEERS, "oncall_simpy.py"), "--reps", str(args.peer_reps),
                          "--seed", "1"])]
        print("bench: on-call, carecast %d and the SimPy peer %d replications, %d rounds ..."
              % (args.oncall_reps, args.peer_reps, args.runs), flush=True)
        got = rounds(jobs, args.runs)
        res["oncall"] = {"year": ONCALL_YEAR, "patients": ONCALL_PATIENTS}
        figures = {}
        for label, cmd in jobs:
            runs = [parse_oncall(r[1]) for r in got[label]]
            figures[label] = runs[0]
            res["oncall"][label] = {
                "replications": int(runs[0]["replications"]), "events": int(runs[0]["events"]),
                "seconds": statistics.median(r["seconds"] for r in runs),
                "events_per_s": statistics.median(r["events_per_s"] for r in runs),
                "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
                "all_events_per_s": [r["events_per_s"] for r in runs],
                "per_replication": runs[0]["per_replication"], "continuity": runs[0]["continuity"]}
            res["commands"]["oncall." + label] = " ".join(cmd)
        check_oncall(figures["carecast"], figures["peer"], args.peer_reps)

        # 3. 2 threads over 1, the whole run
        whole = os.path.join(tmp, "whole.h5")
        run = [args.bin, "run", KASHIWA, "-q", "--no-table", "-o", whole] + \
            (["-n", str(args.whole_reps)] if args.whole_reps else [])
        jobs = [("j1", run + ["-j", "1"]), ("j2", run + ["-j", "2"])]
        print("bench: the whole Kashiwa run, -j 1 and -j 2, %d rounds ..." % args.runs, flush=True)
        got = rounds(jobs, args.runs)
        res["threads"] = {"replications": args.whole_reps or scenario_replications(KASHIWA)}
        for label, cmd in jobs:
            res["threads"][label] = {"seconds": median_of(got[label]), "all_seconds": [r[0] for r in got[label]]}
            res["commands"]["threads." + label] = " ".join(cmd)

        # 4. peak memory
        res["memory"] = {"peak_mb": {}}
        for reps in args.memory_reps:
            cmd = [args.bin, "run", KASHIWA, "-q", "--no-table", "-j", "2", "-n", str(reps), "-o",
                   os.path.join(tmp, "memory.h5")]
            print("bench: peak memory at %d replications ..." % reps, flush=True)
            res["memory"]["peak_mb"][str(reps)] = peak_memory(cmd, "memory run")
            res["commands"]["memory.%d" % reps] = " ".join(cmd)
    res["ratios"] = ratios(res)
    return res


def scenario_replications(path):
    with open(path) as f:
        m = re.search(r"^\s*replications\s*=\s*(\d+)", f.read(), re.M)
    return int(m.group(1)) if m else 0


def ratios(res):
    pd, oc, th = res["population_demand"], res["oncall"], res["threads"]
    return {
        "population_demand_j1_over_numpy_peer": pd["peer"]["seconds"] / pd["carecast_j1"]["seconds"],
        "population_demand_model_over_draws": pd["carecast_j1"]["seconds"] / pd["draws"]["seconds"],
        "oncall_events_per_s_over_simpy_peer": oc["carecast"]["events_per_s"] / oc["peer"]["events_per_s"],
        "oncall_cpu_events_per_s_over_simpy_peer":
            (oc["carecast"]["events"] / oc["carecast"]["cpu_seconds"]) / (oc["peer"]["events"] / oc["peer"]["cpu_seconds"]),
        "whole_run_2_threads_over_1": th["j1"]["seconds"] / th["j2"]["seconds"],
    }


def write_json(res, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "carecast"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reps", type=int, default=2000, help="population + demand replications")
    parser.add_argument("--oncall-reps", type=int, default=50)
    parser.add_argument("--peer-reps", type=int, default=1)
    parser.add_argument("--whole-reps", type=int, default=0, help="0: the scenario's own")
    parser.add_argument("--memory-reps", default="1000,10000")
    parser.add_argument("--json", default=None, help="default results/bench.json; --quick: none")
    parser.add_argument("--quick", action="store_true", help="tiny workloads, one round (checks the plumbing)")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.reps, args.oncall_reps, args.peer_reps, args.whole_reps = 1, 100, 2, 1, 20
        args.memory_reps = "100"
    elif args.json is None:
        args.json = os.path.join(ROOT, "results", "bench.json")
    args.memory_reps = [int(x) for x in args.memory_reps.split(",") if x]
    res = measure(args)
    res["table"] = build_table(res)
    m = res["machine"]
    print("\nmachine: %s, %d cores, Linux %s; %s; commit %s; medians of %d interleaved rounds"
          % (m["cpu_model"], m["cores"], m["kernel"], res["date"], res["commit"], res["runs"]))
    print(res["table"])
    print("\nratios: " + "; ".join("%s %.2f" % kv for kv in res["ratios"].items()))
    if args.json:
        write_json(res, args.json)
        print("written: %s" % args.json)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print("bench: FAILED: %s" % e, file=sys.stderr)
        sys.exit(1)
