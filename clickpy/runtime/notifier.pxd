# notifier.pxd -- Click's notifiers: a queue's signal that it has packets (or room), waking tasks
#
# A Notifier belongs to the element that knows (a queue): ``active`` says
# "packets to pull" (an empty notifier) or "room to push" (a full notifier).
# The tasks that depend on it (an Unqueue downstream, a source upstream)
# are its listeners: when it turns active, they are put back in the run
# queue. A NotifierSignal is what a listener looks at: the flags of every
# notifier on its paths, or "busy" when some path has none (then it never
# sleeps on this signal). Found once, at initialization, by
# notifier.upstream_empty_signal / downstream_full_signal.
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport Element

cdef enum:
    SIGNAL_MAX = 8              # notifiers one signal combines (more: busy)

ctypedef struct Notifier:
    bint active                 # packets to pull / room to push
    uint32_t nlisteners
    void **listeners            # Elements whose tasks it wakes (borrowed; the router owns them)

ctypedef struct NotifierSignal:
    bint busy                   # a path without a notifier: always worth a try
    uint32_t n
    bint *flags[SIGNAL_MAX]     # the notifiers' ``active`` fields


cdef inline bint signal_active(const NotifierSignal *s) noexcept nogil:
    """Whether a task waiting on ``s`` may find work."""
    cdef uint32_t i
    if s.busy:
        return True
    for i in range(s.n):
        if s.flags[i][0]:
            return True
    return False


cdef inline void notifier_wake(Notifier *n) noexcept nogil:
    """The notifier turns active: every listener's task runs again."""
    cdef uint32_t i
    if n.active:
        return
    n.active = True
    for i in range(n.nlisteners):
        (<Element>n.listeners[i])._task_scheduled = True


cdef inline void notifier_sleep(Notifier *n) noexcept nogil:
    n.active = False


cdef void notifier_init(Notifier *n, bint active) noexcept nogil
cdef void notifier_free(Notifier *n) noexcept nogil
cdef int upstream_empty_signal(Element e, int port, NotifierSignal *sig) except -1
cdef int downstream_full_signal(Element e, int port, NotifierSignal *sig) except -1
