/* Unit tests for collective teams: lib/teams/kf_team.c (the service field, its bounds, what a
 * team excludes) and lib/availability/kf_team_slots.c (the starts every member is free).
 * Times are seconds; H(h, m) is that wall time on day 0 in UTC. */
#include "kf_check.h"
#include "kf_json.h"
#include "kf_team.h"
#include "kf_team_slots.h"
#include "kf_availability_facts.h"

#define MIN 60
#define H(h, m) ((apr_int64_t)(h) * 3600 + (m) * 60)

#define A "11111111-1111-4111-8111-111111111111"
#define B "22222222-2222-4222-8222-222222222222"
#define C "33333333-3333-4333-8333-333333333333"
#define D "44444444-4444-4444-8444-444444444444"
#define E "55555555-5555-4555-8555-555555555555"
#define F "66666666-6666-4666-8666-666666666666"

static kf_fields fields;

/* The team read from a JSON body; its errors in `fields`. */
static kf_team read_team(const char *body_text)
{
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    json_t *body = kf_json_own(pool, json_loads(body_text, 0, NULL));   /* t reads from it */
    ck_assert_ptr_nonnull(body);
    kf_team t;
    kf_team_read(&fields, body, &t);
    return t;
}

static const char *error_at(const char *path)
{
    return json_string_value(json_object_get(fields.errors, path));
}

START_TEST(a_team_of_two_to_five_is_read)
{
    kf_team t = read_team("{\"team\": {\"mode\": \"collective\", \"professional_ids\": [\"" A
                          "\", \"" B "\"]}}");
    ck_assert(kf_fields_ok(&fields));
    ck_assert(t.sent && t.collective);
    ck_assert_int_eq(json_array_size(t.professional_ids), 2);
    t = read_team("{\"team\": {\"mode\": \"collective\", \"professional_ids\": [\"" A "\", \"" B
                  "\", \"" C "\", \"" D "\", \"" E "\"]}}");
    ck_assert(kf_fields_ok(&fields));
    ck_assert_int_eq(json_array_size(t.professional_ids), 5);
}
END_TEST

START_TEST(null_or_absent_is_no_team)
{
    kf_team t = read_team("{\"team\": null}");
    ck_assert(kf_fields_ok(&fields));
    ck_assert(t.sent && !t.collective);
    t = read_team("{\"name\": \"x\"}");
    ck_assert(kf_fields_ok(&fields));
    ck_assert(!t.sent && !t.collective);
}
END_TEST

START_TEST(one_member_or_six_are_refused_with_the_field)
{
    kf_team t = read_team("{\"team\": {\"mode\": \"collective\", \"professional_ids\": [\"" A
                          "\"]}}");
    ck_assert(!kf_fields_ok(&fields));
    ck_assert(!t.collective);
    ck_assert_str_eq(error_at("team.professional_ids"), "Must name 2 to 5 professionals.");
    t = read_team("{\"team\": {\"mode\": \"collective\", \"professional_ids\": [\"" A "\", \"" B
                  "\", \"" C "\", \"" D "\", \"" E "\", \"" F "\"]}}");
    ck_assert(!t.collective);
    ck_assert_str_eq(error_at("team.professional_ids"), "Must name 2 to 5 professionals.");
    read_team("{\"team\": {\"mode\": \"collective\", \"professional_ids\": []}}");
    ck_assert_ptr_nonnull(error_at("team.professional_ids"));
}
END_TEST

START_TEST(a_member_twice_or_a_bad_id_is_refused_at_its_place)
{
    kf_team t = read_team("{\"team\": {\"mode\": \"collective\", \"professional_ids\": [\"" A
                          "\", \"" B "\", \"" A "\"]}}");
    ck_assert(!t.collective);
    ck_assert_ptr_null(error_at("team.professional_ids[0]"));
    ck_assert_str_eq(error_at("team.professional_ids[2]"),
                     "This professional is already in the team.");
    /* the same id in other letters is the same professional */
    read_team("{\"team\": {\"mode\": \"collective\", \"professional_ids\": [\"" A
              "\", \"AAAAAAAA-1111-4111-8111-111111111111\", \"aaaaaaaa-1111-4111-8111-111111111111\"]}}");
    ck_assert_ptr_nonnull(error_at("team.professional_ids[2]"));
    read_team("{\"team\": {\"mode\": \"collective\", \"professional_ids\": [\"" A
              "\", \"not-an-id\"]}}");
    ck_assert_str_eq(error_at("team.professional_ids[1]"),
                     "Is not an active professional of your business.");
    read_team("{\"team\": {\"mode\": \"collective\", \"professional_ids\": [\"" A "\", 7]}}");
    ck_assert_ptr_nonnull(error_at("team.professional_ids[1]"));
}
END_TEST

START_TEST(the_mode_and_the_shape_are_checked)
{
    kf_team t = read_team("{\"team\": {\"mode\": \"round_robin\", \"professional_ids\": [\"" A
                          "\", \"" B "\"]}}");
    ck_assert(!t.collective);
    ck_assert_str_eq(error_at("team.mode"), "Must be collective.");
    read_team("{\"team\": {\"professional_ids\": [\"" A "\", \"" B "\"]}}");
    ck_assert_ptr_nonnull(error_at("team.mode"));
    read_team("{\"team\": {\"mode\": \"collective\"}}");
    ck_assert_ptr_nonnull(error_at("team.professional_ids"));
    read_team("{\"team\": [\"" A "\"]}");
    ck_assert_str_eq(error_at("team"), "Must be an object.");
}
END_TEST

START_TEST(a_stored_team_reads_back)
{
    ck_assert_int_eq(kf_team_size(NULL), 0);
    ck_assert_int_eq(kf_team_size(""), 0);
    ck_assert_int_eq(kf_team_size(A "," B "," C), 3);
    json_t *none = kf_team_json(pool, NULL);
    ck_assert(json_is_null(none));
    json_t *team = kf_team_json(pool, A "," B);
    ck_assert_str_eq(json_string_value(json_object_get(team, "mode")), "collective");
    json_t *ids = json_object_get(team, "professional_ids");
    ck_assert_int_eq(json_array_size(ids), 2);
    ck_assert_str_eq(json_string_value(json_array_get(ids, 1)), B);
    json_decref(team);
}
END_TEST

START_TEST(a_team_takes_one_customer_at_a_time)
{
    ck_assert_ptr_null(kf_team_capacity_problem(0, 20));
    ck_assert_ptr_null(kf_team_capacity_problem(3, 1));
    ck_assert_str_eq(kf_team_capacity_problem(3, 2), "team_with_capacity");
}
END_TEST

static kf_slot slot(int prof, apr_int64_t start, int load)
{
    kf_slot s = {start, start + 60 * MIN, prof, load, 0};
    return s;
}

START_TEST(only_the_starts_every_member_is_free_stay)
{
    /* sorted as KF_SLOTS_ALL: by start, then load; 09:00 all three, 10:00 two, 11:00 three */
    kf_slot s[] = {slot(2, H(9, 0), 0), slot(0, H(9, 0), 1), slot(1, H(9, 0), 2),
                   slot(0, H(10, 0), 0), slot(2, H(10, 0), 0),
                   slot(1, H(11, 0), 0), slot(0, H(11, 0), 0), slot(2, H(11, 0), 1)};
    int n = kf_team_keep_common(s, 8, 3);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(s[0].start, H(9, 0));
    ck_assert_int_eq(s[0].prof, 0);   /* the member of lowest index books it */
    ck_assert_int_eq(s[0].load, 2);   /* as booked as its busiest member */
    ck_assert_int_eq(s[1].start, H(11, 0));
    ck_assert_int_eq(s[1].prof, 0);
}
END_TEST

START_TEST(a_team_with_a_member_missing_offers_nothing)
{
    /* two of three members offer the service (the third archived): nothing */
    kf_slot s[] = {slot(0, H(9, 0), 0), slot(1, H(9, 0), 0)};
    ck_assert_int_eq(kf_team_keep_common(s, 2, 3), 0);
    ck_assert_int_eq(kf_team_keep_common(s, 0, 2), 0);
}
END_TEST

/* Availability of a team of two from its windows and busy times: the intersection, each
 * member judged by its own hours and bookings. */
START_TEST(availability_of_a_team_is_the_intersection_of_its_members)
{
    kf_availability av;
    kf_availability_init(pool, &av);
    av.nprof = 2;
    av.params.duration = 60 * MIN;
    av.params.interval = 60 * MIN;
    av.params.from = 0;
    av.params.to = H(24, 0);
    av.params.earliest = 0;
    av.params.latest = H(24, 0);
    av.params.capacity = 1;
    av.params.team = 2;
    /* member 0 works 09-13, member 1 works 10-14 */
    kf_window w0 = {H(9, 0), H(13, 0), 0, 0}, w1 = {H(10, 0), H(14, 0), 1, 0};
    *(kf_window *)apr_array_push(av.windows) = w0;
    *(kf_window *)apr_array_push(av.windows) = w1;
    /* member 1 is busy 11-12 (another booking, or its calendar) */
    kf_busy b = {H(11, 0), H(12, 0), 1};
    *(kf_busy *)apr_array_push(av.busy) = b;
    kf_slot *slots = NULL;
    int n = kf_availability_slots(pool, &av, KF_SLOTS_ALL, &slots);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(slots[0].start, H(10, 0));
    ck_assert_int_eq(slots[1].start, H(12, 0));
    ck_assert_int_eq(slots[0].prof, 0);

    /* the same without a team: each member's own slots, one per start for "any" */
    av.params.team = 0;
    n = kf_availability_slots(pool, &av, KF_SLOTS_ONE_PER_START, &slots);
    ck_assert_int_eq(n, 5);   /* 09, 10, 11 (member 0), 12, 13 (member 1) */
}
END_TEST

START_TEST(the_facts_tell_a_team_and_each_member_s_team_bookings_are_their_busy_times)
{
    /* a team of two (the S row's y), and a team booking at 09:00 as the facts return it: one
     * B row for each member */
    const char *service[KF_FACTS_COLUMNS] = {"S", "svc", "t1", "1", "2", NULL,
                                             "60", "60", "0", "0", "0", "1"};
    const char *link[KF_FACTS_COLUMNS] = {"L", "lnk", "t1", "UTC", NULL, NULL,
                                          NULL, "0", "0", "0", NULL, NULL};
    const char *p0[KF_FACTS_COLUMNS] = {"P", "p0", "UTC", NULL, NULL, NULL,
                                        NULL, "0", "0", NULL, NULL, "0"};
    const char *p1[KF_FACTS_COLUMNS] = {"P", "p1", "UTC", NULL, NULL, NULL,
                                        NULL, "0", "0", NULL, NULL, "0"};
    char bs[32], be[32];
    apr_snprintf(bs, sizeof bs, "%" APR_INT64_T_FMT, H(9, 0));
    apr_snprintf(be, sizeof be, "%" APR_INT64_T_FMT, H(10, 0));
    const char *b0[KF_FACTS_COLUMNS] = {"B", "p0", NULL, NULL, NULL, NULL, bs, be, NULL, bs, be, NULL};
    const char *b1[KF_FACTS_COLUMNS] = {"B", "p1", NULL, NULL, NULL, NULL, bs, be, NULL, bs, be, NULL};
    const char *const *rows[] = {link, service, p0, p1, b0, b1};
    kf_facts f;
    kf_facts_read(pool, rows, 6, &f);
    kf_availability av;
    kf_availability_init(pool, &av);
    kf_availability_from_facts(pool, &f, &av);
    kf_availability_add_busy(pool, &f, 0, H(24, 0), &av);
    ck_assert_int_eq(av.params.team, 2);
    ck_assert_int_eq(av.busy->nelts, 2);
    const kf_busy *b = (const kf_busy *)av.busy->elts;
    ck_assert_int_ne(b[0].prof, b[1].prof);

    /* a service of one: no team */
    service[KF_FACTS_COL_Y] = NULL;
    kf_facts_read(pool, rows, 6, &f);
    kf_availability_init(pool, &av);
    kf_availability_from_facts(pool, &f, &av);
    ck_assert_int_eq(av.params.team, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("teams");
    TCase *tc = tcase_create("collective");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_team_of_two_to_five_is_read);
    tcase_add_test(tc, null_or_absent_is_no_team);
    tcase_add_test(tc, one_member_or_six_are_refused_with_the_field);
    tcase_add_test(tc, a_member_twice_or_a_bad_id_is_refused_at_its_place);
    tcase_add_test(tc, the_mode_and_the_shape_are_checked);
    tcase_add_test(tc, a_stored_team_reads_back);
    tcase_add_test(tc, a_team_takes_one_customer_at_a_time);
    tcase_add_test(tc, only_the_starts_every_member_is_free_stay);
    tcase_add_test(tc, a_team_with_a_member_missing_offers_nothing);
    tcase_add_test(tc, availability_of_a_team_is_the_intersection_of_its_members);
    tcase_add_test(tc, the_facts_tell_a_team_and_each_member_s_team_bookings_are_their_busy_times);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
