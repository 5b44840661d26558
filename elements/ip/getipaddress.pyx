# getipaddress.pyx -- GetIPAddress: copies an IPv4 address from packet data to an annotation
from libc.stdint cimport uint8_t, uint32_t
from libc.string cimport memcpy

from clickpy.runtime.element cimport action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport IP_DST, IP_SRC, pkt_ip_header
from clickpy.runtime.packet cimport ANNO_DST_IP, Batch, Packet
from clickpy.runtime.args import POSITIONAL, AnnoArg, Arg, Int, Word

cdef enum:
    FROM_OFFSET = 0             # OFFSET: bytes into the packet data
    FROM_IP_SRC = 1             # IP src: the marked IP header's source field
    FROM_IP_DST = 2             # IP dst: its destination field


cdef class GetIPAddress(Element):
    """
    =c
    GetIPAddress(OFFSET [, ANNO, IP])
    =s ip
    sets destination IP address annotation from packet data
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Copies the four bytes that start OFFSET bytes into each packet to the
    destination IP address annotation (or the 4-byte annotation ANNO).
    OFFSET 16 picks the destination address of a packet that starts with
    an IP header.

    Instead of OFFSET, the IP keyword may name a field of the IP header the
    network header annotation marks: "src" or "dst". Give exactly one of
    OFFSET and IP.
    =item OFFSET
    Integer. Position of the address in the packet data. A negative value
    counts as not given. Default is not given.
    =item ANNO
    Annotation name or offset of 4 bytes. Where the address goes. Default
    is DST_IP.
    =item IP
    Word, "src" or "dst". Read the address from the marked IP header.
    Default is not given.
    =n
    Click reads past the packet when it is too short; clickpy leaves the
    annotation unchanged when the four bytes (or, with IP, a 20-byte
    header at the network header annotation) are not in the packet.
    =e
      ... -> MarkIPHeader -> GetIPAddress(16) -> LookupIPRoute(...) -> ...
    =a SetIPAddress, StoreIPAddress, CheckIPHeader
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("OFFSET", Int, POSITIONAL, default=-1),
            Arg("ANNO", AnnoArg(4), POSITIONAL, default=ANNO_DST_IP),
            Arg("IP", Word))

    cdef int source             # FROM_*
    cdef uint32_t offset        # OFFSET, bytes from the data start
    cdef uint32_t anno          # ANNO: annotation offset receiving the address

    def configure(self, args):
        word = args.IP
        if (args.OFFSET >= 0) == (word is not None):
            raise ValueError("set one of OFFSET, IP")
        if word is None:
            source = FROM_OFFSET
        elif word == "src":
            source = FROM_IP_SRC
        elif word == "dst":
            source = FROM_IP_DST
        else:
            raise ValueError("bad IP")
        self.source = source
        self.offset = max(args.OFFSET, 0)
        self.anno = args.ANNO

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>GetIPAddress.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>GetIPAddress.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip
        if self.source == FROM_OFFSET:
            if p.length >= 4 and self.offset <= p.length - 4:
                memcpy(p.anno + self.anno, p.data + self.offset, 4)
            return 0
        ip = pkt_ip_header(p)
        if ip != NULL:
            memcpy(p.anno + self.anno, ip + (IP_SRC if self.source == FROM_IP_SRC else IP_DST), 4)
        return 0
