# ipprint.pyx -- IPPrint: prints tcpdump-like one-line summaries of IPv4 packets
from cpython.bytes cimport PyBytes_FromStringAndSize
from libc.stdint cimport uint32_t

from clickpy.runtime.packet cimport ANNO_AGGREGATE, ANNO_PAINT, Packet
from clickpy.elements.standard.printbase cimport (
    CONTENTS_ASCII,
    CONTENTS_HEX,
    CONTENTS_NONE,
    PrintBase,
)
from clickpy.elements.standard.printbase import parse_contents
from clickpy.runtime import nameinfo
from clickpy.runtime.args import DEPRECATED, POSITIONAL, Arg, Bool, Filename, Int, String, Word
from clickpy.lang.values import format_timestamp

IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP = 1, 6, 17
TH_FIN, TH_SYN, TH_RST, TH_PUSH, TH_ACK = 0x01, 0x02, 0x04, 0x08, 0x10
IP_MF, IP_OFFMASK = 0x2000, 0x1FFF


def _payload_value(text):
    word = text.upper()
    if word in ("NO", "FALSE"):
        return CONTENTS_NONE
    if word in ("YES", "TRUE", "HEX"):
        return CONTENTS_HEX
    if word == "ASCII":
        return CONTENTS_ASCII
    raise ValueError(f"bad payload value '{text}'; should be 'false', 'hex', or 'ascii'")


def _be16(b, at):
    return b[at] << 8 | b[at + 1]


def _be32(b, at):
    return b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]


def _ip(b, at):
    return f"{b[at]}.{b[at + 1]}.{b[at + 2]}.{b[at + 3]}"


def _proto_name(proto, prefix):
    name = nameinfo.ip_proto_name(proto)
    if name is not None:
        return name
    return f"protocol {proto}" if prefix else str(proto)


def _dump(b, start, end, maxlength, mode):
    """Bytes [start, end) of b, at most maxlength (all when negative), as Click's
    indented hex (24 bytes a line, 4 a group) or ASCII (48 a line, 8 a group)."""
    n = 0 if start >= end else end - start
    if 0 <= maxlength < n:
        n = maxlength
    line, group = (24, 4) if mode == CONTENTS_HEX else (48, 8)
    out = []
    for i in range(n):
        c = b[start + i]
        if i % line == 0:
            out.append("\n  ")
        elif i % group == 0:
            out.append(" ")
        if mode == CONTENTS_HEX:
            out.append(f"{c:02x}")
        else:
            out.append(chr(c) if 32 <= c <= 126 else ".")
    return "".join(out)


class _Summary:
    """One packet's bytes, buffer start to data end, with header positions in it."""

    def __init__(self, b, data, nh, th):
        self.b = b              # buffer start .. end of data
        self.data = data        # where the data start in b
        self.end = len(b)
        self.nh = nh            # network header in b
        self.th = th            # transport header in b


cdef class IPPrint(PrintBase):
    """
    =c
    IPPrint([LABEL, CONTENTS, PAYLOAD, MAXLENGTH, ID, TTL, TOS, LENGTH, TIMESTAMP,
    AGGREGATE, PAINT, SWAP, OUTFILE, ACTIVE, CHANNEL, NBYTES])
    =s ip
    pretty-prints IP packets
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Prints one line for each packet with a network header annotation (set
    by CheckIPHeader or MarkIPHeader), in a tcpdump-like format, on
    standard error; other packets pass silently. The line is LABEL and
    ": " (when LABEL is not empty), the timestamp and ": ", the annotations
    AGGREGATE and PAINT ask for ("#AGG.PAINT: ", "#AGG: " or
    "paint PAINT: "), the fields ID, TTL, TOS and LENGTH ask for ("id N ",
    "ttl N ", "tos N ", "length N "), then by protocol:

    TCP: "SRC.SPORT > DST.DPORT: FLAGS SEQ:END(SEQLEN,PKTLEN,IPLEN) ack ACK
    win WIN", where FLAGS has S, F, R, P or ".", SEQLEN counts payload
    bytes plus one for SYN and one for FIN, PKTLEN is the packet's length
    and IPLEN the IP total length; "ack" only with the ACK flag.

    UDP: "SRC.SPORT > DST.DPORT: udp ULEN", with the UDP length field.

    ICMP: "SRC > DST: icmp echo (ID, SEQ)", "icmp echo-reply (ID, SEQ)",
    "icmp ADDR unreachable CODE" (with the quoted protocol, "PROTO/PORT",
    or "(mtu N)" for protocol, port and needfrag codes), or "icmp TYPE
    [CODE]" with Click's type and code names.

    Others: "SRC > DST: ip-proto-N".

    Fragments add " (frag ID:LEN@OFFSET)", with "+" after OFFSET when more
    fragments follow; later fragments print "tcp", "udp" or "icmp" instead
    of the transport fields. Headers cut short print "truncated-ip",
    "truncated-tcp", "truncated-udp" or "truncated-icmp" where the
    missing bytes were. With CONTENTS or PAYLOAD, the bytes follow on
    indented lines.
    =item LABEL
    String. Text at the start of each line. Default is empty.
    =item CONTENTS
    NONE, HEX, ASCII or a boolean (true is HEX). Print the packet's data
    from its start. Default is NONE.
    =item PAYLOAD
    NONE, HEX, ASCII or a boolean. Print the payload: the data after the
    TCP or UDP header, or after the IP header. At most one of CONTENTS and
    PAYLOAD. Default is NONE.
    =item MAXLENGTH
    Integer. Most bytes CONTENTS or PAYLOAD prints; -1 means all. Default
    is 1500.
    =item ID
    Boolean. Print the IP identification. Default is false.
    =item TTL
    Boolean. Print the IP time to live. Default is false.
    =item TOS
    Boolean. Print the IP TOS byte. Default is false.
    =item LENGTH
    Boolean. Print the IP total length. Default is false.
    =item TIMESTAMP
    Boolean. Print the timestamp annotation, seconds since 1970. Default
    is true.
    =item AGGREGATE
    Boolean. Print the aggregate annotation. Default is false.
    =item PAINT
    Boolean. Print the paint annotation. Default is false.
    =item SWAP
    Boolean. Print ICMP echo identifiers and sequence numbers in network
    byte order; when false, as a little-endian host reads them. Default is
    true.
    =item OUTFILE
    Filename. Write the lines to this file instead of standard error.
    Default is standard error.
    =item ACTIVE
    Boolean. Print at all. Default is true.
    =item CHANNEL
    Word. Click's chatter channel; accepted and ignored. Default is not
    given.
    =item NBYTES
    Integer. Deprecated name for MAXLENGTH; wins when both are given.
    Default is not given.
    =n
    Click's manual gives SWAP's default as false but its code uses true;
    and Click's SWAP swaps the bytes of the values as the host reads them,
    so its output depends on the host's byte order: clickpy always prints
    what a little-endian host prints. Click reads the TCP data offset for
    PAYLOAD without a length check; clickpy prints no payload when that
    byte is missing. CHANNEL does not redirect output: lines go to
    standard error or OUTFILE.
    =e
      FromDump(trace.pcap) -> Strip(14) -> CheckIPHeader -> IPPrint(in) -> Discard;
    =h active read/write
    Same as ACTIVE.
    =a Print, CheckIPHeader, MarkIPHeader, ToIPSummaryDump
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("LABEL", String, POSITIONAL, default=""),
            Arg("CONTENTS", Word, default="NONE"),
            Arg("PAYLOAD", Word, default="NO"),
            Arg("MAXLENGTH", Int, default=1500),
            Arg("ID", Bool, default=False),
            Arg("TTL", Bool, default=False),
            Arg("TOS", Bool, default=False),
            Arg("LENGTH", Bool, default=False),
            Arg("TIMESTAMP", Bool, default=True),
            Arg("AGGREGATE", Bool, default=False),
            Arg("PAINT", Bool, default=False),
            Arg("SWAP", Bool, default=True),
            Arg("OUTFILE", Filename),
            Arg("ACTIVE", Bool, default=True),
            Arg("CHANNEL", Word),
            Arg("NBYTES", Int, DEPRECATED))

    cdef int maxlength          # MAXLENGTH; negative: everything
    cdef int contents           # CONTENTS_* for CONTENTS or PAYLOAD
    cdef bint payload           # contents refers to the payload (PAYLOAD)
    cdef bint swap              # SWAP
    cdef bint print_id, print_ttl, print_tos, print_len
    cdef bint print_timestamp, print_aggregate, print_paint
    cdef object outfilename     # OUTFILE, or None

    def configure(self, args):
        contents = parse_contents(args.CONTENTS)
        payload = _payload_value(args.PAYLOAD)
        if payload and contents:
            raise ValueError("specify at most one of PAYLOAD and CONTENTS")
        self.payload = payload != CONTENTS_NONE
        self.contents = payload or contents
        self.maxlength = args.NBYTES if "NBYTES" in args else args.MAXLENGTH
        self.label = args.LABEL
        self.print_id, self.print_ttl = args.ID, args.TTL
        self.print_tos, self.print_len = args.TOS, args.LENGTH
        self.print_timestamp = args.TIMESTAMP
        self.print_aggregate, self.print_paint = args.AGGREGATE, args.PAINT
        self.swap = args.SWAP
        self.active = args.ACTIVE
        self.outfilename = args.OUTFILE

    def initialize(self):
        if self.outfilename is not None:
            try:
                self.outfile = open(self.outfilename, "w")
            except OSError as e:
                raise OSError(f"{self.outfilename}: {e.strerror}") from None

    # -- formatting (cold: Python, with the GIL, one packet at a time) --------

    cdef object _line(self, Packet *p):
        cdef uint32_t data_off = <uint32_t>(p.data - p.buf.start)
        if p.network_off < 0:
            return None
        b = PyBytes_FromStringAndSize(<char *>p.buf.start, data_off + p.length)
        th = p.transport_off if p.transport_off >= 0 else -1
        s = _Summary(b, data_off, p.network_off, th)
        out = []
        if self.label:
            out.append(f"{self.label}: ")
        if self.print_timestamp:
            out.append(f"{format_timestamp(p.timestamp_ns)}: ")
        if self.print_aggregate:
            agg = int.from_bytes(bytes(p.anno[ANNO_AGGREGATE:ANNO_AGGREGATE + 4]), "little")
            out.append(f"#{agg}")
        if self.print_paint:
            out.append(f"{'.' if self.print_aggregate else 'paint '}{p.anno[ANNO_PAINT]}")
        if self.print_aggregate or self.print_paint:
            out.append(": ")
        out.append(self._ip_line(s))
        return "".join(out)

    def _ip_line(self, s):
        b, nh = s.b, s.nh
        if s.end - nh < 20:
            return "truncated-ip"
        ip_len = _be16(b, nh + 2)
        hlen = (b[nh] & 0x0F) << 2
        payload_len = ip_len - hlen
        th = s.th if s.th >= 0 else nh + hlen
        tlen = min(s.end - th, payload_len)
        ip_off = _be16(b, nh + 6)
        first = (ip_off & IP_OFFMASK) == 0
        proto = b[nh + 9]
        out = []
        if self.print_id:
            out.append(f"id {_be16(b, nh + 4)} ")
        if self.print_ttl:
            out.append(f"ttl {b[nh + 8]} ")
        if self.print_tos:
            out.append(f"tos {b[nh + 1]} ")
        if self.print_len:
            out.append(f"length {ip_len} ")
        if proto == IP_PROTO_TCP:
            out.append(self._tcp(s, th, tlen, first, ip_len, hlen))
        elif proto == IP_PROTO_UDP:
            out.append(self._udp(s, th, tlen, first))
        elif proto == IP_PROTO_ICMP:
            out.append(self._icmp(s, th, tlen, first))
        else:
            out.append(f"{_ip(b, nh + 12)} > {_ip(b, nh + 16)}: ip-proto-{proto}")
        if ip_off & (IP_MF | IP_OFFMASK):
            more = "+" if ip_off & IP_MF else ""
            out.append(f" (frag {_be16(b, nh + 4)}:{payload_len}@"
                       f"{(ip_off & IP_OFFMASK) << 3}{more})")
        if self.contents != CONTENTS_NONE:
            start = s.data
            if self.payload:
                start = th
                if first and proto == IP_PROTO_TCP:
                    start = th + ((b[th + 12] >> 4) << 2) if th + 12 < s.end else s.end
                elif first and proto == IP_PROTO_UDP:
                    start = th + 8
            out.append(_dump(b, start, s.end, self.maxlength, self.contents))
        return "".join(out)

    def _ports(self, s, th):
        b, nh = s.b, s.nh
        return (f"{_ip(b, nh + 12)}.{_be16(b, th)} > "
                f"{_ip(b, nh + 16)}.{_be16(b, th + 2)}: ")

    def _tcp(self, s, th, tlen, first, ip_len, hlen):
        b, nh = s.b, s.nh
        if tlen < 4 or not first:
            return (f"{_ip(b, nh + 12)} > {_ip(b, nh + 16)}: "
                    + ("truncated-tcp" if first else "tcp"))
        out = [self._ports(s, th)]
        if tlen < 14:
            return out[0] + "truncated-tcp"
        flags = b[th + 13]
        seqlen = ip_len - hlen - ((b[th + 12] >> 4) << 2)
        if flags & TH_SYN:
            out.append("S")
            seqlen += 1
        if flags & TH_FIN:
            out.append("F")
            seqlen += 1
        if flags & TH_RST:
            out.append("R")
        if flags & TH_PUSH:
            out.append("P")
        if not flags & (TH_SYN | TH_FIN | TH_RST | TH_PUSH):
            out.append(".")
        seq = _be32(b, th + 4)
        out.append(f" {seq}:{(seq + seqlen) & 0xFFFFFFFF}"
                   f"({seqlen},{s.end - s.data},{ip_len})")
        if flags & TH_ACK:
            out.append(f" ack {_be32(b, th + 8)}")
        if tlen < 16:
            out.append("truncated-tcp")
        else:
            out.append(f" win {_be16(b, th + 14)}")
        return "".join(out)

    def _udp(self, s, th, tlen, first):
        b, nh = s.b, s.nh
        if tlen < 4 or not first:
            return (f"{_ip(b, nh + 12)} > {_ip(b, nh + 16)}: "
                    + ("truncated-udp" if first else "udp"))
        if tlen < 8:
            return self._ports(s, th) + "truncated-udp"
        return self._ports(s, th) + f"udp {_be16(b, th + 4)}"

    def _icmp(self, s, th, tlen, first):
        b, nh = s.b, s.nh
        head = f"{_ip(b, nh + 12)} > {_ip(b, nh + 16)}: "
        if not first:
            return head + "icmp"
        if tlen < 2:
            return head + "truncated-icmp"
        itype, code = b[th], b[th + 1]
        if itype == 0 or itype == 8:
            text = "icmp echo-reply " if itype == 0 else "icmp echo "
            if tlen < 8:
                return head + text + "truncated-icmp"
            ident, seq = b[th + 4] | b[th + 5] << 8, b[th + 6] | b[th + 7] << 8
            if self.swap:
                ident, seq = (ident & 0xFF) << 8 | ident >> 8, (seq & 0xFF) << 8 | seq >> 8
            return head + text + f"({ident}, {seq})"
        code_name = nameinfo.icmp_code_name(itype, code)
        if itype == 3:
            code_text = code_name or f"code {code}"
            ei = th + 8                     # the quoted IP header (RFC 792)
            elen = tlen - 8
            if elen < 20:
                return head + f"icmp unreachable {code_text} truncated-icmp"
            ehl = (b[ei] & 0x0F) << 2
            text = f"icmp {_ip(b, ei + 16)} unreachable {code_text}"
            if code == 2:
                text += " " + _proto_name(b[ei + 9], False)
            elif code == 3:
                text += " " + _proto_name(b[ei + 9], True)
                if elen - ehl < 4:
                    return head + text + "truncated-icmp"
                text += f"/{_be16(b, ei + ehl + 2)}"
            elif code == 4:
                mtu = _be16(b, th + 6)
                if mtu:
                    text += f" (mtu {mtu})"
            return head + text
        text = "icmp " + (nameinfo.icmp_type_name(itype) or f"type {itype}")
        if code_name is not None:
            text += " " + code_name
        elif code:
            text += f" code {code}"
        return head + text
