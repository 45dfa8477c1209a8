"""What the merchant reads about bookings, on the real stack, in Spanish at 360 px and in
English at 1280 px: the bookings list shows what customers booked and keeps the holds
nobody completed behind "Incluir intentos sin completar"; the home's next appointments are
only the ones still to come; a free booking reads "Confirmada", never "Pagada" nor "not
paid"; attended / no-show is asked once, reads in words ("Asistió", "Did not attend · marked
by you", "Asistió (marcada automáticamente)"), never as a code; for 24 hours the page offers
the other mark and "Deshacer" / "Undo", then says the mark is final. Times are seeded
relative to the moment the test runs (the home test puts the business in a zone where it is
midday)."""
import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import DESKTOP, MOBILE, console_errors, wait_css
from dashboard_support import both_widths, e2e, e2e_helper, heading, log_in, stack_env, toast, wait

WIDTHS = [("es", MOBILE), ("en", DESKTOP)]


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def at(now, **delta):
    """RFC 3339 of now + delta, to the minute."""
    return (now + datetime.timedelta(**delta)).replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def main_text(d):
    return d.find_element(By.CSS_SELECTOR, "main").text



class Shop:
    """A merchant with a paid and a free service, a professional, and bookings written
    straight to the database around now."""

    def __init__(self, stack, business):
        self.seed = e2e_helper("admin_bookings_seed")
        self.m = e2e.seed_merchant(stack, business=business)
        self.paid_service = self.seed.add_service(self.m, name="Limpieza facial", price=12000000)
        self.free_service = self.seed.add_service(self.m, name="Valoración gratis", charge_type="free",
                                                  price=0)
        self.professional = self.seed.add_professional(self.m, name="Dra. Elena Vidal")

    def book(self, start, free=False, **kw):
        if free:
            kw.setdefault("charge", ("free", 0, "COP"))
        return self.seed.add_booking(self.m, self.free_service if free else self.paid_service,
                                     self.professional, start, **kw)

    def attempt(self, start, status, reason):
        """A hold nobody completed: no customer, no charge."""
        return self.book(start, status=status, reason=reason, name="", email="", phone="",
                         charge=None, accepted_terms=False)


LIST_WORDS = {
    "es": {"title": "Reservas", "include": "Incluir intentos sin completar", "confirmed": "Confirmada",
           "paid": "Pagada", "total": "{n} reservas", "attended": "Asistió", "noshow": "No asistió",
           "nobody": "Sin datos del cliente"},
    "en": {"title": "Bookings", "include": "Include unfinished attempts", "confirmed": "Confirmed",
           "paid": "Paid", "total": "{n} bookings", "attended": "Attended", "noshow": "Did not attend",
           "nobody": "No customer details"},
}


def rows(d):
    return [r.text for r in d.find_elements(By.CSS_SELECTOR, "main table.data tbody tr")]


def row_of(d, name):
    return next((r for r in rows(d) if name in r), None)


@pytest.mark.parametrize("lang,size", WIDTHS)
def test_the_list_shows_what_customers_booked_and_attempts_on_request(browser, stack, shots, lang, size):
    words = LIST_WORDS[lang]
    shop = Shop(stack, "Estudio Claro")
    now = utcnow()
    shop.book(at(now, days=2), name="Valentina Ruiz", email="valentina@example.com")
    shop.book(at(now, days=3), free=True, name="Mateo Gil", email="mateo@example.com")
    shop.book(at(now, days=1), status="pending_payment", name="Tomás Herrera", email="tomas@example.com")
    shop.book(at(now, days=4), status="cancelled", reason="cancelled_by_customer", name="Lucía Prado",
              email="lucia@example.com")
    shop.book(at(now, days=-2), status="completed", reason="completed", name="Sofía Mejía",
              email="sofia@example.com")
    shop.book(at(now, days=-3), status="no_show", reason="no_show", name="Andrés Cano",
              email="andres@example.com")
    # what no customer finished: a hold that ran out, one the booking page let go of, one
    # still open, and a customer who never paid
    shop.attempt(at(now, days=5), "expired", "hold_expired")
    shop.attempt(at(now, days=6), "cancelled", "hold_released")
    shop.attempt(at(now, days=1, hours=1), "held", "")
    shop.book(at(now, days=7), status="expired", reason="payment_window_passed", name="Carla Ríos",
              email="carla@example.com")

    d = browser(lang, size)
    log_in(d, stack["KF_URL"], shop.m.email, shop.m.password, next_path="/dashboard/bookings")
    heading(d, words["title"])
    wait(d, lambda d: len(rows(d)) == 6, msg="the list does not show the six bookings")
    shown = rows(d)
    for name in ("Valentina Ruiz", "Mateo Gil", "Tomás Herrera", "Lucía Prado", "Sofía Mejía", "Andrés Cano"):
        assert row_of(d, name), "%s is not listed: %s" % (name, shown)
    assert not row_of(d, "Carla Ríos") and not row_of(d, words["nobody"]), shown
    assert words["total"].format(n=6) in main_text(d)
    # a free booking is confirmed, never paid; attendance reads in words
    assert words["confirmed"] in row_of(d, "Mateo Gil") and words["paid"] not in row_of(d, "Mateo Gil")
    assert words["paid"] in row_of(d, "Valentina Ruiz")
    assert words["attended"] in row_of(d, "Sofía Mejía") and words["noshow"] in row_of(d, "Andrés Cano")
    box = d.find_element(By.ID, "filter-attempts")
    assert not box.is_selected()
    label = d.find_element(By.CSS_SELECTOR, "label[for='filter-attempts']")
    assert label.text == words["include"]
    # the CSV is the list as shown
    assert "customer=given" in d.find_element(By.ID, "csv-link").get_attribute("href")
    d.execute_script("arguments[0].scrollIntoView({block: 'start'})", d.find_element(By.ID, "filter-attempts"))
    both_widths(d, shots, "bookings-default-" + lang)

    # from the keyboard: tick the box, submit the filters
    box.send_keys(Keys.SPACE)
    assert box.is_selected()
    box.send_keys(Keys.ENTER)
    wait(d, lambda d: "attempts=include" in d.current_url)
    wait(d, lambda d: len(rows(d)) == 10, msg="the attempts are not listed")
    assert row_of(d, "Carla Ríos")
    assert len([r for r in rows(d) if words["nobody"] in r]) == 3
    assert words["total"].format(n=10) in main_text(d)
    assert d.find_element(By.ID, "filter-attempts").is_selected()
    assert "customer=given" not in d.find_element(By.ID, "csv-link").get_attribute("href")
    d.execute_script("arguments[0].scrollIntoView({block: 'start'})", d.find_element(By.CSS_SELECTOR, "main table.data"))
    both_widths(d, shots, "bookings-attempts-" + lang)
    # a reload keeps the choice (it lives in the address)
    d.refresh()
    wait(d, lambda d: len(rows(d)) == 10)
    assert not [e for e in console_errors(d) if "/api/auth/me" not in e]


HOME_WORDS = {
    "es": {"title": "Hola, Estudio Mediodía", "upcoming": "Próximas citas", "confirmed": "Confirmada",
           "paid": "Pagada"},
    "en": {"title": "Hello, Estudio Mediodía", "upcoming": "Upcoming appointments", "confirmed": "Confirmed",
           "paid": "Paid"},
}


def midday_zone(now):
    """A fixed-offset zone where it is between 12:00 and 12:59 now, so that "three hours
    ago" and "in two hours" are both today there, whatever the hour the test runs."""
    offset = 12 - now.hour            # hours east of UTC, -11..12
    return "Etc/GMT%+d" % -offset if offset else "UTC"


@pytest.mark.parametrize("lang,size", WIDTHS)
def test_next_appointments_are_only_the_ones_to_come(browser, stack, shots, lang, size):
    words = HOME_WORDS[lang]
    shop = Shop(stack, "Estudio Mediodía")
    now = utcnow()
    shop.seed.set_timezone(shop.m, midday_zone(now))
    shop.book(at(now, hours=-3), minutes=30, status="confirmed", name="Pasado Hoy",
              email="pasado@example.com")
    shop.book(at(now, minutes=-20), minutes=60, status="paid", name="Ahora Mismo",
              email="ahora@example.com")
    shop.book(at(now, hours=2), status="confirmed", name="Luego Hoy", email="luego@example.com")
    shop.book(at(now, days=1), free=True, name="Gratis Mañana", email="gratis@example.com")
    d = browser(lang, size)
    log_in(d, stack["KF_URL"], shop.m.email, shop.m.password)
    heading(d, words["title"])
    section = wait(d, lambda d: next((s for s in d.find_elements(By.CSS_SELECTOR, "main section.panel")
                                      if words["upcoming"] in s.text and "Luego Hoy" in s.text), None),
                   15, "no next appointments")
    text = section.text
    assert "Pasado Hoy" not in text and "Ahora Mismo" not in text, text
    assert text.index("Luego Hoy") < text.index("Gratis Mañana")
    free_row = next(r.text for r in section.find_elements(By.CSS_SELECTOR, "tbody tr") if "Gratis Mañana" in r.text)
    assert words["confirmed"] in free_row and words["paid"] not in free_row
    d.execute_script("arguments[0].scrollIntoView({block: 'start'})", section)
    both_widths(d, shots, "home-upcoming-" + lang)


DETAIL_WORDS = {
    "es": {"action": "complete", "button": "Asistió", "title": "¿Valentina Ruiz asistió a la cita?",
           "yes": "Sí, asistió", "back": "No, volver", "toast": "Valentina Ruiz asistió",
           "badge": "Asistió", "why": "marcada por ti", "final": "24 horas",
           "status": "completed", "audit": "booking.complete",
           "codes": ("completed", "motivo")},
    "en": {"action": "no-show", "button": "Did not attend", "title": "Did Valentina Ruiz miss the appointment?",
           "yes": "Yes, did not attend", "back": "No, go back", "toast": "Valentina Ruiz did not attend",
           "badge": "Did not attend", "why": "marked by you", "final": "24 hours",
           "status": "no_show", "audit": "booking.no_show",
           "codes": ("no_show", "reason:")},
}


def dialog(d):
    return wait(d, lambda d: next((x for x in d.find_elements(By.CSS_SELECTOR, "dialog[open]") if x.is_displayed()), None),
                10, "no confirmation dialog")


@pytest.mark.parametrize("lang,size", WIDTHS)
def test_attendance_is_asked_once_and_reads_in_words(browser, stack, shots, lang, size):
    words = DETAIL_WORDS[lang]
    shop = Shop(stack, "Estudio Asistencia")
    now = utcnow()
    booking = shop.book(at(now, minutes=-90), minutes=30, status="confirmed", name="Valentina Ruiz",
                        email="valentina@example.com")
    d = browser(lang, size)
    log_in(d, stack["KF_URL"], shop.m.email, shop.m.password, next_path="/dashboard/bookings/" + booking)
    heading(d, "Valentina Ruiz")
    button = wait_css(d, "#mark-" + words["action"])
    assert button.text == words["button"]
    panel = d.find_element(By.CSS_SELECTOR, "section[aria-labelledby='attendance-title']")
    assert words["final"] in panel.text, panel.text
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    both_widths(d, shots, "booking-attendance-" + lang)

    # asked first; Escape keeps the booking as it was and gives the focus back
    button.click()
    box = dialog(d)
    assert words["title"] in box.text and words["final"] in box.text, box.text
    assert d.switch_to.active_element.text == words["back"]
    both_widths(d, shots, "booking-attendance-confirm-" + lang)
    d.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(d, lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"))
    assert d.switch_to.active_element.get_attribute("id") == "mark-" + words["action"]
    assert e2e.psql("SELECT status FROM reservations WHERE id = :'p1'", booking) == "confirmed"

    # asked once: yes marks it, with no second question
    d.switch_to.active_element.send_keys(Keys.ENTER)
    yes = next(b for b in dialog(d).find_elements(By.TAG_NAME, "button") if b.text == words["yes"])
    yes.click()
    toast(d, words["toast"])
    wait(d, lambda d: not d.find_elements(By.ID, "mark-" + words["action"]))
    assert e2e.psql("SELECT status FROM reservations WHERE id = :'p1'", booking) == words["status"]
    assert e2e.psql("SELECT count(*) FROM audit_log WHERE tenant_id = :'p1' AND action = :'p2'",
                    shop.m.tenant_id, words["audit"]) == "1"
    status_line = wait(d, lambda d: next((p for p in d.find_elements(By.CSS_SELECTOR, "main p.booking-status")
                                          if words["badge"] in p.text), None), 10, "no status line")
    assert words["why"] in status_line.text, status_line.text
    text = main_text(d)
    for code in words["codes"]:
        assert code not in text, "%r shown to the merchant:\n%s" % (code, text)
    history = d.find_element(By.CSS_SELECTOR, "main ol.timeline").text
    assert words["badge"] in history and words["why"] in history
    both_widths(d, shots, "booking-attendance-marked-" + lang)


FREE_WORDS = {
    "es": {"confirmed": "Confirmada", "paid": "Pagada", "not_paid": "no está pagada", "free": "esta reserva es gratis",
           "auto": "nadie la marcó a tiempo", "attended": "Asistió"},
    "en": {"confirmed": "Confirmed", "paid": "Paid", "not_paid": "not paid", "free": "this booking is free",
           "auto": "not marked in time", "attended": "Attended"},
}


@pytest.mark.parametrize("lang,size", WIDTHS)
def test_a_free_booking_reads_confirmed_and_an_automatic_completion_says_why(browser, stack, shots, lang, size):
    words = FREE_WORDS[lang]
    shop = Shop(stack, "Estudio Gratis")
    now = utcnow()
    free = shop.book(at(now, days=2), free=True, name="Mateo Gil", email="mateo@example.com")
    shop.seed.add_history(free, "held", "paid", "details_entered")
    done = shop.book(at(now, days=-3), status="completed", reason="completed_automatically",
                     name="Sofía Mejía", email="sofia@example.com")
    shop.seed.add_history(done, "confirmed", "completed", "completed_automatically")
    d = browser(lang, size)
    log_in(d, stack["KF_URL"], shop.m.email, shop.m.password, next_path="/dashboard/bookings/" + free)
    heading(d, "Mateo Gil")
    status_line = wait_css(d, "main p.booking-status")
    assert words["confirmed"] in status_line.text
    wait(d, lambda d: words["free"] in main_text(d))
    text = main_text(d)
    assert words["paid"] not in text and words["not_paid"] not in text.lower(), text
    assert words["confirmed"] in d.find_element(By.CSS_SELECTOR, "main ol.timeline").text
    both_widths(d, shots, "booking-free-" + lang)

    d.get(stack["KF_URL"] + "/dashboard/bookings/" + done)
    heading(d, "Sofía Mejía")
    status_line = wait(d, lambda d: next((p for p in d.find_elements(By.CSS_SELECTOR, "main p.booking-status")
                                          if words["attended"] in p.text), None), 10, "no status line")
    assert words["auto"] in status_line.text, status_line.text
    assert "completed_automatically" not in main_text(d)


UNDO_WORDS = {
    "es": {"attended": "Asistió", "auto": "Asistió (marcada automáticamente)", "noshow": "No asistió",
           "undo": "Deshacer", "change": "Cambiar a “No asistió”", "yes": "Sí, no asistió",
           "window": "hasta el", "toast_change": "Valentina Ruiz no asistió",
           "toast_undo": "Marca deshecha", "unmarked": "Confirmada", "why_undone": "marca deshecha",
           "final": "ya no se puede cambiar"},
    "en": {"attended": "Attended", "auto": "Attended (marked automatically)", "noshow": "Did not attend",
           "undo": "Undo", "change": "Change to “Did not attend”", "yes": "Yes, did not attend",
           "window": "until", "toast_change": "Valentina Ruiz did not attend",
           "toast_undo": "Mark undone", "unmarked": "Confirmed", "why_undone": "mark undone",
           "final": "can no longer be changed"},
}


def attendance_panel(d):
    return wait_css(d, "section[aria-labelledby='attendance-title']")


@pytest.mark.parametrize("lang,size", WIDTHS)
def test_a_mark_is_changed_or_undone_within_its_day(browser, stack, shots, lang, size):
    """Marked automatically an hour ago: the mark reads in words, the other one is offered
    (asked once) and "Deshacer" / "Undo" takes it back to unmarked; a mark made 25 hours
    ago is final and offers neither."""
    words = UNDO_WORDS[lang]
    shop = Shop(stack, "Estudio Deshacer")
    now = utcnow()
    booking = shop.book(at(now, days=-2), minutes=30, status="completed", reason="completed_automatically",
                        name="Valentina Ruiz", email="valentina@example.com")
    shop.seed.add_history(booking, "confirmed", "completed", "completed_automatically",
                          at=at(now, hours=-1))
    old = shop.book(at(now, days=-3), minutes=30, status="no_show", reason="no_show",
                    name="Andrés Cano", email="andres@example.com")
    shop.seed.add_history(old, "paid", "no_show", "no_show", at=at(now, hours=-25))
    d = browser(lang, size)
    log_in(d, stack["KF_URL"], shop.m.email, shop.m.password, next_path="/dashboard/bookings")
    wait(d, lambda d: row_of(d, "Valentina Ruiz") and words["auto"] in row_of(d, "Valentina Ruiz"),
         msg="the list does not say the booking was marked automatically")
    assert words["noshow"] in row_of(d, "Andrés Cano")

    d.get(stack["KF_URL"] + "/dashboard/bookings/" + booking)
    heading(d, "Valentina Ruiz")
    undo = wait_css(d, "#mark-undo")
    assert undo.text == words["undo"]
    change = d.find_element(By.ID, "mark-no-show")
    assert change.text == words["change"]
    assert not d.find_elements(By.ID, "mark-complete")
    panel = attendance_panel(d)
    assert words["auto"] in panel.text and words["window"] in panel.text, panel.text
    assert words["auto"] in d.find_element(By.CSS_SELECTOR, "main p.booking-status").text
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", undo)
    both_widths(d, shots, "booking-mark-changeable-" + lang)

    # the other mark, asked once
    change.click()
    yes = next(b for b in dialog(d).find_elements(By.TAG_NAME, "button") if b.text == words["yes"])
    yes.click()
    toast(d, words["toast_change"])
    wait(d, lambda d: d.find_elements(By.ID, "mark-complete") and not d.find_elements(By.ID, "mark-no-show"))
    assert e2e.psql("SELECT status FROM reservations WHERE id = :'p1'", booking) == "no_show"
    assert words["noshow"] in d.find_element(By.CSS_SELECTOR, "main p.booking-status").text

    # undone: back to unmarked, the marks offered again, the history says so
    wait_css(d, "#mark-undo").click()
    toast(d, words["toast_undo"])
    wait(d, lambda d: not d.find_elements(By.ID, "mark-undo") and d.find_elements(By.ID, "mark-complete")
         and d.find_elements(By.ID, "mark-no-show"))
    assert e2e.psql("SELECT status FROM reservations WHERE id = :'p1'", booking) == "confirmed"
    assert words["unmarked"] in d.find_element(By.CSS_SELECTOR, "main p.booking-status").text
    history = d.find_element(By.CSS_SELECTOR, "main ol.timeline").text
    assert words["why_undone"] in history, history
    assert "mark_undone" not in main_text(d)
    both_widths(d, shots, "booking-mark-undone-" + lang)

    # a day later the mark is final
    d.get(stack["KF_URL"] + "/dashboard/bookings/" + old)
    heading(d, "Andrés Cano")
    panel = attendance_panel(d)
    assert words["final"] in panel.text, panel.text
    assert not d.find_elements(By.ID, "mark-undo") and not d.find_elements(By.ID, "mark-complete")
