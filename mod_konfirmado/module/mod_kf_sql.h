#ifndef MOD_KF_SQL_H
#define MOD_KF_SQL_H
/* SQL fragments every statement table shares, so that a rule of the schema is written once. */

/* A C integer constant as SQL text, for statements written at compile time:
 * KFM_SQL_INT(PURGE_BATCH) -> "500". */
#define KFM_SQL_INT_(n) #n
#define KFM_SQL_INT(n) KFM_SQL_INT_(n)

/* A statement's argument the planner does not see, so that the plan PostgreSQL keeps for the
 * statement on a connection is its generic one: given the value, each execution's own plan
 * looks a little cheaper (a known LIMIT, a known list's length) and PostgreSQL plans anew on
 * every call, which for a queue's claim cost as much as running it. For statements whose
 * generic plan is the one the tests read (tests/e2e/test_queue_claim_plans.py). */
#define KFM_SQL_UNSEEN(arg) "(SELECT " arg ")"

/* A timestamptz as API.md writes times: RFC 3339 in UTC, whole seconds ("2026-11-20T10:00:00Z"). */
#define KFM_SQL_RFC3339(x) "to_char((" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* A timestamptz as the wall clock of `zone` shows it, to the minute, followed by that zone's
 * offset at that instant ("2026-12-03T15:30-05:00"): what mails write a time from (kf_when.h).
 * NULL when x is. */
#define KFM_SQL_ZONE_OFFSET(x, zone) "((" x ") AT TIME ZONE " zone " - (" x ") AT TIME ZONE 'UTC')"
#define KFM_SQL_WALL_CLOCK(x, zone)                                                           \
    "(to_char((" x ") AT TIME ZONE " zone ", 'YYYY-MM-DD\"T\"HH24:MI')"                     \
    " || CASE WHEN " KFM_SQL_ZONE_OFFSET(x, zone) " < interval '0' THEN '-' ELSE '+' END"     \
    " || to_char(greatest(" KFM_SQL_ZONE_OFFSET(x, zone) ", -" KFM_SQL_ZONE_OFFSET(x, zone)   \
    "), 'HH24:MI'))"

/* The states that hold a slot (the exclusion constraint's predicate; kf_res_state_active). */
#define KFM_SQL_ACTIVE_STATES "('held', 'pending_payment', 'paid', 'confirmed')"

/* The team a booking `r` of a collective service holds (sql/084), as the booking JSON's
 * "professionals": [{"id", "name"}] in the team's order, JSON text; NULL for one professional */
#define KFM_SQL_TEAM_JSON(r)                                                                \
    "(SELECT json_agg(json_build_object('id', tp.id, 'name', tp.name)"                     \
    "   ORDER BY array_position(" r ".team_ids, tp.id))"                                    \
    " FROM professionals tp WHERE tp.id = ANY (" r ".team_ids))::text"

/* The states of a booking the customer has (paid for, or free; after the appointment too):
 * kf_res_state_paid. */
#define KFM_SQL_PAID_STATES "('paid', 'confirmed', 'completed', 'no_show')"

/* The states a booking is marked from after its end (kf_reservation_next COMPLETE). */
#define KFM_SQL_MARKABLE_STATES "('paid', 'confirmed')"
/* The marks themselves: a marked booking's states. */
#define KFM_SQL_MARKED_STATES "('completed', 'no_show')"

/* The mark that stands of a booking of alias `r`: its last move from a markable state into
 * a marked one (a change between the two marks keeps it), as columns `created_at` (when it
 * was made: kf_res_mark_open counts from it) and `from_status` (what an undo gives back).
 * A lateral subquery: LEFT JOIN LATERAL ... m ON true. */
#define KFM_SQL_STANDING_MARK(r)                                                             \
    "(SELECT h.created_at, h.from_status FROM reservation_history h"                          \
    "  WHERE h.reservation_id = " r ".id AND h.from_status IN " KFM_SQL_MARKABLE_STATES        \
    "    AND h.to_status IN " KFM_SQL_MARKED_STATES " ORDER BY h.id DESC LIMIT 1)"

/* The policy's cutoff (API.md "After booking"): a booking of alias `r` starting later than
 * `hours` (a column of the tenant's) from now may still be changed by its customer. */
#define KFM_SQL_BEFORE_CUTOFF(r, hours) r ".starts_at > now() + make_interval(hours => " hours ")"

/* The expiry rule (sql/017_core.sql kf_reservation_due): a hold or unpaid booking of alias
 * `r` whose time ran out, and its negation for a hold: still live. What expiring does to it
 * is the state machine's (kf_res_expiry_moves, kf_res_state_seen). */
#define KFM_SQL_DUE(r) "kf_reservation_due(" r ".status, " r ".expires_at)"
#define KFM_SQL_LIVE_HOLD(r) r ".status = 'held' AND NOT " KFM_SQL_DUE(r)

/* Whether the booking of alias `r` is opened by a token: two arguments, the token's hash as
 * a booking token and as a mails' (manage) token. The tokens of a series' first occurrence
 * open each of its occurrences too (API.md "Series, seats and teams": one customer, one
 * token). */
#define KFM_SQL_TOKEN_OPENS(r)                                                              \
    "EXISTS (SELECT 1 FROM reservations kf_opener WHERE kf_opener.id IN (" r ".id, "        \
    r ".series_id) AND (kf_opener.booking_token_hash = %s OR kf_opener.manage_token_hash = %s))"

/* The same of a purchase (packages) of alias `pu` (sql/024 kf_purchase_due): past its
 * deadline though the expiry job has not run yet. */
#define KFM_SQL_PURCHASE_DUE(pu)                                                             \
    "COALESCE(kf_purchase_due(" pu ".status, " pu ".pay_by, " pu ".expires_at), false)"

/* Where a business of alias `t` is written to (API.md "Replies"): its notification address,
 * else its first user's: its alerts and calendar mails go there, and its customers see it as
 * the business's contact. */
#define KFM_SQL_TENANT_EMAIL(t)                                                              \
    "COALESCE(" t ".notification_email, (SELECT u.email FROM users u WHERE u.tenant_id = "     \
    t ".id ORDER BY u.created_at LIMIT 1))"

/* The business of alias `t` as its customers' pages wear it (API.md: the booking link's
 * "tenant", GET /api/public/me/business, a booking's "tenant"): the keys and values of a
 * json_build_object, in API.md's order. */
#define KFM_SQL_PUBLIC_TENANT_FIELDS(t)                                                      \
    "'name', " t ".name, 'logo_url', " t ".logo_url, 'primary_color', " t ".primary_color,"  \
    " 'secondary_color', " t ".secondary_color, 'timezone', " t ".timezone,"                 \
    " 'locale', " t ".locale, 'terms_url', " t ".terms_url"

/* A booking link of alias `l` still open at `at` (API.md: a link with expires_at stops
 * serving at that moment). */
#define KFM_SQL_LINK_OPEN(l, at) "(" l ".expires_at IS NULL OR " l ".expires_at > " at ")"

/* A statement's columns, written once as an X-list of (the position its reader gives the
 * column, the column's SQL), the first column with FIRST and every other with NEXT:
 *     #define KFM_FOO_COLUMNS(FIRST, NEXT) FIRST(KF_FOO_ID, "f.id") NEXT(KF_FOO_NAME, "f.name")
 * KFM_SQL_COLUMNS(KFM_FOO_COLUMNS) is its SELECT list ("f.id, f.name"), and
 * KFM_SQL_ROW_CHECK(KFM_FOO_COLUMNS, KF_FOO_COLUMNS), beside the list, fails the build unless
 * every column stands at its position and the list has as many as its reader reads.
 * tests/unit/test_row_shapes splits each list's text and checks it against the list too: a
 * column whose SQL has a comma of its own would be two. */
/* A list the glue alone reads declares its positions with it:
 *     enum { KFM_FOO_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) FOO_COLUMNS };  */
#define KFM_SQL_POSITION(position, sql) position,
#define KFM_SQL_FIRST_COLUMN(position, sql) sql
#define KFM_SQL_NEXT_COLUMN(position, sql) ", " sql
#define KFM_SQL_COLUMNS(list) list(KFM_SQL_FIRST_COLUMN, KFM_SQL_NEXT_COLUMN)
#define KFM_SQL_ROW_AT(position, sql) kfm_row_at_##position,
#define KFM_SQL_ROW_IN_PLACE(position, sql)                                                  \
    _Static_assert((int)kfm_row_at_##position == (int)(position),                           \
                   #position " is not where the SELECT has it");
#define KFM_SQL_ROW_CHECK(list, count)                                                       \
    static inline void kfm_row_check_##list(void)                                            \
    {                                                                                        \
        enum { list(KFM_SQL_ROW_AT, KFM_SQL_ROW_AT) kfm_row_columns };                       \
        list(KFM_SQL_ROW_IN_PLACE, KFM_SQL_ROW_IN_PLACE)                                     \
        _Static_assert((int)kfm_row_columns == (int)(count),                                 \
                       #list " does not select " #count " columns");                        \
    }

#endif
