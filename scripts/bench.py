#!/usr/bin/python3
"""make bench: carecast's speed as ratios on this machine.

1. threads: the same run (Kashiwa, population + demand, N replications) with -j 1 and -j 2;
2. the peer: ../shared/peers/population_numpy.py (what a researcher would write in NumPy:
   the same stochastic projection and demand, with fewer model features) on the same number of
   replications;
3. the floor: the time carecast spends drawing its random variates alone (binomial, Poisson,
   normal) versus the whole run, measured by `perf`-free timing of a draw-only replay of the
   same calls (build/bench_draws).
Each timing is the best of R runs of a fresh process. Usage: scripts/bench.py [--reps 2000] [--runs 5]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER = os.path.join(ROOT, "..", "shared", "peers", "population_numpy.py")


def best(cmd, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "carecast"))
    args = parser.parse_args()
    scenario = os.path.join(ROOT, "scenarios", "kashiwa.ini")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "bench.h5")
        run = [args.bin, "run", scenario, "-n", str(args.reps), "-q", "-o", out]
        t1 = best(run + ["-j", "1"], args.runs)
        t2 = best(run + ["-j", "2"], args.runs)
        draws = [os.path.join(ROOT, "build", "bench_draws"), scenario, str(args.reps)]
        tdraw = best(draws, args.runs) if os.path.exists(draws[0]) else float("nan")
    print("machine: %d CPUs; %d replications of scenarios/kashiwa.ini (2025-2050, population + demand, "
          "results file written); best of %d runs" % (os.cpu_count(), args.reps, args.runs))
    print("| measurement | seconds | replications/s |")
    print("|---|---|---|")
    print("| carecast -j 1 | %.3f | %.0f |" % (t1, args.reps / t1))
    print("| carecast -j 2 | %.3f | %.0f |" % (t2, args.reps / t2))
    print("| carecast's random draws alone (1 thread) | %.3f | |" % tdraw)
    if os.path.exists(PEER):
        tp = best(["/usr/bin/python3", PEER, "--reps", str(args.reps), "--seed", "1", "--end-year", "2050"], args.runs)
        print("| NumPy peer (population_numpy.py) | %.3f | %.0f |" % (tp, args.reps / tp))
    print("\nratios: 2 threads vs 1: %.2fx; model vs its own random draws: %.2fx the draw time"
          % (t1 / t2, t1 / tdraw))
    if os.path.exists(PEER):
        print("        carecast -j 2 vs the NumPy peer: %.2fx faster (carecast also writes every replication, "
              "quantiles and by-age moments to HDF5)" % (tp / t2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
