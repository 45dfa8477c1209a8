/* What people are shown of a professional's calendar: see kf_calendar_views.h. */
#include "kf_calendar_views.h"
#include "kf_text.h"
#include "kf_calendar_links.h"
#include "kf_calendar_providers.h"

#include <apr_strings.h>
#include <string.h>

json_t *kf_calendar_labelled(json_t *o)
{
    const kf_calendar_provider *prov =
        kf_calendar_provider_find(json_string_value(json_object_get(o, "provider")));
    json_t *out = json_object();
    const char *key;
    json_t *value;
    json_object_foreach(o, key, value) {
        json_object_set(out, key, value);
        if (strcmp(key, "provider") == 0) {
            json_object_set_new(out, "label", prov ? json_string(prov->label) : json_null());
        }
    }
    json_decref(o);
    return out;
}

json_t *kf_calendar_view(apr_pool_t *p, const char *json_text)
{
    json_t *o = json_text ? kf_json_parse_object(p, json_text, strlen(json_text), NULL) : NULL;
    if (!o) {
        return kf_calendar_labelled(json_pack("{s:n, s:s}", "provider", "status", "none"));
    }
    return kf_calendar_labelled(json_deep_copy(o));
}

json_t *kf_calendar_invitation_json(apr_pool_t *p, const kf_calendar_invitation *inv)
{
    json_t *providers = json_array();
    for (int i = 0; kf_calendar_providers[i]; i++) {
        const kf_calendar_provider *prov = kf_calendar_providers[i];
        int available = !prov->oauth_client || inv->app_configured(prov, inv->data);
        json_array_append_new(providers, json_pack("{s:s, s:s, s:b}", "name", prov->name,
                                                   "label", prov->label, "available",
                                                   available));
    }
    json_t *business = json_pack("{s:s, s:s?}", "name", inv->business_name, "color", inv->color);
    if (inv->has_logo) {
        json_object_set_new(business, "logo_url",
                            json_string(apr_pstrcat(p, "/api/public/tenants/", inv->tenant_id,
                                                    "/logo", NULL)));
    }
    return json_pack("{s:{s:s, s:b, s:{s:s}, s:o, s:o, s:o}}", "invitation", "expires_at",
                     inv->expires_at, "used", inv->used, "professional", "name",
                     inv->professional_name,
                     "business", business, "calendar", kf_calendar_view(p, inv->calendar_json),
                     "providers", providers);
}

const char *kf_calendar_event_status(int due, const char *last_error, const char *event_id)
{
    return due ? "pending" : last_error ? "failed" : event_id ? "written" : "removed";
}

json_t *kf_calendar_event_json(const char *const *v)
{
    int due = v[KF_CAL_EV_VIEW_DUE] && strcmp(v[KF_CAL_EV_VIEW_DUE], "t") == 0;
    return kf_calendar_labelled(json_pack(
        "{s:s?, s:s, s:s?, s:s?, s:s}", "provider", v[KF_CAL_EV_VIEW_PROVIDER], "status",
        kf_calendar_event_status(due, v[KF_CAL_EV_VIEW_ERROR], v[KF_CAL_EV_VIEW_EVENT_ID]),
        "event_id", v[KF_CAL_EV_VIEW_EVENT_ID], "error", v[KF_CAL_EV_VIEW_ERROR], "updated_at",
        v[KF_CAL_EV_VIEW_UPDATED]));
}

const char *kf_calendar_provider_label(const char *name)
{
    const kf_calendar_provider *prov = kf_calendar_provider_find(name);
    return prov ? prov->short_label : name;
}

json_t *kf_calendar_error_mail_vars(apr_pool_t *p, const char *professional_name,
                                    const char *provider, const char *reason,
                                    const char *business_name, const char *public_url,
                                    const char *professional_id)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "professional", professional_name, "provider",
                     kf_calendar_provider_label(provider), "reason", reason, "business_name",
                     business_name, "link",
                     kf_calendar_professional_url(p, public_url, professional_id));
}

json_t *kf_calendar_reconnect_mail_vars(apr_pool_t *p, const char *professional_name,
                                        const char *provider, const char *reason,
                                        const char *business_name, const char *public_url,
                                        const char *invitation_token)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "professional", professional_name, "provider",
                     kf_calendar_provider_label(provider), "reason", reason, "business_name",
                     business_name, "link",
                     kf_calendar_invitation_url(p, public_url, invitation_token));
}

kf_calendar_invitation kf_calendar_invitation_of(
    const char *const *row, int (*app_configured)(const kf_calendar_provider *prov, void *data),
    void *data)
{
    kf_calendar_invitation inv = {
        row[KF_CAL_INV_EXPIRES], row[KF_CAL_INV_PROFESSIONAL_NAME], row[KF_CAL_INV_TENANT],
        row[KF_CAL_INV_BUSINESS], row[KF_CAL_INV_COLOR], kf_text_true(row[KF_CAL_INV_HAS_LOGO]),
        kf_text_true(row[KF_CAL_INV_USED]), row[KF_CAL_INV_CALENDAR], app_configured, data,
    };
    return inv;
}

int kf_calendar_invitation_on_host(const char *const *row, const char *host_tenant)
{
    const char *subdomain = row[KF_CAL_INV_SUBDOMAIN];
    return !host_tenant || (subdomain && strcmp(host_tenant, subdomain) == 0);
}

json_t *kf_calendar_invitation_issued(const char *url, const char *expires_at)
{
    return json_pack("{s:s, s:s}", "url", url, "expires_at", expires_at);
}

json_t *kf_calendar_view_answer(apr_pool_t *p, const char *json_text)
{
    return json_pack("{s:o}", "calendar", kf_calendar_view(p, json_text));
}

int kf_calendar_error_mail(apr_pool_t *p, const char *const *row, const char *reason,
                           const char *public_url, const char *professional_id, json_t **vars,
                           kf_locale *locale)
{
    if (!kf_text_true(row[KF_CAL_ERR_FIRST]) || !row[KF_CAL_ERR_TO]) {
        return 0;
    }
    *vars = kf_calendar_error_mail_vars(p, row[KF_CAL_ERR_PROFESSIONAL], row[KF_CAL_ERR_PROVIDER],
                                        reason, row[KF_CAL_ERR_BUSINESS], public_url,
                                        professional_id);
    *locale = kf_locale_of_tag(row[KF_CAL_ERR_LOCALE]);
    return 1;
}
