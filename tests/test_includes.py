"""Include hygiene of the library and the program (issue 7, "Done when").

Lists every `#include "..."` of the C sources and headers under src/ and include/ and resolves
it as the compiler does for the library (-Iinclude): first beside the including file, then under
include/. It fails when
  (a) a file under src/<module>/ includes a private header (a .h under src/) of another module,
      or a public header (include/) includes a private one;
  (b) files include each other, directly or through others (an include cycle);
  (c) a file under src/ or include/ includes a path with "../" (modules reach each other only
      through the public headers);
  (d) a quoted include resolves to no file of the project (so (a)-(c) would not see it).
Standard library only; reads the source tree, runs nothing.
"""
import os
import re
import unittest

import carecast_testlib as T

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')


def project_root():
    return T.source_root()


def source_files(root):
    """Paths (relative to root, '/'-separated) of every .c and .h under src/ and include/."""
    found = []
    for top in ("src", "include"):
        for folder, _dirs, files in os.walk(os.path.join(root, top)):
            for name in files:
                if name.endswith((".c", ".h")):
                    found.append(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return sorted(found)


def strip_comments(text):
    """text without /* */ and // comments (line structure kept), so a commented-out include
    does not count."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def includes_of(root, path):
    """[(line number, '"' or '<', included text)] of one file."""
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
        text = strip_comments(f.read())
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        m = INCLUDE_RE.match(line)
        if m:
            out.append((number, m.group(1), m.group(2)))
    return out


def resolve(root, including, target):
    """The project file (relative path) a quoted include names: beside the including file
    first, then under include/; None when neither exists."""
    for base in (os.path.dirname(including), "include"):
        candidate = os.path.normpath(os.path.join(root, base, target))
        if os.path.isfile(candidate):
            return os.path.relpath(candidate, root).replace(os.sep, "/")
    return None


def module_of(path):
    """'population' for src/population/x.c; None outside src/<module>/."""
    parts = path.split("/")
    return parts[1] if parts[0] == "src" and len(parts) > 2 else None


def is_private_header(path):
    return path.startswith("src/") and path.endswith(".h")


def include_graph(root):
    """({file: [(line, target text, resolved file or None)]}) of every quoted include."""
    graph = {}
    for path in source_files(root):
        graph[path] = [(line, target, resolve(root, path, target))
                       for line, kind, target in includes_of(root, path) if kind == '"']
    return graph


def find_cycles(graph):
    """Every include cycle as a list of files [a, b, ..., a] (each cycle reported once, from
    a depth-first search of the resolved edges)."""
    edges = {f: sorted({r for _l, _t, r in incs if r}) for f, incs in graph.items()}
    WHITE, GREY, BLACK = 0, 1, 2
    colour = {f: WHITE for f in edges}
    stack, cycles, seen = [], [], set()

    def visit(node):
        colour[node] = GREY
        stack.append(node)
        for nxt in edges.get(node, []):
            if colour.get(nxt, WHITE) == GREY:
                cycle = stack[stack.index(nxt):] + [nxt]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    cycles.append(cycle)
            elif colour.get(nxt, WHITE) == WHITE:
                visit(nxt)
        stack.pop()
        colour[node] = BLACK

    for node in sorted(edges):
        if colour[node] == WHITE:
            visit(node)
    return cycles


class IncludeHygiene(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = project_root()
        cls.graph = include_graph(cls.root)

    def assert_none(self, problems):
        if problems:
            self.fail("\n" + "\n".join(problems))

    def test_the_tree_was_read(self):
        self.assertIn("include/carecast/carecast.h", self.graph)
        self.assertTrue(any(module_of(f) for f in self.graph), "files under src/<module>/ were found")
        self.assertGreater(sum(len(v) for v in self.graph.values()), 10, "includes were found")

    def test_no_private_header_of_another_module(self):
        bad = []
        for path, incs in sorted(self.graph.items()):
            for line, target, resolved in incs:
                if not resolved or not is_private_header(resolved):
                    continue
                if path.startswith("include/"):
                    bad.append('%s:%d: public header includes private "%s" (%s)' % (path, line, target, resolved))
                elif module_of(path) != module_of(resolved):
                    bad.append('%s:%d: module %s includes "%s", a private header of module %s'
                               % (path, line, module_of(path), target, module_of(resolved)))
        self.assert_none(bad)

    def test_no_include_cycle(self):
        cycles = find_cycles(self.graph)
        self.assert_none(["include cycle: " + " -> ".join(c) for c in cycles])

    def test_no_parent_folder_in_an_include(self):
        bad = []
        for path in source_files(self.root):
            for line, _kind, target in includes_of(self.root, path):
                if "../" in target or target.startswith(".."):
                    bad.append('%s:%d: #include "%s" reaches out of its folder' % (path, line, target))
        self.assert_none(bad)

    def test_every_quoted_include_is_a_project_file(self):
        bad = ['%s:%d: #include "%s" is neither beside the file nor under include/' % (path, line, target)
               for path, incs in sorted(self.graph.items()) for line, target, resolved in incs if not resolved]
        self.assert_none(bad)


class IncludeCheckerSelfTest(unittest.TestCase):
    """The checks find what they should on a made-up tree (so a pass above means something)."""

    def make_tree(self, files):
        import tempfile
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        T.write_files(tmp.name, files)
        return tmp.name

    def test_finds_a_cycle_through_three_files(self):
        root = self.make_tree({
            "include/carecast/a.h": '#include "carecast/b.h"\n',
            "include/carecast/b.h": '#include "c.h"\n',
            "include/carecast/c.h": '/* #include "x.h" */\n#include "carecast/a.h"\n',
            "src/m/x.c": '#include "carecast/a.h"\n',
        })
        graph = include_graph(root)
        cycles = find_cycles(graph)
        self.assertEqual(len(cycles), 1, cycles)
        self.assertEqual(set(cycles[0]), {"include/carecast/a.h", "include/carecast/b.h", "include/carecast/c.h"})

    def test_finds_two_c_files_including_each_other(self):
        root = self.make_tree({"src/m/a.c": '#include "b.c"\n', "src/m/b.c": '#include "a.c"\n'})
        self.assertEqual(len(find_cycles(include_graph(root))), 1)

    def test_private_header_of_another_module(self):
        root = self.make_tree({
            "src/one/one_internal.h": "\n",
            "src/one/one.c": '#include "one_internal.h"\n',
            "src/two/two.c": '#include "../one/one_internal.h"\n',
        })
        graph = include_graph(root)
        resolved = graph["src/two/two.c"][0][2]
        self.assertEqual(resolved, "src/one/one_internal.h")
        self.assertTrue(is_private_header(resolved))
        self.assertNotEqual(module_of("src/two/two.c"), module_of(resolved))
        self.assertEqual(module_of("src/one/one.c"), module_of(graph["src/one/one.c"][0][2]))
        self.assertEqual(find_cycles(graph), [])


if __name__ == "__main__":
    unittest.main()
