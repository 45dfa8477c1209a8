#ifndef KF_SEATS_H
#define KF_SEATS_H
/* Seats (API.md "Series, seats and teams"): a service of capacity N > 1 is a group class, N
 * customers at one start with one professional. Each reservation of the class holds one
 * numbered seat; the database keeps them unique within a class and numbered 1..N (sql/082,
 * sql/functions/kf_seat_hold.sql). Here: the bounds of a capacity, whether it makes a class,
 * and the places left as every answer shows them. Pure. */

#define KF_CAPACITY_MIN 1      /* one customer: not a class */
#define KF_CAPACITY_MAX 500

/* Whether a service of this capacity is a group class (its holds take seats). */
int kf_capacity_seated(int capacity);

/* The places left of a class of `capacity` with `taken` active seats, never below 0 (a class
 * filled before its capacity was lowered has none). */
int kf_seats_left(int capacity, int taken);

#endif
