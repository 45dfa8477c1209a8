#ifndef MOD_KF_SQL_H
#define MOD_KF_SQL_H
/* SQL fragments every statement table shares, so that a rule of the schema is written once. */

/* A timestamptz as API.md writes times: RFC 3339 in UTC, whole seconds ("2026-11-20T10:00:00Z"). */
#define KF_SQL_RFC3339(x) "to_char((" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* The states that hold a slot (the exclusion constraint's predicate; kf_res_state_active). */
#define KF_SQL_ACTIVE_STATES "('held', 'pending_payment', 'paid', 'confirmed')"

#endif
