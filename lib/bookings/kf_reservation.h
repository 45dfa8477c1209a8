#ifndef KF_RESERVATION_H
#define KF_RESERVATION_H
#include <apr.h>
#include <apr_pools.h>

#include "kf_crypto.h"
/* The booking's state machine (DESIGN.md "Data and concurrency"): its states and events as
 * data, and ONE pure function that, given the current state, an event and the facts the glue
 * read in the same transaction, says the next state, the history reason and the effects to
 * queue. The glue runs it and executes the statements; no status decision lives elsewhere.
 *
 *   held --book(paid service)--> pending_payment --approve--> paid --callback_acked--> confirmed
 *   held --book(free)--> paid                      --decline--> failed (slot freed)
 *   held|pending_payment --expire--> expired       expired|failed --approve, slot free--> paid
 *                                                  expired|failed --approve, slot taken--> failed
 *                                                                   (slot_lost, refund flag)
 *   paid|confirmed --cancel--> cancelled (refund flag when money was taken; customers only
 *                                         before the cutoff; again on cancelled: no change)
 *   paid|confirmed --reschedule--> same state (new slot; limited, before the cutoff)
 *   cancelled --refund--> cancelled (recorded on the payment; the booking stays)
 *   paid|confirmed --refund(whole)--> cancelled (refunded at the provider; a part: no move)
 *   held --release--> cancelled        held --hold_used--> expired (its slot moved to a booking)
 *   failed|expired --pay_again, a live hold of its service, no money taken--> pending_payment
 *                    (the booking takes the hold's slot; a new payment; no checkout made:
 *                     checkout_failed takes it back to failed)
 *   paid|confirmed --complete, ended--> completed (the merchant, or automatically after the
 *                                                  tenant's auto_complete_hours)
 *   paid|confirmed --no_show, ended--> no_show    (the merchant); both keep the money
 *   completed <--no_show / complete--> no_show    (the merchant changes the mark, within
 *                                                  KF_RES_MARK_OPEN_SECONDS of the mark)
 *   completed|no_show --unmark--> the state before the mark (the merchant, within the same
 *                                  time, when its slot is still free: it holds it again; no
 *                                  callback)
 *
 * Pure: no I/O, no clock; the facts carry what the glue knows. */

typedef enum {
    KF_RES_HELD = 0,
    KF_RES_PENDING_PAYMENT,
    KF_RES_PAID,
    KF_RES_CONFIRMED,
    KF_RES_FAILED,
    KF_RES_EXPIRED,
    KF_RES_CANCELLED,
    KF_RES_COMPLETED,       /* the appointment took place */
    KF_RES_NO_SHOW,         /* the customer did not come */
    KF_RES_STATE_COUNT
} kf_res_state;

typedef enum {
    KF_RES_BOOK = 0,        /* the customer's details on a live hold */
    KF_RES_APPROVE,         /* an authentic approval of the asked amount */
    KF_RES_DECLINE,         /* declined, error or voided */
    KF_RES_PENDING,         /* the provider says: still pending */
    KF_RES_EXPIRE,          /* the hold or the payment window ran out */
    KF_RES_CANCEL,          /* by the customer or the merchant */
    KF_RES_RESCHEDULE,      /* to another free slot */
    KF_RES_REFUND,          /* the provider refunded the money */
    KF_RES_CALLBACK_ACKED,  /* the merchant's server answered 2xx to booking.paid */
    KF_RES_RELEASE,         /* the customer lets go of a hold (DELETE /holds/{id}) */
    KF_RES_HOLD_USED,       /* a hold's slot passed to a booking being rescheduled */
    KF_RES_CHECKOUT_FAILED, /* the provider made no checkout for a booking just made */
    KF_RES_COMPLETE,        /* the merchant (or the auto-complete job) says it took place */
    KF_RES_MARK_NO_SHOW,    /* the merchant says the customer did not come */
    KF_RES_PAY_AGAIN,       /* the customer pays once more for a booking whose payment failed
                               or ran out, at the time of a hold they took for it */
    KF_RES_UNMARK,          /* the merchant takes back a mark (completed, no_show) */
    KF_RES_EVENT_COUNT
} kf_res_event;

/* What the glue read, in the transaction that applies the event. Fields an event does not
 * use are ignored. */
typedef struct kf_res_facts {
    const char *reason;      /* DECLINE: "payment_declined" / "payment_error" / "payment_voided";
                                CANCEL: the stored reason when given (else by_merchant decides) */
    int free_service;        /* BOOK: nothing to pay */
    int purchase_session;    /* BOOK: a purchase's session pays for it (packages) */
    int slot_free;           /* APPROVE on expired/failed, RESCHEDULE, PAY_AGAIN, UNMARK:
                                nothing active overlaps (a hold: live, of the booking's service
                                and business) */
    int same_transaction;    /* APPROVE on paid/confirmed: the approval already applied */
    int before_cutoff;       /* CANCEL, RESCHEDULE: the policy's cutoff has not passed */
    int by_merchant;         /* CANCEL, RESCHEDULE: the merchant acts (no cutoff for them) */
    int reschedules_left;    /* RESCHEDULE: how many more the policy allows */
    int money_taken;         /* CANCEL, PAY_AGAIN: an approved payment exists */
    int paying_again;        /* HOLD_USED, CHECKOUT_FAILED: for a booking paid again
                                (PAY_AGAIN), not one being made */
    int refund_whole;        /* REFUND: all the money taken has gone back (a part leaves the
                                booking standing: the refund is recorded on its payment) */
    int ended;               /* COMPLETE, MARK_NO_SHOW: the appointment's end has passed */
    int automatic;           /* COMPLETE: by the job, auto_complete_hours after the end */
    apr_int64_t marked_at;   /* COMPLETE, MARK_NO_SHOW, UNMARK of a marked booking: when its
                                mark was made (seconds since the epoch; a change of the mark
                                keeps it; 0: unknown, the mark is final) */
    apr_int64_t now;         /* the same: the moment of this event, on the same clock */
    kf_res_state marked_from;/* UNMARK: the state the booking had before its mark */
} kf_res_facts;

/* The history reason of a mark taken back (UNMARK): the auto-complete job never completes
 * such a booking again, its merchant marks it. */
#define KF_RES_MARK_UNDONE "mark_undone"

/* A mark (completed, no_show; the merchant's or the job's) may be changed to the other one
 * or taken back this long after it was made; then it is final. */
#define KF_RES_MARK_OPEN_SECONDS (24 * 60 * 60)

/* 1 while a mark made at `marked_at` may still be changed or taken back at `now` (both
 * seconds since the epoch); 0 after KF_RES_MARK_OPEN_SECONDS, or when marked_at is unknown
 * (<= 0). */
int kf_res_mark_open(apr_int64_t marked_at, apr_int64_t now);

/* Effects to queue in the same transaction (bit set). */
enum {
    KF_RES_FX_CALLBACK_PAID = 1 << 0,        /* booking.paid to the merchant */
    KF_RES_FX_CALLBACK_CANCELLED = 1 << 1,   /* booking.cancelled */
    KF_RES_FX_CALLBACK_RESCHEDULED = 1 << 2, /* booking.rescheduled */
    KF_RES_FX_MAIL_CONFIRMATION = 1 << 3,    /* the customer's confirmation (and invite) */
    KF_RES_FX_MAIL_CANCELLED = 1 << 4,
    KF_RES_FX_MAIL_RESCHEDULED = 1 << 5,
    KF_RES_FX_REFUND_FLAG = 1 << 6,          /* money to give back: flag the payment */
    KF_RES_FX_CALLBACK_COMPLETED = 1 << 7,   /* booking.completed */
    KF_RES_FX_FUNNEL_APPROVED = 1 << 8,      /* funnel event payment_approved */
    KF_RES_FX_SLOT_FREED = 1 << 9,           /* availability changes: bump caches */
    KF_RES_FX_SLOT_TAKEN = 1 << 10,
    KF_RES_FX_CALENDAR_EVENT = 1 << 11,      /* the professional's calendar event follows
                                                (created, moved, deleted): whenever the
                                                people are told of the change by mail */
    KF_RES_FX_CALLBACK_NO_SHOW = 1 << 12,    /* booking.no_show */
    KF_RES_FX_SESSION_SPENT = 1 << 13,       /* packages: a session of the purchase pays
                                                for the booking */
    KF_RES_FX_CHECKOUT = 1 << 14,            /* a payment to collect: prepared with the move,
                                                its checkout asked after the commit */
    KF_RES_FX_CHECKOUT_ABANDONED = 1 << 15   /* the provider made no checkout: its payment
                                                can never be paid */
};

typedef struct kf_res_outcome {
    kf_res_state next;       /* the state after the event (== current when nothing moves) */
    int moved;               /* next != current, or the slot changed (reschedule) */
    const char *reason;      /* history / status reason: "payment_approved", "late_approval",
                                "slot_lost", "payment_declined", ... NULL when nothing is recorded */
    unsigned effects;        /* KF_RES_FX_* */
    const char *flag_reason; /* with KF_RES_FX_REFUND_FLAG: why ("slot_lost",
                                "second_approval", "approved_while_cancelled", "cancelled") */
    const char *refused;     /* a command the state or the policy refuses: an error code
                                as API.md answers it: "cancel_closed", "reschedule_closed",
                                "hold_expired", "slot_unavailable", "invalid_transition",
                                "payment_closed");
                                the state does not move */
} kf_res_outcome;

kf_res_outcome kf_reservation_next(kf_res_state current, kf_res_event event,
                                   const kf_res_facts *facts);

/* What the booking shows as the reason for its state after outcome `o` moved it: the
 * outcome's reason, except for a confirmed booking (the merchant's acknowledgement is
 * history, not a reason) and a rescheduled one (the slot moved; the state and its reason
 * stay): NULL, the row keeps or clears its reason as kf_reservation_move says. */
const char *kf_res_status_reason(const kf_res_outcome *o);

/* What payment_events.result records of a payment event's move of its booking from `from`
 * (kf_payment.h's KF_PAYMENT_RESULT_*): a late approval that took its slot again
 * (reserved_again) or lost it to another booking (slot_lost), paid, failed; unchanged when
 * the booking did not move. */
const char *kf_res_payment_result(const kf_res_outcome *o, kf_res_state from);

/* What the customer's manage page may offer now (API.md: "the cancel and reschedule actions
 * the policy still allows"): 1 when the state machine would accept the customer's CANCEL or
 * RESCHEDULE (to a free slot) with these facts. Any other event: 0. */
int kf_res_customer_may(kf_res_state s, kf_res_event e, int before_cutoff, int reschedules_left);

/* What goes back of `paid` (minor units) when a booking is cancelled: `choice` is the
 * tenant's refund_on_cancel for a customer ("full" | "none"), or the merchant's own for
 * an admin cancel ("full" | "none" | "amount" with `requested`). 0 with *amount, or -1 for
 * an unknown choice or an amount outside 1..paid. */
int kf_refund_on_cancel(const char *choice, apr_int64_t paid, apr_int64_t requested,
                        apr_int64_t *amount);

/* The same for a payment whose transactions took `taken` (more than `paid` when the customer
 * paid twice), of which `given` went back already: the choice's share of `paid` plus the
 * whole extra (taken - paid) when anything goes back, never more than is left. 0 with
 * *amount, or -1 as kf_refund_on_cancel. */
int kf_refund_on_cancel_taken(const char *choice, apr_int64_t paid, apr_int64_t requested,
                              apr_int64_t taken, apr_int64_t given, apr_int64_t *amount);

/* The aad of a booking's sealed manage token (reservations.manage_token_sealed): the token
 * of its mails' link, bound to the booking it opens. */
const char *kf_manage_token_aad(apr_pool_t *p, const char *reservation_id);

/* A new token of the booking's own page (its mails' link, /book/manage/{id}?token=): 256
 * random bits, URL-safe; its SHA-256 hex (what reservations.manage_token_hash keeps) and its
 * form sealed under `keys` for this booking (manage_token_sealed, what later mails open).
 * APR_EGENERAL when it cannot be sealed (no primary key). */
apr_status_t kf_manage_token_make(apr_pool_t *p, const kf_keyring *keys,
                                  const char *reservation_id, const char **token,
                                  const char **hash, const char **sealed);

/* "held", "pending_payment", ... as reservations.status holds it; NULL when out of range. */
const char *kf_res_state_name(kf_res_state s);

/* The state named so, or -1. */
int kf_res_state_parse(const char *name);

/* Active states hold their slot (the exclusion constraint's predicate): held,
 * pending_payment, paid, confirmed. */
int kf_res_state_active(kf_res_state s);

/* What a reader is told of a reservation: the stored state, or what the expire transition
 * makes of it when its deadline (the hold, or the payment window) has passed and the
 * expiry job has not recorded that yet. The one expiry rule, so that a read never shows
 * `pending_payment` for a booking the next statement would expire. */
kf_res_state kf_res_state_seen(kf_res_state stored, int deadline_passed);

/* The state runs out at its expires_at (held, pending_payment): those the expire transition
 * moves. Entering it sets a deadline (the hold's time, the payment window); any other state
 * has none. */
int kf_res_state_has_deadline(kf_res_state s);

/* The expire transition as the database applies it to the rows whose deadline passed
 * (sql/functions/kf_expire_due.sql, its p_moves): a JSON object naming each state the
 * transition moves, with the state it moves to, the history reason and the status reason,
 * {"held":["expired","hold_expired","hold_expired"],...}. When a row is due is the database's
 * (kf_reservation_due); what expiring does is this machine's, so SQL never restates it. NULL
 * only when out of memory. */
const char *kf_res_expiry_moves(apr_pool_t *p);

/* The bookings a merchant's 2xx confirms (KF_RES_CALLBACK_ACKED): of the n callbacks it
 * acknowledged (booking_ids[i] and events[i] each), those of "booking.paid", their ids
 * joined by commas; NULL when none was. */
const char *kf_res_acknowledged_paid(apr_pool_t *p, const char *const *booking_ids,
                                     const char *const *events, int n);

/* The customer has the booking, paid for (or free): paid, confirmed, and after the
 * appointment completed or no_show (the money stays; the merchant was owed booking.paid). */
int kf_res_state_paid(kf_res_state s);

/* An approval of the payment could still change the booking (pending_payment, and the
 * late approvals of failed or expired ones): worth asking the provider about. Not when
 * paid, confirmed or cancelled. */
int kf_res_state_awaits_approval(kf_res_state s);

/* How the customer's return to the merchant's site reads: "ok" (paid, confirmed),
 * "failed" (failed, expired), NULL while undecided (held, pending_payment) or cancelled. */
const char *kf_res_return_outcome(kf_res_state s);

/* A client network with `active` live holds may not take another when the limit
 * (KonfirmadoActiveHoldLimit) is reached: one visitor cannot sit on a whole day. */
int kf_hold_limit_reached(int active, int limit);

/* Retry-After of that refusal: the seconds until its first hold runs out, at least 1. */
long kf_hold_retry_after(long first_ends_in);

#endif
