"""unparse -- prints a flat Graph back as Click configuration text."""
from __future__ import annotations

from clickpy.graph.graph import Graph


def unparse(graph: Graph) -> str:
    """Click text that reads back as the same graph: names, classes,
    configurations and connections preserved (Click's ``-o`` output)."""
    from clickpy.lang.confstring import quote

    out = []
    for kind, value in graph.requirements:
        out.append(f"require({kind});" if not value else f"require({kind} {quote(value)});")
    if out:
        out.append("")
    for e in graph.elements:
        config = f"({e.config})" if e.config else ""
        out.append(f"{e.name} :: {e.class_name}{config};")
    if graph.elements:
        out.append("")
    names = [e.name for e in graph.elements]
    for c in graph.connections:
        src = names[c.from_element] + (f" [{c.from_port}]" if c.from_port else "")
        dst = (f"[{c.to_port}] " if c.to_port else "") + names[c.to_element]
        out.append(f"{src} -> {dst};")
    return "\n".join(out) + "\n"
