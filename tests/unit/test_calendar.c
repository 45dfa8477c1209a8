#include "kf_check.h"
#include "kf_calendar_providers.h"
#include "kf_crypto.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <string.h>

static apr_int64_t at(const char *rfc3339)
{
    apr_int64_t t = 0;
    ck_assert_int_ne(kf_time_parse_rfc3339(rfc3339, &t), KF_TIME_INVALID);
    return t;
}

/* ------------------------------------------------------------------ rules */

START_TEST(busy_known_for_six_hours_then_nothing)
{
    apr_int64_t now = 1000000;
    ck_assert_int_eq(kf_calendar_busy_known(NULL, 0, now, 21600), 1);
    ck_assert_int_eq(kf_calendar_busy_known("none", 0, now, 21600), 1);
    ck_assert_int_eq(kf_calendar_busy_known("connected", now - 10, now, 21600), 1);
    ck_assert_int_eq(kf_calendar_busy_known("connected", now - 21600, now, 21600), 1);
    ck_assert_int_eq(kf_calendar_busy_known("connected", now - 21601, now, 21600), 0);
    /* never read: nothing is known, nothing is offered */
    ck_assert_int_eq(kf_calendar_busy_known("connected", 0, now, 21600), 0);
    /* a refused grant keeps the last busy times until they are stale */
    ck_assert_int_eq(kf_calendar_busy_known("error", now - 3600, now, 21600), 1);
    ck_assert_int_eq(kf_calendar_busy_known("error", now - 30000, now, 21600), 0);
    ck_assert(kf_calendar_busy_known_until("connected", now - 10, 21600) == now - 10 + 21601);
    ck_assert(kf_calendar_busy_known_until(NULL, 0, 21600) == APR_INT64_MAX);
    ck_assert(kf_calendar_busy_known_until("connected", 0, 21600) == APR_INT64_MAX);
}
END_TEST

START_TEST(holds_reread_busy_times_older_than_a_minute)
{
    apr_int64_t now = 5000;
    ck_assert_int_eq(kf_calendar_hold_must_refresh("connected", now - 60, now, 0), 0);
    ck_assert_int_eq(kf_calendar_hold_must_refresh("connected", now - 61, now, 0), 1);
    ck_assert_int_eq(kf_calendar_hold_must_refresh("connected", 0, now, 0), 1);
    /* a read that just failed waits for its retry: holds do not each wait for a timeout */
    ck_assert_int_eq(kf_calendar_hold_must_refresh("connected", now - 600, now, 1), 0);
    /* a grant in error cannot be read: the stored times (or none) decide */
    ck_assert_int_eq(kf_calendar_hold_must_refresh("error", now - 600, now, 0), 0);
    ck_assert_int_eq(kf_calendar_hold_must_refresh(NULL, 0, now, 0), 0);
}
END_TEST

START_TEST(event_action_follows_the_booking)
{
    kf_cal_event_facts f = {1, 1, "p1", 100, 200, NULL, NULL, 0, 0, 0, 0};
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_CREATE);
    f.calendar = 0;
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_NOTHING);
    f.calendar = 1;
    f.event_id = "e1";
    f.written_professional = "p1";
    f.written_start = 100;
    f.written_end = 200;
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_NOTHING);
    f.start = 300;
    f.end = 400;
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_MOVE);
    f.professional_id = "p2";
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_REPLACE);
    f.calendar = 0;
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_DELETE);
    f.calendar = 1;
    f.booked = 0;
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_DELETE);
    f.event_id = NULL;
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_NOTHING);
    ck_assert_str_eq(kf_calendar_event_action_name(KF_CAL_EVENT_REPLACE), "replace");
}
END_TEST

START_TEST(retries_back_off_to_an_hour)
{
    ck_assert_int_eq(kf_calendar_retry_seconds(1), 30);
    ck_assert_int_eq(kf_calendar_retry_seconds(2), 60);
    ck_assert_int_eq(kf_calendar_retry_seconds(4), 240);
    ck_assert_int_eq(kf_calendar_retry_seconds(50), 3600);
}
END_TEST

START_TEST(busy_merge_sorts_and_joins)
{
    apr_array_header_t *a = apr_array_make(pool, 4, sizeof(kf_cal_busy));
    kf_cal_busy in[] = {{50, 60}, {10, 20}, {20, 30}, {55, 70}, {80, 80}, {15, 18}};
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        *(kf_cal_busy *)apr_array_push(a) = in[i];
    }
    ck_assert_int_eq(kf_calendar_busy_merge(a), 2);
    kf_cal_busy *b = (kf_cal_busy *)a->elts;
    ck_assert(b[0].start == 10 && b[0].end == 30);
    ck_assert(b[1].start == 50 && b[1].end == 70);
}
END_TEST

START_TEST(a_channel_is_believed_only_with_its_own_secret)
{
    unsigned char key[KF_KEY_LEN];
    memset(key, 5, sizeof key);
    kf_keyring *keys = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(keys, key, 1), APR_SUCCESS);
    const char *row[KF_CAL_CHANNEL_COLUMNS] = {
        "p-1", kf_seal_text(pool, keys, "chan-secret", kf_calendar_channel_aad(pool, "p-1")),
    };
    ck_assert_str_eq(kf_calendar_channel_secret(pool, keys, row), "chan-secret");
    ck_assert_str_eq(kf_calendar_channel_owner(pool, keys, row, "chan-secret"), "p-1");
    ck_assert_ptr_null(kf_calendar_channel_owner(pool, keys, row, "chan-secreT"));
    ck_assert_ptr_null(kf_calendar_channel_owner(pool, keys, row, NULL));
    /* sealed for another professional: never this one's */
    row[KF_CAL_CHANNEL_PROFESSIONAL] = "p-2";
    ck_assert_ptr_null(kf_calendar_channel_secret(pool, keys, row));
    ck_assert_ptr_null(kf_calendar_channel_owner(pool, keys, row, "chan-secret"));
}
END_TEST

START_TEST(an_oauth_trip_keeps_its_invitation_and_verifier_sealed)
{
    ck_assert_ptr_null(kf_calendar_oauth_trip_start(pool, NULL, "inv-token"));
    unsigned char key[KF_KEY_LEN];
    memset(key, 5, sizeof key);
    kf_keyring *keys = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(keys, key, 1), APR_SUCCESS);
    const kf_calendar_oauth_trip *t = kf_calendar_oauth_trip_start(pool, keys, "inv-token");
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(kf_token_shape_ok(t->state), 1);
    ck_assert_str_eq(t->state_hash, kf_sha256_hex(pool, t->state, strlen(t->state)));
    ck_assert_str_eq(t->invitation_hash, kf_sha256_hex(pool, "inv-token", 9));
    ck_assert_str_eq(kf_open_text(pool, keys, t->invitation_sealed,
                                  KF_CALENDAR_STATE_INVITATION_AAD), "inv-token");
    const char *verifier = kf_open_text(pool, keys, t->verifier_sealed,
                                        KF_CALENDAR_STATE_VERIFIER_AAD);
    ck_assert_ptr_nonnull(verifier);
    ck_assert_str_eq(t->challenge, kf_calendar_pkce_challenge(pool, verifier));
    /* each trip its own state and verifier */
    const kf_calendar_oauth_trip *u = kf_calendar_oauth_trip_start(pool, keys, "inv-token");
    ck_assert_str_ne(u->state, t->state);
    ck_assert_str_ne(u->challenge, t->challenge);
}
END_TEST

/* PROVIDERS.md "Cal.com": the webhook vector */
START_TEST(calcom_signature_vector)
{
    const char *body = "{\"triggerEvent\":\"BOOKING_CREATED\",\"createdAt\":\"2024-01-01T00:00:00.000Z\","
                       "\"payload\":{\"uid\":\"abc\"}}";
    const char *sig = "0d7dde5a4a7ae73a96d8fb8a28d28fd1579aecf5a2966840abc5f26836d532e6";
    ck_assert_int_eq(kf_calendar_calcom_signature_ok(pool, "cal_secret", body, strlen(body), sig), 1);
    ck_assert_int_eq(kf_calendar_calcom_signature_ok(pool, "cal_secret", body, strlen(body),
                                                     "0D7DDE5A4A7AE73A96D8FB8A28D28FD1579AECF5A2966840ABC5F26836D532E6"), 1);
    ck_assert_int_eq(kf_calendar_calcom_signature_ok(pool, "other", body, strlen(body), sig), 0);
    ck_assert_int_eq(kf_calendar_calcom_signature_ok(pool, "cal_secret", body, strlen(body) - 1, sig), 0);
    ck_assert_int_eq(kf_calendar_calcom_signature_ok(pool, "cal_secret", body, strlen(body), NULL), 0);
    ck_assert_int_eq(kf_calendar_calcom_signature_ok(pool, "cal_secret", body, strlen(body), "abc"), 0);
}
END_TEST

START_TEST(graph_notices_name_subscription_and_client_state)
{
    const char *body = "{\"value\": [{\"subscriptionId\": \"s1\", \"clientState\": \"c1\","
                       " \"changeType\": \"created\"}, {\"subscriptionId\": \"s2\"}]}";
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(kf_cal_notice));
    ck_assert_int_eq(kf_calendar_graph_notices(pool, body, strlen(body), out), 1);
    ck_assert_int_eq(out->nelts, 2);
    kf_cal_notice *n = (kf_cal_notice *)out->elts;
    ck_assert_str_eq(n[0].channel_id, "s1");
    ck_assert_str_eq(n[0].secret, "c1");
    ck_assert_ptr_null(n[1].secret);
    out->nelts = 0;
    ck_assert_int_eq(kf_calendar_graph_notices(pool, "{\"value\": []}", 13, out), 0);
    ck_assert_int_eq(kf_calendar_graph_notices(pool, "[1]", 3, out), 0);
    ck_assert_int_eq(kf_calendar_graph_notices(pool, "{\"value\": [{\"x\": 1}]}", 20, out), 0);
}
END_TEST

/* ------------------------------------------------------------------ providers (fake HTTP) */

typedef struct {
    const char *match[4];    /* URL substrings, answered in order by the same index */
    int status[4];
    const char *body[4];
    const char *url, *method, *auth, *version, *prefer, *sent;
    int calls;
} fake_api;

static apr_status_t fake_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                 kf_http_response **resp, const char **why)
{
    fake_api *f = baton;
    f->calls++;
    f->url = apr_pstrdup(p, req->url);
    f->method = apr_pstrdup(p, req->method);
    f->auth = apr_table_get(req->headers, "Authorization");
    f->version = apr_table_get(req->headers, "cal-api-version");
    f->prefer = apr_table_get(req->headers, "Prefer");
    f->sent = req->body ? apr_pstrndup(p, req->body, req->body_len) : NULL;
    for (int i = 0; i < 4 && f->match[i]; i++) {
        if (strstr(req->url, f->match[i])) {
            kf_http_response *r = apr_pcalloc(p, sizeof(*r));
            r->status = f->status[i];
            r->headers = apr_table_make(p, 1);
            r->body = f->body[i];
            r->body_len = strlen(r->body);
            *resp = r;
            return APR_SUCCESS;
        }
    }
    *why = "no route in the fake";
    return APR_ECONNREFUSED;
}

static const kf_http_impl fake_impl = {"fake-calendar", fake_perform};

static kf_http_client *client(fake_api *f)
{
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, f);
    kf_http_allow_insecure_prefix(c, "http://cal.test");
    return c;
}

static const kf_calendar_endpoints test_ep = {"http://cal.test/auth", "http://cal.test/token",
                                              "http://cal.test/api"};

START_TEST(google_authorize_url_asks_offline_consent)
{
    kf_calendar_app app = {"cid.apps", "secret"};
    const char *url = kf_calendar_google.authorize_url(pool, &test_ep, &app,
                                                       "https://k.example/api/oauth/google/callback",
                                                       "st ate", "ch-1");
    ck_assert_ptr_nonnull(strstr(url, "http://cal.test/auth/o/oauth2/v2/auth?client_id=cid.apps"));
    ck_assert_ptr_nonnull(strstr(url, "access_type=offline"));
    ck_assert_ptr_nonnull(strstr(url, "prompt=consent"));
    ck_assert_ptr_nonnull(strstr(url, "response_type=code"));
    ck_assert_ptr_nonnull(strstr(url, "state=st%20ate"));
    ck_assert_ptr_nonnull(strstr(url, "redirect_uri=https%3A%2F%2Fk.example%2Fapi%2Foauth%2Fgoogle%2Fcallback"));
    ck_assert_ptr_null(strstr(url, "secret"));
    /* PKCE, and only the calendar list, busy times and events: never the whole calendar or
     * earlier grants */
    ck_assert_ptr_nonnull(strstr(url, "code_challenge=ch-1&code_challenge_method=S256"));
    ck_assert_ptr_nonnull(strstr(url, "scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcalendar."
                                      "calendarlist.readonly"
                                      "%20https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcalendar.freebusy"
                                      "%20https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcalendar.events&"));
    ck_assert_ptr_null(strstr(url, "calendar.readonly"));
    ck_assert_ptr_null(strstr(url, "include_granted_scopes"));
    const char *ms = kf_calendar_microsoft.authorize_url(pool, &test_ep, &app, "https://k/cb", "s",
                                                         "ch-2");
    ck_assert_ptr_nonnull(strstr(ms, "http://cal.test/auth/common/oauth2/v2.0/authorize?"));
    ck_assert_ptr_nonnull(strstr(ms, "scope=offline_access%20Calendars.ReadWrite&"));
    ck_assert_ptr_nonnull(strstr(ms, "code_challenge=ch-2&code_challenge_method=S256"));
}
END_TEST

START_TEST(pkce_challenge_is_s256_of_the_verifier)
{
    /* RFC 7636 appendix B's shape; the challenge computed with Python's hashlib and base64 */
    ck_assert_str_eq(kf_calendar_pkce_challenge(pool, "dBjftJeZ4CVP-mJ92K9SBDTNp3gvl8xUvDLmPFwsc3k"),
                     "5wb9GRsRlh1fqCujxiiudQRyxqU-MujQQfUjTxjlv0s");
    ck_assert_ptr_null(kf_calendar_pkce_challenge(pool, NULL));
    const char *a = kf_calendar_pkce_verifier(pool), *b = kf_calendar_pkce_verifier(pool);
    /* 43..128 unreserved characters (RFC 7636 4.1), a new one each time */
    ck_assert_uint_eq(strlen(a), 43);
    ck_assert_uint_eq(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"), 43);
    ck_assert_str_ne(a, b);
    ck_assert_uint_eq(strlen(kf_calendar_pkce_challenge(pool, a)), 43);
}
END_TEST

START_TEST(google_account_is_the_primary_calendars_name)
{
    fake_api f = {.match = {"/calendars/primary/events?maxResults=1"}, .status = {200},
                  .body = {"{\"kind\": \"calendar#events\", \"summary\": \"ana@example.com\", \"items\": []}"}};
    kf_calendar_grant g = {.access_token = "at1", .calendar_id = "primary"};
    const char *account = NULL, *why = NULL;
    ck_assert_int_eq(kf_calendar_google.account(pool, client(&f), &test_ep, &g, &account, &why),
                     KF_CAL_OK);
    ck_assert_str_eq(account, "ana@example.com");
    ck_assert_str_eq(f.auth, "Bearer at1");
    f.body[0] = "{\"kind\": \"calendar#events\", \"items\": []}";
    ck_assert_int_eq(kf_calendar_google.account(pool, client(&f), &test_ep, &g, &account, &why),
                     KF_CAL_OK);
    ck_assert_str_eq(account, "primary");
    f.status[0] = 403;
    f.body[0] = "{}";
    ck_assert_int_ne(kf_calendar_google.account(pool, client(&f), &test_ep, &g, &account, &why),
                     KF_CAL_OK);
}
END_TEST

START_TEST(token_answers_and_invalid_grant)
{
    fake_api f = {.match = {"/token"}, .status = {200}, .body = {"{\"access_token\": \"at1\", \"expires_in\": 3599,"
                                      " \"token_type\": \"Bearer\", \"refresh_token\": \"rt1\"}"}};
    kf_calendar_app app = {"cid", "csecret"};
    kf_calendar_tokens t;
    const char *why = NULL;
    ck_assert_int_eq(kf_calendar_google.exchange_code(pool, client(&f), &test_ep, &app, "c0de",
                                                      "v3rifier", "https://k/cb", &t, &why), KF_CAL_OK);
    ck_assert_str_eq(t.access_token, "at1");
    ck_assert_str_eq(t.refresh_token, "rt1");
    ck_assert(t.expires_in == 3599);
    ck_assert_str_eq(f.url, "http://cal.test/token/token");
    ck_assert_ptr_nonnull(strstr(f.sent, "grant_type=authorization_code"));
    ck_assert_ptr_nonnull(strstr(f.sent, "code=c0de"));
    ck_assert_ptr_nonnull(strstr(f.sent, "code_verifier=v3rifier"));
    ck_assert_ptr_nonnull(strstr(f.sent, "client_secret=csecret"));

    f.status[0] = 400;
    f.body[0] = "{\"error\": \"invalid_grant\", \"error_description\": \"Token has been expired or revoked.\"}";
    ck_assert_int_eq(kf_calendar_google.refresh(pool, client(&f), &test_ep, &app, "rt1", &t, &why),
                     KF_CAL_REVOKED);
    ck_assert_ptr_nonnull(strstr(why, "invalid_grant"));
    ck_assert_ptr_null(strstr(why, "rt1"));
    f.body[0] = "{\"error\": \"invalid_grant\", \"error_description\": \"AADSTS70008: expired.\\r\\nTrace ID: x\","
                " \"error_codes\": [70008]}";
    ck_assert_int_eq(kf_calendar_microsoft.refresh(pool, client(&f), &test_ep, &app, "rt1", &t, &why),
                     KF_CAL_REVOKED);
    ck_assert_ptr_null(strstr(why, "Trace ID"));
    ck_assert_str_eq(f.url, "http://cal.test/token/common/oauth2/v2.0/token");
    f.status[0] = 503;
    f.body[0] = "unavailable";
    ck_assert_int_eq(kf_calendar_google.refresh(pool, client(&f), &test_ep, &app, "rt1", &t, &why),
                     KF_CAL_RETRY);
    f.status[0] = 200;
    f.body[0] = "{\"token_type\": \"Bearer\"}";
    ck_assert_int_eq(kf_calendar_google.refresh(pool, client(&f), &test_ep, &app, "rt1", &t, &why),
                     KF_CAL_RETRY);
}
END_TEST

START_TEST(google_free_busy)
{
    fake_api f = {.match = {"/freeBusy"}, .status = {200}, .body = {"{\"kind\": \"calendar#freeBusy\", \"calendars\": {\"primary\": {\"busy\": ["
                   "{\"start\": \"2026-12-01T15:00:00Z\", \"end\": \"2026-12-01T16:00:00Z\"},"
                   "{\"start\": \"2026-12-01T12:30:00-05:00\", \"end\": \"2026-12-01T18:00:00Z\"}]}}}"}};
    kf_calendar_grant g = {.access_token = "tok"};
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(kf_cal_busy));
    const char *why = NULL;
    ck_assert_int_eq(kf_calendar_google.busy(pool, client(&f), &test_ep, &g, at("2026-12-01T00:00:00Z"),
                                             at("2026-12-02T00:00:00Z"), out, &why), KF_CAL_OK);
    ck_assert_int_eq(out->nelts, 2);
    kf_cal_busy *b = (kf_cal_busy *)out->elts;
    ck_assert(b[0].start == at("2026-12-01T15:00:00Z"));
    ck_assert(b[1].start == at("2026-12-01T17:30:00Z"));
    ck_assert_str_eq(f.auth, "Bearer tok");
    ck_assert_str_eq(f.method, "POST");
    ck_assert_ptr_nonnull(strstr(f.sent, "\"timeMin\":\"2026-12-01T00:00:00Z\""));
    ck_assert_ptr_nonnull(strstr(f.sent, "\"id\":\"primary\""));

    /* an error for the calendar: its busy times are unknown, never "free" */
    f.body[0] = "{\"calendars\": {\"primary\": {\"errors\": [{\"domain\": \"global\","
                " \"reason\": \"notFound\"}], \"busy\": []}}}";
    out->nelts = 0;
    ck_assert_int_ne(kf_calendar_google.busy(pool, client(&f), &test_ep, &g, 0, 100, out, &why), KF_CAL_OK);
    f.status[0] = 401;
    f.body[0] = "{\"error\": {\"code\": 401, \"message\": \"Request had invalid authentication credentials.\"}}";
    ck_assert_int_eq(kf_calendar_google.busy(pool, client(&f), &test_ep, &g, 0, 100, out, &why), KF_CAL_RETRY);
    ck_assert_ptr_nonnull(strstr(why, "401"));
}
END_TEST

START_TEST(google_event_and_watch)
{
    fake_api f = {.match = {"/events/watch", "/events"}, .status = {200, 200}, .body = {"{\"kind\": \"api#channel\", \"id\": \"x\", \"resourceId\": \"res-1\","
                   " \"expiration\": \"1800000000000\"}",
                   "{\"id\": \"ev-9\", \"status\": \"confirmed\"}"}};
    kf_calendar_grant g = {.access_token = "tok", .calendar_id = "primary"};
    kf_cal_event ev = {"Corte — Ana", "Booked in Konfirmado", at("2026-12-01T14:00:00Z"),
                       at("2026-12-01T15:00:00Z"), "America/Bogota", NULL, NULL, "Ana", "ana@x.co",
                       "res-uuid", NULL, NULL, NULL};
    const char *id = NULL, *why = NULL;
    ck_assert_int_eq(kf_calendar_google.put_event(pool, client(&f), &test_ep, &g, &ev, NULL, &id, &why),
                     KF_CAL_OK);
    ck_assert_str_eq(id, "ev-9");
    ck_assert_str_eq(f.method, "POST");
    ck_assert_str_eq(f.url, "http://cal.test/api/calendars/primary/events?sendUpdates=none");
    ck_assert_ptr_nonnull(strstr(f.sent, "\"dateTime\":\"2026-12-01T14:00:00Z\""));
    ck_assert_ptr_null(strstr(f.sent, "attendees"));
    ck_assert_int_eq(kf_calendar_google.put_event(pool, client(&f), &test_ep, &g, &ev, "ev-9", &id, &why),
                     KF_CAL_OK);
    ck_assert_str_eq(f.method, "PATCH");
    ck_assert_str_eq(f.url, "http://cal.test/api/calendars/primary/events/ev-9?sendUpdates=none");
    ck_assert_ptr_null(strstr(f.sent, "conferenceData"));

    /* a Meet room asked: createRequest, and conferenceDataVersion=1 without which Google
     * ignores it; the join URL read from the answer */
    const char *join = NULL;
    ev.conference = kf_calendar_google.conference;
    ev.conference_request = "kf-res-uuid";
    ev.join_url = &join;
    f.body[1] = "{\"id\": \"ev-9\", \"hangoutLink\": \"https://meet.google.com/abc-defg-hij\"}";
    ck_assert_int_eq(kf_calendar_google.put_event(pool, client(&f), &test_ep, &g, &ev, NULL, &id, &why),
                     KF_CAL_OK);
    ck_assert_str_eq(f.url, "http://cal.test/api/calendars/primary/events?sendUpdates=none"
                            "&conferenceDataVersion=1");
    ck_assert_ptr_nonnull(strstr(f.sent, "\"createRequest\":{\"requestId\":\"kf-res-uuid\","
                                         "\"conferenceSolutionKey\":{\"type\":\"hangoutsMeet\"}}"));
    ck_assert_str_eq(join, "https://meet.google.com/abc-defg-hij");
    /* a pending room: no link yet */
    f.body[1] = "{\"id\": \"ev-9\", \"conferenceData\": {\"createRequest\": {\"status\":"
                " {\"statusCode\": \"pending\"}}}}";
    ck_assert_int_eq(kf_calendar_google.put_event(pool, client(&f), &test_ep, &g, &ev, "ev-9", &id, &why),
                     KF_CAL_OK);
    ck_assert_ptr_null(join);
    ev.conference = NULL;
    ev.join_url = NULL;

    kf_cal_channel ch;
    ck_assert_int_eq(kf_calendar_google.watch(pool, client(&f), &test_ep, &g, "https://k/api/webhooks/google",
                                              "s3cret", 1000, 604800, &ch, &why), KF_CAL_OK);
    ck_assert_str_eq(ch.resource, "res-1");
    ck_assert(ch.expires_at == 1800000000);
    ck_assert_ptr_nonnull(strstr(f.sent, "\"token\":\"s3cret\""));
    ck_assert_ptr_nonnull(strstr(f.sent, "\"type\":\"web_hook\""));
    ck_assert(strncmp(ch.id, "kf-", 3) == 0);
}
END_TEST

START_TEST(microsoft_teams_meeting)
{
    fake_api f = {.match = {"/me/events"}, .status = {201},
                  .body = {"{\"id\": \"AAMk1\", \"isOnlineMeeting\": true, \"onlineMeeting\":"
                           " {\"joinUrl\": \"https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0\"}}"}};
    kf_calendar_grant g = {.access_token = "tok"};
    const char *join = NULL, *id = NULL, *why = NULL;
    kf_cal_event ev = {"Corte — Ana", "Booked in Konfirmado", at("2026-12-01T14:00:00Z"),
                       at("2026-12-01T15:00:00Z"), "America/Bogota", NULL, NULL, "Ana", "ana@x.co",
                       "res-uuid", kf_calendar_microsoft.conference, "kf-res-uuid", &join};
    ck_assert_int_eq(kf_calendar_microsoft.put_event(pool, client(&f), &test_ep, &g, &ev, NULL, &id,
                                                     &why), KF_CAL_OK);
    ck_assert_ptr_nonnull(strstr(f.sent, "\"isOnlineMeeting\":true"));
    ck_assert_ptr_nonnull(strstr(f.sent, "\"onlineMeetingProvider\":\"teamsForBusiness\""));
    ck_assert_str_eq(join, "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0");
    ev.conference = NULL;
    ck_assert_int_eq(kf_calendar_microsoft.put_event(pool, client(&f), &test_ep, &g, &ev, NULL, &id,
                                                     &why), KF_CAL_OK);
    ck_assert_ptr_null(strstr(f.sent, "isOnlineMeeting"));
}
END_TEST

START_TEST(microsoft_calendar_view_pages_and_show_as)
{
    fake_api f = {.match = {"skip=100", "/me/calendarView"}, .status = {200, 200}, .body = {"{\"value\": [{\"showAs\": \"tentative\", \"isCancelled\": false,"
                   " \"start\": {\"dateTime\": \"2026-12-02T10:00:00.0000000\", \"timeZone\": \"UTC\"},"
                   " \"end\": {\"dateTime\": \"2026-12-02T11:00:00.0000000\", \"timeZone\": \"UTC\"}}]}",
                   "{\"value\": [{\"showAs\": \"busy\", \"isCancelled\": false,"
                   " \"start\": {\"dateTime\": \"2026-12-01T14:00:00.0000000\", \"timeZone\": \"UTC\"},"
                   " \"end\": {\"dateTime\": \"2026-12-01T15:30:00.0000000\", \"timeZone\": \"UTC\"}},"
                   " {\"showAs\": \"free\", \"isCancelled\": false,"
                   " \"start\": {\"dateTime\": \"2026-12-01T16:00:00.0000000\", \"timeZone\": \"UTC\"},"
                   " \"end\": {\"dateTime\": \"2026-12-01T17:00:00.0000000\", \"timeZone\": \"UTC\"}},"
                   " {\"showAs\": \"busy\", \"isCancelled\": true,"
                   " \"start\": {\"dateTime\": \"2026-12-01T18:00:00.0000000\", \"timeZone\": \"UTC\"},"
                   " \"end\": {\"dateTime\": \"2026-12-01T19:00:00.0000000\", \"timeZone\": \"UTC\"}}],"
                   " \"@odata.nextLink\": \"http://cal.test/api/me/calendarView?skip=100\"}"}};
    kf_calendar_grant g = {.access_token = "tok"};
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(kf_cal_busy));
    const char *why = NULL;
    ck_assert_int_eq(kf_calendar_microsoft.busy(pool, client(&f), &test_ep, &g, at("2026-12-01T00:00:00Z"),
                                                at("2026-12-03T00:00:00Z"), out, &why), KF_CAL_OK);
    ck_assert_int_eq(f.calls, 2);
    ck_assert_int_eq(out->nelts, 2);
    kf_cal_busy *b = (kf_cal_busy *)out->elts;
    ck_assert(b[0].start == at("2026-12-01T14:00:00Z") && b[0].end == at("2026-12-01T15:30:00Z"));
    ck_assert(b[1].start == at("2026-12-02T10:00:00Z"));
    ck_assert_str_eq(f.prefer, "outlook.timezone=\"UTC\"");
}
END_TEST

START_TEST(calcom_bookings_are_busy_and_a_refused_key_is_revoked)
{
    fake_api f = {.match = {"/v2/bookings"}, .status = {200}, .body = {"{\"status\": \"success\", \"data\": ["
                   "{\"uid\": \"a\", \"status\": \"accepted\", \"start\": \"2026-12-01T14:00:00.000Z\","
                   " \"end\": \"2026-12-01T15:00:00.000Z\"},"
                   "{\"uid\": \"b\", \"status\": \"cancelled\", \"start\": \"2026-12-01T16:00:00.000Z\","
                   " \"end\": \"2026-12-01T17:00:00.000Z\"}], \"pagination\": {}}"}};
    kf_calendar_grant g = {.access_token = "cal_live_x", .event_type_id = "1001"};
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(kf_cal_busy));
    const char *why = NULL;
    ck_assert_int_eq(kf_calendar_calcom.busy(pool, client(&f), &test_ep, &g, at("2026-12-01T00:00:00Z"),
                                             at("2026-12-03T00:00:00Z"), out, &why), KF_CAL_OK);
    ck_assert_int_eq(out->nelts, 1);
    ck_assert_str_eq(f.version, KF_CALCOM_BOOKINGS_VERSION);
    ck_assert_str_eq(f.auth, "Bearer cal_live_x");
    ck_assert_ptr_nonnull(strstr(f.url, "status=upcoming%2Cunconfirmed"));
    f.status[0] = 401;
    f.body[0] = "{\"status\": \"error\", \"error\": {\"code\": \"UNAUTHORIZED\", \"message\": \"Invalid Access Token.\"}}";
    ck_assert_int_eq(kf_calendar_calcom.busy(pool, client(&f), &test_ep, &g, 0, 100, out, &why),
                     KF_CAL_REVOKED);
    ck_assert_ptr_nonnull(strstr(why, "UNAUTHORIZED"));
    ck_assert_ptr_null(strstr(why, "cal_live_x"));
}
END_TEST

START_TEST(calcom_bookings_are_read_page_by_page)
{
    /* a full page of 100 asks for the next one; a short page ends the reading */
    char *full = apr_pstrdup(pool, "{\"status\": \"success\", \"data\": [");
    for (int i = 0; i < 100; i++) {
        full = apr_psprintf(pool, "%s%s{\"uid\": \"u%d\", \"status\": \"accepted\","
                            " \"start\": \"2026-12-01T%02d:00:00.000Z\", \"end\": \"2026-12-01T%02d:30:00.000Z\"}",
                            full, i ? "," : "", i, i % 24, i % 24);
    }
    full = apr_pstrcat(pool, full, "]}", NULL);
    fake_api f = {.match = {"skip=0", "skip=100"}, .status = {200, 200},
                  .body = {full, "{\"status\": \"success\", \"data\": [{\"uid\": \"last\", \"status\": \"accepted\","
                           " \"start\": \"2026-12-05T10:00:00.000Z\", \"end\": \"2026-12-05T11:00:00.000Z\"}]}"}};
    kf_calendar_grant g = {.access_token = "cal_live_x"};
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(kf_cal_busy));
    const char *why = NULL;
    ck_assert_int_eq(kf_calendar_calcom.busy(pool, client(&f), &test_ep, &g, at("2026-12-01T00:00:00Z"),
                                             at("2026-12-10T00:00:00Z"), out, &why), KF_CAL_OK);
    ck_assert_int_eq(f.calls, 2);
    ck_assert_ptr_nonnull(strstr(f.url, "take=100&skip=100"));
    ck_assert_int_eq(out->nelts, 101);
    ck_assert(((kf_cal_busy *)out->elts)[100].start == at("2026-12-05T10:00:00Z"));
}
END_TEST

START_TEST(calcom_slots_are_its_bookable_hours)
{
    fake_api f = {.match = {"/v2/slots"}, .status = {200},
                  .body = {"{\"status\": \"success\", \"data\": {"
                           "\"2026-12-01\": [{\"start\": \"2026-12-01T09:00:00.000-05:00\"},"
                           " {\"start\": \"2026-12-01T10:00:00.000-05:00\"},"
                           " {\"start\": \"2026-12-01T12:00:00.000-05:00\"}],"
                           "\"2026-12-02\": [{\"start\": \"2026-12-02T14:00:00.000Z\"}]}}"}};
    kf_calendar_grant g = {.access_token = "cal_live_x"};
    apr_array_header_t *out = apr_array_make(pool, 2, sizeof(kf_cal_busy));
    const char *why = NULL;
    int known = -1;
    /* no event type: Cal.com has no hours to give, and is not asked */
    ck_assert_int_eq(kf_calendar_calcom.bookable(pool, client(&f), &test_ep, &g, at("2026-12-01T00:00:00Z"),
                                                 at("2026-12-03T00:00:00Z"), out, &known, &why), KF_CAL_OK);
    ck_assert_int_eq(known, 0);
    ck_assert_int_eq(f.calls, 0);
    g.event_type_id = "1001";
    ck_assert_int_eq(kf_calendar_calcom.bookable(pool, client(&f), &test_ep, &g, at("2026-12-01T00:00:00Z"),
                                                 at("2026-12-03T00:00:00Z"), out, &known, &why), KF_CAL_OK);
    ck_assert_int_eq(known, 1);
    ck_assert_str_eq(f.version, KF_CALCOM_SLOTS_VERSION);
    ck_assert_ptr_nonnull(strstr(f.url, "/v2/slots?eventTypeId=1001&start=2026-12-01T00%3A00%3A00Z"
                                        "&end=2026-12-03T00%3A00%3A00Z"));
    /* hourly starts: 09:00-11:00 and 12:00-13:00 in Bogotá, and the next day's hour */
    ck_assert_int_eq(out->nelts, 3);
    kf_cal_busy *b = (kf_cal_busy *)out->elts;
    ck_assert(b[0].start == at("2026-12-01T14:00:00Z") && b[0].end == at("2026-12-01T16:00:00Z"));
    ck_assert(b[1].start == at("2026-12-01T17:00:00Z") && b[1].end == at("2026-12-01T18:00:00Z"));
    ck_assert(b[2].start == at("2026-12-02T14:00:00Z") && b[2].end == at("2026-12-02T15:00:00Z"));
    f.body[0] = "{\"status\": \"success\", \"data\": {\"2026-12-01\": [{\"begin\": 1}]}}";
    ck_assert_int_eq(kf_calendar_calcom.bookable(pool, client(&f), &test_ep, &g, 0, 100, out, &known, &why),
                     KF_CAL_RETRY);
    f.status[0] = 401;
    f.body[0] = "{\"status\": \"error\", \"error\": {\"code\": \"UNAUTHORIZED\", \"message\": \"Invalid Access Token.\"}}";
    ck_assert_int_eq(kf_calendar_calcom.bookable(pool, client(&f), &test_ep, &g, 0, 100, out, &known, &why),
                     KF_CAL_REVOKED);
    ck_assert_ptr_null(kf_calendar_google.bookable);
    ck_assert_ptr_null(kf_calendar_microsoft.bookable);
}
END_TEST

START_TEST(bookable_starts_offer_their_step)
{
    apr_array_header_t *starts = apr_array_make(pool, 4, sizeof(apr_int64_t));
    apr_array_header_t *out = apr_array_make(pool, 4, sizeof(kf_cal_busy));
    /* every 30 minutes from 1000, a gap, then 5000; out of order and repeated */
    apr_int64_t s[] = {2800, 1000, 5000, 1000, 2800, 1900};
    for (int i = 0; i < 6; i++) {
        *(apr_int64_t *)apr_array_push(starts) = s[i];
    }
    kf_calendar_bookable_of_starts(starts, out);
    ck_assert_int_eq(out->nelts, 2);
    kf_cal_busy *b = (kf_cal_busy *)out->elts;
    ck_assert(b[0].start == 1000 && b[0].end == 3700);
    ck_assert(b[1].start == 5000 && b[1].end == 5900);
    /* one start alone: a short time, never more than Cal.com may mean */
    starts->nelts = 0;
    out->nelts = 0;
    *(apr_int64_t *)apr_array_push(starts) = 7200;
    kf_calendar_bookable_of_starts(starts, out);
    ck_assert_int_eq(out->nelts, 1);
    ck_assert(((kf_cal_busy *)out->elts)[0].end == 7200 + KF_CALCOM_LONE_SLOT_SECONDS);
    starts->nelts = 0;
    out->nelts = 0;
    kf_calendar_bookable_of_starts(starts, out);
    ck_assert_int_eq(out->nelts, 0);
}
END_TEST

START_TEST(calcom_writes_with_an_event_type_only)
{
    fake_api f = {.match = {"/reschedule", "/v2/bookings"}, .status = {201, 201}, .body = {"{\"status\": \"success\", \"data\": {\"uid\": \"new-uid\"}}",
                   "{\"status\": \"success\", \"data\": {\"id\": 5, \"uid\": \"first-uid\"}}"}};
    kf_calendar_grant g = {.access_token = "cal_live_x"};
    kf_cal_event ev = {"Corte — Ana", "", at("2026-12-01T14:00:00Z"), at("2026-12-01T15:00:00Z"),
                       "America/Bogota", NULL, NULL, "Ana", "ana@x.co", "res-uuid", NULL, NULL, NULL};
    const char *id = NULL, *why = NULL;
    ck_assert_int_eq(kf_calendar_calcom.put_event(pool, client(&f), &test_ep, &g, &ev, NULL, &id, &why),
                     KF_CAL_FAILED);
    ck_assert_int_eq(f.calls, 0);
    g.event_type_id = "1001";
    ck_assert_int_eq(kf_calendar_calcom.put_event(pool, client(&f), &test_ep, &g, &ev, NULL, &id, &why),
                     KF_CAL_OK);
    ck_assert_str_eq(id, "first-uid");
    ck_assert_ptr_nonnull(strstr(f.sent, "\"eventTypeId\":1001"));
    ck_assert_ptr_nonnull(strstr(f.sent, "\"lengthInMinutes\":60"));
    ck_assert_ptr_nonnull(strstr(f.sent, "\"start\":\"2026-12-01T14:00:00Z\""));
    ck_assert_ptr_nonnull(strstr(f.sent, "\"email\":\"ana@x.co\""));
    ck_assert_int_eq(kf_calendar_calcom.put_event(pool, client(&f), &test_ep, &g, &ev, "first-uid", &id, &why),
                     KF_CAL_OK);
    ck_assert_str_eq(id, "new-uid");
    ck_assert_str_eq(f.url, "http://cal.test/api/v2/bookings/first-uid/reschedule");
}
END_TEST

START_TEST(calcom_webhook_ids_are_numbers_or_strings)
{
    fake_api f = {.match = {"/v2/webhooks"}, .status = {201},
                  .body = {"{\"status\": \"success\", \"data\": {\"id\": 4242, \"active\": true}}"}};
    kf_calendar_grant g = {.access_token = "cal_live_x"};
    kf_cal_channel ch;
    const char *why = NULL;
    ck_assert_int_eq(kf_calendar_calcom.watch(pool, client(&f), &test_ep, &g, "https://k/api/webhooks/calcom/t",
                                              "sec", 0, 0, &ch, &why), KF_CAL_OK);
    ck_assert_str_eq(ch.id, "4242");
    ck_assert(ch.expires_at == 0);
    ck_assert_ptr_nonnull(strstr(f.sent, "\"secret\":\"sec\""));
    f.body[0] = "{\"status\": \"success\", \"data\": {\"id\": \"wh_1\"}}";
    ck_assert_int_eq(kf_calendar_calcom.watch(pool, client(&f), &test_ep, &g, "https://k/x", "sec", 0, 0,
                                              &ch, &why), KF_CAL_OK);
    ck_assert_str_eq(ch.id, "wh_1");
}
END_TEST

START_TEST(api_url_joins_base_and_path)
{
    const kf_calendar_endpoints slash = {NULL, NULL, "http://cal.test/api/"};
    ck_assert_str_eq(kf_calendar_api_url(pool, &test_ep, "/me/events"),
                     "http://cal.test/api/me/events");
    ck_assert_str_eq(kf_calendar_api_url(pool, &slash, "/me/events"),
                     "http://cal.test/api/me/events");
}
END_TEST

START_TEST(an_event_is_posted_then_patched_by_its_id)
{
    fake_api f = {.match = {"/events"}, .status = {201}, .body = {"{\"id\": \"ev-9\"}"}};
    kf_http_client *c = client(&f);
    const char *id = NULL, *why = NULL;
    ck_assert_int_eq(kf_calendar_write_event(pool, c, "http://cal.test/api/events", "at1",
                                             "{\"a\":1}", NULL, &id, &why),
                     KF_CAL_OK);
    ck_assert_str_eq(f.method, "POST");
    ck_assert_str_eq(f.auth, "Bearer at1");
    ck_assert_str_eq(f.sent, "{\"a\":1}");
    ck_assert_str_eq(id, "ev-9");

    ck_assert_int_eq(kf_calendar_write_event(pool, c, "http://cal.test/api/events/ev-9", "at1",
                                             "{}", "ev-9", &id, &why),
                     KF_CAL_OK);
    ck_assert_str_eq(f.method, "PATCH");
    ck_assert_str_eq(id, "ev-9");

    /* an answer without an id: retried; the id stays the one asked about */
    f.body[0] = "{}";
    ck_assert_int_eq(kf_calendar_write_event(pool, c, "http://cal.test/api/events/ev-9", "at1",
                                             "{}", "ev-9", &id, &why),
                     KF_CAL_RETRY);
    ck_assert_str_eq(id, "ev-9");
    ck_assert_str_eq(why, "the event was answered without an id");

    /* an event gone: what the status says, no id read */
    f.status[0] = 404;
    ck_assert_int_eq(kf_calendar_write_event(pool, c, "http://cal.test/api/events", "at1", "{}",
                                             NULL, &id, &why),
                     KF_CAL_GONE);
    ck_assert_ptr_null(id);
}
END_TEST

START_TEST(providers_are_found_by_name)
{
    ck_assert_ptr_eq(kf_calendar_provider_find("google"), &kf_calendar_google);
    ck_assert_ptr_eq(kf_calendar_provider_find("microsoft"), &kf_calendar_microsoft);
    ck_assert_ptr_eq(kf_calendar_provider_find("calcom"), &kf_calendar_calcom);
    ck_assert_ptr_null(kf_calendar_provider_find("none"));
    ck_assert_ptr_null(kf_calendar_provider_find(NULL));
    ck_assert_ptr_null(kf_calendar_calcom.oauth_client);
    ck_assert_ptr_null(kf_calendar_calcom.authorize_url);
}
END_TEST

static Suite *calendar_suite(void)
{
    Suite *s = suite_create("calendar");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, busy_known_for_six_hours_then_nothing);
    tcase_add_test(tc, holds_reread_busy_times_older_than_a_minute);
    tcase_add_test(tc, event_action_follows_the_booking);
    tcase_add_test(tc, retries_back_off_to_an_hour);
    tcase_add_test(tc, busy_merge_sorts_and_joins);
    tcase_add_test(tc, calcom_signature_vector);
    tcase_add_test(tc, a_channel_is_believed_only_with_its_own_secret);
    tcase_add_test(tc, an_oauth_trip_keeps_its_invitation_and_verifier_sealed);
    tcase_add_test(tc, graph_notices_name_subscription_and_client_state);
    tcase_add_test(tc, google_authorize_url_asks_offline_consent);
    tcase_add_test(tc, pkce_challenge_is_s256_of_the_verifier);
    tcase_add_test(tc, google_account_is_the_primary_calendars_name);
    tcase_add_test(tc, token_answers_and_invalid_grant);
    tcase_add_test(tc, google_free_busy);
    tcase_add_test(tc, google_event_and_watch);
    tcase_add_test(tc, microsoft_teams_meeting);
    tcase_add_test(tc, microsoft_calendar_view_pages_and_show_as);
    tcase_add_test(tc, calcom_bookings_are_busy_and_a_refused_key_is_revoked);
    tcase_add_test(tc, calcom_writes_with_an_event_type_only);
    tcase_add_test(tc, calcom_bookings_are_read_page_by_page);
    tcase_add_test(tc, calcom_slots_are_its_bookable_hours);
    tcase_add_test(tc, bookable_starts_offer_their_step);
    tcase_add_test(tc, calcom_webhook_ids_are_numbers_or_strings);
    tcase_add_test(tc, api_url_joins_base_and_path);
    tcase_add_test(tc, an_event_is_posted_then_patched_by_its_id);
    tcase_add_test(tc, providers_are_found_by_name);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(calendar_suite());
}
