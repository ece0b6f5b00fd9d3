/* The registry of coverage schemes (names in the order of cc_scheme_id) and the helpers the
 * scheme files share to build their cover groups. */
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
