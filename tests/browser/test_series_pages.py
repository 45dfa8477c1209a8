"""A weekly series of four sessions on the customer's pages, on the real stack, at 360 px and on a
desktop, in Spanish and English: the confirmation says "Sesión 1 de 4", lists the four sessions
and says what the one payment covered; the booking page of the second session says which it is
and lists the series with its state; cancelling "this and the following" from the second
session, after the page said which dates, cancels the second to the fourth and keeps the first;
the portal's cards say which session each is. Screenshots: var/screenshots/series-*."""
import datetime as dt
import secrets
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from accessibility import assert_accessible
from conftest import DESKTOP, MOBILE, no_horizontal_scroll, resize, wait, wait_css, wait_text
from dashboard_support import e2e, e2e_helper
from test_manage_journeys import stack  # noqa: F401  (fixture)
from test_portal_journeys import sign_in_by_mail, tenant_root

PRICE = 8000000
BOGOTA = ZoneInfo("America/Bogota")
WORDS = {
    "es": {"first": "Sesión 1 de 4", "second": "Sesión 2 de 4", "covers_all": "por las 4 sesiones",
           "covers_first": "solo por la primera sesión", "approved": "¡Reserva confirmada!",
           "manage": "Tu reserva", "cancelled": "Reserva cancelada", "this": "esta sesión"},
    "en": {"first": "Session 1 of 4", "second": "Session 2 of 4", "covers_all": "for all 4 sessions",
           "covers_first": "for the first session only", "approved": "Booking confirmed!",
           "manage": "Your booking", "cancelled": "Booking cancelled", "this": "this session"},
}


def book_series(stack, pay_mode="all", day_offset=3):
    """Centro Andino with Wompi (the fake): a 60-minute therapy booked as a weekly series, a series
    of four booked and paid through the API. Returns (merchant, slug, booking, email)."""
    seed = e2e_helper("booking_seed")
    payments = e2e_helper("payments_helpers")
    merchant = e2e.seed_merchant(stack, business="Centro Andino")
    fakes = e2e.Fakes(stack["KF_FAKES_URL"])
    pay = payments.PayTenant(merchant, fakes, stack, price=PRICE)
    # no return to the merchant's site: the confirmation stays on screen
    r = merchant.api.patch("/api/admin/tenant", json={"return_url": None})
    assert r.status_code == 200, r.text
    e2e.psql("UPDATE services SET name = 'Terapia', duration_minutes = 60, slot_interval_minutes = 60,"
             " series = :'p2'::jsonb WHERE id = :'p1'", pay.service,
             '{"every": "week", "min": 2, "max": 6, "pay": "%s"}' % pay_mode)
    pro = seed.professional(merchant.tenant_id, name="Lucía Prado", hours=seed.ALL_WEEK(("09:00", "17:00")),
                            services=[pay.service])
    slug = seed.link(merchant.tenant_id)
    public = e2e.Api(stack)
    day = seed.today_plus(day_offset)
    start = public.get("/api/public/links/%s/availability" % slug, params={
        "service": pay.service, "professional": pro, "from": day, "days": 1,
        "repeat": "week", "count": 4}).json()["slots"][0]["start"]
    r = public.post("/api/public/holds", json={"link": slug, "service": pay.service, "professional": pro,
                                               "start": start, "repeat": "week", "count": 4})
    assert r.status_code == 201, r.text
    email = "serie-%s@example.com" % secrets.token_hex(5)
    r = public.post("/api/public/bookings", json={
        "hold_token": r.json()["hold"]["token"], "accepted_terms": True, "timezone": "America/Bogota",
        "customer": {"name": "Valentina Ruiz", "email": email, "phone": "+573001234567"}})
    assert r.status_code == 201, r.text
    booking = r.json()["booking"]
    pay.fire(booking["payment"]["reference"], amount=booking["charge"]["amount"])
    ids = [o["id"] for o in booking["occurrences"]]
    payments.wait_for(lambda: all(e2e.psql("SELECT status FROM reservations WHERE id = :'p1'", i)
                                  in ("paid", "confirmed") for i in ids), what="every session paid")
    return merchant, slug, booking, email


@pytest.fixture(scope="module")
def series(stack):  # noqa: F811
    return book_series(stack)


def day_of(start):
    """The session's day of the month in Bogotá, as the pages write it."""
    return str(dt.datetime.fromisoformat(start.replace("Z", "+00:00")).astimezone(BOGOTA).day)


def sessions(d):
    return d.find_elements(By.CSS_SELECTOR, "ol#series-sessions > li")


def shot_of_sessions(d, shots, name):
    """The sessions' list brought on screen (below the fold on a phone), then shot."""
    d.execute_script("document.getElementById('series-sessions').scrollIntoView({block: 'center'})")
    shots(d, name + "-sessions")


def status_of(stack, booking_id, token):
    r = e2e.Api(stack).get("/api/public/bookings/%s" % booking_id, params={"token": token})
    assert r.status_code == 200, r.text
    return r.json()["booking"]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("size", [MOBILE, DESKTOP], ids=["360", "desktop"])
def test_the_confirmation_says_which_session_and_lists_them_all(browser, stack, series, shots, lang, size):  # noqa: F811
    _, slug, booking, _ = series
    words = WORDS[lang]
    d = browser(lang, size)
    d.get("%s/book/%s/confirmation?booking=%s&token=%s" % (stack["KF_URL"], slug, booking["id"], booking["token"]))
    wait_text(d, "main h1", words["approved"], timeout=30)
    assert wait_css(d, "#series-position").text == words["first"]
    items = sessions(d)
    assert len(items) == 4
    for item, occurrence, n in zip(items, booking["occurrences"], range(1, 5)):
        assert item.text.startswith("%d. " % n) and day_of(occurrence["start"]) in item.text
    assert items[0].get_attribute("aria-current") == "true" and words["this"] in items[0].text
    # the series' one payment: four sessions' price, said to cover all four
    amount = d.find_element(By.CSS_SELECTOR, ".summary-amount dd").text
    assert words["covers_all"] in amount and ("320" in amount)
    assert no_horizontal_scroll(d)
    assert_accessible(d, "a series' confirmation")
    shots(d, "series-confirmation-%s" % lang)
    shot_of_sessions(d, shots, "series-confirmation-%s" % lang)


def test_a_series_paid_first_says_the_payment_was_the_first_sessions(browser, stack, shots):  # noqa: F811
    _, slug, booking, _ = book_series(stack, pay_mode="first", day_offset=4)
    d = browser("es", MOBILE)
    d.get("%s/book/%s/confirmation?booking=%s&token=%s" % (stack["KF_URL"], slug, booking["id"], booking["token"]))
    wait_text(d, "main h1", WORDS["es"]["approved"], timeout=30)
    amount = d.find_element(By.CSS_SELECTOR, ".summary-amount dd").text
    assert WORDS["es"]["covers_first"] in amount and "80" in amount and "320" not in amount
    assert len(sessions(d)) == 4


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("size", [MOBILE, DESKTOP], ids=["360", "desktop"])
def test_the_booking_page_of_the_second_session_shows_the_series(browser, stack, series, shots, lang, size):  # noqa: F811
    _, _, booking, _ = series
    words = WORDS[lang]
    second = booking["occurrences"][1]["id"]
    d = browser(lang, size)
    d.get("%s/book/manage/%s?token=%s" % (stack["KF_URL"], second, booking["token"]))
    wait_text(d, "main h1", words["manage"])
    assert wait_css(d, "#series-position").text == words["second"]
    shot_of_sessions(d, shots, "series-manage-%s" % lang)
    items = sessions(d)
    assert len(items) == 4 and {i.get_attribute("data-status") for i in items} <= {"paid", "confirmed"}
    assert [i.get_attribute("aria-current") for i in items] == [None, "true", None, None]
    # cancelling offers the choice, the second and the two after it
    d.find_element(By.ID, "cancel-open").click()
    legend = wait_css(d, "#cancel-scope-choice legend")
    assert legend.text == {"es": "¿Qué sesiones quieres cancelar?", "en": "Which sessions do you want to cancel?"}[lang]
    labels = [e.text for e in d.find_elements(By.CSS_SELECTOR, "#cancel-scope-choice label")]
    assert labels == {"es": ["Solo esta sesión", "Esta y las siguientes (2)"],
                      "en": ["This session only", "This and the following 2"]}[lang]
    # the focus is on the choice (the checked radio: this session only)
    assert d.switch_to.active_element.get_attribute("id") == "cancel-scope-one"
    assert no_horizontal_scroll(d)
    assert_accessible(d, "a session's page with the cancel's choice")
    shots(d, "series-manage-%s" % lang)


def test_cancel_this_and_the_following_from_the_second_session(browser, stack, shots):  # noqa: F811
    _, _, booking, _ = book_series(stack, day_offset=5)
    ids = [o["id"] for o in booking["occurrences"]]
    d = browser("es", MOBILE)
    d.get("%s/book/manage/%s?token=%s" % (stack["KF_URL"], ids[1], booking["token"]))
    wait_text(d, "main h1", "Tu reserva")
    d.find_element(By.ID, "cancel-open").click()
    wait_css(d, "#cancel-scope-choice")
    will = d.find_element(By.ID, "cancel-will")
    assert "Se cancelará solo la sesión del" in will.text and day_of(booking["occurrences"][1]["start"]) in will.text
    # the keyboard: the arrow moves to "this and the following", and the page says which dates
    d.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    assert d.switch_to.active_element.get_attribute("id") == "cancel-scope-rest"
    wait_text(d, "#cancel-will", "Se cancelarán estas 3 sesiones:")
    dates = d.find_elements(By.CSS_SELECTOR, "#cancel-will li")
    assert [day_of(o["start"]) in e.text for e, o in zip(dates, booking["occurrences"][1:])] == [True] * 3
    assert len(dates) == 3
    assert no_horizontal_scroll(d)
    shots(d, "series-cancel-rest")
    d.find_element(By.ID, "cancel-confirm").click()
    wait_text(d, "main h1", "Reserva cancelada")
    note = d.find_element(By.CSS_SELECTOR, "main .notice-info").text
    assert "Cancelaste 3 sesiones." in note
    items = wait(d, lambda d: sessions(d) if len(sessions(d)) == 4 else None, 10, "the series listed")
    assert [i.get_attribute("data-status") for i in items][1:] == ["cancelled"] * 3
    assert items[0].get_attribute("data-status") in ("paid", "confirmed")
    shots(d, "series-cancelled-rest")
    shot_of_sessions(d, shots, "series-cancelled-rest")
    # the API: the first session kept, the second to the fourth cancelled
    got = status_of(stack, ids[0], booking["token"])
    statuses = [o["status"] for o in got["occurrences"]]
    assert statuses[0] in ("paid", "confirmed") and statuses[1:] == ["cancelled"] * 3
    # the first session's page: nothing later is booked, so no choice is offered
    d.get("%s/book/manage/%s?token=%s" % (stack["KF_URL"], ids[0], booking["token"]))
    wait_text(d, "main h1", "Tu reserva")
    assert wait_css(d, "#series-position").text == "Sesión 1 de 4"
    d.find_element(By.ID, "cancel-open").click()
    assert d.switch_to.active_element.get_attribute("id") == "cancel-reason"
    assert not d.find_elements(By.ID, "cancel-scope-choice")


def test_the_portal_cards_say_which_session_each_is(browser, stack, series, shots):  # noqa: F811
    merchant, _, booking, email = series
    root = tenant_root(stack, merchant.tenant_id)
    d = browser("es", MOBILE)
    sign_in_by_mail(d, stack, root, email, shots, "series-portal")
    wait_css(d, ".me-card")

    def said(d):
        found = [e.get_attribute("textContent") for e in d.find_elements(By.CSS_SELECTOR, ".me-card h2")]
        return found if len(found) == 4 else None
    heads = wait(d, said, 10, "the four cards")
    assert heads == ["Terapia, Sesión %d de 4" % k for k in range(1, 5)]
    assert wait_css(d, ".me-card .me-series").text == "Sesión 1 de 4"
    for size in (MOBILE, DESKTOP):
        resize(d, size)
        assert no_horizontal_scroll(d)
        shots(d, "series-portal")


def later(start, **delta):
    moved = dt.datetime.fromisoformat(start.replace("Z", "+00:00")) + dt.timedelta(**delta)
    return moved.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_reschedule_this_and_the_following_says_the_dates_and_a_taken_one(browser, stack, shots):  # noqa: F811
    """From the second session, two hours later with the following ones: the page says each
    session's old and new time; a later session's new time taken meanwhile is named and nothing
    moves; once it is free again the same choice moves the second to the fourth, not the first."""
    _, slug, booking, _ = book_series(stack, day_offset=6)
    ids = [o["id"] for o in booking["occurrences"]]
    starts = [o["start"] for o in booking["occurrences"]]
    target = later(starts[1], hours=2)
    d = browser("es", MOBILE)
    d.get("%s/book/manage/%s?token=%s" % (stack["KF_URL"], ids[1], booking["token"]))
    wait_text(d, "main h1", "Tu reserva")
    d.find_element(By.ID, "reschedule-open").click()
    wait_text(d, "main h1", "Elige la nueva fecha y hora")
    legend = wait_css(d, "#reschedule-scope-choice legend")
    assert legend.text == "¿Qué sesiones quieres mover?"
    d.find_element(By.CSS_SELECTOR, "label[for=reschedule-scope-rest]").click()
    wait_text(d, "#reschedule-will", "Las siguientes se moverán con ella")
    assert_accessible(d, "the move's choice of this session and the following")
    day = dt.datetime.fromisoformat(starts[1].replace("Z", "+00:00")).astimezone(BOGOTA).date().isoformat()
    wait_css(d, ".times .time")
    d.execute_script("arguments[0].click()", wait_css(d, ".days .day[data-day='%s']" % day))

    def slot(d):
        return next((b for b in d.find_elements(By.CSS_SELECTOR, ".times .time")
                     if b.get_attribute("data-start") == target), None)
    # meanwhile someone else books the time the fourth session would move to (beyond what the
    # link offers today, as a later session can be: written straight in)
    taken = later(starts[3], hours=2)
    other = e2e.psql("""INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
                          ends_at, blocked)
                        SELECT tenant_id, service_id, professional_id, 'paid', s, s + interval '1 hour',
                               tstzrange(s, s + interval '1 hour')
                        FROM reservations, (SELECT :'p2'::timestamptz AS s) x WHERE id = :'p1'
                        RETURNING id""", ids[0], taken)
    d.execute_script("arguments[0].click()", wait(d, slot, 15, "the time two hours later"))
    wait(d, lambda d: d.find_element(By.ID, "reschedule-confirm").is_enabled())
    wait_text(d, "#reschedule-will", "Estas 3 sesiones se moverán:")
    lines = d.find_elements(By.CSS_SELECTOR, "#reschedule-will li")
    assert len(lines) == 3 and all(" pasa al " in e.text for e in lines)
    for line, old, new in zip(lines, starts[1:], [later(s, hours=2) for s in starts[1:]]):
        was, becomes = line.text.split(" pasa al ")
        assert " %s de " % day_of(old) in was and "9:00 a. m." in was
        assert " %s de " % day_of(new) in becomes and "11:00 a. m." in becomes
    assert no_horizontal_scroll(d)
    d.execute_script("document.getElementById('reschedule-will').scrollIntoView({block: 'center'})")
    shots(d, "series-reschedule-rest")
    d.find_element(By.ID, "reschedule-confirm").click()
    notice = wait(d, lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "main [role=alert]")
                                     if "ya está ocupada" in e.text), None), 15, "the taken session named")
    local = dt.datetime.fromisoformat(taken.replace("Z", "+00:00")).astimezone(BOGOTA)
    assert " %d de " % local.day in notice.text and "%d:00" % (local.hour % 12 or 12) in notice.text
    shots(d, "series-reschedule-taken")
    got = status_of(stack, ids[0], booking["token"])
    assert [o["start"] for o in got["occurrences"]] == starts
    # the other booking goes: the same choice now moves the second to the fourth
    e2e.psql("DELETE FROM reservations WHERE id = :'p1'", other)
    d.find_element(By.ID, "reschedule-confirm").click()
    wait_text(d, "main h1", "Reserva movida")
    got = status_of(stack, ids[0], booking["token"])
    assert [o["start"] for o in got["occurrences"]] == [starts[0]] + [later(s, hours=2) for s in starts[1:]]
