# transportcheck.pyx -- shared base of CheckTCPHeader, CheckUDPHeader, CheckICMPHeader
import sys

from clickpy.elements.tcpudp.transportcheck cimport TC_NREASONS


cdef class TransportCheck(Element):
    """Counting, messages and handlers of the transport header checkers.

    A subclass declares ``PROTOCOL`` ("TCP"), whether its messages start
    with the element's name (``NAMED_MESSAGES``, as Click's do for all but
    CheckUDPHeader), and its ``action``, which returns ``self._bad(reason)``
    for a bad packet: output 1, or a drop when output 1 is not connected.
    """

    PROTOCOL = ""
    NAMED_MESSAGES = True

    def __cinit__(self):
        self.n_drops = 0
        for i in range(TC_NREASONS):
            self.reason_drops[i] = 0
        self.reason_texts = ()
        self.message_prefix = ""

    def configure(self, args):
        self.verbose = args.VERBOSE
        self.details = args.DETAILS
        proto = type(self).PROTOCOL
        self.reason_texts = (f"not {proto}", "bad packet length", f"bad {proto} checksum")
        self.message_prefix = f"{proto} header check failed: "

    cdef int _bad(self, int reason) noexcept nogil:
        if self.n_drops == 0 or self.verbose:
            with gil:
                named = f"{self.name}: " if type(self).NAMED_MESSAGES else ""
                sys.stderr.write(f"{named}{self.message_prefix}{self.reason_texts[reason]}\n")
        self.n_drops += 1
        self.reason_drops[reason] += 1
        return 1

    def add_handlers(self):
        self.add_read_handler("drops", lambda: self.n_drops)
        if self.details:
            self.add_read_handler("drop_details", self._drop_details)

    def _drop_details(self):
        return "".join(f"{self.reason_drops[i]}\t{self.reason_texts[i]}\n"
                       for i in range(TC_NREASONS))
