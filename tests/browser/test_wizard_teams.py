"""A collective team in the wizard, on the real stack, on a phone (360 px): the service says it is
with N professionals together and lists the whole team instead of a choice of one, the times are
those when all of them are free (one member busy takes a time away), and the booking made is
with all of them."""
import datetime as dt
import secrets

from selenium.webdriver.common.by import By

from accessibility import assert_accessible
from conftest import MOBILE, click_css, no_horizontal_scroll, wait, wait_css, wait_text
from journey import Journey
from test_wizard_stack import e2e, stack  # noqa: F401 (the fixture; the e2e harness)

NAMES = ["Dra. Ana Ríos", "Dr. Beto Paz"]


def seed_team():
    """A tenant with a free 60-minute joint consultation of two professionals (Ana 08:00-18:00,
    Beto 10:00-18:00 every day in Bogotá) and a link. Returns (slug, service, [ana, beto])."""
    sub = "j" + secrets.token_hex(5)
    tid = e2e.psql("""INSERT INTO tenants (name, subdomain, country, timezone, currency, terms_url)
                      VALUES ('Centro Médico Sur', :'p1', 'CO', 'America/Bogota', 'COP',
                              'https://example.com/terms') RETURNING id""", sub)
    pros = []
    for name, start in zip(NAMES, (480, 600)):
        pro = e2e.psql("""INSERT INTO professionals (tenant_id, name, description, timezone)
                          VALUES (:'p1', :'p2', 'Especialista', 'America/Bogota') RETURNING id""",
                       tid, name)
        e2e.psql("""INSERT INTO professional_hours (professional_id, weekday, start_minute, end_minute)
                    SELECT :'p1', d, :'p2', 1080 FROM generate_series(1, 7) d""", pro, start)
        pros.append(pro)
    service = e2e.psql("""INSERT INTO services (tenant_id, name, description, duration_minutes,
                            price_amount, currency, charge_type, slot_interval_minutes, team_ids)
                          VALUES (:'p1', 'Junta médica', 'Una consulta con dos especialistas a la vez.',
                                  60, 0, 'COP', 'free', 60, ARRAY[:'p2', :'p3']::uuid[]) RETURNING id""",
                       tid, pros[0], pros[1])
    for pro in pros:
        e2e.psql("INSERT INTO service_professionals (tenant_id, service_id, professional_id)"
                 " VALUES (:'p1', :'p2', :'p3')", tid, service, pro)
    slug = secrets.token_urlsafe(18)
    e2e.psql("INSERT INTO booking_links (tenant_id, slug, name) VALUES (:'p1', :'p2', 'Juntas')", tid, slug)
    return slug, service, pros


def test_a_customer_books_a_whole_team_on_a_phone(browser, stack, shots):  # noqa: F811
    slug, service, pros = seed_team()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    d = browser("es", MOBILE)
    j = Journey(d, shots, "teams").open(stack["KF_URL"] + "/book/" + slug)
    card = wait_text(d, "label.card", "Junta médica")
    assert "Con 2 profesionales a la vez" in card.text
    j.choose_service("Junta médica")
    # the whole team, listed; nobody to choose
    section = wait_text(d, "main", "Con todo el equipo")
    assert all(n in section.text for n in NAMES)
    assert not d.find_elements(By.CSS_SELECTOR, "input[name=professional]")
    assert_accessible(d, "a team service and its members")
    assert no_horizontal_scroll(d)
    j.shot("1-team")
    j.to_time()
    click_css(d, ".days .day[data-day='%s']" % tomorrow)
    # 08:00 and 09:00 are Ana's alone: the team's first time is 10:00, when Beto starts too
    first = wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".times .time"), 15, "no times")[0]
    assert "10:00" in first.text.replace("\u00a0", " "), first.text
    assert no_horizontal_scroll(d)
    j.shot("2-team-times")
    start = first.get_attribute("data-start")
    j.pick(first)
    j.wait_held()
    j.to_details()
    hold_line = d.find_element(By.CSS_SELECTOR, ".hold-when").text
    assert all(n in hold_line for n in NAMES), hold_line
    j.fill(name="Camila Rojas", email="camila@example.com", phone="3001234567", terms=True)
    j.shot("3-details")
    j.submit()
    wait_text(d, "main h1", "¡Reserva confirmada!", timeout=30)
    main = d.find_element(By.TAG_NAME, "main").text
    assert all(n in main for n in NAMES), main
    assert no_horizontal_scroll(d)
    j.shot("4-confirmed")
    # both are held by the one booking
    assert e2e.psql("SELECT cardinality(team_ids) FROM reservations WHERE service_id = :'p1'"
                    " AND starts_at = :'p2' AND status = 'paid'", service, start) == "2"
