# discard.pyx -- Discard: drops every packet, pulling them when its input is pull
from libc.stdint cimport uint32_t, uint64_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport BATCH_MAX, Batch, pkt_kill
from clickpy.runtime.args import Arg, Bool, Unsigned


cdef class Discard(Element):
    """
    =c
    Discard([ACTIVE, BURST])
    =s basicsources
    drops all packets
    =io
    One input, no outputs.
    =processing
    Agnostic. When its input is pull, a task pulls packets and drops them.
    =d
    Discards every packet that arrives. In pull context, pulls up to BURST
    packets each time its task runs (while ACTIVE).
    =item ACTIVE
    Boolean. Whether the task pulls. Default is true.
    =item BURST
    Unsigned. Packets pulled per task run. Default is 1.
    =n
    Pulls in batches of up to BURST packets (Click pulls one at a time).
    =e
      InfiniteSource -> Queue -> Discard;
    =h count read-only
    Number of packets discarded.
    =h reset_counts write-only
    Resets the count to zero.
    =h active read/write
    Same as ACTIVE.
    =a Idle
    """
    port_count = "1/0"
    processing = "a/a"
    flow_code = "x/x"
    ARGS = (Arg("ACTIVE", Bool, default=True), Arg("BURST", Unsigned, default=1))

    cdef uint64_t n_count       # packets discarded
    cdef bint active            # ACTIVE: the pull task runs
    cdef uint32_t burst         # BURST: packets pulled per task run

    def configure(self, args):
        self.active = args.ACTIVE
        self.burst = max(1, min(args.BURST, BATCH_MAX))

    def initialize(self):
        if self.ninputs and not self.input_is_push(0):
            self.schedule_task()

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        cdef uint32_t i
        for i in range(b.n):
            pkt_kill(b.p[i])
        self.n_count += b.n
        b.n = 0

    cdef bint run_task(self) noexcept nogil:
        cdef Batch b
        if not self.active:
            return False
        if self.input_pull(0, &b, self.burst) == 0:
            return False
        self.push_batch(0, &b)
        return True

    def add_handlers(self):
        self.add_read_handler("count", lambda: self.n_count)
        self.add_write_handler("reset_counts", self._reset, button=True)
        self.add_read_handler("active", lambda: self.active)
        self.add_write_handler("active", self._set_active)

    def _reset(self, value):
        self.n_count = 0

    def _set_active(self, value):
        self.active = Bool.parse(value.strip())
