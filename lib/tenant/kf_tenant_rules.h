#ifndef KF_TENANT_RULES_H
#define KF_TENANT_RULES_H
/* Validation rules of a tenant's settings (API.md "Admin API": tenant, payments) and of
 * the audit list's query, as pure functions. Checks answer NULL when the value is fine,
 * else the id of a message of the kf_i18n catalog ("tenant_color", ...), which the glue
 * puts, translated, in the "fields" of a 400 validation_failed. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_url.h"
#include "kf_i18n.h"
#include <apr_tables.h>

/* ---- single values (never NULL: the caller handles absent and null) ---- */

/* "#RRGGBB", hex digits of either case. 1 when valid. */
int kf_color_valid(const char *s);

/* Subdomain: [a-z0-9-]{3,63} (API.md), no '-' at either end (it is a DNS label), and not a
 * reserved name (see kf_subdomain_reserved). NULL, "tenant_subdomain_format" or
 * "tenant_subdomain_reserved". */
const char *kf_subdomain_check(const char *s);

/* 1 for names kept for the platform itself: www, api, admin, app, mail and the other
 * host names an operator is likely to need (see the list in kf_tenant_rules.c). */
int kf_subdomain_reserved(const char *s);

/* An officially assigned ISO 3166-1 alpha-2 code, upper case ("CO"). 1 when valid. */
int kf_country_valid(const char *s);

/* "es" or "en". */
int kf_tenant_locale_valid(const char *s);

/* The shape of an IANA zone name ("America/Bogota", "UTC", "Etc/GMT+5"): 1..64 bytes of
 * letters, digits, '/', '_', '+', '-', not starting with '/'. Whether the zone exists is
 * asked of PostgreSQL (pg_timezone_names) by the glue, only for plausible names. */
int kf_timezone_name_plausible(const char *s);


/* ---- the editable fields of GET|PATCH /api/admin/tenant ---- */

/* NULL-terminated, in the order of API.md: name, subdomain, timezone, locale, country,
 * primary_color, secondary_color, logo_url, callback_url, return_url, terms_url,
 * custom_domain, notification_email, contact_phone, reply_to_email; indexed by
 * kf_tenant_field. */
extern const char *const kf_tenant_fields[];

typedef enum {
    KF_TENANT_NAME = 0, KF_TENANT_SUBDOMAIN, KF_TENANT_TIMEZONE, KF_TENANT_LOCALE,
    KF_TENANT_COUNTRY, KF_TENANT_PRIMARY_COLOR, KF_TENANT_SECONDARY_COLOR, KF_TENANT_LOGO_URL,
    KF_TENANT_CALLBACK_URL, KF_TENANT_RETURN_URL, KF_TENANT_TERMS_URL, KF_TENANT_CUSTOM_DOMAIN,
    KF_TENANT_NOTIFICATION_EMAIL, KF_TENANT_CONTACT_PHONE, KF_TENANT_REPLY_TO_EMAIL,
    KF_TENANT_FIELD_COUNT
} kf_tenant_field;

/* 1 when null is accepted for the field (it clears it): subdomain, the four URLs,
 * custom_domain, notification_email, contact_phone and reply_to_email. */
int kf_tenant_field_nullable(const char *field);

/* Checks one value of an editable field (name, colors, URLs, ...; for timezone only the
 * shape). NULL or a message id. An unknown field gives "tenant_field_unknown". */
const char *kf_tenant_field_check(const char *field, const char *value, kf_url_policy policy);

/* Checks every editable field present in a PATCH body; unknown keys are ignored. Adds
 * field -> message id (json strings) to `errors` for each bad one: wrong type
 * ("tenant_field_string"), null where not allowed ("tenant_field_required"), or the
 * message of kf_tenant_field_check. Returns the number of bad fields. */
int kf_tenant_validate_patch(const json_t *body, kf_url_policy policy, json_t *errors);

/* Copy of s without leading and trailing ASCII whitespace (names are stored trimmed). */
const char *kf_trim(apr_pool_t *p, const char *s);

/* ---- secrets ---- */

/* What GET shows of a secret: its last 4 characters (code points), or NULL when the secret
 * has fewer than 8, so that a hint never shows half of a secret. */
const char *kf_secret_hint(apr_pool_t *p, const char *secret);

/* How long a rotated events secret still verifies webhooks: events signed before the
 * rotation (or by a provider dashboard not yet updated) keep arriving for a while. */
#define KF_EVENTS_SECRET_GRACE_SEC (72 * 3600)

/* Saving a provider's events secret: which previous secret keeps verifying, and until when
 * (seconds since the epoch). A new secret makes the current one previous for the grace
 * period; saving the same secret keeps an earlier previous one until its own end; an expired
 * previous one is dropped (*previous NULL, *until 0). old_* describe what was stored (NULL /
 * 0 when nothing was). */
void kf_events_secret_rotation(const char *old_secret, const char *old_previous,
                               apr_int64_t old_until, const char *new_secret, apr_int64_t now,
                               const char **previous, apr_int64_t *until);

/* 1 while a previous events secret stored with `until` still verifies webhooks at `now`. */
int kf_events_secret_previous_valid(apr_int64_t until, apr_int64_t now);

/* ---- what the tenant's rules know of the payment providers ---- */

/* The currencies the payment provider called `name` charges in (NULL-terminated), or NULL
 * when there is no provider of that name. The providers are described in lib/payments
 * (kf_payment_currencies_of), which stands above these rules: the glue hands it down. */
typedef const char *const *kf_provider_currencies(const char *name);

/* The booking policy of PATCH /api/admin/tenant (API.md "After booking"):
 * cancel_cutoff_hours and reschedule_cutoff_hours 0..720, max_reschedules 0..10,
 * auto_complete_hours 0..720 (hours after a booking's end before it is completed),
 * data_retention_months 1..120 and erasure_auto_days 0..365 (kf_privacy.h; JSON
 * integers, the first KF_TENANT_POLICY_INTS fields), refund_on_cancel "full" | "none", calendar_customer_attendee, payment_provider (one of `providers`), calcom_hours. Fills out[] with each sent value as text
 * (NULL: not sent or refused) and `errors` with field -> message id; returns how many
 * of the fields the body has. */
/* When a customer may be reminded: at most KF_REMINDER_LEADS_MAX different leads, each
 * KF_REMINDER_LEAD_MIN..KF_REMINDER_LEAD_MAX minutes before the start. The one statement of
 * the rule: the PATCH below, the reminder job's window and the tenant's answer (which the
 * dashboard builds its choices from) read it here. */
#define KF_REMINDER_LEADS_MAX 3
#define KF_REMINDER_LEAD_MIN 15
#define KF_REMINDER_LEAD_MAX 10080

/* reminders: the rule above ([] = none). Returns the PostgreSQL array text ("{1440,60}"),
 * or NULL when not sent or refused (errors). */
const char *kf_tenant_reminders_read(apr_pool_t *p, const json_t *body, json_t *errors);

/* {"leads_max", "lead_min_minutes", "lead_max_minutes"}: the rule, as the tenant's answer
 * gives it. */
json_t *kf_tenant_reminder_limits(void);

#define KF_TENANT_POLICY_FIELDS 10
#define KF_TENANT_POLICY_INTS 6
/* calendar_customer_attendee (true | false): the customer is put on the professional's
 * calendar event as an attendee (the calendar then mails them its own invitation). */
#define KF_TENANT_POLICY_ATTENDEE 7
#define KF_TENANT_POLICY_PROVIDER 8   /* payment_provider: a provider's name (kf_provider_currencies) */
/* calcom_hours: whose hours a professional connected to Cal.com with an event type offers:
 * "ours" (the hours set here), "calcom" (Cal.com's slots) or "both" (only what both allow). */
#define KF_TENANT_POLICY_CALCOM_HOURS 9
extern const char *const kf_tenant_policy_fields[KF_TENANT_POLICY_FIELDS];
int kf_tenant_policy_read(apr_pool_t *p, const json_t *body, kf_provider_currencies *providers,
                          const char *out[KF_TENANT_POLICY_FIELDS], json_t *errors);

/* ---- currency (API.md "Conventions": money) ---- */

/* The tenant's `currency` under its active payment provider, which charges in `accepted`
 * (NULL-terminated; NULL: no provider): NULL when fine, else "currency_invalid" (not an ISO
 * 4217 code) or "currency_not_accepted" (the provider does not take it). */
const char *kf_tenant_currency_check(const char *currency, const char *const *accepted);

/* The currency a tenant's new country brings when the PATCH names none (API.md: the currency
 * defaults from the country): a tenant still pricing in its old country's currency follows
 * the new country to that country's; one that chose another currency keeps it. NULL: no
 * change (same country, a country without a listed currency, or a chosen currency). */
const char *kf_tenant_currency_of_new_country(const char *current_currency,
                                              const char *old_country, const char *new_country);

/* The optional "reprice" of a PATCH that changes the currency: {"<service or package id>":
 * new price in minor units of the new currency (an integer 1..KF_MONEY_MAX)}. Returns the
 * object (borrowed from body) or NULL when absent; a bad one adds "reprice" or
 * "reprice.<id>" -> message id to `errors`. */
const json_t *kf_tenant_reprice_read(const json_t *body, json_t *errors);

/* The message of 409 currency_in_use: the currency cannot become `to` while these services
 * and packages (names) are priced in `from`; the first few are named, the rest counted. */
const char *kf_currency_in_use_message(apr_pool_t *p, kf_locale locale, const char *to,
                                       const char *from, const apr_array_header_t *services,
                                       const apr_array_header_t *packages);

#endif
