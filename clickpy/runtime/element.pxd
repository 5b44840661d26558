# element.pxd -- the Element base class: ports, batch push and pull, actions, tasks
from libc.stdint cimport int64_t, uint32_t

from clickpy.runtime.packet cimport Batch, Packet

cdef enum:
    DROP = -1                   # action result: kill the packet

ctypedef struct PortLink:
    void *element               # the Element at the other end (borrowed; the router owns it)
    int port                    # its port number
    bint push                   # this port's resolved mode: 1 push, 0 pull


cdef class Element:
    cdef readonly str name              # full name in the flat graph
    cdef readonly int eindex            # index in the router (0-based)
    cdef readonly object router         # the Router (None until attached)
    cdef public object landmark         # Coord of the declaration
    cdef public str configuration       # configuration string as written
    cdef int _ninputs
    cdef int _noutputs
    cdef PortLink *_inputs              # per input: upstream output (pull inputs)
    cdef PortLink *_outputs             # per output: downstream input (push outputs)
    cdef Batch *_split                  # per output: packets an action sends there
    cdef bint _task_scheduled           # Click task state: in the run queue
    cdef int _tickets                   # Click task tickets (share of the CPU)
    cdef object __weakref__

    # the data path: every compiled element implements some of these
    cdef void push_batch(self, int port, Batch *b) noexcept nogil
    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil
    cdef int action(self, Packet *p) noexcept nogil
    cdef bint run_task(self) noexcept nogil

    # helpers elements call
    cdef void output_push(self, int port, Batch *b) noexcept nogil
    cdef void output_push_one(self, int port, Packet *p) noexcept nogil
    cdef uint32_t input_pull(self, int port, Batch *b, uint32_t max) noexcept nogil
    cdef void _flush_splits(self) noexcept nogil
    cdef void _act_on_batch(self, Batch *b) noexcept nogil
