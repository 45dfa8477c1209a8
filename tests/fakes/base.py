"""Building blocks of the fake providers: recorded requests, responses, the Fake base class.

A fake is mounted under /<name>/ by server.py. It sees every request under its prefix as a
Request, answers with a Response, and is configured by tests through the control API
(POST /_fakes/<name>/config with a JSON object). Everything it receives is recorded.
"""
import base64
import json
import threading
import time
from urllib.parse import parse_qs


class Request:
    """One request as received: raw body kept, path relative to the fake's prefix in `subpath`."""

    def __init__(self, method, path, query, headers, body, subpath):
        self.method = method
        self.path = path            # full path, e.g. /merchant/callback
        self.query = query          # raw query string ("" when none)
        self.headers = headers      # list of (name, value), in the order received
        self.body = body            # bytes
        self.subpath = subpath      # path below the prefix, e.g. /callback
        self.time = time.time()

    def header(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

    def args(self):
        """Query parameters as a dict of single values (last one wins)."""
        return {k: v[-1] for k, v in parse_qs(self.query, keep_blank_values=True).items()}

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def to_record(self, fake):
        rec = {
            "fake": fake,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "args": self.args(),
            "headers": dict(self.headers),
            "header_list": [[k, v] for k, v in self.headers],
            "time": self.time,
        }
        try:
            rec["body"] = self.body.decode("utf-8")
        except UnicodeDecodeError:
            rec["body"] = None
            rec["body_base64"] = base64.b64encode(self.body).decode("ascii")
        try:
            rec["json"] = json.loads(self.body) if self.body else None
        except ValueError:
            rec["json"] = None
        return rec


class Response:
    def __init__(self, status=200, body=b"", headers=None, content_type=None):
        self.status = status
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode("utf-8")
            content_type = content_type or "application/json"
        elif isinstance(body, str):
            body = body.encode("utf-8")
            content_type = content_type or "text/plain; charset=utf-8"
        self.body = body
        self.headers = list(headers or [])
        if content_type:
            self.headers.append(("Content-Type", content_type))
        # Set by a fake that wants the connection dropped without any answer.
        self.drop = False

    @classmethod
    def json(cls, obj, status=200, headers=None):
        return cls(status, obj, headers)

    @classmethod
    def dropped(cls):
        r = cls(0)
        r.drop = True
        return r


class Fake:
    """Base of every fake. Subclasses set `name`, `defaults` and implement `handle`.

    `self.config` holds the defaults merged with what tests posted; `self.lock` guards
    it and any state a subclass keeps (the server is threaded).
    """

    name = None
    defaults = {}

    def __init__(self, state_dir):
        self.state_dir = state_dir
        self.lock = threading.Lock()
        self.config = dict(self.defaults)

    def configure(self, changes):
        """Merge a test's JSON object into the configuration; return the new configuration."""
        if not isinstance(changes, dict):
            raise ValueError("config must be a JSON object")
        unknown = set(changes) - set(self.defaults)
        if unknown:
            raise ValueError("unknown config keys for %s: %s" % (self.name, sorted(unknown)))
        with self.lock:
            self.config.update(changes)
            return dict(self.config)

    def reset(self):
        """Back to the defaults, forgetting any state (recorded requests live in the server)."""
        with self.lock:
            self.config = dict(self.defaults)

    def handle(self, req):
        raise NotImplementedError
