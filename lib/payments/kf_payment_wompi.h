/* Wompi (kf_payment_wompi.c): its description in the registry, and what its tests and the
 * fuzzers reach of it. */
#ifndef KF_PAYMENT_WOMPI_H
#define KF_PAYMENT_WOMPI_H

#include "kf_payment.h"
#include "kf_signatures.h"

extern const kf_payment_provider kf_payment_wompi;

/* Wompi's expiration-time format: "2023-06-09T20:28:50.000Z" (UTC, milliseconds). */
const char *kf_wompi_time(apr_pool_t *p, apr_time_t t);

/* ---- its signature scheme (docs/PROVIDERS.md) ---- */

/* Integrity signature for the web checkout: lowercase hex SHA-256 (plain hash, not HMAC) of
 * reference + amount_in_cents (decimal) + currency [+ expiration_time] + integrity_secret,
 * no separators. expiration_time may be NULL (or "") when the checkout has none.
 * NULL if reference, currency or the secret is NULL or empty, or amount is negative. */
const char *kf_wompi_integrity(apr_pool_t *p, const char *reference, apr_int64_t amount_in_cents,
                               const char *currency, const char *expiration_time,
                               const char *integrity_secret);

/* Event checksum: lowercase hex SHA-256 over the values at each path of
 * event.signature.properties (dotted paths such as "transaction.id", looked up inside
 * event.data, in the listed order; strings as they are, integers in decimal), then
 * event.timestamp (an integer) in decimal, then events_secret.
 * APR_SUCCESS with *hex set, or APR_EINVAL with *why a one-line reason (no values, no secret)
 * when: the event is not an object, signature.properties is missing, empty or holds a
 * non-string, a path is empty or not found, a value is a real number / boolean / null /
 * object / array, timestamp is missing or not an integer, or the secret is NULL or empty.
 * hex and why may each be NULL. */
apr_status_t kf_wompi_event_checksum(apr_pool_t *p, const json_t *event, const char *events_secret,
                                     const char **hex, const char **why);

/* 1 if the event is authentic: its checksum computes, at least one of signature.checksum
 * (in the body) and header_checksum (X-Event-Checksum; NULL when absent) is present, and
 * every one present equals the computed checksum, ignoring hex case, in constant time.
 * 0 otherwise. */
int kf_wompi_event_verify(apr_pool_t *p, const json_t *event, const char *header_checksum,
                          const char *events_secret);

#endif
