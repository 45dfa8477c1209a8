#ifndef MOD_KF_BOOKING_STATUS_H
#define MOD_KF_BOOKING_STATUS_H
/* What the status endpoint and the customer's portal read of a booking. */
#include "mod_kf_sql.h"
#include "kf_booking_status.h"

/* A booking as its status page reads it, at the positions of kf_booking_status.h
 * (KF_BSTATUS_COL_*), from reservations r, tenants t, services s, professionals p and the
 * active link l (KFM_BOOKING_STATUS_FROM); the caller adds its WHERE (the status endpoint: by
 * id and token; the customer's portal: by address). */
#define KFM_BOOKING_STATUS_COLUMNS(FIRST, NEXT)                                             \
    FIRST(KF_BSTATUS_COL_ID, "r.id")                                                        \
    NEXT(KF_BSTATUS_COL_STATE, "r.status")                                                  \
    NEXT(KF_BSTATUS_COL_DEADLINE_PASSED, "COALESCE(" KFM_SQL_DUE("r") ", false)")           \
    NEXT(KF_BSTATUS_COL_START, KFM_SQL_RFC3339("r.starts_at"))                              \
    NEXT(KF_BSTATUS_COL_END, KFM_SQL_RFC3339("r.ends_at"))                                  \
    NEXT(KF_BSTATUS_COL_TIMEZONE, "t.timezone")                                             \
    NEXT(KF_BSTATUS_COL_SERVICE_ID, "s.id")                                                 \
    NEXT(KF_BSTATUS_COL_SERVICE_NAME, "s.name")                                             \
    NEXT(KF_BSTATUS_COL_DURATION, "s.duration_minutes")                                     \
    NEXT(KF_BSTATUS_COL_PROFESSIONAL_ID, "p.id")                                            \
    NEXT(KF_BSTATUS_COL_PROFESSIONAL_NAME, "p.name")                                        \
    NEXT(KF_BSTATUS_COL_RETURN_URL, "t.return_url")                                         \
    NEXT(KF_BSTATUS_COL_LINK, "l.slug")                                                     \
    NEXT(KF_BSTATUS_COL_CANCEL_OPEN, KFM_SQL_BEFORE_CUTOFF("r", "t.cancel_cutoff_hours"))   \
    NEXT(KF_BSTATUS_COL_RESCHEDULE_OPEN,                                                    \
         KFM_SQL_BEFORE_CUTOFF("r", "t.reschedule_cutoff_hours"))                           \
    NEXT(KF_BSTATUS_COL_RESCHEDULES_LEFT, "t.max_reschedules - r.reschedule_count")         \
    NEXT(KF_BSTATUS_COL_LOCATION_TYPE, "s.location_type")                                   \
    NEXT(KF_BSTATUS_COL_LOCATION_VALUE, "s.location_value")                                 \
    NEXT(KF_BSTATUS_COL_VIDEO_URL, "p.video_url")                                           \
    NEXT(KF_BSTATUS_COL_LOCATION_PROVIDER, "s.location_provider")                           \
    NEXT(KF_BSTATUS_COL_VIDEO_PROVIDER, "p.video_provider")                                 \
    NEXT(KF_BSTATUS_COL_MEETING_URL, "r.meeting_url")                                       \
    NEXT(KF_BSTATUS_COL_BUSINESS, "t.name")                                                 \
    NEXT(KF_BSTATUS_COL_BUSINESS_EMAIL, KFM_SQL_TENANT_EMAIL("t"))                          \
    NEXT(KF_BSTATUS_COL_BUSINESS_PHONE, "t.contact_phone")                                  \
    NEXT(KF_BSTATUS_COL_TENANT, "json_build_object(" KFM_SQL_PUBLIC_TENANT_FIELDS("t") ")::text") \
    NEXT(KF_BSTATUS_COL_TEAM, KFM_SQL_TEAM_JSON("r"))                                       \
    NEXT(KF_BSTATUS_COL_SERIES, "r.series_id IS NOT NULL")
KFM_SQL_ROW_CHECK(KFM_BOOKING_STATUS_COLUMNS, KF_BSTATUS_COL_COUNT)
#define KFM_BOOKING_STATUS_SELECT                                                           \
    "SELECT " KFM_SQL_COLUMNS(KFM_BOOKING_STATUS_COLUMNS) KFM_BOOKING_STATUS_FROM
#define KFM_BOOKING_STATUS_FROM \
    " FROM reservations r JOIN tenants t ON t.id = r.tenant_id" \
    " JOIN services s ON s.id = r.service_id JOIN professionals p ON p.id = r.professional_id" \
    " LEFT JOIN booking_links l ON l.id = r.link_id AND l.active"

/* A series' occurrences as a booking of it shows them (kf_booking_series_view's rows). */
#define KFM_BOOKING_OCCURRENCE_COLUMNS(FIRST, NEXT)                                         \
    FIRST(KF_OCC_COL_SERIES, "o.series_id")                                                 \
    NEXT(KF_OCC_COL_INDEX, "me.series_index")                                               \
    NEXT(KF_OCC_COL_COUNT, "o.series_count")                                                \
    NEXT(KF_OCC_COL_ID, "o.id")                                                             \
    NEXT(KF_OCC_COL_START, KFM_SQL_RFC3339("o.starts_at"))                                  \
    NEXT(KF_OCC_COL_END, KFM_SQL_RFC3339("o.ends_at"))                                      \
    NEXT(KF_OCC_COL_STATE, "o.status")
KFM_SQL_ROW_CHECK(KFM_BOOKING_OCCURRENCE_COLUMNS, KF_OCC_COLUMNS)

#endif
