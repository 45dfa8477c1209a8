#ifndef KF_ATTENDANCE_H
#define KF_ATTENDANCE_H
/* After the appointment (API.md "Admin API"): a booking's attendance mark (completed,
 * no-show), its change to the other one and its undo, by the merchant or the auto-complete
 * job. The decision is the state machine's (kf_reservation_next COMPLETE / MARK_NO_SHOW /
 * UNMARK); this reads its facts from the booking's row. */
#include <jansson.h>

#include "kf_change.h"

/* The columns of a booking as a mark reads it: the booking, whether its end has passed, its
 * start and end (RFC 3339), now and its standing mark's time (seconds since the epoch) and
 * prior state, whether its slot is free of other active reservations (it holds it again
 * when unmarked), and its professional. */
enum {
    KF_MARK_COL_ID, KF_MARK_COL_STATUS, KF_MARK_COL_ENDED, KF_MARK_COL_START, KF_MARK_COL_END,
    KF_MARK_COL_NOW, KF_MARK_COL_AT, KF_MARK_COL_FROM, KF_MARK_COL_SLOT_FREE,
    KF_MARK_COL_PROFESSIONAL, KF_MARK_COL_COUNT
};

/* The machine's outcome of `event` on the booking of `row` (its stored status as
 * kf_change_next takes it); `automatic`: the auto-complete job's. */
kf_res_outcome kf_attendance_next(const char *const *row, kf_res_event event, int automatic);

/* The audit's changes of a mark: {"from": the status the row held, "status": `next`}. */
json_t *kf_attendance_changes(const char *const *row, kf_res_state next);

#endif
