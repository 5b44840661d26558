"""extract -- field values read from a Summary (ToIPSummaryDump): None where the packet lacks one.

Most are made by a factory from where the value sits: ``ip_get(n, f)``
reads ``f(data, ip_offset)`` once ``n`` bytes of IP header were captured,
``transport_get`` the same behind the TCP, UDP or ICMP header.
"""
from __future__ import annotations

from collections.abc import Callable

from clickpy.io.ipsummary.octets import u16, u32le
from clickpy.io.ipsummary.summary import Summary
from clickpy.runtime.nameinfo import (
    ICMP_ID_TYPES,
    IP_PORT_PROTOS,
    IP_PROTO_TCP,
    IP_PROTO_UDP,
    IP_PROTO_UDPLITE,
)
from clickpy.runtime.packet import ANNOTATIONS


def anno(name: str) -> Callable:
    """An annotation (``ANNOTATIONS`` name) as a little-endian number."""
    off, size = ANNOTATIONS[name]

    def extract(s: Summary):
        return int.from_bytes(s.anno[off:off + size], "little")
    return extract


def count(s: Summary) -> int:
    return 1 + u32le(s.anno, ANNOTATIONS["EXTRA_PACKETS"][0])


# IP
def ip_get(n: int, f: Callable) -> Callable:
    def extract(s: Summary):
        o = s.ip_need(n)
        return None if o is None else f(s.data, o)
    return extract


def ip_byte(i: int) -> Callable:
    return lambda d, o: d[o + i]


def ip_word(i: int) -> Callable:
    return lambda d, o: u16(d, o + i)


def ip_len(s: Summary):
    if s.ip is not None:
        return u16(s.data, s.ip + 2) + s.extra
    return len(s.data) + s.extra


def ip_capture_len(s: Summary):
    if s.ip is not None:
        return min(u16(s.data, s.ip + 2), s.nlen)
    return len(s.data)


def ip_opt(s: Summary):
    o = s.ip_need(20)
    if o is None:
        return None
    if s.hl > 20 and s.nlen < s.hl:
        return s.missing(None, s.hl)
    return bytes(s.data[o + 20:o + s.hl])


def port(dport: bool) -> Callable:
    def extract(s: Summary):
        d = s.data
        if s.ip is not None and s.nlen > s.hl and s.first_frag() \
                and d[s.ip + 9] in IP_PORT_PROTOS and s.tlen() >= (4 if dport else 2):
            return u16(d, s.ip + s.hl + (2 if dport else 0))
        return s.missing("TCP/UDP", 4 if dport else 2)
    return extract


# Ethernet
def ether(f: Callable) -> Callable:
    """``f(data)`` of an Ethernet header just before the network header."""
    def extract(s: Summary):
        network = s.nh if s.nh >= 0 else len(s.data)
        if network != 14:
            s.bad = s.bad or "bad Ethernet header"
            return None
        return f(s.data)
    return extract


# payload
def _payload_span(s: Summary) -> tuple[int, int]:
    """(offset, length) of the payload in ``s.data`` (Click's payload_info)."""
    if s.ip is None:
        return 0, len(s.data) - s.tailpad
    d, ip = s.data, s.ip
    off = ip + s.hl
    if s.first_frag():
        p = d[ip + 9]
        if p == IP_PROTO_TCP:
            if s.tlen() >= 13 and (d[off + 12] >> 4) >= 5:
                off += (d[off + 12] >> 4) << 2
            else:
                off += 20
        elif p in (IP_PROTO_UDP, IP_PROTO_UDPLITE):
            off += 8
    return off, u16(d, ip + 2) - (off - ip)


def payload(s: Summary):
    off, ln = _payload_span(s)
    if ln and off >= len(s.data):
        return None
    return bytes(s.data[off:off + max(min(ln, len(s.data) - off), 0)])


def payload_len(s: Summary):
    ln = _payload_span(s)[1]
    return ln + (s.extra if s.ip is None else 0)


# TCP, UDP, ICMP
def transport_get(header: str, n: int, f: Callable, applies: Callable | None = None,
                  need_first: int = 1) -> Callable:
    """``f(data, th)`` of the ``header`` ("tcp", "udp", "icmp") once ``n`` bytes were
    captured. With ``applies(data, th)``, a packet it rejects (on ``need_first``
    bytes) silently has no value."""
    proto = header.upper()

    def extract(s: Summary):
        th = getattr(s, header)
        if th is None or s.tlen() < (need_first if applies else n):
            return s.missing(proto, n)
        if applies is not None and not applies(s.data, th):
            return None
        if s.tlen() < n:
            return s.missing(proto, n)
        return f(s.data, th)
    return extract


def tcp_opt(which: str) -> Callable:
    """TCP option bytes; 'nt' and 'sack' skip a header of only a timestamp option."""
    def extract(s: Summary):
        if s.tcp is None or s.tlen() < 13:
            return s.missing("TCP", s.tlen() + 1)
        off = (s.data[s.tcp + 12] >> 4) << 2
        if which != "all" and (off <= 20 or (off == 32 and s.tlen() >= 24 and
                               bytes(s.data[s.tcp + 20:s.tcp + 24]) == b"\x01\x01\x08\x0a")):
            return b""
        if off > 20 and s.tlen() < off:
            return s.missing("TCP", s.tlen() + 1)
        return bytes(s.data[s.tcp + 20:s.tcp + off]) if off > 20 else b""
    return extract


def icmp_with_id(d, o) -> bool:
    return d[o] in ICMP_ID_TYPES


def icmp_needfrag(d, o) -> bool:
    return d[o] == 3 and d[o + 1] == 4
