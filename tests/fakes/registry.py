"""The one place where fakes are registered: URL prefix /<name>/ -> class.

Add a provider fake by writing tests/fakes/<name>.py with a base.Fake subclass and
listing it here. Fakes must speak the wire formats of PROVIDERS.md (shared design docs) exactly.
"""
from airwallex import AirwallexFake
from calcom import CalcomFake
from domains import DomainsFake
from google import GoogleFake
from mercadopago import MercadopagoFake
from merchant import MerchantFake
from microsoft import MicrosoftFake
from resend import ResendFake
from openai import OpenaiFake
from stripe import StripeFake
from twilio import TwilioFake
from wompi import WompiFake

FAKES = [
    MerchantFake,
    WompiFake,          # /wompi/v1 (merchants, transactions), /wompi/checkout, /wompi/_control
    TwilioFake,         # /twilio/2010-04-01/Accounts/{sid}/Messages.json, /twilio/_control
    ResendFake,         # /resend/emails, /resend/_control
    GoogleFake,         # /google/o/oauth2/v2/auth, /google/token, /google/calendar/v3, /google/_control
    CalcomFake,         # /calcom/v2 (me, bookings, slots, webhooks), /calcom/_control
    MicrosoftFake,      # /microsoft/{tenant}/oauth2/v2.0, /microsoft/v1.0 (Graph), /microsoft/_control
    StripeFake,         # /stripe/v1 (checkout sessions, account, refunds), /stripe/pay, /stripe/_control
    AirwallexFake,      # /airwallex/api/v1 (login, pa/payment_intents, pa/refunds, account), /airwallex/checkout, /airwallex/_control
    MercadopagoFake,    # /mercadopago/checkout/preferences, /v1/payments, /users/me, /checkout/pay, /_control
    OpenaiFake,         # /openai/v1/chat/completions (the assistant's optional reader), /openai/_control
    DomainsFake,        # /.well-known/* of any Host: tenants' own domains (their ownership proof)
]
