# unqueue.pyx -- Unqueue: a task pulls packets from its input and pushes them out
import sys

from libc.stdint cimport int64_t, uint32_t, uint64_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.notifier cimport NotifierSignal, signal_active, upstream_empty_signal
from clickpy.runtime.packet cimport BATCH_MAX, Batch
from clickpy.runtime.args import POSITIONAL, Arg, Bool, Int

cdef int64_t BURST_UNLIMITED = 0x7FFFFFFF      # what a negative BURST becomes


cdef class Unqueue(Element):
    """
    =c
    Unqueue([BURST, ACTIVE, LIMIT])
    =s shaping
    pull-to-push converter
    =io
    One input, one output.
    =processing
    Pull input, push output.
    =d
    A task pulls packets from the input whenever they are available and
    pushes them out, up to BURST packets each time it runs. A negative BURST
    means no per-run bound. The task stops for good once LIMIT packets have
    passed (until a handler raises or resets the limit).
    =item BURST
    Integer. Packets pulled per task run; negative means as many as come.
    Default is 1.
    =item ACTIVE
    Boolean. Whether the task pulls at all. Default is true.
    =item LIMIT
    Integer. Packets to pass in total; negative means no limit. Default
    is -1.
    =n
    Pulls upstream in batches of up to 64 packets, pushing each batch on as
    one. Click's task sleeps while its upstream queue reports itself empty;
    clickpy's keeps running and finds nothing to pull.
    =e
      InfiniteSource(LIMIT 100) -> Queue -> Unqueue(BURST 8) -> Counter -> Discard;
    =h count read-only
    Packets passed so far.
    =h reset write-only
    Sets count to zero, so LIMIT more packets may pass.
    =h reset_counts write-only
    Same as reset.
    =h active read/write
    Same as ACTIVE.
    =h burst read/write
    Same as BURST (a negative value reads back as 2147483647).
    =h limit read/write
    Same as LIMIT.
    =a RatedUnqueue, BandwidthRatedUnqueue, Queue
    """
    port_count = "1/1"
    processing = "l/h"
    ARGS = (Arg("BURST", Int, POSITIONAL, default=1),
            Arg("ACTIVE", Bool, default=True),
            Arg("LIMIT", Int, default=-1))

    cdef int64_t burst          # BURST; BURST_UNLIMITED after a negative value
    cdef bint active            # ACTIVE
    cdef int64_t limit          # LIMIT; negative: none
    cdef uint64_t count         # packets passed
    cdef NotifierSignal signal  # packets upstream (its queues' empty notifiers)

    def configure(self, args):
        self.burst = args.BURST
        self.active = args.ACTIVE
        self.limit = args.LIMIT

    def initialize(self):
        self.count = 0
        if self.burst < 0:
            self.burst = BURST_UNLIMITED
        elif self.burst == 0:
            print(f"{self.landmark}: '{self.name} :: {self.class_name}': warning: "
                  "BURST size 0, no packets will be pulled", file=sys.stderr)
        upstream_empty_signal(self, 0, &self.signal)
        self.schedule_task()
        if not self.active:
            self.unschedule_task()      # the task exists, but sleeps

    cdef bint run_task(self) noexcept nogil:
        cdef Batch b
        cdef int64_t want = self.burst, worked = 0
        cdef uint32_t n, ask
        if not self.active:
            self._task_scheduled = False
            return False
        if self.limit >= 0 and <int64_t>self.count + want >= self.limit:
            want = self.limit - <int64_t>self.count
            if want <= 0:
                self._task_scheduled = False    # a handler wakes it
                return False
        while worked < want:
            ask = <uint32_t>(want - worked) if want - worked < BATCH_MAX else BATCH_MAX
            n = self.input_pull(0, &b, ask)
            if n == 0:
                if not signal_active(&self.signal):
                    self._task_scheduled = False    # the queue's notifier wakes it
                break
            worked += n
            self.count += n
            self.output_push(0, &b)
        return worked > 0

    def add_handlers(self):
        self.add_read_handler("count", lambda: self.count)
        self.add_write_handler("reset", self._reset, button=True)
        self.add_write_handler("reset_counts", self._reset, button=True)
        self.add_read_handler("active", lambda: self.active)
        self.add_write_handler("active", self._write_active)
        self.add_read_handler("burst", lambda: self.burst)
        self.add_write_handler("burst", self._write_burst)
        self.add_read_handler("limit", lambda: self.limit)
        self.add_write_handler("limit", self._write_limit)

    def _wake(self):
        """Click reschedules the task after any write, if there is work left."""
        if self.active and (self.limit < 0 or <int64_t>self.count < self.limit):
            self.schedule_task()

    def _reset(self, value):
        self.count = 0
        self._wake()

    def _write_active(self, value):
        self.active = Bool.parse(value.strip())
        self._wake()

    def _write_burst(self, value):
        burst = Int.parse(value.strip())
        self.burst = BURST_UNLIMITED if burst < 0 else burst
        self._wake()

    def _write_limit(self, value):
        self.limit = Int.parse(value.strip())
        self._wake()
