# counter.pyx -- Counter: counts packets and bytes passing through
from libc.stdint cimport int64_t

from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.packet cimport Batch
from clickpy.elements.standard.counterbase cimport CounterBase


cdef class Counter(CounterBase):
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

    cdef int64_t first_ns       # arrival of the first packet (router time), 0: none
    cdef int64_t last_ns        # arrival of the latest batch

    cdef void _count(self, Batch *b) noexcept nogil:
        self._add(b)
        self.last_ns = now_ns()
        if self.first_ns == 0:
            self.first_ns = self.last_ns

    def _rate(self, double scale, bint of_bytes):
        if self.n_packets < 2 or self.last_ns <= self.first_ns:
            return 0
        n = (self.n_bytes if of_bytes else self.n_packets - 1)
        return round(n * scale / ((self.last_ns - self.first_ns) / 1e9))

    def add_handlers(self):
        CounterBase.add_handlers(self)          # count, byte_count
        self.add_read_handler("rate", lambda: self._rate(1, False))
        self.add_read_handler("byte_rate", lambda: self._rate(1, True))
        self.add_read_handler("bit_rate", lambda: self._rate(8, True))
        self.add_write_handler("reset", self._reset, button=True)
        self.add_write_handler("reset_counts", self._reset, button=True)

    def _reset(self, value):
        self.n_packets = self.n_bytes = 0
        self.first_ns = self.last_ns = 0
