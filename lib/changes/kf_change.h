#ifndef KF_CHANGE_H
#define KF_CHANGE_H
/* A change asked of a booking already stored (cancel, reschedule, an attendance mark): what
 * the state machine says of it, from the status the row holds. */
#include "kf_reservation.h"

/* kf_reservation_next of `event` on a booking whose stored status is `status`. A status the
 * machine does not know is taken as a hold's, which no change to a booking moves: the
 * answer is the refusal of that change, never a move. */
kf_res_outcome kf_change_next(const char *status, kf_res_event event, const kf_res_facts *facts);

#endif
