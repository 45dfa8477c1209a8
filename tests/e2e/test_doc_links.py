"""The product's documents stand on their own: README.md, NEWS.md and every file of docs/ link only
to files of this repository (or to the web), every such link and its #anchor lead somewhere,
and none names a document that is not in it (the contract is docs/openapi.yaml and
docs/api.md, nothing beside the product). Reads only the files: no server involved.

    /usr/bin/python3 -m pytest -q --noconftest tests/e2e/test_doc_links.py
"""
import os
import re
import subprocess

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# [text](target "title"), [label]: target, href="target", src="target", and the snippets
# docs/api.md includes (<!-- include path -->)
INLINE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
DEFINITION = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.M)
HTML = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""")
INCLUDE = re.compile(r"<!--\s*include\s+(\S+)\s*-->")
# a document named by its file name, e.g. "API.md" or "docs/api.md"
MD_NAME = re.compile(r"(?<![\w.-])((?:[\w.-]+/)*[\w-]+\.md)\b")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)


def documents():
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "README.md", "NEWS.md",
                            "docs"],
                           cwd=SRCDIR, capture_output=True, text=True, check=True).stdout.split()
    return sorted(f for f in files if f.endswith((".md", ".yaml", ".yml")))


def repository_files():
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=SRCDIR,
                         capture_output=True, text=True, check=True).stdout.split()
    return set(out)


def read(path):
    with open(os.path.join(SRCDIR, path), encoding="utf-8") as f:
        return f.read()


def slug(heading):
    """The anchor GitHub makes of a heading."""
    text = re.sub(r"[`*_]|<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path):
    seen, out = {}, set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", FENCE.sub("", read(path)), re.M):
        base = slug(heading)
        n = seen.get(base, 0)
        out.add(base if n == 0 else "%s-%d" % (base, n))
        seen[base] = n + 1
    out.update(re.findall(r"""<a\s+(?:name|id)=["']([^"']+)["']""", read(path)))
    return out


def links(path):
    """(folder the target is read from, target) of every link of the document."""
    text = read(path)
    if not path.endswith(".md"):
        return []
    # a fenced block is code or a file's text, not a link of this document
    prose = FENCE.sub("", text)
    here = os.path.dirname(path)
    found = INLINE.findall(prose) + DEFINITION.findall(prose) + HTML.findall(prose)
    # an include names its file from the repository's root
    return [(here, target) for target in found] + [("", target) for target in INCLUDE.findall(text)]


def test_every_link_stays_in_the_repository_and_leads_somewhere():
    files = repository_files()
    bad = []
    for doc in documents():
        for base, target in links(doc):
            if SCHEME.match(target):
                continue
            path, _, anchor = target.partition("#")
            path = path.split("?", 1)[0]
            resolved = os.path.normpath(os.path.join(base, path)) if path else doc
            if resolved.startswith("..") or os.path.isabs(path):
                bad.append("%s: %s points outside the repository" % (doc, target))
                continue
            is_dir = any(f.startswith(resolved.rstrip("/") + "/") for f in files)
            if resolved not in files and not is_dir:
                bad.append("%s: %s leads to no file of the repository" % (doc, target))
                continue
            if anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
                bad.append("%s: %s names no heading of %s" % (doc, target, resolved))
    assert not bad, "\n".join(bad)


def test_no_document_names_a_document_outside_the_repository():
    names = {os.path.basename(f) for f in repository_files()}
    paths = repository_files()
    bad = []
    for doc in documents():
        for lineno, line in enumerate(read(doc).splitlines(), 1):
            for name in MD_NAME.findall(line):
                if name in paths or os.path.basename(name) in names:
                    continue
                bad.append("%s:%d names %s, which is not in the repository: %s"
                           % (doc, lineno, name, line.strip()[:120]))
    assert not bad, "\n".join(bad)
