# counterbase.pxd -- CounterBase: what Counter and AverageCounter share
from libc.stdint cimport uint32_t, uint64_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport Batch


cdef class CounterBase(Element):
    cdef uint64_t n_packets     # packets counted since reset
    cdef uint64_t n_bytes       # bytes counted since reset

    cdef void _count(self, Batch *b) noexcept nogil

    cdef inline void _add(self, Batch *b) noexcept nogil:
        """Counts the packets of ``b`` and their bytes."""
        cdef uint32_t i
        cdef uint64_t nbytes = 0
        for i in range(b.n):
            nbytes += b.p[i].length
        self.n_packets += b.n
        self.n_bytes += nbytes
