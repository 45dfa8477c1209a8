/* The keys a server loaded, on its status page and read back: see kf_status_keys.h. */
#include "kf_status_keys.h"

#include <string.h>

void kf_status_page_keys(kf_status_text *t, const kf_status_key *keys, int n)
{
    kf_status_family(t, KF_STATUS_KEY_FAMILY, "gauge",
                     "The keys (KonfirmadoKeyFile) each virtual host serving Konfirmado loaded, "
                     "by key id; sealing=\"1\" for the one it seals new secrets with. Never a key.");
    for (int i = 0; i < n; i++) {
        const char *labels[] = {"server", keys[i].server, "kid", keys[i].kid,
                                "sealing", keys[i].sealing ? "1" : "0", NULL};
        kf_status_sample(t, KF_STATUS_KEY_FAMILY, labels, "1");
    }
}

/* A label value from just after its opening quote to its closing one, escapes undone
 * (backslash, double quote, \n); *end just past the closing quote. NULL: not closed. */
static const char *label_value(apr_pool_t *p, const char *s, const char **end)
{
    char *out = apr_palloc(p, strlen(s) + 1), *o = out;
    for (; *s && *s != '"'; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *o++ = *s == 'n' ? '\n' : *s;
        }
        else {
            *o++ = *s;
        }
    }
    if (*s != '"') {
        return NULL;
    }
    *o = '\0';
    *end = s + 1;
    return out;
}

/* One line "konfirmado_key_info{server="…",kid="…",sealing="…"} 1" into key; 0 when the line
 * is not such a sample. */
static int read_sample(apr_pool_t *p, const char *line, kf_status_key *key)
{
    static const char start[] = KF_STATUS_KEY_FAMILY "{";
    if (strncmp(line, start, sizeof(start) - 1) != 0) {
        return 0;
    }
    const char *s = line + sizeof(start) - 1, *sealing = NULL;
    memset(key, 0, sizeof(*key));
    while (*s && *s != '}') {
        size_t n = strcspn(s, "=,}");
        const char *end = NULL;
        const char *value = s[n] == '=' && s[n + 1] == '"' ? label_value(p, s + n + 2, &end) : NULL;
        if (!value) {
            return 0;
        }
        if (n == 6 && strncmp(s, "server", n) == 0) {
            key->server = value;
        }
        else if (n == 3 && strncmp(s, "kid", n) == 0) {
            key->kid = value;
        }
        else if (n == 7 && strncmp(s, "sealing", n) == 0) {
            sealing = value;
        }
        s = *end == ',' ? end + 1 : end;
    }
    if (*s != '}' || !key->server || !key->kid || !sealing) {
        return 0;
    }
    key->sealing = strcmp(sealing, "1") == 0;
    return 1;
}

apr_array_header_t *kf_status_keys_read(apr_pool_t *p, const char *text)
{
    apr_array_header_t *keys = apr_array_make(p, 4, sizeof(kf_status_key));
    for (const char *s = text ? text : ""; *s;) {
        size_t n = strcspn(s, "\r\n");
        kf_status_key key;
        if (read_sample(p, apr_pstrmemdup(p, s, n), &key)) {
            APR_ARRAY_PUSH(keys, kf_status_key) = key;
        }
        s += n;
        s += strspn(s, "\r\n");
    }
    return keys;
}

const char *kf_status_keys_refusal(apr_pool_t *p, const apr_array_header_t *keys,
                                   const char *new_kid)
{
    if (!keys || keys->nelts == 0) {
        return "it names no key of a running server (no " KF_STATUS_KEY_FAMILY " line): not the "
               "status page of a Konfirmado server of this version, or an answer its access "
               "rules refused";
    }
    const kf_status_key *k = (const kf_status_key *)keys->elts;
    for (int i = 0; i < keys->nelts; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++) {
            seen = strcmp(k[j].server, k[i].server) == 0;
        }
        if (seen) {
            continue;
        }
        const char *has = "", *seals = NULL;
        int found = 0;
        for (int j = i; j < keys->nelts; j++) {
            if (strcmp(k[j].server, k[i].server) != 0) {
                continue;
            }
            has = apr_pstrcat(p, has, *has ? ", " : "", k[j].kid, NULL);
            found |= strcmp(k[j].kid, new_kid) == 0;
            seals = k[j].sealing ? k[j].kid : seals;
        }
        if (!found) {
            return apr_psprintf(p, "the running server %s does not have key %s (it has %s): add "
                                "the new key's KonfirmadoKeyFile line first in that virtual host, "
                                "reload Apache (apachectl graceful), then run this again",
                                k[i].server, new_kid, has);
        }
        if (!seals || strcmp(seals, new_kid) != 0) {
            return apr_psprintf(p, "the running server %s has key %s but seals with %s: put the "
                                "new key's KonfirmadoKeyFile line first, reload Apache (apachectl "
                                "graceful), then run this again",
                                k[i].server, new_kid, seals ? seals : "none");
        }
    }
    return NULL;
}
