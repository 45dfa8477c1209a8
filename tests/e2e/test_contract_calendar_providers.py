"""Every list of calendar providers docs/openapi.yaml keeps is the registry's: read from the
code (tools/kf-calendar-providers, built by make from
lib/calendar_providers/kf_calendar_providers.c), not from a list kept by hand. A provider
added to the registry and not to the spec, named in the spec and gone from the registry, or
a label the pages show that is not its description's, fails here; the e2e answers are
checked against these enums, so what the server says is the registry's too. No server
involved."""
import os
import subprocess
from collections import namedtuple

import pytest

from contract_support import load_spec, spec_enums

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KF_CALENDAR_PROVIDERS = os.path.join(SRCDIR, "tools", "kf-calendar-providers")
SPEC = os.path.join(SRCDIR, "docs", "openapi.yaml")

Provider = namedtuple("Provider", "name label short_label oauth_client url_names notices")


def registry():
    if not os.access(KF_CALENDAR_PROVIDERS, os.X_OK):
        pytest.fail("%s is not built: run make" % KF_CALENDAR_PROVIDERS, pytrace=False)
    out = subprocess.run([KF_CALENDAR_PROVIDERS], check=True, capture_output=True,
                         text=True).stdout
    found = []
    for line in out.splitlines():
        name, label, short, client, urls, notices = line.split("\t")
        found.append(Provider(name, label, short, None if client == "-" else client,
                              [] if urls == "-" else urls.split(","), notices))
    assert found, "the registry was not read: %r" % out
    return found


REGISTRY = registry()
NAMES = [p.name for p in REGISTRY]
LABELS = [p.label for p in REGISTRY]
OAUTH = [p.name for p in REGISTRY if p.oauth_client]


def spec():
    return load_spec(SPEC)


def objects_naming_a_provider(node, where="#"):
    """Every object schema whose `provider` property is an enum of calendar providers."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict) and isinstance(props.get("provider"), dict):
            values = set(props["provider"].get("enum") or [])
            if values & set(NAMES) and "calcom_hours" not in where:
                yield where, node
        for key, value in node.items():
            yield from objects_naming_a_provider(value, "%s/%s" % (where, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from objects_naming_a_provider(value, "%s/%d" % (where, i))


def test_the_registry_is_read_from_the_code():
    assert NAMES[:2] == ["google", "microsoft"] and "caldav" in NAMES
    assert len(set(NAMES)) == len(NAMES) and len(set(LABELS)) == len(LABELS)
    for p in REGISTRY:
        assert p.label and p.short_label and p.notices in ("none", "channel", "signed"), p


def test_every_enum_of_calendar_providers_is_the_registry():
    """An enum that names a calendar provider names them all (null aside), or, where only an
    OAuth round trip goes (/api/oauth/{provider}/...), exactly those connected through
    OAuth. Cal.com's hours setting (ours, calcom, both) is no list of providers."""
    seen = 0
    for where, values in spec_enums(spec()):
        named = [v for v in values if v is not None]
        if not set(named) & set(NAMES) or "calcom_hours" in where:
            continue
        seen += 1
        if "/api/oauth/" in where:
            assert sorted(named) == sorted(OAUTH), "%s: %s, the registry's OAuth ones are %s" % (
                where, values, OAUTH)
        else:
            assert sorted(named) == sorted(NAMES), "%s: %s, the registry has %s" % (
                where, values, NAMES)
    assert seen >= 5, "the spec's lists of calendar providers were not found (%d)" % seen


def test_a_provider_named_in_an_answer_comes_with_its_label():
    """Where an answer names a calendar provider it gives its label beside it, one of the
    registry's (null with no provider): the pages show that, never a list of their own."""
    seen = 0
    for where, schema in objects_naming_a_provider(spec()):
        seen += 1
        props = schema["properties"]
        assert "label" in props, "%s names a provider without its label" % where
        assert "label" in schema.get("required", []), "%s: label is not required" % where
        labels = [v for v in props["label"].get("enum", []) if v is not None]
        assert sorted(labels) == sorted(LABELS), "%s: labels %s, the registry's are %s" % (
            where, labels, LABELS)
        nullable = None in props["provider"]["enum"]
        assert (None in props["label"]["enum"]) == nullable, where
    assert seen >= 3, "the spec's calendar objects were not found (%d)" % seen


def test_each_provider_is_notified_where_its_description_says():
    """A provider whose notices name their channel is posted at /api/webhooks/<name>; one
    whose notices are signed, at /api/webhooks/<name>/{tenant}; one that is polled, nowhere."""
    paths = spec()["paths"]
    for p in REGISTRY:
        here = "/api/webhooks/%s" % p.name
        per_tenant = here + "/{tenant}"
        if p.notices == "channel":
            assert here in paths and per_tenant not in paths, p.name
        elif p.notices == "signed":
            assert per_tenant in paths and here not in paths, p.name
        else:
            assert here not in paths and per_tenant not in paths, p.name
