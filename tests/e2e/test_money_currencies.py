"""Currencies whose minor unit is not the cent, through a real paid booking: a studio in Chile
charging CLP 15.000 with Mercado Pago and one in Japan charging JPY 8,000 with Stripe. The
amounts are minor units of each currency (API.md), so 15000 is fifteen thousand pesos: the
booking, the payment and the customer's confirmation mail all say that amount, not a hundredth
of it."""
import pytest

from payments_helpers import wait_for
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
