/* The registry of coverage schemes (names in the order of cc_scheme_id) and the helpers the
 * scheme files share to build their cover groups. */
#include <stdlib.h>
#include <string.h>

#include "scheme.h"

static const cc_scheme_def *const registry[CC_SCHEMES] = {
    [CC_SCHEME_PAIRING] = &cc_scheme_pairing,
    [CC_SCHEME_ROTATION] = &cc_scheme_rotation,
    [CC_SCHEME_SOLO] = &cc_scheme_solo,
    [CC_SCHEME_COOPERATIVE] = &cc_scheme_cooperative,
};

const cc_scheme_def *cc_scheme_get(cc_scheme_id id) { return id >= 0 && id < CC_SCHEMES ? registry[id] : NULL; }

const char *cc_scheme_name(cc_scheme_id id) { return id >= 0 && id < CC_SCHEMES ? registry[id]->name : "?"; }

int cc_scheme_find(const char *name)
{
    for (int i = 0; i < CC_SCHEMES; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return i;
    return -1;
}

void cc_scheme_groups_begin(cc_scheme_groups *g)
{
    int end = g->ngroups > 0 ? g->first_member[g->ngroups] : 0;
    g->ngroups++;
    g->first_member[g->ngroups] = end;
}

void cc_scheme_groups_add(cc_scheme_groups *g, int doctor)
{
    g->member[g->first_member[g->ngroups]++] = doctor;
}

int cc_layout_doctor_block(const cc_coverage_params *p, const cc_coverage_layout *l, int doctor)
{
    return p->clinics[l->doctor_clinic[doctor]].block;
}

int cc_layout_doctor_is_backup(const cc_coverage_params *p, const cc_coverage_layout *l, int doctor)
{
    return p->clinics[l->doctor_clinic[doctor]].type == CC_CLINIC_BACKUP;
}

int cc_scheme_groups_build(cc_scheme_id id, const cc_coverage_params *p, const cc_coverage_layout *l,
                           cc_scheme_groups *g)
{
    /* members: at most every doctor; groups: one per doctor (solo), block (rotation,
     * cooperative) or backup clinic (pairing), whichever is most */
    size_t n = l->ndoctors > 0 ? (size_t)l->ndoctors : 1, most_groups = n;
    if ((size_t)p->nblocks > most_groups) most_groups = (size_t)p->nblocks;
    if ((size_t)p->nclinics > most_groups) most_groups = (size_t)p->nclinics;
    int *storage = malloc((2 * n + most_groups + 1) * sizeof *storage);
    *g = (cc_scheme_groups){0, storage, storage + n, storage + 2 * n};
    if (!storage)
        return CC_ERR_NOMEM;
    g->first_member[0] = 0;
    return cc_scheme_get(id)->build(p, l, g);
}

void cc_scheme_groups_free(cc_scheme_groups *g)
{
    free(g->patient_group); /* the start of the one allocation */
    *g = (cc_scheme_groups){0, NULL, NULL, NULL};
}
