# checkipheader.pyx -- CheckIPHeader, CheckIPHeader2: validate IPv4 headers, mark and trim packets
import sys

from libc.stdint cimport uint8_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy

from clickpy.runtime.checksum cimport csum_ip_header_ok
from clickpy.runtime.element cimport Element, action_fn, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_DST,
    IP_HLEN_MIN,
    IP_SRC,
    ip_hlen,
    ip_len,
    ip_version,
    load_raw32,
)
from clickpy.runtime.packet cimport ANNO_DST_IP, Batch, Packet, pkt_set_network_header, pkt_take
from clickpy.lang import confstring, values
from clickpy.runtime.args import POSITIONAL, Arg, ArgType, Bool, IPAddressList, Unsigned

# Why a packet failed, in the order the checks run (Click's reasons and texts).
cdef enum:
    R_TINY = 0
    R_VERSION = 1
    R_HLEN = 2
    R_IP_LEN = 3
    R_CHECKSUM = 4
    R_SADDR = 5
    NREASONS = 6

REASON_TEXTS = ("tiny packet", "bad IP version", "bad IP header length",
                "bad IP length", "bad IP checksum", "bad source address")


class InterfacesArg(ArgType):
    """INTERFACES: the router's addresses with their prefixes.

    Returns (bad sources, good destinations): each prefix's broadcast
    address plus 0.0.0.0 and 255.255.255.255, and the addresses themselves.
    """

    name = "list of IP address prefixes"

    def parse(self, text):
        bad, good = [], []
        for word in confstring.split_spaces(text):
            addr, mask = values.parse_ip_prefix(word, True)
            a = int.from_bytes(addr, "big")
            m = int.from_bytes(mask, "big")
            bad.append(((a & m) | (~m & 0xFFFFFFFF)).to_bytes(4, "big"))
            good.append(addr)
        return bad + [b"\x00\x00\x00\x00", b"\xff\xff\xff\xff"], good


# both classes' arguments; only CHECKSUM's default differs
_ARGS_BUT_CHECKSUM = (Arg("OFFSET", Unsigned, POSITIONAL, default=0),
                      Arg("INTERFACES", InterfacesArg(), default=None),
                      Arg("BADSRC", IPAddressList, default=None),
                      Arg("GOODDST", IPAddressList, default=None),
                      Arg("VERBOSE", Bool, default=False),
                      Arg("DETAILS", Bool, default=False))


cdef uint32_t *_address_array(list addrs) except? NULL:
    """The addresses as raw 32-bit words (memory order), malloc'd; NULL when empty."""
    cdef uint32_t *a
    cdef Py_ssize_t i
    cdef bytes b
    if not addrs:
        return NULL
    a = <uint32_t *>malloc(len(addrs) * sizeof(uint32_t))
    if a == NULL:
        raise MemoryError()
    for i in range(len(addrs)):
        b = addrs[i]
        memcpy(&a[i], <char *>b, 4)
    return a


cdef inline bint _contains(const uint32_t *a, uint32_t n, uint32_t addr) noexcept nogil:
    cdef uint32_t i
    for i in range(n):
        if a[i] == addr:
            return True
    return False


cdef class CheckIPHeader(Element):
    """
    =c
    CheckIPHeader([OFFSET, INTERFACES, BADSRC, GOODDST, VERBOSE, DETAILS, CHECKSUM])
    =s ip
    checks IP header
    =io
    One input. Output 0: packets with valid IPv4 headers. Output 1
    (optional): invalid packets.
    =processing
    Agnostic; output 1 is push.
    =d
    Expects packets with an IPv4 header OFFSET bytes in. Checks, in this
    order, that at least 20 bytes follow OFFSET, that the version is 4, that
    the header length is at least 20 bytes, that the total length covers
    the header and does not exceed the bytes present, that the header
    checksum is correct (RFC 1071), and that the source address is not a
    forbidden one (RFC 1812 5.3.7). A packet failing a check goes to output
    1, or is dropped when output 1 is not connected; it is counted under
    the first check it failed.

    Valid packets get the network header annotation (header length from
    the header), lose any bytes past the IP total length (Ethernet padding,
    for instance) and get the destination IP address annotation set to
    their destination address.

    Source addresses are checked only when INTERFACES, BADSRC or GOODDST is
    given. A packet is bad when its source is in the BADSRC list and its
    destination is not in the GOODDST list.

    The first bad packet prints a message to standard error (every one with
    VERBOSE).
    =item OFFSET
    Unsigned. Position of the IP header in the packet. Default is 0.
    =item INTERFACES
    Space-separated IP address prefixes: this router's interfaces. Sets
    BADSRC to their broadcast addresses plus 0.0.0.0 and 255.255.255.255,
    and GOODDST to the addresses. "INTERFACES 18.26.4.9/24 18.32.9.44/28"
    means BADSRC "18.26.4.255 18.32.9.47 0.0.0.0 255.255.255.255" and
    GOODDST "18.26.4.9 18.32.9.44". Default is not given.
    =item BADSRC
    Space-separated IP addresses. Packets from these sources are bad (but
    see GOODDST); overrides the list INTERFACES gives. Default is empty.
    =item GOODDST
    Space-separated IP addresses. Packets to these destinations are exempt
    from the BADSRC check; overrides the list INTERFACES gives. Default is
    empty.
    =item VERBOSE
    Boolean. Print a message for every bad packet, not only the first.
    Default is false.
    =item DETAILS
    Boolean. Provide the drop_details handler. Default is false.
    =item CHECKSUM
    Boolean. Check the header checksum. Default is true.
    =n
    Click's older form CheckIPHeader(BADSRC2, OFFSET), whose positional
    address list also forbade 0.0.0.0 and 255.255.255.255, is not
    accepted; a single positional argument is OFFSET, as in Click. Per
    reason counts are kept whether or not DETAILS is given; DETAILS only
    decides whether drop_details exists.
    =e
      ... -> Strip(14) -> CheckIPHeader(INTERFACES 10.0.0.1/24) -> ...
    =h drops read-only
    Number of bad packets seen.
    =h drop_details read-only
    One line per reason, "COUNT<tab>REASON", in the order of the checks.
    Only with DETAILS true.
    =a CheckIPHeader2, MarkIPHeader, DecIPTTL, SetIPChecksum, CheckUDPHeader,
    CheckTCPHeader, CheckICMPHeader
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = _ARGS_BUT_CHECKSUM + (Arg("CHECKSUM", Bool, default=True),)

    cdef uint32_t offset                # OFFSET: bytes from packet data to the IP header
    cdef bint checksum                  # CHECKSUM: verify the header checksum
    cdef bint verbose                   # VERBOSE: a message for every bad packet
    cdef bint details                   # DETAILS: drop_details handler exists
    cdef uint32_t *bad_src              # forbidden sources, raw 32-bit words (memory order)
    cdef uint32_t n_bad_src
    cdef uint32_t *good_dst             # destinations exempt from bad_src, raw words
    cdef uint32_t n_good_dst
    cdef uint64_t n_drops               # bad packets seen
    cdef uint64_t reason_drops[NREASONS]    # bad packets by first failed check

    def __cinit__(self):
        self.bad_src = self.good_dst = NULL
        self.n_bad_src = self.n_good_dst = 0
        self.n_drops = 0
        for i in range(NREASONS):
            self.reason_drops[i] = 0

    def __dealloc__(self):
        free(self.bad_src)
        free(self.good_dst)

    def configure(self, args):
        bad, good = [], []
        if args.INTERFACES is not None:
            bad, good = args.INTERFACES
        if args.BADSRC is not None:
            bad = args.BADSRC
        if args.GOODDST is not None:
            good = args.GOODDST
        free(self.bad_src)
        free(self.good_dst)
        self.bad_src = self.good_dst = NULL
        self.n_bad_src = self.n_good_dst = 0
        self.bad_src = _address_array(bad)
        self.n_bad_src = len(bad)
        self.good_dst = _address_array(good)
        self.n_good_dst = len(good)
        self.offset = args.OFFSET
        self.verbose = args.VERBOSE
        self.details = args.DETAILS
        self.checksum = args.CHECKSUM

    cdef inline int _bad(self, int reason) noexcept nogil:
        if self.n_drops == 0 or self.verbose:
            self._complain(reason)
        self.n_drops += 1
        self.reason_drops[reason] += 1
        return 1                            # output 1, dropped when not connected

    cdef void _complain(self, int reason) noexcept nogil:
        with gil:
            sys.stderr.write(f"{self.name}: IP header check failed: {REASON_TEXTS[reason]}\n")

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>CheckIPHeader.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>CheckIPHeader.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip
        cdef uint32_t plen, hlen, length
        # every test below reads only bytes the previous ones proved present
        if p.length < self.offset or p.length - self.offset < IP_HLEN_MIN:
            return self._bad(R_TINY)
        ip = p.data + self.offset
        plen = p.length - self.offset
        if ip_version(ip) != 4:
            return self._bad(R_VERSION)
        hlen = ip_hlen(ip)
        if hlen < IP_HLEN_MIN:
            return self._bad(R_HLEN)
        length = ip_len(ip)
        if length > plen or length < hlen:  # so hlen <= length <= plen from here
            return self._bad(R_IP_LEN)
        if self.checksum and not csum_ip_header_ok(ip, hlen):
            return self._bad(R_CHECKSUM)
        # RFC 1812 5.3.7: no broadcast or otherwise forbidden sources
        if self.n_bad_src \
                and _contains(self.bad_src, self.n_bad_src, load_raw32(ip + IP_SRC)) \
                and not _contains(self.good_dst, self.n_good_dst, load_raw32(ip + IP_DST)):
            return self._bad(R_SADDR)
        pkt_set_network_header(p, ip, hlen)
        if plen > length:
            pkt_take(p, plen - length)      # link-layer padding past the IP datagram
        memcpy(p.anno + ANNO_DST_IP, ip + IP_DST, 4)
        return 0

    def add_handlers(self):
        self.add_read_handler("drops", lambda: self.n_drops)
        if self.details:
            self.add_read_handler("drop_details", self._drop_details)

    def _drop_details(self):
        return "".join(f"{self.reason_drops[i]}\t{REASON_TEXTS[i]}\n" for i in range(NREASONS))


cdef class CheckIPHeader2(CheckIPHeader):
    """
    =c
    CheckIPHeader2([OFFSET, INTERFACES, BADSRC, GOODDST, VERBOSE, DETAILS, CHECKSUM])
    =s ip
    checks IP header, no checksum
    =io
    One input. Output 0: packets with valid IPv4 headers. Output 1
    (optional): invalid packets.
    =processing
    Agnostic; output 1 is push.
    =d
    CheckIPHeader without the checksum check: everything else, arguments
    and handlers included, is the same. Useful where checksums were
    already verified (or are known to be wrong on purpose).
    =item OFFSET
    Unsigned. Position of the IP header in the packet. Default is 0.
    =item INTERFACES
    Space-separated IP address prefixes, as in CheckIPHeader. Default is
    not given.
    =item BADSRC
    Space-separated IP addresses, as in CheckIPHeader. Default is empty.
    =item GOODDST
    Space-separated IP addresses, as in CheckIPHeader. Default is empty.
    =item VERBOSE
    Boolean. Print a message for every bad packet. Default is false.
    =item DETAILS
    Boolean. Provide the drop_details handler. Default is false.
    =item CHECKSUM
    Boolean. Check the header checksum after all. Default is false.
    =n
    As for CheckIPHeader.
    =e
      ... -> Strip(14) -> CheckIPHeader2 -> ...
    =h drops read-only
    Number of bad packets seen.
    =h drop_details read-only
    One line per reason, "COUNT<tab>REASON". Only with DETAILS true.
    =a CheckIPHeader, MarkIPHeader
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = _ARGS_BUT_CHECKSUM + (Arg("CHECKSUM", Bool, default=False),)
