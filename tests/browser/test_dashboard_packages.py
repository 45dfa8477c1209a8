"""The dashboard's Packages page and the packages a link sells, on the real stack, as a merchant
does it: a spa (two services, one professional, a link made beforehand) creates a package
through the page, is told next to the field that 0 sessions will not do and fixes it, changes
the price, offers the package on its link (which the public link then lists), and archives it;
and a package is created with the keyboard alone. Screenshots: var/screenshots/
dashboard-packages-*-{360x640,1280x800}.png, in Spanish and in English."""
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import DESKTOP, MOBILE, click, console_errors, no_horizontal_scroll, resize, wait_css, wait_text
from dashboard_support import (e2e, e2e_helper, field, field_error, heading, link, log_in, nav, stack_env,
                               submit, toast, type_into, wait)

PACKAGES = "/api/admin/packages"


@pytest.fixture(scope="module")
def stack():
    return stack_env()


@pytest.fixture
def spa(stack):
    """Like the demo business: services with professionals and hours, and a link to share."""
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Spa Aurora")
    massage = seed.service(m.tenant_id, name="Masaje relajante", duration=60, price=12000000)
    facial = seed.service(m.tenant_id, name="Limpieza facial", duration=45, price=9000000)
    seed.professional(m.tenant_id, name="Lucía Prado", hours=seed.ALL_WEEK(("09:00", "18:00")),
                      services=[massage, facial])
    r = m.api.post("/api/admin/links", json={"name": "Instagram"})
    assert r.status_code == 201, r.text
    return {"merchant": m, "massage": massage, "facial": facial, "link": r.json()}


def plain(text):
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def main_text(d):
    return plain(d.find_element(By.CSS_SELECTOR, "main").text)


def small_targets(d):
    """What a finger must hit in <main> and is under 44 px high (a checkbox counts by its label)."""
    return d.execute_script("""
        const out = [];
        for (const el of document.querySelectorAll('main a, main button, main input, main select, main textarea, main summary')) {
          const box = (el.type === 'checkbox' && el.closest('label')) || el;
          const r = box.getBoundingClientRect();
          if (r.width && r.height && r.height < 44) out.push((el.name || el.textContent || el.tagName).trim() + ' ' + Math.round(r.height));
        }
        return out;""")


def both_widths(d, shots, name, at=None):
    """Screenshots at 360x640 and 1280x800, of the page's top or centred on the element `at`
    (CSS); at each, nothing scrolls sideways and (on the phone) every target is big enough for
    a finger."""
    size = d.kf_size
    for s in (MOBILE, DESKTOP):
        resize(d, s)
        time.sleep(0.2)
        if at:
            d.execute_script("document.querySelector(arguments[0]).scrollIntoView({block: 'center'})", at)
        else:
            d.execute_script("window.scrollTo(0, 0)")
        assert no_horizontal_scroll(d), "%s scrolls sideways at %dx%d" % (name, s[0], s[1])
        if s == MOBILE:
            assert small_targets(d) == [], name
        shots(d, "dashboard-packages-" + name)
    resize(d, size)


def script_errors(d):
    """Console errors but the answers the test asked for (no session before logging in, the
    refused 0 sessions / zero price)."""
    return [e for e in console_errors(d) if "/api/auth/me" not in e and "status of 400" not in e]


def package_row(d, name):
    return wait(d, lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "main table.data tbody tr")
                                   if name in r.text), None), 10, "no row %r" % name)


def test_create_fix_edit_offer_on_a_link_and_archive(browser, stack, spa, shots):
    m, api = spa["merchant"], spa["merchant"].api
    public = e2e.Api(stack)
    slug = spa["link"]["slug"]
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola, Spa Aurora")

    # the menu has the page; with nothing yet, it says what a package is
    nav(d, "Paquetes")
    heading(d, "Paquetes")
    empty = wait_text(d, "main .empty-state", "Un paquete vende varias sesiones de un servicio por un solo pago")
    both_widths(d, shots, "empty-es")
    click(d, link(d, "Nuevo paquete"))
    heading(d, "Nuevo paquete")

    # 0 sessions: the API's refusal is shown next to the field, which gets the focus
    type_into(d, "name", "4 masajes")
    from selenium.webdriver.support.ui import Select
    service = Select(field(d, "service_id"))
    assert service.options[0].text == "Elige un servicio"
    assert sorted(o.text for o in service.options[1:]) == ["Limpieza facial", "Masaje relajante"]
    service.select_by_visible_text("Masaje relajante")
    type_into(d, "sessions", "0")
    type_into(d, "price", "400.000")
    type_into(d, "valid_days", "90")
    type_into(d, "description", "Cuatro masajes de una hora, cuando quieras.")
    submit(d)
    error = field_error(d, "sessions")
    assert "entre 1 y 52" in error
    sessions = d.switch_to.active_element
    assert sessions.get_attribute("name") == "sessions" and sessions.get_attribute("aria-invalid") == "true"
    described = [d.find_element(By.ID, i).text for i in sessions.get_attribute("aria-describedby").split()]
    assert error in described and "Entre 1 y 52." in described
    assert api.get(PACKAGES).json()["items"] == []
    both_widths(d, shots, "error-es", at="main .field.invalid")

    # fixed: the price per session shows as it is typed, and the package is created
    sessions.send_keys(Keys.BACK_SPACE, "4")
    wait(d, lambda d: "100.000 por sesión" in plain(d.find_element(By.CSS_SELECTOR, ".per-session").text))
    submit(d)
    toast(d, "Paquete creado")
    heading(d, "4 masajes")
    assert d.find_elements(By.CSS_SELECTOR, "main .field.invalid") == []
    [pkg] = api.get(PACKAGES).json()["items"]
    assert (pkg["name"], pkg["service_id"], pkg["sessions"], pkg["valid_days"], pkg["price"], pkg["description"]) == (
        "4 masajes", spa["massage"], 4, 90, {"amount": 40000000, "currency": "COP"},
        "Cuatro masajes de una hora, cuando quieras.")
    assert "Aún no lo ofrece ningún enlace" in wait_text(d, "main", "Dónde se vende").text

    # a new price
    type_into(d, "price", "360.000")
    wait(d, lambda d: "90.000 por sesión" in plain(d.find_element(By.CSS_SELECTOR, ".per-session").text))
    submit(d)
    toast(d, "Cambios guardados")
    wait(d, lambda d: api.get("%s/%s" % (PACKAGES, pkg["id"])).json()["price"]["amount"] == 36000000)
    both_widths(d, shots, "edit-es")

    # offered on the Instagram link: only packages of a service the link offers are shown
    nav(d, "Enlaces")
    heading(d, "Enlaces de reserva")
    click(d, link(d, "Instagram"))
    heading(d, "Instagram")
    box = wait_text(d, "main fieldset[data-field=package_ids]", "Paquetes que vende este enlace")
    label = wait_text(d, "main fieldset[data-field=package_ids] label", "4 masajes")
    assert plain(label.text) == "4 masajes: Masaje relajante, 4 sesiones, $ 360.000"
    checkbox = label.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    assert not checkbox.is_selected()
    click(d, label)
    assert checkbox.is_selected()
    Select(field(d, "service_id")).select_by_visible_text("Limpieza facial")
    wait(d, lambda d: "Ningún paquete es de un servicio que ofrezca este enlace" in box.text)
    assert not d.find_elements(By.CSS_SELECTOR, "main input[name=package_ids]")
    Select(field(d, "service_id")).select_by_value("")      # any service again: still chosen
    checkbox = wait_css(d, "main input[name=package_ids]")
    assert checkbox.is_selected()
    both_widths(d, shots, "link-es", at="main fieldset[data-field=package_ids]")
    submit(d)
    toast(d, "Cambios guardados")
    wait(d, lambda d: api.get("/api/admin/links/%s" % spa["link"]["id"]).json()["package_ids"] == [pkg["id"]])
    offered = public.get("/api/public/links/%s" % slug).json()["packages"]
    assert [(p["id"], p["name"], p["sessions"], p["price"]["amount"], p["service"]["name"]) for p in offered] == [
        (pkg["id"], "4 masajes", 4, 36000000, "Masaje relajante")]
    nav(d, "Enlaces")
    assert "4 masajes" in package_row(d, "Instagram").text
    both_widths(d, shots, "links-list-es")

    # the list shows what a merchant checks at a glance, and the package says where it is sold
    nav(d, "Paquetes")
    # the list may be drawn again while it is read: the row is looked for afresh at each poll
    shown = ("Masaje relajante", "4", "$ 360.000", "90 días", "A la venta")
    wait(d, lambda d: all(s in plain(package_row(d, "4 masajes").text) for s in shown), 10,
         "the row of '4 masajes' does not show all of %r" % (shown,))
    both_widths(d, shots, "list-es")
    click(d, package_row(d, "4 masajes").find_element(By.LINK_TEXT, "4 masajes"))
    heading(d, "4 masajes")
    sold = wait_text(d, "main section", "Dónde se vende")
    assert "Instagram" in sold.text

    # archiving asks first; said no, nothing happens
    d.execute_script("window.confirm = (m) => { window.kfAsked = m; return false; }")
    click(d, d.find_element(By.ID, "archive"))
    assert "Dejará de venderse en tus enlaces" in d.execute_script("return window.kfAsked")
    assert api.get("%s/%s" % (PACKAGES, pkg["id"])).json()["archived"] is False
    d.execute_script("window.confirm = () => true")
    click(d, d.find_element(By.ID, "archive"))
    toast(d, "Paquete archivado")
    heading(d, "Paquetes")
    archived = wait_text(d, "main .archived-section", "4 masajes")
    assert "Archivados" in archived.text and "Archivado" in archived.text
    assert "Aún no tienes ninguno a la venta" in d.find_element(By.CSS_SELECTOR, "main .empty-state").text
    both_widths(d, shots, "archived-es")
    assert api.get("%s/%s" % (PACKAGES, pkg["id"])).json()["archived"] is True
    assert public.get("/api/public/links/%s" % slug).json()["packages"] == []
    # an archived package opens read-only
    click(d, archived.find_element(By.LINK_TEXT, "4 masajes"))
    wait_text(d, "main .notice", "está archivado")
    assert not field(d, "price").is_enabled() and not d.find_elements(By.ID, "archive")
    assert script_errors(d) == []


def test_keyboard_only_creation_in_english(browser, stack, spa, shots):
    m, api = spa["merchant"], spa["merchant"].api
    d = browser("en", DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/packages")
    heading(d, "Packages")
    assert "several sessions of a service for one payment" in wait_css(d, "main .empty-state").text
    assert any(a.text == "Packages" for a in d.find_elements(By.CSS_SELECTOR, "#nav a"))

    def tab_to(pred, limit=40):
        for _ in range(limit):
            d.switch_to.active_element.send_keys(Keys.TAB)
            if pred(d.switch_to.active_element):
                return d.switch_to.active_element
        pytest.fail("Tab never reached the element")

    def typed(keys):
        el = d.switch_to.active_element
        el.send_keys(Keys.CONTROL, "a")
        el.send_keys(keys)

    d.find_element(By.TAG_NAME, "body").click()
    tab_to(lambda e: e.text == "New package" and e.tag_name == "a").send_keys(Keys.ENTER)
    heading(d, "New package")
    wait(d, lambda d: d.switch_to.active_element.get_attribute("id") == "page-title")
    order = []
    for keys in ("6 massages", "Mas", "6", "540000", "180"):
        d.switch_to.active_element.send_keys(Keys.TAB)
        order.append(d.switch_to.active_element.get_attribute("name"))
        typed(keys) if order[-1] != "service_id" else d.switch_to.active_element.send_keys(keys)
    assert order == ["name", "service_id", "sessions", "price", "valid_days"]
    assert d.find_element(By.CSS_SELECTOR, "main select[name=service_id]").get_attribute("value") == spa["massage"]
    assert "90,000 per session" in plain(d.find_element(By.CSS_SELECTOR, ".per-session").text)
    both_widths(d, shots, "new-en")
    d.switch_to.active_element.send_keys(Keys.ENTER)        # Enter in a field submits the form
    toast(d, "Package created")
    heading(d, "6 massages")
    [pkg] = api.get(PACKAGES).json()["items"]
    assert (pkg["name"], pkg["service_id"], pkg["sessions"], pkg["price"], pkg["valid_days"]) == (
        "6 massages", spa["massage"], 6, {"amount": 54000000, "currency": "COP"}, 180)
    assert "No link offers it yet" in wait_text(d, "main", "Where it is sold").text
    both_widths(d, shots, "edit-en")

    # a price of zero is refused next to the field, in the merchant's units
    field(d, "price").send_keys(Keys.CONTROL, "a")
    field(d, "price").send_keys("0", Keys.ENTER)
    assert "Type a price above zero" in field_error(d, "price")
    assert d.switch_to.active_element.get_attribute("name") == "price"
    # a price above the largest: the API's refusal, said in major units
    field(d, "price").send_keys(Keys.CONTROL, "a")
    field(d, "price").send_keys("2000000000000", Keys.ENTER)
    wait(d, lambda d: field_error(d, "price") == "Must be at most COP 1,000,000,000,000.00.")
    assert api.get(PACKAGES).json()["items"][0]["price"]["amount"] == 54000000

    d.get(stack["KF_URL"] + "/dashboard/packages")
    row = package_row(d, "6 massages")
    for shown in ("Masaje relajante", "6", "540,000", "180 days", "On sale"):
        assert shown in plain(row.text), (shown, row.text)
    both_widths(d, shots, "list-en")
    d.get(stack["KF_URL"] + "/dashboard/links/" + spa["link"]["id"])
    wait_text(d, "main fieldset[data-field=package_ids] label", "6 massages: Masaje relajante, 6 sessions")
    both_widths(d, shots, "link-en", at="main fieldset[data-field=package_ids]")
    assert script_errors(d) == []
