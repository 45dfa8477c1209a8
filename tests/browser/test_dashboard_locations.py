"""Where an appointment takes place, edited in the dashboard on the real stack: the service
editor shows only the input the chosen type needs, shows the API's refusal of a plain
http:// video link under that input and saves nothing, saves an https:// one that is there
after a reload and in the list; a professional's own video link is refused and saved the
same way. Screenshots at phone and desktop width."""
import time

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, console_errors, no_horizontal_scroll, resize
from dashboard_support import (choose, e2e, e2e_helper, field, field_error, heading, log_in, stack_env,
                               submit, toast, type_into, wait)

SERVICES = "/api/admin/services"
PROFESSIONALS = "/api/admin/professionals"


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def visible(d, name):
    return any(e.is_displayed() for e in d.find_elements(By.CSS_SELECTOR, "main [name='%s']" % name))


def both_widths(d, shots, name, css):
    size = d.kf_size
    for s in (MOBILE, DESKTOP):
        resize(d, s)
        time.sleep(0.2)
        d.execute_script("document.querySelector(arguments[0]).scrollIntoView({block: 'center'})", css)
        assert no_horizontal_scroll(d), "%s scrolls sideways at %dx%d" % (name, s[0], s[1])
        shots(d, "dashboard-" + name)
    resize(d, size)


def test_a_video_service_and_a_professional_link(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Estudio Lugares")
    pid = seed.professional(m.tenant_id, name="Marta Núñez")
    base = stack["KF_URL"]
    d = browser("es", DESKTOP)
    log_in(d, base, m.email, m.password)
    heading(d, "Hola, Estudio Lugares")

    d.get(base + "/dashboard/services/new")
    heading(d, "Nuevo servicio")
    type_into(d, "name", "Consulta en línea")
    type_into(d, "description", "Media hora por videollamada para revisar tu caso.")
    type_into(d, "price", "0")
    choose(d, "charge_type", "free")
    # no place yet: none of its inputs is shown
    assert not any(visible(d, n) for n in ("location.address", "location.url", "location.instructions"))
    choose(d, "location.type", "in_person")
    assert visible(d, "location.address") and not visible(d, "location.url")
    choose(d, "location.type", "video")
    assert visible(d, "location.url") and not visible(d, "location.address")
    type_into(d, "location.url", "http://meet.example.com/consulta")
    submit(d)
    assert "https://" in field_error(d, "location.url")
    assert d.switch_to.active_element.get_attribute("name") == "location.url"
    assert m.api.get(SERVICES).json()["items"] == []
    both_widths(d, shots, "service-place-error", "fieldset.place")

    type_into(d, "location.url", "https://meet.example.com/consulta-abc")
    submit(d)
    toast(d, "Servicio creado")
    wait(d, lambda d: "/dashboard/services/" in d.current_url and not d.current_url.endswith("/new"), 10,
         "the editor never moved to the new service")
    sid = d.current_url.rstrip("/").rsplit("/", 1)[1]
    assert m.api.get(SERVICES + "/" + sid).json()["location"] == {
        "type": "video", "url": "https://meet.example.com/consulta-abc"}

    d.refresh()
    heading(d, "Consulta en línea")
    assert field(d, "location.type").get_attribute("value") == "video"
    assert field(d, "location.url").get_attribute("value") == "https://meet.example.com/consulta-abc"
    both_widths(d, shots, "service-place-video", "fieldset.place")

    # the list says where each service takes place
    d.get(base + "/dashboard/services")
    row = wait(d, lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "main tbody tr")
                                  if "Consulta en línea" in r.text), None), 10, "no row for the service")
    assert "Videollamada" in row.text

    # a professional's own link: refused when plain http, saved and shown again when https
    d.get(base + "/dashboard/professionals/" + pid)
    heading(d, "Marta Núñez")
    type_into(d, "video_url", "http://meet.example.com/marta")
    submit(d)
    assert "https://" in field_error(d, "video_url")
    assert m.api.get(PROFESSIONALS + "/" + pid).json()["video_url"] is None
    type_into(d, "video_url", "https://meet.example.com/marta")
    submit(d)
    toast(d, "Cambios guardados")
    wait(d, lambda d: m.api.get(PROFESSIONALS + "/" + pid).json()["video_url"] == "https://meet.example.com/marta",
         10, "the professional's link was not saved")
    d.refresh()
    heading(d, "Marta Núñez")
    assert field(d, "video_url").get_attribute("value") == "https://meet.example.com/marta"
    both_widths(d, shots, "professional-video-url", "main [name='video_url']")

    # emptied, the professional goes back to the service's link
    field(d, "video_url").clear()
    submit(d)
    wait(d, lambda d: m.api.get(PROFESSIONALS + "/" + pid).json()["video_url"] is None,
         10, "emptying the link did not clear it")
    assert [e for e in console_errors(d) if "status of 400" not in e and "/api/auth/me" not in e] == []


def test_the_place_is_changed_and_removed(browser, stack):
    m = e2e.seed_merchant(stack, business="Estudio Sedes")
    r = m.api.post(SERVICES, json={"name": "Terapia", "description": "Una hora de terapia en el consultorio.",
                                   "duration_minutes": 60, "price": {"amount": 0, "currency": "COP"},
                                   "charge_type": "free",
                                   "location": {"type": "phone", "instructions": "Te llamamos"}})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    base = stack["KF_URL"]
    d = browser("en", MOBILE)
    log_in(d, base, m.email, m.password)
    heading(d, "Hello, Estudio Sedes")
    d.get(base + "/dashboard/services/" + sid)
    heading(d, "Terapia")
    assert field(d, "location.instructions").get_attribute("value") == "Te llamamos"
    choose(d, "location.type", "in_person")
    type_into(d, "location.address", "x" * 10)
    field(d, "location.address").clear()
    submit(d)
    assert field_error(d, "location.address")
    assert m.api.get(SERVICES + "/" + sid).json()["location"] == {"type": "phone", "instructions": "Te llamamos"}
    type_into(d, "location.address", "Calle 93 #11-27, consultorio 402")
    submit(d)
    toast(d, "Changes saved")
    wait(d, lambda d: m.api.get(SERVICES + "/" + sid).json()["location"] == {
        "type": "in_person", "address": "Calle 93 #11-27, consultorio 402"}, 10, "the address was not saved")
    d.get(base + "/dashboard/services")
    wait(d, lambda d: "In person: Calle 93" in d.find_element(By.CSS_SELECTOR, "main").text, 10,
         "the list does not show the address")
    d.get(base + "/dashboard/services/" + sid)
    heading(d, "Terapia")
    choose(d, "location.type", "")
    submit(d)
    toast(d, "Changes saved")
    wait(d, lambda d: m.api.get(SERVICES + "/" + sid).json()["location"] is None, 10, "the place was not removed")
