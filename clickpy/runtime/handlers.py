"""handlers -- read and write handlers: Click's control plane, by element and name."""
from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass

from clickpy.lang.confstring import from_bytes


class HandlerError(Exception):
    """A handler refused (bad value, no such handler); the message is for the user."""


@dataclass(slots=True)
class Handler:
    name: str
    read: Callable | None = None        # () -> value, or (param) -> value when read_param
    write: Callable | None = None       # (value_text) -> None
    read_param: bool = False            # read handler takes an argument
    button: bool = False                # write handler ignores its value (reset, stop)
    calm: bool = False                  # cheap, safe to call at any time (Click's f_calm)
    raw: bool = False                   # value is bytes/text as is, no trailing newline added

    def flags(self) -> str:
        """Click's letters in a handlers listing: r read, w write, + takes a
        parameter, % raw, . calm, b button."""
        return "".join(letter for letter, on in (
            ("r", self.read), ("w", self.write), ("+", self.read and self.read_param),
            ("%", self.raw), (".", self.calm), ("b", self.write and self.button)) if on)


def format_value(value) -> str:
    """Handler values print as Click prints them: text, one value per line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if value != int(value) or abs(value) >= 1e16 else str(int(value))
    if isinstance(value, (list, tuple)):
        return "\n".join(format_value(v) for v in value)
    if isinstance(value, bytes):
        return from_bytes(value)
    return str(value)


class HandlerTable:
    """All handlers of a router: per element (by element object) and global."""

    def __init__(self):
        self._by_element: dict[object, dict[str, Handler]] = {}
        self._global: dict[str, Handler] = {}

    def _table(self, element):
        if element is None:
            return self._global
        return self._by_element.setdefault(element, {})

    def add_read(self, element, name, reader, *, param=False, calm=False, raw=False):
        h = self._table(element).get(name) or Handler(name)
        h.read, h.read_param, h.raw = reader, param, raw
        h.calm = h.calm or calm
        self._table(element)[name] = h

    def add_write(self, element, name, writer, *, button=False, calm=False):
        h = self._table(element).get(name) or Handler(name)
        h.write, h.button = writer, button
        h.calm = h.calm or calm
        self._table(element)[name] = h

    def find(self, element, name) -> Handler | None:
        return self._table(element).get(name)

    def names(self, element) -> list[str]:
        """In registration order."""
        return list(self._table(element))

    def listing(self, element) -> str:
        """A ``handlers`` handler's text, as Click's: name, tab, flags, a line
        each; an element's newest first (Click keeps them in a list it
        prepends to), the router's in registration order."""
        names = self.names(element)
        if element is not None:
            names.reverse()
        return "".join(f"{n}\t{self._table(element)[n].flags()}\n" for n in names)

    def read(self, element, name, param: str | None = None) -> str:
        h = self.find(element, name)
        if h is None or h.read is None:
            raise HandlerError(f"no read handler '{name}'")
        value = h.read(param or "") if h.read_param else h.read()
        return format_value(value)

    def write(self, element, name, value: str = ""):
        h = self.find(element, name)
        if h is None or h.write is None:
            raise HandlerError(f"no write handler '{name}'")
        h.write(value)


def match_names(pattern: str, names: list[str]) -> list[str]:
    """Element names matching a glob (Click's -h accepts globs)."""
    return [n for n in names if fnmatch.fnmatchcase(n, pattern)]
