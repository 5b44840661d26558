# icmppingresponder.pyx -- ICMPPingResponder: turns ICMP echo requests into echo replies
from libc.stdint cimport int32_t, uint8_t, uint16_t, uint32_t
from libc.string cimport memcpy

from clickpy.runtime.checksum cimport csum, csum_replace16
from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    ICMP_ECHO,
    ICMP_ECHOREPLY,
    ICMP_HLEN,
    ICMP_SUM,
    IP_DST,
    IP_OFF,
    IP_PROTO,
    IP_PROTO_ICMP,
    IP_SRC,
    IP_SUM,
    IP_TTL,
    load_be16,
    pkt_icmp_header,
    pkt_ip_header,
    store_be16,
)
from clickpy.runtime.packet cimport ANNO_DST_IP, ANNO_PAINT, Batch, Packet, pkt_uniqueify


cdef class ICMPPingResponder(Element):
    """
    =c
    ICMPPingResponder
    =s icmp
    responds to ICMP echo requests
    =io
    One input. Output 0: echo replies. Output 1 (optional): every other
    packet.
    =processing
    Agnostic; output 1 is push.
    =d
    Expects IP packets with the network and transport header annotations
    set. Turns each ICMP echo request (type 8, at least 8 ICMP bytes) into
    the matching echo reply in place (RFC 792): source and destination
    addresses swapped, fragment flags and offset cleared, TTL 255, ICMP type
    and code 0. Both checksums are patched incrementally (RFC 1624). The
    reply's destination IP annotation is set to its new destination, its
    paint annotation cleared and its timestamp set to now; other
    annotations stay. Other packets leave unchanged on output 1, or are
    dropped when output 1 is not connected.
    =n
    Like Click, source route options are not reversed. Packets without a
    20-byte network header go to output 1.
    =e
      ... -> IPClassifier(icmp type echo) -> ICMPPingResponder -> ...
    =a ICMPPingSource, ICMPError
    """
    port_count = "1/1-2"
    processing = "a/ah"

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>ICMPPingResponder.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>ICMPPingResponder.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip = pkt_ip_header(p)
        cdef uint8_t *icmp = pkt_icmp_header(p)
        cdef uint8_t tmp[4]
        cdef uint16_t word
        cdef int32_t ip_off, icmp_off
        cdef uint32_t icmp_len
        if ip == NULL or icmp == NULL or ip[IP_PROTO] != IP_PROTO_ICMP or icmp[0] != ICMP_ECHO:
            return 1
        ip_off = <int32_t>(ip - p.data)
        icmp_off = <int32_t>(icmp - p.data)
        if pkt_uniqueify(p) < 0:
            return DROP
        ip = p.data + ip_off                # the data may have moved
        icmp = p.data + icmp_off
        icmp_len = p.length - <uint32_t>icmp_off
        # swapping the addresses leaves the header checksum valid
        memcpy(tmp, ip + IP_DST, 4)
        memcpy(ip + IP_DST, ip + IP_SRC, 4)
        memcpy(ip + IP_SRC, tmp, 4)
        csum_replace16(ip + IP_SUM, load_be16(ip + IP_OFF), 0)
        store_be16(ip + IP_OFF, 0)
        word = load_be16(ip + IP_TTL)
        ip[IP_TTL] = 255
        csum_replace16(ip + IP_SUM, word, load_be16(ip + IP_TTL))
        memcpy(p.anno + ANNO_DST_IP, ip + IP_DST, 4)
        p.anno[ANNO_PAINT] = 0
        p.timestamp_ns = now_ns()
        word = load_be16(icmp)
        icmp[0] = ICMP_ECHOREPLY
        icmp[1] = 0
        csum_replace16(icmp + ICMP_SUM, word, 0)
        if load_be16(icmp + ICMP_SUM) == 0:
            # all-zero data sums to +0, whose checksum is 0xFFFF, not 0
            icmp_len = icmp_len if icmp_len >= ICMP_HLEN else ICMP_HLEN
            store_be16(icmp + ICMP_SUM, csum(icmp, icmp_len))
        return 0
