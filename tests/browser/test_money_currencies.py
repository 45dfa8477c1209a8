"""Money in currencies whose minor unit is not the cent, on the real stack: a Chilean merchant
(pesos have no decimals; amounts are minor units of each currency, API.md) types a price in the
dashboard and is charged, and shown, exactly that; the customer's wizard shows the same
amount. And the pages' money rules checked in the browser against the server's: the list of
currencies without decimals or with three (lib/kf_money.c, kf_currency_exponent) is the
one the pages use, and typed amounts turn into the minor units the server expects.
Screenshots: var/screenshots/money-clp-*-{360x640,1280x800}.png."""
import os
import re

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, console_errors, resize, wait_text
from dashboard_support import (e2e, e2e_helper, field, heading, link, log_in, nav, stack_env, submit, toast,
                               type_into, wait)

HERE = os.path.dirname(os.path.abspath(__file__))
SERVICES = "/api/admin/services"


@pytest.fixture(scope="module")
def stack():
    return stack_env()


@pytest.fixture
def chilean_spa(stack):
    """A spa in Santiago that charges in Chilean pesos, with a professional and a link."""
    m = e2e.seed_merchant(stack, business="Spa Andino")
    e2e.psql("UPDATE tenants SET country = 'CL', currency = 'CLP', timezone = 'America/Santiago' "
             "WHERE id = :'p1'", m.tenant_id)
    seed = e2e_helper("booking_seed")
    pro = seed.professional(m.tenant_id, name="Camila Rojas", hours=seed.ALL_WEEK(("09:00", "18:00")),
                            timezone="America/Santiago")
    return {"merchant": m, "professional": pro}


def plain(text):
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def server_exponents():
    """kf_currency_exponent's two lists, read from the C source."""
    with open(os.path.join(HERE, "..", "..", "lib", "kf_money.c")) as f:
        src = f.read()
    body = src[src.index("int kf_currency_exponent"):]
    body = body[:body.index("\n}\n")]
    lists = re.findall(r"\{([^}]*)\}", body)
    zero, three = (re.findall(r'"([A-Z]{3})"', x) for x in lists[:2])
    return zero, three


def test_the_pages_count_each_currencys_decimals_as_the_server_does(browser, stack, chilean_spa):
    m = chilean_spa["merchant"]
    d = browser("es", DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola, Spa Andino")
    zero, three = server_exponents()
    assert "CLP" in zero and "JPY" in zero and "KWD" in three
    got = d.execute_async_script("""
        const [zero, three, done] = arguments;
        Promise.all([import('/static/wizard/format.js'), import('/static/dashboard/pages/common.js')])
          .then(([format, common]) => {
            const exps = {};
            for (const c of [...zero, ...three, 'COP', 'USD', 'EUR', 'MXN', 'BRL']) exps[c] = format.currencyExponent(c);
            const typed = [['15.000', 'CLP'], ['15000', 'CLP'], ['15,5', 'CLP'], ['1500', 'JPY'],
                           ['1,250', 'KWD'], ['1.234,567', 'KWD'], ['120.000', 'COP'], ['12,50', 'USD'],
                           ['1.234,5', 'EUR']].map(([t, c]) => common.toMinor(t, c));
            const shown = [[15000, 'CLP'], [1250, 'KWD'], [123456, 'USD']].map(([a, c]) => common.fromMinor(a, c));
            done({exps, typed, shown});
          }, (err) => done({error: String(err)}));""", zero, three)
    assert "error" not in got, got
    expected = {c: 0 for c in zero}
    expected.update({c: 3 for c in three})
    expected.update({"COP": 2, "USD": 2, "EUR": 2, "MXN": 2, "BRL": 2})
    assert got["exps"] == expected
    # what a person types -> the minor units sent; what a stored amount shows in a field
    assert got["typed"] == [15000, 15000, None, 1500, 1250, 1234567, 12000000, 1250, 123450]
    assert got["shown"] == ["15000", "1.250", "1234.56"]


def test_a_chilean_merchant_prices_a_service_in_pesos(browser, stack, chilean_spa, shots):
    m = chilean_spa["merchant"]
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola, Spa Andino")
    nav(d, "Servicios")
    heading(d, "Servicios")
    link(d, "Nuevo servicio").click()
    heading(d, "Nuevo servicio")
    type_into(d, "name", "Masaje descontracturante")
    type_into(d, "description", "Una hora para soltar la espalda.")
    type_into(d, "price", "15.000")
    type_into(d, "duration_minutes", "60")
    submit(d)
    toast(d, "Servicio creado")
    heading(d, "Masaje descontracturante")
    [svc] = m.api.get(SERVICES).json()["items"]
    # fifteen thousand pesos, not a hundred times that
    assert svc["price"] == {"amount": 15000, "currency": "CLP"}
    assert field(d, "price").get_attribute("value") == "15000"
    for size in (MOBILE, DESKTOP):
        resize(d, size)
        shots(d, "money-clp-service")

    # the list says it in pesos, grouped as in Spanish, without decimals
    nav(d, "Servicios")
    wait_text(d, "main", "Masaje descontracturante")
    wait(d, lambda d: "15.000" in plain(d.find_element(By.CSS_SELECTOR, "main").text))
    listed = plain(d.find_element(By.CSS_SELECTOR, "main").text)
    assert "150,00" not in listed and "1.500.000" not in listed

    # the customer's wizard shows the same fifteen thousand pesos
    e2e_helper("booking_seed").offer(m.tenant_id, svc["id"], chilean_spa["professional"])
    r = m.api.post("/api/admin/links", json={"name": "Instagram"})
    assert r.status_code == 201, r.text
    c = browser("es", MOBILE, zone="America/Santiago")
    c.get(stack["KF_URL"] + "/book/" + r.json()["slug"])
    wait_text(c, "main", "Masaje descontracturante")
    wait(c, lambda c: "15.000" in plain(c.find_element(By.CSS_SELECTOR, "main").text))
    offered = plain(c.find_element(By.CSS_SELECTOR, "main").text)
    assert "150,00" not in offered and "1.500.000" not in offered
    for size in (MOBILE, DESKTOP):
        resize(c, size)
        shots(c, "money-clp-wizard")
    # the login page asks who is logged in before anyone is (401): not an error of these pages
    assert [e for e in console_errors(d) if "/api/auth/me" not in e] == [] and console_errors(c) == []
