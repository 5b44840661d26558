# printbase.pyx -- PrintBase: what Print, IPPrint and ARPPrint share
import sys

from libc.stdint cimport uint32_t

from clickpy.lang.values import parse_bool
from clickpy.runtime.args import Bool


def parse_contents(text):
    """CONTENTS: a boolean (true is HEX) or NONE, HEX, ASCII in any case."""
    try:
        return CONTENTS_HEX if parse_bool(text) else CONTENTS_NONE
    except ValueError:
        pass
    word = text.upper()
    if word in ("NONE", "HEX", "ASCII"):
        return ("NONE", "HEX", "ASCII").index(word)
    raise ValueError(f"bad contents value '{word}'; should be 'NONE', 'HEX', or 'ASCII'")


cdef class PrintBase(Element):
    """A pass-through element that prints a line for each packet it sees,
    pushed or pulled, while ACTIVE: ``_line`` gives the text (None: no line),
    and each batch's lines are written at once to OUTFILE or standard error.
    Also the active handler, and closing OUTFILE at cleanup."""

    cdef object _line(self, Packet *p):
        return None

    cdef void _print(self, Batch *b) noexcept:
        cdef uint32_t i
        try:
            lines = [self._line(b.p[i]) for i in range(b.n)]
            lines = [line for line in lines if line is not None]
            if not lines:
                return
            text = "\n".join(lines) + "\n"
            if self.outfile is not None:
                self.outfile.write(text)
                self.outfile.flush()
            else:
                sys.stderr.write(text)
        except Exception:               # a closed stream must not stop the router
            pass

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        if self.active and b.n:
            with gil:
                self._print(b)
        self.output_push(0, b)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        if self.input_pull(0, b, max) and self.active:
            with gil:
                self._print(b)
        return b.n

    def cleanup(self):
        if self.outfile is not None:
            self.outfile.close()
            self.outfile = None

    def add_handlers(self):
        self.add_read_handler("active", lambda: self.active)
        self.add_write_handler("active", self._write_active)

    def _write_active(self, value):
        self.active = Bool.parse(value.strip())
