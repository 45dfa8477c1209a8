#ifndef MOD_KF_ACCOUNTS_COLUMNS_H
#define MOD_KF_ACCOUNTS_COLUMNS_H
/* The columns the accounts' statements select, at the positions of the core's readers
 * (mod_kf_sql.h, KFM_SQL_COLUMNS). */
#include "mod_kf_sql.h"
#include "kf_account_form.h"

/* The tenant after log-in: kf_account_form.h's KF_ACCOUNT_TENANT_*. */
#define KFM_ACCOUNT_TENANT_COLUMNS(FIRST, NEXT)                                             \
    FIRST(KF_ACCOUNT_TENANT_ID, "id")                                                       \
    NEXT(KF_ACCOUNT_TENANT_NAME, "name")                                                    \
    NEXT(KF_ACCOUNT_TENANT_SUBDOMAIN, "subdomain")                                          \
    NEXT(KF_ACCOUNT_TENANT_TIMEZONE, "timezone")                                            \
    NEXT(KF_ACCOUNT_TENANT_LOCALE, "locale")                                                \
    NEXT(KF_ACCOUNT_TENANT_COUNTRY, "country")                                              \
    NEXT(KF_ACCOUNT_TENANT_CURRENCY, "currency")                                            \
    NEXT(KF_ACCOUNT_TENANT_PRIMARY_COLOR, "primary_color")                                  \
    NEXT(KF_ACCOUNT_TENANT_SECONDARY_COLOR, "secondary_color")                              \
    NEXT(KF_ACCOUNT_TENANT_LOGO_URL, "logo_url")                                            \
    NEXT(KF_ACCOUNT_TENANT_CALLBACK_URL, "callback_url")                                    \
    NEXT(KF_ACCOUNT_TENANT_RETURN_URL, "return_url")                                        \
    NEXT(KF_ACCOUNT_TENANT_TERMS_URL, "terms_url")
KFM_SQL_ROW_CHECK(KFM_ACCOUNT_TENANT_COLUMNS, KF_ACCOUNT_TENANT_COLUMNS)

/* A password reset asked for (kf_acct_reset_issue): the user, their tenant and its words. */
#define KFM_RESET_ISSUED_COLUMNS(FIRST, NEXT)                                               \
    FIRST(KFM_RESET_ISSUED_USER, "u.id")                                                    \
    NEXT(KFM_RESET_ISSUED_TENANT, "u.tenant_id")                                            \
    NEXT(KFM_RESET_ISSUED_BUSINESS, "tn.name")                                              \
    NEXT(KFM_RESET_ISSUED_LOCALE, "tn.locale")
enum { KFM_RESET_ISSUED_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) KFM_RESET_ISSUED_COUNT };

/* The user a live reset token names (kf_acct_reset_lookup). */
#define KFM_RESET_FOUND_COLUMNS(FIRST, NEXT)                                                \
    FIRST(KFM_RESET_FOUND_USER, "u.id")                                                     \
    NEXT(KFM_RESET_FOUND_EMAIL, "u.email")
enum { KFM_RESET_FOUND_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) KFM_RESET_FOUND_COUNT };

/* The user whose password was set (kf_acct_password_set). */
#define KFM_PASSWORD_SET_COLUMNS(FIRST, NEXT)                                               \
    FIRST(KFM_PASSWORD_SET_TENANT, "tenant_id")                                             \
    NEXT(KFM_PASSWORD_SET_EMAIL, "email")
enum { KFM_PASSWORD_SET_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) KFM_PASSWORD_SET_COUNT };

#endif
