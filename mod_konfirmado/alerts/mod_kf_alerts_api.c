/* The merchant's alerts: GET /api/admin/alerts (those open and not dismissed; ?all=true also
 * the dismissed and those resolved within KF_ALERT_RESOLVED_LISTED_DAYS) and
 * POST /api/admin/alerts/{id}/dismiss (hidden from the list and the dashboard's home, and
 * not mailed, until it clears and comes back as a new alert). */
#include "mod_kf_alerts_feature.h"
#include "mod_kf_alerts_columns.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_alerts.h"
#include "kf_deliveries.h"
#include "kf_text.h"

#include <apr_strings.h>

#define ALERT_COLUMNS KFM_SQL_COLUMNS(KFM_ALERT_COLUMNS)
#define STR(x) #x
#define XSTR(x) STR(x)

const kfm_sql kfm_alerts_api_sql[] = {
    /* tenant, whether to list all */
    {"kf_alerts_list",
     "SELECT " ALERT_COLUMNS " FROM merchant_alerts WHERE tenant_id = %s::uuid"
     " AND ((resolved_at IS NULL AND dismissed_at IS NULL) OR (%s::boolean"
     "   AND (resolved_at IS NULL OR resolved_at > now() - interval '"
     KFM_SQL_INT(KF_ALERT_RESOLVED_LISTED_DAYS) " days')))"
     " ORDER BY resolved_at IS NULL DESC, raised_at DESC, id LIMIT 200"},
    /* id, tenant */
    {"kf_alert_dismiss",
     "UPDATE merchant_alerts SET dismissed_at = coalesce(dismissed_at, now())"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid RETURNING " ALERT_COLUMNS},
    {NULL, NULL},
};

/* An alert as the merchant reads it, with its last failure's reason when its kind names one
 * ("last_reason", null otherwise): the dashboard words it as the deliveries list does. */
static json_t *alert_json(kfm_req *kr, const char *const *v)
{
    json_t *out = kf_alert_json(kr->r->pool, v, kr->locale);
    const char *detail = v[KF_ALERT_COL_DETAIL];
    json_t *facts = detail && *detail == '{' ? json_loads(detail, 0, NULL) : NULL;
    kf_alert_last_failure last;
    json_t *why = kf_alert_last_failure_of(kf_alert_kind_of(v[KF_ALERT_COL_KIND]), facts, &last)
                      ? kf_delivery_failure_json(last.channel, last.to, last.fault, last.error,
                                                 last.status)
                      : NULL;
    json_object_set_new(out, "last_reason", why ? why : json_null());
    json_decref(facts);
    return out;
}

int kfm_handle_admin_alerts(kfm_req *kr)
{
    request_rec *r = kr->r;
    int reply = OK;
    apr_table_t *q = kfm_query_params(kr, &reply);
    if (!q) {
        return reply;
    }
    const char *all = apr_table_get(q, "all");
    if (all && strcmp(all, "true") != 0 && strcmp(all, "false") != 0) {
        return kfm_reply_invalid_parameter(kr, "all", "param_boolean");
    }
    kfm_rows *res = NULL;
    const char *args[] = {kr->session->tenant.id, all && strcmp(all, "true") == 0 ? "t" : "f"};
    if (kfm_db_select(r, kr->db, "kf_alerts_list", &res, 2, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_t *items = json_array();
    int n = kfm_db_rows(kr->db, res);
    for (int i = 0; i < n; i++) {
        const char *v[KF_ALERT_COLUMNS];
        kfm_db_row(kr->db, r->pool, res, i, v, KF_ALERT_COLUMNS);
        json_array_append_new(items, alert_json(kr, v));
    }
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:o}", "items", items));
}

int kfm_handle_admin_alert_dismiss(kfm_req *kr)
{
    const char *id = apr_table_get(kr->params, "id");
    if (!kf_is_uuid(id)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    const char *args[] = {id, kr->session->tenant.id};
    const char *v[KF_ALERT_COLUMNS];
    kfm_tx tx;
    if (kfm_db_begin(kr->r, kr->db, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_alert_dismiss", 2, args,
                                        v, KF_ALERT_COLUMNS);
    if (rv == APR_NOTFOUND) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_NOT_FOUND, "not_found");
    }
    if (rv != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_audit(kr, kr->db, "alert.dismiss", "alert", id,
                  json_pack("{s:s}", "kind", v[KF_ALERT_COL_KIND])) != APR_SUCCESS ||
        kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, alert_json(kr, v));
}
