"""A tiny HTTP server on 127.0.0.1 recording what a fake sends it (webhooks, notices, push
notifications): the tests of the fakes themselves use it as the gateway's stand-in."""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote_plus

import pytest
from requests.structures import CaseInsensitiveDict

T = 10


class Receiver:
    """A tiny HTTP server on 127.0.0.1 recording what the fakes send it.

    `mode` says how it answers: "ok" (200 "ok"), "echo" (Graph's handshake: the decoded
    validationToken as text/plain), "echo-encoded" (the token as it came in the URL, a
    mistake), or an int status.
    """

    def __init__(self):
        self.got = []
        self.mode = "ok"
        self.cond = threading.Condition()
        outer = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                rec = {"method": self.command, "path": self.path,
                       # senders spell header names as they like
                       "headers": CaseInsensitiveDict(self.headers.items()),
                       "body": body}
                status, ctype, out = 200, "text/plain", b"ok"
                raw_token = self.path.partition("validationToken=")[2].split("&")[0]
                if outer.mode == "echo" and raw_token:
                    ctype, out = "text/plain; charset=utf-8", unquote_plus(raw_token).encode()
                elif outer.mode == "echo-encoded" and raw_token:
                    out = raw_token.encode()
                elif isinstance(outer.mode, int):
                    status = outer.mode
                with outer.cond:            # recorded before the sender has its answer
                    outer.got.append(rec)
                    outer.cond.notify_all()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path="/hook"):
        return "http://receiver.localhost:%d%s" % (self.port, path)

    def wait(self, n, timeout=T):
        end = time.time() + timeout
        with self.cond:
            while len(self.got) < n and time.time() < end:
                self.cond.wait(end - time.time())
            assert len(self.got) >= n, "receiver got %d requests, expected %d" % (len(self.got), n)
            return list(self.got)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()
