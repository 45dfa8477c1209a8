#ifndef KF_BOOKING_FILTER_H
#define KF_BOOKING_FILTER_H
/* The filters of the admin bookings list and its CSV export (API.md "Admin API":
 * status, service, professional, from, to, q, page, per_page), checked and turned into
 * the string arguments the SQL takes (NULL = filter not given).
 *
 * Rules: an empty value counts as not given (HTML forms send "q="); every other bad value
 * is refused with the parameter's name. status is one status or a comma list of them;
 * without it, every status except `held` is listed (a hold is not a booking yet).
 * service/professional are UUIDs (an unknown one simply matches nothing). from/to are
 * calendar dates, whole days in the tenant's zone, both inclusive; to >= from.
 * q is at most KF_BOOKINGS_Q_MAX characters. callback (payments) is the status of the
 * booking's merchant callback: pending, delivered or failed (callback=failed lists the
 * deliveries that gave up). refund=needed lists the bookings with a payment flagged for a
 * refund (money that arrived for a slot that was lost, or twice). customer=given lists only the
 * reservations whose customer gave their details: the holds nobody completed (still held,
 * run out, or let go of, which reads cancelled) stay out, whatever status they reached.
 * page >= 1, per_page 1..100 (default 25). */
#include <apr_pools.h>
#include <apr_tables.h>

#define KF_BOOKINGS_PER_PAGE_DEFAULT 25
#define KF_BOOKINGS_PER_PAGE_MAX 100
#define KF_BOOKINGS_PAGE_MAX 1000000
#define KF_BOOKINGS_Q_MAX 100

typedef struct kf_booking_filter {
    const char *statuses;        /* validated comma list, or NULL: every status but held */
    const char *service_id;      /* UUID or NULL */
    const char *professional_id; /* UUID or NULL */
    const char *from;            /* YYYY-MM-DD or NULL */
    const char *to;              /* YYYY-MM-DD or NULL */
    const char *q_pattern;       /* ILIKE pattern "%...%" (backslash escapes), or NULL */
    const char *callback;        /* merchant callback status: pending|delivered|failed, or NULL */
    const char *refund;          /* "needed": a payment of the booking is flagged for refund */
    const char *customer;        /* "given": the customer's details are on the reservation */
    int page;                    /* 1.. */
    int per_page;                /* 1..100 */
} kf_booking_filter;

/* 1 for one of the statuses of the reservations table. */
int kf_booking_status_valid(const char *status, apr_size_t len);


/* "%" + text with \ % _ escaped by a backslash + "%": a case-insensitive "contains"
 * pattern for ILIKE ... ESCAPE '\' in which the user's % and _ are plain characters. */
const char *kf_like_contains(apr_pool_t *p, const char *text);

/* Reads the filters from decoded query parameters. 0 on success; -1 with *bad_param (the
 * parameter's name) and *reason (a kf_i18n message id) otherwise. */
int kf_booking_filter_parse(apr_pool_t *p, apr_table_t *params, kf_booking_filter *f,
                            const char **bad_param, const char **reason);

/* The same from the request's raw query string (NULL: none): a bad %-escape is
 * "param_encoding" and a parameter given twice "param_repeated". With ignore_paging (the
 * export), page and per_page are left out unchecked. */
int kf_booking_filter_read(apr_pool_t *p, const char *query, int ignore_paging,
                           kf_booking_filter *f, const char **bad_param, const char **reason);

/* How many string arguments the filter part of a statement takes after the tenant id:
 * statuses x2, service x2, professional x2, from x2, to x2, q pattern x3, callback status x2,
 * refund flag, customer flag (a NULL argument disables its filter). */
#define KF_BOOKING_FILTER_ARGS 17

/* Writes the tenant id and the filter's arguments (1 + KF_BOOKING_FILTER_ARGS) into args. */
void kf_booking_filter_args(const char *tenant_id, const kf_booking_filter *f, const char **args);

#endif
