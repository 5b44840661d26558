# etherheader.pxd -- EtherHeaderElement: the Ethernet header EtherEncap, EnsureEther,
# EtherRewrite, EtherVLANEncap and VLANEncap write into packets
from libc.stdint cimport uint8_t

from clickpy.runtime.element cimport Element

cdef enum:
    ETHER_HEADER_MAX = 18       # the longest header kept: 802.1Q-tagged


cdef class EtherHeaderElement(Element):
    cdef uint8_t header[ETHER_HEADER_MAX]   # wire format: DST, SRC, then type or tag
