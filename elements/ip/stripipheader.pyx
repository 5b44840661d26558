# stripipheader.pyx -- StripIPHeader: removes everything up to the transport header
from libc.stdint cimport int32_t, uint32_t

from clickpy.runtime.element cimport action_fn, Element, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet, pkt_pull, pkt_transport_offset


cdef class StripIPHeader(Element):
    """
    =c
    StripIPHeader()
    =s ip
    strips outermost IP header
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Removes the outermost IP header, and anything before it, from each
    packet: the data then start where the transport header annotation
    (the end of the header the network header annotation marks) points.
    The annotations are not changed, so the network header annotation
    still points at the removed header; to process an inner IP-in-IP
    header, follow StripIPHeader with CheckIPHeader or MarkIPHeader.
    =n
    Click requires the annotation; clickpy passes packets without it, or
    whose transport header lies before the data, unchanged. A transport
    header past the end leaves an empty packet.
    =e
      ... -> CheckIPHeader -> StripIPHeader -> CheckIPHeader -> ...
    =a CheckIPHeader, CheckIPHeader2, MarkIPHeader, UnstripIPHeader, Strip
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = ()

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>StripIPHeader.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>StripIPHeader.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef int32_t off = pkt_transport_offset(p)     # -1: no transport header
        if off > 0:
            pkt_pull(p, <uint32_t>off)
        return 0
