/* PATCH /api/admin/bookings/{id} {"customer": {"name"?, "email"?, "phone"?}}: the merchant
 * corrects how a customer is reached (a mistyped address whose mails bounce). Checked by the
 * rules of a new booking; the booking's mails and texts not sent yet follow the new address,
 * so re-sending a failed one (POST /api/admin/deliveries/{id}/resend) reaches the customer. */
#include "mod_kf_booking_customer.h"
#include "mod_kf_bookings_feature.h"
#include "mod_kf_admin_bookings.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "kf_customer.h"
#include "kf_json.h"
#include "kf_text.h"

#include <strings.h>

/* Columns of kf_bc_lock. */
enum { BC_NAME, BC_EMAIL, BC_PHONE, BC_COUNTRY, BC_COLUMNS };

const kfm_sql kfm_booking_customer_sql[] = {
    /* id, tenant */
    {"kf_bc_lock",
     "SELECT r.customer_name, r.customer_email, r.customer_phone, t.country"
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

/* The customer's field `key` when sent: checked with `check` (phone: the tenant's country).
 * NULL when absent or unchanged; errors go to `fields`. */
static const char *read_field(kfm_req *kr, const json_t *customer, const char *key,
                              const char *(*check)(const char *), const char *country,
                              const char *current, json_t *fields)
{
    const char *v = NULL;
    kf_json_field f = kf_json_get_string(customer, key, &v);
    if (f == KF_JSON_FIELD_ABSENT) {
        return NULL;
    }
    const char *path = apr_pstrcat(kr->r->pool, "customer.", key, NULL);
    if (f != KF_JSON_FIELD_OK) {
        json_object_set_new(fields, path, json_string(kf_message(
            f == KF_JSON_FIELD_NULL ? "field_required" : "field_wrong_type", kr->locale)));
        return NULL;
    }
    const char *why = check ? check(v) : kf_customer_check_phone(v, country);
    if (why) {
        json_object_set_new(fields, path, json_string(kf_message(why, kr->locale)));
        return NULL;
    }
    return current && strcmp(current, v) == 0 ? NULL : v;
}

int kfm_handle_admin_booking_customer(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = NULL;
    json_t *body = NULL;
    if (!kfm_admin_booking_action(kr, &id, &body)) {
        return OK;
    }
    json_t *customer = NULL;
    kf_json_field f = kf_json_get_object(body, "customer", &customer);
    if (f != KF_JSON_FIELD_OK) {
        return kfm_reply_fields(kr, json_pack("{s:s}", "customer", kf_message(
            f == KF_JSON_FIELD_WRONG_TYPE ? "field_wrong_type" : "field_required", kr->locale)));
    }
    kfm_tx tx;
    const char *v[BC_COLUMNS];
    if (!kfm_admin_booking_lock(kr, "kf_bc_lock", id, &tx, v, BC_COLUMNS)) {
        return OK;
    }
    json_t *fields = json_object();
    const char *name = read_field(kr, customer, "name", kf_customer_check_name, NULL, v[BC_NAME], fields);
    const char *email = read_field(kr, customer, "email", kf_customer_check_email, NULL, v[BC_EMAIL],
                                   fields);
    const char *phone = read_field(kr, customer, "phone", NULL, v[BC_COUNTRY], v[BC_PHONE], fields);
    if (json_object_size(fields) > 0) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_fields(kr, fields);
    }
    json_decref(fields);
    if (!name && !email && !phone) {             /* nothing changes: the booking as it is */
        kfm_db_rollback(r, &tx);
        return kfm_handle_admin_booking_get(kr);
    }
    const char *uargs[] = {name, email, phone, id};
    apr_status_t rv = kfm_db_exec(r, kr->db, "kf_bc_update", NULL, 4, uargs);
    if (rv == APR_SUCCESS && email && v[BC_EMAIL]) {
        const char *margs[] = {email, id, v[BC_EMAIL]};
        rv = kfm_db_exec(r, kr->db, "kf_bc_mail_follow", NULL, 3, margs);
    }
    if (rv == APR_SUCCESS && phone && v[BC_PHONE]) {
        const char *targs[] = {phone, id, v[BC_PHONE]};
        rv = kfm_db_exec(r, kr->db, "kf_bc_text_follow", NULL, 3, targs);
    }
    if (rv == APR_SUCCESS) {
        /* the audit says what changed, masked as the logs mask people */
        json_t *changes = json_object();
        if (name) {
            json_object_set_new(changes, "customer.name", json_true());
        }
        if (email) {
            json_object_set_new(changes, "customer.email", json_string(kf_mask_email(r->pool, email)));
        }
        if (phone) {
            json_object_set_new(changes, "customer.phone", json_string(kf_mask_phone(r->pool, phone)));
        }
        rv = kfm_audit(kr, kr->db, "booking.customer", "booking", id, changes);
    }
    if (rv != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_handle_admin_booking_get(kr);
}
