"""The web servers of tenants' own domains, as a merchant runs them before pointing the
domain at Konfirmado: where the proof of ownership is fetched from.

Konfirmado fetches http://<domain>/.well-known/konfirmado-domain.txt (the stack's
KonfirmadoDomainCheckPort is this server's port, and *.localhost names resolve to loopback),
so server.py hands every request under /.well-known/ to this fake, whatever its Host. What
each host answers is configured (POST /_fakes/domains/config):
  sites   {"<host>": {"status": 200, "body": "<text>", "location": "<url>"}}; a host
          not listed answers 404, like a web server without the file
"""
from base import Fake, Response


class DomainsFake(Fake):
    name = "domains"
    defaults = {"sites": {}}

    def handle(self, req):
        host = (req.header("Host") or "").split(":")[0].lower()
        with self.lock:
            site = dict(self.config["sites"].get(host) or {})
        if req.method not in ("GET", "HEAD") or not site:
            return Response(404, "Not Found")
        headers = [("Location", site["location"])] if site.get("location") else []
        return Response(int(site.get("status", 200)), site.get("body", ""), headers)
