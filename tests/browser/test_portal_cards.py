"""What each booking of the customer's portal says, on the real stack at 360 px and on a
desktop: an upcoming booking offers cancel, a new time (straight at the date and time step of
its page) and the calendar, its long video link wrapping inside the card (and a long address on the page breaking instead of
widening it); one whose time can
no longer be changed online gives the business's phone and address as links; a cancelled one
shows no video link and no calendar; a past one reads "Pasada", "Asistió" or "No asistió",
never "Confirmada", and offers no calendar. No link or sentence is capitalised by CSS.
Screenshots: var/screenshots/portal-cards-*."""
import datetime as dt
import secrets

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, click, console_errors, no_horizontal_scroll, resize, wait, wait_css, wait_text
from dashboard_support import e2e, e2e_helper, heading
from test_manage_journeys import stack  # noqa: F401  (fixture)
from test_portal_journeys import sign_in_by_mail, tenant_root

VIDEO = ("https://videollamadas.consultorio-centro-andino.example.com/sala/"
         "consulta-en-linea-con-la-doctora-lucia-prado-" + secrets.token_hex(16))


def when(days, hour):
    """A weekday `days` from today at `hour`, Bogotá time (UTC-5), as the API writes times."""
    day = dt.date.today() + dt.timedelta(days=days)
    return (dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.timezone.utc)
            + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def customer(stack):
    """Centro Andino's video consultations and one customer's six bookings of them."""
    seed = e2e_helper("booking_seed")
    api = e2e.Api(stack)
    sc = seed.Scenario(api, tenant={"wompi": False, "name": "Centro Andino"},
                       service={"charge": "free", "price": 0, "name": "Consulta en línea", "horizon": 30},
                       professionals=[{"name": "Lucía Prado", "hours": seed.ALL_WEEK(("08:00", "18:00"))}])
    e2e.psql("UPDATE services SET location_type = 'video', location_value = :'p2' WHERE id = :'p1'",
             sc.service_id, VIDEO)
    # (a booking nobody marks counts as attended a month after it ends: not during the test)
    e2e.psql("UPDATE tenants SET contact_phone = '+576015550123', notification_email = 'citas@centroandino.example',"
             " auto_complete_hours = 720, logo_url = NULL WHERE id = :'p1'", sc.tenant_id)
    # an address with no place a line may break at, as long as many are
    email = "valentina.ruiz.gomez.%s@consultorios.example.com" % secrets.token_hex(6)

    def booked(days, hour):
        r = sc.hold(when(days, hour))
        assert r.status_code == 201, r.text
        r = sc.book(r.json()["hold"]["token"], email=email, name="Valentina Ruiz")
        assert r.status_code == 201, r.text
        return r.json()["booking"]

    def to_the_past(b, days_back, status=None):
        e2e.psql("""UPDATE reservations SET starts_at = starts_at - make_interval(days => :'p2'::int),
                      ends_at = ends_at - make_interval(days => :'p2'::int),
                      blocked = tstzrange(lower(blocked) - make_interval(days => :'p2'::int),
                                          upper(blocked) - make_interval(days => :'p2'::int)),
                      status = coalesce(NULLIF(:'p3', ''), status)
                    WHERE id = :'p1'""", b["id"], days_back, status or "")

    upcoming = booked(5, 9)
    moved_twice = booked(6, 10)
    e2e.psql("UPDATE reservations SET reschedule_count = 2 WHERE id = :'p1'", moved_twice["id"])
    called_off = booked(7, 11)
    r = api.post("/api/public/bookings/%s/cancel" % called_off["id"],
                 headers={"Authorization": "Bearer " + called_off["token"]}, json={})
    assert r.status_code == 200, r.text
    gone_by, attended, missed = booked(8, 9), booked(9, 9), booked(10, 9)
    to_the_past(gone_by, 8 + 2)                   # two days ago, not marked yet
    to_the_past(attended, 9 + 7, "completed")     # a week ago
    to_the_past(missed, 10 + 14, "no_show")       # two weeks ago
    return {"sc": sc, "email": email, "upcoming": upcoming, "moved_twice": moved_twice,
            "called_off": called_off, "gone_by": gone_by, "attended": attended, "missed": missed}


def card(d, booking):
    return wait_css(d, ".me-card[data-booking='%s']" % booking["id"])


def status(c):
    """The status word as seen (screen readers hear "Estado:" before it)."""
    return c.find_element(By.CSS_SELECTOR, ".me-status").text.replace("Estado:", "").strip()


def buttons(c):
    return [b.text for b in c.find_elements(By.CSS_SELECTOR, ".me-actions .btn")]


def inside(d, el, box):
    """el lies within box horizontally (a long word wraps instead of sticking out)."""
    return d.execute_script("""
      const e = arguments[0].getBoundingClientRect(), b = arguments[1].getBoundingClientRect();
      return e.width > 0 && e.left >= b.left - 0.5 && e.right <= b.right + 0.5;""", el, box)


def capitalised_by_css(d, el):
    """Whether CSS changes the case of el's text: text-transform on it or its ancestors, or an
    upper-case ::first-letter of a box that holds it."""
    return d.execute_script("""
      for (let n = arguments[0]; n && n.nodeType === 1; n = n.parentElement) {
        if (getComputedStyle(n).textTransform !== 'none') return true;
        if (getComputedStyle(n, '::first-letter').textTransform !== 'none') return true;
      }
      return false;""", el)


def test_each_booking_says_what_it_is_and_offers_only_what_it_allows(browser, stack, customer, shots):
    root = tenant_root(stack, customer["sc"].tenant_id)
    d = browser("es", MOBILE)
    sign_in_by_mail(d, stack, root, customer["email"], shots, "portal-cards-360")

    # the long address the customer signed in with breaks instead of widening the page
    assert no_horizontal_scroll(d)
    # upcoming: every action, the video link whole and wrapped inside its card
    up = card(d, customer["upcoming"])
    assert status(up) == "Confirmada"
    assert buttons(up) == ["Cancelar", "Cambiar fecha u hora", "Añadir a mi calendario", "Reservar de nuevo"]
    video = up.find_element(By.CSS_SELECTOR, "a[href='%s']" % VIDEO)
    assert video.text.replace("\n", "") == VIDEO
    assert not capitalised_by_css(d, video)
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", video)
    assert inside(d, video, up), "the video link sticks out of its card"
    assert no_horizontal_scroll(d)
    when_shown = up.find_element(By.XPATH, ".//dt[starts-with(., 'Cuándo')]/following-sibling::dd").text
    assert when_shown[0].isupper(), when_shown          # the date begins its line in capitals
    assert "Cuándo · Bogotá (GMT-5)" in up.text
    assert not up.find_elements(By.CSS_SELECTOR, ".contact-closed")
    shots(d, "portal-cards-360-upcoming")

    # moved as often as the policy allows: no new time, and whom to call or write instead
    moved = card(d, customer["moved_twice"])
    assert "Cambiar fecha u hora" not in buttons(moved) and "Cancelar" in buttons(moved)
    closed = moved.find_element(By.CSS_SELECTOR, ".contact-closed")
    assert "Ya no se puede cambiar la hora en línea. Para hacerlo, comunícate con Centro Andino:" in closed.text
    call = closed.find_element(By.CSS_SELECTOR, "a[href='tel:+576015550123']")
    write = closed.find_element(By.CSS_SELECTOR, "a[href='mailto:citas@centroandino.example']")
    assert (call.text, write.text) == ("Llamar al +57 601 555 0123", "Escribir a citas@centroandino.example")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", closed)
    assert inside(d, call, moved) and inside(d, write, moved)
    assert not capitalised_by_css(d, write)
    assert no_horizontal_scroll(d)
    shots(d, "portal-cards-360-closed")

    # cancelled: no meeting to join, nothing to put in a calendar
    off = card(d, customer["called_off"])
    assert status(off) == "Cancelada"
    assert not off.find_elements(By.CSS_SELECTOR, "a[href*='videollamadas']")
    assert "Añadir a mi calendario" not in off.text
    assert buttons(off) == ["Reservar de nuevo"]

    # past: in words of what happened, never "Confirmada", and no calendar
    click(d, d.find_element(By.ID, "me-tab-past"))
    wait(d, lambda d: d.find_element(By.ID, "me-tab-past").get_attribute("aria-selected") == "true")
    past = {k: card(d, customer[k]) for k in ("gone_by", "attended", "missed")}
    assert {k: status(c) for k, c in past.items()} == {
        "gone_by": "Pasada", "attended": "Asistió", "missed": "No asistió"}
    for c in past.values():
        assert "Confirmada" not in c.text and "Añadir a mi calendario" not in c.text
        assert not c.find_elements(By.CSS_SELECTOR, ".me-calendar, .contact-closed")
    assert no_horizontal_scroll(d)
    shots(d, "portal-cards-360-past")
    assert console_errors(d) == []

    # the same on a desktop
    resize(d, DESKTOP)
    click(d, d.find_element(By.ID, "me-tab-upcoming"))
    up = card(d, customer["upcoming"])
    assert inside(d, up.find_element(By.CSS_SELECTOR, "a[href='%s']" % VIDEO), up)
    assert no_horizontal_scroll(d)
    shots(d, "portal-cards-desktop-upcoming")


def test_change_date_or_time_opens_the_new_time_step_of_the_booking(browser, stack, customer, shots):
    root = tenant_root(stack, customer["sc"].tenant_id)
    d = browser("es", MOBILE)
    sign_in_by_mail(d, stack, root, customer["email"], shots, "portal-cards-reschedule")
    click(d, card(d, customer["upcoming"]).find_element(By.LINK_TEXT, "Cambiar fecha u hora"))
    heading(d, "Elige la nueva fecha y hora")
    assert "/book/manage/%s" % customer["upcoming"]["id"] in d.current_url
    wait_text(d, "#brand", "Centro Andino")               # the business's page, whatever its host
    wait_css(d, ".times .time")
    wait_text(d, "#reschedule-current", "Hora actual")
    assert no_horizontal_scroll(d)
    shots(d, "portal-cards-reschedule-step")
    # back: the booking itself
    click(d, d.find_element(By.ID, "reschedule-keep"))
    heading(d, "Tu reserva")
    assert "#" not in d.current_url
