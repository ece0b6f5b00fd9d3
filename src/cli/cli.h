/* What the carecast commands (run, check, keys, capacity, sensitivity) share: the exit codes,
 * how an error is reported, and the check of a results file's target before any work. */
#ifndef CARECAST_CLI_H
#define CARECAST_CLI_H

#include <signal.h>

#include "carecast/carecast.h"

enum { EXIT_RUN_FAILED = 1, EXIT_USAGE = 2, EXIT_INPUT = 3, EXIT_INTERRUPTED = 130 };

/* Print the error on one line; return its exit code. One rule: what the command line says (an
 * option, its value, -o, a --set value) is a usage error (2) however it is wrong; what a file
 * says is invalid input (3); I/O and memory 1; interrupted 130. */
int cli_report(const cc_error *err);

/* The results file's target (cc_results_check_target), checked before the work: the path and
 * its folder, and, given the loaded scenarios, that it is none of their input files. 0 or the
 * exit code (the error printed). */
int cli_check_target(const char *path, const cc_scenario *scenarios, int nscenarios);

/* Command-line values shared by the commands. cli_whole_number: text as a whole number in
 * [lo, hi], else "carecast: WHAT must be a whole number from LO to HI, not 'TEXT'" and -1.
 * Overrides (--set, and -n/--seed given as keys) own copies of their three strings:
 * cli_override fills one, cli_parse_set parses SECTION.KEY=VALUE into one (else prints
 * "carecast: --set takes SECTION.KEY=VALUE, not 'ARG'"), each 0 or -1; cli_free_overrides frees
 * the first n and the array. */
int cli_whole_number(const char *text, const char *what, long lo, long hi, long *value);
int cli_override(cc_override *ov, const char *section, const char *key, const char *value);
int cli_parse_set(const char *arg, cc_override *ov);
void cli_free_overrides(cc_override *ov, int n);

/* Set by SIGINT or SIGTERM once cli_catch_signals has run; the library's long loops read it
 * (cc_run_options.interrupted and the like) and stop within a second. */
extern volatile sig_atomic_t cli_interrupted;
void cli_catch_signals(void);

/* Distributed runs (a program built with make MPI=1, started by mpirun): cli_start starts MPI
 * and leaves the printing to rank 0 (the other ranks' stdout and stderr go to /dev/null);
 * cli_finish makes every rank agree on the outcome (rank 0 prints another rank's error), ends
 * MPI and returns the exit code. Without MPI: one rank, rc unchanged. */
int cli_start(int *argc, char ***argv);
int cli_finish(int rc);

/* The commands beside run, check and keys (main.c dispatches to them). */
int cmd_capacity(int argc, char **argv);    /* src/cli/capacity.c */
int cc_cli_sensitivity(int argc, char **argv); /* src/cli/sensitivity.c */
int cmd_plot(int argc, char **argv);        /* src/cli/plot.c */
int cmd_summary(int argc, char **argv);     /* src/cli/report.c: summary, export, report */
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_run(int argc, char **argv);            /* src/cli/main.c */
/* src/cli/region.c: `run --region`, `scenario`, `batch`, `regions` */
int cli_run_has_region(int argc, char **argv);
int cli_run_region(int argc, char **argv);
int cmd_scenario(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_regions(int argc, char **argv);

#endif
