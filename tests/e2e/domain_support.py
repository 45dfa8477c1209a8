"""A tenant's own domain and the proof that its merchant controls it, as tests drive it: the
domain is a *.localhost name (loopback, as curl resolves it), its web server the fakes'
domains fake, which the stack's KonfirmadoDomainCheckPort points the proof's fetch at."""
import secrets

PROOF_PATH = "/.well-known/konfirmado-domain.txt"


def localhost_domain(tag="reservas"):
    return "%s-%s.localhost" % (tag, secrets.token_hex(4))


def proof_of(merchant):
    r = merchant.api.get("/api/admin/tenant/custom-domain")
    assert r.status_code == 200, r.text
    return r.json()["custom_domain"]


def serve(fakes, domain, **site):
    """What the domain's own web server answers at /.well-known/ (status, body, location)."""
    sites = dict(fakes._call("GET", "/_fakes/domains/config")["sites"])
    sites[domain] = site
    fakes.config("domains", sites=sites)


def verify(merchant):
    return merchant.api.post("/api/admin/tenant/custom-domain/verify")


def prove(merchant, fakes, domain):
    """Sets `domain` as the merchant's own and proves it as a merchant would: the token the
    dashboard shows, published on the domain, then the check."""
    r = merchant.api.patch("/api/admin/tenant", json={"custom_domain": domain})
    assert r.status_code == 200, r.text
    serve(fakes, domain, status=200, body=proof_of(merchant)["token"] + "\n")
    r = verify(merchant)
    assert r.status_code == 200, r.text
    assert r.json()["custom_domain"]["status"] == "verified"
    return r.json()["custom_domain"]
