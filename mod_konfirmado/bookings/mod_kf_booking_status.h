#ifndef MOD_KF_BOOKING_STATUS_H
#define MOD_KF_BOOKING_STATUS_H
/* What the status endpoint and the customer's portal read of a booking. */
#include "mod_kf_sql.h"

/* A booking as its status page reads it (KF_BSTATUS_COL_* of kf_booking_status.h), from
 * reservations r, tenants t, services s, professionals p and the active link l; the caller
 * adds its WHERE (the status endpoint: by id and token; the customer's portal: by address). */
#define KFM_BOOKING_STATUS_SELECT "SELECT " KFM_BOOKING_STATUS_COLUMNS KFM_BOOKING_STATUS_FROM
#define KFM_BOOKING_STATUS_COLUMNS \
    "r.id, r.status, COALESCE(" KFM_SQL_DUE("r") ", false)," \
    "  " KFM_SQL_RFC3339("r.starts_at") ", " KFM_SQL_RFC3339("r.ends_at") ", t.timezone," \
    "  s.id, s.name, s.duration_minutes, p.id, p.name, t.return_url, l.slug," \
    "  " KFM_SQL_BEFORE_CUTOFF("r", "t.cancel_cutoff_hours") "," \
    "  " KFM_SQL_BEFORE_CUTOFF("r", "t.reschedule_cutoff_hours") "," \
    "  t.max_reschedules - r.reschedule_count, s.location_type, s.location_value, p.video_url," \
    "  t.name, " KFM_SQL_TENANT_EMAIL("t") ", t.contact_phone," \
    "  json_build_object(" KFM_SQL_PUBLIC_TENANT_FIELDS("t") ")::text"
#define KFM_BOOKING_STATUS_FROM \
    " FROM reservations r JOIN tenants t ON t.id = r.tenant_id" \
    " JOIN services s ON s.id = r.service_id JOIN professionals p ON p.id = r.professional_id" \
    " LEFT JOIN booking_links l ON l.id = r.link_id AND l.active"

#endif
