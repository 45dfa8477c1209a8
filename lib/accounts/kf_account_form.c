/* The account forms and what their answers show: see kf_account_form.h. */
#include "kf_account_form.h"
#include "kf_account.h"
#include "kf_json.h"
#include "kf_url.h"

#include <apr_strings.h>

void kf_account_field_fail(kf_locale locale, json_t *fields, const char *key,
                           const char *message_id)
{
    json_object_set_new(fields, key, json_string(kf_message(message_id, locale)));
}

json_t *kf_account_form_read(kf_locale locale, const json_t *body, size_t n,
                             const char *const keys[], const char *values[],
                             kf_account_checks checks)
{
    json_t *fields = json_object();
    for (size_t i = 0; i < n; i++) {
        values[i] = NULL;
        switch (kf_json_get_string(body, keys[i], &values[i])) {
        case KF_JSON_FIELD_OK:
            break;
        case KF_JSON_FIELD_WRONG_TYPE:
            values[i] = NULL;
            kf_account_field_fail(locale, fields, keys[i], "account_field_not_string");
            break;
        default:
            values[i] = NULL;
            kf_account_field_fail(locale, fields, keys[i], "account_field_required");
        }
    }
    if (checks) {
        checks(locale, values, fields);
    }
    return fields;
}

const char *const kf_register_keys[KF_REGISTER_FIELDS] = {"email", "password", "business_name"};

void kf_account_register_checks(kf_locale locale, const char *const v[], json_t *fields)
{
    const char *problem;
    if (v[KF_REGISTER_EMAIL] && (problem = kf_account_email_problem(v[KF_REGISTER_EMAIL]))) {
        kf_account_field_fail(locale, fields, "email", problem);
    }
    if (v[KF_REGISTER_PASSWORD] &&
        (problem = kf_account_password_problem(v[KF_REGISTER_PASSWORD], v[KF_REGISTER_EMAIL]))) {
        kf_account_field_fail(locale, fields, "password", problem);
    }
    if (v[KF_REGISTER_NAME] && (problem = kf_account_business_name_problem(v[KF_REGISTER_NAME]))) {
        kf_account_field_fail(locale, fields, "business_name", problem);
    }
}

void kf_account_email_checks(kf_locale locale, const char *const v[], json_t *fields)
{
    const char *problem = v[0] ? kf_account_email_problem(v[0]) : NULL;
    if (problem) {
        kf_account_field_fail(locale, fields, "email", problem);
    }
}

const char *kf_account_loggable_email(const char *email)
{
    return kf_account_email_problem(email) == NULL ? email : "(not an address)";
}

json_t *kf_account_user_json(const char *id, const char *email, int verified)
{
    json_t *user = json_object();
    json_object_set_new(user, "id", json_string(id));
    json_object_set_new(user, "email", json_string(email));
    json_object_set_new(user, "email_verified", json_boolean(verified));
    return user;
}

const char *const kf_account_tenant_columns[KF_ACCOUNT_TENANT_COLUMNS] = {
    [KF_ACCOUNT_TENANT_ID] = "id",
    [KF_ACCOUNT_TENANT_NAME] = "name",
    [KF_ACCOUNT_TENANT_SUBDOMAIN] = "subdomain",
    [KF_ACCOUNT_TENANT_TIMEZONE] = "timezone",
    [KF_ACCOUNT_TENANT_LOCALE] = "locale",
    [KF_ACCOUNT_TENANT_COUNTRY] = "country",
    [KF_ACCOUNT_TENANT_CURRENCY] = "currency",
    [KF_ACCOUNT_TENANT_PRIMARY_COLOR] = "primary_color",
    [KF_ACCOUNT_TENANT_SECONDARY_COLOR] = "secondary_color",
    [KF_ACCOUNT_TENANT_LOGO_URL] = "logo_url",
    [KF_ACCOUNT_TENANT_CALLBACK_URL] = "callback_url",
    [KF_ACCOUNT_TENANT_RETURN_URL] = "return_url",
    [KF_ACCOUNT_TENANT_TERMS_URL] = "terms_url",
};

json_t *kf_account_tenant_json(const char *const *row)
{
    json_t *tenant = json_object();
    for (int i = 0; i < KF_ACCOUNT_TENANT_COLUMNS; i++) {
        json_object_set_new(tenant, kf_account_tenant_columns[i],
                            row[i] ? json_string(row[i]) : json_null());
    }
    return tenant;
}

const char *kf_account_link(apr_pool_t *p, const char *public_url, const char *path,
                            const char *token)
{
    return apr_pstrcat(p, kf_url_trim_slash(p, public_url), path, token ? "?token=" : "", token,
                       NULL);
}

json_t *kf_account_mail_vars(const char *link, const char *business_name)
{
    json_t *vars = json_object();
    json_object_set_new(vars, "link", json_string(link));
    json_object_set_new(vars, "business_name", json_string(business_name));
    return vars;
}

json_t *kf_account_lock_mail_vars(const char *link, const char *business_name,
                                  const char *network, apr_int64_t window_seconds)
{
    char minutes[24];
    apr_snprintf(minutes, sizeof(minutes), "%" APR_INT64_T_FMT, (window_seconds + 59) / 60);
    json_t *vars = kf_account_mail_vars(link, business_name);
    json_object_set_new(vars, "network", json_string(network));
    json_object_set_new(vars, "minutes", json_string(minutes));
    return vars;
}

kf_login_lock kf_login_lock_of(int network_full, int account_full)
{
    return account_full ? KF_LOGIN_LOCK_EVERYWHERE
           : network_full ? KF_LOGIN_LOCK_NETWORK : KF_LOGIN_LOCK_NONE;
}

const char *kf_login_lock_mail(kf_login_lock lock)
{
    return lock == KF_LOGIN_LOCK_EVERYWHERE ? "account_locked_everywhere"
           : lock == KF_LOGIN_LOCK_NETWORK ? "account_locked" : NULL;
}

const char *kf_login_lock_notice_scope(kf_login_lock lock)
{
    return lock == KF_LOGIN_LOCK_EVERYWHERE ? "locked-everywhere"
           : lock == KF_LOGIN_LOCK_NETWORK ? "locked" : NULL;
}

json_t *kf_account_answer(const char *user_id, const char *email, int verified, json_t *tenant,
                          const char *csrf_token)
{
    json_t *answer = json_object();
    json_object_set_new(answer, "user", kf_account_user_json(user_id, email, verified));
    if (tenant) {
        json_object_set_new(answer, "tenant", tenant);
    }
    if (csrf_token) {
        json_object_set_new(answer, "csrf_token", json_string(csrf_token));
    }
    return answer;
}

json_t *kf_account_password_changes(void)
{
    return json_pack("{s:s}", "password", "[redacted]");
}

json_t *kf_account_register_changes(const char *email, const char *business_name)
{
    return json_pack("{s:s, s:s}", "email", email, "business_name", business_name);
}
