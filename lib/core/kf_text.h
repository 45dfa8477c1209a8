#ifndef KF_TEXT_H
#define KF_TEXT_H
/* Text checks and log-safe masking: pure functions over byte strings. */
#include <apr_pools.h>
#include <apr_tables.h>

/* 1 when buf[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
 * NUL bytes inside len are checked like any ASCII byte (valid); callers that store C
 * strings must refuse them separately. buf NULL with len 0 is valid. */
int kf_utf8_valid(const char *buf, apr_size_t len);

/* Whether a boolean read as text (PostgreSQL's "t"/"f"; "true" as JSON or a form writes it)
 * is true; NULL is false. */
int kf_text_true(const char *v);

/* Whether s holds at least one character (NULL and "" do not). */
int kf_has_text(const char *s);

/* The part of s (not NULL) between its leading and trailing white space (space, \t, \n,
 * \r, \f, \v): where it starts, and *len, its length in bytes. Nothing is copied. */
const char *kf_trim_span(const char *s, apr_size_t *len);

/* Number of code points in a valid UTF-8 string (for "2–100 chars" rules): counts the
 * bytes that are not continuation bytes, up to the terminating NUL. NULL -> 0. */
apr_size_t kf_utf8_length(const char *s);

/* "john.doe@example.com" -> "jo***@example.com"; one-char local part -> "j***@…";
 * something that is not an address -> "***". Never returns NULL.
 * Keeps the first two code points of a local part of 4+ code points, the first one of a
 * shorter one (so "ana@x.co" -> "a***@x.co"), and the domain as written (case kept).
 * Not an address: NULL, empty, no '@' or more than one, empty local part or domain,
 * whitespace or control bytes, invalid UTF-8. */
const char *kf_mask_email(apr_pool_t *p, const char *email);

/* Whether phone is an E.164 number: '+' and 8..15 digits, nothing else. */
int kf_phone_e164(const char *phone);

/* "+573001234567" -> "+57*******567": keeps a leading '+', the first two digits and the
 * last three; short or odd input -> "***". Never returns NULL.
 * Accepted: an optional leading '+' then 8..15 digits only (E.164 length); anything else
 * (separators, letters, NULL, empty) is odd. */
const char *kf_mask_phone(apr_pool_t *p, const char *phone);

/* A recipient as log lines name it (a mail's address, a text's phone): "***" and its last 4
 * characters, "ana.lopez@example.com" -> "***.com", "+573001234567" -> "***4567";
 * Twilio's channel prefix is kept ("whatsapp:+573001234567" -> "whatsapp:***4567"). A value
 * of 8 characters or fewer, invalid UTF-8, control bytes, NULL or empty -> "***": the kept
 * part never tells most of it. Never returns NULL. The one mask of every log line that
 * names whom a mail or a text went to. */
#define KF_MASK_KEPT 4
const char *kf_mask_recipient(apr_pool_t *p, const char *to);

/* Masks every email address and every run of 7+ digits (optionally with + - space
 * separators) found in free text, for log lines built from user input.
 * Emails are masked with kf_mask_email; a digit run is reduced to [+]digits and masked
 * with kf_mask_phone ("+57 300 123 4567" -> "+57*******567", 7 or 16+ digits -> "***").
 * A separator only continues a run when a digit follows it. Everything else is copied
 * byte for byte. NULL -> "". Never returns NULL. */
const char *kf_mask_text(apr_pool_t *p, const char *text);

/* 1 for a canonical textual UUID (8-4-4-4-12 hex digits, either case). Ids from a URL or
 * body are checked with it before they reach SQL, so that garbage answers 404 instead of
 * a database error. */
int kf_is_uuid(const char *s);

/* A PostgreSQL array literal "{a,b,c}" of items (const char *) that need no quoting
 * (numbers, uuids, dates, t/f, NULL), joined in one pass: linear in the input, however many
 * items a body brings. */
const char *kf_pg_array(apr_pool_t *p, const apr_array_header_t *items);

#endif
