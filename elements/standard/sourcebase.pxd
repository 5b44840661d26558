# sourcebase.pxd -- PacketSource: what InfiniteSource, RatedSource and TimedSource share
from libc.stdint cimport uint8_t, uint32_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport PacketPool


cdef class PacketSource(Element):
    cdef uint8_t *data          # contents of every packet sent
    cdef uint32_t length        # bytes at data
    cdef object _contents       # the same, as bytes
    cdef PacketPool *pool       # where packets come from (set in initialize)
