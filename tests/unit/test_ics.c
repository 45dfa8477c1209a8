#include "kf_check.h"
#include "kf_ics.h"

#include <string.h>

/* 2026-12-01 15:00:00 UTC */
#define T0 (apr_time_from_sec(1796137200))

static kf_ics_event booking_event(void)
{
    kf_ics_event ev = {0};
    ev.method = KF_ICS_REQUEST;
    ev.uid = "0b5e4a2c-1111-4222-8333-444455556666@konfirmado.example";
    ev.sequence = 0;
    ev.start = T0;
    ev.end = T0 + apr_time_from_sec(45 * 60);
    ev.stamp = T0 - apr_time_from_sec(86400);
    ev.summary = "Consulta de valoración · Clínica Aurora";
    ev.description = "Con Dra. Ana Restrepo.\nGestiona tu reserva: https://x.example/book/manage/1";
    ev.url = "https://x.example/book/manage/1?token=abc";
    ev.organizer_name = "Clínica Aurora, Sede \"Norte\"";
    ev.organizer_email = "reservas@aurora.example";
    ev.attendee_name = "María Pérez";
    ev.attendee_email = "maria@example.com";
    return ev;
}

START_TEST(text_is_escaped_and_round_trips)
{
    ck_assert_str_eq(kf_ics_escape_text(pool, "a,b;c\\d\ne\r\nf\rg"),
                     "a\\,b\\;c\\\\d\\ne\\nf\\ng");
    ck_assert_str_eq(kf_ics_escape_text(pool, "tab\there\x01\x7f!"), "tab\there!");
    ck_assert_str_eq(kf_ics_escape_text(pool, NULL), "");
    const char *s = "Línea 1, con; todo\\ y\nlínea 2";
    ck_assert_str_eq(kf_ics_unescape_text(pool, kf_ics_escape_text(pool, s)), s);
    ck_assert_str_eq(kf_ics_unescape_text(pool, "a\\Nb"), "a\nb");
}
END_TEST

/* Every physical line of `text` is at most 75 octets and ends with CRLF, and no line
 * starts with a UTF-8 continuation byte. */
static void assert_folded(const char *text)
{
    const char *line = text;
    while (*line) {
        const char *crlf = strstr(line, "\r\n");
        ck_assert_ptr_nonnull(crlf);
        ck_assert_msg(crlf - line <= 75, "line of %d octets", (int)(crlf - line));
        ck_assert_msg(((unsigned char)line[0] & 0xc0) != 0x80 &&
                      (line == text || line[0] != ' ' || ((unsigned char)line[1] & 0xc0) != 0x80),
                      "a line starts inside a character");
        line = crlf + 2;
    }
}

START_TEST(long_lines_fold_at_75_octets_between_characters)
{
    char ascii[301];
    memset(ascii, 'x', 300);
    ascii[300] = '\0';
    const char *f = kf_ics_fold(pool, ascii);
    assert_folded(f);
    ck_assert_int_eq(strlen(f), 300 + 3 * 4 + 2);   /* 75 + 74*3 + 3 octets: four folds */
    ck_assert_int_eq(strncmp(f + 75, "\r\n x", 4), 0);
    /* two-byte characters never split */
    char accents[401] = "";
    for (int i = 0; i < 100; i++) {
        strcat(accents, "é");
    }
    strcat(accents, "ñ");
    assert_folded(kf_ics_fold(pool, accents));
    /* a short line is untouched */
    ck_assert_str_eq(kf_ics_fold(pool, "VERSION:2.0"), "VERSION:2.0\r\n");
}
END_TEST

START_TEST(a_request_has_what_calendars_need)
{
    kf_ics_event ev = booking_event();
    const char *ics = kf_ics_build(pool, &ev);
    ck_assert_ptr_nonnull(ics);
    assert_folded(ics);
    ck_assert_int_eq(strncmp(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30), 0);
    ck_assert_ptr_nonnull(strstr(ics, "\r\nMETHOD:REQUEST\r\n"));
    ck_assert_ptr_nonnull(strstr(ics, "\r\nUID:0b5e4a2c-1111-4222-8333-444455556666@konfirmado.ex"));
    ck_assert_ptr_nonnull(strstr(ics, "\r\nSEQUENCE:0\r\n"));
    ck_assert_ptr_nonnull(strstr(ics, "\r\nDTSTART:20261201T150000Z\r\n"));
    ck_assert_ptr_nonnull(strstr(ics, "\r\nDTEND:20261201T154500Z\r\n"));
    ck_assert_ptr_nonnull(strstr(ics, "\r\nDTSTAMP:20261130T150000Z\r\n"));
    ck_assert_ptr_nonnull(strstr(ics, "\r\nSUMMARY:Consulta de valoración · Clínica Aurora\r\n"));
    ck_assert_ptr_nonnull(strstr(ics, "\r\nDESCRIPTION:Con Dra. Ana Restrepo.\\nGestiona tu reserva: "));
    /* the quote inside the business's name cannot end the CN parameter */
    ck_assert_ptr_nonnull(strstr(ics, "\r\nORGANIZER;CN=\"Clínica Aurora, Sede Norte\":mailto:reservas@aurora.example\r\n"));
    ck_assert_ptr_nonnull(strstr(ics, "\r\nATTENDEE;CN=\"María Pérez\";ROLE=REQ-PARTICIPANT;"));
    ck_assert_ptr_nonnull(strstr(ics, "\r\nSTATUS:CONFIRMED\r\n"));
    const char *end = "END:VEVENT\r\nEND:VCALENDAR\r\n";
    ck_assert_str_eq(ics + strlen(ics) - strlen(end), end);
}
END_TEST

START_TEST(a_cancellation_keeps_the_uid_and_says_cancelled)
{
    kf_ics_event ev = booking_event();
    ev.method = KF_ICS_CANCEL;
    ev.sequence = 3;
    const char *ics = kf_ics_build(pool, &ev);
    ck_assert_ptr_nonnull(strstr(ics, "\r\nMETHOD:CANCEL\r\n"));
    ck_assert_ptr_nonnull(strstr(ics, "\r\nSTATUS:CANCELLED\r\n"));
    ck_assert_ptr_nonnull(strstr(ics, "\r\nSEQUENCE:3\r\n"));
    ck_assert_ptr_nonnull(strstr(ics, "\r\nUID:0b5e4a2c-1111-4222-8333-444455556666@"));
    ev.method = KF_ICS_PUBLISH;
    ck_assert_ptr_nonnull(strstr(kf_ics_build(pool, &ev), "\r\nMETHOD:PUBLISH\r\n"));
    /* a calendar's own copy (CalDAV) carries no METHOD at all (RFC 4791 4.1) */
    ev.method = KF_ICS_STORED;
    const char *stored = kf_ics_build(pool, &ev);
    ck_assert_ptr_null(strstr(stored, "METHOD"));
    ck_assert_ptr_nonnull(strstr(stored, "\r\nSTATUS:CONFIRMED\r\n"));
}
END_TEST

START_TEST(optional_parts_are_left_out)
{
    kf_ics_event ev = booking_event();
    ev.description = NULL;
    ev.url = NULL;
    ev.organizer_email = NULL;
    ev.attendee_email = "";
    const char *ics = kf_ics_build(pool, &ev);
    ck_assert_ptr_null(strstr(ics, "DESCRIPTION"));
    ck_assert_ptr_null(strstr(ics, "URL:"));
    ck_assert_ptr_null(strstr(ics, "ORGANIZER"));
    ck_assert_ptr_null(strstr(ics, "ATTENDEE"));
}
END_TEST

/* A series' invite: every occurrence's VEVENT in one VCALENDAR, in order, each its own UID. */
START_TEST(a_series_invite_has_one_event_per_occurrence)
{
    kf_ics_event first = booking_event(), second = booking_event();
    second.uid = "second@k.example";
    second.start += apr_time_from_sec(7 * 86400);
    second.end += apr_time_from_sec(7 * 86400);
    const char *a = kf_ics_build(pool, &first), *b = kf_ics_build(pool, &second);
    const char *both = kf_ics_merge(pool, a, b);
    ck_assert_ptr_nonnull(both);
    const char *one = strstr(both, "BEGIN:VEVENT"), *two = strstr(one + 1, "BEGIN:VEVENT");
    ck_assert_ptr_nonnull(two);
    ck_assert_ptr_null(strstr(two + 1, "BEGIN:VEVENT"));
    ck_assert_ptr_nonnull(strstr(two, "UID:second@k.example"));
    ck_assert_ptr_null(strstr(both + 1, "BEGIN:VCALENDAR"));
    ck_assert_str_eq(both + strlen(both) - strlen("END:VCALENDAR\r\n"), "END:VCALENDAR\r\n");
    ck_assert_ptr_null(kf_ics_merge(pool, a, "not a calendar"));
}
END_TEST

START_TEST(broken_events_are_refused)
{
    kf_ics_event ev = booking_event();
    ev.end = ev.start;
    ck_assert_ptr_null(kf_ics_build(pool, &ev));
    ev = booking_event();
    ev.uid = NULL;
    ck_assert_ptr_null(kf_ics_build(pool, &ev));
    ev = booking_event();
    ev.attendee_email = "maria@example.com\r\nATTENDEE:mailto:x@evil.example";
    ck_assert_ptr_null(kf_ics_build(pool, &ev));
    ev = booking_event();
    ev.url = "https://x.example/\nX-INJECTED:1";
    ck_assert_ptr_null(kf_ics_build(pool, &ev));
    ev = booking_event();
    ev.sequence = -1;
    ck_assert_ptr_null(kf_ics_build(pool, &ev));
    /* text fields cannot add lines: their line ends are escaped */
    ev = booking_event();
    ev.summary = "Cita\r\nMETHOD:CANCEL";
    const char *ics = kf_ics_build(pool, &ev);
    ck_assert_ptr_nonnull(strstr(ics, "SUMMARY:Cita\\nMETHOD:CANCEL\r\n"));
    ck_assert_ptr_null(strstr(ics, "\r\nMETHOD:CANCEL\r\n"));
}
END_TEST

static Suite *ics_suite(void)
{
    Suite *s = suite_create("ics");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, text_is_escaped_and_round_trips);
    tcase_add_test(tc, long_lines_fold_at_75_octets_between_characters);
    tcase_add_test(tc, a_request_has_what_calendars_need);
    tcase_add_test(tc, a_cancellation_keeps_the_uid_and_says_cancelled);
    tcase_add_test(tc, optional_parts_are_left_out);
    tcase_add_test(tc, broken_events_are_refused);
    tcase_add_test(tc, a_series_invite_has_one_event_per_occurrence);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(ics_suite());
}
