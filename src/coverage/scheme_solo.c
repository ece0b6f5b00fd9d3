/* solo: every doctor covers their own patients day and night; when away, nobody does (the
 * call escalates). Each doctor is a group of one, holding every duty period of the year. */
#include "scheme.h"

static int build(const cc_coverage_params *params, const cc_coverage_layout *layout, cc_scheme_groups *groups)
{
    (void)params;
    for (int d = 0; d < layout->ndoctors; d++) {
        cc_scheme_groups_begin(groups);
        cc_scheme_groups_add(groups, d);
        groups->patient_group[d] = groups->ngroups - 1;
    }
    return 0;
}

const cc_scheme_def cc_scheme_solo = {"solo", build};
