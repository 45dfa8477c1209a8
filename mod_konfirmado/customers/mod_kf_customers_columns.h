#ifndef MOD_KF_CUSTOMERS_COLUMNS_H
#define MOD_KF_CUSTOMERS_COLUMNS_H
/* The columns the customers' statements select, at the positions of the core's readers
 * (mod_kf_sql.h, KFM_SQL_COLUMNS). */
#include "mod_kf_sql.h"
#include "kf_customer_list.h"
#include "kf_preferences.h"

/* A customer's preferences (no row: every reminder, in the tenant's language):
 * kf_preferences.h's KF_PREFS_COL_*, from tenants t and customer_preferences p. */
#define KFM_PREFERENCES_COLUMNS(FIRST, NEXT)                                                \
    FIRST(KF_PREFS_COL_EMAIL, "coalesce(p.reminders_email, true)")                          \
    NEXT(KF_PREFS_COL_TEXT, "coalesce(p.reminders_text, true)")                             \
    NEXT(KF_PREFS_COL_LOCALE, "coalesce(p.locale, t.locale)")
KFM_SQL_ROW_CHECK(KFM_PREFERENCES_COLUMNS, KF_PREFS_COLUMNS)

/* The same of the row just written in customer_preferences. */
#define KFM_PREFERENCES_KEPT_COLUMNS(FIRST, NEXT)                                           \
    FIRST(KF_PREFS_COL_EMAIL, "reminders_email")                                            \
    NEXT(KF_PREFS_COL_TEXT, "reminders_text")                                               \
    NEXT(KF_PREFS_COL_LOCALE,                                                               \
         "coalesce(locale, (SELECT t.locale FROM tenants t WHERE t.id ="                    \
         " customer_preferences.tenant_id))")
KFM_SQL_ROW_CHECK(KFM_PREFERENCES_KEPT_COLUMNS, KF_PREFS_COLUMNS)

/* A customer of the merchant's list: kf_customer_list.h's KF_CUSTOMER_LIST_COL_*, from the
 * customers c and their preferences p ($2: the tenant). */
#define KFM_CUSTOMER_LIST_COLUMNS(FIRST, NEXT)                                                   \
    FIRST(KF_CUSTOMER_LIST_COL_EMAIL, "c.email")                                                 \
    NEXT(KF_CUSTOMER_LIST_COL_NAME, "c.name")                                                    \
    NEXT(KF_CUSTOMER_LIST_COL_PHONE, "c.phone")                                                  \
    NEXT(KF_CUSTOMER_LIST_COL_BOOKINGS, "c.bookings")                                            \
    NEXT(KF_CUSTOMER_LIST_COL_LAST, KFM_SQL_RFC3339("c.last_at"))                                \
    NEXT(KF_CUSTOMER_LIST_COL_MAIL_OFF, "coalesce(NOT p.reminders_email, false)")                \
    NEXT(KF_CUSTOMER_LIST_COL_TEXT_OFF,                                                          \
         "coalesce(NOT p.reminders_text, false) OR kf_text_stopped(%s::uuid, c.phone)")
KFM_SQL_ROW_CHECK(KFM_CUSTOMER_LIST_COLUMNS, KF_CUSTOMER_LIST_COLUMNS)

#endif
