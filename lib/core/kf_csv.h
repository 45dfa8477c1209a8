#ifndef KF_CSV_H
#define KF_CSV_H
/* CSV for spreadsheet exports: RFC 4180 fields and records, and a formula-injection guard.
 *
 * RFC 4180: fields separated by commas (KF_CSV_SEPARATOR), records ended with CRLF; a field
 * containing a comma, a double quote, CR or LF is enclosed in double quotes and its quotes
 * are doubled. Excel reads a CSV with the list separator of the machine's region, which is
 * ';' where the decimal mark is a comma (es-CO and most of the merchants' regions): a field
 * holding a semicolon is quoted too, so such a reader keeps it one cell.
 *
 * Formula guard (OWASP "CSV injection"): spreadsheets evaluate a cell that starts with
 * = + - or @ (and some treat a leading tab or CR the same way), so such a cell gets a
 * leading apostrophe, which makes Excel/LibreOffice/Sheets show it as text. The guard is
 * applied to every cell, with no exception for fields that "cannot" hold a formula: a
 * phone "+573001234567" is exported as "'+573001234567" — still readable, and it keeps
 * its '+' instead of being turned into the number 573001234567.
 *
 * A reader that splits on the other separator (',' where the region's list separator is
 * the comma) ignores the quotes of a field that does not start its piece, so a cell
 * "x,=1" would reach it as "x" and "=1": inside a cell, a formula character right after a
 * ',' or a ';' gets the same apostrophe ("x,'=1"), and no piece of the file starts a
 * formula whichever of the two separators splits it. */
#include <apr_pools.h>

/* The character between the fields of a record. */
#define KF_CSV_SEPARATOR ','

/* The UTF-8 byte order mark: written first so that Excel opens the file as UTF-8. */
#define KF_CSV_BOM "\xEF\xBB\xBF"

/* 1 when a spreadsheet could read the cell as a formula (first byte = + - @ TAB CR). */
int kf_csv_needs_guard(const char *cell);

/* The cell as a spreadsheet-safe RFC 4180 field: guarded (at its start and after every
 * separator inside it), then quoted when needed.
 * NULL (SQL NULL) is the empty field. Never returns NULL. */
const char *kf_csv_field(apr_pool_t *p, const char *cell);

/* One record: the n cells as fields, separated by KF_CSV_SEPARATOR, ended by CRLF. NULL cells are
 * empty fields. Never returns NULL. */
const char *kf_csv_record(apr_pool_t *p, const char *const *cells, int n);

#endif
