# clock.pyx -- the router's notion of now: real time, or Click's simulated time
from libc.stdint cimport int64_t

from clickpy.runtime.includes.posix_time cimport CLOCK_REALTIME, clock_gettime, timespec

cdef bint _simulated = False
cdef int64_t _sim_now = 0

SIMTIME_START_NS = 1000000000 * 1000000000   # Click's --simtime starts at 1000000000 s


cdef int64_t now_ns() noexcept nogil:
    cdef timespec ts
    if _simulated:
        return _sim_now
    clock_gettime(CLOCK_REALTIME, &ts)
    return <int64_t>ts.tv_sec * 1000000000 + ts.tv_nsec


cdef bint simulated() noexcept nogil:
    return _simulated


cdef void set_simulated(bint on, int64_t start_ns) noexcept nogil:
    global _simulated, _sim_now
    _simulated = on
    _sim_now = start_ns


cdef void advance_to(int64_t t_ns) noexcept nogil:
    """Simulated time only moves forward, and only when the driver is idle."""
    global _sim_now
    if t_ns > _sim_now:
        _sim_now = t_ns


def now():
    """Current router time in seconds (float)."""
    return now_ns() / 1e9


def now_nanoseconds():
    return now_ns()


def use_simulated_time(bint on, start_ns=None):
    set_simulated(on, SIMTIME_START_NS if start_ns is None else start_ns)
