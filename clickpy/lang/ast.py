"""ast -- syntax tree of a Click configuration, exactly as written."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Ports:
    """A bracketed port list: ``[1]``, ``[0, 2]``, ``[0-2]``, ``[1, ]``.

    ``expandable`` marks a list ending in a comma (or ``[]``): the last
    port may grow to match the other side of a ``=>`` connection.
    """

    ports: list[int]
    expandable: bool = False


@dataclass(slots=True)
class ElementRef:
    """One element in a connection or declaration.

    ``kind`` is "name" (an identifier: element or class), "compound" (an
    inline ``{ ... }`` class), "group" (``( ... )``) or "implicit" (the
    ``input``/``output`` a nested connection leaves out).
    """

    kind: str
    name: str
    offset: int
    decl_class: ClassRef | None = None      # ':: Class'
    config: str | None = None               # None when no parentheses
    inports: Ports | None = None
    outports: Ports | None = None
    compound: CompoundDef | None = None     # kind == "compound"
    group: list = field(default_factory=list)   # kind == "group": statements
    group_end: int = 0                      # offset of the closing ')'


@dataclass(slots=True)
class ClassRef:
    name: str | None                        # identifier, or None for an inline compound
    offset: int
    compound: CompoundDef | None = None


@dataclass(slots=True)
class Connection:
    """``set connector set ...``; a set is a comma-separated element list."""

    sets: list[list[ElementRef]]
    connectors: list[str]                   # "->" or "=>", one between each pair of sets
    offset: int


@dataclass(slots=True)
class CompoundBody:
    formals: list[tuple[str, str, int]]     # (keyword or "", variable name, offset)
    statements: list
    offset: int                             # the '{' (or '||') that starts it
    end: int                                # the '}' or '||' that ends it


@dataclass(slots=True)
class CompoundDef:
    name: str                               # "" for an anonymous compound
    bodies: list[CompoundBody]              # overloads, first first
    extends: bool                           # ended by '...': falls back to the old class
    offset: int


@dataclass(slots=True)
class ElementClassStmt:
    name: str
    offset: int
    synonym: ClassRef | None = None         # elementclass A B;
    compound: CompoundDef | None = None     # elementclass A { ... }


@dataclass(slots=True)
class DefineStmt:
    items: list[tuple[str, str]]            # ($name without '$', value text)
    offset: int


@dataclass(slots=True)
class RequireStmt:
    items: list[tuple[str, str]]            # (type, value): package/library/compact_config
    offset: int
    provide: bool = False
