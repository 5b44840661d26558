# averagecounter.pyx -- AverageCounter: counts packets and bytes, averages their rate
from libc.stdint cimport int64_t

from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.packet cimport Batch
from clickpy.elements.standard.counterbase cimport CounterBase
from clickpy.runtime.args import POSITIONAL, Unsigned, Arg

cdef enum:
    HZ = 1000                   # Click's user-level jiffies per second (CLICK_HZ)


cdef class AverageCounter(CounterBase):
    """
    =c
    AverageCounter([IGNORE])
    =s counters
    measures historical packet count and rate
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Passes packets through unchanged, counting them and their bytes. The
    rates are plain averages over the time from the first packet to the
    latest one, measured in milliseconds (Click's jiffies). Packets that
    arrive within IGNORE seconds of the first are not counted, and that
    time is left out of the rates.
    =item IGNORE
    Unsigned. Seconds at the start not counted. Default is 0.
    =n
    Counts are 64-bit (Click's are 32-bit and wrap). Times come in batches:
    all packets of a batch share one arrival time.
    =e
      ... -> ac :: AverageCounter -> Discard;
    =h count read-only
    Packets counted since the last reset.
    =h byte_count read-only
    Bytes counted since the last reset.
    =h rate read-only
    Packets per second, a real number.
    =h byte_rate read-only
    Bytes per second, a real number.
    =h reset write-only
    Resets counts and rates to zero.
    =a Counter
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("IGNORE", Unsigned, POSITIONAL, default=0),)

    cdef int64_t first          # jiffy of the first packet since reset; 0: none yet
    cdef int64_t last           # jiffy of the latest packet
    cdef int64_t ignore         # IGNORE, in jiffies

    def configure(self, args):
        self.ignore = <int64_t>args.IGNORE * HZ

    def initialize(self):
        self._reset("")

    cdef void _count(self, Batch *b) noexcept nogil:
        cdef int64_t j = now_ns() // (1000000000 // HZ)
        if self.first == 0:
            self.first = j
        if j - self.first >= self.ignore:
            self._add(b)
        self.last = j

    def _rate(self, bint of_bytes):
        d = self.last - self.first - self.ignore
        if d < 1:
            d = 1
        n = self.n_bytes if of_bytes else self.n_packets
        return f"{n * HZ / d:.12g}"

    def add_handlers(self):
        CounterBase.add_handlers(self)          # count, byte_count
        self.add_read_handler("rate", lambda: self._rate(False))
        self.add_read_handler("byte_rate", lambda: self._rate(True))
        self.add_write_handler("reset", self._reset, button=True)

    def _reset(self, value):
        self.n_packets = self.n_bytes = 0
        self.first = self.last = 0
