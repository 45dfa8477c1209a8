#ifndef KF_CALENDAR_PROVIDERS_H
#define KF_CALENDAR_PROVIDERS_H
/* The calendar providers a professional can connect, each described once behind the one
 * interface of kf_calendar.h (struct kf_calendar_provider) and listed once in the registry
 * (kf_calendar_providers.c): Google Calendar and Outlook / Microsoft 365 (OAuth), Cal.com
 * (API key) and CalDAV (a server, user name and app password). */
#include "kf_calendar.h"

/* Every provider, in the registry's order, NULL-terminated. */
extern const kf_calendar_provider *const kf_calendar_providers[];

/* The provider of that name, or NULL. */
const kf_calendar_provider *kf_calendar_provider_find(const char *name);

/* Providers by their own descriptions, for the code that speaks to that provider alone
 * (its connection form, its notices' endpoint, its suites). */
extern const kf_calendar_provider kf_calendar_google;
extern const kf_calendar_provider kf_calendar_microsoft;
extern const kf_calendar_provider kf_calendar_calcom;
extern const kf_calendar_provider kf_calendar_caldav;

/* CalDAV: the calendar collection g->calendar_id names, or the first collection taking events
 * of the account it belongs to (current-user-principal, then calendar-home-set). REVOKED
 * when the server refuses the user name or password; FAILED when no calendar is found. */
kf_cal_outcome kf_calendar_caldav_discover(apr_pool_t *p, kf_http_client *http,
                                           const kf_calendar_grant *g, const char **calendar,
                                           const char **why);

/* What a credentials form (Cal.com's key, a CalDAV server) answers when checking them with
 * prov ended in o (the provider's own form_refused): 1, with the field's message put in f,
 * when the credentials are at fault; 0 when they checked out (KF_CAL_OK), the provider
 * failed (provider_error), or prov has no form. */
int kf_calendar_form_refused(const kf_calendar_provider *prov, kf_cal_outcome o, kf_fields *f);

/* The KonfirmadoProviderURL names of every provider (NULL-terminated, in p). */
const char *const *kf_calendar_url_names(apr_pool_t *p);

#endif
