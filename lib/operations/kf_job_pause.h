#ifndef KF_JOB_PAUSE_H
#define KF_JOB_PAUSE_H
/* A background job that needs the database, paused while it is away: after the n-th failed
 * run in a row it waits 2^(n-1) seconds, at most KF_JOB_PAUSE_MAX_SECONDS, so that a lost
 * database is not knocked on every second by every job; the first failure and the recovery
 * are told once each. The cap is short because it is also how long a booking's mails and
 * callbacks may still wait once the database is back. Times in microseconds (the module's
 * clock). */
#include <apr.h>

#define KF_JOB_PAUSE_MAX_SECONDS 5

typedef struct kf_job_pause {
    int failures;          /* failed runs in a row */
    apr_int64_t until;     /* no run before this */
} kf_job_pause;

/* 1 when the job may run at `now`. */
int kf_job_pause_due(const kf_job_pause *j, apr_int64_t now);

/* A run that failed at `now`: 1 when it is the first of a row (the job pauses: say so). */
int kf_job_pause_failed(kf_job_pause *j, apr_int64_t now);

/* A run that worked: 1 when it ends a pause (the job resumes: say so). */
int kf_job_pause_worked(kf_job_pause *j);

#endif
