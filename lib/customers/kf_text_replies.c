/* A customer's answer to a tenant's texts (see kf_text_replies.h). */
#include "kf_text_replies.h"
#include "kf_query.h"
#include "kf_twilio.h"
#include "kf_url.h"

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

int kf_text_reply_signed(apr_pool_t *p, const apr_table_t *form, const char *auth_token,
                         const char *public_url, const char *path, const char *signature)
{
    const apr_array_header_t *elts = apr_table_elts(form);
    apr_array_header_t *params = apr_array_make(p, elts->nelts, sizeof(kf_twilio_param));
    for (int i = 0; i < elts->nelts; i++) {
        const apr_table_entry_t *e = &APR_ARRAY_IDX(elts, i, apr_table_entry_t);
        kf_twilio_param *param = apr_array_push(params);
        param->name = e->key;
        param->value = e->val;
    }
    const char *url = apr_pstrcat(p, kf_url_trim_slash(p, public_url), path, NULL);
    return signature && kf_twilio_signature_ok(p, auth_token, url, params, signature);
}

apr_table_t *kf_text_reply_form(apr_pool_t *p, const char *body, apr_size_t len)
{
    apr_table_t *form = NULL;
    const char *bad = NULL;
    if (memchr(body, '\0', len) ||
        kf_query_parse(p, apr_pstrmemdup(p, body, len), &form, &bad) != KF_QUERY_OK) {
        return NULL;
    }
    return form;
}

kf_text_reply kf_text_reply_read(const apr_table_t *form, const char **from)
{
    *from = apr_table_get(form, "From");
    if (*from && strncmp(*from, "whatsapp:", 9) == 0) {
        *from += 9;
    }
    return *from && **from ? kf_text_reply_of(apr_table_get(form, "Body")) : KF_TEXT_REPLY_OTHER;
}
