"""Group classes in the dashboard, on the real stack: the merchant makes a service a class of
places (a capacity out of 1..500 is refused under its field, nothing saved), customers take
places, and a booking of the class shows its places and its attendees, each linking to their
own booking. Screenshots at phone and desktop width."""
import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP
from dashboard_support import (both_widths, choose, e2e, e2e_helper, field, field_error, heading, log_in,
                               stack_env, submit, toast, type_into, wait)


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def test_the_merchant_makes_a_class_and_sees_who_booked_it(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Estudio Clases")
    e2e.psql("UPDATE tenants SET timezone = 'America/Bogota', terms_url = 'https://example.com/terms'"
             " WHERE id = :'p1'", m.tenant_id)
    pro = seed.professional(m.tenant_id, name="Laura Prana", hours=seed.ALL_WEEK(("08:00", "18:00")))
    d = browser("es", DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/services/new")
    heading(d, "Nuevo servicio")
    type_into(d, "name", "Yoga grupal")
    type_into(d, "price", "0")
    type_into(d, "description", "Una clase de yoga para todos los niveles.")
    type_into(d, "duration_minutes", "60")
    choose(d, "charge_type", "free")
    # one place: no question about names; more: the class's
    assert not d.find_element(By.CSS_SELECTOR, "main .field[data-field='attendee_names']").is_displayed()
    type_into(d, "capacity", "501")
    assert field(d, "attendee_names").is_displayed()
    d.find_element(By.CSS_SELECTOR, "main input[name=professional_ids][value='%s']" % pro).click()
    submit(d)
    assert "500" in field_error(d, "capacity")
    assert e2e.psql("SELECT count(*) FROM services WHERE tenant_id = :'p1'", m.tenant_id) == "0"
    type_into(d, "capacity", "12")
    field(d, "attendee_names").click()
    submit(d)
    toast(d, "Servicio creado")
    service = e2e.psql("SELECT id FROM services WHERE tenant_id = :'p1'", m.tenant_id)
    assert e2e.psql("SELECT capacity || ',' || attendee_names FROM services WHERE id = :'p1'", service) == "12,true"

    # two customers take places of the same class
    slug = seed.link(m.tenant_id)
    day = seed.today_plus(2)
    start = e2e.Api(stack).get("/api/public/links/%s/availability" % slug, params={
        "service": service, "professional": pro, "from": day, "days": 1}).json()["slots"][0]["start"]
    ids = []
    for name, email in (("Camila Rojas", "camila"), ("Andrés Mejía", "andres")):
        public = e2e.Api(stack)
        hold = public.post("/api/public/holds", json={"link": slug, "service": service, "professional": pro,
                                                      "start": start}).json()["hold"]
        r = public.post("/api/public/bookings", json={
            "hold_token": hold["token"], "accepted_terms": True,
            "customer": {"name": name, "email": email + "@example.com", "phone": "+573001234567"}})
        assert r.status_code == 201, r.text
        ids.append(r.json()["booking"]["id"])
    d.get(stack["KF_URL"] + "/dashboard/bookings/" + ids[0])
    heading(d, "Reserva de Camila Rojas")
    panel = wait(d, lambda d: next(iter(d.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=class-title]")), None),
                 15, "no class panel")
    assert "Clase grupal" in panel.text
    assert "Cupo 1 · 2 de 12 cupos tomados · quedan 10" in panel.text
    assert "Camila Rojas" in panel.text and "Andrés Mejía" in panel.text
    both_widths(d, shots, "booking-class")
    # the other attendee is a link to their own booking
    panel.find_element(By.LINK_TEXT, "Andrés Mejía").click()
    heading(d, "Reserva de Andrés Mejía")
    assert ids[1] in d.current_url
    # the list of services says which is a class
    d.get(stack["KF_URL"] + "/dashboard/services")
    wait(d, lambda d: "Clase de 12" in d.find_element(By.CSS_SELECTOR, "main").text, 15, "no 'Clase de 12'")
    both_widths(d, shots, "services-class")
