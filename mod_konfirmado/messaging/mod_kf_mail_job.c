/* Outgoing mail, delivery: a mod_watchdog singleton callback (one child of an httpd runs
 * it at a time) that ten times a second works through the due mails of mail_outbox. A run leases
 * up to MAIL_BATCH due mails in one statement (kf_mail_claim: several httpd servers on one
 * database never take the same mail; the businesses take turns) and gives its connection
 * back; then the batch's mails go through the server's transport (KonfirmadoMailTransport:
 * SMTP, Resend or a maildir, kf_mail_transport.h) on KF_MAIL_SENDERS connections at once
 * (kf_mail_senders.h; one after the other under prefork) while no pooled connection is held,
 * and the batch's outcomes are recorded on one connection taken for that (the pool's
 * connections are shared with the child's requests: taken once a batch, not once a mail, the
 * job keeps up with a busy server's queue): the mails sent, in one statement; each other's
 * error and its fault
 * (kf_mail_fault.h) with the next attempt scheduled by kf_mail_retry_delay; or failed, at
 * once when the recipient was refused (a bounce: the booking's deliveries show it) or after
 * KF_MAIL_GIVE_UP_AFTER_SEC. A full batch is followed by the next within the run's time.
 * A service that refuses us (a key wrong or revoked, a sender it does not take) keeps the
 * mail waiting, logged as an error for the operator, and the status page counts it.
 *
 * Delivery is at least once: a mail sent whose record is lost (the process dies before its
 * batch is recorded) is tried again when its lease ends; Resend, given the mail's id as
 * Idempotency-Key, does not send it twice. When only the database went away, the process
 * remembers: what was sent is recorded as sent, and what was leased and not sent is given
 * back, at the first run the database is back. */
#include "mod_kf_mail.h"
#include "mod_kf_messaging_conf.h"
#include "mod_kf_messaging_feature.h"
#include "mod_kf_provider_http.h"
#include "kf_crypto.h"
#include "kf_mail.h"
#include "kf_mail_transport.h"
#include "kf_mail_senders.h"
#include "kf_text.h"

#include "mod_kf_jobs.h"

#include <string.h>

/* Ten times a second (mod_watchdog's time slice), as the callbacks: a busy server's mails go
 * out in small batches as they come rather than in one burst a second, which took both cores
 * for a moment and held the payments' answers behind it (their p99 at half the maximum 25-62
 * ms against 17-23 ms in paired rounds). A run with nothing due costs a few index probes. */
#define MAIL_JOB_INTERVAL apr_time_from_msec(100)
/* Ten mails for each sender: a batch is recorded once every sender is done with it, so each
 * takes several before the slowest one's last mail holds the others back. */
#define MAIL_BATCH (10 * KF_MAIL_SENDERS)
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
    kf_mail_senders *senders;          /* made by the first run, in the child that runs it */
} mail_job;

/* Records a failed attempt and its fault: retried later, or given up when it has failed for
 * too long (or can never succeed). A service refusing us is the operator's to fix: an error.
 * APR_SUCCESS, or the database failed. */
static apr_status_t record_failure(mail_job *job, apr_pool_t *p, ap_dbd_t *db,
                                   const kf_outbox_mail *m, const kf_mail_result *r)
{
    kf_outbox_failure f = kf_outbox_failed(p, m, r, job->retry_base);
    ap_log_error(APLOG_MARK, f.given_up || f.ours ? APLOG_ERR : APLOG_WARNING, 0, job->s, "%s",
                 f.line);
    const char *gone[] = {f.why, f.fault, m->id};
    const char *later[] = {f.why, f.fault, apr_itoa(p, f.delay), m->id};
    return f.given_up ? kfm_db_exec(NULL, db, "kf_mail_give_up", NULL, 3, gone)
                      : kfm_db_exec(NULL, db, "kf_mail_retry_later", NULL, 4, later);
}

/* Runs `label` (kf_mail_sent, kf_mail_release) for the ids kept in u, in one statement, and
 * forgets them; 0, or -1 when it still fails. */
static int settle_kept(ap_dbd_t *db, apr_pool_t *p, const char *label, kf_outbox_unrecorded *u)
{
    if (kf_outbox_unrecorded_count(u) == 0) {
        return 0;
    }
    const char *args[] = {kf_pg_array(p, u->ids)};
    if (kfm_db_exec(NULL, db, label, NULL, 1, args) != APR_SUCCESS) {
        return -1;
    }
    kf_outbox_unrecorded_clear(u);
    return 0;
}

/* Records the mails sent while the database was away, and gives back the ones leased then,
 * so that they go as soon as it is back rather than when their lease ends; 0, or -1 when it
 * still fails. */
static int settle_what_the_outage_left(mail_job *job, apr_pool_t *p, ap_dbd_t *db)
{
    int sent = kf_outbox_unrecorded_count(&job->unrecorded);
    if (settle_kept(db, p, "kf_mail_sent", &job->unrecorded) < 0) {
        return -1;
    }
    if (sent > 0) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, job->s, "%d mail(s) recorded as sent after the "
                     "database came back", sent);
    }
    return settle_kept(db, p, "kf_mail_release", &job->unreleased);
}

/* Keeps the leased mails of rows [from, n) for settle_what_the_outage_left. */
static void keep_unreleased(mail_job *job, int from, int n)
{
    for (int i = from; i < n; i++) {
        kf_outbox_unrecorded_add(&job->unreleased,
                                 job->claimed[i * KF_OUTBOX_COLUMNS + KF_OUTBOX_COL_ID]);
    }
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

/* What a batch's sending left, mail by mail: the row as a mail, the transport's answer, the
 * transport that sent it (its name for the log), and whether it was tried at all. */
typedef struct batch_sent {
    mail_job *job;
    kf_outbox_mail *mails;
    kf_mail_result *results;
    const kf_mail_transport **via;
    char *tried;
    int sent_recorded;             /* the sent ones' record is in */
} batch_sent;

static int sent_ok(const batch_sent *b, int i)
{
    return b->tried[i] && b->results[i].fault == KF_MAIL_FAULT_NONE;
}

/* What the database did not take of the batch, kept for the first run it is back: the sent
 * mails to be recorded as sent (unless that record is in), and from mail `from` on, each
 * one not sent (or not tried) to be given back. */
static void keep_unrecorded(batch_sent *b, int from)
{
    for (int i = 0; i < b->job->n_claimed; i++) {
        if (sent_ok(b, i)) {
            if (!b->sent_recorded) {
                kf_outbox_unrecorded_add(&b->job->unrecorded, b->mails[i].id);
            }
        }
        else if (i >= from) {
            keep_unreleased(b->job, i, i + 1);
        }
    }
}

/* The ids of the batch's mails sent (`sent`), or else of those not tried, as a uuid[]
 * literal; NULL when there are none. */
static const char *ids_of(const batch_sent *b, apr_pool_t *p, int sent)
{
    apr_array_header_t *ids = apr_array_make(p, b->job->n_claimed, sizeof(const char *));
    for (int i = 0; i < b->job->n_claimed; i++) {
        if (sent ? sent_ok(b, i) : !b->tried[i]) {
            APR_ARRAY_PUSH(ids, const char *) =
                b->job->claimed[i * KF_OUTBOX_COLUMNS + KF_OUTBOX_COL_ID];
        }
    }
    return ids->nelts ? kf_pg_array(p, ids) : NULL;
}

/* Records the batch on db: the mails sent in one statement, each failure with its fault,
 * and the ones not tried given back (in one statement) for the next run. 0, or -1 when the
 * database failed (what it did not take is kept: keep_unrecorded). */
static int record_batch(mail_job *job, apr_pool_t *p, ap_dbd_t *db, batch_sent *b)
{
    const char *sent[] = {ids_of(b, p, 1)};
    if (sent[0] && kfm_db_exec(NULL, db, "kf_mail_sent", NULL, 1, sent) != APR_SUCCESS) {
        keep_unrecorded(b, 0);
        return -1;
    }
    b->sent_recorded = 1;
    for (int i = 0; i < job->n_claimed; i++) {
        if (sent_ok(b, i)) {
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, job->s, "%s",
                         kf_outbox_sent_line(p, b->via[i], &b->mails[i], &b->results[i]));
        }
        else if (b->tried[i] &&
                 record_failure(job, p, db, &b->mails[i], &b->results[i]) != APR_SUCCESS) {
            keep_unrecorded(b, i);
            return -1;
        }
    }
    const char *untried[] = {ids_of(b, p, 0)};
    if (untried[0] && kfm_db_exec(NULL, db, "kf_mail_release", NULL, 1, untried) != APR_SUCCESS) {
        for (int i = 0; i < job->n_claimed; i++) {
            if (!b->tried[i]) {
                keep_unreleased(job, i, i + 1);
            }
        }
        return -1;
    }
    return 0;
}

/* One mail of the leased batch, on a sender's thread (kf_mail_senders_send_fn): nonzero when
 * the service holds mail for now. */
static int send_one(const kf_mail_transport *t, apr_pool_t *p, int i, void *data)
{
    batch_sent *b = data;
    mail_job *job = b->job;
    const char *const *row = job->claimed + (apr_size_t)i * KF_OUTBOX_COLUMNS;
    b->via[i] = t;
    b->results[i] = kf_outbox_send(t, p, kfm_conf_get(job->s)->keyring, row, job->from,
                                   job->envelope_from, job->id_domain, &b->mails[i]);
    return kf_mail_fault_verdict(b->results[i].fault) == KF_MAIL_HOLD;
}

/* Sends the leased batch on the senders at once, then records what each mail came to on one
 * connection taken for that (a connection a child's requests share is taken once a batch,
 * not once a mail). The batch stops early for the run's time or a service holding mail: its
 * rest is given back. *whole says whether every one of them went. How many were handled,
 * or -1 when the database failed. */
static int send_batch(mail_job *job, apr_pool_t *p, apr_time_t start, int *whole)
{
    int n = job->n_claimed;
    apr_size_t room = (apr_size_t)(n ? n : 1);
    batch_sent b = {job, apr_pcalloc(p, sizeof(*b.mails) * room),
                    apr_pcalloc(p, sizeof(*b.results) * room), apr_pcalloc(p, sizeof(*b.via) * room),
                    apr_pcalloc(p, room), 0};
    int tried = kf_mail_senders_send(job->senders, n, start + MAIL_RUN_BUDGET, send_one, &b,
                                     b.tried);
    *whole = tried == n;
    ap_dbd_t *db = NULL;
    int rv = -1;
    if (kfm_db_open(job->s, p, &db) != KFM_DB_OK) {
        keep_unrecorded(&b, 0);
    }
    else {
        rv = record_batch(job, p, db, &b);
        kfm_db_close(job->s, db);
    }
    kf_mail_senders_clear(job->senders);   /* what the sends left is recorded or kept */
    return rv < 0 ? -1 : tried;
}

/* A sender's transport, opened in its pool for the life of the process
 * (kf_mail_senders_open_fn): an SMTP sender keeps its connection from run to run. */
static kf_mail_transport *open_transport(apr_pool_t *p, void *data)
{
    mail_job *job = data;
    kfm_ctx c = kfm_ctx_of_job(job->s, p);
    return kf_mail_outlet_open(p, &job->outlet,
                               job->outlet.kind->url_name ? kfm_provider_http(&c) : NULL,
                               job->id_domain);
}

/* After the run (kfm_job_after_fn): the leased batch sent; while batches come back full and
 * the run has time, the next one is leased and sent too, so that a queue of thousands goes
 * out in seconds rather than MAIL_BATCH a second (a stopping process leases no more:
 * kfm_db_open refuses it). How many were handled, or -1 when the database failed. */
static int send_claimed(server_rec *s, apr_pool_t *p, void *data)
{
    mail_job *job = data;
    (void)s;
    if (!job->senders &&
        !(job->senders = kf_mail_senders_create(kfm_jobs_threaded(), open_transport, job))) {
        keep_unreleased(job, 0, job->n_claimed);   /* given back at the next run */
        job->n_claimed = 0;
        return 0;
    }
    apr_time_t start = apr_time_now();
    int handled = 0, whole = 0;
    apr_pool_t *batch = NULL;
    for (;;) {
        int full = job->n_claimed == MAIL_BATCH;
        int sent = send_batch(job, batch ? batch : p, start, &whole);
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
    if (settle_what_the_outage_left(job, p, db) < 0) {
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
