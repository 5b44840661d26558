"""test_check -- graph checks: classes, port ranges, push/pull, reuse and unused ports"""
import pytest

from clickpy.errors import Coord, ErrorHandler
from clickpy.graph.check import check_graph, declaration
from clickpy.graph.graph import Connection, Graph
from clickpy.graph.processing import PULL, PUSH
from clickpy.graph.spec import ElementSpec

SPECS = {s.name: s for s in [
    ElementSpec("Src", "0/1", "h/h"),               # push source
    ElementSpec("PullSrc", "0/1", "l/l"),           # pull source (a Queue's output side)
    ElementSpec("Null", "1/1", "a/a"),
    ElementSpec("Discard", "1/0", "a/a"),
    ElementSpec("PushSink", "1/0", "h/h"),
    ElementSpec("Sink", "1/0", "l/l"),              # pulls, like ToDevice
    ElementSpec("Queue", "1/1-2", "h/lh"),
    ElementSpec("Tee", "1/-", "h/h"),
    ElementSpec("Any", "-/-", "a/a"),
    ElementSpec("Same", "1-/=", "a/a"),
    ElementSpec("Merge", "2/1", "a/a", "xy/x"),     # only input 0 flows to the output
    ElementSpec("Both", "2/1", "a/a"),
    ElementSpec("Switch", "-/-", "a/a", "#/#"),
    ElementSpec("BadCount", "1/x"),
    ElementSpec("BadProc", "1/1", "a/q"),
    ElementSpec("BadFlow", "1/1", "a/a", "x3/x"),
]}

FILE = "t.click"


def build(decls, conns):
    """decls: "name :: Class" strings, declared on lines 1, 2, ...; conns: (a, p, b, q) names."""
    g = Graph()
    for line, d in enumerate(decls, 1):
        name, cls = (s.strip() for s in d.split("::"))
        g.add_element(name, cls, "", Coord(FILE, line))
    for a, p, b, q in conns:
        g.connect(g.index(a), p, g.index(b), q)
    return g.finish()


def check(decls, conns):
    errh = ErrorHandler()
    cg = check_graph(build(decls, conns), SPECS.get, errh)
    return cg, errh.formatted()


def chain(*names):
    return [(a, 0, b, 0) for a, b in zip(names[:-1], names[1:], strict=True)]


# --- clean graphs and resolution ---

def test_chain_around_queue():
    decls = ["s :: Src", "a :: Null", "b :: Null", "q :: Queue", "c :: Null", "k :: Sink"]
    cg, msgs = check(decls, chain("s", "a", "b", "q", "c", "k"))
    assert msgs == []
    i = cg.graph.index
    assert cg.output_push(i("a"), 0) and cg.input_push(i("a"), 0)
    assert cg.output_push(i("b"), 0) and cg.input_push(i("b"), 0)
    assert cg.input_push(i("q"), 0) and cg.output_pull(i("q"), 0)
    assert cg.input_pull(i("c"), 0) and cg.output_pull(i("c"), 0)
    assert cg.input_pull(i("k"), 0)
    assert cg.inputs[i("c")] == [PULL] and cg.outputs[i("b")] == [PUSH]
    assert (cg.ninputs[i("q")], cg.noutputs[i("q")]) == (1, 1)
    assert cg.specs[i("q")] is SPECS["Queue"]


def test_pull_learned_against_connection_order():
    # connections are sorted by source index, so pull must travel backwards
    decls = ["k :: Sink", "c :: Null", "b :: Null", "p :: PullSrc"]
    cg, msgs = check(decls, chain("p", "b", "c", "k"))
    assert msgs == []
    assert all(cg.input_pull(cg.graph.index(n), 0) for n in "bck")


def test_unconnected_agnostic_defaults_to_push():
    cg, msgs = check(["a :: Any", "b :: Any"], [("a", 0, "b", 0)])
    assert msgs == []
    assert cg.output_push(0, 0) and cg.input_push(1, 0)


def test_flow_code_keeps_inputs_apart():
    # Merge is "xy/x": input 1 is not tied to the output, so it may be pull
    decls = ["s :: Src", "p :: PullSrc", "m :: Merge", "d :: PushSink"]
    cg, msgs = check(decls, [("s", 0, "m", 0), ("p", 0, "m", 1), ("m", 0, "d", 0)])
    assert msgs == []
    assert cg.input_push(2, 0) and cg.input_pull(2, 1) and cg.output_push(2, 0)


def test_flow_code_ties_both_inputs():
    decls = ["s :: Src", "p :: PullSrc", "m :: Both", "d :: PushSink"]
    _, msgs = check(decls, [("s", 0, "m", 0), ("p", 0, "m", 1), ("m", 0, "d", 0)])
    assert msgs == ["agnostic 'm :: Both' in mixed context: pull input 1, push output 0"]


def test_hash_flow_per_port():
    # Switch is "#/#": port K to port K only, so two paths resolve independently
    decls = ["s :: Src", "p :: PullSrc", "w :: Switch", "d :: PushSink", "k :: Sink"]
    conns = [("s", 0, "w", 0), ("p", 0, "w", 1), ("w", 0, "d", 0), ("w", 1, "k", 0)]
    cg, msgs = check(decls, conns)
    assert msgs == []
    assert cg.inputs[2] == [PUSH, PULL] and cg.outputs[2] == [PUSH, PULL]


def test_duplicate_connections_are_no_error():
    g = build(["s :: Src", "d :: PushSink"], [("s", 0, "d", 0)])
    g.connect(0, 0, 1, 0)       # a duplicate, not removed by finish()
    errh = ErrorHandler()
    cg = check_graph(g, SPECS.get, errh)
    assert errh.nerrors == 0 and cg.connections == [Connection(0, 0, 1, 0)]


def test_connection_helpers():
    decls = ["s :: Src", "t :: Tee", "a :: PushSink", "b :: PushSink"]
    cg, msgs = check(decls, [("s", 0, "t", 0), ("t", 0, "a", 0), ("t", 1, "b", 0)])
    assert msgs == []
    assert cg.connections_from(1) == [Connection(1, 0, 2, 0), Connection(1, 1, 3, 0)]
    assert cg.connections_from(1, 1) == [Connection(1, 1, 3, 0)]
    assert cg.connections_to(1, 0) == [Connection(0, 0, 1, 0)]
    assert cg.connections_to(0) == []
    assert declaration(cg.graph.elements[1]) == "t :: Tee"


# --- port counts ---

@pytest.mark.parametrize("decls, conns, nports", [
    (["s :: Src", "a :: Discard", "t :: Tee", "b :: Discard", "c :: Discard"],
     [("s", 0, "t", 0), ("t", 0, "a", 0), ("t", 1, "b", 0), ("t", 2, "c", 0)], (1, 3)),
    (["s :: Src", "p :: Src", "m :: Same", "a :: Discard", "b :: Discard"],
     [("s", 0, "m", 0), ("p", 0, "m", 1), ("m", 0, "a", 0), ("m", 1, "b", 0)], (2, 2)),
])
def test_variable_port_counts(decls, conns, nports):
    cg, msgs = check(decls, conns)
    assert msgs == []
    assert (cg.ninputs[2], cg.noutputs[2]) == nports


def test_has_no_input_and_output():
    decls = ["s :: Src", "d :: Discard", "n :: Null"]
    cg, msgs = check(decls, [("s", 0, "d", 1), ("s", 0, "n", 0), ("n", 2, "d", 0)])
    assert msgs == [
        f"{FILE}:2: 'd :: Discard' has no input 1",
        f"{FILE}:3: 'n :: Null' has no output 2",
    ]                           # as Click: no unused-port errors after range errors
    # the bad connections are dropped
    assert cg.connections == [Connection(0, 0, 2, 0)]


def test_both_ends_out_of_range():
    _, msgs = check(["a :: Null", "b :: Null"], [("a", 1, "b", 1)])
    assert msgs[:2] == [f"{FILE}:2: 'b :: Null' has no input 1",
                        f"{FILE}:1: 'a :: Null' has no output 1"]


def test_same_outputs_follow_inputs():
    decls = ["s :: Src", "m :: Same", "a :: PushSink", "b :: PushSink", "c :: PushSink"]
    conns = [("s", 0, "m", 0), ("m", 0, "a", 0), ("m", 1, "b", 0), ("m", 2, "c", 0)]
    _, msgs = check(decls, conns)
    assert msgs == [
        f"{FILE}:2: 'm :: Same' has no output 1",
        f"{FILE}:2: 'm :: Same' has no output 2",
    ]


def test_unused_ports():
    # Queue gets one output although none is used; inputs are reported before outputs
    decls = ["q :: Queue", "n :: Null", "d :: Discard"]
    cg, msgs = check(decls, [("n", 0, "d", 0)])
    assert msgs == [
        f"{FILE}:1: 'q :: Queue' input 0 unused",
        f"{FILE}:2: 'n :: Null' input 0 unused",
        f"{FILE}:1: 'q :: Queue' output 0 unused",
    ]
    assert (cg.ninputs[0], cg.noutputs[0]) == (1, 1)


# --- push and pull ---

def test_push_output_to_pull_input():
    _, msgs = check(["s :: Src", "k :: Sink"], [("s", 0, "k", 0)])
    assert msgs == ["'s :: Src' push output 0 connected to 'k :: Sink' pull input 0"]


def test_pull_output_to_push_input():
    decls = ["s :: Src", "q :: Queue", "d :: PushSink", "e :: PushSink"]
    _, msgs = check(decls, [("s", 0, "q", 0), ("q", 0, "d", 0), ("q", 1, "e", 0)])
    assert msgs == [
        "'q :: Queue' pull output 0 connected to 'd :: PushSink' push input 0"]


def test_agnostic_in_mixed_context():
    _, msgs = check(["s :: Src", "n :: Null", "k :: Sink"], chain("s", "n", "k"))
    assert msgs == ["agnostic 'n :: Null' in mixed context: "
                    "push input 0, pull output 0"]


def test_push_output_reused():
    decls = ["s :: Src", "a :: PushSink", "b :: PushSink", "c :: PushSink"]
    _, msgs = check(decls, [("s", 0, "a", 0), ("s", 0, "b", 0), ("s", 0, "c", 0)])
    assert msgs == [f"{FILE}:1: illegal reuse of 's :: Src' push output 0"] * 2


def test_agnostic_output_resolved_push_reused():
    # an agnostic output with no pull neighbour becomes push: one connection only
    _, msgs = check(["s :: Src", "n :: Null", "a :: Discard", "b :: Discard"],
                    [("s", 0, "n", 0), ("n", 0, "a", 0), ("n", 0, "b", 0)])
    assert msgs == [f"{FILE}:2: illegal reuse of 'n :: Null' push output 0"]


def test_pull_input_reused_and_push_input_shared():
    decls = ["p :: PullSrc", "r :: PullSrc", "k :: Sink", "s :: Src", "t :: Src", "d :: PushSink"]
    conns = [("p", 0, "k", 0), ("r", 0, "k", 0), ("s", 0, "d", 0), ("t", 0, "d", 0)]
    _, msgs = check(decls, conns)
    # a pull output and a push input may be connected many times
    assert msgs == [f"{FILE}:3: illegal reuse of 'k :: Sink' pull input 0"]


# --- bad classes and codes ---

def test_unknown_class_once_and_skipped():
    decls = ["s :: Src", "x :: Mystery", "y :: Mystery", "d :: PushSink"]
    cg, msgs = check(decls, [("s", 0, "x", 3), ("y", 5, "d", 0)])
    assert msgs == [f"{FILE}:2: unknown element class 'Mystery'"]
    assert cg.specs[1] is None and (cg.ninputs[1], cg.noutputs[1]) == (4, 0)


def test_bad_codes():
    decls = ["s :: Src", "b :: BadCount", "p :: BadProc", "f :: BadFlow", "d :: PushSink"]
    _, msgs = check(decls, chain("s", "b") + [("s", 0, "p", 0)] + chain("p", "f", "d"))
    assert msgs == [
        f"{FILE}:2: b :: BadCount: bad port count",
        f"{FILE}:3: bad processing code",
        f"{FILE}:4: 'f :: BadFlow' flow code: invalid character '3'",
    ]   # s output 0 has two connections, but both lead to elements left unchecked


def test_stages_stop_at_the_first_that_fails():
    """As Click's Router::initialize: unknown classes end the checks; then
    port ranges; then push/pull; only then reuse and unused ports."""
    decls = [
        "s :: Src",         # 1
        "k :: Sink",        # 2
        "n :: Null",        # 3
        "u :: Nope",        # 4
        "q :: Queue",       # 5
        "d :: Discard",     # 6
    ]
    conns = [("s", 0, "k", 0), ("s", 0, "n", 0), ("n", 1, "d", 0), ("u", 0, "q", 0),
             ("q", 0, "d", 0), ("q", 0, "d", 0)]
    errh = ErrorHandler()
    check_graph(build(decls, conns), SPECS.get, errh)
    assert errh.formatted() == [f"{FILE}:4: unknown element class 'Nope'"]
    decls[3] = "u :: Null"
    errh = ErrorHandler()
    check_graph(build(decls, conns), SPECS.get, errh)
    assert errh.formatted() == [f"{FILE}:3: 'n :: Null' has no output 1"]
    conns[2] = ("n", 0, "d", 0)
    errh = ErrorHandler()
    check_graph(build(decls, conns), SPECS.get, errh)
    # push/pull conflicts name no place, as Click's do
    assert errh.formatted() == ["'s :: Src' push output 0 connected to 'k :: Sink' pull input 0",
                                "'n :: Null' push output 0 connected to 'd :: Discard' pull input 0"]
    errh = ErrorHandler()
    check_graph(build(["s :: Src", "n :: Null", "d :: Discard"],
                      [("s", 0, "n", 0), ("s", 0, "d", 0)]), SPECS.get, errh)
    assert errh.formatted() == [f"{FILE}:1: illegal reuse of 's :: Src' push output 0",
                                f"{FILE}:2: 'n :: Null' output 0 unused"]


def test_many_messages_of_one_kind_are_counted_not_all_printed():
    """Idle -> [1000000] Hub printed two million lines; now ten of each kind,
    then one line with the count of the rest."""
    errh = ErrorHandler()
    for port in range(1000):
        errh.error(Coord("t.click", 1), f"'s :: Hub' input {port} unused")
    errh.error(Coord("t.click", 2), "'d :: Discard' input 0 unused")
    lines = errh.formatted()
    assert lines == [f"t.click:1: 's :: Hub' input {p} unused" for p in range(10)] + [
        "t.click:1: ... and 990 more like the line above",
        "t.click:2: 'd :: Discard' input 0 unused"]
    assert errh.nerrors == 1001
