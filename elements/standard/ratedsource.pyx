# ratedsource.pyx -- RatedSource: generates copies of one packet at a token-bucket rate
from libc.stdint cimport int64_t, uint32_t, uint64_t

from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.driver cimport please_stop
from clickpy.runtime.packet cimport BATCH_MAX, Batch, Packet, pkt_make, pool_default

from clickpy.runtime.tokenbucket cimport (
    TokenBucket,
    tb_adjust,
    tb_assign,
    tb_init,
    tb_rate,
    tb_refill,
    tb_remove_if,
    tb_set,
    tb_time_until_contains,
)

from clickpy.elements.standard.sourcebase cimport PacketSource
from clickpy.elements.standard.sourcebase import DEFAULT_DATA
from clickpy.runtime.args import DEPRECATED, POSITIONAL, Arg, Bandwidth, Bool, Data, Int, Unsigned


cdef uint32_t burst_for(uint32_t rate) noexcept nogil:
    """Click's bucket capacity for a packet rate: 2, or 10 ms worth above 200/s."""
    return 2 if rate < 200 else rate // 100


cdef class RatedSource(PacketSource):
    """
    =c
    RatedSource([DATA, RATE, LIMIT, ACTIVE, LENGTH, DATASIZE, STOP, BANDWIDTH])
    =s basicsources
    generates packets at a given rate
    =io
    No inputs, one output.
    =processing
    Agnostic. Push: a task sends at most one packet each time it runs.
    Pull: each pull returns the packets the rate allows right now.
    =d
    Creates packets holding DATA and sends them at RATE packets per second,
    at most LIMIT of them (negative: no limit), while ACTIVE. Each packet is
    stamped with the time it was made. The pace comes from a token bucket
    filled at RATE tokens per second that holds 2 tokens (RATE / 100 from
    RATE 200 up); it starts full, so two packets leave at once, then one
    each time a token is there. Between packets the task sleeps on a timer
    set for when the next token is due. With STOP true the router stops
    once LIMIT packets are out.
    =item DATA
    String. Packet contents. Default is Click's 69 bytes of text.
    =item RATE
    Unsigned. Packets per second. Default is 10.
    =item LIMIT
    Integer. Packets to send; negative means no limit. Default is -1.
    =item ACTIVE
    Boolean. Whether packets are sent. Default is true.
    =item LENGTH
    Integer. Packet length: DATA is cut to it, or repeated to fill it.
    Negative means DATA's own length. Default is -1.
    =item DATASIZE
    Integer. Old name of LENGTH (deprecated).
    =item STOP
    Boolean. Stop the router once LIMIT packets are sent. Default is false.
    =item BANDWIDTH
    Bandwidth. When given, RATE becomes BANDWIDTH divided by the packet
    length, and the bucket holds at least two packets' worth of bytes.
    =n
    Time moves in Click's user-level ticks of one
    millisecond and token counts use Click's fixed-point arithmetic, so
    under simulated time packets leave at the instants Click's do: RATE 10
    sends two packets at the start, the third 101 ms later, then one every
    100 ms.
    =e
      RatedSource(\\<0800>, 10, 1000) -> Queue -> ...
    =h count read-only
    Packets sent so far.
    =h reset write-only
    Sets count to zero and the bucket to one token, so LIMIT more packets
    can go.
    =h data read/write
    Same as DATA. Writing replaces the packet by the text as given, without
    applying LENGTH.
    =h length read/write
    Same as LENGTH.
    =h datasize read/write
    Same as length (deprecated).
    =h rate read/write
    The rate the bucket realizes, in packets per second. Writing sets RATE
    and resizes the bucket, keeping its tokens.
    =h limit read/write
    Same as LIMIT; -1 when there is none.
    =h active read/write
    Same as ACTIVE. Writing true while the task sleeps (inactive, or waiting
    for a token) sets the bucket to one token and wakes the task.
    =a InfiniteSource, TimedSource, RatedUnqueue
    """
    port_count = "0/1"
    processing = "a/a"
    ARGS = (Arg("DATA", Data, POSITIONAL, default=DEFAULT_DATA),
            Arg("RATE", Unsigned, POSITIONAL, default=10),
            Arg("LIMIT", Int, POSITIONAL, default=-1),
            Arg("ACTIVE", Bool, POSITIONAL, default=True),
            Arg("LENGTH", Int, default=-1),
            Arg("DATASIZE", Int, DEPRECATED, default=-1),
            Arg("STOP", Bool, default=False),
            Arg("BANDWIDTH", Bandwidth, default=0))

    cdef TokenBucket tb         # one token per packet
    cdef int64_t limit          # LIMIT; negative: none
    cdef uint64_t count         # packets sent
    cdef bint active            # ACTIVE
    cdef bint stop              # STOP
    cdef bint stop_asked        # please_stop() already called for this LIMIT
    cdef object timer           # wakes the push task when a token is due
    cdef object _data           # DATA as configured (bytes)
    cdef object _datasize       # LENGTH (int, negative: DATA's length)

    def __cinit__(self):
        tb_init(&self.tb)

    def configure(self, args):
        datasize = args.LENGTH if "LENGTH" in args else args.DATASIZE
        data = args.DATA
        rate = args.RATE
        bandwidth = args.BANDWIDTH
        if bandwidth > 0:
            plen = len(data) if datasize < 0 else datasize
            if plen == 0:
                raise ValueError("BANDWIDTH: packets of length 0 have no rate")
            rate = bandwidth // plen
        burst = burst_for(rate)
        if bandwidth > 0 and burst < 2 * datasize:
            burst = 2 * datasize
        tb_assign(&self.tb, rate, min(burst, 0xFFFFFFFF))
        self.limit = args.LIMIT
        self.active = args.ACTIVE
        self.stop = args.STOP
        self._data = data
        self._datasize = datasize
        self._set_contents(self._fill(data, datasize))

    @staticmethod
    def _fill(bytes data, datasize):
        """DATA at LENGTH bytes: cut, or repeated (zeros if DATA is empty)."""
        if datasize < 0:
            return data
        if datasize <= len(data):
            return data[:datasize]
        if not data:
            return bytes(datasize)
        return (data * (datasize // len(data) + 1))[:datasize]

    def initialize(self):
        self.count = 0
        self.pool = pool_default()
        tb_set(&self.tb, 1)
        if self.output_is_push(0):
            self.timer = self.router.driver.new_timer(self._wake)
            self.schedule_task()
            if not self.active:
                self.unschedule_task()

    def _wake(self):
        if self.active:
            self.schedule_task()

    cdef bint _at_limit(self) noexcept nogil:
        if self.limit >= 0 and self.count >= <uint64_t>self.limit:
            if self.stop and not self.stop_asked:
                self.stop_asked = True
                please_stop()
            return True
        return False

    cdef Packet *_make(self, int64_t ts) noexcept nogil:
        """One packet, or NULL when the pool is empty (the token goes back)."""
        cdef Packet *p = pkt_make(self.pool, self.data, self.length)
        if p == NULL:
            self.tb.tokens += self.tb.token_scale   # it was just taken: no overflow
            return NULL
        p.timestamp_ns = ts
        self.count += 1
        return p

    cdef bint run_task(self) noexcept nogil:
        cdef Packet *p
        cdef int64_t when
        if not self.active:
            self._task_scheduled = False
            return False
        if self._at_limit():
            self._task_scheduled = False
            return False
        tb_refill(&self.tb)
        if tb_remove_if(&self.tb, 1):
            p = self._make(now_ns())
            if p == NULL:
                return False
            self.output_push_one(0, p)
            return True
        when = now_ns() + <int64_t>tb_time_until_contains(&self.tb, 1) * 1000000
        self._task_scheduled = False
        with gil:
            self.timer.schedule_at_ns(when)
        return False

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        cdef Packet *p
        cdef int64_t ts = now_ns()
        b.n = 0
        if not self.active or self._at_limit():
            return 0
        if max > BATCH_MAX:
            max = BATCH_MAX
        tb_refill(&self.tb)
        while b.n < max and not (self.limit >= 0 and self.count >= <uint64_t>self.limit) \
                and tb_remove_if(&self.tb, 1):
            p = self._make(ts)
            if p == NULL:
                break
            b.p[b.n] = p
            b.n += 1
        return b.n

    # -- handlers ---------------------------------------------------------------
    def add_handlers(self):
        self.add_read_handler("count", lambda: self.count)
        self.add_write_handler("reset", self._reset, button=True)
        self.add_read_handler("data", lambda: self._data)
        self.add_write_handler("data", self._write_data)
        self.add_read_handler("length", lambda: self._datasize)
        self.add_write_handler("length", self._write_length)
        self.add_read_handler("datasize", lambda: self._datasize)
        self.add_write_handler("datasize", self._write_length)
        self.add_read_handler("rate", lambda: tb_rate(&self.tb))
        self.add_write_handler("rate", self._write_rate)
        self.add_read_handler("limit", lambda: self.limit if self.limit >= 0 else -1)
        self.add_write_handler("limit", self._write_limit)
        self.add_read_handler("active", lambda: self.active)
        self.add_write_handler("active", self._write_active)

    def _reschedule(self):
        if self.output_is_push(0) and not self.task_scheduled and self.active:
            self.schedule_task()

    def _reset(self, value):
        self.count = 0
        self.stop_asked = False
        tb_set(&self.tb, 1)
        self._reschedule()

    def _write_data(self, value):
        data = self._data_value(value)
        self._data = data
        self._set_contents(data)

    def _write_length(self, value):
        self._datasize = Int.parse(value.strip())
        self._set_contents(self._fill(self._data, self._datasize))

    def _write_rate(self, value):
        cdef uint32_t rate = Unsigned.parse(value.strip())
        cdef uint32_t old_scale = self.tb.token_scale
        tb_assign(&self.tb, rate, burst_for(rate))
        tb_adjust(&self.tb, old_scale)

    def _write_limit(self, value):
        limit = Int.parse(value.strip())
        self.limit = limit if limit >= 0 else -1
        self.stop_asked = False

    def _write_active(self, value):
        self.active = Bool.parse(value.strip())
        if self.active and self.output_is_push(0) and not self.task_scheduled:
            tb_set(&self.tb, 1)
            self.schedule_task()
