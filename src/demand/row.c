/* The demand stage's row of one replication: its drawn parameters, the day's counts and the
 * expectations, in the layout cc_demand_compute produces. */
#include "carecast/demand_row.h"

#include <stdlib.h>
#include <string.h>

int cc_demand_row_init(cc_demand_row *row, int years)
{
    memset(row, 0, sizeof *row);
    row->years = years;
    row->counts = calloc((size_t)CC_DEMAND_SERIES * years * CC_SEX_AXIS * CC_AGE_BANDS, sizeof *row->counts);
    row->expected = calloc((size_t)CC_DEMAND_SERIES * years, sizeof *row->expected);
    if (!row->counts || !row->expected) {
        cc_demand_row_free(row);
        return CC_ERR_NOMEM;
    }
    return 0;
}

void cc_demand_row_free(cc_demand_row *row)
{
    free(row->counts);
    free(row->expected);
    memset(row, 0, sizeof *row);
}

void cc_demand_row_compute(cc_demand_row *row, const cc_demand_params *params, const cc_run_options *run,
                           const cc_population_path *path, uint32_t replication, gsl_rng *rng)
{
    cc_demand_draw_parameters(params, run, replication, rng, &row->draw);
    cc_demand_compute(params, run, path, &row->draw, replication, rng, row->counts, row->expected);
}
