"""ports -- Click port count codes ("1/1-2", "-/=", "1-/=+") and how many ports an element gets"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["PortCount", "PortRange", "resolve_nports"]


@dataclass(frozen=True, slots=True)
class PortRange:
    """An allowed number of ports on one side: ``lo`` to ``hi``, ``hi=None`` for no limit."""

    lo: int
    hi: int | None

    def clamp(self, n: int) -> int:
        """``n`` moved into the range: raised to ``lo`` or lowered to ``hi``."""
        if n < self.lo:
            return self.lo
        if self.hi is not None and n > self.hi:
            return self.hi
        return n

    def __str__(self):
        if self.hi == self.lo:
            return str(self.lo)
        return f"{self.lo or ''}-{'' if self.hi is None else self.hi}"


_RANGE = re.compile(r"([0-9]*)(?:(-)([0-9]*))?")


def _parse_range(text: str, whole: str) -> PortRange:
    # N, N-M, N-, -M, -, or nothing (which means exactly 0), as Click's
    # notify_nports_pair() reads one side
    m = _RANGE.fullmatch(text)
    if m is None:
        raise ValueError(f"bad port count {whole!r}")
    head, dash, tail = m.groups()
    lo = int(head) if head else 0
    if not dash:
        return PortRange(lo, lo)
    hi = int(tail) if tail else None
    if hi is not None and hi < lo:
        raise ValueError(f"bad port count {whole!r}")
    return PortRange(lo, hi)


@dataclass(frozen=True, slots=True)
class PortCount:
    """A parsed port count code (Click's ``Element::port_count()``).

    Each side is ``N``, ``N-M``, ``N-`` (N or more), ``-M`` (at most M) or
    ``-`` (any number). A code without ``/`` gives both sides at once
    (``"1"`` is ``1/1``, ``""`` is ``0/0``); an empty output side means
    none (``"1/"``). The output side may instead be ``=`` (as many outputs
    as inputs) followed by ``+`` signs, each adding one more output
    (``"1-/=+"``: one more output than inputs). Click lets ``"3-1"`` and
    ``"1/=x"`` through; they are errors here.
    """

    code: str
    inputs: PortRange
    outputs: PortRange | None      # None when the output side is "=", "=+", ...
    extra_outputs: int = 0          # outputs beyond the input count, for "=+..."

    @classmethod
    def parse(cls, code: str) -> PortCount:
        """Parses ``code``; raises ValueError when it is malformed."""
        in_text, slash, out_text = code.partition("/")
        if not slash:
            out_text = in_text
        elif not in_text:
            # only an empty code means 0 inputs; "/1" is an error in Click
            raise ValueError(f"bad port count {code!r}")
        inputs = _parse_range(in_text, code)
        if out_text.startswith("="):
            pluses = out_text[1:]
            if pluses.strip("+"):
                raise ValueError(f"bad port count {code!r}")
            return cls(code, inputs, None, len(pluses))
        return cls(code, inputs, _parse_range(out_text, code))

    @property
    def equal(self) -> bool:
        """True when the output count follows the input count."""
        return self.outputs is None

    def resolve(self, ninputs_used: int, noutputs_used: int) -> tuple[int, int]:
        """The (ninputs, noutputs) an element gets, given the ports connections use.

        ``*_used`` is one more than the highest port connected on that side.
        Below the minimum the count rises to the minimum (the extra ports then
        show as unused); above the maximum it falls to the maximum (the
        connections beyond are to ports that do not exist). With ``=`` the
        outputs follow the resolved inputs, whatever outputs are used, as in
        Click's ``Element::notify_nports()``.
        """
        nin = self.inputs.clamp(ninputs_used)
        if self.outputs is None:
            return nin, nin + self.extra_outputs
        return nin, self.outputs.clamp(noutputs_used)

    def __str__(self):
        return self.code


def resolve_nports(code: str, ninputs_used: int, noutputs_used: int) -> tuple[int, int]:
    """``PortCount.parse(code).resolve(ninputs_used, noutputs_used)``."""
    return PortCount.parse(code).resolve(ninputs_used, noutputs_used)
