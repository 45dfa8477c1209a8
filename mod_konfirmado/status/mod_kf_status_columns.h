#ifndef MOD_KF_STATUS_COLUMNS_H
#define MOD_KF_STATUS_COLUMNS_H
/* The columns of the status page's statements, each at the position the core reads it
 * (kf_status_page.h). */
#include "mod_kf_sql.h"
#include "kf_status_page.h"

/* kf_status_queues, of its QUEUE rows q. */
#define KFM_STATUS_QUEUE_COLUMNS(FIRST, NEXT)                                               \
    FIRST(KF_STATUS_QUEUE_COL_JOB, "q.job") NEXT(KF_STATUS_QUEUE_COL_WAITING, "q.waiting")    \
    NEXT(KF_STATUS_QUEUE_COL_LAG_US, "q.lag_us")
KFM_SQL_ROW_CHECK(KFM_STATUS_QUEUE_COLUMNS, KF_STATUS_QUEUE_COLUMNS)

/* kf_status_failed, of its rows f. */
#define KFM_STATUS_FAILED_COLUMNS(FIRST, NEXT)                                              \
    FIRST(KF_STATUS_FAILED_COL_CHANNEL, "f.channel")                                          \
    NEXT(KF_STATUS_FAILED_COL_GAVE_UP, "f.gave_up")
KFM_SQL_ROW_CHECK(KFM_STATUS_FAILED_COLUMNS, KF_STATUS_FAILED_COLUMNS)

/* kf_status_mail_retrying. */
#define KFM_STATUS_RETRYING_COLUMNS(FIRST, NEXT)                                            \
    FIRST(KF_STATUS_RETRYING_COL_FAULT, "last_fault")                                         \
    NEXT(KF_STATUS_RETRYING_COL_WAITING, "count(*)")
KFM_SQL_ROW_CHECK(KFM_STATUS_RETRYING_COLUMNS, KF_STATUS_RETRYING_COLUMNS)

/* kf_status_provider_errors. */
#define KFM_STATUS_PROVIDER_ERRORS_COLUMNS(FIRST, NEXT)                                     \
    FIRST(KF_STATUS_PROVIDER_ERRORS_COL_PROVIDER, "changes->>'provider'")                     \
    NEXT(KF_STATUS_PROVIDER_ERRORS_COL_FAILED, "count(*)")
KFM_SQL_ROW_CHECK(KFM_STATUS_PROVIDER_ERRORS_COLUMNS, KF_STATUS_PROVIDER_ERRORS_COLUMNS)

#endif
