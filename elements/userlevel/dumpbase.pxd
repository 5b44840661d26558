# dumpbase.pxd -- shared bases of the trace file elements: DumpSource, DumpSink
from libc.stdint cimport int64_t, uint32_t, uint64_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport Batch, Packet, PacketPool


cdef class DumpSource(Element):
    cdef PacketPool *pool
    cdef object _filename
    cdef object _timer              # wakes the task for TIMING
    cdef bint active                # ACTIVE
    cdef bint stop                  # STOP
    cdef bint timing                # TIMING
    cdef bint done                  # nothing more to read (end of file, END)
    cdef bint have_timing           # timing origin known
    cdef int64_t timing_file_ns     # TIMING: file time of the reference packet
    cdef int64_t timing_real_ns     # TIMING: router time it was emitted
    cdef uint64_t n_count           # packets emitted
    cdef Packet *pending            # read but not yet due (TIMING)

    cdef Packet *_read(self) noexcept nogil
    cdef void _at_end(self) noexcept nogil
    cdef bint _due(self, Packet *p) noexcept nogil
    cdef uint32_t _fill(self, Batch *b, uint32_t max) noexcept nogil
    cdef void _drop_pending(self) noexcept nogil


cdef class DumpSink(Element):
    cdef object _filename
    cdef uint64_t n_count           # packets written
    cdef bint write_failed          # a write failed: reported, nothing more is written

    cdef void _write(self, Batch *b) noexcept nogil
