#ifndef MOD_KF_CONFIG_H
#define MOD_KF_CONFIG_H
/* Server configuration: the module's own directives, the generators every feature's
 * directive list is made with, and the per-server home of the features' configurations. */
#include "mod_kf.h"
#include "kf_crypto.h"

/* A directive list is an X-list: X(T, field, "Directive", KIND, default, "help"), where T is
 * the type of the configuration the field lives in. The module's own directives are below;
 * every other directive is its feature's, in mod_konfirmado/<feature>/mod_kf_<feature>_conf.h,
 * and reaches the module through the feature's descriptor (mod_kf_feature.h). One set of
 * generators (KFM_CONF_DECLARE, KFM_CONF_DEFINE, KFM_CONF_COMMANDS, at the end of this file)
 * makes from each list its struct, its getters T_<field>(conf) applying the defaults, its
 * unset values and merge rule (a value set in a virtual host overrides the main server's)
 * and its entries of the command table (built in mod_konfirmado.c). */
#define KFM_MODULE_DIRECTIVES(X, T)                                                          \
    X(T, engine, "KonfirmadoEngine", FLAG, 0,                                                \
      "On|Off: serve the Konfirmado API and booking pages in this server")                   \
    X(T, base_domain, "KonfirmadoBaseDomain", HOST, NULL,                                    \
      "platform host name; tenant <sub> is served at <sub>.<host>")                          \
    X(T, public_url, "KonfirmadoPublicURL", URL, NULL,                                       \
      "absolute base URL of the platform host, used in mails and redirects")                 \
    X(T, key_file, "KonfirmadoKeyFile", KEYFILE, NULL,                                       \
      "file holding exactly 32 random bytes that seal secrets at rest; repeatable: the "     \
      "first seals, every one opens (key rotation)")                                         \
    X(T, allow_insecure_urls, "KonfirmadoAllowInsecureURLs", FLAG, 0,                        \
      "On accepts http:// URLs (tests and demos only, never in production)")                 \
    X(T, htdocs, "KonfirmadoHtdocs", DIR, NULL, "folder with the booking wizard and dashboard") \
    X(T, diagnostics, "KonfirmadoDiagnostics", FLAG, 0,                                      \
      "On serves POST /api/diagnostics/echo, which exercises body parsing (tests only)")     \
    X(T, ratelimit_cache, "KonfirmadoRateLimitCache", SOCACHE, "shmcb",                      \
      "socache provider[:arguments] holding the attempt counters, or postgres to keep "     \
      "them in the database, shared by several servers (main server only)")                 \
    X(T, read_database, "KonfirmadoReadDatabase", CONNINFO, NULL,                            \
      "libpq connection string of a read replica (e.g. target_session_attrs=prefer-standby): " \
      "availability, the dashboard's lists and its metrics read there while it lags less "   \
      "than KonfirmadoReadMaxLag; every write and every read that decides stays on "         \
      "DBDParams' primary (main server only)")                                              \
    X(T, read_max_lag, "KonfirmadoReadMaxLag", SECONDS, 1,                                   \
      "seconds the read replica may lag behind the primary; past it, its reads go to the "   \
      "primary (main server only)")

/* KonfirmadoRateLimitCache's value that keeps the counters in the database. */
#define KFM_CONF_SOCACHE_POSTGRES "postgres"

#define KFM_UNSET_INT (-1)

/* The operator's OAuth application at a calendar provider; the secret is read from its file
 * when the directive is read (the file may then be readable by root only). */
typedef struct kfm_oauth_client {
    const char *id;
    const char *secret;
} kfm_oauth_client;

/* How a server's mail leaves (KonfirmadoMailTransport): its kind (the name of one of
 * kf_mail_transports, kf_mail_transport.h) and, for a kind that takes one, its folder. */
typedef struct kfm_mail_transport_conf {
    const char *kind;
    const char *path;
} kfm_mail_transport_conf;

/* Each kind of directive: its C type, its value while unset, whether a value is set, what
 * the getter answers when unset, the argument httpd reads and the setter (mod_kf_config.c). */
#define KFM_CTYPE_FLAG int
#define KFM_CTYPE_SECONDS int
#define KFM_CTYPE_HOST const char *
#define KFM_CTYPE_URL const char *
#define KFM_CTYPE_KEYFILE const char *
#define KFM_CTYPE_MAILURL const char *
#define KFM_CTYPE_TEXT const char *
#define KFM_CTYPE_DIR const char *
#define KFM_CTYPE_COUNT int
#define KFM_CTYPE_SOCACHE const char *
#define KFM_CTYPE_OAUTHCLIENT kfm_oauth_client
#define KFM_CTYPE_MAILTRANSPORT kfm_mail_transport_conf
#define KFM_CTYPE_SECRETFILE const char *
#define KFM_CTYPE_CONNINFO const char *

#define KFM_UNSET_FLAG KFM_UNSET_INT
#define KFM_UNSET_SECONDS KFM_UNSET_INT
#define KFM_UNSET_HOST NULL
#define KFM_UNSET_URL NULL
#define KFM_UNSET_KEYFILE NULL
#define KFM_UNSET_MAILURL NULL
#define KFM_UNSET_TEXT NULL
#define KFM_UNSET_DIR NULL
#define KFM_UNSET_COUNT KFM_UNSET_INT
#define KFM_UNSET_SOCACHE NULL
#define KFM_UNSET_OAUTHCLIENT ((kfm_oauth_client){NULL, NULL})
#define KFM_UNSET_MAILTRANSPORT ((kfm_mail_transport_conf){NULL, NULL})
#define KFM_UNSET_SECRETFILE NULL
#define KFM_UNSET_CONNINFO NULL

#define KFM_IS_SET_INT(v) ((v) != KFM_UNSET_INT)
#define KFM_IS_SET_PTR(v) ((v) != NULL)
#define KFM_IS_SET_FLAG KFM_IS_SET_INT
#define KFM_IS_SET_SECONDS KFM_IS_SET_INT
#define KFM_IS_SET_HOST KFM_IS_SET_PTR
#define KFM_IS_SET_URL KFM_IS_SET_PTR
#define KFM_IS_SET_KEYFILE KFM_IS_SET_PTR
#define KFM_IS_SET_MAILURL KFM_IS_SET_PTR
#define KFM_IS_SET_TEXT KFM_IS_SET_PTR
#define KFM_IS_SET_DIR KFM_IS_SET_PTR
#define KFM_IS_SET_COUNT KFM_IS_SET_INT
#define KFM_IS_SET_SOCACHE KFM_IS_SET_PTR
#define KFM_IS_SET_OAUTHCLIENT(v) ((v).id != NULL)
#define KFM_IS_SET_MAILTRANSPORT(v) ((v).kind != NULL)
#define KFM_IS_SET_SECRETFILE KFM_IS_SET_PTR
#define KFM_IS_SET_CONNINFO KFM_IS_SET_PTR

#define KFM_DEFAULT_FLAG(def) (def)
#define KFM_DEFAULT_SECONDS(def) (def)
#define KFM_DEFAULT_HOST(def) (def)
#define KFM_DEFAULT_URL(def) (def)
#define KFM_DEFAULT_KEYFILE(def) (def)
#define KFM_DEFAULT_MAILURL(def) (def)
#define KFM_DEFAULT_TEXT(def) (def)
#define KFM_DEFAULT_DIR(def) (def)
#define KFM_DEFAULT_COUNT(def) (def)
#define KFM_DEFAULT_SOCACHE(def) (def)
#define KFM_DEFAULT_OAUTHCLIENT(def) KFM_UNSET_OAUTHCLIENT /* never a default: NULL */
#define KFM_DEFAULT_MAILTRANSPORT(def) ((kfm_mail_transport_conf){(def), NULL})
#define KFM_DEFAULT_SECRETFILE(def) (def)
#define KFM_DEFAULT_CONNINFO(def) (def)

#define KFM_INIT_KIND_FLAG AP_INIT_FLAG
#define KFM_INIT_KIND_SECONDS AP_INIT_TAKE1
#define KFM_INIT_KIND_HOST AP_INIT_TAKE1
#define KFM_INIT_KIND_URL AP_INIT_TAKE1
#define KFM_INIT_KIND_KEYFILE AP_INIT_TAKE1
#define KFM_INIT_KIND_MAILURL AP_INIT_TAKE1
#define KFM_INIT_KIND_TEXT AP_INIT_TAKE1
#define KFM_INIT_KIND_DIR AP_INIT_TAKE1
#define KFM_INIT_KIND_COUNT AP_INIT_TAKE1
#define KFM_INIT_KIND_SOCACHE AP_INIT_TAKE1
#define KFM_INIT_KIND_OAUTHCLIENT AP_INIT_TAKE2
#define KFM_INIT_KIND_MAILTRANSPORT AP_INIT_TAKE12
#define KFM_INIT_KIND_SECRETFILE AP_INIT_TAKE1
#define KFM_INIT_KIND_CONNINFO AP_INIT_TAKE1

#define KFM_SETTER_FLAG kfm_conf_set_flag
#define KFM_SETTER_SECONDS kfm_conf_set_seconds
#define KFM_SETTER_HOST kfm_conf_set_host
#define KFM_SETTER_URL kfm_conf_set_url
#define KFM_SETTER_KEYFILE kfm_conf_set_keyfile
#define KFM_SETTER_MAILURL kfm_conf_set_mailurl
#define KFM_SETTER_TEXT kfm_conf_set_text
#define KFM_SETTER_DIR kfm_conf_set_dir
#define KFM_SETTER_COUNT kfm_conf_set_count
#define KFM_SETTER_SOCACHE kfm_conf_set_socache
#define KFM_SETTER_OAUTHCLIENT kfm_conf_set_oauth_client
#define KFM_SETTER_MAILTRANSPORT kfm_conf_set_mail_transport
#define KFM_SETTER_SECRETFILE kfm_conf_set_secret_file
#define KFM_SETTER_CONNINFO kfm_conf_set_conninfo

/* One generic setter per kind; cmd->info is the directive's kfm_directive. */
const char *kfm_conf_set_flag(cmd_parms *cmd, void *dconf, int on);
const char *kfm_conf_set_seconds(cmd_parms *cmd, void *dconf, const char *arg);
const char *kfm_conf_set_host(cmd_parms *cmd, void *dconf, const char *arg);
const char *kfm_conf_set_url(cmd_parms *cmd, void *dconf, const char *arg);
const char *kfm_conf_set_keyfile(cmd_parms *cmd, void *dconf, const char *arg);
const char *kfm_conf_set_mailurl(cmd_parms *cmd, void *dconf, const char *arg);
const char *kfm_conf_set_text(cmd_parms *cmd, void *dconf, const char *arg);
const char *kfm_conf_set_dir(cmd_parms *cmd, void *dconf, const char *arg);
/* A libpq connection string (keywords or a URI, as PQconnectdb takes it), main server only:
 * refused when libpq cannot read it. */
const char *kfm_conf_set_conninfo(cmd_parms *cmd, void *dconf, const char *arg);
const char *kfm_conf_set_count(cmd_parms *cmd, void *dconf, const char *arg);
const char *kfm_conf_set_socache(cmd_parms *cmd, void *dconf, const char *arg);
const char *kfm_conf_set_oauth_client(cmd_parms *cmd, void *dconf, const char *id,
                                      const char *secret_file);
/* a mail transport's name, and a folder for one that takes it (kf_mail_transport_directive) */
const char *kfm_conf_set_mail_transport(cmd_parms *cmd, void *dconf, const char *kind,
                                        const char *path);
/* A provider's API key, read from its file now, while the server still runs as root
 * (kf_secret_load_file: a file every user can read is refused). */
const char *kfm_conf_set_secret_file(cmd_parms *cmd, void *dconf, const char *path);
/* KonfirmadoProviderURL and KonfirmadoOutboundAllow, the module's directives that are no
 * scalar (a table and a list that add up). */
const char *kfm_conf_set_provider_url(cmd_parms *cmd, void *dconf, const char *name,
                                      const char *url);
const char *kfm_conf_add_outbound_allow(cmd_parms *cmd, void *dconf, const char *range);

/* The directives of one feature (or of the module itself, kfm_conf_directives): the size
 * of its configuration, how its fields start unset and merge, and its startup check. */
typedef struct kfm_directives {
    const char *owner;
    apr_size_t size;
    void (*unset)(void *conf);
    void (*merge)(void *conf, const void *base, const void *add);
    /* check_config, for every server where the engine is on: OK, or !OK with one line
     * logged (so `apachectl -t` fails with it); NULL: nothing to check */
    int (*check)(server_rec *s, const void *conf, apr_pool_t *ptemp);
} kfm_directives;

/* What one entry of the command table sets (its cmd_data): the field at `offset` in the
 * configuration of `set`; its kind and default as written in the list (kf-directives
 * prints them for the documentation check). */
typedef struct kfm_directive {
    const kfm_directives *set;
    apr_size_t offset;
    const char *kind;
    const char *default_text;
} kfm_directive;

/* ---- the generators ---- */
#define KFM_CONF_FIELD_(T, field, name, kind, def, help) KFM_CTYPE_##kind field;
#define KFM_CONF_GETTER_(T, field, name, kind, def, help)                                    \
    static inline KFM_CTYPE_##kind T##_##field(const T *c)                                   \
    {                                                                                        \
        return KFM_IS_SET_##kind(c->field) ? c->field : KFM_DEFAULT_##kind(def);             \
    }
#define KFM_CONF_UNSET_(T, field, name, kind, def, help) c->field = KFM_UNSET_##kind;
#define KFM_CONF_MERGE_(T, field, name, kind, def, help)                                     \
    c->field = KFM_IS_SET_##kind(add->field) ? add->field : base->field;
#define KFM_CONF_COMMAND_(T, field, name, kind, def, help)                                   \
    KFM_INIT_KIND_##kind(name, KFM_SETTER_##kind,                                            \
                         ((void *)&(const kfm_directive){&T##_directives,                    \
                                                         APR_OFFSETOF(T, field), #kind, #def}), \
                         RSRC_CONF, help),

/* In a feature's header: its struct T (one field per directive), its getters T_<field>(c),
 * its directives (T_directives, for its descriptor) and T_of(s), its configuration in a
 * server. */
#define KFM_CONF_DECLARE(T, LIST)                                                            \
    typedef struct T {                                                                       \
        LIST(KFM_CONF_FIELD_, T)                                                             \
    } T;                                                                                     \
    LIST(KFM_CONF_GETTER_, T)                                                                \
    extern const kfm_directives T##_directives;                                              \
    static inline const T *T##_of(const server_rec *s)                                       \
    {                                                                                        \
        return kfm_feature_conf(s, &T##_directives);                                         \
    }

/* In the feature's one .c file: T_directives, its unset values and merge rule. */
#define KFM_CONF_DEFINE(T, LIST, owner_name, check_fn)                                       \
    static void T##_unset_fields(void *conf)                                                 \
    {                                                                                        \
        T *c = conf;                                                                         \
        LIST(KFM_CONF_UNSET_, T)                                                             \
    }                                                                                        \
    static void T##_merge_fields(void *conf, const void *base_v, const void *add_v)          \
    {                                                                                        \
        T *c = conf;                                                                         \
        const T *base = base_v, *add = add_v;                                                \
        LIST(KFM_CONF_MERGE_, T)                                                             \
    }                                                                                        \
    const kfm_directives T##_directives = {owner_name, sizeof(T), T##_unset_fields,          \
                                       T##_merge_fields, check_fn}

/* In mod_konfirmado.c's command table: one entry per directive of the list. */
#define KFM_CONF_COMMANDS(T, LIST) LIST(KFM_CONF_COMMAND_, T)

/* The configuration of `set` in server s (NULL: no feature listed in mod_konfirmado.c
 * hands those directives). */
const void *kfm_feature_conf(const server_rec *s, const kfm_directives *set);

/* ---- the module's own configuration ---- */

typedef struct kfm_server_conf {
    KFM_MODULE_DIRECTIVES(KFM_CONF_FIELD_, kfm_conf)
    apr_table_t *provider_urls;     /* KonfirmadoProviderURL name -> URL (overlaid on merge) */
    kf_keyring *keyring;            /* loaded from key_file when the directive is read */
    apr_array_header_t *outbound_allow; /* KonfirmadoOutboundAllow: kf_cidr ranges tenant
                                           URLs may reach although internal (NULL: none) */
    /* the directives of each feature of mod_konfirmado.c's list, in its order (NULL where a
     * feature has none), and at the same positions their configurations in this server */
    const kfm_directives *const *sets;
    void **feature_confs;
    int nsets;
} kfm_server_conf;

/* The module's getters are kfm_conf_<field>(conf): kfm_conf_engine(conf)… */
typedef kfm_server_conf kfm_conf;
KFM_MODULE_DIRECTIVES(KFM_CONF_GETTER_, kfm_conf)
extern const kfm_directives kfm_conf_directives;

/* The module's entries of the command table (mod_konfirmado.c). */
#define KFM_MODULE_COMMANDS                                                                  \
    KFM_CONF_COMMANDS(kfm_conf, KFM_MODULE_DIRECTIVES)                                       \
    AP_INIT_TAKE2("KonfirmadoProviderURL", kfm_conf_set_provider_url, NULL, RSRC_CONF,       \
                  "provider name and base URL overriding the provider's public endpoint"),   \
    AP_INIT_ITERATE("KonfirmadoOutboundAllow", kfm_conf_add_outbound_allow, NULL, RSRC_CONF, \
                    "address ranges (CIDR) of the server's own networks that tenant-chosen " \
                    "URLs (callbacks) may reach anyway; by default none"),

/* A server's configuration: the module's own and one per set of directives of `sets` (the
 * n features' directives, NULL where a feature has none), at the same positions. */
void *kfm_conf_create(apr_pool_t *p, server_rec *s, const kfm_directives *const *sets, int n);
void *kfm_conf_merge(apr_pool_t *p, void *base, void *add);

/* check_config hook: the startup checks that make `apachectl -t` fail with one line. */
int kfm_conf_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);

/* Inline, as kfm_ctx_of_request reads it: the request plumbing then needs no more of this
 * file than its header. */
static inline const kfm_server_conf *kfm_conf_get(const server_rec *s)
{
    return ap_get_module_config(s->module_config, &konfirmado_module);
}

/* The loaded socache provider of that name, or NULL. */
struct ap_socache_provider_t;
const struct ap_socache_provider_t *kfm_conf_socache_provider(const char *name);

/* Base URL of a provider: KonfirmadoProviderURL overrides `fallback`. */
const char *kfm_conf_provider_url(const kfm_server_conf *c, const char *name, const char *fallback);

#endif
