/* Where things of a calendar connection live: the invitation page a professional opens, the
 * OAuth redirect URI, the page's answer after a connection attempt, the address providers
 * notify, the merchant's page of a professional, and the provider endpoints the operator
 * may override (KonfirmadoProviderURL). All from the server's public URL; pure.
 */
#ifndef KF_CALENDAR_LINKS_H
#define KF_CALENDAR_LINKS_H

#include <apr_pools.h>

#include "kf_calendar.h"

/* <public>/connect-calendar/<token> */
const char *kf_calendar_invitation_url(apr_pool_t *p, const char *public_url, const char *token);

/* The invitation page told how a connection attempt ended:
 * <invitation url>?result=<result>&provider=<provider> (result "connected" | "denied" |
 * "error" | "unavailable"). */
const char *kf_calendar_invitation_result_url(apr_pool_t *p, const char *public_url,
                                              const char *token, const char *provider,
                                              const char *result);

/* The OAuth redirect URI registered with the provider: <public>/api/oauth/<provider>/callback */
const char *kf_calendar_oauth_redirect_uri(apr_pool_t *p, const char *public_url,
                                           const kf_calendar_provider *prov);

/* Where the provider notifies changes: <public>/api/webhooks/<provider>, per tenant
 * (<public>/api/webhooks/<provider>/<tenant>) for one whose notices are signed
 * (KF_CAL_NOTICES_SIGNED: Cal.com), since the signature is checked against the tenant's
 * connections. */
const char *kf_calendar_webhook_url(apr_pool_t *p, const char *public_url,
                                    const kf_calendar_provider *prov, const char *tenant_id);

/* The merchant's page of a professional: <public>/dashboard/professionals/<id> */
const char *kf_calendar_professional_url(apr_pool_t *p, const char *public_url,
                                         const char *professional_id);

/* The provider's endpoints: its defaults, each overridden by the operator's URL of the name
 * its description gives that endpoint (prov->urls: google-auth, microsoft-graph, ...) when
 * `override` gives one. override(name, fallback, data) answers the URL to use. */
typedef const char *kf_calendar_url_override(const char *name, const char *fallback, void *data);
kf_calendar_endpoints kf_calendar_endpoints_of(const kf_calendar_provider *prov,
                                               kf_calendar_url_override *override, void *data);

#endif
