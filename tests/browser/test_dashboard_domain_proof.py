"""The business page shows what proves a domain of the merchant's own (API.md "Hosts and
tenants": served only once proved): the URL and the code to publish, and a check that says
why it failed until the domain serves the code, then that it is verified; the domain then
serves the tenant."""
import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, click, console_errors, resize
from dashboard_support import (e2e, e2e_helper, heading, log_in, stack_env, submit, toast, type_into,
                               wait)


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def test_a_domain_is_proved_from_the_business_page(browser, stack, shots):
    domains = e2e_helper("domain_support")
    fakes = e2e.Fakes(stack["KF_FAKES_URL"])
    m = e2e.seed_merchant(stack, business="Clínica Dominio")
    assert m.api.patch("/api/admin/tenant", json={"subdomain": "dominio-" + domains.secrets.token_hex(3)}
                       ).status_code == 200
    domain = domains.localhost_domain("panel")
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola, Clínica Dominio")
    d.get(stack["KF_URL"] + "/dashboard/business")
    heading(d, "Negocio y marca")
    type_into(d, "custom_domain", domain)
    submit(d)
    toast(d, "Cambios guardados")
    token = wait(d, lambda d: d.find_element(By.ID, "domain-proof-token").text)
    box = d.find_element(By.ID, "domain-proof")
    assert domain in box.text and domains.PROOF_PATH in box.text
    assert token == domains.proof_of(m)["token"]

    # nothing published yet: the check says why, and the domain serves nothing
    click(d, d.find_element(By.ID, "domain-proof-check"))
    said = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, "#domain-proof .field-error").text)
    assert "konfirmado-domain.txt" in said, said
    for size in (MOBILE, DESKTOP):
        resize(d, size)
        # the URL and the token are long unbroken strings: they wrap, the page does not scroll
        # (a phone's layout viewport grows to fit what overflows: measure against the screen)
        right = d.execute_script(
            "return document.getElementById('domain-proof').getBoundingClientRect().right")
        assert right <= size[0], "the proof's text overflows a %s screen (%s px)" % (size, right)
        shots(d, "domain-proof-pending")

    # published: verified, and the domain serves the tenant
    domains.serve(fakes, domain, status=200, body=token + "\n")
    click(d, d.find_element(By.ID, "domain-proof-check"))
    wait(d, lambda d: "Verificado" in d.find_element(By.ID, "domain-proof").text)
    assert domains.proof_of(m)["status"] == "verified"
    r = requests.get("http://127.0.0.1:%s/api/auth/me" % stack["KF_PORT"], headers={"Host": domain},
                     timeout=10)
    assert r.json().get("error", {}).get("code") != "unknown_host", r.text
    # the 422 of the first check is the only failed load besides the log-in probe
    assert [e for e in console_errors(d)
            if "/api/auth/me" not in e and "custom-domain/verify" not in e] == []
