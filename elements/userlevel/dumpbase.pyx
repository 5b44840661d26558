# dumpbase.pyx -- shared bases of the trace file elements: DumpSource, DumpSink
import os

from libc.stdint cimport int64_t, uint32_t

from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.driver cimport please_stop
from clickpy.runtime.packet cimport BATCH_MAX, Batch, Packet, batch_kill, pkt_kill, pool_default
from clickpy.runtime.args import Bool


cdef class DumpSource(Element):
    """What FromDump and FromIPSummaryDump share: a task or pulls emit the
    packets ``_read`` gives, TIMING holds one back until it is due, and
    ``_at_end`` runs when ``done`` and nothing is pending (here: STOP).

    A subclass calls ``_start()`` at the end of initialize and registers the
    handlers it wants from ``_write_active`` and ``_stop``.
    """

    def __dealloc__(self):
        self._drop_pending()

    def cleanup(self):
        self._drop_pending()

    def _start(self):
        """The packet pool, the TIMING timer, and the task when output 0 pushes."""
        self.pool = pool_default()
        self._timer = self.router.driver.new_timer(self._on_timer)
        if self.output_is_push(0) and self.active:
            self.schedule_task()

    cdef void _drop_pending(self) noexcept nogil:
        if self.pending != NULL:
            pkt_kill(self.pending)
            self.pending = NULL

    cdef Packet *_read(self) noexcept nogil:
        """The next packet to emit, or NULL (``done``, or the pool is empty)."""
        self.done = True
        return NULL

    cdef void _at_end(self) noexcept nogil:
        if self.stop:
            self.stop = False
            please_stop()

    cdef bint _due(self, Packet *p) noexcept nogil:
        """TIMING: whether ``p`` may leave now; otherwise arms the timer."""
        cdef int64_t now = now_ns(), at
        if not self.have_timing:
            self.timing_file_ns = p.timestamp_ns
            self.timing_real_ns = now
            self.have_timing = True
            return True
        at = self.timing_real_ns + (p.timestamp_ns - self.timing_file_ns)
        if at <= now:
            return True
        with gil:
            self._timer.schedule_at_ns(at)
        return False

    cdef uint32_t _fill(self, Batch *b, uint32_t max) noexcept nogil:
        """Reads up to ``max`` due packets into ``b``."""
        cdef Packet *p
        b.n = 0
        while b.n < max:
            if self.pending != NULL:
                p = self.pending
                self.pending = NULL
            else:
                p = self._read()
                if p == NULL:
                    break
            if self.timing and not self._due(p):
                self.pending = p
                break
            b.p[b.n] = p
            b.n += 1
        self.n_count += b.n
        return b.n

    cdef bint run_task(self) noexcept nogil:
        cdef Batch b
        cdef uint32_t n
        if not self.active:
            self._task_scheduled = False
            return False
        n = self._fill(&b, BATCH_MAX)
        if n:
            self.output_push(0, &b)         # consumes b
        if self.pending == NULL and self.done:
            self._task_scheduled = False
            self._at_end()
        elif self.pending != NULL and n == 0:
            self._task_scheduled = False    # the timer reschedules us
        return n > 0

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        b.n = 0
        if not self.active:
            return 0
        self._fill(b, max)
        if b.n == 0 and self.pending == NULL and self.done:
            self._at_end()
        return b.n

    def _on_timer(self):
        if self.active and self.output_is_push(0):
            self.schedule_task()

    def _set_active(self, bint active):
        self.active = active
        if active and self.output_is_push(0):
            self.schedule_task()

    def _write_active(self, value):
        self._set_active(Bool.parse(value.strip()))

    def _stop(self, value):
        self.active = False
        please_stop()


cdef class DumpSink(Element):
    """What ToDump and ToIPSummaryDump share: each batch is written by
    ``_write``, counted in ``n_count`` by it, then leaves on output 0 when
    there is one; with a pull input, the task pulls batches."""

    cdef void _write(self, Batch *b) noexcept nogil:
        pass

    def _failed(self, err):
        """A write failed (``err``: an errno or an OSError): said once, in
        Click's words ("ToDump(/dev/full): No space left on device"), and
        the run fails, since packets were lost (Click exits 0 here)."""
        if self.write_failed:
            return
        self.write_failed = True
        reason = err.strerror if isinstance(err, OSError) else os.strerror(err)
        self.router.report_failure(f"{self.class_name}({self._filename}): {reason}")

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        if not self.write_failed:
            self._write(b)
        if self._noutputs:
            self.output_push(0, b)
        else:
            batch_kill(b)

    cdef bint run_task(self) noexcept nogil:
        cdef Batch b
        if self.input_pull(0, &b, BATCH_MAX) == 0:
            return False
        self.push_batch(0, &b)
        return True
