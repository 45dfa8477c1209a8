"""Every directive the module declares is documented: a section of docs/configuration.md with
its syntax, context and default (the default the code applies), and a line, commented out or
not, in the shipped conf/konfirmado.conf. A directive added to the X-macro list of
mod_kf_config.h or to the command table of mod_kf_config.c without its documentation fails
here. Reads only the sources: no server involved."""
import os
import re

import pytest

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def read(*path):
    with open(os.path.join(SRCDIR, *path), encoding="utf-8") as f:
        return f.read()


def scalar_directives():
    """(name, kind, default as written in C) of each X(...) entry of KFM_SCALAR_DIRECTIVES."""
    text = read("mod_konfirmado", "module", "mod_kf_config.h").replace("\\\n", "\n")
    entries = re.findall(r'\bX\(\s*\w+,\s*"(Konfirmado\w+)",\s*(\w+),\s*("(?:[^"\\]|\\.)*"|[\w.-]+),',
                         text)
    assert len(entries) >= 30, "the X-macro list was not parsed: %r" % entries
    return entries


def table_directives():
    """Directives of the command table declared outside the X-macro list."""
    text = read("mod_konfirmado", "module", "mod_kf_config.c")
    names = re.findall(r'AP_INIT_\w+\(\s*"(Konfirmado\w+)"', text)
    assert names, "no AP_INIT_ directive found in mod_kf_config.c"
    return names


def all_directives():
    return [name for name, _, _ in scalar_directives()] + table_directives()


def sections():
    """docs/configuration.md: directive name -> the text of its `### Name` section."""
    text = read("docs", "configuration.md")
    parts = re.split(r"^#{2,3} ", text, flags=re.M)
    return {p.split("\n", 1)[0].strip(): p for p in parts[1:]}


def documented_default(kind, c_default):
    """How docs/configuration.md writes the default the code applies."""
    if c_default == "NULL":
        return None
    if kind == "FLAG":
        return "`%s`" % ("On" if c_default == "1" else "Off")
    return "`%s`" % c_default.strip('"')


@pytest.mark.parametrize("name", all_directives())
def test_each_directive_has_its_section_in_configuration_md(name):
    section = sections().get(name)
    assert section is not None, "docs/configuration.md has no '### %s' section" % name
    for field in ("- Syntax: `%s" % name, "- Context: ", "- Default: ", "- Example: `%s " % name):
        assert field in section, "the %s section of docs/configuration.md lacks %r" % (name, field)


@pytest.mark.parametrize("name,kind,c_default", scalar_directives())
def test_documented_default_is_the_one_the_code_applies(name, kind, c_default):
    section = sections()[name]
    line = re.search(r"^- Default: (.*)$", section, re.M).group(1)
    expected = documented_default(kind, c_default)
    if expected is None:
        assert not re.match(r"`[^`]*`$", line.strip()), \
            "%s has no default in the code, the doc says %s" % (name, line)
    else:
        assert line.startswith(expected), "%s defaults to %s in the code, the doc says %s" % (
            name, expected, line)


@pytest.mark.parametrize("name", all_directives())
def test_each_directive_is_in_the_shipped_konfirmado_conf(name):
    conf = read("conf", "konfirmado.conf")
    assert re.search(r"^\s*#?\s*%s\s" % name, conf, re.M), \
        "conf/konfirmado.conf has no line (commented out or not) setting %s" % name
