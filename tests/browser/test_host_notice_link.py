"""The professional opens the link of their "new booking" mail on a phone: the dashboard, on
the business's own host, asks them to sign in and then shows that very booking (its
customer, their contact, the service). Screenshot: var/screenshots/host-notice-booking-*."""
import re
import secrets
import time

import pytest

from conftest import MOBILE, wait
from dashboard_support import PASSWORD, e2e, e2e_helper, heading, stack_env, submit, type_into


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def newest_mail(stack, to, timeout=30):
    maildir = e2e.Maildir(stack["KF_MAILDIR"])
    maildir.seen = set()
    end = time.time() + timeout
    while time.time() < end:
        found = maildir.new(to=to)
        if found:
            return found[-1]
        time.sleep(0.2)
    pytest.fail("no mail to %s" % to)


def test_the_notice_link_opens_the_booking_after_signing_in(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    public = e2e.Api(stack)
    sc = seed.Scenario(public, tenant={"wompi": False}, service={"charge": "free", "price": 0, "duration": 45},
                       professionals=[{"name": "Dra. Ana Restrepo", "hours": seed.ALL_WEEK(("09:00", "17:00"))}])
    pro_email = "pro-%s@example.com" % secrets.token_hex(5)
    owner = "owner-%s@example.com" % secrets.token_hex(5)
    e2e.psql("UPDATE professionals SET email = :'p1' WHERE id = :'p2'", pro_email, sc.professional_id)
    e2e.psql("""INSERT INTO users (tenant_id, email, password_hash, email_verified_at)
                VALUES (:'p1', :'p2', :'p3', now())""", sc.tenant_id, owner, e2e.bcrypt_hash(PASSWORD))
    hold = sc.hold(sc.slots(**{"days": 7})[0]["start"]).json()["hold"]
    customer = "maria-%s@example.com" % secrets.token_hex(5)
    r = sc.book(hold["token"], name="María Pérez", email=customer, phone="+573001234567")
    assert r.status_code == 201, r.text
    booking = r.json()["booking"]

    text = newest_mail(stack, pro_email).get_body(preferencelist=("plain",)).get_content()
    found = re.search(r"(https?://\S+/dashboard/bookings/%s)\n" % booking["id"], text)
    assert found, text
    link = found.group(1)
    assert link.startswith("http://%s.%s:" % (sc.subdomain, stack["KF_BASE_DOMAIN"]))

    d = browser("es", MOBILE)
    d.get(link)
    # not signed in on this host yet: the sign-in, which comes back to the booking
    wait(d, lambda d: "/dashboard/login" in d.current_url, 15, "no sign-in page")
    type_into(d, "email", owner)
    type_into(d, "password", PASSWORD)
    submit(d)
    heading(d, "Reserva de María Pérez")
    assert d.current_url == link
    main = d.find_element("css selector", "main").text
    assert customer in main and "+573001234567" in main and "Consulta general" in main
    shots(d, "host-notice-booking")
