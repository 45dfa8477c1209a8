#ifndef KF_ASSISTANT_SLOTS_H
#define KF_ASSISTANT_SLOTS_H
/* Which of the slots availability offers answer an intent (API.md "Booking assistant"):
 * at most five, every one of them offered; when none fits, why, and the nearest ones. */
#include "kf_assistant_intent.h"
#include "kf_slots.h"

#define KF_ASSISTANT_MAX_SLOTS 5

typedef enum {
    KF_WHY_FOUND = 0,    /* slots inside the intent */
    KF_WHY_TIME,         /* those days have free times, not at that time of day: the nearest */
    KF_WHY_DAYS,         /* no free time on those days: the nearest days' */
    KF_WHY_PAST,         /* the dates asked for are over: the first free times */
    KF_WHY_NONE,         /* nothing free at all in the period read */
    KF_WHY_PICKED,       /* a follow-up picked one of the times offered before, still free */
    KF_WHY_PICK_GONE,    /* ... no longer free: others instead */
    KF_WHY_PICK_UNKNOWN  /* ... but there was no such time offered */
} kf_assistant_why;

/* A time offered before (a follow-up's context). */
typedef struct kf_assistant_offer {
    apr_int64_t start;
    const char *professional;
} kf_assistant_offer;

typedef struct kf_assistant_choice {
    kf_slot slots[KF_ASSISTANT_MAX_SLOTS];
    int n;
    kf_assistant_why why;
} kf_assistant_choice;

/* Chooses from slots[0..n) (sorted by start, as the engine gives them; professional index
 * -> id in prof_ids) for intent `in`, whose zone's offsets over the period are `changes`;
 * `today` is today in that zone, `before` the times offered before (a follow-up's); scratch
 * from p. */
void kf_assistant_choose(apr_pool_t *p, const kf_intent *in, apr_int64_t today, const kf_slot *slots, int n,
                         const kf_tz_change *changes, int nchanges, const char *const *prof_ids,
                         const kf_assistant_offer *before, int nbefore, kf_assistant_choice *out);

/* Whether a start of local minutes `minutes` of the day, on local date `day`, fits the
 * intent's days and times. Parts of the day are the customer's (the intent's zone) with
 * human bounds: morning 06:00-11:59, afternoon 12:00-18:59, evening 17:00-21:59. */
int kf_assistant_fits_day(const kf_intent *in, apr_int64_t day);
int kf_assistant_fits_time(const kf_intent *in, int minutes);

/* Whether a start at local minutes `minutes` may be offered at all: between 06:00 and 21:59,
 * or at night when the sentence asked for a night hour (a bound of its own at night: "after
 * 22:00", "at 5 am"); nobody asking for "the morning" or "as soon as possible" means 3 AM. */
int kf_assistant_awake(const kf_intent *in, int minutes);

#endif
