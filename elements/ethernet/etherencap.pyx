# etherencap.pyx -- EtherEncap: prepends a fixed Ethernet header to each packet
from libc.stdint cimport uint32_t, uint8_t
from libc.string cimport memcpy

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport ETHER_DST, ETHER_HLEN, ETHER_SRC, ETHER_TYPE, load_be16
from clickpy.runtime.packet cimport Batch, Packet, pkt_push
from clickpy.lang.values import format_ether
from clickpy.runtime.args import MANDATORY, POSITIONAL, U16, Arg, EtherAddress


cdef class EtherEncap(Element):
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

    cdef uint8_t header[ETHER_HLEN]     # the header to prepend, wire format

    def configure(self, args):
        self._set(ETHER_TYPE, args.ETHERTYPE.to_bytes(2, "big"))
        self._set(ETHER_SRC, args.SRC)
        self._set(ETHER_DST, args.DST)

    def _get(self, int offset):
        return (<char *>self.header)[offset:offset + 6]

    def _set(self, int offset, bytes value):
        memcpy(&self.header[offset], <const char *>value, len(value))

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
        self.add_read_handler("src", lambda: format_ether(self._get(ETHER_SRC)))
        self.add_write_handler(
            "src", lambda v: self._set(ETHER_SRC, self.parse_value(EtherAddress, v)))
        self.add_read_handler("dst", lambda: format_ether(self._get(ETHER_DST)))
        self.add_write_handler(
            "dst", lambda v: self._set(ETHER_DST, self.parse_value(EtherAddress, v)))
        for name in ("ethertype", "etht"):
            self.add_read_handler(name, self._ethertype)
            self.add_write_handler(name, self._write_ethertype)

    def _ethertype(self):
        return load_be16(&self.header[ETHER_TYPE])

    def _write_ethertype(self, value):
        self._set(ETHER_TYPE, U16.parse(value.strip()).to_bytes(2, "big"))
