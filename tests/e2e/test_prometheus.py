"""A real Prometheus (Debian's prometheus package) scrapes the status page as docs/monitoring.md
configures it: the target is up, a counter it stores rises with the requests the server
answers, the example alert rules load into it, and promtool finds the rules file valid."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import requests
import yaml

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RULES = os.path.join(SRCDIR, "conf", "prometheus", "konfirmado-alerts.yml")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def prometheus(stack):
    """Prometheus scraping the stack's status page every second, with the example rules."""
    work = tempfile.mkdtemp(prefix="kf-prometheus-")
    port = free_port()
    config = os.path.join(work, "prometheus.yml")
    with open(config, "w", encoding="utf-8") as f:
        f.write("""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - %s
scrape_configs:
  - job_name: konfirmado
    metrics_path: /konfirmado-status
    static_configs:
      - targets: ["127.0.0.1:%s"]
""" % (RULES, stack["KF_PORT"]))
    proc = subprocess.Popen(["prometheus", "--config.file=" + config,
                             "--storage.tsdb.path=" + os.path.join(work, "data"),
                             "--web.listen-address=127.0.0.1:%d" % port],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "log"), "w"))
    base = "http://127.0.0.1:%d" % port
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def query(base, expr):
    """The instant query's samples, {labels-as-tuple: value}; {} while Prometheus starts."""
    try:
        r = requests.get(base + "/api/v1/query", params={"query": expr}, timeout=5)
    except requests.ConnectionError:
        return {}
    if r.status_code != 200:
        return {}
    return {tuple(sorted(s["metric"].items())): float(s["value"][1])
            for s in r.json()["data"]["result"]}


def wait_for(what, fn, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        got = fn()
        if got:
            return got
        time.sleep(0.5)
    raise AssertionError("timed out waiting for " + what)


def test_prometheus_scrapes_the_page_and_sees_a_counter_rise(prometheus, api):
    up = wait_for("the target up", lambda: [v for v in query(prometheus, 'up{job="konfirmado"}').values()
                                            if v == 1])
    assert up == [1.0]
    total = 'sum(konfirmado_requests_total{class="health"})'
    before = wait_for("a scraped counter", lambda: query(prometheus, total))
    [before] = before.values()
    for _ in range(5):
        assert api.get("/api/health").status_code == 200
    wait_for("the counter to rise by the requests",
             lambda: [v for v in query(prometheus, total).values() if v >= before + 5])
    # the example rules loaded, and each evaluates against what the page exposes
    def rules():
        groups = requests.get(prometheus + "/api/v1/rules", timeout=5).json()["data"]["groups"]
        found = {rule["name"]: rule["health"] for g in groups for rule in g["rules"]}
        return found if found and all(h == "ok" for h in found.values()) else None
    names = wait_for("every rule evaluated", rules)
    with open(RULES, encoding="utf-8") as f:
        in_file = {rule["alert"] for g in yaml.safe_load(f)["groups"] for rule in g["rules"]}
    assert set(names) == in_file and "KonfirmadoDatabaseDown" in in_file


def test_promtool_finds_the_example_rules_valid():
    run = subprocess.run(["promtool", "check", "rules", RULES], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "SUCCESS" in run.stdout
