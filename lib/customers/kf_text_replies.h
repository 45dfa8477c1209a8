#ifndef KF_TEXT_REPLIES_H
#define KF_TEXT_REPLIES_H
/* A customer's answer to a tenant's texts (Twilio's inbound webhook): the words that stop
 * them and take them back, Twilio's own (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT,
 * OPTOUT, REVOKE; START, YES, UNSTOP) and the Spanish BAJA / ALTA; and the line the first
 * text to a number adds to say so. */
#include <apr_pools.h>
#include <apr_tables.h>

#include "kf_i18n.h"

typedef enum { KF_TEXT_REPLY_OTHER = 0, KF_TEXT_REPLY_STOP, KF_TEXT_REPLY_START } kf_text_reply;

/* The body as one of those words (any case, spaces and a final "." or "!" around it), else
 * KF_TEXT_REPLY_OTHER. */
kf_text_reply kf_text_reply_of(const char *body);

/* Whether a text's form (its fields as Twilio posted them) carries `signature`
 * (X-Twilio-Signature, NULL: none) made with the account's auth token over the URL it was
 * posted to: public_url and the path (with its query) of the request. */
int kf_text_reply_signed(apr_pool_t *p, const apr_table_t *form, const char *auth_token,
                         const char *public_url, const char *path, const char *signature);

/* The form Twilio posted (the request's body, len bytes), or NULL when the body is no form:
 * a NUL byte in it, or fields that do not decode. */
apr_table_t *kf_text_reply_form(apr_pool_t *p, const char *body, apr_size_t len);

/* What a signed text asks (its Body), and *from, the number it came from (WhatsApp's
 * "whatsapp:" dropped); KF_TEXT_REPLY_OTHER too when it names no number. */
kf_text_reply kf_text_reply_read(const apr_table_t *form, const char **from);

/* The text with how to stop them on a line of its own: "Responde BAJA o STOP para no recibir
 * más mensajes." / "Reply STOP to stop these texts.". */
const char *kf_text_with_opt_out(apr_pool_t *p, kf_locale locale, const char *text);

#endif
