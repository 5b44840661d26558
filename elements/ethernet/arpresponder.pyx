# arpresponder.pyx -- ARPResponder: answers ARP queries for its addresses and proxy ranges
import functools
import sys

from libc.stdint cimport uint8_t, uint32_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy

from clickpy.elements.ethernet.arp cimport arp_make, arp_message
from clickpy.runtime.element cimport Element, Emitter, emit, emit_flush, emit_init
from clickpy.runtime.headers cimport (
    ARPOP_REPLY,
    ARPOP_REQUEST,
    ARP_SHA,
    ARP_SPA,
    ARP_TPA,
    load_raw32,
)
from clickpy.runtime.packet cimport (
    Batch,
    Packet,
    PacketPool,
    pkt_kill,
    pool_default,
)
from clickpy.lang import confstring
from clickpy.lang.values import format_ether, format_ip_prefix, parse_ether, parse_ip_prefix
from clickpy.runtime.args import IPAddress


ctypedef struct Entry:
    uint32_t dst                # network, memory order (address & mask)
    uint32_t mask               # memory order
    uint8_t eth[6]


def _parse_prefix(word, names):
    """(addr, mask) for IP/MASK, a bare address, or an AddressInfo name (its
    IP address preferred, as Click's manual says); None otherwise."""
    try:
        return parse_ip_prefix(word, True)
    except ValueError:
        pass
    if ":" not in word:
        ip = names.lookup(word, "ip")
        if ip is not None:
            return ip, b"\xff\xff\xff\xff"
    return names.lookup(word, "prefix")


def _parse_ether(word, names):
    try:
        return parse_ether(word)
    except ValueError:
        return names.lookup(word, "eth")


def _parse_entries(text, names):
    """One argument, "IP/MASK [IP/MASK...] ETH", as [(dst, mask, eth)]."""
    words = confstring.split_spaces(text)
    prefixes, eth = [], None
    for word in words:
        prefix = _parse_prefix(word, names)
        if prefix is not None:
            prefixes.append(prefix)
            continue
        e = _parse_ether(word, names)
        if e is None:
            raise ValueError("expected IP/MASK ETH")
        if eth is not None:
            raise ValueError("more than one ETH")
        eth = e
    if eth is None:                     # a name may be an IP and an Ethernet address
        for word in words:
            eth = _parse_ether(word, names)
            if eth is not None:
                break
    if not prefixes:
        raise ValueError("missing IP/MASK")
    if eth is None:
        raise ValueError("missing ETH")
    return [(bytes(a & m for a, m in zip(addr, mask)), mask, eth) for addr, mask in prefixes]


def _normalize(entries, warn=None):
    """Click's order: an entry inside another comes first; equal prefixes
    keep the later entry; the rest keep their order."""
    def within(a, b):
        return bytes(x & m for x, m in zip(a[0], b[1])) == b[0]

    def compare(i, j):
        a, b = entries[i], entries[j]
        if a[0] == b[0] and a[1] == b[1]:
            return j - i
        if within(a, b):
            return -1
        if within(b, a):
            return 1
        return i - j

    out = []
    last = None
    for i in sorted(range(len(entries)), key=functools.cmp_to_key(compare)):
        e = entries[i]
        if last is not None and last[0] == e[0] and last[1] == e[1]:
            if warn is not None:
                warn(f"multiple entries for {format_ip_prefix(e[0], e[1])}")
        else:
            out.append(e)
            last = e
    return out


cdef class ARPResponder(Element):
    """
    =c
    ARPResponder(IP/MASK [IP/MASK...] ETH, IP2/MASK2 ETH2, ...)
    =s arp
    generates responses to ARP queries
    =io
    One input. Output 0: ARP replies. Output 1 (optional): packets it
    does not answer.
    =processing
    Agnostic; output 1 is push.
    =d
    Expects Ethernet frames. An ARP request (hardware type Ethernet,
    protocol IPv4, at least 42 bytes) whose target address falls in one of
    the configured prefixes is answered: a new 42-byte reply from that
    prefix's Ethernet address, telling the asker that the target is at
    that address, leaves on output 0 and the request is killed. Every
    other packet leaves on output 1, or is dropped when output 1 is not
    connected. Prefixes wider than one address make proxy ARP.

    Each argument is one or more IP prefixes (a bare address is a /32,
    masks as "/24" or "/255.255.255.0") and one Ethernet address. An
    AddressInfo name may stand for both; a name that is both an IP address
    and a prefix gives the address (NAME:ipnet gives the prefix). More
    specific prefixes are matched first; of two equal prefixes the later
    wins, with a warning.

    Replies carry the device and VLAN TCI annotations of their requests.
    =n
    Click's argument-number prefix ("argument 0: ") starts error reasons,
    as in Click. Replies that cannot be made because the packet pool is
    empty leave the request on output 1.
    =e
      c :: Classifier(12/0806 20/0001, -);
      c[0] -> ARPResponder(18.26.4.24 18.26.7.0/24 00-00-C0-AE-67-EF) -> out;
    =h table read-only
    The table, one "IP/MASK ETH" line per entry in matching order.
    =h lookup read with parameters
    Takes an IP address; returns the Ethernet address it would be
    answered with, or nothing.
    =h add write-only
    Adds entries, "IP/MASK [IP/MASK...] ETH".
    =h remove write-only
    Removes the entry for exactly "IP/MASK"; an error when there is none.
    =a ARPQuerier, ARPTable, AddressInfo
    """
    port_count = "1/1-2"
    processing = "a/ah"

    cdef Entry *entries         # in matching order
    cdef uint32_t nentries
    cdef list table_list        # the same, as (dst, mask, eth) bytes
    cdef PacketPool *pool

    def __cinit__(self):
        self.entries = NULL
        self.nentries = 0
        self.table_list = []

    def __dealloc__(self):
        free(self.entries)

    def configure(self, conf):
        entries, errors = [], []
        for i, arg in enumerate(conf):
            try:
                entries.extend(_parse_entries(arg, self.address_names))
            except ValueError as e:
                errors.append(f"argument {i}: {e}")
        if errors:
            raise ValueError("\n".join(errors))
        self._set_table(_normalize(entries, self._warn))

    def _warn(self, text):
        sys.stderr.write(f"{self.landmark}: warning: {text}\n")

    def _set_table(self, list table):
        cdef Entry *a = <Entry *>malloc(max(1, len(table)) * sizeof(Entry))
        cdef Py_ssize_t i
        cdef bytes dst, mask, eth
        if a == NULL:
            raise MemoryError()
        for i in range(len(table)):
            dst, mask, eth = table[i]
            memcpy(&a[i].dst, <const char *>dst, 4)
            memcpy(&a[i].mask, <const char *>mask, 4)
            memcpy(a[i].eth, <const char *>eth, 6)
        free(self.entries)
        self.entries = a
        self.nentries = len(table)
        self.table_list = table

    def initialize(self):
        self.pool = pool_default()

    cdef const uint8_t *_lookup(self, uint32_t ip) noexcept nogil:
        cdef uint32_t i
        for i in range(self.nentries):
            if (ip & self.entries[i].mask) == self.entries[i].dst:
                return self.entries[i].eth
        return NULL

    cdef Packet *_respond(self, Packet *p) noexcept nogil:
        """The reply to ``p``, or NULL when ``p`` is not a request we answer."""
        cdef const uint8_t *a = arp_message(p, ARPOP_REQUEST)
        cdef const uint8_t *eth
        cdef Packet *q
        if a == NULL:
            return NULL
        eth = self._lookup(load_raw32(a + ARP_TPA))
        if eth == NULL:
            return NULL
        # to the asker, from us: "TPA is at ETH"
        q = arp_make(self.pool, p, a + ARP_SHA, eth, ARPOP_REPLY, eth, a + ARP_TPA,
                     a + ARP_SHA, a + ARP_SPA)
        if q != NULL:
            q.device = p.device
        return q

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        cdef Emitter em
        cdef uint32_t i
        cdef Packet *q
        emit_init(&em)
        for i in range(b.n):
            q = self._respond(b.p[i])
            if q != NULL:
                pkt_kill(b.p[i])
                emit(self, &em, 0, q)
            else:
                emit(self, &em, 1, b.p[i])      # dropped when output 1 is unused
        b.n = 0
        emit_flush(self, &em)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        cdef Batch rest
        cdef uint32_t i, keep = 0
        cdef Packet *q
        if self.input_pull(0, b, max) == 0:
            return 0
        rest.n = 0
        for i in range(b.n):
            q = self._respond(b.p[i])
            if q != NULL:
                pkt_kill(b.p[i])
                b.p[keep] = q
                keep += 1
            else:
                rest.p[rest.n] = b.p[i]
                rest.n += 1
        b.n = keep
        if rest.n:
            self.output_push(1, &rest)
        return keep

    # -- handlers --------------------------------------------------------------------
    def add_handlers(self):
        self.add_read_handler("table", self._table)
        self.add_read_handler("lookup", self._read_lookup, param=True)
        self.add_write_handler("add", self._write_add)
        self.add_write_handler("remove", self._write_remove)

    def _table(self):
        return "".join(f"{format_ip_prefix(d, m)} {format_ether(e)}\n"
                       for d, m, e in self.table_list)

    def _read_lookup(self, param):
        cdef bytes ip
        cdef uint32_t a
        cdef const uint8_t *eth
        try:
            ip = self.parse_value(IPAddress, param)
        except ValueError:
            raise ValueError("expected IP address") from None
        memcpy(&a, <const char *>ip, 4)
        eth = self._lookup(a)
        return "" if eth == NULL else format_ether((<const char *>eth)[:6])

    def _write_add(self, value):
        self._set_table(_normalize(self.table_list + _parse_entries(value, self.address_names)))

    def _write_remove(self, value):
        prefix = _parse_prefix(value.strip(), self.address_names)
        if prefix is None:
            raise ValueError("expected IP/MASK")
        addr, mask = prefix
        dst = bytes(a & m for a, m in zip(addr, mask))
        for i, (d, m, _) in enumerate(self.table_list):
            if d == dst and m == mask:
                self._set_table(self.table_list[:i] + self.table_list[i + 1:])
                return
        raise ValueError(f"{format_ip_prefix(dst, mask)} not found")
