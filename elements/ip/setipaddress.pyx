# setipaddress.pyx -- SetIPAddress: sets a packet's destination IP address annotation
from libc.stdint cimport uint8_t, uint32_t
from libc.string cimport memcpy

from clickpy.runtime.element cimport action_fn, Element, pull_actions, push_actions
from clickpy.runtime.packet cimport ANNO_DST_IP, Batch, Packet
from clickpy.runtime.args import MANDATORY, POSITIONAL, AnnoArg, Arg, IPAddress
from clickpy.lang.values import format_ip


cdef class SetIPAddress(Element):
    """
    =c
    SetIPAddress(IPADDR [, ANNO])
    =s ip
    sets destination IP address annotations
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Sets the destination IP address annotation of every packet (or the
    4-byte annotation ANNO) to IPADDR. The packet data are not touched.
    =item IPADDR
    IP address or AddressInfo name. The address to set. Mandatory.
    =item ANNO
    Annotation name or offset of 4 bytes, keyword only. Default is DST_IP.
    =e
      ... -> SetIPAddress(10.0.0.1) -> ARPQuerier(...) -> ...
    =h addr read/write
    The address, as IPADDR.
    =a GetIPAddress, StoreIPAddress
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("IPADDR", IPAddress, MANDATORY | POSITIONAL),
            Arg("ANNO", AnnoArg(4), default=ANNO_DST_IP))

    cdef uint8_t addr[4]        # IPADDR, network order
    cdef uint32_t anno          # ANNO: annotation offset

    def configure(self, args):
        self._set(args.IPADDR)
        self.anno = args.ANNO

    def _set(self, bytes addr):
        memcpy(self.addr, <const char *>addr, 4)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>SetIPAddress.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>SetIPAddress.action)

    cdef int action(self, Packet *p) noexcept nogil:
        memcpy(p.anno + self.anno, self.addr, 4)
        return 0

    def add_handlers(self):
        self.add_read_handler("addr", lambda: format_ip(bytes(self.addr[:4])))
        self.add_write_handler("addr", lambda text: self._set(self.parse_value(IPAddress, text)))
