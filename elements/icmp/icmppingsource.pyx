# icmppingsource.pyx -- ICMPPingSource: sends ICMP echo requests and keeps ping(1) statistics
import math
import sys

from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdlib cimport calloc, free, malloc
from libc.string cimport memcpy, memset

from clickpy.runtime.checksum cimport csum
from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.driver cimport please_stop
from clickpy.runtime.element cimport Element
from clickpy.runtime.headers cimport (
    ICMP_ECHO,
    ICMP_ECHOREPLY,
    ICMP_HLEN,
    ICMP_SUM,
    IP_DST,
    IP_HLEN_MIN,
    IP_PROTO,
    IP_PROTO_ICMP,
    IP_SRC,
    IP_SUM,
    IP_TTL,
    ip_hlen,
    ip_len,
    load_be16,
    pkt_icmp_header,
    pkt_ip_header,
    store_be16,
)
from clickpy.runtime.inet cimport ICMP_ECHO_ID, ICMP_ECHO_SEQ
from clickpy.runtime.packet cimport (
    ANNO_DST_IP,
    Batch,
    Packet,
    PacketPool,
    pkt_alloc,
    pkt_kill,
    pkt_set_network_header,
    pool_default,
)
from clickpy.lang import values
from clickpy.runtime.args import (
    MANDATORY,
    POSITIONAL,
    U16,
    Arg,
    Bool,
    Data,
    Int,
    IPAddress,
    Seconds,
)


def format_microseconds(uint32_t us):
    """Click's cp_unparse_microseconds: "250us" below a millisecond, else seconds."""
    if us and us < 1000:
        return f"{us}us"
    text = f"{us // 1000000}.{us % 1000000:06d}".rstrip("0").rstrip(".")
    return text + "s"


def _interval_ms(text):
    """INTERVAL as whole milliseconds (Click's SecondsArg(3), saturating)."""
    ms = int(round(Seconds.parse(text) * 1000))
    return min(max(ms, 0), 0xFFFFFFFF)


cdef class ICMPPingSource(Element):
    """
    =c
    ICMPPingSource(SRC, DST [, INTERVAL, IDENTIFIER, LIMIT, DATA, ACTIVE, VERBOSE, STOP])
    =s icmp
    periodically sends ICMP echo requests
    =io
    Input 0 (optional): echo replies. One output: echo requests.
    =processing
    The input is push; the output is agnostic.
    =d
    Sends ICMP echo requests (RFC 792) from SRC to DST: a 20-byte IP header
    (TTL 200, identifier counting from 1) and an echo header whose
    identifier is IDENTIFIER and whose sequence number equals the IP
    identifier, followed by DATA. Packets get the network header,
    destination IP and timestamp annotations. When the output is push, one
    request leaves every INTERVAL, the first INTERVAL after the router
    starts; when it is pull, every pull makes one. After LIMIT requests
    (negative: no limit) no more are sent, and with STOP true the router is
    stopped.

    Echo replies pushed to the input, with IDENTIFIER and a sequence number
    this element sent, are counted like ping(1) does: duplicates, and
    round trip times from the send time to the reply's timestamp
    annotation. With VERBOSE, each reply prints a line "NAME :: ICMPPingSource:
    LEN bytes from SRC: icmp_seq=N ttl=T time=MS ms", and the summary is
    printed when the router stops. Every input packet is consumed.
    =item SRC
    IP address. Source address. Mandatory.
    =item DST
    IP address. Destination address. Mandatory.
    =item INTERVAL
    Time, milliseconds precision. Time between requests. Default is 1 s.
    =item IDENTIFIER
    Integer 0-65535. ICMP identifier. Default is 0.
    =item LIMIT
    Integer. Requests to send; negative means no limit. Default is -1.
    =item DATA
    String. Data after the echo header. Default is empty.
    =item ACTIVE
    Boolean. Whether requests are sent (push output). Default is true.
    =item VERBOSE
    Boolean. Print reply reports and the summary. Default is true.
    =item STOP
    Boolean. Stop the router after LIMIT requests. Default is false.
    =n
    The identifier and sequence number are stored in network byte order on
    every system (Click on Linux stores them in host order). Click's
    MIRROR keyword is not supported. When the packet pool is empty the
    timer keeps running and tries again after INTERVAL.
    =e
      ICMPPingSource(10.0.0.1, 10.0.0.2, LIMIT 5, STOP true) -> ... -> ps[0]
    =h active read/write
    Same as ACTIVE; writing true restarts a stopped timer at once.
    =h count read-only
    Requests sent so far.
    =h limit write-only
    Same as LIMIT.
    =h interval write-only
    Same as INTERVAL.
    =h reset_counts write-only
    Sets all counts and statistics to zero.
    =h src read/write
    Same as SRC.
    =h dst read/write
    Same as DST.
    =h summary read-only
    ping(1)-style summary: sent, received, duplicates, loss and round trip
    times. Only with an input.
    =h rtt_min read-only
    Smallest round trip time. Only with an input.
    =h rtt_avg read-only
    Mean round trip time. Only with an input.
    =h rtt_max read-only
    Largest round trip time. Only with an input.
    =a ICMPPingResponder, ICMPError
    """
    port_count = "0-1/1"
    processing = "h/a"
    ARGS = (Arg("SRC", IPAddress, MANDATORY | POSITIONAL),
            Arg("DST", IPAddress, MANDATORY | POSITIONAL),
            Arg("INTERVAL", Seconds, default=1.0),
            Arg("IDENTIFIER", U16, default=0),
            Arg("LIMIT", Int, default=-1),
            Arg("DATA", Data, default=b""),
            Arg("ACTIVE", Bool, default=True),
            Arg("VERBOSE", Bool, default=True),
            Arg("STOP", Bool, default=False))

    cdef uint8_t src[4]             # SRC, network order
    cdef uint8_t dst[4]             # DST, network order
    cdef uint32_t interval_ms       # INTERVAL
    cdef uint16_t ident             # IDENTIFIER
    cdef int64_t limit              # LIMIT; negative: none
    cdef int64_t count              # requests sent
    cdef uint8_t *data              # DATA (malloc'd)
    cdef uint32_t dlen              # bytes at data
    cdef bint active                # ACTIVE
    cdef bint verbose               # VERBOSE
    cdef bint stop                  # STOP
    cdef PacketPool *pool
    cdef object timer
    # receiver statistics (only with an input); send_ts[seq]: send time in ns,
    # negated once a reply came, 0 when never sent
    cdef int64_t *send_ts
    cdef int64_t n_received         # replies, duplicates included
    cdef int64_t n_duplicate        # replies seen before
    cdef uint32_t time_min          # round trip times, microseconds
    cdef uint32_t time_max
    cdef uint64_t time_sum
    cdef uint64_t time_sq_sum

    def __cinit__(self):
        self.send_ts = NULL
        self.data = NULL

    def __dealloc__(self):
        free(self.send_ts)
        free(self.data)

    def configure(self, args):
        cdef uint8_t *buf
        self._set_addr(self.src, args.SRC)
        self._set_addr(self.dst, args.DST)
        self.interval_ms = min(max(int(round(args.INTERVAL * 1000)), 0), 0xFFFFFFFF)
        self.ident = args.IDENTIFIER
        self.limit = args.LIMIT
        buf = <uint8_t *>malloc(max(1, len(args.DATA)))
        if buf == NULL:
            raise MemoryError()
        memcpy(buf, <char *>args.DATA, len(args.DATA))
        free(self.data)
        self.data = buf
        self.dlen = len(args.DATA)
        self.active = args.ACTIVE
        self.verbose = args.VERBOSE
        self.stop = args.STOP
        if self.interval_ms == 0:
            print(f"{self.landmark}: warning: INTERVAL so small that it is zero",
                  file=sys.stderr)
        if not self.output_is_push(0) and "INTERVAL" in args:
            print(f"{self.landmark}: warning: element is pull, INTERVAL parameter "
                  "will be ignored", file=sys.stderr)

    cdef void _set_addr(self, uint8_t *field, bytes addr):
        memcpy(field, <char *>addr, 4)

    def initialize(self):
        self.pool = pool_default()
        self.count = 0
        self.timer = self.router.driver.new_timer(self._fire)
        if self.limit != 0 and self.active and self.output_is_push(0):
            self.timer.schedule_after(self.interval_ms / 1000)
        if self.ninputs == 1:
            self.send_ts = <int64_t *>calloc(65536, sizeof(int64_t))
            if self.send_ts == NULL:
                raise MemoryError()

    def cleanup(self):
        if self.send_ts != NULL and self.verbose:
            for line in self._summary().splitlines():
                sys.stderr.write(f"{self.name} :: ICMPPingSource: {line}\n")

    # -- sending ------------------------------------------------------------------
    cdef Packet *_make(self) noexcept nogil:
        cdef uint32_t dlen = self.dlen
        cdef Packet *q = pkt_alloc(self.pool, IP_HLEN_MIN + ICMP_HLEN + dlen)
        cdef uint8_t *ip
        cdef uint8_t *icmp
        cdef uint16_t seq
        if q == NULL:
            return NULL
        ip = q.data
        icmp = ip + IP_HLEN_MIN
        memset(ip, 0, IP_HLEN_MIN + ICMP_HLEN)
        memcpy(icmp + ICMP_HLEN, self.data, dlen)
        seq = <uint16_t>(self.count % 0xFFFF + 1)   # never 0
        ip[0] = 0x45
        store_be16(ip + 2, <uint16_t>q.length)
        store_be16(ip + 4, seq)
        ip[IP_TTL] = 200
        ip[IP_PROTO] = IP_PROTO_ICMP
        memcpy(ip + IP_SRC, self.src, 4)
        memcpy(ip + IP_DST, self.dst, 4)
        store_be16(ip + IP_SUM, csum(ip, IP_HLEN_MIN))
        icmp[0] = ICMP_ECHO
        store_be16(icmp + ICMP_ECHO_ID, self.ident)
        store_be16(icmp + ICMP_ECHO_SEQ, seq)
        store_be16(icmp + ICMP_SUM, csum(icmp, ICMP_HLEN + dlen))
        memcpy(q.anno + ANNO_DST_IP, self.dst, 4)
        pkt_set_network_header(q, ip, IP_HLEN_MIN)
        q.timestamp_ns = now_ns()
        if self.send_ts != NULL:
            self.send_ts[seq] = q.timestamp_ns
        return q

    def _fire(self):
        cdef Packet *q = self._make()
        if q == NULL:
            self.timer.schedule_after(self.interval_ms / 1000)
            return
        self.output_push_one(0, q)
        self.count += 1
        if self.count < self.limit or self.limit < 0:
            self.timer.schedule_after(self.interval_ms / 1000)
        elif self.stop:
            please_stop()

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        cdef Packet *q
        b.n = 0
        while b.n < max:
            if self.count < self.limit or self.limit < 0:
                q = self._make()
                if q == NULL:
                    break
                self.count += 1
                b.p[b.n] = q
                b.n += 1
            else:
                if self.stop:
                    please_stop()
                break
        return b.n

    # -- receiving ----------------------------------------------------------------
    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        cdef uint32_t i
        for i in range(b.n):
            self._reply(b.p[i])
            pkt_kill(b.p[i])
        b.n = 0

    cdef void _reply(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip = pkt_ip_header(p)
        cdef uint8_t *icmp = pkt_icmp_header(p)
        cdef uint16_t seq
        cdef int64_t send, diff
        cdef uint32_t diffval = 0
        if self.send_ts == NULL or ip == NULL or icmp == NULL or ip[IP_PROTO] != IP_PROTO_ICMP \
                or icmp[0] != ICMP_ECHOREPLY or load_be16(icmp + ICMP_ECHO_ID) != self.ident:
            return
        seq = load_be16(icmp + ICMP_ECHO_SEQ)
        send = self.send_ts[seq]
        if send == 0:
            return                          # never sent
        if send < 0:
            self.n_duplicate += 1
            send = -send
        if p.timestamp_ns != 0:
            diff = p.timestamp_ns - send
            diffval = <uint32_t>(diff // 1000 if diff >= 0 else -((-diff + 999) // 1000))
            if diffval < self.time_min or self.n_received == 0:
                self.time_min = diffval
            if diffval > self.time_max or self.n_received == 0:
                self.time_max = diffval
            self.time_sum += diffval
            self.time_sq_sum += <uint64_t>diffval * diffval
        self.n_received += 1
        self.send_ts[seq] = -send
        if self.verbose:
            with gil:
                src = values.format_ip(bytes(ip[IP_SRC:IP_SRC + 4]))
                nbytes = <int>ip_len(ip) - <int>ip_hlen(ip) - ICMP_HLEN
                sys.stderr.write(f"{self.name} :: ICMPPingSource: {nbytes} bytes from {src}: "
                                 f"icmp_seq={seq} ttl={ip[IP_TTL]} "
                                 f"time={diffval // 1000}.{diffval % 1000:03d} ms\n")

    # -- handlers -------------------------------------------------------------------
    def _summary(self):
        count = self.count
        nrecv, ndup = self.n_received, self.n_duplicate
        text = f"{count} packets transmitted, {nrecv - ndup} received"
        if ndup:
            text += f", +{ndup} duplicates"
        if count:
            # Click's formula, duplicates subtracted twice
            text += f", {int((count - nrecv - ndup) * 100 / count)}% packet loss\n"
        if nrecv:
            avg = self.time_sum // nrecv
            avg_sq = self.time_sq_sum // nrecv
            stdev = math.isqrt(max(avg_sq - avg * avg, 0))
            parts = [self.time_min, avg, self.time_max, stdev]
            text += "rtt min/avg/max/mdev = " + "/".join(
                f"{v // 1000}.{v % 1000:03d}" for v in parts) + "\n"
        return text

    def add_handlers(self):
        self.add_read_handler("active", lambda: self.active)
        self.add_write_handler("active", self._write_active)
        self.add_read_handler("src", lambda: values.format_ip(bytes(self.src[:4])))
        self.add_write_handler("src", lambda v: self._set_addr(self.src,
                                                               self.parse_value(IPAddress, v)))
        self.add_read_handler("dst", lambda: values.format_ip(bytes(self.dst[:4])))
        self.add_write_handler("dst", lambda v: self._set_addr(self.dst,
                                                               self.parse_value(IPAddress, v)))
        self.add_read_handler("count", lambda: self.count)
        self.add_write_handler("limit", self._write_limit)
        self.add_write_handler("interval", self._write_interval)
        self.add_write_handler("reset_counts", self._reset_counts, button=True)
        if self.ninputs > 0:
            self.add_read_handler("summary", self._summary)
            self.add_read_handler("rtt_min", lambda: format_microseconds(self.time_min))
            self.add_read_handler("rtt_avg", lambda: format_microseconds(
                self.time_sum // (self.n_received or 1)))
            self.add_read_handler("rtt_max", lambda: format_microseconds(self.time_max))

    def _can_restart(self):
        return self.active and not self.timer.is_scheduled and self.output_is_push(0)

    def _write_active(self, value):
        self.active = Bool.parse(value.strip())
        if self._can_restart():
            self.timer.schedule_now()
        elif not self.active:
            self.timer.unschedule()

    def _write_limit(self, value):
        self.limit = Int.parse(value.strip())
        if (self.count < self.limit or self.limit < 0) and self._can_restart():
            self.timer.schedule_after(self.interval_ms / 1000)

    def _write_interval(self, value):
        self.interval_ms = _interval_ms(value.strip())

    def _reset_counts(self, value):
        self.count = 0
        self.n_received = self.n_duplicate = 0
        self.time_min = self.time_max = 0
        self.time_sum = self.time_sq_sum = 0
        if self.send_ts != NULL:
            memset(self.send_ts, 0, 65536 * sizeof(int64_t))
        if self.count < self.limit and self._can_restart():
            self.timer.schedule_after(self.interval_ms / 1000)
