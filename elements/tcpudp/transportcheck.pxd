# transportcheck.pxd -- shared base of CheckTCPHeader, CheckUDPHeader, CheckICMPHeader
from libc.stdint cimport uint64_t

from clickpy.runtime.element cimport Element

# why a packet failed, in Click's order (texts built from the protocol's name)
cdef enum:
    TC_NOT_PROTO = 0
    TC_LENGTH = 1
    TC_CHECKSUM = 2
    TC_NREASONS = 3


cdef class TransportCheck(Element):
    cdef bint verbose                           # VERBOSE: a message for every bad packet
    cdef bint details                           # DETAILS: drop_details handler exists
    cdef uint64_t n_drops                       # bad packets
    cdef uint64_t reason_drops[TC_NREASONS]     # bad packets by reason
    cdef tuple reason_texts                     # ("not TCP", "bad packet length", ...)
    cdef str message_prefix                     # what stands before a reason on stderr

    cdef int _bad(self, int reason) noexcept nogil
