#ifndef MOD_KF_CATALOG_FEATURE_H
#define MOD_KF_CATALOG_FEATURE_H
/* The catalog: services, professionals, booking links and packages.
 * What the feature hands the module (its descriptor, mod_kf_catalog_feature.c), and the
 * handlers, statement tables and jobs that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_catalog_feature;

/* endpoints */
int kfm_handle_services_list(kfm_req *kr);
int kfm_handle_services_create(kfm_req *kr);
int kfm_handle_services_get(kfm_req *kr);
int kfm_handle_services_update(kfm_req *kr);
int kfm_handle_services_archive(kfm_req *kr);
int kfm_handle_professionals_list(kfm_req *kr);
int kfm_handle_professionals_create(kfm_req *kr);
int kfm_handle_professionals_get(kfm_req *kr);
int kfm_handle_professionals_update(kfm_req *kr);
int kfm_handle_professionals_archive(kfm_req *kr);
int kfm_handle_links_list(kfm_req *kr);
int kfm_handle_links_create(kfm_req *kr);
int kfm_handle_links_get(kfm_req *kr);
int kfm_handle_links_update(kfm_req *kr);
int kfm_handle_links_deactivate(kfm_req *kr);
int kfm_handle_packages_list(kfm_req *kr);
int kfm_handle_packages_create(kfm_req *kr);
int kfm_handle_packages_get(kfm_req *kr);
int kfm_handle_packages_update(kfm_req *kr);
int kfm_handle_packages_archive(kfm_req *kr);
int kfm_handle_public_link(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_catalog_sql[];
extern const kfm_sql kfm_services_sql[];
extern const kfm_sql kfm_professionals_sql[];
extern const kfm_sql kfm_links_sql[];
extern const kfm_sql kfm_packages_sql[];
extern const kfm_sql kfm_public_links_sql[];

#endif
