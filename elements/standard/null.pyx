# null.pyx -- Null: passes packets on unchanged
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport Batch


cdef class Null(Element):
    """
    =c
    Null
    =s basictransfer
    passes packets unchanged
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Hands every packet to its output as it arrived, in push and in pull
    context alike.
    =e
      FromDump(in.pcap) -> Null -> Discard;
    =a Idle, Tee
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = ()

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        self.output_push(0, b)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return self.input_pull(0, b, max)
