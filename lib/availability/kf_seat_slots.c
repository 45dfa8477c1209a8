/* Places left in group classes: see kf_seat_slots.h. */
#include "kf_seat_slots.h"

int kf_seats_keep_free(const kf_slot_params *sp, const kf_seat_taken *seats, int nseats,
                       kf_slot *slots, int n)
{
    if (!kf_capacity_seated(sp->capacity)) {
        for (int i = 0; i < n; i++) {
            slots[i].seats_left = 0;
        }
        return n;
    }
    int m = 0;
    for (int i = 0; i < n; i++) {
        kf_slot s = slots[i];
        apr_int64_t block_start, block_end;
        kf_slot_blocked(sp, s.start, s.end, &block_start, &block_end);
        int taken = 0, clash = 0;
        for (int j = 0; j < nseats && !clash; j++) {
            if (seats[j].prof != s.prof) {
                continue;
            }
            if (seats[j].start == s.start) {
                taken++;
            }
            else {
                clash = seats[j].block_start < block_end && block_start < seats[j].block_end;
            }
        }
        s.seats_left = kf_seats_left(sp->capacity, taken);
        if (!clash && s.seats_left > 0) {
            slots[m++] = s;
        }
    }
    return m;
}
