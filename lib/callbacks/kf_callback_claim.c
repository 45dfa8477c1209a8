/* A claimed callback delivery and its record: see kf_callback_claim.h. */
#include "kf_callback_claim.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

void kf_callback_claimed_of(apr_pool_t *p, int place, const char *const *row,
                            kf_callback_claimed *d)
{
    memset(d, 0, sizeof(*d));
    d->place = place;
    d->rec.delivery_id = apr_pstrdup(p, row[KF_CB_CLAIM_ID]);
    d->rec.number = row[KF_CB_CLAIM_ATTEMPTS] ? atoi(row[KF_CB_CLAIM_ATTEMPTS]) : 0;
    d->rec.url = apr_pstrdup(p, row[KF_CB_CLAIM_URL]);
    d->tenant_id = apr_pstrdup(p, row[KF_CB_CLAIM_TENANT]);
    d->booking_id = apr_pstrdup(p, row[KF_CB_CLAIM_RESERVATION]);
    d->body = apr_pstrdup(p, row[KF_CB_CLAIM_BODY]);
    d->event = apr_pstrdup(p, row[KF_CB_CLAIM_EVENT]);
}

apr_status_t kf_callback_batch_of(apr_pool_t *p, kf_callback_claimed *const *done, int n,
                                  int divisor, kf_callback_batch *b)
{
    const kf_callback_record **recs = apr_pcalloc(p, sizeof(*recs) * (apr_size_t)n);
    apr_array_header_t *owners = apr_array_make(p, n, sizeof(const char *));
    b->bookings = apr_pcalloc(p, sizeof(*b->bookings) * (apr_size_t)n);
    b->events = apr_pcalloc(p, sizeof(*b->events) * (apr_size_t)n);
    b->acked = 0;
    for (int i = 0; i < n; i++) {
        kf_callback_claimed *d = done[i];
        d->rec.next = kf_callback_after_attempt(p, &d->rec.attempt, d->rec.number, divisor);
        recs[i] = &d->rec;
        APR_ARRAY_PUSH(owners, const char *) = d->tenant_id;
        if (d->rec.next.step == KF_CALLBACK_DELIVERED) {
            b->bookings[b->acked] = d->booking_id;
            b->events[b->acked++] = d->event;
        }
    }
    b->tenants = kf_pg_array(p, owners);
    b->records = kf_callback_records_json(p, recs, n);
    return b->records ? APR_SUCCESS : APR_EINVAL;
}

const char *kf_callback_attempt_line(apr_pool_t *p, const kf_callback_claimed *d)
{
    const kf_callback_record *r = &d->rec;
    return apr_psprintf(p, "callback %s attempt %d: %s (%" APR_INT64_T_FMT " ms)",
                        r->delivery_id, r->number,
                        r->next.step == KF_CALLBACK_DELIVERED ? "delivered" : r->next.last_error,
                        (apr_int64_t)apr_time_as_msec(r->attempt.latency));
}

const char *kf_callback_given_up_line(apr_pool_t *p, const kf_callback_claimed *d)
{
    const kf_callback_record *r = &d->rec;
    if (r->next.step != KF_CALLBACK_GIVE_UP) {
        return NULL;
    }
    return apr_psprintf(p, "callback %s of booking %s failed for good after %d attempts: %s",
                        r->delivery_id, d->booking_id, r->number, r->next.last_error);
}
