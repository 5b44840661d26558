# checkicmpheader.pyx -- CheckICMPHeader: validates ICMP lengths and checksums
from libc.stdint cimport int64_t, uint8_t, uint32_t

from clickpy.runtime.checksum cimport csum_fold, csum_partial
from clickpy.runtime.element cimport action_fn, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    ICMP_HLEN,
    ICMP_PARAMPROB,
    ICMP_REDIRECT,
    ICMP_TIMXCEED,
    ICMP_TYPE,
    ICMP_UNREACH,
    IP_PROTO_ICMP,
    pkt_icmp_header,
)
from clickpy.runtime.inet cimport (
    ICMP_IREQ,
    ICMP_IREQREPLY,
    ICMP_SOURCEQUENCH,
    ICMP_TSTAMP,
    ICMP_TSTAMP_LEN,
    ICMP_TSTAMPREPLY,
)
from clickpy.runtime.packet cimport Batch, Packet
from clickpy.elements.tcpudp.transportcheck cimport (
    TC_CHECKSUM,
    TC_LENGTH,
    TC_NOT_PROTO,
    TransportCheck,
    tc_ip_header,
)
from clickpy.runtime.args import Arg, Bool


cdef class CheckICMPHeader(TransportCheck):
    """
    =c
    CheckICMPHeader([VERBOSE, DETAILS])
    =s icmp
    checks ICMP header on ICMP packets
    =io
    One input. Output 0: valid ICMP packets. Output 1 (optional): invalid
    packets.
    =processing
    Agnostic; output 1 is push.
    =d
    Expects IP packets with the network and transport header annotations
    set (CheckIPHeader or MarkIPHeader). A packet is bad when it has no
    network header or its protocol is not ICMP ("not ICMP"); when fewer
    than 8 bytes follow the transport header, or an error message (types
    3, 4, 5, 11, 12) is too short to quote an IP header and 8 bytes,
    or a timestamp (13, 14) or information (15, 16) message has other than
    its fixed length ("bad packet length"); or when the checksum over the
    ICMP message, everything from the transport header to the end of the
    packet, is wrong ("bad ICMP checksum", RFC 792). Bad packets leave on
    output 1, or are dropped when output 1 is not connected.

    The first bad packet prints a message to standard error (every one with
    VERBOSE).
    =item VERBOSE
    Boolean. Print a message for every bad packet. Default is false.
    =item DETAILS
    Boolean. Provide the drop_details handler. Default is false.
    =n
    Per reason counts are kept whether or not DETAILS is given; DETAILS only
    decides whether drop_details exists. A network header with fewer than
    20 bytes in the packet counts as "not ICMP".
    =e
      ... -> CheckIPHeader -> IPClassifier(icmp, -) => (CheckICMPHeader -> ...), ...
    =h drops read-only
    Number of bad packets seen.
    =h drop_details read-only
    One line per reason, "COUNT<tab>REASON". Only with DETAILS true.
    =a CheckIPHeader, CheckTCPHeader, CheckUDPHeader, MarkIPHeader
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = (Arg("VERBOSE", Bool, default=False),
            Arg("DETAILS", Bool, default=False))

    PROTOCOL = "ICMP"

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>CheckICMPHeader.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>CheckICMPHeader.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *icmp
        cdef int64_t length
        if tc_ip_header(p, IP_PROTO_ICMP) == NULL:
            return self._bad(TC_NOT_PROTO)
        icmp = pkt_icmp_header(p)
        if icmp == NULL:
            return self._bad(TC_LENGTH)
        length = p.data + p.length - icmp
        if icmp[ICMP_TYPE] == ICMP_UNREACH or icmp[ICMP_TYPE] == ICMP_TIMXCEED \
                or icmp[ICMP_TYPE] == ICMP_PARAMPROB or icmp[ICMP_TYPE] == ICMP_SOURCEQUENCH \
                or icmp[ICMP_TYPE] == ICMP_REDIRECT:
            if length < ICMP_HLEN + 28:     # RFC 792: IP header + 64 bits of data
                return self._bad(TC_LENGTH)
        elif icmp[ICMP_TYPE] == ICMP_TSTAMP or icmp[ICMP_TYPE] == ICMP_TSTAMPREPLY:
            if length != ICMP_TSTAMP_LEN:
                return self._bad(TC_LENGTH)
        elif icmp[ICMP_TYPE] == ICMP_IREQ or icmp[ICMP_TYPE] == ICMP_IREQREPLY:
            if length != ICMP_HLEN:
                return self._bad(TC_LENGTH)
        if csum_fold(csum_partial(icmp, <uint32_t>length, 0)) != 0xFFFF:
            return self._bad(TC_CHECKSUM)
        return 0
