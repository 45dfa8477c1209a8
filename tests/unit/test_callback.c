/* Unit suite for lib/callbacks/kf_callback.c: the merchant callback body byte for byte, firma_hmac,
 * the X-Konfirmado-Signature header and the retry schedule of API.md. */
#include "kf_check.h"
#include <string.h>

#include <apr_strings.h>

#include "kf_callback.h"
#include "kf_crypto.h"

static kf_callback_booking paid_booking(void)
{
    kf_callback_booking b = {
        "booking.paid", "t-1", "b-1", "s-1", "Consulta dermatológica", 30, "partial", 12000000, 3000000,
        "p-1", "Dra. Núñez", "2026-12-01T14:00:00Z", "2026-12-01T14:30:00Z", "America/Bogota",
        "Ana María", "ana@example.com", "+573001234567", 1,
        "wompi", "KF-ABC", 3000000, "COP", 1, "2026-11-20T10:00:00Z", NULL, 0, 0,
        NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, 0, 0,
    };
    return b;
}

#define UNSIGNED_BODY                                                                         \
    "{\"evento\":\"booking.paid\",\"tenant_id\":\"t-1\",\"booking_id\":\"b-1\",\"servicio\":{\"id\":\"s-1\","            \
    "\"nombre\":\"Consulta dermatológica\",\"duracion_min\":30,\"pago\":\"partial\","         \
    "\"precio\":12000000,\"monto_cobrado\":3000000},\"profesional\":{\"id\":\"p-1\","        \
    "\"nombre\":\"Dra. Núñez\"},\"cita\":{\"inicio\":\"2026-12-01T14:00:00Z\","              \
    "\"fin\":\"2026-12-01T14:30:00Z\",\"timezone\":\"America/Bogota\"},\"usuario\":"         \
    "{\"nombre\":\"Ana María\",\"email\":\"ana@example.com\",\"telefono\":\"+573001234567\"," \
    "\"acepto_terminos\":true},\"pago\":{\"proveedor\":\"wompi\",\"estado\":\"aprobado\","   \
    "\"referencia\":\"KF-ABC\",\"monto\":3000000,\"moneda\":\"COP\",\"modo\":\"test\"},"      \
    "\"seguridad\":"                                                                         \
    "{\"timestamp\":\"2026-11-20T10:00:00Z\",\"firma_hmac\":\""
/* hex HMAC-SHA256("whsec_merchant", UNSIGNED_BODY "\"}}"), computed independently (Python) */
#define LUGAR_FIRMA "d536d46aea0d84093a6e3ff7fc929af1869d1e54b37ffe3250491bba48f1b360"
#define FIRMA "4bd0a00ed7a6cb3c663594ec5d92fbc530590bcfc93c68f41f8183dc3e47447d"

START_TEST(body_is_byte_exact)
{
    kf_callback_booking b = paid_booking();
    const char *body = kf_callback_body(pool, &b, "whsec_merchant");
    ck_assert_str_eq(body, UNSIGNED_BODY FIRMA "\"}}");
    /* firma_hmac is the HMAC of the body with firma_hmac "" */
    const char *unsigned_body = UNSIGNED_BODY "\"}}";
    ck_assert_str_eq(kf_hmac_sha256_hex(pool, "whsec_merchant", 14, unsigned_body,
                                        strlen(unsigned_body)), FIRMA);
}
END_TEST

START_TEST(location_is_the_last_key_of_cita_and_signed)
{
    kf_callback_booking b = paid_booking();
    kf_location loc = {KF_LOCATION_IN_PERSON, "Calle 93 #11-27, consultorio 402", KF_VIDEO_URL};
    b.location = &loc;
    const char *body = kf_callback_body(pool, &b, "whsec_merchant");
    ck_assert_ptr_nonnull(strstr(body, "\"timezone\":\"America/Bogota\",\"lugar\":{\"tipo\":"
                                      "\"presencial\",\"direccion\":\"Calle 93 #11-27, "
                                      "consultorio 402\"}},\"usuario\":"));
    /* hex HMAC-SHA256("whsec_merchant", the body with firma_hmac ""), computed in Python */
    ck_assert_ptr_nonnull(strstr(body, "\"firma_hmac\":\"" LUGAR_FIRMA "\"}}"));
    kf_location video = {KF_LOCATION_VIDEO, "https://meet.example.com/abc", KF_VIDEO_URL};
    b.location = &video;
    ck_assert_ptr_nonnull(strstr(kf_callback_body(pool, &b, NULL),
                                 "\"lugar\":{\"tipo\":\"video\",\"url\":"
                                 "\"https://meet.example.com/abc\"}},"));
    kf_location none = {KF_LOCATION_NONE, NULL, KF_VIDEO_URL};
    b.location = &none;
    ck_assert_str_eq(kf_callback_body(pool, &b, NULL), UNSIGNED_BODY "\"}}");
}
END_TEST

/* The merchant's ids come right after booking_id, keys sorted whatever order they were
 * stored in, inside what is signed; without them there is no key. */
START_TEST(metadata_follows_the_booking_id_sorted)
{
    kf_callback_booking b = paid_booking();
    b.metadata = "{\"order\": \"A-17\", \"crm\": \"88\"}";
    const char *body = kf_callback_body(pool, &b, "whsec_merchant");
    ck_assert_ptr_nonnull(
        strstr(body, "\"booking_id\":\"b-1\",\"metadata\":{\"crm\":\"88\",\"order\":\"A-17\"},"
                     "\"servicio\":"));
    b.metadata = NULL;
    ck_assert_ptr_null(strstr(kf_callback_body(pool, &b, "whsec_merchant"), "metadata"));
    b.metadata = "{}";
    ck_assert_ptr_null(strstr(kf_callback_body(pool, &b, "whsec_merchant"), "metadata"));
}
END_TEST

/* An occurrence of a series tells its place in it right after cita (a seat's cupo after);
 * a booking of no series has no key. */
START_TEST(serie_follows_the_cita)
{
    kf_callback_booking b = paid_booking();
    b.series_id = "s-1";
    b.series_index = 2;
    b.series_count = 4;
    b.seat_capacity = 10;
    b.seats_taken = 3;
    const char *body = kf_callback_body(pool, &b, "whsec_merchant");
    ck_assert_ptr_nonnull(strstr(body, "\"America/Bogota\"},\"serie\":{\"id\":\"s-1\","
                                       "\"indice\":2,\"total\":4},\"cupo\":{"));
    b.series_id = NULL;
    ck_assert_ptr_null(strstr(kf_callback_body(pool, &b, "whsec_merchant"), "serie"));
}
END_TEST

START_TEST(body_without_secret_has_empty_firma)
{
    kf_callback_booking b = paid_booking();
    ck_assert_str_eq(kf_callback_body(pool, &b, NULL), UNSIGNED_BODY "\"}}");
    ck_assert_str_eq(kf_callback_body(pool, &b, ""), UNSIGNED_BODY "\"}}");
}
END_TEST

START_TEST(free_booking_body)
{
    kf_callback_booking b = paid_booking();
    b.charge_type = "free";
    b.charged = 0;
    b.price = 0;
    b.provider = NULL;
    b.reference = NULL;
    b.amount = 0;
    b.test_mode = 0;
    const char *body = kf_callback_body(pool, &b, NULL);
    ck_assert_ptr_nonnull(strstr(body, "\"pago\":{\"proveedor\":\"ninguno\",\"estado\":\"no_aplica\","
                                       "\"referencia\":null,\"monto\":0,\"moneda\":\"COP\","
                                       "\"modo\":\"produccion\"}"));
    ck_assert_ptr_nonnull(strstr(body, "\"pago\":\"free\",\"precio\":0,\"monto_cobrado\":0}"));
}
END_TEST

START_TEST(body_refuses_missing_or_bad_text)
{
    kf_callback_booking b = paid_booking();
    b.customer_name = NULL;
    ck_assert_ptr_null(kf_callback_body(pool, &b, "s"));
    b = paid_booking();
    b.customer_name = "\xff\xfe";
    ck_assert_ptr_null(kf_callback_body(pool, &b, "s"));
    ck_assert_ptr_null(kf_callback_body(pool, NULL, "s"));
}
END_TEST

/* A customer erased: the booking is still told (cancelled or moved later), without whom. */
START_TEST(body_of_an_erased_customer_has_no_address_or_phone)
{
    kf_callback_booking b = paid_booking();
    b.customer_name = "Cliente borrado";
    b.customer_email = NULL;
    b.customer_phone = NULL;
    const char *body = kf_callback_body(pool, &b, "s");
    ck_assert_ptr_nonnull(body);
    ck_assert_ptr_nonnull(strstr(body, "\"usuario\":{\"nombre\":\"Cliente borrado\",\"email\":null,"
                                       "\"telefono\":null,"));
}
END_TEST

/* The body with firma_hmac "" as a merchant checks it, from "pago" on. */
static const char *tail_from_pago(const char *body)
{
    const char *at = strstr(body, "\"pago\":{\"proveedor\"");
    ck_assert_ptr_nonnull(at);
    return at;
}

START_TEST(cancelled_body_says_who_why_and_what_goes_back)
{
    kf_callback_booking b = paid_booking();
    b.event = "booking.cancelled";
    b.cancelled_by = "customer";
    b.cancel_reason = "Me enfermé";
    b.refund_amount = 3000000;
    b.refund_status = "pending";
    b.money_state = kf_callback_money_state(1, 3000000, 3000000, "pending", 0);
    ck_assert_str_eq(tail_from_pago(kf_callback_body(pool, &b, NULL)),
                     "\"pago\":{\"proveedor\":\"wompi\",\"estado\":\"reembolso_pendiente\","
                     "\"referencia\":\"KF-ABC\",\"monto\":3000000,\"moneda\":\"COP\",\"modo\":\"test\"},"
                     "\"cancelacion\":{\"por\":\"cliente\",\"motivo\":\"Me enfermé\","
                     "\"reembolso\":{\"monto\":3000000,\"moneda\":\"COP\",\"estado\":\"pending\"}},"
                     "\"seguridad\":{\"timestamp\":\"2026-11-20T10:00:00Z\",\"firma_hmac\":\"\"}}");

    /* the merchant, no reason, nothing returned */
    b.cancelled_by = "merchant";
    b.cancel_reason = NULL;
    b.refund_amount = 0;
    b.refund_status = NULL;
    b.money_state = kf_callback_money_state(1, 3000000, 0, NULL, 0);
    ck_assert_ptr_nonnull(strstr(kf_callback_body(pool, &b, NULL),
                                 "\"estado\":\"aprobado\",\"referencia\":\"KF-ABC\",\"monto\":3000000,"
                                 "\"moneda\":\"COP\",\"modo\":\"test\"},\"cancelacion\":{\"por\":\"comercio\","
                                 "\"motivo\":null,\"reembolso\":null},\"seguridad\""));
    /* a cancellation without who is not a body */
    b.cancelled_by = NULL;
    ck_assert_ptr_null(kf_callback_body(pool, &b, NULL));
}
END_TEST

START_TEST(rescheduled_body_carries_the_time_before)
{
    kf_callback_booking b = paid_booking();
    b.event = "booking.rescheduled";
    b.start = "2026-12-02T15:00:00Z";
    b.end = "2026-12-02T15:30:00Z";
    b.previous_start = "2026-12-01T14:00:00Z";
    b.previous_end = "2026-12-01T14:30:00Z";
    const char *body = kf_callback_body(pool, &b, NULL);
    ck_assert_ptr_nonnull(strstr(body, "\"modo\":\"test\"},\"cita_anterior\":{\"inicio\":\"2026-12-01T14:00:00Z\","
                                       "\"fin\":\"2026-12-01T14:30:00Z\"},\"seguridad\""));
    ck_assert_ptr_null(strstr(body, "cancelacion"));
    /* booking.paid carries neither */
    b.event = "booking.paid";
    body = kf_callback_body(pool, &b, NULL);
    ck_assert_ptr_null(strstr(body, "cita_anterior"));
    ck_assert_ptr_null(strstr(body, "cancelacion"));
    /* a move without the time before is not a body */
    b.event = "booking.rescheduled";
    b.previous_start = NULL;
    ck_assert_ptr_null(kf_callback_body(pool, &b, NULL));
}
END_TEST

START_TEST(money_state_follows_the_refund)
{
    ck_assert_str_eq(kf_callback_money_state(0, 0, 0, NULL, 0), "no_aplica");
    ck_assert_str_eq(kf_callback_money_state(1, 5000, 0, NULL, 0), "aprobado");
    ck_assert_str_eq(kf_callback_money_state(1, 5000, 5000, "pending", 0), "reembolso_pendiente");
    ck_assert_str_eq(kf_callback_money_state(1, 5000, 5000, "manual", 0), "reembolso_pendiente");
    ck_assert_str_eq(kf_callback_money_state(1, 5000, 5000, "manual", 1), "reembolsado");
    ck_assert_str_eq(kf_callback_money_state(1, 5000, 5000, "succeeded", 0), "reembolsado");
    ck_assert_str_eq(kf_callback_money_state(1, 5000, 2000, "succeeded", 1), "reembolso_parcial");
    ck_assert_str_eq(kf_callback_money_state(1, 5000, 2000, "manual", 1), "reembolso_parcial");
}
END_TEST

START_TEST(signature_header)
{
    kf_callback_booking b = paid_booking();
    const char *body = kf_callback_body(pool, &b, "whsec_merchant");
    ck_assert_str_eq(kf_callback_signature(pool, "whsec_merchant", 1700000000, body, strlen(body)),
                     "t=1700000000,v1=b3054e19fcb83da9e76cfda5b8c36c500320c4655a889e7e54c3063ece4d2650");
    ck_assert_ptr_null(kf_callback_signature(pool, NULL, 1, body, strlen(body)));
    ck_assert_ptr_null(kf_callback_signature(pool, "", 1, body, strlen(body)));
}
END_TEST

/* The secret a tenant's callbacks are signed with opens in its place only. */
START_TEST(secret_opens_for_its_tenant_only)
{
    static const unsigned char key[KF_KEY_LEN] = {9};
    kf_keyring *ring = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(ring, key, 1), APR_SUCCESS);
    const char *sealed = kf_seal(pool, ring, "whsec_merchant", 14,
                                 kf_callback_secret_aad(pool, "t-1"));
    apr_status_t failed = APR_EGENERAL;
    ck_assert_str_eq(kf_callback_secret_open(pool, ring, "t-1", sealed, &failed), "whsec_merchant");
    ck_assert_int_eq(failed, APR_SUCCESS);
    ck_assert_ptr_null(kf_callback_secret_open(pool, ring, "t-2", sealed, &failed));
    ck_assert_int_ne(failed, APR_SUCCESS);
    /* none set: nothing to sign with, and nothing wrong */
    ck_assert_ptr_null(kf_callback_secret_open(pool, ring, "t-1", "", &failed));
    ck_assert_int_eq(failed, APR_SUCCESS);
    ck_assert_ptr_null(kf_callback_secret_open(pool, ring, "t-1", NULL, &failed));
    ck_assert_int_eq(failed, APR_SUCCESS);
}
END_TEST

START_TEST(retry_schedule)
{
    static const apr_int64_t expected[] = {2, 4, 8, 16, 60, 300, 1800, 7200, 21600, 86400};
    for (int i = 1; i <= 10; i++) {
        ck_assert_int_eq(kf_callback_retry_delay(i, 1), apr_time_from_sec(expected[i - 1]));
    }
    ck_assert_int_eq(kf_callback_retry_delay(11, 1), -1);
    ck_assert_int_eq(kf_callback_retry_delay(0, 1), -1);
    ck_assert_int_eq(KF_CALLBACK_MAX_ATTEMPTS, 11);
    /* a divisor shortens every step (tests) */
    ck_assert_int_eq(kf_callback_retry_delay(1, 1000), apr_time_from_msec(2));
    ck_assert_int_eq(kf_callback_retry_delay(10, 1000), apr_time_from_sec(86400) / 1000);
    ck_assert_int_eq(kf_callback_retry_delay(1, 0), apr_time_from_sec(2));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("callback");
    TCase *tc = tcase_create("callback");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, body_is_byte_exact);
    tcase_add_test(tc, metadata_follows_the_booking_id_sorted);
    tcase_add_test(tc, serie_follows_the_cita);
    tcase_add_test(tc, body_without_secret_has_empty_firma);
    tcase_add_test(tc, location_is_the_last_key_of_cita_and_signed);
    tcase_add_test(tc, free_booking_body);
    tcase_add_test(tc, body_refuses_missing_or_bad_text);
    tcase_add_test(tc, body_of_an_erased_customer_has_no_address_or_phone);
    tcase_add_test(tc, cancelled_body_says_who_why_and_what_goes_back);
    tcase_add_test(tc, rescheduled_body_carries_the_time_before);
    tcase_add_test(tc, money_state_follows_the_refund);
    tcase_add_test(tc, signature_header);
    tcase_add_test(tc, retry_schedule);
    tcase_add_test(tc, secret_opens_for_its_tenant_only);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
