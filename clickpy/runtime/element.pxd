# element.pxd -- the Element base class: ports, batch push and pull, actions, tasks
#
# How an element sends packets on -- two ways, one rule:
#
# 1. An element that decides per packet where it goes (filters, checks,
#    rewriters, classifiers, switches) implements ``action``: it returns the
#    output port, or DROP. The base class runs it over each batch, in push
#    and pull context alike (push_actions, pull_actions), and keeps Click's
#    packet order. Most elements need nothing else.
#    An element with one output that turns each packet into another one, or
#    into none (reassemblers, error generators), gives push_converts and
#    pull_converts a conversion instead: it takes the packet over and
#    returns the packet to send on, or NULL.
# 2. An element that makes packets, answers, or sends one packet to several
#    outputs (ARP responders and queriers, bridges, Tee-like elements, tasks)
#    writes its own push_batch or run_task and hands each packet to an
#    Emitter: ``emit(self, &em, port, p)`` ... ``emit_flush(self, &em)``.
#    The Emitter keeps one pending run and pushes it whenever the output
#    changes or it is full, so downstream elements see packets in the order
#    Click's one-at-a-time push would give them.
#
# ``output_push(port, batch)`` underlies both: it hands over a whole batch
# that is already bound for one output.
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
    cdef bint _task_scheduled           # Click task state: in the run queue
    cdef int _tickets                   # Click task tickets (share of the CPU)
    cdef object __weakref__

    # the data path: every compiled element implements some of these
    cdef void push_batch(self, int port, Batch *b) noexcept nogil
    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil
    cdef int action(self, Packet *p) noexcept nogil
    cdef bint run_task(self) noexcept nogil

    # notifiers (clickpy.runtime.notifier): a queue returns its Notifier for
    # the port a puller (empty) or pusher (full) reaches it by; NULL: none
    cdef void *empty_notifier(self, int port) noexcept
    cdef void *full_notifier(self, int port) noexcept

    # helpers elements call
    cdef void output_push(self, int port, Batch *b) noexcept nogil
    cdef void output_push_one(self, int port, Packet *p) noexcept nogil
    cdef uint32_t input_pull(self, int port, Batch *b, uint32_t max) noexcept nogil


ctypedef int (*action_fn)(Element self, Packet *p) noexcept nogil
ctypedef Packet *(*convert_fn)(Element self, Packet *p) noexcept nogil


# -- emitting packets in the order they are produced (rule 2 above) ----------

ctypedef struct Emitter:
    int port                    # output of the pending packets
    Batch b                     # pending packets


cdef inline void emit_init(Emitter *em) noexcept nogil:
    em.port = -1
    em.b.n = 0


cdef inline void emit_flush(Element e, Emitter *em) noexcept nogil:
    """Pushes the pending run, if any."""
    if em.b.n:
        e.output_push(em.port, &em.b)
        em.b.n = 0


cdef inline void emit(Element e, Emitter *em, int port, Packet *p) noexcept nogil:
    """Sends ``p`` out of ``port`` after every packet emitted before it."""
    if em.b.n and (em.port != port or em.b.n == BATCH_MAX):
        emit_flush(e, em)
    em.port = port
    em.b.p[em.b.n] = p
    em.b.n += 1


# -- running an action over a batch (rule 1 above) ------------------------------

cdef inline void batch_act(Element self, Batch *b, action_fn action, Emitter *em) noexcept nogil:
    """Runs ``action`` on each packet of ``b`` for a pull: output 0 stays in
    ``b`` for the puller, other (push) outputs go to ``em`` in order, drops
    are killed."""
    cdef uint32_t i, keep = 0, n = b.n
    cdef int out
    cdef Packet *p
    for i in range(n):
        p = b.p[i]
        out = action(self, p)
        if out == 0:
            b.p[keep] = p
            keep += 1
        elif out > 0 and out < self._noutputs:
            emit(self, em, out, p)
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


cdef inline uint32_t pull_actions(Element self, Batch *b, uint32_t max,
                                  action_fn action) noexcept nogil:
    """pull_batch for an action element (see push_actions)."""
    cdef Emitter em
    if self.input_pull(0, b, max) == 0:
        return 0
    emit_init(&em)
    batch_act(self, b, action, &em)
    emit_flush(self, &em)
    return b.n


# -- converting each packet into another, or none (rule 1 above) ---------------

cdef inline uint32_t batch_convert(Element self, Batch *b, convert_fn convert) noexcept nogil:
    """Replaces each packet of ``b``, in order, by what ``convert`` returns
    for it; NULLs leave no gap. ``convert`` owns the packet it is given."""
    cdef uint32_t i, keep = 0
    cdef Packet *q
    for i in range(b.n):
        q = convert(self, b.p[i])
        if q != NULL:
            b.p[keep] = q
            keep += 1
    b.n = keep
    return keep


cdef inline void push_converts(Element self, Batch *b, convert_fn convert) noexcept nogil:
    """push_batch for a converting element: the packets ``convert`` returns
    leave on output 0. As with push_actions, ``<convert_fn>MyClass.method``
    inlines the conversion into the loop."""
    if batch_convert(self, b, convert):
        self.output_push(0, b)


cdef inline uint32_t pull_converts(Element self, Batch *b, uint32_t max,
                                   convert_fn convert) noexcept nogil:
    """pull_batch for a converting element (see push_converts)."""
    if self.input_pull(0, b, max) == 0:
        return 0
    return batch_convert(self, b, convert)
