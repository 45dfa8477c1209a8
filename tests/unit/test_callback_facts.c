/* Unit suite for lib/callbacks/kf_callback_facts.c: from a booking's or purchase's facts as the
 * database gives them, the callback body a merchant receives. */
#include "kf_check.h"
#include <string.h>

#include <apr_strings.h>

#include "kf_callback_facts.h"
#include "kf_json.h"

/* A paid booking of 30 000 COP (minor units) by Wompi, in test mode. */
static void paid_facts(const char **v)
{
    memset(v, 0, sizeof(char *) * KF_CB_BK_COLUMNS);
    v[KF_CB_BK_TENANT] = "t-1";
    v[KF_CB_BK_ID] = "b-1";
    v[KF_CB_BK_SERVICE_ID] = "s-1";
    v[KF_CB_BK_SERVICE_NAME] = "Consulta";
    v[KF_CB_BK_DURATION] = "30";
    v[KF_CB_BK_CHARGE_TYPE] = "total";
    v[KF_CB_BK_PRICE] = "3000000";
    v[KF_CB_BK_CHARGED] = "3000000";
    v[KF_CB_BK_PROFESSIONAL_ID] = "p-1";
    v[KF_CB_BK_PROFESSIONAL_NAME] = "Dra. Núñez";
    v[KF_CB_BK_START] = "2026-12-01T14:00:00Z";
    v[KF_CB_BK_END] = "2026-12-01T14:30:00Z";
    v[KF_CB_BK_TIMEZONE] = "America/Bogota";
    v[KF_CB_BK_CUSTOMER_NAME] = "Ana";
    v[KF_CB_BK_CUSTOMER_EMAIL] = "ana@example.com";
    v[KF_CB_BK_CUSTOMER_PHONE] = "+573001234567";
    v[KF_CB_BK_ACCEPTED_TERMS] = "t";
    v[KF_CB_BK_PROVIDER] = "wompi";
    v[KF_CB_BK_REFERENCE] = "KF-1";
    v[KF_CB_BK_AMOUNT] = "3000000";
    v[KF_CB_BK_CURRENCY] = "COP";
    v[KF_CB_BK_TIMESTAMP] = "2026-11-20T10:00:00Z";
    v[KF_CB_BK_MODE] = "test";
    v[KF_CB_BK_REFUND_DONE] = "f";
    v[KF_CB_BK_TAKEN] = "3000000";
}

static json_t *parsed(const char *body)
{
    ck_assert_ptr_nonnull(body);
    json_t *j = kf_json_parse_object(pool, body, strlen(body), NULL);
    ck_assert_ptr_nonnull(j);
    return j;
}

static const char *at(json_t *j, const char *path)
{
    json_t *pos = j;
    char *copy = apr_pstrdup(pool, path), *last = NULL;
    for (char *k = apr_strtok(copy, ".", &last); k && pos; k = apr_strtok(NULL, ".", &last)) {
        pos = json_object_get(pos, k);
    }
    return pos ? kf_json_dump(pool, pos) : "(missing)";
}

START_TEST(paid_booking_tells_payment_and_signature)
{
    const char *v[KF_CB_BK_COLUMNS];
    paid_facts(v);
    json_t *j = parsed(kf_callback_booking_body_of(pool, v, "booking.paid", "whsec_x"));
    ck_assert_str_eq(at(j, "evento"), "\"booking.paid\"");
    ck_assert_str_eq(at(j, "servicio.duracion_min"), "30");
    ck_assert_str_eq(at(j, "usuario.acepto_terminos"), "true");
    ck_assert_str_eq(at(j, "pago"), "{\"proveedor\":\"wompi\",\"estado\":\"aprobado\","
                                    "\"referencia\":\"KF-1\",\"monto\":3000000,\"moneda\":\"COP\","
                                    "\"modo\":\"test\"}");
    ck_assert_uint_eq(strlen(json_string_value(json_object_get(json_object_get(j, "seguridad"),
                                                               "firma_hmac"))), 64);
    ck_assert_str_eq(at(j, "paquete"), "(missing)");
    ck_assert_str_eq(at(j, "cita.lugar"), "(missing)");
    /* production money and terms not accepted say so */
    v[KF_CB_BK_MODE] = "production";
    v[KF_CB_BK_ACCEPTED_TERMS] = "f";
    j = parsed(kf_callback_booking_body_of(pool, v, "booking.paid", NULL));
    ck_assert_str_eq(at(j, "pago.modo"), "\"produccion\"");
    ck_assert_str_eq(at(j, "usuario.acepto_terminos"), "false");
    ck_assert_str_eq(at(j, "seguridad.firma_hmac"), "\"\"");
}
END_TEST

START_TEST(a_seat_of_a_class_tells_its_places_after_cita)
{
    const char *v[KF_CB_BK_COLUMNS];
    paid_facts(v);
    json_t *j = parsed(kf_callback_booking_body_of(pool, v, "booking.paid", NULL));
    ck_assert_str_eq(at(j, "cupo"), "(missing)");   /* a one-to-one booking has none */
    v[KF_CB_BK_SEAT_CAPACITY] = "12";
    v[KF_CB_BK_SEATS_TAKEN] = "5";
    const char *body = kf_callback_booking_body_of(pool, v, "booking.paid", NULL);
    j = parsed(body);
    ck_assert_str_eq(at(j, "cupo"), "{\"capacidad\":12,\"ocupados\":5}");
    /* its place in the signed order: right after cita, before usuario */
    const char *cita = strstr(body, "\"cita\""), *cupo = strstr(body, "\"cupo\""),
               *usuario = strstr(body, "\"usuario\"");
    ck_assert(cita && cupo && usuario && cita < cupo && cupo < usuario);
}
END_TEST

START_TEST(free_booking_has_no_payment)
{
    const char *v[KF_CB_BK_COLUMNS];
    paid_facts(v);
    v[KF_CB_BK_PROVIDER] = v[KF_CB_BK_REFERENCE] = NULL;
    v[KF_CB_BK_AMOUNT] = "500";          /* not a payment: ignored */
    v[KF_CB_BK_TAKEN] = NULL;
    json_t *j = parsed(kf_callback_booking_body_of(pool, v, "booking.paid", NULL));
    ck_assert_str_eq(at(j, "pago"), "{\"proveedor\":\"ninguno\",\"estado\":\"no_aplica\","
                                    "\"referencia\":null,\"monto\":0,\"moneda\":\"COP\","
                                    "\"modo\":\"test\"}");
}
END_TEST

START_TEST(package_session_names_its_purchase)
{
    const char *v[KF_CB_BK_COLUMNS];
    paid_facts(v);
    v[KF_CB_BK_CHARGE_TYPE] = "package";
    v[KF_CB_BK_AMOUNT] = "0";
    v[KF_CB_BK_PURCHASE] = "pu-1";
    v[KF_CB_BK_PKG_SESSIONS] = "5";
    v[KF_CB_BK_PKG_USED] = "2";
    json_t *j = parsed(kf_callback_booking_body_of(pool, v, "booking.paid", NULL));
    ck_assert_str_eq(at(j, "paquete"), "{\"compra_id\":\"pu-1\",\"sesiones\":5,\"sesiones_usadas\":2}");
    ck_assert_str_eq(at(j, "pago.monto"), "0");
    ck_assert_str_eq(at(j, "servicio.pago"), "\"package\"");
}
END_TEST

START_TEST(cancellation_refund_of_everything_taken)
{
    const char *v[KF_CB_BK_COLUMNS];
    paid_facts(v);
    v[KF_CB_BK_CANCELLED_BY] = "merchant";
    v[KF_CB_BK_CANCEL_REASON] = "Enfermedad";
    v[KF_CB_BK_REFUND_STATUS] = "succeeded";
    v[KF_CB_BK_REFUND_AMOUNT] = "3000000";
    json_t *j = parsed(kf_callback_booking_body_of(pool, v, "booking.cancelled", NULL));
    ck_assert_str_eq(at(j, "pago.estado"), "\"reembolsado\"");
    ck_assert_str_eq(at(j, "cancelacion"), "{\"por\":\"comercio\",\"motivo\":\"Enfermedad\","
                                           "\"reembolso\":{\"monto\":3000000,\"moneda\":\"COP\","
                                           "\"estado\":\"succeeded\"}}");
    /* paid twice: returning one payment's amount is not everything */
    v[KF_CB_BK_TAKEN] = "6000000";
    j = parsed(kf_callback_booking_body_of(pool, v, "booking.cancelled", NULL));
    ck_assert_str_eq(at(j, "pago.estado"), "\"reembolso_parcial\"");
    /* a manual refund counts once marked done */
    v[KF_CB_BK_TAKEN] = "3000000";
    v[KF_CB_BK_REFUND_STATUS] = "manual";
    j = parsed(kf_callback_booking_body_of(pool, v, "booking.cancelled", NULL));
    ck_assert_str_eq(at(j, "pago.estado"), "\"reembolso_pendiente\"");
    v[KF_CB_BK_REFUND_DONE] = "t";
    j = parsed(kf_callback_booking_body_of(pool, v, "booking.cancelled", NULL));
    ck_assert_str_eq(at(j, "pago.estado"), "\"reembolsado\"");
    /* a cancellation without who cancelled cannot be told */
    v[KF_CB_BK_CANCELLED_BY] = NULL;
    ck_assert_ptr_null(kf_callback_booking_body_of(pool, v, "booking.cancelled", NULL));
}
END_TEST

START_TEST(reschedule_and_place)
{
    const char *v[KF_CB_BK_COLUMNS];
    paid_facts(v);
    v[KF_CB_BK_PREVIOUS_START] = "2026-11-30T14:00:00Z";
    v[KF_CB_BK_PREVIOUS_END] = "2026-11-30T14:30:00Z";
    v[KF_CB_BK_LOCATION_TYPE] = "in_person";
    v[KF_CB_BK_LOCATION_VALUE] = "Calle 93 #11-27";
    json_t *j = parsed(kf_callback_booking_body_of(pool, v, "booking.rescheduled", NULL));
    ck_assert_str_eq(at(j, "cita_anterior"), "{\"inicio\":\"2026-11-30T14:00:00Z\","
                                             "\"fin\":\"2026-11-30T14:30:00Z\"}");
    ck_assert_str_eq(at(j, "cita.lugar"), "{\"tipo\":\"presencial\",\"direccion\":\"Calle 93 #11-27\"}");
    /* a customer erased since: the move is told all the same, without the address */
    v[KF_CB_BK_CUSTOMER_EMAIL] = NULL;
    json_t *erased = parsed(kf_callback_booking_body_of(pool, v, "booking.rescheduled", NULL));
    ck_assert_str_eq(at(erased, "usuario.email"), "null");
    /* a row missing what every booking has is refused */
    v[KF_CB_BK_CUSTOMER_NAME] = NULL;
    ck_assert_ptr_null(kf_callback_booking_body_of(pool, v, "booking.rescheduled", NULL));
}
END_TEST

START_TEST(purchase_paid_from_facts)
{
    const char *v[KF_CB_PU_COLUMNS] = {
        "t-1", "pu-1", "k-1", "Cinco sesiones", "5", "90", "12000000", "s-1", "Masaje", "60",
        "2026-11-20T10:00:00Z", "2027-02-18T10:00:00Z", "Ana", "ana@example.com", "+57300",
        "stripe", "pi_1", "12000000", "COP", "production", "2026-11-20T10:00:01Z", NULL,
    };
    json_t *j = parsed(kf_callback_purchase_body_of(pool, v, NULL));
    ck_assert_str_eq(at(j, "evento"), "\"purchase.paid\"");
    ck_assert_str_eq(at(j, "paquete"), "{\"id\":\"k-1\",\"nombre\":\"Cinco sesiones\","
                                       "\"sesiones\":5,\"vigencia_dias\":90,\"precio\":12000000}");
    ck_assert_str_eq(at(j, "compra.sesiones_restantes"), "5");
    ck_assert_str_eq(at(j, "usuario.acepto_terminos"), "true");
    ck_assert_str_eq(at(j, "pago.modo"), "\"produccion\"");
    v[KF_CB_PU_REFERENCE] = NULL;
    ck_assert_ptr_null(kf_callback_purchase_body_of(pool, v, NULL));
}
END_TEST

START_TEST(a_room_being_made_holds_the_callback_for_its_link)
{
    const char *v[KF_CB_BK_COLUMNS];
    paid_facts(v);
    ck_assert_int_eq(kf_callback_room_wait(v), 0);           /* no place at all */
    v[KF_CB_BK_LOCATION_TYPE] = "video";
    v[KF_CB_BK_LOCATION_PROVIDER] = "google_meet";
    v[KF_CB_BK_CALENDAR_CONNECTED] = "t";
    ck_assert_int_eq(kf_callback_room_wait(v), KF_CALLBACK_ROOM_WAIT_SECONDS);
    /* the room is made: its link goes at once */
    v[KF_CB_BK_MEETING_URL] = "https://meet.google.com/abc-defg-hij";
    ck_assert_int_eq(kf_callback_room_wait(v), 0);
    json_t *j = parsed(kf_callback_booking_body_of(pool, v, "booking.paid", "s"));
    ck_assert_str_eq(at(j, "cita.lugar.url"), "\"https://meet.google.com/abc-defg-hij\"");
    /* no calendar to make it: nothing to wait for */
    v[KF_CB_BK_MEETING_URL] = NULL;
    v[KF_CB_BK_CALENDAR_CONNECTED] = "f";
    ck_assert_int_eq(kf_callback_room_wait(v), 0);
    /* a fixed link: the place is known */
    v[KF_CB_BK_CALENDAR_CONNECTED] = "t";
    v[KF_CB_BK_LOCATION_PROVIDER] = "url";
    v[KF_CB_BK_LOCATION_VALUE] = "https://meet.example.com/sala";
    ck_assert_int_eq(kf_callback_room_wait(v), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("callback_facts");
    TCase *tc = tcase_create("facts");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, paid_booking_tells_payment_and_signature);
    tcase_add_test(tc, free_booking_has_no_payment);
    tcase_add_test(tc, a_seat_of_a_class_tells_its_places_after_cita);
    tcase_add_test(tc, package_session_names_its_purchase);
    tcase_add_test(tc, cancellation_refund_of_everything_taken);
    tcase_add_test(tc, reschedule_and_place);
    tcase_add_test(tc, a_room_being_made_holds_the_callback_for_its_link);
    tcase_add_test(tc, purchase_paid_from_facts);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
