"""unparse -- prints a flat Graph back as Click configuration text, in Click's own layout."""
from __future__ import annotations

from clickpy.graph.graph import Graph


def unparse(graph: Graph) -> str:
    """Click text that reads back as the same graph: names, classes,
    configurations and connections preserved, laid out as Click's
    ``flatconfig`` handler and ``-o`` write it (Router::unparse): one
    require(), the declarations, then connections joined into chains."""
    from clickpy.lang.confstring import quote

    out = []
    if graph.requirements:
        reqs = ", ".join(kind + (f" {quote(value)}" if value else "")
                         for kind, value in graph.requirements)
        out.append(f"require({reqs});\n\n")
    for e in graph.elements:
        config = f"({e.config})" if e.config else ""
        out.append(f"{e.name} :: {e.class_name}{config};\n")
    if graph.elements:
        out.append("\n")
    out.extend(_connection_chains(graph))
    return "".join(out)


def _connection_chains(graph: Graph) -> list[str]:
    """Connections as Click prints them (Router::unparse_connections): in
    Click's order (by destination, then source), a connection into input 0
    continues with one leaving output 0 of the same element, so a pipeline
    prints as one ``a -> b -> c;`` chain; cycles are broken where they start."""
    names = [e.name for e in graph.elements]
    conns = sorted(graph.connections,
                   key=lambda c: (c.to_element, c.to_port, c.from_element, c.from_port))
    leaving = {}                            # (element, output) -> connection indexes
    for d, c in enumerate(conns):
        leaving.setdefault((c.from_element, c.from_port), []).append(d)
    following = [-1] * len(conns)
    starts = [True] * len(conns)
    for ci, c in enumerate(conns):
        if c.to_port != 0:
            continue
        # the first one into another input 0, else the last one (as Click's loop)
        found = -1
        for d in leaving.get((c.to_element, 0), ()):
            if d != ci:
                found = d
                if conns[d].to_port == 0:
                    break
        if found >= 0:
            following[ci] = found
            starts[found] = False
    used = [False] * len(conns)
    lines = []
    while True:
        for ci, c in enumerate(conns):
            if used[ci] or not starts[ci]:
                continue
            text = names[c.from_element] + (f" [{c.from_port}]" if c.from_port else "")
            d = ci
            while d >= 0 and not used[d]:
                text += " -> " if d == ci else "\n    -> "
                to = conns[d]
                text += (f"[{to.to_port}] " if to.to_port else "") + names[to.to_element]
                used[d] = True
                d = following[d]
            lines.append(text + ";\n")
        # what is left lies on cycles: start a chain at the first unused one
        rest = next((ci for ci in range(len(conns)) if not used[ci]), None)
        if rest is None:
            return lines
        starts[rest] = True
