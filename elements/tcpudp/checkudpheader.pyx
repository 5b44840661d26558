# checkudpheader.pyx -- CheckUDPHeader: validates UDP lengths and checksums
from libc.stdint cimport int64_t, uint8_t, uint32_t

from clickpy.runtime.element cimport action_fn, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_PROTO_UDP,
    UDP_HLEN,
    UDP_LEN,
    UDP_SUM,
    load_be16,
    pkt_udp_header,
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


cdef class CheckUDPHeader(TransportCheck):
    """
    =c
    CheckUDPHeader([VERBOSE, DETAILS])
    =s udp
    checks UDP header on UDP/IP packets
    =io
    One input. Output 0: valid UDP packets. Output 1 (optional): invalid
    packets.
    =processing
    Agnostic; output 1 is push.
    =d
    Expects IP packets with the network and transport header annotations
    set (CheckIPHeader or MarkIPHeader). A packet is bad when it has no
    network header or its protocol is not UDP ("not UDP"); when the UDP
    length is below 8 or the packet is shorter than the IP header plus the
    UDP length ("bad packet length"); or when its checksum is not zero
    (RFC 768: none computed) and the sum over the pseudo-header and the
    UDP length bytes is wrong ("bad UDP checksum"). Bad packets leave on
    output 1, or are dropped when output 1 is not connected.

    The first bad packet prints a message to standard error (every one with
    VERBOSE), without the element's name, as Click does.
    =item VERBOSE
    Boolean. Print a message for every bad packet. Default is false.
    =item DETAILS
    Boolean. Provide the drop_details handler. Default is false.
    =n
    Per reason counts are kept whether or not DETAILS is given; DETAILS only
    decides whether drop_details exists. Packets with fewer than 8 bytes
    after the transport header annotation count as "bad packet length"; a
    network header with fewer than 20 bytes in the packet counts as "not
    UDP".
    =e
      ... -> CheckIPHeader -> IPClassifier(udp, -) => (CheckUDPHeader -> ...), ...
    =h drops read-only
    Number of bad packets seen.
    =h drop_details read-only
    One line per reason, "COUNT<tab>REASON". Only with DETAILS true.
    =a CheckIPHeader, CheckTCPHeader, CheckICMPHeader, MarkIPHeader, SetUDPChecksum
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = (Arg("VERBOSE", Bool, default=False),
            Arg("DETAILS", Bool, default=False))

    PROTOCOL = "UDP"
    NAMED_MESSAGES = False             # Click's message omits the name

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>CheckUDPHeader.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>CheckUDPHeader.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip = tc_ip_header(p, IP_PROTO_UDP)
        cdef uint8_t *udp
        cdef int64_t length
        if ip == NULL:
            return self._bad(TC_NOT_PROTO)
        udp = pkt_udp_header(p)
        if udp == NULL:
            return self._bad(TC_LENGTH)
        length = load_be16(udp + UDP_LEN)
        if length < UDP_HLEN or not tc_fits(p, ip, udp, length):
            return self._bad(TC_LENGTH)
        if load_be16(udp + UDP_SUM) != 0 \
                and not csum_transport_ok(ip, IP_PROTO_UDP, udp, <uint32_t>length):
            return self._bad(TC_CHECKSUM)
        return 0
