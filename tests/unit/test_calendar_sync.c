/* Unit suite for lib/calendars/kf_calendar_sync.c, kf_calendar_links.c and kf_calendar_booking.c:
 * when a stored token is used, which busy times are read, what happens to a change channel,
 * where professionals and providers are sent, and the event a booking writes. */
#include "kf_check.h"
#include "kf_calendar.h"
#include "kf_calendar_booking.h"
#include "kf_calendar_links.h"
#include "kf_calendar_providers.h"
#include "kf_calendar_sync.h"
#include "kf_json.h"

#include <apr_strings.h>
#include <string.h>

#define NOW APR_INT64_C(1795000000)
#define DAY 86400

START_TEST(stored_access_token_is_used_while_it_lasts)
{
    ck_assert_int_eq(kf_calendar_access_usable("tok", NOW + 3600, NOW, NULL), 1);
    /* less than two minutes left: renewed first */
    ck_assert_int_eq(kf_calendar_access_usable("tok", NOW + 120, NOW, NULL), 0);
    ck_assert_int_eq(kf_calendar_access_usable("tok", NOW + 121, NOW, NULL), 1);
    ck_assert_int_eq(kf_calendar_access_usable("tok", 0, NOW, NULL), 0);
    ck_assert_int_eq(kf_calendar_access_usable(NULL, NOW + 3600, NOW, NULL), 0);
    /* the provider refused this very token: another is fetched, one renewed meanwhile is used */
    ck_assert_int_eq(kf_calendar_access_usable("tok", NOW + 3600, NOW, "tok"), 0);
    ck_assert_int_eq(kf_calendar_access_usable("tok2", NOW + 3600, NOW, "tok"), 1);
}
END_TEST

START_TEST(busy_times_are_read_from_a_day_back_past_the_horizon)
{
    apr_int64_t from = 0, to = 0;
    kf_calendar_busy_window(NOW, 14, &from, &to);
    ck_assert(from == NOW - DAY);
    ck_assert(to == NOW + 16 * DAY);
    /* no horizon, or an absurd one: a year and two days */
    kf_calendar_busy_window(NOW, 0, &from, &to);
    ck_assert(to == NOW + 368 * DAY);
    kf_calendar_busy_window(NOW, 5000, &from, &to);
    ck_assert(to == NOW + 368 * DAY);
    kf_calendar_busy_window(NOW, 365, &from, &to);
    ck_assert(to == NOW + 367 * DAY);
}
END_TEST

START_TEST(a_refused_access_token_is_renewed_once)
{
    ck_assert_int_eq(kf_calendar_busy_wants_new_token(&kf_calendar_google, KF_CAL_RETRY,
                                                      "HTTP 401 authError: Invalid Credentials"), 1);
    ck_assert_int_eq(kf_calendar_busy_wants_new_token(&kf_calendar_microsoft, KF_CAL_RETRY,
                                                      "HTTP 401 InvalidAuthenticationToken"), 1);
    /* a provider that is down is not helped by a new token */
    ck_assert_int_eq(kf_calendar_busy_wants_new_token(&kf_calendar_google, KF_CAL_RETRY,
                                                      "HTTP 503"), 0);
    ck_assert_int_eq(kf_calendar_busy_wants_new_token(&kf_calendar_google, KF_CAL_RETRY, NULL), 0);
    /* Cal.com's key is the key: nothing to refresh */
    ck_assert_int_eq(kf_calendar_busy_wants_new_token(&kf_calendar_calcom, KF_CAL_RETRY,
                                                      "HTTP 401"), 0);
    ck_assert_int_eq(kf_calendar_busy_wants_new_token(&kf_calendar_google, KF_CAL_REVOKED,
                                                      "HTTP 401"), 0);
}
END_TEST

START_TEST(channel_is_kept_renewed_or_opened)
{
    kf_cal_channel none = {NULL, NULL, 0, NULL};
    /* CalDAV notifies nothing: polled, never a channel to open */
    ck_assert_int_eq(kf_calendar_channel_plan(&kf_calendar_caldav, &none, NULL, "primary", NOW),
                     KF_CAL_CHANNEL_KEEP);
    ck_assert_int_eq(kf_calendar_channel_plan(&kf_calendar_google, &none, NULL, "primary", NOW),
                     KF_CAL_CHANNEL_OPEN);
    kf_cal_channel ch = {"ch-1", "res-1", NOW + 2 * DAY, NULL};
    ck_assert_int_eq(kf_calendar_channel_plan(&kf_calendar_google, &ch, "s", "primary", NOW),
                     KF_CAL_CHANNEL_KEEP);
    /* its secret lost: a channel we cannot verify is replaced */
    ck_assert_int_eq(kf_calendar_channel_plan(&kf_calendar_google, &ch, NULL, "primary", NOW),
                     KF_CAL_CHANNEL_OPEN);
    /* a day or less left: Graph renews in place, Google opens a new one */
    ch.expires_at = NOW + DAY;
    ck_assert_int_eq(kf_calendar_channel_plan(&kf_calendar_microsoft, &ch, "s", "primary", NOW),
                     KF_CAL_CHANNEL_RENEW);
    ck_assert_int_eq(kf_calendar_channel_plan(&kf_calendar_google, &ch, "s", "primary", NOW),
                     KF_CAL_CHANNEL_OPEN);
    /* Cal.com's webhook does not expire */
    kf_cal_channel hook = {"wh-1", NULL, 0, NULL};
    ck_assert_int_eq(kf_calendar_channel_plan(&kf_calendar_calcom, &hook, "s", "primary", NOW),
                     KF_CAL_CHANNEL_KEEP);
    /* on a calendar that no longer receives the events: a new one, even where Graph renews */
    kf_cal_channel moved = {"sub-1", NULL, NOW + 2 * DAY, "primary"};
    ck_assert_int_eq(kf_calendar_channel_plan(&kf_calendar_microsoft, &moved, "s", "clinic", NOW),
                     KF_CAL_CHANNEL_OPEN);
    ck_assert_int_eq(kf_calendar_channel_plan(&kf_calendar_microsoft, &moved, "s", "primary", NOW),
                     KF_CAL_CHANNEL_KEEP);
}
END_TEST

START_TEST(the_other_blocking_calendars_and_their_channels_are_read)
{
    apr_array_header_t *w = kf_calendar_watches_of(
        pool, NULL, "pro-1",
        "[[\"personal@group\", true, false, null, null, null, null],"
        " [\"clinic@group\", true, true, null, null, null, null],"
        " [\"sport@group\", false, false, \"ch-9\", \"res-9\", \"sealed\", 1795000000],"
        " [null, true, false]]");
    ck_assert_int_eq(w->nelts, 3);
    const kf_cal_watch *x = (const kf_cal_watch *)w->elts;
    /* blocks, does not receive: watched by its own channel, none open yet */
    ck_assert_str_eq(x[0].calendar_id, "personal@group");
    ck_assert_int_eq(x[0].wanted, 1);
    ck_assert_ptr_null(x[0].channel.id);
    /* the receiver is watched by the connection's own channel */
    ck_assert_int_eq(x[1].wanted, 0);
    /* unticked with a channel still open: to be closed */
    ck_assert_int_eq(x[2].wanted, 0);
    ck_assert_str_eq(x[2].channel.id, "ch-9");
    ck_assert_str_eq(x[2].channel.resource, "res-9");
    ck_assert_str_eq(x[2].channel.calendar, "sport@group");
    ck_assert(x[2].channel.expires_at == 1795000000);
    ck_assert_ptr_null(x[2].secret);   /* not opened without the keys */
    ck_assert_int_eq(kf_calendar_watches_of(pool, NULL, "pro-1", NULL)->nelts, 0);
    ck_assert_int_eq(kf_calendar_watches_of(pool, NULL, "pro-1", "{}")->nelts, 0);
}
END_TEST

START_TEST(busy_times_as_bigint_arrays)
{
    apr_array_header_t *busy = apr_array_make(pool, 2, sizeof(kf_cal_busy));
    ck_assert_str_eq(kf_calendar_busy_array(pool, busy, 0), "{}");
    kf_cal_busy *b = apr_array_push(busy);
    b->start = 100;
    b->end = 200;
    b = apr_array_push(busy);
    b->start = 300;
    b->end = 450;
    ck_assert_str_eq(kf_calendar_busy_array(pool, busy, 0), "{100,300}");
    ck_assert_str_eq(kf_calendar_busy_array(pool, busy, 1), "{200,450}");
}
END_TEST

START_TEST(failure_reason_prefers_the_providers_words)
{
    ck_assert_str_eq(kf_calendar_failure_reason(KF_CAL_RETRY, "HTTP 503"), "HTTP 503");
    ck_assert_str_eq(kf_calendar_failure_reason(KF_CAL_RETRY, NULL), "retry");
    ck_assert_str_eq(kf_calendar_failure_reason(KF_CAL_FAILED, NULL), "failed");
}
END_TEST

START_TEST(links_from_the_public_url)
{
    const char *pub = "https://book.example.com/";
    ck_assert_str_eq(kf_calendar_invitation_url(pool, pub, "tok"),
                     "https://book.example.com/connect-calendar/tok");
    ck_assert_str_eq(kf_calendar_invitation_result_url(pool, pub, "tok", "google", "denied"),
                     "https://book.example.com/connect-calendar/tok?result=denied&provider=google");
    ck_assert_str_eq(kf_calendar_oauth_redirect_uri(pool, pub, &kf_calendar_microsoft),
                     "https://book.example.com/api/oauth/microsoft/callback");
    ck_assert_str_eq(kf_calendar_webhook_url(pool, pub, &kf_calendar_google, "t-1"),
                     "https://book.example.com/api/webhooks/google");
    ck_assert_str_eq(kf_calendar_webhook_url(pool, pub, &kf_calendar_calcom, "t-1"),
                     "https://book.example.com/api/webhooks/calcom/t-1");
    ck_assert_str_eq(kf_calendar_professional_url(pool, "https://book.example.com", "p-1"),
                     "https://book.example.com/dashboard/professionals/p-1");
}
END_TEST

/* The operator overrides some endpoints (the fakes in tests), not all. */
static const char *fake_urls(const char *name, const char *fallback, void *data)
{
    const char *const *pairs = data;
    for (int i = 0; pairs[i]; i += 2) {
        if (strcmp(pairs[i], name) == 0) {
            return pairs[i + 1];
        }
    }
    return fallback;
}

START_TEST(endpoints_follow_the_operators_urls)
{
    const char *pairs[] = {"google-token", "http://fake/token", "microsoft-login", "http://fake/ms",
                           "calcom", "http://fake/cal", NULL};
    kf_calendar_endpoints ep = kf_calendar_endpoints_of(&kf_calendar_google, fake_urls, pairs);
    ck_assert_str_eq(ep.auth_base, "https://accounts.google.com");
    ck_assert_str_eq(ep.token_base, "http://fake/token");
    ck_assert_str_eq(ep.api_base, "https://www.googleapis.com/calendar/v3");
    /* Microsoft's token endpoint is its login host */
    ep = kf_calendar_endpoints_of(&kf_calendar_microsoft, fake_urls, pairs);
    ck_assert_str_eq(ep.auth_base, "http://fake/ms");
    ck_assert_str_eq(ep.token_base, "http://fake/ms");
    ck_assert_str_eq(ep.api_base, "https://graph.microsoft.com/v1.0");
    ep = kf_calendar_endpoints_of(&kf_calendar_calcom, fake_urls, pairs);
    ck_assert_str_eq(ep.api_base, "http://fake/cal");
}
END_TEST

START_TEST(booking_event_says_what_and_who)
{
    kf_cal_booking b = {"b-1", "Consulta", "Clínica Sol", "Ana", "ana@example.com",
                        NOW, NOW + 1800, "America/Bogota", 0, NULL};
    kf_cal_event ev = kf_calendar_booking_event(pool, &b);
    ck_assert_str_eq(ev.summary, "Consulta \xE2\x80\x94 Ana");
    ck_assert_str_eq(ev.description, "Booked through Konfirmado for Clínica Sol.");
    ck_assert(ev.start == NOW && ev.end == NOW + 1800);
    ck_assert_str_eq(ev.timezone, "America/Bogota");
    ck_assert_str_eq(ev.reference, "b-1");
    ck_assert_str_eq(ev.customer_email, "ana@example.com");
    /* the customer is invited only when the tenant wants it */
    ck_assert_ptr_null(ev.attendee_email);
    b.customer_attendee = 1;
    ev = kf_calendar_booking_event(pool, &b);
    ck_assert_str_eq(ev.attendee_email, "ana@example.com");
    ck_assert_str_eq(ev.attendee_name, "Ana");
    b.customer_email = NULL;
    ev = kf_calendar_booking_event(pool, &b);
    ck_assert_ptr_null(ev.attendee_email);
}
END_TEST

START_TEST(a_class_has_one_event_that_lists_its_attendees)
{
    kf_cal_booking b = {"b-1", "Yoga", "Estudio Sol", "Ana", "ana@example.com",
                        NOW, NOW + 3600, "America/Bogota", 1,
                        "{\"capacity\": 10, \"names\": true, \"attendees\": [\"Ana\", \"\", \"Luis\"]}"};
    kf_cal_event ev = kf_calendar_booking_event(pool, &b);
    ck_assert_str_eq(ev.summary, "Yoga \xE2\x80\x94 class, 3 of 10 places");
    ck_assert_str_eq(ev.description, "Booked through Konfirmado for Estudio Sol.\n\n"
                                     "Attendees (3 of 10):\n1. Ana\n2. \xE2\x80\x94\n3. Luis");
    /* no customer is invited to a shared event (they would see each other), even when the
     * tenant invites its customers; Cal.com books it under its own summary */
    ck_assert_ptr_null(ev.attendee_email);
    ck_assert_ptr_null(ev.customer_name);
    ck_assert_ptr_null(ev.customer_email);
    ck_assert_str_eq(ev.reference, "b-1");
    /* without the merchant's leave, no name */
    b.class_json = "{\"capacity\": 10, \"names\": false, \"attendees\": [\"Ana\", \"Luis\"]}";
    ev = kf_calendar_booking_event(pool, &b);
    ck_assert_str_eq(ev.description, "Booked through Konfirmado for Estudio Sol.\n\n"
                                     "Attendees (2 of 10): their names are not shared.");
    ck_assert_ptr_null(strstr(ev.summary, "Ana"));
}
END_TEST

START_TEST(only_a_class_lead_writes_and_a_changed_class_is_written_again)
{
    const char *row[KF_CAL_EV_COLUMNS] = {
        "t", "p-1", "1796137200", "1796140800", "America/Bogota", "Yoga", "Ana",
        "ana@example.com", "f", "Estudio Sol", NULL, NULL, NULL, NULL, "t",
    };
    const char *cls = "{\"capacity\": 10, \"names\": true, \"attendees\": [\"Ana\"]}";
    row[KF_CAL_EV_COL_CLASS_LEAD] = "t";
    row[KF_CAL_EV_COL_CLASS] = cls;
    kf_cal_event_facts f = kf_calendar_event_facts_of(row);
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_CREATE);
    ck_assert_str_eq(kf_calendar_booking_of("b-1", row).class_json, cls);
    /* written as it is: in step */
    row[KF_CAL_EV_COL_EVENT_ID] = "ev-1";
    row[KF_CAL_EV_COL_WRITTEN_PROFESSIONAL] = "p-1";
    row[KF_CAL_EV_COL_WRITTEN_START] = "1796137200";
    row[KF_CAL_EV_COL_WRITTEN_END] = "1796140800";
    row[KF_CAL_EV_COL_WRITTEN_CLASS] = cls;
    f = kf_calendar_event_facts_of(row);
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_NOTHING);
    /* another customer joined: the same event, written again */
    row[KF_CAL_EV_COL_CLASS] = "{\"capacity\": 10, \"names\": true, \"attendees\": [\"Ana\", \"Luis\"]}";
    f = kf_calendar_event_facts_of(row);
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_MOVE);
    /* a seat with a lower number was booked since: this one's event goes (the new lead
     * writes the class's) */
    row[KF_CAL_EV_COL_CLASS_LEAD] = "f";
    f = kf_calendar_event_facts_of(row);
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_DELETE);
    /* a seat that never led writes nothing */
    row[KF_CAL_EV_COL_EVENT_ID] = NULL;
    f = kf_calendar_event_facts_of(row);
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_NOTHING);
}
END_TEST

START_TEST(an_event_row_reads_as_its_facts_and_its_booking)
{
    const char *row[KF_CAL_EV_COLUMNS] = {
        "t", "p-2", "1796137200", "1796139000", "America/Bogota", "Consulta", "Ana",
        "ana@example.com", "t", "Clínica Sol", "ev-9", "p-1", "1796050800", "1796052600", "f",
    };
    kf_cal_event_facts f = kf_calendar_event_facts_of(row);
    ck_assert(f.booked && !f.calendar);
    ck_assert_str_eq(f.professional_id, "p-2");
    ck_assert(f.start == 1796137200 && f.end == 1796139000);
    ck_assert_str_eq(f.event_id, "ev-9");
    ck_assert_str_eq(f.written_professional, "p-1");
    ck_assert(f.written_start == 1796050800 && f.written_end == 1796052600);
    /* moved to another professional without a calendar: the old event goes */
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_DELETE);
    kf_cal_booking b = kf_calendar_booking_of("b-1", row);
    ck_assert_str_eq(b.booking_id, "b-1");
    ck_assert_str_eq(b.service_name, "Consulta");
    ck_assert_str_eq(b.business_name, "Clínica Sol");
    ck_assert_str_eq(b.timezone, "America/Bogota");
    ck_assert(b.start == 1796137200 && b.customer_attendee);
    /* nothing written yet: no times either */
    row[KF_CAL_EV_COL_EVENT_ID] = row[KF_CAL_EV_COL_WRITTEN_PROFESSIONAL] = NULL;
    row[KF_CAL_EV_COL_WRITTEN_START] = row[KF_CAL_EV_COL_WRITTEN_END] = NULL;
    row[KF_CAL_EV_COL_CALENDAR] = "t";
    f = kf_calendar_event_facts_of(row);
    ck_assert(f.written_start == 0 && f.written_end == 0);
    ck_assert_int_eq(kf_calendar_event_action(&f), KF_CAL_EVENT_CREATE);
}
END_TEST

START_TEST(event_write_retries_then_gives_up)
{
    ck_assert_int_eq(kf_calendar_event_retry_in(KF_CAL_RETRY, 1), 30);
    ck_assert_int_eq(kf_calendar_event_retry_in(KF_CAL_RETRY, 3), 120);
    ck_assert_int_eq(kf_calendar_event_retry_in(KF_CAL_RETRY, 29), 3600);
    ck_assert_int_eq(kf_calendar_event_retry_in(KF_CAL_RETRY, KF_CALENDAR_EVENT_MAX_ATTEMPTS), -1);
    /* refused for another reason: trying again would not help */
    ck_assert_int_eq(kf_calendar_event_retry_in(KF_CAL_FAILED, 1), -1);
    ck_assert_int_eq(kf_calendar_event_retry_in(KF_CAL_REVOKED, 1), -1);
    ck_assert_int_eq(kf_calendar_event_retry_in(KF_CAL_GONE, 1), -1);
}
END_TEST

START_TEST(notices_and_keys)
{
    ck_assert_int_eq(kf_calendar_google_notice_changes("exists"), 1);
    ck_assert_int_eq(kf_calendar_google_notice_changes("not_exists"), 1);
    ck_assert_int_eq(kf_calendar_google_notice_changes(NULL), 1);
    ck_assert_int_eq(kf_calendar_google_notice_changes("sync"), 0);
    ck_assert_int_eq(kf_calendar_graph_validation_token_ok("Validation: Testing client"), 1);
    ck_assert_int_eq(kf_calendar_graph_validation_token_ok(""), 0);
    ck_assert_int_eq(kf_calendar_graph_validation_token_ok(NULL), 0);
    ck_assert_int_eq(kf_calendar_graph_validation_token_ok("bad \xFF byte"), 0);
    char *long_token = apr_palloc(pool, 1026);
    memset(long_token, 'a', 1025);
    long_token[1025] = '\0';
    ck_assert_int_eq(kf_calendar_graph_validation_token_ok(long_token), 0);
    long_token[1024] = '\0';
    ck_assert_int_eq(kf_calendar_graph_validation_token_ok(long_token), 1);
    ck_assert_int_eq(kf_calendar_key_refused(KF_CAL_REVOKED), 1);
    ck_assert_int_eq(kf_calendar_key_refused(KF_CAL_FAILED), 1);
    ck_assert_int_eq(kf_calendar_key_refused(KF_CAL_GONE), 1);
    ck_assert_int_eq(kf_calendar_key_refused(KF_CAL_RETRY), 0);
    ck_assert_int_eq(kf_calendar_key_refused(KF_CAL_OK), 0);
}
END_TEST

/* What the Cal.com form says of a body: the key and event type taken, or the fields refused. */
static const char *calcom_form(const char *body)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    json_t *j = kf_json_parse_object(pool, body, strlen(body), NULL);
    const char *key = NULL, *event_type = NULL;
    kf_calendar_calcom_form(&f, j, &key, &event_type);
    if (!kf_fields_ok(&f)) {
        return apr_pstrcat(pool, "refused:", kf_fields_has(&f, "api_key") ? " api_key" : "",
                           kf_fields_has(&f, "event_type_id") ? " event_type_id" : "", NULL);
    }
    return apr_pstrcat(pool, key, " ", event_type ? event_type : "(none)", NULL);
}

/* What a credentials form answers after checking them: the field at fault, or "-". */
static const char *form_refusal(const kf_calendar_provider *prov, kf_cal_outcome o)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    if (!kf_calendar_form_refused(prov, o, &f)) {
        ck_assert_int_eq(kf_fields_ok(&f), 1);
        return "-";
    }
    json_t *fields = kf_fields_take(&f);
    const char *field = json_object_iter_key(json_object_iter(fields));
    const char *said = json_string_value(json_object_get(fields, field));
    said = apr_pstrcat(pool, field, " ", said, NULL);
    json_decref(fields);
    return said;
}

static const char *field_says(const char *field, const char *message_id)
{
    return apr_pstrcat(pool, field, " ", kf_message(message_id, KF_LOCALE_EN), NULL);
}

START_TEST(credentials_at_fault_are_a_fields_error_a_provider_down_is_not)
{
    ck_assert_str_eq(form_refusal(&kf_calendar_calcom, KF_CAL_REVOKED),
                     field_says("api_key", "calcom_key_refused"));
    ck_assert_str_eq(form_refusal(&kf_calendar_calcom, KF_CAL_GONE),
                     field_says("api_key", "calcom_key_refused"));
    ck_assert_str_eq(form_refusal(&kf_calendar_calcom, KF_CAL_RETRY), "-");
    ck_assert_str_eq(form_refusal(&kf_calendar_calcom, KF_CAL_OK), "-");
    ck_assert_str_eq(form_refusal(&kf_calendar_caldav, KF_CAL_REVOKED),
                     field_says("password", "caldav_login_refused"));
    ck_assert_str_eq(form_refusal(&kf_calendar_caldav, KF_CAL_FAILED),
                     field_says("url", "caldav_no_calendar"));
    ck_assert_str_eq(form_refusal(&kf_calendar_caldav, KF_CAL_RETRY), "-");
    ck_assert_str_eq(form_refusal(&kf_calendar_caldav, KF_CAL_OK), "-");
    ck_assert_str_eq(form_refusal(&kf_calendar_google, KF_CAL_REVOKED), "-");
}
END_TEST

START_TEST(calcom_form_takes_a_key_and_maybe_an_event_type)
{
    ck_assert_str_eq(calcom_form("{\"api_key\":\"cal_live_123\"}"), "cal_live_123 (none)");
    ck_assert_str_eq(calcom_form("{\"api_key\":\"cal_live_123\",\"event_type_id\":null}"),
                     "cal_live_123 (none)");
    ck_assert_str_eq(calcom_form("{\"api_key\":\"cal_live_123\",\"event_type_id\":4521}"),
                     "cal_live_123 4521");
    ck_assert_str_eq(calcom_form("{\"api_key\":\"short\"}"), "refused: api_key");
    ck_assert_str_eq(calcom_form("{}"), "refused: api_key");
    ck_assert_str_eq(calcom_form("{\"api_key\":\"cal_live_123\",\"event_type_id\":0}"),
                     "refused: event_type_id");
    ck_assert_str_eq(calcom_form("{\"api_key\":\"cal_live_123\",\"event_type_id\":\"7\"}"),
                     "refused: event_type_id");
}
END_TEST

/* Our channels: sub-a (secret "sa") and sub-b ("sb") of professional p-1, sub-c ("sc") of p-2. */
static const char *our_channels(const kf_cal_notice *n, void *data)
{
    static const char *const known[][3] = {
        {"sub-a", "sa", "p-1"}, {"sub-b", "sb", "p-1"}, {"sub-c", "sc", "p-2"},
    };
    for (int i = 0; i < 3; i++) {
        if (strcmp(n->channel_id, known[i][0]) == 0 && n->secret &&
            strcmp(n->secret, known[i][1]) == 0) {
            return known[i][2];
        }
    }
    return NULL;
}

static const char *changed_of(const char *body)
{
    apr_array_header_t *who = kf_calendar_graph_changed(pool, body, strlen(body), our_channels, NULL);
    if (!who) {
        return "(refused)";
    }
    const char *out = "";
    for (int i = 0; i < who->nelts; i++) {
        out = apr_pstrcat(pool, out, i ? "," : "", APR_ARRAY_IDX(who, i, const char *), NULL);
    }
    return out;
}

START_TEST(graph_notification_names_each_professional_once)
{
    ck_assert_str_eq(changed_of("{\"value\":[{\"subscriptionId\":\"sub-a\",\"clientState\":\"sa\"},"
                                "{\"subscriptionId\":\"sub-c\",\"clientState\":\"sc\"},"
                                "{\"subscriptionId\":\"sub-b\",\"clientState\":\"sb\"}]}"),
                     "p-1,p-2");
    /* one item with a wrong clientState and nothing is acted on */
    ck_assert_str_eq(changed_of("{\"value\":[{\"subscriptionId\":\"sub-a\",\"clientState\":\"sa\"},"
                                "{\"subscriptionId\":\"sub-c\",\"clientState\":\"sa\"}]}"),
                     "(refused)");
    ck_assert_str_eq(changed_of("{\"value\":[{\"subscriptionId\":\"sub-a\"}]}"), "(refused)");
    ck_assert_str_eq(changed_of("{\"value\":[]}"), "(refused)");
    ck_assert_str_eq(changed_of("not json"), "(refused)");
}
END_TEST

static kf_keyring *test_keys(void)
{
    unsigned char key[KF_KEY_LEN];
    memset(key, 7, sizeof key);
    kf_keyring *keys = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(keys, key, 1), APR_SUCCESS);
    return keys;
}

/* A connection's row as kf_cal_conn_load reads it: Google, its tokens sealed for p-1. */
static void google_row(kf_keyring *keys, const char **v, const char *access_expires)
{
    for (int i = 0; i < KF_CAL_CONN_COLUMNS; i++) {
        v[i] = NULL;
    }
    const char *access = NULL;
    kf_calendar_grant_seal(pool, keys, "p-1", "refresh-1", "access-1", &v[KF_CAL_CONN_COL_SECRET],
                           &access);
    v[KF_CAL_CONN_COL_ACCESS] = access;
    v[KF_CAL_CONN_COL_PROFESSIONAL] = "p-1";
    v[KF_CAL_CONN_COL_TENANT] = "t-1";
    v[KF_CAL_CONN_COL_PROVIDER] = "google";
    v[KF_CAL_CONN_COL_STATUS] = "connected";
    v[KF_CAL_CONN_COL_ACCESS_EXPIRES] = access_expires;
    v[KF_CAL_CONN_COL_CHANNEL] = "ch-1";
    v[KF_CAL_CONN_COL_CHANNEL_SECRET] = kf_seal_text(pool, keys, "chan-1",
                                                     kf_calendar_channel_aad(pool, "p-1"));
    v[KF_CAL_CONN_COL_CHANNEL_EXPIRES] = apr_psprintf(pool, "%" APR_INT64_T_FMT, NOW + DAY);
    v[KF_CAL_CONN_COL_HORIZON] = "30";
    v[KF_CAL_CONN_COL_NOW] = apr_psprintf(pool, "%" APR_INT64_T_FMT, NOW);
    v[KF_CAL_CONN_COL_ACCOUNT] = "ana@example.com";
}

START_TEST(a_connection_row_opens_its_grant_while_the_access_token_lasts)
{
    kf_keyring *keys = test_keys();
    const char *v[KF_CAL_CONN_COLUMNS];
    kf_calendar_conn conn;
    google_row(keys, v, apr_psprintf(pool, "%" APR_INT64_T_FMT, NOW + 3600));
    ck_assert_int_eq(kf_calendar_conn_of(pool, keys, v, &kf_calendar_google, 1, &conn),
                     KF_CAL_CONN_LIVE);
    ck_assert_str_eq(conn.grant.access_token, "access-1");
    ck_assert_str_eq(conn.secret, "refresh-1");
    ck_assert_str_eq(conn.channel_secret, "chan-1");
    ck_assert_str_eq(conn.channel.id, "ch-1");
    ck_assert(conn.channel.expires_at == NOW + DAY);
    ck_assert_str_eq(conn.grant.calendar_id, "primary");
    ck_assert_str_eq(conn.tenant_id, "t-1");
    ck_assert(conn.horizon_days == 30);
    /* a minute left: refreshed first */
    google_row(keys, v, apr_psprintf(pool, "%" APR_INT64_T_FMT, NOW + 60));
    ck_assert_int_eq(kf_calendar_conn_of(pool, keys, v, &kf_calendar_google, 1, &conn),
                     KF_CAL_CONN_STALE);
    ck_assert_ptr_null(conn.grant.access_token);
    ck_assert_str_eq(conn.secret, "refresh-1");
    /* another professional's row never opens these secrets */
    google_row(keys, v, apr_psprintf(pool, "%" APR_INT64_T_FMT, NOW + 3600));
    v[KF_CAL_CONN_COL_PROFESSIONAL] = "p-2";
    ck_assert_int_eq(kf_calendar_conn_of(pool, keys, v, &kf_calendar_google, 1, &conn),
                     KF_CAL_CONN_STALE);
    ck_assert_ptr_null(conn.secret);
    ck_assert_ptr_null(conn.channel_secret);
}
END_TEST

START_TEST(a_connection_row_not_connected_or_unknown_is_none)
{
    kf_keyring *keys = test_keys();
    const char *v[KF_CAL_CONN_COLUMNS];
    kf_calendar_conn conn;
    google_row(keys, v, apr_psprintf(pool, "%" APR_INT64_T_FMT, NOW + 3600));
    v[KF_CAL_CONN_COL_STATUS] = "error";
    ck_assert_int_eq(kf_calendar_conn_of(pool, keys, v, &kf_calendar_google, 1, &conn),
                     KF_CAL_CONN_NONE);
    ck_assert_str_eq(conn.professional_id, "p-1");
    /* not asked to be connected: disconnecting one in error still reaches its provider */
    ck_assert_int_eq(kf_calendar_conn_of(pool, keys, v, &kf_calendar_google, 0, &conn),
                     KF_CAL_CONN_LIVE);
    ck_assert_int_eq(kf_calendar_conn_of(pool, keys, v, NULL, 0, &conn), KF_CAL_CONN_NONE);
}
END_TEST

START_TEST(a_key_or_app_password_is_the_grant)
{
    kf_keyring *keys = test_keys();
    const char *v[KF_CAL_CONN_COLUMNS];
    kf_calendar_conn conn;
    google_row(keys, v, NULL);
    v[KF_CAL_CONN_COL_PROVIDER] = "caldav";
    v[KF_CAL_CONN_COL_ACCOUNT] = "ana";
    v[KF_CAL_CONN_COL_CALENDAR_URL] = "https://dav.example.com/ana/work/";
    ck_assert_int_eq(kf_calendar_conn_of(pool, keys, v, &kf_calendar_caldav, 1, &conn),
                     KF_CAL_CONN_LIVE);
    ck_assert_str_eq(conn.grant.access_token, "refresh-1");
    ck_assert_str_eq(conn.grant.user, "ana");
    ck_assert_str_eq(conn.grant.calendar_id, "https://dav.example.com/ana/work/");
    /* a key that does not open: nothing to call Cal.com with */
    v[KF_CAL_CONN_COL_SECRET] = "v1.garbage";
    ck_assert_int_eq(kf_calendar_conn_of(pool, keys, v, &kf_calendar_calcom, 1, &conn),
                     KF_CAL_CONN_SHUT);
    ck_assert_ptr_null(conn.grant.access_token);
}
END_TEST

START_TEST(a_locked_row_gives_the_token_renewed_meanwhile_or_the_refresh_token)
{
    kf_keyring *keys = test_keys();
    const char *v[KF_CAL_LOCK_COLUMNS] = {NULL}, *refresh = NULL;
    kf_calendar_grant_seal(pool, keys, "p-1", "refresh-1", "access-2", &v[KF_CAL_LOCK_COL_SECRET],
                           &v[KF_CAL_LOCK_COL_ACCESS]);
    v[KF_CAL_LOCK_COL_ACCESS_EXPIRES] = apr_psprintf(pool, "%" APR_INT64_T_FMT, NOW + 3600);
    v[KF_CAL_LOCK_COL_STATUS] = "connected";
    v[KF_CAL_LOCK_COL_NOW] = apr_psprintf(pool, "%" APR_INT64_T_FMT, NOW);
    /* the provider refused access-1; whoever locked first stored access-2 */
    ck_assert_str_eq(kf_calendar_locked_access(pool, keys, "p-1", v, "access-1", &refresh),
                     "access-2");
    ck_assert_ptr_null(refresh);
    /* refused is the one stored: renewed with the refresh token */
    ck_assert_ptr_null(kf_calendar_locked_access(pool, keys, "p-1", v, "access-2", &refresh));
    ck_assert_str_eq(refresh, "refresh-1");
    v[KF_CAL_LOCK_COL_ACCESS_EXPIRES] = NULL;
    ck_assert_ptr_null(kf_calendar_locked_access(pool, keys, "p-1", v, NULL, &refresh));
    ck_assert_str_eq(refresh, "refresh-1");
    ck_assert_ptr_null(kf_calendar_locked_access(pool, keys, "p-2", v, NULL, &refresh));
    ck_assert_ptr_null(refresh);
}
END_TEST

START_TEST(a_grant_is_sealed_only_with_a_keyring)
{
    const char *secret = "x", *access = "x";
    kf_calendar_grant_seal(pool, NULL, "p-1", "refresh-1", "access-1", &secret, &access);
    ck_assert_ptr_null(secret);
    ck_assert_ptr_null(access);
    kf_keyring *keys = test_keys();
    kf_calendar_grant_seal(pool, keys, "p-1", "key-1", NULL, &secret, &access);
    ck_assert_ptr_null(access);
    ck_assert_str_eq(kf_open_text(pool, keys, secret, kf_calendar_secret_aad(pool, "p-1")), "key-1");
    ck_assert_ptr_null(kf_open_text(pool, keys, secret, kf_calendar_access_aad(pool, "p-1")));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("calendar_sync");
    TCase *tc = tcase_create("sync");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, stored_access_token_is_used_while_it_lasts);
    tcase_add_test(tc, a_connection_row_opens_its_grant_while_the_access_token_lasts);
    tcase_add_test(tc, a_connection_row_not_connected_or_unknown_is_none);
    tcase_add_test(tc, a_key_or_app_password_is_the_grant);
    tcase_add_test(tc, a_locked_row_gives_the_token_renewed_meanwhile_or_the_refresh_token);
    tcase_add_test(tc, a_grant_is_sealed_only_with_a_keyring);
    tcase_add_test(tc, an_event_row_reads_as_its_facts_and_its_booking);
    tcase_add_test(tc, busy_times_are_read_from_a_day_back_past_the_horizon);
    tcase_add_test(tc, a_refused_access_token_is_renewed_once);
    tcase_add_test(tc, channel_is_kept_renewed_or_opened);
    tcase_add_test(tc, the_other_blocking_calendars_and_their_channels_are_read);
    tcase_add_test(tc, busy_times_as_bigint_arrays);
    tcase_add_test(tc, failure_reason_prefers_the_providers_words);
    tcase_add_test(tc, links_from_the_public_url);
    tcase_add_test(tc, endpoints_follow_the_operators_urls);
    tcase_add_test(tc, booking_event_says_what_and_who);
    tcase_add_test(tc, a_class_has_one_event_that_lists_its_attendees);
    tcase_add_test(tc, only_a_class_lead_writes_and_a_changed_class_is_written_again);
    tcase_add_test(tc, event_write_retries_then_gives_up);
    tcase_add_test(tc, notices_and_keys);
    tcase_add_test(tc, graph_notification_names_each_professional_once);
    tcase_add_test(tc, calcom_form_takes_a_key_and_maybe_an_event_type);
    tcase_add_test(tc, credentials_at_fault_are_a_fields_error_a_provider_down_is_not);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
