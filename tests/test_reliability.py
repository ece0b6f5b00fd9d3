"""Reliability of the results file's target (README, "Reliability"): a bad -o is refused before
the run with one line naming it and exit 2 (the path is wrong) or 1 (its folder), and nothing
but a regular file is ever replaced; a full disk ends with "no space left on device", exit 1,
no temporary file and the old file untouched (by fault injection: tests/fault/enospc.c, loaded
with LD_PRELOAD, makes writes to the temporary file fail with ENOSPC after a byte budget; and on
a real 400 KiB tmpfs where this machine lets the test mount one); temporary files that a killed
run left behind are removed by the next run into the folder, those of live processes are not."""
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FAST = ["-n", "2", "-q", "--no-table", "--set", "coverage.replications=1", "--set", "simulation.end_year=2030"]


def build_fault_library(folder):
    """tests/fault/enospc.c as a shared library in folder (compiled here, not committed)."""
    lib = os.path.join(folder, "enospc.so")
    subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", lib, os.path.join(HERE, "fault", "enospc.c"), "-ldl"],
                   check=True)
    return lib


def preload(lib):
    """LD_PRELOAD for lib: after the AddressSanitizer runtime when the binary links one (ASan
    must come first in the library list, or the program stops at once: the build-asan run of
    make check)."""
    linked = subprocess.run(["ldd", T.carecast_bin()], stdout=subprocess.PIPE, universal_newlines=True).stdout
    asan = [line.split("=>")[1].split()[0] for line in linked.splitlines() if "libasan" in line and "=>" in line]
    return ":".join(asan + [lib])


@T.require_binary
class OutputTargetTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.tmp]))

    def refused(self, target, code, text, scenario=None):
        start = time.monotonic()
        result = T.run(["run", scenario or T.scenario_path("kashiwa.ini"), *FAST, "-o", target])
        self.assertEqual(result.returncode, code, result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("field 'output'", lines[0])
        self.assertIn(text, lines[0])
        self.assertLess(time.monotonic() - start, 5, "refused before the run, not after it")
        return lines[0]

    def test_not_a_file(self):
        self.refused(self.tmp, T.EXIT_USAGE, "is a folder")
        self.refused(self.tmp + "/", T.EXIT_USAGE, "names a folder")
        self.refused("", T.EXIT_USAGE, "empty")
        self.refused(os.path.join(self.tmp, "a" * 250 + ".h5"), T.EXIT_USAGE, "too long")
        self.refused(os.path.join(self.tmp, "no", "such", "x.h5"), T.EXIT_RUN_FAILED, "does not exist")

    def test_special_files_are_never_replaced(self):
        fifo = os.path.join(self.tmp, "fifo")
        os.mkfifo(fifo)
        self.refused(fifo, T.EXIT_USAGE, "not a regular file")
        self.assertTrue(os.path.exists(fifo) and not os.path.isfile(fifo))
        sock_path = os.path.join(self.tmp, "sock")
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(sock_path)
        self.addCleanup(sock.close)
        self.refused(sock_path, T.EXIT_USAGE, "not a regular file")
        self.refused("/dev/null", T.EXIT_USAGE, "not a regular file")
        self.assertFalse(os.path.isfile("/dev/null"))
        real = os.path.join(self.tmp, "real.h5")
        with open(real, "w") as f:
            f.write("old")
        link = os.path.join(self.tmp, "link.h5")
        os.symlink(real, link)
        self.refused(link, T.EXIT_USAGE, "symbolic link")
        self.assertTrue(os.path.islink(link))
        with open(real) as f:
            self.assertEqual(f.read(), "old")

    def test_an_input_is_never_the_output(self):
        scenario = os.path.join(self.tmp, "s.ini")
        with open(scenario, "w") as f:
            f.write("[scenario]\nbase = %s\nname = s\n" % T.scenario_path("kashiwa.ini"))
        with open(scenario) as f:
            text = f.read()
        self.refused(scenario, T.EXIT_USAGE, "one of this command's inputs", scenario=scenario)
        with open(scenario) as f:
            self.assertEqual(f.read(), text)
        base = T.scenario_path("kashiwa.ini")
        self.refused(base, T.EXIT_USAGE, "one of this command's inputs", scenario=scenario)
        table = os.path.join(T.REPO_ROOT, "scenarios", "data", "kashiwa_clinics.csv")
        before = os.stat(table).st_mtime_ns
        self.refused(table, T.EXIT_USAGE, "one of this command's inputs", scenario=scenario)
        self.assertEqual(os.stat(table).st_mtime_ns, before)

    def check_full_disk(self, target, env=None):
        with open(target, "w") as f:
            f.write("old results")
        result = subprocess.run([T.carecast_bin(), "run", T.scenario_path("kashiwa.ini"), *FAST, "-o", target],
                                capture_output=True, text=True, env=env)
        self.assertEqual(result.returncode, T.EXIT_RUN_FAILED, result.stderr)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        self.assertIn("no space left on device", result.stderr)
        self.assertIn(target, result.stderr)
        with open(target) as f:
            self.assertEqual(f.read(), "old results")
        folder = os.path.dirname(target)
        self.assertEqual([n for n in os.listdir(folder) if ".tmp-" in n], [])

    def test_full_disk_by_fault_injection(self):
        env = dict(os.environ, LD_PRELOAD=preload(build_fault_library(self.tmp)), CC_FAULT_BYTES="150000")
        self.check_full_disk(os.path.join(self.tmp, "out.h5"), env)

    def test_full_disk_on_a_small_tmpfs(self):
        """A real 400 KiB tmpfs in a private mount namespace, where this machine allows it."""
        probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=400k tmpfs %s" % self.tmp],
                               capture_output=True)
        if probe.returncode != 0:
            self.skipTest("cannot mount a tmpfs here: %s" % probe.stderr.decode().strip())
        script = ("mount -t tmpfs -o size=400k tmpfs {d} && echo 'old results' > {d}/out.h5 && "
                  "{bin} run {s} {fast} -o {d}/out.h5; echo rc=$?; cat {d}/out.h5; ls -a {d}").format(
            d=self.tmp, bin=T.carecast_bin(), s=T.scenario_path("kashiwa.ini"), fast=" ".join(FAST))
        result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True)
        self.assertIn("rc=1", result.stdout, result.stderr)
        self.assertIn("no space left on device", result.stderr)
        self.assertIn("old results", result.stdout)
        self.assertNotIn(".tmp-", result.stdout)

    def test_small_disk_refusal_gives_sizes_in_megabytes(self):
        """A run refused for a small disk says how much in MB (it said "need about 0.0 GB ... and
        0.0 GB are free"), in a private 400 KiB tmpfs where this machine allows it."""
        probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=400k tmpfs %s" % self.tmp],
                               capture_output=True)
        if probe.returncode != 0:
            self.skipTest("cannot mount a tmpfs here: %s" % probe.stderr.decode().strip())
        script = "mount -t tmpfs -o size=400k tmpfs {d} && {bin} run {s} {fast} -n 200 -o {d}/out.h5; echo rc=$?".format(
            d=self.tmp, bin=T.carecast_bin(), s=T.scenario_path("kashiwa.ini"), fast=" ".join(FAST))
        result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True)
        self.assertIn("rc=1", result.stdout, result.stderr)
        self.assertRegex(result.stderr, r"200 replications need about [1-9][0-9.]* MB of disk space .* and "
                                        r"0\.[1-9] MB are free there")

    def test_stale_temporary_files_are_removed(self):
        target = os.path.join(self.tmp, "x.h5")
        dead = subprocess.Popen(["true"])
        dead.wait()  # a process id that is gone
        stale = os.path.join(self.tmp, ".x.h5.tmp-%d-abcdef" % dead.pid)
        live = os.path.join(self.tmp, ".x.h5.tmp-%d-ghijkl" % os.getpid())
        other = os.path.join(self.tmp, ".y.h5.tmp-%d-abcdef" % dead.pid)  # another target's
        for path in (stale, live, other):
            with open(path, "w") as f:
                f.write("half written")
            os.utime(path, (time.time() - 3600, time.time() - 3600))
        result = T.run(["run", T.scenario_path("kashiwa.ini"), *FAST, "-o", target])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertFalse(os.path.exists(stale))
        self.assertTrue(os.path.exists(live))
        self.assertTrue(os.path.exists(other))

    def test_killed_run_then_a_clean_next_run(self):
        """SIGKILL a run while it works, leave its temporary file as a kill during the write would,
        then run again: the next run succeeds and leaves no temporary file."""
        target = os.path.join(self.tmp, "k.h5")
        proc = subprocess.Popen([T.carecast_bin(), "run", T.scenario_path("kashiwa.ini"), "-n", "400", "-q",
                                 "--no-table", "-o", target], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        proc.kill()
        proc.wait()
        leftover = os.path.join(self.tmp, ".k.h5.tmp-%d-zzzzzz" % proc.pid)
        with open(leftover, "w") as f:
            f.write("half written")
        os.utime(leftover, (time.time() - 60, time.time() - 60))
        result = T.run(["run", T.scenario_path("kashiwa.ini"), *FAST, "-o", target])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.isfile(target))
        self.assertEqual([n for n in os.listdir(self.tmp) if ".tmp-" in n], [])


@T.require_binary
class InputFileTest(unittest.TestCase):
    """Each input is read once, whole, from a regular file of bounded size: devices and FIFOs are
    refused at once (no hang, no memory blow-up), a NUL byte or an unclosed section header is
    named with its line, and the provenance hashes the very bytes parsed."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.tmp]))

    def check_refused(self, scenario, where, text, line=None):
        result = T.run(["check", scenario], timeout=20)
        self.assertEqual(result.returncode, T.EXIT_INPUT, result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn(where + (":%d:" % line if line else ":"), lines[0])
        self.assertIn(text, lines[0])

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_devices_and_fifos(self):
        self.check_refused("/dev/zero", "/dev/zero", "not a regular file")
        fifo = os.path.join(self.tmp, "s.ini")
        os.mkfifo(fifo)
        self.check_refused(fifo, fifo, "not a regular file")  # at once: a FIFO with no writer
        for device in ("/dev/urandom", fifo):
            with self.subTest(table=device):
                scenario = self.write("t.ini", ("[scenario]\nbase = %s\nname = t\n[population]\nfertility = %s\n"
                                                % (T.scenario_path("kashiwa.ini"), device)).encode())
                self.check_refused(scenario, "t.ini", "not a regular file", line=5)

    def test_size_limits(self):
        big = self.write("big.ini", b";" * (1 << 20) + b";\n")
        self.check_refused(big, "big.ini", "at most 1048576")

    def test_nul_bytes_and_unclosed_headers(self):
        nul = self.write("nul.ini", b"[scenario]\nname = x\x00tail\n")
        self.check_refused(nul, "nul.ini", "NUL byte", line=2)
        header = self.write("h.ini", b"[scenario]\nname = x\n[simulation\nseed = 1\n")
        self.check_refused(header, "h.ini", "closing ']'", line=3)
        table = self.write("nul.csv", b"age,asfr\n20,0.1\n2\x001,0.1\n")
        scenario = self.write("n.ini", ("[scenario]\nbase = %s\nname = n\n[population]\nfertility = nul.csv\n"
                                        % T.scenario_path("kashiwa.ini")).encode())
        self.check_refused(scenario, "nul.csv", "NUL byte", line=3)


@T.require_binary
class MigrationNoiseTest(unittest.TestCase):
    def test_the_yearly_factor_never_reverses_the_flow(self):
        """noise_sd above 1 is refused; at 1 (a factor of 0 one year in six) a schedule of pure
        net immigration never gives a year of net emigration (the persistent walk is off)."""
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "m.h5")
            result = T.run(["run", T.scenario_path("japan.ini"), "-n", "20", "-q", "-o", out,
                            "--set", "migration.noise_sd=5"])
            self.assertEqual(result.returncode, T.EXIT_USAGE, result.stderr)
            result = T.run(["run", T.scenario_path("japan.ini"), "-n", "20", "-q", "-o", out,
                            "--set", "migration.noise_sd=1", "--set", "simulation.end_year=2030"])
            self.assertEqual(result.returncode, 0, result.stderr)
            import h5py
            with h5py.File(out) as f:
                flows = f["population/net_migration/replications"][0, :, 1:, 2]
            self.assertGreaterEqual(flows.min(), 0)
            self.assertTrue((flows == 0).any() or flows.min() < 70000 * 0.5)  # the noise is there


@T.require_binary
class LimitsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.tmp]))

    def population_scenario(self, persons):
        """kashiwa.ini with men 85-89 set to `persons` (a table made here), without calibration."""
        register = os.path.join(T.REPO_ROOT, "scenarios", "data", "kashiwa_register_2025_5y_sex.csv")
        with open(register) as f:
            rows = [("male,85,89,%s" % persons) if r.startswith("male,85,89,") else r for r in f.read().splitlines()]
        with open(os.path.join(self.tmp, "pop.csv"), "w") as f:
            f.write("\n".join(rows) + "\n")
        scenario = os.path.join(self.tmp, "p.ini")
        with open(scenario, "w") as f:
            f.write("[scenario]\nbase = %s\nname = p\n[population]\nbase_population = pop.csv\n"
                    "[migration]\ncalibrate_to =\nschedule = none\n" % T.scenario_path("kashiwa.ini"))
        return scenario, rows.index("male,85,89,%s" % persons) + 1

    def test_huge_cells_are_refused_at_their_line(self):
        for persons in ("30000000000", "1e19", "1e30"):
            with self.subTest(persons=persons):
                scenario, line = self.population_scenario(persons)
                result = T.run(["run", scenario, *FAST, "-o", os.path.join(self.tmp, "o.h5")], timeout=20)
                self.assertEqual(result.returncode, T.EXIT_INPUT, result.stderr)
                self.assertIn("pop.csv:%d:" % line, result.stderr)
                self.assertIn("field 'population'", result.stderr)
                self.assertIn("at most", result.stderr)

    def test_a_large_cell_is_drawn_correctly(self):
        """900 million men aged 85-89 (within the limit, above what a 32-bit count could take in
        a few draws' sums): random deaths stay close to their expectation, no wrap-around."""
        scenario, _ = self.population_scenario("900000000")
        out = [os.path.join(self.tmp, "%s.h5" % k) for k in ("r", "e")]
        for path, extra in ((out[0], []), (out[1], ["--set", "simulation.expected_values=true"])):
            result = T.run(["run", scenario, "-n", "3", "-q", "--no-table", "--set", "simulation.end_year=2027",
                            "--set", "coverage.replications=1", "-o", path, *extra])
            self.assertEqual(result.returncode, 0, result.stderr)
        import h5py
        with h5py.File(out[0]) as r, h5py.File(out[1]) as e:
            random = r["population/deaths/replications"][0, :, 2, 0]
            expected = e["population/deaths/replications"][0, 0, 2, 0]
        self.assertGreater(expected, 5e7)
        for d in random:  # the mortality index moves them ~1%; a wrapped 32-bit count would be off by 4e9
            self.assertLess(abs(d / expected - 1), 0.03)

    def test_numbers_in_tables(self):
        """Hex (and inf/nan) refused at their line; a fractional count accepted and rounded within
        its group, as scenarios/README.md says."""
        for persons, ok in (("0x1A", False), ("inf", False), ("nan", False), ("9581.7", True)):
            with self.subTest(persons=persons):
                scenario, line = self.population_scenario(persons)
                result = T.run(["check", scenario])
                if ok:
                    self.assertEqual(result.returncode, 0, result.stderr)
                else:
                    self.assertEqual(result.returncode, T.EXIT_INPUT, result.stderr)
                    self.assertIn("pop.csv:%d:" % line, result.stderr)
                    self.assertIn("not a finite decimal number", result.stderr)

    def test_threads_bounded(self):
        for threads in ("10000", "4294967297", "0", "-2"):
            with self.subTest(threads=threads):
                result = T.run(["run", T.scenario_path("kashiwa.ini"), *FAST, "-j", threads,
                                "-o", os.path.join(self.tmp, "j.h5")])
                self.assertEqual(result.returncode, T.EXIT_USAGE, result.stderr)
                self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
                self.assertIn("--threads", result.stderr)

    def test_memory_is_estimated_before_the_run(self):
        start = time.monotonic()
        result = T.run(["run", T.scenario_path("kashiwa.ini"), "-n", "50000000", "-q", "--no-table",
                        "-o", os.path.join(self.tmp, "m.h5")], timeout=20)
        self.assertEqual(result.returncode, T.EXIT_RUN_FAILED, result.stderr)
        # streamed to the file, 50 million replications fit in memory here but not on disk
        self.assertRegex(result.stderr, "GB of (memory|disk space)")
        self.assertIn("use fewer (-n)", result.stderr)
        self.assertLess(time.monotonic() - start, 10)

    def test_sigint_is_honoured_within_a_second(self):
        """Ctrl-C in the middle of a long coverage run: exit 130 within a second, nothing written."""
        target = os.path.join(self.tmp, "i.h5")
        import signal
        proc = subprocess.Popen([T.carecast_bin(), "run", T.scenario_path("kashiwa.ini"), "-n", "400", "-q",
                                 "--no-table", "--set", "coverage.replications=400", "-o", target],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(2.0)
        self.assertIsNone(proc.poll(), "the run should still be going")
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        self.assertLess(time.monotonic() - sent, 1.0)
        self.assertEqual(proc.returncode, T.EXIT_INTERRUPTED)
        self.assertFalse(os.path.exists(target))
        self.assertEqual([n for n in os.listdir(self.tmp) if ".tmp-" in n], [])


if __name__ == "__main__":
    unittest.main()
