/* The customer's portal's rules (see kf_portal.h). */
#include "kf_portal.h"
#include "kf_email.h"
#include "kf_json.h"
#include "kf_url.h"

#include <apr_strings.h>
#include <string.h>

int kf_portal_scope_parse(const char *text, kf_portal_scope *out)
{
    if (!text || !*text || strcmp(text, "upcoming") == 0) {
        *out = KF_PORTAL_UPCOMING;
        return 1;
    }
    if (strcmp(text, "past") == 0) {
        *out = KF_PORTAL_PAST;
        return 1;
    }
    return 0;
}

const char *kf_portal_cookie(apr_pool_t *p, const char *value, long max_age)
{
    /* Secure always: browsers keep a Secure cookie set by http://localhost too, and a tenant's
     * host is served over HTTPS everywhere else */
    return apr_psprintf(p, "%s=%s; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=%ld",
                        KF_PORTAL_COOKIE, value ? value : "", max_age);
}

const char *kf_portal_sign_in_url(apr_pool_t *p, const char *root, const char *token)
{
    return apr_pstrcat(p, root, KF_PORTAL_PAGE "?token=", kf_url_encode(p, token), NULL);
}

const char *kf_portal_unsubscribe_url(apr_pool_t *p, const char *root, const char *token)
{
    return apr_pstrcat(p, root, "/api/public/unsubscribe?token=", kf_url_encode(p, token), NULL);
}

json_t *kf_portal_booking(json_t *status_view, const char *manage_url, int ended)
{
    json_t *booking = json_incref(json_object_get(status_view, "booking"));
    json_decref(status_view);
    if (!booking) {
        return NULL;
    }
    json_object_set_new(booking, "manage_url", manage_url ? json_string(manage_url) : json_null());
    const json_t *policy = json_object_get(booking, "actions");
    const char *status = json_string_value(json_object_get(booking, "status"));
    int standing = status && (strcmp(status, "paid") == 0 || strcmp(status, "confirmed") == 0);
    const json_t *payment = json_object_get(booking, "payment");
    const char *paid = json_string_value(json_object_get(payment, "status"));
    json_t *actions = json_array();
    if (manage_url && json_is_true(json_object_get(policy, "cancel"))) {
        json_array_append_new(actions, json_string("cancel"));
    }
    if (manage_url && json_is_true(json_object_get(policy, "reschedule"))) {
        json_array_append_new(actions, json_string("reschedule"));
    }
    if (manage_url && standing && !ended) {
        json_array_append_new(actions, json_string("add_to_calendar"));
    }
    if (paid && strcmp(paid, "approved") == 0) {
        json_array_append_new(actions, json_string("receipt"));
    }
    if (json_is_string(json_object_get(booking, "link"))) {
        json_array_append_new(actions, json_string("book_again"));
    }
    json_t *left = json_object_get(policy, "reschedules_left");
    json_object_set_new(booking, "reschedules_left", json_is_integer(left) ? json_incref(left) : json_integer(0));
    json_object_set_new(booking, "actions", actions);
    return booking;
}

/* A required string field: its value, or NULL with "required" or "wrong type" in f. */
static const char *required_string(kf_fields *f, const json_t *body, const char *key)
{
    const char *v = NULL;
    kf_json_field got = kf_json_get_string(body, key, &v);
    if (got != KF_JSON_FIELD_OK) {
        kf_fields_fail(f, key, got == KF_JSON_FIELD_WRONG_TYPE ? "field_wrong_type"
                                                               : "field_required");
        return NULL;
    }
    return v;
}

const char *kf_portal_login_read(kf_fields *f, const json_t *body)
{
    const char *email = required_string(f, body, "email");
    if (email && !kf_email_valid(email)) {
        kf_fields_fail(f, "email", "account_email_invalid");
        return NULL;
    }
    return email ? kf_email_normalize(f->pool, email) : NULL;
}

const char *kf_portal_session_read(kf_fields *f, const json_t *body)
{
    return required_string(f, body, "token");
}

json_t *kf_portal_sign_in_vars(apr_pool_t *p, const char *public_url, const char *subdomain,
                               const char *base_domain, const char *token, const char *business)
{
    const char *root = kf_url_tenant_root(p, public_url, subdomain, base_domain);
    return root ? json_pack("{s:s, s:s}", "link", kf_portal_sign_in_url(p, root, token),
                            "business_name", business)
                : NULL;
}
