# ipfilter.pyx -- IPFilter: allows, drops or routes IP packets by tcpdump-like ACTION PATTERN rules
from clickpy.elements.standard.classification.ipbase cimport IPFilterBase
from clickpy.lang import confstring


cdef class IPFilter(IPFilterBase):
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
    (both clickpy additions). A packet without the network header
    annotation is read as IP from its first byte. See IPClassifier for the
    other differences.
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

    def configure(self, args):
        self.load_rules([confstring.unquote(a) for a in args])
