"""Who the per-IP limits count, and what a log-in lock does (docs/api.md "Rate limits"):
an IPv6 client is its /64 (KonfirmadoIPv6LimitPrefix), an IPv4-mapped address is its IPv4,
for the attempt counters and for the live holds a client may keep alike; failed log-ins lock
an account for the network they came from only, and its owner gets one mail; the auth
endpoints refuse (503) rather than go uncounted when the counters' store is out of reach,
while public pages stay up."""
import random
import re
import socket
import time

import pytest
import requests

import booking_seed as seed
from accounts_support import client_from, error_code, login, new_email, random_loopback_ip, register
from conftest import psql, render_conf, seed_merchant, start_extra_httpd

WINDOW = 60


def modules_dir():
    """Where the stack's httpd modules are (its conf loads mod_dbd by absolute path)."""
    return re.search(r'LoadModule dbd_module "?([^"\s]+)/mod_dbd\.so', render_conf()).group(1)


@pytest.fixture(scope="module")
def ipv6_server(stack):
    """A second httpd that also listens on [::1] and believes X-Forwarded-For from ::1
    (mod_remoteip, as behind a proxy), with a small per-IP auth budget."""
    conf = render_conf(add=['LoadModule remoteip_module "%s/mod_remoteip.so"' % modules_dir(),
                            "RemoteIPHeader X-Forwarded-For", "RemoteIPInternalProxy ::1",
                            "KonfirmadoAuthIPLimit 3",
                            "KonfirmadoAuthLimitWindow %d" % WINDOW])
    with start_extra_httpd(conf, ipv6=True) as extra:
        yield extra


def v6_login(extra, forwarded_for=None, email=None):
    """A failed log-in over [::1], as the client `forwarded_for` when given."""
    headers = {"Host": "%s:%d" % (extra.stack["KF_BASE_DOMAIN"], extra.port),
               "Connection": "close"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    return requests.post("http://[::1]:%d/api/auth/login" % extra.port, headers=headers,
                         json={"email": email or new_email("v6"), "password": "wrong password"},
                         timeout=30)


def assert_locked(r, at_most=WINDOW):
    assert r.status_code == 429, r.text
    assert error_code(r) == "too_many_attempts"
    assert 1 <= int(r.headers["Retry-After"]) <= at_most


def test_the_loopback_path_over_ipv6_is_counted(ipv6_server):
    try:
        socket.create_connection(("::1", ipv6_server.port), timeout=5).close()
    except OSError as e:
        pytest.fail("httpd does not answer on [::1]:%d: %s" % (ipv6_server.port, e))
    assert [v6_login(ipv6_server).status_code for _ in range(3)] == [401] * 3
    assert_locked(v6_login(ipv6_server))


def test_addresses_of_one_ipv6_64_share_one_budget(ipv6_server):
    net = "2001:db8:%x:%x" % (int(time.time()) % 65536, 7)
    answers = [v6_login(ipv6_server, "%s::%x" % (net, host)) for host in (0xa, 0xb, 0xc)]
    assert [r.status_code for r in answers] == [401] * 3
    # a fourth address of the same /64 (any of its 2^64) is the same client
    assert_locked(v6_login(ipv6_server, "%s:ffff:ffff:ffff:fffe" % net))
    assert_locked(v6_login(ipv6_server, "%s::d" % net))
    # the next /64 is another client
    other = "2001:db8:%x:%x::a" % (int(time.time()) % 65536, 8)
    assert v6_login(ipv6_server, other).status_code == 401


@pytest.fixture
def link(stack, merchant):
    """A link offering one professional's 30-minute service, and its next free starts."""
    service = seed.service(merchant.tenant_id)
    professional = seed.professional(merchant.tenant_id, services=[service])
    slug = seed.link(merchant.tenant_id)
    r = client_from(stack).get("/api/public/links/%s/availability" % slug,
                               params={"service": service, "professional": professional,
                                       "from": seed.today_plus(1), "days": 7})
    assert r.status_code == 200, r.text
    starts = [s["start"] for s in r.json()["slots"]][::2]   # 30 minutes on a 15-minute grid
    return {"link": slug, "service": service, "professional": professional}, starts


def v6_hold(extra, forwarded_for, offer, start):
    """A hold taken over [::1] as the client `forwarded_for`."""
    headers = {"Host": "%s:%d" % (extra.stack["KF_BASE_DOMAIN"], extra.port),
               "Connection": "close", "X-Forwarded-For": forwarded_for}
    return requests.post("http://[::1]:%d/api/public/holds" % extra.port, headers=headers,
                         json=dict(offer, start=start), timeout=30)


def assert_hold_cap(r):
    assert r.status_code == 429, r.text
    assert error_code(r) == "too_many_requests"
    assert int(r.headers["Retry-After"]) > 500        # the first hold lives ~600 s more


def test_addresses_of_one_ipv6_64_share_the_live_holds_cap(ipv6_server, link):
    offer, starts = link
    site = "2001:db8:%x" % random.randrange(65536)
    net, next_net = site + ":1", site + ":2"
    # ten addresses of one /64, one hold each: the network's 10 live holds
    for host, start in enumerate(starts[:10], 1):
        r = v6_hold(ipv6_server, "%s::%x" % (net, host), offer, start)
        assert r.status_code == 201, r.text
    # an eleventh address of that /64 is the same client
    assert_hold_cap(v6_hold(ipv6_server, "%s:ffff:ffff:ffff:fffe" % net, offer, starts[10]))
    # the next /64 is another client
    assert v6_hold(ipv6_server, next_net + "::1", offer, starts[10]).status_code == 201


def test_an_ipv4_address_and_its_mapped_form_share_the_live_holds_cap(ipv6_server, link):
    offer, starts = link
    ip = "198.18.%d.%d" % (random.randrange(256), random.randrange(1, 255))
    for i, start in enumerate(starts[:10]):
        r = v6_hold(ipv6_server, ip if i % 2 else "::ffff:%s" % ip, offer, start)
        assert r.status_code == 201, r.text
    assert_hold_cap(v6_hold(ipv6_server, ip, offer, starts[10]))
    assert_hold_cap(v6_hold(ipv6_server, "::ffff:%s" % ip, offer, starts[10]))


def test_an_ipv4_mapped_address_is_its_ipv4(ipv6_server):
    ip = "198.51.100.%d" % (int(time.time()) % 250 + 1)
    assert v6_login(ipv6_server, ip).status_code == 401
    assert v6_login(ipv6_server, "::ffff:%s" % ip).status_code == 401
    assert v6_login(ipv6_server, ip).status_code == 401
    assert_locked(v6_login(ipv6_server, "::ffff:%s" % ip))
    assert_locked(v6_login(ipv6_server, ip))


LOCK_SUBJECTS = {"es": "Pausamos los accesos fallidos a tu cuenta",
                 "en": "We paused failed sign-ins to your account"}


@pytest.mark.parametrize("locale", ["es", "en"])
def test_failures_from_one_network_lock_only_that_network_and_mail_the_owner_once(
        stack, maildir, locale):
    merchant = seed_merchant(stack)
    psql("UPDATE tenants SET locale = :'p1' WHERE id = :'p2'", locale, merchant.tenant_id)
    attacker, owner, third = random_loopback_ip(), random_loopback_ip(), random_loopback_ip()
    answers = [login(client_from(stack, attacker), merchant.email, "wrong %d" % i) for i in range(5)]
    assert [r.status_code for r in answers] == [401] * 5
    # the attacker's network is held, even with the right password
    r = login(client_from(stack, attacker), merchant.email, merchant.password)
    assert_locked(r, 900)
    # the merchant, elsewhere, signs in
    r = login(client_from(stack, owner), merchant.email, merchant.password)
    assert r.status_code == 200, r.text
    assert r.json()["user"]["email"] == merchant.email
    # and is told, in the tenant's language, from where
    mails = maildir.wait(1, timeout=20, to=merchant.email, subject=LOCK_SUBJECTS[locale])
    assert len(mails) == 1
    text = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert attacker in text
    assert "%s/dashboard/forgot-password" % stack["KF_URL"] in text
    assert ("15 minutos" if locale == "es" else "15 minutes") in text
    # a second network locked in the same window: no second mail
    answers = [login(client_from(stack, third), merchant.email, "again %d" % i) for i in range(5)]
    assert [r.status_code for r in answers] == [401] * 5
    assert_locked(login(client_from(stack, third), merchant.email, "again"), 900)
    time.sleep(3)
    assert len(maildir.new(to=merchant.email, subject=LOCK_SUBJECTS[locale])) == 1


def test_failures_for_an_unknown_address_mail_nobody(stack, maildir):
    ghost, ip = new_email("ghost"), random_loopback_ip()
    assert [login(client_from(stack, ip), ghost, "x %d" % i).status_code for i in range(5)] == [401] * 5
    assert_locked(login(client_from(stack, ip), ghost, "x"), 900)
    time.sleep(2)
    assert maildir.new(to=ghost) == []


@pytest.fixture(scope="module")
def storeless_server(stack):
    """A second httpd whose counters live in a memcached that is not there."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    conf = render_conf(overrides={"KonfirmadoRateLimitCache":
                                  "KonfirmadoRateLimitCache memcache:127.0.0.1:%d" % dead_port},
                       add=['LoadModule socache_memcache_module "%s/mod_socache_memcache.so"'
                            % modules_dir()])
    with start_extra_httpd(conf) as extra:
        yield extra


def assert_unavailable(r):
    assert r.status_code == 503, r.text
    assert error_code(r) == "service_unavailable"
    assert int(r.headers["Retry-After"]) >= 1


def test_auth_endpoints_refuse_uncounted_attempts(storeless_server):
    s = storeless_server.stack
    merchant = seed_merchant(s)
    ip = random_loopback_ip()
    # not even the right password: an attempt that cannot be counted is a free guess
    assert_unavailable(login(client_from(s, ip), merchant.email, "wrong password"))
    assert_unavailable(login(client_from(s, ip), merchant.email, merchant.password))
    email = new_email("storeless")
    assert_unavailable(register(client_from(s, ip), email))
    assert psql("SELECT count(*) FROM users WHERE email = :'p1'", email) == "0"
    assert_unavailable(client_from(s, ip).post("/api/auth/forgot-password", json={"email": email}))


def test_public_pages_stay_up_without_counters(storeless_server):
    r = client_from(storeless_server.stack).get("/api/public/links/no-such-link")
    assert r.status_code == 404 and error_code(r) == "link_not_found"
    assert client_from(storeless_server.stack).get("/api/health").status_code == 200
