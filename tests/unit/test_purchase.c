/* Unit suite for lib/payments/kf_purchase.c (packages: a purchase's life, booking its sessions,
 * giving a session back) and the purchase.paid / package session callback bodies of
 * lib/callbacks/kf_callback.c. */
#include "kf_check.h"
#include <string.h>

#include <apr_strings.h>

#include "kf_callback.h"
#include "kf_purchase.h"

START_TEST(names_round_trip)
{
    for (int s = 0; s < KF_PUR_STATE_COUNT; s++) {
        ck_assert_int_eq(kf_pur_state_parse(kf_pur_state_name((kf_pur_state)s)), s);
    }
    ck_assert_str_eq(kf_pur_state_name(KF_PUR_PENDING_PAYMENT), "pending_payment");
    ck_assert_int_eq(kf_pur_state_parse("held"), -1);
    ck_assert_int_eq(kf_pur_state_parse(NULL), -1);
    ck_assert_ptr_null(kf_pur_state_name(KF_PUR_STATE_COUNT));
}
END_TEST

START_TEST(approval_pays_once)
{
    kf_pur_outcome o = kf_purchase_next(KF_PUR_PENDING_PAYMENT, KF_PUR_APPROVE, NULL);
    ck_assert_int_eq(o.next, KF_PUR_PAID);
    ck_assert(o.moved);
    ck_assert_str_eq(o.reason, "payment_approved");
    ck_assert_uint_eq(o.effects, KF_PUR_FX_PAID);

    /* the same approval again (webhook and return fetch): nothing */
    kf_pur_facts same = {1, 1, NULL};
    o = kf_purchase_next(KF_PUR_PAID, KF_PUR_APPROVE, &same);
    ck_assert(!o.moved);
    ck_assert_uint_eq(o.effects, 0);

    /* another transaction approved for a paid purchase: flagged, never dropped */
    kf_pur_facts other = {1, 0, NULL};
    o = kf_purchase_next(KF_PUR_PAID, KF_PUR_APPROVE, &other);
    ck_assert(!o.moved);
    ck_assert_uint_eq(o.effects, KF_PUR_FX_REFUND_FLAG);
    ck_assert_str_eq(o.flag_reason, "second_approval");
    o = kf_purchase_next(KF_PUR_EXPIRED, KF_PUR_APPROVE, &other);
    ck_assert_int_eq(o.next, KF_PUR_EXPIRED);
    ck_assert_uint_eq(o.effects, KF_PUR_FX_REFUND_FLAG);
}
END_TEST

START_TEST(a_payment_event_records_what_it_did_to_the_purchase)
{
    kf_pur_outcome o = kf_purchase_next(KF_PUR_PENDING_PAYMENT, KF_PUR_APPROVE, NULL);
    ck_assert_str_eq(kf_purchase_event_result(&o), "paid");
    kf_pur_facts declined = {0, 0, "payment_declined"};
    o = kf_purchase_next(KF_PUR_PENDING_PAYMENT, KF_PUR_DECLINE, &declined);
    ck_assert_str_eq(kf_purchase_event_result(&o), "failed");
    kf_pur_facts same = {1, 1, NULL};
    o = kf_purchase_next(KF_PUR_PAID, KF_PUR_APPROVE, &same);
    ck_assert_str_eq(kf_purchase_event_result(&o), "unchanged");
    kf_pur_facts other = {1, 0, NULL};
    o = kf_purchase_next(KF_PUR_PAID, KF_PUR_APPROVE, &other);
    ck_assert_str_eq(kf_purchase_event_result(&o), "flagged");
}
END_TEST

START_TEST(late_approvals_still_buy_the_package)
{
    kf_pur_outcome o = kf_purchase_next(KF_PUR_FAILED, KF_PUR_APPROVE, NULL);
    ck_assert_int_eq(o.next, KF_PUR_PAID);
    ck_assert_str_eq(o.reason, "late_approval");
    ck_assert_uint_eq(o.effects, KF_PUR_FX_PAID);
    kf_pur_facts unpaid = {0, 0, NULL};
    o = kf_purchase_next(KF_PUR_EXPIRED, KF_PUR_APPROVE, &unpaid);
    ck_assert_int_eq(o.next, KF_PUR_PAID);
    ck_assert_uint_eq(o.effects, KF_PUR_FX_PAID);
    ck_assert(kf_pur_state_awaits_approval(KF_PUR_PENDING_PAYMENT, 0));
    ck_assert(kf_pur_state_awaits_approval(KF_PUR_FAILED, 0));
    ck_assert(kf_pur_state_awaits_approval(KF_PUR_EXPIRED, 0));
    ck_assert(!kf_pur_state_awaits_approval(KF_PUR_EXPIRED, 1));
    ck_assert(!kf_pur_state_awaits_approval(KF_PUR_PAID, 1));
}
END_TEST

START_TEST(decline_and_expiry)
{
    kf_pur_facts f = {0, 0, "payment_voided"};
    kf_pur_outcome o = kf_purchase_next(KF_PUR_PENDING_PAYMENT, KF_PUR_DECLINE, &f);
    ck_assert_int_eq(o.next, KF_PUR_FAILED);
    ck_assert_str_eq(o.reason, "payment_voided");
    o = kf_purchase_next(KF_PUR_PENDING_PAYMENT, KF_PUR_DECLINE, NULL);
    ck_assert_str_eq(o.reason, "payment_declined");
    /* a decline after the money came changes nothing */
    o = kf_purchase_next(KF_PUR_PAID, KF_PUR_DECLINE, &f);
    ck_assert(!o.moved);
    ck_assert_int_eq(o.next, KF_PUR_PAID);

    o = kf_purchase_next(KF_PUR_PENDING_PAYMENT, KF_PUR_EXPIRE, NULL);
    ck_assert_int_eq(o.next, KF_PUR_EXPIRED);
    ck_assert_str_eq(o.reason, "payment_window_passed");
    o = kf_purchase_next(KF_PUR_PAID, KF_PUR_EXPIRE, NULL);
    ck_assert_int_eq(o.next, KF_PUR_EXPIRED);
    ck_assert_str_eq(o.reason, "validity_passed");
    ck_assert(!kf_purchase_next(KF_PUR_FAILED, KF_PUR_EXPIRE, NULL).moved);
    ck_assert(!kf_purchase_next(KF_PUR_EXPIRED, KF_PUR_EXPIRE, NULL).moved);
    ck_assert(!kf_purchase_next((kf_pur_state)42, KF_PUR_APPROVE, NULL).moved);

    ck_assert_int_eq(kf_pur_state_seen(KF_PUR_PAID, 0), KF_PUR_PAID);
    ck_assert_int_eq(kf_pur_state_seen(KF_PUR_PAID, 1), KF_PUR_EXPIRED);
    ck_assert_int_eq(kf_pur_state_seen(KF_PUR_PENDING_PAYMENT, 1), KF_PUR_EXPIRED);
    ck_assert_int_eq(kf_pur_state_seen(KF_PUR_FAILED, 1), KF_PUR_FAILED);
}
END_TEST

START_TEST(booking_a_session)
{
    ck_assert_ptr_null(kf_purchase_session_refusal(KF_PUR_PAID, 1, 1, 4, 0));
    ck_assert_ptr_null(kf_purchase_session_refusal(KF_PUR_PAID, 1, 1, 4, 3));
    ck_assert_str_eq(kf_purchase_session_refusal(KF_PUR_PAID, 1, 1, 4, 4), "package_used_up");
    ck_assert_str_eq(kf_purchase_session_refusal(KF_PUR_PAID, 1, 1, 4, 5), "package_used_up");
    ck_assert_str_eq(kf_purchase_session_refusal(KF_PUR_PAID, 1, 0, 4, 0),
                     "package_service_mismatch");
    ck_assert_str_eq(kf_purchase_session_refusal(KF_PUR_PENDING_PAYMENT, 0, 1, 4, 0),
                     "purchase_not_paid");
    ck_assert_str_eq(kf_purchase_session_refusal(KF_PUR_FAILED, 0, 1, 4, 0), "purchase_not_paid");
    ck_assert_str_eq(kf_purchase_session_refusal(KF_PUR_EXPIRED, 0, 1, 4, 0), "purchase_not_paid");
    ck_assert_str_eq(kf_purchase_session_refusal(KF_PUR_EXPIRED, 1, 1, 4, 0), "purchase_expired");
    /* the state speaks first: an expired package of another service is expired */
    ck_assert_str_eq(kf_purchase_session_refusal(KF_PUR_EXPIRED, 1, 0, 4, 4), "purchase_expired");

    ck_assert_int_eq(kf_purchase_refusal_status("package_service_mismatch"), 400);
    ck_assert_int_eq(kf_purchase_refusal_status("package_used_up"), 409);
    ck_assert_int_eq(kf_purchase_refusal_status("purchase_expired"), 409);
    ck_assert_int_eq(kf_purchase_refusal_status("purchase_not_paid"), 409);

    ck_assert_int_eq(kf_purchase_sessions_left(4, 1), 3);
    ck_assert_int_eq(kf_purchase_sessions_left(4, 4), 0);
    ck_assert_int_eq(kf_purchase_sessions_left(4, 6), 0);
}
END_TEST

START_TEST(cancelling_gives_the_session_back_before_the_cutoff)
{
    ck_assert(kf_purchase_cancel_returns_session(1, 0, 1));
    ck_assert(!kf_purchase_cancel_returns_session(1, 0, 0));    /* after the cutoff: used */
    ck_assert(!kf_purchase_cancel_returns_session(1, 1, 1));    /* given back already */
    ck_assert(!kf_purchase_cancel_returns_session(0, 0, 1));    /* not a package booking */
    ck_assert_str_eq(kf_purchase_token_aad(pool, "pu-1"), "purchase:pu-1:token");
}
END_TEST

#define PURCHASE_BODY                                                                        \
    "{\"evento\":\"purchase.paid\",\"tenant_id\":\"t-1\",\"purchase_id\":\"pu-1\","          \
    "\"paquete\":{\"id\":\"pk-1\",\"nombre\":\"4 sesiones\",\"sesiones\":4,"                 \
    "\"vigencia_dias\":90,\"precio\":40000000},\"servicio\":{\"id\":\"s-1\","                \
    "\"nombre\":\"Masaje\",\"duracion_min\":60},\"compra\":{\"pagada\":"                     \
    "\"2026-11-20T10:00:00Z\",\"vence\":\"2027-02-18T10:00:00Z\",\"sesiones_restantes\":4}," \
    "\"usuario\":{\"nombre\":\"Ana María\",\"email\":\"ana@example.com\","                   \
    "\"telefono\":\"+573001234567\",\"acepto_terminos\":true},\"pago\":{\"proveedor\":"      \
    "\"wompi\",\"estado\":\"aprobado\",\"referencia\":\"KF-PKG\",\"monto\":40000000,"        \
    "\"moneda\":\"COP\",\"modo\":\"test\"},\"seguridad\":{\"timestamp\":"                    \
    "\"2026-11-20T10:00:01Z\",\"firma_hmac\":\""
/* hex HMAC-SHA256("whsec_merchant", PURCHASE_BODY "\"}}"), computed independently (Python) */
#define PURCHASE_FIRMA "e3007af3a774461ab12031397b4455cef48de5c70521f259db1c979b02194f73"

static kf_callback_purchase paid_purchase(void)
{
    kf_callback_purchase b;
    memset(&b, 0, sizeof(b));
    b.tenant_id = "t-1";
    b.purchase_id = "pu-1";
    b.package_id = "pk-1";
    b.package_name = "4 sesiones";
    b.sessions = 4;
    b.valid_days = 90;
    b.price = 40000000;
    b.service_id = "s-1";
    b.service_name = "Masaje";
    b.duration_min = 60;
    b.paid_at = "2026-11-20T10:00:00Z";
    b.expires_at = "2027-02-18T10:00:00Z";
    b.customer_name = "Ana María";
    b.customer_email = "ana@example.com";
    b.customer_phone = "+573001234567";
    b.accepted_terms = 1;
    b.provider = "wompi";
    b.reference = "KF-PKG";
    b.amount = 40000000;
    b.currency = "COP";
    b.test_mode = 1;
    b.timestamp = "2026-11-20T10:00:01Z";
    return b;
}

START_TEST(purchase_paid_body_is_byte_exact)
{
    kf_callback_purchase b = paid_purchase();
    ck_assert_str_eq(kf_callback_purchase_body(pool, &b, "whsec_merchant"),
                     PURCHASE_BODY PURCHASE_FIRMA "\"}}");
    ck_assert_str_eq(kf_callback_purchase_body(pool, &b, NULL), PURCHASE_BODY "\"}}");
    b.reference = NULL;
    ck_assert_ptr_null(kf_callback_purchase_body(pool, &b, "whsec_merchant"));
    ck_assert_ptr_null(kf_callback_purchase_body(pool, NULL, "whsec_merchant"));
}
END_TEST

START_TEST(package_session_booking_body)
{
    kf_callback_booking b;
    memset(&b, 0, sizeof(b));
    b.tenant_id = "t-1";
    b.booking_id = "b-1";
    b.service_id = "s-1";
    b.service_name = "Masaje";
    b.duration_min = 60;
    b.charge_type = "package";
    b.price = 10000000;
    b.professional_id = "p-1";
    b.professional_name = "Dra. Núñez";
    b.start = "2026-12-01T14:00:00Z";
    b.end = "2026-12-01T15:00:00Z";
    b.timezone = "America/Bogota";
    b.customer_name = "Ana María";
    b.customer_email = "ana@example.com";
    b.customer_phone = "+573001234567";
    b.accepted_terms = 1;
    b.provider = "wompi";
    b.reference = "KF-PKG";
    b.currency = "COP";
    b.timestamp = "2026-11-20T10:00:00Z";
    b.purchase_id = "pu-1";
    b.package_sessions = 4;
    b.package_sessions_used = 2;
    const char *body = kf_callback_body(pool, &b, NULL);
    ck_assert_ptr_nonnull(body);
    ck_assert_ptr_nonnull(strstr(body, "\"pago\":{\"proveedor\":\"wompi\",\"estado\":\"aprobado\","
                                       "\"referencia\":\"KF-PKG\",\"monto\":0,\"moneda\":\"COP\","
                                       "\"modo\":\"produccion\"},\"paquete\":{\"compra_id\":\"pu-1\","
                                       "\"sesiones\":4,\"sesiones_usadas\":2},\"seguridad\":"));
    ck_assert_ptr_nonnull(strstr(body, "\"pago\":\"package\""));
    /* without a purchase, no "paquete" key at all */
    b.purchase_id = NULL;
    ck_assert_ptr_null(strstr(kf_callback_body(pool, &b, NULL), "paquete"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("purchase");
    TCase *tc = tcase_create("packages");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, names_round_trip);
    tcase_add_test(tc, approval_pays_once);
    tcase_add_test(tc, a_payment_event_records_what_it_did_to_the_purchase);
    tcase_add_test(tc, late_approvals_still_buy_the_package);
    tcase_add_test(tc, decline_and_expiry);
    tcase_add_test(tc, booking_a_session);
    tcase_add_test(tc, cancelling_gives_the_session_back_before_the_cutoff);
    tcase_add_test(tc, purchase_paid_body_is_byte_exact);
    tcase_add_test(tc, package_session_booking_body);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
