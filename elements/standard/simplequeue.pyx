# simplequeue.pyx -- SimpleQueue, Queue, ThreadSafeQueue, FrontDropQueue: FIFO packet storage
import sys

from libc.stdint cimport uint32_t, uint64_t
from libc.stdlib cimport free, malloc

from clickpy.runtime.element cimport Element
from clickpy.runtime.notifier cimport (
    Notifier,
    notifier_free,
    notifier_init,
    notifier_sleep,
    notifier_wake,
)
from clickpy.runtime.packet cimport BATCH_MAX, Batch, Packet, pkt_kill
from clickpy.runtime.args import POSITIONAL, Arg, Unsigned


cdef class SimpleQueue(Element):
    """
    =c
    SimpleQueue([CAPACITY])
    =s storage
    stores packets in a FIFO queue
    =io
    One input. Output 0: queued packets, pulled. Output 1 (optional): packets
    the queue could not hold, pushed.
    =processing
    Push input, pull output 0, push output 1.
    =d
    Keeps the packets pushed into it in arrival order until output 0 pulls
    them. When CAPACITY packets are already waiting, an arriving packet is
    counted in drops and leaves on output 1, or is freed when output 1 is
    not connected.
    =item CAPACITY
    Unsigned. Most packets held at once. Default is 1000.
    =n
    Click's SimpleQueue sends no empty or full notifications, and neither
    does clickpy's. Packets are pushed and pulled in batches of up to 64;
    overflowing packets of one batch leave on output 1 together, after the
    others were queued.
    The first refusal prints "NAME :: CLASS: overflow" on standard error, as
    Click does. Packets still queued when the router stops are freed only
    when the router is discarded, so length reads as in Click after a run.
    =e
      FromDump(in.pcap) -> SimpleQueue(64) -> ToDevice(eth0);
    =h length read-only
    Packets in the queue now.
    =h highwater_length read-only
    Most packets the queue has held at once since the last reset_counts.
    =h capacity read/write
    Same as CAPACITY. When lowered below the current length, the packets at
    the back that no longer fit are freed (not counted as drops).
    =h drops read-only
    Packets refused because the queue was full.
    =h reset_counts write-only
    Sets drops to zero and highwater_length to the current length.
    =h reset write-only
    Empties the queue; its packets leave on output 1 (freed when output 1
    is not connected).
    =a Queue, FrontDropQueue, ThreadSafeQueue, Unqueue
    """
    port_count = "1/1-2"
    processing = "h/lh"
    ARGS = (Arg("CAPACITY", Unsigned, POSITIONAL, default=1000),)

    cdef Packet **ring          # CAPACITY + 1 slots; one stays free to tell full from empty
    cdef uint32_t capacity      # CAPACITY
    cdef uint32_t head          # slot of the oldest packet
    cdef uint32_t tail          # slot the next packet goes to
    cdef uint32_t highwater     # largest length seen since reset_counts
    cdef uint64_t drops         # packets refused (or pushed out, FrontDropQueue)
    cdef Notifier empty_note    # active while packets wait: wakes the pullers' tasks
    cdef Notifier full_note     # active while there is room: wakes the pushers' tasks

    def __cinit__(self):
        self.ring = NULL
        notifier_init(&self.empty_note, False)
        notifier_init(&self.full_note, True)

    def __dealloc__(self):
        notifier_free(&self.empty_note)
        notifier_free(&self.full_note)
        # Queued packets are freed here, not in cleanup(): clickpy cleans up
        # before the -h handlers are read, and Click's length still counts them.
        if self.ring != NULL:
            while self.head != self.tail:
                pkt_kill(self.ring[self.head])
                self.head = self._next(self.head)
            free(self.ring)

    def configure(self, args):
        self.capacity = args.CAPACITY

    def initialize(self):
        self.ring = self._alloc_ring(self.capacity)
        self.head = self.tail = 0
        self.drops = 0
        self.highwater = 0

    cdef Packet **_alloc_ring(self, uint32_t capacity) except NULL:
        cdef Packet **ring = <Packet **>malloc((<size_t>capacity + 1) * sizeof(Packet *))
        if ring == NULL:
            raise ValueError("out of memory")
        return ring

    # -- ring arithmetic ---------------------------------------------------
    cdef inline uint32_t _next(self, uint32_t i) noexcept nogil:
        return 0 if i == self.capacity else i + 1

    cdef inline uint32_t _prev(self, uint32_t i) noexcept nogil:
        return self.capacity if i == 0 else i - 1

    cdef inline uint32_t _size(self) noexcept nogil:
        if self.tail >= self.head:
            return self.tail - self.head
        return self.capacity + 1 - self.head + self.tail

    # -- the data path ------------------------------------------------------
    cdef inline bint _full(self) noexcept nogil:
        return self._next(self.tail) == self.head

    cdef inline void _drop(self, Packet *p, Batch *out) noexcept nogil:
        """Counts ``p`` in drops and puts it in ``out``, for output 1."""
        if self.drops == 0 and self.capacity > 0:
            with gil:
                self._overflow_note()           # once, as Click warns
        self.drops += 1
        out.p[out.n] = p
        out.n += 1

    cdef inline void _append(self, Packet *p) noexcept nogil:
        """Appends ``p``; the queue is not full."""
        cdef uint32_t s
        self.ring[self.tail] = p
        self.tail = self._next(self.tail)
        s = self._size()
        if s > self.highwater:
            self.highwater = s

    cdef bint _enqueue(self, Packet *p, Batch *out) noexcept nogil:
        """Appends ``p``; when full, puts the refused packet in ``out``."""
        if self._full():
            self._drop(p, out)
            return False
        self._append(p)
        return True

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        cdef Batch out
        cdef uint32_t i
        out.n = 0
        for i in range(b.n):
            self._enqueue(b.p[i], &out)
        b.n = 0
        if self.head != self.tail:
            notifier_wake(&self.empty_note)
        if self.capacity and self._full():     # a zero queue refuses, never waits (Click)
            notifier_sleep(&self.full_note)
        if out.n:
            self.output_push(1, &out)        # frees them when output 1 is absent

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        cdef uint32_t n = 0
        if max > BATCH_MAX:
            max = BATCH_MAX
        while n < max and self.head != self.tail:
            b.p[n] = self.ring[self.head]
            self.head = self._next(self.head)
            n += 1
        b.n = n
        if self.head == self.tail:
            notifier_sleep(&self.empty_note)
        if n:
            notifier_wake(&self.full_note)
        return n

    # -- handlers ---------------------------------------------------------------
    def add_handlers(self):
        self.add_read_handler("length", lambda: self._size())
        self.add_read_handler("highwater_length", lambda: self.highwater)
        self.add_read_handler("capacity", lambda: self.capacity)
        self.add_write_handler("capacity", self._write_capacity)
        self.add_read_handler("drops", lambda: self.drops)
        self.add_write_handler("reset_counts", self._reset_counts, button=True)
        self.add_write_handler("reset", self._reset, button=True)

    def _reset_counts(self, value):
        self.drops = 0
        self.highwater = self._size()

    def _reset(self, value):
        cdef Batch b
        while self.pull_batch(0, &b, BATCH_MAX):
            self.output_push(1, &b)

    def _write_capacity(self, value):
        cdef uint32_t capacity = self.ARGS[0].type.parse(value.strip())
        cdef Packet **ring
        cdef uint32_t keep
        if capacity == self.capacity or self.ring == NULL:
            self.capacity = capacity
            return
        ring = self._alloc_ring(capacity)
        keep = min(self._size(), capacity)
        self._move_to(ring, keep)
        free(self.ring)
        self.ring = ring
        self.capacity = capacity
        self.head = 0
        self.tail = keep
        if capacity and self._full():
            notifier_sleep(&self.full_note)
        else:
            notifier_wake(&self.full_note)

    cdef void _move_to(self, Packet **ring, uint32_t keep):
        """Copies the first ``keep`` packets into ``ring`` and frees the rest."""
        cdef uint32_t n = 0
        while self.head != self.tail:
            if n < keep:
                ring[n] = self.ring[self.head]
                n += 1
            else:
                pkt_kill(self.ring[self.head])
            self.head = self._next(self.head)

    def _overflow_note(self):
        print(f"{self.name} :: {self.class_name}: overflow", file=sys.stderr)


cdef class Queue(SimpleQueue):
    """
    =c
    Queue([CAPACITY])
    =s storage
    stores packets in a FIFO queue
    =io
    One input. Output 0: queued packets, pulled. Output 1 (optional): packets
    the queue could not hold, pushed.
    =processing
    Push input, pull output 0, push output 1.
    =d
    Keeps the packets pushed into it in arrival order until output 0 pulls
    them. When CAPACITY packets are already waiting, an arriving packet is
    counted in drops and leaves on output 1, or is freed when output 1 is
    not connected. This is the queue most configurations use.
    =item CAPACITY
    Unsigned. Most packets held at once. Default is 1000.
    =n
    Click's Queue also tells the elements around it when it becomes empty
    or full, so that their tasks can sleep; clickpy has no such
    notifications (a pulling task finds the queue empty instead), so Queue
    behaves exactly like SimpleQueue. Packets are pushed and pulled in
    batches of up to 64.
    The first refusal prints "NAME :: CLASS: overflow" on standard error, as
    Click does. Packets still queued when the router stops are freed only
    when the router is discarded, so length reads as in Click after a run.
    =e
      FromDevice(eth0) -> q :: Queue(200) -> ToDevice(eth1);
    =h length read-only
    Packets in the queue now.
    =h highwater_length read-only
    Most packets the queue has held at once since the last reset_counts.
    =h capacity read/write
    Same as CAPACITY. When lowered below the current length, the packets at
    the back that no longer fit are freed (not counted as drops).
    =h drops read-only
    Packets refused because the queue was full.
    =h reset_counts write-only
    Sets drops to zero and highwater_length to the current length.
    =h reset write-only
    Empties the queue; its packets leave on output 1 (freed when output 1
    is not connected).
    =a SimpleQueue, FrontDropQueue, ThreadSafeQueue, Unqueue, RatedUnqueue
    """
    port_count = "1/1-2"
    processing = "h/lh"

    cdef void *empty_notifier(self, int port) noexcept:
        return &self.empty_note

    cdef void *full_notifier(self, int port) noexcept:
        return &self.full_note


cdef class ThreadSafeQueue(SimpleQueue):
    """
    =c
    ThreadSafeQueue([CAPACITY])
    =s storage
    stores packets in a FIFO queue shared between threads
    =io
    One input. Output 0: queued packets, pulled. Output 1 (optional): packets
    the queue could not hold, pushed.
    =processing
    Push input, pull output 0, push output 1.
    =d
    A Queue that several threads may push into and pull from at once. When
    CAPACITY packets are already waiting, an arriving packet is counted in
    drops and leaves on output 1, or is freed when output 1 is not
    connected.
    =item CAPACITY
    Unsigned. Most packets held at once. Default is 1000.
    =n
    clickpy's driver runs every task in one thread, so no locking is needed
    and ThreadSafeQueue behaves exactly like Queue.
    The first refusal prints "NAME :: CLASS: overflow" on standard error, as
    Click does. Packets still queued when the router stops are freed only
    when the router is discarded, so length reads as in Click after a run.
    =e
      FromDevice(eth0) -> ThreadSafeQueue -> ToDevice(eth1);
    =h length read-only
    Packets in the queue now.
    =h highwater_length read-only
    Most packets the queue has held at once since the last reset_counts.
    =h capacity read/write
    Same as CAPACITY. When lowered below the current length, the packets at
    the back that no longer fit are freed (not counted as drops).
    =h drops read-only
    Packets refused because the queue was full.
    =h reset_counts write-only
    Sets drops to zero and highwater_length to the current length.
    =h reset write-only
    Empties the queue; its packets leave on output 1 (freed when output 1
    is not connected).
    =a Queue, SimpleQueue
    """
    port_count = "1/1-2"
    processing = "h/lh"

    cdef void *empty_notifier(self, int port) noexcept:
        return &self.empty_note

    cdef void *full_notifier(self, int port) noexcept:
        return &self.full_note


cdef class FrontDropQueue(SimpleQueue):
    """
    =c
    FrontDropQueue([CAPACITY])
    =s storage
    stores packets in a FIFO queue that drops its oldest packet when full
    =io
    One input. Output 0: queued packets, pulled. Output 1 (optional): packets
    pushed out of the queue, pushed.
    =processing
    Push input, pull output 0, push output 1.
    =d
    Keeps the packets pushed into it in arrival order until output 0 pulls
    them. When CAPACITY packets are already waiting, the oldest one is
    pushed out to make room: it is counted in drops and leaves on output 1,
    or is freed when output 1 is not connected. Arriving packets are always
    queued, so the queue holds the newest CAPACITY packets.
    =item CAPACITY
    Unsigned. Most packets held at once. Default is 1000.
    =n
    With CAPACITY 0, every arriving packet is refused (Click's behaviour is
    undefined there). Packets are pushed and pulled in batches of up to 64.
    The first drop prints "NAME :: CLASS: overflow" on standard error, as
    Click does. Packets still queued when the router stops are freed only
    when the router is discarded, so length reads as in Click after a run.
    =e
      FromDevice(eth0) -> FrontDropQueue(50) -> ToDevice(eth1);
    =h length read-only
    Packets in the queue now.
    =h highwater_length read-only
    Most packets the queue has held at once since the last reset_counts.
    =h capacity read/write
    Same as CAPACITY. When lowered below the current length, the oldest
    packets that no longer fit are freed (not counted as drops).
    =h drops read-only
    Packets pushed out of the queue, or refused with CAPACITY 0.
    =h reset_counts write-only
    Sets drops to zero and highwater_length to the current length.
    =h reset write-only
    Empties the queue; its packets leave on output 1 (freed when output 1
    is not connected).
    =a Queue, SimpleQueue, RED
    """
    port_count = "1/1-2"
    processing = "h/lh"

    cdef void *empty_notifier(self, int port) noexcept:
        return &self.empty_note

    cdef bint _enqueue(self, Packet *p, Batch *out) noexcept nogil:
        if self._full():
            if self.capacity == 0:          # nothing to push out: refuse it
                self._drop(p, out)
                return False
            self._drop(self.ring[self.head], out)
            self.head = self._next(self.head)
        self._append(p)
        return True

    cdef void _move_to(self, Packet **ring, uint32_t keep):
        """Copies the last ``keep`` packets into ``ring`` and frees the rest."""
        cdef uint32_t drop = self._size() - keep, n = 0
        while self.head != self.tail:
            if drop:
                pkt_kill(self.ring[self.head])
                drop -= 1
            else:
                ring[n] = self.ring[self.head]
                n += 1
            self.head = self._next(self.head)
