# ratedunqueue.pyx -- RatedUnqueue, BandwidthRatedUnqueue: pull-to-push at a token-bucket rate
from libc.stdint cimport UINT32_MAX, int64_t, uint32_t

from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.element cimport Element
from clickpy.runtime.notifier cimport NotifierSignal, signal_active, upstream_empty_signal
from clickpy.runtime.packet cimport Batch

from clickpy.runtime.tokenbucket cimport (
    TokenBucket,
    tb_assign,
    tb_contains,
    tb_init,
    tb_rate,
    tb_refill,
    tb_remove,
    tb_time_until_contains,
)

from clickpy.lang.values import format_bandwidth
from clickpy.runtime.args import MANDATORY, POSITIONAL, Arg, Bandwidth, Bool, Timestamp, Unsigned

cdef enum:
    DEFAULT_BURST_MS = 20           # bucket capacity: this many milliseconds of RATE
    BANDWIDTH_THRESH = 131072       # bytes BandwidthRatedUnqueue needs before it pulls


cdef class RatedUnqueue(Element):
    """
    =c
    RatedUnqueue(RATE [, BURST_DURATION, BURST_SIZE])
    =s shaping
    pull-to-push converter at a bounded packet rate
    =io
    One input, one output.
    =processing
    Pull input, push output.
    =d
    A task pulls one packet at a time from the input and pushes it out, at
    most RATE packets per second, paced by a token bucket that fills at RATE
    tokens per second, a packet costing one token. The bucket holds
    BURST_SIZE tokens, or BURST_DURATION worth of RATE (20 milliseconds by
    default, at least one token); it starts full, so a first burst passes
    at once. While the bucket is short of a token the task sleeps on a
    timer set for when the token will be there.
    =item RATE
    Unsigned. Packets per second. Mandatory.
    =item BURST_DURATION
    Time. Bucket capacity as a span of RATE, in milliseconds' precision.
    Default is 20 ms. Not together with BURST_SIZE.
    =item BURST_SIZE
    Unsigned. Bucket capacity in packets.
    =n
    Time moves in Click's user-level ticks of one millisecond and token
    counts use Click's fixed-point arithmetic, so under simulated time
    packets leave at the instants Click's do (RATE 10: 101 ms apart, as in
    Click, the rounding of tokens per tick costs the extra millisecond).
    Click's task sleeps while its upstream queue reports itself empty;
    clickpy's keeps running and finds nothing to pull.
    =e
      src :: InfiniteSource -> Queue -> RatedUnqueue(100) -> Discard;
    =h rate read/write
    The rate the bucket realizes, in packets per second. Writing sets RATE,
    keeping the burst settings.
    =h active read/write
    Whether the task pulls. Default is true.
    =h calls read-only
    Task statistics: runs, empty runs, pushes and failed pulls, one a line.
    =a BandwidthRatedUnqueue, Unqueue, Shaper, RatedSplitter
    """
    port_count = "1/1"
    processing = "l/h"
    ARGS = (Arg("RATE", Unsigned, MANDATORY | POSITIONAL),
            Arg("BURST_DURATION", Timestamp),
            Arg("BURST_SIZE", Unsigned))

    cdef TokenBucket tb         # the pacing bucket, one token per packet (byte)
    cdef bint by_bytes          # a token per byte (BandwidthRatedUnqueue)
    cdef bint active            # the active handler
    cdef uint32_t runs          # task runs
    cdef uint32_t pushes        # packets pushed
    cdef uint32_t failed_pulls  # runs that had a token but found no packet
    cdef uint32_t empty_runs    # runs that pushed nothing
    cdef object timer           # wakes the task when a token is due
    cdef NotifierSignal signal  # packets upstream (its queues' empty notifiers)
    cdef object _burst_args     # (BURST_DURATION ns or None, BURST_SIZE or None)

    def __cinit__(self):
        tb_init(&self.tb)
        self.active = True

    def configure(self, args):
        size_name = self.ARGS[2].name
        duration, size = args.BURST_DURATION, getattr(args, size_name)
        if size_name in args and "BURST_DURATION" in args:
            raise ValueError(f"cannot specify both BURST_DURATION and {size_name}")
        self._burst_args = (duration if "BURST_DURATION" in args else None,
                            size if size_name in args else None)
        self._set_rate(args.RATE)

    def _set_rate(self, uint32_t rate):
        """Click's configure_helper: capacity from the burst settings, then assign."""
        duration_ns, size = self._burst_args
        if size is None:
            # BURST_DURATION is read in whole milliseconds
            msec = DEFAULT_BURST_MS if duration_ns is None else (duration_ns + 500000) // 1000000
            size = min(rate * min(msec, UINT32_MAX) // 1000, UINT32_MAX)
        if self.by_bytes:
            size = min(size + BANDWIDTH_THRESH, UINT32_MAX)
        tb_assign(&self.tb, rate, size if size else 1)

    def initialize(self):
        self.timer = self.router.driver.new_timer(self._wake)
        upstream_empty_signal(self, 0, &self.signal)
        self.schedule_task()

    def _wake(self):
        if self.active:
            self.schedule_task()

    cdef void _sleep_until_tokens(self, uint32_t tokens) noexcept nogil:
        """Puts the task to sleep until the bucket will hold ``tokens``."""
        cdef int64_t when = now_ns() + <int64_t>tb_time_until_contains(&self.tb, tokens) * 1000000
        self._task_scheduled = False
        self.empty_runs += 1
        with gil:
            self.timer.schedule_at_ns(when)

    cdef bint run_task(self) noexcept nogil:
        cdef Batch b
        cdef uint32_t need = BANDWIDTH_THRESH if self.by_bytes else 1   # tokens before a pull
        self.runs += 1
        if not self.active:
            self._task_scheduled = False
            return False
        tb_refill(&self.tb)
        if not tb_contains(&self.tb, need):
            self._sleep_until_tokens(need)
            return False
        if self.input_pull(0, &b, 1) == 0:
            self.failed_pulls += 1
            self.empty_runs += 1
            if not signal_active(&self.signal):
                self._task_scheduled = False        # the queue's notifier wakes it
            return False
        tb_remove(&self.tb, b.p[0].length if self.by_bytes else 1)
        self.pushes += 1
        self.output_push(0, &b)
        return True

    def add_handlers(self):
        self.add_read_handler("rate", self._read_rate)
        self.add_write_handler("rate", self._write_rate)
        self.add_read_handler("active", lambda: self.active)
        self.add_write_handler("active", self._write_active)
        self.add_read_handler("calls", lambda: [
            f"{self.runs} calls to run_task()", f"{self.empty_runs} empty runs",
            f"{self.pushes} pushes", f"{self.failed_pulls} failed pulls"])

    def _read_rate(self):
        return tb_rate(&self.tb)

    def _write_rate(self, value):
        self._set_rate(self.ARGS[0].type.parse(value.strip()))

    def _write_active(self, value):
        self.active = Bool.parse(value.strip())
        self._wake()


cdef class BandwidthRatedUnqueue(RatedUnqueue):
    """
    =c
    BandwidthRatedUnqueue(RATE [, BURST_DURATION, BURST_BYTES])
    =s shaping
    pull-to-push converter at a bounded byte rate
    =io
    One input, one output.
    =processing
    Pull input, push output.
    =d
    A task pulls one packet at a time from the input and pushes it out, at
    most RATE bytes per second, paced by a token bucket that fills at RATE
    tokens per second, a packet costing one token per byte. The bucket holds
    BURST_BYTES, or BURST_DURATION worth of RATE (20 milliseconds by
    default), plus 131072 bytes; a packet is pulled only while the bucket
    holds at least 131072, and a packet larger than what is left empties it.
    The bucket starts full. While it holds too little the task sleeps on a
    timer set for when enough will be there.
    =item RATE
    Bandwidth. Bytes per second (Click's units: 10Mbps, 2MBps...). Mandatory.
    =item BURST_DURATION
    Time. Bucket capacity as a span of RATE, in milliseconds' precision.
    Default is 20 ms. Not together with BURST_BYTES.
    =item BURST_BYTES
    Unsigned. Bucket capacity in bytes.
    =n
    Time moves in Click's user-level ticks of one millisecond and token
    counts use Click's fixed-point arithmetic, so under simulated time
    packets leave at the instants Click's do.
    =e
      FromDump(in.pcap) -> Queue -> BandwidthRatedUnqueue(1Mbps) -> Discard;
    =h rate read/write
    The rate the bucket realizes, as a bandwidth. Writing sets RATE,
    keeping the burst settings.
    =h active read/write
    Whether the task pulls. Default is true.
    =h calls read-only
    Task statistics: runs, empty runs, pushes and failed pulls, one a line.
    =a RatedUnqueue, Unqueue, BandwidthShaper, BandwidthRatedSplitter
    """
    port_count = "1/1"
    processing = "l/h"
    ARGS = (Arg("RATE", Bandwidth, MANDATORY | POSITIONAL),
            Arg("BURST_DURATION", Timestamp),
            Arg("BURST_BYTES", Unsigned))

    def __cinit__(self):
        self.by_bytes = True

    def _read_rate(self):
        return format_bandwidth(tb_rate(&self.tb))
