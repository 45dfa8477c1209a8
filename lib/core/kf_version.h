#ifndef KF_VERSION_H
#define KF_VERSION_H

#define KF_VERSION "0.1.0"

/* The schema version this build expects: the number of the newest sql/NNN_*.sql.
 * tests/unit/test_schema.c fails when a migration is added without bumping it. */
#define KF_SCHEMA_VERSION 91

#endif
