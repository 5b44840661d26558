# idle.pyx -- Idle: never emits a packet; drops whatever is pushed into it
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.notifier cimport Notifier, notifier_free, notifier_init
from clickpy.runtime.packet cimport Batch, batch_kill


cdef class Idle(Element):
    """
    =c
    Idle
    =s basicsources
    discards packets, emits none
    =io
    Any number of inputs, any number of outputs.
    =processing
    Agnostic on every port.
    =d
    Never pushes a packet out of an output and never pulls one from an
    input. Packets pushed into it are dropped; pulls from it return
    nothing. Connect it to ports that must be connected but should stay
    quiet, to avoid "not connected" errors.
    =n
    Idle's empty notifier is never active: a task pulling from it (an
    Unqueue, a ToDevice) sleeps instead of polling.
    =e
      Idle -> ToDump(empty.pcap);
      c :: Classifier(12/0800, -); c[1] -> Idle;
    =a Discard
    """
    port_count = "-/-"
    processing = "a/a"
    flow_code = "x/y"
    ARGS = ()

    cdef Notifier never         # empty notifier: nothing will ever come

    def __cinit__(self):
        notifier_init(&self.never, False)

    def __dealloc__(self):
        notifier_free(&self.never)

    cdef void *empty_notifier(self, int port) noexcept:
        return &self.never

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        batch_kill(b)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        b.n = 0
        return 0
