# idle.pyx -- Idle: never emits a packet; drops whatever is pushed into it
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport Element
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
    Click's Idle also tells downstream elements, through its empty notifier,
    that it will never produce packets; clickpy has no notifiers yet.
    =e
      Idle -> ToDump(empty.pcap);
      c :: Classifier(12/0800, -); c[1] -> Idle;
    =a Discard
    """
    port_count = "-/-"
    processing = "a/a"
    flow_code = "x/y"
    ARGS = ()

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        batch_kill(b)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        b.n = 0
        return 0
