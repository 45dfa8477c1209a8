/* A package's body and JSON: see kf_package.h. */
#include "kf_package.h"
#include "kf_catalog_json.h"
#include "kf_catalog_rules.h"
#include "kf_text.h"

#include <string.h>
#include <apr_strings.h>

void kf_package_start(kf_package *v, const char *tenant_currency, const char *const *row)
{
    memset(v, 0, sizeof(*v));
    v->currency = tenant_currency;
    if (row) {
        v->name = row[KF_PKG_COL_NAME];
        v->description = row[KF_PKG_COL_DESCRIPTION];
        v->service_id = row[KF_PKG_COL_SERVICE];
        v->sessions = apr_atoi64(row[KF_PKG_COL_SESSIONS]);
        v->price = apr_atoi64(row[KF_PKG_COL_PRICE]);
        v->currency = row[KF_PKG_COL_CURRENCY];
        v->valid_days = apr_atoi64(row[KF_PKG_COL_VALID_DAYS]);
    }
}

int kf_package_read(kf_fields *f, const json_t *body, int create, const char *tenant_currency,
                    const kf_catalog_lookup *lk, kf_package *v)
{
    int req = create ? KF_FIELD_REQUIRED : KF_FIELD_OPTIONAL;
    const char *s = NULL;
    apr_int64_t n;

    if (kf_field_string(f, body, "name", "name", req, KF_PACKAGE_NAME_MIN, KF_PACKAGE_NAME_MAX,
                        &s) == KF_FIELD_VALUE) {
        v->name = s;
    }
    if (json_object_get(body, "description") &&
        kf_field_string(f, body, "description", "description", KF_FIELD_NULLABLE, 0,
                        KF_PACKAGE_DESCRIPTION_MAX, &s) == KF_FIELD_VALUE) {
        v->description = s && *s ? s : NULL;
    }
    else if (json_is_null(json_object_get(body, "description"))) {
        v->description = NULL;
    }
    if (kf_field_int(f, body, "sessions", "sessions", req, KF_PACKAGE_SESSIONS_MIN,
                     KF_PACKAGE_SESSIONS_MAX, &n) == KF_FIELD_VALUE) {
        v->sessions = n;
    }
    if (kf_field_int(f, body, "valid_days", "valid_days", req, KF_PACKAGE_VALID_DAYS_MIN,
                     KF_PACKAGE_VALID_DAYS_MAX, &n) == KF_FIELD_VALUE) {
        v->valid_days = n;
    }
    kf_field_price(f, body, req, KF_PACKAGE_PRICE_MIN, tenant_currency, &v->price,
                   &v->currency);
    if (kf_field_string(f, body, "service_id", "service_id", req, 0, 64, &s) == KF_FIELD_VALUE) {
        int active = kf_is_uuid(s) ? kf_catalog_is_active(lk, f->pool, KF_CATALOG_SERVICES, s) : 0;
        if (active < 0) {
            return -1;
        }
        if (!active) {
            kf_fields_fail(f, "service_id", "service_id_invalid");
        }
        else {
            v->service_id = s;
        }
    }
    return 0;
}

json_t *kf_package_json(const char *const *row)
{
    json_t *o = kf_catalog_row_json(row[KF_PKG_COL_ID], row[KF_PKG_COL_NAME],
                                    row[KF_PKG_COL_DESCRIPTION]);
    json_object_set_new(o, "service_id", kf_catalog_json_str(row[KF_PKG_COL_SERVICE]));
    json_object_set_new(o, "sessions", kf_catalog_json_int(row[KF_PKG_COL_SESSIONS]));
    json_object_set_new(o, "price", kf_catalog_price_json(apr_atoi64(row[KF_PKG_COL_PRICE]),
                                                          row[KF_PKG_COL_CURRENCY]));
    json_object_set_new(o, "valid_days", kf_catalog_json_int(row[KF_PKG_COL_VALID_DAYS]));
    kf_catalog_row_json_close(o, row[KF_PKG_COL_ARCHIVED], row[KF_PKG_COL_CREATED],
                              row[KF_PKG_COL_UPDATED]);
    return o;
}
