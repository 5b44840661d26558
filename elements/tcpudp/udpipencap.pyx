# udpipencap.pyx -- UDPIPEncap: wraps packets in fixed UDP and IPv4 headers
from libc.stdint cimport uint8_t, uint16_t, uint32_t
from libc.string cimport memcpy

from clickpy.runtime.checksum cimport csum
from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_DST,
    IP_HLEN_MIN,
    IP_PROTO_UDP,
    IP_SRC,
    IP_SUM,
    UDP_DPORT,
    UDP_HLEN,
    UDP_LEN,
    UDP_SPORT,
    UDP_SUM,
    store_be16,
)
from clickpy.runtime.inet cimport csum_transport
from clickpy.runtime.packet cimport ANNO_DST_IP, Batch, Packet, pkt_push, pkt_set_network_header
from clickpy.lang import values
from clickpy.runtime import nameinfo
from clickpy.runtime.args import MANDATORY, POSITIONAL, Arg, ArgType, Bool, IPAddress


class UDPPortArg(ArgType):
    """A UDP port: an integer 0-65535 or one of Click's port names."""

    name = "port number"

    def parse(self, text):
        number = nameinfo.port(text, "udp")
        if number is not None:
            return number
        try:
            return values.parse_unsigned(text, 16)
        except ValueError:
            raise ValueError("expected port number") from None


class DstArg(ArgType):
    """An IP address, or DST_ANNO (None): take the destination annotation."""

    name = "IP address or DST_ANNO"

    def parse(self, text):
        return self.parse_in(text, None)

    def parse_in(self, text, names):
        if text == "DST_ANNO":
            return None
        return IPAddress.parse_in(text, names)


cdef class UDPIPEncap(Element):
    """
    =c
    UDPIPEncap(SRC, SPORT, DST, DPORT [, CHECKSUM])
    =s udp
    encapsulates packets in static UDP/IP headers
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Puts a UDP header and a 20-byte IPv4 header in front of each packet:
    source SRC port SPORT, destination DST port DPORT, time-to-live 250,
    TOS 0, no fragment flags, and an IP identifier that counts up from 0.
    The IP checksum is always set; the UDP checksum (pseudo-header
    included, RFC 768) is set when CHECKSUM is true and is 0 otherwise.
    Sets the network header annotation, and the destination IP annotation
    to DST.

    When DST is the word DST_ANNO, the destination address is taken from
    each packet's destination IP annotation instead.
    =item SRC
    IP address. Source address. Mandatory.
    =item SPORT
    Port number 0-65535 (or a name such as dns). Source port. Mandatory.
    =item DST
    IP address, or DST_ANNO. Destination address. Mandatory.
    =item DPORT
    Port number 0-65535, or a name (Click's list, then /etc/services).
    Destination port. Mandatory.
    =item CHECKSUM
    Boolean. Compute the UDP checksum. Default is true.
    =n
    A computed UDP checksum of zero is stored as 0xFFFF (RFC 768); Click
    stores 0. Packets that cannot get 28 bytes of headroom because the
    packet pool is empty are dropped.
    =e
      UDPIPEncap(1.0.0.1, 1234, 2.0.0.2, 1234)
    =h src read/write
    Same as SRC.
    =h sport read/write
    Same as SPORT.
    =h dst read/write
    Same as DST (0.0.0.0 when DST_ANNO).
    =h dport read/write
    Same as DPORT.
    =a Strip, IPEncap, SetUDPChecksum, CheckUDPHeader
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("SRC", IPAddress, MANDATORY | POSITIONAL),
            Arg("SPORT", UDPPortArg(), MANDATORY | POSITIONAL),
            Arg("DST", DstArg(), MANDATORY | POSITIONAL),
            Arg("DPORT", UDPPortArg(), MANDATORY | POSITIONAL),
            Arg("CHECKSUM", Bool, POSITIONAL, default=True))

    cdef uint8_t saddr[4]       # SRC, network order
    cdef uint8_t daddr[4]       # DST, network order (zero with DST_ANNO)
    cdef uint16_t sport         # SPORT
    cdef uint16_t dport         # DPORT
    cdef bint use_dst_anno      # DST is DST_ANNO
    cdef bint checksum          # CHECKSUM
    cdef uint16_t ip_id         # next IP identifier

    def configure(self, args):
        self._set_src(args.SRC)
        self._set_dst(args.DST)
        self.sport = args.SPORT
        self.dport = args.DPORT
        self.checksum = args.CHECKSUM

    def _set_src(self, bytes addr):
        memcpy(self.saddr, <char *>addr, 4)

    def _set_dst(self, addr):
        self.use_dst_anno = addr is None
        cdef bytes b = b"\0\0\0\0" if addr is None else addr
        memcpy(self.daddr, <char *>b, 4)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>UDPIPEncap.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>UDPIPEncap.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip
        cdef uint8_t *udp
        cdef uint32_t length
        cdef uint16_t s
        if pkt_push(p, IP_HLEN_MIN + UDP_HLEN) < 0:
            return DROP
        ip = p.data
        udp = ip + IP_HLEN_MIN
        ip[0] = 0x45                        # version 4, 5 words
        ip[1] = 0                           # TOS
        store_be16(ip + 2, <uint16_t>p.length)
        store_be16(ip + 4, self.ip_id)
        self.ip_id += 1
        store_be16(ip + 6, 0)               # no flags, offset 0
        ip[8] = 250                         # TTL, as Click
        ip[9] = IP_PROTO_UDP
        store_be16(ip + IP_SUM, 0)
        memcpy(ip + IP_SRC, self.saddr, 4)
        if self.use_dst_anno:
            memcpy(ip + IP_DST, p.anno + ANNO_DST_IP, 4)
        else:
            memcpy(ip + IP_DST, self.daddr, 4)
            memcpy(p.anno + ANNO_DST_IP, self.daddr, 4)
        store_be16(ip + IP_SUM, csum(ip, IP_HLEN_MIN))
        pkt_set_network_header(p, ip, IP_HLEN_MIN)
        length = p.length - IP_HLEN_MIN
        store_be16(udp + UDP_SPORT, self.sport)
        store_be16(udp + UDP_DPORT, self.dport)
        store_be16(udp + UDP_LEN, <uint16_t>length)
        store_be16(udp + UDP_SUM, 0)
        if self.checksum:
            s = csum_transport(ip, IP_PROTO_UDP, udp, length)
            store_be16(udp + UDP_SUM, s if s != 0 else 0xFFFF)
        return 0

    def add_handlers(self):
        self.add_read_handler("src", lambda: values.format_ip(bytes(self.saddr[:4])))
        self.add_write_handler("src", lambda v: self._set_src(self.parse_value(IPAddress, v)))
        self.add_read_handler("sport", lambda: self.sport)
        self.add_write_handler("sport", self._write_sport)
        self.add_read_handler("dst", lambda: values.format_ip(bytes(self.daddr[:4])))
        self.add_write_handler("dst", lambda v: self._set_dst(self.parse_value(DstArg(), v)))
        self.add_read_handler("dport", lambda: self.dport)
        self.add_write_handler("dport", self._write_dport)

    def _write_sport(self, value):
        self.sport = UDPPortArg().parse(value.strip())

    def _write_dport(self, value):
        self.dport = UDPPortArg().parse(value.strip())
