# etherencap.pyx -- EtherEncap: prepends a fixed Ethernet header to each packet
from libc.stdint cimport uint32_t
from libc.string cimport memcpy

from clickpy.runtime.element cimport DROP, action_fn, pull_actions, push_actions
from clickpy.runtime.headers cimport ETHER_HLEN, ETHER_TYPE
from clickpy.runtime.packet cimport Batch, Packet, pkt_push
from clickpy.elements.ethernet.etherheader cimport EtherHeaderElement
from clickpy.runtime.args import MANDATORY, POSITIONAL, U16, Arg, EtherAddress


cdef class EtherEncap(EtherHeaderElement):
    """
    =c
    EtherEncap(ETHERTYPE, SRC, DST)
    =s ethernet
    encapsulates packets in Ethernet header
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Puts a 14-byte Ethernet header in front of every packet: destination
    DST, source SRC, type ETHERTYPE. ETHERTYPE is written as a number in
    the usual (host) order, 0x0800 for IPv4.
    =item ETHERTYPE
    Unsigned 16-bit integer. The Ethernet type. Mandatory.
    =item SRC
    Ethernet address. The source address. Mandatory.
    =item DST
    Ethernet address. The destination address. Mandatory.
    =n
    Packets that cannot get the header because the packet pool is empty
    are dropped. The deprecated etht handler pair is kept. For IP
    packets bound for an Ethernet, ARPQuerier is usually what is wanted.
    =e
      EtherEncap(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2)
    =h src read/write
    Same as SRC.
    =h dst read/write
    Same as DST.
    =h ethertype read/write
    Same as ETHERTYPE, printed in decimal.
    =h etht read/write
    Deprecated name of ethertype.
    =a EtherVLANEncap, ARPQuerier, EnsureEther, EtherRewrite
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("ETHERTYPE", U16, MANDATORY | POSITIONAL),
            Arg("SRC", EtherAddress, MANDATORY | POSITIONAL),
            Arg("DST", EtherAddress, MANDATORY | POSITIONAL))

    def configure(self, args):
        self._set_header(args.ETHERTYPE, args.SRC, args.DST)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>EtherEncap.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>EtherEncap.action)

    cdef int action(self, Packet *p) noexcept nogil:
        if pkt_push(p, ETHER_HLEN) < 0:         # pool empty
            return DROP
        memcpy(p.data, self.header, ETHER_HLEN)
        return 0

    def add_handlers(self):
        self._add_address_handlers()
        self._add_type_handlers(ETHER_TYPE, ("ethertype", "etht"))
