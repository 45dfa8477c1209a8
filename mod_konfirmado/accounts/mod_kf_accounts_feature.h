#ifndef MOD_KF_ACCOUNTS_FEATURE_H
#define MOD_KF_ACCOUNTS_FEATURE_H
/* Merchant accounts: sign-up, e-mail verification, sessions, passwords.
 * What the feature hands the module (its descriptor, mod_kf_accounts_feature.c), and the
 * handlers, statement tables and jobs that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_accounts_feature;

/* endpoints */
int kfm_handle_register(kfm_req *kr);
int kfm_handle_verify_email(kfm_req *kr);
int kfm_handle_login(kfm_req *kr);
int kfm_handle_logout(kfm_req *kr);
int kfm_handle_me(kfm_req *kr);
int kfm_handle_forgot_password(kfm_req *kr);
int kfm_handle_reset_password(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_accounts_sql[];

#endif
