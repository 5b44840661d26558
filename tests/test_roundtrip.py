"""test_roundtrip -- random graphs and configurations: print, re-read, compare (hypothesis)."""
from hypothesis import given, settings
from hypothesis import strategies as st

from clickpy.errors import Coord
from clickpy.graph.graph import Graph
from clickpy.lang import read_config
from clickpy.lang.unparse import unparse

CLASSES = ["Counter", "Queue", "Paint", "Tee", "Discard", "Idle", "Print"]
is_class = set(CLASSES).__contains__

names = st.from_regex(r"[a-z][a-z0-9_]{0,6}(/[a-z][a-z0-9_@]{0,4}){0,2}", fullmatch=True)
configs = st.one_of(
    st.just(""),
    st.from_regex(r"[0-9]{1,4}", fullmatch=True),
    st.from_regex(r"[A-Z]{1,5} [0-9]{1,3}(, [a-z]{1,4})?", fullmatch=True),
    st.text(alphabet="abc ,=/*-", max_size=12).filter(lambda s: "//" not in s and "/*" not in s),
    st.from_regex(r"[a-z]{1,3}\([a-z, ]{0,6}\)", fullmatch=True),
    st.from_regex(r'"[a-z ,()]{0,8}"', fullmatch=True),
    st.from_regex(r"\\<[0-9a-f ]{0,8}>", fullmatch=True),
)


@st.composite
def graphs(draw):
    g = Graph()
    element_names = draw(st.lists(names, min_size=1, max_size=12, unique=True))
    # no name may be a prefix path of another (compound naming would clash)
    for n in element_names:
        g.add_element(n, draw(st.sampled_from(CLASSES)), draw(configs).strip(), Coord("g"))
    n = len(element_names)
    conns = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 3),
                                    st.integers(0, n - 1), st.integers(0, 3)), max_size=20))
    for c in conns:
        g.connect(*c)
    return g.finish()


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_unparse_then_read_gives_the_same_graph(g):
    text = unparse(g)
    again = read_config(text, "flat.click", is_class=is_class)
    assert again.same_as(g), text
    assert unparse(again) == text


chain_items = st.sampled_from(["Counter", "Queue(5)", "Paint(1)", "Null", "{ input -> Counter -> output }",
                               "MyQ", "MyQ(3)", "( input -> Paint(2) -> output )"])


@st.composite
def chained_configs(draw):
    lines = ["elementclass MyQ { input -> Queue -> output || $c | input -> Queue($c) -> output }"]
    for i in range(draw(st.integers(1, 6))):
        items = draw(st.lists(chain_items, min_size=1, max_size=5))
        lines.append(f"s{i} :: Idle -> " + " -> ".join(items) + f" -> d{i} :: Discard;")
    return "\n".join(lines)


@settings(max_examples=100, deadline=None)
@given(chained_configs())
def test_flattened_configuration_rereads_identically(text):
    classes = set(CLASSES) | {"Null"}
    g = read_config(text, "c.click", is_class=classes.__contains__)
    flat_text = unparse(g)
    again = read_config(flat_text, "flat.click", is_class=classes.__contains__)
    assert again.same_as(g)
    # every chain becomes a path of single connections from s_i to d_i
    assert len(g.connections) == sum(1 for e in g.elements if e.class_name != "Idle")
