"""check -- checks a flat graph's classes, ports and push/pull, reporting every error"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from clickpy.errors import ErrorHandler
from clickpy.graph.graph import Connection, Graph, GraphElement
from clickpy.graph.ports import PortCount
from clickpy.graph.processing import (
    COMPLETE_FLOW,
    NO_FLOW,
    PULL,
    PUSH,
    FlowCode,
    ProcessingCode,
    resolve,
)
from clickpy.graph.spec import ElementSpec

__all__ = ["CheckedGraph", "check_graph", "declaration"]


def declaration(element: GraphElement) -> str:
    """How messages name an element: ``name :: Class`` (Click's ``Element::declaration()``)."""
    return f"{element.name} :: {element.class_name}"


@dataclass
class CheckedGraph:
    """A graph with what the checks learned about each element and port.

    ``specs[i]`` is None for an element whose class is unknown. Port modes
    are PUSH or PULL. An element left out of the checks keeps the port
    counts its connections use (unknown class, bad port count) and push
    ports (those, or a bad processing code).
    """

    graph: Graph
    specs: list[ElementSpec | None]
    ninputs: list[int]
    noutputs: list[int]
    inputs: list[list[int]]                 # per element, per input port: PUSH or PULL
    outputs: list[list[int]]                # per element, per output port: PUSH or PULL
    connections: list[Connection] = field(default_factory=list)   # those to existing ports
    elements_ok: bool = False       # classes and port codes were fine (Click's
                                    # check_hookup_elements): later errors are the
                                    # router's initialization failing

    def input_push(self, i: int, port: int) -> bool:
        return self.inputs[i][port] == PUSH

    def output_push(self, i: int, port: int) -> bool:
        return self.outputs[i][port] == PUSH

    def input_pull(self, i: int, port: int) -> bool:
        return self.inputs[i][port] == PULL

    def output_pull(self, i: int, port: int) -> bool:
        return self.outputs[i][port] == PULL

    def connections_from(self, i: int, port: int | None = None) -> list[Connection]:
        """Connections leaving element ``i`` (at output ``port``, or any output)."""
        return [c for c in self.connections if c.from_element == i
                and (port is None or c.from_port == port)]

    def connections_to(self, i: int, port: int | None = None) -> list[Connection]:
        """Connections entering element ``i`` (at input ``port``, or any input)."""
        return [c for c in self.connections if c.to_element == i
                and (port is None or c.to_port == port)]


def check_graph(graph: Graph, lookup: Callable[[str], ElementSpec | None],
                errh: ErrorHandler) -> CheckedGraph:
    """Checks ``graph`` as Click's router does before configuring, reporting to ``errh``.

    In Click's order (``Router::initialize()``): unknown classes, port count
    codes, processing and flow codes; connections to ports that do not exist
    (``check_hookup_range``); push/pull conflicts (``check_push_and_pull``);
    reused push outputs and pull inputs, then unused ports
    (``check_hookup_completeness``). As in Click, a stage runs only when the
    ones before it found nothing: after "'x' has no input 1", port 0 of x is
    not also reported unused.
    """
    elements = graph.elements
    n = len(elements)
    conns = list(dict.fromkeys(graph.connections))      # duplicates are no error
    nin_used, nout_used = _used_counts(n, conns)
    specs = _lookup_specs(elements, lookup, errh)

    ninputs, noutputs, sized = _port_counts(elements, specs, nin_used, nout_used, errh)
    ins, outs, flows, typed = _declared_modes(elements, specs, sized, ninputs, noutputs, errh)
    checked = CheckedGraph(graph, specs, ninputs, noutputs, ins, outs, conns)
    start = errh.nerrors
    if errh.nerrors:                # Click's check_hookup_elements failed: stop here
        return checked
    checked.elements_ok = True

    # then, as Click's Router::initialize, each stage only if the last passed
    checked.connections = conns = _check_range(elements, conns, sized, ninputs, noutputs, errh)
    if errh.nerrors > start:
        return checked
    both_typed = [c for c in conns if typed[c.from_element] and typed[c.to_element]]
    res = resolve(ins, outs, both_typed, flows)
    for conflict in res.conflicts:
        # Click names no file and line here (check_push_and_pull)
        errh.error(None, conflict.message(lambda i: declaration(elements[i])))
    if errh.nerrors > start:
        return checked
    for i in range(n):
        if typed[i]:
            ins[i], outs[i] = res.inputs[i], res.outputs[i]

    _check_reuse(elements, both_typed, ins, outs, errh)
    _check_unused(elements, conns, sized, ninputs, noutputs, errh)
    return checked


def _used_counts(n: int, conns: list[Connection]) -> tuple[list[int], list[int]]:
    nin, nout = [0] * n, [0] * n
    for c in conns:
        nout[c.from_element] = max(nout[c.from_element], c.from_port + 1)
        nin[c.to_element] = max(nin[c.to_element], c.to_port + 1)
    return nin, nout


def _lookup_specs(elements, lookup, errh) -> list[ElementSpec | None]:
    # Click's lexer reports an unknown class once, where it is first used
    specs, reported = [], set()
    for e in elements:
        spec = lookup(e.class_name)
        if spec is None and e.class_name not in reported:
            reported.add(e.class_name)
            errh.error(e.coord, f"unknown element class '{e.class_name}'")
        specs.append(spec)
    return specs


def _port_counts(elements, specs, nin_used, nout_used, errh):
    # Element::notify_nports(); sized[i]: the element's port numbers can be checked
    n = len(elements)
    ninputs, noutputs, sized = list(nin_used), list(nout_used), [False] * n
    for i, spec in enumerate(specs):
        if spec is None:
            continue
        try:
            count = PortCount.parse(spec.port_count)
        except ValueError:
            errh.error(elements[i].coord, f"{declaration(elements[i])}: bad port count")
            continue
        ninputs[i], noutputs[i] = count.resolve(nin_used[i], nout_used[i])
        sized[i] = True
    return ninputs, noutputs, sized


def _declared_modes(elements, specs, sized, ninputs, noutputs, errh):
    # Element::processing_vector() and flow codes; typed[i]: the element
    # takes part in push/pull resolution
    n = len(elements)
    ins = [[PUSH] * ninputs[i] for i in range(n)]
    outs = [[PUSH] * noutputs[i] for i in range(n)]
    flows, typed = [COMPLETE_FLOW] * n, [False] * n
    for i, spec in enumerate(specs):
        if not sized[i]:
            continue
        try:
            ins[i], outs[i] = ProcessingCode.parse(spec.processing).vectors(ninputs[i], noutputs[i])
            typed[i] = True
        except ValueError as exc:
            errh.error(elements[i].coord, str(exc))
        try:
            flows[i] = FlowCode.parse(spec.flow_code)
        except ValueError as exc:
            errh.error(elements[i].coord, f"'{declaration(elements[i])}' {exc}")
            flows[i] = NO_FLOW
    return ins, outs, flows, typed


def _check_range(elements, conns, sized, ninputs, noutputs, errh) -> list[Connection]:
    # Router::check_hookup_range(): the input end first, then the output end;
    # a connection with a bad end is dropped
    kept = []
    for c in conns:
        ok = True
        if sized[c.to_element] and c.to_port >= ninputs[c.to_element]:
            e = elements[c.to_element]
            errh.error(e.coord, f"'{declaration(e)}' has no input {c.to_port}")
            ok = False
        if sized[c.from_element] and c.from_port >= noutputs[c.from_element]:
            e = elements[c.from_element]
            errh.error(e.coord, f"'{declaration(e)}' has no output {c.from_port}")
            ok = False
        if ok:
            kept.append(c)
    return kept


def _check_reuse(elements, conns, ins, outs, errh):
    # Router::check_hookup_completeness(): a pull input or push output may
    # have only one connection; each one more is an error. Inputs first.
    for is_output in (False, True):
        seen = set()
        for c in sorted(conns, key=lambda c: _end(c, is_output) + _end(c, not is_output)):
            i, port = _end(c, is_output)
            if (i, port) not in seen:
                seen.add((i, port))
                continue
            modes, kind = (outs, "push output") if is_output else (ins, "pull input")
            if modes[i][port] == (PUSH if is_output else PULL):
                e = elements[i]
                errh.error(e.coord, f"illegal reuse of '{declaration(e)}' {kind} {port}")


def _end(c: Connection, is_output: bool) -> tuple[int, int]:
    return (c.from_element, c.from_port) if is_output else (c.to_element, c.to_port)


def _check_unused(elements, conns, sized, ninputs, noutputs, errh):
    # every existing port must be connected: all inputs first, then all outputs
    for is_output, counts in ((False, ninputs), (True, noutputs)):
        used = {_end(c, is_output) for c in conns}
        kind = "output" if is_output else "input"
        for i, e in enumerate(elements):
            if not sized[i]:
                continue
            for port in range(counts[i]):
                if (i, port) not in used:
                    errh.error(e.coord, f"'{declaration(e)}' {kind} {port} unused")

