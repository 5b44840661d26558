# counterbase.pyx -- CounterBase: what Counter and AverageCounter share
from libc.stdint cimport uint32_t


cdef class CounterBase(Element):
    """A pass-through element that hands every batch, pushed or pulled, to
    ``_count`` before passing it on, and the count and byte_count handlers.
    A subclass's ``_count`` decides what counts (``_add``) and keeps its
    times; its add_handlers adds its own handlers after these."""

    cdef void _count(self, Batch *b) noexcept nogil:
        self._add(b)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        if b.n:
            self._count(b)
        self.output_push(0, b)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        if self.input_pull(0, b, max):
            self._count(b)
        return b.n

    def add_handlers(self):
        self.add_read_handler("count", lambda: self.n_packets)
        self.add_read_handler("byte_count", lambda: self.n_bytes)
