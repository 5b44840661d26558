"""fields -- the table of IP summary dump fields: name, how to read, print, parse and write each.

A Field ties a name to an ``extract`` (extract.py), its text (values.py,
options.py) and an ``inject`` (inject.py). ``order`` is when the reader
injects it: annotations, then link, network, transport and payload
headers (Click's order_*), so later fields see the headers earlier ones
made.
"""
from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass

from clickpy.io.ipsummary import extract as ex
from clickpy.io.ipsummary import inject as inj
from clickpy.io.ipsummary import values as v
from clickpy.io.ipsummary.octets import u16, u32
from clickpy.io.ipsummary.options import fmt_ip_opt, fmt_tcp_opt, parse_ip_opt, parse_tcp_opt
from clickpy.io.ipsummary.summary import Summary
from clickpy.lang import confstring as cs

ORDER_ANNO, ORDER_LINK, ORDER_NET, ORDER_TRANSP, ORDER_PAYLOAD = 0, 10, 20, 30, 40


@dataclass(frozen=True, slots=True)
class Field:
    """One summary field: ``extract`` a value from a Summary (None: '-'),
    ``fmt`` it as text; ``parse`` text (ValueError when bad) and ``inject``
    it into a Builder, in ``order``."""

    name: str
    extract: Callable
    fmt: Callable = str
    parse: Callable | None = None
    inject: Callable | None = None
    order: int = ORDER_NET


def _tcp(n: int, f: Callable) -> Callable:
    return ex.transport_get("tcp", n, f)


def _icmp(n: int, f: Callable, applies: Callable | None = None, need_first: int = 1):
    return ex.transport_get("icmp", n, f, applies, need_first)


_F = Field
_U8, _U16, _U32 = v.num(8), v.num(16), v.num(32)
FIELDS: dict[str, Field] = {f.name: f for f in (
    # annotations
    _F("timestamp", lambda s: s.ts_ns, v.fmt_timestamp, v.parse_timestamp, inj.timestamp,
       ORDER_ANNO),
    _F("ts_sec", lambda s: s.ts_ns // 1_000_000_000, str, _U32, inj.ts_sec, ORDER_ANNO),
    _F("ts_usec", lambda s: s.ts_ns % 1_000_000_000 // 1000, str, _U32, inj.ts_usec,
       ORDER_ANNO + 1),
    _F("count", ex.count, str, _U32, inj.count, ORDER_ANNO),
    _F("link", ex.anno("PAINT"), str, v.parse_direction, inj.anno("PAINT"), ORDER_ANNO),
    _F("paint", ex.anno("PAINT"), str, v.parse_direction, inj.anno("PAINT"), ORDER_ANNO),
    _F("direction", ex.anno("PAINT"), v.fmt_direction, v.parse_direction, inj.anno("PAINT"),
       ORDER_ANNO),
    _F("aggregate", ex.anno("AGGREGATE"), str, _U32, inj.anno("AGGREGATE"), ORDER_ANNO),
    _F("wire_len", lambda s: len(s.data), str, _U32, inj.wire_len, ORDER_ANNO),
    # IP
    _F("ip_src", ex.ip_get(16, lambda d, o: bytes(d[o + 12:o + 16])), socket.inet_ntoa,
       socket.inet_aton, inj.ip_set(inj.address(12))),
    _F("ip_dst", ex.ip_get(20, lambda d, o: bytes(d[o + 16:o + 20])), socket.inet_ntoa,
       socket.inet_aton, inj.ip_set(inj.address(16))),
    _F("ip_tos", ex.ip_get(2, ex.ip_byte(1)), str, _U8, inj.ip_set(inj.tos_part(0xFF, 0))),
    _F("ip_dscp", ex.ip_get(2, lambda d, o: d[o + 1] >> 2), str, _U8,
       inj.ip_set(inj.tos_part(0xFC, 2))),
    _F("ip_ecn", ex.ip_get(2, lambda d, o: d[o + 1] & 3), v.fmt_ecn, v.parse_ecn,
       inj.ip_set(inj.tos_part(0x03, 0))),
    _F("ip_ttl", ex.ip_get(9, ex.ip_byte(8)), str, _U8, inj.ip_set(inj.store("!B", 8))),
    _F("ip_frag", ex.ip_get(8, ex.ip_word(6)), v.fmt_frag, v.parse_fragoff,
       inj.ip_set(inj.store("!H", 6)), ORDER_NET - 2),
    _F("ip_fragoff", ex.ip_get(8, ex.ip_word(6)), v.fmt_fragoff, v.parse_fragoff,
       inj.ip_set(inj.store("!H", 6)), ORDER_NET - 1),
    _F("ip_id", ex.ip_get(6, ex.ip_word(4)), str, _U16, inj.ip_set(inj.store("!H", 4))),
    _F("ip_sum", ex.ip_get(12, ex.ip_word(10)), str, _U16, inj.ip_set(inj.store("!H", 10)),
       ORDER_NET + 2),
    _F("ip_proto", ex.ip_get(10, ex.ip_byte(9)), v.fmt_proto, v.parse_proto,
       inj.ip_set(inj.store("!B", 9))),
    _F("ip_hl", ex.ip_get(1, lambda d, o: (d[o] & 15) << 2), str, _U8, inj.ip_set(inj.ip_hl),
       ORDER_NET - 1),
    _F("ip_len", ex.ip_len, str, _U32, inj.ip_set(inj.ip_len), ORDER_NET + 1),
    _F("ip_capture_len", ex.ip_capture_len, str),
    _F("ip_opt", ex.ip_opt, fmt_ip_opt, parse_ip_opt, inj.ip_set(inj.ip_opt)),
    _F("sport", ex.port(False), str, _U16, inj.port(False), ORDER_TRANSP),
    _F("dport", ex.port(True), str, _U16, inj.port(True), ORDER_TRANSP),
    # Ethernet
    _F("eth_src", ex.ether(lambda d: bytes(d[6:12])), v.fmt_ether, v.parse_ether,
       inj.link_set(inj.eth_address(6)), ORDER_LINK),
    _F("eth_dst", ex.ether(lambda d: bytes(d[0:6])), v.fmt_ether, v.parse_ether,
       inj.link_set(inj.eth_address(0)), ORDER_LINK),
    _F("eth_type", ex.ether(lambda d: u16(d, 12)), v.fmt_eth_type, v.parse_eth_type,
       inj.link_set(inj.eth_type), ORDER_LINK),
    # payload
    _F("payload_len", ex.payload_len, str, _U32, inj.payload_len, ORDER_PAYLOAD + 1),
    _F("payload", ex.payload, v.quote_payload, v.parse_payload, inj.payload, ORDER_PAYLOAD),
    _F("payload_md5", ex.payload, v.md5_text),
    _F("payload_md5_hex", ex.payload, v.md5_hex),
    # TCP
    _F("tcp_seq", _tcp(8, lambda d, o: u32(d, o + 4)), str, _U32,
       inj.tcp_set(inj.pack_at("!I", 4)), ORDER_TRANSP),
    _F("tcp_ack", _tcp(12, lambda d, o: u32(d, o + 8)), str, _U32,
       inj.tcp_set(inj.pack_at("!I", 8)), ORDER_TRANSP),
    _F("tcp_off", _tcp(13, lambda d, o: (d[o + 12] >> 4) << 2), str, _U8,
       inj.tcp_set(inj.tcp_off), ORDER_TRANSP),
    _F("tcp_flags", _tcp(14, lambda d, o: d[o + 13] | ((d[o + 12] & 1) << 8)),
       v.fmt_tcp_flags, v.parse_tcp_flags, inj.tcp_set(inj.tcp_flags), ORDER_TRANSP),
    _F("tcp_window", _tcp(16, lambda d, o: u16(d, o + 14)), str, _U16,
       inj.tcp_set(inj.pack_at("!H", 14)), ORDER_TRANSP),
    _F("tcp_urp", _tcp(20, lambda d, o: u16(d, o + 18)), str, _U16,
       inj.tcp_set(inj.pack_at("!H", 18)), ORDER_TRANSP),
    _F("tcp_opt", ex.tcp_opt("all"), fmt_tcp_opt, parse_tcp_opt, inj.tcp_set(inj.tcp_opt),
       ORDER_TRANSP),
    _F("tcp_ntopt", ex.tcp_opt("nt"), lambda b: fmt_tcp_opt(b, "nt"), parse_tcp_opt,
       inj.tcp_set(inj.tcp_opt_subset), ORDER_TRANSP + 1),
    _F("tcp_sack", ex.tcp_opt("sack"), lambda b: fmt_tcp_opt(b, "sack"), parse_tcp_opt,
       inj.tcp_set(inj.tcp_opt_subset), ORDER_TRANSP + 1),
    # UDP, ICMP
    _F("udp_len", ex.transport_get("udp", 6, lambda d, o: u16(d, o + 4)), str, _U16,
       inj.udp_set(inj.pack_at("!H", 4)), ORDER_TRANSP),
    _F("icmp_type", _icmp(1, lambda d, o: d[o]), str, v.parse_icmp_type,
       inj.icmp_set(inj.icmp_type), ORDER_TRANSP),
    _F("icmp_code", _icmp(2, lambda d, o: d[o + 1]), str, _U8,
       inj.icmp_set(inj.icmp_code), ORDER_TRANSP + 1),
    _F("icmp_type_name", _icmp(1, lambda d, o: d[o]), v.fmt_icmp_type_name, v.parse_icmp_type,
       inj.icmp_set(inj.icmp_type), ORDER_TRANSP),
    _F("icmp_code_name", _icmp(2, lambda d, o: (d[o], d[o + 1])), v.fmt_icmp_code_name,
       None, None, ORDER_TRANSP + 1),
    _F("icmp_flowid", _icmp(6, lambda d, o: u16(d, o + 4), ex.icmp_with_id), str, _U16,
       inj.icmp_set(inj.icmp_id_seq(4)), ORDER_TRANSP + 2),
    _F("icmp_seq", _icmp(8, lambda d, o: u16(d, o + 6), ex.icmp_with_id), str, _U16,
       inj.icmp_set(inj.icmp_id_seq(6)), ORDER_TRANSP + 2),
    _F("icmp_nextmtu", _icmp(8, lambda d, o: u16(d, o + 6), ex.icmp_needfrag, 2), str, _U16,
       inj.icmp_set(inj.icmp_nextmtu), ORDER_TRANSP + 2),
)}

SYNONYMS = {"utimestamp": "timestamp", "ts": "timestamp", "sec": "ts_sec", "usec": "ts_usec",
            "pkt_count": "count", "packet_count": "count", "agg": "aggregate",
            "wire_length": "wire_len", "length": "ip_len", "ip_p": "ip_proto",
            "ether_src": "eth_src", "ether_dst": "eth_dst", "ether_type": "eth_type",
            "payload_length": "payload_len", "tcp_seqno": "tcp_seq", "tcp_ackno": "tcp_ack",
            "tcp_win": "tcp_window"}


def find_field(name: str) -> Field | None:
    """A field by name or synonym; 'src' finds ip_src, 'tcp seq' tcp_seq (Click's rules)."""
    name = SYNONYMS.get(name, name)
    if name in FIELDS:
        return FIELDS[name]
    if " " in name:
        return find_field(name.replace(" ", "_", 1))
    if "_" not in name:
        return find_field("ip_" + name)
    return None


def field_words(text: str):
    """(word, Field or None) for each word of a space-separated field list."""
    for word in cs.split_spaces(text):
        word = cs.unquote(word)
        yield word, find_field(word)


def parse_fields(text: str) -> list[Field]:
    """A field list to write (FIELDS, CONTENTS); ValueError for unknown names."""
    out = []
    for word, f in field_words(text):
        if f is None:
            raise ValueError(f"unknown content type '{word}'")
        out.append(f)
    return out


def format_line(fields, s: Summary) -> str:
    """One dump line: each field's text, or '-' when the packet lacks it."""
    words = []
    for f in fields:
        value = f.extract(s)
        words.append("-" if value is None else f.fmt(value))
    return " ".join(words)
