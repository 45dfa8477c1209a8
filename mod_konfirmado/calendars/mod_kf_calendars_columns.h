#ifndef MOD_KF_CALENDARS_COLUMNS_H
#define MOD_KF_CALENDARS_COLUMNS_H
/* The columns the calendars' statements select, at the positions of the core's readers
 * (mod_kf_sql.h, KFM_SQL_COLUMNS). */
#include "mod_kf_sql.h"
#include "mod_kf_calendar.h"
#include "kf_calendar.h"
#include "kf_calendar_booking.h"
#include "kf_calendar_orphans.h"
#include "kf_calendar_sync.h"
#include "kf_calendar_outside.h"
#include "kf_calendar_views.h"

/* A professional's calendar connection: kf_calendar_sync.h's KF_CAL_CONN_*, from
 * calendar_connections c. */
#define KFM_CAL_CONN_COLUMNS(FIRST, NEXT)                                                   \
    FIRST(KF_CAL_CONN_COL_PROFESSIONAL, "c.professional_id")                                \
    NEXT(KF_CAL_CONN_COL_TENANT, "c.tenant_id")                                             \
    NEXT(KF_CAL_CONN_COL_PROVIDER, "c.provider")                                            \
    NEXT(KF_CAL_CONN_COL_STATUS, "c.status")                                                \
    NEXT(KF_CAL_CONN_COL_SECRET, "c.secret_sealed")                                         \
    NEXT(KF_CAL_CONN_COL_ACCESS, "c.access_sealed")                                         \
    NEXT(KF_CAL_CONN_COL_ACCESS_EXPIRES,                                                    \
         "floor(extract(epoch FROM c.access_expires_at))::bigint")                          \
    NEXT(KF_CAL_CONN_COL_EVENT_TYPE, "c.event_type_id")                                     \
    NEXT(KF_CAL_CONN_COL_CHANNEL, "c.channel_id")                                           \
    NEXT(KF_CAL_CONN_COL_CHANNEL_RESOURCE, "c.channel_resource")                            \
    NEXT(KF_CAL_CONN_COL_CHANNEL_SECRET, "c.channel_secret_sealed")                         \
    NEXT(KF_CAL_CONN_COL_CHANNEL_EXPIRES,                                                   \
         "floor(extract(epoch FROM c.channel_expires_at))::bigint")                         \
    NEXT(KF_CAL_CONN_COL_HORIZON,                                                           \
         "COALESCE((SELECT max(s.horizon_days) FROM service_professionals sp JOIN"          \
         " services s ON s.id = sp.service_id AND s.archived_at IS NULL WHERE"              \
         " sp.professional_id = c.professional_id), 14)")                                   \
    NEXT(KF_CAL_CONN_COL_NOW, "floor(extract(epoch FROM now()))::bigint")                   \
    NEXT(KF_CAL_CONN_COL_ACCOUNT, "c.account")                                              \
    NEXT(KF_CAL_CONN_COL_CALENDAR_URL, "c.calendar_url")                                   \
    NEXT(KF_CAL_CONN_COL_BLOCKING,                                                          \
         "(SELECT COALESCE(json_agg(json_build_array(ch.calendar_id, ch.time_zone)"         \
         "   ORDER BY ch.calendar_id) FILTER (WHERE ch.blocks), '[]')::text"                \
         " FROM calendar_choices ch WHERE ch.professional_id = c.professional_id"           \
         " HAVING count(*) > 0)")                                                           \
    NEXT(KF_CAL_CONN_COL_TIMEZONE,                                                          \
         "(SELECT pt.timezone FROM professionals pt WHERE pt.id = c.professional_id)")       \
    NEXT(KF_CAL_CONN_COL_CHANNEL_CALENDAR, "c.channel_calendar")                            \
    NEXT(KF_CAL_CONN_COL_WATCHES,                                                           \
         "(SELECT json_agg(json_build_array(w.calendar_id, w.blocks, w.receives_events,"    \
         "   w.channel_id, w.channel_resource, w.channel_secret_sealed,"                    \
         "   floor(extract(epoch FROM w.channel_expires_at))::bigint)"                      \
         "   ORDER BY w.calendar_id)::text FROM calendar_choices w"                         \
         " WHERE w.professional_id = c.professional_id"                                     \
         "   AND (w.blocks OR w.channel_id IS NOT NULL))")
KFM_SQL_ROW_CHECK(KFM_CAL_CONN_COLUMNS, KF_CAL_CONN_COLUMNS)

/* A connection's grant, locked while it is refreshed: kf_calendar_sync.h's KF_CAL_LOCK_*. */
#define KFM_CAL_LOCK_COLUMNS(FIRST, NEXT)                                                   \
    FIRST(KF_CAL_LOCK_COL_SECRET, "secret_sealed")                                          \
    NEXT(KF_CAL_LOCK_COL_ACCESS, "access_sealed")                                           \
    NEXT(KF_CAL_LOCK_COL_ACCESS_EXPIRES,                                                    \
         "floor(extract(epoch FROM access_expires_at))::bigint")                            \
    NEXT(KF_CAL_LOCK_COL_STATUS, "status")                                                  \
    NEXT(KF_CAL_LOCK_COL_NOW, "floor(extract(epoch FROM now()))::bigint")
KFM_SQL_ROW_CHECK(KFM_CAL_LOCK_COLUMNS, KF_CAL_LOCK_COLUMNS)

/* A booking's calendar event and what it says: kf_calendar_booking.h's KF_CAL_EV_*. */
#define KFM_CAL_EVENT_COLUMNS(FIRST, NEXT)                                                  \
    FIRST(KF_CAL_EV_COL_BOOKED, "r.status IN " KFM_SQL_PAID_STATES)                         \
    NEXT(KF_CAL_EV_COL_PROFESSIONAL, "p.id")                                                \
    NEXT(KF_CAL_EV_COL_START, "extract(epoch FROM r.starts_at)::bigint")                    \
    NEXT(KF_CAL_EV_COL_END, "extract(epoch FROM r.ends_at)::bigint")                        \
    NEXT(KF_CAL_EV_COL_TIMEZONE, "p.timezone")                                              \
    NEXT(KF_CAL_EV_COL_SERVICE, "s.name")                                                   \
    NEXT(KF_CAL_EV_COL_CUSTOMER, "r.customer_name")                                         \
    NEXT(KF_CAL_EV_COL_CUSTOMER_EMAIL, "r.customer_email")                                  \
    NEXT(KF_CAL_EV_COL_ATTENDEE, "t.calendar_customer_attendee")                            \
    NEXT(KF_CAL_EV_COL_BUSINESS, "t.name")                                                  \
    NEXT(KF_CAL_EV_COL_EVENT_ID, "e.event_id")                                              \
    NEXT(KF_CAL_EV_COL_WRITTEN_PROFESSIONAL, "e.professional_id")                           \
    NEXT(KF_CAL_EV_COL_WRITTEN_START, "extract(epoch FROM e.written_start)::bigint")        \
    NEXT(KF_CAL_EV_COL_WRITTEN_END, "extract(epoch FROM e.written_end)::bigint")            \
    NEXT(KF_CAL_EV_COL_CALENDAR,                                                            \
         "EXISTS (SELECT 1 FROM calendar_connections c WHERE c.professional_id ="           \
         " p.id AND c.status = 'connected')")                                               \
    NEXT(KF_CAL_EV_COL_LOCATION_TYPE, "s.location_type")                                    \
    NEXT(KF_CAL_EV_COL_LOCATION_VALUE, "s.location_value")                                  \
    NEXT(KF_CAL_EV_COL_LOCATION_PROVIDER, "s.location_provider")                            \
    NEXT(KF_CAL_EV_COL_PRO_VIDEO_URL, "p.video_url")                                        \
    NEXT(KF_CAL_EV_COL_PRO_VIDEO_PROVIDER, "p.video_provider")                              \
    NEXT(KF_CAL_EV_COL_MEETING_URL, "r.meeting_url")                                        \
    NEXT(KF_CAL_EV_COL_CALENDAR_PROVIDER,                                                   \
         "(SELECT c.provider FROM calendar_connections c WHERE c.professional_id ="         \
         " p.id AND c.status = 'connected')")                                               \
    NEXT(KF_CAL_EV_COL_WRITTEN_CALENDAR, "e.calendar_id")                                   \
    NEXT(KF_CAL_EV_COL_CLASS_LEAD,                                                          \
         "CASE WHEN r.seat IS NOT NULL THEN r.id = (SELECT c.id FROM reservations c"        \
         " WHERE c.seat_class = r.seat_class AND c.seat IS NOT NULL"                        \
         " AND c.status IN " KFM_SQL_PAID_STATES " ORDER BY c.seat, c.id LIMIT 1) END")    \
    NEXT(KF_CAL_EV_COL_CLASS,                                                               \
         "CASE WHEN r.seat IS NOT NULL THEN json_build_object('capacity', s.capacity,"      \
         " 'names', s.attendee_names, 'attendees', COALESCE((SELECT"                         \
         " json_agg(COALESCE(c.customer_name, '') ORDER BY c.seat, c.id)"                   \
         " FROM reservations c WHERE c.seat_class = r.seat_class AND c.seat IS NOT NULL"    \
         " AND c.status IN " KFM_SQL_PAID_STATES "), '[]'::json))::text END")              \
    NEXT(KF_CAL_EV_COL_WRITTEN_CLASS, "e.written_class")
KFM_SQL_ROW_CHECK(KFM_CAL_EVENT_COLUMNS, KF_CAL_EV_COLUMNS)

/* A booking's calendar event as the merchant sees it: kf_calendar_views.h's
 * KF_CAL_EV_VIEW_*. */
#define KFM_CAL_EVENT_VIEW_COLUMNS(FIRST, NEXT)                                             \
    FIRST(KF_CAL_EV_VIEW_PROVIDER, "e.provider")                                            \
    NEXT(KF_CAL_EV_VIEW_EVENT_ID, "e.event_id")                                             \
    NEXT(KF_CAL_EV_VIEW_DUE, "e.due_at IS NOT NULL")                                        \
    NEXT(KF_CAL_EV_VIEW_ERROR, "e.last_error")                                              \
    NEXT(KF_CAL_EV_VIEW_UPDATED, KFM_SQL_RFC3339("e.updated_at"))
KFM_SQL_ROW_CHECK(KFM_CAL_EVENT_VIEW_COLUMNS, KF_CAL_EV_VIEW_COLUMNS)

/* A calendar invitation and whom it is for: kf_calendar_views.h's KF_CAL_INV_*. */
#define KFM_CAL_INVITATION_COLUMNS(FIRST, NEXT)                                             \
    FIRST(KF_CAL_INV_PROFESSIONAL, "p.id")                                                  \
    NEXT(KF_CAL_INV_TENANT, "t.id")                                                         \
    NEXT(KF_CAL_INV_SUBDOMAIN, "t.subdomain")                                               \
    NEXT(KF_CAL_INV_PROFESSIONAL_NAME, "p.name")                                            \
    NEXT(KF_CAL_INV_BUSINESS, "t.name")                                                     \
    NEXT(KF_CAL_INV_COLOR, "t.primary_color")                                               \
    NEXT(KF_CAL_INV_HAS_LOGO,                                                               \
         "EXISTS (SELECT 1 FROM tenant_logos tl WHERE tl.tenant_id = t.id)")                \
    NEXT(KF_CAL_INV_EXPIRES, KFM_SQL_RFC3339("i.expires_at"))                               \
    NEXT(KF_CAL_INV_CALENDAR, KFM_SQL_CALENDAR_JSON("p"))                                   \
    NEXT(KF_CAL_INV_USED, "i.used_at IS NOT NULL")
KFM_SQL_ROW_CHECK(KFM_CAL_INVITATION_COLUMNS, KF_CAL_INV_COLUMNS)

/* A change channel's professional and secret: kf_calendar.h's KF_CAL_CHANNEL_*. */
#define KFM_CAL_CHANNEL_COLUMNS(FIRST, NEXT)                                                \
    FIRST(KF_CAL_CHANNEL_PROFESSIONAL, "professional_id")                                   \
    NEXT(KF_CAL_CHANNEL_SECRET, "channel_secret_sealed")                                    \
    NEXT(KF_CAL_CHANNEL_RECEIVER, "receiver")
KFM_SQL_ROW_CHECK(KFM_CAL_CHANNEL_COLUMNS, KF_CAL_CHANNEL_COLUMNS)

/* The booking of ours a Cal.com booking is: kf_calendar_outside.h's KF_CAL_OUTSIDE_*. */
#define KFM_CAL_OUTSIDE_COLUMNS(FIRST, NEXT)                                                \
    FIRST(KF_CAL_OUTSIDE_COL_BOOKING, "e.reservation_id")                                   \
    NEXT(KF_CAL_OUTSIDE_COL_BOOKED, "r.status IN " KFM_SQL_PAID_STATES)                     \
    NEXT(KF_CAL_OUTSIDE_COL_IN_STEP,                                                        \
         "e.due_at IS NULL AND e.professional_id = r.professional_id AND"                   \
         " e.written_start = r.starts_at AND e.written_end = r.ends_at")                    \
    NEXT(KF_CAL_OUTSIDE_COL_START, "extract(epoch FROM r.starts_at)::bigint")
KFM_SQL_ROW_CHECK(KFM_CAL_OUTSIDE_COLUMNS, KF_CAL_OUTSIDE_COLUMNS)

/* An event left behind in a calendar: kf_calendar_orphans.h's KF_CAL_ORPHAN_*, from
 * calendar_orphans o and its professional p. */
#define KFM_CAL_ORPHAN_COLUMNS(FIRST, NEXT)                                                 \
    FIRST(KF_CAL_ORPHAN_ID, "o.id")                                                         \
    NEXT(KF_CAL_ORPHAN_PROFESSIONAL, "o.professional_id")                                   \
    NEXT(KF_CAL_ORPHAN_PROFESSIONAL_NAME, "p.name")                                         \
    NEXT(KF_CAL_ORPHAN_PROVIDER, "o.provider")                                              \
    NEXT(KF_CAL_ORPHAN_ACCOUNT, "o.account")                                                \
    NEXT(KF_CAL_ORPHAN_EVENT_ID, "o.event_id")                                              \
    NEXT(KF_CAL_ORPHAN_START, KFM_SQL_RFC3339("o.written_start"))                           \
    NEXT(KF_CAL_ORPHAN_END, KFM_SQL_RFC3339("o.written_end"))                               \
    NEXT(KF_CAL_ORPHAN_BOOKING, "o.reservation_id")                                         \
    NEXT(KF_CAL_ORPHAN_ATTEMPTS, "o.attempts")                                              \
    NEXT(KF_CAL_ORPHAN_DUE, "o.due_at IS NOT NULL")                                         \
    NEXT(KF_CAL_ORPHAN_ERROR, "o.last_error")                                               \
    NEXT(KF_CAL_ORPHAN_CREATED, KFM_SQL_RFC3339("o.created_at"))
KFM_SQL_ROW_CHECK(KFM_CAL_ORPHAN_COLUMNS, KF_CAL_ORPHAN_COLUMNS)

/* A connection put in error, the first time, and whom to tell: kf_calendar_views.h's
 * KF_CAL_ERR_*, then the professional's address (their invitation to reconnect). */
enum { KFM_CAL_ERR_PROFESSIONAL_EMAIL = KF_CAL_ERR_COLUMNS, KFM_CAL_ERR_COLUMNS };
#define KFM_CAL_ERROR_COLUMNS(FIRST, NEXT)                                                  \
    FIRST(KF_CAL_ERR_FIRST, "upd.first")                                                    \
    NEXT(KF_CAL_ERR_PROVIDER, "upd.provider")                                               \
    NEXT(KF_CAL_ERR_PROFESSIONAL, "pro.name")                                               \
    NEXT(KF_CAL_ERR_BUSINESS, "t.name")                                                     \
    NEXT(KF_CAL_ERR_LOCALE, "t.locale")                                                     \
    NEXT(KF_CAL_ERR_TO, KFM_SQL_TENANT_EMAIL("t"))                                          \
    NEXT(KF_CAL_ERR_TENANT, "t.id")                                                         \
    NEXT(KFM_CAL_ERR_PROFESSIONAL_EMAIL, "pro.email")
KFM_SQL_ROW_CHECK(KFM_CAL_ERROR_COLUMNS, KFM_CAL_ERR_COLUMNS)

#endif
