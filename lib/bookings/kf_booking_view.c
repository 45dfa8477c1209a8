/* A booking as the merchant sees it. See kf_booking_view.h. */
#include "kf_booking_view.h"
#include "kf_booking_status.h"
#include "kf_seats.h"
#include "kf_csv.h"
#include "kf_json.h"
#include "kf_metadata.h"
#include "kf_reservation.h"
#include "kf_time.h"

#include <stdlib.h>
#include <apr_strings.h>

json_t *kf_booking_list_item(const char *const *v)
{
    json_t *item = json_object();
    kf_json_set_str(item, "id", v[KF_BOOKING_COL_ID]);
    kf_json_set_str(item, "status", v[KF_BOOKING_COL_STATUS]);
    kf_json_set_str(item, "status_reason", v[KF_BOOKING_COL_STATUS_REASON]);
    kf_json_set_str(item, "start", v[KF_BOOKING_COL_START]);
    kf_json_set_str(item, "end", v[KF_BOOKING_COL_END]);
    kf_json_set_str(item, "local_start", v[KF_BOOKING_COL_LOCAL_START]);

    json_t *service = json_object();
    kf_json_set_str(service, "id", v[KF_BOOKING_COL_SERVICE_ID]);
    kf_json_set_str(service, "name", v[KF_BOOKING_COL_SERVICE_NAME]);
    kf_json_set_new(item, "service", service);

    json_t *professional = json_object();
    kf_json_set_str(professional, "id", v[KF_BOOKING_COL_PROFESSIONAL_ID]);
    kf_json_set_str(professional, "name", v[KF_BOOKING_COL_PROFESSIONAL_NAME]);
    kf_json_set_new(item, "professional", professional);
    kf_booking_set_team(item, v[KF_BOOKING_COL_TEAM]);

    json_t *customer = json_object();
    kf_json_set_str(customer, "name", v[KF_BOOKING_COL_CUSTOMER_NAME]);
    kf_json_set_str(customer, "email", v[KF_BOOKING_COL_CUSTOMER_EMAIL]);
    kf_json_set_str(customer, "phone", v[KF_BOOKING_COL_CUSTOMER_PHONE]);
    kf_json_set_new(item, "customer", customer);

    /* a hold has no charge yet: null rather than a half-filled object */
    if (v[KF_BOOKING_COL_CHARGE_TYPE] && v[KF_BOOKING_COL_CHARGE_AMOUNT] &&
        v[KF_BOOKING_COL_CURRENCY]) {
        json_t *charge = json_object();
        kf_json_set_str(charge, "type", v[KF_BOOKING_COL_CHARGE_TYPE]);
        kf_json_set_int(charge, "amount", (json_int_t)apr_atoi64(v[KF_BOOKING_COL_CHARGE_AMOUNT]));
        kf_json_set_str(charge, "currency", v[KF_BOOKING_COL_CURRENCY]);
        kf_json_set_new(item, "charge", charge);
    }
    else {
        kf_json_set_null(item, "charge");
    }
    kf_json_set_str(item, "created_at", v[KF_BOOKING_COL_CREATED_AT]);
    /* the customer disputes a payment of it at the provider: the list marks it */
    kf_json_set_str(item, "dispute_status", v[KF_BOOKING_COL_DISPUTE]);
    json_t *metadata = kf_metadata_object(v[KF_BOOKING_COL_METADATA]);
    kf_json_set_new(item, "metadata", metadata ? metadata : json_null());
    return item;
}

json_t *kf_booking_list_page(const char *const *const *rows, int n, const char *total, int page,
                             int per_page)
{
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(items, kf_booking_list_item(rows[i]));
    }
    json_t *body = json_object();
    kf_json_set_new(body, "items", items);
    kf_json_set_int(body, "total", total ? (json_int_t)apr_atoi64(total) : 0);
    kf_json_set_int(body, "page", page);
    kf_json_set_int(body, "per_page", per_page);
    return body;
}

json_t *kf_booking_detail(const char *const *v)
{
    json_t *booking = kf_booking_list_item(v);
    kf_json_set_str(booking, "notes", v[KF_BOOKING_COL_NOTES]);
    kf_json_set_str(booking, "accepted_terms_at", v[KF_BOOKING_COL_ACCEPTED_TERMS_AT]);
    kf_json_set_str(booking, "link", v[KF_BOOKING_COL_LINK]);
    return booking;
}

void kf_booking_detail_mark(apr_pool_t *p, json_t *booking, const char *marked_at,
                            const char *now)
{
    apr_int64_t at = marked_at ? apr_atoi64(marked_at) : 0;
    if (now && kf_res_mark_open(at, apr_atoi64(now))) {
        kf_json_set_str(booking, "mark_changeable_until",
                        kf_time_utc_text(p, at + KF_RES_MARK_OPEN_SECONDS));
    }
    else {
        kf_json_set_null(booking, "mark_changeable_until");
    }
}

json_t *kf_booking_class(const char *const *place, const char *const *const *attendees, int n)
{
    if (!place) {
        return json_null();
    }
    int capacity = atoi(place[KF_CLASS_COL_CAPACITY]), taken = atoi(place[KF_CLASS_COL_TAKEN]);
    json_t *c = json_object();
    kf_json_set_int(c, "capacity", capacity);
    kf_json_set_int(c, "seat", atoi(place[KF_CLASS_COL_SEAT]));
    kf_json_set_int(c, "seats_taken", taken);
    kf_json_set_int(c, "seats_left", kf_seats_left(capacity, taken));
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        const char *const *a = attendees[i];
        json_t *one = json_object();
        kf_json_set_str(one, "id", a[KF_ATTENDEE_COL_ID]);
        kf_json_set_int(one, "seat", atoi(a[KF_ATTENDEE_COL_SEAT]));
        kf_json_set_str(one, "status", a[KF_ATTENDEE_COL_STATUS]);
        kf_json_set_str(one, "customer_name", a[KF_ATTENDEE_COL_NAME]);
        json_array_append_new(list, one);
    }
    kf_json_set_new(c, "attendees", list);
    return c;
}

json_t *kf_booking_change_view(const char *const *v)
{
    json_t *change = json_object();
    kf_json_set_str(change, "from", v[KF_BOOKING_CHANGE_COL_FROM]);
    kf_json_set_str(change, "to", v[KF_BOOKING_CHANGE_COL_TO]);
    kf_json_set_str(change, "reason", v[KF_BOOKING_CHANGE_COL_REASON]);
    kf_json_set_str(change, "at", v[KF_BOOKING_CHANGE_COL_AT]);
    return change;
}

json_t *kf_booking_history(const char *const *const *rows, int n)
{
    json_t *history = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(history, kf_booking_change_view(rows[i]));
    }
    return history;
}

void kf_booking_detail_attach(json_t *booking, json_t *payments, json_t *callback,
                              json_t *calendar_event)
{
    size_t npay = json_array_size(payments);
    json_object_set(booking, "payment", npay ? json_array_get(payments, npay - 1) : json_null());
    json_object_set(booking, "payments", payments);
    json_object_set(booking, "callback", callback ? callback : json_null());
    json_t *attempts = callback ? json_object_get(callback, "attempt_log") : NULL;
    if (attempts) {
        json_object_set(booking, "callback_attempts", attempts);
    }
    else {
        json_object_set_new(booking, "callback_attempts", json_array());
    }
    /* the event in the professional's calendar: written, pending, failed (API.md) */
    json_object_set(booking, "calendar_event", calendar_event ? calendar_event : json_null());
}

/* The header row and, for each column, which booking column fills it. */
static const struct {
    const char *name;
    int column;
} export_columns[] = {
    {"id", KF_BOOKING_COL_ID},
    {"status", KF_BOOKING_COL_STATUS},
    {"status_reason", KF_BOOKING_COL_STATUS_REASON},
    {"start", KF_BOOKING_COL_START},
    {"end", KF_BOOKING_COL_END},
    {"local_start", KF_BOOKING_COL_LOCAL_START},
    {"service_id", KF_BOOKING_COL_SERVICE_ID},
    {"service_name", KF_BOOKING_COL_SERVICE_NAME},
    {"professional_id", KF_BOOKING_COL_PROFESSIONAL_ID},
    {"professional_name", KF_BOOKING_COL_PROFESSIONAL_NAME},
    {"customer_name", KF_BOOKING_COL_CUSTOMER_NAME},
    {"customer_email", KF_BOOKING_COL_CUSTOMER_EMAIL},
    {"customer_phone", KF_BOOKING_COL_CUSTOMER_PHONE},
    {"charge_type", KF_BOOKING_COL_CHARGE_TYPE},
    {"charge_amount", KF_BOOKING_COL_CHARGE_AMOUNT},
    {"currency", KF_BOOKING_COL_CURRENCY},
    {"created_at", KF_BOOKING_COL_CREATED_AT},
    {"accepted_terms_at", KF_BOOKING_COL_ACCEPTED_TERMS_AT},
    {"notes", KF_BOOKING_COL_NOTES},
};
#define EXPORT_NCOLS ((int)(sizeof(export_columns) / sizeof(export_columns[0])))

/* The keys of "a,b" as an array of p. */
static apr_array_header_t *keys_of(apr_pool_t *p, const char *metadata_keys)
{
    apr_array_header_t *keys = apr_array_make(p, 4, sizeof(const char *));
    char *last = NULL;
    char *list = apr_pstrdup(p, metadata_keys ? metadata_keys : "");
    for (char *k = apr_strtok(list, ",", &last); k; k = apr_strtok(NULL, ",", &last)) {
        APR_ARRAY_PUSH(keys, const char *) = k;
    }
    return keys;
}

const char *kf_booking_csv_header(apr_pool_t *p, const char *metadata_keys)
{
    apr_array_header_t *keys = keys_of(p, metadata_keys);
    const char **names = apr_palloc(p, sizeof(*names) * (EXPORT_NCOLS + keys->nelts));
    for (int c = 0; c < EXPORT_NCOLS; c++) {
        names[c] = export_columns[c].name;
    }
    for (int k = 0; k < keys->nelts; k++) {
        names[EXPORT_NCOLS + k] =
            apr_pstrcat(p, "metadata.", APR_ARRAY_IDX(keys, k, const char *), NULL);
    }
    return kf_csv_record(p, names, EXPORT_NCOLS + keys->nelts);
}

const char *kf_booking_csv_record(apr_pool_t *p, const char *const *row,
                                  const char *metadata_keys)
{
    apr_array_header_t *keys = keys_of(p, metadata_keys);
    const char **cells = apr_palloc(p, sizeof(*cells) * (EXPORT_NCOLS + keys->nelts));
    for (int c = 0; c < EXPORT_NCOLS; c++) {
        cells[c] = row[export_columns[c].column];
    }
    json_t *metadata = kf_metadata_object(row[KF_BOOKING_COL_METADATA]);
    for (int k = 0; k < keys->nelts; k++) {
        const char *v = json_string_value(
            json_object_get(metadata, APR_ARRAY_IDX(keys, k, const char *)));
        cells[EXPORT_NCOLS + k] = v ? apr_pstrdup(p, v) : "";
    }
    json_decref(metadata);
    return kf_csv_record(p, cells, EXPORT_NCOLS + keys->nelts);
}

const char *kf_booking_export_filename(apr_pool_t *p, const char *today)
{
    const char *t = today;
    return apr_psprintf(p, "bookings-%s.csv",
                        t ? apr_psprintf(p, "%.4s%.2s%.2s", t, t + 5, t + 8) : "export");
}

/* A number known when compiling as the text of a statement's argument. */
#define NUMBER_TEXT_(n) #n
#define NUMBER_TEXT(n) NUMBER_TEXT_(n)

void kf_booking_export_args(const char *tenant_id, const kf_booking_filter *f, const char **args)
{
    kf_booking_filter_args(tenant_id, f, args);
    args[KF_BOOKING_EXPORT_AFTER_AT] = args[KF_BOOKING_EXPORT_AFTER_AT + 1] = NULL;
    args[KF_BOOKING_EXPORT_AFTER_ID] = NULL;
    args[KF_BOOKING_EXPORT_LIMIT] = NUMBER_TEXT(KF_BOOKING_EXPORT_BATCH_ROWS);
}

void kf_booking_export_after(apr_pool_t *p, const char *const *last, int written,
                             const char **args)
{
    int limit = KF_BOOKING_EXPORT_MAX_ROWS - written;
    args[KF_BOOKING_EXPORT_AFTER_AT] = apr_pstrdup(p, last[KF_BOOKING_COL_STARTS_AT_RAW]);
    args[KF_BOOKING_EXPORT_AFTER_AT + 1] = args[KF_BOOKING_EXPORT_AFTER_AT];
    args[KF_BOOKING_EXPORT_AFTER_ID] = apr_pstrdup(p, last[KF_BOOKING_COL_ID]);
    args[KF_BOOKING_EXPORT_LIMIT] =
        apr_itoa(p, limit < KF_BOOKING_EXPORT_BATCH_ROWS ? limit : KF_BOOKING_EXPORT_BATCH_ROWS);
}

int kf_booking_export_truncated(const char *total)
{
    return total && apr_atoi64(total) > KF_BOOKING_EXPORT_MAX_ROWS;
}

json_t *kf_booking_export_audit(const kf_booking_filter *f, const char *total)
{
    apr_int64_t matched = total ? apr_atoi64(total) : 0;
    json_t *filters = json_object();
    const struct {
        const char *name;
        const char *value;
    } given[] = {
        {"status", f->statuses}, {"service", f->service_id},
        {"professional", f->professional_id}, {"from", f->from}, {"to", f->to},
        {"callback", f->callback}, {"refund", f->refund}, {"customer", f->customer},
    };
    for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++) {
        if (given[i].value) {
            json_object_set_new(filters, given[i].name, json_string(given[i].value));
        }
    }
    if (f->q_pattern) {
        json_object_set_new(filters, "search", json_true());
    }
    return json_pack("{s:s, s:I, s:b, s:o}", "format", "csv", "rows",
                     (json_int_t)(matched > KF_BOOKING_EXPORT_MAX_ROWS ? KF_BOOKING_EXPORT_MAX_ROWS
                                                                       : matched),
                     "truncated", matched > KF_BOOKING_EXPORT_MAX_ROWS, "filters", filters);
}
