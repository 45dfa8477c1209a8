"""Collective teams in the dashboard, on the real stack: the merchant ticks the team box of a
service and its checked professionals become the team (a team of one is refused under the box,
nothing saved); a customer books the team, and the booking names the whole team. Screenshots
at phone and desktop width."""
import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP
from dashboard_support import (both_widths, choose, e2e, e2e_helper, field, field_error, heading, log_in,
                               stack_env, submit, toast, type_into, wait)


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def test_the_merchant_makes_a_team_service_and_sees_its_booking_with_all(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Centro Juntas")
    e2e.psql("UPDATE tenants SET timezone = 'America/Bogota', terms_url = 'https://example.com/terms'"
             " WHERE id = :'p1'", m.tenant_id)
    ana = seed.professional(m.tenant_id, name="Dra. Ana Ríos", hours=seed.ALL_WEEK(("08:00", "18:00")))
    beto = seed.professional(m.tenant_id, name="Dr. Beto Paz", hours=seed.ALL_WEEK(("10:00", "18:00")))
    d = browser("es", DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/services/new")
    heading(d, "Nuevo servicio")
    type_into(d, "name", "Junta médica")
    type_into(d, "price", "0")
    type_into(d, "description", "Una consulta con dos especialistas a la vez.")
    type_into(d, "duration_minutes", "60")
    choose(d, "charge_type", "free")
    d.find_element(By.CSS_SELECTOR, "main input[name=professional_ids][value='%s']" % ana).click()
    field(d, "team").click()
    submit(d)
    # a team of one: refused under the box, nothing saved
    assert "2" in field_error(d, "team") and "5" in field_error(d, "team")
    assert e2e.psql("SELECT count(*) FROM services WHERE tenant_id = :'p1'", m.tenant_id) == "0"
    d.find_element(By.CSS_SELECTOR, "main input[name=professional_ids][value='%s']" % beto).click()
    submit(d)
    toast(d, "Servicio creado")
    service = e2e.psql("SELECT id FROM services WHERE tenant_id = :'p1'", m.tenant_id)
    assert e2e.psql("SELECT cardinality(team_ids) FROM services WHERE id = :'p1'", service) == "2"

    # a customer books the team: its first time is when Beto starts too
    slug = seed.link(m.tenant_id)
    day = seed.today_plus(2)
    public = e2e.Api(stack)
    slots = public.get("/api/public/links/%s/availability" % slug, params={
        "service": service, "professional": "any", "from": day, "days": 1}).json()["slots"]
    assert slots[0]["start"].endswith("T15:00:00Z")     # 10:00 in Bogotá
    hold = public.post("/api/public/holds", json={"link": slug, "service": service, "professional": "any",
                                                  "start": slots[0]["start"]}).json()["hold"]
    r = public.post("/api/public/bookings", json={
        "hold_token": hold["token"], "accepted_terms": True,
        "customer": {"name": "Camila Rojas", "email": "camila@example.com", "phone": "+573001234567"}})
    assert r.status_code == 201, r.text
    d.get(stack["KF_URL"] + "/dashboard/bookings/" + r.json()["booking"]["id"])
    heading(d, "Reserva de Camila Rojas")
    wait(d, lambda d: "Dra. Ana Ríos, Dr. Beto Paz" in d.find_element(By.CSS_SELECTOR, "main").text
         or "Dr. Beto Paz, Dra. Ana Ríos" in d.find_element(By.CSS_SELECTOR, "main").text, 15, "no team")
    assert "Equipo" in d.find_element(By.CSS_SELECTOR, "main").text
    both_widths(d, shots, "booking-team")
    # the list of services says which is a team
    d.get(stack["KF_URL"] + "/dashboard/services")
    wait(d, lambda d: "Equipo de 2" in d.find_element(By.CSS_SELECTOR, "main").text, 15, "no 'Equipo de 2'")
    both_widths(d, shots, "services-team")
