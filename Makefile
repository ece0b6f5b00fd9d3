# carecast: build, run and test. `make run` and `make check` install missing Debian packages
# first (scripts/install-deps.sh), so both work on a fresh Debian 12 machine.
CC       ?= gcc
HDF5_CFLAGS := $(shell pkg-config --cflags hdf5-serial 2>/dev/null)
HDF5_LIBS   := $(shell pkg-config --libs hdf5-serial 2>/dev/null) -lhdf5_hl

# make MPI=1: the MPI-enabled program (Open MPI; scripts/install-deps.sh --mpi), in its own
# folder so MPI and serial objects never mix. Flags expanded late: the packages may be installed
# by this very make.
ifeq ($(MPI),1)
BUILD      ?= build-mpi
MPI_CFLAGS  = -DCC_HAVE_MPI $(shell pkg-config --cflags ompi-c)
MPI_LIBS    = $(shell pkg-config --libs ompi-c)
.DEFAULT_GOAL := mpi
endif

WARN     := -Wall -Wextra -Wpedantic -Werror
CFLAGS   ?= -O2 -g
# The library sees only the public headers (-Iinclude); a module's private headers sit beside
# its sources and are included by plain name. Unit tests may also reach private headers as
# "module/header.h" (-Isrc).
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(WARN) -fopenmp -Iinclude $(HDF5_CFLAGS) $(MPI_CFLAGS) $(CFLAGS)
LDLIBS   = $(HDF5_LIBS) -linih -lcsv -lnettle -lgsl -lgslcblas -lm $(MPI_LIBS)
BUILD    ?= build
PYTHON   := /usr/bin/python3

# One folder per stage (src/<module>/); src/cli and src/bench hold programs, not library code.
MODULES  := core scenario population demand coverage capacity results run report sensitivity
LIB_SRC  := $(foreach m,$(MODULES),$(wildcard src/$(m)/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
LIB_HDR  := $(wildcard include/carecast/*.h) $(foreach m,$(MODULES),$(wildcard src/$(m)/*.h))
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps run check test-programs unit cli-tests memcheck clean keys-doc validate bench fuzz mpi
all: $(BUILD)/carecast

# `make MPI=1`: Open MPI installed if missing, then build-mpi/carecast (README "Running on a cluster").
mpi:
	@scripts/install-deps.sh --mpi
	$(MAKE) MPI=1 BUILD=build-mpi build-mpi/carecast

deps:
	@scripts/install-deps.sh

$(BUILD)/obj/%.o: src/%.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -c $< -o $@

$(BUILD)/libcarecast.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^ # a fresh archive: members of renamed or removed sources must not linger

# The program: main.c dispatches to the commands that have a file of their own.
CLI_SRC  := src/cli/main.c src/cli/cli.c src/cli/capacity.c src/cli/sensitivity.c src/cli/plot.c
CLI_SRC  += src/cli/report.c # summary, export, report
CLI_SRC  += src/cli/region.c # run --region, scenario, batch, regions
$(BUILD)/carecast: $(CLI_SRC) src/cli/cli.h $(BUILD)/libcarecast.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_SRC) $(BUILD)/libcarecast.a $(LDLIBS)

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/libcarecast.a | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libcarecast.a $(LDLIBS) -lcmocka

$(BUILD)/bench_draws: src/bench/bench_draws.c $(BUILD)/libcarecast.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libcarecast.a $(LDLIBS)

$(BUILD)/bench_coverage: src/bench/bench_coverage.c $(BUILD)/libcarecast.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libcarecast.a $(LDLIBS)

$(BUILD)/tests:
	mkdir -p $@

run: deps
	$(MAKE) all
	$(BUILD)/carecast run scenarios/kashiwa.ini -o results/kashiwa.h5
	$(BUILD)/carecast plot results/kashiwa.h5 -o results

# Unit tests (cmocka), then the CLI tests (Python: bad inputs, h5py reader, determinism,
# reference projection, demand), valgrind memcheck of a run, a check and failing inputs, then
# unit and CLI tests again under AddressSanitizer + UBSan (valgrind cannot run those binaries;
# CARECAST_SANITIZED skips the tests of other programs there: MPI, netCDF clients).
ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check: deps
	$(MAKE) -j2 MPI=1 mpi # tests/test_mpi.py compares its files with the serial program's
	$(MAKE) -j2 test-programs # compiled on both cores; the tests themselves run one after another
	$(MAKE) unit cli-tests memcheck
	$(MAKE) -j2 BUILD=build-asan CFLAGS="$(ASAN_FLAGS)" test-programs
	$(MAKE) BUILD=build-asan CFLAGS="$(ASAN_FLAGS)" CLI_ENV=CARECAST_SANITIZED=1 unit cli-tests

# Everything the tests run, built (make -j2 test-programs compiles it in parallel).
test-programs: $(BUILD)/carecast $(TEST_BIN) $(BUILD)/bench_draws $(BUILD)/bench_coverage

unit: $(TEST_BIN) $(BUILD)/bench_draws $(BUILD)/bench_coverage # the benchmark programs are built too, so they cannot rot
	@failed=""; for t in $(TEST_BIN); do echo "== $$t"; (cd tests && ../$$t) || failed="$$failed $$t"; done; \
	if [ -n "$$failed" ]; then echo "FAILED:$$failed"; exit 1; fi

cli-tests: $(BUILD)/carecast
	$(CLI_ENV) CARECAST_BIN=$(abspath $(BUILD))/carecast CARECAST_MPI_BIN=$(abspath build-mpi)/carecast \
	$(PYTHON) -m unittest discover -s tests -p 'test_*.py' -v

# No memcheck report allowed (tests/memcheck.py; suppressions: tests/valgrind.supp, library
# noise only). Skips, saying so, without valgrind.
memcheck: $(BUILD)/carecast
	$(PYTHON) tests/memcheck.py --bin $(BUILD)/carecast

keys-doc: $(BUILD)/carecast
	$(BUILD)/carecast keys --markdown

# Speed as ratios: 2 threads vs 1, the run vs its own random draws, carecast vs the NumPy peer.
bench: deps
	$(MAKE) all $(BUILD)/bench_draws $(BUILD)/bench_coverage
	$(PYTHON) scripts/bench.py --bin $(BUILD)/carecast

clean:
	rm -rf build build-asan build-fuzz build-mpi

# Statistical validation against official figures (longer than the tests; not part of check).
# All three scripts run even if one fails; the target fails if any did.
validate: deps
	$(MAKE) all
	@failed=""; \
	$(PYTHON) scripts/validate-population.py --bin $(BUILD)/carecast || failed="$$failed population"; \
	$(PYTHON) scripts/validate-demand.py --bin $(BUILD)/carecast || failed="$$failed demand"; \
	$(PYTHON) scripts/validate-coverage.py --bin $(BUILD)/carecast || failed="$$failed coverage"; \
	if [ -n "$$failed" ]; then echo "make validate FAILED:$$failed"; exit 1; fi; echo "make validate: all passed"

# ---- install / uninstall ------------------------------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=staging] installs the program, libcarecast (static,
# and shared with its soname links), the public headers and carecast.pc (from carecast.pc.in):
#   cc app.c $(pkg-config --cflags --libs carecast)            (shared library)
#   cc app.c $(pkg-config --cflags --libs --static carecast)   (every dependency spelled out)
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
INSTALL    ?= install
VERSION    := $(shell sed -n 's/^\#define CC_VERSION "\(.*\)"/\1/p' include/carecast/carecast.h)
# 0.x: every minor version may break the ABI, so the soname carries major.minor.
SOVERSION  := $(word 1,$(subst ., ,$(VERSION))).$(word 2,$(subst ., ,$(VERSION)))
SONAME     := libcarecast.so.$(SOVERSION)

$(BUILD)/libcarecast.so.$(VERSION): $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined -o $@ $^ $(LDLIBS)

# The folders in the .pc file relative to ${prefix} where they lie under it, so that
# `pkg-config --define-variable=prefix=...` relocates a staged copy.
pc_rel = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

.PHONY: install uninstall
install: $(BUILD)/carecast $(BUILD)/libcarecast.a $(BUILD)/libcarecast.so.$(VERSION)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/carecast $(DESTDIR)$(PKGCONFIGDIR)
	$(INSTALL) -m 755 $(BUILD)/carecast $(DESTDIR)$(BINDIR)/carecast
	$(INSTALL) -m 644 $(BUILD)/libcarecast.a $(DESTDIR)$(LIBDIR)/libcarecast.a
	$(INSTALL) -m 755 $(BUILD)/libcarecast.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libcarecast.so.$(VERSION)
	ln -sf libcarecast.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libcarecast.so
	$(INSTALL) -m 644 include/carecast/*.h $(DESTDIR)$(INCLUDEDIR)/carecast/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call pc_rel,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(call pc_rel,$(INCLUDEDIR))|' -e 's|@VERSION@|$(VERSION)|' \
	    carecast.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/carecast.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/carecast.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/carecast $(DESTDIR)$(PKGCONFIGDIR)/carecast.pc
	rm -f $(DESTDIR)$(LIBDIR)/libcarecast.a $(DESTDIR)$(LIBDIR)/libcarecast.so \
	      $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libcarecast.so.$(VERSION)
	rm -rf $(DESTDIR)$(INCLUDEDIR)/carecast

# libFuzzer (clang): the scenario loader, the table readers and the results reader, each for
# FUZZ_SECONDS (default 600) on a corpus seeded from the shipped scenarios, tables and a small
# results file; the library is built again with clang, ASan and UBSan in build-fuzz. Crashes are
# written to build-fuzz/crash-*; each one in carecast's code becomes a regression test.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := fuzz_scenario fuzz_table fuzz_reader
FUZZ_FLAGS   := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
fuzz:
	@scripts/install-deps.sh --fuzz
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" build-fuzz/libcarecast.a build-fuzz/carecast
	@mkdir -p build-fuzz/corpus-scenario build-fuzz/corpus-table build-fuzz/corpus-reader
	cp scenarios/*.ini scenarios/validation/*.ini build-fuzz/corpus-scenario/
	for t in scenarios/data/*.csv; do printf '\000' | cat - $$t > build-fuzz/corpus-table/$$(basename $$t); done
	build-fuzz/carecast run scenarios/kashiwa.ini -n 2 -q --no-table --set simulation.end_year=2030 \
		--set coverage.replications=1 -o build-fuzz/corpus-reader/small.h5
	for t in $(FUZZ_TARGETS); do \
		clang $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -Isrc -o build-fuzz/$$t tests/fuzz/$$t.c \
			build-fuzz/libcarecast.a $(LDLIBS) || exit 1; done
	@set -e; for t in scenario table reader; do \
		echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
		CARECAST_DATA=$(abspath scenarios/data) CARECAST_BASE=$(abspath scenarios/kashiwa.ini) \
		build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=4096 \
			-artifact_prefix=build-fuzz/crash-$$t- -print_final_stats=1 build-fuzz/corpus-$$t 2>&1 | \
			grep -E "^(#[0-9]+ *DONE|Done|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)" || true; \
	done
