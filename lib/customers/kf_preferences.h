#ifndef KF_PREFERENCES_H
#define KF_PREFERENCES_H
/* What a customer wants to hear from a tenant (API.md "Customer portal ... and preferences"):
 * reminders by mail, reminders by text and the language, read from the portal's PATCH and
 * shown as JSON; the one-click unsubscribe token of reminder mails; and who gets a reminder.
 * Confirmations and change notices are no preference: they always go. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_crypto.h"
#include "kf_fields.h"

/* A PATCH: each member absent keeps what is stored (-1 / NULL). */
typedef struct kf_preferences_change {
    int reminders_email;    /* 1, 0, or -1: unchanged */
    int reminders_text;
    const char *locale;     /* "es", "en", or NULL: unchanged */
} kf_preferences_change;

/* Reads the body: booleans reminders_email and reminders_text, locale "es" | "en"; each
 * problem recorded in f (kf_fields_ok tells). */
void kf_preferences_read(kf_fields *f, const json_t *body, kf_preferences_change *out);

/* Columns of a customer's preferences as the portal reads them (the tenant's language when
 * none was chosen). */
enum { KF_PREFS_COL_EMAIL, KF_PREFS_COL_TEXT, KF_PREFS_COL_LOCALE, KF_PREFS_COLUMNS };

/* {"reminders_email", "reminders_text", "locale"}; a new reference. */
json_t *kf_preferences_json(const char *const *row);

/* The unsubscribe token of reminder mails: one per preferences row (a customer at a tenant),
 * kept as the links of mails are (kf_kept_token): a link is checked against the token's
 * SHA-256 (customer_preferences.unsubscribe_token_hash), with no key, so the links of mails
 * already sent keep working across every key rotation; the token is also kept sealed with
 * the row's aad (unsubscribe_token_sealed, which konfirmado-reseal re-seals) so that every
 * reminder carries the same link. */
const char *kf_unsubscribe_token_aad(apr_pool_t *p, const char *preferences_id);

/* The token an unsubscribe link brings back: the ?token= of the request's query string
 * `args` (raw), or NULL when there is none, it is empty or the query cannot be read. */
const char *kf_unsubscribe_query_token(apr_pool_t *p, const char *args);

/* What a token brought back is looked up by: its SHA-256 hex, or NULL when it does not have
 * the shape of a token (kf_token_shape_ok). */
const char *kf_unsubscribe_token_hash(apr_pool_t *p, const char *token);

/* The links of mails sent before tokens were kept: the row's id sealed with the keyring (aad
 * KF_UNSUBSCRIBE_LEGACY_AAD). They open while the key that sealed them is listed in
 * KonfirmadoKeyFile. The preferences id such a token names, or NULL when it does not open or
 * names no id. */
#define KF_UNSUBSCRIBE_LEGACY_AAD "customer_preferences.unsubscribe"
const char *kf_unsubscribe_legacy_open(apr_pool_t *p, const kf_keyring *keys, const char *token);

/* What a POST to the one-click unsubscribe may carry (API.md): JSON (the page's button), or
 * RFC 8058's form (a mail provider's server), urlencoded or multipart. */
typedef enum {
    KF_UNSUBSCRIBE_REFUSED = 0,   /* anything else: 415 */
    KF_UNSUBSCRIBE_JSON,
    KF_UNSUBSCRIBE_FORM
} kf_unsubscribe_body;

/* Which body a Content-Type announces. */
kf_unsubscribe_body kf_unsubscribe_body_of(const char *content_type);

/* 1 when a form body (len bytes, NUL-terminated) says List-Unsubscribe=One-Click. */
int kf_unsubscribe_one_click(apr_pool_t *p, const char *content_type, const char *body,
                             apr_size_t len);

/* Which reminders go to one booking's customer (bits), by the preferences of the address
 * the booking was made with. A number's STOP is not a preference: it suppresses every text
 * to that number where texts are queued and sent (kf_text_stopped, sql/066). */
enum { KF_REMIND_MAIL = 1, KF_REMIND_TEXT = 2 };
int kf_reminder_channels(int has_email, int has_phone, int mail_on, int text_on);

#endif
