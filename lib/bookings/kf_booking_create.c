/* Making a booking of a live hold: see kf_booking_create.h. */
#include "kf_booking_create.h"
#include "kf_text.h"
#include "kf_catalog_rules.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_tenant_rules.h"
#include "kf_series.h"

#include <apr_strings.h>
#include <string.h>

const char *kf_booking_field_name(int field)
{
    static const char *const names[KF_BOOKING_FIELDS] = {
        [KF_BOOKING_FIELD_HOLD_TOKEN] = "hold_token",
        [KF_BOOKING_FIELD_PURCHASE_TOKEN] = "purchase_token",
        [KF_BOOKING_FIELD_NOTES] = "notes",
        [KF_BOOKING_FIELD_TIMEZONE] = "timezone",
        [KF_BOOKING_FIELD_METADATA] = "metadata",
    };
    if (field >= KF_BOOKING_FIELD_CUSTOMER && field < KF_BOOKING_FIELD_NOTES) {
        return kf_customer_field_name(field - KF_BOOKING_FIELD_CUSTOMER);
    }
    return field >= 0 && field < KF_BOOKING_FIELDS ? names[field] : NULL;
}

/* A token's hash, when it has a token's shape. */
static const char *hash_of(apr_pool_t *p, const char *token)
{
    return token && kf_token_shape_ok(token) ? kf_sha256_hex(p, token, strlen(token)) : NULL;
}

/* An optional string: NULL when absent or null; its problem when mistyped, or the message
 * id `check` answers for its value. */
static const char *optional(const json_t *body, const char *key,
                            const char *(*check)(const char *), const char **problem)
{
    const char *v = NULL;
    kf_json_field f = kf_json_get_string(body, key, &v);
    if (f == KF_JSON_FIELD_WRONG_TYPE) {
        *problem = "field_wrong_type";
    }
    else if (f == KF_JSON_FIELD_OK) {
        *problem = check(v);
    }
    return f == KF_JSON_FIELD_OK ? v : NULL;
}

/* The wizard's zone: an unknown but well-formed name falls back to the business's zone
 * when stored (kf_tz_valid in SQL). */
static const char *timezone_problem(const char *name)
{
    return kf_timezone_name_plausible(name) ? NULL : "invalid_timezone";
}

void kf_booking_request_read(apr_pool_t *p, const json_t *body, kf_booking_request *in)
{
    const char **problem = in->problem;
    memset(in, 0, sizeof(*in));
    kf_json_field f = kf_json_get_string(body, "hold_token", &in->hold_token);
    if (f != KF_JSON_FIELD_OK) {
        problem[KF_BOOKING_FIELD_HOLD_TOKEN] =
            f == KF_JSON_FIELD_WRONG_TYPE ? "field_wrong_type" : "field_required";
    }
    else if (!(in->hold_hash = hash_of(p, in->hold_token))) {
        problem[KF_BOOKING_FIELD_HOLD_TOKEN] = "hold_token_invalid";
    }
    /* a purchase token of the wrong shape is kept with its problem, so that no terms are
     * asked of it besides */
    f = kf_json_get_string(body, "purchase_token", &in->purchase_token);
    if (f == KF_JSON_FIELD_WRONG_TYPE ||
        (f == KF_JSON_FIELD_OK && !(in->purchase_hash = hash_of(p, in->purchase_token)))) {
        problem[KF_BOOKING_FIELD_PURCHASE_TOKEN] = "purchase_token_invalid";
    }
    kf_customer_read(body, NULL, kf_booking_terms_needed(in->purchase_token != NULL),
                     &in->customer, &problem[KF_BOOKING_FIELD_CUSTOMER]);
    in->notes = optional(body, "notes", kf_customer_check_notes,
                         &problem[KF_BOOKING_FIELD_NOTES]);
    in->timezone = optional(body, "timezone", timezone_problem,
                            &problem[KF_BOOKING_FIELD_TIMEZONE]);
    kf_metadata_problem why;
    if (!kf_metadata_read(p, json_object_get(body, "metadata"), &in->metadata, &why)) {
        problem[KF_BOOKING_FIELD_METADATA] = why.message_id;
        in->metadata_field = why.field;
    }
    /* NUL bytes (\u0000) cannot be stored: the JSON parser refuses them already */
    in->booking_token = kf_random_token(p, 32);
    in->booking_hash = kf_sha256_hex(p, in->booking_token, strlen(in->booking_token));
}

static apr_int64_t number(const char *v)
{
    return v ? apr_atoi64(v) : 0;
}

void kf_booking_facts_of(const char *const *v, kf_booking_facts *f)
{
    int purchase = kf_pur_state_parse(v[KF_BOOKING_FACT_COL_PURCHASE_STATUS]);
    memset(f, 0, sizeof(*f));
    f->hold_live = 1;
    f->country = v[KF_BOOKING_FACT_COL_COUNTRY];
    f->hold = (kf_booking_hold){v[KF_BOOKING_FACT_COL_CHARGE_TYPE],
                                number(v[KF_BOOKING_FACT_COL_PRICE]),
                                (int)number(v[KF_BOOKING_FACT_COL_DEPOSIT]),
                                v[KF_BOOKING_FACT_COL_PURCHASE_ID] != NULL,
                                (int)number(v[KF_BOOKING_FACT_COL_SERIES_COUNT]),
                                v[KF_BOOKING_FACT_COL_SERIES_PAY] &&
                                    strcmp(v[KF_BOOKING_FACT_COL_SERIES_PAY], "all") == 0};
    f->purchase_state = purchase < 0 ? KF_PUR_FAILED : (kf_pur_state)purchase;
    f->purchase_due = kf_text_true(v[KF_BOOKING_FACT_COL_PURCHASE_DUE]);
    f->purchase_ever_paid = kf_text_true(v[KF_BOOKING_FACT_COL_PURCHASE_EVER_PAID]);
    f->purchase_same_service = kf_text_true(v[KF_BOOKING_FACT_COL_PURCHASE_SAME_SERVICE]);
    f->sessions_total = (int)number(v[KF_BOOKING_FACT_COL_SESSIONS_TOTAL]);
    f->sessions_used = (int)number(v[KF_BOOKING_FACT_COL_SESSIONS_USED]);
    f->link_metadata = v[KF_BOOKING_FACT_COL_LINK_METADATA];
}

static apr_status_t refuse(kf_booking_decision *d, int status, const char *code)
{
    d->refusal = code;
    d->status = status;
    return APR_SUCCESS;
}

/* What the booking charges and where the state machine's book takes it. */
static apr_status_t charge(const kf_booking_hold *hold, apr_int64_t now,
                           apr_int64_t payment_window, kf_booking_decision *d)
{
    if (hold->purchase_session) {
        /* paid already: nothing to collect, whatever the service charges */
        d->charge_type = kf_charge_type_name(KF_CHARGE_FREE);
    }
    else {
        kf_charge_type type = kf_charge_type_parse(hold->charge_type);
        d->amount = type == KF_CHARGE_INVALID
                        ? -1 : kf_charge_amount(type, hold->price, hold->deposit_percent);
        d->charge_type = hold->charge_type;
    }
    if (d->amount < 0) {
        return APR_EINVAL;
    }
    d->checkout = hold->series_count > 1
                      ? kf_series_charge(hold->series_pay_all, hold->series_count, d->amount)
                      : d->amount;
    kf_res_facts facts = {0};
    facts.free_service = d->checkout == 0;
    facts.purchase_session = hold->purchase_session;
    d->outcome = kf_reservation_next(KF_RES_HELD, KF_RES_BOOK, &facts);
    d->deadline = kf_res_state_has_deadline(d->outcome.next) ? now + payment_window : 0;
    return APR_SUCCESS;
}

apr_status_t kf_booking_decide(apr_pool_t *p, const kf_booking_request *in, const kf_booking_facts *f,
                               apr_int64_t now, apr_int64_t payment_window,
                               kf_booking_decision *d)
{
    int invalid = 0;
    memset(d, 0, sizeof(*d));
    memcpy(d->problem, in->problem, sizeof(d->problem));
    d->metadata_field = in->metadata_field;
    kf_metadata_problem why;
    if (!d->problem[KF_BOOKING_FIELD_METADATA] && f->hold_live &&
        !kf_metadata_merge(p, f->link_metadata, in->metadata, &d->metadata, &why)) {
        d->problem[KF_BOOKING_FIELD_METADATA] = why.message_id;
        d->metadata_field = why.field;
    }
    const char **phone = &d->problem[KF_BOOKING_FIELD_CUSTOMER + KF_CUSTOMER_FIELD_PHONE];
    if (!*phone && in->customer.phone && f->hold_live) {
        *phone = kf_customer_check_phone(in->customer.phone, f->country);
    }
    for (int i = 0; i < KF_BOOKING_FIELDS; i++) {
        invalid = invalid || d->problem[i];
    }
    if (invalid) {
        return refuse(d, 400, "validation_failed");
    }
    if (!f->hold_live) {
        return refuse(d, 409, "hold_expired");
    }
    if (in->purchase_token) {
        if (!f->hold.purchase_session) {
            return refuse(d, 404, "purchase_not_found");
        }
        const char *refused = kf_purchase_session_refusal(
            kf_pur_state_seen(f->purchase_state, f->purchase_due), f->purchase_ever_paid,
            f->purchase_same_service, f->sessions_total, f->sessions_used);
        if (refused) {
            return refuse(d, kf_purchase_refusal_status(refused), refused);
        }
    }
    return charge(&f->hold, now, payment_window, d);
}

json_t *kf_booking_refusal_fields(const kf_booking_decision *d)
{
    if (!d->refusal || strcmp(d->refusal, "validation_failed") != 0) {
        return NULL;
    }
    json_t *ids = json_object();
    for (int i = 0; i < KF_BOOKING_FIELDS; i++) {
        if (d->problem[i]) {
            const char *name = i == KF_BOOKING_FIELD_METADATA && d->metadata_field
                                   ? d->metadata_field : kf_booking_field_name(i);
            json_object_set_new(ids, name, json_string(d->problem[i]));
        }
    }
    return ids;
}

int kf_booking_terms_needed(int purchase_session)
{
    return !purchase_session;
}

const char *kf_booking_status_url(apr_pool_t *p, const char *public_url, const char *id,
                                  const char *token)
{
    apr_size_t n = strlen(public_url);
    return apr_psprintf(p, "%.*s/api/public/bookings/%s?token=%s",
                        (int)(n && public_url[n - 1] == '/' ? n - 1 : n), public_url, id, token);
}
