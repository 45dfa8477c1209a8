/* Unit suite for lib/bookings/kf_booking_status.c: what a customer is told of their booking
 * when it is made and on its status page. */
#include "kf_check_fields.h"

#include "kf_booking_status.h"

/* A confirmed haircut in Bogotá, at the shop, bookable again through its link. */
static void confirmed(const char *v[KF_BSTATUS_COL_COUNT])
{
    for (int i = 0; i < KF_BSTATUS_COL_COUNT; i++) {
        v[i] = NULL;
    }
    v[KF_BSTATUS_COL_ID] = "b-1";
    v[KF_BSTATUS_COL_STATE] = "confirmed";
    v[KF_BSTATUS_COL_DEADLINE_PASSED] = "f";
    v[KF_BSTATUS_COL_START] = "2026-04-02T15:00:00Z";
    v[KF_BSTATUS_COL_END] = "2026-04-02T15:30:00Z";
    v[KF_BSTATUS_COL_TIMEZONE] = "America/Bogota";
    v[KF_BSTATUS_COL_SERVICE_ID] = "s-1";
    v[KF_BSTATUS_COL_SERVICE_NAME] = "Corte";
    v[KF_BSTATUS_COL_DURATION] = "30";
    v[KF_BSTATUS_COL_PROFESSIONAL_ID] = "p-1";
    v[KF_BSTATUS_COL_PROFESSIONAL_NAME] = "Luis";
    v[KF_BSTATUS_COL_RETURN_URL] = "https://shop.example/thanks";
    v[KF_BSTATUS_COL_LINK] = "corte-de-pelo-2026";
    v[KF_BSTATUS_COL_CANCEL_OPEN] = "t";
    v[KF_BSTATUS_COL_RESCHEDULE_OPEN] = "t";
    v[KF_BSTATUS_COL_RESCHEDULES_LEFT] = "2";
    v[KF_BSTATUS_COL_LOCATION_TYPE] = "video";
    v[KF_BSTATUS_COL_LOCATION_VALUE] = "https://meet.example/shop";
    v[KF_BSTATUS_COL_VIDEO_URL] = "https://meet.example/abc";   /* Luis's own room */
    v[KF_BSTATUS_COL_BUSINESS] = "Barbería Luis";
    v[KF_BSTATUS_COL_BUSINESS_EMAIL] = "citas@barberia.example";
    v[KF_BSTATUS_COL_BUSINESS_PHONE] = "+573001234567";
    v[KF_BSTATUS_COL_TENANT] = "{\"name\": \"Barbería Luis\", \"primary_color\": \"#0F766E\"}";
}

static json_t *booking_of(json_t *out)
{
    return json_object_get(out, "booking");
}

START_TEST(a_marked_booking_says_its_new_state)
{
    ck_assert_str_eq(text_of(kf_booking_marked_view("b-1", KF_RES_NO_SHOW, "2026-04-02T15:00:00Z",
                                                    "2026-04-02T15:30:00Z")),
                     "{\"booking\":{\"id\":\"b-1\",\"status\":\"no_show\","
                     "\"start\":\"2026-04-02T15:00:00Z\",\"end\":\"2026-04-02T15:30:00Z\"}}");
}
END_TEST

START_TEST(a_new_booking_says_what_it_asks_for)
{
    const char *made[KF_BOOKING_MADE_COL_COUNT] = {"b-1", "2026-04-02T15:00:00Z",
                                                   "2026-04-02T15:30:00Z", "partial", "12500",
                                                   "COP"};
    json_t *payment = json_pack("{s:s}", "checkout_url", "https://pay.example/1");
    ck_assert_str_eq(text_of(kf_booking_created_view(made, KF_RES_PENDING_PAYMENT, "tok", payment,
                                                     "https://k.example/s", NULL, 0)),
                     "{\"booking\":{\"id\":\"b-1\",\"token\":\"tok\",\"status\":\"pending_payment\","
                     "\"start\":\"2026-04-02T15:00:00Z\",\"end\":\"2026-04-02T15:30:00Z\","
                     "\"charge\":{\"amount\":12500,\"currency\":\"COP\"},"
                     "\"payment\":{\"checkout_url\":\"https://pay.example/1\"},"
                     "\"status_url\":\"https://k.example/s\"}}");
    /* a package's session: nothing to pay, the sessions left told */
    made[KF_BOOKING_MADE_COL_CHARGE_TYPE] = "free";
    json_t *out = kf_booking_created_view(made, KF_RES_PAID, "tok", NULL, "https://k.example/s",
                                          "pu-1", 3);
    ck_assert(json_is_null(json_object_get(booking_of(out), "charge")));
    ck_assert(json_is_null(json_object_get(booking_of(out), "payment")));
    ck_assert_str_eq(text_of(json_incref(json_object_get(booking_of(out), "purchase"))),
                     "{\"id\":\"pu-1\",\"sessions_left\":3}");
    json_decref(out);
}
END_TEST

START_TEST(the_way_back_to_the_merchant_once_decided)
{
    ck_assert_str_eq(kf_booking_return_url(pool, "https://shop.example/thanks", KF_RES_CONFIRMED,
                                           "b-1"),
                     "https://shop.example/thanks?status=ok&ref=b-1");
    ck_assert_str_eq(kf_booking_return_url(pool, "https://shop.example/t?lang=es", KF_RES_FAILED,
                                           "b-1"),
                     "https://shop.example/t?lang=es&status=failed&ref=b-1");
    ck_assert_ptr_null(kf_booking_return_url(pool, "https://shop.example/t",
                                             KF_RES_PENDING_PAYMENT, "b-1"));
    ck_assert_ptr_null(kf_booking_return_url(pool, "", KF_RES_CONFIRMED, "b-1"));
    ck_assert_ptr_null(kf_booking_return_url(pool, NULL, KF_RES_CONFIRMED, "b-1"));
}
END_TEST

START_TEST(a_standing_booking_shows_its_meeting_and_what_may_be_done)
{
    const char *v[KF_BSTATUS_COL_COUNT];
    confirmed(v);
    json_t *out = kf_booking_status_view(pool, v, NULL);
    json_t *b = booking_of(out);
    ck_assert_str_eq(json_string_value(json_object_get(b, "status")), "confirmed");
    ck_assert_str_eq(text_of(json_incref(json_object_get(b, "actions"))),
                     "{\"cancel\":true,\"reschedule\":true,\"reschedules_left\":2}");
    ck_assert_str_eq(json_string_value(json_object_get(b, "return_url")),
                     "https://shop.example/thanks?status=ok&ref=b-1");
    ck_assert_str_eq(text_of(json_incref(json_object_get(b, "service"))),
                     "{\"id\":\"s-1\",\"name\":\"Corte\",\"duration_minutes\":30}");
    ck_assert_ptr_nonnull(strstr(kf_json_dump(pool, json_object_get(b, "location")),
                                 "https://meet.example/abc"));
    ck_assert(json_is_null(json_object_get(b, "payment")));
    /* whom the customer writes to or calls with a question, and the brand its page wears */
    ck_assert_str_eq(text_of(json_incref(json_object_get(b, "contact"))),
                     "{\"name\":\"Barbería Luis\",\"email\":\"citas@barberia.example\","
                     "\"phone\":\"+573001234567\"}");
    ck_assert_str_eq(text_of(json_incref(json_object_get(b, "tenant"))),
                     "{\"name\":\"Barbería Luis\",\"primary_color\":\"#0F766E\"}");
    json_decref(out);
    v[KF_BSTATUS_COL_BUSINESS_EMAIL] = NULL;
    v[KF_BSTATUS_COL_BUSINESS_PHONE] = NULL;
    v[KF_BSTATUS_COL_TENANT] = NULL;
    out = kf_booking_status_view(pool, v, NULL);
    ck_assert_str_eq(text_of(json_incref(json_object_get(booking_of(out), "contact"))),
                     "{\"name\":\"Barbería Luis\",\"email\":null,\"phone\":null}");
    ck_assert(json_is_null(json_object_get(booking_of(out), "tenant")));
    json_decref(out);
}
END_TEST

START_TEST(a_booking_awaiting_payment_hides_its_meeting)
{
    const char *v[KF_BSTATUS_COL_COUNT];
    confirmed(v);
    v[KF_BSTATUS_COL_STATE] = "pending_payment";
    ck_assert(kf_booking_status_awaits_approval(v));
    json_t *out = kf_booking_status_view(pool, v, NULL);
    json_t *b = booking_of(out);
    ck_assert_ptr_null(strstr(kf_json_dump(pool, json_object_get(b, "location")), "meet.example"));
    ck_assert(json_is_null(json_object_get(b, "return_url")));
    json_decref(out);
    /* its payment window ran out: it is told expired, though the sweep has not recorded it */
    v[KF_BSTATUS_COL_DEADLINE_PASSED] = "t";
    out = kf_booking_status_view(pool, v, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(booking_of(out), "status")), "expired");
    json_decref(out);
}
END_TEST

START_TEST(a_booking_called_off_hides_its_meeting)
{
    const char *states[] = {"cancelled", "expired", "failed"};
    for (int i = 0; i < 3; i++) {
        const char *v[KF_BSTATUS_COL_COUNT];
        confirmed(v);
        v[KF_BSTATUS_COL_STATE] = states[i];
        json_t *out = kf_booking_status_view(pool, v, NULL);
        ck_assert_msg(json_is_null(json_object_get(booking_of(out), "location")), "%s", states[i]);
        json_decref(out);
    }
    /* after the appointment it is still the customer's: the link stays in its history */
    const char *v[KF_BSTATUS_COL_COUNT];
    confirmed(v);
    v[KF_BSTATUS_COL_STATE] = "completed";
    json_t *out = kf_booking_status_view(pool, v, NULL);
    ck_assert_ptr_nonnull(strstr(kf_json_dump(pool, json_object_get(booking_of(out), "location")),
                                 "https://meet.example/abc"));
    json_decref(out);
}
END_TEST

START_TEST(past_the_cutoff_nothing_is_left_to_do)
{
    const char *v[KF_BSTATUS_COL_COUNT];
    confirmed(v);
    v[KF_BSTATUS_COL_CANCEL_OPEN] = "f";
    v[KF_BSTATUS_COL_RESCHEDULE_OPEN] = "f";
    v[KF_BSTATUS_COL_RESCHEDULES_LEFT] = "-1";
    json_t *out = kf_booking_status_view(pool, v, NULL);
    ck_assert_str_eq(text_of(json_incref(json_object_get(booking_of(out), "actions"))),
                     "{\"cancel\":false,\"reschedule\":false,\"reschedules_left\":0}");
    json_decref(out);
    /* no active link: no new time can be chosen */
    confirmed(v);
    v[KF_BSTATUS_COL_LINK] = NULL;
    out = kf_booking_status_view(pool, v, NULL);
    ck_assert(json_is_false(json_object_get(json_object_get(booking_of(out), "actions"),
                                            "reschedule")));
    ck_assert(json_is_null(json_object_get(booking_of(out), "link")));
    json_decref(out);
}
END_TEST

START_TEST(a_token_opens_its_booking_until_30_days_after_its_end)
{
    const apr_int64_t end = 1796133600;      /* 2026-12-01T15:00:00Z */
    ck_assert_int_eq(kf_booking_token_open(end, end - 86400), 1);
    ck_assert_int_eq(kf_booking_token_open(end, end), 1);
    ck_assert_int_eq(kf_booking_token_open(end, end + 30 * 86400 - 1), 1);
    ck_assert_int_eq(kf_booking_token_open(end, end + 30 * 86400), 0);
    ck_assert_int_eq(kf_booking_token_open(end, end + 400 * 86400), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("booking_status");
    TCase *tc = tcase_create("booking_status");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_token_opens_its_booking_until_30_days_after_its_end);
    tcase_add_test(tc, a_new_booking_says_what_it_asks_for);
    tcase_add_test(tc, a_marked_booking_says_its_new_state);
    tcase_add_test(tc, the_way_back_to_the_merchant_once_decided);
    tcase_add_test(tc, a_standing_booking_shows_its_meeting_and_what_may_be_done);
    tcase_add_test(tc, a_booking_awaiting_payment_hides_its_meeting);
    tcase_add_test(tc, a_booking_called_off_hides_its_meeting);
    tcase_add_test(tc, past_the_cutoff_nothing_is_left_to_do);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
