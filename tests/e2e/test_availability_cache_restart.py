"""The availability cache outlives a graceful restart (apachectl -k graceful) of the
running Apache: the first answer a new child gives after it comes from the cache, as the
answers of the moments before the restart, instead of being computed again; a hold taken
after the restart still shows in the very next answer; and a change of the cache's size
makes it new, empty, as a restart that is not graceful does (it kills the children, one
maybe halfway through writing the cache)."""
import datetime as dt
import os
import subprocess
import time

import booking_seed as bs
from conftest import APACHE, httpd_env, render_conf, start_extra_httpd
from status_support import scrape, value

D = (dt.date.today() + dt.timedelta(days=3)).isoformat()
DAY = {"from": D, "days": 1}
# an answer lives this long: the restart happens well inside it
TTL = "KonfirmadoAvailabilityCacheTTL 10"
SIZE = "KonfirmadoAvailabilityCache shmcb:konfirmado-availability(%d)"


def looks(api):
    """The cache's hits and misses so far (the whole server's, kept across restarts)."""
    f = scrape(api)
    return (value(f, "konfirmado_cache_hits", "konfirmado_cache_hits_total"),
            value(f, "konfirmado_cache_misses", "konfirmado_cache_misses_total"))


def children(parent):
    """The live (not yet reaped) child processes of `parent`."""
    out = set()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent and fields[0] != "Z":
            out.add(int(d))
    return out


def restart_gracefully(extra, conf_text=None, how="graceful"):
    """apachectl -k graceful (or `how`; with `conf_text` written first), then wait until
    every child of before it has exited: from then on every answer is a new child's."""
    with open(extra.pidfile) as f:
        parent = int(f.read().strip())
    old = children(parent)
    assert old
    if conf_text is not None:
        with open(extra.conf_path, "w", encoding="utf-8") as f:
            f.write(conf_text)
    run = subprocess.run([APACHE, "-f", extra.conf_path, "-k", how], env=httpd_env(),
                         cwd="/", capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    deadline = time.time() + 30
    while children(parent) & old or not children(parent):
        assert time.time() < deadline, "the old children did not exit"
        time.sleep(0.1)


def listening(sc, c):
    """Once a child's change listener has started (it leaves no earlier answer behind), a
    question asked twice is answered the second time from the cache."""
    deadline = time.time() + 10
    while True:
        first = sc.slots(api=c, **DAY)
        before = looks(c)
        assert sc.slots(api=c, **DAY) == first
        if looks(c)[0] > before[0]:
            return
        assert time.time() < deadline, "the cache never answered"
        time.sleep(0.2)


def test_the_first_answer_after_a_graceful_restart_comes_from_the_cache(api):
    sc = bs.Scenario(api)
    conf = render_conf(add=[TTL])
    with start_extra_httpd(conf) as extra:
        c = extra.api()
        listening(sc, c)
        # a question not asked yet: computed and cached now, just before the restart
        question = dict(DAY, days=2)
        answer = sc.slots(api=c, **question)
        restart_gracefully(extra)
        hits, misses = looks(c)
        assert sc.slots(api=c, **question) == answer
        assert looks(c) == (hits + 1, misses), "the first answer was computed again"
        # a hold taken now shows at once, in the answer kept across the restart
        slot = answer[0]["start"]
        assert sc.hold(slot, api=c).status_code == 201
        assert slot not in [s["start"] for s in sc.slots(api=c, **question)]


def test_a_change_of_the_caches_size_makes_it_new(api):
    sc = bs.Scenario(api)
    conf = render_conf({"KonfirmadoAvailabilityCache": SIZE % (32 * 1024 * 1024)}, add=[TTL])
    with start_extra_httpd(conf) as extra:
        c = extra.api()
        listening(sc, c)
        question = dict(DAY, days=2)
        answer = sc.slots(api=c, **question)
        with open(extra.conf_path, encoding="utf-8") as f:
            resized = f.read().replace(SIZE % (32 * 1024 * 1024), SIZE % (16 * 1024 * 1024))
        restart_gracefully(extra, resized)
        hits, misses = looks(c)
        assert sc.slots(api=c, **question) == answer
        assert looks(c) == (hits, misses + 1), "an answer of the cache of the old size"


def test_a_restart_that_is_not_graceful_makes_it_new(api):
    sc = bs.Scenario(api)
    with start_extra_httpd(render_conf(add=[TTL])) as extra:
        c = extra.api()
        listening(sc, c)
        question = dict(DAY, days=2)
        answer = sc.slots(api=c, **question)
        restart_gracefully(extra, how="restart")
        hits, misses = looks(c)
        assert sc.slots(api=c, **question) == answer
        assert looks(c) == (hits, misses + 1), "an answer kept across a hard restart"
