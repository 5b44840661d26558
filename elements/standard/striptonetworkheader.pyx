# striptonetworkheader.pyx -- StripToNetworkHeader: makes packet data start at the network header
from libc.stdint cimport int32_t, uint32_t

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet, pkt_network_offset, pkt_pull, pkt_unpull


cdef class StripToNetworkHeader(Element):
    """
    =c
    StripToNetworkHeader
    =s basicmod
    strips everything preceding network header
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Removes the bytes before each packet's network header annotation. When
    the annotation points before the packet data, the data start moves back
    to the network header instead.
    =n
    Click requires the annotation on every packet; clickpy passes packets
    without one unchanged.
    =e
      ... -> CheckIPHeader(14) -> StripToNetworkHeader -> ...
    =a Strip, MarkIPHeader, CheckIPHeader
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = ()

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>StripToNetworkHeader.action)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>StripToNetworkHeader.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef int32_t off
        if p.network_off < 0:
            return 0
        off = pkt_network_offset(p)
        if off >= 0:
            pkt_pull(p, <uint32_t>off)
        elif pkt_unpull(p, <uint32_t>(-off)) < 0:
            return DROP
        return 0
