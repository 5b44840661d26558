"""scope -- element classes, compound bodies and variable environments."""
from __future__ import annotations

from dataclasses import dataclass, field

from clickpy.errors import Coord

PRIMITIVE, COMPOUND, TUNNEL, ERROR = "primitive", "compound", "tunnel", "error"


@dataclass(eq=False, slots=True)
class ElementClass:
    """What a class name means at one point of the file (Click's element type).

    A primitive names registered run-time code; a compound holds one body
    and, through ``overload``, the next candidate of an overloaded class
    (another compound, or the primitive an extension falls back to).
    """

    kind: str
    name: str
    body: Body | None = None
    overload: ElementClass | None = None


TUNNEL_CLASS = ElementClass(TUNNEL, "<tunnel>")


@dataclass(eq=False)
class Body:
    """The contents of one compound body, or of the whole file.

    Elements 0 and 1 of a compound body are its ``input`` and ``output``
    pseudo-elements. Names starting with ';' are anonymous until the body
    is finished (Click's convention, so they can be renumbered on clashes).
    """

    name: str                               # class name; "" for the file and anonymous compounds
    coord: Coord
    depth: int                              # 0 for the file
    formals: list[tuple[str, str]] = field(default_factory=list)   # (keyword or "", variable)
    defines: dict[str, str] = field(default_factory=dict)          # variables, formals first
    names: list[str] = field(default_factory=list)
    classes: list[ElementClass] = field(default_factory=list)
    configs: list[str] = field(default_factory=list)
    coords: list[Coord] = field(default_factory=list)
    element_map: dict[str, int] = field(default_factory=dict)
    connections: list[tuple[int, int, int, int]] = field(default_factory=list)
    nin: list[int] = field(default_factory=list)        # inputs used, per element
    nout: list[int] = field(default_factory=list)       # outputs used, per element
    anonymous_offset: int = 0
    ninputs: int = 0
    noutputs: int = 0

    def add_element(self, name: str, cls: ElementClass, config: str, coord: Coord) -> int:
        index = self.element_map.get(name)
        if index is not None:
            return index
        index = len(self.names)
        self.element_map[name] = index
        self.names.append(name)
        self.classes.append(cls)
        self.configs.append(config)
        self.coords.append(coord)
        self.nin.append(0)
        self.nout.append(0)
        return index

    def connect(self, from_idx: int, from_port: int, to_idx: int, to_port: int):
        from_port = max(from_port, 0)
        to_port = max(to_port, 0)
        self.connections.append((from_idx, from_port, to_idx, to_port))
        if self.nin[to_idx] <= to_port:
            self.nin[to_idx] = to_port + 1
        if self.nout[from_idx] <= from_port:
            self.nout[from_idx] = from_port + 1

    def anonymous_name(self, class_name: str) -> str:
        return f";{class_name}@{len(self.names) - self.anonymous_offset + 1}"

    def deanonymize(self, index: int) -> str:
        """Gives an anonymous element its final ``Class@N`` name, unique here."""
        name = self.names[index][1:]
        if name in self.element_map:
            prefix, _, number = name.rpartition("@")
            digits = ""
            for ch in number:
                if not ch.isdigit():
                    break
                digits += ch
            n = int(digits or 0)
            while True:
                n += 1
                name = f"{prefix}@{n}"
                if name not in self.element_map:
                    break
        self.element_map[name] = index
        self.names[index] = name
        return name

    def signature(self) -> str:
        types = ", ".join("<arg>" if not kw else "..." if kw == "__REST__" else kw
                          for kw, _ in self.formals)
        return signature(self.name, f"({types})" if self.formals else "", None,
                         self.ninputs, self.noutputs)


def signature(name: str, formals: str, nargs: int | None, ninputs: int, noutputs: int) -> str:
    """Click's compound signature, e.g. ``Q(<arg>)[1 input, 2 outputs]``."""
    parts = []
    if nargs:
        parts.append(f"{nargs} argument{'' if nargs == 1 else 's'}")
    parts.append(f"{ninputs} input{'' if ninputs == 1 else 's'}")
    parts.append(f"{noutputs} output{'' if noutputs == 1 else 's'}")
    return f"{name or '<anonymous>'}{formals}[{', '.join(parts)}]"


class Env:
    """Variables visible while expanding one compound instance.

    Lookups walk out through enclosing definitions (lexical scoping): a
    compound defined at depth d sees the variables of depths below d.
    """

    __slots__ = ("vars", "parent", "depth")

    def __init__(self, parent: Env | None = None, depth: int = 0):
        self.vars: dict[str, str] = {}
        self.parent = parent
        self.depth = depth

    def lookup(self, name: str) -> str | None:
        env = self
        while env is not None:
            value = env.vars.get(name)
            if value is not None:
                return value
            env = env.parent
        return None

    def parent_of(self, depth: int) -> Env | None:
        env = self
        while env is not None and env.depth >= depth:
            env = env.parent
        return env
