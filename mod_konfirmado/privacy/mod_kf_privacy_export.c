/* GET /api/admin/customers/export?email=E[&format=json|csv]: everything held about one
 * customer at the session's tenant (docs/privacy.md), and kfm_privacy_customer_export, the
 * same document for any caller. Each section is one array read by one statement; the CSV
 * is kf_privacy_export_csv's. Every export leaves an audit row without the address. */
#include "mod_kf_privacy_feature.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_json.h"
#include "kf_privacy.h"


/* The tenant and the address, once, for the statements below (two arguments). */
#define CUSTOMER "WITH q AS (SELECT %s::uuid AS tenant, lower(%s) AS email)"
#define BOOKINGS "(SELECT r.id FROM reservations r, q WHERE r.tenant_id = q.tenant" \
                 " AND lower(r.customer_email) = q.email)"
#define PURCHASES "(SELECT u.id FROM purchases u, q WHERE u.tenant_id = q.tenant" \
                  " AND lower(u.customer_email) = q.email)"
#define AT(x) KFM_SQL_RFC3339(x)


const kfm_sql kfm_privacy_export_sql[] = {
    {"kf_privacy_export_bookings",
     CUSTOMER " SELECT coalesce(json_agg(json_build_object('id', r.id, 'status', r.status,"
     "  'service', s.name, 'professional', p.name, 'starts_at', " AT("r.starts_at") ","
     "  'ends_at', " AT("r.ends_at") ", 'customer', json_build_object('name', r.customer_name,"
     "  'email', r.customer_email, 'phone', r.customer_phone, 'timezone', r.customer_timezone),"
     "  'notes', r.notes, 'charge_type', r.charge_type, 'amount', r.charge_amount,"
     "  'currency', r.currency, 'cancelled_at', " AT("r.cancelled_at") ","
     "  'cancelled_by', r.cancelled_by, 'cancel_reason', r.cancel_reason,"
     "  'created_at', " AT("r.created_at") ") ORDER BY r.starts_at, r.id), '[]')::text"
     " FROM q, reservations r JOIN services s ON s.id = r.service_id"
     " JOIN professionals p ON p.id = r.professional_id"
     " WHERE r.tenant_id = q.tenant AND lower(r.customer_email) = q.email"},
    {"kf_privacy_export_purchases",
     CUSTOMER " SELECT coalesce(json_agg(json_build_object('id', u.id, 'status', u.status,"
     "  'package', k.name, 'customer', json_build_object('name', u.customer_name,"
     "  'email', u.customer_email, 'phone', u.customer_phone),"
     "  'sessions_total', u.sessions_total, 'sessions_used', u.sessions_used,"
     "  'amount', u.amount, 'currency', u.currency, 'paid_at', " AT("u.paid_at") ","
     "  'expires_at', " AT("u.expires_at") ", 'created_at', " AT("u.created_at") ")"
     "  ORDER BY u.created_at, u.id), '[]')::text"
     " FROM q, purchases u JOIN packages k ON k.id = u.package_id"
     " WHERE u.tenant_id = q.tenant AND lower(u.customer_email) = q.email"},
    {"kf_privacy_export_payments",
     CUSTOMER " SELECT coalesce(json_agg(json_build_object('id', p.id,"
     "  'booking_id', p.reservation_id, 'purchase_id', p.purchase_id, 'provider', p.provider,"
     "  'reference', p.reference, 'amount', p.amount, 'currency', p.currency,"
     "  'status', p.status, 'provider_transaction_id', p.provider_transaction_id,"
     "  'approved_at', " AT("p.approved_at") ", 'refund_amount', p.refund_amount,"
     "  'refund_status', p.refund_status, 'refunded_at', " AT("p.refunded_at") ","
     "  'created_at', " AT("p.created_at") ") ORDER BY p.created_at, p.id), '[]')::text"
     " FROM q, payments p WHERE p.tenant_id = q.tenant"
     "  AND (p.reservation_id IN " BOOKINGS " OR p.purchase_id IN " PURCHASES ")"},
    /* mails about their bookings or to their address, texts about their bookings */
    {"kf_privacy_export_messages",
     CUSTOMER ", m AS ("
     "  SELECT o.id, 'email' AS channel, o.subject AS kind, o.recipient, o.reservation_id,"
     "    CASE WHEN o.sent_at IS NOT NULL THEN 'sent' WHEN o.failed_at IS NOT NULL THEN 'failed'"
     "         ELSE 'pending' END AS status, o.created_at, o.sent_at"
     "  FROM mail_outbox o, q WHERE o.tenant_id = q.tenant"
     "   AND (o.reservation_id IN " BOOKINGS " OR lower(o.recipient) = q.email)"
     "  UNION ALL"
     "  SELECT o.id, coalesce(ms.channel, 'sms'), o.kind, o.recipient, o.reservation_id,"
     "    CASE o.status WHEN 'queued' THEN 'pending' ELSE o.status END, o.created_at, o.sent_at"
     "  FROM q, message_outbox o LEFT JOIN tenant_messaging_settings ms"
     "   ON ms.tenant_id = o.tenant_id"
     "  WHERE o.tenant_id = q.tenant AND o.reservation_id IN " BOOKINGS ")"
     " SELECT coalesce(json_agg(json_build_object('id', m.id, 'channel', m.channel,"
     "  'kind', m.kind, 'recipient', m.recipient, 'booking_id', m.reservation_id,"
     "  'status', m.status, 'created_at', " AT("m.created_at") ","
     "  'sent_at', " AT("m.sent_at") ") ORDER BY m.created_at, m.id), '[]')::text FROM m"},
    /* the terms accepted with each booking and purchase, and when */
    {"kf_privacy_export_consents",
     CUSTOMER ", c AS ("
     "  SELECT r.id AS booking_id, NULL::uuid AS purchase_id, r.accepted_terms_at,"
     "    r.accepted_terms_version FROM reservations r, q WHERE r.tenant_id = q.tenant"
     "   AND lower(r.customer_email) = q.email AND r.accepted_terms_at IS NOT NULL"
     "  UNION ALL"
     "  SELECT NULL, u.id, u.accepted_terms_at, u.accepted_terms_version FROM purchases u, q"
     "   WHERE u.tenant_id = q.tenant AND lower(u.customer_email) = q.email)"
     " SELECT coalesce(json_agg(json_build_object('booking_id', c.booking_id,"
     "  'purchase_id', c.purchase_id, 'kind', 'terms',"
     "  'accepted_at', " AT("c.accepted_terms_at") ", 'terms_version', c.accepted_terms_version)"
     "  ORDER BY c.accepted_terms_at), '[]')::text FROM c"},
    /* what the customer chose in the portal */
    {"kf_privacy_export_preferences",
     CUSTOMER " SELECT coalesce(json_agg(json_build_object('kind', 'reminders',"
     "  'reminders_email', p.reminders_email, 'reminders_text', p.reminders_text,"
     "  'locale', p.locale, 'updated_at', " AT("p.updated_at") ")), '[]')::text"
     " FROM q, customer_preferences p WHERE p.tenant_id = q.tenant AND p.email = q.email"},
    /* (the merchant's export only) a STOP sent from a number the customer booked with */
    {"kf_privacy_export_text_opt_outs",
     CUSTOMER ", phones AS (SELECT DISTINCT r.customer_phone AS phone FROM reservations r, q"
     "   WHERE r.tenant_id = q.tenant AND lower(r.customer_email) = q.email"
     "     AND r.customer_phone IS NOT NULL)"
     " SELECT coalesce(json_agg(json_build_object('kind', 'texts_stopped',"
     "  'phone', phones.phone, 'since', " AT("o.created_at") ")"
     "  ORDER BY o.created_at, phones.phone), '[]')::text"
     " FROM q, phones, customer_text_opt_outs o"
     " WHERE o.tenant_id = q.tenant AND o.phone_hash = kf_text_suppression(q.tenant, phones.phone)"},
    {"kf_privacy_export_requests",
     CUSTOMER " SELECT coalesce(json_agg(json_build_object('id', e.id, 'status', e.status,"
     "  'requested_at', " AT("e.requested_at") ") ORDER BY e.requested_at), '[]')::text"
     " FROM q, erasure_requests e WHERE e.tenant_id = q.tenant AND lower(e.email) = q.email"},
    {NULL, NULL},
};

/* Each section of the export and the statement that reads it. A phone's STOP is the
 * merchant's to see: the portal proves an address, not the numbers typed with it, and
 * whoever booked with someone else's number must not learn whether it said STOP. */
static const struct {
    const char *name, *label;
    int merchant_only;
} sections[] = {
    {"bookings", "kf_privacy_export_bookings", 0},
    {"purchases", "kf_privacy_export_purchases", 0},
    {"payments", "kf_privacy_export_payments", 0},
    {"messages", "kf_privacy_export_messages", 0},
    {"consents", "kf_privacy_export_consents", 0},
    {"preferences", "kf_privacy_export_preferences", 0},
    {"text_opt_outs", "kf_privacy_export_text_opt_outs", 1},
    {"erasure_requests", "kf_privacy_export_requests", 0},
    {NULL, NULL, 0},
};

json_t *kfm_privacy_customer_export(request_rec *r, ap_dbd_t *db, const char *tenant_id,
                                    const char *email, kfm_export_reader reader)
{
    json_t *out = json_object();
    kf_json_set_str(out, "email", email);
    const char *args[] = {tenant_id, email};
    for (int i = 0; sections[i].name; i++) {
        if (sections[i].merchant_only && reader != KFM_EXPORT_FOR_MERCHANT) {
            continue;
        }
        const char *text = NULL;
        json_t *section = NULL;
        if (kfm_db_select_row(r, db, NULL, sections[i].label, 2, args, &text, 1) == APR_SUCCESS) {
            section = json_loads(text, 0, NULL);
        }
        if (!json_is_array(section)) {
            json_decref(section);
            json_decref(out);
            out = NULL;
            break;
        }
        json_object_set_new(out, sections[i].name, section);
    }
    return out;
}

static const char *read_export_query(kfm_req *kr, const apr_table_t *params, void *q,
                                     const char **why)
{
    return kf_privacy_export_query_read(params, q, why);
}

int kfm_handle_customer_export(kfm_req *kr)
{
    request_rec *r = kr->r;
    int reply = OK;
    kf_privacy_export_query q;
    if (!kfm_query_read(kr, read_export_query, &q, &reply)) {
        return reply;
    }
    json_t *export = kfm_privacy_customer_export(r, kr->db, kr->session->tenant.id, q.email,
                                                 KFM_EXPORT_FOR_MERCHANT);
    if (!export) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_t *changes = json_pack("{s:s}", "format", q.csv ? "csv" : "json");
    if (kfm_audit(kr, kr->db, "customer.export", "customer", NULL, changes) != APR_SUCCESS) {
        json_decref(export);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (!q.csv) {
        return kfm_reply_json(kr, HTTP_OK, export);
    }
    const char *text = kf_privacy_export_csv(r->pool, export);
    json_decref(export);
    r->status = HTTP_OK;
    ap_set_content_type(r, "text/csv; charset=utf-8; header=present");
    apr_table_setn(r->headers_out, "Content-Disposition",
                   "attachment; filename=\"customer-data.csv\"");
    if (!r->header_only) {
        ap_rputs(text, r);
    }
    return OK;
}
