/* Unit tests for group classes: lib/seats/kf_seats.c (capacity bounds, places left) and
 * lib/availability/kf_seat_slots.c (which starts a class still offers). Times are seconds;
 * H(h, m) is that wall time on day 0 in UTC. */
#include "kf_check.h"
#include "kf_seats.h"
#include "kf_seat_slots.h"
#include "kf_availability_facts.h"

#define MIN 60
#define H(h, m) ((apr_int64_t)(h) * 3600 + (m) * 60)
#define DAY 86400

START_TEST(capacity_bounds_and_classes)
{
    ck_assert_int_eq(KF_CAPACITY_MIN, 1);
    ck_assert_int_eq(KF_CAPACITY_MAX, 500);
    ck_assert(!kf_capacity_seated(0));
    ck_assert(!kf_capacity_seated(1));
    ck_assert(kf_capacity_seated(2));
    ck_assert(kf_capacity_seated(500));
}
END_TEST

START_TEST(places_left_never_below_zero)
{
    ck_assert_int_eq(kf_seats_left(10, 0), 10);
    ck_assert_int_eq(kf_seats_left(10, 7), 3);
    ck_assert_int_eq(kf_seats_left(10, 10), 0);
    /* filled at 10, then the merchant lowered the capacity to 8 */
    ck_assert_int_eq(kf_seats_left(8, 10), 0);
}
END_TEST

static kf_slot_params params(int duration_min, int capacity)
{
    kf_slot_params sp = {0};
    sp.duration = duration_min * MIN;
    sp.interval = duration_min * MIN;
    sp.capacity = capacity;
    return sp;
}

static kf_slot slot(int prof, apr_int64_t start, int minutes)
{
    kf_slot s = {start, start + minutes * MIN, prof, 0, -1};
    return s;
}

static kf_seat_taken seat(int prof, apr_int64_t start, int minutes)
{
    kf_seat_taken t = {prof, start, start, start + minutes * MIN};
    return t;
}

START_TEST(a_class_stays_offered_with_its_places_left)
{
    kf_slot_params sp = params(60, 3);
    kf_slot s[] = {slot(0, H(9, 0), 60), slot(0, H(10, 0), 60), slot(0, H(11, 0), 60)};
    /* two customers at 09:00, three (full) at 10:00, none at 11:00 */
    kf_seat_taken t[] = {seat(0, H(9, 0), 60), seat(0, H(10, 0), 60), seat(0, H(9, 0), 60),
                         seat(0, H(10, 0), 60), seat(0, H(10, 0), 60)};
    int n = kf_seats_keep_free(&sp, t, 5, s, 3);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(s[0].start, H(9, 0));
    ck_assert_int_eq(s[0].seats_left, 1);
    ck_assert_int_eq(s[1].start, H(11, 0));
    ck_assert_int_eq(s[1].seats_left, 3);
}
END_TEST

START_TEST(a_class_at_another_start_keeps_an_overlapping_slot_out)
{
    /* a 60-minute class on a 30-minute grid: one taken at 09:00 keeps 09:30 out (the
     * professional teaches then) but not 10:00; another professional's seats count for none */
    kf_slot_params sp = params(60, 5);
    sp.interval = 30 * MIN;
    kf_slot s[] = {slot(0, H(9, 0), 60), slot(0, H(9, 30), 60), slot(0, H(10, 0), 60),
                   slot(1, H(9, 30), 60)};
    kf_seat_taken t[] = {seat(0, H(9, 0), 60)};
    int n = kf_seats_keep_free(&sp, t, 1, s, 4);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(s[0].start, H(9, 0));
    ck_assert_int_eq(s[0].seats_left, 4);
    ck_assert_int_eq(s[1].start, H(10, 0));
    ck_assert_int_eq(s[1].seats_left, 5);
    ck_assert_int_eq(s[2].prof, 1);
    ck_assert_int_eq(s[2].seats_left, 5);

    /* the class's buffers count: a seat blocking until 10:15 keeps 10:00 out too */
    t[0].block_end = H(10, 15);
    kf_slot again[] = {slot(0, H(9, 0), 60), slot(0, H(10, 0), 60)};
    n = kf_seats_keep_free(&sp, t, 1, again, 2);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(again[0].start, H(9, 0));
}
END_TEST

START_TEST(a_service_without_seats_keeps_every_slot)
{
    kf_slot_params sp = params(30, 1);
    kf_slot s[] = {slot(0, H(9, 0), 30), slot(0, H(9, 30), 30)};
    kf_seat_taken t[] = {seat(0, H(9, 0), 30)};
    ck_assert_int_eq(kf_seats_keep_free(&sp, t, 1, s, 2), 2);
    ck_assert_int_eq(s[0].seats_left, 0);
    ck_assert_int_eq(s[1].seats_left, 0);
}
END_TEST

/* An availability of two professionals working 09:00-11:00 on day 0, 60-minute classes. */
static kf_availability two_teachers(int capacity)
{
    kf_availability av;
    kf_availability_init(pool, &av);
    av.params = params(60, capacity);
    av.params.from = 0;
    av.params.to = DAY;
    av.params.earliest = 0;
    av.params.latest = DAY;
    av.nprof = 2;
    for (int prof = 0; prof < 2; prof++) {
        kf_window *w = apr_array_push(av.windows);
        w->start = H(9, 0);
        w->end = H(11, 0);
        w->prof = prof;
        w->day = 0;
    }
    return av;
}

START_TEST(any_professional_offers_a_class_with_a_place)
{
    kf_availability av = two_teachers(2);
    /* professional 0's class at 09:00 is full; professional 1's has one place */
    *(kf_seat_taken *)apr_array_push(av.seats) = seat(0, H(9, 0), 60);
    *(kf_seat_taken *)apr_array_push(av.seats) = seat(0, H(9, 0), 60);
    *(kf_seat_taken *)apr_array_push(av.seats) = seat(1, H(9, 0), 60);
    kf_slot *s;
    int n = kf_availability_slots(pool, &av, KF_SLOTS_ONE_PER_START, &s);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(s[0].start, H(9, 0));
    ck_assert_int_eq(s[0].prof, 1);
    ck_assert_int_eq(s[0].seats_left, 1);
    ck_assert_int_eq(s[1].start, H(10, 0));
    ck_assert_int_eq(s[1].seats_left, 2);

    /* every slot of each, for a hold's judgement */
    n = kf_availability_slots(pool, &av, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, 3);

    /* a one-to-one booking (a busy time) keeps professional 1 out at 09:00 */
    kf_busy *b = apr_array_push(av.busy);
    b->prof = 1;
    b->start = H(9, 0);
    b->end = H(9, 30);
    n = kf_availability_slots(pool, &av, KF_SLOTS_ONE_PER_START, &s);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(s[0].start, H(10, 0));
}
END_TEST

START_TEST(seats_of_a_service_without_capacity_are_busy_times)
{
    /* the facts: a seat of this service at 09:00 (kept from when it was a class); the
     * service now takes one customer, so that seat blocks its time like any booking */
    const char *service[KF_FACTS_COLUMNS] = {"S", "svc", "t1", "1", NULL, NULL,
                                             "60", "60", "0", "0", "0", "1"};
    const char *link[KF_FACTS_COLUMNS] = {"L", "lnk", "t1", "UTC", NULL, NULL,
                                          NULL, "0", "0", "0", NULL, NULL};
    const char *prof[KF_FACTS_COLUMNS] = {"P", "p0", "UTC", NULL, NULL, NULL,
                                          NULL, "0", "0", NULL, NULL, "0"};
    char bs[32], be[32];
    apr_snprintf(bs, sizeof bs, "%" APR_INT64_T_FMT, H(9, 0));
    apr_snprintf(be, sizeof be, "%" APR_INT64_T_FMT, H(10, 0));
    const char *res[KF_FACTS_COLUMNS] = {"B", "p0", NULL, NULL, "t", NULL, bs, be, NULL, bs, be,
                                         NULL};
    const char *const *rows[] = {link, service, prof, res};
    kf_facts f;
    kf_facts_read(pool, rows, 4, &f);
    kf_availability av;
    kf_availability_init(pool, &av);
    kf_availability_from_facts(pool, &f, &av);
    kf_availability_add_busy(pool, &f, 0, DAY, &av);
    ck_assert_int_eq(av.params.capacity, 1);
    ck_assert_int_eq(av.busy->nelts, 1);
    ck_assert_int_eq(av.seats->nelts, 0);

    /* a class again (capacity 4): the same row is a place taken, not a busy time */
    service[KF_FACTS_COL_X] = "4";
    kf_facts_read(pool, rows, 4, &f);
    kf_availability_init(pool, &av);
    kf_availability_from_facts(pool, &f, &av);
    kf_availability_add_busy(pool, &f, 0, DAY, &av);
    ck_assert_int_eq(av.params.capacity, 4);
    ck_assert_int_eq(av.busy->nelts, 0);
    ck_assert_int_eq(av.seats->nelts, 1);
    kf_seat_taken *t = (kf_seat_taken *)av.seats->elts;
    ck_assert_int_eq(t[0].start, H(9, 0));
    ck_assert_int_eq(t[0].block_end, H(10, 0));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("seats");
    TCase *tc = tcase_create("classes");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, capacity_bounds_and_classes);
    tcase_add_test(tc, places_left_never_below_zero);
    tcase_add_test(tc, a_class_stays_offered_with_its_places_left);
    tcase_add_test(tc, a_class_at_another_start_keeps_an_overlapping_slot_out);
    tcase_add_test(tc, a_service_without_seats_keeps_every_slot);
    tcase_add_test(tc, any_professional_offers_a_class_with_a_place);
    tcase_add_test(tc, seats_of_a_service_without_capacity_are_busy_times);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
