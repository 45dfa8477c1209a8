#ifndef MOD_KF_MESSAGING_FEATURE_H
#define MOD_KF_MESSAGING_FEATURE_H
/* Messages: mails, reminders, SMS/WhatsApp texts, the booking's calendar file, delivery records.
 * What the feature hands the module (its descriptor, mod_kf_messaging_feature.c), and the
 * handlers, statement tables and jobs that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_messaging_feature;

/* endpoints */
int kfm_handle_deliveries_list(kfm_req *kr);
int kfm_handle_delivery_resend(kfm_req *kr);
int kfm_handle_tenant_twilio_put(kfm_req *kr);
int kfm_handle_tenant_twilio_delete(kfm_req *kr);
int kfm_handle_public_booking_calendar(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_mail_sql[];
extern const kfm_sql kfm_booking_mail_sql[];
extern const kfm_sql kfm_reminders_sql[];
extern const kfm_sql kfm_messaging_sql[];
extern const kfm_sql kfm_deliveries_sql[];

/* jobs: registration for one engine-on server (kfm_job_setup_fn) */
int kfm_mail_jobs_register(apr_pool_t *pconf, server_rec *s, const char *instance);
int kfm_reminders_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);
int kfm_messages_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);

#endif
