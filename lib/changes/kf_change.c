/* A change asked of a stored booking. See kf_change.h. */
#include "kf_change.h"

kf_res_outcome kf_change_next(const char *status, kf_res_event event, const kf_res_facts *facts)
{
    int state = kf_res_state_parse(status);
    return kf_reservation_next(state < 0 ? KF_RES_HELD : (kf_res_state)state, event, facts);
}
