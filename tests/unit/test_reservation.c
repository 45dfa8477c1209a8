/* Unit suite for lib/bookings/kf_reservation.c: every transition of the booking's state machine,
 * those the payments code uses today and those cancel/reschedule/refund will use. */
#include "kf_check.h"
#include "kf_reservation.h"
#include "kf_payment.h"
#include <apr_strings.h>

#include <string.h>

static kf_res_outcome next(kf_res_state s, kf_res_event e, kf_res_facts f)
{
    return kf_reservation_next(s, e, &f);
}

#define NO_FACTS ((kf_res_facts){0})

START_TEST(names_round_trip)
{
    for (int s = 0; s < KF_RES_STATE_COUNT; s++) {
        ck_assert_int_eq(kf_res_state_parse(kf_res_state_name((kf_res_state)s)), s);
    }
    ck_assert_int_eq(kf_res_state_parse("pending_payment"), KF_RES_PENDING_PAYMENT);
    ck_assert_int_eq(kf_res_state_parse("PAID"), -1);
    ck_assert_int_eq(kf_res_state_parse(NULL), -1);
    ck_assert_ptr_null(kf_res_state_name(KF_RES_STATE_COUNT));
    ck_assert(kf_res_state_active(KF_RES_HELD) && kf_res_state_active(KF_RES_CONFIRMED));
    ck_assert(!kf_res_state_active(KF_RES_EXPIRED) && !kf_res_state_active(KF_RES_CANCELLED));
}
END_TEST

/* The calendar event follows exactly the changes people are told of by mail. */
START_TEST(calendar_event_follows_paid_moved_cancelled)
{
    kf_res_facts free_one = {.free_service = 1};
    ck_assert(next(KF_RES_HELD, KF_RES_BOOK, free_one).effects & KF_RES_FX_CALENDAR_EVENT);
    ck_assert(!(next(KF_RES_HELD, KF_RES_BOOK, NO_FACTS).effects & KF_RES_FX_CALENDAR_EVENT));
    ck_assert(next(KF_RES_PENDING_PAYMENT, KF_RES_APPROVE, NO_FACTS).effects & KF_RES_FX_CALENDAR_EVENT);
    kf_res_facts cancel = {.by_merchant = 1, .money_taken = 1};
    ck_assert(next(KF_RES_PAID, KF_RES_CANCEL, cancel).effects & KF_RES_FX_CALENDAR_EVENT);
    kf_res_facts move = {.by_merchant = 1, .slot_free = 1, .reschedules_left = 1};
    ck_assert(next(KF_RES_CONFIRMED, KF_RES_RESCHEDULE, move).effects & KF_RES_FX_CALENDAR_EVENT);
    ck_assert(!(next(KF_RES_HELD, KF_RES_EXPIRE, NO_FACTS).effects & KF_RES_FX_CALENDAR_EVENT));
    ck_assert(!(next(KF_RES_HELD, KF_RES_RELEASE, NO_FACTS).effects & KF_RES_FX_CALENDAR_EVENT));
    ck_assert(!(next(KF_RES_PAID, KF_RES_CALLBACK_ACKED, NO_FACTS).effects & KF_RES_FX_CALENDAR_EVENT));
}
END_TEST

START_TEST(booking_a_hold)
{
    kf_res_facts free_one = {.free_service = 1};
    kf_res_outcome o = next(KF_RES_HELD, KF_RES_BOOK, free_one);
    ck_assert_int_eq(o.next, KF_RES_PAID);
    ck_assert(o.effects & KF_RES_FX_CALLBACK_PAID);
    ck_assert(!(o.effects & (KF_RES_FX_CHECKOUT | KF_RES_FX_SESSION_SPENT)));
    kf_res_facts session = {.free_service = 1, .purchase_session = 1};
    o = next(KF_RES_HELD, KF_RES_BOOK, session);
    ck_assert_int_eq(o.next, KF_RES_PAID);
    ck_assert(o.effects & KF_RES_FX_SESSION_SPENT);
    ck_assert(o.effects & KF_RES_FX_CALLBACK_PAID);
    ck_assert(!(o.effects & KF_RES_FX_CHECKOUT));
    o = next(KF_RES_HELD, KF_RES_BOOK, NO_FACTS);
    ck_assert_int_eq(o.next, KF_RES_PENDING_PAYMENT);
    ck_assert(!(o.effects & KF_RES_FX_CALLBACK_PAID));
    ck_assert_int_eq(o.effects, KF_RES_FX_CHECKOUT);
    o = next(KF_RES_EXPIRED, KF_RES_BOOK, NO_FACTS);
    ck_assert_str_eq(o.refused, "hold_expired");
    ck_assert_int_eq(o.next, KF_RES_EXPIRED);
    ck_assert(!o.moved);
}
END_TEST

START_TEST(approval_pays_a_waiting_booking)
{
    kf_res_outcome o = next(KF_RES_PENDING_PAYMENT, KF_RES_APPROVE, NO_FACTS);
    ck_assert_int_eq(o.next, KF_RES_PAID);
    ck_assert_str_eq(o.reason, "payment_approved");
    ck_assert(o.effects & KF_RES_FX_CALLBACK_PAID);
    ck_assert(o.effects & KF_RES_FX_FUNNEL_APPROVED);
    ck_assert(!(o.effects & KF_RES_FX_REFUND_FLAG));
}
END_TEST

START_TEST(late_approval_slot_free_or_taken)
{
    for (kf_res_state s = KF_RES_FAILED; s <= KF_RES_EXPIRED; s++) {
        kf_res_facts free_slot = {.slot_free = 1};
        kf_res_outcome o = next(s, KF_RES_APPROVE, free_slot);
        ck_assert_int_eq(o.next, KF_RES_PAID);
        ck_assert_str_eq(o.reason, "late_approval");
        ck_assert(o.effects & KF_RES_FX_CALLBACK_PAID);
        ck_assert(o.effects & KF_RES_FX_SLOT_TAKEN);
        o = next(s, KF_RES_APPROVE, NO_FACTS);
        ck_assert_int_eq(o.next, KF_RES_FAILED);
        ck_assert_str_eq(o.reason, "slot_lost");
        ck_assert(o.effects & KF_RES_FX_REFUND_FLAG);
        ck_assert_str_eq(o.flag_reason, "slot_lost");
        ck_assert(!(o.effects & KF_RES_FX_CALLBACK_PAID));
    }
}
END_TEST

START_TEST(approvals_never_dropped)
{
    kf_res_facts same = {.same_transaction = 1};
    kf_res_outcome o = next(KF_RES_PAID, KF_RES_APPROVE, same);
    ck_assert(!o.moved && o.effects == 0);                  /* the repeat of one approval */
    o = next(KF_RES_CONFIRMED, KF_RES_APPROVE, NO_FACTS);
    ck_assert_int_eq(o.next, KF_RES_CONFIRMED);
    ck_assert_str_eq(o.flag_reason, "second_approval");
    o = next(KF_RES_CANCELLED, KF_RES_APPROVE, NO_FACTS);
    ck_assert_str_eq(o.flag_reason, "approved_while_cancelled");
    ck_assert(o.effects & KF_RES_FX_REFUND_FLAG);
    o = next(KF_RES_HELD, KF_RES_APPROVE, NO_FACTS);
    ck_assert(o.effects & KF_RES_FX_REFUND_FLAG);
}
END_TEST

START_TEST(decline_pending_expire)
{
    kf_res_facts voided = {.reason = "payment_voided"};
    kf_res_outcome o = next(KF_RES_PENDING_PAYMENT, KF_RES_DECLINE, voided);
    ck_assert_int_eq(o.next, KF_RES_FAILED);
    ck_assert_str_eq(o.reason, "payment_voided");
    ck_assert(o.effects & KF_RES_FX_SLOT_FREED);
    o = next(KF_RES_PENDING_PAYMENT, KF_RES_DECLINE, NO_FACTS);
    ck_assert_str_eq(o.reason, "payment_declined");
    for (int s = 0; s < KF_RES_STATE_COUNT; s++) {
        if (s != KF_RES_PENDING_PAYMENT) {
            ck_assert(!next((kf_res_state)s, KF_RES_DECLINE, NO_FACTS).moved);
        }
        ck_assert(!next((kf_res_state)s, KF_RES_PENDING, NO_FACTS).moved);
    }
    o = next(KF_RES_HELD, KF_RES_EXPIRE, NO_FACTS);
    ck_assert_int_eq(o.next, KF_RES_EXPIRED);
    ck_assert_str_eq(o.reason, "hold_expired");
    o = next(KF_RES_PENDING_PAYMENT, KF_RES_EXPIRE, NO_FACTS);
    ck_assert_str_eq(o.reason, "payment_window_passed");
    ck_assert(!next(KF_RES_PAID, KF_RES_EXPIRE, NO_FACTS).moved);
}
END_TEST

/* The booking was written before its checkout was asked for: when the provider makes none,
 * the customer is back on the hold (the slot still theirs), nothing else moves. */
START_TEST(checkout_failure_gives_the_hold_back)
{
    kf_res_outcome o = next(KF_RES_PENDING_PAYMENT, KF_RES_CHECKOUT_FAILED, NO_FACTS);
    ck_assert(o.moved && !o.refused);
    ck_assert_int_eq(o.next, KF_RES_HELD);
    ck_assert_str_eq(o.reason, "checkout_failed");
    ck_assert_int_eq(o.effects, KF_RES_FX_CHECKOUT_ABANDONED);
    for (int s = 0; s < KF_RES_STATE_COUNT; s++) {
        if (s != KF_RES_PENDING_PAYMENT) {
            ck_assert(!next((kf_res_state)s, KF_RES_CHECKOUT_FAILED, NO_FACTS).moved);
        }
    }
}
END_TEST

/* A booking whose payment failed or ran out is paid again at a hold's time: a new payment
 * (the checkout effect), never for a booking something paid for or one that still stands. */
START_TEST(paying_again_for_a_failed_or_expired_booking)
{
    kf_res_facts hold = {.slot_free = 1};
    for (int s = 0; s < KF_RES_STATE_COUNT; s++) {
        kf_res_outcome o = next((kf_res_state)s, KF_RES_PAY_AGAIN, hold);
        if (s == KF_RES_FAILED || s == KF_RES_EXPIRED) {
            ck_assert(o.moved && !o.refused);
            ck_assert_int_eq(o.next, KF_RES_PENDING_PAYMENT);
            ck_assert_str_eq(o.reason, "payment_retried");
            ck_assert_int_eq(o.effects, KF_RES_FX_CHECKOUT);
        }
        else {
            ck_assert(!o.moved);
            ck_assert_str_eq(o.refused, "payment_closed");
        }
    }
    /* a late approval that lost its slot took money (flagged for refund): not charged twice */
    kf_res_facts paid = {.slot_free = 1, .money_taken = 1};
    ck_assert_str_eq(next(KF_RES_FAILED, KF_RES_PAY_AGAIN, paid).refused, "payment_closed");
    /* the hold ran out, or is another service's */
    kf_res_outcome o = next(KF_RES_EXPIRED, KF_RES_PAY_AGAIN, NO_FACTS);
    ck_assert(!o.moved);
    ck_assert_str_eq(o.refused, "hold_expired");
    /* the hold is used up for it; no checkout made: it fails again and frees the slot */
    kf_res_facts again = {.paying_again = 1};
    o = next(KF_RES_HELD, KF_RES_HOLD_USED, again);
    ck_assert_int_eq(o.next, KF_RES_EXPIRED);
    ck_assert_str_eq(o.reason, "used_to_pay_again");
    o = next(KF_RES_PENDING_PAYMENT, KF_RES_CHECKOUT_FAILED, again);
    ck_assert_int_eq(o.next, KF_RES_FAILED);
    ck_assert_str_eq(o.reason, "checkout_failed");
    ck_assert_int_eq(o.effects, KF_RES_FX_CHECKOUT_ABANDONED | KF_RES_FX_SLOT_FREED);
}
END_TEST

START_TEST(cancel_before_and_after_the_cutoff)
{
    kf_res_facts customer_in_time = {.before_cutoff = 1, .money_taken = 1};
    kf_res_outcome o = next(KF_RES_CONFIRMED, KF_RES_CANCEL, customer_in_time);
    ck_assert_int_eq(o.next, KF_RES_CANCELLED);
    ck_assert_str_eq(o.reason, "cancelled_by_customer");
    ck_assert(o.effects & KF_RES_FX_CALLBACK_CANCELLED);
    ck_assert(o.effects & KF_RES_FX_SLOT_FREED);
    ck_assert(o.effects & KF_RES_FX_REFUND_FLAG);
    kf_res_facts customer_late = {.money_taken = 1};
    o = next(KF_RES_PAID, KF_RES_CANCEL, customer_late);
    ck_assert_str_eq(o.refused, "cancel_closed");
    ck_assert_int_eq(o.next, KF_RES_PAID);
    kf_res_facts merchant_late = {.by_merchant = 1, .money_taken = 1};
    o = next(KF_RES_PAID, KF_RES_CANCEL, merchant_late);
    ck_assert_int_eq(o.next, KF_RES_CANCELLED);
    ck_assert_str_eq(o.reason, "cancelled_by_merchant");
    /* only paid or confirmed bookings are cancelled; again is no change (idempotent) */
    kf_res_facts unpaid = {.before_cutoff = 1};
    ck_assert_str_eq(next(KF_RES_PENDING_PAYMENT, KF_RES_CANCEL, unpaid).refused, "cancel_closed");
    ck_assert_str_eq(next(KF_RES_EXPIRED, KF_RES_CANCEL, customer_in_time).refused, "cancel_closed");
    o = next(KF_RES_CANCELLED, KF_RES_CANCEL, customer_in_time);
    ck_assert(!o.moved && !o.refused && o.effects == 0);
    /* a free booking: cancelled, nothing to give back */
    kf_res_facts free_one = {.before_cutoff = 1};
    o = next(KF_RES_CONFIRMED, KF_RES_CANCEL, free_one);
    ck_assert_int_eq(o.next, KF_RES_CANCELLED);
    ck_assert(!(o.effects & KF_RES_FX_REFUND_FLAG));
}
END_TEST

START_TEST(reschedule_limits)
{
    kf_res_facts ok = {.before_cutoff = 1, .reschedules_left = 1, .slot_free = 1};
    kf_res_outcome o = next(KF_RES_CONFIRMED, KF_RES_RESCHEDULE, ok);
    ck_assert_int_eq(o.next, KF_RES_CONFIRMED);
    ck_assert(o.moved);
    ck_assert_str_eq(o.reason, "rescheduled");
    ck_assert(o.effects & KF_RES_FX_CALLBACK_RESCHEDULED);
    kf_res_facts used_up = {.before_cutoff = 1, .reschedules_left = 0, .slot_free = 1};
    ck_assert_str_eq(next(KF_RES_PAID, KF_RES_RESCHEDULE, used_up).refused, "reschedule_closed");
    kf_res_facts late = {.reschedules_left = 1, .slot_free = 1};
    ck_assert_str_eq(next(KF_RES_PAID, KF_RES_RESCHEDULE, late).refused, "reschedule_closed");
    kf_res_facts taken = {.before_cutoff = 1, .reschedules_left = 1};
    ck_assert_str_eq(next(KF_RES_PAID, KF_RES_RESCHEDULE, taken).refused, "hold_expired");
    kf_res_facts merchant = {.by_merchant = 1, .slot_free = 1};
    ck_assert(next(KF_RES_PAID, KF_RES_RESCHEDULE, merchant).moved);
    /* the merchant names a start, no hold: a taken one is the hold endpoint's refusal */
    kf_res_facts merchant_taken = {.by_merchant = 1};
    ck_assert_str_eq(next(KF_RES_CONFIRMED, KF_RES_RESCHEDULE, merchant_taken).refused, "slot_unavailable");
    ck_assert_str_eq(next(KF_RES_CANCELLED, KF_RES_RESCHEDULE, merchant).refused, "reschedule_closed");
    ck_assert_str_eq(next(KF_RES_PENDING_PAYMENT, KF_RES_RESCHEDULE, ok).refused, "reschedule_closed");
}
END_TEST

START_TEST(what_the_manage_page_offers)
{
    ck_assert(kf_res_customer_may(KF_RES_PAID, KF_RES_CANCEL, 1, 0));
    ck_assert(kf_res_customer_may(KF_RES_CONFIRMED, KF_RES_RESCHEDULE, 1, 1));
    ck_assert(!kf_res_customer_may(KF_RES_PAID, KF_RES_RESCHEDULE, 1, 0));   /* limit reached */
    ck_assert(!kf_res_customer_may(KF_RES_PAID, KF_RES_RESCHEDULE, 0, 2));   /* past the cutoff */
    ck_assert(!kf_res_customer_may(KF_RES_PAID, KF_RES_CANCEL, 0, 2));
    ck_assert(!kf_res_customer_may(KF_RES_CANCELLED, KF_RES_CANCEL, 1, 2));  /* nothing to do */
    ck_assert(!kf_res_customer_may(KF_RES_PENDING_PAYMENT, KF_RES_RESCHEDULE, 1, 2));
    ck_assert(!kf_res_customer_may(KF_RES_PAID, KF_RES_APPROVE, 1, 2));
}
END_TEST

START_TEST(a_manage_token_opens_only_its_booking)
{
    apr_pool_t *p = NULL;
    apr_pool_create(&p, NULL);
    kf_keyring *keys = kf_keyring_make(p);
    unsigned char key[KF_KEY_LEN];
    memset(key, 0x5a, sizeof key);
    const char *token = NULL, *hash = NULL, *sealed = NULL;
    /* no primary key: nothing can be sealed, so no token is handed out */
    ck_assert_int_ne(kf_manage_token_make(p, keys, "booking-1", &token, &hash, &sealed), APR_SUCCESS);
    ck_assert_int_eq(kf_keyring_add(keys, key, 1), APR_SUCCESS);
    ck_assert_int_eq(kf_manage_token_make(p, keys, "booking-1", &token, &hash, &sealed), APR_SUCCESS);
    ck_assert(kf_token_shape_ok(token));
    ck_assert_str_eq(hash, kf_sha256_hex(p, token, strlen(token)));
    char *plain = NULL;
    apr_size_t len = 0;
    ck_assert_int_eq(kf_open(p, keys, sealed, kf_manage_token_aad(p, "booking-1"), &plain, &len),
                     APR_SUCCESS);
    ck_assert_str_eq(apr_pstrndup(p, plain, len), token);
    /* sealed for one booking, it does not open as another's */
    ck_assert_int_ne(kf_open(p, keys, sealed, kf_manage_token_aad(p, "booking-2"), &plain, &len),
                     APR_SUCCESS);
    const char *again = NULL;
    ck_assert_int_eq(kf_manage_token_make(p, keys, "booking-1", &again, &hash, &sealed), APR_SUCCESS);
    ck_assert_str_ne(again, token);
    apr_pool_destroy(p);
}
END_TEST

START_TEST(refunds_and_acknowledgements)
{
    /* money of a booking that does not stand goes back: recorded on its payment only */
    kf_res_outcome o = next(KF_RES_CANCELLED, KF_RES_REFUND, NO_FACTS);
    ck_assert(!o.moved && o.next == KF_RES_CANCELLED && o.effects == 0);
    o = next(KF_RES_FAILED, KF_RES_REFUND, NO_FACTS);      /* the refund of a lost slot */
    ck_assert(!o.moved && o.effects == 0);
    /* a part given back at the provider: recorded, the booking stands */
    o = next(KF_RES_CONFIRMED, KF_RES_REFUND, NO_FACTS);
    ck_assert_int_eq(o.next, KF_RES_CONFIRMED);
    ck_assert(!o.moved);
    ck_assert(!(o.effects & KF_RES_FX_CALLBACK_CANCELLED));
    kf_res_facts whole = {0};
    whole.refund_whole = 1;
    o = next(KF_RES_CONFIRMED, KF_RES_REFUND, whole);
    ck_assert_int_eq(o.next, KF_RES_CANCELLED);
    ck_assert_str_eq(o.reason, "refunded");
    ck_assert(o.effects & KF_RES_FX_CALLBACK_CANCELLED);
    ck_assert(o.effects & KF_RES_FX_MAIL_CANCELLED);
    ck_assert(o.effects & KF_RES_FX_CALENDAR_EVENT);
    ck_assert(o.effects & KF_RES_FX_SLOT_FREED);
    o = next(KF_RES_PAID, KF_RES_REFUND, whole);
    ck_assert_int_eq(o.next, KF_RES_CANCELLED);
    o = next(KF_RES_CANCELLED, KF_RES_REFUND, whole);    /* a repeat: nothing more */
    ck_assert(!o.moved);
    o = next(KF_RES_PAID, KF_RES_CALLBACK_ACKED, NO_FACTS);
    ck_assert_int_eq(o.next, KF_RES_CONFIRMED);
    ck_assert_str_eq(o.reason, "callback_acknowledged");
    /* history keeps the acknowledgement; the booking shows no reason for being confirmed */
    ck_assert_ptr_null(kf_res_status_reason(&o));
    ck_assert(!next(KF_RES_CANCELLED, KF_RES_CALLBACK_ACKED, NO_FACTS).moved);
    o = next(KF_RES_HELD, KF_RES_RELEASE, NO_FACTS);
    ck_assert_int_eq(o.next, KF_RES_CANCELLED);
    ck_assert_str_eq(o.reason, "hold_released");
    ck_assert_str_eq(kf_res_status_reason(&o), "hold_released");
    /* a reschedule moves the slot: the booking keeps its state and its reason */
    kf_res_facts free_slot = {0};
    free_slot.by_merchant = 1;
    free_slot.slot_free = 1;
    o = next(KF_RES_PAID, KF_RES_RESCHEDULE, free_slot);
    ck_assert(o.moved && o.next == KF_RES_PAID);
    ck_assert_ptr_null(kf_res_status_reason(&o));
    ck_assert(o.effects & KF_RES_FX_SLOT_FREED);
    ck_assert_str_eq(next(KF_RES_PAID, KF_RES_RELEASE, NO_FACTS).refused, "not_found");
    o = next(KF_RES_HELD, KF_RES_HOLD_USED, NO_FACTS);
    ck_assert_int_eq(o.next, KF_RES_EXPIRED);
    ck_assert_str_eq(o.reason, "used_to_reschedule");
    ck_assert(!(o.effects & KF_RES_FX_SLOT_FREED));
    ck_assert_str_eq(next(KF_RES_EXPIRED, KF_RES_HOLD_USED, NO_FACTS).refused, "hold_expired");
    ck_assert_str_eq(kf_reservation_next(KF_RES_STATE_COUNT, KF_RES_BOOK, NULL).refused,
                     "unknown_state");
    ck_assert_str_eq(kf_reservation_next(KF_RES_PAID, KF_RES_EVENT_COUNT, NULL).refused,
                     "unknown_event");
}
END_TEST

/* The merchant's 2xx confirms the bookings whose booking.paid it acknowledged, and no other
 * event's. */
START_TEST(an_acknowledged_payment_names_its_bookings)
{
    const char *ids[] = {"b1", "b2", "b3", "b4"};
    const char *events[] = {"booking.paid", "booking.cancelled", "booking.paid",
                            "booking.rescheduled"};
    ck_assert_str_eq(kf_res_acknowledged_paid(pool, ids, events, 4), "b1,b3");
    ck_assert_ptr_null(kf_res_acknowledged_paid(pool, ids + 1, events + 1, 1));
    ck_assert_ptr_null(kf_res_acknowledged_paid(pool, NULL, NULL, 0));
}
END_TEST

START_TEST(every_pair_has_an_answer)
{
    /* no (state, event) pair is left undecided: it moves, stays, flags or refuses */
    for (int s = 0; s < KF_RES_STATE_COUNT; s++) {
        for (int e = 0; e < KF_RES_EVENT_COUNT; e++) {
            kf_res_facts f = NO_FACTS;
            kf_res_outcome o = kf_reservation_next((kf_res_state)s, (kf_res_event)e, &f);
            ck_assert(o.next >= 0 && o.next < KF_RES_STATE_COUNT);
            ck_assert(!o.refused || !o.moved);
            ck_assert(!o.moved || o.reason);
            ck_assert(!(o.effects & KF_RES_FX_REFUND_FLAG) || o.flag_reason);
        }
    }
}
END_TEST

START_TEST(what_a_cancellation_gives_back)
{
    apr_int64_t amount = -1;
    ck_assert_int_eq(kf_refund_on_cancel("full", 12000000, 0, &amount), 0);
    ck_assert_int_eq(amount, 12000000);
    ck_assert_int_eq(kf_refund_on_cancel("none", 12000000, 0, &amount), 0);
    ck_assert_int_eq(amount, 0);
    ck_assert_int_eq(kf_refund_on_cancel("amount", 12000000, 5000000, &amount), 0);
    ck_assert_int_eq(amount, 5000000);
    ck_assert_int_eq(kf_refund_on_cancel("amount", 12000000, 12000001, &amount), -1);
    ck_assert_int_eq(kf_refund_on_cancel("amount", 12000000, 0, &amount), -1);
    ck_assert_int_eq(kf_refund_on_cancel("partial", 12000000, 0, &amount), -1);
    ck_assert_int_eq(kf_refund_on_cancel(NULL, 12000000, 0, &amount), -1);
    /* a free booking gives nothing back, whatever the choice */
    ck_assert_int_eq(kf_refund_on_cancel("full", 0, 0, &amount), 0);
    ck_assert_int_eq(amount, 0);
}
END_TEST

START_TEST(a_cancellation_of_a_booking_paid_twice_gives_back_the_extra_too)
{
    apr_int64_t amount = -1;
    /* price 120 000 paid twice: the policy's share of the price plus the whole extra */
    ck_assert_int_eq(kf_refund_on_cancel_taken("full", 12000000, 0, 24000000, 0, &amount), 0);
    ck_assert_int_eq(amount, 24000000);
    ck_assert_int_eq(kf_refund_on_cancel_taken("amount", 12000000, 5000000, 24000000, 0, &amount), 0);
    ck_assert_int_eq(amount, 17000000);
    /* nothing goes back: the extra stays flagged for its own refund */
    ck_assert_int_eq(kf_refund_on_cancel_taken("none", 12000000, 0, 24000000, 0, &amount), 0);
    ck_assert_int_eq(amount, 0);
    /* the extra given back already: only what is left */
    ck_assert_int_eq(kf_refund_on_cancel_taken("full", 12000000, 0, 24000000, 12000000, &amount), 0);
    ck_assert_int_eq(amount, 12000000);
    /* paid once: as kf_refund_on_cancel */
    ck_assert_int_eq(kf_refund_on_cancel_taken("full", 12000000, 0, 12000000, 0, &amount), 0);
    ck_assert_int_eq(amount, 12000000);
    ck_assert_int_eq(kf_refund_on_cancel_taken("amount", 12000000, 12000001, 24000000, 0, &amount), -1);
    ck_assert_int_eq(kf_refund_on_cancel_taken("full", 0, 0, 0, 0, &amount), 0);
    ck_assert_int_eq(amount, 0);
}
END_TEST

/* What a reader is shown: the expire transition once the deadline passed, nothing else. */
START_TEST(seen_state_applies_the_expiry_rule)
{
    ck_assert_int_eq(kf_res_state_seen(KF_RES_PENDING_PAYMENT, 1), KF_RES_EXPIRED);
    ck_assert_int_eq(kf_res_state_seen(KF_RES_HELD, 1), KF_RES_EXPIRED);
    ck_assert_int_eq(kf_res_state_seen(KF_RES_PENDING_PAYMENT, 0), KF_RES_PENDING_PAYMENT);
    ck_assert_int_eq(kf_res_state_seen(KF_RES_HELD, 0), KF_RES_HELD);
    /* a state without a deadline never runs out, whatever expires_at says */
    const kf_res_state lasting[] = {KF_RES_PAID, KF_RES_CONFIRMED, KF_RES_FAILED,
                                    KF_RES_EXPIRED, KF_RES_CANCELLED};
    for (size_t i = 0; i < sizeof(lasting) / sizeof(lasting[0]); i++) {
        ck_assert_int_eq(kf_res_state_seen(lasting[i], 1), lasting[i]);
        ck_assert_int_eq(kf_res_state_seen(lasting[i], 0), lasting[i]);
        ck_assert(!kf_res_state_has_deadline(lasting[i]));
    }
    ck_assert(kf_res_state_has_deadline(KF_RES_HELD));
    ck_assert(kf_res_state_has_deadline(KF_RES_PENDING_PAYMENT));
}
END_TEST

/* What the database's expiry applies (kf_expire_due's p_moves) is the expire transition
 * itself: every state it moves, where to and with which reasons, and no other state. */
START_TEST(expiry_moves_are_the_expire_transition)
{
    apr_pool_t *p = NULL;
    apr_pool_create(&p, NULL);
    ck_assert_str_eq(kf_res_expiry_moves(p),
                     "{\"held\":[\"expired\",\"hold_expired\",\"hold_expired\"],"
                     "\"pending_payment\":[\"expired\",\"payment_window_passed\","
                     "\"payment_window_passed\"]}");
    for (int s = 0; s < KF_RES_STATE_COUNT; s++) {
        kf_res_outcome o = kf_reservation_next((kf_res_state)s, KF_RES_EXPIRE, NULL);
        const char *entry = apr_psprintf(p, "\"%s\":[\"%s\",\"%s\",", kf_res_state_name(s),
                                         kf_res_state_name(o.next), o.reason ? o.reason : "");
        ck_assert_int_eq(strstr(kf_res_expiry_moves(p), entry) != NULL, o.moved);
        ck_assert_int_eq(kf_res_state_has_deadline((kf_res_state)s), o.moved);
    }
    apr_pool_destroy(p);
}
END_TEST

START_TEST(after_the_appointment_completed_or_no_show)
{
    kf_res_facts ended = {0}, running = {0}, job = {0};
    ended.ended = 1;
    job.ended = 1;
    job.automatic = 1;
    /* only a paid or confirmed booking, only once it ended */
    for (int s = 0; s < KF_RES_STATE_COUNT; s++) {
        int markable = s == KF_RES_PAID || s == KF_RES_CONFIRMED;
        for (int e = KF_RES_COMPLETE; e <= KF_RES_MARK_NO_SHOW; e++) {
            kf_res_outcome o = kf_reservation_next((kf_res_state)s, (kf_res_event)e, &ended);
            if (!markable) {
                ck_assert_str_eq(o.refused, "invalid_transition");
                ck_assert_int_eq(o.next, s);
            }
            o = kf_reservation_next((kf_res_state)s, (kf_res_event)e, &running);
            ck_assert_str_eq(o.refused, "invalid_transition");
            ck_assert(!o.moved);
        }
    }
    kf_res_outcome o = kf_reservation_next(KF_RES_CONFIRMED, KF_RES_COMPLETE, &ended);
    ck_assert_int_eq(o.next, KF_RES_COMPLETED);
    ck_assert_str_eq(o.reason, "completed");
    ck_assert_uint_eq(o.effects, KF_RES_FX_CALLBACK_COMPLETED);
    o = kf_reservation_next(KF_RES_PAID, KF_RES_COMPLETE, &job);
    ck_assert_int_eq(o.next, KF_RES_COMPLETED);
    ck_assert_str_eq(o.reason, "completed_automatically");
    o = kf_reservation_next(KF_RES_PAID, KF_RES_MARK_NO_SHOW, &ended);
    ck_assert_int_eq(o.next, KF_RES_NO_SHOW);
    ck_assert_str_eq(o.reason, "no_show");
    ck_assert_uint_eq(o.effects, KF_RES_FX_CALLBACK_NO_SHOW);

    /* the money stays: neither cancels, refunds, reschedules nor reads as awaiting money */
    for (kf_res_state s = KF_RES_COMPLETED; s <= KF_RES_NO_SHOW; s++) {
        kf_res_facts f = {0};
        f.by_merchant = 1;
        f.slot_free = 1;
        f.refund_whole = 1;
        ck_assert(kf_res_state_paid(s));
        ck_assert(!kf_res_state_active(s));
        ck_assert(!kf_res_state_awaits_approval(s));
        ck_assert_str_eq(kf_res_return_outcome(s), "ok");
        ck_assert_str_eq(kf_reservation_next(s, KF_RES_CANCEL, &f).refused, "cancel_closed");
        ck_assert_str_eq(kf_reservation_next(s, KF_RES_RESCHEDULE, &f).refused,
                         "reschedule_closed");
        ck_assert(!kf_reservation_next(s, KF_RES_REFUND, &f).moved);
        ck_assert(!kf_reservation_next(s, KF_RES_CALLBACK_ACKED, &f).moved);
        /* an approval arriving now is money twice: flagged, never dropped */
        ck_assert_str_eq(kf_reservation_next(s, KF_RES_APPROVE, NULL).flag_reason,
                         "second_approval");
    }
    ck_assert_str_eq(kf_res_state_name(KF_RES_NO_SHOW), "no_show");
    ck_assert_int_eq(kf_res_state_parse("completed"), KF_RES_COMPLETED);
}
END_TEST

/* A mark (the merchant's or the job's) is changed or taken back within a day of the moment
 * it was made, "now" given: after that it is final. */
START_TEST(a_mark_changes_or_goes_back_within_a_day)
{
    const apr_int64_t marked = 1790000000;
    kf_res_facts inside = {0};
    inside.ended = 1;
    inside.marked_at = marked;
    inside.now = marked + KF_RES_MARK_OPEN_SECONDS - 1;
    inside.marked_from = KF_RES_CONFIRMED;
    inside.slot_free = 1;
    kf_res_facts outside = inside;
    outside.now = marked + KF_RES_MARK_OPEN_SECONDS;
    ck_assert_int_eq(KF_RES_MARK_OPEN_SECONDS, 24 * 60 * 60);
    ck_assert(kf_res_mark_open(marked, marked));
    ck_assert(kf_res_mark_open(marked, inside.now));
    ck_assert(!kf_res_mark_open(marked, outside.now));
    ck_assert(!kf_res_mark_open(0, marked));   /* unknown: final */

    /* the other mark within the day: the new state and its callback */
    kf_res_outcome o = next(KF_RES_COMPLETED, KF_RES_MARK_NO_SHOW, inside);
    ck_assert(o.moved && !o.refused);
    ck_assert_int_eq(o.next, KF_RES_NO_SHOW);
    ck_assert_str_eq(o.reason, "no_show");
    ck_assert_uint_eq(o.effects, KF_RES_FX_CALLBACK_NO_SHOW);
    o = next(KF_RES_NO_SHOW, KF_RES_COMPLETE, inside);
    ck_assert_int_eq(o.next, KF_RES_COMPLETED);
    ck_assert_str_eq(o.reason, "completed");
    ck_assert_uint_eq(o.effects, KF_RES_FX_CALLBACK_COMPLETED);
    /* the same mark again, the job, a day later, a mark of unknown time: refused */
    kf_res_facts job = inside, unknown = inside;
    job.automatic = 1;
    unknown.marked_at = 0;
    ck_assert_str_eq(next(KF_RES_COMPLETED, KF_RES_COMPLETE, inside).refused, "invalid_transition");
    ck_assert_str_eq(next(KF_RES_NO_SHOW, KF_RES_MARK_NO_SHOW, inside).refused, "invalid_transition");
    ck_assert_str_eq(next(KF_RES_NO_SHOW, KF_RES_COMPLETE, job).refused, "invalid_transition");
    for (kf_res_state s = KF_RES_COMPLETED; s <= KF_RES_NO_SHOW; s++) {
        for (int e = KF_RES_COMPLETE; e <= KF_RES_MARK_NO_SHOW; e++) {
            o = next(s, (kf_res_event)e, outside);
            ck_assert_str_eq(o.refused, "invalid_transition");
            ck_assert(!o.moved && o.next == s);
            ck_assert_str_eq(next(s, (kf_res_event)e, unknown).refused, "invalid_transition");
        }
    }

    /* taken back within the day: the state before the mark, history but no callback */
    o = next(KF_RES_NO_SHOW, KF_RES_UNMARK, inside);
    ck_assert(o.moved && !o.refused);
    ck_assert_int_eq(o.next, KF_RES_CONFIRMED);
    ck_assert_str_eq(o.reason, "mark_undone");
    ck_assert_uint_eq(o.effects, KF_RES_FX_SLOT_TAKEN);
    kf_res_facts was_paid = inside;
    was_paid.marked_from = KF_RES_PAID;
    o = next(KF_RES_COMPLETED, KF_RES_UNMARK, was_paid);
    ck_assert_int_eq(o.next, KF_RES_PAID);
    ck_assert_str_eq(kf_res_status_reason(&o), "mark_undone");
    /* a day later, of unknown time or origin, or not marked: refused */
    ck_assert_str_eq(next(KF_RES_COMPLETED, KF_RES_UNMARK, outside).refused, "invalid_transition");
    ck_assert_str_eq(next(KF_RES_COMPLETED, KF_RES_UNMARK, unknown).refused, "invalid_transition");
    kf_res_facts nowhere = inside;
    nowhere.marked_from = KF_RES_CANCELLED;
    ck_assert_str_eq(next(KF_RES_NO_SHOW, KF_RES_UNMARK, nowhere).refused, "invalid_transition");
    for (int s = 0; s < KF_RES_STATE_COUNT; s++) {
        if (s != KF_RES_COMPLETED && s != KF_RES_NO_SHOW) {
            o = next((kf_res_state)s, KF_RES_UNMARK, inside);
            ck_assert_str_eq(o.refused, "invalid_transition");
            ck_assert(!o.moved);
        }
    }
    /* its time booked by another since the mark (a buffer after the end): it cannot hold it */
    kf_res_facts taken = inside;
    taken.slot_free = 0;
    o = next(KF_RES_COMPLETED, KF_RES_UNMARK, taken);
    ck_assert_str_eq(o.refused, "slot_unavailable");
    ck_assert_int_eq(o.next, KF_RES_COMPLETED);
}
END_TEST

START_TEST(paid_return_and_approval_questions)
{
    ck_assert(kf_res_state_paid(KF_RES_PAID));
    ck_assert(kf_res_state_paid(KF_RES_CONFIRMED));
    ck_assert(!kf_res_state_paid(KF_RES_PENDING_PAYMENT));
    ck_assert(!kf_res_state_paid(KF_RES_CANCELLED));

    ck_assert_str_eq(kf_res_return_outcome(KF_RES_PAID), "ok");
    ck_assert_str_eq(kf_res_return_outcome(KF_RES_CONFIRMED), "ok");
    ck_assert_str_eq(kf_res_return_outcome(KF_RES_FAILED), "failed");
    ck_assert_str_eq(kf_res_return_outcome(KF_RES_EXPIRED), "failed");
    ck_assert_ptr_null(kf_res_return_outcome(KF_RES_PENDING_PAYMENT));
    ck_assert_ptr_null(kf_res_return_outcome(KF_RES_HELD));
    ck_assert_ptr_null(kf_res_return_outcome(KF_RES_CANCELLED));

    /* late approvals of failed and expired bookings are still decided by the provider */
    ck_assert(kf_res_state_awaits_approval(KF_RES_PENDING_PAYMENT));
    ck_assert(kf_res_state_awaits_approval(KF_RES_FAILED));
    ck_assert(kf_res_state_awaits_approval(KF_RES_EXPIRED));
    ck_assert(!kf_res_state_awaits_approval(KF_RES_PAID));
    ck_assert(!kf_res_state_awaits_approval(KF_RES_CONFIRMED));
    ck_assert(!kf_res_state_awaits_approval(KF_RES_CANCELLED));
    ck_assert(!kf_res_state_awaits_approval((kf_res_state)-1));
}
END_TEST

START_TEST(hold_limit_per_address)
{
    ck_assert(!kf_hold_limit_reached(0, 3));
    ck_assert(!kf_hold_limit_reached(2, 3));
    ck_assert(kf_hold_limit_reached(3, 3));
    ck_assert(kf_hold_limit_reached(4, 3));
    ck_assert_int_eq(kf_hold_retry_after(120), 120);
    ck_assert_int_eq(kf_hold_retry_after(0), 1);
    ck_assert_int_eq(kf_hold_retry_after(-5), 1);
}
END_TEST

START_TEST(what_a_payment_event_records_of_its_booking)
{
    kf_res_facts free_slot = {0};
    free_slot.slot_free = 1;
    kf_res_facts taken_slot = {0};
    kf_res_facts why = {0};
    why.reason = "payment_declined";
    kf_res_outcome o = kf_reservation_next(KF_RES_PENDING_PAYMENT, KF_RES_APPROVE, &taken_slot);
    ck_assert_str_eq(kf_res_payment_result(&o, KF_RES_PENDING_PAYMENT), KF_PAYMENT_RESULT_PAID);
    o = kf_reservation_next(KF_RES_PENDING_PAYMENT, KF_RES_DECLINE, &why);
    ck_assert_str_eq(kf_res_payment_result(&o, KF_RES_PENDING_PAYMENT), KF_PAYMENT_RESULT_FAILED);
    /* a late approval: the slot taken again while free, lost when another booking has it */
    o = kf_reservation_next(KF_RES_EXPIRED, KF_RES_APPROVE, &free_slot);
    ck_assert_str_eq(kf_res_payment_result(&o, KF_RES_EXPIRED), KF_PAYMENT_RESULT_REPAID);
    o = kf_reservation_next(KF_RES_EXPIRED, KF_RES_APPROVE, &taken_slot);
    ck_assert_str_eq(kf_res_payment_result(&o, KF_RES_EXPIRED), KF_PAYMENT_RESULT_SLOT_LOST);
    /* a second approval of a paid booking moves nothing */
    o = kf_reservation_next(KF_RES_PAID, KF_RES_APPROVE, &taken_slot);
    ck_assert_str_eq(kf_res_payment_result(&o, KF_RES_PAID), KF_PAYMENT_RESULT_UNCHANGED);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reservation");
    TCase *tc = tcase_create("state machine");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, names_round_trip);
    tcase_add_test(tc, booking_a_hold);
    tcase_add_test(tc, a_manage_token_opens_only_its_booking);
    tcase_add_test(tc, calendar_event_follows_paid_moved_cancelled);
    tcase_add_test(tc, approval_pays_a_waiting_booking);
    tcase_add_test(tc, late_approval_slot_free_or_taken);
    tcase_add_test(tc, approvals_never_dropped);
    tcase_add_test(tc, decline_pending_expire);
    tcase_add_test(tc, checkout_failure_gives_the_hold_back);
    tcase_add_test(tc, paying_again_for_a_failed_or_expired_booking);
    tcase_add_test(tc, cancel_before_and_after_the_cutoff);
    tcase_add_test(tc, reschedule_limits);
    tcase_add_test(tc, what_the_manage_page_offers);
    tcase_add_test(tc, refunds_and_acknowledgements);
    tcase_add_test(tc, an_acknowledged_payment_names_its_bookings);
    tcase_add_test(tc, a_cancellation_of_a_booking_paid_twice_gives_back_the_extra_too);
    tcase_add_test(tc, every_pair_has_an_answer);
    tcase_add_test(tc, what_a_cancellation_gives_back);
    tcase_add_test(tc, seen_state_applies_the_expiry_rule);
    tcase_add_test(tc, paid_return_and_approval_questions);
    tcase_add_test(tc, hold_limit_per_address);
    tcase_add_test(tc, expiry_moves_are_the_expire_transition);
    tcase_add_test(tc, after_the_appointment_completed_or_no_show);
    tcase_add_test(tc, a_mark_changes_or_goes_back_within_a_day);
    tcase_add_test(tc, what_a_payment_event_records_of_its_booking);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
