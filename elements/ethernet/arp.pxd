# arp.pxd -- building Ethernet ARP frames (RFC 826), shared by ARPQuerier and ARPResponder
#
# Inline only; the ARP header layout and constants are in clickpy/runtime/headers.pxd.
from libc.stdint cimport uint8_t, uint16_t
from libc.string cimport memcpy, memset

from clickpy.runtime.headers cimport (
    ARP_HLN,
    ARP_HRD,
    ARP_OP,
    ARP_PLN,
    ARP_PRO,
    ARP_SHA,
    ARP_SPA,
    ARP_THA,
    ARP_TPA,
    ARPHRD_ETHER,
    ETHER_HLEN,
    ETHER_TYPE,
    ETHERTYPE_ARP,
    ETHERTYPE_IP,
    store_be16,
)


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
