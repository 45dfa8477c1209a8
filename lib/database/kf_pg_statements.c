/* The declared statements: see kf_pg_statements.h. */
#include "kf_pg_statements.h"
#include "kf_pg_session.h"

#include <apr_hash.h>
#include <apr_strings.h>

typedef struct declared {
    const char *sql;
    int nargs;
} declared;

struct kf_pg_statements {
    apr_pool_t *p;
    apr_hash_t *by_label;   /* label -> declared */
};

kf_pg_statements *kf_pg_statements_make(apr_pool_t *p)
{
    kf_pg_statements *s = apr_palloc(p, sizeof(*s));
    s->p = p;
    s->by_label = apr_hash_make(p);
    return s;
}

const char *kf_pg_statements_declare(kf_pg_statements *s, const char *label, const char *sql)
{
    if (!label || !*label || !sql || !*sql) {
        return apr_psprintf(s->p, "statement %s has an empty label or SQL", label ? label : "");
    }
    if (apr_hash_get(s->by_label, label, APR_HASH_KEY_STRING)) {
        return apr_psprintf(s->p, "statement label %s is declared twice", label);
    }
    declared *d = apr_palloc(s->p, sizeof(*d));
    d->sql = sql;
    d->nargs = kf_pg_placeholder_count(sql);
    apr_hash_set(s->by_label, label, APR_HASH_KEY_STRING, d);
    return NULL;
}

int kf_pg_statements_known(const kf_pg_statements *s, const char *label)
{
    return s && label && apr_hash_get(s->by_label, label, APR_HASH_KEY_STRING) != NULL;
}

const char *kf_pg_statements_sql(const kf_pg_statements *s, apr_pool_t *p, const char *label,
                                 int nargs, const char **why)
{
    const declared *d = kf_pg_statements_known(s, label)
                            ? apr_hash_get(s->by_label, label, APR_HASH_KEY_STRING) : NULL;
    if (!d) {
        *why = apr_psprintf(p, "unknown statement label %s", label ? label : "(none)");
        return NULL;
    }
    if (d->nargs != nargs) {
        *why = apr_psprintf(p, "statement %s takes %d argument(s), was given %d", label,
                            d->nargs, nargs);
        return NULL;
    }
    return d->sql;
}
