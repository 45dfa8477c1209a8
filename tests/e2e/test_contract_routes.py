"""docs/openapi.yaml names exactly the router's routes: the table is read from the code
(tools/kf-routes, built by make from the features' descriptors), not from a list kept by hand."""
import os
import re
import subprocess

import pytest
import yaml

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KF_ROUTES = os.path.join(SRCDIR, "tools", "kf-routes")
SPEC = os.path.join(SRCDIR, "docs", "openapi.yaml")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# A router pattern's segment: a literal, or one {name} capture (kf_route.h).
CAPTURE = re.compile(r"^\{([a-z_][a-z0-9_]*)\}$")
LITERAL = re.compile(r"^[A-Za-z0-9._~-]+$")


def openapi_path(pattern):
    """The router's pattern in OpenAPI's syntax: a capture {name} is the parameter {name}.
    A segment of any other form is refused rather than guessed at."""
    assert pattern.startswith("/"), pattern
    segments = []
    for segment in pattern[1:].split("/"):
        capture = CAPTURE.match(segment)
        if capture:
            segments.append("{%s}" % capture.group(1))
        else:
            assert LITERAL.match(segment), "segment %r of %s has no OpenAPI form" % (segment, pattern)
            segments.append(segment)
    return "/" + "/".join(segments)


def router_routes():
    if not os.access(KF_ROUTES, os.X_OK):
        pytest.fail("%s is not built: run make" % KF_ROUTES, pytrace=False)
    out = subprocess.run([KF_ROUTES], check=True, capture_output=True, text=True).stdout
    routes = set()
    for line in out.splitlines():
        method, pattern, _feature = line.split()
        routes.add((method.lower(), openapi_path(pattern)))
    return routes


def load_spec():
    with open(SPEC, encoding="utf-8") as f:
        return yaml.safe_load(f)


def spec_routes(spec):
    return {(method, path) for path, item in spec["paths"].items()
            for method in item if method in METHODS}


def test_the_router_table_is_read_from_the_descriptors():
    routes = router_routes()
    assert ("get", "/api/health") in routes
    assert ("post", "/api/public/holds") in routes
    assert len(routes) >= 70


def test_the_spec_names_every_route_of_the_router_and_no_other():
    router, spec = router_routes(), spec_routes(load_spec())
    missing = sorted(router - spec)
    extra = sorted(spec - router)
    assert not missing, "routes of the router that docs/openapi.yaml lacks: %s" % missing
    assert not extra, "operations of docs/openapi.yaml that the router lacks: %s" % extra


def test_every_path_parameter_is_declared():
    """A template's {name} is a declared path parameter of each of its operations, so that
    the spec reads as the router matches."""
    spec = load_spec()
    params = spec["components"]["parameters"]
    for path, item in spec["paths"].items():
        names = set(re.findall(r"\{([^}]+)\}", path))
        for method, op in item.items():
            declared = set()
            for p in op.get("parameters", []) + item.get("parameters", []):
                p = params[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
                if p["in"] == "path":
                    declared.add(p["name"])
            assert declared == names, "%s %s declares %s" % (method.upper(), path, sorted(declared))


@pytest.mark.parametrize("pattern, expected", [
    ("/api/admin/bookings/{id}/cancel", "/api/admin/bookings/{id}/cancel"),
    ("/api/public/bookings/{id}/calendar.ics", "/api/public/bookings/{id}/calendar.ics"),
    ("/api/admin/bookings.csv", "/api/admin/bookings.csv"),
])
def test_router_patterns_map_to_openapi_templates(pattern, expected):
    assert openapi_path(pattern) == expected


@pytest.mark.parametrize("pattern", ["/api/x/{id}.ics", "/api/x/{Id}", "/api/x/*"])
def test_a_pattern_the_mapping_does_not_know_is_refused(pattern):
    with pytest.raises(AssertionError):
        openapi_path(pattern)
