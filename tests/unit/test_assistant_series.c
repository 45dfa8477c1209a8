/* Unit tests for lib/assistant's series and classes: the series a sentence asks for (es/en),
 * the service's rule judging it, what a follow-up keeps of it, and the reply that tells the
 * series, the rule or the places left. */
#include "kf_check_assistant.h"
#include "kf_assistant_answer.h"
#include "kf_assistant_series.h"
#include "kf_crypto.h"
#include "kf_time.h"

#include <string.h>

#define SVC_YOGA "55555555-5555-4555-8555-555555555555"
#define SVC_YOGA_PRIVATE "66666666-6666-4666-8666-666666666666"

/* The test link, and two yoga services: a class of 10 and a private session. */
static const kf_assistant_item class_services[] = {
    {SVC_CUT, "Corte de cabello", 30, NULL, NULL, 1},
    {SVC_YOGA_PRIVATE, "Yoga privado", 60, NULL, NULL, 1},
    {SVC_YOGA, "Yoga", 60, NULL, NULL, 10},
};
static const kf_assistant_catalog class_catalog = {class_services, 3, test_professionals, 4};

static apr_int64_t at(int y, int mo, int d, int h, int mi)
{
    return kf_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

/* Asked on Wednesday 25 November 2026, 10:00 in Bogotá. */
static kf_intent asked(const char *text, const kf_assistant_catalog *catalog)
{
    kf_intent in;
    kf_assistant_parse(pool, text, at(2026, 11, 25, 15, 0), "America/Bogota", KF_LOCALE_ES,
                       test_zone_fn, NULL, catalog, &in);
    return in;
}

static void series_is(const char *text, kf_series_every every, int count)
{
    kf_intent in = asked(text, &test_catalog);
    ck_assert_msg(in.repeat == every && in.count == count, "%s: repeat %d count %d", text,
                  (int)in.repeat, in.count);
    ck_assert_msg(in.not_understood->nelts == 0, "%s: \"%s\" not understood", text,
                  in.not_understood->nelts ? APR_ARRAY_IDX(in.not_understood, 0, const char *) : "");
}

START_TEST(series_are_read_in_spanish_and_english)
{
    series_is("todos los lunes por 6 semanas", KF_SERIES_WEEK, 6);
    series_is("cada lunes durante 6 semanas", KF_SERIES_WEEK, 6);
    series_is("every Monday for 6 weeks", KF_SERIES_WEEK, 6);
    series_is("cada 2 semanas, 4 veces", KF_SERIES_TWO_WEEKS, 4);
    series_is("cada dos semanas, cuatro veces", KF_SERIES_TWO_WEEKS, 4);
    series_is("every other Tuesday, 4 sessions", KF_SERIES_TWO_WEEKS, 4);
    series_is("una vez al mes por 3 meses", KF_SERIES_MONTH, 3);
    series_is("monthly, for the next 3 months", KF_SERIES_MONTH, 3);
    series_is("6 Mondays in a row", KF_SERIES_WEEK, 6);
    series_is("6 lunes seguidos", KF_SERIES_WEEK, 6);
    /* a span counts the sessions that fit in it */
    series_is("every 2 weeks for 8 weeks", KF_SERIES_TWO_WEEKS, 4);
    series_is("cada semana por 2 meses", KF_SERIES_WEEK, 8);
    /* a count alone: the service's own frequency, decided by its rule */
    series_is("corte, 5 sesiones", KF_SERIES_NONE, 5);
    /* how often alone: the count is still to be said */
    series_is("todos los martes", KF_SERIES_WEEK, 0);
    /* no series: a date weeks away, an hour, one session */
    series_is("en 6 semanas", KF_SERIES_NONE, 0);
    series_is("el lunes a las 6", KF_SERIES_NONE, 0);
    series_is("1 sesión el lunes", KF_SERIES_NONE, 0);
}
END_TEST

START_TEST(the_weekday_of_a_series_is_its_first_occurrences)
{
    kf_intent es = asked("todos los lunes por 6 semanas", &test_catalog);
    ck_assert_int_eq(es.locale, KF_LOCALE_ES);
    ck_assert_int_eq(es.from, kf_days_from_civil(2026, 11, 30));
    ck_assert_int_eq(kf_assistant_weekday(es.to), 1);
    ck_assert(es.excluded_weekdays & (1u << 2));
    ck_assert(!(es.excluded_weekdays & (1u << 1)));
    kf_intent en = asked("every other Tuesday, 4 sessions", &test_catalog);
    ck_assert_int_eq(en.locale, KF_LOCALE_EN);
    ck_assert_int_eq(en.from, kf_days_from_civil(2026, 12, 1));
    /* a series from a date on: the series' weekday within it */
    kf_intent from = asked("every Monday for 6 weeks from December 7", &test_catalog);
    ck_assert_int_eq(from.from, kf_days_from_civil(2026, 12, 7));
    ck_assert_int_eq(from.count, 6);
}
END_TEST

START_TEST(the_services_rule_judges_the_series_as_availability_does)
{
    kf_series_rule weekly = {KF_SERIES_WEEK, 2, 8, 1}, none = {KF_SERIES_NONE, 0, 0, 0};
    kf_series_every every;
    int count;
    kf_intent in = asked("todos los lunes por 6 semanas", &test_catalog);
    ck_assert_int_eq(kf_assistant_series_judge(pool, &in, &weekly, &every, &count), KF_ASSISTANT_SERIES_OK);
    ck_assert_int_eq(every, KF_SERIES_WEEK);
    ck_assert_int_eq(count, 6);
    /* the nearest count allowed is never used instead */
    in = asked("todos los lunes por 10 semanas", &test_catalog);
    ck_assert_int_eq(kf_assistant_series_judge(pool, &in, &weekly, &every, &count), KF_ASSISTANT_SERIES_OUTSIDE);
    ck_assert_int_eq(count, 1);
    in = asked("cada 2 semanas, 4 veces", &test_catalog);
    ck_assert_int_eq(kf_assistant_series_judge(pool, &in, &weekly, &every, &count), KF_ASSISTANT_SERIES_OUTSIDE);
    in = asked("todos los lunes", &test_catalog);
    ck_assert_int_eq(kf_assistant_series_judge(pool, &in, &weekly, &every, &count), KF_ASSISTANT_SERIES_OUTSIDE);
    in = asked("4 sesiones", &test_catalog);
    ck_assert_int_eq(kf_assistant_series_judge(pool, &in, &weekly, &every, &count), KF_ASSISTANT_SERIES_OK);
    ck_assert_int_eq(every, KF_SERIES_WEEK);
    ck_assert_int_eq(count, 4);
    ck_assert_int_eq(kf_assistant_series_judge(pool, &in, &none, &every, &count), KF_ASSISTANT_SERIES_SINGLE);
    in = asked("el lunes", &test_catalog);
    ck_assert_int_eq(kf_assistant_series_judge(pool, &in, &weekly, &every, &count), KF_ASSISTANT_SERIES_NONE);
    ck_assert_int_eq(kf_assistant_series_reach(&in), 0);
    in = asked("every Monday for 6 weeks", &test_catalog);
    ck_assert_int_eq(kf_assistant_series_reach(&in), kf_series_span_days(KF_SERIES_WEEK, 6));
}
END_TEST

START_TEST(a_follow_up_keeps_the_series)
{
    kf_intent before = asked("todos los lunes por 6 semanas", &test_catalog);
    kf_assistant_choice ch = {.n = 0, .why = KF_WHY_NONE};
    const char *ids[] = {PRO_ANA};
    const char *zones[] = {"America/Bogota"};
    const kf_zone *zs[] = {zone("America/Bogota")};
    kf_assistant_view v = {.catalog = &test_catalog, .customer = zone("America/Bogota"), .prof_ids = ids, .prof_zone_names = zones, .prof_zones = zs};
    const char *ctx = kf_assistant_context_encode(pool, &before, &ch, &v);
    kf_intent back;
    kf_assistant_offer offers[KF_ASSISTANT_MAX_SLOTS];
    int noffers = 0;
    ck_assert(kf_assistant_context_decode(pool, ctx, &back, offers, &noffers));
    ck_assert_int_eq(back.repeat, KF_SERIES_WEEK);
    ck_assert_int_eq(back.count, 6);
    kf_intent later = asked("más tarde", &test_catalog);
    kf_assistant_merge(&back, &later);
    ck_assert_int_eq(later.repeat, KF_SERIES_WEEK);
    ck_assert_int_eq(later.count, 6);
    kf_intent fewer = asked("mejor 4 veces", &test_catalog);
    kf_assistant_merge(&back, &fewer);
    ck_assert_int_eq(fewer.repeat, KF_SERIES_WEEK);
    ck_assert_int_eq(fewer.count, 4);
    /* a context written before series were asked is still read */
    const char *old = "{\"v\":1,\"s\":null,\"p\":null,\"f\":\"2026-11-25\",\"t\":\"2026-11-25\",\"d\":0,"
                      "\"e\":-1,\"l\":-1,\"x\":0,\"xt\":[],\"a\":0,\"n\":0,\"z\":\"UTC\",\"m\":0,\"o\":[]}";
    ck_assert(kf_assistant_context_decode(pool, kf_b64url_encode(pool, old, strlen(old)), &back, offers, &noffers));
    ck_assert_int_eq(back.repeat, KF_SERIES_NONE);
    const char *bad = "{\"v\":1,\"s\":null,\"p\":null,\"f\":\"2026-11-25\",\"t\":\"2026-11-25\",\"d\":0,"
                      "\"e\":-1,\"l\":-1,\"x\":0,\"xt\":[],\"a\":0,\"n\":0,\"z\":\"UTC\",\"m\":0,\"o\":[],"
                      "\"r\":9,\"c\":4}";
    ck_assert(!kf_assistant_context_decode(pool, kf_b64url_encode(pool, bad, strlen(bad)), &back, offers, &noffers));
}
END_TEST

/* The reply for one slot at 10:00 Bogotá on Monday 7 December 2026. */
static const char *reply_for(kf_intent *in, kf_assistant_series_verdict verdict,
                             const kf_series_rule *rule, int seats_left)
{
    static const char *ids[] = {PRO_ANA};
    static const char *zones[] = {"America/Bogota"};
    const kf_zone *zs[] = {zone("America/Bogota")};
    kf_assistant_choice ch = {.n = 1, .why = KF_WHY_FOUND};
    ch.slots[0].start = at(2026, 12, 7, 15, 0);
    ch.slots[0].end = ch.slots[0].start + 3600;
    ch.slots[0].seats_left = seats_left;
    kf_assistant_view v = {&class_catalog, zone("America/Bogota"), ids, zones, zs, rule, verdict,
                           verdict == KF_ASSISTANT_SERIES_OK ? rule->every : KF_SERIES_NONE,
                           verdict == KF_ASSISTANT_SERIES_OK ? in->count : 1, seats_left > 0};
    in->service = SVC_YOGA;
    if (verdict == KF_ASSISTANT_SERIES_OUTSIDE) {
        ch.n = 0;
        ch.why = KF_WHY_NONE;
    }
    json_t *answer = kf_assistant_answer(pool, in, &ch, &v, "ctx");
    const char *reply = apr_pstrdup(pool, json_string_value(json_object_get(answer, "reply")));
    json_t *intent = json_object_get(answer, "intent");
    if (verdict == KF_ASSISTANT_SERIES_OK) {
        ck_assert_str_eq(json_string_value(json_object_get(intent, "repeat")), kf_series_every_name(rule->every));
        ck_assert_int_eq(json_integer_value(json_object_get(intent, "count")), in->count);
    }
    else if (verdict != KF_ASSISTANT_SERIES_OUTSIDE) {
        ck_assert(json_is_null(json_object_get(intent, "repeat")));
        ck_assert(json_is_null(json_object_get(intent, "count")));
    }
    json_t *slot = json_array_get(json_object_get(answer, "slots"), 0);
    if (slot) {
        ck_assert_int_eq(json_object_get(slot, "seats_left") != NULL, seats_left > 0);
    }
    json_decref(answer);
    return reply;
}

START_TEST(the_reply_tells_the_series_the_rule_or_the_places)
{
    kf_series_rule weekly = {KF_SERIES_WEEK, 2, 8, 1}, biweekly = {KF_SERIES_TWO_WEEKS, 2, 8, 1},
                   none = {KF_SERIES_NONE, 0, 0, 0};
    kf_intent es = asked("todos los lunes por 6 semanas", &test_catalog);
    const char *r = reply_for(&es, KF_ASSISTANT_SERIES_OK, &weekly, 0);
    ck_assert_msg(strstr(r, "6 lunes seguidos desde el 7 de diciembre a las 10:00"), "%s", r);
    kf_intent en = asked("every Monday for 6 weeks", &test_catalog);
    r = reply_for(&en, KF_ASSISTANT_SERIES_OK, &weekly, 0);
    ck_assert_msg(strstr(r, "6 Mondays from 7 December at 10:00"), "%s", r);
    kf_intent other = asked("every other Monday, 4 sessions", &test_catalog);
    r = reply_for(&other, KF_ASSISTANT_SERIES_OK, &biweekly, 0);
    ck_assert_msg(strstr(r, "4 Mondays, every other week, from 7 December at 10:00"), "%s", r);
    kf_intent many = asked("todos los lunes por 10 semanas", &test_catalog);
    r = reply_for(&many, KF_ASSISTANT_SERIES_OUTSIDE, &weekly, 0);
    ck_assert_msg(strstr(r, "de 2 a 8 sesiones, cada semana"), "%s", r);
    kf_intent single = asked("every Monday for 6 weeks", &test_catalog);
    r = reply_for(&single, KF_ASSISTANT_SERIES_SINGLE, &none, 0);
    ck_assert_msg(!strncmp(r, "Yoga is booked one session at a time; ", 38), "%s", r);
    kf_intent clase = asked("clase de yoga el jueves", &class_catalog);
    r = reply_for(&clase, KF_ASSISTANT_SERIES_NONE, &none, 3);
    ck_assert_msg(strstr(r, "quedan 3 cupos"), "%s", r);
    kf_intent class = asked("yoga class on Thursday", &class_catalog);
    r = reply_for(&class, KF_ASSISTANT_SERIES_NONE, &none, 1);
    ck_assert_msg(strstr(r, "1 place left"), "%s", r);
}
END_TEST

START_TEST(a_class_is_found_by_its_name_and_the_word_class)
{
    const char *texts[] = {"clase de yoga el jueves", "yoga class on Thursday",
                           "una clase el jueves", "a class on Thursday"};
    for (int t = 0; t < 4; t++) {
        kf_intent in = asked(texts[t], &class_catalog);
        ck_assert_msg(in.service && !strcmp(in.service, SVC_YOGA), "%s", texts[t]);
        ck_assert_msg(in.named & KF_INTENT_SERVICE, "%s", texts[t]);
        ck_assert_msg(in.not_understood->nelts == 0, "%s: \"%s\"", texts[t],
                      in.not_understood->nelts ? APR_ARRAY_IDX(in.not_understood, 0, const char *) : "");
        ck_assert_int_eq(kf_assistant_weekday(in.from), 4);
    }
    /* the private session is still found by its own name */
    ck_assert_str_eq(asked("yoga privado el jueves", &class_catalog).service, SVC_YOGA_PRIVATE);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assistant_series");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, series_are_read_in_spanish_and_english);
    tcase_add_test(tc, the_weekday_of_a_series_is_its_first_occurrences);
    tcase_add_test(tc, the_services_rule_judges_the_series_as_availability_does);
    tcase_add_test(tc, a_follow_up_keeps_the_series);
    tcase_add_test(tc, the_reply_tells_the_series_the_rule_or_the_places);
    tcase_add_test(tc, a_class_is_found_by_its_name_and_the_word_class);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
