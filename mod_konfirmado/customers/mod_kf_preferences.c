/* A customer's preferences (API.md "Customer portal ("my bookings") and preferences"):
 * GET|PATCH /api/public/me/preferences for the signed-in customer, and the one-click
 * unsubscribe of reminder mails (RFC 8058): POST /api/public/unsubscribe?token=U turns the
 * reminder mails off for the customer and tenant the token names. Its body is the mail
 * provider's form "List-Unsubscribe=One-Click" or the page's JSON, nothing else; GET sends
 * the browser to the page that asks first (/book/unsubscribe?token=U), so that a link
 * scanner following the mail's visible link unsubscribes nobody. The rules:
 * lib/customers/kf_preferences.c. */
#include "mod_kf_customers_feature.h"
#include "mod_kf_customers_columns.h"
#include "mod_kf_portal.h"
#include "kf_preferences.h"
#include "kf_url.h"

#include <apr_strings.h>

#define PREFERENCE_COLUMNS KFM_SQL_COLUMNS(KFM_PREFERENCES_KEPT_COLUMNS)

const kfm_sql kfm_preferences_sql[] = {
    /* tenant, email: no row is every reminder in the tenant's language */
    {"kf_preferences_get",
     "SELECT " KFM_SQL_COLUMNS(KFM_PREFERENCES_COLUMNS) " FROM tenants t"
     " LEFT JOIN customer_preferences p ON p.tenant_id = t.id AND p.email = %s"
     " WHERE t.id = %s::uuid"},
    /* tenant, email, then mail, text, locale twice (NULL: unchanged) */
    {"kf_preferences_patch",
     "INSERT INTO customer_preferences (tenant_id, email, reminders_email, reminders_text, locale)"
     " VALUES (%s::uuid, %s, coalesce(%s::boolean, true), coalesce(%s::boolean, true), %s)"
     " ON CONFLICT (tenant_id, email) DO UPDATE SET"
     "  reminders_email = coalesce(%s::boolean, customer_preferences.reminders_email),"
     "  reminders_text = coalesce(%s::boolean, customer_preferences.reminders_text),"
     "  locale = coalesce(%s, customer_preferences.locale), updated_at = now()"
     " RETURNING " PREFERENCE_COLUMNS},
    /* the row an unsubscribe token names: the hash of a kept token, or the id a mail sent
     * before tokens were kept carries sealed (NULL: not that kind) */
    {"kf_preferences_unsubscribe",
     "UPDATE customer_preferences SET reminders_email = false, updated_at = now()"
     " WHERE unsubscribe_token_hash = %s OR id = %s::uuid RETURNING " PREFERENCE_COLUMNS ", id"},
    {NULL, NULL},
};

int kfm_handle_portal_preferences_get(kfm_req *kr)
{
    kfm_customer me;
    if (!kfm_portal_customer(kr, &me)) {
        return OK;
    }
    const char *args[] = {me.email, me.tenant_id};
    const char *v[KF_PREFS_COLUMNS];
    if (kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_preferences_get", 2, args, v,
                          KF_PREFS_COLUMNS) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, kf_preferences_json(v));
}

static const char *flag(int v)
{
    return v < 0 ? NULL : v ? "true" : "false";
}

int kfm_handle_portal_preferences_patch(kfm_req *kr)
{
    kfm_customer me;
    if (!kfm_portal_customer(kr, &me)) {
        return OK;
    }
    kf_fields f;
    kf_fields_init(&f, kr->r->pool, kr->locale);
    kf_preferences_change change;
    kf_preferences_read(&f, kr->body, &change);
    if (!kf_fields_ok(&f)) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    const char *mail = flag(change.reminders_email), *text = flag(change.reminders_text);
    const char *args[] = {me.tenant_id, me.email, mail, text, change.locale,
                          mail, text, change.locale};
    const char *v[KF_PREFS_COLUMNS];
    if (kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_preferences_patch", 8, args, v,
                          KF_PREFS_COLUMNS) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, kf_preferences_json(v));
}

int kfm_handle_unsubscribe_page(kfm_req *kr)
{
    const char *token = kf_unsubscribe_query_token(kr->r->pool, kr->r->args);
    if (!token) {
        return kfm_reply_error_msg(kr, HTTP_NOT_FOUND, "token_not_found", "token_not_found");
    }
    apr_table_setn(kr->r->headers_out, "Location",
                   apr_pstrcat(kr->r->pool, "/book/unsubscribe?token=", kf_url_encode(kr->r->pool, token),
                               NULL));
    return kfm_reply_empty(kr, HTTP_SEE_OTHER);
}

/* 1 when the body is one the unsubscribe takes (kf_unsubscribe_body_of); else 0, answered:
 * 415 for another type, 400 for a form that does not say List-Unsubscribe=One-Click. */
static int unsubscribe_body_ok(kfm_req *kr)
{
    const char *type = apr_table_get(kr->r->headers_in, "Content-Type");
    switch (kf_unsubscribe_body_of(type)) {
    case KF_UNSUBSCRIBE_JSON: {
        json_t *body = NULL;
        return kfm_read_json(kr, &body) == APR_SUCCESS;
    }
    case KF_UNSUBSCRIBE_FORM: {
        const char *body = NULL;
        apr_size_t len = 0;
        if (kfm_read_body(kr, &body, &len) != APR_SUCCESS) {
            return 0;
        }
        if (!kf_unsubscribe_one_click(kr->r->pool, type, body, len)) {
            kfm_reply_field_ids(kr, json_pack("{s:s}", "List-Unsubscribe", "one_click_field"));
            return 0;
        }
        return 1;
    }
    default:
        kr->r->connection->keepalive = AP_CONN_CLOSE;
        kfm_reply_error_msg(kr, HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                            "unsubscribe_media_type");
        return 0;
    }
}

int kfm_handle_unsubscribe(kfm_req *kr)
{
    if (!unsubscribe_body_ok(kr)) {
        return OK;
    }
    const char *token = kf_unsubscribe_query_token(kr->r->pool, kr->r->args);
    const char *hash = kf_unsubscribe_token_hash(kr->r->pool, token);
    const char *legacy = hash ? NULL : kf_unsubscribe_legacy_open(kr->r->pool, kr->conf->keyring,
                                                                  token);
    if (!hash && !legacy) {
        return kfm_reply_error_msg(kr, HTTP_NOT_FOUND, "token_not_found", "token_not_found");
    }
    const char *args[] = {hash, legacy};
    const char *v[KF_PREFS_COLUMNS + 1];   /* the preferences, then the row's id */
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_preferences_unsubscribe",
                                        2, args, v, KF_PREFS_COLUMNS + 1);
    if (rv == APR_NOTFOUND) {
        return kfm_reply_error_msg(kr, HTTP_NOT_FOUND, "token_not_found", "token_not_found");
    }
    if (rv != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    kfm_log(kr, APLOG_INFO, "reminder mails turned off by their unsubscribe link (%s%s)",
            v[KF_PREFS_COLUMNS], legacy ? ", an older sealed link" : "");
    return kfm_reply_json(kr, HTTP_OK, kf_preferences_json(v));
}
