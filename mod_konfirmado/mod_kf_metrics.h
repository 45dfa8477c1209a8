#ifndef MOD_KF_METRICS_H
#define MOD_KF_METRICS_H
/* GET /api/admin/metrics (mod_kf_metrics.c). */
#include "mod_kf_db.h"

extern const kf_sql kf_metrics_sql[];
/* The cancellations of mod_kf_cancel.c. */
extern const kf_sql kf_cancel_sql[];
/* The reschedules of mod_kf_reschedule.c. */
extern const kf_sql kf_reschedule_sql[];

#endif
