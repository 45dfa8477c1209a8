"""`apachectl -t` refuses each broken Konfirmado configuration with a one-line reason
(issue: the startup checks). Each case edits the stack's own config and runs configtest."""
import os

import pytest

from conftest import configtest, read_stack_env, render_conf, _scratch_dir

DBD_LINES = ["LoadModule dbd_module", "DBDriver", "DBDParams", "DBDInitSQL", "DBDMin",
             "DBDKeep", "DBDMax", "DBDExptime"]


def _key_file(size):
    d = _scratch_dir("key-")
    path = os.path.join(d, "key-%d.bin" % size)
    with open(path, "wb") as f:
        f.write(os.urandom(size))
    os.chmod(path, 0o600)
    return path


def _reason(out, needle):
    """The one line of output that carries the reason; asserts it is a single line."""
    lines = [l for l in out.splitlines() if needle in l]
    assert len(lines) == 1, "expected one line with %r in:\n%s" % (needle, out)
    return lines[0]


def assert_refused(conf_text, *needles):
    code, out = configtest(conf_text)
    assert code != 0, "configtest accepted the config:\n" + out
    line = _reason(out, needles[0])
    for n in needles[1:]:
        assert n in line, "%r not in %r" % (n, line)
    return line


def test_the_stack_config_is_accepted():
    code, out = configtest(render_conf())
    assert code == 0, out
    assert "Syntax OK" in out


def test_missing_key_file_directive():
    assert_refused(render_conf(remove=["KonfirmadoKeyFile"]),
                   "KonfirmadoKeyFile is missing")


def test_key_file_that_does_not_exist():
    assert_refused(render_conf({"KonfirmadoKeyFile": "KonfirmadoKeyFile /nonexistent/master.key"}),
                   "KonfirmadoKeyFile", "/nonexistent/master.key")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_key_file_that_cannot_be_read():
    path = _key_file(32)
    os.chmod(path, 0)
    assert_refused(render_conf({"KonfirmadoKeyFile": "KonfirmadoKeyFile " + path}),
                   "KonfirmadoKeyFile", path)


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_key_that_is_not_32_bytes(size):
    path = _key_file(size)
    line = assert_refused(render_conf({"KonfirmadoKeyFile": "KonfirmadoKeyFile " + path}),
                          "KonfirmadoKeyFile", path)
    assert "32" in line


@pytest.mark.parametrize("mode", [0o644, 0o604])
def test_key_file_that_every_user_can_read(mode):
    path = _key_file(32)
    os.chmod(path, mode)
    line = assert_refused(render_conf({"KonfirmadoKeyFile": "KonfirmadoKeyFile " + path}),
                          "KonfirmadoKeyFile", path)
    assert "readable by every user" in line and "chmod 0640" in line


def test_key_of_exactly_32_bytes_is_accepted():
    path = _key_file(32)
    os.chmod(path, 0o640)     # the group may read it (root:www-data)
    code, out = configtest(render_conf({"KonfirmadoKeyFile": "KonfirmadoKeyFile " + path}))
    assert code == 0, out


@pytest.mark.parametrize("url", ["not-a-url", "ftp://example.com", "http://", "https://exa mple.com",
                                 "https://user:pw@example.com"])
def test_malformed_public_url(url):
    assert_refused(render_conf({"KonfirmadoPublicURL": 'KonfirmadoPublicURL "%s"' % url}),
                   "KonfirmadoPublicURL", url)


def test_http_public_url_needs_insecure_urls_on():
    env = read_stack_env()
    line = assert_refused(render_conf({"KonfirmadoAllowInsecureURLs": "KonfirmadoAllowInsecureURLs Off",
                                       "KonfirmadoProviderURL wompi-sandbox": None,
                                       "KonfirmadoProviderURL wompi-production": None,
                                       "KonfirmadoProviderURL wompi-checkout": None}),
                          "KonfirmadoPublicURL", env["KF_URL"])
    assert "KonfirmadoAllowInsecureURLs" in line


def test_http_provider_url_needs_insecure_urls_on():
    assert_refused(render_conf({"KonfirmadoAllowInsecureURLs": "KonfirmadoAllowInsecureURLs Off",
                                "KonfirmadoPublicURL": "KonfirmadoPublicURL https://example.com"}),
                   "KonfirmadoProviderURL", "wompi-")


@pytest.mark.parametrize("url", ["nope", "https://", "gopher://x.example"])
def test_malformed_provider_url(url):
    assert_refused(render_conf(add=["KonfirmadoProviderURL stripe-sandbox " + url]),
                   "KonfirmadoProviderURL", url)


def test_unknown_provider_name():
    assert_refused(render_conf(add=["KonfirmadoProviderURL paypal https://api.example.com"]),
                   "unknown provider", "paypal")


@pytest.mark.parametrize("directive", ["KonfirmadoHoldTTL", "KonfirmadoPaymentWindow"])
@pytest.mark.parametrize("value", ["0", "-5", "ten", "1.5", "604801"])
def test_non_positive_ttl(directive, value):
    line = directive + " " + value
    assert_refused(render_conf({directive: line}), directive, "positive")


def test_mod_dbd_not_loaded():
    assert_refused(render_conf(remove=DBD_LINES), "mod_dbd is not loaded")


def test_missing_public_url_and_base_domain():
    assert_refused(render_conf(remove=["KonfirmadoPublicURL"]), "KonfirmadoPublicURL is missing")
    assert_refused(render_conf(remove=["KonfirmadoBaseDomain"]), "KonfirmadoBaseDomain is missing")


def test_bad_mail_url():
    assert_refused(render_conf({"KonfirmadoMailURL": "KonfirmadoMailURL http://mail.example"}),
                   "KonfirmadoMailURL", "smtp://")


def test_engine_off_needs_nothing():
    """A server that does not enable Konfirmado does not need its settings (nor mod_dbd)."""
    text = render_conf({"KonfirmadoEngine": "KonfirmadoEngine Off"},
                       remove=DBD_LINES + ["KonfirmadoKeyFile", "KonfirmadoPublicURL"])
    code, out = configtest(text)
    assert code == 0, out
