#ifndef MOD_KF_CATALOG_COLUMNS_H
#define MOD_KF_CATALOG_COLUMNS_H
/* The columns the catalog's statements select, at the positions of the core's readers
 * (mod_kf_sql.h, KFM_SQL_COLUMNS). */
#include "mod_kf_sql.h"
#include "mod_kf_calendar.h"
#include "kf_service.h"
#include "kf_professional.h"
#include "kf_link.h"
#include "kf_package.h"

/* A service: kf_service.h's KF_SVC_COL_*, from services s. */
#define KFM_SERVICE_COLUMNS(FIRST, NEXT)                                                    \
    FIRST(KF_SVC_COL_ID, "s.id")                                                            \
    NEXT(KF_SVC_COL_NAME, "s.name")                                                         \
    NEXT(KF_SVC_COL_DESCRIPTION, "s.description")                                           \
    NEXT(KF_SVC_COL_IMAGE_URL, "s.image_url")                                               \
    NEXT(KF_SVC_COL_DURATION, "s.duration_minutes")                                         \
    NEXT(KF_SVC_COL_PRICE, "s.price_amount")                                                \
    NEXT(KF_SVC_COL_CURRENCY, "s.currency")                                                 \
    NEXT(KF_SVC_COL_CHARGE_TYPE, "s.charge_type")                                           \
    NEXT(KF_SVC_COL_DEPOSIT, "s.deposit_percent")                                           \
    NEXT(KF_SVC_COL_SLOT_INTERVAL, "s.slot_interval_minutes")                               \
    NEXT(KF_SVC_COL_BUFFER_BEFORE, "s.buffer_before_minutes")                               \
    NEXT(KF_SVC_COL_BUFFER_AFTER, "s.buffer_after_minutes")                                 \
    NEXT(KF_SVC_COL_MIN_NOTICE, "s.min_notice_minutes")                                     \
    NEXT(KF_SVC_COL_HORIZON, "s.horizon_days")                                              \
    NEXT(KF_SVC_COL_ARCHIVED, "s.archived_at IS NOT NULL")                                  \
    NEXT(KF_SVC_COL_CREATED, KFM_SQL_RFC3339("s.created_at"))                               \
    NEXT(KF_SVC_COL_UPDATED, KFM_SQL_RFC3339("s.updated_at"))                               \
    NEXT(KF_SVC_COL_PROFESSIONALS,                                                          \
         "array_to_string(ARRAY(SELECT sp.professional_id FROM service_professionals"       \
         " sp JOIN professionals p ON p.id = sp.professional_id AND p.tenant_id ="          \
         " sp.tenant_id WHERE sp.service_id = s.id AND sp.tenant_id = s.tenant_id AND"      \
         " p.archived_at IS NULL ORDER BY p.created_at, p.id), ',')")                       \
    NEXT(KF_SVC_COL_LOCATION_TYPE, "s.location_type")                                       \
    NEXT(KF_SVC_COL_LOCATION_VALUE, "s.location_value")                                     \
    NEXT(KF_SVC_COL_LOCATION_PROVIDER, "s.location_provider")                               \
    NEXT(KF_SVC_COL_CAPACITY, "s.capacity")                                                 \
    NEXT(KF_SVC_COL_ATTENDEE_NAMES, "s.attendee_names")                                     \
    NEXT(KF_SVC_COL_TEAM, "array_to_string(s.team_ids, ',')")                               \
    NEXT(KF_SVC_COL_SERIES, "s.series::text")
KFM_SQL_ROW_CHECK(KFM_SERVICE_COLUMNS, KF_SVC_COL_COUNT)

/* A professional: kf_professional.h's KF_PRO_COL_*, from professionals p. */
#define KFM_PROFESSIONAL_COLUMNS(FIRST, NEXT)                                               \
    FIRST(KF_PRO_COL_ID, "p.id")                                                            \
    NEXT(KF_PRO_COL_NAME, "p.name")                                                         \
    NEXT(KF_PRO_COL_DESCRIPTION, "p.description")                                           \
    NEXT(KF_PRO_COL_PHOTO_URL, "p.photo_url")                                               \
    NEXT(KF_PRO_COL_EMAIL, "p.email")                                                       \
    NEXT(KF_PRO_COL_TIMEZONE, "p.timezone")                                                 \
    NEXT(KF_PRO_COL_CALENDAR, KFM_SQL_CALENDAR_JSON("p"))                                   \
    NEXT(KF_PRO_COL_ARCHIVED, "p.archived_at IS NOT NULL")                                  \
    NEXT(KF_PRO_COL_CREATED, KFM_SQL_RFC3339("p.created_at"))                               \
    NEXT(KF_PRO_COL_UPDATED, KFM_SQL_RFC3339("p.updated_at"))                               \
    NEXT(KF_PRO_COL_SERVICES,                                                               \
         "array_to_string(ARRAY(SELECT sp.service_id FROM service_professionals sp"         \
         " JOIN services s ON s.id = sp.service_id AND s.tenant_id = sp.tenant_id"          \
         " WHERE sp.professional_id = p.id AND sp.tenant_id = p.tenant_id AND"              \
         " s.archived_at IS NULL ORDER BY s.created_at, s.id), ',')")                       \
    NEXT(KF_PRO_COL_SCHEDULE,                                                               \
         "COALESCE((SELECT json_agg(json_build_array(h.weekday, h.start_minute,"            \
         " h.end_minute) ORDER BY h.weekday, h.start_minute) FROM professional_hours h"     \
         " WHERE h.professional_id = p.id), '[]')::text")                                   \
    NEXT(KF_PRO_COL_EXCEPTIONS,                                                             \
         "COALESCE((SELECT json_agg(json_build_array(to_char(e.day, 'YYYY-MM-DD'),"         \
         " e.closed, e.start_minute, e.end_minute) ORDER BY e.day, e.start_minute)"         \
         " FROM professional_exceptions e WHERE e.professional_id = p.id), '[]')::text")    \
    NEXT(KF_PRO_COL_VIDEO_URL, "p.video_url")                                               \
    NEXT(KF_PRO_COL_VIDEO_PROVIDER, "p.video_provider")
KFM_SQL_ROW_CHECK(KFM_PROFESSIONAL_COLUMNS, KF_PRO_COL_COUNT)

/* A booking link: kf_link.h's KF_LINK_COL_*, from booking_links l. */
#define KFM_LINK_COLUMNS(FIRST, NEXT)                                                       \
    FIRST(KF_LINK_COL_ID, "l.id")                                                           \
    NEXT(KF_LINK_COL_SLUG, "l.slug")                                                        \
    NEXT(KF_LINK_COL_NAME, "l.name")                                                        \
    NEXT(KF_LINK_COL_SERVICE, "l.service_id")                                               \
    NEXT(KF_LINK_COL_PROFESSIONAL, "l.professional_id")                                     \
    NEXT(KF_LINK_COL_EXPIRES, KFM_SQL_RFC3339("l.expires_at"))                              \
    NEXT(KF_LINK_COL_ACTIVE, "l.active")                                                    \
    NEXT(KF_LINK_COL_CREATED, KFM_SQL_RFC3339("l.created_at"))                              \
    NEXT(KF_LINK_COL_UPDATED, KFM_SQL_RFC3339("l.updated_at"))                              \
    /* packages: the active packages the link offers */                                     \
    NEXT(KF_LINK_COL_PACKAGES,                                                              \
         "array_to_string(ARRAY(SELECT lp.package_id FROM link_packages lp JOIN"            \
         " packages k ON k.id = lp.package_id AND k.archived_at IS NULL WHERE"              \
         " lp.link_id = l.id ORDER BY k.created_at, k.id), ',')")                           \
    NEXT(KF_LINK_COL_METADATA, "l.metadata")                                                \
    NEXT(KF_LINK_COL_ASSIGN, "l.assign")                                                    \
    NEXT(KF_LINK_COL_WEIGHTS, "l.assign_weights")
KFM_SQL_ROW_CHECK(KFM_LINK_COLUMNS, KF_LINK_COL_COUNT)

/* A package: kf_package.h's KF_PKG_COL_*, from packages k. */
#define KFM_PACKAGE_COLUMNS(FIRST, NEXT)                                                    \
    FIRST(KF_PKG_COL_ID, "k.id")                                                            \
    NEXT(KF_PKG_COL_NAME, "k.name")                                                         \
    NEXT(KF_PKG_COL_DESCRIPTION, "k.description")                                           \
    NEXT(KF_PKG_COL_SERVICE, "k.service_id")                                                \
    NEXT(KF_PKG_COL_SESSIONS, "k.sessions")                                                 \
    NEXT(KF_PKG_COL_PRICE, "k.price_amount")                                                \
    NEXT(KF_PKG_COL_CURRENCY, "k.currency")                                                 \
    NEXT(KF_PKG_COL_VALID_DAYS, "k.valid_days")                                             \
    NEXT(KF_PKG_COL_ARCHIVED, "k.archived_at IS NOT NULL")                                  \
    NEXT(KF_PKG_COL_CREATED, KFM_SQL_RFC3339("k.created_at"))                               \
    NEXT(KF_PKG_COL_UPDATED, KFM_SQL_RFC3339("k.updated_at"))
KFM_SQL_ROW_CHECK(KFM_PACKAGE_COLUMNS, KF_PKG_COL_COUNT)

/* A package a link offers, and whether the link can sell it: kf_link.h's KF_LINK_PKG_*. */
#define KFM_LINK_PACKAGE_COLUMNS(FIRST, NEXT)                                               \
    FIRST(KF_LINK_PKG_NAME, "k.name")                                                       \
    NEXT(KF_LINK_PKG_SERVICE, "k.service_id")                                               \
    NEXT(KF_LINK_PKG_SERVICE_ACTIVE, "s.archived_at IS NULL")                               \
    NEXT(KF_LINK_PKG_OFFERED,                                                               \
         "EXISTS (SELECT 1 FROM service_professionals sp WHERE sp.tenant_id ="              \
         " k.tenant_id AND sp.service_id = k.service_id AND sp.professional_id ="           \
         " %s::uuid)")
KFM_SQL_ROW_CHECK(KFM_LINK_PACKAGE_COLUMNS, KF_LINK_PKG_COUNT)

#endif
