/* GET /api/admin/bookings.csv: the admin bookings list (same filters, same order) as a
 * spreadsheet-safe CSV download.
 *
 * Decisions:
 * - The columns, the records (RFC 4180 with the formula guard of kf_csv.h on every cell), the
 *   file name and the cap are lib/bookings/kf_booking_view.h's.
 * - A UTF-8 byte order mark first: Excel otherwise opens the file as ANSI and mangles
 *   "Peña" — the merchants this is for open exports in Excel.
 * - page and per_page are ignored; at most KF_BOOKING_EXPORT_MAX_ROWS rows. X-Total-Count says how
 *   many bookings matched and X-Export-Truncated: true that the file stops at the cap.
 * - Streamed: rows are read in keyset batches of KF_BOOKING_EXPORT_BATCH_ROWS (each batch's
 *   memory is freed before the next) and written as they come, never built into one string. A
 *   failure before the first byte answers the usual JSON error; one after it aborts the
 *   response (no terminating chunk) so the client cannot take a cut file as complete.
 * - Amounts are integer minor units as in the JSON (charge_amount, with currency).
 * - Every export leaves an audit row (booking.export: who, from where, how many rows, which
 *   filters) before its first byte; no row, no file. A HEAD exports nothing and leaves none. */
#include "mod_kf_booking_admin_feature.h"
#include "mod_kf_admin_bookings.h"
#include "mod_kf_session.h"
#include "mod_kf_audit.h"
#include "kf_csv.h"
#include "kf_booking_view.h"

#include <apr_buckets.h>

typedef struct export_state {
    kfm_req *kr;
    request_rec batch_r;       /* the request with a per-batch pool: see fetch_batch */
    const char *args[KF_BOOKING_EXPORT_ARGS];
    kfm_rows *res;
    int rows;                  /* rows in res */
    int written;               /* rows written so far */
    const char *metadata_keys; /* a column for each ("a,b"), NULL: none */
} export_state;

/* Reads the next batch after the last row written (the first when nothing was). The
 * statement runs on a copy of the request whose pool is the batch pool: kfm_db_select
 * ties the result's lifetime to r->pool, and a 50,000-row export must not keep every
 * batch alive until the request ends. */
static apr_status_t fetch_batch(export_state *st, apr_pool_t *batch_pool)
{
    st->batch_r.pool = batch_pool;
    st->res = NULL;
    st->rows = 0;
    apr_status_t rv = kfm_db_select(&st->batch_r, st->kr->db, "kf_ab_export_batch", &st->res,
                                   KF_BOOKING_EXPORT_ARGS, st->args);
    if (rv == APR_SUCCESS) {
        st->rows = kfm_db_rows(st->kr->db, st->res);
    }
    return rv;
}

/* Writes the current batch; the next one starts after its last row (kf_booking_export_after,
 * into the request pool: the batch pool is about to be cleared). -1 when the client left. */
static int write_batch(export_state *st, apr_pool_t *batch_pool)
{
    ap_dbd_t *db = st->kr->db;
    request_rec *r = st->kr->r;
    const char *v[KF_BOOKING_COL_COUNT];
    for (int i = 0; i < st->rows; i++) {
        kfm_db_row(db, batch_pool, st->res, i, v, KF_BOOKING_COL_COUNT);
        if (ap_rputs(kf_booking_csv_record(batch_pool, v, st->metadata_keys), r) < 0) {
            return -1;
        }
    }
    st->written += st->rows;
    if (st->rows > 0) {   /* v holds the last row */
        kf_booking_export_after(r->pool, v, st->written, st->args);
    }
    return 0;
}

/* The headers are out: end the response as broken (an error bucket keeps the chunked
 * encoding from writing its last chunk, and the connection is closed). */
static void abort_response(request_rec *r)
{
    apr_bucket_alloc_t *ba = r->connection->bucket_alloc;
    apr_bucket_brigade *bb = apr_brigade_create(r->pool, ba);
    APR_BRIGADE_INSERT_TAIL(bb, ap_bucket_error_create(HTTP_BAD_GATEWAY, NULL, r->pool, ba));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(ba));
    r->connection->keepalive = AP_CONN_CLOSE;
    ap_pass_brigade(r->output_filters, bb);
}

int kfm_handle_admin_bookings_csv(kfm_req *kr)
{
    request_rec *r = kr->r;
    kf_booking_filter f;
    if (kfm_admin_bookings_read_filter(kr, &f, 1) != 0) {
        return OK;
    }
    export_state *st = apr_pcalloc(r->pool, sizeof(*st));
    st->kr = kr;
    st->batch_r = *r;
    kf_booking_export_args(kr->session->tenant.id, &f, st->args);

    kfm_rows *res = NULL;
    if (kfm_db_select(r, kr->db, "kf_ab_count", &res, 1 + KF_BOOKING_FILTER_ARGS, st->args) !=
        APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *total = kfm_db_value(kr->db, r->pool, res, 0, 0);
    res = NULL;
    if (kfm_db_select(r, kr->db, "kf_ab_export_metadata_keys", &res, 1 + KF_BOOKING_FILTER_ARGS,
                      st->args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    st->metadata_keys = kfm_db_value(kr->db, r->pool, res, 0, 0);

    apr_pool_t *batch_pool;
    apr_pool_create(&batch_pool, r->pool);
    if (!r->header_only &&
        (fetch_batch(st, batch_pool) != APR_SUCCESS ||
         kfm_audit(kr, kr->db, "booking.export", "booking", NULL,
                   kf_booking_export_audit(&f, total)) != APR_SUCCESS)) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }

    r->status = HTTP_OK;
    ap_set_content_type(r, "text/csv; charset=utf-8; header=present");
    apr_table_setn(r->headers_out, "Content-Disposition",
                   apr_psprintf(r->pool, "attachment; filename=\"%s\"",
                                kf_booking_export_filename(r->pool, kr->session->tenant.today)));
    apr_table_setn(r->headers_out, "X-Total-Count", total ? total : "0");
    if (kf_booking_export_truncated(total)) {
        apr_table_setn(r->headers_out, "X-Export-Truncated", "true");
    }
    if (r->header_only) {
        return OK;
    }
    if (ap_rputs(KF_CSV_BOM, r) < 0 || ap_rputs(kf_booking_csv_header(r->pool, st->metadata_keys), r) < 0) {
        return OK;   /* the client went away */
    }
    for (;;) {
        if (write_batch(st, batch_pool) != 0) {
            return OK;
        }
        if (st->rows < KF_BOOKING_EXPORT_BATCH_ROWS || st->written >= KF_BOOKING_EXPORT_MAX_ROWS) {
            break;
        }
        apr_pool_clear(batch_pool);
        if (fetch_batch(st, batch_pool) != APR_SUCCESS) {
            kfm_log(kr, APLOG_ERR, "bookings export stopped after %d rows: database failure",
                   st->written);
            abort_response(r);
            return OK;
        }
    }
    apr_pool_destroy(batch_pool);
    return OK;
}
