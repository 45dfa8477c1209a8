/* Unit suite for lib/calendars/kf_calendar_choices.c: which of a professional's calendars
 * block availability and which one receives the events, as the provider's list comes and
 * goes and as the merchant changes the choice. */
#include "kf_check.h"
#include "kf_calendar_choices.h"
#include "kf_i18n.h"
#include "kf_json.h"

#include <string.h>

static apr_array_header_t *calendars(int n, const kf_cal_calendar *items)
{
    apr_array_header_t *a = apr_array_make(pool, n, sizeof(kf_cal_calendar));
    for (int i = 0; i < n; i++) {
        *(kf_cal_calendar *)apr_array_push(a) = items[i];
    }
    return a;
}

static const kf_cal_calendar *at(const apr_array_header_t *a, int i)
{
    return &APR_ARRAY_IDX(a, i, kf_cal_calendar);
}

static const kf_cal_calendar listed3[] = {
    {"ana@x.co", "Ana", "America/Bogota", 1, 0, 0, 0},
    {"personal@group", "Personal", "Europe/Madrid", 0, 0, 0, 0},
    {"holidays@group", "Festivos", NULL, 0, 0, 0, 0},
};

START_TEST(first_list_the_primary_blocks_and_receives)
{
    apr_array_header_t *m = kf_calendar_choices_merge(pool, calendars(3, listed3), NULL, "primary",
                                                      "ana@x.co");
    ck_assert_int_eq(m->nelts, 3);
    ck_assert(at(m, 0)->blocks && at(m, 0)->receives);
    ck_assert(!at(m, 1)->blocks && !at(m, 1)->receives);
    ck_assert(!at(m, 2)->blocks && !at(m, 2)->receives);
    ck_assert_str_eq(at(m, 1)->timezone, "Europe/Madrid");
}
END_TEST

START_TEST(choices_survive_a_new_list_and_new_calendars_do_not_count)
{
    kf_cal_calendar before[] = {{"ana@x.co", "Ana", NULL, 1, 0, 0, 0},
                                {"personal@group", "Personal", NULL, 0, 1, 1, 0}};
    kf_cal_calendar now[] = {listed3[0], listed3[1], listed3[2], {"new@group", "Nuevo", NULL, 0, 0, 0, 0}};
    apr_array_header_t *m = kf_calendar_choices_merge(pool, calendars(4, now),
                                                      calendars(2, before), "primary", NULL);
    ck_assert_int_eq(m->nelts, 4);
    ck_assert(!at(m, 0)->blocks && !at(m, 0)->receives);
    ck_assert(at(m, 1)->blocks && at(m, 1)->receives);
    ck_assert(!at(m, 3)->blocks && !at(m, 3)->receives);
    /* the list's names and zones are the newer ones */
    ck_assert_str_eq(at(m, 1)->timezone, "Europe/Madrid");
}
END_TEST

START_TEST(a_receiver_that_is_gone_hands_over_to_the_primary)
{
    kf_cal_calendar before[] = {{"ana@x.co", "Ana", NULL, 1, 1, 0, 0},
                                {"deleted@group", "Borrado", NULL, 0, 1, 1, 0}};
    apr_array_header_t *m = kf_calendar_choices_merge(pool, calendars(3, listed3),
                                                      calendars(2, before), "primary", NULL);
    ck_assert_int_eq(m->nelts, 3);
    ck_assert(at(m, 0)->receives && at(m, 0)->blocks);
    ck_assert_ptr_eq(kf_calendar_choices_receiver(m), at(m, 0));
}
END_TEST

START_TEST(without_a_list_the_connection_is_its_one_calendar)
{
    /* Cal.com, or a grant that may not read the list (connected before it was asked) */
    apr_array_header_t *m = kf_calendar_choices_merge(pool, NULL, NULL, "primary", "ana@x.co");
    ck_assert_int_eq(m->nelts, 1);
    ck_assert_str_eq(at(m, 0)->id, "primary");
    ck_assert_str_eq(at(m, 0)->name, "ana@x.co");
    ck_assert(at(m, 0)->primary && at(m, 0)->blocks && at(m, 0)->receives);
    /* the list failing later keeps what was chosen */
    kf_cal_calendar before[] = {{"ana@x.co", "Ana", NULL, 1, 0, 0, 0},
                                {"personal@group", "Personal", NULL, 0, 1, 1, 0}};
    m = kf_calendar_choices_merge(pool, NULL, calendars(2, before), "primary", NULL);
    ck_assert_int_eq(m->nelts, 2);
    ck_assert(at(m, 1)->receives);
}
END_TEST

static apr_array_header_t *apply(const char *body, kf_fields *f)
{
    kf_fields_init(f, pool, KF_LOCALE_EN);
    json_t *j = kf_json_own(pool, json_loads(body, 0, NULL));
    apr_array_header_t *current =
        kf_calendar_choices_merge(pool, calendars(3, listed3), NULL, "primary", NULL);
    return kf_calendar_choices_apply(f, j, current);
}

static const char *error_at(kf_fields *f, const char *path)
{
    return json_string_value(json_object_get(f->errors, path));
}

START_TEST(a_change_ticks_calendars_and_moves_the_receiver)
{
    kf_fields f;
    apr_array_header_t *m = apply("{\"calendars\": [{\"id\": \"personal@group\", \"blocks\": true,"
                                  " \"receives_events\": true}, {\"id\": \"ana@x.co\","
                                  " \"receives_events\": false}]}", &f);
    ck_assert_ptr_nonnull(m);
    ck_assert(at(m, 0)->blocks && !at(m, 0)->receives);   /* blocks unchanged: not named */
    ck_assert(at(m, 1)->blocks && at(m, 1)->receives);
    ck_assert(!at(m, 2)->blocks);
    apr_array_header_t *b = kf_calendar_choices_blocking(pool, m);
    ck_assert_int_eq(b->nelts, 2);
    ck_assert_str_eq(at(b, 1)->id, "personal@group");
}
END_TEST

START_TEST(a_change_is_refused_with_its_reason_and_changes_nothing)
{
    kf_fields f;
    ck_assert_ptr_null(apply("{\"calendars\": [{\"id\": \"someone-else@group\", \"blocks\": true}]}", &f));
    ck_assert_str_eq(error_at(&f, "calendars[0].id"), kf_message("calendar_unknown", KF_LOCALE_EN));
    ck_assert_ptr_null(apply("{\"calendars\": [{\"id\": \"personal@group\", \"receives_events\": true}]}", &f));
    ck_assert_str_eq(error_at(&f, "calendars"), kf_message("calendar_one_receiver", KF_LOCALE_EN));
    ck_assert_ptr_null(apply("{\"calendars\": [{\"id\": \"ana@x.co\", \"receives_events\": false}]}", &f));
    ck_assert_str_eq(error_at(&f, "calendars"), kf_message("calendar_one_receiver", KF_LOCALE_EN));
    ck_assert_ptr_null(apply("{\"calendars\": [{\"id\": \"ana@x.co\", \"blocks\": \"yes\"}]}", &f));
    ck_assert_ptr_nonnull(error_at(&f, "calendars[0].blocks"));
    ck_assert_ptr_null(apply("{\"calendars\": [\"ana@x.co\"]}", &f));
    ck_assert_ptr_nonnull(error_at(&f, "calendars[0]"));
    ck_assert_ptr_null(apply("{}", &f));
    ck_assert_ptr_nonnull(error_at(&f, "calendars"));
}
END_TEST

START_TEST(the_row_carries_the_blocking_calendars_and_their_zones)
{
    apr_array_header_t *b =
        kf_calendar_blocking_of(pool, "[[\"ana@x.co\", null], [\"p@group\", \"Europe/Madrid\"]]");
    ck_assert_int_eq(b->nelts, 2);
    ck_assert_ptr_null(at(b, 0)->timezone);
    ck_assert_str_eq(at(b, 1)->timezone, "Europe/Madrid");
    /* nothing chosen yet: the connection's one calendar counts */
    ck_assert_ptr_null(kf_calendar_blocking_of(pool, NULL));
    ck_assert_int_eq(kf_calendar_blocking_of(pool, "[]")->nelts, 0);
    ck_assert_ptr_null(kf_calendar_blocking_of(pool, "{\"a\": 1}"));
}
END_TEST

START_TEST(the_answer_names_every_calendar_and_its_choice)
{
    apr_array_header_t *m = kf_calendar_choices_merge(pool, calendars(3, listed3), NULL, "primary",
                                                      NULL);
    json_t *j = kf_json_own(pool, kf_calendar_choices_json(m));
    json_t *list = json_object_get(j, "calendars");
    ck_assert_int_eq(json_array_size(list), 3);
    json_t *first = json_array_get(list, 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "name")), "Ana");
    ck_assert(json_is_true(json_object_get(first, "primary")));
    ck_assert(json_is_true(json_object_get(first, "blocks")));
    ck_assert(json_is_true(json_object_get(first, "receives_events")));
    ck_assert(json_is_false(json_object_get(json_array_get(list, 1), "blocks")));
    ck_assert(json_is_true(json_object_get(first, "writable")));
}
END_TEST

START_TEST(the_connection_names_the_calendar_it_writes_to)
{
    kf_calendar_provider google = {.name = "google"};
    kf_calendar_provider caldav = {.name = "caldav", .professional_server = 1};
    kf_cal_calendar primary_receives[] = {{"ana@x.co", "Ana", NULL, 1, 1, 1, 0},
                                          {"clinic@group", "Clínica", NULL, 0, 0, 0, 0}};
    kf_cal_calendar clinic_receives[] = {{"ana@x.co", "Ana", NULL, 1, 1, 0, 0},
                                         {"clinic@group", "Clínica", NULL, 0, 0, 1, 0}};
    /* Google finds its primary by itself */
    ck_assert_ptr_null(kf_calendar_choices_written_to(&google, calendars(2, primary_receives)));
    ck_assert_str_eq(kf_calendar_choices_written_to(&google, calendars(2, clinic_receives)),
                     "clinic@group");
    /* a CalDAV connection always names its collection, the primary one too */
    kf_cal_calendar work[] = {{"https://dav.example/ana/work/", "work", NULL, 1, 1, 1, 0},
                              {"https://dav.example/ana/home/", "home", NULL, 0, 1, 0, 0}};
    ck_assert_str_eq(kf_calendar_choices_written_to(&caldav, calendars(2, work)),
                     "https://dav.example/ana/work/");
    work[0].receives = 0;
    work[1].receives = 1;
    ck_assert_str_eq(kf_calendar_choices_written_to(&caldav, calendars(2, work)),
                     "https://dav.example/ana/home/");
    /* a collection never listed yet is its one calendar, named */
    apr_array_header_t *only = kf_calendar_choices_merge(pool, NULL, NULL,
                                                         "https://dav.example/ana/work/", "ana");
    ck_assert_str_eq(kf_calendar_choices_written_to(&caldav, only), "https://dav.example/ana/work/");
}
END_TEST

START_TEST(a_read_only_calendar_is_never_made_the_receiver)
{
    /* a shared primary the account may only read: the first writable calendar receives */
    kf_cal_calendar shared[] = {{"ana@x.co", "Ana", NULL, 1, 0, 0, 1},
                                {"festivos@group", "Festivos", NULL, 0, 0, 0, 1},
                                {"clinic@group", "Clínica", NULL, 0, 0, 0, 0}};
    apr_array_header_t *m = kf_calendar_choices_merge(pool, calendars(3, shared), NULL, "primary",
                                                      NULL);
    ck_assert(at(m, 0)->blocks && !at(m, 0)->receives);
    ck_assert_ptr_eq(kf_calendar_choices_receiver(m), at(m, 2));
    /* a receiver the account may no longer write hands over to a writable one */
    kf_cal_calendar before[] = {{"ana@x.co", "Ana", NULL, 1, 1, 0, 0},
                                {"festivos@group", "Festivos", NULL, 0, 0, 1, 0}};
    kf_cal_calendar now[] = {{"ana@x.co", "Ana", NULL, 1, 0, 0, 0},
                             {"festivos@group", "Festivos", NULL, 0, 0, 0, 1}};
    m = kf_calendar_choices_merge(pool, calendars(2, now), calendars(2, before), "primary", NULL);
    ck_assert_ptr_eq(kf_calendar_choices_receiver(m), at(m, 0));
    ck_assert(!at(m, 1)->receives);
    /* none writable: the primary stays the receiver, and says it may not be written */
    shared[2].read_only = 1;
    m = kf_calendar_choices_merge(pool, calendars(3, shared), NULL, "primary", NULL);
    ck_assert_ptr_eq(kf_calendar_choices_receiver(m), at(m, 0));
    json_t *j = kf_json_own(pool, kf_calendar_choices_json(m));
    json_t *first = json_array_get(json_object_get(j, "calendars"), 0);
    ck_assert(json_is_true(json_object_get(first, "receives_events")));
    ck_assert(json_is_false(json_object_get(first, "writable")));
}
END_TEST

START_TEST(a_change_that_makes_a_read_only_calendar_receive_is_refused)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_ES);
    kf_cal_calendar listed[] = {{"ana@x.co", "Ana", NULL, 1, 0, 0, 0},
                                {"personal@group", "Personal", NULL, 0, 0, 0, 0},
                                {"festivos@group", "Festivos", NULL, 0, 0, 0, 1}};
    apr_array_header_t *current =
        kf_calendar_choices_merge(pool, calendars(3, listed), NULL, "primary", NULL);
    json_t *body = kf_json_own(pool, json_loads(
        "{\"calendars\": [{\"id\": \"ana@x.co\", \"receives_events\": false},"
        " {\"id\": \"personal@group\", \"blocks\": true},"
        " {\"id\": \"festivos@group\", \"blocks\": true, \"receives_events\": true}]}", 0, NULL));
    ck_assert_ptr_null(kf_calendar_choices_apply(&f, body, current));
    ck_assert_str_eq(error_at(&f, "calendars[2].receives_events"),
                     "Solo lectura: este calendario no puede recibir citas.");
    ck_assert(!at(current, 1)->blocks);   /* nothing changed */
    /* it may still block */
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    body = kf_json_own(pool, json_loads("{\"calendars\": [{\"id\": \"festivos@group\","
                                        " \"blocks\": true}]}", 0, NULL));
    apr_array_header_t *m = kf_calendar_choices_apply(&f, body, current);
    ck_assert_ptr_nonnull(m);
    ck_assert(at(m, 2)->blocks && !at(m, 2)->receives);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("calendar_choices");
    TCase *tc = tcase_create("choices");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, first_list_the_primary_blocks_and_receives);
    tcase_add_test(tc, choices_survive_a_new_list_and_new_calendars_do_not_count);
    tcase_add_test(tc, a_receiver_that_is_gone_hands_over_to_the_primary);
    tcase_add_test(tc, without_a_list_the_connection_is_its_one_calendar);
    tcase_add_test(tc, a_change_ticks_calendars_and_moves_the_receiver);
    tcase_add_test(tc, a_change_is_refused_with_its_reason_and_changes_nothing);
    tcase_add_test(tc, the_row_carries_the_blocking_calendars_and_their_zones);
    tcase_add_test(tc, the_answer_names_every_calendar_and_its_choice);
    tcase_add_test(tc, the_connection_names_the_calendar_it_writes_to);
    tcase_add_test(tc, a_read_only_calendar_is_never_made_the_receiver);
    tcase_add_test(tc, a_change_that_makes_a_read_only_calendar_receive_is_refused);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
