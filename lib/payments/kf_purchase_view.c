/* A customer's purchase as the customer sees it. See kf_purchase_view.h. */
#include "kf_purchase_view.h"
#include "kf_text.h"
#include "kf_json.h"
#include "kf_url.h"
#include "kf_money.h"
#include "kf_catalog_rules.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

static json_t *nullable(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *money(apr_int64_t amount, const char *currency)
{
    return json_pack("{s:I, s:s}", "amount", (json_int_t)amount, "currency", currency);
}

void kf_purchase_ask_read(kf_fields *f, const json_t *body, kf_purchase_ask *ask)
{
    ask->link = ask->package = NULL;
    if (kf_json_get_string(body, "link", &ask->link) != KF_JSON_FIELD_OK ||
        !kf_link_slug_ok(ask->link)) {
        kf_fields_fail(f, "link", "field_required");
        ask->link = NULL;
    }
    if (kf_json_get_string(body, "package", &ask->package) != KF_JSON_FIELD_OK ||
        !kf_is_uuid(ask->package)) {
        kf_fields_fail(f, "package", "package_id_invalid");
        ask->package = NULL;
    }
    kf_metadata_problem why;
    ask->metadata = NULL;
    if (!kf_metadata_read(f->pool, json_object_get(body, "metadata"), &ask->metadata, &why)) {
        kf_fields_fail(f, why.field, why.message_id);
    }
}

json_t *kf_purchase_created_view(const char *const *row, const char *token, json_t *payment,
                                 const char *url)
{
    json_t *purchase = json_object();
    kf_json_set_str(purchase, "id", row[KF_PUR_NEW_COL_ID]);
    kf_json_set_str(purchase, "token", token);
    kf_json_set_str(purchase, "status", kf_pur_state_name(KF_PUR_PENDING_PAYMENT));
    kf_json_set_int(purchase, "sessions_left", atoi(row[KF_PUR_NEW_COL_SESSIONS]));
    kf_json_set_null(purchase, "expires_at");
    json_object_set(purchase, "payment", payment);
    kf_json_set_str(purchase, "url", url);
    return purchase;
}

kf_pur_state kf_purchase_seen(const char *const *row)
{
    int state = kf_pur_state_parse(row[KF_PUR_COL_STATUS]);
    return kf_pur_state_seen(state < 0 ? KF_PUR_FAILED : (kf_pur_state)state,
                             kf_text_true(row[KF_PUR_COL_DUE]));
}

int kf_purchase_awaits_approval(const char *const *row)
{
    int state = kf_pur_state_parse(row[KF_PUR_COL_STATUS]);
    return state >= 0 && kf_pur_state_awaits_approval((kf_pur_state)state,
                                                      kf_text_true(row[KF_PUR_COL_EVER_PAID]));
}

static json_t *tenant_view(const char *const *v)
{
    json_t *tenant = json_object();
    kf_json_set_str(tenant, "name", v[KF_PUR_COL_TENANT_NAME]);
    json_object_set_new(tenant, "logo_url", nullable(v[KF_PUR_COL_LOGO]));
    json_object_set_new(tenant, "primary_color", nullable(v[KF_PUR_COL_PRIMARY]));
    json_object_set_new(tenant, "secondary_color", nullable(v[KF_PUR_COL_SECONDARY]));
    kf_json_set_str(tenant, "timezone", v[KF_PUR_COL_TIMEZONE]);
    kf_json_set_str(tenant, "locale", v[KF_PUR_COL_LOCALE]);
    json_object_set_new(tenant, "terms_url", nullable(v[KF_PUR_COL_TERMS]));
    return tenant;
}

json_t *kf_purchase_page_view(const char *const *v, json_t *bookings)
{
    kf_pur_state seen = kf_purchase_seen(v);
    int total = atoi(v[KF_PUR_COL_TOTAL]), used = atoi(v[KF_PUR_COL_USED]);
    json_t *p = json_object();
    kf_json_set_str(p, "id", v[KF_PUR_COL_ID]);
    kf_json_set_str(p, "status", kf_pur_state_name(seen));
    json_object_set_new(p, "package", json_pack(
        "{s:s, s:s, s:o, s:i, s:i, s:o}", "id", v[KF_PUR_COL_PACKAGE_ID], "name",
        v[KF_PUR_COL_PACKAGE_NAME], "description", nullable(v[KF_PUR_COL_PACKAGE_DESCRIPTION]),
        "sessions", total, "valid_days", atoi(v[KF_PUR_COL_VALID_DAYS]), "price",
        money(apr_atoi64(v[KF_PUR_COL_AMOUNT]), v[KF_PUR_COL_CURRENCY])));
    json_object_set_new(p, "service", json_pack("{s:s, s:s, s:i}", "id", v[KF_PUR_COL_SERVICE_ID],
                                                "name", v[KF_PUR_COL_SERVICE_NAME],
                                                "duration_minutes", atoi(v[KF_PUR_COL_DURATION])));
    kf_json_set_int(p, "sessions_total", total);
    kf_json_set_int(p, "sessions_used", used);
    /* an expired package has nothing left to book */
    kf_json_set_int(p, "sessions_left",
                    seen == KF_PUR_EXPIRED ? 0 : kf_purchase_sessions_left(total, used));
    json_object_set_new(p, "paid_at", nullable(v[KF_PUR_COL_PAID_AT]));
    json_object_set_new(p, "expires_at", nullable(v[KF_PUR_COL_EXPIRES]));
    json_object_set_new(p, "pay_by", nullable(v[KF_PUR_COL_PAY_BY]));
    json_object_set_new(p, "link", nullable(v[KF_PUR_COL_LINK]));
    json_object_set_new(p, "customer", json_pack("{s:s, s:s, s:s}", "name",
                                                 v[KF_PUR_COL_CUSTOMER_NAME], "email",
                                                 v[KF_PUR_COL_CUSTOMER_EMAIL], "phone",
                                                 v[KF_PUR_COL_CUSTOMER_PHONE]));
    json_object_set_new(p, "bookings", bookings);
    json_t *out = json_object();
    json_object_set_new(out, "purchase", p);
    json_object_set_new(out, "tenant", tenant_view(v));
    return out;
}

void kf_purchase_payment_of(const char *const *v, kf_payment_start *in)
{
    in->purchase_id = v[KF_PUR_NEW_COL_ID];
    in->amount = apr_atoi64(v[KF_PUR_NEW_COL_AMOUNT]);
    in->currency = v[KF_PUR_NEW_COL_CURRENCY];
    in->expires_at = apr_time_from_sec(apr_atoi64(v[KF_PUR_NEW_COL_PAY_BY]));
}

int kf_purchase_payment_outcome(const char *status, const char *ever_paid,
                                const kf_payment_plan *plan, kf_pur_state *from,
                                kf_pur_outcome *o)
{
    int state = kf_pur_state_parse(status);
    if (state < 0) {
        return 0;
    }
    kf_pur_facts facts = {kf_text_true(ever_paid), plan->same_transaction, plan->reason};
    kf_pur_event event = plan->step == KF_PAYMENT_STEP_APPROVE ? KF_PUR_APPROVE : KF_PUR_DECLINE;
    *from = (kf_pur_state)state;
    *o = kf_purchase_next(*from, event, &facts);
    return 1;
}

json_t *kf_purchase_booking_view(const char *const *v, const char *seen)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "id", v[KF_PUR_BOOKING_COL_ID],
                     "start", v[KF_PUR_BOOKING_COL_START], "end", v[KF_PUR_BOOKING_COL_END],
                     "status", seen, "professional", v[KF_PUR_BOOKING_COL_PROFESSIONAL],
                     "session_returned", kf_text_true(v[KF_PUR_BOOKING_COL_RETURNED]));
}

const char *kf_purchase_page_url(apr_pool_t *p, const char *public_url, const char *id,
                                 const char *token)
{
    return apr_pstrcat(p, kf_url_trim_slash(p, public_url), "/book/purchase/",
                       kf_url_encode(p, id), "?token=", kf_url_encode(p, token), NULL);
}

kf_locale kf_purchase_mail_locale(const char *const *v)
{
    const char *locale = v[KF_PUR_MAIL_COL_LOCALE];
    return locale && strcmp(locale, "en") == 0 ? KF_LOCALE_EN : KF_LOCALE_ES;
}

json_t *kf_purchase_paid_mail(apr_pool_t *p, const char *const *v, const char *expires,
                              const char *link)
{
    const char *color = v[KF_PUR_MAIL_COL_COLOR] && *v[KF_PUR_MAIL_COL_COLOR]
                            ? v[KF_PUR_MAIL_COL_COLOR] : "#3B82F6";
    const char *paid = kf_money_text(p, kf_purchase_mail_locale(v),
                                     apr_atoi64(v[KF_PUR_MAIL_COL_AMOUNT]),
                                     v[KF_PUR_MAIL_COL_CURRENCY]);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                     "business_name", v[KF_PUR_MAIL_COL_BUSINESS],
                     "customer_name", v[KF_PUR_MAIL_COL_CUSTOMER_NAME],
                     "package", v[KF_PUR_MAIL_COL_PACKAGE], "service", v[KF_PUR_MAIL_COL_SERVICE],
                     "sessions", v[KF_PUR_MAIL_COL_SESSIONS], "expires", expires ? expires : "",
                     "paid", paid, "link", link, "brand_color", color, "brand_text", "#ffffff");
}
