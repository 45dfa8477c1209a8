/* Outgoing mail, delivery: a mod_watchdog singleton callback (one child of an httpd runs
 * it at a time) that every second works through the due mails of mail_outbox. A run leases
 * up to MAIL_BATCH due mails in one statement (kf_mail_claim: several httpd servers on one
 * database never take the same mail; the businesses take turns) and gives its connection
 * back; then each mail goes through the server's transport (KonfirmadoMailTransport: SMTP,
 * Resend or a maildir, kf_mail_transport.h) while no pooled connection is held, and the
 * batch's outcomes are recorded on one connection taken for that (the pool's connections
 * are shared with the child's requests: taken once a batch, not once a mail, the job keeps
 * up with a busy server's queue): sent; or the error and its fault
 * (kf_mail_fault.h) with the next attempt scheduled by kf_mail_retry_delay; or failed, at
 * once when the recipient was refused (a bounce: the booking's deliveries show it) or after
 * KF_MAIL_GIVE_UP_AFTER_SEC. A full batch is followed by the next within the run's time.
 * A service that refuses us (a key wrong or revoked, a sender it does not take) keeps the
 * mail waiting, logged as an error for the operator, and the status page counts it.
 *
 * Delivery is at least once: a mail sent whose record is lost (the process dies before its
 * batch is recorded) is tried again when its lease ends; Resend, given the mail's id as
 * Idempotency-Key, does not send it twice. When only the database went away, the process remembers: what was sent
 * is recorded as sent, and what was leased and not sent is given back, at the first run the
 * database is back. */
#include "mod_kf_mail.h"
#include "mod_kf_messaging_conf.h"
#include "mod_kf_messaging_feature.h"
#include "mod_kf_provider_http.h"
#include "kf_crypto.h"
#include "kf_mail.h"
#include "kf_mail_transport.h"

#include "mod_kf_jobs.h"

#include <string.h>

#define MAIL_JOB_INTERVAL apr_time_from_sec(1)
#define MAIL_BATCH 10
/* A run sends batches of MAIL_BATCH mails while they come back full, and starts no more
 * after MAIL_RUN_BUDGET; the rest is released for the next run (a stopping child must not
 * wait on a long queue). */
#define MAIL_RUN_BUDGET apr_time_from_sec(20)
/* A leased mail is nobody else's this long: more than a whole run can take. */
#define MAIL_LEASE_SECONDS 300

typedef struct mail_job {
    server_rec *s;
    kf_mail_outlet outlet;       /* the transport's kind and what it reads */
    const char *from;            /* From header */
    const char *envelope_from;   /* its address, for MAIL FROM */
    const char *id_domain;       /* right-hand side of Message-IDs */
    int retry_base;
    /* The rows the run leased, for the sending that follows it (in the run's pool). */
    const char *const *claimed;  /* KF_OUTBOX_COLUMNS values per mail */
    int n_claimed;
    /* Touched only by this job's watchdog thread; live as long as the job. */
    kf_outbox_unrecorded unrecorded;   /* sent, the record lost with the database */
    kf_outbox_unrecorded unreleased;   /* leased and not sent, nothing recorded: given back
                                        * when the database returns, not after the lease */
} mail_job;

typedef enum { DELIVERED, FAILED, HELD, DB_FAILED } outcome;

/* Records a failed attempt and its fault: retried later, or given up when it has failed for
 * too long (or can never succeed). A service refusing us is the operator's to fix: an error. */
static outcome record_failure(mail_job *job, apr_pool_t *p, ap_dbd_t *db,
                              const kf_outbox_mail *m, const kf_mail_result *r)
{
    kf_outbox_failure f = kf_outbox_failed(p, m, r, job->retry_base);
    ap_log_error(APLOG_MARK, f.given_up || f.ours ? APLOG_ERR : APLOG_WARNING, 0, job->s, "%s",
                 f.line);
    const char *gone[] = {f.why, f.fault, m->id};
    const char *later[] = {f.why, f.fault, apr_itoa(p, f.delay), m->id};
    apr_status_t rv = f.given_up ? kfm_db_exec(NULL, db, "kf_mail_give_up", NULL, 3, gone)
                                 : kfm_db_exec(NULL, db, "kf_mail_retry_later", NULL, 4, later);
    return rv == APR_SUCCESS ? FAILED : DB_FAILED;
}

/* Records the mails sent while the database was away; 0, or -1 when it still fails. */
static int record_unrecorded(mail_job *job, ap_dbd_t *db)
{
    for (int i = 0; i < kf_outbox_unrecorded_count(&job->unrecorded); i++) {
        const char *args[] = {kf_outbox_unrecorded_id(&job->unrecorded, i)};
        if (kfm_db_exec(NULL, db, "kf_mail_sent", NULL, 1, args) != APR_SUCCESS) {
            return -1;
        }
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, job->s, "mail %s recorded as sent after the "
                     "database came back", args[0]);
    }
    kf_outbox_unrecorded_clear(&job->unrecorded);
    return 0;
}

/* Gives back the mails leased when the database went away, so that they go as soon as it
 * is back rather than when their lease ends; 0, or -1 when it still fails. */
static int release_unreleased(mail_job *job, ap_dbd_t *db)
{
    for (int i = 0; i < kf_outbox_unrecorded_count(&job->unreleased); i++) {
        const char *args[] = {kf_outbox_unrecorded_id(&job->unreleased, i)};
        if (kfm_db_exec(NULL, db, "kf_mail_release", NULL, 1, args) != APR_SUCCESS) {
            return -1;
        }
    }
    kf_outbox_unrecorded_clear(&job->unreleased);
    return 0;
}

/* Keeps the leased mails of rows [from, n) for release_unreleased. */
static void keep_unreleased(mail_job *job, int from, int n)
{
    for (int i = from; i < n; i++) {
        kf_outbox_unrecorded_add(&job->unreleased,
                                 job->claimed[i * KF_OUTBOX_COLUMNS + KF_OUTBOX_COL_ID]);
    }
}

/* The server's transport, for one run (its pool). */
static const kf_mail_transport *transport_of(mail_job *job, apr_pool_t *p)
{
    kfm_ctx c = kfm_ctx_of_job(job->s, p);
    return kf_mail_outlet_open(p, &job->outlet,
                               job->outlet.kind->url_name ? kfm_provider_http(&c) : NULL,
                               job->id_domain);
}

/* Records what sending one mail came to on db. */
static outcome record(mail_job *job, apr_pool_t *p, ap_dbd_t *db, const kf_mail_transport *t,
                      const kf_outbox_mail *m, const kf_mail_result *r)
{
    kf_mail_verdict verdict = kf_mail_fault_verdict(r->fault);
    if (verdict != KF_MAIL_SENT) {
        outcome o = record_failure(job, p, db, m, r);
        return o == FAILED && verdict == KF_MAIL_HOLD ? HELD : o;
    }
    const char *args[] = {m->id};
    if (kfm_db_exec(NULL, db, "kf_mail_sent", NULL, 1, args) != APR_SUCCESS) {
        kf_outbox_unrecorded_add(&job->unrecorded, m->id);
        return DB_FAILED;
    }
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, job->s, "%s", kf_outbox_sent_line(p, t, m, r));
    return DELIVERED;
}

/* Leases up to MAIL_BATCH due mails on db for sending (job->claimed, in p): how many, or -1
 * when the database failed. */
static int lease_due_mails(mail_job *job, apr_pool_t *p, ap_dbd_t *db)
{
    job->claimed = NULL;
    job->n_claimed = 0;
    kfm_rows *res = NULL;
    const char *batch = apr_itoa(p, MAIL_BATCH);
    const char *args[] = {batch, batch, apr_itoa(p, MAIL_LEASE_SECONDS)};
    if (kfm_db_select(NULL, db, "kf_mail_claim", &res, 3, args) != APR_SUCCESS) {
        return -1;
    }
    int n = kfm_db_rows(db, res);
    const char **rows = apr_pcalloc(p, sizeof(*rows) * (apr_size_t)(n ? n : 1) * KF_OUTBOX_COLUMNS);
    for (int i = 0; i < n; i++) {
        kfm_db_row(db, p, res, i, rows + (apr_size_t)i * KF_OUTBOX_COLUMNS, KF_OUTBOX_COLUMNS);
    }
    job->claimed = rows;
    job->n_claimed = n;
    return n;
}

/* The outcomes of a batch's first `tried` mails that db could not record from mail
 * `from` on, kept for the first run the database is back: each one sent as sent, each one
 * not sent given back, and so the batch's untried rest. */
static void keep_unrecorded(mail_job *job, const kf_outbox_mail *mails,
                            const kf_mail_result *results, int from, int tried)
{
    for (int i = from; i < tried; i++) {
        if (results[i].fault == KF_MAIL_FAULT_NONE) {
            kf_outbox_unrecorded_add(&job->unrecorded, mails[i].id);
        }
        else {
            keep_unreleased(job, i, i + 1);
        }
    }
    keep_unreleased(job, tried, job->n_claimed);
}

/* Records the outcomes of the batch's first `tried` mails on db and gives its untried rest
 * back for the next run. 0, or -1 when the database failed (what it did not take is kept:
 * keep_unrecorded). */
static int record_batch(mail_job *job, apr_pool_t *p, ap_dbd_t *db, const kf_mail_transport *t,
                        const kf_outbox_mail *mails, const kf_mail_result *results, int tried)
{
    for (int i = 0; i < tried; i++) {
        outcome o = record(job, p, db, t, &mails[i], &results[i]);
        if (o == DB_FAILED) {
            /* record() kept a sent one itself */
            keep_unrecorded(job, mails, results, results[i].fault == KF_MAIL_FAULT_NONE ? i + 1 : i,
                            tried);
            return -1;
        }
    }
    for (int i = tried; i < job->n_claimed; i++) {
        const char *args[] = {job->claimed[i * KF_OUTBOX_COLUMNS + KF_OUTBOX_COL_ID]};
        if (kfm_db_exec(NULL, db, "kf_mail_release", NULL, 1, args) != APR_SUCCESS) {
            keep_unreleased(job, i, job->n_claimed);
            return -1;
        }
    }
    return 0;
}

/* Sends the leased batch, then records what each mail came to on one connection taken for
 * that (a connection a child's requests share is taken once a batch, not once a mail). The
 * batch stops early for the run's time or a service holding mail: its rest is given back.
 * *whole says whether every one of them went. How many were handled, or -1 when the
 * database failed. */
static int send_batch(mail_job *job, apr_pool_t *p, const kf_mail_transport *t,
                      apr_time_t start, int *whole)
{
    int n = job->n_claimed, tried = 0, held = 0;
    kf_outbox_mail *mails = apr_pcalloc(p, sizeof(*mails) * (apr_size_t)(n ? n : 1));
    kf_mail_result *results = apr_pcalloc(p, sizeof(*results) * (apr_size_t)(n ? n : 1));
    while (tried < n && !held && apr_time_now() - start < MAIL_RUN_BUDGET) {
        const char *const *row = job->claimed + (apr_size_t)tried * KF_OUTBOX_COLUMNS;
        results[tried] = kf_outbox_send(t, p, kfm_conf_get(job->s)->keyring, row, job->from,
                                        job->envelope_from, job->id_domain, &mails[tried]);
        /* the service takes none now: the rest wait for a later run */
        held = kf_mail_fault_verdict(results[tried].fault) == KF_MAIL_HOLD;
        tried++;
    }
    *whole = tried == n && !held;
    ap_dbd_t *db = NULL;
    if (kfm_db_open(job->s, p, &db) != KFM_DB_OK) {
        keep_unrecorded(job, mails, results, 0, tried);
        return -1;
    }
    int rv = record_batch(job, p, db, t, mails, results, tried);
    kfm_db_close(job->s, db);
    return rv < 0 ? -1 : tried;
}

/* After the run (kfm_job_after_fn): the leased batch sent; while batches come back full and
 * the run has time, the next one is leased and sent too, so that a queue of hundreds goes
 * out in seconds rather than MAIL_BATCH a second (a stopping process leases no more:
 * kfm_db_open refuses it). How many were handled, or -1 when the database failed. */
static int send_claimed(server_rec *s, apr_pool_t *p, void *data)
{
    mail_job *job = data;
    (void)s;
    apr_time_t start = apr_time_now();
    const kf_mail_transport *t = transport_of(job, p);
    int handled = 0, whole = 0;
    apr_pool_t *batch = NULL;
    for (;;) {
        int full = job->n_claimed == MAIL_BATCH;
        int sent = send_batch(job, batch ? batch : p, t, start, &whole);
        if (sent < 0) {
            handled = -1;
            break;
        }
        handled += sent;
        ap_dbd_t *db = NULL;
        if (!whole || !full || apr_time_now() - start >= MAIL_RUN_BUDGET ||
            kfm_db_open(job->s, p, &db) != KFM_DB_OK) {
            break;
        }
        if (batch) {
            apr_pool_clear(batch);
        }
        else {
            apr_pool_create(&batch, p);
        }
        int leased = lease_due_mails(job, batch, db);
        kfm_db_close(job->s, db);
        if (leased <= 0) {
            break;
        }
    }
    job->claimed = NULL;
    job->n_claimed = 0;
    if (batch) {
        apr_pool_destroy(batch);
    }
    return handled;
}

/* One run of the job (kfm_db_job_fn): the mails sent while the database was away recorded,
 * then up to MAIL_BATCH due mails leased for send_claimed. How many, or -1 when the database
 * failed. */
static int claim_due_mails(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    mail_job *job = data;
    (void)s;
    job->claimed = NULL;
    job->n_claimed = 0;
    if (record_unrecorded(job, db) < 0 || release_unreleased(job, db) < 0) {
        return -1;
    }
    return lease_due_mails(job, p, db);
}

/* The transport's startup: OK when mail can leave, or is knowingly only queued. */
static int transport_ready(mail_job *job, const kfm_messaging_conf *mc,
                           const kfm_server_conf *c)
{
    server_rec *s = job->s;
    kfm_mail_transport_conf transport = kfm_messaging_conf_mail_transport(mc);
    int ready = kf_mail_outlet_of(transport.kind, transport.path, kfm_messaging_conf_mail_url(mc),
                                  kfm_messaging_conf_resend_key(mc), c->provider_urls,
                                  &job->outlet);
    if (job->outlet.kind && !job->outlet.kind->sends) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, "mod_konfirmado: mail of %s is written "
                     "into %s and never sent", s->server_hostname, transport.path);
    }
    return ready ? OK : DECLINED;
}

int kfm_mail_jobs_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    const kfm_server_conf *c = kfm_conf_get(s);
    const kfm_messaging_conf *mc = kfm_messaging_conf_of(s);
    mail_job *job = apr_pcalloc(pconf, sizeof(*job));
    job->s = s;
    /* Mail is always queued in the database; it is delivered only with a way out. */
    if (transport_ready(job, mc, c) == DECLINED) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, "mod_konfirmado: KonfirmadoMailURL is not "
                     "set for %s: mail is queued in the database but not sent", s->server_hostname);
        return OK;
    }
    job->retry_base = kfm_messaging_conf_mail_retry_base(mc);
    if (kf_mail_sender(pconf, kfm_messaging_conf_mail_from(mc), kfm_conf_base_domain(c),
                       &job->from, &job->envelope_from, &job->id_domain) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s,
                     "mod_konfirmado: KonfirmadoMailFrom '%s' is not a mailbox such as "
                     "\"Konfirmado <no-reply@example.com>\"", job->from);
        return !OK;
    }

    return kfm_db_job_setup_after(pconf, s, instance, "mail delivery", MAIL_JOB_INTERVAL,
                                  claim_due_mails, send_claimed, job, NULL);
}
