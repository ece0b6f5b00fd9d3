/* Who works where: the participating doctors (numbered clinic by clinic, in table order), and
 * the pairs of primary clinics with backup clinics. A pair given in the table is kept; a
 * participating primary without one is paired with a participating backup of its block, the
 * one with the fewest paired panel places per backup doctor so far (ties: table order), at
 * most max_primaries_per_backup primaries per backup. Primaries left over have no backup. */
#include <stdlib.h>
#include <string.h>

#include "carecast/coverage.h"

static int count_primaries(const cc_coverage_layout *l, int nclinics, int backup)
{
    int n = 0;
    for (int c = 0; c < nclinics; c++)
        n += l->pair[c] == backup;
    return n;
}

/* The backup of block `block` with room and the fewest paired panel places per doctor. */
static int choose_backup(const cc_coverage_params *p, const cc_coverage_layout *l, int block)
{
    int best = -1;
    double best_load = 0;
    for (int c = 0; c < p->nclinics; c++) {
        const cc_clinic *k = &p->clinics[c];
        if (k->type != CC_CLINIC_BACKUP || !k->participates || k->block != block ||
            count_primaries(l, p->nclinics, c) >= p->max_primaries_per_backup)
            continue;
        double places = 0;
        for (int q = 0; q < p->nclinics; q++)
            if (l->pair[q] == c)
                places += p->clinics[q].panel_capacity;
        double load = places / k->doctors;
        if (best < 0 || load < best_load) {
            best = c;
            best_load = load;
        }
    }
    return best;
}

int cc_coverage_layout_build(const cc_coverage_params *p, cc_coverage_layout *l, cc_error *err)
{
    memset(l, 0, sizeof *l);
    int n = p->nclinics > 0 ? p->nclinics : 1, doctors = 0;
    for (int c = 0; c < p->nclinics; c++)
        doctors += p->clinics[c].participates ? p->clinics[c].doctors : 0;
    l->clinic_first_doctor = malloc(n * sizeof *l->clinic_first_doctor);
    l->pair = malloc(n * sizeof *l->pair);
    l->doctor_clinic = malloc((doctors > 0 ? doctors : 1) * sizeof *l->doctor_clinic);
    if (!l->clinic_first_doctor || !l->pair || !l->doctor_clinic) {
        cc_coverage_layout_free(l);
        return cc_error_set(err, CC_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    for (int c = 0; c < p->nclinics; c++) {
        const cc_clinic *k = &p->clinics[c];
        l->clinic_first_doctor[c] = k->participates ? l->ndoctors : -1;
        for (int i = 0; k->participates && i < k->doctors; i++)
            l->doctor_clinic[l->ndoctors++] = c;
        l->pair[c] = k->type == CC_CLINIC_PRIMARY && k->participates && k->backup >= 0 &&
                             p->clinics[k->backup].participates ? k->backup : -1;
    }
    for (int c = 0; c < p->nclinics; c++) {
        const cc_clinic *k = &p->clinics[c];
        if (k->type != CC_CLINIC_PRIMARY || !k->participates || l->pair[c] >= 0 || k->backup >= 0)
            continue;
        l->pair[c] = choose_backup(p, l, k->block);
        l->paired_by_engine = 1;
    }
    for (int c = 0; c < p->nclinics; c++)
        l->unpaired_primaries += p->clinics[c].type == CC_CLINIC_PRIMARY && p->clinics[c].participates && l->pair[c] < 0;
    for (int b = 0; b < p->nblocks; b++) {
        int doctors_in_block = 0;
        for (int d = 0; d < l->ndoctors; d++)
            doctors_in_block += p->clinics[l->doctor_clinic[d]].block == b;
        l->blocks_without_doctors += p->block_share[b] > 0 && doctors_in_block == 0;
    }
    return 0;
}

void cc_coverage_layout_free(cc_coverage_layout *l)
{
    free(l->doctor_clinic);
    free(l->clinic_first_doctor);
    free(l->pair);
    memset(l, 0, sizeof *l);
}
