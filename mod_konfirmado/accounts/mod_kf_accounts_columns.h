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

#endif
