/* Unit suite of the signature schemes: lib/crypto/kf_signatures.c (Cal.com, Standard Webhooks)
 * and each payment provider's own (lib/payments/kf_payment_<name>.c): every vector of
 * docs/PROVIDERS.md and the Standard Webhooks example, plus the ways each scheme must refuse. */
#include "kf_check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <jansson.h>

#include "kf_signatures.h"
#include "kf_payment_wompi.h"
#include "kf_payment_stripe.h"
#include "kf_payment_airwallex.h"
#include "kf_payment_mercadopago.h"


/* ------------------------------------------------------------------ Wompi integrity */

#define WOMPI_INTEGRITY_SECRET "prod_integrity_Z5mMke9x0k8gpErbDqwrJXMqsI6SFli6"

START_TEST(wompi_integrity_vector)
{
    ck_assert_str_eq(kf_wompi_integrity(pool, "sk8-438k4-xmxm392-sn2m", 2490000, "COP", NULL,
                                        WOMPI_INTEGRITY_SECRET),
                     "37c8407747e595535433ef8f6a811d853cd943046624a0ec04662b17bbf33bf5");
    /* An empty expiration is the same as none. */
    ck_assert_str_eq(kf_wompi_integrity(pool, "sk8-438k4-xmxm392-sn2m", 2490000, "COP", "",
                                        WOMPI_INTEGRITY_SECRET),
                     "37c8407747e595535433ef8f6a811d853cd943046624a0ec04662b17bbf33bf5");
    /* With an expiration time, appended before the secret. */
    ck_assert_str_eq(kf_wompi_integrity(pool, "sk8-438k4-xmxm392-sn2m", 2490000, "COP",
                                        "2023-06-09T20:28:50.000Z", WOMPI_INTEGRITY_SECRET),
                     "e972f58e7de36b283fbb93d9318d39a54ffdff4e8e917b534f30d63c9d7bb89c");
    /* One cent more changes everything. */
    ck_assert_str_ne(kf_wompi_integrity(pool, "sk8-438k4-xmxm392-sn2m", 2490001, "COP", NULL,
                                        WOMPI_INTEGRITY_SECRET),
                     "37c8407747e595535433ef8f6a811d853cd943046624a0ec04662b17bbf33bf5");
    ck_assert_ptr_null(kf_wompi_integrity(pool, "r", 1, "COP", NULL, ""));
    ck_assert_ptr_null(kf_wompi_integrity(pool, "r", 1, "COP", NULL, NULL));
    ck_assert_ptr_null(kf_wompi_integrity(pool, NULL, 1, "COP", NULL, "s"));
    ck_assert_ptr_null(kf_wompi_integrity(pool, "r", 1, NULL, NULL, "s"));
    ck_assert_ptr_null(kf_wompi_integrity(pool, "r", -1, "COP", NULL, "s"));
}
END_TEST

/* ------------------------------------------------------------------ Wompi events */

#define WOMPI_EVENTS_SECRET "prod_events_OcHnIzeBl5socpwByQ4hA52Em3USQ93Z"
#define WOMPI_SUM "5a18ec5e8fdb7df463e9f94774cba8f583ba21bd04a09ceff2ea68a4bc0aefbe"
#define WOMPI_SUM_UPPER "5A18EC5E8FDB7DF463E9F94774CBA8F583BA21BD04A09CEFF2EA68A4BC0AEFBE"

static const char *wompi_event_text =
    "{\"event\": \"transaction.updated\","
    " \"data\": {\"transaction\": {\"id\": \"1234-1610641025-49201\", \"amount_in_cents\": 4490000,"
    "   \"reference\": \"MZQ3X2DE2SMX\", \"customer_email\": \"juan@example.com\", \"currency\": \"COP\","
    "   \"payment_method_type\": \"NEQUI\", \"redirect_url\": \"https://mitienda.com.co/pagos/redireccion\","
    "   \"status\": \"APPROVED\", \"shipping_address\": null, \"payment_link_id\": null,"
    "   \"payment_source_id\": null}},"
    " \"environment\": \"prod\","
    " \"signature\": {\"properties\": [\"transaction.id\", \"transaction.status\","
    "   \"transaction.amount_in_cents\"],"
    "   \"checksum\": \"" WOMPI_SUM "\"},"
    " \"timestamp\": 1530291411, \"sent_at\": \"2018-07-20T16:45:05.000Z\"}";

static json_t *wompi_event(void)
{
    json_error_t err;
    json_t *ev = json_loads(wompi_event_text, 0, &err);
    ck_assert_msg(ev != NULL, "fixture JSON: %s", err.text);
    return ev;
}

static json_t *txn(json_t *ev)
{
    return json_object_get(json_object_get(ev, "data"), "transaction");
}

static json_t *sig(json_t *ev)
{
    return json_object_get(ev, "signature");
}

START_TEST(wompi_event_vector)
{
    json_t *ev = wompi_event();
    const char *hex = NULL, *why = "untouched";
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, &why), APR_SUCCESS);
    ck_assert_str_eq(hex, WOMPI_SUM);
    ck_assert_ptr_null(why);

    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, NULL, WOMPI_EVENTS_SECRET), 1);
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, WOMPI_SUM, WOMPI_EVENTS_SECRET), 1);
    /* Wompi prints the header uppercase. */
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, WOMPI_SUM_UPPER, WOMPI_EVENTS_SECRET), 1);
    /* Wrong secret. */
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, NULL, "prod_events_other"), 0);
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, NULL, ""), 0);
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, NULL, NULL), 0);

    /* Body checksum uppercase too. */
    json_object_set_new(sig(ev), "checksum", json_string(WOMPI_SUM_UPPER));
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, NULL, WOMPI_EVENTS_SECRET), 1);
    json_decref(ev);
}
END_TEST

START_TEST(wompi_event_header_and_body)
{
    json_t *ev = wompi_event();
    const char *other = "0000000000000000000000000000000000000000000000000000000000000000";
    /* Both present: both must match. */
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, other, WOMPI_EVENTS_SECRET), 0);
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, "", WOMPI_EVENTS_SECRET), 0);
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, WOMPI_SUM "00", WOMPI_EVENTS_SECRET), 0);
    json_object_set_new(sig(ev), "checksum", json_string(other));
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, WOMPI_SUM, WOMPI_EVENTS_SECRET), 0);
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, NULL, WOMPI_EVENTS_SECRET), 0);
    /* Body checksum absent: the header alone decides. */
    json_object_del(sig(ev), "checksum");
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, WOMPI_SUM_UPPER, WOMPI_EVENTS_SECRET), 1);
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, other, WOMPI_EVENTS_SECRET), 0);
    /* Neither: nothing to check against. */
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, NULL, WOMPI_EVENTS_SECRET), 0);
    /* A checksum that is not a string. */
    json_object_set_new(sig(ev), "checksum", json_integer(5));
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, WOMPI_SUM, WOMPI_EVENTS_SECRET), 0);
    json_decref(ev);
}
END_TEST

START_TEST(wompi_event_properties_order)
{
    json_t *ev = wompi_event();
    /* The list is read from the event: reordering it changes the checksum. */
    json_t *props = json_pack("[sss]", "transaction.status", "transaction.id",
                              "transaction.amount_in_cents");
    json_object_set_new(sig(ev), "properties", props);
    const char *hex = NULL;
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, NULL), APR_SUCCESS);
    ck_assert_str_eq(hex, "27be35e52a9b4dc8f0cd63b90ee41df9fa622fb053b1acc03e40bf9efdce669b");
    /* signature.checksum still holds the original value: no longer authentic. */
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, NULL, WOMPI_EVENTS_SECRET), 0);
    json_decref(ev);
}
END_TEST

START_TEST(wompi_event_tampered)
{
    json_t *ev = wompi_event();
    json_object_set_new(txn(ev), "amount_in_cents", json_integer(4490001));
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, WOMPI_SUM, WOMPI_EVENTS_SECRET), 0);
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, NULL, WOMPI_EVENTS_SECRET), 0);
    json_decref(ev);

    ev = wompi_event();
    json_object_set_new(txn(ev), "status", json_string("DECLINED"));
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, NULL, WOMPI_EVENTS_SECRET), 0);
    json_decref(ev);

    ev = wompi_event();
    json_object_set_new(ev, "timestamp", json_integer(1530291412));
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, NULL, WOMPI_EVENTS_SECRET), 0);
    json_decref(ev);

    /* A field outside the property list is not covered (as Wompi designed it). */
    ev = wompi_event();
    json_object_set_new(txn(ev), "customer_email", json_string("x@example.com"));
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, NULL, WOMPI_EVENTS_SECRET), 1);
    json_decref(ev);
}
END_TEST

START_TEST(wompi_event_malformed)
{
    const char *hex = "untouched", *why = NULL;
    json_t *ev;

    ev = wompi_event();
    json_object_set_new(txn(ev), "amount_in_cents", json_real(4490000.0));
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, &why), APR_EINVAL);
    ck_assert_ptr_null(hex);
    ck_assert_str_eq(why, "signature property transaction.amount_in_cents is a real number, not an integer");
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, WOMPI_SUM, WOMPI_EVENTS_SECRET), 0);
    json_decref(ev);

    ev = wompi_event();
    json_object_del(txn(ev), "status");
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, &why), APR_EINVAL);
    ck_assert_str_eq(why, "signature property transaction.status is not in the event data");
    json_decref(ev);

    ev = wompi_event();
    json_array_append_new(json_object_get(sig(ev), "properties"), json_string("transaction.shipping_address"));
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, &why), APR_EINVAL);
    ck_assert_str_eq(why, "signature property transaction.shipping_address is not a string or an integer");
    json_decref(ev);

    ev = wompi_event();
    json_array_append_new(json_object_get(sig(ev), "properties"), json_string("transaction"));
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, &why), APR_EINVAL);
    json_decref(ev);

    ev = wompi_event();
    json_array_append_new(json_object_get(sig(ev), "properties"), json_string("transaction..id"));
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, &why), APR_EINVAL);
    ck_assert_str_eq(why, "signature.properties[3] is not a valid path");
    json_decref(ev);

    ev = wompi_event();
    json_array_append_new(json_object_get(sig(ev), "properties"), json_integer(1));
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, &why), APR_EINVAL);
    ck_assert_str_eq(why, "signature.properties[3] is not a string");
    json_decref(ev);

    ev = wompi_event();
    json_array_clear(json_object_get(sig(ev), "properties"));
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, &why), APR_EINVAL);
    ck_assert_str_eq(why, "signature.properties is empty");
    json_decref(ev);

    ev = wompi_event();
    json_object_del(sig(ev), "properties");
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, &why), APR_EINVAL);
    ck_assert_str_eq(why, "event has no signature.properties list");
    json_decref(ev);

    ev = wompi_event();
    json_object_set_new(ev, "timestamp", json_string("1530291411"));
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, &why), APR_EINVAL);
    ck_assert_str_eq(why, "event timestamp is missing or not an integer");
    ck_assert_int_eq(kf_wompi_event_verify(pool, ev, WOMPI_SUM, WOMPI_EVENTS_SECRET), 0);
    json_decref(ev);

    ev = wompi_event();
    json_object_del(ev, "data");
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, &why), APR_EINVAL);
    ck_assert_str_eq(why, "event has no data object");
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, "", &hex, &why), APR_EINVAL);
    ck_assert_str_eq(why, "no events secret configured");
    json_decref(ev);

    ev = json_array();
    ck_assert_int_eq(kf_wompi_event_checksum(pool, ev, WOMPI_EVENTS_SECRET, &hex, &why), APR_EINVAL);
    ck_assert_int_eq(kf_wompi_event_checksum(pool, NULL, WOMPI_EVENTS_SECRET, NULL, NULL), APR_EINVAL);
    ck_assert_int_eq(kf_wompi_event_verify(pool, NULL, WOMPI_SUM, WOMPI_EVENTS_SECRET), 0);
    json_decref(ev);
}
END_TEST

/* ------------------------------------------------------------------ Stripe */

#define STRIPE_SECRET "whsec_test_secret"
#define STRIPE_BODY "{\"id\":\"evt_test_webhook\",\"object\":\"event\"}"
#define STRIPE_SIG "d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990"
#define STRIPE_T 1700000000

static kf_sig_result stripe(const char *header, apr_int64_t now_sec)
{
    return kf_stripe_verify(pool, header, STRIPE_BODY, strlen(STRIPE_BODY), STRIPE_SECRET,
                            apr_time_from_sec(now_sec), 300);
}

START_TEST(stripe_vector)
{
    ck_assert_str_eq(kf_stripe_signature(pool, STRIPE_SECRET, STRIPE_T, STRIPE_BODY, strlen(STRIPE_BODY)),
                     STRIPE_SIG);
    const char *h = "t=1700000000,v1=" STRIPE_SIG;
    ck_assert_int_eq(stripe(h, STRIPE_T), KF_SIG_OK);
    ck_assert_int_eq(stripe(h, STRIPE_T + 300), KF_SIG_OK);
    ck_assert_int_eq(stripe(h, STRIPE_T - 300), KF_SIG_OK);
    /* Spaces after commas, a v0 and an unknown item are tolerated. */
    ck_assert_int_eq(stripe("t=1700000000, v1=" STRIPE_SIG ", v0=abc, x=y", STRIPE_T), KF_SIG_OK);
    /* The key is the whole secret, whsec_ prefix included. */
    ck_assert_int_eq(kf_stripe_verify(pool, h, STRIPE_BODY, strlen(STRIPE_BODY), "test_secret",
                                      apr_time_from_sec(STRIPE_T), 300),
                     KF_SIG_BAD_SIGNATURE);
}
END_TEST

START_TEST(stripe_second_v1)
{
    /* During a secret roll Stripe sends one v1 per secret: any match is enough. */
    const char *wrong = "0000000000000000000000000000000000000000000000000000000000000000";
    ck_assert_int_eq(stripe(apr_pstrcat(pool, "t=1700000000,v1=", wrong, ",v1=", STRIPE_SIG, NULL),
                            STRIPE_T),
                     KF_SIG_OK);
    ck_assert_int_eq(stripe(apr_pstrcat(pool, "v1=", wrong, ",t=1700000000,v1=", STRIPE_SIG, NULL),
                            STRIPE_T),
                     KF_SIG_OK);
    ck_assert_int_eq(stripe(apr_pstrcat(pool, "t=1700000000,v1=", wrong, ",v1=", wrong, NULL), STRIPE_T),
                     KF_SIG_BAD_SIGNATURE);
    /* The right signature under v0 does not count. */
    ck_assert_int_eq(stripe(apr_pstrcat(pool, "t=1700000000,v1=", wrong, ",v0=", STRIPE_SIG, NULL),
                            STRIPE_T),
                     KF_SIG_BAD_SIGNATURE);
}
END_TEST

START_TEST(stripe_stale)
{
    const char *h = "t=1700000000,v1=" STRIPE_SIG;
    ck_assert_int_eq(stripe(h, STRIPE_T + 301), KF_SIG_STALE);
    ck_assert_int_eq(stripe(h, STRIPE_T - 301), KF_SIG_STALE); /* from the future */
    ck_assert_int_eq(stripe(h, STRIPE_T + 86400), KF_SIG_STALE);
    /* Signature checked first: a forged old event is bad, not stale. */
    ck_assert_int_eq(stripe("t=1700000000,v1=00" STRIPE_SIG, STRIPE_T + 86400), KF_SIG_BAD_SIGNATURE);
    /* Tolerance 0: exact second only; sub-second part of now ignored. */
    ck_assert_int_eq(kf_stripe_verify(pool, h, STRIPE_BODY, strlen(STRIPE_BODY), STRIPE_SECRET,
                                      apr_time_from_sec(STRIPE_T) + 999999, 0),
                     KF_SIG_OK);
    ck_assert_int_eq(kf_stripe_verify(pool, h, STRIPE_BODY, strlen(STRIPE_BODY), STRIPE_SECRET,
                                      apr_time_from_sec(STRIPE_T + 1), 0),
                     KF_SIG_STALE);
}
END_TEST

START_TEST(stripe_bad_and_malformed)
{
    const char *h = "t=1700000000,v1=" STRIPE_SIG;
    /* Body changed by one byte, or t changed: bad signature. */
    const char *body2 = "{\"id\":\"evt_test_webhook\",\"object\":\"event\"} ";
    ck_assert_int_eq(kf_stripe_verify(pool, h, body2, strlen(body2), STRIPE_SECRET,
                                      apr_time_from_sec(STRIPE_T), 300),
                     KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(stripe("t=1700000001,v1=" STRIPE_SIG, STRIPE_T), KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(stripe("t=1700000000,v1=" STRIPE_SIG "0", STRIPE_T), KF_SIG_BAD_SIGNATURE);
    /* Empty or NULL secret never verifies. */
    ck_assert_int_eq(kf_stripe_verify(pool, h, STRIPE_BODY, strlen(STRIPE_BODY), "",
                                      apr_time_from_sec(STRIPE_T), 300),
                     KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_stripe_verify(pool, h, STRIPE_BODY, strlen(STRIPE_BODY), NULL,
                                      apr_time_from_sec(STRIPE_T), 300),
                     KF_SIG_BAD_SIGNATURE);

    const char *malformed[] = {
        "",
        "garbage",
        "v1=" STRIPE_SIG,                          /* no t */
        "t=1700000000",                            /* no v1 */
        "t=1700000000,v1=",                        /* empty v1 */
        "t=,v1=" STRIPE_SIG,                       /* empty t */
        "t=17000x0000,v1=" STRIPE_SIG,             /* t not decimal */
        "t=-1700000000,v1=" STRIPE_SIG,            /* t negative */
        "t=1700000000,t=1700000000,v1=" STRIPE_SIG, /* t twice */
        "t=99999999999999999999,v1=" STRIPE_SIG,   /* t overflows */
        "t 1700000000,v1=" STRIPE_SIG,
    };
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++)
        ck_assert_msg(stripe(malformed[i], STRIPE_T) == KF_SIG_MALFORMED, "case %zu: %s", i,
                      malformed[i]);
    ck_assert_int_eq(kf_stripe_verify(pool, NULL, STRIPE_BODY, strlen(STRIPE_BODY), STRIPE_SECRET,
                                      apr_time_from_sec(STRIPE_T), 300),
                     KF_SIG_MALFORMED);
    ck_assert_str_eq(kf_sig_result_str(KF_SIG_STALE), "stale");
    ck_assert_str_eq(kf_sig_result_str(KF_SIG_MALFORMED), "malformed");
}
END_TEST

/* ------------------------------------------------------------------ Airwallex */

#define AWX_BODY "{\"id\":\"evt_1\",\"name\":\"payment_intent.succeeded\",\"data\":{\"object\":{\"id\":\"int_1\",\"status\":\"SUCCEEDED\"}}}"
#define AWX_SIG "24d081674370e296c94f6c189087a4282eb7be7c0e1b4b97b2e75aabb39a96d9"

START_TEST(airwallex_vector)
{
    ck_assert_str_eq(kf_airwallex_signature(pool, "awx_secret", "1357872222592", AWX_BODY, strlen(AWX_BODY)),
                     AWX_SIG);
    ck_assert_int_eq(kf_airwallex_verify(pool, "1357872222592", AWX_SIG, AWX_BODY, strlen(AWX_BODY),
                                         "awx_secret"),
                     KF_SIG_OK);
    ck_assert_int_eq(kf_airwallex_verify(pool, "1357872222592", "24D081674370E296C94F6C189087A4282EB7BE7C0E1B4B97B2E75AABB39A96D9",
                                         AWX_BODY, strlen(AWX_BODY), "awx_secret"),
                     KF_SIG_OK);
    /* Timestamp, body, secret each matter. */
    ck_assert_int_eq(kf_airwallex_verify(pool, "1357872222593", AWX_SIG, AWX_BODY, strlen(AWX_BODY),
                                         "awx_secret"),
                     KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_airwallex_verify(pool, "1357872222592", AWX_SIG, AWX_BODY, strlen(AWX_BODY) - 1,
                                         "awx_secret"),
                     KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_airwallex_verify(pool, "1357872222592", AWX_SIG, AWX_BODY, strlen(AWX_BODY),
                                         "awx_secreT"),
                     KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_airwallex_verify(pool, "1357872222592", AWX_SIG, AWX_BODY, strlen(AWX_BODY), ""),
                     KF_SIG_BAD_SIGNATURE);
    /* Missing or broken headers. */
    ck_assert_int_eq(kf_airwallex_verify(pool, NULL, AWX_SIG, AWX_BODY, strlen(AWX_BODY), "awx_secret"),
                     KF_SIG_MALFORMED);
    ck_assert_int_eq(kf_airwallex_verify(pool, "", AWX_SIG, AWX_BODY, strlen(AWX_BODY), "awx_secret"),
                     KF_SIG_MALFORMED);
    ck_assert_int_eq(kf_airwallex_verify(pool, "1357872222592.0", AWX_SIG, AWX_BODY, strlen(AWX_BODY),
                                         "awx_secret"),
                     KF_SIG_MALFORMED);
    ck_assert_int_eq(kf_airwallex_verify(pool, "1357872222592", NULL, AWX_BODY, strlen(AWX_BODY),
                                         "awx_secret"),
                     KF_SIG_MALFORMED);
    ck_assert_int_eq(kf_airwallex_verify(pool, "1357872222592", "", AWX_BODY, strlen(AWX_BODY),
                                         "awx_secret"),
                     KF_SIG_MALFORMED);
}
END_TEST

/* ------------------------------------------------------------------ Mercado Pago */

#define MP_RID "bb56a2f1-6aae-46ac-982e-9dcd3581d08e"
#define MP_SIG "feacb3b594880035653849a0541efc1d33eb558f7405975f9fbff8574c019b48"

START_TEST(mercadopago_vector)
{
    ck_assert_str_eq(kf_mercadopago_manifest(pool, "123456", MP_RID, "1742505638683"),
                     "id:123456;request-id:" MP_RID ";ts:1742505638683;");
    ck_assert_int_eq(kf_mercadopago_verify(pool, "ts=1742505638683,v1=" MP_SIG, MP_RID, "123456", "mp_secret"),
                     KF_SIG_OK);
    ck_assert_int_eq(kf_mercadopago_verify(pool, "v1=" MP_SIG ", ts=1742505638683", MP_RID, "123456",
                                           "mp_secret"),
                     KF_SIG_OK);
    /* data.id is lowercased in the manifest. */
    ck_assert_str_eq(kf_mercadopago_manifest(pool, "ABC123", "rid-1", "1742505638683"),
                     "id:abc123;request-id:rid-1;ts:1742505638683;");
    ck_assert_int_eq(kf_mercadopago_verify(pool,
                                           "ts=1742505638683,v1=21cec88d0b40b3992b5a282f2506a2376e8e5f04fd981905f23d1e13686b1905",
                                           "rid-1", "ABC123", "mp_secret"),
                     KF_SIG_OK);
    /* Absent values leave their part out of the template. */
    ck_assert_str_eq(kf_mercadopago_manifest(pool, NULL, "rid-1", "1742505638683"),
                     "request-id:rid-1;ts:1742505638683;");
    ck_assert_str_eq(kf_mercadopago_manifest(pool, "9", NULL, "1"), "id:9;ts:1;");
    ck_assert_int_eq(kf_mercadopago_verify(pool,
                                           "ts=1742505638683,v1=6d97d5572026d4ae099c20af61522354416a7eb0755e5dc29722ca0bab0c5a00",
                                           "rid-1", NULL, "mp_secret"),
                     KF_SIG_OK);
    ck_assert_ptr_null(kf_mercadopago_manifest(pool, "9", "r", NULL));
    ck_assert_ptr_null(kf_mercadopago_manifest(pool, "9", "r", ""));
}
END_TEST

START_TEST(mercadopago_bad)
{
    const char *h = "ts=1742505638683,v1=" MP_SIG;
    ck_assert_int_eq(kf_mercadopago_verify(pool, h, MP_RID, "123457", "mp_secret"), KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_mercadopago_verify(pool, h, "bb56a2f1-6aae-46ac-982e-9dcd3581d08f", "123456", "mp_secret"),
                     KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_mercadopago_verify(pool, h, MP_RID, NULL, "mp_secret"), KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_mercadopago_verify(pool, "ts=1742505638684,v1=" MP_SIG, MP_RID, "123456", "mp_secret"),
                     KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_mercadopago_verify(pool, h, MP_RID, "123456", "mp_secreT"), KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_mercadopago_verify(pool, h, MP_RID, "123456", ""), KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_mercadopago_verify(pool, NULL, MP_RID, "123456", "mp_secret"), KF_SIG_MALFORMED);
    ck_assert_int_eq(kf_mercadopago_verify(pool, "", MP_RID, "123456", "mp_secret"), KF_SIG_MALFORMED);
    ck_assert_int_eq(kf_mercadopago_verify(pool, "v1=" MP_SIG, MP_RID, "123456", "mp_secret"), KF_SIG_MALFORMED);
    ck_assert_int_eq(kf_mercadopago_verify(pool, "ts=1742505638683", MP_RID, "123456", "mp_secret"),
                     KF_SIG_MALFORMED);
    ck_assert_int_eq(kf_mercadopago_verify(pool, "ts=1,ts=1742505638683,v1=" MP_SIG, MP_RID, "123456", "mp_secret"),
                     KF_SIG_MALFORMED);
}
END_TEST

/* ------------------------------------------------------------------ Cal.com */

#define CAL_BODY "{\"triggerEvent\":\"BOOKING_CREATED\",\"createdAt\":\"2024-01-01T00:00:00.000Z\",\"payload\":{\"uid\":\"abc\"}}"
#define CAL_SIG "0d7dde5a4a7ae73a96d8fb8a28d28fd1579aecf5a2966840abc5f26836d532e6"

START_TEST(calcom_vector)
{
    ck_assert_str_eq(kf_calcom_signature(pool, "cal_secret", CAL_BODY, strlen(CAL_BODY)), CAL_SIG);
    ck_assert_int_eq(kf_calcom_verify(pool, CAL_SIG, CAL_BODY, strlen(CAL_BODY), "cal_secret"), KF_SIG_OK);
    const char *body2 = "{\"triggerEvent\":\"BOOKING_CANCELLED\",\"createdAt\":\"2024-01-01T00:00:00.000Z\",\"payload\":{\"uid\":\"abc\"}}";
    ck_assert_int_eq(kf_calcom_verify(pool, CAL_SIG, body2, strlen(body2), "cal_secret"), KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_calcom_verify(pool, CAL_SIG, CAL_BODY, strlen(CAL_BODY), "other"), KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_calcom_verify(pool, CAL_SIG, CAL_BODY, strlen(CAL_BODY), NULL), KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_calcom_verify(pool, "sha256=" CAL_SIG, CAL_BODY, strlen(CAL_BODY), "cal_secret"),
                     KF_SIG_BAD_SIGNATURE);
    ck_assert_int_eq(kf_calcom_verify(pool, NULL, CAL_BODY, strlen(CAL_BODY), "cal_secret"), KF_SIG_MALFORMED);
    ck_assert_int_eq(kf_calcom_verify(pool, "", CAL_BODY, strlen(CAL_BODY), "cal_secret"), KF_SIG_MALFORMED);
    /* The body length is honoured: an embedded NUL is signed like any byte. */
    const char nul_body[] = "a\0b";
    const char *s = kf_calcom_signature(pool, "cal_secret", nul_body, 3);
    ck_assert_str_ne(s, kf_calcom_signature(pool, "cal_secret", nul_body, 1));
    ck_assert_int_eq(kf_calcom_verify(pool, s, nul_body, 3, "cal_secret"), KF_SIG_OK);
    ck_assert_int_eq(kf_calcom_verify(pool, s, nul_body, 1, "cal_secret"), KF_SIG_BAD_SIGNATURE);
}
END_TEST

/* ------------------------------------------------------------------ Standard Webhooks */

/* The example of the Standard Webhooks test suites: the key is the base64 after "whsec_". */
#define SW_SPEC_KEY_HEX "31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0"
#define SW_SPEC_ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define SW_SPEC_BODY "{\"test\": 2432232314}"

static const unsigned char *hex_bytes(const char *hex, apr_size_t *len)
{
    *len = strlen(hex) / 2;
    unsigned char *out = apr_palloc(pool, *len);
    for (apr_size_t i = 0; i < *len; i++) {
        unsigned int b;
        sscanf(hex + 2 * i, "%2x", &b);
        out[i] = (unsigned char)b;
    }
    return out;
}

START_TEST(standard_webhooks_spec_example)
{
    apr_size_t n;
    const unsigned char *key = hex_bytes(SW_SPEC_KEY_HEX, &n);
    ck_assert_str_eq(kf_standard_webhooks_signature(pool, key, n, SW_SPEC_ID, 1614265330, SW_SPEC_BODY,
                                                    strlen(SW_SPEC_BODY)),
                     "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    ck_assert_str_eq(kf_standard_webhooks_secret(pool, key, n), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
}
END_TEST

/* A callback's: the key is the callback secret's own UTF-8 bytes (values computed with
 * Python's hmac and base64). */
#define SW_SECRET "Gx4w0rQm7Vb1sYt9LpZk3NcAe5HdJf8UoWi2TyRv6Xo"
#define SW_ID "0b6f3c1e-9a2d-4f57-8e41-2c7d5a9b0f13"
#define SW_BODY "{\"evento\":\"booking.paid\",\"profesional\":{\"nombre\":\"Dra. N\xc3\xba\xc3\xb1" "ez\"}}"

START_TEST(standard_webhooks_callback_vector)
{
    const apr_size_t k = strlen(SW_SECRET), len = strlen(SW_BODY);
    ck_assert_uint_eq(len, 65);
    ck_assert_str_eq(kf_standard_webhooks_signature(pool, SW_SECRET, k, SW_ID, 1795000000, SW_BODY, len),
                     "v1,GFLlPhYjxe6/OBsTf6dl9e5fF4RafmtfN4LzB49sj1Q=");
    ck_assert_str_eq(kf_standard_webhooks_secret(pool, SW_SECRET, k),
                     "whsec_R3g0dzByUW03VmIxc1l0OUxwWmszTmNBZTVIZEpmOFVvV2kyVHlSdjZYbw==");
    /* the timestamp is signed: one second later is another signature */
    ck_assert_str_eq(kf_standard_webhooks_signature(pool, SW_SECRET, k, SW_ID, 1795000001, SW_BODY, len),
                     "v1,n1iEvfzHlC/bZ+3cWHxAPb1EYHBoIHxk4RylGzcWFUM=");
    /* an empty body still signs id and timestamp */
    ck_assert_str_eq(kf_standard_webhooks_signature(pool, SW_SECRET, k, SW_ID, 1795000000, "", 0),
                     "v1,3hlI5bVvpv6mR0tksSQ9fKrcIt6RBR5ozOi5WSz7ndk=");
    /* the length is honoured: a shorter body, another id or key, another signature */
    const char *whole = kf_standard_webhooks_signature(pool, SW_SECRET, k, SW_ID, 1795000000, SW_BODY, len);
    ck_assert_str_ne(kf_standard_webhooks_signature(pool, SW_SECRET, k, SW_ID, 1795000000, SW_BODY, len - 1),
                     whole);
    ck_assert_str_ne(kf_standard_webhooks_signature(pool, SW_SECRET, k, "ping-1", 1795000000, SW_BODY, len),
                     whole);
    ck_assert_str_ne(kf_standard_webhooks_signature(pool, SW_SECRET, k - 1, SW_ID, 1795000000, SW_BODY, len),
                     whole);
    /* padding: 2 and 3 bytes */
    ck_assert_str_eq(kf_standard_webhooks_secret(pool, "ab", 2), "whsec_YWI=");
    ck_assert_str_eq(kf_standard_webhooks_secret(pool, "abc", 3), "whsec_YWJj");
}
END_TEST

START_TEST(standard_webhooks_refuses)
{
    ck_assert_ptr_null(kf_standard_webhooks_signature(pool, "", 0, SW_ID, 1, "{}", 2));
    ck_assert_ptr_null(kf_standard_webhooks_signature(pool, NULL, 4, SW_ID, 1, "{}", 2));
    ck_assert_ptr_null(kf_standard_webhooks_signature(pool, SW_SECRET, 4, NULL, 1, "{}", 2));
    ck_assert_ptr_null(kf_standard_webhooks_signature(pool, SW_SECRET, 4, "", 1, "{}", 2));
    ck_assert_ptr_null(kf_standard_webhooks_signature(pool, SW_SECRET, 4, SW_ID, 1, NULL, 2));
    ck_assert_ptr_null(kf_standard_webhooks_secret(pool, "", 0));
    ck_assert_ptr_null(kf_standard_webhooks_secret(pool, NULL, 3));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kf_signatures");

    TCase *tc = tcase_create("wompi");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, wompi_integrity_vector);
    tcase_add_test(tc, wompi_event_vector);
    tcase_add_test(tc, wompi_event_header_and_body);
    tcase_add_test(tc, wompi_event_properties_order);
    tcase_add_test(tc, wompi_event_tampered);
    tcase_add_test(tc, wompi_event_malformed);
    suite_add_tcase(s, tc);

    tc = tcase_create("stripe");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, stripe_vector);
    tcase_add_test(tc, stripe_second_v1);
    tcase_add_test(tc, stripe_stale);
    tcase_add_test(tc, stripe_bad_and_malformed);
    suite_add_tcase(s, tc);

    tc = tcase_create("others");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, airwallex_vector);
    tcase_add_test(tc, mercadopago_vector);
    tcase_add_test(tc, mercadopago_bad);
    tcase_add_test(tc, calcom_vector);
    suite_add_tcase(s, tc);

    tc = tcase_create("standard webhooks");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, standard_webhooks_spec_example);
    tcase_add_test(tc, standard_webhooks_callback_vector);
    tcase_add_test(tc, standard_webhooks_refuses);
    suite_add_tcase(s, tc);

    return kf_run_suite(s);
}
