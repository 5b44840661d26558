# unstripipheader.pyx -- UnstripIPHeader: puts back the IP header StripIPHeader removed
from libc.stdint cimport int32_t, uint32_t

from clickpy.runtime.element cimport DROP, Element
from clickpy.runtime.packet cimport Packet, pkt_network_offset, pkt_unpull


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

    cdef int action(self, Packet *p) noexcept nogil:
        cdef int32_t off
        if p.network_off < 0:
            return 0
        off = pkt_network_offset(p)
        if off < 0 and pkt_unpull(p, <uint32_t>(-off)) < 0:
            return DROP
        return 0
