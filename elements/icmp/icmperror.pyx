# icmperror.pyx -- ICMPError: answers IP packets with ICMP error messages
from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy, memset

from clickpy.runtime.checksum cimport csum
from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.element cimport Element, convert_fn, pull_converts, push_converts
from clickpy.runtime.headers cimport (
    ICMP_HLEN,
    ICMP_PARAMPROB,
    ICMP_REDIRECT,
    ICMP_SUM,
    ICMP_TIMXCEED,
    ICMP_UNREACH,
    IP_DST,
    IP_HLEN_MIN,
    IP_OFF,
    IP_OFFMASK,
    IP_PROTO,
    IP_PROTO_ICMP,
    IP_SRC,
    IP_SUM,
    ip_hlen,
    load_be16,
    load_raw32,
    pkt_ip_header,
    store_be16,
)
from clickpy.runtime.inet cimport (
    ICMP_PARAMPROB_ERRATPTR,
    ICMP_SOURCEQUENCH,
    ICMP_UNREACH_NEEDFRAG,
    IPOPT_EOL,
    IPOPT_LSRR,
    IPOPT_NOP,
    IPOPT_SSRR,
)
from clickpy.runtime.packet cimport (
    ANNO_DST_IP,
    ANNO_FIX_IP_SRC,
    ANNO_ICMP_PARAMPROB,
    PKT_BROADCAST,
    PKT_MULTICAST,
    Batch,
    Packet,
    PacketPool,
    pkt_alloc,
    pkt_kill,
    pkt_set_network_header,
    pool_default,
)

from clickpy.lang import values
from clickpy.runtime import nameinfo
from clickpy.runtime.args import (
    MANDATORY,
    POSITIONAL,
    Arg,
    ArgType,
    Bool,
    IPAddress,
    IPAddressList,
    Unsigned,
    Word,
)


class ICMPTypeArg(ArgType):
    """An ICMP type: an integer or one of Click's names (unreachable, ...)."""

    name = "ICMP type"

    def parse(self, text):
        if text in nameinfo.ICMP_TYPES:
            return nameinfo.ICMP_TYPES[text]
        try:
            return values.parse_int(text, None)
        except ValueError:
            raise ValueError("expected ICMP type") from None


def parse_icmp_code(int icmp_type, str text):
    """An ICMP code for ``icmp_type``: an integer 0-255 or a name for that type."""
    code = nameinfo.icmp_code(icmp_type, text)
    if code is not None:
        return code
    try:
        code = values.parse_int(text, None)
    except ValueError:
        code = -1
    if not 0 <= code <= 255:
        raise ValueError("argument 2 takes ICMP code (integer between 0 and 255)")
    return code


cdef uint16_t _next_ip_id = 1        # shared by every ICMPError, as Click's static counter


cdef inline bint _is_error_type(uint8_t t) noexcept nogil:
    return t == ICMP_UNREACH or t == ICMP_SOURCEQUENCH or t == ICMP_REDIRECT \
        or t == ICMP_TIMXCEED or t == ICMP_PARAMPROB


cdef class ICMPError(Element):
    """
    =c
    ICMPError(SRC, TYPE [, CODE, BADADDRS, MTU, PMTU, SET_FIX_ANNO, RATE])
    =s icmp
    generates ICMP error packets
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Answers each incoming IP packet (network header annotation set) with a
    new IP/ICMP error message of type TYPE and code CODE, sent from SRC to
    the packet's source; the packet itself is consumed. The message quotes
    the packet from its IP header on, as much as fits in MTU bytes (RFC
    1812 4.3.2.3). Its IP header has TOS 0, TTL 200 and an identifier from
    a counter shared by all ICMPError elements. The new packet gets the
    network header annotation, the destination IP annotation (the original
    source), the timestamp annotation (now) and, with SET_FIX_ANNO, the
    fix-IP-source annotation.

    No message is sent (RFC 1812 4.3.2.7) for ICMP error messages; for
    packets to 255.255.255.255, to a multicast address or to an address in
    BADADDRS; for packets that arrived as link-level broadcast or multicast;
    for sources that are not unicast (as above, or in nets 0, 127 or
    240-255); and for fragments other than the first.

    TYPE is one of unreachable (3), sourcequench (4), redirect (5),
    timeexceeded (11) and parameterproblem (12), by name or number. CODE
    names depend on TYPE: for unreachable net, host, protocol, port,
    needfrag, srcroutefail, netunknown, hostunknown, isolated,
    netprohibited, hostprohibited, tosnet, toshost, filterprohibited,
    hostprecedence, precedencecutoff; for redirect net, host, tosnet,
    toshost; for timeexceeded transit, reassembly; for parameterproblem
    erroratptr, missingopt, length.

    A parameterproblem/erroratptr message takes its pointer from the ICMP
    parameter problem annotation (IPGWOptions sets it). A redirect takes its
    gateway from the destination IP annotation. An unreachable/needfrag
    message carries PMTU as the next-hop MTU (RFC 1191).

    When the packet has a loose or strict source route option, the message
    carries the same option with the route recorded so far reversed (RFC
    1812 4.3.2.6), unless a parameter problem points into that option;
    redirects are never sent for source-routed packets (RFC 1812 5.2.7.2).
    =item SRC
    IP address. Source of the error messages. Mandatory.
    =item TYPE
    ICMP type, a name or an integer; must be an error type. Mandatory.
    =item CODE
    ICMP code, a name (for TYPE) or an integer 0-255. Default is 0.
    =item BADADDRS
    Space-separated IP addresses. No messages about packets to or from
    these. Default is empty.
    =item MTU
    Unsigned. Largest message, IP header included. Default is 576.
    =item PMTU
    Unsigned. Next-hop MTU reported in needfrag messages. Default is 0.
    =item SET_FIX_ANNO
    Boolean. Set the fix-IP-source annotation on messages. Default is true.
    =item RATE
    Unsigned. At most this many messages per second (a token bucket
    holding one second's worth); the rest are not sent. Default is no
    limit.
    =n
    RATE is a clickpy addition: Click does not limit the rate itself (its
    manual suggests a RatedSplitter after ICMPError). Click's type argument
    is checked when configuring, as in Click; packets without a 20-byte
    network header, or whose IP header length exceeds the packet, are
    consumed without a message. The source route option is read only when
    its length covers its pointer byte.
    =e
      dt :: DecIPTTL;
      dt[1] -> ICMPError(18.26.4.24, timeexceeded) -> ...
    =h src read/write
    Same as SRC.
    =h mtu read/write
    Same as MTU.
    =h pmtu read/write
    Same as PMTU.
    =a DecIPTTL, FixIPSrc, IPGWOptions, IPFragmenter, IPReassembler
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("SRC", IPAddress, MANDATORY | POSITIONAL),
            Arg("TYPE", ICMPTypeArg(), MANDATORY | POSITIONAL),
            Arg("CODE", Word, POSITIONAL, default="0"),
            Arg("BADADDRS", IPAddressList, POSITIONAL, default=[]),
            Arg("MTU", Unsigned, default=576),
            Arg("PMTU", Unsigned, default=0),
            Arg("SET_FIX_ANNO", Bool, default=True),
            Arg("RATE", Unsigned, default=None))

    cdef uint8_t src[4]             # SRC, network order
    cdef uint8_t icmp_type          # TYPE
    cdef uint8_t icmp_code          # CODE
    cdef uint32_t *bad_addrs        # BADADDRS as raw 32-bit words (memory order)
    cdef uint32_t n_bad_addrs
    cdef uint32_t mtu               # MTU, bytes
    cdef uint32_t pmtu              # PMTU, bytes
    cdef bint set_fix_anno          # SET_FIX_ANNO
    cdef bint limited               # RATE given
    cdef uint32_t rate              # RATE, messages per second
    cdef int64_t tokens_ns          # token bucket: credit, in ns of message spacing
    cdef int64_t last_ns            # when the bucket was last filled
    cdef PacketPool *pool

    def __cinit__(self):
        self.bad_addrs = NULL
        self.n_bad_addrs = 0

    def __dealloc__(self):
        free(self.bad_addrs)

    def configure(self, args):
        cdef bytes b
        if not 0 <= args.TYPE <= 255:
            raise ValueError("ICMP type must be between 0 and 255")
        if args.TYPE not in nameinfo.ICMP_ERROR_TYPES:
            raise ValueError(f"ICMP type {args.TYPE} is not an error type")
        code = parse_icmp_code(args.TYPE, args.CODE)
        addrs = args.BADADDRS
        buf = <uint32_t *>malloc(max(1, len(addrs)) * sizeof(uint32_t))
        if buf == NULL:
            raise MemoryError()
        for i, a in enumerate(addrs):
            b = a
            memcpy(&buf[i], <char *>b, 4)
        free(self.bad_addrs)
        self.bad_addrs = buf
        self.n_bad_addrs = len(addrs)
        self._set_src(args.SRC)
        self.icmp_type = args.TYPE
        self.icmp_code = code
        self.mtu = args.MTU
        self.pmtu = args.PMTU
        self.set_fix_anno = args.SET_FIX_ANNO
        self.limited = args.RATE is not None
        self.rate = args.RATE or 0

    def _set_src(self, bytes addr):
        memcpy(self.src, <char *>addr, 4)

    def initialize(self):
        self.pool = pool_default()
        self.last_ns = now_ns()
        self.tokens_ns = 1000000000

    # -- who gets no error (RFC 1812 4.3.2.7, 5.3.7) ------------------------------
    cdef bint _unicast(self, const uint8_t *addr) noexcept nogil:
        cdef uint32_t i, raw = load_raw32(addr)
        if raw == 0xFFFFFFFFU or (addr[0] & 0xF0) == 0xE0:
            return False                    # limited broadcast, multicast
        for i in range(self.n_bad_addrs):
            if self.bad_addrs[i] == raw:
                return False
        return True

    cdef bint _valid_source(self, const uint8_t *addr) noexcept nogil:
        return self._unicast(addr) and addr[0] != 0 and addr[0] != 127 \
            and (addr[0] & 0xF0) != 0xF0

    cdef bint _rate_ok(self) noexcept nogil:
        """Token bucket of one second's worth of messages, credit kept in ns."""
        cdef int64_t now, cost
        if not self.limited:
            return True
        if self.rate == 0:
            return False
        now = now_ns()
        self.tokens_ns += now - self.last_ns
        self.last_ns = now
        if self.tokens_ns > 1000000000:
            self.tokens_ns = 1000000000
        cost = 1000000000 // self.rate
        if self.tokens_ns < cost:
            return False
        self.tokens_ns -= cost
        return True

    cdef Packet *_error_for(self, Packet *p) noexcept nogil:
        """The error message answering ``p``, or NULL; ``p`` is left alone."""
        global _next_ip_id
        cdef uint8_t *ip = pkt_ip_header(p)
        cdef uint8_t *q_ip
        cdef uint8_t *icmp
        cdef uint8_t *o
        cdef const uint8_t *sr = NULL
        cdef const uint8_t *aa
        cdef uint32_t hlen, nlen, oi, xlen, olen, out_hlen, quote, room, total
        cdef int at
        cdef uint8_t opt
        cdef Packet *q
        if ip == NULL:
            return NULL
        hlen = ip_hlen(ip)
        nlen = <uint32_t>(p.data + p.length - ip)
        if hlen < IP_HLEN_MIN or hlen > nlen:
            return NULL
        # never about ICMP errors
        if ip[IP_PROTO] == IP_PROTO_ICMP and (hlen + 4 > nlen or _is_error_type(ip[hlen])):
            return NULL
        if not self._unicast(ip + IP_DST):
            return NULL
        if p.packet_type == PKT_BROADCAST or p.packet_type == PKT_MULTICAST:
            return NULL
        if not self._valid_source(ip + IP_SRC):
            return NULL
        if load_be16(ip + IP_OFF) & IP_OFFMASK:
            return NULL                     # not the first fragment
        # a source route option whose pointer is sane
        oi = IP_HLEN_MIN
        while oi < hlen:
            opt = ip[oi]
            if opt == IPOPT_NOP:
                oi += 1
                continue
            if opt == IPOPT_EOL or oi + 1 >= hlen:
                break
            xlen = ip[oi + 1]
            if xlen < 2 or oi + xlen > hlen:
                break
            if (opt == IPOPT_LSRR or opt == IPOPT_SSRR) and xlen >= 3 and ip[oi + 2] >= 4 \
                    and ip[oi + 2] % 4 == 0 and ip[oi + 2] <= xlen + 1:
                sr = ip + oi
                break
            oi += xlen
        if sr != NULL:
            if self.icmp_type == ICMP_REDIRECT:
                return NULL
            aa = ip + p.anno[ANNO_ICMP_PARAMPROB]
            if self.icmp_type == ICMP_PARAMPROB and self.icmp_code == ICMP_PARAMPROB_ERRATPTR \
                    and sr <= aa and aa < sr + sr[1]:
                sr = NULL
        if not self._rate_ok():
            return NULL
        # sizes: IP header (with the reversed route), ICMP header, quote
        out_hlen = IP_HLEN_MIN
        olen = 0
        if sr != NULL:
            olen = sr[2] - 1u
            out_hlen = (IP_HLEN_MIN + olen + 3) & ~3u
        room = self.mtu - out_hlen - ICMP_HLEN if self.mtu > out_hlen + ICMP_HLEN else 0
        quote = nlen if nlen < room else room
        total = out_hlen + ICMP_HLEN + quote
        q = pkt_alloc(self.pool, total)
        if q == NULL:
            return NULL
        q_ip = q.data
        memset(q_ip, 0, out_hlen + ICMP_HLEN)
        q_ip[0] = <uint8_t>(0x40 | (out_hlen >> 2))
        store_be16(q_ip + 2, <uint16_t>total)
        store_be16(q_ip + 4, _next_ip_id)
        _next_ip_id += 1
        q_ip[8] = 200                       # TTL, as Click
        q_ip[9] = IP_PROTO_ICMP
        memcpy(q_ip + IP_SRC, self.src, 4)
        memcpy(q_ip + IP_DST, ip + IP_SRC, 4)
        if sr != NULL:
            o = q_ip + IP_HLEN_MIN
            o[0] = sr[0]
            o[1] = <uint8_t>olen
            o[2] = 4
            o[olen] = IPOPT_EOL
            o += 3
            at = sr[2] - 5                  # last recorded address, first in the reply
            while at >= 3:
                memcpy(o, sr + at, 4)
                o += 4
                at -= 4
        pkt_set_network_header(q, q_ip, out_hlen)
        icmp = q_ip + out_hlen
        icmp[0] = self.icmp_type
        icmp[1] = self.icmp_code
        if self.icmp_type == ICMP_PARAMPROB and self.icmp_code == ICMP_PARAMPROB_ERRATPTR:
            icmp[4] = p.anno[ANNO_ICMP_PARAMPROB]
        if self.icmp_type == ICMP_REDIRECT:
            memcpy(icmp + 4, p.anno + ANNO_DST_IP, 4)
        if self.icmp_type == ICMP_UNREACH and self.icmp_code == ICMP_UNREACH_NEEDFRAG:
            store_be16(icmp + 6, <uint16_t>self.pmtu)
        memcpy(icmp + ICMP_HLEN, ip, quote)
        store_be16(icmp + ICMP_SUM, csum(icmp, ICMP_HLEN + quote))
        store_be16(q_ip + IP_SUM, csum(q_ip, out_hlen))
        memcpy(q.anno + ANNO_DST_IP, ip + IP_SRC, 4)
        if self.set_fix_anno:
            q.anno[ANNO_FIX_IP_SRC] = 1
        q.timestamp_ns = now_ns()
        return q

    cdef Packet *_convert(self, Packet *p) noexcept nogil:
        """Replaces ``p`` by its error message (or nothing)."""
        cdef Packet *q = self._error_for(p)
        pkt_kill(p)
        return q

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_converts(self, b, <convert_fn>ICMPError._convert)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_converts(self, b, max, <convert_fn>ICMPError._convert)

    def add_handlers(self):
        self.add_read_handler("src", lambda: values.format_ip(bytes(self.src[:4])))
        self.add_write_handler("src", lambda v: self._set_src(self.parse_value(IPAddress, v)))
        self.add_read_handler("mtu", lambda: self.mtu)
        self.add_write_handler("mtu", self._write_mtu)
        self.add_read_handler("pmtu", lambda: self.pmtu)
        self.add_write_handler("pmtu", self._write_pmtu)

    def _write_mtu(self, value):
        self.mtu = Unsigned.parse(value.strip())

    def _write_pmtu(self, value):
        self.pmtu = Unsigned.parse(value.strip())
