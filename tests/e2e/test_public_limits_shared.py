"""Two httpd servers behind one load balancer share the public per-IP limits through a real
memcached (mod_socache_memcache, KonfirmadoRateLimitCache memcache:host:port), as the README
advises for several servers: a customer's reads are counted once, whichever
server answers them, and the limit's 429 comes from either."""
import contextlib
import os
import re
import shutil
import socket
import subprocess
import time

import pytest

import booking_seed as seed
from conftest import Api, render_conf, start_extra_httpd
from test_public_limits import assert_429

READS = 12


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def memcached():
    binary = shutil.which("memcached")
    assert binary, "memcached is not installed (./dev deps installs it)"
    port = _free_port()
    cmd = [binary, "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-m", "16"]
    if os.geteuid() == 0:
        cmd += ["-u", "nobody"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.time() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
                break
            assert time.time() < end and proc.poll() is None, "memcached did not start"
            time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def shared_conf(port):
    base = render_conf()
    modules = os.path.dirname(re.search(r'LoadModule dbd_module "?([^"\s]+)', base).group(1))
    return render_conf(add=[
        'LoadModule socache_memcache_module "%s/mod_socache_memcache.so"' % modules,
        'KonfirmadoRateLimitCache "memcache:127.0.0.1:%d"' % port,
        "KonfirmadoPublicReadLimit %d" % READS,
    ], base=base)


@pytest.fixture
def slug(merchant):
    service = seed.service(merchant.tenant_id)
    seed.professional(merchant.tenant_id, services=[service])
    return seed.link(merchant.tenant_id)


def test_two_servers_count_one_customer_once(stack, slug):
    with memcached() as port:
        conf = shared_conf(port)
        with start_extra_httpd(conf) as a, start_extra_httpd(conf) as b:
            ip = Api(stack).source_ip
            on_a, on_b = Api(a.stack, source_ip=ip), Api(b.stack, source_ip=ip)
            # the customer's reads alternate between the servers, as a balancer sends them
            statuses = [(on_a if i % 2 else on_b).get("/api/public/links/%s" % slug).status_code
                        for i in range(READS)]
            assert statuses == [200] * READS
            assert_429(on_a.get("/api/public/links/%s" % slug), 60)
            assert_429(on_b.get("/api/public/links/%s" % slug), 60)
            # another customer, on either server, is not affected
            assert Api(a.stack).get("/api/public/links/%s" % slug).status_code == 200
            assert Api(b.stack).get("/api/public/links/%s" % slug).status_code == 200
