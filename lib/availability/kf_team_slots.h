#ifndef KF_TEAM_SLOTS_H
#define KF_TEAM_SLOTS_H
/* What availability offers of a collective service (kf_team.h): the intersection of its
 * members' free slots. Pure: no clock, no database. */
#include "kf_slots.h"

/* Keeps, of slots sorted as KF_SLOTS_ALL sorts them (each professional at most once per
 * start), the starts at which all `team_size` members are free: each member's own hours,
 * busy times and bookings judged it free there. One slot per start is kept, that of the
 * member of lowest index (the professional the booking is made with); its load is the
 * busiest member's. A team none of whose starts has every member (fewer members than
 * team_size offer the service) keeps nothing. Returns the new count (moved down in place). */
int kf_team_keep_common(kf_slot *slots, int n, int team_size);

#endif
