"""Wompi (PROVIDERS.md "Wompi"), mounted at /wompi: the API base of the stack's
KonfirmadoProviderURL wompi-sandbox / wompi-production is /wompi/v1.

GET /wompi/v1/merchants/{public_key}  ("Test connection")
    known key -> 200 {"data": {"id", "name", "public_key", "presigned_acceptance": {...}}}
    unknown   -> 404 {"error": {"type": "NOT_FOUND_ERROR", "reason": "..."}}
Anything else under /wompi/ answers 404 in the same error format.

Configuration (POST /_fakes/wompi/config):
  merchants  {public_key: {"id": ..., "name": ...}}: the merchants the fake knows; a test
             registers its own (default: none)
  status     when set (e.g. 500), every answer has this status and a generic error body,
             to simulate an outage (default: null)
"""
from base import Fake, Response

ACCEPTANCE_PERMALINK = ("https://wompi.com/assets/downloadble/"
                        "reglamento-Usuarios-Colombia.pdf")


def not_found(reason):
    return Response.json({"error": {"type": "NOT_FOUND_ERROR", "reason": reason}}, 404)


class WompiFake(Fake):
    name = "wompi"
    defaults = {"merchants": {}, "status": None}

    def handle(self, req):
        with self.lock:
            merchants = dict(self.config["merchants"])
            status = self.config["status"]
        if status:
            return Response.json({"error": {"type": "INTERNAL_ERROR",
                                            "reason": "fake outage"}}, int(status))
        parts = req.subpath.strip("/").split("/")
        if req.method in ("GET", "HEAD") and len(parts) == 3 and parts[:2] == ["v1", "merchants"]:
            return self.merchant(merchants, parts[2])
        return not_found("La entidad solicitada no existe")

    @staticmethod
    def merchant(merchants, public_key):
        known = merchants.get(public_key)
        if known is None:
            return not_found("La entidad solicitada no existe")
        merchant_id = known.get("id", 1)
        return Response.json({"data": {
            "id": merchant_id,
            "name": known.get("name", "Comercio de prueba"),
            "email": known.get("email", "comercio@example.com"),
            "contact_name": known.get("contact_name", "Contacto"),
            "phone_number": known.get("phone_number", "+573000000000"),
            "active": True,
            "logo_url": None,
            "legal_name": known.get("name", "Comercio de prueba"),
            "legal_id_type": "NIT",
            "legal_id": "900000000-1",
            "public_key": public_key,
            "accepted_currencies": ["COP"],
            "fraud_javascript_key": None,
            "fraud_groups": [],
            "accepted_payment_methods": ["CARD", "NEQUI", "PSE", "BANCOLOMBIA_TRANSFER"],
            "payment_methods": [],
            "presigned_acceptance": {
                "acceptance_token": "eyJhbGciOiJIUzI1NiJ9.fake-acceptance-%s" % merchant_id,
                "permalink": ACCEPTANCE_PERMALINK,
                "type": "END_USER_POLICY",
            },
        }, "meta": {}})
