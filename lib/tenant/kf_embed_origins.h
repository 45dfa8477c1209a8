#ifndef KF_EMBED_ORIGINS_H
#define KF_EMBED_ORIGINS_H
/* The sites that may frame a tenant's booking pages (API.md "Replies, embedding, outages":
 * the tenant setting `embed_origins`): which origins are accepted, how they are stored, and
 * the `frame-ancestors` source list the booking pages send. */
#include <apr_pools.h>
#include <jansson.h>

#define KF_EMBED_ORIGINS_MAX 10

/* The origin `s` as browsers write it ("https://shop.example.com", "https://a.co:8443"),
 * or NULL when it is not an accepted one. Accepted: https://host[:port] with a DNS name or
 * an IPv4 address as host, or http:// only for a loopback host (localhost, 127.x.x.x,
 * [::1]: a merchant's development site); case is folded, the scheme's default port and one
 * trailing "/" are dropped; anything else (a path, a query, credentials, a wildcard, a
 * `javascript:` URL) is refused. The result has no character a CSP source list or a
 * PostgreSQL array treats specially. */
const char *kf_embed_origin_normalize(apr_pool_t *p, const char *s);

/* The "embed_origins" of a PATCH body: NULL when absent or refused (then `errors` gets
 * "embed_origins" -> a message id: "tenant_embed_origins_list" when not an array of at most
 * KF_EMBED_ORIGINS_MAX strings, "tenant_embed_origin" for an origin not accepted,
 * "tenant_embed_origins_duplicate" when two are the same once normalized), else the JSON
 * array text of the normalized origins, in the order sent ("[]" clears the list). */
const char *kf_embed_origins_read(apr_pool_t *p, const json_t *body, json_t *errors);

/* The source list of `frame-ancestors` for stored origins (their JSON array text; NULL or
 * "[]": none): the origins separated by spaces, or "'none'" when there is none. An entry
 * that is not an accepted origin as stored is left out. */
const char *kf_embed_frame_ancestors(apr_pool_t *p, const char *origins_json);

#endif
