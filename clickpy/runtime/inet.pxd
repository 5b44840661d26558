# inet.pxd -- IP option and ICMP constants, the TCP/UDP pseudo-header checksum
#
# Inline only, like checksum.pxd and headers.pxd: the IP option numbers of
# RFC 791, ICMP types and codes of RFC 792/1191/1812, and the checksum
# TCP and UDP compute over a pseudo-header (RFC 793 section 3.1, RFC 768).
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t

from clickpy.runtime.checksum cimport csum_fold, csum_partial, csum_to_net
from clickpy.runtime.headers cimport IP_SRC

# -- IP options (RFC 791 section 3.1) -------------------------------------------
cdef enum:
    IPOPT_EOL = 0               # end of option list
    IPOPT_NOP = 1               # no operation (padding)
    IPOPT_RR = 7                # record route
    IPOPT_TS = 68               # timestamp
    IPOPT_LSRR = 131            # loose source and record route
    IPOPT_SSRR = 137            # strict source and record route
    IPOPT_COPIED = 0x80         # copied into every fragment (RFC 791 3.2)
    IPOPT_TS_TSONLY = 0         # timestamp flags: timestamps only
    IPOPT_TS_TSANDADDR = 1      # each timestamp preceded by an address
    IPOPT_TS_PRESPEC = 3        # addresses given in advance

# -- ICMP types and codes (RFC 792, RFC 950, RFC 1256, RFC 1812) -----------------
cdef enum:
    ICMP_SOURCEQUENCH = 4
    ICMP_ROUTERADVERT = 9
    ICMP_ROUTERSOLICIT = 10
    ICMP_TSTAMP = 13
    ICMP_TSTAMPREPLY = 14
    ICMP_IREQ = 15
    ICMP_IREQREPLY = 16
    ICMP_MASKREQ = 17
    ICMP_MASKREQREPLY = 18
    ICMP_UNREACH_NEEDFRAG = 4   # RFC 1191: next-hop MTU in bytes 6-7
    ICMP_PARAMPROB_ERRATPTR = 0     # pointer in byte 4 marks the bad octet
    ICMP_TSTAMP_LEN = 20        # header plus three 32-bit times
    ICMP_ECHO_ID = 4            # echo identifier field
    ICMP_ECHO_SEQ = 6           # echo sequence number field


cdef inline uint64_t csum_pseudo_header(const uint8_t *ip, uint8_t proto,
                                        uint32_t length) noexcept nogil:
    """The running sum of the pseudo-header: the addresses of the IPv4 header
    at ``ip`` (20 readable bytes), a zero byte, ``proto`` and the transport
    ``length``, in the order RFC 793 3.1 gives."""
    cdef uint8_t tail[4]
    tail[0] = 0
    tail[1] = proto
    tail[2] = <uint8_t>(length >> 8)
    tail[3] = <uint8_t>length
    return csum_partial(tail, 4, csum_partial(ip + IP_SRC, 8, 0))


cdef inline uint16_t csum_transport(const uint8_t *ip, uint8_t proto,
                                    const uint8_t *th, uint32_t length) noexcept nogil:
    """The TCP/UDP checksum of ``length`` bytes at ``th`` plus the pseudo-header,
    as a number to store big-endian (the checksum field zero while summing);
    0 when the segment already carries a correct checksum."""
    return csum_to_net(<uint16_t>~csum_fold(
        csum_partial(th, length, csum_pseudo_header(ip, proto, length))))


cdef inline bint csum_transport_ok(const uint8_t *ip, uint8_t proto,
                                   const uint8_t *th, uint32_t length) noexcept nogil:
    """Whether a TCP/UDP segment's checksum is correct (sums to all ones)."""
    return csum_fold(csum_partial(th, length, csum_pseudo_header(ip, proto, length))) == 0xFFFF
