/* Callback bodies from the facts the database gives: see kf_callback_facts.h. */
#include "kf_callback_facts.h"
#include "kf_callback.h"
#include "kf_location.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

static apr_int64_t num(const char *text)
{
    return text ? apr_atoi64(text) : 0;
}

static int is(const char *text, const char *want)
{
    return text && strcmp(text, want) == 0;
}

/* The booking's place as it is now: its own room's link once made. */
static kf_location place_of(const char *const *v)
{
    kf_location_source place = {v[KF_CB_BK_LOCATION_TYPE], v[KF_CB_BK_LOCATION_VALUE],
                                v[KF_CB_BK_LOCATION_PROVIDER], v[KF_CB_BK_VIDEO_URL],
                                v[KF_CB_BK_VIDEO_PROVIDER], v[KF_CB_BK_MEETING_URL]};
    return kf_location_of(&place);
}

const char *kf_callback_booking_body_of(apr_pool_t *p, const char *const *v, const char *event,
                                        const char *secret)
{
    kf_callback_booking b;
    memset(&b, 0, sizeof(b));
    b.event = event;
    b.tenant_id = v[KF_CB_BK_TENANT];
    b.booking_id = v[KF_CB_BK_ID];
    b.service_id = v[KF_CB_BK_SERVICE_ID];
    b.service_name = v[KF_CB_BK_SERVICE_NAME];
    b.duration_min = (int)num(v[KF_CB_BK_DURATION]);
    b.charge_type = v[KF_CB_BK_CHARGE_TYPE];
    b.price = num(v[KF_CB_BK_PRICE]);
    b.charged = num(v[KF_CB_BK_CHARGED]);
    b.professional_id = v[KF_CB_BK_PROFESSIONAL_ID];
    b.professional_name = v[KF_CB_BK_PROFESSIONAL_NAME];
    b.start = v[KF_CB_BK_START];
    b.end = v[KF_CB_BK_END];
    b.timezone = v[KF_CB_BK_TIMEZONE];
    b.customer_name = v[KF_CB_BK_CUSTOMER_NAME];
    b.customer_email = v[KF_CB_BK_CUSTOMER_EMAIL];
    b.customer_phone = v[KF_CB_BK_CUSTOMER_PHONE];
    b.accepted_terms = is(v[KF_CB_BK_ACCEPTED_TERMS], "t");
    b.provider = v[KF_CB_BK_PROVIDER];          /* NULL: free booking */
    b.reference = v[KF_CB_BK_REFERENCE];
    b.amount = b.provider ? num(v[KF_CB_BK_AMOUNT]) : 0;
    b.currency = v[KF_CB_BK_CURRENCY];
    b.timestamp = v[KF_CB_BK_TIMESTAMP];
    b.test_mode = is(v[KF_CB_BK_MODE], "test");
    b.purchase_id = v[KF_CB_BK_PURCHASE];       /* NULL unless a package's session */
    b.package_sessions = b.purchase_id ? (int)num(v[KF_CB_BK_PKG_SESSIONS]) : 0;
    b.package_sessions_used = b.purchase_id ? (int)num(v[KF_CB_BK_PKG_USED]) : 0;
    b.refund_amount = num(v[KF_CB_BK_REFUND_AMOUNT]);
    b.refund_status = v[KF_CB_BK_REFUND_STATUS];
    /* all returned means everything taken (the extra of a payment made twice too) */
    apr_int64_t taken = num(v[KF_CB_BK_TAKEN]);
    b.money_state = kf_callback_money_state(b.provider != NULL, taken > b.amount ? taken : b.amount,
                                            b.refund_amount, b.refund_status,
                                            is(v[KF_CB_BK_REFUND_DONE], "t"));
    b.cancelled_by = v[KF_CB_BK_CANCELLED_BY];
    b.cancel_reason = v[KF_CB_BK_CANCEL_REASON];
    b.previous_start = v[KF_CB_BK_PREVIOUS_START];
    b.previous_end = v[KF_CB_BK_PREVIOUS_END];
    kf_location location = place_of(v);
    b.location = &location;
    b.metadata = v[KF_CB_BK_METADATA];
    b.seat_capacity = (int)num(v[KF_CB_BK_SEAT_CAPACITY]);
    b.seats_taken = (int)num(v[KF_CB_BK_SEATS_TAKEN]);
    b.series_id = v[KF_CB_BK_SERIES_ID];
    b.series_index = (int)num(v[KF_CB_BK_SERIES_INDEX]);
    b.series_count = (int)num(v[KF_CB_BK_SERIES_COUNT]);
    return kf_callback_body(p, &b, secret);
}

int kf_callback_room_wait(const char *const *v)
{
    kf_location location = place_of(v);
    return kf_location_link_pending(&location) && is(v[KF_CB_BK_CALENDAR_CONNECTED], "t")
               ? KF_CALLBACK_ROOM_WAIT_SECONDS : 0;
}

const char *kf_callback_purchase_body_of(apr_pool_t *p, const char *const *v,
                                         const char *secret)
{
    kf_callback_purchase b;
    memset(&b, 0, sizeof(b));
    b.tenant_id = v[KF_CB_PU_TENANT];
    b.purchase_id = v[KF_CB_PU_ID];
    b.package_id = v[KF_CB_PU_PACKAGE];
    b.package_name = v[KF_CB_PU_PACKAGE_NAME];
    b.sessions = (int)num(v[KF_CB_PU_SESSIONS]);
    b.valid_days = (int)num(v[KF_CB_PU_VALID_DAYS]);
    b.price = num(v[KF_CB_PU_PRICE]);
    b.service_id = v[KF_CB_PU_SERVICE];
    b.service_name = v[KF_CB_PU_SERVICE_NAME];
    b.duration_min = (int)num(v[KF_CB_PU_DURATION]);
    b.paid_at = v[KF_CB_PU_PAID_AT];
    b.expires_at = v[KF_CB_PU_EXPIRES];
    b.customer_name = v[KF_CB_PU_CUSTOMER_NAME];
    b.customer_email = v[KF_CB_PU_CUSTOMER_EMAIL];
    b.customer_phone = v[KF_CB_PU_CUSTOMER_PHONE];
    b.accepted_terms = 1;           /* a purchase is only made with the terms accepted */
    b.provider = v[KF_CB_PU_PROVIDER];
    b.reference = v[KF_CB_PU_REFERENCE];
    b.amount = num(v[KF_CB_PU_AMOUNT]);
    b.currency = v[KF_CB_PU_CURRENCY];
    b.test_mode = is(v[KF_CB_PU_MODE], "test");
    b.timestamp = v[KF_CB_PU_TIMESTAMP];
    b.metadata = v[KF_CB_PU_METADATA];
    return kf_callback_purchase_body(p, &b, secret);
}
