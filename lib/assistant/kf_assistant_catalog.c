/* The assistant's catalog and the days it reads: see kf_assistant_catalog.h. */
#include "kf_assistant_catalog.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

/* "a,b,c" as a NULL-terminated list (from p); NULL or "" is the empty list. */
static const char *const *split_ids(apr_pool_t *p, const char *list)
{
    apr_array_header_t *ids = apr_array_make(p, 4, sizeof(const char *));
    char *last = NULL;
    for (char *s = apr_strtok(apr_pstrdup(p, list ? list : ""), ",", &last); s;
         s = apr_strtok(NULL, ",", &last)) {
        APR_ARRAY_PUSH(ids, const char *) = s;
    }
    APR_ARRAY_PUSH(ids, const char *) = NULL;
    return (const char *const *)ids->elts;
}

void kf_assistant_catalog_of_rows(apr_pool_t *p, const char *const *const *rows, int n,
                                  kf_assistant_catalog *cat, const char **status,
                                  const char **tenant_zone)
{
    kf_assistant_item *services = apr_pcalloc(p, sizeof(*services) * (apr_size_t)(n + 1));
    kf_assistant_item *pros = apr_pcalloc(p, sizeof(*pros) * (apr_size_t)(n + 1));
    memset(cat, 0, sizeof(*cat));
    *status = "internal_error";
    for (int i = 0; i < n; i++) {
        const char *const *v = rows[i];
        const char *kind = v[KF_ASSISTANT_CAT_KIND];
        if (!strcmp(kind, "L")) {
            *status = v[KF_ASSISTANT_CAT_ID];
            *tenant_zone = v[KF_ASSISTANT_CAT_NAME];
            continue;
        }
        kf_assistant_item *it = !strcmp(kind, "S") ? &services[cat->nservices++]
                                                   : &pros[cat->nprofessionals++];
        it->id = v[KF_ASSISTANT_CAT_ID];
        it->name = v[KF_ASSISTANT_CAT_NAME];
        if (!strcmp(kind, "S")) {
            it->minutes = v[KF_ASSISTANT_CAT_MINUTES] ? atoi(v[KF_ASSISTANT_CAT_MINUTES]) : 0;
            it->capacity = v[KF_ASSISTANT_CAT_CAPACITY] ? atoi(v[KF_ASSISTANT_CAT_CAPACITY]) : 1;
        }
        else {
            it->zone = v[KF_ASSISTANT_CAT_ZONE];
            it->offers = split_ids(p, v[KF_ASSISTANT_CAT_OFFERS]);
        }
    }
    cat->services = services;
    cat->professionals = pros;
}

static const kf_assistant_item *item_of(const kf_assistant_item *items, int n, const char *id)
{
    for (int i = 0; i < n; i++) {
        if (!strcmp(items[i].id, id)) {
            return &items[i];
        }
    }
    return NULL;
}

int kf_assistant_catalog_names(const kf_assistant_catalog *cat, const kf_intent *before)
{
    const char *svc = before->service, *pro = before->professional;
    return (!svc || item_of(cat->services, cat->nservices, svc)) &&
           (!pro || !strcmp(pro, "any") || item_of(cat->professionals, cat->nprofessionals, pro));
}

const char **kf_assistant_catalog_zones(apr_pool_t *p, const kf_assistant_catalog *cat,
                                        const char *const *prof_ids, int n)
{
    const char **zones = apr_pcalloc(p, sizeof(char *) * (apr_size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        const kf_assistant_item *pro = item_of(cat->professionals, cat->nprofessionals,
                                               prof_ids[i]);
        zones[i] = pro ? pro->zone : NULL;
    }
    return zones;
}

int kf_assistant_days_to_read(apr_pool_t *p, const kf_intent *in, apr_int64_t today,
                              int max_days, const char **first)
{
    apr_int64_t last = (in->to > today + 13 ? in->to : today + 13) + 7;
    int y, m, d;
    kf_civil_from_days(today, &y, &m, &d);
    *first = apr_psprintf(p, "%04d-%02d-%02d", y, m, d);
    return (int)(last - today + 1 > max_days ? max_days : last - today + 1);
}

const kf_zone **kf_assistant_zones_of(apr_pool_t *p, const char *const *names, int n,
                                      kf_assistant_zone_fn zone_fn, void *baton)
{
    const kf_zone **zones = apr_pcalloc(p, sizeof(kf_zone *) * (apr_size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        zones[i] = names[i] ? zone_fn(baton, names[i]) : NULL;
    }
    return zones;
}
