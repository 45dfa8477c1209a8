#ifndef MOD_KF_ASSISTANT_COLUMNS_H
#define MOD_KF_ASSISTANT_COLUMNS_H
/* The columns the assistant's statements select, at the positions of the core's readers
 * (mod_kf_sql.h, KFM_SQL_COLUMNS). */
#include "mod_kf_sql.h"
#include "kf_assistant_catalog.h"

/* The link's catalog, a row a kind (the link, its services, their professionals):
 * kf_assistant_catalog.h's KF_ASSISTANT_CAT_*. */
#define KFM_ASSISTANT_CATALOG_COLUMNS(FIRST, NEXT)                                          \
    FIRST(KF_ASSISTANT_CAT_KIND, "k")                                                       \
    NEXT(KF_ASSISTANT_CAT_ID, "id")                                                         \
    NEXT(KF_ASSISTANT_CAT_NAME, "name")                                                     \
    NEXT(KF_ASSISTANT_CAT_MINUTES, "minutes")                                               \
    NEXT(KF_ASSISTANT_CAT_ZONE, "zone")                                                     \
    NEXT(KF_ASSISTANT_CAT_OFFERS, "offers")                                                 \
    NEXT(KF_ASSISTANT_CAT_CAPACITY, "capacity")
KFM_SQL_ROW_CHECK(KFM_ASSISTANT_CATALOG_COLUMNS, KF_ASSISTANT_CAT_COLUMNS)

#endif
