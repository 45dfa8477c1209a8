"""docs/architecture.md's claims about the code's shape, held against the tree: the layers its
two drawings list (each a fenced block "```layers lib/" or "```layers mod_konfirmado/", top
row first), no circle of includes or calls, the router naming no feature, each glue file
running only its own feature's statements, where directives live, and each function a feature
hands one below it named in its descriptor's hand-offs. Reads only the sources: no server
involved."""
import collections
import os
import re

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SIDES = ("lib", "mod_konfirmado")
# What stands above both sides and may include either; neither includes it.
ABOVE = ("tools", "bench", "tests")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]', re.M)
QUOTED_INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
# httpd's own headers, which no file of the core includes.
HTTPD_HEADER = re.compile(r"^(httpd|http_\w+|ap_\w+|util_\w+|mod_\w+|mpm_\w+|scoreboard)\.h$")


def read(path):
    with open(os.path.join(SRCDIR, path), encoding="utf-8") as f:
        return f.read()


def c_files(*tops):
    """Every .c and .h under the given top folders, as paths relative to SRCDIR."""
    found = []
    for top in tops:
        for d, dirs, files in os.walk(os.path.join(SRCDIR, top)):
            dirs[:] = sorted(x for x in dirs if not x.startswith("."))
            found += [os.path.relpath(os.path.join(d, f), SRCDIR)
                      for f in sorted(files) if f.endswith((".c", ".h"))]
    return found


def without_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)


def drawings(doc):
    """{side: rows, top first, each a list of entries: "folder/" or "file.c"}."""
    blocks = re.findall(r"^```layers (\S+)/\n(.*?)^```", doc, re.M | re.S)
    return {side: [line.split() for line in body.splitlines() if line.strip()]
            for side, body in blocks}


def unit_of(path):
    """A file's place in its side's drawing: its folder ("calendars/"), or for a file at the
    side's root the source it belongs to ("mod_kf_router.c" for mod_kf_router.h too)."""
    parts = path.split("/")
    if len(parts) > 2:
        return parts[1] + "/"
    return os.path.splitext(parts[1])[0] + ".c"


class Tree:
    """The C files of the whole tree, each include resolved to the file it names (every
    folder of both sides is on the include path, so a header is found by its name)."""

    def __init__(self):
        self.files = c_files(*SIDES, *ABOVE)
        self.text = {p: read(p) for p in self.files}
        by_name = collections.defaultdict(list)
        for p in self.files:
            by_name[os.path.basename(p)].append(p)
        self.by_name = by_name
        self.includes = {p: [m.group(1) for m in INCLUDE.finditer(without_comments(self.text[p]))]
                         for p in self.files}

    def resolve(self, path, name):
        """The file an include of `path` names, or None (a system or generated header)."""
        here = os.path.join(os.path.dirname(path), name)
        if os.path.normpath(here) in self.by_name.get(os.path.basename(name), []):
            return os.path.normpath(here)
        # the sides' folders are on the include path; a header elsewhere is found by its name
        # too, so that an include of one is seen
        named = self.by_name.get(os.path.basename(name), [])
        candidates = [c for c in named if c.split("/")[0] in SIDES] or named
        return candidates[0] if len(candidates) == 1 else None

    def edges(self, path):
        return [(name, self.resolve(path, name)) for name in
                (m.group(1) for m in QUOTED_INCLUDE.finditer(without_comments(self.text[path])))]


TREE = Tree()
DOC = read("docs/architecture.md")
DRAWINGS = drawings(DOC)


def rank(side):
    """{entry: its row counted from the ground (1)}."""
    rows = DRAWINGS[side]
    return {entry: len(rows) - i for i, row in enumerate(rows) for entry in row}


def side_files(side):
    """The side's files that stand in its drawing: those of its folders, and its root's sources
    with their headers (a generated header at the root, lib/kf_config.h, stands outside)."""
    files = []
    for p in TREE.files:
        parts = p.split("/")
        if parts[0] != side:
            continue
        if len(parts) == 2 and not os.path.exists(
                os.path.join(SRCDIR, os.path.splitext(p)[0] + ".c")):
            continue
        files.append(p)
    return files


def layer_violations(side):
    """Every include of the side that runs sideways or up its drawing, as text."""
    where = rank(side)
    bad = []
    for p in side_files(side):
        mine = unit_of(p)
        for name, target in TREE.edges(p):
            if target is None or target.split("/")[0] != side:
                continue
            theirs = unit_of(target)
            # a file of no row is the drawing's test's to report
            if theirs != mine and where.get(theirs, 0) >= where.get(mine, 0) > 0:
                bad.append("%s includes %s: %s does not stand under %s" % (p, name, theirs, mine))
    return bad


def include_circles():
    """Loops of includes among the tree's files, each as a list of paths."""
    graph = {p: {t for _, t in TREE.edges(p) if t and t != p} for p in TREE.files}
    return strongly_connected(graph)


def strongly_connected(graph):
    """The graph's strongly connected parts with more than one node (Tarjan's, iterative)."""
    index, low, on_stack, stack, parts, counter = {}, {}, set(), [], [], [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1:
                    parts.append(sorted(part))
    return parts


# A function definition at the start of a line, not static: its name (kf_* or kfm_*).
DEFINITION = re.compile(r"^(?!static\b)[A-Za-z_][\w \t\*]*?\b(kfm?_\w+)\s*\([^;{}]*\)\s*\{", re.M)


def call_circles():
    """Loops of calls among the two sides' sources: a .c naming a function that another .c
    alone defines calls it."""
    sources = [p for side in SIDES for p in side_files(side) if p.endswith(".c")]
    code = {p: re.sub(r'"(\\.|[^"\\])*"', '""', without_comments(TREE.text[p])) for p in sources}
    defined = collections.defaultdict(set)
    for p in sources:
        for name in DEFINITION.findall(code[p]):
            defined[name].add(p)
    owner = {name: next(iter(ps)) for name, ps in defined.items() if len(ps) == 1}
    graph = {p: {owner[n] for n in set(re.findall(r"\bkfm?_\w+\b", code[p]))
                 if n in owner and owner[n] != p} for p in sources}
    assert sum(len(v) for v in graph.values()) > 500, "the calls were not read"
    return strongly_connected(graph)


# ---- the drawings themselves ----

def test_each_side_has_a_drawing_that_places_every_folder_once():
    assert set(DRAWINGS) == set(SIDES), "docs/architecture.md draws %s" % sorted(DRAWINGS)
    for side in SIDES:
        drawn = [entry for row in DRAWINGS[side] for entry in row]
        assert len(drawn) == len(set(drawn)), "%s: an entry drawn twice" % side
        present = {unit_of(p) for p in side_files(side)}
        assert not present - set(drawn), "%s: not drawn: %s" % (side, sorted(present - set(drawn)))
        assert not set(drawn) - present, "%s: drawn, not in the tree: %s" % (
            side, sorted(set(drawn) - present))


# ---- (a) arrows run down only, and no circle ----

def test_the_core_includes_no_layer_above_its_own():
    assert layer_violations("lib") == []


def test_the_glue_includes_no_layer_above_its_own():
    assert layer_violations("mod_konfirmado") == []


def test_the_core_includes_neither_the_glue_nor_httpd_and_no_side_includes_tests_or_tools():
    bad = []
    for side in SIDES:
        for p in side_files(side):
            for name in TREE.includes[p]:
                target = TREE.resolve(p, name)
                if side == "lib" and (HTTPD_HEADER.match(os.path.basename(name)) or
                                      (target or "").startswith("mod_konfirmado/")):
                    bad.append("%s includes %s" % (p, name))
                if target and target.split("/")[0] in ABOVE:
                    bad.append("%s includes %s" % (p, target))
    assert bad == []


def test_headers_are_found_by_their_name_alone():
    """Every folder is on the include path: two headers of one name would be one include."""
    names = collections.Counter(os.path.basename(p) for side in SIDES for p in side_files(side))
    assert [n for n, count in names.items() if count > 1] == []


def test_no_files_include_each_other_in_a_circle():
    assert include_circles() == []


def test_no_file_calls_its_caller_back():
    assert call_circles() == []


# ---- (b) the router names no feature ----

GLUE_FEATURES = sorted(e[:-1] for row in DRAWINGS.get("mod_konfirmado", []) for e in row
                       if e.endswith("/") and e != "module/")


def core_helpers():
    """The folders under the core's features: the rows of lib/'s drawing from net/ down."""
    rows = DRAWINGS.get("lib", [])
    first = next((i for i, row in enumerate(rows) if "net/" in row), len(rows))
    return [entry for row in rows[first:] for entry in row]


# What every request passes through before its handler, and the core's helpers.
ROUTER_MAY_INCLUDE = tuple(["mod_konfirmado/module/", "mod_konfirmado/identity/",
                            "mod_konfirmado/operations/"] + ["lib/" + h for h in core_helpers()])


def names_of_features(path):
    code = without_comments(TREE.text[path])
    pattern = r"\b(?:kfm|mod_kf|KFM)_(%s)(?:_\w*)?\b" % "|".join(GLUE_FEATURES)
    return sorted(set(m.group(0) for m in re.finditer(pattern, code, re.I)))


def test_the_router_includes_only_what_every_request_passes_before_its_handler():
    assert len(GLUE_FEATURES) > 15
    bad = []
    for p in ("mod_konfirmado/mod_kf_router.c", "mod_konfirmado/mod_kf_router.h"):
        for name, target in TREE.edges(p):
            if target and not target.startswith(ROUTER_MAY_INCLUDE) and \
                    not target.startswith("mod_konfirmado/mod_kf_router."):
                bad.append("%s includes %s" % (p, target))
    assert bad == []


def test_the_router_adapter_runner_and_configuration_name_no_feature():
    for p in ("mod_konfirmado/mod_kf_router.c", "mod_konfirmado/mod_kf_router.h",
              "mod_konfirmado/module/mod_kf_db.c", "mod_konfirmado/module/mod_kf_jobs.c",
              "mod_konfirmado/module/mod_kf_config.c"):
        assert names_of_features(p) == [], p


# ---- (c) a glue file runs only its own feature's statements ----

LABEL = re.compile(r'"(kf_\w+)"')


def statement_labels():
    """(declared: {label: file}, named: {file: labels}) over the glue's files: a label right
    after '{' is declared in a statement table, any other is run (or passed to what runs it)."""
    declared, named = {}, collections.defaultdict(set)
    for p in side_files("mod_konfirmado"):
        text = without_comments(TREE.text[p])
        for m in LABEL.finditer(text):
            if text[:m.start()].rstrip().endswith("{"):
                declared[m.group(1)] = p
            else:
                named[p].add(m.group(1))
    return declared, named


def test_each_glue_file_runs_only_its_own_features_statements():
    declared, named = statement_labels()
    assert len(declared) > 100
    bad = ["%s runs %s of %s" % (p, label, declared[label])
           for p, labels in sorted(named.items()) for label in sorted(labels)
           if label in declared and unit_of(declared[label]) != unit_of(p)]
    assert bad == []


# ---- (d) where directives live ----

def test_directives_live_in_the_module_list_and_each_features_conf_header():
    entry = re.compile(r'\bX\(T,\s*\w+,\s*"(Konfirmado\w+)"')
    bad, count = [], 0
    for p in side_files("mod_konfirmado"):
        found = entry.findall(TREE.text[p])
        count += len(found)
        folder = p.split("/")[1]
        if not found or p == "mod_konfirmado/module/mod_kf_config.h":
            continue
        own = "mod_konfirmado/%s/mod_kf_%s_conf.h" % (folder, folder)
        if p != own or "KFM_CONF_DECLARE(kfm_%s_conf," % folder not in TREE.text[p]:
            bad.append("%s declares %s" % (p, ", ".join(found)))
    assert count >= 30
    assert bad == []


def test_the_directives_checks_stand_on_core_alone():
    bad = []
    for p in side_files("lib"):
        if p.startswith("lib/directives/"):
            for name, target in TREE.edges(p):
                if target and not target.startswith(("lib/directives/", "lib/core/")):
                    bad.append("%s includes %s" % (p, target))
    assert any(p.startswith("lib/directives/") for p in side_files("lib"))
    assert bad == []


# ---- (e) what a feature hands those below it is named in its descriptor ----

# A hook a feature below is handed at startup: a setter kfm_<x>_when_<y> or kfm_<x>_with that
# returns nothing, declared in a glue header.
SETTER = re.compile(r"^void\s+(kfm_\w+?(?:_when_\w+|_with))\s*\(", re.M)
HANDOFF_TABLE = re.compile(r"\bkfm_handoff\s+(\w+)\s*\[\s*\]\s*=\s*\{(.*?)\};", re.S)
HANDOFF_ENTRY = re.compile(r'\{\s*"(\w+)"\s*,\s*"(\w+)"\s*,\s*(\w+)\s*\}')
# A function's definition at the start of a line: its name.
ANY_DEFINITION = re.compile(r"^[A-Za-z_][\w \t\*]*?\b(\w+)\s*\([^;{}]*\)\s*\{", re.M)


def handoff_setters():
    """{setter: the header that declares it}."""
    return {name: p for p in side_files("mod_konfirmado") if p.endswith(".h")
            for name in SETTER.findall(without_comments(TREE.text[p]))}


def listed_features():
    """{name: its descriptor's file} of the descriptors mod_konfirmado.c lists."""
    top = without_comments(TREE.text["mod_konfirmado/mod_konfirmado.c"])
    listed = set(re.findall(r"&(kfm_\w+_feature)\b", top))
    found = {}
    for p in side_files("mod_konfirmado"):
        code = without_comments(TREE.text[p])
        m = re.search(r"\bconst\s+kfm_feature\s+(\w+)\s*=\s*\{(.*?)\};", code, re.S)
        if m and m.group(1) in listed:
            found[re.search(r'\.name\s*=\s*"(\w+)"', m.group(2)).group(1)] = p
    return found


def handoffs():
    """[(the giver's descriptor file, to, hook, install)] of every descriptor's hand-off list
    that its descriptor hands the module."""
    found = []
    for p in listed_features().values():
        code = without_comments(TREE.text[p])
        handed = re.search(r"\.handoffs\s*=\s*(\w+)", code)
        for table, body in HANDOFF_TABLE.findall(code):
            assert handed and handed.group(1) == table, "%s: %s is not its descriptor's" % (
                p, table)
            found += [(p,) + entry for entry in HANDOFF_ENTRY.findall(body)]
    return found


def enclosing_function(code, pos):
    """The name of the function whose body holds `pos`, or None at file scope."""
    before = [m for m in ANY_DEFINITION.finditer(code) if m.end() <= pos]
    if not before:
        return None
    last = before[-1]
    depth = 1
    for ch in code[last.end():pos]:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0:
            return None
    return last.group(1)


def test_every_handoff_goes_to_a_listed_feature_through_that_features_own_hook():
    features, setters, bad = listed_features(), handoff_setters(), []
    entries = handoffs()
    assert len(features) > 15 and len(setters) >= 5 and len(entries) >= 5
    for giver, to, hook, install in entries:
        if to not in features:
            bad.append("%s hands %s to %s, which is no listed feature" % (giver, hook, to))
        elif hook not in setters:
            bad.append("%s hands %s, which no header declares as a hook" % (giver, hook))
        elif os.path.dirname(setters[hook]) != os.path.dirname(features[to]):
            bad.append("%s hands %s to %s, whose folder does not declare it" % (giver, hook, to))
    handed = collections.Counter(hook for _, _, hook, _ in entries)
    bad += ["%s is handed %d times" % (s, handed[s]) for s in sorted(setters) if handed[s] != 1]
    assert bad == []


def test_every_hook_is_set_only_by_its_handoffs_install():
    setters = handoff_setters()
    installs = {(giver, install): hook for giver, _, hook, install in handoffs()}
    bad, calls = [], 0
    for p in side_files("mod_konfirmado"):
        if not p.endswith(".c"):
            continue
        code = re.sub(r'"(\\.|[^"\\])*"', '""', without_comments(TREE.text[p]))
        for m in re.finditer(r"\b(%s)\s*\(" % "|".join(setters), code):
            if re.match(r"void\s*$", code[max(0, m.start() - 20):m.start()].split("\n")[-1]):
                continue  # its definition
            calls += 1
            where = enclosing_function(code, m.start())
            if installs.get((p, where)) != m.group(1):
                bad.append("%s calls %s from %s, no hand-off's install of it" % (
                    p, m.group(1), where))
    assert calls >= len(setters)
    assert bad == []
