# pyelement.pyx -- elements written in plain Python: run under the GIL, beside compiled ones
import sys

from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport Batch, PacketView
from clickpy.errors import error_text

ERRORS_PRINTED = 5              # per element; the rest are only counted


cdef class PyElement(Element):
    """Base class for elements written in Python (exported as ``clickpy.Element``).

    Override ``simple_action(packet)`` (return the packet to send it to
    output 0, None to drop it), or ``push(port, packet)`` / ``pull(port)``
    for anything else, and ``run_task()`` for a task. ``output_push_packet``
    and ``input_pull_packet`` move packets; the runtime holds the GIL while
    calling them. Correct and slower than compiled elements.
    """

    port_count = "1/1"
    processing = "a/a"
    python_element = True

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        with gil:
            self._py_push(port, b)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        with gil:
            return self._py_pull(port, b)

    cdef bint run_task(self) noexcept nogil:
        with gil:
            return self._py_task()

    cdef void _py_push(self, int port, Batch *b):
        cdef uint32_t i, n = b.n
        b.n = 0
        for i in range(n):
            view = PacketView.wrap(b.p[i])
            try:
                self.push(port, view)
            except Exception as e:          # a user bug must not take the router down
                self._report(e)

    cdef uint32_t _py_pull(self, int port, Batch *b):
        b.n = 0
        try:
            p = self.pull(port)
        except Exception as e:
            self._report(e)
            return 0
        if p is None:
            return 0
        b.p[0] = (<PacketView?>p)._release()
        b.n = 1
        return 1

    cdef bint _py_task(self):
        task = getattr(self, "run_task", None)
        if task is None:
            return False
        try:
            return bool(task())
        except Exception as e:
            self._report(e)
            return False

    def _report(self, e):
        """A Python error on the data path: counted (the ``errors`` handler),
        printed the first few times only, so a bug hit by every packet
        does not print a line per packet."""
        n = self.errors = getattr(self, "errors", 0) + 1
        where = f"{self.landmark}: '{self.name} :: {self.class_name}'"
        if n <= ERRORS_PRINTED:
            print(f"{where}: {error_text(e)}", file=sys.stderr)
        elif n == ERRORS_PRINTED + 1:
            print(f"{where}: more errors, counted but not printed (handler "
                  f"'{self.name}.errors')", file=sys.stderr)

    # -- what Python subclasses override ----------------------------------
    def simple_action(self, packet):
        return packet

    def push(self, int port, packet):
        result = self.simple_action(packet)
        if result is not None:
            self.output_push_packet(0, result)

    def pull(self, int port):
        packet = self.input_pull_packet(0)
        if packet is None:
            return None
        return self.simple_action(packet)
