#ifndef MOD_KF_CALENDARS_CONF_H
#define MOD_KF_CALENDARS_CONF_H
/* The calendars feature's directives (how often busy times are read again, and the operator's
 * OAuth applications), one X(T, field, "Directive", KIND, default, "help") each; the
 * generators of mod_kf_config.h make of them struct kfm_calendars_conf, its getters
 * kfm_calendars_conf_<field>(c) and kfm_calendars_conf_of(s), the configuration in server s. */
#include "mod_kf_config.h"

#define KFM_CALENDARS_DIRECTIVES(X, T)                                                       \
    X(T, calendar_refresh, "KonfirmadoCalendarRefresh", SECONDS, 300,                        \
      "seconds after which a connected calendar's busy times are read again even without "   \
      "a change notification")                                                               \
    X(T, google_client, "KonfirmadoGoogleClient", OAUTHCLIENT, NULL,                         \
      "Google OAuth client id and the file holding its secret (calendar connections)")       \
    X(T, microsoft_client, "KonfirmadoMicrosoftClient", OAUTHCLIENT, NULL,                   \
      "Microsoft identity platform application (client) id and the file holding "            \
      "its secret (Outlook / Microsoft 365 calendar connections)")

KFM_CONF_DECLARE(kfm_calendars_conf, KFM_CALENDARS_DIRECTIVES)

/* The OAuth applications among them, by directive: what a provider's description names
 * (kf_calendar_provider.oauth_client) is found here, never by the provider's name. */
typedef struct kfm_calendars_client {
    const char *directive;
    apr_size_t offset;         /* of its kfm_oauth_client in kfm_calendars_conf */
} kfm_calendars_client;
/* one per kind the list uses: a directive of a new kind there names its own, empty */
#define KFM_CALENDARS_CLIENT_SECONDS(field, name)
#define KFM_CALENDARS_CLIENT_OAUTHCLIENT(field, name) {name, APR_OFFSETOF(kfm_calendars_conf, field)},
#define KFM_CALENDARS_CLIENT_(T, field, name, kind, def, help) KFM_CALENDARS_CLIENT_##kind(field, name)

#endif
