/* Unit suite for lib/bookings/kf_booking_view.c: what the merchant's booking list, detail
 * and CSV export say of a booking. */
#include "kf_check_fields.h"
#include <string.h>

#include "kf_booking_view.h"
#include "kf_csv.h"
#include "kf_json.h"

/* A paid booking of Ana's with Luis, in Bogotá. */
static void paid_booking(const char *v[KF_BOOKING_COL_COUNT])
{
    for (int i = 0; i < KF_BOOKING_COL_COUNT; i++) {
        v[i] = NULL;
    }
    v[KF_BOOKING_COL_ID] = "b-1";
    v[KF_BOOKING_COL_STATUS] = "confirmed";
    v[KF_BOOKING_COL_START] = "2026-04-02T15:00:00Z";
    v[KF_BOOKING_COL_END] = "2026-04-02T15:30:00Z";
    v[KF_BOOKING_COL_LOCAL_START] = "2026-04-02T10:00:00-05:00";
    v[KF_BOOKING_COL_SERVICE_ID] = "s-1";
    v[KF_BOOKING_COL_SERVICE_NAME] = "Corte";
    v[KF_BOOKING_COL_PROFESSIONAL_ID] = "p-1";
    v[KF_BOOKING_COL_PROFESSIONAL_NAME] = "Luis";
    v[KF_BOOKING_COL_CUSTOMER_NAME] = "Ana Peña";
    v[KF_BOOKING_COL_CUSTOMER_EMAIL] = "ana@example.com";
    v[KF_BOOKING_COL_CUSTOMER_PHONE] = "+573001234567";
    v[KF_BOOKING_COL_CHARGE_TYPE] = "total";
    v[KF_BOOKING_COL_CHARGE_AMOUNT] = "50000";
    v[KF_BOOKING_COL_CURRENCY] = "COP";
    v[KF_BOOKING_COL_CREATED_AT] = "2026-04-01T12:00:00Z";
    v[KF_BOOKING_COL_NOTES] = "=1+1";
    v[KF_BOOKING_COL_STARTS_AT_RAW] = "2026-04-02 15:00:00+00";
    v[KF_BOOKING_COL_LINK] = "corte";
}

START_TEST(the_list_shows_who_what_when_and_the_charge)
{
    const char *v[KF_BOOKING_COL_COUNT];
    paid_booking(v);
    ck_assert_str_eq(text_of(kf_booking_list_item(v)),
                     "{\"id\":\"b-1\",\"status\":\"confirmed\",\"status_reason\":null,"
                     "\"start\":\"2026-04-02T15:00:00Z\",\"end\":\"2026-04-02T15:30:00Z\","
                     "\"local_start\":\"2026-04-02T10:00:00-05:00\","
                     "\"service\":{\"id\":\"s-1\",\"name\":\"Corte\"},"
                     "\"professional\":{\"id\":\"p-1\",\"name\":\"Luis\"},"
                     "\"customer\":{\"name\":\"Ana Peña\",\"email\":\"ana@example.com\","
                     "\"phone\":\"+573001234567\"},"
                     "\"charge\":{\"type\":\"total\",\"amount\":50000,\"currency\":\"COP\"},"
                     "\"created_at\":\"2026-04-01T12:00:00Z\",\"dispute_status\":null,"
                     "\"metadata\":null}");
}
END_TEST

START_TEST(a_hold_has_no_charge_and_a_dispute_is_marked)
{
    const char *v[KF_BOOKING_COL_COUNT];
    paid_booking(v);
    v[KF_BOOKING_COL_STATUS] = "held";
    v[KF_BOOKING_COL_CHARGE_TYPE] = NULL;
    v[KF_BOOKING_COL_CHARGE_AMOUNT] = NULL;
    v[KF_BOOKING_COL_DISPUTE] = "needs_response";
    json_t *item = kf_booking_list_item(v);
    ck_assert(json_is_null(json_object_get(item, "charge")));
    ck_assert_str_eq(json_string_value(json_object_get(item, "dispute_status")), "needs_response");
    json_decref(item);
}
END_TEST

START_TEST(a_page_says_how_many_matched)
{
    const char *v[KF_BOOKING_COL_COUNT];
    paid_booking(v);
    const char *const *rows[] = {v, v};
    json_t *page = kf_booking_list_page(rows, 2, "42", 2, 25);
    json_t *items = json_object_get(page, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_str_eq(text_of(json_incref(json_array_get(items, 1))),
                     text_of(kf_booking_list_item(v)));
    ck_assert_int_eq(json_integer_value(json_object_get(page, "total")), 42);
    json_decref(page);
    ck_assert_str_eq(text_of(kf_booking_list_page(NULL, 0, NULL, 1, 25)),
                     "{\"items\":[],\"total\":0,\"page\":1,\"per_page\":25}");
}
END_TEST

START_TEST(the_detail_adds_notes_terms_and_link)
{
    const char *v[KF_BOOKING_COL_COUNT];
    paid_booking(v);
    v[KF_BOOKING_COL_ACCEPTED_TERMS_AT] = "2026-04-01T11:59:00Z";
    json_t *d = kf_booking_detail(v);
    ck_assert_str_eq(json_string_value(json_object_get(d, "notes")), "=1+1");
    ck_assert_str_eq(json_string_value(json_object_get(d, "accepted_terms_at")),
                     "2026-04-01T11:59:00Z");
    ck_assert_str_eq(json_string_value(json_object_get(d, "link")), "corte");
    ck_assert_str_eq(json_string_value(json_object_get(d, "status")), "confirmed");
    json_decref(d);
    const char *change[KF_BOOKING_CHANGE_COL_COUNT] = {NULL, "held", NULL, "2026-04-01T11:58:00Z"};
    ck_assert_str_eq(text_of(kf_booking_change_view(change)),
                     "{\"from\":null,\"to\":\"held\",\"reason\":null,"
                     "\"at\":\"2026-04-01T11:58:00Z\"}");
    const char *paid[KF_BOOKING_CHANGE_COL_COUNT] = {"held", "paid", "approved",
                                                     "2026-04-01T11:59:00Z"};
    const char *const *history[] = {change, paid};
    ck_assert_str_eq(text_of(kf_booking_history(history, 2)),
                     "[{\"from\":null,\"to\":\"held\",\"reason\":null,"
                     "\"at\":\"2026-04-01T11:58:00Z\"},{\"from\":\"held\",\"to\":\"paid\","
                     "\"reason\":\"approved\",\"at\":\"2026-04-01T11:59:00Z\"}]");
    ck_assert_str_eq(text_of(kf_booking_history(NULL, 0)), "[]");
}
END_TEST

START_TEST(the_detail_shows_the_newest_payment_and_the_callback_attempts)
{
    json_t *d = json_object();
    json_t *payments = json_pack("[{s:s}, {s:s}]", "status", "declined", "status", "approved");
    json_t *callback = json_pack("{s:s, s:[{s:i}]}", "status", "delivered", "attempt_log",
                                 "attempt", 1);
    kf_booking_detail_attach(d, payments, callback, NULL);
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(d, "payment")), "{\"status\":\"approved\"}");
    ck_assert_int_eq(json_array_size(json_object_get(d, "payments")), 2);
    ck_assert_int_eq(json_array_size(json_object_get(d, "callback_attempts")), 1);
    ck_assert(json_is_null(json_object_get(d, "calendar_event")));
    json_decref(d);
    json_decref(payments);
    json_decref(callback);

    /* nothing paid, no callback queued: nulls and an empty attempt list */
    d = json_object();
    payments = json_array();
    json_t *event = json_pack("{s:s}", "status", "written");
    kf_booking_detail_attach(d, payments, NULL, event);
    ck_assert_str_eq(kf_json_dump(pool, d),
                     "{\"payment\":null,\"payments\":[],\"callback\":null,"
                     "\"callback_attempts\":[],\"calendar_event\":{\"status\":\"written\"}}");
    json_decref(d);
    json_decref(payments);
    json_decref(event);
}
END_TEST

/* The detail says until when its mark can still be changed or taken back: a day after it
 * was made, while that day lasts; null unmarked or once final. */
START_TEST(the_detail_says_until_when_a_mark_can_change)
{
    json_t *d = json_object();
    kf_booking_detail_mark(pool, d, "1790000000", "1790086399");
    ck_assert_str_eq(json_string_value(json_object_get(d, "mark_changeable_until")),
                     "2026-09-22T14:13:20Z");
    kf_booking_detail_mark(pool, d, "1790000000", "1790086400");
    ck_assert(json_is_null(json_object_get(d, "mark_changeable_until")));
    kf_booking_detail_mark(pool, d, NULL, "1790000000");
    ck_assert(json_is_null(json_object_get(d, "mark_changeable_until")));
    json_decref(d);
}
END_TEST

START_TEST(a_seat_shows_its_class_and_who_else_booked_it)
{
    json_t *none = kf_booking_class(NULL, NULL, 0);
    ck_assert(json_is_null(none));
    const char *place[KF_CLASS_COL_COUNT] = {"10", "2", "3"};
    const char *a[KF_ATTENDEE_COL_COUNT] = {"b-1", "1", "paid", "Ana Peña"};
    const char *b[KF_ATTENDEE_COL_COUNT] = {"b-2", "2", "pending_payment", NULL};
    const char *const *rows[] = {a, b};
    json_t *c = kf_booking_class(place, rows, 2);
    ck_assert_str_eq(kf_json_dump(pool, c),
                     "{\"capacity\":10,\"seat\":2,\"seats_taken\":3,\"seats_left\":7,"
                     "\"attendees\":[{\"id\":\"b-1\",\"seat\":1,\"status\":\"paid\","
                     "\"customer_name\":\"Ana Peña\"},{\"id\":\"b-2\",\"seat\":2,"
                     "\"status\":\"pending_payment\",\"customer_name\":null}]}");
    json_decref(c);
    /* filled before its capacity was lowered: nothing left, never below */
    const char *over[KF_CLASS_COL_COUNT] = {"2", "1", "3"};
    c = kf_booking_class(over, NULL, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(c, "seats_left")), 0);
    json_decref(c);
}
END_TEST

START_TEST(the_export_is_spreadsheet_safe)
{
    const char *v[KF_BOOKING_COL_COUNT];
    paid_booking(v);
    ck_assert_str_eq(kf_booking_csv_header(pool, NULL),
                     "id,status,status_reason,start,end,local_start,service_id,service_name,"
                     "professional_id,professional_name,customer_name,customer_email,"
                     "customer_phone,charge_type,charge_amount,currency,created_at,"
                     "accepted_terms_at,notes\r\n");
    /* the phone and the note cannot run as formulas; a missing value is an empty cell */
    ck_assert_str_eq(kf_booking_csv_record(pool, v, NULL),
                     "b-1,confirmed,,2026-04-02T15:00:00Z,2026-04-02T15:30:00Z,"
                     "2026-04-02T10:00:00-05:00,s-1,Corte,p-1,Luis,Ana Peña,ana@example.com,"
                     "'+573001234567,total,50000,COP,2026-04-01T12:00:00Z,,'=1+1\r\n");
}
END_TEST

/* The merchant's ids: a column for each key present in the export, sorted, empty where a
 * booking has none; a value is guarded like any cell. */
START_TEST(the_export_has_a_column_per_metadata_key)
{
    const char *v[KF_BOOKING_COL_COUNT];
    paid_booking(v);
    v[KF_BOOKING_COL_NOTES] = NULL;
    v[KF_BOOKING_COL_METADATA] = "{\"order\": \"=A-17\", \"crm\": \"88\"}";
    const char *header = kf_booking_csv_header(pool, "crm,order,zone");
    ck_assert_ptr_nonnull(strstr(header, ",notes,metadata.crm,metadata.order,metadata.zone\r\n"));
    const char *record = kf_booking_csv_record(pool, v, "crm,order,zone");
    ck_assert_ptr_nonnull(strstr(record, ",,88,'=A-17,\r\n"));
    /* a booking without metadata has the columns, empty */
    v[KF_BOOKING_COL_METADATA] = NULL;
    ck_assert_ptr_nonnull(strstr(kf_booking_csv_record(pool, v, "crm,order,zone"), ",,,,\r\n"));
}
END_TEST

START_TEST(the_export_is_named_by_the_day_and_says_when_cut)
{
    ck_assert_str_eq(kf_booking_export_filename(pool, "2026-04-02"), "bookings-20260402.csv");
    ck_assert(!kf_booking_export_truncated(NULL));
    ck_assert(!kf_booking_export_truncated("50000"));
    ck_assert(kf_booking_export_truncated("50001"));
}
END_TEST

static const char *audit_text(const kf_booking_filter *f, const char *total)
{
    json_t *j = kf_booking_export_audit(f, total);
    const char *text = kf_json_dump(pool, j);
    json_decref(j);
    return text;
}

/* The export reads batches after the last row written (its start and id, kept past the
 * batch), the first from the top; a batch reads at most what the cap leaves. */
START_TEST(an_export_batch_starts_after_the_last_row_and_stops_at_the_cap)
{
    kf_booking_filter f;
    const char *bad = NULL, *reason = NULL;
    ck_assert_int_eq(kf_booking_filter_read(pool, "status=paid", 1, &f, &bad, &reason), 0);
    const char *args[KF_BOOKING_EXPORT_ARGS];
    kf_booking_export_args("t-1", &f, args);
    ck_assert_str_eq(args[0], "t-1");
    ck_assert_str_eq(args[1], "paid");
    ck_assert_ptr_null(args[KF_BOOKING_EXPORT_AFTER_AT]);
    ck_assert_ptr_null(args[KF_BOOKING_EXPORT_AFTER_AT + 1]);
    ck_assert_ptr_null(args[KF_BOOKING_EXPORT_AFTER_ID]);
    ck_assert_str_eq(args[KF_BOOKING_EXPORT_LIMIT], "500");
    const char *v[KF_BOOKING_COL_COUNT];
    paid_booking(v);
    v[KF_BOOKING_COL_STARTS_AT_RAW] = "2026-04-02 15:00:00+00";
    kf_booking_export_after(pool, v, 500, args);
    ck_assert_str_eq(args[KF_BOOKING_EXPORT_AFTER_AT], "2026-04-02 15:00:00+00");
    ck_assert_str_eq(args[KF_BOOKING_EXPORT_AFTER_AT + 1], "2026-04-02 15:00:00+00");
    ck_assert_str_eq(args[KF_BOOKING_EXPORT_AFTER_ID], "b-1");
    ck_assert_ptr_ne(args[KF_BOOKING_EXPORT_AFTER_ID], v[KF_BOOKING_COL_ID]);   /* a copy */
    ck_assert_str_eq(args[KF_BOOKING_EXPORT_LIMIT], "500");
    kf_booking_export_after(pool, v, KF_BOOKING_EXPORT_MAX_ROWS - 120, args);
    ck_assert_str_eq(args[KF_BOOKING_EXPORT_LIMIT], "120");
}
END_TEST

START_TEST(the_export_audit_says_how_many_rows_and_which_filters)
{
    kf_booking_filter none = {0};
    ck_assert_str_eq(audit_text(&none, "3"),
                     "{\"format\":\"csv\",\"rows\":3,\"truncated\":false,\"filters\":{}}");
    ck_assert_str_eq(audit_text(&none, NULL),
                     "{\"format\":\"csv\",\"rows\":0,\"truncated\":false,\"filters\":{}}");
    /* the rows the file holds, not the bookings that matched; the search text stays out */
    kf_booking_filter some = {.statuses = "paid,confirmed", .from = "2026-04-01",
                              .q_pattern = "%ana%", .customer = "given"};
    ck_assert_str_eq(audit_text(&some, "50001"),
                     "{\"format\":\"csv\",\"rows\":50000,\"truncated\":true,\"filters\":"
                     "{\"status\":\"paid,confirmed\",\"from\":\"2026-04-01\",\"customer\":\"given\","
                     "\"search\":true}}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("booking_view");
    TCase *tc = tcase_create("view");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, the_list_shows_who_what_when_and_the_charge);
    tcase_add_test(tc, a_hold_has_no_charge_and_a_dispute_is_marked);
    tcase_add_test(tc, a_page_says_how_many_matched);
    tcase_add_test(tc, the_detail_adds_notes_terms_and_link);
    tcase_add_test(tc, the_detail_shows_the_newest_payment_and_the_callback_attempts);
    tcase_add_test(tc, the_detail_says_until_when_a_mark_can_change);
    tcase_add_test(tc, a_seat_shows_its_class_and_who_else_booked_it);
    tcase_add_test(tc, the_export_is_spreadsheet_safe);
    tcase_add_test(tc, the_export_has_a_column_per_metadata_key);
    tcase_add_test(tc, the_export_is_named_by_the_day_and_says_when_cut);
    tcase_add_test(tc, an_export_batch_starts_after_the_last_row_and_stops_at_the_cap);
    tcase_add_test(tc, the_export_audit_says_how_many_rows_and_which_filters);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
