"""Two httpd servers on one database with KonfirmadoRateLimitCache postgres (docs/operating.md
"Several servers"): the attempt counters are rows of rate_limit_counters, so a client's
log-in failures and public reads add up whichever server answers them, concurrent
requests never count over each other, and a host name no tenant had is remembered by all; when the counters cannot be written, log-ins are
refused (503) while public pages stay up."""
import concurrent.futures
import secrets

import pytest

import booking_seed as seed
from accounts_support import client_from, error_code, login, random_loopback_ip
from conftest import Api, psql, render_conf, seed_merchant, start_extra_httpd
from test_limits_unauthenticated import assert_unknown, give_domain, health_on
from test_public_limits import assert_429

READS = 12


@pytest.fixture(scope="module")
def servers(stack):
    conf = render_conf(add=["KonfirmadoRateLimitCache postgres",
                            "KonfirmadoPublicReadLimit %d" % READS])
    with start_extra_httpd(conf) as a, start_extra_httpd(conf) as b:
        yield a, b


@pytest.fixture
def slug(merchant):
    service = seed.service(merchant.tenant_id)
    seed.professional(merchant.tenant_id, services=[service])
    return seed.link(merchant.tenant_id)


def assert_locked(r):
    assert r.status_code == 429, r.text
    assert error_code(r) == "too_many_attempts"
    assert 1 <= int(r.headers["Retry-After"]) <= 900


def test_failed_log_ins_on_two_servers_lock_the_account_for_that_network(servers):
    a, b = servers
    merchant = seed_merchant(a.stack)
    attacker = random_loopback_ip()
    answers = [login(client_from((a if i % 2 else b).stack, attacker), merchant.email,
                     "wrong %d" % i) for i in range(5)]
    assert [r.status_code for r in answers] == [401] * 5
    # the sixth, on either server, is refused, even with the right password
    assert_locked(login(client_from(a.stack, attacker), merchant.email, merchant.password))
    assert_locked(login(client_from(b.stack, attacker), merchant.email, "wrong again"))
    # the merchant, from another network, signs in on either
    r = login(client_from(b.stack, random_loopback_ip()), merchant.email, merchant.password)
    assert r.status_code == 200, r.text
    assert [line for line in a.error_lines() + b.error_lines() if "kf_rl_" in line] == []


def test_public_reads_add_up_across_servers(servers, slug):
    a, b = servers
    ip = Api(a.stack).source_ip
    on_a, on_b = Api(a.stack, source_ip=ip), Api(b.stack, source_ip=ip)
    statuses = [(on_a if i % 2 else on_b).get("/api/public/links/%s" % slug).status_code
                for i in range(READS)]
    assert statuses == [200] * READS
    assert_429(on_a.get("/api/public/links/%s" % slug), 60)
    assert_429(on_b.get("/api/public/links/%s" % slug), 60)
    # another customer is not affected
    assert Api(b.stack).get("/api/public/links/%s" % slug).status_code == 200


def test_concurrent_reads_on_two_servers_are_counted_exactly(servers, slug):
    a, b = servers
    ip = Api(a.stack).source_ip

    def read(i):
        return Api((a if i % 2 else b).stack, source_ip=ip).get(
            "/api/public/links/%s" % slug).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(read, range(3 * READS)))
    assert statuses.count(200) == READS
    assert statuses.count(429) == 2 * READS


def test_a_host_no_tenant_had_is_remembered_by_both_servers(servers):
    a, b = servers
    domain = "reservas-%s.example" % secrets.token_hex(5)
    assert_unknown(health_on(a.stack, domain, random_loopback_ip()))
    give_domain(a.stack, domain)
    # the other server is told by the shared counters: it does not ask the database yet
    assert_unknown(health_on(b.stack, domain, random_loopback_ip()))


@pytest.fixture
def failing_counters():
    """Every write of a counter fails (as when the store is out of reach)."""
    psql("CREATE FUNCTION counters_down() RETURNS trigger LANGUAGE plpgsql AS "
         "$$BEGIN RAISE EXCEPTION 'counters down'; END$$")
    psql("CREATE TRIGGER counters_down BEFORE INSERT OR UPDATE ON rate_limit_counters "
         "FOR EACH ROW EXECUTE FUNCTION counters_down()")
    try:
        yield
    finally:
        psql("DROP TRIGGER counters_down ON rate_limit_counters")
        psql("DROP FUNCTION counters_down()")


def test_log_in_is_refused_when_the_counters_fail_and_public_pages_stay_up(servers, slug,
                                                                           failing_counters):
    a, b = servers
    merchant = seed_merchant(a.stack)
    for server in (a, b):
        r = login(client_from(server.stack), merchant.email, merchant.password)
        assert r.status_code == 503, r.text
        assert error_code(r) == "service_unavailable"
        assert int(r.headers["Retry-After"]) >= 1
        assert Api(server.stack).get("/api/public/links/%s" % slug).status_code == 200

