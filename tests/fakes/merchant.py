"""The merchant's callback receiver: where Konfirmado POSTs booking callbacks.

POST /merchant/callback (any path below /merchant/ works the same) is recorded and
answered according to the configuration (POST /_fakes/merchant/config):
  status    status code of every answer (default 200)
  statuses  a sequence used first, one per delivery, e.g. [500, 500, 200]; once used up,
            `status` applies again
  body      answer body (default {"ok": true})
  delay     seconds to wait before answering (default 0)
  hang      seconds to wait, then close the connection WITHOUT answering (default 0 = off)
"""
import time

from base import Fake, Response


class MerchantFake(Fake):
    name = "merchant"
    defaults = {"status": 200, "statuses": [], "body": {"ok": True}, "delay": 0, "hang": 0}

    def handle(self, req):
        with self.lock:
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
