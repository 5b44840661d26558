# timedsource.pyx -- TimedSource: pushes a copy of one packet every INTERVAL, from a timer
from libc.stdint cimport int64_t, uint32_t
from libc.string cimport memcpy

from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.driver cimport please_stop
from clickpy.runtime.packet cimport DEFAULT_HEADROOM, Packet, pkt_alloc, pool_default
from clickpy.elements.standard.sourcebase cimport PacketSource

from clickpy.lang.values import format_seconds
from clickpy.elements.standard.sourcebase import DEFAULT_DATA
from clickpy.runtime.args import POSITIONAL, Arg, Bool, Data, Int, Timestamp, Unsigned


cdef class TimedSource(PacketSource):
    """
    =c
    TimedSource([INTERVAL, DATA, LIMIT, ACTIVE, STOP, HEADROOM])
    =s basicsources
    periodically generates a packet
    =io
    No inputs, one output.
    =processing
    Push.
    =d
    Pushes a packet holding DATA every INTERVAL, the first one INTERVAL
    after the router starts. Each firing is scheduled INTERVAL after the
    previous one was due, so the period does not drift. Each packet is
    stamped with the time it was made. After LIMIT packets (negative: no
    limit) it sends no more; with STOP true it then stops the router, one
    INTERVAL after the last packet.
    =item INTERVAL
    Time. Time between packets. Default is 500 ms.
    =item DATA
    String. Packet contents. Default is Click's 69 bytes of text.
    =item LIMIT
    Integer. Packets to send; negative means no limit. Default is -1.
    =item ACTIVE
    Boolean. Whether packets are sent. Default is true.
    =item STOP
    Boolean. Stop the router after LIMIT packets. Default is false.
    =item HEADROOM
    Unsigned. Free bytes before the data of each packet. Default is 128.
    =n
    HEADROOM differs from Click's. Packets are made and
    pushed in the timer callback, as in Click.
    =e
      TimedSource(INTERVAL 0.333) -> Print -> Discard;
    =h data read/write
    Same as DATA.
    =h interval read/write
    Same as INTERVAL; writing 0 is an error.
    =h limit read/write
    Same as LIMIT.
    =h active read/write
    Same as ACTIVE. Writing true restarts a stopped timer at once.
    =h count read-only
    Packets sent so far.
    =h headroom read/write
    Same as HEADROOM.
    =h reset write-only
    Sets count to zero and restarts a stopped timer at once.
    =a InfiniteSource, RatedSource
    """
    port_count = "0/1"
    processing = "h/h"
    ARGS = (Arg("INTERVAL", Timestamp, POSITIONAL, default=500000000),
            Arg("DATA", Data, POSITIONAL, default=DEFAULT_DATA),
            Arg("LIMIT", Int, default=-1),
            Arg("ACTIVE", Bool, default=True),
            Arg("STOP", Bool, default=False),
            Arg("HEADROOM", Unsigned, default=DEFAULT_HEADROOM))

    cdef int64_t interval       # INTERVAL, ns
    cdef int64_t limit          # LIMIT; negative: none
    cdef int64_t count          # packets sent
    cdef bint active            # ACTIVE
    cdef bint stop              # STOP
    cdef uint32_t headroom      # HEADROOM
    cdef object timer           # fires once per packet

    def configure(self, args):
        self.interval = args.INTERVAL
        self._set_contents(args.DATA)
        self.limit = args.LIMIT
        self.active = args.ACTIVE
        self.stop = args.STOP
        self.headroom = args.HEADROOM

    def initialize(self):
        self.pool = pool_default()
        self.timer = self.router.driver.new_timer(self._fire)
        if self.active:
            self.timer.schedule_after_ns(self.interval)

    def _fire(self):
        if not self.active:
            return
        if self.limit < 0 or self.count < self.limit:
            self._emit()
            # from when this firing was due, so the period does not drift
            self.timer.schedule_at_ns(self.timer.expiry_ns + self.interval)
        elif self.stop:
            please_stop()

    cdef void _emit(self) noexcept:
        cdef Packet *p = pkt_alloc(self.pool, self.length, self.headroom)
        if p == NULL:
            return                      # pool empty (counted there); next period
        memcpy(p.data, self.data, self.length)
        p.timestamp_ns = now_ns()
        self.count += 1
        self.output_push_one(0, p)

    def add_handlers(self):
        self.add_read_handler("data", lambda: self._contents)
        self.add_write_handler("data", self._write_data)
        self.add_read_handler("interval", lambda: format_seconds(self.interval, ns=True))
        self.add_write_handler("interval", self._write_interval)
        self.add_read_handler("limit", lambda: self.limit)
        self.add_write_handler("limit", self._write_limit)
        self.add_read_handler("active", lambda: self.active)
        self.add_write_handler("active", self._write_active)
        self.add_read_handler("count", lambda: self.count)
        self.add_read_handler("headroom", lambda: self.headroom)
        self.add_write_handler("headroom", self._write_headroom)
        self.add_write_handler("reset", self._reset, button=True)

    def _restart(self):
        if self.active and not self.timer.is_scheduled:
            self.timer.schedule_now()

    def _write_data(self, value):
        self._set_contents(self._data_value(value))

    def _write_interval(self, value):
        interval = Timestamp.parse(value.strip())
        if interval <= 0:
            raise ValueError("bad interval")
        self.interval = interval

    def _write_limit(self, value):
        self.limit = Int.parse(value.strip())

    def _write_active(self, value):
        self.active = Bool.parse(value.strip())
        self._restart()

    def _write_headroom(self, value):
        self.headroom = Unsigned.parse(value.strip())

    def _reset(self, value):
        self.count = 0
        self._restart()
