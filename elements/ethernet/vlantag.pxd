# vlantag.pxd -- VLANTagElement: what VLANEncap and EtherVLANEncap share
from libc.stdint cimport int32_t, uint16_t

from clickpy.runtime.headers cimport load_be16
from clickpy.runtime.packet cimport ANNO_VLAN_TCI, Packet
from clickpy.elements.ethernet.etherheader cimport EtherHeaderElement

cdef enum:
    VLAN_OFF_TPID = 12          # in the header: tag protocol identifier
    VLAN_OFF_TCI = 14           # tag control information
    VLAN_OFF_ENCAP = 16         # encapsulated Ethernet type (EtherVLANEncap)


cdef class VLANTagElement(EtherHeaderElement):
    cdef bint use_anno          # VLAN_TCI ANNO: the TCI comes from the annotation
    cdef int32_t native_vlan    # NATIVE_VLAN; -1: none
    cdef dict settings          # current VLAN argument values, for handlers

    cdef inline uint16_t _tci(self, Packet *p) noexcept nogil:
        """The TCI ``p`` is tagged with, left in the header's tag: the
        configured one, or with VLAN_TCI ANNO ``p``'s annotation."""
        if self.use_anno:
            self.header[VLAN_OFF_TCI] = p.anno[ANNO_VLAN_TCI]
            self.header[VLAN_OFF_TCI + 1] = p.anno[ANNO_VLAN_TCI + 1]
        return load_be16(&self.header[VLAN_OFF_TCI])
