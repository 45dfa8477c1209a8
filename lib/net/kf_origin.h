#ifndef KF_ORIGIN_H
#define KF_ORIGIN_H
/* Whether a request was made by a page of another site (API.md "Customer portal ... and
 * preferences": its POSTs refuse a cross-site request). A browser names the page that makes
 * a request: `Origin` (scheme://host[:port], or "null") on every POST and PATCH, and
 * `Sec-Fetch-Site`. A request with neither is no page's (a mail provider's one-click POST, a
 * script): it is not cross-site, and the endpoint's other checks apply. */

/* 1 when the request is cross-site: Sec-Fetch-Site is "cross-site", or Origin is present and
 * is not the request's own host (`host`, the Host header: any case, optional :port,
 * optional trailing dot) reached with the request's scheme (`scheme`, "https" or "http") or
 * the platform's public URL's (`public_url`, may be NULL: behind a proxy that ends TLS the
 * request came over http, the page over https); a missing port is the scheme's default. 0
 * otherwise. */
int kf_request_cross_site(const char *origin, const char *sec_fetch_site, const char *host,
                          const char *scheme, const char *public_url);

#endif
