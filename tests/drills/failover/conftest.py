"""The drill runs on a stack of its own (tests/stack up --ha) with the e2e harness: its
fixtures, its error-log guard and its check of every answer against docs/openapi.yaml. The
e2e conftest is loaded here under this directory's `conftest` name, so that the e2e helpers'
`from conftest import ...` find it."""
import importlib.util
import os
import sys

E2E = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "e2e"))
sys.path.insert(0, E2E)
_spec = importlib.util.spec_from_file_location("e2e_conftest", os.path.join(E2E, "conftest.py"))
_e2e = importlib.util.module_from_spec(_spec)
sys.modules["e2e_conftest"] = _e2e
_spec.loader.exec_module(_e2e)
globals().update({k: v for k, v in vars(_e2e).items() if not k.startswith("__")})
