/* The shared cache's entries and markers: see kf_availability_entry.h. */
#include "kf_availability_entry.h"
#include "kf_directive.h"

#include <string.h>
#include <strings.h>
#include <apr_atomic.h>
#include <apr_lib.h>
#include <apr_strings.h>

#define ENTRY_MAGIC 0x6b666177u         /* "kfaw", version 2 (a new layout: a new key too,
                                           mod_kf_availability_kept.c) */
#define MARKER_MAGIC 0x6b667266u        /* "kfrf": a refill marker */

/* What precedes the answer's bytes in an entry. */
typedef struct entry_head {
    apr_uint32_t magic;
    apr_uint32_t all;                   /* generation of "everything" */
    apr_uint32_t nprof;                 /* then nprof pairs (slot, generation) */
    apr_uint32_t len;                   /* then len bytes of JSON */
    apr_time_t valid_until;
    apr_time_t clock_until;             /* when the clock alone changes the answer */
} entry_head;

typedef struct marker_bytes {
    apr_uint32_t magic;
    apr_time_t refills, until;
} marker_bytes;
_Static_assert(sizeof(marker_bytes) == KF_AVAIL_MARKER_SIZE, "marker size");

apr_uint32_t kf_avail_hash(const char *text)
{
    apr_uint32_t h = 2166136261u;
    for (; text && *text; text++) {
        h ^= (apr_uint32_t)apr_tolower((unsigned char)*text);
        h *= 16777619u;
    }
    return h;
}

/* ids come from the database, lowercase, but be safe */
apr_uint32_t kf_avail_prof_slot(const char *id)
{
    return kf_avail_hash(id) & (KF_AVAIL_GENS - 1);
}

void kf_avail_gens_read(volatile apr_uint32_t *counters, kf_avail_gens *g)
{
    g->all = apr_atomic_read32(&counters[0]);
    for (int i = 0; i < KF_AVAIL_GENS; i++) {
        g->prof[i] = apr_atomic_read32(&counters[1 + i]);
    }
}

unsigned char *kf_avail_entry_encode(apr_pool_t *p, const kf_avail_gens *snap, const char **ids,
                                     int nprof, apr_time_t valid_until, apr_time_t clock_until,
                                     const char *json, apr_size_t len, apr_size_t *size)
{
    apr_size_t pairs = (apr_size_t)nprof * 2 * sizeof(apr_uint32_t);
    *size = sizeof(entry_head) + pairs + len;
    if (*size > KF_AVAIL_ENTRY_MAX) {
        return NULL;
    }
    entry_head h = {ENTRY_MAGIC, snap->all, (apr_uint32_t)nprof, (apr_uint32_t)len, valid_until,
                    clock_until};
    unsigned char *buf = apr_palloc(p, *size);
    memcpy(buf, &h, sizeof(h));
    unsigned char *at = buf + sizeof(h);
    for (int i = 0; i < nprof; i++) {
        apr_uint32_t slot = kf_avail_prof_slot(ids[i]);
        apr_uint32_t pair[2] = {slot, snap->prof[slot]};
        memcpy(at, pair, sizeof(pair));
        at += sizeof(pair);
    }
    memcpy(at, json, len);
    return buf;
}

int kf_avail_entry_decode(const unsigned char *buf, apr_size_t size,
                          volatile apr_uint32_t *counters, const char **json, apr_size_t *len,
                          apr_time_t *valid_until, apr_time_t *clock_until,
                          int *generations_match)
{
    entry_head h;
    if (size < sizeof(h)) {
        return 0;
    }
    memcpy(&h, buf, sizeof(h));
    apr_size_t pairs = (apr_size_t)h.nprof * 2 * sizeof(apr_uint32_t);
    if (h.magic != ENTRY_MAGIC || size != sizeof(h) + pairs + h.len) {
        return 0;
    }
    int match = h.all == apr_atomic_read32(&counters[0]);
    const unsigned char *at = buf + sizeof(h);
    for (apr_uint32_t i = 0; match && i < h.nprof; i++) {
        apr_uint32_t pair[2];
        memcpy(pair, at + i * sizeof(pair), sizeof(pair));
        match = pair[0] < KF_AVAIL_GENS && pair[1] == apr_atomic_read32(&counters[1 + pair[0]]);
    }
    *generations_match = match;
    *valid_until = h.valid_until;
    if (clock_until) {
        *clock_until = h.clock_until;
    }
    *json = (const char *)at + pairs;
    *len = h.len;
    return 1;
}

apr_time_t kf_avail_entry_valid_until(apr_time_t now, int ttl, apr_int64_t until_sec)
{
    apr_time_t valid_until = now + apr_time_from_sec(ttl);
    if (until_sec < apr_time_sec(valid_until)) {
        valid_until = apr_time_from_sec(until_sec);
    }
    return valid_until;
}

apr_time_t kf_avail_entry_clock_until(apr_int64_t until_sec)
{
    return until_sec >= APR_INT64_MAX / APR_USEC_PER_SEC ? APR_INT64_MAX
                                                          : apr_time_from_sec(until_sec);
}

const char *kf_avail_marker_key(apr_pool_t *p, const char *key)
{
    return apr_pstrcat(p, "rf|", key, NULL);
}

void kf_avail_marker_encode(const kf_avail_marker *m, unsigned char out[KF_AVAIL_MARKER_SIZE])
{
    marker_bytes b;
    memset(&b, 0, sizeof(b));
    b.magic = MARKER_MAGIC;
    b.refills = m->refills;
    b.until = m->until;
    memcpy(out, &b, sizeof(b));
}

int kf_avail_marker_decode(const unsigned char *buf, apr_size_t size, kf_avail_marker *m)
{
    marker_bytes b;
    m->refills = m->until = 0;
    if (size != sizeof(b)) {
        return 0;
    }
    memcpy(&b, buf, sizeof(b));
    if (b.magic != MARKER_MAGIC) {
        return 0;
    }
    m->refills = b.refills;
    m->until = b.until;
    return 1;
}

int kf_avail_write_bumps_all(int is_read, int bumped, int leaves, int status)
{
    return !is_read && !bumped && !leaves && !(status >= 400 && status < 500);
}

int kf_avail_cache_spec(apr_pool_t *p, const char *spec, const char **provider,
                        const char **args)
{
    if (!spec || strcasecmp(spec, "off") == 0) {
        return 0;
    }
    *provider = kf_directive_socache_provider(p, spec, args);
    return 1;
}

kf_availability_fresh kf_avail_claim_refill(const kf_avail_marker_store *s, const char *mkey,
                                            apr_time_t now, apr_time_t valid_until,
                                            apr_time_t grace)
{
    kf_avail_marker m;
    s->read(s->data, mkey, &m);
    kf_availability_fresh d = kf_availability_fresh_decide(1, now, valid_until, grace,
                                                           m.refills, m.until);
    if (d == KF_AVAIL_REFILL) {
        kf_avail_marker mine = {valid_until, now + grace};
        if (s->write(s->data, mkey, &mine) != APR_SUCCESS) {
            d = KF_AVAIL_MISS;
        }
    }
    return d;
}

kf_availability_fill kf_avail_claim_fill(const kf_avail_marker_store *s, const char *mkey,
                                         apr_time_t now, apr_time_t wait, apr_time_t *claimed)
{
    kf_avail_marker m;
    *claimed = 0;
    s->read(s->data, mkey, &m);
    kf_availability_fill d = kf_availability_fill_decide(now, m.refills, m.until);
    if (d == KF_AVAIL_FILL) {
        kf_avail_marker mine = {0, now + wait};
        if (s->write(s->data, mkey, &mine) == APR_SUCCESS) {
            *claimed = mine.until;
        }
    }
    return d;
}

void kf_avail_release_fill(const kf_avail_marker_store *s, const char *mkey, apr_time_t claimed)
{
    kf_avail_marker m;
    s->read(s->data, mkey, &m);
    if (m.until && m.refills == 0 && m.until == claimed) {
        s->remove(s->data, mkey);
    }
}
