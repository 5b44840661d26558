# checkudpheader.pyx -- CheckUDPHeader: validates UDP lengths and checksums
import sys

from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t

from clickpy.runtime.element cimport action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_PROTO,
    IP_PROTO_UDP,
    UDP_HLEN,
    UDP_LEN,
    UDP_SUM,
    ip_hlen,
    load_be16,
    pkt_ip_header,
    pkt_udp_header,
)
from clickpy.runtime.inet cimport csum_transport_ok
from clickpy.runtime.packet cimport Batch, Packet, pkt_network_offset
from clickpy.runtime.args import Arg, Bool

# Why a packet failed (Click's reasons and texts, in Click's order).
cdef enum:
    R_NOT_UDP = 0
    R_LENGTH = 1
    R_CHECKSUM = 2
    NREASONS = 3

REASON_TEXTS = ("not UDP", "bad packet length", "bad UDP checksum")


cdef class CheckUDPHeader(Element):
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

    cdef bint verbose                       # VERBOSE: a message for every bad packet
    cdef bint details                       # DETAILS: drop_details handler exists
    cdef uint64_t n_drops                   # bad packets
    cdef uint64_t reason_drops[NREASONS]    # bad packets by reason

    def __cinit__(self):
        self.n_drops = 0
        for i in range(NREASONS):
            self.reason_drops[i] = 0

    def configure(self, args):
        self.verbose = args.VERBOSE
        self.details = args.DETAILS

    cdef int _bad(self, int reason) noexcept nogil:
        if self.n_drops == 0 or self.verbose:
            with gil:
                sys.stderr.write(f"UDP header check failed: {REASON_TEXTS[reason]}\n")
        self.n_drops += 1
        self.reason_drops[reason] += 1
        return 1

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>CheckUDPHeader.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>CheckUDPHeader.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip = pkt_ip_header(p)
        cdef uint8_t *udp
        cdef int64_t length
        if ip == NULL or ip[IP_PROTO] != IP_PROTO_UDP:
            return self._bad(R_NOT_UDP)
        udp = pkt_udp_header(p)
        if udp == NULL:
            return self._bad(R_LENGTH)
        length = load_be16(udp + UDP_LEN)
        if length < UDP_HLEN \
                or <int64_t>p.length < length + ip_hlen(ip) + pkt_network_offset(p) \
                or udp + length > p.data + p.length:
            return self._bad(R_LENGTH)
        if load_be16(udp + UDP_SUM) != 0 \
                and not csum_transport_ok(ip, IP_PROTO_UDP, udp, <uint32_t>length):
            return self._bad(R_CHECKSUM)
        return 0

    def add_handlers(self):
        self.add_read_handler("drops", lambda: self.n_drops)
        if self.details:
            self.add_read_handler("drop_details", self._drop_details)

    def _drop_details(self):
        return "".join(f"{self.reason_drops[i]}\t{REASON_TEXTS[i]}\n" for i in range(NREASONS))
