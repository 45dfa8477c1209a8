/* What the module's directives accept: see kf_directive.h. */
#include "kf_directive.h"
#include "kf_url.h"

#include <apr_file_info.h>
#include <apr_file_io.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>

/* The services that no registry lists (the payment and calendar providers' and the mail
 * transports' registries give their names). */
static const char *const known_providers[] = {
    "twilio", NULL,
};

static int listed(const char *const *names, const char *name)
{
    for (int i = 0; names && names[i]; i++) {
        if (strcmp(names[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* A whole decimal number within 1..max, or 0. */
static int positive_up_to(const char *arg, apr_int64_t max, int *out)
{
    char *end = NULL;
    apr_int64_t v = apr_strtoi64(arg, &end, 10);
    if (!*arg || *end || v <= 0 || v > max) {
        return 0;
    }
    *out = (int)v;
    return 1;
}

const char *kf_directive_seconds(apr_pool_t *p, const char *name, const char *arg, int *out)
{
    if (!positive_up_to(arg, 7 * 24 * 3600, out)) {
        return apr_psprintf(p, "%s must be a positive number of seconds (at most a week), "
                            "not '%s'", name, arg);
    }
    return NULL;
}

const char *kf_directive_count(apr_pool_t *p, const char *name, const char *arg, int *out)
{
    if (!positive_up_to(arg, KF_DIRECTIVE_COUNT_MAX, out)) {
        return apr_psprintf(p, "%s must be a positive count (at most %d), not '%s'", name,
                            KF_DIRECTIVE_COUNT_MAX, arg);
    }
    return NULL;
}

const char *kf_directive_host(apr_pool_t *p, const char *name, const char *arg)
{
    apr_size_t len = strlen(arg);
    int ok = len > 0 && len <= 253 && arg[0] != '.' && arg[0] != '-' && arg[len - 1] != '.';
    for (const char *c = arg; ok && *c; c++) {
        ok = apr_isalnum(*c) || *c == '-' || *c == '.';
    }
    return ok ? NULL : apr_psprintf(p, "%s must be a host name such as example.com, not '%s'",
                                    name, arg);
}

const char *kf_directive_url(apr_pool_t *p, const char *name, const char *arg)
{
    const char *why = kf_url_check(p, arg, KF_URL_ALLOW_HTTP);
    return why ? apr_psprintf(p, "%s: '%s' is not a valid URL: %s", name, arg, why) : NULL;
}

const char *kf_directive_text(apr_pool_t *p, const char *name, const char *arg)
{
    return *arg ? NULL : apr_psprintf(p, "%s must not be empty", name);
}

const char *kf_directive_oauth_client(apr_pool_t *p, const char *name, const char *id,
                                      const char *file, const char *text, const char **secret)
{
    if (!text) {
        return apr_psprintf(p, "%s: cannot read secret file '%s'", name, file);
    }
    *secret = apr_pstrndup(p, text, strcspn(text, "\r\n"));
    if (!*id || !**secret) {
        return apr_psprintf(p, "%s: the client id is empty or secret file '%s' holds no secret",
                            name, file);
    }
    return NULL;
}

const char *kf_directive_oauth_client_file(apr_pool_t *p, apr_pool_t *ptemp, const char *name,
                                           const char *id, const char *file, const char *path,
                                           const char **secret)
{
    char buf[512];
    apr_size_t len = sizeof(buf) - 1;
    apr_file_t *f;
    int opened = path && apr_file_open(&f, path, APR_FOPEN_READ, 0, ptemp) == APR_SUCCESS;
    if (opened) {
        apr_status_t rv = apr_file_read(f, buf, &len);
        apr_file_close(f);
        buf[rv == APR_SUCCESS ? len : 0] = '\0';
    }
    const char *err = kf_directive_oauth_client(p, name, id, file, opened ? buf : NULL, secret);
    explicit_bzero(buf, sizeof(buf));
    return err;
}

const char *kf_directive_dir(apr_pool_t *p, apr_pool_t *ptemp, const char *name,
                             const char *arg, const char *path)
{
    apr_finfo_t fi;
    if (!path || apr_stat(&fi, path, APR_FINFO_TYPE, ptemp) != APR_SUCCESS ||
        fi.filetype != APR_DIR) {
        return apr_psprintf(p, "%s: '%s' is not a readable directory", name, arg);
    }
    return NULL;
}

const char *kf_directive_mail_url(apr_pool_t *p, const char *name, const char *arg)
{
    if (strncmp(arg, "smtp://", 7) != 0 && strncmp(arg, "smtps://", 8) != 0) {
        return apr_psprintf(p, "%s must start with smtp:// or smtps://, not '%s'", name, arg);
    }
    return NULL;
}

const char *kf_directive_provider(apr_pool_t *p, const char *name, const char *provider,
                                  const char *const *registered)
{
    if (listed(known_providers, provider) || listed(registered, provider)) {
        return NULL;
    }
    return apr_psprintf(p, "%s: unknown provider '%s'", name, provider);
}

const char *kf_directive_socache_provider(apr_pool_t *p, const char *spec, const char **args)
{
    const char *colon = strchr(spec, ':');
    *args = colon ? colon + 1 : NULL;
    return colon ? apr_pstrmemdup(p, spec, (apr_size_t)(colon - spec)) : spec;
}

const char *kf_directive_server_check(apr_pool_t *p, const kf_directive_server *s)
{
    if (!s->dbd_loaded) {
        return apr_psprintf(p, "mod_konfirmado: mod_dbd is not loaded (%s needs LoadModule "
                            "dbd_module before KonfirmadoEngine On)", s->name);
    }
    if (!s->key_file_set) {
        return apr_psprintf(p, "mod_konfirmado: KonfirmadoKeyFile is missing for %s "
                            "(KonfirmadoEngine On needs a 32-byte key file)", s->name);
    }
    if (!s->base_domain) {
        return apr_psprintf(p, "mod_konfirmado: KonfirmadoBaseDomain is missing for %s", s->name);
    }
    if (!s->counter_cache_loaded) {
        return apr_psprintf(p, "mod_konfirmado: the socache provider of KonfirmadoRateLimitCache "
                            "(%s) is not loaded: LoadModule socache_shmcb_module or name a "
                            "loaded one", s->counter_cache);
    }
    if (!s->public_url) {
        return apr_psprintf(p, "mod_konfirmado: KonfirmadoPublicURL is missing for %s", s->name);
    }
    const char *why = kf_url_check(p, s->public_url,
                                   s->insecure_urls ? KF_URL_ALLOW_HTTP : KF_URL_HTTPS_ONLY);
    if (why) {
        return apr_psprintf(p, "mod_konfirmado: KonfirmadoPublicURL '%s' is not acceptable: %s "
                            "(http:// needs KonfirmadoAllowInsecureURLs On)", s->public_url, why);
    }
    return NULL;
}

const char *kf_directive_provider_url_check(apr_pool_t *p, const char *provider, const char *url,
                                            int insecure_urls)
{
    const char *why = kf_url_check(p, url, insecure_urls ? KF_URL_ALLOW_HTTP : KF_URL_HTTPS_ONLY);
    return why ? apr_psprintf(p, "mod_konfirmado: KonfirmadoProviderURL %s '%s' is not "
                              "acceptable: %s", provider, url, why)
               : NULL;
}

const char *kf_directive_provider_urls_check(apr_pool_t *p, const apr_table_t *urls,
                                             int insecure_urls)
{
    const apr_array_header_t *all = apr_table_elts(urls);
    const apr_table_entry_t *e = (const apr_table_entry_t *)all->elts;
    const char *refused = NULL;
    for (int i = 0; i < all->nelts && !refused; i++) {
        refused = kf_directive_provider_url_check(p, e[i].key, e[i].val, insecure_urls);
    }
    return refused;
}
