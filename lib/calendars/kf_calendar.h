/* Professionals' calendars behind one small interface (cf. httpd modules/md's vtables, and
 * kf_payment.h): Google Calendar, Microsoft Graph (Outlook / Microsoft 365), Cal.com and CalDAV.
 *
 * The glue finds a provider by name and asks it, with a connection's credentials, for an
 * authorization URL, a code exchange or a token refresh (OAuth), the account's name (which
 * also checks a Cal.com key), the busy times of a range, an event created, moved or deleted,
 * and a notification channel opened, renewed or closed. The rules the glue applies around
 * those calls live here too: whether a calendar's busy times may still be believed, what
 * the event of a booking needs, how a notification is recognised.
 *
 * Pure core: no httpd header; outbound HTTP through kf_http; no clock read except where a
 * function takes "now"; results live in the caller's pool; no secret ever reaches a *why.
 */
#ifndef KF_CALENDAR_H
#define KF_CALENDAR_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "kf_crypto.h"
#include "kf_fields.h"
#include "kf_http.h"

/* Busy times are believed this long after the last successful read (API.md: 6 hours);
 * after that the professional offers nothing. KonfirmadoCalendarStale may shorten it. */
#define KF_CALENDAR_STALE_DEFAULT (6 * 3600)
/* A hold re-reads busy times older than this from the provider. */
#define KF_CALENDAR_HOLD_MAX_AGE 60
/* KonfirmadoCalendarRefresh's default: busy times are read again at least this often. */
#define KF_CALENDAR_REFRESH_DEFAULT 300
/* Invitations last 72 hours (and connect once); an OAuth state 10 minutes. */
#define KF_CALENDAR_INVITATION_SECONDS (72 * 3600)
#define KF_CALENDAR_STATE_SECONDS 600
/* Channels / subscriptions are asked for this long and renewed when less than a day is left
 * (Graph allows at most 4230 minutes for events). */
#define KF_CALENDAR_CHANNEL_SECONDS (4200 * 60)
#define KF_CALENDAR_CHANNEL_RENEW_BEFORE 86400
/* A bookable start of Cal.com's offers the time to the next one (its slot interval, the
 * event's length unless the professional changed it); when Cal.com offers a single start,
 * only this long. */
#define KF_CALCOM_LONE_SLOT_SECONDS (15 * 60)

/* ---- rules ---- */

/* 1 when availability may use the busy times stored for a professional whose connection is
 * in `status` ("connected" | "error"; NULL or "none": no calendar, nothing to subtract, 1),
 * last read at synced_at (seconds; 0 = never): within stale_limit seconds of now. 0: the
 * professional offers no slot (never one that may be taken). */
int kf_calendar_busy_known(const char *status, apr_int64_t synced_at, apr_int64_t now,
                           apr_int64_t stale_limit);

/* The instant the answer kf_calendar_busy_known gave stops holding by the clock alone
 * (synced_at + stale_limit + 1), or APR_INT64_MAX when it never will. */
apr_int64_t kf_calendar_busy_known_until(const char *status, apr_int64_t synced_at,
                                         apr_int64_t stale_limit);

/* 1 when a hold should re-read the professional's busy times from the provider first: a
 * connected calendar read more than KF_CALENDAR_HOLD_MAX_AGE seconds ago (or never), unless
 * a read just failed and waits for its retry (`retry_pending`): a provider that is down
 * must not make every hold wait for its timeout; the stored times (and the stale rule)
 * decide meanwhile. */
int kf_calendar_hold_must_refresh(const char *status, apr_int64_t synced_at, apr_int64_t now,
                                  int retry_pending);

/* What a booking's event needs, given what the calendar holds and what the booking is. */
typedef enum {
    KF_CAL_EVENT_NOTHING = 0,   /* in step */
    KF_CAL_EVENT_CREATE,        /* a paid booking without an event */
    KF_CAL_EVENT_MOVE,          /* same calendar, other time */
    KF_CAL_EVENT_DELETE,        /* the booking no longer holds a slot */
    KF_CAL_EVENT_REPLACE        /* moved to another professional: delete there, create here */
} kf_cal_event_action;

typedef struct kf_cal_event_facts {
    int booked;                    /* paid or confirmed */
    int calendar;                  /* the booking's professional has a connected calendar */
    const char *professional_id;   /* the booking's */
    apr_int64_t start, end;        /* the booking's */
    const char *event_id;          /* what was written (NULL: nothing) */
    const char *written_professional;
    apr_int64_t written_start, written_end;
    int room_missing;              /* the event should carry a meeting room it has not got */
    int content_stale;             /* what it says changed (a class's attendees) */
} kf_cal_event_facts;

kf_cal_event_action kf_calendar_event_action(const kf_cal_event_facts *f);
const char *kf_calendar_event_action_name(kf_cal_event_action a);

/* Seconds before the next attempt after `attempts` failed ones: 30 s doubling up to an hour. */
int kf_calendar_retry_seconds(int attempts);

/* The aads of a connection's sealed values, bound to the professional. */
const char *kf_calendar_secret_aad(apr_pool_t *p, const char *professional_id);
const char *kf_calendar_access_aad(apr_pool_t *p, const char *professional_id);
const char *kf_calendar_channel_aad(apr_pool_t *p, const char *professional_id);
#define KF_CALENDAR_STATE_INVITATION_AAD "calendar_oauth_states.invitation"
#define KF_CALENDAR_STATE_VERIFIER_AAD "calendar_oauth_states.verifier"

/* PKCE (RFC 7636) for an OAuth round trip: a fresh code_verifier (43 base64url characters,
 * 256 random bits; NULL if the RNG fails) and its S256 code_challenge,
 * base64url(SHA-256(verifier)) without padding (NULL for a NULL verifier). */
const char *kf_calendar_pkce_verifier(apr_pool_t *p);
const char *kf_calendar_pkce_challenge(apr_pool_t *p, const char *verifier);
#define KF_CALENDAR_PKCE_METHOD "S256"

/* An OAuth round trip started from an invitation: its single-use state and PKCE verifier,
 * and what is stored of them (the state's and the invitation's SHA-256, the invitation and
 * the verifier sealed). */
typedef struct kf_calendar_oauth_trip {
    const char *state, *state_hash, *invitation_hash;
    const char *invitation_sealed, *verifier_sealed;
    const char *challenge;     /* the verifier's, for the authorization URL */
} kf_calendar_oauth_trip;

/* A new round trip from `invitation`; NULL when it cannot be sealed (no keyring) or the RNG
 * fails. */
const kf_calendar_oauth_trip *kf_calendar_oauth_trip_start(apr_pool_t *p, const kf_keyring *keys,
                                                           const char *invitation);

/* ---- what a provider is given ---- */

/* Where a provider lives; defaults per provider, KonfirmadoProviderURL overrides. */
typedef struct kf_calendar_endpoints {
    const char *auth_base;     /* authorize page (OAuth) */
    const char *token_base;    /* token endpoint (OAuth) */
    const char *api_base;      /* calendar API */
} kf_calendar_endpoints;

/* The operator's OAuth application (KonfirmadoGoogleClient / KonfirmadoMicrosoftClient). */
typedef struct kf_calendar_app {
    const char *client_id;
    const char *client_secret;
} kf_calendar_app;

/* One of the professional's calendars: as the provider lists it (id, name, zone, primary,
 * whether the account may write it) and as the connection uses it (whether it blocks availability, whether it receives the
 * bookings' events). */
typedef struct kf_cal_calendar {
    const char *id;
    const char *name;
    const char *timezone;      /* where its all-day events begin and end; NULL: unknown (the
                                  professional's zone is taken) */
    int primary;
    int blocks;
    int receives;
    int read_only;             /* the account may only read it (Google's reader and
                                  freeBusyReader, Graph's canEdit false, a CalDAV collection
                                  without write): it cannot receive events */
} kf_cal_calendar;

/* What a connection holds, secrets opened. */
typedef struct kf_calendar_grant {
    const char *access_token;  /* OAuth: a live access token; Cal.com: the API key */
    const char *calendar_id;   /* the calendar events are written to, and read when blocking
                                  is NULL (Google, Outlook: "primary", the default one) */
    const char *event_type_id; /* Cal.com: the event type bookings are made with (NULL: none) */
    const char *user;          /* CalDAV: the user name (access_token: the app password;
                                  calendar_id: the calendar collection's URL) */
    /* The calendars (kf_cal_calendar) whose busy times count; NULL: calendar_id alone. */
    const apr_array_header_t *blocking;
    const char *timezone;      /* the professional's: a calendar's zone when it has none */
} kf_calendar_grant;

/* The answer of a token endpoint. */
typedef struct kf_calendar_tokens {
    const char *access_token;
    apr_int64_t expires_in;    /* seconds */
    const char *refresh_token; /* NULL: keep the one used (Google); Microsoft rotates it */
} kf_calendar_tokens;

/* What a call left. */
typedef enum {
    KF_CAL_OK = 0,
    KF_CAL_REVOKED,            /* invalid_grant / the key or token refused for good:
                                  the connection is in error until a new invitation */
    KF_CAL_RETRY,              /* unreachable, 5xx, 429, an expired access token: try later */
    KF_CAL_GONE,               /* the event or channel does not exist (any more) */
    KF_CAL_FAILED              /* refused (4xx) for another reason: *why */
} kf_cal_outcome;

const char *kf_calendar_outcome_name(kf_cal_outcome o);
/* What is recorded of a failed call: the provider's reason, else the outcome's name. */
const char *kf_calendar_failure_reason(kf_cal_outcome o, const char *why);

/* One busy interval [start, end), seconds. */
typedef struct kf_cal_busy {
    apr_int64_t start, end;
} kf_cal_busy;

/* The event of a booking. */
typedef struct kf_cal_event {
    const char *summary;       /* "service — customer" */
    const char *description;
    apr_int64_t start, end;
    const char *timezone;      /* the professional's zone (shown by the calendar) */
    const char *attendee_email; /* the customer, only when the tenant wants it; else NULL */
    const char *attendee_name;
    const char *customer_name; /* Cal.com books in the customer's name */
    const char *customer_email;
    const char *reference;     /* the booking id */
    /* A meeting room made with the event (the provider's `conference`, e.g. "google_meet"),
     * or NULL; its request id is the same on every attempt for one booking, so a retry
     * never makes a second room. The room's join URL is put in *join_url (when join_url is
     * given; NULL when the calendar made none). */
    const char *conference;
    const char *conference_request;
    const char **join_url;
} kf_cal_event;

/* A notification channel (Google watch channel, Graph subscription, Cal.com webhook). */
typedef struct kf_cal_channel {
    const char *id;
    const char *resource;      /* Google's resourceId; unused elsewhere */
    apr_int64_t expires_at;    /* 0: does not expire (Cal.com) */
    const char *calendar;      /* the calendar it watches (the grant's calendar_id when it was
                                  opened); NULL: not known, taken as the one wanted */
} kf_cal_channel;

/* Which of a provider's endpoints a KonfirmadoProviderURL name points elsewhere. */
enum {
    KF_CAL_URL_AUTH = 1,
    KF_CAL_URL_TOKEN = 2,
    KF_CAL_URL_API = 4
};
typedef struct kf_calendar_url {
    const char *name;          /* "google-auth", "microsoft-graph", "calcom" */
    int endpoints;             /* KF_CAL_URL_* ored */
} kf_calendar_url;

/* How a provider's change notifications reach us and are believed. */
typedef enum {
    KF_CAL_NOTICES_NONE = 0,   /* none: its busy times are polled (watch is NULL) */
    KF_CAL_NOTICES_CHANNEL,    /* at <public>/api/webhooks/<name>, each naming its channel and
                                  carrying that channel's secret (Google's channel token,
                                  Graph's clientState) */
    KF_CAL_NOTICES_SIGNED      /* at <public>/api/webhooks/<name>/<tenant>, the body signed
                                  with the secret of one of the tenant's channels (Cal.com) */
} kf_cal_notices;

/* One calendar provider, all it is: its name and label, how a professional connects it,
 * which operator settings it reads (its OAuth application's directive, its
 * KonfirmadoProviderURL names), how its notices are verified, and its protocol. Each is
 * defined in its own file (lib/calendar_providers/kf_calendar_<name>.c) and listed once in
 * the registry (kf_calendar_providers.c); nothing else names a provider. */
typedef struct kf_calendar_provider kf_calendar_provider;
struct kf_calendar_provider {
    const char *name;          /* in URLs, rows and answers: "google", "microsoft", ... */
    const char *label;         /* as people say it, on the pages: "Outlook / Microsoft 365" */
    const char *short_label;   /* in a sentence of a mail or alert: "Microsoft" */
    /* The directive of the operator's OAuth application it connects through
     * ("KonfirmadoGoogleClient"); NULL: connected with a form (an API key, a server). */
    const char *oauth_client;
    /* The KonfirmadoProviderURL names that point its endpoints elsewhere ({NULL, 0} ends
     * them; NULL: none). */
    const kf_calendar_url *urls;
    kf_cal_notices notices;
    /* 1: each connection names its own server (CalDAV), which is never one of ours. */
    int professional_server;
    /* The meeting room its events can carry, as a video place names it ("google_meet",
     * "teams"): put_event makes one when the event asks for it. NULL: none. */
    const char *conference;

    kf_calendar_endpoints (*default_endpoints)(void);

    /* A credentials form (connected without OAuth): 1, with the field's message put in f,
     * when checking them ended in o because they are at fault; 0 when they checked out or
     * the provider failed. NULL: it has no form. */
    int (*form_refused)(kf_cal_outcome o, kf_fields *f);

    /* OAuth: the URL the professional is sent to, with the PKCE challenge of the round
     * trip's verifier (kf_calendar_pkce_challenge, method S256). */
    const char *(*authorize_url)(apr_pool_t *p, const kf_calendar_endpoints *ep,
                                 const kf_calendar_app *app, const char *redirect_uri,
                                 const char *state, const char *code_challenge);

    /* OAuth: a code and the round trip's PKCE verifier (exchange) or a refresh token
     * (refresh) for tokens. */
    kf_cal_outcome (*exchange_code)(apr_pool_t *p, kf_http_client *http,
                                    const kf_calendar_endpoints *ep, const kf_calendar_app *app,
                                    const char *code, const char *code_verifier,
                                    const char *redirect_uri, kf_calendar_tokens *out,
                                    const char **why);
    kf_cal_outcome (*refresh)(apr_pool_t *p, kf_http_client *http,
                              const kf_calendar_endpoints *ep, const kf_calendar_app *app,
                              const char *refresh_token, kf_calendar_tokens *out,
                              const char **why);

    /* The account's address, shown to the merchant (and, for Cal.com, the key's check). */
    kf_cal_outcome (*account)(apr_pool_t *p, kf_http_client *http,
                              const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                              const char **account, const char **why);

    /* Appends to out (kf_cal_calendar) the account's calendars (its primary one marked);
     * NULL: a connection is one calendar (Cal.com). */
    kf_cal_outcome (*calendars)(apr_pool_t *p, kf_http_client *http,
                                const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                apr_array_header_t *out, const char **why);

    /* Appends to out (kf_cal_busy) what is busy in [from, to) in the grant's blocking
     * calendars: events marked free (transparent) or declined never, an all-day event the
     * whole day in its calendar's zone. */
    kf_cal_outcome (*busy)(apr_pool_t *p, kf_http_client *http, const kf_calendar_endpoints *ep,
                           const kf_calendar_grant *g, apr_int64_t from, apr_int64_t to,
                           apr_array_header_t *out, const char **why);

    /* Creates the event (event_id NULL) or moves the one written before; *new_id is the
     * event's id after the call (Cal.com's reschedule gives a new one). */
    kf_cal_outcome (*put_event)(apr_pool_t *p, kf_http_client *http,
                                const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                const kf_cal_event *ev, const char *event_id,
                                const char **new_id, const char **why);
    kf_cal_outcome (*delete_event)(apr_pool_t *p, kf_http_client *http,
                                   const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                   const char *event_id, const char **why);
    /* What became of an event written before (in the grant's calendar_id): OK with its
     * times now (seconds), GONE when the professional deleted it there. Read again at the
     * provider's change notices or, for one without (CalDAV), each time it is polled. NULL:
     * its changes reach us another way (Cal.com's webhooks name the booking). */
    kf_cal_outcome (*read_event)(apr_pool_t *p, kf_http_client *http,
                                 const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                 const char *event_id, apr_int64_t *start, apr_int64_t *end,
                                 const char **why);

    /* Opens a channel notifying `address` of changes, signed or tagged with `secret`, for
     * about `seconds`; NULL when the provider has none (its busy times are polled: a channel
     * is always in order, and unwatch is NULL too). */
    kf_cal_outcome (*watch)(apr_pool_t *p, kf_http_client *http, const kf_calendar_endpoints *ep,
                            const kf_calendar_grant *g, const char *address, const char *secret,
                            apr_int64_t now, apr_int64_t seconds, kf_cal_channel *out,
                            const char **why);
    /* Renews in place (Graph); NULL: the glue opens a new channel and closes the old one. */
    kf_cal_outcome (*renew)(apr_pool_t *p, kf_http_client *http, const kf_calendar_endpoints *ep,
                            const kf_calendar_grant *g, apr_int64_t now, apr_int64_t seconds,
                            kf_cal_channel *ch, const char **why);
    kf_cal_outcome (*unwatch)(apr_pool_t *p, kf_http_client *http,
                              const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                              const kf_cal_channel *ch, const char **why);

    /* Revokes the grant at the provider when it can (Google); NULL otherwise. */
    kf_cal_outcome (*revoke)(apr_pool_t *p, kf_http_client *http,
                             const kf_calendar_endpoints *ep, const char *refresh_token,
                             const char **why);

    /* Appends to out (kf_cal_busy, sorted and merged) the times in [from, to) the calendar
     * itself would take a booking (Cal.com: the slots of the event type, its working
     * hours, breaks and limits); NULL when the provider keeps no such hours. OK with
     * *known 0 when the connection cannot say (no event type chosen). */
    kf_cal_outcome (*bookable)(apr_pool_t *p, kf_http_client *http,
                               const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                               apr_int64_t from, apr_int64_t to, apr_array_header_t *out,
                               int *known, const char **why);
};

/* ---- notifications ---- */

/* A notice that names its channel and carries a secret (KF_CAL_NOTICES_CHANNEL: Google's
 * channel id and token, Graph's subscriptionId and clientState). */
typedef struct kf_cal_notice {
    const char *channel_id;
    const char *secret;        /* as sent */
} kf_cal_notice;

/* The professional a notice's channel and secret belong to, or NULL when they are not ours. */
typedef const char *kf_calendar_channel_owner_fn(const kf_cal_notice *n, void *data);

/* Columns of a change channel's row (the glue's kf_cal_channel_find, kf_cal_tenant_channels):
 * its professional, its secret, sealed (kf_calendar_channel_aad), and whether it is the
 * connection's own channel, on the calendar that receives the events (else it watches
 * another calendar that blocks: its notices change busy times, never our events). */
enum {
    KF_CAL_CHANNEL_PROFESSIONAL, KF_CAL_CHANNEL_SECRET, KF_CAL_CHANNEL_RECEIVER,
    KF_CAL_CHANNEL_COLUMNS
};

/* The channel's secret opened with keys (NULL when it does not open). */
const char *kf_calendar_channel_secret(apr_pool_t *p, const kf_keyring *keys,
                                       const char *const *row);

/* The professional of the channel when `given` is its secret (Google's channel token,
 * Graph's clientState; compared in constant time), else NULL. */
const char *kf_calendar_channel_owner(apr_pool_t *p, const kf_keyring *keys,
                                      const char *const *row, const char *given);

/* ---- shared by the implementations (kf_calendar_*.c) ---- */

/* A token endpoint's answer (RFC 6749 §5.1, §5.2) as an outcome: invalid_grant is REVOKED. */
kf_cal_outcome kf_calendar_read_token_answer(apr_pool_t *p, const kf_http_response *resp,
                                             kf_calendar_tokens *out, const char **why);
/* What an HTTP answer of a calendar API means: 2xx OK, 401/403 REVOKED... see the .c. */
kf_cal_outcome kf_calendar_status_outcome(int status);
/* One exchange: method, url, Bearer token, JSON body (may be NULL), extra header (may be
 * NULL: "Name: value"). RETRY with *why on a transport failure. */
kf_cal_outcome kf_calendar_call(apr_pool_t *p, kf_http_client *http, const char *method,
                                const char *url, const char *bearer, const char *json_body,
                                const char *header, kf_http_response **resp, const char **why);
/* A form-encoded POST to a token endpoint. */
kf_cal_outcome kf_calendar_token_call(apr_pool_t *p, kf_http_client *http, const char *url,
                                      const char *form, kf_calendar_tokens *out,
                                      const char **why);
/* Appends "name=value&" pairs, URL-encoded, NULL-terminated list of name, value. */
const char *kf_calendar_form(apr_pool_t *p, ...);
/* The URL of path on the provider's API (ep->api_base, a trailing slash of it dropped). */
const char *kf_calendar_api_url(apr_pool_t *p, const kf_calendar_endpoints *ep, const char *path);
/* Writes an event that the provider names by the "id" of its answer (Google, Graph): a PATCH
 * of json_body to url when event_id is given, else a POST. OK with *new_id the id answered;
 * otherwise *new_id is event_id, and an answer without an id is RETRY. */
kf_cal_outcome kf_calendar_write_event(apr_pool_t *p, kf_http_client *http, const char *url,
                                       const char *bearer, const char *json_body,
                                       const char *event_id, const char **new_id,
                                       const char **why);
/* The same, with the answer's object in *answer on OK (for what else it tells). */
kf_cal_outcome kf_calendar_write_event_answer(apr_pool_t *p, kf_http_client *http,
                                              const char *url, const char *bearer,
                                              const char *json_body, const char *event_id,
                                              const char **new_id, json_t **answer,
                                              const char **why);
/* "2026-12-01T14:00:00Z" */
const char *kf_calendar_utc(apr_pool_t *p, apr_int64_t t);
/* The bookable times of a calendar that offers starts (apr_int64_t, any order, repeats
 * allowed): each start offers [start, start + step), step the smallest gap between two
 * starts (KF_CALCOM_LONE_SLOT_SECONDS when there is none), appended to out (kf_cal_busy),
 * which is then sorted and merged. */
void kf_calendar_bookable_of_starts(apr_array_header_t *starts, apr_array_header_t *out);
/* Sorts and merges intervals in place (touching ones too); returns the new count. */
int kf_calendar_busy_merge(apr_array_header_t *busy);

#endif
