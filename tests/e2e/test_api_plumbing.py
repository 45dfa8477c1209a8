"""The conventions every endpoint shares (API.md "Conventions"): routing errors, error
format and locale, request ids, security headers, JSON body limits and parse errors."""
import json
import socket
import time

import pytest

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
ECHO = "/api/diagnostics/echo"
JSON = {"Content-Type": "application/json"}


def assert_error(r, status, code):
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def assert_security_headers(r):
    for name, value in SECURITY_HEADERS.items():
        assert r.headers.get(name) == value, name
    assert r.headers.get("X-Request-Id")


def test_unknown_api_path_is_json_404(api):
    err = assert_error(api.get("/api/no/such/thing"), 404, "not_found")
    assert err["message"] == "El recurso solicitado no existe."


def test_messages_follow_accept_language(api):
    en = assert_error(api.get("/api/nope", headers={"Accept-Language": "en-US,en;q=0.9"}), 404, "not_found")
    assert en["message"] == "The requested resource does not exist."
    es = assert_error(api.get("/api/nope", headers={"Accept-Language": "es-CO"}), 404, "not_found")
    assert es["message"] != en["message"]
    fr = assert_error(api.get("/api/nope", headers={"Accept-Language": "fr"}), 404, "not_found")
    assert fr["message"] == es["message"]          # Spanish is the default


def test_wrong_method_is_405_with_allow(api):
    r = api.delete("/api/health")
    assert_error(r, 405, "method_not_allowed")
    assert r.headers["Allow"] == "GET, HEAD"
    r = api.get(ECHO)
    assert_error(r, 405, "method_not_allowed")
    assert r.headers["Allow"] == "POST"


def test_head_is_answered_like_get_without_body(api):
    r = api.request("HEAD", "/api/health")
    assert r.status_code == 200
    assert r.content == b""


def test_every_answer_has_security_headers_and_a_fresh_request_id(api):
    answers = [api.get("/api/health"), api.get("/api/nope"), api.delete("/api/health"),
               api.post(ECHO, data=b"{", headers=JSON)]
    for r in answers:
        assert_security_headers(r)
    ids = {r.headers["X-Request-Id"] for r in answers}
    assert len(ids) == len(answers)
    for i in ids:
        assert len(i) >= 22 and all(c.isalnum() or c in "-_" for c in i)


def test_request_id_is_in_the_access_log(api, stack):
    r = api.get("/api/nope")
    rid = r.headers["X-Request-Id"]
    deadline = time.time() + 5
    while time.time() < deadline:
        with open(stack["KF_ACCESS_LOG"], encoding="utf-8", errors="replace") as f:
            if rid in f.read():
                return
        time.sleep(0.1)
    pytest.fail("request id %s not in the access log" % rid)


def test_paths_outside_api_are_not_claimed(api):
    r = api.get("/apiary")
    assert not r.headers.get("Content-Type", "").startswith("application/json")


def test_json_body_is_parsed_and_echoed(api):
    payload = {"name": "José Peña", "emoji": "🦄", "path": "a/b", "n": 3, "ok": True, "none": None}
    r = api.post(ECHO, json=payload)
    assert r.status_code == 200, r.text
    assert r.json()["received"] == payload
    assert_security_headers(r)


@pytest.mark.parametrize("body", [b"{", b"{\"a\":}", b"[1,2", b"{'a':1}", b"{} trailing",
                                  b"{\"a\":1,\"a\":2}", b"nul"])
def test_malformed_json_is_400(api, body):
    assert_error(api.post(ECHO, data=body, headers=JSON), 400, "malformed_json")


@pytest.mark.parametrize("body", [b"{\"a\":\"\xff\"}", b"{\"a\":\"\xc0\xaf\"}",
                                  b"{\"a\":\"\xed\xa0\x80\"}"])
def test_invalid_utf8_is_400_and_says_so(api, body):
    err = assert_error(api.post(ECHO, data=body, headers={**JSON, "Accept-Language": "en"}),
                       400, "malformed_json")
    assert "UTF-8" in err["message"]


def test_body_must_be_an_object(api):
    err = assert_error(api.post(ECHO, data=b"[1,2,3]", headers={**JSON, "Accept-Language": "en"}),
                       400, "malformed_json")
    assert "object" in err["message"]


def test_empty_body_is_400(api):
    assert_error(api.post(ECHO, data=b"", headers=JSON), 400, "malformed_json")


def test_deep_nesting_is_refused(api):
    body = b"{\"a\":" * 40 + b"1" + b"}" * 40
    assert_error(api.post(ECHO, data=body, headers=JSON), 400, "malformed_json")


def test_non_json_content_type_is_415(api):
    assert_error(api.post(ECHO, data=b"a=1", headers={"Content-Type": "application/x-www-form-urlencoded"}),
                 415, "unsupported_media_type")


def _padded(total):
    """A JSON object of exactly `total` bytes."""
    skeleton = b'{"pad":""}'
    return b'{"pad":"' + b"x" * (total - len(skeleton)) + b'"}'


def test_body_of_exactly_64_kib_is_accepted(api):
    body = _padded(64 * 1024)
    assert len(body) == 65536
    r = api.post(ECHO, data=body, headers=JSON)
    assert r.status_code == 200, r.text[:200]


def test_body_one_byte_over_64_kib_is_413(api):
    assert_error(api.post(ECHO, data=_padded(64 * 1024 + 1), headers=JSON), 413, "payload_too_large")


def test_chunked_body_over_the_limit_is_413(api):
    def chunks():
        for _ in range(20):
            yield b"x" * 8192
    assert_error(api.post(ECHO, data=chunks(), headers=JSON), 413, "payload_too_large")


def test_oversized_body_is_refused_without_reading_it(stack):
    """Declare 50 MB, send only the headers: the 413 comes at once and the connection closes."""
    host = "%s:%s" % (stack["KF_BASE_DOMAIN"], stack["KF_PORT"])
    with socket.create_connection(("127.0.0.1", int(stack["KF_PORT"])), timeout=10) as s:
        s.sendall(("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                   "Content-Length: 52428800\r\n\r\n" % (ECHO, host)).encode())
        s.sendall(b'{"pad":"' + b"x" * 1000)
        started = time.time()
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        assert time.time() - started < 5
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert b"Connection: close" in head
    assert json.loads(body)["error"]["code"] == "payload_too_large"
