#ifndef MOD_KF_METRICS_H
#define MOD_KF_METRICS_H
/* GET /api/admin/metrics (mod_kf_metrics.c). */
#include "mod_kf_db.h"

extern const kfm_sql kfm_metrics_sql[];
/* The cancellations of mod_kf_cancel.c. */
extern const kfm_sql kfm_cancel_sql[];
/* The reschedules of mod_kf_reschedule.c. */
extern const kfm_sql kfm_reschedule_sql[];

#endif
