# vlanencap.pyx -- VLANEncap: inserts an 802.1Q tag into Ethernet frames
from libc.stdint cimport uint16_t, uint32_t, uint8_t
from libc.string cimport memcpy, memmove

from clickpy.runtime.element cimport DROP, action_fn, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet, pkt_push
from clickpy.elements.ethernet.vlantag cimport VLAN_OFF_TPID, VLANTagElement
from clickpy.elements.ethernet.vlantag import VLANTCIArg
from clickpy.runtime.args import POSITIONAL, U16, Arg, BoundedInt

cdef enum:
    VLAN_TAG_LEN = 4            # 802.1Q: tag protocol identifier, tag control information
    ETHER_ADDRS_LEN = 12        # destination and source


cdef class VLANEncap(VLANTagElement):
    """
    =c
    VLANEncap([VLAN_TCI, VLAN_PCP, VLAN_ID, NATIVE_VLAN, ETHERTYPE])
    =s ethernet
    adds VLAN information to Ethernet packets
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Expects Ethernet frames and inserts a 4-byte 802.1Q tag after their
    addresses: type ETHERTYPE (0x8100), then the tag control information
    (priority code point in the top 3 bits, VLAN ID in the low 12).

    The TCI is VLAN_TCI when given, else VLAN_ID; VLAN_PCP is or'ed into
    its top bits either way. VLAN_TCI may be the word ANNO: each packet's
    VLAN TCI annotation (network order) is used instead.

    A frame whose VLAN ID equals NATIVE_VLAN passes untagged.
    =item VLAN_TCI
    Integer 0-0xFFFF, or ANNO. The whole TCI. Default is not given.
    =item VLAN_PCP
    Integer 0-7. Priority code point. Default is 0.
    =item VLAN_ID
    Integer 0-0xFFF. VLAN ID, used when VLAN_TCI is not given. Default is 0.
    =item NATIVE_VLAN
    Integer -1-0xFFF. Frames of this VLAN are not tagged; -1 tags every
    frame. Default is 0.
    =item ETHERTYPE
    Unsigned 16-bit integer. Tag protocol identifier: 0x8100 for 802.1Q,
    0x88a8 for 802.1ad service tags. Default is 0x8100.
    =n
    Frames shorter than 12 bytes, and frames that cannot grow because the
    packet pool is empty, are dropped. The vlan_id, vlan_pcp, native_vlan
    and ethertype handlers read the values in effect (Click reads back
    the keyword text of the configuration), and config prints
    NATIVE_VLAN -1 where Click prints 65535.
    =e
      ... -> VLANEncap(VLAN_ID 12, VLAN_PCP 5) -> ToDevice(eth0);
    =h config read-only
    The configuration: "ANNO" or "VLAN_ID ID, VLAN_PCP PCP", then
    ", NATIVE_VLAN N" unless NATIVE_VLAN is 0.
    =h vlan_tci read/write
    The TCI in decimal, or ANNO.
    =h vlan_id read/write
    Same as VLAN_ID.
    =h vlan_pcp read/write
    Same as VLAN_PCP.
    =h native_vlan read/write
    Same as NATIVE_VLAN.
    =h ethertype read/write
    Same as ETHERTYPE.
    =a EtherVLANEncap, VLANDecap
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("VLAN_TCI", VLANTCIArg(), POSITIONAL, default=None),
            Arg("VLAN_PCP", BoundedInt(0, 7), POSITIONAL, default=0),
            Arg("VLAN_ID", BoundedInt(0, 0xFFF), default=0),
            Arg("NATIVE_VLAN", BoundedInt(-1, 0xFFF), default=0),
            Arg("ETHERTYPE", U16, default=0x8100))

    def configure(self, args):
        self._configure_tag(args, args.ETHERTYPE)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>VLANEncap.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>VLANEncap.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint16_t tci = self._tci(p)
        cdef uint8_t *d
        if (tci & 0xFFF) == self.native_vlan:
            return 0
        if p.length < ETHER_ADDRS_LEN or pkt_push(p, VLAN_TAG_LEN) < 0:
            return DROP
        d = p.data
        memmove(d, d + VLAN_TAG_LEN, ETHER_ADDRS_LEN)
        memcpy(d + ETHER_ADDRS_LEN, &self.header[VLAN_OFF_TPID], VLAN_TAG_LEN)
        return 0

    def add_handlers(self):
        self.add_read_handler("config", self._tag_config)
        self._add_tag_handlers((("ethertype", "tpid", U16),))
