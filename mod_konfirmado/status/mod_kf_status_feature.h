#ifndef MOD_KF_STATUS_FEATURE_H
#define MOD_KF_STATUS_FEATURE_H
/* The operator's status page: `SetHandler konfirmado-status` answers Prometheus text
 * (API.md "Operations") from the shared counters (module/mod_kf_counters.h) and the job
 * queues read from the database. What the feature hands the module. */
#include "mod_kf_feature.h"

#define KFM_STATUS_HANDLER "konfirmado-status"
/* bench/run's in-memory baseline (mod_kf_bench_baseline.c), answered only where
 * KonfirmadoBenchBaseline is On */
#define KFM_BENCH_BASELINE_HANDLER "konfirmado-bench-baseline"

extern const kfm_feature kfm_status_feature;

extern const kfm_sql kfm_status_sql[];

/* handler: the page (mod_kf_status_page.c) */
int kfm_status_handler(request_rec *r);
/* log_transaction: an API request's route class, status and time into the counters */
int kfm_status_count_request(request_rec *r);
/* handler: a body of ?bytes=N from memory, for bench/run (mod_kf_bench_baseline.c) */
int kfm_bench_baseline_handler(request_rec *r);

#endif
