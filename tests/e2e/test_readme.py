"""The README a newcomer reads: short, its pictures present and of the size their names say,
its links pointing at files of the tree, its performance table the one the newest bench run
makes (bench/table), and no file of the tree left with a merge's conflict markers. Reads only
the sources: no server involved."""
import os
import re
import struct
import subprocess

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def read(*path):
    with open(os.path.join(SRCDIR, *path), encoding="utf-8") as f:
        return f.read()


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "%s is not a PNG" % path
    return struct.unpack(">II", head[16:24])


def test_the_readme_is_short_and_opens_with_the_two_commands_for_a_developer():
    text = read("README.md")
    assert len(text.splitlines()) <= 300
    commands = re.search(r"```sh\n(.*?)```", text, re.S).group(1).splitlines()
    assert [c.split()[0:2] for c in commands] == [["./dev", "demo"], ["./dev", "test"]]
    # right after them: they are a developer's (packages installed as root, the system
    # Apache stopped), and a server is installed by docs/install.md
    note = text.split("```", 2)[2].strip().split("\n\n", 1)[0]
    assert "development machine" in note and "](docs/install.md)" in note, note


def test_every_picture_the_readme_shows_is_there_at_its_size():
    shown = re.findall(r"\]\((docs/images/[^)]+)\)", read("README.md"))
    assert len(shown) >= 4
    for rel in shown:
        path = os.path.join(SRCDIR, rel)
        assert os.path.exists(path), rel
        w, h = map(int, re.search(r"-(\d+)x(\d+)\.png$", rel).groups())
        assert png_size(path) == (w, h), rel


def test_every_link_of_the_readme_points_into_the_tree():
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", read("README.md")):
        if re.match(r"[a-z]+://", target):
            continue
        assert not target.startswith(".."), "%s lies outside the product" % target
        assert os.path.exists(os.path.join(SRCDIR, target)), target


def test_the_performance_table_is_the_newest_runs():
    run = subprocess.run([os.path.join(SRCDIR, "bench", "table"), "--check",
                          os.path.join(SRCDIR, "README.md")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_no_file_keeps_a_merges_conflict_markers():
    marked = []
    for top in ("README.md", "docs", "lib", "mod_konfirmado", "sql", "conf", "htdocs", "tests",
                "bench", "tools", "debian"):
        root = os.path.join(SRCDIR, top)
        walk = [(SRCDIR, [], [top])] if os.path.isfile(root) else os.walk(root)
        for folder, dirs, files in walk:
            dirs[:] = [d for d in dirs if d not in ("node_modules", ".libs", ".deps")]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    with open(path, encoding="utf-8") as f:
                        lines = f.read().splitlines()
                except (UnicodeDecodeError, OSError):
                    continue
                if any(l.startswith(("<<<<<<< ", ">>>>>>> ")) for l in lines):
                    marked.append(os.path.relpath(path, SRCDIR))
    assert marked == []
