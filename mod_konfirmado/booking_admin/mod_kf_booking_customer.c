/* PATCH /api/admin/bookings/{id} {"customer": {"name"?, "email"?, "phone"?}}: the merchant
 * corrects how a customer is reached (a mistyped address whose mails bounce). Checked by the
 * rules of a new booking; the booking's mails and texts not sent yet follow the new address,
 * so re-sending a failed one (POST /api/admin/deliveries/{id}/resend) reaches the customer. */
#include "mod_kf_booking_admin_columns.h"
#include "mod_kf_booking_customer.h"
#include "mod_kf_booking_admin_feature.h"
#include "mod_kf_admin_bookings.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "kf_customer.h"
#include "kf_json.h"
#include "kf_text.h"

#include <strings.h>

const kfm_sql kfm_booking_customer_sql[] = {
    /* id, tenant: the customer, locked */
    {"kf_bc_lock",
     "SELECT " KFM_SQL_COLUMNS(KFM_BOOKING_CUSTOMER_COLUMNS)
     " FROM reservations r JOIN tenants t ON t.id = r.tenant_id"
     " WHERE r.id = %s::uuid AND r.tenant_id = %s::uuid FOR UPDATE OF r"},
    /* name, email, phone (NULL: unchanged), id */
    {"kf_bc_update",
     "UPDATE reservations SET customer_name = coalesce(%s, customer_name),"
     " customer_email = coalesce(%s, customer_email), customer_phone = coalesce(%s, customer_phone),"
     " updated_at = now() WHERE id = %s::uuid"},
    /* new address, booking, old address: its mails not sent yet go to the new one */
    {"kf_bc_mail_follow",
     "UPDATE mail_outbox SET recipient = %s WHERE reservation_id = %s::uuid"
     " AND lower(recipient) = lower(%s) AND sent_at IS NULL"},
    /* new number, booking, old number: its texts not sent yet go to the new one */
    {"kf_bc_text_follow",
     "UPDATE message_outbox SET recipient = %s WHERE reservation_id = %s::uuid"
     " AND recipient = %s AND status <> 'sent'"},
    {NULL, NULL},
};

int kfm_handle_admin_booking_customer(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = NULL;
    json_t *body = NULL;
    if (!kfm_admin_booking_action(kr, &id, &body)) {
        return OK;
    }
    kf_fields f;
    kf_fields_init(&f, r->pool, kr->locale);
    const json_t *customer = kf_customer_change_of(&f, body);
    if (!customer) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    kfm_tx tx;
    const char *v[KF_CUSTOMER_COL_COUNT];
    if (!kfm_admin_booking_lock(kr, "kf_bc_lock", id, &tx, v, KF_CUSTOMER_COL_COUNT)) {
        return OK;
    }
    kf_customer changed;
    kf_customer_change_read(&f, customer, v, &changed);
    if (!kf_fields_ok(&f)) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    const char *name = changed.name, *email = changed.email, *phone = changed.phone;
    if (!name && !email && !phone) {             /* nothing changes: the booking as it is */
        kfm_db_rollback(r, &tx);
        return kfm_handle_admin_booking_get(kr);
    }
    const char *uargs[] = {name, email, phone, id};
    apr_status_t rv = kfm_db_exec(r, kr->db, "kf_bc_update", NULL, 4, uargs);
    if (rv == APR_SUCCESS && email && v[KF_CUSTOMER_COL_EMAIL]) {
        const char *margs[] = {email, id, v[KF_CUSTOMER_COL_EMAIL]};
        rv = kfm_db_exec(r, kr->db, "kf_bc_mail_follow", NULL, 3, margs);
    }
    if (rv == APR_SUCCESS && phone && v[KF_CUSTOMER_COL_PHONE]) {
        const char *targs[] = {phone, id, v[KF_CUSTOMER_COL_PHONE]};
        rv = kfm_db_exec(r, kr->db, "kf_bc_text_follow", NULL, 3, targs);
    }
    if (rv == APR_SUCCESS) {
        rv = kfm_audit(kr, kr->db, "booking.customer", "booking", id,
                       kf_customer_change_audit(r->pool, &changed));
    }
    if (rv != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_handle_admin_booking_get(kr);
}
