# etherswitch.pyx -- EtherSwitch: a learning Ethernet bridge between its port pairs
from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t
from libc.stdlib cimport calloc, free

from clickpy.runtime.element cimport Element, Emitter, emit, emit_flush, emit_init
from clickpy.runtime.headers cimport ETHER_DST, ETHER_HLEN, ETHER_SRC
from clickpy.runtime.packet cimport Batch, Packet, pkt_clone, pkt_kill
from clickpy.lang.values import format_ether
from clickpy.runtime.args import Arg, Seconds


ctypedef struct Station:
    uint64_t addr               # Ethernet address in the low 48 bits (the key)
    int port                    # where it was last seen
    int64_t stamp_ns            # timestamp annotation of the packet it was seen in
    Station *hash_next
    Station *prev               # learning order, for the table handler
    Station *next


cdef inline uint64_t _addr_key(const uint8_t *a) noexcept nogil:
    return (<uint64_t>a[0] << 40) | (<uint64_t>a[1] << 32) | (<uint64_t>a[2] << 24) \
        | (<uint64_t>a[3] << 16) | (<uint64_t>a[4] << 8) | a[5]


cdef inline uint32_t _hash(uint64_t key) noexcept nogil:
    key ^= key >> 29
    key *= 0xBF58476D1CE4E5B9ULL
    key ^= key >> 32
    return <uint32_t>key


def _timeout_seconds(text):
    """TIMEOUT: a time, kept as whole seconds (Click's SecondsArg)."""
    return min(int(Seconds.parse(text) + 0.5), 0xFFFFFFFF)


cdef class EtherSwitch(Element):
    """
    =c
    EtherSwitch([TIMEOUT])
    =s ethernet
    learning, forwarding Ethernet switch
    =io
    Two or more inputs, as many outputs. Input N and output N are one LAN.
    =processing
    Push.
    =d
    A learning bridge. A frame arriving on input I from source address A
    teaches the switch that A lives on LAN I. A frame for a unicast
    address learned less than TIMEOUT seconds before its own timestamp
    goes to that LAN's output, or is dropped when that is the LAN it came
    from. Frames for group addresses (broadcast, multicast) and for
    unknown or stale addresses are flooded: a copy goes to every output
    but I, highest-numbered first. A stale entry found this way is
    forgotten. Ages are measured with the packets' timestamp annotations.

    With TIMEOUT 0 nothing is learned and every frame is flooded, as on a
    hub.
    =item TIMEOUT
    Time, whole seconds. How long an address stays learned. Default is
    300.
    =n
    Frames shorter than an Ethernet header are dropped (Click reads past
    them). The table lists addresses in learning order, not Click's hash
    order. Like Click's, the table has no size limit.
    =e
      sw :: EtherSwitch;
      FromDevice(eth0) -> [0]sw[0] -> Queue -> ToDevice(eth0);
      FromDevice(eth1) -> [1]sw[1] -> Queue -> ToDevice(eth1);
    =h table read-only
    One "ETH PORT" line per learned address.
    =h timeout read/write
    Same as TIMEOUT.
    =a Hub, EtherSpanTree, ListenEtherSwitch
    """
    port_count = "2-/="
    processing = "h/h"
    flow_code = "#/[^#]"
    ARGS = (Arg("TIMEOUT", Seconds, default=300),)

    cdef uint32_t timeout       # TIMEOUT, seconds; 0: a hub
    cdef Station **buckets      # chained hash table, nbuckets a power of two
    cdef uint32_t nbuckets
    cdef uint32_t count         # stations known
    cdef Station *first         # learning order
    cdef Station *last

    def __cinit__(self):
        self.nbuckets = 64
        self.buckets = <Station **>calloc(self.nbuckets, sizeof(Station *))
        if self.buckets == NULL:
            raise MemoryError()
        self.count = 0
        self.first = self.last = NULL

    def __dealloc__(self):
        cdef Station *s = self.first
        cdef Station *n
        while s != NULL:
            n = s.next
            free(s)
            s = n
        free(self.buckets)

    def configure(self, args):
        self.timeout = min(int(args.TIMEOUT + 0.5), 0xFFFFFFFF)

    cdef Station *_find(self, uint64_t key) noexcept nogil:
        cdef Station *s = self.buckets[_hash(key) & (self.nbuckets - 1)]
        while s != NULL and s.addr != key:
            s = s.hash_next
        return s

    cdef void _grow(self) noexcept nogil:
        cdef uint32_t n = self.nbuckets * 2, h
        cdef Station **nb = <Station **>calloc(n, sizeof(Station *))
        cdef Station *s
        if nb == NULL:
            return                          # longer chains, still correct
        s = self.first
        while s != NULL:
            h = _hash(s.addr) & (n - 1)
            s.hash_next = nb[h]
            nb[h] = s
            s = s.next
        free(self.buckets)
        self.buckets = nb
        self.nbuckets = n

    cdef void _learn(self, uint64_t key, int port, int64_t stamp) noexcept nogil:
        cdef Station *s = self._find(key)
        cdef uint32_t h
        if s == NULL:
            if self.count >= self.nbuckets * 2:
                self._grow()
            s = <Station *>calloc(1, sizeof(Station))
            if s == NULL:
                return                      # out of memory: just do not learn
            s.addr = key
            h = _hash(key) & (self.nbuckets - 1)
            s.hash_next = self.buckets[h]
            self.buckets[h] = s
            s.prev = self.last
            if self.last != NULL:
                self.last.next = s
            else:
                self.first = s
            self.last = s
            self.count += 1
        s.port = port
        s.stamp_ns = stamp

    cdef void _forget(self, Station *s) noexcept nogil:
        cdef Station **pp = &self.buckets[_hash(s.addr) & (self.nbuckets - 1)]
        while pp[0] != s:
            pp = &pp[0].hash_next
        pp[0] = s.hash_next
        if s.prev != NULL:
            s.prev.next = s.next
        else:
            self.first = s.next
        if s.next != NULL:
            s.next.prev = s.prev
        else:
            self.last = s.prev
        self.count -= 1
        free(s)

    cdef void _flood(self, int source, Packet *p, Emitter *em) noexcept nogil:
        cdef int n = self._noutputs, i, sent = 0
        cdef Packet *q
        for i in range(n - 1, -1, -1):
            if i == source:
                continue
            if sent < n - 2:
                q = pkt_clone(p)
                if q == NULL:               # pool empty: this port misses it
                    sent += 1
                    continue
            else:
                q = p
            emit(self, em, i, q)
            sent += 1
        if sent == 0:
            pkt_kill(p)

    cdef void _switch(self, int source, Packet *p, Emitter *em) noexcept nogil:
        cdef int out = -1
        cdef const uint8_t *dst
        cdef Station *s
        if p.length < ETHER_HLEN:
            pkt_kill(p)
            return
        if self.timeout != 0:
            self._learn(_addr_key(p.data + ETHER_SRC), source, p.timestamp_ns)
            dst = p.data + ETHER_DST
            if not (dst[0] & 0x01):         # unicast
                s = self._find(_addr_key(dst))
                if s != NULL:
                    if p.timestamp_ns < s.stamp_ns + <int64_t>self.timeout * 1000000000:
                        out = s.port
                    else:
                        self._forget(s)
        if out < 0:
            self._flood(source, p, em)
        elif out == source:                 # it is already on that LAN
            pkt_kill(p)
        else:
            emit(self, em, out, p)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        cdef Emitter em
        cdef uint32_t i
        emit_init(&em)
        for i in range(b.n):
            self._switch(port, b.p[i], &em)
        b.n = 0
        emit_flush(self, &em)

    def add_handlers(self):
        self.add_read_handler("table", self._table)
        self.add_read_handler("timeout", lambda: self.timeout)
        self.add_write_handler("timeout", self._write_timeout)

    def _table(self):
        cdef Station *s = self.first
        lines = []
        while s != NULL:
            lines.append(f"{format_ether(s.addr.to_bytes(6, 'big'))} {s.port}\n")
            s = s.next
        return "".join(lines)

    def _write_timeout(self, value):
        try:
            self.timeout = _timeout_seconds(value.strip())
        except ValueError:
            raise ValueError("expected timeout (integer)") from None
