"""Every directive httpd gets from the module is documented: a section of docs/configuration.md
under the heading of the feature whose list declares it, with its syntax (as many arguments
as httpd reads), its context and its default (the one the code applies), and a line,
commented out or not, in the shipped conf/konfirmado.conf. The directives are read from the
compiled command table (tools/kf-directives, built by make from the module's directive list
and every feature's), so a directive added to any list without its documentation fails here.
No server involved."""
import os
import re
import shlex
import subprocess
from collections import namedtuple

import pytest

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KF_DIRECTIVES = os.path.join(SRCDIR, "tools", "kf-directives")

Directive = namedtuple("Directive", "name args context kind default owner help")


def read(*path):
    with open(os.path.join(SRCDIR, *path), encoding="utf-8") as f:
        return f.read()


def command_table():
    """The module's command table: one Directive per entry, in httpd's order."""
    if not os.access(KF_DIRECTIVES, os.X_OK):
        pytest.fail("%s is not built: run make" % KF_DIRECTIVES, pytrace=False)
    out = subprocess.run([KF_DIRECTIVES], check=True, capture_output=True, text=True).stdout
    table = [Directive(*line.split("\t")) for line in out.splitlines()]
    assert len(table) >= 30, "the command table was not read: %r" % out
    return table


TABLE = command_table()
SCALARS = [d for d in TABLE if d.kind != "-"]


def sections():
    """docs/configuration.md: directive name -> (the text of its `### Name` section, the
    `## ` heading it stands under)."""
    found, heading = {}, ""
    for part in re.split(r"^(?=#{2,3} )", read("docs", "configuration.md"), flags=re.M):
        title = part.split("\n", 1)[0]
        if title.startswith("## "):
            heading = title
        elif title.startswith("### "):
            found[title[4:].strip()] = (part, heading)
    return found


def field(section, name):
    line = re.search(r"^- %s: (.*)$" % name, section, re.M)
    return line.group(1) if line else None


def documented_default(kind, c_default):
    """How docs/configuration.md writes the default the code applies."""
    if c_default == "NULL":
        return None
    if kind == "FLAG":
        return "`%s`" % ("On" if c_default == "1" else "Off")
    return "`%s`" % c_default.strip('"')


def test_every_directive_is_one_of_the_server_and_named_once():
    names = [d.name for d in TABLE]
    assert len(names) == len(set(names)), "a directive is declared twice: %r" % names
    for d in TABLE:
        assert d.name.startswith("Konfirmado"), d.name
        assert d.context == "server config, virtual host", \
            "%s is accepted elsewhere than the server config and virtual hosts" % d.name


def test_every_documented_directive_is_one_httpd_gets():
    names = {d.name for d in TABLE}
    documented = {name for name in sections() if name.startswith("Konfirmado")}
    assert documented <= names, "docs/configuration.md documents directives httpd does not " \
        "get: %s" % sorted(documented - names)


@pytest.mark.parametrize("d", TABLE, ids=lambda d: d.name)
def test_each_directive_has_its_section_in_configuration_md(d):
    section, _ = sections().get(d.name, (None, None))
    assert section is not None, "docs/configuration.md has no '### %s' section" % d.name
    for line in ("- Syntax: `%s" % d.name, "- Context: ", "- Default: ", "- Example: `%s " % d.name):
        assert line in section, "the %s section of docs/configuration.md lacks %r" % (d.name, line)


@pytest.mark.parametrize("d", TABLE, ids=lambda d: d.name)
def test_documented_syntax_takes_the_arguments_httpd_reads(d):
    syntax = re.match(r"`([^`]*)`", field(sections()[d.name][0], "Syntax")).group(1)
    words = shlex.split(syntax)
    assert words[0] == d.name
    args = words[1:]
    if d.args == "FLAG":
        assert args == ["On|Off"], "%s is On|Off, the doc says %r" % (d.name, syntax)
    elif d.args == "TAKE1":
        assert len(args) == 1, "%s takes one argument, the doc says %r" % (d.name, syntax)
    elif d.args == "TAKE2":
        assert len(args) == 2, "%s takes two arguments, the doc says %r" % (d.name, syntax)
    elif d.args == "TAKE12":
        assert len(args) == 2 and args[1].startswith("["), \
            "%s takes one argument and an optional second, the doc says %r" % (d.name, syntax)
    else:
        assert d.args == "ITERATE" and args, "%s: %s, the doc says %r" % (d.name, d.args, syntax)


@pytest.mark.parametrize("d", TABLE, ids=lambda d: d.name)
def test_documented_context_includes_the_server_config(d):
    context = field(sections()[d.name][0], "Context")
    assert context.startswith("server config"), \
        "%s is a directive of the server config, the doc says %r" % (d.name, context)


@pytest.mark.parametrize("d", TABLE, ids=lambda d: d.name)
def test_directive_is_documented_under_its_feature(d):
    heading = sections()[d.name][1]
    assert "(`%s`)" % d.owner in heading, \
        "%s is a directive of the %s list; docs/configuration.md puts it under %r" % (
            d.name, d.owner, heading)


@pytest.mark.parametrize("d", SCALARS, ids=lambda d: d.name)
def test_documented_default_is_the_one_the_code_applies(d):
    line = field(sections()[d.name][0], "Default")
    expected = documented_default(d.kind, d.default)
    if expected is None:
        assert not re.match(r"`[^`]*`$", line.strip()), \
            "%s has no default in the code, the doc says %s" % (d.name, line)
    else:
        assert line.startswith(expected), "%s defaults to %s in the code, the doc says %s" % (
            d.name, expected, line)


@pytest.mark.parametrize("d", TABLE, ids=lambda d: d.name)
def test_each_directive_is_in_the_shipped_konfirmado_conf(d):
    conf = read("conf", "konfirmado.conf")
    assert re.search(r"^\s*#?\s*%s\s" % d.name, conf, re.M), \
        "conf/konfirmado.conf has no line (commented out or not) setting %s" % d.name
