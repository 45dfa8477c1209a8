#ifndef MOD_KF_CALENDARS_FEATURE_H
#define MOD_KF_CALENDARS_FEATURE_H
/* Professionals' calendars: connection, busy-time sync, our events in theirs, their webhooks.
 * What the feature hands the module (its descriptor, mod_kf_calendars_feature.c), and the
 * handlers, statement tables and jobs that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_calendars_feature;

/* endpoints */
int kfm_handle_admin_calendar_invitation(kfm_req *kr);
int kfm_handle_admin_calendar_disconnect(kfm_req *kr);
int kfm_handle_admin_calendar_choices(kfm_req *kr);
int kfm_handle_admin_calendar_choose(kfm_req *kr);
int kfm_handle_public_invitation_calendars(kfm_req *kr);
int kfm_handle_public_invitation_choose(kfm_req *kr);
int kfm_handle_admin_calendar_change_accept(kfm_req *kr);
int kfm_handle_admin_calendar_change_restore(kfm_req *kr);
int kfm_handle_public_invitation(kfm_req *kr);
int kfm_handle_public_invitation_calcom(kfm_req *kr);
int kfm_handle_public_invitation_caldav(kfm_req *kr);
int kfm_handle_oauth_start(kfm_req *kr);
int kfm_handle_oauth_callback(kfm_req *kr);
int kfm_handle_webhook_google(kfm_req *kr);
int kfm_handle_webhook_microsoft(kfm_req *kr);
int kfm_handle_webhook_calcom(kfm_req *kr);
int kfm_handle_admin_calendar_orphans(kfm_req *kr);
int kfm_handle_admin_calendar_orphan_remove(kfm_req *kr);
int kfm_handle_admin_calendar_orphan_forget(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_calendar_sql[];
extern const kfm_sql kfm_calendar_sync_job_sql[];
extern const kfm_sql kfm_calendar_connect_sql[];
extern const kfm_sql kfm_calendar_webhooks_sql[];
extern const kfm_sql kfm_calendar_events_sql[];
extern const kfm_sql kfm_calendar_orphans_sql[];
extern const kfm_sql kfm_calendar_choices_sql[];
extern const kfm_sql kfm_calendar_outside_sql[];

/* jobs: registration for one engine-on server (kfm_job_setup_fn) */
int kfm_calendar_sync_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);
int kfm_calendar_events_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);
int kfm_calendar_orphans_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);

#endif
