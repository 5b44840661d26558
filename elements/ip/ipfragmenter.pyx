# ipfragmenter.pyx -- IPFragmenter: splits IPv4 packets larger than an MTU into fragments
import sys

from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.string cimport memcpy

from clickpy.runtime.checksum cimport csum
from clickpy.runtime.element cimport Element
from clickpy.runtime.headers cimport (
    IP_DF,
    IP_DST,
    IP_HLEN_MIN,
    IP_ID,
    IP_LEN,
    IP_MF,
    IP_OFF,
    IP_SRC,
    IP_SUM,
    ip_hlen,
    ip_len,
    load_be16,
    pkt_ip_header,
    store_be16,
)
from clickpy.runtime.inet cimport IPOPT_COPIED, IPOPT_EOL, IPOPT_NOP
from clickpy.runtime.packet cimport (
    ANNO_SIZE,
    BATCH_MAX,
    DEFAULT_HEADROOM,
    Batch,
    Packet,
    PacketPool,
    pkt_alloc,
    pkt_clone,
    pkt_kill,
    pkt_set_network_header,
    pkt_take,
    pkt_uniqueify,
    pool_default,
)
from clickpy.lang import values
from clickpy.runtime.args import MANDATORY, POSITIONAL, Arg, Bool, Unsigned


cdef uint32_t _copied_options(const uint8_t *ip, uint32_t hlen, uint8_t *out) noexcept nogil:
    """Bytes of the options of ``ip`` that RFC 791 3.2 copies into every
    fragment (copy flag set), padded with EOL to 32 bits; written to ``out``
    unless it is NULL."""
    cdef uint32_t i = IP_HLEN_MIN, n = 0, optlen
    cdef uint8_t opt
    while i < hlen:
        opt = ip[i]
        if opt == IPOPT_NOP:
            optlen = 1
        elif opt == IPOPT_EOL or i + 1 >= hlen:
            break
        else:
            optlen = ip[i + 1]
            if optlen < 2 or i + optlen > hlen:
                break
        if opt & IPOPT_COPIED:
            if out != NULL:
                memcpy(out + n, ip + i, optlen)
            n += optlen
        i += optlen
    while n & 3:
        if out != NULL:
            out[n] = IPOPT_EOL
        n += 1
    return n


cdef class IPFragmenter(Element):
    """
    =c
    IPFragmenter(MTU [, HONOR_DF, VERBOSE, HEADROOM])
    =s ip
    fragments large IP packets
    =io
    One input. Output 0: packets that fit and fragments. Output 1
    (optional): packets that need fragmenting but may not be fragmented.
    =processing
    Push.
    =d
    Expects IP packets with the network header annotation set. A packet
    whose bytes from the network header on number at most MTU leaves
    unchanged on output 0. A larger one is split into fragments (RFC 791
    section 2.3 and 3.2), sent in order on output 0: the first keeps the
    whole header, options included, and any bytes before the network
    header; the others carry the 20-byte header plus the options whose copy
    flag is set, padded to 32 bits, and only IP data. Every fragment's data
    but the last is a multiple of 8 bytes; offsets, the MF flag (kept on
    the last fragment when the packet was itself a non-final fragment),
    total lengths and header checksums are set. Annotations are copied to
    every fragment.

    A packet with DF set (with HONOR_DF), or whose header leaves fewer than
    8 data bytes in MTU, goes to output 1 unchanged, or is dropped when
    output 1 is not connected; connect ICMPError(..., unreachable,
    needfrag) there. The first five such packets print a message (every
    one with VERBOSE). With HONOR_DF false a DF packet is fragmented
    anyway, with DF cleared and a new random IP identifier.
    =item MTU
    Unsigned, at least 8. Largest packet, IP header included. Mandatory.
    =item HONOR_DF
    Boolean. Respect the DF flag. Default is true.
    =item VERBOSE
    Boolean. Print a message for every packet sent to output 1. Default is
    false.
    =item HEADROOM
    Unsigned. Headroom of the second and later fragments. Default is 128.
    =n
    Packets without a 20-byte network header leave unchanged on output 0.
    Too-large packets whose IP header length or total length is
    inconsistent go to output 1 and are counted in drops; those whose IP
    total length fits in MTU (link-level padding made them large) leave
    unchanged on output 0. The default HEADROOM is clickpy's.
    =e
      ... -> fr :: IPFragmenter(1024) -> Queue(20) -> ...
      fr[1] -> ICMPError(18.26.4.24, unreachable, needfrag, PMTU 1024) -> ...
    =h drops read-only
    Number of packets sent to output 1.
    =h fragments read-only
    Number of fragments made, first fragments included.
    =a ICMPError, IPReassembler, CheckLength
    """
    port_count = "1/1-2"
    processing = "h/h"
    ARGS = (Arg("MTU", Unsigned, MANDATORY | POSITIONAL),
            Arg("HONOR_DF", Bool, POSITIONAL, default=True),
            Arg("VERBOSE", Bool, POSITIONAL, default=False),
            Arg("HEADROOM", Unsigned, default=DEFAULT_HEADROOM))

    cdef uint32_t mtu               # MTU, bytes
    cdef bint honor_df              # HONOR_DF
    cdef bint verbose               # VERBOSE
    cdef uint32_t headroom          # HEADROOM for new fragments
    cdef uint64_t n_drops           # packets sent to output 1
    cdef uint64_t n_fragments       # fragments made
    cdef uint64_t rng               # xorshift state for replacement IP identifiers
    cdef PacketPool *pool

    def configure(self, args):
        if args.MTU < 8:
            raise ValueError("MTU must be at least 8")
        self.mtu = args.MTU
        self.honor_df = args.HONOR_DF
        self.verbose = args.VERBOSE
        self.headroom = args.HEADROOM
        self.rng = 0x9E3779B97F4A7C15

    def initialize(self):
        self.pool = pool_default()

    cdef uint16_t _random_id(self) noexcept nogil:
        self.rng ^= self.rng << 13
        self.rng ^= self.rng >> 7
        self.rng ^= self.rng << 17
        return <uint16_t>(self.rng >> 16)

    cdef void _complain(self, const uint8_t *ip, uint32_t length) noexcept nogil:
        with gil:
            src = values.format_ip(bytes(ip[IP_SRC:IP_SRC + 4]))
            dst = values.format_ip(bytes(ip[IP_DST:IP_DST + 4]))
            sys.stderr.write(f"IPFragmenter({self.mtu}) DF {src} {dst} len={length}\n")

    cdef inline void _emit(self, Batch *out, Packet *q) noexcept nogil:
        out.p[out.n] = q
        out.n += 1
        if out.n == BATCH_MAX:
            self.output_push(0, out)
            out.n = 0

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        cdef Batch out, df
        cdef uint32_t i
        cdef Packet *p
        cdef uint8_t *ip
        out.n = df.n = 0
        for i in range(b.n):
            p = b.p[i]
            ip = pkt_ip_header(p)
            if ip == NULL or <uint32_t>(p.data + p.length - ip) <= self.mtu:
                self._emit(&out, p)
            elif not self._fragment(p, &out):
                df.p[df.n] = p
                df.n += 1
                if df.n == BATCH_MAX:
                    self.output_push(1, &df)
                    df.n = 0
        b.n = 0
        if out.n:
            self.output_push(0, &out)
        if df.n:
            self.output_push(1, &df)

    cdef bint _fragment(self, Packet *p, Batch *out) noexcept nogil:
        """Fragments ``p`` into ``out``; False when it belongs on output 1."""
        cdef uint8_t *ip = pkt_ip_header(p)
        cdef uint8_t *qip
        cdef uint32_t nlen = <uint32_t>(p.data + p.length - ip)
        cdef uint32_t hlen = ip_hlen(ip)
        cdef int64_t first_dlen = (<int64_t>self.mtu - hlen) & ~7
        cdef int64_t in_dlen, off, out_dlen
        cdef uint32_t out_hlen, nh_off
        cdef uint16_t ip_off
        cdef bint had_mf
        cdef Packet *q
        if hlen < IP_HLEN_MIN or hlen > nlen or ip_len(ip) < hlen \
                or (self.honor_df and load_be16(ip + IP_OFF) & IP_DF) or first_dlen < 8:
            if self.verbose or self.n_drops < 5:
                self._complain(ip, p.length)
            self.n_drops += 1
            return False
        in_dlen = (ip_len(ip) if ip_len(ip) < nlen else nlen) - <int64_t>hlen
        if in_dlen <= first_dlen:
            self._emit(out, p)              # padding made it large; the datagram fits
            return True
        nh_off = <uint32_t>(ip - p.data)
        if pkt_uniqueify(p) < 0:
            pkt_kill(p)
            return True
        ip = p.data + nh_off
        # the first fragment: the packet itself, cut after first_dlen data bytes
        ip_off = load_be16(ip + IP_OFF)
        if ip_off & IP_DF:                  # not honoured: the identifier is not safe
            store_be16(ip + IP_ID, self._random_id())
            ip_off &= ~IP_DF
        had_mf = (ip_off & IP_MF) != 0
        ip_off |= IP_MF
        store_be16(ip + IP_OFF, ip_off)
        store_be16(ip + IP_LEN, <uint16_t>(hlen + first_dlen))
        store_be16(ip + IP_SUM, 0)
        store_be16(ip + IP_SUM, csum(ip, hlen))
        q = pkt_clone(p)
        if q == NULL:
            pkt_kill(p)
            return True
        pkt_take(q, q.length - nh_off - hlen - <uint32_t>first_dlen)
        self._emit(out, q)
        self.n_fragments += 1
        # the rest: basic header plus copied options, then the data
        out_hlen = IP_HLEN_MIN + _copied_options(ip, hlen, NULL)
        off = first_dlen
        while off < in_dlen:
            out_dlen = (<int64_t>self.mtu - out_hlen) & ~7
            if out_dlen + off > in_dlen:
                out_dlen = in_dlen - off
            q = pkt_alloc(self.pool, out_hlen + <uint32_t>out_dlen, self.headroom)
            if q != NULL:
                qip = q.data
                memcpy(qip, ip, IP_HLEN_MIN)
                _copied_options(ip, hlen, qip + IP_HLEN_MIN)
                memcpy(qip + out_hlen, ip + hlen + off, <size_t>out_dlen)
                qip[0] = <uint8_t>(0x40 | (out_hlen >> 2))
                if out_dlen + off >= in_dlen and not had_mf:
                    store_be16(qip + IP_OFF, <uint16_t>((ip_off + (off >> 3)) & ~IP_MF))
                else:
                    store_be16(qip + IP_OFF, <uint16_t>(ip_off + (off >> 3)))
                store_be16(qip + IP_LEN, <uint16_t>(out_hlen + out_dlen))
                store_be16(qip + IP_SUM, 0)
                store_be16(qip + IP_SUM, csum(qip, out_hlen))
                memcpy(q.anno, p.anno, ANNO_SIZE)
                q.timestamp_ns = p.timestamp_ns
                q.packet_type = p.packet_type
                q.device = p.device
                pkt_set_network_header(q, qip, out_hlen)
                self._emit(out, q)
                self.n_fragments += 1
            off += out_dlen
        pkt_kill(p)
        return True

    def add_handlers(self):
        self.add_read_handler("drops", lambda: self.n_drops)
        self.add_read_handler("fragments", lambda: self.n_fragments)
