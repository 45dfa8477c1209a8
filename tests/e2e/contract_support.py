"""The HTTP contract, docs/openapi.yaml, checked against every answer the suite receives.

conftest.py wraps requests.Session.send once for the whole run: an answer of the module
(a request to one of its ports, under /api/) is looked up in the spec by path template,
method and status, and its body validated against the schema the spec gives for it (JSON)
or its Content-Type compared (CSV, ICS, images, redirects). An answer the spec does not
describe is a violation naming the method, the path, the status and what is wrong; the
test that received it fails (conftest.py, after the test's body).

A path that matches no template, or a method that its path does not take, is what the
router answers for it: the spec's components/responses UnknownPath and MethodNotAllowed. An
answer without the module's X-Request-Id is httpd's own (NotServedByTheModule).

KF_CONTRACT=off turns the check off; KF_CONTRACT=record:FILE also appends every module
answer (method, template, status, body) to FILE as JSON lines, to write a schema from.
"""
import json
import os
import re
import threading
from urllib.parse import urlsplit

import yaml
from jsonschema import Draft202012Validator, RefResolver

SPEC_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "openapi.yaml")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def load_spec(path=SPEC_PATH):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def spec_enums(node, where="#"):
    """Every enum of the spec, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "enum" and isinstance(value, list):
                yield where, value
            else:
                yield from spec_enums(value, "%s/%s" % (where, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from spec_enums(value, "%s/%d" % (where, i))


def template_regex(template):
    """An OpenAPI path template as a regex: {name} is one non-empty segment (as the router's
    captures are)."""
    parts = re.split(r"(\{[^/{}]+\})", template)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p)
                                    for p in parts) + "$")


def _media(content_type):
    return (content_type or "").split(";")[0].strip().lower()


class Contract:
    def __init__(self, spec):
        self.spec = spec
        self.resolver = RefResolver("", spec)
        # literal paths first, then templates with fewer captures: the most specific wins
        self.paths = sorted(spec["paths"].items(), key=lambda kv: kv[0].count("{"))
        self.matchers = [(template_regex(t), t, item) for t, item in self.paths]
        self._validators = {}
        self._lock = threading.Lock()

    def _deref(self, obj):
        while isinstance(obj, dict) and "$ref" in obj:
            _, obj = self.resolver.resolve(obj["$ref"])
        return obj

    def _validator(self, key, schema):
        with self._lock:
            v = self._validators.get(key)
            if v is None:
                v = self._validators[key] = Draft202012Validator(schema, resolver=self.resolver)
            return v

    def find(self, method, path):
        """(template, operation or None, why): the spec's operation for this request."""
        for regex, template, item in self.matchers:
            if regex.match(path):
                op = item.get("get" if method == "head" else method)
                return template, op, None if op else "MethodNotAllowed"
        return None, None, "UnknownPath"

    def check(self, method, path, status, content_type, body_bytes, from_module=True):
        """None when the answer is described, else what is wrong (one line). from_module:
        the answer carries the module's X-Request-Id (else httpd answered by itself)."""
        method = method.lower()
        template, op, fallback = self.find(method, path)
        if not from_module:
            template, op, fallback = None, None, "NotServedByTheModule"
        if op is not None:
            responses = op.get("responses", {})
            response = responses.get(str(status))
            where = "%s %s" % (method.upper(), template)
            if response is None:
                return ("status %d is not among the answers the spec gives for %s (%s)"
                        % (status, where, ", ".join(sorted(responses))))
        else:
            where = "the router's %s answer" % fallback
            responses = self.spec["components"]["responses"]
            response = responses[fallback]
            if str(status) != str(response.get("x-status")):
                return "status %d, but %s is %s" % (status, where, response.get("x-status"))
        response = self._deref(response)
        content = response.get("content")
        media = _media(content_type)
        if not content:
            if body_bytes and status != 304 and method != "head":
                return "%s %d has no body in the spec, got %d bytes of %s" % (
                    where, status, len(body_bytes), content_type or "no Content-Type")
            return None
        if media not in content:
            return "%s %d: Content-Type %r is not one of %s" % (
                where, status, content_type, ", ".join(content))
        if media != "application/json" or method == "head":
            return None
        schema = content[media].get("schema")
        if schema is None:
            return None
        try:
            doc = json.loads(body_bytes.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            return "%s %d: the body is not JSON (%s)" % (where, status, e)
        validator = self._validator((template or fallback, method, str(status), media), schema)
        error = next(iter(sorted(validator.iter_errors(doc), key=lambda e: e.path)), None)
        if error is None:
            return None
        at = "/".join(str(p) for p in error.absolute_path) or "(the body)"
        return "%s %d: at %s: %s" % (where, status, at, error.message[:400])


class Recorder:
    """Collects violations per test (any thread of it) and, on request, samples."""

    def __init__(self, contract, ports, record_path=None):
        self.contract = contract
        self.ports = ports
        self.record_path = record_path
        self.violations = []
        self._lock = threading.Lock()

    def observe(self, request, response):
        parts = urlsplit(request.url)
        if parts.port not in self.ports or not parts.path.startswith("/api/"):
            return
        body = response.content if request.method != "HEAD" else b""
        content_type = response.headers.get("Content-Type")
        problem = self.contract.check(request.method, parts.path, response.status_code,
                                      content_type, body, "X-Request-Id" in response.headers)
        if self.record_path:
            self._record(request.method, parts.path, response.status_code, content_type, body)
        if problem:
            with self._lock:
                self.violations.append((problem, "%s %s" % (request.method, parts.path[:100])))

    def _record(self, method, path, status, content_type, body):
        template, _, _ = self.contract.find(method.lower(), path)
        sample = {"method": method, "path": path, "template": template, "status": status,
                  "content_type": content_type}
        if _media(content_type) == "application/json":
            try:
                sample["body"] = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                sample["raw"] = body[:200].decode("utf-8", "replace")
        with self._lock, open(self.record_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(sample, ensure_ascii=False) + "\n")

    def take(self):
        """What was not described since the last call: one line per problem, with how many
        answers had it and one request that got it."""
        with self._lock:
            found, self.violations = self.violations, []
        seen = {}
        for problem, request in found:
            count, first = seen.get(problem, (0, request))
            seen[problem] = (count + 1, first)
        return ["%s  [%d answer(s), e.g. %s]" % (problem, count, first)
                for problem, (count, first) in seen.items()]
