/* The deliveries list's query (see kf_deliveries.h). */
#include "kf_deliveries.h"
#include "kf_query.h"

#include <string.h>

int kf_deliveries_query_read(const char *status, const char *page, const char *per_page,
                             kf_deliveries_query *q)
{
    if (status && strcmp(status, "failed") && strcmp(status, "pending") && strcmp(status, "sent")) {
        return 0;
    }
    q->status = status;
    q->page = page ? kf_query_positive(page, KF_DELIVERIES_PAGE_MAX) : 1;
    q->per_page = per_page ? kf_query_positive(per_page, KF_DELIVERIES_PER_PAGE_MAX)
                           : KF_DELIVERIES_PER_PAGE_DEFAULT;
    if (!q->page || !q->per_page) {
        return 0;
    }
    q->offset = (long)(q->page - 1) * q->per_page;
    return 1;
}
