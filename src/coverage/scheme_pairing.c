/* pairing (Kashiwa's primary / backup doctors): out of hours, and in hours when the own
 * doctor is away, a backup clinic's doctors cover their own patients and those of the primary
 * clinics paired with it, in turn (a roster over that clinic's doctors). A primary without a
 * backup has no cover out of hours. */
#include "scheme.h"

static int build(const cc_coverage_params *params, const cc_coverage_layout *layout, cc_scheme_groups *groups)
{
    int group_of_clinic[params->nclinics > 0 ? params->nclinics : 1];
    for (int c = 0; c < params->nclinics; c++) {
        group_of_clinic[c] = -1;
        if (params->clinics[c].type != CC_CLINIC_BACKUP || layout->clinic_first_doctor[c] < 0)
            continue;
        cc_scheme_groups_begin(groups);
        for (int k = 0; k < params->clinics[c].doctors; k++)
            cc_scheme_groups_add(groups, layout->clinic_first_doctor[c] + k);
        group_of_clinic[c] = groups->ngroups - 1;
    }
    for (int d = 0; d < layout->ndoctors; d++) {
        int c = layout->doctor_clinic[d];
        int backup = params->clinics[c].type == CC_CLINIC_BACKUP ? c : layout->pair[c];
        groups->patient_group[d] = backup >= 0 ? group_of_clinic[backup] : -1;
    }
    return 0;
}

const cc_scheme_def cc_scheme_pairing = {"pairing", build};
