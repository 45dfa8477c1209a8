/* GET /api/admin/deliveries?status&page&per_page and POST /api/admin/deliveries/{id}/resend:
 * what was (or could not be) sent about the session tenant's bookings. The state lives in
 * each outbox (mail_outbox, message_outbox, merchant_callbacks); `deliveries` reads them. */
#include "mod_kf_deliveries.h"
#include "mod_kf_sql.h"
#include "mod_kf_messaging_columns.h"
#include "mod_kf_messaging_feature.h"
#include "mod_kf_session.h"
#include "mod_kf_audit.h"
#include "mod_kf_booking_mail.h"
#include "kf_deliveries.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <util_script.h>

#define DELIVERY_COLUMNS                                                                    \
    "SELECT " KFM_SQL_COLUMNS(KFM_DELIVERY_COLUMNS) " FROM deliveries"
#define DELIVERIES_WHERE " WHERE tenant_id = %s::uuid AND (%s::text IS NULL OR status = %s::text)"

/* Columns of kf_delivery_refused_mail. */
#define REFUSED_MAIL_COLUMNS(FIRST, NEXT)                                                   \
    FIRST(REFUSED_BOOKING, "reservation_id")                                                \
    NEXT(REFUSED_SUBJECT, "subject")                                                        \
    NEXT(REFUSED_RECIPIENT, "recipient")
enum { REFUSED_MAIL_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) REFUSED_COLUMNS };

const kfm_sql kfm_deliveries_sql[] = {
    {"kf_deliveries_count", "SELECT count(*) FROM deliveries" DELIVERIES_WHERE},
    {"kf_deliveries_page",
     DELIVERY_COLUMNS DELIVERIES_WHERE
     " ORDER BY coalesce(last_attempt_at, created_at) DESC, id LIMIT %s::int OFFSET %s::int"},
    {"kf_deliveries_of_booking",
     DELIVERY_COLUMNS " WHERE tenant_id = %s::uuid AND booking_id = %s::uuid"
     " ORDER BY created_at, id"},
    /* Sent again from the start: the job of each outbox picks it up. A mail refused at queue
     * time has no message to send (its bodies were never written): it is left alone. */
    {"kf_delivery_resend",
     "WITH m AS (UPDATE mail_outbox SET failed_at = NULL, sent_at = NULL, attempts = 0,"
     "   next_attempt_at = now(), last_error = NULL, last_fault = NULL"
     "   WHERE id = %s::uuid AND tenant_id = %s::uuid AND body_text <> '' RETURNING id),"
     " t AS (UPDATE message_outbox SET status = 'queued', attempts = 0, next_attempt_at = now(),"
     "   last_error = NULL, sent_at = NULL"
     "   WHERE id = %s::uuid AND tenant_id = %s::uuid AND body_sealed IS NOT NULL RETURNING id),"
     " c AS (UPDATE merchant_callbacks SET status = 'pending', attempts = 0,"
     "   next_attempt_at = now(), updated_at = now()"
     "   WHERE id = %s::uuid AND tenant_id = %s::uuid RETURNING id)"
     " SELECT id FROM m UNION ALL SELECT id FROM t UNION ALL SELECT id FROM c"},
    {"kf_delivery_exists", "SELECT 1 FROM deliveries WHERE id = %s::uuid AND tenant_id = %s::uuid"},
    /* a booking's mail refused at queue time: its booking, template and recipient, locked */
    {"kf_delivery_refused_mail",
     "SELECT " KFM_SQL_COLUMNS(REFUSED_MAIL_COLUMNS) " FROM mail_outbox"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid AND body_text = '' AND sent_at IS NULL"
     " AND reservation_id IS NOT NULL FOR UPDATE"},
    {NULL, NULL},
};

/* Every row of res as the merchant sees a delivery. */
static json_t *delivery_items(kfm_req *kr, kfm_rows *res)
{
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, kr->r->pool, res,
                                                     KF_DELIVERY_COLUMNS, &n);
    return kf_delivery_items_json(rows, n);
}

json_t *kfm_deliveries_of_booking(kfm_req *kr, const char *booking_id)
{
    kfm_rows *res = NULL;
    const char *args[] = {kr->session->tenant.id, booking_id};
    if (kfm_db_select(kr->r, kr->db, "kf_deliveries_of_booking", &res, 2, args) != APR_SUCCESS) {
        return NULL;
    }
    return delivery_items(kr, res);
}

int kfm_handle_deliveries_list(kfm_req *kr)
{
    request_rec *r = kr->r;
    apr_table_t *q = NULL;
    ap_args_to_table(r, &q);
    kf_deliveries_query dq;
    if (!kf_deliveries_query_read(q ? apr_table_get(q, "status") : NULL,
                                  q ? apr_table_get(q, "page") : NULL,
                                  q ? apr_table_get(q, "per_page") : NULL, &dq)) {
        return kfm_reply_error(kr, HTTP_BAD_REQUEST, "invalid_parameter");
    }
    const char *args[] = {kr->session->tenant.id, dq.status, dq.status,
                          apr_itoa(r->pool, dq.per_page), apr_ltoa(r->pool, dq.offset)};
    kfm_rows *count = NULL, *rows = NULL;
    if (kfm_db_select(r, kr->db, "kf_deliveries_count", &count, 3, args) != APR_SUCCESS ||
        kfm_db_select(r, kr->db, "kf_deliveries_page", &rows, 5, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    apr_int64_t total = kfm_db_number(kfm_db_value(kr->db, r->pool, count, 0, 0));
    return kfm_reply_json(kr, HTTP_OK, kf_deliveries_page_json(delivery_items(kr, rows), total, &dq));
}

/* APR_SUCCESS when mail `id` was a booking mail refused at queue time and is now queued;
 * APR_NOTFOUND when it is no such mail, APR_EINVAL when it cannot be written again (a
 * reminder, or refused again: nothing changed), APR_EGENERAL when the database failed. */
static apr_status_t write_refused_mail_again(kfm_req *kr, const char *id)
{
    const char *args[] = {id, kr->session->tenant.id};
    const char *v[REFUSED_COLUMNS];
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_delivery_refused_mail",
                                        2, args, v, REFUSED_COLUMNS);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? rv : APR_EGENERAL;
    }
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    rv = kfm_booking_mail_again(&c, kr->db, id, v[REFUSED_BOOKING], v[REFUSED_SUBJECT],
                                v[REFUSED_RECIPIENT]);
    return rv == APR_SUCCESS ? rv : APR_EINVAL;
}

int kfm_handle_delivery_resend(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = apr_table_get(kr->params, "id");
    if (!kf_is_uuid(id)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "delivery_not_found");
    }
    const char *tenant_id = kr->session->tenant.id;
    const char *args[] = {id, tenant_id, id, tenant_id, id, tenant_id};
    kfm_tx tx;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    kfm_rows *res = NULL;
    if (kfm_db_select(r, kr->db, "kf_delivery_resend", &res, 6, args) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_rows(kr->db, res) < 1) {
        /* a booking's mail that could not be queued has no message yet: written now, from
         * the booking as it is (a corrected customer address included) */
        switch (write_refused_mail_again(kr, id)) {
        case APR_SUCCESS:
            goto resent;
        case APR_EGENERAL:
            return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        default:
            break;
        }
        kfm_db_rollback(r, &tx);
        kfm_rows *found = NULL;
        if (kfm_db_select(r, kr->db, "kf_delivery_exists", &found, 2, args) != APR_SUCCESS) {
            return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
        return kfm_db_rows(kr->db, found) < 1
                   ? kfm_reply_error(kr, HTTP_NOT_FOUND, "delivery_not_found")
                   : kfm_reply_error(kr, HTTP_CONFLICT, "delivery_not_resendable");
    }
resent:
    if (kfm_audit(kr, kr->db, "delivery.resend", "delivery", id, NULL) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_ACCEPTED, json_pack("{s:s, s:s}", "id", id, "status", "pending"));
}
