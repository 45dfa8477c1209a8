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
    const char *base = kf_url_trim_slash(p, public_url);
    return strcmp(prov->name, "calcom") == 0
               ? apr_pstrcat(p, base, "/api/webhooks/calcom/", tenant_id, NULL)
               : apr_pstrcat(p, base, "/api/webhooks/", prov->name, NULL);
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
    if (strcmp(prov->name, "google") == 0) {
        ep.auth_base = override("google-auth", ep.auth_base, data);
        ep.token_base = override("google-token", ep.token_base, data);
        ep.api_base = override("google-calendar", ep.api_base, data);
    }
    else if (strcmp(prov->name, "microsoft") == 0) {
        ep.auth_base = override("microsoft-login", ep.auth_base, data);
        ep.token_base = ep.auth_base;
        ep.api_base = override("microsoft-graph", ep.api_base, data);
    }
    else {
        ep.api_base = override(prov->name, ep.api_base, data);
    }
    return ep;
}
