/* Every coverage metric's name, units, long name and description, in one table per family,
 * indexed by the engine's enums (coverage.h), as the metric definitions (README, "Coverage")
 * give them. The results file's datasets, the command line's table and the README take them
 * from here. Scheme figures of duty nights, disturbed nights and out-of-hours hours are per
 * doctor-month (the year's total / 12); per-doctor figures are per year. */
#include "carecast/coverage_row.h"

#include <stddef.h>

#define HOLDERS "the doctors who hold out-of-hours duty under the scheme (pairing and cooperative: the backup " \
                "doctors; solo and rotation: every participating doctor)"
#define DISTURBED "a duty night on which its holder starts answering at least one call or home death between " \
                  "22:00 and 06:00"
#define OOH "jobs (round-trip travel plus visit, or phone advice) started out of hours, each counted in full"

static const cc_coverage_metric_desc year_metrics[CC_COV_METRICS] = {
    [CC_COV_PATIENTS] = {"patients", "patients", "Home-care patients of the target year",
        "Enrolled home-care patients to place: the replication's expected enrolled patients of the year from the "
        "demand stage (both sexes, all ages), rounded"},
    [CC_COV_COVERED] = {"covered", "patients", "Patients on a panel",
        "Patients placed on a participating clinic's panel of their block (within panel capacity) and simulated"},
    [CC_COV_UNCOVERED] = {"uncovered", "patients", "Uncovered patients",
        "Patients who fit on no panel of their block (the coverage gap, including every patient of a block without "
        "a participating doctor); not simulated"},
    [CC_COV_UNCOVERED_MONTHS] = {"uncovered_patient_months", "patient-months", "Uncovered patient-months",
        "Patient-months of the coverage gap over the year (uncovered patients x 12)"},
    [CC_COV_COVERED_MONTHS] = {"covered_patient_months", "patient-months", "Covered patient-months",
        "Patient-months simulated (panel places x 12, every exit replaced at once): the denominator of rates per "
        "1,000 patient-months"},
    [CC_COV_URGENT_CALLS] = {"urgent_calls", "calls/year", "Urgent calls",
        "Urgent calls of the covered patients in the year (visits and phone advice; deaths at home apart)"},
    [CC_COV_HOME_DEATHS] = {"home_deaths", "deaths/year", "Deaths at home",
        "Deaths at home of covered patients, each needing a doctor at any hour"},
    [CC_COV_EXITS] = {"exits", "exits/year", "Exits from home care",
        "Covered patients leaving home care in the year (deaths at home among them), each replaced at once"},
    [CC_COV_SCHEDULED_VISITS] = {"scheduled_visits", "visits/year", "Scheduled visits",
        "Scheduled visits drawn for the year (before those skipped because the doctor is away)"},
    [CC_COV_PATIENTS_WITH_MONTHLY_URGENT_VISIT] = {"patients_with_monthly_urgent_visit", "1",
        "Share of patients averaging one or more urgent visits a month",
        "Share of the patients on the panels at the year's start whose urgent visits average at least one a month "
        "over their time on home care within the year (the Kashiwa/Tsukuba cohort: 13.0%)"},
};

static const cc_coverage_metric_desc scheme_metrics[CC_SCH_METRICS] = {
    [CC_SCH_DUTY_NIGHTS_MEAN] = {"duty_nights_mean", "nights/month", "Duty nights per doctor-month, mean over duty holders",
        "Duty nights held in the year / 12, mean over " HOLDERS},
    [CC_SCH_DUTY_NIGHTS_P95] = {"duty_nights_p95", "nights/month", "Duty nights per doctor-month, 95th percentile over duty holders",
        "Duty nights held in the year / 12, 95th percentile over " HOLDERS},
    [CC_SCH_DUTY_NIGHTS_MAX] = {"duty_nights_max", "nights/month", "Duty nights per doctor-month, maximum over duty holders",
        "Duty nights held in the year / 12, maximum over " HOLDERS},
    [CC_SCH_DISTURBED_MEAN] = {"disturbed_nights_mean", "nights/month", "Disturbed nights per doctor-month, mean over duty holders",
        "Disturbed nights (" DISTURBED ") in the year / 12, mean over " HOLDERS},
    [CC_SCH_DISTURBED_P95] = {"disturbed_nights_p95", "nights/month",
        "Disturbed nights per doctor-month, 95th percentile over duty holders",
        "Disturbed nights (" DISTURBED ") in the year / 12, 95th percentile over " HOLDERS},
    [CC_SCH_DISTURBED_MAX] = {"disturbed_nights_max", "nights/month", "Disturbed nights per doctor-month, maximum over duty holders",
        "Disturbed nights (" DISTURBED ") in the year / 12, maximum over " HOLDERS},
    [CC_SCH_OOH_HOURS_MEAN] = {"ooh_hours_mean", "hours/month", "Out-of-hours hours per doctor-month, mean over duty holders",
        "Hours of " OOH ", in the year / 12, mean over " HOLDERS},
    [CC_SCH_OOH_HOURS_P95] = {"ooh_hours_p95", "hours/month",
        "Out-of-hours hours per doctor-month, 95th percentile over duty holders",
        "Hours of " OOH ", in the year / 12, 95th percentile over " HOLDERS},
    [CC_SCH_OOH_HOURS_MAX] = {"ooh_hours_max", "hours/month", "Out-of-hours hours per doctor-month, maximum over duty holders",
        "Hours of " OOH ", in the year / 12, maximum over " HOLDERS},
    [CC_SCH_OOH_HOURS_GINI] = {"ooh_hours_gini", "1", "Gini coefficient of out-of-hours hours over duty holders",
        "Gini coefficient of the year's out-of-hours hours over " HOLDERS " (0: equal shares)"},
    [CC_SCH_DUTY_NIGHTS_MEAN_ALL] = {"duty_nights_mean_all", "nights/month",
        "Duty nights per doctor-month, mean over all participating doctors",
        "Duty nights held in the year / 12, mean over every participating doctor (duty holders or not)"},
    [CC_SCH_DISTURBED_MEAN_ALL] = {"disturbed_nights_mean_all", "nights/month",
        "Disturbed nights per doctor-month, mean over all participating doctors",
        "Disturbed nights (" DISTURBED ") in the year / 12, mean over every participating doctor"},
    [CC_SCH_OOH_HOURS_MEAN_ALL] = {"ooh_hours_mean_all", "hours/month",
        "Out-of-hours hours per doctor-month, mean over all participating doctors",
        "Hours of " OOH ", in the year / 12, mean over every participating doctor (in-hours calls of absent "
        "doctors' patients included where they start out of hours)"},
    [CC_SCH_MAX_CONSECUTIVE_NIGHTS] = {"max_consecutive_duty_nights", "nights",
        "Longest run of consecutive duty nights, maximum over duty holders",
        "Longest run of consecutive duty nights held by one doctor in the year, maximum over " HOLDERS},
    [CC_SCH_CONTINUITY] = {"continuity", "1", "Continuity: share of calls answered by the patient's own doctor",
        "Share of all urgent calls and home deaths (escalated ones and phone advice included) answered by the "
        "patient's own doctor"},
    [CC_SCH_ESCALATIONS_PER_1000] = {"escalations_per_1000_patient_months", "per 1,000 patient-months",
        "Escalations per 1,000 patient-months",
        "Calls escalated to ambulance and hospital (the responsible doctor away with no fallback, or unable to "
        "arrive or start within the maximum wait) per 1,000 covered patient-months"},
    [CC_SCH_RESPONSE_MEAN] = {"response_mean", "minutes", "Response time of visits, mean",
        "Minutes from the call to the doctor's arrival (waiting for a busy doctor included), mean over the year's "
        "urgent and death visits that were not escalated"},
    [CC_SCH_RESPONSE_P90] = {"response_p90", "minutes", "Response time of visits, 90th percentile",
        "Minutes from the call to the doctor's arrival (waiting for a busy doctor included), 90th percentile over "
        "the year's urgent and death visits that were not escalated"},
    [CC_SCH_WITHIN_LIMITS] = {"within_limits", "1", "Share of duty holders within the load limits",
        "Share of " HOLDERS " whose duty nights and disturbed nights per doctor-month (year / 12) are both within "
        "[coverage] max_duty_nights_per_month and max_disturbed_nights_per_month"},
    [CC_SCH_DUTY_HOLDERS] = {"duty_holders", "doctors", "Doctors holding out-of-hours duty",
        "Number of " HOLDERS},
    [CC_SCH_CALLS] = {"calls", "calls/year", "Urgent calls and home deaths",
        "Urgent calls and deaths at home in the year (the same events under every scheme)"},
    [CC_SCH_ESCALATIONS] = {"escalations", "calls/year", "Escalated calls",
        "Urgent calls and home deaths escalated to ambulance and hospital in the year"},
};

static const cc_coverage_metric_desc doctor_metrics[CC_DOC_METRICS] = {
    [CC_DOC_DUTY_NIGHTS] = {"duty_nights", "nights/year", "Duty nights held",
        "Duty nights (from the end of in-hours to 08:30 the next day) the doctor held in the year"},
    [CC_DOC_DUTY_DAYS] = {"duty_days", "days/year", "Duty days held",
        "Duty days (08:30-17:30 on Sundays, holidays and closure days) the doctor held in the year"},
    [CC_DOC_DISTURBED_NIGHTS] = {"disturbed_nights", "nights/year", "Disturbed nights",
        "Disturbed nights (" DISTURBED ") of the doctor in the year"},
    [CC_DOC_NIGHT_VISITS] = {"night_visits", "visits/year", "Night visits",
        "Visits the doctor set out on between 22:00 and 06:00 in the year"},
    [CC_DOC_OOH_HOURS] = {"ooh_hours", "hours/year", "Out-of-hours hours worked",
        "Hours of " OOH ", of the doctor in the year"},
    [CC_DOC_QUEUED_HOURS] = {"queued_hours", "hours/year", "Hours of scheduled visits queued past closing",
        "Hours of scheduled visits pushed by earlier jobs to start after in-hours (counted apart from out-of-hours "
        "hours)"},
    [CC_DOC_MAX_CONSECUTIVE_NIGHTS] = {"max_consecutive_duty_nights", "nights", "Longest run of consecutive duty nights",
        "Longest run of consecutive duty nights the doctor held in the year"},
    [CC_DOC_BUSIEST_MONTH_NIGHTS] = {"busiest_month_duty_nights", "nights/month",
        "Duty nights in the busiest calendar month", "Duty nights the doctor held in their busiest calendar month"},
    [CC_DOC_BUSIEST_MONTH_DISTURBED] = {"busiest_month_disturbed_nights", "nights/month",
        "Disturbed nights in the busiest calendar month",
        "Disturbed nights of the doctor in their busiest calendar month (by disturbed nights)"},
    [CC_DOC_URGENT_ANSWERED] = {"calls_answered", "calls/year", "Urgent calls and home deaths answered",
        "Urgent calls and deaths at home the doctor answered (not escalated) in the year"},
    [CC_DOC_PATIENTS] = {"patients", "patients", "Own patients",
        "Panel places of the doctor (each kept occupied through the year: an exit is replaced at once)"},
};

int cc_coverage_metric_count(cc_metric_family family)
{
    switch (family) {
    case CC_METRICS_YEAR: return CC_COV_METRICS;
    case CC_METRICS_SCHEME: return CC_SCH_METRICS;
    case CC_METRICS_DOCTOR: return CC_DOC_METRICS;
    default: return 0;
    }
}

const cc_coverage_metric_desc *cc_coverage_metric_info(cc_metric_family family, int metric)
{
    if (metric < 0 || metric >= cc_coverage_metric_count(family))
        return NULL;
    return family == CC_METRICS_YEAR ? &year_metrics[metric]
           : family == CC_METRICS_SCHEME ? &scheme_metrics[metric]
                                         : &doctor_metrics[metric];
}
