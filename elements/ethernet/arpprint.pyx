# arpprint.pyx -- ARPPrint: prints ARP packets as one tcpdump-like line each
from libc.stdint cimport int32_t, uint16_t, uint8_t

from clickpy.runtime.headers cimport (
    ARPHRD_ETHER,
    ARPOP_INVREPLY,
    ARPOP_INVREQUEST,
    ARPOP_REPLY,
    ARPOP_REQUEST,
    ARPOP_REVREPLY,
    ARPOP_REVREQUEST,
    ARP_HLEN,
    ARP_HLN,
    ARP_HRD,
    ARP_OP,
    ARP_PLN,
    ARP_PRO,
    ARP_SHA,
    ARP_SPA,
    ARP_THA,
    ARP_TPA,
    ETHERTYPE_IP,
    ETHERTYPE_TRAIL,
    load_be16,
)
from clickpy.runtime.packet cimport Packet, pkt_network_offset
from clickpy.elements.standard.printbase cimport PrintBase
from clickpy.lang.values import format_ether, format_ip, format_timestamp
from clickpy.runtime.args import POSITIONAL, Arg, Bool, Filename, String

cdef enum:
    ARP_FIXED_LEN = 8           # hardware and protocol types, lengths, operation


cdef class ARPPrint(PrintBase):
    """
    =c
    ARPPrint([LABEL, TIMESTAMP, ETHER, ACTIVE, OUTFILE])
    =s arp
    pretty-prints ARP packets a la tcpdump
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Expects ARP packets whose network header annotation marks the ARP
    header (ARPQuerier and ARPResponder mark the packets they make).
    Writes one line per packet to standard error and passes it on
    unchanged; packets without the annotation pass silently.

    A line is LABEL and ": " (when LABEL is not empty), the timestamp and
    ": " (with TIMESTAMP), the Ethernet source and destination and ": "
    (with ETHER, when 14 bytes precede the ARP header), then the message:
    "arp who-has TPA [(THA)] tell SPA" for requests (THA when not zero),
    "arp reply SPA is-at SHA", "rarp who-is THA tell SHA", "rarp reply
    THA at TPA", "invarp who-is THA tell SHA", "invarp reply THA at TPA",
    or "arp-#OP" for other operations; "trailer-" first for trailer
    protocol packets; "hardware #HRD" appended, unspaced, when the
    hardware type is not Ethernet. A header shorter than 8 bytes prints
    "truncated-arp (LEN)".
    =item LABEL
    String. Text starting each line. Default is empty.
    =item TIMESTAMP
    Boolean. Print each packet's timestamp. Default is true.
    =item ETHER
    Boolean. Print the Ethernet addresses. Default is false.
    =item ACTIVE
    Boolean. Print at all. Default is true.
    =item OUTFILE
    Filename. Append lines to this file instead of standard error.
    Default is standard error.
    =n
    As in Click, packets whose protocol is neither IPv4 nor trailers, or
    whose protocol address length is not 4, or hardware address length 0,
    print nothing. Headers of 8 to 27 bytes that would need the
    addresses print "truncated-arp (LEN)" too (Click reads past them).
    The Ethernet header is taken to start the packet data (clickpy has no
    MAC header annotation).
    =e
      ARPQuerier(10.0.0.1, 00:01:02:03:04:05) -> ARPPrint(out) -> ...
    =h active read/write
    Same as ACTIVE.
    =a Print, ARPQuerier, ARPResponder
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("LABEL", String, POSITIONAL, default=""),
            Arg("TIMESTAMP", Bool, default=True),
            Arg("ETHER", Bool, default=False),
            Arg("ACTIVE", Bool, default=True),
            Arg("OUTFILE", Filename, default=None))

    cdef bint timestamp         # TIMESTAMP
    cdef bint ether             # ETHER
    cdef object outname         # OUTFILE, or None

    def configure(self, args):
        self.label = args.LABEL
        self.timestamp = args.TIMESTAMP
        self.ether = args.ETHER
        self.active = args.ACTIVE
        self.outname = args.OUTFILE

    def initialize(self):
        if self.outname is not None:
            self.outfile = open(self.outname, "w", encoding="latin-1")

    cdef object _line(self, Packet *p):
        cdef int32_t off = pkt_network_offset(p)
        cdef const uint8_t *a
        cdef uint16_t hrd, pro, op
        cdef uint8_t hln, pln
        cdef int nl
        if p.network_off < 0:
            return None
        text = ""
        if self.label:
            text += self.label + ": "
        if self.timestamp:
            text += format_timestamp(p.timestamp_ns) + ": "
        nl = <int>p.length - off         # may be negative: header past the data
        if self.ether and off >= 14 and p.length >= 14:
            text += f"{_eth(p.data + 6)} > {_eth(p.data)}: "
        if nl < ARP_FIXED_LEN:
            return text + f"truncated-arp ({nl})"
        a = p.data + off
        hrd = load_be16(a + ARP_HRD)
        pro = load_be16(a + ARP_PRO)
        hln = a[ARP_HLN]
        pln = a[ARP_PLN]
        op = load_be16(a + ARP_OP)
        if (pro != ETHERTYPE_IP and pro != ETHERTYPE_TRAIL) or pln != 4 or hln == 0:
            return None                 # Click builds this line but never prints it
        if nl < ARP_HLEN:
            return text + f"truncated-arp ({nl})"
        if pro == ETHERTYPE_TRAIL:
            text += "trailer-"
        if op == ARPOP_REQUEST:
            text += f"arp who-has {_ip(a + ARP_TPA)}"
            if any(a[ARP_THA + i] for i in range(min(hln, 6))):
                text += f" ({_eth(a + ARP_THA)})"
            text += f" tell {_ip(a + ARP_SPA)}"
        elif op == ARPOP_REPLY:
            text += f"arp reply {_ip(a + ARP_SPA)} is-at {_eth(a + ARP_SHA)}"
        elif op == ARPOP_REVREQUEST:
            text += f"rarp who-is {_eth(a + ARP_THA)} tell {_eth(a + ARP_SHA)}"
        elif op == ARPOP_REVREPLY:
            text += f"rarp reply {_eth(a + ARP_THA)} at {_ip(a + ARP_TPA)}"
        elif op == ARPOP_INVREQUEST:
            text += f"invarp who-is {_eth(a + ARP_THA)} tell {_eth(a + ARP_SHA)}"
        elif op == ARPOP_INVREPLY:
            text += f"invarp reply {_eth(a + ARP_THA)} at {_ip(a + ARP_TPA)}"
        else:
            text += f"arp-#{op}"
        if hrd != ARPHRD_ETHER:
            text += f"hardware #{hrd}"
        return text


cdef str _eth(const uint8_t *q):
    return format_ether((<const char *>q)[:6])


cdef str _ip(const uint8_t *q):
    return format_ip((<const char *>q)[:4])
