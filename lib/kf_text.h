#ifndef KF_TEXT_H
#define KF_TEXT_H
/* Text checks and log-safe masking: pure functions over byte strings. */
#include <apr_pools.h>

/* 1 when buf[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int kf_utf8_valid(const char *buf, apr_size_t len);

/* Number of code points in a valid UTF-8 string (for "2–100 chars" rules). */
apr_size_t kf_utf8_length(const char *s);

/* "john.doe@example.com" -> "jo***@example.com"; one-char local part -> "j***@…";
 * something that is not an address -> "***". Never returns NULL. */
const char *kf_mask_email(apr_pool_t *p, const char *email);

/* "+573001234567" -> "+57*******567": keeps a leading '+', the first two digits and the
 * last three; short or odd input -> "***". Never returns NULL. */
const char *kf_mask_phone(apr_pool_t *p, const char *phone);

/* Masks every email address and every run of 7+ digits (optionally with + - space
 * separators) found in free text, for log lines built from user input. */
const char *kf_mask_text(apr_pool_t *p, const char *text);

#endif
