# infinitesource.pyx -- InfiniteSource: generates copies of one packet, pushed or pulled
from libc.stdint cimport int64_t, uint32_t, uint64_t
from libc.string cimport memcpy

from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.driver cimport please_stop
from clickpy.runtime.notifier cimport NotifierSignal, downstream_full_signal, signal_active
from clickpy.runtime.packet cimport BATCH_MAX, Batch, Packet, pkt_alloc, pool_default
from clickpy.elements.standard.sourcebase cimport PacketSource
from clickpy.elements.standard.sourcebase import DEFAULT_DATA
from clickpy.runtime.args import POSITIONAL, Arg, Bool, Data, Int, Unsigned


cdef class InfiniteSource(PacketSource):
    """
    =c
    InfiniteSource([DATA, LIMIT, BURST, ACTIVE, LENGTH, STOP, TIMESTAMP])
    =s basicsources
    generates packets whenever scheduled
    =io
    No inputs, one output.
    =processing
    Agnostic. Push: a task emits BURST packets each run, and sleeps while
    every queue downstream is full (their full notifiers wake it). Pull:
    each pull returns packets while the limit allows.
    =d
    Creates packets holding DATA (padded with zeros or cut to LENGTH when
    LENGTH is given). Stops after LIMIT packets (negative: never); with STOP
    true, then asks the router to stop.
    =item DATA
    String. Packet contents. Default is Click's 69 bytes of text.
    =item LIMIT
    Integer. Packets to send; negative means no limit. Default is -1.
    =item BURST
    Unsigned. Packets per task run. Default is 1.
    =item ACTIVE
    Boolean. Whether packets are generated. Default is true.
    =item LENGTH
    Unsigned. Packet length, overriding DATA's length.
    =item STOP
    Boolean. Stop the router when LIMIT is reached. Default is false.
    =item TIMESTAMP
    Boolean. Set each packet's timestamp annotation. Default is true.
    =n
    Packets of one task run go downstream as batches of up to 64.
    =e
      InfiniteSource(\\<0800>, 5, STOP true) -> Counter -> Discard;
    =h count read-only
    Packets generated so far.
    =h reset write-only
    Resets the count and reactivates the source.
    =h limit read/write
    Same as LIMIT.
    =h burst read/write
    Same as BURST.
    =h active read/write
    Same as ACTIVE.
    =h data read/write
    Same as DATA.
    =a RatedSource, TimedSource
    """
    port_count = "0/1"
    processing = "a/a"
    ARGS = (Arg("DATA", Data, POSITIONAL, default=DEFAULT_DATA),
            Arg("LIMIT", Int, POSITIONAL, default=-1),
            Arg("BURST", Unsigned, POSITIONAL, default=1),
            Arg("ACTIVE", Bool, POSITIONAL, default=True),
            Arg("LENGTH", Unsigned, default=None),
            Arg("STOP", Bool, default=False),
            Arg("TIMESTAMP", Bool, default=True))

    cdef int64_t limit          # LIMIT; negative: no limit
    cdef uint32_t burst         # BURST
    cdef bint active            # ACTIVE
    cdef bint stop              # STOP
    cdef bint timestamp         # TIMESTAMP
    cdef uint64_t n_sent        # packets generated
    cdef NotifierSignal nonfull  # room downstream (its queues' full notifiers)

    def configure(self, args):
        data, length = args.DATA, args.LENGTH
        if length is not None:
            data = (data + bytes(length))[:length] if len(data) < length else data[:length]
        self._set_contents(data)
        self.limit = args.LIMIT
        self.burst = max(1, args.BURST)
        self.active = args.ACTIVE
        self.stop = args.STOP
        self.timestamp = args.TIMESTAMP

    def initialize(self):
        self.pool = pool_default()
        if self.output_is_push(0):
            downstream_full_signal(self, 0, &self.nonfull)
            self.schedule_task()

    cdef uint32_t _fill(self, Batch *b, uint32_t want) noexcept nogil:
        """Makes up to ``want`` packets into ``b``; respects LIMIT."""
        cdef uint32_t _
        cdef Packet *p
        cdef int64_t ts = now_ns() if self.timestamp else 0
        if self.limit >= 0 and self.n_sent + want > <uint64_t>self.limit:
            want = <uint32_t>(<uint64_t>self.limit - self.n_sent)
        b.n = 0
        for _ in range(want):
            p = pkt_alloc(self.pool, self.length)
            if p == NULL:
                break                   # pool empty: counted there, try next run
            memcpy(p.data, self.data, self.length)
            p.timestamp_ns = ts
            b.p[b.n] = p
            b.n += 1
        self.n_sent += b.n
        return b.n

    cdef bint _at_limit(self) noexcept nogil:
        return self.limit >= 0 and self.n_sent >= <uint64_t>self.limit

    cdef bint run_task(self) noexcept nogil:
        cdef Batch b
        cdef uint32_t left, n
        if not self.active:
            return False
        if self._at_limit():
            if self.stop:
                please_stop()
                self.stop = False       # ask once
            self._task_scheduled = False
            return False
        if not signal_active(&self.nonfull):
            self._task_scheduled = False    # a queue's full notifier wakes it
            return False
        left = self.burst
        while left:
            n = self._fill(&b, left if left < BATCH_MAX else BATCH_MAX)
            if n == 0:
                break                   # pool exhausted: no work this run
            left -= n
            self.output_push(0, &b)
        return left < self.burst

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        if not self.active or self._at_limit():
            if self.active and self.stop and self._at_limit():
                please_stop()
                self.stop = False
            b.n = 0
            return 0
        return self._fill(b, max)

    def add_handlers(self):
        self.add_read_handler("count", lambda: self.n_sent)
        self.add_write_handler("reset", self._reset, button=True)
        self.add_read_handler("limit", lambda: self.limit)
        self.add_write_handler("limit", self._write_limit)
        self.add_read_handler("burst", lambda: self.burst)
        self.add_write_handler("burst", self._write_burst)
        self.add_read_handler("active", lambda: self.active)
        self.add_write_handler("active", self._write_active)
        self.add_read_handler("data", lambda: self._contents)
        self.add_write_handler("data", lambda v: self._set_contents(Data.parse(v.strip())))

    def _reset(self, value):
        self.n_sent = 0
        self._reschedule()

    def _reschedule(self):
        if self.output_is_push(0) and self.active:
            self.schedule_task()

    def _write_limit(self, value):
        self.limit = Int.parse(value.strip())
        self._reschedule()

    def _write_burst(self, value):
        self.burst = max(1, Unsigned.parse(value.strip()))

    def _write_active(self, value):
        self.active = Bool.parse(value.strip())
        self._reschedule()
