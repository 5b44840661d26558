# settcpchecksum.pyx -- SetTCPChecksum: computes TCP checksums over the pseudo-header
import sys

from libc.stdint cimport int64_t, uint8_t, uint32_t

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_MF,
    IP_OFF,
    IP_OFFMASK,
    IP_PROTO,
    TCP_HLEN_MIN,
    TCP_OFF,
    TCP_SUM,
    ip_hlen,
    ip_len,
    load_be16,
    pkt_ip_header,
    store_be16,
)
from clickpy.runtime.inet cimport csum_transport
from clickpy.runtime.packet cimport Batch, Packet, pkt_transport_offset, pkt_uniqueify
from clickpy.runtime.args import POSITIONAL, Arg, Bool


cdef class SetTCPChecksum(Element):
    """
    =c
    SetTCPChecksum([FIXOFF])
    =s tcp
    sets TCP packets' checksums
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Expects TCP/IP packets with the network and transport header
    annotations set. Computes the TCP checksum over the pseudo-header (from
    the IP header's addresses and protocol) and the segment, whose length
    is the IP total length minus the IP header length (RFC 793 section
    3.1), and stores it. A packet whose segment is shorter than 20 bytes or
    longer than the bytes after the transport header is dropped with the
    message "SetTCPChecksum: bad lengths".
    =item FIXOFF
    Boolean. First repair the TCP data offset: one below 20 bytes becomes 20,
    and one beyond the segment (unless the packet is a fragment) becomes
    the segment length in words. Default is false.
    =n
    Packets without a network header, or with fewer than 20 header bytes
    there, are dropped with the same message.
    =e
      ... -> SetIPAddress(...) -> SetTCPChecksum -> SetIPChecksum -> ...
    =a CheckTCPHeader, SetIPChecksum, CheckIPHeader, SetUDPChecksum
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("FIXOFF", Bool, POSITIONAL, default=False),)

    cdef bint fixoff            # FIXOFF: repair the data offset first

    def configure(self, args):
        self.fixoff = args.FIXOFF

    cdef int _bad(self) noexcept nogil:
        with gil:
            sys.stderr.write("SetTCPChecksum: bad lengths\n")
        return DROP

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>SetTCPChecksum.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>SetTCPChecksum.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip
        cdef uint8_t *tcp
        cdef int64_t plen, avail, off
        if pkt_uniqueify(p) < 0:
            return DROP
        ip = pkt_ip_header(p)
        off = pkt_transport_offset(p)
        if ip == NULL or off < 0:
            return self._bad()
        avail = <int64_t>p.length - off
        plen = <int64_t>ip_len(ip) - ip_hlen(ip)
        if plen < TCP_HLEN_MIN or plen > avail:
            return self._bad()
        tcp = p.data + off
        if self.fixoff:
            if ((tcp[TCP_OFF] >> 4) << 2) < TCP_HLEN_MIN:
                tcp[TCP_OFF] = <uint8_t>((TCP_HLEN_MIN >> 2) << 4 | (tcp[TCP_OFF] & 0x0F))
            elif ((tcp[TCP_OFF] >> 4) << 2) > plen \
                    and (load_be16(ip + IP_OFF) & (IP_MF | IP_OFFMASK)) == 0:
                tcp[TCP_OFF] = <uint8_t>((plen >> 2) << 4 | (tcp[TCP_OFF] & 0x0F))
        store_be16(tcp + TCP_SUM, 0)
        store_be16(tcp + TCP_SUM, csum_transport(ip, ip[IP_PROTO], tcp, <uint32_t>plen))
        return 0
