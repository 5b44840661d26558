# arpquerier.pyx -- ARPQuerier: Ethernet-encapsulates IP packets, resolving next hops with ARP
import sys

from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy, memset

from clickpy.elements.ethernet.arp cimport arp_make, arp_message
from clickpy.elements.ethernet.arptable cimport ARPT_KNOWN_RETRY, ARPTableCore, arp_now_j
from clickpy.runtime.element cimport Element, Emitter, emit, emit_flush, emit_init
from clickpy.runtime.headers cimport (
    ARPOP_REPLY,
    ARPOP_REQUEST,
    ARP_SHA,
    ARP_SPA,
    ETHERTYPE_IP,
    ETHER_ARP_LEN,
    ETHER_HLEN,
    ETHER_SRC,
    ETHER_TYPE,
    load_be32,
    load_raw32,
    store_be16,
)
from clickpy.runtime.packet cimport (
    ANNO_DST_IP,
    Batch,
    Packet,
    PacketPool,
    pkt_kill,
    pkt_push,
    pkt_uniqueify,
    pool_default,
)
from clickpy.lang.values import format_ip, parse_ether
from clickpy.elements.ethernet.arptable import TABLE_ARGS, ARPTableCore as _PyCore
from clickpy.runtime.args import (
    MANDATORY,
    POSITIONAL,
    Arg,
    ArgType,
    Bool,
    ElementRef,
    EtherAddress,
    IPAddress,
    IPPrefix,
    Timestamp,
)

cdef uint8_t BROADCAST[6]
memset(BROADCAST, 0xFF, 6)


class _IPArg(ArgType):
    """IP: an address or prefix (or a name); keeps the text for the one-argument form."""

    name = "IP address prefix"

    def parse(self, text):
        return self.parse_in(text, None)

    def parse_in(self, text, names):
        return IPPrefix.parse_in(text, names) + (text,)


def _jiffies(int64_t ns):
    """A time as table jiffies (1 ms); 0 when Click could not count it."""
    if ns // 1000000000 >= 0xFFFFFFFF // 1000:
        return 0
    return ns // 1000000


cdef class ARPQuerier(Element):
    """
    =c
    ARPQuerier(IP, ETH [, CAPACITY, ENTRY_CAPACITY, ENTRY_PACKET_CAPACITY,
               CAPACITY_SLIM_FACTOR, TIMEOUT, BROADCAST, TABLE, POLL_TIMEOUT,
               BROADCAST_POLL])
    =s arp
    encapsulates IP packets in Ethernet headers found via ARP
    =io
    Input 0: IP packets. Input 1: ARP replies, Ethernet header included.
    Output 0: Ethernet frames. Output 1 (optional): ARP queries.
    =processing
    Push.
    =d
    Handles the sending side of ARP (RFC 826) for an interface with IP
    address IP and Ethernet address ETH. With one argument, a name that
    AddressInfo defines as both an IP and an Ethernet address gives both.

    Packets on input 0 are IP packets whose destination IP annotation is
    the next hop. Each gets an Ethernet header of type 0x0800 from ETH.
    When the next hop's Ethernet address is known, the packet leaves on
    output 0 at once. Packets for 255.255.255.255 or BROADCAST go to
    FF-FF-FF-FF-FF-FF; multicast addresses map to 01-00-5E and their low 23
    bits (RFC 1112 6.4); packets for 0.0.0.0 are dropped with a warning
    the first time. Any other packet is queued in the table and an ARP
    query (broadcast) is sent, at most ten a second for one address, one
    every two seconds after ten unanswered; later packets for the address
    queue behind it, and each may trigger a query within those limits.

    ARP replies on input 1 (hardware type Ethernet, protocol IPv4, not
    from a group address) record the sender's addresses and send the
    packets queued for them, in arrival order. Known entries older than
    POLL_TIMEOUT are renewed with a query sent straight to the known
    address (broadcast with BROADCAST_POLL) while packets keep flowing.

    Queries leave on output 1 when it exists, else on output 0. They carry
    the timestamp and VLAN TCI annotations of the packet that caused them.
    =item IP
    IP address or prefix. This interface's address; a prefix also gives
    the default BROADCAST. Mandatory.
    =item ETH
    Ethernet address. This interface's address. Mandatory.
    =item CAPACITY
    Unsigned. Packets the table holds at most; 0 means no limit. Default
    is 2048.
    =item ENTRY_CAPACITY
    Unsigned. Table entries at most; 0 means no limit. Default is 0.
    =item ENTRY_PACKET_CAPACITY
    Unsigned. Packets held for one address at most; 0 means no limit.
    Default is 0.
    =item CAPACITY_SLIM_FACTOR
    Unsigned, not 0. See ARPTable. Default is 2.
    =item TIMEOUT
    Time. Entries expire this long after their last reply; 0 means never.
    Default is 5 minutes.
    =item BROADCAST
    IP address. The local broadcast address. Default is the broadcast
    address of IP's prefix, or 255.255.255.255 for a bare address.
    =item TABLE
    Element name. An ARPTable (or another ARPQuerier) whose table to use;
    CAPACITY, ENTRY_CAPACITY, ENTRY_PACKET_CAPACITY, CAPACITY_SLIM_FACTOR
    and TIMEOUT are then ignored. Default is a table of its own.
    =item POLL_TIMEOUT
    Time. Renewal queries start this long after an entry's last reply; 0
    means never. Default is 1 minute.
    =item BROADCAST_POLL
    Boolean. Broadcast the renewal queries. Default is false.
    =n
    Times have Click's user-level resolution of 1 ms, and the table's
    expiry timer does not keep the router running. Packets on input 1 are
    always killed after reading. Live reconfiguration and the table_xml
    handler are not provided. Packets that cannot get an Ethernet header
    because the packet pool is empty count as drops.
    =e
      c :: Classifier(12/0806 20/0002, 12/0800, -);
      a :: ARPQuerier(18.26.4.24, 00:00:C0:AE:67:EF);
      c[0] -> [1]a;
      c[1] -> Strip(14) -> CheckIPHeader -> GetIPAddress(16) -> [0]a;
      a -> Queue -> ToDump(out.pcap);
    =h ipaddr read/write
    Same as IP (the address).
    =h broadcast read/write
    Same as BROADCAST.
    =h table read-only
    The table, as ARPTable's table handler.
    =h stats read-only
    "N packets killed" (this element's drops plus the table's) and "N ARP
    queries sent", one a line.
    =h queries read-only
    ARP queries sent.
    =h responses read-only
    Packets received on input 1 long enough to be ARP replies.
    =h drops read-only
    Packets this element dropped.
    =h count read-only
    Entries in the table.
    =h length read-only
    Packets held in the table.
    =h insert write-only
    Adds or updates a table entry, "IP ETH".
    =h delete write-only
    Marks the entry of an IP address invalid.
    =h clear write-only
    Empties the table and zeroes queries, responses and drops.
    =a ARPTable, ARPResponder, ARPPrint, AddressInfo
    """
    port_count = "2/1-2"
    processing = "h/h"
    flow_code = "xy/x"
    ARGS = (Arg("IP", _IPArg(), MANDATORY | POSITIONAL),
            Arg("ETH", EtherAddress, POSITIONAL)) + TABLE_ARGS + (
            Arg("BROADCAST", IPAddress),
            Arg("TABLE", ElementRef),
            Arg("POLL_TIMEOUT", Timestamp, default=60 * 1000000000),
            Arg("BROADCAST_POLL", Bool, default=False))

    cdef ARPTableCore table     # own table, or TABLE's
    cdef uint8_t my_en[6]       # ETH
    cdef uint32_t my_ip         # IP, memory order
    cdef uint32_t my_bcast      # BROADCAST, memory order
    cdef int64_t poll_timeout_j  # POLL_TIMEOUT, jiffies; 0: no renewal queries
    cdef bint broadcast_poll    # BROADCAST_POLL
    cdef bint own_table         # the table is this element's
    cdef bint zero_warned       # warned about a 0.0.0.0 next hop
    cdef uint64_t n_queries     # ARP queries sent
    cdef uint64_t n_responses   # input 1 packets long enough to read
    cdef uint64_t n_drops       # packets this element killed
    cdef PacketPool *pool
    cdef int64_t batch_now_j    # clock for the batch being pushed, jiffies

    def configure(self, args):
        addr, mask, text = args.IP
        if "ETH" in args:
            eth = args.ETH
        else:
            # one argument: a name for both addresses (Click reads it twice)
            try:
                eth = parse_ether(text)
            except ValueError:
                eth = self.address_names.lookup(text, "eth")
            if eth is None:
                raise ValueError("ETH: expected Ethernet address")
        if args.TABLE is not None:
            self.table = self._find_table(args.TABLE)
            self.own_table = False
        else:
            self.table = _PyCore()
            self.table.configure(args)
            self.own_table = True
        memcpy(self.my_en, <const char *>eth, 6)
        self.my_ip = _raw(addr)
        if args.BROADCAST is not None:
            self.my_bcast = _raw(args.BROADCAST)
        else:
            bcast = bytes(a | (~m & 0xFF) for a, m in zip(addr, mask))
            self.my_bcast = _raw(b"\xff\xff\xff\xff" if bcast == addr else bcast)
        self.poll_timeout_j = _jiffies(args.POLL_TIMEOUT)
        self.broadcast_poll = args.BROADCAST_POLL

    def _find_table(self, str name):
        prefix = self.name.rpartition("/")[0]
        e = None
        if prefix:
            e = self.router.element(f"{prefix}/{name}")
        if e is None:
            e = self.router.element(name)
        if e is None:
            raise ValueError(f"TABLE: no element named '{name}'")
        core = getattr(e, "arp_table_core", None)
        if core is None:
            raise ValueError(f"TABLE: element '{name}' is not an ARPTable")
        return core

    @property
    def arp_table_core(self):
        """This element's table (Click's cast to ARPTable); None before configure."""
        return self.table

    def initialize(self):
        self.pool = pool_default()
        if self.own_table:
            self.table.start_timer(self.router.driver)

    # -- the data path ---------------------------------------------------------
    cdef void _send_query_for(self, Packet *p, bint ether_dst_valid, Emitter *em) noexcept nogil:
        """An ARP request for ``p``'s destination annotation (unicast to the
        Ethernet destination ``p`` already has when ``ether_dst_valid``)."""
        cdef const uint8_t *dst = BROADCAST
        cdef Packet *q
        if ether_dst_valid and not self.broadcast_poll:
            dst = p.data
        q = arp_make(self.pool, p, dst, self.my_en, ARPOP_REQUEST, self.my_en,
                     <uint8_t *>&self.my_ip, NULL, &p.anno[ANNO_DST_IP])
        if q == NULL:
            return                          # pool empty (counted there)
        q.timestamp_ns = p.timestamp_ns
        self.n_queries += 1
        emit(self, em, self._noutputs - 1, q)

    cdef void _handle_ip(self, Packet *p, bint response, Emitter *em) noexcept nogil:
        cdef uint32_t dst_ip
        cdef uint32_t host
        cdef uint8_t *d
        cdef int r, _
        if self.my_ip == 0:
            pkt_kill(p)
            self.n_drops += 1
            return
        if response:
            if pkt_uniqueify(p) < 0:
                pkt_kill(p)
                self.n_drops += 1
                return
        else:
            if pkt_push(p, ETHER_HLEN) < 0:
                pkt_kill(p)
                self.n_drops += 1
                return
            store_be16(p.data + ETHER_TYPE, ETHERTYPE_IP)
        dst_ip = load_raw32(&p.anno[ANNO_DST_IP])
        d = p.data
        for _ in range(3):
            r = self.table.lookup(dst_ip, d, self.poll_timeout_j, self.batch_now_j)
            if r >= 0:
                if r > 0:
                    self._send_query_for(p, True, em)
                break
            if dst_ip == 0xFFFFFFFFU or dst_ip == self.my_bcast:
                memset(d, 0xFF, 6)
                break
            if (p.anno[ANNO_DST_IP] & 0xF0) == 0xE0:
                # RFC 1112 6.4: 01-00-5E, then the low 23 bits of the group
                host = load_be32(&p.anno[ANNO_DST_IP])
                d[0] = 0x01
                d[1] = 0x00
                d[2] = 0x5E
                d[3] = (host >> 16) & 0x7F
                d[4] = <uint8_t>(host >> 8)
                d[5] = <uint8_t>host
                break
            if dst_ip == 0:
                if not self.zero_warned:
                    self.zero_warned = True
                    self._warn_zero()
                self.n_drops += 1
                pkt_kill(p)
                return
            r = self.table.append_query(dst_ip, p)
            if r == ARPT_KNOWN_RETRY:
                continue                    # became known meanwhile: look again
            if r < 0:
                pkt_kill(p)
            elif r > 0:
                self._send_query_for(p, False, em)  # p waits in the table
            return
        else:
            pkt_kill(p)
            self.n_drops += 1
            return
        # the source last, in case ETH changed while the packet waited
        memcpy(d + ETHER_SRC, self.my_en, 6)
        emit(self, em, 0, p)

    cdef void _warn_zero(self) noexcept nogil:
        with gil:
            sys.stderr.write(f"{self.name} :: {self.class_name}: would query for 0.0.0.0; "
                             "missing dest IP addr annotation?\n")

    cdef void _handle_response(self, Packet *p, Emitter *em) noexcept nogil:
        cdef const uint8_t *a
        cdef Packet *waiting = NULL
        cdef Packet *nxt
        if p.length < ETHER_ARP_LEN:
            return
        self.n_responses += 1
        a = arp_message(p, ARPOP_REPLY)
        if a == NULL or a[ARP_SHA] & 0x01:      # a group address cannot be a host's
            return
        if self.table.insert(load_raw32(a + ARP_SPA), a + ARP_SHA, &waiting) < 0:
            return
        while waiting != NULL:              # in arrival order
            nxt = waiting.next
            waiting.next = NULL
            self._handle_ip(waiting, True, em)
            waiting = nxt

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        cdef Emitter em
        cdef uint32_t i
        emit_init(&em)
        self.batch_now_j = arp_now_j()
        for i in range(b.n):
            if port == 0:
                self._handle_ip(b.p[i], False, &em)
            else:
                self._handle_response(b.p[i], &em)
                pkt_kill(b.p[i])
        b.n = 0
        emit_flush(self, &em)

    # -- handlers --------------------------------------------------------------------
    def add_handlers(self):
        self.add_read_handler("table", lambda: self.table.table())
        self.add_read_handler("stats", self._stats)
        self.add_read_handler("count", lambda: self.table.entry_count)
        self.add_read_handler("length", lambda: self.table.packet_count)
        self.add_read_handler("queries", lambda: self.n_queries)
        self.add_read_handler("responses", lambda: self.n_responses)
        self.add_read_handler("drops", lambda: self.n_drops)
        self.add_read_handler("broadcast", lambda: format_ip(_bytes4(self.my_bcast)))
        self.add_write_handler("broadcast", self._write_broadcast)
        self.add_read_handler("ipaddr", lambda: format_ip(_bytes4(self.my_ip)))
        self.add_write_handler("ipaddr", self._write_ipaddr)
        self.add_write_handler("insert", lambda v: self.table.write_insert(v))
        self.add_write_handler("delete", lambda v: self.table.write_delete(v))
        self.add_write_handler("clear", self._clear, button=True)

    def _stats(self):
        return (f"{self.n_drops + self.table.drops} packets killed\n"
                f"{self.n_queries} ARP queries sent\n")

    def _write_broadcast(self, value):
        self.my_bcast = _raw(self.parse_value(IPAddress, value))

    def _write_ipaddr(self, value):
        self.my_ip = _raw(self.parse_value(IPAddress, value))

    def _clear(self, value):
        self.n_queries = self.n_drops = self.n_responses = 0
        self.table.clear_all()


cdef uint32_t _raw(bytes addr):
    cdef uint32_t a
    memcpy(&a, <const char *>addr, 4)
    return a


def _bytes4(uint32_t a):
    return (<char *>&a)[:4]
