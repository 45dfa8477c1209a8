#ifndef KF_SEAT_SLOTS_H
#define KF_SEAT_SLOTS_H
/* What availability shows of a group class (kf_seats.h): which starts still have a place,
 * and how many. Pure: no clock, no database. */
#include <apr.h>

#include "kf_slots.h"
#include "kf_seats.h"

/* An active reservation of a seat of the service asked for. */
typedef struct kf_seat_taken {
    int prof;
    apr_int64_t start;                    /* the class's start (the booking's, not its buffers) */
    apr_int64_t block_start, block_end;   /* the range it blocks */
} kf_seat_taken;

/* The slots of a seated service (sp->capacity > 1) that still have a place, in their
 * order: a slot's seats are the reservations of its professional at its start (its class),
 * `seats_left` what kf_seats_left leaves of the capacity, and it stays only while that is
 * above 0; a seat of a class at another start whose range meets the slot's blocked range
 * keeps it out (the professional teaches then). A service without seats: every slot,
 * seats_left 0. Returns the new count (slots moved down in place). */
int kf_seats_keep_free(const kf_slot_params *sp, const kf_seat_taken *seats, int nseats,
                       kf_slot *slots, int n);

#endif
