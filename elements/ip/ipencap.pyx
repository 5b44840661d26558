# ipencap.pyx -- IPEncap: prepends a fixed IPv4 header to each packet
from libc.stdint cimport uint16_t, uint32_t, uint8_t
from libc.string cimport memcpy

from clickpy.runtime.checksum cimport csum
from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_DF,
    IP_DST,
    IP_HLEN_MIN,
    IP_ID,
    IP_LEN,
    IP_OFF,
    IP_PROTO,
    IP_SRC,
    IP_SUM,
    IP_TOS,
    IP_TTL,
    IP_VHL,
    store_be16,
)
from clickpy.runtime.packet cimport ANNO_DST_IP, Batch, Packet, pkt_push, pkt_set_network_header
from clickpy.runtime import nameinfo
from clickpy.runtime.args import (
    MANDATORY,
    POSITIONAL,
    AnyArg,
    Arg,
    ArgType,
    Bool,
    Int,
    IPAddress,
    Keyword,
    U8,
)
from clickpy.lang import values


def parse_proto(text):
    """An IP protocol: a number, one of Click's names, or a name /etc/protocols knows."""
    try:
        return values.parse_int(text, 32)
    except ValueError:
        pass
    proto = nameinfo.ip_proto(text)
    if proto is None:
        raise ValueError("expected IP protocol")
    return proto


class ProtoArg(ArgType):
    """PROTO's parser (Click's NamedIntArg for IP protocols)."""

    name = "IP protocol"

    def parse(self, text):
        return parse_proto(text)


cdef class IPEncap(Element):
    """
    =c
    IPEncap(PROTO, SRC, DST [, TOS, TTL, DSCP, ECT, CE, DF])
    =s ip
    encapsulates packets in static IP header
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Puts a 20-byte IPv4 header in front of each packet: protocol PROTO,
    source SRC, destination DST, total length the packet's new length, an
    identification that starts at 0 and grows by one a packet, and a
    correct checksum. Sets the network header annotation to the new header
    and the destination IP address annotation to DST. When DST is
    "DST_ANNO", the header's destination is each packet's destination
    address annotation instead. Most useful for IP-in-IP (protocol 4).
    =item PROTO
    Integer 0-255 or protocol name (tcp, udp, icmp, ipip, ...). Mandatory.
    =item SRC
    IP address or AddressInfo name. Source address. Mandatory.
    =item DST
    IP address, AddressInfo name or "DST_ANNO". Destination. Mandatory.
    =item TOS
    Integer 0-255. The whole TOS byte; excludes DSCP, ECT and CE. Default
    is 0.
    =item TTL
    Integer 0-255. Time to live. Default is 250.
    =item DSCP
    Integer 0-63. Differentiated services code point, the TOS byte's upper
    six bits. Default is 0.
    =item ECT
    Boolean or "2". True sets the ECN field to ECT(1) (value 1), "2" to
    ECT(0) (value 2), as Click does. Default is false.
    =item CE
    Boolean. Sets the ECN field to Congestion Experienced (3). Default is
    false.
    =item DF
    Boolean. Sets the Don't Fragment flag. Default is false.
    =n
    Click rejects DSCP 63 ("DSCP too large; max 63"); clickpy accepts it.
    A packet is dropped when no buffer is left to prepend the header.
    =e
      IPEncap(4, 18.26.4.24, 140.247.60.147)
      IPEncap(ipip, 18.26.4.24, DST_ANNO, DF true)
    =h src read/write
    The SRC address.
    =h dst read/write
    The DST address, or DST_ANNO.
    =a UDPIPEncap, StripIPHeader, CheckIPHeader
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("PROTO", ProtoArg(), MANDATORY | POSITIONAL),
            Arg("SRC", IPAddress, MANDATORY | POSITIONAL),
            Arg("DST", AnyArg, MANDATORY | POSITIONAL),
            Arg("TOS", Int),
            Arg("TTL", U8, default=250),
            Arg("DSCP", Int),
            Arg("ECT", Keyword),
            Arg("CE", Bool, default=False),
            Arg("DF", Bool, default=False))

    cdef uint8_t iph[20]        # the header template: all but length, id, checksum
    cdef bint use_dst_anno      # DST_ANNO: destination from the annotation
    cdef uint16_t next_id       # identification of the next packet

    def configure(self, args):
        proto = args.PROTO
        if proto < 0 or proto > 255:
            raise ValueError("bad IP protocol")
        dst = _parse_dst(args.DST, self.address_names)
        ect = 0
        if args.ECT is not None:
            try:
                ect = int(values.parse_bool(args.ECT))
            except ValueError:
                if args.ECT != "2":
                    raise ValueError(f"bad ECT value '{args.ECT}'") from None
                ect = 2
        tos, dscp = args.TOS, args.DSCP
        if tos is not None and dscp is not None:
            raise ValueError("cannot set both TOS and DSCP")
        if tos is not None and (ect or args.CE):
            raise ValueError("cannot set both TOS and ECN bits")
        if tos is not None and not 0 <= tos <= 255:
            raise ValueError("TOS too large; max 255")
        if dscp is not None and not 0 <= dscp <= 63:
            raise ValueError("DSCP too large; max 63")
        if ect and args.CE:
            raise ValueError("can set at most one ECN option")
        byte = tos if tos is not None else (dscp or 0) << 2
        byte |= (1 if ect == 1 else 2 if ect == 2 else 0) | (3 if args.CE else 0)
        header = bytearray(20)
        header[IP_VHL] = 0x45
        header[IP_TOS] = byte
        if args.DF:
            header[IP_OFF] = IP_DF >> 8
        header[IP_TTL] = args.TTL
        header[IP_PROTO] = proto
        header[IP_SRC:IP_SRC + 4] = args.SRC
        header[IP_DST:IP_DST + 4] = dst or bytes(4)
        cdef bytes template = bytes(header)
        memcpy(self.iph, <const char *>template, 20)
        self.use_dst_anno = dst is None

    def initialize(self):
        self.next_id = 0

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>IPEncap.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>IPEncap.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip
        if pkt_push(p, IP_HLEN_MIN) < 0:
            return DROP
        ip = p.data
        memcpy(ip, self.iph, IP_HLEN_MIN)
        if self.use_dst_anno:
            memcpy(ip + IP_DST, p.anno + ANNO_DST_IP, 4)
        else:
            memcpy(p.anno + ANNO_DST_IP, ip + IP_DST, 4)
        store_be16(ip + IP_LEN, <uint16_t>p.length)
        store_be16(ip + IP_ID, self.next_id)
        self.next_id += 1
        store_be16(ip + IP_SUM, csum(ip, IP_HLEN_MIN))
        pkt_set_network_header(p, ip, IP_HLEN_MIN)
        return 0

    def _address(self, int at):
        return values.format_ip(bytes(self.iph[at:at + 4]))

    def _write_src(self, text):
        cdef bytes a = self.parse_value(IPAddress, text)
        memcpy(self.iph + IP_SRC, <const char *>a, 4)

    def _write_dst(self, text):
        cdef bytes a
        dst = _parse_dst(text.strip(), self.address_names)
        a = dst or bytes(4)
        memcpy(self.iph + IP_DST, <const char *>a, 4)
        self.use_dst_anno = dst is None

    def add_handlers(self):
        self.add_read_handler("src", lambda: self._address(IP_SRC))
        self.add_read_handler(
            "dst", lambda: "DST_ANNO" if self.use_dst_anno else self._address(IP_DST))
        self.add_write_handler("src", self._write_src)
        self.add_write_handler("dst", self._write_dst)


def _parse_dst(text, names):
    """DST: an address (or AddressInfo name in ``names``), or None for DST_ANNO."""
    if text == "DST_ANNO":
        return None
    try:
        return IPAddress.parse_in(text, names)
    except ValueError:
        raise ValueError("DST argument should be IP address or 'DST_ANNO'") from None
