# vlandecap.pyx -- VLANDecap: removes an 802.1Q tag from Ethernet frames
from libc.stdint cimport uint16_t, uint32_t, uint8_t
from libc.string cimport memmove

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport load_be16
from clickpy.runtime.packet cimport ANNO_VLAN_TCI, Batch, Packet, pkt_pull, pkt_uniqueify
from clickpy.runtime.args import POSITIONAL, U16, Arg, Bool

cdef enum:
    VLAN_TAG_LEN = 4            # 802.1Q: tag protocol identifier, tag control information
    ETHER_ADDRS_LEN = 12        # destination and source


cdef class VLANDecap(Element):
    """
    =c
    VLANDecap([ANNO, ETHERTYPE])
    =s ethernet
    strips VLAN information from Ethernet packets
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Expects Ethernet frames, maybe with an 802.1Q tag. A frame whose type
    field is ETHERTYPE loses its 4-byte tag (the addresses move up), and
    leaves as a plain Ethernet frame. With ANNO, every frame's VLAN TCI
    annotation is set to the tag's TCI in network order, or to 0 when the
    frame had no tag.
    =item ANNO
    Boolean. Set the VLAN TCI annotation. Default is true.
    =item ETHERTYPE
    Unsigned 16-bit integer. Tag protocol identifier: 0x8100 for 802.1Q,
    0x88a8 for 802.1ad service tags. Default is 0x8100.
    =n
    Frames shorter than 16 bytes are treated as untagged. Tagged frames
    that cannot be unshared because the packet pool is empty are dropped.
    =e
      FromDevice(eth0) -> VLANDecap -> ...
    =a VLANEncap, EtherVLANEncap
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("ANNO", Bool, POSITIONAL, default=True),
            Arg("ETHERTYPE", U16, default=0x8100))

    cdef bint anno              # ANNO
    cdef uint16_t ethertype     # ETHERTYPE (host order)

    def configure(self, args):
        self.anno = args.ANNO
        self.ethertype = args.ETHERTYPE

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>VLANDecap.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>VLANDecap.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t tci[2]
        tci[0] = tci[1] = 0
        if p.length >= ETHER_ADDRS_LEN + VLAN_TAG_LEN \
                and load_be16(p.data + ETHER_ADDRS_LEN) == self.ethertype:
            tci[0] = p.data[ETHER_ADDRS_LEN + 2]
            tci[1] = p.data[ETHER_ADDRS_LEN + 3]
            if pkt_uniqueify(p) < 0:
                return DROP
            memmove(p.data + VLAN_TAG_LEN, p.data, ETHER_ADDRS_LEN)
            pkt_pull(p, VLAN_TAG_LEN)
        if self.anno:
            p.anno[ANNO_VLAN_TCI] = tci[0]
            p.anno[ANNO_VLAN_TCI + 1] = tci[1]
        return 0
