/* A booking's attendance mark. See kf_attendance.h. */
#include "kf_attendance.h"
#include "kf_text.h"

#include <apr_strings.h>

kf_res_outcome kf_attendance_next(const char *const *row, kf_res_event event, int automatic)
{
    int before = kf_res_state_parse(row[KF_MARK_COL_FROM]);
    kf_res_facts facts = {0};
    facts.ended = kf_text_true(row[KF_MARK_COL_ENDED]);
    facts.automatic = automatic;
    facts.now = row[KF_MARK_COL_NOW] ? apr_atoi64(row[KF_MARK_COL_NOW]) : 0;
    facts.marked_at = row[KF_MARK_COL_AT] ? apr_atoi64(row[KF_MARK_COL_AT]) : 0;
    facts.marked_from = before < 0 ? KF_RES_HELD : (kf_res_state)before;
    facts.slot_free = kf_text_true(row[KF_MARK_COL_SLOT_FREE]);
    return kf_change_next(row[KF_MARK_COL_STATUS], event, &facts);
}

json_t *kf_attendance_changes(const char *const *row, kf_res_state next)
{
    return json_pack("{s:s, s:s}", "from", row[KF_MARK_COL_STATUS], "status",
                     kf_res_state_name(next));
}
