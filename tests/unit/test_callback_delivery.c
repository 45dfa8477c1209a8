/* Unit suite for lib/callbacks/kf_callback_delivery.c and kf_callback_flight.c: what a merchant
 * receives (headers, signatures), what each kind of answer means for the delivery (delivered,
 * retried when, given up), the test ping, the admin view, and which deliveries may start. */
#include "kf_check.h"
#include <string.h>

#include <apr_strings.h>

#include "kf_callback.h"
#include "kf_callback_delivery.h"
#include "kf_callback_flight.h"

#define PING "{\"evento\":\"ping\"}"
#define NOW APR_INT64_C(1795000000)   /* 2026-11-18T11:06:40Z */

START_TEST(request_carries_both_signature_schemes)
{
    const char *why = "x";
    kf_http_request *req = kf_callback_request(pool, "https://shop.example/hook", "whsec_merchant",
                                               "booking.paid", "d-1", PING, NOW, &why);
    ck_assert_ptr_nonnull(req);
    ck_assert_ptr_null(why);
    ck_assert_str_eq(req->method, "POST");
    ck_assert_str_eq(req->url, "https://shop.example/hook");
    ck_assert_str_eq(req->body, PING);
    ck_assert_int_eq(req->filter_addresses, 1);
    ck_assert_int_eq(req->timeout_ms, 10000);
    ck_assert_int_eq(req->max_response_bytes, 1024);
    ck_assert_int_eq(req->truncate_response, 1);
    ck_assert_str_eq(apr_table_get(req->headers, "Content-Type"), "application/json");
    ck_assert_str_eq(apr_table_get(req->headers, "X-Konfirmado-Event"), "booking.paid");
    ck_assert_str_eq(apr_table_get(req->headers, "X-Konfirmado-Delivery"), "d-1");
    ck_assert_ptr_eq(strstr(apr_table_get(req->headers, "User-Agent"), "Konfirmado/"),
                     apr_table_get(req->headers, "User-Agent"));
    /* both computed independently (Python hmac) */
    ck_assert_str_eq(apr_table_get(req->headers, "X-Konfirmado-Signature"),
                     "t=1795000000,v1=e123502955244abec42f0aeab3ac359e98868e8f57f6b38c3812776d306e6c29");
    ck_assert_str_eq(apr_table_get(req->headers, "webhook-id"), "d-1");
    ck_assert_str_eq(apr_table_get(req->headers, "webhook-timestamp"), "1795000000");
    ck_assert_str_eq(apr_table_get(req->headers, "webhook-signature"),
                     "v1,rpk8wHGwxNait2yuCbVvEhIZKzDT6M2X06EdYa2S8FQ=");
}
END_TEST

START_TEST(no_request_without_url_or_secret)
{
    const char *why = NULL;
    ck_assert_ptr_null(kf_callback_request(pool, "", "s", "ping", "d", PING, NOW, &why));
    ck_assert_str_eq(why, "the tenant has no callback_url");
    ck_assert_ptr_null(kf_callback_request(pool, NULL, "s", "ping", "d", PING, NOW, &why));
    ck_assert_str_eq(why, "the tenant has no callback_url");
    ck_assert_ptr_null(kf_callback_request(pool, "https://a.example/", NULL, "ping", "d", PING,
                                           NOW, &why));
    ck_assert_str_eq(why, "the tenant has no callback secret");
    kf_callback_attempt a = kf_callback_attempt_refused(why);
    ck_assert_int_eq(a.status, 0);
    ck_assert_str_eq(a.error, "the tenant has no callback secret");
}
END_TEST

START_TEST(excerpt_keeps_a_kib_of_text)
{
    char big[2000];
    memset(big, 'a', sizeof(big));
    ck_assert_uint_eq(strlen(kf_callback_excerpt(pool, big, sizeof(big))), 1024);
    /* "é" (2 bytes) straddling the limit is dropped, not half-kept */
    memcpy(big + 1023, "\xC3\xA9", 2);
    const char *cut = kf_callback_excerpt(pool, big, sizeof(big));
    ck_assert_uint_eq(strlen(cut), 1023);
    /* NULs and stray bytes become '?' */
    ck_assert_str_eq(kf_callback_excerpt(pool, "\xFFok\0!!!!", 8), "?ok?!!!!");
    /* a stray byte among the last three reads as a character cut by the limit: dropped */
    ck_assert_str_eq(kf_callback_excerpt(pool, "ok\0\xFF!", 5), "ok?");
    ck_assert_str_eq(kf_callback_excerpt(pool, "caf\xC3\xA9", 5), "caf\xC3\xA9");
    ck_assert_str_eq(kf_callback_excerpt(pool, NULL, 0), "");
}
END_TEST

START_TEST(transport_failures_are_one_word)
{
    struct { apr_status_t rv; const char *word; } cases[] = {
        {APR_TIMEUP, "timeout"}, {APR_ECONNREFUSED, "connection_refused"},
        {KF_HTTP_EDNS, "dns_error"}, {KF_HTTP_ETLS, "tls_error"},
        {KF_HTTP_EBLOCKED, "blocked_address"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        kf_callback_attempt a = kf_callback_attempt_of(pool, cases[i].rv, NULL, 1500);
        ck_assert_int_eq(a.status, 0);
        ck_assert_str_eq(a.error, cases[i].word);
        ck_assert_ptr_null(a.excerpt);
        ck_assert_int_eq(a.latency, 1500);
    }
}
END_TEST

START_TEST(an_answer_keeps_status_excerpt_and_latency)
{
    kf_http_response resp = {503, NULL, "busy", 4, 250000, 0};
    kf_callback_attempt a = kf_callback_attempt_of(pool, APR_SUCCESS, &resp, 999);
    ck_assert_int_eq(a.status, 503);
    ck_assert_ptr_null(a.error);
    ck_assert_str_eq(a.excerpt, "busy");
    ck_assert_int_eq(a.latency, 250000);
    resp.elapsed = 0;
    ck_assert_int_eq(kf_callback_attempt_of(pool, APR_SUCCESS, &resp, 999).latency, 999);
}
END_TEST

START_TEST(a_2xx_delivers_anything_else_retries_then_gives_up)
{
    kf_callback_attempt ok = {204, NULL, "", 0};
    kf_callback_next n = kf_callback_after_attempt(pool, &ok, 3, 1);
    ck_assert_int_eq(n.step, KF_CALLBACK_DELIVERED);
    ck_assert_ptr_null(n.last_error);

    kf_callback_attempt http500 = {500, NULL, "oops", 0};
    n = kf_callback_after_attempt(pool, &http500, 1, 1);
    ck_assert_int_eq(n.step, KF_CALLBACK_RETRY);
    ck_assert_str_eq(n.last_error, "HTTP 500");
    ck_assert_int_eq(n.delay, apr_time_from_sec(2));
    /* a redirect is not an acknowledgement */
    kf_callback_attempt moved = {302, NULL, "", 0};
    n = kf_callback_after_attempt(pool, &moved, 5, 1);
    ck_assert_str_eq(n.last_error, "HTTP 302");
    ck_assert_int_eq(n.delay, apr_time_from_sec(60));
    /* tests shorten the schedule */
    n = kf_callback_after_attempt(pool, &http500, 10, 1000);
    ck_assert_int_eq(n.delay, apr_time_from_sec(86400) / 1000);

    kf_callback_attempt timeout = {0, "timeout", NULL, 0};
    n = kf_callback_after_attempt(pool, &timeout, 10, 1);
    ck_assert_int_eq(n.step, KF_CALLBACK_RETRY);
    ck_assert_str_eq(n.last_error, "timeout");
    n = kf_callback_after_attempt(pool, &timeout, KF_CALLBACK_MAX_ATTEMPTS, 1);
    ck_assert_int_eq(n.step, KF_CALLBACK_GIVE_UP);
    ck_assert_str_eq(n.last_error, "timeout");
}
END_TEST

START_TEST(ping_body_and_answers)
{
    ck_assert_str_eq(kf_callback_ping_body(pool, "t-1", NOW),
                     "{\"evento\":\"ping\",\"tenant_id\":\"t-1\",\"enviado_en\":\"2026-11-18T11:06:40Z\"}");
    int status = 0;
    kf_callback_attempt answered = {401, NULL, "nope", 42000};
    json_t *out = kf_callback_ping_answer(&answered, KF_LOCALE_EN, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(kf_json_dump(pool, out), "{\"status\":401,\"latency_ms\":42,\"body\":\"nope\"}");
    json_decref(out);
    kf_callback_attempt refused = {0, "connection_refused", NULL, 0};
    out = kf_callback_ping_answer(&refused, KF_LOCALE_EN, &status);
    ck_assert_int_eq(status, 502);
    ck_assert_str_eq(kf_json_dump(pool, out),
                     "{\"error\":{\"code\":\"callback_failed\",\"message\":\"We could not deliver "
                     "the notification to your server.\",\"reason\":\"connection_refused\"}}");
    json_decref(out);
}
END_TEST

START_TEST(a_resent_callback_is_pending_again_and_a_ping_needs_a_target)
{
    json_t *out = kf_callback_resent_json("d-1");
    json_t *cb = json_object_get(out, "callback");
    ck_assert_str_eq(json_string_value(json_object_get(cb, "delivery_id")), "d-1");
    ck_assert_str_eq(json_string_value(json_object_get(cb, "status")), "pending");
    json_decref(out);
    /* a ping needs somewhere to go and a secret to sign with */
    ck_assert_str_eq(kf_callback_ping_refusal(NULL, "s3cret"), "callback_url_missing");
    ck_assert_str_eq(kf_callback_ping_refusal("", "s3cret"), "callback_url_missing");
    ck_assert_str_eq(kf_callback_ping_refusal("https://m.example/cb", NULL), "callback_secret_missing");
    ck_assert_ptr_null(kf_callback_ping_refusal("https://m.example/cb", "s3cret"));
}
END_TEST

START_TEST(admin_view_of_a_delivery)
{
    const char *v[KF_CB_VIEW_COLUMNS] = {"d-1", "pending", "2", "2026-11-18T11:07:00Z", NULL,
                                         NULL, "timeout"};
    json_t *view = kf_callback_delivery_json(pool, v);
    const char *first[KF_CB_LOG_COLUMNS] = {"1", "500", "120", "oops", "HTTP 500",
                                            "2026-11-18T11:06:40Z"};
    const char *second[KF_CB_LOG_COLUMNS] = {"2", NULL, "10000", NULL, "timeout",
                                             "2026-11-18T11:06:52Z"};
    kf_callback_delivery_log_add(view, first);
    kf_callback_delivery_log_add(view, second);
    ck_assert_str_eq(kf_json_dump(pool, view),
                     "{\"delivery_id\":\"d-1\",\"status\":\"pending\",\"attempts\":2,"
                     "\"next_attempt_at\":\"2026-11-18T11:07:00Z\",\"delivered_at\":null,"
                     "\"last_status_code\":null,\"last_error\":\"timeout\",\"attempt_log\":["
                     "{\"attempt\":1,\"status_code\":500,\"latency_ms\":120,\"response\":\"oops\","
                     "\"error\":\"HTTP 500\",\"at\":\"2026-11-18T11:06:40Z\"},"
                     "{\"attempt\":2,\"status_code\":null,\"latency_ms\":10000,\"response\":null,"
                     "\"error\":\"timeout\",\"at\":\"2026-11-18T11:06:52Z\"}]}");
}
END_TEST

START_TEST(finished_attempts_are_recorded_as_one_batch)
{
    kf_callback_record delivered = {"d-1", 1, "https://shop.example/cb",
                                    {204, NULL, "", apr_time_from_msec(12)}, {0}};
    delivered.next = kf_callback_after_attempt(pool, &delivered.attempt, 1, 1);
    kf_callback_record retried = {"d-2", 3, "https://shop.example/cb",
                                  {0, "timeout", NULL, apr_time_from_sec(10)}, {0}};
    retried.next = kf_callback_after_attempt(pool, &retried.attempt, 3, 1);
    kf_callback_record given_up = {"d-3", KF_CALLBACK_MAX_ATTEMPTS, "https://shop.example/cb",
                                   {500, NULL, "oops, \"quoted\"\n", apr_time_from_msec(3)}, {0}};
    given_up.next = kf_callback_after_attempt(pool, &given_up.attempt, KF_CALLBACK_MAX_ATTEMPTS, 1);
    const kf_callback_record *batch[] = {&delivered, &retried, &given_up};
    ck_assert_str_eq(kf_callback_records_json(pool, batch, 3),
        "[{\"id\":\"d-1\",\"attempt\":1,\"url\":\"https://shop.example/cb\",\"status_code\":204,"
        "\"latency_ms\":12,\"excerpt\":\"\",\"error\":null,\"outcome\":\"delivered\",\"delay_us\":0,"
        "\"last_error\":null},"
        "{\"id\":\"d-2\",\"attempt\":3,\"url\":\"https://shop.example/cb\",\"status_code\":null,"
        "\"latency_ms\":10000,\"excerpt\":null,\"error\":\"timeout\",\"outcome\":\"retry\","
        "\"delay_us\":8000000,\"last_error\":\"timeout\"},"
        "{\"id\":\"d-3\",\"attempt\":11,\"url\":\"https://shop.example/cb\",\"status_code\":500,"
        "\"latency_ms\":3,\"excerpt\":\"oops, \\\"quoted\\\"\\n\",\"error\":null,\"outcome\":\"failed\","
        "\"delay_us\":0,\"last_error\":\"HTTP 500\"}]");
    ck_assert_str_eq(kf_callback_records_json(pool, batch, 0), "[]");
    /* a text the database could not take is refused, not sent cut */
    retried.attempt.excerpt = "\xff";
    ck_assert_ptr_null(kf_callback_records_json(pool, batch, 3));
}
END_TEST

START_TEST(flight_says_who_is_busy_and_how_much_room_is_left)
{
    kf_callback_flight *f = kf_callback_flight_create(pool);
    ck_assert_ptr_nonnull(f);
    kf_callback_room room = kf_callback_flight_room(f, 8, pool);
    ck_assert_int_eq(room.free_slots, KF_CALLBACK_MAX_IN_FLIGHT);
    ck_assert_str_eq(room.tenants, "");
    ck_assert_str_eq(room.subjects, "");
    ck_assert_int_eq(room.per_tenant, 8);
    /* a tenant never gets more than 32 at once, whatever is configured */
    ck_assert_int_eq(kf_callback_flight_room(f, 100, pool).per_tenant, KF_CALLBACK_MAX_PER_TENANT);

    int b1 = kf_callback_flight_add(f, "t-a", "b-1");
    int b2 = kf_callback_flight_add(f, "t-a", "b-2");
    int b3 = kf_callback_flight_add(f, "t-b", "b-3");
    ck_assert(b1 >= 0 && b2 >= 0 && b3 >= 0 && b1 != b2 && b2 != b3 && b1 != b3);
    room = kf_callback_flight_room(f, 8, pool);
    ck_assert_int_eq(room.free_slots, KF_CALLBACK_MAX_IN_FLIGHT - 3);
    ck_assert_str_eq(room.tenants, "t-a,t-a,t-b");
    ck_assert_str_eq(room.subjects, "b-1,b-2,b-3");
    ck_assert_int_eq(kf_callback_flight_count(f), 3);

    kf_callback_flight_end(f, b2);
    room = kf_callback_flight_room(f, 8, pool);
    ck_assert_str_eq(room.tenants, "t-a,t-b");
    ck_assert_str_eq(room.subjects, "b-1,b-3");

    for (int i = 0; i < KF_CALLBACK_MAX_IN_FLIGHT - 2; i++) {
        ck_assert_int_ge(kf_callback_flight_add(f, "t-c", apr_psprintf(pool, "c-%d", i)), 0);
    }
    ck_assert_int_eq(kf_callback_flight_room(f, 8, pool).free_slots, 0);
    ck_assert_int_eq(kf_callback_flight_add(f, "t-d", "d-1"), -1);
}
END_TEST

START_TEST(a_tenant_gets_back_the_place_its_last_delivery_held)
{
    kf_callback_flight *f = kf_callback_flight_create(pool);
    int a = kf_callback_flight_add(f, "t-a", "a-1");
    int b = kf_callback_flight_add(f, "t-b", "b-1");
    int c = kf_callback_flight_add(f, "t-c", "c-1");
    kf_callback_flight_end(f, a);
    kf_callback_flight_end(f, b);
    kf_callback_flight_end(f, c);
    /* each tenant's next delivery sends from the place (and client) that spoke to its merchant */
    ck_assert_int_eq(kf_callback_flight_add(f, "t-b", "b-2"), b);
    ck_assert_int_eq(kf_callback_flight_add(f, "t-a", "a-2"), a);
    /* a new tenant takes a place never used before one another tenant's connection is in */
    int d = kf_callback_flight_add(f, "t-d", "d-1");
    ck_assert(d != a && d != b && d != c);
    /* with every place used once, the one left longest: c's (a and b were taken since) */
    for (int i = 4; i < KF_CALLBACK_MAX_IN_FLIGHT; i++) {
        ck_assert_int_ge(kf_callback_flight_add(f, apr_psprintf(pool, "t-%d", i), "x"), 0);
    }
    ck_assert_int_eq(kf_callback_flight_add(f, "t-e", "e-1"), c);
}
END_TEST

START_TEST(finished_deliveries_are_handed_out_once)
{
    kf_callback_flight *f = kf_callback_flight_create(pool);
    void *got[4];
    int a = kf_callback_flight_add(f, "t-a", "a-1");
    int b = kf_callback_flight_add(f, "t-b", "b-1");
    ck_assert_int_eq(kf_callback_flight_wait(f, apr_time_from_msec(5)), 0);
    ck_assert_int_eq(kf_callback_flight_take_finished(f, got, 4), 0);

    static int result_a, result_b;
    kf_callback_flight_finish(f, b, &result_b);
    ck_assert_int_eq(kf_callback_flight_wait(f, apr_time_from_sec(5)), 1);
    kf_callback_flight_finish(f, a, &result_a);
    ck_assert_int_eq(kf_callback_flight_take_finished(f, got, 1), 1);
    ck_assert_int_eq(kf_callback_flight_take_finished(f, got + 1, 4), 1);
    ck_assert(got[0] != got[1] && (got[0] == &result_a || got[0] == &result_b) &&
              (got[1] == &result_a || got[1] == &result_b));
    ck_assert_int_eq(kf_callback_flight_take_finished(f, got, 4), 0);
    /* finished and taken, both still count until their records end them */
    ck_assert_int_eq(kf_callback_flight_room(f, 8, pool).free_slots, KF_CALLBACK_MAX_IN_FLIGHT - 2);
    kf_callback_flight_end(f, a);
    kf_callback_flight_end(f, b);
    ck_assert_int_eq(kf_callback_flight_room(f, 8, pool).free_slots, KF_CALLBACK_MAX_IN_FLIGHT);
}
END_TEST

START_TEST(waiting_for_all_ends_when_none_is_still_being_attempted)
{
    kf_callback_flight *f = kf_callback_flight_create(pool);
    /* nothing in flight: nothing to wait for */
    ck_assert_int_eq(kf_callback_flight_wait_all(f, 0), 1);
    int a = kf_callback_flight_add(f, "t-a", "a-1");
    int b = kf_callback_flight_add(f, "t-a", "a-2");
    static int result_a, result_b;
    kf_callback_flight_finish(f, a, &result_a);
    /* one still being attempted: the wait runs out */
    ck_assert_int_eq(kf_callback_flight_wait_all(f, apr_time_from_msec(5)), 0);
    kf_callback_flight_finish(f, b, &result_b);
    ck_assert_int_eq(kf_callback_flight_wait_all(f, apr_time_from_sec(5)), 1);
    void *got[4];
    ck_assert_int_eq(kf_callback_flight_take_finished(f, got, 4), 2);
    /* taken, waiting for their record: no longer attempted */
    ck_assert_int_eq(kf_callback_flight_wait_all(f, 0), 1);
}
END_TEST

START_TEST(a_claim_that_took_all_its_room_is_followed_at_once)
{
    kf_callback_flight *f = kf_callback_flight_create(pool);
    /* a business with 4 at once: a claim of 2 took everything due */
    kf_callback_room room = kf_callback_flight_room(f, 4, pool);
    kf_callback_flight_add(f, "t-a", "a-1");
    kf_callback_flight_add(f, "t-b", "b-1");
    ck_assert_int_eq(kf_callback_flight_claim_filled(f, 2, &room), 0);
    /* then a claim of 2 more of t-a's takes it to its limit: more of it may be due */
    room = kf_callback_flight_room(f, 4, pool);
    kf_callback_flight_add(f, "t-a", "a-2");
    kf_callback_flight_add(f, "t-a", "a-3");
    ck_assert_int_eq(kf_callback_flight_claim_filled(f, 2, &room), 0);
    room = kf_callback_flight_room(f, 4, pool);
    kf_callback_flight_add(f, "t-a", "a-4");
    ck_assert_int_eq(kf_callback_flight_claim_filled(f, 1, &room), 1);
    /* a claim that found nothing while a business is at its limit: room for it frees soon */
    room = kf_callback_flight_room(f, 4, pool);
    ck_assert_int_eq(kf_callback_flight_claim_filled(f, 0, &room), 1);
    /* every free place taken */
    kf_callback_flight *g = kf_callback_flight_create(pool);
    for (int i = 0; i < KF_CALLBACK_MAX_IN_FLIGHT - 3; i++) {
        kf_callback_flight_add(g, apr_psprintf(pool, "t-%d", i), "x");
    }
    room = kf_callback_flight_room(g, 4, pool);
    ck_assert_int_eq(room.free_slots, 3);
    ck_assert_int_eq(kf_callback_flight_claim_filled(g, 2, &room), 0);
    ck_assert_int_eq(kf_callback_flight_claim_filled(g, 3, &room), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("callback_delivery");
    TCase *tc = tcase_create("delivery");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, request_carries_both_signature_schemes);
    tcase_add_test(tc, no_request_without_url_or_secret);
    tcase_add_test(tc, excerpt_keeps_a_kib_of_text);
    tcase_add_test(tc, transport_failures_are_one_word);
    tcase_add_test(tc, an_answer_keeps_status_excerpt_and_latency);
    tcase_add_test(tc, a_2xx_delivers_anything_else_retries_then_gives_up);
    tcase_add_test(tc, ping_body_and_answers);
    tcase_add_test(tc, admin_view_of_a_delivery);
    tcase_add_test(tc, a_resent_callback_is_pending_again_and_a_ping_needs_a_target);
    tcase_add_test(tc, finished_attempts_are_recorded_as_one_batch);
    tcase_add_test(tc, flight_says_who_is_busy_and_how_much_room_is_left);
    tcase_add_test(tc, a_tenant_gets_back_the_place_its_last_delivery_held);
    tcase_add_test(tc, finished_deliveries_are_handed_out_once);
    tcase_add_test(tc, waiting_for_all_ends_when_none_is_still_being_attempted);
    tcase_add_test(tc, a_claim_that_took_all_its_room_is_followed_at_once);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
