/* The child's memo of availability facts: see mod_kf_availability_memo.h. The table is
 * lib/availability/kf_facts_memo.c; a request's references end with its pool. */
#include "mod_kf_availability_memo.h"
#include "mod_kf_availability_conf.h"
#include "mod_kf_config.h"

static kf_facts_memo *memo;

static apr_status_t release(void *data)
{
    kf_facts_memo_release(data);
    return APR_SUCCESS;
}

int kfm_memo_enabled(kfm_req *kr)
{
    return memo && kfm_availability_conf_facts_memo(kfm_availability_conf_of(kr->r->server));
}

kfm_memo_entry *kfm_memo_get(kfm_req *kr, const char *key, kf_facts_proof *proof)
{
    kfm_memo_entry *e = kfm_memo_enabled(kr) ? kf_facts_memo_get(memo, key, proof) : NULL;
    if (e) {
        apr_pool_cleanup_register(kr->r->pool, e, release, apr_pool_cleanup_null);
    }
    return e;
}

kfm_memo_entry *kfm_memo_new(kfm_req *kr)
{
    kfm_memo_entry *e = kfm_memo_enabled(kr) ? kf_facts_memo_new(memo) : NULL;
    if (e) {
        apr_pool_cleanup_register(kr->r->pool, e, release, apr_pool_cleanup_null);
    }
    return e;
}

/* The child ends: the table's references go (requests are over by then). */
static apr_status_t memo_child_exit(void *data)
{
    (void)data;
    kf_facts_memo_clear(memo);
    memo = NULL;
    return APR_SUCCESS;
}

static void memo_child_init(apr_pool_t *p, server_rec *s)
{
    memo = kf_facts_memo_create(p, KFM_MEMO_SLOTS);
    if (!memo) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "mod_konfirmado: availability facts are read "
                     "for every request in this child (no mutex)");
        return;
    }
    apr_pool_cleanup_register(p, NULL, memo_child_exit, apr_pool_cleanup_null);
}

void kfm_memo_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_child_init(memo_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}
