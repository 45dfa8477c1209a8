#ifndef MOD_KF_CONFIG_H
#define MOD_KF_CONFIG_H
/* Server configuration: every scalar directive is declared once below with its kind,
 * default and help text; the struct fields, defaults, merge rule (a value set in a
 * virtual host overrides the main server's) and the command table are generated from it. */
#include "mod_kf.h"
#include "kf_crypto.h"

/* X(field, "Directive", KIND, default, "help") */
#define KFM_SCALAR_DIRECTIVES(X)                                                              \
    X(engine, "KonfirmadoEngine", FLAG, 0,                                                   \
      "On|Off: serve the Konfirmado API and booking pages in this server")                   \
    X(base_domain, "KonfirmadoBaseDomain", HOST, NULL,                                       \
      "platform host name; tenant <sub> is served at <sub>.<host>")                          \
    X(public_url, "KonfirmadoPublicURL", URL, NULL,                                          \
      "absolute base URL of the platform host, used in mails and redirects")                 \
    X(key_file, "KonfirmadoKeyFile", KEYFILE, NULL,                                          \
      "file holding exactly 32 random bytes that seal secrets at rest; repeatable: the "    \
      "first seals, every one opens (key rotation)")                      \
    X(hold_ttl, "KonfirmadoHoldTTL", SECONDS, 600, "seconds a held slot stays reserved")     \
    X(payment_window, "KonfirmadoPaymentWindow", SECONDS, 1800,                              \
      "seconds a booking waits for its payment (the checkout's expiration)")                 \
    X(availability_cache, "KonfirmadoAvailabilityCache", TEXT,                                      \
      "shmcb:konfirmado-availability(33554432)",                                             \
      "socache provider[:arguments] caching availability answers, or Off (main server)")     \
    X(availability_cache_ttl, "KonfirmadoAvailabilityCacheTTL", SECONDS, 1,                         \
      "seconds a cached availability answer may live (at most 10): how long another "       \
      "server's holds may stay unseen")                                                     \
    X(availability_facts_memo, "KonfirmadoAvailabilityFactsMemo", FLAG, 1,                   \
      "On: each child keeps the facts availability is computed from and reuses them while "  \
      "their versions in the database say they are current (one small read per answer)")    \
    X(mail_url, "KonfirmadoMailURL", MAILURL, NULL,                                          \
      "SMTP server for outgoing mail: smtp://host:port or smtps://host:port")                \
    X(mail_from, "KonfirmadoMailFrom", TEXT, NULL, "From header of outgoing mail")           \
    X(mail_retry_base, "KonfirmadoMailRetryBase", SECONDS, 5,                                \
      "seconds before a mail is retried; later retries wait 3, 12, 60, 180, 720 times it")  \
    X(allow_insecure_urls, "KonfirmadoAllowInsecureURLs", FLAG, 0,                           \
      "On accepts http:// URLs (tests and demos only, never in production)")                 \
    X(htdocs, "KonfirmadoHtdocs", DIR, NULL, "folder with the booking wizard and dashboard")    \
    X(diagnostics, "KonfirmadoDiagnostics", FLAG, 0,                                         \
      "On serves POST /api/diagnostics/echo, which exercises body parsing (tests only)")    \
    X(expiry_interval, "KonfirmadoExpiryInterval", SECONDS, 15,                              \
      "seconds between two runs of the job expiring holds and unpaid bookings (at most 30)")  \
    X(reminder_interval, "KonfirmadoReminderInterval", SECONDS, 60,                          \
      "seconds between two runs of the job sending booking reminders")                      \
    X(purge_interval, "KonfirmadoPurgeInterval", SECONDS, 3600,                              \
      "seconds between two runs of the job deleting, a day after their end, expired "       \
      "sessions, account tokens, OAuth states and invitations, and what ended holds leave") \
    X(auth_account_limit, "KonfirmadoAuthAccountLimit", COUNT, 5,                            \
      "failed logins (and password-reset requests) per account and window before 429")      \
    X(auth_ip_limit, "KonfirmadoAuthIPLimit", COUNT, 30,                                     \
      "failed logins, registrations and password-reset requests per client IP and window")  \
    X(auth_limit_window, "KonfirmadoAuthLimitWindow", SECONDS, 900,                          \
      "seconds of the window the auth attempt limits count in")                             \
    X(ratelimit_cache, "KonfirmadoRateLimitCache", SOCACHE, "shmcb",                         \
      "socache provider[:arguments] holding the attempt counters (main server only)")  \
    X(callback_retry_divisor, "KonfirmadoCallbackRetryDivisor", COUNT, 1,                    \
      "divides every wait of the merchant callback retry schedule (1 = as documented; tests only)") \
    X(callback_concurrency, "KonfirmadoCallbackConcurrency", COUNT, 8,                       \
      "merchant callbacks of one tenant this server delivers at once (at most 32; never two " \
      "of one booking)")                                                                    \
    X(public_read_limit, "KonfirmadoPublicReadLimit", COUNT, 300,                           \
      "public reads (link, availability, booking status) per client IP and minute")         \
    X(hold_limit, "KonfirmadoHoldLimit", COUNT, 60,                                          \
      "holds per client IP and 10 minutes")                                                  \
    X(booking_limit, "KonfirmadoBookingLimit", COUNT, 20,                                    \
      "bookings per client IP and 10 minutes")                                               \
    X(active_hold_limit, "KonfirmadoActiveHoldLimit", COUNT, 10,                             \
      "holds one client IP may keep alive at once")                                          \
    X(bad_webhook_limit, "KonfirmadoBadWebhookLimit", COUNT, 600,                            \
      "webhooks with a bad signature per client IP and minute (valid ones are never limited)") \
    X(calendar_refresh, "KonfirmadoCalendarRefresh", SECONDS, 300,                           \
      "seconds after which a connected calendar's busy times are read again even without "  \
      "a change notification")                                                              \
    X(calendar_stale, "KonfirmadoCalendarStale", SECONDS, 21600,                             \
      "seconds a calendar's last busy times are still believed when the provider cannot "   \
      "be read; after that its professional offers no slots")                               \
    X(reconcile_delay, "KonfirmadoReconcileDelay", SECONDS, 300,                             \
      "seconds after checkout before a still pending payment is asked about with the "      \
      "merchant's key; then doubling waits (at most 1 h) until the window plus 24 h")

#define KFM_UNSET_INT (-1)

/* C type of each kind of directive */
#define KFM_CTYPE_FLAG int
#define KFM_CTYPE_SECONDS int
#define KFM_CTYPE_HOST const char *
#define KFM_CTYPE_URL const char *
#define KFM_CTYPE_KEYFILE const char *
#define KFM_CTYPE_MAILURL const char *
#define KFM_CTYPE_TEXT const char *
#define KFM_CTYPE_DIR const char *
#define KFM_CTYPE_COUNT int
#define KFM_CTYPE_SOCACHE const char *

/* The operator's OAuth application at a calendar provider; the secret is read from its file
 * when the directive is read (the file may then be readable by root only). */
typedef struct kfm_oauth_client {
    const char *id;
    const char *secret;
} kfm_oauth_client;

typedef struct kfm_server_conf {
#define KFM_DECLARE_FIELD(field, name, kind, def, help) KFM_CTYPE_##kind field;
    KFM_SCALAR_DIRECTIVES(KFM_DECLARE_FIELD)
#undef KFM_DECLARE_FIELD
    apr_table_t *provider_urls;     /* KonfirmadoProviderURL name -> URL (overlaid on merge) */
    kfm_oauth_client google_client; /* KonfirmadoGoogleClient (id NULL: not set) */
    kfm_oauth_client microsoft_client; /* KonfirmadoMicrosoftClient */
    kf_keyring *keyring;            /* loaded from key_file when the directive is read */
    apr_array_header_t *outbound_allow; /* KonfirmadoOutboundAllow: kf_cidr ranges tenant
                                           URLs may reach although internal (NULL: none) */
} kfm_server_conf;

/* Effective values (defaults applied): kfm_conf_hold_ttl(conf), kfm_conf_public_url(conf)… */
#define KFM_IS_SET_INT(v) ((v) != KFM_UNSET_INT)
#define KFM_IS_SET_PTR(v) ((v) != NULL)
#define KFM_IS_SET_FLAG KFM_IS_SET_INT
#define KFM_IS_SET_SECONDS KFM_IS_SET_INT
#define KFM_IS_SET_HOST KFM_IS_SET_PTR
#define KFM_IS_SET_URL KFM_IS_SET_PTR
#define KFM_IS_SET_KEYFILE KFM_IS_SET_PTR
#define KFM_IS_SET_MAILURL KFM_IS_SET_PTR
#define KFM_IS_SET_TEXT KFM_IS_SET_PTR
#define KFM_IS_SET_DIR KFM_IS_SET_PTR
#define KFM_IS_SET_COUNT KFM_IS_SET_INT
#define KFM_IS_SET_SOCACHE KFM_IS_SET_PTR
#define KFM_DECLARE_GETTER(field, name, kind, def, help)                                     \
    static inline KFM_CTYPE_##kind kfm_conf_##field(const kfm_server_conf *c)                  \
    {                                                                                       \
        return KFM_IS_SET_##kind(c->field) ? c->field : (def);                               \
    }
KFM_SCALAR_DIRECTIVES(KFM_DECLARE_GETTER)
#undef KFM_DECLARE_GETTER

extern const command_rec kfm_directives[];

void *kfm_conf_create(apr_pool_t *p, server_rec *s);
void *kfm_conf_merge(apr_pool_t *p, void *base, void *add);

/* check_config hook: the startup checks that make `apachectl -t` fail with one line. */
int kfm_conf_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);

const kfm_server_conf *kfm_conf_get(const server_rec *s);

/* The loaded socache provider of that name, or NULL. */
struct ap_socache_provider_t;
const struct ap_socache_provider_t *kfm_conf_socache_provider(const char *name);

/* Base URL of a provider: KonfirmadoProviderURL overrides `fallback`. */
const char *kfm_conf_provider_url(const kfm_server_conf *c, const char *name, const char *fallback);

#endif
