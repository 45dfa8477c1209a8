"""The merchant's callback receiver: where Konfirmado POSTs booking callbacks.

POST /merchant/callback (any path below /merchant/ works the same) is recorded and
answered according to the configuration (POST /_fakes/merchant/config):
  status    status code of every answer (default 200)
  statuses  a sequence used first, one per delivery, e.g. [500, 500, 200]; once used up,
            `status` applies again
  body      answer body (default {"ok": true})
  delay     seconds to wait before answering (default 0)
  hang      seconds to wait, then close the connection WITHOUT answering (default 0 = off)
  secret    the tenant's callback secret, when known: the return page checks signatures
  scope     a path below /merchant (e.g. "/callback/<tenant id>"): the status, statuses,
            delay and hang above apply only to requests under it; others get 200 at once
            (a test's failures are not spent on another test's late callback)

GET /merchant/shop?base=<Konfirmado's URL>&link=<link> is the demo merchant's own site: it
embeds that booking link with /embed.js and lists the events the frame tells it.

GET /merchant/return is the merchant's return page of the demo (the booking wizard sends the
customer there): it shows the query it got (?status=ok&ref=...) and the last callback
received, with its signature checked when `secret` is configured.
"""
import hashlib
import hmac
import html
import json
import time

from base import Fake, Response


class MerchantFake(Fake):
    name = "merchant"
    defaults = {"status": 200, "statuses": [], "body": {"ok": True}, "delay": 0, "hang": 0,
                "secret": None, "scope": None}

    def __init__(self, state_dir):
        super().__init__(state_dir)
        self.last_callback = None

    def reset(self):
        super().reset()
        with self.lock:
            self.last_callback = None

    def handle(self, req):
        if req.method == "GET" and req.subpath.rstrip("/") == "/return":
            return self.return_page(req)
        if req.method == "GET" and req.subpath.rstrip("/") == "/shop":
            return self.shop_page(req)
        if req.method == "POST":
            with self.lock:
                self.last_callback = req
        with self.lock:
            scope = self.config["scope"]
            if scope and not req.subpath.startswith(scope):
                return Response(200, {"ok": True})
            seq = list(self.config["statuses"])
            if seq:
                status = int(seq.pop(0))
                self.config["statuses"] = seq
            else:
                status = int(self.config["status"])
            body, delay, hang = self.config["body"], self.config["delay"], self.config["hang"]
        if hang:
            time.sleep(float(hang))
            return Response.dropped()
        if delay:
            time.sleep(float(delay))
        return Response(status, body)

    def signature_verdict(self, req, secret):
        header = req.header("X-Konfirmado-Signature") or ""
        parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
        if not secret:
            return "no secret configured: signature not checked"
        if "t" not in parts or "v1" not in parts:
            return "INVALID: no X-Konfirmado-Signature"
        want = hmac.new(secret.encode(), parts["t"].encode() + b"." + req.body, hashlib.sha256).hexdigest()
        return "valid (X-Konfirmado-Signature)" if hmac.compare_digest(want, parts["v1"].lower()) \
            else "INVALID signature"

    def shop_page(self, req):
        args = req.args()
        base, link = html.escape(args.get("base", "")), html.escape(args.get("link", ""))
        page = ("<!doctype html><html lang=es><head><meta charset=utf-8>"
                "<meta name=viewport content='width=device-width, initial-scale=1'><title>Clínica Aurora</title>"
                "<style>body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:760px;padding:16px}"
                "#events{font-size:13px}</style></head>"
                "<body><h1>Clínica Aurora</h1><p>Reserva tu cita sin salir de nuestro sitio:</p>"
                "<script src='%s/embed.js' data-konfirmado-link='%s'></script>"
                "<h2>Eventos recibidos</h2><ol id=events></ol>"
                "<script>Konfirmado.on('*', function (e) { var li = document.createElement('li');"
                " li.textContent = JSON.stringify(e); document.getElementById('events').appendChild(li); });"
                "</script></body></html>" % (base, link))
        return Response(200, page, content_type="text/html; charset=utf-8")

    def return_page(self, req):
        args = req.args()
        with self.lock:
            last, secret = self.last_callback, self.config["secret"]
        esc = html.escape
        rows = "".join("<tr><th>%s</th><td>%s</td></tr>" % (esc(k), esc(v)) for k, v in sorted(args.items()))
        if last is None:
            cb = "<p id=no-callback>No callback received yet (this page refreshes itself).</p>"
            refresh = "<meta http-equiv=refresh content=2>"
        else:
            try:
                body = json.dumps(json.loads(last.body), indent=2, ensure_ascii=False)
            except ValueError:
                body = last.body.decode("utf-8", "replace")
            heads = "".join("<tr><th>%s</th><td>%s</td></tr>" % (esc(k), esc(v)) for k, v in last.headers
                            if k.lower().startswith("x-konfirmado") or k.lower() in ("content-type", "user-agent"))
            cb = ("<p>Signature: <strong id=signature>%s</strong></p><table>%s</table><pre id=callback>%s</pre>"
                  % (esc(self.signature_verdict(last, secret)), heads, esc(body)))
            refresh = ""
        page = ("<!doctype html><html lang=en><head><meta charset=utf-8>%s"
                "<meta name=viewport content='width=device-width, initial-scale=1'><title>Demo merchant</title>"
                "<style>body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:760px;padding:16px}"
                "pre{background:#f3f4f6;padding:12px;overflow:auto;font-size:13px}"
                "th{text-align:left;padding-right:12px;vertical-align:top}td{word-break:break-all}</style></head>"
                "<body><h1>Demo merchant: back from Konfirmado</h1><table id=query>%s</table>"
                "<h2>Last callback received</h2>%s</body></html>" % (refresh, rows, cb))
        return Response(200, page, content_type="text/html; charset=utf-8")
