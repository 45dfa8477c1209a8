#ifndef MOD_KF_DB_WARM_H
#define MOD_KF_DB_WARM_H
/* A new child's first database connection, made ready before a customer asks for one.
 *
 * The first connection of a process checks the schema and prepares every statement
 * (mod_kf_db.h): tens of milliseconds of PostgreSQL's CPU, more while the other children
 * of a graceful restart do the same. Left to the first request, a customer waits for it
 * (and with the availability cache emptied by the restart, so does everyone waiting for
 * that first answer). So each child, as it starts, checks a connection out of mod_dbd's
 * pool for every server where the engine is on, makes it ready and gives it back, in a
 * thread of its own: the child accepts requests meanwhile, and a request that comes first
 * prepares only what it runs. A schema that disagrees with the module's SQL is logged here
 * with the statement's name, and the next connection proves it again, as before. */
#include "mod_kf.h"

/* child_init, after mod_dbd's: starts the warm-up; the child's exit waits for it. */
void kfm_db_warm_child_init(apr_pool_t *pchild, server_rec *s);

#endif
