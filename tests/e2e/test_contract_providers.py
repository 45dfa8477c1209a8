"""Every list of payment providers docs/openapi.yaml keeps is the registry's: read from the
code (tools/kf-payment-providers, built by make from lib/payments/kf_payment_providers.c),
not from a list kept by hand. A provider added to the registry and not to the spec, or named
in the spec and gone from the registry, fails here. No server involved."""
import os
import subprocess
from collections import namedtuple

import pytest

from contract_support import load_spec, spec_enums

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KF_PAYMENT_PROVIDERS = os.path.join(SRCDIR, "tools", "kf-payment-providers")
SPEC = os.path.join(SRCDIR, "docs", "openapi.yaml")

Provider = namedtuple("Provider", "name label settings closes url_names currencies")


def registry():
    if not os.access(KF_PAYMENT_PROVIDERS, os.X_OK):
        pytest.fail("%s is not built: run make" % KF_PAYMENT_PROVIDERS, pytrace=False)
    out = subprocess.run([KF_PAYMENT_PROVIDERS], check=True, capture_output=True, text=True).stdout
    found = []
    for line in out.splitlines():
        name, label, settings, closes, urls, currencies = line.split("\t")
        found.append(Provider(name, label, settings.split(","), closes == "1", urls.split(","),
                              currencies.split(",")))
    assert found, "the registry was not read: %r" % out
    return found


REGISTRY = registry()
NAMES = [p.name for p in REGISTRY]
NOT_CONFIGURED = {p.name + "_not_configured" for p in REGISTRY}


def spec():
    return load_spec(SPEC)


def test_the_registry_is_read_from_the_code():
    assert NAMES[0] == "wompi" and "stripe" in NAMES
    assert len(set(NAMES)) == len(NAMES)
    for p in REGISTRY:
        assert p.label and p.settings and p.currencies, p
        assert "%s-sandbox" % p.name in p.url_names and "%s-production" % p.name in p.url_names


def test_every_enum_of_providers_is_the_registry():
    """An enum that names one provider (payment_provider, the paths' {provider}) names them
    all and nothing else."""
    seen = 0
    for where, values in spec_enums(spec()):
        if set(values) & set(NAMES):
            seen += 1
            assert sorted(values) == sorted(NAMES), "%s: %s, the registry has %s" % (where, values, NAMES)
    assert seen >= 5, "the spec's lists of providers were not found (%d)" % seen


def test_every_providers_not_configured_code_is_the_registry():
    """The codes of a test of keys never saved are <provider>_not_configured: an enum that
    has one has every provider's, and no provider that is gone."""
    seen = 0
    for where, values in spec_enums(spec()):
        codes = {v for v in values if isinstance(v, str) and v.endswith("_not_configured")}
        if codes & NOT_CONFIGURED:
            seen += 1
            missing = NOT_CONFIGURED - codes
            assert not missing, "%s lacks %s" % (where, sorted(missing))
            gone = {c for c in codes - NOT_CONFIGURED
                    if c[:-len("_not_configured")] not in ("messaging", "calendar")}
            assert not gone, "%s names providers the registry has not: %s" % (where, sorted(gone))
    assert seen >= 2


def test_the_accounts_view_has_one_entry_per_provider_in_the_registrys_order():
    accounts = spec()["components"]["schemas"]["PaymentAccounts"]
    assert accounts["required"] == NAMES
    assert list(accounts["properties"]) == NAMES


def test_the_bodies_a_put_takes_are_each_providers_settings():
    """PUT /api/admin/tenant/payments/{provider}: one body per provider, its settings (and
    mode) required."""
    s = spec()
    body = s["paths"]["/api/admin/tenant/payments/{provider}"]["put"]["requestBody"]
    one_of = body["content"]["application/json"]["schema"]["oneOf"]
    schemas = s["components"]["schemas"]
    bodies = sorted(sorted(schemas[b["$ref"].rsplit("/", 1)[1]]["required"]) for b in one_of)
    wanted = sorted(sorted(["mode"] + [x.rstrip("*") for x in p.settings]) for p in REGISTRY)
    assert bodies == wanted
