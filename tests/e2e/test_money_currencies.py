"""Currencies whose minor unit is not the cent, through a real paid booking: a studio in Chile
charging CLP 15.000 with Mercado Pago and one in Japan charging JPY 8,000 with Stripe. The
amounts are minor units of each currency (API.md), so 15000 is fifteen thousand pesos: the
booking, the payment and the customer's confirmation mail all say that amount, not a hundredth
of it. The amounts of the other currencies' mails, in Spanish and English, the export, and the
tenant's currency setting (API.md "Conventions": money; "Admin API": tenant)."""
import csv
import io

import pytest

from payments_helpers import wait_for
from catalog_support import service_body
from provider_support import ProviderShop


def mail_text(m):
    part = m.get_body(preferencelist=("plain",))
    return (part or m).get_content()


@pytest.mark.parametrize("provider, currency, price, shown", [
    ("mercadopago", "CLP", 15000, "CLP 15.000"),
    ("stripe", "JPY", 8000, "JPY 8.000"),
])
def test_a_paid_booking_in_a_currency_without_decimals(merchant, fakes, stack, api, maildir, provider,
                                                       currency, price, shown):
    shop = ProviderShop(merchant, fakes, stack, api, provider, price=price, currency=currency)
    maildir.snapshot()
    booking = shop.book()
    assert booking["charge"] == {"amount": price, "currency": currency}
    pay = shop.payment(booking)
    shop.provider.approve(shop, pay)      # the fake pays and sends its signed event
    wait_for(lambda: shop.state(booking) in ("paid", "confirmed"), what="the booking paid")
    st = shop.status(booking)
    assert st["payment"]["amount"] == price and st["payment"]["currency"] == currency

    def confirmation():
        return [m for m in maildir.new(to="lucia@example.com")
                if booking["id"] in mail_text(m)]
    [mail] = wait_for(confirmation, what="the customer's confirmation mail")
    text = mail_text(mail)
    assert ("Pago: %s\n" % shown) in text
    # the whole amount, not a hundredth of it with invented decimals ("CLP 150,00")
    assert "%s %d," % (currency, price // 100) not in text


# ------------------------------------------------------------------ amounts in mails (es, en)

@pytest.mark.parametrize("provider, currency, price, locale, shown", [
    ("mercadopago", "CLP", 15000, "en", "CLP 15,000"),
    ("stripe", "COP", 12000050, "es", "COP 120.000,50"),
    ("stripe", "COP", 12000050, "en", "COP 120,000.50"),
    ("mercadopago", "COP", 12000000, "es", "COP 120.000"),
    ("mercadopago", "COP", 12000000, "en", "COP 120,000"),
    ("stripe", "KWD", 1250500, "es", "KWD 1.250,500"),
    ("stripe", "KWD", 1250500, "en", "KWD 1,250.500"),
    ("stripe", "USD", 4550, "es", "USD 45,50"),
    ("stripe", "USD", 4550, "en", "USD 45.50"),
])
def test_the_confirmation_mail_writes_the_amount_with_the_currencys_decimals_in_the_locale(
        merchant, fakes, stack, api, maildir, provider, currency, price, locale, shown):
    shop = ProviderShop(merchant, fakes, stack, api, provider, price=price, currency=currency)
    r = merchant.api.patch("/api/admin/tenant", json={"locale": locale})
    assert r.status_code == 200, r.text
    maildir.snapshot()
    booking = shop.book()
    assert booking["charge"] == {"amount": price, "currency": currency}
    shop.provider.approve(shop, shop.payment(booking))
    wait_for(lambda: shop.state(booking) in ("paid", "confirmed"), what="the booking paid")

    def confirmation():
        return [m for m in maildir.new(to="lucia@example.com") if booking["id"] in mail_text(m)]
    [mail] = wait_for(confirmation, what="the customer's confirmation mail")
    text = mail_text(mail)
    label = "Payment" if locale == "en" else "Pago"
    # the cents of a peso are never dropped, a dinar has three decimals
    assert ("%s: %s\n" % (label, shown)) in text, text

    # the export keeps minor units with their currency, as the JSON does
    r = merchant.api.get("/api/admin/bookings.csv")
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    [row] = [x for x in rows if x["id"] == booking["id"]]
    assert (row["charge_amount"], row["currency"]) == (str(price), currency)


# ------------------------------------------------------------------ the tenant's currency

TENANT = "/api/admin/tenant"


def tenant(m):
    r = m.api.get(TENANT)
    assert r.status_code == 200, r.text
    return r.json()["tenant"]


def field_error(r, field):
    assert r.status_code == 400, r.text
    body = r.json()["error"]
    assert body["code"] == "validation_failed", r.text
    return body["fields"][field]


def test_the_currency_is_a_setting_with_its_decimals(merchant):
    t = tenant(merchant)
    assert (t["country"], t["currency"], t["currency_exponent"]) == ("CO", "COP", 2)
    # Wompi, the default provider, charges Colombian pesos only
    assert "proveedor" in field_error(merchant.api.patch(TENANT, json={"currency": "USD"}), "currency")
    assert "ISO 4217" in field_error(merchant.api.patch(TENANT, json={"currency": "XYZ"}), "currency")
    assert field_error(merchant.api.patch(TENANT, json={"currency": "cop"}), "currency")
    assert field_error(merchant.api.patch(TENANT, json={"currency": 12}), "currency")
    assert field_error(merchant.api.patch(TENANT, json={"currency": None}), "currency")
    # refused: nothing else of the PATCH is written either
    r = merchant.api.patch(TENANT, json={"currency": "XYZ", "name": "Otro nombre"},
                           headers={"Accept-Language": "en"})
    assert "ISO 4217" in field_error(r, "currency")
    assert tenant(merchant)["name"] != "Otro nombre"
    # with a provider that takes it (changed in the same PATCH), it is saved and shown
    r = merchant.api.patch(TENANT, json={"payment_provider": "stripe", "currency": "KWD"})
    assert r.status_code == 200, r.text
    t = r.json()["tenant"]
    assert (t["currency"], t["currency_exponent"], t["payment_provider"]) == ("KWD", 3, "stripe")
    assert tenant(merchant)["currency"] == "KWD"
    r = merchant.api.patch(TENANT, json={"currency": "CLP"})
    assert r.status_code == 200 and r.json()["tenant"]["currency_exponent"] == 0, r.text


def test_a_service_priced_in_another_currency_is_refused(merchant):
    r = merchant.api.patch(TENANT, json={"payment_provider": "stripe", "currency": "USD"})
    assert r.status_code == 200, r.text
    r = merchant.api.post("/api/admin/services", json=service_body(
        name="Corte de pelo",
        price={"amount": 4500000, "currency": "COP"}))
    assert field_error(r, "price.currency")
    r = merchant.api.post("/api/admin/services", json=service_body(
        name="Corte de pelo",
        price={"amount": 4500, "currency": "USD"}))
    assert r.status_code == 201, r.text


def test_the_currency_cannot_change_while_something_is_priced_in_the_old_one(merchant):
    svc = merchant.api.post("/api/admin/services", json=service_body(
        name="Masaje relajante",
        price={"amount": 12000000, "currency": "COP"}))
    assert svc.status_code == 201, svc.text
    free = merchant.api.post("/api/admin/services", json=service_body(
        name="Valoración inicial",
        price={"amount": 0, "currency": "COP"}, charge_type="free"))
    assert free.status_code == 201, free.text
    r = merchant.api.patch(TENANT, json={"payment_provider": "stripe", "currency": "USD",
                                         "name": "Spa Nuevo"}, headers={"Accept-Language": "en"})
    assert r.status_code == 409, r.text
    err = r.json()["error"]
    assert err["code"] == "currency_in_use"
    # it names what must be re-priced (not the free one) and both currencies
    assert "“Masaje relajante”" in err["message"] and "Valoración" not in err["message"], err
    assert "USD" in err["message"] and "COP" in err["message"], err
    t = tenant(merchant)
    assert (t["currency"], t["payment_provider"], t["name"]) != ("USD", "stripe", "Spa Nuevo")
    assert t["currency"] == "COP" and t["name"] != "Spa Nuevo"
    # a whole price in the new currency's minor units, or nothing changes
    sid = svc.json()["id"]
    r = merchant.api.patch(TENANT, json={"payment_provider": "stripe", "currency": "USD",
                                         "reprice": {sid: 45.5}})
    assert field_error(r, "reprice." + sid)
    assert tenant(merchant)["currency"] == "COP"
    # re-priced in the same PATCH: the currency changes with it, the free one follows
    r = merchant.api.patch(TENANT, json={"payment_provider": "stripe", "currency": "USD",
                                         "reprice": {sid: 4550}})
    assert r.status_code == 200, r.text
    assert tenant(merchant)["currency"] == "USD"
    got = {x["name"]: x for x in merchant.api.get("/api/admin/services").json()["items"]}
    assert got["Masaje relajante"]["price"] == {"amount": 4550, "currency": "USD"}
    assert got["Masaje relajante"]["charge"] == {"type": "total", "amount": 4550, "currency": "USD"}
    assert got["Valoración inicial"]["price"] == {"amount": 0, "currency": "USD"}


def test_an_archived_service_does_not_hold_the_currency(merchant):
    svc = merchant.api.post("/api/admin/services", json=service_body(name="Masaje relajante"))
    assert svc.status_code == 201, svc.text
    r = merchant.api.patch(TENANT, json={"payment_provider": "mercadopago", "currency": "CLP"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "currency_in_use", r.text
    assert "“Masaje relajante”" in r.json()["error"]["message"]
    r = merchant.api.delete("/api/admin/services/" + svc.json()["id"])
    assert r.status_code == 204, r.text
    r = merchant.api.patch(TENANT, json={"payment_provider": "mercadopago", "currency": "CLP"})
    assert r.status_code == 200, r.text
    assert (tenant(merchant)["currency"], tenant(merchant)["currency_exponent"]) == ("CLP", 0)


def test_a_new_country_brings_its_currency_unless_one_was_chosen(merchant):
    # a Colombian tenant on Stripe moves to Chile: it now prices in pesos chilenos
    r = merchant.api.patch(TENANT, json={"payment_provider": "stripe", "country": "CL"})
    assert r.status_code == 200, r.text
    t = r.json()["tenant"]
    assert (t["country"], t["currency"], t["currency_exponent"]) == ("CL", "CLP", 0)
    # a currency the merchant chose stays when the country changes again
    assert merchant.api.patch(TENANT, json={"currency": "USD"}).status_code == 200
    r = merchant.api.patch(TENANT, json={"country": "MX"})
    assert r.status_code == 200, r.text
    assert (r.json()["tenant"]["country"], r.json()["tenant"]["currency"]) == ("MX", "USD")
    # a currency named in the same PATCH wins over the country's
    r = merchant.api.patch(TENANT, json={"country": "CL", "currency": "EUR"})
    assert r.status_code == 200, r.text
    assert (r.json()["tenant"]["country"], r.json()["tenant"]["currency"]) == ("CL", "EUR")


def test_a_new_country_never_strands_priced_services(merchant):
    svc = merchant.api.post("/api/admin/services", json=service_body(
        name="Masaje relajante", price={"amount": 12000000, "currency": "COP"}))
    assert svc.status_code == 201, svc.text
    # the country is corrected; the currency cannot follow (a service is priced in COP and
    # Wompi charges only COP), so it stays and the PATCH still succeeds
    r = merchant.api.patch(TENANT, json={"country": "CL"})
    assert r.status_code == 200, r.text
    assert (r.json()["tenant"]["country"], r.json()["tenant"]["currency"]) == ("CL", "COP")
    got = merchant.api.get("/api/admin/services").json()["items"]
    assert got[0]["price"] == {"amount": 12000000, "currency": "COP"}


def test_a_provider_that_does_not_charge_the_currency_cannot_become_active(merchant):
    # the tenant prices in COP; Stripe takes COP, so switching is fine
    assert merchant.api.patch(TENANT, json={"payment_provider": "stripe"}).status_code == 200
    assert merchant.api.patch(TENANT, json={"currency": "KWD"}).status_code == 200
    # Wompi charges Colombian pesos only: switching to it alone would leave KWD unchargeable
    r = merchant.api.patch(TENANT, json={"payment_provider": "wompi", "name": "Spa Kuwait"},
                           headers={"Accept-Language": "en"})
    assert "currency" in field_error(r, "payment_provider")
    t = tenant(merchant)
    assert (t["payment_provider"], t["currency"]) == ("stripe", "KWD") and t["name"] != "Spa Kuwait"
    # with the currency changed in the same PATCH it goes through
    r = merchant.api.patch(TENANT, json={"payment_provider": "wompi", "currency": "COP"})
    assert r.status_code == 200, r.text
    assert (r.json()["tenant"]["payment_provider"], r.json()["tenant"]["currency"]) == ("wompi", "COP")


def test_an_unknown_provider_is_refused_naming_the_ones_there_are(merchant):
    r = merchant.api.patch(TENANT, json={"payment_provider": "paypal"},
                           headers={"Accept-Language": "en"})
    assert field_error(r, "payment_provider") == "Must be wompi, stripe, mercadopago or airwallex."
    r = merchant.api.patch(TENANT, json={"payment_provider": "paypal"},
                           headers={"Accept-Language": "es"})
    assert field_error(r, "payment_provider") == "Debe ser wompi, stripe, mercadopago o airwallex."
    assert tenant(merchant)["payment_provider"] == "wompi"
