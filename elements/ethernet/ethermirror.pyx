# ethermirror.pyx -- EtherMirror: swaps the Ethernet source and destination addresses
from libc.stdint cimport uint8_t
from libc.string cimport memcpy

from clickpy.runtime.element cimport DROP, Element
from clickpy.runtime.headers cimport ETHER_ADDR_LEN, ETHER_DST, ETHER_SRC
from clickpy.runtime.packet cimport Packet, pkt_uniqueify


cdef class EtherMirror(Element):
    """
    =c
    EtherMirror
    =s ethernet
    swaps Ethernet source and destination
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Expects Ethernet frames. Exchanges the source and destination
    addresses, so a frame from A to B leaves as a frame from B to A.
    =n
    Packets shorter than 12 bytes, and packets that cannot be unshared
    because the pool is empty, are dropped (Click reads them anyway).
    =e
      FromDevice(eth0) -> EtherMirror -> Queue -> ToDevice(eth0);
    =a IPMirror, EtherRewrite
    """
    port_count = "1/1"
    processing = "a/a"

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t tmp[ETHER_ADDR_LEN]
        if p.length < 12 or pkt_uniqueify(p) < 0:
            return DROP
        memcpy(tmp, p.data + ETHER_DST, ETHER_ADDR_LEN)
        memcpy(p.data + ETHER_DST, p.data + ETHER_SRC, ETHER_ADDR_LEN)
        memcpy(p.data + ETHER_SRC, tmp, ETHER_ADDR_LEN)
        return 0
