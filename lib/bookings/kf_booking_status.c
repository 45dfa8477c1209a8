/* A booking as its customer is told it. See kf_booking_status.h. */
#include "kf_booking_status.h"
#include "kf_text.h"
#include "kf_catalog_rules.h"
#include "kf_json.h"
#include "kf_location.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

/* What the booking asks for, or null when nothing. */
static json_t *charge_json(const char *const *made)
{
    const char *type = made[KF_BOOKING_MADE_COL_CHARGE_TYPE];
    if (!type || kf_charge_type_parse(type) == KF_CHARGE_FREE) {
        return json_null();
    }
    json_t *charge = json_object();
    json_object_set_new(charge, "amount", json_integer(apr_atoi64(made[KF_BOOKING_MADE_COL_AMOUNT])));
    json_object_set_new(charge, "currency", json_string(made[KF_BOOKING_MADE_COL_CURRENCY]));
    return charge;
}

json_t *kf_booking_marked_view(const char *id, kf_res_state status, const char *start,
                               const char *end)
{
    return json_pack("{s:{s:s, s:s, s:s, s:s}}", "booking", "id", id, "status",
                     kf_res_state_name(status), "start", start, "end", end);
}

json_t *kf_booking_created_view(const char *const *made, kf_res_state status,
                                const char *token, json_t *payment, const char *status_url,
                                const char *purchase_id, int sessions_left)
{
    json_t *booking = json_object();
    json_object_set_new(booking, "id", json_string(made[KF_BOOKING_MADE_COL_ID]));
    json_object_set_new(booking, "token", json_string(token));
    json_object_set_new(booking, "status", json_string(kf_res_state_name(status)));
    json_object_set_new(booking, "start", json_string(made[KF_BOOKING_MADE_COL_START]));
    json_object_set_new(booking, "end", json_string(made[KF_BOOKING_MADE_COL_END]));
    kf_booking_set_team(booking, made[KF_BOOKING_MADE_COL_TEAM]);
    json_object_set_new(booking, "charge", charge_json(made));
    json_object_set_new(booking, "payment", payment ? payment : json_null());
    json_object_set_new(booking, "status_url", json_string(status_url));
    if (purchase_id) {
        json_object_set_new(booking, "purchase", json_pack("{s:s, s:i}", "id", purchase_id,
                                                           "sessions_left", sessions_left));
    }
    json_t *out = json_object();
    json_object_set_new(out, "booking", booking);
    return out;
}

void kf_booking_series_view(json_t *booking, const char *const *const *rows, int n)
{
    if (n <= 0 || !rows[0][KF_OCC_COL_SERIES]) {
        return;
    }
    json_object_set_new(booking, "series",
                        json_pack("{s:s, s:i, s:i}", "id", rows[0][KF_OCC_COL_SERIES], "index",
                                  atoi(rows[0][KF_OCC_COL_INDEX]), "count",
                                  atoi(rows[0][KF_OCC_COL_COUNT])));
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        int state = kf_res_state_parse(rows[i][KF_OCC_COL_STATE]);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "id", rows[i][KF_OCC_COL_ID],
                                              "start", rows[i][KF_OCC_COL_START], "end",
                                              rows[i][KF_OCC_COL_END], "status",
                                              state < 0 ? rows[i][KF_OCC_COL_STATE]
                                                        : kf_res_state_name((kf_res_state)state)));
    }
    json_object_set_new(booking, "occurrences", list);
}

void kf_booking_charge_is(json_t *reply, apr_int64_t amount)
{
    json_t *charge = json_object_get(json_object_get(reply, "booking"), "charge");
    if (json_is_object(charge)) {
        json_object_set_new(charge, "amount", json_integer((json_int_t)amount));
    }
}

const char *kf_booking_return_url(apr_pool_t *p, const char *base, kf_res_state state,
                                  const char *id)
{
    const char *outcome = kf_res_return_outcome(state);
    if (!base || !*base || !outcome) {
        return NULL;
    }
    return apr_pstrcat(p, base, strchr(base, '?') ? "&" : "?", "status=", outcome, "&ref=", id,
                       NULL);
}

void kf_booking_set_team(json_t *booking, const char *team)
{
    json_t *members = team ? json_loads(team, 0, NULL) : NULL;
    if (json_is_array(members)) {
        json_object_set_new(booking, "professionals", members);
    }
    else {
        json_decref(members);
    }
}

int kf_booking_status_awaits_approval(const char *const *row)
{
    return kf_res_state_awaits_approval(kf_res_state_parse(row[KF_BSTATUS_COL_STATE]));
}

/* What the policy still lets the customer do (the state machine answers). */
static json_t *actions_json(const char *const *v, kf_res_state state)
{
    int left = atoi(v[KF_BSTATUS_COL_RESCHEDULES_LEFT]);
    int may_cancel = kf_res_customer_may(state, KF_RES_CANCEL,
                                         kf_text_true(v[KF_BSTATUS_COL_CANCEL_OPEN]), left);
    int may_move = v[KF_BSTATUS_COL_LINK] &&
                   kf_res_customer_may(state, KF_RES_RESCHEDULE,
                                       kf_text_true(v[KF_BSTATUS_COL_RESCHEDULE_OPEN]), left);
    return json_pack("{s:b, s:b, s:i}", "cancel", may_cancel, "reschedule", may_move,
                     "reschedules_left", left > 0 ? left : 0);
}

json_t *kf_booking_status_view(apr_pool_t *p, const char *const *v, json_t *payment)
{
    kf_res_state state = kf_res_state_seen(kf_res_state_parse(v[KF_BSTATUS_COL_STATE]),
                                           kf_text_true(v[KF_BSTATUS_COL_DEADLINE_PASSED]));
    json_t *booking = json_object();
    json_object_set_new(booking, "id", json_string(v[KF_BSTATUS_COL_ID]));
    json_object_set_new(booking, "status", json_string(kf_res_state_name(state)));
    json_object_set_new(booking, "start", json_string(v[KF_BSTATUS_COL_START]));
    json_object_set_new(booking, "end", json_string(v[KF_BSTATUS_COL_END]));
    json_object_set_new(booking, "timezone", json_string(v[KF_BSTATUS_COL_TIMEZONE]));
    json_t *service = json_object();
    json_object_set_new(service, "id", json_string(v[KF_BSTATUS_COL_SERVICE_ID]));
    json_object_set_new(service, "name", json_string(v[KF_BSTATUS_COL_SERVICE_NAME]));
    json_object_set_new(service, "duration_minutes",
                        json_integer(apr_atoi64(v[KF_BSTATUS_COL_DURATION])));
    json_object_set_new(booking, "service", service);
    json_t *prof = json_object();
    json_object_set_new(prof, "id", json_string(v[KF_BSTATUS_COL_PROFESSIONAL_ID]));
    json_object_set_new(prof, "name", json_string(v[KF_BSTATUS_COL_PROFESSIONAL_NAME]));
    json_object_set_new(booking, "professional", prof);
    kf_booking_set_team(booking, v[KF_BSTATUS_COL_TEAM]);
    /* the manage page's place; a meeting link only while the booking is the customer's (not
     * while the payment is awaited, nor once it was called off) */
    kf_location_source place = {v[KF_BSTATUS_COL_LOCATION_TYPE], v[KF_BSTATUS_COL_LOCATION_VALUE],
                                v[KF_BSTATUS_COL_LOCATION_PROVIDER], v[KF_BSTATUS_COL_VIDEO_URL],
                                v[KF_BSTATUS_COL_VIDEO_PROVIDER], v[KF_BSTATUS_COL_MEETING_URL]};
    kf_location loc = kf_location_of(&place);
    if (loc.type == KF_LOCATION_VIDEO && !kf_res_state_paid(state)) {
        loc.type = KF_LOCATION_NONE;
    }
    json_object_set_new(booking, "location", kf_location_json(&loc));
    json_object_set(booking, "payment", payment ? payment : json_null());
    const char *back = kf_booking_return_url(p, v[KF_BSTATUS_COL_RETURN_URL], state,
                                             v[KF_BSTATUS_COL_ID]);
    json_object_set_new(booking, "return_url", back ? json_string(back) : json_null());
    /* the manage page: the link a new time is chosen through */
    const char *link = v[KF_BSTATUS_COL_LINK];
    json_object_set_new(booking, "link", link ? json_string(link) : json_null());
    json_object_set_new(booking, "actions", actions_json(v, state));
    /* the business, as the customer writes to it with a question or a change */
    const char *email = v[KF_BSTATUS_COL_BUSINESS_EMAIL];
    const char *phone = v[KF_BSTATUS_COL_BUSINESS_PHONE];
    json_object_set_new(booking, "contact",
                        json_pack("{s:s?, s:s?, s:s?}", "name", v[KF_BSTATUS_COL_BUSINESS],
                                  "email", email && *email ? email : NULL, "phone",
                                  phone && *phone ? phone : NULL));
    /* its brand, for the booking's page on the platform's host as on its own */
    const char *face = v[KF_BSTATUS_COL_TENANT];
    json_t *tenant = face ? json_loads(face, 0, NULL) : NULL;
    json_object_set_new(booking, "tenant", tenant ? tenant : json_null());
    json_t *out = json_object();
    json_object_set_new(out, "booking", booking);
    return out;
}

int kf_booking_token_open(apr_int64_t ends_at, apr_int64_t now)
{
    return now < ends_at + (apr_int64_t)KF_BOOKING_TOKEN_DAYS_AFTER_END * 86400;
}
