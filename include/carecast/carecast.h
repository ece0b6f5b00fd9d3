/* carecast: the public API in one include. Link with -lcarecast (see the Makefile). */
#ifndef CARECAST_H
#define CARECAST_H

#define CC_VERSION "0.1.0"

#include "carecast/ages.h"
#include "carecast/batch.h"
#include "carecast/calendar.h"
#include "carecast/capacity.h"
#include "carecast/coverage.h"
#include "carecast/demand.h"
#include "carecast/demand_row.h"
#include "carecast/error.h"
#include "carecast/event_queue.h"
#include "carecast/lee_carter.h"
#include "carecast/lifetable.h"
#include "carecast/options.h"
#include "carecast/population.h"
#include "carecast/population_row.h"
#include "carecast/ranks.h"
#include "carecast/reader.h"
#include "carecast/report.h"
#include "carecast/region.h"
#include "carecast/results.h"
#include "carecast/results_layout.h"
#include "carecast/rng.h"
#include "carecast/run.h"
#include "carecast/scenario.h"
#include "carecast/sensitivity.h"
#include "carecast/summaries.h"

#endif
