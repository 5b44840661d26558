# vlantag.pyx -- VLANTagElement: what VLANEncap and EtherVLANEncap share
from clickpy.runtime.headers cimport store_be16
from clickpy.runtime.args import ArgType, BoundedInt


class VLANTCIArg(ArgType):
    """VLAN_TCI: the word ANNO, or a 16-bit TCI (None for ANNO)."""

    name = "VLAN TCI"

    def parse(self, text):
        if text == "ANNO":
            return None
        return BoundedInt(0, 0xFFFF).parse(text)


# handler, settings key, parser: the VLAN settings every tagger has
VLAN_SETTINGS = (("vlan_id", "id", BoundedInt(0, 0xFFF)),
                 ("vlan_pcp", "pcp", BoundedInt(0, 7)),
                 ("native_vlan", "native", BoundedInt(-1, 0xFFF)))


cdef class VLANTagElement(EtherHeaderElement):
    """An element that tags packets with an 802.1Q tag, kept in the header
    at VLAN_OFF_TPID: VLAN_TCI, VLAN_PCP, VLAN_ID and NATIVE_VLAN, their
    handlers, and the TCI of each packet (``_tci``). The settings live in a
    dict, so that a write handler changes one and recomputes the tag."""

    def _configure_tag(self, args, int tpid):
        self._apply(dict(tci=args.VLAN_TCI, anno="VLAN_TCI" in args and args.VLAN_TCI is None,
                         pcp=args.VLAN_PCP, id=args.VLAN_ID, native=args.NATIVE_VLAN,
                         tpid=tpid))

    def _apply(self, dict s):
        self.settings = s
        self.use_anno = s["anno"]
        tci = (s["tci"] if s["tci"] is not None else s["id"]) | (s["pcp"] << 13)
        store_be16(&self.header[VLAN_OFF_TPID], s["tpid"])
        store_be16(&self.header[VLAN_OFF_TCI], tci & 0xFFFF)
        self.native_vlan = s["native"]

    def _write(self, key, parser, value):
        s = dict(self.settings)
        s[key] = parser.parse(value.strip())
        if key == "tci":
            s["anno"] = s["tci"] is None
        self._apply(s)

    def _add_tag_handlers(self, more=()):
        """vlan_tci, vlan_id, vlan_pcp, native_vlan, then ``more`` (handler,
        settings key, parser) triples, all read/write."""
        self.add_read_handler("vlan_tci", lambda: "ANNO" if self.use_anno else self._tag_tci())
        self.add_write_handler("vlan_tci", lambda v: self._write("tci", VLANTCIArg(), v))
        for hname, key, parser in VLAN_SETTINGS + tuple(more):
            self.add_read_handler(hname, lambda key=key: self.settings[key])
            self.add_write_handler(hname, lambda v, key=key, parser=parser:
                                   self._write(key, parser, v))

    def _tag_tci(self):
        return load_be16(&self.header[VLAN_OFF_TCI])

    def _tag_config(self):
        """"ANNO" or "VLAN_ID ID, VLAN_PCP PCP", then ", NATIVE_VLAN N" unless it is 0."""
        cdef uint16_t tci = load_be16(&self.header[VLAN_OFF_TCI])
        if self.use_anno:
            text = "ANNO"
        else:
            text = f"VLAN_ID {tci & 0xFFF}, VLAN_PCP {(tci >> 13) & 7}"
        if self.native_vlan != 0:
            text += f", NATIVE_VLAN {self.native_vlan}"
        return text
