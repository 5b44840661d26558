# element.pxd -- the Element base class: ports, batch push and pull, actions, tasks
from libc.stdint cimport int64_t, uint32_t

from clickpy.runtime.packet cimport BATCH_MAX, Batch, Packet, pkt_kill

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


ctypedef int (*action_fn)(Element self, Packet *p) noexcept nogil


cdef inline void batch_act(Element self, Batch *b, action_fn action) noexcept nogil:
    """Runs ``action`` on each packet of ``b`` for a pull: output 0 stays in
    ``b`` for the puller, other (push) outputs collect in the split
    batches, drops are killed; order within each output is kept."""
    cdef uint32_t i, keep = 0, n = b.n
    cdef int out
    cdef Packet *p
    cdef Batch *s
    for i in range(n):
        p = b.p[i]
        out = action(self, p)
        if out == 0:
            b.p[keep] = p
            keep += 1
        elif out > 0 and out < self._noutputs:
            s = &self._split[out]
            s.p[s.n] = p
            s.n += 1
            if s.n == BATCH_MAX:            # full: hand it on now
                self._flush_splits()
        else:
            pkt_kill(p)                     # DROP, or an output this element lacks
    b.n = keep


cdef inline void push_actions(Element self, Batch *b, action_fn action) noexcept nogil:
    """push_batch for an action element: runs ``action`` on each packet and
    pushes runs of consecutive packets bound for the same output, in
    arrival order, so packets leave in the order Click's one-at-a-time
    push would send them; a batch is split only where the output changes.

    An element that overrides push_batch with
    ``push_actions(self, b, <action_fn>MyClass.action)`` gets its action
    inlined into this loop instead of called through the vtable per packet.
    """
    cdef uint32_t i, n = b.n
    cdef int out, current = -1
    cdef Packet *p
    cdef Batch run                      # on the stack: a push may come back here
    run.n = 0
    for i in range(n):
        p = b.p[i]
        out = action(self, p)
        if out < 0 or out >= self._noutputs:
            pkt_kill(p)                 # DROP, or an output this element lacks
            continue
        if out != current and run.n:
            self.output_push(current, &run)
            run.n = 0
        current = out
        run.p[run.n] = p
        run.n += 1
    b.n = 0
    if run.n:
        self.output_push(current, &run)
    self._flush_splits()                # packets an action queued with the split batches


cdef inline uint32_t pull_actions(Element self, Batch *b, uint32_t max,
                                  action_fn action) noexcept nogil:
    """pull_batch for an action element (see push_actions)."""
    if self.input_pull(0, b, max) == 0:
        return 0
    batch_act(self, b, action)
    self._flush_splits()
    return b.n
