/* konfirmado-payment-test: pays (or declines) a booking of a test-mode tenant without
 * reaching its payment provider, for a server that cannot reach it (a staging box, a
 * firewalled network, an evaluation). It posts to the server's webhook the notice the
 * provider itself would post, signed with the tenant's own events secret (opened with the
 * server's key), so that the booking goes the way a real sandbox payment takes it: verified,
 * paid, the merchant's signed callback, the confirmation mail.
 *
 *   konfirmado-payment-test [--decline] [--cacert FILE] [--resolve HOST:PORT:ADDRESS]
 *                           --key FILE [--key FILE ...] POSTGRES_URI SITE_URL BOOKING
 *
 * BOOKING is a booking's id (its newest payment) or a payment's reference; SITE_URL the
 * platform's URL (KonfirmadoPublicURL, https://example.com). Every --key opens (the keys of
 * KonfirmadoKeyFile). A tenant in live mode, a provider that cannot be tried so and a
 * payment that is not pending are refused with a sentence and exit status 3; nothing is
 * posted. Exit status 0 when the server applied the notice (or had it already), 1 when it
 * answered otherwise, 2 on a usage, key, database or connection failure. No secret is
 * printed.
 */
#include "kf_crypto.h"
#include "kf_payment.h"
#include "kf_payment_trial.h"
#include "kf_money.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <curl/curl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The newest payment of a booking, or the payment of a reference, with its tenant's account
 * for that provider. */
static const char *const PAYMENT_SQL =
    "SELECT p.reference, p.amount::text, p.currency, p.provider, p.mode, p.status,"
    " s.mode, s.public_key, s.secrets_sealed, p.tenant_id::text, t.name"
    " FROM payments p JOIN tenants t ON t.id = p.tenant_id"
    " LEFT JOIN tenant_payment_settings s ON s.tenant_id = p.tenant_id AND s.provider = p.provider"
    " WHERE p.reference = $1 OR p.reservation_id = (CASE WHEN $1 ~*"
    " '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN $1 END)::uuid"
    " ORDER BY p.created_at DESC LIMIT 1";
enum { PAY_REFERENCE, PAY_AMOUNT, PAY_CURRENCY, PAY_PROVIDER, PAY_MODE, PAY_STATUS,
       ACCOUNT_MODE, ACCOUNT_PUBLIC_KEY, ACCOUNT_SECRETS, PAY_TENANT, TENANT_NAME, PAY_COLUMNS };

/* What became of it: the payment and its booking after the notice. */
static const char *const AFTER_SQL =
    "SELECT p.status, coalesce(r.status, '-') FROM payments p"
    " LEFT JOIN reservations r ON r.id = p.reservation_id WHERE p.reference = $1";

static int usage(void)
{
    fprintf(stderr, "usage: konfirmado-payment-test [--decline] [--cacert FILE] "
                    "[--resolve HOST:PORT:ADDRESS] --key FILE [--key FILE ...] "
                    "postgresql://user@host/db?passfile=FILE https://example.com BOOKING\n");
    return 2;
}

/* The server's answer, its first 4 KiB: a webhook answers a line of JSON. */
typedef struct server_answer {
    apr_pool_t *p;
    const char *text;
} server_answer;

static size_t keep_answer(char *data, size_t size, size_t n, void *baton)
{
    apr_size_t len = size * n;
    server_answer *answer = baton;
    if (strlen(answer->text) + len < 4096) {
        answer->text = apr_pstrcat(answer->p, answer->text, apr_pstrmemdup(answer->p, data, len),
                                   NULL);
    }
    return len;
}

typedef struct post_options {
    const char *cacert;
    const char *resolve;
} post_options;

/* Posts the notice; the HTTP status into *status and the answer's text into *answer_text.
 * 0, or 2 with the reason on stderr. */
static int post_notice(apr_pool_t *p, const char *url, const kf_payment_notice *notice,
                       const post_options *opt, long *status, const char **answer_text)
{
    server_answer got = {p, ""};
    struct curl_slist *headers = NULL, *resolve = NULL;
    const apr_array_header_t *h = apr_table_elts(notice->headers);
    for (int i = 0; i < h->nelts; i++) {
        const apr_table_entry_t *e = &APR_ARRAY_IDX(h, i, apr_table_entry_t);
        headers = curl_slist_append(headers, apr_pstrcat(p, e->key, ": ", e->val, NULL));
    }
    if (opt->resolve) {
        resolve = curl_slist_append(NULL, opt->resolve);
    }
    char error[CURL_ERROR_SIZE] = "";
    CURL *curl = curl_easy_init();
    CURLcode rc = curl ? CURLE_OK : CURLE_FAILED_INIT;
    if (rc == CURLE_OK) {
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, notice->body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)notice->len);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_answer);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &got);
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(curl, CURLOPT_USERAGENT, "konfirmado-payment-test");
        if (opt->cacert) {
            curl_easy_setopt(curl, CURLOPT_CAINFO, opt->cacert);
        }
        if (resolve) {
            curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
        }
        rc = curl_easy_perform(curl);
    }
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    }
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    if (rc != CURLE_OK) {
        fprintf(stderr, "konfirmado-payment-test: cannot post to %s: %s\n", url,
                *error ? error : curl_easy_strerror(rc));
        return 2;
    }
    *answer_text = got.text;
    return 0;
}

/* The payment's row into v (PAY_COLUMNS values, copied into p): 0, 1 when there is none, 2
 * on a database failure. */
static int load_payment(apr_pool_t *p, PGconn *conn, const char *booking, const char **v)
{
    const char *params[] = {booking};
    PGresult *res = PQexecParams(conn, PAYMENT_SQL, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != PAY_COLUMNS) {
        fprintf(stderr, "konfirmado-payment-test: %s", PQerrorMessage(conn));
        PQclear(res);
        return 2;
    }
    int found = PQntuples(res) == 1;
    for (int i = 0; found && i < PAY_COLUMNS; i++) {
        v[i] = PQgetisnull(res, 0, i) ? NULL : apr_pstrdup(p, PQgetvalue(res, 0, i));
    }
    PQclear(res);
    return found ? 0 : 1;
}

static void print_after(PGconn *conn, const char *reference)
{
    const char *params[] = {reference};
    PGresult *res = PQexecParams(conn, AFTER_SQL, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
        printf("payment %s is now %s; its booking is %s\n", reference, PQgetvalue(res, 0, 0),
               PQgetvalue(res, 0, 1));
    }
    PQclear(res);
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *p = NULL;
    if (apr_app_initialize(&argc, &argv, NULL) != APR_SUCCESS ||
        apr_pool_create(&p, NULL) != APR_SUCCESS) {
        return 2;
    }
    kf_keyring *ring = kf_keyring_make(p);
    post_options opt = {NULL, NULL};
    const char *positional[3] = {NULL, NULL, NULL};
    int npositional = 0, keys = 0, approved = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--decline") == 0) {
            approved = 0;
        }
        else if (strcmp(argv[i], "--cacert") == 0 && i + 1 < argc) {
            opt.cacert = argv[++i];
        }
        else if (strcmp(argv[i], "--resolve") == 0 && i + 1 < argc) {
            opt.resolve = argv[++i];
        }
        else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            unsigned char key[KF_KEY_LEN];
            const char *why = NULL;
            if (kf_key_load_file(p, argv[++i], key, &why) != APR_SUCCESS) {
                fprintf(stderr, "konfirmado-payment-test: %s\n", why ? why : "cannot load key");
                return 2;
            }
            apr_status_t rv = kf_keyring_add(ring, key, keys == 0);
            explicit_bzero(key, sizeof(key));
            if (rv != APR_SUCCESS) {
                fprintf(stderr, "konfirmado-payment-test: %s: two keys with one key id\n", argv[i]);
                return 2;
            }
            keys++;
        }
        else if (argv[i][0] == '-' || npositional == 3) {
            return usage();
        }
        else {
            positional[npositional++] = argv[i];
        }
    }
    if (npositional != 3 || keys == 0) {
        return usage();
    }
    const char *uri = positional[0], *site = positional[1], *booking = positional[2];

    PGconn *conn = PQconnectdb(uri);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "konfirmado-payment-test: cannot connect: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return 2;
    }
    const char *v[PAY_COLUMNS];
    int loaded = load_payment(p, conn, booking, v);
    if (loaded != 0) {
        if (loaded == 1) {
            fprintf(stderr, "konfirmado-payment-test: no payment of a booking or of a reference "
                            "%s (a free booking has none)\n", booking);
        }
        PQfinish(conn);
        return loaded == 1 ? 3 : 2;
    }
    const kf_payment_provider *prov = kf_payment_provider_find(v[PAY_PROVIDER]);
    const char *refused = kf_payment_trial_refusal(p, prov, v[PAY_PROVIDER], v[ACCOUNT_MODE],
                                                   v[ACCOUNT_SECRETS] != NULL, v[PAY_MODE],
                                                   v[PAY_STATUS]);
    if (refused) {
        fprintf(stderr, "konfirmado-payment-test: payment %s of %s: %s\n", v[PAY_REFERENCE],
                v[TENANT_NAME], refused);
        PQfinish(conn);
        return 3;
    }
    apr_time_t now = apr_time_now();
    const char *why = NULL;
    const kf_payment_account *acct =
        kf_payment_account_open(p, ring, v[PAY_TENANT], prov->name, v[ACCOUNT_MODE],
                                v[ACCOUNT_PUBLIC_KEY], v[ACCOUNT_SECRETS], NULL, now, &why);
    if (!acct) {
        fprintf(stderr, "konfirmado-payment-test: the %s secrets of %s %s\n", prov->label,
                v[TENANT_NAME], why ? why : "are missing");
        PQfinish(conn);
        return 2;
    }
    apr_uint32_t nonce = 0;
    if (kf_random_bytes(&nonce, sizeof(nonce)) != APR_SUCCESS) {
        PQfinish(conn);
        return 2;
    }
    kf_payment_trial trial = {
        .reference = v[PAY_REFERENCE],
        .amount = apr_atoi64(v[PAY_AMOUNT]),
        .currency = v[PAY_CURRENCY],
        .approved = approved,
        .transaction_id = kf_payment_trial_transaction_id(p, now, nonce),
        .now = now,
    };
    kf_payment_notice notice = {0};
    if (prov->trial_notice(p, acct, &trial, &notice, &why) != APR_SUCCESS) {
        fprintf(stderr, "konfirmado-payment-test: %s\n", why);
        PQfinish(conn);
        return 2;
    }
    const char *url = kf_payment_trial_webhook_url(p, site, prov);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        PQfinish(conn);
        return 2;
    }
    long status = 0;
    const char *answer = "";
    int failed = post_notice(p, url, &notice, &opt, &status, &answer);
    if (!failed) {
        printf("%s's signed %s notice of payment %s (%s %s, %s, test mode) posted to %s: "
               "%ld %s\n", prov->label, approved ? "approval" : "decline", trial.reference,
               kf_money_major(p, trial.amount, trial.currency), trial.currency, v[TENANT_NAME],
               url, status, answer);
        print_after(conn, trial.reference);
    }
    /* 200 "applied" or "duplicate": the server took it; anything else it refused */
    int taken = !failed && status == 200 &&
                (strstr(answer, "\"applied\"") || strstr(answer, "\"duplicate\""));
    curl_global_cleanup();
    PQfinish(conn);
    apr_pool_destroy(p);
    apr_terminate();
    return failed ? failed : taken ? 0 : 1;
}
