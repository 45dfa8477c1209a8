"""A group class in the wizard, on the real stack, on a phone (360 px): the service says it is a
class of N places, each time says how many are left, a customer takes one and books it, and the
class shows one place fewer; once full, its time is gone."""
import datetime as dt
import secrets

from selenium.webdriver.common.by import By

from accessibility import assert_accessible
from conftest import MOBILE, click_css, no_horizontal_scroll, wait, wait_css, wait_text
from journey import Journey
from test_wizard_stack import e2e, stack  # noqa: F401 (the fixture; the e2e harness)


def seed_class(capacity):
    """A tenant with a free 60-minute yoga class of `capacity` places, one teacher working
    08:00-18:00 every day in Bogotá, and a link. Returns (slug, service, professional)."""
    sub = "y" + secrets.token_hex(5)
    tid = e2e.psql("""INSERT INTO tenants (name, subdomain, country, timezone, currency, terms_url)
                      VALUES ('Estudio Prana', :'p1', 'CO', 'America/Bogota', 'COP',
                              'https://example.com/terms') RETURNING id""", sub)
    service = e2e.psql("""INSERT INTO services (tenant_id, name, description, duration_minutes,
                            price_amount, currency, charge_type, slot_interval_minutes, capacity)
                          VALUES (:'p1', 'Yoga al amanecer', 'Una clase de yoga para todos los niveles.',
                                  60, 0, 'COP', 'free', 60, :'p2') RETURNING id""", tid, capacity)
    pro = e2e.psql("""INSERT INTO professionals (tenant_id, name, description, timezone)
                      VALUES (:'p1', 'Laura Prana', 'Instructora', 'America/Bogota') RETURNING id""", tid)
    e2e.psql("""INSERT INTO professional_hours (professional_id, weekday, start_minute, end_minute)
                SELECT :'p1', d, 480, 1080 FROM generate_series(1, 7) d""", pro)
    e2e.psql("INSERT INTO service_professionals (tenant_id, service_id, professional_id)"
             " VALUES (:'p1', :'p2', :'p3')", tid, service, pro)
    slug = secrets.token_urlsafe(18)
    e2e.psql("INSERT INTO booking_links (tenant_id, slug, name) VALUES (:'p1', :'p2', 'Clases')", tid, slug)
    return slug, service, pro


def take_place(stack, slug, service, pro, start, name):
    api = e2e.Api(stack)
    r = api.post("/api/public/holds", json={"link": slug, "service": service, "professional": pro,
                                            "start": start})
    assert r.status_code == 201, r.text
    r = api.post("/api/public/bookings", json={
        "hold_token": r.json()["hold"]["token"], "accepted_terms": True,
        "customer": {"name": name, "email": "%s@example.com" % secrets.token_hex(4), "phone": "+573001234567"}})
    assert r.status_code == 201, r.text


def places_left(stack, slug, service, pro, start):
    day = start[:10]
    r = e2e.Api(stack).get("/api/public/links/%s/availability" % slug, params={
        "service": service, "professional": pro, "from": day, "days": 1})
    assert r.status_code == 200, r.text
    return next((s["seats_left"] for s in r.json()["slots"] if s["start"] == start), 0)


def test_a_customer_takes_a_place_in_a_class_on_a_phone(browser, stack, shots):  # noqa: F811
    slug, service, pro = seed_class(3)
    # tomorrow's first class, with one place already taken by someone else
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    r = e2e.Api(stack).get("/api/public/links/%s/availability" % slug, params={
        "service": service, "professional": pro, "from": tomorrow, "days": 1})
    first = r.json()["slots"][0]["start"]
    take_place(stack, slug, service, pro, first, "Otra Alumna")
    d = browser("es", MOBILE)
    j = Journey(d, shots, "seats").open(stack["KF_URL"] + "/book/" + slug)
    card = wait_text(d, "label.card", "Yoga al amanecer")
    assert "Clase grupal · 3 cupos" in card.text
    j.shot("1-class")
    j.choose_service("Yoga al amanecer")
    times = j.to_time()
    click_css(d, ".days .day[data-day='%s']" % tomorrow)
    button = wait(d, lambda d: next((b for b in d.find_elements(By.CSS_SELECTOR, ".times .time")
                                     if b.get_attribute("data-start") == first), None), 15, "no class")
    assert "quedan 2" in button.text
    later = [b for b in d.find_elements(By.CSS_SELECTOR, ".times .time") if b != button]
    assert later and all("quedan 3" in b.text for b in later)
    # a screen reader hears the time and its places as the button's name
    assert button.get_attribute("textContent").replace("\u00a0", " ").endswith(" quedan 2")
    assert_accessible(d, "a class's times with their places left")
    assert no_horizontal_scroll(d)
    j.shot("2-times-places-left")
    j.pick(button)
    j.wait_held()
    j.shot("2-time-held")
    j.to_details()
    j.fill(name="Camila Rojas", email="camila@example.com", phone="3001234567", terms=True)
    j.shot("3-details")
    j.submit()
    wait_text(d, "main h1", "¡Reserva confirmada!", timeout=30)
    assert "Yoga al amanecer" in d.find_element(By.TAG_NAME, "main").text
    assert no_horizontal_scroll(d)
    j.shot("4-confirmed")
    # two of three places are taken now; the last one goes, and the class's time with it
    assert places_left(stack, slug, service, pro, first) == 1
    take_place(stack, slug, service, pro, first, "Última Alumna")
    assert places_left(stack, slug, service, pro, first) == 0
    assert times   # the first day offered times too
