# unstripipheader.pyx -- UnstripIPHeader: puts back the IP header StripIPHeader removed
from libc.stdint cimport int32_t, uint32_t

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet, pkt_network_offset, pkt_unpull


cdef class UnstripIPHeader(Element):
    """
    =c
    UnstripIPHeader()
    =s ip
    restores outermost IP header
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Moves the start of each packet's data back to the network header
    annotation (set by CheckIPHeader or MarkIPHeader), restoring an IP
    header StripIPHeader removed. A packet whose data already start at or
    before the header passes unchanged. The bytes come back from the
    headroom; nothing is copied, even for clones.
    =n
    Click requires the annotation; clickpy passes packets without it
    unchanged.
    =e
      ... -> CheckIPHeader -> StripIPHeader -> ... -> UnstripIPHeader -> ...
    =a CheckIPHeader, MarkIPHeader, StripIPHeader
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = ()

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>UnstripIPHeader.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>UnstripIPHeader.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef int32_t off
        if p.network_off < 0:
            return 0
        off = pkt_network_offset(p)
        if off < 0 and pkt_unpull(p, <uint32_t>(-off)) < 0:
            return DROP
        return 0
