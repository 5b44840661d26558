# headers.pxd -- Ethernet, ARP, IPv4, UDP, TCP and ICMP layouts; byte order; bounds-checked access
#
# Inline only, like checksum.pxd. Offsets are bytes from the start of each
# header (RFC 791, 768, 793, 792; IEEE 802.3). Fields are read and written
# through byte pointers with the helpers below, never through casts to
# structs, so alignment never matters and byte order is explicit.
#
# Bounds: the pkt_*_header() accessors return NULL unless the whole fixed
# header lies inside the packet data; callers test for NULL before reading.
from libc.stdint cimport int32_t, uint8_t, uint16_t, uint32_t
from libc.string cimport memcpy

from clickpy.runtime.packet cimport Packet

# -- Ethernet (IEEE 802.3) ----------------------------------------------------
cdef enum:
    ETHER_HLEN = 14             # destination, source, type
    ETHER_ADDR_LEN = 6
    ETHER_DST = 0
    ETHER_SRC = 6
    ETHER_TYPE = 12
    ETHERTYPE_IP = 0x0800
    ETHERTYPE_ARP = 0x0806
    ETHERTYPE_VLAN = 0x8100     # IEEE 802.1Q tag
    ETHERTYPE_IP6 = 0x86DD

# -- IPv4 (RFC 791) -------------------------------------------------------------
cdef enum:
    IP_HLEN_MIN = 20            # header without options
    IP_HLEN_MAX = 60            # IHL is 4 bits of 32-bit words
    IP_VHL = 0                  # version (high nibble), header length in words (low)
    IP_TOS = 1
    IP_LEN = 2                  # total length, header included
    IP_ID = 4
    IP_OFF = 6                  # flags and fragment offset
    IP_TTL = 8
    IP_PROTO = 9
    IP_SUM = 10                 # header checksum
    IP_SRC = 12
    IP_DST = 16
    IP_RF = 0x8000              # reserved flag
    IP_DF = 0x4000              # don't fragment
    IP_MF = 0x2000              # more fragments
    IP_OFFMASK = 0x1FFF         # fragment offset, 8-byte units
    IP_PROTO_ICMP = 1
    IP_PROTO_IGMP = 2
    IP_PROTO_TCP = 6
    IP_PROTO_UDP = 17

# -- UDP (RFC 768) --------------------------------------------------------------
cdef enum:
    UDP_HLEN = 8
    UDP_SPORT = 0
    UDP_DPORT = 2
    UDP_LEN = 4
    UDP_SUM = 6

# -- TCP (RFC 793) --------------------------------------------------------------
cdef enum:
    TCP_HLEN_MIN = 20
    TCP_SPORT = 0
    TCP_DPORT = 2
    TCP_SEQ = 4
    TCP_ACK = 8
    TCP_OFF = 12                # data offset in words (high nibble)
    TCP_FLAGS = 13
    TCP_WIN = 14
    TCP_SUM = 16
    TCP_URP = 18
    TH_FIN = 0x01
    TH_SYN = 0x02
    TH_RST = 0x04
    TH_PUSH = 0x08
    TH_ACK = 0x10
    TH_URG = 0x20

# -- ICMP (RFC 792) -------------------------------------------------------------
cdef enum:
    ICMP_HLEN = 8               # type, code, checksum, 4 bytes that depend on the type
    ICMP_TYPE = 0
    ICMP_CODE = 1
    ICMP_SUM = 2
    ICMP_ECHOREPLY = 0
    ICMP_UNREACH = 3
    ICMP_REDIRECT = 5
    ICMP_ECHO = 8
    ICMP_TIMXCEED = 11
    ICMP_PARAMPROB = 12


# -- ARP over Ethernet (RFC 826) ----------------------------------------------------
# Offsets in the ARP header follow the 14-byte Ethernet header; the fixed
# layout is the one for Ethernet hardware and IPv4 protocol addresses.
cdef enum:
    ARP_HLEN = 28               # Ethernet/IPv4 ARP header
    ETHER_ARP_LEN = 42          # Ethernet header + ARP header
    ARP_HRD = 0                 # hardware type
    ARP_PRO = 2                 # protocol type
    ARP_HLN = 4                 # hardware address length
    ARP_PLN = 5                 # protocol address length
    ARP_OP = 6                  # operation
    ARP_SHA = 8                 # sender hardware address
    ARP_SPA = 14                # sender protocol address
    ARP_THA = 18                # target hardware address
    ARP_TPA = 24                # target protocol address
    ARPHRD_ETHER = 1
    ARPOP_REQUEST = 1
    ARPOP_REPLY = 2
    ARPOP_REVREQUEST = 3        # RFC 903
    ARPOP_REVREPLY = 4
    ARPOP_INVREQUEST = 8        # RFC 2390
    ARPOP_INVREPLY = 9
    ETHERTYPE_TRAIL = 0x1000    # trailer encapsulation, as tcpdump names it


# -- byte order -------------------------------------------------------------------
# Shifts, not casts: the compiler emits one (byte-swapping) load or store.

cdef inline uint16_t load_be16(const uint8_t *q) noexcept nogil:
    return <uint16_t>((q[0] << 8) | q[1])


cdef inline uint32_t load_be32(const uint8_t *q) noexcept nogil:
    return (<uint32_t>q[0] << 24) | (<uint32_t>q[1] << 16) | (<uint32_t>q[2] << 8) | q[3]


cdef inline void store_be16(uint8_t *q, uint16_t v) noexcept nogil:
    q[0] = <uint8_t>(v >> 8)
    q[1] = <uint8_t>v


cdef inline void store_be32(uint8_t *q, uint32_t v) noexcept nogil:
    q[0] = <uint8_t>(v >> 24)
    q[1] = <uint8_t>(v >> 16)
    q[2] = <uint8_t>(v >> 8)
    q[3] = <uint8_t>v


cdef inline uint32_t load_raw32(const uint8_t *q) noexcept nogil:
    """Four bytes as they lie in memory (addresses compared, not computed on)."""
    cdef uint32_t v
    memcpy(&v, q, 4)
    return v


cdef inline void store_raw32(uint8_t *q, uint32_t v) noexcept nogil:
    memcpy(q, &v, 4)


# -- IPv4 fields (ip points at a header whose first 20 bytes are readable) -------

cdef inline uint8_t ip_version(const uint8_t *ip) noexcept nogil:
    return ip[IP_VHL] >> 4


cdef inline uint32_t ip_hlen(const uint8_t *ip) noexcept nogil:
    """Header length in bytes, from the IHL field (may be below 20: check)."""
    return <uint32_t>(ip[IP_VHL] & 0x0F) << 2


cdef inline uint16_t ip_len(const uint8_t *ip) noexcept nogil:
    return load_be16(ip + IP_LEN)


cdef inline bint ip_is_fragment(const uint8_t *ip) noexcept nogil:
    """More fragments follow, or this is not the first (RFC 791)."""
    return (load_be16(ip + IP_OFF) & (IP_MF | IP_OFFMASK)) != 0


cdef inline bint ip_addr_is_multicast(const uint8_t *addr) noexcept nogil:
    """224.0.0.0/4 (RFC 5771), given the address's 4 bytes."""
    return (addr[0] & 0xF0) == 0xE0


# -- bounds-checked access to a packet's headers -------------------------------------

cdef inline uint8_t *pkt_at(Packet *p, uint32_t offset, uint32_t need) noexcept nogil:
    """``data + offset`` when ``need`` bytes from there are in the packet, else NULL."""
    if offset > p.length or p.length - offset < need:
        return NULL
    return p.data + offset


cdef inline int32_t _pkt_header_off(Packet *p, int32_t buf_off, uint32_t need) noexcept nogil:
    """A header recorded at ``buf_off`` (from the buffer start) as an offset
    from the data, when ``need`` bytes from it are in the packet; else -1."""
    cdef int32_t off
    if buf_off < 0:
        return -1
    off = buf_off - <int32_t>(p.data - p.buf.start)
    if off < 0 or <uint32_t>off > p.length or p.length - <uint32_t>off < need:
        return -1
    return off


cdef inline uint8_t *_pkt_header(Packet *p, int32_t buf_off, uint32_t need) noexcept nogil:
    """The header recorded at ``buf_off``, as _pkt_header_off, as a pointer; NULL when it
    does not fit."""
    cdef int32_t off = _pkt_header_off(p, buf_off, need)
    return p.data + off if off >= 0 else NULL


# The header annotations: the header an annotation records when the protocol's
# minimum header (IP_HLEN_MIN, UDP_HLEN, TCP_HLEN_MIN, ICMP_HLEN bytes) fits in
# the packet there, else NULL.
cdef inline uint8_t *pkt_ip_header(Packet *p) noexcept nogil:
    return _pkt_header(p, p.network_off, IP_HLEN_MIN)


cdef inline uint8_t *pkt_udp_header(Packet *p) noexcept nogil:
    return _pkt_header(p, p.transport_off, UDP_HLEN)


cdef inline uint8_t *pkt_tcp_header(Packet *p) noexcept nogil:
    return _pkt_header(p, p.transport_off, TCP_HLEN_MIN)


cdef inline uint8_t *pkt_icmp_header(Packet *p) noexcept nogil:
    return _pkt_header(p, p.transport_off, ICMP_HLEN)


cdef inline uint8_t *pkt_ether_header(Packet *p) noexcept nogil:
    """The packet data when it starts with a whole Ethernet header, else NULL."""
    return pkt_at(p, 0, ETHER_HLEN)
