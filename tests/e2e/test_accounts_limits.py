"""Attempt limits of login, register and forgot-password (API.md "Merchant accounts"):
5 failed log-ins per 15 minutes per account from one client network, 50 per account from
all networks together, 30 per client IP by default, all configurable, answered 429
too_many_attempts with Retry-After, and counted in mod_socache under a global mutex so that
every httpd child sees the same counts."""
import os
import re
import time

import pytest

from accounts_support import client_from, error_code, login, new_email, random_loopback_ip, register
from conftest import configtest, render_conf, seed_merchant, start_extra_httpd

# seconds of the strict server's attempt window
WINDOW = 10

PID_LOG_FORMAT = 'LogFormat "pid=%P rid=%{X-Request-Id}o status=%>s" konfirmado'


def fresh_connection_login(stack, ip, email, password):
    """One login over a new connection (which any child may accept), from `ip`."""
    c = client_from(stack, ip)
    try:
        return login(c, email, password, headers={"Connection": "close"})
    finally:
        c.session.close()


def answering_pids(extra, request_ids, timeout=10):
    """request id -> pid of the child that answered it, from the extra server's access log
    (lines are written once the response is sent: wait for them)."""
    path = os.path.join(extra.rundir, "access_log")
    end = time.time() + timeout
    while True:
        with open(path, encoding="utf-8") as f:
            found = dict((m.group(2), m.group(1)) for m in
                         re.finditer(r"pid=(\d+) rid=(\S+)", f.read()))
        if all(rid in found for rid in request_ids) or time.time() > end:
            return {rid: found.get(rid) for rid in request_ids}
        time.sleep(0.1)


def assert_retry_after(r, at_most):
    assert r.status_code == 429, r.text
    assert error_code(r) == "too_many_attempts"
    assert r.json()["error"]["message"] == "Demasiados intentos. Intenta de nuevo más tarde."
    retry = int(r.headers["Retry-After"])
    assert 1 <= retry <= at_most
    return retry


def test_sixth_failed_login_is_refused_across_children(stack):
    """Same config as the stack (StartServers 4, default limits), plus the child's pid in
    the access log: the failures counted by one child must stop the attempts another
    child answers."""
    merchant = seed_merchant(stack)
    with start_extra_httpd(render_conf({"LogFormat": PID_LOG_FORMAT})) as extra:
        ip = random_loopback_ip()
        answers = [fresh_connection_login(extra.stack, ip, merchant.email, "wrong password %d" % i)
                   for i in range(5)]
        assert [r.status_code for r in answers] == [401] * 5
        # the 6th within 15 minutes: refused even with the right password
        sixth = fresh_connection_login(extra.stack, ip, merchant.email, merchant.password)
        retry = assert_retry_after(sixth, 900)
        assert retry >= 880
        assert "Set-Cookie" not in sixth.headers
        answers.append(sixth)
        pids = answering_pids(extra, [r.headers["X-Request-Id"] for r in answers])
        assert None not in pids.values()
        # more refused attempts over new connections until another child has answered one
        for _ in range(60):
            if len(set(pids.values())) >= 2:
                break
            r = fresh_connection_login(extra.stack, ip, merchant.email, merchant.password)
            assert_retry_after(r, 900)
            pids.update(answering_pids(extra, [r.headers["X-Request-Id"]]))
        assert len(set(pids.values())) >= 2, "one child answered everything: %s" % pids
        # the lock is this network's: from another address the account is still served
        r = fresh_connection_login(extra.stack, random_loopback_ip(), merchant.email, "wrong")
        assert r.status_code == 401
        r = fresh_connection_login(extra.stack, ip, new_email("other"), "whatever password")
        assert r.status_code == 401


def test_a_successful_login_is_not_a_failure_but_clears_none(stack, merchant):
    ip = random_loopback_ip()
    for i in range(4):
        assert fresh_connection_login(stack, ip, merchant.email, "bad %d" % i).status_code == 401
    assert fresh_connection_login(stack, ip, merchant.email, merchant.password).status_code == 200
    assert fresh_connection_login(stack, ip, merchant.email, "bad 5").status_code == 401
    r = fresh_connection_login(stack, ip, merchant.email, merchant.password)
    assert_retry_after(r, 900)


def test_forgot_password_is_limited_per_account(stack, merchant):
    ip = random_loopback_ip()
    for _ in range(5):
        r = client_from(stack, ip).post("/api/auth/forgot-password", json={"email": merchant.email})
        assert r.status_code == 202
    # from anywhere: the account's budget is spent
    r = client_from(stack).post("/api/auth/forgot-password", json={"email": merchant.email})
    assert_retry_after(r, 900)
    # an address that does not exist has its own budget, and the same answers
    ghost = new_email("ghost")
    answers = [client_from(stack).post("/api/auth/forgot-password", json={"email": ghost})
               for _ in range(6)]
    assert [a.status_code for a in answers] == [202] * 5 + [429]


@pytest.fixture(scope="module")
def strict_server(stack):
    """A second httpd with small limits and a short window (the directives at work). The
    window outlasts the few slow requests that fill it (password hashing under ASan on a
    busy machine took over a second each, and a 4 s window ran out in the middle)."""
    conf = render_conf(add=["KonfirmadoAuthAccountLimit 2", "KonfirmadoAuthIPLimit 3",
                            "KonfirmadoAuthAccountCeiling 4",
                            "KonfirmadoAuthLimitWindow %d" % WINDOW])
    with start_extra_httpd(conf) as extra:
        yield extra


def test_per_ip_limit_covers_login_register_and_forgot(strict_server):
    s = strict_server.stack
    ip = random_loopback_ip()
    for i in range(3):     # three different accounts, one address
        assert fresh_connection_login(s, ip, new_email("ip%d" % i), "wrong password").status_code == 401
    r = fresh_connection_login(s, ip, new_email("ip4"), "wrong password")
    retry = assert_retry_after(r, WINDOW)
    # the same budget for registrations and reset requests from that address
    assert_retry_after(register(client_from(s, ip), new_email("reg")), WINDOW)
    assert_retry_after(client_from(s, ip).post("/api/auth/forgot-password",
                                               json={"email": new_email()}), WINDOW)
    # another address is served
    assert fresh_connection_login(s, random_loopback_ip(), new_email(), "wrong password").status_code == 401
    # once the window is over, the address may try again
    time.sleep(retry + 0.5)
    assert fresh_connection_login(s, ip, new_email("ip5"), "wrong password").status_code == 401


def test_per_account_limit_counts_per_network_under_a_ceiling(strict_server, stack):
    s = strict_server.stack
    email = new_email("acct")
    first, second = random_loopback_ip(), random_loopback_ip()
    assert fresh_connection_login(s, first, email, "wrong 1").status_code == 401
    assert fresh_connection_login(s, first, email, "wrong 2").status_code == 401
    # this network has spent the account's budget, however the address is capitalised...
    assert_retry_after(fresh_connection_login(s, first, email, "wrong 3"), WINDOW)
    assert_retry_after(fresh_connection_login(s, first, email.upper(), "x"), WINDOW)
    # ...another has its own
    assert fresh_connection_login(s, second, email, "wrong 3").status_code == 401
    assert fresh_connection_login(s, second, email.upper(), "wrong 4").status_code == 401
    # four failures from every network together: the ceiling holds the account everywhere
    assert_retry_after(fresh_connection_login(s, random_loopback_ip(), email, "wrong 5"), WINDOW)


def test_the_ceiling_holds_the_account_everywhere_and_tells_its_owner(strict_server, maildir):
    s = strict_server.stack
    merchant = seed_merchant(s)
    first, second = random_loopback_ip(), random_loopback_ip()
    assert [fresh_connection_login(s, first, merchant.email, "bad %d" % i).status_code
            for i in range(2)] == [401, 401]
    assert [fresh_connection_login(s, second, merchant.email, "bad %d" % i).status_code
            for i in range(2)] == [401, 401]
    # the ceiling: not even the owner, from a network without failures, until the window ends
    assert_retry_after(fresh_connection_login(s, random_loopback_ip(), merchant.email,
                                              merchant.password), WINDOW)
    # the owner heard of the first network's lock, then of the lock everywhere
    network_lock = maildir.wait(1, to=merchant.email,
                                subject="Pausamos los accesos fallidos a tu cuenta")
    assert first in network_lock[0].get_body(preferencelist=("plain",)).get_content()
    everywhere = maildir.wait(1, to=merchant.email, subject="Pausamos los accesos a tu cuenta")
    text = everywhere[0].get_body(preferencelist=("plain",)).get_content()
    assert second in text and "desde cualquier red" in text


def test_registrations_count_per_address(strict_server):
    s = strict_server.stack
    ip = random_loopback_ip()
    codes = [register(client_from(s, ip), new_email("many")).status_code for _ in range(3)]
    assert codes == [201, 201, 201]
    assert_retry_after(register(client_from(s, ip), new_email("many")), WINDOW)
    # refused input is not an attempt: it is answered 400, never 429
    r = client_from(s, ip).post("/api/auth/register", json={"email": "nope"})
    assert r.status_code == 400


@pytest.mark.parametrize("lines, needle", [
    (["KonfirmadoAuthAccountLimit 0"], "KonfirmadoAuthAccountLimit must be a positive count"),
    (["KonfirmadoAuthIPLimit lots"], "KonfirmadoAuthIPLimit must be a positive count"),
    (["KonfirmadoAuthLimitWindow -5"], "KonfirmadoAuthLimitWindow must be a positive number"),
    (["KonfirmadoRateLimitCache nosuch:/tmp/x"], "socache provider 'nosuch' is not loaded"),
    (["KonfirmadoIPv6LimitPrefix 129"], "KonfirmadoIPv6LimitPrefix must be at most 128 bits"),
    (["KonfirmadoIPv6LimitPrefix 0"], "KonfirmadoIPv6LimitPrefix must be a positive count"),
    (["KonfirmadoAuthAccountCeiling none"], "KonfirmadoAuthAccountCeiling must be a positive count"),
    (["KonfirmadoUnknownHostCache 0"], "KonfirmadoUnknownHostCache must be a positive number"),
    (["<VirtualHost 127.0.0.1:1>", "KonfirmadoRateLimitCache shmcb", "</VirtualHost>"],
     "cannot occur within <VirtualHost> section"),
])
def test_bad_limit_directives_fail_configtest(lines, needle):
    code, out = configtest(render_conf(add=lines))
    assert code != 0 and needle in out, out


def test_the_counter_cache_needs_its_socache_module():
    code, out = configtest(render_conf(remove=["LoadModule socache_shmcb_module"]))
    assert code != 0
    assert "KonfirmadoRateLimitCache (shmcb) is not loaded" in out, out


def test_another_shmcb_file_is_accepted(stack):
    path = os.path.join(stack["KF_RUNDIR"], "scratch", "rl-cache")
    code, out = configtest(render_conf(add=['KonfirmadoRateLimitCache "shmcb:%s(65536)"' % path]))
    assert code == 0, out
