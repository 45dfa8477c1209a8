/* A customer's answer to a tenant's texts (see kf_text_replies.h). */
#include "kf_text_replies.h"

#include <apr_strings.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const stop_words[] = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END",
                                         "QUIT", "OPTOUT", "REVOKE", "BAJA", NULL};
static const char *const start_words[] = {"START", "YES", "UNSTOP", "ALTA", NULL};

static int among(const char *word, size_t len, const char *const *words)
{
    for (const char *const *w = words; *w; w++) {
        if (strlen(*w) == len && strncasecmp(word, *w, len) == 0) {
            return 1;
        }
    }
    return 0;
}

kf_text_reply kf_text_reply_of(const char *body)
{
    if (!body) {
        return KF_TEXT_REPLY_OTHER;
    }
    while (isspace((unsigned char)*body)) {
        body++;
    }
    size_t len = strlen(body);
    while (len > 0 && (isspace((unsigned char)body[len - 1]) || body[len - 1] == '.' ||
                       body[len - 1] == '!')) {
        len--;
    }
    if (among(body, len, stop_words)) {
        return KF_TEXT_REPLY_STOP;
    }
    return among(body, len, start_words) ? KF_TEXT_REPLY_START : KF_TEXT_REPLY_OTHER;
}

const char *kf_text_with_opt_out(apr_pool_t *p, kf_locale locale, const char *text)
{
    return apr_pstrcat(p, text ? text : "", "\n",
                       locale == KF_LOCALE_EN ? "Reply STOP to stop these texts."
                                              : "Responde BAJA o STOP para no recibir más mensajes.",
                       NULL);
}
