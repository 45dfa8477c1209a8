/* The mail transports' common part (kf_mail_transport.h): the dispatch, the kinds found by
 * name and what KonfirmadoMailTransport accepts (read from the registry,
 * kf_mail_transports.c), an outbox mail sent and what its failure leaves. Each kind is its
 * own file: kf_mail_smtp_transport.c, kf_mail_resend.c, kf_mail_maildir.c. */
#include "kf_mail_transport.h"
#include "kf_mail_transport_impl.h"

#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

kf_mail_result kf_mail_transport_send(const kf_mail_transport *t, apr_pool_t *p,
                                      const kf_mail_outgoing *m)
{
    return t->send(t, p, m);
}

kf_mail_result kf_outbox_send(const kf_mail_transport *t, apr_pool_t *p, const kf_keyring *keys,
                              const char *const *row, const char *from,
                              const char *envelope_from, const char *id_domain,
                              kf_outbox_mail *m)
{
    kf_mail_result r = {KF_MAIL_FAULT_UNSENDABLE, NULL, NULL, 0};
    if (!kf_outbox_mail_of(p, keys, row, m)) {
        r.why = "the sealed body cannot be opened with the configured KonfirmadoKeyFile";
        return r;
    }
    kf_mail_message msg = kf_outbox_message(p, m, from, id_domain);
    kf_mail_outgoing out = {m->id, envelope_from, &msg, NULL};
    const char *why = NULL;
    if (kf_mail_build(p, &msg, &out.built, &why) != APR_SUCCESS) {
        r.why = apr_pstrcat(p, "not deliverable: ", why, NULL);
        return r;
    }
    return kf_mail_transport_send(t, p, &out);
}

int kf_outbox_give_up(const kf_outbox_mail *m, const kf_mail_result *r, int retry_base,
                      int *delay)
{
    if (kf_mail_give_up(m->attempts + 1, m->age_sec,
                        kf_mail_fault_verdict(r->fault) == KF_MAIL_REFUSED, retry_base, delay)) {
        return 1;
    }
    *delay = kf_mail_retry_wait(*delay, r->retry_after);
    return 0;
}

kf_outbox_failure kf_outbox_failed(apr_pool_t *p, const kf_outbox_mail *m,
                                   const kf_mail_result *r, int retry_base)
{
    kf_outbox_failure f = {0};
    f.why = r->why ? r->why : "not delivered";
    f.fault = kf_mail_fault_name(r->fault);
    f.given_up = kf_outbox_give_up(m, r, retry_base, &f.delay);
    f.ours = r->fault == KF_MAIL_FAULT_SENDER;
    const char *to = kf_mask_recipient(p, m->recipient);
    const char *said = kf_mask_text(p, f.why);    /* an SMTP answer may quote the address */
    f.line = f.given_up
        ? apr_psprintf(p, "mail %s to %s given up after %d attempt(s) in %ld s: %s", m->id, to,
                       m->attempts + 1, m->age_sec, said)
        : apr_psprintf(p, "mail %s to %s not delivered (attempt %d), next try in %d s: %s%s",
                       m->id, to, m->attempts + 1, f.delay,
                       f.ours ? "the mail service refuses us: " : "", said);
    return f;
}

const char *kf_outbox_sent_line(apr_pool_t *p, const kf_mail_transport *t,
                                const kf_outbox_mail *m, const kf_mail_result *r)
{
    return apr_psprintf(p, "mail %s to %s sent by %s%s%s (attempt %d)", m->id,
                        kf_mask_recipient(p, m->recipient), kf_mail_transport_name(t),
                        r->remote_id ? " as " : "", r->remote_id ? r->remote_id : "",
                        m->attempts + 1);
}

void kf_outbox_unrecorded_add(kf_outbox_unrecorded *u, const char *id)
{
    if (!u->pool && apr_pool_create_unmanaged_ex(&u->pool, NULL, NULL) != APR_SUCCESS) {
        u->pool = NULL;
        return;
    }
    if (!u->ids) {
        u->ids = apr_array_make(u->pool, 4, sizeof(const char *));
    }
    APR_ARRAY_PUSH(u->ids, const char *) = apr_pstrdup(u->pool, id);
}

int kf_outbox_unrecorded_count(const kf_outbox_unrecorded *u)
{
    return u->ids ? u->ids->nelts : 0;
}

const char *kf_outbox_unrecorded_id(const kf_outbox_unrecorded *u, int i)
{
    return i >= 0 && i < kf_outbox_unrecorded_count(u) ? APR_ARRAY_IDX(u->ids, i, const char *)
                                                       : NULL;
}

void kf_outbox_unrecorded_clear(kf_outbox_unrecorded *u)
{
    if (u->pool) {
        apr_pool_clear(u->pool);
    }
    u->ids = NULL;
}

const char *kf_mail_transport_name(const kf_mail_transport *t)
{
    return t->name;
}

const kf_mail_transport_kind *kf_mail_transport_find(const char *word)
{
    for (int i = 0; word && kf_mail_transports[i]; i++) {
        if (strcmp(kf_mail_transports[i]->name, word) == 0) {
            return kf_mail_transports[i];
        }
    }
    return NULL;
}

int kf_mail_transport_known(const char *word)
{
    return kf_mail_transport_find(word) != NULL;
}

/* "smtp, resend or maildir <folder>": every kind, as the directive takes it. */
static const char *kinds_text(apr_pool_t *p)
{
    const char *text = "";
    for (int i = 0; kf_mail_transports[i]; i++) {
        const kf_mail_transport_kind *k = kf_mail_transports[i];
        text = apr_pstrcat(p, text, i == 0 ? "" : kf_mail_transports[i + 1] ? ", " : " or ",
                           k->name, k->takes_folder ? " <folder>" : "", NULL);
    }
    return text;
}

/* "maildir": the kinds that take a folder. */
static const char *folder_kinds_text(apr_pool_t *p)
{
    const char *text = NULL;
    for (int i = 0; kf_mail_transports[i]; i++) {
        if (kf_mail_transports[i]->takes_folder) {
            text = text ? apr_pstrcat(p, text, " or ", kf_mail_transports[i]->name, NULL)
                        : kf_mail_transports[i]->name;
        }
    }
    return text ? text : "none";
}

const char *kf_mail_transport_directive(apr_pool_t *p, const char *name, const char *kind,
                                        const char *folder)
{
    const kf_mail_transport_kind *k = kf_mail_transport_find(kind);
    if (!k) {
        return apr_psprintf(p, "%s must be %s, not '%s'", name, kinds_text(p), kind);
    }
    if (k->takes_folder != (folder != NULL)) {
        return folder ? apr_psprintf(p, "%s: only %s takes a folder", name, folder_kinds_text(p))
                      : apr_psprintf(p, "%s: %s needs the folder the mails are written into",
                                     name, k->name);
    }
    return NULL;
}

int kf_mail_retry_wait(int scheduled, int retry_after)
{
    int asked = retry_after > KF_MAIL_RETRY_AFTER_MAX ? KF_MAIL_RETRY_AFTER_MAX : retry_after;
    return asked > scheduled ? asked : scheduled;
}

int kf_mail_retry_after_seconds(const char *header)
{
    if (!header) {
        return 0;
    }
    while (*header == ' ' || *header == '\t') {
        header++;
    }
    long n = 0;
    const char *c = header;
    for (; *c >= '0' && *c <= '9'; c++) {
        n = n * 10 + (*c - '0');
        if (n > KF_MAIL_RETRY_AFTER_MAX) {
            n = KF_MAIL_RETRY_AFTER_MAX;
        }
    }
    while (*c == ' ' || *c == '\t') {
        c++;
    }
    return c == header || *c ? 0 : (int)n;
}

int kf_mail_outlet_of(const char *word, const char *folder, const char *mail_url,
                      const char *api_key, const apr_table_t *provider_urls, kf_mail_outlet *o)
{
    memset(o, 0, sizeof(*o));
    o->kind = kf_mail_transport_find(word);
    if (!o->kind) {
        return 0;   /* the directive accepts none other */
    }
    o->folder = folder;
    if (o->kind->needs_key) {
        o->api_key = api_key;
    }
    if (o->kind->url_name) {
        const char *url = provider_urls ? apr_table_get(provider_urls, o->kind->url_name) : NULL;
        o->api_url = url ? url : o->kind->default_url;
    }
    if (!o->kind->needs_server) {
        return 1;
    }
    o->smtp.url = mail_url;
    o->smtp.connect_timeout_ms = KF_MAIL_DEFAULT_TIMEOUT_MS;
    o->smtp.timeout_ms = KF_MAIL_DEFAULT_TIMEOUT_MS;
    return mail_url != NULL;
}

kf_mail_transport *kf_mail_outlet_open(apr_pool_t *p, const kf_mail_outlet *o,
                                       kf_http_client *http, const char *host)
{
    kf_mail_transport_setup setup = {
        .smtp = &o->smtp,
        .http = o->kind->url_name ? http : NULL,
        .base_url = o->api_url,
        .api_key = o->api_key,
        .folder = o->folder,
        .host = host,
    };
    return o->kind->open(p, &setup);
}
