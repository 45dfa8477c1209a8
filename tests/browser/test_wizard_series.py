"""A series in the wizard, on the real stack, on a phone (360 px): a service booked as a weekly
series asks how many sessions, offers only the times whose every session is free, holds them
all (listed under the hold) and books them; each session is a booking of the series."""
import datetime as dt
import secrets

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from accessibility import assert_accessible
from conftest import MOBILE, click_css, no_horizontal_scroll, wait, wait_css, wait_text
from journey import Journey
from test_wizard_stack import e2e, stack  # noqa: F401 (the fixture; the e2e harness)


def seed_series():
    """A tenant with a free 60-minute therapy booked as a weekly series of 2 to 4 sessions, one
    therapist working 08:00-18:00 every day in Bogotá, and a link. Returns (slug, service, pro)."""
    sub = "s" + secrets.token_hex(5)
    tid = e2e.psql("""INSERT INTO tenants (name, subdomain, country, timezone, currency, terms_url)
                      VALUES ('Centro Calma', :'p1', 'CO', 'America/Bogota', 'COP',
                              'https://example.com/terms') RETURNING id""", sub)
    service = e2e.psql("""INSERT INTO services (tenant_id, name, description, duration_minutes,
                            price_amount, currency, charge_type, slot_interval_minutes, horizon_days, series)
                          VALUES (:'p1', 'Terapia semanal', 'Una sesión de terapia cada semana.',
                                  60, 0, 'COP', 'free', 60, 14,
                                  '{"every": "week", "min": 2, "max": 4, "pay": "all"}') RETURNING id""", tid)
    pro = e2e.psql("""INSERT INTO professionals (tenant_id, name, description, timezone)
                      VALUES (:'p1', 'Laura Calma', 'Terapeuta', 'America/Bogota') RETURNING id""", tid)
    e2e.psql("""INSERT INTO professional_hours (professional_id, weekday, start_minute, end_minute)
                SELECT :'p1', d, 480, 1080 FROM generate_series(1, 7) d""", pro)
    e2e.psql("INSERT INTO service_professionals (tenant_id, service_id, professional_id)"
             " VALUES (:'p1', :'p2', :'p3')", tid, service, pro)
    slug = secrets.token_urlsafe(18)
    e2e.psql("INSERT INTO booking_links (tenant_id, slug, name) VALUES (:'p1', :'p2', 'Terapia')", tid, slug)
    return tid, slug, service, pro


def test_a_customer_books_a_weekly_series_on_a_phone(browser, stack, shots):  # noqa: F811
    tid, slug, service, pro = seed_series()
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    # the third week's 08:00 is taken: a series of three at 08:00 tomorrow is not offered
    first = e2e.Api(stack).get("/api/public/links/%s/availability" % slug, params={
        "service": service, "professional": pro, "from": tomorrow.isoformat(), "days": 1}).json()["slots"][0]["start"]
    blocked = (dt.datetime.fromisoformat(first.replace("Z", "+00:00")) + dt.timedelta(weeks=2)).isoformat()
    e2e.psql("""INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at, ends_at,
                  blocked) SELECT :'p1', :'p2', :'p3', 'paid', s, s + interval '1 hour',
                  tstzrange(s, s + interval '1 hour') FROM (SELECT :'p4'::timestamptz AS s) x""",
             tid, service, pro, blocked)
    d = browser("es", MOBILE)
    j = Journey(d, shots, "series").open(stack["KF_URL"] + "/book/" + slug)
    j.choose_service("Terapia semanal")
    j.to_time()
    select = Select(wait_css(d, "select[name=series-count]"))
    assert [o.text for o in select.options] == ["Una sesión", "2 sesiones, una cada semana",
                                               "3 sesiones, una cada semana", "4 sesiones, una cada semana"]
    select.select_by_value("3")
    click_css(d, ".days .day[data-day='%s']" % tomorrow.isoformat())

    def starts(d):
        found = [b.get_attribute("data-start") for b in d.find_elements(By.CSS_SELECTOR, ".times .time")]
        return found if found and first not in found else None
    offered = wait(d, starts, 15, "the series' times")
    assert first not in offered
    assert_accessible(d, "a series' count and times")
    assert no_horizontal_scroll(d)
    j.shot("2-series-times")
    button = next(b for b in d.find_elements(By.CSS_SELECTOR, ".times .time")
                  if b.get_attribute("data-start") == offered[0])
    j.pick(button)
    j.wait_held()
    sessions = wait_css(d, ".hold .hold-sessions")
    assert len(sessions.find_elements(By.TAG_NAME, "li")) == 3
    assert no_horizontal_scroll(d)
    j.shot("2-series-held")
    j.to_details()
    j.fill(name="Camila Rojas", email="camila-%s@example.com" % secrets.token_hex(3), phone="3001234567",
           terms=True)
    j.submit()
    wait_text(d, "main h1", "¡Reserva confirmada!", timeout=30)
    assert no_horizontal_scroll(d)
    j.shot("4-confirmed")
    rows = e2e.psql("SELECT count(*) || ',' || min(series_count) FROM reservations WHERE service_id = :'p1'"
                    " AND series_id IS NOT NULL AND status IN ('paid', 'confirmed')", service)
    assert rows == "3,3"
