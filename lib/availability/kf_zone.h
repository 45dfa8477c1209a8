#ifndef KF_ZONE_H
#define KF_ZONE_H
/* A time zone's rules as the system's tzdata writes them (TZif files, RFC 8536: the files of
 * /usr/share/zoneinfo that PostgreSQL itself reads on Debian), and the conversions the slot
 * engine's inputs need, answered as PostgreSQL answers them:
 *   - the offset in effect at an instant (`timestamptz AT TIME ZONE`);
 *   - the instant of a wall-clock time (`timestamp AT TIME ZONE`), where a time that does not
 *     exist (a spring-forward gap) takes the offset from before the change and a time that
 *     exists twice (a fall-back overlap) the offset from after it
 *     (DetermineTimeZoneOffset in PostgreSQL's datetime.c);
 *   - the changes of offset over a period.
 * Instants past the file's last transition follow its POSIX footer (a slim file's only rule
 * after its last change; a fat one's after 2037). Files with leap seconds ("right/") are
 * refused. Pure arithmetic once loaded; a loaded zone is read-only, safe in any thread. */
#include <apr_pools.h>
#include <apr_tables.h>
#include "kf_slots.h"

typedef struct kf_zone kf_zone;

/* Parses TZif data (versions 1 to 4). NULL and *why on malformed data. */
kf_zone *kf_zone_parse(apr_pool_t *p, const unsigned char *data, apr_size_t len, const char **why);

/* An IANA-shaped name (what kf_tz_valid accepted: letters first, then letters, digits,
 * "_+-" and "/" between parts, at most 64 characters): "America/Bogota", "UTC", "EST5EDT".
 * No "+05:00", no "..", nothing that climbs out of the zone directory. */
int kf_zone_name_ok(const char *name);

/* Loads zone `name` from directory `dir`; names match case-insensitively as PostgreSQL's
 * do ("america/bogota" is America/Bogota). NULL when the name is not IANA-shaped, no file
 * has it, or the file is not a zone (*why says which). */
kf_zone *kf_zone_load(apr_pool_t *p, const char *dir, const char *name, const char **why);

/* Offset (seconds east of UTC) in effect at instant t. */
int kf_zone_offset(const kf_zone *z, apr_int64_t t);

/* The instant of wall-clock time `local` (seconds since 1970-01-01T00:00 of that wall
 * clock), with PostgreSQL's answers in gaps and overlaps (above). */
apr_int64_t kf_zone_instant(const kf_zone *z, apr_int64_t local);

/* Appends to `out` (kf_tz_change) the offset in effect at `from`, with at = from, then every
 * change of offset in (from, to]. */
void kf_zone_changes(const kf_zone *z, apr_int64_t from, apr_int64_t to,
                     apr_array_header_t *out);

#endif
