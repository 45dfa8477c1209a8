/* A booking link's body and JSON: see kf_link.h. */
#include "kf_link.h"
#include "kf_catalog_json.h"
#include "kf_catalog_rules.h"

#include <string.h>
#include <apr_strings.h>

void kf_link_start(kf_link *v, const char *const *row)
{
    memset(v, 0, sizeof(*v));
    v->active = 1;
    v->assign.assign = kf_assign_rule_name(KF_ASSIGN_LEAST_BOOKED);
    if (row) {
        v->name = row[KF_LINK_COL_NAME];
        v->service_id = row[KF_LINK_COL_SERVICE];
        v->professional_id = row[KF_LINK_COL_PROFESSIONAL];
        v->expires_at = row[KF_LINK_COL_EXPIRES];
        v->active = row[KF_LINK_COL_ACTIVE] && strcmp(row[KF_LINK_COL_ACTIVE], "t") == 0;
        v->metadata = row[KF_LINK_COL_METADATA];
        v->assign.assign = row[KF_LINK_COL_ASSIGN];
        v->assign.weights = row[KF_LINK_COL_WEIGHTS];
    }
}

int kf_link_read(kf_fields *f, const json_t *body, int create, apr_int64_t now,
                 const kf_catalog_lookup *lk, kf_link *v)
{
    const char *s = NULL;
    if (kf_field_string(f, body, "name", "name", create ? KF_FIELD_REQUIRED : KF_FIELD_OPTIONAL,
                        1, 100, &s) == KF_FIELD_VALUE) {
        v->name = s;
    }
    if (kf_catalog_reference_field(lk, f, body, "service_id", KF_CATALOG_SERVICES,
                                   &v->service_id) < 0 ||
        kf_catalog_reference_field(lk, f, body, "professional_id", KF_CATALOG_PROFESSIONALS,
                                   &v->professional_id) < 0) {
        return -1;
    }
    if (json_object_get(body, "expires_at") &&
        kf_field_string(f, body, "expires_at", "expires_at", KF_FIELD_NULLABLE, 0, 64, &s) ==
            KF_FIELD_VALUE) {
        apr_int64_t when = 0;
        if (!kf_utc_timestamp_parse(s, &when)) {
            kf_fields_fail(f, "expires_at", "timestamp_invalid");
        }
        else if (when <= now) {
            kf_fields_fail(f, "expires_at", "timestamp_past");
        }
        else {
            v->expires_at = s;
        }
    }
    else if (json_is_null(json_object_get(body, "expires_at"))) {
        v->expires_at = NULL;
    }
    kf_field_bool(f, body, "active", "active", KF_FIELD_OPTIONAL, &v->active);
    /* sent: replaced as a whole (null or {} clears it) */
    const json_t *metadata = json_object_get(body, "metadata");
    kf_metadata_problem why;
    if (metadata && !kf_metadata_read(f->pool, metadata, &v->metadata, &why)) {
        kf_fields_fail(f, why.field, why.message_id);
    }
    kf_field_array(f, body, "package_ids", "package_ids", KF_FIELD_OPTIONAL,
                   KF_LINK_MAX_PACKAGES, &v->package_ids);
    if (kf_link_assign_read(lk, f, body, kf_fields_has(f, "service_id") ? NULL : v->service_id,
                            &v->assign) != 0) {
        return -1;
    }

    int refs_sent = json_object_get(body, "service_id") || json_object_get(body, "professional_id");
    if (refs_sent && v->service_id && v->professional_id && !kf_fields_has(f, "service_id") &&
        !kf_fields_has(f, "professional_id")) {
        int offers = lk->offers(lk->ctx, v->service_id, v->professional_id);
        if (offers < 0) {
            return -1;
        }
        if (!offers) {
            kf_fields_fail(f, "professional_id", "professional_not_offering");
        }
    }
    return 0;
}

const char *kf_link_offer(apr_pool_t *p, const kf_link *v, const json_t *body, int create,
                          const char *packages, int count, const char *stored_csv)
{
    if (v->package_ids) {
        return count ? packages : NULL;
    }
    if (create || !(json_object_get(body, "service_id") || json_object_get(body, "professional_id"))) {
        return NULL;
    }
    return stored_csv && *stored_csv ? apr_pstrcat(p, "{", stored_csv, "}", NULL) : NULL;
}

void kf_link_refuse_unsold(kf_fields *f, const kf_link *v, const char *const *const *rows,
                           int n)
{
    const char *names = NULL;
    for (int i = 0; i < n; i++) {
        const char *const *row = rows[i];
        if (!kf_link_sells_package(v->service_id, v->professional_id, row[KF_LINK_PKG_SERVICE],
                                   strcmp(row[KF_LINK_PKG_SERVICE_ACTIVE], "t") == 0,
                                   strcmp(row[KF_LINK_PKG_OFFERED], "t") == 0)) {
            const char *name = apr_pstrcat(f->pool, "\u201c", row[KF_LINK_PKG_NAME], "\u201d", NULL);
            names = names ? apr_pstrcat(f->pool, names, ", ", name, NULL) : name;
        }
    }
    if (names) {
        const char *pairs[] = {"{names}", names, NULL};
        kf_fields_fail_with(f, "package_ids", "link_package_not_sold", pairs);
    }
}

apr_status_t kf_link_page_charges(json_t *page)
{
    size_t i;
    json_t *service;
    json_array_foreach(json_object_get(page, "services"), i, service) {
        json_t *charge = json_object_get(service, "charge");
        apr_int64_t price = json_integer_value(json_object_get(json_object_get(service, "price"),
                                                               "amount"));
        kf_charge_type type = kf_charge_type_parse(json_string_value(json_object_get(charge,
                                                                                     "type")));
        apr_int64_t amount = type == KF_CHARGE_INVALID ? -1 : kf_charge_amount(type, price,
            (int)json_integer_value(json_object_get(charge, "deposit_percent")));
        if (amount < 0) {
            return APR_EINVAL;
        }
        json_object_set_new(service, "charge",
                            json_pack("{s:O, s:I, s:O}", "type", json_object_get(charge, "type"),
                                      "amount", (json_int_t)amount,
                                      "currency", json_object_get(charge, "currency")));
    }
    return APR_SUCCESS;
}

json_t *kf_link_json(apr_pool_t *p, const char *const *row, const char *url)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", kf_catalog_json_str(row[KF_LINK_COL_ID]));
    json_object_set_new(o, "name", kf_catalog_json_str(row[KF_LINK_COL_NAME]));
    json_object_set_new(o, "slug", kf_catalog_json_str(row[KF_LINK_COL_SLUG]));
    json_object_set_new(o, "url", json_string(url));
    json_object_set_new(o, "service_id", kf_catalog_json_str(row[KF_LINK_COL_SERVICE]));
    json_object_set_new(o, "professional_id", kf_catalog_json_str(row[KF_LINK_COL_PROFESSIONAL]));
    json_object_set_new(o, "expires_at", kf_catalog_json_str(row[KF_LINK_COL_EXPIRES]));
    json_object_set_new(o, "active", kf_catalog_json_bool(row[KF_LINK_COL_ACTIVE]));
    json_object_set_new(o, "created_at", kf_catalog_json_str(row[KF_LINK_COL_CREATED]));
    json_object_set_new(o, "updated_at", kf_catalog_json_str(row[KF_LINK_COL_UPDATED]));
    json_object_set_new(o, "package_ids", kf_catalog_id_list(p, row[KF_LINK_COL_PACKAGES]));
    json_t *metadata = kf_metadata_object(row[KF_LINK_COL_METADATA]);
    json_object_set_new(o, "metadata", metadata ? metadata : json_null());
    json_object_set_new(o, "assign", kf_catalog_json_str(row[KF_LINK_COL_ASSIGN]));
    json_object_set_new(o, "weights", kf_link_assign_weights_json(row[KF_LINK_COL_WEIGHTS]));
    return o;
}
