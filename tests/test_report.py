"""`carecast report` (issue 12, item 5 and the report's part of item 6).

The page must be one self-contained HTML file: it parses with Python's html.parser, holds no
external reference (no http:, no <link>, no <script>, no src or href leaving the page, no
@import), embeds every chart `carecast plot` draws for the file as an inline <svg> (one per
chart it names), has a @media print stylesheet, and leaves no temporary folder behind. A file
whose scenario name is hostile must come out as text: no <script> element from it, the name
whole in the page's text, nothing run (no `pwned` file). Japanese wording with --lang ja.
"""
import html.parser
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import carecast_testlib as T
import summary_testlib as S


class Page(html.parser.HTMLParser):
    """What the tests look at: every start tag with its attributes, the text of the page by
    enclosing element, the figures and the <svg> elements inside them."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.stack, self.text = [], [], []
        self.figures, self.svg_in_figure = [], 0
        self.ids = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "figure":
            self.figures.append(attrs)
        if tag == "svg" and "figure" in self.stack:
            self.svg_in_figure += 1
        if tag not in ("meta", "br", "hr", "img", "input", "link") and not tag.startswith(("path", "rect")):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.append(attrs["id"])

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        self.text.append((tuple(self.stack), data))

    def text_in(self, tag, parent=None):
        return "".join(d for stack, d in self.text if stack and stack[-1] == tag
                       and (parent is None or (len(stack) > 1 and stack[-2] == parent)))


@T.require_binary
class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not shutil.which("gnuplot"):
            raise unittest.SkipTest("gnuplot not installed (scripts/install-deps.sh installs it)")
        cls.tmp = tempfile.mkdtemp(prefix="report-", dir=T.session_folder())
        cls.private_tmp = os.path.join(cls.tmp, "TMPDIR")
        os.mkdir(cls.private_tmp)
        cls.pages = {}
        for name, path, lang in (("run", S.run_file(), "en"), ("ja", S.run_file(), "ja"),
                                 ("capacity", S.capacity_file(), "en"), ("hostile", S.hostile_file(), "en")):
            out = os.path.join(cls.tmp, name)
            os.mkdir(out)
            r = T.run(["report", path, "-o", os.path.join(out, "report.html"), "--lang", lang], cwd=out,
                      env={"TMPDIR": cls.private_tmp})
            assert r.returncode == 0, "%s: %s" % (name, r.stderr)
            with open(os.path.join(out, "report.html"), encoding="utf-8") as f:
                cls.pages[name] = (out, f.read())

    def page(self, name):
        return Page(self.pages[name][1])

    def test_one_file_and_no_temporary_folder_left(self):
        for name, (out, _) in self.pages.items():
            self.assertEqual(os.listdir(out), ["report.html"], name)
        self.assertEqual(os.listdir(self.private_tmp), [], "the charts' private folder is removed")

    def test_no_external_reference(self):
        for name, (_, text) in self.pages.items():
            with self.subTest(page=name):
                page = self.page(name)
                self.assertNotRegex(text, r"(?i)\b(https?|ftp):|file://|javascript:|//[a-z0-9.-]+\.[a-z]{2,}/|@import|@font-face")
                tags = [t for t, _ in page.tags]
                for forbidden in ("link", "script", "iframe", "img", "object", "embed", "base", "image",
                                  "foreignobject"):
                    self.assertNotIn(forbidden, tags, forbidden)
                for tag, attrs in page.tags:
                    for key, value in attrs.items():
                        self.assertFalse(key.startswith("on"), "%s %s" % (tag, key))
                        if key in ("src", "href", "xlink:href", "action", "data"):
                            self.assertTrue((value or "").startswith("#"), "%s %s=%s" % (tag, key, value))
                for url in re.findall(r"url\(([^)]*)\)", text):
                    self.assertTrue(url.strip("'\" ").startswith("#"), url)

    def test_embeds_every_chart_it_names(self):
        page = self.page("run")
        named = [f["data-file"] for f in page.figures]
        self.assertGreaterEqual(len(named), 2, "the population charts at least")
        self.assertEqual(page.svg_in_figure, len(named), "one inline <svg> per chart listed")
        charts = os.path.join(self.tmp, "charts")
        r = T.run(["plot", S.run_file(), "-o", charts, "--format", "svg"])
        self.assertEqual(r.returncode, 0, r.stderr)
        drawn = sorted(n for n in os.listdir(charts) if n.endswith(".svg"))
        self.assertEqual(sorted(named), drawn, "the report embeds every chart plot draws for the file")
        captions = page.text_in("figcaption")
        for line in r.stdout.splitlines():  # "DIR/file.svg<TAB>title"
            if "\t" in line:
                self.assertIn(line.split("\t", 1)[1], captions)
        self.assertEqual(len(page.ids), len(set(page.ids)), "ids are unique across the charts")

    def test_print_stylesheet(self):
        _, text = self.pages["run"]
        style = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
        printing = re.search(r"@media print\s*\{(.*)\}", style, re.S)
        self.assertIsNotNone(printing, "a @media print block")
        for rule in ("break-before:page", "break-inside:avoid", "color:#000", "background:#fff"):
            self.assertIn(rule, printing.group(1).replace(" ", ""))

    def test_headline_tables_and_provenance(self):
        page = self.page("run")
        captions = page.text_in("h3")
        self.assertIn("Population: kashiwa", captions)
        self.assertIn("On-call coverage of home-care patients 2030: kashiwa", captions)
        body = "".join(d for _, d in page.text)
        self.assertIn("seed 20250101", body)
        self.assertIn("engine carecast " + T.version(), body)
        self.assertIn("What the answer leans on", body)
        cells = [d for stack, d in page.text if stack and stack[-1] == "td"]
        self.assertIn("[demand] trend_damping", cells)
        damping = cells.index("[demand] trend_damping")
        self.assertEqual(cells[damping + 1:damping + 3], ["0.9", "assumption"])
        summary = T.run(["summary", S.run_file()]).stdout
        pop2030 = re.search(r"^population \(persons\)\s+[\d,]+\s+([\d,]+ \([\d,]+-[\d,]+\))", summary, re.M).group(1)
        self.assertIn(pop2030, cells, "the report shows the summary's numbers")

    def test_missing_stages_are_named(self):
        page = self.page("capacity")
        body = "".join(d for _, d in page.text)
        self.assertIn("Participating doctors needed 2030", body)
        self.assertIn("no /population", body)

    def test_japanese_page(self):
        page = self.page("ja")
        self.assertEqual(page.tags[0], ("html", {"lang": "ja"}))
        body = "".join(d for _, d in page.text)
        for words in ("主治医・副主治医制", "輪番制", "在宅医療", "必要病床数", "仮定", "中央値", "90%の幅"):
            self.assertIn(words, body)

    def test_hostile_name_stays_text(self):
        out, text = self.pages["hostile"]
        page = self.page("hostile")
        self.assertNotIn("script", [t for t, _ in page.tags], "no <script> element from the name")
        self.assertNotIn("<script>", text)
        name = S.HOSTILE.replace("\r", "\n")  # a CR in HTML text is a line end
        self.assertEqual(page.text_in("title", parent="head"), "carecast report: " + name,
                         "the name is the page's text, whole")
        self.assertIn(name, page.text_in("strong"))
        self.assertEqual(S.pwned_anywhere(out, self.tmp, self.private_tmp), [], "nothing ran")

    def test_usage_errors(self):
        self.assertEqual(T.run(["report", S.run_file()]).returncode, T.EXIT_USAGE, "-o is required")
        r = T.run(["report", S.run_file(), "-o", os.path.join(self.tmp, "x.html"), "--lang", "fr"])
        self.assertEqual(r.returncode, T.EXIT_USAGE)
        self.assertIn("en or ja", r.stderr)
        r = T.run(["report", os.path.join(self.tmp, "missing.h5"), "-o", os.path.join(self.tmp, "x.html")])
        self.assertEqual(r.returncode, T.EXIT_INPUT)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x.html")))

    def test_output_never_replaces_the_results_file_a_link_or_a_folder(self):
        """-o naming the results file itself (which the page would replace), a symbolic link (the
        rename would replace the link) or a folder is refused before anything is drawn."""
        results = os.path.join(self.tmp, "own.h5")
        shutil.copyfile(S.run_file(), results)
        with open(results, "rb") as f:
            before = f.read()
        link = os.path.join(self.tmp, "link.html")
        os.symlink(os.path.join(self.tmp, "elsewhere.html"), link)
        for target, says in ((results, "inputs"), (link, "symbolic link"), (self.tmp, "folder")):
            with self.subTest(target=os.path.basename(target)):
                r = T.run(["report", results, "-o", target])
                self.assertEqual(r.returncode, T.EXIT_USAGE, r.stderr)
                self.assertIn(says, r.stderr)
        with open(results, "rb") as f:
            self.assertEqual(f.read(), before, "the results file is untouched")
        self.assertTrue(os.path.islink(link), "the link is still a link")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "elsewhere.html")))

    def test_interrupt_leaves_nothing_behind(self):
        """SIGTERM (or Ctrl-C) while a chart is drawn: exit 130, the private chart folder
        removed, no page and no temporary file beside it. A stand-in gnuplot says when it has
        started and waits a moment before running the real one."""
        work = tempfile.mkdtemp(prefix="interrupt-", dir=self.tmp)
        private, out, started = (os.path.join(work, n) for n in ("TMPDIR", "out", "started"))
        os.mkdir(private)
        os.mkdir(out)
        slow = os.path.join(work, "slow-gnuplot")
        with open(slow, "w") as f:
            f.write("#!/bin/sh\ntouch '%s'\nsleep 1\nexec gnuplot\n" % started)
        os.chmod(slow, 0o755)
        env = dict(os.environ, TMPDIR=private, CARECAST_GNUPLOT=slow)
        p = subprocess.Popen([T.carecast_bin(), "report", S.run_file(), "-o", os.path.join(out, "report.html")],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        deadline = time.monotonic() + 60
        while not os.path.exists(started) and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("interrupted", err)
        self.assertEqual(os.listdir(private), [], "the charts' private folder is removed")
        self.assertEqual(os.listdir(out), [], "no page, no temporary file")


if __name__ == "__main__":
    unittest.main()
