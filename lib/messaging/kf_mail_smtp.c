/* SMTP delivery through libcurl (kf_mail.h). One easy handle per call, or per session (its
 * connection reused), never shared between threads; TLS peer and host verification always
 * on for smtps://. */
#include "kf_curl.h"
#include "kf_email.h"
#include "kf_mail.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <curl/curl.h>
#include <string.h>

typedef struct upload {
    const char *data;
    size_t len;
    size_t pos;
} upload;

static size_t read_message(char *buf, size_t size, size_t nitems, void *userdata)
{
    upload *u = userdata;
    size_t room = size * nitems;
    size_t n = u->len - u->pos < room ? u->len - u->pos : room;
    memcpy(buf, u->data + u->pos, n);
    u->pos += n;
    return n;
}

/* One printable line: curl's messages name at most the host and port, never the URL's
 * credentials or an address; masked anyway, in case a server echoes an address. */
static const char *reason(apr_pool_t *p, CURLcode code, const char *msg, long smtp_code)
{
    char *s = apr_psprintf(p, "smtp error %d: %.200s", (int)code, msg);
    if (smtp_code > 0) {
        s = apr_psprintf(p, "%s (server said %ld)", s, smtp_code);
    }
    for (char *c = s; *c; c++) {
        if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f) {
            *c = ' ';
        }
    }
    return kf_mask_text(p, s);
}

/* A 5xx answer: the recipient refused, or us. curl names the command that failed only in its
 * message ("RCPT failed: 550"). */
static apr_status_t refusal(const char *message, long smtp_code)
{
    int to_rcpt = strncmp(message, "RCPT failed", 11) == 0;
    return to_rcpt && smtp_code >= 550 && smtp_code <= 553 ? KF_MAIL_ERECIPIENT
                                                           : KF_MAIL_EREFUSED;
}

struct kf_smtp_session {
    const kf_smtp_server *server;
    CURL *h;
};

static apr_status_t session_end(void *data)
{
    kf_smtp_session *s = data;
    curl_easy_cleanup(s->h);   /* QUIT, when its connection is still open */
    return APR_SUCCESS;
}

kf_smtp_session *kf_smtp_session_open(apr_pool_t *p, const kf_smtp_server *server)
{
    CURL *h = curl_easy_init();
    if (!h) {
        return NULL;
    }
    kf_smtp_session *s = apr_palloc(p, sizeof(*s));
    s->server = server;
    s->h = h;
    apr_pool_cleanup_register(p, s, session_end, apr_pool_cleanup_null);
    return s;
}

/* A failure of a connection kept from an earlier mail because the server closed it: with no
 * answer, or 421 (RFC 5321 §3.8: closing the channel; relays that take a few messages per
 * connection say it to the next one). The mail is sent once more on a new connection. */
static int closed_by_the_server(CURL *h, CURLcode rc)
{
    long connects = 0, code = 0;
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    return connects == 0 && (code == 0 || code == 421) &&
           (rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING ||
            rc == CURLE_WEIRD_SERVER_REPLY);
}

/* One mail on handle h, its options set anew (curl_easy_reset keeps the connection). */
static apr_status_t send_on(CURL *h, apr_pool_t *p, const kf_smtp_server *server,
                            const char *envelope_from, const char *rcpt, const char *message,
                            const char **why)
{
    *why = NULL;
    if (!server->url || (strncmp(server->url, "smtp://", 7) != 0 &&
                         strncmp(server->url, "smtps://", 8) != 0)) {
        *why = "the mail server URL must start with smtp:// or smtps://";
        return APR_EINVAL;
    }
    if (!kf_email_valid(envelope_from) || !kf_email_valid(rcpt)) {
        *why = "envelope sender or recipient is not a valid address";
        return APR_EINVAL;
    }

    char errbuf[CURL_ERROR_SIZE];
    CURLcode rc = CURLE_OK;
    upload u = {message, strlen(message), 0};
    long connect_ms = server->connect_timeout_ms > 0 ? server->connect_timeout_ms
                                                     : KF_MAIL_DEFAULT_TIMEOUT_MS;
    long total_ms = server->timeout_ms > 0 ? server->timeout_ms : KF_MAIL_DEFAULT_TIMEOUT_MS;
    errbuf[0] = '\0';

    struct curl_slist *rcpts = curl_slist_append(NULL, apr_pstrcat(p, "<", rcpt, ">", NULL));
    if (!rcpts) {
        *why = "out of memory";
        return APR_ENOMEM;
    }

    curl_easy_reset(h);
    KF_CURL_SETOPT(h, CURLOPT_URL, server->url);
    KF_CURL_SETOPT(h, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    KF_CURL_SETOPT(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
    KF_CURL_SETOPT(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
    KF_CURL_SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L);
    KF_CURL_SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L);
    KF_CURL_SETOPT(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    KF_CURL_SETOPT(h, CURLOPT_TIMEOUT_MS, total_ms);
    KF_CURL_SETOPT(h, CURLOPT_MAIL_FROM, apr_pstrcat(p, "<", envelope_from, ">", NULL));
    KF_CURL_SETOPT(h, CURLOPT_MAIL_RCPT, rcpts);
    KF_CURL_SETOPT(h, CURLOPT_UPLOAD, 1L);
    KF_CURL_SETOPT(h, CURLOPT_READFUNCTION, read_message);
    KF_CURL_SETOPT(h, CURLOPT_READDATA, &u);
    KF_CURL_SETOPT(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u.len);
    KF_CURL_SETOPT(h, CURLOPT_ERRORBUFFER, errbuf);

    apr_status_t rv = APR_SUCCESS;
    if (rc != CURLE_OK) {
        *why = reason(p, rc, curl_easy_strerror(rc), 0);
        rv = APR_EGENERAL;
    }
    else if ((rc = curl_easy_perform(h)) != CURLE_OK && closed_by_the_server(h, rc)) {
        u.pos = 0;
        errbuf[0] = '\0';
        rc = curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
        if (rc == CURLE_OK) {
            rc = curl_easy_perform(h);
        }
    }
    if (rv == APR_SUCCESS && rc != CURLE_OK) {
        long smtp_code = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &smtp_code);
        *why = reason(p, rc, errbuf[0] ? errbuf : curl_easy_strerror(rc), smtp_code);
        switch (rc) {
        case CURLE_OPERATION_TIMEDOUT:
            rv = APR_TIMEUP;
            break;
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
            rv = APR_ECONNREFUSED;
            break;
        default:
            rv = smtp_code >= 500 && smtp_code <= 599 ? refusal(errbuf, smtp_code) : APR_EGENERAL;
        }
    }
    /* the handle keeps no pointer into this call's strings past here */
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, NULL);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(h, CURLOPT_READDATA, NULL);
    curl_slist_free_all(rcpts);
    return rv;
}

apr_status_t kf_mail_send_in(kf_smtp_session *s, apr_pool_t *p, const char *envelope_from,
                             const char *rcpt, const char *message, const char **why)
{
    const char *ignored;
    return send_on(s->h, p, s->server, envelope_from, rcpt, message, why ? why : &ignored);
}

apr_status_t kf_mail_send(apr_pool_t *p, const kf_smtp_server *server,
                          const char *envelope_from, const char *rcpt, const char *message,
                          const char **why)
{
    const char *ignored;
    if (!why) {
        why = &ignored;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        *why = "cannot create a curl handle";
        return APR_ENOMEM;
    }
    apr_status_t rv = send_on(h, p, server, envelope_from, rcpt, message, why);
    curl_easy_cleanup(h);
    return rv;
}
