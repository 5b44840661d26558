# ipreassembler.pyx -- IPReassembler: rebuilds IPv4 datagrams from fragments (RFC 815 holes)
from libc.stdint cimport int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdlib cimport calloc, free
from libc.string cimport memcpy, memset

from clickpy.runtime.checksum cimport csum
from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.element cimport Element, convert_fn, pull_converts, push_converts
from clickpy.runtime.headers cimport (
    IP_DF,
    IP_DST,
    IP_HLEN_MIN,
    IP_ID,
    IP_LEN,
    IP_MF,
    IP_OFF,
    IP_OFFMASK,
    IP_PROTO,
    IP_RF,
    IP_SRC,
    IP_SUM,
    ip_hlen,
    ip_len,
    load_be16,
    load_raw32,
    pkt_ip_header,
    store_be16,
)
from clickpy.runtime.packet cimport (
    ANNO_SIZE,
    Batch,
    Packet,
    PacketPool,
    pkt_alloc,
    pkt_kill,
    pkt_push,
    pkt_put,
    pkt_set_network_header,
    pool_default,
)
from clickpy.lang import values
from clickpy.runtime.args import AnnoArg, Arg, Timestamp, Unsigned

cdef enum:
    NBUCKETS = 256              # hash buckets, by IP identifier (as Click)
    NENTRIES = 1024             # datagrams in reassembly at once
    MAX_HOLES = 32              # RFC 815 hole descriptors per datagram
    PREFIX_MAX = 128            # bytes before the IP header kept (link header, headroom)
    HDR_MAX = PREFIX_MAX + 60   # those bytes, then the IP header with options
    IPH_MEM_USED = 40           # memory charged per datagram besides its data (Click's)
    NO_END = 0xFFFFFFFF         # the last hole's end before the last fragment came

ctypedef struct Hole:
    uint32_t first              # first missing byte
    uint32_t last               # one past the last missing byte (NO_END: open)

ctypedef struct Entry:
    int32_t next                # bucket chain or free list (-1: end)
    bint used
    uint32_t src                # key: addresses (raw words), identifier, protocol
    uint32_t dst
    uint16_t ident
    uint8_t proto
    uint16_t flags              # DF and RF of the first fragment that arrived
    Packet *data                # the payload so far, bytes at their offsets
    int64_t start_ns            # when the first fragment arrived
    bint have_last              # the fragment without MF came
    uint32_t total              # payload length, once have_last
    uint32_t nholes
    Hole holes[MAX_HOLES]
    uint8_t hdr[HDR_MAX]        # bytes before the IP header, then the IP header
    uint32_t before             # bytes before the IP header kept in hdr
    uint32_t prefix_len         # of those, how many were packet data (not headroom)
    uint32_t hlen
    bint have_first             # hdr is the offset-0 fragment's
    uint8_t anno[ANNO_SIZE]     # annotations of the offset-0 (or first arrived) fragment
    uint8_t packet_type
    uint8_t device
    uint16_t max_frag           # largest fragment, network header on (MAX_MTU_ANNO)


cdef class IPReassembler(Element):
    """
    =c
    IPReassembler([HIMEM, MAX_MTU_ANNO, TIMEOUT])
    =s ip
    reassembles fragmented IP packets
    =io
    One input. Output 0: unfragmented packets and reassembled datagrams.
    Output 1 (optional): incomplete datagrams given up on.
    =processing
    Agnostic; output 1 is push.
    =d
    Expects IP packets with the network header annotation set. Packets
    that are not fragments pass on output 0. Fragments are held, keyed by
    source, destination, protocol and identifier (RFC 791), and the missing
    parts of each datagram tracked as a list of holes (RFC 815); when the
    last hole fills, the datagram leaves on output 0 with the IP header
    (and any bytes before it) of the fragment at offset 0, its total
    length and checksum set, no MF flag or offset, the annotations of that
    fragment and the timestamp of the fragment that completed it. Later
    data overwrites earlier data where fragments overlap.

    Fragments are bad, counted and dropped, when their end passes 65535,
    their data is empty or shorter than the IP length says, a fragment with
    MF has a length not a multiple of 8, or their end disagrees with the
    datagram's last fragment.

    A datagram incomplete TIMEOUT after its first fragment, or thrown away
    to keep memory use (40 bytes per datagram plus its data) under HIMEM
    (oldest first, down to 3/4 of HIMEM), leaves on output 1 as one packet
    holding the data received so far at its offsets (zeros in the holes),
    or is dropped when output 1 is not connected.
    =item HIMEM
    Unsigned. Memory bound in bytes. Default is 262144.
    =item MAX_MTU_ANNO
    Annotation (2 bytes). When given, reassembled datagrams carry there the
    size of their largest fragment, network header on. Default is none.
    =item TIMEOUT
    Time. How long an incomplete datagram waits. Default is 30 s.
    =n
    Timeouts run on a timer, measured from the first fragment's arrival by
    the router's clock (Click reaps every 10 seconds, when packets arrive,
    by their timestamps); TIMEOUT is a clickpy addition, and timed-out
    datagrams count as failed reassemblies. At most 1024 datagrams are in
    reassembly, each with at most 32 holes; past that the oldest datagram
    (or the one with too many holes) is given up as failed. Up to 128 bytes
    before the offset-0 fragment's IP header are kept, headroom included, so
    a link header stripped before reassembly is there for Unstrip after it;
    a longer link header is not kept. Packets without a valid network
    header count as bad fragments. The dump handler lists received byte
    ranges rather than Click's chunk links.
    =e
      ... -> CheckIPHeader -> reass :: IPReassembler -> ...
      reass[1] -> ICMPError(18.26.4.24, timeexceeded, reassembly) -> ...
    =h dump read-only
    Counts of fragments seen, good and failed reassemblies and bad
    fragments, then one line per datagram in reassembly.
    =a IPFragmenter, ICMPError
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = (Arg("HIMEM", Unsigned, default=256 * 1024),
            Arg("MAX_MTU_ANNO", AnnoArg(2), default=None),
            Arg("TIMEOUT", Timestamp, default=30 * 1000000000))

    cdef uint32_t mem_high          # HIMEM
    cdef uint32_t mem_low           # 3/4 of HIMEM
    cdef int32_t mtu_anno           # MAX_MTU_ANNO offset, -1: none
    cdef int64_t timeout_ns         # TIMEOUT
    cdef Entry *entries             # NENTRIES datagram slots
    cdef int32_t buckets[NBUCKETS]  # first entry per bucket (-1: none)
    cdef int32_t free_list          # first free entry
    cdef uint32_t nused             # entries in use
    cdef uint64_t mem_used          # bytes charged, as Click counts them
    cdef uint64_t frags_seen
    cdef uint64_t good_assem
    cdef uint64_t failed_assem
    cdef uint64_t bad_pkts
    cdef bint timer_armed           # the reap timer is scheduled
    cdef object timer
    cdef PacketPool *pool

    def __cinit__(self):
        self.entries = NULL

    def __dealloc__(self):
        cdef int32_t i
        if self.entries != NULL:
            for i in range(NENTRIES):
                if self.entries[i].used and self.entries[i].data != NULL:
                    pkt_kill(self.entries[i].data)
        free(self.entries)

    def configure(self, args):
        self.mem_high = args.HIMEM
        self.mem_low = (args.HIMEM >> 2) * 3
        self.mtu_anno = -1 if args.MAX_MTU_ANNO is None else args.MAX_MTU_ANNO
        if args.TIMEOUT <= 0:
            raise ValueError("TIMEOUT must be positive")
        self.timeout_ns = args.TIMEOUT

    def initialize(self):
        cdef int32_t i
        self.pool = pool_default()
        self.entries = <Entry *>calloc(NENTRIES, sizeof(Entry))
        if self.entries == NULL:
            raise MemoryError()
        for i in range(NBUCKETS):
            self.buckets[i] = -1
        for i in range(NENTRIES):
            self.entries[i].next = i + 1 if i + 1 < NENTRIES else -1
        self.free_list = 0
        self.timer = self.router.driver.new_timer(self._reap)

    # -- entries --------------------------------------------------------------------
    cdef void _unlink(self, int32_t e) noexcept nogil:
        cdef Entry *en = &self.entries[e]
        cdef int32_t *link = &self.buckets[en.ident % NBUCKETS]
        while link[0] != e:
            link = &self.entries[link[0]].next
        link[0] = en.next
        en.used = False
        en.next = self.free_list
        self.free_list = e
        self.nused -= 1
        self.mem_used -= IPH_MEM_USED + en.data.length

    cdef Packet *_with_header(self, Entry *en, bint complete) noexcept nogil:
        """The entry's data with its headers in front; the entry lets go of it."""
        cdef Packet *q = en.data
        cdef uint8_t *ip
        cdef uint32_t payload = q.length
        en.data = NULL
        # the bytes that were before the IP header go back in front of it, in
        # the headroom too, so an Unstrip after reassembly finds the link header
        if pkt_push(q, en.before + en.hlen) < 0:
            pkt_kill(q)
            return NULL
        memcpy(q.data, en.hdr, en.before + en.hlen)
        q.data += en.before - en.prefix_len
        q.length -= en.before - en.prefix_len
        ip = q.data + en.prefix_len
        store_be16(ip + IP_LEN, <uint16_t>(en.hlen + payload))
        store_be16(ip + IP_OFF, en.flags if complete else en.flags | IP_MF)
        store_be16(ip + IP_SUM, 0)
        store_be16(ip + IP_SUM, csum(ip, en.hlen))
        pkt_set_network_header(q, ip, en.hlen)
        memcpy(q.anno, en.anno, ANNO_SIZE)
        q.packet_type = en.packet_type
        q.device = en.device
        if self.mtu_anno >= 0:
            memcpy(q.anno + self.mtu_anno, &en.max_frag, 2)
        return q

    cdef void _fail(self, int32_t e) noexcept nogil:
        """Gives up on a datagram: what arrived goes to output 1."""
        cdef Packet *q
        self._unlink(e)
        self.failed_assem += 1
        q = self._with_header(&self.entries[e], False)
        if q != NULL:
            q.timestamp_ns = self.entries[e].start_ns
            self.output_push_one(1, q)

    cdef int32_t _oldest(self) noexcept nogil:
        cdef int32_t i, best = -1
        for i in range(NENTRIES):
            if self.entries[i].used and (best < 0 or self.entries[i].start_ns
                                         < self.entries[best].start_ns):
                best = i
        return best

    cdef void _reap_overfull(self) noexcept nogil:
        cdef int32_t e
        while self.mem_used > self.mem_low:
            e = self._oldest()
            if e < 0:
                break
            self._fail(e)

    def _reap(self):
        cdef int64_t now = now_ns()
        cdef int32_t i, oldest
        for i in range(NENTRIES):
            if self.entries[i].used and now - self.entries[i].start_ns >= self.timeout_ns:
                self._fail(i)
        oldest = self._oldest()
        self.timer_armed = oldest >= 0
        if oldest >= 0:
            self.timer.schedule_at_ns(self.entries[oldest].start_ns + self.timeout_ns)

    cdef void _arm(self, int64_t at) noexcept nogil:
        if not self.timer_armed:
            self.timer_armed = True
            with gil:
                self.timer.schedule_at_ns(at)

    cdef int32_t _new_entry(self, const uint8_t *ip, Packet *p) noexcept nogil:
        cdef int32_t e
        cdef Entry *en
        if self.free_list < 0:
            self._fail(self._oldest())
        e = self.free_list
        en = &self.entries[e]
        en.data = pkt_alloc(self.pool, 0)
        if en.data == NULL:
            return -1
        self.free_list = en.next
        en.used = True
        en.src = load_raw32(ip + IP_SRC)
        en.dst = load_raw32(ip + IP_DST)
        en.ident = load_be16(ip + IP_ID)
        en.proto = ip[IP_PROTO]
        en.flags = load_be16(ip + IP_OFF) & (IP_DF | IP_RF)
        en.start_ns = now_ns()
        en.have_last = False
        en.total = 0
        en.nholes = 1
        en.holes[0].first = 0
        en.holes[0].last = NO_END
        en.have_first = False
        en.before = 0
        en.prefix_len = 0
        en.hlen = IP_HLEN_MIN
        memcpy(en.hdr, ip, IP_HLEN_MIN)
        en.hdr[0] = 0x45
        memcpy(en.anno, p.anno, ANNO_SIZE)
        en.packet_type = p.packet_type
        en.device = p.device
        en.max_frag = 0
        en.next = self.buckets[en.ident % NBUCKETS]
        self.buckets[en.ident % NBUCKETS] = e
        self.nused += 1
        self.mem_used += IPH_MEM_USED
        self._arm(en.start_ns + self.timeout_ns)
        return e

    cdef int32_t _find(self, const uint8_t *ip) noexcept nogil:
        cdef uint16_t ident = load_be16(ip + IP_ID)
        cdef int32_t e = self.buckets[ident % NBUCKETS]
        cdef Entry *en
        while e >= 0:
            en = &self.entries[e]
            if en.ident == ident and en.proto == ip[IP_PROTO] \
                    and en.src == load_raw32(ip + IP_SRC) and en.dst == load_raw32(ip + IP_DST):
                return e
            e = en.next
        return -1

    # -- RFC 815: fill the holes one fragment covers ---------------------------------
    cdef bint _fill_holes(self, Entry *en, uint32_t first, uint32_t last,
                          bint more) noexcept nogil:
        """Updates the hole list for bytes [first, last); False on overflow."""
        cdef Hole old[MAX_HOLES]
        cdef uint32_t i, n = en.nholes
        cdef Hole h
        memcpy(old, en.holes, n * sizeof(Hole))
        en.nholes = 0
        for i in range(n):
            h = old[i]
            if not more and h.first >= last:
                continue                    # past the datagram's end
            # every write below is bounded: a datagram needing more holes
            # than MAX_HOLES is given up, never written past the array
            if first >= h.last or last <= h.first:
                if en.nholes >= MAX_HOLES:
                    return False
                en.holes[en.nholes] = h     # untouched (steps 2 and 3)
                en.nholes += 1
                continue
            if first > h.first:             # step 5: a hole before the fragment
                if en.nholes >= MAX_HOLES:
                    return False
                en.holes[en.nholes].first = h.first
                en.holes[en.nholes].last = first
                en.nholes += 1
            if last < h.last and more:      # step 6: a hole after it
                if en.nholes >= MAX_HOLES:
                    return False
                en.holes[en.nholes].first = last
                en.holes[en.nholes].last = h.last
                en.nholes += 1
        return True

    cdef Packet *_process(self, Packet *p) noexcept nogil:
        """A packet for output 0, or NULL when ``p`` was kept or dropped."""
        cdef uint8_t *ip = pkt_ip_header(p)
        cdef uint32_t hlen, avail, first, last, old_len, nlen
        cdef uint16_t off
        cdef bint more
        cdef int32_t e
        cdef Entry *en
        cdef Packet *q
        if ip == NULL:
            self.bad_pkts += 1
            pkt_kill(p)
            return NULL
        off = load_be16(ip + IP_OFF)
        if (off & (IP_MF | IP_OFFMASK)) == 0:
            return p                        # the common case: not a fragment
        self.frags_seen += 1
        hlen = ip_hlen(ip)
        avail = <uint32_t>(p.data + p.length - ip)
        more = (off & IP_MF) != 0
        first = <uint32_t>(off & IP_OFFMASK) << 3
        if hlen < IP_HLEN_MIN or hlen > avail or ip_len(ip) <= hlen:
            self.bad_pkts += 1
            pkt_kill(p)
            return NULL
        last = first + ip_len(ip) - hlen
        if last > 0xFFFF or (more and (last & 7)) or avail - hlen < last - first:
            self.bad_pkts += 1
            pkt_kill(p)
            return NULL
        if self.mem_used > self.mem_high:
            self._reap_overfull()
        e = self._find(ip)
        if e < 0:
            e = self._new_entry(ip, p)
            if e < 0:
                pkt_kill(p)
                return NULL
        en = &self.entries[e]
        # the end must agree with the last fragment's (RFC 815 step 6 assumes it)
        if (en.have_last and last > en.total) or (not more and en.have_last and last != en.total) \
                or (not more and en.data.length > last):
            self.bad_pkts += 1
            pkt_kill(p)
            if en.data.length == 0 and en.nholes == 1 and en.holes[0].first == 0:
                self._unlink(e)             # nothing kept for it yet
                pkt_kill(en.data)
                en.data = NULL
            return NULL
        nlen = avail if avail - hlen == last - first else hlen + last - first
        if nlen > en.max_frag:
            en.max_frag = <uint16_t>nlen
        if not self._fill_holes(en, first, last, more):
            pkt_kill(p)
            self._fail(e)
            return NULL
        if not more:
            en.have_last = True
            en.total = last
        old_len = en.data.length
        if last > old_len:
            if pkt_put(en.data, last - old_len) < 0:
                pkt_kill(p)
                self._fail(e)
                return NULL
            memset(en.data.data + old_len, 0, last - old_len)
            self.mem_used += last - old_len
        memcpy(en.data.data + first, ip + hlen, last - first)
        if first == 0:
            en.have_first = True
            en.hlen = hlen
            en.prefix_len = <uint32_t>(ip - p.data)
            en.before = <uint32_t>(ip - p.buf.start)
            if en.before > PREFIX_MAX:
                en.before = PREFIX_MAX
            if en.prefix_len > en.before:   # a link header longer than we keep
                en.prefix_len = en.before = 0
            memcpy(en.hdr, ip - en.before, en.before + hlen)
            memcpy(en.anno, p.anno, ANNO_SIZE)
            en.packet_type = p.packet_type
            en.device = p.device
        if en.have_last and en.nholes == 0:
            self._unlink(e)
            self.good_assem += 1
            q = self._with_header(en, True)
            if q != NULL:
                q.timestamp_ns = p.timestamp_ns
            pkt_kill(p)
            return q
        pkt_kill(p)
        return NULL

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_converts(self, b, <convert_fn>IPReassembler._process)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_converts(self, b, max, <convert_fn>IPReassembler._process)

    def cleanup(self):
        cdef int32_t i
        if self.entries != NULL:
            for i in range(NENTRIES):
                if self.entries[i].used:
                    self._unlink(i)
                    pkt_kill(self.entries[i].data)
                    self.entries[i].data = NULL

    # -- handlers -----------------------------------------------------------------------
    def _dump(self):
        lines = [f"frags seen total:    {self.frags_seen}",
                 f"good reassemblies:   {self.good_assem}",
                 f"failed reassemblies: {self.failed_assem}",
                 f"bad fragments seen:  {self.bad_pkts}",
                 "cached chunk data:"]
        for i in range(NENTRIES):
            if not self.entries[i].used:
                continue
            en = &self.entries[i]
            src = values.format_ip(en.src.to_bytes(4, "little"))
            dst = values.format_ip(en.dst.to_bytes(4, "little"))
            holes = sorted((en.holes[j].first, en.holes[j].last) for j in range(en.nholes))
            ranges, at = [], 0
            end = en.total if en.have_last else en.data.length
            for first, last in holes:
                if first > at:
                    ranges.append((at, first))
                at = last
            if at < end:
                ranges.append((at, end))
            lines.append(f" {src} > {dst} proto {en.proto} {en.ident}"
                         + "".join(f" ({a},{b})" for a, b in ranges))
        return "\n".join(lines) + "\n"

    def add_handlers(self):
        self.add_read_handler("dump", self._dump)
