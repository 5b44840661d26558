# markipheader.pyx -- MarkIPHeader: sets the network header annotation, checking nothing
from libc.stdint cimport uint8_t, uint32_t

from clickpy.runtime.element cimport action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport ip_hlen
from clickpy.runtime.packet cimport Batch, Packet, pkt_set_network_header
from clickpy.runtime.args import POSITIONAL, Arg, Unsigned


cdef class MarkIPHeader(Element):
    """
    =c
    MarkIPHeader([OFFSET])
    =s ip
    sets IP header annotation
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Marks the IPv4 header that starts OFFSET bytes into each packet: sets
    the network header annotation there, and the transport header
    annotation after it, using the header length field. Nothing is checked
    and nothing is changed in the data; use CheckIPHeader to validate.
    =item OFFSET
    Unsigned. Position of the IP header in the packet. Default is 0.
    =n
    Click reads the header length whatever the packet's length. clickpy
    reads it only when the packet has a byte at OFFSET; a packet shorter
    than that passes with both header annotations cleared.
    =e
      FromDump(trace.pcap) -> Strip(14) -> MarkIPHeader -> IPPrint -> Discard;
    =a CheckIPHeader, CheckIPHeader2, StripIPHeader
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("OFFSET", Unsigned, POSITIONAL, default=0),)

    cdef uint32_t offset        # OFFSET: bytes from packet data to the IP header

    def configure(self, args):
        self.offset = args.OFFSET

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>MarkIPHeader.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>MarkIPHeader.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip
        if self.offset >= p.length:     # not even the version/length byte
            p.network_off = -1
            p.transport_off = -1
            return 0
        ip = p.data + self.offset
        pkt_set_network_header(p, ip, ip_hlen(ip))
        return 0
