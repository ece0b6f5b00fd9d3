/* The interface every coverage scheme implements, private to the coverage module.
 * A scheme says who covers a doctor's patients out of hours: it puts doctors into cover
 * groups, each with a roster of members who hold its duty periods in turn (skipping members
 * away that day), and names the group that covers each doctor's patients. The engine
 * (simulate.c) does the rest the same way for every scheme: one responder per call (the own
 * doctor in hours if present, else the holder of the group's period: the coming duty night's
 * holder when the call is in hours), busy doctors, escalation, metrics.
 * A new scheme is one file defining a cc_scheme_def plus one line in schemes.c. */
#ifndef CC_COVERAGE_SCHEME_H
#define CC_COVERAGE_SCHEME_H

#include "carecast/coverage.h"

/* The groups of a scheme for a layout. */
typedef struct {
    int ngroups;
    int *patient_group;   /* [ndoctors]: group covering the doctor's patients out of hours; -1: none */
    int *member;          /* the members of every group, group after group, in roster order */
    int *first_member;    /* [ngroups + 1]: group g's members are member[first_member[g] .. first_member[g + 1]) */
} cc_scheme_groups;

typedef struct {
    const char *name;
    /* Fill groups (arrays sized by cc_scheme_groups_build). Returns 0. */
    int (*build)(const cc_coverage_params *params, const cc_coverage_layout *layout, cc_scheme_groups *groups);
} cc_scheme_def;

extern const cc_scheme_def cc_scheme_pairing, cc_scheme_rotation, cc_scheme_solo, cc_scheme_cooperative;

/* The groups of scheme id for a layout, in arrays allocated here (sized for the most groups any
 * scheme makes: one per doctor, block or clinic). Returns 0 or CC_ERR_NOMEM; free with
 * cc_scheme_groups_free, which is always safe after a zeroed struct. */
int cc_scheme_groups_build(cc_scheme_id id, const cc_coverage_params *params, const cc_coverage_layout *layout,
                           cc_scheme_groups *groups);
void cc_scheme_groups_free(cc_scheme_groups *groups);

const cc_scheme_def *cc_scheme_get(cc_scheme_id id);

/* Helpers for scheme files: start a new group; add a member to the last group; close it. */
void cc_scheme_groups_begin(cc_scheme_groups *groups);
void cc_scheme_groups_add(cc_scheme_groups *groups, int doctor);

/* The block of a doctor, and whether the doctor works in a backup clinic. */
int cc_layout_doctor_block(const cc_coverage_params *params, const cc_coverage_layout *layout, int doctor);
int cc_layout_doctor_is_backup(const cc_coverage_params *params, const cc_coverage_layout *layout, int doctor);

#endif
