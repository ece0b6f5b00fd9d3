/* cooperative: a pooled night team per block, made of the block's backup-clinic doctors in
 * turn, answers for every participating doctor's patients of the block. A block without a
 * backup doctor has no cover out of hours. */
#include "scheme.h"

static int build(const cc_coverage_params *params, const cc_coverage_layout *layout, cc_scheme_groups *groups)
{
    for (int b = 0; b < params->nblocks; b++) {
        cc_scheme_groups_begin(groups);
        int group = groups->ngroups - 1, members = 0;
        for (int d = 0; d < layout->ndoctors; d++)
            if (cc_layout_doctor_block(params, layout, d) == b && cc_layout_doctor_is_backup(params, layout, d)) {
                cc_scheme_groups_add(groups, d);
                members++;
            }
        for (int d = 0; d < layout->ndoctors; d++)
            if (cc_layout_doctor_block(params, layout, d) == b)
                groups->patient_group[d] = members > 0 ? group : -1;
    }
    return 0;
}

const cc_scheme_def cc_scheme_cooperative = {"cooperative", build};
