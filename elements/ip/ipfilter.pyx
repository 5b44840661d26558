# ipfilter.pyx -- IPFilter: allows, drops or routes IP packets by tcpdump-like ACTION PATTERN rules
from libc.stdint cimport uint32_t

import sys

from clickpy.runtime.classtree cimport ClassTree, CTProgram, ct_match_ip
from clickpy.runtime.element cimport action_fn, Element, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet
from clickpy.lang import confstring
from clickpy.runtime import classification


cdef class IPFilter(Element):
    """
    =c
    IPFilter(ACTION_1 PATTERN_1, ..., ACTION_N PATTERN_N)
    =s ip
    filters IP packets by contents
    =io
    One input, any number of outputs.
    =processing
    Push.
    =d
    Filters IP packets with ACTION-PATTERN rules, tried in order: the first
    rule whose PATTERN matches decides. ACTION is 'allow' (output 0), an
    output number, or 'drop' (also spelled 'deny'); a packet no rule
    matches is dropped. PATTERNs use IPClassifier's tcpdump-like language;
    a rule of an ACTION alone (or with '-', 'any' or 'all') matches every
    packet.

    Input packets need their IP header annotation (CheckIPHeader and
    MarkIPHeader set it); transport-layer tests read from the transport
    header annotation.
    =n
    'deny' means 'drop', as in Click; the warning Click prints for 'deny'
    with several outputs goes to standard error. Click's 'ether host'
    directive (MAC header) is not supported. 'none' alone is accepted as a
    pattern that matches nothing, and 'port LO-HI' as LO <= port <= HI
    (both clickpy additions). Port names come from a fixed table (Click
    also asks the system's services database). A packet without the
    network header annotation is read as IP from its first byte. See
    IPClassifier for the other differences.
    =e
      IPFilter(allow src 10.0.0.0/8 && tcp && dst port www,
               1 icmp type echo,
               deny all);
    =h program read-only
    The decision tree, one step per line, in Click's format: offsets 256
    and on count IP header bytes, 512 and on transport header bytes.
    =a IPClassifier, Classifier, CheckIPHeader, MarkIPHeader, AddressInfo
    """
    port_count = "1/-"
    processing = "h/h"

    cdef ClassTree tree         # the compiled rules (owns the arrays)
    cdef CTProgram *prog        # tree's program, for the data path
    cdef object program         # classification.Program, for the handler

    def configure(self, args):
        warnings = []
        patterns = [confstring.unquote(a) for a in args]
        self.program = classification.parse_ipfilter(patterns, self.noutputs, warnings,
                                                     self.address_names)
        self.tree = ClassTree(self.program, ip=True)
        self.prog = &self.tree.prog
        for w in warnings:
            print(f"{self.landmark}: warning: {w}", file=sys.stderr)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>IPFilter.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>IPFilter.action)

    cdef int action(self, Packet *p) noexcept nogil:
        return ct_match_ip(self.prog, p)

    def add_handlers(self):
        self.add_read_handler("program", lambda: self.program.unparse())
