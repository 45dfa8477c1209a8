#ifndef KF_CALENDAR_PROVIDERS_H
#define KF_CALENDAR_PROVIDERS_H
/* The calendar providers a professional can connect, each described once behind the one
 * interface of kf_calendar.h (struct kf_calendar_provider) and listed once in the registry
 * (kf_calendar_providers.c): Google Calendar and Outlook / Microsoft 365 (OAuth), Cal.com
 * (API key) and CalDAV (a server, user name and app password). */
#include "kf_calendar.h"

/* Where the system's time zones are (the tzdata PostgreSQL reads too): an all-day event's
 * day is taken in its calendar's zone. */
#define KF_CALENDAR_ZONE_DIR "/usr/share/zoneinfo"

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

/* ---- each provider's own: what its notices, its form and its API versions are ---- */

/* Google: 1 when a notification with this X-Goog-Resource-State tells of a change ("exists",
 * "not_exists"); the "sync" that opens a channel tells nothing. */
int kf_calendar_google_notice_changes(const char *resource_state);

/* Outlook / Microsoft 365: the (subscriptionId, clientState) pairs of a Graph notification body. 1 with out
 * (kf_cal_notice), 0 when the body is not a Graph notification. */
int kf_calendar_graph_notices(apr_pool_t *p, const char *body, apr_size_t len,
                              apr_array_header_t *out);

/* The professionals (const char *) whose calendars a Graph notification body says changed,
 * each once, in the order of the body; NULL when the body is not a Graph notification or any
 * of its items is not ours (one bad clientState and nothing is acted on). */
apr_array_header_t *kf_calendar_graph_changed(apr_pool_t *p, const char *body, apr_size_t len,
                                              kf_calendar_channel_owner_fn *owner, void *data);

/* Microsoft Graph's subscription handshake: the validationToken is echoed as text when it is
 * 1..KF_CALENDAR_VALIDATION_TOKEN_MAX bytes of UTF-8; anything else is refused. */
#define KF_CALENDAR_VALIDATION_TOKEN_MAX 1024
int kf_calendar_graph_validation_token_ok(const char *token);

/* Cal.com: the API version of each family of routes (PROVIDERS.md: a missing or wrong one
 * silently falls back to older shapes). */
#define KF_CALCOM_BOOKINGS_VERSION "2024-08-13"
#define KF_CALCOM_SLOTS_VERSION "2024-09-04"

/* What connecting a Cal.com calendar takes: {"api_key": 8..KF_CALCOM_API_KEY_MAX characters,
 * "event_type_id": an optional positive number (null: none)}. Failures go to f;
 * *event_type_id is the number as text, or NULL. */
#define KF_CALCOM_API_KEY_MAX 200
void kf_calendar_calcom_form(kf_fields *f, const json_t *body, const char **api_key,
                             const char **event_type_id);

/* What a check of a Cal.com API key (the account call) says of the key: 1 when Cal.com
 * refused it (revoked, refused, gone); RETRY is the provider's trouble, not the key's. */
int kf_calendar_key_refused(kf_cal_outcome o);

/* Cal.com's webhooks: X-Cal-Signature-256 = lowercase hex HMAC-SHA256(secret, raw body); compared in
 * constant time, case-insensitively. */
int kf_calendar_calcom_signature_ok(apr_pool_t *p, const char *secret, const char *body,
                                    apr_size_t len, const char *header);

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

/* The meeting room a booking's event asks prov's calendar to make: `conference`, the room
 * the booking's place wants (kf_location_conference), when the provider's description says
 * its events can carry it (kf_calendar_provider.conference) and the booking has no join URL
 * yet (meeting_url NULL); else NULL. */
const char *kf_calendar_room_wanted(const kf_calendar_provider *prov, const char *conference,
                                    const char *meeting_url);

/* Why prov's calendar makes no room for a place that wants `conference`: the room is made
 * only by another provider's calendar (a Google Meet room, an Outlook calendar). A sentence
 * naming both by their descriptions' short labels, in p; NULL when prov makes that room, no
 * room is wanted, or no provider makes it. */
const char *kf_calendar_room_refusal(apr_pool_t *p, const kf_calendar_provider *prov,
                                     const char *conference);

/* The KonfirmadoProviderURL names of every provider (NULL-terminated, in p). */
const char *const *kf_calendar_url_names(apr_pool_t *p);

#endif
