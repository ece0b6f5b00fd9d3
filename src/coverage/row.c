/* The coverage stage's row of one replication: for each target year, the engine's result
 * under every scheme. The year's patients come from the replication's demand row (expected
 * enrolled home-care patients of that calendar year, both sexes, all ages), so the coverage
 * stage sees the same parameter and population uncertainty as the demand stage. */
#include "carecast/coverage_row.h"

#include <stdlib.h>
#include <string.h>

int cc_coverage_row_init(cc_coverage_row *row, const cc_coverage_params *p, const cc_coverage_layout *l)
{
    memset(row, 0, sizeof *row);
    row->year = calloc(p->nyears > 0 ? (size_t)p->nyears : 1, sizeof *row->year);
    if (!row->year)
        return CC_ERR_NOMEM;
    row->nyears = p->nyears;
    row->nschemes = p->nschemes;
    row->ndoctors = l->ndoctors;
    for (int y = 0; y < p->nyears; y++)
        if (cc_coverage_result_init(&row->year[y], p, l) != 0) {
            cc_coverage_row_free(row);
            return CC_ERR_NOMEM;
        }
    return 0;
}

void cc_coverage_row_free(cc_coverage_row *row)
{
    for (int y = 0; row->year && y < row->nyears; y++)
        cc_coverage_result_free(&row->year[y]);
    free(row->year);
    memset(row, 0, sizeof *row);
}

int cc_coverage_row_compute(cc_coverage_row *row, const cc_coverage_params *p, const cc_coverage_layout *l,
                            const cc_run_options *run, uint32_t replication, const cc_demand_row *demand,
                            int base_year, double calls_per_patient_month, cc_coverage_workspace *ws)
{
    const double *home_care = cc_demand_row_expected(demand, CC_DEMAND_HOME_CARE);
    for (int y = 0; y < row->nyears; y++) {
        int index = p->target_year[y] - base_year;
        if (index < 0 || index >= demand->years)
            return CC_ERR_USAGE;
        cc_coverage_input input = {home_care[index], calls_per_patient_month};
        int ret = cc_coverage_simulate(p, l, run, replication, y, &input, ws, &row->year[y]);
        if (ret != 0)
            return ret;
    }
    return 0;
}
