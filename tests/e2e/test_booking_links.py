"""GET /api/public/links/{link} and tenants by host (API.md "Public booking API",
"Hosts and tenants")."""
import datetime as dt

import booking_seed as bs
from conftest import psql


def funnel(link_slug, event):
    return int(psql("""SELECT count(*) FROM funnel_events f JOIN booking_links l ON l.id = f.link_id
                       WHERE l.slug = :'p1' AND f.event = :'p2'""", link_slug, event))


def test_link_shape_branding_and_charges(api):
    tid, sub = bs.tenant(country="CO", timezone="America/Bogota")
    total = bs.service(tid, name="Consulta total", price=12000000, charge="total")
    partial = bs.service(tid, name="Consulta parcial", price=10001, charge="partial", deposit=33)
    free = bs.service(tid, name="Consulta gratis", price=0, charge="free")
    archived = bs.service(tid, name="Archivado", archived=True)
    ana = bs.professional(tid, name="Ana", services=[total, partial, archived])
    bob = bs.professional(tid, name="Bob", services=[partial, free])
    bs.professional(tid, name="Gone", services=[free], archived=True)
    slug = bs.link(tid)

    r = api.get("/api/public/links/%s" % slug)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["link"] == {"id": slug, "expires_at": None,
                            "preselected": {"service": None, "professional": None}}
    assert body["tenant"] == {"name": "Clínica Reserva", "logo_url": "https://example.com/logo.png",
                              "primary_color": "#3B82F6", "secondary_color": "#10B981",
                              "timezone": "America/Bogota", "locale": "es",
                              "terms_url": "https://example.com/terms",
                              "policy": {"cancel_cutoff_hours": 24, "reschedule_cutoff_hours": 24,
                                         "max_reschedules": 2, "refund_on_cancel": "full"},
                              "embed_origins": []}
    services = {s["id"]: s for s in body["services"]}
    assert set(services) == {total, partial, free}          # archived ones are not offered
    assert services[total]["charge"] == {"type": "total", "amount": 12000000, "currency": "COP"}
    assert services[total]["price"] == {"amount": 12000000, "currency": "COP"}
    # deposit = ceil(10001 * 33 / 100) = ceil(3300.33) = 3301
    assert services[partial]["charge"] == {"type": "partial", "amount": 3301, "currency": "COP"}
    assert services[free]["charge"] == {"type": "free", "amount": 0, "currency": "COP"}
    assert services[partial]["professional_ids"] == sorted([ana, bob])
    assert services[free]["professional_ids"] == [bob]
    assert services[total]["duration_minutes"] == 30
    assert set(services[total]) >= {"id", "name", "description", "image_url", "duration_minutes",
                                    "price", "charge", "professional_ids"}
    profs = {p["id"]: p for p in body["professionals"]}
    assert set(profs) == {ana, bob}
    assert profs[ana]["service_ids"] == sorted([total, partial])
    assert set(profs[ana]) >= {"id", "name", "description", "photo_url", "service_ids"}


def test_preselected_service_or_professional_lists_only_what_the_link_allows(api):
    tid, _ = bs.tenant()
    s1, s2 = bs.service(tid, name="Uno uno"), bs.service(tid, name="Dos dos")
    p1 = bs.professional(tid, name="Ana", services=[s1, s2])
    p2 = bs.professional(tid, name="Bob", services=[s1])
    by_service = api.get("/api/public/links/%s" % bs.link(tid, service_id=s2)).json()
    assert [s["id"] for s in by_service["services"]] == [s2]
    assert [p["id"] for p in by_service["professionals"]] == [p1]
    assert by_service["link"]["preselected"] == {"service": s2, "professional": None}
    by_prof = api.get("/api/public/links/%s" % bs.link(tid, professional_id=p2)).json()
    assert [s["id"] for s in by_prof["services"]] == [s1]
    assert [p["id"] for p in by_prof["professionals"]] == [p2]
    assert by_prof["professionals"][0]["service_ids"] == [s1]
    assert by_prof["link"]["preselected"] == {"service": None, "professional": p2}


def test_unknown_inactive_and_expired_links(api):
    tid, _ = bs.tenant()
    bs.professional(tid, services=[bs.service(tid)])
    for slug in ("nope", "x" * 20, "a" * 65, "bad%20slug-1234567890"):
        r = api.get("/api/public/links/%s" % slug)
        assert r.status_code == 404 and r.json()["error"]["code"] == "link_not_found", slug
    inactive = bs.link(tid, active=False)
    r = api.get("/api/public/links/%s" % inactive, headers={"Accept-Language": "en"})
    assert r.status_code == 404
    assert r.json()["error"] == {"code": "link_not_found",
                                 "message": "This booking link does not exist."}
    past = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)).isoformat()
    expired = bs.link(tid, expires_at=past)
    r = api.get("/api/public/links/%s" % expired)
    assert r.status_code == 410 and r.json()["error"]["code"] == "link_expired"
    future = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    later = bs.link(tid, expires_at=future.isoformat())
    assert api.get("/api/public/links/%s" % later).json()["link"]["expires_at"] == "2030-01-02T03:04:05Z"
    assert funnel(expired, "link_viewed") == 0 and funnel(inactive, "link_viewed") == 0


def test_link_viewed_is_recorded_per_view(api):
    tid, _ = bs.tenant()
    bs.professional(tid, services=[bs.service(tid)])
    slug = bs.link(tid)
    for _ in range(3):
        assert api.get("/api/public/links/%s" % slug).status_code == 200
    assert funnel(slug, "link_viewed") == 3
    assert psql("SELECT DISTINCT f.tenant_id FROM funnel_events f JOIN booking_links l "
                "ON l.id = f.link_id WHERE l.slug = :'p1'", slug) == tid


def test_tenant_hosts(api):
    tid_a, sub_a = bs.tenant()
    tid_b, sub_b = bs.tenant()
    sa = bs.service(tid_a)
    bs.professional(tid_a, services=[sa])
    slug = bs.link(tid_a)
    path = "/api/public/links/%s" % slug
    base = api.base_domain
    assert api.get(path).status_code == 200                                 # platform host
    assert api.get(path, host=base + ".").status_code == 200                # trailing dot
    assert api.get(path, tenant=sub_a).status_code == 200                   # own host
    assert api.get(path, host=("%s.%s" % (sub_a, base)).upper()).status_code == 200
    for host in ("reservas.example.net",               # no tenant's own domain
                 "www.%s.%s" % (sub_a, base)):         # nested subdomain: no tenant's
        r = api.get(path, host=host)
        assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_host", host
    for host in ("%s.%s" % (sub_b, base),              # another tenant's host
                 "nobody-here.%s" % base):             # no such tenant
        r = api.get(path, host=host)
        assert r.status_code == 404 and r.json()["error"]["code"] == "link_not_found", host
    # the same holds for availability
    r = api.get(path + "/availability", tenant=sub_b, params={"service": sa})
    assert r.status_code == 404 and r.json()["error"]["code"] == "link_not_found"
