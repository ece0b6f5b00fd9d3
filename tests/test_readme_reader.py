"""The README's C example of the results reader ("Reading it from C") compiles against the
library the tests run with (the build folder of $CARECAST_BIN) and prints the values h5py reads
from the same file: the axis names and the median total of 2040."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carecast_testlib as T  # noqa: E402


def readme_c_snippet():
    with open(os.path.join(T.REPO_ROOT, "README.md"), encoding="utf-8") as f:
        blocks = re.findall(r"```c\n(.*?)```", f.read(), re.S)
    assert len(blocks) == 1, "the README shows one C example"
    return blocks[0]


def link_flags(library):
    """Flags a program linked against library (libcarecast.a) needs: its dependencies, and the
    sanitizers when the library was built with them."""
    hdf5 = subprocess.run(["pkg-config", "--cflags", "--libs", "hdf5-serial"], capture_output=True, text=True)
    flags = shlex.split(hdf5.stdout) + ["-lhdf5_hl", "-linih", "-lcsv", "-lnettle", "-lgsl", "-lgslcblas", "-lm",
                                        "-fopenmp"]
    with open(library, "rb") as f:
        if b"__asan_" in f.read():
            flags += ["-fsanitize=address,undefined", "-fno-omit-frame-pointer"]
    return flags


@T.require_binary
@unittest.skipUnless(shutil.which("cc") and shutil.which("pkg-config"), "no C compiler or pkg-config")
class ReadmeReaderExampleTest(unittest.TestCase):
    def test_example_compiles_and_reads_the_file(self):
        library = os.path.join(os.path.dirname(T.carecast_bin()), "libcarecast.a")
        if not os.path.isfile(library):
            self.skipTest("no %s beside the binary" % library)
        with tempfile.TemporaryDirectory() as tmp:
            os.mkdir(os.path.join(tmp, "results"))
            path = os.path.join(tmp, "results", "kashiwa.h5")
            result = T.run(["run", T.scenario_path("kashiwa.ini"), "-n", "4", "-q", "-o", path])
            self.assertEqual(result.returncode, 0, result.stderr)
            source = os.path.join(tmp, "example.c")
            with open(source, "w") as f:
                f.write(readme_c_snippet())
            program = os.path.join(tmp, "example")
            cmd = (["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", os.path.join(T.source_root(), "include"),
                    source, library, "-o", program] + link_flags(library))
            built = subprocess.run(cmd, capture_output=True, text=True)
            self.assertEqual(built.returncode, 0, " ".join(cmd) + "\n" + built.stderr)
            ran = subprocess.run([program], cwd=tmp, capture_output=True, text=True, timeout=60)
            self.assertEqual(ran.returncode, 0, ran.stderr)
            with h5py.File(path, "r") as h5:
                year = list(h5["year"][()]).index(2040)
                median = h5["population/total/quantiles"][0, 2, year, 2]
            self.assertRegex(ran.stdout, r"^\d+ datasets, the first /\w")
            self.assertIn("axes scenario, quantile, year, sex; total 2040: %.0f" % median, ran.stdout)


if __name__ == "__main__":
    unittest.main()
