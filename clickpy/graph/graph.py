"""graph -- the flat router graph: named elements and port-to-port connections."""
from __future__ import annotations

from dataclasses import dataclass, field

from clickpy.errors import Coord


@dataclass(slots=True)
class GraphElement:
    name: str           # full name after flattening, e.g. "rt/lookup" or "Counter@2"
    class_name: str     # primitive element class
    config: str         # configuration string, variables already expanded
    coord: Coord        # where it was declared


@dataclass(frozen=True, slots=True, order=True)
class Connection:
    from_element: int
    from_port: int
    to_element: int
    to_port: int


@dataclass
class Graph:
    """A flat configuration: no compounds, no tunnels, no variables left."""

    elements: list[GraphElement] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)
    requirements: list[tuple[str, str]] = field(default_factory=list)   # ("package", "x")
    compounds: dict[str, tuple[str, Coord]] = field(default_factory=dict)  # instance -> class
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def add_element(self, name: str, class_name: str, config: str, coord: Coord) -> int:
        if name in self._index:
            raise ValueError(f"element {name!r} already in graph")
        self._index[name] = len(self.elements)
        self.elements.append(GraphElement(name, class_name, config, coord))
        return len(self.elements) - 1

    def connect(self, from_element: int, from_port: int, to_element: int, to_port: int):
        self.connections.append(Connection(from_element, from_port, to_element, to_port))

    def finish(self):
        """Drops duplicate connections and sorts them, as Click's router does."""
        self.connections = sorted(set(self.connections))
        return self

    def index(self, name: str) -> int | None:
        return self._index.get(name)

    def element(self, name: str) -> GraphElement:
        return self.elements[self._index[name]]

    def nports_used(self) -> tuple[list[int], list[int]]:
        """Per element, one more than the highest input and output port used."""
        nin = [0] * len(self.elements)
        nout = [0] * len(self.elements)
        for c in self.connections:
            nout[c.from_element] = max(nout[c.from_element], c.from_port + 1)
            nin[c.to_element] = max(nin[c.to_element], c.to_port + 1)
        return nin, nout

    def same_as(self, other: Graph) -> bool:
        """Same elements (name, class, config) and same connections by name."""
        def key(g):
            elems = {(e.name, e.class_name, e.config) for e in g.elements}
            conns = {(g.elements[c.from_element].name, c.from_port,
                      g.elements[c.to_element].name, c.to_port) for c in g.connections}
            return elems, conns, sorted(g.requirements)
        return key(self) == key(other)
