# vlanencap.pyx -- VLANEncap: inserts an 802.1Q tag into Ethernet frames
from libc.stdint cimport int32_t, uint16_t, uint32_t, uint8_t
from libc.string cimport memmove

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport load_be16, store_be16
from clickpy.runtime.packet cimport ANNO_VLAN_TCI, Batch, Packet, pkt_push
from clickpy.runtime.args import POSITIONAL, U16, Arg, ArgType, BoundedInt

cdef enum:
    VLAN_TAG_LEN = 4            # 802.1Q: tag protocol identifier, tag control information
    ETHER_ADDRS_LEN = 12        # destination and source


class VLANTCIArg(ArgType):
    """VLAN_TCI: the word ANNO, or a 16-bit TCI (None for ANNO)."""

    name = "VLAN TCI"

    def parse(self, text):
        if text == "ANNO":
            return None
        return BoundedInt(0, 0xFFFF).parse(text)


cdef class VLANEncap(Element):
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

    cdef uint16_t tci           # TCI to insert (host order)
    cdef bint use_anno          # VLAN_TCI ANNO: the TCI comes from the annotation
    cdef int32_t native_vlan    # NATIVE_VLAN; -1: none
    cdef uint16_t ethertype     # ETHERTYPE (host order)
    cdef dict settings          # current argument values, for handlers

    def configure(self, args):
        self._apply(dict(tci=args.VLAN_TCI, anno="VLAN_TCI" in args and args.VLAN_TCI is None,
                         pcp=args.VLAN_PCP, id=args.VLAN_ID, native=args.NATIVE_VLAN,
                         ethertype=args.ETHERTYPE))

    def _apply(self, dict s):
        self.settings = s
        self.use_anno = s["anno"]
        self.tci = ((s["tci"] if s["tci"] is not None else s["id"]) | (s["pcp"] << 13)) & 0xFFFF
        self.native_vlan = s["native"]
        self.ethertype = s["ethertype"]

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>VLANEncap.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>VLANEncap.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint16_t tci = self.tci
        cdef uint8_t *d
        if self.use_anno:
            tci = load_be16(&p.anno[ANNO_VLAN_TCI])
        if (tci & 0xFFF) == self.native_vlan:
            return 0
        if p.length < ETHER_ADDRS_LEN or pkt_push(p, VLAN_TAG_LEN) < 0:
            return DROP
        d = p.data
        memmove(d, d + VLAN_TAG_LEN, ETHER_ADDRS_LEN)
        store_be16(d + ETHER_ADDRS_LEN, self.ethertype)
        store_be16(d + ETHER_ADDRS_LEN + 2, tci)
        return 0

    def add_handlers(self):
        self.add_read_handler("config", self._config)
        self.add_read_handler("vlan_tci", lambda: "ANNO" if self.use_anno else self.tci)
        self.add_write_handler("vlan_tci", lambda v: self._write("tci", VLANTCIArg(), v))
        for hname, key, parser in (("vlan_id", "id", BoundedInt(0, 0xFFF)),
                                   ("vlan_pcp", "pcp", BoundedInt(0, 7)),
                                   ("native_vlan", "native", BoundedInt(-1, 0xFFF)),
                                   ("ethertype", "ethertype", U16)):
            self.add_read_handler(hname, lambda key=key: self.settings[key])
            self.add_write_handler(hname, lambda v, key=key, parser=parser:
                                   self._write(key, parser, v))

    def _write(self, key, parser, value):
        s = dict(self.settings)
        s[key] = parser.parse(value.strip())
        if key == "tci":
            s["anno"] = s["tci"] is None
        self._apply(s)

    def _config(self):
        if self.use_anno:
            text = "ANNO"
        else:
            text = f"VLAN_ID {self.tci & 0xFFF}, VLAN_PCP {(self.tci >> 13) & 7}"
        if self.native_vlan != 0:
            text += f", NATIVE_VLAN {self.native_vlan}"
        return text
