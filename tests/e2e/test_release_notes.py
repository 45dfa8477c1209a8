"""NEWS.md, the release notes: a section for each version the Debian changelog names, the
current one (lib/core/kf_version.h) first, each with its upgrade notes, known issues and where
to report a problem; the changelog's entries point to it and both packages install it. Reads
only the sources: no server involved."""
import os
import re

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def read(*path):
    with open(os.path.join(SRCDIR, *path), encoding="utf-8") as f:
        return f.read()


def sections():
    """{version: its text}, in NEWS.md's order (a dict keeps it)."""
    parts = re.split(r"^## (\S+)\s*$", read("NEWS.md"), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def test_the_current_version_comes_first_with_its_notes():
    version = re.search(r'#define KF_VERSION "([^"]+)"', read("lib", "core", "kf_version.h")).group(1)
    news = sections()
    assert list(news)[0] == version, "NEWS.md does not open with %s" % version
    for version, text in news.items():
        for heading in ("### Upgrading to it", "### Known issues", "### Reporting a problem"):
            assert heading in text, "%s has no %r" % (version, heading)
            body = text.split(heading, 1)[1].split("\n### ", 1)[0]
            assert body.strip(), "%s's %r is empty" % (version, heading)


def test_each_changelog_entry_has_its_version_in_news_and_points_to_it():
    changelog = read("debian", "changelog")
    entries = re.split(r"^(?=konfirmado \()", changelog, flags=re.M)
    news = sections()
    for entry in (e for e in entries if e.strip()):
        upstream = re.match(r"konfirmado \(([^-)]+)", entry).group(1)
        assert upstream in news, "NEWS.md has no section for %s" % upstream
        assert "NEWS.md" in entry, "the changelog entry of %s does not point to NEWS.md" % upstream


def test_both_packages_install_it():
    for package in ("libapache2-mod-konfirmado", "konfirmado-tools"):
        assert "NEWS.md" in read("debian", package + ".docs").split(), package
