"""inject -- field values written into a Builder (FromIPSummaryDump), making headers as needed.

Setters of one header field take ``(builder, ip, value)`` (IP header) or
``(builder, ip, th, value)`` (transport header at ``th``); ``ip_set`` and
``tcp_set``/``icmp_set``/``udp_set`` make the headers first and skip a
packet whose protocol or fragment offset has no such header.
"""
from __future__ import annotations

import struct
from collections.abc import Callable

from clickpy.io.ipsummary.builder import Builder
from clickpy.io.ipsummary.octets import u16
from clickpy.runtime.nameinfo import (
    ICMP_ID_TYPES,
    IP_PORT_PROTOS,
    IP_PROTO_ICMP,
    IP_PROTO_TCP,
    IP_PROTO_UDP,
)
from clickpy.runtime.packet import ANNOTATIONS

_EXTRA_PACKETS = ANNOTATIONS["EXTRA_PACKETS"][0]


# annotations and lengths
def anno(name: str) -> Callable:
    off, size = ANNOTATIONS[name]

    def inject(b: Builder, v: int):
        b.anno[off:off + size] = (v & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
    return inject


def count(b: Builder, v: int):
    b.set_anno32(_EXTRA_PACKETS, v - 1 if v else 0)


def timestamp(b: Builder, v: int):
    b.ts_ns = v


def ts_sec(b: Builder, v: int):
    b.ts_ns = v * 1_000_000_000 + b.ts_ns % 1_000_000_000


def ts_usec(b: Builder, v: int):
    b.ts_ns = b.ts_ns - b.ts_ns % 1_000_000_000 + v * 1000


def wire_len(b: Builder, v: int):
    b.want_len = v


# IP
def ip_set(fn: Callable) -> Callable:
    def inject(b: Builder, v):
        ip = b.make_ip()
        if ip is not None:
            fn(b, ip, v)
    return inject


def store(fmt: str, pos: int) -> Callable:
    """``struct`` ``fmt`` at ``pos`` of the IP header."""
    def fn(b, ip, v):
        struct.pack_into(fmt, ip, pos, v)
    return fn


def address(pos: int) -> Callable:
    def fn(b, ip, v):
        ip[pos:pos + 4] = v
    return fn


def tos_part(mask: int, shift: int) -> Callable:
    def fn(b, ip, v):
        ip[1] = (ip[1] & ~mask & 0xFF) | ((v << shift) & mask)
    return fn


def _widen(ip: bytearray, start: int, cur: int, size: int) -> int:
    """``size`` rounded up to 32-bit words; a header at ``start`` of ``cur`` bytes
    gets zeros inserted at its end when it is shorter (options, data move back)."""
    size = (size + 3) & ~3
    if size > cur:
        ip[start + cur:start + cur] = bytes(size - cur)
    return size


def ip_hl(b: Builder, ip: bytearray, v: int):
    v = _widen(ip, 0, b.hl(), v)
    ip[0] = 0x40 | ((v >> 2) & 15)


def ip_opt(b: Builder, ip: bytearray, opts: bytes):
    if not opts:
        return
    old = b.hl()
    hl = _widen(ip, 0, old, 20 + len(opts))
    if hl > old:
        ip[0] = 0x40 | (hl >> 2)
    ip[20:hl] = opts + bytes(hl - 20 - len(opts))


def ip_len(b: Builder, ip: bytearray, v: int):
    b.want_len = (14 if b.eth is not None else 0) + v


# Ethernet
def link_set(fn: Callable) -> Callable:
    def inject(b: Builder, v):
        if b.eth is None:
            b.eth = bytearray(14)
            b.eth[12:14] = b"\x08\x00"
        fn(b, v)
    return inject


def eth_address(pos: int) -> Callable:
    def fn(b, v):
        b.eth[pos:pos + 6] = v
    return fn


def eth_type(b: Builder, v: int):
    b.eth[12:14] = struct.pack("!H", v)
    if v not in (0x0800, 0x86DD):
        b.is_ip = False


# payload
def payload(b: Builder, data: bytes):
    if b.make_ip() is not None:
        b.make_transp()
    if b.ip is None or not data:
        if b.ip is None and data:
            b.is_ip = False
            b.ip = bytearray(data)
        return
    off = b.payload_offset()
    if not u16(b.ip, 2) and b.want_len == 0:
        b.want_len = (14 if b.eth is not None else 0) + off + len(data)
    b.grow(off + len(data))
    b.ip[off:off + len(data)] = data


def payload_len(b: Builder, v: int):
    if b.make_ip() is not None:
        b.make_transp()
    if b.ip is None:
        return
    if not u16(b.ip, 2) and b.want_len == 0:
        b.want_len = (14 if b.eth is not None else 0) + b.payload_offset() + v


# transport headers
def _transport_set(size: int, fn: Callable, claim: Callable | None = None,
                   accept: Callable | None = None, late: bool = False) -> Callable:
    """Makes the IP header, lets ``claim(ip)`` set the protocol, then, when
    ``accept(ip)`` and a first fragment, ``size`` transport bytes for ``fn``.
    ``late`` asks ``accept`` after the transport header is made (Click's
    order for ports, which sees a header made over a short IP header)."""
    accept = accept or _any_protocol

    def inject(b: Builder, v):
        ip = b.make_ip()
        if ip is None:
            return
        if claim is not None:
            claim(ip)
        if (not late and not accept(ip)) or not b.make_transp() \
                or (late and not accept(ip)) or not b.first_frag():
            return
        b.grow(b.hl() + size)
        fn(b, b.ip, b.hl(), v)
    return inject


def _any_protocol(ip: bytearray) -> bool:
    return True


def pack_at(fmt: str, pos: int) -> Callable:
    """``struct`` ``fmt`` at ``pos`` of the transport header."""
    def fn(b, ip, th, v):
        struct.pack_into(fmt, ip, th + pos, v)
    return fn


def _claim_tcp(ip: bytearray):
    if not u16(ip, 6) & 0x1FFF and ip[9] == 0:
        ip[9] = IP_PROTO_TCP


def _claim_icmp(ip: bytearray):
    ip[9] = IP_PROTO_ICMP


def tcp_set(fn: Callable) -> Callable:
    return _transport_set(20, fn, _claim_tcp, lambda ip: ip[9] == IP_PROTO_TCP)


def icmp_set(fn: Callable) -> Callable:
    return _transport_set(8, fn, _claim_icmp)


def udp_set(fn: Callable) -> Callable:
    return _transport_set(8, fn, accept=lambda ip: ip[9] == IP_PROTO_UDP)


def port(dport: bool) -> Callable:
    """sport, dport: any protocol with ports, or one not yet known."""
    return _transport_set(4, pack_at("!H", 2 if dport else 0),
                          accept=lambda ip: not ip[9] or ip[9] in IP_PORT_PROTOS, late=True)


# TCP
def _tcp_hl(ip: bytearray, th: int) -> int:
    return (ip[th + 12] >> 4) << 2


def tcp_off(b: Builder, ip: bytearray, th: int, v: int):
    v = _widen(ip, th, _tcp_hl(ip, th), v)
    ip[th + 12] = ((v >> 2) & 15) << 4 | (ip[th + 12] & 15)


def tcp_flags(b: Builder, ip: bytearray, th: int, v: int):
    ip[th + 13] = v & 0xFF
    ip[th + 12] = (ip[th + 12] & 0xF0) | ((v >> 8) & 15)


def tcp_opt(b: Builder, ip: bytearray, th: int, opts: bytes):
    b.have_tcp_hl = True
    if not opts:
        return
    b.have_tcp_opt = True
    cur = _tcp_hl(ip, th)
    off = _widen(ip, th, cur, 20 + len(opts))
    if off > cur:
        ip[th + 12] = (off >> 2) << 4 | (ip[th + 12] & 15)
    ip[th + 20:th + off] = opts + bytes(off - 20 - len(opts))


def tcp_opt_subset(b: Builder, ip: bytearray, th: int, opts: bytes):
    """tcp_ntopt, tcp_sack: only when no full tcp_opt set the options already."""
    if not b.have_tcp_opt:
        tcp_opt(b, ip, th, opts)


# ICMP
def icmp_type(b, ip, th, v):
    ip[th] = v
    b.have_icmp_type = True


def icmp_code(b, ip, th, v):
    ip[th + 1] = v
    b.have_icmp_code = True


def icmp_id_seq(pos: int) -> Callable:
    def fn(b, ip, th, v):
        if not b.have_icmp_type or ip[th] in ICMP_ID_TYPES:
            struct.pack_into("!H", ip, th + pos, v)
    return fn


def icmp_nextmtu(b, ip, th, v):
    if (not b.have_icmp_type or ip[th] == 3) and (not b.have_icmp_code or ip[th + 1] == 4):
        struct.pack_into("!H", ip, th + 6, v)
