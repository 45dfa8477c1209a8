/* The starts every member of a team is free: see kf_team_slots.h. */
#include "kf_team_slots.h"

int kf_team_keep_common(kf_slot *slots, int n, int team_size)
{
    int m = 0;
    for (int i = 0; i < n;) {
        int j = i;
        kf_slot lead = slots[i];
        int load = slots[i].load;
        while (j < n && slots[j].start == slots[i].start) {
            if (slots[j].prof < lead.prof) {
                lead = slots[j];
            }
            if (slots[j].load > load) {
                load = slots[j].load;
            }
            j++;
        }
        if (team_size > 0 && j - i >= team_size) {
            lead.load = load;
            slots[m++] = lead;
        }
        i = j;
    }
    return m;
}
