"""test_processing -- processing codes, flow codes and push/pull resolution"""
import pytest

from clickpy.graph.graph import Connection
from clickpy.graph.processing import (
    AGNOSTIC,
    COMPLETE_FLOW,
    NO_FLOW,
    PULL,
    PUSH,
    Conflict,
    FlowCode,
    ProcessingCode,
    mode_name,
    resolve,
)

A, H, L = AGNOSTIC, PUSH, PULL


# --- processing codes ---

@pytest.mark.parametrize("code, nin, nout, ins, outs", [
    ("a/a", 2, 2, [A, A], [A, A]),
    ("h/l", 1, 3, [H], [L, L, L]),
    ("h/lh", 1, 3, [H], [L, H, H]),               # Queue: last letter repeats
    ("a/ah", 1, 2, [A], [A, H]),
    ("hl/hlh", 3, 4, [H, L, L], [H, L, H, H]),
    ("a", 2, 1, [A, A], [A]),                     # no slash: both sides
    ("h", 1, 1, [H], [H]),
    ("HL/lA", 2, 2, [H, L], [L, A]),              # either case
    ("hhhh/l", 1, 1, [H], [L]),                   # extra letters ignored
    ("l/h", 0, 0, [], []),
    ("/h", 2, 1, [A, A], [H]),                    # empty input side: agnostic
    ("l/", 2, 1, [L, L], [L]),                    # empty output side keeps the last input mode
    ("l/", 0, 2, [], [A, A]),
    ("", 1, 1, [A], [A]),
])
def test_processing_vectors(code, nin, nout, ins, outs):
    assert ProcessingCode.parse(code).vectors(nin, nout) == (ins, outs)


@pytest.mark.parametrize("code", ["x/h", "h/x", "h/l/h", "a b", "ah/h?", "push"])
def test_processing_errors(code):
    with pytest.raises(ValueError, match="^bad processing code$"):
        ProcessingCode.parse(code)


# --- flow codes ---

def flows_from_inputs(code, nin, nout):
    f = FlowCode.parse(code)
    return [f.travels(False, i, nin, nout) for i in range(nin)]


T, F = True, False


@pytest.mark.parametrize("code, nin, nout, matrix", [
    ("x/x", 2, 3, [[T, T, T], [T, T, T]]),
    ("x/y", 2, 2, [[F, F], [F, F]]),
    ("xy/x", 2, 2, [[T, T], [F, F]]),             # ARPQuerier
    ("xy/xxyx", 2, 4, [[T, T, F, T], [F, F, T, F]]),
    ("#/#", 3, 3, [[T, F, F], [F, T, F], [F, F, T]]),   # Suppressor
    ("#/[^#]", 3, 3, [[F, T, T], [T, F, T], [T, T, F]]),  # EtherSwitch
    ("xy/[xy]x", 2, 3, [[T, T, T], [T, F, F]]),   # Bypass
    ("##/##", 2, 2, [[T, F], [F, T]]),
    ("[x#]/x#", 2, 3, [[T, F, F], [T, T, F]]),
    ("[x#][x#][x#]/x######", 2, 3, [[T, F, F], [T, T, F]]),
    ("[^x]/x", 1, 1, [[F]]),
    ("[^x]/y", 1, 1, [[T]]),
    ("[^x]/[^y]", 1, 1, [[T]]),                   # two negated codes always meet
    ("[]/x", 1, 1, [[F]]),
    ("[^]/[]", 1, 1, [[F]]),
    ("[^]/#", 1, 2, [[T, T]]),
    ("[^#]/#", 2, 2, [[F, T], [T, F]]),
    ("x", 2, 2, [[T, T], [T, T]]),                # no slash: both sides
    ("Xx/x", 2, 1, [[F], [T]]),                   # letters are case-sensitive
])
def test_flow_inputs(code, nin, nout, matrix):
    assert flows_from_inputs(code, nin, nout) == matrix


def test_flow_from_outputs_and_range():
    f = FlowCode.parse("xy/xxyx")
    assert f.travels(True, 0, 2, 4) == [T, F]
    assert f.travels(True, 2, 2, 4) == [F, T]
    assert f.travels(False, 2, 2, 4) == [F, F, F, F]      # no such input
    assert f.travels(True, -1, 2, 4) == [F, F]
    assert COMPLETE_FLOW.travels(False, 0, 1, 2) == [T, T]
    assert NO_FLOW.travels(False, 0, 1, 2) == [F, F]


@pytest.mark.parametrize("code, text", [
    ("", "flow code: missing or bad '/'"),
    ("x/", "flow code: missing or bad '/'"),
    ("/x", "flow code: missing or bad '/'"),
    ("x//x", "flow code: missing or bad '/'"),
    ("x/y/z", "flow code: missing or bad '/'"),
    ("x3/x", "flow code: invalid character '3'"),
    ("x/[x-]", "flow code: invalid character '-'"),
    ("[x^]/x", "flow code: invalid character '^'"),
    ("[xy/x", "flow code: missing ']'"),
    ("x/]", "flow code: invalid character ']'"),
])
def test_flow_errors(code, text):
    with pytest.raises(ValueError) as info:
        FlowCode.parse(code)
    assert str(info.value) == text


# --- resolution, on vectors ---

def conn(*a):
    return Connection(*a)


def test_resolve_chain_around_queue():
    # 0 push source -> 1 agnostic -> 2 agnostic -> 3 Queue h/l -> 4 agnostic -> 5 pull sink
    ins = [[], [A], [A], [H], [A], [L]]
    outs = [[H], [A], [A], [L], [A], []]
    conns = [conn(0, 0, 1, 0), conn(1, 0, 2, 0), conn(2, 0, 3, 0),
             conn(3, 0, 4, 0), conn(4, 0, 5, 0)]
    res = resolve(ins, outs, conns, [COMPLETE_FLOW] * 6)
    assert res.conflicts == []
    assert res.inputs == [[], [H], [H], [H], [L], [L]]
    assert res.outputs == [[H], [H], [H], [L], [L], []]


def test_resolve_backwards_from_pull_sink():
    # agnostic chain learns pull from the end, against the connection order
    ins = [[], [A], [A], [L]]
    outs = [[A], [A], [A], []]
    conns = [conn(0, 0, 1, 0), conn(1, 0, 2, 0), conn(2, 0, 3, 0)]
    res = resolve(ins, outs, conns, [COMPLETE_FLOW] * 4)
    assert res.conflicts == []
    assert res.outputs == [[L], [L], [L], []]
    assert res.inputs == [[], [L], [L], [L]]


def test_resolve_leftover_agnostic_becomes_push():
    res = resolve([[A], [A]], [[A], [A]], [conn(0, 0, 1, 0)], [COMPLETE_FLOW] * 2)
    assert (res.inputs, res.outputs, res.conflicts) == ([[H], [H]], [[H], [H]], [])


def test_resolve_direct_conflicts():
    c1, c2 = conn(0, 0, 1, 0), conn(1, 0, 0, 0)
    res = resolve([[H], [L]], [[H], [L]], [c1, c2], [COMPLETE_FLOW] * 2)
    assert res.conflicts == [Conflict(c1, False, PUSH), Conflict(c2, False, PULL)]


def test_resolve_agnostic_mixed_context():
    # push into an agnostic element whose output feeds a pull input
    ins = [[], [A], [L]]
    outs = [[H], [A], []]
    res = resolve(ins, outs, [conn(0, 0, 1, 0), conn(1, 0, 2, 0)], [COMPLETE_FLOW] * 3)
    assert res.conflicts == [Conflict(conn(1, 0, 1, 0), True, PULL)]


def test_resolve_through_flow_code():
    # element 1 is "xy/x" with two agnostic inputs and one agnostic output;
    # only input 0 is tied to the output, so input 1 may differ
    ins = [[], [], [A, A], [L]]
    outs = [[H], [L], [A], []]
    conns = [conn(0, 0, 2, 0), conn(1, 0, 2, 1), conn(2, 0, 3, 0)]
    flows = [COMPLETE_FLOW, COMPLETE_FLOW, FlowCode.parse("xy/x"), COMPLETE_FLOW]
    res = resolve(ins, outs, conns, flows)
    assert res.conflicts == [Conflict(conn(2, 0, 2, 0), True, PULL)]
    assert res.inputs[2] == [H, L]

    # with "x/x" input 1 is tied too: pull there conflicts with push from input 0
    ins2 = [[], [], [A, A], [H]]
    outs2 = [[H], [L], [A], []]
    res = resolve(ins2, outs2, conns, [COMPLETE_FLOW] * 4)
    assert res.conflicts == [Conflict(conn(2, 0, 2, 1), True, PUSH)]


def test_conflict_messages():
    names = ["src :: Src", "q :: Queue", "x :: Null"].__getitem__
    assert Conflict(conn(0, 1, 1, 2), False, PUSH).message(names) == \
        "'src :: Src' push output 1 connected to 'q :: Queue' pull input 2"
    assert Conflict(conn(1, 0, 0, 0), False, PULL).message(names) == \
        "'q :: Queue' pull output 0 connected to 'src :: Src' push input 0"
    assert Conflict(conn(2, 1, 2, 0), True, PULL).message(names) == \
        "agnostic 'x :: Null' in mixed context: push input 0, pull output 1"
    assert Conflict(conn(2, 0, 2, 3), True, PUSH).message(names) == \
        "agnostic 'x :: Null' in mixed context: pull input 3, push output 0"


def test_mode_name():
    assert [mode_name(m) for m in (A, H, L)] == ["agnostic", "push", "pull"]
