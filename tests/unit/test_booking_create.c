/* Unit suite for lib/bookings/kf_booking_create.c: how a booking request is read, and what
 * making a booking of a hold decides: the request's problems and the refusals in their
 * order, what it charges, where the state machine's book takes it and when it runs out. */
#include "kf_check.h"
#include "kf_booking_create.h"
#include "kf_crypto.h"

#include <string.h>

#define NOW 1800000000
#define WINDOW 1800
#define HOLD_TOKEN "hHhHhHhHhHhHhHhHhHhHhHhHhHhHhHhHhHhHhHhHhHh"
#define PURCHASE_TOKEN "pPpPpPpPpPpPpPpPpPpPpPpPpPpPpPpPpPpPpPpPpPp"
#define CUSTOMER "\"customer\": {\"name\": \"Ana Ruiz\", \"email\": \"ana@example.com\"," \
                 " \"phone\": \"+573001234567\"}"

#define PHONE (KF_BOOKING_FIELD_CUSTOMER + KF_CUSTOMER_FIELD_PHONE)
#define TERMS (KF_BOOKING_FIELD_CUSTOMER + KF_CUSTOMER_FIELD_TERMS)

static json_t *body;

static void setup(void)
{
    kf_test_setup();
    body = NULL;
}

static void teardown(void)
{
    json_decref(body);
    kf_test_teardown();
}

/* The request of this JSON text (kept until the test ends). */
static kf_booking_request read_json(const char *text)
{
    kf_booking_request in;
    json_decref(body);
    body = json_loads(text, 0, NULL);
    ck_assert_ptr_nonnull(body);
    kf_booking_request_read(pool, body, &in);
    return in;
}

static int problems(const kf_booking_request *in)
{
    int n = 0;
    for (int i = 0; i < KF_BOOKING_FIELDS; i++) {
        n += in->problem[i] != NULL;
    }
    return n;
}

/* A live hold of a service of this charge, on a tenant of `country`. */
static kf_booking_facts live(const char *charge_type, apr_int64_t price, int deposit,
                             const char *country)
{
    kf_booking_facts f = {0};
    f.hold_live = 1;
    f.country = country;
    f.hold = (kf_booking_hold){charge_type, price, deposit, 0, 0, 0};
    return f;
}

/* The facts of a hold and a purchase found for it. */
static kf_booking_facts with_purchase(kf_pur_state state, int same_service, int total, int used)
{
    kf_booking_facts f = live("total", 120000, 0, "CO");
    f.hold.purchase_session = 1;
    f.purchase_state = state;
    f.purchase_ever_paid = state == KF_PUR_PAID;
    f.purchase_same_service = same_service;
    f.sessions_total = total;
    f.sessions_used = used;
    return f;
}

static kf_booking_request complete(void)
{
    return read_json("{\"hold_token\": \"" HOLD_TOKEN "\", " CUSTOMER ", \"accepted_terms\": true}");
}

START_TEST(a_complete_request_has_no_problem_and_its_hash)
{
    kf_booking_request in = read_json("{\"hold_token\": \"" HOLD_TOKEN "\", " CUSTOMER ","
                                      " \"accepted_terms\": true, \"notes\": \"ventana\","
                                      " \"timezone\": \"America/Bogota\"}");
    ck_assert_int_eq(problems(&in), 0);
    ck_assert_str_eq(in.hold_token, HOLD_TOKEN);
    ck_assert_str_eq(in.hold_hash, kf_sha256_hex(pool, HOLD_TOKEN, strlen(HOLD_TOKEN)));
    ck_assert_ptr_null(in.purchase_token);
    ck_assert_ptr_null(in.purchase_hash);
    ck_assert_str_eq(in.customer.name, "Ana Ruiz");
    ck_assert_str_eq(in.customer.email, "ana@example.com");
    ck_assert_str_eq(in.customer.phone, "+573001234567");
    ck_assert_str_eq(in.notes, "ventana");
    ck_assert_str_eq(in.timezone, "America/Bogota");
}
END_TEST

/* Each reading mints the booking's own token; only its hash is stored, so the hash must be
 * the token's. */
START_TEST(each_reading_mints_a_new_booking_token)
{
    kf_booking_request first = complete();
    kf_booking_request again = complete();
    ck_assert_uint_eq(strlen(first.booking_token), 43);
    ck_assert(kf_token_shape_ok(first.booking_token));
    ck_assert_str_eq(first.booking_hash,
                     kf_sha256_hex(pool, first.booking_token, strlen(first.booking_token)));
    ck_assert_str_ne(first.booking_token, again.booking_token);
}
END_TEST

START_TEST(an_empty_request_names_what_is_required)
{
    kf_booking_request in = read_json("{}");
    ck_assert_int_eq(problems(&in), 3);
    ck_assert_str_eq(in.problem[KF_BOOKING_FIELD_HOLD_TOKEN], "field_required");
    ck_assert_str_eq(in.problem[KF_BOOKING_FIELD_CUSTOMER], "field_required");
    ck_assert_str_eq(in.problem[TERMS], "terms_required");
    ck_assert_ptr_null(in.hold_hash);
}
END_TEST

START_TEST(each_field_tells_its_first_problem)
{
    kf_booking_request in = read_json(
        "{\"hold_token\": \"short\", \"customer\": {\"name\": \"A\", \"email\": 7},"
        " \"accepted_terms\": \"yes\", \"notes\": 1, \"timezone\": \"../etc\"}");
    ck_assert_str_eq(in.problem[KF_BOOKING_FIELD_HOLD_TOKEN], "hold_token_invalid");
    ck_assert_ptr_null(in.hold_hash);
    ck_assert_str_eq(in.problem[KF_BOOKING_FIELD_CUSTOMER + KF_CUSTOMER_FIELD_NAME],
                     "customer_name_length");
    ck_assert_str_eq(in.problem[KF_BOOKING_FIELD_CUSTOMER + KF_CUSTOMER_FIELD_EMAIL],
                     "field_wrong_type");
    ck_assert_str_eq(in.problem[PHONE], "field_required");
    ck_assert_str_eq(in.problem[TERMS], "field_wrong_type");
    ck_assert_str_eq(in.problem[KF_BOOKING_FIELD_NOTES], "field_wrong_type");
    ck_assert_str_eq(in.problem[KF_BOOKING_FIELD_TIMEZONE], "invalid_timezone");

    in = read_json("{\"hold_token\": 5, \"customer\": [], \"accepted_terms\": false}");
    ck_assert_str_eq(in.problem[KF_BOOKING_FIELD_HOLD_TOKEN], "field_wrong_type");
    ck_assert_str_eq(in.problem[KF_BOOKING_FIELD_CUSTOMER], "field_wrong_type");
    ck_assert_str_eq(in.problem[TERMS], "terms_required");
}
END_TEST

/* packages: a purchase's session asks no terms (accepted when it was bought), even when its
 * token has the wrong shape; a token of the wrong type is no purchase's */
START_TEST(purchase_tokens)
{
    kf_booking_request in = read_json("{\"hold_token\": \"" HOLD_TOKEN "\", " CUSTOMER ","
                                      " \"purchase_token\": \"" PURCHASE_TOKEN "\"}");
    ck_assert_int_eq(problems(&in), 0);
    ck_assert_str_eq(in.purchase_hash,
                     kf_sha256_hex(pool, PURCHASE_TOKEN, strlen(PURCHASE_TOKEN)));

    in = read_json("{\"hold_token\": \"" HOLD_TOKEN "\", " CUSTOMER ", \"purchase_token\": \"x\"}");
    ck_assert_int_eq(problems(&in), 1);
    ck_assert_str_eq(in.problem[KF_BOOKING_FIELD_PURCHASE_TOKEN], "purchase_token_invalid");
    ck_assert_ptr_null(in.purchase_hash);

    in = read_json("{\"hold_token\": \"" HOLD_TOKEN "\", " CUSTOMER ", \"purchase_token\": 1}");
    ck_assert_str_eq(in.problem[KF_BOOKING_FIELD_PURCHASE_TOKEN], "purchase_token_invalid");
    ck_assert_str_eq(in.problem[TERMS], "terms_required");
    ck_assert_ptr_null(in.purchase_token);

    in = read_json("{\"hold_token\": \"" HOLD_TOKEN "\", " CUSTOMER ", \"purchase_token\": null,"
                   " \"accepted_terms\": true}");
    ck_assert_int_eq(problems(&in), 0);
    ck_assert_ptr_null(in.purchase_token);
}
END_TEST

START_TEST(field_names)
{
    ck_assert_str_eq(kf_booking_field_name(KF_BOOKING_FIELD_HOLD_TOKEN), "hold_token");
    ck_assert_str_eq(kf_booking_field_name(KF_BOOKING_FIELD_PURCHASE_TOKEN), "purchase_token");
    ck_assert_str_eq(kf_booking_field_name(KF_BOOKING_FIELD_CUSTOMER), "customer");
    ck_assert_str_eq(kf_booking_field_name(PHONE), "customer.phone");
    ck_assert_str_eq(kf_booking_field_name(TERMS), "accepted_terms");
    ck_assert_str_eq(kf_booking_field_name(KF_BOOKING_FIELD_NOTES), "notes");
    ck_assert_str_eq(kf_booking_field_name(KF_BOOKING_FIELD_TIMEZONE), "timezone");
    ck_assert_ptr_null(kf_booking_field_name(KF_BOOKING_FIELDS));
}
END_TEST

/* the request's problems come first, whatever the facts; the phone's +57 rule is the hold's
 * tenant's, told with them */
START_TEST(problems_before_refusals)
{
    kf_booking_request in = read_json("{\"hold_token\": \"" HOLD_TOKEN "\", \"customer\":"
                                      " {\"name\": \"Ana Ruiz\", \"email\": \"ana@example.com\","
                                      " \"phone\": \"+14155550100\"}, \"accepted_terms\": true}");
    kf_booking_facts none = {0};
    kf_booking_decision d;
    ck_assert_int_eq(problems(&in), 0);
    ck_assert_int_eq(kf_booking_decide(pool, &in, &none, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_str_eq(d.refusal, "hold_expired");
    ck_assert_int_eq(d.status, 409);

    kf_booking_facts us = live("total", 120000, 0, "US");
    ck_assert_int_eq(kf_booking_decide(pool, &in, &us, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_ptr_null(d.refusal);

    kf_booking_facts co = live("total", 120000, 0, "CO");
    ck_assert_int_eq(kf_booking_decide(pool, &in, &co, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_str_eq(d.refusal, "validation_failed");
    ck_assert_int_eq(d.status, 400);
    ck_assert_str_eq(d.problem[PHONE], "customer_phone_invalid_co");

    in = read_json("{\"hold_token\": \"" HOLD_TOKEN "\"}");
    ck_assert_int_eq(kf_booking_decide(pool, &in, &none, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_str_eq(d.refusal, "validation_failed");
    ck_assert_str_eq(d.problem[KF_BOOKING_FIELD_CUSTOMER], "field_required");
    ck_assert_str_eq(d.problem[TERMS], "terms_required");
}
END_TEST

/* A validation refusal answers each field's message id by its name; other refusals name
 * no field. */
START_TEST(refusal_fields)
{
    kf_booking_request in = read_json("{\"hold_token\": \"" HOLD_TOKEN "\", \"customer\":"
                                      " {\"name\": \"Ana Ruiz\", \"email\": \"ana@example.com\","
                                      " \"phone\": \"+14155550100\"}, \"accepted_terms\": true}");
    kf_booking_facts co = live("total", 120000, 0, "CO");
    kf_booking_decision d;
    ck_assert_int_eq(kf_booking_decide(pool, &in, &co, NOW, WINDOW, &d), APR_SUCCESS);
    json_t *fields = kf_booking_refusal_fields(&d);
    ck_assert_ptr_nonnull(fields);
    ck_assert_uint_eq(json_object_size(fields), 1);
    ck_assert_str_eq(json_string_value(json_object_get(fields, kf_booking_field_name(PHONE))),
                     "customer_phone_invalid_co");
    json_decref(fields);

    kf_booking_facts none = {0};
    ck_assert_int_eq(kf_booking_decide(pool, &in, &none, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_str_eq(d.refusal, "hold_expired");
    ck_assert_ptr_null(kf_booking_refusal_fields(&d));
}
END_TEST

START_TEST(purchase_refusals)
{
    kf_booking_request in = read_json("{\"hold_token\": \"" HOLD_TOKEN "\", " CUSTOMER ","
                                      " \"purchase_token\": \"" PURCHASE_TOKEN "\"}");
    kf_booking_facts hold_only = live("total", 120000, 0, "CO");
    kf_booking_decision d;
    ck_assert_int_eq(kf_booking_decide(pool, &in, &hold_only, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_str_eq(d.refusal, "purchase_not_found");
    ck_assert_int_eq(d.status, 404);

    kf_booking_facts used_up = with_purchase(KF_PUR_PAID, 1, 5, 5);
    ck_assert_int_eq(kf_booking_decide(pool, &in, &used_up, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_str_eq(d.refusal, "package_used_up");
    ck_assert_int_eq(d.status, 409);

    kf_booking_facts other = with_purchase(KF_PUR_PAID, 0, 5, 1);
    ck_assert_int_eq(kf_booking_decide(pool, &in, &other, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_str_eq(d.refusal, "package_service_mismatch");
    ck_assert_int_eq(d.status, 400);

    kf_booking_facts unpaid = with_purchase(KF_PUR_PENDING_PAYMENT, 1, 5, 0);
    ck_assert_int_eq(kf_booking_decide(pool, &in, &unpaid, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_str_eq(d.refusal, "purchase_not_paid");

    kf_booking_facts ran_out = with_purchase(KF_PUR_PAID, 1, 5, 1);
    ran_out.purchase_due = 1;
    ck_assert_int_eq(kf_booking_decide(pool, &in, &ran_out, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_str_eq(d.refusal, "purchase_expired");

    kf_booking_facts ok = with_purchase(KF_PUR_PAID, 1, 5, 4);
    ck_assert_int_eq(kf_booking_decide(pool, &in, &ok, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_ptr_null(d.refusal);
    ck_assert_str_eq(d.charge_type, "free");
}
END_TEST

/* The decision for a complete request and a live hold of this service. */
static apr_status_t decide_hold(kf_booking_hold h, kf_booking_decision *d)
{
    kf_booking_request in = complete();
    kf_booking_facts f = live(NULL, 0, 0, "CO");
    f.hold = h;
    return kf_booking_decide(pool, &in, &f, NOW, WINDOW, d);
}

static kf_booking_hold service(const char *charge_type, apr_int64_t price, int deposit)
{
    kf_booking_hold h = {charge_type, price, deposit, 0, 0, 0};
    return h;
}

START_TEST(paid_service_waits_for_its_money)
{
    kf_booking_decision d;
    ck_assert_int_eq(decide_hold(service("total", 120000, 0), &d), APR_SUCCESS);
    ck_assert_ptr_null(d.refusal);
    ck_assert_str_eq(d.charge_type, "total");
    ck_assert_int_eq(d.amount, 120000);
    ck_assert(d.outcome.effects & KF_RES_FX_CHECKOUT);
    ck_assert_int_eq(d.outcome.next, KF_RES_PENDING_PAYMENT);
    ck_assert_str_eq(d.outcome.reason, "details_entered");
    ck_assert(!(d.outcome.effects & KF_RES_FX_CALLBACK_PAID));
    ck_assert_int_eq(d.deadline, NOW + WINDOW);
}
END_TEST

START_TEST(deposit_rounds_up)
{
    kf_booking_decision d;
    ck_assert_int_eq(decide_hold(service("partial", 10001, 30), &d), APR_SUCCESS);
    ck_assert_str_eq(d.charge_type, "partial");
    ck_assert_int_eq(d.amount, 3001);
    ck_assert(d.outcome.effects & KF_RES_FX_CHECKOUT);
    ck_assert_int_eq(d.outcome.next, KF_RES_PENDING_PAYMENT);
    ck_assert_int_eq(d.deadline, NOW + WINDOW);
}
END_TEST

START_TEST(free_service_is_paid_at_once)
{
    kf_booking_decision d;
    ck_assert_int_eq(decide_hold(service("free", 0, 0), &d), APR_SUCCESS);
    ck_assert_str_eq(d.charge_type, "free");
    ck_assert_int_eq(d.amount, 0);
    ck_assert(!(d.outcome.effects & KF_RES_FX_CHECKOUT));
    ck_assert_int_eq(d.outcome.next, KF_RES_PAID);
    ck_assert(d.outcome.effects & KF_RES_FX_CALLBACK_PAID);
    ck_assert(d.outcome.effects & KF_RES_FX_MAIL_CONFIRMATION);
    ck_assert(!(d.outcome.effects & KF_RES_FX_SESSION_SPENT));
    ck_assert_int_eq(d.deadline, 0);
}
END_TEST

/* packages: the purchase paid for the session, whatever the service charges, and even when
 * the service's price would be refused */
START_TEST(purchase_session_collects_nothing)
{
    static const kf_booking_hold holds[] = {
        {"total", 120000, 0, 1, 0, 0}, {"partial", 5000, 50, 1, 0, 0},
        {"total", 0, 0, 1, 0, 0}, {NULL, 0, 0, 1, 0, 0},
    };
    for (size_t i = 0; i < sizeof holds / sizeof holds[0]; i++) {
        kf_booking_decision d;
        ck_assert_int_eq(decide_hold(holds[i], &d), APR_SUCCESS);
        ck_assert_str_eq(d.charge_type, "free");
        ck_assert_int_eq(d.amount, 0);
        ck_assert(!(d.outcome.effects & KF_RES_FX_CHECKOUT));
        ck_assert_int_eq(d.outcome.next, KF_RES_PAID);
        ck_assert(d.outcome.effects & KF_RES_FX_CALLBACK_PAID);
        ck_assert(d.outcome.effects & KF_RES_FX_SESSION_SPENT);
        ck_assert_int_eq(d.deadline, 0);
    }
}
END_TEST

/* the first occurrence of a series is charged its own price; its checkout, every occurrence's
 * (pay all) or the first's (pay first) */
START_TEST(a_series_checkout_charges_all_or_the_first)
{
    kf_booking_decision d;
    kf_booking_hold all = {"total", 5000, 0, 0, 3, 1}, first = {"total", 5000, 0, 0, 3, 0};
    ck_assert_int_eq(decide_hold(all, &d), APR_SUCCESS);
    ck_assert_int_eq(d.amount, 5000);
    ck_assert_int_eq(d.checkout, 15000);
    ck_assert(d.outcome.effects & KF_RES_FX_CHECKOUT);
    ck_assert_int_eq(decide_hold(first, &d), APR_SUCCESS);
    ck_assert_int_eq(d.amount, 5000);
    ck_assert_int_eq(d.checkout, 5000);
    kf_booking_hold once = {"total", 5000, 0, 0, 0, 0}, free_series = {"free", 0, 0, 0, 4, 1};
    ck_assert_int_eq(decide_hold(once, &d), APR_SUCCESS);
    ck_assert_int_eq(d.checkout, 5000);
    ck_assert_int_eq(decide_hold(free_series, &d), APR_SUCCESS);
    ck_assert_int_eq(d.checkout, 0);
    ck_assert_int_eq(d.outcome.next, KF_RES_PAID);
}
END_TEST

/* a service whose charge the catalog refuses cannot be booked (the catalog never stores one) */
START_TEST(refused_charges)
{
    static const kf_booking_hold holds[] = {
        {"gratis", 100, 0, 0, 0, 0}, {NULL, 100, 0, 0, 0, 0}, {"total", 0, 0, 0, 0, 0},
        {"total", -1, 0, 0, 0, 0}, {"partial", 1000, 0, 0, 0, 0}, {"partial", 1000, 100, 0, 0, 0},
        {"free", 100, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof holds / sizeof holds[0]; i++) {
        kf_booking_decision d;
        ck_assert_msg(decide_hold(holds[i], &d) == APR_EINVAL, "hold %zu", i);
    }
}
END_TEST

START_TEST(terms)
{
    ck_assert(kf_booking_terms_needed(0));
    ck_assert(!kf_booking_terms_needed(1));
}
END_TEST

/* The statement's row as the decision's facts: a hold of a 25 % deposit service in Colombia,
 * then with a package's session of the same service, paid, 2 of 5 used. */
START_TEST(facts_of_the_row)
{
    const char *v[KF_BOOKING_FACT_COL_COUNT] = {NULL};
    v[KF_BOOKING_FACT_COL_HOLD_ID] = "h-1";
    v[KF_BOOKING_FACT_COL_CHARGE_TYPE] = "partial";
    v[KF_BOOKING_FACT_COL_PRICE] = "120000";
    v[KF_BOOKING_FACT_COL_DEPOSIT] = "25";
    v[KF_BOOKING_FACT_COL_COUNTRY] = "CO";
    kf_booking_facts f;
    kf_booking_facts_of(v, &f);
    ck_assert(f.hold_live);
    ck_assert_str_eq(f.country, "CO");
    ck_assert_str_eq(f.hold.charge_type, "partial");
    ck_assert_int_eq(f.hold.price, 120000);
    ck_assert_int_eq(f.hold.deposit_percent, 25);
    ck_assert(!f.hold.purchase_session);
    ck_assert_int_eq(f.purchase_state, KF_PUR_FAILED);   /* no purchase named */
    v[KF_BOOKING_FACT_COL_PURCHASE_ID] = "pu-1";
    v[KF_BOOKING_FACT_COL_PURCHASE_STATUS] = "paid";
    v[KF_BOOKING_FACT_COL_PURCHASE_DUE] = "f";
    v[KF_BOOKING_FACT_COL_PURCHASE_EVER_PAID] = "t";
    v[KF_BOOKING_FACT_COL_PURCHASE_SAME_SERVICE] = "t";
    v[KF_BOOKING_FACT_COL_SESSIONS_TOTAL] = "5";
    v[KF_BOOKING_FACT_COL_SESSIONS_USED] = "2";
    kf_booking_facts_of(v, &f);
    ck_assert(f.hold.purchase_session);
    ck_assert_int_eq(f.purchase_state, KF_PUR_PAID);
    ck_assert(!f.purchase_due);
    ck_assert(f.purchase_ever_paid);
    ck_assert(f.purchase_same_service);
    ck_assert_int_eq(f.sessions_total, 5);
    ck_assert_int_eq(f.sessions_used, 2);
}
END_TEST

START_TEST(the_status_url_is_on_the_public_host)
{
    ck_assert_str_eq(kf_booking_status_url(pool, "https://k.example/", "b-1", "tok"),
                     "https://k.example/api/public/bookings/b-1?token=tok");
    ck_assert_str_eq(kf_booking_status_url(pool, "https://k.example", "b-1", "tok"),
                     "https://k.example/api/public/bookings/b-1?token=tok");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("booking_create");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, a_complete_request_has_no_problem_and_its_hash);
    tcase_add_test(tc, each_reading_mints_a_new_booking_token);
    tcase_add_test(tc, refusal_fields);
    tcase_add_test(tc, facts_of_the_row);
    tcase_add_test(tc, the_status_url_is_on_the_public_host);
    tcase_add_test(tc, an_empty_request_names_what_is_required);
    tcase_add_test(tc, each_field_tells_its_first_problem);
    tcase_add_test(tc, purchase_tokens);
    tcase_add_test(tc, field_names);
    tcase_add_test(tc, problems_before_refusals);
    tcase_add_test(tc, purchase_refusals);
    tcase_add_test(tc, paid_service_waits_for_its_money);
    tcase_add_test(tc, deposit_rounds_up);
    tcase_add_test(tc, free_service_is_paid_at_once);
    tcase_add_test(tc, purchase_session_collects_nothing);
    tcase_add_test(tc, refused_charges);
    tcase_add_test(tc, a_series_checkout_charges_all_or_the_first);
    tcase_add_test(tc, terms);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
