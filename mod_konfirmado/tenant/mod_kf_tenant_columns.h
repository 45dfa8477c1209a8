#ifndef MOD_KF_TENANT_COLUMNS_H
#define MOD_KF_TENANT_COLUMNS_H
/* The columns the tenant's statements select, at the positions of the core's readers
 * (mod_kf_sql.h, KFM_SQL_COLUMNS). */
#include "mod_kf_sql.h"
#include "kf_tenant_rules.h"
#include "kf_tenant_settings.h"

/* The editable fields, at their kf_tenant_field positions (KF_TENANT_NAME ...). */
#define KFM_TENANT_EDITABLE_COLUMNS(FIRST, NEXT)                                            \
    FIRST(KF_TENANT_NAME, "name")                                                           \
    NEXT(KF_TENANT_SUBDOMAIN, "subdomain")                                                  \
    NEXT(KF_TENANT_TIMEZONE, "timezone")                                                    \
    NEXT(KF_TENANT_LOCALE, "locale")                                                        \
    NEXT(KF_TENANT_COUNTRY, "country")                                                      \
    NEXT(KF_TENANT_PRIMARY_COLOR, "primary_color")                                          \
    NEXT(KF_TENANT_SECONDARY_COLOR, "secondary_color")                                      \
    NEXT(KF_TENANT_LOGO_URL, "logo_url")                                                    \
    NEXT(KF_TENANT_CALLBACK_URL, "callback_url")                                            \
    NEXT(KF_TENANT_RETURN_URL, "return_url")                                                \
    NEXT(KF_TENANT_TERMS_URL, "terms_url")                                                  \
    NEXT(KF_TENANT_CUSTOM_DOMAIN, "custom_domain")                                          \
    NEXT(KF_TENANT_NOTIFICATION_EMAIL, "notification_email")                                \
    NEXT(KF_TENANT_CONTACT_PHONE, "contact_phone")                                          \
    NEXT(KF_TENANT_REPLY_TO_EMAIL, "reply_to_email")
KFM_SQL_ROW_CHECK(KFM_TENANT_EDITABLE_COLUMNS, KF_TENANT_FIELD_COUNT)

/* The booking policy's columns, in the order of kf_tenant_policy_fields, from
 * KF_TENANT_COL_POLICY on. */
enum {
    KFM_TENANT_COL_CANCEL_CUTOFF = KF_TENANT_COL_POLICY, KFM_TENANT_COL_RESCHEDULE_CUTOFF,
    KFM_TENANT_COL_MAX_RESCHEDULES, KFM_TENANT_COL_AUTO_COMPLETE, KFM_TENANT_COL_RETENTION,
    KFM_TENANT_COL_ERASURE_AUTO, KFM_TENANT_COL_REFUND_ON_CANCEL, KFM_TENANT_COL_ATTENDEE,
    KFM_TENANT_COL_PROVIDER, KFM_TENANT_COL_CALCOM_HOURS
};

/* A tenant as GET shows it: kf_tenant_settings.h's KF_TENANT_COL_*, the editable fields
 * first. */
#define KFM_TENANT_COLUMNS(FIRST, NEXT)                                                     \
    KFM_TENANT_EDITABLE_COLUMNS(FIRST, NEXT)                                                \
    NEXT(KF_TENANT_COL_ID, "id")                                                            \
    NEXT(KF_TENANT_COL_CURRENCY, "currency")                                                \
    NEXT(KF_TENANT_COL_SECRET_SET, "callback_secret_sealed IS NOT NULL")                    \
    NEXT(KF_TENANT_COL_SECRET_SET_AT, KFM_SQL_RFC3339("callback_secret_set_at"))            \
    NEXT(KF_TENANT_COL_UPDATED_AT, KFM_SQL_RFC3339("updated_at"))                           \
    NEXT(KFM_TENANT_COL_CANCEL_CUTOFF, "cancel_cutoff_hours")                               \
    NEXT(KFM_TENANT_COL_RESCHEDULE_CUTOFF, "reschedule_cutoff_hours")                       \
    NEXT(KFM_TENANT_COL_MAX_RESCHEDULES, "max_reschedules")                                 \
    NEXT(KFM_TENANT_COL_AUTO_COMPLETE, "auto_complete_hours")                               \
    NEXT(KFM_TENANT_COL_RETENTION, "data_retention_months")                                 \
    NEXT(KFM_TENANT_COL_ERASURE_AUTO, "erasure_auto_days")                                  \
    NEXT(KFM_TENANT_COL_REFUND_ON_CANCEL, "refund_on_cancel")                               \
    NEXT(KFM_TENANT_COL_ATTENDEE, "calendar_customer_attendee")                             \
    NEXT(KFM_TENANT_COL_PROVIDER, "payment_provider")                                       \
    NEXT(KFM_TENANT_COL_CALCOM_HOURS, "calcom_hours")                                       \
    NEXT(KF_TENANT_COL_REMINDERS, "array_to_json(reminders)::text")                        \
    NEXT(KF_TENANT_COL_EMBED_ORIGINS, "array_to_json(embed_origins)::text")
KFM_SQL_ROW_CHECK(KFM_TENANT_COLUMNS, KF_TENANT_COL_COUNT)

/* What is priced in another currency than the one asked: kf_tenant_settings.h's
 * KF_IN_USE_*, services ('s') and packages ('p') each. */
#define KFM_TENANT_SERVICE_IN_USE_COLUMNS(FIRST, NEXT)                                      \
    FIRST(KF_IN_USE_KIND, "'s'")                                                            \
    NEXT(KF_IN_USE_ID, "id")                                                                \
    NEXT(KF_IN_USE_NAME, "name")                                                            \
    NEXT(KF_IN_USE_CURRENCY, "currency")
KFM_SQL_ROW_CHECK(KFM_TENANT_SERVICE_IN_USE_COLUMNS, KF_IN_USE_COUNT)
#define KFM_TENANT_PACKAGE_IN_USE_COLUMNS(FIRST, NEXT)                                      \
    FIRST(KF_IN_USE_KIND, "'p'")                                                            \
    NEXT(KF_IN_USE_ID, "id")                                                                \
    NEXT(KF_IN_USE_NAME, "name")                                                            \
    NEXT(KF_IN_USE_CURRENCY, "currency")
KFM_SQL_ROW_CHECK(KFM_TENANT_PACKAGE_IN_USE_COLUMNS, KF_IN_USE_COUNT)

#endif
