/* rotation (a night-duty roster): out of hours one doctor per block answers for every
 * participating doctor's patients of the block, taken in turn from all of them. */
#include "scheme.h"

static int build(const cc_coverage_params *params, const cc_coverage_layout *layout, cc_scheme_groups *groups)
{
    for (int b = 0; b < params->nblocks; b++) {
        cc_scheme_groups_begin(groups);
        for (int d = 0; d < layout->ndoctors; d++)
            if (cc_layout_doctor_block(params, layout, d) == b) {
                cc_scheme_groups_add(groups, d);
                groups->patient_group[d] = groups->ngroups - 1;
            }
    }
    return 0;
}

const cc_scheme_def cc_scheme_rotation = {"rotation", build};
