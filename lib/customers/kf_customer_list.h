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

/* Columns of a customer row; a row of the list's statement adds the total after them
 * (KF_CUSTOMER_LIST_COL_TOTAL: how many customers match, on every page). */
enum {
    KF_CUSTOMER_LIST_COL_EMAIL, KF_CUSTOMER_LIST_COL_NAME, KF_CUSTOMER_LIST_COL_PHONE,
    KF_CUSTOMER_LIST_COL_BOOKINGS, KF_CUSTOMER_LIST_COL_LAST, KF_CUSTOMER_LIST_COL_MAIL_OFF,
    KF_CUSTOMER_LIST_COL_TEXT_OFF, KF_CUSTOMER_LIST_COLUMNS,
    KF_CUSTOMER_LIST_COL_TOTAL = KF_CUSTOMER_LIST_COLUMNS
};

/* {"email", "name", "phone" (null when none), "bookings", "last_booking_at",
 * "reminders_opt_out": {"email": bool, "text": bool}}; a new reference. */
json_t *kf_customer_json(const char *const *row);

/* Page `page` of the list from the statement's n rows (a customer's columns, then the
 * total): {"items" (kf_customer_json each), "total" (0 when no row), "page", "per_page"}. */
json_t *kf_customer_list_page(const char *const *const *rows, int n, int page);

#endif
