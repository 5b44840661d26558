# etherheader.pyx -- EtherHeaderElement: the Ethernet header EtherEncap, EnsureEther,
# EtherRewrite, EtherVLANEncap and VLANEncap write into packets
from libc.string cimport memcpy

from clickpy.runtime.headers cimport ETHER_DST, ETHER_SRC, ETHER_TYPE, load_be16, store_be16
from clickpy.lang.values import format_ether
from clickpy.runtime.args import U16, EtherAddress


cdef class EtherHeaderElement(Element):
    """An element that writes (part of) one Ethernet header, kept in
    ``header`` in wire format, into every packet: configuring it, and the
    src, dst and type handlers. The action copies from ``header`` itself.
    """

    def _set(self, int offset, bytes value):
        memcpy(&self.header[offset], <const char *>value, len(value))

    def _get(self, int offset):
        return (<char *>self.header)[offset:offset + 6]

    def _set_addresses(self, bytes src, bytes dst):
        self._set(ETHER_DST, dst)
        self._set(ETHER_SRC, src)

    def _set_header(self, int ethertype, bytes src, bytes dst):
        """A whole 14-byte header: DST, SRC, ETHERTYPE."""
        self._set_addresses(src, dst)
        store_be16(&self.header[ETHER_TYPE], ethertype)

    def _add_address_handlers(self):
        """src and dst, read/write."""
        self.add_read_handler("src", lambda: format_ether(self._get(ETHER_SRC)))
        self.add_write_handler(
            "src", lambda v: self._set(ETHER_SRC, self.parse_value(EtherAddress, v)))
        self.add_read_handler("dst", lambda: format_ether(self._get(ETHER_DST)))
        self.add_write_handler(
            "dst", lambda v: self._set(ETHER_DST, self.parse_value(EtherAddress, v)))

    def _add_type_handlers(self, int offset, names):
        """Read/write handlers under each of ``names`` for the 16-bit
        Ethernet type at ``offset`` in the header, in decimal."""
        for name in names:
            self.add_read_handler(name, lambda: load_be16(&self.header[offset]))
            self.add_write_handler(name, lambda v: store_be16(&self.header[offset],
                                                              U16.parse(v.strip())))
