"""processing -- processing codes, flow codes, and push/pull resolution of agnostic ports"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from clickpy.graph.graph import Connection

__all__ = ["AGNOSTIC", "PUSH", "PULL", "COMPLETE_FLOW", "NO_FLOW", "ProcessingCode",
           "FlowCode", "Conflict", "Resolution", "resolve", "mode_name"]

# a port's mode, numbered as Click's Element::VAGNOSTIC, VPUSH, VPULL
AGNOSTIC, PUSH, PULL = 0, 1, 2

_MODES = {"a": AGNOSTIC, "h": PUSH, "l": PULL}


def mode_name(mode: int) -> str:
    return ("agnostic", "push", "pull")[mode]


def _pick(side: tuple, i: int):
    # the last code stands for every port after it
    return side[min(i, len(side) - 1)]


@dataclass(frozen=True, slots=True)
class ProcessingCode:
    """A parsed processing code (Click's ``Element::processing()``).

    One letter a port, ``h`` push, ``l`` pull, ``a`` agnostic (either case),
    inputs then ``/`` then outputs; the last letter of a side stands for all
    later ports and extra letters are ignored. Without ``/`` the one side
    serves for both (``"a"`` is ``a/a``).
    """

    code: str
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]

    @classmethod
    def parse(cls, code: str) -> ProcessingCode:
        """Parses ``code``; raises ValueError("bad processing code") when malformed."""
        in_text, slash, out_text = code.partition("/")
        if not slash:
            out_text = in_text
        try:
            inputs = tuple(_MODES[c] for c in in_text.lower())
            outputs = tuple(_MODES[c] for c in out_text.lower())
        except KeyError:
            raise ValueError("bad processing code") from None
        return cls(code, inputs, outputs)

    def vectors(self, ninputs: int, noutputs: int) -> tuple[list[int], list[int]]:
        """The declared mode of each input and output port.

        An empty side takes the mode Click's ``Element::processing_vector()``
        leaves behind: agnostic for inputs; for outputs, the mode of the last
        input port when there is one ("h/" with one input has push outputs).
        """
        ins = [_pick(self.inputs, i) if self.inputs else AGNOSTIC for i in range(ninputs)]
        carried = ins[-1] if ins else AGNOSTIC
        outs = [_pick(self.outputs, o) if self.outputs else carried for o in range(noutputs)]
        return ins, outs


@dataclass(frozen=True, slots=True)
class _PortCode:
    """One port's flow code: letters and ``#``, maybe negated (``[^...]``)."""

    letters: frozenset[str]
    hash: bool = False          # holds '#': matches the same port number on the other side
    negated: bool = False

    def matches(self, port: int, other: _PortCode, other_port: int) -> bool:
        # as sets over letters and "#port" symbols; a negated code holds
        # everything except what it lists (Click flips a 256-bit vector)
        same_hash = port == other_port
        if not self.negated and not other.negated:
            return bool(self.letters & other.letters) or (self.hash and other.hash and same_hash)
        if self.negated and other.negated:
            return True         # both hold every character neither lists
        pos, neg = (other, self) if self.negated else (self, other)
        return bool(pos.letters - neg.letters) or (pos.hash and not (neg.hash and same_hash))


def _parse_side(text: str) -> tuple[_PortCode, ...]:
    codes, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "[":
            end = text.find("]", i)
            if end < 0:
                raise ValueError("flow code: missing ']'")
            body, negated = text[i + 1:end], False
            if body.startswith("^"):
                body, negated = body[1:], True
            for b in body:
                if b != "#" and not _is_letter(b):
                    raise ValueError(f"flow code: invalid character '{b}'")
            codes.append(_PortCode(frozenset(b for b in body if b != "#"), "#" in body, negated))
            i = end + 1
        elif c == "#":
            codes.append(_PortCode(frozenset(), True))
            i += 1
        elif _is_letter(c):
            codes.append(_PortCode(frozenset(c)))
            i += 1
        else:
            raise ValueError(f"flow code: invalid character '{c}'")
    return tuple(codes)


def _is_letter(c: str) -> bool:
    return "a" <= c <= "z" or "A" <= c <= "Z"


@dataclass(frozen=True, slots=True)
class FlowCode:
    """A parsed flow code (Click's ``Element::flow_code()``): which inputs reach which outputs.

    Inputs ``/`` outputs, one port code a port, the last repeating. A port
    code is a letter, ``#``, or a bracketed set such as ``[xy#]`` or
    ``[^x]`` (everything but x). An input reaches an output when their codes
    share a letter, or both hold ``#`` and the port numbers are equal:
    ``x/x`` all to all, ``xy/x`` only input 0 goes anywhere, ``#/#`` input
    K to output K, ``#/[^#]`` input K to every output but K.
    """

    code: str
    inputs: tuple[_PortCode, ...]
    outputs: tuple[_PortCode, ...]

    @classmethod
    def parse(cls, code: str) -> FlowCode:
        """Parses ``code``; raises ValueError with Click's text ("flow code: ...")."""
        in_text, slash, out_text = code.partition("/")
        if not slash:
            out_text = in_text
        if not in_text or not out_text or "/" in out_text:
            raise ValueError("flow code: missing or bad '/'")
        return cls(code, _parse_side(in_text), _parse_side(out_text))

    def travels(self, isoutput: bool, port: int, ninputs: int, noutputs: int) -> list[bool]:
        """Per port on the other side, whether packets pass between it and ``port``.

        As Click's ``Element::port_flow()``: all false when ``port`` is out of range.
        """
        mine, theirs = (self.outputs, self.inputs) if isoutput else (self.inputs, self.outputs)
        nmine, nother = (noutputs, ninputs) if isoutput else (ninputs, noutputs)
        if not 0 <= port < nmine:
            return [False] * nother
        code = _pick(mine, port)
        return [code.matches(port, _pick(theirs, j), j) for j in range(nother)]


COMPLETE_FLOW = FlowCode.parse("x/x")     # every input reaches every output
NO_FLOW = FlowCode.parse("x/y")           # no input reaches any output


@dataclass(frozen=True, slots=True)
class Conflict:
    """A connection whose two ends want different modes.

    ``connection`` is a real connection, or, when ``agnostic`` is true, a
    path inside one agnostic element from its output to its input that the
    two sides resolved differently. ``from_mode`` is the output end's mode.
    """

    connection: Connection
    agnostic: bool
    from_mode: int

    def message(self, declaration: Callable[[int], str]) -> str:
        """Click's text (``Router::processing_error()``), naming elements by ``declaration``."""
        c = self.connection
        out_mode = mode_name(self.from_mode)
        in_mode = mode_name(PULL if self.from_mode == PUSH else PUSH)
        if self.agnostic:
            return (f"agnostic '{declaration(c.from_element)}' in mixed context: "
                    f"{in_mode} input {c.to_port}, {out_mode} output {c.from_port}")
        return (f"'{declaration(c.from_element)}' {out_mode} output {c.from_port} connected to "
                f"'{declaration(c.to_element)}' {in_mode} input {c.to_port}")


@dataclass(slots=True)
class Resolution:
    """Every port's final mode (PUSH or PULL) and the conflicts found on the way."""

    inputs: list[list[int]]
    outputs: list[list[int]]
    conflicts: list[Conflict]


def resolve(inputs: Sequence[Sequence[int]], outputs: Sequence[Sequence[int]],
            connections: Iterable[Connection], flows: Sequence[FlowCode]) -> Resolution:
    """Makes every port push or pull, as Click's ``Router::check_push_and_pull()``.

    ``inputs[e]``/``outputs[e]`` are element ``e``'s declared port modes,
    ``flows[e]`` its flow code. Each agnostic input is tied to every agnostic
    output its packets can reach, then modes spread across connections and
    those ties until nothing changes: an agnostic end takes the other end's
    mode; two fixed ends that differ are a conflict, and that link is
    dropped. Ports still agnostic at the end become push.
    """
    ins = [list(v) for v in inputs]
    outs = [list(v) for v in outputs]
    links = list(connections)
    first_tie = len(links)
    for e, modes in enumerate(ins):
        for port, mode in enumerate(modes):
            if mode != AGNOSTIC:
                continue
            reach = flows[e].travels(False, port, len(modes), len(outs[e]))
            links.extend(Connection(e, j, e, port) for j, ok in enumerate(reach)
                         if ok and outs[e][j] == AGNOSTIC)

    conflicts: list[Conflict] = []
    live = [True] * len(links)
    changed = True
    while changed:
        changed = False
        for k, c in enumerate(links):
            if not live[k]:
                continue
            pf = outs[c.from_element][c.from_port]
            pt = ins[c.to_element][c.to_port]
            if pt == AGNOSTIC:
                if pf != AGNOSTIC:
                    ins[c.to_element][c.to_port] = pf
                    changed = True
            elif pf == AGNOSTIC:
                outs[c.from_element][c.from_port] = pt
                changed = True
            elif pf != pt:
                conflicts.append(Conflict(c, k >= first_tie, pf))
                live[k] = False

    # as Click's Element::initialize_ports(): only a pull port is pull
    ins = [[PULL if m == PULL else PUSH for m in v] for v in ins]
    outs = [[PULL if m == PULL else PUSH for m in v] for v in outs]
    return Resolution(ins, outs, conflicts)
