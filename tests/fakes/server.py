#!/usr/bin/python3
"""Loopback fake providers for tests and the demo: one threaded HTTP/1.1 server.

    tests/fakes/server.py --port N --state-dir D

Each fake of registry.FAKES is mounted under /<name>/; /.well-known/ of any Host is the
domains fake's (tenants' own web sites). Every request a fake receives is
recorded (in memory, and appended to D/requests-<name>.jsonl for humans).

Control API for tests (JSON):
    GET  /_fakes/health                 {"ok": true, "fakes": [...]}
    GET  /_fakes/requests[?fake=NAME]   recorded requests, oldest first
    POST /_fakes/reset[?fake=NAME]      forget requests, configuration back to defaults
    GET  /_fakes/NAME/config            current configuration
    POST /_fakes/NAME/config            merge a JSON object into the configuration
Stdlib only; runs under /usr/bin/python3.
"""
import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from base import Request, Response  # noqa: E402
from registry import FAKES  # noqa: E402

MAX_BODY = 8 * 1024 * 1024


class Recorder:
    """Requests per fake, thread-safe; mirrored to JSONL files in the state dir."""

    def __init__(self, state_dir):
        self.state_dir = state_dir
        self.lock = threading.Lock()
        self.requests = {}

    def add(self, fake, record):
        with self.lock:
            self.requests.setdefault(fake, []).append(record)
            if self.state_dir:
                with open(os.path.join(self.state_dir, "requests-%s.jsonl" % fake), "a") as f:
                    f.write(json.dumps(record) + "\n")

    def list(self, fake=None):
        with self.lock:
            if fake:
                return list(self.requests.get(fake, []))
            return sorted((r for rs in self.requests.values() for r in rs), key=lambda r: r["time"])

    def reset(self, fake=None):
        with self.lock:
            for name in [fake] if fake else list(self.requests):
                self.requests.pop(name, None)
                if self.state_dir:
                    path = os.path.join(self.state_dir, "requests-%s.jsonl" % name)
                    if os.path.exists(path):
                        os.remove(path)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "KonfirmadoFakes/1"

    # One method for all verbs: fakes decide what they accept.
    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), fmt % args))

    def read_body(self):
        """The raw body: Content-Length or chunked transfer encoding (libcurl may use it)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass        # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length) if length else b""

    def dispatch(self):
        url = urlsplit(self.path)
        try:
            body = self.read_body()
        except ValueError as e:
            self.close_connection = True
            return self.send(Response.json({"error": str(e)}, 413))
        parts = url.path.split("/", 2)          # ["", "name", "rest"]
        name = parts[1] if len(parts) > 1 else ""
        subpath = "/" + (parts[2] if len(parts) > 2 else "")
        if name == ".well-known":               # a web site's own files: the domains fake
            name, subpath = "domains", url.path
        if name == "_fakes":
            return self.send(self.control(self.command, subpath, url.query, body))
        fake = self.server.fakes.get(name)
        if fake is None:
            return self.send(Response.json({"error": "no fake mounted at /%s/" % name}, 404))
        req = Request(self.command, url.path, url.query, list(self.headers.items()), body, subpath)
        self.server.recorder.add(name, req.to_record(name))
        try:
            resp = fake.handle(req)
        except Exception as e:          # a broken fake answers 500 and says why
            self.log_message("fake %s failed: %r", name, e)
            resp = Response.json({"error": "fake %s failed: %r" % (name, e)}, 500)
        if resp.drop:
            self.close_connection = True
            return
        self.send(resp)

    def control(self, method, subpath, query, body):
        srv = self.server
        args = {k: v[-1] for k, v in parse_qs(query).items()}
        fake_name = args.get("fake")
        if fake_name and fake_name not in srv.fakes:
            return Response.json({"error": "unknown fake %s" % fake_name}, 404)
        if subpath == "/health" and method == "GET":
            return Response.json({"ok": True, "fakes": sorted(srv.fakes)})
        if subpath == "/requests" and method == "GET":
            return Response.json(srv.recorder.list(fake_name))
        if subpath == "/reset" and method == "POST":
            for name, fake in srv.fakes.items():
                if fake_name in (None, name):
                    fake.reset()
            srv.recorder.reset(fake_name)
            return Response.json({"ok": True})
        bits = subpath.strip("/").split("/")
        if len(bits) == 2 and bits[1] == "config" and bits[0] in srv.fakes:
            fake = srv.fakes[bits[0]]
            if method == "GET":
                with fake.lock:
                    return Response.json(dict(fake.config))
            if method == "POST":
                try:
                    return Response.json(fake.configure(json.loads(body or b"{}")))
                except ValueError as e:
                    return Response.json({"error": str(e)}, 400)
        return Response.json({"error": "no control endpoint %s %s" % (method, subpath)}, 404)

    def send(self, resp):
        self.send_response(resp.status)
        for k, v in resp.headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp.body)


class FakesServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # A real web server's accept queue (socketserver's default of 5 dropped the connections of
    # dozens of callbacks arriving at once, which then waited seconds for a SYN retry)
    request_queue_size = 511

    def __init__(self, port, state_dir):
        super().__init__(("127.0.0.1", port), Handler)
        self.recorder = Recorder(state_dir)
        self.fakes = {cls.name: cls(state_dir) for cls in FAKES}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--state-dir", required=True)
    opts = ap.parse_args()
    os.makedirs(opts.state_dir, exist_ok=True)
    server = FakesServer(opts.port, opts.state_dir)
    sys.stderr.write("fakes on 127.0.0.1:%d: %s\n" % (opts.port, ", ".join(sorted(server.fakes))))
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
