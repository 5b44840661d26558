# etherrewrite.pyx -- EtherRewrite: overwrites the Ethernet source and destination addresses
from libc.stdint cimport uint32_t
from libc.string cimport memcpy

from clickpy.runtime.element cimport DROP, action_fn, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet, pkt_uniqueify
from clickpy.elements.ethernet.etherheader cimport EtherHeaderElement
from clickpy.runtime.args import MANDATORY, POSITIONAL, Arg, EtherAddress


cdef class EtherRewrite(EtherHeaderElement):
    """
    =c
    EtherRewrite(SRC, DST)
    =s ethernet
    rewrites source and destination Ethernet addresses
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Expects Ethernet frames. Overwrites the destination address with DST
    and the source address with SRC; the Ethernet type stays. Useful when
    every frame leaving an output has the same next hop, as behind a
    transparent firewall.
    =item SRC
    Ethernet address. The new source address. Mandatory.
    =item DST
    Ethernet address. The new destination address. Mandatory.
    =n
    Click writes at the MAC header annotation; clickpy writes at the start
    of the packet data. Packets shorter than 12 bytes, and packets that
    cannot be unshared because the pool is empty, are dropped.
    =e
      EtherRewrite(1:1:1:1:1:1, 2:2:2:2:2:2)
    =h src read/write
    Same as SRC.
    =h dst read/write
    Same as DST.
    =a EtherEncap, EtherMirror, ARPQuerier
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("SRC", EtherAddress, MANDATORY | POSITIONAL),
            Arg("DST", EtherAddress, MANDATORY | POSITIONAL))

    def configure(self, args):
        self._set_addresses(args.SRC, args.DST)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>EtherRewrite.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>EtherRewrite.action)

    cdef int action(self, Packet *p) noexcept nogil:
        if p.length < 12 or pkt_uniqueify(p) < 0:
            return DROP
        memcpy(p.data, self.header, 12)      # destination and source
        return 0

    def add_handlers(self):
        self._add_address_handlers()
