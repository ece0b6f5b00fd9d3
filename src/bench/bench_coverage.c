/* bench_coverage: the on-call simulation alone, on one thread, for `make bench`. Runs the
 * coverage engine (cc_coverage_simulate: the year's events drawn, then answered under each
 * scheme) for a scenario's clinics, one target year and a fixed number of patients, for N
 * replications, and times it. No population, no demand stage, no results file.
 * Event unit (the same as the SimPy peer's, scripts/peers/oncall_simpy.py): scheduled visits
 * (skipped ones included), urgent calls, deaths at home and absence spells processed, counted
 * once per scheme.
 * Usage: bench_coverage SCENARIO REPLICATIONS PATIENTS YEAR [SCHEMES]
 *   SCHEMES: comma-separated (default: the scenario's). Urgent calls per patient-month: the
 *   scenario's [demand] urgent_calls_per_patient_month.
 * Prints one line of figures (events, wall seconds, events/s, CPU seconds) and, for checking that a peer does
 * the same work, the mean counts per replication and a few per-scheme metrics. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carecast/carecast.h"

static double now_seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int parse_schemes(char *list, cc_coverage_params *p)
{
    p->nschemes = 0;
    for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
        int id = cc_scheme_find(name);
        if (id < 0 || p->nschemes == CC_SCHEMES)
            return -1;
        p->scheme[p->nschemes++] = (cc_scheme_id)id;
    }
    return p->nschemes > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 5 || argc > 6) {
        fprintf(stderr, "usage: bench_coverage SCENARIO REPLICATIONS PATIENTS YEAR [SCHEMES]\n");
        return 2;
    }
    long reps = atol(argv[2]), patients = atol(argv[3]);
    int year = atoi(argv[4]);
    cc_scenario s;
    cc_error err;
    if (cc_scenario_load(&s, argv[1], &err) != 0) {
        fprintf(stderr, "bench_coverage: %s\n", err.message);
        return 3;
    }
    cc_coverage_params p = s.coverage;
    p.nyears = 1;
    p.target_year[0] = year;
    if (reps < 1 || patients < 0 || !p.enabled || (argc == 6 && parse_schemes(argv[5], &p) != 0)) {
        fprintf(stderr, "bench_coverage: need REPLICATIONS >= 1, PATIENTS >= 0, a scenario with a clinics table "
                        "and known scheme names\n");
        cc_scenario_free(&s);
        return 2;
    }
    cc_coverage_layout layout;
    cc_coverage_workspace *ws = NULL;
    cc_coverage_result r;
    memset(&r, 0, sizeof r);
    int ret = cc_coverage_layout_build(&p, &layout, &err);
    if (ret != 0) {
        fprintf(stderr, "bench_coverage: %s\n", err.message);
        cc_scenario_free(&s);
        return 3;
    }
    ret = cc_coverage_workspace_alloc(&ws, &p, &layout);
    if (ret == 0)
        ret = cc_coverage_result_init(&r, &p, &layout);
    cc_coverage_input input = {(double)patients, s.demand.urgent_calls_per_patient_month};
    double count[CC_COV_METRICS] = {0}, scheme_sum[CC_SCHEMES][CC_SCH_METRICS] = {{0}};
    long events = 0;
    double start = now_seconds(CLOCK_MONOTONIC), cpu_start = now_seconds(CLOCK_PROCESS_CPUTIME_ID);
    for (long rep = 0; ret == 0 && rep < reps; rep++) {
        ret = cc_coverage_simulate(&p, &layout, &s.run, (uint32_t)rep, 0, &input, ws, &r);
        events += r.events_per_scheme * p.nschemes;
        for (int m = 0; m < CC_COV_METRICS; m++)
            count[m] += r.year[m];
        for (int i = 0; i < p.nschemes; i++)
            for (int m = 0; m < CC_SCH_METRICS; m++)
                scheme_sum[i][m] += r.scheme[(size_t)i * CC_SCH_METRICS + m];
    }
    double seconds = now_seconds(CLOCK_MONOTONIC) - start, cpu = now_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
    if (ret != 0)
        fprintf(stderr, "bench_coverage: the simulation failed (code %d)\n", ret);
    else {
        /* spells: the events of a scheme that are not in the year's counts */
        double per_rep_events = (double)events / reps / p.nschemes;
        double spells = per_rep_events - (count[CC_COV_SCHEDULED_VISITS] + count[CC_COV_URGENT_CALLS] +
                                          count[CC_COV_HOME_DEATHS]) / reps;
        printf("bench_coverage: year %d, %ld patients (%.0f covered), %d doctors, %d schemes, %ld replications\n",
               year, patients, count[CC_COV_COVERED] / reps, layout.ndoctors, p.nschemes, reps);
        printf("per replication: scheduled_visits=%.1f urgent_calls=%.1f home_deaths=%.1f absence_spells=%.1f\n",
               count[CC_COV_SCHEDULED_VISITS] / reps, count[CC_COV_URGENT_CALLS] / reps,
               count[CC_COV_HOME_DEATHS] / reps, spells);
        for (int i = 0; i < p.nschemes; i++)
            printf("scheme %s: continuity=%.4f escalations_per_1000_patient_months=%.3f response_mean=%.2f\n",
                   cc_scheme_name(p.scheme[i]), scheme_sum[i][CC_SCH_CONTINUITY] / reps,
                   scheme_sum[i][CC_SCH_ESCALATIONS_PER_1000] / reps, scheme_sum[i][CC_SCH_RESPONSE_MEAN] / reps);
        printf("carecast-oncall replications=%ld events=%ld seconds=%.4f events_per_s=%.0f cpu_seconds=%.4f\n", reps,
               events, seconds, events / seconds, cpu);
    }
    cc_coverage_result_free(&r);
    cc_coverage_workspace_free(ws);
    cc_coverage_layout_free(&layout);
    cc_scenario_free(&s);
    return ret != 0;
}
