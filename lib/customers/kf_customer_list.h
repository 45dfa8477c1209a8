#ifndef KF_CUSTOMER_LIST_H
#define KF_CUSTOMER_LIST_H
/* The merchant's customers (GET /api/admin/customers?q&page): one row per address that
 * booked, with how many bookings, the last one, and which reminders it turned off. */
#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#define KF_CUSTOMERS_PER_PAGE 25
#define KF_CUSTOMERS_Q_MAX 100

typedef struct kf_customer_query {
    const char *q;      /* "" : everybody; else a part of the name, address or phone */
    int page;           /* 1.. */
} kf_customer_query;

/* From the decoded query string: NULL, or the parameter that is wrong (*reason its message
 * id). Unknown parameters are ignored. */
const char *kf_customer_query_read(const apr_table_t *args, kf_customer_query *out,
                                   const char **reason);

/* The LIKE pattern of q, its % _ and \ escaped: "ana" -> "%ana%". */
const char *kf_customer_query_pattern(apr_pool_t *p, const char *q);

/* Columns of a customer row. */
enum {
    KF_CUSTOMER_LIST_COL_EMAIL, KF_CUSTOMER_LIST_COL_NAME, KF_CUSTOMER_LIST_COL_PHONE,
    KF_CUSTOMER_LIST_COL_BOOKINGS, KF_CUSTOMER_LIST_COL_LAST, KF_CUSTOMER_LIST_COL_MAIL_OFF,
    KF_CUSTOMER_LIST_COL_TEXT_OFF, KF_CUSTOMER_LIST_COLUMNS
};

/* {"email", "name", "phone" (null when none), "bookings", "last_booking_at",
 * "reminders_opt_out": {"email": bool, "text": bool}}; a new reference. */
json_t *kf_customer_json(const char *const *row);

/* {"items", "total", "page", "per_page"}; items stolen. */
json_t *kf_customer_list_json(json_t *items, long total, int page);

#endif
