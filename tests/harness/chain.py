"""chain -- a router around the element under test, fed and read by hand"""
from __future__ import annotations

import clickpy

from .routers import router

SOURCE = "InfiniteSource(ACTIVE false)"     # a push source that never sends by itself


class Chain:
    """``SOURCE -> BODY -> [0]out :: Rec`` and ``e[i] -> [i]out`` for each further
    output: packets go in with ``push`` (into element ``e`` unless told), what
    came out is read per output port; nothing runs on its own.

    ``source`` "" leaves the body's first element without input; ``extra`` is
    more configuration after the chain; ``text`` a whole configuration instead,
    whose Rec, if any, is named ``sink``; ``keep`` False lets the sink drop
    the packets themselves (Rec's KEEP).
    """

    def __init__(self, body: str = "", outputs: int = 1, *, source: str = SOURCE,
                 extra: str = "", text: str | None = None, sink: str = "out",
                 keep: bool = True):
        if text is None:
            rec = "Rec" if keep else "Rec(KEEP false)"
            text = f"{source + ' -> ' if source else ''}{body} -> [0]{sink} :: {rec};"
            text += "".join(f" e[{i}] -> [{i}]{sink};" for i in range(1, outputs))
        self.router = router(text + extra)
        self.sink = sink

    def packet(self, data) -> clickpy.Packet:
        """What ``push`` sends for ``data``: a Packet as is, bytes in a new one."""
        return data if isinstance(data, clickpy.Packet) else clickpy.Packet(bytes(data))

    def element(self, name: str):
        return self.router.element(name)

    def push(self, *packets, into: str = "e", port: int = 0) -> Chain:
        e = self.element(into)
        for data in packets:
            e.push(port, self.packet(data))
        return self

    def records(self, port: int | None = None) -> list:
        """The sink's Records from output ``port`` (None: every port), in arrival order."""
        sink = self.element(self.sink)
        records = sink.records if sink is not None else []
        return [r for r in records if port is None or r.port == port]

    def out(self, port: int | None = 0) -> list[bytes]:
        return [r.data for r in self.records(port)]

    def packets(self, port: int | None = 0) -> list[clickpy.Packet]:
        return [r.packet for r in self.records(port)]

    def anno(self, i: int = -1, port: int = 0) -> bytes:
        """The annotations of packet ``i`` out of ``port``, as it arrived."""
        return self.records(port)[i].anno

    def read(self, handler: str, param=None) -> str:
        return self.router.read(handler, param)

    def write(self, handler: str, value: str = ""):
        return self.router.write(handler, value)


class IPChain(Chain):
    """A Chain whose pushed bytes carry IPv4 header annotations (see as_packet)."""

    def packet(self, data) -> clickpy.Packet:
        return as_packet(data)


def as_packet(data, offset: int = 0) -> clickpy.Packet:
    """A clickpy packet with network and transport header annotations (as
    CheckIPHeader leaves them) when the bytes from ``offset`` look like IPv4."""
    if isinstance(data, clickpy.Packet):
        return data
    raw = bytes(data)
    p = clickpy.Packet(raw)
    if len(raw) >= offset + 20 and raw[offset] >> 4 == 4:
        hlen = (raw[offset] & 15) * 4
        if 20 <= hlen and offset + hlen <= len(raw):
            p.set_network_header(offset, hlen)
    return p
