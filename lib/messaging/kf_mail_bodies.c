/* A queued mail's bodies as stored in mail_outbox (kf_mail.h, "the outbox's bodies"): the
 * text, the HTML and the invite deflated together and sealed as one value, so that four rows
 * share a page; rows queued before that hold each body sealed alone. */
#include "kf_mail.h"
#include "kf_crypto.h"

#include <string.h>
#include <zlib.h>

/* The packed form: the marker, the inflated size (4 bytes, big-endian), then a raw deflate
 * stream (RFC 1951: the seal already authenticates every byte, so no zlib checksum) of the
 * parts, each ended by a NUL. A body sealed alone is text sealed without
 * its NUL, so none can hold a NUL, let alone start with one: the marker tells the forms apart
 * without trying either. */
#define PACK_MARKER "\0z1"
#define PACK_MARKER_LEN 3
#define PACK_HEADER_LEN (PACK_MARKER_LEN + 4)
/* how kf_seal's text starts */
#define SEALED_PREFIX "v1."
/* Raw deflate. An 8 KB window covers a mail's parts (text, HTML and invite, 3-5 KB); with a
 * matching hash table it packs a confirmation to the same bytes as the default 32 KB window
 * at a third of the CPU (most of which is setting up the larger tables). Inflating takes any
 * window up to 32 KB. Level 3 (deflate's fast matching): a confirmation with its invite
 * packs 3 % larger than at level 9 for two thirds of the instructions (about 310,000
 * against 470,000 each under callgrind), and it is packed on every approval's path. */
#define DEFLATE_LEVEL 3
#define DEFLATE_WINDOW_BITS (-13)
#define DEFLATE_MEM_LEVEL 6
#define INFLATE_WINDOW_BITS (-15)

int kf_mail_bodies_packed(const char *plain, apr_size_t len)
{
    return plain && len >= PACK_HEADER_LEN && memcmp(plain, PACK_MARKER, PACK_MARKER_LEN) == 0;
}

apr_status_t kf_mail_bodies_pack(apr_pool_t *p, const char *text, const char *html,
                                 const char *calendar, const char **packed, apr_size_t *len)
{
    *packed = NULL;
    *len = 0;
    if (!text || !html) {
        return APR_EINVAL;
    }
    apr_size_t tlen = strlen(text), hlen = strlen(html), clen = calendar ? strlen(calendar) : 0;
    apr_size_t size = tlen + 1 + hlen + 1 + (calendar ? clen + 1 : 0);
    if (size > KF_MAIL_BODIES_MAX) {
        return APR_ENOSPC;
    }
    char *parts = apr_palloc(p, size);
    memcpy(parts, text, tlen + 1);
    memcpy(parts + tlen + 1, html, hlen + 1);
    if (calendar) {
        memcpy(parts + tlen + 1 + hlen + 1, calendar, clen + 1);
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, DEFLATE_LEVEL, Z_DEFLATED, DEFLATE_WINDOW_BITS, DEFLATE_MEM_LEVEL,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        return APR_ENOMEM;
    }
    uLong bound = deflateBound(&z, (uLong)size);
    unsigned char *out = apr_palloc(p, PACK_HEADER_LEN + bound);
    memcpy(out, PACK_MARKER, PACK_MARKER_LEN);
    for (int i = 0; i < 4; i++) {
        out[PACK_MARKER_LEN + i] = (unsigned char)(size >> (8 * (3 - i)));
    }
    z.next_in = (Bytef *)parts;
    z.avail_in = (uInt)size;
    z.next_out = out + PACK_HEADER_LEN;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    apr_size_t written = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        return APR_EGENERAL;
    }
    *packed = (const char *)out;
    *len = PACK_HEADER_LEN + written;
    return APR_SUCCESS;
}

/* The next NUL-ended part at *at within end, or NULL when none is left. */
static const char *next_part(const char **at, const char *end)
{
    const char *start = *at;
    const char *nul = start < end ? memchr(start, '\0', (size_t)(end - start)) : NULL;
    if (!nul) {
        return NULL;
    }
    *at = nul + 1;
    return start;
}

apr_status_t kf_mail_bodies_unpack(apr_pool_t *p, const char *packed, apr_size_t len,
                                   const char **text, const char **html, const char **calendar)
{
    *text = *html = *calendar = NULL;
    if (!kf_mail_bodies_packed(packed, len)) {
        return APR_EINVAL;
    }
    const unsigned char *header = (const unsigned char *)packed + PACK_MARKER_LEN;
    apr_size_t size = (apr_size_t)header[0] << 24 | (apr_size_t)header[1] << 16 |
                      (apr_size_t)header[2] << 8 | header[3];
    /* what a bad row says it holds is never allocated beyond the bound */
    if (size < 2 || size > KF_MAIL_BODIES_MAX) {
        return APR_EINVAL;
    }
    char *parts = apr_palloc(p, size);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, INFLATE_WINDOW_BITS) != Z_OK) {
        return APR_ENOMEM;
    }
    z.next_in = (Bytef *)(packed + PACK_HEADER_LEN);
    z.avail_in = (uInt)(len - PACK_HEADER_LEN);
    z.next_out = (Bytef *)parts;
    z.avail_out = (uInt)size;
    int rc = inflate(&z, Z_FINISH);
    /* exactly the size said, the stream ended, and nothing after it */
    int whole = rc == Z_STREAM_END && z.total_out == size && z.avail_in == 0;
    inflateEnd(&z);
    if (!whole || parts[size - 1] != '\0') {
        return APR_EINVAL;
    }
    const char *at = parts, *end = parts + size;
    const char *t = next_part(&at, end), *h = next_part(&at, end);
    const char *c = next_part(&at, end);
    if (!t || !h || at != end) {
        return APR_EINVAL;
    }
    *text = t;
    *html = h;
    *calendar = c;
    return APR_SUCCESS;
}

int kf_mail_seal_bodies(apr_pool_t *p, const kf_keyring *keys, const kf_mail_content *mail,
                        const char *calendar, const char **sealed)
{
    const char *packed = NULL;
    apr_size_t len = 0;
    *sealed = NULL;
    if (!keys || kf_mail_bodies_pack(p, mail->text, mail->html, calendar, &packed, &len) !=
                 APR_SUCCESS) {
        return 0;
    }
    *sealed = kf_seal(p, keys, packed, len, KF_MAIL_BODY_AAD);
    return *sealed != NULL;
}

/* A body sealed alone ("v1." ...) or, written by hand, plain. */
static const char *open_alone(apr_pool_t *p, const kf_keyring *keys, const char *stored)
{
    if (!stored || strncmp(stored, SEALED_PREFIX, strlen(SEALED_PREFIX)) != 0) {
        return stored;
    }
    return kf_open_text(p, keys, stored, KF_MAIL_BODY_AAD);
}

int kf_mail_open_bodies(apr_pool_t *p, const kf_keyring *keys, const char *stored_text,
                        const char *stored_html, const char *stored_calendar, const char **text,
                        const char **html, const char **calendar)
{
    *text = *html = *calendar = NULL;
    if (stored_text && strncmp(stored_text, SEALED_PREFIX, strlen(SEALED_PREFIX)) == 0) {
        char *plain = NULL;
        apr_size_t len = 0;
        if (kf_open(p, keys, stored_text, KF_MAIL_BODY_AAD, &plain, &len) != APR_SUCCESS) {
            return 0;
        }
        if (kf_mail_bodies_packed(plain, len)) {
            return kf_mail_bodies_unpack(p, plain, len, text, html, calendar) == APR_SUCCESS;
        }
        *text = plain;
    }
    else {
        *text = stored_text;
    }
    *html = open_alone(p, keys, stored_html);
    *calendar = stored_calendar ? open_alone(p, keys, stored_calendar) : NULL;
    return *text && *html && (!stored_calendar || *calendar);
}
