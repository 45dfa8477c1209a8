#ifndef MOD_KF_FEATURE_H
#define MOD_KF_FEATURE_H
/* What a feature hands the module: its endpoints, the statement tables it prepares, its
 * background jobs, its directives, its own httpd hooks and the functions it hands features
 * below it. Each feature folder defines one
 * descriptor (mod_kf_<feature>_feature.c); mod_konfirmado.c lists them, and the router, the
 * database adapter, the job runner and the server configuration read only these
 * descriptors, never a feature by name. */
#include "mod_kf_request.h"
#include "mod_kf_jobs.h"
#include "kf_route.h"

/* Who may call an endpoint. */
typedef enum {
    KFM_AUTH_PUBLIC = 0,  /* anyone: health, auth forms, public booking API, webhooks */
    KFM_AUTH_SESSION,     /* a merchant session (reads): else 401 unauthenticated */
    KFM_AUTH_CSRF         /* a session and X-CSRF-Token (state changes): else 401 / 403 csrf_failed */
} kfm_auth_level;

/* What an endpoint needs of the router around its handler: at most one way to its
 * connection, its body, and what follows its writes (bits, or-ed). */
typedef enum {
    KFM_NEEDS_NOTHING = 0,
    /* a ready connection in kr->db, else 503 before the handler */
    KFM_NEEDS_DB = 1,
    /* the handler takes one (kfm_req_db_own) only when it needs it: a cached availability
     * answer needs none, so it costs no pool checkout and a cold server opens no connection
     * for it */
    KFM_DB_ON_DEMAND = 2,
    /* a connection of the request's own in kr->db (kfm_req_db_own), which the handler may
     * give back while it waits on a provider; else 503 before the handler */
    KFM_NEEDS_OWN_DB = 4,
    /* its body, a JSON object, in kr->body: read (at most the row's body limit) before any
     * connection is taken, else 415, 413 or 400 malformed_json before the handler */
    KFM_NEEDS_JSON_OBJECT = 8,
    /* a request of a page of this host, or of no page (kf_request_cross_site): a cross-site
     * one is 403 forbidden_origin before anything else (the customer's pages, whose session
     * cookie a sibling host's page would carry along) */
    KFM_NEEDS_SAME_SITE = 16,
    /* no body, or one announced as JSON: another Content-Type (a form, text/plain, which a
     * page elsewhere can send without asking the browser first) is 415 before anything is
     * read; for the POSTs that take no body */
    KFM_NEEDS_JSON_IF_ANY = 32,
    /* after the handler, no availability answer judged again: its writes change none by
     * themselves (a login, a chat message, a payment webhook), and what it does change (a
     * declined payment's slot) its handler bumps itself. Without it, a write that was not
     * refused and bumped no professional makes every cached answer be judged again
     * (mod_kf_availability_cache.c) */
    KFM_LEAVES_AVAILABILITY = 64
} kfm_endpoint_needs;

/* The per-IP limit a public endpoint is charged to (API.md "Hosts and tenants"). */
typedef enum {
    KFM_CHARGE_NONE = 0,
    KFM_CHARGE_PUBLIC_READ,
    KFM_CHARGE_PUBLIC_HOLD,
    KFM_CHARGE_PUBLIC_BOOKING,
    KFM_CHARGE_OAUTH_START
} kfm_endpoint_charge;

typedef struct kfm_endpoint {
    kf_route route;          /* must stay first: kf_route_find reads it */
    kfm_handler_fn handler;
    kfm_auth_level auth;
    unsigned needs;          /* kfm_endpoint_needs, a connection's | KFM_NEEDS_JSON_OBJECT */
    kfm_endpoint_charge charge;
    apr_size_t body_limit;   /* 0: the JSON limit of API.md (64 KiB) */
} kfm_endpoint;

/* What runs after every handler (a feature's after_handler). */
typedef void (*kfm_after_handler_fn)(kfm_req *kr);

/* One background job: `name` makes its watchdog instance name (with the server's). */
typedef struct kfm_job {
    const char *name;
    kfm_job_setup_fn *setup;
} kfm_job;

/* A function a feature hands, at startup, to a feature below it, which calls it back without
 * including the giver (the receiver's header says, beside its setter, what the hook is for):
 * `to` is the receiving feature's descriptor name, `hook` the setter that installs it, and
 * `install` the giver's function that calls that setter with its own functions. The module
 * installs every feature's hand-offs in one place, before any feature's register_hooks, and
 * refuses to start when one names no listed feature. */
typedef struct kfm_handoff {
    const char *to;
    const char *hook;
    void (*install)(void);
} kfm_handoff;

#define KFM_HANDOFFS_END {NULL, NULL, NULL}

typedef struct kfm_feature {
    const char *name;
    const kfm_endpoint *endpoints;      /* ends with an entry whose route.method is NULL */
    const kfm_sql *const *statements;   /* its statement tables, NULL-terminated */
    const kfm_job *jobs;                /* ends with {NULL, NULL}; NULL: none */
    /* its directives' configuration (mod_kf_<feature>_conf.h: size, unset values, merge,
     * startup check), kept per server by the module; their entries of the command table are
     * made from the same list in mod_konfirmado.c, since httpd reads the table before any
     * hook runs; NULL: none */
    const kfm_directives *directives;
    /* what it hands the features below it; ends with KFM_HANDOFFS_END; NULL: none */
    const kfm_handoff *handoffs;
    /* httpd hooks of its own (caches, static files, shared memory); NULL: none */
    void (*register_hooks)(apr_pool_t *p);
    /* post_config, second pass only, after the module's own setup; NULL: none */
    int (*post_config)(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
    /* post_config, both passes, once every statement is declared: the feature checks what
     * it names (OK or !OK); NULL: nothing to check */
    int (*check)(server_rec *s);
    /* called by the router after the handler of every endpoint, any feature's, has answered
     * (availability's cache: a write that named no professional it changed empties it all);
     * NULL: none */
    kfm_after_handler_fn after_handler;
} kfm_feature;

#define KFM_ENDPOINTS_END {{NULL, NULL}, NULL, KFM_AUTH_PUBLIC, KFM_NEEDS_NOTHING, KFM_CHARGE_NONE, 0}

#endif
