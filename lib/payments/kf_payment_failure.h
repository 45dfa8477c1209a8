/* A provider call that made no checkout, as the merchant and the operator are told of it:
 * the audit action payment.provider_error ({"provider", "kind", "http_status"}) that the
 * alert payments_failing and the status page count (API.md "Replies, embedding, outages"). */
#ifndef KF_PAYMENT_FAILURE_H
#define KF_PAYMENT_FAILURE_H

#include <apr_errno.h>
#include <jansson.h>

/* The audit action every such failure writes. */
#define KF_PAYMENT_FAILURE_ACTION "payment.provider_error"

/* What went wrong, from what the provider's create_checkout returned (rv) and the HTTP status
 * of the provider's answer (0: none came, kf_payment_session.http_status):
 *   "refused_key"   the provider refused the merchant's key (APR_EACCES, 401, 403)
 *   "server_error"  the provider answered 5xx
 *   "timeout"       no answer in time (APR_TIMEUP)
 *   "connection"    no answer at all: refused, reset, name or TLS failure (kf_http_error_kind)
 *   "other"         anything else: an answer it did not take (4xx, garbled), a request it
 *                   could not make (APR_EINVAL, an answer too large) */
const char *kf_payment_failure_kind(apr_status_t rv, int http_status);

/* The audit row's changes: {"provider", "kind", "http_status" (null when no answer came)}.
 * New reference. */
json_t *kf_payment_failure_record(const char *provider, apr_status_t rv, int http_status);

#endif
