# checktcpheader.pyx -- CheckTCPHeader: validates TCP header lengths and checksums
from libc.stdint cimport int64_t, uint8_t, uint32_t

from clickpy.runtime.element cimport action_fn, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_PROTO_TCP,
    TCP_HLEN_MIN,
    TCP_OFF,
    ip_hlen,
    ip_len,
    pkt_tcp_header,
)
from clickpy.runtime.inet cimport csum_transport_ok
from clickpy.runtime.packet cimport Batch, Packet
from clickpy.elements.tcpudp.transportcheck cimport (
    TC_CHECKSUM,
    TC_LENGTH,
    TC_NOT_PROTO,
    TransportCheck,
    tc_fits,
    tc_ip_header,
)
from clickpy.runtime.args import Arg, Bool


cdef class CheckTCPHeader(TransportCheck):
    """
    =c
    CheckTCPHeader([VERBOSE, DETAILS])
    =s tcp
    checks TCP header on TCP/IP packets
    =io
    One input. Output 0: valid TCP packets. Output 1 (optional): invalid
    packets.
    =processing
    Agnostic; output 1 is push.
    =d
    Expects IP packets with the network and transport header annotations
    set (CheckIPHeader or MarkIPHeader). A packet is bad when it has no
    network header or its protocol is not TCP ("not TCP"); when the TCP
    data offset is below 20 bytes or larger than the segment (IP total
    length minus IP header length), or the packet is shorter than the IP
    total length says ("bad packet length"); or when the checksum over
    the pseudo-header and the segment is wrong ("bad TCP checksum", RFC 793
    section 3.1). Bad packets leave on output 1, or are dropped when output
    1 is not connected.

    The first bad packet prints a message to standard error (every one with
    VERBOSE).
    =item VERBOSE
    Boolean. Print a message for every bad packet. Default is false.
    =item DETAILS
    Boolean. Provide the drop_details handler. Default is false.
    =n
    Per reason counts are kept whether or not DETAILS is given; DETAILS only
    decides whether drop_details exists. Packets with fewer than 20 bytes
    after the transport header annotation count as "bad packet length"
    before their data offset is read; a network header with fewer than 20
    bytes in the packet counts as "not TCP".
    =e
      ... -> CheckIPHeader -> IPClassifier(tcp, -) => (CheckTCPHeader -> ...), ...
    =h drops read-only
    Number of bad packets seen.
    =h drop_details read-only
    One line per reason, "COUNT<tab>REASON". Only with DETAILS true.
    =a CheckIPHeader, CheckUDPHeader, CheckICMPHeader, MarkIPHeader, SetTCPChecksum
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = (Arg("VERBOSE", Bool, default=False),
            Arg("DETAILS", Bool, default=False))

    PROTOCOL = "TCP"

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>CheckTCPHeader.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>CheckTCPHeader.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip = tc_ip_header(p, IP_PROTO_TCP)
        cdef uint8_t *tcp
        cdef int64_t seglen, thlen
        if ip == NULL:
            return self._bad(TC_NOT_PROTO)
        tcp = pkt_tcp_header(p)
        if tcp == NULL:
            return self._bad(TC_LENGTH)
        seglen = <int64_t>ip_len(ip) - ip_hlen(ip)
        thlen = (tcp[TCP_OFF] >> 4) << 2
        if thlen < TCP_HLEN_MIN or seglen < thlen or not tc_fits(p, ip, tcp, seglen):
            return self._bad(TC_LENGTH)
        if not csum_transport_ok(ip, IP_PROTO_TCP, tcp, <uint32_t>seglen):
            return self._bad(TC_CHECKSUM)
        return 0
