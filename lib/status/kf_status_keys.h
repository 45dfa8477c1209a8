#ifndef KF_STATUS_KEYS_H
#define KF_STATUS_KEYS_H
/* The keys a running server loaded (KonfirmadoKeyFile), by key id, as the status page says them
 * and as konfirmado-reseal reads them back, so that a rotation never seals the stored secrets
 * under a key a server cannot open or does not seal with (docs/operating.md, "Key rotation").
 * Key ids only (kf_key_id: 8 hex characters of a hash), never a key. */
#include "kf_status.h"

#define KF_STATUS_KEY_FAMILY "konfirmado_key_info"

/* One key of one virtual host that serves Konfirmado (each seals with its own first key). */
typedef struct kf_status_key {
    const char *server;   /* "example.com:443" */
    const char *kid;
    int sealing;          /* 1: the key this host seals new secrets with; 0: it only opens */
} kf_status_key;

/* The family konfirmado_key_info{server,kid,sealing} 1, one sample per key. */
void kf_status_page_keys(kf_status_text *t, const kf_status_key *keys, int n);

/* The konfirmado_key_info samples of a status page's text (an array of kf_status_key, in the
 * page's order; empty when it has none). Other lines are ignored. */
apr_array_header_t *kf_status_keys_read(apr_pool_t *p, const char *text);

/* Why sealing every stored secret under new_kid would strand them on the servers these keys
 * come from, as one line: no server named, a server without that key, or one that seals with
 * another key (its new secrets would stay under the key about to be dropped). NULL when every
 * server named seals with new_kid. */
const char *kf_status_keys_refusal(apr_pool_t *p, const apr_array_header_t *keys,
                                   const char *new_kid);

#endif
