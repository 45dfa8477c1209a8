/* Unit suite for lib/catalog/kf_location.c: a service's location and a professional's video_url as
 * the admin API accepts them, the override, and the shapes written back. */
#include "kf_check_fields.h"
#include "kf_location.h"

#include <apr_strings.h>
#include <string.h>

static const char *dumped(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(j);
    const char *copy = apr_pstrdup(pool, s);
    free(s);
    return copy;
}

START_TEST(each_type_round_trips)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    const char *bodies[] = {
        "{\"location\": {\"type\": \"in_person\", \"address\": \"Calle 93 #11-27\"}}",
        "{\"location\": {\"type\": \"video\", \"url\": \"https://meet.example.com/abc\"}}",
        "{\"location\": {\"type\": \"phone\", \"instructions\": \"Te llamamos al +57 300\"}}",
    };
    const char *back[] = {
        "{\"type\":\"in_person\",\"address\":\"Calle 93 #11-27\"}",
        "{\"type\":\"video\",\"url\":\"https://meet.example.com/abc\"}",
        "{\"type\":\"phone\",\"instructions\":\"Te llamamos al +57 300\"}",
    };
    for (int i = 0; i < 3; i++) {
        kf_location loc = {KF_LOCATION_NONE, NULL, KF_VIDEO_URL};
        ck_assert_int_eq(kf_location_field(&f, parse(bodies[i]), &loc), KF_FIELD_VALUE);
        ck_assert_str_eq(dumped(kf_location_json(&loc)), back[i]);
    }
    ck_assert(kf_fields_ok(&f));
}
END_TEST

START_TEST(null_clears_and_absent_keeps)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_location loc = {KF_LOCATION_PHONE, "x", KF_VIDEO_URL};
    ck_assert_int_eq(kf_location_field(&f, parse("{}"), &loc), KF_FIELD_SKIPPED);
    ck_assert_int_eq(loc.type, KF_LOCATION_PHONE);
    ck_assert_int_eq(kf_location_field(&f, parse("{\"location\": null}"), &loc), KF_FIELD_VALUE);
    ck_assert_int_eq(loc.type, KF_LOCATION_NONE);
    ck_assert_str_eq(dumped(kf_location_json(&loc)), "null");
    ck_assert_ptr_null(kf_location_lugar_json(&loc));
    ck_assert(kf_fields_ok(&f));
}
END_TEST

START_TEST(bad_locations_name_the_field)
{
    struct { const char *body, *path, *message; } cases[] = {
        {"{\"location\": \"Calle 1\"}", "location", "Must be an object."},
        {"{\"location\": {}}", "location.type", "This field is required."},
        {"{\"location\": {\"type\": \"zoom\"}}", "location.type", "Must be in_person, video or phone."},
        {"{\"location\": {\"type\": \"video\", \"url\": \"http://meet.example.com/a\"}}",
         "location.url", "Must be a valid URL starting with https://."},
        {"{\"location\": {\"type\": \"video\", \"url\": \"javascript:alert(1)\"}}",
         "location.url", "Must be a valid URL starting with https://."},
        {"{\"location\": {\"type\": \"video\"}}", "location.url", "This field is required."},
        {"{\"location\": {\"type\": \"in_person\", \"url\": \"https://x.co\"}}",
         "location.address", "This field is required."},
        {"{\"location\": {\"type\": \"phone\", \"instructions\": \"\"}}",
         "location.instructions", "Must be 1 to 500 characters long."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kf_fields f;
        kf_fields_init(&f, pool, KF_LOCALE_EN);
        kf_location loc = {KF_LOCATION_NONE, NULL, KF_VIDEO_URL};
        ck_assert_int_eq(kf_location_field(&f, parse(cases[i].body), &loc), KF_FIELD_BAD);
        ck_assert_msg(error_of(&f, cases[i].path), "%s: no error at %s", cases[i].body,
                      cases[i].path);
        ck_assert_str_eq(error_of(&f, cases[i].path), cases[i].message);
        ck_assert_int_eq(loc.type, KF_LOCATION_NONE);
    }
    /* 500 code points are fine, 501 are not (ñ is two bytes) */
    char text[1200];
    memset(text, 0, sizeof text);
    for (int i = 0; i < 500; i++) {
        memcpy(text + 2 * i, "ñ", 2);
    }
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_location loc;
    json_t *o = json_pack("{s:{s:s, s:s}}", "location", "type", "in_person", "address", text);
    ck_assert_int_eq(kf_location_field(&f, o, &loc), KF_FIELD_VALUE);
    json_decref(o);
    memcpy(text + 1000, "ñ", 2);
    o = json_pack("{s:{s:s, s:s}}", "location", "type", "in_person", "address", text);
    ck_assert_int_eq(kf_location_field(&f, o, &loc), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "location.address"), "Must be 1 to 500 characters long.");
    json_decref(o);
}
END_TEST

START_TEST(professional_video_url)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_ES);
    const char *url = "untouched";
    ck_assert_int_eq(kf_location_video_url_field(&f, parse("{}"), &url), KF_FIELD_SKIPPED);
    ck_assert_int_eq(kf_location_video_url_field(&f, parse("{\"video_url\": null}"), &url),
                     KF_FIELD_VALUE);
    ck_assert_ptr_null(url);
    ck_assert_int_eq(kf_location_video_url_field(
                         &f, parse("{\"video_url\": \"https://meet.example.com/nunez\"}"), &url),
                     KF_FIELD_VALUE);
    ck_assert_str_eq(url, "https://meet.example.com/nunez");
    ck_assert(kf_fields_ok(&f));
    ck_assert_int_eq(kf_location_video_url_field(
                         &f, parse("{\"video_url\": \"http://meet.example.com/x\"}"), &url),
                     KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "video_url"),
                     "Debe ser una URL válida que empiece por https://.");
}
END_TEST

START_TEST(professional_overrides_only_video)
{
    kf_location v = kf_location_resolve(KF_LOCATION_VIDEO, "https://meet.example.com/room",
                                        "https://meet.example.com/nunez");
    ck_assert_str_eq(v.value, "https://meet.example.com/nunez");
    v = kf_location_resolve(KF_LOCATION_VIDEO, "https://meet.example.com/room", NULL);
    ck_assert_str_eq(v.value, "https://meet.example.com/room");
    kf_location a = kf_location_resolve(KF_LOCATION_IN_PERSON, "Calle 1",
                                        "https://meet.example.com/nunez");
    ck_assert_str_eq(a.value, "Calle 1");
    kf_location n = kf_location_resolve(KF_LOCATION_NONE, NULL, "https://meet.example.com/nunez");
    ck_assert_int_eq(n.type, KF_LOCATION_NONE);
    ck_assert_ptr_null(kf_location_lugar_json(&n));
    ck_assert_str_eq(dumped(kf_location_lugar_json(&a)),
                     "{\"tipo\":\"presencial\",\"direccion\":\"Calle 1\"}");
    kf_location p = {KF_LOCATION_PHONE, "Te llamamos", KF_VIDEO_URL};
    ck_assert_str_eq(dumped(kf_location_lugar_json(&p)),
                     "{\"tipo\":\"telefono\",\"indicaciones\":\"Te llamamos\"}");
}
END_TEST

/* The ICS with its folded lines joined again, as a calendar reads it. */
static const char *unfolded(const char *ics)
{
    char *out = apr_pstrdup(pool, ics), *w = out;
    for (const char *r = ics; *r; r++) {
        if (r[0] == '\r' && r[1] == '\n' && r[2] == ' ') {
            r += 2;
            continue;
        }
        *w++ = *r;
    }
    *w = 0;
    return out;
}

START_TEST(invite_carries_the_place)
{
    kf_ics_event ev = {0};
    ev.method = KF_ICS_REQUEST;
    ev.uid = "b-1@example.com";
    ev.start = apr_time_from_sec(1796133600);   /* 2026-12-01T14:00:00Z */
    ev.end = apr_time_from_sec(1796135400);
    ev.stamp = apr_time_from_sec(1795600000);
    ev.summary = "Consulta";
    ev.description = "Gestiona tu cita: https://b.example.com/book/manage/b-1";
    ev.url = "https://b.example.com/book/manage/b-1";
    /* a comma and a semicolon are escaped; the line is folded at 75 octets, before the á */
    kf_location a = {KF_LOCATION_IN_PERSON,
                     "Calle 93 #11-27, consultorio 402; Edificio Torre Núñez, Bogotá", KF_VIDEO_URL};
    kf_location_to_ics(pool, &a, KF_LOCALE_ES, &ev);
    const char *ics = kf_ics_build(pool, &ev);
    ck_assert_ptr_nonnull(ics);
    ck_assert_ptr_nonnull(strstr(ics, "LOCATION:Calle 93 #11-27\\, consultorio 402\\; Edificio "
                                      "Torre Núñez\\, Bogot\r\n á\r\n"));
    ck_assert_ptr_nonnull(strstr(unfolded(ics), "DESCRIPTION:Gestiona tu cita: "
                                                "https://b.example.com/book/manage/b-1\\nDirección: Calle 93 #11-27\\,"));
    ck_assert_ptr_nonnull(strstr(ics, "URL:https://b.example.com/book/manage/b-1\r\n"));

    ev.description = NULL;
    ev.location = NULL;
    kf_location v = {KF_LOCATION_VIDEO, "https://meet.example.com/abc-defg-hij", KF_VIDEO_URL};
    kf_location_to_ics(pool, &v, KF_LOCALE_EN, &ev);
    ics = kf_ics_build(pool, &ev);
    ck_assert_ptr_nonnull(strstr(ics, "DESCRIPTION:Video call: https://meet.example.com/abc-defg-hij\r\n"));
    ck_assert_ptr_nonnull(strstr(ics, "LOCATION:https://meet.example.com/abc-defg-hij\r\n"));
    /* the link the appointment is joined by is the invite's URL */
    ck_assert_ptr_nonnull(strstr(ics, "URL:https://meet.example.com/abc-defg-hij\r\n"));

    kf_ics_event plain = ev;
    kf_location none = {KF_LOCATION_NONE, NULL, KF_VIDEO_URL};
    kf_location_to_ics(pool, &none, KF_LOCALE_EN, &plain);
    ck_assert_ptr_eq(plain.description, ev.description);
    ck_assert_str_eq(kf_location_line(pool, &(kf_location){KF_LOCATION_PHONE, "Te llamamos", KF_VIDEO_URL},
                                      KF_LOCALE_ES), "Por teléfono: Te llamamos");
}
END_TEST

START_TEST(a_room_the_calendar_makes)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_location loc = {KF_LOCATION_NONE, NULL, KF_VIDEO_URL};
    /* the contract's keys, no URL: the booking's own link will follow */
    ck_assert_int_eq(kf_location_field(&f, parse("{\"location\": {\"tipo\": \"video\","
                                                 " \"proveedor\": \"google_meet\"}}"), &loc),
                     KF_FIELD_VALUE);
    ck_assert_int_eq(loc.provider, KF_VIDEO_GOOGLE_MEET);
    ck_assert_ptr_null(loc.value);
    ck_assert_str_eq(kf_location_conference(&loc), "google_meet");
    ck_assert(kf_location_link_pending(&loc));
    ck_assert_str_eq(dumped(kf_location_json(&loc)), "{\"type\":\"video\",\"provider\":\"google_meet\"}");
    ck_assert_str_eq(dumped(kf_location_lugar_json(&loc)), "{\"tipo\":\"video\"}");
    ck_assert_str_eq(kf_location_line(pool, &loc, KF_LOCALE_EN),
                     "Video call: the link will follow as soon as it is ready.");
    /* a fixed fallback URL with Teams */
    ck_assert_int_eq(kf_location_field(&f, parse("{\"location\": {\"type\": \"video\","
                                                 " \"provider\": \"teams\", \"url\": \"https://x.example/w\"}}"),
                                       &loc), KF_FIELD_VALUE);
    ck_assert_int_eq(loc.provider, KF_VIDEO_TEAMS);
    ck_assert_str_eq(loc.value, "https://x.example/w");
    ck_assert(!kf_location_link_pending(&loc));
    /* "url" is today's fixed URL, which it requires */
    ck_assert_int_eq(kf_location_field(&f, parse("{\"location\": {\"type\": \"video\","
                                                 " \"provider\": \"url\", \"url\": \"https://x.example/w\"}}"),
                                       &loc), KF_FIELD_VALUE);
    ck_assert_ptr_null(kf_location_conference(&loc));
    ck_assert(kf_fields_ok(&f));
    ck_assert_int_eq(kf_location_field(&f, parse("{\"location\": {\"type\": \"video\","
                                                 " \"provider\": \"url\"}}"), &loc), KF_FIELD_BAD);
    ck_assert_int_eq(kf_location_field(&f, parse("{\"location\": {\"type\": \"video\","
                                                 " \"provider\": \"zoom\"}}"), &loc), KF_FIELD_BAD);
    ck_assert_int_eq(kf_location_field(&f, parse("{\"location\": {\"type\": \"video\","
                                                 " \"provider\": \"google_meet\", \"url\": \"http://x\"}}"),
                                       &loc), KF_FIELD_BAD);
    /* a professional's place is video only */
    ck_assert_int_eq(kf_location_professional_field(&f, parse("{\"location\": {\"type\": \"phone\","
                                                              " \"instructions\": \"x\"}}"), &loc),
                     KF_FIELD_BAD);

    /* the booking's own link once made; the professional's provider replaces the service's */
    kf_location_source s = {"video", NULL, "google_meet", NULL, NULL, NULL};
    ck_assert(kf_location_link_pending(&(kf_location){kf_location_of(&s).type, NULL, KF_VIDEO_GOOGLE_MEET}));
    s.meeting_url = "https://meet.google.com/abc-defg-hij";
    kf_location got = kf_location_of(&s);
    ck_assert_str_eq(got.value, "https://meet.google.com/abc-defg-hij");
    kf_location_source pro = {"video", "https://meet.example.com/sala", NULL, NULL, "teams", NULL};
    got = kf_location_of(&pro);
    ck_assert_int_eq(got.provider, KF_VIDEO_TEAMS);
    ck_assert_ptr_null(got.value);
    /* a fixed URL never takes a meeting URL */
    kf_location_source fixed = {"video", "https://meet.example.com/sala", NULL, NULL, NULL,
                                "https://meet.google.com/zzz"};
    ck_assert_str_eq(kf_location_of(&fixed).value, "https://meet.example.com/sala");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("location");
    TCase *tc = tcase_create("location");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, each_type_round_trips);
    tcase_add_test(tc, null_clears_and_absent_keeps);
    tcase_add_test(tc, bad_locations_name_the_field);
    tcase_add_test(tc, professional_video_url);
    tcase_add_test(tc, professional_overrides_only_video);
    tcase_add_test(tc, invite_carries_the_place);
    tcase_add_test(tc, a_room_the_calendar_makes);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
