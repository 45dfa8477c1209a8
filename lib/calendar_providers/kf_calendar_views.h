/* What people are shown of a professional's calendar: the calendar object of the admin API
 * and the invitation page, the invitation page itself, where a booking's event stands, and
 * the words of the mail telling a merchant that a calendar refused our access. Pure.
 */
#ifndef KF_CALENDAR_VIEWS_H
#define KF_CALENDAR_VIEWS_H

#include <apr_pools.h>

#include "kf_calendar.h"
#include "kf_json.h"

/* o, a calendar's object naming its "provider" (or null), with that provider's "label"
 * right after it (null for none or one the registry has not); takes o's reference and
 * answers a new one. */
json_t *kf_calendar_labelled(json_t *o);

/* The calendar object from the JSON text the database builds, labelled (a new reference):
 * {"provider": null, "label": null, "status": "none"} when there is none (NULL or not an
 * object). */
json_t *kf_calendar_view(apr_pool_t *p, const char *json_text);

/* What the invitation page shows. */
typedef struct kf_calendar_invitation {
    const char *expires_at;        /* RFC 3339 */
    const char *professional_name;
    const char *tenant_id;
    const char *business_name;
    const char *color;             /* NULL: none */
    int has_logo;
    int used;                      /* a connection was made through it (it connects once) */
    const char *calendar_json;     /* kf_calendar_view's text */
    /* whether the operator configured the provider's OAuth application */
    int (*app_configured)(const kf_calendar_provider *prov, void *data);
    void *data;
} kf_calendar_invitation;

/* {"invitation": {"expires_at", "used", "professional": {"name"}, "business": {"name", "color",
 *  "logo_url"?}, "calendar", "providers": [{"name", "label", "available"}...]}} (a new
 * reference): every provider of the registry in its order; an OAuth provider is available
 * when its application is configured, one connected with a form always. */
json_t *kf_calendar_invitation_json(apr_pool_t *p, const kf_calendar_invitation *inv);

/* Columns of the statement that reads an invitation (the glue's kf_cal_invite_load). */
enum {
    KF_CAL_INV_PROFESSIONAL, KF_CAL_INV_TENANT, KF_CAL_INV_SUBDOMAIN, KF_CAL_INV_PROFESSIONAL_NAME,
    KF_CAL_INV_BUSINESS, KF_CAL_INV_COLOR, KF_CAL_INV_HAS_LOGO, KF_CAL_INV_EXPIRES,
    KF_CAL_INV_CALENDAR, KF_CAL_INV_USED, KF_CAL_INV_COLUMNS
};

/* Such a row as the invitation page shows it; app_configured and data as above. */
kf_calendar_invitation kf_calendar_invitation_of(
    const char *const *row, int (*app_configured)(const kf_calendar_provider *prov, void *data),
    void *data);

/* Whether that row's invitation opens on a request to host_tenant's host (NULL: the service's
 * own host, where any does): on a tenant's host only that tenant's. */
int kf_calendar_invitation_on_host(const char *const *row, const char *host_tenant);

/* A new invitation as the merchant is given it: {"url", "expires_at"}. */
json_t *kf_calendar_invitation_issued(const char *url, const char *expires_at);

/* {"calendar": kf_calendar_view of json_text}: a professional's calendar after a change. */
json_t *kf_calendar_view_answer(apr_pool_t *p, const char *json_text);

/* Where a booking's event stands: "pending" while the job has yet to write it (retrying when
 * there is an error), "failed" once given up, "written" when in the calendar, "removed" when
 * deleted from it. */
const char *kf_calendar_event_status(int due, const char *last_error, const char *event_id);

/* The admin view of a booking's event from text values as the database gives them, in this
 * order (due "t" / "f"): {"provider", "label", "status", "event_id", "error", "updated_at"}
 * (a new reference). */
enum {
    KF_CAL_EV_VIEW_PROVIDER, KF_CAL_EV_VIEW_EVENT_ID, KF_CAL_EV_VIEW_DUE, KF_CAL_EV_VIEW_ERROR,
    KF_CAL_EV_VIEW_UPDATED, KF_CAL_EV_VIEW_COLUMNS
};
json_t *kf_calendar_event_json(const char *const *v);

/* A provider as a sentence of a mail or alert names it (its short_label: "Google",
 * "Microsoft", "Cal.com"); unknown: the name as is. */
const char *kf_calendar_provider_label(const char *name);

/* The variables of the calendar_error mail (a new reference): professional, provider (its
 * label), reason, business_name, link (the merchant's page of the professional). */
json_t *kf_calendar_error_mail_vars(apr_pool_t *p, const char *professional_name,
                                    const char *provider, const char *reason,
                                    const char *business_name, const char *public_url,
                                    const char *professional_id);

/* The variables of the calendar_reconnect mail to the professional (a new reference):
 * professional, provider (its label), reason, business_name, link (the new invitation's page,
 * kf_calendar_invitation_url). */
json_t *kf_calendar_reconnect_mail_vars(apr_pool_t *p, const char *professional_name,
                                        const char *provider, const char *reason,
                                        const char *business_name, const char *public_url,
                                        const char *invitation_token);

/* Columns of the statement that marks a connection in error (the glue's kf_cal_mark_error):
 * whether it is the first error since it connected, then whom to tell and in what words. */
enum {
    KF_CAL_ERR_FIRST, KF_CAL_ERR_PROVIDER, KF_CAL_ERR_PROFESSIONAL, KF_CAL_ERR_BUSINESS,
    KF_CAL_ERR_LOCALE, KF_CAL_ERR_TO, KF_CAL_ERR_TENANT, KF_CAL_ERR_COLUMNS
};

/* The calendar_error mail that row asks for: the tenant is told once (the first error, and
 * only with an address to write to). 1 with *vars (a new reference) and *locale, else 0. */
int kf_calendar_error_mail(apr_pool_t *p, const char *const *row, const char *reason,
                           const char *public_url, const char *professional_id, json_t **vars,
                           kf_locale *locale);

#endif
