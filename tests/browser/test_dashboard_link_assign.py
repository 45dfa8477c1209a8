"""A link's rule for "any professional" in the dashboard, on the real stack, as a merchant does
it: a clinic with three professionals (two of them offer the link's service) opens its link,
chooses weights, is told next to the box that 0 will not do, fixes it and saves; the weights
only list who offers the service, the rule hides when the link fixes a professional, and
going back to the fewest bookings keeps the weights. Screenshots: var/screenshots/
dashboard-link-assign-*-{360x640,1280x800}.png."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from accessibility import assert_accessible
from conftest import MOBILE, console_errors, wait
from dashboard_support import (both_widths, e2e, e2e_helper, field, field_error, heading, link, log_in, nav,
                               stack_env, submit, toast, type_into)


@pytest.fixture(scope="module")
def stack():
    return stack_env()


@pytest.fixture
def clinic(stack):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Clínica Norte")
    consulta = seed.service(m.tenant_id, name="Consulta general")
    pros = {name: seed.professional(m.tenant_id, name=name, services=services)
            for name, services in (("Ana Ruiz", [consulta]), ("Beto Gil", [consulta]), ("Carla Paz", []))}
    r = m.api.post("/api/admin/links", json={"name": "Recepción", "service_id": consulta})
    assert r.status_code == 201, r.text
    return {"merchant": m, "pros": pros, "link": r.json()}


def weight_names(d):
    return [e.text for e in d.find_elements(By.CSS_SELECTOR, "main .weights label") if e.is_displayed()]


def test_the_merchant_shares_any_professional_by_weights(browser, stack, clinic, shots):
    m, api, pros = clinic["merchant"], clinic["merchant"].api, clinic["pros"]
    path = "/api/admin/links/" + clinic["link"]["id"]
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola, Clínica Norte")
    nav(d, "Enlaces")
    heading(d, "Enlaces de reserva")
    link(d, "Recepción").click()
    heading(d, "Recepción")

    # the fewest bookings by default; no weight boxes until weights are chosen
    rule = Select(field(d, "assign"))
    assert rule.first_selected_option.text == "Quien tenga menos reservas esta semana (empates por nombre)"
    assert weight_names(d) == []
    rule.select_by_value("weights")
    # only who offers the link's service
    wait(d, lambda d: weight_names(d) == ["Ana Ruiz", "Beto Gil"])
    hint = d.find_element(By.ID, "link-weights-hint").text
    assert "triple" in hint and "Sin peso" in hint

    # 0 is not a weight: said next to Ana's box, which gets the focus; nothing is saved
    type_into(d, "weights." + pros["Ana Ruiz"], "0")
    type_into(d, "weights." + pros["Beto Gil"], "3")
    submit(d)
    assert "entre 1 y 100" in field_error(d, "weights." + pros["Ana Ruiz"])
    focused = d.switch_to.active_element
    assert focused.get_attribute("name") == "weights." + pros["Ana Ruiz"]
    assert focused.get_attribute("aria-invalid") == "true"
    assert api.get(path).json()["assign"] == "least_booked"
    assert_accessible(d, "a link's weights with an error")
    both_widths(d, shots, "link-assign-error-es")

    # fixed and saved
    type_into(d, "weights." + pros["Ana Ruiz"], "1")
    submit(d)
    toast(d, "Cambios guardados")
    wait(d, lambda d: api.get(path).json()["weights"] == {pros["Ana Ruiz"]: 1, pros["Beto Gil"]: 3})
    assert api.get(path).json()["assign"] == "weights"
    # the refusal of the attempt before is no longer shown
    css = "main .field-error"
    assert not [e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]
    assert d.find_element(By.NAME, "weights." + pros["Ana Ruiz"]).get_attribute("aria-invalid") is None
    both_widths(d, shots, "link-assign-weights-es")

    # opened again, it shows what was saved
    d.refresh()
    heading(d, "Recepción")
    assert Select(field(d, "assign")).first_selected_option.get_attribute("value") == "weights"
    assert field(d, "weights." + pros["Beto Gil"]).get_attribute("value") == "3"

    # a link that fixes the professional has no rule to choose
    Select(field(d, "professional_id")).select_by_visible_text("Ana Ruiz")
    wait(d, lambda d: not d.find_element(By.CSS_SELECTOR, "main fieldset.assign").is_displayed())
    Select(field(d, "professional_id")).select_by_value("")

    # back to the fewest bookings: saved, and the weights kept for later
    Select(field(d, "assign")).select_by_value("least_booked")
    wait(d, lambda d: weight_names(d) == [])
    submit(d)
    toast(d, "Cambios guardados")
    wait(d, lambda d: api.get(path).json()["assign"] == "least_booked")
    assert api.get(path).json()["weights"] == {pros["Ana Ruiz"]: 1, pros["Beto Gil"]: 3}
    assert [e for e in console_errors(d) if "/api/auth/me" not in e and "status of 400" not in e] == []
