# counter.pyx -- Counter: counts packets and bytes passing through
from libc.stdint cimport int64_t, uint32_t, uint64_t

from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport Batch


cdef class Counter(Element):
    """
    =c
    Counter()
    =s counters
    counts packets and bytes
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Passes packets through unchanged, counting them and their bytes. The
    rate handlers give the average rate between the first and the latest
    packet since the last reset.
    =n
    Click's rates are exponentially weighted moving averages; clickpy's are
    plain averages over the counted interval. COUNT_CALL and BYTE_COUNT_CALL
    are not supported.
    =e
      FromDump(in.pcap) -> c :: Counter -> Discard;
    =h count read-only
    Number of packets counted.
    =h byte_count read-only
    Number of bytes counted.
    =h rate read-only
    Packets per second.
    =h bit_rate read-only
    Bits per second.
    =h byte_rate read-only
    Bytes per second.
    =h reset write-only
    Resets counts and rates to zero.
    =h reset_counts write-only
    Same as reset.
    =a AverageCounter, Meter
    """
    port_count = "1/1"
    processing = "a/a"

    cdef uint64_t n_packets     # packets counted since reset
    cdef uint64_t n_bytes       # bytes counted since reset
    cdef int64_t first_ns       # arrival of the first packet (router time), 0: none
    cdef int64_t last_ns        # arrival of the latest batch

    cdef inline void _count(self, Batch *b) noexcept nogil:
        cdef uint32_t i
        cdef uint64_t nbytes = 0
        for i in range(b.n):
            nbytes += b.p[i].length
        self.n_packets += b.n
        self.n_bytes += nbytes
        self.last_ns = now_ns()
        if self.first_ns == 0:
            self.first_ns = self.last_ns

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        if b.n:
            self._count(b)
        self.output_push(0, b)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        if self.input_pull(0, b, max):
            self._count(b)
        return b.n

    def _rate(self, double scale, bint of_bytes):
        if self.n_packets < 2 or self.last_ns <= self.first_ns:
            return 0
        n = (self.n_bytes if of_bytes else self.n_packets - 1)
        return round(n * scale / ((self.last_ns - self.first_ns) / 1e9))

    def add_handlers(self):
        self.add_read_handler("count", lambda: self.n_packets)
        self.add_read_handler("byte_count", lambda: self.n_bytes)
        self.add_read_handler("rate", lambda: self._rate(1, False))
        self.add_read_handler("byte_rate", lambda: self._rate(1, True))
        self.add_read_handler("bit_rate", lambda: self._rate(8, True))
        self.add_write_handler("reset", self._reset, button=True)
        self.add_write_handler("reset_counts", self._reset, button=True)

    def _reset(self, value):
        self.n_packets = self.n_bytes = 0
        self.first_ns = self.last_ns = 0
