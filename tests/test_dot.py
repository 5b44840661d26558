"""test_dot -- Graphviz output: clusters, nodes, port edges, escaping, rendering."""
import shutil
import xml.etree.ElementTree as ET

import pytest

from clickpy.errors import Coord
from clickpy.graph.dot import render, to_dot
from clickpy.graph.graph import Graph

needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz 'dot' program not installed")


def _router_graph() -> Graph:
    """src -> c :: Classifier; c[0] -> rt :: Path (compound, with rt/inner
    nested); c[1] -> @3 (anonymous compound); both reach sink."""
    g = Graph()
    at = Coord("router.click", 1)
    src = g.add_element("src", "FromDump", "in.pcap", Coord("router.click", 2))
    c = g.add_element("c", "Classifier", "12/0800, -", Coord("router.click", 3))
    strip = g.add_element("rt/strip", "Strip", "14", Coord("lib.click", 5))
    chk = g.add_element("rt/inner/chk", "CheckIPHeader", "", Coord("lib.click", 9))
    cnt = g.add_element("rt/inner/cnt", "Counter", "", Coord("lib.click", 10))
    paint = g.add_element("@3/p", "Paint", "1", Coord("router.click", 7))
    sink = g.add_element("sink", "Queue", "", Coord("router.click", 8))
    g.compounds["rt"] = ("Path", at)
    g.compounds["rt/inner"] = ("Check", at)
    g.compounds["@3"] = ("", at)
    g.connect(src, 0, c, 0)
    g.connect(c, 0, strip, 0)
    g.connect(strip, 0, chk, 0)
    g.connect(chk, 0, cnt, 0)
    g.connect(chk, 1, sink, 1)
    g.connect(cnt, 0, sink, 0)
    g.connect(c, 1, paint, 0)
    g.connect(paint, 0, sink, 0)
    return g.finish()


def _block(text: str, opener: str) -> str:
    """The text of the brace block that starts at the line ``opener``."""
    start = text.index(opener)
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{" and text[i - 1] != "\\":
            depth += 1
        elif text[i] == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
    raise AssertionError(f"unclosed block {opener!r}")


def test_exact_text():
    assert to_dot(_router_graph(), name="router") == """\
digraph "router" {
  graph [fontname="Helvetica", fontsize=10];
  node [shape=record, fontname="Helvetica", fontsize=10];
  edge [arrowsize=0.7];
  subgraph "cluster_rt" {
    label="rt :: Path";
    subgraph "cluster_rt/inner" {
      label="rt/inner :: Check";
      "rt/inner/chk" [label="{rt/inner/chk :: CheckIPHeader|{<o0> 0|<o1> 1}}", \
tooltip="lib.click:9"];
      "rt/inner/cnt" [label="rt/inner/cnt :: Counter", tooltip="lib.click:10"];
    }
    "rt/strip" [label="rt/strip :: Strip", tooltip="lib.click:5"];
  }
  subgraph "cluster_@3" {
    label="@3";
    "@3/p" [label="@3/p :: Paint", tooltip="router.click:7"];
  }
  "src" [label="src :: FromDump", tooltip="router.click:2"];
  "c" [label="{c :: Classifier|{<o0> 0|<o1> 1}}", tooltip="router.click:3"];
  "sink" [label="{{<i0> 0|<i1> 1}|sink :: Queue}", tooltip="router.click:8"];
  "src" -> "c";
  "c":o0:s -> "rt/strip";
  "c":o1:s -> "@3/p";
  "rt/strip" -> "rt/inner/chk";
  "rt/inner/chk":o0:s -> "rt/inner/cnt";
  "rt/inner/chk":o1:s -> "sink":i1:n;
  "rt/inner/cnt" -> "sink":i0:n;
  "@3/p" -> "sink":i0:n;
}
"""


def test_clusters_nest_and_hold_their_members():
    text = to_dot(_router_graph())
    outer = _block(text, 'subgraph "cluster_rt" {')
    inner = _block(text, 'subgraph "cluster_rt/inner" {')
    anon = _block(text, 'subgraph "cluster_@3" {')
    assert inner in outer
    assert anon not in outer
    for name in ("rt/strip", "rt/inner/chk", "rt/inner/cnt"):
        assert f'"{name}" [' in outer
    for name in ("rt/inner/chk", "rt/inner/cnt"):
        assert f'"{name}" [' in inner
    assert '"rt/strip" [' not in inner
    assert '"@3/p" [' in anon
    top = text.replace(outer, "").replace(anon, "")
    for name in ("src", "c", "sink"):
        assert f'"{name}" [' in top


def test_every_element_and_edge_once():
    g = _router_graph()
    text = to_dot(g)
    for e in g.elements:
        assert text.count(f'"{e.name}" [label=') == 1
    edges = [line for line in text.splitlines() if " -> " in line]
    assert len(edges) == len(g.connections) == 8


def test_duplicate_connections_drawn_once_and_deterministic():
    g = Graph()
    a = g.add_element("a", "Idle", "", Coord("x.click", 1))
    b = g.add_element("b", "Discard", "", Coord("x.click", 1))
    g.connect(a, 0, b, 0)
    g.connect(a, 0, b, 0)
    text = to_dot(g)
    assert text.count('"a" -> "b";') == 1
    assert to_dot(g) == text


def test_escaping():
    g = Graph()
    weird = g.add_element('x"y', "A{b|c}<d>", "", Coord("C:\\dir\\", 4))
    tail = g.add_element("back\\", "Discard", "", Coord("f.click", 1))
    g.compounds['x"'] = ('K"', Coord("f.click", 1))
    g.connect(weird, 0, tail, 0)
    text = to_dot(g)
    assert '"x\\"y" [label="x\\"y :: A\\{b\\|c\\}\\<d\\>", tooltip="C:\\\\dir\\\\:4"];' in text
    assert '"back\\\\ " [label="back\\\\ :: Discard"' in text
    assert 'subgraph "cluster_x\\"" {' in text
    assert 'label="x\\" :: K\\"";' in text


def test_empty_graph():
    assert to_dot(Graph()).splitlines()[-1] == "}"


def test_render_rejects_bad_format():
    with pytest.raises(RuntimeError, match="bad Graphviz output format"):
        render("digraph {}", "svg -o /tmp/x")


def test_render_without_dot(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(RuntimeError, match="'dot' program is not installed"):
        render("digraph {}", "svg")


@needs_dot
def test_render_svg_is_xml():
    svg = render(to_dot(_router_graph()), "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert {"src", "c", "sink", "rt/inner/chk", "cluster_rt", "cluster_rt/inner"} <= titles


@needs_dot
def test_render_escaped_names():
    g = Graph()
    a = g.add_element('x"y', "A{b|c}<d>", "", Coord("C:\\dir\\", 4))
    b = g.add_element("back\\", "Discard", "", Coord("f.click", 1))
    g.connect(a, 0, b, 0)
    ET.fromstring(render(to_dot(g), "svg"))


@needs_dot
def test_render_error_is_runtime_error():
    with pytest.raises(RuntimeError, match="dot -Tsvg failed"):
        render("digraph { -> }", "svg")
