# ipmirror.pyx -- IPMirror: swaps IPv4 source and destination (and TCP/UDP ports)
from libc.stdint cimport uint8_t, uint32_t
from libc.string cimport memcpy

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_DST,
    IP_OFF,
    IP_OFFMASK,
    IP_PROTO,
    IP_PROTO_TCP,
    IP_PROTO_UDP,
    IP_SRC,
    TCP_ACK,
    TCP_SEQ,
    UDP_DPORT,
    UDP_SPORT,
    _pkt_header_off,
    load_be16,
    pkt_ip_header,
)
from clickpy.runtime.packet cimport ANNO_DST_IP, Batch, Packet, pkt_uniqueify
from clickpy.runtime.args import POSITIONAL, Arg, Bool


cdef inline void _swap(uint8_t *a, uint8_t *b, uint32_t n) noexcept nogil:
    cdef uint8_t t[4]
    memcpy(t, a, n)
    memcpy(a, b, n)
    memcpy(b, t, n)


cdef class IPMirror(Element):
    """
    =c
    IPMirror([DST_ANNO])
    =s ip
    swaps IP source and destination
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Expects IPv4 packets with the network header annotation set. Swaps
    each packet's source and destination addresses. First fragments of
    TCP and UDP packets (protocols 6 and 17) with at least 8 transport
    bytes also have their ports swapped, and TCP packets their sequence
    and acknowledgment numbers. No checksum changes: swapping 16-bit words
    leaves a one's complement sum as it was.

    The destination IP address annotation is set to the new destination
    unless DST_ANNO is false.
    =item DST_ANNO
    Boolean. Set the destination address annotation. Default is true.
    =n
    Click swaps the TCP sequence numbers after checking for 8 transport
    bytes only; clickpy swaps them only when all 12 bytes are present.
    Click requires the annotation; clickpy drops packets without it or
    with fewer than 20 header bytes there, and packets it cannot unshare
    for lack of buffers.
    =e
      ... -> CheckIPHeader -> IPMirror -> EtherMirror -> ...
    =a ICMPPingResponder, EtherMirror
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("DST_ANNO", Bool, POSITIONAL, default=True),)

    cdef bint dst_anno          # DST_ANNO: set the destination annotation

    def configure(self, args):
        self.dst_anno = args.DST_ANNO

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>IPMirror.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>IPMirror.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip = pkt_ip_header(p)
        cdef uint8_t *th
        cdef int off
        if ip == NULL or pkt_uniqueify(p) < 0:
            return DROP
        ip = pkt_ip_header(p)               # the data may have moved
        _swap(ip + IP_SRC, ip + IP_DST, 4)
        if self.dst_anno:
            memcpy(p.anno + ANNO_DST_IP, ip + IP_DST, 4)
        if (ip[IP_PROTO] != IP_PROTO_TCP and ip[IP_PROTO] != IP_PROTO_UDP) \
                or load_be16(ip + IP_OFF) & IP_OFFMASK:
            return 0
        off = _pkt_header_off(p, p.transport_off, 8)
        if off < 0:
            return 0
        th = p.data + off
        _swap(th + UDP_SPORT, th + UDP_DPORT, 2)
        if ip[IP_PROTO] == IP_PROTO_TCP and _pkt_header_off(p, p.transport_off, 12) >= 0:
            _swap(th + TCP_SEQ, th + TCP_ACK, 4)
        return 0
