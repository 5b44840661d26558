"""elements -- Python test elements (a recording sink, a pull end) and a registry that knows them"""
from __future__ import annotations

from typing import NamedTuple

import clickpy
from clickpy.graph.registry import Registry, default_registry
from clickpy.graph.spec import ElementSpec
from clickpy.runtime import clock
from clickpy.runtime.args import Arg, Bool


class Record(NamedTuple):
    """One packet as it reached a Rec: a snapshot of its state then, and the packet."""
    port: int
    data: bytes
    anno: bytes
    timestamp: int                  # timestamp annotation, ns
    headroom: int
    network_header_offset: int | None
    packet_type: int
    dst_ip: str
    arrival: int                    # the clock when it arrived, ns
    packet: clickpy.Packet | None   # the packet itself, unless the Rec has KEEP false


class Rec(clickpy.Element):
    """Push sink with any number of inputs: keeps a Record of every packet, in order.

    Rec(KEEP false) lets the packets go (a test that sends more than the
    packet pool holds); the Records stay.
    """

    port_count = "1-/0"
    processing = "h/h"
    ARGS = (Arg("KEEP", Bool, default=True),)

    def __init__(self):
        self.records: list[Record] = []
        self.keep = True

    def configure(self, args):
        self.keep = args.KEEP

    def push(self, port, packet):
        self.records.append(Record(
            port, bytes(packet.data), packet.anno, packet.timestamp_ns, packet.headroom,
            packet.network_header_offset, packet.packet_type, packet.dst_ip,
            clock.now_nanoseconds(), packet if self.keep else None))

    @property
    def got(self) -> list[tuple]:
        """(port, data, annotations, timestamp) per packet."""
        return [(r.port, r.data, r.anno, r.timestamp) for r in self.records]

    @property
    def data(self) -> list[bytes]:
        return [r.data for r in self.records]

    @property
    def packets(self) -> list[clickpy.Packet]:
        return [r.packet for r in self.records]


class PullEnd(clickpy.Element):
    """A pull input that tests drive with input_pull_packet(0)."""

    port_count = "1/0"
    processing = "l/l"


def registry(*classes) -> Registry:
    """A copy of the default registry that also knows Rec, PullEnd and ``classes``."""
    reg = default_registry().copy()
    for cls in (Rec, PullEnd, *classes):
        reg.add(ElementSpec(cls.__name__, cls.port_count, cls.processing,
                            runnable=True, python=True))
        reg.classes[cls.__name__] = cls
    return reg
