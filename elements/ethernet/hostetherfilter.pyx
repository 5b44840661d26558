# hostetherfilter.pyx -- HostEtherFilter: classifies frames by destination, diverts others' frames
from libc.stdint cimport uint8_t, uint32_t
from libc.string cimport memcmp, memcpy

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport ETHER_ADDR_LEN, ETHER_DST, ETHER_HLEN, ETHER_SRC
from clickpy.runtime.packet cimport (
    PKT_BROADCAST,
    PKT_HOST,
    PKT_MULTICAST,
    PKT_OTHERHOST,
    Batch,
    Packet,
)
from clickpy.lang.values import format_ether
from clickpy.runtime.args import MANDATORY, POSITIONAL, Arg, Bool, EtherAddress, Unsigned

cdef uint8_t BROADCAST_ADDR[6]
BROADCAST_ADDR[:] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]


cdef class HostEtherFilter(Element):
    """
    =c
    HostEtherFilter(ETHER [, DROP_OWN, DROP_OTHER, OFFSET])
    =s ethernet
    drops Ethernet packets sent to other machines
    =io
    One input. Output 0: frames for this host. Output 1 (optional):
    filtered frames.
    =processing
    Agnostic; output 1 is push.
    =d
    Expects Ethernet frames whose header starts OFFSET bytes in, and acts
    like the receive filter of an interface with address ETHER. Each frame
    gets its packet type annotation from its destination: HOST when it is
    ETHER, BROADCAST for FF-FF-FF-FF-FF-FF, MULTICAST for other group
    addresses, OTHERHOST for other unicast addresses. With DROP_OWN,
    frames whose source is ETHER are filtered (their type is left alone);
    with DROP_OTHER, OTHERHOST frames are filtered. Filtered frames leave
    on output 1, or are dropped when it is not connected; all others
    leave on output 0.
    =item ETHER
    Ethernet address. This host's address. Mandatory.
    =item DROP_OWN
    Boolean. Filter frames sent by ETHER. Default is false.
    =item DROP_OTHER
    Boolean. Filter frames for other hosts. Default is true.
    =item OFFSET
    Unsigned. Position of the Ethernet header. Default is 0.
    =n
    Frames too short for an Ethernet header at OFFSET are dropped (Click
    reads past them).
    =e
      FromDevice(eth0) -> HostEtherFilter(00:a0:c9:9c:fd:9c) -> ...
    =h ether read/write
    Same as ETHER.
    =a Classifier, ARPResponder
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = (Arg("ETHER", EtherAddress, MANDATORY | POSITIONAL),
            Arg("DROP_OWN", Bool, POSITIONAL, default=False),
            Arg("DROP_OTHER", Bool, POSITIONAL, default=True),
            Arg("OFFSET", Unsigned, default=0))

    cdef uint8_t addr[ETHER_ADDR_LEN]   # ETHER
    cdef bint drop_own                  # DROP_OWN
    cdef bint drop_other                # DROP_OTHER
    cdef uint32_t offset                # OFFSET

    def configure(self, args):
        self._set_addr(args.ETHER)
        self.drop_own = args.DROP_OWN
        self.drop_other = args.DROP_OTHER
        self.offset = args.OFFSET

    def _set_addr(self, bytes value):
        memcpy(self.addr, <const char *>value, ETHER_ADDR_LEN)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>HostEtherFilter.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>HostEtherFilter.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef const uint8_t *e
        if p.length < self.offset or p.length - self.offset < ETHER_HLEN:
            return DROP
        e = p.data + self.offset
        if self.drop_own and memcmp(e + ETHER_SRC, self.addr, ETHER_ADDR_LEN) == 0:
            return 1
        if memcmp(e + ETHER_DST, self.addr, ETHER_ADDR_LEN) == 0:
            p.packet_type = PKT_HOST
        elif memcmp(e + ETHER_DST, BROADCAST_ADDR, ETHER_ADDR_LEN) == 0:
            p.packet_type = PKT_BROADCAST
        elif e[ETHER_DST] & 0x01:           # the group bit (IEEE 802.3 3.2.3)
            p.packet_type = PKT_MULTICAST
        else:
            p.packet_type = PKT_OTHERHOST
            if self.drop_other:
                return 1
        return 0

    def add_handlers(self):
        self.add_read_handler("ether", self._read_ether)
        self.add_write_handler("ether", lambda v: self._set_addr(self.parse_value(EtherAddress, v)))

    def _read_ether(self):
        return format_ether((<char *>self.addr)[:ETHER_ADDR_LEN])
