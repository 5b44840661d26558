# transportcheck.pxd -- shared base of CheckTCPHeader, CheckUDPHeader, CheckICMPHeader
from libc.stdint cimport int64_t, uint8_t, uint64_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.headers cimport IP_PROTO, ip_hlen, pkt_ip_header
from clickpy.runtime.packet cimport Packet, pkt_network_offset

# why a packet failed, in Click's order (texts built from the protocol's name)
cdef enum:
    TC_NOT_PROTO = 0
    TC_LENGTH = 1
    TC_CHECKSUM = 2
    TC_NREASONS = 3


cdef class TransportCheck(Element):
    cdef bint verbose                           # VERBOSE: a message for every bad packet
    cdef bint details                           # DETAILS: drop_details handler exists
    cdef uint64_t n_drops                       # bad packets
    cdef uint64_t reason_drops[TC_NREASONS]     # bad packets by reason
    cdef tuple reason_texts                     # ("not TCP", "bad packet length", ...)
    cdef str message_prefix                     # what stands before a reason on stderr

    cdef int _bad(self, int reason) noexcept nogil


# -- what the checks' actions share (inline: compiled into each) ---------------

cdef inline uint8_t *tc_ip_header(Packet *p, uint8_t proto) noexcept nogil:
    """The packet's IP header when it carries ``proto``; NULL otherwise ("not PROTO")."""
    cdef uint8_t *ip = pkt_ip_header(p)
    return ip if ip != NULL and ip[IP_PROTO] == proto else NULL


cdef inline bint tc_fits(Packet *p, const uint8_t *ip, const uint8_t *th,
                         int64_t length) noexcept nogil:
    """Whether the packet holds the IP header and ``length`` transport bytes
    from ``th``, as the IP header says it should."""
    return <int64_t>p.length >= length + ip_hlen(ip) + pkt_network_offset(p) \
        and th + length <= p.data + p.length
