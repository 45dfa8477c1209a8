/* Directives: parsing, defaults, merging, and the startup checks. */
#include "mod_kf_config.h"
#include "kf_netaddr.h"
#include "mod_kf_db.h"
#include "kf_mail.h"
#include "kf_url.h"

#include "ap_provider.h"
#include "ap_socache.h"

#include <apr_file_info.h>
#include <apr_lib.h>

/* Providers whose base URL may be overridden (tests and the demo point them at fakes). */
static const char *const known_providers[] = {
    "wompi-sandbox", "wompi-production", "wompi-checkout",
    "google-auth", "google-token", "google-calendar",
    "stripe-sandbox", "stripe-production", "mercadopago-sandbox", "mercadopago-production",
    "airwallex-sandbox", "airwallex-production", "airwallex-checkout",
    "calcom", "microsoft-login", "microsoft-graph", "resend",
    "twilio", NULL,
};

void *kfm_conf_create(apr_pool_t *p, server_rec *s)
{
    kfm_server_conf *c = apr_pcalloc(p, sizeof(*c));
#define KFM_INIT_FIELD(field, name, kind, def, help) c->field = (KFM_CTYPE_##kind)KFM_UNSET_##kind;
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
    KFM_SCALAR_DIRECTIVES(KFM_INIT_FIELD)
#undef KFM_INIT_FIELD
    c->provider_urls = apr_table_make(p, 4);
    return c;
}

void *kfm_conf_merge(apr_pool_t *p, void *base_v, void *add_v)
{
    const kfm_server_conf *base = base_v, *add = add_v;
    kfm_server_conf *c = apr_pcalloc(p, sizeof(*c));
#define KFM_MERGE_FIELD(field, name, kind, def, help)                                         \
    c->field = KFM_IS_SET_##kind(add->field) ? add->field : base->field;
    KFM_SCALAR_DIRECTIVES(KFM_MERGE_FIELD)
#undef KFM_MERGE_FIELD
    c->provider_urls = apr_table_overlay(p, base->provider_urls, add->provider_urls);
    apr_table_compress(c->provider_urls, APR_OVERLAP_TABLES_SET);
    c->google_client = add->google_client.id ? add->google_client : base->google_client;
    c->microsoft_client = add->microsoft_client.id ? add->microsoft_client : base->microsoft_client;
    c->keyring = add->key_file ? add->keyring : base->keyring;
    c->outbound_allow = add->outbound_allow ? add->outbound_allow : base->outbound_allow;
    return c;
}

const kfm_server_conf *kfm_conf_get(const server_rec *s)
{
    return ap_get_module_config(s->module_config, &konfirmado_module);
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

#define FIELD_AT(conf, cmd, type) ((type *)((char *)(conf) + (apr_size_t)(cmd)->info))

static const char *set_flag(cmd_parms *cmd, void *dconf, int on)
{
    *FIELD_AT(conf_of(cmd), cmd, int) = on ? 1 : 0;
    return NULL;
}

static const char *set_seconds(cmd_parms *cmd, void *dconf, const char *arg)
{
    char *end = NULL;
    apr_int64_t v = apr_strtoi64(arg, &end, 10);
    if (!*arg || *end || v <= 0 || v > 7 * 24 * 3600) {
        return apr_psprintf(cmd->pool, "%s must be a positive number of seconds (at most a week), "
                            "not '%s'", cmd->cmd->name, arg);
    }
    *FIELD_AT(conf_of(cmd), cmd, int) = (int)v;
    return NULL;
}

static const char *set_count(cmd_parms *cmd, void *dconf, const char *arg)
{
    char *end = NULL;
    apr_int64_t v = apr_strtoi64(arg, &end, 10);
    if (!*arg || *end || v <= 0 || v > 1000000) {
        return apr_psprintf(cmd->pool, "%s must be a positive count (at most 1000000), not '%s'",
                            cmd->cmd->name, arg);
    }
    *FIELD_AT(conf_of(cmd), cmd, int) = (int)v;
    return NULL;
}

/* "provider[:arguments]" of a loaded socache provider (as SSLSessionCache takes it). The
 * counters are shared by the whole server, so only the main server may set it. */
static const char *set_socache(cmd_parms *cmd, void *dconf, const char *arg)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    if (err) {
        return err;
    }
    const char *colon = strchr(arg, ':');
    const char *name = colon ? apr_pstrmemdup(cmd->temp_pool, arg, (apr_size_t)(colon - arg)) : arg;
    if (!kfm_conf_socache_provider(name)) {
        return apr_psprintf(cmd->pool, "%s: socache provider '%s' is not loaded (LoadModule "
                            "socache_%s_module first)", cmd->cmd->name, name, name);
    }
    *FIELD_AT(conf_of(cmd), cmd, const char *) = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static const char *set_host(cmd_parms *cmd, void *dconf, const char *arg)
{
    apr_size_t len = strlen(arg);
    int ok = len > 0 && len <= 253 && arg[0] != '.' && arg[0] != '-' && arg[len - 1] != '.';
    for (const char *c = arg; ok && *c; c++) {
        ok = apr_isalnum(*c) || *c == '-' || *c == '.';
    }
    if (!ok) {
        return apr_psprintf(cmd->pool, "%s must be a host name such as example.com, not '%s'",
                            cmd->cmd->name, arg);
    }
    *FIELD_AT(conf_of(cmd), cmd, const char *) = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

/* Syntax only here; whether http:// is acceptable is decided in kfm_conf_check, once
 * KonfirmadoAllowInsecureURLs is known whatever the order of the lines. */
static const char *check_url_syntax(cmd_parms *cmd, const char *what, const char *url)
{
    const char *why = kf_url_check(cmd->temp_pool, url, KF_URL_ALLOW_HTTP);
    if (why) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a valid URL: %s", what, url, why);
    }
    return NULL;
}

static const char *set_url(cmd_parms *cmd, void *dconf, const char *arg)
{
    const char *err = check_url_syntax(cmd, cmd->cmd->name, arg);
    if (err) {
        return err;
    }
    *FIELD_AT(conf_of(cmd), cmd, const char *) = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static const char *set_mailurl(cmd_parms *cmd, void *dconf, const char *arg)
{
    if (strncmp(arg, "smtp://", 7) != 0 && strncmp(arg, "smtps://", 8) != 0) {
        return apr_psprintf(cmd->pool, "%s must start with smtp:// or smtps://, not '%s'",
                            cmd->cmd->name, arg);
    }
    *FIELD_AT(conf_of(cmd), cmd, const char *) = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static const char *set_text(cmd_parms *cmd, void *dconf, const char *arg)
{
    if (!*arg) {
        return apr_psprintf(cmd->pool, "%s must not be empty", cmd->cmd->name);
    }
    *FIELD_AT(conf_of(cmd), cmd, const char *) = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static const char *set_dir(cmd_parms *cmd, void *dconf, const char *arg)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);
    apr_finfo_t fi;
    if (!path || apr_stat(&fi, path, APR_FINFO_TYPE, cmd->temp_pool) != APR_SUCCESS ||
        fi.filetype != APR_DIR) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a readable directory", cmd->cmd->name,
                            arg);
    }
    *FIELD_AT(conf_of(cmd), cmd, const char *) = path;
    return NULL;
}

/* The key is read now, while the server still runs as root, and checked for length. */
static const char *set_keyfile(cmd_parms *cmd, void *dconf, const char *arg)
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

static const char *set_provider_url(cmd_parms *cmd, void *dconf, const char *name,
                                    const char *url)
{
    int known = 0;
    for (int i = 0; known_providers[i]; i++) {
        known = known || strcmp(known_providers[i], name) == 0;
    }
    if (!known) {
        return apr_psprintf(cmd->pool, "KonfirmadoProviderURL: unknown provider '%s'", name);
    }
    const char *err = check_url_syntax(cmd, "KonfirmadoProviderURL", url);
    if (err) {
        return err;
    }
    apr_table_set(conf_of(cmd)->provider_urls, name, url);
    return NULL;
}

/* Each argument one range; the directive may be repeated (the ranges add up). */
static const char *add_outbound_allow(cmd_parms *cmd, void *dconf, const char *range)
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

/* KonfirmadoGoogleClient / KonfirmadoMicrosoftClient id secret-file: cmd->info is the
 * offset of the kfm_oauth_client. The secret is the file's first line. */
static const char *set_oauth_client(cmd_parms *cmd, void *dconf, const char *id,
                                    const char *secret_file)
{
    kfm_oauth_client *client = FIELD_AT(conf_of(cmd), cmd, kfm_oauth_client);
    const char *path = ap_server_root_relative(cmd->pool, secret_file);
    char buf[512];
    apr_size_t len = sizeof(buf) - 1;
    apr_file_t *f;
    if (!path || apr_file_open(&f, path, APR_FOPEN_READ, 0, cmd->temp_pool) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "%s: cannot read secret file '%s'", cmd->cmd->name,
                            secret_file);
    }
    apr_status_t rv = apr_file_read(f, buf, &len);
    apr_file_close(f);
    buf[rv == APR_SUCCESS ? len : 0] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    if (!*id || !buf[0]) {
        return apr_psprintf(cmd->pool, "%s: the client id is empty or secret file '%s' holds "
                            "no secret", cmd->cmd->name, secret_file);
    }
    client->id = apr_pstrdup(cmd->pool, id);
    client->secret = apr_pstrdup(cmd->pool, buf);
    explicit_bzero(buf, sizeof(buf));
    return NULL;
}

#define KFM_SETTER_FLAG set_flag
#define KFM_SETTER_SECONDS set_seconds
#define KFM_SETTER_HOST set_host
#define KFM_SETTER_URL set_url
#define KFM_SETTER_KEYFILE set_keyfile
#define KFM_SETTER_MAILURL set_mailurl
#define KFM_SETTER_TEXT set_text
#define KFM_SETTER_DIR set_dir
#define KFM_SETTER_COUNT set_count
#define KFM_SETTER_SOCACHE set_socache
#define KFM_INIT_KIND(kind) KFM_INIT_KIND_##kind
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

const command_rec kfm_directives[] = {
#define KFM_COMMAND(field, name, kind, def, help)                                             \
    KFM_INIT_KIND(kind)(name, KFM_SETTER_##kind,                                               \
                       (void *)APR_OFFSETOF(kfm_server_conf, field), RSRC_CONF, help),
    KFM_SCALAR_DIRECTIVES(KFM_COMMAND)
#undef KFM_COMMAND
    AP_INIT_TAKE2("KonfirmadoProviderURL", set_provider_url, NULL, RSRC_CONF,
                  "provider name and base URL overriding the provider's public endpoint"),
    AP_INIT_ITERATE("KonfirmadoOutboundAllow", add_outbound_allow, NULL, RSRC_CONF,
                    "address ranges (CIDR) of the server's own networks that tenant-chosen "
                    "URLs (callbacks) may reach anyway; by default none"),
    AP_INIT_TAKE2("KonfirmadoGoogleClient", set_oauth_client,
                  (void *)APR_OFFSETOF(kfm_server_conf, google_client), RSRC_CONF,
                  "Google OAuth client id and the file holding its secret (calendar connections)"),
    AP_INIT_TAKE2("KonfirmadoMicrosoftClient", set_oauth_client,
                  (void *)APR_OFFSETOF(kfm_server_conf, microsoft_client), RSRC_CONF,
                  "Microsoft identity platform application (client) id and the file holding "
                  "its secret (Outlook / Microsoft 365 calendar connections)"),
    {NULL},
};

/* ---- startup checks (run by check_config, so `apachectl -t` reports them) ---- */

static int startup_error(server_rec *s, const char *fmt, const char *detail)
{
    ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, fmt, detail);
    return !OK;
}

/* Effective value for a virtual host before httpd merges configs: its own, else the main one's. */
#define EFFECTIVE(own, main, field, kind) (KFM_IS_SET_##kind((own)->field) ? (own)->field : (main)->field)

int kfm_conf_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *main_s)
{
    const kfm_server_conf *mc = kfm_conf_get(main_s);

    for (server_rec *s = main_s; s; s = s->next) {
        const kfm_server_conf *c = kfm_conf_get(s);
        int engine = EFFECTIVE(c, mc, engine, FLAG);
        if (engine != 1) {
            continue;
        }
        const char *name = s->server_hostname ? s->server_hostname : "(main server)";
        int insecure = EFFECTIVE(c, mc, allow_insecure_urls, FLAG) == 1;
        const char *public_url = EFFECTIVE(c, mc, public_url, URL);

        if (!kfm_db_available()) {
            return startup_error(s, "mod_konfirmado: mod_dbd is not loaded (%s needs "
                                 "LoadModule dbd_module before KonfirmadoEngine On)", name);
        }
        if (!EFFECTIVE(c, mc, key_file, KEYFILE)) {
            return startup_error(s, "mod_konfirmado: KonfirmadoKeyFile is missing for %s "
                                 "(KonfirmadoEngine On needs a 32-byte key file)", name);
        }
        if (!EFFECTIVE(c, mc, base_domain, HOST)) {
            return startup_error(s, "mod_konfirmado: KonfirmadoBaseDomain is missing for %s",
                                 name);
        }
        int v6_prefix = EFFECTIVE(c, mc, ipv6_limit_prefix, COUNT);
        if (KFM_IS_SET_COUNT(v6_prefix) && v6_prefix > 128) {
            return startup_error(s, "KonfirmadoIPv6LimitPrefix must be at most 128 bits, not %s",
                                 apr_itoa(ptemp, v6_prefix));
        }
        const char *cache = kfm_conf_ratelimit_cache(mc);
        const char *colon = strchr(cache, ':');
        if (!kfm_conf_socache_provider(colon ? apr_pstrmemdup(ptemp, cache, (apr_size_t)(colon - cache))
                                            : cache)) {
            return startup_error(s, "mod_konfirmado: the socache provider of "
                                 "KonfirmadoRateLimitCache (%s) is not loaded: LoadModule "
                                 "socache_shmcb_module or name a loaded one", cache);
        }
        if (!public_url) {
            return startup_error(s, "mod_konfirmado: KonfirmadoPublicURL is missing for %s", name);
        }
        const char *why = kf_url_check(ptemp, public_url,
                                       insecure ? KF_URL_ALLOW_HTTP : KF_URL_HTTPS_ONLY);
        if (why) {
            return startup_error(s, "mod_konfirmado: KonfirmadoPublicURL %s",
                                 apr_psprintf(ptemp, "'%s' is not acceptable: %s (http:// needs "
                                              "KonfirmadoAllowInsecureURLs On)", public_url, why));
        }
        const char *mail_from = EFFECTIVE(c, mc, mail_from, TEXT), *mail_addr;
        if (mail_from && kf_mail_parse_mailbox(ptemp, mail_from, NULL, &mail_addr) != APR_SUCCESS) {
            return startup_error(s, "mod_konfirmado: KonfirmadoMailFrom %s",
                                 apr_psprintf(ptemp, "'%s' is not a mailbox such as "
                                              "\"Konfirmado <no-reply@example.com>\"", mail_from));
        }
        const apr_array_header_t *urls = apr_table_elts(c->provider_urls);
        const apr_table_entry_t *e = (const apr_table_entry_t *)urls->elts;
        for (int i = 0; i < urls->nelts; i++) {
            why = kf_url_check(ptemp, e[i].val, insecure ? KF_URL_ALLOW_HTTP : KF_URL_HTTPS_ONLY);
            if (why) {
                return startup_error(s, "mod_konfirmado: KonfirmadoProviderURL %s",
                                     apr_psprintf(ptemp, "%s '%s' is not acceptable: %s",
                                                  e[i].key, e[i].val, why));
            }
        }
    }
    return OK;
}
