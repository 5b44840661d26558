# ethervlanencap.pyx -- EtherVLANEncap: prepends an 802.1Q-tagged Ethernet header
from libc.stdint cimport uint16_t, uint32_t
from libc.string cimport memcpy

from clickpy.runtime.element cimport DROP, action_fn, pull_actions, push_actions
from clickpy.runtime.headers cimport ETHER_DST, ETHER_SRC, ETHERTYPE_VLAN, load_be16, store_be16
from clickpy.runtime.packet cimport Batch, Packet, pkt_push
from clickpy.elements.ethernet.vlantag cimport VLAN_OFF_ENCAP, VLANTagElement
from clickpy.elements.ethernet.vlantag import VLANTCIArg
from clickpy.lang.values import format_ether
from clickpy.runtime.args import MANDATORY, POSITIONAL, U16, Arg, BoundedInt, EtherAddress

cdef enum:
    VLAN_HLEN = 18              # addresses, 0x8100, TCI, encapsulated type
    ETHER_HLEN = 14


cdef class EtherVLANEncap(VLANTagElement):
    """
    =c
    EtherVLANEncap(ETHERTYPE, SRC, DST [, VLAN_TCI, VLAN_PCP, VLAN_ID, NATIVE_VLAN])
    =s ethernet
    encapsulates packets in 802.1Q VLAN Ethernet header
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Prepends an 18-byte 802.1Q Ethernet header to every packet:
    destination DST, source SRC, type 0x8100, the tag control information,
    then the encapsulated type ETHERTYPE (host order, 0x0800 for IPv4).

    The TCI is VLAN_TCI when given, else VLAN_ID; VLAN_PCP is or'ed into
    its top 3 bits either way. VLAN_TCI may be the word ANNO: each packet's
    VLAN TCI annotation (network order) is used instead.

    A packet whose VLAN ID equals NATIVE_VLAN gets a plain 14-byte
    Ethernet header with type ETHERTYPE instead.
    =item ETHERTYPE
    Unsigned 16-bit integer. The encapsulated Ethernet type. Mandatory.
    =item SRC
    Ethernet address. The source address. Mandatory.
    =item DST
    Ethernet address. The destination address. Mandatory.
    =item VLAN_TCI
    Integer 0-0xFFFF, or ANNO. The whole TCI. Default is not given.
    =item VLAN_PCP
    Integer 0-7. Priority code point. Default is 0.
    =item VLAN_ID
    Integer 0-0xFFF. VLAN ID, used when VLAN_TCI is not given. Default is 0.
    =item NATIVE_VLAN
    Integer -1-0xFFF. Packets of this VLAN get no tag; -1 tags every
    packet. Default is 0.
    =n
    Packets that cannot grow because the packet pool is empty are
    dropped. The vlan_id, vlan_pcp and native_vlan handlers read the
    values in effect (Click reads back the keyword text of the
    configuration), and config prints NATIVE_VLAN -1 where Click prints
    65535.
    =e
      EtherVLANEncap(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2, VLAN_ID 1)
    =h config read-only
    "SRC, DST, ETHERTYPE", then ", ANNO" or ", VLAN_ID ID, VLAN_PCP PCP",
    then ", NATIVE_VLAN N" unless NATIVE_VLAN is 0.
    =h src read/write
    Same as SRC.
    =h dst read/write
    Same as DST.
    =h ethertype read/write
    Same as ETHERTYPE.
    =h vlan_tci read/write
    The TCI in decimal, or ANNO.
    =h vlan_id read/write
    Same as VLAN_ID.
    =h vlan_pcp read/write
    Same as VLAN_PCP.
    =h native_vlan read/write
    Same as NATIVE_VLAN.
    =a VLANEncap, VLANDecap, EtherEncap, ARPQuerier
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("ETHERTYPE", U16, MANDATORY | POSITIONAL),
            Arg("SRC", EtherAddress, MANDATORY | POSITIONAL),
            Arg("DST", EtherAddress, MANDATORY | POSITIONAL),
            Arg("VLAN_TCI", VLANTCIArg(), POSITIONAL, default=None),
            Arg("VLAN_PCP", BoundedInt(0, 7), POSITIONAL, default=0),
            Arg("VLAN_ID", BoundedInt(0, 0xFFF), default=0),
            Arg("NATIVE_VLAN", BoundedInt(-1, 0xFFF), default=0))

    def configure(self, args):
        self._set_addresses(args.SRC, args.DST)
        store_be16(&self.header[VLAN_OFF_ENCAP], args.ETHERTYPE)
        self._configure_tag(args, ETHERTYPE_VLAN)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>EtherVLANEncap.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>EtherVLANEncap.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint16_t tci = self._tci(p)
        if (tci & 0xFFF) == self.native_vlan:
            if pkt_push(p, ETHER_HLEN) < 0:
                return DROP
            memcpy(p.data, self.header, 12)
            memcpy(p.data + 12, &self.header[VLAN_OFF_ENCAP], 2)
            return 0
        if pkt_push(p, VLAN_HLEN) < 0:
            return DROP
        memcpy(p.data, self.header, VLAN_HLEN)
        return 0

    def add_handlers(self):
        self.add_read_handler("config", self._config)
        self._add_address_handlers()
        self._add_type_handlers(VLAN_OFF_ENCAP, ("ethertype",))
        self._add_tag_handlers()

    def _config(self):
        return (f"{format_ether(self._get(ETHER_SRC))}, {format_ether(self._get(ETHER_DST))}, "
                f"{load_be16(&self.header[VLAN_OFF_ENCAP])}, {self._tag_config()}")
