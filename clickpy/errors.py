"""errors -- places in configuration text and Click-style error reporting (``file:line: message``).

The bottom layer: the front end, the graph checks, the runtime and the
commands all report through these, so they import nothing from clickpy.
"""
from __future__ import annotations

import os
import re
import sys
import traceback
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Coord:
    """A file and line (Click's "landmark"); prints as ``file:line``."""

    file: str
    line: int = 0

    def __str__(self):
        return f"{self.file}:{self.line}" if self.line else self.file


NO_COORD = Coord("<unknown>")


class ClickError(Exception):
    """A user mistake, printed as ``file:line: message`` with no traceback.

    ``messages`` holds every message collected before giving up, each
    already formatted; ``str()`` joins them.
    """

    def __init__(self, msg: str, coord: Coord | None = None, messages: list[str] | None = None):
        self.msg = msg
        self.coord = coord
        # the graph parsed but the router's checks failed: Click's driver then
        # adds "Router could not be initialized!" (not after syntax errors)
        self.initializing = False
        self.messages = messages if messages is not None else [_format(coord, msg)]
        super().__init__("\n".join(self.messages))

    @property
    def file(self):
        return self.coord.file if self.coord else None

    @property
    def line(self):
        return self.coord.line if self.coord else None


def _format(coord: Coord | None, msg: str, prefix: str = "") -> str:
    lines = msg.split("\n")
    head = f"{coord}: " if coord else ""
    # continuation lines keep the landmark, as Click's ErrorHandler does
    return "\n".join(f"{head}{prefix}{line}" for line in lines)


@dataclass(slots=True)
class Message:
    level: str          # "error", "warning" or "message"
    coord: Coord | None
    text: str

    def __str__(self):
        prefix = "warning: " if self.level == "warning" else ""
        return _format(self.coord, self.text, prefix)


_DIGITS = re.compile(r"\d+")


class ErrorHandler:
    """Collects errors and warnings so a pass reports them all, then stops.

    Semantic checks call ``error``/``warning``; the driver prints
    ``messages`` and calls ``raise_if_errors`` (Click's ErrorHandler and
    LandmarkErrorHandler in one small class).
    """

    # messages that differ only in their numbers (port 7, port 8, ...) are one
    # kind: past this many, the rest are counted in one line, not printed
    # (a million unused ports must not print a million lines)
    SAME_KIND_SHOWN = 10

    def __init__(self, stream=None):
        self.messages: list[Message] = []
        self.nerrors = 0
        self.nwarnings = 0
        self.stream = stream        # when set, messages are also printed as they come
        self._kinds: dict[tuple, int] = {}          # (level, coord, text shape) -> count
        self._more: dict[tuple, Message] = {}       # the "N more" line of each kind

    def _add(self, level, coord, text):
        kind = (level, coord, _DIGITS.sub("#", text))
        n = self._kinds[kind] = self._kinds.get(kind, 0) + 1
        if n > self.SAME_KIND_SHOWN:
            more = self._more.get(kind)
            if more is None:
                more = self._more[kind] = Message("message", coord, "")
                self.messages.append(more)
            more.text = (f"... and {n - self.SAME_KIND_SHOWN} more like the line above")
            return more
        m = Message(level, coord, text)
        self.messages.append(m)
        if self.stream is not None:
            print(m, file=self.stream)
        return m

    def error(self, coord: Coord | None, text: str):
        self.nerrors += 1
        self._add("error", coord, text)
        return -1

    def warning(self, coord: Coord | None, text: str):
        self.nwarnings += 1
        self._add("warning", coord, text)

    def message(self, coord: Coord | None, text: str):
        self._add("message", coord, text)

    def formatted(self) -> list[str]:
        return [str(m) for m in self.messages]

    def errors_since(self, mark: int) -> bool:
        return self.nerrors > mark

    def raise_if_errors(self, summary: str | None = None):
        """Raises one ClickError carrying every message so far."""
        if not self.nerrors:
            return
        msgs = self.formatted()
        if summary:
            msgs.append(summary)
        first = next(m for m in self.messages if m.level == "error")
        raise ClickError(first.text, first.coord, msgs)

    def print_all(self, stream=None):
        for m in self.messages:
            print(m, file=stream or sys.stderr)


def debug_enabled() -> bool:
    """``clickpy --debug`` or CLICKPY_DEBUG=1: show tracebacks of element and handler errors."""
    return bool(os.environ.get("CLICKPY_DEBUG"))


def error_text(err: BaseException, expected: tuple = ()) -> str:
    """What a user reads about an exception from element or handler code.

    ValueError and OSError (and the ``expected`` types) are the ways code
    reports a user's mistake: their message alone. Anything else is a bug
    in that code: its type goes first. The traceback is printed to stderr
    only when debugging is on.
    """
    if debug_enabled():
        traceback.print_exception(err, file=sys.stderr)
    if isinstance(err, (ValueError, OSError, *expected)):
        text = str(err) or type(err).__name__
    else:
        text = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
    return text


def printable_bytes(data: bytes) -> bytes:
    """Message text made safe for one line (Click's String::printable):
    bytes below 32 become ``^X``, bytes from 127 up octal ``\\ooo``."""
    if all(32 <= c < 127 for c in data):
        return data
    out = bytearray()
    for c in data:
        if 32 <= c < 127:
            out.append(c)
        elif c < 32:
            out += b"^" + bytes((c + 64,))
        else:
            out += b"\\%03o" % c
    return bytes(out)


def printable(text: str) -> str:
    """``printable_bytes`` of the bytes text stands for (files are read as
    UTF-8 with surrogateescape): a NUL shows as ^@, a stray byte 0xff as
    \\377, as Click's %#s prints them."""
    return printable_bytes(text.encode("utf-8", "surrogateescape")).decode("ascii")
