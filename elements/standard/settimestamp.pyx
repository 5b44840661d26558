# settimestamp.pyx -- SetTimestamp: stores the current or a fixed time in the timestamp annotation
from libc.stdint cimport int64_t, uint32_t
from libc.string cimport memcpy

from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.element cimport action_fn, Element, pull_actions, push_actions
from clickpy.runtime.packet cimport ANNO_FIRST_TIMESTAMP, Batch, Packet
from clickpy.runtime.args import POSITIONAL, Bool, Timestamp, Arg


cdef class SetTimestamp(Element):
    """
    =c
    SetTimestamp([TIMESTAMP, FIRST, DELTA])
    =s timestamps
    store the time in the packet's timestamp annotation
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Sets each packet's timestamp annotation to TIMESTAMP, or, without
    TIMESTAMP, to the time the packet reached SetTimestamp. With FIRST
    true, sets the "first timestamp" annotation instead.
    =item TIMESTAMP
    Timestamp. Seconds since 1970, as "SEC.FRAC". Default is the current
    time for each packet.
    =item FIRST
    Boolean. Set the first timestamp annotation, not the timestamp
    annotation. Default is false.
    =item DELTA
    Boolean. No longer supported: true is an error pointing to
    SetTimestampDelta. Default is false.
    =n
    The first timestamp annotation holds nanoseconds since 1970 as a 64-bit
    host-order integer at offset 32. Under --simtime the current time is
    the simulated clock.
    =e
      FromDevice(eth0) -> SetTimestamp -> ...
    =a SetTimestampDelta, AdjustTimestamp, Print
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("TIMESTAMP", Timestamp, POSITIONAL, default=None),
            Arg("FIRST", Bool, default=False),
            Arg("DELTA", Bool, default=False))

    cdef bint use_now           # no TIMESTAMP: stamp the arrival time
    cdef bint first             # FIRST: write the first timestamp annotation
    cdef int64_t ts_ns          # TIMESTAMP, ns since the epoch

    def configure(self, args):
        if args.DELTA:
            raise ValueError("SetTimestamp(DELTA) is deprecated, use SetTimestampDelta(TYPE FIRST)")
        self.use_now = args.TIMESTAMP is None
        self.ts_ns = 0 if self.use_now else args.TIMESTAMP
        self.first = args.FIRST

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>SetTimestamp.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>SetTimestamp.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef int64_t t = now_ns() if self.use_now else self.ts_ns
        if self.first:
            memcpy(&p.anno[ANNO_FIRST_TIMESTAMP], &t, 8)
        else:
            p.timestamp_ns = t
        return 0
