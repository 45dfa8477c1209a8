/* When kept facts answer without the database: see kf_availability_trust.h. */
#include "kf_availability_trust.h"
#include "kf_availability_entry.h"

#include <apr_atomic.h>

apr_uint64_t kf_facts_generations(const kf_facts *f, volatile apr_uint32_t *counters)
{
    apr_uint64_t sum = apr_atomic_read32(&counters[0]);
    for (int i = 0; i < f->nprof; i++) {
        sum += apr_atomic_read32(&counters[1 + kf_avail_prof_slot(f->profs[i].id)]);
    }
    return sum;
}

kf_facts_trust kf_facts_trusted(const kf_facts *kept, const kf_facts_proof *proof,
                                apr_uint64_t generations, apr_time_t now, apr_time_t heard_until,
                                apr_interval_time_t ttl, apr_interval_time_t grace, kf_facts *f)
{
    if (!proof->proven_at || now < proof->proven_at || now - proof->proven_at >= ttl + grace ||
        now >= heard_until || generations != proof->generations || now >= kept->valid_until_us) {
        return KF_FACTS_PROVE;
    }
    *f = *kept;
    f->now_us = now;
    return now - proof->proven_at < ttl ? KF_FACTS_TRUSTED : KF_FACTS_TRUSTED_PROVE_AGAIN;
}

int kf_avail_answer_cacheable(int has_listener, apr_time_t now, apr_time_t heard_until)
{
    return !has_listener || now < heard_until;
}
