"""The "Verify a callback" snippets of docs/api.md, in Node.js, Python, PHP and Go: the doc
shows each file of tests/snippets verbatim, and each, run as a merchant runs it on a callback
captured from the stack, says both signatures are valid, and invalid once the body, the
timestamp or the secret is not the one sent."""
import re
import secrets

import pytest

from payments_helpers import PayTenant, callbacks_for, wait_for
from snippets_support import ROOT, SNIPPETS, signature_parts, verify_with_snippet, write_capture

FILES = {"node": "verify.js", "python": "verify.py", "php": "verify.php", "go": "verify.go"}
BOTH_VALID = "X-Konfirmado-Signature: valid\nStandard Webhooks: valid\n"
BOTH_INVALID = "X-Konfirmado-Signature: invalid\nStandard Webhooks: invalid\n"


def doc_blocks():
    """{included file: the code block that follows its include line} of docs/api.md."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    found = re.findall(r"<!-- include (\S+) -->\n```[a-z]*\n(.*?)```\n", text, re.S)
    return {path: block for path, block in found}


def test_the_doc_shows_every_snippet_as_it_is():
    blocks = doc_blocks()
    for name in FILES.values():
        path = "tests/snippets/" + name
        assert path in blocks, "docs/api.md does not include %s" % path
        assert blocks[path] == (SNIPPETS / name).read_text(encoding="utf-8"), \
            "docs/api.md's copy of %s differs from the file" % path


@pytest.fixture
def captured(merchant, fakes, stack):
    """A booking.paid callback as the merchant's server received it, and the secret."""
    shop = PayTenant(merchant, fakes, stack)
    booking, ref = shop.pending_booking()
    shop.fire(ref)
    [got] = wait_for(lambda: [c for c in callbacks_for(fakes, shop)
                              if c["headers"].get("X-Konfirmado-Event") == "booking.paid"],
                     what="the booking.paid callback")
    return got, shop.callback_secret


@pytest.mark.parametrize("language", sorted(FILES))
def test_the_snippet_verifies_a_real_callback_and_refuses_a_tampered_one(language, captured, tmp_path):
    got, secret = captured

    def verdict(case, secret=secret, **change):
        return verify_with_snippet(language, secret, *write_capture(tmp_path / case, got, **change))

    assert verdict("genuine") == (0, BOTH_VALID)

    body = got["body"].encode("utf-8")
    tampered = body.replace(b'"evento":"booking.paid"', b'"evento":"booking.cancelled"')
    assert tampered != body
    assert verdict("body", body=tampered) == (1, BOTH_INVALID)

    # a second earlier, in both schemes' timestamps
    t = signature_parts(got)["t"]
    earlier = str(int(t) - 1)
    headers = dict(got["headers"])
    headers["X-Konfirmado-Signature"] = headers["X-Konfirmado-Signature"].replace("t=" + t, "t=" + earlier)
    headers["webhook-timestamp"] = earlier
    assert verdict("timestamp", headers=headers) == (1, BOTH_INVALID)

    assert verdict("secret", secret=secrets.token_urlsafe(32)) == (1, BOTH_INVALID)
