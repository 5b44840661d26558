"""builder -- a packet made from one dump line, and its checksums (FromIPSummaryDump)."""
from __future__ import annotations

import struct

from clickpy.io.ipsummary.octets import u16
from clickpy.runtime.checksum import internet_checksum
from clickpy.runtime.nameinfo import (
    IP_PROTO_DCCP,
    IP_PROTO_ICMP,
    IP_PROTO_TCP,
    IP_PROTO_UDP,
    IP_PROTO_UDPLITE,
)
from clickpy.runtime.packet import ANNOTATION_AREA_SIZE

# transport header bytes made for a first fragment, by protocol
_TRANSPORT_HLEN = {IP_PROTO_TCP: 20, IP_PROTO_UDP: 8, IP_PROTO_UDPLITE: 8, IP_PROTO_DCCP: 12,
                   IP_PROTO_ICMP: 8}


class Builder:
    """A packet under construction from one dump line (Click's PacketOdesc).

    ``ip`` is the IP datagram (header, transport, payload), ``eth`` an
    Ethernet header when eth_* fields were given. ``want_len`` is the
    length the line claims (wire_len, ip_len, payload_len).
    """

    def __init__(self, default_proto: int = IP_PROTO_TCP, flowid=None, minor_version: int = 3):
        self.ip: bytearray | None = None
        self.eth: bytearray | None = None
        self.is_ip = True
        self.want_len = 0
        self.ts_ns = 0
        self.anno = bytearray(ANNOTATION_AREA_SIZE)
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
        return u16(self.ip, 6) & 0x1FFF == 0

    def make_transp(self) -> bool:
        """Makes room for the transport header the protocol needs (first fragment)."""
        ip = self.make_ip()
        if ip is None:
            return False
        if not self.first_frag():
            return True
        need = _TRANSPORT_HLEN.get(ip[9])
        if need is None:
            return True
        th = self.hl()
        if 0 < self.want_len < th + need:
            need = max(self.want_len - th, 0)
        if len(ip) - th < need:
            ip.extend(bytes(th + need - len(ip)))
            if ip[9] == IP_PROTO_TCP and need >= 13:
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
            if self.ip[9] == IP_PROTO_TCP:
                th = self.ip[off + 12] >> 4 if len(self.ip) > off + 12 else 0
                off += th << 2 if th >= 5 else 20
            elif self.ip[9] in (IP_PROTO_UDP, IP_PROTO_UDPLITE):
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
            ip_len = u16(ip, 2)
            if not ip_len:
                ip_len = self.want_len - nh_off if self.want_len >= nh_off else self.want_len
                ip_len = min(ip_len, 0xFFFF) or len(ip)
                struct.pack_into("!H", ip, 2, ip_len)
            hl = self.hl()
            if ip[9] == IP_PROTO_UDP and self.first_frag() and len(ip) >= hl + 6 \
                    and not u16(ip, hl + 4):
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
    if u16(ip, 6) & 0x3FFF:                     # MF or an offset: a fragment
        return
    t = ip[hl:]
    pseudo = bytes(ip[12:20]) + struct.pack("!BBH", 0, ip[9], len(t))
    if ip[9] == IP_PROTO_TCP and len(t) >= 18:
        ip[hl + 16:hl + 18] = b"\0\0"
        struct.pack_into("!H", ip, hl + 16, internet_checksum(pseudo + bytes(ip[hl:])))
    elif ip[9] == IP_PROTO_UDP and len(t) >= 8:
        ip[hl + 6:hl + 8] = b"\0\0"
        c = internet_checksum(pseudo + bytes(ip[hl:]))
        struct.pack_into("!H", ip, hl + 6, c or 0xFFFF)     # RFC 768: 0 means none
    elif ip[9] == IP_PROTO_ICMP and len(t) >= 4:
        ip[hl + 2:hl + 4] = b"\0\0"
        struct.pack_into("!H", ip, hl + 2, internet_checksum(bytes(ip[hl:])))
