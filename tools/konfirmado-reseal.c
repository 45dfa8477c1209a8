/* konfirmado-reseal: re-seals every stored secret under a new key, so that the key given by
 * KonfirmadoKeyFile can be rotated without losing a secret or a queued mail.
 *
 *   konfirmado-reseal [--dry-run] --server-status PAGE [--server-status ...]
 *                     --key NEW.key --key OLD.key [--key ...] POSTGRES_URI
 *   konfirmado-reseal --list      the sealed columns it re-seals, one table.column a line
 *
 * The first --key seals (it must be the first KonfirmadoKeyFile of the server too); every
 * --key opens, by the key id stored with each ciphertext. Rotation: create the new key, put
 * it first in KonfirmadoKeyFile (the old one after it) and reload Apache, run this, then drop
 * the old key from the configuration. Each PAGE is the status page of a running server as
 * the operator's client fetched it (a file, or - for standard input): unless every virtual
 * host it names seals with the first --key, nothing is re-sealed (exit status 3), since the
 * server could not open what this would write, or would go on sealing under the old key.
 * Each value is written only if it is still the one read
 * (a concurrent change wins), so it is safe while the server runs, and running it twice
 * changes nothing the second time. A value no given key opens is reported and left as it is
 * (exit status 1). No secret is ever printed.
 */
#include "kf_crypto.h"
#include "kf_mail.h"
#include "kf_reservation.h"
#include "kf_tenant_rules.h"
#include "kf_twilio.h"
#include "kf_calendar.h"
#include "kf_purchase.h"
#include "kf_preferences.h"
#include "kf_status_keys.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <libpq-fe.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct column {
    const char *what;         /* for the report */
    const char *select;       /* id, aad part, sealed value */
    const char *update;       /* $1 new value, $2 id, $3 old value */
    int aad_kind;             /* how the aad is made from the second column */
} column;

enum {
    AAD_TENANT, AAD_PROVIDER, AAD_MAIL, AAD_MESSAGE, AAD_MANAGE, AAD_CAL_SECRET, AAD_CAL_ACCESS,
    AAD_CAL_CHANNEL, AAD_CAL_STATE, AAD_CAL_VERIFIER, AAD_PURCHASE, AAD_UNSUBSCRIBE,
    AAD_CAL_SECRET_OF,         /* a calendar secret kept elsewhere: its professional is the part */
    AAD_CAL_CHANNEL_OF         /* a channel secret kept elsewhere: its professional is the part */
};

static const column columns[] = {
    {"tenants.callback_secret_sealed",
     "SELECT id::text, id::text, callback_secret_sealed FROM tenants"
     " WHERE callback_secret_sealed IS NOT NULL",
     "UPDATE tenants SET callback_secret_sealed = $1 WHERE id = $2::uuid"
     " AND callback_secret_sealed = $3", AAD_TENANT},
    {"tenant_payment_settings.secrets_sealed",
     "SELECT tenant_id::text || ' ' || provider, provider, secrets_sealed"
     " FROM tenant_payment_settings",
     "UPDATE tenant_payment_settings SET secrets_sealed = $1"
     " WHERE tenant_id::text || ' ' || provider = $2 AND secrets_sealed = $3", AAD_PROVIDER},
    /* queued mail only: a sent mail's bodies are emptied. body_text holds the bodies and
     * invite packed as one value (kf_mail.h); body_html and calendar hold sealed values only
     * in rows queued before that, each body sealed alone */
    {"mail_outbox.body_text",
     "SELECT id::text, '', body_text FROM mail_outbox WHERE body_text LIKE 'v1.%'",
     "UPDATE mail_outbox SET body_text = $1 WHERE id = $2::uuid AND body_text = $3", AAD_MAIL},
    {"mail_outbox.body_html",
     "SELECT id::text, '', body_html FROM mail_outbox WHERE body_html LIKE 'v1.%'",
     "UPDATE mail_outbox SET body_html = $1 WHERE id = $2::uuid AND body_html = $3", AAD_MAIL},
    {"mail_outbox.calendar",
     "SELECT id::text, '', calendar FROM mail_outbox WHERE calendar LIKE 'v1.%'",
     "UPDATE mail_outbox SET calendar = $1 WHERE id = $2::uuid AND calendar = $3", AAD_MAIL},
    {"tenant_messaging_settings.secrets_sealed",
     "SELECT tenant_id::text || ' ' || provider, provider, secrets_sealed"
     " FROM tenant_messaging_settings",
     "UPDATE tenant_messaging_settings SET secrets_sealed = $1"
     " WHERE tenant_id::text || ' ' || provider = $2 AND secrets_sealed = $3", AAD_PROVIDER},
    /* queued texts only: a settled one's body is emptied */
    {"message_outbox.body_sealed",
     "SELECT id::text, '', body_sealed FROM message_outbox WHERE body_sealed LIKE 'v1.%'",
     "UPDATE message_outbox SET body_sealed = $1 WHERE id = $2::uuid AND body_sealed = $3",
     AAD_MESSAGE},
    {"reservations.manage_token_sealed",
     "SELECT id::text, '', manage_token_sealed FROM reservations"
     " WHERE manage_token_sealed IS NOT NULL",
     "UPDATE reservations SET manage_token_sealed = $1 WHERE id = $2::uuid"
     " AND manage_token_sealed = $3", AAD_MANAGE},
    /* professionals' calendars: refresh token, API key or app password, access token,
     * channel secret */
    {"calendar_connections.secret_sealed",
     "SELECT professional_id::text, '', secret_sealed FROM calendar_connections",
     "UPDATE calendar_connections SET secret_sealed = $1 WHERE professional_id = $2::uuid"
     " AND secret_sealed = $3", AAD_CAL_SECRET},
    /* a replaced connection's secret, kept until the events left in its calendar are gone */
    {"calendar_orphans.secret_sealed",
     "SELECT id::text, professional_id::text, secret_sealed FROM calendar_orphans"
     " WHERE secret_sealed IS NOT NULL",
     "UPDATE calendar_orphans SET secret_sealed = $1 WHERE id = $2::uuid"
     " AND secret_sealed = $3", AAD_CAL_SECRET_OF},
    {"calendar_connections.access_sealed",
     "SELECT professional_id::text, '', access_sealed FROM calendar_connections"
     " WHERE access_sealed IS NOT NULL",
     "UPDATE calendar_connections SET access_sealed = $1 WHERE professional_id = $2::uuid"
     " AND access_sealed = $3", AAD_CAL_ACCESS},
    {"calendar_connections.channel_secret_sealed",
     "SELECT professional_id::text, '', channel_secret_sealed FROM calendar_connections"
     " WHERE channel_secret_sealed IS NOT NULL",
     "UPDATE calendar_connections SET channel_secret_sealed = $1"
     " WHERE professional_id = $2::uuid AND channel_secret_sealed = $3", AAD_CAL_CHANNEL},
    /* the channels of the other calendars that block, each under its own id */
    {"calendar_choices.channel_secret_sealed",
     "SELECT channel_id, professional_id::text, channel_secret_sealed FROM calendar_choices"
     " WHERE channel_secret_sealed IS NOT NULL AND channel_id IS NOT NULL",
     "UPDATE calendar_choices SET channel_secret_sealed = $1 WHERE channel_id = $2"
     " AND channel_secret_sealed = $3", AAD_CAL_CHANNEL_OF},
    {"calendar_oauth_states.invitation_sealed",
     "SELECT state_hash, '', invitation_sealed FROM calendar_oauth_states"
     " WHERE used_at IS NULL AND expires_at > now()",
     "UPDATE calendar_oauth_states SET invitation_sealed = $1 WHERE state_hash = $2"
     " AND invitation_sealed = $3", AAD_CAL_STATE},
    /* an OAuth round trip's PKCE verifier, beside its invitation */
    {"calendar_oauth_states.verifier_sealed",
     "SELECT state_hash, '', verifier_sealed FROM calendar_oauth_states"
     " WHERE verifier_sealed IS NOT NULL AND used_at IS NULL AND expires_at > now()",
     "UPDATE calendar_oauth_states SET verifier_sealed = $1 WHERE state_hash = $2"
     " AND verifier_sealed = $3", AAD_CAL_VERIFIER},
    /* a package purchase's token: its mails' link to the purchase */
    {"purchases.token_sealed",
     "SELECT id::text, '', token_sealed FROM purchases WHERE token_sealed IS NOT NULL",
     "UPDATE purchases SET token_sealed = $1 WHERE id = $2::uuid AND token_sealed = $3",
     AAD_PURCHASE},
    /* a customer's unsubscribe token: the link of their reminder mails (its check is a hash,
     * so links already sent open anyway; this keeps later mails carrying the same link) */
    {"customer_preferences.unsubscribe_token_sealed",
     "SELECT id::text, '', unsubscribe_token_sealed FROM customer_preferences"
     " WHERE unsubscribe_token_sealed IS NOT NULL",
     "UPDATE customer_preferences SET unsubscribe_token_sealed = $1 WHERE id = $2::uuid"
     " AND unsubscribe_token_sealed = $3", AAD_UNSUBSCRIBE},
};

static int usage(void)
{
    fprintf(stderr, "usage: konfirmado-reseal [--dry-run] --server-status PAGE [--server-status ...] "
                    "--key NEW.key [--key OLD.key ...] postgresql://user@host/db?passfile=FILE\n"
                    "       konfirmado-reseal --list\n");
    return 2;
}

/* A status page's text as the operator's client saved it (- : standard input), at most 4 MiB;
 * NULL with errno's reason when it cannot be read. */
static const char *read_page(apr_pool_t *p, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        return NULL;
    }
    enum { LIMIT = 4 * 1024 * 1024 };
    char *text = apr_palloc(p, LIMIT + 1);
    size_t n = fread(text, 1, LIMIT, f);
    int failed = ferror(f);
    if (f != stdin) {
        fclose(f);
    }
    if (failed) {
        return NULL;
    }
    text[n] = '\0';
    return text;
}

/* Whether every server the pages name seals with the new key: 0, or 2 (a page that cannot be
 * read) or 3 (refused), said on stderr. */
static int check_servers(apr_pool_t *p, const apr_array_header_t *pages, const char *new_kid)
{
    for (int i = 0; i < pages->nelts; i++) {
        const char *path = APR_ARRAY_IDX(pages, i, const char *);
        const char *text = read_page(p, path);
        if (!text) {
            fprintf(stderr, "konfirmado-reseal: cannot read the status page %s: %s\n", path,
                    strerror(errno));
            return 2;
        }
        const apr_array_header_t *keys = kf_status_keys_read(p, text);
        const char *refused = kf_status_keys_refusal(p, keys, new_kid);
        if (refused) {
            fprintf(stderr, "konfirmado-reseal: refused, nothing was re-sealed: status page %s: "
                            "%s\n", path, refused);
            return 3;
        }
        for (int k = 0; k < keys->nelts; k++) {
            const kf_status_key *key = &APR_ARRAY_IDX(keys, k, kf_status_key);
            if (key->sealing) {
                printf("the running server %s seals with key %s\n", key->server, key->kid);
            }
        }
    }
    return 0;
}

static const char *aad_of(apr_pool_t *p, const column *c, const char *id, const char *part)
{
    switch (c->aad_kind) {
    case AAD_TENANT:
        return kf_callback_secret_aad(p, id);
    case AAD_PROVIDER: {
        const char *space = strchr(id, ' ');
        const char *tenant = space ? apr_pstrmemdup(p, id, (apr_size_t)(space - id)) : id;
        return kf_provider_secrets_aad(p, tenant, part);
    }
    case AAD_MESSAGE:
        return KF_MESSAGE_BODY_AAD;
    case AAD_MANAGE:
        return kf_manage_token_aad(p, id);
    case AAD_CAL_SECRET:
        return kf_calendar_secret_aad(p, id);
    case AAD_CAL_SECRET_OF:
        return kf_calendar_secret_aad(p, part);
    case AAD_CAL_ACCESS:
        return kf_calendar_access_aad(p, id);
    case AAD_CAL_CHANNEL:
        return kf_calendar_channel_aad(p, id);
    case AAD_CAL_CHANNEL_OF:
        return kf_calendar_channel_aad(p, part);
    case AAD_CAL_STATE:
        return KF_CALENDAR_STATE_INVITATION_AAD;
    case AAD_CAL_VERIFIER:
        return KF_CALENDAR_STATE_VERIFIER_AAD;
    case AAD_PURCHASE:
        return kf_purchase_token_aad(p, id);
    case AAD_UNSUBSCRIBE:
        return kf_unsubscribe_token_aad(p, id);
    default:
        return KF_MAIL_BODY_AAD;
    }
}

/* Returns the number of values that do not open (0 when all is well), or -1 on a database
 * failure. */
static int reseal_column(apr_pool_t *p, PGconn *conn, const kf_keyring *ring, const column *c,
                         int dry_run)
{
    PGresult *res = PQexec(conn, c->select);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(stderr, "konfirmado-reseal: %s: %s", c->what, PQerrorMessage(conn));
        PQclear(res);
        return -1;
    }
    int rows = PQntuples(res), resealed = 0, current = 0, changed = 0, unopened = 0;
    for (int i = 0; i < rows; i++) {
        apr_pool_t *row = NULL;
        apr_pool_create(&row, p);
        const char *id = PQgetvalue(res, i, 0), *sealed = PQgetvalue(res, i, 2);
        const char *fresh = NULL;
        apr_status_t rv = kf_reseal(row, ring, sealed, aad_of(row, c, id, PQgetvalue(res, i, 1)),
                                    &fresh);
        if (rv != APR_SUCCESS) {
            fprintf(stderr, "konfirmado-reseal: %s %s does not open: %s%s\n", c->what, id,
                    kf_crypto_strerror(rv),
                    rv == KF_CRYPTO_EUNKNOWNKEY ? " (give the key that sealed it with --key)" : "");
            unopened++;
        }
        else if (!fresh) {
            current++;
        }
        else if (!dry_run) {
            const char *params[] = {fresh, id, sealed};
            PGresult *up = PQexecParams(conn, c->update, 3, NULL, params, NULL, NULL, 0);
            if (PQresultStatus(up) != PGRES_COMMAND_OK) {
                fprintf(stderr, "konfirmado-reseal: %s %s: %s", c->what, id, PQerrorMessage(conn));
                PQclear(up);
                PQclear(res);
                apr_pool_destroy(row);
                return -1;
            }
            if (atoi(PQcmdTuples(up)) == 1) {
                resealed++;
            }
            else {
                changed++;         /* changed meanwhile: written by the server, current key */
            }
            PQclear(up);
        }
        else {
            resealed++;
        }
        apr_pool_destroy(row);
    }
    PQclear(res);
    printf("%s: %d %s, %d already under the new key, %d changed meanwhile, %d not opened\n",
           c->what, resealed, dry_run ? "to re-seal" : "re-sealed", current, changed, unopened);
    return unopened;
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *p = NULL;
    if (apr_app_initialize(&argc, &argv, NULL) != APR_SUCCESS ||
        apr_pool_create(&p, NULL) != APR_SUCCESS) {
        return 2;
    }
    kf_keyring *ring = kf_keyring_make(p);
    apr_array_header_t *pages = apr_array_make(p, 2, sizeof(const char *));
    const char *uri = NULL;
    int dry_run = 0, keys = 0;
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t c = 0; c < sizeof(columns) / sizeof(columns[0]); c++) {
            printf("%s\n", columns[c].what);
        }
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0) {
            dry_run = 1;
        }
        else if (strcmp(argv[i], "--server-status") == 0 && i + 1 < argc) {
            APR_ARRAY_PUSH(pages, const char *) = argv[++i];
        }
        else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            unsigned char key[KF_KEY_LEN];
            const char *why = NULL;
            if (kf_key_load_file(p, argv[++i], key, &why) != APR_SUCCESS) {
                fprintf(stderr, "konfirmado-reseal: %s\n", why ? why : "cannot load key");
                return 2;
            }
            apr_status_t rv = kf_keyring_add(ring, key, keys == 0);
            explicit_bzero(key, sizeof(key));
            if (rv != APR_SUCCESS) {
                fprintf(stderr, "konfirmado-reseal: %s: two keys with one key id\n", argv[i]);
                return 2;
            }
            keys++;
        }
        else if (argv[i][0] == '-' || uri) {
            return usage();
        }
        else {
            uri = argv[i];
        }
    }
    if (!uri || keys == 0) {
        return usage();
    }
    if (pages->nelts == 0) {
        fprintf(stderr, "konfirmado-reseal: give the status page of every running server with "
                        "--server-status (docs/operating.md, \"Key rotation\"): nothing is "
                        "re-sealed before they all seal with the first --key\n");
        return 2;
    }
    int refused = check_servers(p, pages, kf_keyring_primary_kid(ring));
    if (refused) {
        return refused;
    }
    PGconn *conn = PQconnectdb(uri);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "konfirmado-reseal: cannot connect: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return 2;
    }
    printf("new key id %s%s\n", kf_keyring_primary_kid(ring), dry_run ? " (dry run)" : "");
    int unopened = 0, failed = 0;
    for (size_t c = 0; c < sizeof(columns) / sizeof(columns[0]); c++) {
        int n = reseal_column(p, conn, ring, &columns[c], dry_run);
        if (n < 0) {
            failed = 1;
            break;
        }
        unopened += n;
    }
    PQfinish(conn);
    apr_pool_destroy(p);
    apr_terminate();
    return failed ? 2 : unopened ? 1 : 0;
}
