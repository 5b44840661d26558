# ipgwoptions.pyx -- IPGWOptions: updates Record Route and Timestamp options as a router must
from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy

from clickpy.runtime.checksum cimport csum
from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_HLEN_MIN,
    IP_SUM,
    ip_hlen,
    load_raw32,
    pkt_ip_header,
    store_be16,
    store_be32,
)
from clickpy.runtime.inet cimport (
    IPOPT_EOL,
    IPOPT_NOP,
    IPOPT_RR,
    IPOPT_TS,
    IPOPT_TS_PRESPEC,
    IPOPT_TS_TSANDADDR,
    IPOPT_TS_TSONLY,
)
from clickpy.runtime.packet cimport ANNO_ICMP_PARAMPROB, Batch, Packet, pkt_uniqueify
from clickpy.runtime.args import MANDATORY, POSITIONAL, Arg, IPAddress, IPAddressList


cdef class IPGWOptions(Element):
    """
    =c
    IPGWOptions(MYADDR [, OTHERADDRS])
    =s ip
    processes router IP options
    =io
    One input. Output 0: packets, options updated. Output 1 (optional):
    packets with bad options.
    =processing
    Agnostic; output 1 is push.
    =d
    Expects IP packets with the network header annotation set, and
    processes the options every router handles (RFC 791 3.1, RFC 1812
    4.2.2.2): Record Route, where it records MYADDR, the address of the
    interface the packet leaves by; and Timestamp, where it records the
    time in milliseconds since midnight UT (flag 0), MYADDR and the time
    (flag 1), or the time after a prespecified address that is MYADDR or in
    OTHERADDRS (flag 3). A full Timestamp option gets its overflow count
    raised. Other options, the source routes included, are left alone. The
    header checksum is recomputed when anything changed.

    A bad option (a length below 2 or past the header, a Record Route or
    Timestamp pointer out of range, an unknown Timestamp flag, an overflow
    count that would pass 15) sends the packet unchanged to output 1, or
    drops it when output 1 is not connected, with the ICMP parameter problem
    annotation set to the offset of the offending byte from the start of
    the IP header; ICMPError(..., parameterproblem) turns it into the
    message.
    =item MYADDR
    IP address. This router's address on the outgoing interface. Mandatory.
    =item OTHERADDRS
    Space-separated IP addresses. The router's other addresses, for
    prespecified timestamps. Default is empty.
    =n
    Every option is checked before any is changed, so packets sent to
    output 1 are unchanged (Click may already have updated earlier options).
    A full prespecified (flag 3) Timestamp option raises the overflow count
    as RFC 791 says, where Click reports a parameter problem. A Record
    Route option shorter than 3 bytes, or a Timestamp option shorter than
    4, is a parameter problem at its pointer. Packets without a 20-byte
    network header, or whose header length exceeds the packet, pass
    unchanged.
    =e
      ... -> gio :: IPGWOptions(18.26.4.24) -> FixIPSrc(18.26.4.24) -> ...
      gio[1] -> ICMPError(18.26.4.24, parameterproblem) -> ...
    =h drops read-only
    Number of packets with bad options.
    =a ICMPError, FixIPSrc, CheckIPHeader
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = (Arg("MYADDR", IPAddress, MANDATORY | POSITIONAL),
            Arg("OTHERADDRS", IPAddressList, POSITIONAL, default=[]))

    cdef uint8_t myaddr[4]          # MYADDR, network order
    cdef uint32_t *addrs            # MYADDR and OTHERADDRS, raw 32-bit words
    cdef uint32_t n_addrs
    cdef uint64_t n_drops           # packets with bad options

    def __cinit__(self):
        self.addrs = NULL
        self.n_addrs = 0

    def __dealloc__(self):
        free(self.addrs)

    def configure(self, args):
        cdef bytes b
        addrs = list(args.OTHERADDRS) + [args.MYADDR]
        buf = <uint32_t *>malloc(len(addrs) * sizeof(uint32_t))
        if buf == NULL:
            raise MemoryError()
        for i, a in enumerate(addrs):
            b = a
            memcpy(&buf[i], <char *>b, 4)
        free(self.addrs)
        self.addrs = buf
        self.n_addrs = len(addrs)
        b = args.MYADDR
        memcpy(self.myaddr, <char *>b, 4)

    cdef bint _mine(self, const uint8_t *addr) noexcept nogil:
        cdef uint32_t i, raw = load_raw32(addr)
        for i in range(self.n_addrs):
            if self.addrs[i] == raw:
                return True
        return False

    cdef int _walk(self, uint8_t *ip, uint32_t hlen, bint write) noexcept nogil:
        """Checks (write False) or updates (write True) the options; returns
        the offset of a bad byte, 0 when all is well, -1 when there is
        nothing to update."""
        cdef uint32_t oi = IP_HLEN_MIN, xlen, ptr, oflw, flg
        cdef int64_t t = now_ns()
        cdef uint32_t ms = <uint32_t>(((t // 1000000000) % 86400) * 1000
                                      + (t % 1000000000) // 1000000)
        cdef int result = -1
        while oi < hlen:
            if ip[oi] == IPOPT_NOP:
                oi += 1
                continue
            if ip[oi] == IPOPT_EOL:
                break
            if oi + 1 >= hlen:
                return <int>oi + 1
            xlen = ip[oi + 1]
            if xlen < 2 or oi + xlen > hlen:
                return <int>oi + 1
            if ip[oi] == IPOPT_RR:
                if xlen < 3:
                    return <int>oi + 2
                ptr = ip[oi + 2] - 1u       # 1-origin pointer (RFC 791)
                if ip[oi + 2] >= 4 and ptr + 4 <= xlen:
                    result = 0
                    if write:
                        memcpy(ip + oi + ptr, self.myaddr, 4)
                        ip[oi + 2] += 4
                elif ip[oi + 2] == 0 or ptr != xlen:
                    return <int>oi + 2      # full is fine; anything else is not
            elif ip[oi] == IPOPT_TS:
                if xlen < 4 or ip[oi + 2] < 5:
                    return <int>oi + 2
                ptr = ip[oi + 2] - 1u
                oflw = ip[oi + 3] >> 4
                flg = ip[oi + 3] & 0x0F
                if flg != IPOPT_TS_TSONLY and flg != IPOPT_TS_TSANDADDR \
                        and flg != IPOPT_TS_PRESPEC:
                    return <int>oi + 3
                result = 0
                if flg == IPOPT_TS_TSONLY and ptr + 4 <= xlen:
                    if write:
                        store_be32(ip + oi + ptr, ms)
                        ip[oi + 2] += 4
                elif flg == IPOPT_TS_TSANDADDR and ptr + 8 <= xlen:
                    if write:
                        memcpy(ip + oi + ptr, self.myaddr, 4)
                        store_be32(ip + oi + ptr + 4, ms)
                        ip[oi + 2] += 8
                elif flg == IPOPT_TS_PRESPEC and ptr + 8 <= xlen:
                    if write and self._mine(ip + oi + ptr):
                        store_be32(ip + oi + ptr + 4, ms)
                        ip[oi + 2] += 8
                elif oflw >= 15:            # full, and the overflow count too
                    return <int>oi + 3
                elif write:
                    ip[oi + 3] = <uint8_t>(((oflw + 1) << 4) | flg)
            oi += xlen
        return result

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>IPGWOptions.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>IPGWOptions.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip = pkt_ip_header(p)
        cdef uint32_t hlen, nh_off
        cdef int bad
        if ip == NULL:
            return 0
        hlen = ip_hlen(ip)
        if hlen <= IP_HLEN_MIN or hlen > <uint32_t>(p.data + p.length - ip):
            return 0
        bad = self._walk(ip, hlen, False)
        if bad > 0:
            self.n_drops += 1
            p.anno[ANNO_ICMP_PARAMPROB] = <uint8_t>bad
            return 1
        if bad < 0:
            return 0                        # no option for us
        nh_off = <uint32_t>(ip - p.data)
        if pkt_uniqueify(p) < 0:
            return DROP
        ip = p.data + nh_off
        self._walk(ip, hlen, True)
        store_be16(ip + IP_SUM, 0)
        store_be16(ip + IP_SUM, csum(ip, hlen))
        return 0

    def add_handlers(self):
        self.add_read_handler("drops", lambda: self.n_drops)
