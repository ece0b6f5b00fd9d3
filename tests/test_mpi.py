"""Distributed runs (README "Running on a cluster"): the MPI program (build-mpi/carecast,
`make MPI=1`, or $CARECAST_MPI_BIN) under `mpirun --allow-run-as-root --oversubscribe -np N`
writes a file that `h5diff --exclude-path /provenance` finds identical to the serial program's
`-j 1` file, and an error on a rank other than 0 ends the run on every rank with one message and
a non-zero exit, within a timeout.

Cases: 2 ranks on 10 replications (5 each) with 3 coverage replications; 3 ranks on 200
replications of two scenarios (two rounds of 3 x 64, then 8 shared 2/3/3: a count that is no
multiple of the block), coverage on 2; rank 1 reading a scenario that does not exist (an input
only one node cannot read); rank 1 interrupted in the middle of a run; a batch of three
municipalities over 2 ranks, and one whose rank 1 cannot read the municipal tables.

Without mpirun or the MPI program this test skips, saying why, but fails under CI (CI set), where
`make check` builds the MPI program after installing Open MPI.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402

MPI_BIN = os.environ.get("CARECAST_MPI_BIN") or os.path.join(T.REPO_ROOT, "build-mpi", "carecast")
# Root in a container needs --allow-run-as-root; 2 cores need --oversubscribe for 3 ranks.
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]
# Containers may forbid the cross-process memory copy (CMA) Open MPI's shared-memory transport
# uses for large messages: copy through shared memory instead (slower, works everywhere).
MPI_ENV = {"OMPI_MCA_btl_vader_single_copy_mechanism": "none", "OMP_NUM_THREADS": "1"}
SHORT = ["-j", "1", "-q", "--no-table", "--set", "simulation.end_year=2030"]


def missing():
    """Why the test cannot run here, or None."""
    if not shutil.which("mpirun"):
        return "mpirun not installed (scripts/install-deps.sh --mpi)"
    if not os.access(MPI_BIN, os.X_OK):
        return "MPI program not built at %s (make MPI=1)" % MPI_BIN
    if not shutil.which("h5diff"):
        return "h5diff not installed (hdf5-tools)"
    return None


def mpirun(ranks, args, timeout=180, program=None):
    env = dict(os.environ)
    env.update(MPI_ENV)
    cmd = MPIRUN + ["-np", str(ranks)] + (program or [MPI_BIN]) + [str(a) for a in args]
    return subprocess.run(cmd, cwd=T.REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout, env=env)


def carecast_lines(text):
    """carecast's own lines (mpirun adds its own report when a rank exits non-zero)."""
    return [line for line in text.splitlines() if line.startswith("carecast")]


@T.require_binary
class MpiRunTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        if T.SANITIZED:
            raise unittest.SkipTest("sanitized pass: the MPI program is the normal build, tested in the normal pass")
        reason = missing()
        if reason and os.environ.get("CI"):
            raise AssertionError("CI: the MPI test must run, but " + reason)
        if reason:
            raise unittest.SkipTest(reason)
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def assert_same_as_serial(self, ranks, args):
        """mpirun -np ranks and the serial program on args: identical outside /provenance."""
        distributed, serial = self.path("np%d.h5" % ranks), self.path("serial%d.h5" % ranks)
        result = mpirun(ranks, ["run"] + args + ["-o", distributed])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(carecast_lines(result.stdout + result.stderr), [], "ranks print nothing with -q")
        result = T.run(["run"] + args + ["-o", serial], timeout=180)
        self.assertEqual(result.returncode, 0, result.stderr)
        diff = subprocess.run(["h5diff", "--exclude-path", "/provenance", distributed, serial],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
        self.assertEqual(diff.returncode, 0, "h5diff found differences:\n" + diff.stdout[-3000:] + diff.stderr)
        with h5py.File(distributed, "r") as f:  # the ranks did run: it says so, and holds every replication
            self.assertEqual(int(f["provenance"].attrs["ranks"]), ranks)
            return f["replication"].shape[0], "coverage" in f

    def test_two_ranks_match_one_process(self):
        reps, coverage = self.assert_same_as_serial(
            2, [T.scenario_path("kashiwa.ini"), "-n", "10", "--set", "coverage.replications=3"] + SHORT)
        self.assertEqual((reps, coverage), (10, True))

    def test_three_ranks_two_scenarios_uneven_rounds(self):
        reps, coverage = self.assert_same_as_serial(
            3, [T.scenario_path("kashiwa.ini"), T.scenario_path("kashiwa-shift.ini"), "-n", "200",
                "--set", "coverage.replications=2"] + SHORT)
        self.assertEqual((reps, coverage), (200, True))

    def rank_script(self, name, body):
        """A shell script mpirun starts on every rank; $RANK is the rank's number."""
        script = self.path(name)
        with open(script, "w") as f:
            f.write("#!/bin/sh\nRANK=$OMPI_COMM_WORLD_RANK\n" + body)
        os.chmod(script, 0o755)
        return [script]

    def assert_stopped_together(self, script, code, says, out):
        """The ranks started by script stop within the timeout with exit code `code` (None: any
        but 0), one carecast message (from rank 0) holding every text in says, and no file out."""
        start = time.monotonic()
        result = mpirun(2, [], timeout=60, program=script)
        self.assertLess(time.monotonic() - start, 60)
        if code is None:
            self.assertNotEqual(result.returncode, 0, result.stderr)
        else:
            self.assertEqual(result.returncode, code, result.stderr)
        lines = carecast_lines(result.stderr)
        self.assertEqual(len(lines), 1, "one message, from rank 0:\n" + result.stderr)
        for text in says:
            self.assertIn(text, lines[0])
        self.assertFalse(os.path.exists(out), "no results file after a failed run")

    def test_input_error_on_rank_one_stops_every_rank(self):
        out = self.path("never.h5")
        script = self.rank_script("bad-input.sh", (
            'if [ "$RANK" = 1 ]; then S=%s; else S=%s; fi\n'
            'exec %s run "$S" -n 40 %s --set coverage.replications=1 -o %s\n') % (
                self.path("absent.ini"), T.scenario_path("kashiwa.ini"), MPI_BIN, " ".join(SHORT), out))
        self.assert_stopped_together(script, T.EXIT_INPUT, ["absent.ini"], out)

    def test_interrupted_rank_one_stops_every_rank(self):
        out, pid_file = self.path("interrupted.h5"), self.path("rank1.pid")
        script = self.rank_script("long.sh", (
            'if [ "$RANK" = 1 ]; then echo $$ > %s; fi\n'
            'exec %s run %s -n 20000 %s --set coverage.replications=1 -o %s\n') % (
                pid_file, MPI_BIN, T.scenario_path("kashiwa.ini"), " ".join(SHORT), out))
        env = dict(os.environ)
        env.update(MPI_ENV)
        proc = subprocess.Popen(MPIRUN + ["-np", "2"] + script, cwd=T.REPO_ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, universal_newlines=True, env=env)
        try:
            deadline = time.monotonic() + 60
            while not os.path.exists(pid_file) and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(3)  # past loading: rank 1 is running replications (20000 take minutes)
            self.assertIsNone(proc.poll(), "the run ended before it was interrupted")
            with open(pid_file) as f:
                os.kill(int(f.read()), signal.SIGTERM)
            signalled = time.monotonic()
            _, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        self.assertLess(time.monotonic() - signalled, 60)
        self.assertEqual(proc.returncode, T.EXIT_INTERRUPTED, stderr)
        self.assertEqual(carecast_lines(stderr), ["carecast: interrupted"], stderr)
        self.assertFalse(os.path.exists(out), "no results file after an interrupted run")

    def test_only_rank_zero_needs_the_output_folder(self):
        """Only rank 0 writes: another rank makes no temporary file of its own in the output
        folder, so a folder that exists on rank 0's node only (here: a relative -o from another
        working folder on rank 1) is no error, and rank 1's side stays empty."""
        nodes = [self.path("node%d" % k) for k in (0, 1)]
        for node in nodes:
            os.makedirs(node, exist_ok=True)
        os.makedirs(os.path.join(nodes[0], "out"), exist_ok=True)
        script = self.rank_script("node.sh", (
            'cd %s$RANK && exec %s run %s -n 10 %s --set coverage.replications=1 -o out/x.h5\n') % (
                self.path("node"), MPI_BIN, T.scenario_path("kashiwa.ini"), " ".join(SHORT)))
        result = mpirun(2, [], timeout=120, program=script)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(os.listdir(os.path.join(nodes[0], "out")), ["x.h5"])
        self.assertEqual(os.listdir(nodes[1]), [], "rank 1 made nothing")

    def test_batch_over_two_ranks_matches_one_process(self):
        """batch shares each municipality's replications over the ranks; rank 0 writes the same
        file the serial program writes."""
        batch = ["batch", "--codes", "12217,13101,01100", "-n", "10", "-j", "1", "-q",
                 "--set", "simulation.end_year=2030"]
        distributed, serial = self.path("batch-np2.h5"), self.path("batch-serial.h5")
        result = mpirun(2, batch + ["-o", distributed], timeout=180)
        self.assertEqual(result.returncode, 0, result.stderr)
        result = T.run(batch + ["-o", serial], timeout=180)
        self.assertEqual(result.returncode, 0, result.stderr)
        diff = subprocess.run(["h5diff", "--exclude-path", "/provenance", distributed, serial],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
        self.assertEqual(diff.returncode, 0, "h5diff found differences:\n" + diff.stdout[-3000:] + diff.stderr)
        with h5py.File(distributed, "r") as f:
            self.assertEqual(int(f["provenance"].attrs["ranks"]), 2)
            self.assertEqual(f["scenario"].shape[0], 3)
            self.assertEqual(f["replication"].shape[0], 10)

    def test_batch_error_on_rank_one_stops_every_rank(self):
        """A rank that cannot read the municipal tables (a folder only rank 0's node has) ends the
        batch on every rank: one message, a non-zero exit, no results file."""
        out, empty = self.path("batch-never.h5"), self.path("no-tables")
        os.makedirs(empty, exist_ok=True)
        script = self.rank_script("batch-bad.sh", (
            'if [ "$RANK" = 1 ]; then D=%s; else D=%s; fi\n'
            'exec %s batch --scenarios "$D" --codes 12217,13101 -n 4 -j 1 -q -o %s\n') % (
                empty, os.path.join(T.REPO_ROOT, "scenarios"), MPI_BIN, out))
        self.assert_stopped_together(script, None, ["no-tables"], out)

    def test_batch_ranks_with_other_municipalities_stop_at_once(self):
        """Ranks that would run other municipalities (another count, or the same count but other
        names: tables or options that differ between nodes) stop together with one message
        instead of waiting for each other."""
        for other, says in (("12217", "number of scenarios (from 1 to 2)"), ("12217,13102", "names")):
            with self.subTest(rank1=other):
                out = self.path("batch-differ.h5")
                script = self.rank_script("batch-differ.sh", (
                    'if [ "$RANK" = 1 ]; then C=%s; else C=12217,13101; fi\n'
                    'exec %s batch --codes "$C" -n 4 -j 1 -q -o %s\n') % (other, MPI_BIN, out))
                self.assert_stopped_together(script, T.EXIT_USAGE, ["ranks do not agree on the", says], out)

    def test_capacity_refuses_several_ranks(self):
        result = mpirun(2, ["capacity", T.scenario_path("kashiwa.ini")], timeout=60)
        self.assertEqual(result.returncode, T.EXIT_USAGE)
        lines = carecast_lines(result.stderr)
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("runs in one process", lines[0])


if __name__ == "__main__":
    unittest.main()
