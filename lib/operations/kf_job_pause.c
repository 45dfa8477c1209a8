/* A job's pause while the database is away: see kf_job_pause.h. */
#include "kf_job_pause.h"

#include <apr_time.h>

int kf_job_pause_due(const kf_job_pause *j, apr_int64_t now)
{
    return now >= j->until;
}

int kf_job_pause_failed(kf_job_pause *j, apr_int64_t now)
{
    int seconds = 1 << (j->failures < 5 ? j->failures : 5);
    int first = j->failures++ == 0;
    j->until = now + apr_time_from_sec(seconds < KF_JOB_PAUSE_MAX_SECONDS
                                           ? seconds : KF_JOB_PAUSE_MAX_SECONDS);
    return first;
}

int kf_job_pause_worked(kf_job_pause *j)
{
    int was_paused = j->failures > 0;
    j->failures = 0;
    j->until = 0;
    return was_paused;
}
