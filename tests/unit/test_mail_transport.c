#include "kf_check.h"
#include "kf_mail_transport.h"
#include "kf_json.h"

#include <apr_base64.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- SMTP: what the relay's answer means ---- */

START_TEST(transport_names)
{
    ck_assert(kf_mail_transport_known("smtp"));
    ck_assert(kf_mail_transport_known("resend"));
    ck_assert(kf_mail_transport_known("maildir"));
    ck_assert(!kf_mail_transport_known("SMTP"));
    ck_assert(!kf_mail_transport_known("sendmail"));
    ck_assert(!kf_mail_transport_known(NULL));
    kf_smtp_server server = {"smtp://127.0.0.1:25", 0, 0};
    ck_assert_str_eq(kf_mail_transport_name(kf_mail_transport_smtp(pool, &server)), "smtp");
    ck_assert_str_eq(kf_mail_transport_name(kf_mail_transport_maildir(pool, "/tmp", "h")), "maildir");
}
END_TEST

/* Each kind is one description in one registry: what the server's settings read of it. */
START_TEST(each_kind_says_what_it_takes_and_needs)
{
    int n = 0;
    while (kf_mail_transports[n]) {
        n++;
    }
    ck_assert_int_eq(n, 3);
    ck_assert_str_eq(kf_mail_transports[0]->name, "smtp");   /* the directive's default */
    const kf_mail_transport_kind *smtp = kf_mail_transport_find("smtp");
    const kf_mail_transport_kind *resend = kf_mail_transport_find("resend");
    const kf_mail_transport_kind *maildir = kf_mail_transport_find("maildir");
    ck_assert_ptr_null(kf_mail_transport_find("pigeon"));
    ck_assert(smtp->needs_server && smtp->sends && !smtp->url_name && !smtp->takes_folder);
    ck_assert(resend->needs_key && !resend->needs_server && resend->sends);
    ck_assert_str_eq(resend->url_name, "resend");
    ck_assert_str_eq(resend->default_url, KF_RESEND_DEFAULT_API);
    ck_assert(maildir->takes_folder && !maildir->sends && !maildir->needs_server);
    /* opened from what the server has, each reads its own */
    kf_smtp_server server = {"smtp://127.0.0.1:25", 0, 0};
    kf_mail_transport_setup setup = {.smtp = &server, .folder = "/tmp", .host = "h",
                                     .base_url = "http://127.0.0.1:9", .api_key = "re_x"};
    for (int i = 0; kf_mail_transports[i]; i++) {
        ck_assert_str_eq(kf_mail_transport_name(kf_mail_transports[i]->open(pool, &setup)),
                         kf_mail_transports[i]->name);
    }
}
END_TEST

/* How the server's mail leaves, from its directives: each kind reads what it needs, and
 * mail that cannot leave is said so. */
START_TEST(the_outlet_is_what_the_directives_say)
{
    kf_mail_outlet o;
    ck_assert(kf_mail_outlet_of("smtp", NULL, "smtp://127.0.0.1:2525", "re_x", NULL, &o));
    ck_assert_str_eq(o.kind->name, "smtp");
    ck_assert_str_eq(o.smtp.url, "smtp://127.0.0.1:2525");
    ck_assert_int_eq(o.smtp.timeout_ms, KF_MAIL_DEFAULT_TIMEOUT_MS);
    ck_assert_ptr_null(o.api_key);              /* SMTP needs no key: none is kept */
    ck_assert(!kf_mail_outlet_of("smtp", NULL, NULL, NULL, NULL, &o));   /* no server */
    ck_assert(!kf_mail_outlet_of("pigeon", NULL, "smtp://x:25", NULL, NULL, &o));
    ck_assert_ptr_null(o.kind);
    /* Resend: its key, its API (KonfirmadoProviderURL overriding), no SMTP server */
    ck_assert(kf_mail_outlet_of("resend", NULL, NULL, "re_x", NULL, &o));
    ck_assert_str_eq(o.api_key, "re_x");
    ck_assert_str_eq(o.api_url, KF_RESEND_DEFAULT_API);
    apr_table_t *urls = apr_table_make(pool, 1);
    apr_table_set(urls, "resend", "http://127.0.0.1:9");
    ck_assert(kf_mail_outlet_of("resend", NULL, "smtp://x:25", "re_x", urls, &o));
    ck_assert_str_eq(o.api_url, "http://127.0.0.1:9");
    ck_assert_ptr_null(o.smtp.url);
    /* a maildir: kept, never sent, yet ready */
    ck_assert(kf_mail_outlet_of("maildir", "/tmp/mails", NULL, NULL, NULL, &o));
    ck_assert(!o.kind->sends);
    ck_assert_str_eq(o.folder, "/tmp/mails");
    ck_assert_str_eq(kf_mail_transport_name(kf_mail_outlet_open(pool, &o, NULL, "h")),
                     "maildir");
    ck_assert(kf_mail_outlet_of("smtp", NULL, "smtp://127.0.0.1:25", NULL, NULL, &o));
    ck_assert_str_eq(kf_mail_transport_name(kf_mail_outlet_open(pool, &o, NULL, "h")), "smtp");
}
END_TEST

START_TEST(the_directive_takes_a_transport_and_a_maildir_its_folder)
{
    ck_assert_ptr_null(kf_mail_transport_directive(pool, "X", "smtp", NULL));
    ck_assert_ptr_null(kf_mail_transport_directive(pool, "X", "resend", NULL));
    ck_assert_ptr_null(kf_mail_transport_directive(pool, "X", "maildir", "/var/mail/kf"));
    ck_assert_str_eq(kf_mail_transport_directive(pool, "KonfirmadoMailTransport", "pigeon", NULL),
                     "KonfirmadoMailTransport must be smtp, resend or maildir <folder>, not "
                     "'pigeon'");
    ck_assert_str_eq(kf_mail_transport_directive(pool, "T", "smtp", "/tmp"),
                     "T: only maildir takes a folder");
    ck_assert_str_eq(kf_mail_transport_directive(pool, "T", "maildir", NULL),
                     "T: maildir needs the folder the mails are written into");
}
END_TEST

/* ---- Resend ---- */

static kf_mail_result answer(int status, const char *body)
{
    return kf_resend_read_answer(pool, status, body ? kf_json_parse_object(pool, body, strlen(body), NULL)
                                                    : NULL);
}

START_TEST(resend_answers_read_as_faults_with_the_error_name)
{
    kf_mail_result r = answer(200, "{\"id\":\"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794\"}");
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_NONE);
    ck_assert_str_eq(r.remote_id, "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794");

    r = answer(429, "{\"statusCode\":429,\"name\":\"rate_limit_exceeded\","
                    "\"message\":\"Too many requests. You can only make 2 requests per second.\"}");
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_BUSY);
    ck_assert_str_eq(r.why, "resend 429 rate_limit_exceeded: Too many requests. You can only "
                            "make 2 requests per second.");
    ck_assert_int_eq(answer(500, "{\"statusCode\":500,\"name\":\"application_error\","
                                 "\"message\":\"An unexpected error occurred.\"}").fault,
                     KF_MAIL_FAULT_BUSY);
    ck_assert_int_eq(answer(503, "<html>down</html>").fault, KF_MAIL_FAULT_BUSY);
    ck_assert_int_eq(answer(409, "{\"statusCode\":409,\"name\":\"concurrent_idempotent_requests\","
                                 "\"message\":\"Same idempotency key still in progress.\"}").fault,
                     KF_MAIL_FAULT_BUSY);

    r = answer(422, "{\"statusCode\":422,\"name\":\"validation_error\","
                    "\"message\":\"Invalid `to` field. The email address needs to follow the "
                    "`email@example.com` or `Name <email@example.com>` format.\"}");
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_RECIPIENT);
    ck_assert_ptr_nonnull(strstr(r.why, "resend 422 validation_error: Invalid `to` field."));
    r = answer(403, "{\"statusCode\":403,\"name\":\"validation_error\",\"message\":"
                    "\"The konfirmado.example domain is not verified.\"}");
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_SENDER);
    r = answer(401, "{\"statusCode\":401,\"name\":\"missing_api_key\",\"message\":\"Missing API key\"}");
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_SENDER);
    ck_assert_str_eq(r.why, "resend 401 missing_api_key: Missing API key");
    r = answer(400, NULL);
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_SENDER);
    ck_assert_str_eq(r.why, "resend 400 unknown_error: no message");
    /* an answer without an id is not a mail Resend took: asked again, under the same key */
    ck_assert_int_eq(answer(200, "{}").fault, KF_MAIL_FAULT_BUSY);
    /* an address quoted in the message is masked */
    r = answer(422, "{\"statusCode\":422,\"name\":\"validation_error\","
                    "\"message\":\"ana.maria@example.com is on the suppression list\"}");
    ck_assert_ptr_null(strstr(r.why, "ana.maria@example.com"));
}
END_TEST

/* Resend's 429 carries retry-after in seconds: the mail waits at least that long, at most an
 * hour; the retry schedule's own wait stands when it is longer. */
START_TEST(retry_after_is_honoured_within_an_hour)
{
    ck_assert_int_eq(kf_mail_retry_after_seconds("1"), 1);
    ck_assert_int_eq(kf_mail_retry_after_seconds(" 30 "), 30);
    ck_assert_int_eq(kf_mail_retry_after_seconds("86400"), KF_MAIL_RETRY_AFTER_MAX);
    ck_assert_int_eq(kf_mail_retry_after_seconds("99999999999999999999"), KF_MAIL_RETRY_AFTER_MAX);
    ck_assert_int_eq(kf_mail_retry_after_seconds("Wed, 21 Oct 2026 07:28:00 GMT"), 0);
    ck_assert_int_eq(kf_mail_retry_after_seconds("-5"), 0);
    ck_assert_int_eq(kf_mail_retry_after_seconds("1.5"), 0);
    ck_assert_int_eq(kf_mail_retry_after_seconds(""), 0);
    ck_assert_int_eq(kf_mail_retry_after_seconds(NULL), 0);
    ck_assert_int_eq(kf_mail_retry_wait(5, 0), 5);
    ck_assert_int_eq(kf_mail_retry_wait(5, 30), 30);
    ck_assert_int_eq(kf_mail_retry_wait(60, 30), 60);
    ck_assert_int_eq(kf_mail_retry_wait(5, 100000), KF_MAIL_RETRY_AFTER_MAX);
    const char *body = "{\"statusCode\":429,\"name\":\"rate_limit_exceeded\",\"message\":\"slow down\"}";
    json_t *doc = kf_json_parse_object(pool, body, strlen(body), NULL);
    kf_mail_result r = kf_resend_read_answer_waiting(pool, 429, doc, "2");
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_BUSY);
    ck_assert_int_eq(r.retry_after, 2);
    /* a key refused is waited on as the service asks */
    r = kf_resend_read_answer_waiting(pool, 401, doc, "2");
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_SENDER);
    ck_assert_int_eq(r.retry_after, 2);
    /* a refusal for good is not waited on */
    const char *to = "{\"statusCode\":422,\"name\":\"validation_error\",\"message\":\"Invalid `to` field.\"}";
    r = kf_resend_read_answer_waiting(pool, 422, kf_json_parse_object(pool, to, strlen(to), NULL), "2");
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_RECIPIENT);
    ck_assert_int_eq(r.retry_after, 0);
}
END_TEST

static kf_mail_message invite_message(void)
{
    kf_mail_message m = {
        .from = "Clínica Sol <no-reply@konfirmado.example>", .to = "ana@example.com",
        .subject = "Cita confirmada", .text = "Hola Ana\n", .html = "<p>Hola Ana</p>",
        .calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
        .calendar_method = "REQUEST",
    };
    return m;
}

START_TEST(resend_body_carries_the_parts_and_the_invite_in_base64)
{
    kf_mail_message m = invite_message();
    const char *body = kf_resend_body(pool, &m);
    json_t *doc = kf_json_parse_object(pool, body, strlen(body), NULL);
    ck_assert_ptr_nonnull(doc);
    const char *s = NULL;
    ck_assert_int_eq(kf_json_get_string(doc, "from", &s), KF_JSON_FIELD_OK);
    ck_assert_str_eq(s, "Clínica Sol <no-reply@konfirmado.example>");
    json_t *to = json_object_get(doc, "to");
    ck_assert_int_eq(json_array_size(to), 1);
    ck_assert_str_eq(json_string_value(json_array_get(to, 0)), "ana@example.com");
    kf_json_get_string(doc, "subject", &s);
    ck_assert_str_eq(s, "Cita confirmada");
    kf_json_get_string(doc, "text", &s);
    ck_assert_str_eq(s, "Hola Ana\n");
    kf_json_get_string(doc, "html", &s);
    ck_assert_str_eq(s, "<p>Hola Ana</p>");
    json_t *att = json_array_get(json_object_get(doc, "attachments"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(att, "filename")), "invite.ics");
    ck_assert_str_eq(json_string_value(json_object_get(att, "content_type")),
                     "text/calendar; charset=UTF-8; method=REQUEST");
    const char *b64 = json_string_value(json_object_get(att, "content"));
    char *plain = apr_palloc(pool, (apr_size_t)apr_base64_decode_len(b64));
    int n = apr_base64_decode(plain, b64);
    ck_assert_str_eq(apr_pstrndup(pool, plain, (apr_size_t)n), m.calendar);
    /* the same mail is the same request: a retry under its Idempotency-Key matches */
    ck_assert_str_eq(kf_resend_body(pool, &m), body);
    /* no invite, no attachments */
    m.calendar = NULL;
    doc = kf_json_parse_object(pool, kf_resend_body(pool, &m), strlen(kf_resend_body(pool, &m)), NULL);
    ck_assert_ptr_null(json_object_get(doc, "attachments"));
}
END_TEST

START_TEST(resend_body_carries_the_one_click_unsubscribe_headers)
{
    kf_mail_message m = invite_message();
    m.list_unsubscribe = "https://clinica.example/api/public/unsubscribe?token=U1";
    json_t *doc = kf_json_parse_object(pool, kf_resend_body(pool, &m),
                                       strlen(kf_resend_body(pool, &m)), NULL);
    json_t *headers = json_object_get(doc, "headers");
    ck_assert_str_eq(json_string_value(json_object_get(headers, "List-Unsubscribe")),
                     "<https://clinica.example/api/public/unsubscribe?token=U1>, "
                     "<mailto:no-reply@konfirmado.example?subject=unsubscribe>");
    ck_assert_str_eq(json_string_value(json_object_get(headers, "List-Unsubscribe-Post")),
                     "List-Unsubscribe=One-Click");
    /* a URL that could add a header is no mail at all, as SMTP refuses it */
    m.list_unsubscribe = "https://x.example/u>\r\nBcc: a@b.example";
    ck_assert_ptr_null(kf_resend_body(pool, &m));
}
END_TEST

typedef struct fake_resend {
    kf_http_request seen;
    int status;         /* 0: connection refused */
    const char *body;
} fake_resend;

static apr_status_t fake_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                 kf_http_response **resp, const char **why)
{
    fake_resend *f = baton;
    f->seen = *req;
    if (!f->status) {
        *why = "connection refused";
        return APR_ECONNREFUSED;
    }
    kf_http_response *r = apr_pcalloc(p, sizeof(*r));
    r->status = f->status;
    r->headers = apr_table_make(p, 1);
    r->body = f->body;
    r->body_len = strlen(f->body);
    *resp = r;
    return APR_SUCCESS;
}

static const kf_http_impl fake_impl = {"fake-resend", fake_perform};

START_TEST(resend_posts_with_bearer_and_the_mails_id_as_idempotency_key)
{
    fake_resend f = {{0}, 200, "{\"id\":\"re-1\"}"};
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
    kf_mail_transport *t = kf_mail_transport_resend(pool, c, "https://api.resend.com/", "re_key_1");
    ck_assert_str_eq(kf_mail_transport_name(t), "resend");
    kf_mail_message m = invite_message();
    kf_mail_outgoing out = {"0b5a2f5e-8f43-4a39-9d8e-1f1d5e0c7a11", "no-reply@konfirmado.example",
                            &m, "built"};
    kf_mail_result r = kf_mail_transport_send(t, pool, &out);
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_NONE);
    ck_assert_str_eq(r.remote_id, "re-1");
    ck_assert_str_eq(f.seen.method, "POST");
    ck_assert_str_eq(f.seen.url, "https://api.resend.com/emails");
    ck_assert_str_eq(apr_table_get(f.seen.headers, "Authorization"), "Bearer re_key_1");
    ck_assert_str_eq(apr_table_get(f.seen.headers, "Idempotency-Key"), out.id);
    ck_assert_str_eq(apr_table_get(f.seen.headers, "Content-Type"), "application/json");
    ck_assert_str_eq(apr_pstrndup(pool, f.seen.body, f.seen.body_len), kf_resend_body(pool, &m));
    f.status = 0;
    r = kf_mail_transport_send(t, pool, &out);
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_UNREACHABLE);
    ck_assert_str_eq(r.why, "resend: connection refused");
    /* no base URL: Resend's own */
    t = kf_mail_transport_resend(pool, c, NULL, "k");
    f.status = 200;
    kf_mail_transport_send(t, pool, &out);
    ck_assert_str_eq(f.seen.url, "https://api.resend.com/emails");
}
END_TEST

START_TEST(an_outbox_row_is_sent_as_its_mail_or_refused_for_good)
{
    unsigned char key[KF_KEY_LEN];
    memset(key, 7, sizeof key);
    kf_keyring *keys = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(keys, key, 1), APR_SUCCESS);
    const char *row[KF_OUTBOX_COLUMNS] = {
        "m1", "ana@example.com", "Your booking",
        kf_seal_text(pool, keys, "Hello", KF_MAIL_BODY_AAD), "<p>Hello</p>", "2",
        "1796137200", "90", NULL, NULL,
    };
    fake_resend f = {{0}, 200, "{\"id\":\"re-9\"}"};
    kf_mail_transport *t = kf_mail_transport_resend(
        pool, kf_http_client_create(pool, &fake_impl, &f), "https://api.resend.com/", "k");
    kf_outbox_mail m;
    kf_mail_result r = kf_outbox_send(t, pool, keys, row, "Aurora <no-reply@aurora.example>",
                                      "no-reply@aurora.example", "aurora.example", &m);
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_NONE);
    ck_assert_str_eq(apr_table_get(f.seen.headers, "Idempotency-Key"), "m1");
    ck_assert_ptr_nonnull(strstr(apr_pstrndup(pool, f.seen.body, f.seen.body_len), "Hello"));
    ck_assert_int_eq(m.attempts, 2);
    /* a body that does not open is never sent, and never will be */
    f.seen.url = NULL;
    row[KF_OUTBOX_COL_TEXT] = kf_seal_text(pool, keys, "Hello", "elsewhere");
    r = kf_outbox_send(t, pool, keys, row, "Aurora <no-reply@aurora.example>",
                       "no-reply@aurora.example", "aurora.example", &m);
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_UNSENDABLE);
    ck_assert_ptr_null(f.seen.url);
    int delay = -1;
    ck_assert_int_eq(kf_outbox_give_up(&m, &r, 5, &delay), 1);
}
END_TEST

START_TEST(a_failed_mail_waits_its_schedule_or_the_providers_word)
{
    kf_outbox_mail m = {0};
    m.attempts = 1;
    m.age_sec = 60;
    kf_mail_result r = {KF_MAIL_FAULT_BUSY, "busy", NULL, 0};
    int delay = 0;
    ck_assert_int_eq(kf_outbox_give_up(&m, &r, 5, &delay), 0);
    ck_assert_int_eq(delay, 15);                  /* the second failure: base × 3 */
    r.retry_after = 120;
    ck_assert_int_eq(kf_outbox_give_up(&m, &r, 5, &delay), 0);
    ck_assert_int_eq(delay, 120);                 /* Resend asked for longer */
    /* a key refused is waited out as well, never given up at once */
    r.fault = KF_MAIL_FAULT_SENDER;
    r.retry_after = 0;
    ck_assert_int_eq(kf_outbox_give_up(&m, &r, 5, &delay), 0);
    ck_assert_int_eq(delay, 15);
    r.fault = KF_MAIL_FAULT_RECIPIENT;
    ck_assert_int_eq(kf_outbox_give_up(&m, &r, 5, &delay), 1);
    r.fault = KF_MAIL_FAULT_BUSY;
    m.age_sec = KF_MAIL_GIVE_UP_AFTER_SEC;
    ck_assert_int_eq(kf_outbox_give_up(&m, &r, 5, &delay), 1);
}
END_TEST

/* What the outbox keeps of a failed attempt and what the log says: never the recipient's
 * address, nor one the server's answer quotes. */
START_TEST(a_failed_attempt_is_kept_and_logged_without_the_address)
{
    kf_outbox_mail m = {0};
    m.id = "m-1";
    m.recipient = "lucia@correo.example";
    m.attempts = 1;
    m.age_sec = 60;
    kf_mail_result r = {KF_MAIL_FAULT_BUSY, "451 try later for <lucia@correo.example>", NULL, 0};
    kf_outbox_failure f = kf_outbox_failed(pool, &m, &r, 5);
    ck_assert(!f.given_up);
    ck_assert(!f.ours);
    ck_assert_int_eq(f.delay, 15);
    ck_assert_str_eq(f.why, r.why);           /* the merchant's list keeps the answer whole */
    ck_assert_str_eq(f.fault, kf_mail_fault_name(KF_MAIL_FAULT_BUSY));
    ck_assert_ptr_null(strstr(f.line, "lucia@"));
    ck_assert_ptr_nonnull(strstr(f.line, "mail m-1 to "));
    ck_assert_ptr_nonnull(strstr(f.line, "not delivered (attempt 2), next try in 15 s: 451"));
    /* a key refused is the operator's to fix, and says so */
    r.fault = KF_MAIL_FAULT_SENDER;
    f = kf_outbox_failed(pool, &m, &r, 5);
    ck_assert(f.ours && !f.given_up);
    ck_assert_ptr_nonnull(strstr(f.line, "the mail service refuses us: "));
    /* a mailbox refused is given up at once; no answer at all still says something */
    r.fault = KF_MAIL_FAULT_RECIPIENT;
    r.why = NULL;
    f = kf_outbox_failed(pool, &m, &r, 5);
    ck_assert(f.given_up);
    ck_assert_str_eq(f.why, "not delivered");
    ck_assert_ptr_nonnull(strstr(f.line, "given up after 2 attempt(s) in 60 s: not delivered"));
    ck_assert_ptr_null(strstr(f.line, "lucia@"));
}
END_TEST

START_TEST(a_sent_mail_is_logged_without_the_address)
{
    kf_outbox_mail m = {0};
    m.id = "m-1";
    m.recipient = "lucia@correo.example";
    kf_mail_result r = {KF_MAIL_FAULT_NONE, NULL, "re_123", 0};
    kf_mail_transport *t = kf_mail_transport_maildir(pool, "/tmp", "h");
    const char *line = kf_outbox_sent_line(pool, t, &m, &r);
    ck_assert_ptr_null(strstr(line, "lucia@"));
    ck_assert_ptr_nonnull(strstr(line, " sent by maildir as re_123 (attempt 1)"));
    r.remote_id = NULL;
    ck_assert_ptr_nonnull(strstr(kf_outbox_sent_line(pool, t, &m, &r), " sent by maildir (attempt 1)"));
}
END_TEST

/* ---- maildir ---- */

START_TEST(maildir_names_are_unique_and_safe)
{
    apr_time_t t = apr_time_from_sec(1767225600) + 42;
    ck_assert_str_eq(kf_maildir_name(pool, t, 4242, "0b5a2f5e-8f43-4a39-9d8e-1f1d5e0c7a11",
                                     "konfirmado.example"),
                     "1767225600.M000042P4242R0b5a2f5e-8f43-4a39-9d8e-1f1d5e0c7a11.konfirmado.example");
    /* '/' and ':' would break the name (a path, the info part): written as octal */
    ck_assert_str_eq(kf_maildir_name(pool, t, 1, "a/b:c", "host:8080/x"),
                     "1767225600.M000042P1Rabc.host\\0728080\\057x");
    ck_assert_str_ne(kf_maildir_name(pool, t, 1, "id-1", "h"), kf_maildir_name(pool, t, 1, "id-2", "h"));
    ck_assert_str_eq(kf_maildir_name(pool, t, 1, NULL, NULL), "1767225600.M000042P1R.localhost");
}
END_TEST

static int entries(const char *dir)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    int n = 0;
    if (apr_dir_open(&d, dir, pool) != APR_SUCCESS) {
        return -1;
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS) {
        n += strcmp(fi.name, ".") != 0 && strcmp(fi.name, "..") != 0;
    }
    apr_dir_close(d);
    return n;
}

START_TEST(maildir_write_lands_whole_in_new_with_lf_line_ends)
{
    char root[] = "/tmp/kf-maildir-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(root));
    const char *dir = apr_pstrcat(pool, root, "/capture", NULL);
    ck_assert_int_eq(apr_dir_make(dir, APR_FPROT_OS_DEFAULT, pool), APR_SUCCESS);
    const char *why = NULL;
    ck_assert_int_eq(kf_maildir_deliver(pool, dir, "1.M1P1Rx.h", "no-reply@k.example",
                                        "ana@example.com", "Subject: Hola\r\n\r\nCuerpo\r\n", &why),
                     APR_SUCCESS);
    ck_assert_int_eq(entries(apr_pstrcat(pool, dir, "/tmp", NULL)), 0);
    ck_assert_int_eq(entries(apr_pstrcat(pool, dir, "/cur", NULL)), 0);
    ck_assert_int_eq(entries(apr_pstrcat(pool, dir, "/new", NULL)), 1);
    apr_file_t *f;
    char buf[256];
    apr_size_t len = sizeof(buf) - 1;
    ck_assert_int_eq(apr_file_open(&f, apr_pstrcat(pool, dir, "/new/1.M1P1Rx.h", NULL),
                                   APR_FOPEN_READ, 0, pool), APR_SUCCESS);
    apr_file_read(f, buf, &len);
    apr_file_close(f);
    buf[len] = '\0';
    ck_assert_str_eq(buf, "Return-Path: <no-reply@k.example>\nDelivered-To: ana@example.com\n"
                          "Subject: Hola\n\nCuerpo\n");
    /* the same name twice is refused, never overwritten */
    ck_assert_int_ne(kf_maildir_deliver(pool, dir, "1.M1P1Rx.h", "a@b.c", "d@e.f", "x", &why),
                     APR_SUCCESS);
    ck_assert_int_eq(entries(apr_pstrcat(pool, dir, "/new", NULL)), 1);

    /* through the transport: one file per mail, named by its id */
    kf_mail_transport *t = kf_mail_transport_maildir(pool, dir, "konfirmado.example");
    kf_mail_message m = invite_message();
    kf_mail_outgoing out = {"0b5a2f5e-8f43-4a39-9d8e-1f1d5e0c7a11", "no-reply@k.example", &m,
                            "Subject: Cita\r\n\r\nx\r\n"};
    kf_mail_result r = kf_mail_transport_send(t, pool, &out);
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_NONE);
    ck_assert_ptr_nonnull(strstr(r.remote_id, "R0b5a2f5e-8f43-4a39-9d8e-1f1d5e0c7a11.konfirmado.example"));
    ck_assert_int_eq(entries(apr_pstrcat(pool, dir, "/new", NULL)), 2);

    /* a folder that cannot be written: the mail waits */
    t = kf_mail_transport_maildir(pool, apr_pstrcat(pool, root, "/missing/deeper", NULL), "h");
    r = kf_mail_transport_send(t, pool, &out);
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_UNREACHABLE);
    ck_assert_ptr_nonnull(strstr(r.why, "cannot make tmp/, new/ and cur/"));

    ck_assert_int_eq(system(apr_pstrcat(pool, "rm -rf ", root, NULL)), 0);
}
END_TEST

/* A customer's mail: its outbox row says where replies go; Resend gets "reply_to", the
 * maildir (as SMTP: test_mail.c) the header in the message; From stays the platform's. */
START_TEST(every_transport_carries_the_reply_to_of_a_customers_mail)
{
    unsigned char key[KF_KEY_LEN];
    memset(key, 7, sizeof key);
    kf_keyring *keys = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(keys, key, 1), APR_SUCCESS);
    const char *row[KF_OUTBOX_COLUMNS] = {
        "m1", "ana@example.com", "Your booking",
        kf_seal_text(pool, keys, "Hello", KF_MAIL_BODY_AAD), "<p>Hello</p>", "0",
        "1796137200", "1", NULL, NULL,
    };
    row[KF_OUTBOX_COL_REPLY_SETTING] = NULL;
    row[KF_OUTBOX_COL_REPLY_NOTIFY] = "agenda@clinica.example";
    row[KF_OUTBOX_COL_REPLY_OWNER] = "owner@clinica.example";
    row[KF_OUTBOX_COL_REPLY_OWNER_VERIFIED] = "t";
    const char *from = "Aurora <no-reply@aurora.example>";

    fake_resend f = {{0}, 200, "{\"id\":\"re-9\"}"};
    kf_mail_transport *resend = kf_mail_transport_resend(
        pool, kf_http_client_create(pool, &fake_impl, &f), "https://api.resend.com/", "k");
    kf_outbox_mail m;
    kf_mail_result r = kf_outbox_send(resend, pool, keys, row, from, "no-reply@aurora.example",
                                      "aurora.example", &m);
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_NONE);
    ck_assert_str_eq(m.reply_to, "agenda@clinica.example");
    json_t *doc = kf_json_parse_object(pool, f.seen.body, f.seen.body_len, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "reply_to")), "agenda@clinica.example");
    ck_assert_str_eq(json_string_value(json_object_get(doc, "from")), from);
    /* the business's own setting, when it has one */
    row[KF_OUTBOX_COL_REPLY_SETTING] = "citas@clinica.example";
    kf_outbox_send(resend, pool, keys, row, from, "no-reply@aurora.example", "aurora.example", &m);
    doc = kf_json_parse_object(pool, f.seen.body, f.seen.body_len, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "reply_to")), "citas@clinica.example");

    char root[] = "/tmp/kf-maildir-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(root));
    kf_mail_transport *maildir = kf_mail_transport_maildir(pool, root, "konfirmado.example");
    r = kf_outbox_send(maildir, pool, keys, row, from, "no-reply@aurora.example", "aurora.example",
                       &m);
    ck_assert_int_eq(r.fault, KF_MAIL_FAULT_NONE);
    apr_file_t *file;
    char buf[4096];
    apr_size_t len = sizeof(buf) - 1;
    ck_assert_int_eq(apr_file_open(&file, apr_pstrcat(pool, root, "/new/", r.remote_id, NULL),
                                   APR_FOPEN_READ, 0, pool), APR_SUCCESS);
    apr_file_read(file, buf, &len);
    apr_file_close(file);
    buf[len] = '\0';
    ck_assert_ptr_nonnull(strstr(buf, "\nReply-To: citas@clinica.example\n"));
    ck_assert_ptr_nonnull(strstr(buf, "\nFrom: Aurora <no-reply@aurora.example>\n"));
    ck_assert_int_eq(system(apr_pstrcat(pool, "rm -rf ", root, NULL)), 0);

    /* a mail to anybody else (no tenant joined): no Reply-To anywhere */
    row[KF_OUTBOX_COL_REPLY_SETTING] = row[KF_OUTBOX_COL_REPLY_NOTIFY] = NULL;
    row[KF_OUTBOX_COL_REPLY_OWNER] = row[KF_OUTBOX_COL_REPLY_OWNER_VERIFIED] = NULL;
    kf_outbox_send(resend, pool, keys, row, from, "no-reply@aurora.example", "aurora.example", &m);
    ck_assert_ptr_null(m.reply_to);
    doc = kf_json_parse_object(pool, f.seen.body, f.seen.body_len, NULL);
    ck_assert_ptr_null(json_object_get(doc, "reply_to"));
}
END_TEST

START_TEST(resend_body_refuses_a_reply_to_that_is_no_address)
{
    kf_mail_message m = invite_message();
    m.reply_to = "a@b.co\r\nBcc: x@y.z";
    ck_assert_ptr_null(kf_resend_body(pool, &m));
}
END_TEST

START_TEST(mails_sent_but_not_recorded_are_kept_until_recorded)
{
    kf_outbox_unrecorded u = {NULL, NULL};
    ck_assert_int_eq(kf_outbox_unrecorded_count(&u), 0);
    ck_assert_ptr_null(kf_outbox_unrecorded_id(&u, 0));
    char id[] = "mail-1";
    kf_outbox_unrecorded_add(&u, id);
    id[5] = '2';                       /* the caller's memory goes; the list keeps its copy */
    kf_outbox_unrecorded_add(&u, id);
    ck_assert_int_eq(kf_outbox_unrecorded_count(&u), 2);
    ck_assert_str_eq(kf_outbox_unrecorded_id(&u, 0), "mail-1");
    ck_assert_str_eq(kf_outbox_unrecorded_id(&u, 1), "mail-2");
    ck_assert_ptr_null(kf_outbox_unrecorded_id(&u, 2));
    /* all recorded: none left, and the next run's are kept anew */
    kf_outbox_unrecorded_clear(&u);
    ck_assert_int_eq(kf_outbox_unrecorded_count(&u), 0);
    kf_outbox_unrecorded_add(&u, "mail-3");
    ck_assert_int_eq(kf_outbox_unrecorded_count(&u), 1);
    ck_assert_str_eq(kf_outbox_unrecorded_id(&u, 0), "mail-3");
    apr_pool_destroy(u.pool);
}
END_TEST

static Suite *mail_transport_suite(void)
{
    Suite *s = suite_create("mail_transport");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, transport_names);
    tcase_add_test(tc, each_kind_says_what_it_takes_and_needs);
    tcase_add_test(tc, the_directive_takes_a_transport_and_a_maildir_its_folder);
    tcase_add_test(tc, resend_answers_read_as_faults_with_the_error_name);
    tcase_add_test(tc, retry_after_is_honoured_within_an_hour);
    tcase_add_test(tc, resend_body_carries_the_parts_and_the_invite_in_base64);
    tcase_add_test(tc, resend_body_carries_the_one_click_unsubscribe_headers);
    tcase_add_test(tc, resend_posts_with_bearer_and_the_mails_id_as_idempotency_key);
    tcase_add_test(tc, an_outbox_row_is_sent_as_its_mail_or_refused_for_good);
    tcase_add_test(tc, a_failed_mail_waits_its_schedule_or_the_providers_word);
    tcase_add_test(tc, the_outlet_is_what_the_directives_say);
    tcase_add_test(tc, a_failed_attempt_is_kept_and_logged_without_the_address);
    tcase_add_test(tc, a_sent_mail_is_logged_without_the_address);
    tcase_add_test(tc, maildir_names_are_unique_and_safe);
    tcase_add_test(tc, maildir_write_lands_whole_in_new_with_lf_line_ends);
    tcase_add_test(tc, every_transport_carries_the_reply_to_of_a_customers_mail);
    tcase_add_test(tc, resend_body_refuses_a_reply_to_that_is_no_address);
    tcase_add_test(tc, mails_sent_but_not_recorded_are_kept_until_recorded);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(mail_transport_suite());
}
