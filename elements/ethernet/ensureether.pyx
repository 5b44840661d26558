# ensureether.pyx -- EnsureEther: gives IP packets an Ethernet header unless they have one
from libc.stdint cimport int32_t, uint16_t, uint32_t, uint8_t
from libc.string cimport memcpy

from clickpy.runtime.element cimport DROP, action_fn, pull_actions, push_actions
from clickpy.runtime.headers cimport ETHER_HLEN, ETHER_TYPE, ETHERTYPE_IP, ETHERTYPE_IP6, load_be16
from clickpy.runtime.packet cimport (
    Batch,
    Packet,
    pkt_headroom,
    pkt_network_offset,
    pkt_pull,
    pkt_push,
    pkt_unpull,
)
from clickpy.elements.ethernet.etherheader cimport EtherHeaderElement
from clickpy.runtime.args import POSITIONAL, U16, Arg, EtherAddress


cdef inline bint _is_ip_type(const uint8_t *type_field) noexcept nogil:
    cdef uint16_t t = load_be16(type_field)
    return t == ETHERTYPE_IP or t == ETHERTYPE_IP6


cdef class EnsureEther(EtherHeaderElement):
    """
    =c
    EnsureEther([ETHERTYPE, SRC, DST])
    =s ethernet
    ensures that IP packets are Ethernet encapsulated
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Looks at the network header annotation. Packets without one, or whose
    network header lies before the packet data, pass unchanged. When the
    network header is 14 bytes in and the two bytes before it hold an IPv4
    or IPv6 Ethernet type, the packet already looks encapsulated and
    passes unchanged. When the network header starts the data and the 14
    bytes of headroom before it look like a stripped Ethernet header (an
    IPv4 or IPv6 type), those bytes are given back. Otherwise anything
    before the network header is removed and a header with type ETHERTYPE,
    source SRC and destination DST is prepended.
    =item ETHERTYPE
    Unsigned 16-bit integer. Type of prepended headers. Default is 0x0800.
    =item SRC
    Ethernet address. Source of prepended headers. Default is
    01-01-01-01-01-01.
    =item DST
    Ethernet address. Destination of prepended headers. Default is
    02-02-02-02-02-02.
    =n
    Packets that need a new header and cannot get one because the packet
    pool is empty are dropped.
    =e
      EnsureEther(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2)
    =a EtherEncap, EtherRewrite
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("ETHERTYPE", U16, POSITIONAL, default=0x0800),
            Arg("SRC", EtherAddress, POSITIONAL, default=b"\x01" * 6),
            Arg("DST", EtherAddress, POSITIONAL, default=b"\x02" * 6))

    def configure(self, args):
        self._set_header(args.ETHERTYPE, args.SRC, args.DST)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>EnsureEther.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>EnsureEther.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef int32_t off
        if p.network_off < 0:
            return 0
        off = pkt_network_offset(p)
        if off < 0:
            return 0
        if off == ETHER_HLEN:
            if _is_ip_type(p.data + ETHER_TYPE):
                return 0
        elif off == 0 and pkt_headroom(p) >= ETHER_HLEN:
            if _is_ip_type(p.data - ETHER_HLEN + ETHER_TYPE):
                pkt_unpull(p, ETHER_HLEN)       # the stripped header is still there
                return 0
        pkt_pull(p, <unsigned>off)
        if pkt_push(p, ETHER_HLEN) < 0:
            return DROP
        memcpy(p.data, self.header, ETHER_HLEN)
        return 0
