# storeipaddress.pyx -- StoreIPAddress: writes an IPv4 address into packet data
from libc.stdint cimport uint8_t, uint32_t
from libc.string cimport memcpy

from clickpy.runtime.checksum cimport csum_replace32
from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_DST,
    IP_HLEN_MIN,
    IP_OFF,
    IP_OFFMASK,
    IP_PROTO,
    IP_PROTO_TCP,
    IP_PROTO_UDP,
    IP_SRC,
    IP_SUM,
    TCP_SUM,
    UDP_SUM,
    load_be16,
    load_be32,
    pkt_ip_header,
    pkt_tcp_header,
    pkt_udp_header,
)
from clickpy.runtime.packet cimport ANNO_DST_IP, Batch, Packet, pkt_uniqueify
from clickpy.runtime.args import POSITIONAL, AnyArg, Arg, IPAddress
from clickpy.lang import values

cdef enum:
    TO_OFFSET = 0               # a byte offset in the packet data
    TO_IP_SRC = 1               # the marked IP header's source field
    TO_IP_DST = 2               # its destination field


cdef class StoreIPAddress(Element):
    """
    =c
    StoreIPAddress([ADDR,] OFFSET)
    =s ip
    stores IP address in packet
    =io
    One input. Output 0: packets written to. Output 1 (optional): packets
    OFFSET does not fit.
    =processing
    Agnostic; output 1 is push.
    =d
    With one argument, writes each packet's destination IP address
    annotation into the packet, OFFSET bytes in; a packet whose annotation
    is 0.0.0.0 passes unchanged. With two, writes ADDR (which may be
    0.0.0.0) instead.

    OFFSET may also be "src" or "dst": the address then goes into the
    source or destination field of the IP header the network header
    annotation marks, and the IP header checksum, plus the TCP checksum or
    a non-zero UDP checksum of a first fragment, are patched incrementally
    (RFC 1624). With "src" or "dst" a 0.0.0.0 annotation is written too.
    Other offsets change no checksum (see SetIPChecksum).

    Packets the address does not fit in (four bytes past OFFSET, or a
    20-byte marked IP header) leave on output 1, or are dropped when
    output 1 is not connected.
    =item ADDR
    IP address or AddressInfo name. The address to store. Default is the
    destination IP address annotation.
    =item OFFSET
    Unsigned, "src" or "dst". Where to store it. Mandatory.
    =n
    Click's code sends a packet whose annotation is zero to output 1 when
    it has no network header, and otherwise writes the zero address
    OFFSET bytes before its network header; clickpy passes it unchanged,
    as Click's manual says. Packets whose offset does not fit always go to
    output 1. Packets that cannot be unshared for lack of buffers are
    dropped.
    =e
      ... -> StoreIPAddress(10.0.0.1, src) -> ...
    =a SetIPChecksum, SetTCPChecksum, SetUDPChecksum, GetIPAddress,
    SetIPAddress, IPAddrRewriter
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = (Arg("ADDR", AnyArg, POSITIONAL),
            Arg("OFFSET", AnyArg, POSITIONAL))

    cdef bint use_address       # ADDR given: store it, not the annotation
    cdef uint8_t addr[4]        # ADDR, network order
    cdef int target             # TO_*
    cdef uint32_t offset        # OFFSET when a number

    def configure(self, args):
        addr, offset = args.ADDR, args.OFFSET
        if offset is None and addr is not None:     # one argument: it is OFFSET
            addr, offset = None, addr
        if offset is None:
            raise ValueError("OFFSET: required argument missing")
        if addr is not None:
            try:
                a = IPAddress.parse_in(addr, self.address_names)
            except ValueError as e:
                raise ValueError(f"ADDR: {e}") from None
        word = offset.lower()
        if word in ("src", "dst"):
            target, n = (TO_IP_SRC if word == "src" else TO_IP_DST), 0
        else:
            try:
                n = values.parse_unsigned(offset, 32)
            except ValueError:
                raise ValueError("type mismatch: OFFSET requires integer") from None
            target = TO_OFFSET
        self.use_address = addr is not None
        if addr is not None:
            memcpy(self.addr, <const char *>a, 4)
        self.target = target
        self.offset = n

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>StoreIPAddress.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>StoreIPAddress.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef const uint8_t *src = p.anno + ANNO_DST_IP
        if self.use_address:
            src = &self.addr[0]
        if self.target == TO_OFFSET:
            if not self.use_address and src[0] == 0 and src[1] == 0 \
                    and src[2] == 0 and src[3] == 0:
                return 0                    # no annotation: nothing to store
            if p.length < 4 or self.offset > p.length - 4:
                return 1
            if pkt_uniqueify(p) < 0:
                return DROP
            memcpy(p.data + self.offset, src, 4)
            return 0
        if pkt_ip_header(p) == NULL or p.transport_off - p.network_off < IP_HLEN_MIN:
            return 1
        if pkt_uniqueify(p) < 0:
            return DROP
        self._store_in_header(p, src)
        return 0

    cdef void _store_in_header(self, Packet *p, const uint8_t *src) noexcept nogil:
        cdef uint8_t *ip = pkt_ip_header(p)
        cdef uint8_t *field = ip + (IP_SRC if self.target == TO_IP_SRC else IP_DST)
        cdef uint8_t *th
        cdef uint32_t old = load_be32(field)
        cdef uint32_t new
        memcpy(field, src, 4)
        new = load_be32(field)
        csum_replace32(ip + IP_SUM, old, new)
        if load_be16(ip + IP_OFF) & IP_OFFMASK:
            return                          # later fragments carry no transport header
        # the TCP and UDP checksums cover the addresses (pseudo-header, RFC 793, 768)
        if ip[IP_PROTO] == IP_PROTO_TCP:
            th = pkt_tcp_header(p)
            if th != NULL:
                csum_replace32(th + TCP_SUM, old, new)
        elif ip[IP_PROTO] == IP_PROTO_UDP:
            th = pkt_udp_header(p)
            if th != NULL and load_be16(th + UDP_SUM) != 0:   # zero: no checksum
                csum_replace32(th + UDP_SUM, old, new)
