/* The booking assistant's parser against a corpus of Spanish and English sentences
 * (tests/unit/assistant_corpus.tsv) with the intent each asks for, at a fixed instant
 * (Wednesday 2026-11-25 10:00 in Bogotá): at least 95 % read exactly as written, each in
 * well under a millisecond. */
#include "kf_check_assistant.h"
#include "kf_time.h"

#include <apr_strings.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#define CORPUS KF_SRCDIR "/tests/unit/assistant_corpus.tsv"

static const char *dash(const char *s)
{
    return s ? s : "-";
}

static const char *day_text(apr_int64_t day)
{
    int y, m, d;
    kf_civil_from_days(day, &y, &m, &d);
    return apr_psprintf(pool, "%04d-%02d-%02d", y, m, d);
}

/* The intent as the corpus writes it: service, professional, from, to, part, earliest,
 * latest, zone (tab-separated, "-" for none); ids by their catalog names' first word. */
static const char *short_id(const char *id)
{
    static const struct { const char *id, *name; } names[] = {
        {SVC_CUT, "cut"}, {SVC_MASSAGE, "massage"}, {SVC_NAILS, "nails"}, {SVC_FACIAL, "facial"},
        {PRO_ANA, "ana"}, {PRO_WAIS, "wais"}, {PRO_LUCIA, "lucia"}, {PRO_SANTIAGO, "santiago"}};
    for (size_t i = 0; id && i < sizeof(names) / sizeof(names[0]); i++) {
        if (!strcmp(id, names[i].id)) {
            return names[i].name;
        }
    }
    return dash(id);
}

static const char *intent_line(const kf_intent *in)
{
    static const char *const parts[] = {"-", "morning", "afternoon", "evening"};
    return apr_psprintf(pool, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", short_id(in->service),
                        short_id(in->professional), day_text(in->from), day_text(in->to),
                        parts[in->part],
                        in->earliest >= 0 ? kf_assistant_hhmm(pool, in->earliest) : "-",
                        in->latest >= 0 ? kf_assistant_hhmm(pool, in->latest) : "-", in->timezone);
}

START_TEST(corpus_reads_at_least_95_percent)
{
    FILE *f = fopen(CORPUS, "r");
    ck_assert_msg(f != NULL, "cannot open %s", CORPUS);
    apr_int64_t now = kf_days_from_civil(2026, 11, 25) * 86400 + 15 * 3600;
    char line[2048];
    int total = 0, passed = 0;
    double seconds = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') {
            continue;
        }
        char *tab = strchr(line, '\t');
        ck_assert_msg(tab != NULL, "corpus line without intent: %s", line);
        *tab = 0;
        const char *text = line, *want = tab + 1;
        kf_intent in;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        kf_assistant_parse(pool, text, now, "America/Bogota", KF_LOCALE_ES, test_zone_fn, NULL,
                           &test_catalog, &in);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        seconds += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        const char *got = intent_line(&in);
        total++;
        if (!strcmp(got, want)) {
            passed++;
        }
        else {
            fprintf(stderr, "MISS %s\n   want %s\n   got  %s\n", text, want, got);
        }
    }
    fclose(f);
    fprintf(stderr, "assistant corpus: %d of %d sentences (%.1f %%), %.3f ms per sentence\n",
            passed, total, 100.0 * passed / (total ? total : 1), 1000.0 * seconds / (total ? total : 1));
    ck_assert_int_ge(total, 300);
    ck_assert_msg(passed * 100 >= total * 95, "only %d of %d sentences read as written", passed, total);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assistant_corpus");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, corpus_reads_at_least_95_percent);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
