# clock.pxd -- the router's notion of now: real time, or Click's simulated time
from libc.stdint cimport int64_t

cdef int64_t now_ns() noexcept nogil
cdef bint simulated() noexcept nogil
cdef void set_simulated(bint on, int64_t start_ns) noexcept nogil
cdef void advance_to(int64_t t_ns) noexcept nogil
