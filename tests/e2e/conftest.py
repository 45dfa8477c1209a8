"""The e2e harness: pytest against the running local stack (tests/stack up).

Fixtures and helpers every e2e test uses:
  stack               dict of var/stack.env (KF_URL, KF_PORT, KF_PGURL, ...)
  api                 HTTP client for our httpd: api.get("/api/health"),
                      api.post(path, json=..., tenant="acme"), api.with_host("x.example")
  new_api             factory of further independent clients (e.g. a second browser)
  fakes               control API of tests/fakes (reset before each test)
  maildir             new .eml files since the test began: maildir.wait(1) -> [EmailMessage]
  allow_log           allow_log(r"regex"): expected error-log lines (or @pytest.mark.allow_log)
  render_conf(...)    the stack's httpd.conf text with directive lines replaced/removed/added
  configtest(text)    (exit code, output) of `apache2 -t` on that text
  start_extra_httpd   context manager: a second httpd on its own port (same DB and fakes)
  pg_down / mail_down context managers: PostgreSQL / the SMTP sink stopped inside the block
  stack_cmd(...)      run tests/stack with arguments (pg stop, mail start, ...)

Every test fails if httpd's error log got [error]/[crit]/[alert]/[emerg] lines, a
segfault or an "exit signal" while it ran, unless it allowed them.
"""
import contextlib
import email
import email.policy
import os
import random
import re
import secrets
import shlex
import socket
import subprocess
import tempfile
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from requests.adapters import HTTPAdapter

import contract_support

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _stack_vardir():
    """The stack this process tests: var/ of the checkout, another one named by KF_VARDIR,
    or, under pytest-xdist (`./dev test` runs the suite on several stacks at once), var/ for
    worker gw0 and var/shard<N> for worker gw<N>. Exported as KF_VARDIR so that tests/stack
    run by a test acts on the same stack."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw") and worker[2:].isdigit():
        n = int(worker[2:])
        vardir = os.path.join(SRCDIR, "var") if n == 0 else os.path.join(SRCDIR, "var", "shard%d" % n)
    else:
        vardir = os.path.abspath(os.environ.get("KF_VARDIR") or os.path.join(SRCDIR, "var"))
    os.environ["KF_VARDIR"] = vardir
    return vardir


VARDIR = _stack_vardir()
STACK_ENV = os.path.join(VARDIR, "stack.env")
STACK = os.path.join(SRCDIR, "tests", "stack")
APACHE = "/usr/sbin/apache2"
DEFAULT_TIMEOUT = 30

BAD_LOG_RE = re.compile(
    r"\[(?:[\w.-]+:)?(?:error|crit|alert|emerg)\]|Segmentation fault|exit signal")


# ---------------------------------------------------------------- the stack's env

def read_stack_env(path=STACK_ENV):
    """KEY=value lines (shell quoting) of var/stack.env as a dict."""
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, _, value = line.partition("=")
            env[key] = " ".join(shlex.split(value)) if value else ""
    return env


def _port_open(port):
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", int(port)), timeout=2):
        return True
    return False


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_log(*regexes): error-log lines this test expects")


def pytest_sessionstart(session):
    """Fail once, clearly, when the stack is not up (instead of N connection errors)."""
    if not os.path.exists(STACK_ENV):
        pytest.exit("the stack is not up: no %s; run tests/stack up" % STACK_ENV, returncode=3)
    env = read_stack_env()
    MODULE_PORTS.add(int(env["KF_PORT"]))
    _contract_install()
    down = [k for k in ("KF_PORT", "KF_FAKES_PORT", "KF_PGPORT") if not _port_open(env.get(k, 0))]
    if down:
        pytest.exit("the stack is not (fully) up: nothing listens on %s; run tests/stack up "
                    "(tests/stack status tells more)" % ", ".join(down), returncode=3)


@pytest.fixture(scope="session")
def stack():
    return read_stack_env()


# ---------------------------------------------------------------- the HTTP contract

# Every answer of the module that any test receives, through any requests session, is checked
# against docs/openapi.yaml (contract_support.py); a test that received an answer the spec does
# not describe fails, naming it. The module's ports: the stack's and every extra httpd's.
MODULE_PORTS = set()
CONTRACT = None


def _contract_install():
    global CONTRACT
    mode = os.environ.get("KF_CONTRACT", "strict")
    if mode == "off" or CONTRACT is not None:
        return
    CONTRACT = contract_support.Recorder(
        contract_support.Contract(contract_support.load_spec()), MODULE_PORTS,
        mode[len("record:"):] if mode.startswith("record:") else None)
    send = requests.Session.send

    def checked_send(session, request, **kw):
        response = send(session, request, **kw)
        CONTRACT.observe(request, response)
        return response
    requests.Session.send = checked_send


def _contract_check(item):
    found = CONTRACT.take() if CONTRACT else []
    if found:
        pytest.fail("answers that docs/openapi.yaml does not describe:\n%s"
                    % "\n".join(found[:40]), pytrace=False)


# ---------------------------------------------------------------- HTTP client for httpd

def random_loopback_ip():
    return "127.%d.%d.%d" % (random.randint(1, 254), random.randint(0, 255), random.randint(1, 254))


class LoopbackAdapter(HTTPAdapter):
    """Sends every request to 127.0.0.1 (same port), keeping the URL's host as the Host header.

    Python does not resolve *.localhost; routing at connection level (rather than writing
    URLs with 127.0.0.1) keeps cookies, redirects and Host exactly as a browser sees them.
    Connections leave from `source_ip` (a loopback address): the module limits public
    requests per client IP, so each client of the suite talks from an address of its own,
    as real customers do.
    """

    def __init__(self, source_ip=None, **kw):
        self.source_ip = source_ip
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        if self.source_ip:
            kw["source_address"] = (self.source_ip, 0)
        return super().init_poolmanager(*args, **kw)

    def send(self, request, **kwargs):
        original_url = request.url
        parts = urlsplit(original_url)
        wire = request.copy()
        wire.headers["Host"] = parts.netloc
        wire.url = urlunsplit((parts.scheme, "127.0.0.1:%d" % (parts.port or 80),
                               parts.path, parts.query, parts.fragment))
        resp = super().send(wire, **kwargs)
        resp.url = original_url
        resp.request = request
        return resp


class Api:
    """Client of the stack's httpd. Paths are relative; the host is the platform host
    unless `tenant=` (subdomain) or `host=` is given per call or via with_host()."""

    def __init__(self, stack, host=None, source_ip=None):
        self.stack = stack
        self.port = int(stack["KF_PORT"])
        self.base_domain = stack["KF_BASE_DOMAIN"]
        self.host = host or self.base_domain
        self.source_ip = source_ip or random_loopback_ip()
        self.session = requests.Session()
        self.session.mount("http://", LoopbackAdapter(self.source_ip))

    def with_host(self, host):
        """Another client (own cookies, same address) talking to `host` (e.g. a tenant's
        own domain)."""
        return Api(self.stack, host, self.source_ip)

    def tenant(self, subdomain):
        return self.with_host("%s.%s" % (subdomain, self.base_domain))

    def url(self, path, tenant=None, host=None):
        if tenant:
            host = "%s.%s" % (tenant, self.base_domain)
        return "http://%s:%d%s" % (host or self.host, self.port, path)

    def request(self, method, path, tenant=None, host=None, **kw):
        kw.setdefault("timeout", DEFAULT_TIMEOUT)
        kw.setdefault("allow_redirects", False)
        return self.session.request(method, self.url(path, tenant, host), **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


@pytest.fixture
def api(stack):
    client = Api(stack)
    yield client
    client.session.close()


@pytest.fixture
def new_api(stack):
    clients = []

    def make(host=None):
        clients.append(Api(stack, host))
        return clients[-1]
    yield make
    for c in clients:
        c.session.close()


# ---------------------------------------------------------------- fakes and mail

class Fakes:
    """Control API of tests/fakes/server.py."""

    def __init__(self, base_url):
        self.url = base_url.rstrip("/")
        self.http = requests.Session()

    def _call(self, method, path, **kw):
        r = self.http.request(method, self.url + path, timeout=10, **kw)
        r.raise_for_status()
        return r.json()

    def health(self):
        return self._call("GET", "/_fakes/health")

    def requests(self, fake=None):
        return self._call("GET", "/_fakes/requests", params={"fake": fake} if fake else None)

    def reset(self, fake=None):
        return self._call("POST", "/_fakes/reset", params={"fake": fake} if fake else None)

    def config(self, fake, **changes):
        """Merge `changes` into a fake's configuration; returns the new configuration."""
        return self._call("POST", "/_fakes/%s/config" % fake, json=changes)

    def wait_requests(self, fake, n=1, timeout=10):
        """Wait until `fake` recorded at least n requests; return them."""
        end = time.time() + timeout
        while True:
            got = self.requests(fake)
            if len(got) >= n or time.time() > end:
                if len(got) < n:
                    pytest.fail("fake %s got %d requests, expected %d" % (fake, len(got), n))
                return got
            time.sleep(0.1)

    def base(self, fake):
        """URL of a fake's mount point, e.g. base("merchant") + "/callback"."""
        return "%s/%s" % (self.url, fake)


@pytest.fixture
def fakes(stack):
    client = Fakes(stack["KF_FAKES_URL"])
    client.reset()
    yield client
    # and clean after: tests that do not take this fixture (the browser's) meet no outage
    # or failure switch left by this one
    client.reset()
    client.http.close()


class Maildir:
    """The mail sink's directory; only messages arriving after the snapshot count."""

    def __init__(self, path):
        self.path = path
        self.snapshot()

    def _names(self):
        return sorted(n for n in os.listdir(self.path) if n.endswith(".eml"))

    def snapshot(self):
        self.seen = set(self._names())

    def new_files(self):
        return [os.path.join(self.path, n) for n in self._names() if n not in self.seen]

    def new(self, to=None, subject=None):
        """New messages, oldest first, as email.message.EmailMessage; only those whose
        envelope recipients contain `to` and whose subject is `subject`, when given (other
        tests' booking mails may still arrive while a test runs)."""
        out = []
        for p in self.new_files():
            with open(p, "rb") as f:
                m = email.message_from_binary_file(f, policy=email.policy.default)
            if to is not None and to not in str(m.get("X-Envelope-To") or m.get("To") or ""):
                continue
            if subject is not None and str(m.get("Subject")) != subject:
                continue
            out.append(m)
        return out

    def wait(self, n=1, timeout=15, to=None, subject=None):
        """Wait for at least n new messages (matching to/subject); return them all."""
        end = time.time() + timeout
        while len(self.new(to, subject)) < n:
            if time.time() > end:
                pytest.fail("expected %d new mail(s) in %s, got %d" % (n, self.path, len(self.new(to, subject))))
            time.sleep(0.1)
        return self.new(to, subject)


@pytest.fixture
def maildir(stack):
    return Maildir(stack["KF_MAILDIR"])


# ---------------------------------------------------------------- error-log guard

@pytest.fixture
def allow_log(request):
    """allow_log(r"regex", ...): error-log lines matching are expected by this test."""
    def allow(*regexes):
        if not hasattr(request.node, "_kf_allowed_log"):
            request.node._kf_allowed_log = []
        request.node._kf_allowed_log.extend(re.compile(r) for r in regexes)
    return allow


def _error_log_path():
    return read_stack_env().get("KF_ERROR_LOG") if os.path.exists(STACK_ENV) else None


def _log_size(path):
    return os.path.getsize(path) if path and os.path.exists(path) else 0


def _unexpected_log_lines(item, path, start):
    """Lines of the error log after offset `start` that are bad and not allowed."""
    if not path or not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        if os.path.getsize(path) < start:      # rotated or truncated: read it all
            start = 0
        f.seek(start)
        new = f.read().decode("utf-8", "replace").splitlines()
    allowed = [re.compile(r) for m in item.iter_markers("allow_log") for r in m.args]
    allowed += getattr(item, "_kf_allowed_log", [])
    return [line for line in new if BAD_LOG_RE.search(line)
            and not any(r.search(line) for r in allowed)]


# The guard is made of hooks rather than a fixture so that bad lines logged while the test
# body ran make the test itself FAIL; lines logged by fixture teardown make it ERROR.
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    item._kf_log_path = _error_log_path()
    item._kf_log_start = _log_size(item._kf_log_path)
    yield


def _sanitizer_reports(path):
    """AddressSanitizer / UBSan reports of an --enable-asan module (tests/stack writes them
    next to the error log): any is a failure, whichever test it shows up after."""
    logs = os.path.dirname(path)
    return sorted(os.path.join(logs, n) for n in os.listdir(logs) if n.startswith("sanitizer"))


def _check_log(item, phase):
    path = getattr(item, "_kf_log_path", None)
    if not path:
        return
    reports = _sanitizer_reports(path) if os.path.isdir(os.path.dirname(path)) else []
    if reports:
        with open(reports[0], encoding="utf-8", errors="replace") as f:
            text = f.read(4000)
        pytest.fail("sanitizer report(s) %s:\n%s" % (", ".join(reports), text), pytrace=False)
    bad = _unexpected_log_lines(item, path, item._kf_log_start)
    item._kf_log_start = _log_size(path)
    if bad:
        pytest.fail("httpd error log (%s) got unexpected lines during the %s:\n%s"
                    % (path, phase, "\n".join(bad[:30])), pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    if outcome.excinfo is None:
        _check_log(item, "test")
        _contract_check(item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    outcome = yield
    if outcome.excinfo is None:
        _check_log(item, "teardown")
        _contract_check(item)


# ---------------------------------------------------------------- httpd configs and servers

def _directive_matches(line, key):
    """Does this config line start with `key` (a directive name, optionally followed by
    its first arguments, e.g. "KonfirmadoProviderURL wompi-sandbox")? Directive names
    are case-insensitive."""
    words, want = line.split(), key.split()
    if len(words) < len(want):
        return False
    return words[0].lower() == want[0].lower() and words[1:len(want)] == want[1:]


def render_conf(overrides=None, add=(), remove=(), base=None):
    """The stack's rendered httpd.conf, changed:
      overrides {key: new_line_or_lines}: lines matching key replaced (a str, a list of
                lines, or None to remove them); a key that matches nothing is appended
      add       lines appended at the end
      remove    keys whose lines are dropped
    Keys are directive names, optionally with leading arguments (see _directive_matches).
    """
    if base is None:
        with open(read_stack_env()["KF_HTTPD_CONF"], encoding="utf-8") as f:
            base = f.read()
    lines = base.splitlines()
    changes = dict(overrides or {})
    changes.update({k: None for k in remove})
    for key, new in changes.items():
        if isinstance(new, str):
            new = [new]
        out, done = [], False
        for line in lines:
            if _directive_matches(line, key):
                if not done and new is not None:
                    out.extend(new)
                done = True
                continue
            out.append(line)
        if not done and new is not None:
            out.extend(new)
        lines = out
    lines.extend(add)
    return "\n".join(lines) + "\n"


def _scratch_dir(prefix):
    """A directory inside the stack's runtime dir (reachable by httpd's workers)."""
    root = os.path.join(read_stack_env()["KF_RUNDIR"], "scratch")
    os.makedirs(root, exist_ok=True)
    d = tempfile.mkdtemp(prefix=prefix, dir=root)
    os.chmod(d, 0o755)
    return d


def httpd_env():
    """The environment httpd runs in, as tests/stack starts its own: glibc's heap settings
    of stack.env (KF_HTTPD_MALLOC), and with a module built --enable-asan, libasan preloaded
    and reports written next to the stack's logs."""
    stack = read_stack_env()
    env = dict(os.environ)
    for setting in stack.get("KF_HTTPD_MALLOC", "").split():
        name, _, value = setting.partition("=")
        env.setdefault(name, value)
    ldd = subprocess.run(["ldd", stack["KF_MODULE"]], capture_output=True, text=True).stdout
    for line in ldd.splitlines():
        if "libasan" in line and "=>" in line:
            logs = os.path.dirname(stack["KF_ERROR_LOG"])
            env["LD_PRELOAD"] = line.split("=>")[1].split()[0]
            env["ASAN_OPTIONS"] = ("detect_leaks=0:abort_on_error=0:halt_on_error=0:log_path=%s/sanitizer"
                                   % logs)
            env["UBSAN_OPTIONS"] = "print_stacktrace=1:log_path=%s/sanitizer" % logs
    return env


def configtest(conf_text):
    """Run `apache2 -t` on the given config text; return (exit code, stdout+stderr)."""
    d = _scratch_dir("configtest-")
    path = os.path.join(d, "httpd.conf")
    with open(path, "w", encoding="utf-8") as f:
        f.write(conf_text)
    p = subprocess.run([APACHE, "-t", "-f", path], stdout=subprocess.PIPE, env=httpd_env(),
                       stderr=subprocess.STDOUT, text=True, cwd="/", timeout=60)
    return p.returncode, p.stdout


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ExtraHttpd:
    def __init__(self, stack, port, rundir, conf_path):
        self.port, self.rundir, self.conf_path = port, rundir, conf_path
        self.error_log = os.path.join(rundir, "error_log")
        self.pidfile = os.path.join(rundir, "httpd.pid")
        self.stack = dict(stack, KF_PORT=str(port),
                          KF_URL="http://%s:%d" % (stack["KF_BASE_DOMAIN"], port),
                          KF_ERROR_LOG=self.error_log)

    def api(self, host=None):
        return Api(self.stack, host)

    def error_lines(self):
        with open(self.error_log, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()


@contextlib.contextmanager
def start_extra_httpd(conf_text=None, timeout=20, ipv6=False):
    """A second httpd from `conf_text` (default: the stack's config), moved to a new port
    and its own runtime dir (PidFile, ErrorLog, logs, mutexes). Yields an ExtraHttpd; on
    exit it is stopped. Its error log is not guarded: check extra.error_lines() yourself.
    ipv6: the platform's virtual host also listens on [::1] at the same port."""
    stack = read_stack_env()
    if conf_text is None:
        conf_text = render_conf()
    port, old_port = _free_port(), stack["KF_PORT"]
    d = _scratch_dir("httpd-")
    q = lambda p: '"%s"' % p  # noqa: E731
    text = render_conf({
        "Listen": "Listen 127.0.0.1:%d" % port,
        "PidFile": "PidFile " + q(os.path.join(d, "httpd.pid")),
        "DefaultRuntimeDir": "DefaultRuntimeDir " + q(d),
        "Mutex": "Mutex " + q("file:" + d) + " default",
        "ErrorLog": "ErrorLog " + q(os.path.join(d, "error_log")),
        "CustomLog": "CustomLog %s konfirmado" % q(os.path.join(d, "access_log")),
    }, base=conf_text)
    # The port also appears in the VirtualHost and KonfirmadoPublicURL.
    text = text.replace("127.0.0.1:%s>" % old_port, "127.0.0.1:%d>" % port)
    text = text.replace("localhost:%s" % old_port, "localhost:%d" % port)
    if ipv6:
        text = text.replace("<VirtualHost 127.0.0.1:%d>" % port,
                            "<VirtualHost 127.0.0.1:%d [::1]:%d>" % (port, port), 1)
        text = text.replace("Listen 127.0.0.1:%d" % port,
                            "Listen 127.0.0.1:%d\nListen [::1]:%d" % (port, port), 1)
    conf_path = os.path.join(d, "httpd.conf")
    with open(conf_path, "w", encoding="utf-8") as f:
        f.write(text)
    extra = ExtraHttpd(stack, port, d, conf_path)
    MODULE_PORTS.add(port)
    p = subprocess.run([APACHE, "-f", conf_path, "-k", "start"], stdout=subprocess.PIPE, env=httpd_env(),
                       stderr=subprocess.STDOUT, text=True, cwd="/", timeout=60)
    try:
        if p.returncode != 0:
            raise RuntimeError("extra httpd did not start (%d): %s" % (p.returncode, p.stdout))
        end = time.time() + timeout
        while True:
            try:
                extra.api().get("/api/health", timeout=2)
                break
            except requests.RequestException:
                if time.time() > end:
                    raise RuntimeError("extra httpd on port %d does not answer" % port)
                time.sleep(0.2)
        yield extra
    finally:
        _stop_httpd(conf_path, extra.pidfile)


def _stop_httpd(conf_path, pidfile):
    try:
        with open(pidfile) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return
    # httpd_env(): an ASan module's httpd refuses to run even "-k graceful-stop" without
    # libasan preloaded, and the server would then be killed below instead of stopped
    subprocess.run([APACHE, "-f", conf_path, "-k", "graceful-stop"], cwd="/", env=httpd_env(),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.time() + 15
    while time.time() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
        # a zombie parent (when PID 1 does not reap) counts as gone
        with contextlib.suppress(OSError), open("/proc/%d/stat" % pid) as f:
            if f.read().split(") ", 1)[1].startswith("Z"):
                return
    # children of a killed parent would keep serving: kill them too (found by their config)
    os.kill(pid, 9)
    subprocess.run(["pkill", "-9", "-f", "-x", "%s -f %s -k start" % (APACHE, conf_path)])


# ---------------------------------------------------------------- outages

def stack_cmd(*args):
    """Run tests/stack with these arguments; raise with its output when it fails."""
    p = subprocess.run([STACK, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError("tests/stack %s failed:\n%s" % (" ".join(args), p.stdout))
    return p.stdout


@contextlib.contextmanager
def pg_down():
    """PostgreSQL stopped inside the block, started again (same port and data) after it."""
    stack_cmd("pg", "stop")
    try:
        yield
    finally:
        stack_cmd("pg", "start")


@contextlib.contextmanager
def mail_down():
    """The SMTP sink stopped inside the block, started again after it."""
    stack_cmd("mail", "stop")
    try:
        yield
    finally:
        stack_cmd("mail", "start")


# ---------------------------------------------------------------- merchants (seeded)

class _PsqlSession:
    """One psql process kept open on the stack's database, fed script after script: starting
    psql and a PostgreSQL backend for every statement cost more CPU than the statements (the
    suite runs thousands). Same output and variables as a fresh `psql -X -q -At -v
    ON_ERROR_STOP=1`; a failing script ends the process (and its session state) like it did."""

    END = "__kf_psql_end__"

    def __init__(self, url):
        self.url = url
        self.proc = subprocess.Popen(["psql", url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        self.nparams = 0

    @staticmethod
    def _quoted(value):
        v = str(value).replace("\\", "\\\\").replace("'", "\\'")
        return "'" + v.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "'"

    def run(self, sql, params):
        lines = ["\\set p%d %s" % (i, self._quoted(v)) for i, v in enumerate(params, 1)]
        lines += ["\\unset p%d" % i for i in range(len(params) + 1, self.nparams + 1)]
        self.nparams = len(params)
        # the script, ended (a last statement without ';' would wait for more), then markers
        lines += [sql, ";", "\\echo " + self.END, "\\warn " + self.END]
        try:
            self.proc.stdin.write("\n".join(lines) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass
        out = []
        for line in self.proc.stdout:
            if line.rstrip("\n") == self.END:
                break
            out.append(line)
        else:
            # psql stopped: the script failed (ON_ERROR_STOP) or the server went away
            self.proc.wait()
            raise RuntimeError("psql failed: %s" % self.proc.stderr.read())
        for line in self.proc.stderr:   # NOTICEs and the like, up to the marker
            if line.rstrip("\n") == self.END:
                break
        return "".join(out).strip()

    def close(self):
        with contextlib.suppress(Exception):
            self.proc.stdin.close()
            self.proc.wait(timeout=5)


_psql_sessions = threading.local()


def psql(sql, *params, db_url=None):
    """Runs SQL on the stack's database with psql variables :'p1', :'p2'... bound to params;
    returns stdout (unaligned, tuples only). Another database (`db_url`) gets a psql of its own
    each time (it may be dropped next); the stack's keeps one per thread."""
    url = read_stack_env()["KF_PGURL"]
    if db_url and db_url != url:
        cmd = ["psql", db_url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]
        for i, p in enumerate(params, 1):
            cmd += ["-v", "p%d=%s" % (i, p)]
        p = subprocess.run(cmd, input=sql, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise RuntimeError("psql failed: %s" % p.stderr)
        return p.stdout.strip()
    for attempt in (1, 2):
        session = getattr(_psql_sessions, "session", None)
        if session is None or session.url != url or session.proc.poll() is not None:
            if session is not None:
                session.close()
            session = _psql_sessions.session = _PsqlSession(url)
        try:
            return session.run(sql, params)
        except RuntimeError as e:
            # a connection the server closed while it sat idle (PostgreSQL restarted by a
            # test): what a fresh psql would not have met; once more with a new one
            if attempt == 2 or not any(t in str(e) for t in _CONNECTION_LOST):
                raise
    raise AssertionError("unreachable")


_CONNECTION_LOST = ("terminating connection due to administrator command",
                    "server closed the connection unexpectedly", "connection to server was lost")


def statement_with(sql, args):
    """A module statement's %s placeholders (apr_dbd's) replaced, in order, by the SQL literals
    of `args` (None: NULL): the text psql or pgbench can run (bench/print_sql.c prints it)."""
    parts = sql.split("%s")
    assert len(parts) == len(args) + 1, "%d placeholders, %d arguments" % (len(parts) - 1, len(args))
    literal = lambda v: "NULL" if v is None else "'%s'" % str(v).replace("'", "''")  # noqa: E731
    return "".join(p + literal(a) for p, a in zip(parts, args)) + parts[-1]


@contextlib.contextmanager
def own_database(prefix, migrate=True):
    """A database of the stack's cluster for one test, migrated unless told not to, dropped
    after the block: yields (name, url). Its rows and its statistics are that test's alone."""
    stack = read_stack_env()
    name = "%s_%s" % (prefix, secrets.token_hex(3))
    url = stack["KF_PGURL"].rsplit("/", 1)[0] + "/" + name
    psql("CREATE DATABASE %s OWNER konfirmado" % name)
    try:
        if migrate:
            subprocess.run([os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-migrate"), url],
                           check=True, stdout=subprocess.PIPE)
        yield name, url
    finally:
        psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)


class Merchant:
    """A verified merchant with a live session: .api sends its cookie and CSRF token."""

    def __init__(self, api, tenant_id, user_id, email, password, csrf, session_token):
        self.api, self.tenant_id, self.user_id = api, tenant_id, user_id
        self.email, self.password, self.csrf, self.session_token = email, password, csrf, session_token


_PASSWORD_HASHES = {}


def bcrypt_hash(password):
    """bcrypt (cost 12) as apr_password_validate understands it, via htpasswd."""
    if password not in _PASSWORD_HASHES:
        out = subprocess.run(["htpasswd", "-nbB", "-C", "12", "x", password], check=True,
                             stdout=subprocess.PIPE, text=True).stdout.strip()
        _PASSWORD_HASHES[password] = out.split(":", 1)[1]
    return _PASSWORD_HASHES[password]


def seed_session(client, business, email, db_url=None):
    """A tenant and its verified owner written straight to the database (`db_url`: another
    database than the stack's), logged in on `client` (an Api): its cookie and CSRF token.
    Returns (tenant_id, session_token, csrf_token)."""
    import hashlib
    import secrets
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    tenant = psql("""
        WITH t AS (INSERT INTO tenants (name) VALUES (:'p1') RETURNING id),
             u AS (INSERT INTO users (tenant_id, email, password_hash, email_verified_at)
                   SELECT id, :'p2', 'never-used', now() FROM t RETURNING id, tenant_id)
        INSERT INTO sessions (token_hash, user_id, tenant_id, csrf_token, idle_expires_at,
                              absolute_expires_at)
        SELECT :'p3', id, tenant_id, :'p4', now() + interval '1 day', now() + interval '1 day'
        FROM u RETURNING tenant_id""", business, email,
                  hashlib.sha256(token.encode()).hexdigest(), csrf, db_url=db_url)
    client.session.cookies.set("kf_session", token)
    client.session.headers["X-CSRF-Token"] = csrf
    return tenant, token, csrf


def seed_merchant(stack, business="Clínica Prueba", password="correct horse battery"):
    """A tenant, its verified owner and a session, written straight to the database (the
    fast way for tests that are not about accounts; tests/e2e/test_accounts.py covers the
    real registration flow). Returns a Merchant with an Api client logged in."""
    import hashlib
    import secrets
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    email = "owner-%s@example.com" % secrets.token_hex(6)
    out = psql("""
        WITH t AS (INSERT INTO tenants (name) VALUES (:'p1') RETURNING id),
             u AS (INSERT INTO users (tenant_id, email, password_hash, email_verified_at)
                   SELECT id, :'p2', :'p3', now() FROM t RETURNING id, tenant_id)
        INSERT INTO sessions (token_hash, user_id, tenant_id, csrf_token, idle_expires_at,
                              absolute_expires_at)
        SELECT :'p4', id, tenant_id, :'p5', now() + interval '1 hour', now() + interval '1 day'
        FROM u RETURNING tenant_id || ' ' || user_id;
        """, business, email, bcrypt_hash(password), hashlib.sha256(token.encode()).hexdigest(), csrf)
    tenant_id, user_id = out.split()
    client = Api(stack)
    client.session.cookies.set("kf_session", token)
    client.session.headers["X-CSRF-Token"] = csrf
    return Merchant(client, tenant_id, user_id, email, password, csrf, token)


@pytest.fixture
def merchant(stack):
    m = seed_merchant(stack)
    yield m
    m.api.session.close()


@pytest.fixture
def other_merchant(stack):
    m = seed_merchant(stack, business="Otra Empresa")
    yield m
    m.api.session.close()
