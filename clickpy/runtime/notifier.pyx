# notifier.pyx -- Click's notifiers: listeners, and the search for the signal a task waits on
"""Finding the notifiers on a task's paths (Click's Notifier::upstream_empty_signal
and downstream_full_signal).

A puller (Unqueue, ToDevice) looks upstream from its pull input: through
elements that pass pulls on (agnostic, by their flow code) to the elements
that provide an empty notifier (queues). A pusher (InfiniteSource) looks
downstream from its push output to full notifiers. Each notifier found
gets the task as a listener; a path that ends without one makes the
signal "busy" (the task never sleeps on it, as in Click).
"""
from libc.stdint cimport uint32_t
from libc.stdlib cimport free, realloc

from clickpy.runtime.element cimport Element, PortLink

from clickpy.graph.processing import FlowCode


cdef void notifier_init(Notifier *n, bint active) noexcept nogil:
    n.active = active
    n.nlisteners = 0
    n.listeners = NULL


cdef void notifier_free(Notifier *n) noexcept nogil:
    free(n.listeners)
    n.listeners = NULL
    n.nlisteners = 0


cdef int _add_listener(Notifier *n, Element task) except -1:
    cdef uint32_t i
    cdef void **grown
    for i in range(n.nlisteners):
        if n.listeners[i] == <void *>task:
            return 0
    grown = <void **>realloc(n.listeners, (n.nlisteners + 1) * sizeof(void *))
    if grown == NULL:
        raise MemoryError()
    grown[n.nlisteners] = <void *>task
    n.listeners = grown
    n.nlisteners += 1
    return 0


cdef int _add_to_signal(NotifierSignal *sig, Notifier *n, Element task) except -1:
    cdef uint32_t i
    _add_listener(n, task)
    for i in range(sig.n):
        if sig.flags[i] == &n.active:
            return 0
    if sig.n == SIGNAL_MAX:
        sig.busy = True                 # too many to watch: never sleep
        return 0
    sig.flags[sig.n] = &n.active
    sig.n += 1
    return 0


def _flows(router, Element e, bint from_output, int port):
    """The ports on e's other side that packets pass between and ``port``."""
    spec = router.checked.specs[e.eindex]
    code = FlowCode.parse(spec.flow_code if spec is not None else "x/x")
    return code.travels(from_output, port, e._ninputs, e._noutputs)


cdef int _search(Element e, int port, bint upstream, NotifierSignal *sig, Element task,
                 set seen) except -1:
    """Follows one port's connection; adds what it finds to ``sig``."""
    cdef Element other
    cdef int other_port, i
    cdef Notifier *n
    cdef PortLink *link
    if upstream:
        link = &e._inputs[port]
        if link.push or link.element == NULL:
            sig.busy = True             # pushed into: nothing to wait for here
            return 0
    else:
        link = &e._outputs[port]
        if not link.push or link.element == NULL:
            sig.busy = True
            return 0
    other = <Element>link.element
    other_port = link.port
    key = (other.eindex, other_port, upstream)
    if key in seen:
        return 0
    seen.add(key)
    n = <Notifier *>(other.empty_notifier(other_port) if upstream
                     else other.full_notifier(other_port))
    if n != NULL:
        return _add_to_signal(sig, n, task)
    # pass through along the other element's flow, as long as it is pull (push) there
    found = False
    for i, passes in enumerate(_flows(task.router, other, upstream, other_port)):
        if not passes:
            continue
        if upstream and not other._inputs[i].push:
            found = True
            _search(other, i, True, sig, task, seen)
        elif not upstream and other._outputs[i].push:
            found = True
            _search(other, i, False, sig, task, seen)
    if not found:
        sig.busy = True                 # a source or a sink without a notifier
    return 0


cdef int upstream_empty_signal(Element e, int port, NotifierSignal *sig) except -1:
    """The signal e's task waits on before pulling input ``port`` again."""
    sig.busy = False
    sig.n = 0
    return _search(e, port, True, sig, e, set())


cdef int downstream_full_signal(Element e, int port, NotifierSignal *sig) except -1:
    """The signal e's task waits on before pushing out of output ``port`` again."""
    sig.busy = False
    sig.n = 0
    return _search(e, port, False, sig, e, set())
