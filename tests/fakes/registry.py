"""The one place where fakes are registered: URL prefix /<name>/ -> class.

Add a provider fake by writing tests/fakes/<name>.py with a base.Fake subclass and
listing it here. Fakes must speak the wire formats of PROVIDERS.md (shared design docs) exactly.
"""
from merchant import MerchantFake
from twilio import TwilioFake
from wompi import WompiFake

FAKES = [
    MerchantFake,
    WompiFake,          # /wompi/v1 (merchants, transactions), /wompi/checkout, /wompi/_control
    TwilioFake,         # /twilio/2010-04-01/Accounts/{sid}/Messages.json, /twilio/_control
    # later: GoogleFake, StripeFake
]
