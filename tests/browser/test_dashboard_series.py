"""Series in the dashboard, on the real stack: the merchant makes a service bookable as a
weekly series (a maximum out of 2..12 is refused under its field, nothing saved), a customer
books a series, and each of its bookings shows its place in the series and every session,
each linking to its own booking. Screenshots at phone and desktop width."""
import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP
from dashboard_support import (both_widths, choose, e2e, e2e_helper, field_error, heading, log_in,
                               stack_env, submit, toast, type_into, wait)


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def test_the_merchant_offers_a_series_and_sees_its_sessions(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Estudio Series")
    e2e.psql("UPDATE tenants SET timezone = 'America/Bogota', terms_url = 'https://example.com/terms'"
             " WHERE id = :'p1'", m.tenant_id)
    pro = seed.professional(m.tenant_id, name="Laura Prana", hours=seed.ALL_WEEK(("08:00", "18:00")))
    d = browser("es", DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/services/new")
    heading(d, "Nuevo servicio")
    type_into(d, "name", "Terapia semanal")
    type_into(d, "price", "0")
    type_into(d, "description", "Una sesión de terapia cada semana.")
    type_into(d, "duration_minutes", "60")
    choose(d, "charge_type", "free")
    choose(d, "series.every", "week")
    type_into(d, "series.min", "2")
    type_into(d, "series.max", "13")
    d.find_element(By.CSS_SELECTOR, "main input[name=professional_ids][value='%s']" % pro).click()
    submit(d)
    assert "12" in field_error(d, "series.max")
    assert e2e.psql("SELECT count(*) FROM services WHERE tenant_id = :'p1'", m.tenant_id) == "0"
    type_into(d, "series.max", "6")
    submit(d)
    toast(d, "Servicio creado")
    service = e2e.psql("SELECT id FROM services WHERE tenant_id = :'p1'", m.tenant_id)
    assert e2e.psql("SELECT series::text FROM services WHERE id = :'p1'", service) == \
        '{"max": 6, "min": 2, "pay": "all", "every": "week"}'

    # a customer books three weeks
    slug = seed.link(m.tenant_id)
    public = e2e.Api(stack)
    start = public.get("/api/public/links/%s/availability" % slug, params={
        "service": service, "professional": pro, "from": seed.today_plus(2), "days": 1,
        "repeat": "week", "count": 3}).json()["slots"][0]["start"]
    hold = public.post("/api/public/holds", json={"link": slug, "service": service, "professional": pro,
                                                  "start": start, "repeat": "week", "count": 3}).json()["hold"]
    r = public.post("/api/public/bookings", json={
        "hold_token": hold["token"], "accepted_terms": True,
        "customer": {"name": "Camila Rojas", "email": "camila@example.com", "phone": "+573001234567"}})
    assert r.status_code == 201, r.text
    ids = [o["id"] for o in r.json()["booking"]["occurrences"]]
    d.get(stack["KF_URL"] + "/dashboard/bookings/" + ids[0])
    heading(d, "Reserva de Camila Rojas")
    panel = wait(d, lambda d: next(iter(d.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=series-title]")),
                                   None), 15, "no series panel")
    assert "Serie" in panel.text and "Sesión 1 de 3" in panel.text
    both_widths(d, shots, "booking-series")
    # the next session is a link to its own booking
    links = panel.find_elements(By.CSS_SELECTOR, "a")
    assert len(links) == 2
    links[0].click()
    heading(d, "Reserva de Camila Rojas")
    assert ids[1] in d.current_url
    wait(d, lambda d: "Sesión 2 de 3" in d.find_element(By.CSS_SELECTOR, "main").text, 15, "no 'Sesión 2 de 3'")
