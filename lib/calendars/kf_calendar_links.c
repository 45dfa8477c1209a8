/* Where things of a calendar connection live: see kf_calendar_links.h. */
#include "kf_calendar_links.h"
#include "kf_url.h"

#include <apr_strings.h>
#include <string.h>

const char *kf_calendar_invitation_url(apr_pool_t *p, const char *public_url, const char *token)
{
    return apr_pstrcat(p, kf_url_trim_slash(p, public_url), "/connect-calendar/", token, NULL);
}

const char *kf_calendar_invitation_result_url(apr_pool_t *p, const char *public_url,
                                              const char *token, const char *provider,
                                              const char *result)
{
    return apr_pstrcat(p, kf_calendar_invitation_url(p, public_url, token), "?result=", result,
                       "&provider=", provider, NULL);
}

const char *kf_calendar_oauth_redirect_uri(apr_pool_t *p, const char *public_url,
                                           const kf_calendar_provider *prov)
{
    return apr_pstrcat(p, kf_url_trim_slash(p, public_url), "/api/oauth/", prov->name,
                       "/callback", NULL);
}

const char *kf_calendar_webhook_url(apr_pool_t *p, const char *public_url,
                                    const kf_calendar_provider *prov, const char *tenant_id)
{
    const char *url = apr_pstrcat(p, kf_url_trim_slash(p, public_url), "/api/webhooks/",
                                  prov->name, NULL);
    return prov->notices == KF_CAL_NOTICES_SIGNED ? apr_pstrcat(p, url, "/", tenant_id, NULL)
                                                  : url;
}

const char *kf_calendar_professional_url(apr_pool_t *p, const char *public_url,
                                         const char *professional_id)
{
    return apr_pstrcat(p, kf_url_trim_slash(p, public_url), "/dashboard/professionals/",
                       professional_id, NULL);
}

kf_calendar_endpoints kf_calendar_endpoints_of(const kf_calendar_provider *prov,
                                               kf_calendar_url_override *override, void *data)
{
    kf_calendar_endpoints ep = prov->default_endpoints();
    kf_calendar_endpoints given = ep;
    for (const kf_calendar_url *u = prov->urls; u && u->name; u++) {
        if (u->endpoints & KF_CAL_URL_AUTH) {
            given.auth_base = override(u->name, ep.auth_base, data);
        }
        if (u->endpoints & KF_CAL_URL_TOKEN) {
            given.token_base = override(u->name, ep.token_base, data);
        }
        if (u->endpoints & KF_CAL_URL_API) {
            given.api_base = override(u->name, ep.api_base, data);
        }
    }
    return given;
}
