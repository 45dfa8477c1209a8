"""docs/openapi.yaml is a valid OpenAPI 3.1 document that passes Redocly's recommended rules
(docs/redocly.yaml), and the contract check reads it as it validates answers."""
import os
import shutil
import subprocess

import pytest

import contract_support

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_the_spec_passes_redocly_lint():
    redocly = shutil.which("redocly")
    if not redocly:
        pytest.fail("redocly is not installed: ./dev deps installs @redocly/cli", pytrace=False)
    env = dict(os.environ, REDOCLY_TELEMETRY="off", REDOCLY_SUPPRESS_UPDATE_NOTICE="true", NO_COLOR="1")
    p = subprocess.run([redocly, "lint", "--config", "docs/redocly.yaml", "--format", "stylish",
                        "docs/openapi.yaml"], cwd=SRCDIR, env=env, capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-2000:]


@pytest.fixture(scope="module")
def contract():
    return contract_support.Contract(contract_support.load_spec())


def test_an_answer_the_spec_describes_passes(contract):
    body = b'{"status": "ok", "database": "ok", "version": "0.1.0"}'
    assert contract.check("GET", "/api/health", 200, "application/json; charset=utf-8", body) is None


def test_a_body_that_breaks_the_schema_is_named(contract):
    problem = contract.check("GET", "/api/health", 200, "application/json", b'{"status": "ok"}')
    assert "GET /api/health 200" in problem and "database" in problem


def test_a_status_the_spec_does_not_give_is_named(contract):
    problem = contract.check("GET", "/api/health", 418, "application/json", b"{}")
    assert "status 418" in problem


def test_an_error_code_the_operation_does_not_give_is_named(contract):
    body = b'{"error": {"code": "slot_unavailable", "message": "x"}}'
    problem = contract.check("GET", "/api/public/links/abc", 404, "application/json", body)
    assert problem and "slot_unavailable" in problem


def test_unknown_paths_and_methods_are_the_routers_answers(contract):
    not_found = b'{"error": {"code": "not_found", "message": "x"}}'
    assert contract.check("GET", "/api/nothing/here", 404, "application/json", not_found) is None
    assert contract.check("GET", "/api/nothing/here", 200, "application/json", b"{}")
    bad_method = b'{"error": {"code": "method_not_allowed", "message": "x"}}'
    assert contract.check("DELETE", "/api/health", 405, "application/json", bad_method) is None


def test_non_json_answers_are_checked_by_content_type(contract):
    assert contract.check("GET", "/api/admin/bookings.csv", 200, "text/csv; charset=utf-8", b"a,b\r\n") is None
    assert contract.check("GET", "/api/admin/bookings.csv", 200, "text/html", b"<p>") is not None


def test_httpds_own_answer_is_told_apart_from_the_modules(contract):
    page = b"<html>Not Found</html>"
    assert contract.check("GET", "/api/admin/bookings/%00", 404, "text/html", page, from_module=False) is None
    assert contract.check("GET", "/api/health", 200, "text/html", page, from_module=False)


def test_every_example_is_valid_under_its_own_schema():
    spec = contract_support.load_spec()
    resolver = contract_support.RefResolver("", spec)
    wrong = []
    for name, schema in spec["components"]["schemas"].items():
        for example in schema.get("examples", []):
            validator = contract_support.Draft202012Validator(schema, resolver=resolver)
            wrong += ["%s: %s" % (name, e.message) for e in validator.iter_errors(example)]
    assert wrong == []
