# ethermirror.pyx -- EtherMirror: swaps the Ethernet source and destination addresses
from libc.stdint cimport uint32_t, uint8_t
from libc.string cimport memcpy

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport ETHER_ADDR_LEN, ETHER_DST, ETHER_SRC
from clickpy.runtime.packet cimport Batch, Packet, pkt_uniqueify


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

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>EtherMirror.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>EtherMirror.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t tmp[ETHER_ADDR_LEN]
        if p.length < 12 or pkt_uniqueify(p) < 0:
            return DROP
        memcpy(tmp, p.data + ETHER_DST, ETHER_ADDR_LEN)
        memcpy(p.data + ETHER_DST, p.data + ETHER_SRC, ETHER_ADDR_LEN)
        memcpy(p.data + ETHER_SRC, tmp, ETHER_ADDR_LEN)
        return 0
