/* Seats of a group class: see kf_seats.h. */
#include "kf_seats.h"

int kf_capacity_seated(int capacity)
{
    return capacity > KF_CAPACITY_MIN;
}

int kf_seats_left(int capacity, int taken)
{
    return capacity > taken ? capacity - taken : 0;
}
