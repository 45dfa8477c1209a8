#ifndef KF_CHECK_CATALOG_H
#define KF_CHECK_CATALOG_H
/* A tenant's stored catalog for the suites of catalog writes: the active ids of each kind,
 * the zones the database knows, which professional offers which service; `broken` makes
 * every question fail as a lost database connection would. */
#include "kf_check_fields.h"
#include "kf_catalog_lookup.h"

#include <apr_strings.h>
#include <ctype.h>
#include <strings.h>

#define SERVICE_A "11111111-1111-4111-8111-111111111111"
#define SERVICE_B "22222222-2222-4222-8222-222222222222"
#define PRO_A "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
#define PRO_B "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
#define PACKAGE_A "cccccccc-cccc-4ccc-8ccc-cccccccccccc"
#define ARCHIVED "99999999-9999-4999-8999-999999999999"

typedef struct fake_catalog {
    int broken;
    int asked;   /* how many questions reached the "database" */
} fake_catalog;

static const char *const fake_active[][3] = {
    [KF_CATALOG_SERVICES] = {SERVICE_A, SERVICE_B, NULL},
    [KF_CATALOG_PROFESSIONALS] = {PRO_A, PRO_B, NULL},
    [KF_CATALOG_PACKAGES] = {PACKAGE_A, NULL, NULL},
};

static inline apr_hash_t *fake_active_of(void *ctx, apr_pool_t *p, kf_catalog_kind kind,
                                         const char *pg_array)
{
    fake_catalog *c = ctx;
    c->asked++;
    if (c->broken) {
        return NULL;
    }
    apr_hash_t *found = apr_hash_make(p);
    char *lower = apr_pstrdup(p, pg_array);
    for (char *s = lower; *s; s++) {
        *s = (char)tolower((unsigned char)*s);
    }
    for (int i = 0; fake_active[kind][i]; i++) {
        if (strstr(lower, fake_active[kind][i])) {
            apr_hash_set(found, fake_active[kind][i], APR_HASH_KEY_STRING, "");
        }
    }
    return found;
}

static inline int fake_zone_known(void *ctx, const char *zone)
{
    fake_catalog *c = ctx;
    c->asked++;
    return c->broken ? -1 : strcmp(zone, "America/Bogota") == 0 || strcmp(zone, "UTC") == 0;
}

/* PRO_A offers SERVICE_A only; PRO_B offers both. */
static inline int fake_offers(void *ctx, const char *service_id, const char *professional_id)
{
    fake_catalog *c = ctx;
    c->asked++;
    if (c->broken) {
        return -1;
    }
    return strcasecmp(professional_id, PRO_B) == 0 ||
           (strcasecmp(professional_id, PRO_A) == 0 && strcasecmp(service_id, SERVICE_A) == 0);
}

static inline kf_catalog_lookup fake_lookup(fake_catalog *c)
{
    kf_catalog_lookup lk = {c, fake_active_of, fake_zone_known, fake_offers};
    return lk;
}

/* A body's errors as compact JSON text, keys in the order they were recorded. */
static inline const char *errors_text(kf_fields *f)
{
    return kf_json_dump(pool, f->errors);
}

/* Each test of a catalog body: English messages and a catalog that answers. */
static kf_fields fields;
static fake_catalog catalog;
static kf_catalog_lookup lookup;

static inline void catalog_setup(void)
{
    kf_test_setup();
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    memset(&catalog, 0, sizeof(catalog));
    lookup = fake_lookup(&catalog);
}

#endif
