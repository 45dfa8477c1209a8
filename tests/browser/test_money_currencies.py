"""Money in currencies whose minor unit is not the cent, on the real stack: a Chilean merchant
(pesos have no decimals; amounts are minor units of each currency, API.md) types a price in the
dashboard and is charged, and shown, exactly that; the customer's wizard shows the same
amount. And the pages' money rules checked in the browser against the server's: the list of
currencies without decimals or with three (lib/tenant/kf_money.c, kf_currency_exponent) is the
one the pages use, and typed amounts, with the marks of the language, turn into the minor
units the server expects. The business page sets the currency.
Screenshots: var/screenshots/money-clp-*-{360x640,1280x800}.png."""
import os
import re

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, console_errors, resize, wait_text
from dashboard_support import (choose, e2e, e2e_helper, field, field_error, heading, link, log_in, nav, stack_env,
                               submit, toast, type_into, wait)

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
    with open(os.path.join(HERE, "..", "..", "lib", "tenant", "kf_money.c")) as f:
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
            const typed = [['15.000', 'CLP', 'es'], ['15000', 'CLP', 'es'], ['15,5', 'CLP', 'es'],
                           ['1500', 'JPY', 'es'], ['1,250', 'KWD', 'es'], ['1.234,567', 'KWD', 'es'],
                           ['120.000', 'COP', 'es'], ['12,50', 'USD', 'es'], ['1.234,5', 'EUR', 'es'],
                           ['12.50', 'USD', 'es'], ['120.000,50', 'COP', 'es'],
                           ['1,250', 'KWD', 'en'], ['1.250', 'KWD', 'en'], ['12.50', 'USD', 'en'],
                           ['120,000.50', 'COP', 'en'], ['15,000', 'CLP', 'en'], ['12,50', 'USD', 'en'],
                           ['1.2345', 'KWD', 'en'], ['12,3456', 'USD', 'en']]
              .map(([t, c, tag]) => common.toMinor(t, c, tag));
            const shown = [[15000, 'CLP', 'es'], [1250, 'KWD', 'es'], [1250, 'KWD', 'en'], [123456, 'USD', 'es'],
                           [123456, 'USD', 'en'], [12000050, 'COP', 'es'], [12000000, 'COP', 'es'], [5, 'KWD', 'en']]
              .map(([a, c, tag]) => common.fromMinor(a, c, tag));
            const back = [[12000050, 'COP'], [1250, 'KWD'], [1250000, 'KWD'], [15000, 'CLP'], [5, 'USD']]
              .flatMap(([a, c]) => ['es', 'en'].map((tag) => common.toMinor(common.fromMinor(a, c, tag), c, tag) === a));
            const texts = [[12000050, 'COP'], [12000000, 'COP'], [1250500, 'KWD']]
              .map(([amount, currency]) => format.formatMoney({amount, currency}, 'es-CO'));
            done({exps, typed, shown, back, texts});
          }, (err) => done({error: String(err)}));""", zero, three)
    assert "error" not in got, got
    expected = {c: 0 for c in zero}
    expected.update({c: 3 for c in three})
    expected.update({"COP": 2, "USD": 2, "EUR": 2, "MXN": 2, "BRL": 2})
    assert got["exps"] == expected
    # what a person types -> the minor units sent; what a stored amount shows in a field
    # what a person types, with the marks of the language -> the minor units sent: "1,250"
    # dinars are 1.250 in Spanish and one thousand two hundred fifty in English
    assert got["typed"] == [15000, 15000, None, 1500, 1250, 1234567, 12000000, 1250, 123450,
                            None, 12000050,
                            1250000, 1250, 1250, 12000050, 15000, None, None, None]
    # what a stored amount shows in a field, in the same language
    assert got["shown"] == ["15000", "1,250", "1.250", "1234,56", "1234.56", "120000,50", "120000",
                            "0.005"]
    assert all(got["back"]), got["back"]
    # the pages write the cents of a peso, as the mails do, and leave out a zero minor part
    texts = [plain(x) for x in got["texts"]]
    assert "120.000,50" in texts[0] and "120.000" in texts[1] and ",00" not in texts[1], texts
    assert "1.250,500" in texts[2], texts


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
    assert [e for e in console_errors(d) if "/api/auth/me" not in e] == []
    assert console_errors(c) == []


def test_the_business_page_sets_the_currency(browser, stack, shots):
    """The currency is a setting of the business page: refused, with what to re-price named
    under the field, while a service charges in the old one; the page then asks for its price
    in the new currency, typed with the language's marks, and saves both together."""
    m = e2e.seed_merchant(stack, business="Barbería Norte")
    r = m.api.patch("/api/admin/tenant", json={"payment_provider": "stripe"})
    assert r.status_code == 200, r.text
    r = m.api.post(SERVICES, json={"name": "Corte clásico", "description": "Tijera y máquina.",
                                   "duration_minutes": 30, "price": {"amount": 4500000, "currency": "COP"},
                                   "charge_type": "total"})
    assert r.status_code == 201, r.text
    service = r.json()["id"]
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola, Barbería Norte")
    d.get(stack["KF_URL"] + "/dashboard/business")
    heading(d, "Negocio y marca")
    assert field(d, "currency").get_attribute("value") == "COP"
    choose(d, "currency", "USD")
    submit(d)
    said = field_error(d, "currency")
    assert "“Corte clásico”" in said and "USD" in said and "COP" in said, said
    price = "reprice." + service
    assert "Corte clásico" in d.find_element(By.CSS_SELECTOR, "main .field[data-field='%s'] label" % price).text
    for size in (MOBILE, DESKTOP):
        resize(d, size)
        shots(d, "money-currency-in-use")
    assert m.api.get("/api/admin/tenant").json()["tenant"]["currency"] == "COP"

    # an amount that is not one in dollars is refused on the page, nothing is sent
    type_into(d, price, "12.50")
    submit(d)
    assert "USD" in field_error(d, price)
    assert m.api.get("/api/admin/tenant").json()["tenant"]["currency"] == "COP"
    type_into(d, price, "12,50")
    submit(d)
    toast(d, "Cambios guardados")
    t = m.api.get("/api/admin/tenant").json()["tenant"]
    assert (t["currency"], t["currency_exponent"]) == ("USD", 2)
    assert m.api.get(SERVICES + "/" + service).json()["price"] == {"amount": 1250, "currency": "USD"}

    # a new price is then typed in dollars, with the Spanish decimal comma
    nav(d, "Servicios")
    heading(d, "Servicios")
    link(d, "Nuevo servicio").click()
    heading(d, "Nuevo servicio")
    type_into(d, "name", "Afeitado")
    type_into(d, "description", "Toalla caliente y navaja.")
    type_into(d, "price", "25,50")
    type_into(d, "duration_minutes", "30")
    submit(d)
    toast(d, "Servicio creado")
    svc = [x for x in m.api.get(SERVICES).json()["items"] if x["name"] == "Afeitado"][0]
    assert svc["price"] == {"amount": 2550, "currency": "USD"}
    assert field(d, "price").get_attribute("value") == "25,50"
    # the refused PATCH (409) is an answer the page showed, not an error of the page
    assert [e for e in console_errors(d) if "/api/auth/me" not in e and "409" not in e] == []
