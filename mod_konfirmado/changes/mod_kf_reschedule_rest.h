#ifndef MOD_KF_RESCHEDULE_REST_H
#define MOD_KF_RESCHEDULE_REST_H
/* Scope "rest" of a reschedule (API.md "Series, seats and teams"): the later occurrences of
 * a series moved with the one asked, in the caller's transaction: decided, then placed at
 * the series' rhythm from its new start, all or none. */
#include "mod_kf_request.h"
#include "kf_change.h"
#include "kf_reschedule.h"

/* A later occurrence of a series moved with the one asked. */
typedef struct kfm_later_move {
    const char **v;                 /* its facts, locked (KF_RESCHED_COL_*) */
    kf_res_outcome o;               /* what the state machine decided of its move */
    apr_int64_t start;              /* where it goes */
    const char *now_at[KF_RESCHED_MOVED_COL_COUNT];   /* where it is once moved */
} kfm_later_move;

/* The later occurrences still active of the series of booking v (KF_RESCHED_COL_*), each
 * locked and decided under the same rules as the one asked (its slot placed below). How many
 * (*out), -1 after a failure; *refused: the first refusal, which refuses the whole move (the
 * rest moves together or not at all). None for a booking that is no series. */
int kfm_reschedule_rest_decide(kfm_req *kr, const char *const *v, int by_merchant,
                               kfm_later_move **out, const char **refused);

/* Once the one asked (v) moved to `moved` (KF_RESCHED_MOVED_COL_*): the later ones at their
 * new starts, at the series' rhythm in the professional's zone, all free or none moved:
 * APR_SUCCESS with *taken NULL (each moved, its now_at filled), or *taken the first another
 * booking holds (RFC 3339; none of them moved), or a failure. */
apr_status_t kfm_reschedule_rest_place(kfm_req *kr, const char *const *v,
                                       const char *const *moved, kfm_later_move *later, int n,
                                       const char **taken);

#endif
