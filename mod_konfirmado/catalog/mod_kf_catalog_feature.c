/* The catalog feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_catalog_feature.h"
#include "mod_kf_catalog.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"GET", "/api/admin/services"}, kfm_handle_services_list,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/services"}, kfm_handle_services_create,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/services/{id}"}, kfm_handle_services_get,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"PATCH", "/api/admin/services/{id}"}, kfm_handle_services_update,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"DELETE", "/api/admin/services/{id}"}, kfm_handle_services_archive,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/professionals"}, kfm_handle_professionals_list,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/professionals"}, kfm_handle_professionals_create,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/professionals/{id}"}, kfm_handle_professionals_get,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"PATCH", "/api/admin/professionals/{id}"}, kfm_handle_professionals_update,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"DELETE", "/api/admin/professionals/{id}"}, kfm_handle_professionals_archive,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/links"}, kfm_handle_links_list,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/links"}, kfm_handle_links_create,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/links/{id}"}, kfm_handle_links_get,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"PATCH", "/api/admin/links/{id}"}, kfm_handle_links_update,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"DELETE", "/api/admin/links/{id}"}, kfm_handle_links_deactivate,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/packages"}, kfm_handle_packages_list,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/packages"}, kfm_handle_packages_create,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/packages/{id}"}, kfm_handle_packages_get,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"PATCH", "/api/admin/packages/{id}"}, kfm_handle_packages_update,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"DELETE", "/api/admin/packages/{id}"}, kfm_handle_packages_archive,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/public/links/{link}"}, kfm_handle_public_link,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_PUBLIC_READ, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_catalog_sql, kfm_services_sql, kfm_professionals_sql, kfm_links_sql, kfm_packages_sql,
    kfm_public_links_sql,
    NULL,
};

const kfm_feature kfm_catalog_feature = {
    .name = "catalog",
    .endpoints = endpoints,
    .statements = statements,
    .check = kfm_catalog_check_statements,
};
