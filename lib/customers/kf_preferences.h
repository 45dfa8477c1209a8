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

/* The unsubscribe token of a preferences row: its id sealed (aad KF_UNSUBSCRIBE_AAD), so it
 * names that customer at that tenant, cannot be made up, and opens across a key rotation.
 * NULL when it cannot be sealed. */
#define KF_UNSUBSCRIBE_AAD "customer_preferences.unsubscribe"
const char *kf_unsubscribe_token(apr_pool_t *p, const kf_keyring *keys, const char *preferences_id);

/* The preferences id a token names, or NULL when it does not open or names no id. */
const char *kf_unsubscribe_open(apr_pool_t *p, const kf_keyring *keys, const char *token);

/* Which reminders go to one booking's customer (bits), by the preferences of the address
 * the booking was made with. A number's STOP is not a preference: it suppresses every text
 * to that number where texts are queued and sent (kf_text_stopped, sql/066). */
enum { KF_REMIND_MAIL = 1, KF_REMIND_TEXT = 2 };
int kf_reminder_channels(int has_email, int has_phone, int mail_on, int text_on);

#endif
