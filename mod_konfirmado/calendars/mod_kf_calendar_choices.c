/* Which of a professional's calendars count (API.md "Which calendars count"):
 * GET|PUT /api/admin/professionals/{id}/calendars for the merchant, and
 * GET|PUT /api/public/invitations/{invitation}/calendars for the professional, on the
 * invitation page, once they connected through it (while it is valid). The provider's list
 * is read again at most once a minute and kept with the choices (kf_calendar_choices.h
 * decides what they are); a change re-reads the busy times at once, so the next availability
 * answer counts the calendars chosen, and opens (or closes) the change channels of the
 * calendars that block. */
#include "mod_kf_calendar.h"
#include "mod_kf_calendars_columns.h"
#include "mod_kf_calendars_feature.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "kf_calendar_choices.h"
#include "kf_calendar_providers.h"
#include "kf_crypto.h"
#include "kf_text.h"

#include <apr_strings.h>

/* What the handlers need of the professional and their connection. */
#define CHOICE_CONN_COLUMNS(FIRST, NEXT)                                                    \
    FIRST(CONN_PROVIDER, "c.provider")                                                      \
    NEXT(CONN_CONNECTED, "c.status = 'connected'")                                          \
    NEXT(CONN_ACCOUNT, "c.account")                                                         \
    NEXT(CONN_CALENDAR, "COALESCE(c.calendar_url, 'primary')")                              \
    NEXT(CONN_LIST_DUE,                                                                     \
         "c.calendars_listed_at IS NULL OR c.calendars_listed_at < now() - interval '"     \
         KFM_SQL_INT(KF_CALENDAR_LIST_MAX_AGE) " seconds'")
enum { CHOICE_CONN_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) CONN_COLUMNS };

#define CHOICE_COLUMNS(FIRST, NEXT)                                                         \
    FIRST(KF_CAL_CHOICE_COL_ID, "calendar_id")                                              \
    NEXT(KF_CAL_CHOICE_COL_NAME, "name")                                                    \
    NEXT(KF_CAL_CHOICE_COL_PRIMARY, "is_primary")                                           \
    NEXT(KF_CAL_CHOICE_COL_TIMEZONE, "time_zone")                                           \
    NEXT(KF_CAL_CHOICE_COL_BLOCKS, "blocks")                                                \
    NEXT(KF_CAL_CHOICE_COL_RECEIVES, "receives_events")                                     \
    NEXT(KF_CAL_CHOICE_COL_WRITABLE, "writable")
KFM_SQL_ROW_CHECK(CHOICE_COLUMNS, KF_CAL_CHOICE_COLUMNS)

const kfm_sql kfm_calendar_choices_sql[] = {
    /* invitation hash: the professional and tenant of a valid invitation connected through */
    {"kf_cal_choice_invitation",
     "SELECT i.professional_id, i.tenant_id FROM calendar_invitations i"
     " JOIN professionals p ON p.id = i.professional_id AND p.archived_at IS NULL"
     " WHERE i.token_hash = %s AND i.expires_at > now() AND i.used_at IS NOT NULL"},
    /* professional, tenant: a row for every live professional, the connection's columns NULL
     * when there is none */
    {"kf_cal_choice_conn",
     "SELECT " KFM_SQL_COLUMNS(CHOICE_CONN_COLUMNS) " FROM professionals p"
     " LEFT JOIN calendar_connections c ON c.professional_id = p.id"
     " WHERE p.id = %s::uuid AND p.tenant_id = %s::uuid AND p.archived_at IS NULL"},
    {"kf_cal_choices_load",
     "SELECT " KFM_SQL_COLUMNS(CHOICE_COLUMNS) " FROM calendar_choices"
     " WHERE professional_id = %s::uuid ORDER BY is_primary DESC, name, calendar_id"},
    /* the receiver moves: nobody receives for the length of the transaction */
    {"kf_cal_choices_unreceive",
     "UPDATE calendar_choices SET receives_events = false WHERE professional_id = %s::uuid"},
    /* professional, tenant, [[id, name, primary, zone, blocks, receives, writable]...] */
    {"kf_cal_choices_save",
     "INSERT INTO calendar_choices (professional_id, tenant_id, calendar_id, name, is_primary,"
     "   time_zone, blocks, receives_events, writable)"
     " SELECT %s::uuid, %s::uuid, x->>0, x->>1, (x->>2)::boolean, x->>3, (x->>4)::boolean,"
     "   (x->>5)::boolean, (x->>6)::boolean FROM json_array_elements(%s::json) x"
     " ON CONFLICT (professional_id, calendar_id) DO UPDATE SET name = EXCLUDED.name,"
     "   is_primary = EXCLUDED.is_primary, time_zone = EXCLUDED.time_zone,"
     "   blocks = EXCLUDED.blocks, receives_events = EXCLUDED.receives_events,"
     "   writable = EXCLUDED.writable"},
    /* professional, the same list: what the provider no longer lists */
    {"kf_cal_choices_prune",
     "DELETE FROM calendar_choices WHERE professional_id = %s::uuid AND calendar_id <> ALL"
     " (SELECT x->>0 FROM json_array_elements(%s::json) x)"},
    /* professional: the events written before their calendar was kept with them stay where
     * they are when the calendar new events go to changes */
    {"kf_cal_choices_pin_events",
     "UPDATE calendar_events e SET calendar_id = COALESCE(c.calendar_url, 'primary')"
     " FROM calendar_connections c WHERE c.professional_id = %s::uuid"
     "   AND e.professional_id = c.professional_id AND e.provider = c.provider"
     "   AND e.event_id IS NOT NULL AND e.calendar_id IS NULL"},
    /* listed now, whether the provider has a list (else the connection's calendar is what it
     * was), the calendar new events go to (NULL: the primary), professional */
    {"kf_cal_choices_connection",
     "UPDATE calendar_connections SET calendars_listed_at = CASE WHEN %s::boolean THEN now()"
     "   ELSE calendars_listed_at END,"
     "   calendar_url = CASE WHEN %s::boolean THEN %s ELSE calendar_url END, updated_at = now()"
     " WHERE professional_id = %s::uuid"},
    {NULL, NULL},
};

/* The rows kf_cal_choices_save takes. */
static const char *choices_rows(apr_pool_t *p, const apr_array_header_t *list)
{
    json_t *rows = json_array();
    for (int i = 0; i < list->nelts; i++) {
        const kf_cal_calendar *c = &APR_ARRAY_IDX(list, i, kf_cal_calendar);
        json_array_append_new(rows, json_pack("[s, s, b, s?, b, b, b]", c->id,
                                              c->name ? c->name : c->id, c->primary, c->timezone,
                                              c->blocks, c->receives, !c->read_only));
    }
    return kf_json_dump(p, kf_json_own(p, rows));
}

/* Whose calendars a request asks about: the merchant's professional, or the one an
 * invitation connected. */
typedef struct whose {
    const char *professional;
    const char *tenant;
    int merchant;
} whose;

/* Stores the connection's calendars (listed: the provider's list was just read). */
static apr_status_t save(kfm_req *kr, const whose *w, const kf_calendar_provider *prov,
                         const apr_array_header_t *list, int listed)
{
    const char *id = w->professional;
    request_rec *r = kr->r;
    const char *rows = choices_rows(r->pool, list);
    const char *has_list = prov->calendars ? "true" : "false";
    const char *save_args[] = {id, w->tenant, rows};
    const char *prune_args[] = {id, rows};
    const char *conn_args[] = {listed ? "true" : "false", has_list,
                               kf_calendar_choices_written_to(prov, list), id};
    kfm_tx tx;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_cal_choices_unreceive", NULL, 1, &id) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_cal_choices_save", NULL, 3, save_args) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_cal_choices_prune", NULL, 2, prune_args) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_cal_choices_pin_events", NULL, 1, &id) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_cal_choices_connection", NULL, 4, conn_args) != APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

/* The provider's list, or NULL when it has none or could not give it now (the stored
 * choices stand; a grant made before the list was asked for may not read it). */
static apr_array_header_t *provider_list(kfm_req *kr, const char *id,
                                         const kf_calendar_provider *prov)
{
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    kf_calendar_conn conn;
    if (!prov->calendars || kfm_calendar_conn_open(&c, kr->db, id, 1, &conn) != APR_SUCCESS) {
        return NULL;
    }
    kf_calendar_session s = kfm_calendar_session(&c, &conn);
    apr_array_header_t *out = apr_array_make(kr->r->pool, 4, sizeof(kf_cal_calendar));
    const char *why = NULL;
    kfm_req_db_give_back(kr);
    kf_cal_outcome o = prov->calendars(kr->r->pool, s.http, s.ep, s.grant, out, &why);
    if (!kfm_req_db_own(kr, NULL)) {
        return NULL;
    }
    if (o != KF_CAL_OK) {
        kfm_log(kr, APLOG_INFO, "calendars of professional %s not listed (%s): the stored choice "
                "stands", id, kf_calendar_failure_reason(o, why));
        return NULL;
    }
    return out;
}

/* The professional's calendars as they are now; 0 after answering (404, 409, 5xx). */
static int current(kfm_req *kr, const whose *w, const kf_calendar_provider **prov,
                   apr_array_header_t **out, int *reply)
{
    request_rec *r = kr->r;
    const char *id = w->professional;
    const char *v[CONN_COLUMNS];
    const char *args[] = {id, w->tenant};
    apr_status_t rv = kf_is_uuid(id) ? kfm_db_select_row(r, kr->db, r->pool, "kf_cal_choice_conn",
                                                         2, args, v, CONN_COLUMNS)
                                     : APR_NOTFOUND;
    if (rv != APR_SUCCESS) {
        *reply = rv == APR_NOTFOUND ? kfm_reply_error(kr, HTTP_NOT_FOUND, "professional_not_found")
                                    : kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        return 0;
    }
    *prov = v[CONN_PROVIDER] ? kf_calendar_provider_find(v[CONN_PROVIDER]) : NULL;
    if (!*prov || !kf_text_true(v[CONN_CONNECTED])) {
        *reply = kfm_reply_error(kr, HTTP_CONFLICT, "calendar_not_connected");
        return 0;
    }
    kfm_rows *res = NULL;
    if (kfm_db_select(r, kr->db, "kf_cal_choices_load", &res, 1, &id) != APR_SUCCESS) {
        *reply = kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        return 0;
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, r->pool, res, KF_CAL_CHOICE_COLUMNS, &n);
    apr_array_header_t *stored = kf_calendar_choices_of(r->pool, rows, n);
    apr_array_header_t *listed = kf_text_true(v[CONN_LIST_DUE]) ? provider_list(kr, id, *prov) : NULL;
    if (!kr->db) {
        *reply = kfm_reply_error(kr, HTTP_SERVICE_UNAVAILABLE, "service_unavailable");
        return 0;
    }
    *out = kf_calendar_choices_merge(r->pool, listed, stored, v[CONN_CALENDAR], v[CONN_ACCOUNT]);
    if ((listed || n == 0) && save(kr, w, *prov, *out, listed != NULL) != APR_SUCCESS) {
        *reply = kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        return 0;
    }
    return 1;
}

static int answer_choices(kfm_req *kr, const whose *w)
{
    const kf_calendar_provider *prov = NULL;
    apr_array_header_t *list = NULL;
    int reply = OK;
    if (!current(kr, w, &prov, &list, &reply)) {
        return reply;
    }
    return kfm_reply_json(kr, HTTP_OK, kf_calendar_choices_json(list));
}

static int change_choices(kfm_req *kr, const whose *w)
{
    request_rec *r = kr->r;
    json_t *body = NULL;
    if (kfm_read_json(kr, &body) != APR_SUCCESS) {
        return OK;
    }
    const kf_calendar_provider *prov = NULL;
    apr_array_header_t *list = NULL;
    int reply = OK;
    if (!current(kr, w, &prov, &list, &reply)) {
        return reply;
    }
    kf_fields f;
    kf_fields_init(&f, r->pool, kr->locale);
    apr_array_header_t *chosen = kf_calendar_choices_apply(&f, body, list);
    if (!chosen) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    if (save(kr, w, prov, chosen, 0) != APR_SUCCESS ||
        kfm_audit_as(kr, kr->db, w->tenant, w->merchant ? kr->session->user_id : NULL,
                     "professional.calendar.choose", "professional", w->professional,
                     kf_calendar_choices_json(chosen)) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    /* the busy times of the calendars chosen, before the next availability answer, and a
     * change channel on each that blocks (closed on one that stopped); a provider that fails
     * now leaves the job to do it */
    int changed = 0;
    kfm_calendar_refresh_request(kr, w->professional, &changed);
    if (kr->db) {
        kfm_calendar_channels_request(kr, w->professional);
    }
    if (!kr->db && !kfm_req_db_own(kr, &reply)) {
        return reply;
    }
    return kfm_reply_json(kr, HTTP_OK, kf_calendar_choices_json(chosen));
}

/* The merchant's professional. */
static whose of_merchant(kfm_req *kr)
{
    whose w = {apr_table_get(kr->params, "id"), kr->session->tenant.id, 1};
    return w;
}

/* The professional an invitation connected (0 after answering 404 invitation_not_found). */
static int of_invitation(kfm_req *kr, whose *w, int *reply)
{
    const char *token = apr_table_get(kr->params, "invitation");
    const char *v[2];
    const char *args[] = {kf_token_shape_ok(token)
                              ? kf_sha256_hex(kr->r->pool, token, strlen(token)) : NULL};
    apr_status_t rv = args[0] ? kfm_db_select_row(kr->r, kr->db, kr->r->pool,
                                                  "kf_cal_choice_invitation", 1, args, v, 2)
                              : APR_NOTFOUND;
    if (rv != APR_SUCCESS) {
        *reply = rv == APR_NOTFOUND ? kfm_reply_error(kr, HTTP_NOT_FOUND, "invitation_not_found")
                                    : kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        return 0;
    }
    *w = (whose){v[0], v[1], 0};
    return 1;
}

int kfm_handle_admin_calendar_choices(kfm_req *kr)
{
    whose w = of_merchant(kr);
    return answer_choices(kr, &w);
}

int kfm_handle_admin_calendar_choose(kfm_req *kr)
{
    whose w = of_merchant(kr);
    return change_choices(kr, &w);
}

int kfm_handle_public_invitation_calendars(kfm_req *kr)
{
    whose w;
    int reply = OK;
    return of_invitation(kr, &w, &reply) ? answer_choices(kr, &w) : reply;
}

int kfm_handle_public_invitation_choose(kfm_req *kr)
{
    whose w;
    int reply = OK;
    return of_invitation(kr, &w, &reply) ? change_choices(kr, &w) : reply;
}
