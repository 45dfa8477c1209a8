#ifndef MOD_KF_ALERTS_COLUMNS_H
#define MOD_KF_ALERTS_COLUMNS_H
/* The columns the alerts' statements select, at the positions of the core's readers
 * (mod_kf_sql.h, KFM_SQL_COLUMNS). */
#include "mod_kf_sql.h"
#include "kf_alerts.h"

/* An alert as the merchant sees it: kf_alerts.h's KF_ALERT_COL_*. */
#define KFM_ALERT_COLUMNS(FIRST, NEXT)                                                      \
    FIRST(KF_ALERT_COL_ID, "id")                                                            \
    NEXT(KF_ALERT_COL_KIND, "kind")                                                         \
    NEXT(KF_ALERT_COL_DETAIL, "detail")                                                     \
    NEXT(KF_ALERT_COL_RAISED, KFM_SQL_RFC3339("raised_at"))                                 \
    NEXT(KF_ALERT_COL_LAST_SEEN, KFM_SQL_RFC3339("last_seen_at"))                           \
    NEXT(KF_ALERT_COL_RESOLVED, KFM_SQL_RFC3339("resolved_at"))                             \
    NEXT(KF_ALERT_COL_DISMISSED, KFM_SQL_RFC3339("dismissed_at"))
KFM_SQL_ROW_CHECK(KFM_ALERT_COLUMNS, KF_ALERT_COLUMNS)

/* A kind's row, one per business where its facts f hold or its alert a is open: kf_alerts.h's
 * KF_ALERT_ROW_* (the %s: the kind's name). */
#define KFM_ALERT_ROW_COLUMNS(FIRST, NEXT)                                                  \
    FIRST(KF_ALERT_ROW_TENANT, "coalesce(f.tenant_id, a.tenant_id)")                        \
    NEXT(KF_ALERT_ROW_HOLDS, "f.tenant_id IS NOT NULL")                                     \
    NEXT(KF_ALERT_ROW_DETAIL, "f.detail")                                                   \
    NEXT(KF_ALERT_ROW_TOLD, "coalesce(f.told, false)")                                      \
    NEXT(KF_ALERT_ROW_ALERT, "a.id")                                                        \
    NEXT(KF_ALERT_ROW_MAILED, "a.mailed_at IS NOT NULL")                                    \
    NEXT(KF_ALERT_ROW_DISMISSED, "a.dismissed_at IS NOT NULL")                              \
    NEXT(KF_ALERT_ROW_LAST_MAIL,                                                            \
         "(SELECT floor(extract(epoch FROM max(m.mailed_at)))::bigint FROM"                 \
         " merchant_alerts m WHERE m.tenant_id = coalesce(f.tenant_id, a.tenant_id)"        \
         " AND m.kind = %s)")                                                               \
    NEXT(KF_ALERT_ROW_NOW, "floor(extract(epoch FROM now()))::bigint")
KFM_SQL_ROW_CHECK(KFM_ALERT_ROW_COLUMNS, KF_ALERT_ROW_COLUMNS)

#endif
