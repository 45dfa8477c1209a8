/* Directives: parsing, defaults, merging, and the startup checks. */
#include "mod_kf_config.h"
#include "kf_netaddr.h"
#include "mod_kf_db.h"
#include "kf_directive.h"
#include "kf_mail_transport.h"
#include "kf_payment.h"
#include "kf_calendar_providers.h"

#include "ap_provider.h"
#include "ap_socache.h"
#include <libpq-fe.h>


KFM_CONF_DEFINE(kfm_conf, KFM_MODULE_DIRECTIVES, "module", NULL);

void *kfm_conf_create(apr_pool_t *p, server_rec *s, const kfm_directives *const *sets, int n)
{
    kfm_server_conf *c = apr_pcalloc(p, sizeof(*c));
    kfm_conf_directives.unset(c);
    c->provider_urls = apr_table_make(p, 4);
    c->sets = sets;
    c->nsets = n;
    c->feature_confs = apr_pcalloc(p, sizeof(void *) * (apr_size_t)n);
    for (int i = 0; i < n; i++) {
        if (sets[i]) {
            c->feature_confs[i] = apr_pcalloc(p, sets[i]->size);
            sets[i]->unset(c->feature_confs[i]);
        }
    }
    return c;
}

void *kfm_conf_merge(apr_pool_t *p, void *base_v, void *add_v)
{
    const kfm_server_conf *base = base_v, *add = add_v;
    kfm_server_conf *c = apr_pcalloc(p, sizeof(*c));
    kfm_conf_directives.merge(c, base, add);
    c->provider_urls = apr_table_overlay(p, base->provider_urls, add->provider_urls);
    apr_table_compress(c->provider_urls, APR_OVERLAP_TABLES_SET);
    c->keyring = add->key_file ? add->keyring : base->keyring;
    c->outbound_allow = add->outbound_allow ? add->outbound_allow : base->outbound_allow;
    c->sets = base->sets;
    c->nsets = base->nsets;
    c->feature_confs = apr_pcalloc(p, sizeof(void *) * (apr_size_t)c->nsets);
    for (int i = 0; i < c->nsets; i++) {
        if (c->sets[i]) {
            c->feature_confs[i] = apr_pcalloc(p, c->sets[i]->size);
            c->sets[i]->merge(c->feature_confs[i], base->feature_confs[i], add->feature_confs[i]);
        }
    }
    return c;
}

/* The configurations are few (one per feature): a look along the list is as quick as an
 * index and needs no number kept in step with mod_konfirmado.c's order. */
static void *feature_conf_in(const kfm_server_conf *c, const kfm_directives *set)
{
    for (int i = 0; i < c->nsets; i++) {
        if (c->sets[i] == set) {
            return c->feature_confs[i];
        }
    }
    return NULL;
}

const void *kfm_feature_conf(const server_rec *s, const kfm_directives *set)
{
    return feature_conf_in(kfm_conf_get(s), set);
}

const ap_socache_provider_t *kfm_conf_socache_provider(const char *name)
{
    return ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, name, AP_SOCACHE_PROVIDER_VERSION);
}

const char *kfm_conf_provider_url(const kfm_server_conf *c, const char *name, const char *fallback)
{
    const char *url = apr_table_get(c->provider_urls, name);
    return url ? url : fallback;
}

static kfm_server_conf *conf_of(cmd_parms *cmd)
{
    return ap_get_module_config(cmd->server->module_config, &konfirmado_module);
}

/* The field an entry of the command table sets: in the module's configuration or in its
 * feature's, at the offset its kfm_directive names. */
static void *field_of(cmd_parms *cmd)
{
    const kfm_directive *d = cmd->info;
    kfm_server_conf *c = conf_of(cmd);
    char *conf = d->set == &kfm_conf_directives ? (char *)c : feature_conf_in(c, d->set);
    ap_assert(conf); /* a list in the command table whose feature's descriptor lacks it */
    return conf + d->offset;
}

#define FIELD_AT(cmd, type) ((type *)field_of(cmd))

const char *kfm_conf_set_flag(cmd_parms *cmd, void *dconf, int on)
{
    *FIELD_AT(cmd, int) = on ? 1 : 0;
    return NULL;
}

const char *kfm_conf_set_seconds(cmd_parms *cmd, void *dconf, const char *arg)
{
    return kf_directive_seconds(cmd->pool, cmd->cmd->name, arg, FIELD_AT(cmd, int));
}

const char *kfm_conf_set_count(cmd_parms *cmd, void *dconf, const char *arg)
{
    return kf_directive_count(cmd->pool, cmd->cmd->name, arg, FIELD_AT(cmd, int));
}

/* "provider[:arguments]" of a loaded socache provider (as SSLSessionCache takes it), or
 * "postgres" (the counters in the database). The counters are shared by the whole server,
 * so only the main server may set it. */
const char *kfm_conf_set_socache(cmd_parms *cmd, void *dconf, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    if (err) {
        return err;
    }
    const char *args = NULL;
    const char *name = kf_directive_socache_provider(cmd->temp_pool, arg, &args);
    if (strcmp(arg, KFM_CONF_SOCACHE_POSTGRES) != 0 && !kfm_conf_socache_provider(name)) {
        return apr_psprintf(cmd->pool, "%s: socache provider '%s' is not loaded (LoadModule "
                            "socache_%s_module first)", cmd->cmd->name, name, name);
    }
    *FIELD_AT(cmd, const char *) = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

const char *kfm_conf_set_conninfo(cmd_parms *cmd, void *dconf, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    if (err) {
        return err;
    }
    char *why = NULL;
    PQconninfoOption *options = PQconninfoParse(arg, &why);
    if (!options) {
        const char *refused = apr_psprintf(cmd->pool, "%s: not a libpq connection string: %s",
                                           cmd->cmd->name, why ? why : "out of memory");
        PQfreemem(why);
        return refused;
    }
    PQconninfoFree(options);
    *FIELD_AT(cmd, const char *) = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

/* The text directives: `refused` (the core's check of arg), else arg stored. */
static const char *store_text(cmd_parms *cmd, const char *arg, const char *refused)
{
    if (!refused) {
        *FIELD_AT(cmd, const char *) = apr_pstrdup(cmd->pool, arg);
    }
    return refused;
}

const char *kfm_conf_set_host(cmd_parms *cmd, void *dconf, const char *arg)
{
    return store_text(cmd, arg, kf_directive_host(cmd->pool, cmd->cmd->name, arg));
}

/* Syntax only here; whether http:// is acceptable is decided in kfm_conf_check. */
const char *kfm_conf_set_url(cmd_parms *cmd, void *dconf, const char *arg)
{
    return store_text(cmd, arg, kf_directive_url(cmd->pool, cmd->cmd->name, arg));
}

const char *kfm_conf_set_mailurl(cmd_parms *cmd, void *dconf, const char *arg)
{
    return store_text(cmd, arg, kf_directive_mail_url(cmd->pool, cmd->cmd->name, arg));
}

const char *kfm_conf_set_text(cmd_parms *cmd, void *dconf, const char *arg)
{
    return store_text(cmd, arg, kf_directive_text(cmd->pool, cmd->cmd->name, arg));
}

const char *kfm_conf_set_dir(cmd_parms *cmd, void *dconf, const char *arg)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);
    const char *refused = kf_directive_dir(cmd->pool, cmd->temp_pool, cmd->cmd->name, arg, path);
    if (!refused) {
        *FIELD_AT(cmd, const char *) = path;
    }
    return refused;
}

/* The key is read now, while the server still runs as root, and checked for length. */
const char *kfm_conf_set_keyfile(cmd_parms *cmd, void *dconf, const char *arg)
{
    kfm_server_conf *c = conf_of(cmd);
    const char *path = ap_server_root_relative(cmd->pool, arg);
    unsigned char key[32];
    const char *why = NULL;

    if (!path) {
        return apr_psprintf(cmd->pool, "KonfirmadoKeyFile: invalid path '%s'", arg);
    }
    if (kf_key_load_file(cmd->temp_pool, path, key, &why) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "KonfirmadoKeyFile: %s", why ? why : "cannot load key");
    }
    /* Repeatable: the first key of this server seals, every key opens (by key id), so a
     * key can be rotated (konfirmado-reseal) without losing a stored secret. */
    int first = c->keyring == NULL;
    if (first) {
        c->keyring = kf_keyring_make(cmd->pool);
        c->key_file = path;
    }
    apr_status_t rv = kf_keyring_add(c->keyring, key, first);
    explicit_bzero(key, sizeof(key));
    if (rv == APR_EEXIST) {
        return apr_psprintf(cmd->pool, "KonfirmadoKeyFile: '%s' has the key id of another key "
                            "given before: replace one of the two keys", arg);
    }
    return NULL;
}

/* Every KonfirmadoProviderURL name a registry gives (the payment and calendar providers',
 * the mail transports'), NULL-terminated. */
static const char *const *registered_url_names(apr_pool_t *p)
{
    const char *const *lists[] = {kf_payment_url_names(p), kf_calendar_url_names(p), NULL};
    apr_array_header_t *names = apr_array_make(p, 24, sizeof(const char *));
    for (int i = 0; lists[i]; i++) {
        for (int k = 0; lists[i][k]; k++) {
            APR_ARRAY_PUSH(names, const char *) = lists[i][k];
        }
    }
    for (int i = 0; kf_mail_transports[i]; i++) {
        if (kf_mail_transports[i]->url_name) {
            APR_ARRAY_PUSH(names, const char *) = kf_mail_transports[i]->url_name;
        }
    }
    APR_ARRAY_PUSH(names, const char *) = NULL;
    return (const char *const *)names->elts;
}

const char *kfm_conf_set_provider_url(cmd_parms *cmd, void *dconf, const char *name,
                                    const char *url)
{
    const char *err = kf_directive_provider(cmd->pool, "KonfirmadoProviderURL", name,
                                            registered_url_names(cmd->temp_pool));
    err = err ? err : kf_directive_url(cmd->pool, "KonfirmadoProviderURL", url);
    if (err) {
        return err;
    }
    apr_table_set(conf_of(cmd)->provider_urls, name, url);
    return NULL;
}

/* Each argument one range; the directive may be repeated (the ranges add up). */
const char *kfm_conf_add_outbound_allow(cmd_parms *cmd, void *dconf, const char *range)
{
    kfm_server_conf *c = conf_of(cmd);
    kf_cidr cidr;
    const char *why = kf_cidr_parse(range, &cidr);
    if (why) {
        return apr_psprintf(cmd->pool, "KonfirmadoOutboundAllow: '%s': %s", range, why);
    }
    if (!c->outbound_allow) {
        c->outbound_allow = apr_array_make(cmd->pool, 2, sizeof(kf_cidr));
    }
    APR_ARRAY_PUSH(c->outbound_allow, kf_cidr) = cidr;
    return NULL;
}

/* An OAuth application, "id secret-file" (KonfirmadoGoogleClient, KonfirmadoMicrosoftClient). */
const char *kfm_conf_set_oauth_client(cmd_parms *cmd, void *dconf, const char *id,
                                    const char *secret_file)
{
    kfm_oauth_client *client = FIELD_AT(cmd, kfm_oauth_client);
    const char *secret = NULL;
    const char *err = kf_directive_oauth_client_file(
        cmd->pool, cmd->temp_pool, cmd->cmd->name, id, secret_file,
        ap_server_root_relative(cmd->pool, secret_file), &secret);
    if (!err) {
        client->id = apr_pstrdup(cmd->pool, id);
        client->secret = secret;
    }
    return err;
}

const char *kfm_conf_set_mail_transport(cmd_parms *cmd, void *dconf, const char *kind,
                                        const char *path)
{
    kfm_mail_transport_conf *t = FIELD_AT(cmd, kfm_mail_transport_conf);
    const char *err = kf_mail_transport_directive(cmd->pool, cmd->cmd->name, kind, path);
    if (err) {
        return err;
    }
    t->kind = apr_pstrdup(cmd->pool, kind);
    t->path = path ? ap_server_root_relative(cmd->pool, path) : NULL;
    if (path && !t->path) {
        return apr_psprintf(cmd->pool, "%s: invalid folder '%s'", cmd->cmd->name, path);
    }
    return NULL;
}

const char *kfm_conf_set_secret_file(cmd_parms *cmd, void *dconf, const char *arg)
{
    const char *path = ap_server_root_relative(cmd->pool, arg), *secret = NULL, *why = NULL;
    if (!path || kf_secret_load_file(cmd->pool, path, &secret, &why) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: %s", cmd->cmd->name,
                            why ? why : apr_pstrcat(cmd->pool, "invalid path '", arg, "'", NULL));
    }
    *FIELD_AT(cmd, const char *) = secret;
    return NULL;
}

/* ---- startup checks (run by check_config, so `apachectl -t` reports them) ---- */

static int startup_error(server_rec *s, const char *line)
{
    ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, "%s", line);
    return !OK;
}

/* Effective value for a virtual host before httpd merges configs: its own, else the main one's. */
#define EFFECTIVE(own, main, field, kind) (KFM_IS_SET_##kind((own)->field) ? (own)->field : (main)->field)

int kfm_conf_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *main_s)
{
    const kfm_server_conf *mc = kfm_conf_get(main_s);
    const char *cache = kfm_conf_ratelimit_cache(mc), *cache_args = NULL;
    int cache_loaded = strcmp(cache, KFM_CONF_SOCACHE_POSTGRES) == 0 ||
        kfm_conf_socache_provider(kf_directive_socache_provider(ptemp, cache, &cache_args));

    for (server_rec *s = main_s; s; s = s->next) {
        const kfm_server_conf *c = kfm_conf_get(s);
        if (EFFECTIVE(c, mc, engine, FLAG) != 1) {
            continue;
        }
        int insecure = EFFECTIVE(c, mc, allow_insecure_urls, FLAG) == 1;
        const kf_directive_server found = {
            s->server_hostname ? s->server_hostname : "(main server)", kfm_db_available(),
            EFFECTIVE(c, mc, key_file, KEYFILE) != NULL, EFFECTIVE(c, mc, base_domain, HOST),
            cache, cache_loaded, EFFECTIVE(c, mc, public_url, URL), insecure};
        const char *refused = kf_directive_server_check(ptemp, &found);
        if (refused) {
            return startup_error(s, refused);
        }
        /* httpd merged the virtual hosts' configurations before check_config */
        for (int i = 0; i < c->nsets; i++) {
            const kfm_directives *set = c->sets[i];
            if (set && set->check && set->check(s, c->feature_confs[i], ptemp) != OK) {
                return !OK;
            }
        }
        refused = kf_directive_provider_urls_check(ptemp, c->provider_urls, insecure);
        if (refused) {
            return startup_error(s, refused);
        }
    }
    return OK;
}
