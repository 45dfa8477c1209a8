#ifndef KF_I18N_H
#define KF_I18N_H
/* Locales and the human messages of API error codes (es default, en). */

typedef enum {
    KF_LOCALE_ES = 0,
    KF_LOCALE_EN = 1
} kf_locale;

/* Picks es or en from an Accept-Language header honouring q-values and order;
 * anything else (or NULL) falls back to es. */
kf_locale kf_locale_negotiate(const char *accept_language);

/* "es" or "en". */
const char *kf_locale_tag(kf_locale locale);

/* Message for an error code or message id of API.md; an unknown id yields a generic
 * message (never NULL), so a new code can never produce an empty answer. */
const char *kf_message(const char *id, kf_locale locale);

/* 1 when the id has its own entry in the catalog (tests use it to keep it complete). */
int kf_message_known(const char *id);

#endif
