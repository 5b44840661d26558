# driver.pxd -- Click's scheduling model: tasks in a run queue, timers, idle waits
from libc.stdint cimport int64_t

from clickpy.runtime.element cimport Element

cdef void please_stop() noexcept nogil


cdef class Timer:
    cdef readonly object callback       # called with the GIL when the timer fires
    cdef readonly object driver         # the Driver it runs in
    cdef int64_t expiry_ns              # when it fires (router time)
    cdef bint scheduled
    cdef long _seq                      # heap entry of the current schedule
    cdef readonly bint daemon           # does not keep the router running


cdef class Driver:
    cdef void **_tasks                  # Elements with tasks, in scheduling order
    cdef int _ntasks
    cdef int _cap
    cdef list _task_refs                # keeps the task elements alive
    cdef list _timers                   # heap of (expiry_ns, seq, Timer)
    cdef long _seq
    cdef readonly int runcount          # Click's runcount: the driver stops at <= 0
    cdef public object stop_hook        # DriverManager: decides what a stop means
    cdef object _fds                    # FdWatcher, made on the first watch(); or None
    cdef readonly bint stopped

    cdef bint _rounds(self, int max_rounds, int64_t until_ns) noexcept nogil
    cdef bint _watching(self)
