# arp.pxd -- reading and building Ethernet ARP frames (RFC 826), shared by ARPQuerier
# and ARPResponder
#
# Inline only; the ARP header layout and constants are in clickpy/runtime/headers.pxd.
from libc.stdint cimport uint8_t, uint16_t
from libc.string cimport memcpy, memset

from clickpy.runtime.headers cimport (
    ARP_HLEN,
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
    ETHER_ARP_LEN,
    ETHER_HLEN,
    ETHER_TYPE,
    ETHERTYPE_ARP,
    ETHERTYPE_IP,
    load_be16,
    store_be16,
)
from clickpy.runtime.packet cimport (
    ANNO_VLAN_TCI,
    Packet,
    PacketPool,
    pkt_alloc,
    pkt_set_network_header,
)


cdef inline const uint8_t *arp_message(Packet *p, uint16_t op) noexcept nogil:
    """The ARP header of ``p`` when ``p`` is an Ethernet frame holding a
    whole Ethernet/IPv4 ARP message with opcode ``op``; NULL otherwise."""
    cdef const uint8_t *a
    if p.length < ETHER_ARP_LEN:
        return NULL
    a = p.data + ETHER_HLEN
    if load_be16(p.data + ETHER_TYPE) != ETHERTYPE_ARP \
            or load_be16(a + ARP_HRD) != ARPHRD_ETHER \
            or load_be16(a + ARP_PRO) != ETHERTYPE_IP \
            or load_be16(a + ARP_OP) != op:
        return NULL
    return a


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


cdef inline Packet *arp_make(PacketPool *pool, Packet *cause, const uint8_t *ether_dst,
                             const uint8_t *ether_src, uint16_t op,
                             const uint8_t *sha, const uint8_t *spa,
                             const uint8_t *tha, const uint8_t *tpa) noexcept nogil:
    """A new Ethernet ARP frame (arp_write_frame's arguments) with its network
    header set and the VLAN TCI annotation of ``cause``, the packet it
    answers or is sent for; NULL when the pool is empty (counted there)."""
    cdef Packet *q = pkt_alloc(pool, ETHER_ARP_LEN)
    if q == NULL:
        return NULL
    arp_write_frame(q.data, ether_dst, ether_src, op, sha, spa, tha, tpa)
    pkt_set_network_header(q, q.data + ETHER_HLEN, ARP_HLEN)
    q.anno[ANNO_VLAN_TCI] = cause.anno[ANNO_VLAN_TCI]
    q.anno[ANNO_VLAN_TCI + 1] = cause.anno[ANNO_VLAN_TCI + 1]
    return q
