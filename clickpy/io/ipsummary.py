"""ipsummary -- IP summary dump fields: one extract/format and one parse/inject per field.

The text format of Click's ToIPSummaryDump and FromIPSummaryDump: a
``!data FIELD...`` header, then one packet a line, one word per field,
``-`` for a field the packet lacks. ``FIELDS`` maps each name to a Field;
``Summary`` looks at one packet for the writer, ``Builder`` makes one for
the reader.
"""
from __future__ import annotations

import hashlib
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass

from clickpy.lang import confstring as cs
from clickpy.runtime.checksum import internet_checksum

__all__ = ["Field", "FIELDS", "find_field", "Summary", "Builder", "format_line",
           "parse_fields", "quote_payload", "DUMP_BANNER"]

DUMP_BANNER = "!IPSummaryDump 1.3"

# annotation offsets (clickpy.runtime.packet's ANNO_*)
ANNO_AGGREGATE, ANNO_PAINT, ANNO_EXTRA_PACKETS, ANNO_EXTRA_LENGTH = 12, 16, 24, 28
ANNO_FIRST_TIMESTAMP = 32

TCP, UDP, ICMP = 6, 17, 1
PORT_PROTOS = (6, 17, 33, 136)                  # TCP, UDP, DCCP, UDP-Lite
TCP_FLAG_CHARS = "FSRPAUECN"                    # bit 0 (FIN) to bit 8 (NS)
TCP_FLAG_BITS = {"F": 0, "S": 1, "R": 2, "P": 3, "A": 4, "U": 5, "E": 6, "C": 7, "N": 8,
                 "W": 7, "X": 6, "Y": 7}        # W, X, Y: old spellings
ECN_NAMES = ("no", "ect1", "ect2", "ce")
ICMP_TYPES = {0: "echo-reply", 3: "unreachable", 4: "sourcequench", 5: "redirect",
              8: "echo", 9: "routeradvert", 10: "routersolicit", 11: "timeexceeded",
              12: "parameterproblem", 13: "timestamp", 14: "timestamp-reply",
              15: "inforeq", 16: "inforeq-reply", 17: "maskreq", 18: "maskreq-reply"}
ICMP_CODES = {
    3: {0: "net", 1: "host", 2: "protocol", 3: "port", 4: "needfrag", 5: "srcroutefail",
        6: "netunknown", 7: "hostunknown", 8: "isolated", 9: "netprohibited",
        10: "hostprohibited", 11: "tosnet", 12: "toshost", 13: "filterprohibited",
        14: "hostprecedence", 15: "precedencecutoff"},
    5: {0: "net", 1: "host", 2: "tosnet", 3: "toshost"},
    11: {0: "transit", 1: "reassembly"},
    12: {0: "erroratptr", 1: "missingopt", 2: "length"},
}
ICMP_WITH_ID = (0, 8, 13, 14, 15, 16)           # echo, timestamp, info request and replies
MD5_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@"

# reader orders: annotations, then link, network, transport, payload (Click's order_*)
ORDER_ANNO, ORDER_LINK, ORDER_NET, ORDER_TRANSP, ORDER_PAYLOAD = 0, 10, 20, 30, 40


# -- looking at a packet (ToIPSummaryDump) ---------------------------------------

class Summary:
    """One packet, as the writer sees it: headers found and bounds-checked once.

    ``data`` starts at the packet's data; ``nh`` is the network header's
    offset in it, or -1. Header attributes are None when absent or bad;
    ``bad`` holds the first '!bad' reason.
    """

    __slots__ = ("data", "nh", "ts_ns", "anno", "extra", "ip", "tcp", "udp", "icmp",
                 "hl", "nlen", "tailpad", "bad", "use_extra")

    def __init__(self, data: bytes, nh: int, ts_ns: int, anno: bytes, use_extra: bool = True):
        self.data, self.nh, self.ts_ns, self.anno = data, nh, ts_ns, anno
        self.use_extra = use_extra
        self.extra = _u32le(anno, ANNO_EXTRA_LENGTH) if use_extra else 0
        self.ip = self.tcp = self.udp = self.icmp = None
        self.hl = self.nlen = self.tailpad = 0
        self.bad = None
        if nh < 0 or nh > len(data):
            return
        d, nlen = data, len(data) - nh
        self.nlen = nlen
        if nlen < 4:
            return self._bad("truncated IP header")
        v, hl = d[nh] >> 4, (d[nh] & 15) << 2
        if v != 4:
            return self._bad(f"IP version {v}")
        if hl < 20:
            return self._bad(f"IP header length {hl >> 2}")
        ip_len = _u16(d, nh + 2)
        if ip_len < hl:
            return self._bad(f"IP length {ip_len}")
        if nlen > ip_len:                       # link padding beyond the IP datagram
            self.tailpad = nlen - ip_len
            self.nlen = ip_len
        self.ip, self.hl = nh, hl
        if self.extra and (ip_len != 0xFFFF or self.nlen + self.extra <= 0xFFFF):
            self.extra = 0                      # lengths come from ip_len instead
        if self.nlen <= hl or not self.first_frag():
            return
        proto, th = d[nh + 9], nh + hl
        if proto == TCP:
            if self.tlen() > 12 and (d[th + 12] >> 4) < 5:
                return self._bad(f"TCP header length {d[th + 12] >> 4}")
            self.tcp = th
        elif proto == UDP:
            self.udp = th
        elif proto == ICMP:
            self.icmp = th

    def _bad(self, why: str):
        self.bad = self.bad or why

    def first_frag(self) -> bool:
        return self.ip is not None and self.nlen >= 8 and _u16(self.data, self.ip + 6) & 0x1FFF == 0

    def tlen(self) -> int:
        """Transport bytes captured (inside ip_len)."""
        return self.nlen - self.hl if self.ip is not None else 0

    def missing(self, proto: str | None, need: int = 0) -> None:
        """A field is absent: note why (Click's field_missing), return None."""
        if self.bad:
            return None
        if self.ip is None:
            self.bad = "no IP header"
        elif proto is None:
            self.bad = "truncated IP header capture"
        elif self.nlen > 9 and not _proto_matches(self.data[self.ip + 9], proto):
            pass                                # wrong protocol: silent
        elif not self.first_frag():
            self.bad = f"fragmented {proto} header"
        elif _u16(self.data, self.ip + 2) - self.hl >= need:   # ip_len covers it
            self.bad = f"truncated {proto} header capture"
        else:
            self.bad = f"truncated {proto} header"
        return None

    def ip_need(self, n: int):
        """Offset of the IP header if ``n`` bytes of it were captured."""
        if self.ip is None or self.nlen < n:
            return self.missing(None, n)
        return self.ip


def _proto_matches(p: int, proto: str) -> bool:
    return {"TCP": p == TCP, "UDP": p == UDP, "ICMP": p == ICMP,
            "TCP/UDP": p in PORT_PROTOS}[proto]


def _u16(d, i):
    return (d[i] << 8) | d[i + 1]


def _u32(d, i):
    return (d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]


def _u32le(d, i):
    return struct.unpack_from("<I", d, i)[0]


# -- building a packet (FromIPSummaryDump) ------------------------------------------

class Builder:
    """A packet under construction from one dump line (Click's PacketOdesc).

    ``ip`` is the IP datagram (header, transport, payload), ``eth`` an
    Ethernet header when eth_* fields were given. ``want_len`` is the
    length the line claims (wire_len, ip_len, payload_len).
    """

    def __init__(self, default_proto: int = TCP, flowid=None, minor_version: int = 3):
        self.ip: bytearray | None = None
        self.eth: bytearray | None = None
        self.is_ip = True
        self.want_len = 0
        self.ts_ns = 0
        self.anno = bytearray(48)
        self.default_proto = default_proto
        self.flowid = flowid                # (src4, sport, dst4, dport) or None
        self.minor_version = minor_version
        self.have_icmp_type = self.have_icmp_code = self.have_tcp_hl = False
        self.have_tcp_opt = False

    def set_anno32(self, off: int, v: int):
        struct.pack_into("<I", self.anno, off, v & 0xFFFFFFFF)

    def make_ip(self) -> bytearray | None:
        if not self.is_ip:
            return None
        if self.ip is None:
            ip = bytearray(20)
            ip[0], ip[8], ip[9] = 0x45, 100, self.default_proto
            if self.flowid:
                ip[12:16], ip[16:20] = self.flowid[0], self.flowid[2]
            self.ip = ip
        return self.ip

    def hl(self) -> int:
        return (self.ip[0] & 15) << 2

    def first_frag(self) -> bool:
        return _u16(self.ip, 6) & 0x1FFF == 0

    def make_transp(self) -> bool:
        """Makes room for the transport header the protocol needs (first fragment)."""
        ip = self.make_ip()
        if ip is None:
            return False
        if not self.first_frag():
            return True
        need = {TCP: 20, UDP: 8, 136: 8, 33: 12, ICMP: 8}.get(ip[9])
        if need is None:
            return True
        th = self.hl()
        if 0 < self.want_len < th + need:
            need = max(self.want_len - th, 0)
        if len(ip) - th < need:
            ip.extend(bytes(th + need - len(ip)))
            if ip[9] == TCP and need >= 13:
                ip[th + 12] = 5 << 4
            if self.flowid and need >= 4:
                struct.pack_into("!HH", ip, th, self.flowid[1], self.flowid[3])
        return True

    def grow(self, n: int):
        if len(self.ip) < n:
            self.ip.extend(bytes(n - len(self.ip)))

    def payload_offset(self) -> int:
        """Where payload starts in ``ip`` (Click's payload_info)."""
        if self.ip is None:
            return 0
        off = self.hl()
        if self.first_frag():
            if self.ip[9] == TCP:
                th = self.ip[off + 12] >> 4 if len(self.ip) > off + 12 else 0
                off += th << 2 if th >= 5 else 20
            elif self.ip[9] in (UDP, 136):
                off += 8
        return off

    def finish(self, checksum: bool) -> tuple[bytes, int, int]:
        """(packet bytes, network header offset or -1, extra length)."""
        if self.flowid:
            self.make_ip()
        nh_off = 14 if self.eth is not None else 0
        if self.ip is not None and self.is_ip:
            self.make_transp()
            ip = self.ip
            ip_len = _u16(ip, 2)
            if not ip_len:
                ip_len = self.want_len - nh_off if self.want_len >= nh_off else self.want_len
                ip_len = min(ip_len, 0xFFFF) or len(ip)
                struct.pack_into("!H", ip, 2, ip_len)
            hl = self.hl()
            if ip[9] == UDP and self.first_frag() and len(ip) >= hl + 6 \
                    and not _u16(ip, hl + 4):
                struct.pack_into("!H", ip, hl + 4, max(ip_len - hl, 0))
            if checksum:
                self.grow(ip_len)
                set_checksums(ip)
        body = bytes(self.ip or b"")
        data = (bytes(self.eth) if self.eth is not None else b"") + body
        extra = self.want_len - len(data) if self.want_len > len(data) else 0
        return data, (nh_off if self.ip is not None and self.is_ip else -1), extra


def set_checksums(ip: bytearray):
    """IP header, and TCP/UDP/ICMP of an unfragmented datagram."""
    hl = (ip[0] & 15) << 2
    ip[10:12] = b"\0\0"
    struct.pack_into("!H", ip, 10, internet_checksum(ip[:hl]))
    if _u16(ip, 6) & 0x3FFF:                    # MF or an offset: a fragment
        return
    t = ip[hl:]
    pseudo = bytes(ip[12:20]) + struct.pack("!BBH", 0, ip[9], len(t))
    if ip[9] == TCP and len(t) >= 18:
        ip[hl + 16:hl + 18] = b"\0\0"
        struct.pack_into("!H", ip, hl + 16, internet_checksum(pseudo + bytes(ip[hl:])))
    elif ip[9] == UDP and len(t) >= 8:
        ip[hl + 6:hl + 8] = b"\0\0"
        c = internet_checksum(pseudo + bytes(ip[hl:]))
        struct.pack_into("!H", ip, hl + 6, c or 0xFFFF)     # RFC 768: 0 means none
    elif ip[9] == ICMP and len(t) >= 4:
        ip[hl + 2:hl + 4] = b"\0\0"
        struct.pack_into("!H", ip, hl + 2, internet_checksum(bytes(ip[hl:])))


# -- the field table -----------------------------------------------------------

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


def _num(bits: int):
    top = (1 << bits) - 1

    def parse(text: str) -> int:
        v = int(text, 0) if text[:2].lower() == "0x" else int(text)
        if not 0 <= v <= top:
            raise ValueError(f"out of range: {text}")
        return v
    return parse


# time
def fmt_timestamp(ns: int) -> str:
    sec, sub = divmod(ns, 1_000_000_000)
    return f"{sec}.{sub // 1000:06d}" if sub % 1000 == 0 else f"{sec}.{sub:09d}"


def parse_timestamp(text: str) -> int:
    sec, dot, frac = text.partition(".")
    if not sec.isdigit() or (dot and not frac.isdigit()) or len(frac) > 9:
        raise ValueError(f"bad timestamp '{text}'")
    return int(sec) * 1_000_000_000 + int((frac + "000000000")[:9])


def _set_ts(b, v):
    b.ts_ns = v


def _set_sec(b, v):
    b.ts_ns = v * 1_000_000_000 + b.ts_ns % 1_000_000_000


def _set_usec(b, v):
    b.ts_ns = b.ts_ns - b.ts_ns % 1_000_000_000 + v * 1000


def _fmt_direction(v: int) -> str:
    return ">" if v == 0 else "<" if v == 1 else str(v)


def _parse_direction(text: str) -> int:
    return {">": 0, "<": 1, "L": 0, "R": 1, "X": 1}.get(text) if text in "><LRX" and text \
        else _num(8)(text)


# IP
def _ip_get(n: int, f: Callable) -> Callable:
    def extract(s: Summary):
        o = s.ip_need(n)
        return None if o is None else f(s.data, o)
    return extract


def _ip_set(fn: Callable) -> Callable:
    def inject(b: Builder, v):
        ip = b.make_ip()
        if ip is not None:
            fn(b, ip, v)
    return inject


def _fmt_frag(v: int) -> str:
    if v & 0x3FFF:
        return "F" if v & 0x1FFF == 0 else "f"
    return "!" if v & 0x4000 else "."


def _fmt_fragoff(v: int) -> str:
    return f"{(v & 0x1FFF) << 3}" + ("+" if v & 0x2000 else "") + ("!" if v & 0x4000 else "")


def _parse_fragoff(text: str) -> int:
    simple = {".": 0, "!": 0x4000, "F": 0x2000, "f": 100}
    if text in simple:
        return simple[text]
    i = 0
    while i < len(text) and text[i].isdigit():
        i += 1
    if i == 0:
        raise ValueError(f"bad fragment offset '{text}'")
    v = int(text[:i]) >> 3                      # bytes (format 1.1 and later)
    for c in text[i:]:
        if c == "!":
            v |= 0x4000
        elif c == "+":
            v |= 0x2000
        else:
            raise ValueError(f"bad fragment offset '{text}'")
    return v


def _fmt_proto(v: int) -> str:
    return {TCP: "T", UDP: "U", ICMP: "I"}.get(v, str(v))


def _parse_proto(text: str) -> int:
    return {"T": TCP, "U": UDP, "I": ICMP}.get(text) or _num(8)(text)


def _parse_ecn(text: str) -> int:
    names = {"no": 0, "-": 0, "ect1": 1, "ECT(1)": 1, "ect2": 2, "ECT(0)": 2, "ce": 3, "CE": 3}
    if text in names:
        return names[text]
    if text in ("0", "1", "2", "3"):
        return int(text)
    raise ValueError(f"bad ECN '{text}'")


def _ip_len(s: Summary):
    if s.ip is not None:
        return _u16(s.data, s.ip + 2) + s.extra
    return len(s.data) + s.extra


def _ip_capture_len(s: Summary):
    if s.ip is not None:
        return min(_u16(s.data, s.ip + 2), s.nlen)
    return len(s.data)


def _ip_opt(s: Summary):
    o = s.ip_need(20)
    if o is None:
        return None
    if s.hl > 20 and s.nlen < s.hl:
        return s.missing(None, s.hl)
    return bytes(s.data[o + 20:o + s.hl])


def _set_ip_opt(b: Builder, ip: bytearray, opts: bytes):
    if not opts:
        return
    hl = (20 + len(opts) + 3) & ~3
    old = b.hl()
    if hl > old:
        ip[old:old] = bytes(hl - old)           # shift the rest back
        ip[0] = 0x40 | (hl >> 2)
    ip[20:hl] = opts + bytes(hl - 20 - len(opts))


def _set_ip_hl(b: Builder, ip: bytearray, v: int):
    v = (v + 3) & ~3
    old = b.hl()
    if v > old:
        ip[old:old] = bytes(v - old)
    ip[0] = 0x40 | ((v >> 2) & 15)


def _set_ip_len(b: Builder, ip: bytearray, v: int):
    b.want_len = (14 if b.eth is not None else 0) + v


def _ports(dport: bool):
    def extract(s: Summary):
        d = s.data
        if s.ip is not None and s.nlen > s.hl and s.first_frag() \
                and d[s.ip + 9] in PORT_PROTOS and s.tlen() >= (4 if dport else 2):
            return _u16(d, s.ip + s.hl + (2 if dport else 0))
        return s.missing("TCP/UDP", 4 if dport else 2)
    return extract


def _set_port(dport: bool):
    def inject(b: Builder, v: int):
        if not b.make_transp():
            return
        ip = b.ip
        if (ip[9] and ip[9] not in PORT_PROTOS) or not b.first_frag():
            return
        b.grow(b.hl() + 4)
        struct.pack_into("!H", ip, b.hl() + (2 if dport else 0), v)
    return inject


# IP options (text form of Click's unparse_ip_opt, EOL and NOP not written)
def fmt_ip_opt(opt: bytes) -> str:
    if not opt:
        return "."
    out, i, n = [], 0, len(opt)
    while i < n:
        t = opt[i]
        if t == 0:
            break
        if t == 1:
            i += 1
            continue
        if i + 1 >= n or opt[i + 1] < 2 or i + opt[i + 1] > n:
            return "?"
        ln = opt[i + 1]
        body = opt[i:i + ln]
        if t in (7, 131, 137):                  # RR, LSRR, SSRR
            if ln < 3 or body[2] < 4:
                return "?"
            name = {7: "rr", 131: "lsrr", 137: "ssrr"}[t]
            ptr, o, sep = body[2] - 1, 3, ""
            text = ""
            while o + 4 <= ln:
                if o == ptr:
                    if t == 7:
                        break
                    sep = "^"
                text += sep + ".".join(str(x) for x in body[o:o + 4])
                sep = ","
                o += 4
            if o == ln and o == ptr and t != 7:
                text += "^"
            tail = f"+{(ln - o) // 4}" if o + 4 <= ln and o == ptr and t == 7 else ""
            out.append(f"{name}{{{text}}}{tail}")
        elif t == 68:                           # timestamp
            if ln < 4 or body[2] < 5:
                return "?"
            out.append(_fmt_ip_ts(body))
        else:
            out.append(str(t) + "".join(("=" if k == 0 else ":") + str(x)
                                        for k, x in enumerate(body[2:])))
        i += ln
    return ";".join(out) if out else "."


def _fmt_ip_ts(body: bytes) -> str:
    ln, ptr, flag = body[1], body[2] - 1, body[3] & 15
    size = 8 if flag in (1, 3) else 4
    name = "ts" + {0: "", 1: ".ip", 3: ".preip"}.get(flag, f".{flag}")
    text, sep, o = "", "", 4
    while o + size <= ln:
        if o == ptr:
            if flag != 3:
                break
            sep = "^"
        if flag != 0:
            text += sep + ".".join(str(x) for x in body[o:o + 4]) + "="
            o += 4
        else:
            text += sep
        if flag == 3 and o > ptr:
            text = text[:-1]
        else:
            v = _u32(body, o)
            text += ("!" if v & 0x80000000 else "") + str(v & 0x7FFFFFFF)
        sep = ","
        o += 4
    if o == ln and o == ptr:
        text += "^"
    tail = f"+{(ln - o) // size}" if o + size <= ln and o == ptr else ""
    if body[3] & 0xF0:
        tail += f"++{body[3] >> 4}"
    return f"{name}{{{text}}}{tail}"


def parse_ip_opt(text: str) -> bytes:
    """Options from their text: rr/lsrr/ssrr{...}, numbers with =a:b data, nop, eol."""
    if text in ("", "."):
        return b""
    out = bytearray()
    for item in text.replace(",", ";").split(";") if "{" not in text else _split_opts(text):
        if item in ("nop", "eol"):
            out.append(1 if item == "nop" else 0)
            continue
        for name, code in (("rr", 7), ("lsrr", 131), ("ssrr", 137)):
            if item.startswith(name + "{"):
                inner, _, rest = item[len(name) + 1:].partition("}")
                body, ptr = bytearray(), None
                for a in (x for x in inner.split(",") if x):
                    if a.startswith("^"):
                        ptr, a = len(body), a[1:]
                    if a.endswith("^"):
                        a = a[:-1]
                        ptr_after = True
                    else:
                        ptr_after = False
                    body += socket.inet_aton(a)
                    if ptr_after:
                        ptr = len(body)
                if inner.endswith("^"):
                    ptr = len(body)
                if ptr is None:
                    ptr = len(body)
                if rest.startswith("+") and rest[1:].isdigit():
                    body += bytes(4 * int(rest[1:]))
                out += bytes((code, 3 + len(body), 4 + ptr)) + body
                break
        else:
            num, eq, data = item.partition("=")
            if not num.isdigit() or int(num) > 255:
                raise ValueError(f"bad IP option '{item}'")
            vals = [int(x) for x in data.split(":")] if eq else []
            out.append(int(num))
            if eq:
                out.append(2 + len(vals))
                out += bytes(vals)
    if len(out) > 40:
        raise ValueError("IP options too long")
    return bytes(out)


def _split_opts(text: str) -> list[str]:
    items, depth, cur = [], 0, ""
    for c in text:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        if c in ";," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += c
    items.append(cur)
    return items


# Ethernet
def _mac(s: Summary):
    """Offset of an Ethernet header just before the network header, or None."""
    network = s.nh if s.nh >= 0 else len(s.data)
    if network != 14:
        s.bad = s.bad or "bad Ethernet header"
        return None
    return 0


def _fmt_ether(b: bytes) -> str:
    return "-".join(f"{x:02X}" for x in b)


def _parse_ether(text: str) -> bytes:
    parts = text.replace(":", "-").split("-")
    if len(parts) != 6:
        raise ValueError(f"bad Ethernet address '{text}'")
    return bytes(int(p, 16) for p in parts)


def _link_set(fn: Callable) -> Callable:
    def inject(b: Builder, v):
        if b.eth is None:
            b.eth = bytearray(14)
            b.eth[12:14] = b"\x08\x00"
        fn(b, v)
    return inject


def _set_eth_type(b: Builder, v: int):
    b.eth[12:14] = struct.pack("!H", v)
    if v not in (0x0800, 0x86DD):
        b.is_ip = False


# payload
def _payload_span(s: Summary) -> tuple[int, int]:
    """(offset, length) of the payload in ``s.data`` (Click's payload_info)."""
    if s.ip is None:
        return 0, len(s.data) - s.tailpad
    d, ip = s.data, s.ip
    off = ip + s.hl
    if s.first_frag():
        p = d[ip + 9]
        if p == TCP:
            if s.tlen() >= 13 and (d[off + 12] >> 4) >= 5:
                off += (d[off + 12] >> 4) << 2
            else:
                off += 20
        elif p in (UDP, 136):
            off += 8
    return off, _u16(d, ip + 2) - (off - ip)


def _payload_bytes(s: Summary):
    off, ln = _payload_span(s)
    if ln and off >= len(s.data):
        return None
    return bytes(s.data[off:off + max(min(ln, len(s.data) - off), 0)])


def _payload_len(s: Summary):
    ln = _payload_span(s)[1]
    return ln + (s.extra if s.ip is None else 0)


def quote_payload(b: bytes) -> str:
    """Click's cp_quote: always double-quoted, C escapes, octal for the rest."""
    out = []
    for x in b:
        c = chr(x)
        if c in '\\"$':
            out.append("\\" + c)
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif c == "\n":
            out.append("\\n")
        elif x < 32 or x > 126:
            out.append(f"\\{x:03o}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def md5_text(b: bytes) -> str:
    """An MD5 digest as 22 characters of [A-Za-z0-9_@], 6 bits each, low bits first."""
    digest = hashlib.md5(b).digest()
    v = int.from_bytes(digest, "little")
    return "".join(MD5_CHARS[(v >> bit) & 63] for bit in range(0, 128, 6))


def _set_payload(b: Builder, data: bytes):
    if b.make_ip() is not None:
        b.make_transp()
    if b.ip is None or not data:
        if b.ip is None and data:
            b.is_ip = False
            b.ip = bytearray(data)
        return
    off = b.payload_offset()
    if not _u16(b.ip, 2) and b.want_len == 0:
        b.want_len = (14 if b.eth is not None else 0) + off + len(data)
    b.grow(off + len(data))
    b.ip[off:off + len(data)] = data


def _set_payload_len(b: Builder, v: int):
    if b.make_ip() is not None:
        b.make_transp()
    if b.ip is None:
        return
    if not _u16(b.ip, 2) and b.want_len == 0:
        b.want_len = (14 if b.eth is not None else 0) + b.payload_offset() + v


# TCP
def _tcp_get(n: int, f: Callable) -> Callable:
    def extract(s: Summary):
        if s.tcp is None or s.tlen() < n:
            return s.missing("TCP", n)
        return f(s.data, s.tcp)
    return extract


def _tcp_set(fn: Callable) -> Callable:
    def inject(b: Builder, v):
        ip = b.make_ip()
        if ip is None:
            return
        if not _u16(ip, 6) & 0x1FFF and ip[9] == 0:
            ip[9] = TCP
        if ip[9] != TCP or not b.make_transp() or not b.first_frag():
            return
        b.grow(b.hl() + 20)
        fn(b, b.ip, b.hl(), v)
    return inject


def fmt_tcp_flags(v: int) -> str:
    if v == 0x18:
        return "PA"
    if v == 0x10:
        return "A"
    if v == 0:
        return "."
    return "".join(c for i, c in enumerate(TCP_FLAG_CHARS) if v & (1 << i))


def parse_tcp_flags(text: str) -> int:
    if text == ".":
        return 0
    if text[:1].isdigit():
        v = int(text, 0)
        if v >= 0x1000:
            raise ValueError("bad TCP flags")
        return v
    v = 0
    for c in text:
        if c not in TCP_FLAG_BITS:
            raise ValueError(f"bad TCP flags '{text}'")
        v |= 1 << TCP_FLAG_BITS[c]
    return v


def _tcp_opt_bytes(which: str):
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


def fmt_tcp_opt(opt: bytes, which: str = "all") -> str:
    """Click's unparse_tcp_opt: which is 'all', 'nt' (no timestamps) or 'sack'."""
    out, i, n = [], 0, len(opt)
    show = {"all": {2, 3, 4, 5, 8, "x"}, "nt": {2, 3, 4, 5, "x"}, "sack": {4, 5}}[which]
    while i < n:
        t = opt[i]
        if t == 0:
            break
        if t == 1:
            i += 1
            continue
        if i + 1 >= n:
            return "?"
        ln = opt[i + 1]
        if i + ln > n or ln < 2:
            return "?"
        body = opt[i:i + ln]
        kind = t if t in (2, 3, 4, 5, 8) else "x"
        if (t == 2 and ln != 4) or (t == 3 and ln != 3) or (t == 4 and ln != 2) \
                or (t == 5 and ln % 8 != 2) or (t == 8 and ln != 10):
            return "?"
        if kind in show:
            if t == 2:
                out.append(f"mss{_u16(body, 2)}")
            elif t == 3:
                out.append(f"wscale{body[2]}")
            elif t == 4:
                out.append("sackok")
            elif t == 5:
                out += [f"sack{_u32(body, k)}-{_u32(body, k + 4)}" for k in range(2, ln, 8)]
            elif t == 8:
                out.append(f"ts{_u32(body, 2)}:{_u32(body, 6)}")
            else:
                out.append(str(t) + "".join(("=" if k == 0 else ":") + str(x)
                                            for k, x in enumerate(body[2:])))
        i += ln
    return ";".join(out) if out else "."


def parse_tcp_opt(text: str) -> bytes:
    if text in ("", "."):
        return b""
    out = bytearray()
    for item in text.replace(",", ";").split(";"):
        if item.startswith("mss"):
            out += struct.pack("!BBH", 2, 4, int(item[3:]))
        elif item.startswith("wscale"):
            out += bytes((3, 3, int(item[6:])))
        elif item == "sackok":
            out += b"\x04\x02"
        elif item.startswith("sack"):
            a, _, z = item[4:].replace(":", "-").partition("-")
            out += struct.pack("!BBII", 5, 10, int(a), int(z))
        elif item.startswith("ts"):
            a, _, z = item[2:].partition(":")
            if not out:
                out += b"\x01\x01"
            out += struct.pack("!BBII", 8, 10, int(a), int(z))
        elif item in ("nop", "eol"):
            out.append(1 if item == "nop" else 0)
        else:
            num, eq, data = item.partition("=")
            vals = [int(x) for x in data.split(":")] if eq else []
            out.append(int(num))
            if eq:
                out.append(2 + len(vals))
                out += bytes(vals)
    if len(out) > 40:
        raise ValueError("TCP options too long")
    return bytes(out)


def _set_tcp_opt(b: Builder, ip: bytearray, th: int, opts: bytes):
    b.have_tcp_hl = True
    if not opts:
        return
    b.have_tcp_opt = True
    off = (20 + len(opts) + 3) & ~3
    cur = (ip[th + 12] >> 4) << 2
    if off > cur:
        ip[th + cur:th + cur] = bytes(off - cur)
        ip[th + 12] = (off >> 2) << 4 | (ip[th + 12] & 15)
    ip[th + 20:th + off] = opts + bytes(off - 20 - len(opts))


def _set_tcp_opt_subset(b: Builder, ip: bytearray, th: int, opts: bytes):
    """tcp_ntopt, tcp_sack: only when no full tcp_opt set the options already."""
    if not b.have_tcp_opt:
        _set_tcp_opt(b, ip, th, opts)


def _set_tcp_off(b: Builder, ip: bytearray, th: int, v: int):
    v = (v + 3) & ~3
    cur = (ip[th + 12] >> 4) << 2
    if v > cur:
        ip[th + cur:th + cur] = bytes(v - cur)
    ip[th + 12] = ((v >> 2) & 15) << 4 | (ip[th + 12] & 15)


def _pack_at(fmt: str, pos: int):
    def fn(b, ip, th, v):
        struct.pack_into(fmt, ip, th + pos, v)
    return fn


def _set_tcp_flags(b, ip, th, v):
    ip[th + 13] = v & 0xFF
    ip[th + 12] = (ip[th + 12] & 0xF0) | ((v >> 8) & 15)


# UDP
def _udp_len(s: Summary):
    if s.udp is None or s.tlen() < 6:
        return s.missing("UDP", 6)
    return _u16(s.data, s.udp + 4)


def _set_udp_len(b: Builder, v: int):
    ip = b.make_ip()
    if ip is None:
        return
    if ip[9] != UDP or not b.make_transp() or not b.first_frag():
        return
    b.grow(b.hl() + 8)
    struct.pack_into("!H", ip, b.hl() + 4, v)


# ICMP
def _icmp_get(n: int, f: Callable, types=None) -> Callable:
    def extract(s: Summary):
        if s.icmp is None or s.tlen() < max(1, 2 if types == "unreach" else 1):
            return s.missing("ICMP", n)
        t = s.data[s.icmp]
        if types == "id" and t not in ICMP_WITH_ID:
            return None
        if types == "unreach" and (t != 3 or s.data[s.icmp + 1] != 4):
            return None
        if s.tlen() < n:
            return s.missing("ICMP", n)
        return f(s.data, s.icmp)
    return extract


def _icmp_set(fn: Callable) -> Callable:
    def inject(b: Builder, v):
        ip = b.make_ip()
        if ip is None:
            return
        if ip[9] != ICMP:
            ip[9] = ICMP
        if not b.make_transp() or not b.first_frag():
            return
        b.grow(b.hl() + 8)
        fn(b, b.ip, b.hl(), v)
    return inject


def _set_icmp_type(b, ip, th, v):
    ip[th] = v
    b.have_icmp_type = True


def _set_icmp_code(b, ip, th, v):
    ip[th + 1] = v
    b.have_icmp_code = True


def _set_icmp_id_seq(pos: int):
    def fn(b, ip, th, v):
        if not b.have_icmp_type or ip[th] in ICMP_WITH_ID:
            struct.pack_into("!H", ip, th + pos, v)
    return fn


def _set_icmp_mtu(b, ip, th, v):
    if (not b.have_icmp_type or ip[th] == 3) and (not b.have_icmp_code or ip[th + 1] == 4):
        struct.pack_into("!H", ip, th + 6, v)


def _parse_icmp_type(text: str) -> int:
    for k, name in ICMP_TYPES.items():
        if name == text:
            return k
    return _num(8)(text)


def _anno(off: int, size: int):
    def extract(s: Summary):
        return int.from_bytes(s.anno[off:off + size], "little")
    return extract


def _set_anno(off: int, size: int):
    def inject(b: Builder, v: int):
        b.anno[off:off + size] = (v & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
    return inject


def _ip_byte(i):
    return lambda d, o: d[o + i]


def _ip_word(i):
    return lambda d, o: _u16(d, o + i)


def _store(fmt: str, pos: int):
    def fn(b, ip, v):
        struct.pack_into(fmt, ip, pos, v)
    return fn


def _set_tos_part(mask: int, shift: int):
    def fn(b, ip, v):
        ip[1] = (ip[1] & ~mask & 0xFF) | ((v << shift) & mask)
    return fn


_F = Field
FIELDS: dict[str, Field] = {f.name: f for f in (
    # annotations
    _F("timestamp", lambda s: s.ts_ns, fmt_timestamp, parse_timestamp, _set_ts, ORDER_ANNO),
    _F("ts_sec", lambda s: s.ts_ns // 1_000_000_000, str, _num(32), _set_sec, ORDER_ANNO),
    _F("ts_usec", lambda s: s.ts_ns % 1_000_000_000 // 1000, str, _num(32), _set_usec,
       ORDER_ANNO + 1),
    _F("count", lambda s: 1 + _u32le(s.anno, ANNO_EXTRA_PACKETS), str, _num(32),
       lambda b, v: b.set_anno32(ANNO_EXTRA_PACKETS, v - 1 if v else 0), ORDER_ANNO),
    _F("link", _anno(ANNO_PAINT, 1), str, _parse_direction, _set_anno(ANNO_PAINT, 1),
       ORDER_ANNO),
    _F("paint", _anno(ANNO_PAINT, 1), str, _parse_direction, _set_anno(ANNO_PAINT, 1),
       ORDER_ANNO),
    _F("direction", _anno(ANNO_PAINT, 1), _fmt_direction, _parse_direction,
       _set_anno(ANNO_PAINT, 1), ORDER_ANNO),
    _F("aggregate", _anno(ANNO_AGGREGATE, 4), str, _num(32), _set_anno(ANNO_AGGREGATE, 4),
       ORDER_ANNO),
    _F("wire_len", lambda s: len(s.data), str, _num(32),
       lambda b, v: setattr(b, "want_len", v), ORDER_ANNO),
    # IP
    _F("ip_src", _ip_get(16, lambda d, o: bytes(d[o + 12:o + 16])), socket.inet_ntoa,
       socket.inet_aton, _ip_set(lambda b, ip, v: ip.__setitem__(slice(12, 16), v))),
    _F("ip_dst", _ip_get(20, lambda d, o: bytes(d[o + 16:o + 20])), socket.inet_ntoa,
       socket.inet_aton, _ip_set(lambda b, ip, v: ip.__setitem__(slice(16, 20), v))),
    _F("ip_tos", _ip_get(2, _ip_byte(1)), str, _num(8), _ip_set(_set_tos_part(0xFF, 0))),
    _F("ip_dscp", _ip_get(2, lambda d, o: d[o + 1] >> 2), str, _num(8),
       _ip_set(_set_tos_part(0xFC, 2))),
    _F("ip_ecn", _ip_get(2, lambda d, o: d[o + 1] & 3), lambda v: ECN_NAMES[v], _parse_ecn,
       _ip_set(_set_tos_part(0x03, 0))),
    _F("ip_ttl", _ip_get(9, _ip_byte(8)), str, _num(8), _ip_set(_store("!B", 8))),
    _F("ip_frag", _ip_get(8, _ip_word(6)), _fmt_frag, _parse_fragoff, _ip_set(_store("!H", 6)),
       ORDER_NET - 2),
    _F("ip_fragoff", _ip_get(8, _ip_word(6)), _fmt_fragoff, _parse_fragoff,
       _ip_set(_store("!H", 6)), ORDER_NET - 1),
    _F("ip_id", _ip_get(6, _ip_word(4)), str, _num(16), _ip_set(_store("!H", 4))),
    _F("ip_sum", _ip_get(12, _ip_word(10)), str, _num(16), _ip_set(_store("!H", 10)),
       ORDER_NET + 2),
    _F("ip_proto", _ip_get(10, _ip_byte(9)), _fmt_proto, _parse_proto,
       _ip_set(_store("!B", 9))),
    _F("ip_hl", _ip_get(1, lambda d, o: (d[o] & 15) << 2), str, _num(8), _ip_set(_set_ip_hl),
       ORDER_NET - 1),
    _F("ip_len", _ip_len, str, _num(32), _ip_set(_set_ip_len), ORDER_NET + 1),
    _F("ip_capture_len", _ip_capture_len, str),
    _F("ip_opt", _ip_opt, fmt_ip_opt, parse_ip_opt, _ip_set(_set_ip_opt)),
    _F("sport", _ports(False), str, _num(16), _set_port(False), ORDER_TRANSP),
    _F("dport", _ports(True), str, _num(16), _set_port(True), ORDER_TRANSP),
    # Ethernet
    _F("eth_src", lambda s: bytes(s.data[6:12]) if _mac(s) is not None else None,
       _fmt_ether, _parse_ether, _link_set(lambda b, v: b.eth.__setitem__(slice(6, 12), v)),
       ORDER_LINK),
    _F("eth_dst", lambda s: bytes(s.data[0:6]) if _mac(s) is not None else None,
       _fmt_ether, _parse_ether, _link_set(lambda b, v: b.eth.__setitem__(slice(0, 6), v)),
       ORDER_LINK),
    _F("eth_type", lambda s: _u16(s.data, 12) if _mac(s) is not None else None,
       lambda v: f"{v:04X}", lambda t: _num(16)(str(int(t, 16))), _link_set(_set_eth_type),
       ORDER_LINK),
    # payload
    _F("payload_len", _payload_len, str, _num(32), _set_payload_len, ORDER_PAYLOAD + 1),
    _F("payload", _payload_bytes, quote_payload,
       lambda t: cs.unquote(t).encode("latin-1"), _set_payload, ORDER_PAYLOAD),
    _F("payload_md5", _payload_bytes, md5_text),
    _F("payload_md5_hex", _payload_bytes, lambda b: hashlib.md5(b).hexdigest()),
    # TCP
    _F("tcp_seq", _tcp_get(8, lambda d, o: _u32(d, o + 4)), str, _num(32),
       _tcp_set(_pack_at("!I", 4)), ORDER_TRANSP),
    _F("tcp_ack", _tcp_get(12, lambda d, o: _u32(d, o + 8)), str, _num(32),
       _tcp_set(_pack_at("!I", 8)), ORDER_TRANSP),
    _F("tcp_off", _tcp_get(13, lambda d, o: (d[o + 12] >> 4) << 2), str, _num(8),
       _tcp_set(_set_tcp_off), ORDER_TRANSP),
    _F("tcp_flags", _tcp_get(14, lambda d, o: d[o + 13] | ((d[o + 12] & 1) << 8)),
       fmt_tcp_flags, parse_tcp_flags, _tcp_set(_set_tcp_flags), ORDER_TRANSP),
    _F("tcp_window", _tcp_get(16, lambda d, o: _u16(d, o + 14)), str, _num(16),
       _tcp_set(_pack_at("!H", 14)), ORDER_TRANSP),
    _F("tcp_urp", _tcp_get(20, lambda d, o: _u16(d, o + 18)), str, _num(16),
       _tcp_set(_pack_at("!H", 18)), ORDER_TRANSP),
    _F("tcp_opt", _tcp_opt_bytes("all"), fmt_tcp_opt, parse_tcp_opt, _tcp_set(_set_tcp_opt),
       ORDER_TRANSP),
    _F("tcp_ntopt", _tcp_opt_bytes("nt"), lambda b: fmt_tcp_opt(b, "nt"), parse_tcp_opt,
       _tcp_set(_set_tcp_opt_subset), ORDER_TRANSP + 1),
    _F("tcp_sack", _tcp_opt_bytes("sack"), lambda b: fmt_tcp_opt(b, "sack"), parse_tcp_opt,
       _tcp_set(_set_tcp_opt_subset), ORDER_TRANSP + 1),
    # UDP, ICMP
    _F("udp_len", _udp_len, str, _num(16), _set_udp_len, ORDER_TRANSP),
    _F("icmp_type", _icmp_get(1, lambda d, o: d[o]), str, _parse_icmp_type,
       _icmp_set(_set_icmp_type), ORDER_TRANSP),
    _F("icmp_code", _icmp_get(2, lambda d, o: d[o + 1]), str, _num(8),
       _icmp_set(_set_icmp_code), ORDER_TRANSP + 1),
    _F("icmp_type_name", _icmp_get(1, lambda d, o: d[o]), lambda v: ICMP_TYPES.get(v, str(v)),
       _parse_icmp_type, _icmp_set(_set_icmp_type), ORDER_TRANSP),
    _F("icmp_code_name", _icmp_get(2, lambda d, o: (d[o], d[o + 1])),
       lambda tc: ICMP_CODES.get(tc[0], {}).get(tc[1], str(tc[1])), None, None,
       ORDER_TRANSP + 1),
    _F("icmp_flowid", _icmp_get(6, lambda d, o: _u16(d, o + 4), "id"), str, _num(16),
       _icmp_set(_set_icmp_id_seq(4)), ORDER_TRANSP + 2),
    _F("icmp_seq", _icmp_get(8, lambda d, o: _u16(d, o + 6), "id"), str, _num(16),
       _icmp_set(_set_icmp_id_seq(6)), ORDER_TRANSP + 2),
    _F("icmp_nextmtu", _icmp_get(8, lambda d, o: _u16(d, o + 6), "unreach"), str, _num(16),
       _icmp_set(_set_icmp_mtu), ORDER_TRANSP + 2),
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


def parse_fields(text: str) -> list[Field]:
    """A space-separated field list (FIELDS/CONTENTS, '!data'); ValueError for unknown names."""
    out = []
    for word in cs.split_spaces(text):
        word = cs.unquote(word)
        f = find_field(word)
        if f is None:
            raise ValueError(f"unknown content type '{word}'")
        out.append(f)
    return out


def format_line(fields, s: Summary) -> str:
    """One dump line: each field's text, or '-' when the packet lacks it."""
    words = []
    for f in fields:
        v = f.extract(s)
        words.append("-" if v is None else f.fmt(v))
    return " ".join(words)
