/* Mail sent on several connections at once by one process's mail job: KF_MAIL_SENDERS
 * senders, each with its own transport (an SMTP sender keeps its connection from batch to
 * batch) and its own pool, and the threads they send on. The job leases a batch, hands it
 * here, and records what came back once every sender is done with it.
 *
 * Why: a relay answers each SMTP command in a round trip, and with every core busy each
 * round trip also waits for the scheduler; one connection at a time held a job to about a
 * hundred mails a second while payments queued several hundred, and the queue only grew.
 *
 * Everything lives in unmanaged pools that are never destroyed, so that a sender still
 * sending when the process exits never touches freed memory. Only the job's thread calls
 * these functions; the send function runs on the senders' threads, one mail at a time each.
 */
#ifndef KF_MAIL_SENDERS_H
#define KF_MAIL_SENDERS_H

#include <apr_pools.h>
#include <apr_time.h>

#include "kf_mail_transport.h"

/* Connections a process's mail job opens to its relay at most: enough to overlap the round
 * trips of a few mails, few enough that a relay which limits each client's connections
 * (commonly to 5 or 10) takes them all. */
#define KF_MAIL_SENDERS 4

typedef struct kf_mail_senders kf_mail_senders;

/* Opens a sender's transport in p, the sender's pool for the life of the process (called on
 * the job's thread the first time the sender is needed; NULL: tried again next batch). */
typedef kf_mail_transport *(*kf_mail_senders_open_fn)(apr_pool_t *p, void *data);

/* Sends the batch's mail i through t, allocating in p (the sender's, kept until
 * kf_mail_senders_clear, so the job can record what it left). Nonzero: the service holds
 * mail for now, and no sender starts another. */
typedef int (*kf_mail_senders_send_fn)(const kf_mail_transport *t, apr_pool_t *p, int i,
                                       void *data);

/* The senders and, with `threaded` (the server runs threads), their threads, opening their
 * transports with open(.., data). Without threads one sender sends the batch's mails one
 * after the other on the caller's thread. NULL when they cannot be made. */
kf_mail_senders *kf_mail_senders_create(int threaded, kf_mail_senders_open_fn open, void *data);

/* Mails [0, n) sent at once by the senders, each mail by one of them, in order of i as
 * senders come free; none is started after a send said the service holds mail, or once
 * `until` has passed. Returns when every mail started has ended: how many were, and
 * tried[i] (n of them, set here) says which. */
int kf_mail_senders_send(kf_mail_senders *s, int n, apr_time_t until,
                         kf_mail_senders_send_fn send, void *data, char *tried);

/* The batch is recorded: what its sends allocated is freed for the next one. */
void kf_mail_senders_clear(kf_mail_senders *s);

#endif
