"""Running the verification snippets of docs/api.md (tests/snippets) on a callback captured at
the merchant fake: its headers and raw body written to files, each snippet run as a merchant
would run it, with the runtime Debian ships."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "tests" / "snippets"
# Go builds offline, with its caches beside the stack's files
GO_HOME = ROOT / "var" / "go"

COMMANDS = {
    "node": ["node", "verify.js"],
    "python": [sys.executable, "verify.py"],
    "php": ["php", "verify.php"],
    "go": ["go", "run", "verify.go"],
}


def snippet_env():
    env = dict(os.environ)
    env.update(GOCACHE=str(GO_HOME / "cache"), GOPATH=str(GO_HOME / "path"), GOPROXY="off")
    return env


def write_capture(where, record, body=None, headers=None):
    """The callback as the merchant got it, in two files: headers (JSON) and the raw body."""
    where.mkdir(parents=True, exist_ok=True)
    headers_file, body_file = where / "headers.json", where / "body"
    headers_file.write_text(json.dumps(headers if headers is not None else record["headers"]))
    body_file.write_bytes(body if body is not None else record["body"].encode("utf-8"))
    return str(headers_file), str(body_file)


def run(command, *args, env=None):
    """(exit code, stdout) of a program in tests/snippets; `env` adds to its environment
    (where the secret goes: never on the command line)."""
    tool = shutil.which(command[0])
    if tool is None:
        pytest.fail("%s is not installed: ./dev deps installs it" % command[0])
    p = subprocess.run([tool] + command[1:] + list(args), cwd=SNIPPETS,
                       env=dict(snippet_env(), **(env or {})),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=180)
    # 0 valid, 1 invalid; anything else is the program failing to run
    assert p.returncode in (0, 1), "%s exited %d: %s" % (command[-1], p.returncode, p.stderr)
    return p.returncode, p.stdout


def verify_with_snippet(language, secret, headers_file, body_file):
    return run(COMMANDS[language], headers_file, body_file,
               env={"KONFIRMADO_CALLBACK_SECRET": secret})


def verify_with_official_library(whsec, headers_file, body_file):
    """The npm standardwebhooks package, installed by `npm ci` in tests/snippets (./dev deps)."""
    if not (SNIPPETS / "node_modules" / "standardwebhooks").is_dir():
        pytest.fail("tests/snippets/node_modules is missing: ./dev deps runs npm ci there")
    return run(["node", "standardwebhooks.js"], headers_file, body_file,
               env={"KONFIRMADO_CALLBACK_WHSEC": whsec})


def signature_parts(record):
    return dict(p.split("=", 1) for p in record["headers"]["X-Konfirmado-Signature"].split(","))
