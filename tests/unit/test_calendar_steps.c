/* Unit suite for lib/calendars/kf_calendar_steps.c: the order of a connection's provider
 * calls. A scripted provider answers each call as the test says and notes what it was asked,
 * so a test reads as "the provider answered this, then that was done". */
#include "kf_check.h"
#include "kf_calendar_steps.h"

#include <apr_strings.h>
#include <string.h>

#define NOW APR_INT64_C(1795000000)

/* What the scripted provider answers, call by call, and what it saw. */
static struct {
    kf_cal_outcome answers[8];
    int next;
    const char *why[8];
    const char *calls;              /* "busy,busy,watch,..." */
    const char *tokens_seen;        /* the access token of each busy call */
    const char *calendars;          /* the calendar of each watch and unwatch */
} script;

static void note_calendar(const kf_calendar_grant *g)
{
    script.calendars = apr_pstrcat(pool, script.calendars ? script.calendars : "",
                                   script.calendars ? "," : "", g->calendar_id, NULL);
}

static kf_cal_outcome answer(const char *call, const char **why)
{
    script.calls = apr_pstrcat(pool, script.calls, *script.calls ? "," : "", call, NULL);
    int i = script.next++;
    if (why) {
        *why = script.why[i];
    }
    return script.answers[i];
}

static kf_cal_outcome s_busy(apr_pool_t *p, kf_http_client *http, const kf_calendar_endpoints *ep,
                             const kf_calendar_grant *g, apr_int64_t from, apr_int64_t to,
                             apr_array_header_t *out, const char **why)
{
    script.tokens_seen = apr_pstrcat(pool, script.tokens_seen, *script.tokens_seen ? "," : "",
                                     g->access_token, NULL);
    kf_cal_busy *b = apr_array_push(out);
    b->start = from + 7200;
    b->end = from + 10800;
    b = apr_array_push(out);
    b->start = from + 3600;
    b->end = from + 7200;          /* touches the other: merged */
    return answer("busy", why);
}

static kf_cal_outcome s_watch(apr_pool_t *p, kf_http_client *http, const kf_calendar_endpoints *ep,
                              const kf_calendar_grant *g, const char *address, const char *secret,
                              apr_int64_t now, apr_int64_t seconds, kf_cal_channel *out,
                              const char **why)
{
    out->id = "new-channel";
    out->resource = "res";
    out->expires_at = now + seconds;
    note_calendar(g);
    return answer(apr_pstrcat(pool, "watch ", address, NULL), why);
}

static kf_cal_outcome s_renew(apr_pool_t *p, kf_http_client *http, const kf_calendar_endpoints *ep,
                              const kf_calendar_grant *g, apr_int64_t now, apr_int64_t seconds,
                              kf_cal_channel *ch, const char **why)
{
    ch->expires_at = now + seconds;
    return answer("renew", why);
}

static kf_cal_outcome s_unwatch(apr_pool_t *p, kf_http_client *http,
                                const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                const kf_cal_channel *ch, const char **why)
{
    note_calendar(g);
    return answer(apr_pstrcat(pool, "unwatch ", ch->id, NULL), why);
}

static kf_cal_outcome s_revoke(apr_pool_t *p, kf_http_client *http,
                               const kf_calendar_endpoints *ep, const char *refresh_token,
                               const char **why)
{
    return answer(apr_pstrcat(pool, "revoke ", refresh_token, NULL), why);
}

static kf_cal_outcome s_exchange(apr_pool_t *p, kf_http_client *http,
                                 const kf_calendar_endpoints *ep, const kf_calendar_app *app,
                                 const char *code, const char *code_verifier,
                                 const char *redirect_uri, kf_calendar_tokens *out,
                                 const char **why)
{
    out->access_token = "access-1";
    out->expires_in = 3600;
    out->refresh_token = strcmp(code, "no-offline") == 0 ? NULL : "refresh-1";
    return answer(apr_pstrcat(pool, "exchange ", code, " ", code_verifier, " ", redirect_uri, NULL), why);
}

static kf_cal_outcome s_account(apr_pool_t *p, kf_http_client *http,
                                const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                const char **account, const char **why)
{
    *account = "ana@example.com";
    return answer(apr_pstrcat(pool, "account ", g->access_token, NULL), why);
}

static kf_cal_outcome s_put(apr_pool_t *p, kf_http_client *http, const kf_calendar_endpoints *ep,
                            const kf_calendar_grant *g, const kf_cal_event *ev,
                            const char *event_id, const char **new_id, const char **why)
{
    *new_id = event_id ? event_id : "ev-new";
    return answer(event_id ? apr_pstrcat(pool, "move ", event_id, NULL) : "create", why);
}

static kf_cal_outcome s_delete(apr_pool_t *p, kf_http_client *http,
                               const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                               const char *event_id, const char **why)
{
    return answer(apr_pstrcat(pool, "delete ", event_id, NULL), why);
}

static kf_cal_outcome s_refresh(apr_pool_t *p, kf_http_client *http,
                                const kf_calendar_endpoints *ep, const kf_calendar_app *app,
                                const char *refresh_token, kf_calendar_tokens *out,
                                const char **why)
{
    out->access_token = "access-from-refresh";
    out->expires_in = 3600;
    out->refresh_token = NULL;
    return answer(apr_pstrcat(pool, "refresh ", refresh_token, " as ", app->client_id, NULL), why);
}

/* The calendar's own hours: one hour from `from` on. */
static kf_cal_outcome s_bookable(apr_pool_t *p, kf_http_client *http,
                                 const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                 apr_int64_t from, apr_int64_t to, apr_array_header_t *out,
                                 int *known, const char **why)
{
    kf_cal_busy *b = apr_array_push(out);
    b->start = from;
    b->end = from + 3600;
    *known = 1;
    return answer("bookable", why);
}

static kf_calendar_provider oauth_provider = {
    .name = "scripted",
    .oauth_client = "KonfirmadoTestClient",
    .exchange_code = s_exchange,
    .account = s_account,
    .busy = s_busy,
    .put_event = s_put,
    .delete_event = s_delete,
    .watch = s_watch,
    .unwatch = s_unwatch,
    .revoke = s_revoke,
};

static kf_calendar_endpoints ep = {"http://auth", "http://token", "http://api"};
static kf_calendar_grant grant;
static kf_calendar_session session;

static void setup(void)
{
    kf_test_setup();
    memset(&script, 0, sizeof(script));
    script.calls = script.tokens_seen = "";
    oauth_provider.oauth_client = "KonfirmadoTestClient";
    oauth_provider.renew = NULL;
    oauth_provider.refresh = s_refresh;
    oauth_provider.bookable = NULL;
    grant.access_token = "stale";
    grant.calendar_id = "primary";
    grant.event_type_id = NULL;
    kf_calendar_session s = {pool, NULL, &oauth_provider, &ep, &grant};
    session = s;
}

static int renewals;
static int renew_ok(void *data)
{
    renewals++;
    grant.access_token = "fresh";
    return 1;
}

static int renew_fails(void *data)
{
    renewals++;
    return 0;
}

START_TEST(busy_read_merged)
{
    apr_array_header_t *busy = apr_array_make(pool, 4, sizeof(kf_cal_busy));
    const char *why = NULL;
    script.answers[0] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_busy_read(&session, NOW, NOW + 86400, busy, renew_ok, NULL, &why),
                     KF_CAL_OK);
    ck_assert_int_eq(busy->nelts, 1);
    ck_assert(((kf_cal_busy *)busy->elts)[0].start == NOW + 3600);
    ck_assert(((kf_cal_busy *)busy->elts)[0].end == NOW + 10800);
}
END_TEST

START_TEST(busy_read_again_with_a_new_token_once)
{
    apr_array_header_t *busy = apr_array_make(pool, 4, sizeof(kf_cal_busy));
    const char *why = NULL;
    renewals = 0;
    script.answers[0] = KF_CAL_RETRY;
    script.why[0] = "HTTP 401 unauthenticated";
    script.answers[1] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_busy_read(&session, NOW, NOW + 86400, busy, renew_ok, NULL, &why),
                     KF_CAL_OK);
    ck_assert_int_eq(renewals, 1);
    ck_assert_str_eq(script.tokens_seen, "stale,fresh");
    ck_assert_int_eq(busy->nelts, 1);   /* the first answer's times were dropped */
}
END_TEST

START_TEST(busy_read_gives_up_when_no_token_comes)
{
    apr_array_header_t *busy = apr_array_make(pool, 4, sizeof(kf_cal_busy));
    const char *why = NULL;
    renewals = 0;
    script.answers[0] = KF_CAL_RETRY;
    script.why[0] = "HTTP 401";
    ck_assert_int_eq(kf_calendar_busy_read(&session, NOW, NOW + 86400, busy, renew_fails, NULL,
                                           &why), KF_CAL_RETRY);
    ck_assert_str_eq(script.calls, "busy");
    /* a provider that is down is not asked twice */
    setup();
    renewals = 0;
    script.answers[0] = KF_CAL_RETRY;
    script.why[0] = "HTTP 503";
    ck_assert_int_eq(kf_calendar_busy_read(&session, NOW, NOW + 86400, busy, renew_ok, NULL, &why),
                     KF_CAL_RETRY);
    ck_assert_int_eq(renewals, 0);
    ck_assert_str_eq(why, "HTTP 503");
}
END_TEST

START_TEST(a_sync_reads_busy_times_then_the_calendars_own_hours_from_now)
{
    oauth_provider.bookable = s_bookable;
    script.answers[0] = KF_CAL_OK;
    script.answers[1] = KF_CAL_OK;
    kf_calendar_busy_answer b = kf_calendar_busy_fetch(&session, 1, NOW, 30, renew_ok, NULL);
    ck_assert_int_eq(b.outcome, KF_CAL_OK);
    ck_assert_str_eq(script.calls, "busy,bookable");
    /* a day back, up to two days past the horizon */
    ck_assert(b.to == NOW + 32 * 86400);
    ck_assert_int_eq(b.busy->nelts, 1);
    ck_assert(((kf_cal_busy *)b.busy->elts)[0].start == NOW - 86400 + 3600);
    ck_assert_int_eq(b.bookable_known, 1);
    ck_assert(((kf_cal_busy *)b.bookable->elts)[0].start == NOW);
}
END_TEST

START_TEST(a_sync_asks_nothing_more_after_a_failed_read_or_without_access)
{
    oauth_provider.bookable = s_bookable;
    script.answers[0] = KF_CAL_RETRY;
    script.why[0] = "HTTP 503";
    kf_calendar_busy_answer b = kf_calendar_busy_fetch(&session, 1, NOW, 30, renew_ok, NULL);
    ck_assert_int_eq(b.outcome, KF_CAL_RETRY);
    ck_assert_str_eq(b.why, "HTTP 503");
    ck_assert_str_eq(script.calls, "busy");
    ck_assert_int_eq(b.bookable_known, 0);
    /* the access could not be renewed: the calendar is not asked at all */
    setup();
    b = kf_calendar_busy_fetch(&session, 0, NOW, 30, renew_ok, NULL);
    ck_assert_int_eq(b.outcome, KF_CAL_RETRY);
    ck_assert_str_eq(b.why, "the calendar's access could not be renewed");
    ck_assert_str_eq(script.calls, "");
    ck_assert(b.to == NOW + 32 * 86400);
}
END_TEST

START_TEST(an_event_left_behind_is_removed_with_a_token_from_the_replaced_grant)
{
    kf_calendar_app app = {"client-1", "client-secret"};
    const char *why = NULL;
    grant.access_token = "old-refresh";
    script.answers[0] = KF_CAL_OK;
    script.answers[1] = KF_CAL_GONE;       /* deleted by hand meanwhile: gone all the same */
    ck_assert_int_eq(kf_calendar_left_behind_remove(&session, &app, "ev-1", &why), KF_CAL_OK);
    ck_assert_str_eq(script.calls, "refresh old-refresh as client-1,delete ev-1");
    ck_assert_str_eq(grant.access_token, "access-from-refresh");
    /* the professional's live connection: its token as it is */
    setup();
    script.answers[0] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_left_behind_remove(&session, NULL, "ev-2", &why), KF_CAL_OK);
    ck_assert_str_eq(script.calls, "delete ev-2");
    /* a replaced API key is the grant itself */
    setup();
    oauth_provider.oauth_client = NULL;
    script.answers[0] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_left_behind_remove(&session, &app, "ev-3", &why), KF_CAL_OK);
    ck_assert_str_eq(script.calls, "delete ev-3");
}
END_TEST

START_TEST(an_event_left_behind_stays_when_no_token_comes)
{
    kf_calendar_app none = {NULL, NULL}, app = {"client-1", "client-secret"};
    const char *why = NULL;
    ck_assert_int_eq(kf_calendar_left_behind_remove(&session, &none, "ev-1", &why), KF_CAL_RETRY);
    ck_assert_str_eq(why, "the OAuth client is not configured");
    ck_assert_str_eq(script.calls, "");
    script.answers[0] = KF_CAL_REVOKED;
    script.why[0] = "invalid_grant";
    ck_assert_int_eq(kf_calendar_left_behind_remove(&session, &app, "ev-1", &why), KF_CAL_REVOKED);
    ck_assert_str_eq(why, "invalid_grant");
    ck_assert_str_eq(script.calls, "refresh stale as client-1");
}
END_TEST

static const char *stored;
static int store_ok(const kf_cal_channel *ch, const char *secret, void *data)
{
    stored = apr_pstrcat(pool, ch->id, " ", secret, NULL);
    script.calls = apr_pstrcat(pool, script.calls, ",store", NULL);
    return 1;
}

static int store_fails(const kf_cal_channel *ch, const char *secret, void *data)
{
    return 0;
}

START_TEST(new_channel_stored_before_the_old_one_closes)
{
    kf_cal_channel ch = {"old-channel", "res", NOW + 3600, NULL};
    const char *secret = "old-secret", *why = NULL;
    script.answers[0] = KF_CAL_OK;     /* watch */
    script.answers[1] = KF_CAL_OK;     /* unwatch */
    ck_assert_int_eq(kf_calendar_channel_keep_up(&session, "https://k.example/hook", "new-secret",
                                                 NOW, &ch, &secret, store_ok, NULL, &why),
                     KF_CAL_CHANNEL_IN_ORDER);
    ck_assert_str_eq(script.calls, "watch https://k.example/hook,store,unwatch old-channel");
    ck_assert_str_eq(stored, "new-channel new-secret");
    ck_assert_str_eq(ch.id, "new-channel");
    ck_assert_str_eq(secret, "new-secret");
}
END_TEST

START_TEST(channel_not_stored_keeps_the_old_one)
{
    kf_cal_channel ch = {"old-channel", "res", NOW + 3600, NULL};
    const char *secret = "old-secret", *why = NULL;
    script.answers[0] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_channel_keep_up(&session, "https://k.example/hook", "new-secret",
                                                 NOW, &ch, &secret, store_fails, NULL, &why),
                     KF_CAL_CHANNEL_NOT_STORED);
    ck_assert_str_eq(script.calls, "watch https://k.example/hook");
    ck_assert_str_eq(ch.id, "old-channel");
    ck_assert_str_eq(secret, "old-secret");
}
END_TEST

START_TEST(channel_renewed_in_place_or_reopened_when_gone)
{
    oauth_provider.renew = s_renew;
    kf_cal_channel ch = {"sub-1", NULL, NOW + 3600, NULL};
    const char *secret = "s", *why = NULL;
    script.answers[0] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_channel_keep_up(&session, "https://k.example/hook", "new", NOW,
                                                 &ch, &secret, store_ok, NULL, &why),
                     KF_CAL_CHANNEL_IN_ORDER);
    ck_assert_str_eq(script.calls, "renew,store");
    ck_assert_str_eq(stored, "sub-1 s");
    ck_assert(ch.expires_at == NOW + KF_CALENDAR_CHANNEL_SECONDS);
    /* the subscription expired at the provider: a new one */
    setup();
    oauth_provider.renew = s_renew;
    kf_cal_channel gone = {"sub-1", NULL, NOW + 3600, NULL};
    script.answers[0] = KF_CAL_GONE;
    script.answers[1] = KF_CAL_OK;
    script.answers[2] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_channel_keep_up(&session, "https://k.example/hook", "new", NOW,
                                                 &gone, &secret, store_ok, NULL, &why),
                     KF_CAL_CHANNEL_IN_ORDER);
    ck_assert_str_eq(script.calls, "renew,watch https://k.example/hook,store,unwatch sub-1");
    /* refused for another reason: the old one stays, the job tries again */
    setup();
    oauth_provider.renew = s_renew;
    kf_cal_channel refused = {"sub-1", NULL, NOW + 3600, NULL};
    script.answers[0] = KF_CAL_RETRY;
    script.why[0] = "HTTP 503";
    ck_assert_int_eq(kf_calendar_channel_keep_up(&session, "https://k.example/hook", "new", NOW,
                                                 &refused, &secret, store_ok, NULL, &why),
                     KF_CAL_CHANNEL_NOT_RENEWED);
    ck_assert_str_eq(why, "HTTP 503");
}
END_TEST

START_TEST(a_channel_on_the_calendar_that_received_before_is_replaced)
{
    /* the events now go to the clinic's calendar: a channel still on the primary, even a
     * fresh one Graph could renew, is replaced by one there */
    oauth_provider.renew = s_renew;
    grant.calendar_id = "clinic@group";
    kf_cal_channel ch = {"sub-1", NULL, NOW + 3 * 86400, "primary"};
    const char *secret = "s", *why = NULL;
    script.answers[0] = KF_CAL_OK;
    script.answers[1] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_channel_keep_up(&session, "https://k.example/hook", "new", NOW,
                                                 &ch, &secret, store_ok, NULL, &why),
                     KF_CAL_CHANNEL_IN_ORDER);
    ck_assert_str_eq(script.calls, "watch https://k.example/hook,store,unwatch sub-1");
    ck_assert_str_eq(script.calendars, "clinic@group,clinic@group");
    ck_assert_str_eq(ch.calendar, "clinic@group");
    /* one opened before the calendar was kept with it is taken as on the right one */
    setup();
    kf_cal_channel unknown = {"ch", "res", NOW + 3 * 86400, NULL};
    ck_assert_int_eq(kf_calendar_channel_keep_up(&session, "https://k.example/hook", "new", NOW,
                                                 &unknown, &secret, store_fails, NULL, &why),
                     KF_CAL_CHANNEL_IN_ORDER);
    ck_assert_str_eq(script.calls, "");
}
END_TEST

static const char *forgotten;
static int store_watch(const kf_cal_channel *ch, const char *secret, void *data)
{
    forgotten = ch->id ? NULL : "forgotten";
    script.calls = apr_pstrcat(pool, script.calls, ",store", NULL);
    return 1;
}

START_TEST(each_other_blocking_calendar_has_its_own_channel)
{
    kf_cal_watch personal = {"personal@group", 1, {NULL, NULL, 0, NULL}, NULL};
    const char *why = NULL;
    script.answers[0] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_watch_keep_up(&session, "https://k.example/hook", "s-1", NOW,
                                               &personal, store_watch, NULL, &why),
                     KF_CAL_CHANNEL_IN_ORDER);
    ck_assert_str_eq(script.calls, "watch https://k.example/hook,store");
    ck_assert_str_eq(script.calendars, "personal@group");
    ck_assert_str_eq(personal.channel.id, "new-channel");
    ck_assert_str_eq(personal.channel.calendar, "personal@group");
    ck_assert_str_eq(personal.secret, "s-1");
    ck_assert_str_eq(grant.calendar_id, "primary");   /* the connection's grant untouched */
    /* kept while fresh */
    setup();
    ck_assert_int_eq(kf_calendar_watch_keep_up(&session, "https://k.example/hook", "s-2", NOW,
                                               &personal, store_watch, NULL, &why),
                     KF_CAL_CHANNEL_IN_ORDER);
    ck_assert_str_eq(script.calls, "");
    /* unticked: forgotten, then closed at the provider, on its calendar */
    setup();
    personal.wanted = 0;
    script.answers[0] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_watch_keep_up(&session, "https://k.example/hook", "s-3", NOW,
                                               &personal, store_watch, NULL, &why),
                     KF_CAL_CHANNEL_IN_ORDER);
    ck_assert_str_eq(forgotten, "forgotten");
    ck_assert_str_eq(script.calls, ",store,unwatch new-channel");
    ck_assert_str_eq(script.calendars, "personal@group");
    ck_assert_ptr_null(personal.channel.id);
    /* nothing open and not wanted: nothing asked */
    setup();
    ck_assert_int_eq(kf_calendar_watch_keep_up(&session, "https://k.example/hook", "s-4", NOW,
                                               &personal, store_fails, NULL, &why),
                     KF_CAL_CHANNEL_IN_ORDER);
    ck_assert_str_eq(script.calls, "");
}
END_TEST

START_TEST(fresh_channel_asks_nothing)
{
    kf_cal_channel ch = {"ch", "res", NOW + 3 * 86400, NULL};
    const char *secret = "s", *why = NULL;
    ck_assert_int_eq(kf_calendar_channel_keep_up(&session, "https://k.example/hook", "new", NOW,
                                                 &ch, &secret, store_fails, NULL, &why),
                     KF_CAL_CHANNEL_IN_ORDER);
    ck_assert_str_eq(script.calls, "");
}
END_TEST

START_TEST(oauth_consent_becomes_a_connection)
{
    kf_calendar_app app = {"client", "secret"};
    kf_calendar_tokens t;
    const char *account = NULL, *why = NULL;
    script.answers[0] = KF_CAL_OK;
    script.answers[1] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_oauth_finish(&session, &app, "code-1", "verifier-1", "https://k/cb", &t,
                                              &account, &why), KF_CAL_OK);
    ck_assert_str_eq(script.calls, "exchange code-1 verifier-1 https://k/cb,account access-1");
    ck_assert_str_eq(account, "ana@example.com");
    ck_assert_str_eq(t.refresh_token, "refresh-1");
    /* without offline access the connection could not last */
    setup();
    script.answers[0] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_oauth_finish(&session, &app, "no-offline", "verifier-1", "https://k/cb", &t,
                                              &account, &why), KF_CAL_FAILED);
    ck_assert_str_eq(why, "no refresh token was granted");
    ck_assert_str_eq(script.calls, "exchange no-offline verifier-1 https://k/cb");
    /* no OAuth application: the provider is not asked */
    setup();
    kf_calendar_app none = {NULL, NULL};
    ck_assert_int_eq(kf_calendar_oauth_finish(&session, &none, "code-1", "verifier-1", "https://k/cb", &t,
                                              &account, &why), KF_CAL_FAILED);
    ck_assert_str_eq(script.calls, "");
}
END_TEST

START_TEST(letting_go_closes_and_revokes)
{
    kf_cal_channel ch = {"ch-1", "res", NOW, NULL};
    kf_calendar_let_go(&session, &ch, NULL, "refresh-1");
    ck_assert_str_eq(script.calls, "unwatch ch-1,revoke refresh-1");
    setup();
    kf_cal_channel none = {NULL, NULL, 0, NULL};
    kf_calendar_let_go(&session, &none, NULL, NULL);
    ck_assert_str_eq(script.calls, "");
    /* the other calendars' channels are closed too, each on its calendar */
    setup();
    apr_array_header_t *watches = apr_array_make(pool, 2, sizeof(kf_cal_watch));
    kf_cal_watch open = {"personal@group", 1, {"ch-2", "res", NOW, "personal@group"}, "s"};
    kf_cal_watch closed = {"sport@group", 1, {NULL, NULL, 0, NULL}, NULL};
    APR_ARRAY_PUSH(watches, kf_cal_watch) = open;
    APR_ARRAY_PUSH(watches, kf_cal_watch) = closed;
    kf_calendar_let_go(&session, &ch, watches, NULL);
    ck_assert_str_eq(script.calls, "unwatch ch-1,unwatch ch-2");
    ck_assert_str_eq(script.calendars, "primary,personal@group");
}
END_TEST

START_TEST(event_deleted_by_hand_comes_back)
{
    kf_cal_event ev;
    memset(&ev, 0, sizeof(ev));
    const char *id = NULL, *why = NULL;
    script.answers[0] = KF_CAL_GONE;
    script.answers[1] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_event_put(&session, &ev, "ev-1", &id, &why), KF_CAL_OK);
    ck_assert_str_eq(script.calls, "move ev-1,create");
    ck_assert_str_eq(id, "ev-new");
    /* a new event that the calendar will not take is not retried here */
    setup();
    script.answers[0] = KF_CAL_FAILED;
    ck_assert_int_eq(kf_calendar_event_put(&session, &ev, NULL, &id, &why), KF_CAL_FAILED);
    ck_assert_str_eq(script.calls, "create");
    /* deleting what is already gone is done */
    setup();
    script.answers[0] = KF_CAL_GONE;
    ck_assert_int_eq(kf_calendar_event_remove(&session, "ev-1", &why), KF_CAL_OK);
    setup();
    script.answers[0] = KF_CAL_RETRY;
    ck_assert_int_eq(kf_calendar_event_remove(&session, "ev-1", &why), KF_CAL_RETRY);
}
END_TEST

/* A refused access token, while writing or deleting an event: renewed once, then asked again
 * with the new one; no new token, no second call. */
START_TEST(event_written_again_with_a_new_token_once)
{
    kf_cal_event ev;
    memset(&ev, 0, sizeof(ev));
    const char *id = NULL, *why = NULL;
    renewals = 0;
    script.answers[0] = KF_CAL_RETRY;
    script.why[0] = "HTTP 401 unauthenticated";
    script.answers[1] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_event_put_renewing(&session, &ev, NULL, &id, renew_ok, NULL, &why),
                     KF_CAL_OK);
    ck_assert_int_eq(renewals, 1);
    ck_assert_str_eq(script.calls, "create,create");
    ck_assert_str_eq(id, "ev-new");
    setup();
    renewals = 0;
    script.answers[0] = KF_CAL_RETRY;
    script.why[0] = "HTTP 401";
    ck_assert_int_eq(kf_calendar_event_put_renewing(&session, &ev, "ev-1", &id, renew_fails, NULL,
                                                    &why), KF_CAL_RETRY);
    ck_assert_str_eq(script.calls, "move ev-1");
    setup();
    renewals = 0;
    script.answers[0] = KF_CAL_RETRY;
    script.why[0] = "HTTP 401";
    script.answers[1] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_event_remove_renewing(&session, "ev-1", renew_ok, NULL, &why),
                     KF_CAL_OK);
    ck_assert_str_eq(script.calls, "delete ev-1,delete ev-1");
    ck_assert_int_eq(renewals, 1);
    /* a provider that is down, or a key with no renewal (Cal.com), is not renewed */
    setup();
    renewals = 0;
    script.answers[0] = KF_CAL_RETRY;
    script.why[0] = "HTTP 503";
    ck_assert_int_eq(kf_calendar_event_remove_renewing(&session, "ev-1", renew_ok, NULL, &why),
                     KF_CAL_RETRY);
    oauth_provider.oauth_client = NULL;
    script.answers[1] = KF_CAL_RETRY;
    script.why[1] = "HTTP 401";
    ck_assert_int_eq(kf_calendar_event_put_renewing(&session, &ev, NULL, &id, renew_ok, NULL, &why),
                     KF_CAL_RETRY);
    ck_assert_int_eq(renewals, 0);
}
END_TEST

static kf_cal_outcome step_write(void *data, const char *existing)
{
    return answer(existing ? apr_pstrcat(pool, "move ", existing, NULL) : "create", NULL);
}

static kf_cal_outcome step_remove(void *data)
{
    return answer("delete", NULL);
}

START_TEST(actions_carried_out)
{
    static const kf_cal_event_steps steps = {step_write, step_remove};
    script.answers[0] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_event_apply(KF_CAL_EVENT_MOVE, "ev-1", &steps, NULL), KF_CAL_OK);
    ck_assert_str_eq(script.calls, "move ev-1");
    setup();
    script.answers[0] = KF_CAL_OK;
    script.answers[1] = KF_CAL_OK;
    ck_assert_int_eq(kf_calendar_event_apply(KF_CAL_EVENT_REPLACE, "ev-1", &steps, NULL), KF_CAL_OK);
    ck_assert_str_eq(script.calls, "delete,create");
    /* the old calendar would not let go: nothing is created twice */
    setup();
    script.answers[0] = KF_CAL_RETRY;
    ck_assert_int_eq(kf_calendar_event_apply(KF_CAL_EVENT_REPLACE, "ev-1", &steps, NULL),
                     KF_CAL_RETRY);
    ck_assert_str_eq(script.calls, "delete");
    setup();
    ck_assert_int_eq(kf_calendar_event_apply(KF_CAL_EVENT_NOTHING, "ev-1", &steps, NULL), KF_CAL_OK);
    ck_assert_str_eq(script.calls, "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("calendar_steps");
    TCase *tc = tcase_create("steps");
    tcase_add_checked_fixture(tc, setup, kf_test_teardown);
    tcase_add_test(tc, busy_read_merged);
    tcase_add_test(tc, busy_read_again_with_a_new_token_once);
    tcase_add_test(tc, busy_read_gives_up_when_no_token_comes);
    tcase_add_test(tc, a_sync_reads_busy_times_then_the_calendars_own_hours_from_now);
    tcase_add_test(tc, a_sync_asks_nothing_more_after_a_failed_read_or_without_access);
    tcase_add_test(tc, an_event_left_behind_is_removed_with_a_token_from_the_replaced_grant);
    tcase_add_test(tc, an_event_left_behind_stays_when_no_token_comes);
    tcase_add_test(tc, new_channel_stored_before_the_old_one_closes);
    tcase_add_test(tc, channel_not_stored_keeps_the_old_one);
    tcase_add_test(tc, channel_renewed_in_place_or_reopened_when_gone);
    tcase_add_test(tc, event_written_again_with_a_new_token_once);
    tcase_add_test(tc, fresh_channel_asks_nothing);
    tcase_add_test(tc, a_channel_on_the_calendar_that_received_before_is_replaced);
    tcase_add_test(tc, each_other_blocking_calendar_has_its_own_channel);
    tcase_add_test(tc, oauth_consent_becomes_a_connection);
    tcase_add_test(tc, letting_go_closes_and_revokes);
    tcase_add_test(tc, event_deleted_by_hand_comes_back);
    tcase_add_test(tc, actions_carried_out);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
