#ifndef MOD_KF_CHILD_EXITS_H
#define MOD_KF_CHILD_EXITS_H
/* Apache's parent woken as each child exits, so that a graceful restart's new children start
 * at once.
 *
 * During a graceful restart the parent starts a new child as it reaps an old one. It looks
 * for exited children, and when it finds none it sleeps a second (ap_wait_or_timeout): an
 * old child that exits a moment after that look (finishing its connections and its jobs'
 * runs) leaves its customers with fewer children, or none, until a second after the signal.
 * The parent keeps SIGCHLD at its default, which does not end that sleep; a handler that does
 * nothing does. Woken, the parent takes the rest of the second as passed and starts the
 * whole new generation in the scoreboard's free slots. So the wake is set only where the
 * scoreboard has a free slot for every child the server runs at most (ServerLimit ≥ twice
 * MaxRequestWorkers / ThreadsPerChild, as docs/operating.md recommends): without them the
 * parent would find no slot then, and replace the old children only at its once-a-second
 * look for idle threads. */
#include "mod_kf.h"

/* post_config (after every other module's), in the parent: sets the wake when SIGCHLD is
 * at its default and the slots are there; pconf's cleanup puts the default back before the
 * module is unloaded. Always OK: without the wake Apache keeps its own pace. */
int kfm_child_exits_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                server_rec *s);

/* child_init: a child gets the default back (it runs no children of its own that need it,
 * and nothing of it should change). */
void kfm_child_exits_child_init(apr_pool_t *pchild, server_rec *s);

#endif
