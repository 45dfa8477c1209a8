/* General cryptography for Konfirmado, over OpenSSL libcrypto.
 *
 * Digests and MACs, constant-time comparisons, randomness and tokens, base64url,
 * AES-256-GCM sealing of secrets at rest under a rotatable keyring, and loading the
 * key file named by KonfirmadoKeyFile. Everything returned lives in the caller's pool.
 * Thread safety: every function may be called from any thread; a keyring is filled at
 * configuration time and only read afterwards.
 */
#ifndef KF_CRYPTO_H
#define KF_CRYPTO_H

#include <apr_errno.h>
#include <apr_pools.h>
#include <apr_tables.h>

/* ---- error results (apr_status_t values in APR's user range, 1101-1199 reserved here) ---- */
/* The sealed text is not of the form v1.<8 lowercase hex>.<base64url of at least 28 bytes>,
 * or the base64url is not canonical. */
#define KF_CRYPTO_EMALFORMED (APR_OS_START_USERERR + 1101)
/* The key id is well formed but no key with that id is in the keyring. */
#define KF_CRYPTO_EUNKNOWNKEY (APR_OS_START_USERERR + 1102)
/* GCM authentication failed: ciphertext, tag or IV altered, wrong key for the id, wrong
 * aad, or a truncated blob that still holds an IV and a tag. */
#define KF_CRYPTO_EAUTH (APR_OS_START_USERERR + 1103)
/* OpenSSL itself failed (allocation, RNG). */
#define KF_CRYPTO_EINTERNAL (APR_OS_START_USERERR + 1104)
/* kf_key_load_file(): the file is not a regular file, is readable by every user, or does
 * not hold exactly 32 bytes. */
#define KF_CRYPTO_EBADKEYFILE (APR_OS_START_USERERR + 1105)

#define KF_SHA256_LEN 32
#define KF_KEY_LEN 32
#define KF_KEY_ID_LEN 8 /* hex characters */

/* ---- digests and MACs ---- */

/* Lowercase hex SHA-256 of data (len bytes; data may be NULL when len is 0).
 * NULL only if OpenSSL fails. */
const char *kf_sha256_hex(apr_pool_t *p, const void *data, apr_size_t len);

/* Raw SHA-256 into out. APR_SUCCESS or KF_CRYPTO_EINTERNAL. */
apr_status_t kf_sha256(const void *data, apr_size_t len, unsigned char out[KF_SHA256_LEN]);

/* Lowercase hex HMAC-SHA256 keyed with key (keylen bytes, may be 0). NULL only if OpenSSL fails. */
const char *kf_hmac_sha256_hex(apr_pool_t *p, const void *key, apr_size_t keylen,
                               const void *data, apr_size_t len);

/* Raw HMAC-SHA256 into out. APR_SUCCESS or KF_CRYPTO_EINTERNAL. */
apr_status_t kf_hmac_sha256(const void *key, apr_size_t keylen, const void *data, apr_size_t len,
                            unsigned char out[KF_SHA256_LEN]);

/* Lowercase hex of len bytes. */
const char *kf_hex_encode(apr_pool_t *p, const void *data, apr_size_t len);

/* SipHash-2-4 of data (len bytes) under a 16-byte key: a fast keyed 64-bit hash for tables
 * whose keys clients choose, so that whoever does not know the key cannot make keys
 * collide. Not a MAC for anything kept or sent. */
#define KF_SIPHASH_KEY_LEN 16
apr_uint64_t kf_siphash24(const unsigned char key[KF_SIPHASH_KEY_LEN], const void *data,
                          apr_size_t len);

/* ---- constant-time comparisons (1 = equal, 0 = different) ---- */

/* len bytes of a and b, time independent of the content. */
int kf_ct_equal(const void *a, const void *b, apr_size_t len);

/* NUL-terminated strings. The running time depends on the lengths only, never on where the
 * content first differs; different lengths give 0. A NULL argument gives 0. */
int kf_ct_streq(const char *a, const char *b);

/* Hex strings compared ignoring case ("AB12" equals "ab12"), in time independent of the
 * content. 1 only if both are non-empty, of equal length, and made only of hex digits. */
int kf_hex_equal_ci(const char *a, const char *b);

/* ---- randomness ---- */

/* len bytes from OpenSSL's CSPRNG. APR_SUCCESS or KF_CRYPTO_EINTERNAL. */
apr_status_t kf_random_bytes(void *buf, apr_size_t len);

/* A URL-safe secret: base64url (no padding) of nbytes random bytes, so ceil(nbytes * 4 / 3)
 * characters of [A-Za-z0-9_-]. NULL if nbytes < 16 (tokens carry at least 128 bits), if
 * nbytes > 4096, or if the RNG fails. */
const char *kf_random_token(apr_pool_t *p, apr_size_t nbytes);

/* An id naming one request in logs and X-Request-Id: 22 base64url characters (the shape of
 * kf_random_token(p, 16)), unique but not secret. Each thread draws 10 random bytes once and
 * counts its requests in the other 6, so a request costs no draw from the RNG (which was
 * 1.6 % of an uncached availability answer's CPU). NULL only if that first draw fails. */
const char *kf_request_id(apr_pool_t *p);

/* The shape of a token a browser brings back (session cookie, hold and booking tokens):
 * 22..128 base64url characters, what kf_random_token makes. Anything else is refused before
 * it is hashed or looked up. */
int kf_token_shape_ok(const char *token);

/* The token an Authorization header carries ("Bearer" in any case, then spaces), when it has
 * that shape; else NULL. */
const char *kf_bearer_token(const char *authorization);

/* ---- base64url (RFC 4648 section 5, no padding) ---- */

/* Encode len bytes; never NULL. */
const char *kf_b64url_encode(apr_pool_t *p, const void *data, apr_size_t len);

/* Decode the NUL-terminated text. Strict: only the base64url alphabet, no '=' padding, no
 * whitespace, and non-canonical encodings (a length of 4n+1 or non-zero unused bits in the
 * last character) are rejected with KF_CRYPTO_EMALFORMED. On APR_SUCCESS *out holds *outlen
 * bytes plus a NUL terminator that is not counted. */
apr_status_t kf_b64url_decode(apr_pool_t *p, const char *text, unsigned char **out,
                              apr_size_t *outlen);

/* ---- sealing secrets at rest: AES-256-GCM under a keyring ----
 *
 * Sealed text: "v1." kid "." base64url(IV[12] || ciphertext || tag[16]), where kid is
 * kf_key_id() of the key that sealed it. The caller's aad (a NUL-terminated string such as
 * "tenant:<id>:wompi.events_secret"; NULL means "") is authenticated as GCM additional
 * data, binding a ciphertext to its place: the same aad must be given to kf_open().
 */
typedef struct kf_keyring kf_keyring;

/* An empty keyring living in p. The key material it is given is wiped (OPENSSL_cleanse)
 * when p is cleared or destroyed. */
kf_keyring *kf_keyring_make(apr_pool_t *p);

/* Add a copy of a 32-byte key. primary != 0 makes it the key kf_seal() uses (replacing any
 * earlier primary); the other keys still open what they sealed. Adding a key already present
 * only updates its primary flag. APR_SUCCESS, APR_EINVAL (NULL argument) or APR_EEXIST (a
 * different key with the same key id: replace one of the two keys). */
apr_status_t kf_keyring_add(kf_keyring *kr, const unsigned char key[KF_KEY_LEN], int primary);

/* The key id of the primary key, or NULL when no key was added as primary. */
const char *kf_keyring_primary_kid(const kf_keyring *kr);

/* Number of keys in the ring. */
int kf_keyring_count(const kf_keyring *kr);

/* The key ids of the ring (const char *, allocated from p), in the order the keys were added:
 * what a server may say of its keys (the status page), never the keys themselves. */
apr_array_header_t *kf_keyring_kids(apr_pool_t *p, const kf_keyring *kr);

/* Key id: the first 8 lowercase hex characters of SHA-256("konfirmado-key-id:" || key). */
const char *kf_key_id(apr_pool_t *p, const unsigned char key[KF_KEY_LEN]);

/* Seal len bytes of plain (may be 0) under the primary key with a fresh random IV.
 * NULL if the keyring has no primary key or OpenSSL fails. */
const char *kf_seal(apr_pool_t *p, const kf_keyring *kr, const void *plain, apr_size_t len,
                    const char *aad);

/* Open sealed text with the key its kid names. On APR_SUCCESS *plain holds *len bytes plus a
 * NUL terminator (so text secrets can be used as C strings); on failure *plain is NULL and
 * *len is 0. Results:
 *   APR_SUCCESS           authentic, decrypted
 *   APR_EINVAL            NULL kr, sealed, plain or len
 *   KF_CRYPTO_EMALFORMED  not "v1.<kid>.<base64url>", bad base64url, blob shorter than IV + tag
 *   KF_CRYPTO_EUNKNOWNKEY no key with that kid in the ring
 *   KF_CRYPTO_EAUTH       authentication failed (tampering, wrong key, wrong aad)
 *   KF_CRYPTO_EINTERNAL   OpenSSL failure
 */
apr_status_t kf_open(apr_pool_t *p, const kf_keyring *kr, const char *sealed, const char *aad,
                     char **plain, apr_size_t *len);

/* A text secret sealed (NULL when text or kr is NULL, or kf_seal fails) and opened again
 * (NULL when sealed or kr is NULL or kf_open refuses it): for callers to whom a missing
 * key ring, a missing value and a refused one all mean "no secret". */
const char *kf_seal_text(apr_pool_t *p, const kf_keyring *kr, const char *text, const char *aad);
const char *kf_open_text(apr_pool_t *p, const kf_keyring *kr, const char *sealed, const char *aad);

/* A token that links in mails carry again and again (a booking's page, an unsubscribe): 256
 * random bits, URL-safe, kept two ways. Its SHA-256 hex is what a link brought back is
 * checked against, so the check needs no key and survives every key rotation; its form
 * sealed under `keys` with `aad` is what later mails open to carry the same link
 * (konfirmado-reseal re-seals it). APR_EGENERAL when it cannot be sealed (no primary key). */
apr_status_t kf_kept_token_make(apr_pool_t *p, const kf_keyring *keys, const char *aad,
                                const char **token, const char **hash, const char **sealed);

/* The kept token (`kept_sealed`, NULL: none yet) when it opens with keys and aad; else a new
 * one (kf_kept_token_make), *hash and *sealed then set for the caller to keep (NULL
 * otherwise). *kept_refused: why the kept one did not open (APR_SUCCESS when it did or there
 * was none). NULL when no token can be made. */
const char *kf_kept_token(apr_pool_t *p, const kf_keyring *keys, const char *aad,
                          const char *kept_sealed, const char **hash, const char **sealed,
                          apr_status_t *kept_refused);

/* Additional authenticated data (kf_seal/kf_open) binding each sealed secret to its place:
 * the callback secret of a tenant is sealed with the tenant id itself; a provider's sealed
 * secrets (a payment provider's JSON, Twilio's) with "tenant:<id>:<provider>" ("tenant:<id>:wompi").
 * Whoever opens them must pass the same aad. */
const char *kf_callback_secret_aad(apr_pool_t *p, const char *tenant_id);
const char *kf_provider_secrets_aad(apr_pool_t *p, const char *tenant_id, const char *provider);

/* Key rotation (konfirmado-reseal): sealed text under the primary key. APR_SUCCESS with
 * *resealed NULL when it is sealed under the primary key already (nothing to write), or a
 * new sealed text of the same plain text and aad; otherwise the kf_open() result (a kid no
 * key of the ring has: give that key too) and *resealed NULL. The plain text never leaves
 * this function (wiped). */
apr_status_t kf_reseal(apr_pool_t *p, const kf_keyring *kr, const char *sealed, const char *aad,
                       const char **resealed);

/* Short English name of a kf_open() result for logs ("malformed", "unknown key id", ...). */
const char *kf_crypto_strerror(apr_status_t rv);

/* ---- key file ---- */

/* Read a key file that must hold exactly 32 raw bytes into key. On failure key is zeroed and
 * *why (if why is not NULL) is a one-line reason for the operator, for example
 *   "cannot read key file /x: No such file or directory"
 *   "key file /x holds 31 bytes; it must hold exactly 32 random bytes (create one with:
 *    konfirmado-key /x)"
 *   "key file /x is readable by every user of the machine: chmod 0640 /x (owner root,
 *    group www-data)" — a key others can read is no secret: refused, whatever it holds
 * Results: APR_SUCCESS, APR_EINVAL (NULL path or key), the APR error of open/stat/read, or
 * KF_CRYPTO_EBADKEYFILE for a file that is not a regular file, is world-readable or has the
 * wrong length. */
apr_status_t kf_key_load_file(apr_pool_t *p, const char *path, unsigned char key[KF_KEY_LEN],
                              const char **why);

/* Read a provider's API key from a text file: its first line, without the line end. The file
 * is refused as kf_key_load_file refuses one (not a regular file, readable by every user:
 * KF_CRYPTO_EBADKEYFILE), and so is an empty first line or one longer than 4096 bytes.
 * *secret is allocated from p. */
apr_status_t kf_secret_load_file(apr_pool_t *p, const char *path, const char **secret,
                                 const char **why);

#endif
