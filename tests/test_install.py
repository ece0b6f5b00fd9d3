"""`make install` gives a library people can link (issue 7, item 8).

Installs into a staging folder (`make -C <source root> BUILD=<the binary's build folder> install
DESTDIR=<tmp> PREFIX=/usr`), then compiles tests/install_smoke.c, copied to a folder of its own,
with nothing but what `pkg-config carecast` of the staged copy says: once against the shared
library, once statically (`--static`, every dependency from the .pc file). Each program loads
scenarios/kashiwa.ini, runs one replication through the public API and prints the total
population of 2030, which must be Kashiwa-sized. Then `make uninstall` removes every file.

pkg-config is pointed at the staged copy with PKG_CONFIG_PATH and
`--define-variable=prefix=<DESTDIR>/usr`, not PKG_CONFIG_SYSROOT_DIR: a sysroot would also be
prepended to the system packages' paths (hdf5-serial's -L), which are not in the staging folder.
"""
import glob
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import unittest

import carecast_testlib as T

PREFIX = "/usr"
YEAR = 2030
PLAUSIBLE = (430000, 450000)  # Kashiwa's total in 2030: IPSS 2023 439,526


def build_folder():
    """The BUILD folder of the binary under test, relative to the source root when inside it."""
    folder = os.path.dirname(os.path.abspath(T.carecast_bin()))
    rel = os.path.relpath(folder, T.source_root())
    return folder if rel.startswith("..") else rel


def build_cflags(build):
    """CFLAGS the build folder was made with, for make and for linking against the library:
    None when $CFLAGS is set (make check passes its ASan+UBSan flags to the tests that way, and
    make takes them from the environment) or the build is a plain one; the Makefile's
    ASAN_FLAGS when the test runs by hand against a sanitized build (libcarecast.a calls ASan)."""
    if "CFLAGS" in os.environ:
        return None
    try:
        with open(os.path.join(T.source_root(), build, "libcarecast.a"), "rb") as f:
            sanitized = b"__asan_" in f.read()
        with open(os.path.join(T.source_root(), "Makefile")) as f:
            asan = re.search(r"^ASAN_FLAGS\s*=\s*(.*)$", f.read(), re.M)
    except OSError:
        return None
    return asan.group(1).strip() if sanitized and asan else None


def sanitizer_flags(cflags):
    """The flags of cflags (or $CFLAGS) that a program linked against the library needs too."""
    text = cflags if cflags is not None else os.environ.get("CFLAGS", "")
    return [f for f in shlex.split(text) if f.startswith("-fsanitize") or f == "-fno-omit-frame-pointer"]


def needed_libraries(program):
    out = subprocess.run(["readelf", "-d", program], stdout=subprocess.PIPE, universal_newlines=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


@T.require_binary
class Install(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in ("make", "pkg-config", "cc"):
            if not shutil.which(tool):
                raise unittest.SkipTest("%s not found" % tool)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.destdir = os.path.join(cls.tmp.name, "stage")
        cls.build = build_folder()
        cls.cflags = build_cflags(cls.build)
        cls.make = ["make", "--no-print-directory", "-C", T.source_root(), "BUILD=" + cls.build]
        if cls.cflags is not None:
            cls.make.append("CFLAGS=" + cls.cflags)
        # Install what was built and tested, without rebuilding it: a build folder older than the
        # sources (edited since) is not what the other tests ran; say so rather than remake it.
        up_to_date = subprocess.run(cls.make + ["-q", os.path.join(cls.build, "carecast"),
                                                os.path.join(cls.build, "libcarecast.a")],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if up_to_date.returncode != 0:
            cls.tmp.cleanup()
            raise unittest.SkipTest("%s is older than the sources: run `make BUILD=%s` first"
                                    % (cls.build, cls.build))
        cls.install = subprocess.run(cls.make + ["install", "DESTDIR=" + cls.destdir, "PREFIX=" + PREFIX],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                                     timeout=900)
        cls.root = cls.destdir + PREFIX  # the installed tree as seen through DESTDIR
        cls.work = os.path.join(cls.tmp.name, "work")
        os.makedirs(cls.work)
        # the program alone in its folder: no source tree header beside it
        shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "install_smoke.c"), cls.work)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.assertEqual(self.install.returncode, 0, "make install failed:\n" + self.install.stdout[-4000:])

    def pkg_config(self, *args):
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(self.root, "lib", "pkgconfig"))
        env.pop("PKG_CONFIG_SYSROOT_DIR", None)
        env.pop("PKG_CONFIG_LIBDIR", None)
        result = subprocess.run(["pkg-config", "--define-variable=prefix=" + self.root] + list(args) + ["carecast"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return shlex.split(result.stdout)

    def compile(self, name, libs):
        cflags = self.pkg_config("--cflags")
        program = os.path.join(self.work, name)
        cmd = (["cc", "-std=c11", "-Wall", "-Wextra", "-Werror"] + sanitizer_flags(self.cflags) + cflags
               + [os.path.join(self.work, "install_smoke.c"), "-o", program] + libs)
        result = subprocess.run(cmd, cwd=self.work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                universal_newlines=True, timeout=300)
        self.assertEqual(result.returncode, 0, " ".join(cmd) + "\n" + result.stdout)
        return program

    def run_smoke(self, program, env=None):
        full_env = dict(os.environ, OMP_NUM_THREADS="1")
        full_env.pop("LD_LIBRARY_PATH", None)
        full_env.update(env or {})
        result = subprocess.run([program, T.scenario_path("kashiwa.ini"), str(YEAR)], cwd=self.work,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                                env=full_env, timeout=600)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        m = re.search(r"total %d: (\d+)" % YEAR, result.stdout)
        self.assertIsNotNone(m, result.stdout)
        total = int(m.group(1))
        self.assertTrue(PLAUSIBLE[0] <= total <= PLAUSIBLE[1],
                        "Kashiwa %d total %d outside %s" % (YEAR, total, PLAUSIBLE))
        self.assertIn("carecast " + T.version(), result.stdout)

    def test_files_installed(self):
        self.assertTrue(os.access(os.path.join(self.root, "bin", "carecast"), os.X_OK))
        self.assertTrue(os.path.isfile(os.path.join(self.root, "lib", "libcarecast.a")))
        self.assertTrue(os.path.isfile(os.path.join(self.root, "lib", "pkgconfig", "carecast.pc")))
        shared = os.path.join(self.root, "lib", "libcarecast.so")
        self.assertTrue(os.path.islink(shared) and os.path.isfile(shared), "libcarecast.so -> the library")
        public = sorted(os.path.basename(p) for p in glob.glob(os.path.join(T.source_root(), "include", "carecast", "*.h")))
        installed = sorted(os.listdir(os.path.join(self.root, "include", "carecast")))
        self.assertEqual(installed, public, "every public header, and nothing else")

    def test_installed_program_runs(self):
        result = subprocess.run([os.path.join(self.root, "bin", "carecast"), "--version"], stdout=subprocess.PIPE,
                                universal_newlines=True)
        self.assertEqual(result.returncode, 0)
        self.assertEqual(result.stdout.strip(), "carecast " + T.version())

    def test_pkg_config_points_at_the_installed_copy(self):
        cflags = self.pkg_config("--cflags")
        includes = [f[2:] for f in cflags if f.startswith("-I")]
        self.assertIn(os.path.join(self.root, "include"), includes)
        source_include = os.path.join(T.source_root(), "include")
        for path in includes:
            self.assertFalse(os.path.realpath(path).startswith(os.path.realpath(source_include)), cflags)
        self.assertTrue(any("hdf5" in path for path in includes),
                        "the HDF5 include folder is in Cflags (for headers that use HDF5): %s" % cflags)
        libs = self.pkg_config("--libs")
        self.assertIn("-L" + os.path.join(self.root, "lib"), libs)
        self.assertIn("-lcarecast", libs)
        static = self.pkg_config("--libs", "--static")
        for lib in ("-lhdf5_hl", "-lhdf5", "-lgsl", "-lgslcblas", "-linih", "-lcsv", "-lnettle", "-lm", "-fopenmp"):
            self.assertIn(lib, static)
        modversion = self.pkg_config("--modversion")
        self.assertEqual(modversion, [T.version()])

    def test_shared_library(self):
        program = self.compile("smoke_shared", self.pkg_config("--libs"))
        self.assertTrue(any(lib.startswith("libcarecast.so") for lib in needed_libraries(program)),
                        needed_libraries(program))
        self.run_smoke(program, {"LD_LIBRARY_PATH": os.path.join(self.root, "lib")})

    def test_static_library(self):
        # the static archive explicitly (the linker would prefer the .so for -lcarecast)
        libs = ["-l:libcarecast.a" if f == "-lcarecast" else f for f in self.pkg_config("--libs", "--static")]
        program = self.compile("smoke_static", libs)
        self.assertFalse(any(lib.startswith("libcarecast") for lib in needed_libraries(program)),
                         needed_libraries(program))
        self.run_smoke(program)

    def test_uninstall_removes_every_file(self):
        stage = os.path.join(self.tmp.name, "stage-uninstall")
        make = self.make + ["DESTDIR=" + stage, "PREFIX=" + PREFIX]
        for target in ("install", "uninstall"):
            result = subprocess.run(make + [target], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    universal_newlines=True, timeout=900)
            self.assertEqual(result.returncode, 0, result.stdout[-4000:])
        left = [os.path.join(folder, name) for folder, _dirs, files in os.walk(stage) for name in files]
        left += [os.path.join(folder, name) for folder, dirs, _files in os.walk(stage) for name in dirs
                 if os.path.islink(os.path.join(folder, name))]
        self.assertEqual(left, [])


if __name__ == "__main__":
    unittest.main()
