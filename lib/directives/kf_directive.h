#ifndef KF_DIRECTIVE_H
#define KF_DIRECTIVE_H
/* What the module's directives accept (docs/configuration.md): each check answers NULL when
 * the value is acceptable (and stores what it reads), else the line httpd prints, naming the
 * directive `name`, allocated from p. Reading files and asking httpd what is loaded stay the
 * module's. */
#include <apr_pools.h>
#include <apr_tables.h>

/* A positive number of seconds, at most a week. */
const char *kf_directive_seconds(apr_pool_t *p, const char *name, const char *arg, int *out);

/* A positive count, at most KF_DIRECTIVE_COUNT_MAX. */
#define KF_DIRECTIVE_COUNT_MAX 1000000
const char *kf_directive_count(apr_pool_t *p, const char *name, const char *arg, int *out);

/* A host name such as example.com: letters, digits, '-' and '.', at most 253 characters, not
 * starting with '.' or '-' nor ending with '.'. */
const char *kf_directive_host(apr_pool_t *p, const char *name, const char *arg);

/* A URL's syntax, http:// or https:// (whether http:// is acceptable is decided once
 * KonfirmadoAllowInsecureURLs is known, whatever the order of the lines). */
const char *kf_directive_url(apr_pool_t *p, const char *name, const char *arg);

/* A text that is not empty. */
const char *kf_directive_text(apr_pool_t *p, const char *name, const char *arg);

/* An OAuth application (KonfirmadoGoogleClient, KonfirmadoMicrosoftClient): its id and the
 * text of its secret file (NULL: unreadable), named `file`; the secret is the file's first
 * line, stored in *secret (from p). Neither may be empty. */
const char *kf_directive_oauth_client(apr_pool_t *p, const char *name, const char *id,
                                      const char *file, const char *text, const char **secret);

/* The same read from its file: `path` (NULL: none could be made of `file`, which names it),
 * at most its first 511 bytes, wiped from the stack once read (ptemp: the file's). */
const char *kf_directive_oauth_client_file(apr_pool_t *p, apr_pool_t *ptemp, const char *name,
                                           const char *id, const char *file, const char *path,
                                           const char **secret);

/* A folder the server reads (KonfirmadoHtdocs): `path` (NULL: none could be made of `arg`)
 * is a directory, else the line httpd prints. */
const char *kf_directive_dir(apr_pool_t *p, apr_pool_t *ptemp, const char *name,
                             const char *arg, const char *path);

/* An SMTP server's URL: smtp:// or smtps://. */
const char *kf_directive_mail_url(apr_pool_t *p, const char *name, const char *arg);

/* A provider whose base URL KonfirmadoProviderURL may point elsewhere (tests and the demo
 * point them at fakes): the texts' fixed name, or one of `registered` (NULL-terminated: what
 * the payment and calendar providers' and the mail transports' registries give). */
const char *kf_directive_provider(apr_pool_t *p, const char *name, const char *provider,
                                  const char *const *registered);

/* A socache's "provider[:arguments]" (as SSLSessionCache takes it): the provider's name
 * (allocated from p when the value has arguments) and *args, what follows the colon (NULL
 * without one). */
const char *kf_directive_socache_provider(apr_pool_t *p, const char *spec, const char **args);

/* What a server with KonfirmadoEngine On needs, as the startup check found it (a virtual
 * host's own values, else the main server's). */
typedef struct kf_directive_server {
    const char *name;               /* the server's name in the message */
    int dbd_loaded;                 /* LoadModule dbd_module */
    int key_file_set;
    const char *base_domain;
    const char *counter_cache;      /* KonfirmadoRateLimitCache */
    int counter_cache_loaded;       /* its socache provider is loaded (or it is "postgres") */
    const char *public_url;
    int insecure_urls;              /* KonfirmadoAllowInsecureURLs On: http:// is accepted */
} kf_directive_server;

/* NULL when the server can start, else the line that stops httpd (the first thing missing). */
const char *kf_directive_server_check(apr_pool_t *p, const kf_directive_server *s);

/* A KonfirmadoProviderURL's URL, once KonfirmadoAllowInsecureURLs is known. */
const char *kf_directive_provider_url_check(apr_pool_t *p, const char *provider, const char *url,
                                            int insecure_urls);

/* The same for every KonfirmadoProviderURL of a server (name -> URL): NULL, or the first
 * one's refusal. */
const char *kf_directive_provider_urls_check(apr_pool_t *p, const apr_table_t *urls,
                                             int insecure_urls);

#endif
