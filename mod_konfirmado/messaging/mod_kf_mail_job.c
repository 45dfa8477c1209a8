/* Outgoing mail, delivery: a mod_watchdog singleton callback (one child of an httpd runs
 * it at a time) that every second works through the due mails of mail_outbox, one
 * transaction per mail: claim it with FOR UPDATE SKIP LOCKED (so several httpd servers
 * on one database never send a mail twice), send it over SMTP, record the outcome:
 * sent, or the error with the next attempt scheduled by kf_mail_retry_delay, or given
 * up after KF_MAIL_GIVE_UP_AFTER_SEC.
 *
 * Delivery is at least once: if the database fails between the SMTP server accepting a
 * mail and the commit, that one mail is sent again later. */
#include "mod_kf_mail.h"
#include "mod_kf_messaging_conf.h"
#include "mod_kf_messaging_feature.h"
#include "kf_crypto.h"
#include "kf_mail.h"
#include "kf_text.h"

#include "mod_kf_jobs.h"

#define MAIL_JOB_INTERVAL apr_time_from_sec(1)
#define MAIL_BATCH 10
/* A run handles at most MAIL_BATCH mails and stops taking more after MAIL_RUN_BUDGET;
 * the rest waits for the next run (a stopping child must not wait on a long queue). */
#define MAIL_RUN_BUDGET apr_time_from_sec(20)
/* While the database is away, runs are skipped for 1, 2, 4 ... up to this many seconds. */

typedef struct mail_job {
    server_rec *s;
    kf_smtp_server smtp;
    const char *from;            /* From header */
    const char *envelope_from;   /* its address, for MAIL FROM */
    const char *id_domain;       /* right-hand side of Message-IDs */
    int retry_base;
    /* Mails the SMTP server accepted while the database failed before they were recorded as
     * sent: recorded first on the next run, so the database coming back does not send them
     * twice. Touched only by this job's watchdog thread; lives as long as the job. */
    apr_pool_t *unrecorded_pool;
    apr_array_header_t *unrecorded;     /* const char * mail ids */
} mail_job;

typedef enum { DELIVERED, FAILED, SERVER_UNREACHABLE, DB_FAILED } outcome;

/* Records a failed attempt: retried later, or given up when it has failed for too long
 * (or can never succeed). */
static outcome record_failure(mail_job *job, apr_pool_t *p, ap_dbd_t *db,
                              const kf_outbox_mail *m, const char *why, int hopeless)
{
    const char *to = kf_mask_recipient(p, m->recipient);
    const char *said = kf_mask_text(p, why);    /* an SMTP answer may quote the address */
    int failures = m->attempts + 1;
    int delay = 0;
    if (kf_mail_give_up(failures, m->age_sec, hopeless, job->retry_base, &delay)) {
        const char *args[] = {why, m->id};
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, job->s,
                     "mail %s to %s given up after %d attempt(s) in %ld s: %s", m->id, to,
                     failures, m->age_sec, said);
        return kfm_db_exec(NULL, db, "kf_mail_give_up", NULL, 2, args) == APR_SUCCESS
                   ? FAILED : DB_FAILED;
    }
    const char *args[] = {why, apr_itoa(p, delay), m->id};
    ap_log_error(APLOG_MARK, APLOG_WARNING, 0, job->s,
                 "mail %s to %s not delivered (attempt %d), next try in %d s: %s", m->id, to,
                 failures, delay, said);
    return kfm_db_exec(NULL, db, "kf_mail_retry_later", NULL, 3, args) == APR_SUCCESS
               ? FAILED : DB_FAILED;
}

static void remember_unrecorded(mail_job *job, const char *id)
{
    if (!job->unrecorded_pool &&
        apr_pool_create_unmanaged_ex(&job->unrecorded_pool, NULL, NULL) != APR_SUCCESS) {
        return;
    }
    if (!job->unrecorded) {
        job->unrecorded = apr_array_make(job->unrecorded_pool, 4, sizeof(const char *));
    }
    APR_ARRAY_PUSH(job->unrecorded, const char *) = apr_pstrdup(job->unrecorded_pool, id);
}

/* Records the mails sent while the database was away; 0, or -1 when it still fails. */
static int record_unrecorded(mail_job *job, ap_dbd_t *db)
{
    if (!job->unrecorded || job->unrecorded->nelts == 0) {
        return 0;
    }
    for (int i = 0; i < job->unrecorded->nelts; i++) {
        const char *args[] = {APR_ARRAY_IDX(job->unrecorded, i, const char *)};
        if (kfm_db_exec(NULL, db, "kf_mail_sent", NULL, 1, args) != APR_SUCCESS) {
            return -1;
        }
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, job->s, "mail %s recorded as sent after the "
                     "database came back", args[0]);
    }
    /* all recorded: start the list afresh (the pool is cleared, not the job's memory) */
    apr_pool_clear(job->unrecorded_pool);
    job->unrecorded = NULL;
    return 0;
}

static outcome deliver(mail_job *job, apr_pool_t *p, ap_dbd_t *db, const char *const *row)
{
    kf_outbox_mail opened;
    const kf_outbox_mail *m = &opened;
    if (!kf_outbox_mail_of(p, kfm_conf_get(job->s)->keyring, row, &opened)) {
        return record_failure(job, p, db, m, "the sealed body cannot be opened with the "
                              "configured KonfirmadoKeyFile", 1);
    }
    kf_mail_message msg = kf_outbox_message(p, m, job->from, job->id_domain);
    const char *built = NULL, *why = NULL;
    if (kf_mail_build(p, &msg, &built, &why) != APR_SUCCESS) {
        return record_failure(job, p, db, m, apr_pstrcat(p, "not deliverable: ", why, NULL), 1);
    }
    apr_status_t rv = kf_mail_send(p, &job->smtp, job->envelope_from, m->recipient, built, &why);
    if (rv != APR_SUCCESS) {
        outcome o = record_failure(job, p, db, m, why, 0);
        return o == FAILED && kf_mail_server_unreachable(rv) ? SERVER_UNREACHABLE : o;
    }
    const char *args[] = {m->id};
    if (kfm_db_exec(NULL, db, "kf_mail_sent", NULL, 1, args) != APR_SUCCESS) {
        remember_unrecorded(job, m->id);
        return DB_FAILED;
    }
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, job->s, "mail %s to %s sent (attempt %d)", m->id,
                 kf_mask_recipient(p, m->recipient), m->attempts + 1);
    return DELIVERED;
}

/* Claims one due mail, sends it and records the outcome, in one transaction. When the
 * database fails between the SMTP server accepting it and the commit, the mail is
 * remembered and recorded as sent first thing once the database is back (not sent again;
 * only a process that dies in that moment sends it twice). 1 when a mail was handled, 0 when none is due, -1 when the database failed,
 * 2 when the mail server cannot be reached (the rest waits for the next runs). */
static int deliver_one(mail_job *job, apr_pool_t *p, ap_dbd_t *db)
{
    kfm_rows *res = NULL;
    const char *args[] = {"1"};
    kfm_tx tx;

    if (kfm_db_begin(NULL, db, &tx) != APR_SUCCESS) {
        return -1;
    }
    if (kfm_db_select(NULL, db, "kf_mail_claim", &res, 1, args) != APR_SUCCESS) {
        kfm_db_rollback(NULL, &tx);
        return -1;
    }
    if (kfm_db_rows(db, res) == 0) {
        return kfm_db_commit(NULL, &tx) == APR_SUCCESS ? 0 : -1;
    }
    const char *row[KF_OUTBOX_COLUMNS];
    kfm_db_row(db, p, res, 0, row, KF_OUTBOX_COLUMNS);
    outcome o = deliver(job, p, db, row);
    if (o == DB_FAILED) {
        kfm_db_rollback(NULL, &tx);
        return -1;
    }
    if (kfm_db_commit(NULL, &tx) != APR_SUCCESS) {
        if (o == DELIVERED) {
            remember_unrecorded(job, row[KF_OUTBOX_COL_ID]);  /* sent, but its record was lost */
        }
        return -1;
    }
    return o == SERVER_UNREACHABLE ? 2 : 1;
}

/* One run of the job (kfm_db_job_fn): up to MAIL_BATCH mails, within MAIL_RUN_BUDGET.
 * How many were handled, or -1 when the database failed. */
static int deliver_due_mails(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    mail_job *job = data;
    apr_time_t start = apr_time_now();
    int handled = 0;
    if (record_unrecorded(job, db) < 0) {
        return -1;
    }
    for (int i = 0; i < MAIL_BATCH && apr_time_now() - start < MAIL_RUN_BUDGET; i++) {
        apr_pool_t *one;
        apr_pool_create(&one, p);
        int rv = deliver_one(job, one, db);
        apr_pool_destroy(one);
        if (rv < 0) {
            return -1;
        }
        if (rv == 0 || rv == 2) {
            break;
        }
        handled++;
    }
    return handled;
}

int kfm_mail_jobs_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    const kfm_server_conf *c = kfm_conf_get(s);
    const kfm_messaging_conf *mc = kfm_messaging_conf_of(s);
    /* Mail is always queued in the database; it is delivered only with a mail server. */
    if (!kfm_messaging_conf_mail_url(mc)) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, "mod_konfirmado: KonfirmadoMailURL is not "
                     "set for %s: mail is queued in the database but not sent", s->server_hostname);
        return OK;
    }
    mail_job *job = apr_pcalloc(pconf, sizeof(*job));
    job->s = s;
    job->smtp.url = kfm_messaging_conf_mail_url(mc);
    job->smtp.connect_timeout_ms = KF_MAIL_DEFAULT_TIMEOUT_MS;
    job->smtp.timeout_ms = KF_MAIL_DEFAULT_TIMEOUT_MS;
    job->retry_base = kfm_messaging_conf_mail_retry_base(mc);
    if (kf_mail_sender(pconf, kfm_messaging_conf_mail_from(mc), kfm_conf_base_domain(c),
                       &job->from, &job->envelope_from, &job->id_domain) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s,
                     "mod_konfirmado: KonfirmadoMailFrom '%s' is not a mailbox such as "
                     "\"Konfirmado <no-reply@example.com>\"", job->from);
        return !OK;
    }

    apr_status_t rv = kfm_db_job_register(pconf, s, instance, "mail delivery", MAIL_JOB_INTERVAL,
                                         deliver_due_mails, job);
    if (rv == APR_ENOTIMPL) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s,
                     "mod_konfirmado: KonfirmadoMailURL needs mod_watchdog, which delivers "
                     "mail in the background (LoadModule watchdog_module ...)");
        return !OK;
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     "mod_konfirmado: cannot register the mail delivery job with mod_watchdog");
        return !OK;
    }
    return OK;
}
