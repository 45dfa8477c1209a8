/* Unit suite for lib/crypto/kf_crypto.c: digests, MACs, comparisons, randomness, base64url,
 * AES-256-GCM sealing under a keyring, key files. */
#include "kf_check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_hash.h>
#include <apr_pools.h>
#include <apr_thread_proc.h>
#include <apr_strings.h>

#include "kf_crypto.h"


/* ------------------------------------------------------------------ digests and MACs */

START_TEST(sha256_vectors)
{
    ck_assert_str_eq(kf_sha256_hex(pool, "", 0),
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ck_assert_str_eq(kf_sha256_hex(pool, NULL, 0),
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ck_assert_str_eq(kf_sha256_hex(pool, "abc", 3),
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ck_assert_str_eq(kf_sha256_hex(pool, m, strlen(m)),
                     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* Length is honoured, not strlen: an embedded NUL is hashed. */
    ck_assert_str_ne(kf_sha256_hex(pool, "ab\0c", 4), kf_sha256_hex(pool, "ab", 2));
}
END_TEST

START_TEST(hmac_rfc4231)
{
    /* RFC 4231 test case 1 */
    unsigned char k1[20];
    memset(k1, 0x0b, sizeof k1);
    ck_assert_str_eq(kf_hmac_sha256_hex(pool, k1, sizeof k1, "Hi There", 8),
                     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    /* RFC 4231 test case 2 */
    const char *d2 = "what do ya want for nothing?";
    ck_assert_str_eq(kf_hmac_sha256_hex(pool, "Jefe", 4, d2, strlen(d2)),
                     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* RFC 4231 test case 6: key longer than the block size */
    unsigned char k6[131];
    memset(k6, 0xaa, sizeof k6);
    const char *d6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    ck_assert_str_eq(kf_hmac_sha256_hex(pool, k6, sizeof k6, d6, strlen(d6)),
                     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    /* Empty key and empty message */
    ck_assert_str_eq(kf_hmac_sha256_hex(pool, "", 0, "", 0),
                     "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    ck_assert_str_eq(kf_hmac_sha256_hex(pool, NULL, 0, NULL, 0),
                     "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");

    unsigned char raw[KF_SHA256_LEN];
    ck_assert_int_eq(kf_hmac_sha256("Jefe", 4, d2, strlen(d2), raw), APR_SUCCESS);
    ck_assert_int_eq(raw[0], 0x5b);
    ck_assert_int_eq(raw[31], 0x43);
}
END_TEST

/* Each sealed secret is bound to its place: a tenant's callback secret to the tenant, a
 * provider's secrets to the tenant and the provider. */
START_TEST(aad_binds_a_secret_to_its_place)
{
    ck_assert_str_eq(kf_callback_secret_aad(pool, "0b0e7c1a-0000-4000-8000-000000000001"),
                     "0b0e7c1a-0000-4000-8000-000000000001");
    ck_assert_str_eq(kf_provider_secrets_aad(pool, "0b0e7c1a-0000-4000-8000-000000000001",
                                             "wompi"),
                     "tenant:0b0e7c1a-0000-4000-8000-000000000001:wompi");
    ck_assert_str_eq(kf_provider_secrets_aad(pool, "0b0e7c1a-0000-4000-8000-000000000001",
                                             "stripe"),
                     "tenant:0b0e7c1a-0000-4000-8000-000000000001:stripe");
}
END_TEST

START_TEST(hex_encode)
{
    const unsigned char b[] = {0x00, 0x01, 0xab, 0xff};
    ck_assert_str_eq(kf_hex_encode(pool, b, sizeof b), "0001abff");
    ck_assert_str_eq(kf_hex_encode(pool, b, 0), "");
}
END_TEST

/* the reference implementation's vectors: key 00..0f, messages 00..(n-1) */
START_TEST(siphash24_vectors)
{
    unsigned char key[KF_SIPHASH_KEY_LEN], msg[63];
    for (int i = 0; i < 16; i++)
        key[i] = (unsigned char)i;
    for (int i = 0; i < 63; i++)
        msg[i] = (unsigned char)i;
    ck_assert_uint_eq(kf_siphash24(key, NULL, 0), 0x726fdb47dd0e0e31ULL);
    ck_assert_uint_eq(kf_siphash24(key, msg, 8), 0x93f5f5799a932462ULL);
    ck_assert_uint_eq(kf_siphash24(key, msg, 15), 0xa129ca6149be45e5ULL);
    ck_assert_uint_eq(kf_siphash24(key, msg, 63), 0x958a324ceb064572ULL);
    /* another key, another hash */
    key[15] ^= 1;
    ck_assert_uint_ne(kf_siphash24(key, msg, 15), 0xa129ca6149be45e5ULL);
}
END_TEST

/* ------------------------------------------------------------------ comparisons */

START_TEST(ct_equal_semantics)
{
    ck_assert_int_eq(kf_ct_equal("abcd", "abcd", 4), 1);
    ck_assert_int_eq(kf_ct_equal("abcd", "abce", 4), 0);
    ck_assert_int_eq(kf_ct_equal("xbcd", "abcd", 4), 0);
    ck_assert_int_eq(kf_ct_equal("abcd", "abce", 3), 1);
    ck_assert_int_eq(kf_ct_equal("a\0b", "a\0c", 3), 0);
    ck_assert_int_eq(kf_ct_equal("a", "b", 0), 1);
}
END_TEST

START_TEST(ct_streq_semantics)
{
    ck_assert_int_eq(kf_ct_streq("secret", "secret"), 1);
    ck_assert_int_eq(kf_ct_streq("", ""), 1);
    ck_assert_int_eq(kf_ct_streq("secret", "secreT"), 0);
    ck_assert_int_eq(kf_ct_streq("secret", "Secret"), 0);
    ck_assert_int_eq(kf_ct_streq("secret", "secret2"), 0);
    ck_assert_int_eq(kf_ct_streq("secret2", "secret"), 0);
    ck_assert_int_eq(kf_ct_streq("", "a"), 0);
    ck_assert_int_eq(kf_ct_streq("a", ""), 0);
    ck_assert_int_eq(kf_ct_streq(NULL, "a"), 0);
    ck_assert_int_eq(kf_ct_streq("a", NULL), 0);
    ck_assert_int_eq(kf_ct_streq(NULL, NULL), 0);
}
END_TEST

START_TEST(hex_equal_ci_semantics)
{
    const char *lo = "5a18ec5e8fdb7df463e9f94774cba8f583ba21bd04a09ceff2ea68a4bc0aefbe";
    const char *up = "5A18EC5E8FDB7DF463E9F94774CBA8F583BA21BD04A09CEFF2EA68A4BC0AEFBE";
    ck_assert_int_eq(kf_hex_equal_ci(lo, lo), 1);
    ck_assert_int_eq(kf_hex_equal_ci(lo, up), 1);
    ck_assert_int_eq(kf_hex_equal_ci(up, lo), 1);
    ck_assert_int_eq(kf_hex_equal_ci("aBcD09", "AbCd09"), 1);
    ck_assert_int_eq(kf_hex_equal_ci("abcd09", "abcd08"), 0);
    ck_assert_int_eq(kf_hex_equal_ci("abcd", "abcd0"), 0);
    ck_assert_int_eq(kf_hex_equal_ci("abcd0", "abcd"), 0);
    ck_assert_int_eq(kf_hex_equal_ci("", ""), 0);
    ck_assert_int_eq(kf_hex_equal_ci(NULL, "ab"), 0);
    ck_assert_int_eq(kf_hex_equal_ci("ab", NULL), 0);
    /* Only hex digits fold: 'g'/'G' and other characters never compare equal. */
    ck_assert_int_eq(kf_hex_equal_ci("abg", "abg"), 0);
    ck_assert_int_eq(kf_hex_equal_ci("abG", "abg"), 0);
    ck_assert_int_eq(kf_hex_equal_ci("ab ", "ab "), 0);
    /* 0x10 | 0x20 is '0': must not be mistaken for a digit. */
    ck_assert_int_eq(kf_hex_equal_ci("a\x10", "a0"), 0);
    /* '@' (0x40) | 0x20 is '`', 'z' etc.: letters beyond f are rejected. */
    ck_assert_int_eq(kf_hex_equal_ci("zz", "ZZ"), 0);
}
END_TEST

/* ------------------------------------------------------------------ randomness, base64url */

static int is_b64url(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')
              || *s == '-' || *s == '_'))
            return 0;
    return 1;
}

START_TEST(random_bytes_fill)
{
    unsigned char a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    ck_assert_int_eq(kf_random_bytes(a, sizeof a), APR_SUCCESS);
    ck_assert_int_eq(kf_random_bytes(b, sizeof b), APR_SUCCESS);
    ck_assert_int_ne(memcmp(a, b, sizeof a), 0);
    ck_assert_int_eq(kf_random_bytes(a, 0), APR_SUCCESS);
}
END_TEST

START_TEST(random_token_shape)
{
    ck_assert_ptr_null(kf_random_token(pool, 0));
    ck_assert_ptr_null(kf_random_token(pool, 15));
    ck_assert_ptr_null(kf_random_token(pool, 4097));
    const char *t16 = kf_random_token(pool, 16);
    ck_assert_ptr_nonnull(t16);
    ck_assert_uint_eq(strlen(t16), 22);
    ck_assert(is_b64url(t16));
    const char *t32 = kf_random_token(pool, 32);
    ck_assert_ptr_nonnull(t32);
    ck_assert_uint_eq(strlen(t32), 43);
    ck_assert(is_b64url(t32));
    ck_assert_uint_eq(strlen(kf_random_token(pool, 18)), 24);

    /* The token decodes back to exactly nbytes. */
    unsigned char *raw;
    apr_size_t rawlen;
    ck_assert_int_eq(kf_b64url_decode(pool, t32, &raw, &rawlen), APR_SUCCESS);
    ck_assert_uint_eq(rawlen, 32);
}
END_TEST

/* Request ids: the token's shape, never twice, neither in one thread nor across threads
 * (each draws its own random part). */
#define IDS_PER_THREAD 1000

typedef struct ids_run {
    apr_pool_t *pool;
    const char *ids[IDS_PER_THREAD];
} ids_run;

static void *APR_THREAD_FUNC ids_of_a_thread(apr_thread_t *t, void *data)
{
    ids_run *run = data;
    for (int i = 0; i < IDS_PER_THREAD; i++) {
        run->ids[i] = kf_request_id(run->pool);
    }
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

static void unseen(apr_hash_t *seen, const char *id)
{
    ck_assert_ptr_nonnull(id);
    ck_assert_uint_eq(strlen(id), 22);
    ck_assert(is_b64url(id));
    ck_assert(kf_token_shape_ok(id));
    ck_assert_ptr_null(apr_hash_get(seen, id, APR_HASH_KEY_STRING));
    apr_hash_set(seen, id, APR_HASH_KEY_STRING, id);
}

START_TEST(request_ids_unique)
{
    apr_hash_t *seen = apr_hash_make(pool);
    for (int i = 0; i < 3000; i++) {
        unseen(seen, kf_request_id(pool));
    }
    ids_run *runs = apr_pcalloc(pool, 2 * sizeof(*runs));
    apr_thread_t *threads[2];
    for (int i = 0; i < 2; i++) {
        apr_pool_create(&runs[i].pool, NULL);   /* a pool of its own: pools are not shared */
        ck_assert_int_eq(apr_thread_create(&threads[i], NULL, ids_of_a_thread, &runs[i], pool),
                         APR_SUCCESS);
    }
    for (int i = 0; i < 2; i++) {
        apr_status_t rv;
        ck_assert_int_eq(apr_thread_join(&rv, threads[i]), APR_SUCCESS);
        for (int j = 0; j < IDS_PER_THREAD; j++) {
            unseen(seen, runs[i].ids[j]);
        }
    }
    for (int i = 0; i < 2; i++) {
        apr_pool_destroy(runs[i].pool);
    }
}
END_TEST

START_TEST(random_token_unique)
{
    apr_hash_t *seen = apr_hash_make(pool);
    int chars[256] = {0};
    for (int i = 0; i < 2000; i++) {
        const char *t = kf_random_token(pool, 16);
        ck_assert_ptr_nonnull(t);
        ck_assert_uint_eq(strlen(t), 22);
        ck_assert(is_b64url(t));
        ck_assert_ptr_null(apr_hash_get(seen, t, APR_HASH_KEY_STRING));
        apr_hash_set(seen, t, APR_HASH_KEY_STRING, t);
        for (const char *c = t; *c; c++)
            chars[(unsigned char)*c]++;
    }
    ck_assert_uint_eq(apr_hash_count(seen), 2000);
    /* 44000 characters over 64 symbols: every symbol, '-' and '_' included, shows up. */
    ck_assert_int_gt(chars['-'], 0);
    ck_assert_int_gt(chars['_'], 0);
    ck_assert_int_gt(chars['A'], 0);
    ck_assert_int_gt(chars['z'], 0);
    ck_assert_int_gt(chars['9'], 0);
}
END_TEST

START_TEST(b64url_vectors)
{
    /* RFC 4648 section 10, without padding */
    ck_assert_str_eq(kf_b64url_encode(pool, "", 0), "");
    ck_assert_str_eq(kf_b64url_encode(pool, "f", 1), "Zg");
    ck_assert_str_eq(kf_b64url_encode(pool, "fo", 2), "Zm8");
    ck_assert_str_eq(kf_b64url_encode(pool, "foo", 3), "Zm9v");
    ck_assert_str_eq(kf_b64url_encode(pool, "foob", 4), "Zm9vYg");
    ck_assert_str_eq(kf_b64url_encode(pool, "fooba", 5), "Zm9vYmE");
    ck_assert_str_eq(kf_b64url_encode(pool, "foobar", 6), "Zm9vYmFy");
    /* URL-safe alphabet: standard base64 would give "+/8=" and "/+8=" */
    const unsigned char b1[] = {0xfb, 0xff}, b2[] = {0xff, 0xef};
    ck_assert_str_eq(kf_b64url_encode(pool, b1, 2), "-_8");
    ck_assert_str_eq(kf_b64url_encode(pool, b2, 2), "_-8");

    unsigned char *out;
    apr_size_t n;
    const char *words[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        const char *enc = kf_b64url_encode(pool, words[i], strlen(words[i]));
        ck_assert_int_eq(kf_b64url_decode(pool, enc, &out, &n), APR_SUCCESS);
        ck_assert_uint_eq(n, strlen(words[i]));
        ck_assert_str_eq((char *)out, words[i]);
    }
    ck_assert_int_eq(kf_b64url_decode(pool, "-_8", &out, &n), APR_SUCCESS);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(memcmp(out, b1, 2), 0);
}
END_TEST

START_TEST(b64url_decode_strict)
{
    unsigned char *out = (unsigned char *)"x";
    apr_size_t n = 99;
    ck_assert_int_eq(kf_b64url_decode(pool, "Zm9vYg==", &out, &n), KF_CRYPTO_EMALFORMED);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(kf_b64url_decode(pool, "Z", &out, &n), KF_CRYPTO_EMALFORMED);
    ck_assert_int_eq(kf_b64url_decode(pool, "Zm9vY", &out, &n), KF_CRYPTO_EMALFORMED);
    ck_assert_int_eq(kf_b64url_decode(pool, "Zm+v", &out, &n), KF_CRYPTO_EMALFORMED);
    ck_assert_int_eq(kf_b64url_decode(pool, "Zm/v", &out, &n), KF_CRYPTO_EMALFORMED);
    ck_assert_int_eq(kf_b64url_decode(pool, "Zm 9v", &out, &n), KF_CRYPTO_EMALFORMED);
    /* Non-canonical: "Zh" carries non-zero unused bits ("Zg" is canonical). */
    ck_assert_int_eq(kf_b64url_decode(pool, "Zh", &out, &n), KF_CRYPTO_EMALFORMED);
    ck_assert_int_eq(kf_b64url_decode(pool, "Zm9", &out, &n), KF_CRYPTO_EMALFORMED);
    ck_assert_int_eq(kf_b64url_decode(pool, "Zm8", &out, &n), APR_SUCCESS);
    ck_assert_int_eq(kf_b64url_decode(pool, NULL, &out, &n), APR_EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ keyring, seal, open */

#define A4 "AAAA"
#define A36 A4 A4 A4 A4 A4 A4 A4 A4 A4 /* 27 zero bytes */
#define A38 A36 "AA"                    /* 28 zero bytes: an IV and a tag, no ciphertext */

static void fill_key(unsigned char key[KF_KEY_LEN], unsigned char start)
{
    for (int i = 0; i < KF_KEY_LEN; i++)
        key[i] = (unsigned char)(start + i);
}

START_TEST(key_id_vectors)
{
    unsigned char key[KF_KEY_LEN];
    fill_key(key, 0);
    ck_assert_str_eq(kf_key_id(pool, key), "ac54e576");
    memset(key, 0x42, sizeof key);
    ck_assert_str_eq(kf_key_id(pool, key), "4c6672dc");
}
END_TEST

START_TEST(keyring_basics)
{
    kf_keyring *kr = kf_keyring_make(pool);
    unsigned char k1[KF_KEY_LEN], k2[KF_KEY_LEN];
    fill_key(k1, 0);
    memset(k2, 0x42, sizeof k2);
    ck_assert_int_eq(kf_keyring_count(kr), 0);
    ck_assert_ptr_null(kf_keyring_primary_kid(kr));
    ck_assert_ptr_null(kf_seal(pool, kr, "x", 1, NULL));

    ck_assert_int_eq(kf_keyring_add(kr, k1, 0), APR_SUCCESS);
    ck_assert_ptr_null(kf_keyring_primary_kid(kr));
    ck_assert_ptr_null(kf_seal(pool, kr, "x", 1, NULL)); /* no primary: nothing is sealed */
    ck_assert_int_eq(kf_keyring_add(kr, k1, 1), APR_SUCCESS); /* same key: flag updated */
    ck_assert_int_eq(kf_keyring_count(kr), 1);
    ck_assert_str_eq(kf_keyring_primary_kid(kr), "ac54e576");
    ck_assert_int_eq(kf_keyring_add(kr, k2, 0), APR_SUCCESS);
    ck_assert_int_eq(kf_keyring_count(kr), 2);
    ck_assert_str_eq(kf_keyring_primary_kid(kr), "ac54e576");
    ck_assert_int_eq(kf_keyring_add(kr, k2, 1), APR_SUCCESS);
    ck_assert_str_eq(kf_keyring_primary_kid(kr), "4c6672dc");
    ck_assert_int_eq(kf_keyring_add(NULL, k2, 1), APR_EINVAL);
    ck_assert_int_eq(kf_keyring_add(kr, NULL, 1), APR_EINVAL);
}
END_TEST

START_TEST(keyring_names_its_key_ids_only)
{
    kf_keyring *kr = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_kids(pool, kr)->nelts, 0);
    ck_assert_int_eq(kf_keyring_kids(pool, NULL)->nelts, 0);
    unsigned char k1[KF_KEY_LEN], k2[KF_KEY_LEN];
    memset(k2, 0x42, sizeof k2);
    fill_key(k1, 0);
    ck_assert_int_eq(kf_keyring_add(kr, k2, 1), APR_SUCCESS);
    ck_assert_int_eq(kf_keyring_add(kr, k1, 0), APR_SUCCESS);
    ck_assert_int_eq(kf_keyring_add(kr, k2, 1), APR_SUCCESS);  /* already there: not twice */
    apr_array_header_t *kids = kf_keyring_kids(pool, kr);
    ck_assert_int_eq(kids->nelts, 2);
    ck_assert_str_eq(APR_ARRAY_IDX(kids, 0, const char *), "4c6672dc");
    ck_assert_str_eq(APR_ARRAY_IDX(kids, 1, const char *), "ac54e576");
}
END_TEST

static kf_keyring *ring_with(unsigned char start)
{
    unsigned char key[KF_KEY_LEN];
    kf_keyring *kr = kf_keyring_make(pool);
    fill_key(key, start);
    ck_assert_int_eq(kf_keyring_add(kr, key, 1), APR_SUCCESS);
    return kr;
}

START_TEST(seal_open_roundtrip)
{
    kf_keyring *kr = ring_with(0);
    const char *secret = "prv_test_abcdefghijklmnop";
    const char *s = kf_seal(pool, kr, secret, strlen(secret), "tenant:7:wompi");
    ck_assert_ptr_nonnull(s);
    /* v1.<kid>.<base64url of 12 + 25 + 16 = 53 bytes = 71 characters> */
    ck_assert_int_eq(strncmp(s, "v1.ac54e576.", 12), 0);
    ck_assert_uint_eq(strlen(s), 12 + 71);
    ck_assert(is_b64url(s + 12));

    char *plain = NULL;
    apr_size_t len = 0;
    ck_assert_int_eq(kf_open(pool, kr, s, "tenant:7:wompi", &plain, &len), APR_SUCCESS);
    ck_assert_uint_eq(len, strlen(secret));
    ck_assert_str_eq(plain, secret);

    /* A fresh IV each time: same input, different sealed text, both open. */
    const char *s2 = kf_seal(pool, kr, secret, strlen(secret), "tenant:7:wompi");
    ck_assert_str_ne(s, s2);
    ck_assert_int_eq(kf_open(pool, kr, s2, "tenant:7:wompi", &plain, &len), APR_SUCCESS);
    ck_assert_str_eq(plain, secret);

    /* Binary plaintext with NULs survives; NULL aad equals "". */
    const unsigned char bin[] = {0, 1, 2, 0, 255};
    const char *s3 = kf_seal(pool, kr, bin, sizeof bin, NULL);
    ck_assert_int_eq(kf_open(pool, kr, s3, "", &plain, &len), APR_SUCCESS);
    ck_assert_uint_eq(len, sizeof bin);
    ck_assert_int_eq(memcmp(plain, bin, sizeof bin), 0);
    ck_assert_int_eq(plain[len], '\0');
}
END_TEST

START_TEST(text_secrets_or_none)
{
    kf_keyring *kr = ring_with(0);
    const char *sealed = kf_seal_text(pool, kr, "sk_live_123", "tenant:7:twilio");
    ck_assert_ptr_nonnull(sealed);
    ck_assert_str_eq(kf_open_text(pool, kr, sealed, "tenant:7:twilio"), "sk_live_123");
    ck_assert_ptr_null(kf_open_text(pool, kr, sealed, "tenant:8:twilio"));   /* another aad */
    ck_assert_ptr_null(kf_open_text(pool, kr, NULL, "tenant:7:twilio"));
    ck_assert_ptr_null(kf_open_text(pool, NULL, sealed, "tenant:7:twilio"));
    ck_assert_ptr_null(kf_seal_text(pool, kr, NULL, "tenant:7:twilio"));
    ck_assert_ptr_null(kf_seal_text(pool, NULL, "sk_live_123", "tenant:7:twilio"));
}
END_TEST

START_TEST(seal_open_empty)
{
    kf_keyring *kr = ring_with(0);
    const char *s = kf_seal(pool, kr, "", 0, "aad");
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(strlen(s), 12 + 38); /* 28 bytes -> 38 characters */
    char *plain = NULL;
    apr_size_t len = 99;
    ck_assert_int_eq(kf_open(pool, kr, s, "aad", &plain, &len), APR_SUCCESS);
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_nonnull(plain);
    ck_assert_str_eq(plain, "");
    ck_assert_ptr_nonnull(kf_seal(pool, kr, NULL, 0, NULL));
    ck_assert_ptr_null(kf_seal(pool, kr, NULL, 1, NULL));
}
END_TEST

START_TEST(open_known_answer)
{
    /* Produced independently with Python's cryptography AESGCM: key bytes 0..31, IV bytes
     * 100..111, aad "tenant:7:wompi". Pins the wire format, not only our own round trip. */
    const char *s = "v1.ac54e576.ZGVmZ2hpamtsbW5vOGmoOQ2MJephETqLqAAeYo8rJ55rukRBSxbd-Ql4bg";
    kf_keyring *kr = ring_with(0);
    char *plain;
    apr_size_t len;
    ck_assert_int_eq(kf_open(pool, kr, s, "tenant:7:wompi", &plain, &len), APR_SUCCESS);
    ck_assert_uint_eq(len, 15);
    ck_assert_str_eq(plain, "prv_test_secret");
    ck_assert_int_eq(kf_open(pool, kr, s, "tenant:8:wompi", &plain, &len), KF_CRYPTO_EAUTH);
}
END_TEST

START_TEST(rotation)
{
    unsigned char old[KF_KEY_LEN], new[KF_KEY_LEN];
    fill_key(old, 0);
    memset(new, 0x42, sizeof new);
    kf_keyring *kr = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(kr, old, 1), APR_SUCCESS);
    const char *before = kf_seal(pool, kr, "refresh-token", 13, "pro:1");
    ck_assert_int_eq(strncmp(before, "v1.ac54e576.", 12), 0);

    ck_assert_int_eq(kf_keyring_add(kr, new, 1), APR_SUCCESS);
    const char *after = kf_seal(pool, kr, "refresh-token", 13, "pro:1");
    ck_assert_int_eq(strncmp(after, "v1.4c6672dc.", 12), 0);

    char *plain;
    apr_size_t len;
    ck_assert_int_eq(kf_open(pool, kr, before, "pro:1", &plain, &len), APR_SUCCESS);
    ck_assert_str_eq(plain, "refresh-token");
    ck_assert_int_eq(kf_open(pool, kr, after, "pro:1", &plain, &len), APR_SUCCESS);
    ck_assert_str_eq(plain, "refresh-token");

    /* A ring holding only the new key no longer knows the old id. */
    kf_keyring *only_new = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(only_new, new, 1), APR_SUCCESS);
    ck_assert_int_eq(kf_open(pool, only_new, before, "pro:1", &plain, &len), KF_CRYPTO_EUNKNOWNKEY);
    ck_assert_ptr_null(plain);
    ck_assert_int_eq(kf_open(pool, only_new, after, "pro:1", &plain, &len), APR_SUCCESS);
}
END_TEST

/* Decode the blob of a sealed text, XOR one byte (index from the start of the blob, or from
 * its end when negative), and re-encode it under the same prefix. */
static const char *mutate(const char *sealed, long index, unsigned char mask)
{
    unsigned char *blob;
    apr_size_t n;
    ck_assert_int_eq(kf_b64url_decode(pool, sealed + 12, &blob, &n), APR_SUCCESS);
    apr_size_t at = index >= 0 ? (apr_size_t)index : n - (apr_size_t)(-index);
    ck_assert_uint_lt(at, n);
    blob[at] ^= mask;
    return apr_pstrcat(pool, apr_pstrndup(pool, sealed, 12), kf_b64url_encode(pool, blob, n), NULL);
}

START_TEST(open_detects_tampering)
{
    kf_keyring *kr = ring_with(0);
    const char *s = kf_seal(pool, kr, "callback-secret", 15, "t:1");
    char *plain = (char *)"sentinel";
    apr_size_t len = 7;

    ck_assert_int_eq(kf_open(pool, kr, s, "t:1", &plain, &len), APR_SUCCESS);
    /* One bit flipped in the IV (first byte, last byte), ciphertext, tag. */
    ck_assert_int_eq(kf_open(pool, kr, mutate(s, 0, 0x01), "t:1", &plain, &len), KF_CRYPTO_EAUTH);
    ck_assert_ptr_null(plain);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(kf_open(pool, kr, mutate(s, 11, 0x80), "t:1", &plain, &len), KF_CRYPTO_EAUTH);
    ck_assert_int_eq(kf_open(pool, kr, mutate(s, 12, 0x01), "t:1", &plain, &len), KF_CRYPTO_EAUTH);
    ck_assert_int_eq(kf_open(pool, kr, mutate(s, 26, 0x10), "t:1", &plain, &len), KF_CRYPTO_EAUTH);
    ck_assert_int_eq(kf_open(pool, kr, mutate(s, -16, 0x01), "t:1", &plain, &len), KF_CRYPTO_EAUTH);
    ck_assert_int_eq(kf_open(pool, kr, mutate(s, -1, 0x80), "t:1", &plain, &len), KF_CRYPTO_EAUTH);
    /* Wrong aad, including a missing one. */
    ck_assert_int_eq(kf_open(pool, kr, s, "t:2", &plain, &len), KF_CRYPTO_EAUTH);
    ck_assert_int_eq(kf_open(pool, kr, s, NULL, &plain, &len), KF_CRYPTO_EAUTH);
    ck_assert_int_eq(kf_open(pool, kr, s, "t:1 ", &plain, &len), KF_CRYPTO_EAUTH);
    /* The original is still fine. */
    ck_assert_int_eq(kf_open(pool, kr, s, "t:1", &plain, &len), APR_SUCCESS);
    ck_assert_str_eq(plain, "callback-secret");
}
END_TEST

START_TEST(open_wrong_key)
{
    /* A different key presented under the sealing key's id: authentication fails.
     * (Ids collide only by construction here: the blob is moved under the other key's id
     * and opened with that key.) */
    kf_keyring *a = ring_with(0), *b = ring_with(1);
    const char *s = kf_seal(pool, a, "secret", 6, NULL);
    const char *moved = apr_pstrcat(pool, "v1.", kf_keyring_primary_kid(b), s + 11, NULL);
    char *plain;
    apr_size_t len;
    ck_assert_int_eq(kf_open(pool, b, moved, NULL, &plain, &len), KF_CRYPTO_EAUTH);
    ck_assert_int_eq(kf_open(pool, b, s, NULL, &plain, &len), KF_CRYPTO_EUNKNOWNKEY);
    ck_assert_int_eq(kf_open(pool, a, s, NULL, &plain, &len), APR_SUCCESS);
}
END_TEST

START_TEST(open_malformed)
{
    kf_keyring *kr = ring_with(0);
    const char *s = kf_seal(pool, kr, "secret", 6, NULL);
    char *plain = (char *)"x";
    apr_size_t len = 3;
    size_t n = strlen(s);

    const char *bad[] = {
        "",
        "garbage",
        "v1.",
        "v1.ac54e576",
        "v1.ac54e576.",                  /* no blob */
        "v2.ac54e576." A38,             /* unknown version */
        "v1.AC54E576." A38,             /* kid must be lowercase hex */
        "v1.ac54e57." A38,              /* kid too short */
        "v1.ac54e5766." A38,            /* kid too long */
        "v1.ac54e57g." A38,             /* kid not hex */
        "v1.ac54e576" A38,              /* no separator */
        "v1.ac54e576." A36,             /* 27 bytes: shorter than IV + tag */
        "v1.ac54e576." A36 "A=",        /* padding */
        "v1.ac54e576." A36 "+A",        /* standard alphabet */
        "v1.ac54e576." A36 " A",        /* whitespace */
        "v1.ac54e576." A36 "AB",        /* non-canonical last character */
        "v1.ac54e576." A36 "A",         /* 4k+1 characters */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_msg(kf_open(pool, kr, bad[i], NULL, &plain, &len) == KF_CRYPTO_EMALFORMED,
                      "case %zu: %s", i, bad[i]);
        ck_assert_ptr_null(plain);
        ck_assert_uint_eq(len, 0);
    }
    /* Truncated: to a length of 4k+1 characters (not base64url), to below IV + tag
     * (malformed), or by whole groups that still leave IV + tag (authentication fails). */
    ck_assert_int_eq(kf_open(pool, kr, apr_pstrndup(pool, s, n - 1), NULL, &plain, &len),
                     KF_CRYPTO_EMALFORMED);
    ck_assert_int_eq(kf_open(pool, kr, apr_pstrndup(pool, s, 12 + 36), NULL, &plain, &len),
                     KF_CRYPTO_EMALFORMED);
    ck_assert_uint_eq(n, 12 + 46); /* 6 + 28 bytes */
    ck_assert_int_eq(kf_open(pool, kr, apr_pstrndup(pool, s, 12 + 44), NULL, &plain, &len),
                     KF_CRYPTO_EAUTH);
    ck_assert_int_eq(kf_open(pool, kr, apr_pstrndup(pool, s, 12 + 40), NULL, &plain, &len),
                     KF_CRYPTO_EAUTH);
    /* A well-formed id that is not in the ring. */
    ck_assert_int_eq(kf_open(pool, kr, "v1.00000000." A38, NULL, &plain, &len),
                     KF_CRYPTO_EUNKNOWNKEY);
    /* The same zero blob under the ring's own id: well formed, not authentic. */
    ck_assert_int_eq(kf_open(pool, kr, "v1.ac54e576." A38, NULL, &plain, &len), KF_CRYPTO_EAUTH);
    /* Arguments */
    ck_assert_int_eq(kf_open(pool, kr, NULL, NULL, &plain, &len), APR_EINVAL);
    ck_assert_int_eq(kf_open(pool, NULL, s, NULL, &plain, &len), APR_EINVAL);
    ck_assert_int_eq(kf_open(pool, kr, s, NULL, NULL, &len), APR_EINVAL);
    ck_assert_str_eq(kf_crypto_strerror(KF_CRYPTO_EAUTH), "authentication failed");
    ck_assert_str_eq(kf_crypto_strerror(KF_CRYPTO_EUNKNOWNKEY), "unknown key id");
}
END_TEST

START_TEST(keyring_in_subpool)
{
    /* The ring's cleanup (which wipes the keys) runs when its pool goes; under valgrind this
     * also checks that it touches only live memory. */
    apr_pool_t *sub;
    ck_assert_int_eq(apr_pool_create(&sub, pool), APR_SUCCESS);
    kf_keyring *kr = kf_keyring_make(sub);
    unsigned char key[KF_KEY_LEN];
    fill_key(key, 0);
    ck_assert_int_eq(kf_keyring_add(kr, key, 1), APR_SUCCESS);
    ck_assert_int_eq(kf_keyring_add(kr, key, 1), APR_SUCCESS);
    fill_key(key, 7);
    ck_assert_int_eq(kf_keyring_add(kr, key, 0), APR_SUCCESS);
    ck_assert_int_eq(kf_keyring_count(kr), 2);
    ck_assert_ptr_nonnull(kf_seal(pool, kr, "x", 1, NULL));
    apr_pool_destroy(sub);
}
END_TEST

/* ------------------------------------------------------------------ key files */

static char *tmpdir;

static void keyfile_setup(void)
{
    kf_test_setup();
    char tmpl[] = "/tmp/kf_test_crypto.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    tmpdir = apr_pstrdup(pool, tmpl);
}

static void keyfile_teardown(void)
{
    const char *names[] = {"k31", "k32", "k33", "k0", "k000", "k644", "api"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        unlink(apr_pstrcat(pool, tmpdir, "/", names[i], NULL));
    rmdir(tmpdir);
    kf_test_teardown();
}

static const char *write_file(const char *name, apr_size_t n)
{
    const char *path = apr_pstrcat(pool, tmpdir, "/", name, NULL);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (apr_size_t i = 0; i < n; i++)
        fputc((int)(0xa0 + i), f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(chmod(path, 0640), 0);
    return path;
}

START_TEST(keyfile_exact)
{
    const char *path = write_file("k32", 32);
    unsigned char key[KF_KEY_LEN];
    const char *why = "untouched";
    ck_assert_int_eq(kf_key_load_file(pool, path, key, &why), APR_SUCCESS);
    ck_assert_ptr_null(why);
    for (int i = 0; i < KF_KEY_LEN; i++)
        ck_assert_int_eq(key[i], 0xa0 + i);
    ck_assert_int_eq(kf_key_load_file(pool, path, key, NULL), APR_SUCCESS);
}
END_TEST

START_TEST(keyfile_missing)
{
    const char *path = apr_pstrcat(pool, tmpdir, "/nope", NULL);
    unsigned char key[KF_KEY_LEN];
    const char *why = NULL;
    memset(key, 0x55, sizeof key);
    apr_status_t rv = kf_key_load_file(pool, path, key, &why);
    ck_assert_int_eq(rv, APR_ENOENT);
    ck_assert_str_eq(why, apr_pstrcat(pool, "cannot read key file ", path,
                                      ": No such file or directory", NULL));
    for (int i = 0; i < KF_KEY_LEN; i++)
        ck_assert_int_eq(key[i], 0);
    ck_assert_int_eq(kf_key_load_file(pool, NULL, key, &why), APR_EINVAL);
    ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(keyfile_wrong_sizes)
{
    unsigned char key[KF_KEY_LEN];
    const char *why = NULL;
    const char *p31 = write_file("k31", 31);
    ck_assert_int_eq(kf_key_load_file(pool, p31, key, &why), KF_CRYPTO_EBADKEYFILE);
    ck_assert_str_eq(why, apr_pstrcat(pool, "key file ", p31,
                                      " holds 31 bytes; it must hold exactly 32 random bytes "
                                      "(create one with: konfirmado-key ", p31, ")",
                                      NULL));
    const char *p33 = write_file("k33", 33);
    ck_assert_int_eq(kf_key_load_file(pool, p33, key, &why), KF_CRYPTO_EBADKEYFILE);
    ck_assert_ptr_nonnull(strstr(why, " holds 33 bytes; "));
    const char *p0 = write_file("k0", 0);
    ck_assert_int_eq(kf_key_load_file(pool, p0, key, &why), KF_CRYPTO_EBADKEYFILE);
    ck_assert_ptr_nonnull(strstr(why, " holds 0 bytes; "));
    ck_assert_ptr_null(strchr(why, '\n'));
    /* A directory is not a key file. */
    ck_assert_int_eq(kf_key_load_file(pool, tmpdir, key, &why), KF_CRYPTO_EBADKEYFILE);
    ck_assert_str_eq(why, apr_pstrcat(pool, "key file ", tmpdir, " is not a regular file", NULL));
}
END_TEST

START_TEST(keyfile_unreadable)
{
    if (geteuid() == 0)
        return; /* root reads a mode-000 file anyway: nothing to check */
    const char *path = write_file("k000", 32);
    ck_assert_int_eq(chmod(path, 0), 0);
    unsigned char key[KF_KEY_LEN];
    const char *why = NULL;
    ck_assert_int_eq(kf_key_load_file(pool, path, key, &why), APR_EACCES);
    ck_assert_str_eq(why, apr_pstrcat(pool, "cannot read key file ", path, ": Permission denied",
                                      NULL));
}

/* A key every user can read is no secret: refused whatever it holds, and nothing of it is
 * handed out; the group may read it (0640 root:www-data). */
START_TEST(keyfile_world_readable)
{
    const char *path = write_file("k644", 32);
    unsigned char key[KF_KEY_LEN];
    const char *why = NULL;
    ck_assert_int_eq(chmod(path, 0644), 0);
    ck_assert_int_eq(kf_key_load_file(pool, path, key, &why), KF_CRYPTO_EBADKEYFILE);
    ck_assert_str_eq(why, apr_pstrcat(pool, "key file ", path, " is readable by every user of "
                                      "the machine: chmod 0640 ", path,
                                      " (owner root, group www-data)", NULL));
    for (int i = 0; i < KF_KEY_LEN; i++)
        ck_assert_int_eq(key[i], 0);
    ck_assert_int_eq(chmod(path, 0604), 0);
    ck_assert_int_eq(kf_key_load_file(pool, path, key, &why), KF_CRYPTO_EBADKEYFILE);
    ck_assert_int_eq(chmod(path, 0640), 0);
    ck_assert_int_eq(kf_key_load_file(pool, path, key, &why), APR_SUCCESS);
    ck_assert_int_eq(chmod(path, 0600), 0);
    ck_assert_int_eq(kf_key_load_file(pool, path, key, &why), APR_SUCCESS);
}
END_TEST

/* A provider's API key: its first line, from a file nobody else can read. */
START_TEST(secret_file_first_line_never_world_readable)
{
    const char *path = apr_pstrcat(pool, tmpdir, "/api", NULL), *secret = NULL, *why = NULL;
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("re_123abc\r\nsecond line\n", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(chmod(path, 0640), 0);
    ck_assert_int_eq(kf_secret_load_file(pool, path, &secret, &why), APR_SUCCESS);
    ck_assert_str_eq(secret, "re_123abc");
    ck_assert_int_eq(chmod(path, 0644), 0);
    ck_assert_int_eq(kf_secret_load_file(pool, path, &secret, &why), KF_CRYPTO_EBADKEYFILE);
    ck_assert_ptr_null(secret);
    ck_assert_ptr_nonnull(strstr(why, "readable by every user"));
    f = fopen(path, "wb");
    fputs("\nre_after_an_empty_line\n", f);
    fclose(f);
    ck_assert_int_eq(chmod(path, 0600), 0);
    ck_assert_int_eq(kf_secret_load_file(pool, path, &secret, &why), KF_CRYPTO_EBADKEYFILE);
    ck_assert_int_ne(kf_secret_load_file(pool, apr_pstrcat(pool, tmpdir, "/none", NULL), &secret,
                                         &why), APR_SUCCESS);
    ck_assert_int_ne(kf_secret_load_file(pool, tmpdir, &secret, &why), APR_SUCCESS);
}
END_TEST

START_TEST(reseal_moves_secrets_to_the_primary_key)
{
    unsigned char old_key[KF_KEY_LEN], new_key[KF_KEY_LEN];
    memset(old_key, 0x11, sizeof(old_key));
    memset(new_key, 0x22, sizeof(new_key));
    kf_keyring *before = kf_keyring_make(pool);
    kf_keyring_add(before, old_key, 1);
    const char *sealed = kf_seal(pool, before, "whsec_secret", 12, "tenant:t-1");
    ck_assert_ptr_nonnull(sealed);

    /* the rotated ring: the new key seals, the old one still opens */
    kf_keyring *ring = kf_keyring_make(pool);
    kf_keyring_add(ring, new_key, 1);
    kf_keyring_add(ring, old_key, 0);
    const char *resealed = NULL;
    ck_assert_int_eq(kf_reseal(pool, ring, sealed, "tenant:t-1", &resealed), APR_SUCCESS);
    ck_assert_ptr_nonnull(resealed);
    ck_assert_ptr_nonnull(strstr(resealed, kf_key_id(pool, new_key)));

    /* the new key alone opens it; same plain text, same aad */
    kf_keyring *only_new = kf_keyring_make(pool);
    kf_keyring_add(only_new, new_key, 1);
    char *plain = NULL;
    apr_size_t len = 0;
    ck_assert_int_eq(kf_open(pool, only_new, resealed, "tenant:t-1", &plain, &len), APR_SUCCESS);
    ck_assert_str_eq(plain, "whsec_secret");
    ck_assert_int_eq(kf_open(pool, only_new, resealed, "tenant:t-2", &plain, &len), KF_CRYPTO_EAUTH);

    /* already under the primary key: nothing to write */
    ck_assert_int_eq(kf_reseal(pool, ring, resealed, "tenant:t-1", &resealed), APR_SUCCESS);
    ck_assert_ptr_null(resealed);
    /* a key the ring lacks, or the wrong place: refused, nothing written */
    ck_assert_int_eq(kf_reseal(pool, only_new, sealed, "tenant:t-1", &resealed), KF_CRYPTO_EUNKNOWNKEY);
    ck_assert_ptr_null(resealed);
    ck_assert_int_eq(kf_reseal(pool, ring, sealed, "tenant:t-9", &resealed), KF_CRYPTO_EAUTH);
}

START_TEST(a_bearer_header_carries_a_token)
{
    const char *t = "abcdefghijklmnopqrstuv";
    ck_assert_str_eq(kf_bearer_token(apr_pstrcat(pool, "Bearer ", t, NULL)), t);
    ck_assert_str_eq(kf_bearer_token(apr_pstrcat(pool, "bearer   ", t, NULL)), t);
    ck_assert_ptr_null(kf_bearer_token(apr_pstrcat(pool, "Basic ", t, NULL)));
    ck_assert_ptr_null(kf_bearer_token(apr_pstrcat(pool, "Bearer", t, NULL)));
    ck_assert_ptr_null(kf_bearer_token("Bearer short"));
    ck_assert_ptr_null(kf_bearer_token(NULL));
}
END_TEST

START_TEST(token_shapes)
{
    ck_assert(kf_token_shape_ok(kf_random_token(pool, 32)));
    ck_assert(kf_token_shape_ok("abcdefghijklmnopqrstuv"));              /* 22 */
    ck_assert(!kf_token_shape_ok("abcdefghijklmnopqrstu"));              /* 21 */
    ck_assert(!kf_token_shape_ok("abcdefghijklmnopqrstu="));
    ck_assert(!kf_token_shape_ok("abcdefghijklmnopqrstu/v"));
    ck_assert(!kf_token_shape_ok(NULL));
    char long_one[130];
    memset(long_one, 'a', 129);
    long_one[129] = '\0';
    ck_assert(!kf_token_shape_ok(long_one));
    long_one[128] = '\0';
    ck_assert(kf_token_shape_ok(long_one));
}
END_TEST
END_TEST

END_TEST

int main(void)
{
    Suite *s = suite_create("kf_crypto");

    TCase *tc = tcase_create("digests");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, sha256_vectors);
    tcase_add_test(tc, aad_binds_a_secret_to_its_place);
    tcase_add_test(tc, hmac_rfc4231);
    tcase_add_test(tc, hex_encode);
    tcase_add_test(tc, siphash24_vectors);
    suite_add_tcase(s, tc);

    tc = tcase_create("compare");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, ct_equal_semantics);
    tcase_add_test(tc, ct_streq_semantics);
    tcase_add_test(tc, hex_equal_ci_semantics);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, random_bytes_fill);
    tcase_add_test(tc, random_token_shape);
    tcase_add_test(tc, random_token_unique);
    tcase_add_test(tc, request_ids_unique);
    tcase_add_test(tc, b64url_vectors);
    tcase_add_test(tc, b64url_decode_strict);
    suite_add_tcase(s, tc);

    tc = tcase_create("seal");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, key_id_vectors);
    tcase_add_test(tc, keyring_basics);
    tcase_add_test(tc, keyring_names_its_key_ids_only);
    tcase_add_test(tc, seal_open_roundtrip);
    tcase_add_test(tc, seal_open_empty);
    tcase_add_test(tc, text_secrets_or_none);
    tcase_add_test(tc, open_known_answer);
    tcase_add_test(tc, rotation);
    tcase_add_test(tc, open_detects_tampering);
    tcase_add_test(tc, open_wrong_key);
    tcase_add_test(tc, open_malformed);
    tcase_add_test(tc, keyring_in_subpool);
    suite_add_tcase(s, tc);

    tc = tcase_create("keyfile");
    tcase_add_checked_fixture(tc, keyfile_setup, keyfile_teardown);
    tcase_add_test(tc, keyfile_exact);
    tcase_add_test(tc, keyfile_missing);
    tcase_add_test(tc, keyfile_wrong_sizes);
    tcase_add_test(tc, reseal_moves_secrets_to_the_primary_key);
    tcase_add_test(tc, keyfile_unreadable);
    tcase_add_test(tc, keyfile_world_readable);
    tcase_add_test(tc, secret_file_first_line_never_world_readable);
    tcase_add_test(tc, token_shapes);
    tcase_add_test(tc, a_bearer_header_carries_a_token);
    suite_add_tcase(s, tc);

    return kf_run_suite(s);
}
