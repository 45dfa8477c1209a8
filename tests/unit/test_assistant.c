/* Unit tests for lib/assistant: the words, the parser's rules, the follow-up's context and
 * the choice of slots. */
#include "kf_check_assistant.h"
#include "kf_assistant_text.h"
#include "kf_assistant_slots.h"
#include "kf_assistant_answer.h"
#include "kf_crypto.h"
#include "kf_assistant_llm.h"
#include "kf_assistant_request.h"
#include "kf_assistant_catalog.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static apr_int64_t at(int y, int mo, int d, int h, int mi)
{
    return kf_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

static kf_intent parse_at(const char *text, apr_int64_t now, const char *zone_name)
{
    kf_intent in;
    kf_assistant_parse(pool, text, now, zone_name, KF_LOCALE_ES, test_zone_fn, NULL,
                       &test_catalog, &in);
    return in;
}

START_TEST(words_fold_accents_and_keep_spans)
{
    kf_word w[16];
    const char *text = "Mañana, 5pm con LUCÍA (30-minute)";
    int n = kf_words_split(pool, text, w, 16);
    ck_assert_int_eq(n, 7);
    ck_assert_str_eq(w[0].w, "manana");
    ck_assert_str_eq(w[1].w, "5");
    ck_assert_str_eq(w[2].w, "pm");
    ck_assert_str_eq(w[4].w, "lucia");
    ck_assert_int_eq(w[4].end - w[4].start, (int)strlen("LUCÍA"));
    ck_assert_str_eq(w[5].w, "30");
    ck_assert_str_eq(w[6].w, "minute");
    ck_assert(kf_words_close("masage", "masaje"));
    ck_assert(kf_words_close("anna", "ana"));
    ck_assert(!kf_words_close("and", "ana"));
    /* a weekday's typo is one letter: nine o'clock is no Thursday */
    kf_intent nine = parse_at("a las nueve", at(2026, 11, 25, 15, 0), "UTC");
    ck_assert(!(nine.named & KF_INTENT_DATES));
    ck_assert_int_eq(nine.earliest, 9 * 60);
    kf_intent friday = parse_at("el biernes", at(2026, 11, 25, 15, 0), "UTC");
    ck_assert_int_eq(friday.from, kf_days_from_civil(2026, 11, 27));
}
END_TEST

START_TEST(tomorrow_is_counted_in_the_customers_zone)
{
    /* 03:00 UTC on Thursday 26: still Wednesday 25 in Bogotá, already Thursday in Madrid */
    apr_int64_t now = at(2026, 11, 26, 3, 0);
    kf_intent bogota = parse_at("tomorrow", now, "America/Bogota");
    ck_assert_int_eq(bogota.from, kf_days_from_civil(2026, 11, 26));
    kf_intent madrid = parse_at("tomorrow, I'm in Madrid", now, "America/Bogota");
    ck_assert_str_eq(madrid.timezone, "Europe/Madrid");
    ck_assert_int_eq(madrid.from, kf_days_from_civil(2026, 11, 27));
    ck_assert_int_eq(madrid.to, madrid.from);
    /* a place is a zone only as one: "con Santiago" is a person, even one not on the link */
    kf_intent person = parse_at("mañana con Santiago", now, "America/Bogota");
    ck_assert_str_eq(person.timezone, "America/Bogota");
    ck_assert_str_eq(person.professional, PRO_SANTIAGO);
    ck_assert_str_eq(parse_at("mañana con Lima", now, "America/Bogota").timezone, "America/Bogota");
    ck_assert_str_eq(parse_at("mañana, hora de Lima", now, "America/Bogota").timezone, "America/Lima");
    ck_assert_str_eq(parse_at("tomorrow 3pm CET", now, "America/Bogota").timezone, "Europe/Paris");
}
END_TEST

START_TEST(what_is_not_understood_is_reported)
{
    kf_intent in = parse_at("mañana con Ana y un unicornio azul", at(2026, 11, 25, 15, 0),
                            "America/Bogota");
    ck_assert_str_eq(in.professional, PRO_ANA);
    ck_assert_int_eq(in.not_understood->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(in.not_understood, 0, const char *), "unicornio azul");
    ck_assert_int_eq(in.locale, KF_LOCALE_ES);
    ck_assert_int_eq(parse_at("tomorrow with Ana", at(2026, 11, 25, 15, 0), "UTC").locale,
                     KF_LOCALE_EN);
}
END_TEST

START_TEST(times_out_of_any_clock_are_not_times)
{
    /* numbers no clock shows (a fuzzer's find: one overflowed minutes of the day) */
    static const char *const odd[] = {
        "mañana después de las -1285418553:00",
        "tomorrow after 99999999999:00", "tomorrow after 25:00", "mañana a las 123:15",
    };
    for (size_t n = 0; n < sizeof(odd) / sizeof(odd[0]); n++) {
        kf_intent in = parse_at(odd[n], at(2026, 11, 25, 15, 0), "America/Bogota");
        ck_assert_msg(in.earliest == -1 && in.latest == -1, "%s", odd[n]);
    }
    kf_intent fine = parse_at("mañana después de las 10:30", at(2026, 11, 25, 15, 0), "America/Bogota");
    ck_assert_int_eq(fine.earliest, 10 * 60 + 30);
}
END_TEST

START_TEST(exclusions_and_follow_ups)
{
    apr_int64_t now = at(2026, 11, 25, 15, 0);
    kf_intent in = parse_at("any time Friday except noon", now, "America/Bogota");
    ck_assert_int_eq(in.nexcluded, 1);
    ck_assert_int_eq(in.excluded_from[0], 720);
    ck_assert_int_eq(in.excluded_to[0], 780);
    ck_assert(!kf_assistant_fits_time(&in, 750));
    ck_assert(kf_assistant_fits_time(&in, 780));
    ck_assert_int_eq(parse_at("later", now, "UTC").follow, KF_FOLLOW_LATER);
    ck_assert_int_eq(parse_at("más temprano", now, "UTC").follow, KF_FOLLOW_EARLIER);
    kf_intent later = parse_at("un poco más tarde", now, "UTC");
    ck_assert_int_eq(later.follow, KF_FOLLOW_LATER);
    ck_assert_int_eq(later.part, KF_PART_NONE);
    ck_assert_int_eq(later.not_understood->nelts, 0);
    ck_assert_int_eq(parse_at("mas temprano", now, "UTC").not_understood->nelts, 0);
    ck_assert_int_eq(parse_at("por la tarde", now, "UTC").follow, KF_FOLLOW_NONE);
    ck_assert_int_eq(parse_at("antes de las 5", now, "UTC").follow, KF_FOLLOW_NONE);
    ck_assert_int_eq(parse_at("otro día", now, "UTC").follow, KF_FOLLOW_OTHER_DAY);
    kf_intent second = parse_at("the second one", now, "UTC");
    ck_assert_int_eq(second.follow, KF_FOLLOW_PICK);
    ck_assert_int_eq(second.pick, 2);
    ck_assert_int_eq(parse_at("la última", now, "UTC").pick, -1);
}
END_TEST

/* How people write: diminutives, missing or doubled letters, letters that sound alike,
 * read as the words they stand for; a real word a letter away stays itself. */
START_TEST(diminutives_and_misspellings_are_read_as_their_words)
{
    apr_int64_t now = at(2026, 11, 25, 15, 0);   /* Wednesday 10:00 in Bogotá */
    apr_int64_t tomorrow = kf_days_from_civil(2026, 11, 26);
    kf_intent in = parse_at("un masajito mañana por la mañanita", now, "America/Bogota");
    ck_assert_str_eq(in.service, SVC_MASSAGE);
    ck_assert(in.named & KF_INTENT_SERVICE);
    ck_assert_int_eq(in.from, tomorrow);
    ck_assert_int_eq(in.to, tomorrow);
    ck_assert_int_eq(in.part, KF_PART_MORNING);
    ck_assert_int_eq(in.not_understood->nelts, 0);
    /* "mañanita" is a morning, never tomorrow */
    in = parse_at("la mañanita del lunes", now, "America/Bogota");
    ck_assert_int_eq(in.from, kf_days_from_civil(2026, 11, 30));
    ck_assert_int_eq(in.part, KF_PART_MORNING);
    in = parse_at("el miercoles en la tardecita", now, "America/Bogota");
    ck_assert_int_eq(in.from, kf_days_from_civil(2026, 11, 25));
    ck_assert_int_eq(in.part, KF_PART_AFTERNOON);
    ck_assert_int_eq(parse_at("el sabado por la nochecita", now, "UTC").part, KF_PART_EVENING);
    ck_assert_int_eq(parse_at("el lunes tempranito", now, "UTC").part, KF_PART_MORNING);
    static const struct { const char *text; kf_part_of_day part; } parts[] = {
        {"tomorrow afernoon", KF_PART_AFTERNOON}, {"tomorrow afternon", KF_PART_AFTERNOON},
        {"tomorrow mornin", KF_PART_MORNING}, {"in the mornign", KF_PART_MORNING},
        {"friday evenning", KF_PART_EVENING},
    };
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        in = parse_at(parts[i].text, now, "America/Bogota");
        ck_assert_msg(in.part == parts[i].part, "%s", parts[i].text);
        ck_assert_msg(in.not_understood->nelts == 0, "%s", parts[i].text);
    }
    /* weekdays and months with a letter doubled, missing or sounding alike */
    ck_assert_int_eq(parse_at("el lunnes", now, "UTC").from, kf_days_from_civil(2026, 11, 30));
    ck_assert_int_eq(parse_at("el juebes", now, "UTC").from, kf_days_from_civil(2026, 11, 26));
    ck_assert_int_eq(parse_at("el 3 de dicembre", now, "UTC").from, kf_days_from_civil(2026, 12, 3));
    ck_assert_int_eq(parse_at("on decmber 3", now, "UTC").from, kf_days_from_civil(2026, 12, 3));
    /* a follow-up's diminutive, and a professional's */
    in = parse_at("un poquito más tarde", now, "UTC");
    ck_assert_int_eq(in.follow, KF_FOLLOW_LATER);
    ck_assert_int_eq(in.not_understood->nelts, 0);
    ck_assert_str_eq(parse_at("con Anita el lunes", now, "UTC").professional, PRO_ANA);
    /* real words a letter away are not parts of the day nor dates */
    in = parse_at("a light massage tomorrow", now, "UTC");
    ck_assert_int_eq(in.part, KF_PART_NONE);
    ck_assert_str_eq(in.service, SVC_MASSAGE);
    in = parse_at("con Ana de otra manera", now, "UTC");
    ck_assert(!(in.named & KF_INTENT_DATES));
}
END_TEST

/* A word any rule acted on is never reported; fillers never are; the rest is. */
START_TEST(only_words_that_did_nothing_are_not_understood)
{
    static const kf_assistant_item services[] = {
        {SVC_CUT, "Corte de cabello", 30, NULL, NULL, 1},
        {SVC_FACIAL, "Consulta de valoración", 45, NULL, NULL, 1},
    };
    static const kf_assistant_catalog catalog = {services, 2, test_professionals, 4};
    kf_intent in;
    kf_assistant_parse(pool, "quiero una consultation", at(2026, 11, 25, 15, 0), "UTC",
                       KF_LOCALE_ES, test_zone_fn, NULL, &catalog, &in);
    ck_assert_str_eq(in.service, SVC_FACIAL);
    ck_assert(in.named & KF_INTENT_SERVICE);
    ck_assert_int_eq(in.not_understood->nelts, 0);
    apr_int64_t now = at(2026, 11, 25, 15, 0);
    ck_assert_int_eq(parse_at("I'd like a massage tomorrow please", now, "UTC").not_understood->nelts, 0);
    ck_assert_int_eq(parse_at("me gustaría un masaje el lunes", now, "UTC").not_understood->nelts, 0);
    in = parse_at("me gustaría un masajito el lunes y un unicornio, gracias", now, "UTC");
    ck_assert_str_eq(in.service, SVC_MASSAGE);
    ck_assert_int_eq(in.not_understood->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(in.not_understood, 0, const char *), "unicornio");
}
END_TEST

/* Slots of one professional every hour from 08:00 to 19:00 UTC, days d0..d0+n-1. */
static int hourly(apr_int64_t d0, int days, kf_slot *out)
{
    int n = 0;
    for (int d = 0; d < days; d++) {
        for (int h = 8; h < 20; h++) {
            out[n].start = (d0 + d) * 86400 + h * 3600;
            out[n].end = out[n].start + 3600;
            out[n].prof = 0;
            out[n].load = 0;
            n++;
        }
    }
    return n;
}

static const char *const one_prof[] = {PRO_ANA};
static const kf_tz_change utc_only[] = {{0, 0}};

START_TEST(slots_answer_the_intent_or_say_why)
{
    apr_int64_t now = at(2026, 11, 25, 6, 0), today = kf_days_from_civil(2026, 11, 25);
    kf_slot slots[12 * 14];
    int n = hourly(today, 14, slots);
    kf_assistant_choice ch;
    kf_intent in = parse_at("tomorrow afternoon", now, "UTC");
    kf_assistant_choose(pool, &in, today, slots, n, utc_only, 1, one_prof, NULL, 0, &ch);
    ck_assert_int_eq(ch.why, KF_WHY_FOUND);
    ck_assert_int_eq(ch.n, 5);
    ck_assert_int_eq(ch.slots[0].start, at(2026, 11, 26, 12, 0));
    ck_assert_int_eq(ch.slots[4].start, at(2026, 11, 26, 16, 0));
    /* nothing at 22:00: the nearest times of that day */
    in = parse_at("tomorrow at 10pm", now, "UTC");
    kf_assistant_choose(pool, &in, today, slots, n, utc_only, 1, one_prof, NULL, 0, &ch);
    ck_assert_int_eq(ch.why, KF_WHY_TIME);
    ck_assert_int_eq(ch.slots[ch.n - 1].start, at(2026, 11, 26, 19, 0));
    /* a day with nothing: the nearest days at the time asked */
    in = parse_at("December 20 at 9am", now, "UTC");
    kf_assistant_choose(pool, &in, today, slots, n, utc_only, 1, one_prof, NULL, 0, &ch);
    ck_assert_int_eq(ch.why, KF_WHY_DAYS);
    ck_assert_int_eq(ch.slots[ch.n - 1].start, at(2026, 12, 8, 9, 0));
    /* follow-ups: later than, earlier than, and a pick of what was offered */
    kf_assistant_offer offered[] = {{at(2026, 11, 26, 12, 0), PRO_ANA}, {at(2026, 11, 26, 13, 0), PRO_ANA}};
    in = parse_at("tomorrow afternoon", now, "UTC");
    kf_intent next = parse_at("later", now, "UTC");
    kf_assistant_merge(&in, &next);
    kf_assistant_choose(pool, &next, today, slots, n, utc_only, 1, one_prof, offered, 2, &ch);
    ck_assert_int_eq(ch.slots[0].start, at(2026, 11, 26, 14, 0));
    /* "earlier" than an afternoon's first times: the morning's, not the afternoon's again */
    next = parse_at("más temprano", now, "UTC");
    kf_assistant_merge(&in, &next);
    kf_assistant_choose(pool, &next, today, slots, n, utc_only, 1, one_prof, offered, 2, &ch);
    ck_assert_int_eq(ch.why, KF_WHY_FOUND);
    ck_assert_int_eq(ch.n, 4);
    ck_assert_int_eq(ch.slots[0].start, at(2026, 11, 26, 8, 0));
    ck_assert_int_eq(ch.slots[3].start, at(2026, 11, 26, 11, 0));
    next = parse_at("the second one", now, "UTC");
    kf_assistant_merge(&in, &next);
    kf_assistant_choose(pool, &next, today, slots, n, utc_only, 1, one_prof, offered, 2, &ch);
    ck_assert_int_eq(ch.why, KF_WHY_PICKED);
    ck_assert_int_eq(ch.n, 1);
    ck_assert_int_eq(ch.slots[0].start, at(2026, 11, 26, 13, 0));
}
END_TEST

/* Minutes of the day in New York (UTC-5 in winter) at unix time t. */
static int minutes_in_new_york(apr_int64_t t)
{
    return (int)(((t - 5 * 3600) % 86400 + 86400) % 86400 / 60);
}

/* Parts of the day are the customer's, with human bounds: a morning is 06:00 to 11:59 where
 * the customer is, an evening ends at 21:59, and a night hour is offered only when asked. */
START_TEST(parts_of_the_day_are_human_hours_in_the_customers_zone)
{
    apr_int64_t now = at(2026, 11, 25, 12, 0), today = kf_days_from_civil(2026, 11, 25);
    kf_intent in = parse_at("tomorrow morning", now, "UTC");
    ck_assert_int_eq(in.part, KF_PART_MORNING);
    ck_assert(!kf_assistant_fits_time(&in, 3 * 60));
    ck_assert(!kf_assistant_fits_time(&in, 5 * 60 + 59));
    ck_assert(kf_assistant_fits_time(&in, 6 * 60));
    ck_assert(kf_assistant_fits_time(&in, 11 * 60 + 59));
    ck_assert(!kf_assistant_fits_time(&in, 12 * 60));
    in = parse_at("tomorrow evening", now, "UTC");
    ck_assert(kf_assistant_fits_time(&in, 17 * 60));
    ck_assert(kf_assistant_fits_time(&in, 21 * 60 + 59));
    ck_assert(!kf_assistant_fits_time(&in, 22 * 60 + 30));
    in = parse_at("tomorrow afternoon", now, "UTC");
    ck_assert(kf_assistant_fits_time(&in, 18 * 60 + 59) && !kf_assistant_fits_time(&in, 19 * 60));
    /* no part: the night only when the sentence names a night hour */
    in = parse_at("tomorrow", now, "UTC");
    ck_assert(!kf_assistant_fits_time(&in, 3 * 60) && !kf_assistant_fits_time(&in, 23 * 60));
    ck_assert(kf_assistant_fits_time(&in, 9 * 60));
    in = parse_at("tomorrow after 10pm", now, "UTC");
    ck_assert(kf_assistant_fits_time(&in, 22 * 60 + 30));
    in = parse_at("tomorrow at 5am", now, "UTC");
    ck_assert(kf_assistant_fits_time(&in, 5 * 60));

    /* a professional in Madrid free 08:00-19:00 UTC; the customer in New York (UTC-5) asks for
     * Wednesday morning: 03:00 to 05:00 there is Madrid's morning, never the customer's */
    kf_slot slots[12 * 14];
    int n = hourly(today, 14, slots);
    static const kf_tz_change new_york[] = {{0, -5 * 3600}};
    kf_assistant_choice ch;
    in = parse_at("next Wednesday morning", now, "UTC");
    kf_assistant_choose(pool, &in, today, slots, n, new_york, 1, one_prof, NULL, 0, &ch);
    ck_assert_int_eq(ch.why, KF_WHY_FOUND);
    ck_assert_int_gt(ch.n, 0);
    for (int i = 0; i < ch.n; i++) {
        ck_assert_int_ge(minutes_in_new_york(ch.slots[i].start), 6 * 60);
        ck_assert_int_lt(minutes_in_new_york(ch.slots[i].start), 12 * 60);
    }
    /* "as soon as possible" from New York: the first daytime hour there, not 03:00 */
    in = parse_at("as soon as possible", now, "UTC");
    kf_assistant_choose(pool, &in, today, slots, n, new_york, 1, one_prof, NULL, 0, &ch);
    ck_assert_int_gt(ch.n, 0);
    for (int i = 0; i < ch.n; i++) {
        ck_assert_int_ge(minutes_in_new_york(ch.slots[i].start), 6 * 60);
        ck_assert_int_lt(minutes_in_new_york(ch.slots[i].start), 22 * 60);
    }
}
END_TEST

/* "antes del mediodía", "before noon": starts before 12:00 of the customer's day; after it
 * from 12:00. */
START_TEST(noon_bounds_the_day_in_the_customers_zone)
{
    apr_int64_t now = at(2026, 11, 25, 12, 0), today = kf_days_from_civil(2026, 11, 25);
    static const char *const before[] = {
        "antes del mediodía", "antes de mediodía", "hasta el mediodía", "before noon",
        "mañana antes del mediodía"};
    for (size_t i = 0; i < sizeof(before) / sizeof(before[0]); i++) {
        kf_intent in = parse_at(before[i], now, "UTC");
        ck_assert_msg(in.earliest == -1 && in.latest == 11 * 60 + 59, "%s: %d-%d", before[i],
                      in.earliest, in.latest);
        ck_assert_msg(in.not_understood->nelts == 0, "%s", before[i]);
    }
    static const char *const after[] = {
        "después del mediodía", "a partir del mediodía", "after noon"};
    for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
        kf_intent in = parse_at(after[i], now, "UTC");
        ck_assert_msg(in.earliest == 12 * 60 && in.latest == -1, "%s", after[i]);
        ck_assert_msg(in.not_understood->nelts == 0, "%s", after[i]);
    }
    /* a professional free 08:00-19:00 UTC, a customer in New York (UTC-5): "before noon" is
     * New York's, 08:00 to 11:00 there (13:00 to 16:00 UTC) */
    kf_slot slots[12 * 14];
    int n = hourly(today, 14, slots);
    static const kf_tz_change new_york[] = {{0, -5 * 3600}};
    kf_assistant_choice ch;
    kf_intent in = parse_at("mañana antes del mediodía", now, "UTC");
    kf_assistant_choose(pool, &in, today, slots, n, new_york, 1, one_prof, NULL, 0, &ch);
    ck_assert_int_eq(ch.why, KF_WHY_FOUND);
    ck_assert_int_gt(ch.n, 0);
    for (int i = 0; i < ch.n; i++) {
        ck_assert_int_lt(minutes_in_new_york(ch.slots[i].start), 12 * 60);
    }
}
END_TEST

START_TEST(context_round_trips_and_refuses_garbage)
{
    apr_int64_t now = at(2026, 11, 25, 15, 0), today = kf_days_from_civil(2026, 11, 25);
    kf_slot slots[12 * 14];
    int n = hourly(today, 14, slots);
    kf_intent in = parse_at("el viernes por la tarde con Ana excepto a las 3", now, "America/Bogota");
    kf_assistant_choice ch;
    kf_assistant_choose(pool, &in, today, slots, n, utc_only, 1, one_prof, NULL, 0, &ch);
    const char *zones[] = {"America/Bogota"};
    const kf_zone *zs[] = {zone("America/Bogota")};
    kf_assistant_view v = {.catalog = &test_catalog, .customer = zone("America/Bogota"), .prof_ids = one_prof, .prof_zone_names = zones, .prof_zones = zs};
    const char *ctx = kf_assistant_context_encode(pool, &in, &ch, &v);
    kf_intent back;
    kf_assistant_offer offers[KF_ASSISTANT_MAX_SLOTS];
    int noffers = 0;
    ck_assert(kf_assistant_context_decode(pool, ctx, &back, offers, &noffers));
    ck_assert_str_eq(back.professional, PRO_ANA);
    ck_assert_int_eq(back.from, in.from);
    ck_assert_int_eq(back.part, KF_PART_AFTERNOON);
    ck_assert_int_eq(back.nexcluded, 1);
    ck_assert_int_eq(noffers, ch.n);
    ck_assert(!kf_assistant_context_decode(pool, "not a context", &back, offers, &noffers));
    ck_assert(!kf_assistant_context_decode(pool, kf_b64url_encode(pool, "{\"v\":1}", 7), &back, offers, &noffers));
    const char *bad = "{\"v\":1,\"s\":null,\"p\":\"x\",\"f\":\"2026-11-25\",\"t\":\"2026-11-25\",\"d\":0,"
                      "\"e\":-1,\"l\":-1,\"x\":0,\"xt\":[],\"a\":0,\"n\":0,\"z\":\"UTC\",\"m\":0,\"o\":[]}";
    ck_assert(!kf_assistant_context_decode(pool, kf_b64url_encode(pool, bad, strlen(bad)), &back, offers, &noffers));
}
END_TEST

/* A question's context must be one this server wrote, of a zone that loads, and its tz one
 * that loads; either refused is its field's error. */
START_TEST(a_questions_context_and_zone_are_checked)
{
    apr_int64_t now = at(2026, 11, 25, 15, 0), today = kf_days_from_civil(2026, 11, 25);
    kf_slot slots[12 * 14];
    int n = hourly(today, 14, slots);
    kf_intent in = parse_at("el viernes con Ana", now, "America/Bogota");
    kf_assistant_choice ch;
    kf_assistant_choose(pool, &in, today, slots, n, utc_only, 1, one_prof, NULL, 0, &ch);
    const char *zones[] = {"America/Bogota"};
    const kf_zone *zs[] = {zone("America/Bogota")};
    kf_assistant_view v = {.catalog = &test_catalog, .customer = zone("America/Bogota"), .prof_ids = one_prof, .prof_zone_names = zones, .prof_zones = zs};
    const char *ctx = kf_assistant_context_encode(pool, &in, &ch, &v);
    kf_assistant_request q = {"y el sábado?", NULL, ctx};
    kf_intent before;
    kf_assistant_offer offers[KF_ASSISTANT_MAX_SLOTS];
    int noffers = 0;
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    ck_assert(kf_assistant_request_context(pool, &f, &q, test_zone_fn, NULL, &before, offers,
                                           &noffers));
    ck_assert(kf_fields_ok(&f));
    ck_assert_str_eq(before.professional, PRO_ANA);
    ck_assert_int_eq(noffers, ch.n);
    q.tz = "Mars/Olympus";
    ck_assert(kf_assistant_request_context(pool, &f, &q, test_zone_fn, NULL, &before, offers,
                                           &noffers));
    ck_assert(kf_fields_has(&f, "tz"));
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    q.context = "not a context";
    ck_assert(!kf_assistant_request_context(pool, &f, &q, test_zone_fn, NULL, &before, offers,
                                            &noffers));
    ck_assert(kf_fields_has(&f, "context"));
    ck_assert(!kf_fields_has(&f, "tz"));   /* the first problem is told */
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    q.context = NULL;
    q.tz = "Europe/Madrid";
    ck_assert(!kf_assistant_request_context(pool, &f, &q, test_zone_fn, NULL, &before, offers,
                                            &noffers));
    ck_assert(kf_fields_ok(&f));
}
END_TEST

/* A follow-up is read over the intent before it, in the question's zone unless the sentence
 * named one; a zone this system cannot load is answered in UTC. */
START_TEST(a_follow_up_keeps_what_it_does_not_change)
{
    apr_int64_t now = at(2026, 11, 25, 15, 0);
    kf_intent before = parse_at("el viernes con Ana", now, "America/Bogota");
    kf_assistant_request q = {"por la tarde", "Europe/Madrid", "ctx"};
    kf_intent in = parse_at("por la tarde", now, "America/Bogota");
    kf_assistant_request_settle(&q, &before, test_zone_fn, NULL, &in);
    ck_assert_str_eq(in.professional, PRO_ANA);
    ck_assert_int_eq(in.part, KF_PART_AFTERNOON);
    ck_assert_str_eq(in.timezone, "Europe/Madrid");
    in = parse_at("por la tarde, hora de Lima", now, "America/Bogota");
    kf_assistant_request_settle(&q, &before, test_zone_fn, NULL, &in);
    ck_assert_str_eq(in.timezone, "America/Lima");
    in = parse_at("mañana", now, "America/Bogota");
    kf_assistant_request_settle(&q, NULL, test_zone_fn, NULL, &in);
    ck_assert_str_eq(in.timezone, "America/Bogota");   /* no follow-up: the parse's zone */
    ck_assert_ptr_null(in.professional);
    in.timezone = "Mars/Olympus";
    kf_assistant_request_settle(&q, NULL, test_zone_fn, NULL, &in);
    ck_assert_str_eq(in.timezone, "UTC");
}
END_TEST

/* The professionals' zones by the engine's index, loaded; NULL where none is known. */
START_TEST(the_professionals_zones_are_loaded_by_index)
{
    const char *names[] = {"Europe/Madrid", NULL, "America/Bogota"};
    const kf_zone **zs = kf_assistant_zones_of(pool, names, 3, test_zone_fn, NULL);
    ck_assert_ptr_nonnull(zs[0]);
    ck_assert_ptr_null(zs[1]);
    ck_assert_int_eq(kf_zone_offset(zs[2], at(2026, 11, 25, 15, 0)), -5 * 3600);
    ck_assert_ptr_null(zs[3]);
}
END_TEST

static const char *completion(const char *content)
{
    json_t *j = json_pack("{s:[{s:{s:s, s:s}}]}", "choices", "message", "role", "assistant",
                          "content", content);
    char *dump = json_dumps(j, 0);
    const char *out = apr_pstrdup(pool, dump);
    free(dump);
    json_decref(j);
    return out;
}

START_TEST(a_language_models_answer_is_checked_like_any_input)
{
    apr_int64_t now = at(2026, 11, 25, 15, 0), today = kf_days_from_civil(2026, 11, 25);
    const char *body = kf_assistant_llm_body(pool, "m", "mañana con la del pelo rizado, maria@correo.com",
                                             today, &test_catalog);
    ck_assert_ptr_null(strstr(body, "maria@correo.com"));
    ck_assert_ptr_nonnull(strstr(body, "Wais Hamid"));
    ck_assert_ptr_nonnull(strstr(body, "2026-11-25"));
    kf_assistant_llm llm;
    const char *good = completion("{\"service\": null, \"professional\": \"lucía pérez\", "
                                  "\"from\": \"2026-11-27\", \"to\": \"2026-11-26\", \"part_of_day\": \"evening\", "
                                  "\"earliest\": \"18:30\", \"latest\": null}");
    ck_assert(kf_assistant_llm_read(pool, good, strlen(good), today, &test_catalog, &llm));
    ck_assert_str_eq(llm.professional, PRO_LUCIA);
    ck_assert_int_eq(llm.from, kf_days_from_civil(2026, 11, 27));
    ck_assert_int_eq(llm.to, llm.from);            /* a range that ends before it starts */
    ck_assert_int_eq(llm.part, KF_PART_EVENING);
    ck_assert_int_eq(llm.earliest, 18 * 60 + 30);
    kf_intent in = parse_at("mañana con la del pelo rizado", now, "America/Bogota");
    kf_assistant_llm_apply(&llm, &test_catalog, &in);
    ck_assert_str_eq(in.professional, PRO_LUCIA);
    ck_assert_str_eq(in.service, SVC_MASSAGE);     /* Lucía's first service */
    ck_assert_int_eq(in.from, kf_days_from_civil(2026, 11, 26));   /* the parser's date stays */
    ck_assert_int_eq(in.not_understood->nelts, 0);
    const char *bad = completion("{\"service\": \"Tarot\", \"professional\": \"Zeus\", "
                                 "\"from\": \"2027-06-01\", \"earliest\": \"7pm\"}");
    ck_assert(kf_assistant_llm_read(pool, bad, strlen(bad), today, &test_catalog, &llm));
    ck_assert_ptr_null(llm.service);
    ck_assert_ptr_null(llm.professional);
    ck_assert_int_eq(llm.from, -1);
    ck_assert_int_eq(llm.earliest, -1);
    kf_intent kept = parse_at("mañana con la del pelo rizado", now, "America/Bogota");
    kf_assistant_llm_apply(&llm, &test_catalog, &kept);
    ck_assert_int_eq(kept.not_understood->nelts, 1);
    const char *garbage = completion("not json");
    ck_assert(!kf_assistant_llm_read(pool, garbage, strlen(garbage), today, &test_catalog, &llm));
    ck_assert(!kf_assistant_llm_read(pool, "[]", 2, today, &test_catalog, &llm));
}
END_TEST

/* The key file's first line is the key, read each time it is asked; an empty, missing or
 * oversized file is no key. */
START_TEST(the_language_models_key_is_its_files_first_line)
{
    char dir[] = "/tmp/kf_test_assistant.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const char *path = apr_pstrcat(pool, dir, "/key", NULL);
    const char *contents[] = {"sk-one\n", "sk-two\r\nignored\n", "\n", ""};
    const char *keys[] = {"sk-one", "sk-two", NULL, NULL};
    for (int i = 0; i < 4; i++) {
        FILE *f = fopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        fputs(contents[i], f);
        fclose(f);
        const char *key = kf_assistant_llm_key(pool, path);
        if (keys[i]) {
            ck_assert_str_eq(key, keys[i]);
        }
        else {
            ck_assert_ptr_null(key);
        }
    }
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 4096; i++) {
        fputc('k', f);
    }
    fclose(f);
    ck_assert_ptr_null(kf_assistant_llm_key(pool, path));
    unlink(path);
    ck_assert_ptr_null(kf_assistant_llm_key(pool, path));
    ck_assert_ptr_null(kf_assistant_llm_key(pool, NULL));
    rmdir(dir);
}
END_TEST

/* The question to the endpoint: JSON POSTed with the key as Bearer (none without a key),
 * bounded in time and size. */
START_TEST(the_language_model_is_asked_by_a_json_post)
{
    apr_int64_t today = kf_days_from_civil(2026, 11, 25);
    kf_http_request *req = kf_assistant_llm_request(pool, "https://llm.example/v1", "m", "sk-1",
                                                    "mañana", today, &test_catalog, 4);
    ck_assert_str_eq(req->method, "POST");
    ck_assert_str_eq(req->url, "https://llm.example/v1");
    ck_assert_str_eq(apr_table_get(req->headers, "Content-Type"), "application/json");
    ck_assert_str_eq(apr_table_get(req->headers, "Authorization"), "Bearer sk-1");
    ck_assert_str_eq(req->body, kf_assistant_llm_body(pool, "m", "mañana", today, &test_catalog));
    ck_assert_uint_eq(req->body_len, strlen(req->body));
    ck_assert_int_eq(req->timeout_ms, 4000);
    ck_assert_uint_eq(req->max_response_bytes, 64 * 1024);
    req = kf_assistant_llm_request(pool, "https://llm.example/v1", "m", NULL, "mañana", today,
                                   &test_catalog, 4);
    ck_assert_ptr_null(apr_table_get(req->headers, "Authorization"));
}
END_TEST

/* The fields a body's reading refused. */
static const char *refused(const char *json)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    json_t *body = json_loads(json, 0, NULL);
    kf_assistant_request q;
    kf_assistant_request_read(&f, body, &q);
    json_decref(body);
    json_t *errors = kf_fields_take(&f);
    const char *key, *out = "";
    json_t *v;
    json_object_foreach(errors, key, v) {
        out = apr_pstrcat(pool, out, *out ? "," : "", key, NULL);
    }
    json_decref(errors);
    return out;
}

START_TEST(questions_are_checked_field_by_field)
{
    ck_assert_str_eq(refused("{\"text\": \"mañana\"}"), "");
    ck_assert_str_eq(refused("{\"text\": \"mañana\", \"tz\": null, \"context\": null}"), "");
    ck_assert_str_eq(refused("{}"), "text");
    ck_assert_str_eq(refused("{\"text\": \" \\n \"}"), "text");
    ck_assert_str_eq(refused("{\"text\": 3, \"tz\": \"../etc\", \"context\": 5}"), "text,tz,context");
    char body[700];
    snprintf(body, sizeof(body), "{\"text\": \"%0501d\"}", 0);
    ck_assert_str_eq(refused(body), "text");
    snprintf(body, sizeof(body), "{\"text\": \"%0500d\"}", 0);
    ck_assert_str_eq(refused(body), "");
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_ES);
    json_t *opened = json_pack("{s:s}", "event", "opened"), *other = json_pack("{s:s}", "event", "booked");
    ck_assert_str_eq(kf_assistant_event_read(&f, opened), "assistant_opened");
    ck_assert_ptr_null(kf_assistant_event_read(&f, other));
    ck_assert(kf_fields_has(&f, "event"));
    json_decref(opened);
    json_decref(other);
}
END_TEST

START_TEST(the_links_rows_make_its_catalog)
{
    const char *link[] = {"L", "ok", "America/Bogota", NULL, NULL, NULL, NULL};
    const char *cut[] = {"S", SVC_CUT, "Corte", "30", NULL, NULL, "8"};
    const char *ana[] = {"P", PRO_ANA, "Ana", NULL, "America/Bogota", SVC_CUT "," SVC_NAILS, NULL};
    const char *lucia[] = {"P", PRO_LUCIA, "Lucía", NULL, "Europe/Madrid", NULL, NULL};
    const char *const *rows[] = {link, cut, ana, lucia};
    kf_assistant_catalog cat;
    const char *status = NULL, *zone = NULL;
    kf_assistant_catalog_of_rows(pool, rows, 4, &cat, &status, &zone);
    ck_assert_str_eq(status, "ok");
    ck_assert_str_eq(zone, "America/Bogota");
    ck_assert_int_eq(cat.nservices, 1);
    ck_assert_int_eq(cat.services[0].minutes, 30);
    ck_assert_int_eq(cat.services[0].capacity, 8);
    ck_assert_int_eq(cat.nprofessionals, 2);
    ck_assert_str_eq(cat.professionals[0].offers[1], SVC_NAILS);
    ck_assert_ptr_null(cat.professionals[0].offers[2]);
    ck_assert_ptr_null(cat.professionals[1].offers[0]);
    /* a context names this catalog's ids only */
    kf_intent before = {0};
    before.service = SVC_CUT;
    before.professional = "any";
    ck_assert(kf_assistant_catalog_names(&cat, &before));
    before.professional = PRO_WAIS;
    ck_assert(!kf_assistant_catalog_names(&cat, &before));
    before.professional = NULL;
    before.service = SVC_FACIAL;
    ck_assert(!kf_assistant_catalog_names(&cat, &before));
    const char *const ids[] = {PRO_LUCIA, PRO_WAIS, PRO_ANA};
    const char **zones = kf_assistant_catalog_zones(pool, &cat, ids, 3);
    ck_assert_str_eq(zones[0], "Europe/Madrid");
    ck_assert_ptr_null(zones[1]);
    ck_assert_str_eq(zones[2], "America/Bogota");
    /* no link row: the link's status is unknown */
    kf_assistant_catalog_of_rows(pool, rows + 1, 1, &cat, &status, &zone);
    ck_assert_str_eq(status, "internal_error");
}
END_TEST

START_TEST(three_weeks_are_read_or_up_to_the_last_day_asked)
{
    apr_int64_t today = kf_days_from_civil(2026, 12, 30);
    kf_intent in = {0};
    in.to = today;
    const char *first = NULL;
    ck_assert_int_eq(kf_assistant_days_to_read(pool, &in, today, 62, &first), 21);
    ck_assert_str_eq(first, "2026-12-30");
    in.to = today + 30;
    ck_assert_int_eq(kf_assistant_days_to_read(pool, &in, today, 62, &first), 38);
    in.to = today + 90;
    ck_assert_int_eq(kf_assistant_days_to_read(pool, &in, today, 62, &first), 62);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assistant");
    TCase *tc = tcase_create("assistant");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, words_fold_accents_and_keep_spans);
    tcase_add_test(tc, parts_of_the_day_are_human_hours_in_the_customers_zone);
    tcase_add_test(tc, tomorrow_is_counted_in_the_customers_zone);
    tcase_add_test(tc, what_is_not_understood_is_reported);
    tcase_add_test(tc, times_out_of_any_clock_are_not_times);
    tcase_add_test(tc, exclusions_and_follow_ups);
    tcase_add_test(tc, diminutives_and_misspellings_are_read_as_their_words);
    tcase_add_test(tc, noon_bounds_the_day_in_the_customers_zone);
    tcase_add_test(tc, only_words_that_did_nothing_are_not_understood);
    tcase_add_test(tc, slots_answer_the_intent_or_say_why);
    tcase_add_test(tc, context_round_trips_and_refuses_garbage);
    tcase_add_test(tc, a_language_models_answer_is_checked_like_any_input);
    tcase_add_test(tc, a_questions_context_and_zone_are_checked);
    tcase_add_test(tc, a_follow_up_keeps_what_it_does_not_change);
    tcase_add_test(tc, the_professionals_zones_are_loaded_by_index);
    tcase_add_test(tc, the_language_models_key_is_its_files_first_line);
    tcase_add_test(tc, the_language_model_is_asked_by_a_json_post);
    tcase_add_test(tc, questions_are_checked_field_by_field);
    tcase_add_test(tc, the_links_rows_make_its_catalog);
    tcase_add_test(tc, three_weeks_are_read_or_up_to_the_last_day_asked);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
