/* What a customer signed in to the portal asks of their own data: GET /api/public/me/export
 * (the merchant's export, for this address at this tenant), POST /api/public/me/erasure
 * (a request the merchant confirms, or the privacy job carries out erasure_auto_days later;
 * docs/privacy.md) and GET /api/public/me/erasure ({"pending": that request while it waits,
 * or null}, so the portal tells it again on the next visit). */
#include "mod_kf_privacy_feature.h"
#include "mod_kf_portal.h"
#include "kf_privacy.h"

int kfm_handle_portal_export(kfm_req *kr)
{
    kfm_customer me;
    if (!kfm_portal_customer(kr, &me)) {
        return OK;
    }
    json_t *export = kfm_privacy_customer_export(kr->r, kr->db, me.tenant_id, me.email,
                                                 KFM_EXPORT_FOR_CUSTOMER);
    if (!export) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    apr_table_setn(kr->r->headers_out, "Content-Disposition",
                   "attachment; filename=\"my-data.json\"");
    return kfm_reply_json(kr, HTTP_OK, export);
}

int kfm_handle_portal_erasure(kfm_req *kr)
{
    kfm_customer me;
    if (!kfm_portal_customer(kr, &me)) {
        return OK;
    }
    const char *id = NULL;
    const char *erases_at = NULL;
    if (kfm_privacy_erasure_request(kr->r, kr->db, me.tenant_id, me.email, &id, &erases_at) !=
        APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_ACCEPTED, kf_privacy_pending_json(id, erases_at));
}

int kfm_handle_portal_erasure_pending(kfm_req *kr)
{
    kfm_customer me;
    if (!kfm_portal_customer(kr, &me)) {
        return OK;
    }
    const char *id = NULL;
    const char *erases_at = NULL;
    if (kfm_privacy_pending_erasure(kr->r, kr->db, me.tenant_id, me.email, &id, &erases_at) !=
        APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    /* none is an answer, not an error: the portal asks on every visit */
    return kfm_reply_json(kr, HTTP_OK,
                          json_pack("{s:o}", "pending", kf_privacy_pending_json(id, erases_at)));
}
