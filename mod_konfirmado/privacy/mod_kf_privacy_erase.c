/* POST /api/admin/customers/erase {"email"}, the customers' erasure requests (listed, and
 * confirmed by the merchant: POST /api/admin/customers/erasure-requests/{id}/confirm), and
 * kfm_privacy_erase_customer, the one erasure of a customer's data every path takes. What
 * each table keeps and loses is kf_erase_personal_data (sql/066_consent_by_owner.sql) (docs/privacy.md);
 * no booking's status is written. */
#include "mod_kf_privacy_feature.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_privacy.h"
#include "kf_text.h"

#include <apr_strings.h>

#define AT(x) KFM_SQL_RFC3339(x)
/* When a pending request (alias e, its tenant t) is carried out by itself: erasure_auto_days
 * after it was made; NULL when only the merchant's confirmation carries it out. */
#define ERASES_AT \
    "CASE WHEN t.erasure_auto_days > 0" \
    " THEN " AT("e.requested_at + make_interval(days => t.erasure_auto_days)") " END"
/* A request as the API shows it (request row alias e, tenant row t) */
#define REQUEST_JSON \
    "json_build_object('id', e.id, 'email', e.email, 'status', e.status," \
    " 'requested_at', " AT("e.requested_at") "," \
    " 'erases_automatically_at', CASE WHEN e.status = 'pending' THEN " ERASES_AT " END," \
    " 'erased_at', " AT("e.erased_at") ", 'erased_by', e.erased_by," \
    " 'erased_bookings', e.erased_bookings)::text"

const kfm_sql kfm_privacy_erase_sql[] = {
    /* tenant, email, then the tombstones (name, address, phone): how many bookings (the
     * rows are locked by the function, in the other writers' order); the address's own
     * preferences, sessions and sign-in links go with them */
    {"kf_privacy_erase_email",
     "WITH q AS (SELECT %s::uuid AS tenant, lower(%s) AS email)"
     " SELECT kf_erase_personal_data(q.tenant,"
     "   ARRAY(SELECT id FROM reservations WHERE tenant_id = q.tenant"
     "         AND lower(customer_email) = q.email),"
     "   ARRAY(SELECT id FROM purchases WHERE tenant_id = q.tenant"
     "         AND lower(customer_email) = q.email),"
     "   q.email, %s, %s, %s) FROM q"},
    /* tenant, email, by, bookings erased: its pending requests are carried out */
    {"kf_privacy_requests_done",
     "UPDATE erasure_requests SET status = 'erased', email = NULL, erased_at = now(),"
     "  erased_by = %s, erased_bookings = %s::int"
     " WHERE tenant_id = %s::uuid AND lower(email) = lower(%s) AND status = 'pending'"},
    /* tenant, email twice: the pending request (a new one when there was none), and when it
     * is carried out by itself (NULL: only when the merchant confirms it) */
    {"kf_privacy_request_add",
     "WITH added AS (INSERT INTO erasure_requests (tenant_id, email) VALUES (%s::uuid, %s)"
     "  ON CONFLICT (tenant_id, lower(email)) WHERE status = 'pending' DO NOTHING"
     "  RETURNING id, tenant_id, requested_at),"
     " pending AS (SELECT id, tenant_id, requested_at FROM added UNION ALL"
     "  SELECT id, tenant_id, requested_at FROM erasure_requests"
     "  WHERE tenant_id = %s::uuid AND lower(email) = lower(%s) AND status = 'pending' LIMIT 1)"
     " SELECT e.id, " ERASES_AT " FROM pending e JOIN tenants t ON t.id = e.tenant_id LIMIT 1"},
    /* tenant, email: the pending request, if any, as kf_privacy_request_add answers it */
    {"kf_privacy_request_pending",
     "SELECT e.id, " ERASES_AT " FROM erasure_requests e JOIN tenants t ON t.id = e.tenant_id"
     " WHERE e.tenant_id = %s::uuid AND lower(e.email) = lower(%s) AND e.status = 'pending'"
     " LIMIT 1"},
    /* tenant: the requests, pending first, newest first */
    {"kf_privacy_requests_list",
     "SELECT " REQUEST_JSON " FROM erasure_requests e JOIN tenants t ON t.id = e.tenant_id"
     " WHERE e.tenant_id = %s::uuid ORDER BY e.status = 'pending' DESC, e.requested_at DESC,"
     " e.id LIMIT 500"},
    /* id, tenant: the request's status and address, locked */
    {"kf_privacy_request_lock",
     "SELECT status, email FROM erasure_requests WHERE id = %s::uuid AND tenant_id = %s::uuid"
     " FOR UPDATE"},
    /* id, tenant */
    {"kf_privacy_request_get",
     "SELECT " REQUEST_JSON " FROM erasure_requests e JOIN tenants t ON t.id = e.tenant_id"
     " WHERE e.id = %s::uuid AND e.tenant_id = %s::uuid"},
    {NULL, NULL},
};

apr_status_t kfm_privacy_erase_customer(request_rec *r, ap_dbd_t *db, const char *tenant_id,
                                        const char *email, const char *by, int *erased)
{
    char count[16];
    const char *n = NULL;
    const char *args[] = {tenant_id, email, KF_PRIVACY_TOMBSTONE_NAME,
                          KF_PRIVACY_TOMBSTONE_EMAIL, KF_PRIVACY_TOMBSTONE_PHONE};
    apr_status_t rv = kfm_db_select_row(r, db, NULL, "kf_privacy_erase_email", 5, args, &n, 1);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? APR_EGENERAL : rv;
    }
    *erased = (int)kfm_db_number(n);
    apr_snprintf(count, sizeof(count), "%d", *erased);
    const char *dargs[] = {by, count, tenant_id, email};
    return kfm_db_exec(r, db, "kf_privacy_requests_done", NULL, 4, dargs);
}

/* The request a statement answered (id, when it is carried out by itself), or none: *id NULL. */
static apr_status_t request_of(request_rec *r, ap_dbd_t *db, const char *label, int nargs,
                               const char **args, const char **id, const char **erases_at)
{
    const char *v[2] = {NULL, NULL};
    apr_status_t rv = kfm_db_select_row(r, db, r ? r->pool : NULL, label, nargs, args, v, 2);
    *id = v[0];
    *erases_at = v[1];
    return rv == APR_NOTFOUND ? APR_SUCCESS : rv;
}

apr_status_t kfm_privacy_erasure_request(request_rec *r, ap_dbd_t *db, const char *tenant_id,
                                         const char *email, const char **id,
                                         const char **erases_at)
{
    const char *args[] = {tenant_id, email, tenant_id, email};
    apr_status_t rv = request_of(r, db, "kf_privacy_request_add", 4, args, id, erases_at);
    return rv == APR_SUCCESS && !*id ? APR_EGENERAL : rv;
}

apr_status_t kfm_privacy_pending_erasure(request_rec *r, ap_dbd_t *db, const char *tenant_id,
                                         const char *email, const char **id,
                                         const char **erases_at)
{
    const char *args[] = {tenant_id, email};
    return request_of(r, db, "kf_privacy_request_pending", 2, args, id, erases_at);
}

static apr_status_t audit_erasure(kfm_req *kr, const char *request_id, int n)
{
    return kfm_audit(kr, kr->db, "customer.erase", request_id ? "erasure_request" : "customer",
                     request_id, kf_privacy_erased_json(n, NULL));
}

int kfm_handle_customer_erase(kfm_req *kr)
{
    request_rec *r = kr->r;
    kf_fields f;
    kf_fields_init(&f, r->pool, kr->locale);
    const char *email = kf_privacy_erase_read(&f, kr->body);
    if (!email) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    kfm_tx tx;
    int n = 0;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS ||
        kfm_privacy_erase_customer(r, kr->db, kr->session->tenant.id, email, "merchant", &n) !=
            APR_SUCCESS ||
        audit_erasure(kr, NULL, n) != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, kf_privacy_erased_json(n, NULL));
}

int kfm_handle_erasure_requests_list(kfm_req *kr)
{
    request_rec *r = kr->r;
    kfm_rows *res = NULL;
    const char *args[] = {kr->session->tenant.id};
    if (kfm_db_select(r, kr->db, "kf_privacy_requests_list", &res, 1, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, r->pool, res, 1, &n);
    return kfm_reply_json(kr, HTTP_OK, kf_privacy_requests_json(rows, n));
}

int kfm_handle_erasure_request_confirm(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = apr_table_get(kr->params, "id");
    if (!kf_is_uuid(id)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "erasure_request_not_found");
    }
    const char *tenant = kr->session->tenant.id;
    const char *args[] = {id, tenant};
    kfm_tx tx;
    const char *v[2];
    apr_status_t rv = kfm_db_begin(r, kr->db, &tx);
    if (rv == APR_SUCCESS) {
        rv = kfm_db_select_row(r, kr->db, r->pool, "kf_privacy_request_lock", 2, args, v, 2);
    }
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND
                   ? kfm_rollback_and_reply(kr, &tx, HTTP_NOT_FOUND, "erasure_request_not_found")
                   : kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (!v[1]) {              /* carried out already */
        return kfm_rollback_and_reply(kr, &tx, HTTP_CONFLICT, "erasure_request_done");
    }
    int n = 0;
    if (kfm_privacy_erase_customer(r, kr->db, tenant, v[1], "merchant", &n) != APR_SUCCESS ||
        audit_erasure(kr, id, n) != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *text = NULL;
    json_t *request = NULL;
    if (kfm_db_select_row(r, kr->db, r->pool, "kf_privacy_request_get", 2, args, &text, 1) ==
        APR_SUCCESS) {
        request = json_loads(text, 0, NULL);
    }
    return kfm_reply_json(kr, HTTP_OK, kf_privacy_erased_json(n, request));
}
