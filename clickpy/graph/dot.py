"""dot -- Graphviz output for a flat router graph, compounds drawn as clusters."""
from __future__ import annotations

import re
import shutil
import subprocess

from clickpy.graph.graph import Graph

__all__ = ["to_dot", "render"]

_FORMAT = re.compile(r"[A-Za-z0-9_:.]+")


def _escape(text: str, specials: str = "") -> str:
    """Backslash before ``"``, ``\\`` and each character of ``specials``.

    Inside a quoted dot string only ``\\"`` is unescaped; the other
    backslashes reach the label code, which reads ``\\\\`` as a backslash
    and (in a record) ``\\{`` as a plain brace.
    """
    return "".join("\\" + ch if ch in specials or ch in '"\\' else ch for ch in text)


def _wrap(escaped: str) -> str:
    """Double quotes around escaped text; a space keeps a final backslash
    from escaping the closing quote."""
    if escaped.endswith("\\"):
        escaped += " "
    return '"' + escaped + '"'


def _quote(text: str) -> str:
    """A dot ID or attribute value in double quotes."""
    return _wrap(_escape(text))


def _record_text(text: str) -> str:
    """One field of a record label, still to be wrapped: ``{ } | < >`` are
    record structure, so each is escaped too."""
    return _escape(text, "{}|<>")


def _ports_row(prefix: str, count: int) -> str:
    return "{" + "|".join(f"<{prefix}{i}> {i}" for i in range(count)) + "}"


def _owner(name: str, instances: dict) -> str | None:
    """The innermost compound instance whose members include ``name``:
    the longest ``a/b/...`` prefix of it that names an instance."""
    cut = name.rfind("/")
    while cut > 0:
        if name[:cut] in instances:
            return name[:cut]
        cut = name.rfind("/", 0, cut)
    return None


def to_dot(graph: Graph, name: str = "click") -> str:
    """Returns the graph as Graphviz dot text; the same graph gives the same text.

    Each element is a record labelled ``name :: Class``; an element that
    uses more than one input (or output) port gets a row of numbered port
    fields on top (or at the bottom), and edges attach to those fields, so
    every non-zero port is visible. Each compound instance in
    ``graph.compounds`` becomes a ``cluster_<instance>`` subgraph labelled
    ``instance :: Class``, nested as the instances are.
    """
    instances = graph.compounds
    parent = {inst: _owner(inst, instances) for inst in instances}
    children: dict[str | None, list[str]] = {}
    for inst in instances:
        children.setdefault(parent[inst], []).append(inst)
    members: dict[str | None, list[int]] = {}
    for i, elt in enumerate(graph.elements):
        members.setdefault(_owner(elt.name, instances), []).append(i)

    nin, nout = graph.nports_used()
    lines = [
        f"digraph {_quote(name)} {{",
        '  graph [fontname="Helvetica", fontsize=10];',
        '  node [shape=record, fontname="Helvetica", fontsize=10];',
        "  edge [arrowsize=0.7];",
    ]

    def emit_scope(scope: str | None, depth: int) -> None:
        pad = "  " * depth
        for inst in children.get(scope, ()):
            class_name = graph.compounds[inst][0]
            label = f"{inst} :: {class_name}" if class_name else inst
            lines.append(f"{pad}subgraph {_quote('cluster_' + inst)} {{")
            lines.append(f"{pad}  label={_quote(label)};")
            emit_scope(inst, depth + 1)
            lines.append(f"{pad}}}")
        for i in members.get(scope, ()):
            elt = graph.elements[i]
            text = _record_text(f"{elt.name} :: {elt.class_name}")
            fields = []
            if nin[i] > 1:
                fields.append(_ports_row("i", nin[i]))
            fields.append(text)
            if nout[i] > 1:
                fields.append(_ports_row("o", nout[i]))
            label = "{" + "|".join(fields) + "}" if len(fields) > 1 else text
            lines.append(f"{pad}{_quote(elt.name)} [label={_wrap(label)}, "
                         f"tooltip={_quote(str(elt.coord))}];")

    emit_scope(None, 1)

    for c in sorted(set(graph.connections)):
        tail = _quote(graph.elements[c.from_element].name)
        head = _quote(graph.elements[c.to_element].name)
        if nout[c.from_element] > 1:
            tail += f":o{c.from_port}:s"
        if nin[c.to_element] > 1:
            head += f":i{c.to_port}:n"
        lines.append(f"  {tail} -> {head};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(dot_text: str, fmt: str) -> bytes:
    """Runs Graphviz ``dot -T<fmt>`` on the text and returns its output.

    Raises RuntimeError when the ``dot`` program is not installed, when the
    format is not a plain format name, or when ``dot`` fails.
    """
    if not _FORMAT.fullmatch(fmt):
        raise RuntimeError(f"bad Graphviz output format {fmt!r}")
    program = shutil.which("dot")
    if program is None:
        raise RuntimeError("Graphviz 'dot' program is not installed "
                           "(install graphviz, or write dot text instead)")
    proc = subprocess.run([program, "-T" + fmt], input=dot_text.encode("utf-8"),
                          capture_output=True, check=False)
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"dot -T{fmt} failed: {msg or 'exit status ' + str(proc.returncode)}")
    return proc.stdout
