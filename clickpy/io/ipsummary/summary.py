"""summary -- one packet as ToIPSummaryDump sees it: its headers found and bounds-checked once."""
from __future__ import annotations

from clickpy.io.ipsummary.octets import u16, u32le
from clickpy.runtime.nameinfo import IP_PORT_PROTOS, IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP
from clickpy.runtime.packet import ANNOTATIONS

_EXTRA_LENGTH = ANNOTATIONS["EXTRA_LENGTH"][0]

# what each protocol word of a '!bad' reason accepts (Click's field_missing)
_PROTOS = {"TCP": (IP_PROTO_TCP,), "UDP": (IP_PROTO_UDP,), "ICMP": (IP_PROTO_ICMP,),
           "TCP/UDP": IP_PORT_PROTOS}


class Summary:
    """One packet, as the writer sees it.

    ``data`` starts at the packet's data; ``nh`` is the network header's
    offset in it, or -1. Header attributes are None when absent or bad;
    ``bad`` holds the first '!bad' reason.
    """

    __slots__ = ("data", "nh", "ts_ns", "anno", "extra", "ip", "tcp", "udp", "icmp",
                 "hl", "nlen", "tailpad", "bad", "use_extra")

    def __init__(self, data: bytes, nh: int, ts_ns: int, anno: bytes, use_extra: bool = True):
        self.data, self.nh, self.ts_ns, self.anno = data, nh, ts_ns, anno
        self.use_extra = use_extra
        self.extra = u32le(anno, _EXTRA_LENGTH) if use_extra else 0
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
        ip_len = u16(d, nh + 2)
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
        if proto == IP_PROTO_TCP:
            if self.tlen() > 12 and (d[th + 12] >> 4) < 5:
                return self._bad(f"TCP header length {d[th + 12] >> 4}")
            self.tcp = th
        elif proto == IP_PROTO_UDP:
            self.udp = th
        elif proto == IP_PROTO_ICMP:
            self.icmp = th

    def _bad(self, why: str):
        self.bad = self.bad or why

    def first_frag(self) -> bool:
        return self.ip is not None and self.nlen >= 8 and u16(self.data, self.ip + 6) & 0x1FFF == 0

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
        elif self.nlen > 9 and self.data[self.ip + 9] not in _PROTOS[proto]:
            pass                                # wrong protocol: silent
        elif not self.first_frag():
            self.bad = f"fragmented {proto} header"
        elif u16(self.data, self.ip + 2) - self.hl >= need:    # ip_len covers it
            self.bad = f"truncated {proto} header capture"
        else:
            self.bad = f"truncated {proto} header"
        return None

    def ip_need(self, n: int):
        """Offset of the IP header if ``n`` bytes of it were captured."""
        if self.ip is None or self.nlen < n:
            return self.missing(None, n)
        return self.ip
