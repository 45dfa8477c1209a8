/* Unit suite for lib/bookings/kf_booking_create.c: what making a booking of a hold charges,
 * where the state machine's book takes it and when it runs out. */
#include "kf_check.h"
#include "kf_booking_create.h"

#define NOW 1800000000
#define WINDOW 1800

static kf_booking_hold service(const char *charge_type, apr_int64_t price, int deposit)
{
    kf_booking_hold h = {charge_type, price, deposit, 0};
    return h;
}

START_TEST(paid_service_waits_for_its_money)
{
    kf_booking_hold h = service("total", 120000, 0);
    kf_booking_decision d;
    ck_assert_int_eq(kf_booking_decide(&h, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_str_eq(d.charge_type, "total");
    ck_assert_int_eq(d.amount, 120000);
    ck_assert(d.collect);
    ck_assert_int_eq(d.outcome.next, KF_RES_PENDING_PAYMENT);
    ck_assert_str_eq(d.outcome.reason, "details_entered");
    ck_assert(!(d.outcome.effects & KF_RES_FX_CALLBACK_PAID));
    ck_assert_int_eq(d.deadline, NOW + WINDOW);
}
END_TEST

START_TEST(deposit_rounds_up)
{
    kf_booking_hold h = service("partial", 10001, 30);
    kf_booking_decision d;
    ck_assert_int_eq(kf_booking_decide(&h, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_str_eq(d.charge_type, "partial");
    ck_assert_int_eq(d.amount, 3001);
    ck_assert(d.collect);
    ck_assert_int_eq(d.outcome.next, KF_RES_PENDING_PAYMENT);
    ck_assert_int_eq(d.deadline, NOW + WINDOW);
}
END_TEST

START_TEST(free_service_is_paid_at_once)
{
    kf_booking_hold h = service("free", 0, 0);
    kf_booking_decision d;
    ck_assert_int_eq(kf_booking_decide(&h, NOW, WINDOW, &d), APR_SUCCESS);
    ck_assert_str_eq(d.charge_type, "free");
    ck_assert_int_eq(d.amount, 0);
    ck_assert(!d.collect);
    ck_assert_int_eq(d.outcome.next, KF_RES_PAID);
    ck_assert(d.outcome.effects & KF_RES_FX_CALLBACK_PAID);
    ck_assert(d.outcome.effects & KF_RES_FX_MAIL_CONFIRMATION);
    ck_assert_int_eq(d.deadline, 0);
}
END_TEST

/* packages: the purchase paid for the session, whatever the service charges, and even when
 * the service's price would be refused */
START_TEST(purchase_session_collects_nothing)
{
    static const kf_booking_hold holds[] = {
        {"total", 120000, 0, 1}, {"partial", 5000, 50, 1}, {"total", 0, 0, 1}, {NULL, 0, 0, 1},
    };
    for (size_t i = 0; i < sizeof holds / sizeof holds[0]; i++) {
        kf_booking_decision d;
        ck_assert_int_eq(kf_booking_decide(&holds[i], NOW, WINDOW, &d), APR_SUCCESS);
        ck_assert_str_eq(d.charge_type, "free");
        ck_assert_int_eq(d.amount, 0);
        ck_assert(!d.collect);
        ck_assert_int_eq(d.outcome.next, KF_RES_PAID);
        ck_assert(d.outcome.effects & KF_RES_FX_CALLBACK_PAID);
        ck_assert_int_eq(d.deadline, 0);
    }
}
END_TEST

/* a service whose charge the catalog refuses cannot be booked (the catalog never stores one) */
START_TEST(refused_charges)
{
    static const kf_booking_hold holds[] = {
        {"gratis", 100, 0, 0}, {NULL, 100, 0, 0}, {"total", 0, 0, 0}, {"total", -1, 0, 0},
        {"partial", 1000, 0, 0}, {"partial", 1000, 100, 0}, {"free", 100, 0, 0},
    };
    for (size_t i = 0; i < sizeof holds / sizeof holds[0]; i++) {
        kf_booking_decision d;
        ck_assert_msg(kf_booking_decide(&holds[i], NOW, WINDOW, &d) == APR_EINVAL, "hold %zu", i);
    }
}
END_TEST

START_TEST(terms)
{
    ck_assert(kf_booking_terms_needed(0));
    ck_assert(!kf_booking_terms_needed(1));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("booking_create");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, paid_service_waits_for_its_money);
    tcase_add_test(tc, deposit_rounds_up);
    tcase_add_test(tc, free_service_is_paid_at_once);
    tcase_add_test(tc, purchase_session_collects_nothing);
    tcase_add_test(tc, refused_charges);
    tcase_add_test(tc, terms);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
