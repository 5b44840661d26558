# arp.pxd -- ARP over Ethernet (RFC 826): wire layout, frame building
#
# Inline only, like headers.pxd. Offsets in the ARP header are bytes from
# its start, which follows a 14-byte Ethernet header; the fixed layout
# is the one for Ethernet hardware and IPv4 protocol addresses.
from libc.stdint cimport uint8_t, uint16_t
from libc.string cimport memcpy, memset

from clickpy.runtime.headers cimport ETHER_HLEN, ETHER_TYPE, ETHERTYPE_ARP, ETHERTYPE_IP, store_be16

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


cdef inline void arp_write_frame(uint8_t *frame, const uint8_t *ether_dst,
                                 const uint8_t *ether_src, uint16_t op,
                                 const uint8_t *sha, const uint8_t *spa,
                                 const uint8_t *tha, const uint8_t *tpa) noexcept nogil:
    """Writes a 42-byte Ethernet ARP frame; ``tha`` NULL means all zeros."""
    cdef uint8_t *a = frame + ETHER_HLEN
    memcpy(frame, ether_dst, 6)
    memcpy(frame + 6, ether_src, 6)
    store_be16(frame + ETHER_TYPE, ETHERTYPE_ARP)
    store_be16(a + ARP_HRD, ARPHRD_ETHER)
    store_be16(a + ARP_PRO, ETHERTYPE_IP)
    a[ARP_HLN] = 6
    a[ARP_PLN] = 4
    store_be16(a + ARP_OP, op)
    memcpy(a + ARP_SHA, sha, 6)
    memcpy(a + ARP_SPA, spa, 4)
    if tha == NULL:
        memset(a + ARP_THA, 0, 6)
    else:
        memcpy(a + ARP_THA, tha, 6)
    memcpy(a + ARP_TPA, tpa, 4)
