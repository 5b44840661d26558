# setudpchecksum.pyx -- SetUDPChecksum: computes UDP checksums over the pseudo-header
import sys

from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_MF,
    IP_OFF,
    IP_OFFMASK,
    IP_PROTO,
    UDP_HLEN,
    UDP_LEN,
    UDP_SUM,
    load_be16,
    pkt_ip_header,
    store_be16,
)
from clickpy.runtime.inet cimport csum_transport
from clickpy.runtime.packet cimport Batch, Packet, pkt_transport_offset, pkt_uniqueify


cdef class SetUDPChecksum(Element):
    """
    =c
    SetUDPChecksum
    =s udp
    sets UDP packets' checksums
    =io
    One input. Output 0: UDP packets with their checksum set. Output 1
    (optional): fragments and short packets.
    =processing
    Agnostic; output 1 is push.
    =d
    Expects UDP/IP packets with the network and transport header
    annotations set; the IP protocol is not checked. Computes the UDP
    checksum over the pseudo-header and the UDP length bytes (RFC 768) and
    stores it. IP fragments, and packets whose UDP length is longer than
    the bytes after the transport header, leave unchanged on output 1; when
    output 1 is not connected they are dropped, and the first one (per
    router) prints "NAME: fragment or short packet" to standard error.
    =n
    A computed checksum of zero is stored as 0xFFFF, as RFC 768 asks (Click
    stores 0, which means "no checksum"). A UDP length below 8, and a
    packet without a 20-byte network header, count as short.
    =e
      ... -> UDPIPEncap(...) -> SetIPAddress(...) -> SetUDPChecksum -> ...
    =a CheckUDPHeader, SetIPChecksum, CheckIPHeader, SetTCPChecksum
    """
    port_count = "1/1-2"
    processing = "a/ah"

    cdef bint _short(self) noexcept nogil:
        if self._noutputs == 1:
            with gil:
                if not getattr(self.router, "_setudpchecksum_warned", False):
                    self.router._setudpchecksum_warned = True
                    sys.stderr.write(f"{self.name}: fragment or short packet\n")
        return 1

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>SetUDPChecksum.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>SetUDPChecksum.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip
        cdef uint8_t *udp
        cdef int64_t off, avail, length
        cdef uint16_t s
        ip = pkt_ip_header(p)
        off = pkt_transport_offset(p)
        if ip == NULL or off < 0:
            return self._short()
        avail = <int64_t>p.length - off
        if (load_be16(ip + IP_OFF) & (IP_MF | IP_OFFMASK)) != 0 or avail < UDP_HLEN:
            return self._short()
        length = load_be16(p.data + off + UDP_LEN)
        if length < UDP_HLEN or avail < length:
            return self._short()
        if pkt_uniqueify(p) < 0:
            return DROP
        ip = pkt_ip_header(p)
        udp = p.data + off
        store_be16(udp + UDP_SUM, 0)
        s = csum_transport(ip, ip[IP_PROTO], udp, <uint32_t>length)
        store_be16(udp + UDP_SUM, s if s != 0 else 0xFFFF)
        return 0
